#!/usr/bin/env bash
# Install dependencies, build and run the whole test suite:
#   1. source checks (formatting, banned functions);
#   2. gcc debug build + every unit and integration test (ctest);
#   3. clang ASan+UBSan build + the same tests.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

echo "== source checks"
bash scripts/check-source.sh

echo "== gcc debug build and tests"
cmake --preset debug >/dev/null
cmake --build build/debug
ctest --preset debug -j2

echo "== clang ASan+UBSan build and tests"
cmake --preset asan >/dev/null
cmake --build build/asan
ctest --preset asan -j2
