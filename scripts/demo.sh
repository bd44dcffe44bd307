#!/usr/bin/env bash
# demo.sh: install what is needed, build vkpulse, and run the bundled demo
# against the local fake VK server (config/demo.ini: 127.0.0.1 only, no real
# VK, no token). The demo database is out/demo.db. Safe to run again: the
# database is reused and `init` reports it up to date.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# Only what the demo runs, so a half-written unit test elsewhere cannot stop it.
cmake --build build -j"$jobs" --target vkpulse

VKPULSE=build/vkpulse
CONFIG=config/demo.ini
mkdir -p out
# The fake server accepts any token; the real one never sees this value.
export VKPULSE_DEMO_TOKEN=demo-token-for-the-local-fake-server

step() {
    printf '\n== %s\n' "$*"
}

step "vkpulse --config $CONFIG init"
"$VKPULSE" --config "$CONFIG" init

# ---------------------------------------------------------------------------
# >>> COMING: the fake VK server, a collection run and the report.
# The collector (collector/) and the fake server (tests/fakevk/) are being
# written; once they build, this block becomes:
#
#   cmake --build build -j"$jobs" --target <fake server target>
#   <fake server binary> --listen 127.0.0.1:18080 ... &
#   fake_pid=$!
#   trap 'kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null || true' EXIT
#   (wait until it answers on 127.0.0.1:18080)
#   step "vkpulse collect --once"
#   "$VKPULSE" --config "$CONFIG" collect --once
#   step "vkpulse report"
#   "$VKPULSE" --config "$CONFIG" report
#   (then survey import + crosscheck, and alerts, as they land)
# <<< COMING
# ---------------------------------------------------------------------------

step "vkpulse --config $CONFIG status"
"$VKPULSE" --config "$CONFIG" status

printf '\ndemo database: %s\n' "out/demo.db"
