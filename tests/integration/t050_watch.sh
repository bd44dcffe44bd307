#!/usr/bin/env bash
# t050_watch.sh: `collect --watch` runs, sleeps, and stops cleanly: SIGTERM while
# it sleeps ends it without waiting for the interval; SIGINT, SIGTERM or SIGHUP
# in the middle of a run abandons the requests in flight instead of finishing
# the run, records the run as partial and exits 0; the next run completes the
# work exactly. One collector per database: a second is refused with a message
# while the first runs. A run that outlasts [collect] run_deadline is stopped as
# after SIGTERM (partial). The bounds are a fraction of what not reacting would
# take (a 10 minute interval, a run of minutes), never a measure of the
# machine's speed.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
T=$NOW
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"

# wait_for SECONDS CMD...: poll until the command succeeds.
wait_for() {
    local limit=$1
    shift
    for _ in $(seq $((limit * 10))); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
# signal_and_wait SIG PID: sends the signal and waits; sets $rc and $ms (how
# long the process took to end).
signal_and_wait() {
    local t0
    t0=$(date +%s%N)
    kill -"$1" "$2"
    set +e
    wait "$2"
    rc=$?
    set -e
    ms=$((($(date +%s%N) - t0) / 1000000))
}
has_users() {
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM user" 2>/dev/null || echo 0)" -gt 0
}
runs_done() {
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM run WHERE status <> 'running'")" -ge "$1"
}

# ---- a watch that sleeps, stopped by SIGTERM -------------------------------------
start_fake --dataset tiny --rps 20 --time $T
COLLECT_EXTRA="interval = 600" write_config "$tmp/c.ini" 20
"$VKPULSE" --config "$tmp/c.ini" init >/dev/null
"$VKPULSE" --config "$tmp/c.ini" collect --watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
pid=$!
check "watch completes its first run" wait_for 20 runs_done 1
sleep 0.5
signal_and_wait TERM "$pid"
check "SIGTERM while sleeping: exit 0 (got $rc)" test "$rc" -eq 0
check "SIGTERM while sleeping: ends long before the interval (${ms} ms)" test "$ms" -lt 30000
check "the run before is ok" test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run")" = ok
check "the service logged its start" grep -q 'the service starts: a run every 600 s' "$tmp/watch.err"
check "the service logged its end" grep -q 'the service stops after 1 run(s): a signal' "$tmp/watch.err"
stop_fake

# ---- a signal in the middle of a run ------------------------------------------------
for sig in TERM INT HUP; do
    rm -f "$tmp"/vk.db*
    # 1 request a second with slow answers: a run of minutes.
    start_fake --dataset demo --rps 1 --time $T --latency 200
    # shellcheck disable=SC2086
    write_config "$tmp/c.ini" 1 $DEMO_GROUPS
    "$VKPULSE" --config "$tmp/c.ini" init >/dev/null
    "$VKPULSE" --config "$tmp/c.ini" collect --watch >"$tmp/watch.out" 2>"$tmp/watch.err" &
    pid=$!
    # Mid-run: once some of the run's data is in the database.
    check "SIG$sig: the run has begun saving" wait_for 60 has_users
    signal_and_wait "$sig" "$pid"
    check "SIG$sig mid-run: exit 0 (got $rc)" test "$rc" -eq 0
    check "SIG$sig mid-run: ends long before the run would (${ms} ms)" test "$ms" -lt 30000
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

# ---- one collector per database, and a deadline for a run --------------------------
rm -f "$tmp"/vk.db*
start_fake --dataset demo --rps 3 --time $T --latency 200
# shellcheck disable=SC2086
COLLECT_EXTRA="run_deadline = 10" write_config "$tmp/c.ini" 3 $DEMO_GROUPS
"$VKPULSE" --config "$tmp/c.ini" init >/dev/null
"$VKPULSE" --config "$tmp/c.ini" collect --once >"$tmp/first.out" 2>"$tmp/first.err" &
pid=$!
check "the first collector holds the lock" wait_for 10 test -s "$tmp/vk.db.lock"
expect "a second collector is refused" 1 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "a second collector: says why" "another 'vkpulse collect' is running on '$tmp/vk.db' \(pid $pid\)"
set +e
wait "$pid"
rc=$?
set -e
check "the deadline makes the run partial (exit $rc)" test "$rc" -eq 4
check "the deadline is the recorded reason" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT message FROM run")" = "stopped after [collect] run_deadline = 10 s"
check "the deadline: nothing left running" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM run WHERE status = 'running'")" -eq 0
check "the deadline: integrity" test "$(sqlite3 "$tmp/vk.db" "PRAGMA integrity_check")" = ok
expect "the lock is free again" 4 "$VKPULSE" --config "$tmp/c.ini" collect --once
stop_fake

# The interrupted database, collected again without interruption, is exact.
start_fake --dataset demo --rps 20 --time $T
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 20 $DEMO_GROUPS
expect "the next run completes" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
expected "$tmp/exp.tsv" --dataset demo --time $T
same_data "after an interrupted run: exact dataset" "$tmp/exp.tsv" "$tmp/vk.db"
finish
