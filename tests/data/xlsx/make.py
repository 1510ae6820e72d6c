#!/usr/bin/python3
"""make.py - generate the xlsx fixtures of the xlsx reader's tests.

The files are written by python3-openpyxl (Debian's, /usr/bin/python3), an
independent writer, and committed, so the tests need no Python. What
openpyxl 3.0 cannot write (inline strings, rich-text runs, phonetic runs,
cells without an r attribute, the 1904 date system) is put in afterwards
by rewriting a part of the zip with Python's zipfile; the rest is
openpyxl's own output.

  make.py                 write the fixtures beside this script
  make.py bench DIR N     write N self-evaluation tables (the seeds of
                          tests/data/seeds, varied) into DIR, for timing

Each fixture's expected cells are in tests/unit/test_xlsx.c.
"""
import datetime
import json
import os
import re
import sys
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, '..', 'seeds')

# Fixed timestamps, so that the files are the same bytes on every run.
FIXED = datetime.datetime(2022, 1, 1, 0, 0, 0)


def save(wb, path):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)
    # openpyxl stamps zip entries with the current time; make them fixed
    rewrite(path, {})


def rewrite(path, changes):
    """Replace parts of the zip at path: changes maps name -> function
    from the old text to the new."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name in changes:
                data = changes[name](data.decode('utf-8')).encode('utf-8')
            info = zipfile.ZipInfo(name, date_time=(2022, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def to_shared(path, extra=(), convert=True):
    """Turn every inline string of every sheet into a shared string, as
    Excel writes them (openpyxl 3.0 writes inline strings), and append the
    raw <si> elements of extra to the table."""
    table, index = [], {}

    def share(m):
        xml = m.group(2)
        if xml not in index:
            index[xml] = len(table)
            table.append(xml)
        return '%s t="s"><v>%d</v></c>' % (m.group(1), index[xml])

    def sheet(xml):
        return re.sub(r'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) '
                      r't="inlineStr"><is>(.*?)</is></c>', share, xml,
                      flags=re.S)

    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist()
                 if n.startswith('xl/worksheets/sheet')]
    if convert:
        rewrite(path, {n: sheet for n in names})
    sis = ['<si>%s</si>' % t for t in table] + list(extra)
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main" count="%d" uniqueCount="%d">%s</sst>'
           % (len(sis), len(sis), ''.join(sis)))
    with zipfile.ZipFile(path, 'a', zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo('xl/sharedStrings.xml',
                               date_time=(2022, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, sst)
    rewrite(path, {
        '[Content_Types].xml': lambda x: x.replace(
            '</Types>',
            '<Override PartName="/xl/sharedStrings.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'),
        'xl/_rels/workbook.xml.rels': lambda x: x.replace(
            '</Relationships>',
            '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>')})
    return len(table)


def basic(path):
    """Numbers, percents, dates, strings, booleans, merges, gaps, several
    sheets (one hidden)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = '自评表'
    ws['A1'] = '项目支出绩效自评表'
    ws.merge_cells('A1:F1')
    ws['A2'] = '项目名称'
    ws['B2'] = '预算、绩效、支付电子一体化信息化建设项目'
    ws.merge_cells('B2:F2')
    # numbers as numbers
    ws['A3'] = 131.4
    ws['B3'] = 0.015
    ws['C3'] = 10
    ws['D3'] = -2.5
    ws['E3'] = 0.1 + 0.2  # stored as 0.30000000000000004
    ws['F3'] = 1e20
    # percent formats
    ws['A4'] = 0.9806
    ws['A4'].number_format = '0.00%'
    ws['B4'] = 0.95
    ws['B4'].number_format = '0%'
    ws['C4'] = 1
    ws['C4'].number_format = '0%'
    ws['D4'] = 0.15
    ws['D4'].number_format = '0.0%'
    ws['E4'] = '95%'  # text that looks like a percentage stays text
    ws['F4'] = 0.95  # a fraction without a percent format stays one
    # dates: openpyxl's own format, built-in 14, a Chinese custom format
    ws['A5'] = datetime.date(2021, 3, 5)
    ws['B5'] = datetime.date(2021, 12, 31)
    ws['B5'].number_format = 'mm-dd-yy'  # built-in id 14
    ws['C5'] = datetime.date(2022, 1, 1)
    ws['C5'].number_format = 'yyyy"年"m"月"d"日"'
    ws['D5'] = datetime.datetime(2021, 6, 30, 12, 0, 0)
    ws['E5'] = datetime.time(14, 30, 15)
    ws['E5'].number_format = 'hh:mm:ss'
    ws['F5'] = 45000.5
    ws['F5'].number_format = '#,##0.00"万元"'
    # booleans; a row left empty (6); gaps inside a row
    ws['A7'] = True
    ws['B7'] = False
    ws['D7'] = '中间空一格'
    ws['F9'] = '孤单的格'
    ws['A10'] = '产出指标'
    ws.merge_cells('A10:A12')
    ws['B10'] = '数量指标'
    ws['B11'] = '质量指标'
    ws['B12'] = '时效指标'
    ws['A13'] = '  前后有空格  '
    ws['A14'] = '第一行\n第二行'
    ws['A15'] = '=SUM(A3:C3)'  # a formula openpyxl stores without value
    ws2 = wb.create_sheet('隐藏的表')
    ws2['A1'] = 'hidden'
    ws2.sheet_state = 'hidden'
    ws3 = wb.create_sheet('Sheet3')
    ws3['B2'] = '第三张表'
    ws3['B2'].font = Font(bold=True)
    ws3['B2'].alignment = Alignment(wrap_text=True)
    wb.create_sheet('空表')
    save(wb, path)
    to_shared(path)


def inline(path):
    """Inline strings, rich text, phonetic runs, escapes and cells with no
    r attribute: openpyxl writes the cells, then the sheet is rewritten."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'inline'
    ws['A1'] = 'x'
    ws['B1'] = 'y'
    ws['A2'] = 1
    ws['A3'] = 'z'
    save(wb, path)

    def sheet(xml):
        data = (
            '<sheetData>'
            # inline string; rich runs joined; phonetic runs skipped
            '<row r="1"><c r="A1" t="inlineStr"><is><t>内联文字</t></is></c>'
            '<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>绩效</t></r>'
            '<r><t xml:space="preserve"> 目标</t></r>'
            '<rPh sb="0" eb="1"><t>じせき</t></rPh></is></c>'
            '<c r="C1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
            '<c r="D1" t="e"><v>#DIV/0!</v></c></row>'
            # no r attributes: position by order
            '<row><c t="inlineStr"><is><t>第二行A</t></is></c>'
            '<c><v>2.50</v></c><c t="b"><v>1</v></c></row>'
            '<row r="5"><c t="inlineStr"><is><t>第五行A</t></is></c>'
            '<c r="D5"><v>1.5E-2</v></c><c><v>7</v></c></row>'
            '<row><c t="inlineStr"><is><t>行_x000D_尾_x005F_x0041_</t>'
            '</is></c></row>'
            # shared strings: rich runs, a phonetic run, an escape
            '<row r="7"><c r="A7" t="s"><v>0</v></c><c r="B7" t="s">'
            '<v>1</v></c><c r="C7" t="s"><v>2</v></c>'
            '<c r="D7"><v>0.30000000000000004</v></c>'
            '<c r="E7"><v>12345678901234567</v></c>'
            '<c r="F7"><v>-0.0</v></c></row>'
            '</sheetData>')
        return re.sub(r'<sheetData>.*</sheetData>|<sheetData/>', data, xml,
                      flags=re.S)

    rewrite(path, {'xl/worksheets/sheet1.xml': sheet})
    to_shared(path, convert=False, extra=(
        '<si><r><t>共享</t></r><r><rPr><i/></rPr><t>富文本</t></r></si>',
        '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh>'
        '<phoneticPr fontId="1"/></si>',
        '<si><t>a_x0009_b</t></si>'))


def date1904(path):
    """The 1904 date system (Excel for Mac of old)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws['A1'] = 0
    ws['A1'].number_format = 'yyyy-mm-dd'
    ws['A2'] = 43830  # 2024-01-01 in the 1904 system
    ws['A2'].number_format = 'yyyy-mm-dd'
    save(wb, path)
    rewrite(path, {'xl/workbook.xml': lambda x: re.sub(
        r'<workbookPr[^>]*/>', '<workbookPr date1904="1"/>', x)})


def big(path, rows=20000):
    """A sheet of 20,000 rows: row r holds r, "行r", r/100 and a percent."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet('大表')
    for r in range(1, rows + 1):
        ws.append([r, '行%d' % r, r / 100])
    save(wb, path)


def fen(v):
    return '' if v is None else v


def seed_table(wb, e, title=None):
    """A 项目支出绩效自评表 in the Ministry of Finance layout from one
    self-evaluation in the interchange format."""
    ws = wb.create_sheet((title or e.get('id') or '自评表')[:31])
    f = e.get('funds') or {}
    ws.append(['项目支出绩效自评表'])
    ws.merge_cells('A1:H1')
    ws.append(['（%s年度）' % e.get('year', '')])
    ws.merge_cells('A2:H2')
    ws.append(['项目名称', e.get('title') or ''])
    ws.merge_cells('B3:H3')
    ws.append(['主管部门', e.get('department') or '', '', '', '实施单位',
               e.get('unit') or ''])
    ws.merge_cells('B4:D4')
    ws.merge_cells('F4:H4')
    ws.append(['项目资金（万元）', '', '年初预算数', '全年预算数',
               '全年执行数', '分值', '执行率', '得分'])
    rate = None
    if f.get('annual_budget') and f.get('executed') is not None:
        rate = f['executed'] / f['annual_budget']
    ws.append(['', '年度资金总额', fen(f.get('initial_budget')),
               fen(f.get('annual_budget')), fen(f.get('executed')),
               fen(f.get('exec_weight')), fen(rate),
               fen(f.get('exec_score_stated'))])
    if rate is not None:
        ws.cell(row=ws.max_row, column=7).number_format = '0.00%'
    for name, row in (f.get('sources') or {}).items():
        if isinstance(row, list):  # [initial, annual, executed]
            row = dict(zip(('initial', 'annual', 'executed'), row))
        ws.append(['', name, fen(row.get('initial')),
                   fen(row.get('annual')), fen(row.get('executed'))])
    ws.merge_cells('A5:A%d' % ws.max_row)
    ws.append(['年度总体目标', '预期目标', '', '', '实际完成情况'])
    start = ws.max_row
    for g in e.get('goals') or []:
        ws.append(['', g.get('expected') or '', '', '',
                   g.get('achieved') or ''])
    ws.merge_cells('A%d:A%d' % (start, ws.max_row))
    ws.append(['一级指标', '二级指标', '三级指标', '年度指标值',
               '实际完成值', '分值', '得分', '偏差原因分析及改进措施'])
    first = ws.max_row + 1
    prev = None
    for i in e.get('indicators') or []:
        ws.append([i.get('level1') or '', i.get('level2') or '',
                   i.get('name') or '', i.get('target') or '',
                   i.get('actual') or '', fen(i.get('weight')),
                   fen(i.get('score_stated')),
                   i.get('deviation_reason') or ''])
        r = ws.max_row
        if prev is not None and i.get('level1') == prev[0]:
            ws.cell(row=r, column=1).value = None
        else:
            if prev is not None and prev[1] < r - 1:
                ws.merge_cells('A%d:A%d' % (prev[1], r - 1))
            prev = (i.get('level1'), r)
    if prev is not None and prev[1] < ws.max_row:
        ws.merge_cells('A%d:A%d' % (prev[1], ws.max_row))
    ws.append(['总分', '', '', '', '', fen(e.get('total_weight_stated')),
               fen(e.get('total_score_stated')), e.get('grade_stated') or ''])
    ws.merge_cells('A%d:E%d' % (ws.max_row, ws.max_row))
    ws.column_dimensions['C'].width = 30
    return ws, first


def seeds():
    out = []
    for name in sorted(os.listdir(SEEDS)):
        if name.endswith('.json'):
            with open(os.path.join(SEEDS, name), encoding='utf-8') as fp:
                out.append((name[:-5], json.load(fp)))
    return out


def seed_files():
    for name, e in seeds():
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        seed_table(wb, e, '自评表')
        save(wb, os.path.join(HERE, 'seed-%s.xlsx' % name))


def bench(outdir, n):
    """n tables: the seeds in turn, each copy with its own title and
    figures so that no two files are the same."""
    os.makedirs(outdir, exist_ok=True)
    base = seeds()
    for k in range(n):
        name, e = base[k % len(base)]
        e = json.loads(json.dumps(e))
        e['title'] = '%s（第%d号）' % (e.get('title') or '', k)
        f = e.get('funds') or {}
        if f.get('annual_budget'):
            f['annual_budget'] = round(f['annual_budget'] + k / 100, 2)
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        seed_table(wb, e, '自评表')
        wb.save(os.path.join(outdir, 'eval-%04d.xlsx' % k))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'bench':
        bench(sys.argv[2], int(sys.argv[3]))
        return
    basic(os.path.join(HERE, 'basic.xlsx'))
    inline(os.path.join(HERE, 'inline.xlsx'))
    date1904(os.path.join(HERE, 'date1904.xlsx'))
    big(os.path.join(HERE, 'big.xlsx'))
    seed_files()


if __name__ == '__main__':
    main()
