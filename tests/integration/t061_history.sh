#!/usr/bin/env bash
# t061_history.sh: one first collection of a region with two years of history
# (fakevk --years 2, an independent seed) with the default horizon (the whole
# wall), then reports of periods long before it, compared with the fake's own
# ground truth (--dump-expected and --dump-counters at the collection's time):
# posts, reposts of other communities, comments, active people (comments,
# reposts, authorship, and likes: the first collection's dated by their post)
# exactly; the period's posts' likes, views, comments and
# reposts as of the collection exactly; the same figures summed over a year.
# Also: the request floor of that first collection, and subscribers, joins and
# leaves rebuilt from stats.get for the group whose admin the token is.
#
# Run by ctest with VKP_SRC (repository root) and VKP_BUILD (build directory).
# Talks only to 127.0.0.1.
source "$(dirname "$0")/lib.sh"

ANCHOR=1795392000 # Monday 2026-11-23 00:00 UTC, the fake dataset's present
AT=$((ANCHOR + 3600))
FAKE_ARGS=(--dataset tiny --years 2 --seed 7 --posts 400 --admin-groups 200000001)
command -v faketime >/dev/null || fail "faketime is not installed: run scripts/deps.sh"

# ---- one first collection ------------------------------------------------------
start_fake "${FAKE_ARGS[@]}" --rps 100 --time "$AT"
write_config "$tmp/c.ini" 20
sed -i '/^horizon_days = /d' "$tmp/c.ini" # the default: the whole wall
export VKPULSE_TOKEN=demo-token
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
fake_reset # init fetched the city directory: the floor is the collection's
expect "first collection" 0 at "$AT" "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
requests=$(fake_stat requests)
calls=$(fake_stat calls)
# A first run, with no run stored to vouch for its clock, asks VK's (utils.getServerTime)
# inside its first request: no request of its own.
# A thin batch also leaves when the network has kept the rate idle for a gap (a slot lost
# is lost for good), and how often that happens depends on the machine's speed (ASan, a
# busy machine): this bounds the packing, not the timing, so it allows 5 % of them.
full=$(((calls + 24) / 25))
floor=$((full + 3 + (full + 19) / 20))
check "request floor: $requests requests for $calls calls (<= $floor)" [ "$requests" -le "$floor" ]
oldest_day=$(sqlite3 "$tmp/vk.db" "SELECT min(day) FROM stat_day d JOIN community c
    ON c.id = d.community_id WHERE c.vk_id = 200000001")
check "stats.get paged back beyond one call's 999 days" [ "$oldest_day" -lt $((AT - 999 * 86400)) ]
stop_fake
"$FAKEVK" "${FAKE_ARGS[@]}" --time "$AT" --dump-expected "$tmp/exp.tsv" \
    --dump-counters "$tmp/cnt.tsv" 2>/dev/null || fail "fakevk cannot dump its dataset"
ok
expected "$tmp/exp.sorted" "${FAKE_ARGS[@]}" --time "$AT"
same_data "the whole history was collected" "$tmp/exp.sorted" "$tmp/vk.db"

# ---- the truth, from the fake's dumps, for the period a report covers ----------
cat >"$tmp/truth.py" <<'EOF'
import json, sys
from datetime import datetime
exp, cnt, report = sys.argv[1:4]
values_only = sys.argv[4:] == ["values"] # the period of the collection: approximate statuses
r = json.load(open(report))
period = r["week"] if "week" in r else r["years"][-1]
start = int(datetime.fromisoformat(period["start"]).timestamp())
end = int(datetime.fromisoformat(period["end"]).timestamp())
posts, comments, reposts, likes, counters = {}, [], [], [], {}
for line in open(exp):
    f = line.rstrip("\n").split("\t")
    if f[0] == "post":
        posts[(int(f[1]), int(f[2]))] = dict(frm=int(f[3]), signer=int(f[4]), date=int(f[5]),
                                             copy=int(f[7]))
    elif f[0] == "comment":
        comments.append((int(f[1]), int(f[2]), int(f[4]), int(f[6])))
    elif f[0] == "repost":
        reposts.append((int(f[1]), int(f[2]), int(f[3]), int(f[5])))
    elif f[0] == "like":
        likes.append((int(f[1]), int(f[2]), int(f[3])))
for line in open(cnt):
    f = line.split("\t")
    if f[0] != "counter":
        continue
    counters[(int(f[1]), int(f[2]))] = [int(x) for x in f[3:7]]
bad = 0
# The report period's figures: the last week of a weekly report, the last year of a yearly one.
def figures(c):
    return c["weeks"][-1]["figures"] if "weeks" in c else c["figures"]
def figure(c, key):
    f = figures(c)[key]
    if "weeks" in c:
        return (f["value"], f["status"])
    return (f["values"][-1], f["status"][-1])
def same(what, got, want):
    global bad
    if values_only and isinstance(got, tuple):
        got, want = got[0], want[0]
    if got != want:
        print(f"{what}: report {got}, dataset {want}")
        bad = 1
network_active = set()
for c in r["communities"]:
    o = -c["vk_id"]
    mine = {k: p for k, p in posts.items() if k[0] == o and start <= p["date"] < end}
    people = set()
    for (ow, pid, uid, date) in comments:
        if ow == o and start <= date < end and uid > 0:
            people.add(uid)
    for (ow, pid, uid, date) in reposts:
        if ow == o and start <= date < end and uid > 0:
            people.add(uid)
    for p in mine.values():
        who = p["signer"] if p["signer"] > 0 else p["frm"]
        if who > 0:
            people.add(who)
    # One definition for every period: likers too, a like the first collection found
    # dated by its post's date.
    for (ow, pid, uid) in likes:
        if (ow, pid) in mine:
            people.add(uid)
    network_active |= people
    want = {
        "posts": len(mine),
        "posts_by_members": sum(1 for p in mine.values() if p["signer"] > 0 or p["frm"] > 0),
        "reposts_of_other_communities": sum(1 for p in mine.values()
                                            if p["copy"] < 0 and p["copy"] != o),
        "comments": sum(1 for (ow, pid, uid, date) in comments if ow == o and start <= date < end),
        "active_people": len(people),
        "own_posts_views": sum(counters[k][0] for k in mine),
        "own_posts_likes": sum(counters[k][1] for k in mine),
        "own_posts_comments": sum(counters[k][2] for k in mine),
        "own_posts_reposts": sum(counters[k][3] for k in mine),
    }
    for k, v in want.items():
        if k in figures(c):
            same(f'{c["ref"]} {k}', figure(c, k), (v, "ok"))
    if c["ref"] == "test_group_1":
        same("subscribers rebuilt from stats.get", figure(c, "subscribers_start")[1],
             "approximate")
        if "joined" in figures(c): # joins and leaves from stats.get days (Moscow days: ~)
            for k in ("joined", "left"):
                v = figure(c, k)
                if v[1] != "approximate" or v[0] is None or v[0] < 0:
                    print(f"{k} of the admin group from stats.get: {v}")
                    bad = 1
    else:
        same("no subscriber history without stats.get", figure(c, "subscribers_start")[0], None)
        if "joined" in figures(c):
            same("no joins without stats.get", figure(c, "joined")[0], None)
same("network active_people", figure(r["network"], "active_people")[0], len(network_active))
sys.exit(bad)
EOF

# Every report names its period, so none depends on today's date (and needs no faketime).
R=("$VKPULSE" --config "$tmp/c.ini" report --format json)
expect "report of a week a year before the collection" 0 "${R[@]}" --week 2025-W30 --weeks 1 \
    --output "$tmp/w.json"
check "the week's figures equal the dataset's" python3 "$tmp/truth.py" "$tmp/exp.tsv" \
    "$tmp/cnt.tsv" "$tmp/w.json"
expect "report of the week 100 weeks before" 0 "${R[@]}" --week 2024-W50 --weeks 2 \
    --output "$tmp/w2.json"
check "that week's figures equal the dataset's" python3 "$tmp/truth.py" "$tmp/exp.tsv" \
    "$tmp/cnt.tsv" "$tmp/w2.json"
expect "text report of that week" 0 "$VKPULSE" --config "$tmp/c.ini" report --week 2025-W30 \
    --lang en
out_has "history note" 'before the first collection: posts, comments, reposts and authors'
out_has "as-of note" "counters of the period's posts as of the last collection"
out_has "stats note" 'subscribers rebuilt from stats.get day figures'
out_has "no stats note" 'subscribers before the first collection are unknown'

# ---- the yearly report: the year before the collection, and the two before it ----
expect "yearly report of 2025" 0 "${R[@]}" --period year --to 2025 --output "$tmp/y.json"
check "the year's figures equal the dataset's" python3 "$tmp/truth.py" "$tmp/exp.tsv" \
    "$tmp/cnt.tsv" "$tmp/y.json"
check "yearly json matches docs/yearly.schema.json" python3 -c "
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[2])), schema)" "$VKP_SRC/docs/yearly.schema.json" "$tmp/y.json"
check "three years beside each other" python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert [y['id'] for y in r['years']] == ['2023', '2024', '2025'], r['years']
assert r['network']['figures']['posts']['values'][1] > 0" "$tmp/y.json"
# An open year: 2026 as of the collection, each year to the same day (the clock moved there).
expect "yearly report of the open year" 0 at $((AT + 600)) "${R[@]}" --period year --to 2026 \
    --output "$tmp/y26.json"
check "the open year's figures equal the dataset's over its span" python3 "$tmp/truth.py" \
    "$tmp/exp.tsv" "$tmp/cnt.tsv" "$tmp/y26.json" values
check "the open year's json matches docs/yearly.schema.json" python3 -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))" \
    "$VKP_SRC/docs/yearly.schema.json" "$tmp/y26.json"
check "each year to the same day: 1 January - 23 November" python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert r['year_to_date'].startswith('2026-11-23T06:10:'), r['year_to_date']
assert [y['id'] for y in r['years']] == ['2024', '2025', '2026'], r['years']
assert [y['end'][:10] for y in r['years']] == ['2024-11-23', '2025-11-23', '2026-11-23'], r['years']
assert [y['complete'] for y in r['years']] == [True, True, False], r['years']
assert r['network']['figures']['posts']['trend'] != 'open', 'like with like: a verdict'
assert 'year_to_date' in r['network']['notes']" "$tmp/y26.json"
expect "the open year in text" 0 at $((AT + 600)) "$VKPULSE" --config "$tmp/c.ini" report \
    --period year --to 2026 --lang en
out_has "the open year is labelled" '^\* incomplete: each year from its start to the same day as the last.*\(2026-01-01 – 2026-11-23\)'
expect "school-year report, one community" 0 "${R[@]}" --period school-year --to 2025/26 \
    --community test_group_2 --output "$tmp/s.json"
check "the school year's figures equal the dataset's" python3 "$tmp/truth.py" "$tmp/exp.tsv" \
    "$tmp/cnt.tsv" "$tmp/s.json"
check "only the asked community" python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert [c['ref'] for c in r['communities']] == ['test_group_2']" "$tmp/s.json"
# the same group named by its id, club id or link
for ref in 200000002 club200000002 https://vk.com/test_group_2; do
    expect "school-year report, --community $ref" 0 "${R[@]}" --period school-year --to 2025/26 \
        --community "$ref" --output "$tmp/s2.json"
    check "--community $ref is the same group" cmp -s <(grep -v generated_at "$tmp/s.json") \
        <(grep -v generated_at "$tmp/s2.json")
done
"$VKPULSE" --config "$tmp/c.ini" report --period school-year --to 2025/26 --community test_group_2 \
    --lang en >"$tmp/s.txt" || fail "text report of one community"
check "one community's report is that community's, no network total" \
    sh -c "grep -q '^=== .* (test_group_2) ===' '$tmp/s.txt' && ! grep -Eq 'Whole network|Selected communities' '$tmp/s.txt'"
expect "an unknown community" 2 "${R[@]}" --community club999 --output "$tmp/none.json"
err_has "an unknown community: how to name one" "no community 'club999'.*screen name, id or link"
expect "monthly report" 0 "${R[@]}" --period month --from 2025-01 --to 2025-06 \
    --output "$tmp/m.json"
check "the month's figures equal the dataset's" python3 "$tmp/truth.py" "$tmp/exp.tsv" \
    "$tmp/cnt.tsv" "$tmp/m.json"
check "monthly json matches docs/report.schema.json" python3 -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))" \
    "$VKP_SRC/docs/report.schema.json" "$tmp/m.json"
check "a window of six months" python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert [w['id'] for w in r['window']] == ['2025-0%d' % i for i in range(1, 7)], r['window']" \
    "$tmp/m.json"
expect "yearly text" 0 "$VKPULSE" --config "$tmp/c.ini" report --period year --to 2025 --lang en
out_has "yearly title" '^Yearly community report — Year 2025'
out_has "yearly columns" '^Figure +2023 +2024 +2025 +Change +Dynamics'
out_has "as of" 'as of the last collection: 2026-11-23'
expect "yearly html" 0 "${R[@]}" --period year --to 2025 --format html --output "$tmp/y.html"
check "a chart per yearly figure" [ "$(grep -c '<svg' "$tmp/y.html")" -ge 12 ]
expect "yearly csv" 0 "${R[@]}" --period year --to 2025 --format csv --output "$tmp/y.csv"
check "yearly csv rows" grep -q '^yearly_trend,2025,network,,posts,' "$tmp/y.csv"
expect "bad period" 2 "${R[@]}" --period decade
err_has "bad period message" "--period must be week, month, quarter, year or school-year"
expect "bad school year" 2 "${R[@]}" --period school-year --to 2025/27
err_has "bad school year message" "'2025/27' is not a school year"
expect "unknown community" 2 "${R[@]}" --community nope
err_has "unknown community message" "no community 'nope' in the database"

finish
