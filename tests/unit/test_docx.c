/*
 * test_docx.c - the Word reader (io/docx.c): the python-docx fixtures of
 * tests/data/docx (made by make.py, which states the expected grids,
 * merged ranges, paragraphs and table positions, computed from
 * python-docx's own table model) read cell by cell; documents built here
 * from WordprocessingML snippets for what python-docx cannot write
 * (gridBefore, hMerge, deleted rows, text boxes, alternate content, math,
 * ruby, other prefixes, Strict OOXML); and hostile files made with libzip
 * in memory: not a zip, OLE, PDF, RTF, an xlsx, encrypted entries, zip
 * bombs with honest and lying headers, DOCTYPE and entities, broken and
 * deep XML, and every JX_DOCX_ limit - each refused with the right error
 * and message, quickly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <zip.h>

#include "jx/docx.h"
#include "jx/limits.h"
#include "testutil.h"

#define FIXTURES "tests/data/docx"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOC_OPEN                                                               \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"      \
	"<w:document xmlns:w=\"" W_NS "\" "                                    \
	"xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/"     \
	"math\" "                                                              \
	"xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/"   \
	"2006\" "                                                              \
	"xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/"           \
	"wordprocessingShape\">"                                               \
	"<w:body>"
#define DOC_CLOSE "<w:sectPr/></w:body></w:document>"

static struct jx_arena arena;

static int
setup(void **state)
{
	(void)state;
	jx_arena_init(&arena, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	jx_arena_cleanup(&arena);
	return 0;
}

/* ---- building zips and documents ------------------------------------ */

struct ent {
	const char *name;
	const void *data;
	size_t len;
	int store; /* 1: stored, not deflated */
};

/* A zip of the entries, made in memory by libzip; malloc'd. */
static unsigned char *
mkzip(const struct ent *e, size_t n, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	zip_int64_t idx;
	unsigned char *out;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_source_keep(src);
	for (i = 0; i < n; i++) {
		s = zip_source_buffer(za, e[i].data, e[i].len, 0);
		assert_non_null(s);
		idx = zip_file_add(za, e[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		assert_int_equal(
		        zip_set_file_compression(za, (zip_uint64_t)idx,
		                                 e[i].store ? ZIP_CM_STORE
		                                            : ZIP_CM_DEFLATE,
		                                 e[i].store ? 0 : 9),
		        0);
	}
	assert_int_equal(zip_close(za), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	assert_int_equal(zip_source_open(src), 0);
	out = malloc(st.size);
	assert_non_null(out);
	assert_int_equal(zip_source_read(src, out, st.size),
	                 (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*outlen = (size_t)st.size;
	return out;
}

static const char content_types[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
        "xmlns=\"http://schemas.openxmlformats.org/package/2006/"
        "content-types\"/>";

/* A docx whose word/document.xml is xml[0..len); malloc'd. */
static unsigned char *
mkdocx_xml(const char *xml, size_t len, int store, size_t *outlen)
{
	struct ent e[2] = {
	        {"[Content_Types].xml", content_types,
	         sizeof(content_types) - 1, 0},
	        {"word/document.xml", xml, len, store},
	};

	return mkzip(e, 2, outlen);
}

/* The document XML with body inside w:body; malloc'd. */
static char *
wrap(const char *body, size_t *len)
{
	size_t n = strlen(DOC_OPEN) + strlen(body) + strlen(DOC_CLOSE);
	char *xml = malloc(n + 1);

	assert_non_null(xml);
	snprintf(xml, n + 1, "%s%s%s", DOC_OPEN, body, DOC_CLOSE);
	*len = n;
	return xml;
}

/* Read a document whose body is body. */
static enum jx_err
read_body(const char *body, struct jx_docx *out, struct jx_diag *d)
{
	size_t xlen, zlen;
	char *xml = wrap(body, &xlen);
	unsigned char *z = mkdocx_xml(xml, xlen, 0, &zlen);
	enum jx_err err;

	err = jx_docx_read_mem(z, zlen, "t.docx", &arena, out, d);
	free(z);
	free(xml);
	return err;
}

/* Read a document whose body is body; it must succeed. */
static void
must_body(const char *body, struct jx_docx *out)
{
	struct jx_diag d;

	tu_must(read_body(body, out, &d), &d, body);
}

/* Fail unless message contains want. */
static void
want_msg(const struct jx_diag *d, const char *want, const char *what)
{
	if (strstr(d->message, want) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", what, d->message,
		         want);
}

/* ---- checking grids ------------------------------------------------- */

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * Check g against a compact statement: cells "r,c=text|r,c=text" lists
 * every cell holding text as stored (top-left cells of merged ranges;
 * "\n" and "\t" written as such), merges "r0,c0,r1,c1|..." every merged
 * range (NULL or "": none).
 */
static void
want_grid(const struct jx_grid *g, const char *cells, const char *merges)
{
	char spec[4096], *p, *next, *eq;
	unsigned r, c, r0, c0, r1, c1;
	size_t want = 0, got = 0, i;
	const char *text;

	snprintf(spec, sizeof(spec), "%s", cells);
	for (p = spec; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, '|');
		if (next != NULL)
			*next++ = '\0';
		eq = strchr(p, '=');
		assert_non_null(eq);
		assert_int_equal(sscanf(p, "%u,%u", &r, &c), 2);
		text = g->rows != NULL && r < g->cap_rows &&
		                       g->rows[r] != NULL && c < g->row_cap[r]
		               ? g->rows[r][c]
		               : NULL;
		if (text == NULL || strcmp(text, eq + 1) != 0)
			fail_msg("%s (%u,%u): want \"%s\", got \"%s\"",
			         nz(g->name), r, c, eq + 1, nz(text));
		want++;
	}
	for (r = 0; r < g->nrows; r++)
		for (c = 0; g->rows[r] != NULL && c < g->row_cap[r]; c++)
			got += g->rows[r][c] != NULL;
	if (got != want)
		fail_msg("%s: %zu cells hold text, want %zu", nz(g->name), got,
		         want);
	want = 0;
	snprintf(spec, sizeof(spec), "%s", merges != NULL ? merges : "");
	for (p = spec; *p != '\0'; p = next) {
		next = strchr(p, '|');
		if (next != NULL)
			*next++ = '\0';
		else
			next = p + strlen(p);
		assert_int_equal(sscanf(p, "%u,%u,%u,%u", &r0, &c0, &r1, &c1),
		                 4);
		for (i = 0; i < g->nmerges; i++)
			if (g->merges[i].r0 == r0 && g->merges[i].c0 == c0 &&
			    g->merges[i].r1 == r1 && g->merges[i].c1 == c1)
				break;
		if (i == g->nmerges)
			fail_msg("%s: no merged range %u,%u,%u,%u", nz(g->name),
			         r0, c0, r1, c1);
		want++;
	}
	if (g->nmerges != want)
		fail_msg("%s: %zu merged ranges, want %zu", nz(g->name),
		         g->nmerges, want);
}

/* ---- the python-docx fixtures --------------------------------------- */

/* Compare a read document with NAME.expect.json. */
static void
check_expect(const struct jx_docx *x, const char *name)
{
	char rel[256];
	json_t *root, *paras, *tables, *t, *cells, *merges, *m;
	json_error_t je;
	size_t i, len = 0, k;
	uint32_t r, c, rows, cols;
	char *buf;
	const char *want, *got;

	snprintf(rel, sizeof(rel), FIXTURES "/%s.expect.json", name);
	buf = tu_read(rel, &len);
	assert_non_null(buf);
	root = json_loadb(buf, len, 0, &je);
	free(buf);
	if (root == NULL)
		fail_msg("%s: %s", rel, je.text);
	paras = json_object_get(root, "paragraphs");
	tables = json_object_get(root, "tables");
	if (x->nparagraphs != json_array_size(paras))
		fail_msg("%s: %zu paragraphs, want %zu", name, x->nparagraphs,
		         json_array_size(paras));
	for (i = 0; i < x->nparagraphs; i++) {
		want = json_string_value(json_array_get(paras, i));
		if (strcmp(x->paragraphs[i], want) != 0)
			fail_msg("%s: paragraph %zu: want \"%s\", got \"%s\"",
			         name, i, want, x->paragraphs[i]);
	}
	if (x->ntables != json_array_size(tables))
		fail_msg("%s: %zu tables, want %zu", name, x->ntables,
		         json_array_size(tables));
	for (i = 0; i < x->ntables; i++) {
		const struct jx_grid *g = x->tables[i];

		t = json_array_get(tables, i);
		assert_string_equal(
		        g->name, json_string_value(json_object_get(t, "name")));
		assert_int_equal(x->table_at[i],
		                 json_integer_value(json_object_get(t, "at")));
		rows = (uint32_t)json_integer_value(json_object_get(t, "rows"));
		cols = (uint32_t)json_integer_value(json_object_get(t, "cols"));
		assert_true(g->nrows <= rows && g->ncols <= cols);
		cells = json_object_get(t, "cells");
		for (r = 0; r < rows; r++) {
			for (c = 0; c < cols; c++) {
				want = json_string_value(json_array_get(
				        json_array_get(cells, r), c));
				got = nz(jx_grid_get(g, r, c));
				if (strcmp(want, got) != 0)
					fail_msg("%s %s (%u,%u): want \"%s\", "
					         "got \"%s\"",
					         name, g->name, r, c, want,
					         got);
			}
		}
		merges = json_object_get(t, "merges");
		if (g->nmerges != json_array_size(merges))
			fail_msg("%s %s: %zu merged ranges, want %zu", name,
			         g->name, g->nmerges, json_array_size(merges));
		json_array_foreach(merges, k, m)
		{
			const struct jx_grid_merge *gm =
			        jx_grid_merged(g,
			                       (uint32_t)json_integer_value(
			                               json_array_get(m, 0)),
			                       (uint32_t)json_integer_value(
			                               json_array_get(m, 1)));

			if (gm == NULL ||
			    gm->r1 !=
			            json_integer_value(json_array_get(m, 2)) ||
			    gm->c1 != json_integer_value(json_array_get(m, 3)))
				fail_msg("%s %s: merged range %zu differs",
				         name, g->name, k);
		}
	}
	json_decref(root);
}

static void
test_fixtures(void **state)
{
	static const char *const names[] = {
	        "001-zibiao", /* the 自评表 with gridSpan and vMerge */
	        "002-runs",   /* paragraphs: split runs, fields, changes */
	        "003-funds",  /* the funds block and an indicator table */
	        "004-nested", /* nested tables, flattened into the parent */
	};
	char path[512];
	struct jx_docx x;
	struct jx_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/" FIXTURES "/%s.docx",
		         JX_SOURCE_DIR, names[i]);
		tu_must(jx_docx_read(path, &arena, &x, &d), &d, names[i]);
		check_expect(&x, names[i]);
		jx_arena_reset(&arena);
	}
}

/* The 自评表 fixture, spot-checked by hand as the sheet finder will use
 * it: header words, the funds block and the 总分 row. */
static void
test_zibiao_cells(void **state)
{
	char path[512];
	struct jx_docx x;
	struct jx_diag d;
	const struct jx_grid *g;
	const struct jx_grid_merge *m;

	(void)state;
	snprintf(path, sizeof(path), "%s/" FIXTURES "/001-zibiao.docx",
	         JX_SOURCE_DIR);
	tu_must(jx_docx_read(path, &arena, &x, &d), &d, "001-zibiao");
	assert_int_equal(x.ntables, 1);
	g = x.tables[0];
	assert_string_equal(g->name, "表1");
	assert_int_equal(x.table_at[0], 3);
	assert_string_equal(x.paragraphs[1], "项目支出绩效自评表");
	assert_int_equal(g->nrows, 21);
	assert_int_equal(g->ncols, 9);
	assert_string_equal(jx_grid_get(g, 2, 5),
	                    "“互联网+政务服务”平台运维服务费");
	assert_string_equal(jx_grid_get(g, 6, 0), "项目资金\n（万元）");
	assert_string_equal(jx_grid_get(g, 5, 1), "年度资金总额");
	assert_string_equal(jx_grid_get(g, 5, 6), "100%");
	assert_string_equal(jx_grid_get(g, 4, 8), "得分");
	assert_string_equal(jx_grid_get(g, 11, 8), "偏差原因分析及改进措施");
	assert_string_equal(jx_grid_get(g, 16, 1), "产出指标");
	assert_string_equal(jx_grid_get(g, 13, 2), "数量指标");
	assert_string_equal(jx_grid_get(g, 16, 8), "为节约资金顺延");
	assert_string_equal(jx_grid_get(g, 20, 3), "总分");
	assert_string_equal(jx_grid_get(g, 20, 7), "99.8");
	assert_null(jx_grid_get(g, 20, 8));
	m = jx_grid_merged(g, 15, 0);
	assert_non_null(m);
	assert_true(m->r0 == 11 && m->c0 == 0 && m->r1 == 19 && m->c1 == 0);
	/* covered cells hold nothing themselves */
	assert_non_null(g->rows[13]);
	assert_null(g->rows[13][1]);
	jx_arena_reset(&arena);
}

/* ---- paragraphs from snippets --------------------------------------- */

struct pcase {
	const char *what;
	const char *body;
	const char *want; /* the only paragraph's text */
};

static const struct pcase pcases[] = {
        {"text split across runs, proofErr and bookmarks between",
         "<w:p><w:r><w:t>预算执</w:t></w:r><w:proofErr w:type=\"spellStart\"/>"
         "<w:bookmarkStart w:id=\"1\" w:name=\"a\"/><w:r><w:rPr><w:b/>"
         "</w:rPr><w:t>行</w:t></w:r><w:bookmarkEnd w:id=\"1\"/>"
         "<w:proofErr w:type=\"spellEnd\"/><w:r><w:t>率</w:t></w:r></w:p>",
         "预算执行率"},
        {"xml:space preserve keeps spaces",
         "<w:p><w:r><w:t xml:space=\"preserve\"> 1 </w:t></w:r>"
         "<w:r><w:t>项</w:t></w:r></w:p>",
         " 1 项"},
        {"tab, ptab, br, cr",
         "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t>"
         "<w:cr/><w:ptab w:relativeTo=\"margin\" w:alignment=\"right\" "
         "w:leader=\"none\"/><w:t>d</w:t></w:r></w:p>",
         "a\tb\nc\n\td"},
        {"tab stops in the paragraph properties are not text",
         "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/>"
         "</w:tabs></w:pPr><w:r><w:t>x</w:t></w:r></w:p>",
         "x"},
        {"Symbol font symbols become their characters",
         "<w:p><w:r><w:sym w:font=\"Symbol\" w:char=\"F0B3\"/>"
         "<w:t>95%</w:t><w:sym w:font=\"Symbol\" w:char=\"F0B1\"/>"
         "<w:sym w:font=\"symbol\" w:char=\"a3\"/></w:r></w:p>",
         "≥95%±≤"},
        {"other fonts keep the code; bad codes show nothing",
         "<w:p><w:r><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/>"
         "<w:sym w:char=\"2265\"/><w:sym w:font=\"Symbol\" w:char=\"zz\"/>"
         "<w:sym w:char=\"1\"/><w:sym w:char=\"D800\"/>"
         "<w:sym w:char=\"1234567\"/><w:sym/></w:r></w:p>",
         "\xef\x83\xbc≥"},
        {"fldSimple keeps its result",
         "<w:p><w:r><w:t>第</w:t></w:r><w:fldSimple w:instr=\" PAGE \">"
         "<w:r><w:t>3</w:t></w:r></w:fldSimple><w:r><w:t>页</w:t></w:r>"
         "</w:p>",
         "第3页"},
        {"complex field: the code is skipped, the result kept",
         "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
         "<w:r><w:instrText xml:space=\"preserve\"> REF _Ref1 \\h "
         "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/>"
         "</w:r><w:r><w:t>表1</w:t></w:r><w:r><w:fldChar "
         "w:fldCharType=\"end\"/></w:r></w:p>",
         "表1"},
        {"deleted text skipped, inserted kept, moves too",
         "<w:p><w:r><w:t>执行率</w:t></w:r><w:del w:id=\"1\" "
         "w:author=\"a\"><w:r><w:delText>90%</w:delText></w:r></w:del>"
         "<w:ins w:id=\"2\" w:author=\"a\"><w:r><w:t>100%</w:t></w:r>"
         "</w:ins><w:moveFrom w:id=\"3\" w:author=\"a\"><w:r><w:t>旧</w:t>"
         "</w:r></w:moveFrom><w:moveTo w:id=\"4\" w:author=\"a\"><w:r>"
         "<w:t>。</w:t></w:r></w:moveTo></w:p>",
         "执行率100%。"},
        {"hyperlink, smart tag and run-level content control",
         "<w:p><w:hyperlink w:anchor=\"x\"><w:r><w:t>附件</w:t></w:r>"
         "</w:hyperlink><w:smartTag w:uri=\"u\" w:element=\"e\"><w:r>"
         "<w:t>1</w:t></w:r></w:smartTag><w:sdt><w:sdtPr/><w:sdtContent>"
         "<w:r><w:t>号</w:t></w:r></w:sdtContent></w:sdt></w:p>",
         "附件1号"},
        {"noBreakHyphen is a hyphen; softHyphen nothing",
         "<w:p><w:r><w:t>2021</w:t><w:noBreakHyphen/><w:t>20</w:t>"
         "<w:softHyphen/><w:t>22</w:t></w:r></w:p>",
         "2021-2022"},
        {"text boxes and pictures are not read",
         "<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:drawing><wps:txbx>"
         "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
         "</w:txbxContent></wps:txbx></w:drawing></w:r><w:r><w:pict>"
         "<w:p><w:r><w:t>VML</w:t></w:r></w:p></w:pict></w:r></w:p>",
         "正文"},
        {"mc:Choice read, mc:Fallback skipped",
         "<w:p><mc:AlternateContent><mc:Choice Requires=\"w14\"><w:r>"
         "<w:t>甲</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>乙</w:t>"
         "</w:r></mc:Fallback></mc:AlternateContent></w:p>",
         "甲"},
        {"math text kept",
         "<w:p><w:r><w:t>完成率=</w:t></w:r><m:oMath><m:r><m:t>a/b</m:t>"
         "</m:r></m:oMath></w:p>",
         "完成率=a/b"},
        {"ruby: the base text, not the annotation",
         "<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>jì</w:t></w:r>"
         "</w:rt><w:rubyBase><w:r><w:t>绩</w:t></w:r></w:rubyBase>"
         "</w:ruby></w:r></w:p>",
         "绩"},
        {"w:t outside a run, text between elements: not text",
         "<w:p>\n  <w:t>x</w:t>\n  <w:r>\n    <w:t>效</w:t>\n  </w:r>\n"
         "</w:p><w:r><w:t>loose</w:t></w:r>",
         "效"},
        {"entities and character references",
         "<w:p><w:r><w:t>&lt;&amp;&gt;&#x2265;&#20540;</w:t></w:r></w:p>",
         "<&>≥值"},
        {"CDATA", "<w:p><w:r><w:t><![CDATA[a<b]]></w:t></w:r></w:p>", "a<b"},
};

static void
test_paragraphs(void **state)
{
	struct jx_docx x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		must_body(pcases[i].body, &x);
		if (x.nparagraphs != 1 ||
		    strcmp(x.paragraphs[0], pcases[i].want) != 0)
			fail_msg("%s: want \"%s\", got %zu paragraphs: \"%s\"",
			         pcases[i].what, pcases[i].want, x.nparagraphs,
			         x.nparagraphs > 0 ? x.paragraphs[0] : "");
		assert_int_equal(x.ntables, 0);
		jx_arena_reset(&arena);
	}
}

/* Paragraphs joined by a deleted mark; empty ones kept; nothing lost at
 * the end. */
static void
test_paragraph_marks(void **state)
{
	struct jx_docx x;

	(void)state;
	must_body("<w:p><w:pPr><w:rPr><w:del w:id=\"1\" w:author=\"a\"/>"
	          "</w:rPr></w:pPr><w:r><w:t>甲</w:t></w:r></w:p>"
	          "<w:p><w:r><w:t>乙</w:t></w:r></w:p><w:p/><w:p></w:p>"
	          "<w:p><w:pPr><w:rPr><w:moveFrom w:id=\"2\" w:author=\"a\"/>"
	          "</w:rPr></w:pPr><w:r><w:t>丙</w:t></w:r></w:p>",
	          &x);
	assert_int_equal(x.nparagraphs, 4);
	assert_string_equal(x.paragraphs[0], "甲乙");
	assert_string_equal(x.paragraphs[1], "");
	assert_string_equal(x.paragraphs[2], "");
	/* a deleted mark at the very end still gives its text */
	assert_string_equal(x.paragraphs[3], "丙");
	jx_arena_reset(&arena);

	/* an empty body */
	must_body("", &x);
	assert_int_equal(x.nparagraphs, 0);
	assert_int_equal(x.ntables, 0);
}

/* Any prefix, the Strict namespace, and unqualified attributes. */
static void
test_namespaces(void **state)
{
	static const char strict[] =
	        "<?xml version=\"1.0\"?><x:document "
	        "xmlns:x=\"http://purl.oclc.org/ooxml/wordprocessingml/main\">"
	        "<x:body><x:p><x:r><x:t>严格</x:t></x:r></x:p><x:tbl><x:tr>"
	        "<x:tc><x:tcPr><x:gridSpan x:val=\"2\"/></x:tcPr><x:p><x:r>"
	        "<x:t>合并</x:t></x:r></x:p></x:tc></x:tr></x:tbl></x:body>"
	        "</x:document>";
	static const char other[] =
	        "<?xml version=\"1.0\"?><document xmlns=\"" W_NS "\"><body>"
	        "<p><r><t>默认</t></r></p><tbl><tr><tc><tcPr><gridSpan "
	        "val=\"3\"/></tcPr><p><r><t>a</t></r></p></tc></tr></tbl>"
	        "<x:p xmlns:x=\"urn:not-word\"><x:r><x:t>别的</x:t></x:r></x:p>"
	        "</body></document>";
	struct jx_docx x;
	struct jx_diag d;
	unsigned char *z;
	size_t zlen;

	(void)state;
	z = mkdocx_xml(strict, sizeof(strict) - 1, 0, &zlen);
	tu_must(jx_docx_read_mem(z, zlen, "strict", &arena, &x, &d), &d,
	        "strict");
	free(z);
	assert_int_equal(x.nparagraphs, 1);
	assert_string_equal(x.paragraphs[0], "严格");
	assert_int_equal(x.ntables, 1);
	want_grid(x.tables[0], "0,0=合并", "0,0,0,1");
	jx_arena_reset(&arena);

	z = mkdocx_xml(other, sizeof(other) - 1, 0, &zlen);
	tu_must(jx_docx_read_mem(z, zlen, "other", &arena, &x, &d), &d,
	        "default namespace");
	free(z);
	assert_int_equal(x.nparagraphs, 1);
	assert_string_equal(x.paragraphs[0], "默认");
	want_grid(x.tables[0], "0,0=a", "0,0,0,2");
}

/* ---- tables from snippets ------------------------------------------- */

#define TC(text) "<w:tc><w:p><w:r><w:t>" text "</w:t></w:r></w:p></w:tc>"
#define TCP(pr, text)                                                          \
	"<w:tc><w:tcPr>" pr "</w:tcPr><w:p><w:r><w:t>" text                    \
	"</w:t></w:r></w:p></w:tc>"
#define TCE(pr) "<w:tc><w:tcPr>" pr "</w:tcPr><w:p/></w:tc>"
#define SPAN(n) "<w:gridSpan w:val=\"" #n "\"/>"
#define VRE     "<w:vMerge w:val=\"restart\"/>"
#define VCO     "<w:vMerge/>"

struct tcase {
	const char *what;
	const char *body;  /* one table */
	const char *cells; /* want_grid's statement */
	const char *merges;
};

/* clang-format off */
static const struct tcase tcases[] = {
	{"gridSpan shifts the next cells",
	 "<w:tbl>"
	 "<w:tr>" TCP(SPAN(3), "项目名称") TC("x") "</w:tr>"
	 "<w:tr>" TC("a") TC("b") TC("c") TC("d") "</w:tr>"
	 "</w:tbl>",
	 "0,0=项目名称|0,3=x|1,0=a|1,1=b|1,2=c|1,3=d", "0,0,0,2"},
	{"vMerge restart / continue, continue-only cells empty",
	 "<w:tbl>"
	 "<w:tr>" TCP(VRE, "产出指标") TC("数量") "</w:tr>"
	 "<w:tr>" TCE(VCO) TC("质量") "</w:tr>"
	 "<w:tr>" TCE(VCO) TC("时效") "</w:tr>"
	 "<w:tr>" TC("效益指标") TC("社会") "</w:tr>"
	 "</w:tbl>",
	 "0,0=产出指标|0,1=数量|1,1=质量|2,1=时效|3,0=效益指标|3,1=社会",
	 "0,0,2,0"},
	{"vMerge with gridSpan: a 2x2 block, as python-docx merges",
	 "<w:tbl>"
	 "<w:tr>" TCP(SPAN(2) VRE, "项目资金") TC("年初") "</w:tr>"
	 "<w:tr>" TCE(SPAN(2) VCO) TC("24.5") "</w:tr>"
	 "</w:tbl>",
	 "0,0=项目资金|0,2=年初|1,2=24.5", "0,0,1,1"},
	{"continue text is ignored; a continue with nothing above starts "
	 "a one-cell range (not recorded)",
	 "<w:tbl>"
	 "<w:tr>" TCP(VCO, "孤") TCP(VRE, "上") "</w:tr>"
	 "<w:tr>" TC("x") TCP(VCO, "被忽略") "</w:tr>"
	 "</w:tbl>",
	 "0,0=孤|0,1=上|1,0=x", "0,1,1,1"},
	{"vMerge continue over other columns does not join",
	 "<w:tbl>"
	 "<w:tr>" TCP(SPAN(2) VRE, "宽") TC("c") "</w:tr>"
	 "<w:tr>" TCP(VCO, "窄") TC("d") TC("e") "</w:tr>"
	 "</w:tbl>",
	 "0,0=宽|0,2=c|1,0=窄|1,1=d|1,2=e", "0,0,0,1"},
	{"a range not continued ends; a new restart below starts anew",
	 "<w:tbl>"
	 "<w:tr>" TCP(VRE, "一") "</w:tr>"
	 "<w:tr>" TCE(VCO) "</w:tr>"
	 "<w:tr>" TCP(VRE, "二") "</w:tr>"
	 "<w:tr>" TCE(VCO) "</w:tr>"
	 "<w:tr>" TCE(VCO) "</w:tr>"
	 "</w:tbl>",
	 "0,0=一|2,0=二", "0,0,1,0|2,0,4,0"},
	{"gridBefore skips columns; gridAfter is only width",
	 "<w:tbl>"
	 "<w:tr>" TC("a") TC("b") TC("c") "</w:tr>"
	 "<w:tr><w:trPr><w:gridBefore w:val=\"2\"/>"
	 "<w:gridAfter w:val=\"1\"/></w:trPr>" TC("z") "</w:tr>"
	 "<w:tr><w:tblPrEx/><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>"
	 TCP(VRE, "v") "</w:tr>"
	 "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>"
	 TCE(VCO) "</w:tr>"
	 "</w:tbl>",
	 "0,0=a|0,1=b|0,2=c|1,2=z|2,1=v", "2,1,3,1"},
	{"legacy hMerge widens the previous cell",
	 "<w:tbl>"
	 "<w:tr>" TCP("<w:hMerge w:val=\"restart\"/>", "横")
	 TCE("<w:hMerge/>") TCE("<w:hMerge w:val=\"continue\"/>") TC("x")
	 "</w:tr>"
	 "<w:tr>" TCP(VRE "<w:hMerge w:val=\"restart\"/>", "块")
	 TCE("<w:hMerge/>") "</w:tr>"
	 "<w:tr>" TCE(VCO SPAN(2)) "</w:tr>"
	 "</w:tbl>",
	 "0,0=横|0,3=x|1,0=块", "0,0,0,2|1,0,2,1"},
	{"a deleted row is left out and merges run across it",
	 "<w:tbl>"
	 "<w:tr>" TCP(VRE, "上") TC("1") "</w:tr>"
	 "<w:tr><w:trPr><w:del w:id=\"1\" w:author=\"a\"/></w:trPr>"
	 TCE(VCO) "<w:tc><w:p><w:del w:id=\"2\" w:author=\"a\"><w:r>"
	 "<w:delText>删</w:delText></w:r></w:del></w:p></w:tc></w:tr>"
	 "<w:tr>" TCE(VCO) TC("2") "</w:tr>"
	 "</w:tbl>",
	 "0,0=上|0,1=1|1,1=2", "0,0,1,0"},
	{"tracked property changes are not the cell's properties",
	 "<w:tbl><w:tr>"
	 "<w:tc><w:tcPr><w:tcPrChange w:id=\"1\" w:author=\"a\">"
	 "<w:tcPr>" SPAN(4) "</w:tcPr></w:tcPrChange></w:tcPr>"
	 "<w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>" TC("b")
	 "</w:tr></w:tbl>",
	 "0,0=a|0,1=b", ""},
	{"cell paragraphs joined with newlines, empty ones too",
	 "<w:tbl>"
	 "<w:tr><w:tc><w:p><w:r><w:t>目标1</w:t></w:r></w:p><w:p/>"
	 "<w:p><w:r><w:t>目标2</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc>"
	 "</w:tr>"
	 "<w:tr><w:sdt><w:sdtContent>" TC("控件") "</w:sdtContent></w:sdt>"
	 "<w:customXml>" TC("自定义") "</w:customXml></w:tr>"
	 "</w:tbl>",
	 "0,0=目标1\n\n目标2|1,0=控件|1,1=自定义", ""},
	{"empty rows still count; an empty table is a table",
	 "<w:tbl><w:tr/><w:tr>" TC("") TC("b") "</w:tr></w:tbl>",
	 "1,1=b", ""},
	{"malformed nesting is read without harm",
	 "<w:tbl>"
	 "<w:tc><w:p><w:r><w:t>无行</w:t></w:r></w:p></w:tc>"
	 "<w:tr><w:p><w:r><w:t>行中</w:t></w:r></w:p>"
	 "<w:tc><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc>"
	 "<w:tr>" TC("x") "</w:tr></w:tc></w:tr>"
	 "</w:tbl>",
	 "0,0=内\nx", ""},
};
/* clang-format on */

static void
test_tables(void **state)
{
	struct jx_docx x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		must_body(tcases[i].body, &x);
		if (x.ntables != 1)
			fail_msg("%s: %zu tables", tcases[i].what, x.ntables);
		print_message("table case: %s\n", tcases[i].what);
		want_grid(x.tables[0], tcases[i].cells, tcases[i].merges);
		assert_int_equal(x.nparagraphs, 0);
		jx_arena_reset(&arena);
	}
}

/* Nested tables: their own grids after the parent, in document order,
 * flattened into the parent's cell; table_at counts body paragraphs. */
static void
test_nested(void **state)
{
	/* clang-format off */
	static const char body[] =
		"<w:p><w:r><w:t>前</w:t></w:r></w:p>"
		"<w:tbl><w:tr>" TC("外") "<w:tc>"
			"<w:p><w:r><w:t>说明</w:t></w:r></w:p>"
			"<w:tbl>"
				"<w:tr>" TC("a") TCP(VRE, "b") "</w:tr>"
				"<w:tr><w:trPr><w:del w:id=\"1\" w:author=\"x\"/>"
				"</w:trPr>" TC("删") TCE(VCO) "</w:tr>"
				"<w:tr>" TC("c") "<w:tc>"
					"<w:tbl><w:tr>" TC("深") "</w:tr></w:tbl>"
					"<w:p/></w:tc></w:tr>"
			"</w:tbl>"
			"<w:p><w:r><w:t>完</w:t></w:r></w:p>"
		"</w:tc></w:tr></w:tbl>"
		"<w:p><w:r><w:t>中</w:t></w:r></w:p>"
		"<w:tbl><w:tr>" TC("后") "</w:tr></w:tbl>";
	/* clang-format on */
	struct jx_docx x;

	(void)state;
	must_body(body, &x);
	assert_int_equal(x.nparagraphs, 2);
	assert_int_equal(x.ntables, 4);
	assert_string_equal(x.tables[0]->name, "表1");
	assert_string_equal(x.tables[3]->name, "表4");
	assert_int_equal(x.table_at[0], 1);
	assert_int_equal(x.table_at[1], 1);
	assert_int_equal(x.table_at[2], 1);
	assert_int_equal(x.table_at[3], 2);
	want_grid(x.tables[0], "0,0=外|0,1=说明\na\tb\nc\t深\n\n完", "");
	/* the continuation was in the deleted row: b stays one cell */
	want_grid(x.tables[1], "0,0=a|0,1=b|1,0=c|1,1=深\n", "");
	want_grid(x.tables[2], "0,0=深", "");
	want_grid(x.tables[3], "0,0=后", "");
}

/* ---- hostile and wrong files ---------------------------------------- */

struct hcase {
	const char *what;
	const void *data;
	size_t len;
	enum jx_err err;
	const char *msg;
};

static void
test_not_docx(void **state)
{
	static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1,
	                                    0xB1, 0x1A, 0xE1, 0,    0};
	static const char text[] =
	        " [bookmark: _Toc99029655]一、项目的基本情况";
	static const unsigned char pk[] = {'P', 'K', 3, 4, 20, 0, 0, 0};
	const struct hcase cases[] = {
	        {"empty file", "", 0, JX_EPARSE, "文件是空的"},
	        {"OLE: .doc or encrypted .docx", ole, sizeof(ole), JX_EPARSE,
	         "旧版 .doc 格式或文件已加密，请另存为 .docx"},
	        {"PDF", "%PDF-1.7\n", 9, JX_EPARSE, "这是 PDF 文件"},
	        {"RTF", "{\\rtf1\\ansi", 11, JX_EPARSE, "这是 RTF 文件"},
	        {"plain text of a seed", text, sizeof(text) - 1, JX_EPARSE,
	         "不是 zip 格式"},
	        {"a zip's first bytes only", pk, sizeof(pk), JX_EPARSE, "zip"},
	};
	struct jx_docx x, before;
	struct jx_diag d;
	size_t i;

	(void)state;
	memset(&before, 0xA5, sizeof(before));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		x = before;
		tu_want_err(jx_docx_read_mem(cases[i].data, cases[i].len,
		                             "x.docx", &arena, &x, &d),
		            cases[i].err, cases[i].what);
		want_msg(&d, cases[i].msg, cases[i].what);
		assert_string_equal(d.file, "x.docx");
		/* out is assigned only on success */
		assert_memory_equal(&x, &before, sizeof(x));
	}
}

static void
test_wrong_zip(void **state)
{
	static const char wb[] = "<workbook/>";
	const struct ent xlsx[] = {
	        {"[Content_Types].xml", content_types,
	         sizeof(content_types) - 1, 0},
	        {"xl/workbook.xml", wb, sizeof(wb) - 1, 0},
	};
	const struct ent pptx[] = {{"ppt/presentation.xml", wb, 3, 0}};
	const struct ent odt[] = {{"mimetype", "application/x", 13, 1},
	                          {"content.xml", wb, 3, 0}};
	const struct ent other[] = {{"readme.txt", "hi", 2, 0}};
	const struct {
		const char *what;
		const struct ent *e;
		size_t n;
		const char *msg;
	} cases[] = {
	        {"an xlsx", xlsx, 2, "这是 Excel 文件，不是 Word 文件"},
	        {"a pptx", pptx, 1, "PowerPoint"},
	        {"an odt", odt, 2, "OpenDocument"},
	        {"another zip", other, 1, "没有 word/document.xml"},
	};
	struct jx_docx x;
	struct jx_diag d;
	unsigned char *z;
	size_t zlen, i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		z = mkzip(cases[i].e, cases[i].n, &zlen);
		tu_want_err(jx_docx_read_mem(z, zlen, "a.docx", &arena, &x, &d),
		            JX_EPARSE, cases[i].what);
		want_msg(&d, cases[i].msg, cases[i].what);
		free(z);
	}
}

static void
test_bad_xml(void **state)
{
	const struct {
		const char *what;
		const char *xml;
		enum jx_err err;
		int line, column; /* 0: not checked */
		const char *msg;
	} cases[] = {
	        {"mismatched tag",
	         "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"" W_NS
	         "\">\n<w:body><w:p></w:r>",
	         JX_EPARSE, 3, 16, "起止标签不匹配"},
	        {"truncated",
	         "<?xml version=\"1.0\"?><w:document xmlns:w=\"" W_NS
	         "\"><w:body><w:p>",
	         JX_EPARSE, 0, 0, "XML 格式错误"},
	        {"empty part", "", JX_EPARSE, 0, 0, "没有任何元素"},
	        {"unbound prefix", "<w:document/>", JX_EPARSE, 1, 1,
	         "命名空间前缀"},
	        {"control character", "<a>\x01</a>", JX_EPARSE, 1, 4,
	         "非法字符"},
	        {"bad UTF-8", "<a>\xff\xfe</a>", JX_EPARSE, 0, 0,
	         "XML 格式错误"},
	        {"unknown encoding",
	         "<?xml version=\"1.0\" encoding=\"GB2312\"?>"
	         "<a/>",
	         JX_EPARSE, 0, 0, "编码"},
	        {"DOCTYPE with entities (billion laughs)",
	         "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaa\">"
	         "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	         "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><d>&c;</d>",
	         JX_EPARSE, 1, 34, "DOCTYPE"},
	        {"external entity",
	         "<?xml version=\"1.0\"?><!DOCTYPE d SYSTEM "
	         "\"file:///etc/passwd\"><d/>",
	         JX_EPARSE, 0, 0, "DOCTYPE"},
	};
	struct jx_docx x;
	struct jx_diag d;
	unsigned char *z;
	size_t zlen, i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		z = mkdocx_xml(cases[i].xml, strlen(cases[i].xml), 0, &zlen);
		tu_want_err(jx_docx_read_mem(z, zlen, "b.docx", &arena, &x, &d),
		            cases[i].err, cases[i].what);
		want_msg(&d, cases[i].msg, cases[i].what);
		assert_string_equal(d.field, "word/document.xml");
		if (cases[i].line > 0 &&
		    (d.line != cases[i].line || d.column != cases[i].column))
			fail_msg("%s: at %d:%d, want %d:%d", cases[i].what,
			         d.line, d.column, cases[i].line,
			         cases[i].column);
		free(z);
	}
}

/* Table property values that are not numbers, or too large. */
static void
test_bad_props(void **state)
{
	const struct {
		const char *what;
		const char *body;
		enum jx_err err;
		const char *msg;
	} cases[] = {
	        /* clang-format off */
		{"gridSpan not a number",
		 "<w:tbl><w:tr>" TCE("<w:gridSpan w:val=\"abc\"/>")
		 "</w:tr></w:tbl>",
		 JX_EPARSE, "w:gridSpan 的值“abc”不是整数"},
		{"negative gridBefore",
		 "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"-1\"/></w:trPr>"
		 "</w:tr></w:tbl>",
		 JX_EPARSE, "w:gridBefore"},
		{"gridSpan past the columns",
		 "<w:tbl><w:tr>" TCE("<w:gridSpan w:val=\"99999999999\"/>")
		 "</w:tr></w:tbl>",
		 JX_ETOOBIG, "列上限"},
		{"spans adding up past the columns",
		 "<w:tbl><w:tr>" TCE(SPAN(200)) TCE(SPAN(57)) "</w:tr></w:tbl>",
		 JX_ETOOBIG, "列上限"},
		{"gridBefore and a cell past the columns",
		 "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"256\"/></w:trPr>"
		 TC("x") "</w:tr></w:tbl>",
		 JX_ETOOBIG, "列上限"},
	        /* clang-format on */
	};

	struct jx_docx x;
	struct jx_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tu_want_err(read_body(cases[i].body, &x, &d), cases[i].err,
		            cases[i].what);
		want_msg(&d, cases[i].msg, cases[i].what);
		assert_true(d.line > 0);
	}
}

/* body repeated n times between head and tail, as a malloc'd string. */
static char *
repeat(const char *head, const char *unit, size_t n, const char *tail,
       size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p;

	assert_non_null(s);
	memcpy(s, head, hl);
	p = s + hl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	*len = hl + ul * n + tl;
	return s;
}

/* Read DOC_OPEN head unit*n tail DOC_CLOSE, stored (so that the ratio
 * check stays out of the way), expecting err and msg, within ms. */
static void
want_limit(const char *what, const char *head, const char *unit, size_t n,
           const char *tail, enum jx_err err, const char *msg)
{
	char *h, *xml;
	size_t hl, len, zlen;
	unsigned char *z;
	struct jx_docx x;
	struct jx_diag d;
	double t0 = tu_now_ms();

	h = malloc(strlen(DOC_OPEN) + strlen(head) + 1);
	assert_non_null(h);
	hl = strlen(DOC_OPEN);
	memcpy(h, DOC_OPEN, hl);
	memcpy(h + hl, head, strlen(head) + 1);
	xml = repeat(h, unit, n, tail, &len);
	z = mkdocx_xml(xml, len, 1, &zlen);
	tu_want_err(jx_docx_read_mem(z, zlen, "big.docx", &arena, &x, &d), err,
	            what);
	want_msg(&d, msg, what);
	if (tu_now_ms() - t0 > 20000)
		fail_msg("%s: took %.0f ms", what, tu_now_ms() - t0);
	free(z);
	free(xml);
	free(h);
	jx_arena_reset(&arena);
}

/* A row 256 columns wide. */
/* clang-format off */
#define WIDE_ROW \
	"<w:tr><w:trPr><w:gridBefore w:val=\"255\"/></w:trPr>" TC("x") "</w:tr>"
/* clang-format on */

static void
test_limits(void **state)
{
	(void)state;
	want_limit("XML depth", "", "<w:sdt>", JX_DOCX_MAX_DEPTH, "",
	           JX_ETOOBIG, "嵌套超过 256 层");
	want_limit("tables in tables", "<w:tbl><w:tr><w:tc>",
	           "<w:tbl><w:tr><w:tc>", JX_DOCX_MAX_NEST,
	           "</w:tc></w:tr></w:tbl>", JX_ETOOBIG, "表格嵌套超过");
	want_limit("tables", "", "<w:tbl/>", JX_DOCX_MAX_TABLES + 1, "",
	           JX_ETOOBIG, "表格超过 10000 个上限");
	want_limit("body paragraphs", "", "<w:p/>", JX_DOCX_MAX_PARAS + 1, "",
	           JX_ETOOBIG, "正文段落超过");
	want_limit("rows of one table", "<w:tbl>", "<w:tr/>",
	           JX_GRID_MAX_ROWS + 1, "</w:tbl>", JX_ETOOBIG,
	           "行数超过上限");
	want_limit("merged ranges of one table", "<w:tbl>",
	           "<w:tr>" TCE(SPAN(2)) "</w:tr>", JX_GRID_MAX_MERGES + 1,
	           "</w:tbl>", JX_ETOOBIG, "合并区域");
	want_limit("cells of all tables", "<w:tbl>", WIDE_ROW,
	           JX_DOCX_MAX_CELLS / 256 + 1, "</w:tbl>", JX_ETOOBIG,
	           "单元格超过");
	want_limit("one paragraph", "<w:p><w:r>",
	           "<w:t>项目支出绩效自评表项目支出绩效自评表</w:t>",
	           JX_DOCX_MAX_PARA / 54 + 1, "</w:r></w:p>", JX_ETOOBIG,
	           "段落或单元格的文字超过");
	want_limit("one cell", "<w:tbl><w:tr><w:tc>",
	           "<w:p><w:r><w:t>项目支出绩效自评表</w:t></w:r></w:p>",
	           JX_DOCX_MAX_PARA / 28 + 1, "</w:tc></w:tr></w:tbl>",
	           JX_ETOOBIG, "段落或单元格的文字超过");
}

/* Offsets of the uncompressed size of the first entry named name in the
 * local header and the central directory of zip z. */
static void
size_fields(unsigned char *z, size_t len, const char *name, size_t *local,
            size_t *central)
{
	size_t i, nl = strlen(name);

	*local = *central = 0;
	for (i = 0; i + 46 + nl <= len; i++) {
		if (*local == 0 && memcmp(z + i, "PK\3\4", 4) == 0 &&
		    memcmp(z + i + 30, name, nl) == 0)
			*local = i + 22;
		if (*central == 0 && memcmp(z + i, "PK\1\2", 4) == 0 &&
		    memcmp(z + i + 46, name, nl) == 0)
			*central = i + 24;
	}
	assert_true(*local > 0 && *central > 0);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
test_zip_bombs(void **state)
{
	const size_t n = 8u << 20; /* 8 MiB of document, mostly blanks */
	char *xml;
	size_t len, zlen, loc, cen;
	unsigned char *z, *lie;
	struct jx_docx x;
	struct jx_diag d;
	double t0;

	(void)state;
	xml = repeat(DOC_OPEN "<w:p><w:r><w:t>", " ", n,
	             "</w:t></w:r></w:p>" DOC_CLOSE, &len);
	z = mkdocx_xml(xml, len, 0, &zlen);
	assert_true(zlen < len / JX_DOCX_MAX_RATIO);
	t0 = tu_now_ms();

	/* an honest header: refused before inflating */
	tu_want_err(jx_docx_read_mem(z, zlen, "bomb.docx", &arena, &x, &d),
	            JX_ETOOBIG, "declared ratio");
	want_msg(&d, "疑似 zip 炸弹", "declared ratio");
	assert_string_equal(d.field, "word/document.xml");

	/* a header declaring a small size: refused while inflating */
	lie = malloc(zlen);
	assert_non_null(lie);
	memcpy(lie, z, zlen);
	size_fields(lie, zlen, "word/document.xml", &loc, &cen);
	put32(lie + loc, 1000);
	put32(lie + cen, 1000);
	tu_want_err(jx_docx_read_mem(lie, zlen, "lie.docx", &arena, &x, &d),
	            JX_ETOOBIG, "lying size");
	want_msg(&d, "超过声明的 1000 字节", "lying size");

	/* a header declaring more than the ceiling */
	put32(lie + cen, JX_DOCX_MAX_XML + 1);
	tu_want_err(jx_docx_read_mem(lie, zlen, "huge.docx", &arena, &x, &d),
	            JX_ETOOBIG, "declared size");
	want_msg(&d, "超过 64 MiB 上限", "declared size");
	if (tu_now_ms() - t0 > 10000)
		fail_msg("bombs took %.0f ms", tu_now_ms() - t0);
	free(lie);
	free(z);
	free(xml);
}

/* Corrupt data inside a valid directory, a declared size larger than the
 * data, and a file too large to read. */
static void
test_broken_zip(void **state)
{
	static const char body[] =
	        "<w:p><w:r><w:t>预算执行率</w:t></w:r></w:p>";
	char *xml;
	size_t len, zlen, loc, cen, i;
	unsigned char *z;
	struct jx_docx x;
	struct jx_diag d;
	enum jx_err err;

	(void)state;
	xml = wrap(body, &len);
	z = mkdocx_xml(xml, len, 1, &zlen);
	size_fields(z, zlen, "word/document.xml", &loc, &cen);
	/* stored data altered: the CRC no longer matches */
	for (i = loc + 8 + 18; i < zlen && memcmp(z + i, "<w:t>", 5) != 0; i++)
		;
	assert_true(i < zlen);
	z[i + 5] ^= 0x01;
	tu_want_err(jx_docx_read_mem(z, zlen, "crc.docx", &arena, &x, &d),
	            JX_EPARSE, "crc");
	want_msg(&d, "zip 数据损坏", "crc");
	free(z);

	/* a truncated file */
	z = mkdocx_xml(xml, len, 0, &zlen);
	err = jx_docx_read_mem(z, zlen / 2, "half.docx", &arena, &x, &d);
	tu_want_err(err, JX_EPARSE, "truncated zip");
	assert_true(d.message[0] != '\0');
	free(z);
	free(xml);
}

static void
test_encrypted(void **state)
{
	static const char body[] = "<w:p><w:r><w:t>密</w:t></w:r></w:p>";
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	char *xml;
	size_t len;
	unsigned char *z;
	struct jx_docx x;
	struct jx_diag d;
	zip_uint16_t em = ZIP_EM_AES_256;

	(void)state;
	if (!zip_encryption_method_supported(em, 1)) {
		em = ZIP_EM_TRAD_PKWARE;
		if (!zip_encryption_method_supported(em, 1))
			skip();
	}
	xml = wrap(body, &len);
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_source_keep(src);
	assert_true(zip_file_add(za, "word/document.xml",
	                         zip_source_buffer(za, xml, len, 0), 0) == 0);
	assert_int_equal(zip_file_set_encryption(za, 0, em, "secret"), 0);
	assert_int_equal(zip_close(za), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	z = malloc(st.size);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_read(src, z, st.size),
	                 (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	tu_want_err(jx_docx_read_mem(z, st.size, "enc.docx", &arena, &x, &d),
	            JX_EPARSE, "encrypted entry");
	want_msg(&d, "文件已加密", "encrypted entry");
	free(z);
	free(xml);
}

static void
test_zip_entries(void **state)
{
	struct ent *e;
	char(*names)[16];
	size_t n = JX_DOCX_MAX_ENTRIES + 1, i, zlen;
	unsigned char *z;
	struct jx_docx x;
	struct jx_diag d;

	(void)state;
	e = calloc(n, sizeof(*e));
	names = calloc(n, sizeof(*names));
	assert_true(e != NULL && names != NULL);
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
		e[i].name = names[i];
		e[i].data = "";
		e[i].store = 1;
	}
	z = mkzip(e, n, &zlen);
	tu_want_err(jx_docx_read_mem(z, zlen, "many.docx", &arena, &x, &d),
	            JX_ETOOBIG, "entries");
	want_msg(&d, "超过 10000 个上限", "entries");
	free(z);
	free(names);
	free(e);
}

/* Reading a path; missing files, directories; the arena's limit. */
static void
test_files(void **state)
{
	char path[512];
	struct jx_docx x;
	struct jx_diag d;
	struct jx_arena small;

	(void)state;
	tu_want_err(jx_docx_read(JX_SOURCE_DIR "/" FIXTURES "/none.docx",
	                         &arena, &x, &d),
	            JX_ENOTFOUND, "missing file");
	want_msg(&d, "文件不存在", "missing file");
	tu_want_err(jx_docx_read(JX_SOURCE_DIR "/" FIXTURES, &arena, &x, &d),
	            JX_EIO, "directory");
	snprintf(path, sizeof(path), "%s/" FIXTURES "/001-zibiao.expect.json",
	         JX_SOURCE_DIR);
	tu_want_err(jx_docx_read(path, &arena, &x, &d), JX_EPARSE, "json");

	/* out of memory: refused cleanly (the sanitizers watch for leaks) */
	snprintf(path, sizeof(path), "%s/" FIXTURES "/001-zibiao.docx",
	         JX_SOURCE_DIR);
	jx_arena_init(&small, 1024);
	small.limit = 8192;
	tu_want_err(jx_docx_read(path, &small, &x, &d), JX_ENOMEM,
	            "arena limit");
	want_msg(&d, "内存不足", "arena limit");
	jx_arena_cleanup(&small);

	/* d may be NULL */
	tu_want_err(jx_docx_read_mem("x", 1, NULL, &arena, &x, NULL), JX_EPARSE,
	            "no diag");
	tu_must(jx_docx_read(path, &arena, &x, NULL), NULL, "no diag, ok");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_fixtures, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_zibiao_cells, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_paragraphs, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_paragraph_marks, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_namespaces, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_nested, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_not_docx, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_wrong_zip, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bad_xml, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_props, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_zip_bombs, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_broken_zip, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_encrypted, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_zip_entries, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
