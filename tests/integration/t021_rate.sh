#!/usr/bin/env bash
# t021_rate.sh: at the real rate of a user token (3 requests a second) the
# collector never provokes error 6 and packs calls into execute: requests <=
# ceil(calls/25) + 2. How close the wall time comes to requests/rps depends on
# the machine, so it is a benchmark figure (bench/collect.sh), not a check here.
# labels: slow
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

start_fake --dataset demo --rps 3 --time $NOW
write_config "$tmp/c.ini" 3 rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost \
    sps_slabouspevayushchie sps_shkoly_lidery
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
fake_reset # init fetched the city directory (t066_region counts that); measure the collection
t0=$(date +%s.%N)
expect "collect at 3 rps" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
t1=$(date +%s.%N)
requests=$(fake_stat requests)
calls=$(fake_stat calls)
limited=$(fake_stat rate_limited)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "3 rps: $requests requests, $calls calls, $secs s, $limited refused for rate"
check "no error 6 was provoked" test "$limited" -eq 0
check "no error 6 answered" test "$(fake_stat errors.6)" -eq 0
check "requests <= ceil(calls/25)+2 ($requests, $calls)" test "$requests" -le $(((calls + 24) / 25 + 2))
expected "$tmp/exp.tsv" --dataset demo --time $NOW
same_data "3 rps collection is complete" "$tmp/exp.tsv" "$tmp/vk.db"
finish
