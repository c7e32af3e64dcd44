#!/usr/bin/env bash
# The benchmark: demarc against DuckDB (CSV vs CSV) and demarc with the XML accounting side
# against libxml2's xmlTextReader alone.
#
#     bench/run.sh [N...]      records a side; default 1000000 5000000
#     bench/run.sh --smoke     10000 records, one run each: that everything works and agrees
#
# Data is generated once per N under bench/out/N (bench/generate.py, deterministic); DuckDB is
# installed from PyPI into bench/.venv. RUNS (default 5) alternating runs per tool; prints the
# median wall time, the peak RSS and the ratios, as a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
runs=${RUNS:-5}
sizes=()
for arg in "$@"; do
    case $arg in
        --smoke) sizes+=(10000); runs=${RUNS:-1} ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) sizes+=("$arg") ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 5000000)
[ -x /usr/bin/time ] || { echo "run.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

mkdir -p "$bench/out"
if ! "$bench/.venv/bin/python" -c 'import duckdb' 2>/dev/null; then
    echo "== installing duckdb into bench/.venv" >&2
    python3 -m venv "$bench/.venv"
    "$bench/.venv/bin/pip" install --quiet duckdb
fi
echo "== building demarc (release)" >&2
swift build -c release --product demarc >&2
demarc=$(swift build -c release --show-bin-path)/demarc
cc -O2 -o "$bench/out/xmlreader" "$bench/xmlreader.c" $(pkg-config --cflags --libs libxml-2.0)

failed=0
timings=$bench/out/timings.tsv
: > "$timings"

# measure N TOOL CMD...: runs CMD under /usr/bin/time, appends "N TOOL seconds KiB".
# demarc exits 1 when it has findings; anything above 1 is a failure.
# Each run starts with nothing left to write back from the run before (`sync`, not timed): the
# kernel wrote the last run's 200 MB of jsonl out during the next run, on the same two cores,
# and a file replaced while its pages were still dirty stalled the run that replaced it
# (0.3-1.1 s at 5M; bench/RESULTS.md, tenth session).
measure() {
    local n=$1 tool=$2; shift 2
    local t=$bench/out/time.txt status=0
    sync
    /usr/bin/time -f '%e %M' -o "$t" "$@" > /dev/null || status=$?
    if [ $status -gt 1 ]; then
        echo "run.sh: $tool failed (exit $status): $*" >&2; cat "$t" >&2; return 1
    fi
    echo "$n $tool $(tail -n 1 "$t")" >> "$timings"
}

for n in "${sizes[@]}"; do
    dir=$bench/out/$n
    # The marker holds the generator's hash: a fresh checkout (newer file times) reuses data
    # that the same generator made; a changed generator makes it anew.
    gen_hash=$(sha256sum "$bench/generate.py" | cut -d' ' -f1)
    if [ "$(cat "$dir/.complete" 2>/dev/null)" != "$gen_hash" ]; then
        echo "== generating $n records a side" >&2
        python3 "$bench/generate.py" "$n" "$dir"
        echo "$gen_hash" > "$dir/.complete"
    fi
    echo "== $n records a side: $runs runs each" >&2
    rm -f "$dir/demarc.jsonl" "$dir/duckdb-findings.csv" "$dir/demarc-xml.jsonl"
    xml=1
    for ((i = 1; i <= runs; i++)); do
        measure "$n" demarc "$demarc" check "$dir/rules.yaml" --format "jsonl:$dir/demarc.jsonl" --quiet
        measure "$n" duckdb "$bench/.venv/bin/python" "$bench/duckdb_findings.py" "$dir" 2
        if [ $xml = 1 ]; then
            measure "$n" demarc-xml "$demarc" check "$dir/rules-xml.yaml" --format "jsonl:$dir/demarc-xml.jsonl" --quiet || xml=0
        fi
        measure "$n" c-reader "$bench/out/xmlreader" "$dir/accounting.xml"
    done
    echo "== findings (rule, demarc, DuckDB)" >&2
    "$bench/.venv/bin/python" "$bench/tally.py" compare "$dir/demarc.jsonl" "$dir/duckdb-findings.csv" >&2 || failed=1
    if [ $xml = 1 ]; then
        echo "== findings (rule, demarc CSV, demarc XML)" >&2
        "$bench/.venv/bin/python" "$bench/tally.py" compare "$dir/demarc.jsonl" "$dir/demarc-xml.jsonl" >&2 || failed=1
    else
        echo "run.sh: demarc could not read the XML side; its column stays empty" >&2
        failed=1
    fi
done
echo
echo "$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
"$bench/.venv/bin/python" "$bench/tally.py" table "$timings"
if [ $failed = 1 ]; then
    echo "run.sh: the findings differ or a run failed (see above)" >&2
    exit 1
fi
