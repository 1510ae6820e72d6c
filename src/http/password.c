/*
 * password.c - argon2id password hashes, the password policy, random
 * session tokens and their hashes, all through libsodium.
 *
 * The only state is libsodium's own and the dummy hash that unknown logins
 * are verified against, both set up once under pthread_once. Nothing here
 * reads or writes the database, and no password or token is ever logged,
 * kept or copied anywhere but the caller's buffers.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "jx/http.h"
#include "jx/password.h"
#include "jx/text.h"

static void sodium_once(void);
static void dummy_once(void);
static enum jx_err sodium_ready(void);

static pthread_once_t sodium_ctl = PTHREAD_ONCE_INIT;
static pthread_once_t dummy_ctl = PTHREAD_ONCE_INIT;
static enum jx_err sodium_err = JX_EIO;
static enum jx_err dummy_err = JX_EIO;
/* The hash of a random password that nobody knows: what a sign-in with an
 * unknown login is verified against, so that it costs the same. */
static char dummy_hash[crypto_pwhash_STRBYTES];

#define OPSLIMIT crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE
#define ALG      crypto_pwhash_ALG_ARGON2ID13

_Static_assert(JX_PASSWORD_HASH_CAP >= crypto_pwhash_STRBYTES,
               "JX_PASSWORD_HASH_CAP too small");
_Static_assert(JX_PASSWORD_TOKEN_CAP >=
                       sodium_base64_ENCODED_LEN(
                               32, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "JX_PASSWORD_TOKEN_CAP too small");
_Static_assert(JX_PASSWORD_TOKEN_HASH_CAP >= crypto_generichash_BYTES * 2 + 1,
               "JX_PASSWORD_TOKEN_HASH_CAP too small");

static void
sodium_once(void)
{
	sodium_err = sodium_init() < 0 ? JX_EIO : JX_OK;
}

static void
dummy_once(void)
{
	unsigned char secret[32];
	char pw[sodium_base64_ENCODED_LEN(
	        sizeof(secret), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(secret, sizeof(secret));
	sodium_bin2base64(pw, sizeof(pw), secret, sizeof(secret),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	dummy_err = crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), OPSLIMIT,
	                                  MEMLIMIT, ALG) == 0
	                    ? JX_OK
	                    : JX_ENOMEM;
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(pw, sizeof(pw));
}

/* libsodium initialised (once); JX_EIO when it cannot be. */
static enum jx_err
sodium_ready(void)
{
	if (pthread_once(&sodium_ctl, sodium_once) != 0)
		return JX_EIO;
	return sodium_err;
}

enum jx_err
jx_password_init(void)
{
	enum jx_err err = sodium_ready();

	if (err != JX_OK)
		return err;
	if (pthread_once(&dummy_ctl, dummy_once) != 0)
		return JX_EIO;
	return dummy_err;
}

enum jx_err
jx_password_hash(struct jx_http_gate *g, const char *pw, char *out, size_t cap,
                 struct jx_diag *d)
{
	char buf[crypto_pwhash_STRBYTES];
	enum jx_err err;
	int rc;

	err = sodium_ready();
	if (err != JX_OK)
		return jx_diag_set(d, err, NULL, "密码模块无法初始化");
	if (pw == NULL || cap < crypto_pwhash_STRBYTES)
		return jx_diag_set(d, JX_EINVAL, NULL, "密码哈希的参数无效");
	jx_http_gate_enter(g);
	rc = crypto_pwhash_str_alg(buf, pw, strlen(pw), OPSLIMIT, MEMLIMIT,
	                           ALG);
	jx_http_gate_leave(g);
	if (rc != 0)
		return jx_diag_set(d, JX_ENOMEM, NULL,
		                   "内存不足，无法计算密码哈希");
	memcpy(out, buf, strlen(buf) + 1);
	return JX_OK;
}

bool
jx_password_verify(struct jx_http_gate *g, const char *hash, const char *pw)
{
	bool real = hash != NULL && pw != NULL &&
	            strlen(hash) < crypto_pwhash_STRBYTES &&
	            strncmp(hash, "$argon2", 7) == 0;
	const char *h = real ? hash : dummy_hash;
	const char *p = pw != NULL ? pw : "";
	int rc;

	if (jx_password_init() != JX_OK)
		return false;
	jx_http_gate_enter(g);
	rc = crypto_pwhash_str_verify(h, p, strlen(p));
	jx_http_gate_leave(g);
	return real && rc == 0;
}

enum jx_err
jx_password_policy(const char *pw, const char *login, const char *field,
                   struct jx_diag *d)
{
	size_t i, len, chars = 0;
	bool letter = false, digit = false;

	if (field == NULL)
		field = "password";
	if (pw == NULL)
		return jx_diag_set(d, JX_EINVAL, field, "密码不能为空");
	len = strlen(pw);
	if (!jx_text_utf8_valid(pw, len))
		return jx_diag_set(d, JX_EINVAL, field,
		                   "密码含有无效的 UTF-8 字符");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];

		if ((c & 0xc0) != 0x80)
			chars++;
		if (c < 0x20 || c == 0x7f)
			return jx_diag_set(d, JX_EINVAL, field,
			                   "密码不能包含控制字符");
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = true;
		else if (c >= '0' && c <= '9')
			digit = true;
	}
	if (chars < JX_PASSWORD_MIN)
		return jx_diag_set(d, JX_EINVAL, field,
		                   "密码过短：至少 %d 个字符", JX_PASSWORD_MIN);
	if (chars > JX_PASSWORD_MAX)
		return jx_diag_set(d, JX_EINVAL, field,
		                   "密码过长：最多 %d 个字符", JX_PASSWORD_MAX);
	if (!letter || !digit)
		return jx_diag_set(d, JX_EINVAL, field,
		                   "密码须至少包含一个英文字母和一个数字");
	if (login != NULL && jx_text_ascii_ieq(pw, login))
		return jx_diag_set(d, JX_EINVAL, field, "密码不能与登录名相同");
	return JX_OK;
}

enum jx_err
jx_password_token(char *out, size_t cap)
{
	unsigned char raw[32];

	if (sodium_ready() != JX_OK)
		return JX_EIO;
	if (out == NULL || cap < JX_PASSWORD_TOKEN_CAP)
		return JX_EINVAL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, cap, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return JX_OK;
}

bool
jx_password_token_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i >= JX_PASSWORD_TOKEN_LEN ||
		    !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return i == JX_PASSWORD_TOKEN_LEN;
}

enum jx_err
jx_password_token_hash(const char *token, char *out, size_t cap)
{
	unsigned char h[crypto_generichash_BYTES];

	if (sodium_ready() != JX_OK)
		return JX_EIO;
	if (token == NULL || out == NULL || cap < JX_PASSWORD_TOKEN_HASH_CAP)
		return JX_EINVAL;
	if (crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	                       strlen(token), NULL, 0) != 0)
		return JX_EIO;
	sodium_bin2hex(out, cap, h, sizeof(h));
	return JX_OK;
}
