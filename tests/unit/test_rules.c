/*
 * test_rules.c - the rule-set loader and its lookups.
 *
 * Every built-in rule set (the JSON files in rules/) must load; every fixture
 * under tests/data/rules/ is loaded and compared with its .expect file (error
 * name, field path, line, a fragment of the message); the lookups (words,
 * first-level names, grades, bands, bare comparisons) are checked against
 * tables of cases.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jx/limits.h"
#include "jx/rules.h"
#include "testutil.h"

#define RULES_DIR JX_SOURCE_DIR "/rules"
#define DATA_DIR  JX_SOURCE_DIR "/tests/data/rules"
#define MAX_FILES 256

static char *read_file(const char *path, size_t *len);
static size_t list_json(const char *dir, char **names, size_t cap);
static int str_cmp(const void *a, const void *b);
static void load_builtin(const char *stem, struct jx_rules *r);
static jx_dec dec(const char *s);

/* The whole file, NUL-terminated; the test fails when it cannot be read. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n = 0;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		fail_msg("cannot size %s", path);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("cannot read %s", path);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Sorted stems of the *.json files in dir (caller frees each). */
static size_t
list_json(const char *dir, char **names, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0, len;

	if (d == NULL)
		fail_msg("cannot open directory %s", dir);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		assert_true(n < cap);
		names[n] = malloc(len - 4);
		assert_non_null(names[n]);
		memcpy(names[n], e->d_name, len - 5);
		names[n][len - 5] = '\0';
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), str_cmp);
	return n;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
load_builtin(const char *stem, struct jx_rules *r)
{
	char path[512];
	struct jx_diag d;
	char msg[1024];
	size_t len;
	char *buf;
	enum jx_err err;

	snprintf(path, sizeof(path), "%s/%s.json", RULES_DIR, stem);
	buf = read_file(path, &len);
	err = jx_rules_load(r, buf, len, stem, path, &d);
	free(buf);
	if (err != JX_OK) {
		jx_diag_format(&d, msg, sizeof(msg));
		fail_msg("%s: %s", jx_err_name(err), msg);
	}
}

static jx_dec
dec(const char *s)
{
	jx_dec v = 0;

	assert_int_equal(jx_dec_parse(s, strlen(s), &v), JX_OK);
	return v;
}

/* Every file in rules/ loads, has sorted unique words, a sizeable
 * vocabulary and its title; the four documented ones are there. */
static void
test_builtins_load(void **state)
{
	static const char *const required[] = {
	        "mof-2020", "hubei", "sichuan-daying", "vendor-80-70-60"};
	char *names[MAX_FILES];
	struct jx_rules r;
	size_t n, i, j;

	(void)state;
	n = list_json(RULES_DIR, names, MAX_FILES);
	for (j = 0; j < sizeof(required) / sizeof(required[0]); j++) {
		for (i = 0; i < n; i++)
			if (strcmp(names[i], required[j]) == 0)
				break;
		if (i == n)
			fail_msg("rules/%s.json missing", required[j]);
	}
	for (i = 0; i < n; i++) {
		load_builtin(names[i], &r);
		assert_string_equal(r.name, names[i]);
		assert_true(strlen(r.title) > 0);
		assert_true(r.nwords >= 40);
		for (j = 1; j < r.nwords; j++)
			assert_true(strcmp(r.words[j - 1].word,
			                   r.words[j].word) < 0);
		jx_rules_cleanup(&r);
		free(names[i]);
	}
}

/* Every fixture gives the error, field, line and message its .expect
 * names; a refused rule set leaves r empty. */
static void
test_fixtures(void **state)
{
	char *names[MAX_FILES];
	char path[512], want[512], msg[1024];
	struct jx_rules r;
	struct jx_diag d;
	size_t n, i, len, elen, invalid = 0;
	char *buf, *expect;
	enum jx_err err;
	int found;

	(void)state;
	n = list_json(DATA_DIR, names, MAX_FILES);
	assert_true(n >= 20);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.json", DATA_DIR, names[i]);
		buf = read_file(path, &len);
		snprintf(path, sizeof(path), "%s/%s.expect", DATA_DIR,
		         names[i]);
		expect = read_file(path, &elen);
		err = jx_rules_load(&r, buf, len, names[i], names[i], &d);
		jx_diag_format(&d, msg, sizeof(msg));

		found = tu_expect_field(expect, "error", want, sizeof(want));
		assert_true(found);
		if (strcmp(want, jx_err_name(err)) != 0)
			fail_msg("%s: error %s, expected %s (%s)", names[i],
			         jx_err_name(err), want, msg);
		if (err == JX_OK) {
			assert_non_null(r.level1);
			jx_rules_cleanup(&r);
		} else {
			invalid++;
			assert_null(r.level1);
			assert_null(r.words);
			assert_int_equal(r.nwords, 0);
			assert_int_equal(r.ngrades, 0);
			jx_rules_cleanup(&r);
		}
		found = tu_expect_field(expect, "field", want, sizeof(want));
		if (found && strcmp(want, d.field) != 0)
			fail_msg("%s: field \"%s\", expected \"%s\" (%s)",
			         names[i], d.field, want, msg);
		found = tu_expect_field(expect, "line", want, sizeof(want));
		if (found && d.line != (int)strtol(want, NULL, 10))
			fail_msg("%s: line %d, expected %s (%s)", names[i],
			         d.line, want, msg);
		found = tu_expect_field(expect, "message", want, sizeof(want));
		if (found && strstr(d.message, want) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", names[i],
			         d.message, want);
		free(buf);
		free(expect);
		free(names[i]);
	}
	assert_true(invalid >= 15);
}

/* The default rule set holds the central constants. */
static void
test_mof_values(void **state)
{
	struct jx_rules r;

	(void)state;
	load_builtin("mof-2020", &r);
	assert_int_equal(r.places, 2);
	assert_int_equal(r.total_places, 2);
	assert_true(r.total_weight == dec("100"));
	assert_int_equal(r.nlevel1, 3);
	assert_false(r.level1_free);
	assert_string_equal(r.level1[0].name, "产出指标");
	assert_true(r.level1[0].weight == dec("50"));
	assert_int_equal(r.level1[0].kind, JX_L1_OUTPUT);
	assert_true(r.level1[1].weight == dec("30"));
	assert_true(r.level1[2].weight == dec("10"));
	assert_int_equal(r.level1[2].kind, JX_L1_SATISFACTION);
	assert_string_equal(r.satisfaction_fallback, "效益指标");
	assert_true(r.exec.weight == dec("10"));
	assert_int_equal(r.exec.method, JX_EXEC_PROPORTIONAL);
	assert_int_equal(r.exec.base, JX_EXEC_BASE_ANNUAL);
	assert_true(r.exec.reason_below == dec("0.9"));
	assert_int_equal(r.quant.reverse, JX_REVERSE_LINEAR_2T);
	assert_int_equal(r.quant.bare_default, JX_CMP_EQ);
	assert_true(r.quant.over_ratio == dec("1.3"));
	assert_int_equal(r.quant.over_penalty, JX_OVER_NONE);
	assert_true(r.quant.large_over == dec("2"));
	assert_true(r.quant.large_under == dec("0.5"));
	assert_true(r.tiers[0].band.lo == dec("0.8") &&
	            r.tiers[0].band.lo_incl);
	assert_true(r.tiers[0].band.hi == dec("1") && r.tiers[0].band.hi_incl);
	assert_true(r.tiers[1].band.lo == dec("0.6") &&
	            !r.tiers[1].band.hi_incl);
	assert_true(r.tiers[2].band.lo == 0 &&
	            r.tiers[2].band.hi == dec("0.6"));
	assert_true(r.tiers[0].suggest == dec("1"));
	assert_true(r.tiers[1].suggest == dec("0.7"));
	assert_true(r.tiers[2].suggest == dec("0.3"));
	assert_int_equal(r.tiers[1].outcome, JX_OUTCOME_PARTIAL);
	assert_int_equal(r.ngrades, 4);
	assert_string_equal(r.grades[0].name, "优");
	assert_true(r.grades[0].min == dec("90"));
	assert_false(r.grading_optional);
	assert_true(r.tol.score == dec("0.01"));
	assert_true(r.tol.rate == dec("0.01"));
	assert_true(r.tol.money == dec("0.01"));
	assert_true(r.reason.when_below_weight && r.reason.when_over &&
	            r.reason.when_exec_below);
	assert_true(jx_rules_level1_sum(&r) == dec("90"));
	jx_rules_cleanup(&r);
}

/* The regional variants differ where their sources say. */
static void
test_variants(void **state)
{
	struct jx_rules r;
	const struct jx_rules_level1 *l;

	(void)state;
	load_builtin("hubei", &r);
	assert_true(r.exec.weight == dec("20"));
	assert_int_equal(r.nlevel1, 2);
	assert_true(r.tiers[1].band.lo == dec("0.5"));
	assert_true(r.tiers[2].band.hi == dec("0.5"));
	assert_true(r.grading_optional);
	assert_null(r.satisfaction_fallback);
	/* 满意度 counts with 效益 in Hubei. */
	l = jx_rules_level1_find(&r, "满意度指标");
	assert_non_null(l);
	assert_string_equal(l->name, "效益指标");
	assert_int_equal(jx_rules_numeric_tier(&r, dec("0.55")), 2);
	jx_rules_cleanup(&r);

	load_builtin("sichuan-daying", &r);
	assert_true(r.level1_free);
	assert_true(jx_rules_level1_sum(&r) == dec("90"));
	assert_non_null(jx_rules_level1_find(&r, "成本指标"));
	assert_true(r.level1[0].weight == 0);
	jx_rules_cleanup(&r);

	load_builtin("vendor-80-70-60", &r);
	assert_int_equal(r.places, 0);
	assert_int_equal(r.total_places, 0);
	assert_string_equal(jx_rules_grade_for(&r, dec("80"))->name, "优");
	assert_string_equal(jx_rules_grade_for(&r, dec("79"))->name, "良");
	assert_string_equal(jx_rules_grade_for(&r, dec("68"))->name, "中");
	jx_rules_cleanup(&r);
}

/* Word -> tier in the default vocabulary. */
static void
test_words(void **state)
{
	static const struct {
		const char *word;
		int tier;
	} cases[] = {
	        {"及时", 1},         /* the commonest target word [P0, P4] */
	        {"达标", 1},         /* P4 */
	        {"明显提升", 1},     /* P1 */
	        {"明显 提升", 1},    /* a stray space is folded */
	        {"　明显提升　", 1}, /* ideographic spaces too */
	        {"显著提高", 1},     /* P0 */
	        {"可持续", 1},       /* P0 */
	        {"长期", 1},         /* P1 */
	        {"落实", 1},         /* P4 */
	        {"优秀", 1},         /* P1 target */
	        {"良好", 1},         /* 良 80-90 lies in tier 1's 80-100% */
	        {"基本达成", 1},     /* "全部或基本达成预期指标" */
	        {"一般", 2},         /* P1 actual against 优秀 */
	        {"部分达成", 2},
	        {"有所提升", 2},
	        {"基本满意", 2},
	        {"较差", 3},
	        {"不及时", 3},
	        {"未达标", 3},
	        {"积极营造", 0}, /* P0: prose, not a vocabulary word */
	        {"", 0},
	        {"明显", 1},
	        {"明显提升了", 0}, /* no stemming: exact words only */
	};
	struct jx_rules r;
	size_t i;
	int tier;

	(void)state;
	load_builtin("mof-2020", &r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tier = jx_rules_word_tier(&r, cases[i].word,
		                          strlen(cases[i].word));
		if (tier != cases[i].tier)
			fail_msg("%s: tier %d, expected %d", cases[i].word,
			         tier, cases[i].tier);
	}
	assert_int_equal(jx_rules_word_tier(&r, NULL, 0), 0);
	assert_int_equal(jx_rules_word_tier(NULL, "及时", 6), 0);
	/* len is honoured: "及时" followed by more bytes. */
	assert_int_equal(jx_rules_word_tier(&r, "及时XYZ", 6), 1);
	jx_rules_cleanup(&r);
}

/* First-level names, folded; aliases. */
static void
test_level1(void **state)
{
	static const struct {
		const char *name;
		const char *want; /* entry name, NULL = not found */
	} cases[] = {
	        {"产出指标", "产出指标"},
	        {"产出", "产出指标"},      /* trailing 指标 ignored */
	        {"产出 指标", "产出指标"}, /* spaces folded */
	        {"效益指标", "效益指标"},
	        {"服务对象满意度指标", "满意度指标"}, /* alias */
	        {"满意度", "满意度指标"},
	        {"成本指标", NULL}, /* second-level under D1 */
	        {"预算执行指标", NULL},
	        {"指标", NULL},
	        {"", NULL},
	};
	struct jx_rules r;
	const struct jx_rules_level1 *l;
	jx_dec w = -1;
	size_t i;

	(void)state;
	load_builtin("mof-2020", &r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		l = jx_rules_level1_find(&r, cases[i].name);
		if (cases[i].want == NULL && l != NULL)
			fail_msg("%s: found %s", cases[i].name, l->name);
		if (cases[i].want != NULL &&
		    (l == NULL || strcmp(l->name, cases[i].want) != 0))
			fail_msg("%s: expected %s", cases[i].name,
			         cases[i].want);
	}
	assert_null(jx_rules_level1_find(&r, NULL));

	/* With satisfaction indicators the weights are as written. */
	assert_true(jx_rules_level1_expected(&r, &r.level1[1], true, &w));
	assert_true(w == dec("30"));
	/* Without, 满意度's 10 points go to 效益. */
	assert_true(jx_rules_level1_expected(&r, &r.level1[1], false, &w));
	assert_true(w == dec("40"));
	assert_true(jx_rules_level1_expected(&r, &r.level1[2], false, &w));
	assert_true(w == 0);
	assert_true(jx_rules_level1_expected(&r, &r.level1[0], false, &w));
	assert_true(w == dec("50"));
	jx_rules_cleanup(&r);

	load_builtin("sichuan-daying", &r);
	w = 7;
	assert_false(jx_rules_level1_expected(&r, &r.level1[0], true, &w));
	assert_true(w == 7);
	jx_rules_cleanup(&r);
}

/* Grades by total and by name. */
static void
test_grades(void **state)
{
	static const struct {
		const char *total;
		const char *grade;
	} by_total[] = {
	        {"100", "优"},   {"90", "优"}, {"89.99", "良"}, {"80", "良"},
	        {"79.99", "中"}, {"60", "中"}, {"59.99", "差"}, {"0", "差"},
	};
	static const struct {
		const char *text;
		const char *grade; /* NULL = none */
	} by_name[] = {
	        {"优", "优"},   {"优秀", "优"}, {"良 好", "良"},
	        {"一般", "中"}, {"中等", "中"}, {"较差", "差"},
	        {"差", "差"},   {"很好", NULL}, {"", NULL},
	};
	struct jx_rules r;
	const struct jx_rules_grade *g;
	size_t i;
	char path[512];
	size_t len;
	char *buf;
	struct jx_diag d;

	(void)state;
	load_builtin("mof-2020", &r);
	for (i = 0; i < sizeof(by_total) / sizeof(by_total[0]); i++) {
		g = jx_rules_grade_for(&r, dec(by_total[i].total));
		assert_non_null(g);
		if (strcmp(g->name, by_total[i].grade) != 0)
			fail_msg("%s: %s, expected %s", by_total[i].total,
			         g->name, by_total[i].grade);
	}
	for (i = 0; i < sizeof(by_name) / sizeof(by_name[0]); i++) {
		g = jx_rules_grade_find(&r, by_name[i].text);
		if (by_name[i].grade == NULL
		            ? g != NULL
		            : g == NULL || strcmp(g->name, by_name[i].grade))
			fail_msg("grade_find(%s)", by_name[i].text);
	}
	assert_null(jx_rules_grade_find(&r, NULL));
	jx_rules_cleanup(&r);

	/* min_incl false: "大于90" is 优, 90 itself is not. */
	snprintf(path, sizeof(path), "%s/004-ok-free-linear-grades.json",
	         DATA_DIR);
	buf = read_file(path, &len);
	assert_int_equal(jx_rules_load(&r, buf, len, "t", path, &d), JX_OK);
	free(buf);
	assert_string_equal(jx_rules_grade_for(&r, dec("90"))->name, "合格");
	assert_string_equal(jx_rules_grade_for(&r, dec("90.01"))->name, "优");
	assert_string_equal(jx_rules_grade_for(&r, dec("59.5"))->name, "合格");
	assert_string_equal(jx_rules_grade_for(&r, dec("59.49"))->name,
	                    "不合格");
	assert_string_equal(jx_rules_grade_find(&r, "及格")->name, "合格");
	assert_true(r.grading_optional);
	jx_rules_cleanup(&r);

	/* No grades at all. */
	snprintf(path, sizeof(path), "%s/000-ok-minimal.json", DATA_DIR);
	buf = read_file(path, &len);
	assert_int_equal(jx_rules_load(&r, buf, len, "t", path, &d), JX_OK);
	free(buf);
	assert_null(jx_rules_grade_for(&r, dec("95")));
	assert_null(jx_rules_grade_find(&r, "优"));
	assert_null(jx_rules_grade_for(NULL, dec("95")));
	jx_rules_cleanup(&r);
}

/* A bare number's comparison by second-level name. */
static void
test_bare_cmp(void **state)
{
	static const struct {
		const char *level2;
		enum jx_cmp cmp;
	} mof[] = {
	        {NULL, JX_CMP_EQ},       /* default: eq */
	        {"数量指标", JX_CMP_EQ}, /* P1 "1项" */
	        {"成本指标", JX_CMP_LE}, /* P3 "信息系统电费（万元）" 12 */
	        {"成本", JX_CMP_LE},         /* suffix folded */
	        {"成本 指标", JX_CMP_LE},    /* spaces folded */
	        {"经济成本指标", JX_CMP_LE}, /* D2 first-level cost tree */
	        {"时效指标", JX_CMP_EQ}, /* 及时率 is a higher-is-better rate */
	        {"", JX_CMP_EQ},
	};
	struct jx_rules r;
	struct jx_diag d;
	char path[512];
	size_t i, len;
	char *buf;

	(void)state;
	load_builtin("mof-2020", &r);
	for (i = 0; i < sizeof(mof) / sizeof(mof[0]); i++)
		if (jx_rules_bare_cmp(&r, mof[i].level2) != mof[i].cmp)
			fail_msg("bare_cmp(%s)",
			         mof[i].level2 ? mof[i].level2 : "NULL");
	jx_rules_cleanup(&r);
	assert_int_equal(jx_rules_bare_cmp(NULL, "成本指标"), JX_CMP_EQ);

	snprintf(path, sizeof(path), "%s/004-ok-free-linear-grades.json",
	         DATA_DIR);
	buf = read_file(path, &len);
	assert_int_equal(jx_rules_load(&r, buf, len, "t", path, &d), JX_OK);
	free(buf);
	assert_int_equal(jx_rules_bare_cmp(&r, NULL), JX_CMP_GE);
	assert_int_equal(jx_rules_bare_cmp(&r, "数量指标"), JX_CMP_GE);
	assert_int_equal(jx_rules_bare_cmp(&r, "时效指标"), JX_CMP_LE);
	assert_int_equal(jx_rules_bare_cmp(&r, "成本"), JX_CMP_LE);
	assert_int_equal(r.quant.reverse, JX_REVERSE_RATIO);
	assert_int_equal(r.quant.over_penalty, JX_OVER_LINEAR);
	assert_true(r.quant.over_ratio == dec("1.5"));
	assert_true(r.quant.over_penalty_rate == dec("0.5"));
	assert_true(r.quant.large_over == dec("3"));
	assert_true(r.quant.large_under == dec("0.25"));
	assert_true(r.level1_free);
	assert_int_equal(r.nlevel1, 5);
	jx_rules_cleanup(&r);
}

/* Bands: inclusivity at each edge, open edges, numeric tiers. */
static void
test_bands(void **state)
{
	static const struct {
		struct jx_band b;
		const char *v;
		bool in;
	} cases[] = {
	        /* [0.8, 1] */
	        {{true, true, true, true, 800000, 1000000, 0}, "0.8", true},
	        {{true, true, true, true, 800000, 1000000, 0}, "1", true},
	        {{true, true, true, true, 800000, 1000000, 0},
	         "0.799999",
	         false},
	        {{true, true, true, true, 800000, 1000000, 0},
	         "1.000001",
	         false},
	        /* (0.6, 0.8) */
	        {{true, true, false, false, 600000, 800000, 0}, "0.6", false},
	        {{true, true, false, false, 600000, 800000, 0}, "0.7", true},
	        {{true, true, false, false, 600000, 800000, 0}, "0.8", false},
	        /* [0.9, +inf) */
	        {{true, false, true, false, 900000, 0, 0}, "5", true},
	        {{true, false, true, false, 900000, 0, 0}, "0.9", true},
	        /* (-inf, 0.6) */
	        {{false, true, false, false, 0, 600000, 0}, "-3", true},
	        {{false, true, false, false, 0, 600000, 0}, "0.6", false},
	        /* [0, 0]: a single point (预算调整率 = 0) */
	        {{true, true, true, true, 0, 0, 0}, "0", true},
	        {{true, true, true, true, 0, 0, 0}, "0.000001", false},
	};
	static const struct {
		const char *v;
		int tier;
	} numeric[] = {
	        {"1", 1},   {"1.2", 1},  {"0.8", 1}, {"0.799999", 2},
	        {"0.6", 2}, {"0.59", 3}, {"0", 3},   {"-0.1", 0},
	};
	struct jx_rules r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (jx_rules_band_contains(&cases[i].b, dec(cases[i].v)) !=
		    cases[i].in)
			fail_msg("band case %zu (%s)", i, cases[i].v);
	assert_false(jx_rules_band_contains(NULL, 0));

	load_builtin("mof-2020", &r);
	for (i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
		if (jx_rules_numeric_tier(&r, dec(numeric[i].v)) !=
		    numeric[i].tier)
			fail_msg("numeric_tier(%s)", numeric[i].v);
	/* The tier bands tile [0, 1]: every score fraction is in one tier. */
	for (i = 0; i <= 100; i++) {
		jx_dec v = (jx_dec)i * 10000;
		int k, hits = 0;

		for (k = 0; k < 3; k++)
			hits += jx_rules_band_contains(&r.tiers[k].band, v);
		assert_int_equal(hits, 1);
	}
	jx_rules_cleanup(&r);
	assert_int_equal(jx_rules_numeric_tier(NULL, JX_DEC_ONE), 0);
}

/* Exact reading of numbers in every allowed form; exec methods. */
static void
test_numbers_and_exec(void **state)
{
	struct jx_rules r;
	struct jx_diag d;
	char path[512];
	size_t len;
	char *buf;

	(void)state;
	snprintf(path, sizeof(path), "%s/003-ok-unicode.json", DATA_DIR);
	buf = read_file(path, &len);
	assert_int_equal(jx_rules_load(&r, buf, len, "u", path, &d), JX_OK);
	free(buf);
	assert_true(r.tiers[0].band.lo == dec("0.8")); /* "８０％" */
	assert_true(r.tiers[0].band.hi == dec("1"));   /* " 100 % " */
	assert_true(r.tiers[1].suggest == dec("0.7")); /* "0.7" */
	assert_true(r.tiers[2].suggest == dec("0.3")); /* "30%" */
	assert_true(r.tiers[2].band.lo == 0);          /* 0 */
	assert_string_equal(r.title, "全角与转义 😀");
	assert_int_equal(jx_rules_word_tier(&r, "及时", strlen("及时")), 1);
	assert_int_equal(jx_rules_word_tier(&r, "OK", 2), 1);
	assert_int_equal(jx_rules_word_tier(&r, "达标", strlen("达标")), 1);
	jx_rules_cleanup(&r);

	snprintf(path, sizeof(path), "%s/001-ok-exec-bands.json", DATA_DIR);
	buf = read_file(path, &len);
	assert_int_equal(jx_rules_load(&r, buf, len, "b", path, &d), JX_OK);
	free(buf);
	assert_int_equal(r.exec.method, JX_EXEC_BANDS);
	assert_int_equal(r.exec.base, JX_EXEC_BASE_RECEIVED);
	assert_int_equal(r.exec.nbands, 4);
	assert_true(r.exec.bands[1].value == dec("0.8"));
	assert_true(jx_rules_band_contains(&r.exec.bands[0], dec("0.9")));
	assert_false(jx_rules_band_contains(&r.exec.bands[1], dec("0.9")));
	assert_false(r.exec.bands[3].has_lo);
	assert_true(r.exec.reason_below == dec("0.8"));
	jx_rules_cleanup(&r);

	snprintf(path, sizeof(path), "%s/002-ok-threshold.json", DATA_DIR);
	buf = read_file(path, &len);
	assert_int_equal(jx_rules_load(&r, buf, len, "t", path, &d), JX_OK);
	free(buf);
	assert_int_equal(r.exec.method, JX_EXEC_THRESHOLD_PCT);
	assert_true(r.exec.full_at == dec("0.95"));
	assert_true(r.exec.pct_per_point == dec("0.01"));
	assert_true(r.exec.zero_below == dec("0.6"));
	assert_true(r.exec.reason_below == 0);
	assert_null(r.satisfaction_fallback);
	assert_string_equal(r.description, "");
	jx_rules_cleanup(&r);
}

/* Arguments and limits that no file can express. */
static void
test_arguments_and_limits(void **state)
{
	struct jx_rules r;
	struct jx_diag d;
	char *big;

	(void)state;
	assert_int_equal(jx_rules_load(NULL, "{}", 2, "x", "x", &d), JX_EINVAL);
	assert_int_equal(jx_rules_load(&r, NULL, 5, "x", "x", &d), JX_EINVAL);
	assert_int_equal(jx_rules_load(&r, NULL, 0, "x", "x", &d), JX_EPARSE);
	assert_int_equal(jx_rules_load(&r, "", 0, "x", "x", NULL), JX_EPARSE);
	assert_int_equal(jx_rules_load(&r, "{}", 2, NULL, NULL, &d), JX_EINVAL);
	assert_string_equal(d.field, "format");
	assert_non_null(strstr(d.message, "缺少必填项"));

	/* One byte over the limit is refused before parsing. */
	big = malloc(JX_MAX_RULES_BYTES + 1);
	assert_non_null(big);
	memset(big, ' ', JX_MAX_RULES_BYTES + 1);
	big[0] = '{';
	big[JX_MAX_RULES_BYTES] = '}';
	assert_int_equal(jx_rules_load(&r, big, JX_MAX_RULES_BYTES + 1, "x",
	                               "big.json", &d),
	                 JX_ETOOBIG);
	assert_string_equal(d.file, "big.json");
	assert_null(r.level1);
	free(big);

	/* Cleanup is safe on an empty or cleaned rule set and on NULL. */
	jx_rules_cleanup(&r);
	jx_rules_cleanup(&r);
	jx_rules_cleanup(NULL);
}

/* Every prefix of a valid rule set is refused cleanly, never accepted,
 * never a crash; so is every single-byte corruption sampled below. */
static void
test_truncations(void **state)
{
	struct jx_rules r;
	struct jx_diag d;
	char path[512];
	size_t len, i, end;
	char *buf, saved;
	enum jx_err err;

	(void)state;
	snprintf(path, sizeof(path), "%s/mof-2020.json", RULES_DIR);
	buf = read_file(path, &len);
	/* Every proper prefix of the object (trailing whitespace aside). */
	end = len;
	while (end > 0 && buf[end - 1] != '}')
		end--;
	for (i = 0; i < end; i += 3) {
		err = jx_rules_load(&r, buf, i, "m", path, &d);
		assert_int_not_equal(err, JX_OK);
		assert_null(r.words);
	}
	for (i = 0; i < len; i += 5) {
		saved = buf[i];
		buf[i] = (char)(i % 2 == 0 ? '}' : '"');
		err = jx_rules_load(&r, buf, len, "m", path, &d);
		if (err == JX_OK)
			jx_rules_cleanup(&r);
		buf[i] = saved;
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_builtins_load),
	        cmocka_unit_test(test_fixtures),
	        cmocka_unit_test(test_mof_values),
	        cmocka_unit_test(test_variants),
	        cmocka_unit_test(test_words),
	        cmocka_unit_test(test_level1),
	        cmocka_unit_test(test_grades),
	        cmocka_unit_test(test_bare_cmp),
	        cmocka_unit_test(test_bands),
	        cmocka_unit_test(test_numbers_and_exec),
	        cmocka_unit_test(test_arguments_and_limits),
	        cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
