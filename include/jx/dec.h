/*
 * dec.h - exact fixed-point decimals for money, rates and scores.
 *
 * A jx_dec is a signed count of millionths (scale 10^6): 131.4 is 131400000,
 * 95% as a fraction is 950000. Six places hold money in 万元 to the 分 and
 * rates and scores far beyond the 0.01 the rules round to. Every operation is
 * exact or rounds once, half away from zero, at a stated number of places;
 * overflow is reported, never wrapped. Nothing here uses floating point.
 * This module does not know about units; see value.h.
 */
#ifndef JX_DEC_H
#define JX_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/err.h"

typedef int64_t jx_dec;

#define JX_DEC_PLACES 6
#define JX_DEC_SCALE  INT64_C(1000000)
#define JX_DEC_ONE    JX_DEC_SCALE
#define JX_DEC_MAX    INT64_MAX
#define JX_DEC_MIN    (-INT64_MAX)

/* An optional decimal: set is false when the document leaves it blank. */
struct jx_opt {
	jx_dec v;
	bool set;
};

/* The integer n as a decimal; n should lie within +-9.2e12 (outside it the
 * result saturates at JX_DEC_MAX or JX_DEC_MIN). */
jx_dec jx_dec_from_int(int64_t n);

/*
 * Parse s[0..len) as a plain ASCII decimal: optional sign, digits, optional
 * '.' and digits ("12", "-0.5", "131.40", ".5"). No spaces, exponents or
 * thousands separators. Digits past the sixth decimal place must be zeros.
 * Returns JX_OK and sets *out, JX_EPARSE for malformed text, JX_ETOOBIG when
 * the value does not fit.
 */
enum jx_err jx_dec_parse(const char *s, size_t len, jx_dec *out);

/*
 * Write v into buf (cap bytes, NUL-terminated) with exactly `places`
 * decimals (0..6, rounded half away from zero), or, when places is -1, with
 * as few decimals as represent v exactly ("131.4", "10", "0.05"). Other
 * values of places are clamped to -1..6. A value that rounds to zero is
 * written without a sign ("0", never "-0"). With places -1 the output
 * parses back (jx_dec_parse) to v exactly, for any v in range. Returns the
 * length written (excluding NUL), truncated at cap-1; 0 when cap is 0.
 */
size_t jx_dec_format(jx_dec v, int places, char *buf, size_t cap);

/* *out = a + b or a - b. JX_ETOOBIG on overflow (out untouched). */
enum jx_err jx_dec_add(jx_dec a, jx_dec b, jx_dec *out);
enum jx_err jx_dec_sub(jx_dec a, jx_dec b, jx_dec *out);

/*
 * *out = a * b / c, computed exactly and rounded once, half away from zero,
 * to `places` decimals (0..6). JX_EINVAL when c is 0, places is out of
 * range or out is NULL; JX_ETOOBIG when the result does not fit. Use it for
 * every ratio: w * a / t, executed / budget.
 */
enum jx_err jx_dec_muldiv(jx_dec a, jx_dec b, jx_dec c, int places,
                          jx_dec *out);

/* v rounded half away from zero to `places` decimals (0..6; more is v,
 * less is 0). Within half a unit of JX_DEC_MAX or JX_DEC_MIN, where the
 * rounded value would not fit, it rounds toward zero instead. */
jx_dec jx_dec_round(jx_dec v, int places);

/* A fraction as a percentage (0.9806 -> 98.06), exact; saturates at
 * +-JX_DEC_MAX instead of overflowing for absurd ratios. */
jx_dec jx_dec_percent(jx_dec fraction);

/* The decimals v needs to be written exactly (0..JX_DEC_PLACES):
 * 131.4 -> 1, 10 -> 0. */
int jx_dec_places(jx_dec v);

/* -1, 0 or 1 as a < b, a == b, a > b. */
int jx_dec_cmp(jx_dec a, jx_dec b);

/* |a - b| <= tol, computed without overflow. */
bool jx_dec_near(jx_dec a, jx_dec b, jx_dec tol);

#endif
