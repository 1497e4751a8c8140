#!/usr/bin/env bash
# Replay benchmark (issue 4): over the gen_corpus.py spool (default 100 files × 2,000 records),
# measured in one run, best of 5 wall times each:
#   zcat FILES > /dev/null
#   trailhound replay --jobs 1 (the full bundled pack) > /dev/null
#   trailhound replay (all cores) > /dev/null
#   the same rules as a jq program over zcat's output (one run: it is slow); the program is
#   generated from the pack by `trailhound-bench jq rules`, so it checks exactly what the rules do
# and the peak resident memory of `replay --jobs 1` (VmHWM, read through /proc while it runs).
# Usage: scripts/bench.sh [FILES [RECORDS_PER_FILE]]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100}
per_file=${2:-2000}
source scripts/bench-common.sh
spool=$(bench_spool "$files" "$per_file")
mapfile -t inputs < <(find "$spool" -name '*.json.gz' | sort)
swift build -c release --product trailhound >&2
swift build -c release --product trailhound-bench >&2
trailhound="$(swift build -c release --show-bin-path)/trailhound"
"$(swift build -c release --show-bin-path)/trailhound-bench" jq rules > bench-out/pack.jq

peak_rss() {  # peak resident memory of "$@" in MiB, sampled from /proc
    "$@" >/dev/null 2>&1 &
    local pid=$! peak=0 value
    while kill -0 "$pid" 2>/dev/null; do
        value=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ -n "$value" ] && [ "$value" -gt "$peak" ] && peak=$value
        sleep 0.02
    done
    wait "$pid" || true
    echo $((peak / 1024))
}

jq_run() { zcat "${inputs[@]}" | jq -c -f bench-out/pack.jq; }

zcat_s=$(best taskset -c 0 zcat "${inputs[@]}")
one_s=$(best taskset -c 0 "$trailhound" replay --jobs 1 "$spool")
all_s=$(best "$trailhound" replay "$spool")
jq_s=$(seconds jq_run)
rss=$(peak_rss taskset -c 0 "$trailhound" replay --jobs 1 "$spool")
alerts=$("$trailhound" replay --jobs 1 "$spool" 2>/dev/null | wc -l)
cores=$(nproc)
printf 'spool: %d files, %s alerts from the bundled pack\n' "${#inputs[@]}" "$alerts"
printf 'zcat > /dev/null:            %6.3f s\n' "$zcat_s"
printf 'replay --jobs 1:             %6.3f s  %.2f x zcat (target <= 1.0)\n' "$one_s" "$(echo "$one_s / $zcat_s" | bc -l)"
printf 'replay (%d cores):            %6.3f s  %.2f x zcat (target <= 0.6)\n' "$cores" "$all_s" "$(echo "$all_s / $zcat_s" | bc -l)"
printf 'zcat | jq (one run):         %6.3f s  replay --jobs 1 is %.0f x faster (target >= 50)\n' "$jq_s" "$(echo "$jq_s / $one_s" | bc -l)"
printf 'peak RSS, replay --jobs 1:   %6d MiB (target <= 64)\n' "$rss"
