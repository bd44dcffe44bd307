#!/usr/bin/env bash
# t067_crosscheck_years.sh: the cross-check observes the period each survey describes, with
# the real binary on the fake server's demo region (three years of walls, read to the first
# post). The survey years are counted from the machine's clock (NOW), so the test passes on
# any date:
#   - `--year Y` observes the calendar year Y in local dates (or the school year ending in
#     Y with [survey] period = school-year); --from/--to choose days; bad dates, half a
#     range and mixed choices are usage errors (2);
#   - an open year, and walls read back less far than the window, are said in every format
#     and make shortfalls above "registered" unverifiable;
#   - `--years` sets the years side by side; every cell equals the single-year cross-check
#     of its year; JSON follows docs/crosscheck-panel.schema.json; text, CSV and HTML too;
#   - every "contributes" lists posts of at least min_contributors pseudonymous authors, and
#     every count of a municipality is of its members only.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

start_fake --dataset demo --years 3 --rps 20 --time $NOW
demo_config "$tmp/c.ini"
printf '[collect]\nhorizon_days = 0\n' >>"$tmp/c.ini"
C=(--config "$tmp/c.ini")
Y=$(TZ=Asia/Yekaterinburg date -d "@$NOW" +%Y) # the open year; Y-1 and Y-2 are complete

expect "init" 0 "$VKPULSE" "${C[@]}" init
expect "collect the demo" 0 "$VKPULSE" "${C[@]}" collect --once --quiet
for k in 0 1 2; do
    expect "import a survey as $((Y - k))" 0 "$VKPULSE" "${C[@]}" survey import \
        "$VKP_SRC/config/demo-survey-$((2025 - k)).csv" --year $((Y - k))
done

# ---- the survey's own period ----------------------------------------------------------------
expect "crosscheck of a complete year" 0 "$VKPULSE" "${C[@]}" crosscheck --year $((Y - 1)) \
    --format json --lang en --output "$tmp/y1.json"
check "the calendar year in local dates, covered" python3 - "$tmp/y1.json" $((Y - 1)) \
    "$VKP_SRC/docs/crosscheck.schema.json" <<'PY'
import datetime, json, sys, zoneinfo
import jsonschema
x, y = json.load(open(sys.argv[1])), int(sys.argv[2])
jsonschema.Draft202012Validator(json.load(open(sys.argv[3]))).validate(x)
w, tz = x["window"], zoneinfo.ZoneInfo("Asia/Yekaterinburg")
assert (w["kind"], w["from_date"], w["to_date"]) == ("calendar", f"{y}-01-01", f"{y}-12-31"), w
assert datetime.datetime.fromisoformat(w["from"]) == datetime.datetime(y, 1, 1, tzinfo=tz), w
assert datetime.datetime.fromisoformat(w["to"]) == datetime.datetime(y + 1, 1, 1, tzinfo=tz), w
assert w["covered"] and w["text"].startswith(f"Observation window: the calendar year {y}, {y}-01-01 – {y}-12-31"), w
# the first member list is after the window: said, as the members it stands for
assert any("first complete member list" in s for s in w["warnings"]), w["warnings"]
PY
expect "crosscheck text" 0 "$VKPULSE" "${C[@]}" crosscheck --year $((Y - 1))
out_has "the window in Russian local dates" "^Окно наблюдения: $((Y - 1)) календарный год, 01\.01\.$((Y - 1)) – 31\.12\.$((Y - 1)) \(местные даты, Asia/Yekaterinburg\)\.$"
out_has "thresholds in a sentence" '«обсуждают» — не меньше 3 комментаторов и не меньше 10 % его участников'
out_has "coverage in a sentence" '^Из [0-9].* участников области на конец окна к муниципалитетам отнесено'
out_has "a ranked follow-up list" '^Требуют уточнения: [0-9]+: завышено — [0-9]+, занижено при веских данных — [0-9]+, не проверить — [0-9]+$'

sed 's/^\[collect\]$/[survey]\nperiod = school-year\n[collect]/' "$tmp/c.ini" >"$tmp/school.ini"
expect "the school year" 0 "$VKPULSE" --config "$tmp/school.ini" crosscheck --year $((Y - 1)) \
    --format json --output "$tmp/school.json"
check "1 September to 31 August" python3 - "$tmp/school.json" $((Y - 1)) <<'PY'
import json, sys
w, y = json.load(open(sys.argv[1]))["window"], int(sys.argv[2])
assert (w["kind"], w["from_date"], w["to_date"]) == ("school_year", f"{y - 1}-09-01", f"{y}-08-31"), w
PY
expect "chosen days" 0 "$VKPULSE" "${C[@]}" crosscheck --year $((Y - 1)) --from $((Y - 1))-03-01 \
    --to $((Y - 1))-05-31 --format json --output "$tmp/days.json"
check "--to's day is inside the window" python3 - "$tmp/days.json" $((Y - 1)) <<'PY'
import json, sys
w, y = json.load(open(sys.argv[1]))["window"], int(sys.argv[2])
assert (w["kind"], w["from_date"], w["to_date"], w["weeks"]) == ("dates", f"{y}-03-01", f"{y}-05-31", None), w
assert w["to"].startswith(f"{y}-06-01T00:00:00+05:00"), w
PY
expect "--window N weeks still" 0 "$VKPULSE" "${C[@]}" crosscheck --year $((Y - 1)) --window 26 \
    --format json --output "$tmp/weeks.json"
check "26 weeks before the last collection" python3 -c "
import json; w = json.load(open('$tmp/weeks.json'))['window']
assert w['kind'] == 'weeks' and w['weeks'] == 26 and w['covered'] and w['to'] == w['last_collection'], w"
expect "a day that is no date" 2 "$VKPULSE" "${C[@]}" crosscheck --year $Y --from $Y-02-30 --to $Y-03-01
err_has "says which" "--from wants a date YYYY-MM-DD, not '$Y-02-30'"
expect "--to before --from" 2 "$VKPULSE" "${C[@]}" crosscheck --year $Y --from $Y-03-01 --to $Y-02-01
expect "half a range" 2 "$VKPULSE" "${C[@]}" crosscheck --year $Y --from $Y-03-01
expect "dates and weeks" 2 "$VKPULSE" "${C[@]}" crosscheck --year $Y --from $Y-03-01 --to $Y-03-02 --window 4
expect "a panel has no one window" 2 "$VKPULSE" "${C[@]}" crosscheck --years $((Y - 1)),$Y --window 4
expect "a window after the last collection" 1 "$VKPULSE" "${C[@]}" crosscheck --year $Y --from $((Y + 1))-01-01 --to $((Y + 1))-01-31
err_has "nothing to observe" 'starts after the last collection'

# ---- an open year, walls not read back far enough --------------------------------------------
expect "the open year" 0 "$VKPULSE" "${C[@]}" crosscheck --year $Y --lang en
out_has "the open year is said" "^Note: The window is not covered: the last collection was on $(TZ=Asia/Yekaterinburg date +%F -d "@$(sqlite3 "$tmp/vk.db" "SELECT max(finished_at) FROM run")")"
sed -e "s|^path = .*|path = $tmp/short.db|" -e 's/^horizon_days = 0$/horizon_days = 200/' "$tmp/c.ini" >"$tmp/short.ini"
expect "init the second database" 0 "$VKPULSE" --config "$tmp/short.ini" init
expect "a collection of 200 days of walls" 0 "$VKPULSE" --config "$tmp/short.ini" collect --once --quiet
expect "import" 0 "$VKPULSE" --config "$tmp/short.ini" survey import "$VKP_SRC/config/demo-survey-2024.csv" --year $((Y - 1))
expect "crosscheck of a year before the walls" 0 "$VKPULSE" --config "$tmp/short.ini" crosscheck \
    --year $((Y - 1)) --format json --lang en --output "$tmp/short.json"
check "not covered: said, and shortfalls above registered unverifiable" python3 - "$tmp/short.json" <<'PY'
import json, sys
x = json.load(open(sys.argv[1]))
w = x["window"]
assert not w["covered"] and any("walls reach back to" in s for s in w["warnings"]), w
assert not x["data"]["rmo_walls_complete"]
for m in x["municipalities"]:
    for q in ("q14", "q17"):
        c = m[q]
        assert c["verdict"] != "overstated" or c["claimed"] == "registered", (m["name"], q, c)
PY

# ---- survey years side by side ----------------------------------------------------------------
YEARS=$((Y - 2)),$((Y - 1)),$Y
expect "panel json" 0 "$VKPULSE" "${C[@]}" crosscheck --years $YEARS --format json --lang en --output "$tmp/panel.json"
for y in $((Y - 2)) $((Y - 1)) $Y; do
    expect "single year $y" 0 "$VKPULSE" "${C[@]}" crosscheck --year $y --format json --lang en --output "$tmp/s$y.json"
done
check "every panel cell is the single-year cross-check's" python3 - "$tmp/panel.json" \
    "$VKP_SRC/docs/crosscheck-panel.schema.json" "$tmp/s$((Y - 2)).json" "$tmp/s$((Y - 1)).json" "$tmp/s$Y.json" <<'PY'
import json, sys, re
import jsonschema
p = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[2]))).validate(p)
singles = [json.load(open(f)) for f in sys.argv[3:]]
assert p["schema"] == "vkpulse-crosscheck-panel" and p["years"] == [s["year"] for s in singles]
assert p["method"]["pseudonyms"] == "this_output"
assert [w["from_date"] for w in p["windows"]] == [s["window"]["from_date"] for s in singles]
cells = changed = 0
for m in p["municipalities"]:
    for q, arr in m["questions"].items():
        assert [c["year"] for c in arr] == p["years"], (m["name"], q)
        for c, s in zip(arr, singles):
            one = {x["name"]: x for x in s["municipalities"]}[m["name"]][q]
            for k in ("claimed", "observed", "verdict", "reason", "basis_members"):
                assert c[k] == one[k], (m["name"], q, c["year"], k, c[k], one[k])
            if q in ("q14", "q17"):
                # no [survey] pseudonym_salt here: each output has its own key, so the authors'
                # pseudonyms differ between outputs, the posts do not
                strip = lambda e: dict(e, posts=[dict(x, author=None) for x in e["posts"]])
                assert strip(c["evidence"]) == strip(one["evidence"]), (m["name"], q, c["year"])
            cells += 1
            changed += bool(c["changed"])
assert cells == 43 * 4 * 3, cells
assert changed > 0, "the demo surveys differ from year to year"
# the evidence: "contributes" rests on posts of at least min_contributors pseudonymous
# authors, dated in the year's window; no count of a municipality exceeds its members
need = p["thresholds"]["min_contributors"]
contributes = 0
for s in singles:
    lo, hi = s["window"]["from"], s["window"]["to"]
    for m in s["municipalities"]:
        for q in ("q14", "q17"):
            c = m[q]
            assert max(c["commenters"], c["authors"], c["likers"], c["reposters"]) <= c["members"], (m["name"], q, c)
            assert c["members"] == c["basis_members"]
            ev = c["evidence"]
            assert all(re.fullmatch("[0-9a-f]{64}", e["author"]) for e in ev["posts"]), ev["posts"][:1]
            assert all(lo[:10] <= e["date"][:10] <= hi[:10] for e in ev["posts"])
            if c["observed"] == "contributes":
                contributes += 1
                assert len({e["author"] for e in ev["posts"]}) >= need, (m["name"], q, ev)
            if c["observed"] == "discusses":
                assert ev["commenters"] >= p["thresholds"]["min_discussants"] and ev["threads"], (m["name"], q)
assert contributes > 0
PY
expect "panel text" 0 "$VKPULSE" "${C[@]}" crosscheck --years $YEARS --lang en
out_has "the years" "^Survey cross-check over the years — surveys $((Y - 2)), $((Y - 1)), $Y$"
out_has "a question's years" "^    $Y: claims .* — (consistent|overstated|understated|unverifiable|don't know|not in the survey)"
out_has "what changed" '; changed: (claim|observed|verdict)'
expect "panel csv" 0 "$VKPULSE" "${C[@]}" crosscheck --years $YEARS --format csv --output "$tmp/panel.csv"
check "a row per municipality, question and year" test "$(grep -c $'\r$' "$tmp/panel.csv")" -eq $((1 + 43 * 4 * 3))
expect "panel html" 0 "$VKPULSE" "${C[@]}" crosscheck --years $YEARS --format html --output "$tmp/panel.html"
check "html: nothing loaded from outside, evidence linked on VK" bash -c \
    "! sed 's|<a href=\"https://vk.com/wall-[0-9_]*\"||g' '$tmp/panel.html' | grep -Eiq '<script|<link|src=|https?:' && grep -q '<a href=\"https://vk.com/wall-' '$tmp/panel.html'"
expect "a year never imported" 1 "$VKPULSE" "${C[@]}" crosscheck --years $((Y - 5)),$Y
err_has "names it" "no survey imported for $((Y - 5))"
stop_fake
finish
