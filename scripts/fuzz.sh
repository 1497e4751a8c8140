#!/usr/bin/env bash
# Builds the libFuzzer targets under Fuzz/ and runs each for a while.
#
#   scripts/fuzz.sh [--time SECONDS] [TARGET…]    build, then fuzz each target (default: all, 60 s each)
#   scripts/fuzz.sh --list                        print the targets
#
# Everything goes under .build-fuzz/ (gitignored): the build, seeds generated from the tests, rules
# and samples (scripts/fuzz-seeds.py), the growing corpus (corpus/<target>), logs (logs/<target>.log)
# and anything libFuzzer finds (artifacts/<target>/). Exits non-zero when a target found a crash,
# a hang (> 10 s on one input), a leak or an out-of-memory, printing the artifact and the command
# that reproduces it.
#
# The targets are declared in Package.swift only when TRAILHOUND_FUZZ is set, so plain `swift
# build`/`swift test` never see them. `-sanitize=fuzzer,address` goes to every Swift module, so
# the libraries under test are instrumented for coverage and ASan; C dependencies (zlib, libyaml
# inside Yams, BoringSSL inside swift-crypto) are built as usual, uninstrumented.
set -euo pipefail
cd "$(dirname "$0")/.."

targets_all=(FuzzPatterns FuzzRegex FuzzJSON FuzzReader FuzzRules)

# Longest input per target: patterns are at most 1024 characters (3.2 of the spec) but may be
# multi-byte; rule files reach 17 KB; reader inputs hold a few compressed records.
max_len() {
    case "$1" in
        FuzzPatterns) echo 2048 ;;
        FuzzRegex) echo 1024 ;;
        FuzzJSON) echo 8192 ;;
        FuzzReader) echo 16384 ;;
        FuzzRules) echo 20480 ;;
    esac
}

# Fuzz/<Name> holds a target's source, committed seeds and dictionary.
source_dir() { echo "Fuzz/${1#Fuzz}"; }

seconds=60
selected=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time)
            seconds="${2:?--time needs a number of seconds}"
            shift 2
            ;;
        --time=*)
            seconds="${1#--time=}"
            shift
            ;;
        --list)
            printf '%s\n' "${targets_all[@]}"
            exit 0
            ;;
        -h | --help)
            sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        -*)
            echo "fuzz.sh: unknown option $1" >&2
            exit 2
            ;;
        *)
            if [[ " ${targets_all[*]} " != *" $1 "* ]]; then
                echo "fuzz.sh: unknown target $1 (targets: ${targets_all[*]})" >&2
                exit 2
            fi
            selected+=("$1")
            shift
            ;;
    esac
done
[ "${#selected[@]}" -gt 0 ] || selected=("${targets_all[@]}")
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --time takes whole seconds" >&2; exit 2; }

scratch=.build-fuzz
build_flags=(
    -c release --scratch-path "$scratch"
    -Xswiftc -sanitize=fuzzer,address
    # The targets have an `@main` that starts libFuzzer's driver (see Fuzz/Support); this keeps
    # any top-level code in them from being taken for a script.
    -Xswiftc -parse-as-library
)
export TRAILHOUND_FUZZ=1

started=$(date +%s)
for target in "${selected[@]}"; do
    echo "== building $target"
    # Filtered: a dependency's resolution warnings repeat on every build. With pipefail the
    # pipeline fails when swift build does.
    if ! swift build "${build_flags[@]}" --product "$target" 2>&1 |
        { grep -v -e "^warning: 'swift-distributed-tracing': found 1 file" -e "CMakeLists.txt$" || true; }; then
        echo "fuzz.sh: building $target failed" >&2
        exit 1
    fi
done
bin="$(swift build "${build_flags[@]}" --show-bin-path 2>/dev/null)"
echo "== built in $(($(date +%s) - started)) s: $bin"

failed=()
for target in "${selected[@]}"; do
    dir="$(source_dir "$target")"
    corpus="$scratch/corpus/$target"
    seeds="$scratch/seeds/$target"
    artifacts="$scratch/artifacts/$target"
    log="$scratch/logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    python3 scripts/fuzz-seeds.py . "$seeds" "$target"
    before="$(ls "$artifacts" | sort)"
    dict=()
    [ -f "$dir/dictionary.txt" ] && dict=(-dict="$dir/dictionary.txt")
    echo "== fuzzing $target for $seconds s (log: $log)"
    status=0
    # Swift's own crash backtracer is off so that libFuzzer and ASan report a crash (its
    # helper thread trips ASan while it reads the crashed stack). Leak detection stays on, with
    # values that Swift globals hold suppressed (see Fuzz/lsan-suppressions.txt).
    SWIFT_BACKTRACE=enable=no \
        LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        "$bin/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$target")" \
        "${dict[@]}" -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$corpus" "$dir/seeds" "$seeds" >"$log" 2>&1 || status=$?

    stats="$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$stats")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$stats")"
    files="$(find "$corpus" -type f | wc -l)"
    echo "$target: runs ${runs:-?}, exec/s ${speed:-?}, cov ${cov:-?}, ft ${ft:-?}, corpus $files files"

    mkdir -p "$artifacts"
    found="$(comm -13 <(echo "$before") <(ls "$artifacts" | sort) | grep -E '^(crash|leak|timeout|oom)-' || true)"
    if [ "$status" -ne 0 ] || [ -n "$found" ]; then
        failed+=("$target")
        echo "$target: FAILED (libFuzzer exit status $status)"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*fuzz invariant broken|ALARM|==[0-9]+== ERROR)' "$log" | head -5 || true
        for artifact in $found; do
            echo "  artifact:  $artifacts/$artifact"
            echo "  reproduce: SWIFT_BACKTRACE=enable=no $bin/$target $artifacts/$artifact"
            echo "  minimize:  SWIFT_BACKTRACE=enable=no $bin/$target -minimize_crash=1 -runs=100000 $artifacts/$artifact"
        done
        [ -n "$found" ] || tail -20 "$log"
    fi
done

echo "== done in $(($(date +%s) - started)) s"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: findings in ${failed[*]}" >&2
    exit 1
fi
