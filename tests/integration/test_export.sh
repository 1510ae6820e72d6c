#!/usr/bin/env bash
# `jixiao export` end to end, and what independent software makes of the
# documents it writes: every seed fixture as xlsx, docx and PDF (自评表 and
# 自评报告); openpyxl and python-docx open them; LibreOffice headless
# converts every xlsx and docx to PDF; jixiao's own PDFs have every font
# embedded (pdffonts) and render (pdftoppm); the 自评表 written as xlsx and
# as docx and read back by `jixiao check` is the same self-evaluation as
# the fixture (round trip); --by-department; bad usage.
set -u
JX=${1:?usage: test_export.sh path/to/jixiao}
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
	echo "FAIL $*"
	fail=$((fail + 1))
}
need() { # a declared dependency (scripts/deps.sh) missing is a failure
	command -v "$1" >/dev/null 2>&1 || {
		echo "FAIL: $1 is missing (bash scripts/deps.sh installs it)"
		exit 1
	}
}
need soffice
need pdffonts
need pdftoppm
need pdftotext
$PY -c 'import openpyxl, docx' || {
	echo "FAIL: $PY lacks openpyxl or python-docx (scripts/deps.sh)"
	exit 1
}

seeds=(tests/data/seeds/*.json)
out="$tmp/out"
mkdir -p "$out"/{xlsx,docx,docr,pdf,pdfr}

# 1. Export every seed in every form: exit 0 and one file per seed.
for spec in "xlsx table xlsx" "docx table docx" "docx report docr" \
	"pdf table pdf" "pdf report pdfr"; do
	set -- $spec
	if "$JX" export "${seeds[@]}" --to "$1" --form "$2" --out "$out/$3/" \
		>"$tmp/$3.list" 2>"$tmp/$3.err"; then
		n=$(find "$out/$3" -type f | wc -l)
		if [ "$n" -eq "${#seeds[@]}" ]; then ok; else
			bad "export $1 $2: $n files for ${#seeds[@]} seeds"
		fi
	else
		bad "export $1 $2: exit $?"
		sed 's/^/    /' "$tmp/$3.err"
	fi
done

# 2. Independent readers: openpyxl and python-docx open every file and
#    find the project's title and the indicator names in it.
$PY - "$out" "${seeds[@]}" <<'P' && ok || bad "openpyxl/python-docx content"
import glob, json, os, sys
import docx, openpyxl
out, seeds = sys.argv[1], sys.argv[2:]
titles = []
names = []
for s in seeds:
    e = json.load(open(s, encoding="utf-8"))
    titles.append(e["title"])
    names.append([i["name"] for i in e.get("indicators", [])])
def docx_text(path):
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                parts.append(c.text)
    return "\n".join(parts)
errors = 0
for t, ns in zip(titles, names):
    for kind in ("xlsx", "docx", "docr"):
        found = [f for f in glob.glob(os.path.join(out, kind, "*"))]
        ok = False
        for f in found:
            if kind == "xlsx":
                wb = openpyxl.load_workbook(f)
                text = "\n".join(str(c.value) for ws in wb.worksheets
                                 for row in ws.iter_rows() for c in row
                                 if c.value is not None)
            else:
                text = docx_text(f)
            if t in text:
                ok = True
                missing = [n for n in ns if n not in text]
                if kind != "docr" and missing:
                    print("  %s %s: indicators missing %s" % (kind, f, missing[:3]))
                    errors += 1
                if kind == "docr" and "评价结论" not in text:
                    print("  %s %s: no 评价结论 section" % (kind, f))
                    errors += 1
        if not ok:
            print("  %s: no file holds the title %s" % (kind, t))
            errors += 1
sys.exit(1 if errors else 0)
P

# 3. LibreOffice headless converts every xlsx and docx (one call).
mkdir -p "$tmp/lo"
find "$out/xlsx" "$out/docx" "$out/docr" -type f | sort >"$tmp/lo.in"
n_in=$(wc -l <"$tmp/lo.in")
i=0
while IFS= read -r f; do # unique names for LibreOffice's output
	i=$((i + 1))
	ext=${f##*.}
	cp "$f" "$tmp/lo/in$i.$ext"
done <"$tmp/lo.in"
if timeout 180 soffice --headless --norestore \
	-env:UserInstallation=file://"$tmp/lo-profile" \
	--convert-to pdf --outdir "$tmp/lo/pdf" "$tmp"/lo/in* \
	>"$tmp/lo.log" 2>&1; then
	n_pdf=$(find "$tmp/lo/pdf" -name '*.pdf' -size +1k | wc -l)
	if [ "$n_pdf" -eq "$n_in" ]; then ok; else
		bad "LibreOffice converted $n_pdf of $n_in files"
		sed 's/^/    /' "$tmp/lo.log" | head
	fi
	for p in "$tmp"/lo/pdf/*.pdf; do
		if pdftotext "$p" - 2>/dev/null | grep -q '[项评]'; then ok; else
			bad "LibreOffice PDF $p has no Chinese text"
		fi
	done
else
	bad "soffice --convert-to pdf: exit $?"
	sed 's/^/    /' "$tmp/lo.log" | head
fi

# 4. jixiao's own PDFs: every font embedded, every page renders, the
#    title and the 总分 are in the text.
for p in "$out"/pdf/*.pdf "$out"/pdfr/*.pdf; do
	if pdffonts "$p" >"$tmp/fonts" 2>&1 &&
		awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' \
			"$tmp/fonts" && [ "$(wc -l <"$tmp/fonts")" -gt 2 ]; then
		ok
	else
		bad "pdffonts $p: a font not embedded"
		sed 's/^/    /' "$tmp/fonts"
	fi
	rm -f "$tmp"/page*
	if pdftoppm -r 30 -png "$p" "$tmp/page" 2>/dev/null &&
		[ -n "$(ls "$tmp"/page*.png 2>/dev/null)" ]; then ok; else
		bad "pdftoppm $p"
	fi
done
for s in "${seeds[@]}"; do
	t=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["title"])' "$s")
	if cat "$out"/pdf/*.pdf | true && for p in "$out"/pdf/*.pdf; do
		pdftotext -layout "$p" -; done 2>/dev/null | tr -d ' \n' |
		grep -qF "$(printf %s "$t" | tr -d ' ')"; then ok; else
		bad "no jixiao PDF holds the title $t"
	fi
done
if for p in "$out"/pdf/*.pdf; do pdftotext "$p" -; done 2>/dev/null |
	grep -q '总分'; then ok; else bad "jixiao PDFs lack the 总分 row"; fi

# 5. Round trip: the 自评表 as xlsx and as docx, checked by jixiao, is the
#    self-evaluation of the fixture (same figures, findings and result).
for s in "${seeds[@]}"; do
	"$JX" check --format json "$s" >"$tmp/orig.json" 2>/dev/null
	for kind in xlsx docx; do
		"$JX" export "$s" --to "$kind" --out "$tmp/rt.$kind" \
			>/dev/null 2>&1 || { bad "export $s $kind"; continue; }
		"$JX" check --format json "$tmp/rt.$kind" >"$tmp/rt.json" \
			2>/dev/null
		$PY - "$tmp/orig.json" "$tmp/rt.json" <<'P' && ok ||
import json, sys
a = json.loads(open(sys.argv[1]).readline())
b = json.loads(open(sys.argv[2]).readline())
keys = ("title", "unit", "department", "year", "computed", "stated")
diff = [k for k in keys if a.get(k) != b.get(k)]
fa = sorted((f["code"], f["where"], f.get("stated"), f.get("computed"))
            for f in a.get("findings", []))
fb = sorted((f["code"], f["where"], f.get("stated"), f.get("computed"))
            for f in b.get("findings", []))
for k in diff:
    print("  %s: %r != %r" % (k, a.get(k), b.get(k)))
if fa != fb:
    print("  findings only in the original:", [f[:2] for f in fa if f not in fb])
    print("  findings only read back:", [f[:2] for f in fb if f not in fa])
    diff.append("findings")
sys.exit(1 if diff else 0)
P
			bad "round trip $s via $kind"
	done
done

# --fill: the unstated grade of seed 004 is computed and written.
"$JX" export tests/data/seeds/004.json --to xlsx --fill --out "$tmp/fill.xlsx" \
	>/dev/null 2>&1 &&
	"$JX" check --format json "$tmp/fill.xlsx" 2>/dev/null |
	grep -q '"stated":{"total":98,"grade":"优"}' && ok ||
	bad "--fill does not write the computed grade"

# 6. --by-department: one workbook per 主管部门, a sheet per project.
mkdir -p "$tmp/dept"
for i in 1 2 3; do
	$PY - "${seeds[0]}" "$tmp/dept/p$i.json" "$i" <<'P'
import json, sys
e = json.load(open(sys.argv[1], encoding="utf-8"))
i = int(sys.argv[3])
e["title"] = "%s（%d）" % (e["title"], i)
e["id"] = "dept-%d" % i
e["department"] = "甲部门" if i < 3 else "乙/部门"
json.dump(e, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
P
done
if "$JX" export "$tmp/dept" --to xlsx --by-department --out "$tmp/dept-out" \
	>"$tmp/dept.list" 2>"$tmp/dept.err"; then
	$PY - "$tmp/dept-out" <<'P' && ok || bad "by-department workbooks"
import openpyxl, os, sys
d = sys.argv[1]
files = sorted(os.listdir(d))
want = {"甲部门.xlsx": 2, "乙_部门.xlsx": 1}
got = {f: len(openpyxl.load_workbook(os.path.join(d, f)).worksheets) for f in files}
if got != want:
    print("  got", got, "want", want)
    sys.exit(1)
P
else
	bad "export --by-department: exit $?"
	sed 's/^/    /' "$tmp/dept.err"
fi
if "$JX" export "$tmp/dept" --to pdf --by-department --out "$tmp/dept-pdf" \
	>/dev/null 2>"$tmp/dept.err" && [ "$(ls "$tmp/dept-pdf" | wc -l)" -eq 2 ]; then
	ok
else
	bad "export --to pdf --by-department"
fi

# 7. Bad usage and bad input: exit 2, a message, nothing half-written.
"$JX" export "${seeds[0]}" --to odt >/dev/null 2>"$tmp/e1"
[ $? -eq 2 ] && grep -q 'xlsx、docx 或 pdf' "$tmp/e1" && ok || bad "--to odt"
"$JX" export "${seeds[0]}" --to xlsx --form report >/dev/null 2>"$tmp/e2"
[ $? -eq 2 ] && grep -q '自评报告只能' "$tmp/e2" && ok || bad "xlsx report"
"$JX" export "${seeds[0]}" --to docx --form report --outline nosuch \
	>/dev/null 2>"$tmp/e3"
[ $? -eq 2 ] && grep -q '找不到报告提纲' "$tmp/e3" && ok || bad "--outline nosuch"
printf '{"title": "坏提纲", "sections": 3}' >"$tmp/badoutline.json"
"$JX" export "${seeds[0]}" --to docx --form report \
	--outline "$tmp/badoutline.json" >/dev/null 2>"$tmp/e4"
[ $? -eq 2 ] && grep -q 'badoutline.json' "$tmp/e4" && ok || {
	bad "bad outline file not named"
	cat "$tmp/e4"
}
printf 'not json' >"$tmp/broken.json"
"$JX" export "$tmp/broken.json" "${seeds[0]}" --to docx --out "$tmp/mixed/" \
	>/dev/null 2>"$tmp/e5"
st=$?
[ $st -eq 2 ] && grep -q 'broken.json' "$tmp/e5" &&
	[ "$(ls "$tmp/mixed" | wc -l)" -eq 1 ] && ok ||
	bad "an unreadable input among good ones (exit $st)"
mkdir -p "$tmp/ro"
chmod 500 "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
	"$JX" export "${seeds[0]}" --to pdf --out "$tmp/ro/x.pdf" >/dev/null 2>&1
	[ $? -eq 2 ] && [ -z "$(ls -A "$tmp/ro")" ] && ok || bad "unwritable output"
fi

echo "test_export: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
