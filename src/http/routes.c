/*
 * routes.c - the route table of the web API: every path, who may call it,
 * what body and query it takes, and its handler. Data only; the router
 * (router.c) enforces it and docs/openapi.json describes it (a test keeps
 * the two equal).
 */
#include "handlers.h"
#include "jx/limits.h"
#include "jx/workflow.h"

#define ANY     JX_ROLEBIT_ANY
#define UNIT    JX_ROLEBIT_UNIT
#define DEPT    JX_ROLEBIT_DEPT
#define FINANCE JX_ROLEBIT_FINANCE
#define ADMIN   JX_ROLEBIT_ADMIN
#define SMALL   (16u * 1024u)    /* bytes: a form */
#define LARGE   JX_HTTP_BODY_MAX /* bytes: an indicator table */
#define PAGING  "page per_page"

const struct jx_route jx_routes[] = {
        /* meta */
        {"GET", "/healthz", jx_h_health, 0, JX_ROUTE_NO_LOG, 0, NULL, NULL,
         "Health: the server runs and reaches its database"},
        {"GET", "/api/version", jx_h_version, 0, 0, 0, NULL, NULL,
         "Version of the server, the schema and the rule set"},
        {"GET", "/api/workflow", jx_h_workflow, ANY, 0, 0, NULL, NULL,
         "The review workflow: states and transitions"},

        /* session */
        {"POST", "/api/session", jx_h_session_login, 0, JX_ROUTE_NO_CSRF, SMALL,
         jx_h_session_login_body, NULL, "Sign in"},
        {"GET", "/api/session", jx_h_session_get, ANY, 0, 0, NULL, NULL,
         "The signed-in user and the CSRF token"},
        {"DELETE", "/api/session", jx_h_session_logout, ANY, 0, 0, NULL, NULL,
         "Sign out"},
        {"POST", "/api/session/password", jx_h_session_password, ANY, 0, SMALL,
         jx_h_session_password_body, NULL, "Change own password"},

        /* organisations */
        {"GET", "/api/orgs", jx_h_orgs_list, ANY, 0, 0, NULL,
         "kind parent_id q sort " PAGING, "Organisations in scope"},
        {"POST", "/api/orgs", jx_h_orgs_create, ADMIN, 0, SMALL,
         jx_h_orgs_create_body, NULL, "Create an organisation"},
        {"GET", "/api/orgs/{id}", jx_h_orgs_get, ANY, 0, 0, NULL, NULL,
         "One organisation"},
        {"PATCH", "/api/orgs/{id}", jx_h_orgs_update, ADMIN, 0, SMALL,
         jx_h_orgs_update_body, NULL, "Rename or recode an organisation"},

        /* users */
        {"GET", "/api/users", jx_h_users_list, ADMIN, 0, 0, NULL,
         "org_id role active q sort " PAGING, "Accounts"},
        {"POST", "/api/users", jx_h_users_create, ADMIN, 0, SMALL,
         jx_h_users_create_body, NULL, "Create an account"},
        {"GET", "/api/users/{id}", jx_h_users_get, ADMIN, 0, 0, NULL, NULL,
         "One account"},
        {"PATCH", "/api/users/{id}", jx_h_users_update, ADMIN, 0, SMALL,
         jx_h_users_update_body, NULL, "Change an account"},
        {"POST", "/api/users/{id}/password", jx_h_users_reset_password, ADMIN,
         0, SMALL, jx_h_users_password_body, NULL,
         "Reset an account's password"},

        /* projects */
        {"GET", "/api/projects", jx_h_projects_list, ANY, 0, 0, NULL,
         "year dept_id unit_id status grade has_errors q sort " PAGING,
         "Projects in scope, filtered, sorted and paged"},
        {"POST", "/api/projects", jx_h_projects_create, UNIT | ADMIN, 0, SMALL,
         jx_h_projects_create_body, NULL, "Create a project"},
        {"GET", "/api/projects/{id}", jx_h_projects_get, ANY, 0, 0, NULL, NULL,
         "A project with its money, goals and self-evaluation"},
        {"PATCH", "/api/projects/{id}", jx_h_projects_update, UNIT | ADMIN, 0,
         SMALL, jx_h_projects_update_body, NULL, "Change a project"},
        {"GET", "/api/projects/{id}/history", jx_h_projects_history, ANY, 0, 0,
         NULL, PAGING, "A project's history"},

        /* money */
        {"GET", "/api/projects/{id}/funds", jx_h_money_funds, ANY, 0, 0, NULL,
         NULL, "Budget, adjustments, payments and execution rate"},
        {"PUT", "/api/projects/{id}/budget", jx_h_money_budget, FINANCE | ADMIN,
         0, SMALL, jx_h_money_budget_body, NULL, "Set the approved budget"},
        {"GET", "/api/projects/{id}/payments", jx_h_money_payments, ANY, 0, 0,
         NULL, PAGING, "Payments"},
        {"POST", "/api/projects/{id}/payments", jx_h_money_payment_add,
         UNIT | FINANCE, 0, SMALL, jx_h_money_payment_body, NULL,
         "Record a payment"},
        {"GET", "/api/projects/{id}/adjustments", jx_h_money_adjustments, ANY,
         0, 0, NULL, PAGING, "Budget adjustments"},
        {"POST", "/api/projects/{id}/adjustments", jx_h_money_adjustment_add,
         FINANCE, 0, SMALL, jx_h_money_adjustment_body, NULL,
         "Record a budget adjustment"},

        /* goals and indicators */
        {"GET", "/api/projects/{id}/goals", jx_h_goals_get, ANY, 0, 0, NULL,
         NULL, "The current goal version and the list of versions"},
        {"PUT", "/api/projects/{id}/goals", jx_h_goals_save, UNIT, 0, LARGE,
         jx_h_goals_save_body, NULL, "Save goals and indicators"},
        {"GET", "/api/goal-versions/{id}", jx_h_goals_version, ANY, 0, 0, NULL,
         NULL, "One goal version"},
        {"POST", "/api/goal-versions/{id}/transitions", jx_h_goals_transition,
         ANY, 0, SMALL, jx_h_transition_body, NULL,
         "Submit, approve or return a goal version"},
        {"POST", "/api/targets/parse", jx_h_goals_parse, ANY, 0, SMALL,
         jx_h_goals_parse_body, NULL, "The meaning of a target value"},

        /* self-evaluations */
        {"POST", "/api/projects/{id}/self-eval", jx_h_evals_create, UNIT, 0,
         SMALL, jx_h_evals_create_body, NULL,
         "Start the self-evaluation of a project"},
        {"GET", "/api/evals/{id}", jx_h_evals_get, ANY, 0, 0, NULL, NULL,
         "A self-evaluation with live scores and findings"},
        {"PATCH", "/api/evals/{id}", jx_h_evals_save, UNIT, 0, LARGE,
         jx_h_evals_save_body, NULL, "Save actual values and reasons"},
        {"POST", "/api/evals/{id}/preview", jx_h_evals_preview, ANY, 0, LARGE,
         jx_h_evals_preview_body, NULL,
         "Scores and findings of unsaved values"},
        {"POST", "/api/evals/{id}/transitions", jx_h_evals_transition, ANY, 0,
         SMALL, jx_h_transition_body, NULL,
         "Submit, approve or return a self-evaluation"},

        /* oversight */
        {"GET", "/api/dashboard", jx_h_board_dashboard, ANY, 0, 0, NULL,
         "year dept_id", "Summaries per department and year"},
        {"GET", "/api/inbox", jx_h_board_inbox, ANY, 0, 0, NULL, NULL,
         "What waits for the caller"},
        {"GET", "/api/audit", jx_h_board_audit, FINANCE | ADMIN, 0, 0, NULL,
         "table record_id actor from to " PAGING, "The audit log"},
};

const size_t jx_nroutes = sizeof(jx_routes) / sizeof(jx_routes[0]);
