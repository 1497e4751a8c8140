# Shared by the benchmark scripts: sourced, not run.

# Makes (once) and prints the path of a gen_corpus.py spool of $1 files × $2 records.
bench_spool() {
    local spool="bench-out/reader-$1-$2"
    [ -d "$spool" ] || python3 "${GEN_CORPUS:-../shared/bench/gen_corpus.py}" "$spool" --files "$1" --records-per-file "$2" >/dev/null
    echo "$spool"
}

# Wall time of one run of "$@", in seconds (output discarded).
seconds() {
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

# Best wall time of 5 runs of "$@".
best() {
    local best=999999 elapsed
    for _ in 1 2 3 4 5; do
        elapsed=$(seconds "$@")
        if (( $(echo "$elapsed < $best" | bc -l) )); then best=$elapsed; fi
    done
    echo "$best"
}
