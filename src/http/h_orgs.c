/*
 * h_orgs.c - the organisation tree (财政局 -> 主管部门 -> 实施单位): list
 * and read the organisations of the caller's subtree, and, for
 * administrators, create and rename them (GET/POST /api/orgs, GET/PATCH
 * /api/orgs/{id}).
 *
 * Scoping, the tree's kind rules, version checks and the audit log are the
 * store's (account.h); this file only maps requests onto its calls.
 * Organisations are never deleted here: projects and people hang on them.
 */
#include <stdint.h>
#include <string.h>

#include "handlers.h"
#include "jx/account.h"

static const char *blank_null(const char *s);
static void answer_org(struct jx_http_req *rq, struct jx_http_resp *rs,
                       int64_t id, unsigned status);

const struct jx_http_field jx_h_orgs_create_body[] = {
        {"parent_id", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        {"kind", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, 16, NULL},
        {"name", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_ACCOUNT_NAME_MAX,
         NULL},
        {"code", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, 64, NULL},
        {"region_code", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, 32, NULL},
        {"region_name", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0,
         JX_ACCOUNT_NAME_MAX, NULL},
        {NULL, 0, 0, 0, 0, NULL}};

const struct jx_http_field jx_h_orgs_update_body[] = {
        {"version", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        {"name", JX_HTTP_STRING, 0, 1, JX_ACCOUNT_NAME_MAX, NULL},
        {"code", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, 64, NULL},
        {"region_code", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, 32, NULL},
        {"region_name", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0,
         JX_ACCOUNT_NAME_MAX, NULL},
        {NULL, 0, 0, 0, 0, NULL}};

/* An empty code means "none": stored as NULL, never as "". */
static const char *
blank_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

static void
answer_org(struct jx_http_req *rq, struct jx_http_resp *rs, int64_t id,
           unsigned status)
{
	struct jx_diag d;
	json_t *o = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_account_org_get(rq->store, &rq->who, id, &o, &d);
	jx_http_answer(rs, err, &d, status, o);
}

void
jx_h_orgs_list(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	static const char *const sorts[] = {"path", "name", "code",
	                                    "kind", "id",   NULL};
	struct jx_account_org_query q;
	struct jx_diag d;
	json_t *items;
	enum jx_err err;
	int64_t total = 0;

	memset(&q, 0, sizeof(q));
	jx_diag_clear(&d);
	if (!jx_http_paging(rq, rs, &q.page, &q.per_page) ||
	    !jx_http_sorting(rq, rs, sorts, &q.sort, &q.desc))
		return;
	err = jx_http_query_int(rq, rs, "parent_id", 1, INT64_MAX,
	                        &q.parent_id);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return;
	q.kind = jx_http_query(rq, "kind");
	if (q.kind != NULL && strcmp(q.kind, "finance") != 0 &&
	    strcmp(q.kind, "department") != 0 && strcmp(q.kind, "unit") != 0) {
		jx_http_error(rs, JX_EPARSE, "kind",
		              "查询参数 kind 应为 finance、department 或 unit");
		return;
	}
	q.q = jx_http_query(rq, "q");
	items = json_array();
	err = items == NULL ? jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足")
	                    : jx_account_orgs_list(rq->store, &rq->who, &q,
	                                           items, &total, &d);
	jx_http_answer_list(rs, err, &d, items, total, q.page, q.per_page);
}

void
jx_h_orgs_create(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_account_org_new o;
	struct jx_diag d;
	enum jx_err err;
	int64_t id = 0;

	jx_diag_clear(&d);
	memset(&o, 0, sizeof(o));
	o.parent_id = jx_http_int(rq->json, "parent_id", 0);
	o.kind = jx_http_str(rq->json, "kind");
	o.name = jx_http_str(rq->json, "name");
	o.code = blank_null(jx_http_str(rq->json, "code"));
	o.region_code = blank_null(jx_http_str(rq->json, "region_code"));
	o.region_name = blank_null(jx_http_str(rq->json, "region_name"));
	err = jx_account_org_create(rq->store, &rq->who, &o, &id, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	answer_org(rq, rs, id, JX_HTTP_CREATED);
}

void
jx_h_orgs_get(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	answer_org(rq, rs, rq->ids[0], JX_HTTP_OK);
}

void
jx_h_orgs_update(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	static const struct {
		const char *key;
		unsigned bit;
	} fields[] = {{"name", JX_ACCOUNT_ORG_NAME},
	              {"code", JX_ACCOUNT_ORG_CODE},
	              {"region_code", JX_ACCOUNT_ORG_REGION_CODE},
	              {"region_name", JX_ACCOUNT_ORG_REGION_NAME}};
	struct jx_account_org_change c;
	struct jx_diag d;
	enum jx_err err;
	size_t i;

	jx_diag_clear(&d);
	memset(&c, 0, sizeof(c));
	c.id = rq->ids[0];
	c.version = jx_http_int(rq->json, "version", 0);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (jx_http_has(rq->json, fields[i].key))
			c.set |= fields[i].bit;
	c.name = jx_http_str(rq->json, "name");
	c.code = blank_null(jx_http_str(rq->json, "code"));
	c.region_code = blank_null(jx_http_str(rq->json, "region_code"));
	c.region_name = blank_null(jx_http_str(rq->json, "region_name"));
	err = jx_account_org_update(rq->store, &rq->who, &c, NULL, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	answer_org(rq, rs, c.id, JX_HTTP_OK);
}
