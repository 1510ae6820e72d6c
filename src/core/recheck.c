/*
 * recheck.c - quality scores of re-checked self-evaluations and the
 * per-department difference between self-scores and re-checked scores.
 *
 * Items are sorted by department (bytes) into an index array, then each
 * run is added up exactly; means are sum / count rounded once to 2
 * places. Nothing here scores indicators or knows what the criteria mean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/recheck.h"

#define PLACES 2

/* An item's place, for sorting by department without moving the items. */
struct ref {
	const char *dept;
	size_t idx;
};

static const struct jx_recheck_criterion default_criteria[] = {
        {"内容完整", 25 * JX_DEC_ONE},
        {"权重合理", 25 * JX_DEC_ONE},
        {"数据真实", 25 * JX_DEC_ONE},
        {"结果客观", 25 * JX_DEC_ONE},
};

static int ref_cmp(const void *a, const void *b);
static enum jx_err check_criteria(const struct jx_recheck_criterion *crit,
                                  size_t nc, struct jx_diag *d);
static enum jx_err add_item(struct jx_recheck_dept *g,
                            const struct jx_recheck_item *it, bool has_q,
                            jx_dec q, const struct jx_rules *r,
                            jx_dec tolerance);
static void finish(struct jx_recheck_dept *g);
static jx_dec mean(jx_dec sum, size_t n);

const struct jx_recheck_criterion *
jx_recheck_default_criteria(size_t *n)
{
	if (n != NULL)
		*n = sizeof(default_criteria) / sizeof(default_criteria[0]);
	return default_criteria;
}

static enum jx_err
check_criteria(const struct jx_recheck_criterion *crit, size_t nc,
               struct jx_diag *d)
{
	char field[48];
	size_t i;

	if (crit == NULL || nc == 0 || nc > JX_RECHECK_MAX_CRITERIA)
		return jx_diag_set(d, JX_EINVAL, "criteria",
		                   "质量评分项应有 1 到 %d 项",
		                   JX_RECHECK_MAX_CRITERIA);
	for (i = 0; i < nc; i++) {
		if (crit[i].weight <= 0) {
			snprintf(field, sizeof(field), "criteria[%zu].weight",
			         i);
			return jx_diag_set(d, JX_EINVAL, field,
			                   "评分项分值须大于 0");
		}
	}
	return JX_OK;
}

enum jx_err
jx_recheck_quality(const struct jx_recheck_criterion *crit, size_t nc,
                   const jx_dec *awarded, jx_dec *out, struct jx_diag *d)
{
	char field[48], a[48], w[48];
	jx_dec sum = 0;
	size_t i;
	enum jx_err err;

	if ((err = check_criteria(crit, nc, d)) != JX_OK)
		goto done;
	if (awarded == NULL || out == NULL) {
		err = jx_diag_set(d, JX_EINVAL, "quality", "参数无效");
		goto done;
	}
	for (i = 0; i < nc; i++) {
		if (awarded[i] < 0 || awarded[i] > crit[i].weight) {
			snprintf(field, sizeof(field), "quality[%zu]", i);
			jx_dec_format(awarded[i], -1, a, sizeof(a));
			jx_dec_format(crit[i].weight, -1, w, sizeof(w));
			err = jx_diag_set(
			        d, JX_EINVAL, field,
			        "“%s”得分 %s 应在 0 到 %s 之间",
			        crit[i].name != NULL ? crit[i].name : "", a, w);
			goto done;
		}
		/* each term <= its weight, at most 32 of them: no overflow
		 * for weights a person writes; checked all the same */
		if ((err = jx_dec_add(sum, awarded[i], &sum)) != JX_OK) {
			err = jx_diag_set(d, JX_ETOOBIG, "quality",
			                  "质量得分超出范围");
			goto done;
		}
	}
	*out = sum;
done:
	return err;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int k = strcmp(x->dept, y->dept);

	if (k == 0)
		k = (x->idx > y->idx) - (x->idx < y->idx);
	return k;
}

static jx_dec
mean(jx_dec sum, size_t n)
{
	jx_dec m = 0;

	if (n == 0 || jx_dec_muldiv(sum, 1, (jx_dec)n, PLACES, &m) != JX_OK)
		return 0;
	return m;
}

static enum jx_err
add_item(struct jx_recheck_dept *g, const struct jx_recheck_item *it,
         bool has_q, jx_dec q, const struct jx_rules *r, jx_dec tolerance)
{
	jx_dec diff, ad;
	enum jx_err err = JX_OK;

	g->n++;
	if (has_q) {
		g->nquality++;
		if ((err = jx_dec_add(g->quality_sum, q, &g->quality_sum)) !=
		    JX_OK)
			goto done;
	}
	if (!it->self_score.set || !it->recheck_score.set)
		goto done;
	g->nscored++;
	diff = it->self_score.v - it->recheck_score.v; /* both in range */
	ad = diff < 0 ? -diff : diff;
	if ((err = jx_dec_add(g->self_sum, it->self_score.v, &g->self_sum)) !=
	            JX_OK ||
	    (err = jx_dec_add(g->recheck_sum, it->recheck_score.v,
	                      &g->recheck_sum)) != JX_OK ||
	    (err = jx_dec_add(g->diff_sum, diff, &g->diff_sum)) != JX_OK ||
	    (err = jx_dec_add(g->absdiff_sum, ad, &g->absdiff_sum)) != JX_OK)
		goto done;
	if (ad > g->max_absdiff)
		g->max_absdiff = ad;
	if (ad > tolerance)
		g->nover++;
	if (r != NULL && r->ngrades > 0 &&
	    jx_rules_grade_for(r, it->self_score.v) !=
	            jx_rules_grade_for(r, it->recheck_score.v))
		g->ngrade_changed++;
done:
	return err;
}

static void
finish(struct jx_recheck_dept *g)
{
	g->self_mean = mean(g->self_sum, g->nscored);
	g->recheck_mean = mean(g->recheck_sum, g->nscored);
	g->diff_mean = mean(g->diff_sum, g->nscored);
	g->absdiff_mean = mean(g->absdiff_sum, g->nscored);
	g->quality_mean = mean(g->quality_sum, g->nquality);
}

enum jx_err
jx_recheck_summarize(const struct jx_recheck_item *items, size_t n,
                     const struct jx_recheck_criterion *crit, size_t nc,
                     const struct jx_rules *r, jx_dec tolerance,
                     struct jx_arena *arena, struct jx_recheck_summary *out,
                     struct jx_diag *d)
{
	struct jx_recheck_summary res;
	struct ref *refs = NULL;
	jx_dec *q = NULL, max = r != NULL ? r->total_weight : 100 * JX_DEC_ONE;
	bool *hasq = NULL;
	char field[64];
	size_t i, j, nd;
	enum jx_err err = JX_OK;

	memset(&res, 0, sizeof(res));
	jx_diag_clear(d);
	if (arena == NULL || out == NULL || (n > 0 && items == NULL) ||
	    tolerance < 0) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto fail;
	}
	if (n > JX_RECHECK_MAX_ITEMS) {
		err = jx_diag_set(d, JX_ETOOBIG, "items",
		                  "复核项过多（最多 %d 项）",
		                  JX_RECHECK_MAX_ITEMS);
		goto fail;
	}
	if (n > 0) {
		refs = jx_arena_calloc(arena, n, sizeof(*refs));
		q = jx_arena_calloc(arena, n, sizeof(*q));
		hasq = jx_arena_calloc(arena, n, sizeof(*hasq));
		if (refs == NULL || q == NULL || hasq == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		const struct jx_recheck_item *it = &items[i];
		const char *bad = NULL;

		if (it->self_score.set &&
		    (it->self_score.v < 0 || it->self_score.v > max))
			bad = "self_score";
		else if (it->recheck_score.set &&
		         (it->recheck_score.v < 0 || it->recheck_score.v > max))
			bad = "recheck_score";
		if (bad != NULL) {
			char m[48];

			snprintf(field, sizeof(field), "items[%zu].%s", i, bad);
			jx_dec_format(max, -1, m, sizeof(m));
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "得分应在 0 到 %s 之间", m);
			goto fail;
		}
		if (it->quality != NULL) {
			if ((err = jx_recheck_quality(crit, nc, it->quality,
			                              &q[i], d)) != JX_OK) {
				char inner[sizeof(d->field)];

				if (d != NULL) {
					snprintf(inner, sizeof(inner), "%s",
					         d->field);
					snprintf(d->field, sizeof(d->field),
					         "items[%zu].%s", i, inner);
				}
				goto fail;
			}
			hasq[i] = true;
		}
		refs[i].dept = it->dept != NULL ? it->dept : "";
		refs[i].idx = i;
	}
	if (n > 0)
		qsort(refs, n, sizeof(*refs), ref_cmp);
	for (i = 0, nd = 0; i < n; i++)
		if (i == 0 || strcmp(refs[i].dept, refs[i - 1].dept) != 0)
			nd++;
	res.depts =
	        jx_arena_calloc(arena, nd != 0 ? nd : 1, sizeof(*res.depts));
	if (res.depts == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto fail;
	}
	for (i = 0, j = 0; i < n; i++) {
		size_t k = refs[i].idx;

		if (i > 0 && strcmp(refs[i].dept, refs[i - 1].dept) != 0)
			j++;
		res.depts[j].dept = refs[i].dept;
		if ((err = add_item(&res.depts[j], &items[k], hasq[k], q[k], r,
		                    tolerance)) != JX_OK ||
		    (err = add_item(&res.total, &items[k], hasq[k], q[k], r,
		                    tolerance)) != JX_OK) {
			err = jx_diag_set(d, JX_ETOOBIG, "items",
			                  "得分合计超出范围");
			goto fail;
		}
	}
	res.ndepts = nd;
	for (j = 0; j < nd; j++)
		finish(&res.depts[j]);
	finish(&res.total);
	*out = res;
	return JX_OK;
fail:
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	return err;
}
