/*
 * buf.c - growable, bounded byte buffer. Growth doubles up to the ceiling;
 * a failed append leaves the content as it was.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/buf.h"
#include "jx/text.h"

static enum jx_err ensure(struct jx_buf *b, size_t extra);
static size_t clean_run(const unsigned char *s, size_t i, size_t len);

void
jx_buf_init(struct jx_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
jx_buf_free(struct jx_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
jx_buf_reset(struct jx_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static enum jx_err
ensure(struct jx_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return JX_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return JX_OK;
	ncap = b->cap != 0 ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return JX_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return JX_OK;
}

enum jx_err
jx_buf_add(struct jx_buf *b, const void *s, size_t len)
{
	enum jx_err err = ensure(b, len);

	if (err != JX_OK)
		return err;
	if (len > 0)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return JX_OK;
}

enum jx_err
jx_buf_adds(struct jx_buf *b, const char *s)
{
	return jx_buf_add(b, s, strlen(s));
}

enum jx_err
jx_buf_vprintf(struct jx_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;
	enum jx_err err;

	/* Format straight into the free space when it is big enough, which
	 * it nearly always is: one formatting pass instead of two. The
	 * capacity never exceeds the ceiling plus the NUL, so what fits also
	 * keeps within the ceiling. */
	if (b->data != NULL && b->cap > b->len) {
		room = b->cap - b->len;
		va_copy(ap2, ap);
		n = vsnprintf(b->data + b->len, room, fmt, ap2);
		va_end(ap2);
		if (n >= 0 && (size_t)n < room &&
		    b->len + (size_t)n <= b->max) {
			b->len += (size_t)n;
			return JX_OK;
		}
		b->data[b->len] = '\0'; /* take back what was written */
		if (n < 0)
			return JX_EINVAL;
	}
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return JX_EINVAL;
	err = ensure(b, (size_t)n);
	if (err != JX_OK)
		return err;
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
	return JX_OK;
}

enum jx_err
jx_buf_printf(struct jx_buf *b, const char *fmt, ...)
{
	va_list ap;
	enum jx_err err;

	va_start(ap, fmt);
	err = jx_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

/*
 * The first index at or after i where s[0..len) holds a byte that a JSON
 * string cannot carry as it is: '"', '\\', a control character, DEL, or
 * the start of an invalid UTF-8 sequence; len when there is none.
 */
static size_t
clean_run(const unsigned char *s, size_t i, size_t len)
{
	for (;;) {
		i += jx_text_json_plain(s + i, len - i, true);
		if (i == len || s[i] < 0x80)
			break;
		i += jx_text_utf8_span(s + i, len - i, NULL);
		if (i == len || s[i] >= 0x80)
			break; /* the end, or invalid UTF-8 */
	}
	return i;
}

enum jx_err
jx_buf_add_json_string(struct jx_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, replen, start_len = b->len;
	const char *rep;
	enum jx_err err;
	char esc[8];

	/*
	 * The output is at least the text and its two quotes, so one
	 * reservation covers the common case of text that needs no escape:
	 * runs are then copied with one memcpy each and no further checks.
	 * Only an escape, which writes more than it reads, reserves again,
	 * for itself and the least the rest can take; so the ceiling is hit
	 * exactly when the whole literal would not fit.
	 */
	if (len > SIZE_MAX - 2)
		return JX_ETOOBIG;
	if ((err = ensure(b, len + 2)) != JX_OK)
		return err;
	b->data[b->len++] = '"';
	for (;;) {
		run = i;
		i = clean_run(u, i, len);
		if (i > run) {
			memcpy(b->data + b->len, s + run, i - run);
			b->len += i - run;
		}
		if (i == len)
			break;
		switch (u[i]) {
		case '"':
			rep = "\\\"";
			replen = 2;
			break;
		case '\\':
			rep = "\\\\";
			replen = 2;
			break;
		case '\n':
			rep = "\\n";
			replen = 2;
			break;
		case '\r':
			rep = "\\r";
			replen = 2;
			break;
		case '\t':
			rep = "\\t";
			replen = 2;
			break;
		default:
			if (u[i] >= 0x80) {
				rep = "\xef\xbf\xbd"; /* U+FFFD */
				replen = 3;
			} else {
				/* other controls and DEL */
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[u[i] >> 4];
				esc[5] = hex[u[i] & 15];
				rep = esc;
				replen = 6;
			}
		}
		/* this escape, what is left after it, the closing quote */
		if ((err = ensure(b, replen + (len - i - 1) + 1)) != JX_OK) {
			b->len = start_len;
			b->data[start_len] = '\0';
			return err;
		}
		memcpy(b->data + b->len, rep, replen);
		b->len += replen;
		i++;
	}
	b->data[b->len++] = '"';
	b->data[b->len] = '\0';
	return JX_OK;
}
