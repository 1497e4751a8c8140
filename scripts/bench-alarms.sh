#!/usr/bin/env bash
# Alarm state at scale (issue 19): the bundled pack with and without one broad alarm rule, in
# replay (time, peak memory) and run (drain time, ledger size), over the gen_corpus.py spool.
# Usage: scripts/bench-alarms.sh [FILES [RECORDS_PER_FILE]]; BINARY=path compares another build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-common.sh
spool=$(bench_spool "${1:-100}" "${2:-2000}")
if [ -z "${BINARY:-}" ]; then
    swift build -c release --product trailhound >&2
    BINARY="$(swift build -c release --show-bin-path)/trailhound"
fi
python3 scripts/bench_alarms.py "$BINARY" "$spool" rules --runs "${RUNS:-3}"
