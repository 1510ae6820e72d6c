/*
 * test_json.c - the strict JSON reader: a table of texts it must accept and
 * texts it must refuse (with the error, line and column), the tree it
 * builds (unescaping, numbers kept as written, member order, positions in
 * characters), and the limits on depth, size and duplicate keys in big
 * objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jx/json.h"
#include "jx/limits.h"

struct parse_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	enum jx_err err;
	int line; /* 0: not checked */
	int column;
};

#define OK(s)                                                                  \
	{                                                                      \
		s, 0, JX_OK, 0, 0                                              \
	}
#define BAD(s, l, c)                                                           \
	{                                                                      \
		s, 0, JX_EPARSE, l, c                                          \
	}

static const struct parse_case cases[] = {
        /* the empty object and array */
        OK("{}"),
        OK("[]"),
        /* whitespace of all four kinds around and inside */
        OK(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n\n"),
        /* a scalar is a JSON text too */
        OK("\"abc\""),
        OK("0"),
        OK("-0"),
        OK("true"),
        OK("false"),
        OK("null"),
        /* number forms: fraction, exponent with and without sign */
        OK("-12.5e+3"),
        OK("1E-2"),
        OK("10e5"),
        OK("0.000"),
        /* every simple escape */
        OK("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
        /* \u escapes, upper and lower case hex */
        OK("\"\\u00e9\\u4E2D\""),
        /* a surrogate pair */
        OK("\"\\uD83D\\uDE00\""),
        /* \u0000 is valid JSON (refused later by evaljson) */
        OK("\"a\\u0000b\""),
        /* raw UTF-8 of two, three and four bytes */
        OK("\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\""),
        /* DEL needs no escape */
        OK("\"\x7f\""),
        /* a byte order mark at the start is skipped */
        OK("\xef\xbb\xbf{}"),
        /* U+FEFF inside a string is just a character */
        OK("\"\xef\xbb\xbf\""),
        /* the same key in different objects */
        OK("{\"a\":{\"a\":1},\"b\":{\"a\":2}}"),
        /* keys differing only by case are different keys */
        OK("{\"a\":1,\"A\":2}"),
        /* nested mixture */
        OK("[1,[2,[3]],{\"k\":[]},\"x\",null]"),
        /* the largest code points */
        OK("\"\\uDBFF\\uDFFF\xf4\x8f\xbf\xbf\""),

        /* empty input */
        BAD("", 1, 1),
        /* only whitespace */
        BAD(" \n  ", 2, 3),
        /* unterminated object */
        BAD("{", 1, 2),
        /* trailing commas */
        BAD("[1,]", 1, 4),
        BAD("{\"a\":1,}", 1, 8),
        /* a comma with nothing before it */
        BAD("[,1]", 1, 2),
        /* single quotes */
        BAD("{'a':1}", 1, 2),
        /* comments */
        BAD("// c\n{}", 1, 1),
        BAD("{} /* c */", 1, 4),
        /* NaN and infinities */
        BAD("NaN", 1, 1),
        BAD("[Infinity]", 1, 2),
        BAD("-Infinity", 1, 2),
        /* number forms JSON does not have */
        BAD("01", 1, 2),
        BAD("1.", 1, 3),
        BAD(".5", 1, 1),
        BAD("+1", 1, 1),
        BAD("1e", 1, 3),
        BAD("1e+", 1, 4),
        BAD("-", 1, 2),
        BAD("0x10", 1, 2),
        /* a duplicate key, reported at its second occurrence */
        BAD("{\"a\":1,\n \"b\":2,\n \"a\":3}", 3, 2),
        /* missing colon and comma */
        BAD("{\"a\" 1}", 1, 6),
        BAD("[1 2]", 1, 4),
        /* a key must be a string */
        BAD("{1:2}", 1, 2),
        /* two values */
        BAD("{} {}", 1, 4),
        /* unterminated string */
        BAD("\"abc", 1, 5),
        /* raw control characters in a string */
        BAD("\"a\tb\"", 1, 3),
        BAD("\"a\nb\"", 1, 3),
        /* unknown escape, short \u, backslash at the end */
        BAD("\"\\x\"", 1, 2),
        BAD("\"\\u12\"", 1, 2),
        BAD("\"a\\", 1, 3),
        /* lone surrogates, and a high one followed by a non-surrogate */
        BAD("\"\\uD800\"", 1, 2),
        BAD("\"\\uDC00\"", 1, 2),
        BAD("\"\\uD800\\u0041\"", 1, 2),
        /* invalid UTF-8: bad continuation, overlong, encoded surrogate,
         * past U+10FFFF, a lone byte, a truncated sequence */
        BAD("\"\xc3\x28\"", 1, 2),
        BAD("\"\xc0\xaf\"", 1, 2),
        BAD("\"\xed\xa0\x80\"", 1, 2),
        BAD("\"\xf4\x90\x80\x80\"", 1, 2),
        BAD("\"\xff\"", 1, 2),
        BAD("\"\xe4\xb8", 1, 2),
        /* invalid UTF-8 in an escaped string is caught too */
        BAD("\"\\n\xc3\"", 1, 4),
        /* a byte order mark anywhere but the start */
        BAD("{}\xef\xbb\xbf", 1, 3),
        BAD(" \xef\xbb\xbf{}", 1, 2),
        /* truncated literals and wrong case */
        BAD("tru", 1, 1),
        BAD("[nul]", 1, 2),
        BAD("True", 1, 1),
        /* a NUL byte after the value */
        {"[1]\0", 4, JX_EPARSE, 1, 4},
        /* columns count characters: the x is the 8th */
        BAD("[\"\xe4\xb8\xad\xe6\x96\x87\", x]", 1, 8),
        /* long CJK runs go two characters at a time: the columns still
         * count characters, here the x is the 16th */
        BAD("[\"中文中文中文中文中文\", x]", 1, 16),
        /* a run mixed with ASCII, punctuation and a four-byte form */
        BAD("[\"中文ab中文，。中\xf0\x9f\x98\x80文中文\", x]", 1, 19),
        /* defects inside a long run: a truncated character, an encoded
         * surrogate, an overlong form (each at the 5th character) */
        BAD("\"中文中文\xe4\xb8中文中文\"", 1, 6),
        BAD("\"中文中文\xed\xa0\x80中文中文\"", 1, 6),
        BAD("\"中文中文\xe0\x80\x80中文中文\"", 1, 6),
        /* U+0800 (lead E0) and U+D7FF (lead ED) in a run are fine */
        OK("\"中文\xe0\xa0\x80中文\xed\x9f\xbf中文中文\""),
        /* a quote, a control character, a backslash just after 8 ASCII
         * bytes and just after a run */
        BAD("\"abcdefgh\x01\"", 1, 10),
        BAD("\"中文中文\x01\"", 1, 6),
        OK("\"abcdefgh\\n中文中文\\t\""),
};

static void
test_parse_table(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_json *root;
	size_t i, len;
	enum jx_err err;

	(void)state;
	jx_arena_init(&a, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];

		len = c->len != 0 ? c->len : strlen(c->in);
		jx_diag_clear(&d);
		root = NULL;
		err = jx_json_parse(c->in, len, 1, &a, &root, &d);
		if (err != c->err || (c->line != 0 && (d.line != c->line ||
		                                       d.column != c->column)))
			fail_msg("case %zu (%s): err %d at %d:%d (%s), want %d "
			         "at %d:%d",
			         i, c->in, err, d.line, d.column, d.message,
			         c->err, c->line, c->column);
		if (err == JX_OK)
			assert_non_null(root);
		else
			assert_true(d.message[0] != '\0');
		jx_arena_reset(&a);
	}
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 40);
	jx_arena_cleanup(&a);
}

static const struct jx_json *
parse_ok(struct jx_arena *a, const char *s, int line)
{
	const struct jx_json *root = NULL;
	struct jx_diag d;

	jx_diag_clear(&d);
	if (jx_json_parse(s, strlen(s), line, a, &root, &d) != JX_OK)
		fail_msg("parse failed at %d:%d: %s", d.line, d.column,
		         d.message);
	return root;
}

static void
assert_str(const struct jx_json *v, const char *want, size_t len)
{
	assert_non_null(v);
	assert_int_equal(v->kind, JX_JSON_STRING);
	assert_int_equal(v->len, len);
	assert_memory_equal(v->u.s, want, len);
}

static void
test_tree(void **state)
{
	static const char doc[] =
	        "{\"s\": \"a\\u00e9\\uD83D\\uDE00\\n\",\n"
	        " \"n\": -131.40e-0, \"t\": true, \"f\": false, \"z\": null,\n"
	        " \"a\": [1, \"\xe4\xb8\xad\", {}],\n"
	        " \"\\u0041\": \"plain\"}";
	struct jx_arena a;
	const struct jx_json *root, *v;

	(void)state;
	jx_arena_init(&a, 0);
	root = parse_ok(&a, doc, 1);
	assert_int_equal(root->kind, JX_JSON_OBJECT);
	assert_int_equal(root->len, 7);
	/* members in document order, keys unescaped */
	assert_str(&root->u.members[0].key, "s", 1);
	assert_str(&root->u.members[6].key, "A", 1);
	assert_str(jx_json_get(root, "s"), "a\xc3\xa9\xf0\x9f\x98\x80\n", 8);
	/* a number keeps its literal text */
	v = jx_json_get(root, "n");
	assert_int_equal(v->kind, JX_JSON_NUMBER);
	assert_int_equal(v->len, strlen("-131.40e-0"));
	assert_memory_equal(v->u.s, "-131.40e-0", v->len);
	assert_int_equal(jx_json_get(root, "t")->kind, JX_JSON_TRUE);
	assert_int_equal(jx_json_get(root, "f")->kind, JX_JSON_FALSE);
	assert_int_equal(jx_json_get(root, "z")->kind, JX_JSON_NULL);
	v = jx_json_get(root, "a");
	assert_int_equal(v->kind, JX_JSON_ARRAY);
	assert_int_equal(v->len, 3);
	assert_int_equal(v->u.items[0].kind, JX_JSON_NUMBER);
	assert_str(&v->u.items[1], "\xe4\xb8\xad", 3);
	assert_int_equal(v->u.items[2].kind, JX_JSON_OBJECT);
	assert_int_equal(v->u.items[2].len, 0);
	/* positions: line 3, the 中 string is the 11th character and the
	 * {} after it the 16th (中 is one column) */
	assert_int_equal(v->line, 3);
	assert_int_equal(v->column, 7);
	assert_int_equal(v->u.items[1].line, 3);
	assert_int_equal(v->u.items[1].column, 11);
	assert_int_equal(v->u.items[2].column, 16);
	assert_str(jx_json_get(root, "A"), "plain", 5);
	/* a string without escapes points into the input */
	v = jx_json_get(root, "A");
	assert_true(v->u.s > doc && v->u.s < doc + sizeof(doc));
	/* lookups that find nothing */
	assert_null(jx_json_get(root, "missing"));
	assert_null(jx_json_get(v, "s"));
	assert_null(jx_json_get(NULL, "s"));
	assert_true(jx_json_eq(v, "plain", 5));
	assert_false(jx_json_eq(v, "plai", 4));
	assert_false(jx_json_eq(root, "plain", 5));
	jx_arena_cleanup(&a);
}

static void
test_start_line(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_json *root = NULL, *v;
	const char *bad = "{\"a\": 1,\n \"b\": x}";

	(void)state;
	jx_arena_init(&a, 0);
	/* a JSON Lines record at line 41 reports absolute lines */
	root = parse_ok(&a, "{\"a\":\n [true]}", 41);
	v = jx_json_get(root, "a");
	assert_int_equal(root->line, 41);
	assert_int_equal(v->line, 42);
	assert_int_equal(v->column, 2);
	jx_diag_clear(&d);
	assert_int_equal(jx_json_parse(bad, strlen(bad), 7, &a, &root, &d),
	                 JX_EPARSE);
	assert_int_equal(d.line, 8);
	assert_int_equal(d.column, 7);
	/* the parser leaves file and field alone */
	assert_string_equal(d.file, "");
	assert_string_equal(d.field, "");
	/* a BOM does not count as a column */
	root = parse_ok(&a, "\xef\xbb\xbf[1, 2]", 1);
	assert_int_equal(root->u.items[1].column, 5);
	jx_arena_cleanup(&a);
}

/* n nested arrays, then n closing brackets. */
static char *
nested(size_t n)
{
	char *s = malloc(2 * n + 1);

	assert_non_null(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	return s;
}

static void
test_depth(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_json *root = NULL;
	char *s;

	(void)state;
	jx_arena_init(&a, 0);
	/* exactly the limit is fine */
	s = nested(JX_MAX_JSON_DEPTH);
	assert_int_equal(jx_json_parse(s, strlen(s), 1, &a, &root, &d), JX_OK);
	free(s);
	/* one more is too deep, reported at the bracket that opens it */
	s = nested(JX_MAX_JSON_DEPTH + 1);
	jx_diag_clear(&d);
	assert_int_equal(jx_json_parse(s, strlen(s), 1, &a, &root, &d),
	                 JX_ETOOBIG);
	assert_int_equal(d.column, JX_MAX_JSON_DEPTH + 1);
	free(s);
	/* far deeper: refused without recursing that far */
	s = nested(100000);
	assert_int_equal(jx_json_parse(s, strlen(s), 1, &a, &root, &d),
	                 JX_ETOOBIG);
	free(s);
	jx_arena_cleanup(&a);
}

static void
test_size_limit(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_json *root = NULL;
	size_t n = (size_t)JX_MAX_RECORD_BYTES + 1;
	char *s = malloc(n);

	(void)state;
	assert_non_null(s);
	memset(s, ' ', n);
	s[0] = '1';
	jx_arena_init(&a, 0);
	jx_diag_clear(&d);
	assert_int_equal(jx_json_parse(s, n, 1, &a, &root, &d), JX_ETOOBIG);
	assert_non_null(strstr(d.message, "上限"));
	/* one byte less is fine */
	assert_int_equal(jx_json_parse(s, n - 1, 1, &a, &root, &d), JX_OK);
	assert_int_equal(root->kind, JX_JSON_NUMBER);
	free(s);
	jx_arena_cleanup(&a);
}

/* An object of n keys "k0".."k<n-1>", then `extra` (may be ""). */
static char *
big_object(size_t n, const char *extra)
{
	size_t cap = n * 16 + strlen(extra) + 8, used = 0, i;
	char *s = malloc(cap);

	assert_non_null(s);
	s[used++] = '{';
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, cap - used, "%s\"k%zu\":%zu",
		                         i > 0 ? "," : "", i, i);
	used += (size_t)snprintf(s + used, cap - used, "%s}", extra);
	return s;
}

static void
test_big_objects(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_json *root = NULL;
	char *s;

	(void)state;
	jx_arena_init(&a, 0);
	/* many distinct keys: accepted, all kept in order */
	s = big_object(5000, "");
	assert_int_equal(jx_json_parse(s, strlen(s), 1, &a, &root, &d), JX_OK);
	assert_int_equal(root->len, 5000);
	assert_str(&root->u.members[4999].key, "k4999", 5);
	assert_non_null(jx_json_get(root, "k2500"));
	free(s);
	/* a duplicate among them is found (sorted check), at its position */
	s = big_object(5000, ",\"k2500\":0");
	jx_diag_clear(&d);
	assert_int_equal(jx_json_parse(s, strlen(s), 1, &a, &root, &d),
	                 JX_EPARSE);
	assert_int_equal(d.column, (int)(strchr(s, '\0') - s) - 10 + 1);
	assert_non_null(strstr(d.message, "k2500"));
	free(s);
	/* the first repeated key in document order is the one reported */
	s = big_object(40, ",\"k7\":0,\"k3\":0");
	jx_diag_clear(&d);
	assert_int_equal(jx_json_parse(s, strlen(s), 1, &a, &root, &d),
	                 JX_EPARSE);
	assert_non_null(strstr(d.message, "“k7”"));
	free(s);
	jx_arena_cleanup(&a);
}

static void
test_arguments(void **state)
{
	struct jx_arena a;
	struct jx_diag d;
	const struct jx_json *root = NULL;

	(void)state;
	jx_arena_init(&a, 0);
	assert_int_equal(jx_json_parse(NULL, 1, 1, &a, &root, &d), JX_EINVAL);
	assert_int_equal(jx_json_parse("1", 1, 1, NULL, &root, &d), JX_EINVAL);
	assert_int_equal(jx_json_parse("1", 1, 1, &a, NULL, &d), JX_EINVAL);
	/* NULL with length 0 is empty input; d may be NULL */
	assert_int_equal(jx_json_parse(NULL, 0, 1, &a, &root, NULL), JX_EPARSE);
	/* an out-of-memory arena is reported, not a crash */
	a.limit = 1;
	assert_int_equal(jx_json_parse("[1,2]", 5, 1, &a, &root, &d),
	                 JX_ENOMEM);
	assert_string_equal(jx_json_kind_name(JX_JSON_STRING), "字符串");
	assert_string_equal(jx_json_kind_name(JX_JSON_TRUE), "布尔值");
	jx_arena_cleanup(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_table),
	        cmocka_unit_test(test_tree),
	        cmocka_unit_test(test_start_line),
	        cmocka_unit_test(test_depth),
	        cmocka_unit_test(test_size_limit),
	        cmocka_unit_test(test_big_objects),
	        cmocka_unit_test(test_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
