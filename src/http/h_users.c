/*
 * h_users.c - accounts, for administrators: list, create, read, change
 * and reset the password of the users of the organisations in the
 * caller's subtree (GET/POST /api/users, GET/PATCH /api/users/{id}, POST
 * /api/users/{id}/password).
 *
 * The scoping, the role-to-organisation rule and the audit log are the
 * store's (account.h); this file turns requests into its calls, applies
 * the password policy and hashes passwords (password.h, through the
 * server's hash gate). No answer ever holds a password or its hash.
 */
#include <stdint.h>
#include <string.h>

#include "handlers.h"
#include "jx/account.h"
#include "jx/password.h"

static bool known_role(const char *role);
static void answer_user(struct jx_http_req *rq, struct jx_http_resp *rs,
                        int64_t id, unsigned status);

const struct jx_http_field jx_h_users_create_body[] = {
        {"login", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_ACCOUNT_LOGIN_MAX,
         NULL},
        {"name", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_ACCOUNT_NAME_MAX,
         NULL},
        {"role", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, 32, NULL},
        {"org_id", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        {"password", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_PASSWORD_MAX,
         NULL},
        {NULL, 0, 0, 0, 0, NULL}};

const struct jx_http_field jx_h_users_update_body[] = {
        {"version", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        {"name", JX_HTTP_STRING, 0, 1, JX_ACCOUNT_NAME_MAX, NULL},
        {"role", JX_HTTP_STRING, 0, 1, 32, NULL},
        {"org_id", JX_HTTP_INT, 0, 1, INT64_MAX, NULL},
        {"active", JX_HTTP_BOOL, 0, 0, 0, NULL},
        {NULL, 0, 0, 0, 0, NULL}};

const struct jx_http_field jx_h_users_password_body[] = {
        {"password", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_PASSWORD_MAX,
         NULL},
        {NULL, 0, 0, 0, 0, NULL}};

static bool
known_role(const char *role)
{
	return strcmp(role, JX_ROLE_UNIT) == 0 ||
	       strcmp(role, JX_ROLE_DEPT) == 0 ||
	       strcmp(role, JX_ROLE_FINANCE) == 0 ||
	       strcmp(role, JX_ROLE_ADMIN) == 0;
}

/* Answer user id (in the caller's subtree) with status. */
static void
answer_user(struct jx_http_req *rq, struct jx_http_resp *rs, int64_t id,
            unsigned status)
{
	struct jx_diag d;
	json_t *o = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_account_user_get(rq->store, &rq->who, id, &o, &d);
	jx_http_answer(rs, err, &d, status, o);
}

void
jx_h_users_list(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	static const char *const sorts[] = {"login",      "name", "role", "org",
	                                    "created_at", "id",   NULL};
	struct jx_account_user_query q;
	struct jx_diag d;
	const char *active = jx_http_query(rq, "active");
	json_t *items;
	enum jx_err err;
	int64_t total = 0;

	memset(&q, 0, sizeof(q));
	q.active = -1;
	jx_diag_clear(&d);
	if (!jx_http_paging(rq, rs, &q.page, &q.per_page) ||
	    !jx_http_sorting(rq, rs, sorts, &q.sort, &q.desc))
		return;
	err = jx_http_query_int(rq, rs, "org_id", 1, INT64_MAX, &q.org_id);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return;
	q.role = jx_http_query(rq, "role");
	if (q.role != NULL && !known_role(q.role)) {
		jx_http_error(rs, JX_EPARSE, "role",
		              "查询参数 role 应为 unit_filer、dept_reviewer、"
		              "finance_reviewer 或 admin");
		return;
	}
	if (active != NULL) {
		if (strcmp(active, "true") == 0 || strcmp(active, "1") == 0) {
			q.active = 1;
		} else if (strcmp(active, "false") == 0 ||
		           strcmp(active, "0") == 0) {
			q.active = 0;
		} else {
			jx_http_error(rs, JX_EPARSE, "active",
			              "查询参数 active 应为 true 或 false");
			return;
		}
	}
	q.q = jx_http_query(rq, "q");
	items = json_array();
	err = items == NULL ? jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足")
	                    : jx_account_users_list(rq->store, &rq->who, &q,
	                                            items, &total, &d);
	jx_http_answer_list(rs, err, &d, items, total, q.page, q.per_page);
}

void
jx_h_users_create(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_account_user_new u;
	char hash[JX_PASSWORD_HASH_CAP];
	const char *pw = jx_http_str(rq->json, "password");
	struct jx_diag d;
	enum jx_err err;
	int64_t id = 0;

	jx_diag_clear(&d);
	memset(&u, 0, sizeof(u));
	u.login = jx_http_str(rq->json, "login");
	u.name = jx_http_str(rq->json, "name");
	u.role = jx_http_str(rq->json, "role");
	u.org_id = jx_http_int(rq->json, "org_id", 0);
	if (!known_role(u.role)) {
		jx_http_error(rs, JX_EINVAL, "role",
		              "未知的角色（应为 unit_filer、dept_reviewer、"
		              "finance_reviewer 或 admin）");
		return;
	}
	err = jx_password_policy(pw, u.login, "password", &d);
	if (err == JX_OK)
		err = jx_password_hash(rq->env != NULL ? rq->env->hash_gate
		                                       : NULL,
		                       pw, hash, sizeof(hash), &d);
	if (err == JX_OK) {
		u.password_hash = hash;
		err = jx_account_user_create(rq->store, &rq->who, &u, &id, &d);
	}
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	answer_user(rq, rs, id, JX_HTTP_CREATED);
}

void
jx_h_users_get(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	answer_user(rq, rs, rq->ids[0], JX_HTTP_OK);
}

void
jx_h_users_update(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_account_user_change c;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	memset(&c, 0, sizeof(c));
	c.id = rq->ids[0];
	c.version = jx_http_int(rq->json, "version", 0);
	c.name = jx_http_str(rq->json, "name");
	c.role = jx_http_str(rq->json, "role");
	c.org_id = jx_http_int(rq->json, "org_id", 0);
	c.active = jx_http_has(rq->json, "active")
	                   ? (jx_http_bool(rq->json, "active", true) ? 1 : 0)
	                   : -1;
	if (c.role != NULL && !known_role(c.role)) {
		jx_http_error(rs, JX_EINVAL, "role",
		              "未知的角色（应为 unit_filer、dept_reviewer、"
		              "finance_reviewer 或 admin）");
		return;
	}
	err = jx_account_user_update(rq->store, &rq->who, &c, NULL, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	answer_user(rq, rs, c.id, JX_HTTP_OK);
}

void
jx_h_users_reset_password(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	const char *pw = jx_http_str(rq->json, "password");
	char hash[JX_PASSWORD_HASH_CAP];
	struct jx_diag d;
	json_t *u = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	/* Find the user first: an account out of scope is 404 before any
	 * work, and the policy needs its login. */
	err = jx_account_user_get(rq->store, &rq->who, rq->ids[0], &u, &d);
	if (err == JX_OK)
		err = jx_password_policy(
		        pw, json_string_value(json_object_get(u, "login")),
		        "password", &d);
	if (err == JX_OK)
		err = jx_password_hash(rq->env != NULL ? rq->env->hash_gate
		                                       : NULL,
		                       pw, hash, sizeof(hash), &d);
	if (err == JX_OK)
		err = jx_account_user_reset_password(rq->store, &rq->who,
		                                     rq->ids[0], hash, &d);
	json_decref(u);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	jx_http_reply(rs, JX_HTTP_NO_CONTENT, NULL);
}
