/*
 * test_recheck.c - quality scores of re-checked self-evaluations and the
 * per-department difference between self-scores and re-checked scores
 * (recheck.h): exact sums, means rounded once to 2 places, grades compared
 * under mof-2020, bad scores refused naming the item and field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jx/recheck.h"
#include "testutil.h"

/* The default criteria are D1 art.15's four and add up to 100. */
static void
test_quality(void **state)
{
	const struct jx_recheck_criterion *c;
	jx_dec q = 0, aw[4], sum = 0;
	struct jx_diag d;
	size_t n = 0, i;

	(void)state;
	c = jx_recheck_default_criteria(&n);
	assert_int_equal(n, 4);
	assert_string_equal(c[2].name, "数据真实");
	for (i = 0; i < n; i++)
		sum += c[i].weight;
	assert_int_equal(sum, tu_dec("100"));

	aw[0] = tu_dec("25");
	aw[1] = tu_dec("20");
	aw[2] = tu_dec("15.5");
	aw[3] = tu_dec("0");
	assert_int_equal(jx_recheck_quality(c, n, aw, &q, &d), JX_OK);
	assert_int_equal(q, tu_dec("60.5"));

	q = 7;
	aw[1] = tu_dec("25.01");
	assert_int_equal(jx_recheck_quality(c, n, aw, &q, &d), JX_EINVAL);
	assert_string_equal(d.field, "quality[1]");
	assert_non_null(strstr(d.message, "权重合理"));
	assert_int_equal(q, 7); /* untouched */
	aw[1] = tu_dec("-1");
	assert_int_equal(jx_recheck_quality(c, n, aw, &q, &d), JX_EINVAL);
	assert_int_equal(jx_recheck_quality(c, 0, aw, &q, &d), JX_EINVAL);
	assert_string_equal(d.field, "criteria");
	{
		const struct jx_recheck_criterion zero[] = {{"甲", 0}};

		assert_int_equal(jx_recheck_quality(zero, 1, aw, &q, &d),
		                 JX_EINVAL);
		assert_string_equal(d.field, "criteria[0].weight");
	}
}

/*
 * Three departments (out of order in the input):
 *   教育局: 92 -> 85 (优 -> 良), 80 -> 80, 70 -> 66.5  diff 7 + 0 + 3.5
 *   财政局: 95 -> 95, and one not re-checked yet
 *   卫健委: 88 -> 89 (self below: -1)
 * tolerance 3 points: 92->85 and 70->66.5 are over it.
 */
static void
test_summary(void **state)
{
	static const jx_dec q1[] = {25000000, 25000000, 20000000, 20000000};
	static const jx_dec q2[] = {25000000, 15000000, 10000000, 20000000};
	struct jx_recheck_item items[] = {
	        {"E1", "教育局", {92000000, true}, {85000000, true}, q1},
	        {"F1", "财政局", {95000000, true}, {95000000, true}, NULL},
	        {"E2", "教育局", {80000000, true}, {80000000, true}, q2},
	        {"H1", "卫健委", {88000000, true}, {89000000, true}, NULL},
	        {"F2", "财政局", {91000000, true}, {0, false}, NULL},
	        {"E3", "教育局", {70000000, true}, {66500000, true}, NULL},
	};
	const struct jx_recheck_criterion *c;
	struct jx_recheck_summary s;
	const struct jx_recheck_dept *e, *f, *h;
	struct jx_rules r;
	struct jx_arena a;
	struct jx_diag d;
	size_t nc;

	(void)state;
	c = jx_recheck_default_criteria(&nc);
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	jx_arena_init(&a, 0);
	if (jx_recheck_summarize(items, 6, c, nc, &r, tu_dec("3"), &a, &s,
	                         &d) != JX_OK)
		fail_msg("%s: %s", d.field, d.message);
	assert_int_equal(s.ndepts, 3);
	/* by bytes: 卫 E5 8D AB, 教 E6 95 99, 财 E8 B4 A2 */
	h = &s.depts[0];
	e = &s.depts[1];
	f = &s.depts[2];
	assert_string_equal(h->dept, "卫健委");
	assert_string_equal(e->dept, "教育局");
	assert_string_equal(f->dept, "财政局");

	assert_int_equal(e->n, 3);
	assert_int_equal(e->nscored, 3);
	assert_int_equal(e->self_sum, tu_dec("242"));
	assert_int_equal(e->recheck_sum, tu_dec("231.5"));
	assert_int_equal(e->diff_sum, tu_dec("10.5"));
	assert_int_equal(e->diff_mean, tu_dec("3.5"));
	assert_int_equal(e->self_mean, tu_dec("80.67"));    /* 80.666... */
	assert_int_equal(e->recheck_mean, tu_dec("77.17")); /* 77.1666... */
	assert_int_equal(e->max_absdiff, tu_dec("7"));
	assert_int_equal(e->nover, 2);
	assert_int_equal(e->ngrade_changed, 1); /* 92 优 -> 85 良 */
	assert_int_equal(e->nquality, 2);
	assert_int_equal(e->quality_sum, tu_dec("160"));
	assert_int_equal(e->quality_mean, tu_dec("80"));

	assert_int_equal(f->n, 2);
	assert_int_equal(f->nscored, 1);
	assert_int_equal(f->diff_sum, 0);
	assert_int_equal(f->self_mean, tu_dec("95"));
	assert_int_equal(f->nquality, 0);
	assert_int_equal(f->quality_mean, 0);

	assert_int_equal(h->diff_sum, tu_dec("-1"));
	assert_int_equal(h->absdiff_sum, tu_dec("1"));
	assert_int_equal(h->nover, 0);
	assert_int_equal(h->ngrade_changed, 0); /* 88 and 89 are both 良 */

	assert_null(s.total.dept);
	assert_int_equal(s.total.n, 6);
	assert_int_equal(s.total.nscored, 5);
	assert_int_equal(s.total.diff_sum, tu_dec("9.5"));
	assert_int_equal(s.total.absdiff_sum, tu_dec("11.5"));
	assert_int_equal(s.total.diff_mean, tu_dec("1.9"));
	assert_int_equal(s.total.absdiff_mean, tu_dec("2.3"));

	/* without a rule set no grades are compared */
	assert_int_equal(jx_recheck_summarize(items, 6, c, nc, NULL,
	                                      tu_dec("3"), &a, &s, &d),
	                 JX_OK);
	assert_int_equal(s.depts[1].ngrade_changed, 0);

	/* nothing at all */
	assert_int_equal(
	        jx_recheck_summarize(NULL, 0, c, nc, &r, 0, &a, &s, &d), JX_OK);
	assert_int_equal(s.ndepts, 0);
	assert_int_equal(s.total.n, 0);
	jx_arena_cleanup(&a);
	jx_rules_cleanup(&r);
}

/* Scores outside [0, 100] and bad quality points name the item. */
static void
test_refused(void **state)
{
	static const jx_dec bad_q[] = {25000000, 25000000, 26000000, 0};
	struct jx_recheck_item items[] = {
	        {"A", "甲", {90000000, true}, {80000000, true}, NULL},
	        {"B", "甲", {90000000, true}, {80000000, true}, NULL},
	};
	const struct jx_recheck_criterion *c;
	struct jx_recheck_summary s;
	struct jx_arena a;
	struct jx_diag d;
	size_t nc;

	(void)state;
	c = jx_recheck_default_criteria(&nc);
	jx_arena_init(&a, 0);
	items[1].self_score.v = tu_dec("100.01");
	assert_int_equal(
	        jx_recheck_summarize(items, 2, c, nc, NULL, 0, &a, &s, &d),
	        JX_EINVAL);
	assert_string_equal(d.field, "items[1].self_score");
	assert_null(s.depts);
	items[1].self_score.v = tu_dec("90");
	items[1].recheck_score.v = tu_dec("-0.5");
	assert_int_equal(
	        jx_recheck_summarize(items, 2, c, nc, NULL, 0, &a, &s, &d),
	        JX_EINVAL);
	assert_string_equal(d.field, "items[1].recheck_score");
	items[1].recheck_score.v = tu_dec("80");
	items[0].quality = bad_q;
	assert_int_equal(
	        jx_recheck_summarize(items, 2, c, nc, NULL, 0, &a, &s, &d),
	        JX_EINVAL);
	assert_string_equal(d.field, "items[0].quality[2]");
	items[0].quality = NULL;
	assert_int_equal(
	        jx_recheck_summarize(items, 2, c, nc, NULL, -1, &a, &s, &d),
	        JX_EINVAL);
	assert_int_equal(
	        jx_recheck_summarize(items, 2, c, nc, NULL, 0, NULL, &s, &d),
	        JX_EINVAL);
	jx_arena_cleanup(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_quality),
	        cmocka_unit_test(test_summary),
	        cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
