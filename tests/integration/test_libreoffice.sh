#!/usr/bin/env bash
# Documents written by other software: self-evaluation tables in three
# layouts (Ministry of Finance, Sichuan, Shanxi; lo_fixtures.py writes them
# as HTML from the seed transcriptions) are turned into xlsx by LibreOffice
# Calc and into docx by LibreOffice Writer, headless; `jixiao check` must
# read every one of them back: the project's header, every indicator line
# in its place in the tree, the stated total. A LibreOffice spreadsheet
# saved as .ods but named .xlsx is refused with a clear message.
set -u
JX=${1:?usage: test_libreoffice.sh path/to/jixiao}
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
command -v soffice >/dev/null 2>&1 || {
	echo "FAIL: soffice is missing (bash scripts/deps.sh installs LibreOffice)"
	exit 1
}
lo() { # LibreOffice headless with a throw-away profile
	timeout 240 soffice --headless --norestore \
		-env:UserInstallation=file://"$tmp/profile" "$@" >>"$tmp/lo.log" 2>&1
}

mkdir -p "$tmp/src" "$tmp/xlsx" "$tmp/docx"
$PY tests/integration/lo_fixtures.py "$tmp/src" tests/data/seeds/*.json || {
	echo "FAIL: lo_fixtures.py"
	exit 1
}
n=$(ls "$tmp"/src/*.html | wc -l)
lo --infilter="HTML (StarCalc)" --convert-to xlsx:"Calc MS Excel 2007 XML" \
	--outdir "$tmp/xlsx" "$tmp"/src/*.html
lo --infilter="HTML (StarWriter)" --convert-to docx:"MS Word 2007 XML" \
	--outdir "$tmp/docx" "$tmp"/src/*.html
for kind in xlsx docx; do
	got=$(ls "$tmp/$kind" | wc -l)
	if [ "$got" -eq "$n" ]; then pass=$((pass + 1)); else
		echo "FAIL: LibreOffice wrote $got $kind files of $n"
		sed 's/^/    /' "$tmp/lo.log" | tail -5
		fail=$((fail + 1))
	fi
done

for f in "$tmp"/xlsx/*.xlsx "$tmp"/docx/*.docx; do
	[ -e "$f" ] || continue
	"$JX" check --format json --verbose "$f" >"$tmp/out.json" 2>"$tmp/err"
	st=$?
	if [ $st -gt 1 ]; then
		echo "FAIL $(basename "$f"): exit $st"
		sed 's/^/    /' "$tmp/err" "$tmp/out.json" | head -5
		fail=$((fail + 1))
		continue
	fi
	if $PY - "$tmp/src/expect.json" "$f" "$tmp/out.json" <<'P'; then
import json, os, sys
expect = json.load(open(sys.argv[1], encoding="utf-8"))
name = os.path.splitext(os.path.basename(sys.argv[2]))[0]
want = expect[name]
got = json.loads(open(sys.argv[3], encoding="utf-8").readline())
bad = []
for k in ("title", "department", "unit"):
    if (got.get(k) or None) != (want[k] or None):
        bad.append("%s: %r, expected %r" % (k, got.get(k), want[k]))
paths = [i["where"] for i in got.get("indicators", [])]
wpaths = [l[0] for l in want["lines"]]
if paths != wpaths:
    bad.append("indicator lines: %d read, %d expected; first difference: %r"
               % (len(paths), len(wpaths),
                  next(((a, b) for a, b in zip(paths, wpaths) if a != b),
                       None)))
ts = (got.get("stated") or {}).get("total")
if want["total_stated"] is not None and \
        (ts is None or float(ts) != float(want["total_stated"])):
    bad.append("总分: %r, expected %r" % (ts, want["total_stated"]))
for b in bad:
    print("  %s (%s): %s" % (name, sys.argv[2].rsplit(".", 1)[1], b))
sys.exit(1 if bad else 0)
P
		pass=$((pass + 1))
	else
		echo "FAIL $(basename "$f")"
		fail=$((fail + 1))
	fi
done

# A LibreOffice .ods named .xlsx: refused, the file named, exit 2.
lo --infilter="HTML (StarCalc)" --convert-to ods --outdir "$tmp/ods" \
	"$tmp/src/000-mof.html"
cp "$tmp/ods/000-mof.ods" "$tmp/wrong.xlsx"
"$JX" check "$tmp/wrong.xlsx" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 2 ] && grep -q 'wrong.xlsx' "$tmp/out"; then
	pass=$((pass + 1))
else
	echo "FAIL .ods named .xlsx: exit $st"
	sed 's/^/    /' "$tmp/out"
	fail=$((fail + 1))
fi

echo "test_libreoffice: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
