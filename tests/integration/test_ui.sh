#!/usr/bin/env bash
# The web UI in a real browser: every tests/ui/test_*.mjs (Node, no test
# runner) against `jixiao serve` on a fresh demo database, driving Debian's
# /usr/bin/chromium through playwright-core (tests/ui/harness.mjs).
#
#   bash tests/integration/test_ui.sh path/to/jixiao [test_name ...]
#
# Screenshots go to tests/ui/artifacts/ (gitignored). Without
# /usr/bin/chromium the test fails, unless JX_UI_OPTIONAL=1 says the UI
# tests may be skipped on this machine. `npm ci` is run first when
# node_modules/playwright-core is missing.
set -u
JX=${1:?usage: test_ui.sh path/to/jixiao [test_name ...]}
shift
JX=$(cd "$(dirname "$JX")" && pwd)/$(basename "$JX")
cd "$(dirname "$0")/../.." || exit 2

if [ ! -x "${JX_CHROMIUM:-/usr/bin/chromium}" ]; then
	if [ "${JX_UI_OPTIONAL:-0}" = 1 ]; then
		echo "test_ui: SKIPPED: ${JX_CHROMIUM:-/usr/bin/chromium} is not installed (JX_UI_OPTIONAL=1)"
		exit 0
	fi
	echo "test_ui: ${JX_CHROMIUM:-/usr/bin/chromium} is not installed (apt-get install chromium, or scripts/deps.sh); set JX_UI_OPTIONAL=1 to skip the UI tests" >&2
	exit 1
fi
if ! command -v node >/dev/null 2>&1; then
	echo "test_ui: node is needed (scripts/deps.sh installs it)" >&2
	exit 1
fi
if [ ! -f node_modules/playwright-core/package.json ]; then
	echo "test_ui: npm ci" >&2
	npm ci --no-audit --no-fund --loglevel=error || exit 1
fi

export JIXIAO="$JX"
if [ $# -gt 0 ]; then
	tests=()
	for n in "$@"; do tests+=("tests/ui/${n%.mjs}.mjs"); done
else
	tests=(tests/ui/test_*.mjs)
fi
if [ ! -e "${tests[0]}" ]; then
	echo "test_ui: no tests/ui/test_*.mjs" >&2
	exit 1
fi
status=0
failed=()
for t in "${tests[@]}"; do
	echo "== $t"
	start=$(date +%s)
	if ! timeout 300 node "$t"; then
		status=1
		failed+=("$t")
	fi
	echo "   ($(($(date +%s) - start)) s)"
done
if [ "$status" -ne 0 ]; then
	echo "test_ui: FAILED: ${failed[*]}" >&2
else
	echo "test_ui: all ${#tests[@]} UI test files passed; screenshots in tests/ui/artifacts/"
fi
exit "$status"
