/*
 * internal.h - what the store's modules share: the connection struct, the
 * statement plumbing, transactions, time and date helpers, and the mapping
 * of result rows onto JSON objects for the web API's reads.
 *
 * store.c owns the schema, the migrations and these helpers; account.c,
 * ledger.c, goals.c and evals.c hold the scoped queries of the web API.
 * Every SQL text is written once, in the dialect SQLite 3.40 and
 * PostgreSQL 15 both accept (see backend.h). Private to src/store/.
 */
#ifndef JX_STORE_INTERNAL_H
#define JX_STORE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "jx/arena.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/store.h"

struct jx_store {
	const struct jx_db_ops *ops;
	struct jx_db *db;
	int depth; /* nesting of jx_store_begin / own transactions */
};

/* Parameters: P_INT(x), P_TEXT(s) (NULL becomes SQL NULL), P_OPT(o). */
#define P_INT(x) ((struct jx_db_param){JX_DB_INT, (int64_t)(x), NULL})
#define P_TEXT(x)                                                              \
	((struct jx_db_param){(x) != NULL ? JX_DB_TEXT : JX_DB_NULL, 0, (x)})
#define P_NULL   ((struct jx_db_param){JX_DB_NULL, 0, NULL})
#define P_OPT(o) ((o).set ? P_INT((o).v) : P_NULL)
#define NP(a)    (sizeof(a) / sizeof((a)[0]))

/* Run one statement, discarding rows. */
enum jx_err jx_store_run(struct jx_store *s, const char *sql,
                         const struct jx_db_param *p, size_t n,
                         struct jx_diag *d);

/* Run one statement; *changes (may be NULL) gets the rows changed. */
enum jx_err jx_store_run_changes(struct jx_store *s, const char *sql,
                                 const struct jx_db_param *p, size_t n,
                                 int64_t *changes, struct jx_diag *d);

/* The first column of the first row into *out; JX_ENOTFOUND when there is
 * no row. */
enum jx_err jx_store_one_int(struct jx_store *s, const char *sql,
                             const struct jx_db_param *p, size_t n,
                             int64_t *out, struct jx_diag *d);

/*
 * Run sql and step to its first row, which the caller then reads from *st.
 * No row: JX_ENOTFOUND naming field with the message `missing`. The caller
 * finishes *st whatever the outcome (*st may be NULL; finish accepts it).
 */
enum jx_err jx_store_first(struct jx_store *s, const char *sql,
                           const struct jx_db_param *p, size_t n,
                           struct jx_db_stmt **st, const char *field,
                           const char *missing, struct jx_diag *d);

/*
 * Open a transaction (or, directly inside a caller's transaction, a
 * savepoint); *own says whether this call opened the transaction. Always
 * pair with jx_store_txn_close(s, own, err, d), which commits on JX_OK and
 * rolls back otherwise, and returns err or the commit's failure.
 */
enum jx_err jx_store_txn_open(struct jx_store *s, bool *own, struct jx_diag *d);
enum jx_err jx_store_txn_close(struct jx_store *s, bool own, enum jx_err err,
                               struct jx_diag *d);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (cap >= 21). */
void jx_store_now_utc(char *buf, size_t cap);

/* The UTC time `seconds` from now (negative: in the past), same format. */
void jx_store_time_from_now(long long seconds, char *buf, size_t cap);

/* Column i as a string copied into a (NULL for SQL NULL). */
char *jx_store_dup_col(struct jx_db_stmt *st, const struct jx_db_ops *ops,
                       int i, struct jx_arena *a);

/* Column i as an optional integer. */
struct jx_opt jx_store_opt_col(struct jx_db_stmt *st,
                               const struct jx_db_ops *ops, int i);

/*
 * The LIKE pattern of the subtree the caller may see: the org path of
 * w->org_path followed by '%' ("/1/5/%"). Paths hold only digits and '/',
 * so no LIKE escaping is needed. JX_EINVAL when w has no path.
 *
 * Write the test as "(o.path || '') LIKE ?", not "o.path LIKE ?": SQLite
 * recompiles a statement on every run when a bound parameter is the
 * pattern of a LIKE on a plain column (the value might allow the LIKE
 * index optimisation), which made every scoped query pay for parsing.
 */
enum jx_err jx_store_scope_like(const struct jx_who *w, char *buf, size_t cap,
                                struct jx_diag *d);

/* 16 hex digits of the 64-bit FNV-1a hash of s[0..n) into out (s may be
 * NULL when n is 0): content signatures, never security. */
void jx_store_hash_hex(const char *s, size_t n, char out[17]);

/* The content hash of e: the hash of its canonical interchange text, as
 * import stores it (jx_self_eval.content_hash). JX_ENOMEM, JX_ETOOBIG. */
enum jx_err jx_store_content_hash(const struct jx_eval *e, char hash[17]);

/*
 * jx_store_audit with before and after as JSON objects (each may be NULL:
 * none), written by json_dumps(…, flags). Both references are released,
 * whatever the outcome. JX_ENOMEM when one cannot be written.
 */
enum jx_err jx_store_audit_json(struct jx_store *s, const char *actor,
                                const char *action, const char *table,
                                int64_t record_id, json_t *before,
                                json_t *after, size_t flags, struct jx_diag *d);

/*
 * The child rows of self-evaluation eval_id from e, inside the caller's
 * transaction: its goals (jx_self_eval_goal), indicator lines
 * (jx_self_eval_line) and, when e has a funds table, the table's total,
 * source and level rows (jx_self_eval_fund). Nothing is deleted first.
 */
enum jx_err jx_store_eval_rows(struct jx_store *s, int64_t eval_id,
                               const struct jx_eval *e, struct jx_diag *d);

/*
 * Write p's name, type and dates, updated_at = now and version + 1 to
 * project p->id while it is still at p->version (other fields of p are not
 * read). *changed gets the rows changed: 0 when the project is at another
 * version or is not there. Nothing is checked; the callers validate.
 */
enum jx_err jx_store_project_write(struct jx_store *s,
                                   const struct jx_project *p, const char *now,
                                   int64_t *changed, struct jx_diag *d);

struct jx_findings;

/* Replace the stored findings of self-evaluation eval_id with f. */
enum jx_err jx_store_findings_replace(struct jx_store *s, int64_t eval_id,
                                      const struct jx_findings *f,
                                      struct jx_diag *d);

/* How a result column becomes a JSON value. */
enum jx_store_coltype {
	JX_STORE_COL_INT = 1, /* integer; SQL NULL -> null */
	JX_STORE_COL_TEXT,    /* string; SQL NULL -> null */
	JX_STORE_COL_DEC,     /* millionths -> exact decimal string ("94.9") */
	JX_STORE_COL_BOOL     /* 0 -> false, other -> true */
};

struct jx_store_col {
	const char *name; /* the JSON key; NULL ends a list */
	enum jx_store_coltype type;
};

/*
 * Run sql and append to the JSON array `arr` one object per result row,
 * column i under cols[i].name (cols is NULL-name terminated and names at
 * most as many columns as the query returns).
 */
enum jx_err jx_store_rows_json(struct jx_store *s, const char *sql,
                               const struct jx_db_param *p, size_t n,
                               const struct jx_store_col *cols, json_t *arr,
                               struct jx_diag *d);

/* As jx_store_rows_json for the first row only: *out gets a new object
 * (the caller owns the reference). JX_ENOTFOUND when there is no row. */
enum jx_err jx_store_row_json(struct jx_store *s, const char *sql,
                              const struct jx_db_param *p, size_t n,
                              const struct jx_store_col *cols, json_t **out,
                              struct jx_diag *d);

#endif
