#!/usr/bin/env bash
# Crash safety of the SQLite store: the writer killed with SIGKILL in the
# middle of a large import leaves a database that opens, passes
# PRAGMA integrity_check and holds each self-evaluation's transaction whole
# or not at all; importing the same file again finishes the rest.
#
#   bash tests/integration/test_store_crash.sh path/to/jixiao
#
# JX_CRASH_N self-evaluations (default 20000) are generated with
# bench/gen_evals.py, `jixiao db import` runs in the background, and once it
# has committed some of them it is killed with SIGKILL (by its PID). Then:
#   - integrity_check is ok and 0 < imported < total (it really was cut);
#   - every stored evaluation is complete: as many indicator lines and goals
#     as its source record, computed figures present on the header and every
#     line, as many error findings stored as its header counts, its project,
#     goal version and audit entries (import, project, goal version) present;
#   - nothing of an uncommitted transaction is there: no project without its
#     evaluation, no child row or audit entry of a missing evaluation;
#   - the same import again creates exactly total - imported and leaves the
#     imported ones unchanged, after which everything is complete.
set -u
JX=${1:?usage: test_store_crash.sh path/to/jixiao}
JX=$(cd "$(dirname "$JX")" && pwd)/$(basename "$JX")
cd "$(dirname "$0")/../.." || exit 2
N=${JX_CRASH_N:-20000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jx-crash.XXXXXX")
pid=""
pass=0
fail=0

cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
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
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

db=$tmp/crash.db
src=$tmp/big.jsonl
if ! python3 bench/gen_evals.py "$N" --seed 11 >"$src" 2>"$tmp/gen.log"; then
	bad "cannot generate $N self-evaluations: $(cat "$tmp/gen.log")"
	finish
fi
"$JX" db migrate --db "sqlite:$db" >/dev/null || bad "migrate"

count() {
	sqlite3 -batch -cmd '.timeout 10000' "$db" 'SELECT COUNT(*) FROM jx_self_eval' 2>/dev/null
}

# Start the import; kill it once it has committed some, about a second in.
"$JX" db import --db "sqlite:$db" "$src" >"$tmp/import1.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
	c=$(count)
	[ "${c:-0}" -gt 0 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
sleep 1
if kill -0 "$pid" 2>/dev/null; then
	kill -KILL "$pid"
	# (the shell's "Killed" notice is not interesting)
	{ wait "$pid"; } 2>/dev/null
	st=$?
	expect "the import was killed by SIGKILL (status)" 137 "$st"
else
	wait "$pid"
	bad "the import finished before it could be killed: raise JX_CRASH_N"
fi
pid=""

st=$(sqlite3 "$db" 'PRAGMA integrity_check')
expect "integrity_check after SIGKILL" ok "$st"
before=$(count)
echo "killed after $before of $N self-evaluations"
if [ "${before:-0}" -gt 0 ] && [ "$before" -lt "$N" ]; then ok; else
	bad "not cut in the middle: $before of $N imported"
fi

# check_complete: every stored evaluation whole, nothing of a partial one.
check_complete() { # label
	python3 - "$db" "$src" "$1" <<'PY'
import json, sqlite3, sys

db, src, label = sys.argv[1], sys.argv[2], sys.argv[3]
want = {}
with open(src, encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        want[r["id"]] = (len(r.get("indicators") or []), len(r.get("goals") or []))
con = sqlite3.connect(db)
q = lambda sql: con.execute(sql).fetchall()
bad = []

rows = q("""SELECT e.id, e.doc_id, e.c_total_m, e.c_errors, p.code,
  (SELECT COUNT(*) FROM jx_self_eval_line l WHERE l.eval_id = e.id),
  (SELECT COUNT(*) FROM jx_self_eval_line l WHERE l.eval_id = e.id AND l.c_outcome IS NULL),
  (SELECT COUNT(*) FROM jx_self_eval_goal g WHERE g.eval_id = e.id),
  (SELECT COUNT(*) FROM jx_finding f WHERE f.eval_id = e.id AND f.severity = 'error'),
  (SELECT COUNT(*) FROM jx_audit_log a WHERE a.table_name = 'jx_self_eval' AND a.record_id = e.id AND a.action = 'import'),
  (SELECT COUNT(*) FROM jx_audit_log a WHERE a.table_name = 'jx_project' AND a.record_id = p.id),
  (SELECT COUNT(*) FROM jx_goal_version v WHERE v.project_id = p.id),
  (SELECT COUNT(*) FROM jx_self_eval_fund s WHERE s.eval_id = e.id)
  FROM jx_self_eval e LEFT JOIN jx_project p ON p.id = e.project_id""")
for (eid, doc, total, cerr, code, nl, nnull, ng, nf, na, npa, ngv, nfund) in rows:
    if doc not in want:
        bad.append("eval %d: document id %r not in the source" % (eid, doc)); continue
    wl, wg = want[doc]
    checks = [
        (code == doc, "project code %r" % code),
        (nl == wl, "%d indicator lines, source has %d" % (nl, wl)),
        (ng == wg, "%d goals, source has %d" % (ng, wg)),
        (total is not None, "no computed total"),
        (nnull == 0, "%d lines without a computed outcome" % nnull),
        (nf == cerr, "%d error findings stored, header counts %d" % (nf, cerr)),
        (na == 1, "%d import audit entries" % na),
        (npa == 1, "%d project audit entries" % npa),
        (ngv == 1, "%d goal versions" % ngv),
        (nfund > 0, "no funds rows"),
    ]
    for good, why in checks:
        if not good:
            bad.append("eval %d (%s): %s" % (eid, doc, why))

# Nothing left of a transaction that did not commit.
orphans = {
    "projects without an evaluation":
        "SELECT COUNT(*) FROM jx_project p WHERE NOT EXISTS (SELECT 1 FROM jx_self_eval e WHERE e.project_id = p.id)",
    "indicator lines of a missing evaluation":
        "SELECT COUNT(*) FROM jx_self_eval_line l WHERE NOT EXISTS (SELECT 1 FROM jx_self_eval e WHERE e.id = l.eval_id)",
    "goals of a missing evaluation":
        "SELECT COUNT(*) FROM jx_self_eval_goal l WHERE NOT EXISTS (SELECT 1 FROM jx_self_eval e WHERE e.id = l.eval_id)",
    "funds rows of a missing evaluation":
        "SELECT COUNT(*) FROM jx_self_eval_fund l WHERE NOT EXISTS (SELECT 1 FROM jx_self_eval e WHERE e.id = l.eval_id)",
    "findings of a missing evaluation":
        "SELECT COUNT(*) FROM jx_finding l WHERE NOT EXISTS (SELECT 1 FROM jx_self_eval e WHERE e.id = l.eval_id)",
    "audit entries of a missing evaluation":
        "SELECT COUNT(*) FROM jx_audit_log a WHERE a.table_name = 'jx_self_eval' AND NOT EXISTS (SELECT 1 FROM jx_self_eval e WHERE e.id = a.record_id)",
    "audit entries of a missing project":
        "SELECT COUNT(*) FROM jx_audit_log a WHERE a.table_name = 'jx_project' AND NOT EXISTS (SELECT 1 FROM jx_project p WHERE p.id = a.record_id)",
    "goal versions of a missing project":
        "SELECT COUNT(*) FROM jx_goal_version v WHERE NOT EXISTS (SELECT 1 FROM jx_project p WHERE p.id = v.project_id)",
    "indicators of a missing goal version":
        "SELECT COUNT(*) FROM jx_indicator i WHERE NOT EXISTS (SELECT 1 FROM jx_goal_version v WHERE v.id = i.version_id)",
    "fund rows of a missing project":
        "SELECT COUNT(*) FROM jx_fund f WHERE NOT EXISTS (SELECT 1 FROM jx_project p WHERE p.id = f.project_id)",
}
for what, sql in orphans.items():
    n = q(sql)[0][0]
    if n:
        bad.append("%d %s" % (n, what))
fk = q("PRAGMA foreign_key_check")
if fk:
    bad.append("foreign_key_check: %r" % fk[:5])
for b in bad[:20]:
    print("FAIL %s: %s" % (label, b))
print("%s: %d evaluations checked, %d problems" % (label, len(rows), len(bad)))
sys.exit(1 if bad else 0)
PY
}

if check_complete "after SIGKILL"; then ok; else bad "incomplete data after SIGKILL"; fi

# Import the same file again: only the rest is new.
if "$JX" db import --db "sqlite:$db" "$src" >"$tmp/import2.log" 2>&1; then ok; else
	bad "the second import failed: $(tail -3 "$tmp/import2.log")"
fi
line=$(grep '导入完成' "$tmp/import2.log")
expect "the second import" "导入完成：新建 $((N - before)) 份，更新 0 份，未变 $before 份，失败 0 份" "$line"
expect "self-evaluations after the second import" "$N" "$(count)"
st=$(sqlite3 "$db" 'PRAGMA integrity_check')
expect "integrity_check after the second import" ok "$st"
if check_complete "after the second import"; then ok; else bad "incomplete data after the second import"; fi
finish
