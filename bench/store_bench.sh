#!/usr/bin/env bash
# store_bench.sh - the storage layer under load, on SQLite and PostgreSQL.
#
# Builds the release preset (jixiao and the test_store binary), generates N
# synthetic self-evaluations with bench/gen_evals.py (default 100,000, all
# moved into one department and one year, so that one department's summary
# covers every project), then on each back-end:
#   - times `jixiao db import` of the whole file into a new database:
#     self-evaluations (and indicators) per second, wall and CPU time;
#   - times jx_store_dept_summary over that department
#     (`test_store --bench-summary URL REPEAT`): the first call and the
#     minimum and median of REPEAT more;
#   - notes the database's size.
# SQLite runs on a file under bench/out/ (gitignored); PostgreSQL on a
# throw-away server started by scripts/with-postgres.sh (loopback, stopped
# afterwards). Prints Markdown for the "Storage" section of bench/RESULTS.md
# on stdout, with the machine it ran on; progress goes to stderr.
#
# Environment (all optional):
#   JX_BENCH_STORE_N       self-evaluations            (default 100000)
#   JX_BENCH_SUMMARY_REPEAT summary calls timed       (default 10)
#   JX_BENCH_SEED          generator seed              (default 1)
#   JX_BENCH_BACKENDS      "sqlite postgresql" or one of them
#   JX_BENCH_NOBUILD       1: use build/release as it is
#
# Internal: `store_bench.sh --pg DATA RESULT` is the PostgreSQL part, run
# under scripts/with-postgres.sh.
set -u -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
N=${JX_BENCH_STORE_N:-100000}
REPEAT=${JX_BENCH_SUMMARY_REPEAT:-10}
SEED=${JX_BENCH_SEED:-1}
BACKENDS=${JX_BENCH_BACKENDS:-"sqlite postgresql"}
JX=$ROOT/build/release/jixiao
TS=$ROOT/build/release/test_store
DEPT="基准测试主管部门"
YEAR=2023

log() { printf '%s\n' "$*" >&2; }
die() {
	log "store_bench: $*"
	exit 2
}

now() { date +%s.%N; }

# measure_import URL DATA RESULT NAME: import and append key=value lines.
measure_import() {
	local url=$1 data=$2 res=$3 name=$4 t0 t1 cpu
	"$JX" db migrate --db "$url" >/dev/null || die "$name: migrate failed"
	log "$name: importing $(wc -l <"$data") self-evaluations"
	t0=$(now)
	/usr/bin/time -f '%U %S %M' -o "$res.time" \
		"$JX" db import --db "$url" "$data" >"$res.import.log" 2>&1 ||
		die "$name: import failed: $(tail -3 "$res.import.log")"
	t1=$(now)
	cpu=$(awk '{printf "%.1f", $1 + $2}' "$res.time")
	{
		echo "${name}_import_s=$(echo "$t1 - $t0" | bc -l | xargs printf '%.1f')"
		echo "${name}_import_cpu_s=$cpu"
		echo "${name}_import_rss_kb=$(awk '{print $3}' "$res.time")"
		echo "${name}_import_line=$(grep '导入完成' "$res.import.log")"
	} >>"$res"
	log "$name: summary"
	"$TS" --bench-summary "$url" "$REPEAT" >"$res.summary" ||
		die "$name: --bench-summary failed"
	echo "${name}_summary=$(cat "$res.summary")" >>"$res"
	# (line 1 of `db stats` shows the URL: left out)
	echo "${name}_stats=$("$JX" db stats --db "$url" 2>/dev/null | sed -n '2,3p' | paste -sd' ')" >>"$res"
}

# --- the PostgreSQL part, under with-postgres.sh ---------------------------
if [ "${1:-}" = "--pg" ]; then
	data=$2
	res=$3
	[ -n "${JX_TEST_PG_URL:-}" ] || die "--pg: JX_TEST_PG_URL is not set"
	measure_import "$JX_TEST_PG_URL" "$data" "$res" postgresql
	echo "postgresql_size=$(psql -XAtq -c "SELECT pg_size_pretty(pg_database_size(current_database()))")" >>"$res"
	echo "postgresql_version=$(psql -XAtq -c 'SHOW server_version')" >>"$res"
	echo "postgresql_settings=$(psql -XAtq -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')")" >>"$res"
	exit 0
fi

# --- tools and build ---------------------------------------------------------
command -v bc >/dev/null || die "bc is missing (apt-get install bc)"
if [ ! -x /usr/bin/time ]; then
	log "installing GNU time (apt-get install -y time)"
	apt-get install -y time >&2 || die "/usr/bin/time is missing"
fi
cd "$ROOT" || die "cannot cd to $ROOT"
if [ "${JX_BENCH_NOBUILD:-0}" != 1 ]; then
	log "building the release preset"
	cmake --preset release >/dev/null || die "cmake --preset release failed"
	cmake --build build/release --target jixiao test_store >&2 ||
		die "cmake --build build/release failed"
fi
[ -x "$JX" ] && [ -x "$TS" ] || die "build/release/jixiao or test_store not built"
mkdir -p "$OUT" || die "cannot create $OUT"

# --- data ----------------------------------------------------------------------
data=$OUT/store-evals-$N-s$SEED.jsonl
if [ ! -s "$data" ] || [ "$ROOT/bench/gen_evals.py" -nt "$data" ]; then
	log "generating $N self-evaluations -> ${data#"$ROOT"/}"
	python3 "$ROOT/bench/gen_evals.py" "$N" --seed "$SEED" 2>/dev/null |
		python3 -c '
import json, sys
dept, year = sys.argv[1], int(sys.argv[2])
for line in sys.stdin:
    r = json.loads(line)
    r["department"] = dept
    r["year"] = year
    sys.stdout.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
' "$DEPT" "$YEAR" >"$data.tmp" && mv "$data.tmp" "$data" || die "generating the data failed"
fi
nind=$(python3 -c '
import json, sys
print(sum(len(json.loads(l)["indicators"]) for l in open(sys.argv[1], encoding="utf-8")))
' "$data")
res=$OUT/store-bench.res
: >"$res"

for b in $BACKENDS; do
	case $b in
	sqlite)
		db=$OUT/store-bench.db
		rm -f "$db" "$db-wal" "$db-shm"
		measure_import "sqlite:$db" "$data" "$res" sqlite
		echo "sqlite_size=$(du -h "$db" | cut -f1)" >>"$res"
		rm -f "$db" "$db-wal" "$db-shm"
		;;
	postgresql)
		bash "$ROOT/scripts/with-postgres.sh" bash "$ROOT/bench/store_bench.sh" --pg "$data" "$res" ||
			die "the PostgreSQL part failed"
		;;
	*) die "unknown back-end $b" ;;
	esac
done

# --- report --------------------------------------------------------------------
get() { sed -n "s/^$1=//p" "$res" | head -n 1; }
field() { # summary-line key
	tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
gccv=$(gcc -dumpfullversion 2>/dev/null)
sqlitev=$(pkg-config --modversion sqlite3 2>/dev/null)
pqv=$(pkg-config --modversion libpq 2>/dev/null)

echo "## Storage"
echo
echo "\`bench/store_bench.sh\` ($(date -u +%Y-%m-%d)): $N synthetic self-evaluations"
echo "(\`bench/gen_evals.py $N --seed $SEED\`, $nind indicators), all in one department"
echo "and one year, imported with \`jixiao db import\` into a new database, then"
echo "\`jx_store_dept_summary\` over that department ($N projects), timed by"
echo "\`test_store --bench-summary URL $REPEAT\` (first call, then minimum and median of $REPEAT)."
echo
echo "| back-end | import wall | import CPU | self-evaluations/s | indicators/s | peak RSS | summary first | summary min | summary median | database size |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for b in $BACKENDS; do
	s=$(get "${b}_import_s")
	[ -n "$s" ] || continue
	sum=$(get "${b}_summary")
	printf '| %s | %s s | %s s | %s | %s | %s MiB | %s ms | %s ms | %s ms | %s |\n' \
		"$b" "$s" "$(get "${b}_import_cpu_s")" \
		"$(echo "$N / $s" | bc -l | xargs printf '%.0f')" \
		"$(echo "$nind / $s" | bc -l | xargs printf '%.0f')" \
		"$(( $(get "${b}_import_rss_kb") / 1024 ))" \
		"$(field "$sum" first_ms)" "$(field "$sum" min_ms)" "$(field "$sum" median_ms)" \
		"$(get "${b}_size")"
done
echo
for b in $BACKENDS; do
	line=$(get "${b}_import_line")
	[ -n "$line" ] && echo "- $b: \`$line\`; $(get "${b}_stats")"
done
echo
echo "Machine: $(nproc) cores ($cpu), $mem RAM, $os; gcc $gccv -O2;"
echo "SQLite $sqlitev (WAL, synchronous=FULL: one fsync'd transaction per batch of 50"
echo "self-evaluations); libpq $pqv, PostgreSQL $(get postgresql_version) on loopback started by"
echo "\`scripts/with-postgres.sh\` with $(get postgresql_settings)."
