#!/usr/bin/env bash
# Install dependencies, build and run the whole test suite:
#   1. source checks (formatting, banned functions);
#   2. gcc debug build + every unit and integration test (ctest), with a
#      throw-away PostgreSQL 15 on loopback for the store's tests;
#   3. clang ASan+UBSan build + the same tests.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

echo "== source checks"
bash scripts/check-source.sh

# The PostgreSQL tests are required here: a missing server is a failure,
# not a skip.
export JX_TEST_PG_REQUIRED=1

echo "== gcc debug build and tests"
cmake --preset debug >/dev/null
cmake --build build/debug
bash scripts/with-postgres.sh ctest --preset debug -j2

echo "== clang ASan+UBSan build and tests"
cmake --preset asan >/dev/null
cmake --build build/asan
bash scripts/with-postgres.sh ctest --preset asan -j2
