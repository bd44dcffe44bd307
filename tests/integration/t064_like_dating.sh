#!/usr/bin/env bash
# t064_like_dating.sh: active people of a live week hold the truth between their
# bounds, and keep one definition across the first collection. Three collections:
# the first two weeks before the dataset's present, the second on the Sunday
# evening before the report week, the third on the Monday morning after it, so the
# likes the third found are dated by a bracket that straddles both of the week's
# edges. The fake's own like dates (--dump-counters `liked` lines) are the truth:
# the week's active people (authors, commenters, reposters, likers) must lie within
# the reported bounds, for each community and the network; the figure is
# approximate, with `bounds` in JSON and `~` in text. A week before the first
# collection has its likers too (dated by their post), so the definition does not
# change at the first collection. Clocks moved with libfaketime and /_fake/time.
#
# Run by ctest with VKP_SRC (repository root) and VKP_BUILD (build directory).
# Talks only to 127.0.0.1.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

H=3600
DAY=86400
WSTART=$((ANCHOR - 7 * DAY - 5 * H)) # Monday 00:00 +05:00 of the report week
WEND=$((ANCHOR - 5 * H))
T1=$((ANCHOR - 14 * DAY + H)) # the first collection
T2=$((WSTART - 3 * H))        # Sunday 21:00 +05:00, before the week
T3=$((WEND + 6 * H))          # Monday 06:00 +05:00, after it
FAKE_ARGS=(--dataset tiny --seed 11 --posts 600 --members 600)
WEEK=$(date -u -d "@$((WSTART + 3 * DAY))" +%F)  # a day of the report week
HWEEK=$(date -u -d "@$((T1 - 30 * DAY))" +%F)    # a week before the first collection

start_fake "${FAKE_ARGS[@]}" --rps 100 --time "$T1"
COLLECT_EXTRA="refresh_days = 3650" write_config "$tmp/c.ini" 20 # new likes on old posts too
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
for t in "$T1" "$T2" "$T3"; do
    curl -s -X POST "http://127.0.0.1:$PORT/_fake/time?set=$t" >/dev/null
    expect "collect at $t" 0 at "$t" "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
done
stop_fake
"$FAKEVK" "${FAKE_ARGS[@]}" --anchor "$ANCHOR" --time "$T3" --dump-expected "$tmp/exp.tsv" \
    --dump-counters "$tmp/cnt.tsv" 2>/dev/null || fail "fakevk cannot dump its dataset"
ok

R=(at $((T3 + H)) "$VKPULSE" --config "$tmp/c.ini" report)
expect "the live week" 0 "${R[@]}" --week "$WEEK" --weeks 1 --format json --output "$tmp/w.json"
expect "a week before the first collection" 0 "${R[@]}" --week "$HWEEK" --weeks 1 --format json \
    --output "$tmp/h.json"

# ---- the truth: who was active in [start, end), likes at their real dates ------------
cat >"$tmp/truth.py" <<'EOF'
import json, sys
from datetime import datetime
exp, cnt, report, mode = sys.argv[1:5]
r = json.load(open(report))
start = int(datetime.fromisoformat(r["week"]["start"]).timestamp())
end = int(datetime.fromisoformat(r["week"]["end"]).timestamp())
acts = {}  # owner -> set of people active in the week
post_date = {}
def add(owner, uid, date):
    if uid > 0 and start <= date < end:
        acts.setdefault(owner, set()).add(uid)
for line in open(exp):
    f = line.rstrip("\n").split("\t")
    if f[0] == "post":
        post_date[(int(f[1]), int(f[2]))] = int(f[5])
        add(int(f[1]), int(f[4]) if int(f[4]) > 0 else int(f[3]), int(f[5]))
    elif f[0] == "comment":
        add(int(f[1]), int(f[4]), int(f[6]))
    elif f[0] == "repost":
        add(int(f[1]), int(f[3]), int(f[5]))
for line in open(cnt):
    f = line.rstrip("\n").split("\t")
    if f[0] == "liked":
        o, p, uid, date = (int(x) for x in f[1:5])
        # the rule for likes the first collection found: their post's date
        add(o, uid, post_date[(o, p)] if mode == "history" else date)
bad = 0
network = set()
for c in r["communities"]:
    truth = acts.get(-c["vk_id"], set())
    network |= truth
    f = c["weeks"][-1]["figures"]["active_people"]
    if mode == "live":
        lo, hi = f.get("bounds", [f["value"], f["value"]])
        print(f'{c["ref"]}: truth {len(truth)}, reported {f["value"]} in [{lo}, {hi}]')
        if not (lo <= len(truth) <= hi and lo <= f["value"] <= hi and lo < hi):
            bad = 1
        if f["status"] != "approximate" or "bounds" not in f:
            print(f'{c["ref"]}: a bracket straddles the edges: approximate with bounds, not {f}')
            bad = 1
    elif f["value"] != len(truth) or "bounds" in f:
        print(f'{c["ref"]}: history week {f}, by the rule {len(truth)}')
        bad = 1
f = r["network"]["weeks"][-1]["figures"]["active_people"]
if mode == "live":
    lo, hi = f["bounds"]
    print(f'network: truth {len(network)}, reported {f["value"]} in [{lo}, {hi}]')
    bad |= not (lo <= len(network) <= hi)
sys.exit(bad)
EOF
check "the live week's truth lies within the bounds" python3 "$tmp/truth.py" "$tmp/exp.tsv" \
    "$tmp/cnt.tsv" "$tmp/w.json" live
check "a week before the first collection counts its likers (by their post's date)" python3 \
    "$tmp/truth.py" "$tmp/exp.tsv" "$tmp/cnt.tsv" "$tmp/h.json" history
check "the live week's json matches docs/report.schema.json" python3 -c "
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))" \
    "$VKP_SRC/docs/report.schema.json" "$tmp/w.json"
expect "csv" 0 "${R[@]}" --week "$WEEK" --weeks 1 --format csv --output "$tmp/w.csv"
check "csv gives the json's bounds in its lower and upper columns" python3 -c "
import csv, json, sys
r = json.load(open(sys.argv[2]))
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
assert rows[0][-2:] == ['lower', 'upper'], rows[0]
got = {(x[2], x[4]): x[8:] for x in rows if x[0] == 'figures'}
n = 0
for ref, s in [('network', r['network'])] + [(c['ref'], c) for c in r['communities']]:
    for k, f in s['weeks'][-1]['figures'].items():
        want = [str(v) for v in f['bounds']] if 'bounds' in f else ['', '']
        assert got[(ref, k)] == want, (ref, k, got[(ref, k)], want)
        n += 'bounds' in f
assert n, 'no bounded figure to check'
" "$tmp/w.csv" "$tmp/w.json"
expect "text" 0 "${R[@]}" --week "$WEEK" --weeks 1 --lang en
out_has "text marks the figure approximate" '^Active people +~[0-9]+'
out_has "text says why" 'interval between two collections, which crosses the period'

finish
