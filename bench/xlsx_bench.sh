#!/usr/bin/env bash
# Reading self-evaluation workbooks: jixiao against openpyxl, in one run.
#
#   bash bench/xlsx_bench.sh [N]        (default N = 1000)
#
# Makes N varied self-evaluations (bench/gen_evals.py, seed 1), writes each
# as an xlsx 自评表 with `jixiao export --to xlsx` (libxlsxwriter: shared
# strings, styles and merged cells as Excel writes them), then reads the
# folder three times each way and reports the median:
#   jixiao   `jixiao check --format json DIR` (reads, finds the table with
#            the sheet finder, scores and audits every evaluation);
#   openpyxl bench/xlsx_openpyxl.py DIR (load_workbook, default mode; and
#            --read-only), which only collects the lines — less work.
# Wall time, files per second and peak RSS (/usr/bin/time -v). Release
# build in build/release (cmake --preset release).
set -euo pipefail
N=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PY=/usr/bin/python3
cmake --preset release >/dev/null
cmake --build build/release --target jixiao >/dev/null
JX=build/release/jixiao
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$PY bench/gen_evals.py "$N" --seed 1 >"$tmp/evals.jsonl" 2>/dev/null
"$JX" export "$tmp/evals.jsonl" --to xlsx --out "$tmp/xlsx/" >/dev/null 2>&1
nfiles=$(ls "$tmp/xlsx" | wc -l)
mb=$(du -sm "$tmp/xlsx" | cut -f1)
echo "files: $nfiles xlsx, $mb MB" >&2

run() { # label command... -> "wall_s rss_kb" (median wall of 3, max rss)
	local label=$1
	shift
	local walls=() rss=0 i
	for i in 1 2 3; do
		/usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >"$tmp/out.$label" 2>/dev/null || true
		read -r w r < <(tail -n 1 "$tmp/t")
		walls+=("$w")
		[ "$r" -gt "$rss" ] && rss=$r
	done
	local med
	med=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n 2p)
	echo "$med $rss"
}

read -r jw jr < <(run jixiao "$JX" check --format json "$tmp/xlsx")
read -r ow or < <(run openpyxl $PY bench/xlsx_openpyxl.py "$tmp/xlsx")
read -r rw rr < <(run openpyxl_ro $PY bench/xlsx_openpyxl.py --read-only "$tmp/xlsx")

jlines=$(grep -c '"source"' "$tmp/out.jixiao" || true)
echo "jixiao read $jlines self-evaluations; openpyxl (files sheets lines): $(cat "$tmp/out.openpyxl")" >&2

awk -v n="$nfiles" -v jw="$jw" -v jr="$jr" -v ow="$ow" -v or="$or" \
	-v rw="$rw" -v rr="$rr" 'BEGIN {
	printf "| reader | wall s (median of 3) | files/s | peak RSS MiB | jixiao speed-up |\n"
	printf "|---|---:|---:|---:|---:|\n"
	printf "| jixiao check (read + score + audit) | %.2f | %.0f | %.1f | 1× |\n", jw, n / jw, jr / 1024
	printf "| openpyxl load_workbook (default) | %.2f | %.0f | %.1f | %.1f× |\n", ow, n / ow, or / 1024, ow / jw
	printf "| openpyxl load_workbook(read_only=True) | %.2f | %.0f | %.1f | %.1f× |\n", rw, n / rw, rr / 1024, rw / jw
}'
