/*
 * xlsx.c - an Excel workbook (Office Open XML) read into grids of text.
 *
 * The file is a zip (libzip, read from memory) of XML parts. The reader
 * finds the workbook through _rels/.rels (else xl/workbook.xml), reads the
 * sheet list and the date system from it, maps each sheet to its part
 * through the workbook's relationships, then reads the shared strings and
 * the cell formats (styles) and, one by one, the worksheets. Every part is
 * inflated in chunks into expat and handled element by element, so memory
 * holds the output and one chunk, never a whole part.
 *
 * What a cell shows is decided here, from its type and its number format:
 * numbers are rewritten from the stored digits by decimal arithmetic on
 * the text (rounded to Excel's 15 significant digits; never through a
 * double), percent formats move the decimal point two places, date formats
 * give "YYYY-MM-DD" from the serial number (1900 or 1904 system, Excel's
 * phantom 1900-02-29 included), time formats "HH:MM[:SS]". Strings have
 * their _xHHHH_ escapes decoded; phonetic runs (<rPh>) are skipped.
 *
 * Every size is checked as bytes arrive: entry count, declared and actual
 * inflated size per part, inflated bytes in all, the compression ratio,
 * XML depth, sheets, shared strings, the length of one text, cells and
 * bytes kept (limits.h). DOCTYPE and entity declarations stop the parse.
 * Errors name the file and the part, and the line and column in it.
 *
 * It does not evaluate formulas (the cached value is used), read charts,
 * comments, defined names or .xls/.xlsb files, or interpret the text.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <expat.h>
#include <zip.h>

#include "jx/limits.h"
#include "jx/text.h"
#include "jx/xlsx.h"

#define CHUNK          (64u << 10) /* bytes inflated and parsed at a time */
#define NUM_DIGITS     15          /* significant digits Excel keeps */
#define NUM_PLAIN      30  /* |exponent| up to which numbers are written out */
#define NUM_TEXT       96  /* bytes of a number's text, sign and % included */
#define PART_MAX       512 /* bytes of a part name */
#define NAME_QUOTE     120 /* bytes of the file name quoted in messages */
#define EXCEL_ROWS     1048576u
#define EXCEL_COLS     16384u
#define MAX_SERIAL     2958465  /* 9999-12-31 in the 1900 system */
#define DAY_1899_12_30 (-25569) /* days from 1970-01-01 */
#define DAY_1904_01_01 (-24107)

/* The elements the reader acts on, by local name (prefix stripped). */
enum el {
	E_OTHER,
	E_C,
	E_CELLXFS,
	E_IS,
	E_MERGECELL,
	E_NUMFMT,
	E_NUMFMTS,
	E_R,
	E_RELATIONSHIP,
	E_ROW,
	E_RPH,
	E_SHEET,
	E_SHEETDATA,
	E_SHEETS,
	E_SI,
	E_T,
	E_V,
	E_WORKBOOKPR,
	E_XF
};

/* How a number format shows a number. */
enum kind {
	K_NUMBER, /* general, fixed, currency, text: the number itself */
	K_PERCENT,
	K_DATE,   /* YYYY-MM-DD */
	K_TIME,   /* HH:MM */
	K_TIME_S, /* HH:MM:SS */
	K_HOURS,  /* [h]:mm, elapsed: hours past 24 */
	K_HOURS_S /* [h]:mm:ss */
};

/* The t attribute of a cell. */
enum ctype { T_N, T_S, T_STR, T_INLINE, T_B, T_E, T_D };

struct sheet_ref {
	char *name;
	char *rid;
	char *part; /* resolved through the relationships; NULL: none */
	bool worksheet;
};

struct rel {
	char *id, *type, *target;
};

struct sstr {
	const char *s;
	uint32_t len;
};

struct numfmt {
	uint32_t id;
	enum kind kind;
};

/* A number as decimal digits: d[0].d[1]...d[n-1] x 10^p, n <= 15. */
struct num {
	bool neg;
	int n; /* 0: the value is zero */
	int p;
	char d[NUM_DIGITS];
};

struct xlsx;
typedef void (*start_fn)(struct xlsx *x, enum el e, const XML_Char **atts);
typedef void (*end_fn)(struct xlsx *x, enum el e);

struct xlsx {
	zip_t *za;
	const char *name; /* the file, for messages */
	struct jx_arena *a;
	struct jx_diag *d;
	uint64_t inflated; /* bytes, all parts so far */
	size_t cells, kept;

	/* the part being parsed */
	XML_Parser parser; /* owned; reset for each part */
	XML_Parser p;      /* parser while a part is read, else NULL */
	bool in_xml;       /* inside XML_ParseBuffer: messages give the place */
	const char *part;
	enum jx_err err; /* set once; stops the parse */
	unsigned depth;
	unsigned char stack[JX_XLSX_MAX_DEPTH];
	bool root_seen;
	const char *root_want; /* local name the root must have, or NULL */
	start_fn start;
	end_fn end;
	char *text; /* character data being collected (malloc'd) */
	size_t tlen, tcap;
	bool collect;
	unsigned rph; /* depth inside phonetic runs */

	/* workbook and relationships */
	struct sheet_ref *sheets;
	size_t nsheets, capsheets;
	bool date1904;
	struct rel *rels;
	size_t nrels, caprels;

	/* shared strings */
	struct sstr *sst;
	size_t nsst, capsst;
	bool in_si;

	/* styles */
	struct numfmt *fmts;
	size_t nfmts, capfmts;
	uint32_t *xf_fmt; /* numFmtId of each cellXfs entry */
	size_t nxf, capxf;
	unsigned char *xf_kind;

	/* the worksheet being read */
	struct jx_grid *g;
	const char *sheet; /* its name, for messages; NULL between sheets */
	int64_t row, col;  /* 0-based position of the last row and cell */
	enum ctype ctype;
	uint32_t cstyle;
	bool in_cell;
};

static enum jx_err fail(struct xlsx *x, enum jx_err err, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static enum jx_err sniff(struct xlsx *x, const unsigned char *b, size_t len);
static enum jx_err not_workbook(struct xlsx *x);
static bool has_part(struct xlsx *x, const char *part);
static enum el el_of(const XML_Char *name);
static const XML_Char *local(const XML_Char *name);
static const XML_Char *attr(const XML_Char **atts, const char *name);
static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts);
static void XMLCALL on_end(void *ud, const XML_Char *name);
static void XMLCALL on_text(void *ud, const XML_Char *s, int len);
static void XMLCALL on_doctype(void *ud, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset);
static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
                              const XML_Char *value, int value_len,
                              const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation);
static const char *xml_error_zh(enum XML_Error code);
static enum jx_err part_read(struct xlsx *x, const char *part, const char *root,
                             start_fn s, end_fn e);
static void text_reset(struct xlsx *x);
static bool text_append(struct xlsx *x, const char *s, size_t len);
static int hexval(char c);
static size_t unescape_x(char *s, size_t len);
static void *grow(struct xlsx *x, void *arr, size_t *cap, size_t n,
                  size_t size);
static char *dup_n(struct xlsx *x, const char *s, size_t n);
static char *dup(struct xlsx *x, const char *s);
static char *resolve(struct xlsx *x, const char *base, const char *target);
static char *rels_of(struct xlsx *x, const char *part);
static const struct rel *rel_find(const struct xlsx *x, const char *id,
                                  const char *type_tail);
static bool ends_with(const char *s, const char *tail);
static void rels_start(struct xlsx *x, enum el e, const XML_Char **atts);
static void workbook_start(struct xlsx *x, enum el e, const XML_Char **atts);
static void sst_start(struct xlsx *x, enum el e, const XML_Char **atts);
static void sst_end(struct xlsx *x, enum el e);
static void styles_start(struct xlsx *x, enum el e, const XML_Char **atts);
static void sheet_start(struct xlsx *x, enum el e, const XML_Char **atts);
static void sheet_end(struct xlsx *x, enum el e);
static void none_end(struct xlsx *x, enum el e);
static enum kind fmt_builtin(uint32_t id);
static enum kind fmt_classify(const char *code);
static int numfmt_cmp(const void *a, const void *b);
static enum jx_err styles_finish(struct xlsx *x);
static bool parse_u32(const char *s, uint32_t max, uint32_t *out);
static bool parse_ref(const char *s, const char **end, uint32_t *row,
                      uint32_t *col);
static size_t col_name(uint32_t col, char *buf);
static void merge_add(struct xlsx *x, const char *ref);
static void cell_done(struct xlsx *x);
static bool num_parse(const char *s, size_t len, struct num *v);
static size_t num_render(const struct num *v, int shift, char *out);
static size_t num_time(const struct num *v, enum kind k, bool date1904,
                       char *out);
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d);
static enum jx_err workbook_read(struct xlsx *x, struct jx_grid **out,
                                 size_t *nout);

/* ---- diagnostics ---------------------------------------------------- */

/*
 * Record the first error: d gets the file, the part (as field), the line
 * and column when the XML is at fault, and a message that names all of
 * them. Stops the running parse. Returns err (the first one recorded).
 */
static enum jx_err
fail(struct xlsx *x, enum jx_err err, const char *fmt, ...)
{
	char msg[384], where[PART_MAX + NAME_QUOTE + 200], nm[NAME_QUOTE],
	        sheet[PART_MAX + 130] = "";
	const char *base;
	size_t n;
	va_list ap;
	unsigned long line = 0, col = 0;

	if (x->err != JX_OK)
		return x->err;
	x->err = err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	base = strrchr(x->name, '/');
	base = base != NULL ? base + 1 : x->name;
	n = strlen(base);
	if (n >= sizeof(nm))
		n = jx_text_utf8_cut(base, sizeof(nm) - 1);
	memcpy(nm, base, n);
	nm[n] = '\0';
	if (x->p != NULL && x->in_xml) {
		line = XML_GetCurrentLineNumber(x->p);
		col = XML_GetCurrentColumnNumber(x->p) + 1;
	}
	if (x->part != NULL && x->sheet != NULL)
		snprintf(sheet, sizeof(sheet), "工作表“%.100s”（%s）", x->sheet,
		         x->part);
	else if (x->part != NULL)
		snprintf(sheet, sizeof(sheet), "%s", x->part);
	if (x->part != NULL && line > 0)
		snprintf(where, sizeof(where), "“%s”的%s%s第 %lu 行第 %lu 列",
		         nm, sheet, x->sheet != NULL ? "" : " ", line, col);
	else if (x->part != NULL)
		snprintf(where, sizeof(where), "“%s”的%s", nm, sheet);
	else
		snprintf(where, sizeof(where), "“%s”", nm);
	if (x->d != NULL) {
		jx_diag_set(x->d, err, x->part != NULL ? x->part : "", "%s：%s",
		            where, msg);
		x->d->line = line > INT32_MAX ? 0 : (int)line;
		x->d->column = col > INT32_MAX || line == 0 ? 0 : (int)col;
	}
	if (x->p != NULL)
		XML_StopParser(x->p, XML_FALSE);
	return err;
}

/* Refuse what is not a zip, naming what it seems to be. */
static enum jx_err
sniff(struct xlsx *x, const unsigned char *b, size_t len)
{
	static const unsigned char ole[8] = {0xd0, 0xcf, 0x11, 0xe0,
	                                     0xa1, 0xb1, 0x1a, 0xe1};
	size_t i = 0;

	if (len == 0)
		return fail(x, JX_EPARSE, "文件是空的，不是 Excel 文件");
	if (len >= 4 && b[0] == 'P' && b[1] == 'K' &&
	    ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6)))
		return JX_OK;
	if (len >= 8 && memcmp(b, ole, 8) == 0)
		return fail(x, JX_EPARSE,
		            "文件已加密或为旧版 .xls 格式（OLE 复合文档），"
		            "请在 Excel 或 WPS 中取消密码并另存为 .xlsx");
	if (len >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return fail(x, JX_EPARSE, "这是 PDF 文件，不是 Excel 文件");
	if (len >= 5 && memcmp(b, "{\\rtf", 5) == 0)
		return fail(x, JX_EPARSE, "这是 RTF 文档，不是 Excel 文件");
	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		i = 3;
	while (i < len &&
	       (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i < len && b[i] == '<')
		return fail(x, JX_EPARSE,
		            "这是网页或 XML 文本（可能是改了扩展名的 .html 或 "
		            ".xml），不是 Excel 文件");
	if (memchr(b, 0, len < 4096 ? len : 4096) == NULL &&
	    jx_text_utf8_valid(
	            (const char *)b,
	            jx_text_utf8_cut((const char *)b, len < 4096 ? len : 4096)))
		return fail(x, JX_EPARSE,
		            "这是文本文件（可能是改了扩展名的 .csv 或 .txt），"
		            "不是 Excel 文件");
	return fail(x, JX_EPARSE, "不是 Excel 文件：不是 zip 格式");
}

static bool
has_part(struct xlsx *x, const char *part)
{
	return zip_name_locate(x->za, part, ZIP_FL_NOCASE) >= 0;
}

/* A zip without a workbook: say what it is instead. */
static enum jx_err
not_workbook(struct xlsx *x)
{
	x->part = NULL;
	if (has_part(x, "word/document.xml"))
		return fail(x, JX_EPARSE, "这是 Word 文件，不是 Excel 文件");
	if (has_part(x, "ppt/presentation.xml"))
		return fail(x, JX_EPARSE,
		            "这是 PowerPoint 文件，不是 Excel 文件");
	if (has_part(x, "xl/workbook.bin"))
		return fail(x, JX_EPARSE,
		            "这是 Excel 二进制工作簿（.xlsb），请在 Excel "
		            "中另存为 .xlsx");
	if (has_part(x, "content.xml") && has_part(x, "mimetype"))
		return fail(
		        x, JX_EPARSE,
		        "这是 OpenDocument 文件（如 .ods），请另存为 .xlsx");
	return fail(x, JX_EPARSE,
	            "zip 压缩包中没有 xl/workbook.xml，不是 Excel 文件");
}

/* ---- XML plumbing --------------------------------------------------- */

static const XML_Char *
local(const XML_Char *name)
{
	const XML_Char *c = strrchr(name, ':');

	return c != NULL ? c + 1 : name;
}

static enum el
el_of(const XML_Char *name)
{
	static const struct {
		const char *s;
		enum el e;
	} tab[] = {
	        {"c", E_C},
	        {"cellXfs", E_CELLXFS},
	        {"is", E_IS},
	        {"mergeCell", E_MERGECELL},
	        {"numFmt", E_NUMFMT},
	        {"numFmts", E_NUMFMTS},
	        {"r", E_R},
	        {"Relationship", E_RELATIONSHIP},
	        {"row", E_ROW},
	        {"rPh", E_RPH},
	        {"sheet", E_SHEET},
	        {"sheetData", E_SHEETDATA},
	        {"sheets", E_SHEETS},
	        {"si", E_SI},
	        {"t", E_T},
	        {"v", E_V},
	        {"workbookPr", E_WORKBOOKPR},
	        {"xf", E_XF},
	};
	const char *n = local(name);
	size_t i;

	/* the cell elements first: they are almost all a sheet holds */
	if (n[0] != '\0' && n[1] == '\0') {
		switch (n[0]) {
		case 'c':
			return E_C;
		case 'v':
			return E_V;
		case 't':
			return E_T;
		case 'r':
			return E_R;
		default:
			return E_OTHER;
		}
	}
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(n, tab[i].s) == 0)
			return tab[i].e;
	}
	return E_OTHER;
}

/* The value of the attribute with local name `name`, or NULL. */
static const XML_Char *
attr(const XML_Char **atts, const char *name)
{
	size_t i;

	for (i = 0; atts[i] != NULL; i += 2) {
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	enum el e;

	if (x->err != JX_OK)
		return;
	if (x->depth >= JX_XLSX_MAX_DEPTH) {
		fail(x, JX_ETOOBIG, "XML 嵌套超过 %d 层", JX_XLSX_MAX_DEPTH);
		return;
	}
	if (!x->root_seen) {
		x->root_seen = true;
		if (x->root_want != NULL &&
		    strcmp(local(name), x->root_want) != 0) {
			fail(x, JX_EPARSE, "根元素应为 <%s>，却是 <%.60s>",
			     x->root_want, local(name));
			return;
		}
	}
	e = el_of(name);
	x->stack[x->depth++] = (unsigned char)e;
	x->start(x, e, atts);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;

	(void)name;
	if (x->err != JX_OK || x->depth == 0)
		return;
	x->depth--;
	x->end(x, (enum el)x->stack[x->depth]);
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;

	if (x->collect && x->err == JX_OK && len > 0)
		text_append(x, s, (size_t)len);
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
           const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	fail(ud, JX_EPARSE,
	     "含有 DOCTYPE 声明，Excel 文件中不应有，为防实体扩展攻击拒绝读取");
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
          int value_len, const XML_Char *base, const XML_Char *sysid,
          const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	fail(ud, JX_EPARSE, "含有实体声明（ENTITY），为防实体扩展攻击拒绝读取");
}

static const char *
xml_error_zh(enum XML_Error code)
{
	switch (code) {
	case XML_ERROR_NO_MEMORY:
		return "内存不足";
	case XML_ERROR_SYNTAX:
		return "语法错误";
	case XML_ERROR_NO_ELEMENTS:
		return "没有任何元素（内容为空或不完整）";
	case XML_ERROR_INVALID_TOKEN:
		return "无效的字符或标记";
	case XML_ERROR_UNCLOSED_TOKEN:
		return "标记没有结束（内容不完整）";
	case XML_ERROR_PARTIAL_CHAR:
		return "字符不完整";
	case XML_ERROR_TAG_MISMATCH:
		return "开始标签与结束标签不匹配";
	case XML_ERROR_DUPLICATE_ATTRIBUTE:
		return "属性重复";
	case XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
		return "根元素之后还有内容";
	case XML_ERROR_UNDEFINED_ENTITY:
		return "引用了未定义的实体";
	case XML_ERROR_RECURSIVE_ENTITY_REF:
		return "实体递归引用";
	case XML_ERROR_UNKNOWN_ENCODING:
		return "不支持的字符编码";
	case XML_ERROR_INCORRECT_ENCODING:
		return "声明的编码与内容不符";
	case XML_ERROR_UNCLOSED_CDATA_SECTION:
		return "CDATA 段没有结束";
	case XML_ERROR_XML_DECL:
	case XML_ERROR_TEXT_DECL:
		return "XML 声明有误";
	case XML_ERROR_MISPLACED_XML_PI:
		return "XML 声明不在开头";
	case XML_ERROR_UNBOUND_PREFIX:
		return "使用了未声明的命名空间前缀";
	case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
		return "实体扩展过度";
	default:
		return "格式错误";
	}
}

/*
 * Inflate `part` and parse it with the handlers s and e; root (may be
 * NULL) is the local name its root element must have. A missing part is
 * JX_ENOTFOUND with nothing recorded, for the caller to judge.
 */
static enum jx_err
part_read(struct xlsx *x, const char *part, const char *root, start_fn s,
          end_fn e)
{
	zip_stat_t st;
	zip_file_t *zf = NULL;
	zip_int64_t idx, n;
	uint64_t got = 0, comp;
	enum jx_err err = JX_OK;
	void *buf;
	bool last = false;

	idx = zip_name_locate(x->za, part, ZIP_FL_NOCASE);
	if (idx < 0)
		return JX_ENOTFOUND;
	x->part = part;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0) {
		err = fail(x, JX_EPARSE, "zip 目录项损坏，无法读取");
		goto done;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 &&
	    st.encryption_method != ZIP_EM_NONE) {
		err = fail(x, JX_EPARSE,
		           "文件已加密，请取消密码后另存为 .xlsx");
		goto done;
	}
	if ((st.valid & ZIP_STAT_SIZE) != 0 && st.size > JX_XLSX_MAX_PART) {
		err = fail(x, JX_ETOOBIG,
		           "声明解压后有 %llu 字节，超过上限 %u 字节",
		           (unsigned long long)st.size, JX_XLSX_MAX_PART);
		goto done;
	}
	comp = (st.valid & ZIP_STAT_COMP_SIZE) != 0 && st.comp_size > 0
	               ? st.comp_size
	               : 1;
	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (zf == NULL) {
		switch (zip_error_code_zip(zip_get_error(x->za))) {
		case ZIP_ER_MEMORY:
			err = fail(x, JX_ENOMEM, "内存不足");
			break;
		case ZIP_ER_COMPNOTSUPP:
			err = fail(x, JX_EPARSE, "无法解压：不支持的压缩方式");
			break;
		default:
			err = fail(x, JX_EPARSE, "无法解压：zip 数据损坏");
			break;
		}
		goto done;
	}
	/* one parser for every part: reset costs less than a new one */
	if (x->parser == NULL)
		x->parser = XML_ParserCreate(NULL);
	else if (XML_ParserReset(x->parser, NULL) != XML_TRUE) {
		XML_ParserFree(x->parser);
		x->parser = XML_ParserCreate(NULL);
	}
	if (x->parser == NULL) {
		err = fail(x, JX_ENOMEM, "内存不足");
		goto done;
	}
	x->p = x->parser;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	x->depth = 0;
	x->root_seen = false;
	x->root_want = root;
	x->start = s;
	x->end = e;
	x->collect = false;
	x->rph = 0;
	while (!last) {
		buf = XML_GetBuffer(x->p, CHUNK);
		if (buf == NULL) {
			err = fail(x, JX_ENOMEM, "内存不足");
			goto done;
		}
		n = zip_fread(zf, buf, CHUNK);
		if (n < 0) {
			err = fail(x, JX_EPARSE, "zip 数据损坏，解压失败（%s）",
			           zip_error_code_zip(zip_file_get_error(zf)) ==
			                           ZIP_ER_CRC
			                   ? "校验和不符"
			                   : "数据错误");
			goto done;
		}
		last = n == 0;
		got += (uint64_t)n;
		x->inflated += (uint64_t)n;
		if ((st.valid & ZIP_STAT_SIZE) != 0 && got > st.size) {
			err = fail(x, JX_ETOOBIG,
			           "解压后的大小超过声明的 %llu 字节，疑似 zip "
			           "炸弹",
			           (unsigned long long)st.size);
			goto done;
		}
		if (got > JX_XLSX_MAX_PART) {
			err = fail(x, JX_ETOOBIG, "解压后超过上限 %u 字节",
			           JX_XLSX_MAX_PART);
			goto done;
		}
		if (x->inflated > JX_XLSX_MAX_INFLATED) {
			err = fail(x, JX_ETOOBIG,
			           "整个文件解压后超过上限 %u 字节",
			           JX_XLSX_MAX_INFLATED);
			goto done;
		}
		if (got > JX_XLSX_RATIO_FLOOR &&
		    got / comp > JX_XLSX_MAX_RATIO) {
			err = fail(x, JX_ETOOBIG,
			           "压缩比超过 %d:1，疑似 zip 炸弹",
			           JX_XLSX_MAX_RATIO);
			goto done;
		}
		x->in_xml = true;
		if (XML_ParseBuffer(x->p, (int)n, last) != XML_STATUS_OK &&
		    x->err == JX_OK) {
			if (XML_GetErrorCode(x->p) == XML_ERROR_NO_MEMORY)
				fail(x, JX_ENOMEM, "内存不足");
			else
				fail(x, JX_EPARSE, "XML 格式错误：%s",
				     xml_error_zh(XML_GetErrorCode(x->p)));
		}
		x->in_xml = false;
		if (x->err != JX_OK) {
			err = x->err;
			goto done;
		}
	}
done:
	x->p = NULL;
	if (zf != NULL)
		zip_fclose(zf);
	if (err == JX_OK)
		x->part = NULL;
	return err;
}

static void
text_reset(struct xlsx *x)
{
	x->tlen = 0;
}

static bool
text_append(struct xlsx *x, const char *s, size_t len)
{
	size_t cap;
	char *p;

	if (len > JX_XLSX_MAX_STRING - x->tlen) {
		fail(x, JX_ETOOBIG, "一段文字超过上限 %u 字节",
		     JX_XLSX_MAX_STRING);
		return false;
	}
	if (x->tlen + len + 1 > x->tcap) {
		cap = x->tcap < 256 ? 256 : x->tcap;
		while (cap < x->tlen + len + 1)
			cap *= 2;
		p = realloc(x->text, cap);
		if (p == NULL) {
			fail(x, JX_ENOMEM, "内存不足");
			return false;
		}
		x->text = p;
		x->tcap = cap;
	}
	memcpy(x->text + x->tlen, s, len);
	x->tlen += len;
	x->text[x->tlen] = '\0';
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the _xHHHH_ escapes of OOXML strings in place ("_x000D_" is a
 * carriage return, "_x005F_" an underscore); returns the new length. A
 * NUL or a surrogate stays as written. */
static size_t
unescape_x(char *s, size_t len)
{
	size_t i = 0, o = 0, k;
	int32_t cp;
	int h;

	if (memchr(s, '_', len) == NULL)
		return len;
	while (i < len) {
		if (s[i] == '_' && len - i >= 7 && s[i + 1] == 'x' &&
		    s[i + 6] == '_') {
			cp = 0;
			for (k = 2; k < 6; k++) {
				h = hexval(s[i + k]);
				if (h < 0)
					break;
				cp = cp * 16 + h;
			}
			if (k == 6 && cp != 0 && (cp < 0xd800 || cp > 0xdfff)) {
				o += jx_text_utf8_put(cp, s + o);
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	s[o] = '\0';
	return o;
}

/* ---- memory --------------------------------------------------------- */

/* Room for one more element in arr (n used of *cap); doubles in the
 * arena. NULL on failure, with the error recorded. */
static void *
grow(struct xlsx *x, void *arr, size_t *cap, size_t n, size_t size)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return arr;
	nc = *cap < 8 ? 8 : *cap * 2;
	p = jx_arena_grow(x->a, arr, n, nc, size);
	if (p == NULL) {
		fail(x, JX_ENOMEM, "内存不足");
		return NULL;
	}
	*cap = nc;
	return p;
}

static char *
dup_n(struct xlsx *x, const char *s, size_t n)
{
	char *p = jx_arena_strndup(x->a, s, n);

	if (p == NULL)
		fail(x, JX_ENOMEM, "内存不足");
	return p;
}

static char *
dup(struct xlsx *x, const char *s)
{
	return dup_n(x, s, strlen(s));
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && jx_text_ascii_ieq(s + n - t, tail);
}

/*
 * The part a relationship target names: absolute ("/xl/x.xml") from the
 * package root, else relative to base (a directory ending in '/' or "");
 * "." and ".." segments resolved. NULL when it leaves the package or is
 * too long (nothing recorded), or out of memory (recorded in x->err).
 */
static char *
resolve(struct xlsx *x, const char *base, const char *target)
{
	char buf[PART_MAX];
	size_t n = 0, seg, blen;
	const char *s;

	if (target[0] == '/') {
		target++;
		base = "";
	}
	blen = strlen(base);
	if (blen + strlen(target) >= sizeof(buf))
		return NULL;
	memcpy(buf, base, blen);
	n = blen;
	for (s = target; *s != '\0'; s += seg + (s[seg] == '/')) {
		seg = strcspn(s, "/");
		if (seg == 0 || (seg == 1 && s[0] == '.'))
			continue;
		if (seg == 2 && s[0] == '.' && s[1] == '.') {
			if (n == 0)
				return NULL;
			n--; /* the '/' ending the last directory */
			while (n > 0 && buf[n - 1] != '/')
				n--;
			continue;
		}
		memcpy(buf + n, s, seg);
		n += seg;
		if (s[seg] == '/')
			buf[n++] = '/';
	}
	if (n == 0 || buf[n - 1] == '/')
		return NULL;
	return dup_n(x, buf, n);
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". */
static char *
rels_of(struct xlsx *x, const char *part)
{
	char buf[PART_MAX + 16];
	const char *slash = strrchr(part, '/');
	size_t dl = slash != NULL ? (size_t)(slash - part) + 1 : 0;
	int n;

	n = snprintf(buf, sizeof(buf), "%.*s_rels/%s.rels", (int)dl, part,
	             part + dl);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	return dup(x, buf);
}

/* The relationship with Id id (if id is not NULL) or the first whose
 * Type ends with type_tail (if not NULL). */
static const struct rel *
rel_find(const struct xlsx *x, const char *id, const char *type_tail)
{
	size_t i;

	for (i = 0; i < x->nrels; i++) {
		if (id != NULL && strcmp(x->rels[i].id, id) != 0)
			continue;
		if (type_tail != NULL && !ends_with(x->rels[i].type, type_tail))
			continue;
		return &x->rels[i];
	}
	return NULL;
}

/* ---- the small parts ------------------------------------------------ */

static void
none_end(struct xlsx *x, enum el e)
{
	(void)x;
	(void)e;
}

static void
rels_start(struct xlsx *x, enum el e, const XML_Char **atts)
{
	const char *id, *type, *target, *mode;
	struct rel *r;

	if (e != E_RELATIONSHIP)
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	mode = attr(atts, "TargetMode");
	if (id == NULL || type == NULL || target == NULL ||
	    (mode != NULL && strcmp(mode, "External") == 0))
		return;
	if (x->nrels >= JX_XLSX_MAX_ENTRIES) {
		fail(x, JX_ETOOBIG, "关系超过 %d 条", JX_XLSX_MAX_ENTRIES);
		return;
	}
	x->rels = grow(x, x->rels, &x->caprels, x->nrels, sizeof(*x->rels));
	if (x->rels == NULL)
		return;
	r = &x->rels[x->nrels];
	if ((r->id = dup(x, id)) == NULL || (r->type = dup(x, type)) == NULL ||
	    (r->target = dup(x, target)) == NULL)
		return;
	x->nrels++;
}

static void
workbook_start(struct xlsx *x, enum el e, const XML_Char **atts)
{
	const char *v, *name, *rid;
	struct sheet_ref *s;

	if (e == E_WORKBOOKPR) {
		v = attr(atts, "date1904");
		x->date1904 = v != NULL &&
		              (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
		return;
	}
	if (e != E_SHEET || x->depth < 2 || x->stack[x->depth - 2] != E_SHEETS)
		return;
	name = attr(atts, "name");
	rid = attr(atts, "id");
	if (x->nsheets >= JX_XLSX_MAX_SHEETS) {
		fail(x, JX_ETOOBIG, "工作表超过 %d 个", JX_XLSX_MAX_SHEETS);
		return;
	}
	if (rid == NULL) {
		fail(x, JX_EPARSE, "工作表“%.100s”缺少 r:id 属性",
		     name != NULL ? name : "");
		return;
	}
	x->sheets = grow(x, x->sheets, &x->capsheets, x->nsheets,
	                 sizeof(*x->sheets));
	if (x->sheets == NULL)
		return;
	s = &x->sheets[x->nsheets];
	memset(s, 0, sizeof(*s));
	if ((s->rid = dup(x, rid)) == NULL ||
	    (name != NULL && (s->name = dup(x, name)) == NULL))
		return;
	x->nsheets++;
}

static void
sst_start(struct xlsx *x, enum el e, const XML_Char **atts)
{
	enum el parent =
	        x->depth >= 2 ? (enum el)x->stack[x->depth - 2] : E_OTHER;
	enum el gp = x->depth >= 3 ? (enum el)x->stack[x->depth - 3] : E_OTHER;

	(void)atts;
	switch (e) {
	case E_SI:
		x->in_si = true;
		text_reset(x);
		break;
	case E_RPH:
		x->rph++;
		break;
	case E_T:
		if (x->in_si && x->rph == 0 &&
		    (parent == E_SI || (parent == E_R && gp == E_SI)))
			x->collect = true;
		break;
	default:
		break;
	}
}

static void
sst_end(struct xlsx *x, enum el e)
{
	struct sstr *s;
	char *p;
	size_t n;

	switch (e) {
	case E_T:
		x->collect = false;
		break;
	case E_RPH:
		x->rph--;
		break;
	case E_SI:
		x->in_si = false;
		if (x->nsst >= JX_XLSX_MAX_SHARED) {
			fail(x, JX_ETOOBIG, "共享字符串超过 %u 个",
			     JX_XLSX_MAX_SHARED);
			return;
		}
		x->sst = grow(x, x->sst, &x->capsst, x->nsst, sizeof(*x->sst));
		if (x->sst == NULL)
			return;
		n = x->tlen > 0 ? unescape_x(x->text, x->tlen) : 0;
		p = jx_arena_strndup(x->a, n > 0 ? x->text : "", n);
		if (p == NULL) {
			fail(x, JX_ENOMEM, "内存不足");
			return;
		}
		s = &x->sst[x->nsst++];
		s->s = p;
		s->len = (uint32_t)n;
		break;
	default:
		break;
	}
}

/* ---- number formats ------------------------------------------------- */

/* The kind of a built-in format id (ECMA-376 18.8.30, with the ids that
 * Excel in a Chinese locale gives its 年月日 and 时分秒 formats). */
static enum kind
fmt_builtin(uint32_t id)
{
	switch (id) {
	case 9:
	case 10:
		return K_PERCENT;
	case 14:
	case 15:
	case 16:
	case 17:
	case 22:
	case 27:
	case 28:
	case 29:
	case 30:
	case 31:
	case 36:
	case 50:
	case 51:
	case 52:
	case 53:
	case 54:
	case 57:
	case 58:
		return K_DATE;
	case 18:
	case 20:
	case 32:
	case 34:
	case 55:
		return K_TIME;
	case 19:
	case 21:
	case 33:
	case 35:
	case 45:
	case 47:
	case 56:
		return K_TIME_S;
	case 46:
		return K_HOURS_S;
	default:
		return K_NUMBER;
	}
}

/*
 * The kind of a custom format code, from its first section: quoted text,
 * escaped and padding characters and bracketed parts ([Red], [$-804])
 * are skipped; '%' makes a percentage; y, d, e (year), g (era) a date;
 * h or s (or [h] [mm] [ss], AM/PM) a time; m alone a date (months).
 */
static enum kind
fmt_classify(const char *code)
{
	bool pct = false, date = false, time = false, secs = false,
	     month = false, hours = false;
	const char *s = code;
	char c;

	while (*s != '\0' && *s != ';') {
		c = *s;
		if (c == '"') {
			s = strchr(s + 1, '"');
			if (s == NULL)
				break;
			s++;
			continue;
		}
		if (c == '\\' || c == '_' || c == '*') {
			s += s[1] != '\0' ? 2 : 1;
			continue;
		}
		if (c == '[') {
			c = s[1];
			if (c == 'h' || c == 'H' || c == 'm' || c == 'M' ||
			    c == 's' || c == 'S') {
				time = true;
				hours = hours || c == 'h' || c == 'H';
			}
			s = strchr(s, ']');
			if (s == NULL)
				break;
			s++;
			continue;
		}
		if (strncmp(s, "General", 7) == 0 ||
		    strncmp(s, "general", 7) == 0 ||
		    strncmp(s, "GENERAL", 7) == 0) {
			s += 7;
			continue;
		}
		if (strncmp(s, "AM/PM", 5) == 0 ||
		    strncmp(s, "am/pm", 5) == 0) {
			time = true;
			s += 5;
			continue;
		}
		if (strncmp(s, "A/P", 3) == 0 || strncmp(s, "a/p", 3) == 0) {
			time = true;
			s += 3;
			continue;
		}
		switch (c) {
		case '%':
			pct = true;
			break;
		case 'E':
		case 'e':
			if (s[1] == '+' || s[1] == '-')
				s++; /* scientific: 0.00E+00 */
			else
				date = true;
			break;
		case 'y':
		case 'Y':
		case 'd':
		case 'D':
		case 'g':
		case 'G':
			date = true;
			break;
		case 'h':
		case 'H':
			time = true;
			break;
		case 's':
		case 'S':
			time = true;
			secs = true;
			break;
		case 'm':
		case 'M':
			month = true;
			break;
		default:
			break;
		}
		s++;
	}
	if (date)
		return K_DATE;
	if (time && hours)
		return secs ? K_HOURS_S : K_HOURS;
	if (time)
		return secs ? K_TIME_S : K_TIME;
	if (month)
		return K_DATE;
	return pct ? K_PERCENT : K_NUMBER;
}

static void
styles_start(struct xlsx *x, enum el e, const XML_Char **atts)
{
	enum el parent =
	        x->depth >= 2 ? (enum el)x->stack[x->depth - 2] : E_OTHER;
	const char *id, *code;
	uint32_t n = 0;

	if (e == E_NUMFMT && parent == E_NUMFMTS) {
		id = attr(atts, "numFmtId");
		code = attr(atts, "formatCode");
		if (id == NULL || code == NULL ||
		    !parse_u32(id, UINT32_MAX - 1, &n))
			return;
		if (x->nfmts >= JX_XLSX_MAX_STYLES) {
			fail(x, JX_ETOOBIG, "数字格式超过 %d 个",
			     JX_XLSX_MAX_STYLES);
			return;
		}
		x->fmts = grow(x, x->fmts, &x->capfmts, x->nfmts,
		               sizeof(*x->fmts));
		if (x->fmts == NULL)
			return;
		x->fmts[x->nfmts].id = n;
		x->fmts[x->nfmts].kind = fmt_classify(code);
		x->nfmts++;
	} else if (e == E_XF && parent == E_CELLXFS) {
		id = attr(atts, "numFmtId");
		if (id == NULL || !parse_u32(id, UINT32_MAX - 1, &n))
			n = 0;
		if (x->nxf >= JX_XLSX_MAX_STYLES) {
			fail(x, JX_ETOOBIG, "单元格格式超过 %d 个",
			     JX_XLSX_MAX_STYLES);
			return;
		}
		x->xf_fmt = grow(x, x->xf_fmt, &x->capxf, x->nxf,
		                 sizeof(*x->xf_fmt));
		if (x->xf_fmt == NULL)
			return;
		x->xf_fmt[x->nxf++] = n;
	}
}

static int
numfmt_cmp(const void *a, const void *b)
{
	const struct numfmt *p = a, *q = b;

	return p->id < q->id ? -1 : p->id > q->id;
}

/* Give each cell format its kind: the workbook's own definition of the
 * format id when it has one, else the built-in meaning. */
static enum jx_err
styles_finish(struct xlsx *x)
{
	struct numfmt key, *f;
	size_t i;

	if (x->nxf == 0)
		return JX_OK;
	if (x->nfmts > 1)
		qsort(x->fmts, x->nfmts, sizeof(*x->fmts), numfmt_cmp);
	x->xf_kind = jx_arena_alloc(x->a, x->nxf);
	if (x->xf_kind == NULL)
		return fail(x, JX_ENOMEM, "内存不足");
	for (i = 0; i < x->nxf; i++) {
		key.id = x->xf_fmt[i];
		f = x->nfmts > 0 ? bsearch(&key, x->fmts, x->nfmts,
		                           sizeof(*x->fmts), numfmt_cmp)
		                 : NULL;
		x->xf_kind[i] =
		        (unsigned char)(f != NULL ? f->kind
		                                  : fmt_builtin(key.id));
	}
	return JX_OK;
}

/* ---- cell references ------------------------------------------------ */

/* A decimal of ASCII digits only, at most max. */
static bool
parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* "B7" -> row 6, col 1 (0-based); *end after it. Within Excel's sheet. */
static bool
parse_ref(const char *s, const char **end, uint32_t *row, uint32_t *col)
{
	uint32_t c = 0, r = 0;
	int letters = 0, digits = 0;

	if (*s == '$')
		s++;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (++letters > 3)
			return false;
		c = c * 26 + (uint32_t)((*s | 0x20) - 'a' + 1);
	}
	if (*s == '$')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 7)
			return false;
		r = r * 10 + (uint32_t)(*s - '0');
	}
	if (letters == 0 || digits == 0 || c > EXCEL_COLS || r == 0 ||
	    r > EXCEL_ROWS)
		return false;
	*row = r - 1;
	*col = c - 1;
	*end = s;
	return true;
}

/* The letters of a 0-based column ("AB"); buf holds at least 4 bytes. */
static size_t
col_name(uint32_t col, char *buf)
{
	char tmp[4];
	size_t n = 0, i;

	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/* ---- worksheets ----------------------------------------------------- */

static void
merge_add(struct xlsx *x, const char *ref)
{
	uint32_t r0, c0, r1, c1, t;
	const char *e;
	enum jx_err err;

	if (!parse_ref(ref, &e, &r0, &c0)) {
		fail(x, JX_EPARSE, "合并区域“%.40s”无效", ref);
		return;
	}
	if (*e == '\0') {
		r1 = r0;
		c1 = c0;
	} else if (*e != ':' || !parse_ref(e + 1, &e, &r1, &c1) || *e != '\0') {
		fail(x, JX_EPARSE, "合并区域“%.40s”无效", ref);
		return;
	}
	if (r0 > r1) {
		t = r0;
		r0 = r1;
		r1 = t;
	}
	if (c0 > c1) {
		t = c0;
		c0 = c1;
		c1 = t;
	}
	/* Beyond the grid no text can be: clip what reaches into it. */
	if (r0 >= JX_GRID_MAX_ROWS || c0 >= JX_GRID_MAX_COLS)
		return;
	if (r1 >= JX_GRID_MAX_ROWS)
		r1 = JX_GRID_MAX_ROWS - 1;
	if (c1 >= JX_GRID_MAX_COLS)
		c1 = JX_GRID_MAX_COLS - 1;
	err = jx_grid_merge(x->g, r0, c0, r1, c1);
	if (err == JX_ETOOBIG)
		fail(x, JX_ETOOBIG, "合并区域超过 %u 个", JX_GRID_MAX_MERGES);
	else if (err == JX_ENOMEM)
		fail(x, JX_ENOMEM, "内存不足");
	/* JX_EINVAL: overlaps an earlier range; Excel drops it too */
}

static void
sheet_start(struct xlsx *x, enum el e, const XML_Char **atts)
{
	enum el parent =
	        x->depth >= 2 ? (enum el)x->stack[x->depth - 2] : E_OTHER;
	enum el gp = x->depth >= 3 ? (enum el)x->stack[x->depth - 3] : E_OTHER;
	const char *v, *end;
	uint32_t r, c;

	switch (e) {
	case E_ROW:
		if (parent != E_SHEETDATA)
			return;
		v = attr(atts, "r");
		if (v == NULL) {
			x->row++;
		} else if (parse_u32(v, EXCEL_ROWS, &r) && r > 0) {
			x->row = (int64_t)r - 1;
		} else {
			fail(x, JX_EPARSE, "行号“%.20s”无效", v);
			return;
		}
		if (x->row >= EXCEL_ROWS) {
			fail(x, JX_EPARSE, "行数超过 Excel 的 %u 行",
			     EXCEL_ROWS);
			return;
		}
		x->col = -1;
		break;
	case E_C:
		if (parent != E_ROW)
			return;
		v = attr(atts, "r");
		if (v != NULL) {
			if (!parse_ref(v, &end, &r, &c) || *end != '\0') {
				fail(x, JX_EPARSE, "单元格位置“%.20s”无效", v);
				return;
			}
			x->row = r;
			x->col = c;
		} else {
			if (x->row < 0)
				x->row = 0;
			x->col++;
			if (x->col >= EXCEL_COLS) {
				fail(x, JX_EPARSE, "一行超过 Excel 的 %u 列",
				     EXCEL_COLS);
				return;
			}
		}
		v = attr(atts, "t");
		x->ctype = T_N;
		if (v != NULL) {
			if (strcmp(v, "s") == 0)
				x->ctype = T_S;
			else if (strcmp(v, "str") == 0)
				x->ctype = T_STR;
			else if (strcmp(v, "inlineStr") == 0)
				x->ctype = T_INLINE;
			else if (strcmp(v, "b") == 0)
				x->ctype = T_B;
			else if (strcmp(v, "e") == 0)
				x->ctype = T_E;
			else if (strcmp(v, "d") == 0)
				x->ctype = T_D;
		}
		v = attr(atts, "s");
		if (v == NULL || !parse_u32(v, UINT32_MAX - 1, &x->cstyle))
			x->cstyle = 0;
		x->in_cell = true;
		text_reset(x);
		break;
	case E_V:
		if (parent == E_C && x->in_cell && x->ctype != T_INLINE) {
			text_reset(x);
			x->collect = true;
		}
		break;
	case E_IS:
		if (parent == E_C && x->in_cell)
			text_reset(x);
		break;
	case E_RPH:
		x->rph++;
		break;
	case E_T:
		if (x->in_cell && x->ctype == T_INLINE && x->rph == 0 &&
		    (parent == E_IS || (parent == E_R && gp == E_IS)))
			x->collect = true;
		break;
	case E_MERGECELL:
		v = attr(atts, "ref");
		if (v != NULL)
			merge_add(x, v);
		break;
	default:
		break;
	}
}

static void
sheet_end(struct xlsx *x, enum el e)
{
	switch (e) {
	case E_V:
	case E_T:
		x->collect = false;
		break;
	case E_RPH:
		x->rph--;
		break;
	case E_C:
		if (x->in_cell)
			cell_done(x);
		x->in_cell = false;
		break;
	default:
		break;
	}
}

/* Put the text the cell just read shows into the grid. */
static void
cell_done(struct xlsx *x)
{
	char num[NUM_TEXT], ref[16];
	const char *s = x->text != NULL ? x->text : "";
	size_t len = x->tlen;
	uint32_t i, r, c;
	struct num v;
	enum kind k;
	enum jx_err err;

	switch (x->ctype) {
	case T_S:
		if (len == 0)
			break;
		if (!parse_u32(s, UINT32_MAX - 1, &i) || i >= x->nsst) {
			fail(x, JX_EPARSE,
			     "共享字符串编号“%.20s”超出范围（共 %zu 个）", s,
			     x->nsst);
			return;
		}
		s = x->sst[i].s;
		len = x->sst[i].len;
		break;
	case T_STR:
	case T_INLINE:
		len = len > 0 ? unescape_x(x->text, len) : 0;
		break;
	case T_B:
		if (len == 1 && s[0] == '1') {
			s = "TRUE";
			len = 4;
		} else if (len == 1 && s[0] == '0') {
			s = "FALSE";
			len = 5;
		}
		break;
	case T_D:
		/* ISO 8601: keep the date, drop a time of day */
		if (len >= 10) {
			memcpy(num, s, 10);
			num[10] = '\0';
			if (jx_text_date(num, NULL, NULL, NULL)) {
				s = num;
				len = 10;
			}
		}
		break;
	case T_E:
		break;
	case T_N:
		if (len == 0 || !num_parse(s, len, &v))
			break; /* not a number: keep what is written */
		k = x->cstyle < x->nxf && x->xf_kind != NULL
		            ? (enum kind)x->xf_kind[x->cstyle]
		            : K_NUMBER;
		if (k == K_PERCENT) {
			len = num_render(&v, 2, num);
			num[len++] = '%';
			num[len] = '\0';
		} else if (k != K_NUMBER) {
			len = num_time(&v, k, x->date1904, num);
			if (len == 0)
				len = num_render(&v, 0, num);
		} else {
			len = num_render(&v, 0, num);
		}
		s = num;
		break;
	}
	if (len == 0)
		return;
	r = (uint32_t)x->row;
	c = (uint32_t)x->col;
	if (r >= JX_GRID_MAX_ROWS) {
		fail(x, JX_ETOOBIG, "有文字的行超过上限 %u 行",
		     JX_GRID_MAX_ROWS);
		return;
	}
	if (c >= JX_GRID_MAX_COLS) {
		col_name(c, ref);
		fail(x, JX_ETOOBIG, "单元格 %s%u 超出上限（最多 %u 列）", ref,
		     r + 1, JX_GRID_MAX_COLS);
		return;
	}
	if (x->cells >= JX_XLSX_MAX_CELLS ||
	    x->g->ncells >= JX_GRID_MAX_CELLS) {
		fail(x, JX_ETOOBIG, "有文字的单元格超过上限 %u 个",
		     x->cells >= JX_XLSX_MAX_CELLS ? JX_XLSX_MAX_CELLS
		                                   : JX_GRID_MAX_CELLS);
		return;
	}
	if (len > JX_XLSX_MAX_KEPT - x->kept) {
		fail(x, JX_ETOOBIG, "单元格文字合计超过上限 %u 字节",
		     JX_XLSX_MAX_KEPT);
		return;
	}
	err = jx_grid_set(x->g, r, c, s, len);
	if (err != JX_OK) {
		fail(x, err, "%s", err == JX_ENOMEM ? "内存不足" : "超出上限");
		return;
	}
	x->cells++;
	x->kept += len;
}

/* ---- numbers, percentages, dates ------------------------------------ */

/*
 * Parse s[0..len) (ASCII spaces around allowed): [+-]digits[.digits]
 * [(e|E)[+-]digits], rounded half away from zero to 15 significant digits
 * and stripped of trailing zeros. False when it is not such a number.
 */
static bool
num_parse(const char *s, size_t len, struct num *v)
{
	size_t i = 0;
	long k = 0, z = -1, idx = 0, sig, ex = 0;
	bool dot = false, any = false, eneg = false;
	int rdig = 0, j, edig = 0;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (i < len && s[i] == ' ')
		i++;
	memset(v, 0, sizeof(*v));
	if (i < len && (s[i] == '-' || s[i] == '+'))
		v->neg = s[i++] == '-';
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			any = true;
			if (!dot)
				k++;
			if (z < 0 && s[i] != '0')
				z = idx;
			if (z >= 0) {
				sig = idx - z;
				if (sig < NUM_DIGITS)
					v->d[v->n++] = s[i];
				else if (sig == NUM_DIGITS)
					rdig = s[i] - '0';
			}
			idx++;
		} else if (s[i] == '.' && !dot) {
			dot = true;
		} else {
			break;
		}
	}
	if (!any)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++edig > 6)
				return false;
			ex = ex * 10 + (s[i] - '0');
		}
		if (edig == 0)
			return false;
	}
	if (i != len)
		return false;
	if (z < 0) {
		v->n = 0;
		v->neg = false;
		return true;
	}
	v->p = (int)(k - 1 - z + (eneg ? -ex : ex));
	if (rdig >= 5) {
		for (j = v->n - 1; j >= 0; j--) {
			if (v->d[j] != '9') {
				v->d[j]++;
				break;
			}
			v->d[j] = '0';
		}
		if (j < 0) {
			v->d[0] = '1';
			v->p++;
		}
	}
	while (v->n > 0 && v->d[v->n - 1] == '0')
		v->n--;
	return true;
}

/* Write v x 10^shift into out (NUM_TEXT bytes): plain decimals while the
 * exponent is within +-30, else "1.5E+40". Returns the length. */
static size_t
num_render(const struct num *v, int shift, char *out)
{
	size_t o = 0;
	int q = v->p + shift, i;

	if (v->n == 0) {
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	if (v->neg)
		out[o++] = '-';
	if (q > NUM_PLAIN || q < -NUM_PLAIN) {
		out[o++] = v->d[0];
		if (v->n > 1) {
			out[o++] = '.';
			for (i = 1; i < v->n; i++)
				out[o++] = v->d[i];
		}
		o += (size_t)snprintf(out + o, NUM_TEXT - o, "E%c%d",
		                      q < 0 ? '-' : '+', q < 0 ? -q : q);
		return o;
	}
	if (q < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = -1; i > q; i--)
			out[o++] = '0';
		for (i = 0; i < v->n; i++)
			out[o++] = v->d[i];
	} else {
		for (i = 0; i <= q; i++)
			out[o++] = i < v->n ? v->d[i] : '0';
		if (v->n > q + 1) {
			out[o++] = '.';
			for (i = q + 1; i < v->n; i++)
				out[o++] = v->d[i];
		}
	}
	out[o] = '\0';
	return o;
}

/*
 * A serial date-time as Excel shows it with a format of kind k: the date
 * "YYYY-MM-DD" or the time "HH:MM[:SS]", the fraction of a day rounded to
 * the second. 0 when Excel would not show a date (negative, zero for a
 * date, past 9999-12-31): the caller writes the number instead.
 */
static size_t
num_time(const struct num *v, enum kind k, bool date1904, char *out)
{
	int64_t days = 0, frac = 0, secs, y, epoch;
	unsigned m, d;
	int i;

	if (v->neg || (v->n > 0 && v->p > 7))
		return 0;
	/* digit i weighs 10^(p - i): whole days, then twelve decimals */
	for (i = 0; i <= v->p; i++)
		days = days * 10 + (i < v->n ? v->d[i] - '0' : 0);
	for (i = v->p + 1; i <= v->p + 12; i++)
		frac = frac * 10 + (i >= 0 && i < v->n ? v->d[i] - '0' : 0);
	/* seconds: frac / 10^12 of a day, rounded half up */
	secs = days * 86400 +
	       (frac * 86400 + INT64_C(500000000000)) / INT64_C(1000000000000);
	if (k == K_HOURS || k == K_HOURS_S) {
		if (k == K_HOURS)
			return (size_t)snprintf(out, NUM_TEXT, "%02lld:%02d",
			                        (long long)(secs / 3600),
			                        (int)(secs / 60 % 60));
		return (size_t)snprintf(out, NUM_TEXT, "%02lld:%02d:%02d",
		                        (long long)(secs / 3600),
		                        (int)(secs / 60 % 60),
		                        (int)(secs % 60));
	}
	days = secs / 86400;
	secs %= 86400;
	if (k == K_TIME || k == K_TIME_S) {
		if (k == K_TIME)
			return (size_t)snprintf(out, NUM_TEXT, "%02d:%02d",
			                        (int)(secs / 3600),
			                        (int)(secs / 60 % 60));
		return (size_t)snprintf(
		        out, NUM_TEXT, "%02d:%02d:%02d", (int)(secs / 3600),
		        (int)(secs / 60 % 60), (int)(secs % 60));
	}
	if (days > MAX_SERIAL - (date1904 ? 1462 : 0))
		return 0;
	if (date1904) {
		epoch = DAY_1904_01_01 + days;
	} else {
		if (days == 0)
			return 0;
		if (days == 60) /* Excel's 29 February 1900, which never was */
			return (size_t)snprintf(out, NUM_TEXT, "1900-02-29");
		epoch = DAY_1899_12_30 + days + (days < 60 ? 1 : 0);
	}
	civil(epoch, &y, &m, &d);
	return (size_t)snprintf(out, NUM_TEXT, "%04d-%02u-%02u", (int)y, m, d);
}

/* The civil date of day z counted from 1970-01-01 (H. Hinnant's
 * algorithm, proleptic Gregorian). */
static void
civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

/* ---- the workbook --------------------------------------------------- */

/* Read the workbook: sheets, relationships, shared strings, styles, then
 * each worksheet into grids[]. */
static enum jx_err
workbook_read(struct xlsx *x, struct jx_grid **out, size_t *nout)
{
	const char *wb = "xl/workbook.xml", *slash;
	const struct rel *r;
	struct jx_grid *grids = NULL;
	char *rels, *dir, *p, defname[32];
	enum jx_err err;
	size_t i;

	/* the package's own relationships name the workbook */
	err = part_read(x, "_rels/.rels", "Relationships", rels_start,
	                none_end);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return err;
	r = rel_find(x, NULL, "/officeDocument");
	p = r != NULL ? resolve(x, "", r->target) : NULL;
	if (x->err != JX_OK)
		return x->err;
	if (p != NULL) {
		slash = strrchr(p, '/');
		if (jx_text_ascii_ieq(slash != NULL ? slash + 1 : p,
		                      "workbook.xml") &&
		    has_part(x, p))
			wb = p;
	}
	if (!has_part(x, wb))
		return not_workbook(x);
	x->nrels = 0;
	err = part_read(x, wb, "workbook", workbook_start, none_end);
	if (err != JX_OK)
		return err;
	if (x->nsheets == 0) {
		x->part = wb;
		return fail(x, JX_EPARSE, "工作簿中没有工作表");
	}
	slash = strrchr(wb, '/');
	dir = jx_arena_strndup(x->a, wb,
	                       slash != NULL ? (size_t)(slash - wb) + 1 : 0);
	rels = rels_of(x, wb);
	if (dir == NULL || rels == NULL)
		return fail(x, JX_ENOMEM, "内存不足");
	err = part_read(x, rels, "Relationships", rels_start, none_end);
	if (err == JX_ENOTFOUND) {
		x->part = rels;
		return fail(x, JX_EPARSE, "缺少工作簿的关系文件");
	}
	if (err != JX_OK)
		return err;
	for (i = 0; i < x->nsheets; i++) {
		struct sheet_ref *s = &x->sheets[i];

		r = rel_find(x, s->rid, NULL);
		if (r == NULL) {
			x->part = rels;
			return fail(x, JX_EPARSE,
			            "找不到工作表“%.100s”的关系 %.40s",
			            s->name != NULL ? s->name : "", s->rid);
		}
		s->part = resolve(x, dir, r->target);
		if (x->err != JX_OK)
			return x->err;
		s->worksheet = ends_with(r->type, "/worksheet");
		if (s->worksheet &&
		    (s->part == NULL || !has_part(x, s->part))) {
			x->part = rels;
			return fail(x, JX_EPARSE,
			            "找不到工作表“%.100s”的内容 %.200s",
			            s->name != NULL ? s->name : "", r->target);
		}
	}
	/* shared strings and styles, both optional */
	r = rel_find(x, NULL, "/sharedStrings");
	p = r != NULL ? resolve(x, dir, r->target) : NULL;
	if (x->err != JX_OK)
		return x->err;
	err = part_read(x, p != NULL ? p : "xl/sharedStrings.xml", "sst",
	                sst_start, sst_end);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return err;
	r = rel_find(x, NULL, "/styles");
	p = r != NULL ? resolve(x, dir, r->target) : NULL;
	if (x->err != JX_OK)
		return x->err;
	err = part_read(x, p != NULL ? p : "xl/styles.xml", "styleSheet",
	                styles_start, none_end);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return err;
	err = styles_finish(x);
	if (err != JX_OK)
		return err;
	grids = jx_arena_calloc(x->a, x->nsheets, sizeof(*grids));
	if (grids == NULL)
		return fail(x, JX_ENOMEM, "内存不足");
	for (i = 0; i < x->nsheets; i++) {
		struct sheet_ref *s = &x->sheets[i];
		const char *nm = s->name;

		jx_grid_init(&grids[i], x->a);
		if (nm == NULL) {
			snprintf(defname, sizeof(defname), "Sheet%zu", i + 1);
			nm = defname;
		}
		if (jx_grid_set_name(&grids[i], nm, strlen(nm)) != JX_OK)
			return fail(x, JX_ENOMEM, "内存不足");
		if (!s->worksheet)
			continue; /* a chart sheet: no cells */
		x->g = &grids[i];
		x->row = -1;
		x->col = -1;
		x->in_cell = false;
		x->sheet = grids[i].name;
		err = part_read(x, s->part, "worksheet", sheet_start,
		                sheet_end);
		x->sheet = NULL;
		if (err != JX_OK)
			return err;
	}
	*out = grids;
	*nout = x->nsheets;
	return JX_OK;
}

enum jx_err
jx_xlsx_read_mem(const void *buf, size_t len, const char *name,
                 struct jx_arena *a, struct jx_grid **sheets, size_t *nsheets,
                 struct jx_diag *d)
{
	struct xlsx x;
	zip_source_t *src = NULL;
	zip_error_t ze;
	zip_int64_t n;
	enum jx_err err;

	if (d != NULL) {
		jx_diag_clear(d);
		jx_diag_set_file(d, name != NULL ? name : "");
	}
	if ((buf == NULL && len > 0) || a == NULL || sheets == NULL ||
	    nsheets == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	memset(&x, 0, sizeof(x));
	x.name = name != NULL ? name : "";
	x.a = a;
	x.d = d;
	err = sniff(&x, buf, len);
	if (err != JX_OK)
		goto done;
	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src != NULL)
		x.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (x.za == NULL) {
		switch (zip_error_code_zip(&ze)) {
		case ZIP_ER_MEMORY:
			err = fail(&x, JX_ENOMEM, "内存不足");
			break;
		case ZIP_ER_NOZIP:
			err = fail(&x, JX_EPARSE,
			           "zip 结构损坏：找不到目录，文件可能不完整");
			break;
		default:
			err = fail(&x, JX_EPARSE,
			           "zip 结构损坏，文件可能不完整或已损坏");
			break;
		}
		zip_error_fini(&ze);
		zip_source_free(src);
		goto done;
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(x.za, 0);
	if (n < 0 || n > JX_XLSX_MAX_ENTRIES) {
		err = fail(&x, JX_ETOOBIG,
		           "zip 压缩包有 %lld 项，超过上限 %d 项", (long long)n,
		           JX_XLSX_MAX_ENTRIES);
		goto done;
	}
	err = workbook_read(&x, sheets, nsheets);
done:
	if (x.za != NULL)
		zip_discard(x.za);
	if (x.parser != NULL)
		XML_ParserFree(x.parser);
	free(x.text);
	return err;
}

enum jx_err
jx_xlsx_read(const char *path, struct jx_arena *a, struct jx_grid **sheets,
             size_t *nsheets, struct jx_diag *d)
{
	FILE *f = NULL;
	struct stat st;
	char *buf = NULL;
	enum jx_err err;

	if (path == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	if (d != NULL) {
		jx_diag_clear(d);
		jx_diag_set_file(d, path);
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		err = jx_diag_set(d, errno == ENOENT ? JX_ENOTFOUND : JX_EIO,
		                  NULL, "无法打开文件“%s”：%s", path,
		                  errno == ENOENT   ? "文件不存在"
		                  : errno == EACCES ? "没有读取权限"
		                                    : "读取失败");
		goto done;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		err = jx_diag_set(d, JX_EIO, NULL, "“%s”不是普通文件", path);
		goto done;
	}
	if ((uint64_t)st.st_size > JX_XLSX_MAX_FILE) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "“%s”有 %lld 字节，超过上限 %u 字节", path,
		                  (long long)st.st_size, JX_XLSX_MAX_FILE);
		goto done;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	if (st.st_size > 0 &&
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		err = jx_diag_set(d, JX_EIO, NULL, "读取“%s”失败", path);
		goto done;
	}
	err = jx_xlsx_read_mem(buf, (size_t)st.st_size, path, a, sheets,
	                       nsheets, d);
done:
	if (f != NULL)
		fclose(f);
	free(buf);
	return err;
}
