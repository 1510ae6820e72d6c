/*
 * test_xlsxw.c - the xlsx writer of self-evaluations: every seed
 * transcription (tests/data/seeds/NNN.json) written by jx_xlsxw_eval and read
 * back by jx_xlsx_read and the sheet finder (the built-in layouts, as the
 * CLI chains them) gives the same header, funds, goals, indicator lines,
 * weights, scores, totals and grade; sheet names are unique, short and
 * valid; figures missing from the evaluation are computed only with a rule
 * set; bad arguments are refused and leave no file; and the workbook opens
 * in openpyxl (skipped when /usr/bin/python3 lacks it).
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

#include "jx/evaljson.h"
#include "jx/sheet.h"
#include "jx/xlsx.h"
#include "jx/xlsxw.h"

static const char *const layout_names[] = {"mof", "shanxi", "sichuan"};
#define NLAYOUTS (sizeof(layout_names) / sizeof(layout_names[0]))

static struct jx_sheet_layout layouts[NLAYOUTS];
static char tmpdir[] = "/tmp/jx-xlsxw-XXXXXX";

static int
setup(void **state)
{
	char rel[256];
	struct jx_diag d;
	size_t i, len;
	char *buf;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	for (i = 0; i < NLAYOUTS; i++) {
		snprintf(rel, sizeof(rel), "rules/layouts/%s.json",
		         layout_names[i]);
		buf = tu_read(rel, &len);
		if (buf == NULL)
			return -1;
		if (jx_sheet_layout_load(&layouts[i], buf, len, layout_names[i],
		                         rel, &d) != JX_OK) {
			free(buf);
			return -1;
		}
		free(buf);
	}
	return 0;
}

static int
teardown(void **state)
{
	DIR *dp;
	struct dirent *de;
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < NLAYOUTS; i++)
		jx_sheet_layout_cleanup(&layouts[i]);
	dp = opendir(tmpdir);
	if (dp != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmpdir,
			         de->d_name);
			(void)remove(path);
		}
		closedir(dp);
	}
	(void)rmdir(tmpdir);
	return 0;
}

static void
load_seed(const char *name, struct jx_eval *e)
{
	char rel[256];
	struct jx_diag d;
	size_t len = 0;
	char *buf;

	snprintf(rel, sizeof(rel), "tests/data/seeds/%s.json", name);
	buf = tu_read(rel, &len);
	assert_non_null(buf);
	jx_eval_init(e);
	tu_must(jx_evaljson_read(buf, len, rel, 0, e, &d), &d, rel);
	free(buf);
}

/* Read sheet `sheet` of the workbook at path as the CLI does. */
static void
read_back(const char *path, size_t sheet, size_t want_sheets,
          struct jx_eval *out)
{
	struct jx_arena a;
	struct jx_grid *grids = NULL;
	size_t ngrids = 0;
	struct jx_sheet_report rep;
	struct jx_diag d;

	jx_arena_init(&a, 0);
	jx_sheet_report_init(&rep);
	tu_must(jx_xlsx_read(path, &a, &grids, &ngrids, &d), &d, path);
	assert_int_equal(ngrids, want_sheets);
	assert_true(sheet < ngrids);
	jx_eval_init(out);
	tu_must(jx_sheet_read(&grids[sheet], 1, layouts, NLAYOUTS, out, &rep,
	                      &d),
	        &d, "jx_sheet_read");
	assert_string_equal(rep.layout, "mof");
	jx_sheet_report_cleanup(&rep);
	jx_arena_cleanup(&a);
}

/* NULL and "" are the same blank cell once written. */
static void
same_str(const char *want, const char *got, const char *what)
{
	if (want == NULL)
		want = "";
	if (got == NULL)
		got = "";
	if (strcmp(want, got) != 0)
		fail_msg("%s: want \"%s\", got \"%s\"", what, want, got);
}

static void
same_opt(struct jx_opt want, struct jx_opt got, const char *what)
{
	char a[48], b[48];

	if (want.set != got.set || (want.set && want.v != got.v)) {
		jx_dec_format(want.v, -1, a, sizeof(a));
		jx_dec_format(got.v, -1, b, sizeof(b));
		fail_msg("%s: want %s%s, got %s%s", what,
		         want.set ? "" : "unset ", a, got.set ? "" : "unset ",
		         b);
	}
}

static void
same_fund(const struct jx_fund_row *w, const struct jx_fund_row *g,
          const char *what)
{
	char f[160];

	snprintf(f, sizeof(f), "%s.initial", what);
	same_opt(w->initial, g->initial, f);
	snprintf(f, sizeof(f), "%s.annual", what);
	same_opt(w->annual, g->annual, f);
	snprintf(f, sizeof(f), "%s.executed", what);
	same_opt(w->executed, g->executed, f);
}

static void
same_eval(const struct jx_eval *w, const struct jx_eval *g)
{
	char f[96];
	size_t i, k;

	same_str(w->title, g->title, "title");
	same_str(w->unit, g->unit, "unit");
	same_str(w->department, g->department, "department");
	assert_int_equal(w->year, g->year);
	assert_int_equal(w->has_funds, g->has_funds);
	if (w->has_funds) {
		same_fund(&w->funds.total, &g->funds.total, "funds.total");
		same_opt(w->funds.exec_weight, g->funds.exec_weight,
		         "funds.exec_weight");
		same_opt(w->funds.exec_score_stated, g->funds.exec_score_stated,
		         "funds.exec_score_stated");
		same_str(w->funds.exec_rate_text, g->funds.exec_rate_text,
		         "funds.exec_rate_text");
		for (i = 0; i < w->funds.nsources; i++) {
			const struct jx_fund_row *s = &w->funds.sources[i];
			const struct jx_fund_row *t = NULL;

			for (k = 0; k < g->funds.nsources; k++)
				if (strcmp(g->funds.sources[k].name, s->name) ==
				    0)
					t = &g->funds.sources[k];
			if (t == NULL) {
				/* a source stating nothing may be dropped */
				assert_false(s->initial.set || s->annual.set ||
				             s->executed.set);
				continue;
			}
			snprintf(f, sizeof(f), "funds.sources.%s", s->name);
			same_fund(s, t, f);
		}
	}
	assert_int_equal(w->ngoals, g->ngoals);
	for (i = 0; i < w->ngoals; i++) {
		same_str(w->goals[i].expected, g->goals[i].expected,
		         "goal.expected");
		same_str(w->goals[i].achieved, g->goals[i].achieved,
		         "goal.achieved");
	}
	assert_int_equal(w->nindicators, g->nindicators);
	for (i = 0; i < w->nindicators; i++) {
		const struct jx_indicator *a = &w->indicators[i];
		const struct jx_indicator *b = &g->indicators[i];

		snprintf(f, sizeof(f), "indicators[%zu].level1", i);
		same_str(a->level1, b->level1, f);
		snprintf(f, sizeof(f), "indicators[%zu].level2", i);
		same_str(a->level2, b->level2, f);
		snprintf(f, sizeof(f), "indicators[%zu].name", i);
		same_str(a->name, b->name, f);
		snprintf(f, sizeof(f), "indicators[%zu].target", i);
		same_str(a->target, b->target, f);
		snprintf(f, sizeof(f), "indicators[%zu].actual", i);
		same_str(a->actual, b->actual, f);
		snprintf(f, sizeof(f), "indicators[%zu].weight", i);
		same_opt(a->weight, b->weight, f);
		snprintf(f, sizeof(f), "indicators[%zu].score", i);
		same_opt(a->score_stated, b->score_stated, f);
		snprintf(f, sizeof(f), "indicators[%zu].completion", i);
		same_str(a->completion_stated, b->completion_stated, f);
		snprintf(f, sizeof(f), "indicators[%zu].reason", i);
		same_str(a->deviation_reason, b->deviation_reason, f);
	}
	same_opt(w->total_weight_stated, g->total_weight_stated,
	         "total_weight_stated");
	same_opt(w->total_score_stated, g->total_score_stated,
	         "total_score_stated");
	same_str(w->grade_stated, g->grade_stated, "grade_stated");
}

static const char *const seeds[] = {"000", "001", "003", "004"};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

/* Each seed alone, then all in one workbook. */
static void
test_round_trip(void **state)
{
	struct jx_eval e[NSEEDS], back;
	const struct jx_eval *list[NSEEDS];
	struct jx_diag d;
	char path[512];
	size_t i;

	(void)state;
	for (i = 0; i < NSEEDS; i++) {
		load_seed(seeds[i], &e[i]);
		list[i] = &e[i];
		snprintf(path, sizeof(path), "%s/%s.xlsx", tmpdir, seeds[i]);
		tu_must(jx_xlsxw_eval(path, &list[i], 1, NULL, &d), &d, path);
		read_back(path, 0, 1, &back);
		same_eval(&e[i], &back);
		jx_eval_cleanup(&back);
	}
	snprintf(path, sizeof(path), "%s/all.xlsx", tmpdir);
	tu_must(jx_xlsxw_eval(path, list, NSEEDS, NULL, &d), &d, path);
	for (i = 0; i < NSEEDS; i++) {
		read_back(path, i, NSEEDS, &back);
		same_eval(&e[i], &back);
		jx_eval_cleanup(&back);
	}
	for (i = 0; i < NSEEDS; i++)
		jx_eval_cleanup(&e[i]);
}

/* Sheet names: from the title, no []:*?/\, at most 31 characters, unique
 * (Excel compares ASCII case-insensitively). */
#define LONG35                                                                                        \
	("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十" \
	 "一二三四五")

#define LONG31                                                                                        \
	("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十" \
	 "一")

static void
test_sheet_names(void **state)
{
	static const char *const titles[] = {"a[b]:c*d?e/f\\g",
	                                     "同名项目",
	                                     "同名项目",
	                                     "AbC",
	                                     "abc",
	                                     LONG35,
	                                     LONG35,
	                                     NULL};
	static const char *const want[] = {
	        "a_b__c_d_e_f_g",
	        "同名项目",
	        "同名项目(2)",
	        "AbC",
	        "abc(2)",
	        LONG31,
	        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八(2)",
	        "自评表8"};
#define NT (sizeof(titles) / sizeof(titles[0]))
	struct jx_eval e[NT];
	const struct jx_eval *list[NT];
	struct jx_arena a;
	struct jx_grid *grids = NULL;
	size_t ngrids = 0, i;
	struct jx_diag d;
	char path[512];

	(void)state;
	for (i = 0; i < NT; i++) {
		jx_eval_init(&e[i]);
		e[i].title = titles[i];
		list[i] = &e[i];
	}
	snprintf(path, sizeof(path), "%s/names.xlsx", tmpdir);
	tu_must(jx_xlsxw_eval(path, list, NT, NULL, &d), &d, path);
	jx_arena_init(&a, 0);
	tu_must(jx_xlsx_read(path, &a, &grids, &ngrids, &d), &d, path);
	assert_int_equal(ngrids, NT);
	for (i = 0; i < NT; i++)
		assert_string_equal(grids[i].name, want[i]);
	jx_arena_cleanup(&a);
	for (i = 0; i < NT; i++)
		jx_eval_cleanup(&e[i]);
#undef NT
}

/* Without the stated total and grade: blank without rules, computed
 * (mof-2020) with them; the stated ones are never replaced. */
static void
test_computed(void **state)
{
	struct jx_eval e, back;
	const struct jx_eval *list[1];
	struct jx_rules r;
	struct jx_diag d;
	char path[512];

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	load_seed("004", &e);
	list[0] = &e;
	e.total_score_stated.set = false;
	e.total_weight_stated.set = false;
	e.grade_stated = NULL;
	e.funds.exec_score_stated.set = false;
	snprintf(path, sizeof(path), "%s/plain.xlsx", tmpdir);
	tu_must(jx_xlsxw_eval(path, list, 1, NULL, &d), &d, path);
	read_back(path, 0, 1, &back);
	assert_false(back.total_score_stated.set);
	assert_false(back.funds.exec_score_stated.set);
	assert_true(back.grade_stated == NULL || back.grade_stated[0] == 0);
	jx_eval_cleanup(&back);

	snprintf(path, sizeof(path), "%s/computed.xlsx", tmpdir);
	tu_must(jx_xlsxw_eval(path, list, 1, &r, &d), &d, path);
	read_back(path, 0, 1, &back);
	/* 004: weights 100 in all, every indicator and the execution line
	 * at full marks but one: the stated total is 98 */
	assert_true(back.total_weight_stated.set);
	assert_int_equal(back.total_weight_stated.v, jx_dec_from_int(100));
	assert_true(back.funds.exec_score_stated.set);
	assert_int_equal(back.funds.exec_score_stated.v, jx_dec_from_int(10));
	assert_true(back.total_score_stated.set);
	assert_true(back.total_score_stated.v > jx_dec_from_int(90));
	assert_non_null(back.grade_stated);
	assert_string_equal(back.grade_stated, "优");
	jx_eval_cleanup(&back);

	/* stated figures win over computed ones */
	e.total_score_stated = tu_opt("12.5");
	e.grade_stated = "差";
	tu_must(jx_xlsxw_eval(path, list, 1, &r, &d), &d, path);
	read_back(path, 0, 1, &back);
	assert_int_equal(back.total_score_stated.v, tu_dec("12.5"));
	assert_string_equal(back.grade_stated, "差");
	jx_eval_cleanup(&back);
	jx_eval_cleanup(&e);
	jx_rules_cleanup(&r);
}

static bool
exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static void
test_bad_args(void **state)
{
	struct jx_eval e;
	const struct jx_eval *list[2];
	struct jx_diag d;
	char path[512], part[600];
	char *big;

	(void)state;
	jx_eval_init(&e);
	e.title = "x";
	list[0] = &e;
	list[1] = NULL;
	snprintf(path, sizeof(path), "%s/bad.xlsx", tmpdir);
	snprintf(part, sizeof(part), "%s.part", path);
	tu_want_err(jx_xlsxw_eval(NULL, list, 1, NULL, &d), JX_EINVAL, "path");
	tu_want_err(jx_xlsxw_eval(path, list, 0, NULL, &d), JX_EINVAL, "n 0");
	tu_want_err(jx_xlsxw_eval(path, NULL, 1, NULL, &d), JX_EINVAL, "NULL");
	tu_want_err(jx_xlsxw_eval(path, list, 2, NULL, &d), JX_EINVAL,
	            "NULL eval");
	assert_false(exists(path));
	/* a text longer than Excel's 32767 characters */
	big = malloc(40001);
	assert_non_null(big);
	memset(big, 'x', 40000);
	big[40000] = '\0';
	e.unit = big;
	tu_want_err(jx_xlsxw_eval(path, list, 1, NULL, &d), JX_EINVAL, "long");
	assert_non_null(strstr(d.message, "实施单位"));
	assert_false(exists(path));
	assert_false(exists(part));
	e.unit = NULL;
	/* a directory that does not exist */
	tu_want_err(jx_xlsxw_eval("/nonexistent-dir/x.xlsx", list, 1, NULL, &d),
	            JX_EIO, "no dir");
	free(big);
	jx_eval_cleanup(&e);
}

/* The workbook opens in openpyxl, with the merges, print setup and
 * number formats it should have. */
static void
test_openpyxl(void **state)
{
	static const char check[] =
	        "import sys\n"
	        "try:\n"
	        "    import openpyxl\n"
	        "except ImportError:\n"
	        "    sys.exit(77)\n"
	        "wb = openpyxl.load_workbook(sys.argv[1])\n"
	        "assert len(wb.worksheets) == 4, wb.sheetnames\n"
	        "ws = wb.worksheets[1]\n"
	        "assert ws['A1'].value == '项目支出绩效自评表'\n"
	        "assert ws['A2'].value == '（2021年度）'\n"
	        "assert 'A1:H1' in [str(m) for m in ws.merged_cells.ranges]\n"
	        "assert ws.page_setup.orientation == 'landscape'\n"
	        "assert ws.sheet_properties.pageSetUpPr.fitToPage\n"
	        "assert int(ws.page_setup.fitToWidth or 1) == 1\n"
	        "assert int(ws.page_setup.fitToHeight) == 0\n"
	        "assert ws.page_setup.paperSize in (9, '9')\n"
	        "assert ws.print_title_rows is not None\n"
	        "for ws in wb.worksheets:\n"
	        "    rs = [m.bounds for m in ws.merged_cells.ranges]\n"
	        "    for i, a in enumerate(rs):\n"
	        "        for b in rs[i + 1:]:\n"
	        "            assert (a[2] < b[0] or b[2] < a[0] or\n"
	        "                    a[3] < b[1] or b[3] < a[1]), (a, b)\n"
	        "ws = wb.worksheets[1]\n"
	        "nums = [c for row in ws.iter_rows() for c in row\n"
	        "        if isinstance(c.value, (int, float))]\n"
	        "assert any(c.value == 354 and c.number_format == '0.00'\n"
	        "           for c in nums)\n";
	char path[512];
	pid_t pid;
	int status = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/all.xlsx", tmpdir);
	if (!exists(path) || access("/usr/bin/python3", X_OK) != 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/usr/bin/python3", "python3", "-c", check, path,
		      (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_sheet_names),
	        cmocka_unit_test(test_computed),
	        cmocka_unit_test(test_bad_args),
	        cmocka_unit_test(test_openpyxl),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
