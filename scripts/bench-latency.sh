#!/usr/bin/env bash
# Alert latency of the daemon: rename a file into the spool, time until its alert is on stdout;
# p50/p95/p99 over N files (default 200) at idle. Target: p99 <= 100 ms.
#
#   scripts/bench-latency.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product trailhound >&2
python3 scripts/bench_latency.py "$(swift build -c release --show-bin-path)/trailhound" "${1:-200}"
