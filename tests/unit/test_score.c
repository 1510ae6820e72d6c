/*
 * test_score.c - the scoring engine under the built-in rule sets: each
 * comparison, zero targets, reverse rules, qualitative tiers and bands, the
 * execution line, totals and grades. Table-driven; one comment per row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "jx/score.h"
#include "testutil.h"

struct case_ind {
	const char *rules;
	const char *level2;
	const char *name;
	const char *target;
	const char *actual;
	const char *weight;
	const char *score; /* expected computed score, NULL = unscored */
	enum jx_score_kind kind;
	enum jx_outcome outcome;
	int inferred; /* the comparison was inferred */
	enum jx_score_problem problem;
};

static const struct case_ind ind_cases[] = {
        /* ≥ met exactly: full points */
        {"mof-2020", "数量指标", "培训人次", "≥95%", "95%", "5", "5",
         JX_SCORE_QUANT, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* ≥ exceeded: full points, never more */
        {"mof-2020", "质量指标", "合格率", "≥90%", "99%", "10", "10",
         JX_SCORE_QUANT, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* ≥ missed: proportional 3 × 95/100 = 2.85 (seed 001 故障排除率) */
        {"mof-2020", "质量指标", "故障排除率", "≥100%", "95%", "3", "2.85",
         JX_SCORE_QUANT, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
        /* bare money under 数量: "=" inferred, 0 of 50 → 0 (seed 000) */
        {"mof-2020", "数量指标", "预算一体化", "50万元", "0万元", "5", "0",
         JX_SCORE_QUANT, JX_OUTCOME_NOT_MET, 1, JX_PROBLEM_NONE},
        /* bare cost: "≤" inferred, 131.4 ≤ 134 → full (seed 000 pitfall) */
        {"mof-2020", "成本指标", "财政信息化建设经费", "134万元", "131.4万元",
         "5", "5", JX_SCORE_QUANT, JX_OUTCOME_MET, 1, JX_PROBLEM_NONE},
        /* unit from the name: "12" means 12万元; 8.57 ≤ 12 (seed 003) */
        {"mof-2020", "成本指标", "信息系统电费（万元）", "12", "8.57万元", "9",
         "9", JX_SCORE_QUANT, JX_OUTCOME_MET, 1, JX_PROBLEM_NONE},
        /* ≤ over target, vendor linear rule: 3 × (1 − (1.5−1)/1) = 1.5 */
        {"mof-2020", "质量指标", "系统故障率", "≤1%", "1.5%", "3", "1.5",
         JX_SCORE_QUANT, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
        /* ≤ at twice the target or more: 0 */
        {"mof-2020", "质量指标", "系统故障率", "≤1%", "2%", "3", "0",
         JX_SCORE_QUANT, JX_OUTCOME_NOT_MET, 0, JX_PROBLEM_NONE},
        /* ≤ in other units: 90 minutes against 1 hour → 4 × (1 − 0.5) = 2 */
        {"mof-2020", "时效指标", "响应时间", "≤1小时", "90分钟", "4", "2",
         JX_SCORE_QUANT, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
        /* an actual written as a bound counts as its bound */
        {"mof-2020", "质量指标", "系统故障率", "≤1%", "≤1%", "3", "3",
         JX_SCORE_QUANT, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* = 0 target (安全事故数): met only at 0 */
        {"mof-2020", "质量指标", "安全事故数", "=0次", "1次", "5", "0",
         JX_SCORE_QUANT, JX_OUTCOME_NOT_MET, 0, JX_PROBLEM_NONE},
        /* = 0 target met */
        {"mof-2020", "质量指标", "安全事故数", "=0次", "0次", "5", "5",
         JX_SCORE_QUANT, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* bare 0 under 成本: ≤ 0, actual 0 → full (seed 004 成本节约率) */
        {"mof-2020", "成本指标", "成本节约率", "0", "0", "10", "10",
         JX_SCORE_QUANT, JX_OUTCOME_MET, 1, JX_PROBLEM_NONE},
        /* a fraction against a percentage: 0.95 vs 100% → 95% */
        {"mof-2020", "质量指标", "故障排除率", "100%", "0.95", "4", "3.8",
         JX_SCORE_QUANT, JX_OUTCOME_PARTIAL, 1, JX_PROBLEM_NONE},
        /* the same word: met, full points suggested */
        {"mof-2020", "时效指标", "系统故障响应及时性", "及时", "及时", "9", "9",
         JX_SCORE_QUAL, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* a worse word: 优秀 → 一般 is tier 2, suggested 0.7 × 3 = 2.1 */
        {"mof-2020", "质量指标", "异常处理能力", "优秀", "一般", "3", "2.1",
         JX_SCORE_QUAL, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
        /* two tier-1 words are as good as each other (seed 001) */
        {"mof-2020", "社会效益指标", "信息化建设优势", "明显发挥", "明显提升",
         "4", "4", JX_SCORE_QUAL, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* a percentage against a word target: 100% is tier 1 (seed 000) */
        {"mof-2020", "时效指标", "系统故障处置及时性", "及时", "100%", "4", "4",
         JX_SCORE_QUAL, JX_OUTCOME_MET, 0, JX_PROBLEM_NONE},
        /* a count against a word target cannot be compared */
        {"mof-2020", "时效指标", "处置及时性", "及时", "3项", "4", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_UNIT_MISMATCH},
        /* different count units: 1项 vs 2台 (seed 001) */
        {"mof-2020", "数量指标", "视频会议运维", "1 项", "2 台", "2", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_UNIT_MISMATCH},
        /* money against time cannot be compared */
        {"mof-2020", "成本指标", "经费", "≤10万元", "3天", "4", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_UNIT_MISMATCH},
        /* a blank actual is not scored */
        {"mof-2020", "数量指标", "培训人次", "≥100人次", "", "5", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_NO_ACTUAL},
        /* a blank target is not scored */
        {"mof-2020", "数量指标", "培训人次", "", "100人次", "5", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_NO_TARGET},
        /* a range cannot be read: reported, not guessed */
        {"mof-2020", "数量指标", "培训人次", "90%-95%", "93%", "5", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_UNPARSED_TARGET},
        /* an unknown word actual is not scored */
        {"mof-2020", "社会效益指标", "影响", "明显提升", "挺好的吧", "4", NULL,
         JX_SCORE_NONE, JX_OUTCOME_UNKNOWN, 0, JX_PROBLEM_UNKNOWN_WORD},
        /* full-width digits and symbols */
        {"mof-2020", "质量指标", "合格率", "≥９０％", "８１％", "10", "9",
         JX_SCORE_QUANT, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
        /* 不低于 is ≥; proportional 4 × 85/90 = 3.777… → 3.78 */
        {"mof-2020", "满意度指标", "满意度", "不低于90%", "85%", "4", "3.78",
         JX_SCORE_QUANT, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
        /* Hubei: qualitative tier 2 band is 50%-80% (suggestion stays in it) */
        {"hubei", "质量指标", "异常处理能力", "优秀", "一般", "10", "7",
         JX_SCORE_QUAL, JX_OUTCOME_PARTIAL, 0, JX_PROBLEM_NONE},
};

static void
test_indicators(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ind_cases) / sizeof(ind_cases[0]); i++) {
		const struct case_ind *c = &ind_cases[i];
		struct jx_rules r;
		struct jx_indicator ind;
		struct jx_ind_result o;
		char trace[JX_MAX_TRACE];

		memset(&ind, 0, sizeof(ind));
		assert_int_equal(tu_rules(&r, c->rules), 0);
		ind.level1 = "产出指标";
		ind.level2 = c->level2;
		ind.name = c->name;
		ind.target = c->target;
		ind.actual = c->actual;
		ind.weight = tu_opt(c->weight);
		jx_score_indicator(&ind, &r, &o);
		jx_score_trace(&ind, &r, &o, trace, sizeof(trace));
		if (o.kind != c->kind || o.problem != c->problem ||
		    o.outcome != c->outcome ||
		    (c->kind == JX_SCORE_QUANT &&
		     o.cmp_inferred != (c->inferred != 0)))
			fail_msg("case %zu (%s: %s vs %s): kind %d problem %d "
			         "outcome %d inferred %d; trace: %s",
			         i, c->name, c->target, c->actual, o.kind,
			         o.problem, o.outcome, o.cmp_inferred, trace);
		if (c->score != NULL && o.score != tu_dec(c->score)) {
			char b[32];

			jx_dec_format(o.score, -1, b, sizeof(b));
			fail_msg("case %zu (%s): score %s, expected %s; trace: "
			         "%s",
			         i, c->name, b, c->score, trace);
		}
		assert_true(trace[0] != '\0');
		jx_rules_cleanup(&r);
	}
}

/* The qualitative band: a stated score inside it is kept, outside it the
 * suggestion is used; bands are rounded at the rule set's places. */
static void
test_qualitative_band(void **state)
{
	struct jx_rules r;
	struct jx_indicator ind;
	struct jx_ind_result o;

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	memset(&ind, 0, sizeof(ind));
	ind.level2 = "质量指标";
	ind.name = "异常处理能力";
	ind.target = "优秀";
	ind.actual = "一般";
	ind.weight = tu_opt("3");
	ind.score_stated = tu_opt("2.3");
	jx_score_indicator(&ind, &r, &o);
	assert_int_equal(o.tier, 2);
	assert_true(o.score_lo == tu_dec("1.8"));
	assert_true(o.score_hi == tu_dec("2.4"));
	assert_true(o.score == tu_dec("2.3")); /* inside [1.8, 2.4) */
	ind.score_stated = tu_opt("3");
	jx_score_indicator(&ind, &r, &o);
	assert_true(o.score == tu_dec("2.1")); /* outside: the suggestion */
	ind.score_stated = tu_opt("2.4");
	jx_score_indicator(&ind, &r, &o);
	assert_true(o.score == tu_dec("2.1")); /* 2.4 is excluded */
	jx_rules_cleanup(&r);
}

static void
add_ind(struct jx_eval *e, const char *l1, const char *l2, const char *name,
        const char *t, const char *a, const char *w, const char *s)
{
	struct jx_indicator *ind;

	e->indicators = jx_arena_grow(&e->arena, e->indicators, e->nindicators,
	                              e->nindicators + 1, sizeof(*ind));
	assert_non_null(e->indicators);
	ind = &e->indicators[e->nindicators++];
	memset(ind, 0, sizeof(*ind));
	ind->level1 = l1;
	ind->level2 = l2;
	ind->name = name;
	ind->target = t;
	ind->actual = a;
	ind->weight = tu_opt(w);
	ind->score_stated = tu_opt(s);
}

/* Execution line: exact, rounded once (10 × 20/354 = 0.5649… → 0.56, not
 * 10 × 5.65% = 0.57), capped at the weight, n/a at a zero budget. */
static void
test_exec_line(void **state)
{
	struct jx_rules r;
	struct jx_eval e;
	struct jx_arena a;
	struct jx_result res;

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	jx_arena_init(&a, 0);
	jx_eval_init(&e);
	e.has_funds = true;
	e.funds.total.annual = tu_opt("354");
	e.funds.total.executed = tu_opt("20");
	e.funds.exec_weight = tu_opt("10");
	assert_int_equal(jx_score_run(&e, &r, &a, &res), JX_OK);
	assert_true(res.has_exec);
	assert_true(res.exec_rate == tu_dec("0.0565"));
	assert_true(res.exec_score == tu_dec("0.56"));

	e.funds.total.executed = tu_opt("400"); /* over 100%: capped */
	assert_int_equal(jx_score_run(&e, &r, &a, &res), JX_OK);
	assert_true(res.exec_score == tu_dec("10"));

	e.funds.total.annual = tu_opt("0");
	assert_int_equal(jx_score_run(&e, &r, &a, &res), JX_OK);
	assert_false(res.has_exec);
	assert_true(res.exec_na);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&a);
	jx_rules_cleanup(&r);
}

/* Total and grade: the sum of the lines, graded by the rule set. */
static void
test_total_grade(void **state)
{
	struct jx_rules r;
	struct jx_eval e;
	struct jx_arena a;
	struct jx_result res;

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	jx_arena_init(&a, 0);
	jx_eval_init(&e);
	e.has_funds = true;
	e.funds.total.annual = tu_opt("100");
	e.funds.total.executed = tu_opt("90");
	e.funds.exec_weight = tu_opt("10");
	add_ind(&e, "产出指标", "数量指标", "数量", "≥10项", "8项", "50", "40");
	add_ind(&e, "效益指标", "社会效益指标", "效益", "明显提升", "明显提升",
	        "30", "30");
	add_ind(&e, "满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%",
	        "10", "10");
	assert_int_equal(jx_score_run(&e, &r, &a, &res), JX_OK);
	assert_true(res.total_complete);
	assert_true(res.weight_sum == tu_dec("100"));
	/* 9 + 40 + 30 + 10 = 89 → 良 */
	assert_true(res.total == tu_dec("89"));
	assert_non_null(res.grade);
	assert_string_equal(res.grade->name, "良");
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&a);
	jx_rules_cleanup(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_indicators),
	        cmocka_unit_test(test_qualitative_band),
	        cmocka_unit_test(test_exec_line),
	        cmocka_unit_test(test_total_grade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
