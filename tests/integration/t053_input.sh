#!/usr/bin/env bash
# t053_input.sh: what a user types or hands over is checked before anything runs
# (issue 22, input side):
#  - B9: a FIFO (or a directory) as --config, and a FIFO as --db, is refused at once,
#    exit 2, as token and survey FIFOs are; nothing waits for a writer.
#  - B7: an email channel with `to = ,,,` and a stdout channel with a `url` are
#    configuration errors naming file:line (exit 2), even for alerts --test.
#  - B8: an impossible date (--to 2025-02-30) is refused naming it, never read as
#    another period; --week with --to is a conflict, not "the last one wins".
#  - crosscheck --year out of range says which years are valid.
#  - collect --quiet writes nothing on standard output (the city directory's
#    summary included).
source "$(dirname "$0")/lib.sh"
export VKPULSE_TOKEN=demo-token

# ---- B9: the config file must be a regular file ----------------------------------------
mkfifo "$tmp/fifo.ini"
mkdir "$tmp/dir.ini"
expect "FIFO config: refused at once" 2 timeout 20 "$VKPULSE" --config "$tmp/fifo.ini" status
err_has "FIFO config: says why" "config file '$tmp/fifo.ini' is not a regular file \(it is a FIFO\)"
check "FIFO config: still a FIFO" test -p "$tmp/fifo.ini"
expect "directory config: refused" 2 "$VKPULSE" --config "$tmp/dir.ini" status
err_has "directory config: says why" "is not a regular file \(it is a directory\)"
VKPULSE_CONFIG="$tmp/fifo.ini" expect "FIFO as \$VKPULSE_CONFIG: refused at once" 2 timeout 20 "$VKPULSE" status


start_fake --dataset demo --rps 20 --time $NOW
demo_config "$tmp/c.ini"
C=(--config "$tmp/c.ini")

# The database too: SQLite would wait on a FIFO for ever.
mkfifo "$tmp/db.fifo"
for cmd in status init; do
    expect "--db FIFO, $cmd: refused at once" 2 timeout 20 "$VKPULSE" "${C[@]}" --db "$tmp/db.fifo" $cmd
    err_has "--db FIFO, $cmd: says why" "database '$tmp/db.fifo' is not a regular file \(it is a FIFO\)"
done

# ---- B7: channels that cannot deliver are configuration errors ------------------------
cp "$tmp/c.ini" "$tmp/to.ini"
cat >>"$tmp/to.ini" <<'INI'
[channel]
type = email
smtp_url = smtp://127.0.0.1:9
from = vkpulse@example.org
to = ,,,
INI
line=$(grep -n '^to = ,,,' "$tmp/to.ini" | cut -d: -f1)
expect "to = ,,,: alerts --test refuses" 2 "$VKPULSE" --config "$tmp/to.ini" alerts --test
err_has "to = ,,,: names file:line" "$tmp/to.ini:$line: 'to' holds an empty address"
expect "to = ,,,: every command refuses the config" 2 "$VKPULSE" --config "$tmp/to.ini" status
cp "$tmp/c.ini" "$tmp/url.ini"
printf '[channel]\ntype = stdout\nurl = https://hooks.example.org/x\n' >>"$tmp/url.ini"
line=$(grep -n '^url = https://hooks' "$tmp/url.ini" | cut -d: -f1)
expect "stdout channel with a url: refused" 2 "$VKPULSE" --config "$tmp/url.ini" alerts --test
err_has "stdout channel with a url: names file:line" "$tmp/url.ini:$line: 'url' does not belong to a \[channel\] of type stdout"

# ---- collect --quiet: nothing on standard output ----------------------------------------
# init without a token: the city directory is then first fetched by collect.
expect "init" 0 env -u VKPULSE_TOKEN "$VKPULSE" "${C[@]}" init
expect "collect --quiet" 0 "$VKPULSE" "${C[@]}" collect --once --quiet
check "collect --quiet: the city directory was fetched" test "$(sqlite3 "$tmp/vk.db" "SELECT count(*) FROM city_directory")" -gt 0
check "collect --quiet: nothing on standard output ($(head -c 200 "$tmp/out"))" test ! -s "$tmp/out"
stop_fake

# ---- B8: dates are real dates -------------------------------------------------------------
expect "report --to 2025-02-30" 2 "$VKPULSE" "${C[@]}" report --to 2025-02-30
err_has "report --to 2025-02-30: names the date" "'2025-02-30' is not a date: February 2025 has 28 days"
expect "report --period month --to 2026-02-30" 2 "$VKPULSE" "${C[@]}" report --period month --to 2026-02-30
err_has "month of 2026-02-30: names the date" "'2026-02-30' is not a date"
expect "report --from 2026-04-31" 2 "$VKPULSE" "${C[@]}" report --period month --from 2026-04-31 --to 2026-05
err_has "--from 2026-04-31: names the date" "'2026-04-31' is not a date: April 2026 has 30 days"
expect "report --week and --to together" 2 "$VKPULSE" "${C[@]}" report --week 2026-W01 --to 2026-W02
err_has "--week and --to: a conflict" "--week and --to both name the report period"
expect "a real date still works" 0 "$VKPULSE" "${C[@]}" report --to 2024-02-29 --format csv

# ---- crosscheck --year: the valid range -------------------------------------------------
expect "crosscheck --year 1999" 2 "$VKPULSE" "${C[@]}" crosscheck --year 1999
err_has "crosscheck --year 1999: says which years" "--year wants the survey's year, 2000 to 2100"
expect "survey import --year 1999" 2 "$VKPULSE" "${C[@]}" survey import "$VKP_SRC/config/demo-survey-2023.csv" --year 1999
err_has "survey --year 1999: says which years" "2000 to 2100"
finish
