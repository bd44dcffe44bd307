#!/usr/bin/env bash
# t095_reader_user.sh: a user who may read the database but not write it or its folder
# (a moderator beside the service's account) runs the reading commands: status, report,
# crosscheck and survey list, also while a collection is writing. The writer keeps the
# database's -wal and -shm files with the database file's mode and group, whatever its
# umask, so that such a reader can use them. Needs root (to make the reader); skipped
# otherwise.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

if [ "$(id -u)" != 0 ]; then
    echo "skip: t095 needs root to create a reading user (useradd, runuser)"
    echo "0 passed, 0 failed"
    exit 0
fi
READER=vkpreader
id "$READER" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$READER"
as_reader() { runuser -u "$READER" -- "$@"; }

# The reader must reach the files: the temp dir is 0700 by default.
chmod 755 "$tmp"
mkdir -m 755 "$tmp/db"
start_fake --dataset demo --rps 100 --time $((ANCHOR - 7 * 86400))
demo_config "$tmp/c.ini"
sed -i "s|^path = .*|path = $tmp/db/vk.db|" "$tmp/c.ini"
printf '[collect]\nhorizon_days = 3650\nrefresh_days = 3650\n' >>"$tmp/c.ini"
chmod 644 "$tmp/c.ini"
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "survey import" 0 "$VKPULSE" --config "$tmp/c.ini" survey import \
    "$VKP_SRC/tests/data/survey/forms_utf8_bom.csv" --year 2023
expect "first collection" 0 at $((ANCHOR - 7 * 86400)) "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
check "the WAL is kept for readers" test -e "$tmp/db/vk.db-wal"
check "the shared memory file is kept for readers" test -e "$tmp/db/vk.db-shm"
check "all private so far" test "$(stat -c %a "$tmp/db/vk.db" "$tmp/db/vk.db-wal" "$tmp/db/vk.db-shm" | sort -u)" = 600

# Private: the reader is refused with a message that says why.
expect "a private database is refused" 1 as_reader "$VKPULSE" --config "$tmp/c.ini" status
err_has "saying why" "cannot (read|open) database"

# The owner opens it to the reader; the next writer brings -wal and -shm along.
chmod 644 "$tmp/db/vk.db"
expect "purge (a writer)" 0 "$VKPULSE" --config "$tmp/c.ini" purge --months 120
check "-wal and -shm follow the database's mode" \
    test "$(stat -c %a "$tmp/db/vk.db" "$tmp/db/vk.db-wal" "$tmp/db/vk.db-shm" | sort -u)" = 644
check "the reader may not write the folder" sh -c "! runuser -u $READER -- test -w '$tmp/db'"
check "nor the database" sh -c "! runuser -u $READER -- test -w '$tmp/db/vk.db'"

reads() {
    local when=$1
    expect "status as the reader ($when)" 0 as_reader "$VKPULSE" --config "$tmp/c.ini" status
    out_has "status reads the communities ($when)" 'rmo_neuspeshnost'
    expect "report as the reader ($when)" 0 as_reader "$VKPULSE" --config "$tmp/c.ini" report --lang en
    out_has "the report has its title ($when)" 'Weekly community report'
    expect "crosscheck as the reader ($when)" 0 as_reader "$VKPULSE" --config "$tmp/c.ini" crosscheck --year 2023
    expect "survey list as the reader ($when)" 0 as_reader "$VKPULSE" --config "$tmp/c.ini" survey list
    out_has "survey list reads ($when)" '2023'
    run as_reader "$VKPULSE" --config "$tmp/c.ini" alerts --format json
    check "alerts as the reader ($when, exit $rc: $(head -c 300 "$tmp/err"))" test "$rc" = 0 -o "$rc" = 3
    err_has "the reader is told the alerts are as last evaluated ($when)" 'as last evaluated'
    check "the reader sees the recorded alerts ($when)" test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["active"])' "$tmp/out")" = \
        "$(sqlite3 "$tmp/db/vk.db" "SELECT count(*) FROM alert WHERE ended_at IS NULL")"
    check "nothing was written by the reader ($when)" sh -c "! find '$tmp/db' -user $READER | grep -q ."
}
# The owner's evaluation records the alerts the reader will list.
run "$VKPULSE" --config "$tmp/c.ini" alerts --no-send
check "the owner evaluates the alerts (exit $rc)" test "$rc" = 0 -o "$rc" = 3
reads "quiet"
expect "a writing command is refused to the reader" 1 as_reader "$VKPULSE" --config "$tmp/c.ini" forget 1
check "the writer's refusal is not a crash" sh -c "! grep -qi 'internal' '$tmp/err'"

# Beside a writer: the fake server holds the run open from its 4th request (and says
# so) while the reader reads; the run cannot end before it is let go.
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$NOW" >/dev/null
fake_reset
fake_pause_at 4
"$VKPULSE" --config "$tmp/c.ini" collect --once --quiet >"$tmp/collect.out" 2>"$tmp/collect.err" &
collector=$!
wait_paused "$collector" "the collector mid-run"
check "the held run is recorded as running" test "$(sqlite3 "$tmp/db/vk.db" \
    "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = running
reads "beside the collector"
check "the collector is still mid-run after the reads" kill -0 "$collector"
fake_resume
set +e
wait "$collector"
crc=$?
set -e
check "the collection ends well beside the reader ($crc)" test "$crc" -eq 0
reads "after"
check "-wal and -shm still follow the database's mode" \
    test "$(stat -c %a "$tmp/db/vk.db" "$tmp/db/vk.db-wal" "$tmp/db/vk.db-shm" | sort -u)" = 644
finish
