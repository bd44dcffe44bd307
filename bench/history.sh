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

# shellcheck source=lib.sh
source "$VKP_SRC/bench/lib.sh"
bench_setup
# The dataset's present an hour back and the server clock at real time: both
# sides agree on the time, so the last complete year lies wholly in the history.
ANCHOR=$(($(date +%s) - 3600))
FAKE_ARGS=(--dataset bench --years "$YEARS" --anchor "$ANCHOR" --admin-groups all)

# ---- 1. one first collection of the whole history ----------------------------------------
start_fake "${FAKE_ARGS[@]}" --rps "$RPS"
write_config "$tmp/c.ini" "$RPS" test_group_1 test_group_2
sed -i '/^horizon_days = /d' "$tmp/c.ini" # the default: each wall back to its first post
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
fake_reset # init fetched the city directory: the floor is the collection's
collect first 1
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
print_table
