/*
 * text.h - small UTF-8 utilities the rest of jixiao shares: validation,
 * counting and cutting at character boundaries, folding of full-width forms
 * to ASCII, trimming of ASCII and ideographic spaces, the display width of
 * text in a terminal (CJK = 2 columns), and the shape of a date written
 * "YYYY-MM-DD".
 * The scanners jx_text_utf8_len, jx_text_utf8_span and jx_text_json_plain
 * are inline here: the JSON reader and writer run them over every byte.
 * Pure: no I/O, no allocation, no locale.
 */
#ifndef JX_TEXT_H
#define JX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool jx_text_utf8_valid(const char *s, size_t len);

/*
 * Length (2, 3 or 4) of the well-formed multi-byte UTF-8 sequence that
 * starts s[0..avail), or 0 when there is none there: an ASCII or
 * continuation byte, a lead byte that never occurs, a truncated sequence,
 * an overlong form, a surrogate or a code point past U+10FFFF (RFC 3629,
 * table 3-7 of Unicode). avail must be at least 1. Inline because every
 * scanner of text (the JSON reader, folding, the JSON writer) calls it once
 * per non-ASCII character; the common case, CJK, takes the first branch.
 */
static inline size_t
jx_text_utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;

	if (c >= 0xe0 && c <= 0xef) {
		if (avail < 3)
			return 0;
		if (c == 0xe0)
			lo = 0xa0; /* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates U+D800..U+DFFF */
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3
		                                                         : 0;
	}
	if (c >= 0xc2 && c <= 0xdf)
		return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xf0 && c <= 0xf4) {
		if (avail < 4)
			return 0;
		if (c == 0xf0)
			lo = 0x90; /* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		                       (s[3] & 0xc0) == 0x80
		               ? 4
		               : 0;
	}
	return 0;
}

/*
 * The number of bytes at the start of s[0..len) that are well-formed
 * multi-byte UTF-8 sequences, one after another; it stops at ASCII, at the
 * end or at an invalid sequence. *cont (may be NULL) grows by the number
 * of continuation bytes in them, so that the span minus that is its count
 * of characters. Two three-byte characters with ordinary leads (CJK text)
 * are checked at once on a little-endian machine.
 */
static inline size_t
jx_text_utf8_span(const unsigned char *s, size_t len, size_t *cont)
{
	size_t i = 0, n, c = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x;

	while (len - i >= 8) {
		memcpy(&x, s + i, 8);
		/* 1110xxxx 10xxxxxx 10xxxxxx twice, leads neither E0 nor ED
		 * (whose second bytes have a narrower range) */
		if ((x & UINT64_C(0xc0c0f0c0c0f0)) !=
		            UINT64_C(0x8080e08080e0) ||
		    s[i] == 0xe0 || s[i] == 0xed || s[i + 3] == 0xe0 ||
		    s[i + 3] == 0xed)
			break;
		i += 6;
		c += 4;
	}
#endif
	while (i < len && s[i] >= 0x80 &&
	       (n = jx_text_utf8_len(s + i, len - i)) > 0) {
		i += n;
		c += n - 1;
	}
	if (cont != NULL)
		*cont += c;
	return i;
}

/*
 * The number of bytes at the start of s[0..len) that a JSON string carries
 * as they are: printable ASCII other than '"' and '\\', and DEL (0x7f)
 * unless del_stops. It stops at a control character, a quote, a backslash
 * or any byte of 0x80 and up (UTF-8, which the caller checks on its own).
 * Eight bytes at a time with word arithmetic: a byte below 0x20, or equal
 * to '"', '\\' or DEL after an xor that makes it zero, gets its high bit
 * set by the subtraction. Below the first such byte nothing borrows, so
 * on a little-endian machine the lowest flag is exactly the first stop;
 * elsewhere the word only says that the bytes go one at a time.
 */
static inline size_t
jx_text_json_plain(const unsigned char *s, size_t len, bool del_stops)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t high = UINT64_C(0x8080808080808080);
	uint64_t x, qt, bs, del, stop;
	size_t i = 0;

	while (len - i >= 8) {
		memcpy(&x, s + i, 8);
		qt = x ^ (ones * '"');
		bs = x ^ (ones * '\\');
		stop = ((x - ones * 0x20) & ~x) | ((qt - ones) & ~qt) |
		       ((bs - ones) & ~bs) | x;
		if (del_stops) {
			del = x ^ (ones * 0x7f);
			stop |= (del - ones) & ~del;
		}
		stop &= high;
		if (stop != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)__builtin_ctzll(stop) / 8;
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < len && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' &&
	       s[i] < (del_stops ? 0x7f : 0x80))
		i++;
	return i;
}

/*
 * Decode one code point at s[*i] (len bytes in all), advance *i past it.
 * Returns the code point, or -1 for an invalid sequence (then *i advances
 * by one byte). When *i >= len it returns -1 and leaves *i alone.
 */
int32_t jx_text_utf8_next(const char *s, size_t len, size_t *i);

/* Encode cp into out (at least 4 bytes); returns bytes written (0 if cp is
 * not a valid scalar value). */
size_t jx_text_utf8_put(int32_t cp, char *out);

/*
 * Fold s[0..len) into out (cap bytes, NUL-terminated): full-width ASCII
 * (U+FF01..U+FF5E) to ASCII, U+3000 and other spaces removed entirely
 * (stray spaces inside values carry no meaning), "％" to "%", "（" "）" to
 * "(" ")". The spaces removed are ASCII whitespace (space, \t \n \v \f
 * \r), U+00A0, U+1680, U+2000..U+200B, U+202F, U+205F, U+3000 and U+FEFF.
 * Everything else is copied unchanged; the output is never longer than the
 * input, so cap = len + 1 always suffices. Returns the length written, or
 * (size_t)-1 when out is too small or s is not valid UTF-8 (out's content
 * is then unspecified).
 */
size_t jx_text_fold(const char *s, size_t len, char *out, size_t cap);

/* The number of characters (code points) in valid UTF-8 s[0..len): the
 * bytes that are not continuation bytes. */
size_t jx_text_utf8_count(const char *s, size_t len);

/* The length of the longest prefix of s[0..len) that does not end inside a
 * UTF-8 sequence: len itself when the text ends on a character boundary, so
 * that s[0..result) never holds half a character. */
size_t jx_text_utf8_cut(const char *s, size_t len);

/* Whether NUL-terminated a and b are equal when the case of ASCII letters
 * is ignored (no locale: other bytes must match exactly). */
bool jx_text_ascii_ieq(const char *a, const char *b);

/* Trim ASCII whitespace, U+00A0 and U+3000 from both ends: *s and *len
 * updated (*s still points into the same text). */
void jx_text_trim(const char **s, size_t *len);

/* Columns s[0..len) takes in a terminal: East Asian wide and full-width
 * characters count 2, combining marks 0, others 1. Invalid bytes count 1. */
size_t jx_text_width(const char *s, size_t len);

/* Copy at most `cols` columns of s into out (cap bytes, NUL-terminated;
 * nothing is written when cap is 0), never splitting a character; returns
 * bytes written. *used_cols (may be NULL) gets the columns used. Invalid
 * bytes are copied as they are and count one column each. */
size_t jx_text_clip(const char *s, size_t len, size_t cols, char *out,
                    size_t cap, size_t *used_cols);

/*
 * Whether s (NUL-terminated; NULL is not a date) is a calendar date written
 * "YYYY-MM-DD" in ASCII digits: year 1900 or later, month 1..12, a day the
 * month has (29 February only in leap years). When it is, *y, *m and *dd
 * (each may be NULL) get its year, month and day; otherwise they are left
 * alone.
 */
bool jx_text_date(const char *s, int *y, int *m, int *dd);

/* The 64-bit FNV-1a hash of s[0..n): content signatures and ETags, never
 * security. */
uint64_t jx_text_hash64(const char *s, size_t n);

#endif
