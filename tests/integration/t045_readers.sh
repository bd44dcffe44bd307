#!/usr/bin/env bash
# t045_readers.sh: readers beside the writer. While `vkpulse collect` writes
# the demo region's second week (paced so the run lasts several seconds),
# status, report, alerts and crosscheck run in a loop: none may fail, none may
# say "database is locked" or "busy", and the collection still ends with
# exactly the dataset.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
ANCHOR=1795392000
T=$((ANCHOR - 7 * 86400))

# The demo config, pointed at this fake server and a private database; a
# survey year imported so that crosscheck has something to compare.
start_fake --dataset demo --rps 20 --time $T
sed -e "s|^path = .*|path = $tmp/vk.db|" \
    -e "s|^api_url = .*|api_url = http://127.0.0.1:$PORT/method|" \
    -e "s|^token_env = .*|token_env = VKPULSE_TOKEN|" \
    -e "s|^requests_per_second = .*|requests_per_second = 20|" \
    -e "s|^municipalities = .*|municipalities = $VKP_SRC/config/regions/chelyabinsk.ini|" \
    -e "s|^report_dir = .*|report_dir = $tmp/reports|" \
    "$VKP_SRC/config/demo.ini" >"$tmp/c.ini"
printf '[collect]\nhorizon_days = 3650\nrefresh_days = 3650\n' >>"$tmp/c.ini"
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "survey import" 0 "$VKPULSE" --config "$tmp/c.ini" survey import \
    "$VKP_SRC/tests/data/survey/forms_utf8_bom.csv" --year 2023
expect "first collection" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet

# A week later the second run re-reads every post at 1 request a second, so
# it writes for several seconds; the readers run all that time.
curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$((ANCHOR + 3600))" >/dev/null
sed -i "s/^requests_per_second = 20$/requests_per_second = 1/" "$tmp/c.ini"
expected "$tmp/exp.tsv" --dataset demo --time $((ANCHOR + 3600))

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

"$VKPULSE" --config "$tmp/c.ini" collect --once --quiet >"$tmp/collect.out" 2>"$tmp/collect.err" &
collector=$!
declare -A runs=()
rounds=0 locked=0
while kill -0 "$collector" 2>/dev/null; do
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
check "the readers ran many times during the collection ($rounds rounds)" test "$rounds" -ge 10
check "no reader met a locked database" test "$locked" -eq 0
same_data "the collection is exact beside the readers" "$tmp/exp.tsv" "$tmp/vk.db"
# The last read saw the finished run.
expect "status after" 0 "$VKPULSE" --config "$tmp/c.ini" status
out_has "status shows the finished run" 'last run #2: ok'
finish
