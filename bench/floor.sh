#!/usr/bin/env bash
# floor.sh: the collector against VK's request floor (issue 15): wall time next to
# requests / rps, refusals for rate, CPU, peak memory, bytes per stored row and the
# cost of a no-change rerun, on a large dataset served by the fake VK server on
# 127.0.0.1. Prints a table; exits 1 when a target is missed.
#
# Usage: bash bench/floor.sh           (builds the Release build in build-bench/)
#        BUILD=DIR bash bench/floor.sh (uses DIR: a Release build with the fake server)
# Environment (defaults are the issue's dataset; smaller values for a busy machine):
#   NGROUPS=5 MEMBERS=50000 POSTS=200  the `bench` dataset grown to this size
#   CASES="slow fast huge"             which runs: slow = 3 rps with latency
#                                      250 +- 200 ms, fast = 20 rps without (and its
#                                      no-change rerun), huge = the 300,000-member
#                                      preset at 20 rps (and its rerun); also
#                                      latency = 20 rps with latency 150 +- 100 ms,
#                                      tokens = three tokens at 3 rps each,
#                                      busy = 3 rps against a busy server (--busy)
#   CHECK=1                            compare the fast run's database with the
#                                      server's --dump-expected (0: skip; it sorts
#                                      millions of lines)
# See bench/README.md.
set -euo pipefail

VKP_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NGROUPS=${NGROUPS:-5}
MEMBERS=${MEMBERS:-50000}
POSTS=${POSTS:-200}
CASES=${CASES:-slow fast huge}
CHECK=${CHECK:-1}
RSS_LIMIT_MB=64
WALL_LIMIT=1.10 # x the request floor
RERUN_LIMIT=1   # % of the first run's requests
BUSY_MS=${BUSY_MS:-1500} # busy: how long a heavy answer holds the server's one worker
BUSY_LIMIT=3             # busy: error 6 at most

# shellcheck source=lib.sh
source "$VKP_SRC/bench/lib.sh"
bench_setup
# The dataset's present an hour back, the server clock at real time: both sides
# agree on the time and nothing changes on the server between a run and its rerun.
ANCHOR=$(($(date +%s) - 3600))

# serve RPS N FAKE-ARGS...: a fake server refusing more than RPS, a config for its
# N groups at RPS, and a fresh database.
serve() {
    local rps=$1 n=$2 groups=()
    shift 2
    rm -f "$tmp"/vk.db*
    start_fake --rps "$rps" --anchor "$ANCHOR" "$@"
    for i in $(seq 1 "$n"); do groups+=("test_group_$i"); done
    write_config "$tmp/c.ini" "$rps" "${groups[@]}"
    expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
}


# sizes: bytes per like (post_like and its indexes) and per member row
# (membership and its indexes; user rows apart), from SQLite's dbstat.
sizes() {
    sqlite3 "$tmp/vk.db" "
      SELECT printf('%.1f', (SELECT sum(pgsize) FROM dbstat WHERE name = 'post_like'
          OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'post_like'))
        * 1.0 / max(1, (SELECT count(*) FROM post_like))),
      printf('%.1f', (SELECT sum(pgsize) FROM dbstat WHERE name = 'membership'
          OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'membership'))
        * 1.0 / max(1, (SELECT count(*) FROM membership))),
      printf('%.1f', (SELECT sum(pgsize) FROM dbstat WHERE name = 'user')
        * 1.0 / max(1, (SELECT count(*) FROM user))),
      (SELECT count(*) FROM post_like), (SELECT count(*) FROM membership)" | tr '|' ' '
}

# floor_rows NAME RPS [cpu]: wall against the floor (information only with cpu: a run bound by
# writing, not by the rate), refusals, CPU and memory of the last run.
floor_rows() {
    local name=$1 rps=$2 floor ratio
    floor=$(awk -v r="$req" -v p="$rps" 'BEGIN { printf "%.2f", r / p }')
    ratio=$(awk -v s="$secs" -v f="$floor" 'BEGIN { printf "%.3f", s / f }')
    if [ "${3:-}" = cpu ]; then
        # A few requests carrying a whole list: the run is bound by writing it, not by
        # the rate, and its floor says nothing.
        row "$name: wall / floor ($req req / $rps rps)" "- (CPU-bound)" \
            "$secs s / $floor s = $ratio" "-"
    else
        row "$name: wall / floor ($req req / $rps rps)" "<= $WALL_LIMIT" \
            "$secs s / $floor s = $ratio" "$(verdict "$ratio <= $WALL_LIMIT")"
    fi
    row "$name: refused for rate (error 6)" "0" "$limited" "$(verdict "$limited == 0")"
    row "$name: collector CPU (user+sys)" "-" "$cpu s" "-"
    row "$name: peak RSS" "<= $RSS_LIMIT_MB MB" "$rss_mb MB" "$(verdict "$rss_mb <= $RSS_LIMIT_MB")"
}
# likes_cpu_row NAME: the collector's CPU per million likes stored.
likes_cpu_row() {
    local likes
    likes=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM post_like")
    row "$1: CPU per million likes" "-" "$(awk -v c="$cpu" -v n="$likes" \
        'BEGIN { printf "%.2f s (%d likes)", c * 1e6 / (n > 0 ? n : 1), n }')" "-"
}
# rerun_row NAME FIRST: a no-change rerun a second later; its requests against FIRST's.
# One request is the least a run can cost (group info, the first member and wall pages
# in one execute): a full sync of fewer than 100 requests cannot get under 1 %.
rerun_row() {
    local name=$1 first=$2 pct
    sleep 1 # the server's one-second window forgets the first run
    fake_reset
    collect "$name-rerun" 2
    pct=$(awk -v a="$req" -v b="$first" 'BEGIN { printf "%.1f", 100 * a / b }')
    row "$name: no-change rerun requests" "<= $RERUN_LIMIT % of $first, or 1" "$req = $pct %" \
        "$(verdict "$pct <= $RERUN_LIMIT || $req <= 1")"
}

dataset=(--dataset bench --groups "$NGROUPS" --members "$MEMBERS" --posts "$POSTS")
notes=()

# ---- 1. 3 rps, answers 250 +- 200 ms late -------------------------------------------------
if [[ " $CASES " == *" slow "* ]]; then
    serve 3 "$NGROUPS" "${dataset[@]}" --latency 250 --latency-jitter 200
    collect slow 1
    floor_rows "3 rps, latency 250+-200" 3
    notes+=("3 rps: $calls calls in $req requests, $secs s, $cpu s CPU")
    stop_fake
fi

# ---- 2. 20 rps, no latency, and a rerun ----------------------------------------------------
if [[ " $CASES " == *" fast "* ]]; then
    serve 20 "$NGROUPS" "${dataset[@]}"
    collect fast 1
    floor_rows "20 rps" 20
    notes+=("20 rps: $calls calls in $req requests, $secs s, $cpu s CPU")
    read -r per_like per_member per_user nlikes nmembers < <(sizes)
    row "bytes per like (table + indexes)" "-" "$per_like B ($nlikes likes)" "-"
    row "bytes per member row (+ indexes)" "-" "$per_member B ($nmembers rows)" "-"
    row "bytes per user row" "-" "$per_user B" "-"
    row "database file" "-" "$(($(stat -c %s "$tmp/vk.db") / 1048576)) MB" "-"
    if [ "$CHECK" = 1 ]; then
        expected "$tmp/exp.tsv" "${dataset[@]}" --time "$(fake_stat time)"
        same_data "the 20 rps collection is complete" "$tmp/exp.tsv" "$tmp/vk.db"
    fi
    rerun_row "20 rps" "$req"
    stop_fake
fi

# ---- 2b. 20 rps, answers 150 +- 100 ms late (VK's answer time) ------------------------------
if [[ " $CASES " == *" latency "* ]]; then
    serve 20 "$NGROUPS" "${dataset[@]}" --latency 50 --latency-jitter 200
    fake_reset # init's city directory is not the collection's
    collect latency 1
    floor_rows "20 rps, latency 150+-100" 20
    likes_cpu_row "20 rps, latency 150+-100"
    notes+=("20 rps, latency: $calls calls in $req requests, $secs s, $cpu s CPU")
    stop_fake
fi

# ---- 2c. three tokens at 3 rps each: three times the rate ------------------------------------
if [[ " $CASES " == *" tokens "* ]]; then
    rm -f "$tmp"/vk.db*
    start_fake --anchor "$ANCHOR" "${dataset[@]}" --token t1:3 --token t2:3 --token t3:3
    groups=()
    for i in $(seq 1 "$NGROUPS"); do groups+=("test_group_$i"); done
    write_config "$tmp/c.ini" 3 "${groups[@]}"
    VKPULSE_TOKEN=t1,t2,t3 expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
    fake_reset
    VKPULSE_TOKEN=t1,t2,t3 collect tokens 1
    floor_rows "3 tokens x 3 rps" 9
    notes+=("3 tokens: $calls calls in $req requests, $secs s, $cpu s CPU")
    stop_fake
fi

# ---- 2d. 3 rps against a busy server --------------------------------------------------------
# One worker takes requests in arrival order and counts them when it gets to them; a heavy
# answer holds it BUSY_MS. No client can beat the server's own time, so the figure is the
# error 6 count and the wall time next to the worker's busy time (heavy answers x BUSY_MS).
if [[ " $CASES " == *" busy "* ]]; then
    serve 3 "$NGROUPS" "${dataset[@]}" --busy "$BUSY_MS"
    fake_reset
    collect busy 1
    heavy=$(fake_stat faults.busy)
    row "busy 3 rps: refused for rate (error 6)" "<= $BUSY_LIMIT" "$limited" \
        "$(verdict "$limited <= $BUSY_LIMIT")"
    row "busy 3 rps: wall / the worker's busy time" "-" "$secs s / $(awk -v h="$heavy" \
        -v b="$BUSY_MS" 'BEGIN { printf "%.1f", h * b / 1000 }') s ($heavy heavy of $req)" "-"
    notes+=("busy: $calls calls in $req requests, $secs s, $cpu s CPU")
    stop_fake
fi

# ---- 3. the 300,000-member preset ------------------------------------------------------------
if [[ " $CASES " == *" huge "* ]]; then
    serve 20 1 --dataset huge
    collect huge 1
    floor_rows "huge, 20 rps" 20 cpu
    notes+=("huge: $calls calls in $req requests, $secs s, $cpu s CPU")
    rerun_row "huge" "$req"
    stop_fake
fi

# ---- report ---------------------------------------------------------------------------------
echo "vkpulse floor benchmark: $BUILD ($build_type), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dataset: bench, $NGROUPS groups x $MEMBERS members x $POSTS posts; cases: $CASES"
for n in "${notes[@]}"; do echo "  $n"; done
echo
print_table
