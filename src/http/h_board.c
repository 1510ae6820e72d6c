/*
 * h_board.c - the oversight endpoints: GET /api/dashboard (a year's
 * figures per supervising department), GET /api/inbox (what waits for the
 * caller) and GET /api/audit (the audit log, finance and administrators).
 *
 * The figures and lists come from the store's scoped reads (board.h); this
 * file reads the query parameters, supplies today's date and the current
 * year, and attaches the Chinese labels of the workflow states the server
 * runs. It decides nothing about scope (the store does) or roles (the
 * route table does).
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "jx/board.h"
#include "jx/workflow.h"

/* The label of a self-evaluation count with no self-evaluation. */
#define LABEL_NONE "未填报"

static void today_utc(char *buf, size_t cap, int *year);
static const char *state_label(const struct jx_http_req *rq, const char *key);
static bool label_statuses(const struct jx_http_req *rq, json_t *row);
static bool label_item(const struct jx_http_req *rq, json_t *item);
static bool label_dashboard(const struct jx_http_req *rq, json_t *out);
static bool label_inbox(const struct jx_http_req *rq, json_t *out);

/* Today's UTC date "YYYY-MM-DD" and its year. */
static void
today_utc(char *buf, size_t cap, int *year)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, cap, "%Y-%m-%d", &tm);
	*year = tm.tm_year + 1900;
}

/* The Chinese label of workflow state key. */
static const char *
state_label(const struct jx_http_req *rq, const char *key)
{
	if (strcmp(key, "none") == 0)
		return LABEL_NONE;
	if (rq->env == NULL || rq->env->wf == NULL)
		return key;
	return jx_workflow_state_label(rq->env->wf, key);
}

/* Add "label" to each entry of row's "by_status". false when out of
 * memory. */
static bool
label_statuses(const struct jx_http_req *rq, json_t *row)
{
	json_t *arr = json_object_get(row, "by_status"), *it;
	size_t i;

	json_array_foreach(arr, i, it)
	{
		const char *key = json_string_value(json_object_get(it, "key"));

		if (key != NULL &&
		    json_object_set_new(it, "label",
		                        json_string(state_label(rq, key))) != 0)
			return false;
	}
	return true;
}

/* Turn an inbox item's "status" key into {"key", "label"}. */
static bool
label_item(const struct jx_http_req *rq, json_t *item)
{
	const char *key = json_string_value(json_object_get(item, "status"));
	json_t *st;

	if (key == NULL)
		return true;
	st = json_pack("{s:s, s:s}", "key", key, "label", state_label(rq, key));
	return st != NULL && json_object_set_new(item, "status", st) == 0;
}

/* Label the statuses of every department's row and of the total. false
 * when out of memory. */
static bool
label_dashboard(const struct jx_http_req *rq, json_t *out)
{
	json_t *rows = json_object_get(out, "departments"), *row;
	size_t i;

	json_array_foreach(rows, i, row)
	{
		if (!label_statuses(rq, row))
			return false;
	}
	return label_statuses(rq, json_object_get(out, "total"));
}

/* Add the caller's "role_label" and label the items of every list. false
 * when out of memory. */
static bool
label_inbox(const struct jx_http_req *rq, json_t *out)
{
	json_t *lists, *list, *items, *it;
	size_t i, j;

	if (json_object_set_new(
	            out, "role_label",
	            json_string(jx_workflow_role_label(rq->who.role))) != 0)
		return false;
	lists = json_object_get(out, "lists");
	json_array_foreach(lists, i, list)
	{
		items = json_object_get(list, "items");
		json_array_foreach(items, j, it)
		{
			if (!label_item(rq, it))
				return false;
		}
	}
	return true;
}

void
jx_h_board_dashboard(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;
	char today[16];
	int64_t year = 0, dept = JX_BOARD_ALL_DEPTS;
	int cur = 0;
	json_t *out = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	today_utc(today, sizeof(today), &cur);
	year = cur;
	err = jx_http_query_int(rq, rs, "year", 1900, 9999, &year);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return;
	err = jx_http_query_int(rq, rs, "dept_id", 0, INT64_MAX, &dept);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return;
	err = jx_board_dashboard(rq->store, &rq->who, (int)year, dept, today,
	                         &out, &d);
	if (err == JX_OK && !label_dashboard(rq, out)) {
		jx_diag_clear(&d); /* the answer names no field */
		err = jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足");
	}
	jx_http_answer(rs, err, &d, JX_HTTP_OK, out);
}

void
jx_h_board_inbox(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;
	json_t *out = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_board_inbox(rq->store, &rq->who, &out, &d);
	if (err == JX_OK && !label_inbox(rq, out)) {
		jx_diag_clear(&d); /* the answer names no field */
		err = jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足");
	}
	jx_http_answer(rs, err, &d, JX_HTTP_OK, out);
}

void
jx_h_board_audit(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_board_audit_filter f;
	struct jx_diag d;
	int64_t page = 1, per_page = 50, total = 0, rid = 0;
	json_t *items = NULL;
	enum jx_err err;

	jx_diag_clear(&d);
	memset(&f, 0, sizeof(f));
	if (!jx_http_paging(rq, rs, &page, &per_page))
		return;
	err = jx_http_query_int(rq, rs, "record_id", 1, INT64_MAX, &rid);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return;
	f.record_id = rid;
	f.table = jx_http_query(rq, "table");
	f.actor = jx_http_query(rq, "actor");
	f.from = jx_http_query(rq, "from");
	f.to = jx_http_query(rq, "to");
	/* An empty parameter (?actor=) filters nothing. */
	if (f.table != NULL && f.table[0] == '\0')
		f.table = NULL;
	if (f.actor != NULL && f.actor[0] == '\0')
		f.actor = NULL;
	if (f.from != NULL && f.from[0] == '\0')
		f.from = NULL;
	if (f.to != NULL && f.to[0] == '\0')
		f.to = NULL;
	err = jx_board_audit(rq->store, &rq->who, &f, page, per_page, &items,
	                     &total, &d);
	/* A malformed filter is a bad query parameter, as for the others. */
	if (err == JX_EINVAL && d.field[0] != '\0')
		err = JX_EPARSE;
	jx_http_answer_list(rs, err, &d, items, total, page, per_page);
}
