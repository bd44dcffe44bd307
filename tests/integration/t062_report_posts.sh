#!/usr/bin/env bash
# t062_report_posts.sh: the report as moderators read it (issue 24), on the tiny dataset
# collected weekly, checked against the fake server's own truth (--dump-expected,
# --dump-counters): every post of the week in the JSON with its text, counters and ER;
# the Excel workbook read back (python3 zipfile + xml) and compared with the JSON; the wide
# CSV; reach and visitors for the group the token administers only; the month page in
# Russian (no word of weeks, digits grouped, no change of 1000 % or more); the active
# alerts on the weekly page; a --community page alone.
#
# Run by ctest with VKP_SRC and VKP_BUILD. Talks only to 127.0.0.1.
source "$(dirname "$0")/lib.sh"

ANCHOR=1795392000 # Monday 2026-11-23 00:00 UTC, the fake dataset's present
WEEK=2026-W47
FAKE_ARGS=(--dataset tiny --years 1 --posts 400 --admin-groups 200000001)
command -v faketime >/dev/null || fail "faketime is not installed: run scripts/deps.sh"
PY=/usr/bin/python3

start_fake "${FAKE_ARGS[@]}" --rps 50 --time $((ANCHOR - 3 * 7 * 86400 + 3600))
write_config "$tmp/c.ini" 20
printf '[report]\nweeks = 3\ntop_posts = 3\n[alerts]\nstale_hours = 1\n' >>"$tmp/c.ini"
export VKPULSE_TOKEN=demo-token
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
collect_weeks "$tmp/c.ini" 3
stop_fake
"$FAKEVK" --anchor "$ANCHOR" "${FAKE_ARGS[@]}" --time $((ANCHOR + 3600)) \
    --dump-expected "$tmp/exp.tsv" --dump-counters "$tmp/cnt.tsv" 2>/dev/null ||
    fail "fakevk cannot dump its dataset"
R=("$VKPULSE" --config "$tmp/c.ini" report --week "$WEEK")

# ---- every post of the week, equal to the data -----------------------------------------
expect "json" 0 "${R[@]}" --format json --output "$tmp/r.json"
cat >"$tmp/posts.py" <<'EOF'
import json, sys
from datetime import datetime
exp, cnt, report = sys.argv[1:4]
r = json.load(open(report))
start = int(datetime.fromisoformat(r["week"]["start"]).timestamp())
end = int(datetime.fromisoformat(r["week"]["end"]).timestamp())
posts, counters = {}, {}
for line in open(exp):
    f = line.rstrip("\n").split("\t")
    if f[0] == "post":
        posts[(int(f[1]), int(f[2]))] = dict(frm=int(f[3]), signer=int(f[4]), date=int(f[5]),
                                             copy=int(f[7]))
for line in open(cnt):
    f = line.rstrip("\n").split("\t")
    if f[0] != "counter":
        continue  # the "liked" lines: when each like was made
    counters[(int(f[1]), int(f[2]))] = dict(views=int(f[3]), likes=int(f[4]),
                                            comments=int(f[5]), reposts=int(f[6]), text=f[7])
total = 0
for c in r["communities"]:
    o = -c["vk_id"]
    want = {k for k, p in posts.items() if k[0] == o and start <= p["date"] < end}
    got = {(p["owner_id"], p["id"]): p for p in c["posts"]}
    assert set(got) == want, (c["ref"], sorted(set(got) ^ want))
    assert want, c["ref"] + ": the dataset has posts in the week"
    subs = c["weeks"][-1]["figures"]["subscribers_end"]["value"]
    for k, p in got.items():
        t, d = counters[k], posts[k]
        for n in ("views", "likes", "comments", "reposts"):
            assert p[n] == t[n], (k, n, p[n], t[n])
        assert p["text"] == t["text"][:200], (k, p["text"], t["text"])
        kind = "member" if d["signer"] > 0 or d["frm"] > 0 else "repost" if d["copy"] else "own"
        assert p["type"] == kind, (k, p["type"], kind)
        re = t["likes"] + t["comments"] + t["reposts"]
        assert p["reactions"] == re
        assert abs(p["er_post"] - re / subs) < 1e-9, (k, p["er_post"])
        assert p["er_view"] is None if not t["views"] else abs(p["er_view"] - re / t["views"]) < 1e-9
    # the top posts are the first rows of the same list
    assert [(p["owner_id"], p["id"]) for p in c["top_posts"]] == \
        [(p["owner_id"], p["id"]) for p in c["posts"][:len(c["top_posts"])]]
    total += len(c["posts"])
print(total)
EOF
check "json lists every post of the week, as the data has it" \
    "$PY" "$tmp/posts.py" "$tmp/exp.tsv" "$tmp/cnt.tsv" "$tmp/r.json"
cat >"$tmp/validate.py" <<'EOF'
import json, sys
import jsonschema
schema, doc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
for e in errors[:5]:
    print("%s: %s" % (e.json_path, e.message[:300]), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
expect "json validates" 0 "$PY" "$tmp/validate.py" "$VKP_SRC/docs/report.schema.json" "$tmp/r.json"

# ---- reach and visitors: the admin group only, from its stats.get days ------------------
expect "reach" 0 "$PY" - "$tmp/r.json" "$tmp/vk.db" <<'EOF'
import json, sqlite3, sys
from datetime import datetime
r = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
start = int(datetime.fromisoformat(r["week"]["start"]).timestamp())
end = int(datetime.fromisoformat(r["week"]["end"]).timestamp())
for c in r["communities"]:
    f = c["weeks"][-1]["figures"]
    if c["vk_id"] == 200000001:
        reach, visitors = db.execute(
            "SELECT sum(reach), sum(visitors) FROM stat_day d JOIN community c"
            " ON c.id = d.community_id WHERE c.vk_id = ? AND day >= ? AND day < ?",
            (c["vk_id"], start, end)).fetchone()
        assert reach and f["reach"]["value"] == reach, (f["reach"], reach)
        assert f["visitors"]["value"] == visitors, (f["visitors"], visitors)
        inter = f["likes"]["value"] + f["comments"]["value"] + f["reposts"]["value"]
        assert abs(f["er_reach"]["value"] - inter / reach) < 1e-12, f["er_reach"]
    else:
        assert f["reach"] == {"value": None, "status": "missing"}, f["reach"]
        assert f["er_reach"]["value"] is None
EOF

# ---- the workbook, read back and compared with the JSON --------------------------------
expect "xlsx needs a file" 2 "${R[@]}" --format xlsx
err_has "xlsx needs a file: says so" "give --output FILE"
expect "xlsx" 0 "${R[@]}" --format xlsx --output "$tmp/r.xlsx"
err_has "xlsx --output says where" "wrote $tmp/r.xlsx"
expect "crosscheck has no workbook" 2 "$VKPULSE" --config "$tmp/c.ini" crosscheck --year 2023 \
    --format xlsx
cat >"$tmp/xlsx.py" <<'EOF'
import json, re, sys, zipfile
from datetime import datetime, timedelta
import xml.etree.ElementTree as ET
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
z = zipfile.ZipFile(sys.argv[1])
r = json.load(open(sys.argv[2]))
shared = [si.findtext("m:t", "", NS) or "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
          for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
book = ET.fromstring(z.read("xl/workbook.xml"))
rels = {e.get("Id"): e.get("Target") for e in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
sheets = {s.get("name"): "xl/" + rels[s.get(RID)] for s in book.find("m:sheets", NS)}
assert {"summary", "figures", "posts"} <= set(sheets), sheets
styles = ET.fromstring(z.read("xl/styles.xml"))
numfmt = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.iter("{%s}numFmt" % NS["m"])}
xfs = [int(x.get("numFmtId")) for x in styles.find("m:cellXfs", NS)]
def col(ref):
    n = 0
    for ch in re.match("[A-Z]+", ref).group():
        n = n * 26 + ord(ch) - 64
    return n - 1
def read(name):
    x = ET.fromstring(z.read(sheets[name]))
    pane = x.find(".//m:pane", NS)
    assert pane is not None and pane.get("ySplit") == "1", name + ": header row not frozen"
    rows = []
    for row in x.find("m:sheetData", NS):
        cells = {}
        for c in row:
            v, t = c.findtext("m:v", None, NS), c.get("t")
            if v is None:
                continue
            fmt = numfmt.get(xfs[int(c.get("s", "0"))], xfs[int(c.get("s", "0"))])
            cells[col(c.get("r"))] = (shared[int(v)], None) if t == "s" else (float(v), fmt)
        rows.append(cells)
    head = [rows[0][i][0] for i in sorted(rows[0])]
    return head, [[cells.get(i, (None, None)) for i in range(len(head))] for cells in rows[1:]]
NA = ("n/a", "н/д")  # an unknown value says so, never a blank cell (JSON null)
BOUNDED = ("active_people", "active_members")  # metric_defs.c's has_bounds
# posts: one row per post of the JSON, numbers as numbers, rates as percentages
head, rows = read("posts")
want = [(c["ref"], p) for c in r["communities"] for p in c["posts"]]
assert len(rows) == len(want), (len(rows), len(want))
for row, (ref, p) in zip(rows, want):
    d = dict(zip(head, row))
    assert d["community"][0] == ref and d["url"][0] == p["url"] and d["text"][0] == (p["text"] or None)
    for k in ("views", "likes", "comments", "reposts", "reactions"):
        assert d[k] == (float(p[k]), "#,##0"), (k, d[k], p[k])
    for k in ("er_post", "er_view"):
        assert (d[k][0] in NA) if p[k] is None else (abs(d[k][0] - p[k]) < 1e-12 and "%" in d[k][1]), (k, d[k])
    when = datetime(1899, 12, 30) + timedelta(days=d["date"][0])
    assert when.strftime("%Y-%m-%dT%H:%M") == p["date"][:16], (when, p["date"])
# figures: every community and period, one column per figure, the JSON's values
head, rows = read("figures")
keys = list(r["communities"][0]["weeks"][0]["figures"])
# each figure's column; one that may have bounds (JSON bounds) is followed by them
assert head[5:] == [x for k in keys for x in ([k, k + "_lower", k + "_upper"] if k in BOUNDED else [k])], head
series = [("network", r["network"])] + [(c["ref"], c) for c in r["communities"]]
assert len(rows) == len(series) * len(r["window"])
for i, row in enumerate(rows):
    ref, s = series[i // len(r["window"])]
    w = s["weeks"][i % len(r["window"])]
    d = dict(zip(head, row))
    assert d["community"][0] == ref and d["period"][0] == w["week"]
    for k in keys:
        v = w["figures"][k]["value"]
        assert (d[k][0] in NA) if v is None else abs(d[k][0] - v) < 1e-9, (ref, k, d[k], v)
        if k in BOUNDED:
            lo, hi = w["figures"][k].get("bounds") or [None, None]
            assert (d[k + "_lower"][0], d[k + "_upper"][0]) == (lo, hi), (ref, k, d[k + "_lower"], lo)
# summary: the report period's figures, in both the JSON's value and its key
head, rows = read("summary")
assert len(rows) == len(series) * len(keys)
assert head[-2:] == ["lower", "upper"], head
rates = ("members_posts_share", "er_post", "er_view", "er_day", "er_reach", "er_subscribers", "active_share")
seen = 0
for i, row in enumerate(rows):
    ref, s = series[i // len(keys)]
    d = dict(zip(head, row))
    k = d["figure"][0]
    cur, prev = s["weeks"][-1]["figures"][k]["value"], s["compare"][k]["previous"]
    if cur is None:
        continue
    avg = s["compare"][k]["average"]
    if avg is not None and k not in rates:  # a mean of counts: a decimal only below 10
        want = "#,##0.0" if abs(avg) < 9.95 and round(avg * 10) % 10 else "#,##0"
        assert abs(d["average"][0] - avg) < 1e-9 and d["average"][1] == want, (ref, k, d["average"], avg)
    if prev is None:  # the previous period could not give it: n/a, not a blank cell
        assert d["previous"][0] in NA and d["change"][0] in NA, (ref, k, d["previous"], d["change"])
    elif k in rates:  # a change of a share is in percentage points, never a per cent
        assert abs(d["change"][0] - (cur - prev) * 100) < 1e-9 and "%" not in d["change"][1] \
            and ("pp" in d["change"][1] or "п.п." in d["change"][1]), (ref, k, d["change"])
        seen += 1
    else:
        assert d["change"][0] == cur - prev and "%" not in d["change"][1], (ref, k, d["change"])
assert seen, "no rate with a previous value to check"
print(len(want))
EOF
check "xlsx: sheets, formats, frozen header, values equal the JSON" \
    "$PY" "$tmp/xlsx.py" "$tmp/r.xlsx" "$tmp/r.json"

# ---- the wide CSV ------------------------------------------------------------------------
expect "csv wide" 0 "${R[@]}" --format csv --csv-shape wide --output "$tmp/w.csv"
expect "csv wide shape" 0 "$PY" - "$tmp/w.csv" "$tmp/r.json" <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
r = json.load(open(sys.argv[2]))
keys = list(r["network"]["weeks"][0]["figures"])
BOUNDED = ("active_people", "active_members")  # each followed by its bounds' columns
cols = [x for k in keys for x in ([k, k + "_lower", k + "_upper"] if k in BOUNDED else [k])]
assert rows[0] == ["community", "period", "start", "end"] + cols, rows[0]
assert len(rows) == 1 + (1 + len(r["communities"])) * len(r["window"]), len(rows)
c = r["communities"][0]
row = next(x for x in rows if x[0] == c["ref"] and x[1] == r["week"]["id"])
d = dict(zip(cols, row[4:]))
for k in BOUNDED:
    b = c["weeks"][-1]["figures"][k].get("bounds")
    assert [d[k + "_lower"], d[k + "_upper"]] == (["", ""] if b is None else [str(x) for x in b]), (k, b)
for k, v in ((k, d[k]) for k in keys):
    want = c["weeks"][-1]["figures"][k]["value"]
    assert (v == "") if want is None else abs(float(v) - want) <= 1e-5 * max(1e-3, abs(want)), (k, v, want)
    # rates to 6 significant digits, not 11
    assert len(v.replace("0.", "").lstrip("0")) <= 7 or "." not in v, (k, v)
EOF
expect "bad csv shape" 2 "${R[@]}" --format csv --csv-shape tall
expect "csv long" 0 "${R[@]}" --format csv --output "$tmp/r.csv"
check "csv long: one posts row set per post" "$PY" -c "
import csv, json
rows = list(csv.reader(open('$tmp/r.csv', encoding='utf-8-sig', newline='')))
r = json.load(open('$tmp/r.json'))
urls = {x[3] for x in rows if x[0] == 'posts'}
assert urls == {p['url'] for c in r['communities'] for p in c['posts']}, len(urls)
"

# ---- the active alerts on the weekly page -------------------------------------------------
expect "an alert opens (no collection for 2 hours)" 3 at $((ANCHOR + 3 * 3600)) "$VKPULSE" --config "$tmp/c.ini" alerts --no-send
expect "html ru with alerts" 0 "${R[@]}" --format html --lang ru --output "$tmp/r.html"
check "the weekly page shows the active alert" grep -q '<li class="alert">' "$tmp/r.html"
check "the weekly page opens with the headline figures" grep -q '<div class="glance">' "$tmp/r.html"
check "every post in a sortable table" grep -q '<table class="sortable posts">' "$tmp/r.html"
check "the best time to post as a heatmap" grep -q '<table class="heat">' "$tmp/r.html"
check "the legend gives ERpost's formula" grep -q 'ERpost — вовлечённость записи</b> = ' "$tmp/r.html"
check "no external sources" bash -c "! grep -Eiq '<script [^>]*src|<link|<img|<iframe|@import|url\(' '$tmp/r.html'"
expect "json alerts" 0 "${R[@]}" --format json --output "$tmp/a.json"
check "json lists the alert" "$PY" -c "
import json; a = json.load(open('$tmp/a.json'))['alerts']
assert any(x['rule'] == 'stale' for x in a), a"

# ---- presentation: the Russian month page ---------------------------------------------------
expect "month html ru" 0 "$VKPULSE" --config "$tmp/c.ini" report --period month --to 2026-11 \
    --weeks 3 --format html --lang ru --output "$tmp/m.html"
cat >"$tmp/words.py" <<'EOF'
import re, sys
from html.parser import HTMLParser
class Text(HTMLParser):
    def __init__(self):
        super().__init__(); self.parts, self.skip = [], 0
    # the posts' own texts are the communities' words, not the report's
    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style") or ("class", "txt") in attrs
    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") or (tag == "td" and self.skip > 0)
    def handle_data(self, d):
        if not self.skip: self.parts.append(d)
t = Text(); t.feed(open(sys.argv[1], encoding="utf-8").read())
text = "\n".join(t.parts)
bad = re.findall(r"[Нн]едел\w*", text)
assert not bad, "the month page speaks of weeks: %s" % sorted(set(bad))
for m in re.finditer(r"([+\u2212-]?)([\d\u00a0 ]*\d(?:,\d+)?)\s?%", text):
    v = float(m.group(2).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    assert v < 1000, "a change of 1000 %% or more: %r" % m.group(0)
big = [w for w in re.findall(r"[^\s]*\d{5,}[^\s]*", text) if "vk.com" not in w]
assert not big, "digits not grouped: %s" % big[:5]
assert re.search(r"\d\u00a0\d{3}", text), "no grouped number at all"
EOF
check "the month page: no weeks, digits grouped, no change of 1000 % or more" \
    "$PY" "$tmp/words.py" "$tmp/m.html"
check "the month page names months in its charts" grep -q 'Подписчики по месяцам' "$tmp/m.html"

# ---- --community: that community's page alone --------------------------------------------
expect "community page" 0 "${R[@]}" --community test_group_2 --format html --lang en \
    --output "$tmp/one.html"
name=$("$PY" -c "import json; print([c['name'] for c in json.load(open('$tmp/r.json'))['communities'] if c['ref'] == 'test_group_2'][0])")
check "titled with its name" grep -q "<title>$name: Weekly community report" "$tmp/one.html"
check "no network section" bash -c "! grep -q 'id=\"total\"' '$tmp/one.html'"
check "its anchors, by position and by group" grep -q '<h2 id="c1"><span id="g-test_group_2">' "$tmp/one.html"
expect "community csv" 0 "${R[@]}" --community test_group_2 --format csv --output "$tmp/one.csv"
check "its csv names it, never the network" bash -c "! grep -q ',network,' '$tmp/one.csv'"
finish
