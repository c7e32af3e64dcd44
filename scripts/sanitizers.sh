#!/usr/bin/env bash
# Runs the in-process test suites under AddressSanitizer and ThreadSanitizer (the readers run
# in parallel, one thread per source): scripts/sanitizers.sh [address|thread|all]
# Each sanitizer builds into its own folder (.build-address, .build-thread). CLITests are
# skipped: they run the plain binary in a child process, which no sanitizer instruments. So is
# the test that 200 expression levels fit a 1 MB thread stack: a bound of the plain build;
# sanitizer frames are several times larger (the 4 MB hostile-nesting test still runs).
# Figures (build and test time, findings): fuzz/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
which=${1:-all}
sanitizers=(address thread)
[ "$which" != all ] && sanitizers=("$which")
status=0
for s in "${sanitizers[@]}"; do
  echo "== swift test --sanitize=$s" >&2
  start=$(date +%s)
  # halt_on_error: the first report fails the run; detect_leaks stays off (XCTest and the Swift
  # runtime keep caches until exit).
  if ! ASAN_OPTIONS=halt_on_error=1:detect_leaks=0 TSAN_OPTIONS=halt_on_error=1 \
      swift test --build-path ".build-$s" --sanitize="$s" --skip CLITests \
        --skip 'ExprDepthTests.testTheDeepestAcceptedTreesCheckAndEvaluateWithinOneMegabyteOfStack'; then
    status=1
  fi
  echo "== $s: $(( $(date +%s) - start )) s" >&2
done
exit $status
