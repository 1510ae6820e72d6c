/*
 * evaljson.c - the interchange format (docs/format.md): a self-evaluation as
 * one JSON object, and the result of checking one.
 *
 * Reading parses the buffer with json.c into a scratch tree in the
 * evaluation's own arena and maps it onto struct jx_eval through one field
 * table per object type, so that every field is named, typed and checked in
 * one place. Errors name the field path ("indicators[3].weight") and the
 * position of the offending value. Writing emits the same shape with keys
 * in a fixed order and unstated fields left out, so that read, write and
 * read again give the same struct and the same bytes.
 *
 * This module neither scores nor audits (score.h, audit.h); it only formats
 * their results. It does not open files.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jx/evaljson.h"
#include "jx/json.h"
#include "jx/limits.h"

#define PATH_MAX_SEGS 8  /* deepest field: funds.levels.X[1] */
#define QUOTE_MAX     60 /* bytes of a wrong value quoted in a message */

/* How a field's JSON value maps onto its C member. */
enum ftype {
	FT_TEXT,  /* string or null -> const char * */
	FT_VTEXT, /* string, number (its literal) or null -> const char * */
	FT_DEC,   /* number, numeric string, "" or null -> struct jx_opt */
	FT_PCT,   /* number (percent), "98.06%", "" or null -> jx_opt */
	FT_YEAR,  /* integer -> int */
	FT_KIND,  /* "self" or "monitoring" -> const char * */
	FT_FUNDS, /* object -> struct jx_funds */
	FT_GOALS, /* array of objects -> goals, ngoals */
	FT_INDICATORS, /* array of objects -> indicators, nindicators */
	FT_EXEC_RATE,  /* funds.exec_rate_stated: text and percent */
	FT_SOURCES,    /* object of rows -> sources, nsources */
	FT_LEVELS      /* object of rows -> levels, nlevels */
};

struct field {
	const char *name;
	unsigned char len;
	unsigned char type;
	unsigned short off;
};

#define F(st, key, type, member)                                               \
	{                                                                      \
		key, sizeof(key) - 1, type, offsetof(st, member)               \
	}

static const struct field eval_fields[] = {
        F(struct jx_eval, "id", FT_TEXT, id),
        F(struct jx_eval, "title", FT_TEXT, title),
        F(struct jx_eval, "unit", FT_TEXT, unit),
        F(struct jx_eval, "department", FT_TEXT, department),
        F(struct jx_eval, "year", FT_YEAR, year),
        F(struct jx_eval, "kind", FT_KIND, kind),
        F(struct jx_eval, "rules", FT_TEXT, rules),
        F(struct jx_eval, "funds", FT_FUNDS, funds),
        F(struct jx_eval, "goals", FT_GOALS, goals),
        F(struct jx_eval, "indicators", FT_INDICATORS, indicators),
        F(struct jx_eval, "total_weight_stated", FT_DEC, total_weight_stated),
        F(struct jx_eval, "total_score_stated", FT_DEC, total_score_stated),
        F(struct jx_eval, "grade_stated", FT_TEXT, grade_stated),
};

static const struct field funds_fields[] = {
        F(struct jx_funds, "unit", FT_TEXT, unit),
        F(struct jx_funds, "period", FT_TEXT, period),
        F(struct jx_funds, "initial_budget", FT_DEC, total.initial),
        F(struct jx_funds, "annual_budget", FT_DEC, total.annual),
        F(struct jx_funds, "received", FT_DEC, total.received),
        F(struct jx_funds, "executed", FT_DEC, total.executed),
        F(struct jx_funds, "balance_stated", FT_DEC, total.balance_stated),
        F(struct jx_funds, "received_rate_stated", FT_PCT,
          total.received_rate_stated),
        F(struct jx_funds, "exec_rate_stated", FT_EXEC_RATE, exec_rate_text),
        F(struct jx_funds, "exec_weight", FT_DEC, exec_weight),
        F(struct jx_funds, "exec_score_stated", FT_DEC, exec_score_stated),
        F(struct jx_funds, "sources", FT_SOURCES, sources),
        F(struct jx_funds, "levels", FT_LEVELS, levels),
};

static const struct field row_fields[] = {
        F(struct jx_fund_row, "initial", FT_DEC, initial),
        F(struct jx_fund_row, "annual", FT_DEC, annual),
        F(struct jx_fund_row, "received", FT_DEC, received),
        F(struct jx_fund_row, "executed", FT_DEC, executed),
        F(struct jx_fund_row, "balance_stated", FT_DEC, balance_stated),
        F(struct jx_fund_row, "received_rate_stated", FT_PCT,
          received_rate_stated),
        F(struct jx_fund_row, "exec_rate_stated", FT_PCT, exec_rate_stated),
};

static const struct field goal_fields[] = {
        F(struct jx_goal, "expected", FT_TEXT, expected),
        F(struct jx_goal, "achieved", FT_TEXT, achieved),
};

static const struct field ind_fields[] = {
        F(struct jx_indicator, "level1", FT_TEXT, level1),
        F(struct jx_indicator, "level2", FT_TEXT, level2),
        F(struct jx_indicator, "name", FT_TEXT, name),
        F(struct jx_indicator, "target", FT_VTEXT, target),
        F(struct jx_indicator, "actual", FT_VTEXT, actual),
        F(struct jx_indicator, "weight", FT_DEC, weight),
        F(struct jx_indicator, "score_stated", FT_DEC, score_stated),
        F(struct jx_indicator, "completion_stated", FT_VTEXT,
          completion_stated),
        F(struct jx_indicator, "deviation_reason", FT_TEXT, deviation_reason),
        F(struct jx_indicator, "unit", FT_TEXT, unit),
        F(struct jx_indicator, "nature", FT_TEXT, nature),
};

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* One step of a field path: a key, or an index when key is NULL. */
struct seg {
	const char *key;
	size_t len;
	size_t idx;
};

/* Reading state. */
struct rd {
	struct jx_eval *e;
	struct jx_diag *d;
	struct seg path[PATH_MAX_SEGS];
	int depth;
	uintptr_t in, in_end; /* the input buffer, see in_input */
};

/* Writing state: the first error sticks and later appends do nothing. */
struct wr {
	struct jx_buf *b;
	enum jx_err err;
};

static void path_push(struct rd *rd, const char *key, size_t len, size_t idx);
static void path_pop(struct rd *rd);
static void path_format(const struct rd *rd, char *buf, size_t cap);
static enum jx_err fail(struct rd *rd, enum jx_err err, const struct jx_json *v,
                        const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static enum jx_err type_error(struct rd *rd, const struct jx_json *v,
                              const char *want);
static size_t clip_utf8(const char *s, size_t len, size_t max);
static bool has_exponent(const char *s, size_t len);
static bool in_input(const struct rd *rd, const char *s);
static enum jx_err num_to_dec(const char *s, size_t len, jx_dec *out);
static bool plain_decimal(const char *s, size_t len);
static enum jx_err pct_parse(const char *s, size_t len, jx_dec *out);
static enum jx_err get_text(struct rd *rd, const struct jx_json *v,
                            bool number_ok, const char **out);
static enum jx_err get_dec(struct rd *rd, const struct jx_json *v,
                           struct jx_opt *out);
static enum jx_err get_pct(struct rd *rd, const struct jx_json *v,
                           struct jx_opt *out);
static enum jx_err get_year(struct rd *rd, const struct jx_json *v, int *out);
static enum jx_err get_kind(struct rd *rd, const struct jx_json *v,
                            const char **out);
static enum jx_err get_exec_rate(struct rd *rd, const struct jx_json *v,
                                 struct jx_funds *f);
static bool key_is(const struct field *f, const struct jx_json *key);
static enum jx_err map_object(struct rd *rd, const struct jx_json *obj,
                              const struct field *tab, size_t ntab, void *base);
static enum jx_err set_field(struct rd *rd, const struct field *f,
                             const struct jx_json *v, void *base);
static enum jx_err get_array(struct rd *rd, const struct jx_json *v, size_t max,
                             size_t size, void **out, size_t *n);
static enum jx_err get_funds(struct rd *rd, const struct jx_json *v);
static enum jx_err get_rows(struct rd *rd, const struct jx_json *v,
                            struct jx_fund_row **out, size_t *n);
static enum jx_err get_row(struct rd *rd, const struct jx_json *v,
                           struct jx_fund_row *row);
static enum jx_err get_goals(struct rd *rd, const struct jx_json *v);
static enum jx_err get_indicators(struct rd *rd, const struct jx_json *v);

static void w_raw(struct wr *w, const char *s, size_t len);
static void w_str(struct wr *w, const char *s);
static void w_key(struct wr *w, int *n, const char *key);
static void w_text(struct wr *w, int *n, const char *key, const char *s);
static void w_textn(struct wr *w, int *n, const char *key, const char *s);
static void w_dec(struct wr *w, jx_dec v);
static void w_uint(struct wr *w, size_t v);
static void w_int(struct wr *w, int v);
static void w_opt(struct wr *w, int *n, const char *key,
                  const struct jx_opt *o);
static void w_decn(struct wr *w, int *n, const char *key, jx_dec v);
static void w_pct(struct wr *w, int *n, const char *key, jx_dec fraction);
static void w_row(struct wr *w, const struct jx_fund_row *r);
static void w_rows(struct wr *w, int *n, const char *key,
                   const struct jx_fund_row *rows, size_t nrows);
static void w_funds(struct wr *w, const struct jx_funds *f);
static void w_indicator(struct wr *w, const struct jx_indicator *ind);
static enum jx_err w_finish(struct wr *w, size_t start);
static const char *outcome_code(enum jx_outcome o);
static const char *kind_code(enum jx_score_kind k);
static const char *problem_code(enum jx_score_problem p);
static void w_value(struct wr *w, int *n, const char *key,
                    const struct jx_value *v, const char *written);
static void w_ind_result(struct wr *w, const struct jx_indicator *ind,
                         const struct jx_rules *r,
                         const struct jx_ind_result *ir);
static void w_finding(struct wr *w, const struct jx_finding *f);

/* --- reading -------------------------------------------------------- */

static void
path_push(struct rd *rd, const char *key, size_t len, size_t idx)
{
	/* Deeper than the format goes cannot happen: the walk is fixed. */
	if (rd->depth < PATH_MAX_SEGS) {
		rd->path[rd->depth].key = key;
		rd->path[rd->depth].len = len;
		rd->path[rd->depth].idx = idx;
	}
	rd->depth++;
}

static void
path_pop(struct rd *rd)
{
	rd->depth--;
}

/* "indicators[3].weight", "funds.sources.当年财政拨款[1]" */
static void
path_format(const struct rd *rd, char *buf, size_t cap)
{
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < rd->depth && i < PATH_MAX_SEGS; i++) {
		const struct seg *s = &rd->path[i];

		if (s->key != NULL)
			n = snprintf(buf + used, cap - used, "%s%.*s",
			             used > 0 ? "." : "",
			             (int)clip_utf8(s->key, s->len, 120),
			             s->key);
		else
			n = snprintf(buf + used, cap - used, "[%zu]", s->idx);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
}

/* Fill d for value v (its position, the current path) and return err. */
static enum jx_err
fail(struct rd *rd, enum jx_err err, const struct jx_json *v, const char *fmt,
     ...)
{
	va_list ap;

	if (rd->d == NULL)
		return err;
	if (v != NULL) {
		rd->d->line = v->line;
		rd->d->column = v->column;
	}
	path_format(rd, rd->d->field, sizeof(rd->d->field));
	va_start(ap, fmt);
	vsnprintf(rd->d->message, sizeof(rd->d->message), fmt, ap);
	va_end(ap);
	return err;
}

/* "应为数字，实为字符串“十”" */
static enum jx_err
type_error(struct rd *rd, const struct jx_json *v, const char *want)
{
	size_t n;

	if (v->kind == JX_JSON_STRING || v->kind == JX_JSON_NUMBER) {
		n = clip_utf8(v->u.s, v->len, QUOTE_MAX);
		return fail(rd, JX_EINVAL, v, "应为%s，实为%s“%.*s%s”", want,
		            jx_json_kind_name(v->kind), (int)n, v->u.s,
		            n < v->len ? "…" : "");
	}
	return fail(rd, JX_EINVAL, v, "应为%s，实为%s", want,
	            jx_json_kind_name(v->kind));
}

/* The longest prefix of s[0..len) of at most max bytes that does not split
 * a UTF-8 sequence (the input is valid UTF-8). */
static size_t
clip_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* A JSON number literal with an exponent ("1.5e2"). */
static bool
has_exponent(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == 'e' || s[i] == 'E')
			return true;
	return false;
}

/*
 * True when string s points into the input buffer: json.c left it as
 * written because it had no escape, and a raw NUL, like every control
 * character, is refused in a string; so only an unescaped string (copied
 * into the arena) can hold a NUL, from "\u0000".
 */
static bool
in_input(const struct rd *rd, const char *s)
{
	return (uintptr_t)s >= rd->in && (uintptr_t)s < rd->in_end;
}

/*
 * A JSON number literal as a decimal. Without an exponent it is plain
 * decimal text; with one, the point is moved in the digits first, so
 * "1.5e2" is 150 and "1e-7" is refused like "0.0000001". JX_EPARSE for
 * precision past six places, JX_ETOOBIG for a value that does not fit.
 */
static enum jx_err
num_to_dec(const char *s, size_t len, jx_dec *out)
{
	char digits[32], text[48];
	const char *e = NULL, *p;
	size_t i, ndig = 0, sig = 0, t = 0;
	long point = 0, exp = 0, frac;
	bool neg = false, seen = false, eneg = false;

	for (i = 0; i < len; i++)
		if (s[i] == 'e' || s[i] == 'E') {
			e = s + i;
			break;
		}
	if (e == NULL)
		return jx_dec_parse(s, len, out);
	for (p = e + 1; p < s + len; p++) {
		if (*p == '-')
			eneg = true;
		else if (*p != '+' && exp < 1000000)
			exp = exp * 10 + (*p - '0');
	}
	if (eneg)
		exp = -exp;
	/* Significant digits (leading zeros dropped) and the position of the
	 * point relative to the first of them. */
	for (p = s; p < e; p++) {
		if (*p == '-') {
			neg = true;
		} else if (*p == '.') {
			seen = true;
		} else if (*p == '0' && ndig == 0) {
			if (seen)
				point--;
		} else {
			if (ndig < sizeof(digits))
				digits[ndig] = *p;
			ndig++;
			if (*p != '0')
				sig = ndig;
			if (!seen)
				point++;
		}
	}
	if (sig == 0) {
		*out = 0;
		return JX_OK;
	}
	point += exp;
	if (point > 19)
		return JX_ETOOBIG;
	frac = (long)sig - point;
	if (frac > JX_DEC_PLACES)
		return JX_EPARSE;
	/* Now sig <= point + 6 <= 25 digits, and the text fits. */
	if (neg)
		text[t++] = '-';
	if (point <= 0) {
		text[t++] = '0';
		text[t++] = '.';
		for (; point < 0; point++)
			text[t++] = '0';
		memcpy(text + t, digits, sig);
		t += sig;
	} else {
		for (i = 0; i < (size_t)point; i++)
			text[t++] = i < sig ? digits[i] : '0';
		if (frac > 0) {
			text[t++] = '.';
			memcpy(text + t, digits + point, (size_t)frac);
			t += (size_t)frac;
		}
	}
	return jx_dec_parse(text, t, out);
}

/* Text jx_dec_parse would accept but for its precision: [+-]d*[.d+]. */
static bool
plain_decimal(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.') {
		if (i + 1 == len)
			return false;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	return i == len && digits > 0;
}

/* "98.06%", "100 %", "100％" or "100" as percent. */
static enum jx_err
pct_parse(const char *s, size_t len, jx_dec *out)
{
	while (len > 0 && s[0] == ' ') {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len >= 1 && s[len - 1] == '%')
		len--;
	else if (len >= 3 && memcmp(s + len - 3, "\xef\xbc\x85", 3) == 0)
		len -= 3;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	return jx_dec_parse(s, len, out);
}

static enum jx_err
get_text(struct rd *rd, const struct jx_json *v, bool number_ok,
         const char **out)
{
	const char *text = v->u.s;
	size_t len = v->len;
	char num[48], *s;
	jx_dec x;

	if (v->kind == JX_JSON_NULL) {
		*out = NULL;
		return JX_OK;
	}
	if (v->kind != JX_JSON_STRING &&
	    !(number_ok && v->kind == JX_JSON_NUMBER))
		return type_error(rd, v, number_ok ? "字符串或数字" : "字符串");
	if (len > JX_MAX_TEXT)
		return fail(rd, JX_ETOOBIG, v,
		            "文本长 %zu 字节，超过 %d 字节的上限", len,
		            JX_MAX_TEXT);
	if (v->kind == JX_JSON_NUMBER && !has_exponent(text, len)) {
		/* a number stands as its literal: 100.00 stays "100.00" */
	} else if (v->kind == JX_JSON_NUMBER &&
	           num_to_dec(text, len, &x) == JX_OK) {
		/* but an exponent is written out, as a person would: the
		 * value parsers read "66.67", not "0.6667e2" */
		len = jx_dec_format(x, -1, num, sizeof(num));
		text = num;
	} else if (!in_input(rd, text) && memchr(text, '\0', len) != NULL) {
		return fail(rd, JX_EINVAL, v,
		            "文本中不能含有 NUL 字符（\\u0000）");
	}
	s = jx_arena_strndup(&rd->e->arena, text, len);
	if (s == NULL)
		return fail(rd, JX_ENOMEM, v, "内存不足");
	*out = s;
	return JX_OK;
}

static enum jx_err
get_dec(struct rd *rd, const struct jx_json *v, struct jx_opt *out)
{
	enum jx_err err;
	jx_dec x;

	switch (v->kind) {
	case JX_JSON_NULL:
		out->set = false;
		return JX_OK;
	case JX_JSON_NUMBER:
		err = num_to_dec(v->u.s, v->len, &x);
		break;
	case JX_JSON_STRING:
		if (v->len == 0) {
			out->set = false;
			return JX_OK;
		}
		if (!plain_decimal(v->u.s, v->len))
			return type_error(rd, v, "数字");
		err = jx_dec_parse(v->u.s, v->len, &x);
		break;
	default:
		return type_error(rd, v, "数字");
	}
	if (err == JX_ETOOBIG)
		return fail(rd, JX_EINVAL, v, "数值超出可表示的范围");
	if (err != JX_OK)
		return fail(rd, JX_EINVAL, v, "小数位数超过 %d 位",
		            JX_DEC_PLACES);
	out->v = x;
	out->set = true;
	return JX_OK;
}

static enum jx_err
get_pct(struct rd *rd, const struct jx_json *v, struct jx_opt *out)
{
	enum jx_err err;
	jx_dec x;

	if (v->kind != JX_JSON_STRING)
		return get_dec(rd, v, out);
	if (v->len == 0) {
		out->set = false;
		return JX_OK;
	}
	err = pct_parse(v->u.s, v->len, &x);
	if (err == JX_ETOOBIG)
		return fail(rd, JX_EINVAL, v, "数值超出可表示的范围");
	if (err != JX_OK)
		return type_error(rd, v, "百分比（如“98.06%”或数字 98.06）");
	out->v = x;
	out->set = true;
	return JX_OK;
}

static enum jx_err
get_year(struct rd *rd, const struct jx_json *v, int *out)
{
	int y = 0;
	size_t i;

	if (v->kind == JX_JSON_NULL) {
		*out = 0;
		return JX_OK;
	}
	if (v->kind != JX_JSON_NUMBER && v->kind != JX_JSON_STRING)
		return type_error(rd, v, "年份（整数）");
	for (i = 0; i < v->len && i < 5; i++) {
		if (v->u.s[i] < '0' || v->u.s[i] > '9')
			break;
		y = y * 10 + (v->u.s[i] - '0');
	}
	if (v->len == 0 || i != v->len || y < 1 || y > 9999)
		return type_error(rd, v, "年份（1 到 9999 的整数）");
	*out = y;
	return JX_OK;
}

static enum jx_err
get_kind(struct rd *rd, const struct jx_json *v, const char **out)
{
	if (v->kind == JX_JSON_NULL)
		return get_text(rd, v, false, out);
	if (jx_json_eq(v, "self", 4) || jx_json_eq(v, "monitoring", 10))
		return get_text(rd, v, false, out);
	return type_error(rd, v, "“self”或“monitoring”");
}

/*
 * funds.exec_rate_stated: kept as written in exec_rate_text (a number as
 * its literal) and read as percent into total.exec_rate_stated. Text that
 * is not a percentage ("—") is kept, and the rate counts as not stated.
 */
static enum jx_err
get_exec_rate(struct rd *rd, const struct jx_json *v, struct jx_funds *f)
{
	enum jx_err err;
	jx_dec x;

	if ((err = get_text(rd, v, true, &f->exec_rate_text)) != JX_OK)
		return err;
	if (v->kind == JX_JSON_NUMBER)
		return get_dec(rd, v, &f->total.exec_rate_stated);
	if (v->kind == JX_JSON_STRING && v->len > 0) {
		err = pct_parse(v->u.s, v->len, &x);
		if (err == JX_ETOOBIG)
			return fail(rd, JX_EINVAL, v, "数值超出可表示的范围");
		if (err == JX_OK) {
			f->total.exec_rate_stated.v = x;
			f->total.exec_rate_stated.set = true;
		}
	}
	return JX_OK;
}

/*
 * True when key (a JSON string) is f's name. Names are short: compare them
 * eight or four bytes at a time, the last load overlapping the one before,
 * rather than call memcmp for a dozen bytes.
 */
static bool
key_is(const struct field *f, const struct jx_json *key)
{
	const char *a = f->name, *b = key->u.s;
	size_t i, n = key->len;
	uint64_t x, y;
	uint32_t u, v, u2, v2;

	if (f->len != n)
		return false;
	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		memcpy(&u2, a + n - 4, 4);
		memcpy(&v2, b + n - 4, 4);
		return u == v && u2 == v2;
	}
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Map each member of obj that tab names onto base; others are ignored. */
static enum jx_err
map_object(struct rd *rd, const struct jx_json *obj, const struct field *tab,
           size_t ntab, void *base)
{
	const struct jx_json_member *m;
	const struct field *f = NULL;
	enum jx_err err;
	size_t i, j, k, next = 0;

	if (obj->kind != JX_JSON_OBJECT)
		return type_error(rd, obj, "对象");
	for (i = 0; i < obj->len; i++) {
		m = &obj->u.members[i];
		/* Writers list keys in table order: start looking just after
		 * the last match, so the usual lookup takes one comparison.
		 * (k wraps by a test: a % is a division, slow here.) */
		for (j = 0, k = next; j < ntab;
		     j++, k = k + 1 < ntab ? k + 1 : 0) {
			f = &tab[k];
			if (key_is(f, &m->key))
				break;
		}
		if (j == ntab)
			continue;
		next = k + 1 < ntab ? k + 1 : 0;
		path_push(rd, f->name, f->len, 0);
		err = set_field(rd, f, &m->value, base);
		path_pop(rd);
		if (err != JX_OK)
			return err;
	}
	return JX_OK;
}

static enum jx_err
set_field(struct rd *rd, const struct field *f, const struct jx_json *v,
          void *base)
{
	char *at = (char *)base + f->off;

	switch ((enum ftype)f->type) {
	case FT_TEXT:
		return get_text(rd, v, false, (const char **)(void *)at);
	case FT_VTEXT:
		return get_text(rd, v, true, (const char **)(void *)at);
	case FT_DEC:
		return get_dec(rd, v, (struct jx_opt *)(void *)at);
	case FT_PCT:
		return get_pct(rd, v, (struct jx_opt *)(void *)at);
	case FT_YEAR:
		return get_year(rd, v, (int *)(void *)at);
	case FT_KIND:
		return get_kind(rd, v, (const char **)(void *)at);
	case FT_FUNDS:
		return get_funds(rd, v);
	case FT_GOALS:
		return get_goals(rd, v);
	case FT_INDICATORS:
		return get_indicators(rd, v);
	case FT_EXEC_RATE:
		return get_exec_rate(rd, v, base);
	case FT_SOURCES:
		return get_rows(rd, v, &rd->e->funds.sources,
		                &rd->e->funds.nsources);
	case FT_LEVELS:
		return get_rows(rd, v, &rd->e->funds.levels,
		                &rd->e->funds.nlevels);
	}
	return fail(rd, JX_EINVAL, v, "内部错误：未知的字段类型");
}

/* A zeroed array of v->len elements of `size` bytes for JSON array v. */
static enum jx_err
get_array(struct rd *rd, const struct jx_json *v, size_t max, size_t size,
          void **out, size_t *n)
{
	void *p;

	if (v->kind == JX_JSON_NULL) {
		*out = NULL;
		*n = 0;
		return JX_OK;
	}
	if (v->kind != JX_JSON_ARRAY)
		return type_error(rd, v, "数组");
	if (v->len > max)
		return fail(rd, JX_ETOOBIG, v, "共 %zu 项，超过 %zu 项的上限",
		            v->len, max);
	p = v->len > 0 ? jx_arena_calloc(&rd->e->arena, v->len, size) : NULL;
	if (v->len > 0 && p == NULL)
		return fail(rd, JX_ENOMEM, v, "内存不足");
	*out = p;
	*n = v->len;
	return JX_OK;
}

static enum jx_err
get_funds(struct rd *rd, const struct jx_json *v)
{
	struct jx_funds *f = &rd->e->funds;
	enum jx_err err;

	if (v->kind == JX_JSON_NULL)
		return JX_OK;
	if ((err = map_object(rd, v, funds_fields, NFIELDS(funds_fields), f)) !=
	    JX_OK)
		return err;
	if (f->unit == NULL)
		f->unit =
		        jx_arena_strndup(&rd->e->arena, "万元", strlen("万元"));
	f->total.name = jx_arena_strndup(&rd->e->arena, "年度资金总额",
	                                 strlen("年度资金总额"));
	if (f->unit == NULL || f->total.name == NULL)
		return fail(rd, JX_ENOMEM, v, "内存不足");
	rd->e->has_funds = true;
	return JX_OK;
}

/* funds.sources or funds.levels: {"name": row, ...} in document order. */
static enum jx_err
get_rows(struct rd *rd, const struct jx_json *v, struct jx_fund_row **out,
         size_t *n)
{
	struct jx_fund_row *rows = NULL;
	const struct jx_json_member *m;
	enum jx_err err = JX_OK;
	size_t i;

	if (v->kind == JX_JSON_NULL) {
		*out = NULL;
		*n = 0;
		return JX_OK;
	}
	if (v->kind != JX_JSON_OBJECT)
		return type_error(rd, v, "对象（资金来源名称 → 数额）");
	if (v->len > JX_MAX_FUND_ROWS)
		return fail(rd, JX_ETOOBIG, v, "共 %zu 行，超过 %d 行的上限",
		            v->len, JX_MAX_FUND_ROWS);
	if (v->len > 0) {
		rows = jx_arena_calloc(&rd->e->arena, v->len, sizeof(*rows));
		if (rows == NULL)
			return fail(rd, JX_ENOMEM, v, "内存不足");
	}
	for (i = 0; i < v->len && err == JX_OK; i++) {
		m = &v->u.members[i];
		path_push(rd, m->key.u.s, m->key.len, 0);
		err = get_text(rd, &m->key, false, &rows[i].name);
		if (err == JX_OK)
			err = get_row(rd, &m->value, &rows[i]);
		path_pop(rd);
	}
	if (err == JX_OK) {
		*out = rows;
		*n = v->len;
	}
	return err;
}

/* A row: [initial, annual, executed], an object of row fields, or null. */
static enum jx_err
get_row(struct rd *rd, const struct jx_json *v, struct jx_fund_row *row)
{
	struct jx_opt *slot[3];
	enum jx_err err = JX_OK;
	size_t i;

	if (v->kind == JX_JSON_NULL)
		return JX_OK;
	if (v->kind == JX_JSON_OBJECT)
		return map_object(rd, v, row_fields, NFIELDS(row_fields), row);
	if (v->kind != JX_JSON_ARRAY)
		return type_error(rd, v,
		                  "数组 [年初预算数, 全年预算数, 全年执行数] "
		                  "或对象");
	if (v->len != 3)
		return fail(rd, JX_EINVAL, v,
		            "应为三个数 [年初预算数, 全年预算数, 全年执行数]，"
		            "实有 %zu 个",
		            v->len);
	slot[0] = &row->initial;
	slot[1] = &row->annual;
	slot[2] = &row->executed;
	for (i = 0; i < 3 && err == JX_OK; i++) {
		path_push(rd, NULL, 0, i);
		err = get_dec(rd, &v->u.items[i], slot[i]);
		path_pop(rd);
	}
	return err;
}

static enum jx_err
get_goals(struct rd *rd, const struct jx_json *v)
{
	struct jx_eval *e = rd->e;
	enum jx_err err;
	void *p;
	size_t i, n;

	if ((err = get_array(rd, v, JX_MAX_GOALS, sizeof(*e->goals), &p, &n)) !=
	    JX_OK)
		return err;
	e->goals = p;
	e->ngoals = n;
	for (i = 0; i < n && err == JX_OK; i++) {
		path_push(rd, NULL, 0, i);
		err = map_object(rd, &v->u.items[i], goal_fields,
		                 NFIELDS(goal_fields), &e->goals[i]);
		path_pop(rd);
	}
	return err;
}

static enum jx_err
get_indicators(struct rd *rd, const struct jx_json *v)
{
	struct jx_eval *e = rd->e;
	enum jx_err err;
	void *p;
	size_t i, n;

	if ((err = get_array(rd, v, JX_MAX_INDICATORS, sizeof(*e->indicators),
	                     &p, &n)) != JX_OK)
		return err;
	e->indicators = p;
	e->nindicators = n;
	for (i = 0; i < n && err == JX_OK; i++) {
		path_push(rd, NULL, 0, i);
		err = map_object(rd, &v->u.items[i], ind_fields,
		                 NFIELDS(ind_fields), &e->indicators[i]);
		e->indicators[i].line = v->u.items[i].line;
		path_pop(rd);
	}
	return err;
}

enum jx_err
jx_evaljson_read(const char *buf, size_t len, const char *source, int line,
                 struct jx_eval *e, struct jx_diag *d)
{
	const struct jx_json *root;
	struct rd rd;
	enum jx_err err;
	char *src;
	size_t n;

	if (e == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	jx_eval_reset(e);
	jx_diag_clear(d);
	if (d != NULL && source != NULL)
		snprintf(d->file, sizeof(d->file), "%s", source);
	memset(&rd, 0, sizeof(rd));
	rd.e = e;
	rd.d = d;
	rd.in = (uintptr_t)buf;
	rd.in_end = (uintptr_t)buf + len;
	if (source != NULL) {
		/* A record of JSON Lines is named by its line too. */
		n = strlen(source) + 24;
		src = jx_arena_alloc(&e->arena, n);
		if (src == NULL)
			return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		if (line > 0)
			snprintf(src, n, "%s:%d", source, line);
		else
			snprintf(src, n, "%s", source);
		e->source = src;
	}
	err = jx_json_parse(buf, len, line, &e->arena, &root, d);
	if (err != JX_OK)
		return err;
	if (root->kind != JX_JSON_OBJECT)
		return type_error(&rd, root, "对象（一份自评表）");
	if ((err = map_object(&rd, root, eval_fields, NFIELDS(eval_fields),
	                      e)) != JX_OK)
		return err;
	if (e->kind == NULL &&
	    (e->kind = jx_arena_strndup(&e->arena, "self", 4)) == NULL)
		return fail(&rd, JX_ENOMEM, root, "内存不足");
	return JX_OK;
}

/* --- writing -------------------------------------------------------- */

static void
w_raw(struct wr *w, const char *s, size_t len)
{
	if (w->err == JX_OK)
		w->err = jx_buf_add(w->b, s, len);
}

/* A JSON string; NULL is null. */
static void
w_str(struct wr *w, const char *s)
{
	if (s == NULL)
		w_raw(w, "null", 4);
	else if (w->err == JX_OK)
		w->err = jx_buf_add_json_string(w->b, s, strlen(s));
}

/* `"key":`, after a comma unless it is the object's first member. Keys
 * are short ASCII identifiers and need no escaping; one append for all. */
static void
w_key(struct wr *w, int *n, const char *key)
{
	char tok[64];
	size_t i, t = *n > 0 ? 2 : 1;

	/* One pass copies the key as strlen would walk it: a record has
	 * dozens of keys, and two library calls each cost more than that. */
	for (i = 0; key[i] != '\0'; i++) {
		if (i >= sizeof(tok) - 4) {
			/* cannot happen: keys are literals here */
			w->err = JX_EINVAL;
			return;
		}
		tok[t + i] = key[i];
	}
	if ((*n)++ > 0)
		tok[0] = ',';
	tok[t - 1] = '"';
	t += i;
	tok[t++] = '"';
	tok[t++] = ':';
	w_raw(w, tok, t);
}

/* A text member, left out when NULL. */
static void
w_text(struct wr *w, int *n, const char *key, const char *s)
{
	if (s == NULL)
		return;
	w_key(w, n, key);
	w_str(w, s);
}

/* A text member, null when NULL. */
static void
w_textn(struct wr *w, int *n, const char *key, const char *s)
{
	w_key(w, n, key);
	w_str(w, s);
}

static void
w_dec(struct wr *w, jx_dec v)
{
	char num[48];
	size_t len = jx_dec_format(v, -1, num, sizeof(num));

	w_raw(w, num, len);
}

/* A count as printf's %zu writes it; a call to printf costs more than the
 * rest of a small member. */
static void
w_uint(struct wr *w, size_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	w_raw(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* An int as printf's %d writes it. */
static void
w_int(struct wr *w, int v)
{
	if (v < 0) {
		w_raw(w, "-", 1);
		w_uint(w, (size_t)(-(long long)v));
	} else {
		w_uint(w, (size_t)v);
	}
}

/* A decimal member, left out when not set. */
static void
w_opt(struct wr *w, int *n, const char *key, const struct jx_opt *o)
{
	if (!o->set)
		return;
	w_key(w, n, key);
	w_dec(w, o->v);
}

static void
w_decn(struct wr *w, int *n, const char *key, jx_dec v)
{
	w_key(w, n, key);
	w_dec(w, v);
}

/* A fraction as a percentage with two decimals: "98.06%". */
static void
w_pct(struct wr *w, int *n, const char *key, jx_dec fraction)
{
	char num[48];
	size_t len;
	jx_dec pct;

	w_key(w, n, key);
	if (jx_dec_muldiv(fraction, jx_dec_from_int(100), JX_DEC_ONE, 2,
	                  &pct) != JX_OK) {
		w_raw(w, "null", 4);
		return;
	}
	len = jx_dec_format(pct, 2, num, sizeof(num));
	w_raw(w, "\"", 1);
	w_raw(w, num, len);
	w_raw(w, "%\"", 2);
}

/* A row as [initial, annual, executed] when nothing else is stated. */
static void
w_row(struct wr *w, const struct jx_fund_row *r)
{
	const struct jx_opt *three[3];
	int i, n = 0;

	if (!r->received.set && !r->balance_stated.set &&
	    !r->received_rate_stated.set && !r->exec_rate_stated.set) {
		three[0] = &r->initial;
		three[1] = &r->annual;
		three[2] = &r->executed;
		w_raw(w, "[", 1);
		for (i = 0; i < 3; i++) {
			if (i > 0)
				w_raw(w, ",", 1);
			if (three[i]->set)
				w_dec(w, three[i]->v);
			else
				w_raw(w, "null", 4);
		}
		w_raw(w, "]", 1);
		return;
	}
	w_raw(w, "{", 1);
	w_opt(w, &n, "initial", &r->initial);
	w_opt(w, &n, "annual", &r->annual);
	w_opt(w, &n, "received", &r->received);
	w_opt(w, &n, "executed", &r->executed);
	w_opt(w, &n, "balance_stated", &r->balance_stated);
	w_opt(w, &n, "received_rate_stated", &r->received_rate_stated);
	w_opt(w, &n, "exec_rate_stated", &r->exec_rate_stated);
	w_raw(w, "}", 1);
}

static void
w_rows(struct wr *w, int *n, const char *key, const struct jx_fund_row *rows,
       size_t nrows)
{
	size_t i;

	if (nrows == 0)
		return;
	w_key(w, n, key);
	w_raw(w, "{", 1);
	for (i = 0; i < nrows; i++) {
		if (i > 0)
			w_raw(w, ",", 1);
		w_str(w, rows[i].name != NULL ? rows[i].name : "");
		w_raw(w, ":", 1);
		w_row(w, &rows[i]);
	}
	w_raw(w, "}", 1);
}

static void
w_funds(struct wr *w, const struct jx_funds *f)
{
	int n = 0;

	w_raw(w, "{", 1);
	w_text(w, &n, "unit", f->unit);
	w_text(w, &n, "period", f->period);
	w_opt(w, &n, "initial_budget", &f->total.initial);
	w_opt(w, &n, "annual_budget", &f->total.annual);
	w_opt(w, &n, "received", &f->total.received);
	w_opt(w, &n, "executed", &f->total.executed);
	w_opt(w, &n, "balance_stated", &f->total.balance_stated);
	w_opt(w, &n, "received_rate_stated", &f->total.received_rate_stated);
	if (f->exec_rate_text != NULL)
		w_text(w, &n, "exec_rate_stated", f->exec_rate_text);
	else
		w_opt(w, &n, "exec_rate_stated", &f->total.exec_rate_stated);
	w_opt(w, &n, "exec_weight", &f->exec_weight);
	w_opt(w, &n, "exec_score_stated", &f->exec_score_stated);
	w_rows(w, &n, "sources", f->sources, f->nsources);
	w_rows(w, &n, "levels", f->levels, f->nlevels);
	w_raw(w, "}", 1);
}

static void
w_indicator(struct wr *w, const struct jx_indicator *ind)
{
	int n = 0;

	w_raw(w, "{", 1);
	w_text(w, &n, "level1", ind->level1);
	w_text(w, &n, "level2", ind->level2);
	w_text(w, &n, "name", ind->name);
	w_text(w, &n, "target", ind->target);
	w_text(w, &n, "actual", ind->actual);
	w_opt(w, &n, "weight", &ind->weight);
	w_opt(w, &n, "score_stated", &ind->score_stated);
	w_text(w, &n, "completion_stated", ind->completion_stated);
	w_text(w, &n, "deviation_reason", ind->deviation_reason);
	w_text(w, &n, "unit", ind->unit);
	w_text(w, &n, "nature", ind->nature);
	w_raw(w, "}", 1);
}

/* On failure take back the partial record, so out ends where it began. */
static enum jx_err
w_finish(struct wr *w, size_t start)
{
	if (w->err != JX_OK && w->b->data != NULL) {
		w->b->len = start;
		w->b->data[start] = '\0';
	}
	return w->err;
}

enum jx_err
jx_evaljson_write(struct jx_buf *out, const struct jx_eval *e)
{
	struct wr w = {out, JX_OK};
	size_t i, start;
	int n = 0;

	if (out == NULL || e == NULL)
		return JX_EINVAL;
	start = out->len;
	w_raw(&w, "{", 1);
	w_text(&w, &n, "id", e->id);
	w_text(&w, &n, "title", e->title);
	w_text(&w, &n, "unit", e->unit);
	w_text(&w, &n, "department", e->department);
	if (e->year != 0) {
		w_key(&w, &n, "year");
		w_int(&w, e->year);
	}
	w_text(&w, &n, "kind", e->kind);
	w_text(&w, &n, "rules", e->rules);
	if (e->has_funds) {
		w_key(&w, &n, "funds");
		w_funds(&w, &e->funds);
	}
	if (e->ngoals > 0) {
		w_key(&w, &n, "goals");
		w_raw(&w, "[", 1);
		for (i = 0; i < e->ngoals; i++) {
			int gn = 0;

			w_raw(&w, i > 0 ? ",{" : "{", i > 0 ? 2 : 1);
			w_text(&w, &gn, "expected", e->goals[i].expected);
			w_text(&w, &gn, "achieved", e->goals[i].achieved);
			w_raw(&w, "}", 1);
		}
		w_raw(&w, "]", 1);
	}
	if (e->nindicators > 0) {
		w_key(&w, &n, "indicators");
		w_raw(&w, "[", 1);
		for (i = 0; i < e->nindicators; i++) {
			if (i > 0)
				w_raw(&w, ",", 1);
			w_indicator(&w, &e->indicators[i]);
		}
		w_raw(&w, "]", 1);
	}
	w_opt(&w, &n, "total_weight_stated", &e->total_weight_stated);
	w_opt(&w, &n, "total_score_stated", &e->total_score_stated);
	w_text(&w, &n, "grade_stated", e->grade_stated);
	w_raw(&w, "}", 1);
	return w_finish(&w, start);
}

static const char *
outcome_code(enum jx_outcome o)
{
	switch (o) {
	case JX_OUTCOME_MET:
		return "met";
	case JX_OUTCOME_PARTIAL:
		return "partial";
	case JX_OUTCOME_NOT_MET:
		return "not_met";
	case JX_OUTCOME_UNKNOWN:
		break;
	}
	return "unknown";
}

static const char *
kind_code(enum jx_score_kind k)
{
	switch (k) {
	case JX_SCORE_QUANT:
		return "quantitative";
	case JX_SCORE_QUAL:
		return "qualitative";
	case JX_SCORE_NONE:
		break;
	}
	return "none";
}

static const char *
problem_code(enum jx_score_problem p)
{
	switch (p) {
	case JX_PROBLEM_NONE:
		return NULL;
	case JX_PROBLEM_NO_WEIGHT:
		return "no_weight";
	case JX_PROBLEM_NO_TARGET:
		return "no_target";
	case JX_PROBLEM_NO_ACTUAL:
		return "no_actual";
	case JX_PROBLEM_UNPARSED_TARGET:
		return "unparsed_target";
	case JX_PROBLEM_UNPARSED_ACTUAL:
		return "unparsed_actual";
	case JX_PROBLEM_UNKNOWN_WORD:
		return "unknown_word";
	case JX_PROBLEM_UNIT_MISMATCH:
		return "unit_mismatch";
	case JX_PROBLEM_OVERFLOW:
		return "overflow";
	}
	return "unknown";
}

/* A parsed value in canonical form; the text as written when it is
 * neither a number nor a word; null when there is none. */
static void
w_value(struct wr *w, int *n, const char *key, const struct jx_value *v,
        const char *written)
{
	char text[JX_MAX_VALUE_TEXT + 64];

	w_key(w, n, key);
	if (v->kind == JX_VALUE_NUMBER || v->kind == JX_VALUE_WORD) {
		jx_value_format(v, text, sizeof(text));
		w_str(w, text);
	} else {
		w_str(w, written);
	}
}

static void
w_ind_result(struct wr *w, const struct jx_indicator *ind,
             const struct jx_rules *r, const struct jx_ind_result *ir)
{
	char trace[JX_MAX_TRACE];
	char where[3 * JX_MAX_TEXT + 4];
	const char *problem = problem_code(ir->problem);
	int n = 0;

	jx_eval_indicator_path(ind, where, sizeof(where));
	w_raw(w, "{", 1);
	w_textn(w, &n, "where", where);
	w_textn(w, &n, "kind", kind_code(ir->kind));
	w_value(w, &n, "target", &ir->target, ind->target);
	w_value(w, &n, "actual", &ir->actual, ind->actual);
	w_textn(w, &n, "outcome", outcome_code(ir->outcome));
	if (ir->has_completion) {
		w_pct(w, &n, "completion", ir->completion);
	} else {
		w_key(w, &n, "completion");
		w_raw(w, "null", 4);
	}
	/* A line that could not be scored counts with its stated score, if
	 * any (score.h); without one it has none. */
	if (ir->kind == JX_SCORE_NONE && !ind->score_stated.set) {
		w_key(w, &n, "score");
		w_raw(w, "null", 4);
	} else {
		w_decn(w, &n, "score", ir->score);
	}
	if (ir->kind == JX_SCORE_QUAL) {
		w_decn(w, &n, "suggested", ir->suggest);
		w_key(w, &n, "score_range");
		w_raw(w, "[", 1);
		w_dec(w, ir->score_lo);
		w_raw(w, ",", 1);
		w_dec(w, ir->score_hi);
		w_raw(w, "]", 1);
	}
	if (ir->cmp_inferred) {
		/* the target had no ≥/≤: say so, and what ≥ would give */
		w_key(w, &n, "direction_inferred");
		w_raw(w, "true", 4);
		if (ir->has_alt)
			w_decn(w, &n, "alt_score", ir->alt_score);
	}
	if (problem != NULL)
		w_textn(w, &n, "problem", problem);
	if (r != NULL) {
		jx_score_trace(ind, r, ir, trace, sizeof(trace));
		w_textn(w, &n, "trace", trace);
	}
	w_raw(w, "}", 1);
}

static void
w_finding(struct wr *w, const struct jx_finding *f)
{
	int n = 0;

	w_raw(w, "{", 1);
	w_textn(w, &n, "code", f->code);
	w_textn(w, &n, "severity", jx_audit_severity_name(f->severity));
	w_textn(w, &n, "where", f->where);
	w_textn(w, &n, "stated", f->stated);
	w_textn(w, &n, "computed", f->computed);
	w_textn(w, &n, "message", f->message);
	w_key(w, &n, "indicator");
	if (f->indicator >= 0)
		w_int(w, f->indicator);
	else
		w_raw(w, "null", 4);
	w_raw(w, "}", 1);
}

enum jx_err
jx_evaljson_write_result(struct jx_buf *out, const struct jx_eval *e,
                         const struct jx_rules *r, const struct jx_result *res,
                         const struct jx_findings *f, unsigned flags)
{
	char trace[JX_MAX_TRACE];
	size_t nf;
	struct wr w = {out, JX_OK};
	size_t i, start;
	int n = 0, cn = 0, sn = 0;

	if (out == NULL || e == NULL || res == NULL || f == NULL ||
	    res->n != e->nindicators)
		return JX_EINVAL;
	start = out->len;
	w_raw(&w, "{", 1);
	w_textn(&w, &n, "source", e->source);
	w_textn(&w, &n, "id", e->id);
	w_textn(&w, &n, "title", e->title);
	w_textn(&w, &n, "unit", e->unit);
	w_textn(&w, &n, "department", e->department);
	w_key(&w, &n, "year");
	if (e->year != 0)
		w_int(&w, e->year);
	else
		w_raw(&w, "null", 4);
	w_textn(&w, &n, "rules", r != NULL ? r->name : e->rules);

	w_key(&w, &n, "computed");
	w_raw(&w, "{", 1);
	if (res->has_exec) {
		w_pct(&w, &cn, "exec_rate", res->exec_rate);
		w_decn(&w, &cn, "exec_score", res->exec_score);
	} else {
		w_textn(&w, &cn, "exec_rate", NULL);
		w_textn(&w, &cn, "exec_score", NULL);
	}
	if (r != NULL) {
		jx_score_exec_trace(e, r, res, trace, sizeof(trace));
		w_textn(&w, &cn, "exec_trace", trace);
	}
	w_decn(&w, &cn, "weight_sum", res->weight_sum);
	w_decn(&w, &cn, "total", res->total);
	w_textn(&w, &cn, "grade", res->grade != NULL ? res->grade->name : NULL);
	w_key(&w, &cn, "complete");
	if (res->total_complete)
		w_raw(&w, "true", 4);
	else
		w_raw(&w, "false", 5);
	if (r != NULL) {
		jx_score_total_trace(r, res, trace, sizeof(trace));
		w_textn(&w, &cn, "total_trace", trace);
	}
	w_raw(&w, "}", 1);

	w_key(&w, &n, "stated");
	w_raw(&w, "{", 1);
	w_key(&w, &sn, "total");
	if (e->total_score_stated.set)
		w_dec(&w, e->total_score_stated.v);
	else
		w_raw(&w, "null", 4);
	w_textn(&w, &sn, "grade", e->grade_stated);
	w_raw(&w, "}", 1);

	if (flags & JX_EVALJSON_INDICATORS) {
		w_key(&w, &n, "indicators");
		w_raw(&w, "[", 1);
		for (i = 0; i < res->n; i++) {
			if (i > 0)
				w_raw(&w, ",", 1);
			w_ind_result(&w, &e->indicators[i], r, &res->ind[i]);
		}
		w_raw(&w, "]", 1);
	}

	/* Findings (errors and warnings), then the confirmations apart. */
	w_key(&w, &n, "findings");
	w_raw(&w, "[", 1);
	for (i = 0, nf = 0; i < f->n; i++) {
		if (f->items[i].severity == JX_SEV_OK)
			continue;
		if (nf++ > 0)
			w_raw(&w, ",", 1);
		w_finding(&w, &f->items[i]);
	}
	w_raw(&w, "]", 1);
	if (f->nok > 0) {
		w_key(&w, &n, "confirmed");
		w_raw(&w, "[", 1);
		for (i = 0, nf = 0; i < f->n; i++) {
			if (f->items[i].severity != JX_SEV_OK)
				continue;
			if (nf++ > 0)
				w_raw(&w, ",", 1);
			w_finding(&w, &f->items[i]);
		}
		w_raw(&w, "]", 1);
	}
	w_key(&w, &n, "errors");
	w_uint(&w, f->nerrors);
	w_key(&w, &n, "warnings");
	w_uint(&w, f->nwarnings);
	w_key(&w, &n, "confirmations");
	w_uint(&w, f->nok);
	w_key(&w, &n, "findings_dropped");
	w_uint(&w, f->dropped);
	w_raw(&w, "}", 1);
	return w_finish(&w, start);
}
