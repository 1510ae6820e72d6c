/*
 * h_session.c - signing in and out, the session of a request, and the
 * caller's own password (POST/GET/DELETE /api/session, POST
 * /api/session/password), plus the router's authentication hook.
 *
 * A session is a random token in an HttpOnly, SameSite=Strict cookie; the
 * database keeps only the token's hash (account.h), with the session's
 * CSRF token, which the client gets in the body of the sign-in and of GET
 * /api/session and sends back in X-CSRF-Token. Sign-ins are throttled per
 * login and per address from rows in the database, so every server process
 * sees the same counts; a throttled attempt is refused before any password
 * is checked. A wrong login and a wrong password get the same answer, and
 * cost the same time (an unknown login is verified against a dummy hash).
 *
 * Nothing here keeps state in memory between requests, logs a password or
 * a token, or calls libmicrohttpd.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "jx/account.h"
#include "jx/config.h"
#include "jx/password.h"

/* The settings of sessions and throttling, in seconds. */
struct limits {
	long idle, max, window;
	int64_t max_login, max_address;
	bool secure;
};

static void limits_of(const struct jx_http_req *rq, struct limits *l);
static struct jx_http_gate *gate_of(const struct jx_http_req *rq);
static bool throttled(struct jx_http_req *rq, struct jx_http_resp *rs,
                      const char *login, const struct limits *l);
static void set_cookie(struct jx_http_resp *rs, const char *token, long age,
                       bool secure);

const struct jx_http_field jx_h_session_login_body[] = {
        {"login", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_ACCOUNT_LOGIN_MAX,
         NULL},
        {"password", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_PASSWORD_MAX,
         NULL},
        {NULL, 0, 0, 0, 0, NULL}};

const struct jx_http_field jx_h_session_password_body[] = {
        {"old_password", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_PASSWORD_MAX,
         NULL},
        {"new_password", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_PASSWORD_MAX,
         NULL},
        {NULL, 0, 0, 0, 0, NULL}};

/* The configured limits, or config.h's defaults when the request carries
 * no configuration. */
static void
limits_of(const struct jx_http_req *rq, struct limits *l)
{
	const struct jx_config *c = rq->env != NULL ? rq->env->conf : NULL;

	l->idle = 30L * 60;
	l->max = 12L * 3600;
	l->window = 15L * 60;
	l->max_login = 5;
	l->max_address = 20;
	l->secure = false;
	if (c == NULL)
		return;
	l->idle = (long)c->session_idle_minutes * 60;
	l->max = (long)c->session_max_hours * 3600;
	l->window = (long)c->login_window_minutes * 60;
	l->max_login = c->login_max_failures;
	l->max_address = c->login_max_failures_ip;
	l->secure = c->cookie_secure;
}

static struct jx_http_gate *
gate_of(const struct jx_http_req *rq)
{
	return rq->env != NULL ? rq->env->hash_gate : NULL;
}

/*
 * Whether sign-ins of login (or from the request's address) are throttled
 * now: true with rs filled (429 and Retry-After, or the store's failure).
 * Failures past the window are pruned first.
 */
static bool
throttled(struct jx_http_req *rq, struct jx_http_resp *rs, const char *login,
          const struct limits *l)
{
	struct jx_account_failures f;
	struct jx_diag d;
	enum jx_err err;
	long wait = 0;

	jx_diag_clear(&d);
	err = jx_account_failure_prune(rq->store, l->window, &d);
	if (err == JX_OK)
		err = jx_account_failures(rq->store, login,
		                          rq->addr != NULL ? rq->addr : "",
		                          l->window, &f, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return true;
	}
	if (f.by_login >= l->max_login)
		wait = f.login_wait;
	if (f.by_address >= l->max_address && f.address_wait > wait)
		wait = f.address_wait;
	if (f.by_login < l->max_login && f.by_address < l->max_address)
		return false;
	if (wait < 1)
		wait = 1;
	rs->retry_after = (unsigned)wait;
	jx_http_error(rs, JX_EBUSY, NULL, "登录失败次数过多，请 %ld 分钟后再试",
	              (wait + 59) / 60);
	return true;
}

/* Set-Cookie for the session token (age 0 and token "": end it). */
static void
set_cookie(struct jx_http_resp *rs, const char *token, long age, bool secure)
{
	snprintf(rs->set_cookie, sizeof(rs->set_cookie),
	         "jx_session=%s; Path=/; HttpOnly; SameSite=Strict; "
	         "Max-Age=%ld%s",
	         token, age, secure ? "; Secure" : "");
}

enum jx_err
jx_router_authenticate(struct jx_http_req *rq, struct jx_diag *d)
{
	struct jx_account_session sess;
	char th[JX_PASSWORD_TOKEN_HASH_CAP];
	struct limits l;
	enum jx_err err;

	if (!jx_password_token_valid(rq->cookie))
		return jx_diag_set(d, JX_EAUTH, NULL, "未登录");
	limits_of(rq, &l);
	err = jx_password_token_hash(rq->cookie, th, sizeof(th));
	if (err != JX_OK)
		return jx_diag_set(d, err, NULL, "无法计算会话令牌的哈希");
	err = jx_account_session_resolve(rq->store, th, l.idle, &sess,
	                                 rq->arena, d);
	if (err != JX_OK)
		return err;
	rq->who = sess.who;
	rq->session_csrf = sess.csrf;
	rq->session_id = sess.id;
	rq->authed = true;
	return JX_OK;
}

void
jx_h_session_login(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	const char *login = jx_http_str(rq->json, "login");
	const char *pw = jx_http_str(rq->json, "password");
	const char *addr = rq->addr != NULL ? rq->addr : "";
	char token[JX_PASSWORD_TOKEN_CAP], csrf[JX_PASSWORD_TOKEN_CAP];
	char th[JX_PASSWORD_TOKEN_HASH_CAP], old[JX_PASSWORD_TOKEN_HASH_CAP];
	struct jx_account_credentials c;
	struct limits l;
	struct jx_diag d;
	json_t *user = NULL, *body;
	enum jx_err err;
	int64_t sid = 0;
	bool ok;

	jx_diag_clear(&d);
	limits_of(rq, &l);
	if (throttled(rq, rs, login, &l))
		return;
	memset(&c, 0, sizeof(c));
	err = jx_account_credentials(rq->store, login, &c, rq->arena, &d);
	if (err != JX_OK && err != JX_ENOTFOUND) {
		jx_http_diag(rs, err, &d);
		return;
	}
	/* Always the full work of one verification: against the user's hash,
	 * or a dummy one when the login is unknown or has no password. */
	ok = jx_password_verify(gate_of(rq), c.password_hash, pw);
	if (!ok || err == JX_ENOTFOUND || !c.active) {
		err = jx_account_failure_record(rq->store, login, addr, &d);
		if (err != JX_OK)
			jx_http_diag(rs, err, &d);
		else
			jx_http_error(rs, JX_EAUTH, NULL, "用户名或密码错误");
		return;
	}
	if (jx_password_token(token, sizeof(token)) != JX_OK ||
	    jx_password_token(csrf, sizeof(csrf)) != JX_OK ||
	    jx_password_token_hash(token, th, sizeof(th)) != JX_OK) {
		jx_http_error(rs, JX_EIO, NULL, "无法生成会话令牌");
		return;
	}
	err = jx_store_begin(rq->store, &d);
	if (err == JX_OK)
		err = jx_account_failure_clear(rq->store, login, &d);
	if (err == JX_OK)
		err = jx_account_session_prune(rq->store, l.idle, NULL, &d);
	/* A new sign-in in the same browser replaces its old session. */
	if (err == JX_OK && jx_password_token_valid(rq->cookie) &&
	    jx_password_token_hash(rq->cookie, old, sizeof(old)) == JX_OK)
		err = jx_account_session_delete_token(rq->store, old, &d);
	if (err == JX_OK)
		err = jx_account_session_create(rq->store, c.id, th, csrf, addr,
		                                l.max, &sid, &d);
	if (err == JX_OK)
		err = jx_store_commit(rq->store, &d);
	else
		jx_store_rollback(rq->store);
	if (err == JX_OK)
		err = jx_account_profile(rq->store, c.id, &user, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	body = json_pack("{s:o, s:s}", "user", user, "csrf_token", csrf);
	if (body != NULL) {
		set_cookie(rs, token, l.max, l.secure);
		rs->log_user = c.login;
	}
	jx_http_reply(rs, JX_HTTP_OK, body);
}

void
jx_h_session_get(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;
	json_t *user = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_account_profile(rq->store, rq->who.user_id, &user, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	jx_http_reply(
	        rs, JX_HTTP_OK,
	        json_pack("{s:o, s:s}", "user", user, "csrf_token",
	                  rq->session_csrf != NULL ? rq->session_csrf : ""));
}

void
jx_h_session_logout(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct limits l;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	limits_of(rq, &l);
	err = jx_account_session_delete(rq->store, rq->session_id,
	                                rq->who.login, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	set_cookie(rs, "", 0, l.secure);
	jx_http_reply(rs, JX_HTTP_NO_CONTENT, NULL);
}

void
jx_h_session_password(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	const char *old = jx_http_str(rq->json, "old_password");
	const char *pw = jx_http_str(rq->json, "new_password");
	char hash[JX_PASSWORD_HASH_CAP];
	struct jx_account_credentials c;
	struct limits l;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	limits_of(rq, &l);
	if (strcmp(old, pw) == 0) {
		jx_http_error(rs, JX_EINVAL, "new_password",
		              "新密码不能与原密码相同");
		return;
	}
	err = jx_password_policy(pw, rq->who.login, "new_password", &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	/* Guessing the old password through a stolen session is throttled
	 * like signing in. */
	if (throttled(rq, rs, rq->who.login, &l))
		return;
	memset(&c, 0, sizeof(c));
	err = jx_account_credentials(rq->store, rq->who.login, &c, rq->arena,
	                             &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	if (!jx_password_verify(gate_of(rq), c.password_hash, old)) {
		err = jx_account_failure_record(rq->store, rq->who.login,
		                                rq->addr, &d);
		if (err != JX_OK)
			jx_http_diag(rs, err, &d);
		else
			jx_http_error(rs, JX_EINVAL, "old_password",
			              "原密码不正确");
		return;
	}
	err = jx_password_hash(gate_of(rq), pw, hash, sizeof(hash), &d);
	if (err == JX_OK)
		err = jx_account_own_password(rq->store, &rq->who, hash,
		                              rq->session_id, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	jx_http_reply(rs, JX_HTTP_NO_CONTENT, NULL);
}
