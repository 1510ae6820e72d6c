/*
 * text.h - small UTF-8 utilities the rest of jixiao shares: validation,
 * folding of full-width forms to ASCII, trimming of ASCII and ideographic
 * spaces, and the display width of text in a terminal (CJK = 2 columns).
 * Pure: no I/O, no allocation, no locale.
 */
#ifndef JX_TEXT_H
#define JX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool jx_text_utf8_valid(const char *s, size_t len);

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

#endif
