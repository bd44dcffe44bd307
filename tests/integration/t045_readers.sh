#!/usr/bin/env bash
# t045_readers.sh: readers beside the writer. While `vkpulse collect` writes
# the demo region (paced so the run lasts several seconds), the read commands
# run in a loop: none may fail, none may say "database is locked" or "busy",
# and the collection still ends with exactly the dataset.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
ANCHOR=1795392000
T=$((ANCHOR + 3600))
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"

start_fake --dataset demo --rps 8 --time $T
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 8 $DEMO_GROUPS
expected "$tmp/exp.tsv" --dataset demo --time $T
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init

# The readers: a name, the exit codes that mean success, and the command.
# Commands that other work has not implemented yet are left out (and named).
readers=("status|0|status")
for r in "report|0|report" "alerts|0 3|alerts" "crosscheck|0|crosscheck --year 2026"; do
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
out_has "status shows the finished run" 'last run #1: ok'
finish
