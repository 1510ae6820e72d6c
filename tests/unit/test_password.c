/*
 * test_password.c - passwords and tokens (include/jx/password.h): argon2id
 * hashes and their verification, the password policy (a table, one
 * comment per row), random tokens (shape, uniqueness), token hashes (a
 * known BLAKE2b-256 vector, stability), and that a failed verification
 * against no hash (an unknown login) costs about as much as one against a
 * real hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "jx/http.h"
#include "jx/password.h"
#include "testutil.h"

static void
t_init(void **state)
{
	(void)state;
	assert_int_equal(jx_password_init(), JX_OK);
	/* again: once per process, nothing to do */
	assert_int_equal(jx_password_init(), JX_OK);
}

static void
t_hash_verify(void **state)
{
	char h1[JX_PASSWORD_HASH_CAP], h2[JX_PASSWORD_HASH_CAP];
	char small[32];
	struct jx_http_gate *g = jx_http_gate_new(1);
	struct jx_diag d;

	(void)state;
	assert_non_null(g);
	jx_diag_clear(&d);
	assert_int_equal(jx_password_hash(g, "secret123", h1, sizeof(h1), &d),
	                 JX_OK);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	/* a fresh salt each time */
	assert_int_equal(
	        jx_password_hash(NULL, "secret123", h2, sizeof(h2), &d), JX_OK);
	assert_string_not_equal(h1, h2);
	assert_true(jx_password_verify(g, h1, "secret123"));
	assert_true(jx_password_verify(NULL, h2, "secret123"));
	/* wrong password, changed case, extra character, empty */
	assert_false(jx_password_verify(g, h1, "secret124"));
	assert_false(jx_password_verify(g, h1, "Secret123"));
	assert_false(jx_password_verify(g, h1, "secret1234"));
	assert_false(jx_password_verify(g, h1, ""));
	assert_false(jx_password_verify(g, h1, NULL));
	/* no hash, or one that is not a hash */
	assert_false(jx_password_verify(g, NULL, "secret123"));
	assert_false(jx_password_verify(g, "plaintext", "plaintext"));
	assert_false(jx_password_verify(g, "", ""));
	/* a too small buffer is refused and left alone */
	memset(small, 'x', sizeof(small));
	assert_int_equal(
	        jx_password_hash(g, "secret123", small, sizeof(small), &d),
	        JX_EINVAL);
	assert_int_equal(small[0], 'x');
	assert_int_equal(jx_password_hash(g, NULL, h1, sizeof(h1), &d),
	                 JX_EINVAL);
	/* UTF-8 passwords work byte for byte */
	assert_int_equal(jx_password_hash(g, "密码abc123", h1, sizeof(h1), &d),
	                 JX_OK);
	assert_true(jx_password_verify(g, h1, "密码abc123"));
	assert_false(jx_password_verify(g, h1, "密碼abc123"));
	jx_http_gate_free(g);
}

static void
t_policy(void **state)
{
	static const struct {
		const char *pw, *login;
		enum jx_err want;
	} rows[] = {
	        {"abcdefg1", NULL, JX_OK},     /* 8 characters: the minimum */
	        {"abcdef1", NULL, JX_EINVAL},  /* 7: too short */
	        {"", NULL, JX_EINVAL},         /* empty */
	        {"abcdefgh", NULL, JX_EINVAL}, /* no digit */
	        {"12345678", NULL, JX_EINVAL}, /* no letter */
	        {"ABCDEFG1", NULL, JX_OK},     /* capitals are letters */
	        {"密码密码密码密1", NULL, JX_EINVAL}, /* CJK: no ASCII letter */
	        {"密码密码密码a1", NULL, JX_OK}, /* 8 characters, 20 bytes */
	        {"密码a1", NULL, JX_EINVAL},     /* 4 characters, 8 bytes */
	        {"abc 1234", NULL, JX_OK},       /* spaces are allowed */
	        {"abc\t1234", NULL, JX_EINVAL},  /* control characters not */
	        {"abc\x7f"
	         "1234",
	         NULL, JX_EINVAL}, /* nor DEL */
	        {"abc\xff"
	         "1234",
	         NULL, JX_EINVAL},                   /* invalid UTF-8 */
	        {"zhang123", "zhang123", JX_EINVAL}, /* the login itself */
	        {"ZHANG123", "zhang123", JX_EINVAL}, /* ... in capitals */
	        {"zhang1234", "zhang123", JX_OK},    /* more than the login */
	        {NULL, NULL, JX_EINVAL},             /* no password at all */
	};
	char longest[JX_PASSWORD_MAX + 2];
	struct jx_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum jx_err got;

		jx_diag_clear(&d);
		got = jx_password_policy(rows[i].pw, rows[i].login,
		                         "new_password", &d);
		if (got != rows[i].want)
			fail_msg("row %zu (%s): got %s, want %s", i,
			         rows[i].pw != NULL ? rows[i].pw : "NULL",
			         jx_err_name(got), jx_err_name(rows[i].want));
		if (got != JX_OK) {
			assert_string_equal(d.field, "new_password");
			assert_true(d.message[0] != '\0');
		}
	}
	/* exactly the maximum, and one more */
	memset(longest, 'a', JX_PASSWORD_MAX);
	longest[0] = '1';
	longest[JX_PASSWORD_MAX] = '\0';
	assert_int_equal(jx_password_policy(longest, NULL, NULL, &d), JX_OK);
	longest[JX_PASSWORD_MAX] = 'a';
	longest[JX_PASSWORD_MAX + 1] = '\0';
	assert_int_equal(jx_password_policy(longest, NULL, NULL, &d),
	                 JX_EINVAL);
	assert_string_equal(d.field, "password");
	/* the message is Chinese and names the limit */
	jx_password_policy("abc1", NULL, "password", &d);
	assert_non_null(strstr(d.message, "至少 8 个字符"));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void
t_tokens(void **state)
{
	enum { N = 2000 };
	char(*tok)[JX_PASSWORD_TOKEN_CAP] = calloc(N, sizeof(*tok));
	char small[16];
	size_t i, j;
	int seen[256];

	(void)state;
	assert_non_null(tok);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N; i++) {
		assert_int_equal(jx_password_token(tok[i], sizeof(tok[i])),
		                 JX_OK);
		assert_int_equal(strlen(tok[i]), JX_PASSWORD_TOKEN_LEN);
		assert_true(jx_password_token_valid(tok[i]));
		for (j = 0; tok[i][j] != '\0'; j++)
			seen[(unsigned char)tok[i][j]]++;
	}
	/* no two alike */
	qsort(tok, N, sizeof(*tok), cmp_str);
	for (i = 1; i < N; i++)
		assert_string_not_equal(tok[i - 1], tok[i]);
	/* every one of the 64 base64url characters turns up, nothing else */
	for (i = 0; i < 256; i++) {
		bool b64 = (i >= 'A' && i <= 'Z') || (i >= 'a' && i <= 'z') ||
		           (i >= '0' && i <= '9') || i == '-' || i == '_';

		if (b64)
			assert_true(seen[i] > 0);
		else
			assert_int_equal(seen[i], 0);
	}
	free(tok);
	assert_int_equal(jx_password_token(small, sizeof(small)), JX_EINVAL);
	/* the shape a cookie must have */
	assert_false(jx_password_token_valid(NULL));
	assert_false(jx_password_token_valid(""));
	assert_false(jx_password_token_valid("abc"));
	assert_false(jx_password_token_valid(
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")); /* padding */
	assert_false(jx_password_token_valid(
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")); /* 44 */
	assert_false(jx_password_token_valid(
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A")); /* base64 */
	assert_true(jx_password_token_valid(
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-_"));
}

static void
t_token_hash(void **state)
{
	char h1[JX_PASSWORD_TOKEN_HASH_CAP], h2[JX_PASSWORD_TOKEN_HASH_CAP];
	char tok[JX_PASSWORD_TOKEN_CAP], small[64];

	(void)state;
	/* BLAKE2b-256 of "abc" (RFC 7693's function, 32-byte digest) */
	assert_int_equal(jx_password_token_hash("abc", h1, sizeof(h1)), JX_OK);
	assert_string_equal(h1, "bddd813c634239723171ef3fee98579b94964e3bb1cb3"
	                        "e427262c8c068d52319");
	assert_int_equal(jx_password_token(tok, sizeof(tok)), JX_OK);
	assert_int_equal(jx_password_token_hash(tok, h1, sizeof(h1)), JX_OK);
	assert_int_equal(jx_password_token_hash(tok, h2, sizeof(h2)), JX_OK);
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), 64);
	assert_int_equal(strspn(h1, "0123456789abcdef"), 64);
	/* one character changed: another hash */
	tok[0] = tok[0] == 'A' ? 'B' : 'A';
	assert_int_equal(jx_password_token_hash(tok, h2, sizeof(h2)), JX_OK);
	assert_string_not_equal(h1, h2);
	assert_int_equal(jx_password_token_hash(tok, small, sizeof(small)),
	                 JX_EINVAL);
	assert_int_equal(jx_password_token_hash(NULL, h1, sizeof(h1)),
	                 JX_EINVAL);
}

/* The median of three timings of one verification. */
static double
verify_ms(const char *hash, const char *pw)
{
	double t[3], x;
	int i, j;

	for (i = 0; i < 3; i++) {
		double t0 = tu_now_ms();

		assert_false(jx_password_verify(NULL, hash, pw));
		t[i] = tu_now_ms() - t0;
	}
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if (t[j] < t[i]) {
				x = t[i];
				t[i] = t[j];
				t[j] = x;
			}
	return t[1];
}

/* An unknown login (no hash) costs about what a wrong password does. */
static void
t_dummy_timing(void **state)
{
	char h[JX_PASSWORD_HASH_CAP];
	double real, dummy;
	struct jx_diag d;

	(void)state;
	assert_int_equal(jx_password_hash(NULL, "right1234", h, sizeof(h), &d),
	                 JX_OK);
	real = verify_ms(h, "wrong1234");
	dummy = verify_ms(NULL, "wrong1234");
	print_message("verify: wrong password %.1f ms, unknown login %.1f ms\n",
	              real, dummy);
	/* argon2id with 64 MiB takes milliseconds, never microseconds */
	assert_true(real > 5.0);
	assert_true(dummy > real / 3.0 && dummy < real * 3.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(t_init),
	        cmocka_unit_test(t_hash_verify),
	        cmocka_unit_test(t_policy),
	        cmocka_unit_test(t_tokens),
	        cmocka_unit_test(t_token_hash),
	        cmocka_unit_test(t_dummy_timing),
	};

	return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
