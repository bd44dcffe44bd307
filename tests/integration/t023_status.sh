#!/usr/bin/env bash
# t023_status.sh: `vkpulse status` (text and --format json against docs/status.schema.json)
# says whether a collector runs on the database (its pid; when a --watch collector runs
# next), each community's data, the last run, the outbox and the alerts in force. The run
# is held in its middle (the fake server stopped) while status looks: no timing.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
PY=/usr/bin/python3 # Debian's interpreter, where python3-jsonschema is installed

# js KEY: a key of the last status --format json ($tmp/out).
js() {
    sqlite3 :memory: "SELECT ifnull(json_extract(readfile('$tmp/out'), '\$.$1'), 'null')"
}
status_json() {
    expect "status --format json ($1)" 0 "$VKPULSE" --config "$tmp/c.ini" status --format json
    cp "$tmp/out" "$tmp/status_$2.json"
    expect "status json validates ($1)" 0 "$PY" "$VKP_SRC/tests/integration/validate_json.py" \
        "$VKP_SRC/docs/status.schema.json" "$tmp/status_$2.json"
    cp "$tmp/status_$2.json" "$tmp/out"
}

start_fake --dataset demo --groups 1 --rps 20 --time $NOW
write_config "$tmp/c.ini" 20 rmo_slozhny_kontingent
cat >>"$tmp/c.ini" <<INI
[alerts]
failed_runs = 1
[channel]
type = webhook
url = http://127.0.0.1:9/hook
INI
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "bad format" 2 "$VKPULSE" --config "$tmp/c.ini" status --format xml
status_json "fresh" fresh
check "json: the envelope" test "$(js schema)" = vkpulse-status
check "json: no collector" test "$(js collector.running)" = 0
check "json: no run yet" test "$(js last_run)" = null
check "json: the community has no data yet" test "$(js 'communities[0].data')" = never
expect "status text, fresh" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "text: the community has no data yet" 'data: never \(no complete run yet\)'

# ---- a --watch collector, held in its middle ----------------------------------------------
# The fake holds the run at its 4th request and says so: the collector is mid-run.
fake_pause_at 4
"$VKPULSE" --config "$tmp/c.ini" collect --watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
collector=$!
wait_paused "$collector" "the collector mid-run"
status_json "while a run is held" held
check "json: the collector is running" test "$(js collector.running)" = 1
check "json: its pid" test "$(js collector.pid)" = "$collector"
check "json: it is a --watch collector" test "$(js collector.watch)" = 1
check "json: the last run is running" test "$(js last_run.status)" = running
check "json: no next run while one runs" test "$(js collector.next_run_at)" = null
expect "status text while a run is held" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "text: the collector and its pid" "collector: running \\(pid $collector, collect --watch\\)"
fake_resume
# The watch says "next run in" once its run and the work after it are done.
wait_until "the watch idle after its run" "$collector" grep -qs 'next run in' "$tmp/watch.err"
status_json "between runs" between
check "json: the run is over" test "$(js last_run.status)" = ok
check "json: the next run is due an interval after the last began" test "$(js collector.next_run_at)" != null
check "json: the community's data is current" test "$(js 'communities[0].data')" = current
check "json: its members" test "$(js 'communities[0].members_stored')" -gt 0
# The demo token is not an admin of the group: stats.get is refused (VK error 15), which
# the collector records as the group's state. status says so there, not among problems.
check "the run met stats.get's refusal" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM
    run_problem WHERE method = 'stats.get' AND code = 15")" -ge 1
check "json: the community's statistics are refused" test "$(js 'communities[0].statistics')" = refused
check "json: since when" test "$(js 'communities[0].statistics_refused_at')" != null
check "json: the expected refusal is not a problem" test "$(sqlite3 :memory: "SELECT count(*)
    FROM json_each(readfile('$tmp/out'), '\$.last_run.problems') WHERE json_extract(value,
    '\$.method') = 'stats.get'")" -eq 0
expect "status text between runs" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "text: the statistics' state under the community" 'statistics: not an admin \(stats\.get refused'
check "text: current data needs no word" test "$(grep -c 'data: ' "$tmp/out")" -eq 0
expect "status text ten days later" 0 at $(($(date +%s) + 10 * 86400)) "$VKPULSE" --config "$tmp/c.ini" status
out_has "text: the data is stale, as JSON says" 'data: stale \(no complete run for over two intervals\)'
check "text: stats.get is not among the problems" test "$(grep -c 'stats\.get .*VK error 15' "$tmp/out")" -eq 0
kill -TERM "$collector"
wait "$collector" || true
status_json "after the collector ended" ended
check "json: no collector after it ended" test "$(js collector.running)" = 0

# ---- an alert in force and a delivery that failed -------------------------------------------
stop_fake
expect "a run against no server fails" 1 "$VKPULSE" --config "$tmp/c.ini" collect --once
expect "alerts: the failing run" 3 "$VKPULSE" --config "$tmp/c.ini" alerts
cp "$tmp/out" "$tmp/out.alerts"
status_json "with an alert" alert
check "json: the alert in force" test "$(js 'alerts[0].rule')" = failing
said=$(js 'alerts[0].message')
check "json: what it says ($said), as 'vkpulse alerts' says it" \
    test "$said" != null -a -n "$said"
check "json: the same words as 'vkpulse alerts'" grep -qF "$said" "$tmp/out.alerts"
check "json: the outbox holds the undelivered message" test "$(js outbox.pending)" -ge 1
check "json: which failed" test "$(js outbox.failed)" -ge 1
check "json: the last run failed" test "$(js last_run.status)" = failed
check "json: a real failure is still a problem" test "$(js 'last_run.problems[0].code')" -lt 0
expect "status text with an alert" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "text: the alert" 'alerts in force:'
out_has "text: when it began and was last found true" ' since [0-9-]+ [0-9:]+.*, checked [0-9-]+ [0-9:]+'
out_has "text: what it says" 'the last [0-9]+ runs failed|последние запуски'
out_has "text: the outbox" 'outbox: [0-9]+ message\(s\) waiting since .*failed so far'
finish
