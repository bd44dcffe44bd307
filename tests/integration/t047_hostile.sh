#!/usr/bin/env bash
# t047_hostile.sh: what a hostile or unlucky server cannot break (issue 16).
#  - A community is its VK id once known: the config's reference may change form
#    (screen name, id, club123), list a group twice, or follow a group that renamed
#    itself on VK, without a second row or a failed run.
#  - Member pages that shift by one member while paging (VK's offset race) record no
#    leave that did not happen; short or repeated pages, which cannot agree with the
#    count, are read once more and then leave the stored membership as it was, in a
#    partial run.
#  - Names with ESC sequences, CR and LF reach no terminal, log line or channel raw:
#    status, the text report, alerts and the stdout channel show them defused.
#  - Counts of 10^12 members and 10^11 likes are refused before anything is queued:
#    the run is partial, says which setting bounds it, and stays small in memory.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
db=$tmp/vk.db
q() { sqlite3 "$db" "$@"; }
T=$NOW
# Two groups of ~2,300 current members: three member pages each.
FAKE_ARGS=(--dataset tiny --members 2500 --posts 4 --time $T)
hostile() { curl -s --max-time 5 -X POST "http://127.0.0.1:$PORT/_fake/hostile?set=$1" >/dev/null; }
open_members() { q "SELECT count(*) FROM membership WHERE left_at IS NULL"; }
leaves() { q "SELECT count(*) FROM membership WHERE left_at IS NOT NULL"; }

start_fake "${FAKE_ARGS[@]}" --rps 100
expected "$tmp/exp.tsv" "${FAKE_ARGS[@]}"
write_config "$tmp/c.ini" 20
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "honest run" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
same_data "honest run" "$tmp/exp.tsv" "$db"
members=$(open_members)
check "members listed ($members)" test "$members" -gt 4000

# ---- a steady list is carried over, not read whole (members_full_hours) ------------
fake_reset
expect "steady rerun" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "steady rerun: the lists are taken as unchanged" 'members \(\+0 -0, list unchanged\)'
check "steady rerun: one request ($(fake_stat requests))" test "$(fake_stat requests)" -eq 1
check "steady rerun: only the first member pages" test "$(fake_stat by_method.groups.getMembers)" -eq 2
same_data "steady rerun" "$tmp/exp.tsv" "$db"
check "steady rerun: vouched for, and marked carried" test "$(q "SELECT count(*) FROM snapshot
    WHERE run_id = (SELECT max(id) FROM run) AND members_ok AND members_carried")" -eq 2
# The whole list is read again once the last whole reading is members_full_hours old.
q "UPDATE snapshot SET taken_at = taken_at - 25 * 3600"
fake_reset
expect "rerun a day later" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "a day later the lists are read whole" test "$(fake_stat by_method.groups.getMembers)" -gt 2
same_data "rerun a day later" "$tmp/exp.tsv" "$db"
# The pages below are read whole every run, so that every page can lie.
COLLECT_EXTRA="members_full_hours = 0" write_config "$tmp/c.ini" 20

# ---- the offset race: pages shift by one while paging ----------------------------
hostile shift
expect "shifted pages" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "shifted pages: no leave recorded ($(leaves))" test "$(leaves)" -eq 0
check "shifted pages: nobody lost" test "$(open_members)" -eq "$members"
check "shifted pages: the list was confirmed" \
    test "$(q "SELECT members_ok FROM snapshot WHERE run_id = (SELECT max(id) FROM run)
        ORDER BY community_id LIMIT 1")" -eq 1

# ---- short and repeated pages: not confirmed, membership kept ---------------------
for kind in short-pages dup-pages; do
    hostile $kind
    expect "$kind: partial run" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
    err_has "$kind: says the list is not confirmed" 'member list not confirmed: [0-9]+ people listed, VK counts [0-9]+ twice'
    check "$kind: no leave recorded ($(leaves))" test "$(leaves)" -eq 0
    check "$kind: membership kept" test "$(open_members)" -eq "$members"
    run_id=$(q "SELECT max(id) FROM run")
    check "$kind: no member list vouched for" \
        test "$(q "SELECT count(*) FROM snapshot WHERE run_id = $run_id AND members_ok")" -eq 0
    check "$kind: run partial" test "$(q "SELECT status FROM run WHERE id = $run_id")" = partial
    check "$kind: stage empty" test "$(q "SELECT count(*) FROM member_stage")" -eq 0
done

# ---- counts of 10^12 members and 10^11 likes -------------------------------------
hostile huge-count
COLLECT_EXTRA="refresh_days = 3650
members_full_hours = 0" write_config "$tmp/c.ini" 20
q "UPDATE post SET synced_likes = NULL" # every post's likers are read again
run /usr/bin/time -v "$VKPULSE" --config "$tmp/c.ini" collect --once
check "huge counts: partial run (exit $rc)" test "$rc" -eq 4
err_has "huge counts: members refused" 'groups.getMembers: count 1000000000000 is beyond \[collect\] max_members = 20000000'
err_has "huge counts: likes refused" 'likes.getList: count 100000000000 is beyond \[collect\] max_items = 10000000'
check "huge counts: no doubled prefix in messages" sh -c "! grep -Eq '(groups.getMembers|likes.getList): \\1' '$tmp/err'"
check "huge counts: the run says it once" test "$(q "SELECT message FROM run ORDER BY id DESC LIMIT 1" |
    grep -oE 'groups.getMembers|likes.getList' | wc -l)" -eq 1
rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/err")
echo "huge counts: peak RSS ${rss} KiB"
# (under valgrind the figure is valgrind's own)
[ "${VKP_VALGRIND:-0}" = 1 ] || check "huge counts: peak RSS ${rss} KiB < 64 MiB" test "$rss" -lt 65536
check "huge counts: membership kept" test "$(open_members)" -eq "$members"
err_has "huge counts: members_count not stored" 'groups.getById: members_count 1000000000000 is beyond \[collect\] max_members'
check "huge counts: subscribers unknown, not 10^12" test "$(q "SELECT count(*) FROM snapshot
    WHERE run_id = (SELECT max(id) FROM run) AND members_count IS NOT NULL")" -eq 0
check "huge counts: no leave" test "$(leaves)" -eq 0
hostile ""
expect "honest again" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
same_data "honest again" "$tmp/exp.tsv" "$db"

# ---- one group, however the config names it --------------------------------------
ids=$(q "SELECT group_concat(vk_id) FROM community ORDER BY id")
for form in "200000001 test_group_2" "club200000001 200000002" "test_group_1 club200000002" \
    "test_group_1 200000001 test_group_2"; do
    # shellcheck disable=SC2086
    write_config "$tmp/c.ini" 20 $form
    if [ "$(echo $form | wc -w)" -eq 3 ]; then
        expect "config [$form]: init" 0 "$VKPULSE" --config "$tmp/c.ini" init
        expect "config [$form]: collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
        err_has "config [$form]: the group listed twice is collected once" "the same VK group as 'test_group_1'"
    else
        expect "config [$form]: init" 0 "$VKPULSE" --config "$tmp/c.ini" init
        expect "config [$form]: collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
    fi
    check "config [$form]: still two communities" test "$(q "SELECT count(*) FROM community")" -eq 2
    check "config [$form]: same ids" test "$(q "SELECT group_concat(vk_id) FROM community ORDER BY id")" = "$ids"
    same_data "config [$form]" "$tmp/exp.tsv" "$db"
done
# A fresh database that meets a group under two names at once keeps one row.
rm -f "$db"*
write_config "$tmp/c.ini" 20 test_group_1 200000001 test_group_2
expect "fresh, listed twice: init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "fresh, listed twice: collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "fresh, listed twice: two communities" test "$(q "SELECT count(*) FROM community")" -eq 2
same_data "fresh, listed twice" "$tmp/exp.tsv" "$db"
expect "fresh, listed twice: rerun" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once

# The group renames its screen name on VK: the old name goes on working (it is asked for
# by id); the new name in the config is the same community.
hostile renamed
# What VK now shows: the same data under the new screen names.
sed -E 's/^(group\t[0-9]+\t[a-z_0-9]+)/\1_v2/' "$tmp/exp.tsv" >"$tmp/exp_v2.tsv"
write_config "$tmp/c.ini" 20
expect "renamed on VK, old name in the config" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "renamed: screen name followed" \
    test "$(q "SELECT screen_name FROM community WHERE vk_id = 200000001")" = test_group_1_v2
write_config "$tmp/c.ini" 20 test_group_1_v2 test_group_2_v2
expect "renamed: new name in the config: init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "renamed: new name in the config: collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "renamed: still two communities" test "$(q "SELECT count(*) FROM community")" -eq 2
check "renamed: the rows took the new names" \
    test "$(q "SELECT group_concat(ref) FROM community ORDER BY id")" = "test_group_1_v2,test_group_2_v2"
same_data "renamed" "$tmp/exp_v2.tsv" "$db"
# A database that last saw the old name while the config already has the new one: a
# new row is made by init, and the first run folds it into the group's history.
q "UPDATE community SET screen_name = 'test_group_1', ref = 'test_group_1' WHERE vk_id = 200000001"
expect "renamed before the run saw it: init" 0 "$VKPULSE" --config "$tmp/c.ini" init
check "renamed before the run saw it: a row waits" test "$(q "SELECT count(*) FROM community")" -eq 3
expect "renamed before the run saw it: collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "renamed before the run saw it: merged" test "$(q "SELECT count(*) FROM community")" -eq 2
check "renamed before the run saw it: active" \
    test "$(q "SELECT ref || active FROM community WHERE vk_id = 200000001")" = test_group_1_v21
same_data "renamed before the run saw it" "$tmp/exp_v2.tsv" "$db"

# ---- terminal injection: control characters in every name --------------------------
hostile control
write_config "$tmp/c.ini" 20
printf '[alerts]\nno_posts_days = 1\n[channel]\ntype = stdout\n' >>"$tmp/c.ini"
expect "control characters: collect" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
check "control characters: none stored" test "$(q "SELECT (SELECT count(*) FROM community
    WHERE name GLOB '*['||char(1)||'-'||char(31)||']*') + (SELECT count(*) FROM user
    WHERE city_title GLOB '*['||char(1)||'-'||char(31)||']*')")" -eq 0
# clean NAME: the last command's stdout and stderr hold no control character but the
# newline (no ESC, CR, BEL) and no line forged by a name.
clean() {
    check "$1: no control characters" sh -c "! tr -d '\n' <'$tmp/out' | LC_ALL=C grep -q '[[:cntrl:]]' &&
        ! tr -d '\n' <'$tmp/err' | LC_ALL=C grep -q '[[:cntrl:]]'"
    check "$1: no forged line" sh -c "! grep -q '^vkpulse: run #99' '$tmp/out' '$tmp/err'"
}
expect "control characters: status" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "control characters: status shows the defused name" '\?\[2J\?\]0;pwned\?'
clean "status"
expect "control characters: text report" 0 "$VKPULSE" --config "$tmp/c.ini" report --week 2026-W47
out_has "control characters: the report names the group" 'pwned'
clean "text report"
expect "control characters: alerts" 3 "$VKPULSE" --config "$tmp/c.ini" alerts
out_has "control characters: the stdout channel delivered" 'pwned'
clean "alerts and the stdout channel"
finish
