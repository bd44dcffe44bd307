#!/usr/bin/env bash
# t050_report.sh: `vkpulse report` on a database collected weekly from the fake
# server (a moved clock: faketime for vkpulse, /_fake/time for the server):
# every format, --lang and the locale, --week/--weeks errors, the JSON against
# docs/report.schema.json (Debian's python3-jsonschema), the CSV's BOM and
# shape, and the HTML opened in a real headless Chromium and checked to have
# rendered (PNG size, not blank, chart colours present).
#
# Run by ctest with VKP_SRC (repository root) and VKP_BUILD (build directory).
# Talks only to 127.0.0.1.
source "$(dirname "$0")/lib.sh"

ANCHOR=1795392000 # Monday 2026-11-23 00:00 UTC, the fake dataset's present
WEEK=2026-W47     # 16-22 November 2026 in Asia/Yekaterinburg
command -v faketime >/dev/null || fail "faketime is not installed: run scripts/deps.sh"

# ---- a database with four weekly runs ----------------------------------------
start_fake --dataset tiny --rps 100 --time $((ANCHOR - 3 * 7 * 86400 + 3600))
write_config "$tmp/c.ini" 20
printf '[report]\nweeks = 3\ntop_posts = 3\n' >>"$tmp/c.ini"
export VKPULSE_TOKEN=demo-token
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
collect_weeks "$tmp/c.ini" 3
stop_fake
R=("$VKPULSE" --config "$tmp/c.ini" report --week "$WEEK")

# ---- text, languages ---------------------------------------------------------
expect "text en" 0 env LC_ALL=C "${R[@]}" --lang en
out_has "text en title" '^Weekly community report — Week 2026-W47 \(2026-11-16 – 2026-11-22\)'
out_has "text en window" 'Trend window: 3 weeks \(2026-W45 – 2026-W47\)'
out_has "text en figures" '^Subscribers at start +[0-9]+'
out_has "text en snapshots" '^Snapshots used: at the start 2026-11-16 06:00 \+05:00, at the end 2026-11-23 06:00 \+05:00'
out_has "text en links" 'https://vk\.com/wall-[0-9]+_[0-9]+'
out_has "text en ladder" '^=== Participation ladder ==='
check "text en: no Russian labels" bash -c "! grep -Eq 'Подписчики|Неделя|Лестница|н/д' '$tmp/out'"
expect "text: Russian locale" 0 env LC_ALL= LANG=ru_RU.UTF-8 "${R[@]}"
out_has "text ru title" '^Еженедельный отчёт о сообществах — Неделя 2026-W47 \(16\.11\.2026 – 22\.11\.2026\)'
out_has "text ru figures" '^Подписчики на начало +[0-9]+'
# a heading wider than its column still stands apart from the next one
out_has "text ru ladder headings apart" ' Участники +Только зарегистрированы +Обсуждают'
check "text ru: no headings run together" bash -c "! grep -q 'УчастникиТолько' '$tmp/out'"
expect "text: English locale, config says ru" 0 env LC_ALL= LANG=en_US.UTF-8 "${R[@]}"
out_has "config lang ru" '^Еженедельный отчёт'
sed -i 's/^\[region\]$/[region]\nlang = en/' "$tmp/c.ini"
expect "text: English locale, config says en" 0 env LC_ALL= LANG=en_US.UTF-8 "${R[@]}"
out_has "config lang en" '^Weekly community report'

# The first week of the window predates the first run: rebuilt from the
# history that run read, and said so.
expect "weeks 5" 0 "${R[@]}" --lang en --weeks 5
out_has "history note" 'before the first collection: posts, comments, reposts and authors'
out_has "as-of note" "counters of the period's posts as of the last collection"
out_has "no subscriber history note" 'subscribers before the first collection are unknown'

# ---- usage errors ------------------------------------------------------------
expect "bad week" 2 "$VKPULSE" --config "$tmp/c.ini" report --week 2026-47
err_has "bad week message" "'2026-47' is not an ISO week: write it as YYYY-Www"
expect "week 53" 2 "$VKPULSE" --config "$tmp/c.ini" report --week 2025-W53
err_has "week 53 message" "2025 has 52 ISO weeks"
expect "bad weeks" 2 "${R[@]}" --weeks 0
future=$(($(date +%Y) + 2))
expect "a week that has not begun" 2 "$VKPULSE" --config "$tmp/c.ini" report --week "$future-W10"
err_has "a week that has not begun: says so" "the period '$future-W10' has not begun yet"
expect "bad format" 2 "${R[@]}" --format pdf
expect "bad lang" 2 "${R[@]}" --lang de
expect "bad csv sep" 2 "${R[@]}" --csv-sep '|'
sed 's|^\[region\]$|[region]\ntimezone = Asia/Ekaterinburgg|' "$tmp/c.ini" >"$tmp/badtz.ini"
expect "bad timezone" 2 "$VKPULSE" --config "$tmp/badtz.ini" report
err_has "bad timezone message" "unknown time zone 'Asia/Ekaterinburgg'"
expect "missing database" 1 "$VKPULSE" --config "$tmp/c.ini" --db "$tmp/none.db" report
[ ! -e "$tmp/none.db" ] || fail "report created a database"
ok
expect "unwritable output" 1 "${R[@]}" --output "$tmp/no/such/dir/r.txt"
err_has "unwritable output message" "cannot write '$tmp/no/such/dir/r.txt'"

# ---- JSON against its schema ---------------------------------------------------
expect "json" 0 "${R[@]}" --format json --output "$tmp/r.json"
[ -s "$tmp/r.json" ] || fail "json: empty output"
ok
# Debian's interpreter, where python3-jsonschema is installed (not a pyenv one).
PY=/usr/bin/python3
expect "json validates against docs/report.schema.json" 0 \
    "$PY" "$VKP_SRC/tests/integration/validate_json.py" "$VKP_SRC/docs/report.schema.json" "$tmp/r.json"
# The validator must be able to say no: a figure with a value but status missing.
"$PY" - "$tmp/r.json" "$tmp/bad.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["communities"][0]["weeks"][-1]["figures"]["views"] = {"value": 5, "status": "missing"}
json.dump(d, open(sys.argv[2], "w"))
EOF
expect "a broken document fails validation" 1 \
    "$PY" "$VKP_SRC/tests/integration/validate_json.py" "$VKP_SRC/docs/report.schema.json" "$tmp/bad.json"
expect "json facts" 0 "$PY" -c "
import json, sys
d = json.load(open('$tmp/r.json'))
assert d['week']['id'] == '$WEEK', d['week']
assert [w['id'] for w in d['window']] == ['2026-W45', '2026-W46', '2026-W47']
c = d['communities'][0]
assert c['ref'] == 'test_group_1'
last = c['weeks'][-1]
assert last['figures']['subscribers_end']['status'] == 'ok'
assert last['end_snapshot'].startswith('2026-11-23T06:00:00+05:00'), last['end_snapshot']
assert all(p['url'].startswith('https://vk.com/wall-') for p in c['top_posts'])
assert d['people']['members'] > 0
"

# ---- CSV ---------------------------------------------------------------------
expect "csv" 0 "${R[@]}" --format csv --lang en --output "$tmp/r.csv"
check "csv starts with a UTF-8 BOM" test "$(head -c 3 "$tmp/r.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
expect "csv shape" 0 "$PY" -c "
import csv
rows = list(csv.reader(open('$tmp/r.csv', encoding='utf-8-sig', newline='')))
# the header is English keys whatever --lang says, so a script survives a language change
assert rows[0] == ['table', 'period', 'community', 'item', 'measure', 'label', 'value', 'status', 'lower', 'upper'], rows[0]
assert all(len(r) == 10 for r in rows), 'ragged rows'
tables = {r[0] for r in rows[1:]}
for t in ('runs', 'figures', 'snapshots', 'compare', 'top_posts', 'ladder', 'people', 'spread', 'municipalities'):
    assert t in tables, t
missing = [r for r in rows if r[0] == 'figures' and r[7] == 'missing']
assert all(r[6] == '' for r in missing), 'a missing figure has a value'
"
expect "csv ;" 0 "${R[@]}" --format csv --csv-sep ';' --lang ru --output "$tmp/r2.csv"
expect "csv ; shape" 0 "$PY" -c "
import csv
rows = list(csv.reader(open('$tmp/r2.csv', encoding='utf-8-sig', newline=''), delimiter=';'))
assert rows[0] == ['table', 'period', 'community', 'item', 'measure', 'label', 'value', 'status', 'lower', 'upper'], rows[0]
assert any(r[5] == 'Участники' for r in rows), 'the label column speaks --lang'
assert all(len(r) == 10 for r in rows)
rates = [r[6] for r in rows if r[0] == 'figures' and r[4] == 'er_view' and r[6]]
assert rates and all('.' not in v for v in rates), rates[:3]
"

# ---- HTML in a real browser ---------------------------------------------------
expect "html" 0 "${R[@]}" --format html --output "$tmp/r.html"
err_has "report --output says where, as crosscheck does" "wrote $tmp/r.html"
check "html has a table of contents and community anchors" \
    bash -c "grep -q '<nav class=\"toc\">' '$tmp/r.html' && grep -q '<h2 id=\"c1\">' '$tmp/r.html'"
check "html is one file: no links or external sources (one inline script sorts tables)" \
    bash -c "! grep -Eiq '<script[^>]|<link|<img|<iframe|src=|@import|url\(' '$tmp/r.html' &&
             test \$(grep -o '<script>' '$tmp/r.html' | wc -l) -eq 1"
check "html has inline SVG charts" test "$(grep -o '<svg' "$tmp/r.html" | wc -l)" -ge 4
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "chromium is not installed: run scripts/deps.sh"
mkdir -p "$tmp/profile"
set +e
timeout 600 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
    --screenshot="$tmp/out.png" --window-size=1200,2000 "file://$tmp/r.html" \
    >"$tmp/chromium.log" 2>&1
set -e
[ -s "$tmp/out.png" ] || fail "chromium wrote no screenshot: $(tail -3 "$tmp/chromium.log")"
ok
cat >"$tmp/png.py" <<'EOF'
# Decodes an 8-bit RGB/RGBA PNG with the standard library and prints
# "WIDTH HEIGHT NONWHITE_PERMILLE BLUE_PIXELS" (blue: the charts' #1f77b4).
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6), (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, out, nonwhite, blue = bytearray(stride), 0, 0, 0
for y in range(h):
    f, line = raw[out], bytearray(raw[out + 1:out + 1 + stride])
    out += 1 + stride
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x], line[x + 1], line[x + 2]
        if r < 245 or g < 245 or bl < 245: nonwhite += 1
        if abs(r - 0x1f) < 12 and abs(g - 0x77) < 12 and abs(bl - 0xb4) < 12: blue += 1
    prev = line
print(w, h, nonwhite * 1000 // (w * h), blue)
EOF
read -r pw ph permille blue < <("$PY" "$tmp/png.py" "$tmp/out.png")
check "screenshot is 1200x2000 (got ${pw}x${ph})" test "$pw" -eq 1200 -a "$ph" -eq 2000
check "screenshot is not blank ($permille per mille non-white)" test "$permille" -ge 20
check "screenshot shows the charts ($blue chart-blue pixels)" test "$blue" -ge 500

finish
