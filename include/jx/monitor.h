/*
 * monitor.h - judge one project's monitoring record (项目支出绩效目标执行
 * 监控表, 绩效运行监控 "双监控") for a period 1–N月: time progress (序时进度),
 * the execution rate to date and its warning light, per indicator the
 * deviation the data implies beside the one the filer confirmed, and the
 * findings the finance bureau needs: execution lagging time progress,
 * deviations the filer did not confirm, deviations without a cause
 * category, a likelihood or a corrective measure, targets judged impossible
 * (完全不可能), and a budget adjusted while the targets were not (seed 003).
 *
 * Every threshold comes from the rule set (struct jx_rules_monitor,
 * docs/rules.md "monitoring"). Money is integer 分 (fen); rates are exact
 * decimals (dec.h) rounded once for display, and every colour and every
 * deviation is decided on exact fractions, never on a rounded figure.
 * Targets and progress are read with value.h, words with the rule set's
 * vocabulary. Findings reuse struct jx_finding (audit.h); everything the
 * result holds lives in the caller's arena.
 *
 * Pure: no I/O, no clock (the caller passes dates), no globals. This
 * module does not store records, pick projects for monitoring, score
 * anything, or write the 监控情况表 (io does).
 */
#ifndef JX_MONITOR_H
#define JX_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/audit.h"
#include "jx/dec.h"
#include "jx/err.h"
#include "jx/rules.h"

/* Ceilings of one record (checked by jx_monitor_run). */
#define JX_MONITOR_MAX_INDICATORS 2000 /* = JX_MAX_INDICATORS */
#define JX_MONITOR_MAX_EVENTS     1000 /* adjustments, goal versions */
#define JX_MONITOR_AMOUNT_MAX     INT64_C(1000000000000000) /* 10^15 fen */

/* 偏差原因 category (D3; codes of V9/V10 in shared/docs/rules.md §9). */
enum jx_mon_cause {
	JX_MON_CAUSE_NONE = 0,
	JX_MON_CAUSE_FUNDS,    /* 经费保障 */
	JX_MON_CAUSE_POLICY,   /* 制度保障 */
	JX_MON_CAUSE_STAFF,    /* 人员保障 */
	JX_MON_CAUSE_HARDWARE, /* 硬件条件保障 */
	JX_MON_CAUSE_OTHER     /* 其他 */
};

/* 完成目标可能性 (codes 1/2/3 of V9/V10). */
enum jx_mon_likely {
	JX_MON_LIKELY_NONE = 0,
	JX_MON_LIKELY_SURE,  /* 确定能 */
	JX_MON_LIKELY_MAYBE, /* 有可能 */
	JX_MON_LIKELY_NEVER  /* 完全不可能 */
};

/* A yes/no the form may leave blank (存在偏差). */
enum jx_mon_flag {
	JX_MON_BLANK = 0, /* not stated, or (computed) cannot be told */
	JX_MON_NO,
	JX_MON_YES
};

/* The execution warning light (预警灯). */
enum jx_mon_light {
	JX_MON_LIGHT_NONE = 0, /* no budget, or no time progress yet */
	JX_MON_GREEN,
	JX_MON_YELLOW,
	JX_MON_RED
};

/* How an indicator's deviation was computed (jx_mon_ind_result.basis). */
enum jx_mon_how {
	JX_MON_HOW_NONE = 0, /* not computable: the filer's judgement stands */
	JX_MON_HOW_TIME,   /* cumulative: progress vs target × time progress */
	JX_MON_HOW_TARGET, /* a rate or bound: progress vs the full target */
	JX_MON_HOW_EXPECTED,   /* 全年预计完成 vs the target */
	JX_MON_HOW_QUALITATIVE /* a tier-2/3 word (或 number) for progress */
};

/* One indicator of the record, as the filer states it. Strings are
 * borrowed; NULL or "" means blank. */
struct jx_mon_indicator {
	const char *level1; /* 一级指标 */
	const char *level2; /* 二级指标 */
	const char *name;   /* 三级指标 */
	const char *target; /* 年度指标值, as written: "40万元", "≥90%" */
	const char *progress; /* 1–N月执行情况 (progress to date) */
	const char *expected; /* 全年预计完成情况 (expected full-year value) */
	enum jx_mon_flag deviation; /* 存在偏差, as confirmed by the filer */
	enum jx_mon_cause cause;    /* 偏差原因 category */
	const char *cause_text;     /* 偏差原因分析 (free text) */
	enum jx_mon_likely likely;  /* 完成目标可能性 */
	const char *measure;        /* 纠偏措施 (corrective measure) */
};

/* A budget adjustment (预算调整): date YYYY-MM-DD, signed amount. */
struct jx_mon_adjustment {
	const char *date;
	int64_t amount_fen; /* negative cuts */
};

/* A version of the project's performance goals (绩效目标) and its date
 * (approved or created, as the caller keeps it). targets_changed is false
 * for a version whose indicator targets equal its predecessor's: it does
 * not follow an adjustment. The first version sets the targets (true). */
struct jx_mon_goalver {
	const char *date;
	bool targets_changed;
};

/* One project's monitoring record for 1–N月 of `year`. Borrowed. */
struct jx_monitor {
	const char *title;     /* 项目名称, for messages; may be NULL */
	int year;              /* fiscal year, 1990..2100 */
	int period_month;      /* N of 1–N月, 1..12 */
	const char *as_of;     /* YYYY-MM-DD the figures are as of; NULL = the
	                          last day of month N */
	const char *due;       /* 报送截止日期 YYYY-MM-DD, or NULL */
	const char *submitted; /* date filed YYYY-MM-DD, or NULL */
	bool has_initial;
	int64_t initial_fen; /* 年初预算数 */
	bool has_budget;
	int64_t budget_fen; /* 全年预算数 (after adjustments): the rate's base
	                     */
	bool has_executed;
	int64_t executed_fen; /* 1–N月执行数 (executed to date) */
	bool has_expected;
	int64_t expected_fen; /* 全年预计执行数, optional */
	const struct jx_mon_indicator *indicators;
	size_t nindicators;
	const struct jx_mon_adjustment *adjustments; /* any order */
	size_t nadjustments;
	const struct jx_mon_goalver *goalvers; /* any order */
	size_t ngoalvers;
};

/* What the data says about one indicator. */
struct jx_mon_ind_result {
	enum jx_mon_flag computed; /* BLANK: cannot be computed */
	enum jx_mon_how how;       /* what decided `computed` */
	bool cumulative;           /* compared with target × time progress */
	bool has_share;
	jx_dec share; /* progress as a percentage of the target, 2
	                 places (0 万元 of 40 -> 0.00) */
	bool has_due;
	jx_dec due;      /* target × time progress, in the target's unit as
	                    written, 6 places (40万元 at 50% -> 20) */
	bool exists;     /* a deviation exists: the filer says 是, or the
	                    likelihood is not 确定能 (so cause, likelihood
	                    and measure are required) */
	const char *why; /* zh-CN: how it was computed, or why it could
	                    not be (never NULL after a successful run) */
};

/* How the targets followed the budget (seed 003's problem). */
struct jx_mon_follow {
	bool judged;  /* there were goal versions and adjustments to judge */
	bool lagging; /* warned: adjusted, targets not followed, past the
	                 grace period */
	bool pending; /* adjusted, not followed, still within the grace */
	const char *targets_date;     /* the last version that set targets */
	const char *first_unfollowed; /* the first adjustment after it */
	size_t nunfollowed;           /* adjustments after it (to as_of) */
	int64_t net_fen;              /* their sum */
	bool has_base;
	int64_t base_fen; /* the budget the targets were set for: initial +
	                     adjustments up to targets_date */
	bool has_change;
	jx_dec change; /* net / base as a percentage, 2 places */
};

struct jx_mon_result {
	char as_of[11];         /* the as-of date used, YYYY-MM-DD */
	int64_t tp_num, tp_den; /* time progress, exactly tp_num / tp_den */
	jx_dec time_progress;   /* the same as a percentage, 2 places */
	bool has_rate;
	jx_dec exec_rate; /* executed / budget as a percentage, 2 places;
	                     exactly it is m->executed_fen / m->budget_fen,
	                     and the light is decided on that fraction */
	bool has_ratio;
	jx_dec ratio; /* exec rate / time progress as a percentage, 2 places */
	bool has_gap;
	jx_dec gap; /* time progress - exec rate, points, 2 places (>0 lags) */
	enum jx_mon_light light;
	bool has_expected_rate;
	jx_dec expected_rate; /* 全年预计执行数 / budget, percent, 2 places */
	struct jx_mon_ind_result *ind; /* one per indicator */
	size_t ncomputed;              /* indicators with computed == YES */
	size_t nconfirmed;             /* indicators the filer marks 是 */
	size_t nimpossible;            /* indicators judged 完全不可能 */
	size_t ncost; /* cost indicators: money targets, ≤, cumulative */
	int64_t cost_targets_fen; /* the sum of their targets (rounded to 分) */
	struct jx_mon_follow follow;
	struct jx_findings findings;
};

/*
 * Judge record m under rule set r into *out (caller's storage; everything
 * it points to is allocated from `arena` and lives as long as it; borrowed
 * strings of m may be referenced). r is required: its "monitoring"
 * object, its vocabulary (tiers of words) and its bare-target comparisons
 * are used.
 *
 * Finding codes (stable; severity error = a required item is missing):
 *   MON_EXEC_LAG (warning)        execution light yellow or red
 *   MON_EXEC_OVER (warning)       executed or expected above the budget
 *   MON_LATE (warning)            submitted after the due date
 *   MON_NO_PROGRESS (warning)     a cumulative indicator with 0 progress
 *   MON_NOT_COMPARABLE (warning)  progress cannot be compared with the
 *                                 target (different units, unreadable)
 *   MON_PROGRESS_MISSING (warning) neither progress nor expected value
 *   MON_DEVIATION_UNCONFIRMED (warning) computed deviation, filer 否/blank
 *   MON_LIKELY_CONTRADICTS (warning) filer 否 but 有可能/完全不可能
 *   MON_CAUSE_REQUIRED (error)    a deviation without a cause category
 *   MON_MEASURE_REQUIRED (error)  a deviation without a corrective measure
 *   MON_LIKELY_REQUIRED (error)   a deviation without a likelihood
 *   MON_IMPOSSIBLE (warning)      完全不可能: for the finance bureau
 *   MON_TARGETS_NOT_ADJUSTED (warning) budget adjusted, targets not
 *   MON_COST_OVER_BUDGET (warning) the money targets of the cost
 *                                 indicators add up to more than the
 *                                 budget (targets set for an old budget)
 *
 * Returns JX_OK; JX_EINVAL when m is not a valid record (d names the field:
 * "year", "period_month", "as_of", "due", "submitted", "budget_fen",
 * "executed_fen", "adjustments[2].date", ... with a zh-CN message);
 * JX_ETOOBIG past a ceiling above; JX_ENOMEM. On failure *out is empty.
 */
enum jx_err jx_monitor_run(const struct jx_monitor *m, const struct jx_rules *r,
                           struct jx_arena *arena, struct jx_mon_result *out,
                           struct jx_diag *d);

/*
 * Time progress of 1–N月 of `year` as the exact fraction *num / *den:
 * under time_basis month N/12; under day the day of the year of as_of
 * (NULL: the last day of month N) over the days in the year, 0 before the
 * year and the whole year after it. r NULL means month. JX_EINVAL for a
 * month outside 1..12, a year outside 1990..2100 or a bad date.
 */
enum jx_err jx_monitor_time_progress(const struct jx_rules *r, int year,
                                     int month, const char *as_of, int64_t *num,
                                     int64_t *den);

/*
 * The light of executed_fen out of budget_fen against time progress
 * num/den (den > 0) under r's thresholds (NULL: the defaults). NONE when
 * the budget is <= 0, or with the ratio basis while num is 0.
 */
enum jx_mon_light jx_monitor_light(const struct jx_rules *r,
                                   int64_t executed_fen, int64_t budget_fen,
                                   int64_t num, int64_t den);

/*
 * Whether the targets followed the budget (filled into *out; strings point
 * into adj/gv or are allocated from arena): the last goal version dated
 * on or before as_of with targets_changed sets the targets; adjustments
 * dated after it (up to as_of) are unfollowed; their net sum counts when
 * its size exceeds r's adjust_min × the budget the targets were set for
 * (initial + adjustments up to then; any non-zero sum when that is not
 * known); it is `lagging` once goal_follow_days have passed since the
 * first unfollowed adjustment, `pending` before. No goal version or no
 * adjustment: judged is false. JX_EINVAL for a NULL r, arena or out, a
 * bad as_of or a bad date (d names "adjustments[i].date" or
 * "goal_versions[i].date"); JX_ENOMEM. On failure *out is untouched.
 */
enum jx_err jx_monitor_follow(const struct jx_rules *r, bool has_initial,
                              int64_t initial_fen,
                              const struct jx_mon_adjustment *adj, size_t nadj,
                              const struct jx_mon_goalver *gv, size_t ngv,
                              const char *as_of, struct jx_arena *arena,
                              struct jx_mon_follow *out, struct jx_diag *d);

/* Names (static, zh-CN): "经费保障" ..., "确定能" ..., "是"/"否"/"",
 * "绿灯"/"黄灯"/"红灯"/"" and the stable English "green"/"yellow"/"red"/
 * "none". */
const char *jx_monitor_cause_name(enum jx_mon_cause c);
const char *jx_monitor_likely_name(enum jx_mon_likely l);
const char *jx_monitor_flag_name(enum jx_mon_flag f);
const char *jx_monitor_light_name(enum jx_mon_light l);
const char *jx_monitor_light_key(enum jx_mon_light l);

/*
 * Read what a form writes (NUL-terminated, spaces and full-width forms
 * folded; NULL or blank gives NONE / BLANK and JX_OK):
 *   cause:  经费 经费保障 经费原因 资金 资金原因 | 制度 制度保障 制度原因
 *           政策 政策原因 | 人员 人员保障 人员原因 | 硬件 硬件条件
 *           硬件条件保障 硬件保障 硬件原因 | 其他 其他原因 其它 其它原因.
 *           No numeric codes: the vendors' code lists disagree.
 *   likely: 确定能 能 | 有可能 可能 | 完全不可能 不可能, or the codes
 *           "1" "2" "3" that both vendors use.
 *   flag:   是 有 Y yes | 否 无 N no (letters in any case).
 * JX_EINVAL for anything else (out untouched).
 */
enum jx_err jx_monitor_cause_parse(const char *s, enum jx_mon_cause *out);
enum jx_err jx_monitor_likely_parse(const char *s, enum jx_mon_likely *out);
enum jx_err jx_monitor_flag_parse(const char *s, enum jx_mon_flag *out);

#endif
