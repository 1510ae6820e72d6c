/*
 * test_docxw.c - the Word writer (include/jx/docxw.h): documents built by
 * hand (title, headings, paragraphs with line breaks and tabs, a blank, a
 * note, page breaks, a table with horizontal, vertical and block merges and
 * header rows, CJK text, a 300-row table, landscape) are written and read
 * back with the docx reader (docx.h): the same paragraphs, the same cells
 * and the same merged ranges. The package holds every part, deterministic
 * bytes for the same document; bad text and unwritable paths are refused
 * with nothing left behind.
 */
#include <sys/stat.h>
#include <zip.h>

#include "testutil.h"

#include "jx/doc.h"
#include "jx/docx.h"
#include "jx/docxw.h"
#include "jx/grid.h"

static char tmpdir[] = "/tmp/jx-docxw-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	DIR *dir = opendir(tmpdir);
	struct dirent *de;
	char p[512];

	(void)state;
	while (dir != NULL && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	if (dir != NULL)
		closedir(dir);
	rmdir(tmpdir);
	return 0;
}

/* The bytes of the file at an absolute path. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static void
set(struct jx_grid *g, uint32_t r, uint32_t c, const char *s)
{
	assert_int_equal(jx_grid_set(g, r, c, s, strlen(s)), JX_OK);
}

/* The table of the tests: a two-row header with a block merge, 一级 merged
 * down three rows, a horizontal merge, an empty cell. */
static struct jx_grid *
sample_table(struct jx_arena *a)
{
	struct jx_grid *g = jx_arena_calloc(a, 1, sizeof(*g));

	assert_non_null(g);
	jx_grid_init(g, a);
	set(g, 0, 0, "指标");
	assert_int_equal(jx_grid_merge(g, 0, 0, 1, 1), JX_OK); /* block */
	set(g, 0, 2, "年度指标值");
	set(g, 0, 3, "实际完成值");
	set(g, 1, 2, "目标");
	set(g, 1, 3, "实际");
	set(g, 2, 0, "产出指标");
	assert_int_equal(jx_grid_merge(g, 2, 0, 4, 0), JX_OK); /* vertical */
	set(g, 2, 1, "数量指标");
	set(g, 2, 2, "≥100人次");
	set(g, 2, 3, "120人次");
	set(g, 3, 1, "质量指标");
	set(g, 3, 2, "合格率 & <100%>");
	set(g, 4, 1, "时效指标");
	set(g, 4, 2, "按期完成\n第二行");
	set(g, 5, 0, "总分");
	assert_int_equal(jx_grid_merge(g, 5, 0, 5, 2), JX_OK); /* horizontal */
	set(g, 5, 3, "95.4");
	return g;
}

static void
build(struct jx_doc *doc, struct jx_arena *a, const struct jx_grid *g)
{
	static const uint32_t widths[] = {2, 2, 3, 3};
	static const enum jx_doc_align align[] = {JX_DOC_LEFT, JX_DOC_LEFT,
	                                          JX_DOC_CENTER, JX_DOC_RIGHT};
	bool bold[6] = {false, false, false, false, false, true};

	jx_doc_init(doc, a);
	doc->title = "测试文档";
	assert_non_null(
	        jx_doc_add(doc, JX_DOC_TITLE, 0, "项目支出绩效自评报告"));
	assert_non_null(jx_doc_add(doc, JX_DOC_SUBTITLE, 0, "（2024年度）"));
	assert_non_null(jx_doc_add(doc, JX_DOC_HEADING, 1, "一、项目基本情况"));
	assert_non_null(jx_doc_add(doc, JX_DOC_PARA, 0,
	                           "全年预算资金131.4万元，全年执行资金131.4万"
	                           "元，预算执行率100%。\n第二行\t制表"));
	assert_non_null(
	        jx_doc_add(doc, JX_DOC_BLANK, 0, "（请填写：项目概况）"));
	assert_non_null(jx_doc_add(doc, JX_DOC_NOTE, 0, "单位：万元"));
	assert_non_null(jx_doc_add_table(doc, g, 2, widths, align, bold));
	assert_non_null(jx_doc_add(doc, JX_DOC_PAGEBREAK, 0, ""));
	assert_non_null(jx_doc_add(doc, JX_DOC_HEADING, 2, "（一）其他"));
}

static void
same_grid(const struct jx_grid *w, const struct jx_grid *g)
{
	uint32_t r, c;

	assert_int_equal(g->nrows, w->nrows);
	assert_int_equal(g->ncols, w->ncols);
	for (r = 0; r < w->nrows; r++)
		for (c = 0; c < w->ncols; c++) {
			const char *a = jx_grid_get(w, r, c);
			const char *b = jx_grid_get(g, r, c);
			const struct jx_grid_merge *ma =
			        jx_grid_merged(w, r, c);
			const struct jx_grid_merge *mb =
			        jx_grid_merged(g, r, c);

			if (a == NULL)
				assert_null(b);
			else {
				assert_non_null(b);
				assert_string_equal(a, b);
			}
			if (ma == NULL) {
				assert_null(mb);
			} else {
				assert_non_null(mb);
				assert_memory_equal(ma, mb, sizeof(*ma));
			}
		}
}

static void
test_round_trip(void **state)
{
	struct jx_arena a, ra;
	struct jx_doc doc;
	struct jx_docx out;
	struct jx_diag d;
	struct jx_grid *g;
	char path[512];
	size_t i;
	bool found_para = false, found_blank = false;

	(void)state;
	jx_arena_init(&a, 0);
	jx_arena_init(&ra, 0);
	g = sample_table(&a);
	build(&doc, &a, g);
	snprintf(path, sizeof(path), "%s/a.docx", tmpdir);
	tu_must(jx_docxw_write(path, &doc, &d), &d, path);
	tu_must(jx_docx_read(path, &ra, &out, &d), &d, path);
	assert_int_equal(out.ntables, 1);
	same_grid(g, out.tables[0]);
	for (i = 0; i < out.nparagraphs; i++) {
		if (strcmp(out.paragraphs[i],
		           "全年预算资金131.4万元，全年执行资金131.4万元，"
		           "预算执行率100%。\n第二行\t制表") == 0)
			found_para = true;
		if (strcmp(out.paragraphs[i], "（请填写：项目概况）") == 0)
			found_blank = true;
	}
	assert_true(found_para);
	assert_true(found_blank);
	assert_string_equal(out.paragraphs[0], "项目支出绩效自评报告");
	jx_arena_cleanup(&ra);
	jx_arena_cleanup(&a);
}

/* Every part is in the package; the same document gives the same bytes. */
static void
test_package(void **state)
{
	static const char *const parts[] = {
	        "[Content_Types].xml", "_rels/.rels",
	        "docProps/core.xml",   "docProps/app.xml",
	        "word/document.xml",   "word/styles.xml",
	        "word/settings.xml",   "word/fontTable.xml",
	        "word/footer1.xml",    "word/_rels/document.xml.rels"};
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	char p1[512], p2[512];
	size_t i, l1 = 0, l2 = 0;
	char *b1, *b2;
	zip_t *za;
	int zerr;

	(void)state;
	jx_arena_init(&a, 0);
	build(&doc, &a, sample_table(&a));
	doc.landscape = true;
	snprintf(p1, sizeof(p1), "%s/p1.docx", tmpdir);
	snprintf(p2, sizeof(p2), "%s/p2.docx", tmpdir);
	tu_must(jx_docxw_write(p1, &doc, &d), &d, p1);
	tu_must(jx_docxw_write(p2, &doc, &d), &d, p2);
	za = zip_open(p1, ZIP_RDONLY, &zerr);
	assert_non_null(za);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		assert_true(zip_name_locate(za, parts[i], 0) >= 0);
	zip_close(za);
	b1 = slurp(p1, &l1);
	b2 = slurp(p2, &l2);
	assert_non_null(b1);
	assert_non_null(b2);
	assert_int_equal(l1, l2);
	assert_memory_equal(b1, b2, l1);
	free(b1);
	free(b2);
	jx_arena_cleanup(&a);
}

/* A 300-row table of CJK text reads back whole. */
static void
test_long_table(void **state)
{
	struct jx_arena a, ra;
	struct jx_doc doc;
	struct jx_docx out;
	struct jx_diag d;
	struct jx_grid *g;
	char path[512], cell[64];
	uint32_t r;

	(void)state;
	jx_arena_init(&a, 0);
	jx_arena_init(&ra, 0);
	g = jx_arena_calloc(&a, 1, sizeof(*g));
	assert_non_null(g);
	jx_grid_init(g, &a);
	set(g, 0, 0, "序号");
	set(g, 0, 1, "指标名称");
	for (r = 1; r <= 300; r++) {
		snprintf(cell, sizeof(cell), "%u", r);
		set(g, r, 0, cell);
		snprintf(cell, sizeof(cell), "第%u项指标", r);
		set(g, r, 1, cell);
	}
	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add_table(&doc, g, 1, NULL, NULL, NULL));
	snprintf(path, sizeof(path), "%s/long.docx", tmpdir);
	tu_must(jx_docxw_write(path, &doc, &d), &d, path);
	tu_must(jx_docx_read(path, &ra, &out, &d), &d, path);
	assert_int_equal(out.ntables, 1);
	same_grid(g, out.tables[0]);
	jx_arena_cleanup(&ra);
	jx_arena_cleanup(&a);
}

static void
test_bad_text(void **state)
{
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	struct jx_grid *g;
	char path[512];
	struct stat st;

	(void)state;
	jx_arena_init(&a, 0);
	snprintf(path, sizeof(path), "%s/bad.docx", tmpdir);

	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "好"));
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "坏\xff"));
	jx_diag_clear(&d);
	assert_int_equal(jx_docxw_write(path, &doc, &d), JX_EINVAL);
	assert_non_null(strstr(d.field, "第2块"));
	assert_non_null(strstr(d.message, "UTF-8"));
	assert_int_not_equal(stat(path, &st), 0);

	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "控制\x01字符"));
	jx_diag_clear(&d);
	assert_int_equal(jx_docxw_write(path, &doc, &d), JX_EINVAL);
	assert_non_null(strstr(d.message, "控制字符"));

	g = sample_table(&a);
	set(g, 3, 3, "x\x02y");
	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add_table(&doc, g, 1, NULL, NULL, NULL));
	jx_diag_clear(&d);
	assert_int_equal(jx_docxw_write(path, &doc, &d), JX_EINVAL);
	assert_non_null(strstr(d.field, "表格第4行第4列"));
	assert_int_not_equal(stat(path, &st), 0);
	jx_arena_cleanup(&a);
}

static void
test_unwritable(void **state)
{
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	char path[512], part[520];
	struct stat st;

	(void)state;
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "内容"));
	snprintf(path, sizeof(path), "%s/no/such/dir/x.docx", tmpdir);
	jx_diag_clear(&d);
	assert_int_equal(jx_docxw_write(path, &doc, &d), JX_EIO);
	assert_true(d.message[0] != '\0');
	snprintf(part, sizeof(part), "%s.part", path);
	assert_int_not_equal(stat(part, &st), 0);
	jx_diag_clear(&d);
	assert_int_equal(jx_docxw_write(NULL, &doc, &d), JX_EINVAL);
	jx_arena_cleanup(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_package),
	        cmocka_unit_test(test_long_table),
	        cmocka_unit_test(test_bad_text),
	        cmocka_unit_test(test_unwritable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
