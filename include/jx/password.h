/*
 * password.h - passwords and session tokens: argon2id hashes (libsodium's
 * crypto_pwhash, the interactive limits), the password policy, random
 * tokens and their hashes.
 *
 * A password is kept only as its argon2id hash string; a session token only
 * as the hex BLAKE2b hash of its text (the token itself lives in the
 * client's cookie). Hashing and verifying a password are slow on purpose
 * (tens of megabytes, tens of milliseconds): every call takes a slot of the
 * gate it is given (jx_http_gate_enter/leave, NULL: no limit) so that a
 * burst of sign-ins cannot exhaust the server's memory. Verification
 * against no hash at all (an unknown login) still does the full work on a
 * dummy hash, so the time of a failed sign-in does not tell whether the
 * login exists.
 *
 * libsodium is initialised once, thread-safely, by jx_password_init (the
 * server calls it at start); every function here calls it too, so calling
 * them first is safe. This module touches neither the database nor HTTP
 * requests and never logs or keeps a password or a token.
 */
#ifndef JX_PASSWORD_H
#define JX_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/err.h"
#include "jx/limits.h"

struct jx_http_gate;

#define JX_PASSWORD_HASH_CAP                                                   \
	128 /* bytes for a hash string with its NUL                            \
	       (crypto_pwhash_STRBYTES) */
#define JX_PASSWORD_TOKEN_LEN                                                  \
	43 /* characters of a token: 32 random bytes                           \
	      in base64url without padding */
#define JX_PASSWORD_TOKEN_CAP      44 /* bytes for a token with its NUL */
#define JX_PASSWORD_TOKEN_HASH_CAP 65 /* 64 hex digits and the NUL */

/*
 * Initialise libsodium and make the dummy hash that unknown logins are
 * verified against (one argon2id hash, once per process; later calls
 * return at once). JX_EIO when libsodium cannot initialise (no entropy
 * source): every function below then fails; JX_ENOMEM when the dummy
 * hash cannot be made: jx_password_verify then answers false. The other
 * functions only need libsodium and initialise it themselves. Thread-safe.
 */
enum jx_err jx_password_init(void);

/*
 * The argon2id hash string of password pw (NUL-terminated) into
 * out[0..cap), cap >= JX_PASSWORD_HASH_CAP, with a fresh random salt and
 * the interactive limits. Takes a slot of gate g (may be NULL) while
 * hashing. JX_EINVAL when cap is too small or pw is NULL, JX_ENOMEM when
 * the hash's memory cannot be had, JX_EIO when libsodium is unusable; d
 * says why. out is written only on success. Does not check the policy.
 */
enum jx_err jx_password_hash(struct jx_http_gate *g, const char *pw, char *out,
                             size_t cap, struct jx_diag *d);

/*
 * Whether password pw matches hash (a string made by jx_password_hash).
 * hash NULL (an unknown login, an account without a password) or a hash
 * that does not parse: the same work is done on a dummy hash and the
 * answer is false. Takes a slot of gate g (may be NULL) while verifying.
 */
bool jx_password_verify(struct jx_http_gate *g, const char *hash,
                        const char *pw);

/*
 * The password policy: JX_PASSWORD_MIN..JX_PASSWORD_MAX characters of
 * valid UTF-8 without control characters, at least one ASCII letter and
 * one digit, not the login itself (ASCII case ignored; login may be NULL).
 * JX_OK or JX_EINVAL with d->field = field (e.g. "new_password") and a
 * zh-CN message.
 */
enum jx_err jx_password_policy(const char *pw, const char *login,
                               const char *field, struct jx_diag *d);

/*
 * A new random token: 32 bytes from randombytes_buf in base64url without
 * padding (JX_PASSWORD_TOKEN_LEN characters) into out[0..cap), cap >=
 * JX_PASSWORD_TOKEN_CAP. JX_EINVAL when cap is too small, JX_EIO when
 * libsodium is unusable.
 */
enum jx_err jx_password_token(char *out, size_t cap);

/* Whether s has the shape of a token (JX_PASSWORD_TOKEN_LEN base64url
 * characters): what a cookie must look like before it is looked up. */
bool jx_password_token_valid(const char *s);

/*
 * The hash under which a token is stored: BLAKE2b-256 (crypto_generichash)
 * of its text as 64 lowercase hex digits into out[0..cap), cap >=
 * JX_PASSWORD_TOKEN_HASH_CAP. The same token always gives the same hash.
 * JX_EINVAL when cap is too small or token is NULL, JX_EIO when libsodium
 * is unusable.
 */
enum jx_err jx_password_token_hash(const char *token, char *out, size_t cap);

#endif
