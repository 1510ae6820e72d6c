/*
 * test_report.c - the batch-check workbook (report.h): the findings of the
 * seed transcriptions written by jx_report_add, read back with jx_xlsx_read:
 * the 部门汇总 sheet's counts per department and its 合计 row, one sheet per
 * file (two evaluations of one file share it) with one row per finding
 * (code, 错误/警告, location, stated, computed, message as the audit gave
 * them), the 无法读取的文件 sheet; bad arguments and an unwritable path are
 * refused and leave no file.
 */
#include <sys/stat.h>

#include "testutil.h"

#include "jx/evaljson.h"
#include "jx/report.h"
#include "jx/score.h"
#include "jx/xlsx.h"

static char tmpdir[] = "/tmp/jx-report-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/r.xlsx", tmpdir);
	(void)remove(path);
	(void)rmdir(tmpdir);
	return 0;
}

struct seed {
	const char *name;
	const char *file; /* the file the report names */
	struct jx_eval e;
	struct jx_findings f;
};

static void
load_audit(struct seed *s, const struct jx_rules *r, struct jx_arena *a)
{
	char rel[256];
	struct jx_diag d;
	struct jx_result res;
	size_t len = 0;
	char *buf;

	snprintf(rel, sizeof(rel), "tests/data/seeds/%s.json", s->name);
	buf = tu_read(rel, &len);
	assert_non_null(buf);
	jx_eval_init(&s->e);
	tu_must(jx_evaljson_read(buf, len, rel, 0, &s->e, &d), &d, rel);
	free(buf);
	assert_int_equal(jx_score_run(&s->e, r, a, &res), JX_OK);
	assert_int_equal(jx_audit_run(&s->e, r, &res, a, 0, &s->f), JX_OK);
}

static const char *
cell(const struct jx_grid *g, uint32_t r, uint32_t c)
{
	const char *s = jx_grid_get(g, r, c);

	return s != NULL ? s : "";
}

static const struct jx_grid *
sheet(const struct jx_grid *g, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (g[i].name != NULL && strcmp(g[i].name, name) == 0)
			return &g[i];
	fail_msg("no sheet %s", name);
	return NULL;
}

/* The rows of g from row `from` on are the findings of s, in order. */
static uint32_t
check_rows(const struct jx_grid *g, uint32_t from, const struct seed *s)
{
	uint32_t r = from;
	size_t i;

	for (i = 0; i < s->f.n; i++, r++) {
		const struct jx_finding *it = &s->f.items[i];

		assert_string_equal(cell(g, r, 0), s->file);
		assert_string_equal(cell(g, r, 1), s->e.title);
		assert_string_equal(cell(g, r, 2), it->code);
		assert_string_equal(cell(g, r, 3), it->severity == JX_SEV_ERROR
		                                           ? "错误"
		                                           : "警告");
		assert_string_equal(cell(g, r, 4), it->where);
		assert_string_equal(cell(g, r, 5),
		                    it->stated != NULL ? it->stated : "");
		assert_string_equal(cell(g, r, 6),
		                    it->computed != NULL ? it->computed : "");
		assert_string_equal(cell(g, r, 7), it->message);
	}
	return r;
}

static void
test_report(void **state)
{
	struct seed s[4] = {{.name = "000", .file = "in/a.jsonl"},
	                    {.name = "001", .file = "in/a.jsonl"},
	                    {.name = "003", .file = "in/表[3].xlsx"},
	                    {.name = "004", .file = "in/004.json"}};
	struct jx_rules rules;
	struct jx_arena a, ra;
	struct jx_report *rp = NULL;
	struct jx_grid *g = NULL;
	const struct jx_grid *sum, *fs, *un;
	struct jx_diag d;
	char path[512], want[32];
	size_t ng = 0, i, k, errors = 0, warnings = 0, row;
	bool found;

	(void)state;
	assert_int_equal(tu_rules(&rules, "mof-2020"), 0);
	jx_arena_init(&a, 64 * 1024);
	jx_arena_init(&ra, 64 * 1024);
	for (i = 0; i < 4; i++)
		load_audit(&s[i], &rules, &a);
	/* The seeds have findings of both severities to list. */
	for (i = 0; i < 4; i++) {
		assert_true(s[i].f.n > 0);
		errors += s[i].f.nerrors;
		warnings += s[i].f.nwarnings;
	}
	assert_true(errors > 0 && warnings > 0);

	snprintf(path, sizeof(path), "%s/r.xlsx", tmpdir);
	jx_diag_clear(&d);
	tu_must(jx_report_open(path, &rp, &d), &d, path);
	for (i = 0; i < 4; i++)
		assert_int_equal(jx_report_add(rp, s[i].file, &s[i].e, &s[i].f),
		                 JX_OK);
	assert_int_equal(jx_report_add_unreadable(rp, "in/broken.xlsx", 0,
	                                          "不是 Excel 文件"),
	                 JX_OK);
	assert_int_equal(
	        jx_report_add_unreadable(rp, "in/b.jsonl", 7, "意外的输入结束"),
	        JX_OK);
	tu_must(jx_report_close(rp, &d), &d, path);

	tu_must(jx_xlsx_read(path, &ra, &g, &ng, &d), &d, path);
	/* 部门汇总, a.jsonl, 表_3_.xlsx, 004.json, 无法读取的文件 */
	assert_int_equal(ng, 5);
	assert_string_equal(g[0].name, "部门汇总");
	assert_string_equal(g[4].name, "无法读取的文件");

	fs = sheet(g, ng, "a.jsonl");
	assert_string_equal(cell(fs, 0, 3), "严重程度");
	row = check_rows(fs, 1, &s[0]);
	row = check_rows(fs, (uint32_t)row, &s[1]);
	assert_int_equal(fs->nrows, row);
	fs = sheet(g, ng, "表_3_.xlsx");
	assert_int_equal(fs->nrows, check_rows(fs, 1, &s[2]));
	fs = sheet(g, ng, "004.json");
	assert_int_equal(fs->nrows, check_rows(fs, 1, &s[3]));

	/* One summary row per department, each with its own tallies. */
	sum = &g[0];
	assert_string_equal(cell(sum, 0, 0), "主管部门");
	for (i = 0; i < 4; i++) {
		const char *dep = s[i].e.department != NULL &&
		                                  s[i].e.department[0] != '\0'
		                          ? s[i].e.department
		                          : "（未填主管部门）";
		size_t files = 0, evals = 0, ne = 0, nw = 0, we = 0;
		const char *last = NULL;

		for (k = 0; k < 4; k++) {
			const char *dk =
			        s[k].e.department != NULL &&
			                        s[k].e.department[0] != '\0'
			                ? s[k].e.department
			                : "（未填主管部门）";

			if (strcmp(dk, dep) != 0)
				continue;
			if (last == NULL || strcmp(last, s[k].file) != 0)
				files++;
			last = s[k].file;
			evals++;
			ne += s[k].f.nerrors;
			nw += s[k].f.nwarnings;
			we += s[k].f.nerrors > 0;
		}
		found = false;
		for (row = 1; row < sum->nrows; row++) {
			if (strcmp(cell(sum, (uint32_t)row, 0), dep) != 0)
				continue;
			found = true;
			snprintf(want, sizeof(want), "%zu", files);
			assert_string_equal(cell(sum, (uint32_t)row, 1), want);
			snprintf(want, sizeof(want), "%zu", evals);
			assert_string_equal(cell(sum, (uint32_t)row, 2), want);
			snprintf(want, sizeof(want), "%zu", we);
			assert_string_equal(cell(sum, (uint32_t)row, 3), want);
			snprintf(want, sizeof(want), "%zu", ne);
			assert_string_equal(cell(sum, (uint32_t)row, 4), want);
			snprintf(want, sizeof(want), "%zu", nw);
			assert_string_equal(cell(sum, (uint32_t)row, 5), want);
			assert_non_null(
			        strstr(cell(sum, (uint32_t)row, 6), "×"));
		}
		assert_true(found);
	}
	found = false;
	for (row = 1; row < sum->nrows; row++)
		if (strcmp(cell(sum, (uint32_t)row, 0), "合计") == 0) {
			found = true;
			assert_string_equal(cell(sum, (uint32_t)row, 2), "4");
			snprintf(want, sizeof(want), "%zu", errors);
			assert_string_equal(cell(sum, (uint32_t)row, 4), want);
			snprintf(want, sizeof(want), "%zu", warnings);
			assert_string_equal(cell(sum, (uint32_t)row, 5), want);
		}
	assert_true(found);

	un = &g[4];
	assert_int_equal(un->nrows, 3);
	assert_string_equal(cell(un, 1, 0), "in/broken.xlsx");
	assert_string_equal(cell(un, 1, 1), "");
	assert_string_equal(cell(un, 1, 2), "不是 Excel 文件");
	assert_string_equal(cell(un, 2, 0), "in/b.jsonl");
	assert_string_equal(cell(un, 2, 1), "7");
	assert_string_equal(cell(un, 2, 2), "意外的输入结束");

	for (i = 0; i < 4; i++)
		jx_eval_cleanup(&s[i].e);
	jx_arena_cleanup(&ra);
	jx_arena_cleanup(&a);
	jx_rules_cleanup(&rules);
}

static void
test_bad(void **state)
{
	struct jx_report *rp = NULL;
	struct jx_diag d;
	struct jx_eval e;
	struct jx_findings f;
	char path[512];
	struct stat st;

	(void)state;
	jx_diag_clear(&d);
	assert_int_equal(jx_report_open(NULL, &rp, &d), JX_EINVAL);
	assert_int_equal(jx_report_open("", &rp, &d), JX_EINVAL);
	assert_null(rp);
	snprintf(path, sizeof(path), "%s/no/such/dir/r.xlsx", tmpdir);
	assert_int_equal(jx_report_open(path, &rp, &d), JX_EIO);
	assert_null(rp);
	assert_non_null(strstr(d.message, "无法创建"));

	/* Discarded: nothing at the path, no temporary file left. */
	snprintf(path, sizeof(path), "%s/r.xlsx", tmpdir);
	(void)remove(path);
	tu_must(jx_report_open(path, &rp, &d), &d, path);
	memset(&f, 0, sizeof(f));
	jx_eval_init(&e);
	assert_int_equal(jx_report_add(rp, "x.json", NULL, &f), JX_EINVAL);
	assert_int_equal(jx_report_add(rp, "x.json", &e, NULL), JX_EINVAL);
	assert_int_equal(jx_report_add_unreadable(rp, NULL, 0, "x"), JX_EINVAL);
	jx_report_discard(rp);
	jx_eval_cleanup(&e);
	assert_int_not_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/r.xlsx.tmp", tmpdir);
	assert_int_not_equal(stat(path, &st), 0);
	jx_report_discard(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_report),
	        cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
