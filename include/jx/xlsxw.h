/*
 * xlsxw.h - write self-evaluations (项目支出绩效自评表) as an Excel
 * workbook (.xlsx, through libxlsxwriter): one worksheet per evaluation, in
 * the layout of the Ministry of Finance template (财预〔2020〕10号附件) and
 * of the seed documents, so that jx_xlsx_read (xlsx.h) and the sheet finder
 * (sheet.h, layout "mof") read back the same indicator lines, weights,
 * scores, funds and totals.
 *
 * Each sheet: the title 项目支出绩效自评表 and （YYYY年度）; the header block
 * 项目名称 / 主管部门 / 实施单位; the funds block 项目资金（万元）with
 * 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 for
 * 年度资金总额 and each source; 年度总体目标 with 预期目标 / 实际完成情况;
 * the indicator table 一级指标 / 二级指标 / 三级指标 / 年度指标值 /
 * 实际完成值 / 分值 / 得分 (/ 完成比例, the 完成率 as written, when any
 * indicator states one: the mof layout's synonym, which keeps the Shanxi layout
 * from claiming the table) / 偏差原因分析及改进措施, 一级 and 二级 cells merged
 * over their runs; the 总分 row and the 评价等级 row. A4 landscape fitted to
 * one page wide, the indicator header repeated on every page.
 *
 * Values are written as the evaluation states them: targets, actual
 * values, 完成率 and 执行率 as text; money, weights and scores as numbers
 * shown with their own decimals (money with at least two). Only when a
 * figure is not stated and a rule set is given are three figures computed
 * (score.h) and marked with a cell comment: the 得分 of the execution
 * line, the 总分 row's 分值 and 得分 (得分 only when every line could be
 * scored) and the grade. Indicator scores are never computed here. Not
 * written: the funds by government level (中央级 …), 实际到位资金, 资金结余,
 * 预算到位率, 度量单位 and 指标性质 (the template has no place for them).
 *
 * This module does not read workbooks (xlsx.h) and has no CLI command.
 */
#ifndef JX_XLSXW_H
#define JX_XLSXW_H

#include <stddef.h>

#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"

#define JX_XLSXW_SHEET_NAME 31 /* characters of a sheet name (Excel's) */

/*
 * Write evals[0..n) (n >= 1, none NULL) to a new workbook at path
 * (replaced if it exists). Sheet names come from each evaluation's title
 * (else its id, else "自评表N"), with []:*?/\ replaced by "_", cut to fit
 * JX_XLSXW_SHEET_NAME characters and made unique with "(2)", "(3)" ...
 * r may be NULL: then nothing is computed and unstated figures stay blank.
 *
 * Returns JX_OK; JX_EINVAL for bad arguments or a value the format cannot
 * hold (a text over 32767 characters; d names the evaluation and field);
 * JX_ENOMEM; JX_EIO when the file cannot be written (d names the file).
 * On failure no file is left at path unless one was there before and
 * could not be replaced.
 */
enum jx_err jx_xlsxw_eval(const char *path, const struct jx_eval *const *evals,
                          size_t n, const struct jx_rules *r,
                          struct jx_diag *d);

#endif
