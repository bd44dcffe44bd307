#!/usr/bin/env bash
# t045_readers.sh: readers beside the writer. While `vkpulse collect` writes
# the demo region's second week, status, report, alerts and crosscheck run in a
# loop: none may fail, none may say "database is locked" or "busy", and the
# collection still ends with exactly the dataset. The overlap does not depend on
# the machine's speed: the run is held open in its middle (the fake server holds
# its answers from the run's 4th request on, and says so) until the readers have
# read it several times, then let go while they go on reading.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
T=$((ANCHOR - 7 * 86400))

# The demo config, pointed at this fake server and a private database; a
# survey year imported so that crosscheck has something to compare.
start_fake --dataset demo --rps 100 --time $T
sed -e "s|^path = .*|path = $tmp/vk.db|" \
    -e "s|^api_url = .*|api_url = http://127.0.0.1:$PORT/method|" \
    -e "s|^token_env = .*|token_env = VKPULSE_TOKEN|" \
    -e "s|^requests_per_second = .*|requests_per_second = 20|" \
    -e "s|^municipalities = .*|municipalities = $VKP_SRC/config/regions/chelyabinsk.ini|" \
    -e "s|^report_dir = .*|report_dir = $tmp/reports|" \
    "$VKP_SRC/config/demo.ini" >"$tmp/c.ini"
printf '[collect]\nhorizon_days = 3650\nrefresh_days = 3650\n[vk]\ntimeout = 300\n' >>"$tmp/c.ini"
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "survey import" 0 "$VKPULSE" --config "$tmp/c.ini" survey import \
    "$VKP_SRC/tests/data/survey/forms_utf8_bom.csv" --year 2023
# A week ago, by vkpulse's clock as by the server's (a run VK's clock disagrees with is refused).
expect "first collection" 0 at $T "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet

# A week later the second run re-reads every post, paced at 2 requests a second.
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$NOW" >/dev/null
sed -i "s/^requests_per_second = 20$/requests_per_second = 2/" "$tmp/c.ini"
expected "$tmp/exp.tsv" --dataset demo --time $NOW

# The readers: a name, the exit codes that mean success, and the command.
# A command that does not exist yet is left out (and named).
readers=()
for r in "status|0|status" "report|0|report" "alerts|0 3|alerts --no-send" \
    "crosscheck|0|crosscheck --year 2023"; do
    IFS='|' read -r name _ args <<<"$r"
    # shellcheck disable=SC2086
    run "$VKPULSE" --config "$tmp/c.ini" $args
    if grep -Eq "not implemented yet|is not a command" "$tmp/err"; then
        echo "skip: '$name' does not exist yet"
    else
        readers+=("$r")
    fi
done

# read_round: every reader once; none may fail or meet a locked database.
locked=0
declare -A runs=()
read_round() {
    local r name codes args
    for r in "${readers[@]}"; do
        IFS='|' read -r name codes args <<<"$r"
        # shellcheck disable=SC2086
        run "$VKPULSE" --config "$tmp/c.ini" $args
        if grep -Eqi "locked|busy" "$tmp/err"; then
            locked=$((locked + 1))
            fail "$name beside the writer: $(head -c 400 "$tmp/err")"
        fi
        [[ " $codes " == *" $rc "* ]] ||
            fail "$name beside the writer exited $rc: $(head -c 400 "$tmp/err")"
        runs[$name]=$((${runs[$name]:-0} + 1))
    done
}

fake_reset
# Hold the run in its middle: three answers in, the collector waits on its 4th request.
fake_pause_at 4
"$VKPULSE" --config "$tmp/c.ini" collect --once --quiet >"$tmp/collect.out" 2>"$tmp/collect.err" &
collector=$!
wait_paused "$collector" "the collector mid-run"
check "the held run is recorded as running" test "$(sqlite3 "$tmp/vk.db" \
    "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = running
held_rounds=3
for _ in $(seq $held_rounds); do
    read_round
done
expect "status while the run is held" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "status shows the held run as unfinished" 'last run #2: running'
check "the collector was still mid-run after $held_rounds reader rounds" kill -0 "$collector"
fake_resume
# Let go: the readers go on beside the writer until it is done.
rounds=$held_rounds
while kill -0 "$collector" 2>/dev/null; do
    read_round
    rounds=$((rounds + 1))
done
set +e
wait "$collector"
collect_rc=$?
set -e
check "the collector succeeds beside the readers (exit $collect_rc)" test "$collect_rc" -eq 0
for r in "${readers[@]}"; do
    name=${r%%|*}
    echo "readers: $name ran ${runs[$name]:-0} times beside the writer, all ok"
done
check "no reader met a locked database" test "$locked" -eq 0
same_data "the collection is exact beside the readers" "$tmp/exp.tsv" "$tmp/vk.db"
# The last read saw the finished run.
expect "status after" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "status shows the finished run" 'last run #2: ok'
finish
