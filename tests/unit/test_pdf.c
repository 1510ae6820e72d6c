/*
 * test_pdf.c - the PDF writer (include/jx/pdf.h): a document with a title,
 * headings, paragraphs, a blank, a note, a merged table and a 300-row
 * table that runs over several pages is written as a complete PDF (header,
 * trailer, title metadata, the page count the flow gives, fonts embedded
 * as font files); landscape pages are A4 landscape; bad text and
 * unwritable paths are refused with nothing left behind. What the pages
 * look like is checked by tests/integration/test_export.sh (pdffonts,
 * pdftoppm, pdftotext).
 */
#include <sys/stat.h>

#include "testutil.h"

#include "jx/doc.h"
#include "jx/grid.h"
#include "jx/pdf.h"

static char tmpdir[] = "/tmp/jx-pdf-XXXXXX";

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

/* How many times needle occurs in buf[0..len). */
static size_t
count(const char *buf, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle), i;

	for (i = 0; i + k <= len; i++)
		if (memcmp(buf + i, needle, k) == 0)
			n++;
	return n;
}

static size_t
pages(const char *buf, size_t len)
{
	return count(buf, len, "/Type /Page\n") +
	       count(buf, len, "/Type /Page ") +
	       count(buf, len, "/Type /Page/") +
	       count(buf, len, "/Type /Page>");
}

static void
test_document(void **state)
{
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	struct jx_grid *g, *big;
	char path[512], cell[64];
	size_t len = 0, n1, n2;
	char *buf;
	uint32_t r;

	(void)state;
	jx_arena_init(&a, 0);
	g = sample_table(&a);
	jx_doc_init(&doc, &a);
	doc.title = "测试文档";
	assert_non_null(
	        jx_doc_add(&doc, JX_DOC_TITLE, 0, "项目支出绩效自评报告"));
	assert_non_null(
	        jx_doc_add(&doc, JX_DOC_HEADING, 1, "一、项目基本情况"));
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0,
	                           "全年预算资金131.4万元，全年执行资金131.4万"
	                           "元，预算执行率100%。\n第二行"));
	assert_non_null(
	        jx_doc_add(&doc, JX_DOC_BLANK, 0, "（请填写：项目概况）"));
	assert_non_null(jx_doc_add(&doc, JX_DOC_NOTE, 0, "单位：万元"));
	assert_non_null(jx_doc_add_table(&doc, g, 2, NULL, NULL, NULL));
	snprintf(path, sizeof(path), "%s/one.pdf", tmpdir);
	tu_must(jx_pdf_write(path, &doc, &d), &d, path);
	buf = slurp(path, &len);
	assert_non_null(buf);
	assert_true(len > 1000);
	assert_memory_equal(buf, "%PDF-", 5);
	assert_int_equal(count(buf + len - 16, 16, "%%EOF"), 1);
	assert_true(count(buf, len, "/FontFile") >= 1); /* embedded */
	n1 = pages(buf, len);
	assert_int_equal(n1, 1);
	free(buf);

	/* 300 rows: several pages, more after a page break. */
	big = jx_arena_calloc(&a, 1, sizeof(*big));
	assert_non_null(big);
	jx_grid_init(big, &a);
	set(big, 0, 0, "序号");
	set(big, 0, 1, "指标名称");
	for (r = 1; r <= 300; r++) {
		snprintf(cell, sizeof(cell), "%u", r);
		set(big, r, 0, cell);
		snprintf(cell, sizeof(cell), "第%u项指标", r);
		set(big, r, 1, cell);
	}
	assert_int_equal(jx_grid_merge(big, 10, 1, 40, 1), JX_OK);
	assert_non_null(jx_doc_add_table(&doc, big, 1, NULL, NULL, NULL));
	snprintf(path, sizeof(path), "%s/long.pdf", tmpdir);
	tu_must(jx_pdf_write(path, &doc, &d), &d, path);
	buf = slurp(path, &len);
	assert_non_null(buf);
	n1 = pages(buf, len);
	assert_true(n1 >= 6);
	free(buf);
	assert_non_null(jx_doc_add(&doc, JX_DOC_PAGEBREAK, 0, ""));
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "新的一页"));
	doc.landscape = true;
	tu_must(jx_pdf_write(path, &doc, &d), &d, path);
	buf = slurp(path, &len);
	assert_non_null(buf);
	n2 = pages(buf, len);
	assert_true(n2 >= 2);
	assert_true(count(buf, len, "841.89 595.28") >= 1); /* A4 landscape */
	free(buf);
	jx_arena_cleanup(&a);
}

static void
test_empty(void **state)
{
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	char path[512];
	size_t len = 0;
	char *buf;

	(void)state;
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	snprintf(path, sizeof(path), "%s/empty.pdf", tmpdir);
	tu_must(jx_pdf_write(path, &doc, &d), &d, path);
	buf = slurp(path, &len);
	assert_non_null(buf);
	assert_int_equal(pages(buf, len), 1);
	free(buf);
	jx_arena_cleanup(&a);
}

static void
test_bad(void **state)
{
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	struct jx_grid *g;
	char path[512], part[520];
	struct stat st;

	(void)state;
	jx_arena_init(&a, 0);
	snprintf(path, sizeof(path), "%s/bad.pdf", tmpdir);
	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "好"));
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "坏\xc3"));
	jx_diag_clear(&d);
	assert_int_equal(jx_pdf_write(path, &doc, &d), JX_EINVAL);
	assert_non_null(strstr(d.field, "第2块"));
	assert_int_not_equal(stat(path, &st), 0);

	g = sample_table(&a);
	set(g, 2, 3, "x\x01");
	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add_table(&doc, g, 1, NULL, NULL, NULL));
	jx_diag_clear(&d);
	assert_int_equal(jx_pdf_write(path, &doc, &d), JX_EINVAL);
	assert_non_null(strstr(d.field, "表格第3行第4列"));

	jx_doc_init(&doc, &a);
	assert_non_null(jx_doc_add(&doc, JX_DOC_PARA, 0, "内容"));
	snprintf(path, sizeof(path), "%s/no/such/dir/x.pdf", tmpdir);
	jx_diag_clear(&d);
	assert_int_equal(jx_pdf_write(path, &doc, &d), JX_EIO);
	snprintf(part, sizeof(part), "%s.part", path);
	assert_int_not_equal(stat(part, &st), 0);
	assert_int_equal(jx_pdf_write(NULL, &doc, &d), JX_EINVAL);
	jx_arena_cleanup(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_document),
	        cmocka_unit_test(test_empty),
	        cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
