#!/usr/bin/env bash
# demo.sh: install what is needed, build vkpulse, and run the bundled demo
# against the local fake VK server (config/demo.ini: 127.0.0.1 only, no real
# VK, no token). The demo database is out/demo.db. Safe to run again: the
# demo starts from a fresh database each time (its history is collected at
# past dates, in time order).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh --demo

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# Only what the demo runs, so a half-written unit test elsewhere cannot stop it.
cmake --build build -j"$jobs" --target vkpulse

VKPULSE=build/vkpulse
CONFIG=config/demo.ini
mkdir -p out
# The fake server accepts any token; the real one never sees this value.
export VKPULSE_DEMO_TOKEN=demo-token-for-the-local-fake-server

# at EPOCH CMD...: CMD with its clock at EPOCH (and ticking): libfaketime preloaded
# directly, not through the faketime(1) wrapper, whose per-pid semaphores a killed
# run leaves behind in /dev/shm (a later wrapper with that pid fails).
FTLIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
at() {
    local t=$1
    shift
    LD_PRELOAD=$FTLIB FAKETIME=$(printf '%+d' $((t - $(date +%s)))) "$@"
}

step() {
    printf '\n== %s\n' "$*"
}

# ---- the fake VK server --------------------------------------------------------
# A generated region (tests/fakevk/README.md) whose "present" is the start of
# this ISO week in the region's time zone: the last complete week holds the
# interesting events (a community that loses subscribers, one that went quiet).
# Its walls go back three years, for the yearly report's dynamics; the token
# administers the first two groups, whose subscriber history stats.get gives.
cmake --build build -j"$jobs" --target fakevk
FAKEVK=build/tests/fakevk/fakevk
export TZ=Asia/Yekaterinburg
dow=$(date +%u)
ANCHOR=$(date -d "$(date +%F) -$((dow - 1)) days 00:00" +%s)
unset TZ
WEEKS=9
"$FAKEVK" --port 18080 --port-file out/fakevk.port --dataset demo --years 3 --rps 3 \
    --admin-groups 200000001,200000002 \
    --token "$VKPULSE_DEMO_TOKEN" --anchor "$ANCHOR" --time $((ANCHOR - WEEKS * 604800 + 3600)) \
    >out/fakevk.stats 2>out/fakevk.log &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ -s out/fakevk.port ] && break
    kill -0 "$fake_pid" 2>/dev/null || { cat out/fakevk.log >&2; exit 1; }
    sleep 0.05
done
[ -s out/fakevk.port ] || { echo "demo: the fake VK server did not start" >&2; exit 1; }
rm -f out/fakevk.port

# The demo starts from a fresh database each time: its history is made by
# collecting the same region at past dates, which only works in time order.
# With the fake server up, init also fetches its city directory of the region.
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
step "vkpulse --config $CONFIG init"
"$VKPULSE" --config "$CONFIG" init

# ---- history: one collection a week ----------------------------------------------
# Each past run sees the region as it was that Monday: the fake server's clock
# is set to that moment and vkpulse runs under libfaketime at the same date,
# so its runs, joins and leaves carry those dates. The last of them is this
# Monday's (it ends the last complete week, the report's), or now in the first
# hour of a Monday. The region ends there, so the alerts are judged as of that
# run too: judged on a Sunday, the last seven days would be six empty ones.
# Dates as the region sees them (the config's time zone), where the weeks begin on Mondays.
DEMO_TZ=$(sed -n 's/^timezone *= *//p' "$CONFIG")
step "collecting $WEEKS weeks of history (one run a week, at 3 requests a second)"
for k in $(seq "$WEEKS" -1 1); do
    when=$((ANCHOR - k * 604800 + 3600))
    # A second apart, so two runs never share VK's one-second rate window.
    sleep 1
    curl -s -X POST "http://127.0.0.1:18080/_fake/time?set=$when" >/dev/null
    printf '  %s: ' "$(TZ=$DEMO_TZ date -d "@$when" '+%F %a')"
    at "$when" \
        "$VKPULSE" --config "$CONFIG" collect --once --quiet 2>&1 | grep 'run #' | sed 's/^vkpulse: //'
done

LAST=$((ANCHOR + 3600))
[ "$LAST" -le "$(date +%s)" ] || LAST=$(date +%s)
step "vkpulse collect --once (this Monday, $(TZ=$DEMO_TZ date -d "@$LAST" '+%F %H:%M %z'))"
sleep 1
curl -s -X POST "http://127.0.0.1:18080/_fake/time?set=$LAST" >/dev/null
at "$LAST" "$VKPULSE" --config "$CONFIG" collect --once

# ---- alerts ----------------------------------------------------------------------------
# The demo region holds two of the situations alerts exist for: a community
# that went quiet five weeks ago and one that lost ~12 % of its members in the
# last week. Exit code 3 means "there are active alerts"; the weekly report below
# shows those that are open.
# Ten minutes after it: judged at $LAST itself, a clock that `at` sets to the second
# could stand before the run's snapshots and judge the run before.
step "vkpulse --config $CONFIG alerts (as of the last run)"
set +e
at $((LAST + 600)) "$VKPULSE" --config "$CONFIG" alerts
rc=$?
set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || exit "$rc"

# After the alerts, so that it lists those in force; on the same clock.
step "vkpulse --config $CONFIG status"
at $((LAST + 600)) "$VKPULSE" --config "$CONFIG" status

# ---- the moderators' weekly report ---------------------------------------------------
# The last complete week, the 8 weeks before it as the trend: on the terminal,
# then as one self-contained HTML file with charts.
step "vkpulse --config $CONFIG report"
"$VKPULSE" --config "$CONFIG" report
step "vkpulse --config $CONFIG report --format html --output out/report.html"
"$VKPULSE" --config "$CONFIG" report --format html --output out/report.html
# One community's page alone (the one that lost members last week), and the same
# report as an Excel workbook: summary, figures, every post, best time, alerts.
step "vkpulse --config $CONFIG report --community rmo_neuspeshnost --format html --output out/community.html"
"$VKPULSE" --config "$CONFIG" report --community rmo_neuspeshnost --format html \
    --output out/community.html
step "vkpulse --config $CONFIG report --format xlsx --output out/report.xlsx"
"$VKPULSE" --config "$CONFIG" report --format xlsx --output out/report.xlsx

# ---- the institute's yearly report ----------------------------------------------------
# The first run read every wall back to its first post (three years in the demo
# region), so the last complete year stands beside the two before it from day one:
# dated figures exactly, likes, views and reposts of each year's posts as of now.
step "vkpulse --config $CONFIG report --period year"
"$VKPULSE" --config "$CONFIG" report --period year
step "vkpulse --config $CONFIG report --period school-year --format html --output out/yearly.html"
"$VKPULSE" --config "$CONFIG" report --period school-year --format html --output out/yearly.html

# ---- the researchers' survey cross-check ------------------------------------------------
# Survey exports shaped like the institute's 2023 one (42 municipalities, Chelyabinsk city
# missing until 2025), each set against what the members from each municipality were seen
# doing in the year that survey describes ([survey] period: the calendar year), then the
# three years side by side with what changed.
for y in 2023 2024 2025; do
    step "vkpulse --config $CONFIG survey import config/demo-survey-$y.csv --year $y"
    "$VKPULSE" --config "$CONFIG" survey import config/demo-survey-$y.csv --year $y
done
step "vkpulse --config $CONFIG crosscheck --year 2025"
"$VKPULSE" --config "$CONFIG" crosscheck --year 2025
"$VKPULSE" --config "$CONFIG" crosscheck --year 2025 --format html --output out/crosscheck.html
step "vkpulse --config $CONFIG crosscheck --years 2023,2024,2025"
"$VKPULSE" --config "$CONFIG" crosscheck --years 2023,2024,2025
"$VKPULSE" --config "$CONFIG" crosscheck --years 2023,2024,2025 --format html \
    --output out/crosscheck-years.html

printf '\ndemo database: %s\n' "out/demo.db"
printf 'weekly report: %s (open it in a browser)\n' "$PWD/out/report.html"
printf 'one community: %s\n' "$PWD/out/community.html"
printf 'weekly report as a workbook: %s\n' "$PWD/out/report.xlsx"
printf 'yearly report (school year): %s\n' "$PWD/out/yearly.html"
printf 'survey cross-check: %s\n' "$PWD/out/crosscheck.html"
printf 'survey years side by side: %s\n' "$PWD/out/crosscheck-years.html"
