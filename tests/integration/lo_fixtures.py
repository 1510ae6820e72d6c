#!/usr/bin/python3
"""Sources for documents written by LibreOffice (tests/integration/
test_libreoffice.sh): for each seed transcription (tests/data/seeds/*.json)
and each layout jixiao knows (rules/layouts/: mof, sichuan, shanxi) an HTML
page holding the self-evaluation table the way people lay it out: the header
block, the funds block, merged 一级/二级 cells (rowspan), numbers as numbers
and as text, percentages, the 总分 row. LibreOffice turns each page into an
xlsx (Calc) and a docx (Writer); the test then reads those with jixiao.

Usage: lo_fixtures.py OUTDIR SEED.json...
Writes OUTDIR/<seed>-<layout>.html and OUTDIR/expect.json (per file: title,
department, unit, and the indicator lines as (path, target, actual, weight,
score)).
"""
import html
import json
import os
import sys

LAYOUTS = {
    # columns in order: (header, field)
    "mof": [("一级指标", "level1"), ("二级指标", "level2"),
            ("三级指标", "name"), ("年度指标值", "target"),
            ("实际完成值", "actual"), ("分值", "weight"), ("得分", "score"),
            ("偏差原因分析及改进措施", "reason")],
    "sichuan": [("一级指标", "level1"), ("二级指标", "level2"),
                ("三级指标", "name"), ("指标性质", "nature"),
                ("指标值", "target_num"), ("度量单位", "unit"),
                ("实际完成值", "actual_num"), ("分值", "weight"),
                ("得分", "score"), ("偏差原因分析及改进措施", "reason")],
    "shanxi": [("一级指标", "level1"), ("二级指标", "level2"),
               ("目标指标", "name"), ("权重", "weight"),
               ("目标值", "target"), ("业绩值", "actual"),
               ("完成率", "completion"), ("指标得分", "score"),
               ("偏差原因分析", "reason")],
}

NUM = "0123456789."


def esc(s):
    return html.escape("" if s is None else str(s))


def num(v):
    if v is None:
        return ""
    s = ("%s" % v)
    return s[:-2] if s.endswith(".0") else s


def split_unit(s):
    """'≥100人次' -> ('≥', '100', '人次'); None when not a number."""
    if not s:
        return None
    op = ""
    for o in ("≥", "≤", ">", "<", "="):
        if s.startswith(o):
            op, s = o, s[len(o):]
            break
    i = 0
    while i < len(s) and s[i] in NUM:
        i += 1
    if i == 0:
        return None
    return op, s[:i], s[i:]


def cell(ind, field, layout):
    if field == "target_num" or field == "actual_num":
        raw = ind.get("target" if field == "target_num" else "actual")
        p = split_unit(raw)
        return p[1] if p else raw
    if field == "nature":
        p = split_unit(ind.get("target"))
        if p is None:
            return "定性"
        return p[0] or "="
    if field == "unit":
        p = split_unit(ind.get("target"))
        return p[2] if p else ""
    if field == "completion":
        return ind.get("completion_stated") or ""
    if field == "reason":
        return ind.get("deviation_reason") or ""
    if field in ("weight", "score"):
        return num(ind.get("weight" if field == "weight" else "score_stated"))
    return ind.get(field) or ""


def usable(ind, layout):
    """The sichuan layout splits the number from its unit: only lines whose
    target and actual both split (or are qualitative words) fit it."""
    if layout != "sichuan":
        return True
    t, a = split_unit(ind.get("target")), split_unit(ind.get("actual"))
    if t is None and a is None:
        return True
    return t is not None and a is not None and t[2] == a[2]


def page(e, layout):
    cols = LAYOUTS[layout]
    n = len(cols)
    inds = [i for i in e.get("indicators", []) if usable(i, layout)]
    out = ["<html><head><meta charset='utf-8'><title>自评表</title></head>"
           "<body><table border='1'>"]
    out.append("<tr><td colspan='%d'>项目支出绩效自评表</td></tr>" % n)
    out.append("<tr><td>项目名称</td><td colspan='%d'>%s</td></tr>"
               % (n - 1, esc(e.get("title"))))
    half = (n - 2) // 2
    out.append("<tr><td>主管部门</td><td colspan='%d'>%s</td>"
               "<td>实施单位</td><td colspan='%d'>%s</td></tr>"
               % (half, esc(e.get("department")), n - 2 - half,
                  esc(e.get("unit"))))
    f = e.get("funds") or {}
    if f.get("annual_budget") is not None:
        out.append("<tr><td rowspan='2'>项目资金（万元）</td><td>年初预算数"
                   "</td><td>全年预算数</td><td>全年执行数</td><td>分值</td>"
                   "<td>执行率</td><td colspan='%d'>得分</td></tr>" % (n - 6))
        out.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                   "<td>%s</td><td colspan='%d'>%s</td></tr>"
                   % (num(f.get("initial_budget")), num(f.get("annual_budget")),
                      num(f.get("executed")), num(f.get("exec_weight")),
                      esc(f.get("exec_rate_stated") or ""), n - 6,
                      num(f.get("exec_score_stated"))))
    out.append("<tr>" + "".join("<td>%s</td>" % h for h, _ in cols) + "</tr>")
    # rowspans for runs of equal 一级 and, inside them, 二级
    i = 0
    while i < len(inds):
        j = i
        while j < len(inds) and inds[j].get("level1") == inds[i].get("level1"):
            j += 1
        k = i
        while k < j:
            m = k
            while m < j and inds[m].get("level2") == inds[k].get("level2"):
                m += 1
            for r in range(k, m):
                row = []
                for h, field in cols:
                    if field == "level1":
                        if r == i:
                            row.append("<td rowspan='%d'>%s</td>"
                                       % (j - i, esc(inds[r].get("level1"))))
                        continue
                    if field == "level2":
                        if r == k:
                            row.append("<td rowspan='%d'>%s</td>"
                                       % (m - k, esc(inds[r].get("level2"))))
                        continue
                    row.append("<td>%s</td>" % esc(cell(inds[r], field,
                                                        layout)))
                out.append("<tr>" + "".join(row) + "</tr>")
            k = m
        i = j
    tw = e.get("total_weight_stated")
    ts = e.get("total_score_stated")
    wi = [f for _, f in cols].index("weight")
    si = [f for _, f in cols].index("score")
    cells = [""] * n
    cells[0] = "总分"
    cells[wi] = num(tw)
    cells[si] = num(ts)
    out.append("<tr>" + "".join("<td>%s</td>" % esc(c) for c in cells)
               + "</tr>")
    out.append("</table></body></html>")
    return "\n".join(out), inds


def main():
    outdir, seeds = sys.argv[1], sys.argv[2:]
    expect = {}
    for s in seeds:
        e = json.load(open(s, encoding="utf-8"))
        base = os.path.splitext(os.path.basename(s))[0]
        for layout in LAYOUTS:
            text, inds = page(e, layout)
            name = "%s-%s" % (base, layout)
            with open(os.path.join(outdir, name + ".html"), "w",
                      encoding="utf-8") as f:
                f.write(text)
            expect[name] = {
                "layout": layout,
                "title": e.get("title"),
                "department": e.get("department"),
                "unit": e.get("unit"),
                "total_stated": e.get("total_score_stated"),
                "lines": [["/".join(x for x in (i.get("level1"),
                                                 i.get("level2"),
                                                 i.get("name")) if x),
                           num(i.get("weight")), num(i.get("score_stated"))]
                          for i in inds],
            }
    json.dump(expect, open(os.path.join(outdir, "expect.json"), "w",
                           encoding="utf-8"), ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
