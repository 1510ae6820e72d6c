/*
 * handlers.h - the web API's handlers and their body schemas, one group per
 * h_<resource>.c file, tied to paths in routes.c.
 *
 * Each handler may assume what the router guarantees (router.h): the route
 * matched, rq->ids holds the {id} segments, the caller is authenticated and
 * has one of the route's roles (rq->who), the CSRF token matched, and
 * rq->json (when the route has a body schema) passed jx_http_check. A
 * handler checks everything else: record scope (through the store's scoped
 * queries: out of scope is 404), workflow state, field values.
 * Private to src/http/.
 */
#ifndef JX_HTTP_HANDLERS_H
#define JX_HTTP_HANDLERS_H

#include "jx/http.h"
#include "jx/router.h"

#define JX_H(name)                                                             \
	void jx_h_##name(struct jx_http_req *rq, struct jx_http_resp *rs)

/* h_meta.c: health, version, the workflow definition. */
JX_H(health);
JX_H(version);
JX_H(workflow);

/* h_session.c: sign in and out, own password. */
JX_H(session_login);
JX_H(session_get);
JX_H(session_logout);
JX_H(session_password);
extern const struct jx_http_field jx_h_session_login_body[];
extern const struct jx_http_field jx_h_session_password_body[];

/* h_orgs.c: the organisation tree. */
JX_H(orgs_list);
JX_H(orgs_create);
JX_H(orgs_get);
JX_H(orgs_update);
extern const struct jx_http_field jx_h_orgs_create_body[];
extern const struct jx_http_field jx_h_orgs_update_body[];

/* h_users.c: accounts (administrators). */
JX_H(users_list);
JX_H(users_create);
JX_H(users_get);
JX_H(users_update);
JX_H(users_reset_password);
extern const struct jx_http_field jx_h_users_create_body[];
extern const struct jx_http_field jx_h_users_update_body[];
extern const struct jx_http_field jx_h_users_password_body[];

/* h_projects.c: projects. */
JX_H(projects_list);
JX_H(projects_create);
JX_H(projects_get);
JX_H(projects_update);
JX_H(projects_history);
extern const struct jx_http_field jx_h_projects_create_body[];
extern const struct jx_http_field jx_h_projects_update_body[];

/* h_money.c: budget, adjustments, payments. */
JX_H(money_funds);
JX_H(money_budget);
JX_H(money_payments);
JX_H(money_payment_add);
JX_H(money_adjustments);
JX_H(money_adjustment_add);
extern const struct jx_http_field jx_h_money_budget_body[];
extern const struct jx_http_field jx_h_money_payment_body[];
extern const struct jx_http_field jx_h_money_adjustment_body[];

/* h_goals.c: goal versions and indicators (申报), target parsing. */
JX_H(goals_get);
JX_H(goals_save);
JX_H(goals_version);
JX_H(goals_transition);
JX_H(goals_parse);
extern const struct jx_http_field jx_h_goals_save_body[];
extern const struct jx_http_field jx_h_goals_parse_body[];

/* h_evals.c: self-evaluations (自评). */
JX_H(evals_create);
JX_H(evals_get);
JX_H(evals_save);
JX_H(evals_preview);
JX_H(evals_transition);
extern const struct jx_http_field jx_h_evals_create_body[];
extern const struct jx_http_field jx_h_evals_save_body[];
extern const struct jx_http_field jx_h_evals_preview_body[];

/* The body of every workflow transition (goals, self-evaluations):
 * {"action", "comment", "version"}; defined in h_meta.c. */
extern const struct jx_http_field jx_h_transition_body[];

/* h_board.c: dashboard, inbox, audit log. */
JX_H(board_dashboard);
JX_H(board_inbox);
JX_H(board_audit);

#endif
