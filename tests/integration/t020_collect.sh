#!/usr/bin/env bash
# t020_collect.sh: the real collector against the fake VK server: the database
# equals the dataset exactly; a rerun with nothing changed adds nothing and
# spends only group info, member pages and the first wall page; a rerun after
# a week of changes (joins, leaves, new posts, likes, comments) converges to
# the new dataset.
# labels: valgrind
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

# ---- tiny: exact copy, then a no-change rerun -----------------------------------
start_fake --dataset tiny --rps 100 --time $NOW --admin-groups 200000001
write_config "$tmp/c.ini" 20
expected "$tmp/exp.tsv" --dataset tiny --time $NOW
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
fake_reset # init fetched the city directory (t066_region counts that); measure the collection
expect "first run" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "first run ok" 'run #1 ok'
same_data "first run" "$tmp/exp.tsv" "$tmp/vk.db"
calls1=$(fake_stat calls)
requests1=$(fake_stat requests)
check "stats.get days stored for the admin group" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*)
    FROM stat_day d JOIN community c ON c.id = d.community_id WHERE c.vk_id = 200000001")" -ge 28
check "the other group's refusal is remembered" test "$(sqlite3 "$tmp/vk.db" "SELECT stats_denied
    FROM community WHERE vk_id = 200000002")" -eq 1
# +3: a first run asks groups.getById alone, to learn which group each reference is
# before reading anything of it (it may be a group already collected under another name).
# With no run stored to vouch for its clock, it asks VK's (utils.getServerTime) in that
# same first request: no request of its own.
check "first run packs calls into execute ($requests1 requests, $calls1 calls)" \
    test "$requests1" -le $(((calls1 + 24) / 25 + 3))
check "the clock is asked once" \
    test "$(fake_stat by_method.utils.getServerTime)" -eq 1

fake_reset
expect "rerun" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
same_data "rerun adds no duplicates" "$tmp/exp.tsv" "$tmp/vk.db"
# group info (1) + one member page and one wall page per group (2 x 2) + stats.get of
# the group that refused it, asked again at every run (1), all in one request
check "rerun spends only the incremental calls ($(fake_stat calls))" test "$(fake_stat calls)" -eq 6
check "rerun is one request ($(fake_stat requests))" test "$(fake_stat requests)" -eq 1
check "rerun is one request" test "$(fake_stat requests)" -eq 1
check "rerun read no likes" test "$(fake_stat by_method.likes.getList)" -eq 0
check "two ok runs" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM run WHERE status='ok'")" -eq 2
check "no run left running" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM run WHERE status='running'")" -eq 0
check "each run has complete snapshots" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM snapshot WHERE members_ok AND wall_ok AND details_ok")" -eq 4
expect "status" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "status shows the last run" 'last run #2: ok'
stop_fake

# ---- demo: a week passes between two runs ------------------------------------------
rm -f "$tmp"/vk.db*
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"
start_fake --dataset demo --rps 100 --time $((ANCHOR - 8 * 86400))
# shellcheck disable=SC2086
# Re-read every post: the dataset's comments on old posts must arrive too.
COLLECT_EXTRA="refresh_days = 3650" write_config "$tmp/c.ini" 20 $DEMO_GROUPS
expect "demo init" 0 "$VKPULSE" --config "$tmp/c.ini" init
# vkpulse's clock with the server's: a run on a clock VK disagrees with is refused.
expect "demo week 1" 0 at $((ANCHOR - 8 * 86400)) "$VKPULSE" --config "$tmp/c.ini" collect --once
expected "$tmp/exp1.tsv" --dataset demo --time $((ANCHOR - 8 * 86400))
same_data "demo week 1" "$tmp/exp1.tsv" "$tmp/vk.db"
first=$(fake_stat requests)

curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$NOW" >/dev/null
fake_reset
expect "demo week 2" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
expected "$tmp/exp2.tsv" --dataset demo --time $NOW
same_data "demo week 2: joins, leaves and new activity" "$tmp/exp2.tsv" "$tmp/vk.db"
second=$(fake_stat requests)
check "week 2 reads only what changed ($second of $first requests)" test "$second" -lt "$first"
left=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM membership m JOIN community c ON c.id = m.community_id
    WHERE c.ref = 'rmo_neuspeshnost' AND m.left_run = 2")
check "members who left are recorded as leaving ($left)" test "$left" -gt 50
joined=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM membership WHERE joined_run = 2 AND NOT initial")
check "members who joined are recorded as joining ($joined)" test "$joined" -gt 0
check "no membership interval overlaps another" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM
    membership a JOIN membership b ON a.community_id = b.community_id AND a.user_id = b.user_id
    AND a.joined_at < b.joined_at AND (a.left_at IS NULL OR a.left_at > b.joined_at)")" -eq 0
check "integrity" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok
finish
