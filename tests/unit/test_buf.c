/*
 * test_buf.c - the bounded byte buffer: appends and the ceiling, printf
 * formatting in place and with growth, and JSON string literals (every
 * escape, invalid UTF-8 replaced, long runs of ASCII and CJK copied whole,
 * the ceiling reached exactly when the literal would not fit, and the
 * buffer left as it was on failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jx/buf.h"

struct lit_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
};

static const struct lit_case lit_cases[] = {
        /* empty */
        {"", 0, "\"\""},
        /* plain ASCII, shorter and longer than a word */
        {"abc", 0, "\"abc\""},
        {"abcdefghijklmnopqrstuvwxyz", 0, "\"abcdefghijklmnopqrstuvwxyz\""},
        /* the escapes with a name */
        {"a\"b\\c\nd\re\tf", 0, "\"a\\\"b\\\\c\\nd\\re\\tf\""},
        /* other controls, NUL and DEL as \u00XX; '/' stays */
        {"\b\f\x01\x1f\x7f/", 0, "\"\\u0008\\u000c\\u0001\\u001f\\u007f/\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        /* an escape right after eight plain bytes, and at the end */
        {"abcdefgh\"", 0, "\"abcdefgh\\\"\""},
        /* CJK, a long run, and mixed with ASCII and escapes */
        {"中文", 0, "\"中文\""},
        {"中文中文中文中文中文中文", 0, "\"中文中文中文中文中文中文\""},
        {"自评得分95分，\"优\"\n", 0, "\"自评得分95分，\\\"优\\\"\\n\""},
        /* two- and four-byte forms */
        {"\xc3\xa9\xf0\x9f\x98\x80", 0, "\"\xc3\xa9\xf0\x9f\x98\x80\""},
        /* invalid UTF-8: each bad byte becomes U+FFFD */
        {"a\xff"
         "b",
         0,
         "\"a\xef\xbf\xbd"
         "b\""},
        {"\xe4\xb8", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\""},
        {"中文中文\xed\xa0\x80中文", 0,
         "\"中文中文\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd中文\""},
        {"\xc0\xaf", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\""},
};

static void
test_json_string_table(void **state)
{
	struct jx_buf b;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(lit_cases) / sizeof(lit_cases[0]); i++) {
		const struct lit_case *c = &lit_cases[i];

		len = c->len != 0 ? c->len : strlen(c->in);
		jx_buf_init(&b, 1 << 20);
		assert_int_equal(jx_buf_add(&b, "x", 1), JX_OK);
		if (jx_buf_add_json_string(&b, c->in, len) != JX_OK)
			fail_msg("row %zu: failed", i);
		if (b.len != strlen(c->want) + 1 ||
		    strcmp(b.data + 1, c->want) != 0)
			fail_msg("row %zu: %s, want %s", i, b.data + 1,
			         c->want);
		jx_buf_free(&b);
	}
}

static void
test_json_string_ceiling(void **state)
{
	struct jx_buf b;
	size_t max;

	(void)state;
	/* "ab\n" needs 6 bytes as a literal: "ab\n" with quotes. After one
	 * byte already there, a ceiling of 7 takes it and 6 does not. */
	for (max = 4; max <= 8; max++) {
		jx_buf_init(&b, max);
		assert_int_equal(jx_buf_add(&b, "x", 1), JX_OK);
		if (max >= 7) {
			assert_int_equal(jx_buf_add_json_string(&b, "ab\n", 3),
			                 JX_OK);
			assert_string_equal(b.data, "x\"ab\\n\"");
		} else {
			/* refused, and the buffer is as it was */
			assert_int_equal(jx_buf_add_json_string(&b, "ab\n", 3),
			                 JX_ETOOBIG);
			assert_int_equal(b.len, 1);
			assert_string_equal(b.data, "x");
		}
		jx_buf_free(&b);
	}
	/* the replacement for an invalid byte counts too: 3 bytes for 1,
	 * so the literal takes 5 */
	jx_buf_init(&b, 4);
	assert_int_equal(jx_buf_add_json_string(&b, "\xff", 1), JX_ETOOBIG);
	assert_int_equal(b.len, 0);
	assert_int_equal(jx_buf_add_json_string(&b, "ab", 2), JX_OK);
	assert_string_equal(b.data, "\"ab\"");
	jx_buf_free(&b);
}

static void
test_printf(void **state)
{
	struct jx_buf b;
	char big[600];

	(void)state;
	jx_buf_init(&b, 1 << 20);
	/* the first printf allocates; the next ones fit in place */
	assert_int_equal(jx_buf_printf(&b, "%d", 2021), JX_OK);
	assert_int_equal(jx_buf_printf(&b, ",%s:%zu", "中文", (size_t)7),
	                 JX_OK);
	assert_string_equal(b.data, "2021,中文:7");
	assert_int_equal(b.len, strlen("2021,中文:7"));
	/* one that does not fit in the free space grows the buffer */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(jx_buf_printf(&b, "[%s]", big), JX_OK);
	assert_int_equal(b.len, strlen("2021,中文:7") + sizeof(big) + 1);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	jx_buf_free(&b);

	/* the ceiling, with and without room allocated past it */
	jx_buf_init(&b, 6);
	assert_int_equal(jx_buf_printf(&b, "%s", "abcd"), JX_OK);
	assert_int_equal(jx_buf_printf(&b, "%s", "efg"), JX_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abcd");
	assert_int_equal(jx_buf_printf(&b, "%s", "ef"), JX_OK);
	assert_string_equal(b.data, "abcdef");
	jx_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_json_string_table),
	        cmocka_unit_test(test_json_string_ceiling),
	        cmocka_unit_test(test_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
