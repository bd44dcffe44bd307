#!/usr/bin/env bash
# t021_rate.sh: at the real rate of a user token (3 requests a second, the fake
# server's limit too) the collector packs calls into execute (requests <=
# ceil(calls/25) + 2, plus one re-sent request per error 6), and an error 6 does
# not cost data: the fake server answers error 6 to three requests of the run by
# construction (--fail-6-at: the 3rd, 4th and 5th, whatever the client's speed),
# and the collector widens its pace, sends those calls again and ends ok with
# exactly the dataset. Whether the paced client ever meets the server's own
# window depends on the machine (a busy one delivers requests in bunches), so
# those refusals are printed and allowed for, never required to be 0; that the
# pacer keeps every 4 requests over a second is proven on a simulated clock
# (unit/test_ratelimit), and the wall time is a benchmark figure
# (bench/collect.sh).
# labels: slow
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
GROUPS_="rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost sps_slabouspevayushchie sps_shkoly_lidery"

# init fetches the city directory (t066_region counts that); the run is measured
# on a fresh server, whose request numbers start with the run's.
start_fake --dataset demo --rps 3 --time $NOW
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 3 $GROUPS_
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
stop_fake
start_fake --dataset demo --rps 3 --time $NOW --fail-6-at 3,4,5
# shellcheck disable=SC2086
write_config "$tmp/c.ini" 3 $GROUPS_
expect "collect at 3 rps through three errors 6" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once
requests=$(fake_stat requests)
calls=$(fake_stat calls)
limited=$(fake_stat rate_limited)
injected=$(fake_stat faults.6)
refused=$(fake_stat errors.6)
echo "3 rps: $requests requests, $calls calls; error 6: $injected by construction," \
    "$limited from the server's window"
check "the three errors 6 were answered ($injected)" test "$injected" -eq 3
check "every error 6 counted once ($refused = $injected + $limited)" test "$refused" -eq $((injected + limited))
err_has "the collector says VK refused for rate" 'error 6'
check "the refused calls are recorded in the run's errors" \
    test "$(sqlite3 "$tmp/vk.db" "SELECT ifnull(sum(count), 0) FROM run_error WHERE code = 6")" -ge 3
check "requests <= ceil(calls/25) + 2 + refused ($requests, $calls, $refused)" \
    test "$requests" -le $(((calls + 24) / 25 + 2 + refused))
check "the run is ok, not partial" test "$(sqlite3 "$tmp/vk.db" "SELECT status FROM run")" = ok
expected "$tmp/exp.tsv" --dataset demo --time $NOW
same_data "3 rps collection through error 6 is complete" "$tmp/exp.tsv" "$tmp/vk.db"
finish
