#!/usr/bin/env bash
# t050_watch.sh: `collect --watch` runs, sleeps, and stops cleanly: SIGTERM while
# it sleeps ends it without waiting for the interval; SIGINT, SIGTERM or SIGHUP
# in the middle of a run abandons the requests in flight instead of finishing
# the run, records the run as partial and exits 0; the next run completes the
# work exactly. One collector per database: a second is refused with a message
# while the first runs. A run that outlasts [collect] run_deadline is stopped as
# after SIGTERM (partial). Every state is reached by a handshake, never by a
# time: "sleeping" is the watch's own "next run in" line after its run, "mid-run"
# is the fake server holding the run's answers (fake_pause_at), and a run that
# cannot end by itself (held) proves that a signal or the deadline ended it.
# Durations are printed, never compared.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
T=$NOW
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"

# signal_and_wait SIG PID: sends the signal and waits for the end; sets $rc and
# $ms (how long the process took to end: printed, not checked).
signal_and_wait() {
    local t0
    t0=$(date +%s%N)
    kill -"$1" "$2"
    wait_exit "SIG$1: the process ends" "$2"
    ms=$((($(date +%s%N) - t0) / 1000000))
}
has_users() {
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM user" 2>/dev/null || echo 0)" -gt 0
}
sleeping() {
    grep -q 'next run in' "$tmp/watch.err"
}

# ---- a watch that sleeps, stopped by SIGTERM -------------------------------------
# A day's interval: a watch that waited for it would never end within the test.
start_fake --dataset tiny --rps 100 --time $T
COLLECT_EXTRA="interval = 86400" write_config "$tmp/c.ini" 20
"$VKPULSE" --config "$tmp/c.ini" init >/dev/null
"$VKPULSE" --config "$tmp/c.ini" collect --watch >"$tmp/watch.err" 2>&1 &
pid=$!
wait_until "the watch sleeping after its first run" "$pid" sleeping
ok
signal_and_wait TERM "$pid"
echo "SIGTERM while sleeping: ended after $ms ms (interval 86400 s)"
check "SIGTERM while sleeping: exit 0 (got $rc)" test "$rc" -eq 0
check "the run before is ok" test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run")" = ok
check "the service logged its start" grep -q 'the service starts: a run every 86400 s' "$tmp/watch.err"
check "the service logged its end" grep -q 'the service stops after 1 run(s): a signal' "$tmp/watch.err"
stop_fake

# ---- a signal in the middle of a run ------------------------------------------------
for sig in TERM INT HUP; do
    rm -f "$tmp"/vk.db*
    start_fake --dataset demo --rps 100 --time $T
    # shellcheck disable=SC2086
    write_config "$tmp/c.ini" 20 $DEMO_GROUPS
    "$VKPULSE" --config "$tmp/c.ini" init >/dev/null
    # The run is held at its 6th request: it cannot end by itself.
    fake_pause_at 6
    "$VKPULSE" --config "$tmp/c.ini" collect --watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
    pid=$!
    wait_paused "$pid" "SIG$sig"
    # Mid-run: the answers before the held one are saved.
    wait_until "SIG$sig: the held run has saved members" "$pid" has_users
    signal_and_wait "$sig" "$pid"
    echo "SIG$sig mid-run: ended after $ms ms"
    check "SIG$sig mid-run: exit 0 (got $rc)" test "$rc" -eq 0
    check "SIG$sig mid-run: run recorded as partial" \
        test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run")" = partial
    check "SIG$sig mid-run: the reason is recorded" \
        test "$(sqlite3 "$tmp/vk.db" "SELECT message FROM run")" = "interrupted by a signal"
    check "SIG$sig mid-run: some data was saved" \
        test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM user")" -gt 0
    check "SIG$sig mid-run: integrity" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok
    check "SIG$sig mid-run: the service logged its end" grep -q 'the service stops after' "$tmp/watch.err"
    stop_fake
done

# ---- one collector per database ---------------------------------------------------------
rm -f "$tmp"/vk.db*
start_fake --dataset demo --rps 100 --time $T
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 20 $DEMO_GROUPS
"$VKPULSE" --config "$tmp/c.ini" init >/dev/null
fake_pause_at 2
"$VKPULSE" --config "$tmp/c.ini" collect --once >"$tmp/first.out" 2>"$tmp/first.err" &
pid=$!
wait_paused "$pid" "the first collector held mid-run"
expect "a second collector is refused" 1 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "a second collector: says why" "another 'vkpulse collect' is running on '$tmp/vk.db' \(pid $pid\)"
fake_resume
wait_exit "the first collector, let go, ends" "$pid"
check "the first collector, let go, completes (exit $rc)" test "$rc" -eq 0

# ---- a deadline for a run -------------------------------------------------------------
# The run is held at its 3rd request for ever (the 1st asks VK's clock and the groups,
# the 2nd their first pages): only the deadline can end it.
rm -f "$tmp"/vk.db*
# shellcheck disable=SC2086
COLLECT_EXTRA="run_deadline = 10" write_config "$tmp/d.ini" 20 $DEMO_GROUPS
"$VKPULSE" --config "$tmp/d.ini" init >/dev/null
fake_pause_at 3
expect "the deadline makes the held run partial" 4 "$VKPULSE" --config "$tmp/d.ini" collect --once
check "the fake server held the run" test -s "$tmp/fake.paused"
check "the deadline is the recorded reason" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT message FROM run")" = "stopped after [collect] run_deadline = 10 s"
check "the deadline: nothing left running" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM run WHERE status = 'running'")" -eq 0
check "the deadline: integrity" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok
fake_resume

# The interrupted database, collected again without interruption, is exact.
expect "the lock is free again: the next run completes" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
expected "$tmp/exp.tsv" --dataset demo --time $T
same_data "after a run stopped by its deadline: exact dataset" "$tmp/exp.tsv" "$tmp/vk.db"
stop_fake
finish
