/*
 * goals.h - performance goals and indicators (绩效目标申报) in the web API:
 * a project's goal versions, reading one with its goals (年度目标, 实施期目标)
 * and indicators (绩效指标), saving the content of the current version, and
 * moving a version through the review workflow (workflow.h).
 *
 * A project has numbered goal versions. Number 1 is declared (申报) by the
 * unit; a version imported with a self-evaluation is approved (批复); a
 * change after the finance bureau approved is a new version, adjusted
 * (调整), with a reason. A version's workflow state (wf_status) decides
 * what a save does:
 *   - no version yet: create number 1, stage declared, initial state;
 *   - the latest is editable (草稿, 已退回): replace its goals and
 *     indicators, row version + 1;
 *   - the latest is final (财政已审核): create number + 1, stage
 *     adjusted, initial state; a reason is required;
 *   - otherwise (under review): JX_ECONFLICT, nothing written.
 * Editable records carry a row version: a save or transition naming a
 * stale one is JX_ECONFLICT and writes nothing.
 *
 * Every call takes the caller (struct jx_who, store.h) and sees only
 * projects whose implementing unit lies in the caller's organisation
 * subtree (jx_org.path); anything else is JX_ENOTFOUND, exactly like a
 * record that does not exist. The scope is part of the SQL. Every write
 * runs in one transaction and is logged in the audit log under who->login;
 * every transition also leaves a jx_review row (who, from, to, comment).
 *
 * This module does not decide which roles may call which route (the route
 * table does; who may take which transition is the workflow's business)
 * and does not format HTTP responses (src/http/h_goals.c).
 */
#ifndef JX_GOALS_H
#define JX_GOALS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/dec.h"
#include "jx/err.h"
#include "jx/rules.h"
#include "jx/store.h"
#include "jx/value.h"
#include "jx/workflow.h"

#define JX_GOALS_NAME_MAX 200 /* characters of an indicator's name */
#define JX_GOALS_WORD_MAX 100 /* characters of level 1 / 2, unit, nature */

/* One goal of a save: kind "annual" (年度目标) or "multi_year" (实施期目
 * 标) and its text. */
struct jx_goals_goal {
	const char *kind;
	const char *text;
};

/* One indicator line of a save (三级指标 with its level 1 and 2). */
struct jx_goals_indicator {
	const char *level1; /* 一级指标: a first-level name of the rule set */
	const char *level2; /* 二级指标, may be NULL */
	const char *name;   /* 三级指标 */
	const char *target; /* 年度指标值 as written ("≥95%"), may be NULL */
	const char *unit;   /* 计量单位 as written, may be NULL */
	const char *nature; /* 指标性质 (定量/定性), may be NULL */
	bool has_weight;
	jx_dec weight; /* 权重 (points), >= 0 */
};

/* The content of a save. Strings are borrowed for the call. */
struct jx_goals_content {
	int64_t version;    /* the row version read; 0 when none exists */
	const char *reason; /* why (调整原因); required for a new version
	                       after approval; NULL or "" for none */
	const struct jx_goals_goal *goals;
	size_t ngoals;
	const struct jx_goals_indicator *indicators;
	size_t nindicators;
};

/*
 * Check c against the limits and rule set r, without the database: at
 * most JX_MAX_GOALS goals and JX_MAX_INDICATORS indicators (JX_ETOOBIG),
 * each goal of a known kind with text, each indicator with a name and a
 * first-level name the rule set knows (jx_rules_level1_find), a weight
 * >= 0 and texts within their limits (JX_EINVAL). d->field names the
 * field ("indicators[3].weight", 0-based), d->message says why in Chinese
 * (with the 1-based line number a user sees).
 */
enum jx_err jx_goals_check(const struct jx_goals_content *c,
                           const struct jx_rules *r, struct jx_diag *d);

/*
 * The goal versions of project_id, newest first. *items gets a new JSON
 * array (the caller owns it) of
 *   {"id", "number", "stage", "status", "version", "reason",
 *    "created_by", "created_at", "updated_at", "approved_at"}
 * where status is the workflow state key and version the row version.
 * JX_ENOTFOUND (project not in scope), JX_EINVAL (who has no org path),
 * JX_EDB, JX_ENOMEM.
 */
enum jx_err jx_goals_list(struct jx_store *s, const struct jx_who *who,
                          int64_t project_id, json_t **items,
                          struct jx_diag *d);

/*
 * Project project_id with its latest goal version in full. *out gets a new
 * object (the caller owns it):
 *   {"project": {"id", "code", "name", "year", "unit": {"id", "name"},
 *                "dept": {"id", "name"} | null},
 *    "goal_version": VERSION | null (none yet),
 *    "versions": the list of jx_goals_list}
 * VERSION is a list entry plus "project_id",
 *   "goals": [{"kind", "text"}] and
 *   "indicators": [{"position", "level1", "level2", "name", "target",
 *                   "unit", "nature", "weight": "12.5" | null}] in order,
 *   "reviews": [{"action", "actor", "comment", "from_status",
 *                "to_status", "created_at"}] oldest first.
 * Errors as jx_goals_list.
 */
enum jx_err jx_goals_get(struct jx_store *s, const struct jx_who *who,
                         int64_t project_id, json_t **out, struct jx_diag *d);

/* As jx_goals_get for goal version version_id (any version, not only the
 * latest) and its project. JX_ENOTFOUND when it does not exist or its
 * project is out of scope. */
enum jx_err jx_goals_version(struct jx_store *s, const struct jx_who *who,
                             int64_t version_id, json_t **out,
                             struct jx_diag *d);

/*
 * Save c as the goals and indicators of project_id, as the file head says
 * (create, replace, or create an adjusted version), in one transaction,
 * logged ("create" or "update" on jx_goal_version with before and after).
 * c is checked first (jx_goals_check, under r); targets are parsed
 * (jx_goals_meaning) to store their comparison, number and unit. wf gives
 * the states. On JX_OK *version_id gets the saved version's id and
 * *created (may be NULL) whether it is new. Errors: those of
 * jx_goals_check; JX_ENOTFOUND project not in scope; JX_ECONFLICT
 * (d->field "version") c->version is not the latest version's row version
 * (0 when there is none), or the latest is under review; JX_EINVAL
 * (d->field "reason") a new version after approval without a reason;
 * JX_EDB, JX_ENOMEM. On any error nothing is written.
 */
enum jx_err jx_goals_save(struct jx_store *s, const struct jx_who *who,
                          const struct jx_workflow *wf,
                          const struct jx_rules *r, int64_t project_id,
                          const struct jx_goals_content *c, int64_t *version_id,
                          bool *created, struct jx_diag *d);

/*
 * Take workflow transition `action` (with `comment`, may be NULL) on goal
 * version version_id as who (who->role), when its row version is
 * expected_version: checked with jx_workflow_check (the project has a
 * department when its dept_id is set), the state and row version + 1
 * written, a jx_review row and an audit entry added, in one transaction.
 * Only the latest version of a project moves. *project_id (may be NULL)
 * gets the version's project. Errors: JX_ENOTFOUND not in scope;
 * JX_ECONFLICT stale row version (d->field "version"), not the latest
 * version, or not in a state the action leaves from; JX_EPERM the role
 * may not; JX_EINVAL unknown action or missing comment; JX_EDB,
 * JX_ENOMEM. On any error nothing is written.
 */
enum jx_err jx_goals_transition(struct jx_store *s, const struct jx_who *who,
                                const struct jx_workflow *wf,
                                int64_t version_id, const char *action,
                                const char *comment, int64_t expected_version,
                                int64_t *project_id, struct jx_diag *d);

/* ---- what a target means ------------------------------------------------ */

/* The direction of a target as the form explains it. */
enum jx_goals_dir {
	JX_GOALS_DIR_NONE = 0, /* not a number */
	JX_GOALS_DIR_HIGHER,   /* ≥ >: 越高越好 */
	JX_GOALS_DIR_LOWER,    /* ≤ <: 越低越好 */
	JX_GOALS_DIR_EQUAL     /* =: 等于目标值 */
};

struct jx_goals_meaning {
	struct jx_value v; /* the parse; v.word borrows from the target */
	enum jx_cmp cmp;   /* the effective comparison (NUMBER) */
	bool cmp_implied;  /* no ≥/≤/= written: cmp is the rule set's */
	enum jx_goals_dir dir;
	const char *unit; /* the unit shown: parsed, else the unit column
	                     as written, else NULL (borrowed) */
	int tier;         /* WORD: the vocabulary tier 1..3, 0 unknown */
	char value[48];   /* NUMBER: the number as an exact decimal */
	char text[512]; /* "≥ 95%，越高越好", "无法解析：…" (zh-CN) */
};

/*
 * What target means for an indicator named `name` under level-2 `level2`
 * with the unit column `unit` (each may be NULL): parsed with
 * jx_value_parse (a unit in brackets at the end of the name applies); a
 * number written without a unit takes the unit column's unit when the
 * table knows it ("95" with unit "%" is 95%); a bare number's comparison
 * comes from the rule set r (jx_rules_bare_cmp); a word's tier from its
 * vocabulary. Always fills *out; pure.
 */
void jx_goals_meaning(const char *target, const char *unit, const char *name,
                      const char *level2, const struct jx_rules *r,
                      struct jx_goals_meaning *out);

#endif
