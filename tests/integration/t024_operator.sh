#!/usr/bin/env bash
# t024_operator.sh: what an operator meets first: a misspelt key, section, command or time
# zone gets a suggestion; a missing token names where it was looked for; `config check`
# validates a configuration without creating or opening the database.
source "$(dirname "$0")/lib.sh"
unset VKPULSE_TOKEN MY_VK_TOKENS
PORT=9 # nothing is asked of VK here
write_config "$tmp/c.ini" 3 rmo_neuspeshnost

expect "config check of a good config" 0 "$VKPULSE" --config "$tmp/c.ini" config check
out_has "says it is valid" 'c\.ini: valid'
out_has "and that the database is not opened" '\(not opened\)'
out_has "one community, in the singular" '^  1 community, 0 alert channels,'
check "config check created no database" test ! -e "$tmp/vk.db"
out_has "the missing token is a note naming the variable" 'note: no VK access token: the environment variable VKPULSE_TOKEN'

sed 's/^\[collect\]/[collect]\nintervall = 60/' "$tmp/c.ini" >"$tmp/typo.ini"
expect "a misspelt key" 2 "$VKPULSE" --config "$tmp/typo.ini" config check
err_has "gets a suggestion" "unknown key 'intervall' in \\[collect\\] \\(did you mean 'interval'\\?\\)"
sed 's/^\[collect\]/[colect]/' "$tmp/c.ini" >"$tmp/typo.ini"
expect "a misspelt section" 2 "$VKPULSE" --config "$tmp/typo.ini" status
err_has "gets a suggestion" 'unknown section \[colect\] \(did you mean \[collect\]\?\)'
printf '[vk]\ninterval = 60\n' >"$tmp/typo.ini"
expect "a key in the wrong section" 2 "$VKPULSE" --config "$tmp/typo.ini" config check
err_has "is told where it belongs" "did you mean 'interval' in \\[collect\\]"
# Several problems in one file: config check lists them all, each with its file:line, in one
# pass (and still opens no database).
sed -e 's/^token_env = .*/token_file = no-such-token-file/' -e 's/^timeout = .*/timeout = soon/' \
    -e 's/^\[collect\]/[collect]\nintervall = 60/' \
    -e 's#^\[region\]#[region]\ntimezone = Asia/Chelyabinsk#' "$tmp/c.ini" >"$tmp/many.ini"
expect "a config with four problems" 2 "$VKPULSE" --config "$tmp/many.ini" config check
line_of() { grep -n "^$1" "$tmp/many.ini" | cut -d: -f1; }
err_has "the unknown key, with its line" "many\\.ini:$(line_of intervall): unknown key 'intervall' in \\[collect\\] \\(did you mean 'interval'\\?\\)"
err_has "the bad number, with its line" "many\\.ini:$(line_of 'timeout'): 'timeout' must be a whole number, not 'soon'"
err_has "the unknown zone, with its line" "many\\.ini:$(line_of timezone): timezone: unknown time zone 'Asia/Chelyabinsk'"
err_has "the missing token file, with its line" "many\\.ini:$(line_of token_file): token_file: cannot open token file '$tmp/no-such-token-file'"
err_has "and how many" "many\\.ini: 4 errors"
check "nothing on standard output: the config is not valid" test ! -s "$tmp/out"
check "config check of a bad config created no database" test ! -e "$tmp/vk.db"
sed 's#^\[region\]#[region]\ntimezone = Asia/Chelyabinsk#' "$tmp/c.ini" >"$tmp/tz.ini"
expect "a city that has no zone" 2 "$VKPULSE" --config "$tmp/tz.ini" config check
err_has "is told the region's zone, not errno" "unknown time zone 'Asia/Chelyabinsk': .* has no such zone.*Asia/Yekaterinburg"
sed 's#^\[region\]#[region]\ntimezone = Asia/Yekaterinbrug#' "$tmp/c.ini" >"$tmp/tz.ini"
expect "a misspelt zone" 2 "$VKPULSE" --config "$tmp/tz.ini" config check
err_has "gets a suggestion" "did you mean 'Asia/Yekaterinburg'"
sed 's#^municipalities *=.*#municipalities = '"$tmp"'/no-such-map.ini#' "$tmp/c.ini" >"$tmp/map.ini"
expect "a municipality map that is not there" 2 "$VKPULSE" --config "$tmp/map.ini" config check
err_has "says where it was named" "map\\.ini: \\[region\\] municipalities: cannot open municipality map '$tmp/no-such-map.ini'"
expect "the same, for crosscheck" 2 "$VKPULSE" --config "$tmp/map.ini" crosscheck --year 2025
err_has "says the same" "map\\.ini: \\[region\\] municipalities: cannot open municipality map"
expect "a misspelt command" 2 "$VKPULSE" --config "$tmp/c.ini" stauts
err_has "gets a suggestion" "'stauts' is not a command \\(did you mean 'status'\\?\\)"
expect "help about a misspelt command" 2 "$VKPULSE" help reprot
err_has "gets the same suggestion" "'reprot' is not a command \\(did you mean 'report'\\?\\)"
expect "config without a subcommand" 2 "$VKPULSE" --config "$tmp/c.ini" config

# A misspelt option of a command gets the nearest option of that command, before anything
# is opened or asked.
expect "a misspelt report option" 2 "$VKPULSE" --config "$tmp/c.ini" report --weak 2026-W48
err_has "gets a suggestion" "vkpulse report: unknown option '--weak' \\(did you mean '--week'\\?\\)"
expect "a misspelt option where the config is missing" 2 "$VKPULSE" --config "$tmp/none.ini" report --weak 2026-W48
err_has "is named first" "vkpulse report: unknown option '--weak' \\(did you mean '--week'\\?\\)"
expect "a misspelt collect option" 2 "$VKPULSE" --config "$tmp/c.ini" collect --onse
err_has "gets a suggestion" "vkpulse collect: unknown option '--onse' \\(did you mean '--once'\\?\\)"
expect "a misspelt status option" 2 "$VKPULSE" --config "$tmp/c.ini" status --fromat json
err_has "gets a suggestion" "unknown option '--fromat' \\(did you mean '--format'\\?\\)"
expect "a misspelt global option" 2 "$VKPULSE" --confg "$tmp/c.ini" status
err_has "gets a suggestion" "unknown option '--confg' \\(did you mean '--config'\\?\\)"
expect "an abbreviation of two options" 2 "$VKPULSE" --config "$tmp/c.ini" report --we 3
err_has "names both" "'--we' is ambiguous: --week --weeks"
expect "an option without its value" 2 "$VKPULSE" --config "$tmp/c.ini" purge --months
err_has "is told so" "'--months' needs a value"
expect "an option of a command that takes none" 2 "$VKPULSE" --config "$tmp/c.ini" init --force
err_has "is called an option" "vkpulse init: unknown option '--force': init takes no options"
check "getopt's own message is not printed besides" test "$(grep -c 'unrecognized\|requires an argument' "$tmp/err")" -eq 0
check "no database was created by any of them" test ! -e "$tmp/vk.db"

# The missing token names the configured source: another variable, or the token file.
sed -i 's/^token_env = .*/token_env = MY_VK_TOKENS/' "$tmp/c.ini"
expect "init" 0 "$VKPULSE" --config "$tmp/c.ini" init
out_has "init says where it looked for the token" 'note: no VK access token: the environment variable MY_VK_TOKENS \(\[vk\] token_env\) is not set'
expect "collect without the token" 2 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "names token_env's variable" 'environment variable MY_VK_TOKENS \(\[vk\] token_env\) is not set'
sed -i "s#^token_env = .*#token_file = $tmp/no-such-token#" "$tmp/c.ini"
expect "collect with a missing token file" 2 "$VKPULSE" --config "$tmp/c.ini" collect --once
err_has "names the token file" "cannot open token file '$tmp/no-such-token' \\(\\[vk\\] token_file\\)"
expect "config check: a token file that is not there is an error" 2 "$VKPULSE" --config "$tmp/c.ini" config check
err_has "naming the file and the line" "c\\.ini:[0-9]+: token_file: cannot open token file '$tmp/no-such-token'"
sed 's#^token_file = .*#token_env = MY_VK_TOKENS#' "$tmp/c.ini" >"$tmp/env.ini"
MY_VK_TOKENS=a,b expect "config check counts several tokens" 0 "$VKPULSE" --config "$tmp/env.ini" config check
out_has "two tokens from the variable" '2 access tokens from \$MY_VK_TOKENS'
(umask 077 && printf 'tokA\ntokB\n' >"$tmp/no-such-token")
expect "config check counts tokens in the file" 0 "$VKPULSE" --config "$tmp/c.ini" config check
out_has "two tokens from the file" "2 access tokens from $tmp/no-such-token"
finish
