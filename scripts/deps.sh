#!/usr/bin/env bash
# deps.sh: install the Debian 12 packages vkpulse needs.
#
#   bash scripts/deps.sh           what building and running vkpulse takes (a
#                                  production install: compiler, CMake, the
#                                  libraries, CA certificates, time zones)
#   bash scripts/deps.sh --demo    that, and what scripts/demo.sh adds: cmocka
#                                  (the fake VK server is built with the tests),
#                                  faketime and curl
#   bash scripts/deps.sh --dev     everything the tests take (also --test):
#                                  sqlite3, python3-jsonschema, chromium, clang
#                                  with libFuzzer, valgrind, openssl, GNU time ...
#
# Idempotent and quiet: when every package is already installed it prints
# nothing and touches nothing (no apt-get update, no root needed). Otherwise
# it must run as root and installs only what is missing.
#
# To add a package, append it to the group that needs it below.
set -euo pipefail

# Building and running.
RUN_PACKAGES="build-essential cmake pkg-config libcurl4-openssl-dev libuv1-dev libcjson-dev
libsqlite3-dev libcsv-dev libssl-dev libxlsxwriter-dev ca-certificates tzdata"
# scripts/demo.sh: the fake VK server (built with the tests, which need cmocka),
# collections at past dates, and the fake server's clock set with curl.
DEMO_PACKAGES="libcmocka-dev faketime curl"
# scripts/test.sh and bench/: the suite's tools, the sanitizer and fuzzing
# compilers, valgrind, the HTML report's headless check.
DEV_PACKAGES="sqlite3 python3 python3-jsonschema time chromium clang libclang-rt-14-dev
valgrind openssl binutils e2fsprogs groff-base"

packages=$RUN_PACKAGES
case "${1:-}" in
"") ;;
--demo) packages="$packages $DEMO_PACKAGES" ;;
--dev | --test) packages="$packages $DEMO_PACKAGES $DEV_PACKAGES" ;;
*)
    echo "usage: bash scripts/deps.sh [--demo | --dev]" >&2
    exit 2
    ;;
esac

missing=()
for pkg in $packages; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing packages: ${missing[*]}" >&2
    echo "deps.sh: run as root: sudo bash scripts/deps.sh ${1:-}" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: done"
