/*
 * workflow.h - the fill-in -> review workflow as data.
 *
 * A workflow file (rules/workflow/standard.json, format in docs/rules.md
 * "The review workflow") names the states a record under review passes
 * through (草稿 -> 已提交 -> 主管部门已审核 -> 财政已审核, or 已退回 with a
 * reason), which states the filer may still edit, and the transitions:
 * an action name, its Chinese label, the states it leaves from, the state
 * it leads to, the roles that may take it, whether a comment is required,
 * and whether it applies only to projects with (or without) a supervising
 * department. Who may do what is decided here, from the file, never by
 * ifs in the handlers.
 *
 * Pure: parses text it is given, no I/O, no globals. The same workflow
 * serves goal versions (申报), monitoring and self-evaluations.
 */
#ifndef JX_WORKFLOW_H
#define JX_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/err.h"

/* Role bits, for route tables and transitions. */
#define JX_ROLEBIT_UNIT    1u /* unit_filer 单位填报 */
#define JX_ROLEBIT_DEPT    2u /* dept_reviewer 主管部门审核 */
#define JX_ROLEBIT_FINANCE 4u /* finance_reviewer 财政审核 */
#define JX_ROLEBIT_ADMIN   8u /* admin 系统管理员 */
#define JX_ROLEBIT_ANY     15u

/* The bit of role name `role` ("unit_filer" ...), 0 for an unknown one. */
unsigned jx_workflow_role_bit(const char *role);

/* The Chinese name of a role ("单位填报"), "未知角色" for an unknown one. */
const char *jx_workflow_role_label(const char *role);

#define JX_WORKFLOW_MAX_STATES      16
#define JX_WORKFLOW_MAX_TRANSITIONS 32

/* When a transition applies, by the record's project. */
enum jx_workflow_when {
	JX_WORKFLOW_ALWAYS = 0,
	JX_WORKFLOW_WITH_DEPT,   /* the project has a supervising department */
	JX_WORKFLOW_WITHOUT_DEPT /* the unit reports straight to finance */
};

struct jx_workflow_transition {
	const char *action; /* "submit", "dept_approve", ... */
	const char *label;  /* "提交" */
	unsigned from;      /* bit i set: may leave from state i */
	int to;             /* state index */
	unsigned roles;     /* JX_ROLEBIT_* */
	bool comment_required;
	enum jx_workflow_when when;
};

struct jx_workflow_state {
	const char *key;   /* "draft" */
	const char *label; /* "草稿" */
	bool editable;     /* the filer may change the record */
	bool final;        /* the end of the review (财政已审核) */
};

struct jx_workflow {
	const char *title; /* "标准审核流程…" (the file's "title") */
	struct jx_workflow_state states[JX_WORKFLOW_MAX_STATES];
	size_t nstates;
	int initial; /* the state a new record starts in */
	struct jx_workflow_transition trans[JX_WORKFLOW_MAX_TRANSITIONS];
	size_t ntrans;
	char *strings; /* owned storage of every string above */
};

/*
 * Parse and validate a workflow from buf[0..len) (UTF-8 JSON); `source`
 * names the file in diagnostics. On JX_OK *w is filled (call
 * jx_workflow_cleanup); on failure *w is empty and d names the line and
 * field: JX_EPARSE for malformed JSON, JX_EINVAL for an unknown key, an
 * unknown state or role, a transition without roles, a duplicate action,
 * JX_ETOOBIG past the limits above, JX_ENOMEM.
 */
enum jx_err jx_workflow_load(struct jx_workflow *w, const char *buf, size_t len,
                             const char *source, struct jx_diag *d);

/* Free what w owns. Accepts an empty w. */
void jx_workflow_cleanup(struct jx_workflow *w);

/* The index of state `key`, -1 when unknown. */
int jx_workflow_state(const struct jx_workflow *w, const char *key);

/* The label of state `key` (its key itself when unknown). */
const char *jx_workflow_state_label(const struct jx_workflow *w,
                                    const char *key);

/* Whether the filer may edit a record in state `key` (false if unknown). */
bool jx_workflow_editable(const struct jx_workflow *w, const char *key);

/* Whether state `key` ends the review (财政已审核; false if unknown). */
bool jx_workflow_final(const struct jx_workflow *w, const char *key);

/* The key of the state a new record starts in ("draft"); NULL for an
 * empty w. Borrowed from w. */
const char *jx_workflow_initial_key(const struct jx_workflow *w);

/*
 * May `role` take `action` on a record in state `from` of a project that
 * has (has_dept) or has not a supervising department, with `comment`
 * (NULL or "" for none)? On JX_OK *t is the transition (borrowed from w).
 * JX_EINVAL unknown action, or a required comment missing (d->field
 * "comment"); JX_EPERM the role may not take it; JX_ECONFLICT the record
 * is not in a state the action leaves from (or the action does not apply
 * to this kind of project). d says why in Chinese.
 */
enum jx_err jx_workflow_check(const struct jx_workflow *w, const char *from,
                              const char *action, const char *role,
                              bool has_dept, const char *comment,
                              const struct jx_workflow_transition **t,
                              struct jx_diag *d);

/*
 * The transitions `role` may take now from state `from` (the buttons the
 * UI shows): up to cap pointers into w, count returned.
 */
size_t jx_workflow_available(const struct jx_workflow *w, const char *from,
                             const char *role, bool has_dept,
                             const struct jx_workflow_transition **out,
                             size_t cap);

#endif
