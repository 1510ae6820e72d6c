/*
 * h_goals.c - the goals resource of the web API (绩效目标申报): a
 * project's current goal version and its list of versions, one version by
 * id, saving goals and indicators, workflow transitions on a version, and
 * the meaning of a target value for the live editor (docs/api/goals.md).
 *
 * Every answer about a version carries what the form needs beside the
 * stored rows: each indicator's target as the engine reads it (comparison,
 * number, unit, direction, in Chinese), the weight sums per first-level
 * indicator and in total against what the rule set expects (exact
 * decimals), the workflow state with its label, and the transitions the
 * caller may take now.
 *
 * What this file does not do: SQL, scoping or the workflow's rules (the
 * store's goals.c and workflow.c decide), nor route roles (routes.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "jx/goals.h"
#include "jx/limits.h"
#include "jx/rules.h"
#include "jx/workflow.h"

#define END_FIELDS                                                             \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL                                         \
	}
#define TARGET_MAX (JX_MAX_VALUE_TEXT / 4) /* characters of a target */

static const struct jx_http_field goal_fields[] = {
        {"kind", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, 16, NULL},
        {"text", JX_HTTP_STRING, JX_HTTP_REQUIRED, 0, JX_MAX_TEXT, NULL},
        END_FIELDS};

static const struct jx_http_field indicator_fields[] = {
        {"level1", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_WORD_MAX,
         NULL},
        {"level2", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_WORD_MAX,
         NULL},
        {"name", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_NAME_MAX, NULL},
        {"target", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, TARGET_MAX, NULL},
        {"unit", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_WORD_MAX, NULL},
        {"nature", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_WORD_MAX,
         NULL},
        {"weight", JX_HTTP_DEC, JX_HTTP_NULLABLE, 0, 0, NULL},
        END_FIELDS};

const struct jx_http_field jx_h_goals_save_body[] = {
        {"version", JX_HTTP_INT, 0, 0, INT64_MAX, NULL},
        {"reason", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_MAX_TEXT, NULL},
        {"goals", JX_HTTP_ARRAY, JX_HTTP_REQUIRED, 0, JX_MAX_GOALS,
         goal_fields},
        {"indicators", JX_HTTP_ARRAY, JX_HTTP_REQUIRED, 0, JX_MAX_INDICATORS,
         indicator_fields},
        END_FIELDS};

const struct jx_http_field jx_h_goals_parse_body[] = {
        {"target", JX_HTTP_STRING, JX_HTTP_REQUIRED, 0, TARGET_MAX, NULL},
        {"unit", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_WORD_MAX, NULL},
        {"level2", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_WORD_MAX,
         NULL},
        {"name", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_GOALS_NAME_MAX, NULL},
        END_FIELDS};

/* One first-level group of the weight sums. */
struct wsum {
	const char *name; /* the rule set's name, or the text as written */
	const struct jx_rules_level1 *l1; /* NULL: not in the rule set */
	jx_dec sum;
	bool overflow;
};

static json_t *dec_json(jx_dec v);
static const char *stage_label(const char *stage);
static json_t *meaning_json(const struct jx_goals_meaning *m);
static int add_meanings(json_t *inds, const struct jx_rules *r);
static json_t *weights_json(const json_t *inds, const struct jx_rules *r);
static json_t *transitions_json(const struct jx_workflow *wf,
                                const char *status, const char *role,
                                bool has_dept);
static const char *state_label(const struct jx_workflow *wf, const char *key);
static int label_reviews(json_t *revs, const struct jx_workflow *wf);
static int decorate(const struct jx_http_req *rq, json_t *o);
static void answer(struct jx_http_req *rq, struct jx_http_resp *rs,
                   enum jx_err err, struct jx_diag *d,
                   enum jx_err (*read)(struct jx_store *s,
                                       const struct jx_who *who, int64_t id,
                                       json_t **out, struct jx_diag *d),
                   int64_t id, unsigned status);
static bool read_content(struct jx_http_req *rq, struct jx_http_resp *rs,
                         struct jx_goals_content *c);

/* ---- building answers ------------------------------------------------- */

static json_t *
dec_json(jx_dec v)
{
	char buf[48];

	jx_dec_format(v, -1, buf, sizeof(buf));
	return json_string(buf);
}

/* 申报 / 批复 / 调整. */
static const char *
stage_label(const char *stage)
{
	if (stage == NULL)
		return "";
	if (strcmp(stage, "declared") == 0)
		return "申报";
	if (strcmp(stage, "approved") == 0)
		return "批复";
	if (strcmp(stage, "adjusted") == 0)
		return "调整";
	return stage;
}

/* {"kind", "comparator", "comparator_implied", "value", "unit",
 *  "direction", "word", "tier", "error", "text"}: every key present, null
 * where it does not apply. */
static json_t *
meaning_json(const struct jx_goals_meaning *m)
{
	static const char *const kinds[] = {"empty", "number", "word",
	                                    "unparsed"};
	static const char *const dirs[] = {NULL, "higher", "lower", "equal"};
	bool num = m->v.kind == JX_VALUE_NUMBER;
	bool word = m->v.kind == JX_VALUE_WORD;
	json_t *w = word ? json_stringn(m->v.word, m->v.word_len) : json_null();

	return json_pack(
	        "{s:s, s:s?, s:o, s:s?, s:s?, s:s?, s:o, s:o, s:s?, "
	        "s:s}",
	        "kind", kinds[m->v.kind], "comparator",
	        num ? jx_value_cmp_symbol(m->cmp) : NULL, "comparator_implied",
	        num ? json_boolean(m->cmp_implied) : json_null(), "value",
	        num ? m->value : NULL, "unit", num ? m->unit : NULL,
	        "direction", dirs[m->dir], "word", w, "tier",
	        word && m->tier > 0 ? json_integer(m->tier) : json_null(),
	        "error", m->v.kind == JX_VALUE_UNPARSED ? m->v.error : NULL,
	        "text", m->text);
}

/* Add "meaning" to every indicator of inds. 0 on success. */
static int
add_meanings(json_t *inds, const struct jx_rules *r)
{
	struct jx_goals_meaning m;
	json_t *ind;
	size_t i;

	json_array_foreach(inds, i, ind)
	{
		jx_goals_meaning(jx_http_str(ind, "target"),
		                 jx_http_str(ind, "unit"),
		                 jx_http_str(ind, "name"),
		                 jx_http_str(ind, "level2"), r, &m);
		if (json_object_set_new(ind, "meaning", meaning_json(&m)) != 0)
			return -1;
	}
	return 0;
}

/*
 * {"by_level1": [{"level1", "sum", "expected" | null, "ok" | null}],
 *  "total", "expected_total"}: the rule set's first-level indicators in
 * its order, then names it does not know in order of appearance.
 */
static json_t *
weights_json(const json_t *inds, const struct jx_rules *r)
{
	struct wsum g[JX_MAX_RULE_ITEMS + 16];
	const json_t *ind;
	const struct jx_rules_level1 *l1;
	json_t *arr = json_array(), *out = NULL, *row;
	jx_dec total = 0, w, exp;
	bool total_over = false, has_sat = false, has_exp;
	size_t i, j, n = 0;
	const char *name;

	if (arr == NULL)
		return NULL;
	for (i = 0; r != NULL && i < r->nlevel1 && n < JX_MAX_RULE_ITEMS; i++)
		g[n++] = (struct wsum){r->level1[i].name, &r->level1[i], 0,
		                       false};
	json_array_foreach(inds, i, ind)
	{
		name = jx_http_str(ind, "level1");
		l1 = jx_rules_level1_find(r, name);
		if (l1 != NULL && l1->kind == JX_L1_SATISFACTION)
			has_sat = true;
		for (j = 0; j < n; j++)
			if ((l1 != NULL && g[j].l1 == l1) ||
			    (l1 == NULL && g[j].l1 == NULL && name != NULL &&
			     strcmp(g[j].name, name) == 0))
				break;
		if (j == n && n < sizeof(g) / sizeof(g[0]))
			g[n++] = (struct wsum){name != NULL ? name : "", NULL,
			                       0, false};
		if (j == n || !jx_http_dec(ind, "weight", &w))
			continue;
		if (jx_dec_add(g[j].sum, w, &g[j].sum) != JX_OK)
			g[j].overflow = true;
		if (jx_dec_add(total, w, &total) != JX_OK)
			total_over = true;
	}
	for (j = 0; j < n; j++) {
		has_exp = g[j].l1 != NULL &&
		          jx_rules_level1_expected(r, g[j].l1, has_sat, &exp);
		row = json_pack(
		        "{s:s, s:o, s:o, s:o}", "level1", g[j].name, "sum",
		        g[j].overflow ? json_null() : dec_json(g[j].sum),
		        "expected", has_exp ? dec_json(exp) : json_null(), "ok",
		        has_exp && !g[j].overflow
		                ? json_boolean(g[j].sum == exp)
		                : json_null());
		if (json_array_append_new(arr, row) != 0)
			goto fail;
	}
	out = json_pack(
	        "{s:o, s:o, s:o}", "by_level1", arr, "total",
	        total_over ? json_null() : dec_json(total), "expected_total",
	        r != NULL ? dec_json(jx_rules_level1_sum(r)) : json_null());
	return out;
fail:
	json_decref(arr);
	return NULL;
}

/* [{"action", "label", "to", "to_label", "comment_required"}]: the
 * transitions `role` may take now. */
static json_t *
transitions_json(const struct jx_workflow *wf, const char *status,
                 const char *role, bool has_dept)
{
	const struct jx_workflow_transition *t[JX_WORKFLOW_MAX_TRANSITIONS];
	json_t *arr = json_array();
	size_t i, n;

	if (arr == NULL)
		return NULL;
	n = jx_workflow_available(wf, status, role, has_dept, t,
	                          JX_WORKFLOW_MAX_TRANSITIONS);
	for (i = 0; i < n; i++)
		if (json_array_append_new(
		            arr,
		            json_pack("{s:s, s:s, s:s, s:s, s:b}", "action",
		                      t[i]->action, "label", t[i]->label, "to",
		                      wf->states[t[i]->to].key, "to_label",
		                      wf->states[t[i]->to].label,
		                      "comment_required",
		                      t[i]->comment_required)) != 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

/* The label of state key ("" for none). */
static const char *
state_label(const struct jx_workflow *wf, const char *key)
{
	const char *l = key != NULL ? jx_workflow_state_label(wf, key) : NULL;

	return l != NULL ? l : "";
}

/* Add "action_label", "from_label" and "to_label" to each review. */
static int
label_reviews(json_t *revs, const struct jx_workflow *wf)
{
	json_t *rv;
	const char *action, *label;
	size_t i, k;

	json_array_foreach(revs, i, rv)
	{
		action = jx_http_str(rv, "action");
		label = action;
		for (k = 0; action != NULL && k < wf->ntrans; k++)
			if (strcmp(wf->trans[k].action, action) == 0)
				label = wf->trans[k].label;
		if (json_object_set_new(rv, "action_label",
		                        label != NULL ? json_string(label)
		                                      : json_null()) != 0 ||
		    json_object_set_new(
		            rv, "from_label",
		            json_string(state_label(
		                    wf, jx_http_str(rv, "from_status")))) !=
		            0 ||
		    json_object_set_new(
		            rv, "to_label",
		            json_string(state_label(
		                    wf, jx_http_str(rv, "to_status")))) != 0)
			return -1;
	}
	return 0;
}

/* Add to o (the store's {"project", "goal_version", "versions"}) what the
 * form needs: labels, meanings, weight sums, state, the caller's
 * transitions and whether the caller may save. 0 on success. */
static int
decorate(const struct jx_http_req *rq, json_t *o)
{
	const struct jx_workflow *wf = rq->env->wf;
	const struct jx_rules *r = rq->env->rules;
	const char *role = rq->who.role, *status, *last;
	json_t *gv = json_object_get(o, "goal_version"), *v;
	bool has_dept, editable = false, final = false, unit, latest;
	size_t i;

	has_dept = !json_is_null(
	        json_object_get(json_object_get(o, "project"), "dept"));
	json_array_foreach(json_object_get(o, "versions"), i, v)
	{
		status = jx_http_str(v, "status");
		if (json_object_set_new(v, "status_label",
		                        json_string(state_label(wf, status))) !=
		            0 ||
		    json_object_set_new(v, "stage_label",
		                        json_string(stage_label(
		                                jx_http_str(v, "stage")))) != 0)
			return -1;
	}
	/* Only the latest version moves: an older one offers no buttons. A
	 * save acts on the latest version, whichever one is shown. */
	v = json_array_get(json_object_get(o, "versions"), 0);
	last = jx_http_str(v, "status");
	latest = json_integer_value(json_object_get(v, "id")) ==
	         json_integer_value(json_object_get(gv, "id"));
	if (!json_is_object(gv)) {
		/* no version yet: what the rule set expects, for the form */
		json_t *none = json_array();

		if (none == NULL ||
		    json_object_set_new(o, "weights", weights_json(none, r)) !=
		            0) {
			json_decref(none);
			return -1;
		}
		json_decref(none);
	}
	if (json_is_object(gv)) {
		status = jx_http_str(gv, "status");
		if (json_object_set_new(
		            gv, "state",
		            json_pack("{s:s?, s:s, s:b, s:b}", "key", status,
		                      "label", state_label(wf, status),
		                      "editable",
		                      jx_workflow_editable(wf, status), "final",
		                      jx_workflow_final(wf, status))) != 0 ||
		    json_object_set_new(gv, "stage_label",
		                        json_string(stage_label(jx_http_str(
		                                gv, "stage")))) != 0 ||
		    add_meanings(json_object_get(gv, "indicators"), r) != 0 ||
		    json_object_set_new(
		            gv, "weights",
		            weights_json(json_object_get(gv, "indicators"),
		                         r)) != 0 ||
		    json_object_set_new(gv, "transitions",
		                        latest ? transitions_json(wf, status,
		                                                  role,
		                                                  has_dept)
		                               : json_array()) != 0 ||
		    label_reviews(json_object_get(gv, "reviews"), wf) != 0)
			return -1;
	}
	/* The filer saves when there is no version yet, the latest is
	 * editable, or it is approved (the save starts an adjustment). */
	unit = role != NULL && strcmp(role, JX_ROLE_UNIT) == 0;
	editable = jx_workflow_editable(wf, last);
	final = jx_workflow_final(wf, last);
	if (json_object_set_new(o, "can_save",
	                        json_boolean(unit && (v == NULL || editable ||
	                                              final))) != 0 ||
	    json_object_set_new(o, "save_needs_reason",
	                        json_boolean(v != NULL && final)) != 0)
		return -1;
	return 0;
}

/*
 * Answer a read or a write: when err (the write's outcome, d its
 * diagnostic; JX_OK for a plain read) is JX_OK, read record id with read
 * (jx_goals_get or jx_goals_version), decorate it and answer it with
 * status; otherwise, or when the read fails, answer the error.
 */
static void
answer(struct jx_http_req *rq, struct jx_http_resp *rs, enum jx_err err,
       struct jx_diag *d,
       enum jx_err (*read)(struct jx_store *s, const struct jx_who *who,
                           int64_t id, json_t **out, struct jx_diag *d),
       int64_t id, unsigned status)
{
	json_t *o = NULL;

	if (err == JX_OK)
		err = read(rq->store, &rq->who, id, &o, d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, d);
		return;
	}
	if (decorate(rq, o) != 0) {
		json_decref(o);
		jx_http_error(rs, JX_ENOMEM, NULL, "服务器繁忙，请稍后再试");
		return;
	}
	jx_http_reply(rs, status, o);
}

/* The save body as a struct jx_goals_content in the request's arena. */
static bool
read_content(struct jx_http_req *rq, struct jx_http_resp *rs,
             struct jx_goals_content *c)
{
	const json_t *goals = json_object_get(rq->json, "goals");
	const json_t *inds = json_object_get(rq->json, "indicators");
	struct jx_goals_goal *g;
	struct jx_goals_indicator *ind;
	const json_t *e;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->version = jx_http_int(rq->json, "version", 0);
	c->reason = jx_http_str(rq->json, "reason");
	c->ngoals = json_array_size(goals);
	c->nindicators = json_array_size(inds);
	g = jx_arena_calloc(rq->arena, c->ngoals + 1, sizeof(*g));
	ind = jx_arena_calloc(rq->arena, c->nindicators + 1, sizeof(*ind));
	if (g == NULL || ind == NULL) {
		jx_http_error(rs, JX_ENOMEM, NULL, "服务器繁忙，请稍后再试");
		return false;
	}
	json_array_foreach(goals, i, e)
	{
		g[i].kind = jx_http_str(e, "kind");
		g[i].text = jx_http_str(e, "text");
	}
	json_array_foreach(inds, i, e)
	{
		ind[i].level1 = jx_http_str(e, "level1");
		ind[i].level2 = jx_http_str(e, "level2");
		ind[i].name = jx_http_str(e, "name");
		ind[i].target = jx_http_str(e, "target");
		ind[i].unit = jx_http_str(e, "unit");
		ind[i].nature = jx_http_str(e, "nature");
		ind[i].has_weight = jx_http_dec(e, "weight", &ind[i].weight);
	}
	c->goals = g;
	c->indicators = ind;
	return true;
}

/* ---- handlers ---------------------------------------------------------- */

void
jx_h_goals_get(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;

	jx_diag_clear(&d);
	answer(rq, rs, JX_OK, &d, jx_goals_get, rq->ids[0], JX_HTTP_OK);
}

void
jx_h_goals_version(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;

	jx_diag_clear(&d);
	answer(rq, rs, JX_OK, &d, jx_goals_version, rq->ids[0], JX_HTTP_OK);
}

void
jx_h_goals_save(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_goals_content c;
	struct jx_diag d;
	int64_t id = 0;
	bool created = false;
	enum jx_err err;

	if (!read_content(rq, rs, &c))
		return;
	jx_diag_clear(&d);
	err = jx_goals_save(rq->store, &rq->who, rq->env->wf, rq->env->rules,
	                    rq->ids[0], &c, &id, &created, &d);
	answer(rq, rs, err, &d, jx_goals_version, id,
	       created ? JX_HTTP_CREATED : JX_HTTP_OK);
}

void
jx_h_goals_transition(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_goals_transition(rq->store, &rq->who, rq->env->wf, rq->ids[0],
	                          jx_http_str(rq->json, "action"),
	                          jx_http_str(rq->json, "comment"),
	                          jx_http_int(rq->json, "version", 0), NULL,
	                          &d);
	answer(rq, rs, err, &d, jx_goals_version, rq->ids[0], JX_HTTP_OK);
}

void
jx_h_goals_parse(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_goals_meaning m;
	const char *target = jx_http_str(rq->json, "target");

	jx_goals_meaning(target, jx_http_str(rq->json, "unit"),
	                 jx_http_str(rq->json, "name"),
	                 jx_http_str(rq->json, "level2"), rq->env->rules, &m);
	jx_http_reply(rs, JX_HTTP_OK,
	              json_pack("{s:s?, s:o}", "target", target, "meaning",
	                        meaning_json(&m)));
}
