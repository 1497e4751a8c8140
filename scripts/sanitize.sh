#!/usr/bin/env bash
# The test suite under a sanitizer: AddressSanitizer (memory errors in our unsafe-pointer code:
# the JSON scanner, the reader's buffers, the regex tables) or ThreadSanitizer (data races
# between the spool loop, the dispatchers, NIO and the tests).
#
#   scripts/sanitize.sh address|thread [swift test arguments, e.g. --filter TrailJSONTests]
#
# Each sanitizer builds into its own folder (.build-address, .build-thread); on 2 cores a first
# build takes about 5 minutes and the suite about 2 more. Any sanitizer report fails the run
# (halt_on_error). CI runs the thread sanitizer.
#
# Leak detection is off: Swift keeps tag bits in the spare bits of some pointers (indirect enum
# payloads, the side table of a weakly referenced object), so LeakSanitizer finds no plain address
# of those objects and reports statics and weakly referenced objects as leaked (82 such reports,
# all under swift_once or swift_weakAssign, in a run of the suite). The fuzz targets run
# LeakSanitizer with a suppression for the globals (Fuzz/lsan-suppressions.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer="${1:-}"
case "$sanitizer" in
    address) export ASAN_OPTIONS="halt_on_error=1:detect_leaks=0:${ASAN_OPTIONS:-}" ;;
    thread) export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:${TSAN_OPTIONS:-}" ;;
    *) echo "usage: scripts/sanitize.sh address|thread [swift test arguments]" >&2; exit 2 ;;
esac
shift
# Synchronization.Mutex on Linux is a futex that ThreadSanitizer cannot see: every access it guards
# is reported as a race, at random, whenever two threads take it without another ordering between
# them (it failed CI once). Our locks are NIOLockedValueBox/NIOLock (pthread mutexes) instead.
if [ "$sanitizer" = thread ] && grep -rnE --include='*.swift' '\bMutex *[<(]' Sources Tests; then
    echo "sanitize.sh: Synchronization.Mutex above; ThreadSanitizer cannot see it on Linux, use NIOLockedValueBox" >&2
    exit 1
fi
scratch=".build-$sanitizer"
swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" "$@"
