#!/usr/bin/env bash
# t096_digest.sh: what the weekly digest carries and where the report goes. `collect
# --watch` writes the weekly report into [service] report_dir shared with report_group
# (folder 0750, files 0640, that group), mails the digest with the HTML report attached
# (MIME multipart, to the SMTP sink) and posts it to a chat webhook with a link under
# [service] report_url. `alerts --test` says ok or failed per channel and exits 1 when
# any failed.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
ANCHOR=1795392000
GROUPS_="rmo_neuspeshnost sps_shkoly_lidery"
WEBHOOK="$VKP_BUILD/tests/receivers/webhook_rx"
SMTP="$VKP_BUILD/tests/receivers/smtp_sink"

# The report group: one the test user belongs to (root may use any).
GROUP=$(id -gn)

"$WEBHOOK" --port 0 --port-file "$tmp/wport" --out "$tmp/hooks.txt" 2>/dev/null &
RX_PID=$!
"$SMTP" --port 0 --port-file "$tmp/sport" --out "$tmp/mail.txt" 2>/dev/null &
SM_PID=$!
trap 'kill $RX_PID $SM_PID 2>/dev/null; cleanup' EXIT
wait_until "the webhook receiver listening" "$RX_PID" test -s "$tmp/wport"
wait_until "the mail sink listening" "$SM_PID" test -s "$tmp/sport"
WPORT=$(cat "$tmp/wport")
SPORT=$(cat "$tmp/sport")

start_fake --dataset demo --rps 100 --time $((ANCHOR - 7 * 86400 + 3600))
# shellcheck disable=SC2086
write_config "$tmp/w.ini" 20 $GROUPS_
# The service's schedule, the shared report folder, a mail and a chat channel.
{
    printf '[collect]\ninterval = 86400\n'
    printf '[service]\nreport_weekday = mon\nreport_hour = 5\nreport_dir = %s\nreport_group = %s\n' \
        "$tmp/reports" "$GROUP"
    printf '[channel]\ntype = email\nsmtp_url = smtp://127.0.0.1:%s\nlang = en\n' "$SPORT"
    printf 'from = vkpulse@example.org\nto = moderator@example.org\n'
    printf '[channel]\ntype = webhook\nformat = slack\nlang = en\nurl = http://127.0.0.1:%s/hook/t096SECRET\n' "$WPORT"
} >>"$tmp/w.ini"
cp "$tmp/w.ini" "$tmp/nourl.ini"
sed -i "s|^report_group = .*|&\nreport_url = https://reports.example.org/vkpulse|" "$tmp/w.ini"

# ---- alerts --test -----------------------------------------------------------------------
expect "test message to each channel" 0 "$VKPULSE" --config "$tmp/w.ini" alerts --test
out_has "the mail channel is ok" '^channel 1 \(email, line [0-9]+\): ok$'
out_has "the webhook channel is ok" '^channel 2 \(webhook, line [0-9]+\): ok$'
check "the sink got the test mail" grep -q "This channel works" "$tmp/mail.txt"
check "the webhook got the test message" grep -q 'This channel works' "$tmp/hooks.txt"
check "a test needs no database" test ! -e "$tmp/vk.db"
cp "$tmp/w.ini" "$tmp/bad.ini"
printf '[channel]\ntype = webhook\nurl = http://127.0.0.1:1/closed\n' >>"$tmp/bad.ini"
expect "a failing channel fails the test" 1 "$VKPULSE" --config "$tmp/bad.ini" alerts --test
out_has "the others still say ok" '^channel 2 \(webhook, line [0-9]+\): ok$'
out_has "the closed port says failed" '^channel 3 \(webhook, line [0-9]+\): failed: '
err_has "and the count" '1 of 3 channel\(s\) failed the test'
expect "--test with --no-send is a usage error" 2 "$VKPULSE" --config "$tmp/w.ini" alerts --test --no-send
: >"$tmp/hooks.txt"
: >"$tmp/mail.txt"

# ---- the weekly digest -------------------------------------------------------------------
expect "init" 0 "$VKPULSE" --config "$tmp/w.ini" init
expect "a week before" 0 at $((ANCHOR - 7 * 86400 + 3600)) "$VKPULSE" --config "$tmp/w.ini" collect --once --quiet
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR + 3600))" >/dev/null
# A umask that would let others read: the report files must not follow it.
(umask 022; LD_PRELOAD=$FTLIB FAKETIME=$(printf '%+d' $((ANCHOR + 3600 - $(real_now)))) \
    exec "$VKPULSE" --config "$tmp/w.ini" collect --watch --quiet >"$tmp/w.out" 2>"$tmp/w.err") &
W_PID=$!
# The watch delivers beside its sleep and says "deliveries: N sent" when the digest is out.
wait_until "the digest delivered" "$W_PID" grep -qs "deliveries: " "$tmp/w.err"
kill -TERM $W_PID
wait_exit "the watch ends on SIGTERM" "$W_PID"
wrc=$rc
check "watch stops cleanly ($wrc: $(tail -3 "$tmp/w.err"))" test "$wrc" -eq 0
R=$tmp/reports
check "the report folder is 0750" test "$(stat -c %a "$R")" = 750
check "the report folder has the group" test "$(stat -c %G "$R")" = "$GROUP"
for f in "$R/vkpulse-2026-W47.html" "$R/vkpulse-2026-W47.csv"; do
    check "$(basename "$f") is 0640" test "$(stat -c %a "$f")" = 640
    check "$(basename "$f") has the group" test "$(stat -c %G "$f")" = "$GROUP"
done

# The mail: multipart, the text first, then the report, whole.
check "the digest mail is multipart" grep -q '^Content-Type: multipart/mixed; boundary=' "$tmp/mail.txt"
check "it attaches the report" grep -q 'Content-Disposition: attachment; filename="vkpulse-2026-W47.html"' "$tmp/mail.txt"
python3 - "$tmp/mail.txt" "$R/vkpulse-2026-W47.html" <<'PY' || fail "the attachment is not the report"
import email, email.policy, sys
raw = open(sys.argv[1], 'rb').read()
# the sink appends messages; the digest is the one with an attachment
start = raw.rfind(b'Date: ')
msg = email.message_from_bytes(raw[start:], policy=email.policy.default)
parts = list(msg.iter_parts())
assert len(parts) == 2, len(parts)
assert parts[0].get_content_type() == 'text/plain'
assert 'Week 2026-W47' in parts[0].get_content(), parts[0].get_content()
assert parts[1].get_content_type() == 'text/html'
assert parts[1].get_payload(decode=True) == open(sys.argv[2], 'rb').read()
PY
ok
# The chat message: a link, not a server path.
check "the webhook links the report" grep -q 'Report: https://reports.example.org/vkpulse/vkpulse-2026-W47.html' "$tmp/hooks.txt"
check "the webhook does not name the server's folder" sh -c "! grep -q '$R' '$tmp/hooks.txt'"
check "the secret URL is not logged" sh -c "! grep -q t096SECRET '$tmp/w.err' '$tmp/w.out'"

# Without report_url the chat message names the files (nothing is published).
rm -rf "$tmp"/vk.db* "$R" "$tmp/w.err"
: >"$tmp/hooks.txt"
expect "init without report_url" 0 "$VKPULSE" --config "$tmp/nourl.ini" init
# The server's clock with vkpulse's: a run on a clock VK disagrees with is refused.
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR - 7 * 86400 + 3600))" >/dev/null
expect "a week before, again" 0 at $((ANCHOR - 7 * 86400 + 3600)) "$VKPULSE" --config "$tmp/nourl.ini" collect --once --quiet
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR + 3600))" >/dev/null
(LD_PRELOAD=$FTLIB FAKETIME=$(printf '%+d' $((ANCHOR + 3600 - $(real_now)))) \
    exec "$VKPULSE" --config "$tmp/nourl.ini" collect --watch --quiet >"$tmp/w.out" 2>"$tmp/w.err") &
W_PID=$!
wait_until "the digest delivered" "$W_PID" grep -qs "deliveries: " "$tmp/w.err"
kill -TERM $W_PID
wait_exit "the watch ends on SIGTERM" "$W_PID"
check "without report_url the files are named" grep -q "Report: $R/vkpulse-2026-W47.html" "$tmp/hooks.txt"

# A group that does not exist is a config error at its line.
sed "s|^report_group = .*|report_group = no_such_group_t096|" "$tmp/nourl.ini" >"$tmp/g.ini"
expect "unknown report_group" 2 "$VKPULSE" --config "$tmp/g.ini" status
err_has "names file:line" "g.ini:[0-9]+: report_group: no such group 'no_such_group_t096'"
finish
