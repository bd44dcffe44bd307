#!/usr/bin/env bash
# test.sh: build vkpulse with warnings as errors and run every test (unit and
# integration) through ctest. Exits with ctest's status. Safe to run again:
# build-test/ is reused and rebuilt incrementally.
#
# Extra arguments go to ctest, e.g. `bash scripts/test.sh -R unit/` or
# `bash scripts/test.sh --timeout 900`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-test -DVKPULSE_WERROR=ON -DVKPULSE_TESTS=ON >/dev/null
cmake --build build-test -j"$jobs"

cd build-test
set +e
ctest --output-on-failure -j2 "$@"
status=$?
set -e
exit "$status"
