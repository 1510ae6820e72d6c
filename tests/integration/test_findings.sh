#!/usr/bin/env bash
# The audit on declarative fixtures: the real seed reports
# (tests/data/seeds/NNN.json) and one case per finding code
# (tests/data/audit/NNN-name.json). Each must report exactly the findings
# listed in its .expect file (severity, code, location) and nothing else;
# the exit status says whether errors were found.
set -u
JX=${1:?usage: test_seeds.sh path/to/jixiao}
cd "$(dirname "$0")/../.."
fail=0
for json in tests/data/seeds/[0-9][0-9][0-9].json tests/data/audit/*.json; do
	n=$(basename "$json" .json)
	expect=${json%.json}.expect
	out=$("$JX" check --format json "$json")
	status=$?
	got=$(printf '%s\n' "$out" | python3 tests/integration/findings.py)
	if ! diff -u "$expect" <([ -z "$got" ] || printf '%s\n' "$got") >/tmp/jx-seed-$n.diff 2>&1; then
		echo "FAIL $json: findings differ from $expect:"
		cat /tmp/jx-seed-$n.diff
		fail=1
	else
		echo "ok   $json: $(grep -c . "$expect") findings as expected"
	fi
	want=0
	grep -q '^error ' "$expect" && want=1
	if [ "$status" -ne "$want" ]; then
		echo "FAIL $json: exit status $status, expected $want"
		fail=1
	fi
	rm -f /tmp/jx-seed-$n.diff
done
# The figures that are right are confirmed: seed 000's total of 94.9 is
# the sum of its lines, its 98.06% completion and 100% execution check out.
conf=$("$JX" check --verbose --format json tests/data/seeds/000.json)
for want in '"code":"TOTAL_MISMATCH","severity":"ok","where":"总分","stated":"94.9","computed":"94.9"' \
	'"code":"COMPLETION_MISMATCH","severity":"ok","where":"产出指标/成本指标/财政信息化建设经费","stated":"98.06%"' \
	'"code":"EXEC_RATE_MISMATCH","severity":"ok","where":"预算执行率","stated":"100%","computed":"100.00%"'; do
	if ! printf '%s' "$conf" | grep -qF -- "$want"; then
		echo "FAIL seed 000: no confirmation $want"
		fail=1
	fi
done
exit $fail
