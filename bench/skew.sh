#!/usr/bin/env bash
# One side much larger than the other: the CRM export of BIG records against the accounting
# export of SMALL (bench/out/BIG and bench/out/SMALL, made by bench/run.sh or generate.py).
# Runs demarc with both engines (DEMARC_ENGINE=full and the default, which streams the larger
# side here) and checks that they write the same findings.
#
#     bench/skew.sh [BIG SMALL]     default 5000000 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
big=${1:-5000000} small=${2:-1000000}
out=$PWD/bench/out/skew-$big-$small
for n in "$big" "$small"; do
    [ -f "bench/out/$n/crm.csv" ] || python3 bench/generate.py "$n" "bench/out/$n"
done
mkdir -p "$out"
sed -e "s#file: crm.csv#file: $PWD/bench/out/$big/crm.csv#" \
    -e "s#file: accounting.csv#file: $PWD/bench/out/$small/accounting.csv#" \
    "bench/out/$small/rules.yaml" > "$out/rules.yaml"
swift build -c release --product demarc >&2
demarc=$(swift build -c release --show-bin-path)/demarc
for engine in full auto; do
    status=0
    sync   # nothing of the last run's output left to write back (bench/run.sh says why)
    DEMARC_ENGINE=$engine /usr/bin/time -f "$engine: %e s wall, %M KiB peak RSS" \
        "$demarc" check "$out/rules.yaml" --format "jsonl:$out/$engine.jsonl" --quiet || status=$?
    [ $status -le 1 ] || { echo "skew.sh: demarc failed (exit $status)" >&2; exit 1; }
done
cmp "$out/full.jsonl" "$out/auto.jsonl" && echo "findings identical ($(wc -l < "$out/full.jsonl") lines)"
