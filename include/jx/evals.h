/*
 * evals.h - self-evaluations (绩效自评) in the web API: start one from a
 * project's approved goals and money, read it, save actual values, deviation
 * reasons and achieved goals with optimistic concurrency, and move it
 * through the review workflow (workflow.h), each change in one transaction
 * and in the audit log.
 *
 * Every call takes the caller (struct jx_who, store.h) and sees only
 * self-evaluations whose project's implementing unit lies in the caller's
 * organisation subtree; anything else is JX_ENOTFOUND, exactly like a
 * record that does not exist. The scope is part of the SQL.
 *
 * In the web form nobody types a score: the engine computes every score
 * under the server's rule set and a save writes them into the form's
 * stated figures (得分, 预算执行率 and its score, 总分, 评价等级), so
 * the audit (audit.h) reports what a person can act on: blank or
 * unreadable actual values, missing deviation reasons, weights, funds. A
 * document imported with `jixiao db import` keeps its own stated figures
 * (and the findings about them) until its first save in the web form.
 *
 * This module does not decide which roles may call which route (the route
 * table does), nor format HTTP responses (src/http/h_evals.c).
 */
#ifndef JX_EVALS_H
#define JX_EVALS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/audit.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"
#include "jx/score.h"
#include "jx/store.h"
#include "jx/workflow.h"

/* The record around a self-evaluation's content. */
struct jx_evals_rec {
	int64_t id;
	int64_t project_id;
	int64_t goal_version_id; /* 0 when none is recorded */
	int64_t version;         /* optimistic concurrency */
	char status[32];         /* workflow state key: "draft" ... */
	bool has_dept;           /* the project has a 主管部门 */
	char updated_at[32];     /* "YYYY-MM-DDTHH:MM:SSZ" */
};

/* One indicator line of a save or preview; position is 0-based. */
struct jx_evals_line_edit {
	int64_t position;
	bool set_actual;    /* change 实际完成值 */
	const char *actual; /* NULL or "" clears it */
	bool set_reason;    /* change 偏差原因分析及改进措施 */
	const char *reason; /* NULL or "" clears it */
};

/* One 年度总体目标 of a save or preview; position is 0-based. */
struct jx_evals_goal_edit {
	int64_t position;
	bool set_achieved;    /* change 实际完成情况 */
	const char *achieved; /* NULL or "" clears it */
};

struct jx_evals_edit {
	const struct jx_evals_line_edit *lines;
	size_t nlines;
	const struct jx_evals_goal_edit *goals;
	size_t ngoals;
};

/*
 * Start the self-evaluation of project_id (role unit_filer, else
 * JX_EPERM) from the project's latest goal version in the workflow's final
 * state (财政已审核): one line per indicator (level 1 and 2, name, target,
 * unit, nature, weight; no actual value yet), its annual goals, and the
 * funds block from the project's money in 万元 (全年预算数 = 年初预算数
 * plus adjustments, 执行数 = the sum of payments when any are recorded,
 * else the recorded figure, else 0; the execution line's weight from r).
 * Title, unit, department and year come from the project; the status is
 * the workflow's initial state. Computed figures and findings are stored.
 * *eval_id gets the new id.
 *
 * JX_ENOTFOUND the project is not in scope; JX_ECONFLICT the project
 * already has a self-evaluation; JX_EINVAL no approved goal version, or
 * one without indicators (d says so in Chinese); JX_EDB, JX_ENOMEM.
 */
enum jx_err jx_evals_create(struct jx_store *s, const struct jx_who *who,
                            int64_t project_id, const struct jx_rules *r,
                            const struct jx_workflow *wf, int64_t *eval_id,
                            struct jx_diag *d);

/*
 * Load self-evaluation eval_id into e (reset first; everything in e's
 * arena) and its record into *rec. JX_ENOTFOUND when it does not exist or
 * is out of the caller's scope.
 */
enum jx_err jx_evals_load(struct jx_store *s, const struct jx_who *who,
                          int64_t eval_id, struct jx_eval *e,
                          struct jx_evals_rec *rec, struct jx_diag *d);

/* The record of eval_id alone (one query): its version and state tell
 * whether anything changed since it was last read. JX_ENOTFOUND when it
 * does not exist or is out of the caller's scope. */
enum jx_err jx_evals_record(struct jx_store *s, const struct jx_who *who,
                            int64_t eval_id, struct jx_evals_rec *rec,
                            struct jx_diag *d);

/*
 * Append to the JSON array arr the review history of eval_id, oldest
 * first: {"actor", "action", "comment", "from", "to", "at"} per review.
 * JX_ENOTFOUND when out of scope.
 */
enum jx_err jx_evals_reviews(struct jx_store *s, const struct jx_who *who,
                             int64_t eval_id, json_t *arr, struct jx_diag *d);

/*
 * Apply ed to e in memory (strings are copied into e's arena). Checks
 * every edit first and changes nothing unless all pass: JX_EINVAL with
 * d->field "lines[i].position" for a position that e does not have or
 * that appears twice, "lines[i].actual" for an actual value over
 * JX_MAX_VALUE_TEXT bytes, "lines[i].reason" / "goals[i].achieved" for
 * text over JX_MAX_TEXT bytes or not UTF-8; JX_ENOMEM.
 */
enum jx_err jx_evals_apply(struct jx_eval *e, const struct jx_evals_edit *ed,
                           struct jx_diag *d);

/*
 * Score e under r and audit it into *res and *f (arrays in arena a; the
 * audit records no confirmations). With fill, first do what a save does:
 * write the computed scores into e's stated figures (line scores that
 * could be computed, the execution rate and score, the total, and the
 * grade when every line could be scored), then score and audit that. e's
 * new strings live in e's arena. JX_OK, JX_ENOMEM, JX_EINVAL.
 */
enum jx_err jx_evals_compute(struct jx_eval *e, const struct jx_rules *r,
                             bool fill, struct jx_arena *a,
                             struct jx_result *res, struct jx_findings *f);

/*
 * Save the edits ed to eval_id (role unit_filer, else JX_EPERM) when its
 * workflow state is editable (else JX_EPERM: "已提交的自评表不能修改")
 * and its version is expected_version (else JX_ECONFLICT). Nothing is
 * written unless everything passes (edits are checked as by
 * jx_evals_apply). Recomputes and stores the computed figures and the
 * findings under r, bumps the version (*new_version) and logs the changed
 * lines and goals, before and after, in the audit log.
 * JX_ENOTFOUND out of scope.
 */
enum jx_err jx_evals_save(struct jx_store *s, const struct jx_who *who,
                          int64_t eval_id, const struct jx_evals_edit *ed,
                          int64_t expected_version, const struct jx_rules *r,
                          const struct jx_workflow *wf, int64_t *new_version,
                          struct jx_diag *d);

/*
 * Take workflow action `action` (with `comment`, NULL or "" for none) on
 * eval_id as the caller: jx_workflow_check decides (JX_EINVAL unknown
 * action or required comment missing, JX_EPERM the caller's role may not,
 * JX_ECONFLICT not from this state), then the version must be
 * expected_version (JX_ECONFLICT). Updates the status, bumps the version,
 * records a jx_review row (who, action, comment, from, to) and an audit
 * entry. *to gets the new state's key (borrowed from wf), *new_version the
 * new version. JX_ENOTFOUND out of scope.
 */
enum jx_err jx_evals_transition(struct jx_store *s, const struct jx_who *who,
                                int64_t eval_id, const char *action,
                                const char *comment, int64_t expected_version,
                                const struct jx_workflow *wf, const char **to,
                                int64_t *new_version, struct jx_diag *d);

/* The amount m in the money unit `unit` (NULL: 万元) as whole 分 into
 * *fen: false when it is not a whole number of 分 or the unit is not one
 * of money. */
bool jx_evals_fen(const char *unit, jx_dec m, int64_t *fen);

#endif
