#!/usr/bin/python3
"""xlsx_openpyxl.py - what a user would write with openpyxl to read a folder
of self-evaluation workbooks (项目支出绩效自评表): open each workbook
(openpyxl.load_workbook, default mode, as most scripts do; --read-only for
the streaming mode), find the indicator table's header row by its words,
fill the merged 一级/二级 cells down, collect each indicator line (names,
target, actual, weight, score), the project name, the funds line
(年度资金总额) and the 总分 row. Prints the number of workbooks, sheets read
and indicator lines, so the benchmark can check both sides read the same.

Usage: xlsx_openpyxl.py [--read-only] DIR
"""
import os
import sys

import openpyxl

HEAD = {"level1": ("一级指标",), "level2": ("二级指标",),
        "name": ("三级指标", "指标名称", "目标指标"),
        "target": ("年度指标值", "目标值", "指标值"),
        "actual": ("实际完成值", "业绩值", "实际值"),
        "weight": ("分值", "权重"), "score": ("得分", "指标得分")}


def text(v):
    if v is None:
        return ""
    return str(v).strip()


def read_sheet(rows):
    info = {"title": None, "funds": None, "total": None, "lines": []}
    cols = None
    last1 = last2 = ""
    for row in rows:
        cells = [text(v) for v in row]
        if not any(cells):
            continue
        if cells[0] == "项目名称" and info["title"] is None:
            info["title"] = next((c for c in cells[1:] if c), None)
        if "年度资金总额" in cells:
            i = cells.index("年度资金总额")
            info["funds"] = cells[i + 1:i + 7]
        if cols is None:
            found = {}
            for k, words in HEAD.items():
                for i, c in enumerate(cells):
                    if c in words and k not in found:
                        found[k] = i
            if len(found) >= 6 and "name" in found:
                cols = found
            continue
        if cells[0] in ("总分", "合计"):
            info["total"] = cells[cols["score"]] if "score" in cols else None
            cols = None
            continue
        line = {k: cells[i] if i < len(cells) else "" for k, i in cols.items()}
        if not line.get("name"):
            continue
        last1 = line.get("level1") or last1
        last2 = line.get("level2") or last2
        line["level1"], line["level2"] = last1, last2
        info["lines"].append(line)
    return info


def main():
    args = sys.argv[1:]
    read_only = "--read-only" in args
    args = [a for a in args if a != "--read-only"]
    d = args[0]
    nfiles = nsheets = nlines = 0
    for name in sorted(os.listdir(d)):
        if not name.endswith(".xlsx"):
            continue
        wb = openpyxl.load_workbook(os.path.join(d, name), data_only=True,
                                    read_only=read_only)
        nfiles += 1
        for ws in wb.worksheets:
            info = read_sheet(ws.iter_rows(values_only=True))
            if info["lines"]:
                nsheets += 1
                nlines += len(info["lines"])
        wb.close()
    print("%d %d %d" % (nfiles, nsheets, nlines))


if __name__ == "__main__":
    main()
