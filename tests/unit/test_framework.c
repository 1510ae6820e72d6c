/*
 * test_framework.c - evaluation frameworks (include/jx/framework.h).
 * Seed 002's evaluation table (tests/data/frameworks/seed002.json: every
 * line with its weight, its written rule as data and the evidence the
 * report gives) is scored line by line: every line but one gets the score
 * the table states; 服务对象满意度 ("大于90%的得满分，每少1个百分点扣0.3分"
 * with the stated result "满意度大于96%") earns 10 by its own rule where
 * the table gives 9.4, so the computed total is 96 against the stated
 * 95.4 (the stated lines do add up to 95.4), grade 优 either way; with a
 * measured 88% the rule gives 9.4 and the total is exactly 95.4. Then each
 * rule kind at its edges, and bad files.
 */
#include "testutil.h"

#include "jx/framework.h"

static struct jx_rules rules;

static int
setup(void **state)
{
	(void)state;
	return tu_rules(&rules, "mof-2020");
}

static int
teardown(void **state)
{
	(void)state;
	jx_rules_cleanup(&rules);
	return 0;
}

static jx_dec
D(const char *s)
{
	jx_dec v = 0;

	assert_int_equal(jx_dec_parse(s, strlen(s), &v), JX_OK);
	return v;
}

static const struct jx_framework *
load(struct jx_arena *a, const char *text, size_t len, struct jx_diag *d,
     enum jx_err want)
{
	const struct jx_framework *fw = NULL;
	enum jx_err err;

	jx_diag_clear(d);
	err = jx_framework_parse(text, len, "t.json", a, &fw, d);
	if (err != want)
		fail_msg("parse: %d (%s), want %d", err, d->message, want);
	return fw;
}

static size_t
count_code(const struct jx_fw_result *r, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < r->findings.n; i++)
		n += strcmp(r->findings.items[i].code, code) == 0;
	return n;
}

static void
test_seed002(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	struct jx_fw_result res;
	const struct jx_framework *fw;
	size_t len = 0, i, sat = SIZE_MAX;
	char *buf = tu_read("tests/data/frameworks/seed002.json", &len);

	(void)state;
	assert_non_null(buf);
	jx_arena_init(&a, 0);
	fw = load(&a, buf, len, &d, JX_OK);
	assert_int_equal(fw->nlines, 21);
	assert_int_equal(jx_framework_score(fw, &rules, &a, &res), JX_OK);
	assert_true(res.complete);
	assert_int_equal(res.weight_sum, D("100"));
	for (i = 0; i < fw->nlines; i++) {
		const struct jx_fw_line *ln = &fw->lines[i];

		assert_true(res.lines[i].scored);
		if (strcmp(ln->name, "服务对象满意度") == 0) {
			sat = i;
			continue;
		}
		if (res.lines[i].score != ln->stated.v)
			fail_msg("%s: computed %lld, stated %lld (%s)",
			         ln->name, (long long)res.lines[i].score,
			         (long long)ln->stated.v, res.lines[i].trace);
	}
	/* the line the seed scores against its own written rule */
	assert_true(sat != SIZE_MAX);
	assert_int_equal(res.lines[sat].score, D("10"));
	assert_int_equal(fw->lines[sat].stated.v, D("9.4"));
	assert_int_equal(res.total, D("96"));
	assert_non_null(res.grade);
	assert_string_equal(res.grade->name, "优");
	assert_int_equal(count_code(&res, "FW_LINE_SCORE"), 1);
	assert_int_equal(count_code(&res, "FW_TOTAL"), 1);
	assert_int_equal(count_code(&res, "FW_TOTAL_SUM"), 0); /* 95.4 */
	assert_int_equal(count_code(&res, "FW_WEIGHT_SUM"), 0);
	assert_int_equal(count_code(&res, "FW_GRADE"), 0);
	assert_int_equal(count_code(&res, "FW_REASON_MISSING"), 0);
	for (i = 0; i < res.findings.n; i++)
		if (strcmp(res.findings.items[i].code, "FW_LINE_SCORE") == 0) {
			assert_string_equal(res.findings.items[i].where,
			                    "效果/项目效益/服务对象满意度");
			assert_string_equal(res.findings.items[i].stated,
			                    "9.4");
			assert_string_equal(res.findings.items[i].computed,
			                    "10");
		}
	/* the rule's own arithmetic: two points below 90 cost 0.6 */
	{
		char *alt = strdup(buf);
		char *p = strstr(alt, "\"value\": \"96\"");

		assert_non_null(p);
		memcpy(p, "\"value\": \"88\"", strlen("\"value\": \"88\""));
		fw = load(&a, alt, len, &d, JX_OK);
		assert_int_equal(jx_framework_score(fw, &rules, &a, &res),
		                 JX_OK);
		assert_int_equal(res.lines[sat].score, D("9.4"));
		assert_int_equal(res.total, D("95.4"));
		assert_string_equal(res.grade->name, "优");
		assert_int_equal(res.findings.n, 0);
		free(alt);
	}
	jx_arena_cleanup(&a);
	free(buf);
}

/* One line of kind rule with input, scored: its score. */
static jx_dec
one(struct jx_arena *a, const char *weight, const char *rule, const char *input)
{
	char text[2048];
	struct jx_diag d;
	struct jx_fw_result res;
	const struct jx_framework *fw;

	snprintf(text, sizeof(text),
	         "{\"format\":\"jixiao-framework/1\",\"title\":\"t\","
	         "\"lines\":[{\"level1\":\"一\",\"name\":\"n\",\"weight\":\"%"
	         "s\","
	         "\"rule\":%s,\"input\":%s}]}",
	         weight, rule, input);
	fw = load(a, text, strlen(text), &d, JX_OK);
	assert_int_equal(jx_framework_score(fw, NULL, a, &res), JX_OK);
	assert_true(res.lines[0].scored);
	return res.lines[0].score;
}

static void
test_kinds(void **state)
{
	struct jx_arena a;
	const char *thr = "{\"type\":\"threshold\",\"full_at\":\"90\","
	                  "\"inclusive\":false,\"step\":\"5\",\"deduct\":"
	                  "\"0.5\"}";
	const char *thr_incl_full =
	        "{\"type\":\"threshold\",\"full_at\":\"90\",\"step\":\"5\","
	        "\"deduct\":\"0.5\",\"per\":\"full\"}";

	(void)state;
	jx_arena_init(&a, 0);
	/* threshold: above, exactly at an exclusive edge, a started step,
	 * a full step, floor at 0 */
	assert_int_equal(one(&a, "1", thr, "{\"value\":\"90.5\"}"), D("1"));
	assert_int_equal(one(&a, "1", thr, "{\"value\":\"90\"}"), D("0.5"));
	assert_int_equal(one(&a, "1", thr, "{\"value\":\"89\"}"), D("0.5"));
	assert_int_equal(one(&a, "1", thr, "{\"value\":\"85\"}"), D("0.5"));
	assert_int_equal(one(&a, "1", thr, "{\"value\":\"84.9\"}"), D("0"));
	assert_int_equal(one(&a, "1", thr, "{\"value\":\"10\"}"), D("0"));
	assert_int_equal(one(&a, "2", thr_incl_full, "{\"value\":\"90\"}"),
	                 D("2"));
	assert_int_equal(one(&a, "2", thr_incl_full, "{\"value\":\"86\"}"),
	                 D("2"));
	assert_int_equal(one(&a, "2", thr_incl_full, "{\"value\":\"85\"}"),
	                 D("1.5"));
	/* at most: 三公经费控制率 ≤ 100% full, −1 per point over */
	assert_int_equal(
	        one(&a, "5",
	            "{\"type\":\"threshold\",\"direction\":\"at_most\","
	            "\"full_at\":\"100\",\"step\":\"1\",\"deduct\":"
	            "\"1\"}",
	            "{\"value\":\"102.5\"}"),
	        D("2"));
	/* percentage of the weight: 95.52 full, 90 costs 5% of 2, < 60 0 */
	{
		const char *pct = "{\"type\":\"pct_of_weight\",\"full_at\":"
		                  "\"95\",\"pct_per_point\":\"1\","
		                  "\"zero_below\":\"60\"}";

		assert_int_equal(one(&a, "2", pct, "{\"value\":\"95\"}"),
		                 D("2"));
		assert_int_equal(one(&a, "2", pct, "{\"value\":\"90\"}"),
		                 D("1.9"));
		assert_int_equal(one(&a, "2", pct, "{\"value\":\"59.9\"}"),
		                 D("0"));
		assert_int_equal(one(&a, "2", pct, "{\"value\":\"60\"}"),
		                 D("1.3"));
	}
	/* ratio both ways */
	assert_int_equal(one(&a, "10",
	                     "{\"type\":\"ratio\",\"target\":\"200\"}",
	                     "{\"value\":\"150\"}"),
	                 D("7.5"));
	assert_int_equal(one(&a, "10",
	                     "{\"type\":\"ratio\",\"target\":\"50\","
	                     "\"lower_better\":true}",
	                     "{\"value\":\"80\"}"),
	                 D("6.25"));
	/* bands: 重点支出安排率 ≥90 5, 80–90 4, ... < 60 0 */
	{
		const char *bands =
		        "{\"type\":\"bands\",\"bands\":[{\"min\":\"90\","
		        "\"points\":\"5\"},{\"min\":\"80\",\"points\":\"4\"},"
		        "{\"min\":\"60\",\"points\":\"2\",\"inclusive\":false}]"
		        "}";

		assert_int_equal(one(&a, "5", bands, "{\"value\":\"90\"}"),
		                 D("5"));
		assert_int_equal(one(&a, "5", bands, "{\"value\":\"89.99\"}"),
		                 D("4"));
		assert_int_equal(one(&a, "5", bands, "{\"value\":\"60\"}"),
		                 D("0"));
	}
	/* checklist: per failure, serious → 0; count; manual */
	{
		const char *cl = "{\"type\":\"checklist\",\"deduct\":\"2\","
		                 "\"serious_zero\":true}";

		assert_int_equal(one(&a, "4", cl, "{\"failed\":1}"), D("2"));
		assert_int_equal(one(&a, "4", cl, "{\"failed\":3}"), D("0"));
		assert_int_equal(
		        one(&a, "4", cl, "{\"failed\":0,\"serious\":true}"),
		        D("0"));
	}
	assert_int_equal(one(&a, "12", "{\"type\":\"count\",\"deduct\":\"1\"}",
	                     "{\"count\":2}"),
	                 D("10"));
	assert_int_equal(one(&a, "6", "{\"type\":\"manual\"}",
	                     "{\"score\":\"4.5\",\"reason\":\"部分实现\"}"),
	                 D("4.5"));
	jx_arena_cleanup(&a);
}

static void
test_template_and_weights(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	struct jx_fw_result res;
	const struct jx_framework *fw;
	const char *text =
	        "{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":["
	        "{\"level1\":\"决策\",\"name\":\"a\",\"weight\":\"30\","
	        "\"rule\":{\"type\":\"manual\"}},"
	        "{\"level1\":\"产出\",\"name\":\"b\",\"weight\":\"60\","
	        "\"rule\":{\"type\":\"count\",\"deduct\":\"1\"},"
	        "\"input\":{\"count\":1},\"stated\":\"59\"}]}";

	(void)state;
	jx_arena_init(&a, 0);
	fw = load(&a, text, strlen(text), &d, JX_OK);
	assert_int_equal(jx_framework_score(fw, &rules, &a, &res), JX_OK);
	assert_false(res.complete); /* a template line has no input */
	assert_false(res.lines[0].scored);
	assert_null(res.grade);
	assert_int_equal(count_code(&res, "FW_WEIGHT_SUM"), 1);
	assert_int_equal(count_code(&res, "FW_REASON_MISSING"), 1);
	jx_arena_cleanup(&a);
}

static void
test_bad(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	        {"[]", "应为一个 JSON 对象"},
	        {"{\"format\":\"x\"}", "jixiao-framework/1"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\","
	         "\"lines\":[]}",
	         "非空数组"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\","
	         "\"extra\":1,\"lines\":[]}",
	         "未知的字段“extra”"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":"
	         "[{\"level1\":\"a\",\"name\":\"n\",\"weight\":\"5\",\"rule\":"
	         "{\"type\":\"guess\"}}]}",
	         "未知的计分规则类型"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":"
	         "[{\"level1\":\"a\",\"name\":\"n\",\"weight\":\"5\",\"rule\":"
	         "{\"type\":\"threshold\",\"full_at\":\"90\",\"deduct\":\"1\"}}"
	         "]}",
	         "step：缺少此字段"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":"
	         "[{\"level1\":\"a\",\"name\":\"n\",\"weight\":\"5\",\"rule\":"
	         "{\"type\":\"manual\"},\"input\":{\"score\":\"3\"}}]}",
	         "须写明扣分原因"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":"
	         "[{\"level1\":\"a\",\"name\":\"n\",\"weight\":\"5\",\"rule\":"
	         "{\"type\":\"manual\"},\"input\":{\"score\":\"6\","
	         "\"reason\":\"r\"}}]}",
	         "应在 0 与指标分值之间"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":"
	         "[{\"level1\":\"a\",\"name\":\"n\",\"weight\":\"五\",\"rule\":"
	         "{\"type\":\"manual\"}}]}",
	         "weight：应为数值"},
	        {"{\"format\":\"jixiao-framework/1\",\"title\":\"t\",\"lines\":"
	         "[{\"level1\":\"a\",\"name\":\"n\",\"weight\":\"5\",\"rule\":"
	         "{\"type\":\"bands\",\"bands\":[{\"min\":\"60\",\"points\":"
	         "\"2\"},{\"min\":\"80\",\"points\":\"4\"}]}}]}",
	         "由高到低"},
	        {"{\"format\":\"jixiao-framework/1\",\"format\":\"x\"}",
	         "重复"},
	};
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_framework *fw = NULL;
	size_t i;

	(void)state;
	jx_arena_init(&a, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		jx_diag_clear(&d);
		assert_int_not_equal(jx_framework_parse(cases[i].text,
		                                        strlen(cases[i].text),
		                                        "t.json", &a, &fw, &d),
		                     JX_OK);
		if (strstr(d.message, cases[i].want) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, d.message,
			         cases[i].want);
	}
	jx_arena_cleanup(&a);
}

/* The built-in templates parse and weigh 100. */
static void
test_templates(void **state)
{
	static const char *const files[] = {
	        "rules/frameworks/mof-2020.json",
	        "rules/frameworks/legacy-2013.json"};
	struct jx_arena a;
	struct jx_diag d;
	struct jx_fw_result res;
	const struct jx_framework *fw;
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < 2; i++) {
		char *buf = tu_read(files[i], &len);

		assert_non_null(buf);
		jx_arena_init(&a, 0);
		jx_diag_clear(&d);
		tu_must(jx_framework_parse(buf, len, files[i], &a, &fw, &d), &d,
		        files[i]);
		assert_int_equal(jx_framework_score(fw, &rules, &a, &res),
		                 JX_OK);
		assert_int_equal(res.weight_sum, D("100"));
		assert_false(res.complete);
		jx_arena_cleanup(&a);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_seed002),
	        cmocka_unit_test(test_kinds),
	        cmocka_unit_test(test_template_and_weights),
	        cmocka_unit_test(test_bad),
	        cmocka_unit_test(test_templates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
