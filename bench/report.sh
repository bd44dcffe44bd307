#!/usr/bin/env bash
# report.sh: does the cost of `vkpulse report` follow the week, not the history?
#
# Builds two databases by collecting the fake server's `demo` dataset made
# denser (five groups of 750-2200 members, POSTS posts per group a year,
# default 2000: ~40 a week, with their likes, comments and reposts) once a
# week under a moved clock (faketime for vkpulse, /_fake/time for the
# server), with a one-week horizon so each database holds little more than
# the weeks it was collected for: SHORT weeks (default 10) and 4x as many. Then times the
# report of the same last week (--weeks 8, JSON) on both, best of REPEAT
# runs, and prints both times and their ratio. The bar (issue 4): <= 1.5.
#
#   bash bench/report.sh                 # SHORT=10 REPEAT=5
#   SHORT=5 REPEAT=3 bash bench/report.sh
#
# Talks only to 127.0.0.1. Needs faketime (scripts/deps.sh). Leaves its
# databases in bench/out/ (git-ignored) for a second look.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SHORT=${SHORT:-10}
LONG=$((SHORT * 4))
REPEAT=${REPEAT:-5}
POSTS=${POSTS:-2000}
BUILD=${VKP_BUILD:-build-bench}
ANCHOR=1795392000 # Monday 2026-11-23 00:00 UTC, the dataset's present
OUT=bench/out
mkdir -p "$OUT"

bash scripts/deps.sh --dev
command -v faketime >/dev/null || { echo "report.sh: faketime missing: run scripts/deps.sh" >&2; exit 1; }
# at EPOCH CMD...: CMD with its clock at EPOCH, libfaketime preloaded directly (see
# at() in tests/integration/lib.sh for why not the faketime wrapper).
FTLIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
at() {
    local t=$1
    shift
    LD_PRELOAD=$FTLIB FAKETIME=$(printf '%+d' $((t - $(date +%s)))) "$@"
}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" --target vkpulse fakevk >/dev/null
VKPULSE=$BUILD/vkpulse
FAKEVK=$BUILD/tests/fakevk/fakevk
FAKE_PID=
trap '[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

# collect WEEKS DB: the dataset collected every Monday 06:00 local for WEEKS weeks.
collect() {
    local weeks=$1 db=$2 port t
    rm -f "$db" "$db-wal" "$db-shm" "$OUT/port"
    "$FAKEVK" --dataset demo --posts "$POSTS" --port 0 --port-file "$OUT/port" --rps 200 \
        --time $((ANCHOR - weeks * 7 * 86400 + 3600)) >"$OUT/fake.out" 2>"$OUT/fake.log" &
    FAKE_PID=$!
    for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.05; done
    port=$(cat "$OUT/port")
    cat >"$OUT/bench.ini" <<EOF
[database]
path = $PWD/$db
[vk]
api_url = http://127.0.0.1:$port/method
requests_per_second = 20
token_env = VKPULSE_TOKEN
[collect]
horizon_days = 7
refresh_days = 30
[region]
municipalities = $PWD/config/regions/chelyabinsk.ini
EOF
    for g in rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost \
        sps_slabouspevayushchie sps_shkoly_lidery; do
        printf '[community]\ngroup = %s\nkind = rmo\nsurvey_name = %s\n' "$g" "$g"
    done >>"$OUT/bench.ini"
    VKPULSE_TOKEN=demo-token "$VKPULSE" --config "$OUT/bench.ini" init >/dev/null
    for k in $(seq "$weeks" -1 0); do
        t=$((ANCHOR - k * 7 * 86400 + 3600))
        curl -s -X POST "http://127.0.0.1:$port/_fake/time?set=$t" >/dev/null
        VKPULSE_TOKEN=demo-token at "$t" \
            "$VKPULSE" --config "$OUT/bench.ini" collect --once --quiet 2>/dev/null
    done
    kill "$FAKE_PID"
    wait "$FAKE_PID" 2>/dev/null || true
    FAKE_PID=
}

# best DB: the fastest of REPEAT reports of 2026-W47, in milliseconds.
best() {
    local db=$1 best=999999999 s e ms
    for _ in $(seq "$REPEAT"); do
        s=$(date +%s%N)
        "$VKPULSE" --config "$OUT/bench.ini" --db "$db" report --week 2026-W47 --weeks 8 \
            --format json >/dev/null
        e=$(date +%s%N)
        ms=$(((e - s) / 1000000))
        [ "$ms" -lt "$best" ] && best=$ms
    done
    echo "$best"
}

rows() {
    sqlite3 "$1" "SELECT (SELECT count(*) FROM run) || ' runs, ' ||
        (SELECT count(*) FROM post) || ' posts, ' || (SELECT count(*) FROM post_counter) ||
        ' counters, ' || (SELECT count(*) FROM post_like) || ' likes, ' ||
        (SELECT count(*) FROM comment) || ' comments, ' || (SELECT count(*) FROM membership) ||
        ' memberships'"
}

echo "collecting $SHORT and $LONG weeks of the demo dataset, $POSTS posts a year per group..."
collect "$SHORT" "$OUT/short.db"
collect "$LONG" "$OUT/long.db"
short_ms=$(best "$OUT/short.db")
long_ms=$(best "$OUT/long.db")
echo "history $SHORT weeks: $(rows "$OUT/short.db")"
echo "history $LONG weeks: $(rows "$OUT/long.db")"
echo "report of one week (--weeks 8), best of $REPEAT:"
echo "  $SHORT-week history: ${short_ms} ms"
echo "  $LONG-week history: ${long_ms} ms"
awk -v a="$short_ms" -v b="$long_ms" 'BEGIN {
    r = b / (a > 0 ? a : 1); printf "  ratio: %.2f (bar: <= 1.5) %s\n", r, r <= 1.5 ? "ok" : "OVER"
}'
