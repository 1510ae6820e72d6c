/*
 * test_account.c - sessions, failed sign-ins, users and organisations
 * (include/jx/account.h) and the handlers built on them (h_session.c,
 * h_users.c, h_orgs.c), on both back-ends: every test runs on SQLite (a new
 * file in a fresh mkdtemp directory) and, when JX_TEST_PG_URL names a
 * PostgreSQL database, again on PostgreSQL in a schema of its own that is
 * dropped afterwards. With JX_TEST_PG_REQUIRED=1 and no URL the run fails.
 *
 * Each test starts from a small tree: 市财政局 -> 教育局 (第一中学,
 * 第二中学) and 卫生健康委 (人民医院), with an administrator, a finance
 * reviewer, a department reviewer of 教育局 and unit filers of 第一中学
 * and 人民医院. Handlers are called directly with a filled struct
 * jx_http_req (no sockets), as the router would after its checks.
 *
 * Timestamps in the past are planted with SQL through the store's own
 * statement plumbing (src/store/internal.h).
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/http/handlers.h"
#include "../../src/store/internal.h"
#include "jx/account.h"
#include "jx/config.h"
#include "jx/http.h"
#include "jx/password.h"
#include "jx/router.h"
#include "jx/store.h"
#include "testutil.h"

#define PASSWORD "Passw0rd-2024"

/* One test's database, its tree, and the scratch of handler calls. */
struct fx {
	struct tu_db db;
	struct jx_store *s;
	struct jx_diag d;
	struct jx_arena ar;
	int64_t root, edu, health, school1, school2, hospital;
	int64_t u_admin, u_fin, u_edu, u_school1, u_hospital;
	struct jx_who w_admin, w_edu, w_school1;
	/* handler calls */
	struct jx_config conf;
	struct jx_http_env env;
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_arena rar;
	json_t *body;
	char cookie[JX_PASSWORD_TOKEN_CAP];
	json_t *held; /* a JSON value a test keeps; released by teardown */
};

static char g_hash[JX_PASSWORD_HASH_CAP]; /* of PASSWORD, made once */

/* ---- helpers --------------------------------------------------------- */

/* Run SQL with text and integer parameters (a test's look under the
 * store). */
static void
sql_run(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	tu_must(jx_store_run(fx->s, sql, p, n, &fx->d), &fx->d, sql);
}

static int64_t
sql_int(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	int64_t v = 0;

	tu_must(jx_store_one_int(fx->s, sql, p, n, &v, &fx->d), &fx->d, sql);
	return v;
}

/* The text of the first column of sql's first row, in fx->ar. */
static const char *
sql_text(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	static const struct jx_store_col cols[] = {{"v", JX_STORE_COL_TEXT},
	                                           {NULL, 0}};
	json_t *row = NULL;
	const char *v;
	char *out;

	tu_must(jx_store_row_json(fx->s, sql, p, n, cols, &row, &fx->d), &fx->d,
	        sql);
	v = json_string_value(json_object_get(row, "v"));
	out = v != NULL ? jx_arena_strndup(&fx->ar, v, strlen(v)) : NULL;
	json_decref(row);
	return out;
}

/* The caller `login` as the router would fill it in. */
static void
who_of(struct fx *fx, const char *login, struct jx_who *w)
{
	struct jx_db_param p[] = {P_TEXT(login)};

	memset(w, 0, sizeof(*w));
	w->user_id =
	        sql_int(fx, "SELECT id FROM jx_user WHERE login = ?", p, 1);
	w->org_id =
	        sql_int(fx, "SELECT org_id FROM jx_user WHERE login = ?", p, 1);
	w->login = jx_arena_strndup(&fx->ar, login, strlen(login));
	w->name =
	        sql_text(fx, "SELECT name FROM jx_user WHERE login = ?", p, 1);
	w->role =
	        sql_text(fx, "SELECT role FROM jx_user WHERE login = ?", p, 1);
	w->org_kind = sql_text(fx,
	                       "SELECT o.kind FROM jx_user u JOIN jx_org o ON "
	                       "o.id = u.org_id WHERE u.login = ?",
	                       p, 1);
	w->org_path = sql_text(fx,
	                       "SELECT o.path FROM jx_user u JOIN jx_org o ON "
	                       "o.id = u.org_id WHERE u.login = ?",
	                       p, 1);
}

static int64_t
user(struct fx *fx, int64_t org, const char *login, const char *role)
{
	struct jx_user u = {0, org, login, login, role, g_hash, 0};
	int64_t id = 0;

	tu_must(jx_store_user_create(fx->s, &u, &id, &fx->d), &fx->d, login);
	return id;
}

static int64_t
org(struct fx *fx, int64_t parent, enum jx_org_kind kind, const char *name)
{
	int64_t id = 0;

	tu_must(jx_store_org_ensure(fx->s, parent, kind, name, NULL, NULL, NULL,
	                            &id, &fx->d),
	        &fx->d, name);
	return id;
}

static int64_t
sessions_of(struct fx *fx, int64_t user_id)
{
	struct jx_db_param p[] = {P_INT(user_id)};

	return sql_int(fx, "SELECT COUNT(*) FROM jx_session WHERE user_id = ?",
	               p, 1);
}

/* A new session of user_id with a fresh token; its hash into th. */
static int64_t
session(struct fx *fx, int64_t user_id, char *th, long max_seconds)
{
	char tok[JX_PASSWORD_TOKEN_CAP], csrf[JX_PASSWORD_TOKEN_CAP];
	int64_t id = 0;

	assert_int_equal(jx_password_token(tok, sizeof(tok)), JX_OK);
	assert_int_equal(jx_password_token(csrf, sizeof(csrf)), JX_OK);
	assert_int_equal(
	        jx_password_token_hash(tok, th, JX_PASSWORD_TOKEN_HASH_CAP),
	        JX_OK);
	tu_must(jx_account_session_create(fx->s, user_id, th, csrf, "10.1.1.1",
	                                  max_seconds, &id, &fx->d),
	        &fx->d, "session");
	return id;
}

/* Set a time column of a row to `ago` seconds in the past. */
static void
age(struct fx *fx, const char *table, const char *col, int64_t id, long ago)
{
	char sql[160], t[32];

	jx_store_time_from_now(-(long long)ago, t, sizeof(t));
	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ? WHERE id = ?", table,
	         col);
	{
		struct jx_db_param p[] = {P_TEXT(t), P_INT(id)};

		sql_run(fx, sql, p, 2);
	}
}

/* ---- handler calls --------------------------------------------------- */

/* Prepare fx->rq for a handler: a JSON body (NULL: none), the session
 * cookie (NULL: none), the client's address. */
static void
req(struct fx *fx, const char *json, const char *cookie, const char *addr)
{
	json_error_t e;

	jx_http_resp_cleanup(&fx->rs);
	jx_http_resp_init(&fx->rs);
	json_decref(fx->rq.json);
	jx_arena_reset(&fx->rar);
	memset(&fx->rq, 0, sizeof(fx->rq));
	fx->rq.method = "POST";
	fx->rq.path = "/api/test";
	fx->rq.addr = addr;
	fx->rq.cookie = cookie;
	fx->rq.arena = &fx->rar;
	fx->rq.store = fx->s;
	fx->rq.env = &fx->env;
	if (json != NULL) {
		fx->rq.json = json_loads(json, JSON_REJECT_DUPLICATES, &e);
		if (fx->rq.json == NULL)
			fail_msg("bad JSON in test: %s", e.text);
	}
}

/* Authenticate fx->rq from its cookie as the router does. */
static enum jx_err
auth(struct fx *fx)
{
	jx_diag_clear(&fx->d);
	return jx_router_authenticate(&fx->rq, &fx->d);
}

/* A handler's answer must be `status`; for errors, `code` when not NULL. */
static void
status_is(struct fx *fx, unsigned status, const char *code)
{
	if (fx->rs.status != status) {
		char *b = fx->rs.body != NULL
		                  ? json_dumps(fx->rs.body, JSON_COMPACT)
		                  : NULL;

		fail_msg("status %u, want %u: %s", fx->rs.status, status,
		         b != NULL ? b : "(no body)");
	}
	if (code != NULL)
		assert_string_equal(
		        json_string_value(json_object_get(
		                json_object_get(fx->rs.body, "error"), "code")),
		        code);
}

static const char *
err_message(struct fx *fx)
{
	return json_string_value(json_object_get(
	        json_object_get(fx->rs.body, "error"), "message"));
}

static const char *
err_field(struct fx *fx)
{
	return json_string_value(json_object_get(
	        json_object_get(fx->rs.body, "error"), "field"));
}

/* Sign in through the handler; on success the cookie's token goes to
 * fx->cookie. */
static void
login(struct fx *fx, const char *name, const char *pw, const char *addr)
{
	char body[256];
	const char *c, *e;

	snprintf(body, sizeof(body),
	         "{\"login\": \"%s\", \"password\": \"%s\"}", name, pw);
	req(fx, body, NULL, addr);
	jx_h_session_login(&fx->rq, &fx->rs);
	fx->cookie[0] = '\0';
	if (fx->rs.status == 200) {
		c = fx->rs.set_cookie;
		assert_int_equal(strncmp(c, "jx_session=", 11), 0);
		e = strchr(c, ';');
		assert_non_null(e);
		assert_int_equal((size_t)(e - c - 11), JX_PASSWORD_TOKEN_LEN);
		memcpy(fx->cookie, c + 11, JX_PASSWORD_TOKEN_LEN);
		fx->cookie[JX_PASSWORD_TOKEN_LEN] = '\0';
	}
}

/* ---- per-test database ------------------------------------------------- */

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	jx_arena_init(&fx->ar, 0);
	jx_arena_init(&fx->rar, 0);
	jx_http_resp_init(&fx->rs);
	if (tu_db_open(&fx->db, "account", "store.db", true, &fx->s, &fx->d) !=
	    0)
		goto fail;
	jx_config_defaults(&fx->conf);
	fx->conf.login_max_failures = 3;
	fx->conf.login_max_failures_ip = 5;
	fx->conf.cookie_secure = true;
	fx->env.conf = &fx->conf;
	fx->env.hash_gate = jx_http_gate_new(2);
	if (fx->env.hash_gate == NULL)
		goto fail;
	*state = fx;
	return 0;
fail:
	jx_store_close(fx->s);
	jx_http_gate_free(fx->env.hash_gate);
	jx_arena_cleanup(&fx->ar);
	jx_arena_cleanup(&fx->rar);
	free(fx);
	return -1;
}

/* The tree and the people every test starts from (after setup, inside the
 * test so that a failure is reported as the test's). */
static void
tree(struct fx *fx)
{
	fx->root = org(fx, 0, JX_ORG_FINANCE, "市财政局");
	fx->edu = org(fx, fx->root, JX_ORG_DEPARTMENT, "教育局");
	fx->health = org(fx, fx->root, JX_ORG_DEPARTMENT, "卫生健康委");
	fx->school1 = org(fx, fx->edu, JX_ORG_UNIT, "第一中学");
	fx->school2 = org(fx, fx->edu, JX_ORG_UNIT, "第二中学");
	fx->hospital = org(fx, fx->health, JX_ORG_UNIT, "人民医院");
	fx->u_admin = user(fx, fx->root, "admin", JX_ROLE_ADMIN);
	fx->u_fin = user(fx, fx->root, "caizheng", JX_ROLE_FINANCE);
	fx->u_edu = user(fx, fx->edu, "jiaoyu", JX_ROLE_DEPT);
	fx->u_school1 = user(fx, fx->school1, "yizhong", JX_ROLE_UNIT);
	fx->u_hospital = user(fx, fx->hospital, "yiyuan", JX_ROLE_UNIT);
	who_of(fx, "admin", &fx->w_admin);
	who_of(fx, "jiaoyu", &fx->w_edu);
	who_of(fx, "yizhong", &fx->w_school1);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	int rc;

	if (fx == NULL)
		return 0;
	rc = tu_db_close(&fx->db, fx->s);
	jx_http_resp_cleanup(&fx->rs);
	json_decref(fx->rq.json);
	json_decref(fx->body);
	json_decref(fx->held);
	jx_http_gate_free(fx->env.hash_gate);
	jx_arena_cleanup(&fx->ar);
	jx_arena_cleanup(&fx->rar);
	free(fx);
	return rc;
}

/* ---- sessions ---------------------------------------------------------- */

static void
t_session_resolve(void **state)
{
	struct fx *fx = *state;
	char th[JX_PASSWORD_TOKEN_HASH_CAP], other[JX_PASSWORD_TOKEN_HASH_CAP];
	struct jx_account_session s;
	int64_t id;

	tree(fx);
	id = session(fx, fx->u_edu, th, 3600);
	tu_must(jx_account_session_resolve(fx->s, th, 1800, &s, &fx->ar,
	                                   &fx->d),
	        &fx->d, "resolve");
	assert_int_equal(s.id, id);
	assert_int_equal(s.who.user_id, fx->u_edu);
	assert_string_equal(s.who.login, "jiaoyu");
	assert_string_equal(s.who.role, JX_ROLE_DEPT);
	assert_string_equal(s.who.org_kind, "department");
	assert_int_equal(s.who.org_id, fx->edu);
	assert_string_equal(s.who.org_path, fx->w_edu.org_path);
	assert_int_equal(strlen(s.csrf), JX_PASSWORD_TOKEN_LEN);
	/* the token is not stored, only its hash */
	{
		struct jx_db_param p[] = {P_INT(id)};

		assert_string_equal(sql_text(fx,
		                             "SELECT token_hash FROM "
		                             "jx_session WHERE id = ?",
		                             p, 1),
		                    th);
	}
	/* an unknown token */
	assert_int_equal(jx_password_token_hash("nope", other, sizeof(other)),
	                 JX_OK);
	tu_want_err(jx_account_session_resolve(fx->s, other, 1800, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "unknown token");
	tu_want_err(jx_account_session_resolve(fx->s, NULL, 1800, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "no token");
	/* sign-out ends it, and is logged */
	tu_must(jx_account_session_delete(fx->s, id, "jiaoyu", &fx->d), &fx->d,
	        "delete");
	tu_want_err(jx_account_session_resolve(fx->s, th, 1800, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "after sign-out");
	{
		int64_t n = 0;

		tu_must(jx_store_audit_count(fx->s, "jx_session", id, &n,
		                             &fx->d),
		        &fx->d, "audit");
		assert_int_equal(n, 2); /* login, logout */
	}
	/* again: nothing to do */
	tu_must(jx_account_session_delete(fx->s, id, "jiaoyu", &fx->d), &fx->d,
	        "delete twice");
}

static void
t_session_expiry(void **state)
{
	struct fx *fx = *state;
	char th[JX_PASSWORD_TOKEN_HASH_CAP];
	struct jx_account_session s;
	const char *before, *after;
	int64_t id, n = 0;

	tree(fx);
	/* idle: not seen for 31 minutes with a 30-minute limit */
	id = session(fx, fx->u_school1, th, 12 * 3600);
	age(fx, "jx_session", "seen_at", id, 31 * 60);
	tu_want_err(jx_account_session_resolve(fx->s, th, 30 * 60, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "idle");
	assert_int_equal(sessions_of(fx, fx->u_school1), 0);

	/* seen 29 minutes ago: alive, and seen now */
	id = session(fx, fx->u_school1, th, 12 * 3600);
	age(fx, "jx_session", "seen_at", id, 29 * 60);
	{
		struct jx_db_param p[] = {P_INT(id)};

		before = sql_text(fx,
		                  "SELECT seen_at FROM jx_session WHERE id = ?",
		                  p, 1);
		tu_must(jx_account_session_resolve(fx->s, th, 30 * 60, &s,
		                                   &fx->ar, &fx->d),
		        &fx->d, "29 minutes");
		after = sql_text(fx,
		                 "SELECT seen_at FROM jx_session WHERE id = ?",
		                 p, 1);
		assert_true(strcmp(after, before) > 0);
		/* seen 10 seconds ago: not written again */
		age(fx, "jx_session", "seen_at", id, 10);
		before = sql_text(fx,
		                  "SELECT seen_at FROM jx_session WHERE id = ?",
		                  p, 1);
		tu_must(jx_account_session_resolve(fx->s, th, 30 * 60, &s,
		                                   &fx->ar, &fx->d),
		        &fx->d, "10 seconds");
		after = sql_text(fx,
		                 "SELECT seen_at FROM jx_session WHERE id = ?",
		                 p, 1);
		assert_string_equal(after, before);
	}

	/* absolute: past expires_at although just seen */
	age(fx, "jx_session", "expires_at", id, 1);
	tu_want_err(jx_account_session_resolve(fx->s, th, 30 * 60, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "absolute");
	assert_int_equal(sessions_of(fx, fx->u_school1), 0);

	/* a short absolute limit, really waited for (2 s: times have whole
	 * seconds, so 1 s could end at the next tick) */
	id = session(fx, fx->u_school1, th, 2);
	tu_must(jx_account_session_resolve(fx->s, th, 30 * 60, &s, &fx->ar,
	                                   &fx->d),
	        &fx->d, "fresh");
	sleep(3);
	tu_want_err(jx_account_session_resolve(fx->s, th, 30 * 60, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "after 3 s of 2");

	/* a deactivated user's session is over */
	id = session(fx, fx->u_hospital, th, 3600);
	{
		struct jx_db_param p[] = {P_INT(fx->u_hospital)};

		sql_run(fx, "UPDATE jx_user SET active = 0 WHERE id = ?", p, 1);
	}
	tu_want_err(jx_account_session_resolve(fx->s, th, 30 * 60, &s, &fx->ar,
	                                       &fx->d),
	            JX_EAUTH, "deactivated");

	/* pruning removes idle and expired sessions only */
	(void)session(fx, fx->u_edu, th, 3600);
	id = session(fx, fx->u_edu, th, 3600);
	age(fx, "jx_session", "seen_at", id, 3 * 3600);
	id = session(fx, fx->u_edu, th, 3600);
	age(fx, "jx_session", "expires_at", id, 5);
	tu_must(jx_account_session_prune(fx->s, 30 * 60, &n, &fx->d), &fx->d,
	        "prune");
	assert_int_equal(n, 2);
	assert_int_equal(sessions_of(fx, fx->u_edu), 1);
}

/* ---- failed sign-ins ----------------------------------------------------- */

static void
t_failures(void **state)
{
	struct fx *fx = *state;
	struct jx_account_failures f;
	int i;

	tree(fx);
	for (i = 0; i < 3; i++)
		tu_must(jx_account_failure_record(fx->s, "alice", "10.0.0.1",
		                                  &fx->d),
		        &fx->d, "record");
	for (i = 0; i < 2; i++)
		tu_must(jx_account_failure_record(fx->s, "bob", "10.0.0.1",
		                                  &fx->d),
		        &fx->d, "record");
	tu_must(jx_account_failure_record(fx->s, "alice", "10.0.0.2", &fx->d),
	        &fx->d, "record");
	tu_must(jx_account_failures(fx->s, "alice", "10.0.0.1", 900, &f,
	                            &fx->d),
	        &fx->d, "count");
	assert_int_equal(f.by_login, 4);
	assert_int_equal(f.by_address, 5);
	assert_true(f.login_wait > 890 && f.login_wait <= 900);
	assert_true(f.address_wait > 890 && f.address_wait <= 900);
	tu_must(jx_account_failures(fx->s, "carol", "10.0.0.9", 900, &f,
	                            &fx->d),
	        &fx->d, "none");
	assert_int_equal(f.by_login, 0);
	assert_int_equal(f.by_address, 0);
	assert_int_equal(f.login_wait, 0);

	/* one of alice's failures is an hour old: outside the window, and
	 * the wait is that of the oldest inside it */
	sql_run(fx,
	        "UPDATE jx_login_failure SET at = '2000-01-01T00:00:00Z' "
	        "WHERE address = '10.0.0.2'",
	        NULL, 0);
	{
		int64_t id = sql_int(fx,
		                     "SELECT MIN(id) FROM jx_login_failure "
		                     "WHERE login = 'alice'",
		                     NULL, 0);

		age(fx, "jx_login_failure", "at", id, 600);
	}
	tu_must(jx_account_failures(fx->s, "alice", "10.0.0.1", 900, &f,
	                            &fx->d),
	        &fx->d, "count");
	assert_int_equal(f.by_login, 3);
	assert_int_equal(f.by_address, 5);
	assert_true(f.login_wait > 290 && f.login_wait <= 300);
	tu_must(jx_account_failure_prune(fx->s, 900, &fx->d), &fx->d, "prune");
	assert_int_equal(
	        sql_int(fx, "SELECT COUNT(*) FROM jx_login_failure", NULL, 0),
	        5);
	/* a success clears the login's failures, not the address's others */
	tu_must(jx_account_failure_clear(fx->s, "alice", &fx->d), &fx->d,
	        "clear");
	tu_must(jx_account_failures(fx->s, "alice", "10.0.0.1", 900, &f,
	                            &fx->d),
	        &fx->d, "count");
	assert_int_equal(f.by_login, 0);
	assert_int_equal(f.by_address, 2);
}

/* ---- users ------------------------------------------------------------- */

/* The logins of a list answer, comma-separated, into buf. */
static const char *
logins(json_t *items, char *buf, size_t cap)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < json_array_size(items); i++) {
		int k = snprintf(buf + o, cap - o, "%s%s", i > 0 ? "," : "",
		                 json_string_value(json_object_get(
		                         json_array_get(items, i), "login")));

		if (k > 0 && (size_t)k < cap - o)
			o += (size_t)k;
	}
	return buf;
}

static void
list_users(struct fx *fx, const struct jx_who *w,
           const struct jx_account_user_query *q, int64_t *total, char *buf,
           size_t cap)
{
	json_decref(fx->held);
	fx->held = json_array();
	tu_must(jx_account_users_list(fx->s, w, q, fx->held, total, &fx->d),
	        &fx->d, "list users");
	logins(fx->held, buf, cap);
}

static void
t_users_scope(void **state)
{
	struct fx *fx = *state;
	struct jx_account_user_query q;
	char buf[512];
	int64_t total = 0;
	json_t *u = NULL, *first;

	tree(fx);
	memset(&q, 0, sizeof(q));
	q.active = -1;
	q.page = 1;
	q.per_page = 50;
	/* the administrator at the root sees everyone */
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 5);
	assert_string_equal(buf, "admin,caizheng,jiaoyu,yiyuan,yizhong");
	/* the user object: nested org, role label, no hash anywhere */
	first = json_array_get(fx->held, 0);
	assert_string_equal(
	        json_string_value(json_object_get(first, "role_label")),
	        "系统管理员");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(first, "org"), "name")),
	                    "市财政局");
	assert_true(json_is_true(json_object_get(first, "password_set")));
	assert_null(json_object_get(first, "password_hash"));
	{
		char *all = json_dumps(fx->held, JSON_COMPACT);

		assert_non_null(all);
		assert_null(strstr(all, "$argon2"));
		free(all);
	}
	/* a department reviewer's subtree: itself and its units */
	list_users(fx, &fx->w_edu, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 2);
	assert_string_equal(buf, "jiaoyu,yizhong");
	/* a unit's: itself */
	list_users(fx, &fx->w_school1, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "yizhong");
	/* out of scope is not found, like a user that does not exist */
	tu_want_err(jx_account_user_get(fx->s, &fx->w_edu, fx->u_hospital, &u,
	                                &fx->d),
	            JX_ENOTFOUND, "hospital user from education");
	tu_want_err(
	        jx_account_user_get(fx->s, &fx->w_edu, fx->u_admin, &u, &fx->d),
	        JX_ENOTFOUND, "admin from education");
	tu_want_err(
	        jx_account_user_get(fx->s, &fx->w_admin, 999999, &u, &fx->d),
	        JX_ENOTFOUND, "no such user");
	tu_must(jx_account_user_get(fx->s, &fx->w_edu, fx->u_school1, &u,
	                            &fx->d),
	        &fx->d, "school user from education");
	assert_string_equal(json_string_value(json_object_get(u, "login")),
	                    "yizhong");
	json_decref(u);

	/* filters */
	q.role = JX_ROLE_UNIT;
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "yiyuan,yizhong");
	q.role = NULL;
	q.org_id = fx->health;
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "yiyuan");
	/* an organisation outside the caller's subtree: nobody */
	list_users(fx, &fx->w_edu, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 0);
	q.org_id = 0;
	q.q = "YI"; /* ASCII case ignored */
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "yiyuan,yizhong");
	q.q = "%"; /* LIKE characters are literal */
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 0);
	q.q = NULL;
	{
		struct jx_db_param p[] = {P_INT(fx->u_fin)};

		sql_run(fx, "UPDATE jx_user SET active = 0 WHERE id = ?", p, 1);
	}
	q.active = 0;
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "caizheng");
	q.active = 1;
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 4);
	/* sorting and paging */
	q.active = -1;
	q.sort = "login";
	q.desc = true;
	q.per_page = 2;
	q.page = 2;
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 5);
	assert_string_equal(buf, "jiaoyu,caizheng");
	q.page = 3;
	list_users(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "admin");
	q.sort = "shoe_size";
	tu_want_err(jx_account_users_list(fx->s, &fx->w_admin, &q, fx->held,
	                                  &total, &fx->d),
	            JX_EINVAL, "unknown sort");
}

static void
t_users_rules(void **state)
{
	struct fx *fx = *state;
	struct jx_account_user_new u;
	struct jx_account_user_change c;
	char th[JX_PASSWORD_TOKEN_HASH_CAP];
	int64_t id = 0, v = 0, audits = 0, n;

	tree(fx);
	memset(&u, 0, sizeof(u));
	u.login = "erzhong";
	u.name = "第二中学填报员";
	u.password_hash = g_hash;
	/* the role must fit the organisation's kind */
	static const struct {
		const char *role;
		int which; /* 0 root, 1 department, 2 unit */
		enum jx_err want;
	} fit[] = {
	        {JX_ROLE_UNIT, 2, JX_OK},        /* filer at a unit */
	        {JX_ROLE_UNIT, 1, JX_EINVAL},    /* ... not a department */
	        {JX_ROLE_UNIT, 0, JX_EINVAL},    /* ... nor the bureau */
	        {JX_ROLE_DEPT, 1, JX_OK},        /* reviewer at a dept */
	        {JX_ROLE_DEPT, 2, JX_EINVAL},    /* ... not a unit */
	        {JX_ROLE_FINANCE, 0, JX_OK},     /* finance at the bureau */
	        {JX_ROLE_FINANCE, 1, JX_EINVAL}, /* ... not a department */
	        {JX_ROLE_ADMIN, 0, JX_OK},       /* admin at the bureau */
	        {JX_ROLE_ADMIN, 2, JX_EINVAL},   /* ... not a unit */
	        {"superuser", 0, JX_EINVAL},     /* unknown role */
	};
	size_t i;

	for (i = 0; i < sizeof(fit) / sizeof(fit[0]); i++) {
		char login[32];
		enum jx_err got;

		snprintf(login, sizeof(login), "fit%zu", i);
		u.login = login;
		u.role = fit[i].role;
		u.org_id = fit[i].which == 0   ? fx->root
		           : fit[i].which == 1 ? fx->edu
		                               : fx->school2;
		jx_diag_clear(&fx->d);
		got = jx_account_user_create(fx->s, &fx->w_admin, &u, &id,
		                             &fx->d);
		if (got != fit[i].want)
			fail_msg("role row %zu: got %s, want %s (%s)", i,
			         jx_err_name(got), jx_err_name(fit[i].want),
			         fx->d.message);
		if (got == JX_EINVAL)
			assert_string_equal(fx->d.field, "role");
	}
	/* the message says why, in Chinese */
	u.login = "wrongplace";
	u.role = JX_ROLE_UNIT;
	u.org_id = fx->edu;
	tu_want_err(
	        jx_account_user_create(fx->s, &fx->w_admin, &u, &id, &fx->d),
	        JX_EINVAL, "filer at department");
	assert_non_null(strstr(fx->d.message, "实施单位"));

	/* duplicate login, bad logins, empty name */
	u.org_id = fx->school2;
	u.login = "yizhong";
	tu_want_err(
	        jx_account_user_create(fx->s, &fx->w_admin, &u, &id, &fx->d),
	        JX_ECONFLICT, "duplicate login");
	assert_string_equal(fx->d.field, "login");
	u.login = "张三";
	tu_want_err(
	        jx_account_user_create(fx->s, &fx->w_admin, &u, &id, &fx->d),
	        JX_EINVAL, "non-ASCII login");
	u.login = "a b";
	tu_want_err(
	        jx_account_user_create(fx->s, &fx->w_admin, &u, &id, &fx->d),
	        JX_EINVAL, "space in login");
	u.login = "ok.login";
	u.name = "";
	tu_want_err(
	        jx_account_user_create(fx->s, &fx->w_admin, &u, &id, &fx->d),
	        JX_EINVAL, "empty name");
	u.name = "某人";
	/* an organisation outside the caller's subtree */
	u.org_id = fx->hospital;
	tu_want_err(jx_account_user_create(fx->s, &fx->w_edu, &u, &id, &fx->d),
	            JX_ENOTFOUND, "create out of scope");
	assert_string_equal(fx->d.field, "org_id");
	/* inside it */
	u.org_id = fx->school2;
	tu_must(jx_account_user_create(fx->s, &fx->w_edu, &u, &id, &fx->d),
	        &fx->d, "create in scope");

	/* update: stale version, version bump, moving */
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.version = 2;
	c.active = -1;
	c.name = "改名";
	tu_want_err(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	            JX_ECONFLICT, "stale version");
	c.version = 1;
	tu_must(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	        &fx->d, "rename");
	assert_int_equal(v, 2);
	c.version = 2;
	c.name = NULL;
	c.org_id = fx->hospital; /* out of the department's subtree */
	tu_want_err(jx_account_user_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	            JX_ENOTFOUND, "move out of scope");
	c.org_id = fx->edu; /* a filer at a department */
	tu_want_err(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	            JX_EINVAL, "move to a department");
	c.role = JX_ROLE_DEPT; /* as a reviewer it fits */
	tu_must(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	        &fx->d, "move as reviewer");
	assert_int_equal(v, 3);
	/* a user out of scope is not found */
	memset(&c, 0, sizeof(c));
	c.id = fx->u_hospital;
	c.version = 1;
	c.active = -1;
	c.name = "x";
	tu_want_err(jx_account_user_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	            JX_ENOTFOUND, "update out of scope");

	/* the administrator cannot lock themself out */
	memset(&c, 0, sizeof(c));
	c.id = fx->u_admin;
	c.version = 1;
	c.active = 0;
	tu_want_err(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	            JX_EPERM, "deactivate self");
	assert_string_equal(fx->d.field, "active");
	c.active = -1;
	c.role = JX_ROLE_FINANCE;
	tu_want_err(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	            JX_EPERM, "demote self");
	assert_string_equal(fx->d.field, "role");

	/* deactivating ends the user's sessions */
	(void)session(fx, fx->u_school1, th, 3600);
	(void)session(fx, fx->u_school1, th, 3600);
	assert_int_equal(sessions_of(fx, fx->u_school1), 2);
	memset(&c, 0, sizeof(c));
	c.id = fx->u_school1;
	c.version = 1;
	c.active = 0;
	tu_must(jx_account_user_update(fx->s, &fx->w_admin, &c, &v, &fx->d),
	        &fx->d, "deactivate");
	assert_int_equal(sessions_of(fx, fx->u_school1), 0);

	/* password reset: scoped, ends sessions, logged without the hash */
	(void)session(fx, fx->u_hospital, th, 3600);
	tu_want_err(jx_account_user_reset_password(
	                    fx->s, &fx->w_edu, fx->u_hospital, g_hash, &fx->d),
	            JX_ENOTFOUND, "reset out of scope");
	assert_int_equal(sessions_of(fx, fx->u_hospital), 1);
	tu_must(jx_account_user_reset_password(fx->s, &fx->w_admin,
	                                       fx->u_hospital, g_hash, &fx->d),
	        &fx->d, "reset");
	assert_int_equal(sessions_of(fx, fx->u_hospital), 0);
	/* own password: the current session stays, the others end */
	n = session(fx, fx->u_edu, th, 3600);
	(void)session(fx, fx->u_edu, th, 3600);
	tu_must(jx_account_own_password(fx->s, &fx->w_edu, g_hash, n, &fx->d),
	        &fx->d, "own password");
	assert_int_equal(sessions_of(fx, fx->u_edu), 1);
	{
		struct jx_db_param p[] = {P_INT(fx->u_edu)};

		assert_int_equal(
		        sql_int(fx,
		                "SELECT id FROM jx_session WHERE user_id = ?",
		                p, 1),
		        n);
	}
	/* not a hash */
	tu_want_err(
	        jx_account_own_password(fx->s, &fx->w_edu, "plain", n, &fx->d),
	        JX_EINVAL, "not a hash");
	/* the unscoped setter of the command line */
	tu_must(jx_account_set_password_hash(fx->s, "yiyuan", g_hash, &fx->d),
	        &fx->d, "set hash");
	tu_want_err(
	        jx_account_set_password_hash(fx->s, "nobody", g_hash, &fx->d),
	        JX_ENOTFOUND, "set hash of nobody");

	/* every change is in the audit log, and no hash or token is */
	tu_must(jx_store_audit_count(fx->s, "jx_user", 0, &audits, &fx->d),
	        &fx->d, "audit count");
	assert_true(audits >= 12);
	assert_int_equal(
	        sql_int(fx,
	                "SELECT COUNT(*) FROM jx_audit_log WHERE "
	                "before_json LIKE '%argon2%' OR after_json LIKE "
	                "'%argon2%' OR before_json LIKE ? OR after_json LIKE ?",
	                (struct jx_db_param[]){P_TEXT("%" PASSWORD "%"),
	                                       P_TEXT("%" PASSWORD "%")},
	                2),
	        0);
	{
		struct jx_db_param p[] = {P_INT(fx->u_hospital)};

		assert_int_equal(
		        sql_int(fx,
		                "SELECT COUNT(*) FROM jx_audit_log WHERE "
		                "table_name = 'jx_user' AND record_id = ? AND "
		                "action = 'reset_password' AND actor = 'admin'",
		                p, 1),
		        1);
	}
}

/* ---- organisations ----------------------------------------------------- */

static void
list_orgs(struct fx *fx, const struct jx_who *w,
          const struct jx_account_org_query *q, int64_t *total, char *buf,
          size_t cap)
{
	size_t i, o = 0;

	json_decref(fx->held);
	fx->held = json_array();
	tu_must(jx_account_orgs_list(fx->s, w, q, fx->held, total, &fx->d),
	        &fx->d, "list orgs");
	buf[0] = '\0';
	for (i = 0; i < json_array_size(fx->held); i++) {
		int k = snprintf(buf + o, cap - o, "%s%s", i > 0 ? "," : "",
		                 json_string_value(json_object_get(
		                         json_array_get(fx->held, i), "name")));

		if (k > 0 && (size_t)k < cap - o)
			o += (size_t)k;
	}
}

static void
t_orgs(void **state)
{
	struct fx *fx = *state;
	struct jx_account_org_query q;
	struct jx_account_org_new o;
	struct jx_account_org_change c;
	char buf[512], want[64];
	int64_t total = 0, id = 0, v = 0;
	json_t *got = NULL;

	tree(fx);
	memset(&q, 0, sizeof(q));
	q.page = 1;
	q.per_page = 50;
	q.sort = "id";
	list_orgs(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 6);
	assert_string_equal(
	        buf, "市财政局,教育局,卫生健康委,第一中学,第二中学,人民医院");
	/* the department sees its subtree, a unit itself */
	list_orgs(fx, &fx->w_edu, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "教育局,第一中学,第二中学");
	list_orgs(fx, &fx->w_school1, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "第一中学");
	/* filters */
	q.kind = "unit";
	list_orgs(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "第一中学,第二中学,人民医院");
	q.kind = NULL;
	q.parent_id = fx->edu;
	list_orgs(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "第一中学,第二中学");
	q.parent_id = 0;
	q.q = "中学";
	list_orgs(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "第一中学,第二中学");
	q.q = NULL;
	q.per_page = 2;
	q.page = 2;
	q.desc = true;
	list_orgs(fx, &fx->w_admin, &q, &total, buf, sizeof(buf));
	assert_int_equal(total, 6);
	assert_string_equal(buf, "第一中学,卫生健康委");
	/* the object */
	tu_must(jx_account_org_get(fx->s, &fx->w_edu, fx->school1, &got,
	                           &fx->d),
	        &fx->d, "get");
	assert_string_equal(json_string_value(json_object_get(got, "kind")),
	                    "unit");
	assert_string_equal(
	        json_string_value(json_object_get(got, "kind_label")),
	        "实施单位");
	assert_int_equal(json_integer_value(json_object_get(got, "parent_id")),
	                 fx->edu);
	json_decref(got);
	got = NULL;
	tu_want_err(jx_account_org_get(fx->s, &fx->w_edu, fx->hospital, &got,
	                               &fx->d),
	            JX_ENOTFOUND, "hospital from education");
	tu_want_err(
	        jx_account_org_get(fx->s, &fx->w_edu, fx->root, &got, &fx->d),
	        JX_ENOTFOUND, "the root from education");

	/* create: under a parent in scope, of a kind that fits */
	memset(&o, 0, sizeof(o));
	o.parent_id = fx->edu;
	o.kind = "unit";
	o.name = "第三中学";
	o.code = "EDU-03";
	tu_must(jx_account_org_create(fx->s, &fx->w_admin, &o, &id, &fx->d),
	        &fx->d, "create unit");
	{
		struct jx_db_param p[] = {P_INT(id)};

		snprintf(want, sizeof(want),
		         "/%" PRId64 "/%" PRId64 "/%" PRId64 "/", fx->root,
		         fx->edu, id);
		assert_string_equal(
		        sql_text(fx, "SELECT path FROM jx_org WHERE id = ?", p,
		                 1),
		        want);
	}
	/* ... now the department sees it */
	q.page = 1;
	q.per_page = 50;
	q.desc = false;
	list_orgs(fx, &fx->w_edu, &q, &total, buf, sizeof(buf));
	assert_string_equal(buf, "教育局,第一中学,第二中学,第三中学");
	tu_want_err(jx_account_org_create(fx->s, &fx->w_admin, &o, &id, &fx->d),
	            JX_ECONFLICT, "same name");
	assert_string_equal(fx->d.field, "name");
	o.name = "附属小学";
	o.parent_id = fx->school1;
	tu_want_err(jx_account_org_create(fx->s, &fx->w_admin, &o, &id, &fx->d),
	            JX_EINVAL, "unit under unit");
	assert_string_equal(fx->d.field, "kind");
	o.parent_id = fx->edu;
	o.kind = "department";
	tu_want_err(jx_account_org_create(fx->s, &fx->w_admin, &o, &id, &fx->d),
	            JX_EINVAL, "department under department");
	o.kind = "finance";
	o.parent_id = fx->root;
	tu_want_err(jx_account_org_create(fx->s, &fx->w_admin, &o, &id, &fx->d),
	            JX_EINVAL, "finance under finance");
	o.kind = "unit";
	o.parent_id = fx->health;
	tu_want_err(jx_account_org_create(fx->s, &fx->w_edu, &o, &id, &fx->d),
	            JX_ENOTFOUND, "parent out of scope");
	assert_string_equal(fx->d.field, "parent_id");
	o.parent_id = fx->root; /* a unit straight under the bureau */
	tu_must(jx_account_org_create(fx->s, &fx->w_admin, &o, &id, &fx->d),
	        &fx->d, "direct unit");

	/* update with the version read */
	memset(&c, 0, sizeof(c));
	c.id = fx->school2;
	c.version = 1;
	c.set = JX_ACCOUNT_ORG_NAME | JX_ACCOUNT_ORG_CODE;
	c.name = "第二实验中学";
	c.code = "EDU-02";
	tu_must(jx_account_org_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	        &fx->d, "rename");
	assert_int_equal(v, 2);
	tu_want_err(jx_account_org_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	            JX_ECONFLICT, "stale");
	assert_string_equal(fx->d.field, "version");
	c.version = 2;
	c.set = JX_ACCOUNT_ORG_NAME;
	c.name = "第一中学"; /* a sibling's name */
	tu_want_err(jx_account_org_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	            JX_ECONFLICT, "sibling's name");
	assert_string_equal(fx->d.field, "name");
	c.set = JX_ACCOUNT_ORG_CODE; /* clear the code, keep the name */
	c.code = NULL;
	tu_must(jx_account_org_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	        &fx->d, "clear code");
	tu_must(jx_account_org_get(fx->s, &fx->w_edu, fx->school2, &got,
	                           &fx->d),
	        &fx->d, "get");
	assert_string_equal(json_string_value(json_object_get(got, "name")),
	                    "第二实验中学");
	assert_true(json_is_null(json_object_get(got, "code")));
	assert_int_equal(json_integer_value(json_object_get(got, "version")),
	                 3);
	json_decref(got);
	c.id = fx->hospital;
	c.version = 1;
	tu_want_err(jx_account_org_update(fx->s, &fx->w_edu, &c, &v, &fx->d),
	            JX_ENOTFOUND, "update out of scope");
	{
		int64_t n = 0;

		tu_must(jx_store_audit_count(fx->s, "jx_org", fx->school2, &n,
		                             &fx->d),
		        &fx->d, "audit");
		assert_int_equal(n, 3); /* created, renamed, recoded */
	}
}

/* ---- handlers ---------------------------------------------------------- */

static void
t_login(void **state)
{
	struct fx *fx = *state;
	const char *csrf;
	char saved[JX_PASSWORD_TOKEN_CAP], csrf_saved[JX_PASSWORD_TOKEN_CAP];
	json_t *u;

	tree(fx);
	login(fx, "jiaoyu", PASSWORD, "192.0.2.1");
	status_is(fx, 200, NULL);
	u = json_object_get(fx->rs.body, "user");
	assert_string_equal(json_string_value(json_object_get(u, "login")),
	                    "jiaoyu");
	assert_string_equal(json_string_value(json_object_get(u, "role")),
	                    JX_ROLE_DEPT);
	assert_string_equal(json_string_value(json_object_get(u, "role_label")),
	                    "主管部门审核");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(u, "org"), "name")),
	                    "教育局");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(u, "org"), "kind")),
	                    "department");
	csrf = json_string_value(json_object_get(fx->rs.body, "csrf_token"));
	assert_non_null(csrf);
	assert_true(jx_password_token_valid(csrf));
	snprintf(csrf_saved, sizeof(csrf_saved), "%s", csrf);
	/* the cookie: HttpOnly, SameSite=Strict, the absolute lifetime,
	 * Secure when configured */
	assert_non_null(strstr(fx->rs.set_cookie, "; Path=/"));
	assert_non_null(strstr(fx->rs.set_cookie, "; HttpOnly"));
	assert_non_null(strstr(fx->rs.set_cookie, "; SameSite=Strict"));
	assert_non_null(strstr(fx->rs.set_cookie, "; Max-Age=43200"));
	assert_non_null(strstr(fx->rs.set_cookie, "; Secure"));
	/* neither token is the other, and the body has no cookie token */
	assert_string_not_equal(csrf_saved, fx->cookie);
	snprintf(saved, sizeof(saved), "%s", fx->cookie);

	/* the cookie authenticates the next request */
	req(fx, NULL, saved, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	assert_true(fx->rq.authed);
	assert_string_equal(fx->rq.who.login, "jiaoyu");
	assert_string_equal(fx->rq.who.org_path, fx->w_edu.org_path);
	assert_string_equal(fx->rq.session_csrf, csrf_saved);
	jx_h_session_get(&fx->rq, &fx->rs);
	status_is(fx, 200, NULL);
	assert_string_equal(
	        json_string_value(json_object_get(fx->rs.body, "csrf_token")),
	        csrf_saved);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(fx->rs.body, "user"), "login")),
	        "jiaoyu");
	/* no cookie, a malformed one, an unknown one */
	req(fx, NULL, NULL, "192.0.2.1");
	tu_want_err(auth(fx), JX_EAUTH, "no cookie");
	req(fx, NULL, "x';DROP TABLE jx_session;--", "192.0.2.1");
	tu_want_err(auth(fx), JX_EAUTH, "malformed cookie");
	req(fx, NULL, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "192.0.2.1");
	tu_want_err(auth(fx), JX_EAUTH, "unknown cookie");
	assert_false(fx->rq.authed);

	/* signing in again in the same browser replaces the session */
	snprintf(fx->cookie, sizeof(fx->cookie), "%s", saved);
	{
		char body[128];

		snprintf(body, sizeof(body),
		         "{\"login\": \"jiaoyu\", \"password\": \"%s\"}",
		         PASSWORD);
		req(fx, body, saved, "192.0.2.1");
		jx_h_session_login(&fx->rq, &fx->rs);
		status_is(fx, 200, NULL);
	}
	assert_int_equal(sessions_of(fx, fx->u_edu), 1);
	req(fx, NULL, saved, "192.0.2.1");
	tu_want_err(auth(fx), JX_EAUTH, "replaced session");

	/* sign out */
	login(fx, "yizhong", PASSWORD, "192.0.2.1");
	status_is(fx, 200, NULL);
	snprintf(saved, sizeof(saved), "%s", fx->cookie);
	req(fx, NULL, saved, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_session_logout(&fx->rq, &fx->rs);
	status_is(fx, 204, NULL);
	assert_non_null(strstr(fx->rs.set_cookie, "jx_session=;"));
	assert_non_null(strstr(fx->rs.set_cookie, "Max-Age=0"));
	req(fx, NULL, saved, "192.0.2.1");
	tu_want_err(auth(fx), JX_EAUTH, "after sign-out");
}

static void
t_login_failures(void **state)
{
	struct fx *fx = *state;
	char msg_unknown[256];
	int i;

	tree(fx);
	/* a wrong password and an unknown login: one answer */
	login(fx, "jiaoyu", "Wrong-pass1", "198.51.100.7");
	status_is(fx, 401, "unauthenticated");
	assert_string_equal(err_message(fx), "用户名或密码错误");
	assert_string_equal(fx->rs.set_cookie, "");
	login(fx, "nobody", "Wrong-pass1", "198.51.100.7");
	status_is(fx, 401, "unauthenticated");
	snprintf(msg_unknown, sizeof(msg_unknown), "%s", err_message(fx));
	assert_string_equal(msg_unknown, "用户名或密码错误");
	/* a deactivated user with the right password: the same */
	{
		struct jx_db_param p[] = {P_INT(fx->u_hospital)};

		sql_run(fx, "UPDATE jx_user SET active = 0 WHERE id = ?", p, 1);
	}
	login(fx, "yiyuan", PASSWORD, "198.51.100.8");
	status_is(fx, 401, "unauthenticated");
	/* a user without a password cannot sign in */
	{
		struct jx_db_param p[] = {P_INT(fx->u_fin)};

		sql_run(fx,
		        "UPDATE jx_user SET password_hash = NULL WHERE id = ?",
		        p, 1);
	}
	login(fx, "caizheng", "", "198.51.100.9");
	status_is(fx, 401, "unauthenticated");

	/* per account: after 3 failures of jiaoyu (1 above, 2 more from
	 * other addresses) even the right password is refused with 429 */
	login(fx, "jiaoyu", "Wrong-pass2", "203.0.113.1");
	status_is(fx, 401, NULL);
	login(fx, "jiaoyu", "Wrong-pass3", "203.0.113.2");
	status_is(fx, 401, NULL);
	login(fx, "jiaoyu", PASSWORD, "203.0.113.3");
	status_is(fx, 429, "too_many_requests");
	assert_true(fx->rs.retry_after > 0 && fx->rs.retry_after <= 15 * 60);
	assert_string_equal(fx->rs.set_cookie, "");
	/* other accounts are not affected */
	login(fx, "yizhong", PASSWORD, "203.0.113.3");
	status_is(fx, 200, NULL);
	/* when the failures leave the window, it works again */
	sql_run(fx,
	        "UPDATE jx_login_failure SET at = '2001-01-01T00:00:00Z' "
	        "WHERE login = 'jiaoyu'",
	        NULL, 0);
	login(fx, "jiaoyu", PASSWORD, "203.0.113.3");
	status_is(fx, 200, NULL);
	/* a success clears the account's failures */
	login(fx, "jiaoyu", "Wrong-pass4", "203.0.113.4");
	login(fx, "jiaoyu", "Wrong-pass5", "203.0.113.4");
	login(fx, "jiaoyu", PASSWORD, "203.0.113.5");
	status_is(fx, 200, NULL);
	login(fx, "jiaoyu", "Wrong-pass6", "203.0.113.6");
	login(fx, "jiaoyu", "Wrong-pass7", "203.0.113.6");
	login(fx, "jiaoyu", PASSWORD, "203.0.113.7");
	status_is(fx, 200, NULL);

	/* per address: 5 failures from one address, any logins */
	for (i = 0; i < 5; i++) {
		char name[32];

		snprintf(name, sizeof(name), "guess%d", i);
		login(fx, name, "Wrong-pass1", "192.0.2.99");
		status_is(fx, 401, NULL);
	}
	login(fx, "yizhong", PASSWORD, "192.0.2.99");
	status_is(fx, 429, "too_many_requests");
	assert_true(fx->rs.retry_after > 0);
	/* from elsewhere the same account signs in */
	login(fx, "yizhong", PASSWORD, "192.0.2.100");
	status_is(fx, 200, NULL);
}

static void
t_password_change(void **state)
{
	struct fx *fx = *state;
	char mine[JX_PASSWORD_TOKEN_CAP], other[JX_PASSWORD_TOKEN_CAP];
	char body[256];

	tree(fx);
	login(fx, "yizhong", PASSWORD, "192.0.2.1");
	status_is(fx, 200, NULL);
	snprintf(other, sizeof(other), "%s", fx->cookie);
	login(fx, "yizhong", PASSWORD, "192.0.2.2");
	status_is(fx, 200, NULL);
	snprintf(mine, sizeof(mine), "%s", fx->cookie);
	assert_int_equal(sessions_of(fx, fx->u_school1), 2);

	/* a wrong old password */
	req(fx,
	    "{\"old_password\": \"Nope-12345\", \"new_password\": "
	    "\"Better-pass9\"}",
	    mine, "192.0.2.2");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_session_password(&fx->rq, &fx->rs);
	status_is(fx, 422, "invalid");
	assert_string_equal(err_field(fx), "old_password");
	/* the policy, with the field named */
	snprintf(body, sizeof(body),
	         "{\"old_password\": \"%s\", \"new_password\": \"short1\"}",
	         PASSWORD);
	req(fx, body, mine, "192.0.2.2");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_session_password(&fx->rq, &fx->rs);
	status_is(fx, 422, "invalid");
	assert_string_equal(err_field(fx), "new_password");
	assert_non_null(strstr(err_message(fx), "至少 8 个字符"));
	/* the same password again */
	snprintf(body, sizeof(body),
	         "{\"old_password\": \"%s\", \"new_password\": \"%s\"}",
	         PASSWORD, PASSWORD);
	req(fx, body, mine, "192.0.2.2");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_session_password(&fx->rq, &fx->rs);
	status_is(fx, 422, "invalid");
	/* done right: this session stays, the other ends */
	snprintf(body, sizeof(body),
	         "{\"old_password\": \"%s\", \"new_password\": "
	         "\"Better-pass9\"}",
	         PASSWORD);
	req(fx, body, mine, "192.0.2.2");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_session_password(&fx->rq, &fx->rs);
	status_is(fx, 204, NULL);
	req(fx, NULL, mine, "192.0.2.2");
	tu_must(auth(fx), &fx->d, "own session after the change");
	req(fx, NULL, other, "192.0.2.1");
	tu_want_err(auth(fx), JX_EAUTH, "other session after the change");
	/* the new password signs in, the old one does not */
	login(fx, "yizhong", PASSWORD, "192.0.2.3");
	status_is(fx, 401, NULL);
	login(fx, "yizhong", "Better-pass9", "192.0.2.3");
	status_is(fx, 200, NULL);
}

static void
t_user_handlers(void **state)
{
	struct fx *fx = *state;
	char admin[JX_PASSWORD_TOKEN_CAP], body[256], *dump;
	int64_t id;

	tree(fx);
	login(fx, "admin", PASSWORD, "192.0.2.1");
	status_is(fx, 200, NULL);
	snprintf(admin, sizeof(admin), "%s", fx->cookie);

	/* create: 201 with the user, never a hash */
	snprintf(body, sizeof(body),
	         "{\"login\": \"erzhong\", \"name\": \"第二中学填报员\", "
	         "\"role\": \"unit_filer\", \"org_id\": %" PRId64
	         ", \"password\": \"Start-pass1\"}",
	         fx->school2);
	req(fx, body, admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_users_create(&fx->rq, &fx->rs);
	status_is(fx, 201, NULL);
	id = json_integer_value(json_object_get(fx->rs.body, "id"));
	assert_true(id > 0);
	assert_true(json_is_true(json_object_get(fx->rs.body, "active")));
	dump = json_dumps(fx->rs.body, JSON_COMPACT);
	assert_non_null(dump);
	assert_null(strstr(dump, "argon2"));
	assert_null(strstr(dump, "Start-pass1"));
	free(dump);
	login(fx, "erzhong", "Start-pass1", "192.0.2.5");
	status_is(fx, 200, NULL);
	/* a weak password and a role that does not fit */
	snprintf(body, sizeof(body),
	         "{\"login\": \"weak\", \"name\": \"弱\", \"role\": "
	         "\"unit_filer\", \"org_id\": %" PRId64
	         ", \"password\": \"password\"}",
	         fx->school2);
	req(fx, body, admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_users_create(&fx->rq, &fx->rs);
	status_is(fx, 422, NULL);
	assert_string_equal(err_field(fx), "password");
	snprintf(body, sizeof(body),
	         "{\"login\": \"misfit\", \"name\": \"错位\", \"role\": "
	         "\"dept_reviewer\", \"org_id\": %" PRId64
	         ", \"password\": \"Start-pass1\"}",
	         fx->school2);
	req(fx, body, admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_users_create(&fx->rq, &fx->rs);
	status_is(fx, 422, "invalid");
	assert_string_equal(err_field(fx), "role");

	/* reset: 204, the user's sessions end, the new password works */
	req(fx, "{\"password\": \"Reset-pass2\"}", admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = id;
	fx->rq.nids = 1;
	jx_h_users_reset_password(&fx->rq, &fx->rs);
	status_is(fx, 204, NULL);
	assert_int_equal(sessions_of(fx, id), 0);
	login(fx, "erzhong", "Reset-pass2", "192.0.2.5");
	status_is(fx, 200, NULL);

	/* update with a stale version: 409; with the right one: 200 */
	req(fx, "{\"version\": 9, \"name\": \"新名字\"}", admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = id;
	jx_h_users_update(&fx->rq, &fx->rs);
	status_is(fx, 409, "conflict");
	req(fx, "{\"version\": 2, \"active\": false}", admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = id;
	jx_h_users_update(&fx->rq, &fx->rs);
	status_is(fx, 200, NULL);
	assert_true(json_is_false(json_object_get(fx->rs.body, "active")));
	assert_int_equal(
	        json_integer_value(json_object_get(fx->rs.body, "version")), 3);
	login(fx, "erzhong", "Reset-pass2", "192.0.2.6");
	status_is(fx, 401, NULL);

	/* list and get */
	req(fx, NULL, admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.query[0].key = "role";
	fx->rq.query[0].value = "unit_filer";
	fx->rq.query[1].key = "sort";
	fx->rq.query[1].value = "-login";
	fx->rq.nquery = 2;
	jx_h_users_list(&fx->rq, &fx->rs);
	status_is(fx, 200, NULL);
	assert_int_equal(
	        json_integer_value(json_object_get(fx->rs.body, "total")), 3);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(fx->rs.body, "items"),
	                               0),
	                "login")),
	        "yizhong");
	fx->rq.query[0].value = "root";
	jx_h_users_list(&fx->rq, &fx->rs);
	status_is(fx, 400, NULL);
	req(fx, NULL, admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = 999999;
	jx_h_users_get(&fx->rq, &fx->rs);
	status_is(fx, 404, "not_found");
}

static void
t_org_handlers(void **state)
{
	struct fx *fx = *state;
	char admin[JX_PASSWORD_TOKEN_CAP], edu[JX_PASSWORD_TOKEN_CAP];
	char body[256];
	int64_t id;

	tree(fx);
	login(fx, "admin", PASSWORD, "192.0.2.1");
	status_is(fx, 200, NULL);
	snprintf(admin, sizeof(admin), "%s", fx->cookie);
	login(fx, "jiaoyu", PASSWORD, "192.0.2.1");
	status_is(fx, 200, NULL);
	snprintf(edu, sizeof(edu), "%s", fx->cookie);

	snprintf(body, sizeof(body),
	         "{\"parent_id\": %" PRId64 ", \"kind\": \"unit\", \"name\": "
	         "\"职业学校\", \"code\": \"\", \"region_code\": \"370102\"}",
	         fx->edu);
	req(fx, body, admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	jx_h_orgs_create(&fx->rq, &fx->rs);
	status_is(fx, 201, NULL);
	id = json_integer_value(json_object_get(fx->rs.body, "id"));
	assert_true(json_is_null(json_object_get(fx->rs.body, "code")));
	assert_string_equal(
	        json_string_value(json_object_get(fx->rs.body, "region_code")),
	        "370102");
	/* the department lists its units; a filter on kind */
	req(fx, NULL, edu, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.query[0].key = "kind";
	fx->rq.query[0].value = "unit";
	fx->rq.nquery = 1;
	jx_h_orgs_list(&fx->rq, &fx->rs);
	status_is(fx, 200, NULL);
	assert_int_equal(
	        json_integer_value(json_object_get(fx->rs.body, "total")), 3);
	fx->rq.query[0].value = "ministry";
	jx_h_orgs_list(&fx->rq, &fx->rs);
	status_is(fx, 400, NULL);
	/* the hospital is not there for the department */
	req(fx, NULL, edu, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = fx->hospital;
	jx_h_orgs_get(&fx->rq, &fx->rs);
	status_is(fx, 404, "not_found");
	/* rename, then a stale rename */
	req(fx, "{\"version\": 1, \"name\": \"职业技术学校\", \"code\": null}",
	    admin, "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = id;
	jx_h_orgs_update(&fx->rq, &fx->rs);
	status_is(fx, 200, NULL);
	assert_string_equal(
	        json_string_value(json_object_get(fx->rs.body, "name")),
	        "职业技术学校");
	assert_string_equal(
	        json_string_value(json_object_get(fx->rs.body, "region_code")),
	        "370102");
	req(fx, "{\"version\": 1, \"name\": \"又一个名字\"}", admin,
	    "192.0.2.1");
	tu_must(auth(fx), &fx->d, "authenticate");
	fx->rq.ids[0] = id;
	jx_h_orgs_update(&fx->rq, &fx->rs);
	status_is(fx, 409, "conflict");
}

/* ---- main ------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(t_session_resolve), T(t_session_expiry), T(t_failures),
	        T(t_users_scope),     T(t_users_rules),    T(t_orgs),
	        T(t_login),           T(t_login_failures), T(t_password_change),
	        T(t_user_handlers),   T(t_org_handlers),
	};
	struct jx_diag d;

	jx_diag_clear(&d);
	if (jx_password_init() != JX_OK ||
	    jx_password_hash(NULL, PASSWORD, g_hash, sizeof(g_hash), &d) !=
	            JX_OK) {
		fprintf(stderr, "test_account: cannot hash: %s\n", d.message);
		return 1;
	}
	return tu_run_backends("account", tests);
}
