/*
 * store.h - the budget-and-performance database behind one interface.
 *
 * Organisations as a tree (finance bureau -> supervising departments ->
 * implementing units), users and roles, fiscal years, projects with their
 * funds, adjustments and payments, versioned goals and indicators,
 * self-evaluations with stated and computed figures and findings, review
 * comments and an append-only audit log. Two back-ends chosen at run time by
 * the database URL: "sqlite:PATH" (the embedded default) and
 * "postgresql://..." (libpq). Every multi-row change runs in one
 * transaction; editable records carry a version number and a stale write is
 * refused with JX_ECONFLICT, never applied over a newer one.
 *
 * Money is integer 分 (fen) in project funds and payments. Figures copied
 * from a document keep the document's unit exactly (millionths, see dec.h).
 * Derived figures are computed by the core engine, never typed in: executed
 * is the sum of payments where payments are recorded.
 *
 * This module does not check who may do what (the HTTP layer's roles come
 * in through the `actor` names recorded in the audit log) and does not read
 * or write files other than the database and its backups.
 */
#ifndef JX_STORE_H
#define JX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"

struct jx_store;

/* The URL used when none is given. */
#define JX_STORE_DEFAULT_URL "sqlite:./jixiao.db"

/*
 * Connect to `url` ("sqlite:PATH", "postgresql://..." or "postgres://...").
 * Does not migrate. JX_EINVAL for an unknown scheme, JX_EDB when the
 * database cannot be opened; d says why (passwords never appear in it).
 * *out is owned by the caller: jx_store_close.
 */
enum jx_err jx_store_open(const char *url, struct jx_store **out,
                          struct jx_diag *d);

/* Close and free s. Accepts NULL. A transaction left open is rolled back. */
void jx_store_close(struct jx_store *s);

/* "sqlite" or "postgresql". */
const char *jx_store_backend(const struct jx_store *s);

/* The schema version this build knows (the number of the last migration). */
int jx_store_schema_latest(void);

/* The database's schema version: 0 for an empty database. */
enum jx_err jx_store_schema_version(struct jx_store *s, int *version,
                                    struct jx_diag *d);

/*
 * Apply the migrations the database lacks, each in its own transaction and
 * recorded in jx_schema_migration. Safe to re-run (nothing to do is JX_OK).
 * Refuses (JX_EINVAL) a database whose schema is newer than this build.
 * *from and *to (may be NULL) get the versions before and after.
 */
enum jx_err jx_store_migrate(struct jx_store *s, int *from, int *to,
                             struct jx_diag *d);

/* Transactions spanning several calls (the calls below that change several
 * rows open their own when none is open). */
enum jx_err jx_store_begin(struct jx_store *s, struct jx_diag *d);
enum jx_err jx_store_commit(struct jx_store *s, struct jx_diag *d);
void jx_store_rollback(struct jx_store *s);

/* ---- organisations and users ---------------------------------------- */

enum jx_org_kind {
	JX_ORG_FINANCE = 1, /* 财政局 */
	JX_ORG_DEPARTMENT,  /* 主管部门 */
	JX_ORG_UNIT         /* 实施单位 */
};

struct jx_org {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	enum jx_org_kind kind;
	const char *code; /* may be NULL */
	const char *name;
	const char *region_code; /* 财政区划代码, may be NULL */
	const char *region_name;
	int64_t version;
};

/*
 * The organisation named `name` of `kind` under parent_id (0: a root),
 * created if missing (with code, region_code, region_name, each may be
 * NULL). *id gets its id. JX_EINVAL when a kind does not fit under its
 * parent (a unit directly under the finance bureau is allowed; a
 * department under a unit is not).
 */
enum jx_err jx_store_org_ensure(struct jx_store *s, int64_t parent_id,
                                enum jx_org_kind kind, const char *name,
                                const char *code, const char *region_code,
                                const char *region_name, int64_t *id,
                                struct jx_diag *d);

/* Organisation id into *out; strings in arena a. JX_ENOTFOUND if none. */
enum jx_err jx_store_org_get(struct jx_store *s, int64_t id, struct jx_org *out,
                             struct jx_arena *a, struct jx_diag *d);

/* Roles (kept as text in the database). */
#define JX_ROLE_UNIT    "unit_filer"       /* 单位填报 */
#define JX_ROLE_DEPT    "dept_reviewer"    /* 主管部门审核 */
#define JX_ROLE_FINANCE "finance_reviewer" /* 财政审核 */
#define JX_ROLE_ADMIN   "admin"            /* 系统管理员 */

/*
 * The caller of a web request, as the store sees it: every scoped query of
 * the web API (account.h, ledger.h, goals.h, evals.h) shows and changes
 * only records whose organisation lies in the subtree at org_path, and a
 * record outside it is JX_ENOTFOUND, exactly like one that does not exist.
 * Strings are borrowed for the call.
 */
struct jx_who {
	int64_t user_id;
	const char *login;
	const char *name;
	const char *role;     /* one of JX_ROLE_* */
	int64_t org_id;       /* the user's organisation */
	const char *org_kind; /* "finance", "department" or "unit" */
	const char *org_path; /* "/1/5/": ids from the root down to org_id */
};

struct jx_user {
	int64_t id;
	int64_t org_id;
	const char *login;
	const char *name;
	const char *role;          /* one of JX_ROLE_* */
	const char *password_hash; /* NULL: cannot log in until set */
	int64_t version;
};

/* Create a user. JX_ECONFLICT when the login exists, JX_EINVAL for an
 * unknown role. */
enum jx_err jx_store_user_create(struct jx_store *s, const struct jx_user *u,
                                 int64_t *id, struct jx_diag *d);

/* The user with `login`; strings in a. JX_ENOTFOUND if none. */
enum jx_err jx_store_user_get(struct jx_store *s, const char *login,
                              struct jx_user *out, struct jx_arena *a,
                              struct jx_diag *d);

/* ---- projects and money --------------------------------------------- */

struct jx_project {
	int64_t id;
	const char *code; /* unique */
	const char *name;
	const char *type; /* 项目类型, may be NULL */
	int64_t unit_id;
	int64_t dept_id; /* 0 when the unit has no department */
	int year;
	const char *start_date; /* YYYY-MM-DD, may be NULL */
	const char *end_date;
	int64_t version;
};

/* Project by id or by code; strings in a. JX_ENOTFOUND if none. */
enum jx_err jx_store_project_get(struct jx_store *s, int64_t id,
                                 struct jx_project *out, struct jx_arena *a,
                                 struct jx_diag *d);
enum jx_err jx_store_project_find(struct jx_store *s, const char *code,
                                  int64_t *id, struct jx_diag *d);

/*
 * Change a project's name, type and dates. p->version must be the version
 * read; on success the stored version is p->version + 1. A stale version is
 * JX_ECONFLICT and changes nothing. Logged in the audit log.
 */
enum jx_err jx_store_project_update(struct jx_store *s,
                                    const struct jx_project *p,
                                    const char *actor, struct jx_diag *d);

struct jx_payment {
	int64_t id;
	int64_t project_id;
	const char *date;   /* YYYY-MM-DD */
	int64_t amount_fen; /* > 0 */
	const char *payee;
	const char *purpose;
};

/* Record a payment (资金拨付); logged. JX_EINVAL for a bad date or amount. */
enum jx_err jx_store_payment_add(struct jx_store *s, const struct jx_payment *p,
                                 const char *actor, int64_t *id,
                                 struct jx_diag *d);

/* Record a budget adjustment (预算调整) of the annual budget by amount_fen
 * (negative to cut) with its date and reason; logged. */
enum jx_err jx_store_adjustment_add(struct jx_store *s, int64_t project_id,
                                    const char *date, int64_t amount_fen,
                                    const char *reason, const char *actor,
                                    int64_t *id, struct jx_diag *d);

/* A project's money now: executed is the sum of payments when any are
 * recorded, else the figure imported from its self-evaluation. */
struct jx_project_funds {
	bool has_initial, has_annual, has_received, has_executed;
	int64_t initial_fen;
	int64_t annual_fen; /* initial + adjustments when adjusted */
	int64_t received_fen;
	int64_t executed_fen;
	int64_t npayments;
	int64_t nadjustments;
	bool executed_from_payments;
};

enum jx_err jx_store_project_funds(struct jx_store *s, int64_t project_id,
                                   struct jx_project_funds *out,
                                   struct jx_diag *d);

/* ---- self-evaluations ------------------------------------------------ */

enum jx_import_outcome {
	JX_IMPORT_CREATED = 1, /* a new project and self-evaluation */
	JX_IMPORT_UNCHANGED,   /* the same content was there: nothing written */
	JX_IMPORT_UPDATED      /* changed: rewritten, version + 1, logged */
};

/*
 * Import one self-evaluation in the interchange model, in one transaction:
 * place it in the organisation tree (its department and unit under the
 * finance bureau root, created if missing), find its project by e->id (else
 * by year + unit + department + title), store every stated figure and the
 * figures computed under r, its findings, and a first approved version of
 * its goals and indicators. Re-importing the same content changes nothing;
 * changed content replaces the old, bumps the version and logs before and
 * after. Money that is not a whole number of 分 is JX_EINVAL.
 */
enum jx_err jx_store_eval_import(struct jx_store *s, const struct jx_eval *e,
                                 const struct jx_rules *r, const char *actor,
                                 enum jx_import_outcome *outcome,
                                 int64_t *eval_id, struct jx_diag *d);

/* Load self-evaluation eval_id back into e (reset first; all in e's arena)
 * exactly as imported: export(import(x)) equals x. */
enum jx_err jx_store_eval_load(struct jx_store *s, int64_t eval_id,
                               struct jx_eval *e, struct jx_diag *d);

/* Ids of all self-evaluations in id order, malloc'd (free with free()). */
enum jx_err jx_store_eval_ids(struct jx_store *s, int64_t **ids, size_t *n,
                              struct jx_diag *d);

/*
 * Edit one indicator line of a self-evaluation (实际完成值 and 偏差原因)
 * with optimistic concurrency: expected_version must be the evaluation's
 * version as read; the computed figures are recomputed under r. Stale:
 * JX_ECONFLICT, nothing written. *new_version gets the new version.
 */
enum jx_err jx_store_eval_set_actual(struct jx_store *s, int64_t eval_id,
                                     size_t position, const char *actual,
                                     const char *reason,
                                     int64_t expected_version,
                                     const struct jx_rules *r,
                                     const char *actor, int64_t *new_version,
                                     struct jx_diag *d);

/* The version number of self-evaluation eval_id. */
enum jx_err jx_store_eval_version(struct jx_store *s, int64_t eval_id,
                                  int64_t *version, struct jx_diag *d);

/* ---- reporting, audit log, operations ------------------------------- */

struct jx_store_stats {
	int64_t orgs, users, projects, payments, adjustments;
	int64_t evals, indicators, findings_errors, audit_entries;
	int schema_version;
};

enum jx_err jx_store_stats(struct jx_store *s, struct jx_store_stats *out,
                           struct jx_diag *d);

/* A department's summary for one year (the dashboard's figures). */
struct jx_dept_summary {
	int64_t projects;
	int64_t evals;
	int64_t by_grade[5]; /* 优 良 中 差, [4]: no grade */
	int64_t with_errors; /* evaluations with findings of severity error */
	int64_t annual_fen;
	int64_t executed_fen;
	int64_t score_buckets[10]; /* totals in [0,10) ... [90,100] */
};

enum jx_err jx_store_dept_summary(struct jx_store *s, int64_t dept_id, int year,
                                  struct jx_dept_summary *out,
                                  struct jx_diag *d);

/* Append an entry to the audit log (who did what to which record, with
 * before and after as JSON, each may be NULL). The log is never updated. */
enum jx_err jx_store_audit(struct jx_store *s, const char *actor,
                           const char *action, const char *table,
                           int64_t record_id, const char *before,
                           const char *after, struct jx_diag *d);

/* Number of audit-log entries about (table, record_id); record_id 0: all
 * of the table. */
enum jx_err jx_store_audit_count(struct jx_store *s, const char *table,
                                 int64_t record_id, int64_t *n,
                                 struct jx_diag *d);

/*
 * Write a consistent copy of the database to `path` while others write
 * (SQLite). JX_EPERM on PostgreSQL: use pg_dump (docs/storage.md).
 */
enum jx_err jx_store_backup(struct jx_store *s, const char *path,
                            struct jx_diag *d);

/*
 * Replace the SQLite database at `dest` with the backup `src`, after
 * checking src: it opens, passes PRAGMA integrity_check, and its schema
 * version is known to this build. dest is replaced atomically (rename) or
 * left untouched. No server may be using dest.
 */
enum jx_err jx_store_restore_sqlite(const char *src, const char *dest,
                                    struct jx_diag *d);

#endif
