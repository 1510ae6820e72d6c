/*
 * model.h - the self-evaluation (项目支出绩效自评) as jixiao holds it:
 * project identity, funds, goals and the indicator tree with every figure
 * the document states. Stated figures are kept as written beside what the
 * engine computes (score.h) so that the audit (audit.h) can compare them.
 *
 * All strings and arrays of a struct jx_eval live in its arena and die with
 * jx_eval_cleanup. A NULL string means the document does not state it; an
 * empty string means it states a blank cell. Money is exact (dec.h), in the
 * unit the document uses (funds.unit, usually 万元). Pure data, no I/O.
 */
#ifndef JX_MODEL_H
#define JX_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/arena.h"
#include "jx/dec.h"

/* One row of the funds table: 年度资金总额, a source or a government level. */
struct jx_fund_row {
	const char *name; /* "当年财政拨款", "上年结转资金", "市级" ... */
	struct jx_opt initial;  /* 年初预算数 */
	struct jx_opt annual;   /* 全年预算数 (after adjustments) */
	struct jx_opt received; /* 实际到位资金 */
	struct jx_opt executed; /* 全年执行数 (or to date, see funds.period) */
	struct jx_opt
	        exec_rate_stated; /* 执行率 as stated, percent (100 = 100%) */
	struct jx_opt received_rate_stated; /* 预算到位率 as stated, percent */
	struct jx_opt balance_stated;       /* 资金结余 as stated */
};

/* 项目资金: the funds block. */
struct jx_funds {
	const char *unit;   /* "万元" (default) or "元" */
	const char *period; /* NULL = full year; "1-6月" for a partial table */
	struct jx_fund_row total;   /* 年度资金总额 */
	struct jx_opt exec_weight;  /* 分值 of the execution line (10) */
	const char *exec_rate_text; /* 执行率 as written: "100%", "15%" */
	struct jx_opt exec_score_stated; /* 得分 of the execution line */
	struct jx_fund_row
	        *sources; /* 当年财政拨款 / 上年结转资金 / 其他资金 */
	size_t nsources;
	struct jx_fund_row *levels; /* 中央级 / 省级 / 市级 / 县区级 */
	size_t nlevels;
};

/* 年度总体目标: one expected goal and what was achieved. */
struct jx_goal {
	const char *expected; /* 预期目标 */
	const char *achieved; /* 实际完成情况 */
};

/* 三级指标: one level-3 indicator with its place in the tree. */
struct jx_indicator {
	const char *level1; /* 一级指标: "产出指标" */
	const char *level2; /* 二级指标: "数量指标" */
	const char *name;   /* 三级指标 */
	const char *target; /* 年度指标值 / 目标值, text as written */
	const char *actual; /* 实际完成值 / 业绩值, text as written */
	const char *unit;   /* 度量单位 column, when the layout has one */
	const char *nature; /* 指标性质 column ("≥", "≤", "=", "定性") */
	struct jx_opt weight;          /* 分值 / 权重 */
	struct jx_opt score_stated;    /* 得分 */
	const char *completion_stated; /* 完成率 as written: "98.06%" */
	const char *deviation_reason;  /* 偏差原因分析及改进措施 */
	int line;                      /* source line (1-based) or 0 */
};

/* 项目支出绩效自评表: one self-evaluation. */
struct jx_eval {
	const char *source;     /* file name (and ":line" for JSON Lines) */
	const char *id;         /* project code or the document's own id */
	const char *title;      /* 项目名称 */
	const char *unit;       /* 实施单位 */
	const char *department; /* 主管部门 */
	int year;               /* 年度; 0 when not stated */
	const char *kind;       /* "self" (default) or "monitoring" */
	const char *rules;      /* rule set the document asks for, or NULL */
	bool has_funds;
	struct jx_funds funds;
	struct jx_goal *goals;
	size_t ngoals;
	struct jx_indicator *indicators;
	size_t nindicators;
	struct jx_opt total_weight_stated; /* 总分 row: 分值 (100) */
	struct jx_opt total_score_stated;  /* 总分 row: 得分 */
	const char *grade_stated; /* 评价等级 as written: "优", "优秀" */
	struct jx_arena arena;    /* owns everything above */
};

/* Initialise e (caller's storage) empty, with its own arena. */
void jx_eval_init(struct jx_eval *e);

/* Free everything e owns; e is left empty. Accepts NULL. */
void jx_eval_cleanup(struct jx_eval *e);

/* Empty e for reuse, keeping its arena's first block. */
void jx_eval_reset(struct jx_eval *e);

/*
 * A new indicator, zeroed, at the end of e->indicators, which grows in e's
 * arena: *cap is the room the array has (0 before the first call; the
 * caller keeps it between calls). NULL when out of memory (e unchanged).
 */
struct jx_indicator *jx_eval_add_indicator(struct jx_eval *e, size_t *cap);

/* The same for a new goal at the end of e->goals. */
struct jx_goal *jx_eval_add_goal(struct jx_eval *e, size_t *cap);

/* The path "一级/二级/三级" of indicator i into buf; empty parts skipped. */
size_t jx_eval_indicator_path(const struct jx_indicator *ind, char *buf,
                              size_t cap);

#endif
