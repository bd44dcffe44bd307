#!/usr/bin/env bash
# run.sh: run libFuzzer targets for a bounded time each on their seed corpus
# and print the executions; fails on a crash, a leak, a timeout or too few
# executions.
#
#   bash fuzz/run.sh [BUILD_DIR [TARGET...]]
#
# BUILD_DIR is a build configured with CC=clang -DVKPULSE_FUZZ=ON (default
# build-fuzz); TARGET defaults to every fuzz_* binary there. Settings:
#   VKP_FUZZ_SECONDS    time per target (default 30)
#   VKP_FUZZ_MIN_EXECS  executions a target must reach (default: 1000 a second,
#                       50 for fuzz_survey; slower tests too little to count)
# The seed corpus fuzz/corpus/<name>/ (fuzz_vkapi → vkapi) is only read: new
# inputs go to a scratch corpus, and a crashing input is kept in
# BUILD_DIR/fuzz-artifacts/ to be replayed with `BINARY FILE`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../build-fuzz}
[ $# -gt 0 ] && shift
seconds=${VKP_FUZZ_SECONDS:-30}
# min_rate NAME: executions a second a target must reach by default. The
# survey importer matches every header against the question wordings by edit
# distance (~5 ms a file even with text.c left out of coverage tracing, see
# coverage-ignore.txt); the others are fast.
min_rate() {
    case $1 in
    fuzz_survey) echo 50 ;;
    *) echo 1000 ;;
    esac
}

# A build dir given as the fuzz/ subdirectory of a build works too (ctest does that).
[ -d "$build/fuzz" ] && build=$build/fuzz
if [ $# -eq 0 ]; then
    for bin in "$build"/fuzz_*; do
        [ -x "$bin" ] && set -- "$@" "$(basename "$bin")"
    done
fi
[ $# -gt 0 ] || {
    echo "run.sh: no fuzz targets in $build (configure with CC=clang -DVKPULSE_FUZZ=ON)" >&2
    exit 1
}

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
passed=0
failed=0
for name in "$@"; do
    bin=$build/$name
    seeds=$here/corpus/${name#fuzz_}
    [ -x "$bin" ] || { echo "$name: no binary at $bin" >&2; failed=$((failed + 1)); continue; }
    [ -d "$seeds" ] || { echo "$name: no seed corpus at $seeds" >&2; failed=$((failed + 1)); continue; }
    min_execs=${VKP_FUZZ_MIN_EXECS:-$((seconds * $(min_rate "$name")))}
    work=$(mktemp -d "/tmp/vkp_fuzz_${name}_XXXXXX")
    nseeds=$(find "$seeds" -type f | wc -l)
    set +e
    # -timeout: one input may take 10 s at most; -rss_limit_mb: a hostile
    # input must not make a parser eat the machine.
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$name-" "$work" "$seeds" >"$work.log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log" | tail -1)
    execs=${execs:-0}
    units=$(find "$work" -type f | wc -l)
    cov=$(grep -Eo 'cov: [0-9]+' "$work.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    echo "$name: $execs executions in ${seconds} s, $nseeds seeds + $units new inputs, coverage $cov edges, exit $rc"
    if [ "$rc" -ne 0 ]; then
        echo "$name: FAILED: the fuzzer found a crash, leak or timeout:" >&2
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$work.log" | head -20 >&2
        cp "$work.log" "$artifacts/$name.log"
        echo "$name: full log in $artifacts/$name.log" >&2
        failed=$((failed + 1))
    elif [ "$execs" -lt "$min_execs" ]; then
        echo "$name: FAILED: only $execs executions, fewer than VKP_FUZZ_MIN_EXECS=$min_execs" >&2
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
