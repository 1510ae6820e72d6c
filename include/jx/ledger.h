/*
 * ledger.h - projects and their money as the web API sees them: scoped
 * lists and reads of projects, creating and editing projects, the budget
 * (年初预算数), adjustments (预算调整), payments (资金拨付), the execution
 * rate against the time elapsed in the year (序时进度), and a project's
 * history.
 *
 * Every function takes the caller (struct jx_who) and sees only projects
 * whose implementing unit lies in the caller's subtree of the organisation
 * tree (jx_org.path); a project outside it is JX_ENOTFOUND exactly like one
 * that does not exist. The scoping is in the SQL. Every write runs in one
 * transaction and is logged in the audit log with before and after as JSON
 * under who->login. Money is integer 分 (fen); rates and scores are exact
 * decimals (dec.h), rounded once where stated.
 *
 * The money of a project, the same rules as jx_store_project_funds:
 *   initial   = initial_fen of its 'total' fund row (年初预算数)
 *   annual    = initial + the sum of its adjustments when adjustments are
 *               recorded, else the stored annual_fen (全年预算数)
 *   executed  = the sum of its payments when payments are recorded, else
 *               the stored executed_fen (全年执行数)
 *   exec rate = executed / annual as a percentage, 2 decimals, rounded half
 *               away from zero; none when there is no annual budget or it
 *               is 0.
 *
 * This module does not check roles (the route table does) or workflow
 * states (workflow.h), and it does not format HTTP responses.
 */
#ifndef JX_LEDGER_H
#define JX_LEDGER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "jx/dec.h"
#include "jx/err.h"
#include "jx/store.h"

#define JX_LEDGER_YEAR_MIN         1990 /* fiscal years a project may have */
#define JX_LEDGER_YEAR_MAX         2100
#define JX_LEDGER_CODE_MAX         64  /* bytes of a project code */
#define JX_LEDGER_NAME_MAX         200 /* characters of a project name */
#define JX_LEDGER_TYPE_MAX         100 /* characters of a project type */
#define JX_LEDGER_TEXT_MAX         500 /* characters of a payee, purpose, reason */
#define JX_LEDGER_Q_MAX            100 /* characters of a search text */
#define JX_LEDGER_AMOUNT_MAX       INT64_C(1000000000000000) /* 10^15 fen */
/* Percentage points by which execution may lag the time elapsed before a
 * project is flagged (jx_ledger_funds's lag_threshold): what the web API
 * passes until the rule set carries the figure (issue 7). */
#define JX_LEDGER_LAG_POINTS       (20 * JX_DEC_ONE)
/* Audit before/after texts longer than this are left out of a history
 * (a re-imported self-evaluation logs its whole document). */
#define JX_LEDGER_HISTORY_TEXT_MAX 65536

/* ---- lists and reads --------------------------------------------------- */

/* What a project list shows. Zero / NULL fields do not filter. */
struct jx_ledger_filter {
	int64_t year;       /* 0: every year */
	int64_t dept_id;    /* 0: any department */
	int64_t unit_id;    /* 0: any unit */
	const char *status; /* the self-evaluation's workflow status (draft,
	                       submitted, dept_approved, finance_approved,
	                       returned), "none" for projects without one */
	const char *grade;  /* 优 良 中 差 (the computed grade) */
	int has_errors;     /* -1: any; 1: the self-evaluation has findings of
	                       severity error; 0: it has none (or there is no
	                       self-evaluation) */
	const char *q;      /* the name or the code contains it */
	const char *sort;   /* code (NULL), name, year, score, exec_rate,
	                       updated; NULLs last in either direction */
	bool desc;
	int64_t page;     /* 1.. */
	int64_t per_page; /* 1..JX_HTTP_PAGE_MAX */
};

/* Whether `status` / `grade` is a value the filter accepts. */
bool jx_ledger_status_known(const char *status);
bool jx_ledger_grade_known(const char *grade);

/*
 * One page of the projects in who's scope that pass f, in f's order, and
 * the number of them all. *items gets a new JSON array (the caller owns
 * it) of objects:
 *   {"id", "code", "name", "year", "unit": {"id", "name"},
 *    "dept": {"id", "name"} | null, "annual_fen" | null,
 *    "executed_fen" | null, "exec_rate": "98.06" | null,
 *    "eval": {"id", "status", "total": "94.9" | null, "grade" | null,
 *             "errors", "warnings"} | null,
 *    "goal_status": the latest goal version's workflow status | null,
 *    "version", "updated_at"}
 * JX_EINVAL (d names the field) for an unknown status, grade or sort key,
 * a page below 1 or a per_page outside 1..200; JX_EDB, JX_ENOMEM.
 */
enum jx_err jx_ledger_list(struct jx_store *s, const struct jx_who *who,
                           const struct jx_ledger_filter *f, json_t **items,
                           int64_t *total, struct jx_diag *d);

/* A project's money now (see the file head), as of a date. */
struct jx_ledger_funds {
	int64_t project_id;
	int64_t year;
	int64_t version; /* the project's */
	bool has_initial;
	int64_t initial_fen;
	int64_t nadjustments;
	int64_t adjustments_fen; /* their sum (0 when none) */
	bool has_annual;
	int64_t annual_fen;
	bool has_received;
	int64_t received_fen; /* 实际到位资金 as stored */
	int64_t npayments;
	int64_t paid_fen; /* their sum (0 when none) */
	bool has_executed;
	int64_t executed_fen;
	bool executed_from_payments;
	bool has_rate;
	jx_dec exec_rate;     /* percent: 98.06 is 98060000 */
	char as_of[11];       /* YYYY-MM-DD: the date of time_progress */
	jx_dec time_progress; /* percent of the year elapsed at as_of */
	bool has_gap;
	jx_dec gap;           /* exec_rate - time_progress, points */
	jx_dec lag_threshold; /* points, as passed in */
	bool lagging;         /* gap < -lag_threshold: execution lags time */
	bool over_budget;     /* executed > annual */
};

/*
 * The money of project_id as of `today` ("YYYY-MM-DD", UTC; NULL: the
 * current UTC date) into *out. lag_threshold (percentage points, >= 0)
 * sets out->lagging. JX_ENOTFOUND outside who's scope; JX_EINVAL for a
 * bad date or threshold; JX_EDB.
 */
enum jx_err jx_ledger_funds(struct jx_store *s, const struct jx_who *who,
                            int64_t project_id, const char *today,
                            jx_dec lag_threshold, struct jx_ledger_funds *out,
                            struct jx_diag *d);

/*
 * f as a new JSON object (the caller owns it), or NULL when out of
 * memory:
 *   {"project_id", "year", "version", "initial_fen", "adjustments_fen",
 *    "annual_fen", "received_fen", "executed_fen", "executed_source":
 *    "payments" | "recorded" | null, "payments": {"count", "total_fen"},
 *    "adjustments": {"count", "total_fen"}, "exec_rate", "as_of",
 *    "time_progress", "gap", "lag_threshold", "lagging", "over_budget"}
 * Amounts absent in f are null; decimals are exact strings.
 */
json_t *jx_ledger_funds_json(const struct jx_ledger_funds *f);

/*
 * Project id with everything a project page shows, as a new JSON object
 * (the caller owns it): the fields of a list item plus "type",
 * "start_date", "end_date", "created_at", "funds" (jx_ledger_funds_json
 * as of today, lag_threshold as for jx_ledger_funds), "goals" (the latest
 * goal version: {"id", "number", "stage", "wf_status", "version",
 * "indicators", "weight_total"} or null) and "eval" (the self-evaluation:
 * {"id", "status", "total", "grade", "errors", "warnings", "version",
 * "updated_at"} or null). JX_ENOTFOUND outside who's scope.
 */
enum jx_err jx_ledger_get(struct jx_store *s, const struct jx_who *who,
                          int64_t id, const char *today, jx_dec lag_threshold,
                          json_t **out, struct jx_diag *d);

/*
 * One page (newest first) of the history of project id: its audit-log
 * entries (the project itself, its budget, adjustments and payments as
 * logged here, its goal versions and its self-evaluation) and the review
 * steps of its records (jx_review). *items gets a new JSON array of
 *   {"kind": "audit" | "review", "id", "at", "actor", "action",
 *    "table", "record_id", "before", "after", "comment", "from_status",
 *    "to_status"}
 * where before/after are the logged JSON (a string when the log holds
 * plain text, null when absent or longer than JX_LEDGER_HISTORY_TEXT_MAX,
 * then "omitted": true). *total counts all entries. JX_ENOTFOUND outside
 * who's scope.
 */
enum jx_err jx_ledger_history(struct jx_store *s, const struct jx_who *who,
                              int64_t id, int64_t page, int64_t per_page,
                              json_t **items, int64_t *total,
                              struct jx_diag *d);

/*
 * One page of project id's payments (newest date first) or adjustments
 * (likewise): arrays of {"id", "date", "amount_fen", "payee", "purpose",
 * "created_by", "created_at"} and {"id", "date", "amount_fen", "reason",
 * "created_by", "created_at"}. JX_ENOTFOUND outside who's scope.
 */
enum jx_err jx_ledger_payments(struct jx_store *s, const struct jx_who *who,
                               int64_t id, int64_t page, int64_t per_page,
                               json_t **items, int64_t *total,
                               struct jx_diag *d);
enum jx_err jx_ledger_adjustments(struct jx_store *s, const struct jx_who *who,
                                  int64_t id, int64_t page, int64_t per_page,
                                  json_t **items, int64_t *total,
                                  struct jx_diag *d);

/* ---- writes ------------------------------------------------------------ */

/* A new project. */
struct jx_ledger_new {
	const char *code; /* unique, 1..JX_LEDGER_CODE_MAX bytes, no spaces */
	const char *name;
	const char *type;       /* may be NULL */
	int64_t unit_id;        /* 0: the caller's own organisation */
	int64_t year;           /* JX_LEDGER_YEAR_MIN..MAX */
	const char *start_date; /* YYYY-MM-DD or NULL */
	const char *end_date;   /* YYYY-MM-DD or NULL; not before start */
};

/*
 * Create a project in unit p->unit_id, which must be an implementing unit
 * in who's scope (a unit filer: their own unit only). Its department is
 * the unit's parent when that is a department; its fiscal year is added
 * when missing. *id gets the new id. JX_ENOTFOUND (field "unit_id") for a
 * unit outside the scope; JX_EINVAL (d names the field) for a missing or
 * bad field, an organisation that is not a unit, dates out of order;
 * JX_ECONFLICT (field "code") when the code exists. Nothing is written on
 * failure.
 */
enum jx_err jx_ledger_create(struct jx_store *s, const struct jx_who *who,
                             const struct jx_ledger_new *p, int64_t *id,
                             struct jx_diag *d);

/* A change of a project: only the fields with set_* true change; NULL
 * clears type or a date. version is the version read. */
struct jx_ledger_patch {
	int64_t id;
	int64_t version;
	bool set_name, set_type, set_start, set_end;
	const char *name;
	const char *type;
	const char *start_date;
	const char *end_date;
};

/*
 * Apply p to a project in who's scope; *new_version (may be NULL) gets
 * the version after (p->version + 1). JX_ENOTFOUND outside the scope;
 * JX_EINVAL for a bad field or dates out of order (after merging with the
 * stored ones); JX_ECONFLICT (field "version") when the version is stale.
 * Nothing is written on failure.
 */
enum jx_err jx_ledger_update(struct jx_store *s, const struct jx_who *who,
                             const struct jx_ledger_patch *p,
                             int64_t *new_version, struct jx_diag *d);

/*
 * Set the approved budget (年初预算数, 0..JX_LEDGER_AMOUNT_MAX fen) of
 * project id, read at `version`: the 'total' fund row (created when
 * missing) gets initial_fen and annual_fen = initial_fen + the recorded
 * adjustments, and the project's version goes up by one (*new_version, may
 * be NULL). JX_ECONFLICT (field "version") for a stale version; JX_EINVAL
 * (field "initial_fen") for an amount out of range or one the recorded
 * adjustments would make negative; JX_ENOTFOUND outside the scope.
 */
enum jx_err jx_ledger_set_budget(struct jx_store *s, const struct jx_who *who,
                                 int64_t id, int64_t initial_fen,
                                 int64_t version, int64_t *new_version,
                                 struct jx_diag *d);

/* What recording a payment left. */
struct jx_ledger_paid {
	int64_t id;       /* the new payment */
	int64_t paid_fen; /* all payments of the project now */
	bool has_annual;
	int64_t annual_fen;
	bool over_budget; /* paid_fen > annual_fen: allowed, but say so */
};

/*
 * Record payment p (p->project_id; date YYYY-MM-DD, 0 < amount_fen <=
 * JX_LEDGER_AMOUNT_MAX, payee required) with jx_store_payment_add after the
 * scope check, in one transaction, logged on the project. JX_ENOTFOUND
 * outside the scope; JX_EINVAL naming "date", "amount_fen", "payee" or
 * "purpose".
 */
enum jx_err jx_ledger_payment_add(struct jx_store *s, const struct jx_who *who,
                                  const struct jx_payment *p,
                                  struct jx_ledger_paid *out,
                                  struct jx_diag *d);

/*
 * Record an adjustment of amount_fen (not 0, |amount| <=
 * JX_LEDGER_AMOUNT_MAX; negative cuts) of project_id's annual budget with
 * jx_store_adjustment_add after the scope check, in one transaction: the
 * project must have an initial budget, and the annual budget after it
 * (initial + all adjustments) must not be negative; the 'total' fund row's
 * annual_fen is updated to match. *id gets the adjustment's id and
 * *annual_fen (may be NULL) the annual budget after it. JX_ENOTFOUND
 * outside the scope; JX_EINVAL naming "date", "amount_fen" or "reason".
 */
enum jx_err jx_ledger_adjustment_add(struct jx_store *s,
                                     const struct jx_who *who,
                                     int64_t project_id, const char *date,
                                     int64_t amount_fen, const char *reason,
                                     int64_t *id, int64_t *annual_fen,
                                     struct jx_diag *d);

/* ---- dates ------------------------------------------------------------- */

/* The current UTC date as "YYYY-MM-DD" into buf (cap >= 11). */
void jx_ledger_today(char *buf, size_t cap);

/*
 * The share of fiscal year `year` elapsed on `today` ("YYYY-MM-DD") as a
 * percentage with 2 decimals: the day of the year of today (1 on 1
 * January) over the days in the year, 100 for a past year, 0 for a
 * future one. JX_EINVAL for a bad date.
 */
enum jx_err jx_ledger_time_progress(int64_t year, const char *today,
                                    jx_dec *out);

#endif
