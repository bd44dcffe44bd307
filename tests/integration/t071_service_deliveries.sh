#!/usr/bin/env bash
# t071_service_deliveries.sh: the service's deliveries never hold up its loop. With a
# webhook receiver that takes the message and never answers (its channel may wait 300 s),
# `collect --watch` still ends at once on SIGTERM: it abandons that delivery, keeps the
# message in the outbox for the next start, and logs that it stops.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
ANCHOR=1795392000
DEMO_GROUPS="rmo_neuspeshnost sps_shkoly_lidery"
WEBHOOK="$VKP_BUILD/tests/receivers/webhook_rx"

"$WEBHOOK" --port 0 --port-file "$tmp/wport" --out "$tmp/hooks.txt" 2>/dev/null &
RX_PID=$!
trap 'kill $RX_PID 2>/dev/null; cleanup' EXIT
wait_until "the webhook receiver listening" "$RX_PID" test -s "$tmp/wport"
WPORT=$(cat "$tmp/wport")
# The receiver holds every POST from now on: recorded as "held", never answered.
curl -s -X POST "http://127.0.0.1:$WPORT/_rx/status?code=0" >/dev/null

start_fake --dataset demo --rps 100 --time $((ANCHOR + 3600))
# shellcheck disable=SC2086
COLLECT_EXTRA="interval = 3600" write_config "$tmp/c.ini" 20 $DEMO_GROUPS
cat >>"$tmp/c.ini" <<INI
[service]
report_weekday = off
[channel]
type = webhook
url = http://127.0.0.1:$WPORT/hook/t071SECRET
timeout = 300
INI
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init

LD_PRELOAD=$FTLIB FAKETIME=$(printf '%+d' $((ANCHOR + 3600 - $(real_now)))) \
    "$VKPULSE" --config "$tmp/c.ini" collect --watch --quiet >"$tmp/w.out" 2>"$tmp/w.err" &
W_PID=$!
# The handshake: the receiver got the first announcement and holds it.
wait_until "the receiver holding the first delivery" "$W_PID" grep -qs '^held$' "$tmp/hooks.txt"
check "the receiver holds a delivery" grep -q '^held$' "$tmp/hooks.txt"
check "the run was recorded before" grep -q 'run #1 ok' "$tmp/w.err"
t0=$(date +%s%N)
kill -TERM $W_PID
set +e
wait $W_PID
wrc=$?
set -e
ms=$((($(date +%s%N) - t0) / 1000000))
check "SIGTERM: exit 0 ($wrc: $(tail -3 "$tmp/w.err"))" test "$wrc" -eq 0
check "SIGTERM: ends long before the channel's 300 s (${ms} ms)" test "$ms" -lt 60000
check "the held delivery is abandoned" grep -q 'abandoning the delivery under way' "$tmp/w.err"
check "the service says it stops" grep -q 'the service stops after 1 run(s): a signal' "$tmp/w.err"
pending=$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM outbox WHERE delivered_at IS NULL")
check "the messages stay in the outbox ($pending)" test "$pending" -ge 1
check "the secret URL is not logged" sh -c "! grep -q t071SECRET '$tmp/w.err' '$tmp/w.out'"
check "integrity" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok
finish
