#!/usr/bin/env bash
# history.sh: the benchmark of issue 12: a first collection of three years of
# walls (the bench dataset with --years 3, the default horizon: the whole wall)
# must stay within the collector's request floor, and the yearly report over
# those three years must take under 2 s. Prints a table of figures; exits 1 when
# a target is missed.
#
# Usage: bash bench/history.sh           (builds the Release build in build-bench/)
#        BUILD=DIR bash bench/history.sh (uses DIR: a Release build with the fake server)
# Environment: RPS (default 20) on both sides, YEARS (default 3), REPEAT (default
# 5) reports of each kind, the best counted. See bench/README.md.
set -euo pipefail

VKP_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RPS=${RPS:-20}
YEARS=${YEARS:-3}
REPEAT=${REPEAT:-5}
REPORT_LIMIT_MS=2000

bash "$VKP_SRC/scripts/deps.sh" # /usr/bin/time, sqlite3, curl and the build tools
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

# The integration tests' helpers (start_fake, write_config, fake_stat, expected,
# same_data); $tmp is removed on exit.
export VKP_SRC VKP_BUILD=$BUILD
unset COLLECT_EXTRA
# shellcheck source=../tests/integration/lib.sh
source "$VKP_SRC/tests/integration/lib.sh"
export VKPULSE_TOKEN=demo-token
# The dataset's present an hour back and the server clock at real time: both
# sides agree on the time, so the last complete year lies wholly in the history.
ANCHOR=$(($(date +%s) - 3600))
FAKE_ARGS=(--dataset bench --years "$YEARS" --anchor "$ANCHOR" --admin-groups all)

rows=()
missed=0
row() {
    rows+=("$(printf '%-52s %-26s %-24s %s' "$1" "$2" "$3" "$4")")
    [ "$4" != FAIL ] || missed=$((missed + 1))
}
verdict() {
    if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi
}

# ---- 1. one first collection of the whole history ----------------------------------------
start_fake "${FAKE_ARGS[@]}" --rps "$RPS"
write_config "$tmp/c.ini" "$RPS" test_group_1 test_group_2
sed -i '/^horizon_days = /d' "$tmp/c.ini" # the default: each wall back to its first post
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
echo "first collection of $YEARS years at $RPS rps ..." >&2
t0=$(date +%s.%N)
"$VKPULSE" --config "$tmp/c.ini" collect --once >"$tmp/first.out" 2>"$tmp/first.err" ||
    fail "the first collection failed: $(tail -c 600 "$tmp/first.err")"
t1=$(date +%s.%N)
grep -q "run #1 ok" "$tmp/first.err" || fail "the first run is not ok: $(tail -c 600 "$tmp/first.err")"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
req=$(fake_stat requests)
calls=$(fake_stat calls)
bound=$(((calls + 24) / 25 + 2))
row "HTTP requests, first collection, $YEARS years" "<= ceil($calls/25)+2 = $bound" "$req" \
    "$(verdict "$req <= $bound")"
row "wall time of that collection, $RPS rps" "-" "$secs s" "-"
expected "$tmp/exp.tsv" "${FAKE_ARGS[@]}" --time "$(fake_stat time)"
same_data "the whole history was collected" "$tmp/exp.tsv" "$tmp/vk.db"
stop_fake
posts=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM post")
likes=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM post_like")
comments=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM comment")
oldest=$(sqlite3 "$tmp/vk.db" "SELECT date(min(date), 'unixepoch') FROM post")

# ---- 2. report times ----------------------------------------------------------------------
# best NAME ARGS...: the fastest of REPEAT reports, in milliseconds, into $ms.
best() {
    local name=$1 b=999999999 s e t
    shift
    for _ in $(seq "$REPEAT"); do
        s=$(date +%s%N)
        "$VKPULSE" --config "$tmp/c.ini" report "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" ||
            fail "report $*: $(cat "$tmp/$name.err")"
        e=$(date +%s%N)
        t=$(((e - s) / 1000000))
        [ "$t" -ge "$b" ] || b=$t
    done
    ms=$b
}
for f in text json html csv; do
    best "year-$f" --period year --format "$f"
    row "yearly report, $f (3 years of $YEARS)" "<= $REPORT_LIMIT_MS ms" "$ms ms" \
        "$(verdict "$ms <= $REPORT_LIMIT_MS")"
done
best school --period school-year --format json
row "school-year report, json" "<= $REPORT_LIMIT_MS ms" "$ms ms" \
    "$(verdict "$ms <= $REPORT_LIMIT_MS")"
old_week=$(date -d "@$((ANCHOR - 400 * 86400))" +%G-W%V)
best week --week "$old_week" --format json
row "weekly report of $old_week (8 weeks, history)" "-" "$ms ms" "-"
best month --period month --format json
row "monthly report (6 months)" "-" "$ms ms" "-"

echo "vkpulse history benchmark: $BUILD ($build_type), $(nproc) cores, fake VK on 127.0.0.1"
echo "bench dataset, $YEARS years: 2 groups, $posts posts back to $oldest, $likes likes," \
    "$comments comments; first collection: $calls API calls in $req requests"
echo
printf '%-52s %-26s %-24s %s\n' figure target measured result
for r in "${rows[@]}"; do
    echo "$r"
done
if [ "$missed" -gt 0 ]; then
    echo "$missed target(s) missed"
    exit 1
fi
echo "all targets met"
