#!/usr/bin/env bash
# HTTP load benchmark of jixiao serve on loopback with wrk (Debian wrk):
#   trivial  GET /api/version              (public, no database)
#   session  GET /api/session              (the trivial handler behind the
#            session check every API call pays: the ceiling for reads)
#   read     GET /api/evals/{id}           (a self-evaluation with its
#            indicators, live scores, grade and findings), as 财政审核
#   save     PATCH /api/evals/{id}         (one actual value and reason:
#            validate, re-score, re-audit, write, audit log), as 单位填报
# each at 64 connections, with latency percentiles. A fresh SQLite database
# with demo data is made first (PROJECTS generated projects, default 5000).
# Usage: bash bench/http_bench.sh [--db URL] [--seconds N] [--threads N]
#        (release build in build/release; --db postgresql://... to measure
#        PostgreSQL: the database must be empty)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=20
SERVER_THREADS=4
WRK_THREADS=2
CONNS=64
PROJECTS=${PROJECTS:-5000}
DB=""
while [ $# -gt 0 ]; do
	case "$1" in
	--db) DB=$2; shift 2 ;;
	--seconds) SECONDS_RUN=$2; shift 2 ;;
	--threads) SERVER_THREADS=$2; shift 2 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
command -v wrk >/dev/null || { echo "wrk missing: bash scripts/deps.sh" >&2; exit 2; }
[ -x build/release/jixiao ] || { cmake --preset release >/dev/null && cmake --build build/release; }
JX=$PWD/build/release/jixiao
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT
[ -n "$DB" ] || DB="sqlite:$TMP/bench.db"
echo "== demo data ($PROJECTS generated projects) in $DB" >&2
"$JX" db demo --db "$DB" --projects "$PROJECTS" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JX" serve --db "$DB" --listen "127.0.0.1:$PORT" --set threads="$SERVER_THREADS" \
	--set log_file="$TMP/server.log" &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
	curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
login() { # login -> "cookie csrf"
	local hdr body
	hdr=$(mktemp -p "$TMP")
	body=$(curl -fsS -D "$hdr" -H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"jixiao2026\"}" "$BASE/api/session")
	printf '%s %s\n' \
		"$(grep -i '^set-cookie:' "$hdr" | sed -E 's/^[^:]*: *([^;]*).*/\1/' | tr -d '\r')" \
		"$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')"
}
read -r FCOOKIE FCSRF < <(login caizheng)
read -r UCOOKIE UCSRF < <(login unit0101)
# self-evaluations the unit user may edit (drafts of its own unit)
IDS=$(curl -fsS -H "Cookie: $UCOOKIE" "$BASE/api/projects?per_page=200&status=draft" |
	python3 -c 'import json,sys; print(" ".join(str(p["eval"]["id"]) for p in json.load(sys.stdin)["items"] if p.get("eval")))')
NIDS=$(echo "$IDS" | wc -w)
[ "$NIDS" -ge 64 ] || { echo "only $NIDS editable self-evaluations for unit0101" >&2; exit 1; }
export JX_IDS="$IDS" JX_THREADS=$WRK_THREADS
run() { # name script cookie csrf
	echo "== $1" >&2
	wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECONDS_RUN}s" --latency -s "bench/$2" \
		-H "Cookie: $3" -H "X-CSRF-Token: $4" -H 'Content-Type: application/json' "$BASE" |
		tee "$TMP/$1.txt" >&2
	python3 - "$1" "$TMP/$1.txt" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
t = open(path).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
def ms(label):
    m = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\s*$" % label, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
total = re.search(r"(\d+) requests in", t).group(1)
print("%-8s %10.0f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  requests %s  non-2xx %s"
      % (name, rps, ms("50%"), ms("90%"), ms("99%"), total, non2xx.group(1) if non2xx else 0))
PY
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "server: $SERVER_THREADS worker threads, ${DB%%:*} database; wrk: $WRK_THREADS threads, $CONNS connections, ${SECONDS_RUN}s; $NIDS self-evaluations"
run trivial http_trivial.lua "$FCOOKIE" "$FCSRF"
run session http_session.lua "$FCOOKIE" "$FCSRF"
run read http_read.lua "$FCOOKIE" "$FCSRF"
run save http_save.lua "$UCOOKIE" "$UCSRF"
