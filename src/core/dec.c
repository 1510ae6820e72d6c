/*
 * dec.c - exact fixed-point decimals: a jx_dec is a signed count of
 * millionths. Parsing, formatting, checked addition and subtraction, and
 * the one ratio operation (a * b / c) that every rate, score and unit
 * conversion goes through, with a single rounding, half away from zero,
 * computed in 64 bits when the product fits and with a 128-bit
 * intermediate when it does not. Overflow is reported, never wrapped.
 *
 * This module deliberately has no floating point, no locale, no I/O and no
 * notion of units or thousands separators: value.c strips those first.
 */
#include <string.h>

#include "jx/dec.h"

/* One 128-bit type for exact intermediates. __extension__ keeps
 * -Wpedantic quiet on gcc and clang. */
__extension__ typedef __int128 jx_i128;

static const int64_t pow10_tab[JX_DEC_PLACES + 1] = {
        INT64_C(1),     INT64_C(10),     INT64_C(100),    INT64_C(1000),
        INT64_C(10000), INT64_C(100000), INT64_C(1000000)};

static jx_i128 div_round(jx_i128 num, jx_i128 den);
static inline int64_t div_round64(int64_t num, int64_t den);
static uint64_t mag_round(uint64_t mag, int places);

/*
 * num / den rounded half away from zero. den must not be 0. |num| stays
 * below 2^126 in every caller, so neither the negation nor 2 * r overflows.
 */
static jx_i128
div_round(jx_i128 num, jx_i128 den)
{
	jx_i128 q, r;

	if (den < 0) {
		num = -num;
		den = -den;
	}
	q = num / den;
	r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

/*
 * The same in 64 bits, for the common case where the operands fit: a
 * 128-bit division is a library call many times slower. den must be
 * positive; num may be any value. r < den, so den - r cannot overflow
 * where 2 * r could.
 */
static inline int64_t
div_round64(int64_t num, int64_t den)
{
	int64_t q = num / den, r = num % den;

	if (r < 0)
		r = -r;
	if (r >= den - r)
		q += num < 0 ? -1 : 1;
	return q;
}

/* A non-negative magnitude in millionths rounded half up (away from zero
 * once the sign is put back) to `places` decimals. Cannot overflow: the
 * magnitude of a jx_dec is at most 2^63, far below UINT64_MAX. */
static uint64_t
mag_round(uint64_t mag, int places)
{
	uint64_t unit = (uint64_t)pow10_tab[JX_DEC_PLACES - places];
	uint64_t rem = mag % unit;

	mag -= rem;
	if (rem * 2 >= unit)
		mag += unit;
	return mag;
}

jx_dec
jx_dec_from_int(int64_t n)
{
	if (n > JX_DEC_MAX / JX_DEC_SCALE)
		return JX_DEC_MAX;
	if (n < JX_DEC_MIN / JX_DEC_SCALE)
		return JX_DEC_MIN;
	return n * JX_DEC_SCALE;
}

enum jx_err
jx_dec_parse(const char *s, size_t len, jx_dec *out)
{
	enum jx_err err = JX_EPARSE;
	uint64_t ipart = 0, fpart = 0, total;
	size_t i = 0, idigits = 0, fdigits = 0;
	bool neg = false, huge = false;

	if (s == NULL || out == NULL || len == 0)
		goto done;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, idigits++) {
		unsigned d = (unsigned)(s[i] - '0');

		/* Nineteen digits always fit in 64 bits; after them, check
		 * each step. Keep scanning after an overflow so that malformed
		 * text is still reported as malformed, not as too big. */
		if (idigits >= 19 && ipart > (UINT64_MAX - d) / 10)
			huge = true;
		else
			ipart = ipart * 10 + d;
	}
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, fdigits++) {
			if (fdigits < JX_DEC_PLACES)
				fpart = fpart * 10 + (unsigned)(s[i] - '0');
			else if (s[i] != '0')
				goto done; /* precision would be lost */
		}
		if (fdigits == 0)
			goto done; /* "5." */
	}
	if (i != len || (idigits == 0 && fdigits == 0))
		goto done;
	if (fdigits < JX_DEC_PLACES)
		fpart *= (uint64_t)pow10_tab[JX_DEC_PLACES - fdigits];
	if (huge || ipart > (uint64_t)JX_DEC_MAX / (uint64_t)JX_DEC_SCALE) {
		err = JX_ETOOBIG;
		goto done;
	}
	total = ipart * (uint64_t)JX_DEC_SCALE + fpart;
	if (total > (uint64_t)JX_DEC_MAX) {
		err = JX_ETOOBIG;
		goto done;
	}
	*out = neg ? -(jx_dec)total : (jx_dec)total;
	err = JX_OK;
done:
	return err;
}

size_t
jx_dec_format(jx_dec v, int places, char *buf, size_t cap)
{
	char tmp[48], frac[JX_DEC_PLACES];
	char *p = tmp + sizeof(tmp);
	uint64_t mag, ip, fp;
	int shown, k;
	size_t n;
	bool neg = v < 0;

	if (places > JX_DEC_PLACES)
		places = JX_DEC_PLACES;
	if (places < -1)
		places = -1;
	mag = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (places >= 0)
		mag = mag_round(mag, places);
	ip = mag / (uint64_t)JX_DEC_SCALE;
	fp = mag % (uint64_t)JX_DEC_SCALE;
	/* The six decimals, last first, with divisions by the constant 10
	 * (cheap) until nothing is left (whole numbers, the usual case, need
	 * none); then as many as are shown: without trailing zeros when
	 * places is -1. */
	for (k = JX_DEC_PLACES; k > 0 && fp != 0; k--) {
		frac[k - 1] = (char)('0' + fp % 10);
		fp /= 10;
	}
	for (; k > 0; k--)
		frac[k - 1] = '0';
	if (places >= 0) {
		shown = places;
	} else {
		shown = JX_DEC_PLACES;
		while (shown > 0 && frac[shown - 1] == '0')
			shown--;
	}
	/* Build the text backwards: fraction, point, integer, sign. */
	for (k = shown; k > 0; k--)
		*--p = frac[k - 1];
	if (shown > 0)
		*--p = '.';
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	if (neg && mag != 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	if (cap == 0)
		return 0;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

enum jx_err
jx_dec_add(jx_dec a, jx_dec b, jx_dec *out)
{
	if ((b > 0 && a > JX_DEC_MAX - b) || (b < 0 && a < JX_DEC_MIN - b))
		return JX_ETOOBIG;
	*out = a + b;
	return JX_OK;
}

enum jx_err
jx_dec_sub(jx_dec a, jx_dec b, jx_dec *out)
{
	if ((b < 0 && a > JX_DEC_MAX + b) || (b > 0 && a < JX_DEC_MIN + b))
		return JX_ETOOBIG;
	*out = a - b;
	return JX_OK;
}

enum jx_err
jx_dec_muldiv(jx_dec a, jx_dec b, jx_dec c, int places, jx_dec *out)
{
	int64_t unit, prod, den, q64, r64;
	jx_i128 q;

	if (c == 0 || places < 0 || places > JX_DEC_PLACES || out == NULL)
		return JX_EINVAL;
	/*
	 * With a = A * 10^6 (and so on), A * B / C in millionths is exactly
	 * a * b / c. Rounding to `places` decimals is one division by
	 * c * 10^(6 - places) and a multiplication back: one rounding only.
	 */
	unit = pow10_tab[JX_DEC_PLACES - places];
	if (!__builtin_mul_overflow(a, b, &prod) &&
	    !__builtin_mul_overflow(c, unit, &den) && den != INT64_MIN) {
		/* Everyday rates and scores: all of it fits in 64 bits. */
		if (den < 0) {
			if (prod == INT64_MIN)
				goto wide;
			prod = -prod;
			den = -den;
		}
		/* The usual divisors, c * 10^(6 - places) with c one or
		 * 1%, are constants here: compilers divide by a constant
		 * with a multiplication, several times faster. */
		switch (den) {
		case INT64_C(10000):
			q64 = div_round64(prod, INT64_C(10000));
			break;
		case INT64_C(1000000):
			q64 = div_round64(prod, INT64_C(1000000));
			break;
		case INT64_C(100000000):
			q64 = div_round64(prod, INT64_C(100000000));
			break;
		case INT64_C(10000000000):
			q64 = div_round64(prod, INT64_C(10000000000));
			break;
		default:
			q64 = div_round64(prod, den);
			break;
		}
		/* In range exactly when q64 * unit is (JX_DEC_MIN is
		 * -INT64_MAX): no division by unit needed to check. */
		if (__builtin_mul_overflow(q64, unit, &r64) || r64 < JX_DEC_MIN)
			return JX_ETOOBIG;
		*out = r64;
		return JX_OK;
	}
wide:
	/* |a * b| < 2^126 and |c * unit| < 2^84, so nothing overflows. */
	q = div_round((jx_i128)a * (jx_i128)b, (jx_i128)c * unit);
	if (q > (jx_i128)JX_DEC_MAX / unit || q < (jx_i128)JX_DEC_MIN / unit)
		return JX_ETOOBIG;
	*out = (jx_dec)(q * unit);
	return JX_OK;
}

jx_dec
jx_dec_round(jx_dec v, int places)
{
	int64_t unit, q, r;

	if (places >= JX_DEC_PLACES)
		return v;
	if (places < 0)
		places = 0;
	unit = pow10_tab[JX_DEC_PLACES - places];
	q = div_round64(v, unit);
	/* Within half a unit of the limits, round toward zero instead. */
	if (__builtin_mul_overflow(q, unit, &r) || r < JX_DEC_MIN)
		r = (v / unit) * unit;
	return r;
}

int
jx_dec_cmp(jx_dec a, jx_dec b)
{
	return (a > b) - (a < b);
}

bool
jx_dec_near(jx_dec a, jx_dec b, jx_dec tol)
{
	jx_i128 d = (jx_i128)a - (jx_i128)b;

	if (d < 0)
		d = -d;
	return d <= (jx_i128)tol;
}

jx_dec
jx_dec_percent(jx_dec fraction)
{
	if (fraction > JX_DEC_MAX / 100)
		return JX_DEC_MAX;
	if (fraction < -(JX_DEC_MAX / 100))
		return -JX_DEC_MAX;
	return fraction * 100;
}

int
jx_dec_places(jx_dec v)
{
	int p = JX_DEC_PLACES;
	jx_dec frac = v % JX_DEC_SCALE;

	if (frac == 0)
		return 0;
	while (p > 0 && frac % 10 == 0) {
		frac /= 10;
		p--;
	}
	return p;
}
