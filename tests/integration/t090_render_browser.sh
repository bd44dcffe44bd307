#!/usr/bin/env bash
# t090_render_browser.sh: the report's and the cross-check's HTML pages laid out by a
# real headless Chromium at a phone's width (390 px) and a desktop's (1300 px): no
# horizontal scrollbar (document.documentElement.scrollWidth <= innerWidth), every
# SVG <text> inside its svg's viewBox (nothing cut), no two texts of a chart on top
# of each other (no legend over a number), every table-of-contents link leads to an
# anchor, the first column of a scrolling table stays in view (position: sticky), a
# report's tables fit at 1300 px (none cut, the network's names on at most three lines), and
# the report's chart text (figure.phone) is at least 10 px high on screen. The check is a script put into a copy of each
# page; Chromium's --dump-dom prints its verdict.
#
# Skipped (exit 77) only when chromium is not installed. No network: file:// pages,
# loopback fake server. No timing asserts; the timeouts only catch a hung browser.
# labels: nosan slow
source "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "skip: chromium is not installed (scripts/deps.sh installs it); the HTML layout is not checked"
    exit 77
fi
command -v faketime >/dev/null || fail "faketime is not installed: run scripts/deps.sh"
export VKPULSE_TOKEN=demo-token

# ---- a weekly report from four weekly runs (as t060_report) ----------------------------
ANCHOR=1795392000 # Monday 2026-11-23 00:00 UTC, the fake dataset's present
start_fake --dataset tiny --rps 100 --time $((ANCHOR - 3 * 7 * 86400 + 3600))
write_config "$tmp/r.ini" 20
printf '[report]\nweeks = 3\ntop_posts = 3\n' >>"$tmp/r.ini"
expect "init" 0 "$VKPULSE" --config "$tmp/r.ini" init
collect_weeks "$tmp/r.ini" 3
stop_fake
for lang in ru en; do
    expect "report html $lang" 0 "$VKPULSE" --config "$tmp/r.ini" report --week 2026-W47 \
        --format html --lang $lang --output "$tmp/report-$lang.html"
done
# a community's page alone, and a month page (the headline block, every post, the heatmap)
expect "community page" 0 "$VKPULSE" --config "$tmp/r.ini" report --week 2026-W47 \
    --community test_group_1 --format html --lang ru --output "$tmp/community.html"
expect "month page" 0 "$VKPULSE" --config "$tmp/r.ini" report --period month --to 2026-11 \
    --weeks 3 --format html --lang ru --output "$tmp/month.html"
# made in November 2026 (vkpulse's clock moved): 2026 is still running, so it is
# marked and each year is counted to the same day (the year to date, issue 21)
expect "yearly report html" 0 at $((ANCHOR + 3600)) "$VKPULSE" --config "$tmp/r.ini" report \
    --period year --to 2026 --format html --output "$tmp/yearly.html"
check "the open year is marked" grep -q '<th>2026\*</th>' "$tmp/yearly.html"
expect "yearly report json" 0 at $((ANCHOR + 3600)) "$VKPULSE" --config "$tmp/r.ini" report \
    --period year --to 2026 --format json --output "$tmp/yearly.json"
check "the open year is compared year to date" python3 -c '
import json, sys
y = json.load(open(sys.argv[1]))
assert y["years"][-1]["complete"] is False and y["years"][0]["complete"] is True, y["years"]
assert y["year_to_date"] is not None, y["year_to_date"]
assert len({v["end"][5:19] for v in y["years"]}) == 1, y["years"] # the same day of each year
trends = {f["trend"] for f in y["network"]["figures"].values()}
assert "open" not in trends, trends' "$tmp/yearly.json"

# ---- a cross-check of the demo region (as t060_survey) ---------------------------------
start_fake --dataset demo --rps 100 --time $NOW
demo_config "$tmp/c.ini"
printf '[collect]\nhorizon_days = 3650\n' >>"$tmp/c.ini"
expect "init demo" 0 "$VKPULSE" --config "$tmp/c.ini" init
expect "collect the demo" 0 "$VKPULSE" --config "$tmp/c.ini" collect --once --quiet
stop_fake
expect "survey import" 0 "$VKPULSE" --config "$tmp/c.ini" survey import \
    "$VKP_SRC/config/demo-survey-2023.csv" --year 2023
expect "crosscheck html" 0 "$VKPULSE" --config "$tmp/c.ini" crosscheck --year 2023 \
    --format html --output "$tmp/crosscheck.html"
err_has "crosscheck --output says where" "wrote $tmp/crosscheck.html"
# the demo region's communities have the real groups' long names: the network's table
# must hold them at a desktop's width (a review saw it cut at 1300 px, names one word a line)
expect "report html of the demo region" 0 "$VKPULSE" --config "$tmp/c.ini" report \
    --format html --lang ru --output "$tmp/report-names.html"

# ---- the check, run inside each page ----------------------------------------------------
cat >"$tmp/check.js" <<'JS'
(function () {
  const bad = [], W = window.innerWidth;
  const de = document.documentElement;
  if (de.scrollWidth > W)
    bad.push('horizontal scrollbar: scrollWidth ' + de.scrollWidth + ' > innerWidth ' + W);
  const svgs = document.querySelectorAll('svg');
  svgs.forEach(function (svg, i) {
    const vb = svg.viewBox.baseVal;
    if (!vb || !vb.width) { bad.push('svg ' + i + ' has no viewBox'); return; }
    const r = svg.getBoundingClientRect();
    if (r.right > W + 0.5) bad.push('svg ' + i + ' is wider than the window: ' + r.right);
    const boxes = [];
    svg.querySelectorAll('text').forEach(function (t) {
      const b = t.getBBox(), s = JSON.stringify(t.textContent);
      const px = t.getBoundingClientRect().height;
      if (t.textContent.trim() && px < 10 && t.closest('figure.phone'))
        bad.push('svg ' + i + ': text ' + s + ' is ' + px.toFixed(1) + ' px high on screen');
      if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 ||
          b.y + b.height > vb.y + vb.height + 0.5)
        bad.push('svg ' + i + ': text ' + s + ' cut at the edge (' +
                 [b.x, b.y, b.width, b.height].map(Math.round).join(',') + ')');
      boxes.forEach(function (o) {
        const ix = Math.min(b.x + b.width, o.b.x + o.b.width) - Math.max(b.x, o.b.x);
        const iy = Math.min(b.y + b.height, o.b.y + o.b.height) - Math.max(b.y, o.b.y);
        if (ix > 1 && iy > 1)
          bad.push('svg ' + i + ': text ' + s + ' lies over ' + o.s);
      });
      boxes.push({b: b, s: s});
    });
  });
  // At a desktop's width a report's table fits its column: nothing cut, scrolled away
  // or squeezed to a word a line (the cross-check's wide tables scroll, as on a phone).
  if (W >= 1000 && document.querySelector('.glance'))
    document.querySelectorAll('table').forEach(function (t, i) {
      if (t.offsetParent && t.scrollWidth > t.clientWidth + 1)
        bad.push('table ' + i + ' is cut at ' + W + ' px: ' + t.scrollWidth + ' > ' +
                 t.clientWidth);
    });
  if (W >= 1000)
    document.querySelectorAll('table.overview td:first-child').forEach(function (td) {
      const cs = getComputedStyle(td);
      const lh = parseFloat(cs.lineHeight) || 1.25 * parseFloat(cs.fontSize);
      const lines = Math.round(td.getBoundingClientRect().height / lh);
      if (lines > 3)
        bad.push('the name ' + JSON.stringify(td.textContent.slice(0, 30)) + ' wraps to ' +
                 lines + ' lines');
    });
  document.querySelectorAll('table').forEach(function (t, i) {
    const c = t.querySelector('tr > :first-child');
    if (c && getComputedStyle(c).position !== 'sticky')
      bad.push('table ' + i + ': its first column scrolls away');
  });
  document.querySelectorAll('a[href^="#"]').forEach(function (a) {
    if (!document.getElementById(a.getAttribute('href').slice(1)))
      bad.push('contents link ' + a.getAttribute('href') + ' leads nowhere');
  });
  if (W < 300 || (window.frameElement && W !== window.frameElement.clientWidth))
    bad.push('the page was not laid out at the asked width: innerWidth ' + W);
  const doc = window.parent.document, out = doc.createElement('pre');
  out.id = 'vkp-verdict';
  out.textContent = (bad.length ? 'FAIL\n' + bad.slice(0, 20).join('\n')
                                : 'PASS ' + svgs.length + ' charts') + ' at innerWidth ' + W;
  doc.body.appendChild(out);
})();
JS

# layout PAGE WIDTH: lays PAGE out WIDTH px wide and prints the check's verdict.
# Headless Chromium will not make its window narrower than 500 px, so the page
# (with the check appended) is the srcdoc of an iframe exactly WIDTH px wide in
# a wider window; the check runs inside it and reports to the outer page.
layout() {
    local page=$1 width=$2 copy="$tmp/check-$(basename "$1" .html)-$2.html"
    python3 - "$page" "$tmp/check.js" "$width" "$copy" <<'PY'
import html, sys
page, js, width, copy = sys.argv[1:]
inner = open(page, encoding="utf-8").read().replace("</body></html>", "")
inner += "<script>" + open(js, encoding="utf-8").read() + "</script></body></html>"
open(copy, "w", encoding="utf-8").write(
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
    '<iframe style="width:%spx;height:900px;border:0;display:block" srcdoc="%s"></iframe>'
    '</body></html>' % (width, html.escape(inner, quote=True)))
PY
    mkdir -p "$tmp/profile-$width"
    set +e
    timeout 600 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --mute-audio --user-data-dir="$tmp/profile-$width" \
        --window-size="$((width + 200)),1000" --dump-dom "file://$copy" \
        >"$tmp/dom" 2>"$tmp/chromium.log"
    set -e
    # the verdict: the text of the <pre> the check appended to the outer page
    python3 -c 'import html, re, sys
m = re.search(r"<pre id=\"vkp-verdict\">(.*?)</pre>", open(sys.argv[1], encoding="utf-8").read(), re.S)
print(html.unescape(m.group(1)) if m else "")' "$tmp/dom"
}

# The check catches what it is for: a fixed 1000 px chart, a name past its edge and
# two numbers on top of each other fail it at the phone's width.
printf '%s' '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">' \
    '</head><body><svg width="1000" height="60" viewBox="0 0 1000 60"><text x="960" y="30">' \
    'a long legend name</text><text x="10" y="30">12</text><text x="14" y="32">34</text>' \
    '</svg></body></html>' >"$tmp/bad.html"
verdict=$(layout "$tmp/bad.html" 390)
for want in "horizontal scrollbar" "cut at the edge" "lies over" "innerWidth 390"; do
    case "$verdict" in
    FAIL*"$want"*) ok ;;
    *) fail "the check misses '$want' on a bad page: $verdict" ;;
    esac
done

for page in report-ru report-en report-names community month yearly crosscheck; do
    check "$page.html has charts" test "$(grep -o '<svg' "$tmp/$page.html" | wc -l)" -ge 1
    for width in 390 1300; do
        verdict=$(layout "$tmp/$page.html" $width)
        [ -n "$verdict" ] ||
            fail "$page.html at $width px: chromium printed no verdict: $(tail -3 "$tmp/chromium.log")"
        case "$verdict" in
        "PASS "*"at innerWidth $width") ok ;;
        *) fail "$page.html at $width px: $verdict" ;;
        esac
    done
done
finish
