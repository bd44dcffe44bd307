#!/usr/bin/env bash
# t097_install.sh: `cmake --install` puts everything an installation needs under the
# prefix: the binary, the man pages vkpulse(1) and vkpulse.ini(5) (which man or groff
# can format), the example config, the region maps, and the systemd units naming the
# installed binary. The installed example config, pointed at the installed map, loads.
source "$(dirname "$0")/lib.sh"

P=$tmp/prefix
expect "cmake --install" 0 cmake --install "$VKP_BUILD" --prefix "$P"
for f in bin/vkpulse share/man/man1/vkpulse.1 share/man/man5/vkpulse.ini.5 \
    share/doc/vkpulse/vkpulse.ini.example share/doc/vkpulse/alerts.md \
    share/doc/vkpulse/domain.md share/vkpulse/regions/chelyabinsk.ini \
    lib/systemd/system/vkpulse.service lib/systemd/system/vkpulse-once.service \
    lib/systemd/system/vkpulse-once.timer; do
    check "installed: $f" test -s "$P/$f"
done
check "the binary is executable" test -x "$P/bin/vkpulse"
expect "the installed binary runs" 0 "$P/bin/vkpulse" --version
out_has "and says its version" '^vkpulse [0-9]'
check "the units start the installed binary" grep -q "^ExecStart=$P/bin/vkpulse collect --watch" \
    "$P/lib/systemd/system/vkpulse.service"
check "no unit names another binary" sh -c "! grep -h '^Exec' '$P'/lib/systemd/system/* | grep -v '$P/bin/vkpulse'"

# The pages format without a warning, and say what they are.
fmt=""
if command -v man >/dev/null; then
    fmt=man
elif command -v groff >/dev/null; then
    fmt=groff
fi
if [ -z "$fmt" ]; then
    echo "skip: neither man nor groff is installed: the pages' formatting is not checked"
else
    # Formatting has nothing to do with the clock: a moved clock (libfaketime
    # preloaded by a whole-suite run) stays out of man's pipeline, whose
    # helpers cannot open its semaphores.
    unset LD_PRELOAD FAKETIME FAKETIME_SHARED
    for page in man1/vkpulse.1 man5/vkpulse.ini.5; do
        if [ $fmt = man ]; then
            MANWIDTH=200 man --warnings -l "$P/share/man/$page" >"$tmp/page.txt" 2>"$tmp/page.err" || fail "man -l $page"
        else
            groff -man -Tutf8 -ww -rLL=200n "$P/share/man/$page" >"$tmp/page.txt" 2>"$tmp/page.err" || fail "groff $page"
        fi
        check "$page formats without warnings: $(head -3 "$tmp/page.err")" test ! -s "$tmp/page.err"
        check "$page has a NAME section" grep -q '^NAME' "$tmp/page.txt"
        cp "$tmp/page.txt" "$tmp/$(basename "$page").txt"
    done
    check "vkpulse(1) documents alerts --test" grep -q 'alerts --test' "$tmp/vkpulse.1.txt"
    check "vkpulse.ini(5) documents report_group" grep -q 'report_group' "$tmp/vkpulse.ini.5.txt"
fi

# The installed example config, with its database here and the installed map, is valid.
sed -e "s|^path = .*|path = $tmp/vk.db|" \
    -e "s|^municipalities = .*|municipalities = $P/share/vkpulse/regions/chelyabinsk.ini|" \
    -e "s|^report_dir = .*|report_dir = $tmp/reports|" \
    "$P/share/doc/vkpulse/vkpulse.ini.example" >"$tmp/c.ini"
expect "the installed example config and map load" 0 "$P/bin/vkpulse" --config "$tmp/c.ini" init

# README and vkpulse.ini(5) put the maps in the same place: copied next to the config.
maps=$(sed -nE 's|^ *sudo cp -r /usr/local/share/vkpulse/regions (/etc/vkpulse)/ .*|\1/regions/|p' "$VKP_SRC/README.md")
check "README copies the maps to /etc/vkpulse/regions/ ($maps)" test "$maps" = /etc/vkpulse/regions/
check "vkpulse.ini(5)'s example reads them there" \
    grep -q "^municipalities = $maps" "$VKP_SRC/docs/vkpulse.ini.5"
check "vkpulse.ini(5) says where to copy them" grep -q "^\.IR $maps" "$VKP_SRC/docs/vkpulse.ini.5"
finish
