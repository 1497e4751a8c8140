#!/usr/bin/env bash
# Soak: 1,000,000 records a minute for 10 minutes through `trailhound run` (release build) with a
# signed webhook sink; prints memory, backlog and alert latency every 30 s and checks that memory
# stays flat, the backlog bounded and every alert delivered (see scripts/soak.py).
#
#   scripts/soak.sh [--minutes M] [--records-per-minute N] [--max-growth-mib X] [--max-backlog-seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product trailhound >&2
python3 -u scripts/soak.py "$(swift build -c release --show-bin-path)/trailhound" ../shared/bench/gen_corpus.py "$@"
