# lib.sh: what the integration tests share: checks, running the real binary,
# and a fake VK server on 127.0.0.1. Sourced, never run.
#
# ctest sets VKP_SRC (repository root) and VKP_BUILD (build directory).
set -euo pipefail

: "${VKP_SRC:?VKP_SRC must name the repository root}"
: "${VKP_BUILD:?VKP_BUILD must name the build directory}"
VKPULSE="$VKP_BUILD/vkpulse"
FAKEVK="$VKP_BUILD/tests/fakevk/fakevk"
[ -x "$VKPULSE" ] || { echo "no binary at $VKPULSE" >&2; exit 1; }

TEST_NAME=$(basename "$0" .sh)

# ---- time ------------------------------------------------------------------------------
# The fake dataset's present, ANCHOR, is a Monday 00:00 UTC (the dataset's weeks
# start there), and every event of the dataset lies before it. Most tests let
# vkpulse run on the machine's clock, so they start the fake server's clock at NOW,
# the machine's clock when the test began: the two clocks then agree by
# construction, on any date. NOW is at least an hour past ANCHOR. A test that
# moves vkpulse's clock itself (faketime) may set its own ANCHOR after sourcing
# this file; start_fake and expected pass the ANCHOR of the moment to the server.
NOW=$(date +%s)
ANCHOR=$(((NOW - 3600 - 345600) / 604800 * 604800 + 345600)) # 345600: epoch to Monday
tmp=$(mktemp -d "/tmp/vkp_${TEST_NAME}_XXXXXX")

# VKP_VALGRIND=1: every run of vkpulse goes through valgrind, and any memory
# error or leak makes it exit 99, which fails the check that ran it. The
# reports are kept in $VKP_VALGRIND_LOG (default: the test's temp dir) and
# the number of runs checked is printed at the end.
if [ "${VKP_VALGRIND:-0}" = 1 ]; then
    command -v valgrind >/dev/null || { echo "VKP_VALGRIND=1 but no valgrind" >&2; exit 1; }
    VG_LOG_DIR=${VKP_VALGRIND_LOG:-$tmp/valgrind}
    mkdir -p "$VG_LOG_DIR"
    cat >"$tmp/vkpulse-valgrind" <<WRAP
#!/usr/bin/env bash
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \\
    --errors-for-leak-kinds=definite,indirect,possible --track-fds=no \\
    --log-file="$VG_LOG_DIR/vg.%p.log" "$VKPULSE" "\$@"
WRAP
    chmod +x "$tmp/vkpulse-valgrind"
    VKPULSE="$tmp/vkpulse-valgrind"
fi
FAKE_PID=
# KEEP_TMP=1 keeps the test's temp directory (database, outputs) for a look afterwards.
cleanup() {
    # A test that fails midway may leave a background vkpulse running (perhaps
    # held by the fake server's pause): end them all, and wait for them, before
    # the files they write go.
    local pids
    pids=$(jobs -p)
    if [ -n "$pids" ]; then
        kill $pids 2>/dev/null || true
        wait $pids 2>/dev/null || true
    fi
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
# Nothing from the caller's environment may choose a config or a token for us.
unset VKPULSE_CONFIG VKPULSE_TOKEN

passed=0

fail() {
    echo "FAIL: $*" >&2
    [ -f "$tmp/fake.log" ] && { echo "--- fake server log (tail):" >&2; tail -5 "$tmp/fake.log" >&2; }
    echo "$passed passed, 1 failed" >&2
    exit 1
}

ok() {
    passed=$((passed + 1))
}

# check NAME CONDITION...: the test command succeeds.
check() {
    local name=$1
    shift
    "$@" || fail "$name"
    ok
}

# run CMD...: runs the command; its exit code goes to $rc, its output to
# $tmp/out and $tmp/err.
run() {
    set +e
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
}

# expect NAME CODE CMD...: the command exits with CODE.
expect() {
    local name=$1 want=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$want" ] ||
        fail "$name: exit code $rc, expected $want; stderr: $(tail -c 800 "$tmp/err")"
    ok
}

# out_has NAME REGEX / err_has NAME REGEX: the last command printed a matching line.
out_has() {
    grep -Eq -- "$2" "$tmp/out" || fail "$1: stdout lacks /$2/: $(head -c 600 "$tmp/out")"
    ok
}
err_has() {
    grep -Eq -- "$2" "$tmp/err" || fail "$1: stderr lacks /$2/: $(head -c 600 "$tmp/err")"
    ok
}

finish() {
    if [ "${VKP_VALGRIND:-0}" = 1 ]; then
        local runs dirty
        runs=$(find "$VG_LOG_DIR" -name 'vg.*.log' | wc -l)
        dirty=$(find "$VG_LOG_DIR" -name 'vg.*.log' -size +0 | wc -l)
        echo "valgrind: $runs runs of vkpulse checked, $dirty with reports"
        [ "$runs" -gt 0 ] || fail "valgrind: no run of vkpulse was checked"
        if [ "$dirty" -gt 0 ]; then
            find "$VG_LOG_DIR" -name 'vg.*.log' -size +0 -exec head -40 {} + >&2
            fail "valgrind reported errors"
        fi
        ok
    fi
    echo "$passed passed, 0 failed"
}

# ---- a moved clock for vkpulse -------------------------------------------------
# at EPOCH CMD...: runs CMD with its clock stopped at EPOCH: every time(NULL) of the
# run reads EPOCH, so a snapshot, a run's start or an alert's time is exactly what
# the test chose, however long the process takes to start or to run. Only the
# calendar clock stops: CLOCK_MONOTONIC stays real (FAKETIME_DONT_FAKE_MONOTONIC),
# so pacing, HTTP timeouts and timers work as usual. libfaketime is preloaded
# directly: the faketime(1) wrapper forks (signals would not reach vkpulse), and it
# keeps a named semaphore per process id in /dev/shm that a killed run leaves
# behind, so that a later wrapper with the same pid fails ("sem_open: File
# exists"). The time is given as seconds (FAKETIME_FMT=%s), so no time zone and no
# outer faketime (the suite run under `faketime -f +400d`) can shift it.
FTLIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1 || true)
real_now() {
    env -u LD_PRELOAD -u FAKETIME date +%s
}
at() {
    local t=$1
    shift
    [ -n "$FTLIB" ] || fail "libfaketime is not installed (scripts/deps.sh --dev installs faketime)"
    LD_PRELOAD=$FTLIB FAKETIME=$t FAKETIME_FMT=%s FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}

# ---- handshakes ------------------------------------------------------------------
# wait_until WHAT PID CMD...: waits for a state, never for a time: polls CMD until it
# succeeds. Fails loudly, naming WHAT, when the process PID (if not empty) ends
# before the state is reached, or when nothing happens for VKP_HANG_SECONDS (600 by
# default: a hang detector below ctest's 1800 s, not a measure of speed: every wait
# here is for a step that takes seconds at most on an idle machine).
wait_until() {
    local what=$1 pid=$2 limit=$((SECONDS + ${VKP_HANG_SECONDS:-600}))
    shift 2
    until "$@"; do
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            "$@" && return 0
            fail "$what: never reached: process $pid ended first"
        fi
        [ "$SECONDS" -lt "$limit" ] || fail "$what: never reached in ${VKP_HANG_SECONDS:-600} s (a hang)"
        sleep 0.05
    done
}

gone() {
    ! kill -0 "$1" 2>/dev/null
}

# wait_exit WHAT PID: waits until the process PID (a child of this shell) has ended;
# its exit code goes to $rc. Fails loudly after VKP_HANG_SECONDS, as wait_until.
wait_exit() {
    local what=$1 pid=$2
    wait_until "$what" "" gone "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
}

# ---- the fake VK server ------------------------------------------------------

# start_fake ARGS...: starts fakevk on an ephemeral 127.0.0.1 port; sets PORT.
start_fake() {
    [ -x "$FAKEVK" ] || fail "no fake server at $FAKEVK"
    rm -f "$tmp/port" "$tmp/fake.paused"
    "$FAKEVK" --port 0 --port-file "$tmp/port" --pause-file "$tmp/fake.paused" --anchor "$ANCHOR" \
        "$@" >"$tmp/fake.out" 2>"$tmp/fake.log" &
    FAKE_PID=$!
    wait_until "the fake server listening" "$FAKE_PID" test -s "$tmp/port"
    PORT=$(cat "$tmp/port")
}

stop_fake() {
    [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null || true
    FAKE_PID=
}

# fake_stat PATH: a number from GET /_fake/stats, e.g. fake_stat requests,
# fake_stat errors.6 (read with SQLite's JSON functions: no other runtime).
fake_stat() {
    local path
    path=$(echo "$1" | sed -E 's/\.([0-9a-zA-Z_.]+)/."\1"/; s/^/$./')
    fake_control GET stats >"$tmp/stats.json"
    sqlite3 :memory: "SELECT ifnull(json_extract(readfile('$tmp/stats.json'), '$path'), 0)"
}

fake_reset() {
    fake_control POST reset-stats >/dev/null
}

# fake_control GET|POST WHAT: a control request to the fake server (/_fake/WHAT); its
# answer on stdout. A control request the server does not answer fails the test
# (no silent empty statistics).
fake_control() {
    curl -sf --max-time 120 -X "$1" "http://127.0.0.1:$PORT/_fake/$2" ||
        fail "the fake server did not answer $1 /_fake/$2"
}

# ---- holding a run open: the fake server's pause --------------------------------
# fake_pause_at N [METHOD]: from now on, the fake server holds its answer to the Nth
# API request (the Nth calling METHOD, directly or in execute, if given) and every
# later one, and writes $tmp/fake.paused. Arm it before starting the collector.
fake_pause_at() {
    fake_control POST "pause?at=$1${2:+&method=$2}" >/dev/null
}

# wait_paused PID WHAT: the handshake: waits until the fake server has paused, that
# is until the collector PID is held mid-run. Fails loudly (naming WHAT) if the
# collector ends first.
wait_paused() {
    wait_until "$2: the fake server holding the run at its request" "$1" test -s "$tmp/fake.paused"
    ok
}

# fake_resume: ends the pause; the held answers are sent, the run goes on.
fake_resume() {
    fake_control POST resume >/dev/null
}

# write_config FILE RPS [GROUP...]: a config for the fake server (default: the
# tiny groups). $COLLECT_EXTRA, if set, is added to its [collect] section.
write_config() {
    local file=$1 rps=$2
    shift 2
    [ $# -gt 0 ] || set -- test_group_1 test_group_2
    {
        printf '[database]\npath = %s/vk.db\n' "$tmp"
        printf '[vk]\napi_url = http://127.0.0.1:%s/method\nrequests_per_second = %s\n' "$PORT" "$rps"
        # The longest HTTP timeout: a test that holds a run (fake_pause_at) keeps a
        # request unanswered as long as it likes, and a busy machine never times out.
        printf 'token_env = VKPULSE_TOKEN\ntimeout = 300\n'
        printf '[collect]\nhorizon_days = 3650\n%s\n' "${COLLECT_EXTRA:-}"
        printf '[region]\nmunicipalities = %s/config/regions/chelyabinsk.ini\n' "$VKP_SRC"
        for g in "$@"; do
            printf '[community]\ngroup = %s\nkind = rmo\nsurvey_name = %s\n' "$g" "$g"
        done
    } >"$file"
}

# demo_config FILE: the demo config, pointed at this fake server and a private database.
demo_config() {
    sed -e "s|^path = .*|path = $tmp/vk.db|" \
        -e "s|^api_url = .*|api_url = http://127.0.0.1:$PORT/method|" \
        -e "s|^token_env = .*|token_env = VKPULSE_TOKEN\ntimeout = 300|" \
        -e "s|^requests_per_second = .*|requests_per_second = 20|" \
        -e "s|^municipalities = .*|municipalities = $VKP_SRC/config/regions/chelyabinsk.ini|" \
        "$VKP_SRC/config/demo.ini" >"$1"
}

# expected FILE FAKE-ARGS...: what a complete collection must hold, sorted.
expected() {
    local out=$1
    shift
    "$FAKEVK" --anchor "$ANCHOR" "$@" --dump-expected "$out.raw" 2>/dev/null
    LC_ALL=C sort "$out.raw" >"$out"
}

# exported DB FILE: the database in the same format, sorted.
exported() {
    sqlite3 "$1" <"$VKP_SRC/tests/integration/export.sql" | LC_ALL=C sort >"$2"
}

# same_data NAME EXPECTED DB: the database holds exactly the expected records.
same_data() {
    exported "$3" "$tmp/got.tsv"
    if ! diff -q "$2" "$tmp/got.tsv" >/dev/null; then
        fail "$1: database differs from the dataset: $(diff "$2" "$tmp/got.tsv" | head -5)"
    fi
    ok
}

# collect_weeks CONFIG K: one collect a week for K+1 weeks up to ANCHOR + 1 h,
# vkpulse's clock moved with faketime and the fake server's with /_fake/time
# (started at the first of those times).
collect_weeks() {
    local cfg=$1 k t
    for k in $(seq "$2" -1 0); do
        t=$((ANCHOR - k * 7 * 86400 + 3600))
        curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$t" >/dev/null
        expect "collect at week -$k" 0 at "$t" "$VKPULSE" --config "$cfg" collect --once --quiet
    done
}
