/*
 * board.h - the oversight reads of the web API (监督看板): a year's
 * dashboard per supervising department, what waits for the caller (待办),
 * and the audit log.
 *
 * Every read is scoped like the rest of the web API (store.h, struct
 * jx_who): a project counts only when its unit's organisation lies in the
 * caller's subtree, so a department reviewer's dashboard holds only their
 * department and a unit filer's inbox only their unit's records. The
 * dashboard is a handful of GROUP BY queries whatever the number of
 * projects; nothing here runs a query per project.
 *
 * Results come back as new JSON values in the shapes docs/api/board.md
 * shows, with workflow states as their keys ("submitted"): the HTTP layer
 * adds the Chinese labels of the workflow it runs. This module writes
 * nothing and does not decide which roles may call it (the route table
 * does).
 */
#ifndef JX_BOARD_H
#define JX_BOARD_H

#include <jansson.h>
#include <stdint.h>

#include "jx/dec.h"
#include "jx/err.h"
#include "jx/store.h"

/* dept_id of jx_board_dashboard: every department in scope. */
#define JX_BOARD_ALL_DEPTS (-1)
/* dept_id of jx_board_dashboard: the units directly under the finance
 * bureau (财政直管单位), which have no supervising department. */
#define JX_BOARD_DIRECT    0

/* Items listed per inbox list and error projects per dashboard row. */
#define JX_BOARD_INBOX_MAX      100
#define JX_BOARD_ERRORS_MAX     20
#define JX_BOARD_CODES_MAX      10
/* Characters of an audit entry's before or after text shown in a page of
 * the log; a longer one is left out (null) and flagged. */
#define JX_BOARD_AUDIT_TEXT_MAX 65536

/*
 * The time progress of `year` (序时进度) on the date `today` ("YYYY-MM-DD",
 * UTC) as a percentage in millionths, rounded half away from zero to 0.01:
 * the days of the year elapsed up to and including today over the days in
 * the year (1 January: 1/365), 100 for a past year, 0 for a future one;
 * computed by jx_ledger_time_progress, as on a project's page. JX_EINVAL
 * when today is not a real date (d names "today").
 */
enum jx_err jx_board_time_progress(int year, const char *today, jx_dec *out,
                                   struct jx_diag *d);

/*
 * The dashboard of `year` on the date `today` ("YYYY-MM-DD"): one row per
 * supervising department in the caller's scope (every department of the
 * subtree, even one without projects, and the department of the caller's
 * own unit), then a row "财政直管单位" for units directly under the finance
 * bureau when there are such units or projects in scope, and a total row.
 * dept_id JX_BOARD_ALL_DEPTS keeps every row, JX_BOARD_DIRECT only the
 * direct units, a positive id only that department: it must be a
 * department in the caller's subtree or the caller's own department, else
 * JX_ENOTFOUND (d->field "dept_id"), exactly as for one that does not exist.
 *
 * Each row: projects; self-evaluations by workflow status (none: the
 * project has none); by computed grade (优 良 中 差, other, none: no
 * self-evaluation or no grade); the annual budget and the executed amount in
 * 分 (per project as jx_store_project_funds: annual is the 'total' funds
 * row's initial budget plus the adjustments when any are recorded, else its
 * annual budget; executed is the sum of payments when any are recorded,
 * else its executed figure); the execution rate executed / annual x 100
 * rounded to 0.01 (null when the annual budget is 0) beside the time
 * progress and the gap between them (rate - progress, percentage points;
 * the ledger's rules, ledger.h); the computed totals in buckets [0,60) [60,70)
 * [70,80) [80,90) [90,100] (below 0 counts in the first, above 100 in the
 * last); the projects whose self-evaluation has error findings (count, and the
 * first JX_BOARD_ERRORS_MAX by errors descending then id); the findings
 * MISSING_DEVIATION_REASON; the JX_BOARD_CODES_MAX most common finding
 * codes (errors and warnings; ties by code).
 *
 * *out gets a new object (the caller owns the reference). JX_EINVAL for a
 * bad today or a caller without an organisation path, JX_EDB, JX_ENOMEM.
 */
enum jx_err jx_board_dashboard(struct jx_store *s, const struct jx_who *who,
                               int year, int64_t dept_id, const char *today,
                               json_t **out, struct jx_diag *d);

/*
 * What waits for the caller, by role, in the caller's scope: lists of
 * self-evaluations and goal versions (type "self_eval" or "goal_version")
 * with their project, workflow status key, updated_at and the last review
 * comment (the newest jx_review row of the record with a comment, or null).
 *
 *   unit_filer        "returned" (已退回) and "draft" (草稿)
 *   dept_reviewer     "awaiting_dept": submitted, project with a department
 *   finance_reviewer  "awaiting_finance": dept_approved, and submitted ones
 *                     of projects without a department
 *   admin             the totals of all four lists, without items
 *
 * Each list: {"key", "label", "total", "items"} with at most
 * JX_BOARD_INBOX_MAX items, newest first. *out gets a new object
 * {"role", "lists": [...]}; the caller owns it. JX_EINVAL for an unknown
 * role or a caller without an organisation path; JX_EDB, JX_ENOMEM.
 */
enum jx_err jx_board_inbox(struct jx_store *s, const struct jx_who *who,
                           json_t **out, struct jx_diag *d);

/* Filters of the audit log; NULL / 0 for none. */
struct jx_board_audit_filter {
	const char *table; /* "jx_project" or "project" (prefix added) */
	int64_t record_id; /* > 0 */
	const char *actor; /* a login, exactly */
	const char
	        *from;  /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", inclusive */
	const char *to; /* same; a date includes its whole day */
};

/*
 * One page (1-based, per_page 1..JX_HTTP_PAGE_MAX) of the audit log,
 * newest first, filtered by f: *items gets a new array of {"id", "at",
 * "actor", "action", "table", "record_id", "before", "after",
 * "before_omitted", "after_omitted"} (before and after as logged, null
 * when none or longer than JX_BOARD_AUDIT_TEXT_MAX characters, which the
 * *_omitted flags tell apart) and *total the number of entries that
 * match. The log is not divided by
 * organisation: only a caller at a root organisation (the finance bureau)
 * may read it, anyone else is refused with JX_EPERM. JX_EINVAL names the
 * bad filter in d->field (a table name that is not [a-z_], a bad date,
 * from after to).
 */
enum jx_err jx_board_audit(struct jx_store *s, const struct jx_who *who,
                           const struct jx_board_audit_filter *f, int64_t page,
                           int64_t per_page, json_t **items, int64_t *total,
                           struct jx_diag *d);

#endif
