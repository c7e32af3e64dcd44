#!/usr/bin/env bash
# Builds and runs one libFuzzer target with AddressSanitizer:
#   fuzz/run.sh csv|xml|rules|expr SECONDS [extra libFuzzer flags]
# Seeds come from Fixtures/ and ../shared/samples (when present); new corpus entries go to
# fuzz/corpus/TARGET, crashes to fuzz/artifacts/TARGET, the log to fuzz/logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")"
export PATH=/opt/swift/usr/bin:$PATH
target=${1:?usage: fuzz/run.sh csv|xml|rules|expr SECONDS}
seconds=${2:-60}
shift 2 || true
case $target in
  csv) product=FuzzCSV; maxlen=32768 ;;
  xml) product=FuzzXML; maxlen=32768 ;;
  rules) product=FuzzRules; maxlen=16384 ;;
  expr) product=FuzzExpr; maxlen=2048 ;;
  *) echo "unknown target '$target' (csv, xml, rules, expr)" >&2; exit 2 ;;
esac

swift build -c release --build-path .build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
  --product "$product" >&2
binary=.build/release/$product

corpus=corpus/$target
seeds=seeds/$target
mkdir -p "$corpus" "artifacts/$target" logs
python3 seed.py "$target" "$seeds"

# detect_leaks: libFuzzer reports a leak per input that leaks; Swift's runtime caches
# (metadata, interned strings) are allocated once and reachable, so they do not count.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
"$binary" "$corpus" "$seeds" -max_total_time="$seconds" -max_len="$maxlen" -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$target/" "$@" 2>&1 \
  | tee "logs/$target.log" | grep -E '^#[0-9]+.*(pulse|DONE|INITED)|ERROR|SUMMARY|stat::' >&2 || true
# The exit code is libFuzzer's: non-zero when it found a crash, hang or leak.
exit "${PIPESTATUS[0]}"
