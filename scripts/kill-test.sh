#!/usr/bin/env bash
# The kill -9 durability tests at full length: 100 kills at random moments while the daemon
# works through a backlog (alerts to stdout), then 100 more while it delivers to two faulty
# webhook receivers (429 with Retry-After, 500, resets, delays), one deduplicating on
# webhook-id; afterwards the delivered alert ids must equal the expected set, with no repeat
# behind the deduplicating receiver and at most one per kill behind the other.
#
#   scripts/kill-test.sh [ITERATIONS]     (default 100; CI runs 20 as part of swift test)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
TRAILHOUND_KILL_ITERATIONS="${1:-100}" swift test --skip-build --filter CrashRecoveryTests 2>&1 | grep -E 'kill -9|✔|✘'
