#!/usr/bin/python3
"""make.py - generate the docx fixtures of tests/unit/test_docx.c.

Run from anywhere with Debian's python3-docx (0.8.x):

    /usr/bin/python3 tests/data/docx/make.py

For each fixture it writes NNN-name.docx and NNN-name.expect.json beside
this script, and the fuzz seeds tests/fuzz/corpus/docx/NNN-name.docx.bin
("\\0" + the file) and NNN-name.xml.bin ("\\1" + its word/document.xml),
the two input modes of tests/fuzz/fuzz_docx.c. The generated files are
committed, so the unit tests do not need Python.

The documents look like the seed reports (/work/shared/seeds): a 项目支出
绩效自评表 as a Word table with merged header cells (python-docx's
cell.merge writes gridSpan and vMerge), the funds block of a 自评报告,
runs split mid-word with proofErr and bookmark elements, fields, tracked
changes, symbols, and nested tables.

The expectation is computed here, independently of the C reader:
  - grid cells and merged ranges come from python-docx's own table model
    (Table._cells, where every position of a merged cell is the same
    underlying <w:tc>): the text at each position and, per <w:tc>, the
    bounding box of the positions it covers;
  - cell text is its blocks joined with "\\n", a block being a paragraph or
    a nested table flattened (rows joined with "\\n", cells with "\\t", a
    vMerge continuation cell empty) - the documented rule of docx.c;
  - paragraph text is python-docx's Paragraph.text, except for paragraphs
    built with content python-docx 0.8 does not read (fields, tracked
    changes, symbols, hyperlinks), whose expected text is stated where they
    are built;
  - table_at counts the body paragraphs before each table.
"""
import copy
import io
import json
import os
import sys
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "fuzz", "corpus", "docx")

# Expected text of paragraphs python-docx cannot read itself, by element.
EXPECT = {}
# Paragraph elements whose mark is deleted: Word joins them with the next.
JOINED = set()


def el(tag, **attrs):
    """An element w:TAG with w: attributes."""
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn("w:" + k), v)
    return e


def run(text):
    """A w:r holding text (as w:t with xml:space=preserve)."""
    r = el("w:r")
    t = el("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def split_runs(p, parts, rsid="00A1B2C3"):
    """Append parts as separate runs, with proofErr and bookmark elements
    between them, as Word leaves them after editing and spell-checking."""
    p = p._p if hasattr(p, "_p") else p
    for i, part in enumerate(parts):
        if i == 1:
            p.append(el("w:proofErr", type="spellStart"))
            p.append(el("w:bookmarkStart", id="7", name="_Toc99029655"))
        r = run(part)
        r.set(qn("w:rsidR"), rsid)
        p.append(r)
        if i == 1:
            p.append(el("w:bookmarkEnd", id="7"))
            p.append(el("w:proofErr", type="spellEnd"))


def special(p, text):
    """Record the expected text of a paragraph python-docx misreads."""
    EXPECT[p._p if hasattr(p, "_p") else p] = text


def set_cell(cell, *paras):
    """Set a cell's paragraphs (each a string, or a list of run parts)."""
    first = True
    for para in paras:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        if first:
            for r in list(p.runs):
                r._r.getparent().remove(r._r)
        first = False
        if isinstance(para, list):
            split_runs(p, para)
            special(p, "".join(para))
        else:
            p.add_run(para)


def fixed_doc():
    d = docx.Document()
    cp = d.core_properties
    import datetime

    cp.created = cp.modified = datetime.datetime(2024, 1, 1)
    cp.author = cp.last_modified_by = "jixiao"
    cp.revision = 1
    return d


# ---- the fixtures ----------------------------------------------------


def zibiao():
    """A 项目支出绩效自评表 (Ministry of Finance layout) as a Word table."""
    d = fixed_doc()
    d.add_paragraph("附件1")
    heading = d.add_paragraph()
    split_runs(heading, ["项目支出", "绩效自", "评表"])
    special(heading, "项目支出绩效自评表")
    d.add_paragraph("（2022年度）")
    ind = [
        # 一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 偏差
        ("产出指标", "数量指标", "指标1：维护金财业务系统", "1项", "1项",
         "10", "10", ""),
        ("产出指标", "数量指标", "指标2：机房运行维护", "1项", "1项", "10",
         "10", ""),
        ("产出指标", "质量指标", "系统故障率", "≤1%", "≤1%", "10", "10", ""),
        ("产出指标", "时效指标", "系统故障修复响应时间", "≤1小时", "≤1小时",
         "10", "10", ""),
        ("产出指标", "成本指标", "财政信息化建设经费", "134万元", "131.4万元",
         "10", "9.8", "为节约资金顺延"),
        ("效益指标", "社会效益指标", "信息化建设", "明显提升", "明显提升",
         "15", "15", ""),
        ("效益指标", "可持续影响指标", "持续发挥作用期限", "长期", "长期",
         "15", "15", ""),
        ("满意度指标", "服务对象满意度指标", "各单位满意度", "≥90%", "≥90%",
         "10", "10", ""),
    ]
    nrows = 2 + 1 + 1 + 5 + 2 + 1 + len(ind) + 1
    t = d.add_table(rows=nrows, cols=9)
    t.style = "Table Grid"
    C = 9

    def m(r0, c0, r1, c1):
        return t.cell(r0, c0).merge(t.cell(r1, c1))

    set_cell(m(0, 0, 0, C - 1), "项目支出绩效自评表")
    set_cell(m(1, 0, 1, C - 1), "（2022年度）")
    set_cell(t.cell(2, 0), "项目名称")
    set_cell(m(2, 1, 2, C - 1), "“互联网+政务服务”平台运维服务费")
    set_cell(t.cell(3, 0), "主管部门")
    set_cell(m(3, 1, 3, 4), "忻州经济开发区管理委员会")
    set_cell(t.cell(3, 5), "实施单位")
    set_cell(m(3, 6, 3, 8), "行政审批服务管理局")
    # the funds block: 项目资金（万元） over five rows
    set_cell(m(4, 0, 8, 0), "项目资金", "（万元）")
    heads = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率"]
    for i, h in enumerate(heads):
        set_cell(t.cell(4, 1 + i), h)
    set_cell(m(4, 7, 4, 8), "得分")
    funds = [
        ("年度资金总额", "24.5", "24.5", "24.5", "10", "100%", "10"),
        ("其中：当年财政拨款", "24.5", "24.5", "24.5", "—", "", "—"),
        ("上年结转资金", "", "", "", "—", "", "—"),
        ("其他资金", "", "", "", "—", "", "—"),
    ]
    for k, row in enumerate(funds):
        for i, v in enumerate(row[:6]):
            if i == 0 and k == 0:
                set_cell(t.cell(5, 1), ["年度资", "金总", "额"])
            elif v:
                set_cell(t.cell(5 + k, 1 + i), v)
        if row[6]:
            set_cell(m(5 + k, 7, 5 + k, 8), row[6])
        else:
            m(5 + k, 7, 5 + k, 8)
    # 年度总体目标 over two rows
    set_cell(m(9, 0, 10, 0), "年度总体目标")
    set_cell(m(9, 1, 9, 4), "预期目标")
    set_cell(m(9, 5, 9, 8), "实际完成情况")
    set_cell(m(10, 1, 10, 4), "目标1：满足行业标准和系统安全运行要求",
             "目标2：保障数据的完整性、一致性和保密性")
    set_cell(m(10, 5, 10, 8), "目标1：已完成", "目标2：已完成")
    # 绩效指标 over the header and every indicator row
    r0 = 11
    set_cell(m(r0, 0, r0 + len(ind), 0), "绩效指标")
    for i, h in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值",
                           "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施"]):
        set_cell(t.cell(r0, 1 + i), h)
    # merge runs of equal 一级 / 二级 names vertically
    for col in (0, 1):
        start = 0
        for i in range(1, len(ind) + 1):
            if i == len(ind) or ind[i][col] != ind[start][col]:
                cell = m(r0 + 1 + start, 1 + col, r0 + i, 1 + col) \
                    if i - start > 1 else t.cell(r0 + 1 + start, 1 + col)
                set_cell(cell, ind[start][col])
                start = i
    for i, row in enumerate(ind):
        for k, v in enumerate(row[2:]):
            if v:
                set_cell(t.cell(r0 + 1 + i, 3 + k), v)
    last = r0 + 1 + len(ind)
    set_cell(m(last, 0, last, 5), "总分")
    set_cell(t.cell(last, 6), "100")
    set_cell(t.cell(last, 7), "99.8")
    d.add_paragraph("填报人：张三    联系电话：0350-1234567")
    return d


def runs():
    """Paragraph text: split runs, tabs, breaks, symbols, fields, tracked
    changes, hyperlinks, content controls, deleted paragraph marks."""
    d = fixed_doc()
    p = d.add_paragraph()
    p._p.append(el("w:bookmarkStart", id="0", name="_Toc61505636"))
    p.add_run("一、项目的基本情况")
    p._p.append(el("w:bookmarkEnd", id="0"))

    p = d.add_paragraph()
    split_runs(p, ["全年预", "算资", "金131.4万元"])
    special(p, "全年预算资金131.4万元")

    p = d.add_paragraph()
    r = p.add_run("项目")
    r.add_tab()
    r.add_text("行次")
    r.add_break()
    r.add_text("年度总金额(万元)")
    # python-docx reads w:tab and w:br itself: no special expectation

    p = d.add_paragraph()
    p.add_run("系统正常运行率")
    r = el("w:r")
    r.append(el("w:sym", font="Symbol", char="F0B3"))
    p._p.append(r)
    p.add_run("95%，响应时间")
    r = el("w:r")
    r.append(el("w:sym", font="Symbol", char="F0A3"))
    p._p.append(r)
    p.add_run("1小时")
    special(p, "系统正常运行率≥95%，响应时间≤1小时")

    p = d.add_paragraph()
    p.add_run("见第")
    fld = el("w:fldSimple", instr=" PAGE ")
    fld.append(run("8"))
    p._p.append(fld)
    p.add_run("页")
    special(p, "见第8页")

    p = d.add_paragraph()
    p.add_run("总得分")
    for kind, text in (("begin", None), ("instr", " = 90 + 4.9 "),
                       ("separate", None), ("text", "94.9"), ("end", None)):
        r = el("w:r")
        if kind == "instr":
            it = el("w:instrText")
            it.text = text
            r.append(it)
        elif kind == "text":
            r = run(text)
        else:
            r.append(el("w:fldChar", fldCharType=kind))
        p._p.append(r)
    p.add_run("分")
    special(p, "总得分94.9分")

    p = d.add_paragraph()
    p.add_run("预算执行率")
    dl = el("w:del", id="1", author="审核人", date="2024-01-01T00:00:00Z")
    r = el("w:r")
    dt = el("w:delText")
    dt.text = "90%"
    r.append(dt)
    dl.append(r)
    p._p.append(dl)
    ins = el("w:ins", id="2", author="审核人", date="2024-01-01T00:00:00Z")
    ins.append(run("100%"))
    p._p.append(ins)
    special(p, "预算执行率100%")

    p = d.add_paragraph()
    p.add_run("详见")
    h = el("w:hyperlink", anchor="_Toc99029667")
    h.append(run("附件1.项目支出绩效自评表"))
    p._p.append(h)
    special(p, "详见附件1.项目支出绩效自评表")

    p = d.add_paragraph()
    p.add_run("2021")
    r = el("w:r")
    r.append(el("w:noBreakHyphen"))
    p._p.append(r)
    p.add_run("2022年度")
    special(p, "2021-2022年度")

    # a paragraph whose mark was deleted joins the next one
    p = d.add_paragraph()
    p.add_run("资金结余")
    ppr = p._p.get_or_add_pPr()
    rpr = el("w:rPr")
    rpr.append(el("w:del", id="3", author="审核人",
                  date="2024-01-01T00:00:00Z"))
    ppr.append(rpr)
    JOINED.add(p._p)
    d.add_paragraph("0万元")

    d.add_paragraph("")

    # a block-level content control
    sdt = el("w:sdt")
    sdt.append(el("w:sdtPr"))
    content = el("w:sdtContent")
    cp = el("w:p")
    cp.append(run("项目名称：信息系统运行维护"))
    content.append(cp)
    sdt.append(content)
    d.element.body.insert(len(d.element.body) - 1, sdt)
    EXPECT[cp] = "项目名称：信息系统运行维护"

    d.add_paragraph("二、项目绩效情况")
    return d


def funds():
    """The funds block of a 自评报告 (seed 003) and an indicator table
    with the 二级指标 column merged vertically."""
    d = fixed_doc()
    d.add_paragraph("（二）预算执行情况")
    t = d.add_table(rows=9, cols=10)
    t.style = "Table Grid"

    def m(r0, c0, r1, c1):
        return t.cell(r0, c0).merge(t.cell(r1, c1))

    for c, h in ((0, "项目"), (1, "行次"), (2, "年度总金额(万元)"),
                 (8, "上年结转资金(万元)"), (9, "其他资金(万元)")):
        set_cell(m(0, c, 1, c), h)
    set_cell(m(0, 3, 0, 7), "财政资金")
    for i, h in enumerate(["小计", "中央级", "省级", "市级", "县区级"]):
        set_cell(t.cell(1, 3 + i), h)
    rows = [
        ("年初预算资金", "(1)", "100", "100", "", "", "100", "", "", ""),
        ("全年预算资金", "(2)", "92.13", "92.13", "", "", "92.13", "", "",
         ""),
        ("实际到位资金", "(3)", "92.13", "92.13", "", "", "92.13", "", "",
         ""),
        ("全年执行资金", "(4)", "92.13", "92.13", "", "", "92.13", "", "",
         ""),
        ("资金结余", "(5)=(3)-(4)", "0", "0", "0", "0", "0", "0", "0", "0"),
        ("预算到位率", "(6)=(3)/(2)", "100", "0", "0", "0", "100", "0", "0",
         "0"),
        ("预算执行率(%)", "(7)=(4)/(2)", "100", "100", "0", "0", "100", "0",
         "0", "0"),
    ]
    for i, row in enumerate(rows):
        for c, v in enumerate(row):
            if v:
                set_cell(t.cell(2 + i, c), v)
    d.add_paragraph("（三）项目产出情况")
    ind = [
        ("数量指标", "预算一体化", "5", "50万元", "0万元", "0"),
        ("数量指标", "绩效系统", "5", "38万元", "38万元", "5"),
        ("质量指标", "政府采购率", "4", "100%", "100%", "4"),
        ("质量指标", "系统正常运行率（%）", "4", "95%", "95%", "4"),
        ("时效指标", "系统故障处置及时性", "4", "及时", "100%", "4"),
    ]
    t = d.add_table(rows=1 + len(ind), cols=6)
    t.style = "Table Grid"
    for i, h in enumerate(["二级指标", "三级指标", "权重", "目标值", "业绩值",
                           "得分"]):
        set_cell(t.cell(0, i), h)
    start = 0
    for i in range(1, len(ind) + 1):
        if i == len(ind) or ind[i][0] != ind[start][0]:
            cell = t.cell(1 + start, 0)
            if i - start > 1:
                cell = cell.merge(t.cell(i, 0))
            set_cell(cell, ind[start][0])
            start = i
    for i, row in enumerate(ind):
        for c, v in enumerate(row[1:]):
            set_cell(t.cell(1 + i, 1 + c), v)
    return d


def nested():
    """A layout table holding the 自评表 in a cell, a table nested in the
    nested one, and a table after it."""
    d = fixed_doc()
    d.add_paragraph("附件1.项目支出绩效自评表")
    outer = d.add_table(rows=2, cols=2)
    set_cell(outer.cell(0, 0), "附件1")
    set_cell(outer.cell(0, 1), "项目支出绩效自评表")
    holder = outer.cell(1, 0).merge(outer.cell(1, 1))
    set_cell(holder, "说明：下表为自评表")
    inner = holder.add_table(rows=3, cols=3)
    set_cell(inner.cell(0, 0).merge(inner.cell(0, 2)), "绩效指标")
    for i, h in enumerate(["三级指标", "分值", "得分"]):
        set_cell(inner.cell(1, i), h)
    set_cell(inner.cell(2, 0), "预算执行率")
    set_cell(inner.cell(2, 1), "10")
    deep = inner.cell(2, 2).add_table(rows=1, cols=2)
    set_cell(deep.cell(0, 0), "10")
    set_cell(deep.cell(0, 1), "满分")
    # python-docx's add_table leaves the cell's own first paragraph in
    # front; Word requires one after a table, as here:
    holder.add_paragraph("（完）")
    d.add_paragraph("附件2.绩效自评相关资料")
    last = d.add_table(rows=1, cols=2)
    set_cell(last.cell(0, 0), "资料")
    set_cell(last.cell(0, 1), ["佐证", "材", "料"])
    return d


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Hand-written document.xml seeds for the fuzzer (mode 1 only), for what
# python-docx does not write: gridBefore, hMerge, deleted rows, text boxes,
# alternate content, math, Strict OOXML, and refusals.
SNIPPETS = {
    "101-gridbefore": """<w:tbl><w:tr><w:trPr><w:gridBefore w:val="2"/>
<w:gridAfter w:val="1"/></w:trPr><w:tc><w:tcPr><w:vMerge w:val="restart"/>
<w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>
</w:tr><w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr><w:tc><w:tcPr>
<w:vMerge/><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>""",
    "102-hmerge": """<w:tbl><w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/>
</w:tcPr><w:p><w:r><w:t>h</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hMerge/>
</w:tcPr><w:p/></w:tc></w:tr></w:tbl>""",
    "103-tracked": """<w:tbl><w:tr><w:trPr><w:del w:id="1" w:author="a"/>
</w:trPr><w:tc><w:tcPr><w:tcPrChange w:id="2" w:author="a"><w:tcPr>
<w:gridSpan w:val="3"/></w:tcPr></w:tcPrChange></w:tcPr><w:p><w:del
w:id="3" w:author="a"><w:r><w:delText>x</w:delText></w:r></w:del></w:p>
</w:tc></w:tr></w:tbl><w:p><w:pPr><w:rPr><w:del w:id="4" w:author="a"/>
</w:rPr></w:pPr><w:ins w:id="5" w:author="a"><w:r><w:t>y</w:t></w:r>
</w:ins></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>
<w:instrText> PAGE </w:instrText></w:r><w:r><w:t>1</w:t></w:r></w:p>""",
    "104-boxes": """<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r>
<w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p>
</w:txbxContent></w:drawing></w:r></mc:Choice><mc:Fallback><w:r><w:pict/>
</w:r></mc:Fallback></mc:AlternateContent><m:oMath><m:r><m:t>x</m:t></m:r>
</m:oMath><w:r><w:sym w:font="Symbol" w:char="F0B3"/><w:tab/><w:br/>
<w:noBreakHyphen/></w:r></w:p>""",
}


def snippet_xml(body):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<w:document xmlns:w=\"%s\" xmlns:m=\"http://schemas."
            "openxmlformats.org/officeDocument/2006/math\" xmlns:mc=\""
            "http://schemas.openxmlformats.org/markup-compatibility/2006\">"
            "<w:body>%s</w:body></w:document>" % (W, body)).encode()


FIXTURES = [
    ("001-zibiao", zibiao),
    ("002-runs", runs),
    ("003-funds", funds),
    ("004-nested", nested),
]

# ---- the expectation ---------------------------------------------------


def para_text(p):
    if p in EXPECT:
        return EXPECT[p]
    return Paragraph(p, None).text


def is_continue(tc):
    pr = tc.find(qn("w:tcPr"))
    vm = pr.find(qn("w:vMerge")) if pr is not None else None
    return vm is not None and vm.get(qn("w:val"), "continue") != "restart"


def cell_text(tc):
    blocks = []
    for child in tc:
        if child.tag == qn("w:p"):
            blocks.append(para_text(child))
        elif child.tag == qn("w:tbl"):
            blocks.append(flat(child))
    return "\n".join(blocks)


def flat(tbl):
    rows = []
    for tr in tbl.findall(qn("w:tr")):
        rows.append("\t".join("" if is_continue(tc) else cell_text(tc)
                              for tc in tr.findall(qn("w:tc"))))
    return "\n".join(rows)


def grid(tbl, parent):
    t = Table(tbl, parent)
    C = t._column_count
    cells = t._cells
    R = len(cells) // C
    assert R * C == len(cells) and R == len(tbl.findall(qn("w:tr")))
    text = [[cell_text(cells[r * C + c]._tc) for c in range(C)]
            for r in range(R)]
    boxes = {}
    for i, cell in enumerate(cells):
        boxes.setdefault(id(cell._tc), []).append(divmod(i, C))
    merges = []
    for pos in boxes.values():
        if len(pos) < 2:
            continue
        r0 = min(p[0] for p in pos)
        r1 = max(p[0] for p in pos)
        c0 = min(p[1] for p in pos)
        c1 = max(p[1] for p in pos)
        assert len(pos) == (r1 - r0 + 1) * (c1 - c0 + 1), "not a rectangle"
        merges.append([r0, c0, r1, c1])
    # python-docx's own cell text must agree where it can see everything
    for r in range(R):
        for c in range(C):
            tc = cells[r * C + c]._tc
            if tc.find(qn("w:tbl")) is None and not any(
                    p in EXPECT for p in tc.iter(qn("w:p"))):
                assert text[r][c] == cells[r * C + c].text, (r, c)
    return {"rows": R, "cols": C, "cells": text, "merges": sorted(merges)}


def expectation(d):
    body = d.element.body
    paras, tables = [], []

    def walk(node):
        for child in node:
            if child.tag == qn("w:p"):
                paras.append(child)
            elif child.tag == qn("w:tbl"):
                for tbl in child.iter(qn("w:tbl")):
                    g = grid(tbl, d._body)
                    g["name"] = "表%d" % (len(tables) + 1)
                    g["at"] = len(paras)
                    tables.append(g)
            elif child.tag != qn("w:sectPr"):
                walk(child)

    walk(body)
    texts, carry = [], ""
    for p in paras:
        if p in JOINED:
            carry += para_text(p)
            continue
        texts.append(carry + para_text(p))
        carry = ""
    assert carry == ""
    # table_at counts paragraphs as the reader sees them (joined ones as
    # one): shift by the joined paragraphs before each table
    for g in tables:
        g["at"] -= sum(1 for p in paras[:g["at"]] if p in JOINED)
    return {"paragraphs": texts, "tables": tables}


def deterministic(blob):
    """The same zip with fixed entry dates, so a re-run changes nothing."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main():
    os.makedirs(CORPUS, exist_ok=True)
    for name, build in FIXTURES:
        EXPECT.clear()
        JOINED.clear()
        d = build()
        expect = expectation(d)
        buf = io.BytesIO()
        d.save(buf)
        blob = deterministic(buf.getvalue())
        # the file must open again in python-docx
        docx.Document(io.BytesIO(blob))
        with open(os.path.join(HERE, name + ".docx"), "wb") as f:
            f.write(blob)
        with open(os.path.join(HERE, name + ".expect.json"), "w",
                  encoding="utf-8") as f:
            json.dump(expect, f, ensure_ascii=False, indent=1)
            f.write("\n")
        xml = zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml")
        with open(os.path.join(CORPUS, name + ".docx.bin"), "wb") as f:
            f.write(b"\0" + blob)
        with open(os.path.join(CORPUS, name + ".xml.bin"), "wb") as f:
            f.write(b"\1" + xml)
        print("%s.docx: %d bytes, %d paragraphs, %d tables" %
              (name, len(blob), len(expect["paragraphs"]),
               len(expect["tables"])))
    for name, body in SNIPPETS.items():
        with open(os.path.join(CORPUS, name + ".xml.bin"), "wb") as f:
            f.write(b"\1" + snippet_xml(body))
    with open(os.path.join(CORPUS, "105-doctype.xml.bin"), "wb") as f:
        f.write(b"\1<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a "
                b"\"aa\">]><d>&a;</d>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
