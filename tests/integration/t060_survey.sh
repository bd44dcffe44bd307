#!/usr/bin/env bash
# t060_survey.sh: survey import and crosscheck with the real binary, on a database
# collected from the fake server's demo dataset (members live in real settlements of
# Chelyabinsk region): the three shapes of export import alike, a bad file changes
# nothing, re-importing a year replaces it, the roster wins over the profile city, and
# crosscheck writes text, csv, json and html and the pseudonymous member rows.
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token
DATA="$VKP_SRC/tests/data/survey"

start_fake --dataset demo --rps 20 --time $NOW
demo_config "$tmp/c.ini"
printf '[collect]\nhorizon_days = 3650\n' >>"$tmp/c.ini"
C=(--config "$tmp/c.ini")

expect "init" 0 "$VKPULSE" "${C[@]}" init
expect "crosscheck before any run" 1 "$VKPULSE" "${C[@]}" crosscheck --year 2023
expect "collect the demo" 0 "$VKPULSE" "${C[@]}" collect --once --quiet

# ---- import ------------------------------------------------------------------------
expect "import needs a year" 2 "$VKPULSE" "${C[@]}" survey import "$DATA/forms_utf8_bom.csv"
expect "dry run" 0 "$VKPULSE" "${C[@]}" survey import "$DATA/forms_utf8_bom.csv" --year 2023 --dry-run
out_has "dry run checks the file" '42 municipalities, 238 answers: no errors'
check "dry run imports nothing" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM survey_response")" -eq 0
for f in forms_utf8_bom excel_cp1251 yandex_multiline; do
    expect "import $f" 0 "$VKPULSE" "${C[@]}" survey import "$DATA/$f.csv" --year 2023
    out_has "$f: 42 municipalities" 'imported the 2023 survey from .*: 42 municipalities, 238 answers'
    sqlite3 "$tmp/vk.db" "SELECT municipality, code FROM survey_response ORDER BY 1, 2" >"$tmp/$f.ans"
done
check "the three shapes import alike" cmp -s "$tmp/forms_utf8_bom.ans" "$tmp/excel_cp1251.ans"
check "the multi-line shape imports alike" cmp -s "$tmp/forms_utf8_bom.ans" "$tmp/yandex_multiline.ans"
err_has "columns found by wording" 'question 17 in column G'

# an unknown municipality: a clear error, and the imported year stays as it was
sed 's/^\(.*\),Пластовский МР,/\1,Пластоский р-н,/' "$DATA/forms_utf8_bom.csv" >"$tmp/bad.csv"
expect "bad import fails" 1 "$VKPULSE" "${C[@]}" survey import "$tmp/bad.csv" --year 2023
err_has "the error names row, column and text" "bad.csv: row 36 \(line 36\), column B «Муниципальное образование»: unknown municipality 'Пластоский р-н' \(nearest: Пластовский муниципальный округ"
err_has "nothing imported" 'nothing imported: 1 row of'
check "the year is untouched" cmp -s "$tmp/forms_utf8_bom.ans" \
    <(sqlite3 "$tmp/vk.db" "SELECT municipality, code FROM survey_response ORDER BY 1, 2")
# re-importing a year replaces it
head -3 "$DATA/forms_utf8_bom.csv" >"$tmp/two.csv"
expect "re-import" 0 "$VKPULSE" "${C[@]}" survey import "$tmp/two.csv" --year 2023
check "re-import replaced the year" test "$(sqlite3 "$tmp/vk.db" "SELECT rows FROM survey_import WHERE year = 2023")" -eq 2
expect "import back" 0 "$VKPULSE" "${C[@]}" survey import "$VKP_SRC/config/demo-survey-2023.csv" --year 2023
expect "list" 0 "$VKPULSE" "${C[@]}" survey list
out_has "list shows the year" '2023 +42 municipalities +238 answers'

# ---- crosscheck ----------------------------------------------------------------------
expect "crosscheck text" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023
out_has "respondents" 'Сводка по области: ответили 42 / 43'
out_has "coverage in a sentence" '^Из 5.{1,2}985 участников области на конец окна к муниципалитетам отнесено [0-9].* \([0-9]+ %\)'
out_has "Chelyabinsk is not in the survey" '^Челябинский ГО — отнесённых участников [1-9].*нет в анкете'
out_has "follow-up list" '^Требуют уточнения: [1-9]'
expect "crosscheck json" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --format json --lang en --output "$tmp/x.json"
check "json follows docs/crosscheck.schema.json" python3 - "$tmp/x.json" "$tmp/vk.db" "$VKP_SRC/docs/crosscheck.schema.json" <<'PY'
import json, sqlite3, sys
import jsonschema
x = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator(json.load(open(sys.argv[3]))).validate(x)
assert (x["schema"], x["schema_version"]) == ("vkpulse-crosscheck", 3), x["schema"]
db = sqlite3.connect(sys.argv[2])
members = db.execute("SELECT count(DISTINCT user_id) FROM membership WHERE left_at IS NULL").fetchone()[0]
c = x["coverage"]
assert c["members"] == members, (c, members)
assert c["roster"] + c["city"] + c["no_city"] + c["unmapped"] + c["outside"] == members, c
# init fetched VK's city directory: members are placed by city id, and it says so
assert x["method"]["attribution"] == "directory", x["method"]
assert x["method"]["directory"]["localities"] > 1100 and len(x["method"]["legend"]) == 4
assert c["no_city"] == db.execute("SELECT count(DISTINCT m.user_id) FROM membership m JOIN user u ON u.id = m.user_id"
                                  " WHERE m.left_at IS NULL AND u.city_id IS NULL").fetchone()[0]
assert len(x["municipalities"]) == 43
assert x["summary"]["respondents"] == 42
assert x["summary"]["q14"]["claimed"]["registered"] == 22
assert x["summary"]["q17"]["claimed"]["dont_know"] == 3
by = {m["name"]: m for m in x["municipalities"]}
assert by["Челябинский городской округ"]["q14"]["verdict"] == "not_surveyed"
assert all(m["q14"]["verdict"] in ("consistent", "overstated", "understated", "unverifiable",
                                   "dont_know", "no_answer", "not_surveyed") for m in x["municipalities"])
# attributed members of a municipality never exceed what the region has
assert sum(m["attributed_members"] for m in x["municipalities"]) == c["city"] + c["roster"]
PY
ok
expect "crosscheck csv" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --format csv --csv-sep ';' --output "$tmp/x.csv"
check "csv starts with a BOM" test "$(head -c 3 "$tmp/x.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "csv has a header and a row per municipality and question" \
    test "$(grep -c $'\r$' "$tmp/x.csv")" -eq $((1 + 43 * 7))
expect "crosscheck csv --semicolon (the older spelling)" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --format csv --semicolon --output "$tmp/x2.csv"
check "--semicolon is --csv-sep ';'" cmp "$tmp/x.csv" "$tmp/x2.csv"
expect "crosscheck html" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --format html --output "$tmp/x.html"
check "html is self-contained (its only addresses: links to the evidence on VK)" bash -c \
    "! sed 's|<a href=\"https://vk.com/wall-[0-9_]*\"||g' '$tmp/x.html' | grep -Eiq '<script|<link|src=|https?:'"
expect "unknown year" 1 "$VKPULSE" "${C[@]}" crosscheck --year 2022
err_has "unknown year says what to do" "no survey imported for 2022: run 'vkpulse survey import FILE --year 2022'"
expect "bad format" 2 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --format xml

# ---- roster ---------------------------------------------------------------------------
outsider=$(sqlite3 "$tmp/vk.db" "SELECT m.user_id FROM membership m JOIN user u ON u.id = m.user_id
    WHERE m.left_at IS NULL AND u.city_title = 'Москва' LIMIT 1")
printf 'VK;Муниципалитет\nhttps://vk.com/id%s;Пластовский МР\n' "$outsider" >"$tmp/roster.csv"
expect "roster" 0 "$VKPULSE" "${C[@]}" survey roster "$tmp/roster.csv"
expect "crosscheck with roster" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --format json --output "$tmp/r.json"
check "the roster wins over the profile city" python3 - "$tmp/x.json" "$tmp/r.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert b["coverage"]["roster"] == 1 and b["coverage"]["outside"] == a["coverage"]["outside"] - 1
pa = {m["name"]: m for m in a["municipalities"]}["Пластовский муниципальный округ"]
pb = {m["name"]: m for m in b["municipalities"]}["Пластовский муниципальный округ"]
assert pb["attributed_members"] == pa["attributed_members"] + 1 and pb["by_roster"] == 1
PY
printf 'https://vk.com/someone;Пластовский МР\n' >"$tmp/badroster.csv"
expect "roster with a screen name" 1 "$VKPULSE" "${C[@]}" survey roster "$tmp/badroster.csv"
err_has "screen names are refused" "links to a screen name"

# ---- pseudonymous rows -----------------------------------------------------------------
expect "pseudonymize needs a salt" 2 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --pseudonymize
err_has "salt message" 'pseudonym_salt'
printf '[survey]\npseudonym_salt = %s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >>"$tmp/c.ini"
expect "pseudonymize" 0 "$VKPULSE" "${C[@]}" crosscheck --year 2023 --pseudonymize --output "$tmp/p.csv"
check "the research export is private under the caller's umask $(umask) ($(stat -c %a "$tmp/p.csv"))" \
    test "$(stat -c %a "$tmp/p.csv")" = 600
# every current member has a row in each community (and active non-members too)
check "one row per community and person" test "$(($(wc -l <"$tmp/p.csv") - 1))" -ge \
    "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM membership WHERE left_at IS NULL")"
check "no VK id in the rows" bash -c "! grep -q ',$outsider,\|^$outsider,' '$tmp/p.csv'"
check "pseudonyms are 64 hex digits" bash -c "tail -n +2 '$tmp/p.csv' | cut -d, -f1 | grep -vqE '^[0-9a-f]{64}$' && exit 1 || exit 0"
stop_fake
finish
