/*
 * test_xlsx.c - the xlsx reader.
 *
 * Files written by openpyxl (tests/data/xlsx, made by make.py there):
 * numbers, percentages, dates, shared, inline and rich-text strings,
 * phonetic runs, merged cells, several sheets (one hidden), empty rows and
 * cells, cells without r attributes, the 1904 date system, a sheet of
 * 20,000 rows and the four seed self-evaluation tables. Then workbooks
 * built here with libzip: the number formats cell by cell, and hostile
 * files (a zip bomb, a 1 GB declared size, a size that lies, deep XML,
 * DOCTYPE and entities, broken XML with its line, 250 sheets sharing one
 * part past the total budget, a truncated zip, a docx,
 * a text file, an OLE file, missing parts, bad references), each refused
 * with its message; running out of memory at every step.
 *
 * With JX_XLSX_BENCH_DIR set, test_bench reads every .xlsx file there and
 * prints files per second (make.py bench DIR 1000 writes such files).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "jx/limits.h"
#include "jx/xlsx.h"

#define DATA JX_SOURCE_DIR "/tests/data/xlsx/"

/* ---- helpers -------------------------------------------------------- */

/* The text at an A1-style reference of g, or NULL. */
static const char *
at(const struct jx_grid *g, const char *ref)
{
	uint32_t r = 0, c = 0;
	const char *s = ref;

	while (*s >= 'A' && *s <= 'Z')
		c = c * 26 + (uint32_t)(*s++ - 'A' + 1);
	while (*s >= '0' && *s <= '9')
		r = r * 10 + (uint32_t)(*s++ - '0');
	assert_true(c > 0 && r > 0 && *s == '\0');
	return jx_grid_get(g, r - 1, c - 1);
}

static void
want(const struct jx_grid *g, const char *ref, const char *text)
{
	const char *got = at(g, ref);

	if (text == NULL) {
		if (got != NULL)
			fail_msg("%s!%s: got \"%s\", want empty", g->name, ref,
			         got);
		return;
	}
	if (got == NULL || strcmp(got, text) != 0)
		fail_msg("%s!%s: got %s%s%s, want \"%s\"", g->name, ref,
		         got != NULL ? "\"" : "", got != NULL ? got : "empty",
		         got != NULL ? "\"" : "", text);
}

static const struct jx_grid *
sheet(const struct jx_grid *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	}
	fail_msg("no sheet %s", name);
	return s; /* not reached: fail_msg does not return */
}

static void
read_ok(const char *file, struct jx_arena *a, struct jx_grid **s, size_t *n)
{
	struct jx_diag d;
	enum jx_err err = jx_xlsx_read(file, a, s, n, &d);

	if (err != JX_OK)
		fail_msg("%s: %s: %s", file, jx_err_name(err), d.message);
}

/* One entry of a zip built by zbuild. */
struct zent {
	const char *name;
	const void *data;
	size_t len;   /* 0: strlen(data) */
	bool store;   /* no compression */
	bool encrypt; /* AES-256 with a password */
};

/* A zip of e[0..n) made by libzip, in memory (malloc'd), *len bytes. */
static unsigned char *
zbuild(const struct zent *e, size_t n, size_t *len)
{
	char path[256];
	const char *tmp = getenv("TMPDIR");
	unsigned char *buf;
	zip_source_t *src;
	zip_int64_t idx;
	zip_t *z;
	FILE *f;
	long sz;
	int fd, zerr = 0;
	size_t i;

	snprintf(path, sizeof(path), "%s/jx-xlsx-XXXXXX",
	         tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	z = zip_open(path, ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	for (i = 0; i < n; i++) {
		src = zip_source_buffer(
		        z, e[i].data,
		        e[i].len != 0 ? e[i].len : strlen(e[i].data), 0);
		assert_non_null(src);
		idx = zip_file_add(z, e[i].name, src, ZIP_FL_OVERWRITE);
		assert_true(idx >= 0);
		if (e[i].encrypt)
			assert_int_equal(zip_file_set_encryption(
			                         z, (zip_uint64_t)idx,
			                         ZIP_EM_AES_256, "secret"),
			                 0);
		if (e[i].store)
			assert_int_equal(
			        zip_set_file_compression(z, (zip_uint64_t)idx,
			                                 ZIP_CM_STORE, 0),
			        0);
	}
	assert_int_equal(zip_close(z), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)sz);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	unlink(path);
	*len = (size_t)sz;
	return buf;
}

static const char CT[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
        "content-types\"/>";
static const char ROOT_RELS[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "</Relationships>";
static const char WORKBOOK[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
        "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships\"><sheets><sheet name=\"S\" "
        "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WB_RELS[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/sharedStrings\" "
        "Target=\"/xl/sharedStrings.xml\"/>"
        "</Relationships>";

/* A one-sheet workbook: the sheet's XML, and styles and shared strings
 * (each may be NULL: left out). */
static unsigned char *
book(const char *sheet_xml, size_t sheet_len, bool store, const char *styles,
     const char *sst, size_t *len)
{
	struct zent e[7] = {
	        {"[Content_Types].xml", CT, 0, false, false},
	        {"_rels/.rels", ROOT_RELS, 0, false, false},
	        {"xl/workbook.xml", WORKBOOK, 0, false, false},
	        {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false, false},
	        {"xl/worksheets/sheet1.xml", sheet_xml, sheet_len, store,
	         false},
	};
	size_t n = 5;

	if (styles != NULL)
		e[n++] =
		        (struct zent){"xl/styles.xml", styles, 0, false, false};
	if (sst != NULL)
		e[n++] = (struct zent){"xl/sharedStrings.xml", sst, 0, false,
		                       false};
	return zbuild(e, n, len);
}

/* Read buf as "t.xlsx"; expect err, and (when not NULL) the message to
 * hold `says`. */
static void
expect_refused(const unsigned char *buf, size_t len, enum jx_err err,
               const char *says, struct jx_diag *d)
{
	struct jx_arena a;
	struct jx_grid *s = NULL;
	size_t n = 0;
	enum jx_err got;

	jx_arena_init(&a, 0);
	got = jx_xlsx_read_mem(buf, len, "t.xlsx", &a, &s, &n, d);
	if (got != err)
		fail_msg("got %s (%s), want %s", jx_err_name(got), d->message,
		         jx_err_name(err));
	assert_null(s);
	assert_int_equal(n, 0);
	if (says != NULL && strstr(d->message, says) == NULL)
		fail_msg("message \"%s\" does not say \"%s\"", d->message,
		         says);
	assert_string_equal(d->file, "t.xlsx");
	assert_non_null(strstr(d->message, "t.xlsx"));
	jx_arena_cleanup(&a);
}

/* A sheet of sheetData rows around body. */
static char *
sheet_of(const char *body)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf),
	         "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
	         "spreadsheetml/2006/main\"><sheetData>%s</sheetData>"
	         "</worksheet>",
	         body);
	return buf;
}

/* ---- files written by openpyxl -------------------------------------- */

static void
test_basic(void **state)
{
	struct jx_arena a;
	struct jx_grid *s;
	const struct jx_grid *g;
	size_t n;

	(void)state;
	jx_arena_init(&a, 0);
	read_ok(DATA "basic.xlsx", &a, &s, &n);
	/* every sheet, in order, the hidden and the empty one too */
	assert_int_equal(n, 4);
	assert_string_equal(s[0].name, "自评表");
	assert_string_equal(s[1].name, "隐藏的表");
	assert_string_equal(s[2].name, "Sheet3");
	assert_string_equal(s[3].name, "空表");
	assert_int_equal(s[3].nrows, 0);
	want(&s[1], "A1", "hidden");
	want(&s[2], "B2", "第三张表");
	g = sheet(s, n, "自评表");
	/* shared strings and merged ranges */
	want(g, "A1", "项目支出绩效自评表");
	want(g, "F1", "项目支出绩效自评表");
	want(g, "A2", "项目名称");
	want(g, "C2", "预算、绩效、支付电子一体化信息化建设项目");
	assert_int_equal(g->nmerges, 3);
	/* numbers: shortest exact decimals */
	want(g, "A3", "131.4");
	want(g, "B3", "0.015");
	want(g, "C3", "10");
	want(g, "D3", "-2.5");
	want(g, "E3", "0.3");
	want(g, "F3", "100000000000000000000");
	/* percent formats: the whole percentage, exactly */
	want(g, "A4", "98.06%");
	want(g, "B4", "95%");
	want(g, "C4", "100%");
	want(g, "D4", "15%");
	want(g, "E4", "95%"); /* text */
	want(g, "F4", "0.95");
	/* dates: custom, built-in 14, Chinese custom, a date-time; a time;
	 * a number format with text around it */
	want(g, "A5", "2021-03-05");
	want(g, "B5", "2021-12-31");
	want(g, "C5", "2022-01-01");
	want(g, "D5", "2021-06-30");
	want(g, "E5", "14:30:15");
	want(g, "F5", "45000.5");
	/* an empty row, booleans, gaps */
	want(g, "A6", NULL);
	want(g, "A7", "TRUE");
	want(g, "B7", "FALSE");
	want(g, "C7", NULL);
	want(g, "D7", "中间空一格");
	want(g, "F9", "孤单的格");
	want(g, "E9", NULL);
	/* a vertical merge */
	want(g, "A10", "产出指标");
	want(g, "A12", "产出指标");
	want(g, "A13", "  前后有空格  ");
	want(g, "A14", "第一行\n第二行");
	/* a formula without a stored value shows nothing */
	want(g, "A15", NULL);
	assert_int_equal(g->nrows, 14);
	assert_int_equal(g->ncols, 6);
	jx_arena_cleanup(&a);
}

static void
test_inline(void **state)
{
	struct jx_arena a;
	struct jx_grid *s;
	size_t n;

	(void)state;
	jx_arena_init(&a, 0);
	read_ok(DATA "inline.xlsx", &a, &s, &n);
	assert_int_equal(n, 1);
	want(s, "A1", "内联文字");
	want(s, "B1", "绩效 目标"); /* runs joined, phonetic run left out */
	want(s, "C1", "ab");        /* a formula's stored string */
	want(s, "D1", "#DIV/0!");
	/* no r attributes: row 2 follows row 1, cells follow each other */
	want(s, "A2", "第二行A");
	want(s, "B2", "2.5");
	want(s, "C2", "TRUE");
	want(s, "A5", "第五行A");
	want(s, "D5", "0.015");
	want(s, "E5", "7"); /* after an explicit D5 */
	want(s, "A6", "行\r尾_x0041_");
	want(s, "A7", "共享富文本");
	want(s, "B7", "漢字");
	want(s, "C7", "a\tb");
	/* Excel's 15 significant digits */
	want(s, "D7", "0.3");
	want(s, "E7", "12345678901234600");
	want(s, "F7", "0");
	jx_arena_cleanup(&a);
}

static void
test_date1904(void **state)
{
	struct jx_arena a;
	struct jx_grid *s;
	size_t n;

	(void)state;
	jx_arena_init(&a, 0);
	read_ok(DATA "date1904.xlsx", &a, &s, &n);
	want(s, "A1", "1904-01-01");
	want(s, "A2", "2024-01-01");
	jx_arena_cleanup(&a);
}

static void
test_big(void **state)
{
	struct jx_arena a;
	struct jx_grid *s;
	char ref[16], txt[32];
	size_t n;
	uint32_t r;

	(void)state;
	jx_arena_init(&a, 0);
	read_ok(DATA "big.xlsx", &a, &s, &n);
	assert_int_equal(n, 1);
	assert_string_equal(s->name, "大表");
	assert_int_equal(s->nrows, 20000);
	assert_int_equal(s->ncols, 3);
	assert_int_equal(s->ncells, 60000);
	for (r = 1; r <= 20000; r += 997) {
		snprintf(ref, sizeof(ref), "A%u", r);
		snprintf(txt, sizeof(txt), "%u", r);
		want(s, ref, txt);
		snprintf(ref, sizeof(ref), "B%u", r);
		snprintf(txt, sizeof(txt), "行%u", r);
		want(s, ref, txt);
	}
	want(s, "C20000", "200");
	want(s, "C1", "0.01");
	want(s, "C12345", "123.45");
	jx_arena_cleanup(&a);
}

/* The seed self-evaluations as openpyxl writes them. */
static void
test_seeds(void **state)
{
	struct jx_arena a;
	struct jx_grid *s;
	size_t n;

	(void)state;
	jx_arena_init(&a, 0);
	read_ok(DATA "seed-000.xlsx", &a, &s, &n);
	assert_int_equal(n, 1);
	assert_string_equal(s->name, "自评表");
	want(s, "A1", "项目支出绩效自评表");
	want(s, "H1", "项目支出绩效自评表");
	want(s, "B3", "预算、绩效、支付电子一体化信息化建设项目");
	want(s, "C5", "年初预算数");
	want(s, "D6", "131.4");
	want(s, "G6", "100%");
	want(s, "A8", "项目资金（万元）"); /* merged down the funds block */
	jx_arena_cleanup(&a);

	jx_arena_init(&a, 0);
	read_ok(DATA "seed-001.xlsx", &a, &s, &n);
	want(s, "B4", "巴彦淖尔市财政局");
	want(s, "F4", "巴彦淖尔市财政综合保障");
	/* 20 / 354, to 15 significant digits, as a percentage */
	want(s, "G6", "5.64971751412429%");
	jx_arena_cleanup(&a);

	jx_arena_init(&a, 0);
	read_ok(DATA "seed-003.xlsx", &a, &s, &n);
	read_ok(DATA "seed-004.xlsx", &a, &s, &n);
	jx_arena_cleanup(&a);
}

/* ---- number formats, cell by cell ----------------------------------- */

struct fmt_case {
	const char *v;    /* the stored value */
	unsigned fmt;     /* numFmtId */
	const char *code; /* its formatCode (custom ids), or NULL */
	const char *want;
};

static const struct fmt_case fmt_cases[] = {
        /* general: shortest decimals, exponents written out */
        {"131.40", 0, NULL, "131.4"},
        {"1.5E-2", 0, NULL, "0.015"},
        {"1E-7", 0, NULL, "0.0000001"},
        {"-1.25e+3", 0, NULL, "-1250"},
        {"1.23E+40", 0, NULL, "1.23E+40"},
        {"4.5E-35", 0, NULL, "4.5E-35"},
        {"000.000", 0, NULL, "0"},
        {"0.29999999999999999", 0, NULL, "0.3"},
        {"99999999999999999", 0, NULL, "100000000000000000"},
        {"0.1234567890123456", 0, NULL, "0.123456789012346"},
        {" 42 ", 0, NULL, "42"},
        {"abc", 0, NULL, "abc"}, /* not a number: as written */
        {"1e", 0, NULL, "1e"},
        {"1e1234567", 0, NULL, "1e1234567"},
        /* fixed and currency formats show the number itself */
        {"1234.5", 4, NULL, "1234.5"},
        {"3", 164, "#,##0.00_);(#,##0.00)", "3"},
        {"3", 164, "0.00E+00", "3"},
        {"3", 164, "\"%\"0", "3"},
        {"3", 164, "@", "3"},
        {"3", 164, "[Red]General", "3"},
        /* percentages, exact */
        {"0.9806", 10, NULL, "98.06%"},
        {"0.12345", 9, NULL, "12.345%"},
        {"-0.5", 9, NULL, "-50%"},
        {"0", 9, NULL, "0%"},
        {"12", 9, NULL, "1200%"},
        {"0.000001", 10, NULL, "0.0001%"},
        {"0.5", 164, "[Red]0.00%", "50%"},
        {"0.5", 164, "0%;[Red]-0%", "50%"},
        {"0.5", 164, "0.0\\%", "0.5"}, /* an escaped % does not scale */
        /* dates: the 1900 system with Excel's 29 February */
        {"1", 14, NULL, "1900-01-01"},
        {"59", 14, NULL, "1900-02-28"},
        {"60", 14, NULL, "1900-02-29"},
        {"61", 14, NULL, "1900-03-01"},
        {"44197", 14, NULL, "2021-01-01"},
        {"44197.75", 22, NULL, "2021-01-01"},
        {"44197.999999999", 14, NULL, "2021-01-02"}, /* rounds past 0h */
        {"2958465", 14, NULL, "9999-12-31"},
        {"2958466", 14, NULL, "2958466"},
        {"0", 14, NULL, "0"},
        {"-1", 14, NULL, "-1"},
        {"44197", 31, NULL, "2021-01-01"}, /* 年月日 in zh-CN Excel */
        {"44197", 58, NULL, "2021-01-01"},
        {"44197", 164, "yyyy\"年\"m\"月\"d\"日\"", "2021-01-01"},
        {"44197", 164, "[$-F800]dddd, mmmm dd, yyyy", "2021-01-01"},
        {"44197", 164, "mmm-yy", "2021-01-01"},
        {"44197", 164, "e/m/d", "2021-01-01"},
        /* times */
        {"0.5", 20, NULL, "12:00"},
        {"0.75", 21, NULL, "18:00:00"},
        {"0.604340277777778", 164, "h:mm:ss AM/PM", "14:30:15"},
        {"1.25", 164, "[h]:mm", "30:00"},
        {"0.5", 164, "[mm]:ss", "12:00:00"},
        {"0.5", 32, NULL, "12:00"},
        {"0.0000115740740740741", 46, NULL, "00:00:01"},
};

/* Append printf output at *p (before end). */
static void app(char **p, char *end, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
app(char **p, char *end, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*p, (size_t)(end - *p), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && n < end - *p);
	*p += n;
}

static void
test_formats(void **state)
{
	size_t i, n = sizeof(fmt_cases) / sizeof(fmt_cases[0]), len, cap, ns;
	char *sheet_xml, *styles, *p, *end, ref[16];
	const char *c;
	struct jx_arena a;
	struct jx_grid *s;
	struct jx_diag d;
	unsigned char *zip;
	enum jx_err err;

	(void)state;
	cap = 256 * n + 1024;
	sheet_xml = malloc(cap);
	styles = malloc(cap);
	assert_non_null(sheet_xml);
	assert_non_null(styles);
	/* one cell format per case; custom codes get ids 200 + i */
	p = styles;
	end = styles + cap;
	app(&p, end,
	    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\"><numFmts>");
	for (i = 0; i < n; i++) {
		if (fmt_cases[i].code == NULL)
			continue;
		app(&p, end, "<numFmt numFmtId=\"%zu\" formatCode=\"", 200 + i);
		for (c = fmt_cases[i].code; *c != '\0'; c++)
			app(&p, end, *c == '"' ? "&quot;" : "%c", *c);
		app(&p, end, "\"/>");
	}
	/* the format of a cell style and of a dxf must not count */
	app(&p, end,
	    "</numFmts><cellStyleXfs><xf numFmtId=\"10\"/>"
	    "</cellStyleXfs><cellXfs>");
	for (i = 0; i < n; i++)
		app(&p, end, "<xf numFmtId=\"%zu\"/>",
		    fmt_cases[i].code != NULL ? 200 + i
		                              : (size_t)fmt_cases[i].fmt);
	app(&p, end,
	    "</cellXfs><dxfs><dxf><numFmt numFmtId=\"0\" "
	    "formatCode=\"0%%\"/></dxf></dxfs></styleSheet>");
	p = sheet_xml;
	end = sheet_xml + cap;
	app(&p, end,
	    "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\"><sheetData>");
	for (i = 0; i < n; i++)
		app(&p, end,
		    "<row r=\"%zu\"><c r=\"A%zu\" s=\"%zu\"><v>%s</v>"
		    "</c></row>",
		    i + 1, i + 1, i, fmt_cases[i].v);
	/* a style index past the table reads as General */
	app(&p, end, "<row><c s=\"99999\"><v>0.5</v></c></row>");
	app(&p, end, "</sheetData></worksheet>");
	zip = book(sheet_xml, 0, false, styles, NULL, &len);
	jx_arena_init(&a, 0);
	err = jx_xlsx_read_mem(zip, len, "formats.xlsx", &a, &s, &ns, &d);
	if (err != JX_OK)
		fail_msg("%s: %s", jx_err_name(err), d.message);
	for (i = 0; i < n; i++) {
		snprintf(ref, sizeof(ref), "A%zu", i + 1);
		want(s, ref, fmt_cases[i].want);
	}
	snprintf(ref, sizeof(ref), "A%zu", n + 1);
	want(s, ref, "0.5");
	jx_arena_cleanup(&a);
	free(zip);
	free(sheet_xml);
	free(styles);
}

/* ---- workbooks put together by hand -------------------------------- */

/* Prefixed (Strict-style) names, shared strings through an absolute
 * target, merges that overlap or reach past the grid, a cell far right
 * with nothing in it. */
static void
test_handmade(void **state)
{
	static const char sheet_xml[] =
	        "<x:worksheet xmlns:x=\"http://purl.oclc.org/ooxml/"
	        "spreadsheetml/main\"><x:sheetData>"
	        "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>1</x:v></x:c>"
	        "<x:c r=\"B1\" t=\"s\"><x:v>0</x:v></x:c>"
	        "<x:c r=\"XFD1\" s=\"0\"/><x:c r=\"C1\" t=\"s\"/></x:row>"
	        "<x:row r=\"3\"><x:c r=\"A3\" t=\"d\"><x:v>2021-03-05T10:00:00"
	        "</x:v></x:c><x:c r=\"B3\" t=\"b\"><x:v>yes</x:v></x:c>"
	        "</x:row></x:sheetData><x:mergeCells>"
	        "<x:mergeCell ref=\"A1:B2\"/><x:mergeCell ref=\"B2:C3\"/>"
	        "<x:mergeCell ref=\"C5:A4\"/><x:mergeCell ref=\"D1\"/>"
	        "<x:mergeCell ref=\"A99999:XFD1048576\"/>"
	        "</x:mergeCells></x:worksheet>";
	static const char sst[] =
	        "<sst xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\">"
	        "<si><t>零</t></si><si><t/></si></sst>";
	struct jx_arena a;
	struct jx_grid *s;
	struct jx_diag d;
	unsigned char *zip;
	size_t len, n;

	(void)state;
	zip = book(sheet_xml, 0, false, NULL, sst, &len);
	jx_arena_init(&a, 0);
	assert_int_equal(jx_xlsx_read_mem(zip, len, "h.xlsx", &a, &s, &n, &d),
	                 JX_OK);
	want(s, "A1", NULL); /* an empty shared string */
	want(s, "B1", NULL); /* under the merge A1:B2 */
	want(s, "A2", NULL);
	assert_null(jx_grid_get(s, 0, 1));
	assert_string_equal(s->rows[0][1], "零");
	want(s, "A3", "2021-03-05");
	want(s, "B3", "yes");
	/* B2:C3 overlaps A1:B2 and is dropped; C5:A4 is A4:C5 */
	assert_null(jx_grid_merged(s, 2, 2));
	assert_non_null(jx_grid_merged(s, 4, 2));
	assert_int_equal(jx_grid_merged(s, 4, 2)->r0, 3);
	/* the merge reaching past the grid is clipped to it */
	assert_int_equal(jx_grid_merged(s, 99998, 0)->r1, JX_GRID_MAX_ROWS - 1);
	assert_int_equal(jx_grid_merged(s, 99998, 0)->c1, JX_GRID_MAX_COLS - 1);
	assert_int_equal(s->nmerges, 4);
	jx_arena_cleanup(&a);
	free(zip);
}

/* Workbooks whose sheet XML is wrong, each with what the message says. */
struct bad_case {
	const char *body; /* inside sheetData, or a whole part with '<' '?' */
	enum jx_err err;
	const char *says;
};

static const struct bad_case bad_cases[] = {
        /* a shared string that is not there */
        {"<row><c t=\"s\"><v>5</v></c></row>", JX_EPARSE,
         "共享字符串编号“5”超出范围"},
        /* references Excel does not have */
        {"<row><c r=\"A0\"><v>1</v></c></row>", JX_EPARSE,
         "单元格位置“A0”无效"},
        {"<row><c r=\"AAAA1\"><v>1</v></c></row>", JX_EPARSE, "无效"},
        {"<row><c r=\"A1048577\"><v>1</v></c></row>", JX_EPARSE, "无效"},
        {"<row r=\"0\"/>", JX_EPARSE, "行号“0”无效"},
        {"<row r=\"x\"/>", JX_EPARSE, "行号“x”无效"},
        /* text past the grid's columns and rows */
        {"<row><c r=\"IW1\"><v>1</v></c></row>", JX_ETOOBIG,
         "单元格 IW1 超出上限（最多 256 列）"},
        {"<row r=\"100001\"><c><v>1</v></c></row>", JX_ETOOBIG,
         "超过上限 100000 行"},
        {"</sheetData><mergeCells><mergeCell ref=\"A1:\"/></mergeCells>"
         "<sheetData>",
         JX_EPARSE, "合并区域“A1:”无效"},
        /* broken XML: the message names the part, line and column */
        {"<row>\n<c><v>1</v>\n</row>", JX_EPARSE,
         "工作表“S”（xl/worksheets/sheet1.xml）第 3 行第 3 列：XML "
         "格式错误：开始标签与结束标签不匹配"},
        {"<row><c><v>1 &amp 2</v></c></row>", JX_EPARSE, "XML 格式错误"},
        {"<row><c><v>&bogus;</v></c></row>", JX_EPARSE, "引用了未定义的实体"},
};

static void
test_bad_sheets(void **state)
{
	struct jx_diag d;
	unsigned char *zip;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		zip = book(sheet_of(bad_cases[i].body), 0, false, NULL, NULL,
		           &len);
		expect_refused(zip, len, bad_cases[i].err, bad_cases[i].says,
		               &d);
		assert_string_equal(d.field, "xl/worksheets/sheet1.xml");
		assert_true(d.line > 0);
		free(zip);
	}
	/* the line and column of the mismatched tag */
	zip = book(sheet_of(bad_cases[9].body), 0, false, NULL, NULL, &len);
	expect_refused(zip, len, JX_EPARSE, NULL, &d);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.column, 3);
	free(zip);
}

/* DOCTYPE and entities, deep nesting, text too long. */
static void
test_hostile_xml(void **state)
{
	static const char laughs[] =
	        "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [\n"
	        "<!ENTITY a \"aaaaaaaaaa\">\n"
	        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
	        "<worksheet><sheetData><row><c t=\"str\"><v>&c;</v></c></row>"
	        "</sheetData></worksheet>";
	static const char external[] =
	        "<!DOCTYPE worksheet SYSTEM \"file:///etc/passwd\">"
	        "<worksheet/>";
	char *deep, *p, *end, *longtext;
	struct jx_diag d;
	unsigned char *zip;
	size_t len, i;

	(void)state;
	zip = book(laughs, 0, false, NULL, NULL, &len);
	expect_refused(zip, len, JX_EPARSE, "DOCTYPE", &d);
	assert_non_null(
	        strstr(d.message, "（xl/worksheets/sheet1.xml）第 2 行"));
	free(zip);
	zip = book(external, 0, false, NULL, NULL, &len);
	expect_refused(zip, len, JX_EPARSE, "DOCTYPE", &d);
	free(zip);
	/* the same in the shared strings */
	zip = book(sheet_of(""), 0, false, NULL, laughs, &len);
	expect_refused(zip, len, JX_EPARSE, "xl/sharedStrings.xml", &d);
	free(zip);
	/* nesting past the limit */
	deep = malloc(16 * 1024);
	assert_non_null(deep);
	p = deep;
	end = deep + 16 * 1024;
	app(&p, end, "<worksheet>");
	for (i = 0; i < 100; i++)
		app(&p, end, "<a>");
	for (i = 0; i < 100; i++)
		app(&p, end, "</a>");
	app(&p, end, "</worksheet>");
	zip = book(deep, 0, false, NULL, NULL, &len);
	expect_refused(zip, len, JX_ETOOBIG, "XML 嵌套超过 64 层", &d);
	free(zip);
	free(deep);
	/* one text past JX_XLSX_MAX_STRING */
	longtext = malloc(JX_XLSX_MAX_STRING + 256);
	assert_non_null(longtext);
	p = longtext;
	end = longtext + JX_XLSX_MAX_STRING + 256;
	app(&p, end, "<worksheet><sheetData><row><c t=\"str\"><v>");
	memset(p, 'x', JX_XLSX_MAX_STRING + 1);
	p += JX_XLSX_MAX_STRING + 1;
	app(&p, end, "</v></c></row></sheetData></worksheet>");
	zip = book(longtext, 0, false, NULL, NULL, &len);
	expect_refused(zip, len, JX_ETOOBIG, "一段文字超过上限", &d);
	free(zip);
	free(longtext);
}

/* Patch the uncompressed size of every entry called name (local header
 * and central directory) to size. */
static void
patch_size(unsigned char *zip, size_t len, const char *name, uint32_t size)
{
	size_t i, nl = strlen(name), off;
	int hits = 0;

	for (i = 0; i + 46 < len; i++) {
		if (memcmp(zip + i, "PK\003\004", 4) == 0 &&
		    i + 30 + nl <= len && memcmp(zip + i + 30, name, nl) == 0)
			off = i + 22;
		else if (memcmp(zip + i, "PK\001\002", 4) == 0 &&
		         i + 46 + nl <= len &&
		         memcmp(zip + i + 46, name, nl) == 0)
			off = i + 24;
		else
			continue;
		zip[off] = (unsigned char)size;
		zip[off + 1] = (unsigned char)(size >> 8);
		zip[off + 2] = (unsigned char)(size >> 16);
		zip[off + 3] = (unsigned char)(size >> 24);
		hits++;
	}
	assert_int_equal(hits, 2);
}

/* Zip bombs and sizes that lie. */
static void
test_bombs(void **state)
{
	size_t blen = 8u << 20, len;
	char *bomb, *p, *end;
	struct jx_diag d;
	unsigned char *zip;
	clock_t t0;

	(void)state;
	/* 8 MB of spaces inside a sheet: deflates about 1000:1 */
	bomb = malloc(blen + 1);
	assert_non_null(bomb);
	p = bomb;
	end = bomb + blen + 1;
	app(&p, end, "<worksheet><sheetData>");
	memset(p, ' ', blen - 64);
	p += blen - 64;
	app(&p, end, "</sheetData></worksheet>");
	zip = book(bomb, (size_t)(p - bomb), false, NULL, NULL, &len);
	assert_true(len < blen / 200);
	t0 = clock();
	expect_refused(zip, len, JX_ETOOBIG, "疑似 zip 炸弹", &d);
	/* refused after about a megabyte, not after eight */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	free(zip);
	free(bomb);
	/* a sheet that declares 1 GB */
	zip = book(sheet_of("<row><c><v>1</v></c></row>"), 0, true, NULL, NULL,
	           &len);
	patch_size(zip, len, "xl/worksheets/sheet1.xml", 1u << 30);
	expect_refused(zip, len, JX_ETOOBIG, "声明解压后有 1073741824 字节",
	               &d);
	assert_string_equal(d.field, "xl/worksheets/sheet1.xml");
	free(zip);
	/* a compressed sheet that inflates past what it declares */
	zip = book(sheet_of("<row><c><v>1</v></c><c><v>2</v></c></row>"), 0,
	           false, NULL, NULL, &len);
	patch_size(zip, len, "xl/worksheets/sheet1.xml", 20);
	expect_refused(zip, len, JX_ETOOBIG, "超过声明的 20 字节", &d);
	free(zip);
}

/* Many sheets sharing one part: each is read, and the inflated bytes of
 * all of them together meet JX_XLSX_MAX_INFLATED. */
static void
test_total_budget(void **state)
{
	size_t plen = (JX_XLSX_MAX_INFLATED / 200) + 4096, len, i,
	       nsheets = 250;
	char *part, *wb, *p, *end;
	struct zent e[4];
	struct jx_diag d;
	unsigned char *zip;

	(void)state;
	part = malloc(plen + 1);
	wb = malloc(64 * 1024);
	assert_non_null(part);
	assert_non_null(wb);
	p = part;
	end = part + plen + 1;
	app(&p, end, "<worksheet><sheetData>");
	memset(p, '\n', plen - 64);
	p += plen - 64;
	app(&p, end, "</sheetData></worksheet>");
	p = wb;
	end = wb + 64 * 1024;
	app(&p, end, "<workbook xmlns:r=\"r\"><sheets>");
	for (i = 0; i < nsheets; i++)
		app(&p, end, "<sheet name=\"S%zu\" r:id=\"rId1\"/>", i);
	app(&p, end, "</sheets></workbook>");
	e[0] = (struct zent){"xl/workbook.xml", wb, 0, false, false};
	e[1] = (struct zent){"xl/_rels/workbook.xml.rels", WB_RELS, 0, false,
	                     false};
	e[2] = (struct zent){"xl/worksheets/sheet1.xml", part, 0, true, false};
	zip = zbuild(e, 3, &len);
	expect_refused(zip, len, JX_ETOOBIG, "整个文件解压后超过上限", &d);
	free(zip);
	free(part);
	free(wb);
}

/* Files that are no workbook at all. */
static void
test_not_xlsx(void **state)
{
	static const char text[] = "项目名称,金额\n信息化建设,131.4\n";
	static const unsigned char ole[512] = {0xd0, 0xcf, 0x11, 0xe0,
	                                       0xa1, 0xb1, 0x1a, 0xe1};
	static const char html[] = "\xef\xbb\xbf  <html><body><table>";
	static const unsigned char bin[] = {0x00, 0x01, 0x02, 0xff, 0xfe, 0x03};
	const struct zent docx[] = {
	        {"[Content_Types].xml", CT, 0, false, false},
	        {"word/document.xml", "<w:document/>", 0, false, false},
	};
	const struct zent other[] = {
	        {"readme.txt", "hello", 0, false, false},
	};
	const struct zent ods[] = {
	        {"mimetype", "application/vnd.oasis.opendocument.spreadsheet",
	         0, true, false},
	        {"content.xml", "<office:document-content/>", 0, false, false},
	};
	struct jx_arena a;
	struct jx_grid *s;
	struct jx_diag d;
	unsigned char *zip, *cut;
	size_t len, n;

	(void)state;
	expect_refused((const unsigned char *)text, sizeof(text) - 1, JX_EPARSE,
	               "这是文本文件", &d);
	expect_refused(ole, sizeof(ole), JX_EPARSE,
	               "文件已加密或为旧版 .xls 格式", &d);
	expect_refused((const unsigned char *)html, sizeof(html) - 1, JX_EPARSE,
	               "网页或 XML", &d);
	expect_refused((const unsigned char *)"%PDF-1.4", 8, JX_EPARSE,
	               "这是 PDF 文件", &d);
	expect_refused(bin, sizeof(bin), JX_EPARSE, "不是 zip 格式", &d);
	expect_refused((const unsigned char *)"", 0, JX_EPARSE, "文件是空的",
	               &d);
	zip = zbuild(docx, 2, &len);
	expect_refused(zip, len, JX_EPARSE, "这是 Word 文件，不是 Excel 文件",
	               &d);
	free(zip);
	zip = zbuild(other, 1, &len);
	expect_refused(zip, len, JX_EPARSE, "没有 xl/workbook.xml", &d);
	free(zip);
	zip = zbuild(ods, 2, &len);
	expect_refused(zip, len, JX_EPARSE, "OpenDocument", &d);
	free(zip);
	/* a zip whose workbook is encrypted (zip's own AES) */
	{
		const struct zent enc[] = {
		        {"xl/workbook.xml", WORKBOOK, 0, false, true},
		};

		zip = zbuild(enc, 1, &len);
		expect_refused(zip, len, JX_EPARSE, "文件已加密", &d);
		assert_string_equal(d.field, "xl/workbook.xml");
		free(zip);
	}
	/* a real workbook cut short: the zip directory is gone */
	zip = book(sheet_of("<row><c><v>1</v></c></row>"), 0, false, NULL, NULL,
	           &len);
	cut = malloc(len / 2);
	assert_non_null(cut);
	memcpy(cut, zip, len / 2);
	expect_refused(cut, len / 2, JX_EPARSE, "zip 结构损坏", &d);
	/* the whole of it is fine */
	jx_arena_init(&a, 0);
	assert_int_equal(jx_xlsx_read_mem(zip, len, "t.xlsx", &a, &s, &n, &d),
	                 JX_OK);
	want(s, "A1", "1");
	jx_arena_cleanup(&a);
	free(cut);
	free(zip);
	/* no such file; a directory; bad arguments */
	jx_arena_init(&a, 0);
	assert_int_equal(jx_xlsx_read(DATA "nope.xlsx", &a, &s, &n, &d),
	                 JX_ENOTFOUND);
	assert_non_null(strstr(d.message, "文件不存在"));
	assert_int_equal(jx_xlsx_read(DATA, &a, &s, &n, &d), JX_EIO);
	assert_int_equal(jx_xlsx_read_mem(NULL, 1, "x", &a, &s, &n, &d),
	                 JX_EINVAL);
	jx_arena_cleanup(&a);
}

/* Parts missing or pointing nowhere. */
static void
test_missing_parts(void **state)
{
	static const char wb_two[] =
	        "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" "
	        "r:id=\"rId1\"/>"
	        "<sheet name=\"T\" r:id=\"rId9\"/></sheets></workbook>";
	static const char wb_none[] = "<workbook><sheets/></workbook>";
	static const char wb_wrong[] = "<document/>";
	static const char rels_bad[] =
	        "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	        "Target=\"../../../etc/passwd\"/></Relationships>";
	const char *sh = sheet_of("");
	const struct zent no_rels[] = {
	        {"xl/workbook.xml", WORKBOOK, 0, false, false},
	        {"xl/worksheets/sheet1.xml", sh, 0, false, false},
	};
	const struct zent two[] = {
	        {"xl/workbook.xml", wb_two, 0, false, false},
	        {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false, false},
	        {"xl/worksheets/sheet1.xml", sh, 0, false, false},
	};
	const struct zent none[] = {
	        {"xl/workbook.xml", wb_none, 0, false, false},
	};
	const struct zent wrong[] = {
	        {"xl/workbook.xml", wb_wrong, 0, false, false},
	};
	const struct zent escape[] = {
	        {"xl/workbook.xml", WORKBOOK, 0, false, false},
	        {"xl/_rels/workbook.xml.rels", rels_bad, 0, false, false},
	};
	const struct zent no_sheet[] = {
	        {"xl/workbook.xml", WORKBOOK, 0, false, false},
	        {"xl/_rels/workbook.xml.rels", WB_RELS, 0, false, false},
	};
	struct jx_diag d;
	unsigned char *zip;
	size_t len;

	(void)state;
	zip = zbuild(no_rels, 2, &len);
	expect_refused(zip, len, JX_EPARSE, "缺少工作簿的关系文件", &d);
	assert_string_equal(d.field, "xl/_rels/workbook.xml.rels");
	free(zip);
	zip = zbuild(two, 3, &len);
	expect_refused(zip, len, JX_EPARSE, "找不到工作表“T”的关系 rId9", &d);
	free(zip);
	zip = zbuild(none, 1, &len);
	expect_refused(zip, len, JX_EPARSE, "工作簿中没有工作表", &d);
	free(zip);
	zip = zbuild(wrong, 1, &len);
	expect_refused(zip, len, JX_EPARSE, "根元素应为 <workbook>", &d);
	free(zip);
	zip = zbuild(escape, 2, &len);
	expect_refused(zip, len, JX_EPARSE, "找不到工作表“S”的内容", &d);
	free(zip);
	zip = zbuild(no_sheet, 2, &len);
	expect_refused(zip, len, JX_EPARSE,
	               "找不到工作表“S”的内容 worksheets/sheet1.xml", &d);
	free(zip);
}

/* Every allocation failure is JX_ENOMEM with a message, and a large
 * enough arena reads the file. */
static void
test_enomem(void **state)
{
	struct jx_arena a;
	struct jx_grid *s;
	struct jx_diag d;
	unsigned char *buf;
	size_t len, n, limit;
	FILE *f;
	long sz;
	int failed = 0;
	enum jx_err err = JX_ENOMEM;

	(void)state;
	f = fopen(DATA "basic.xlsx", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)sz);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	len = (size_t)sz;
	for (limit = 256; err != JX_OK; limit += 256) {
		jx_arena_init(&a, 512);
		a.limit = limit;
		s = NULL;
		err = jx_xlsx_read_mem(buf, len, "basic.xlsx", &a, &s, &n, &d);
		if (err != JX_OK) {
			if (err != JX_ENOMEM)
				fail_msg("limit %zu: %s: %s", limit,
				         jx_err_name(err), d.message);
			assert_non_null(strstr(d.message, "内存不足"));
			assert_null(s);
			failed++;
		}
		jx_arena_cleanup(&a);
		assert_true(limit < (1u << 22));
	}
	assert_true(failed > 10);
	free(buf);
}

/* With JX_XLSX_BENCH_DIR: read every .xlsx there, report files/s. */
static void
test_bench(void **state)
{
	const char *dir = getenv("JX_XLSX_BENCH_DIR");
	char path[4096];
	struct jx_arena a;
	struct jx_grid *s;
	struct dirent *de;
	struct timespec t0, t1;
	struct rusage ru;
	size_t n, files = 0, cells = 0, i;
	double secs;
	DIR *dp;

	(void)state;
	if (dir == NULL || dir[0] == '\0') {
		fprintf(stderr, "test_xlsx: JX_XLSX_BENCH_DIR is not set: "
		                "no measurement\n");
		return;
	}
	dp = opendir(dir);
	assert_non_null(dp);
	jx_arena_init(&a, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((de = readdir(dp)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 5, ".xlsx") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		read_ok(path, &a, &s, &n);
		for (i = 0; i < n; i++)
			cells += s[i].ncells;
		files++;
		jx_arena_reset(&a);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	closedir(dp);
	jx_arena_cleanup(&a);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	getrusage(RUSAGE_SELF, &ru);
	printf("xlsx: %zu files, %zu cells in %.3f s: %.0f files/s, peak "
	       "RSS %ld KiB\n",
	       files, cells, secs, secs > 0 ? (double)files / secs : 0.0,
	       ru.ru_maxrss);
	assert_true(files > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_basic),
	        cmocka_unit_test(test_inline),
	        cmocka_unit_test(test_date1904),
	        cmocka_unit_test(test_big),
	        cmocka_unit_test(test_seeds),
	        cmocka_unit_test(test_formats),
	        cmocka_unit_test(test_handmade),
	        cmocka_unit_test(test_bad_sheets),
	        cmocka_unit_test(test_hostile_xml),
	        cmocka_unit_test(test_bombs),
	        cmocka_unit_test(test_total_budget),
	        cmocka_unit_test(test_not_xlsx),
	        cmocka_unit_test(test_missing_parts),
	        cmocka_unit_test(test_enomem),
	        cmocka_unit_test(test_bench),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
