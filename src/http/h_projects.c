/*
 * h_projects.c - the project resource of the web API: the list of projects
 * in the caller's scope (filtered, sorted, paged), one project with its
 * money, latest goal version and self-evaluation, creating and changing a
 * project, and its history (docs/api/projects.md).
 *
 * This file reads query parameters and bodies, passes them to the store's
 * scoped functions (ledger.h) and attaches the Chinese labels of the
 * workflow states the server runs. It decides nothing about scope (the
 * store does) or roles (the route table does).
 */
#include <stdint.h>
#include <string.h>

#include "handlers.h"
#include "jx/ledger.h"
#include "jx/workflow.h"

#define END_FIELDS                                                             \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL                                         \
	}

const struct jx_http_field jx_h_projects_create_body[] = {
        {"code", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_LEDGER_CODE_MAX, NULL},
        {"name", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_LEDGER_NAME_MAX, NULL},
        {"type", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_LEDGER_TYPE_MAX, NULL},
        {"unit_id", JX_HTTP_INT, 0, 1, INT64_MAX, NULL},
        {"year", JX_HTTP_INT, JX_HTTP_REQUIRED, JX_LEDGER_YEAR_MIN,
         JX_LEDGER_YEAR_MAX, NULL},
        {"start_date", JX_HTTP_DATE, JX_HTTP_NULLABLE, 0, 0, NULL},
        {"end_date", JX_HTTP_DATE, JX_HTTP_NULLABLE, 0, 0, NULL},
        END_FIELDS};

const struct jx_http_field jx_h_projects_update_body[] = {
        {"name", JX_HTTP_STRING, 0, 1, JX_LEDGER_NAME_MAX, NULL},
        {"type", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_LEDGER_TYPE_MAX, NULL},
        {"start_date", JX_HTTP_DATE, JX_HTTP_NULLABLE, 0, 0, NULL},
        {"end_date", JX_HTTP_DATE, JX_HTTP_NULLABLE, 0, 0, NULL},
        {"version", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        END_FIELDS};

static const char *state_label(const struct jx_http_req *rq, const char *key);
static bool label(const struct jx_http_req *rq, json_t *obj, const char *key,
                  const char *label_key);
static bool label_project(const struct jx_http_req *rq, json_t *p);
static bool query_int(const struct jx_http_req *rq, struct jx_http_resp *rs,
                      const char *key, int64_t lo, int64_t hi, int64_t *out);
static void answer_project(struct jx_http_req *rq, struct jx_http_resp *rs,
                           int64_t id, unsigned status);

/* The Chinese label of workflow state key (the key itself without a
 * workflow). */
static const char *
state_label(const struct jx_http_req *rq, const char *key)
{
	if (rq->env == NULL || rq->env->wf == NULL)
		return key;
	return jx_workflow_state_label(rq->env->wf, key);
}

/* obj[label_key] = the label of the state in obj[key] (null when that is
 * null). false when out of memory. */
static bool
label(const struct jx_http_req *rq, json_t *obj, const char *key,
      const char *label_key)
{
	const char *k = json_string_value(json_object_get(obj, key));

	if (!json_is_object(obj))
		return true;
	return json_object_set_new(obj, label_key,
	                           k != NULL ? json_string(state_label(rq, k))
	                                     : json_null()) == 0;
}

/* The labels of a list item or a project page. */
static bool
label_project(const struct jx_http_req *rq, json_t *p)
{
	return label(rq, p, "goal_status", "goal_status_label") &&
	       label(rq, json_object_get(p, "eval"), "status",
	             "status_label") &&
	       label(rq, json_object_get(p, "goals"), "wf_status",
	             "wf_status_label");
}

/* Query parameter key as an integer in [lo, hi] into *out (untouched when
 * absent). false with rs filled when it is bad. */
static bool
query_int(const struct jx_http_req *rq, struct jx_http_resp *rs,
          const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	enum jx_err err = jx_http_query_int(rq, rs, key, lo, hi, out);

	return err == JX_OK || err == JX_ENOTFOUND;
}

/* Answer with project id as GET /api/projects/{id} shows it. */
static void
answer_project(struct jx_http_req *rq, struct jx_http_resp *rs, int64_t id,
               unsigned status)
{
	struct jx_diag d;
	json_t *o = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_ledger_get(rq->store, &rq->who, id, NULL, JX_LEDGER_LAG_POINTS,
	                    &o, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	if (!label_project(rq, o)) {
		json_decref(o);
		o = NULL;
	}
	jx_http_reply(rs, status, o);
}

/* ---- handlers ------------------------------------------------------------ */

/* GET /api/projects */
JX_H(projects_list)
{
	static const char *const sort_keys[] = {
	        "code", "name", "year", "score", "exec_rate", "updated", NULL};
	struct jx_ledger_filter f;
	struct jx_diag d;
	json_t *items = NULL, *it;
	int64_t total = 0, has_errors = -1;
	enum jx_err err;
	size_t i;

	memset(&f, 0, sizeof(f));
	if (!jx_http_paging(rq, rs, &f.page, &f.per_page) ||
	    !jx_http_sorting(rq, rs, sort_keys, &f.sort, &f.desc) ||
	    !query_int(rq, rs, "year", JX_LEDGER_YEAR_MIN, JX_LEDGER_YEAR_MAX,
	               &f.year) ||
	    !query_int(rq, rs, "dept_id", 1, INT64_MAX, &f.dept_id) ||
	    !query_int(rq, rs, "unit_id", 1, INT64_MAX, &f.unit_id) ||
	    !query_int(rq, rs, "has_errors", 0, 1, &has_errors))
		return;
	f.has_errors = (int)has_errors;
	f.status = jx_http_query(rq, "status");
	if (f.status != NULL && !jx_ledger_status_known(f.status)) {
		jx_http_error(rs, JX_EPARSE, "status",
		              "查询参数 status 应为 draft、submitted、"
		              "dept_approved、finance_approved、returned 或 "
		              "none");
		return;
	}
	f.grade = jx_http_query(rq, "grade");
	if (f.grade != NULL && !jx_ledger_grade_known(f.grade)) {
		jx_http_error(rs, JX_EPARSE, "grade",
		              "查询参数 grade 应为 优、良、中 或 差");
		return;
	}
	f.q = jx_http_query(rq, "q");
	jx_diag_clear(&d);
	err = jx_ledger_list(rq->store, &rq->who, &f, &items, &total, &d);
	if (err != JX_OK) {
		/* a bad search text is the query's fault: 400 */
		jx_http_diag(rs, err == JX_EINVAL ? JX_EPARSE : err, &d);
		return;
	}
	json_array_foreach(items, i, it)
	{
		if (!label_project(rq, it)) {
			json_decref(items);
			jx_http_reply(rs, JX_HTTP_OK, NULL);
			return;
		}
	}
	jx_http_reply(rs, JX_HTTP_OK,
	              jx_http_list(items, total, f.page, f.per_page));
}

/* POST /api/projects */
JX_H(projects_create)
{
	struct jx_ledger_new p;
	struct jx_diag d;
	int64_t id = 0;
	enum jx_err err;

	memset(&p, 0, sizeof(p));
	p.code = jx_http_str(rq->json, "code");
	p.name = jx_http_str(rq->json, "name");
	p.type = jx_http_str(rq->json, "type");
	p.unit_id = jx_http_int(rq->json, "unit_id", 0);
	p.year = jx_http_int(rq->json, "year", 0);
	p.start_date = jx_http_str(rq->json, "start_date");
	p.end_date = jx_http_str(rq->json, "end_date");
	jx_diag_clear(&d);
	err = jx_ledger_create(rq->store, &rq->who, &p, &id, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		answer_project(rq, rs, id, JX_HTTP_CREATED);
}

/* GET /api/projects/{id} */
JX_H(projects_get)
{
	answer_project(rq, rs, rq->ids[0], JX_HTTP_OK);
}

/* PATCH /api/projects/{id} */
JX_H(projects_update)
{
	struct jx_ledger_patch p;
	struct jx_diag d;
	enum jx_err err;

	memset(&p, 0, sizeof(p));
	p.id = rq->ids[0];
	p.version = jx_http_int(rq->json, "version", 0);
	p.set_name = jx_http_has(rq->json, "name");
	p.name = jx_http_str(rq->json, "name");
	p.set_type = jx_http_has(rq->json, "type");
	p.type = jx_http_str(rq->json, "type");
	p.set_start = jx_http_has(rq->json, "start_date");
	p.start_date = jx_http_str(rq->json, "start_date");
	p.set_end = jx_http_has(rq->json, "end_date");
	p.end_date = jx_http_str(rq->json, "end_date");
	jx_diag_clear(&d);
	err = jx_ledger_update(rq->store, &rq->who, &p, NULL, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		answer_project(rq, rs, p.id, JX_HTTP_OK);
}

/* GET /api/projects/{id}/history */
JX_H(projects_history)
{
	struct jx_diag d;
	json_t *items = NULL, *it;
	int64_t page, per_page, total = 0;
	enum jx_err err;
	size_t i;

	if (!jx_http_paging(rq, rs, &page, &per_page))
		return;
	jx_diag_clear(&d);
	err = jx_ledger_history(rq->store, &rq->who, rq->ids[0], page, per_page,
	                        &items, &total, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	json_array_foreach(items, i, it)
	{
		if (!label(rq, it, "from_status", "from_status_label") ||
		    !label(rq, it, "to_status", "to_status_label")) {
			json_decref(items);
			jx_http_reply(rs, JX_HTTP_OK, NULL);
			return;
		}
	}
	jx_http_reply(rs, JX_HTTP_OK,
	              jx_http_list(items, total, page, per_page));
}
