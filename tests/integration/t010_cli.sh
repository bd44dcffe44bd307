#!/usr/bin/env bash
# t010_cli.sh: the command line of the real binary: help, exit codes, init,
# status, config errors, refusing a foreign file, --db.
#
# Run by ctest with VKP_SRC (repository root) and VKP_BUILD (build directory).
# Talks to nothing: no network at all.
# labels: valgrind
source "$(dirname "$0")/lib.sh"
EXAMPLE="$VKP_SRC/config/vkpulse.ini"
[ -r "$EXAMPLE" ] || { echo "t010: no example config at $EXAMPLE" >&2; exit 1; }

# ---- help and version ------------------------------------------------------
expect "--help" 0 "$VKPULSE" --help
out_has "--help" '^usage: vkpulse'
for cmd in init collect report survey crosscheck alerts status; do
    out_has "--help lists $cmd" "^  $cmd "
done
expect "--version" 0 "$VKPULSE" --version
out_has "--version" '^vkpulse [0-9]+\.[0-9]+\.[0-9]+$'
expect "--config-keys" 0 "$VKPULSE" --config-keys
out_has "--config-keys" '^\[community\]'

for cmd in init collect report survey crosscheck alerts status; do
    # No config exists at all: --help must not need one.
    expect "$cmd --help" 0 "$VKPULSE" --config "$tmp/none.ini" "$cmd" --help
    out_has "$cmd --help" "^usage: vkpulse .*$cmd"
    expect "help $cmd" 0 "$VKPULSE" help "$cmd"
    out_has "help $cmd" "^usage: vkpulse .*$cmd"
done

# ---- usage errors exit 2 -----------------------------------------------------
expect "unknown command" 2 "$VKPULSE" frobnicate
err_has "unknown command" "'frobnicate' is not a command"
expect "help about an unknown command" 2 "$VKPULSE" help frobnicate
err_has "help about an unknown command says so" "'frobnicate' is not a command"
if [ ! -e /etc/vkpulse/vkpulse.ini ]; then # a machine with vkpulse installed has one
    (cd "$tmp" && VKPULSE_CONFIG= run "$VKPULSE" status)
    [ "$rc" -eq 2 ] || fail "no config anywhere: exit $rc, expected 2"
    ok
    err_has "no config anywhere: the system's path is named" "/etc/vkpulse/vkpulse.ini"
fi
expect "bad global option" 2 "$VKPULSE" --bogus status
expect "missing option argument" 2 "$VKPULSE" --config
expect "no command" 2 "$VKPULSE"
expect "init with an extra argument" 2 "$VKPULSE" --config "$EXAMPLE" --db "$tmp/x.db" init extra
[ ! -e "$tmp/x.db" ] || fail "init with a usage error created the database"
ok

# Options that override a config key take that key's bounds from the config table.
expect "report --weeks out of bounds" 2 "$VKPULSE" --config "$EXAMPLE" report --weeks 105
err_has "report --weeks says the key's bounds" "--weeks wants 1..104 \(as \[report\] weeks\), not '105'"
expect "crosscheck --window out of bounds" 2 "$VKPULSE" --config "$EXAMPLE" crosscheck --year 2023 --window 0
err_has "crosscheck --window says the key's bounds" "--window wants 1..520 \(as \[survey\] window_weeks\)"
expect "purge --months out of bounds" 2 "$VKPULSE" --config "$EXAMPLE" purge --months 121
err_has "purge --months says the key's bounds" "--months wants 1..120 \(as \[privacy\] retention_months\)"
# alerts --test: the example's stdout channel writes its message where its messages go,
# standard output, just before the verdict.
expect "alerts --test" 0 "$VKPULSE" --config "$EXAMPLE" alerts --test
out_has "alerts --test says ok per channel" '^channel 1 \(stdout, line [0-9]+\): ok$'
out_has "the stdout channel wrote the test message on stdout" '^vkpulse: проверка связи'
check "the test message is not on stderr" sh -c "! grep -q 'проверка связи' '$tmp/err'"
grep -v '^\[channel\]\|^type = stdout' "$EXAMPLE" >"$tmp/nochan.ini"
expect "alerts --test without channels" 2 "$VKPULSE" --config "$tmp/nochan.ini" alerts --test
err_has "alerts --test without channels says so" 'no \[channel\]'

# ---- init and status on the example config -----------------------------------
db="$tmp/a.db"
expect "init creates" 0 "$VKPULSE" --config "$EXAMPLE" --db "$db" init
out_has "init creates" "^created database $db \(schema [0-9]+\)"
out_has "init creates" '^5 communities configured'
[ "$(stat -c %a "$db")" = 600 ] || fail "database mode is $(stat -c %a "$db"), not 600"
ok
# Kept for readers who may not create them, as private as the database.
for side in -wal -shm; do
    [ "$(stat -c %a "$db$side")" = 600 ] || fail "$db$side is missing or not 600"
    ok
done
expect "init again" 0 "$VKPULSE" --config "$EXAMPLE" --db "$db" init
out_has "init again" "^database $db is up to date"

expect "status" 0 "$VKPULSE" --config "$EXAMPLE" --db "$db" status
out_has "status" "^database $db \(schema [0-9]+\)"
for group in rmo_slozhny_kontingent rmo_neuspeshnost rmo_funktsionalnaya_gramotnost \
    sps_slabouspevayushchie sps_shkoly_lidery; do
    out_has "status lists $group" "^  $group +(rmo|community) +never "
    # No subscriber count is known yet: n/a, not 0 (issue 16).
    out_has "status: $group's subscribers unknown" "^  $group +(rmo|community) +never +n/a "
done
[ "$(grep -Ec ' (rmo|community) +never ' "$tmp/out")" -eq 5 ] ||
    fail "status: expected exactly 5 communities: $(cat "$tmp/out")"
ok
out_has "status without runs" 'no collection run yet'
out_has "status rows" '^  community +5$'

expect "status on a missing database" 1 "$VKPULSE" --config "$EXAMPLE" --db "$tmp/missing.db" \
    status
err_has "status on a missing database" "vkpulse init"
[ ! -e "$tmp/missing.db" ] || fail "status created a missing database"
ok

# ---- a config error exits 2 and names file:line -------------------------------
cat >"$tmp/bad.ini" <<'EOF'
[database]
path = bad.db
[vk]
timeout = soon
EOF
expect "config error" 2 "$VKPULSE" --config "$tmp/bad.ini" status
err_has "config error" "$tmp/bad.ini:4: .*timeout"
expect "config error on init" 2 "$VKPULSE" --config "$tmp/bad.ini" init
[ ! -e "$tmp/bad.db" ] || fail "init with a bad config created the database"
ok
{
    cat "$EXAMPLE"
    printf '\n[community]\ngroup = extra\nkind = association\nsurvey_name = X\n'
} >"$tmp/bad2.ini"
line=$(($(wc -l <"$EXAMPLE") + 4))
expect "config error in a community" 2 "$VKPULSE" --config "$tmp/bad2.ini" --db "$tmp/b.db" init
err_has "config error in a community" "$tmp/bad2.ini:$line: 'kind' must be one of"
# A time zone that does not exist is an error at its line, for every command.
sed 's|^timezone = .*|timezone = Asia/Yekaterinburgg|' "$EXAMPLE" >"$tmp/tz.ini"
tzline=$(grep -n '^timezone = ' "$tmp/tz.ini" | cut -d: -f1)
for cmd in init status; do
    expect "unknown time zone on $cmd" 2 "$VKPULSE" --config "$tmp/tz.ini" --db "$tmp/tz.db" $cmd
    err_has "unknown time zone on $cmd names file:line" "$tmp/tz.ini:$tzline: timezone: unknown time zone 'Asia/Yekaterinburgg'"
done
[ ! -e "$tmp/tz.db" ] || fail "init with an unknown time zone created the database"
ok
expect "missing config" 2 "$VKPULSE" --config "$tmp/none.ini" status
err_has "missing config" "$tmp/none.ini"

# ---- init refuses a file that is not a vkpulse database ------------------------
printf 'these are my notes, not a database\n%.0s' {1..20} >"$tmp/notes.txt"
cp "$tmp/notes.txt" "$tmp/notes.orig"
run "$VKPULSE" --config "$EXAMPLE" --db "$tmp/notes.txt" init
[ "$rc" -ne 0 ] || fail "init on a text file succeeded"
ok
cmp -s "$tmp/notes.txt" "$tmp/notes.orig" || fail "init on a text file changed it"
ok
err_has "init on a text file" "not a SQLite database"
for side in -wal -shm -journal; do
    [ ! -e "$tmp/notes.txt$side" ] || fail "init on a text file left notes.txt$side"
done
ok

sqlite3 "$tmp/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
cp "$tmp/other.db" "$tmp/other.orig"
run "$VKPULSE" --config "$EXAMPLE" --db "$tmp/other.db" init
[ "$rc" -ne 0 ] || fail "init on another program's database succeeded"
ok
cmp -s "$tmp/other.db" "$tmp/other.orig" || fail "init on another program's database changed it"
ok
err_has "init on another program's database" "another program"

# ---- --db overrides the config's path ------------------------------------------
mkdir "$tmp/cfgdir"
sed 's|^path = .*|path = fromconfig.db|' "$EXAMPLE" >"$tmp/cfgdir/vkpulse.ini"
expect "init with --db" 0 "$VKPULSE" --config "$tmp/cfgdir/vkpulse.ini" --db "$tmp/override.db" init
[ -f "$tmp/override.db" ] || fail "--db: $tmp/override.db was not created"
ok
[ ! -e "$tmp/cfgdir/fromconfig.db" ] || fail "--db: the config's database was created anyway"
ok
expect "status with --db" 0 "$VKPULSE" --config "$tmp/cfgdir/vkpulse.ini" --db "$tmp/override.db" \
    status
out_has "status with --db" "^database $tmp/override.db "
# Without --db the config's path counts, relative to the config's directory.
expect "init without --db" 0 "$VKPULSE" --config "$tmp/cfgdir/vkpulse.ini" init
[ -f "$tmp/cfgdir/fromconfig.db" ] || fail "the config's relative path was not used"
ok
# VKPULSE_CONFIG chooses the config when --config is absent.
expect "VKPULSE_CONFIG" 0 env VKPULSE_CONFIG="$tmp/cfgdir/vkpulse.ini" "$VKPULSE" status
out_has "VKPULSE_CONFIG" "^database $tmp/cfgdir/\.?/?fromconfig.db "

finish
