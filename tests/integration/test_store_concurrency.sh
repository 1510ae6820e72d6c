#!/usr/bin/env bash
# Several processes writing the same and different self-evaluations at once,
# on SQLite and on PostgreSQL: no lost update, no corruption, every
# acknowledged write present afterwards.
#
#   bash tests/integration/test_store_concurrency.sh path/to/jixiao
#
# Two evaluations (seed-001 and seed-004) are imported; then 2×W writer
# processes start together (the `--stress` mode of the test_store binary
# beside jixiao), W on each evaluation, each making N acknowledged edits of
# its own indicator with jx_store_eval_set_actual: read the version, pause,
# write, retry when the version went stale. Afterwards, for each evaluation:
#   - final version = initial version + acknowledged writes (no lost update),
#     and the versions the writers were given are exactly initial+1 .. final,
#     each once (no two writers won the same version);
#   - the audit log grew by exactly the acknowledged writes, and each
#     acknowledged value appears in a logged "after" document;
#   - each writer's indicator holds the last value it wrote;
#   - stale-version conflicts happened (otherwise nothing was tested);
#   - SQLite: PRAGMA integrity_check prints ok; the export still reads.
# Before that, four processes migrate one empty database at once (servers
# starting together): all must succeed.
#
# PostgreSQL: the database named by JX_TEST_PG_URL (in a schema of its own,
# dropped afterwards), or, without it, a throw-away server started by
# scripts/with-postgres.sh around a second run of this script. Without a
# PostgreSQL installation that part is skipped unless JX_TEST_PG_REQUIRED=1.
# JX_STRESS_WRITERS (W, default 3) and JX_STRESS_N (N, default 30) size it.
set -u
JX=${1:?usage: test_store_concurrency.sh path/to/jixiao}
MODE=${2:-all} # all | pg-only (the nested run under with-postgres.sh)
JX=$(cd "$(dirname "$JX")" && pwd)/$(basename "$JX")
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$SELF")/../.." || exit 2
TS=$(dirname "$JX")/test_store
W=${JX_STRESS_WRITERS:-3}
N=${JX_STRESS_N:-30}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jx-conc.XXXXXX")
schema=""
pass=0
fail=0

cleanup() {
	if [ -n "$schema" ]; then
		psql "$JX_TEST_PG_URL" -XAtq -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS ${schema// /, } CASCADE" \
			>/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() {
	echo "FAIL $*"
	fail=$((fail + 1))
}
expect() { # name want got
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$3', want '$2'"; fi
}

if [ ! -x "$TS" ]; then
	echo "FAIL: $TS not built (the test_store unit test binary)"
	echo "0 passed, 1 failed"
	exit 1
fi

# sql URL QUERY: rows, one per line, columns separated by '|'.
sql() {
	case $1 in
	sqlite:*) sqlite3 -batch -noheader "${1#sqlite:}" "$2" ;;
	*) psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2" ;;
	esac
}

# migrate_race NAME URL: several processes migrate one empty database at
# once (servers starting together): all succeed, the schema is complete.
migrate_race() {
	local name=$1 url=$2 out=$tmp/$1-race i failed=0 n
	local -a pids=()
	mkdir -p "$out"
	for ((i = 0; i < 4; i++)); do
		"$JX" db migrate --db "$url" >"$out/m$i.log" 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || failed=$((failed + 1))
	done
	if [ "$failed" -eq 0 ]; then ok; else
		bad "$name: $failed of 4 concurrent migrations failed: $(grep -h jixiao "$out"/m*.log | sort -u | head -2)"
	fi
	n=$(sql "$url" "SELECT COUNT(*) FROM jx_schema_migration" 2>/dev/null)
	expect "$name: migrations recorded after concurrent migrate" \
		"$("$JX" db migrate --db "$url" 2>/dev/null | grep -o '[0-9]\+' | tail -n 1)" "$n"
}

# run_backend NAME URL
run_backend() {
	local name=$1 url=$2 out=$tmp/$1 e doc id v0 a0 nind w i st
	local -a pids=() evals=() docs=(seed-001 seed-004)
	mkdir -p "$out"
	if ! "$JX" db migrate --db "$url" >"$out/migrate.log" 2>&1 ||
		! "$JX" db import --db "$url" tests/data/seeds/001.json \
			tests/data/seeds/004.json >"$out/import.log" 2>&1; then
		bad "$name: migrate/import"
		cat "$out"/*.log
		return
	fi
	for e in 0 1; do
		doc=${docs[$e]}
		if ! read -r id v0 a0 nind < <("$TS" --info "$url" "$doc"); then
			bad "$name: no evaluation $doc"
			return
		fi
		if [ "$nind" -lt "$W" ]; then
			bad "$name: $doc has $nind indicators, fewer than $W writers"
			return
		fi
		evals[$e]="$id $v0 $a0"
	done

	# All writers at once: W on each evaluation, writer w on indicator w.
	for e in 0 1; do
		read -r id v0 a0 <<<"${evals[$e]}"
		for ((w = 0; w < W; w++)); do
			"$TS" --stress "$url" "$id" "$w" "$N" "$w" \
				>"$out/e$e.w$w.out" 2>"$out/e$e.w$w.err" &
			pids+=($!)
		done
	done
	for i in "${pids[@]}"; do
		if ! wait "$i"; then
			bad "$name: writer process $i failed"
			cat "$out"/*.err
		fi
	done

	for e in 0 1; do
		doc=${docs[$e]}
		read -r id v0 a0 <<<"${evals[$e]}"
		cat "$out"/e$e.w*.out | awk '$1 == "ack" {print $2, $3}' >"$out/e$e.acks"
		local acks conflicts busy v1 a1 want_versions got_versions
		acks=$(wc -l <"$out/e$e.acks")
		conflicts=$(cat "$out"/e$e.w*.out | sed -n 's/.* conflicts=\([0-9]*\).*/\1/p' |
			awk '{s += $1} END {print s + 0}')
		busy=$(cat "$out"/e$e.w*.out | sed -n 's/.* busy=\([0-9]*\).*/\1/p' |
			awk '{s += $1} END {print s + 0}')
		echo "$name $doc: $acks acknowledged writes, $conflicts stale-version conflicts, $busy busy retries"
		expect "$name $doc: acknowledged writes" $((W * N)) "$acks"
		read -r _ v1 a1 _ < <("$TS" --info "$url" "$doc")
		expect "$name $doc: final version (no lost update)" $((v0 + acks)) "$v1"
		want_versions=$(seq $((v0 + 1)) $((v0 + acks)) | tr '\n' ' ')
		got_versions=$(awk '{print $1}' "$out/e$e.acks" | sort -n | tr '\n' ' ')
		expect "$name $doc: versions granted, each once" "$want_versions" "$got_versions"
		expect "$name $doc: audit entries" $((a0 + acks)) "$a1"
		if [ "$conflicts" -gt 0 ]; then ok; else
			bad "$name $doc: no conflicts: the writers did not contend"
		fi
		# Every acknowledged value is in a logged "after" document.
		sql "$url" "SELECT after_json FROM jx_audit_log WHERE table_name = 'jx_self_eval' AND record_id = $id AND action = 'update'" \
			>"$out/e$e.after"
		local missing=0 token
		while read -r _ token; do
			grep -qF "\"actual\":\"$token\"" "$out/e$e.after" || missing=$((missing + 1))
		done <"$out/e$e.acks"
		expect "$name $doc: acknowledged values missing from the log" 0 "$missing"
		# Each writer's indicator holds its last value.
		for ((w = 0; w < W; w++)); do
			local last now
			last=$(awk '$1 == "ack" {t = $3} END {print t}' "$out/e$e.w$w.out")
			now=$(sql "$url" "SELECT actual FROM jx_self_eval_line WHERE eval_id = $id AND position = $w")
			expect "$name $doc: indicator $w holds writer $w's last value" "$last" "$now"
		done
	done

	if [ "$name" = sqlite ]; then
		st=$(sqlite3 "${url#sqlite:}" 'PRAGMA integrity_check')
		expect "sqlite: integrity_check" ok "$st"
	fi
	if "$JX" db export --db "$url" --out "$out/export.jsonl" 2>"$out/export.err"; then
		expect "$name: exported records" 2 "$(wc -l <"$out/export.jsonl")"
	else
		bad "$name: export failed: $(cat "$out/export.err")"
	fi
}

if [ "$MODE" != pg-only ]; then
	migrate_race sqlite "sqlite:$tmp/race.db"
	run_backend sqlite "sqlite:$tmp/conc.db"
fi

if [ -n "${JX_TEST_PG_URL:-}" ]; then
	schema="jxconc_$$ jxrace_$$"
	if psql "$JX_TEST_PG_URL" -XAtq -v ON_ERROR_STOP=1 \
		-c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS jxconc_$$, jxrace_$$ CASCADE; CREATE SCHEMA jxconc_$$; CREATE SCHEMA jxrace_$$" >/dev/null; then
		case $JX_TEST_PG_URL in
		*\?*) sep="&" ;;
		*) sep="?" ;;
		esac
		migrate_race postgresql "$JX_TEST_PG_URL${sep}options=-csearch_path%3Djxrace_$$"
		run_backend postgresql "$JX_TEST_PG_URL${sep}options=-csearch_path%3Djxconc_$$"
	else
		bad "postgresql: cannot create schemas jxconc_$$ and jxrace_$$"
	fi
elif [ "$MODE" != pg-only ]; then
	bash scripts/with-postgres.sh bash "$SELF" "$JX" pg-only
	st=$?
	if [ "$st" -eq 0 ]; then
		ok
	elif [ "$st" -eq 2 ] && [ "${JX_TEST_PG_REQUIRED:-0}" != 1 ]; then
		echo "note: PostgreSQL could not be started: its part was skipped"
	else
		bad "postgresql (under scripts/with-postgres.sh): status $st"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
