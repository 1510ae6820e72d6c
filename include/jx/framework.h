/*
 * framework.h - evaluation frameworks (绩效评价指标体系) as data, and the
 * scoring of an evaluation (绩效评价) on one: lines 一级 / 二级 / 三级 with
 * 指标解释, 评价标准, a weight and a scoring rule of one of the kinds of
 * ../shared/docs/rules.md §8 (ratio, threshold with a deduction per step,
 * percentage of the weight per point, bands, checklist deductions, count
 * deductions, manual with a reason). A framework file without inputs is a
 * template (rules/frameworks/); an evaluation is the same document with
 * each line's evidence ("input") and, when the evaluators' table is being
 * checked, the score it states ("stated"). The format is in docs/rules.md,
 * "Evaluation frameworks".
 *
 * Scoring computes each line's score from its rule and input, exactly
 * (dec.h, rounded once per line to the framework's places), with a zh-CN
 * trace of why; the total; the grade by a rule set's grade bands; and
 * findings where the stated table disagrees (a line score its own written
 * rule does not give, weights not summing to 100, the total, the grade).
 * Pure: no I/O; everything lives in the caller's arena.
 */
#ifndef JX_FRAMEWORK_H
#define JX_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/arena.h"
#include "jx/audit.h"
#include "jx/dec.h"
#include "jx/err.h"
#include "jx/rules.h"

#define JX_FW_MAX_LINES 500 /* lines of one framework */
#define JX_FW_MAX_BANDS 20  /* bands of one line */
#define JX_FW_TRACE     320 /* bytes of one line's trace */

enum jx_fw_kind {
	JX_FW_RATIO,     /* w * min(a / t, 1), or t / a when lower is better */
	JX_FW_THRESHOLD, /* full at or above full_at, else deduct per step */
	JX_FW_PCT,       /* full at full_at, each point below costs pct% of
	                    w, below zero_below nothing */
	JX_FW_BANDS,     /* the first band whose minimum a reaches */
	JX_FW_CHECKLIST, /* deduct per failed point; serious: 0 */
	JX_FW_COUNT,     /* deduct per occurrence */
	JX_FW_MANUAL     /* evaluators' score 0..w with a reason */
};

struct jx_fw_band {
	jx_dec min; /* lower edge */
	bool incl;  /* a == min is in the band */
	jx_dec points;
};

struct jx_fw_line {
	const char *level1, *level2,
	        *name;       /* 决策 / 项目立项 / 立项依据充分性 */
	const char *explain; /* 指标解释 */
	const char *standard; /* 评价标准, as written */
	jx_dec weight;
	enum jx_fw_kind kind;
	/* rule parameters (by kind) */
	jx_dec target;        /* RATIO */
	bool lower_better;    /* RATIO */
	jx_dec full_at;       /* THRESHOLD, PCT */
	bool full_incl;       /* a == full_at earns full points */
	bool lower_full;      /* THRESHOLD: full at or BELOW full_at (≤) */
	jx_dec step;          /* THRESHOLD: points of a per deduction */
	jx_dec deduct;        /* THRESHOLD, CHECKLIST, COUNT: per step/item */
	bool per_started;     /* THRESHOLD: a started step counts */
	jx_dec pct_per_point; /* PCT: percent of w per point below */
	bool has_zero_below;  /* PCT */
	jx_dec zero_below;    /* PCT: below this, nothing */
	struct jx_fw_band *bands; /* BANDS, best first */
	size_t nbands;
	bool serious_zero; /* CHECKLIST: "严重的此项完全不得分" */
	/* the evaluation's inputs; has_input false in a template */
	bool has_input;
	bool has_value;
	jx_dec value;    /* RATIO, THRESHOLD, PCT, BANDS: the measured value */
	unsigned failed; /* CHECKLIST: points not met */
	bool serious;    /* CHECKLIST: a serious failure */
	unsigned count;  /* COUNT: occurrences */
	bool has_manual;
	jx_dec manual;        /* MANUAL: the evaluators' score */
	const char *reason;   /* why points were deducted (required for MANUAL
	                         below the weight), or NULL */
	struct jx_opt stated; /* the table's 评价得分, when checked */
	int line;             /* 1-based line in the file */
};

struct jx_framework {
	const char *name;  /* file stem */
	const char *title; /* zh-CN */
	int places;        /* decimals a line score is rounded to (2) */
	struct jx_fw_line *lines;
	size_t nlines;
	struct jx_opt total_stated; /* the table's 合计 */
	const char *grade_stated;   /* the conclusion's grade, or NULL */
};

struct jx_fw_score {
	bool scored; /* false: no input (template) or a bad one */
	jx_dec score;
	jx_dec deducted; /* weight - score */
	char trace[JX_FW_TRACE];
};

struct jx_fw_result {
	struct jx_fw_score *lines; /* one per framework line */
	jx_dec weight_sum;
	jx_dec total;
	bool complete;                      /* every line scored */
	const struct jx_rules_grade *grade; /* NULL: incomplete or no grades */
	struct jx_findings findings;
};

/*
 * Parse a framework (or an evaluation on one) from text[0..len); `name`
 * names it in messages (the file). Strict: unknown keys, duplicate keys,
 * wrong types, numbers that are not exact decimals, a rule without its
 * parameters, an input that does not fit its rule (a manual score above
 * the weight, a manual deduction without a reason) are refused with d
 * naming the line and field in Chinese. JX_OK, JX_EPARSE, JX_EINVAL,
 * JX_ETOOBIG, JX_ENOMEM. *out lives in a.
 */
enum jx_err jx_framework_parse(const char *text, size_t len, const char *name,
                               struct jx_arena *a,
                               const struct jx_framework **out,
                               struct jx_diag *d);

/*
 * Score fw: each line from its rule and input, the total, the grade under
 * r (may be NULL: no grade), and the findings where the stated figures
 * disagree. Arrays live in a. JX_OK, JX_ENOMEM, JX_EINVAL (bad arguments).
 */
enum jx_err jx_framework_score(const struct jx_framework *fw,
                               const struct jx_rules *r, struct jx_arena *a,
                               struct jx_fw_result *out);

/* "threshold" ... for a kind (static). */
const char *jx_framework_kind_name(enum jx_fw_kind k);

#endif
