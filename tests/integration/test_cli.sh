#!/usr/bin/env bash
# The jixiao command end to end: exit statuses (0 clean, 1 errors found,
# 2 bad input), bad input named by file/line/field, JSON Lines, directories,
# standard input, rule-set selection and the rules subcommands.
set -u
JX=${1:?usage: test_cli.sh path/to/jixiao}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # name expected-status actual-status
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL $1: exit status $3, expected $2"
		fail=$((fail + 1))
	fi
}
contains() { # name haystack-file needle
	if grep -qF -- "$3" "$2"; then
		pass=$((pass + 1))
	else
		echo "FAIL $1: output lacks: $3"
		sed 's/^/    /' "$2" | head -20
		fail=$((fail + 1))
	fi
}

# A clean self-evaluation: exit 0.
cat >"$tmp/clean.json" <<'J'
{"title": "测试项目", "unit": "某单位", "department": "某部门", "year": 2024,
 "funds": {"unit": "万元", "initial_budget": 100, "annual_budget": 100, "executed": 95,
           "exec_weight": 10, "exec_rate_stated": "95%", "exec_score_stated": 9.5},
 "indicators": [
  {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥100人次", "actual": "120人次", "weight": 50, "score_stated": 50},
  {"level1": "效益指标", "level2": "社会效益指标", "name": "服务水平", "target": "明显提升", "actual": "明显提升", "weight": 30, "score_stated": 30},
  {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥90%", "actual": "93%", "weight": 10, "score_stated": 10}],
 "total_weight_stated": 100, "total_score_stated": 99.5, "grade_stated": "优"}
J
"$JX" check "$tmp/clean.json" >"$tmp/out" 2>&1
check clean 0 $?
contains clean-summary "$tmp/out" "错误 0 项"

# The same with a wrong total: exit 1, the finding named with both figures.
sed 's/"total_score_stated": 99.5/"total_score_stated": 97/' "$tmp/clean.json" >"$tmp/wrong.json"
"$JX" check --format json "$tmp/wrong.json" >"$tmp/out" 2>&1
check wrong-total 1 $?
contains wrong-total-json "$tmp/out" '"code":"TOTAL_MISMATCH","severity":"error","where":"总分","stated":"97","computed":"99.5"'

# Malformed JSON: exit 2, file, line and column named.
printf '{"title": "x",\n "indicators": [\n  {"name": "a", "weight": }\n ]}\n' >"$tmp/broken.json"
"$JX" check "$tmp/broken.json" >"$tmp/out" 2>&1
check malformed 2 $?
contains malformed-where "$tmp/out" "broken.json:3:"

# A wrongly typed field: exit 2, the field path named.
printf '{"title": "x", "indicators": [{"name": "a", "weight": "十"}]}\n' >"$tmp/type.json"
"$JX" check "$tmp/type.json" >"$tmp/out" 2>&1
check wrong-type 2 $?
contains wrong-type-field "$tmp/out" "indicators[0].weight"

# A missing file: exit 2, never a crash.
"$JX" check "$tmp/nope.json" >"$tmp/out" 2>&1
check missing-file 2 $?
contains missing-file-name "$tmp/out" "nope.json"

# JSON Lines: one result per line; a bad line is reported with its line
# number and the others are still checked.
{
	tr -d '\n' <"$tmp/clean.json"; echo
	echo '{"title": "坏行", "indicators": 5}'
	tr -d '\n' <"$tmp/wrong.json"; echo
} >"$tmp/batch.jsonl"
"$JX" check --format json "$tmp/batch.jsonl" >"$tmp/out" 2>"$tmp/err"
check jsonl 2 $?
contains jsonl-bad-line "$tmp/err" "batch.jsonl:2"
n=$(grep -c '"findings"' "$tmp/out")
check jsonl-results 2 "$n"

# Standard input as JSON Lines.
tr -d '\n' <"$tmp/clean.json" | "$JX" check - >"$tmp/out" 2>&1
check stdin 0 $?

# A directory: every .json and .jsonl below it, sorted.
mkdir -p "$tmp/dir/sub"
cp "$tmp/clean.json" "$tmp/dir/a.json"
cp "$tmp/wrong.json" "$tmp/dir/sub/b.json"
echo "not json" >"$tmp/dir/readme.txt"
"$JX" check --format json "$tmp/dir" >"$tmp/out" 2>&1
check directory 1 $?
n=$(grep -c '"findings"' "$tmp/out")
check directory-count 2 "$n"

# Rule sets: by name, by file, unknown, invalid.
"$JX" check --rules hubei "$tmp/clean.json" >"$tmp/out" 2>&1
contains rules-hubei "$tmp/out" "hubei"
"$JX" check --rules no-such-rules "$tmp/clean.json" >"$tmp/out" 2>&1
check rules-unknown 2 $?
contains rules-unknown-msg "$tmp/out" "找不到规则方案"
echo '{"name": 1}' >"$tmp/bad-rules.json"
"$JX" rules check "$tmp/bad-rules.json" >"$tmp/out" 2>&1
check rules-invalid 2 $?
"$JX" rules check rules/*.json >"$tmp/out" 2>&1
check rules-builtin-valid 0 $?
"$JX" rules list >"$tmp/out" 2>&1
check rules-list 0 $?
contains rules-list-default "$tmp/out" "mof-2020"
"$JX" rules show mof-2020 >"$tmp/out" 2>&1
check rules-show 0 $?
contains rules-show-grade "$tmp/out" "优"

# score: a trace for each line.
"$JX" score tests/data/seeds/000.json >"$tmp/out" 2>&1
check score 0 $?
contains score-trace "$tmp/out" "按比例计分"

# Usage errors.
"$JX" check >"$tmp/out" 2>&1
check usage-no-files 2 $?
"$JX" check --bogus x >"$tmp/out" 2>&1
check usage-bad-option 2 $?
"$JX" frobnicate >"$tmp/out" 2>&1
check usage-bad-command 2 $?

# Terminal table: Chinese text aligned by display width.
"$JX" check --verbose tests/data/seeds/004.json >"$tmp/out" 2>&1
python3 - "$tmp/out" <<'P' && pass=$((pass + 1)) || { echo "FAIL alignment"; fail=$((fail + 1)); }
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")
        if l.startswith(("产出", "效益", "满意"))]
assert len(rows) == 10, rows
for l in rows:
    for word in ("部分达成", "未达成", "达成", "未知"):
        if l.endswith(word):
            # the result column starts after 44+14+14+6+6+8 columns
            assert width(l[: len(l) - len(word)]) == 92, l
            break
    else:
        raise AssertionError("no result in: " + l)
P

# Batch check with --report: seeds, a workbook and a broken file in one folder.
# The workbook lists every file (the broken one on 无法读取的文件); the exit
# status is as without --report (2: one file could not be read).
mkdir -p "$tmp/batch"
cp tests/data/seeds/*.json "$tmp/batch/"
cp tests/data/xlsx/seed-000.xlsx "$tmp/batch/"
printf 'not a workbook' >"$tmp/batch/broken.xlsx"
"$JX" check --report "$tmp/report.xlsx" "$tmp/batch" >"$tmp/out" 2>"$tmp/err"
check report-status 2 $?
"$JX" check "$tmp/batch" >/dev/null 2>&1
check report-status-as-before 2 $?
contains report-summary "$tmp/out" "共读取 5 个文件，5 份自评表"
contains report-summary-bad "$tmp/out" "1 个文件（或记录）无法读取"
if [ -f "$tmp/report.xlsx" ] && [ ! -e "$tmp/report.xlsx.tmp" ]; then
	pass=$((pass + 1))
else
	echo "FAIL report-file: no $tmp/report.xlsx"
	fail=$((fail + 1))
fi
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
	/usr/bin/python3 - "$tmp/report.xlsx" <<'P' && pass=$((pass + 1)) || { echo "FAIL report-openpyxl"; fail=$((fail + 1)); }
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
names = wb.sheetnames
assert names[0] == "部门汇总" and names[-1] == "无法读取的文件", names
assert {"000.json", "001.json", "003.json", "004.json", "seed-000.xlsx"} <= set(names), names
bad = [r for r in wb["无法读取的文件"].iter_rows(min_row=2, values_only=True)]
assert len(bad) == 1 and bad[0][0].endswith("/broken.xlsx") and bad[0][2], bad
total = [r for r in wb["部门汇总"].iter_rows(values_only=True) if r[0] == "合计"]
assert total and total[0][1] == 5 and total[0][2] == 5, total
rows = list(wb["004.json"].iter_rows(values_only=True))
assert rows[0][:4] == ("文件", "项目", "代码", "严重程度"), rows[0]
assert any(r[2] == "TOTAL_MISMATCH" and r[3] == "错误" for r in rows[1:]), rows
P
else
	echo "skip report-openpyxl: /usr/bin/python3 has no openpyxl"
fi
# Not a terminal: no progress line on stderr.
if grep -q "已检查" "$tmp/err"; then
	echo "FAIL report-no-progress: progress written to a non-terminal"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# A report that cannot be written: bad input, nothing read.
"$JX" check --report "$tmp/no/such/dir/r.xlsx" tests/data/seeds/004.json >"$tmp/out" 2>&1
check report-unwritable 2 $?
contains report-unwritable-msg "$tmp/out" "无法创建 Excel 文件"

# jixiao evaluate: seed 002's evaluation table on its framework.
"$JX" evaluate tests/data/frameworks/seed002.json >"$tmp/out" 2>&1
check evaluate-seed002 1 $?
contains evaluate-total "$tmp/out" "合计: 分值 100，计算得分 96，填报 95.4"
contains evaluate-grade "$tmp/out" "评价等级: 优，填报 优"
contains evaluate-line "$tmp/out" "FW_LINE_SCORE 效果/项目效益/服务对象满意度"
contains evaluate-trace "$tmp/out" "1 项不符合，每项扣1分，扣1分，得3分"
"$JX" evaluate --format json tests/data/frameworks/seed002.json >"$tmp/out" 2>&1
check evaluate-json 1 $?
if /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["total"]=="96" and d["grade"]=="优" and len(d["lines"])==21 and [f["code"] for f in d["findings"]]==["FW_LINE_SCORE","FW_TOTAL"] else 1)' "$tmp/out"; then
	pass=$((pass + 1))
else
	echo "FAIL evaluate-json-content"
	fail=$((fail + 1))
fi
# A template: nothing to score yet, no error.
"$JX" evaluate rules/frameworks/mof-2020.json >"$tmp/out" 2>&1
check evaluate-template 0 $?
contains evaluate-template-msg "$tmp/out" "未录入评价依据"
# A bad file: named, exit 2.
printf '{"format": "jixiao-framework/1", "title": "坏", "lines": [{"level1": "决策", "name": "a", "weight": "5", "rule": {"type": "manual"}, "input": {"score": "3"}}]}' >"$tmp/bad-fw.json"
"$JX" evaluate "$tmp/bad-fw.json" >"$tmp/out" 2>&1
check evaluate-bad 2 $?
contains evaluate-bad-msg "$tmp/out" "bad-fw.json"
contains evaluate-bad-why "$tmp/out" "须写明扣分原因"

# jixiao monitor: seed 001's mid-year monitoring table.
"$JX" monitor tests/data/monitor/001-seed.json >"$tmp/out" 2>&1
check monitor-seed001 1 $?
contains monitor-light "$tmp/out" "时间进度 50.00%，预算执行率 5.65%，预警: 红灯"
contains monitor-lag "$tmp/out" "MON_EXEC_LAG"
contains monitor-cause "$tmp/out" "MON_CAUSE_REQUIRED 产出指标/成本指标/维护金财业务系统"
"$JX" monitor --format json tests/data/monitor/001-seed.json \
	tests/data/monitor/003-seed003-adjusted.json >"$tmp/out" 2>&1
check monitor-json 1 $?
if /usr/bin/python3 - "$tmp/out" <<'P'; then
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(recs) == 2, recs
assert recs[0]["light"] == "red" and recs[0]["exec_rate"] == "5.65", recs[0]
codes = {f["code"] for f in recs[1]["findings"]}
assert "MON_TARGETS_NOT_ADJUSTED" in codes, codes
P
	pass=$((pass + 1))
else
	echo "FAIL monitor-json-content"
	fail=$((fail + 1))
fi
# The 监控情况表 as docx and PDF: python-docx and pdftotext read it.
"$JX" monitor tests/data/monitor/001-seed.json --to docx --out "$tmp/mon.docx" >/dev/null 2>&1
check monitor-docx 1 $?
if /usr/bin/python3 - "$tmp/mon.docx" <<'P'; then
import sys, docx
d = docx.Document(sys.argv[1])
text = "\n".join([p.text for p in d.paragraphs] +
                 [c.text for t in d.tables for r in t.rows for c in r.cells])
for want in ("项目支出绩效目标执行监控情况表", "红灯", "维护金财业务系统",
             "有可能", "须补正"):
    assert want in text, want
P
	pass=$((pass + 1))
else
	echo "FAIL monitor-docx-content"
	fail=$((fail + 1))
fi
"$JX" monitor tests/data/monitor/001-seed.json --to pdf --out "$tmp/mon.pdf" >/dev/null 2>&1
check monitor-pdf 1 $?
if command -v pdftotext >/dev/null && pdftotext "$tmp/mon.pdf" - | tr -d ' ' | grep -q "执行进度预警" &&
	pdffonts "$tmp/mon.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }'; then
	pass=$((pass + 1))
else
	echo "FAIL monitor-pdf-content"
	fail=$((fail + 1))
fi
"$JX" monitor tests/data/monitor/001-seed.json --to odt --out "$tmp/x.odt" >"$tmp/out" 2>&1
check monitor-bad-to 2 $?

# Bad records: named, exit 2; money never as a binary fraction.
printf '{"year": 2021, "period_month": 6, "funds": {"unit": "万元", "executed": 20.5}}' >"$tmp/bad-mon.json"
"$JX" monitor "$tmp/bad-mon.json" >"$tmp/out" 2>&1
check monitor-bad-amount 2 $?
contains monitor-bad-amount-msg "$tmp/out" "funds.executed"
printf '{"year": 2021, "period_month": 6, "funds": {}, "indicators": [{"name": "x", "likelihood": "也许"}]}' >"$tmp/bad-mon2.json"
"$JX" monitor "$tmp/bad-mon2.json" >"$tmp/out" 2>&1
check monitor-bad-word 2 $?
contains monitor-bad-word-msg "$tmp/out" "indicators[0]"
printf '{"year": 2021, "period_month": 13, "funds": {}}' >"$tmp/bad-mon3.json"
"$JX" monitor "$tmp/bad-mon3.json" >"$tmp/out" 2>&1
check monitor-bad-month 2 $?
contains monitor-bad-month-msg "$tmp/out" "period_month"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
