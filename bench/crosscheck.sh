#!/usr/bin/env bash
# crosscheck.sh: how long `vkpulse crosscheck` takes over a region with 300,000 member
# rows. Collects the fake server's `huge` dataset (one group, grown to ~300,000 current
# members in real Chelyabinsk settlements) on 127.0.0.1, imports a survey naming all 43
# municipalities, then times the crosscheck in each format and the pseudonymous export.
# Prints each figure; exits 1 when a crosscheck takes longer than LIMIT seconds (10) or
# something fails.
#
#   bash bench/crosscheck.sh            # builds the Release build in build-bench/
#   BUILD=build bash bench/crosscheck.sh   # or uses an existing build with fakevk
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SRC=$PWD
BUILD=${BUILD:-build-bench}
LIMIT=${LIMIT:-10}
MEMBERS=${MEMBERS:-330000}   # the fake keeps ~92 % of them current: over 300,000 rows
ANCHOR=1795392000

bash scripts/deps.sh --dev
if [ "$BUILD" = build-bench ]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVKPULSE_TESTS=ON >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target vkpulse fakevk >/dev/null
fi
VKPULSE="$BUILD/vkpulse"
FAKEVK="$BUILD/tests/fakevk/fakevk"
tmp=$(mktemp -d /tmp/vkp_bench_crosscheck_XXXXXX)
fake=
cleanup() {
    [ -n "$fake" ] && kill "$fake" 2>/dev/null && wait "$fake" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

"$FAKEVK" --dataset huge --members "$MEMBERS" --rps 20 --time $((ANCHOR + 3600)) --port 0 \
    --port-file "$tmp/port" >/dev/null 2>"$tmp/fake.log" &
fake=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
cat >"$tmp/c.ini" <<INI
[database]
path = $tmp/b.db
[vk]
api_url = http://127.0.0.1:$(cat "$tmp/port")/method
requests_per_second = 20
token_env = BENCH_TOKEN
[collect]
horizon_days = 3650
stats = no
[region]
municipalities = $SRC/config/regions/chelyabinsk.ini
[survey]
pseudonym_salt = bench-salt-0123456789abcdef
[community]
group = test_group_1
kind = rmo
survey_name = Тестовое сообщество 1
INI
# One RMO configured: Q13 is 13.1 (it), 13.2 (none), 13.3 (don't know); Q16 has only
# 16.1 (none) and 16.2 (don't know). Every municipality answers, levels in turn.
{
    echo "Муниципалитет,В каких региональных методических объединениях,Оцените характер участия педагогов в указанных в п. 14 региональных методических объединениях,В каких региональных профессиональных сетевых сообществах,Оцените характер участия педагогов в указанных в п. 17 региональных профессиональных сетевых сообществах"
    grep '^\[' "$SRC/config/regions/chelyabinsk.ini" | tr -d '[]' |
        awk '{ printf "%s,13.1,14.%d,16.2,17.5\n", $0, NR % 5 + 1 }'
} >"$tmp/survey.csv"
export BENCH_TOKEN=demo-token
C=(--config "$tmp/c.ini")
"$VKPULSE" "${C[@]}" init >/dev/null
start=$(date +%s.%N)
"$VKPULSE" "${C[@]}" collect --once --quiet 2>/dev/null
collected=$(date +%s.%N)
"$VKPULSE" "${C[@]}" survey import "$tmp/survey.csv" --year 2023 >/dev/null 2>&1
rows=$(sqlite3 "$tmp/b.db" "SELECT count(*) FROM membership WHERE left_at IS NULL")
echo "member rows: $rows (collected in $(awk -v a="$start" -v b="$collected" 'BEGIN { printf "%.1f", b - a }') s)"

# timed LABEL CMD...: the best of three wall-clock runs of CMD, and its peak RSS.
failed=0
timed() {
    local label=$1 best=999999 t0 t1 rss
    shift
    for _ in 1 2 3; do
        t0=$(date +%s.%N)
        /usr/bin/time -v -o "$tmp/time" "$@" >/dev/null
        t1=$(date +%s.%N)
        best=$(awk -v a="$t0" -v b="$t1" -v m="$best" 'BEGIN { d = b - a; print (d < m ? d : m) }')
    done
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tmp/time")
    verdict=PASS
    awk -v t="$best" -v l="$LIMIT" 'BEGIN { exit !(t <= l) }' || { verdict=FAIL; failed=1; }
    printf '%-28s %6.2f s  (limit %s s, peak RSS %s MB)  %s\n' "$label" "$best" "$LIMIT" "$rss" "$verdict"
}
timed "crosscheck text" "$VKPULSE" "${C[@]}" crosscheck --year 2023 --window 52
timed "crosscheck json" "$VKPULSE" "${C[@]}" crosscheck --year 2023 --window 52 --format json
timed "crosscheck csv" "$VKPULSE" "${C[@]}" crosscheck --year 2023 --window 52 --format csv
timed "crosscheck html" "$VKPULSE" "${C[@]}" crosscheck --year 2023 --window 52 --format html
timed "pseudonymized member rows" "$VKPULSE" "${C[@]}" crosscheck --year 2023 --window 52 --pseudonymize
"$VKPULSE" "${C[@]}" crosscheck --year 2023 --window 52 --lang en | grep -E '^(Observation window|Thresholds):'
exit "$failed"
