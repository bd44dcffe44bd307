#!/usr/bin/env bash
# smoke.sh: starts fakevk on an ephemeral 127.0.0.1 port, checks a handful of answers, exits 0.
#
# Usage: tests/fakevk/smoke.sh [path/to/fakevk]
#   FAKEVK=...       the binary (default: the first argument, else build*/tests/fakevk/fakevk)
#   VK_SCHEMA=...    the VK API JSON schema (default ../shared/vk-api-schema beside the repository); every answer is
#                    validated against it when present
#   VALGRIND=1       run the server under valgrind and require a clean report
# Talks to 127.0.0.1 only. Needs curl and python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-${FAKEVK:-}}
if [ -z "$bin" ]; then
    for b in "$repo"/build*/tests/fakevk/fakevk; do
        [ -x "$b" ] && bin=$b && break
    done
fi
[ -n "$bin" ] && [ -x "$bin" ] || {
    echo "smoke: fakevk binary not found; build it or pass its path" >&2
    exit 2
}
# The official schema sits in ../shared beside the repository.
schema=${VK_SCHEMA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/vk-api-schema}
[ -d "$schema" ] || schema=

work=$(mktemp -d "${TMPDIR:-/tmp}/fakevk-smoke.XXXXXX")
server_pid=
failures=0
checks=0
T=1795392000 # the default anchor: everything is visible

cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() {
    checks=$((checks + 1))
}

# start_server NAME ARGS...: runs fakevk in the background and waits for its port file.
start_server() {
    local name=$1
    shift
    rm -f "$work/port"
    if [ "${VALGRIND:-0}" = 1 ]; then
        valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
            --error-exitcode=99 --log-file="$work/$name.vg" \
            "$bin" --port 0 --port-file "$work/port" "$@" \
            >"$work/$name.out" 2>"$work/$name.err" &
    else
        "$bin" --port 0 --port-file "$work/port" "$@" >"$work/$name.out" 2>"$work/$name.err" &
    fi
    server_pid=$!
    # A handshake: the port file, or the server's end; 3000 x 0.1 s is a hang detector.
    for _ in $(seq 1 3000); do
        [ -s "$work/port" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ ! -s "$work/port" ]; then
        cat "$work/$name.err" >&2
        echo "smoke: the server did not start" >&2
        exit 1
    fi
    port=$(cat "$work/port")
    base="http://127.0.0.1:$port"
}

# stop_server NAME: SIGTERM; the server must print its statistics and exit 0.
stop_server() {
    local name=$1 rc
    kill -TERM "$server_pid"
    wait "$server_pid"
    rc=$?
    server_pid=
    [ "$rc" = 0 ] && pass || fail "$name: exit code $rc after SIGTERM"
    grep -q '"requests":' "$work/$name.out" && pass || fail "$name: no statistics on stdout"
    if [ "${VALGRIND:-0}" = 1 ]; then
        grep -q "ERROR SUMMARY: 0 errors" "$work/$name.vg" && pass ||
            fail "$name: valgrind: $(grep 'ERROR SUMMARY' "$work/$name.vg")"
        grep -q "All heap blocks were freed" "$work/$name.vg" && pass ||
            fail "$name: valgrind found leaks"
    fi
    grep -q "handles still open" "$work/$name.err" && fail "$name: handles left open" || pass
}

# api METHOD QUERY: POSTs a form to /method/METHOD with the demo token; the answer goes to
# $work/ans.json and is validated against the schema.
api() {
    local method=$1 query=$2
    curl -s -m 120 -o "$work/ans.json" -d "$query&access_token=demo-token&v=5.199" \
        "$base/method/$method" || fail "$method: curl failed"
    if [ -n "$schema" ]; then
        local args=()
        IFS='&' read -r -a args <<<"$query"
        python3 "$here/schema_check.py" "$schema" "$method" "${args[@]}" <"$work/ans.json" &&
            pass || fail "$method ($query): answer does not match the schema"
    fi
}

# expect PYTHON_EXPR: evaluates an expression over the last answer `a`; must be true.
expect() {
    python3 -c "
import json, sys
a = json.load(open(sys.argv[1]))
sys.exit(0 if ($1) else 1)" "$work/ans.json" && pass || fail "expected: $1; got: $(head -c 300 "$work/ans.json")"
}

echo "smoke: $bin${schema:+ (schema $schema)}"
[ -n "$schema" ] || echo "smoke: no VK API schema beside the repository: answers are not checked against it"

# ---- 1. the tiny dataset: every method, errors, HTTP behaviour, the expected dump ----
"$bin" --dataset tiny --time $T --closed-comments --dump-expected "$work/tiny.tsv" 2>"$work/dump.err" ||
    fail "--dump-expected failed"
grep -q "^group	200000001	test_group_1	" "$work/tiny.tsv" && pass || fail "dump: no group line"
LC_ALL=C sort -c "$work/tiny.tsv" && pass || fail "dump: lines are not sorted in C order"

start_server tiny --dataset tiny --time $T --rps 100000 --service-token svc \
    --admin-groups 200000001 --closed-comments
grep -q "listening on 127.0.0.1:$port" "$work/tiny.err" && pass || fail "no 'listening' line"

api groups.getById "group_ids=200000001,test_group_2&fields=members_count"
expect "len(a['response']['groups']) == 2 and a['response']['profiles'] == []"
expect "a['response']['groups'][1]['screen_name'] == 'test_group_2'"
api groups.getMembers "group_id=200000001&count=5&fields=city"
expect "a['response']['count'] > 5 and len(a['response']['items']) == 5"
expect "[u['id'] for u in a['response']['items']] == sorted(u['id'] for u in a['response']['items'])"
api wall.get "owner_id=-200000001&count=100"
expect "a['response']['items'][0].get('is_pinned') == 1"
expect "all('is_pinned' not in p for p in a['response']['items'][1:])"
expect "[p['date'] for p in a['response']['items'][1:]] == sorted((p['date'] for p in a['response']['items'][1:]), reverse=True)"
post=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['response']['items'][1]['id'])" "$work/ans.json")
api likes.getList "type=post&owner_id=-200000001&item_id=$post"
expect "a['response']['count'] == len(a['response']['items'])"
api wall.getComments "owner_id=-200000001&post_id=$post&thread_items_count=10&count=100"
expect "a['response']['count'] >= a['response']['current_level_count']"
api wall.getReposts "owner_id=-200000001&post_id=$post&count=1000"
expect "'count' not in a['response']"
api stats.get "group_id=200000001&timestamp_from=$((T - 7 * 86400))&timestamp_to=$T"
expect "len(a['response']) == 8"
api stats.get "group_id=200000002"
expect "a['error']['error_code'] == 15"
api execute "code=return [API.wall.get({\"owner_id\": -200000001, \"count\": 1}), API.no.such({})];"
expect "a['response'][1] is False and a['execute_errors'][0]['error_code'] == 3"
api execute "code=var x = 1; return x;"
expect "a['error']['error_code'] == 12"
# the city directory: regions, the region's localities paged, cities by id
api database.getRegions "country_id=1&q=челябинская"
expect "a['response'] == {'count': 1, 'items': [{'id': 1004, 'title': 'Челябинская область'}]}"
api database.getCities "country_id=1&region_id=1004&need_all=1&count=1000"
expect "a['response']['count'] > 1100 and len(a['response']['items']) == 1000"
expect "sum(1 for c in a['response']['items'] if c['title'] == 'Берёзовка') > 5"
expect "all('region' not in c for c in a['response']['items'])"
api database.getCities "country_id=1&region_id=1004&need_all=1&count=1000&offset=1000"
expect "0 < len(a['response']['items']) == a['response']['count'] - 1000"
api database.getCities "country_id=1&region_id=1004&count=100"
expect "all(c['important'] == 1 and 'area' not in c for c in a['response']['items'])"
api database.getCities "country_id=1&q=Первомайский&need_all=1"
expect "{c['region'] for c in a['response']['items']} == {'Челябинская область', 'Оренбургская область'}"
api database.getCitiesById "city_ids=158,1600001,1"
expect "[c['id'] for c in a['response']] == [158, 1600001, 1]"
api execute "code=return [API.database.getCities({\"country_id\": 1, \"region_id\": 1004, \"need_all\": 1, \"count\": 1000}), API.database.getCities({\"country_id\": 1, \"region_id\": 1004, \"need_all\": 1, \"count\": 1000, \"offset\": 1000})];"
expect "len(a['response'][0]['items']) + len(a['response'][1]['items']) == a['response'][0]['count']"
api no.such ""
expect "a['error']['error_code'] == 3"
api wall.get "owner_id=-1"
expect "a['error']['error_code'] == 100"
curl -s -m 120 -o "$work/ans.json" "$base/method/users.get?access_token=nope&v=5.199"
expect "a['error']['error_code'] == 5 and a['error']['request_params'][0] == {'key': 'method', 'value': 'users.get'}"
curl -s -m 120 -o "$work/ans.json" "$base/method/users.get?access_token=demo-token"
expect "a['error']['error_code'] == 100"
curl -s -m 120 -o "$work/ans.json" "$base/method/execute?access_token=svc&v=5.199&code=return%201;"
expect "a['error']['error_code'] == 28"

# keep-alive: three requests, one connection
u="$base/method/users.get?access_token=demo-token&v=5.199"
n=$(curl -s -m 120 -v "$u" "$u" "$u" -o /dev/null -o /dev/null -o /dev/null 2>&1 | grep -c "Re-using")
[ "$n" = 2 ] && pass || fail "keep-alive: the connection was not reused ($n)"
# Expect: 100-continue, then the body
code=$(curl -s -m 120 -v -H "Expect: 100-continue" -d "access_token=demo-token&v=5.199" \
    -o /dev/null "$base/method/users.get" 2>&1 | grep -c "HTTP/1.1 100 Continue")
[ "$code" = 1 ] && pass || fail "Expect: 100-continue was not answered"
# Connection: close is honoured
curl -s -m 120 -v -H "Connection: close" "$u" -o /dev/null 2>&1 | grep -qi "< Connection: close" &&
    pass || fail "Connection: close not honoured"
# oversized body
head -c 1100000 /dev/zero | tr '\0' a >"$work/big"
code=$(curl -s -m 120 -o /dev/null -w "%{http_code}" --data-binary @"$work/big" "$base/method/users.get")
[ "$code" = 413 ] && pass || fail "a 1.1 MB body got HTTP $code, not 413"
curl -s -m 120 -o /dev/null -w "%{content_type}" "$u" | grep -q "application/json; charset=utf-8" &&
    pass || fail "wrong Content-Type"

# a perfect collector reproduces the expected dump, and counters agree with lists
python3 "$here/collect_check.py" "$port" "$work/tiny.tsv" >"$work/collect.log" 2>&1 &&
    pass || fail "collect_check: $(tail -5 "$work/collect.log")"

# control endpoints
curl -s -m 120 -o "$work/ans.json" "$base/_fake/stats"
expect "a['requests'] > 10 and a['calls'] > 10 and 'by_method' in a and 'faults' in a"
curl -s -m 120 -o "$work/ans.json" -X POST "$base/_fake/time?set=$((T - 200 * 86400))"
expect "a['time'] == $((T - 200 * 86400))"
api groups.getById "group_ids=200000001&fields=members_count"
small=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['response']['groups'][0]['members_count'])" "$work/ans.json")
big=$(awk -F'\t' '$1=="group" && $2==200000001 {print $4}' "$work/tiny.tsv")
[ "$small" -le "$big" ] && pass || fail "members_count in the past ($small) exceeds today's ($big)"
curl -s -m 120 -o "$work/ans.json" -X POST "$base/_fake/reset-stats"
curl -s -m 120 -o "$work/ans.json" "$base/_fake/stats"
expect "a['requests'] == 0 and a['calls'] == 0"
# hostile answers lie, but in the schema's shape
curl -s -m 120 -o "$work/ans.json" -X POST "$base/_fake/hostile?set=bogus"
expect "'error' in a"
curl -s -m 120 -o "$work/ans.json" -X POST "$base/_fake/hostile?set=huge-count,control,renamed,zero-like"
expect "a == {'ok': 1}"
api groups.getById "group_ids=test_group_1_v2&fields=members_count"
expect "a['response']['groups'][0]['members_count'] == 10**12 and '\\x1b' in a['response']['groups'][0]['name'] and a['response']['groups'][0]['screen_name'] == 'test_group_1_v2'"
api groups.getById "group_ids=test_group_1"
expect "a['error']['error_code'] == 100"
api groups.getMembers "group_id=200000001&fields=city"
expect "a['response']['count'] == 10**12 and '\\r' in a['response']['items'][0]['first_name']"
curl -s -m 120 -o "$work/ans.json" -X POST "$base/_fake/hostile?set="
expect "a == {'ok': 1}"
api groups.getById "group_ids=test_group_1&fields=members_count"
expect "a['response']['groups'][0]['members_count'] < 1000"
stop_server tiny

# ---- 2. the rate window and execute accounting ----
# A window of 10 minutes: the 5 requests fall into it however slow the machine is.
start_server rate --dataset tiny --time $T --rps 3 --rate-window 600000
for i in 1 2 3 4 5; do
    curl -s -m 60 "$base/method/users.get?access_token=demo-token&v=5.199" >>"$work/rate.txt"
    echo >>"$work/rate.txt"
done
n=$(grep -c '"error_code":6' "$work/rate.txt")
[ "$n" = 2 ] && pass || fail "5 requests in a window of 3: $n error-6 answers, not 2"
[ "$(head -3 "$work/rate.txt" | grep -c '"response"')" = 3 ] && pass ||
    fail "the first 3 requests of the window were not all answered"
curl -s -m 60 -o "$work/ans.json" "$base/_fake/stats"
expect "a['requests'] == 5 and a['calls'] == 3 and a['errors'].get('6') == 2 and a['rate_limited'] == 2"
stop_server rate
# Error 6 by construction (--fail-6-at), and a pause that holds answers until resumed.
start_server nth --dataset tiny --time $T --rps 1000 --fail-6-at 2,4 --pause-file "$work/paused"
code='return [API.users.get({}), API.users.get({}), API.users.get({})];'
for i in 1 2 3 4; do
    curl -s -m 60 --data-urlencode "code=$code" -d "access_token=demo-token&v=5.199" \
        "$base/method/execute" >>"$work/nth.txt"
    echo >>"$work/nth.txt"
done
[ "$(grep -c '"error_code":6' "$work/nth.txt")" = 2 ] && [ "$(sed -n 2p "$work/nth.txt" | grep -c '"error_code":6')" = 1 ] &&
    pass || fail "--fail-6-at 2,4: not the 2nd and 4th answers: $(cut -c1-60 "$work/nth.txt")"
curl -s -m 60 -o "$work/ans.json" "$base/_fake/stats"
expect "a['requests'] == 4 and a['calls'] == 6 and a['executes'] == 2 and a['faults']['6'] == 2"
curl -s -m 60 -o "$work/ans.json" -X POST "$base/_fake/pause?at=2&method=users.get"
expect "a['ok'] == 1 and a['armed'] == 1 and a['paused'] == 0"
api users.get ""
expect "'response' in a"
curl -s -m 600 -o "$work/held.json" "$base/method/users.get?access_token=demo-token&v=5.199" &
held=$!
for _ in $(seq 1 3000); do
    [ -s "$work/paused" ] && break
    sleep 0.1
done
grep -q '^paused at request 2: users.get$' "$work/paused" && pass || fail "no pause file at the 2nd users.get"
curl -s -m 60 -o "$work/ans.json" "$base/_fake/pause"
expect "a['paused'] == 1 and a['held'] == 1"
[ ! -s "$work/held.json" ] && pass || fail "a held answer was sent before the resume"
curl -s -m 60 -o "$work/ans.json" -X POST "$base/_fake/resume"
expect "a == {'ok': 1, 'held': 1}"
wait "$held"
cp "$work/held.json" "$work/ans.json"
expect "'response' in a"
[ ! -e "$work/paused" ] && pass || fail "the pause file outlived the resume"
stop_server nth

echo "smoke: $checks checks passed, $failures failed"
[ "$failures" = 0 ]
