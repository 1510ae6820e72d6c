/*
 * fuzz_value.c - libFuzzer target for the value parser, the decimal
 * parser and the text utilities. Besides "no crash, no undefined
 * behaviour" it checks the properties the headers promise:
 *
 * - jx_value_format of a NUMBER or WORD parses back to the same value;
 * - jx_value_align is symmetric and leaves its outputs alone on error;
 * - jx_dec_format(jx_dec_parse(x)) parses back to the same decimal, and
 *   at fixed places to jx_dec_round of it;
 * - jx_text_clip returns whole characters whose width is what it reports.
 *
 * The input is split at the first '|' into a target and an actual; the
 * bytes after a second '|' are used as the indicator's name.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx/dec.h"
#include "jx/limits.h"
#include "jx/text.h"
#include "jx/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const struct jx_value *v);
static void check_value(const char *s, size_t len, const char *hint,
                        struct jx_value *out);
static void check_align(const struct jx_value *t, const struct jx_value *a);
static void check_dec(const char *s, size_t len);
static void check_text(const char *s, size_t len);

static void
check_round_trip(const struct jx_value *v)
{
	char buf[JX_MAX_VALUE_TEXT + 64];
	struct jx_value back;
	size_t n;

	n = jx_value_format(v, buf, sizeof(buf));
	if (buf[n] != '\0')
		abort();
	if (v->kind != JX_VALUE_NUMBER && v->kind != JX_VALUE_WORD)
		return;
	if (jx_value_parse(buf, n, NULL, &back) != JX_OK)
		abort();
	if (back.kind != v->kind)
		abort();
	if (v->kind == JX_VALUE_NUMBER &&
	    (back.cmp != v->cmp || back.num != v->num || back.unit != v->unit))
		abort();
	if (v->kind == JX_VALUE_WORD &&
	    (back.word_len != v->word_len ||
	     memcmp(back.word, v->word, v->word_len) != 0))
		abort();
}

static void
check_value(const char *s, size_t len, const char *hint, struct jx_value *out)
{
	if (jx_value_parse(s, len, hint, out) != JX_OK)
		abort();
	switch (out->kind) {
	case JX_VALUE_WORD:
		if (out->word < s || out->word + out->word_len > s + len)
			abort();
		break;
	case JX_VALUE_UNPARSED:
		if (out->error == NULL)
			abort();
		break;
	case JX_VALUE_NUMBER:
		if (out->unit_from_name && (hint == NULL || out->unit == NULL))
			abort();
		break;
	case JX_VALUE_EMPTY:
		break;
	}
	check_round_trip(out);
}

static void
check_align(const struct jx_value *t, const struct jx_value *a)
{
	jx_dec tb = 11, ab = 22, tb2 = 33, ab2 = 44;
	enum jx_err e1, e2;

	e1 = jx_value_align(t, a, &tb, &ab);
	e2 = jx_value_align(a, t, &ab2, &tb2);
	if (e1 != e2)
		abort();
	if (e1 != JX_OK) {
		if (tb != 11 || ab != 22 || tb2 != 33 || ab2 != 44)
			abort();
		return;
	}
	if (tb != tb2 || ab != ab2)
		abort();
}

static void
check_dec(const char *s, size_t len)
{
	char buf[64];
	jx_dec v, back;
	size_t n;
	int places;

	if (jx_dec_parse(s, len, &v) != JX_OK)
		return;
	n = jx_dec_format(v, -1, buf, sizeof(buf));
	if (jx_dec_parse(buf, n, &back) != JX_OK || back != v)
		abort();
	for (places = 0; places <= JX_DEC_PLACES; places++) {
		enum jx_err err;

		n = jx_dec_format(v, places, buf, sizeof(buf));
		err = jx_dec_parse(buf, n, &back);
		/* Rounding up at the very limit may not fit: that is all. */
		if (err == JX_ETOOBIG && (v > JX_DEC_MAX - JX_DEC_ONE ||
		                          v < JX_DEC_MIN + JX_DEC_ONE))
			continue;
		if (err != JX_OK || back != jx_dec_round(v, places))
			abort();
	}
}

static void
check_text(const char *s, size_t len)
{
	char out[JX_MAX_VALUE_TEXT + 1];
	const char *p = s;
	size_t n, used, cols, plen = len;

	jx_text_trim(&p, &plen);
	if (p < s || p + plen > s + len)
		abort();
	if (len > JX_MAX_VALUE_TEXT)
		len = JX_MAX_VALUE_TEXT;
	n = jx_text_fold(s, len, out, sizeof(out));
	if (n != (size_t)-1 && (n > len || !jx_text_utf8_valid(out, n)))
		abort();
	if ((n == (size_t)-1) == jx_text_utf8_valid(s, len))
		abort();
	cols = jx_text_width(s, len);
	n = jx_text_clip(s, len, cols / 2, out, sizeof(out), &used);
	if (used > cols / 2 || jx_text_width(out, n) != used)
		abort();
	if (n > len || memcmp(out, s, n) != 0)
		abort();
	if (jx_text_utf8_valid(s, len) && !jx_text_utf8_valid(out, n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *bar, *bar2;
	char hint[128];
	struct jx_value t, a, whole;
	size_t tlen, alen, hlen;

	check_value(s, size, NULL, &whole);
	check_value(s, size, "信息系统电费（万元）", &whole);
	check_value(s, size, "系统正常运行率（%）", &whole);
	check_dec(s, size);
	check_text(s, size);

	bar = memchr(s, '|', size);
	if (bar == NULL)
		return 0;
	tlen = (size_t)(bar - s);
	bar2 = memchr(bar + 1, '|', size - tlen - 1);
	alen = bar2 != NULL ? (size_t)(bar2 - bar - 1) : size - tlen - 1;
	hint[0] = '\0';
	if (bar2 != NULL) {
		hlen = size - (size_t)(bar2 + 1 - s);
		if (hlen > sizeof(hint) - 1)
			hlen = sizeof(hint) - 1;
		memcpy(hint, bar2 + 1, hlen);
		hint[hlen] = '\0';
	}
	check_value(s, tlen, bar2 != NULL ? hint : NULL, &t);
	check_value(bar + 1, alen, bar2 != NULL ? hint : NULL, &a);
	check_align(&t, &a);
	check_align(&t, &t);
	return 0;
}
