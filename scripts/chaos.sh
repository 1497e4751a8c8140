#!/usr/bin/env bash
# Chaos: the daemon under kill -9 and under storage faults, checked for lost or repeated alerts.
#
#   scripts/chaos.sh [--kills N] [--no-kills] [--files N] [--fault-seconds S]
#
# 1. The kill -9 loop (scripts/kill-test.sh, N kills, default 100): a backlog to stdout, then
#    deliveries to two faulty webhook receivers (429 + Retry-After, 500, resets, delays); every
#    expected alert arrives, exactly once behind the receiver that deduplicates on webhook-id.
# 2. scripts/chaos.py: strace injects fsync EIO (synchronous: full) and write ENOSPC into the
#    ledger of a running daemon, then detaches; the daemon must report the fault (log, /healthz,
#    trailhound_ledger_errors_total), acknowledge nothing while it lasts, recover by itself, and
#    survive a kill -9 straight after with an intact ledger and every alert delivered once.
#
# Needs strace (apt-get install strace) and ptrace permission (root, or kernel.yama.ptrace_scope=0).
set -euo pipefail
cd "$(dirname "$0")/.."

kills=100
chaos_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --kills) kills="$2"; shift 2 ;;
        --no-kills) kills=0; shift ;;
        --files|--fault-seconds) chaos_args+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "chaos.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done
command -v strace >/dev/null || { echo "chaos.sh: strace is missing (apt-get install strace)" >&2; exit 2; }

if [ "$kills" -gt 0 ]; then
    echo "== kill -9 loop: $kills kills per scenario"
    bash scripts/kill-test.sh "$kills"
else
    swift build --product trailhound
fi
echo "== storage faults (strace) on the ledger of a running daemon"
python3 -u scripts/chaos.py "$(swift build --show-bin-path)/trailhound" "${chaos_args[@]}"
