/*
 * score.h - score a self-evaluation under a rule set: each indicator's
 * completion, outcome and score, the budget execution line, the total and
 * the grade, each with a short zh-CN trace of the rule that produced it
 * ("为什么是这个分数"). The engine takes the direction of a target from its
 * operator, never from the indicator's place in the tree; a bare number's
 * direction comes from the rule set and is marked as inferred.
 * It computes; it does not judge the stated figures (that is audit.h).
 * Pure: no I/O; the result's arrays live in the caller's arena.
 */
#ifndef JX_SCORE_H
#define JX_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/arena.h"
#include "jx/dec.h"
#include "jx/err.h"
#include "jx/limits.h"
#include "jx/model.h"
#include "jx/rules.h"
#include "jx/value.h"

/* How an indicator was scored. */
enum jx_score_kind {
	JX_SCORE_NONE = 0, /* could not be scored (see `problem`) */
	JX_SCORE_QUANT,    /* a number against a number */
	JX_SCORE_QUAL      /* a tier: the score is chosen inside a band */
};

/* Why an indicator could not be scored. */
enum jx_score_problem {
	JX_PROBLEM_NONE = 0,
	JX_PROBLEM_NO_WEIGHT, /* 分值 missing */
	JX_PROBLEM_NO_TARGET, /* 年度指标值 blank */
	JX_PROBLEM_NO_ACTUAL, /* 实际完成值 blank */
	JX_PROBLEM_UNPARSED_TARGET,
	JX_PROBLEM_UNPARSED_ACTUAL,
	JX_PROBLEM_UNKNOWN_WORD,  /* a word not in the vocabulary */
	JX_PROBLEM_UNIT_MISMATCH, /* units measure different things */
	JX_PROBLEM_OVERFLOW
};

/* Which rule produced an indicator's score: with the result's figures it is
 * enough to write the trace (jx_score_trace) when someone asks for it. */
enum jx_score_rule {
	JX_RULE_NONE = 0,       /* not scored: see `problem` */
	JX_RULE_ZERO_TARGET,    /* ≥/=/> against a target of 0 */
	JX_RULE_POS_MET,        /* ≥/=: actual reached the target */
	JX_RULE_POS_PENALTY,    /* ≥/=: far above, over-completion penalty */
	JX_RULE_POS_RATIO,      /* ≥/=: missed, w * a / t */
	JX_RULE_NEG_MET,        /* ≤: actual within the target */
	JX_RULE_NEG_ZERO,       /* ≤ 0 exceeded: 0 */
	JX_RULE_NEG_RATIO,      /* ≤ exceeded: w * t / a */
	JX_RULE_NEG_DOUBLE,     /* ≤ exceeded twice over or more: 0 */
	JX_RULE_NEG_LINEAR,     /* ≤ exceeded: w * (1 - (a - t) / t) */
	JX_RULE_QUAL_SAME,      /* the actual word is the target word */
	JX_RULE_QUAL_WORD,      /* the actual word's tier */
	JX_RULE_QUAL_NUMBER,    /* a number against a qualitative target */
	JX_RULE_QUAL_FOR_NUMBER /* a word against a numeric target */
};

struct jx_ind_result {
	struct jx_value target;
	struct jx_value actual;
	enum jx_score_kind kind;
	enum jx_score_problem problem;
	enum jx_cmp cmp;   /* the comparison used (bare -> rule set's) */
	bool cmp_inferred; /* the target had no operator */
	bool has_alt;      /* inferred, and reading the bare target as ≥
	                      instead would score differently */
	jx_dec alt_score;  /* the score under that other reading */
	enum jx_outcome outcome;
	int tier; /* QUAL: 1..3 */
	bool has_completion;
	jx_dec completion;     /* fraction, rounded to 4 places (98.06%) */
	jx_dec t_base, a_base; /* QUANT: target and actual in base units */
	jx_dec score;          /* QUANT: computed. QUAL: the stated score when
	                          it lies in the tier's band, else the
	                          suggested one. NONE: the stated score, if
	                          any (unverifiable, total_complete false) */
	jx_dec suggest;        /* QUAL: the rule set's suggested score */
	jx_dec score_lo, score_hi; /* the allowed range: equal for QUANT */
	bool over;                 /* a >= over_ratio * t */
	enum jx_score_rule rule;   /* what produced the score */
	int word_tier;             /* QUAL_WORD / QUAL_FOR_NUMBER: the word's */
	jx_dec qual_fraction;      /* QUAL_NUMBER: the number as a fraction */
};

struct jx_result {
	struct jx_ind_result *ind; /* one per eval indicator, same order */
	size_t n;

	bool has_exec; /* funds stated and budget > 0 */
	bool exec_na;  /* 全年预算数 is 0: line not applicable */
	jx_dec exec_weight;
	jx_dec exec_rate; /* fraction, rounded to 4 places */
	jx_dec exec_score;

	jx_dec weight_sum;   /* exec weight + indicator weights */
	jx_dec total;        /* exec score + indicator scores */
	bool total_complete; /* every line could be scored */
	const struct jx_rules_grade *grade; /* NULL when no grades */
};

/*
 * Score e under r. Arrays of *out are allocated from `arena` and valid until
 * it is reset. Returns JX_OK (indicators that cannot be scored are marked,
 * not fatal), JX_ENOMEM, or JX_EINVAL for NULL arguments.
 */
enum jx_err jx_score_run(const struct jx_eval *e, const struct jx_rules *r,
                         struct jx_arena *arena, struct jx_result *out);

/* Score one indicator: used by jx_score_run and by live editing in the UI. */
void jx_score_indicator(const struct jx_indicator *ind,
                        const struct jx_rules *r, struct jx_ind_result *out);

/*
 * Write into buf (cap bytes, NUL-terminated, never splitting a character)
 * the zh-CN explanation of an indicator's score ("为什么是这个分数"): the
 * comparison, the rule and the arithmetic. o must come from scoring ind
 * under r. Returns the length written.
 */
size_t jx_score_trace(const struct jx_indicator *ind, const struct jx_rules *r,
                      const struct jx_ind_result *o, char *buf, size_t cap);

/* The same for the budget execution line and for the total of res. */
size_t jx_score_exec_trace(const struct jx_eval *e, const struct jx_rules *r,
                           const struct jx_result *res, char *buf, size_t cap);
size_t jx_score_total_trace(const struct jx_rules *r,
                            const struct jx_result *res, char *buf, size_t cap);

/* zh-CN name of an outcome: "达成", "部分达成", "未达成", "未知". */
const char *jx_score_outcome_name(enum jx_outcome o);

#endif
