/*
 * json.c - a strict RFC 8259 reader building a compact tree in an arena.
 *
 * Recursive descent over a byte buffer. The children of open containers
 * collect on one scratch stack (first on the C stack, then on the heap for
 * big documents); when a container closes its children are copied into one
 * arena array, so arrays and objects are plain C arrays. Strings without
 * escapes are not copied. The hot loop scans plain ASCII eight bytes at a
 * time and validates UTF-8 sequences as it meets them.
 *
 * Columns are counted in characters: the parser counts UTF-8 continuation
 * bytes since the start of the line (they only occur inside strings).
 * It does not convert numbers, write JSON or know any schema.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/json.h"
#include "jx/limits.h"
#include "jx/text.h"

#define LOCAL_STACK  128 /* scratch entries before the heap is used */
#define SMALL_OBJECT 16  /* up to this many members: pairwise key check */

struct parser {
	const unsigned char *p;   /* next byte */
	const unsigned char *end; /* one past the last byte */
	const unsigned char *bol; /* first byte of the current line */
	size_t cont;              /* UTF-8 continuation bytes in [bol, p) */
	int line;
	int depth;
	struct jx_arena *a;
	struct jx_json *stack; /* children of the open containers */
	size_t n, cap;
	bool heap; /* stack was malloc'd */
	struct jx_diag *d;
};

static enum jx_err fail(struct parser *ps, enum jx_err err, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));
static enum jx_err fail_at(struct parser *ps, int line, int column,
                           const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int column(const struct parser *ps);
static inline void skip_ws(struct parser *ps);
static void skip_ws_slow(struct parser *ps);
static const unsigned char *scan_plain(const unsigned char *q,
                                       const unsigned char *end);
static int hex4(const unsigned char *p, const unsigned char *end,
                uint32_t *out);
static enum jx_err unexpected(struct parser *ps, const char *expected);
static inline enum jx_err reserve(struct parser *ps, size_t *slot);
static enum jx_err grow(struct parser *ps);
static enum jx_err parse_value(struct parser *ps, size_t slot);
static enum jx_err parse_string(struct parser *ps, struct jx_json *v);
static enum jx_err parse_escaped(struct parser *ps, struct jx_json *v,
                                 const unsigned char *s,
                                 const unsigned char *q);
static enum jx_err parse_number(struct parser *ps, struct jx_json *v);
static enum jx_err parse_literal(struct parser *ps, struct jx_json *v,
                                 const char *word, size_t len,
                                 enum jx_json_kind k);
static enum jx_err container_open(struct parser *ps, char close, bool *empty);
static enum jx_err container_next(struct parser *ps, char close,
                                  const char *trailing, const char *expected,
                                  bool *more);
static enum jx_err parse_array(struct parser *ps, size_t slot);
static enum jx_err parse_object(struct parser *ps, size_t slot);
static enum jx_err check_duplicates(struct parser *ps,
                                    const struct jx_json_member *m, size_t n);
static int member_cmp(const void *x, const void *y);
static bool key_eq(const struct jx_json *a, const struct jx_json *b);
static unsigned key_hash(const struct jx_json *k);

/* Bytes a string may hold as they are: 0x20..0x7f but '"' and '\\'. */
/* clang-format off */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
/* clang-format on */

/*
 * Fill d for an error at the current position and return err. Every caller
 * returns at once, so the first error found is the one reported.
 */
static enum jx_err
fail(struct parser *ps, enum jx_err err, const char *fmt, ...)
{
	va_list ap;

	if (ps->d != NULL) {
		ps->d->line = ps->line;
		ps->d->column = column(ps);
		va_start(ap, fmt);
		vsnprintf(ps->d->message, sizeof(ps->d->message), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* A syntax error (JX_EPARSE) at an earlier position: a repeated key. */
static enum jx_err
fail_at(struct parser *ps, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (ps->d != NULL) {
		ps->d->line = line;
		ps->d->column = col;
		va_start(ap, fmt);
		vsnprintf(ps->d->message, sizeof(ps->d->message), fmt, ap);
		va_end(ap);
	}
	return JX_EPARSE;
}

static int
column(const struct parser *ps)
{
	return (int)((size_t)(ps->p - ps->bol) - ps->cont) + 1;
}

/*
 * Whitespace between tokens. Compact JSON has none and common pretty
 * printing one space (", ", ": "): those two cases are decided inline.
 */
static inline void
skip_ws(struct parser *ps)
{
	const unsigned char *p = ps->p;

	if (p < ps->end && p[0] > ' ')
		return;
	if (ps->end - p >= 2 && p[0] == ' ' && p[1] > ' ') {
		ps->p = p + 1;
		return;
	}
	skip_ws_slow(ps);
}

static void
skip_ws_slow(struct parser *ps)
{
	const unsigned char *p = ps->p, *end = ps->end;

	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
		} else if (*p == '\n') {
			p++;
			ps->line++;
			ps->bol = p;
			ps->cont = 0;
		} else {
			break;
		}
	}
	ps->p = p;
}

/* The first byte at or after q that is not plain (or end). */
static const unsigned char *
scan_plain(const unsigned char *q, const unsigned char *end)
{
	return q + jx_text_json_plain(q, (size_t)(end - q), false);
}

/* Four hex digits at p into *out; 0 on success, -1 if not hex. */
static int
hex4(const unsigned char *p, const unsigned char *end, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		unsigned char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* An unexpected byte at ps->p (or the end of input). */
static enum jx_err
unexpected(struct parser *ps, const char *expected)
{
	const unsigned char *p = ps->p;
	size_t n;

	if (p >= ps->end)
		return fail(ps, JX_EPARSE, "意外的输入结束，应为%s", expected);
	if (*p >= 0x21 && *p <= 0x7e)
		return fail(ps, JX_EPARSE, "意外的字符“%c”，应为%s", *p,
		            expected);
	if (*p >= 0x80 && (n = jx_text_utf8_len(p, (size_t)(ps->end - p))) > 0)
		return fail(ps, JX_EPARSE, "意外的字符“%.*s”，应为%s", (int)n,
		            (const char *)p, expected);
	return fail(ps, JX_EPARSE, "意外的字节 0x%02X，应为%s", *p, expected);
}

/*
 * Take the next scratch slot. Values are parsed in place (building one on
 * the C stack and copying it in costs a store-forwarding stall per value);
 * the stack may move while a container's children are parsed, so slots are
 * named by index, never by pointer.
 */
static inline enum jx_err
reserve(struct parser *ps, size_t *slot)
{
	enum jx_err rc;

	if (ps->n == ps->cap && (rc = grow(ps)) != JX_OK)
		return rc;
	*slot = ps->n++;
	return JX_OK;
}

/* Double the scratch stack, moving it to the heap the first time. */
static enum jx_err
grow(struct parser *ps)
{
	struct jx_json *ns;
	size_t ncap = ps->cap * 2;

	if (ps->heap) {
		ns = realloc(ps->stack, ncap * sizeof(*ns));
	} else {
		ns = malloc(ncap * sizeof(*ns));
		if (ns != NULL)
			memcpy(ns, ps->stack, ps->n * sizeof(*ns));
	}
	if (ns == NULL)
		return fail(ps, JX_ENOMEM, "内存不足");
	ps->stack = ns;
	ps->cap = ncap;
	ps->heap = true;
	return JX_OK;
}

/* Parse the value at ps->p (whitespace already skipped) into a slot. */
static enum jx_err
parse_value(struct parser *ps, size_t slot)
{
	struct jx_json *v = &ps->stack[slot];

	if (ps->p >= ps->end)
		return unexpected(ps, "值");
	v->line = ps->line;
	v->column = column(ps);
	switch (*ps->p) {
	case '"':
		return parse_string(ps, v);
	case '{':
		return parse_object(ps, slot);
	case '[':
		return parse_array(ps, slot);
	case 't':
		return parse_literal(ps, v, "true", 4, JX_JSON_TRUE);
	case 'f':
		return parse_literal(ps, v, "false", 5, JX_JSON_FALSE);
	case 'n':
		return parse_literal(ps, v, "null", 4, JX_JSON_NULL);
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		return parse_number(ps, v);
	default:
		return unexpected(ps, "值");
	}
}

/*
 * A string starting at the '"' at ps->p. ASCII goes eight bytes at a time
 * (scan_plain), other text a run of characters at a time
 * (jx_text_utf8_span, which also counts the continuation bytes for the
 * columns: in a local until the string ends or fails).
 */
static enum jx_err
parse_string(struct parser *ps, struct jx_json *v)
{
	const unsigned char *s = ps->p + 1, *q = s, *end = ps->end;
	size_t cont = 0;

	for (;;) {
		q = scan_plain(q, end);
		if (q == end) {
			ps->p = q;
			ps->cont += cont;
			return fail(ps, JX_EPARSE, "字符串没有结束的引号");
		}
		if (*q == '"')
			break;
		if (*q == '\\') {
			ps->cont += cont;
			return parse_escaped(ps, v, s, q);
		}
		if (*q < 0x20) {
			ps->p = q;
			ps->cont += cont;
			return fail(ps, JX_EPARSE,
			            "字符串中有未转义的控制字符 0x%02X", *q);
		}
		q += jx_text_utf8_span(q, (size_t)(end - q), &cont);
		if (q < end && *q >= 0x80) {
			ps->p = q;
			ps->cont += cont;
			return fail(ps, JX_EPARSE, "无效的 UTF-8 字节序列");
		}
	}
	ps->cont += cont;
	v->kind = JX_JSON_STRING;
	v->u.s = (const char *)s;
	v->len = (size_t)(q - s);
	ps->p = q + 1;
	return JX_OK;
}

/*
 * The rest of a string whose content starts at s and whose first escape is
 * at q. Unescapes into the arena: the result is never longer than the raw
 * text, so the raw length (up to the closing quote) bounds the copy.
 */
static enum jx_err
parse_escaped(struct parser *ps, struct jx_json *v, const unsigned char *s,
              const unsigned char *q)
{
	const unsigned char *end = ps->end, *r;
	unsigned char *out, *o;
	uint32_t cp, lo;
	size_t n;

	for (r = q; r < end && *r != '"'; r++)
		if (*r == '\\' && r + 1 < end)
			r++;
	out = jx_arena_alloc(ps->a, (size_t)(r - s) + 1);
	if (out == NULL)
		return fail(ps, JX_ENOMEM, "内存不足");
	memcpy(out, s, (size_t)(q - s));
	o = out + (q - s);
	for (;;) {
		if (q >= end) {
			ps->p = q;
			return fail(ps, JX_EPARSE, "字符串没有结束的引号");
		}
		if (plain[*q]) {
			*o++ = *q++;
			continue;
		}
		if (*q == '"')
			break;
		ps->p = q;
		if (*q < 0x20)
			return fail(ps, JX_EPARSE,
			            "字符串中有未转义的控制字符 0x%02X", *q);
		if (*q >= 0x80) {
			n = jx_text_utf8_len(q, (size_t)(end - q));
			if (n == 0)
				return fail(ps, JX_EPARSE,
				            "无效的 UTF-8 字节序列");
			ps->cont += n - 1;
			memcpy(o, q, n);
			o += n;
			q += n;
			continue;
		}
		/* A backslash. */
		if (q + 1 >= end)
			return fail(ps, JX_EPARSE, "字符串没有结束的引号");
		switch (q[1]) {
		case '"':
		case '\\':
		case '/':
			*o++ = q[1];
			q += 2;
			continue;
		case 'b':
			*o++ = '\b';
			q += 2;
			continue;
		case 'f':
			*o++ = '\f';
			q += 2;
			continue;
		case 'n':
			*o++ = '\n';
			q += 2;
			continue;
		case 'r':
			*o++ = '\r';
			q += 2;
			continue;
		case 't':
			*o++ = '\t';
			q += 2;
			continue;
		case 'u':
			break;
		default:
			return fail(ps, JX_EPARSE, "无效的转义序列“\\%c”",
			            q[1] >= 0x21 && q[1] <= 0x7e ? q[1] : '?');
		}
		if (hex4(q + 2, end, &cp) != JX_OK)
			return fail(ps, JX_EPARSE,
			            "\\u 之后应为四位十六进制数字");
		q += 6;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return fail(ps, JX_EPARSE,
			            "孤立的 UTF-16 低位代理项 \\u%04X", cp);
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (end - q < 6 || q[0] != '\\' || q[1] != 'u' ||
			    hex4(q + 2, end, &lo) != 0 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return fail(ps, JX_EPARSE,
				            "孤立的 UTF-16 高位代理项 \\u%04X",
				            cp);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			q += 6;
		}
		if (cp < 0x80) {
			*o++ = (unsigned char)cp;
		} else if (cp < 0x800) {
			*o++ = (unsigned char)(0xc0 | (cp >> 6));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (unsigned char)(0xe0 | (cp >> 12));
			*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (unsigned char)(0xf0 | (cp >> 18));
			*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
			*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		}
	}
	*o = '\0';
	v->kind = JX_JSON_STRING;
	v->u.s = (const char *)out;
	v->len = (size_t)(o - out);
	ps->p = q + 1;
	return JX_OK;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static enum jx_err
parse_number(struct parser *ps, struct jx_json *v)
{
	const unsigned char *p = ps->p, *end = ps->end, *start = p;

	if (*p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
		if (p < end && *p >= '0' && *p <= '9') {
			ps->p = p;
			return fail(ps, JX_EPARSE, "数字不能有前导零");
		}
	} else if (p < end && *p >= '1' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else {
		ps->p = p;
		return fail(ps, JX_EPARSE, "数字格式无效：“-”之后应为数字");
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9') {
			ps->p = p;
			return fail(ps, JX_EPARSE,
			            "数字格式无效：小数点之后应为数字");
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9') {
			ps->p = p;
			return fail(ps, JX_EPARSE,
			            "数字格式无效：指数之后应为数字");
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	v->kind = JX_JSON_NUMBER;
	v->u.s = (const char *)start;
	v->len = (size_t)(p - start);
	ps->p = p;
	return JX_OK;
}

static enum jx_err
parse_literal(struct parser *ps, struct jx_json *v, const char *word,
              size_t len, enum jx_json_kind k)
{
	if ((size_t)(ps->end - ps->p) < len ||
	    memcmp(ps->p, word, len) != JX_OK)
		return unexpected(ps, "值");
	v->kind = k;
	v->len = 0;
	v->u.s = NULL;
	ps->p += len;
	return JX_OK;
}

/* Enter the array or object whose opening bracket is at ps->p: one level
 * deeper (JX_ETOOBIG past JX_MAX_JSON_DEPTH), past the bracket and white
 * space. *empty when `close` follows at once (then past it too). */
static enum jx_err
container_open(struct parser *ps, char close, bool *empty)
{
	if (++ps->depth > JX_MAX_JSON_DEPTH)
		return fail(ps, JX_ETOOBIG, "嵌套超过 %d 层",
		            JX_MAX_JSON_DEPTH);
	ps->p++;
	skip_ws(ps);
	*empty = ps->p < ps->end && *ps->p == close;
	if (*empty)
		ps->p++;
	return JX_OK;
}

/* After an element or member: a ',' and another one (*more; a comma just
 * before `close` is refused with the message `trailing`) or `close`, past
 * which the container ends. Anything else: "expected" was expected. */
static enum jx_err
container_next(struct parser *ps, char close, const char *trailing,
               const char *expected, bool *more)
{
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ',') {
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == close)
			return fail(ps, JX_EPARSE, "%s", trailing);
		*more = true;
		return JX_OK;
	}
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		*more = false;
		return JX_OK;
	}
	return unexpected(ps, expected);
}

static enum jx_err
parse_array(struct parser *ps, size_t slot)
{
	size_t base = ps->n, n = 0, item;
	struct jx_json *v, *items = NULL;
	enum jx_err rc;
	bool empty = false, more = true;

	if ((rc = container_open(ps, ']', &empty)) != JX_OK)
		return rc;
	if (empty)
		goto done;
	while (more) {
		if ((rc = reserve(ps, &item)) != JX_OK ||
		    (rc = parse_value(ps, item)) != JX_OK ||
		    (rc = container_next(ps, ']', "数组末尾不能有多余的逗号",
		                         "“,”或“]”", &more)) != JX_OK)
			return rc;
	}
	n = ps->n - base;
	items = jx_arena_alloc(ps->a, n * sizeof(*items));
	if (items == NULL)
		return fail(ps, JX_ENOMEM, "内存不足");
	memcpy(items, ps->stack + base, n * sizeof(*items));
	ps->n = base;
done:
	v = &ps->stack[slot];
	v->kind = JX_JSON_ARRAY;
	v->len = n;
	v->u.items = items;
	ps->depth--;
	return JX_OK;
}

static enum jx_err
parse_object(struct parser *ps, size_t slot)
{
	size_t base = ps->n, n = 0, i, key, val;
	struct jx_json *v, *k;
	struct jx_json_member *m = NULL;
	enum jx_err rc;
	bool empty = false, more = true;

	if ((rc = container_open(ps, '}', &empty)) != JX_OK)
		return rc;
	if (empty)
		goto done;
	while (more) {
		if (ps->p >= ps->end || *ps->p != '"')
			return unexpected(ps, "字符串形式的键");
		if ((rc = reserve(ps, &key)) != JX_OK)
			return rc;
		k = &ps->stack[key];
		k->line = ps->line;
		k->column = column(ps);
		if ((rc = parse_string(ps, k)) != JX_OK)
			return rc;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':')
			return unexpected(ps, "“:”");
		ps->p++;
		skip_ws(ps);
		if ((rc = reserve(ps, &val)) != JX_OK ||
		    (rc = parse_value(ps, val)) != JX_OK ||
		    (rc = container_next(ps, '}', "对象末尾不能有多余的逗号",
		                         "“,”或“}”", &more)) != JX_OK)
			return rc;
	}
	n = (ps->n - base) / 2;
	m = jx_arena_alloc(ps->a, n * sizeof(*m));
	if (m == NULL)
		return fail(ps, JX_ENOMEM, "内存不足");
	for (i = 0; i < n; i++) {
		m[i].key = ps->stack[base + 2 * i];
		m[i].value = ps->stack[base + 2 * i + 1];
	}
	ps->n = base;
	if ((rc = check_duplicates(ps, m, n)) != JX_OK)
		return rc;
done:
	v = &ps->stack[slot];
	v->kind = JX_JSON_OBJECT;
	v->len = n;
	v->u.members = m;
	ps->depth--;
	return JX_OK;
}

/* Keys mostly differ in length or at an end ("level1", "level2"): test
 * those before calling memcmp. */
static bool
key_eq(const struct jx_json *a, const struct jx_json *b)
{
	if (a->len != b->len)
		return false;
	if (a->len == 0)
		return true;
	return a->u.s[0] == b->u.s[0] &&
	       a->u.s[a->len - 1] == b->u.s[a->len - 1] &&
	       memcmp(a->u.s, b->u.s, a->len) == 0;
}

/* A number in 0..63 that equal keys share: length, first and last byte. */
static unsigned
key_hash(const struct jx_json *k)
{
	const unsigned char *u = (const unsigned char *)k->u.s;

	if (k->len == 0)
		return 0;
	return (unsigned)(k->len * 7 + u[0] * 3 + u[k->len - 1]) & 63;
}

/* Order members by key, then by position, for the duplicate check. */
static int
member_cmp(const void *x, const void *y)
{
	const struct jx_json_member *a =
	        *(const struct jx_json_member *const *)x;
	const struct jx_json_member *b =
	        *(const struct jx_json_member *const *)y;
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int c = memcmp(a->key.u.s, b->key.u.s, n);

	if (c != 0)
		return c;
	if (a->key.len != b->key.len)
		return a->key.len < b->key.len ? -1 : 1;
	return a < b ? -1 : a > b;
}

/*
 * Refuse a key given twice, reporting the first repeated occurrence in
 * document order. Pairwise for small objects; sorting for big ones, so a
 * hostile object of a million keys costs n log n, not n squared.
 */
static enum jx_err
check_duplicates(struct parser *ps, const struct jx_json_member *m, size_t n)
{
	const struct jx_json_member **idx, *dup = NULL;
	uint64_t seen = 0, bit;
	size_t i, j;

	if (n <= SMALL_OBJECT) {
		/* Only a key whose hash an earlier key had can repeat one:
		 * the others (nearly all) skip the pairwise comparison. */
		for (i = 0; i < n && dup == NULL; i++) {
			bit = UINT64_C(1) << key_hash(&m[i].key);
			if (seen & bit) {
				for (j = 0; j < i; j++)
					if (key_eq(&m[i].key, &m[j].key)) {
						dup = &m[i];
						break;
					}
			}
			seen |= bit;
		}
	} else {
		idx = jx_arena_alloc(ps->a, n * sizeof(*idx));
		if (idx == NULL)
			return fail(ps, JX_ENOMEM, "内存不足");
		for (i = 0; i < n; i++)
			idx[i] = &m[i];
		qsort(idx, n, sizeof(*idx), member_cmp);
		for (i = 1; i < n; i++)
			if (key_eq(&idx[i]->key, &idx[i - 1]->key) &&
			    (dup == NULL || idx[i] < dup))
				dup = idx[i];
	}
	if (dup == NULL)
		return JX_OK;
	return fail_at(
	        ps, dup->key.line, dup->key.column, "对象中的键“%.*s”重复",
	        (int)(dup->key.len > 200 ? 200 : dup->key.len), dup->key.u.s);
}

enum jx_err
jx_json_parse(const char *buf, size_t len, int line, struct jx_arena *a,
              const struct jx_json **out, struct jx_diag *d)
{
	struct jx_json local[LOCAL_STACK], *rootp;
	size_t root;
	struct parser ps;
	enum jx_err rc;

	if (a == NULL || out == NULL || (buf == NULL && len > 0)) {
		if (d != NULL)
			snprintf(d->message, sizeof(d->message), "参数无效");
		return JX_EINVAL;
	}
	if (buf == NULL)
		buf = ""; /* len is 0: no arithmetic on a null pointer */
	memset(&ps, 0, sizeof(ps));
	ps.p = (const unsigned char *)buf;
	ps.end = ps.p + len;
	ps.bol = ps.p;
	ps.line = line > 0 ? line : 1;
	ps.a = a;
	ps.stack = local;
	ps.cap = LOCAL_STACK;
	ps.d = d;
	if (len > JX_MAX_RECORD_BYTES) {
		rc = fail(&ps, JX_ETOOBIG, "JSON 文本超过 %u 字节的上限",
		          (unsigned)JX_MAX_RECORD_BYTES);
		goto done;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		ps.p += 3;
		ps.bol = ps.p;
	}
	skip_ws(&ps);
	if (ps.p == ps.end) {
		rc = fail(&ps, JX_EPARSE, "内容为空，应为一个 JSON 值");
		goto done;
	}
	if ((rc = reserve(&ps, &root)) != JX_OK ||
	    (rc = parse_value(&ps, root)) != JX_OK)
		goto done;
	skip_ws(&ps);
	if (ps.p != ps.end) {
		rc = fail(&ps, JX_EPARSE, "JSON 值之后有多余的内容");
		goto done;
	}
	rootp = jx_arena_alloc(a, sizeof(*rootp));
	if (rootp == NULL) {
		rc = fail(&ps, JX_ENOMEM, "内存不足");
		goto done;
	}
	*rootp = ps.stack[root];
	*out = rootp;
done:
	if (ps.heap)
		free(ps.stack);
	return rc;
}

const struct jx_json *
jx_json_get(const struct jx_json *obj, const char *key)
{
	size_t i, len;

	if (obj == NULL || obj->kind != JX_JSON_OBJECT || key == NULL)
		return NULL;
	len = strlen(key);
	for (i = 0; i < obj->len; i++)
		if (obj->u.members[i].key.len == len &&
		    memcmp(obj->u.members[i].key.u.s, key, len) == 0)
			return &obj->u.members[i].value;
	return NULL;
}

bool
jx_json_eq(const struct jx_json *v, const char *s, size_t len)
{
	return v != NULL && v->kind == JX_JSON_STRING && v->len == len &&
	       (len == 0 || memcmp(v->u.s, s, len) == 0);
}

const char *
jx_json_kind_name(enum jx_json_kind kind)
{
	switch (kind) {
	case JX_JSON_NULL:
		return "null";
	case JX_JSON_FALSE:
	case JX_JSON_TRUE:
		return "布尔值";
	case JX_JSON_NUMBER:
		return "数字";
	case JX_JSON_STRING:
		return "字符串";
	case JX_JSON_ARRAY:
		return "数组";
	case JX_JSON_OBJECT:
		return "对象";
	}
	return "未知类型";
}
