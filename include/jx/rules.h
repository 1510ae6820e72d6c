/*
 * rules.h - a rule set (规则方案): every constant of self-evaluation scoring
 * and checking, loaded from data (the JSON files in rules/, format in
 * docs/rules.md).
 *
 * First-level weights, how each comparison is scored, qualitative tiers and
 * their score bands, the vocabulary of qualitative words, the budget
 * execution line, over-completion, grades, rounding, tolerances, when a
 * deviation reason is required and the thresholds of monitoring (序时进度,
 * warning lights, when an indicator deviates, how soon targets must follow
 * a budget adjustment): provinces change all of them, so none of
 * them is a constant in code. jx_rules_load parses and validates a rule set
 * from a buffer (the caller reads the file); an invalid one is refused with a
 * diagnostic naming the field. Pure: no I/O, no globals.
 */
#ifndef JX_RULES_H
#define JX_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/arena.h"
#include "jx/dec.h"
#include "jx/err.h"
#include "jx/value.h"

/* What a first-level indicator measures. */
enum jx_l1_kind {
	JX_L1_OUTPUT = 1,   /* 产出指标 */
	JX_L1_OUTCOME,      /* 效益指标 */
	JX_L1_SATISFACTION, /* 满意度指标 */
	JX_L1_COST, /* 成本指标 (first-level in the 2021 guideline) */
	JX_L1_OTHER /* a region's own (e.g. "绩效指标" 90 in Sichuan) */
};

/* How far a target was reached: tiers 1/2/3 of the qualitative rule. */
enum jx_outcome {
	JX_OUTCOME_UNKNOWN = 0,
	JX_OUTCOME_MET,     /* 达成年度指标 */
	JX_OUTCOME_PARTIAL, /* 部分达成年度指标并具有一定效果 */
	JX_OUTCOME_NOT_MET  /* 未达成年度指标且效果较差 */
};

/* The lower-is-better (≤, <) scoring formula. */
enum jx_reverse_rule {
	JX_REVERSE_LINEAR_2T = 1, /* a<=t: w; t<a<2t: w(1-(a-t)/t); a>=2t: 0 */
	JX_REVERSE_RATIO          /* a<=t: w; else w*t/a */
};

/* How the budget execution line (预算执行率) is scored. */
enum jx_exec_method {
	JX_EXEC_PROPORTIONAL = 1, /* w * min(rate, 1) */
	JX_EXEC_BANDS,            /* look the rate up in `bands` */
	JX_EXEC_THRESHOLD_PCT     /* >= full_at: w; < zero_below: 0; else
	                             w * (1 - (full_at - rate) * pct_per_point) */
};

/* The denominator of the execution rate. */
enum jx_exec_base {
	JX_EXEC_BASE_ANNUAL = 1, /* 全年预算数 (self-evaluation) */
	JX_EXEC_BASE_RECEIVED    /* 实际到位资金 (evaluation framework) */
};

/* Over-completion penalty (rule b of the central text). */
enum jx_over_penalty {
	JX_OVER_NONE = 0, /* full points however far above (default) */
	JX_OVER_LINEAR    /* minus w * rate * (a/t - over_ratio), floor 0 */
};

/* How time progress (序时进度) is measured in monitoring. */
enum jx_mon_time {
	JX_MON_TIME_MONTH = 1, /* N/12 after month N of a 1–N月 period */
	JX_MON_TIME_DAY /* days to the as-of date (1 January = 1) / days in
	                   the year */
};

/* What the execution warning light (预警灯) of monitoring compares. */
enum jx_mon_basis {
	JX_MON_BASIS_RATIO = 1, /* execution rate ÷ time progress */
	JX_MON_BASIS_GAP /* time progress − execution rate, percentage points */
};

/*
 * The monitoring constants (绩效运行监控, "monitoring" in the file; every
 * field has a default, docs/rules.md). Fractions are jx_dec (1 = 100%).
 */
struct jx_rules_monitor {
	enum jx_mon_time time_basis; /* default MONTH */
	enum jx_mon_basis light;     /* default RATIO */
	jx_dec yellow_below;         /* RATIO: ratio below this: yellow (80%) */
	jx_dec red_below;            /* RATIO: ratio below this: red (60%) */
	jx_dec yellow_lag;     /* GAP: more points behind than this: yellow */
	jx_dec red_lag;        /* GAP: more points behind than this: red */
	jx_dec progress_below; /* a cumulative indicator below this fraction
	                          of target × time progress deviates (80%) */
	const char **cumulative_level2; /* second-level names whose
	                                   indicators accumulate over the
	                                   year (数量指标, 成本指标 ...) */
	const char **cumulative_keys;   /* the same folded (set at load) */
	size_t ncumulative;
	int goal_follow_days; /* days the targets may take to follow a budget
	                         adjustment before it is a warning (30) */
	jx_dec adjust_min;    /* net adjustments at most this fraction of the
	                         budget need no new targets (0: any does) */
};

/*
 * A half-open or closed interval [lo, hi] with per-edge inclusivity; an edge
 * not set is unbounded. `value` is what falls inside: points, a fraction of
 * the weight (pct_of_weight) or a tier, as the list it sits in says.
 */
struct jx_band {
	bool has_lo, has_hi;
	bool lo_incl, hi_incl;
	jx_dec lo, hi;
	jx_dec value;
};

struct jx_rules_level1 {
	const char *name;     /* "产出指标" */
	const char **aliases; /* "产出", ... */
	size_t naliases;
	jx_dec weight; /* 50 */
	enum jx_l1_kind kind;
	const char *key;         /* name folded for lookups (set at load) */
	const char **alias_keys; /* aliases folded, naliases of them */
};

struct jx_rules_level2_cmp {
	const char *level2; /* "成本指标" (aliases folded: "成本") */
	enum jx_cmp cmp;    /* what a bare number under it means */
	const char *key;    /* level2 folded for lookups (set at load) */
};

struct jx_rules_tier {
	int tier;          /* 1, 2, 3 */
	const char *label; /* "达成年度指标" */
	enum jx_outcome outcome;
	struct jx_band band; /* score band as fractions of the weight */
	jx_dec suggest;      /* suggested score, fraction of the weight */
};

struct jx_rules_word {
	const char *word; /* "明显提升" (folded: no spaces) */
	int tier;         /* 1..3 */
};

struct jx_rules_grade {
	const char *name;     /* "优" */
	const char **aliases; /* "优秀" */
	size_t naliases;
	jx_dec min;              /* 90 */
	bool min_incl;           /* 90 itself is 优 */
	const char *key;         /* name folded for lookups (set at load) */
	const char **alias_keys; /* aliases folded */
};

struct jx_rules {
	const char *name;   /* "mof-2020" (file stem) */
	const char *title;  /* zh-CN */
	const char *region; /* "全国", "湖北省", ... */
	const char *description;
	const char *basis; /* the documents it follows */

	int places;          /* decimals each line's score is rounded to */
	int total_places;    /* decimals of the total */
	jx_dec total_weight; /* 100 */

	struct jx_rules_level1 *level1;
	size_t nlevel1;
	const char *satisfaction_fallback; /* level1 taking 满意度's points when
	                                      it is absent, NULL = none */

	struct {
		jx_dec weight; /* 10 */
		enum jx_exec_method method;
		enum jx_exec_base base;
		struct jx_band
		        *bands; /* BANDS: rate fraction -> fraction of w */
		size_t nbands;
		jx_dec full_at;       /* THRESHOLD_PCT, fractions */
		jx_dec pct_per_point; /* fraction of w per percentage point */
		jx_dec zero_below;
		jx_dec reason_below; /* rate below this needs a reason, 0 =
		                        never */
	} exec;

	struct {
		enum jx_reverse_rule reverse;
		enum jx_cmp
		        bare_default; /* a bare target's comparison: EQ or GE */
		struct jx_rules_level2_cmp *bare_by_level2;
		size_t nbare_by_level2;
		jx_dec over_ratio; /* a >= over_ratio * t needs a reason, 0 =
		                      off */
		enum jx_over_penalty over_penalty;
		jx_dec over_penalty_rate;
		jx_dec large_over;  /* a >= large_over * t: LARGE_DEVIATION */
		jx_dec large_under; /* a <= large_under * t on a ≤ target */
	} quant;

	struct jx_rules_tier tiers[3]; /* index tier-1 */
	struct jx_rules_word *words;   /* vocabulary, sorted by word */
	size_t nwords;
	struct jx_band *numeric_tiers; /* a number (fraction) entered against
	                                  a qualitative target -> tier */
	size_t nnumeric_tiers;

	struct jx_rules_grade *grades; /* ordered best first */
	size_t ngrades;
	bool grading_optional; /* a form may leave the grade blank */

	struct {
		jx_dec score; /* points */
		jx_dec rate;  /* percentage points */
		jx_dec money; /* in the document's unit */
	} tol;

	struct {
		bool when_below_weight; /* score < weight */
		bool when_over;         /* a >= over_ratio * t */
		bool when_exec_below;   /* exec rate < exec.reason_below */
	} reason;

	struct jx_arena arena; /* owns every string and array above */

	/* Added by rules.c: "level1_weights": "free" (大英县-style forms, 执行
	 * 10 + 绩效指标 90 split freely). The level1 entries then only name
	 * the recognised first-level indicators, their weight is 0 and only
	 * the sum of all first-level weights, jx_rules_level1_sum(), is
	 * fixed. */
	bool level1_free;

	/* Added for monitoring (issue 7): the optional "monitoring" object;
	 * filled with its defaults when the file has none. */
	struct jx_rules_monitor monitor;
};

/*
 * Parse and validate a rule set from buf[0..len) (UTF-8 JSON). `name` is
 * the rule set's name (file stem) and `source` the file name for
 * diagnostics. On JX_OK *r is filled (caller calls jx_rules_cleanup); on
 * failure *r is left empty and d names the line and field and says why
 * (JX_EPARSE malformed JSON, JX_EINVAL a value out of range or inconsistent,
 * JX_ETOOBIG over a limit, JX_ENOMEM).
 */
enum jx_err jx_rules_load(struct jx_rules *r, const char *buf, size_t len,
                          const char *name, const char *source,
                          struct jx_diag *d);

/* Free what r owns. Accepts NULL and an empty r. */
void jx_rules_cleanup(struct jx_rules *r);

/* The tier (1..3) of a qualitative word, 0 when not in the vocabulary.
 * Spaces and full-width forms are folded before lookup. */
int jx_rules_word_tier(const struct jx_rules *r, const char *word, size_t len);

/* The first-level entry whose name or alias is `name`, or NULL. Names
 * compare with spaces and full-width forms folded and a trailing "指标"
 * ignored ("产出" finds "产出指标"). */
const struct jx_rules_level1 *jx_rules_level1_find(const struct jx_rules *r,
                                                   const char *name);

/* What a bare number (no ≥/≤/=) means under level-2 `level2` (may be NULL):
 * its entry in quant.bare_by_level2 (compared as level1_find compares), else
 * quant.bare_default; JX_CMP_EQ when r is NULL. */
enum jx_cmp jx_rules_bare_cmp(const struct jx_rules *r, const char *level2);

/* The grade a total earns, or NULL when the rule set has no grades. */
const struct jx_rules_grade *jx_rules_grade_for(const struct jx_rules *r,
                                                jx_dec total);

/* The grade named `text` (name or alias, spaces folded), or NULL. */
const struct jx_rules_grade *jx_rules_grade_find(const struct jx_rules *r,
                                                 const char *text);

/* The tier a number (as a fraction, 1 = 100%) earns against a qualitative
 * target, 0 when no band matches. */
int jx_rules_numeric_tier(const struct jx_rules *r, jx_dec fraction);

/* True when v lies in band b. */
bool jx_rules_band_contains(const struct jx_band *b, jx_dec v);

/* Whether indicators under second-level `level2` accumulate over the year
 * (monitoring.cumulative_level2; names compare as level1_find compares).
 * False for NULL arguments. */
bool jx_rules_monitor_cumulative(const struct jx_rules *r, const char *level2);

/* What all first-level indicators together are worth: total_weight minus
 * the execution line's weight (90 when the line is worth 10). 0 for NULL. */
jx_dec jx_rules_level1_sum(const struct jx_rules *r);

/*
 * The weight the first-level group l1 (an entry of r->level1) should add up
 * to in a document. has_satisfaction says whether the document has any
 * indicator under the satisfaction entry; when it has none and the rule set
 * names a satisfaction_fallback, the satisfaction entry's weight moves to
 * the fallback entry (and the satisfaction entry expects 0). Groups whose
 * names resolve (jx_rules_level1_find) to one entry are one group: Hubei's
 * 效益指标 lists 满意度指标 as an alias, so both add up to its 40.
 * Returns true and sets *out; false (out untouched) when r->level1_free or
 * an argument is NULL.
 */
bool jx_rules_level1_expected(const struct jx_rules *r,
                              const struct jx_rules_level1 *l1,
                              bool has_satisfaction, jx_dec *out);

#endif
