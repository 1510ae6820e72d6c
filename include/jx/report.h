/*
 * report.h - the findings of a batch check (`jixiao check --report`) as one
 * Excel workbook (.xlsx, through libxlsxwriter), for the department that
 * reviews many self-evaluations at once.
 *
 * The workbook holds, in this order: the sheet 部门汇总 (per 主管部门: the
 * number of files, of self-evaluations, of self-evaluations with errors, the
 * error and warning counts and the most common finding codes, then a 合计
 * row); one sheet per input file with one row per finding (文件 / 项目 /
 * 代码 / 严重程度 错误|警告 / 位置 / 填报值 / 计算值 / 说明); and the sheet
 * 无法读取的文件 listing every file that could not be read with the reason
 * (a header only when every file was read).
 *
 * Findings are taken as the audit computed them (audit.h); confirmations
 * (JX_SEV_OK) are not listed. Strings are copied: the caller may reset its
 * arena after each call. This module neither reads, scores nor audits
 * documents, and prints nothing.
 */
#ifndef JX_REPORT_H
#define JX_REPORT_H

#include <stddef.h>

#include "jx/audit.h"
#include "jx/err.h"
#include "jx/model.h"

struct jx_report; /* private to report.c */

/*
 * Start a report to be written at path (replaced when jx_report_close
 * succeeds; nothing is written there before). *out is set on JX_OK.
 * Returns JX_OK, JX_EINVAL (bad arguments), JX_ENOMEM or JX_EIO (the
 * temporary file beside path cannot be created; d names it).
 */
enum jx_err jx_report_open(const char *path, struct jx_report **out,
                           struct jx_diag *d);

/*
 * Add the findings f of self-evaluation e read from file (e->source when
 * file is NULL). Consecutive calls with the same file share its sheet; a
 * file seen again later gets its own sheet. Returns JX_OK, JX_EINVAL (bad
 * arguments or a report already failed) or JX_ENOMEM.
 */
enum jx_err jx_report_add(struct jx_report *rp, const char *file,
                          const struct jx_eval *e, const struct jx_findings *f);

/*
 * Record that file (or part of it, e.g. one line of a JSON Lines file:
 * line > 0) could not be read, with the reason (zh-CN). Returns JX_OK,
 * JX_EINVAL or JX_ENOMEM.
 */
enum jx_err jx_report_add_unreadable(struct jx_report *rp, const char *file,
                                     int line, const char *reason);

/*
 * Write the workbook and free rp (also on failure). Returns JX_OK,
 * JX_ENOMEM, or JX_EIO when the file cannot be written (d names it); on
 * failure nothing is left at path unless it was there before.
 */
enum jx_err jx_report_close(struct jx_report *rp, struct jx_diag *d);

/* Free rp without writing anything (NULL is fine). */
void jx_report_discard(struct jx_report *rp);

#endif
