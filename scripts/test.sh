#!/usr/bin/env bash
# test.sh: build vkpulse with warnings as errors and run every test, in three
# passes, each in its own build directory (reused and rebuilt incrementally):
#
#   1. build-test   gcc: unit and integration tests through ctest, and the
#                   tests labelled "valgrind" once more with every vkpulse
#                   run under valgrind (any error or leak fails them);
#   2. build-asan   gcc -fsanitize=address,undefined: the same suite again,
#                   except tests labelled "nosan" (see CMakeLists.txt);
#   3. build-fuzz   clang -fsanitize=fuzzer,address,undefined: each libFuzzer
#                   target of fuzz/ on its seed corpus for a fixed number of
#                   executions (fuzz/run.sh: VKP_FUZZ_RUNS, VKP_FUZZ_SECONDS).
#
# ctest runs VKP_CTEST_JOBS tests at once (default 4 on any machine: most
# integration tests wait on VK's pacing, not on the CPU, and none measures
# time, so a busy machine makes the suite slower, never red).
#
# Exits non-zero when any pass fails (all passes run). Extra arguments go to
# every ctest, e.g. `bash scripts/test.sh -R unit/`. VKP_PASSES="test asan
# fuzz" (the default) chooses the passes, e.g. VKP_PASSES=test for a quick run.
#
# VKP_STRESS=N: the suite beside N CPU-bound processes (a busy machine made on
# purpose: no test may depend on speed). They start after the dependencies and
# are ended by this script when it ends, fails or is interrupted; each also ends
# by itself after VKP_STRESS_SECONDS (default 7200), should this script be
# killed outright.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh --dev

stress=${VKP_STRESS:-0}
case $stress in
'' | *[!0-9]*) echo "test.sh: VKP_STRESS must be a number of processes, not '$stress'" >&2; exit 2 ;;
esac
stress_pids=()
# stop_stress: ends the CPU-bound processes (each a `timeout` guarding a busy loop).
stop_stress() {
    [ "${#stress_pids[@]}" -gt 0 ] || return 0
    kill "${stress_pids[@]}" 2>/dev/null || true
    wait "${stress_pids[@]}" 2>/dev/null || true
    echo "== stress: ${#stress_pids[@]} CPU-bound process(es) ended"
    stress_pids=()
}
if [ "$stress" -gt 0 ]; then
    trap stop_stress EXIT
    trap 'stop_stress; exit 130' INT
    trap 'stop_stress; exit 143' TERM
    for _ in $(seq "$stress"); do
        timeout "${VKP_STRESS_SECONDS:-7200}" sh -c 'while :; do :; done' &
        stress_pids+=("$!")
    done
    echo "== stress: $stress CPU-bound process(es) beside the suite (pids ${stress_pids[*]})"
fi

jobs=$(nproc 2>/dev/null || echo 2)
ctest_jobs=${VKP_CTEST_JOBS:-4}
passes=${VKP_PASSES:-test asan fuzz}
status=0
summary=()

# pass NAME BUILD-DIR CTEST-ARGS -- CMAKE-ARGS...: configure, build, run ctest.
pass() {
    local name=$1 dir=$2 start rc
    shift 2
    local ctest_args=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        ctest_args+=("$1")
        shift
    done
    shift
    start=$(date +%s)
    echo "== $name: configuring $dir"
    mkdir -p "$dir"
    if ! cmake -S . -B "$dir" -DVKPULSE_WERROR=ON "$@" >"$dir/configure.log" 2>&1 ||
        ! cmake --build "$dir" -j"$jobs" >"$dir/build.log" 2>&1; then
        tail -40 "$dir/configure.log" "$dir/build.log" 2>/dev/null >&2 || true
        echo "== $name: build failed" >&2
        summary+=("$name: build failed")
        status=1
        return
    fi
    echo "== $name: ctest ${ctest_args[*]}"
    set +e
    (cd "$dir" && ctest --output-on-failure -j"$ctest_jobs" "${ctest_args[@]}" "${EXTRA[@]}") |
        tee "$dir/ctest.out"
    rc=${PIPESTATUS[0]}
    # ctest's closing line: "100% tests passed, 0 tests failed out of 35".
    read -r p f < <(sed -nE 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2 \1/p' \
        "$dir/ctest.out" | tail -1 | awk '{ print $1 - $2, $2 }') || true
    total_passed=$((total_passed + ${p:-0}))
    total_failed=$((total_failed + ${f:-0}))
    set -e
    [ "$rc" -eq 0 ] || status=1
    summary+=("$name: exit $rc in $(($(date +%s) - start)) s")
}

EXTRA=("$@")
total_passed=0
total_failed=0
total_start=$(date +%s)
for p in $passes; do
    case $p in
    test) pass "tests" build-test -- -DVKPULSE_TESTS=ON ;;
    asan)
        # ASan's reports go to files, so that a memory error or leak in a
        # process whose exit code no test looks at (the fake server, a
        # background run) fails the pass too. UBSan (gcc's runtime ignores
        # log_path here) aborts the process, so its exit code fails the test.
        # faketime's LD_PRELOAD comes before the ASan runtime: allowed.
        reports=$PWD/build-asan/sanitizer-reports
        rm -rf "$reports"
        mkdir -p "$reports"
        ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:verify_asan_link_order=0" \
            UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
            pass "tests under ASan+UBSan" build-asan -LE nosan -- -DVKPULSE_TESTS=ON \
            -DVKPULSE_SANITIZE=ON
        nreports=$(find "$reports" -type f | wc -l)
        echo "== sanitizer reports: $nreports"
        if [ "$nreports" -gt 0 ]; then
            find "$reports" -type f -exec head -60 {} + >&2
            summary+=("sanitizer reports: $nreports (in $reports)")
            status=1
        fi
        ;;
    fuzz) CC=clang pass "fuzzing" build-fuzz -L fuzz -V -- -DVKPULSE_TESTS=OFF -DVKPULSE_FUZZ=ON ;;
    *) echo "test.sh: unknown pass '$p' (test, asan, fuzz)" >&2; exit 2 ;;
    esac
done
echo "== summary"
for line in "${summary[@]}"; do
    echo "   $line"
done
stress_note=
[ "$stress" -eq 0 ] || stress_note=" beside $stress CPU-bound process(es)"
echo "   total $(($(date +%s) - total_start)) s$stress_note"
# One plain closing line for all passes together.
[ "$status" -eq 0 ] || [ "$total_failed" -gt 0 ] || total_failed=1
echo "$total_passed passed, $total_failed failed"
exit "$status"
