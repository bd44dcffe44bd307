#!/usr/bin/env bash
# t070_alerts.sh: `vkpulse alerts` and `collect --watch` against the fake VK server's demo
# region, a week of collection apart (faketime moves vkpulse's clock, /_fake/time the
# server's): the community that went quiet and the one that lost members are alerted,
# announced once to a webhook receiver; exit codes 0/3/1/2; a rejected token is an alert;
# the service evaluates after each run and sends the weekly digest.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
ANCHOR=1795392000
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"
WEBHOOK="$VKP_BUILD/tests/receivers/webhook_rx"

hooks() {
    [ -f "$tmp/hooks.txt" ] && grep -c . "$tmp/hooks.txt" || echo 0
}

"$WEBHOOK" --port 0 --port-file "$tmp/wport" --out "$tmp/hooks.txt" 2>/dev/null &
RX_PID=$!
trap 'kill $RX_PID 2>/dev/null; cleanup' EXIT
wait_until "the webhook receiver listening" "$RX_PID" test -s "$tmp/wport"
WPORT=$(cat "$tmp/wport")

start_fake --dataset demo --rps 100 --time $((ANCHOR - 7 * 86400 + 3600))
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 20 $DEMO_GROUPS
cat >>"$tmp/c.ini" <<INI
[channel]
type = webhook
url = http://127.0.0.1:$WPORT/hook/t070SECRET
lang = en
INI
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "no run yet: nothing to alert" 0 "$VKPULSE" --config "$tmp/c.ini" alerts
out_has "says so" 'активных тревог нет'
expect "bad format" 2 "$VKPULSE" --config "$tmp/c.ini" alerts --format xml

expect "week 1" 0 at $((ANCHOR - 7 * 86400 + 3600)) "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR + 3600))" >/dev/null
expect "week 2" 0 at $((ANCHOR + 3600)) "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet

expect "alerts: active" 3 at $((ANCHOR + 3700)) "$VKPULSE" --config "$tmp/c.ini" alerts
out_has "members drop of rmo_neuspeshnost" 'НОВАЯ +members_drop +«Профилактика школьной неуспешности обучающихся»: подписчиков стало меньше на 1[12],[0-9] %'
out_has "quiet sps_shkoly_lidery" 'НОВАЯ +no_posts +«Использование потенциала школ-лидеров в повышении качества образования»: нет новых публикаций 3[5-7] дн'
n=$(hooks)
check "each new alert went to the webhook once ($n)" test "$n" -eq "$(grep -c 'НОВАЯ' "$tmp/out")"
check "webhook payload names the rule" grep -q '"rule":"members_drop"' "$tmp/hooks.txt"
check "webhook payload is in the channel's language" grep -q 'subscribers down 1[12]\.[0-9]% in a week' "$tmp/hooks.txt"

for i in 1 2 3; do
    expect "alerts again ($i)" 3 at $((ANCHOR + 3800 + i)) "$VKPULSE" --config "$tmp/c.ini" alerts --format json
done
check "announced once: no new deliveries ($(hooks))" test "$(hooks)" -eq "$n"
sqlite3 :memory: "SELECT 1" >/dev/null
cp "$tmp/out" "$tmp/alerts.json"
check "json: active count" test "$(sqlite3 :memory: "SELECT json_extract(readfile('$tmp/alerts.json'), '\$.active')")" -ge 2
check "json: state active" test "$(sqlite3 :memory: "SELECT json_extract(readfile('$tmp/alerts.json'), '\$.alerts[0].state')")" = active
check "one open alert per condition" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM alert WHERE rule = 'no_posts'")" -eq 1
check "the secret URL is not logged" sh -c "! grep -q t070SECRET '$tmp/err'"

# ---- a reading command does not apply the config: a group missing from it is not "ended" ----
# shellcheck disable=SC2086
write_config "$tmp/less.ini" 20 $(echo $DEMO_GROUPS | sed 's/rmo_neuspeshnost//')
active_before=$(sqlite3 "$tmp/vk.db" "SELECT group_concat(active) FROM community ORDER BY id")
expect "alerts with a config lacking a group" 3 at $((ANCHOR + 3900)) "$VKPULSE" --config "$tmp/less.ini" alerts --no-send
check "its alert is not announced as ended" sh -c "! grep -q 'СНЯТА' '$tmp/out'"
out_has "its alert is still active" 'members_drop +«Профилактика школьной неуспешности обучающихся»'
check "the database still has it configured" test "$(sqlite3 "$tmp/vk.db" "SELECT group_concat(active) FROM community ORDER BY id")" = "$active_before"
check "no alert ended" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM alert WHERE ended_at IS NOT NULL")" -eq 0

# ---- the receiver goes down: kept, sent once it is back -----------------------------------
kill $RX_PID && wait $RX_PID 2>/dev/null || true
sqlite3 "$tmp/vk.db" "UPDATE snapshot SET members_count = members_count - 500 WHERE community_id = 1 AND run_id = 2"
expect "alerts while the receiver is down" 3 at $((ANCHOR + 4000)) "$VKPULSE" --config "$tmp/c.ini" alerts
err_has "the failure names the channel, not its URL" 'channel 1 \(webhook\): delivery of message [0-9]+ failed'
check "the secret URL is not logged" sh -c "! grep -q t070SECRET '$tmp/err'"
out_has "the undelivered message is shown" 'очередь: не доставлено сообщений: 1'
"$WEBHOOK" --port "$WPORT" --port-file "$tmp/wport2" --out "$tmp/hooks.txt" 2>/dev/null &
RX_PID=$!
wait_until "the webhook receiver listening again" "$RX_PID" test -s "$tmp/wport2"
expect "too early for the retry" 3 at $((ANCHOR + 4010)) "$VKPULSE" --config "$tmp/c.ini" alerts
check "not retried before its time" test "$(hooks)" -eq "$n"
expect "retried later" 3 at $((ANCHOR + 4100)) "$VKPULSE" --config "$tmp/c.ini" alerts
check "delivered once it is back" test "$(hooks)" -eq $((n + 1))
check "the new one is rmo_slozhny_kontingent's drop" sh -c "tail -1 '$tmp/hooks.txt' | grep -q rmo_slozhny_kontingent"
expect "and never again" 3 at $((ANCHOR + 90000)) "$VKPULSE" --config "$tmp/c.ini" alerts
check "never duplicated" test "$(hooks)" -eq $((n + 1))

# ---- a rejected token ----------------------------------------------------------------------
VKPULSE_TOKEN=revoked expect "collect with a rejected token" 1 at $((ANCHOR + 7200)) "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
expect "token alert" 3 at $((ANCHOR + 7300)) "$VKPULSE" --config "$tmp/c.ini" alerts --format json
check "token_rejected is active" grep -q '"rule":	"token_rejected"' "$tmp/out"
expect "collect again with the good token" 0 at $((ANCHOR + 7400)) "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
expect "token alert over" 3 at $((ANCHOR + 7500)) "$VKPULSE" --config "$tmp/c.ini" alerts
out_has "token alert ended" 'СНЯТА +token_rejected'
check "its end was announced" grep -q '"event":"end".*"rule":"token_rejected"' "$tmp/hooks.txt"

# ---- all rules off: exit 0; a broken database: exit 1 ---------------------------------------
cp "$tmp/c.ini" "$tmp/off.ini"
printf '[alerts]\nno_posts_days = 0\nno_reactions_days = 0\nmembers_drop_percent = 0\nengagement_factor = 0\nstale_hours = 0\nfailed_runs = 0\ntoken_rejected = no\n' >>"$tmp/off.ini"
expect "no active alerts" 0 at $((ANCHOR + 7600)) "$VKPULSE" --config "$tmp/off.ini" alerts --no-send
out_has "all ended" 'СНЯТА'
expect "missing database" 1 "$VKPULSE" --config "$tmp/c.ini" --db "$tmp/none.db" alerts

# ---- the service: alerts after each run, the weekly digest ----------------------------------
kill $RX_PID && wait $RX_PID 2>/dev/null || true
rm -f "$tmp"/vk.db* "$tmp/hooks.txt" "$tmp/wport"
"$WEBHOOK" --port "$WPORT" --port-file "$tmp/wport" --out "$tmp/hooks.txt" 2>/dev/null &
RX_PID=$!
wait_until "the webhook receiver listening for the service" "$RX_PID" test -s "$tmp/wport"
write_config "$tmp/w.ini" 20 $DEMO_GROUPS
sed -i 's/^\[collect\]$/[collect]\ninterval = 86400/' "$tmp/w.ini"
cat >>"$tmp/w.ini" <<INI
[service]
report_weekday = mon
report_hour = 5
report_dir = $tmp/reports
[channel]
type = webhook
url = http://127.0.0.1:$WPORT/hook/t070SECRET
[channel]
type = stdout
lang = en
INI
expect "service init" 0 "$VKPULSE" --config "$tmp/w.ini" init
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR - 7 * 86400 + 3600))" >/dev/null
expect "service: a week before" 0 at $((ANCHOR - 7 * 86400 + 3600)) "$VKPULSE" --config "$tmp/w.ini" collect --once --quiet
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR + 3600))" >/dev/null
# 2026-11-23 01:00 UTC is Monday 06:00 in Asia/Yekaterinburg: past report_hour 5.
LD_PRELOAD=$FTLIB FAKETIME=$(printf '%+d' $((ANCHOR + 3600 - $(real_now)))) \
    "$VKPULSE" --config "$tmp/w.ini" collect --watch --quiet >"$tmp/w.out" 2>"$tmp/w.err" &
W_PID=$!
# The watch delivers beside its sleep and says "deliveries: N sent" when the alerts and the digest are out.
wait_until "the alerts and digest delivered" "$W_PID" grep -qs "deliveries: " "$tmp/w.err"
kill -TERM $W_PID
set +e
wait $W_PID
wrc=$?
set -e
check "watch stops cleanly on SIGTERM ($wrc: $(tail -3 "$tmp/w.err"))" test "$wrc" -eq 0
check "watch evaluated alerts after the run" grep -q 'alert no_posts:' "$tmp/w.err"
check "watch delivered them" grep -q '"rule":"no_posts"' "$tmp/hooks.txt"
check "stdout channel wrote them" grep -q 'vkpulse: no new posts: «Использование' "$tmp/w.out"
check "weekly digest sent" grep -q '"event":"digest".*"week":"2026-W47"' "$tmp/hooks.txt"
check "weekly report written as HTML" test -s "$tmp/reports/vkpulse-2026-W47.html"
check "weekly report written as CSV" test -s "$tmp/reports/vkpulse-2026-W47.csv"
check "the report files are private" test "$(stat -c %a "$tmp/reports/vkpulse-2026-W47.html")" = 600
check "the digest names the files" grep -q 'vkpulse-2026-W47.html' "$tmp/hooks.txt"
check "digest recorded once" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM digest")" -eq 1
check "the secret URL is not logged" sh -c "! grep -q t070SECRET '$tmp/w.err' '$tmp/w.out'"

# ---- the digest says what the report says: every figure, built apart on the same database ---
grep -m1 '"event":"digest"' "$tmp/hooks.txt" >"$tmp/digest.json"
expect "the report of the digest's week" 0 at $((ANCHOR + 3700)) "$VKPULSE" --config "$tmp/w.ini" report --week 2026-W47 --format json
cp "$tmp/out" "$tmp/report.json"
cat >"$tmp/cmp.sql" <<SQL
WITH d AS (SELECT json_extract(value, '\$.ref') ref, json_extract(value, '\$.members') members,
    json_extract(value, '\$.members_change') diff, json_extract(value, '\$.posts') posts,
    json_extract(value, '\$.interactions') inter, json_extract(value, '\$.active_people') active
  FROM json_each(readfile('$tmp/digest.json'), '\$.communities')),
 r AS (SELECT json_extract(value, '\$.ref') ref, json_extract(value, '\$.weeks[#-1].figures') f
  FROM json_each(readfile('$tmp/report.json'), '\$.communities')),
 rr AS (SELECT ref, json_extract(f, '\$.subscribers_end.value') members,
    json_extract(f, '\$.net_change.value') diff, json_extract(f, '\$.posts.value') posts,
    json_extract(f, '\$.likes.value') + json_extract(f, '\$.comments.value')
      + json_extract(f, '\$.reposts.value') inter, json_extract(f, '\$.active_people.value') active
  FROM r)
SELECT count(*), ifnull(sum(d.members IS NOT rr.members OR d.diff IS NOT rr.diff
    OR d.posts IS NOT rr.posts OR d.inter IS NOT rr.inter OR d.active IS NOT rr.active), -1),
  ifnull(sum(d.members IS NOT NULL), 0), ifnull(sum(d.inter IS NOT NULL), 0)
FROM d JOIN rr ON rr.ref = d.ref;
SQL
cmp=$(sqlite3 :memory: <"$tmp/cmp.sql")
check "the digest and the report agree on every figure (rows|differing|members|interactions: $cmp)" \
    test "$(echo "$cmp" | cut -d'|' -f1,2)" = "5|0"
check "the figures compared are known ones ($cmp)" test "$(echo "$cmp" | cut -d'|' -f3)" -eq 5
finish
