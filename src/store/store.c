/*
 * store.c - the store: URL dispatch, the schema and its migrations, and
 * every query, written once in SQL that SQLite 3.40 and PostgreSQL 15 both
 * accept. The back-ends (store_sqlite.c, store_pg.c) only run statements.
 *
 * Self-evaluations are kept as rows (header, goals, indicator lines, funds
 * rows, findings) holding every stated figure exactly as the document states
 * it, beside the figures the core engine computes; loading them back gives
 * the same struct jx_eval, so export(import(x)) == x. A content hash of the
 * canonical interchange text makes re-import idempotent.
 *
 * What this file does not do: decide who may read or change what (the HTTP
 * layer), or read documents (io/).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "internal.h"
#include "jx/audit.h"
#include "jx/buf.h"
#include "jx/dec.h"
#include "jx/evaljson.h"
#include "jx/score.h"
#include "jx/store.h"
#include "jx/text.h"
#include "jx/value.h"

static enum jx_err canonical(const struct jx_eval *e, struct jx_buf *b,
                             char hash[17]);
static enum jx_err money_fen(const char *unit, struct jx_opt m, bool *set,
                             int64_t *fen);

/* ---- migrations ------------------------------------------------------ */

/* Migration 1: the initial schema, one statement per string. */
static const char *const m1[] = {
        "CREATE TABLE jx_org ( id {{PK}}, "
        "parent_id BIGINT REFERENCES jx_org(id), "
        "kind TEXT NOT NULL CHECK (kind IN ('finance','department','unit')), "
        "code TEXT, name TEXT NOT NULL, region_code TEXT, "
        "region_name TEXT, version BIGINT NOT NULL DEFAULT 1, "
        "created_at TEXT NOT NULL)",
        "CREATE UNIQUE INDEX jx_org_name ON jx_org(COALESCE(parent_id, "
        "0), name)",
        "CREATE TABLE jx_user ( id {{PK}}, "
        "org_id BIGINT NOT NULL REFERENCES jx_org(id), "
        "login TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
        "role TEXT NOT NULL CHECK (role IN  "
        "('unit_filer','dept_reviewer','finance_reviewer','admin')), "
        "password_hash TEXT, active BIGINT NOT NULL DEFAULT 1, "
        "version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL)",
        "CREATE TABLE jx_fiscal_year ( year BIGINT PRIMARY KEY, "
        "status TEXT NOT NULL DEFAULT 'open')",
        "CREATE TABLE jx_project ( id {{PK}}, "
        "code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, type TEXT, "
        "unit_id BIGINT NOT NULL REFERENCES jx_org(id), "
        "dept_id BIGINT REFERENCES jx_org(id), "
        "year BIGINT NOT NULL REFERENCES jx_fiscal_year(year), "
        "start_date TEXT, end_date TEXT, "
        "version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL)",
        "CREATE INDEX jx_project_dept ON jx_project(dept_id, year)",
        "CREATE INDEX jx_project_unit ON jx_project(unit_id, year)",
        "CREATE TABLE jx_fund ( id {{PK}}, "
        "project_id BIGINT NOT NULL REFERENCES jx_project(id) ON DELETE "
        "CASCADE, "
        "kind TEXT NOT NULL CHECK (kind IN ('total','source','level')), "
        "name TEXT NOT NULL, position BIGINT NOT NULL, "
        "initial_fen BIGINT, annual_fen BIGINT, received_fen BIGINT, "
        "executed_fen BIGINT, UNIQUE (project_id, kind, name))",
        "CREATE TABLE jx_adjustment ( id {{PK}}, "
        "project_id BIGINT NOT NULL REFERENCES jx_project(id) ON DELETE "
        "CASCADE, "
        "adj_date TEXT NOT NULL, amount_fen BIGINT NOT NULL, "
        "reason TEXT NOT NULL CHECK (reason <> ''), "
        "created_by TEXT NOT NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE jx_payment ( id {{PK}}, "
        "project_id BIGINT NOT NULL REFERENCES jx_project(id) ON DELETE "
        "CASCADE, "
        "pay_date TEXT NOT NULL, "
        "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
        "payee TEXT NOT NULL, purpose TEXT, created_by TEXT NOT NULL, "
        "created_at TEXT NOT NULL)",
        "CREATE INDEX jx_payment_project ON jx_payment(project_id)",
        "CREATE TABLE jx_goal_version ( id {{PK}}, "
        "project_id BIGINT NOT NULL REFERENCES jx_project(id) ON DELETE "
        "CASCADE, "
        "number BIGINT NOT NULL, "
        "stage TEXT NOT NULL CHECK (stage IN "
        "('declared','approved','adjusted')), "
        "status TEXT NOT NULL CHECK (status IN ('draft','approved')), "
        "signature TEXT NOT NULL, reason TEXT, "
        "created_by TEXT NOT NULL, created_at TEXT NOT NULL, "
        "approved_at TEXT, UNIQUE (project_id, number))",
        "CREATE TABLE jx_goal ( id {{PK}}, "
        "version_id BIGINT NOT NULL REFERENCES jx_goal_version(id) ON DELETE "
        "CASCADE, "
        "kind TEXT NOT NULL CHECK (kind IN ('multi_year','annual')), "
        "position BIGINT NOT NULL, text TEXT NOT NULL)",
        "CREATE TABLE jx_indicator ( id {{PK}}, "
        "version_id BIGINT NOT NULL REFERENCES jx_goal_version(id) ON DELETE "
        "CASCADE, "
        "position BIGINT NOT NULL, level1 TEXT, level2 TEXT, "
        "name TEXT, target_text TEXT, cmp TEXT, target_m BIGINT, "
        "unit TEXT, nature TEXT, weight_m BIGINT, rule_ref TEXT, "
        "UNIQUE (version_id, position))",
        "CREATE TABLE jx_self_eval ( id {{PK}}, "
        "project_id BIGINT NOT NULL UNIQUE REFERENCES jx_project(id) ON DELETE "
        "CASCADE, "
        "goal_version_id BIGINT REFERENCES jx_goal_version(id), "
        "status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN  "
        "('draft','submitted','dept_approved','finance_approved','returned')), "
        "content_hash TEXT NOT NULL, doc_id TEXT, title TEXT, "
        "unit_name TEXT, dept_name TEXT, year BIGINT, kind TEXT, "
        "rules TEXT, has_funds BIGINT NOT NULL, funds_unit TEXT, "
        "funds_period TEXT, exec_weight_m BIGINT, "
        "exec_rate_text TEXT, exec_score_m BIGINT, "
        "total_weight_m BIGINT, total_score_m BIGINT, "
        "grade_stated TEXT, c_rules TEXT, c_exec_rate_m BIGINT, "
        "c_exec_score_m BIGINT, c_weight_m BIGINT, c_total_m BIGINT, "
        "c_complete BIGINT, c_grade TEXT, "
        "c_errors BIGINT NOT NULL DEFAULT 0, "
        "c_warnings BIGINT NOT NULL DEFAULT 0, "
        "version BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL)",
        "CREATE TABLE jx_self_eval_goal ( eval_id BIGINT NOT NULL REFERENCES "
        "jx_self_eval(id) ON DELETE CASCADE, "
        "position BIGINT NOT NULL, expected TEXT, achieved TEXT, "
        "PRIMARY KEY (eval_id, position))",
        "CREATE TABLE jx_self_eval_line ( eval_id BIGINT NOT NULL REFERENCES "
        "jx_self_eval(id) ON DELETE CASCADE, "
        "position BIGINT NOT NULL, level1 TEXT, level2 TEXT, "
        "name TEXT, target TEXT, actual TEXT, unit TEXT, nature TEXT, "
        "weight_m BIGINT, score_stated_m BIGINT, "
        "completion_stated TEXT, deviation_reason TEXT, "
        "line BIGINT NOT NULL DEFAULT 0, c_score_m BIGINT, "
        "c_outcome TEXT, PRIMARY KEY (eval_id, position))",
        "CREATE TABLE jx_self_eval_fund ( eval_id BIGINT NOT NULL REFERENCES "
        "jx_self_eval(id) ON DELETE CASCADE, "
        "kind TEXT NOT NULL CHECK (kind IN ('total','source','level')), "
        "position BIGINT NOT NULL, name TEXT, initial_m BIGINT, "
        "annual_m BIGINT, received_m BIGINT, executed_m BIGINT, "
        "exec_rate_m BIGINT, received_rate_m BIGINT, "
        "balance_m BIGINT, PRIMARY KEY (eval_id, kind, position))",
        "CREATE TABLE jx_finding ( id {{PK}}, "
        "eval_id BIGINT NOT NULL REFERENCES jx_self_eval(id) ON DELETE "
        "CASCADE, "
        "code TEXT NOT NULL, severity TEXT NOT NULL, "
        "location TEXT NOT NULL, stated TEXT, computed TEXT, "
        "message TEXT NOT NULL, indicator BIGINT)",
        "CREATE INDEX jx_finding_eval ON jx_finding(eval_id)",
        "CREATE TABLE jx_review ( id {{PK}}, "
        "record_type TEXT NOT NULL, record_id BIGINT NOT NULL, "
        "actor TEXT NOT NULL, action TEXT NOT NULL, comment TEXT, "
        "created_at TEXT NOT NULL)",
        "CREATE INDEX jx_review_record ON jx_review(record_type, "
        "record_id)",
        "CREATE TABLE jx_audit_log ( id {{PK}}, at TEXT NOT NULL, "
        "actor TEXT NOT NULL, action TEXT NOT NULL, "
        "table_name TEXT NOT NULL, record_id BIGINT, "
        "before_json TEXT, after_json TEXT)",
        "CREATE INDEX jx_audit_record ON jx_audit_log(table_name, "
        "record_id)",
        NULL};

/*
 * Migration 2: the web server. Organisation paths ("/1/5/12/": the ids from
 * the root down) so that a caller's subtree is one indexed LIKE; sessions
 * and login failures kept in the database, so that several server
 * processes share them; the review workflow's status and row version on
 * goal versions; who moved a record from which status to which in
 * jx_review. The tree is at most three deep (finance, department, unit),
 * so three passes fill every path.
 */
static const char *const m2[] = {
        "ALTER TABLE jx_org ADD COLUMN path TEXT",
        "UPDATE jx_org SET path = '/' || id || '/' WHERE parent_id IS NULL",
        "UPDATE jx_org SET path = (SELECT p.path FROM jx_org p WHERE p.id = "
        "jx_org.parent_id) || id || '/' WHERE path IS NULL AND parent_id IN "
        "(SELECT id FROM jx_org WHERE path IS NOT NULL)",
        "UPDATE jx_org SET path = (SELECT p.path FROM jx_org p WHERE p.id = "
        "jx_org.parent_id) || id || '/' WHERE path IS NULL AND parent_id IN "
        "(SELECT id FROM jx_org WHERE path IS NOT NULL)",
        "CREATE INDEX jx_org_path ON jx_org(path)",
        "ALTER TABLE jx_user ADD COLUMN password_changed_at TEXT",
        "CREATE TABLE jx_session ( id {{PK}}, "
        "token_hash TEXT NOT NULL UNIQUE, "
        "user_id BIGINT NOT NULL REFERENCES jx_user(id) ON DELETE CASCADE, "
        "csrf_token TEXT NOT NULL, address TEXT, created_at TEXT NOT NULL, "
        "seen_at TEXT NOT NULL, expires_at TEXT NOT NULL)",
        "CREATE INDEX jx_session_user ON jx_session(user_id)",
        "CREATE TABLE jx_login_failure ( id {{PK}}, login TEXT NOT NULL, "
        "address TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE INDEX jx_login_failure_login ON jx_login_failure(login, at)",
        "CREATE INDEX jx_login_failure_addr ON jx_login_failure(address, at)",
        "ALTER TABLE jx_goal_version ADD COLUMN wf_status TEXT NOT NULL "
        "DEFAULT 'draft'",
        "UPDATE jx_goal_version SET wf_status = 'finance_approved' WHERE "
        "status = 'approved'",
        "ALTER TABLE jx_goal_version ADD COLUMN row_version BIGINT NOT NULL "
        "DEFAULT 1",
        "ALTER TABLE jx_goal_version ADD COLUMN updated_at TEXT",
        "ALTER TABLE jx_review ADD COLUMN from_status TEXT",
        "ALTER TABLE jx_review ADD COLUMN to_status TEXT",
        "ALTER TABLE jx_review ADD COLUMN project_id BIGINT",
        "ALTER TABLE jx_review ADD COLUMN user_id BIGINT",
        "CREATE INDEX jx_review_project ON jx_review(project_id)",
        "CREATE INDEX jx_audit_at ON jx_audit_log(at)",
        "CREATE INDEX jx_self_eval_status ON jx_self_eval(status)",
        "CREATE INDEX jx_project_name ON jx_project(name)",
        "CREATE INDEX jx_project_updated ON jx_project(updated_at)",
        "CREATE INDEX jx_adjustment_project ON jx_adjustment(project_id)",
        "CREATE INDEX jx_finding_code ON jx_finding(eval_id, severity, "
        "code)",
        "CREATE INDEX jx_goal_version_wf ON jx_goal_version(wf_status)",
        "CREATE INDEX jx_audit_actor ON jx_audit_log(actor)",
        NULL};

/*
 * Numbered, forward-only. "{{PK}}" is the back-end's auto-numbered primary
 * key clause. Never edit a migration that has shipped: add one.
 */
static const struct {
	int version;
	const char *name;
	const char *const *sql; /* statements, NULL-terminated */
} migrations[] = {
        {1, "initial schema", m1},
        {2, "web server: org paths, sessions, workflow", m2},
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* ---- plumbing -------------------------------------------------------- */

enum jx_err
jx_store_run(struct jx_store *s, const char *sql, const struct jx_db_param *p,
             size_t n, struct jx_diag *d)
{
	return jx_store_run_changes(s, sql, p, n, NULL, d);
}

enum jx_err
jx_store_run_changes(struct jx_store *s, const char *sql,
                     const struct jx_db_param *p, size_t n, int64_t *changes,
                     struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err = s->ops->query(s->db, sql, p, n, &st, d);

	if (err == JX_OK && changes != NULL)
		*changes = s->ops->changes(st);
	s->ops->finish(st);
	return err;
}

/* The first column of the first row; JX_ENOTFOUND when there is none. */
enum jx_err
jx_store_one_int(struct jx_store *s, const char *sql,
                 const struct jx_db_param *p, size_t n, int64_t *out,
                 struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err = s->ops->query(s->db, sql, p, n, &st, d);

	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK)
		*out = s->ops->col_int(st, 0);
	else if (err == JX_EEOF)
		err = JX_ENOTFOUND;
	s->ops->finish(st);
	return err;
}

enum jx_err
jx_store_first(struct jx_store *s, const char *sql, const struct jx_db_param *p,
               size_t n, struct jx_db_stmt **st, const char *field,
               const char *missing, struct jx_diag *d)
{
	enum jx_err err = s->ops->query(s->db, sql, p, n, st, d);

	if (err == JX_OK)
		err = s->ops->step(*st, d);
	if (err == JX_EEOF)
		err = jx_diag_set(d, JX_ENOTFOUND, field, "%s", missing);
	return err;
}

/*
 * Open a transaction; directly inside a caller's transaction (a batch), a
 * savepoint, so that a call that fails undoes only its own writes and the
 * batch goes on. Deeper calls join what is open: their failure reaches the
 * savepoint or transaction above them, and PostgreSQL pays for every
 * subtransaction (past 64 in one transaction it slows sharply). *own says
 * whether this opened the transaction itself.
 */
enum jx_err
jx_store_txn_open(struct jx_store *s, bool *own, struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	char sp[48];

	*own = s->depth == 0;
	if (*own) {
		err = s->ops->begin(s->db, d);
	} else if (s->depth == 1) {
		snprintf(sp, sizeof(sp), "SAVEPOINT jx_sp%d", s->depth);
		err = jx_store_run(s, sp, NULL, 0, d);
	}
	if (err == JX_OK)
		s->depth++;
	return err;
}

/* Close what txn_open opened: commit (release) on success, roll back (to
 * the savepoint) on failure. Returns err, or the commit's failure. */
enum jx_err
jx_store_txn_close(struct jx_store *s, bool own, enum jx_err err,
                   struct jx_diag *d)
{
	struct jx_diag ignore;
	char sp[80];

	s->depth--;
	if (!own && s->depth != 1)
		return err; /* joined: the level above decides */
	if (!own) {
		if (err != JX_OK) {
			snprintf(sp, sizeof(sp),
			         "ROLLBACK TO SAVEPOINT jx_sp%d", s->depth);
			jx_store_run(s, sp, NULL, 0, &ignore);
		}
		snprintf(sp, sizeof(sp), "RELEASE SAVEPOINT jx_sp%d", s->depth);
		if (jx_store_run(s, sp, NULL, 0, err == JX_OK ? d : &ignore) !=
		            JX_OK &&
		    err == JX_OK)
			err = JX_EDB;
		return err;
	}
	if (err == JX_OK)
		err = s->ops->commit(s->db, d);
	if (err != JX_OK)
		s->ops->rollback(s->db);
	return err;
}

void
jx_store_now_utc(char *buf, size_t cap)
{
	jx_store_time_from_now(0, buf, cap);
}

void
jx_store_time_from_now(long long seconds, char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = ts.tv_sec + (time_t)seconds;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum jx_err
jx_store_scope_like(const struct jx_who *w, char *buf, size_t cap,
                    struct jx_diag *d)
{
	size_t n;

	if (w == NULL || w->org_path == NULL || w->org_path[0] != '/')
		return jx_diag_set(d, JX_EINVAL, NULL, "调用者没有所属组织");
	n = strlen(w->org_path);
	if (n + 2 > cap)
		return jx_diag_set(d, JX_ETOOBIG, NULL, "组织路径过长");
	memcpy(buf, w->org_path, n);
	buf[n] = '%';
	buf[n + 1] = '\0';
	return JX_OK;
}

/* The value of column i of the current row as JSON (a new reference). */
static json_t *
col_json(struct jx_db_stmt *st, const struct jx_db_ops *ops, int i,
         enum jx_store_coltype type)
{
	char num[48];

	if (ops->is_null(st, i))
		return json_null();
	switch (type) {
	case JX_STORE_COL_INT:
		return json_integer(ops->col_int(st, i));
	case JX_STORE_COL_BOOL:
		return json_boolean(ops->col_int(st, i) != 0);
	case JX_STORE_COL_DEC:
		jx_dec_format(ops->col_int(st, i), -1, num, sizeof(num));
		return json_string(num);
	case JX_STORE_COL_TEXT:
	default:
		return json_string(ops->col_text(st, i));
	}
}

/* Append the rows of st to arr (max < 0: all rows, else at most max). */
static enum jx_err
rows_append(struct jx_store *s, struct jx_db_stmt *st,
            const struct jx_store_col *cols, json_t *arr, long max,
            struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	json_t *row, *v;
	long nrows = 0;
	int i;

	while (max < 0 || nrows < max) {
		err = s->ops->step(st, d);
		if (err != JX_OK)
			break;
		row = json_object();
		if (row == NULL || json_array_append_new(arr, row) != 0)
			return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		for (i = 0; cols[i].name != NULL; i++) {
			v = col_json(st, s->ops, i, cols[i].type);
			/* json_string(NULL) for invalid UTF-8 stored text */
			if (v == NULL)
				v = json_null();
			if (json_object_set_new(row, cols[i].name, v) != 0)
				return jx_diag_set(d, JX_ENOMEM, NULL,
				                   "内存不足");
		}
		nrows++;
	}
	return err == JX_EEOF || err == JX_OK ? JX_OK : err;
}

enum jx_err
jx_store_rows_json(struct jx_store *s, const char *sql,
                   const struct jx_db_param *p, size_t n,
                   const struct jx_store_col *cols, json_t *arr,
                   struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err = s->ops->query(s->db, sql, p, n, &st, d);

	if (err == JX_OK)
		err = rows_append(s, st, cols, arr, -1, d);
	s->ops->finish(st);
	return err;
}

enum jx_err
jx_store_row_json(struct jx_store *s, const char *sql,
                  const struct jx_db_param *p, size_t n,
                  const struct jx_store_col *cols, json_t **out,
                  struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	json_t *arr = json_array();
	enum jx_err err;

	if (arr == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	err = s->ops->query(s->db, sql, p, n, &st, d);
	if (err == JX_OK)
		err = rows_append(s, st, cols, arr, 1, d);
	s->ops->finish(st);
	if (err == JX_OK && json_array_size(arr) == 0)
		err = JX_ENOTFOUND;
	if (err == JX_OK)
		*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return err;
}

char *
jx_store_dup_col(struct jx_db_stmt *st, const struct jx_db_ops *ops, int i,
                 struct jx_arena *a)
{
	const char *t;

	if (ops->is_null(st, i))
		return NULL;
	t = ops->col_text(st, i);
	if (t == NULL)
		return NULL;
	return jx_arena_strndup(a, t, strlen(t));
}

struct jx_opt
jx_store_opt_col(struct jx_db_stmt *st, const struct jx_db_ops *ops, int i)
{
	struct jx_opt o = {0, false};

	if (!ops->is_null(st, i)) {
		o.v = ops->col_int(st, i);
		o.set = true;
	}
	return o;
}

void
jx_store_hash_hex(const char *s, size_t n, char out[17])
{
	snprintf(out, 17, "%016" PRIx64, jx_text_hash64(s != NULL ? s : "", n));
}

/* An amount in millionths of `unit` (万元, 元 ...) as whole 分. */
static enum jx_err
money_fen(const char *unit, struct jx_opt m, bool *set, int64_t *fen)
{
	const struct jx_unit *u;
	jx_dec back;

	*set = false;
	if (!m.set)
		return JX_OK;
	u = jx_value_unit_find(unit != NULL ? unit : "万元",
	                       strlen(unit != NULL ? unit : "万元"));
	if (u == NULL || u->dim != JX_DIM_MONEY)
		return JX_EINVAL;
	/* m * factor is in 10^-12 元; 分 = that / 10^10, exactly. */
	if (jx_dec_muldiv(m.v, u->factor, INT64_C(10000000000), 6, fen) !=
	            JX_OK ||
	    jx_dec_muldiv(*fen, INT64_C(10000000000), u->factor, 6, &back) !=
	            JX_OK ||
	    back != m.v)
		return JX_EINVAL;
	*set = true;
	return JX_OK;
}

enum jx_err
jx_store_content_hash(const struct jx_eval *e, char hash[17])
{
	struct jx_buf b;
	enum jx_err err;

	jx_buf_init(&b, JX_MAX_RECORD_BYTES * 2u);
	err = canonical(e, &b, hash);
	jx_buf_free(&b);
	return err;
}

enum jx_err
jx_store_findings_replace(struct jx_store *s, int64_t eval_id,
                          const struct jx_findings *f, struct jx_diag *d)
{
	enum jx_err err;
	size_t i;

	err = jx_store_run(s, "DELETE FROM jx_finding WHERE eval_id = ?",
	                   (struct jx_db_param[]){P_INT(eval_id)}, 1, d);
	for (i = 0; err == JX_OK && i < f->n; i++) {
		const struct jx_finding *it = &f->items[i];
		struct jx_db_param p[] = {
		        P_INT(eval_id),
		        P_TEXT(it->code),
		        P_TEXT(jx_audit_severity_name(it->severity)),
		        P_TEXT(it->where != NULL ? it->where : ""),
		        P_TEXT(it->stated),
		        P_TEXT(it->computed),
		        P_TEXT(it->message != NULL ? it->message : ""),
		        it->indicator >= 0 ? P_INT(it->indicator) : P_NULL};

		err = jx_store_run(s,
		                   "INSERT INTO jx_finding (eval_id, code, "
		                   "severity, location, stated, computed, "
		                   "message, indicator) VALUES "
		                   "(?, ?, ?, ?, ?, ?, ?, ?)",
		                   p, NP(p), d);
	}
	return err;
}

/* ---- open, close, migrate -------------------------------------------- */

enum jx_err
jx_store_open(const char *url, struct jx_store **out, struct jx_diag *d)
{
	struct jx_store *s;
	const struct jx_db_ops *ops;
	const char *target;
	enum jx_err err;

	if (url == NULL || url[0] == '\0')
		url = JX_STORE_DEFAULT_URL;
	if (strncmp(url, "sqlite:", 7) == 0) {
		ops = &jx_db_sqlite;
		target = url + 7;
		if (target[0] == '\0')
			return jx_diag_set(d, JX_EINVAL, "db",
			                   "数据库地址“sqlite:”缺少文件路径");
	} else if (strncmp(url, "postgresql://", 13) == 0 ||
	           strncmp(url, "postgres://", 11) == 0) {
		ops = &jx_db_pg;
		target = url;
	} else {
		return jx_diag_set(d, JX_EINVAL, "db",
		                   "无法识别的数据库地址（应为 sqlite:路径 或 "
		                   "postgresql://…）");
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	s->ops = ops;
	err = ops->open(target, &s->db, d);
	if (err != JX_OK) {
		free(s);
		return err;
	}
	*out = s;
	return JX_OK;
}

void
jx_store_close(struct jx_store *s)
{
	if (s == NULL)
		return;
	if (s->depth > 0)
		s->ops->rollback(s->db);
	s->ops->close(s->db);
	free(s);
}

const char *
jx_store_backend(const struct jx_store *s)
{
	return s->ops->name;
}

int
jx_store_schema_latest(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

enum jx_err
jx_store_schema_version(struct jx_store *s, int *version, struct jx_diag *d)
{
	int64_t has = 0, v = 0;
	enum jx_err err;

	/* Read-only: an empty database is version 0, nothing is created. */
	err = jx_store_one_int(
	        s, s->ops->has_table_sql,
	        (struct jx_db_param[]){P_TEXT("jx_schema_migration")}, 1, &has,
	        d);
	if (err == JX_OK && has != 0)
		err = jx_store_one_int(s,
		                       "SELECT COALESCE(MAX(version), 0) FROM "
		                       "jx_schema_migration",
		                       NULL, 0, &v, d);
	if (err == JX_OK)
		*version = (int)v;
	return err;
}

/* The migration's SQL with {{PK}} replaced by the back-end's clause. */
static char *
migration_sql(const struct jx_store *s, const char *sql)
{
	struct jx_buf b;
	const char *p = sql, *q;

	jx_buf_init(&b, 1u << 20);
	while ((q = strstr(p, "{{PK}}")) != NULL) {
		if (jx_buf_add(&b, p, (size_t)(q - p)) != JX_OK ||
		    jx_buf_adds(&b, s->ops->pk_clause) != JX_OK)
			goto fail;
		p = q + 6;
	}
	if (jx_buf_adds(&b, p) != JX_OK)
		goto fail;
	return b.data;
fail:
	jx_buf_free(&b);
	return NULL;
}

/*
 * Apply migration m in one transaction, unless another process has: the
 * lock (or SQLite's write lock taken by begin) makes processes migrate one
 * after the other, and each re-reads the version under it. *applied says
 * whether this process applied it.
 */
static enum jx_err
apply_migration(struct jx_store *s, size_t m, bool *applied, struct jx_diag *d)
{
	const char *const *q;
	char now[32], *sql;
	int cur = 0;
	enum jx_err err;

	*applied = false;
	err = s->ops->begin(s->db, d);
	if (err != JX_OK)
		return err;
	if (s->ops->migration_lock_sql != NULL)
		err = jx_store_run(s, s->ops->migration_lock_sql, NULL, 0, d);
	if (err == JX_OK)
		err = jx_store_run(
		        s,
		        "CREATE TABLE IF NOT EXISTS jx_schema_migration ("
		        " version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
		        " applied_at TEXT NOT NULL)",
		        NULL, 0, d);
	if (err == JX_OK)
		err = jx_store_schema_version(s, &cur, d);
	if (err == JX_OK && cur < migrations[m].version) {
		jx_store_now_utc(now, sizeof(now));
		for (q = migrations[m].sql; err == JX_OK && *q != NULL; q++) {
			sql = migration_sql(s, *q);
			if (sql == NULL)
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
			else
				err = s->ops->exec_script(s->db, sql, d);
			free(sql);
		}
		if (err == JX_OK) {
			struct jx_db_param p[] = {P_INT(migrations[m].version),
			                          P_TEXT(migrations[m].name),
			                          P_TEXT(now)};

			err = jx_store_run(
			        s,
			        "INSERT INTO jx_schema_migration (version, "
			        "name, "
			        "applied_at) VALUES (?, ?, ?)",
			        p, NP(p), d);
		}
		*applied = err == JX_OK;
	}
	if (err == JX_OK)
		err = s->ops->commit(s->db, d);
	else
		s->ops->rollback(s->db);
	if (err != JX_OK)
		*applied = false;
	return err;
}

enum jx_err
jx_store_migrate(struct jx_store *s, int *from, int *to, struct jx_diag *d)
{
	int cur = 0;
	size_t i;
	bool applied, any = false;
	enum jx_err err;

	err = jx_store_schema_version(s, &cur, d);
	if (err != JX_OK)
		return err;
	if (cur > jx_store_schema_latest())
		return jx_diag_set(
		        d, JX_EINVAL, "schema",
		        "数据库的结构版本（%d）比本程序支持的（%d）新，"
		        "请升级 jixiao 后再操作",
		        cur, jx_store_schema_latest());
	for (i = 0; i < (size_t)NMIGRATIONS; i++) {
		if (migrations[i].version <= cur)
			continue;
		err = apply_migration(s, i, &applied, d);
		if (err != JX_OK)
			return err;
		any = any || applied;
	}
	/* What this process found and left, as others may have migrated. */
	if (from != NULL)
		*from = any ? cur : jx_store_schema_latest();
	if (to != NULL)
		*to = jx_store_schema_latest();
	return JX_OK;
}

enum jx_err
jx_store_begin(struct jx_store *s, struct jx_diag *d)
{
	bool own;

	return jx_store_txn_open(s, &own, d);
}

enum jx_err
jx_store_commit(struct jx_store *s, struct jx_diag *d)
{
	return jx_store_txn_close(s, s->depth == 1, JX_OK, d);
}

void
jx_store_rollback(struct jx_store *s)
{
	if (s->depth <= 0)
		return;
	s->depth = 0;
	s->ops->rollback(s->db);
}

/* ---- audit log ------------------------------------------------------- */

enum jx_err
jx_store_audit(struct jx_store *s, const char *actor, const char *action,
               const char *table, int64_t record_id, const char *before,
               const char *after, struct jx_diag *d)
{
	char now[32];

	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param p[] = {
		        P_TEXT(now),
		        P_TEXT(actor != NULL ? actor : "system"),
		        P_TEXT(action),
		        P_TEXT(table),
		        P_INT(record_id),
		        P_TEXT(before),
		        P_TEXT(after)};

		return jx_store_run(
		        s,
		        "INSERT INTO jx_audit_log (at, actor, action, "
		        "table_name, record_id, before_json, after_json) "
		        "VALUES (?, ?, ?, ?, ?, ?, ?)",
		        p, NP(p), d);
	}
}

enum jx_err
jx_store_audit_json(struct jx_store *s, const char *actor, const char *action,
                    const char *table, int64_t record_id, json_t *before,
                    json_t *after, size_t flags, struct jx_diag *d)
{
	char *b = NULL, *a = NULL;
	enum jx_err err = JX_OK;

	if (before != NULL)
		b = json_dumps(before, flags);
	if (after != NULL)
		a = json_dumps(after, flags);
	if ((before != NULL && b == NULL) || (after != NULL && a == NULL))
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err == JX_OK)
		err = jx_store_audit(s, actor, action, table, record_id, b, a,
		                     d);
	free(b);
	free(a);
	json_decref(before);
	json_decref(after);
	return err;
}

enum jx_err
jx_store_audit_count(struct jx_store *s, const char *table, int64_t record_id,
                     int64_t *n, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_TEXT(table), P_INT(record_id),
	                          P_INT(record_id)};

	return jx_store_one_int(
	        s,
	        "SELECT COUNT(*) FROM jx_audit_log WHERE table_name = ? "
	        "AND (? = 0 OR record_id = ?)",
	        p, NP(p), n, d);
}

/* ---- organisations and users ----------------------------------------- */

static const char *const org_kinds[] = {"", "finance", "department", "unit"};

enum jx_err
jx_store_org_ensure(struct jx_store *s, int64_t parent_id,
                    enum jx_org_kind kind, const char *name, const char *code,
                    const char *region_code, const char *region_name,
                    int64_t *id, struct jx_diag *d)
{
	enum jx_err err;
	int64_t parent_kind = 0;
	char now[32];
	bool own, missing = false;

	if (kind < JX_ORG_FINANCE || kind > JX_ORG_UNIT || name == NULL ||
	    name[0] == '\0')
		return jx_diag_set(d, JX_EINVAL, "name", "组织名称不能为空");
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	if (parent_id != 0) {
		struct jx_db_stmt *st = NULL;

		err = s->ops->query(
		        s->db, "SELECT kind FROM jx_org WHERE id = ?",
		        (struct jx_db_param[]){P_INT(parent_id)}, 1, &st, d);
		if (err == JX_OK)
			err = s->ops->step(st, d);
		if (err == JX_OK) {
			const char *k = s->ops->col_text(st, 0);

			parent_kind = strcmp(k, "finance") == 0 ? JX_ORG_FINANCE
			              : strcmp(k, "department") == 0
			                      ? JX_ORG_DEPARTMENT
			                      : JX_ORG_UNIT;
		} else if (err == JX_EEOF) {
			err = jx_diag_set(d, JX_ENOTFOUND, "parent_id",
			                  "上级组织不存在");
		}
		s->ops->finish(st);
		if (err == JX_OK && (parent_kind == JX_ORG_UNIT ||
		                     (int64_t)kind <= parent_kind))
			err = jx_diag_set(d, JX_EINVAL, "kind",
			                  "组织层级不符：%s不能设在%s之下",
			                  org_kinds[kind],
			                  org_kinds[parent_kind]);
	} else if (kind != JX_ORG_FINANCE) {
		err = jx_diag_set(d, JX_EINVAL, "parent_id",
		                  "只有财政局可以作为顶层组织");
	}
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_INT(parent_id), P_TEXT(name)};

		err = jx_store_one_int(
		        s,
		        "SELECT id FROM jx_org WHERE COALESCE(parent_id, 0) "
		        "= ? AND name = ?",
		        p, NP(p), id, d);
		missing = err == JX_ENOTFOUND;
	}
	if (missing) {
		struct jx_db_param p[] = {parent_id != 0 ? P_INT(parent_id)
		                                         : P_NULL,
		                          P_TEXT(org_kinds[kind]),
		                          P_TEXT(code),
		                          P_TEXT(name),
		                          P_TEXT(region_code),
		                          P_TEXT(region_name),
		                          P_TEXT(now)};

		jx_store_now_utc(now, sizeof(now));
		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_org (parent_id, kind, code, name, "
		        "region_code, region_name, created_at) VALUES "
		        "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), id, d);
		if (err == JX_OK) {
			struct jx_db_param q[] = {P_INT(*id)};

			err = jx_store_run(
			        s,
			        "UPDATE jx_org SET path = COALESCE((SELECT "
			        "p.path FROM jx_org p WHERE p.id = "
			        "jx_org.parent_id), '/') || id || '/' WHERE id "
			        "= ?",
			        q, NP(q), d);
		}
		if (err == JX_OK)
			err = jx_store_audit(s, "system", "create", "jx_org",
			                     *id, NULL, name, d);
	}
	return jx_store_txn_close(s, own, err, d);
}

enum jx_err
jx_store_org_get(struct jx_store *s, int64_t id, struct jx_org *out,
                 struct jx_arena *a, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	err = s->ops->query(
	        s->db,
	        "SELECT id, parent_id, kind, code, name, region_code,"
	        " region_name, version FROM jx_org WHERE id = ?",
	        (struct jx_db_param[]){P_INT(id)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		const char *k = s->ops->col_text(st, 2);

		memset(out, 0, sizeof(*out));
		out->id = s->ops->col_int(st, 0);
		out->parent_id = s->ops->col_int(st, 1);
		out->kind = strcmp(k, "finance") == 0      ? JX_ORG_FINANCE
		            : strcmp(k, "department") == 0 ? JX_ORG_DEPARTMENT
		                                           : JX_ORG_UNIT;
		out->code = jx_store_dup_col(st, s->ops, 3, a);
		out->name = jx_store_dup_col(st, s->ops, 4, a);
		out->region_code = jx_store_dup_col(st, s->ops, 5, a);
		out->region_name = jx_store_dup_col(st, s->ops, 6, a);
		out->version = s->ops->col_int(st, 7);
		if (out->name == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "组织不存在");
	}
	s->ops->finish(st);
	return err;
}

enum jx_err
jx_store_user_create(struct jx_store *s, const struct jx_user *u, int64_t *id,
                     struct jx_diag *d)
{
	static const char *const roles[] = {JX_ROLE_UNIT, JX_ROLE_DEPT,
	                                    JX_ROLE_FINANCE, JX_ROLE_ADMIN};
	char now[32];
	size_t i;
	enum jx_err err;
	bool own;

	for (i = 0; i < NP(roles); i++)
		if (u->role != NULL && strcmp(u->role, roles[i]) == 0)
			break;
	if (i == NP(roles))
		return jx_diag_set(d, JX_EINVAL, "role", "未知的角色“%s”",
		                   u->role != NULL ? u->role : "");
	if (u->login == NULL || u->login[0] == '\0' || u->name == NULL)
		return jx_diag_set(d, JX_EINVAL, "login",
		                   "登录名和姓名不能为空");
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {
		        P_INT(u->org_id),         P_TEXT(u->login),
		        P_TEXT(u->name),          P_TEXT(u->role),
		        P_TEXT(u->password_hash), P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_user (org_id, login, name, role, "
		        "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) "
		        "RETURNING id",
		        p, NP(p), id, d);
		if (err == JX_ECONFLICT)
			jx_diag_set(d, err, "login", "登录名“%s”已存在",
			            u->login);
		if (err == JX_OK)
			err = jx_store_audit(s, "system", "create", "jx_user",
			                     *id, NULL, u->login, d);
		err = jx_store_txn_close(s, own, err, d);
	}
	return err;
}

enum jx_err
jx_store_user_get(struct jx_store *s, const char *login, struct jx_user *out,
                  struct jx_arena *a, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	err = s->ops->query(
	        s->db,
	        "SELECT id, org_id, login, name, role, password_hash,"
	        " version FROM jx_user WHERE login = ?",
	        (struct jx_db_param[]){P_TEXT(login)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		memset(out, 0, sizeof(*out));
		out->id = s->ops->col_int(st, 0);
		out->org_id = s->ops->col_int(st, 1);
		out->login = jx_store_dup_col(st, s->ops, 2, a);
		out->name = jx_store_dup_col(st, s->ops, 3, a);
		out->role = jx_store_dup_col(st, s->ops, 4, a);
		out->password_hash = jx_store_dup_col(st, s->ops, 5, a);
		out->version = s->ops->col_int(st, 6);
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "login", "用户不存在");
	}
	s->ops->finish(st);
	return err;
}

/* ---- projects and money ---------------------------------------------- */

enum jx_err
jx_store_project_get(struct jx_store *s, int64_t id, struct jx_project *out,
                     struct jx_arena *a, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	err = s->ops->query(
	        s->db,
	        "SELECT id, code, name, type, unit_id, dept_id, year,"
	        " start_date, end_date, version FROM jx_project "
	        "WHERE id = ?",
	        (struct jx_db_param[]){P_INT(id)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		memset(out, 0, sizeof(*out));
		out->id = s->ops->col_int(st, 0);
		out->code = jx_store_dup_col(st, s->ops, 1, a);
		out->name = jx_store_dup_col(st, s->ops, 2, a);
		out->type = jx_store_dup_col(st, s->ops, 3, a);
		out->unit_id = s->ops->col_int(st, 4);
		out->dept_id = s->ops->col_int(st, 5);
		out->year = (int)s->ops->col_int(st, 6);
		out->start_date = jx_store_dup_col(st, s->ops, 7, a);
		out->end_date = jx_store_dup_col(st, s->ops, 8, a);
		out->version = s->ops->col_int(st, 9);
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "项目不存在");
	}
	s->ops->finish(st);
	return err;
}

enum jx_err
jx_store_project_find(struct jx_store *s, const char *code, int64_t *id,
                      struct jx_diag *d)
{
	enum jx_err err = jx_store_one_int(
	        s, "SELECT id FROM jx_project WHERE code = ?",
	        (struct jx_db_param[]){P_TEXT(code)}, 1, id, d);

	if (err == JX_ENOTFOUND)
		jx_diag_set(d, err, "code", "项目编码“%s”不存在", code);
	return err;
}

enum jx_err
jx_store_project_write(struct jx_store *s, const struct jx_project *p,
                       const char *now, int64_t *changed, struct jx_diag *d)
{
	struct jx_db_param q[] = {P_TEXT(p->name),       P_TEXT(p->type),
	                          P_TEXT(p->start_date), P_TEXT(p->end_date),
	                          P_TEXT(now),           P_INT(p->id),
	                          P_INT(p->version)};

	return jx_store_run_changes(
	        s,
	        "UPDATE jx_project SET name = ?, type = ?, start_date = ?, "
	        "end_date = ?, updated_at = ?, version = version + 1 WHERE "
	        "id = ? AND version = ?",
	        q, NP(q), changed, d);
}

enum jx_err
jx_store_project_update(struct jx_store *s, const struct jx_project *p,
                        const char *actor, struct jx_diag *d)
{
	char now[32];
	int64_t changed = 0, exists = 0;
	enum jx_err err;
	bool own;

	if (p->name == NULL || p->name[0] == '\0')
		return jx_diag_set(d, JX_EINVAL, "name", "项目名称不能为空");
	if ((p->start_date != NULL &&
	     !jx_text_date(p->start_date, NULL, NULL, NULL)) ||
	    (p->end_date != NULL &&
	     !jx_text_date(p->end_date, NULL, NULL, NULL)))
		return jx_diag_set(d, JX_EINVAL, "start_date",
		                   "日期应为 YYYY-MM-DD 格式的有效日期");
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	err = jx_store_project_write(s, p, now, &changed, d);
	if (err == JX_OK && changed == 0) {
		err = jx_store_one_int(
		        s, "SELECT COUNT(*) FROM jx_project WHERE id = ?",
		        (struct jx_db_param[]){P_INT(p->id)}, 1, &exists, d);
		if (err == JX_OK)
			err = exists == 0
			              ? jx_diag_set(d, JX_ENOTFOUND, "id",
			                            "项目不存在")
			              : jx_diag_set(
			                        d, JX_ECONFLICT, "version",
			                        "项目已被他人修改（版本%" PRId64
			                        "已过期），请刷新后重试",
			                        p->version);
	}
	if (err == JX_OK) {
		json_t *j = json_pack("{s:s, s:s?, s:s?, s:s?, s:I}", "name",
		                      p->name, "type", p->type, "start_date",
		                      p->start_date, "end_date", p->end_date,
		                      "version", (json_int_t)(p->version + 1));

		if (j == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		else
			err = jx_store_audit_json(
			        s, actor, "update", "jx_project", p->id, NULL,
			        j, JSON_COMPACT | JSON_PRESERVE_ORDER, d);
	}
	return jx_store_txn_close(s, own, err, d);
}

enum jx_err
jx_store_payment_add(struct jx_store *s, const struct jx_payment *pay,
                     const char *actor, int64_t *id, struct jx_diag *d)
{
	char now[32];
	enum jx_err err;
	bool own;

	if (!jx_text_date(pay->date, NULL, NULL, NULL))
		return jx_diag_set(d, JX_EINVAL, "date",
		                   "支付日期应为 YYYY-MM-DD 格式的有效日期");
	if (pay->amount_fen <= 0)
		return jx_diag_set(d, JX_EINVAL, "amount", "支付金额必须大于0");
	if (pay->payee == NULL || pay->payee[0] == '\0')
		return jx_diag_set(d, JX_EINVAL, "payee", "收款人不能为空");
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {
		        P_INT(pay->project_id),
		        P_TEXT(pay->date),
		        P_INT(pay->amount_fen),
		        P_TEXT(pay->payee),
		        P_TEXT(pay->purpose),
		        P_TEXT(actor != NULL ? actor : "system"),
		        P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_payment (project_id, pay_date, "
		        "amount_fen, payee, purpose, created_by, created_at) "
		        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), id, d);
		if (err == JX_ECONFLICT)
			jx_diag_set(d, JX_ENOTFOUND, "project_id",
			            "项目不存在");
		if (err == JX_OK) {
			json_t *j = json_pack(
			        "{s:I, s:s, s:I, s:s, s:s?}", "project_id",
			        (json_int_t)pay->project_id, "date", pay->date,
			        "amount_fen", (json_int_t)pay->amount_fen,
			        "payee", pay->payee, "purpose", pay->purpose);

			if (j == NULL)
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
			else
				err = jx_store_audit_json(
				        s, actor, "create", "jx_payment", *id,
				        NULL, j,
				        JSON_COMPACT | JSON_PRESERVE_ORDER, d);
		}
		err = jx_store_txn_close(
		        s, own, err == JX_ECONFLICT ? JX_ENOTFOUND : err, d);
	}
	return err;
}

enum jx_err
jx_store_adjustment_add(struct jx_store *s, int64_t project_id,
                        const char *date, int64_t amount_fen,
                        const char *reason, const char *actor, int64_t *id,
                        struct jx_diag *d)
{
	char now[32];
	enum jx_err err;
	bool own;

	if (!jx_text_date(date, NULL, NULL, NULL))
		return jx_diag_set(d, JX_EINVAL, "date",
		                   "调整日期应为 YYYY-MM-DD 格式的有效日期");
	if (amount_fen == 0)
		return jx_diag_set(d, JX_EINVAL, "amount", "调整金额不能为0");
	if (reason == NULL || reason[0] == '\0')
		return jx_diag_set(d, JX_EINVAL, "reason",
		                   "预算调整必须说明原因");
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {
		        P_INT(project_id),
		        P_TEXT(date),
		        P_INT(amount_fen),
		        P_TEXT(reason),
		        P_TEXT(actor != NULL ? actor : "system"),
		        P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_adjustment (project_id, adj_date, "
		        "amount_fen, reason, created_by, created_at) VALUES "
		        "(?, ?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), id, d);
		if (err == JX_ECONFLICT)
			err = jx_diag_set(d, JX_ENOTFOUND, "project_id",
			                  "项目不存在");
		if (err == JX_OK) {
			json_t *j =
			        json_pack("{s:I, s:s, s:I, s:s}", "project_id",
			                  (json_int_t)project_id, "date", date,
			                  "amount_fen", (json_int_t)amount_fen,
			                  "reason", reason);

			if (j == NULL)
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
			else
				err = jx_store_audit_json(
				        s, actor, "create", "jx_adjustment",
				        *id, NULL, j,
				        JSON_COMPACT | JSON_PRESERVE_ORDER, d);
		}
		err = jx_store_txn_close(s, own, err, d);
	}
	return err;
}

enum jx_err
jx_store_project_funds(struct jx_store *s, int64_t project_id,
                       struct jx_project_funds *out, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	int64_t paid = 0, adj = 0;
	enum jx_err err;

	memset(out, 0, sizeof(*out));
	err = s->ops->query(
	        s->db,
	        "SELECT initial_fen, annual_fen, received_fen, "
	        "executed_fen FROM jx_fund WHERE project_id = ? AND "
	        "kind = 'total'",
	        (struct jx_db_param[]){P_INT(project_id)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		struct jx_opt o;

		o = jx_store_opt_col(st, s->ops, 0);
		out->has_initial = o.set;
		out->initial_fen = o.v;
		o = jx_store_opt_col(st, s->ops, 1);
		out->has_annual = o.set;
		out->annual_fen = o.v;
		o = jx_store_opt_col(st, s->ops, 2);
		out->has_received = o.set;
		out->received_fen = o.v;
		o = jx_store_opt_col(st, s->ops, 3);
		out->has_executed = o.set;
		out->executed_fen = o.v;
	}
	s->ops->finish(st);
	if (err == JX_EEOF)
		err = JX_OK;
	if (err == JX_OK)
		err = jx_store_one_int(
		        s,
		        "SELECT COUNT(*) FROM jx_payment WHERE project_id = ?",
		        (struct jx_db_param[]){P_INT(project_id)}, 1,
		        &out->npayments, d);
	if (err == JX_OK && out->npayments > 0) {
		err = jx_store_one_int(
		        s,
		        "SELECT COALESCE(SUM(amount_fen), 0) FROM jx_payment "
		        "WHERE project_id = ?",
		        (struct jx_db_param[]){P_INT(project_id)}, 1, &paid, d);
		if (err == JX_OK) {
			out->executed_fen = paid;
			out->has_executed = true;
			out->executed_from_payments = true;
		}
	}
	if (err == JX_OK)
		err = jx_store_one_int(
		        s,
		        "SELECT COUNT(*) FROM jx_adjustment WHERE "
		        "project_id = ?",
		        (struct jx_db_param[]){P_INT(project_id)}, 1,
		        &out->nadjustments, d);
	if (err == JX_OK && out->nadjustments > 0 && out->has_initial) {
		err = jx_store_one_int(
		        s,
		        "SELECT COALESCE(SUM(amount_fen), 0) FROM "
		        "jx_adjustment WHERE project_id = ?",
		        (struct jx_db_param[]){P_INT(project_id)}, 1, &adj, d);
		if (err == JX_OK) {
			out->annual_fen = out->initial_fen + adj;
			out->has_annual = true;
		}
	}
	return err;
}

/* ---- self-evaluations ------------------------------------------------ */

static const char *const fund_kinds[] = {"total", "source", "level"};

/* The canonical interchange text of e and its hash (16 hex digits). */
static enum jx_err
canonical(const struct jx_eval *e, struct jx_buf *b, char hash[17])
{
	enum jx_err err = jx_evaljson_write(b, e);

	if (err == JX_OK)
		snprintf(hash, 17, "%016" PRIx64,
		         jx_text_hash64(b->data, b->len));
	return err;
}

static enum jx_err
insert_fund_row(struct jx_store *s, int64_t eval_id, int kind, size_t pos,
                const struct jx_fund_row *row, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(eval_id),
	                          P_TEXT(fund_kinds[kind]),
	                          P_INT((int64_t)pos),
	                          P_TEXT(row->name),
	                          P_OPT(row->initial),
	                          P_OPT(row->annual),
	                          P_OPT(row->received),
	                          P_OPT(row->executed),
	                          P_OPT(row->exec_rate_stated),
	                          P_OPT(row->received_rate_stated),
	                          P_OPT(row->balance_stated)};

	return jx_store_run(
	        s,
	        "INSERT INTO jx_self_eval_fund (eval_id, kind, position, "
	        "name, initial_m, annual_m, received_m, executed_m, "
	        "exec_rate_m, received_rate_m, balance_m) VALUES "
	        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	        p, NP(p), d);
}

/* The project's funds in 分 from the evaluation's funds table. */
static enum jx_err
project_fund_row(struct jx_store *s, int64_t project_id, const char *unit,
                 int kind, size_t pos, const struct jx_fund_row *row,
                 const char *where, struct jx_diag *d)
{
	const struct jx_opt *vals[4] = {&row->initial, &row->annual,
	                                &row->received, &row->executed};
	struct jx_db_param p[8];
	size_t i;

	p[0] = P_INT(project_id);
	p[1] = P_TEXT(fund_kinds[kind]);
	p[2] = P_TEXT(row->name != NULL ? row->name : "年度资金总额");
	p[3] = P_INT((int64_t)pos);
	for (i = 0; i < 4; i++) {
		bool set;
		int64_t fen = 0;

		if (money_fen(unit, *vals[i], &set, &fen) != JX_OK)
			return jx_diag_set(
			        d, JX_EINVAL, where,
			        "金额不是整数“分”，或资金单位“%s”无法识别",
			        unit != NULL ? unit : "");
		p[4 + i] = set ? P_INT(fen) : P_NULL;
	}
	return jx_store_run(
	        s,
	        "INSERT INTO jx_fund (project_id, kind, name, position, "
	        "initial_fen, annual_fen, received_fen, executed_fen) VALUES "
	        "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, kind, name) "
	        "DO UPDATE SET position = excluded.position, "
	        "initial_fen = excluded.initial_fen, "
	        "annual_fen = excluded.annual_fen, "
	        "received_fen = excluded.received_fen, "
	        "executed_fen = excluded.executed_fen",
	        p, NP(p), d);
}

enum jx_err
jx_store_eval_rows(struct jx_store *s, int64_t eval_id, const struct jx_eval *e,
                   struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	size_t i;

	for (i = 0; err == JX_OK && i < e->ngoals; i++) {
		struct jx_db_param p[] = {P_INT(eval_id), P_INT((int64_t)i),
		                          P_TEXT(e->goals[i].expected),
		                          P_TEXT(e->goals[i].achieved)};

		err = jx_store_run(
		        s,
		        "INSERT INTO jx_self_eval_goal (eval_id, position, "
		        "expected, achieved) VALUES (?, ?, ?, ?)",
		        p, NP(p), d);
	}
	for (i = 0; err == JX_OK && i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		struct jx_db_param p[] = {P_INT(eval_id),
		                          P_INT((int64_t)i),
		                          P_TEXT(ind->level1),
		                          P_TEXT(ind->level2),
		                          P_TEXT(ind->name),
		                          P_TEXT(ind->target),
		                          P_TEXT(ind->actual),
		                          P_TEXT(ind->unit),
		                          P_TEXT(ind->nature),
		                          P_OPT(ind->weight),
		                          P_OPT(ind->score_stated),
		                          P_TEXT(ind->completion_stated),
		                          P_TEXT(ind->deviation_reason),
		                          P_INT(ind->line)};

		err = jx_store_run(
		        s,
		        "INSERT INTO jx_self_eval_line (eval_id, position, "
		        "level1, level2, name, target, actual, unit, nature, "
		        "weight_m, score_stated_m, completion_stated, "
		        "deviation_reason, line) VALUES "
		        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		        p, NP(p), d);
	}
	if (err == JX_OK && e->has_funds) {
		err = insert_fund_row(s, eval_id, 0, 0, &e->funds.total, d);
		for (i = 0; err == JX_OK && i < e->funds.nsources; i++)
			err = insert_fund_row(s, eval_id, 1, i,
			                      &e->funds.sources[i], d);
		for (i = 0; err == JX_OK && i < e->funds.nlevels; i++)
			err = insert_fund_row(s, eval_id, 2, i,
			                      &e->funds.levels[i], d);
	}
	return err;
}

/* Every child row of a self-evaluation and the project's funds. */
static enum jx_err
write_children(struct jx_store *s, int64_t eval_id, int64_t project_id,
               const struct jx_eval *e, struct jx_diag *d)
{
	enum jx_err err;
	size_t i;
	char where[64];

	err = jx_store_eval_rows(s, eval_id, e, d);
	if (err == JX_OK && e->has_funds) {
		/* The project's money, in 分. */
		err = jx_store_run(
		        s, "DELETE FROM jx_fund WHERE project_id = ?",
		        (struct jx_db_param[]){P_INT(project_id)}, 1, d);
		if (err == JX_OK)
			err = project_fund_row(s, project_id, e->funds.unit, 0,
			                       0, &e->funds.total, "funds", d);
		for (i = 0; err == JX_OK && i < e->funds.nsources; i++) {
			snprintf(where, sizeof(where), "funds.sources[%zu]", i);
			err = project_fund_row(s, project_id, e->funds.unit, 1,
			                       i, &e->funds.sources[i], where,
			                       d);
		}
		for (i = 0; err == JX_OK && i < e->funds.nlevels; i++) {
			snprintf(where, sizeof(where), "funds.levels[%zu]", i);
			err = project_fund_row(s, project_id, e->funds.unit, 2,
			                       i, &e->funds.levels[i], where,
			                       d);
		}
	}
	return err;
}

static enum jx_err
delete_children(struct jx_store *s, int64_t eval_id, struct jx_diag *d)
{
	static const char *const sql[] = {
	        "DELETE FROM jx_self_eval_goal WHERE eval_id = ?",
	        "DELETE FROM jx_self_eval_line WHERE eval_id = ?",
	        "DELETE FROM jx_self_eval_fund WHERE eval_id = ?",
	        "DELETE FROM jx_finding WHERE eval_id = ?"};
	enum jx_err err = JX_OK;
	size_t i;

	for (i = 0; err == JX_OK && i < NP(sql); i++)
		err = jx_store_run(s, sql[i],
		                   (struct jx_db_param[]){P_INT(eval_id)}, 1,
		                   d);
	return err;
}

/* The signature of a goal version: what its indicators promise. */
static void
goal_signature(const struct jx_eval *e, char out[17])
{
	struct jx_buf b;
	size_t i;

	jx_buf_init(&b, 64u << 20);
	for (i = 0; i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		char w[32];

		jx_dec_format(ind->weight.v, -1, w, sizeof(w));
		jx_buf_printf(&b, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1e",
		              ind->level1 != NULL ? ind->level1 : "",
		              ind->level2 != NULL ? ind->level2 : "",
		              ind->name != NULL ? ind->name : "",
		              ind->target != NULL ? ind->target : "",
		              ind->weight.set ? w : "");
	}
	for (i = 0; i < e->ngoals; i++)
		jx_buf_printf(&b, "%s\x1e",
		              e->goals[i].expected != NULL
		                      ? e->goals[i].expected
		                      : "");
	jx_store_hash_hex(b.data, b.len, out);
	jx_buf_free(&b);
}

/*
 * The goals and indicators the evaluation was measured against, as a goal
 * version: the first is 批复 (approved); a later import whose indicators
 * differ adds an 调整 (adjusted) version. Approved versions are never
 * changed. *version_id gets the current version.
 */
static enum jx_err
goal_version(struct jx_store *s, int64_t project_id, const struct jx_eval *e,
             const char *actor, int64_t *version_id, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	char sig[17], now[32];
	int64_t number = 0;
	bool same = false;
	enum jx_err err;
	size_t i;

	goal_signature(e, sig);
	err = s->ops->query(s->db,
	                    "SELECT id, number, signature FROM jx_goal_version "
	                    "WHERE project_id = ? ORDER BY number DESC LIMIT 1",
	                    (struct jx_db_param[]){P_INT(project_id)}, 1, &st,
	                    d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		*version_id = s->ops->col_int(st, 0);
		number = s->ops->col_int(st, 1);
		same = strcmp(s->ops->col_text(st, 2), sig) == 0;
	}
	s->ops->finish(st);
	if (err == JX_EEOF)
		err = JX_OK;
	if (err != JX_OK || same)
		return err;
	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param p[] = {
		        P_INT(project_id),
		        P_INT(number + 1),
		        P_TEXT(number == 0 ? "approved" : "adjusted"),
		        P_TEXT(sig),
		        P_TEXT(number == 0
		                       ? NULL
		                       : "导入的自评表中的指标与上一版本不同"),
		        P_TEXT(actor != NULL ? actor : "system"),
		        P_TEXT(now),
		        P_TEXT(now),
		        P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_goal_version (project_id, number, "
		        "stage, status, wf_status, signature, reason, "
		        "created_by, created_at, approved_at, updated_at) "
		        "VALUES (?, ?, ?, 'approved', 'finance_approved', ?, "
		        "?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), version_id, d);
	}
	for (i = 0; err == JX_OK && i < e->ngoals; i++) {
		if (e->goals[i].expected == NULL)
			continue;
		{
			struct jx_db_param p[] = {P_INT(*version_id),
			                          P_INT((int64_t)i),
			                          P_TEXT(e->goals[i].expected)};

			err = jx_store_run(
			        s,
			        "INSERT INTO jx_goal (version_id, kind, "
			        "position, "
			        "text) VALUES (?, 'annual', ?, ?)",
			        p, NP(p), d);
		}
	}
	for (i = 0; err == JX_OK && i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		struct jx_value v;
		const char *t = ind->target != NULL ? ind->target : "";
		bool num;

		jx_value_parse(t, strlen(t), ind->name, &v);
		num = v.kind == JX_VALUE_NUMBER;
		{
			struct jx_db_param p[] = {
			        P_INT(*version_id),
			        P_INT((int64_t)i),
			        P_TEXT(ind->level1),
			        P_TEXT(ind->level2),
			        P_TEXT(ind->name),
			        P_TEXT(ind->target),
			        P_TEXT(num ? jx_value_cmp_symbol(v.cmp) : NULL),
			        num ? P_INT(v.num) : P_NULL,
			        P_TEXT(num && v.unit != NULL ? v.unit->name
			                                     : ind->unit),
			        P_TEXT(ind->nature),
			        P_OPT(ind->weight)};

			err = jx_store_run(
			        s,
			        "INSERT INTO jx_indicator (version_id, "
			        "position, "
			        "level1, level2, name, target_text, cmp, "
			        "target_m, "
			        "unit, nature, weight_m) VALUES "
			        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			        p, NP(p), d);
		}
	}
	if (err == JX_OK)
		err = jx_store_audit(
		        s, actor, number == 0 ? "approve" : "adjust",
		        "jx_goal_version", *version_id, NULL, sig, d);
	return err;
}

/* Score and audit e under r and store the computed figures and findings. */
static enum jx_err
store_computed(struct jx_store *s, int64_t eval_id, const struct jx_eval *e,
               const struct jx_rules *r, struct jx_diag *d)
{
	struct jx_arena a;
	struct jx_result res;
	struct jx_findings f;
	enum jx_err err;
	size_t i;

	jx_arena_init(&a, 0);
	err = jx_score_run(e, r, &a, &res);
	if (err == JX_OK)
		err = jx_audit_run(e, r, &res, &a, 0, &f);
	if (err != JX_OK) {
		jx_arena_cleanup(&a);
		return jx_diag_set(d, err, NULL, "计算得分失败：%s",
		                   jx_err_message(err));
	}
	{
		struct jx_db_param p[] = {
		        P_TEXT(r->name),
		        res.has_exec ? P_INT(res.exec_rate) : P_NULL,
		        res.has_exec ? P_INT(res.exec_score) : P_NULL,
		        P_INT(res.weight_sum), P_INT(res.total),
		        P_INT(res.total_complete ? 1 : 0),
		        /* no grade for a total that still misses lines */
		        P_TEXT(res.total_complete && res.grade != NULL
		                       ? res.grade->name
		                       : NULL),
		        P_INT((int64_t)f.nerrors), P_INT((int64_t)f.nwarnings),
		        P_INT(eval_id)};

		err = jx_store_run(
		        s,
		        "UPDATE jx_self_eval SET c_rules = ?, c_exec_rate_m "
		        "= ?,"
		        " c_exec_score_m = ?, c_weight_m = ?, c_total_m = ?,"
		        " c_complete = ?, c_grade = ?, c_errors = ?,"
		        " c_warnings = ? WHERE id = ?",
		        p, NP(p), d);
	}
	if (err == JX_OK)
		err = jx_store_findings_replace(s, eval_id, &f, d);
	for (i = 0; err == JX_OK && i < res.n; i++) {
		static const char *const outcomes[] = {"unknown", "met",
		                                       "partial", "not_met"};
		const struct jx_ind_result *o = &res.ind[i];
		struct jx_db_param p[] = {
		        o->kind != JX_SCORE_NONE ? P_INT(o->score) : P_NULL,
		        P_TEXT(outcomes[o->outcome]), P_INT(eval_id),
		        P_INT((int64_t)i)};

		err = jx_store_run(
		        s,
		        "UPDATE jx_self_eval_line SET c_score_m = ?, "
		        "c_outcome = ? WHERE eval_id = ? AND position = ?",
		        p, NP(p), d);
	}
	jx_arena_cleanup(&a);
	return err;
}

/* The header's stated columns of e, in the order of the SQL below. */
#define HEADER_COLS                                                            \
	"doc_id, title, unit_name, dept_name, year, kind, rules, has_funds,"   \
	" funds_unit, funds_period, exec_weight_m, exec_rate_text,"            \
	" exec_score_m, total_weight_m, total_score_m, grade_stated"
#define NHEADER 16

static void
header_params(const struct jx_eval *e, struct jx_db_param *p)
{
	p[0] = P_TEXT(e->id);
	p[1] = P_TEXT(e->title);
	p[2] = P_TEXT(e->unit);
	p[3] = P_TEXT(e->department);
	p[4] = e->year != 0 ? P_INT(e->year) : P_NULL;
	p[5] = P_TEXT(e->kind);
	p[6] = P_TEXT(e->rules);
	p[7] = P_INT(e->has_funds ? 1 : 0);
	p[8] = P_TEXT(e->has_funds ? e->funds.unit : NULL);
	p[9] = P_TEXT(e->has_funds ? e->funds.period : NULL);
	p[10] = e->has_funds ? P_OPT(e->funds.exec_weight) : P_NULL;
	p[11] = P_TEXT(e->has_funds ? e->funds.exec_rate_text : NULL);
	p[12] = e->has_funds ? P_OPT(e->funds.exec_score_stated) : P_NULL;
	p[13] = P_OPT(e->total_weight_stated);
	p[14] = P_OPT(e->total_score_stated);
	p[15] = P_TEXT(e->grade_stated);
}

/* The finance bureau everything is imported under: the first root, or a
 * new one. */
static enum jx_err
root_org(struct jx_store *s, int64_t *id, struct jx_diag *d)
{
	enum jx_err err = jx_store_one_int(
	        s,
	        "SELECT id FROM jx_org WHERE parent_id IS NULL "
	        "AND kind = 'finance' ORDER BY id LIMIT 1",
	        NULL, 0, id, d);

	if (err == JX_ENOTFOUND)
		err = jx_store_org_ensure(s, 0, JX_ORG_FINANCE, "财政局", NULL,
		                          NULL, NULL, id, d);
	return err;
}

enum jx_err
jx_store_eval_import(struct jx_store *s, const struct jx_eval *e,
                     const struct jx_rules *r, const char *actor,
                     enum jx_import_outcome *outcome, int64_t *eval_id,
                     struct jx_diag *d)
{
	struct jx_buf canon, before;
	struct jx_db_param hp[NHEADER + 4];
	struct jx_db_stmt *st = NULL;
	char hash[17], code[64], now[32], oldhash[17] = "";
	int64_t root = 0, dept = 0, unit = 0, project = 0, id = 0, gv = 0;
	enum jx_err err;
	bool own, exists = false;

	jx_buf_init(&canon, JX_MAX_RECORD_BYTES * 2u);
	jx_buf_init(&before, JX_MAX_RECORD_BYTES * 2u);
	err = canonical(e, &canon, hash);
	if (err != JX_OK) {
		jx_buf_free(&canon);
		return jx_diag_set(d, err, NULL, "自评表无法序列化");
	}
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto out;

	/* Where it belongs: finance bureau -> department -> unit. */
	err = root_org(s, &root, d);
	if (err == JX_OK)
		err = jx_store_org_ensure(
		        s, root, JX_ORG_DEPARTMENT,
		        e->department != NULL && e->department[0] != '\0'
		                ? e->department
		                : "（未注明主管部门）",
		        NULL, NULL, NULL, &dept, d);
	if (err == JX_OK)
		err = jx_store_org_ensure(s, dept, JX_ORG_UNIT,
		                          e->unit != NULL && e->unit[0] != '\0'
		                                  ? e->unit
		                                  : "（未注明实施单位）",
		                          NULL, NULL, NULL, &unit, d);
	if (err == JX_OK)
		err = jx_store_run(
		        s,
		        "INSERT INTO jx_fiscal_year (year) VALUES (?) "
		        "ON CONFLICT (year) DO NOTHING",
		        (struct jx_db_param[]){P_INT(e->year)}, 1, d);

	/* The project: by the document's id, else by what identifies it. */
	if (e->id != NULL && e->id[0] != '\0') {
		snprintf(code, sizeof(code), "%s", e->id);
		if (strlen(e->id) >= sizeof(code))
			err = jx_diag_set(d, JX_EINVAL, "id", "项目编码过长");
	} else {
		struct jx_buf k;

		jx_buf_init(&k, 1u << 16);
		jx_buf_printf(&k, "%d\x1f%s\x1f%s\x1f%s", e->year,
		              e->department != NULL ? e->department : "",
		              e->unit != NULL ? e->unit : "",
		              e->title != NULL ? e->title : "");
		snprintf(code, sizeof(code), "auto-%016" PRIx64,
		         jx_text_hash64(k.data != NULL ? k.data : "", k.len));
		jx_buf_free(&k);
	}
	if (err == JX_OK) {
		err = jx_store_one_int(
		        s, "SELECT id FROM jx_project WHERE code = ?",
		        (struct jx_db_param[]){P_TEXT(code)}, 1, &project, d);
		if (err == JX_ENOTFOUND) {
			struct jx_db_param p[] = {
			        P_TEXT(code),
			        P_TEXT(e->title != NULL && e->title[0] != '\0'
			                       ? e->title
			                       : "（未命名项目）"),
			        P_INT(unit),
			        P_INT(dept),
			        P_INT(e->year),
			        P_TEXT(now),
			        P_TEXT(now)};

			err = jx_store_one_int(
			        s,
			        "INSERT INTO jx_project (code, name, unit_id, "
			        "dept_id, year, created_at, updated_at) VALUES "
			        "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
			        p, NP(p), &project, d);
			if (err == JX_OK)
				err = jx_store_audit(s, actor, "create",
				                     "jx_project", project,
				                     NULL, code, d);
		}
	}

	/* The self-evaluation: new, unchanged or changed. */
	if (err == JX_OK) {
		err = s->ops->query(s->db,
		                    "SELECT id, content_hash FROM "
		                    "jx_self_eval WHERE project_id = ?",
		                    (struct jx_db_param[]){P_INT(project)}, 1,
		                    &st, d);
		if (err == JX_OK)
			err = s->ops->step(st, d);
		if (err == JX_OK) {
			exists = true;
			id = s->ops->col_int(st, 0);
			snprintf(oldhash, sizeof(oldhash), "%s",
			         s->ops->col_text(st, 1));
		}
		if (err == JX_EEOF)
			err = JX_OK;
		s->ops->finish(st);
	}
	if (err == JX_OK && exists && strcmp(oldhash, hash) == 0) {
		*outcome = JX_IMPORT_UNCHANGED;
		*eval_id = id;
		goto close;
	}
	if (err == JX_OK)
		err = goal_version(s, project, e, actor, &gv, d);
	if (err == JX_OK && exists) {
		/* Keep the old content for the audit log. */
		struct jx_eval old;

		jx_eval_init(&old);
		err = jx_store_eval_load(s, id, &old, d);
		if (err == JX_OK && jx_evaljson_write(&before, &old) != JX_OK)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		jx_eval_cleanup(&old);
		header_params(e, hp);
		hp[NHEADER] = P_TEXT(hash);
		hp[NHEADER + 1] = P_INT(gv);
		hp[NHEADER + 2] = P_TEXT(now);
		hp[NHEADER + 3] = P_INT(id);
		if (err == JX_OK)
			err = jx_store_run(
			        s,
			        "UPDATE jx_self_eval SET doc_id = ?, title = "
			        "?, "
			        "unit_name = ?, dept_name = ?, year = ?, "
			        "kind = ?, "
			        "rules = ?, has_funds = ?, funds_unit = ?, "
			        "funds_period = ?, exec_weight_m = ?, "
			        "exec_rate_text = ?, exec_score_m = ?, "
			        "total_weight_m = ?, total_score_m = ?, "
			        "grade_stated = ?, content_hash = ?, "
			        "goal_version_id = ?, updated_at = ?, "
			        "version = version + 1 WHERE id = ?",
			        hp, NHEADER + 4, d);
		if (err == JX_OK)
			err = delete_children(s, id, d);
		*outcome = JX_IMPORT_UPDATED;
	} else if (err == JX_OK) {
		header_params(e, hp);
		hp[NHEADER] = P_INT(project);
		hp[NHEADER + 1] = P_TEXT(hash);
		hp[NHEADER + 2] = P_INT(gv);
		hp[NHEADER + 3] = P_TEXT(now);
		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_self_eval (" HEADER_COLS
		        ", project_id, content_hash, goal_version_id, "
		        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
		        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		        "RETURNING id",
		        (struct jx_db_param[]){
		                hp[0],  hp[1],  hp[2],  hp[3],  hp[4],  hp[5],
		                hp[6],  hp[7],  hp[8],  hp[9],  hp[10], hp[11],
		                hp[12], hp[13], hp[14], hp[15], hp[16], hp[17],
		                hp[18], hp[19], hp[19]},
		        NHEADER + 5, &id, d);
		*outcome = JX_IMPORT_CREATED;
	}
	if (err == JX_OK)
		err = write_children(s, id, project, e, d);
	if (err == JX_OK)
		err = store_computed(s, id, e, r, d);
	if (err == JX_OK)
		err = jx_store_audit(
		        s, actor,
		        *outcome == JX_IMPORT_CREATED ? "import" : "reimport",
		        "jx_self_eval", id, exists ? before.data : NULL,
		        canon.data, d);
	if (err == JX_OK)
		*eval_id = id;
close:
	err = jx_store_txn_close(s, own, err, d);
out:
	jx_buf_free(&canon);
	jx_buf_free(&before);
	return err;
}

/* Read the fund rows of kind k into a new array of e's arena. */
static enum jx_err
load_funds(struct jx_store *s, int64_t eval_id, struct jx_eval *e,
           struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_arena *a = &e->arena;
	enum jx_err err;
	size_t cap_src = 0, cap_lvl = 0;

	err = s->ops->query(
	        s->db,
	        "SELECT kind, name, initial_m, annual_m, received_m,"
	        " executed_m, exec_rate_m, received_rate_m, "
	        "balance_m FROM jx_self_eval_fund WHERE eval_id = ? "
	        "ORDER BY kind, position",
	        (struct jx_db_param[]){P_INT(eval_id)}, 1, &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		const char *kind = s->ops->col_text(st, 0);
		struct jx_fund_row *row;

		if (strcmp(kind, "total") == 0) {
			row = &e->funds.total;
		} else if (strcmp(kind, "source") == 0) {
			if (e->funds.nsources == cap_src) {
				cap_src = cap_src != 0 ? cap_src * 2 : 4;
				e->funds.sources = jx_arena_grow(
				        a, e->funds.sources, e->funds.nsources,
				        cap_src, sizeof(*row));
				if (e->funds.sources == NULL)
					goto nomem;
			}
			row = &e->funds.sources[e->funds.nsources++];
		} else {
			if (e->funds.nlevels == cap_lvl) {
				cap_lvl = cap_lvl != 0 ? cap_lvl * 2 : 4;
				e->funds.levels = jx_arena_grow(
				        a, e->funds.levels, e->funds.nlevels,
				        cap_lvl, sizeof(*row));
				if (e->funds.levels == NULL)
					goto nomem;
			}
			row = &e->funds.levels[e->funds.nlevels++];
		}
		memset(row, 0, sizeof(*row));
		row->name = jx_store_dup_col(st, s->ops, 1, a);
		row->initial = jx_store_opt_col(st, s->ops, 2);
		row->annual = jx_store_opt_col(st, s->ops, 3);
		row->received = jx_store_opt_col(st, s->ops, 4);
		row->executed = jx_store_opt_col(st, s->ops, 5);
		row->exec_rate_stated = jx_store_opt_col(st, s->ops, 6);
		row->received_rate_stated = jx_store_opt_col(st, s->ops, 7);
		row->balance_stated = jx_store_opt_col(st, s->ops, 8);
	}
	s->ops->finish(st);
	return err == JX_EEOF ? JX_OK : err;
nomem:
	s->ops->finish(st);
	return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
}

enum jx_err
jx_store_eval_load(struct jx_store *s, int64_t eval_id, struct jx_eval *e,
                   struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_arena *a;
	enum jx_err err;
	size_t cap = 0;
	char src[48];

	jx_eval_reset(e);
	a = &e->arena;
	err = s->ops->query(
	        s->db, "SELECT " HEADER_COLS " FROM jx_self_eval WHERE id = ?",
	        (struct jx_db_param[]){P_INT(eval_id)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		struct jx_opt y;

		snprintf(src, sizeof(src), "eval:%" PRId64, eval_id);
		e->source = jx_arena_strndup(a, src, strlen(src));
		e->id = jx_store_dup_col(st, s->ops, 0, a);
		e->title = jx_store_dup_col(st, s->ops, 1, a);
		e->unit = jx_store_dup_col(st, s->ops, 2, a);
		e->department = jx_store_dup_col(st, s->ops, 3, a);
		y = jx_store_opt_col(st, s->ops, 4);
		e->year = y.set ? (int)y.v : 0;
		e->kind = jx_store_dup_col(st, s->ops, 5, a);
		e->rules = jx_store_dup_col(st, s->ops, 6, a);
		e->has_funds = s->ops->col_int(st, 7) != 0;
		e->funds.unit = jx_store_dup_col(st, s->ops, 8, a);
		e->funds.period = jx_store_dup_col(st, s->ops, 9, a);
		e->funds.exec_weight = jx_store_opt_col(st, s->ops, 10);
		e->funds.exec_rate_text = jx_store_dup_col(st, s->ops, 11, a);
		e->funds.exec_score_stated = jx_store_opt_col(st, s->ops, 12);
		e->total_weight_stated = jx_store_opt_col(st, s->ops, 13);
		e->total_score_stated = jx_store_opt_col(st, s->ops, 14);
		e->grade_stated = jx_store_dup_col(st, s->ops, 15, a);
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "自评表不存在");
	}
	s->ops->finish(st);
	if (err != JX_OK)
		return err;

	err = s->ops->query(s->db,
	                    "SELECT expected, achieved FROM jx_self_eval_goal "
	                    "WHERE eval_id = ? ORDER BY position",
	                    (struct jx_db_param[]){P_INT(eval_id)}, 1, &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		struct jx_goal *g = jx_eval_add_goal(e, &cap);

		if (g == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		g->expected = jx_store_dup_col(st, s->ops, 0, a);
		g->achieved = jx_store_dup_col(st, s->ops, 1, a);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;

	cap = 0;
	err = s->ops->query(
	        s->db,
	        "SELECT level1, level2, name, target, actual, unit, "
	        "nature, weight_m, score_stated_m, completion_stated,"
	        " deviation_reason, line FROM jx_self_eval_line "
	        "WHERE eval_id = ? ORDER BY position",
	        (struct jx_db_param[]){P_INT(eval_id)}, 1, &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		struct jx_indicator *ind;

		ind = jx_eval_add_indicator(e, &cap);
		if (ind == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		ind->level1 = jx_store_dup_col(st, s->ops, 0, a);
		ind->level2 = jx_store_dup_col(st, s->ops, 1, a);
		ind->name = jx_store_dup_col(st, s->ops, 2, a);
		ind->target = jx_store_dup_col(st, s->ops, 3, a);
		ind->actual = jx_store_dup_col(st, s->ops, 4, a);
		ind->unit = jx_store_dup_col(st, s->ops, 5, a);
		ind->nature = jx_store_dup_col(st, s->ops, 6, a);
		ind->weight = jx_store_opt_col(st, s->ops, 7);
		ind->score_stated = jx_store_opt_col(st, s->ops, 8);
		ind->completion_stated = jx_store_dup_col(st, s->ops, 9, a);
		ind->deviation_reason = jx_store_dup_col(st, s->ops, 10, a);
		ind->line = (int)s->ops->col_int(st, 11);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;
	return e->has_funds ? load_funds(s, eval_id, e, d) : JX_OK;
}

enum jx_err
jx_store_eval_ids(struct jx_store *s, int64_t **ids, size_t *n,
                  struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	int64_t *v = NULL, *nv;
	size_t cap = 0, k = 0;
	enum jx_err err;

	err = s->ops->query(s->db, "SELECT id FROM jx_self_eval ORDER BY id",
	                    NULL, 0, &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		if (k == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
				break;
			}
			v = nv;
		}
		v[k++] = s->ops->col_int(st, 0);
	}
	s->ops->finish(st);
	if (err != JX_EEOF) {
		free(v);
		return err;
	}
	*ids = v;
	*n = k;
	return JX_OK;
}

enum jx_err
jx_store_eval_version(struct jx_store *s, int64_t eval_id, int64_t *version,
                      struct jx_diag *d)
{
	enum jx_err err = jx_store_one_int(
	        s, "SELECT version FROM jx_self_eval WHERE id = ?",
	        (struct jx_db_param[]){P_INT(eval_id)}, 1, version, d);

	if (err == JX_ENOTFOUND)
		jx_diag_set(d, err, "id", "自评表不存在");
	return err;
}

enum jx_err
jx_store_eval_set_actual(struct jx_store *s, int64_t eval_id, size_t position,
                         const char *actual, const char *reason,
                         int64_t expected_version, const struct jx_rules *r,
                         const char *actor, int64_t *new_version,
                         struct jx_diag *d)
{
	struct jx_eval e;
	struct jx_buf before, after;
	char now[32];
	int64_t changed = 0, exists = 0;
	enum jx_err err;
	bool own;

	jx_eval_init(&e);
	jx_buf_init(&before, JX_MAX_RECORD_BYTES * 2u);
	jx_buf_init(&after, JX_MAX_RECORD_BYTES * 2u);
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto out;
	{
		struct jx_db_param p[] = {P_TEXT(now), P_INT(eval_id),
		                          P_INT(expected_version)};

		/* The version check and the claim are one statement: two
		 * writers holding the same version cannot both pass. */
		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_self_eval SET version = version + 1, "
		        "updated_at = ? WHERE id = ? AND version = ?",
		        p, NP(p), &changed, d);
	}
	if (err == JX_OK && changed == 0) {
		err = jx_store_one_int(
		        s, "SELECT COUNT(*) FROM jx_self_eval WHERE id = ?",
		        (struct jx_db_param[]){P_INT(eval_id)}, 1, &exists, d);
		if (err == JX_OK)
			err = exists == 0
			              ? jx_diag_set(d, JX_ENOTFOUND, "id",
			                            "自评表不存在")
			              : jx_diag_set(d, JX_ECONFLICT, "version",
			                            "自评表已被他人修改（版本"
			                            "%" PRId64
			                            "已过期），请刷新后重试",
			                            expected_version);
	}
	if (err == JX_OK)
		err = jx_store_eval_load(s, eval_id, &e, d);
	if (err == JX_OK && position >= e.nindicators)
		err = jx_diag_set(d, JX_ENOTFOUND, "position",
		                  "第%zu项指标不存在", position + 1);
	if (err == JX_OK && jx_evaljson_write(&before, &e) != JX_OK)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_TEXT(actual), P_TEXT(reason),
		                          P_INT(eval_id),
		                          P_INT((int64_t)position)};

		err = jx_store_run(
		        s,
		        "UPDATE jx_self_eval_line SET actual = ?, "
		        "deviation_reason = ? WHERE eval_id = ? AND position "
		        "= ?",
		        p, NP(p), d);
	}
	if (err == JX_OK) {
		e.indicators[position].actual = actual;
		e.indicators[position].deviation_reason = reason;
		if (jx_evaljson_write(&after, &e) != JX_OK)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	if (err == JX_OK) {
		char hash[17];

		snprintf(hash, sizeof(hash), "%016" PRIx64,
		         jx_text_hash64(after.data, after.len));
		err = jx_store_run(
		        s,
		        "UPDATE jx_self_eval SET content_hash = ? WHERE id = ?",
		        (struct jx_db_param[]){P_TEXT(hash), P_INT(eval_id)}, 2,
		        d);
	}
	if (err == JX_OK)
		err = store_computed(s, eval_id, &e, r, d);
	if (err == JX_OK)
		err = jx_store_audit(s, actor, "update", "jx_self_eval",
		                     eval_id, before.data, after.data, d);
	if (err == JX_OK)
		*new_version = expected_version + 1;
	err = jx_store_txn_close(s, own, err, d);
out:
	jx_buf_free(&before);
	jx_buf_free(&after);
	jx_eval_cleanup(&e);
	return err;
}

/* ---- reporting and operations ----------------------------------------- */

enum jx_err
jx_store_stats(struct jx_store *s, struct jx_store_stats *out,
               struct jx_diag *d)
{
	static const char *const sql[] = {
	        "SELECT COUNT(*) FROM jx_org",
	        "SELECT COUNT(*) FROM jx_user",
	        "SELECT COUNT(*) FROM jx_project",
	        "SELECT COUNT(*) FROM jx_payment",
	        "SELECT COUNT(*) FROM jx_adjustment",
	        "SELECT COUNT(*) FROM jx_self_eval",
	        "SELECT COUNT(*) FROM jx_self_eval_line",
	        "SELECT COUNT(*) FROM jx_finding WHERE severity = 'error'",
	        "SELECT COUNT(*) FROM jx_audit_log"};
	int64_t *dst[] = {
	        &out->orgs,       &out->users,           &out->projects,
	        &out->payments,   &out->adjustments,     &out->evals,
	        &out->indicators, &out->findings_errors, &out->audit_entries};
	enum jx_err err;
	size_t i;

	memset(out, 0, sizeof(*out));
	err = jx_store_schema_version(s, &out->schema_version, d);
	if (err == JX_OK && out->schema_version == 0)
		return JX_OK;
	for (i = 0; err == JX_OK && i < NP(sql); i++)
		err = jx_store_one_int(s, sql[i], NULL, 0, dst[i], d);
	return err;
}

enum jx_err
jx_store_dept_summary(struct jx_store *s, int64_t dept_id, int year,
                      struct jx_dept_summary *out, struct jx_diag *d)
{
	static const char *const grades[] = {"优", "良", "中", "差"};
	struct jx_db_param p[] = {P_INT(dept_id), P_INT(year)};
	struct jx_db_stmt *st = NULL;
	enum jx_err err;
	size_t i;

	memset(out, 0, sizeof(*out));
	err = jx_store_one_int(
	        s,
	        "SELECT COUNT(*) FROM jx_project WHERE dept_id = ? AND "
	        "year = ?",
	        p, NP(p), &out->projects, d);
	if (err == JX_OK)
		err = s->ops->query(s->db,
		                    "SELECT e.c_grade, COUNT(*), SUM(CASE WHEN "
		                    "e.c_errors > 0 "
		                    "THEN 1 ELSE 0 END) FROM jx_self_eval e "
		                    "JOIN jx_project p "
		                    "ON p.id = e.project_id WHERE p.dept_id = "
		                    "? AND p.year = ? "
		                    "GROUP BY e.c_grade",
		                    p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		const char *g =
		        s->ops->is_null(st, 0) ? NULL : s->ops->col_text(st, 0);
		int64_t n = s->ops->col_int(st, 1);

		for (i = 0; i < 4; i++)
			if (g != NULL && strcmp(g, grades[i]) == 0)
				break;
		out->by_grade[i] += n;
		out->evals += n;
		out->with_errors += s->ops->col_int(st, 2);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;
	/* Scores in buckets of 10 points (10 points = 10^7 millionths). */
	err = s->ops->query(s->db,
	                    "SELECT e.c_total_m / 10000000, COUNT(*) FROM "
	                    "jx_self_eval e JOIN jx_project p ON p.id = "
	                    "e.project_id WHERE p.dept_id = ? AND p.year = ? "
	                    "GROUP BY e.c_total_m / 10000000",
	                    p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		int64_t b = s->ops->col_int(st, 0);

		b = b < 0 ? 0 : b > 9 ? 9 : b;
		out->score_buckets[b] += s->ops->col_int(st, 1);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;
	/* Money as jx_store_project_funds sees it: executed is the sum of
	 * payments where any are recorded, the annual budget the initial one
	 * plus adjustments where any are recorded. */
	err = s->ops->query(
	        s->db,
	        "SELECT COALESCE(SUM(CASE WHEN a.n > 0 AND f.initial_fen IS "
	        "NOT "
	        "NULL THEN f.initial_fen + a.s ELSE f.annual_fen END), 0), "
	        "COALESCE(SUM(CASE WHEN pay.n > 0 THEN pay.s ELSE "
	        "f.executed_fen "
	        "END), 0) FROM jx_project p "
	        "LEFT JOIN jx_fund f ON f.project_id = p.id AND f.kind = "
	        "'total' "
	        "LEFT JOIN (SELECT project_id, COUNT(*) AS n, SUM(amount_fen) "
	        "AS s "
	        "FROM jx_payment GROUP BY project_id) pay ON pay.project_id = "
	        "p.id "
	        "LEFT JOIN (SELECT project_id, COUNT(*) AS n, SUM(amount_fen) "
	        "AS s "
	        "FROM jx_adjustment GROUP BY project_id) a ON a.project_id = "
	        "p.id "
	        "WHERE p.dept_id = ? AND p.year = ?",
	        p, NP(p), &st, d);
	if (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		out->annual_fen = s->ops->col_int(st, 0);
		out->executed_fen = s->ops->col_int(st, 1);
	}
	s->ops->finish(st);
	return err == JX_EEOF ? JX_OK : err;
}

enum jx_err
jx_store_backup(struct jx_store *s, const char *path, struct jx_diag *d)
{
	return s->ops->backup(s->db, path, d);
}

/* Copy the file src to dst (created, must not exist) and fsync it. */
static enum jx_err
copy_file(const char *src, const char *dst, struct jx_diag *d)
{
	char buf[1 << 16];
	int in = -1, out = -1;
	enum jx_err err = JX_OK;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		jx_diag_set_file(d, src);
		return jx_diag_set(d, JX_ENOTFOUND, NULL,
		                   "无法打开备份文件：%s", strerror(errno));
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		err = jx_diag_set(d, JX_EIO, NULL, "无法创建文件%s：%s", dst,
		                  strerror(errno));
		goto done;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(out, p, (size_t)n);

			if (w < 0) {
				err = jx_diag_set(d, JX_EIO, NULL,
				                  "写入失败：%s",
				                  strerror(errno));
				goto done;
			}
			p += w;
			n -= w;
		}
	}
	if (n < 0 || fsync(out) != 0)
		err = jx_diag_set(d, JX_EIO, NULL, "读写失败：%s",
		                  strerror(errno));
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && err == JX_OK)
		err = jx_diag_set(d, JX_EIO, NULL, "写入失败：%s",
		                  strerror(errno));
	if (err != JX_OK && out >= 0)
		unlink(dst);
	return err;
}

enum jx_err
jx_store_restore_sqlite(const char *src, const char *dest, struct jx_diag *d)
{
	char tmp[4200], side[4200];
	struct jx_store s;
	struct jx_db_stmt *st = NULL;
	struct stat sb;
	int version = 0;
	enum jx_err err;
	bool opened = false;

	if (stat(src, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		jx_diag_set_file(d, src);
		return jx_diag_set(d, JX_ENOTFOUND, NULL, "备份文件不存在");
	}
	if (snprintf(tmp, sizeof(tmp), "%s.restore-%ld", dest,
	             (long)getpid()) >= (int)sizeof(tmp))
		return jx_diag_set(d, JX_EINVAL, NULL, "路径过长");
	/* Check a copy, so the backup itself is never modified. */
	err = copy_file(src, tmp, d);
	if (err != JX_OK)
		return err;
	memset(&s, 0, sizeof(s));
	s.ops = &jx_db_sqlite;
	err = s.ops->open(tmp, &s.db, d);
	opened = err == JX_OK;
	if (err == JX_OK)
		err = s.ops->query(s.db, "PRAGMA integrity_check", NULL, 0, &st,
		                   d);
	if (err == JX_OK && (err = s.ops->step(st, d)) == JX_OK &&
	    strcmp(s.ops->col_text(st, 0), "ok") != 0)
		err = jx_diag_set(d, JX_EINVAL, NULL, "备份文件已损坏：%s",
		                  s.ops->col_text(st, 0));
	if (err == JX_EEOF)
		err = jx_diag_set(d, JX_EINVAL, NULL,
		                  "备份文件不是有效的数据库");
	s.ops->finish(st);
	if (err == JX_OK)
		err = jx_store_schema_version(&s, &version, d);
	if (err == JX_OK && version == 0)
		err = jx_diag_set(
		        d, JX_EINVAL, NULL,
		        "备份文件中没有 jixiao 的数据（结构版本为0）");
	if (err == JX_OK && version > jx_store_schema_latest())
		err = jx_diag_set(
		        d, JX_EINVAL, NULL,
		        "备份文件的结构版本（%d）比本程序支持的（%d）新",
		        version, jx_store_schema_latest());
	if (opened)
		s.ops->close(s.db); /* checkpoints: tmp is one file again */
	if (err == JX_OK) {
		/* The old database's WAL must not be applied to the new file.
		 */
		snprintf(side, sizeof(side), "%s-wal", dest);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", dest);
		unlink(side);
		if (rename(tmp, dest) != 0)
			err = jx_diag_set(d, JX_EIO, NULL,
			                  "无法替换数据库文件：%s",
			                  strerror(errno));
	}
	if (err != JX_OK) {
		unlink(tmp);
		snprintf(side, sizeof(side), "%s-wal", tmp);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", tmp);
		unlink(side);
		if (d != NULL && d->file[0] == '\0')
			jx_diag_set_file(d, src);
	}
	return err;
}
