#!/usr/bin/env bash
# deps.sh: install the Debian 12 packages vkpulse needs to build, test and run.
#
# Idempotent and quiet: when every package is already installed it prints
# nothing and touches nothing (no apt-get update, no root needed). Otherwise
# it must run as root and installs only what is missing.
#
# To add a package (chromium, valgrind, clang, faketime ...), append it to
# VKP_PACKAGES below; nothing else needs to change.
set -euo pipefail

VKP_PACKAGES="build-essential cmake pkg-config libcurl4-openssl-dev libuv1-dev libcjson-dev
libsqlite3-dev libcmocka-dev libcsv-dev libssl-dev sqlite3 curl ca-certificates python3
python3-jsonschema tzdata faketime time chromium clang libclang-rt-14-dev valgrind openssl
binutils e2fsprogs"

missing=()
for pkg in $VKP_PACKAGES; do
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
    echo "deps.sh: run as root: sudo bash scripts/deps.sh" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: done"
