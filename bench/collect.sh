#!/usr/bin/env bash
# collect.sh: the collector benchmark of issue 3: requests, wall time, rerun cost,
# peak memory and CPU time of `vkpulse collect --once` against the fake VK server
# on 127.0.0.1. Prints a table of figures; exits 1 when a target is missed.
#
# Usage: bash bench/collect.sh           (builds the Release build in build-bench/)
#        BUILD=DIR bash bench/collect.sh (uses DIR: a Release build with the fake server)
# Environment: RPS (default 3) for the bench dataset, HUGE_RPS (default 20) for
# the memory run. See bench/README.md.
set -euo pipefail

VKP_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RPS=${RPS:-3}
HUGE_RPS=${HUGE_RPS:-20}
RSS_LIMIT_MB=64

# shellcheck source=lib.sh
source "$VKP_SRC/bench/lib.sh"
bench_setup
# The dataset's present lies an hour back and the server clock is real time, so
# the collector's clock and the server's agree and nothing changes between runs.
ANCHOR=$(($(date +%s) - 3600))

# serve DATASET RPS GROUP...: a fake server with DATASET refusing more than RPS,
# a config for GROUP... at RPS, and a fresh database.
serve() {
    local dataset=$1 rps=$2
    shift 2
    rm -f "$tmp"/vk.db*
    start_fake --dataset "$dataset" --rps "$rps" --anchor "$ANCHOR"
    write_config "$tmp/c.ini" "$rps" "$@"
    expect "init for $dataset" 0 "$VKPULSE" --config "$tmp/c.ini" init
}



# ---- 1. the bench dataset at the real rate ------------------------------------------------
serve bench "$RPS" test_group_1 test_group_2
collect bench-first 1
req1=$req calls1=$calls secs1=$secs cpu1=$cpu
limited1=$(fake_stat rate_limited)
bound=$(((calls1 + 24) / 25 + 3)) # +1: a first run asks group info alone
tbound=$(awk -v r="$req1" -v p="$RPS" 'BEGIN { printf "%.2f", 1.05 * r / p }')
row "HTTP requests, bench, $RPS rps" "<= ceil($calls1/25)+3 = $bound" "$req1" \
    "$(verdict "$req1 <= $bound")"
row "wall time, bench, $RPS rps" "<= 1.05 x $req1/$RPS = ${tbound} s" "$secs1 s" \
    "$(verdict "$secs1 <= $tbound")"
row "requests refused for rate (error 6), bench" "0" "$limited1" "$(verdict "$limited1 == 0")"
row "collector CPU time (user+sys), bench" "-" "$cpu1 s" "-"

# The database must hold the whole dataset, or the figures above mean nothing.
expected "$tmp/exp.tsv" --dataset bench --anchor "$ANCHOR" --time "$(fake_stat time)"
same_data "bench collection is complete" "$tmp/exp.tsv" "$tmp/vk.db"

# ---- 2. a no-change rerun ----------------------------------------------------------------
# A second for the server's one-second window to forget the first run's last requests.
sleep 1
fake_reset
collect bench-rerun 2
req2=$req calls2=$calls
pct=$(awk -v a="$req2" -v b="$req1" 'BEGIN { printf "%.1f", 100 * a / b }')
row "no-change rerun requests (% of first run)" "<= 10 %" "$req2 of $req1 = $pct %" \
    "$(verdict "$pct <= 10")"
stop_fake

# ---- 3. peak memory on a 300,000-member group ----------------------------------------------
serve huge "$HUGE_RPS" test_group_1
collect huge-first 1
members3=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM membership WHERE left_at IS NULL")
row "peak RSS, huge ($members3 members), $HUGE_RPS rps" "<= $RSS_LIMIT_MB MB" "$rss_mb MB" \
    "$(verdict "$rss_mb <= $RSS_LIMIT_MB")"
stop_fake

# ---- report ---------------------------------------------------------------------------
echo "vkpulse collector benchmark: $BUILD ($build_type), $(nproc) cores, fake VK on 127.0.0.1"
echo "bench: 2 groups, $calls1 API calls in $req1 requests at $RPS rps on both sides" \
    "(collector: $(grep -o '[0-9]* retries' "$tmp/bench-first.err" || echo '? retries'));" \
    "rerun: $calls2 calls in $req2 requests"
echo "huge: 1 group, $calls calls in $req requests in $secs s at $HUGE_RPS rps on both" \
    "sides (a higher rate than a user token's 3 keeps it short; the peak depends on" \
    "the batch size, not on the rate)"
echo
print_table
