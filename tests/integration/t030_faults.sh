#!/usr/bin/env bash
# t030_faults.sh: collection through faults, one at a time at 10 % and all
# together at 5 %: the data ends exactly the dataset, no duplicates, at a
# bounded request overhead. Then the errors that must stop a run or make it
# partial: a revoked token, a daily quota, execute refused, answers too big,
# a hidden member list, closed comments.
# labels: slow
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
T=$NOW
DEMO_GROUPS="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"
expected "$tmp/exp.tsv" --dataset tiny --time $T
expected "$tmp/demo.tsv" --dataset demo --time $T

# collect_with NAME EXPECT-EXIT FAKE-ARGS...: a fresh database collected once
# from a fake server started with the given faults.
collect_with() {
    local name=$1 want=$2
    shift 2
    stop_fake
    rm -f "$tmp"/vk.db*
    start_fake --dataset tiny --rps 100 --time $T "$@"
    write_config "$tmp/c.ini" 20
    "$VKPULSE" --config "$tmp/c.ini" init >/dev/null
    expect "$name: exit code" "$want" "$VKPULSE" --config "$tmp/c.ini" collect --once
}

# The fault matrix runs on the demo region (about 90 requests when nothing
# fails), large enough for the overhead factor to mean something.
# collect_demo_allow_partial NAME FAKE-ARGS...: a fresh database collected once
# from a fake server with those faults; ok or partial (exit 4), left in $rc.
# collect_demo NAME FAKE-ARGS...: the same, where only ok will do.
collect_demo_allow_partial() {
    local name=$1
    shift
    stop_fake
    rm -f "$tmp"/vk.db*
    start_fake --dataset demo --rps 100 --time $T "$@"
    # shellcheck disable=SC2086
    write_config "$tmp/c.ini" 20 $DEMO_GROUPS
    "$VKPULSE" --config "$tmp/c.ini" init >/dev/null
    run "$VKPULSE" --config "$tmp/c.ini" collect --once
    [ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || fail "$name: exit code $rc: $(tail -c 600 "$tmp/err")"
    ok
}
collect_demo() {
    collect_demo_allow_partial "$@"
    [ "$rc" -eq 0 ] || fail "$1: exit code $rc, expected 0: $(tail -c 600 "$tmp/err")"
    ok
}

collect_demo "baseline"
base=$(fake_stat requests)

# Each fault alone at 10 %: a call fails all its 8 tries with a chance of 1e-8,
# so every run ends ok, whatever order the requests take.
for fault in "--fail-500 10" "--fail-10 10" "--fail-6 10" "--truncate 10" "--drop 10" \
    "--exec-fail 10" "--latency 50 --latency-jitter 100"; do
    # shellcheck disable=SC2086
    collect_demo "$fault" $fault --fault-seed 7
    same_data "$fault: exact dataset" "$tmp/demo.tsv" "$tmp/vk.db"
    r=$(fake_stat requests)
    echo "faults $fault: $r requests (baseline $base), overhead x$(awk -v a="$r" -v b="$base" 'BEGIN{printf "%.2f", a/b}')"
    check "$fault: overhead <= 2x ($r vs $base)" test "$r" -le $((base * 2))
done

# All six together, 5 % each (about a fifth of the tries fail): a call may
# still run out of tries now and then, depending on the order the requests
# take on the machine. Then the run must say partial (exit 4), never ok, and
# the next run must complete the work; in the end the data is exact.
mix="--fail-500 5 --fail-10 5 --fail-6 5 --truncate 5 --drop 5 --exec-fail 5"
# shellcheck disable=SC2086
collect_demo_allow_partial "all faults" $mix --fault-seed 7
runs=1
while [ "$rc" -eq 4 ] && [ "$runs" -lt 3 ]; do
    check "all faults: a partial run is recorded as partial" test "$(sqlite3 "$tmp/vk.db" \
        "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = partial
    run "$VKPULSE" --config "$tmp/c.ini" collect --once
    runs=$((runs + 1))
done
check "all faults: ok after $runs run(s) (exit $rc)" test "$rc" -eq 0
same_data "all faults: exact dataset" "$tmp/demo.tsv" "$tmp/vk.db"
r=$(fake_stat requests)
echo "faults $mix: $r requests in $runs run(s) (baseline $base), overhead x$(awk -v a="$r" -v b="$base" 'BEGIN{printf "%.2f", a/b}')"
check "all faults: overhead <= 2x ($r vs $base)" test "$r" -le $((base * 2))

collect_with "revoked token" 1 --revoke-after 2
err_has "revoked token says what to do" 'rejected the access token.*get a new token'
check "revoked run recorded as failed" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = failed
if grep -q demo-token "$tmp/err" "$tmp/vk.db"; then fail "the token leaked into output or database"; fi
ok

collect_with "daily quota of likes.getList" 4 --daily-quota likes.getList=3
err_has "quota is named" 'likes.getList: daily quota reached'
check "quota run is partial" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = partial
check "quota error counted" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT sum(count) FROM run_error WHERE code = 29")" -ge 1
# The next run, with the quota renewed, completes the work.
stop_fake
start_fake --dataset tiny --rps 100 --time $T
write_config "$tmp/c.ini" 20
expect "after quota: next run completes" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
same_data "after quota: exact dataset" "$tmp/exp.tsv" "$tmp/vk.db"

collect_with "execute refused" 0 --no-execute
err_has "fallback is announced" 'may not use execute'
same_data "execute refused: exact dataset" "$tmp/exp.tsv" "$tmp/vk.db"

collect_with "execute answer too big" 0 --exec-max-bytes 20000
err_has "batches shrink" 'batches shrink'
same_data "small execute answers: exact dataset" "$tmp/exp.tsv" "$tmp/vk.db"

collect_with "hidden member list" 0 --hidden-members 200000001
check "hidden list is noted in the snapshot" test "$(sqlite3 "$tmp/vk.db" \
    "SELECT members_hidden FROM snapshot s JOIN community c ON c.id = s.community_id
     WHERE c.vk_id = 200000001")" -eq 1
check "the other group's members are complete" test "$(sqlite3 "$tmp/vk.db" \
    "SELECT members_ok FROM snapshot s JOIN community c ON c.id = s.community_id
     WHERE c.vk_id = 200000002")" -eq 1
check "the hidden group's wall is still collected" test "$(sqlite3 "$tmp/vk.db" \
    "SELECT count(*) FROM post WHERE owner_id = -200000001")" -eq "$(grep -c '^post	-200000001	' "$tmp/exp.tsv")"

collect_with "closed comments" 0 --closed-comments
check "comments of open posts are stored" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM comment")" -gt 0
check "closed comments recorded" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT ifnull(sum(count), 0) FROM run_error WHERE code = 212")" -ge 1
finish
