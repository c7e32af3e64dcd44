#!/usr/bin/env bash
# Reader throughput: demarc's CSV and XML readers on the generated 1M-record files, beside
# `wc -l` and `xmllint --stream` on the same files (the peers, run in the same session).
#
#     bench/readers.sh [N]     records (default 1000000); data cached under bench/out/N
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
out=bench/out/$n
[ -f "$out/crm.csv" ] || python3 bench/generate.py "$n" "$out"
swift build -c release --product demarc-readbench >&2
bin=$(swift build -c release --show-bin-path)/demarc-readbench
mb() { echo "scale=0; $(stat -c %s "$1") / 1000000" | bc; }
timed() { /usr/bin/time -f '%e s wall, %U s user' "$@" 2>&1 >/dev/null | tail -1; }
echo "crm.csv: $(mb "$out/crm.csv") MB; accounting.xml: $(mb "$out/accounting.xml") MB"
for i in 1 2 3; do
  echo "CSV reader (all columns):       $("$bin" csv "$out/crm.csv")"
  echo "CSV reader (3 columns):         $("$bin" csv "$out/crm.csv" Invoice_Number__c StageName Amount)"
  echo "wc -l crm.csv:                  $(timed wc -l "$out/crm.csv")"
  echo "XML reader (4 fields):          $("$bin" xml "$out/accounting.xml" //Transaction TransactionID Status Amount Amount/@currency)"
  echo "xmllint --stream accounting.xml: $(timed xmllint --stream --noout "$out/accounting.xml")"
done
