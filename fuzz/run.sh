#!/usr/bin/env bash
# run.sh: run libFuzzer targets on their seed corpus for a fixed number of
# executions each and print what they did; fails on a crash, a leak or a
# timeout.
#
#   bash fuzz/run.sh [BUILD_DIR [TARGET...]]
#
# BUILD_DIR is a build configured with CC=clang -DVKPULSE_FUZZ=ON (default
# build-fuzz); TARGET defaults to every fuzz_* binary there. Settings:
#   VKP_FUZZ_RUNS     executions per target (default: runs_of below, about
#                     10 s a target on a 2-core machine); the same work on a
#                     fast or a busy machine, which only takes longer
#   VKP_FUZZ_SECONDS  fuzz for this many seconds per target instead (longer
#                     hunts by hand; the executions are then only printed)
# The seed corpus fuzz/corpus/<name>/ (fuzz_vkapi → vkapi) is only read: new
# inputs go to a scratch corpus, and a crashing input is kept in
# BUILD_DIR/fuzz-artifacts/ to be replayed with `BINARY FILE`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../build-fuzz}
[ $# -gt 0 ] && shift
# runs_of NAME: the default executions of a target. The survey importer
# matches every header against the question wordings by edit distance (~2 ms
# an input even with text.c left out of coverage tracing, see
# coverage-ignore.txt); the others are fast.
runs_of() {
    case $1 in
    fuzz_survey) echo 2000 ;;
    fuzz_config) echo 100000 ;;
    *) echo 300000 ;;
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
    if [ -n "${VKP_FUZZ_SECONDS:-}" ]; then
        budget=(-max_total_time="$VKP_FUZZ_SECONDS")
        what="${VKP_FUZZ_SECONDS} s"
    else
        budget=(-runs="${VKP_FUZZ_RUNS:-$(runs_of "$name")}")
        what="-runs=${VKP_FUZZ_RUNS:-$(runs_of "$name")}"
    fi
    work=$(mktemp -d "/tmp/vkp_fuzz_${name}_XXXXXX")
    nseeds=$(find "$seeds" -type f | wc -l)
    set +e
    # -timeout: one input may take 10 s at most; -rss_limit_mb: a hostile
    # input must not make a parser eat the machine.
    start=$(date +%s)
    "$bin" "${budget[@]}" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$name-" "$work" "$seeds" >"$work.log" 2>&1
    rc=$?
    set -e
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log" | tail -1)
    execs=${execs:-0}
    units=$(find "$work" -type f | wc -l)
    cov=$(grep -Eo 'cov: [0-9]+' "$work.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    echo "$name: $execs executions ($what) in $secs s, $nseeds seeds + $units new inputs, coverage $cov edges, exit $rc"
    if [ "$rc" -ne 0 ]; then
        echo "$name: FAILED: the fuzzer found a crash, leak or timeout:" >&2
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$work.log" | head -20 >&2
        cp "$work.log" "$artifacts/$name.log"
        echo "$name: full log in $artifacts/$name.log" >&2
        failed=$((failed + 1))
    elif [ "$execs" -lt "$nseeds" ]; then
        echo "$name: FAILED: only $execs executions for $nseeds seeds: the fuzzer did not run" >&2
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
