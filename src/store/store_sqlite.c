/*
 * store_sqlite.c - the SQLite back-end of the store (backend.h): one
 * connection to one database file through Debian's libsqlite3.
 *
 * A connection is opened read-write (created if missing) in WAL mode with
 * synchronous=FULL, so that a transaction reported committed survives a
 * power cut; foreign keys are enforced and a writer waits up to the busy
 * timeout (10 s) for another writer before giving up with JX_ECONFLICT.
 * The environment variable JX_SQLITE_BUSY_MS (0..3600000, read at open)
 * overrides the busy timeout; it exists so that tests can provoke a busy
 * database quickly and should not be set in production.
 *
 * query() runs the first step of the statement at once and keeps its
 * outcome for the first step(), so a statement that returns no rows has
 * done its work when query() returns, even if the caller only finishes it.
 * Constraint failures map onto the error enum: UNIQUE, PRIMARY KEY and
 * FOREIGN KEY are JX_ECONFLICT, NOT NULL, CHECK and a STRICT type mismatch
 * are JX_EINVAL, a busy or locked database is JX_ECONFLICT, out of memory
 * is JX_ENOMEM, anything else JX_EDB; the zh-CN message quotes SQLite's.
 *
 * backup() copies the live database with the online backup API into a
 * fresh file next to the destination, switches the copy to a rollback
 * journal so that it is one self-contained file, fsyncs it, renames it into
 * place and fsyncs the directory: the destination is either the old file or
 * a complete copy, never half-written.
 *
 * This file knows no schema and writes no SQL of the domain (store.c does);
 * it does not retry failed statements, and a connection must be used by one
 * thread at a time (SQLITE_OPEN_NOMUTEX).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"

#define BUSY_MS_DEFAULT 10000   /* busy timeout, milliseconds */
#define BUSY_MS_MAX     3600000 /* largest JX_SQLITE_BUSY_MS accepted */
#define BUSY_ENV        "JX_SQLITE_BUSY_MS"
#define BACKUP_NAP_MS   20 /* pause between busy backup attempts */

#define STMT_CACHE 256 /* prepared statements kept per connection */
#define STMT_WAYS  4   /* slots a statement may take (set-associative) */

/*
 * Preparing a statement costs more than running it (the import profile was
 * 60% SQL parsing), and store.c passes the same string literals again and
 * again: prepared statements are kept by their SQL's address, checked
 * against their text, and reset instead of finalised. Each address may
 * sit in one of STMT_WAYS slots, so that a handful of statements whose
 * addresses collide do not evict each other on every request. A slot
 * whose statement is running (s NULL, key set) is never reassigned: its
 * query puts the statement back when it finishes.
 */
struct stmt_slot {
	const char *key; /* the SQL pointer it was prepared from */
	sqlite3_stmt *s; /* NULL: empty, or taken by a running query */
};

struct jx_db {
	sqlite3 *h;
	int busy_ms;
	unsigned victim; /* round-robin choice of a slot to replace */
	bool writing;    /* holds write_mu: between begin and commit/rollback */
	struct stmt_slot cache[STMT_CACHE];
};

struct jx_db_stmt {
	struct jx_db *db;
	sqlite3_stmt *s;
	int pending;          /* first step's code, kept for step(); 0: none */
	enum jx_err failed;   /* error a step returned, repeated afterwards */
	bool row;             /* positioned on a row */
	bool done;            /* ran to completion */
	int ncol;             /* columns of the result */
	int64_t total_before; /* sqlite3_total_changes64 before running */
	int64_t changes;      /* rows changed, once done */
	struct stmt_slot *slot; /* where to return s, or NULL to finalise */
};

static enum jx_err busy_ms_from_env(int *out, struct jx_diag *d);
static enum jx_err map_rc(int rc);
static enum jx_err db_fail(struct jx_db *db, int rc, const char *msg,
                           struct jx_diag *d);
static enum jx_err pragma_text(struct jx_db *db, const char *sql, char *buf,
                               size_t cap, struct jx_diag *d);
static void capture_changes(struct jx_db_stmt *st);
static bool blank_tail(const char *tail);
static enum jx_err bind_params(struct jx_db_stmt *st,
                               const struct jx_db_param *params, size_t n,
                               struct jx_diag *d);
static enum jx_err run(struct jx_db *db, const char *sql, struct jx_diag *d);
static void nap_ms(int ms);
static bool same_file(struct jx_db *db, const char *path);
static enum jx_err copy_into(struct jx_db *db, const char *tmp,
                             struct jx_diag *d);
static enum jx_err fsync_path(const char *path, bool dir, struct jx_diag *d);
static void remove_tmp(const char *tmp);

static enum jx_err sqlite_open(const char *target, struct jx_db **out,
                               struct jx_diag *d);
static void sqlite_close(struct jx_db *db);
static enum jx_err sqlite_exec_script(struct jx_db *db, const char *sql,
                                      struct jx_diag *d);
static enum jx_err sqlite_query(struct jx_db *db, const char *sql,
                                const struct jx_db_param *params, size_t n,
                                struct jx_db_stmt **out, struct jx_diag *d);
static enum jx_err sqlite_step(struct jx_db_stmt *st, struct jx_diag *d);
static bool sqlite_is_null(struct jx_db_stmt *st, int i);
static int64_t sqlite_col_int(struct jx_db_stmt *st, int i);
static const char *sqlite_col_text(struct jx_db_stmt *st, int i);
static int64_t sqlite_changes(struct jx_db_stmt *st);
static void sqlite_finish(struct jx_db_stmt *st);
static enum jx_err sqlite_begin(struct jx_db *db, struct jx_diag *d);
static enum jx_err sqlite_commit(struct jx_db *db, struct jx_diag *d);
static void sqlite_rollback(struct jx_db *db);
static void write_done(struct jx_db *db);
static enum jx_err sqlite_backup(struct jx_db *db, const char *path,
                                 struct jx_diag *d);

const struct jx_db_ops jx_db_sqlite = {
        .name = "sqlite",
        .pk_clause = "INTEGER PRIMARY KEY",
        .has_table_sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = "
                         "'table' AND name = ?",
        .migration_lock_sql = NULL,
        .open = sqlite_open,
        .close = sqlite_close,
        .exec_script = sqlite_exec_script,
        .query = sqlite_query,
        .step = sqlite_step,
        .is_null = sqlite_is_null,
        .col_int = sqlite_col_int,
        .col_text = sqlite_col_text,
        .changes = sqlite_changes,
        .finish = sqlite_finish,
        .begin = sqlite_begin,
        .commit = sqlite_commit,
        .rollback = sqlite_rollback,
        .backup = sqlite_backup,
};

/* The busy timeout: JX_SQLITE_BUSY_MS when set, else the default. */
static enum jx_err
busy_ms_from_env(int *out, struct jx_diag *d)
{
	const char *v = getenv(BUSY_ENV);
	char *end = NULL;
	long long ms;

	if (v == NULL || *v == '\0') {
		*out = BUSY_MS_DEFAULT;
		return JX_OK;
	}
	errno = 0;
	ms = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || ms < 0 ||
	    ms > BUSY_MS_MAX)
		return jx_diag_set(d, JX_EINVAL, BUSY_ENV,
		                   "环境变量 %s 的值“%s”无效，应为 0 到 %d "
		                   "之间的毫秒数",
		                   BUSY_ENV, v, BUSY_MS_MAX);
	*out = (int)ms;
	return JX_OK;
}

/* The error of an SQLite result code (extended codes are on). */
static enum jx_err
map_rc(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_ROWID:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return JX_ECONFLICT;
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_DATATYPE:
		return JX_EINVAL;
	case SQLITE_NOMEM:
		return JX_ENOMEM;
	default:
		break;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return JX_ECONFLICT;
	default:
		return JX_EDB;
	}
}

/*
 * Fill d for the failure rc of db and return its error. msg is SQLite's
 * explanation when the caller has it (sqlite3_exec), else the connection's.
 */
static enum jx_err
db_fail(struct jx_db *db, int rc, const char *msg, struct jx_diag *d)
{
	enum jx_err err = map_rc(rc);
	const char *why;

	if (msg == NULL)
		msg = db != NULL && db->h != NULL ? sqlite3_errmsg(db->h)
		                                  : sqlite3_errstr(rc);
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_ROWID:
		why = "记录重复，违反唯一约束";
		break;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		why = "违反外键约束，引用的记录不存在或仍被引用";
		break;
	case SQLITE_CONSTRAINT_NOTNULL:
		why = "必填字段为空";
		break;
	case SQLITE_CONSTRAINT_CHECK:
		why = "数据不符合约束条件";
		break;
	case SQLITE_CONSTRAINT_DATATYPE:
		why = "数据类型与字段不符";
		break;
	default:
		if (err == JX_ECONFLICT)
			why = "数据库正忙，等待超时，请稍后重试";
		else if (err == JX_ENOMEM)
			why = "内存不足";
		else
			why = NULL;
		break;
	}
	if (why != NULL)
		return jx_diag_set(d, err, NULL, "数据库错误：%s（%s）", why,
		                   msg);
	return jx_diag_set(d, err, NULL, "数据库错误：%s", msg);
}

/* Run a statement returning one text value (a PRAGMA) into buf. */
static enum jx_err
pragma_text(struct jx_db *db, const char *sql, char *buf, size_t cap,
            struct jx_diag *d)
{
	sqlite3_stmt *s = NULL;
	const unsigned char *v;
	enum jx_err err = JX_OK;
	int rc;

	buf[0] = '\0';
	rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);
	if (rc != SQLITE_OK || s == NULL) {
		err = db_fail(db, rc != SQLITE_OK ? rc : SQLITE_ERROR, NULL, d);
		goto done;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		v = sqlite3_column_text(s, 0);
		if (v != NULL)
			snprintf(buf, cap, "%s", (const char *)v);
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_DONE)
		err = db_fail(db, rc, NULL, d);
done:
	sqlite3_finalize(s);
	return err;
}

/*
 * Before SQLite initialises: no memory statistics. They cost a global
 * mutex on every allocation, which serialises the server's workers.
 */
static void
configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static enum jx_err
sqlite_open(const char *target, struct jx_db **out, struct jx_diag *d)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct jx_db *db = NULL;
	enum jx_err err = JX_OK;
	char mode[32];
	char fk[8];
	bool memory;
	int rc;

	pthread_once(&once, configure_once);
	if (target == NULL || *target == '\0') {
		err = jx_diag_set(d, JX_EINVAL, NULL,
		                  "未指定数据库文件路径（应为 sqlite:路径）");
		goto fail;
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL,
		                  "内存不足，无法打开数据库");
		goto fail;
	}
	err = busy_ms_from_env(&db->busy_ms, d);
	if (err != JX_OK)
		goto fail;
	memory = strcmp(target, ":memory:") == 0;
	rc = sqlite3_open_v2(target, &db->h,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                             SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		err = rc == SQLITE_NOMEM ? JX_ENOMEM : JX_EDB;
		goto fail_open;
	}
	sqlite3_extended_result_codes(db->h, 1);
	if (sqlite3_db_readonly(db->h, "main") == 1) {
		err = jx_diag_set(d, JX_EDB, NULL,
		                  "无法打开数据库文件“%s”：文件只读，无法写入",
		                  target);
		goto fail_named;
	}
	/* Before the first PRAGMA: switching to WAL needs a lock. */
	sqlite3_busy_timeout(db->h, db->busy_ms);
	/* SQLite answers "locked" at once, without the busy handler, when
	 * another process is switching a new file to WAL at the same moment
	 * (the lock upgrade could deadlock): wait and try again, within the
	 * busy timeout. */
	for (int waited = 0;; waited += 20) {
		err = pragma_text(db, "PRAGMA journal_mode=WAL", mode,
		                  sizeof(mode), d);
		if (err != JX_ECONFLICT || waited >= db->busy_ms)
			break;
		nap_ms(20);
	}
	if (err != JX_OK)
		goto fail_open;
	if (strcmp(mode, memory ? "memory" : "wal") != 0) {
		err = jx_diag_set(d, JX_EDB, NULL,
		                  "无法打开数据库文件“%s”：无法切换到 WAL "
		                  "日志模式（当前为 %s）",
		                  target, mode);
		goto fail_named;
	}
	err = run(db, "PRAGMA synchronous=FULL", d);
	if (err != JX_OK)
		goto fail_open;
	err = run(db, "PRAGMA foreign_keys=ON", d);
	if (err != JX_OK)
		goto fail_open;
	err = pragma_text(db, "PRAGMA foreign_keys", fk, sizeof(fk), d);
	if (err != JX_OK)
		goto fail_open;
	if (strcmp(fk, "1") != 0) {
		err = jx_diag_set(d, JX_EDB, NULL,
		                  "无法打开数据库文件“%s”：此 SQLite "
		                  "不支持外键约束",
		                  target);
		goto fail_named;
	}
	*out = db;
	return JX_OK;

fail_open:
	/* The message names the file and quotes SQLite's reason. */
	jx_diag_set(d, err, NULL, "无法打开数据库文件“%s”：%s", target,
	            db->h != NULL ? sqlite3_errmsg(db->h) : "内存不足");
fail_named:
	jx_diag_set_file(d, target);
fail:
	sqlite_close(db);
	return err;
}

static void
sqlite_close(struct jx_db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(db->cache[i].s);
	/* statistics for the planner where queries showed they are missing
	 * (cheap: SQLite analyses only what it needs) */
	(void)sqlite3_exec(db->h, "PRAGMA optimize", NULL, NULL, NULL);
	/* _v2: statements a caller forgot cannot keep the handle open. */
	sqlite3_close_v2(db->h);
	write_done(db); /* closing ended any transaction */
	free(db);
}

static enum jx_err
sqlite_exec_script(struct jx_db *db, const char *sql, struct jx_diag *d)
{
	char *msg = NULL;
	enum jx_err err = JX_OK;
	int rc;

	rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		err = db_fail(db, sqlite3_extended_errcode(db->h), msg, d);
	sqlite3_free(msg);
	return err;
}

/* Run one statement without parameters or rows. */
static enum jx_err
run(struct jx_db *db, const char *sql, struct jx_diag *d)
{
	return sqlite_exec_script(db, sql, d);
}

/* Whether only blanks and semicolons follow the first statement. */
static bool
blank_tail(const char *tail)
{
	if (tail == NULL)
		return true;
	for (; *tail != '\0'; tail++)
		if (*tail != ' ' && *tail != '\t' && *tail != '\n' &&
		    *tail != '\r' && *tail != ';')
			return false;
	return true;
}

static enum jx_err
bind_params(struct jx_db_stmt *st, const struct jx_db_param *params, size_t n,
            struct jx_diag *d)
{
	int want = sqlite3_bind_parameter_count(st->s);
	size_t i;
	int rc = SQLITE_OK;
	int pos;

	if (n != (size_t)want)
		return jx_diag_set(
		        d, JX_EINVAL, NULL,
		        "数据库错误：语句需要 %d 个参数，实际给出 %zu "
		        "个",
		        want, n);
	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		pos = (int)i + 1;
		switch (params[i].type) {
		case JX_DB_NULL:
			rc = sqlite3_bind_null(st->s, pos);
			break;
		case JX_DB_INT:
			rc = sqlite3_bind_int64(st->s, pos, params[i].i);
			break;
		case JX_DB_TEXT:
			/* Copied: later steps may read the value again. */
			if (params[i].s == NULL)
				rc = sqlite3_bind_null(st->s, pos);
			else
				rc = sqlite3_bind_text(st->s, pos, params[i].s,
				                       -1, SQLITE_TRANSIENT);
			break;
		default:
			return jx_diag_set(d, JX_EINVAL, NULL,
			                   "数据库错误：第 %d 个参数的类型无效",
			                   pos);
		}
	}
	if (rc != SQLITE_OK)
		return db_fail(st->db, rc, NULL, d);
	return JX_OK;
}

/*
 * Record the rows changed once the statement has run to its end.
 * sqlite3_changes64 keeps the count of the last INSERT, UPDATE or DELETE,
 * so a statement that changed nothing (a SELECT, DDL, no row matched)
 * must not read it: the total moves only when something changed.
 */
static void
capture_changes(struct jx_db_stmt *st)
{
	sqlite3 *h = st->db->h;

	if (sqlite3_total_changes64(h) != st->total_before)
		st->changes = sqlite3_changes64(h);
	else
		st->changes = 0;
}

/* The slot holding sql (its statement may be taken: s NULL), or NULL. */
static struct stmt_slot *
find_slot(struct jx_db *db, const char *sql)
{
	size_t base =
	        ((uintptr_t)sql >> 3) % (STMT_CACHE / STMT_WAYS) * STMT_WAYS;
	size_t i;

	for (i = 0; i < STMT_WAYS; i++) {
		struct stmt_slot *s = &db->cache[base + i];

		if (s->key == sql &&
		    (s->s == NULL || strcmp(sqlite3_sql(s->s), sql) == 0))
			return s;
	}
	return NULL;
}

/* A slot of sql's set that may take a new statement: an empty one, else
 * an idle one in round-robin order; NULL when all are running. */
static struct stmt_slot *
free_slot(struct jx_db *db, const char *sql)
{
	size_t base =
	        ((uintptr_t)sql >> 3) % (STMT_CACHE / STMT_WAYS) * STMT_WAYS;
	size_t i;

	for (i = 0; i < STMT_WAYS; i++)
		if (db->cache[base + i].key == NULL)
			return &db->cache[base + i];
	for (i = 0; i < STMT_WAYS; i++) {
		struct stmt_slot *s =
		        &db->cache[base + (db->victim++ + i) % STMT_WAYS];

		if (s->s != NULL)
			return s;
	}
	return NULL;
}

static enum jx_err
sqlite_query(struct jx_db *db, const char *sql,
             const struct jx_db_param *params, size_t n,
             struct jx_db_stmt **out, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct stmt_slot *slot;
	const char *tail = NULL;
	enum jx_err err = JX_OK;
	int rc;

	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "数据库错误：内存不足");
		goto fail;
	}
	st->db = db;
	slot = find_slot(db, sql);
	if (slot != NULL && slot->s != NULL) {
		st->s = slot->s; /* taken: a nested use of it prepares anew */
		slot->s = NULL;
		st->slot = slot;
	} else {
		rc = sqlite3_prepare_v2(db->h, sql, -1, &st->s, &tail);
		if (rc != SQLITE_OK) {
			err = db_fail(db, rc, NULL, d);
			goto fail;
		}
		if (st->s == NULL || !blank_tail(tail)) {
			err = jx_diag_set(
			        d, JX_EINVAL, NULL,
			        "数据库错误：须恰好给出一条 SQL 语句");
			goto fail;
		}
		/* Keep it in a slot afterwards, unless the one it has is in
		 * use by a running query (a nested use) or every slot of its
		 * set is. */
		if (slot == NULL) {
			slot = free_slot(db, sql);
			if (slot != NULL) {
				sqlite3_finalize(slot->s);
				slot->s = NULL;
				slot->key = sql;
				st->slot = slot;
			}
		}
	}
	err = bind_params(st, params, n, d);
	if (err != JX_OK)
		goto fail;
	st->ncol = sqlite3_column_count(st->s);
	st->total_before = sqlite3_total_changes64(db->h);
	/* Run now, so a statement without rows takes effect even if the
	 * caller never steps it; its first row waits for step(). */
	rc = sqlite3_step(st->s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = db_fail(db, rc, NULL, d);
		goto fail;
	}
	st->pending = rc;
	if (rc == SQLITE_DONE)
		capture_changes(st);
	*out = st;
	return JX_OK;

fail:
	sqlite_finish(st);
	return err;
}

static enum jx_err
sqlite_step(struct jx_db_stmt *st, struct jx_diag *d)
{
	int rc;

	st->row = false;
	if (st->failed != JX_OK)
		return jx_diag_set(d, st->failed, NULL,
		                   "数据库错误：语句已失败，不能继续读取");
	if (st->pending != 0) {
		rc = st->pending;
		st->pending = 0;
	} else if (st->done) {
		/* Stepping again would silently run the statement anew. */
		return JX_EEOF;
	} else {
		rc = sqlite3_step(st->s);
	}
	if (rc == SQLITE_ROW) {
		st->row = true;
		return JX_OK;
	}
	if (rc == SQLITE_DONE) {
		if (!st->done)
			capture_changes(st);
		st->done = true;
		return JX_EEOF;
	}
	st->failed = db_fail(st->db, rc, NULL, d);
	return st->failed;
}

static bool
sqlite_is_null(struct jx_db_stmt *st, int i)
{
	if (!st->row || i < 0 || i >= st->ncol)
		return true;
	return sqlite3_column_type(st->s, i) == SQLITE_NULL;
}

static int64_t
sqlite_col_int(struct jx_db_stmt *st, int i)
{
	if (!st->row || i < 0 || i >= st->ncol)
		return 0;
	return sqlite3_column_int64(st->s, i);
}

static const char *
sqlite_col_text(struct jx_db_stmt *st, int i)
{
	if (!st->row || i < 0 || i >= st->ncol)
		return NULL;
	return (const char *)sqlite3_column_text(st->s, i);
}

static int64_t
sqlite_changes(struct jx_db_stmt *st)
{
	return st->changes;
}

static void
sqlite_finish(struct jx_db_stmt *st)
{
	if (st == NULL)
		return;
	if (st->slot != NULL && st->slot->s == NULL && st->s != NULL) {
		sqlite3_reset(st->s);
		sqlite3_clear_bindings(st->s);
		st->slot->s = st->s;
	} else {
		sqlite3_finalize(st->s);
	}
	free(st);
}

/*
 * Writers of this process queue on one mutex before they ask SQLite for
 * its write lock: SQLite's own busy handler waits by sleeping and
 * retrying, which under a steady stream of writes from many threads
 * starves some of them for seconds. Other processes still meet the busy
 * timeout.
 */
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t owner_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t write_owner; /* guarded by owner_mu */
static bool write_owned;      /* guarded by owner_mu */

static void
write_done(struct jx_db *db)
{
	if (db->writing) {
		db->writing = false;
		pthread_mutex_lock(&owner_mu);
		write_owned = false;
		pthread_mutex_unlock(&owner_mu);
		pthread_mutex_unlock(&write_mu);
	}
}

/*
 * Take write_mu, waiting at most the busy timeout. A thread that already
 * holds it through another connection (a test, a tool holding two
 * connections) goes straight to SQLite, whose busy timeout then decides,
 * as it would across processes; so does a thread that waited too long.
 */
static void
write_queue(struct jx_db *db)
{
	struct timespec until;
	bool mine;

	pthread_mutex_lock(&owner_mu);
	mine = write_owned && pthread_equal(write_owner, pthread_self());
	pthread_mutex_unlock(&owner_mu);
	if (mine || db->writing)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += db->busy_ms / 1000;
	until.tv_nsec += (long)(db->busy_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_timedlock(&write_mu, &until) != 0)
		return;
	pthread_mutex_lock(&owner_mu);
	write_owned = true;
	write_owner = pthread_self();
	pthread_mutex_unlock(&owner_mu);
	db->writing = true;
}

static enum jx_err
sqlite_begin(struct jx_db *db, struct jx_diag *d)
{
	enum jx_err err;

	write_queue(db);
	err = run(db, "BEGIN IMMEDIATE", d);
	if (err != JX_OK)
		write_done(db);
	return err;
}

/*
 * A failed COMMIT (busy, a deferred constraint) leaves SQLite's
 * transaction open; it is rolled back here so that the connection is in
 * the same state as after a failed COMMIT in PostgreSQL.
 */
static enum jx_err
sqlite_commit(struct jx_db *db, struct jx_diag *d)
{
	enum jx_err err;

	err = run(db, "COMMIT", d);
	if (err != JX_OK && !sqlite3_get_autocommit(db->h))
		sqlite_rollback(db);
	if (sqlite3_get_autocommit(db->h))
		write_done(db);
	return err;
}

static void
sqlite_rollback(struct jx_db *db)
{
	/* Nothing to roll back is not an error worth reporting. */
	if (db != NULL && !sqlite3_get_autocommit(db->h))
		(void)sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	if (db != NULL)
		write_done(db);
}

static void
nap_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Whether path is the database file of db itself. */
static bool
same_file(struct jx_db *db, const char *path)
{
	const char *own = sqlite3_db_filename(db->h, "main");
	struct stat a, b;

	if (own == NULL || *own == '\0')
		return false;
	if (stat(own, &a) != 0 || stat(path, &b) != 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Copy db into the (empty) file tmp as one self-contained database. */
static enum jx_err
copy_into(struct jx_db *db, const char *tmp, struct jx_diag *d)
{
	struct jx_db dst;
	sqlite3_backup *b = NULL;
	enum jx_err err = JX_OK;
	char mode[32];
	int waited = 0;
	int rc;

	memset(&dst, 0, sizeof(dst));
	dst.busy_ms = db->busy_ms;
	rc = sqlite3_open_v2(tmp, &dst.h,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err = db_fail(&dst, rc, NULL, d);
		goto done;
	}
	sqlite3_extended_result_codes(dst.h, 1);
	b = sqlite3_backup_init(dst.h, "main", db->h, "main");
	if (b == NULL) {
		err = db_fail(&dst, sqlite3_extended_errcode(dst.h), NULL, d);
		goto done;
	}
	/* All pages in one step: one read transaction, a consistent copy.
	 * A busy source (another connection checkpointing) is waited for
	 * as long as the busy timeout. */
	for (;;) {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_DONE)
			break;
		if ((rc & 0xff) != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY &&
		    (rc & 0xff) != SQLITE_LOCKED)
			break;
		if (rc != SQLITE_OK) {
			if (waited >= db->busy_ms)
				break;
			nap_ms(BACKUP_NAP_MS);
			waited += BACKUP_NAP_MS;
		}
	}
	if (rc != SQLITE_DONE) {
		sqlite3_backup_finish(b);
		b = NULL;
		err = db_fail(db, rc, sqlite3_errstr(rc), d);
		goto done;
	}
	rc = sqlite3_backup_finish(b);
	b = NULL;
	if (rc != SQLITE_OK) {
		err = db_fail(&dst, rc, NULL, d);
		goto done;
	}
	/* The copy carries the source's WAL flag; a rollback journal keeps
	 * it one file that needs no -wal beside it. */
	err = pragma_text(&dst, "PRAGMA journal_mode=DELETE", mode,
	                  sizeof(mode), d);
	if (err == JX_OK && strcmp(mode, "delete") != 0)
		err = jx_diag_set(
		        d, JX_EDB, NULL,
		        "数据库错误：备份无法切换到单文件模式（当前为 "
		        "%s）",
		        mode);
done:
	if (dst.h != NULL) {
		rc = sqlite3_close(dst.h);
		if (rc != SQLITE_OK && err == JX_OK)
			err = jx_diag_set(d, JX_EDB, NULL,
			                  "数据库错误：无法关闭备份文件：%s",
			                  sqlite3_errstr(rc));
	}
	return err;
}

/* fsync a file or a directory. */
static enum jx_err
fsync_path(const char *path, bool dir, struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	int fd;

	fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	if (fd < 0 || fsync(fd) != 0)
		err = jx_diag_set(d, JX_EIO, NULL, "无法将备份写入磁盘“%s”：%s",
		                  path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return err;
}

/* Remove a temporary copy and any journal SQLite left beside it. */
static void
remove_tmp(const char *tmp)
{
	static const char *const sfx[] = {"-journal", "-wal", "-shm"};
	char side[PATH_MAX + 16];
	size_t i;

	(void)unlink(tmp);
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (snprintf(side, sizeof(side), "%s%s", tmp, sfx[i]) <
		    (int)sizeof(side))
			(void)unlink(side);
	}
}

static enum jx_err
sqlite_backup(struct jx_db *db, const char *path, struct jx_diag *d)
{
	char tmp[PATH_MAX];
	char dir[PATH_MAX];
	const char *slash;
	enum jx_err err = JX_OK;
	bool made = false;
	int fd;
	int n;

	if (path == NULL || *path == '\0') {
		err = jx_diag_set(d, JX_EINVAL, NULL, "未指定备份文件路径");
		goto done;
	}
	n = snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "备份文件路径过长");
		goto done;
	}
	if (same_file(db, path)) {
		err = jx_diag_set(d, JX_EINVAL, NULL,
		                  "备份文件“%s”就是数据库文件本身", path);
		goto done;
	}
	/* A new, unique file in the destination's directory, so that the
	 * final rename stays on one file system. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = jx_diag_set(d, JX_EIO, NULL, "无法创建备份文件“%s”：%s",
		                  path, strerror(errno));
		goto done;
	}
	made = true;
	/* Closed before SQLite opens it: closing any descriptor of a file
	 * would drop the POSIX locks SQLite holds on it. */
	close(fd);
	err = copy_into(db, tmp, d);
	if (err != JX_OK)
		goto done;
	err = fsync_path(tmp, false, d);
	if (err != JX_OK)
		goto done;
	if (rename(tmp, path) != 0) {
		err = jx_diag_set(d, JX_EIO, NULL, "无法写入备份文件“%s”：%s",
		                  path, strerror(errno));
		goto done;
	}
	made = false;
	slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	err = fsync_path(dir, true, d);
done:
	if (made)
		remove_tmp(tmp);
	if (err != JX_OK && path != NULL)
		jx_diag_set_file(d, path);
	return err;
}
