/*
 * form.h - the 项目支出绩效自评表 of a self-evaluation as a block document
 * (doc.h), for the renderers to write as Word (docxw.h) or PDF (pdf.h).
 *
 * The table is the one xlsxw.h writes into a worksheet, cell for cell and
 * merge for merge (the Ministry of Finance template, 财预〔2020〕10号附件):
 * the header block 项目名称 / 主管部门 / 实施单位; the funds block
 * 项目资金（万元）with 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 /
 * 得分 for 年度资金总额 and each source (only when the evaluation has a
 * funds block); 年度总体目标 with 预期目标 / 实际完成情况; the indicator
 * table 一级指标 / 二级指标 / 三级指标 / 年度指标值 / 实际完成值 / 分值 /
 * 得分 (/ 完成比例, when any indicator states a 完成率) / 偏差原因分析及
 * 改进措施, 一级 and 二级 merged over their runs; the 总分 row and the
 * 评价等级 row. So the sheet finder (sheet.h, layout "mof") reads the grid
 * back into the same evaluation; the title and the year are blocks of the
 * document above the table (a reader finds the year in the text).
 *
 * What is written as stated and what is computed follows xlsxw.h: values
 * as the evaluation states them (money with at least two decimals, weights
 * and scores with their own); only when a figure is not stated and a rule
 * set is given are the 得分 of the execution line, the 总分 row's 分值 and
 * 得分 (得分 only when every line could be scored) and the grade computed
 * (score.h), and a note under the table says which, and under which rule
 * set. Indicator scores are never computed here.
 *
 * Pure: memory only, everything in the document's arena. It neither
 * renders nor reads documents.
 */
#ifndef JX_FORM_H
#define JX_FORM_H

#include "jx/doc.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"

/*
 * Append the 项目支出绩效自评表 of e to doc: the title 项目支出绩效自评表,
 * the subtitle （YYYY年度） when e->year is set, the table (header_rows 2:
 * the 项目名称 / 主管部门 rows, repeated on each page; relative column
 * widths; numbers right-aligned; the column-header rows and the 总分 row
 * bold) and, when figures were computed, a note saying which. Sets
 * doc->landscape, and doc->title when it is NULL. r may be NULL: nothing is
 * computed and unstated figures stay blank. e and r are only read; the
 * document copies what it keeps.
 *
 * Returns JX_OK; JX_EINVAL (doc or e NULL); JX_ENOMEM; JX_ETOOBIG (a limit
 * of grid.h or doc.h). On failure d says why and doc may hold some of the
 * blocks (discard it).
 */
enum jx_err jx_form_selfeval(struct jx_doc *doc, const struct jx_eval *e,
                             const struct jx_rules *r, struct jx_diag *d);

/*
 * Append only the table of jx_form_selfeval (and its note on computed
 * figures), without title, subtitle or page orientation: the 自评表 as a
 * table inside another document (the "selfeval" table of an outline,
 * outline.h). Same arguments and returns.
 */
enum jx_err jx_form_selfeval_table(struct jx_doc *doc, const struct jx_eval *e,
                                   const struct jx_rules *r, struct jx_diag *d);

/*
 * The columns of the funds block (项目资金), shared with the workbook
 * writer (xlsxw.c) so that both lay it out alike. The template's block is
 * 资金来源 / 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分
 * (columns 1..7); when e states 实际到位资金, 资金结余 or 预算到位率 for any
 * row, or funds by government level (中央级 …), the block grows to
 * 资金来源 / 年初预算数 / 全年预算数 / 实际到位资金 / 全年执行数 / 资金结余 /
 * 分值 / 执行率 / 预算到位率 / 得分 (columns 1..10) and lists the levels
 * after the sources, so that nothing the evaluation states is lost. 0 means
 * the column is not shown. The 得分 cell runs from `score` to the table's
 * last column.
 */
struct jx_form_funds_cols {
	unsigned initial, annual, received, executed, balance;
	unsigned weight, rate, received_rate, score;
	unsigned ncols; /* columns the block needs, column 0 included */
	bool levels;    /* rows by government level follow the sources */
};

void jx_form_funds_cols(const struct jx_eval *e, struct jx_form_funds_cols *c);

#endif
