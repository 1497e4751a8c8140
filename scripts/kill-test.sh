#!/usr/bin/env bash
# The kill -9 durability test at full length: 100 kills at random moments while the daemon
# works through a backlog; afterwards the delivered alert ids must equal the expected set.
#
#   scripts/kill-test.sh [ITERATIONS]     (default 100; CI runs 20 as part of swift test)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
TRAILHOUND_KILL_ITERATIONS="${1:-100}" swift test --skip-build --filter CrashRecoveryTests 2>&1 | grep -E 'kill -9:|✔|✘'
