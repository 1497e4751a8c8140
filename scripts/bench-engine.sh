#!/usr/bin/env bash
# Engine benchmark (issue 2): projection of the CIS selector set and evaluation of the 15 CIS
# patterns over decompressed records from shared/bench/gen_corpus.py, plus regex linearity.
# Usage: scripts/bench-engine.sh [FILES [RECORDS_PER_FILE]]   (defaults: 20 files × 2000 records)
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-20}
per_file=${2:-2000}
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
out=bench-out/engine-$files-$per_file
if [ ! -d "$out/json" ]; then
    rm -rf "$out"
    mkdir -p "$out/json"
    python3 "$gen" "$out/spool" --files "$files" --records-per-file "$per_file"
    # The engine bench measures matching, not inflating: decompress once, up front.
    find "$out/spool" -name '*.json.gz' | sort | while read -r f; do
        zcat "$f" > "$out/json/$(basename "${f%.gz}")"
    done
fi
swift build -c release --product trailhound-bench >&2
exec "$(swift build -c release --show-bin-path)/trailhound-bench" engine --passes "${PASSES:-5}" "$out"/json/*.json
