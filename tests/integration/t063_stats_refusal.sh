#!/usr/bin/env bash
# t063_stats_refusal.sh: a stats.get refusal is not final. The token is no admin
# of either group: the first run is refused and remembers it; a rerun the same
# day asks again, one call per group (refused again, said once); then admin
# rights are granted (the fake restarted with --admin-groups all on the same
# dataset) and the very next run, the same day, has the daily statistics and
# forgets the refusal. vkpulse's clock is moved with libfaketime, the fake's with
# --time, so the test holds on any date.
#
# Run by ctest with VKP_SRC (repository root) and VKP_BUILD (build directory).
# Talks only to 127.0.0.1.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

DAY=86400
T1=$((ANCHOR - 3 * DAY)) # the first run
db="$tmp/vk.db"
denied() { sqlite3 "$db" "SELECT ifnull(sum(stats_denied), 0) FROM community"; }
days() { sqlite3 "$db" "SELECT count(*) FROM stat_day"; }

# collect_at EPOCH NAME: one run at EPOCH against the fake, stats reset before it.
collect_at() {
    curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$1" >/dev/null
    fake_reset
    expect "$2" 0 at "$1" "$VKPULSE" --config "$tmp/c.ini" collect --once
}

# ---- refused ----------------------------------------------------------------------
start_fake --dataset tiny --rps 100 --time "$T1"
write_config "$tmp/c.ini" 20
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
collect_at "$T1" "first run, no admin rights"
err_has "the refusal is said, with when it is asked again" 'stats.get refused .*asked again at the next run'
check "stats.get was asked for both groups" test "$(fake_stat by_method.stats.get)" -eq 2
check "both refusals remembered" test "$(denied)" -eq 2
check "no days stored" test "$(days)" -eq 0

collect_at $((T1 + 6 * 3600)) "a rerun the same day"
check "a rerun asks again, one call per group" test "$(fake_stat by_method.stats.get)" -eq 2
check "refused again" test "$(denied)" -eq 2
check "the refusal is not said again" test "$(grep -c 'stats.get refused' "$tmp/err")" -eq 0
stop_fake

# ---- rights granted ----------------------------------------------------------------
T3=$((T1 + 12 * 3600)) # the same day: rights take effect at the next run
start_fake --dataset tiny --rps 100 --time "$T3" --admin-groups all
write_config "$tmp/c.ini" 20 # the new port
collect_at "$T3" "the next run after rights were granted"
err_has "the answer is said" 'stats.get answered'
check "stats.get asked for both groups (and paged)" test "$(fake_stat by_method.stats.get)" -ge 2
check "the refusals are forgotten" test "$(denied)" -eq 0
check "daily statistics stored for both groups" test "$(sqlite3 "$db" "SELECT count(DISTINCT
    community_id) FROM stat_day")" -eq 2
check "a month of days at least" test "$(days)" -ge 56
stop_fake

finish
