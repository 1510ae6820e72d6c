#!/usr/bin/env bash
# The web API against the real server: every route in a realistic story
# (tests/api/test_routes.py), the authorization matrix (test_authz.py), bad
# input (test_badinput.py), and docs/openapi.json against the route table
# and the handlers' body schemas (test_openapi.py).
#
#   bash tests/integration/test_api.sh path/to/jixiao
#
# Each server test runs on a fresh SQLite database and, when JX_TEST_PG_URL
# is set (bash scripts/with-postgres.sh ctest ...), again on a fresh
# PostgreSQL database created and dropped by the test. Python 3 standard
# library only. JX_KEEP=1 keeps the temporary directories (database, server
# log) of every run; they are kept anyway when a test fails.
set -u
JX=${1:?usage: test_api.sh path/to/jixiao}
JX=$(cd "$(dirname "$JX")" && pwd)/$(basename "$JX")
cd "$(dirname "$0")/../.." || exit 2
command -v python3 >/dev/null 2>&1 || {
	echo "test_api: python3 is needed" >&2
	exit 2
}
export JIXIAO="$JX"
export PYTHONDONTWRITEBYTECODE=1
status=0
for t in openapi routes authz badinput multiprocess; do
	echo "== tests/api/test_$t.py"
	python3 "tests/api/test_$t.py" || status=1
done
exit "$status"
