# lib.sh: what the benchmarks share on top of tests/integration/lib.sh. Sourced, never run.

# bench_setup: the packages of scripts/deps.sh, then the Release build in $BUILD (built
# in build-bench/ when BUILD is unset); sets BUILD (absolute) and build_type, and loads
# the integration tests' helpers (start_fake, stop_fake, fake_stat, fake_reset,
# write_config, expected, same_data; $tmp is removed on exit).
bench_setup() {
    bash "$VKP_SRC/scripts/deps.sh" --dev # /usr/bin/time, sqlite3, curl and the build tools
    if [ -z "${BUILD:-}" ]; then
        BUILD="$VKP_SRC/build-bench"
        echo "building the Release build in $BUILD ..." >&2
        cmake -S "$VKP_SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVKPULSE_TESTS=ON >/dev/null
        cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" --target vkpulse fakevk >/dev/null
    fi
    BUILD=$(cd "$BUILD" && pwd)
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
    [ "$build_type" = Release ] ||
        echo "warning: $BUILD is a '$build_type' build, not Release: figures are not comparable" >&2
    export VKP_SRC VKP_BUILD=$BUILD
    unset COLLECT_EXTRA # the configs here are the plain ones of write_config
    # shellcheck source=../tests/integration/lib.sh
    source "$VKP_SRC/tests/integration/lib.sh"
    export VKPULSE_TOKEN=demo-token
}

# collect NAME RUN: `vkpulse collect --once` with $tmp/c.ini under /usr/bin/time -v, which
# must log "run #RUN ok"; sets secs (wall clock, from date), cpu (user + system seconds),
# rss_kb and rss_mb (peak resident set), and req, calls, limited (the server's requests,
# calls and refusals for rate since its last reset).
collect() {
    local name=$1 run=$2 t0 t1 rc
    echo "$name: vkpulse collect --once ..." >&2
    t0=$(date +%s.%N)
    set +e
    /usr/bin/time -v -o "$tmp/$name.time" "$VKPULSE" --config "$tmp/c.ini" collect --once \
        >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    set -e
    t1=$(date +%s.%N)
    grep -q "run #$run ok" "$tmp/$name.err" ||
        fail "$name: vkpulse exited with $rc, not a run #$run ok: $(tail -c 600 "$tmp/$name.err")"
    measured "$name" "$t0" "$t1"
}

# measured NAME T0 T1: the figures of a run that started at T0 and ended at T1 (date
# +%s.%N) under /usr/bin/time -v -o $tmp/NAME.time, as collect sets them.
measured() {
    secs=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", b - a }')
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/$1.time")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/$1.time")
    rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    req=$(fake_stat requests)
    calls=$(fake_stat calls)
    limited=$(fake_stat rate_limited)
}

# ---- the table of figures ----------------------------------------------------------------
rows=()
missed=0
# row FIGURE TARGET MEASURED VERDICT: VERDICT is PASS, FAIL or - (information only).
row() {
    rows+=("$(printf '%-50s %-26s %-30s %s' "$1" "$2" "$3" "$4")")
    echo "${rows[-1]}" >&2 # as it comes: a run that fails later keeps it
    [ "$4" != FAIL ] || missed=$((missed + 1))
}
# verdict CONDITION: PASS when the awk condition holds, else FAIL.
verdict() {
    if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi
}
# print_table: the rows under a header; exits 1 when a target was missed.
print_table() {
    printf '%-50s %-26s %-30s %s\n' figure target measured result
    for r in "${rows[@]}"; do
        echo "$r"
    done
    if [ "$missed" -gt 0 ]; then
        echo "$missed target(s) missed"
        exit 1
    fi
    echo "all targets met"
}
