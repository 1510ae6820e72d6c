#!/usr/bin/env bash
# The audit on the real seed reports: every finding listed in
# tests/data/seeds/NNN.expect (severity, code, location), and nothing else;
# the exit status says whether errors were found.
set -u
JX=${1:?usage: test_seeds.sh path/to/jixiao}
cd "$(dirname "$0")/../.."
fail=0
for json in tests/data/seeds/[0-9][0-9][0-9].json; do
	n=$(basename "$json" .json)
	expect=tests/data/seeds/$n.expect
	out=$("$JX" check --format json "$json")
	status=$?
	got=$(printf '%s\n' "$out" | python3 tests/integration/findings.py)
	if ! diff -u "$expect" <(printf '%s\n' "$got") >/tmp/jx-seed-$n.diff 2>&1; then
		echo "FAIL seed $n: findings differ from $expect:"
		cat /tmp/jx-seed-$n.diff
		fail=1
	else
		echo "ok   seed $n: $(grep -c . "$expect") findings as expected"
	fi
	want=0
	grep -q '^error ' "$expect" && want=1
	if [ "$status" -ne "$want" ]; then
		echo "FAIL seed $n: exit status $status, expected $want"
		fail=1
	fi
	rm -f /tmp/jx-seed-$n.diff
done
exit $fail
