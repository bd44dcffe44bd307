#!/usr/bin/env bash
# t049_hostile_values.sh: numbers and dates VK cannot mean (issue 22).
#  - A post dated -1 on the first wall page is refused, named, and the wall read on; the
#    run is partial and a clean rerun completes the wall (B6).
#  - A post deleted while the wall is paged skips nothing: pages overlap and must join,
#    the wall agrees with its count; a clean rerun leaves the dataset exact (B2).
#  - stats.get figures of -5000 or 9e18 refuse the answer (named, not asked again in the
#    run, nothing stored); a day in 2100 is left out and the rest kept (B3, B5).
#  - A city directory cut to 500 of 1156 localities, or fetched for a mistyped region id,
#    is refused and the stored one kept, with its date, so that collect tries again (B1).
#  - A city id listed twice with another area refuses the directory too; a wall that
#    counts 10^12 posts is refused at its first page.
#  - A run whose clock is 400 days ahead of VK's is refused before it writes anything,
#    and the alerts stay as they were (B4).
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
db=$tmp/vk.db
q() { sqlite3 "$db" "$@"; }
hostile() { curl -s --max-time 5 -X POST "http://127.0.0.1:$PORT/_fake/hostile?set=$1" >/dev/null; }
# Two groups of 250 posts (three wall pages each), stats.get for both.
FAKE_ARGS=(--dataset tiny --posts 250 --admin-groups all --time $NOW)
start_fake "${FAKE_ARGS[@]}" --rps 20
expected "$tmp/exp.tsv" "${FAKE_ARGS[@]}"
posts=$(grep -c '^post	' "$tmp/exp.tsv")
write_config "$tmp/c.ini" 20
stored_posts() { q "SELECT count(*) FROM post"; }
fresh_db() {
    rm -f "$db" "$db"-*
    expect "$1: init" 0 "$VKPULSE" --config "$tmp/c.ini" init
}

# ---- an impossible post date: refused, named, the wall read on --------------------------
fresh_db "bad date"
hostile bad-date
expect "bad date: partial run" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "bad date: named with group, method and value" \
    'test_group_[12]: wall.get: 1 item refused, not stored: post [0-9]+ \(item 5\): date -1 is before VK began \(2006\)'
check "bad date: the wall was read past it ($(stored_posts) of $posts)" test "$(stored_posts)" -eq $((posts - 2))
check "bad date: no post dated before 2006" test "$(q "SELECT count(*) FROM post WHERE date < 1136073600")" -eq 0
check "bad date: the walls are not vouched for" test "$(q "SELECT count(*) FROM snapshot WHERE wall_ok")" -eq 0
hostile ""
expect "bad date: clean rerun" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
same_data "bad date: the clean rerun completed the walls" "$tmp/exp.tsv" "$db"

# ---- a post deleted while the wall is paged --------------------------------------------
fresh_db "deleted post"
hostile wall-delete
expect "deleted post: run" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "deleted post: every post read ($(stored_posts) of $posts)" test "$(stored_posts)" -eq "$posts"
hostile ""
expect "deleted post: clean rerun" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
same_data "deleted post: nothing skipped" "$tmp/exp.tsv" "$db"

# ---- stats.get figures no day can have ----------------------------------------------------
# The reference: what a clean first run stores (whole days before today).
days() { sqlite3 "$1" "SELECT c.vk_id, d.day, d.reach, d.reach_subscribers, d.visitors, d.views,
    d.subscribed, d.unsubscribed, d.likes, d.comments, d.copies FROM stat_day d
    JOIN community c ON c.id = d.community_id WHERE d.day < $ANCHOR ORDER BY 1, 2"; }
fresh_db "stats reference"
expect "stats reference: run" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
days "$db" >"$tmp/days.ref"
check "stats reference: days stored ($(wc -l <"$tmp/days.ref"))" test "$(wc -l <"$tmp/days.ref")" -gt 56
for kind in stats-negative stats-huge; do
    fresh_db "$kind"
    hostile $kind
    fake_reset
    expect "$kind: partial run" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
    err_has "$kind: named" 'test_group_[12]: stats.get: day [0-9]+ \(item [01]\): (activity.subscribed = -5000 is negative|visitors.views = [0-9]+ is beyond \[collect\] max_items); the answer is refused'
    check "$kind: asked once per group, not again ($(fake_stat by_method.stats.get))" \
        test "$(fake_stat by_method.stats.get)" -eq 2
    check "$kind: nothing of the answers stored" test "$(q "SELECT count(*) FROM stat_day")" -eq 0
    expect "$kind: status names it" 0 "$VKPULSE" --config "$tmp/c.ini" status
    out_has "$kind: status says value refused" 'stats.get +value refused'
    hostile ""
    expect "$kind: clean rerun" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
    days "$db" >"$tmp/days.got"
    check "$kind: then the figures of a clean run" cmp -s "$tmp/days.ref" "$tmp/days.got"
done
fresh_db "stats-future"
hostile stats-future
expect "stats-future: partial run" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "stats-future: named" 'stats.get: 1 item refused, not stored: day 4102444800 \(item 0\): period_from is in the future'
check "stats-future: no day in the future stored" \
    test "$(q "SELECT count(*) FROM stat_day WHERE day > $(date +%s) + 3600")" -eq 0
check "stats-future: the other days stored" test "$(q "SELECT count(*) FROM stat_day")" -gt 56

# ---- a city directory cut to 500 of 1156 localities ---------------------------------------
hostile ""
expect "directory: sync" 0 "$VKPULSE" --config "$tmp/c.ini" region sync --force
check "directory: 1156 localities" test "$(q "SELECT count(*) FROM city_directory")" -eq 1156
synced=$(q "SELECT synced_at FROM city_directory_sync")
hostile cut-directory
expect "cut directory: refused" 1 "$VKPULSE" --config "$tmp/c.ini" region sync --force
err_has "cut directory: says why and what is kept" \
    "VK counts 1156 localities in region 1004 'Челябинская область', 500 arrived: the directory is refused; the stored directory \(1156 localities of Челябинская область\) is kept"
check "cut directory: the old one kept" test "$(q "SELECT count(*) FROM city_directory")" -eq 1156
check "cut directory: its date kept" test "$(q "SELECT synced_at FROM city_directory_sync")" -eq "$synced"
# Due for a refresh: collect tries, is refused, and tries again the next time.
q "UPDATE city_directory_sync SET synced_at = synced_at - 31 * 86400"
for k in 1 2; do
    fake_reset
    expect "cut directory: collect $k" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
    check "cut directory: collect $k asked for the directory" test "$(fake_stat by_method.database.getCities)" -gt 0
    check "cut directory: collect $k kept the old one" test "$(q "SELECT count(*) FROM city_directory")" -eq 1156
done
hostile ""
# A mistyped region id (Kurgan's): its localities leave the map's municipalities empty.
cp "$tmp/c.ini" "$tmp/c.ini.good"
sed -i '/^municipalities = /a vk_region_id = 1006' "$tmp/c.ini"
expect "wrong region: refused" 2 "$VKPULSE" --config "$tmp/c.ini" region sync --force
err_has "wrong region: names the map and what is kept" \
    "chelyabinsk.ini:[0-9]+: municipality '.*' has no locality in VK's directory of .*the directory is refused; the stored directory \(1156 localities of Челябинская область\) is kept"
check "wrong region: the old directory kept" test "$(q "SELECT count(*) || ' ' || max(s.region_id)
    FROM city_directory, city_directory_sync s")" = "1156 1004"
cp "$tmp/c.ini.good" "$tmp/c.ini"
# One city id in two areas: which one is true cannot be told, so neither is taken.
hostile dup-city
expect "duplicate city: refused" 1 "$VKPULSE" --config "$tmp/c.ini" region sync --force
err_has "duplicate city: named" \
    "database.getCities: city id [0-9]+ of region 1004 is listed twice, as .*Другой район.*: the directory is refused; the stored directory \(1156 localities of Челябинская область\) is kept"
check "duplicate city: the old directory kept" test "$(q "SELECT count(*) FROM city_directory
    WHERE area = 'Другой район'")" -eq 0
hostile ""

# ---- a wall that never ends: refused at its first page, not paged until run_deadline ------
hostile endless-wall
fake_reset
COLLECT_EXTRA="run_deadline = 30" write_config "$tmp/c.ini" 20 # (the code before paged on)
expect "endless wall: partial run" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "endless wall: named" 'test_group_[12]: wall.get: the wall: count = 1000000000000 is beyond \[collect\] max_items; the answer is refused'
check "endless wall: one page per group ($(fake_stat by_method.wall.get))" test "$(fake_stat by_method.wall.get)" -eq 2
hostile ""
write_config "$tmp/c.ini" 20

# ---- a clock 400 days ahead ---------------------------------------------------------------
expect "clock: a normal run" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
open_alerts() { q "SELECT rule, ifnull(community_id, 0) FROM alert WHERE ended_at IS NULL ORDER BY 1, 2"; }
run "$VKPULSE" --config "$tmp/c.ini" alerts --no-send
open_alerts >"$tmp/alerts.before"
runs=$(q "SELECT count(*) FROM run")
latest=$(q "SELECT max(taken_at) FROM snapshot")
expect "clock: 400 days ahead is refused" 1 at $(($(date +%s) + 400 * 86400)) "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "clock: says whose clock and what to do" "the clock of this machine says [0-9-]+ [0-9:]+ UTC, VK's says [0-9-]+ [0-9:]+ UTC: set the clock \(NTP\) and run again; nothing was collected"
check "clock: no run recorded" test "$(q "SELECT count(*) FROM run")" -eq "$runs"
check "clock: nothing dated ahead" test "$(q "SELECT max(taken_at) FROM snapshot")" -eq "$latest"
check "clock: the directory not touched" test "$(q "SELECT max(synced_at) FROM city_directory_sync")" -le "$(date +%s)"
expect "clock: 400 days behind is refused" 1 at $(($(date +%s) - 400 * 86400)) "$VKPULSE" --config "$tmp/c.ini" collect --once
expect "clock: a normal run after" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
run "$VKPULSE" --config "$tmp/c.ini" alerts --no-send
open_alerts >"$tmp/alerts.after"
check "clock: the alerts as they were ($(wc -l <"$tmp/alerts.after") open)" cmp -s "$tmp/alerts.before" "$tmp/alerts.after"
finish
