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
	int n;
	enum jx_err err;

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

enum jx_err
jx_buf_add_json_string(struct jx_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0, start;
	enum jx_err err;
	char esc[8];

	/* Worst case grows 6x; reserve as we go, runs of plain bytes copied
	 * at once. */
	if ((err = jx_buf_add(b, "\"", 1)) != JX_OK)
		return err;
	start = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		size_t replen = 0;

		if (c >= 0x80) {
			size_t j = i;
			if (jx_text_utf8_next(s, len, &j) >= 0) {
				i = j;
				run = i - start;
				continue;
			}
			rep = "\xef\xbf\xbd"; /* U+FFFD */
			replen = 3;
		} else if (c == '"') {
			rep = "\\\"";
			replen = 2;
		} else if (c == '\\') {
			rep = "\\\\";
			replen = 2;
		} else if (c == '\n') {
			rep = "\\n";
			replen = 2;
		} else if (c == '\r') {
			rep = "\\r";
			replen = 2;
		} else if (c == '\t') {
			rep = "\\t";
			replen = 2;
		} else if (c < 0x20 || c == 0x7f) {
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			rep = esc;
			replen = 6;
		} else {
			i++;
			run = i - start;
			continue;
		}
		if (run > 0 && (err = jx_buf_add(b, s + start, run)) != JX_OK)
			return err;
		if ((err = jx_buf_add(b, rep, replen)) != JX_OK)
			return err;
		i++;
		start = i;
		run = 0;
	}
	if (run > 0 && (err = jx_buf_add(b, s + start, run)) != JX_OK)
		return err;
	return jx_buf_add(b, "\"", 1);
}
