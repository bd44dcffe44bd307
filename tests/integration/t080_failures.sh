#!/usr/bin/env bash
# t080_failures.sh: failures are loud and precise (issue 13): an unreachable API
# fails the run (exit 1) with a message, and the `failing` alert reports it; a
# misspelt group is named with its file:line by init (non-zero exit) and by
# collect, while the other groups are still collected with their member counts,
# and the unknown_group alert names it;
# status shows the last run's errors by group and method, and times with a zone.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

# ---- a closed port: failed, exit 1, and the alert says so ---------------------------
start_fake --dataset tiny --rps 100 --time $NOW
closed=$PORT
stop_fake # nothing listens there any more
PORT=$closed write_config "$tmp/c.ini" 20
printf '[alerts]\nfailed_runs = 1\n' >>"$tmp/c.ini"
expect "init without VK" 0 "$VKPULSE" --config "$tmp/c.ini" init
err_has "init says the groups were not checked" 'groups were not checked against VK'
expect "collect on a closed port fails" 1 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "the run is failed, not partial" 'run #1 failed'
err_has "the message names the API and what to check" "cannot reach the VK API at http://127.0.0.1:$closed/method.*api_url"
check "the run row is failed" test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run WHERE id = 1")" = failed
run "$VKPULSE" --config "$tmp/c.ini" alerts
check "alerts exits 3 (active alerts) after the failed run, not $rc" test "$rc" -eq 3
out_has "the failing rule fires" ' failing +'
expect "status after the failed run" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "status shows why by method" 'groups.getById +network'
out_has "status says why the run failed" 'why failed: cannot reach the VK API'
rm -f "$tmp"/vk.db*

# ---- a misspelt group among good ones ---------------------------------------------------
start_fake --dataset tiny --rps 100 --time $NOW
write_config "$tmp/c.ini" 20 test_group_1 test_grup_2 test_group_2
bad_line=$(grep -n '^group = test_grup_2$' "$tmp/c.ini" | cut -d: -f1)
expect "init with a misspelt group exits 2" 2 "$VKPULSE" --config "$tmp/c.ini" init
err_has "init names the bad group with file:line" "$tmp/c.ini:$bad_line: group 'test_grup_2': VK does not know this group"
check "init names only the bad group" test "$(grep -c "VK does not know" "$tmp/err")" -eq 1
fake_reset
expect "collect with a misspelt group is partial" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "collect names the bad group with file:line" "$tmp/c.ini:$bad_line: group 'test_grup_2' is not known to VK"
check "the good groups have their member counts" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*)
    FROM snapshot s JOIN community c ON c.id = s.community_id
    WHERE c.ref IN ('test_group_1', 'test_group_2') AND s.members_count > 0 AND s.members_ok")" -eq 2
check "the good groups were collected whole" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*)
    FROM snapshot s JOIN community c ON c.id = s.community_id
    WHERE c.ref IN ('test_group_1', 'test_group_2') AND s.wall_ok AND s.details_ok")" -eq 2
check "groups.getById was asked alone for each group after the refusal" \
    test "$(fake_stat by_method.groups.getById)" -eq 4
expect "status" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "status: the run is partial" 'last run #1: partial'
out_has "status names the bad group and the method" 'test_grup_2 +groups.getById +VK error 100'
out_has "status says why" "why partial: .*test_grup_2"
out_has "status times carry their zone" 'started [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} \+05'
run "$VKPULSE" --config "$tmp/c.ini" alerts --no-send
check "alerts exits 3 (an active alert) after the misspelt group, not $rc" test "$rc" -eq 3
out_has "the unknown_group alert names the misspelt group" '«test_grup_2»: VK не знает такую группу'
check "only the misspelt group is alerted as unknown" test "$(grep -c 'VK не знает такую группу' "$tmp/out")" -eq 1
stop_fake
finish
