#!/usr/bin/env bash
# check_bench.sh - throughput of `jixiao check` over JSON Lines.
#
# Builds the release preset, generates synthetic self-evaluations with
# bench/gen_evals.py (10,000 / 50,000 / 100,000 by default, into bench/out/,
# which is gitignored), and times
#     build/release/jixiao check --format json FILE > /dev/null
# pinned to one core (taskset) under /usr/bin/time -v: wall and CPU seconds,
# indicators per second and peak RSS for each N. Then times the Python
# reference (bench/reference_check.py, Debian's python3) the same way and
# reports the speed ratio. Prints Markdown ready for bench/RESULTS.md, with
# the machine it ran on. Progress goes to stderr.
#
# Environment (all optional):
#   JX_BENCH_SIZES     evaluations per dataset       (default "10000 50000 100000")
#   JX_BENCH_PY_SIZES  datasets the reference runs on (default "10000")
#   JX_BENCH_VERBOSE_SIZES  datasets both also run on with --verbose
#                      (default "10000"; "" to skip)
#   JX_BENCH_REPEAT    runs per measurement, best times kept (default 3)
#   JX_BENCH_SEED      generator seed                (default 1)
#   JX_BENCH_CPU       core to pin to                (default 0)
#   JX_BENCH_NOBUILD   set to 1 to skip the build
#   JX_BENCH_JIXIAO    binary to time (default build/release/jixiao)
#
# `jixiao check` exits 1 when it finds errors: the data has deliberate
# mistakes, so 1 is the expected status; only 2 and above fail the run.
set -u -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
SIZES=${JX_BENCH_SIZES:-"10000 50000 100000"}
PY_SIZES=${JX_BENCH_PY_SIZES:-"10000"}
VERBOSE_SIZES=${JX_BENCH_VERBOSE_SIZES-"10000"}
REPEAT=${JX_BENCH_REPEAT:-3}
SEED=${JX_BENCH_SEED:-1}
CPU=${JX_BENCH_CPU:-0}
JIXIAO=${JX_BENCH_JIXIAO:-$ROOT/build/release/jixiao}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

log() { printf '%s\n' "$*" >&2; }
die() { log "check_bench: $*"; exit 2; }

# --- tools ---------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
	log "installing GNU time (apt-get install -y time)"
	apt-get install -y time >&2 || die "/usr/bin/time is missing"
fi
command -v taskset >/dev/null || die "taskset (util-linux) is missing"
[ -n "$PY" ] || die "python3 is missing"

# --- build ---------------------------------------------------------------
cd "$ROOT" || die "cannot cd to $ROOT"
if [ "${JX_BENCH_NOBUILD:-0}" != 1 ]; then
	log "building the release preset"
	cmake --preset release >/dev/null || die "cmake --preset release failed"
	cmake --build build/release --target jixiao >&2 ||
		die "cmake --build build/release --target jixiao failed"
fi
[ -x "$JIXIAO" ] || die "$JIXIAO not built"
mkdir -p "$OUT" || die "cannot create $OUT"

# --- helpers -------------------------------------------------------------

# gen N: bench/out/evals-N.jsonl and its .stats.json, regenerated when the
# seed or the generator changed.
gen() {
	local n=$1 f=$OUT/evals-$1.jsonl s=$OUT/evals-$1.stats.json
	if [ -s "$f" ] && [ -s "$s" ] && [ "$f" -nt "$ROOT/bench/gen_evals.py" ] &&
		grep -q "\"seed\": $SEED}" "$s"; then
		return 0
	fi
	log "generating $n self-evaluations -> ${f#"$ROOT"/}"
	"$PY" "$ROOT/bench/gen_evals.py" "$n" --seed "$SEED" --stats "$s" >"$f" ||
		die "gen_evals.py $n failed"
}

indicators_of() {
	sed -n 's/.*"indicators": \([0-9]*\).*/\1/p' "$OUT/evals-$1.stats.json"
}

# measure LABEL CMD...: runs CMD (stdout to /dev/null) REPEAT times pinned to
# $CPU; sets WALL (shortest wall time), CPUS (shortest user+sys time) and
# RSS_KB (largest peak RSS).
measure() {
	local label=$1 i tf rc w u s m c best="" bestc=""
	shift
	tf=$(mktemp) || die "mktemp failed"
	RSS_KB=0
	for ((i = 1; i <= REPEAT; i++)); do
		/usr/bin/time -v -o "$tf" taskset -c "$CPU" "$@" >/dev/null 2>"$tf.err"
		rc=$?
		if [ "$rc" -ge 2 ]; then
			cat "$tf.err" "$tf" >&2
			rm -f "$tf" "$tf.err"
			die "$label exited with status $rc"
		fi
		w=$(awk -F': ' '/Elapsed \(wall clock\)/ {
			n = split($2, p, ":"); t = 0
			for (k = 1; k <= n; k++) t = t * 60 + p[k]
			print t }' "$tf")
		u=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$tf")
		s=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$tf")
		m=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
		log "  $label run $i: wall ${w}s, cpu $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')s, rss ${m} KB, exit $rc"
		c=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
		if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN{exit !(a < b)}'; then
			best=$w
		fi
		if [ -z "$bestc" ] || awk -v a="$c" -v b="$bestc" 'BEGIN{exit !(a < b)}'; then
			bestc=$c
		fi
		[ "$m" -gt "$RSS_KB" ] && RSS_KB=$m
	done
	rm -f "$tf" "$tf.err"
	WALL=$best
	CPUS=$bestc
}

per_sec() { awk -v n="$1" -v t="$2" 'BEGIN{ if (t > 0) printf "%.0f", n / t; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }
mb_of() { awk -v b="$(stat -c %s "$1")" 'BEGIN{printf "%.0f", b / 1000000}'; }
group() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/;ta'; }

# --- jixiao --------------------------------------------------------------
declare -A C_WALL C_CPU C_RATE
C_ROWS=""
for n in $SIZES; do
	gen "$n"
done
for n in $SIZES; do
	f=$OUT/evals-$n.jsonl
	ni=$(indicators_of "$n")
	log "jixiao check --format json on $n self-evaluations ($ni indicators)"
	measure "jixiao" "$JIXIAO" check --format json "$f"
	C_WALL[$n]=$WALL
	C_CPU[$n]=$CPUS
	C_RATE[$n]=$(per_sec "$ni" "$WALL")
	C_ROWS+="| $(group "$n") | $(group "$ni") | $(mb_of "$f") | $WALL | $CPUS | $(group "${C_RATE[$n]}") | $(group "$(per_sec "$ni" "$CPUS")") | $(mib "$RSS_KB") |"$'\n'
done

# --- the Python reference ------------------------------------------------
PY_ROWS=""
for n in $PY_SIZES; do
	gen "$n"
	f=$OUT/evals-$n.jsonl
	ni=$(indicators_of "$n")
	log "reference_check.py on $n self-evaluations ($ni indicators)"
	measure "python" "$PY" "$ROOT/bench/reference_check.py" "$f"
	rate=$(per_sec "$ni" "$WALL")
	ratio="-"
	cratio="-"
	if [ -n "${C_WALL[$n]:-}" ]; then
		ratio=$(awk -v p="$WALL" -v c="${C_WALL[$n]}" 'BEGIN{printf "%.1f×", p / c}')
		cratio=$(awk -v p="$CPUS" -v c="${C_CPU[$n]}" 'BEGIN{ if (c > 0) printf "%.1f×", p / c; else print "-" }')
	fi
	PY_ROWS+="| $(group "$n") | $(group "$ni") | $WALL | $CPUS | $(group "$rate") | $(mib "$RSS_KB") | $ratio | $cratio |"$'\n'
done

# --- do both find the same things? (first 1,000 records, --verbose) ------
first=${SIZES%% *}
AGREE=""
if [ -s "$OUT/evals-$first.jsonl" ]; then
	head -n 1000 "$OUT/evals-$first.jsonl" >"$OUT/agree.jsonl"
	"$JIXIAO" check --verbose --format json "$OUT/agree.jsonl" >"$OUT/agree.c.jsonl" 2>/dev/null
	"$PY" "$ROOT/bench/reference_check.py" --verbose "$OUT/agree.jsonl" >"$OUT/agree.py.jsonl" 2>/dev/null
	AGREE=$("$PY" - "$OUT/agree.c.jsonl" "$OUT/agree.py.jsonl" <<'EOF'
import collections, json, sys

KEYS = ("exec_rate", "exec_score", "weight_sum", "total", "grade", "complete")


def load(path):
    recs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            d = json.loads(line)
            items = d.get("findings", []) + d.get("confirmed", [])
            recs.append((
                collections.Counter((x["code"], x["severity"]) for x in items),
                [(x.get("score"), x.get("outcome"), x.get("completion"))
                 for x in d.get("indicators", [])],
                tuple(d.get("computed", {}).get(k) for k in KEYS)))
    return recs


c, p = load(sys.argv[1]), load(sys.argv[2])
same = sum(1 for a, b in zip(c, p) if a == b)
tot = collections.Counter()
for a in c:
    tot.update(k for k in a[0].elements() if k[1] != "ok")
codes = ", ".join("%s %s %d" % (k[0], k[1], v) for k, v in tot.most_common())
print("Cross-check (`--verbose`, first 1,000 records): jixiao and the "
      "reference agree on every finding and confirmation (code, severity), "
      "every indicator's score, outcome and completion, and the totals on "
      "%d of %d records. jixiao's findings there: %s."
      % (same, max(len(c), len(p)), codes))
EOF
)
fi

# --- with --verbose (confirmations and per-indicator traces) --------------
VERB_ROWS=""
for n in $VERBOSE_SIZES; do
	gen "$n"
	f=$OUT/evals-$n.jsonl
	ni=$(indicators_of "$n")
	log "--verbose on $n self-evaluations"
	measure "jixiao --verbose" "$JIXIAO" check --verbose --format json "$f"
	cw=$WALL cc=$CPUS cr=$RSS_KB
	measure "python --verbose" "$PY" "$ROOT/bench/reference_check.py" --verbose "$f"
	VERB_ROWS+="| $(group "$n") | $(group "$ni") | $cw | $cc | $(group "$(per_sec "$ni" "$cw")") | $(mib "$cr") | $WALL | $CPUS | $(group "$(per_sec "$ni" "$WALL")") | $(awk -v p="$WALL" -v c="$cw" 'BEGIN{printf "%.1f×", p / c}') | $(awk -v p="$CPUS" -v c="$cc" 'BEGIN{ if (c > 0) printf "%.1f×", p / c; else print "-" }') |"$'\n'
done

# --- report --------------------------------------------------------------
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
# shellcheck source=/dev/null
os=$(. /etc/os-release 2>/dev/null && printf '%s' "${PRETTY_NAME:-unknown}")
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "-")

cat <<EOF
## jixiao check over JSON Lines

\`jixiao check --format json FILE > /dev/null\`, release preset (gcc -O2),
pinned to one core (\`taskset -c $CPU\`), best wall and best CPU (user +
system) time of $REPEAT runs; peak RSS is the largest of the runs
(\`/usr/bin/time -v\`). Data:
\`bench/gen_evals.py N --seed $SEED\` (15-25 indicators per self-evaluation,
about 5% of records with a deliberate mistake).

| evaluations | indicators | input MB | wall s | CPU s | indicators/s (wall) | indicators/s (CPU) | peak RSS MiB |
|---:|---:|---:|---:|---:|---:|---:|---:|
${C_ROWS}
Python reference (\`bench/reference_check.py\`, the same checks in
straightforward Python with \`decimal\`, $("$PY" --version 2>&1)), same
conditions; the speed-up is its time over jixiao's on the same file:

| evaluations | indicators | wall s | CPU s | indicators/s (wall) | peak RSS MiB | jixiao speed-up (wall) | (CPU) |
|---:|---:|---:|---:|---:|---:|---:|---:|
${PY_ROWS}
With \`--verbose\` (confirmations of every figure that checks out, and each
indicator's result with its trace: about 20 times the output), both
programs, same conditions:

| evaluations | indicators | jixiao wall s | CPU s | indicators/s (wall) | peak RSS MiB | Python wall s | CPU s | indicators/s (wall) | speed-up (wall) | (CPU) |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${VERB_ROWS}
${AGREE}

Machine: $(nproc) CPUs (\`nproc\`), ${cpu_model:-unknown}; ${mem_total} RAM;
${os}, Linux $(uname -r); $(gcc --version | head -n 1); $(cmake --version | head -n 1);
source \`${rev}\` (\`-dirty\`: with uncommitted changes); $(date -u '+%Y-%m-%d %H:%M UTC').
EOF
