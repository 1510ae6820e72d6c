/*
 * test_dec.c - exact decimals: parsing (malformed text, precision, the
 * limits), formatting and its rounding, checked addition and subtraction,
 * a * b / c with its single rounding (in 64 bits and past them), round,
 * cmp and near.
 * Every expectation is an exact integer count of millionths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jx/dec.h"

#define M(n) ((jx_dec)(n)*JX_DEC_SCALE) /* n whole units */

struct parse_case {
	const char *in;
	enum jx_err err;
	jx_dec want;
};

static const struct parse_case parse_cases[] = {
        /* a whole number */
        {"12", JX_OK, M(12)},
        /* negative fraction */
        {"-0.5", JX_OK, -500000},
        /* trailing zero kept in the text, not in the value */
        {"131.40", JX_OK, 131400000},
        /* no integer part */
        {".5", JX_OK, 500000},
        /* explicit plus */
        {"+3", JX_OK, M(3)},
        /* zero and negative zero are the same */
        {"0", JX_OK, 0},
        {"-0", JX_OK, 0},
        /* leading zeros are harmless */
        {"00012.5", JX_OK, 12500000},
        /* the smallest step */
        {"0.000001", JX_OK, 1},
        /* zeros past the sixth place lose nothing */
        {"1.0000000", JX_OK, M(1)},
        {"2.50000000000000000000", JX_OK, 2500000},
        /* a nonzero seventh decimal would be lost: refused */
        {"1.0000001", JX_EPARSE, 0},
        {"0.1234567", JX_EPARSE, 0},
        /* the largest value */
        {"9223372036854.775807", JX_OK, INT64_MAX},
        /* the smallest value: symmetric, -INT64_MAX */
        {"-9223372036854.775807", JX_OK, -INT64_MAX},
        /* one step past either end */
        {"9223372036854.775808", JX_ETOOBIG, 0},
        {"-9223372036854.775808", JX_ETOOBIG, 0},
        /* integer part too large */
        {"9223372036855", JX_ETOOBIG, 0},
        /* far too many digits for uint64 */
        {"99999999999999999999999", JX_ETOOBIG, 0},
        /* empty */
        {"", JX_EPARSE, 0},
        /* sign alone */
        {"-", JX_EPARSE, 0},
        {"+", JX_EPARSE, 0},
        /* point alone */
        {".", JX_EPARSE, 0},
        /* point without decimals */
        {"5.", JX_EPARSE, 0},
        /* exponent */
        {"1e5", JX_EPARSE, 0},
        /* spaces are the caller's business */
        {" 1", JX_EPARSE, 0},
        {"1 ", JX_EPARSE, 0},
        /* thousands separators too */
        {"1,000", JX_EPARSE, 0},
        /* two signs */
        {"--1", JX_EPARSE, 0},
        /* two points */
        {"1.2.3", JX_EPARSE, 0},
        /* trailing letters */
        {"12x", JX_EPARSE, 0},
        /* a unit is not part of a decimal */
        {"95%", JX_EPARSE, 0},
        /* full-width digits are value.c's business (it folds first) */
        {"\xef\xbc\x91", JX_EPARSE, 0},
        /* malformed and too big at once: malformed wins */
        {"99999999999999999999999x", JX_EPARSE, 0},
};

static void
test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		jx_dec v = 777;
		enum jx_err err = jx_dec_parse(c->in, strlen(c->in), &v);

		if (err != c->err)
			fail_msg("row %zu \"%s\": err %d, want %d", i, c->in,
			         (int)err, (int)c->err);
		if (c->err == JX_OK && v != c->want)
			fail_msg("row %zu \"%s\": %lld, want %lld", i, c->in,
			         (long long)v, (long long)c->want);
		/* the out-parameter is assigned only on success */
		if (c->err != JX_OK && v != 777)
			fail_msg("row %zu \"%s\": out touched on error", i,
			         c->in);
	}
}

static void
test_parse_len(void **state)
{
	jx_dec v = 0;

	(void)state;
	/* only len bytes are read: "12345" with len 2 is 12 */
	assert_int_equal(jx_dec_parse("12345", 2, &v), JX_OK);
	assert_int_equal(v, M(12));
	/* NULL text or out */
	assert_int_equal(jx_dec_parse(NULL, 3, &v), JX_EPARSE);
	assert_int_equal(jx_dec_parse("1", 1, NULL), JX_EPARSE);
}

struct format_case {
	jx_dec v;
	int places;
	const char *want;
};

static const struct format_case format_cases[] = {
        /* minimal decimals */
        {131400000, -1, "131.4"},
        {M(10), -1, "10"},
        {50000, -1, "0.05"},
        {-500000, -1, "-0.5"},
        {1, -1, "0.000001"},
        {0, -1, "0"},
        /* exact places, padded */
        {131400000, 2, "131.40"},
        {M(7), 6, "7.000000"},
        /* half away from zero at 0 places, both signs */
        {2500000, 0, "3"},
        {-2500000, 0, "-3"},
        {2499999, 0, "2"},
        {-2499999, 0, "-2"},
        /* half away from zero at 2 places */
        {1005000, 2, "1.01"},
        {1004999, 2, "1.00"},
        {-1005000, 2, "-1.01"},
        /* a carry through every digit */
        {9999500, 3, "10.000"},
        /* rounds to zero: no "-0" */
        {-400000, 0, "0"},
        {-4, 5, "0.00000"},
        /* the extremes */
        {INT64_MAX, -1, "9223372036854.775807"},
        {-INT64_MAX, -1, "-9223372036854.775807"},
        {INT64_MAX, 0, "9223372036855"},
        /* places beyond the range are clamped */
        {1, 9, "0.000001"},
        {1500000, -7, "1.5"},
};

static void
test_format_table(void **state)
{
	char buf[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		const struct format_case *c = &format_cases[i];

		n = jx_dec_format(c->v, c->places, buf, sizeof(buf));
		if (strcmp(buf, c->want) != 0 || n != strlen(c->want))
			fail_msg("row %zu %lld/%d: \"%s\" (%zu), want \"%s\"",
			         i, (long long)c->v, c->places, buf, n,
			         c->want);
	}
}

static void
test_format_truncates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	/* cap 4: three bytes and the NUL */
	assert_int_equal(jx_dec_format(131400000, -1, buf, 4), 3);
	assert_string_equal(buf, "131");
	/* cap 1: only the NUL */
	assert_int_equal(jx_dec_format(5, -1, buf, 1), 0);
	assert_string_equal(buf, "");
	/* cap 0: nothing written at all */
	buf[0] = 'x';
	assert_int_equal(jx_dec_format(5, -1, buf, 0), 0);
	assert_int_equal(buf[0], 'x');
}

static void
test_format_round_trip(void **state)
{
	static const jx_dec vals[] = {0,
	                              1,
	                              -1,
	                              999999,
	                              1000000,
	                              -1000001,
	                              131400000,
	                              123456789,
	                              INT64_MAX,
	                              -INT64_MAX,
	                              4611686018427387904};
	char buf[64];
	jx_dec back;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		n = jx_dec_format(vals[i], -1, buf, sizeof(buf));
		assert_int_equal(jx_dec_parse(buf, n, &back), JX_OK);
		assert_int_equal(back, vals[i]);
	}
}

static void
test_add_sub(void **state)
{
	jx_dec r = 42;

	(void)state;
	assert_int_equal(jx_dec_add(M(1), 500000, &r), JX_OK);
	assert_int_equal(r, 1500000);
	assert_int_equal(jx_dec_add(JX_DEC_MAX, JX_DEC_MIN, &r), JX_OK);
	assert_int_equal(r, 0);
	assert_int_equal(jx_dec_add(JX_DEC_MAX - 1, 1, &r), JX_OK);
	assert_int_equal(r, JX_DEC_MAX);
	/* overflow at either end; out untouched */
	r = 42;
	assert_int_equal(jx_dec_add(JX_DEC_MAX, 1, &r), JX_ETOOBIG);
	assert_int_equal(jx_dec_add(JX_DEC_MIN, -1, &r), JX_ETOOBIG);
	assert_int_equal(r, 42);
	assert_int_equal(jx_dec_sub(M(1), M(3), &r), JX_OK);
	assert_int_equal(r, M(-2));
	assert_int_equal(jx_dec_sub(0, JX_DEC_MIN, &r), JX_OK);
	assert_int_equal(r, JX_DEC_MAX);
	r = 42;
	assert_int_equal(jx_dec_sub(JX_DEC_MIN, 1, &r), JX_ETOOBIG);
	assert_int_equal(jx_dec_sub(JX_DEC_MAX, -1, &r), JX_ETOOBIG);
	/* -INT64_MAX - 1 would be INT64_MIN, outside the range */
	assert_int_equal(jx_dec_sub(-1, JX_DEC_MAX, &r), JX_ETOOBIG);
	assert_int_equal(r, 42);
}

struct muldiv_case {
	jx_dec a, b, c;
	int places;
	enum jx_err err;
	jx_dec want;
};

static const struct muldiv_case muldiv_cases[] = {
        /* P0's cost line: 5 * 131.4 / 134 = 4.9029... -> 4.90 */
        {M(5), 131400000, M(134), 2, JX_OK, 4900000},
        /* execution rate 47.76 / 50 = 0.9552 at 4 places */
        {47760000, M(1), M(50), 4, JX_OK, 955200},
        /* 1/8 = 0.125 -> 0.13: half away from zero, once */
        {M(1), M(1), M(8), 2, JX_OK, 130000},
        {M(-1), M(1), M(8), 2, JX_OK, -130000},
        {M(1), M(1), M(-8), 2, JX_OK, -130000},
        {M(-1), M(-1), M(8), 2, JX_OK, 130000},
        /* thirds at 6 and at 0 places */
        {M(1), M(1), M(3), 6, JX_OK, 333333},
        {M(2), M(1), M(3), 6, JX_OK, 666667},
        {M(1), M(1), M(3), 0, JX_OK, 0},
        {M(2), M(1), M(3), 0, JX_OK, M(1)},
        /* half a millionth rounds away from zero at 6 places */
        {1, 1, 2, 6, JX_OK, 1},
        {-1, 1, 2, 6, JX_OK, -1},
        /* below half a millionth rounds to zero */
        {1, 1, 3, 6, JX_OK, 0},
        /* 95% in base: 95 * 0.01 */
        {M(95), 10000, M(1), 6, JX_OK, 950000},
        /* the intermediate needs 126 bits: MAX * MAX / MAX */
        {INT64_MAX, INT64_MAX, INT64_MAX, 6, JX_OK, INT64_MAX},
        /* MAX * 2 / 2 overflows int64 in the middle, not at the end */
        {INT64_MAX, M(2), M(2), 6, JX_OK, INT64_MAX},
        /* a result that does not fit */
        {INT64_MAX, M(2), M(1), 6, JX_ETOOBIG, 0},
        {INT64_MAX, M(-2), M(1), 6, JX_ETOOBIG, 0},
        /* fits at 6 places, but rounding up at 0 places would not */
        {INT64_MAX, M(1), M(1), 0, JX_ETOOBIG, 0},
        /* the divisors that are constants in the 64-bit path: 10^4
         * (c is 1%), 10^8 (4 places), 10^10 (2 places), half away from
         * zero each */
        {M(95), M(1), 10000, 6, JX_OK, M(9500)},
        {1234550, M(1), M(1), 4, JX_OK, 1234600},
        {-1235000, M(1), M(1), 2, JX_OK, -1240000},
        /* a * b just fits in 64 bits, and just does not */
        {3037000499, 3037000499, M(1), 6, JX_OK, 9223372030926},
        {3037000500, 3037000500, M(1), 6, JX_OK, 9223372037000},
        /* a * b is INT64_MIN and c negative: its negation needs 128 */
        {-(INT64_C(1) << 62), 2, M(-1), 6, JX_OK, 9223372036855},
        /* fits in 64 bits until the rounded quotient is scaled back */
        {INT64_MAX, 1, 1, 0, JX_ETOOBIG, 0},
        {-INT64_MAX, 1, 1, 0, JX_ETOOBIG, 0},
        /* division by zero */
        {M(1), M(1), 0, 2, JX_EINVAL, 0},
        /* places out of range */
        {M(1), M(1), M(1), 7, JX_EINVAL, 0},
        {M(1), M(1), M(1), -1, JX_EINVAL, 0},
};

static void
test_muldiv_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(muldiv_cases) / sizeof(muldiv_cases[0]); i++) {
		const struct muldiv_case *c = &muldiv_cases[i];
		jx_dec r = 777;
		enum jx_err err =
		        jx_dec_muldiv(c->a, c->b, c->c, c->places, &r);

		if (err != c->err)
			fail_msg("row %zu: err %d, want %d", i, (int)err,
			         (int)c->err);
		if (c->err == JX_OK && r != c->want)
			fail_msg("row %zu: %lld, want %lld", i, (long long)r,
			         (long long)c->want);
		if (c->err != JX_OK && r != 777)
			fail_msg("row %zu: out touched on error", i);
	}
	assert_int_equal(jx_dec_muldiv(1, 1, 1, 2, NULL), JX_EINVAL);
}

static void
test_round(void **state)
{
	(void)state;
	/* half away from zero, both signs */
	assert_int_equal(jx_dec_round(2500000, 0), M(3));
	assert_int_equal(jx_dec_round(-2500000, 0), M(-3));
	assert_int_equal(jx_dec_round(1250000, 1), 1300000);
	assert_int_equal(jx_dec_round(1249999, 1), 1200000);
	assert_int_equal(jx_dec_round(-1250000, 1), -1300000);
	/* 6 places or more: unchanged */
	assert_int_equal(jx_dec_round(1234567, 6), 1234567);
	assert_int_equal(jx_dec_round(1234567, 9), 1234567);
	/* negative places act as 0 */
	assert_int_equal(jx_dec_round(1600000, -3), M(2));
	/* at the limits the rounded value would not fit: toward zero */
	assert_int_equal(jx_dec_round(JX_DEC_MAX, 0),
	                 INT64_C(9223372036854000000));
	assert_int_equal(jx_dec_round(JX_DEC_MIN, 0),
	                 -INT64_C(9223372036854000000));
	/* but a value that does fit still rounds away from zero */
	assert_int_equal(jx_dec_round(INT64_C(9223372036853500000), 0),
	                 INT64_C(9223372036854000000));
}

static void
test_cmp_near_from_int(void **state)
{
	(void)state;
	assert_int_equal(jx_dec_cmp(1, 2), -1);
	assert_int_equal(jx_dec_cmp(2, 2), 0);
	assert_int_equal(jx_dec_cmp(JX_DEC_MAX, JX_DEC_MIN), 1);
	assert_true(jx_dec_near(M(5), M(7), M(2)));
	assert_false(jx_dec_near(M(5), M(8), M(2)));
	assert_true(jx_dec_near(M(8), M(5), M(3)));
	/* the difference overflows int64: still answered correctly */
	assert_false(jx_dec_near(JX_DEC_MAX, JX_DEC_MIN, JX_DEC_MAX));
	assert_true(jx_dec_near(JX_DEC_MAX, JX_DEC_MAX, 0));
	assert_int_equal(jx_dec_from_int(12), M(12));
	assert_int_equal(jx_dec_from_int(-12), M(-12));
	/* outside +-9.2e12 it saturates */
	assert_int_equal(jx_dec_from_int(INT64_C(9300000000000)), JX_DEC_MAX);
	assert_int_equal(jx_dec_from_int(-INT64_C(9300000000000)), JX_DEC_MIN);
}

/* Percentages: exact, and saturating rather than overflowing. */
static void
test_percent(void **state)
{
	(void)state;
	assert_true(jx_dec_percent(980597) == 98059700); /* 0.980597 */
	assert_true(jx_dec_percent(-JX_DEC_ONE) == -100 * JX_DEC_ONE);
	assert_true(jx_dec_percent(0) == 0);
	assert_true(jx_dec_percent(JX_DEC_MAX / 100) ==
	            (JX_DEC_MAX / 100) * 100); /* the edge */
	assert_true(jx_dec_percent(JX_DEC_MAX / 100 + 1) == JX_DEC_MAX);
	assert_true(jx_dec_percent(JX_DEC_MIN) == -JX_DEC_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_table),
	        cmocka_unit_test(test_parse_len),
	        cmocka_unit_test(test_format_table),
	        cmocka_unit_test(test_format_truncates),
	        cmocka_unit_test(test_format_round_trip),
	        cmocka_unit_test(test_add_sub),
	        cmocka_unit_test(test_muldiv_table),
	        cmocka_unit_test(test_round),
	        cmocka_unit_test(test_cmp_near_from_int),
	        cmocka_unit_test(test_percent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
