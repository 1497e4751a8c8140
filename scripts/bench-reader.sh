#!/usr/bin/env bash
# Reader benchmark (issue 3), on one core:
#  1. a spool from gen_corpus.py (default 100 files × 2,000 records): `zcat FILES > /dev/null`
#     against trailhound's read + frame + project of the CIS selector set, timed in the same run;
#  2. one file of about 1 GiB uncompressed (1 × 800,000 records): peak resident memory.
# Usage: scripts/bench-reader.sh [FILES [RECORDS_PER_FILE]]   (BIG=0 skips the 1 GiB file)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100}
per_file=${2:-2000}
source scripts/bench-common.sh
spool=$(bench_spool "$files" "$per_file")
mapfile -t inputs < <(find "$spool" -name '*.json.gz' | sort)
swift build -c release --product trailhound-bench >&2
bench="$(swift build -c release --show-bin-path)/trailhound-bench"

zcat_seconds=$(best taskset -c 0 zcat "${inputs[@]}")
output=$(taskset -c 0 "$bench" reader --passes 5 "${inputs[@]}")
echo "$output" | grep -v '^seconds:'
ours=$(echo "$output" | sed -n 's/^seconds: //p')
printf 'zcat FILES > /dev/null: %.3f s   trailhound: %.3f s   ratio: %.2f (target <= 0.90)\n' \
    "$zcat_seconds" "$ours" "$(echo "$ours / $zcat_seconds" | bc -l)"

if [ "${BIG:-1}" != 0 ]; then
    big=$(bench_spool 1 800000)
    echo "one large file:"
    taskset -c 0 "$bench" reader --passes 1 "$(find "$big" -name '*.json.gz')" | grep -v '^seconds:'
fi
