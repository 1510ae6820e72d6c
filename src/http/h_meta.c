/*
 * h_meta.c - the server about itself: health (does it reach its
 * database), version (of the program, the schema, the rule set), the
 * review workflow's states and transitions for the UI, and the body schema
 * shared by every workflow transition.
 */
#include <string.h>

#include "handlers.h"
#include "jx/rules.h"
#include "jx/workflow.h"

const struct jx_http_field jx_h_transition_body[] = {
        {"action", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, 64, NULL},
        {"comment", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, 2000, NULL},
        {"version", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        {NULL, 0, 0, 0, 0, NULL}};

void
jx_h_health(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	struct jx_diag d;
	enum jx_err err;
	int version = 0;

	jx_diag_clear(&d);
	err = jx_store_schema_version(rq->store, &version, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	jx_http_reply(rs, JX_HTTP_OK,
	              json_pack("{s:s, s:s, s:i}", "status", "ok", "database",
	                        jx_store_backend(rq->store), "schema",
	                        version));
}

void
jx_h_version(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	const struct jx_rules *r = rq->env->rules;

	jx_http_reply(rs, JX_HTTP_OK,
	              json_pack("{s:s, s:s, s:i, s:s, s:s?, s:s?}", "name",
	                        "jixiao", "version", JX_VERSION, "schema",
	                        jx_store_schema_latest(), "database",
	                        jx_store_backend(rq->store), "rules",
	                        r != NULL ? r->name : NULL, "rules_title",
	                        r != NULL ? r->title : NULL));
}

void
jx_h_workflow(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	const struct jx_workflow *w = rq->env->wf;
	json_t *states = json_array(), *trans = json_array(), *from, *roles;
	static const char *const role_names[] = {"unit_filer", "dept_reviewer",
	                                         "finance_reviewer", "admin"};
	static const char *const when_names[] = {"always", "with_department",
	                                         "without_department"};
	size_t i, j;

	if (states == NULL || trans == NULL)
		goto fail;
	for (i = 0; i < w->nstates; i++)
		if (json_array_append_new(
		            states, json_pack("{s:s, s:s, s:b, s:b, s:b}",
		                              "key", w->states[i].key, "label",
		                              w->states[i].label, "editable",
		                              w->states[i].editable, "final",
		                              w->states[i].final, "initial",
		                              (int)i == w->initial)) != 0)
			goto fail;
	for (i = 0; i < w->ntrans; i++) {
		const struct jx_workflow_transition *t = &w->trans[i];

		from = json_array();
		roles = json_array();
		if (from == NULL || roles == NULL) {
			json_decref(from);
			json_decref(roles);
			goto fail;
		}
		for (j = 0; j < w->nstates; j++)
			if (t->from & (1u << j))
				json_array_append_new(
				        from, json_string(w->states[j].key));
		for (j = 0; j < 4; j++)
			if (t->roles & (1u << j))
				json_array_append_new(
				        roles, json_string(role_names[j]));
		if (json_array_append_new(
		            trans,
		            json_pack("{s:s, s:s, s:o, s:s, s:o, s:b, s:s}",
		                      "action", t->action, "label", t->label,
		                      "from", from, "to", w->states[t->to].key,
		                      "roles", roles, "comment_required",
		                      t->comment_required, "when",
		                      when_names[t->when])) != 0)
			goto fail;
	}
	jx_http_reply(rs, JX_HTTP_OK,
	              json_pack("{s:o, s:o}", "states", states, "transitions",
	                        trans));
	return;
fail:
	json_decref(states);
	json_decref(trans);
	jx_http_error(rs, JX_ENOMEM, NULL, "服务器繁忙，请稍后再试");
}
