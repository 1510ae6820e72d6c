/*
 * docx.c - the Word reader: word/document.xml of a .docx, streamed through
 * expat straight out of the zip, into one grid per table and one string per
 * body paragraph (docx.h; docs/internals/docx.md).
 *
 * The file is checked before it is trusted: OLE, PDF and RTF files are
 * named as such, the zip directory is bounded, the document part must be
 * there (an xlsx is told apart), and its inflation is counted against the
 * declared size, an absolute ceiling and a ratio while it happens. The XML
 * is read with namespaces resolved (so any prefix works, and Strict OOXML
 * too), element nesting bounded, and any DOCTYPE refused before its
 * internal subset is read. Text goes into per-context growable buffers
 * (the body, and each table being read, so that nested tables cannot mix
 * their text), each bounded; a cell's text and its merged range are put
 * into the grid when the cell ends, vertical ranges when they stop
 * growing. Merges are kept as ranges only: covered cells are left empty.
 *
 * It deliberately does not read headers, footers, footnotes, comments,
 * text boxes or pictures, apply styles or numbering (list labels such as
 * "1." are not text in the document), nor interpret what the tables mean
 * (sheet.h does). It never follows a relationship to another file.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <expat.h>
#include <zip.h>

#include "jx/docx.h"
#include "jx/limits.h"

#define PART   "word/document.xml"
#define CHUNK  (64u << 10) /* bytes inflated and parsed at a time */
#define NS_SEP ' '         /* between namespace URI and local name */

/* What an element is to this reader. */
enum el {
	EL_OTHER,  /* transparent: its children are read */
	EL_SKIP,   /* its whole subtree is ignored */
	EL_P,      /* w:p paragraph */
	EL_R,      /* w:r run */
	EL_T,      /* w:t text */
	EL_TAB,    /* w:tab, w:ptab */
	EL_BR,     /* w:br, w:cr */
	EL_NBH,    /* w:noBreakHyphen */
	EL_SYM,    /* w:sym */
	EL_TBL,    /* w:tbl */
	EL_TR,     /* w:tr */
	EL_TC,     /* w:tc */
	EL_TCPR,   /* w:tcPr */
	EL_TRPR,   /* w:trPr */
	EL_PPR,    /* w:pPr */
	EL_RPR,    /* w:rPr */
	EL_SPAN,   /* w:gridSpan */
	EL_VMERGE, /* w:vMerge */
	EL_HMERGE, /* w:hMerge (legacy horizontal merge) */
	EL_BEFORE, /* w:gridBefore */
	EL_AFTER,  /* w:gridAfter */
	EL_DEL,    /* w:del, w:moveFrom: skipped, and marks a row or a
	              paragraph mark deleted */
	EL_MR,     /* m:r math run */
	EL_MT      /* m:t math text */
};

/* Cell merge properties. */
enum { M_NONE, M_RESTART, M_CONT };

struct wname {
	const char *name;
	unsigned char el;
};

/* Local names in the WordprocessingML namespace that matter. */
static const struct wname wnames[] = {
        {"p", EL_P},
        {"r", EL_R},
        {"t", EL_T},
        {"tab", EL_TAB},
        {"ptab", EL_TAB},
        {"br", EL_BR},
        {"cr", EL_BR},
        {"noBreakHyphen", EL_NBH},
        {"sym", EL_SYM},
        {"tbl", EL_TBL},
        {"tr", EL_TR},
        {"tc", EL_TC},
        {"tcPr", EL_TCPR},
        {"trPr", EL_TRPR},
        {"pPr", EL_PPR},
        {"rPr", EL_RPR},
        {"gridSpan", EL_SPAN},
        {"vMerge", EL_VMERGE},
        {"hMerge", EL_HMERGE},
        {"gridBefore", EL_BEFORE},
        {"gridAfter", EL_AFTER},
        {"del", EL_DEL},
        {"moveFrom", EL_DEL},
        /* field codes, deleted text, drawings and text boxes (which
         * Word also repeats in a fallback), ruby annotations, and the
         * old properties kept by tracked changes */
        {"instrText", EL_SKIP},
        {"delText", EL_SKIP},
        {"delInstrText", EL_SKIP},
        {"fldData", EL_SKIP},
        {"drawing", EL_SKIP},
        {"pict", EL_SKIP},
        {"object", EL_SKIP},
        {"txbxContent", EL_SKIP},
        {"rt", EL_SKIP},
        {"tcPrChange", EL_SKIP},
        {"trPrChange", EL_SKIP},
        {"tblPrChange", EL_SKIP},
        {"tblPrExChange", EL_SKIP},
        {"tblGridChange", EL_SKIP},
        {"pPrChange", EL_SKIP},
        {"rPrChange", EL_SKIP},
        {"sectPrChange", EL_SKIP},
        {"numberingChange", EL_SKIP},
        {"sectPr", EL_SKIP},
        {"tblPr", EL_SKIP},
        {"tblGrid", EL_SKIP},
};

static const char W_NS[] =
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char W_NS_STRICT[] =
        "http://purl.oclc.org/ooxml/wordprocessingml/main";
static const char M_NS[] =
        "http://schemas.openxmlformats.org/officeDocument/2006/math";
static const char M_NS_STRICT[] =
        "http://purl.oclc.org/ooxml/officeDocument/math";
static const char MC_NS[] =
        "http://schemas.openxmlformats.org/markup-compatibility/2006";

/*
 * The Symbol font's characters 0x20..0xFF in Unicode (0: none), after the
 * Unicode Consortium's mapping of the Adobe Symbol encoding. Word writes
 * them as w:sym w:font="Symbol" w:char="F0B3" (≥).
 */
/* clang-format off */
static const uint16_t symbol_map[224] = {
	/* 0x20 */ 0x0020, 0x0021, 0x2200, 0x0023, 0x2203, 0x0025, 0x0026, 0x220B,
	/* 0x28 */ 0x0028, 0x0029, 0x2217, 0x002B, 0x002C, 0x2212, 0x002E, 0x002F,
	/* 0x30 */ 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	/* 0x38 */ 0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	/* 0x40 */ 0x2245, 0x0391, 0x0392, 0x03A7, 0x0394, 0x0395, 0x03A6, 0x0393,
	/* 0x48 */ 0x0397, 0x0399, 0x03D1, 0x039A, 0x039B, 0x039C, 0x039D, 0x039F,
	/* 0x50 */ 0x03A0, 0x0398, 0x03A1, 0x03A3, 0x03A4, 0x03A5, 0x03C2, 0x03A9,
	/* 0x58 */ 0x039E, 0x03A8, 0x0396, 0x005B, 0x2234, 0x005D, 0x22A5, 0x005F,
	/* 0x60 */ 0x203E, 0x03B1, 0x03B2, 0x03C7, 0x03B4, 0x03B5, 0x03C6, 0x03B3,
	/* 0x68 */ 0x03B7, 0x03B9, 0x03D5, 0x03BA, 0x03BB, 0x03BC, 0x03BD, 0x03BF,
	/* 0x70 */ 0x03C0, 0x03B8, 0x03C1, 0x03C3, 0x03C4, 0x03C5, 0x03D6, 0x03C9,
	/* 0x78 */ 0x03BE, 0x03C8, 0x03B6, 0x007B, 0x007C, 0x007D, 0x223C, 0,
	/* 0x80 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x88 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x90 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x98 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0xA0 */ 0x20AC, 0x03D2, 0x2032, 0x2264, 0x2044, 0x221E, 0x0192, 0x2663,
	/* 0xA8 */ 0x2666, 0x2665, 0x2660, 0x2194, 0x2190, 0x2191, 0x2192, 0x2193,
	/* 0xB0 */ 0x00B0, 0x00B1, 0x2033, 0x2265, 0x00D7, 0x221D, 0x2202, 0x2022,
	/* 0xB8 */ 0x00F7, 0x2260, 0x2261, 0x2248, 0x2026, 0x23D0, 0x23AF, 0x21B5,
	/* 0xC0 */ 0x2135, 0x2111, 0x211C, 0x2118, 0x2297, 0x2295, 0x2205, 0x2229,
	/* 0xC8 */ 0x222A, 0x2283, 0x2287, 0x2284, 0x2282, 0x2286, 0x2208, 0x2209,
	/* 0xD0 */ 0x2220, 0x2207, 0x00AE, 0x00A9, 0x2122, 0x220F, 0x221A, 0x22C5,
	/* 0xD8 */ 0x00AC, 0x2227, 0x2228, 0x21D4, 0x21D0, 0x21D1, 0x21D2, 0x21D3,
	/* 0xE0 */ 0x25CA, 0x2329, 0x00AE, 0x00A9, 0x2122, 0x2211, 0x239B, 0x239C,
	/* 0xE8 */ 0x239D, 0x23A1, 0x23A2, 0x23A3, 0x23A7, 0x23A8, 0x23A9, 0x23AA,
	/* 0xF0 */ 0, 0x232A, 0x222B, 0x2320, 0x23AE, 0x2321, 0x239E, 0x239F,
	/* 0xF8 */ 0x23A0, 0x23A4, 0x23A5, 0x23A6, 0x23AB, 0x23AC, 0x23AD, 0,
};
/* clang-format on */

/* A growable text buffer (malloc'd), bounded by JX_DOCX_MAX_PARA. */
struct tbuf {
	char *p;
	size_t len, cap;
};

/* The paragraph being read in one context: the body, or one table. */
struct para {
	struct tbuf text;
	unsigned depth; /* w:p open (over 1 only in malformed input) */
	bool mark_del;  /* its paragraph mark is deleted: it joins the next */
	bool carry;     /* text of such a paragraph, waiting for the next */
};

/* A vertically merged range still growing, held by its start column. */
struct vrange {
	uint32_t r0, r1, c1;
	bool open;
};

/* One table being read. */
struct frame {
	struct jx_grid *g;
	size_t index;        /* 1-based number of the table */
	unsigned tbl_depth;  /* element depth of its w:tbl */
	unsigned row_depth;  /* of the open w:tr, 0: none */
	unsigned cell_depth; /* of the open w:tc, 0: none */
	uint32_t row;        /* the row being read = rows kept so far */
	uint32_t col;        /* next grid column of the row */
	uint32_t ncells;     /* cells read in the row */
	uint32_t width;      /* row's columns up to its last text cell */
	bool row_del;        /* the row is deleted (tracked change) */
	bool flat;           /* a cell was flattened into the parent cell */
	/* the cell being read */
	uint32_t span;
	unsigned char vmerge, hmerge; /* M_ */
	struct tbuf cell;
	size_t blocks; /* paragraphs and tables in the cell so far */
	struct para para;
	/* the row's last cell, while its range may still grow */
	bool pend; /* a plain cell spanning pend_c0..pend_c1 */
	uint32_t pend_c0, pend_c1;
	int last_v; /* start column of its vertical range, or -1 */
	unsigned nopen;
	struct vrange v[JX_GRID_MAX_COLS];
	int16_t owner[JX_GRID_MAX_COLS]; /* open range covering, or -1 */
};

/* The reader's state. */
struct rd {
	XML_Parser xp;
	struct jx_arena *a;
	struct jx_diag *d;
	enum jx_err err;
	unsigned depth;   /* elements open */
	unsigned skip;    /* depth of the subtree being skipped, 0: none */
	unsigned collect; /* depth of the w:t or m:t read, 0: none */
	unsigned char stack[JX_DOCX_MAX_DEPTH];
	struct para body;
	struct frame *frames; /* JX_DOCX_MAX_NEST of them */
	unsigned nframes;
	/* the result */
	struct jx_grid **tables;
	size_t *table_at;
	size_t ntables, cap_tables;
	char **paras;
	size_t nparas, cap_paras;
	/* what the limits count */
	size_t rows, cells, kept;
};

static enum el classify(const char *name);
static bool ns_is(const char *uri, size_t len, const char *ns, size_t nslen);
static bool is_w(const char *uri, size_t len);
static const char *attr(const char **atts, const char *local);
static int num(const char *s, uint32_t max, uint32_t *out);
static void fail(struct rd *r, enum jx_err err, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void fail_grid(struct rd *r, struct frame *f, enum jx_err err);
static bool tbuf_add(struct rd *r, struct tbuf *b, const char *s, size_t n);
static struct frame *top(struct rd *r);
static struct para *cur_para(struct rd *r);
static void text_add(struct rd *r, const char *s, size_t n);
static void on_sym(struct rd *r, const char **atts);
static void para_start(struct rd *r);
static void para_end(struct rd *r);
static void para_emit(struct rd *r, struct para *p);
static void table_start(struct rd *r);
static void table_end(struct rd *r, struct frame *f);
static void row_start(struct rd *r, struct frame *f);
static void row_end(struct rd *r, struct frame *f);
static void cell_start(struct rd *r, struct frame *f);
static void cell_end(struct rd *r, struct frame *f);
static void cell_prop(struct rd *r, struct frame *f, enum el el,
                      const char **atts);
static void put(struct rd *r, struct frame *f, uint32_t c, const char *s,
                size_t n);
static void flatten(struct rd *r, struct frame *f, const char *s, size_t n);
static void flush_pend(struct rd *r, struct frame *f);
static void close_range(struct rd *r, struct frame *f, uint32_t c0);
static void close_cols(struct rd *r, struct frame *f, uint32_t c0, uint32_t c1,
                       int keep);
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
static const char *xml_reason(enum XML_Error code);
static enum jx_err sniff(const unsigned char *b, size_t len, struct jx_diag *d);
static enum jx_err open_zip(const void *buf, size_t len, zip_t **out,
                            struct jx_diag *d);
static enum jx_err open_part(zip_t *za, zip_file_t **zf, zip_uint64_t *size,
                             struct jx_diag *d);
static enum jx_err parse(struct rd *r, zip_file_t *zf, zip_uint64_t size);
static void rd_free(struct rd *r);

/* ---- names and attributes -------------------------------------------- */

static bool
ns_is(const char *uri, size_t len, const char *ns, size_t nslen)
{
	return len == nslen && memcmp(uri, ns, len) == 0;
}

static bool
is_w(const char *uri, size_t len)
{
	return ns_is(uri, len, W_NS, sizeof(W_NS) - 1) ||
	       ns_is(uri, len, W_NS_STRICT, sizeof(W_NS_STRICT) - 1);
}

static enum el
classify(const char *name)
{
	const char *sep = strchr(name, NS_SEP), *local;
	size_t ulen, i;

	if (sep == NULL)
		return EL_OTHER;
	ulen = (size_t)(sep - name);
	local = sep + 1;
	if (is_w(name, ulen)) {
		for (i = 0; i < sizeof(wnames) / sizeof(wnames[0]); i++)
			if (strcmp(local, wnames[i].name) == 0)
				return (enum el)wnames[i].el;
		return EL_OTHER;
	}
	if (ns_is(name, ulen, M_NS, sizeof(M_NS) - 1) ||
	    ns_is(name, ulen, M_NS_STRICT, sizeof(M_NS_STRICT) - 1)) {
		if (strcmp(local, "r") == 0)
			return EL_MR;
		if (strcmp(local, "t") == 0)
			return EL_MT;
		return EL_OTHER;
	}
	/* Word puts the same content in mc:Choice and mc:Fallback: read
	 * the first, whose elements this reader understands or skips. */
	if (ns_is(name, ulen, MC_NS, sizeof(MC_NS) - 1) &&
	    strcmp(local, "Fallback") == 0)
		return EL_SKIP;
	return EL_OTHER;
}

/* The value of the attribute w:LOCAL (or an unqualified LOCAL), or NULL. */
static const char *
attr(const char **atts, const char *local)
{
	const char *sep;

	for (; atts[0] != NULL; atts += 2) {
		sep = strchr(atts[0], NS_SEP);
		if (sep == NULL) {
			if (strcmp(atts[0], local) == 0)
				return atts[1];
		} else if (is_w(atts[0], (size_t)(sep - atts[0])) &&
		           strcmp(sep + 1, local) == 0) {
			return atts[1];
		}
	}
	return NULL;
}

/* A decimal number up to max from s (blanks around it allowed): 0; 1 when
 * s is not a number; 2 when it is past max. */
static int
num(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	bool any = false;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		any = true;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			v = (uint64_t)max + 1; /* keep reading: not a number? */
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (!any || *s != '\0')
		return 1;
	if (v > max)
		return 2;
	*out = (uint32_t)v;
	return 0;
}

/* ---- failures ------------------------------------------------------- */

/* Record the first failure with the parser's position, and stop it. */
static void
fail(struct rd *r, enum jx_err err, const char *fmt, ...)
{
	va_list ap;
	XML_Size line, col;

	if (r->err != JX_OK)
		return;
	r->err = err;
	if (r->d != NULL) {
		line = XML_GetCurrentLineNumber(r->xp);
		col = XML_GetCurrentColumnNumber(r->xp) + 1;
		r->d->line = line > INT_MAX ? INT_MAX : (int)line;
		r->d->column = col > INT_MAX ? INT_MAX : (int)col;
		snprintf(r->d->field, sizeof(r->d->field), "%s", PART);
		va_start(ap, fmt);
		vsnprintf(r->d->message, sizeof(r->d->message), fmt, ap);
		va_end(ap);
	}
	XML_StopParser(r->xp, XML_FALSE);
}

static void
fail_grid(struct rd *r, struct frame *f, enum jx_err err)
{
	if (err == JX_ENOMEM)
		fail(r, err, "内存不足");
	else if (err == JX_ETOOBIG)
		fail(r, err,
		     "表%zu 超过表格上限（%u 行、%u 列、%u 个合并区域、"
		     "%u 个非空单元格）",
		     f->index, JX_GRID_MAX_ROWS, JX_GRID_MAX_COLS,
		     JX_GRID_MAX_MERGES, JX_GRID_MAX_CELLS);
	else
		fail(r, err, "表%zu 的合并单元格无效", f->index);
}

/* ---- text ----------------------------------------------------------- */

static bool
tbuf_add(struct rd *r, struct tbuf *b, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (n == 0)
		return true;
	if (n > JX_DOCX_MAX_PARA - b->len) {
		fail(r, JX_ETOOBIG, "一个段落或单元格的文字超过 %u 字节上限",
		     JX_DOCX_MAX_PARA);
		return false;
	}
	if (b->len + n > b->cap) {
		cap = b->cap > 0 ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			fail(r, JX_ENOMEM, "内存不足");
			return false;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return true;
}

static struct frame *
top(struct rd *r)
{
	return r->nframes > 0 ? &r->frames[r->nframes - 1] : NULL;
}

/* The paragraph of the innermost context: the table being read, or the
 * body. */
static struct para *
cur_para(struct rd *r)
{
	return r->nframes > 0 ? &r->frames[r->nframes - 1].para : &r->body;
}

/* Text of a run: kept only inside a paragraph. */
static void
text_add(struct rd *r, const char *s, size_t n)
{
	struct para *p = cur_para(r);

	if (p->depth > 0)
		tbuf_add(r, &p->text, s, n);
}

static void
on_sym(struct rd *r, const char **atts)
{
	const char *font = attr(atts, "font"), *ch = attr(atts, "char");
	uint32_t cp = 0, low;
	char u[4];
	size_t n = 0, i;

	if (ch == NULL)
		return;
	for (i = 0; ch[i] != '\0'; i++) {
		int x = ch[i] >= '0' && ch[i] <= '9'   ? ch[i] - '0'
		        : ch[i] >= 'a' && ch[i] <= 'f' ? ch[i] - 'a' + 10
		        : ch[i] >= 'A' && ch[i] <= 'F' ? ch[i] - 'A' + 10
		                                       : -1;
		if (x < 0 || i >= 6)
			return; /* not a character code: nothing to show */
		cp = cp * 16 + (uint32_t)x;
	}
	if (i == 0)
		return;
	/* Symbol fonts are addressed at U+F000 + their 8-bit code. */
	low = cp >= 0xF000 && cp <= 0xF0FF ? cp - 0xF000 : cp;
	if (font != NULL && strcasecmp(font, "Symbol") == 0 && low >= 0x20 &&
	    low <= 0xFF && symbol_map[low - 0x20] != 0)
		cp = symbol_map[low - 0x20];
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF ||
	    cp > 0x10FFFF)
		return;
	if (cp < 0x80) {
		u[n++] = (char)cp;
	} else if (cp < 0x800) {
		u[n++] = (char)(0xC0 | (cp >> 6));
		u[n++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		u[n++] = (char)(0xE0 | (cp >> 12));
		u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[n++] = (char)(0x80 | (cp & 0x3F));
	} else {
		u[n++] = (char)(0xF0 | (cp >> 18));
		u[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[n++] = (char)(0x80 | (cp & 0x3F));
	}
	text_add(r, u, n);
}

/* ---- paragraphs ----------------------------------------------------- */

static void
para_start(struct rd *r)
{
	struct para *p = cur_para(r);

	if (p->depth++ > 0)
		return;
	if (!p->carry)
		p->text.len = 0;
	p->carry = false;
	p->mark_del = false;
}

static void
para_end(struct rd *r)
{
	struct para *p = cur_para(r);

	if (p->depth == 0 || --p->depth > 0)
		return;
	if (p->mark_del) {
		/* Word joins a paragraph whose mark is deleted with the
		 * next one. */
		p->carry = true;
		p->mark_del = false;
		return;
	}
	para_emit(r, p);
}

/* A finished paragraph of the innermost context: a body paragraph, or one
 * more line of the cell being read (dropped outside a cell). */
static void
para_emit(struct rd *r, struct para *p)
{
	struct frame *f = top(r);
	const char *s = p->text.p != NULL ? p->text.p : "";
	size_t n = p->text.len, cap;
	char *copy, **grown;

	p->text.len = 0;
	p->carry = false;
	if (f != NULL) {
		if (f->cell_depth == 0 || f->row_del)
			return;
		if (f->blocks > 0 && !tbuf_add(r, &f->cell, "\n", 1))
			return;
		f->blocks++;
		tbuf_add(r, &f->cell, s, n);
		return;
	}
	if (r->nparas >= JX_DOCX_MAX_PARAS) {
		fail(r, JX_ETOOBIG, "正文段落超过 %u 个上限",
		     JX_DOCX_MAX_PARAS);
		return;
	}
	if (n > JX_DOCX_MAX_KEPT - r->kept) {
		fail(r, JX_ETOOBIG, "文档文字超过 %u 字节上限",
		     JX_DOCX_MAX_KEPT);
		return;
	}
	if (r->nparas == r->cap_paras) {
		cap = r->cap_paras > 0 ? r->cap_paras * 2 : 64;
		grown = jx_arena_grow(r->a, r->paras, r->nparas, cap,
		                      sizeof(*grown));
		if (grown == NULL) {
			fail(r, JX_ENOMEM, "内存不足");
			return;
		}
		r->paras = grown;
		r->cap_paras = cap;
	}
	copy = jx_arena_strndup(r->a, s, n);
	if (copy == NULL) {
		fail(r, JX_ENOMEM, "内存不足");
		return;
	}
	r->kept += n;
	r->paras[r->nparas++] = copy;
}

/* ---- tables --------------------------------------------------------- */

static void
table_start(struct rd *r)
{
	struct jx_grid *g, **tables;
	struct frame *f;
	size_t cap, *at;
	char name[32];
	uint32_t c;
	enum jx_err err;

	if (r->nframes >= JX_DOCX_MAX_NEST) {
		fail(r, JX_ETOOBIG, "表格嵌套超过 %u 层上限", JX_DOCX_MAX_NEST);
		return;
	}
	if (r->ntables >= JX_DOCX_MAX_TABLES) {
		fail(r, JX_ETOOBIG, "表格超过 %u 个上限", JX_DOCX_MAX_TABLES);
		return;
	}
	if (r->ntables == r->cap_tables) {
		cap = r->cap_tables > 0 ? r->cap_tables * 2 : 8;
		tables = jx_arena_grow(r->a, r->tables, r->ntables, cap,
		                       sizeof(*tables));
		at = jx_arena_grow(r->a, r->table_at, r->ntables, cap,
		                   sizeof(*at));
		if (tables == NULL || at == NULL) {
			fail(r, JX_ENOMEM, "内存不足");
			return;
		}
		r->tables = tables;
		r->table_at = at;
		r->cap_tables = cap;
	}
	g = jx_arena_alloc(r->a, sizeof(*g));
	if (g == NULL) {
		fail(r, JX_ENOMEM, "内存不足");
		return;
	}
	jx_grid_init(g, r->a);
	snprintf(name, sizeof(name), "表%zu", r->ntables + 1);
	err = jx_grid_set_name(g, name, strlen(name));
	if (err != JX_OK) {
		fail(r, err, "内存不足");
		return;
	}
	r->tables[r->ntables] = g;
	r->table_at[r->ntables] = r->nparas;
	r->ntables++;

	/* Reuse the frame's buffers; reset everything else. */
	f = &r->frames[r->nframes++];
	f->g = g;
	f->index = r->ntables;
	f->tbl_depth = r->depth;
	f->row_depth = f->cell_depth = 0;
	f->row = f->col = f->ncells = f->width = 0;
	f->row_del = f->flat = false;
	f->span = 1;
	f->vmerge = f->hmerge = M_NONE;
	f->cell.len = 0;
	f->blocks = 0;
	f->para.text.len = 0;
	f->para.depth = 0;
	f->para.mark_del = f->para.carry = false;
	f->pend = false;
	f->last_v = -1;
	f->nopen = 0;
	for (c = 0; c < JX_GRID_MAX_COLS; c++) {
		f->v[c].open = false;
		f->owner[c] = -1;
	}
}

static void
table_end(struct rd *r, struct frame *f)
{
	uint32_t c;

	flush_pend(r, f);
	for (c = 0; c < JX_GRID_MAX_COLS && f->nopen > 0; c++)
		if (f->v[c].open)
			close_range(r, f, c);
	r->nframes--;
}

static void
row_start(struct rd *r, struct frame *f)
{
	if (f->row_depth != 0 || f->cell_depth != 0)
		return; /* a row inside a row: malformed, read as content */
	if (f->row >= JX_GRID_MAX_ROWS || r->rows >= JX_DOCX_MAX_ROWS) {
		fail(r, JX_ETOOBIG,
		     "表%zu 的行数超过上限（每表 %u 行，全文 %u 行）", f->index,
		     JX_GRID_MAX_ROWS, JX_DOCX_MAX_ROWS);
		return;
	}
	f->row_depth = r->depth;
	f->col = f->ncells = f->width = 0;
	f->row_del = false;
	f->pend = false;
	f->last_v = -1;
}

static void
row_end(struct rd *r, struct frame *f)
{
	uint32_t c;

	f->row_depth = 0;
	if (f->row_del)
		return; /* not a row any more: vertical ranges go on */
	flush_pend(r, f);
	/* A vertical range not continued by this row is finished. */
	for (c = 0; c < JX_GRID_MAX_COLS && f->nopen > 0; c++)
		if (f->v[c].open && f->v[c].r1 != f->row)
			close_range(r, f, c);
	r->rows++;
	f->row++;
}

static void
cell_start(struct rd *r, struct frame *f)
{
	if (f->row_depth == 0 || f->cell_depth != 0)
		return; /* a cell outside a row or inside a cell: malformed */
	f->cell_depth = r->depth;
	f->span = 1;
	f->vmerge = f->hmerge = M_NONE;
	f->cell.len = 0;
	f->blocks = 0;
}

/* w:gridSpan, w:vMerge, w:hMerge of the cell being read, w:gridBefore and
 * w:gridAfter of the row being read. */
static void
cell_prop(struct rd *r, struct frame *f, enum el el, const char **atts)
{
	const char *val = attr(atts, "val");
	const char *what;
	uint32_t n = 1;
	int rc = 0;

	switch (el) {
	case EL_VMERGE:
	case EL_HMERGE:
		if (f->cell_depth == 0)
			return;
		/* No value means continue (ECMA-376 17.4.85). */
		n = val != NULL && strcmp(val, "restart") == 0 ? M_RESTART
		                                               : M_CONT;
		if (el == EL_VMERGE)
			f->vmerge = (unsigned char)n;
		else
			f->hmerge = (unsigned char)n;
		return;
	case EL_SPAN:
		if (f->cell_depth == 0)
			return;
		what = "w:gridSpan";
		break;
	case EL_BEFORE:
		if (f->row_depth == 0)
			return;
		what = "w:gridBefore";
		n = 0;
		break;
	default:
		if (f->row_depth == 0)
			return;
		what = "w:gridAfter";
		n = 0;
		break;
	}
	if (val != NULL)
		rc = num(val, JX_GRID_MAX_COLS, &n);
	if (rc == 1) {
		fail(r, JX_EPARSE, "表%zu 第 %u 行：%s 的值“%.40s”不是整数",
		     f->index, f->row + 1, what, val);
		return;
	}
	if (rc == 2) {
		fail(r, JX_ETOOBIG, "表%zu 第 %u 行：%s 超过 %u 列上限",
		     f->index, f->row + 1, what, JX_GRID_MAX_COLS);
		return;
	}
	if (el == EL_SPAN)
		f->span = n > 0 ? n : 1;
	else if (el == EL_BEFORE && f->ncells == 0 && f->cell_depth == 0)
		f->col = n;
}

/* Put s[0..n) at (the frame's row, c), counting it against the limits. */
static void
put(struct rd *r, struct frame *f, uint32_t c, const char *s, size_t n)
{
	enum jx_err err;

	if (n > JX_DOCX_MAX_KEPT - r->kept) {
		fail(r, JX_ETOOBIG, "文档文字超过 %u 字节上限",
		     JX_DOCX_MAX_KEPT);
		return;
	}
	if (c + 1 > f->width) {
		r->cells += c + 1 - f->width;
		f->width = c + 1;
		if (r->cells > JX_DOCX_MAX_CELLS) {
			fail(r, JX_ETOOBIG, "表格单元格超过 %u 个上限",
			     JX_DOCX_MAX_CELLS);
			return;
		}
	}
	err = jx_grid_set(f->g, f->row, c, s, n);
	if (err != JX_OK) {
		fail_grid(r, f, err);
		return;
	}
	r->kept += n;
}

/* Also give a nested table's cell text to the cell holding the table:
 * the table is one block of that cell, rows on lines, cells tab-separated. */
static void
flatten(struct rd *r, struct frame *f, const char *s, size_t n)
{
	struct frame *parent;
	const char *sep;

	if (r->nframes < 2)
		return;
	parent = &r->frames[r->nframes - 2];
	if (parent->cell_depth == 0 || parent->row_del)
		return;
	if (!f->flat) {
		sep = parent->blocks > 0 ? "\n" : "";
		parent->blocks++;
		f->flat = true;
	} else {
		sep = f->ncells > 1 ? "\t" : "\n";
	}
	if (tbuf_add(r, &parent->cell, sep, strlen(sep)))
		tbuf_add(r, &parent->cell, s, n);
}

static void
cell_end(struct rd *r, struct frame *f)
{
	struct para *p = &f->para;
	uint32_t c = f->col, s = f->span, k;
	const char *text;
	size_t len;
	int o;

	if (p->carry)
		para_emit(r, p); /* a deleted mark with nothing after it */
	f->cell_depth = 0;
	if (r->err != JX_OK)
		return;
	if (f->row_del) {
		f->col = c + s > JX_GRID_MAX_COLS ? JX_GRID_MAX_COLS : c + s;
		f->ncells++;
		return;
	}
	if (s > JX_GRID_MAX_COLS - c) {
		fail(r, JX_ETOOBIG, "表%zu 第 %u 行超过 %u 列上限", f->index,
		     f->row + 1, JX_GRID_MAX_COLS);
		return;
	}
	text = f->cell.p != NULL ? f->cell.p : "";
	len = f->cell.len;
	o = f->owner[c];
	if (f->hmerge == M_CONT && f->ncells > 0 &&
	    (f->pend || (f->last_v >= 0 && f->v[f->last_v].r0 == f->row))) {
		/* Legacy horizontal merge: widen the previous cell. */
		if (f->pend) {
			f->pend_c1 = c + s - 1;
		} else {
			close_cols(r, f, c, c + s - 1, f->last_v);
			f->v[f->last_v].c1 = c + s - 1;
			for (k = c; k < c + s; k++)
				f->owner[k] = (int16_t)f->last_v;
		}
		len = 0;
	} else if (f->vmerge == M_CONT && o == (int)c && f->v[o].open &&
	           f->v[o].r1 + 1 == f->row && f->v[o].c1 == c + s - 1) {
		/* Vertical merge: the range of the cell above, over the
		 * same columns, grows. */
		flush_pend(r, f);
		f->v[o].r1 = f->row;
		f->last_v = o;
		len = 0;
	} else {
		flush_pend(r, f);
		close_cols(r, f, c, c + s - 1, -1);
		if (len > 0)
			put(r, f, c, text, len);
		if (f->vmerge != M_NONE) {
			/* restart, or a continue with no range of the
			 * same columns above: a range starts here */
			f->v[c].r0 = f->v[c].r1 = f->row;
			f->v[c].c1 = c + s - 1;
			f->v[c].open = true;
			f->nopen++;
			for (k = c; k < c + s; k++)
				f->owner[k] = (int16_t)c;
			f->last_v = (int)c;
		} else {
			/* kept pending: a legacy hMerge may widen it */
			f->last_v = -1;
			f->pend = true;
			f->pend_c0 = c;
			f->pend_c1 = c + s - 1;
		}
	}
	f->col = c + s;
	f->ncells++;
	if (r->err == JX_OK)
		flatten(r, f, text, len);
}

/* Record the row's last plain cell's range, if it spans columns. */
static void
flush_pend(struct rd *r, struct frame *f)
{
	enum jx_err err;

	if (!f->pend)
		return;
	f->pend = false;
	if (f->pend_c1 == f->pend_c0)
		return;
	err = jx_grid_merge(f->g, f->row, f->pend_c0, f->row, f->pend_c1);
	if (err != JX_OK)
		fail_grid(r, f, err);
}

/* Finish the vertical range starting at column c0: record it unless it
 * is one cell. */
static void
close_range(struct rd *r, struct frame *f, uint32_t c0)
{
	struct vrange *v = &f->v[c0];
	enum jx_err err;
	uint32_t k;

	if (!v->open)
		return;
	v->open = false;
	f->nopen--;
	for (k = c0; k <= v->c1 && k < JX_GRID_MAX_COLS; k++)
		if (f->owner[k] == (int16_t)c0)
			f->owner[k] = -1;
	if (f->last_v == (int)c0)
		f->last_v = -1;
	if (v->r1 == v->r0 && v->c1 == c0)
		return;
	err = jx_grid_merge(f->g, v->r0, c0, v->r1, v->c1);
	if (err != JX_OK)
		fail_grid(r, f, err);
}

/* Finish the open ranges covering any of columns c0..c1, except the one
 * starting at keep (-1: none). */
static void
close_cols(struct rd *r, struct frame *f, uint32_t c0, uint32_t c1, int keep)
{
	uint32_t k;
	int o;

	for (k = c0; k <= c1 && f->nopen > 0; k++) {
		o = f->owner[k];
		if (o >= 0 && o != keep)
			close_range(r, f, (uint32_t)o);
	}
}

/* ---- expat handlers ------------------------------------------------- */

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rd *r = ud;
	struct frame *f;
	enum el el, parent, gparent;

	if (r->err != JX_OK)
		return;
	if (r->depth >= JX_DOCX_MAX_DEPTH) {
		fail(r, JX_ETOOBIG, "XML 元素嵌套超过 %u 层上限",
		     JX_DOCX_MAX_DEPTH);
		return;
	}
	el = r->skip != 0 ? EL_SKIP : classify(name);
	parent = r->depth > 0 ? (enum el)r->stack[r->depth - 1] : EL_OTHER;
	gparent = r->depth > 1 ? (enum el)r->stack[r->depth - 2] : EL_OTHER;
	r->stack[r->depth++] = (unsigned char)el;
	if (r->skip != 0)
		return;
	f = top(r);
	switch (el) {
	case EL_SKIP:
		r->skip = r->depth;
		break;
	case EL_DEL:
		if (parent == EL_TRPR && f != NULL && f->row_depth != 0)
			f->row_del = true;
		else if (parent == EL_RPR && gparent == EL_PPR &&
		         cur_para(r)->depth > 0)
			cur_para(r)->mark_del = true;
		r->skip = r->depth;
		break;
	case EL_P:
		para_start(r);
		break;
	case EL_T:
		if (parent == EL_R)
			r->collect = r->depth;
		break;
	case EL_MT:
		if (parent == EL_MR)
			r->collect = r->depth;
		break;
	case EL_TAB:
		if (parent == EL_R)
			text_add(r, "\t", 1);
		break;
	case EL_BR:
		if (parent == EL_R)
			text_add(r, "\n", 1);
		break;
	case EL_NBH:
		if (parent == EL_R)
			text_add(r, "-", 1);
		break;
	case EL_SYM:
		if (parent == EL_R)
			on_sym(r, atts);
		break;
	case EL_TBL:
		table_start(r);
		break;
	case EL_TR:
		if (f != NULL)
			row_start(r, f);
		break;
	case EL_TC:
		if (f != NULL)
			cell_start(r, f);
		break;
	case EL_SPAN:
	case EL_VMERGE:
	case EL_HMERGE:
		if (f != NULL && parent == EL_TCPR)
			cell_prop(r, f, el, atts);
		break;
	case EL_BEFORE:
	case EL_AFTER:
		if (f != NULL && parent == EL_TRPR)
			cell_prop(r, f, el, atts);
		break;
	default:
		break;
	}
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct rd *r = ud;
	struct frame *f;
	enum el el;

	(void)name;
	if (r->err != JX_OK || r->depth == 0)
		return;
	el = (enum el)r->stack[r->depth - 1];
	if (r->skip != 0) {
		if (r->skip == r->depth)
			r->skip = 0;
		r->depth--;
		return;
	}
	f = top(r);
	switch (el) {
	case EL_T:
	case EL_MT:
		if (r->collect == r->depth)
			r->collect = 0;
		break;
	case EL_P:
		para_end(r);
		break;
	case EL_TC:
		if (f != NULL && f->cell_depth == r->depth)
			cell_end(r, f);
		break;
	case EL_TR:
		if (f != NULL && f->row_depth == r->depth)
			row_end(r, f);
		break;
	case EL_TBL:
		if (f != NULL && f->tbl_depth == r->depth)
			table_end(r, f);
		break;
	default:
		break;
	}
	r->depth--;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct rd *r = ud;

	if (r->err != JX_OK || r->skip != 0 || r->collect == 0 ||
	    r->collect != r->depth || len <= 0)
		return;
	text_add(r, s, (size_t)len);
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
	     "文档含有 DOCTYPE 声明，Word 文件不会有，已拒绝（可能是实体"
	     "扩展攻击）");
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
	fail(ud, JX_EPARSE, "文档含有实体声明，已拒绝（可能是实体扩展攻击）");
}

/* The Chinese reason for an expat error, or NULL for expat's own words. */
static const char *
xml_reason(enum XML_Error code)
{
	switch (code) {
	case XML_ERROR_NO_ELEMENTS:
		return "没有任何元素（内容为空或被截断）";
	case XML_ERROR_SYNTAX:
		return "语法错误";
	case XML_ERROR_INVALID_TOKEN:
		return "非法字符或标记";
	case XML_ERROR_UNCLOSED_TOKEN:
		return "标记未闭合（内容被截断）";
	case XML_ERROR_PARTIAL_CHAR:
		return "不完整的字符（编码错误或内容被截断）";
	case XML_ERROR_TAG_MISMATCH:
		return "起止标签不匹配";
	case XML_ERROR_DUPLICATE_ATTRIBUTE:
		return "属性重复";
	case XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
		return "根元素之后还有内容";
	case XML_ERROR_UNDEFINED_ENTITY:
		return "未定义的实体";
	case XML_ERROR_BAD_CHAR_REF:
		return "非法的字符引用";
	case XML_ERROR_UNKNOWN_ENCODING:
		return "不支持的字符编码";
	case XML_ERROR_INCORRECT_ENCODING:
		return "内容与声明的编码不符";
	case XML_ERROR_UNCLOSED_CDATA_SECTION:
		return "CDATA 段未闭合";
	case XML_ERROR_UNBOUND_PREFIX:
		return "使用了未声明的命名空间前缀";
	case XML_ERROR_MISPLACED_XML_PI:
		return "XML 声明位置不对";
	default:
		return NULL;
	}
}

/* ---- the zip -------------------------------------------------------- */

/* Name what the file is when its first bytes say it is not a docx. */
static enum jx_err
sniff(const unsigned char *b, size_t len, struct jx_diag *d)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0,
	                                     0xA1, 0xB1, 0x1A, 0xE1};

	if (len == 0)
		return jx_diag_set(d, JX_EPARSE, NULL, "文件是空的");
	if (len >= sizeof(ole) && memcmp(b, ole, sizeof(ole)) == 0)
		return jx_diag_set(d, JX_EPARSE, NULL,
		                   "旧版 .doc 格式或文件已加密，请另存为 "
		                   ".docx");
	if (len >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return jx_diag_set(d, JX_EPARSE, NULL,
		                   "这是 PDF 文件，不是 Word 文件（.docx）");
	if (len >= 5 && memcmp(b, "{\\rtf", 5) == 0)
		return jx_diag_set(d, JX_EPARSE, NULL,
		                   "这是 RTF 文件，请用 Word 另存为 .docx");
	if (len > JX_DOCX_MAX_FILE)
		return jx_diag_set(d, JX_ETOOBIG, NULL,
		                   "文件有 %zu 字节，超过 %u MiB 上限", len,
		                   JX_DOCX_MAX_FILE >> 20);
	return JX_OK;
}

static enum jx_err
open_zip(const void *buf, size_t len, zip_t **out, struct jx_diag *d)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za = NULL;
	zip_int64_t n;
	enum jx_err err = JX_OK;

	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (za == NULL) {
		zip_source_free(src);
		if (zip_error_code_zip(&ze) == ZIP_ER_MEMORY)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		else if (zip_error_code_zip(&ze) == ZIP_ER_NOZIP)
			err = jx_diag_set(d, JX_EPARSE, NULL,
			                  "不是 Word 文件（.docx）：文件不是 "
			                  "zip 格式");
		else
			err = jx_diag_set(d, JX_EPARSE, NULL,
			                  "zip 结构损坏，无法打开：%s",
			                  zip_error_strerror(&ze));
		goto done;
	}
	n = zip_get_num_entries(za, 0);
	if (n < 0 || n > JX_DOCX_MAX_ENTRIES) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "zip 中的文件超过 %u 个上限",
		                  JX_DOCX_MAX_ENTRIES);
		goto done;
	}
	*out = za;
	za = NULL;
done:
	if (za != NULL)
		zip_discard(za);
	zip_error_fini(&ze);
	return err;
}

/* Open word/document.xml, after checking its declared size and ratio. */
static enum jx_err
open_part(zip_t *za, zip_file_t **zf, zip_uint64_t *size, struct jx_diag *d)
{
	zip_int64_t idx;
	zip_stat_t st;
	int code;

	if (d != NULL)
		snprintf(d->field, sizeof(d->field), "%s", PART);
	idx = zip_name_locate(za, PART, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (zip_name_locate(za, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0)
			return jx_diag_set(d, JX_EPARSE, NULL,
			                   "这是 Excel 文件，不是 Word 文件");
		if (zip_name_locate(za, "ppt/presentation.xml",
		                    ZIP_FL_NOCASE) >= 0)
			return jx_diag_set(
			        d, JX_EPARSE, NULL,
			        "这是 PowerPoint 文件，不是 Word 文件");
		if (zip_name_locate(za, "content.xml", 0) >= 0)
			return jx_diag_set(
			        d, JX_EPARSE, NULL,
			        "这是 OpenDocument 文件（.odt/.ods），"
			        "请另存为 .docx");
		return jx_diag_set(d, JX_EPARSE, NULL,
		                   "zip 中没有 word/document.xml，不是 Word "
		                   "文件（.docx）");
	}
	zip_stat_init(&st);
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0 ||
	    (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) !=
	            (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE))
		return jx_diag_set(d, JX_EPARSE, NULL, "zip 目录损坏：%s",
		                   zip_strerror(za));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE)
		return jx_diag_set(d, JX_EPARSE, NULL,
		                   "文件已加密，请解除密码后另存为 .docx");
	if (st.size > JX_DOCX_MAX_XML)
		return jx_diag_set(d, JX_ETOOBIG, NULL,
		                   "解压后有 %llu 字节，超过 %u MiB 上限",
		                   (unsigned long long)st.size,
		                   JX_DOCX_MAX_XML >> 20);
	if (st.size > JX_DOCX_RATIO_FLOOR &&
	    st.size / (st.comp_size > 0 ? st.comp_size : 1) > JX_DOCX_MAX_RATIO)
		return jx_diag_set(
		        d, JX_ETOOBIG, NULL,
		        "压缩比异常（%llu 字节压缩为 %llu 字节，超过 "
		        "%u 倍），疑似 zip 炸弹，已拒绝",
		        (unsigned long long)st.size,
		        (unsigned long long)st.comp_size, JX_DOCX_MAX_RATIO);
	*zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (*zf == NULL) {
		code = zip_error_code_zip(zip_get_error(za));
		if (code == ZIP_ER_MEMORY)
			return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD ||
		    code == ZIP_ER_ENCRNOTSUPP)
			return jx_diag_set(d, JX_EPARSE, NULL,
			                   "文件已加密，请解除密码后另存为 "
			                   ".docx");
		if (code == ZIP_ER_COMPNOTSUPP)
			return jx_diag_set(d, JX_EPARSE, NULL,
			                   "使用了不支持的压缩方式");
		return jx_diag_set(d, JX_EPARSE, NULL, "无法解压：%s",
		                   zip_strerror(za));
	}
	*size = st.size;
	return JX_OK;
}

/*
 * Inflate and parse the document part chunk by chunk, counting what
 * inflates against the declared size. That bounds the ratio too: the
 * declared size passed the ceiling and the ratio check (open_part), so
 * more than it, whatever the header says, is refused as it arrives.
 */
static enum jx_err
parse(struct rd *r, zip_file_t *zf, zip_uint64_t size)
{
	char *chunk = NULL;
	zip_int64_t n;
	zip_uint64_t total = 0;
	enum XML_Status st;
	enum XML_Error code;
	const char *why;
	bool last = false;

	r->frames = calloc(JX_DOCX_MAX_NEST, sizeof(*r->frames));
	chunk = malloc(CHUNK);
	r->xp = XML_ParserCreateNS(NULL, NS_SEP);
	if (r->frames == NULL || chunk == NULL || r->xp == NULL) {
		r->err = jx_diag_set(r->d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	XML_SetUserData(r->xp, r);
	XML_SetElementHandler(r->xp, on_start, on_end);
	XML_SetCharacterDataHandler(r->xp, on_text);
	XML_SetStartDoctypeDeclHandler(r->xp, on_doctype);
	XML_SetEntityDeclHandler(r->xp, on_entity);
	XML_SetParamEntityParsing(r->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	while (!last) {
		n = zip_fread(zf, chunk, CHUNK);
		if (n < 0) {
			r->err = jx_diag_set(r->d, JX_EPARSE, NULL,
			                     "zip 数据损坏：%s",
			                     zip_file_strerror(zf));
			goto done;
		}
		total += (zip_uint64_t)n;
		if (total > size) {
			r->err = jx_diag_set(r->d, JX_ETOOBIG, NULL,
			                     "解压后的数据超过声明的 %llu "
			                     "字节，文件已损坏或是 zip 炸弹",
			                     (unsigned long long)size);
			goto done;
		}
		last = n == 0;
		st = XML_Parse(r->xp, chunk, (int)n, last);
		if (r->err != JX_OK)
			goto done;
		if (st != XML_STATUS_OK) {
			code = XML_GetErrorCode(r->xp);
			why = xml_reason(code);
			if (r->d != NULL) {
				r->d->line =
				        (int)XML_GetCurrentLineNumber(r->xp);
				r->d->column =
				        (int)XML_GetCurrentColumnNumber(r->xp) +
				        1;
			}
			r->err = jx_diag_set(
			        r->d, JX_EPARSE, PART,
			        "XML 格式错误（第 %d 行第 %d 列）：%s",
			        r->d != NULL ? r->d->line : 0,
			        r->d != NULL ? r->d->column : 0,
			        why != NULL ? why : XML_ErrorString(code));
			goto done;
		}
	}
	if (total < size) {
		r->err = jx_diag_set(r->d, JX_EPARSE, NULL,
		                     "zip 数据不完整：解压得到 %llu 字节，声明 "
		                     "%llu 字节",
		                     (unsigned long long)total,
		                     (unsigned long long)size);
		goto done;
	}
	if (r->body.carry)
		para_emit(r, &r->body);
done:
	free(chunk);
	return r->err;
}

static void
rd_free(struct rd *r)
{
	unsigned i;

	if (r->xp != NULL)
		XML_ParserFree(r->xp);
	r->xp = NULL;
	free(r->body.text.p);
	if (r->frames != NULL) {
		for (i = 0; i < JX_DOCX_MAX_NEST; i++) {
			free(r->frames[i].cell.p);
			free(r->frames[i].para.text.p);
		}
		free(r->frames);
	}
	r->frames = NULL;
}

/* ---- public --------------------------------------------------------- */

enum jx_err
jx_docx_read_mem(const void *buf, size_t len, const char *name,
                 struct jx_arena *a, struct jx_docx *out, struct jx_diag *d)
{
	struct rd r;
	zip_t *za = NULL;
	zip_file_t *zf = NULL;
	zip_uint64_t size = 0;
	enum jx_err err;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.d = d;
	jx_diag_clear(d);
	jx_diag_set_file(d, name);
	if (buf == NULL && len > 0) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "没有数据");
		goto done;
	}
	err = sniff(buf, len, d);
	if (err == JX_OK)
		err = open_zip(buf, len, &za, d);
	if (err == JX_OK)
		err = open_part(za, &zf, &size, d);
	if (err == JX_OK)
		err = parse(&r, zf, size);
	if (err != JX_OK)
		goto done;
	out->tables = r.tables;
	out->ntables = r.ntables;
	out->table_at = r.table_at;
	out->paragraphs = r.paras;
	out->nparagraphs = r.nparas;
done:
	rd_free(&r);
	if (zf != NULL)
		zip_fclose(zf);
	if (za != NULL)
		zip_discard(za);
	return err;
}

enum jx_err
jx_docx_read(const char *path, struct jx_arena *a, struct jx_docx *out,
             struct jx_diag *d)
{
	FILE *f = NULL;
	struct stat st;
	unsigned char *buf = NULL;
	size_t len = 0;
	enum jx_err err = JX_OK;

	jx_diag_clear(d);
	jx_diag_set_file(d, path);
	f = fopen(path, "rb");
	if (f == NULL) {
		err = errno == ENOENT
		              ? jx_diag_set(d, JX_ENOTFOUND, NULL, "文件不存在")
		              : jx_diag_set(d, JX_EIO, NULL, "无法打开文件：%s",
		                            strerror(errno));
		goto done;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		err = jx_diag_set(d, JX_EIO, NULL, "不是普通文件，无法读取");
		goto done;
	}
	if ((uintmax_t)st.st_size > JX_DOCX_MAX_FILE) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "文件有 %jd 字节，超过 %u MiB 上限",
		                  (intmax_t)st.st_size, JX_DOCX_MAX_FILE >> 20);
		goto done;
	}
	len = (size_t)st.st_size;
	buf = malloc(len > 0 ? len : 1);
	if (buf == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	if (len > 0 && fread(buf, 1, len, f) != len) {
		err = jx_diag_set(d, JX_EIO, NULL, "读取文件失败：%s",
		                  strerror(errno));
		goto done;
	}
	fclose(f);
	f = NULL;
	err = jx_docx_read_mem(buf, len, path, a, out, d);
done:
	if (f != NULL)
		fclose(f);
	free(buf);
	return err;
}
