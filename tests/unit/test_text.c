/*
 * test_text.c - UTF-8 validation, decoding and encoding, folding of
 * full-width forms and spaces, trimming, terminal width of mixed CJK text
 * and clipping to a number of columns. Byte strings are spelled out in
 * hex where the exact bytes matter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jx/text.h"

struct valid_case {
	const char *in;
	size_t len; /* 0: strlen */
	bool valid;
};

static const struct valid_case valid_cases[] = {
        /* empty */
        {"", 0, true},
        /* ASCII */
        {"abc 123", 0, true},
        /* CJK, three bytes each */
        {"中文", 0, true},
        /* two-byte form: é */
        {"\xc3\xa9", 0, true},
        /* four-byte form: U+1F600 */
        {"\xf0\x9f\x98\x80", 0, true},
        /* the last scalar value U+10FFFF */
        {"\xf4\x8f\xbf\xbf", 0, true},
        /* an embedded NUL is valid UTF-8 */
        {"a\0b", 3, true},
        /* overlong '/' in two bytes */
        {"\xc0\xaf", 0, false},
        /* overlong in three bytes */
        {"\xe0\x80\xaf", 0, false},
        /* overlong in four bytes */
        {"\xf0\x80\x80\xaf", 0, false},
        /* a UTF-16 surrogate U+D800 */
        {"\xed\xa0\x80", 0, false},
        /* above U+10FFFF */
        {"\xf4\x90\x80\x80", 0, false},
        /* lead bytes that never occur */
        {"\xf5\x80\x80\x80", 0, false},
        {"\xff", 0, false},
        /* a lone continuation byte */
        {"\x80", 0, false},
        /* a truncated sequence at the end */
        {"中\xe4\xb8", 0, false},
        /* a truncated sequence followed by ASCII */
        {"\xe4\xb8"
         "a",
         0, false},
        /* Latin-1 text, not UTF-8 */
        {"caf\xe9", 0, false},
        /* GBK bytes of 中文 */
        {"\xd6\xd0\xce\xc4", 0, false},
        /* long CJK runs are checked two characters at a time: valid,
         * with the leads E0 and ED at their limits, and with a defect
         * after a few characters */
        {"中文中文中文中文中文中文", 0, true},
        {"中文\xe0\xa0\x80中文\xed\x9f\xbf中文中文", 0, true},
        {"中文中文\xed\xa0\x80中文中文", 0, false},
        {"中文中文\xe0\x9f\xbf中文中文", 0, false},
        {"中文中文\xe4\xb8"
         "a中文中文",
         0, false},
        {"中文中文\xe4\xb8\xc0中文中文", 0, false},
        /* a defect in the last bytes, where words no longer fit */
        {"中文中文中文\xe4", 0, false},
};

static void
test_valid_table(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		const struct valid_case *c = &valid_cases[i];

		len = c->len != 0 ? c->len : strlen(c->in);
		if (jx_text_utf8_valid(c->in, len) != c->valid)
			fail_msg("row %zu: want %s", i,
			         c->valid ? "valid" : "invalid");
	}
}

static void
test_next_put(void **state)
{
	const char *s = "a中\xff\xf0\x9f\x98\x80";
	size_t len = strlen(s), i = 0;
	char out[4];

	(void)state;
	assert_int_equal(jx_text_utf8_next(s, len, &i), 'a');
	assert_int_equal(i, 1);
	assert_int_equal(jx_text_utf8_next(s, len, &i), 0x4E2D);
	assert_int_equal(i, 4);
	/* invalid: -1, one byte skipped */
	assert_int_equal(jx_text_utf8_next(s, len, &i), -1);
	assert_int_equal(i, 5);
	assert_int_equal(jx_text_utf8_next(s, len, &i), 0x1F600);
	assert_int_equal(i, len);
	/* at the end: -1, i unchanged */
	assert_int_equal(jx_text_utf8_next(s, len, &i), -1);
	assert_int_equal(i, len);
	/* a sequence cut by len is invalid even if the bytes go on */
	i = 1;
	assert_int_equal(jx_text_utf8_next(s, 3, &i), -1);
	assert_int_equal(i, 2);

	assert_int_equal(jx_text_utf8_put(0x41, out), 1);
	assert_memory_equal(out, "A", 1);
	assert_int_equal(jx_text_utf8_put(0x7FF, out), 2);
	assert_memory_equal(out, "\xdf\xbf", 2);
	assert_int_equal(jx_text_utf8_put(0x4E2D, out), 3);
	assert_memory_equal(out, "\xe4\xb8\xad", 3);
	assert_int_equal(jx_text_utf8_put(0x1F600, out), 4);
	assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
	/* not scalar values */
	assert_int_equal(jx_text_utf8_put(0xD800, out), 0);
	assert_int_equal(jx_text_utf8_put(0x110000, out), 0);
	assert_int_equal(jx_text_utf8_put(-1, out), 0);
}

static void
test_put_next_round_trip(void **state)
{
	char out[4];
	int32_t cp, back;
	size_t n, i;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
		n = jx_text_utf8_put(cp, out);
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			assert_int_equal(n, 0);
			continue;
		}
		i = 0;
		back = jx_text_utf8_next(out, n, &i);
		if (back != cp || i != n)
			fail_msg("U+%04X did not round-trip", (unsigned)cp);
	}
}

struct fold_case {
	const char *in;
	const char *want; /* NULL: fold fails */
};

static const struct fold_case fold_cases[] = {
        /* full-width comparison, digits and percent sign */
        {"≥ ９５ ％", "≥95%"},
        /* full-width brackets around a unit */
        {"信息系统电费（万元）", "信息系统电费(万元)"},
        /* ideographic spaces at both ends */
        {"\xe3\x80\x80满意\xe3\x80\x80", "满意"},
        /* NBSP, tab and ASCII spaces inside a value */
        {"\xc2\xa0"
         "1 \t项\r\n",
         "1项"},
        /* full-width letters keep their case */
        {"ＡＢｃ", "ABc"},
        /* full-width tilde, the last of the range */
        {"９０～９５", "90~95"},
        /* full-width minus and comparison */
        {"－５", "-5"},
        {"＜＝５", "<=5"},
        /* byte-order mark and zero-width space */
        {"\xef\xbb\xbf"
         "1\xe2\x80\x8b"
         "2",
         "12"},
        /* narrow NBSP, en quad */
        {"1\xe2\x80\xaf"
         "2\xe2\x80\x80"
         "3",
         "123"},
        /* what is not full-width ASCII stays: ≥, ‰, CJK, U+FF5F */
        {"≥5‰", "≥5‰"},
        {"\xef\xbd\x9f", "\xef\xbd\x9f"},
        /* the half-width yen sign is not in the range */
        {"\xef\xbf\xa5"
         "5",
         "\xef\xbf\xa5"
         "5"},
        /* nothing but spaces */
        {" \xe3\x80\x80 ", ""},
        /* empty */
        {"", ""},
        /* CJK is copied whole; a full-width form in the middle folds */
        {"中文中文９５％中文", "中文中文95%中文"},
        /* invalid UTF-8 */
        {"9\xff"
         "5",
         NULL},
        {"\xe4\xb8", NULL},
};

static void
test_fold_table(void **state)
{
	char out[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(fold_cases) / sizeof(fold_cases[0]); i++) {
		const struct fold_case *c = &fold_cases[i];

		n = jx_text_fold(c->in, strlen(c->in), out, sizeof(out));
		if (c->want == NULL) {
			if (n != (size_t)-1)
				fail_msg("row %zu: want failure", i);
			continue;
		}
		if (n != strlen(c->want) || strcmp(out, c->want) != 0)
			fail_msg("row %zu: \"%s\", want \"%s\"", i, out,
			         c->want);
	}
}

static void
test_fold_capacity(void **state)
{
	char out[8];

	(void)state;
	/* "95%" needs 4 bytes with the NUL */
	assert_int_equal(jx_text_fold("９５％", 9, out, 4), 3);
	assert_string_equal(out, "95%");
	assert_int_equal(jx_text_fold("９５％", 9, out, 3), (size_t)-1);
	/* a three-byte character that does not fit whole */
	assert_int_equal(jx_text_fold("a中", 4, out, 4), (size_t)-1);
	assert_int_equal(jx_text_fold("a中", 4, out, 5), 4);
	/* cap 0 */
	assert_int_equal(jx_text_fold("", 0, out, 0), (size_t)-1);
	/* cap = len + 1 always suffices */
	assert_int_equal(jx_text_fold("a b", 3, out, 4), 2);
}

struct trim_case {
	const char *in;
	const char *want;
};

static const struct trim_case trim_cases[] = {
        /* ASCII spaces and tabs */
        {"  ab \t", "ab"},
        /* ideographic spaces */
        {"\xe3\x80\x80中\xe3\x80\x80", "中"},
        /* NBSP */
        {"\xc2\xa0x\xc2\xa0", "x"},
        /* inner spaces stay */
        {" 明显 提升 ", "明显 提升"},
        /* mixed run of all three */
        {"\xc2\xa0 \xe3\x80\x80"
         "1项\r\n\xe3\x80\x80",
         "1项"},
        /* nothing but spaces */
        {" \xe3\x80\x80 ", ""},
        /* nothing to trim */
        {"达标", "达标"},
        /* a lone 0xA0 byte is not NBSP: kept */
        {"\xa0x", "\xa0x"},
};

static void
test_trim_table(void **state)
{
	size_t i, len;
	const char *p;

	(void)state;
	for (i = 0; i < sizeof(trim_cases) / sizeof(trim_cases[0]); i++) {
		const struct trim_case *c = &trim_cases[i];

		p = c->in;
		len = strlen(c->in);
		jx_text_trim(&p, &len);
		if (len != strlen(c->want) || memcmp(p, c->want, len) != 0)
			fail_msg("row %zu: \"%.*s\", want \"%s\"", i, (int)len,
			         p, c->want);
		/* the result points into the input */
		if (p < c->in || p + len > c->in + strlen(c->in))
			fail_msg("row %zu: pointer outside the input", i);
	}
}

struct cut_case {
	const char *in;
	size_t len;  /* bytes offered */
	size_t want; /* bytes kept */
};

static const struct cut_case cut_cases[] = {
        /* ASCII: any length is a boundary */
        {"abc", 2, 2},
        /* the whole text */
        {"a中", 4, 4},
        /* one byte into a three-byte character: cut before it */
        {"a中", 2, 1},
        /* two bytes into it */
        {"a中", 3, 1},
        /* a two-byte character cut in half */
        {"x\xc3\xa9", 2, 1},
        /* a four-byte character three bytes in */
        {"\xf0\x9f\x98\x80", 3, 0},
        /* nothing */
        {"", 0, 0},
};

static void
test_cut_count_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cut_cases) / sizeof(cut_cases[0]); i++) {
		const struct cut_case *c = &cut_cases[i];
		size_t got = jx_text_utf8_cut(c->in, c->len);

		if (got != c->want)
			fail_msg("row %zu: %zu, want %zu", i, got, c->want);
	}
	/* characters, not bytes */
	assert_int_equal(jx_text_utf8_count("", 0), 0);
	assert_int_equal(jx_text_utf8_count("ab", 2), 2);
	assert_int_equal(jx_text_utf8_count("预算绩效", 12), 4);
	assert_int_equal(jx_text_utf8_count("a中\xf0\x9f\x98\x80", 8), 3);
	/* only the first len bytes count */
	assert_int_equal(jx_text_utf8_count("预算绩效", 6), 2);
}

static void
test_ascii_ieq(void **state)
{
	(void)state;
	assert_true(jx_text_ascii_ieq("", ""));
	assert_true(jx_text_ascii_ieq("Admin", "aDMIN"));
	assert_true(jx_text_ascii_ieq("zhang.san@x-1", "ZHANG.SAN@X-1"));
	/* a prefix is not equal, in either order */
	assert_false(jx_text_ascii_ieq("admin", "admin1"));
	assert_false(jx_text_ascii_ieq("admin1", "admin"));
	/* only ASCII letters fold: '@' and '`' differ by 0x20 but stay */
	assert_false(jx_text_ascii_ieq("@", "`"));
	assert_false(jx_text_ascii_ieq("[", "{"));
	/* other bytes must match exactly: no full-width folding */
	assert_true(jx_text_ascii_ieq("张三A", "张三a"));
	assert_false(jx_text_ascii_ieq("Ａ", "ａ"));
}

struct date_case {
	const char *in;
	bool ok;
	int y, m, d; /* when ok */
};

static const struct date_case date_cases[] = {
        /* an ordinary date */
        {"2024-06-30", true, 2024, 6, 30},
        /* 29 February in a leap year */
        {"2024-02-29", true, 2024, 2, 29},
        /* ... and in 2000 (divisible by 400) */
        {"2000-02-29", true, 2000, 2, 29},
        /* not in 1900 (divisible by 100) */
        {"1900-02-29", false, 0, 0, 0},
        /* not in 2023 */
        {"2023-02-29", false, 0, 0, 0},
        /* the first year accepted */
        {"1900-01-01", true, 1900, 1, 1},
        /* before it */
        {"1899-12-31", false, 0, 0, 0},
        /* no upper bound of its own */
        {"9999-12-31", true, 9999, 12, 31},
        /* month 13, month 0, day 0, day 31 of a 30-day month */
        {"2024-13-01", false, 0, 0, 0},
        {"2024-00-10", false, 0, 0, 0},
        {"2024-05-00", false, 0, 0, 0},
        {"2024-04-31", false, 0, 0, 0},
        /* wrong shape: short, long, slashes, a letter, full-width digit */
        {"2024-6-30", false, 0, 0, 0},
        {"2024-06-301", false, 0, 0, 0},
        {"2024/06/30", false, 0, 0, 0},
        {"2024-0a-30", false, 0, 0, 0},
        {"２024-06-30", false, 0, 0, 0},
        /* a timestamp is not a date */
        {"2024-06-30T00:00:00Z", false, 0, 0, 0},
        {"", false, 0, 0, 0},
};

static void
test_date_table(void **state)
{
	size_t i;
	int y, m, d;

	(void)state;
	for (i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		const struct date_case *c = &date_cases[i];
		bool ok;

		y = m = d = -1;
		ok = jx_text_date(c->in, &y, &m, &d);
		if (ok != c->ok)
			fail_msg("row %zu (%s): %d, want %d", i, c->in, ok,
			         c->ok);
		if (ok && (y != c->y || m != c->m || d != c->d))
			fail_msg("row %zu (%s): %d-%d-%d", i, c->in, y, m, d);
		/* nothing is written when it is not a date */
		if (!ok && (y != -1 || m != -1 || d != -1))
			fail_msg("row %zu (%s): parts written", i, c->in);
		/* the parts are optional */
		if (jx_text_date(c->in, NULL, NULL, NULL) != c->ok)
			fail_msg("row %zu (%s): differs without parts", i,
			         c->in);
	}
	assert_false(jx_text_date(NULL, NULL, NULL, NULL));
}

struct width_case {
	const char *in;
	size_t cols;
};

static const struct width_case width_cases[] = {
        /* ASCII */
        {"abc", 3},
        /* CJK ideographs are two columns */
        {"中文", 4},
        /* mixed */
        {"ab中文c", 7},
        /* an indicator name with full-width brackets */
        {"信息系统电费（万元）", 20},
        /* ≥ is ambiguous width, counted narrow; ASCII digits and % */
        {"≥95%", 4},
        /* full-width digits and percent */
        {"９５％", 6},
        /* ideographic space and CJK punctuation are wide */
        {"\xe3\x80\x80、。", 6},
        /* Hangul syllable */
        {"한", 2},
        /* half-width katakana is narrow */
        {"\xef\xbd\xb1", 1},
        /* emoji are wide */
        {"\xf0\x9f\x98\x80", 2},
        /* a combining acute accent takes no column */
        {"e\xcc\x81", 1},
        /* zero-width space and soft hyphen take none */
        {"中\xe2\x80\x8b\xc2\xad", 2},
        /* an invalid byte counts one */
        {"a\xff"
         "b",
         3},
        /* CJK extension B, four bytes */
        {"\xf0\xa0\x80\x80", 2},
        /* Greek and Cyrillic are narrow */
        {"αЖ", 2},
        /* the ‰ sign is narrow */
        {"5‰", 2},
        /* empty */
        {"", 0},
};

static void
test_width_table(void **state)
{
	size_t i, w;

	(void)state;
	for (i = 0; i < sizeof(width_cases) / sizeof(width_cases[0]); i++) {
		const struct width_case *c = &width_cases[i];

		w = jx_text_width(c->in, strlen(c->in));
		if (w != c->cols)
			fail_msg("row %zu \"%s\": %zu columns, want %zu", i,
			         c->in, w, c->cols);
	}
}

struct clip_case {
	const char *in;
	size_t cols, cap;
	const char *want;
	size_t used;
};

static const struct clip_case clip_cases[] = {
        /* a wide character that would cross the limit stays out */
        {"中文abc", 3, 64, "中", 2},
        /* exactly at the limit */
        {"中文abc", 4, 64, "中文", 4},
        {"中文abc", 5, 64, "中文a", 5},
        /* everything fits */
        {"中文abc", 80, 64, "中文abc", 7},
        /* zero columns */
        {"中文", 0, 64, "", 0},
        /* the buffer is the limit: 3 bytes of 中 and the NUL */
        {"中文", 10, 4, "中", 2},
        /* buffer too small for even one character */
        {"中文", 10, 3, "", 0},
        /* a combining mark stays with its base */
        {"e\xcc\x81x", 1, 64, "e\xcc\x81", 1},
        /* invalid bytes are copied and count one */
        {"\xff\xfe"
         "a",
         2, 64, "\xff\xfe", 2},
};

static void
test_clip_table(void **state)
{
	char out[64];
	size_t i, n, used;

	(void)state;
	for (i = 0; i < sizeof(clip_cases) / sizeof(clip_cases[0]); i++) {
		const struct clip_case *c = &clip_cases[i];

		used = 999;
		n = jx_text_clip(c->in, strlen(c->in), c->cols, out, c->cap,
		                 &used);
		if (n != strlen(c->want) || strcmp(out, c->want) != 0 ||
		    used != c->used)
			fail_msg(
			        "row %zu: \"%s\" (%zu cols), want \"%s\" (%zu)",
			        i, out, used, c->want, c->used);
	}
	/* used_cols may be NULL; cap 0 writes nothing */
	out[0] = 'x';
	assert_int_equal(jx_text_clip("ab", 2, 5, out, 0, NULL), 0);
	assert_int_equal(out[0], 'x');
	assert_int_equal(jx_text_clip("ab", 2, 5, out, sizeof(out), NULL), 2);
	assert_string_equal(out, "ab");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid_table),
	        cmocka_unit_test(test_next_put),
	        cmocka_unit_test(test_put_next_round_trip),
	        cmocka_unit_test(test_fold_table),
	        cmocka_unit_test(test_fold_capacity),
	        cmocka_unit_test(test_trim_table),
	        cmocka_unit_test(test_cut_count_table),
	        cmocka_unit_test(test_ascii_ieq),
	        cmocka_unit_test(test_date_table),
	        cmocka_unit_test(test_width_table),
	        cmocka_unit_test(test_clip_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
