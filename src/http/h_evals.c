/*
 * h_evals.c - the self-evaluation (绩效自评) resource of the web API: start
 * one for a project, read it, save actual values and reasons, preview
 * unsaved values while the user types, and take workflow actions. Every
 * answer carries the figures computed live under the server's rule set:
 * each line's score with the rule that produced it ("为什么是这个分数"),
 * the execution line, the total, the grade, the audit's findings, the
 * workflow state, the actions open to the caller and the review history
 * (docs/api/evals.md).
 *
 * What this file does not do: SQL, scoping or the workflow's rules (the
 * store's evals.c and workflow.c decide), nor route roles (routes.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "jx/audit.h"
#include "jx/cache.h"
#include "jx/evals.h"
#include "jx/limits.h"
#include "jx/rules.h"
#include "jx/score.h"
#include "jx/workflow.h"

#define END_FIELDS                                                             \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL                                         \
	}

static const struct jx_http_field line_fields[] = {
        {"position", JX_HTTP_INT, JX_HTTP_REQUIRED, 0, JX_MAX_INDICATORS - 1,
         NULL},
        {"actual", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_MAX_VALUE_TEXT,
         NULL},
        {"reason", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_MAX_TEXT, NULL},
        END_FIELDS};

static const struct jx_http_field goal_fields[] = {
        {"position", JX_HTTP_INT, JX_HTTP_REQUIRED, 0, JX_MAX_GOALS - 1, NULL},
        {"achieved", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_MAX_TEXT, NULL},
        END_FIELDS};

const struct jx_http_field jx_h_evals_create_body[] = {END_FIELDS};

const struct jx_http_field jx_h_evals_save_body[] = {
        {"version", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        {"lines", JX_HTTP_ARRAY, 0, 0, JX_MAX_INDICATORS, line_fields},
        {"goals", JX_HTTP_ARRAY, 0, 0, JX_MAX_GOALS, goal_fields},
        END_FIELDS};

const struct jx_http_field jx_h_evals_preview_body[] = {
        {"lines", JX_HTTP_ARRAY, 0, 0, JX_MAX_INDICATORS, line_fields},
        {"goals", JX_HTTP_ARRAY, 0, 0, JX_MAX_GOALS, goal_fields},
        END_FIELDS};

static json_t *text_json(const char *s);
static json_t *dec_json(jx_dec v);
static json_t *opt_json(struct jx_opt o);
static json_t *pct_json(jx_dec fraction);
static json_t *fen_json(const char *unit, struct jx_opt o);
static int put(json_t *obj, const char *key, json_t *v);
static const char *kind_key(enum jx_score_kind k);
static const char *outcome_key(enum jx_outcome o);
static json_t *funds_json(const struct jx_eval *e, const struct jx_rules *r,
                          const struct jx_result *res);
static json_t *lines_json(const struct jx_eval *e, const struct jx_rules *r,
                          const struct jx_result *res,
                          const struct jx_findings *f);
static json_t *findings_json(const struct jx_findings *f);
static json_t *actions_json(const struct jx_http_req *rq,
                            const struct jx_evals_rec *rec);
static void answer(struct jx_http_req *rq, struct jx_http_resp *rs,
                   struct jx_eval *e, const struct jx_evals_rec *rec, bool fill,
                   unsigned status);
static void load_and_answer(struct jx_http_req *rq, struct jx_http_resp *rs,
                            int64_t id, unsigned status);
static bool read_edits(struct jx_http_req *rq, struct jx_http_resp *rs,
                       struct jx_evals_edit *ed);
static bool ready(const struct jx_http_req *rq, struct jx_http_resp *rs);

/* ---- JSON values --------------------------------------------------------- */

/* A string, or null for NULL (and for text that is not UTF-8). */
static json_t *
text_json(const char *s)
{
	json_t *v = s != NULL ? json_string(s) : NULL;

	return v != NULL ? v : json_null();
}

static json_t *
dec_json(jx_dec v)
{
	char buf[48];

	jx_dec_format(v, -1, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
opt_json(struct jx_opt o)
{
	return o.set ? dec_json(o.v) : json_null();
}

/* A fraction as a percentage, exact: 0.9806 -> "98.06". */
static json_t *
pct_json(jx_dec fraction)
{
	return dec_json(jx_dec_percent(fraction));
}

/* An amount of the document's money unit as integer 分, null when not
 * stated or not a whole number of 分. */
static json_t *
fen_json(const char *unit, struct jx_opt o)
{
	int64_t fen = 0;

	if (!o.set || !jx_evals_fen(unit, o.v, &fen))
		return json_null();
	return json_integer(fen);
}

/* Set obj[key] = v (stolen); -1 when v is NULL or the set fails. */
static int
put(json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL || v == NULL) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(obj, key, v);
}

static const char *
kind_key(enum jx_score_kind k)
{
	switch (k) {
	case JX_SCORE_QUANT:
		return "quantitative";
	case JX_SCORE_QUAL:
		return "qualitative";
	case JX_SCORE_NONE:
		break;
	}
	return "none";
}

static const char *
outcome_key(enum jx_outcome o)
{
	switch (o) {
	case JX_OUTCOME_MET:
		return "met";
	case JX_OUTCOME_PARTIAL:
		return "partial";
	case JX_OUTCOME_NOT_MET:
		return "not_met";
	case JX_OUTCOME_UNKNOWN:
		break;
	}
	return "unknown";
}

/* ---- the body ------------------------------------------------------------ */

static json_t *
funds_json(const struct jx_eval *e, const struct jx_rules *r,
           const struct jx_result *res)
{
	const struct jx_funds *fu = &e->funds;
	char trace[JX_MAX_TRACE];
	json_t *o, *rate, *score;
	int bad = 0;

	if (!e->has_funds)
		return json_null();
	jx_score_exec_trace(e, r, res, trace, sizeof(trace));
	rate = json_object();
	bad |= put(rate, "computed",
	           res->has_exec ? pct_json(res->exec_rate) : json_null());
	bad |= put(rate, "stated", text_json(fu->exec_rate_text));
	score = json_object();
	bad |= put(score, "computed",
	           res->has_exec ? dec_json(res->exec_score) : json_null());
	bad |= put(score, "stated", opt_json(fu->exec_score_stated));
	o = json_object();
	bad |= put(o, "unit", text_json(fu->unit));
	bad |= put(o, "period", text_json(fu->period));
	bad |= put(o, "initial_fen", fen_json(fu->unit, fu->total.initial));
	bad |= put(o, "annual_fen", fen_json(fu->unit, fu->total.annual));
	bad |= put(o, "received_fen", fen_json(fu->unit, fu->total.received));
	bad |= put(o, "executed_fen", fen_json(fu->unit, fu->total.executed));
	bad |= put(o, "applicable", json_boolean(res->has_exec));
	bad |= put(o, "weight", dec_json(res->exec_weight));
	bad |= put(o, "weight_stated", opt_json(fu->exec_weight));
	bad |= put(o, "rate", rate);
	bad |= put(o, "score", score);
	bad |= put(o, "why", text_json(trace));
	if (bad != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
lines_json(const struct jx_eval *e, const struct jx_rules *r,
           const struct jx_result *res, const struct jx_findings *f)
{
	char trace[JX_MAX_TRACE];
	json_t *arr = json_array(), *o, *codes;
	size_t i;
	int bad = arr == NULL;

	for (i = 0; !bad && i < e->nindicators && i < res->n; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		const struct jx_ind_result *ir = &res->ind[i];

		jx_score_trace(ind, r, ir, trace, sizeof(trace));
		o = json_object();
		bad |= json_array_append_new(arr, o) != 0 || o == NULL;
		bad |= put(o, "position", json_integer((json_int_t)i));
		bad |= put(o, "level1", text_json(ind->level1));
		bad |= put(o, "level2", text_json(ind->level2));
		bad |= put(o, "name", text_json(ind->name));
		bad |= put(o, "target", text_json(ind->target));
		bad |= put(o, "actual", text_json(ind->actual));
		bad |= put(o, "unit", text_json(ind->unit));
		bad |= put(o, "nature", text_json(ind->nature));
		bad |= put(o, "weight", opt_json(ind->weight));
		bad |= put(o, "kind", json_string(kind_key(ir->kind)));
		bad |= put(o, "score",
		           ir->kind != JX_SCORE_NONE ? dec_json(ir->score)
		                                     : json_null());
		bad |= put(o, "score_stated", opt_json(ind->score_stated));
		if (ir->kind == JX_SCORE_QUAL) {
			json_t *range = json_object();

			bad |= put(range, "min", dec_json(ir->score_lo));
			bad |= put(range, "max", dec_json(ir->score_hi));
			bad |= put(range, "suggested", dec_json(ir->suggest));
			bad |= put(o, "range", range);
		}
		bad |= put(o, "completion",
		           ir->has_completion ? pct_json(ir->completion)
		                              : json_null());
		bad |= put(o, "outcome", json_string(outcome_key(ir->outcome)));
		bad |= put(o, "outcome_label",
		           json_string(jx_score_outcome_name(ir->outcome)));
		bad |= put(o, "direction_inferred",
		           json_boolean(ir->cmp_inferred));
		bad |= put(o, "reason", text_json(ind->deviation_reason));
		bad |= put(o, "why", text_json(trace));
		bad |= put(o, "findings", json_array());
	}
	/* Each line lists the codes of the findings about it. */
	for (i = 0; !bad && i < f->n; i++) {
		const struct jx_finding *it = &f->items[i];

		if (it->severity == JX_SEV_OK || it->indicator < 0 ||
		    (size_t)it->indicator >= json_array_size(arr))
			continue;
		codes = json_object_get(
		        json_array_get(arr, (size_t)it->indicator), "findings");
		bad |= json_array_append_new(codes, json_string(it->code)) != 0;
	}
	if (bad) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *
findings_json(const struct jx_findings *f)
{
	json_t *arr = json_array(), *o;
	size_t i;
	int bad = arr == NULL;

	for (i = 0; !bad && i < f->n; i++) {
		const struct jx_finding *it = &f->items[i];

		if (it->severity == JX_SEV_OK)
			continue;
		o = json_object();
		bad |= json_array_append_new(arr, o) != 0 || o == NULL;
		bad |= put(o, "code", json_string(it->code));
		bad |= put(o, "severity",
		           json_string(jx_audit_severity_name(it->severity)));
		bad |= put(o, "location", text_json(it->where));
		bad |= put(o, "message", text_json(it->message));
		bad |= put(o, "stated", text_json(it->stated));
		bad |= put(o, "computed", text_json(it->computed));
		bad |= put(o, "indicator",
		           it->indicator >= 0 ? json_integer(it->indicator)
		                              : json_null());
	}
	if (bad) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* The workflow actions the caller may take now (the UI's buttons). */
static json_t *
actions_json(const struct jx_http_req *rq, const struct jx_evals_rec *rec)
{
	const struct jx_workflow_transition *t[JX_WORKFLOW_MAX_TRANSITIONS];
	json_t *arr = json_array();
	size_t i, n;
	int bad = arr == NULL;

	n = jx_workflow_available(rq->env->wf, rec->status, rq->who.role,
	                          rec->has_dept, t,
	                          JX_WORKFLOW_MAX_TRANSITIONS);
	for (i = 0; !bad && i < n; i++)
		bad |= json_array_append_new(
		               arr, json_pack("{s:s, s:s, s:b}", "action",
		                              t[i]->action, "label",
		                              t[i]->label, "comment_required",
		                              t[i]->comment_required)) != 0;
	if (bad) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/*
 * Compute e live under the server's rule set (with fill: as a save would
 * store it) and answer the whole evaluation with `status`.
 */
static void
answer(struct jx_http_req *rq, struct jx_http_resp *rs, struct jx_eval *e,
       const struct jx_evals_rec *rec, bool fill, unsigned status)
{
	const struct jx_rules *r = rq->env->rules;
	const struct jx_workflow *wf = rq->env->wf;
	char trace[JX_MAX_TRACE];
	struct jx_result res;
	struct jx_findings f;
	struct jx_diag d;
	json_t *body = NULL, *st, *total, *grade, *counts, *reviews;
	enum jx_err err;
	int bad = 0;

	jx_diag_clear(&d);
	err = jx_evals_compute(e, r, fill, rq->arena, &res, &f);
	if (err != JX_OK) {
		jx_http_error(rs, err, NULL, "计算得分失败：%s",
		              jx_err_message(err));
		return;
	}
	reviews = json_array();
	if (reviews == NULL) {
		jx_http_error(rs, JX_ENOMEM, NULL, "内存不足");
		return;
	}
	err = jx_evals_reviews(rq->store, &rq->who, rec->id, reviews, &d);
	if (err != JX_OK) {
		json_decref(reviews);
		jx_http_diag(rs, err, &d);
		return;
	}
	jx_score_total_trace(r, &res, trace, sizeof(trace));

	st = json_pack("{s:s, s:s}", "key", rec->status, "label",
	               jx_workflow_state_label(wf, rec->status));
	total = json_object();
	bad |= put(total, "computed", dec_json(res.total));
	bad |= put(total, "stated", opt_json(e->total_score_stated));
	bad |= put(total, "weight", dec_json(res.weight_sum));
	bad |= put(total, "complete", json_boolean(res.total_complete));
	bad |= put(total, "why", text_json(trace));
	grade = json_object();
	/* A grade of a total that still misses lines would mislead. */
	bad |= put(grade, "computed",
	           text_json(res.total_complete && res.grade != NULL
	                             ? res.grade->name
	                             : NULL));
	bad |= put(grade, "stated", text_json(e->grade_stated));
	counts = json_pack("{s:I, s:I}", "errors", (json_int_t)f.nerrors,
	                   "warnings", (json_int_t)f.nwarnings);

	body = json_object();
	bad |= put(body, "id", json_integer(rec->id));
	bad |= put(body, "project_id", json_integer(rec->project_id));
	bad |= put(body, "version", json_integer(rec->version));
	bad |= put(body, "updated_at", text_json(rec->updated_at));
	bad |= put(body, "status", st);
	bad |= put(body, "editable",
	           json_boolean(jx_workflow_editable(wf, rec->status) &&
	                        rq->who.role != NULL &&
	                        strcmp(rq->who.role, JX_ROLE_UNIT) == 0));
	bad |= put(body, "actions", actions_json(rq, rec));
	bad |= put(body, "preview", json_boolean(fill));
	bad |= put(body, "rules", text_json(r->name));
	bad |= put(body, "code", text_json(e->id));
	bad |= put(body, "title", text_json(e->title));
	bad |= put(body, "unit", text_json(e->unit));
	bad |= put(body, "dept", text_json(e->department));
	bad |= put(body, "year",
	           e->year != 0 ? json_integer(e->year) : json_null());
	bad |= put(body, "funds", funds_json(e, r, &res));
	{
		json_t *goals = json_array();
		size_t i;

		for (i = 0; goals != NULL && i < e->ngoals; i++)
			bad |= json_array_append_new(
			               goals,
			               json_pack(
			                       "{s:I, s:o, s:o}", "position",
			                       (json_int_t)i, "expected",
			                       text_json(e->goals[i].expected),
			                       "achieved",
			                       text_json(e->goals[i]
			                                         .achieved))) !=
			       0;
		bad |= put(body, "goals", goals);
	}
	bad |= put(body, "lines", lines_json(e, r, &res, &f));
	bad |= put(body, "total", total);
	bad |= put(body, "grade", grade);
	bad |= put(body, "findings", findings_json(&f));
	bad |= put(body, "counts", counts);
	bad |= put(body, "reviews", reviews);
	if (bad != 0) {
		json_decref(body);
		jx_http_error(rs, JX_ENOMEM, NULL, "内存不足");
		return;
	}
	jx_http_reply(rs, status, body);
}

/* Load evaluation id in the caller's scope and answer it. */
static void
load_and_answer(struct jx_http_req *rq, struct jx_http_resp *rs, int64_t id,
                unsigned status)
{
	struct jx_eval e;
	struct jx_evals_rec rec;
	struct jx_diag d;
	enum jx_err err;

	jx_eval_init(&e);
	jx_diag_clear(&d);
	err = jx_evals_load(rq->store, &rq->who, id, &e, &rec, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		answer(rq, rs, &e, &rec, false, status);
	jx_eval_cleanup(&e);
}

/*
 * The lines and goals of the (checked) body into ed, arrays in the request
 * arena. A key left out leaves its cell as it is; null or "" clears it.
 */
static bool
read_edits(struct jx_http_req *rq, struct jx_http_resp *rs,
           struct jx_evals_edit *ed)
{
	const json_t *lines = json_object_get(rq->json, "lines");
	const json_t *goals = json_object_get(rq->json, "goals");
	struct jx_evals_line_edit *l = NULL;
	struct jx_evals_goal_edit *g = NULL;
	size_t i, nl = json_array_size(lines), ng = json_array_size(goals);

	memset(ed, 0, sizeof(*ed));
	if (nl > 0)
		l = jx_arena_calloc(rq->arena, nl, sizeof(*l));
	if (ng > 0)
		g = jx_arena_calloc(rq->arena, ng, sizeof(*g));
	if ((nl > 0 && l == NULL) || (ng > 0 && g == NULL)) {
		jx_http_error(rs, JX_ENOMEM, NULL, "内存不足");
		return false;
	}
	for (i = 0; i < nl; i++) {
		const json_t *o = json_array_get(lines, i);

		l[i].position = jx_http_int(o, "position", -1);
		l[i].set_actual = jx_http_has(o, "actual");
		l[i].actual = jx_http_str(o, "actual");
		l[i].set_reason = jx_http_has(o, "reason");
		l[i].reason = jx_http_str(o, "reason");
	}
	for (i = 0; i < ng; i++) {
		const json_t *o = json_array_get(goals, i);

		g[i].position = jx_http_int(o, "position", -1);
		g[i].set_achieved = jx_http_has(o, "achieved");
		g[i].achieved = jx_http_str(o, "achieved");
	}
	ed->lines = l;
	ed->nlines = nl;
	ed->goals = g;
	ed->ngoals = ng;
	return true;
}

/* The server has a rule set and a workflow (always, once started). */
static bool
ready(const struct jx_http_req *rq, struct jx_http_resp *rs)
{
	if (rq->env == NULL || rq->env->rules == NULL || rq->env->wf == NULL ||
	    rq->nids < 1) {
		jx_http_error(rs, JX_EIO, NULL,
		              "服务器未加载规则方案或审核流程");
		return false;
	}
	return true;
}

/* ---- handlers ------------------------------------------------------------ */

/* POST /api/projects/{id}/self-eval */
JX_H(evals_create)
{
	struct jx_diag d;
	int64_t id = 0;
	enum jx_err err;

	if (!ready(rq, rs))
		return;
	jx_diag_clear(&d);
	err = jx_evals_create(rq->store, &rq->who, rq->ids[0], rq->env->rules,
	                      rq->env->wf, &id, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		load_and_answer(rq, rs, id, JX_HTTP_CREATED);
}

/*
 * GET /api/evals/{id}. The answer is a function of the record's version
 * (every save, transition and re-import bumps it), its state and the
 * caller's role (the actions offered), under the server's one rule set:
 * a body computed for that key is served again from the cache after one
 * query that checks scope and version.
 */
JX_H(evals_get)
{
	struct jx_evals_rec rec;
	struct jx_diag d;
	enum jx_err err;
	char key[192], *text = NULL;
	size_t len = 0;

	if (!ready(rq, rs))
		return;
	jx_diag_clear(&d);
	err = jx_evals_record(rq->store, &rq->who, rq->ids[0], &rec, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	snprintf(key, sizeof(key), "eval:%" PRId64 ":%" PRId64 ":%s:%s", rec.id,
	         rec.version, rec.status, rq->who.role);
	if (jx_cache_get(rq->env->cache, key, &text, &len)) {
		rs->status = JX_HTTP_OK;
		rs->raw = text;
		rs->raw_len = len;
		rs->content_type = "application/json; charset=utf-8";
		return;
	}
	load_and_answer(rq, rs, rq->ids[0], JX_HTTP_OK);
	/* cache only what was computed for the version of the key */
	if (rq->env->cache == NULL || rs->status != JX_HTTP_OK ||
	    json_integer_value(json_object_get(rs->body, "version")) !=
	            rec.version)
		return;
	text = json_dumps(rs->body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text == NULL)
		return;
	len = strlen(text);
	jx_cache_put(rq->env->cache, key, text, len);
	json_decref(rs->body);
	rs->body = NULL;
	rs->raw = text;
	rs->raw_len = len;
	rs->content_type = "application/json; charset=utf-8";
}

/* PATCH /api/evals/{id} */
JX_H(evals_save)
{
	struct jx_evals_edit ed;
	struct jx_diag d;
	int64_t version, nv = 0;
	enum jx_err err;

	if (!ready(rq, rs))
		return;
	version = jx_http_int(rq->json, "version", 0);
	if (version <= 0) {
		jx_http_error(rs, JX_EINVAL, "version",
		              "缺少必填字段 version（读取时的版本号）");
		return;
	}
	if (!read_edits(rq, rs, &ed))
		return;
	jx_diag_clear(&d);
	err = jx_evals_save(rq->store, &rq->who, rq->ids[0], &ed, version,
	                    rq->env->rules, rq->env->wf, &nv, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		load_and_answer(rq, rs, rq->ids[0], JX_HTTP_OK);
}

/* POST /api/evals/{id}/preview: nothing is written. */
JX_H(evals_preview)
{
	struct jx_evals_edit ed;
	struct jx_eval e;
	struct jx_evals_rec rec;
	struct jx_diag d;
	enum jx_err err;

	if (!ready(rq, rs) || !read_edits(rq, rs, &ed))
		return;
	jx_eval_init(&e);
	jx_diag_clear(&d);
	err = jx_evals_load(rq->store, &rq->who, rq->ids[0], &e, &rec, &d);
	if (err == JX_OK)
		err = jx_evals_apply(&e, &ed, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		answer(rq, rs, &e, &rec, true, JX_HTTP_OK);
	jx_eval_cleanup(&e);
}

/* POST /api/evals/{id}/transitions */
JX_H(evals_transition)
{
	struct jx_diag d;
	const char *to = NULL;
	int64_t version, nv = 0;
	enum jx_err err;

	if (!ready(rq, rs))
		return;
	version = jx_http_int(rq->json, "version", 0);
	if (version <= 0) {
		jx_http_error(rs, JX_EINVAL, "version",
		              "缺少必填字段 version（读取时的版本号）");
		return;
	}
	if (jx_http_str(rq->json, "action") == NULL) {
		jx_http_error(rs, JX_EINVAL, "action", "缺少必填字段 action");
		return;
	}
	jx_diag_clear(&d);
	err = jx_evals_transition(rq->store, &rq->who, rq->ids[0],
	                          jx_http_str(rq->json, "action"),
	                          jx_http_str(rq->json, "comment"), version,
	                          rq->env->wf, &to, &nv, &d);
	if (err != JX_OK)
		jx_http_diag(rs, err, &d);
	else
		load_and_answer(rq, rs, rq->ids[0], JX_HTTP_OK);
}
