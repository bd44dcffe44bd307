#!/usr/bin/env bash
# t055_static_checks.sh: rules of the source that a reviewer could miss,
# checked on every file of the product (core/ region/ collector/ render/ report/
# crosscheck/ alerts/ notify/ service/ cli/):
#  - SQL only in the store (core/store*.c), only prepared and bound: no
#    sqlite3_mprintf & co., no store_stmt() on anything but a fixed SQL_*
#    constant, no SQL text built with printf. The one exception is in
#    store_migrate: PRAGMA takes no parameters, so `PRAGMA user_version=%d`
#    and `PRAGMA application_id=%d` are formatted with integers the program
#    owns (a migration's number and a constant).
#  - TLS verification is never turned off, and curl is never told to follow
#    redirects (which could leave https).
#  - Nothing prints the token variable.
#  - A string is copied into a fixed buffer only with text_copy (core/text.c), which
#    cuts on a character boundary: no snprintf(buf, n, "%s", s), strncpy or strlcpy,
#    which cut mid-UTF-8 (issue 22, B11).
#  - Includes follow the layers (CMakeLists.txt builds one library per layer, so the
#    build fails too): core <- render, region, notify <- collector, report <- crosscheck,
#    alerts <- service <- cli; a layer includes its own headers and those below it.
# Each rule is also tried on a planted violation, so a broken pattern fails.
source "$(dirname "$0")/lib.sh"
cd "$VKP_SRC"
mapfile -t files < <(find core region collector render report crosscheck alerts notify service cli -name '*.[ch]' 2>/dev/null | sort)
check "product sources found (${#files[@]})" test "${#files[@]}" -gt 20

# rule NAME PATTERN FILES...: lines matching the extended regex (minus the
# allowed ones in $allow) are violations; prints them.
allow='^$'
violations() {
    local pattern=$1
    shift
    grep -nE -- "$pattern" "$@" /dev/null | grep -vE -- "$allow" || true
}
rule() {
    local name=$1 pattern=$2 planted=$3
    shift 3
    local found
    found=$(violations "$pattern" "$@")
    [ -z "$found" ] || fail "$name: $found"
    ok
    # The pattern must catch the planted line, or it proves nothing.
    printf '%s\n' "$planted" >"$tmp/planted.c"
    [ -n "$(violations "$pattern" "$tmp/planted.c")" ] || fail "$name: the check misses '$planted'"
    ok
    echo "static: $name: ok in ${#files[@]} files"
}

rule "no sqlite3 string formatting" 'sqlite3_(v?mprintf|v?snprintf|str_(v?appendf))' \
    'char *q = sqlite3_mprintf("SELECT %s", x);' "${files[@]}"

mapfile -t outside < <(printf '%s\n' "${files[@]}" | grep -v '^core/store')
rule "SQL calls only in the store" 'sqlite3_(prepare|exec|step|bind)' \
    'sqlite3_exec(db, sql, 0, 0, 0);' "${outside[@]}"

mapfile -t store < <(printf '%s\n' "${files[@]}" | grep '^core/store.*\.c$')
check "store files found (${#store[@]})" test "${#store[@]}" -ge 2
# Every statement comes from store_stmt() (prepared once, cached by the
# address of its text), directly, through PREPARE() in store_collect.c, or
# through a helper (static, or shared through store_int.h) whose parameter is
# `const char *sql`; its text is a
# `static const char SQL_*[]` literal (or an element of a `static const char
# *const SQL_*[]` array of literals) or one of the fixed count statements of
# store_count_rows (table_counts[]), and every call of a helper passes one,
# or a literal, or an embedded migration (m->sql), or the PRAGMA exception
# below (pragma).
mapfile -t helpers < <(grep -hoE '^(static )?[a-z_ ]+\*?[a-z_]+\(struct store \*st, const char \*sql' \
    "${store[@]}" | sed -E 's/^.*[ *]([a-z_]+)\(struct store.*/\1/' | sort -u)
helper_re=$(IFS='|'; echo "${helpers[*]}")
sqlarg='SQL_[A-Z0-9_]+(\[[a-z_]+\])?'
allow="store_stmt\\(st, ($sqlarg|\\(?sql\\)?|table_counts\\[table_index\\])\\)|store_stmt\\(struct store \\*st, const char \\*sql\\)|PREPARE\\([a-z]+, $sqlarg\\)|define PREPARE\\(s, sql\\)|\\b($helper_re)\\(st, ($sqlarg|\"[^\"]*\"|m->sql|pragma)[,)]|^[^:]+:[0-9]+:(static )?[a-z_ ]+\\*?($helper_re)\\(struct store \\*st, const char \\*sql"
rule "statements only from fixed SQL_ constants" "store_stmt\\(|PREPARE\\(|\\b($helper_re)\\(" \
    'sqlite3_stmt *s = store_stmt(st, built);' "${store[@]}" core/store_int.h
echo "static: SQL helpers taking a statement: ${helpers[*]:-none}"
# (a literal, or a literal macro such as SNAP_COLUMNS "..." in store_report.c)
allow='static const char (\*const )?SQL_[A-Z0-9_]+\[\] =( "|$| \{$| [A-Z][A-Z0-9_]*$)'
rule "SQL_ constants are static literals" 'SQL_[A-Z0-9_]+\[\] *=' \
    'char SQL_X[] = {0};' "${store[@]}"
allow='^$'

allow='core/store\.c:[0-9]+: +snprintf\(pragma, sizeof pragma, "PRAGMA (user_version|application_id)=%d", (m->version|VKP_APPLICATION_ID)\);'
rule "no SQL built with printf" \
    '(s?n?printf|asprintf|strcat|strcpy)\(.*"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|ALTER|BEGIN|WITH|REPLACE|ATTACH)[[:space:]]' \
    'snprintf(buf, sizeof buf, "DELETE FROM user WHERE id = %lld", id);' "${files[@]}"
allowed=$(grep -cE 'snprintf\(pragma, sizeof pragma, "PRAGMA' core/store.c)
check "the PRAGMA exception is exactly the two integer pragmas ($allowed)" test "$allowed" -eq 2
allow='^$'

rule "TLS verification never off" \
    'CURLOPT_SSL_VERIFY(PEER|HOST|STATUS)[^0-9]*0L?\)|CURLOPT_PROXY_SSL_VERIFY|CURLSSLOPT_(NO_REVOKE|ALLOW_BEAST)' \
    'curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L)' "${files[@]}"
check "verification is set on explicitly" \
    grep -q 'CURLOPT_SSL_VERIFYPEER, 1L' collector/http.c
rule "no redirects followed" 'CURLOPT_FOLLOWLOCATION|CURLOPT_REDIR_PROTOCOLS' \
    'curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);' "${files[@]}"

rule "strings copied only with text_copy" \
    '\bv?snprintf\([^,]+, [^,]+, "%s", |\bstrn?cpy\([^,]+, [^,]+, [^)]+\)|\bstrlcpy\(' \
    'snprintf(it->name, sizeof it->name, "%s", f->name);' "${files[@]}"
check "strncpy is caught too" sh -c "echo 'strncpy(a, b, sizeof a);' | grep -qE '\bstrn?cpy\([^,]+, [^,]+, [^)]+\)'"

# Every line that uses a variable named token (string literals and comments
# left out) must have one of the known shapes: it is declared, copied,
# wiped, freed, handed to collector_new, collector_check_groups, vkcall_new, region_sync
# or config_token, or
# written into a POST body by vk_form_body. Any other use, a log call above all, fails here
# and must be reviewed (and added to the list if it is safe).
token_allow='char \*token( = NULL)?;|const char \*token[,)]|strdup\(token\)|explicit_bzero\((c->)?token, strlen\((c->)?token\)\)|free\((c->)?token\);|if \((c->)?token\)|config_token\(cli->cfg, &token,|config_token\(ld->cfg, &token,|collector_new\(cli->cfg, st, token,|vk_form_body\([][a-z0-9]+, c->token,|form_append\(&buf, &len, &cap, token, 1\)|service_region_sync\((cli->)?cfg, st, (opt->)?token,|region_sync\(cfg, map, st, token,|collector_new\(cfg, st, opt->token,|so\.token = token;|vk_form_body\(params, vc->token,|vkcall_new\(cfg, token,|vc->token = token;|collector_check_groups\(cli->cfg, token,|const char \*token; |\.token = token,|config_token\(cfg, &token,|const char \*p = token; \*p; p\+\+|vk_form_body\([][a-z0-9]+, l->token,|collect_lanes_init\(c, token\)|l->token = strndup\(s, n\)|pace_for\((l|vc)->token, |pace_token_name\((l|vc)->token, |explicit_bzero\(vc->token, strlen\(vc->token\)\)|free\(vc->token\);|if \(vc->token\)|vc->token = t;|strcspn\(token, \)|vc->token = strndup\(token, n\)\) \|\| !\(vc->rest = strdup\(token \+ n \+ !!token\[n\]\)\)|\(const unsigned char \*\)token;|fingerprint\(token\)|const char \*token, |int collect_lanes_init'
# code_lines FILE: the file without string literals and comments, numbered.
code_lines() {
    sed -E 's/"([^"\\]|\\.)*"//g; s@/\*([^*]|\*+[^*/])*\*+/@@g; s@//.*$@@' "$1" | grep -n '' |
        grep -vE '^[0-9]+: *(/?\*|//)' || true
}
token_re='([^_a-zA-Z.]|->)token([^_a-zA-Z]|$)'
token_uses() {
    local f
    for f in "$@"; do
        code_lines "$f" | grep -E "$token_re" | grep -vE -- "$token_allow" | sed "s|^|$f:|" || true
    done
}
found=$(token_uses "${files[@]}")
[ -z "$found" ] || fail "the token is used in an unreviewed way: $found"
ok
printf '%s\n' '    log_debug("sending %s", c->token);' >"$tmp/planted.c"
[ -n "$(token_uses "$tmp/planted.c")" ] || fail "the token check misses a log call"
ok
uses=$(for f in "${files[@]}"; do code_lines "$f"; done | grep -cE "$token_re")
echo "static: the token variable: $uses uses, all of known safe shapes"
# ---- includes follow the layers ------------------------------------------------------
# layer_violations DIR...: "file: includes header of LAYER" for each include against the
# layers, from the headers' folders under $VKP_SRC (or under the first DIR's parent).
layer_violations() {
    python3 - "$@" <<'PY'
import os, re, sys
levels = [['core'], ['render', 'region', 'notify'], ['collector', 'report'],
          ['crosscheck', 'alerts'], ['service'], ['cli']]
below = {l: {m for lower in levels[:i] for m in lower} for i, ls in enumerate(levels) for l in ls}
exempt = set()
roots = sys.argv[1:]
owner = {}
for root in roots:
    layer = os.path.basename(root.rstrip('/'))
    for f in os.listdir(root):
        if f.endswith('.h'):
            owner[f] = layer
for root in roots:
    layer = os.path.basename(root.rstrip('/'))
    for f in sorted(os.listdir(root)):
        if not f.endswith(('.c', '.h')) or (layer, f) in exempt:
            continue
        for h in re.findall(r'^#include "([^"]+)"', open(os.path.join(root, f)).read(), re.M):
            o = owner.get(h)
            if o and o != layer and o not in below[layer]:
                print(f"{layer}/{f}: includes {h} of {o}/")
PY
}
layers=(core render region notify collector report crosscheck alerts service cli)
found=$(layer_violations "${layers[@]}")
[ -z "$found" ] || fail "includes against the layers: $found"
ok
# A planted violation: render reaching up into the report.
mkdir -p "$tmp/planted"
for l in "${layers[@]}"; do mkdir -p "$tmp/planted/$l"; done
cp report/metrics.h "$tmp/planted/report/"
printf '#include "metrics.h"\n' >"$tmp/planted/render/fmt.c"
[ -n "$(cd "$tmp/planted" && layer_violations "${layers[@]}")" ] ||
    fail "the layer check misses render including a report header"
ok
echo "static: includes follow the layers in ${#files[@]} files"
finish
