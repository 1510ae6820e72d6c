/*
 * recheck.h - the re-check of a sampled self-evaluation (抽查复核): the
 * quality score of the self-evaluation, and per department how far the
 * units' self-scores lie from the scores the re-check arrived at.
 *
 * The quality of a self-evaluation is scored against criteria with
 * weights (data: the caller passes them; jx_recheck_default_criteria gives
 * the four D1 art.15 asks for, 内容完整、权重合理、数据真实、结果客观, 25
 * points each [A~ D1 art.15; the equal weights are a design default]).
 * The difference is self − re-checked: positive means the unit scored
 * itself higher than the evidence supports ("严禁刻意抬高分数"). Sums are
 * exact; means are rounded once, half away from zero, to 2 places.
 *
 * Pure: no I/O, no globals. Drawing the sample is sample.h's; re-scoring
 * the indicators against evidence is score.h's, run by the caller.
 */
#ifndef JX_RECHECK_H
#define JX_RECHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/arena.h"
#include "jx/dec.h"
#include "jx/err.h"
#include "jx/rules.h"

#define JX_RECHECK_MAX_CRITERIA 32
#define JX_RECHECK_MAX_ITEMS    1000000

/* A quality criterion (自评质量评分项) and its weight in points. */
struct jx_recheck_criterion {
	const char *name; /* "数据真实" */
	jx_dec weight;    /* > 0 */
};

/* One re-checked self-evaluation. Borrowed. */
struct jx_recheck_item {
	const char *id;
	const char *dept;            /* 主管部门; NULL or "" = none */
	struct jx_opt self_score;    /* 单位自评得分 */
	struct jx_opt recheck_score; /* 复核得分 (after re-checking the
	                                actual values against evidence) */
	const jx_dec *quality; /* points per criterion, in criterion order,
	                          or NULL when not scored yet */
};

/* What one department's (or all) re-checks show. */
struct jx_recheck_dept {
	const char *dept; /* "" for no department; NULL for the total */
	size_t n;         /* items */
	size_t nscored;   /* items with both scores */
	jx_dec self_sum, recheck_sum;
	jx_dec diff_sum;    /* Σ (self − re-checked) */
	jx_dec absdiff_sum; /* Σ |self − re-checked| */
	jx_dec self_mean, recheck_mean, diff_mean, absdiff_mean; /* 2
	                                                   places; 0 if none */
	jx_dec max_absdiff;
	size_t nover;          /* |diff| > the tolerance passed */
	size_t ngrade_changed; /* grades differ (when a rule set is given) */
	size_t nquality;       /* items with a quality score */
	jx_dec quality_sum, quality_mean;
};

struct jx_recheck_summary {
	struct jx_recheck_dept *depts; /* ordered by department (bytes) */
	size_t ndepts;
	struct jx_recheck_dept total;
};

/* The four criteria of D1 art.15 at 25 points each (static storage). */
const struct jx_recheck_criterion *jx_recheck_default_criteria(size_t *n);

/*
 * The quality score of one self-evaluation: the sum of awarded[0..nc),
 * each within [0, its criterion's weight]. Returns JX_OK and sets *out;
 * JX_EINVAL (d names "quality[i]") for a value outside its range, no
 * criteria, more than JX_RECHECK_MAX_CRITERIA, or a criterion weight
 * <= 0 ("criteria[i].weight").
 */
enum jx_err jx_recheck_quality(const struct jx_recheck_criterion *crit,
                               size_t nc, const jx_dec *awarded, jx_dec *out,
                               struct jx_diag *d);

/*
 * Summarise items[0..n) per department into *out (arrays from arena;
 * strings borrowed). Scores must lie in [0, r->total_weight] (100 when r
 * is NULL); with r, grades are compared (jx_rules_grade_for). tolerance
 * (>= 0) sets nover. Returns JX_OK; JX_EINVAL naming "items[i].self_score",
 * "items[i].recheck_score" or "items[i].quality[j]"; JX_ETOOBIG past
 * JX_RECHECK_MAX_ITEMS; JX_ENOMEM. On failure *out is empty.
 */
enum jx_err jx_recheck_summarize(const struct jx_recheck_item *items, size_t n,
                                 const struct jx_recheck_criterion *crit,
                                 size_t nc, const struct jx_rules *r,
                                 jx_dec tolerance, struct jx_arena *arena,
                                 struct jx_recheck_summary *out,
                                 struct jx_diag *d);

#endif
