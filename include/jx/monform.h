/*
 * monform.h - the 项目支出绩效目标执行监控情况表 (the monitoring table of
 * seed 001) of one record as a block document (doc.h), ready for the Word
 * and PDF writers: the project block, the funds to date with the time
 * progress, execution rate and warning light jixiao computed, the
 * indicator table (一级 / 二级 / 三级 / 年度指标值 / 1-N月执行情况 / 全年预计
 * 完成情况 / 存在偏差 / 偏差原因 / 完成目标的可能性 / 纠偏措施 / 核查) with
 * 一级 and 二级 merged over their runs, the 项目执行情况总结, and a section
 * listing the warnings. Pure: builds blocks in the document's arena.
 */
#ifndef JX_MONFORM_H
#define JX_MONFORM_H

#include "jx/doc.h"
#include "jx/err.h"
#include "jx/monitor.h"

/* What the table shows besides struct jx_monitor (all may be NULL). */
struct jx_monform_text {
	const char *unit;       /* 项目执行单位名称 */
	const char *department; /* 部门名称 */
	const char *overview;   /* 项目进度总体概述 */
	const char *analysis;   /* 存在偏差原因分析 */
	const char *next_steps; /* 下一步工作措施 */
};

/*
 * Append the monitoring table of m, judged as res (jx_monitor_run of m),
 * to doc (landscape). JX_OK, JX_EINVAL (bad arguments), JX_ENOMEM or
 * JX_ETOOBIG (over the grid's limits), with d saying so.
 */
enum jx_err jx_monform_doc(struct jx_doc *doc, const struct jx_monitor *m,
                           const struct jx_mon_result *res,
                           const struct jx_monform_text *t, struct jx_diag *d);

#endif
