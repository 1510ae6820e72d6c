/*
 * store_pg.c - the PostgreSQL back-end of the store (backend.h), on libpq.
 *
 * One connection per struct jx_db, opened from a "postgresql://" or
 * "postgres://" URL, with client encoding UTF8, time zone UTC and standard
 * conforming strings. Statements are written with "?" placeholders for both
 * back-ends; query() rewrites each "?" outside string literals, quoted
 * identifiers, dollar-quoted strings and comments to "$1", "$2" ...,
 * parameters and results in text format, the whole result kept in the
 * statement and walked by step(). SQLSTATEs are mapped onto enum jx_err
 * (unique, foreign-key, serialization, deadlock and lock failures are
 * JX_ECONFLICT; not-null and check violations JX_EINVAL) and the server's
 * message is passed on in a zh-CN sentence.
 *
 * Statements are prepared once per connection: parsing and analysing a
 * statement on every call cost as much as running it, and store.c passes
 * the same string literals again and again. Like store_sqlite.c, each
 * connection keeps a set-associative cache (STMT_CACHE slots, STMT_WAYS per
 * set) keyed by the SQL's address and checked against its text and the
 * types of its parameters (an integer is sent as bigint, text and NULL
 * untyped), so a buffer reused for other SQL is never mistaken for its
 * last statement. The first call of a statement runs it with PQexecParams,
 * as a one-off; the second prepares it under a name of the connection's
 * own ("jx1", "jx2" ...) with PQprepare, and that call and every later one
 * run it with PQexecPrepared: SQL built afresh for one call costs nothing
 * more than before. A replaced statement is dropped with DEALLOCATE, in
 * batches of DEAD_MAX and only outside a transaction, where a failure
 * cannot spoil the caller's work; so the server holds at most STMT_CACHE +
 * DEAD_MAX of them. Prepared statements outlive ROLLBACK. Inside a failed
 * transaction statements run unprepared and fail as they always did, the
 * cache untouched. A prepared statement whose result columns were changed
 * by DDL since (SQLSTATE 0A000) or whose name the session lost (DEALLOCATE
 * ALL or DISCARD ALL run by exec_script, 26000) leaves the cache; outside a
 * transaction it runs again unprepared, inside one the error stands and
 * aborts it. The cache is forgotten when the connection breaks or the
 * server process behind it changes, so no stale name is used. Names live
 * in one server session: a pooler that hands a client's statements to
 * different sessions (PgBouncer in transaction mode) is not supported.
 *
 * A column read with col_int must hold an integer (or a boolean, read as
 * 1/0): other text is not guessed at; col_int returns 0 and the next step()
 * of that statement fails with JX_EDB naming the column. As on SQLite, a
 * nested begin and a commit outside a transaction are errors (PostgreSQL
 * itself only warns), and the commit of a transaction in which a statement
 * failed reports that nothing was kept. Server notices are dropped, not
 * printed.
 *
 * The password of a URL never appears in a message: it is masked in the
 * URL and scrubbed from libpq's own error text. This back-end does not
 * back up (use pg_dump), pool connections or reconnect.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "backend.h"

/* Type OIDs from the server's catalog (catalog/pg_type_d.h is not part of
 * libpq's headers); they are fixed for all versions. */
#define PG_BOOL_OID 16
#define PG_INT8_OID 20

#define PG_MIN_VERSION     130000 /* PostgreSQL 13 */
#define PG_CONNECT_TIMEOUT "10"   /* seconds, unless the URL says otherwise */
#define PG_MAX_PARAMS      65535  /* the wire protocol's limit */

#define MAX_SECRETS 8 /* password places looked for in one URL */

#define STMT_CACHE   256 /* statements kept per connection */
#define STMT_WAYS    4   /* slots a statement may take (set-associative) */
#define DEAD_MAX     16  /* replaced statements deallocated in one batch */
#define NAME_MAX_LEN 24  /* "jx" and up to 20 digits */

/*
 * A slot of the statement cache. Empty: key NULL, id 0. Seen once: key
 * and text set, id 0 (prepared at its next use). Prepared: key, text and
 * id set. Stale: key NULL, id set (its prepared form is no longer usable;
 * deallocated when the slot is taken). A slot is never in use between
 * calls: query() fetches the whole result before it returns.
 */
struct stmt_slot {
	const char *key; /* the SQL pointer it was seen with */
	char *text;      /* copy of the SQL, then one letter per parameter */
	size_t len;      /* strlen of the SQL */
	size_t n;        /* parameters */
	uint64_t id;     /* prepared on the server as "jx<id>"; 0: not */
};

struct jx_db {
	PGconn *conn;
	int pid;          /* server process the cache's names belong to */
	uint64_t last_id; /* the last name number handed out */
	unsigned victim;  /* round-robin choice of a slot to replace */
	size_t ndead;     /* names in dead */
	uint64_t dead[DEAD_MAX]; /* replaced statements, to DEALLOCATE */
	struct stmt_slot cache[STMT_CACHE];
};

/* A part of a string: offset and length. */
struct span {
	size_t off;
	size_t len;
};

struct jx_db_stmt {
	PGresult *res;
	int nrows;
	int ncols;
	int row;         /* current row; -1 before the first */
	int64_t changes; /* rows changed, from the command tag */
	int bad_col;     /* column col_int could not read, -1 when none */
};

static enum jx_err pg_open(const char *target, struct jx_db **out,
                           struct jx_diag *d);
static void pg_close(struct jx_db *db);
static enum jx_err pg_exec_script(struct jx_db *db, const char *sql,
                                  struct jx_diag *d);
static enum jx_err pg_query(struct jx_db *db, const char *sql,
                            const struct jx_db_param *params, size_t n,
                            struct jx_db_stmt **out, struct jx_diag *d);
static enum jx_err pg_step(struct jx_db_stmt *st, struct jx_diag *d);
static bool pg_is_null(struct jx_db_stmt *st, int i);
static int64_t pg_col_int(struct jx_db_stmt *st, int i);
static const char *pg_col_text(struct jx_db_stmt *st, int i);
static int64_t pg_changes(struct jx_db_stmt *st);
static void pg_finish(struct jx_db_stmt *st);
static enum jx_err pg_begin(struct jx_db *db, struct jx_diag *d);
static enum jx_err pg_commit(struct jx_db *db, struct jx_diag *d);
static void pg_rollback(struct jx_db *db);
static enum jx_err pg_backup(struct jx_db *db, const char *path,
                             struct jx_diag *d);

static bool is_ident_char(unsigned char c);
static size_t dollar_tag(const char *s);
static size_t skip_quoted(const char *s, char quote, bool backslash);
static size_t skip_block_comment(const char *s);
static enum jx_err rewrite_placeholders(const char *sql, size_t nparams,
                                        char **out, struct jx_diag *d);
static bool parse_int64(const char *s, int64_t *out);
static enum jx_err run(struct jx_db *db, const char *sql, size_t n,
                       const Oid *types, const char *const *values,
                       PGresult **out, struct jx_diag *d);
static bool result_ok(const PGresult *res);
static char type_letter(Oid type);
static size_t slot_set(const char *sql);
static struct stmt_slot *find_slot(struct jx_db *db, const char *sql, size_t n,
                                   const Oid *types);
static int slot_rank(const struct stmt_slot *slot);
static void remember(struct jx_db *db, const char *sql, size_t n,
                     const Oid *types);
static bool evict(struct jx_db *db, struct stmt_slot *slot);
static void clear_slot(struct stmt_slot *slot);
static void flush_dead(struct jx_db *db);
static void forget_all(struct jx_db *db);
static void stmt_name(uint64_t id, char *buf, size_t cap);
static enum jx_err prepare(struct jx_db *db, struct stmt_slot *slot,
                           const char *sql, const Oid *types,
                           struct jx_diag *d);
static bool drop_stale(struct jx_db *db, struct stmt_slot *slot,
                       const PGresult *res);
static enum jx_err result_error(PGconn *conn, const PGresult *res,
                                struct jx_diag *d);
static enum jx_err exec_simple(struct jx_db *db, const char *sql,
                               PGresult **out, struct jx_diag *d);
static size_t password_spans(const char *url, struct span *spans, size_t max);
static int hex_value(char c);
static size_t percent_decode(const char *in, size_t n, char *out);
static void redact_url(const char *url, char *out, size_t cap);
static void replace_all(char *msg, size_t cap, const char *find, size_t n,
                        const char *repl);
static void scrub_secrets(char *msg, size_t cap, const char *url);
static void one_line(char *s);
static void ignore_notice(void *arg, const char *message);

const struct jx_db_ops jx_db_pg = {
        .name = "postgresql",
        .pk_clause = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        .has_table_sql = "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE "
                         "schemaname = current_schema() AND tablename = ?",
        /* Any constant key: jixiao's migrations, one at a time. */
        .migration_lock_sql = "SELECT pg_advisory_xact_lock(7233110)",
        .open = pg_open,
        .close = pg_close,
        .exec_script = pg_exec_script,
        .query = pg_query,
        .step = pg_step,
        .is_null = pg_is_null,
        .col_int = pg_col_int,
        .col_text = pg_col_text,
        .changes = pg_changes,
        .finish = pg_finish,
        .begin = pg_begin,
        .commit = pg_commit,
        .rollback = pg_rollback,
        .backup = pg_backup,
};

/* ---- connecting ---------------------------------------------------- */

static enum jx_err
pg_open(const char *target, struct jx_db **out, struct jx_diag *d)
{
	/* connect_timeout comes first: a value in the URL overrides it. */
	const char *keys[] = {"connect_timeout", "fallback_application_name",
	                      "dbname", NULL};
	const char *vals[] = {PG_CONNECT_TIMEOUT, "jixiao", target, NULL};
	char shown[512];
	char why[1024];
	struct jx_db *db = NULL;
	PGresult *res = NULL;
	enum jx_err err = JX_OK;
	int version;

	if (target == NULL || (strncmp(target, "postgresql://", 13) != 0 &&
	                       strncmp(target, "postgres://", 11) != 0)) {
		err = jx_diag_set(d, JX_EDB, "",
		                  "PostgreSQL 连接地址应以 postgresql:// 开头");
		goto done;
	}
	redact_url(target, shown, sizeof(shown));
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "", "内存不足");
		goto done;
	}
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (db->conn == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "", "内存不足");
		goto done;
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		snprintf(why, sizeof(why), "%s", PQerrorMessage(db->conn));
		one_line(why);
		scrub_secrets(why, sizeof(why), target);
		err = jx_diag_set(d, JX_EDB, "",
		                  "无法连接 PostgreSQL 数据库 %s：%s", shown,
		                  why);
		goto done;
	}
	/* Notices ("drop cascades to ...") are not errors; libpq would print
	 * them on stderr. */
	PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
	version = PQserverVersion(db->conn);
	if (version < PG_MIN_VERSION) {
		err = jx_diag_set(
		        d, JX_EDB, "",
		        "PostgreSQL 版本 %d.%d 过低（%s），至少需要 13",
		        version / 10000, version % 10000, shown);
		goto done;
	}
	if (PQsetClientEncoding(db->conn, "UTF8") != 0) {
		snprintf(why, sizeof(why), "%s", PQerrorMessage(db->conn));
		one_line(why);
		err = jx_diag_set(d, JX_EDB, "", "无法设置客户端编码 UTF8：%s",
		                  why);
		goto done;
	}
	/* The placeholder rewriter assumes '' strings without backslash
	 * escapes; times are stored and compared in UTC. */
	err = exec_simple(db,
	                  "SET TIME ZONE 'UTC'; "
	                  "SET standard_conforming_strings = on",
	                  &res, d);
	if (err != JX_OK)
		goto done;
	db->pid = PQbackendPID(db->conn);
	*out = db;
	db = NULL;
done:
	PQclear(res);
	pg_close(db);
	return err;
}

static void
pg_close(struct jx_db *db)
{
	size_t i;

	if (db == NULL)
		return;
	/* The session's prepared statements end with it. */
	PQfinish(db->conn);
	for (i = 0; i < STMT_CACHE; i++)
		free(db->cache[i].text);
	free(db);
}

/* ---- statements ---------------------------------------------------- */

static enum jx_err
pg_exec_script(struct jx_db *db, const char *sql, struct jx_diag *d)
{
	PGresult *res = NULL;
	enum jx_err err;

	/* PQexec runs every statement of the string, in one implicit
	 * transaction unless the script has its own BEGIN/COMMIT. */
	err = exec_simple(db, sql, &res, d);
	PQclear(res);
	return err;
}

static enum jx_err
pg_query(struct jx_db *db, const char *sql, const struct jx_db_param *params,
         size_t n, struct jx_db_stmt **out, struct jx_diag *d)
{
	const char **values = NULL;
	Oid *types = NULL;
	char(*ints)[24] = NULL;
	struct jx_db_stmt *st = NULL;
	PGresult *res = NULL;
	enum jx_err err = JX_OK;
	const char *tuples;
	size_t i;

	if (n > PG_MAX_PARAMS) {
		err = jx_diag_set(d, JX_EDB, "",
		                  "SQL 参数过多（%zu 个，上限 %d）", n,
		                  PG_MAX_PARAMS);
		goto done;
	}
	if (n > 0) {
		values = calloc(n, sizeof(*values));
		types = calloc(n, sizeof(*types));
		ints = calloc(n, sizeof(*ints));
		if (values == NULL || types == NULL || ints == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, "", "内存不足");
			goto done;
		}
	}
	for (i = 0; i < n; i++) {
		switch (params[i].type) {
		case JX_DB_INT:
			/* Typed bigint so that "? + 1" is not done in int4. */
			snprintf(ints[i], sizeof(ints[i]), "%" PRId64,
			         params[i].i);
			values[i] = ints[i];
			types[i] = PG_INT8_OID;
			break;
		case JX_DB_TEXT:
			if (params[i].s == NULL) {
				err = jx_diag_set(d, JX_EDB, "",
				                  "第 %zu 个 SQL "
				                  "参数是文本，但值为空指针",
				                  i + 1);
				goto done;
			}
			values[i] = params[i].s; /* type left to the server */
			break;
		case JX_DB_NULL:
			values[i] = NULL;
			break;
		default:
			err = jx_diag_set(d, JX_EDB, "",
			                  "第 %zu 个 SQL 参数的类型未知",
			                  i + 1);
			goto done;
		}
	}
	err = run(db, sql, n, types, values, &res, d);
	if (err != JX_OK)
		goto done;
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "", "内存不足");
		goto done;
	}
	st->res = res;
	res = NULL;
	st->row = -1;
	st->bad_col = -1;
	if (PQresultStatus(st->res) == PGRES_TUPLES_OK) {
		st->nrows = PQntuples(st->res);
		st->ncols = PQnfields(st->res);
	}
	tuples = PQcmdTuples(st->res);
	if (tuples[0] != '\0' && !parse_int64(tuples, &st->changes)) {
		err = jx_diag_set(d, JX_EDB, "", "无法读取受影响的行数“%s”",
		                  tuples);
		goto done;
	}
	*out = st;
	st = NULL;
done:
	pg_finish(st);
	PQclear(res);
	free(ints);
	free(types);
	free(values);
	return err;
}

/*
 * Run sql with n parameters (types as for PQprepare, values in text),
 * prepared when it is in the cache (see the head of this file). On JX_OK
 * *out is the successful result; otherwise d says why.
 */
static enum jx_err
run(struct jx_db *db, const char *sql, size_t n, const Oid *types,
    const char *const *values, PGresult **out, struct jx_diag *d)
{
	PGTransactionStatusType ts;
	struct stmt_slot *slot = NULL;
	PGresult *res = NULL;
	char *text = NULL;
	char name[NAME_MAX_LEN];
	enum jx_err err = JX_OK;
	bool cache;

	/* Names are the server process's: another one knows none of them. */
	if (PQbackendPID(db->conn) != db->pid)
		forget_all(db);
	ts = PQtransactionStatus(db->conn);
	/* In a failed transaction everything but ROLLBACK fails: the
	 * statement runs unprepared, as always, and the cache is left
	 * alone (DEALLOCATE and PQprepare would fail too). */
	cache = ts == PQTRANS_IDLE || ts == PQTRANS_INTRANS;
	if (cache)
		slot = find_slot(db, sql, n, types);
	if (slot != NULL && slot->id == 0) {
		err = prepare(db, slot, sql, types, d);
		if (err != JX_OK)
			goto done;
	}
	if (slot != NULL) {
		stmt_name(slot->id, name, sizeof(name));
		res = PQexecPrepared(db->conn, name, (int)n, values, NULL, NULL,
		                     0);
		if (result_ok(res) || !drop_stale(db, slot, res) ||
		    ts != PQTRANS_IDLE)
			goto check;
		/* Its prepared form had gone stale, and outside a transaction
		 * the failure undid nothing but itself: run it again. */
		PQclear(res);
		res = NULL;
	}
	err = rewrite_placeholders(sql, n, &text, d);
	if (err != JX_OK)
		goto done;
	if (cache && slot == NULL)
		remember(db, sql, n, types);
	res = PQexecParams(db->conn, text, (int)n, types, values, NULL, NULL,
	                   0);
check:
	if (!result_ok(res)) {
		err = result_error(db->conn, res, d);
		if (PQstatus(db->conn) == CONNECTION_BAD)
			forget_all(db);
		goto done;
	}
	*out = res;
	res = NULL;
done:
	PQclear(res);
	free(text);
	return err;
}

static enum jx_err
pg_step(struct jx_db_stmt *st, struct jx_diag *d)
{
	enum jx_err err = JX_OK;

	if (st->bad_col >= 0) {
		const char *name = PQfname(st->res, st->bad_col);

		err = jx_diag_set(d, JX_EDB, name != NULL ? name : "",
		                  "第 %d 列（%s）的值不是整数", st->bad_col + 1,
		                  name != NULL ? name : "?");
		st->bad_col = -1;
	} else if (st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		err = JX_EEOF;
	} else {
		st->row++;
	}
	return err;
}

static bool
pg_is_null(struct jx_db_stmt *st, int i)
{
	if (st->row < 0 || st->row >= st->nrows || i < 0 || i >= st->ncols)
		return true;
	return PQgetisnull(st->res, st->row, i) != 0;
}

static int64_t
pg_col_int(struct jx_db_stmt *st, int i)
{
	const char *s;
	int64_t v = 0;

	if (pg_is_null(st, i))
		goto done;
	s = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == PG_BOOL_OID) {
		/* SQLite has no booleans: a comparison reads as 1 or 0. */
		v = strcmp(s, "t") == 0;
	} else if (!parse_int64(s, &v)) {
		v = 0;
		if (st->bad_col < 0)
			st->bad_col = i;
	}
done:
	return v;
}

static const char *
pg_col_text(struct jx_db_stmt *st, int i)
{
	if (pg_is_null(st, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

static int64_t
pg_changes(struct jx_db_stmt *st)
{
	return st->changes;
}

static void
pg_finish(struct jx_db_stmt *st)
{
	if (st == NULL)
		return;
	PQclear(st->res);
	free(st);
}

/* ---- statement cache ----------------------------------------------- */

static bool
result_ok(const PGresult *res)
{
	ExecStatusType status =
	        res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
	       status == PGRES_EMPTY_QUERY;
}

/* A parameter's type as kept in a slot: 'b' bigint, '?' left to the
 * server (text and NULL). */
static char
type_letter(Oid type)
{
	return type == PG_INT8_OID ? 'b' : '?';
}

/* The first slot of the set that sql's address belongs to. */
static size_t
slot_set(const char *sql)
{
	return ((uintptr_t)sql >> 3) % (STMT_CACHE / STMT_WAYS) * STMT_WAYS;
}

/* The slot (seen once or prepared) holding sql with these parameter
 * types, or NULL. */
static struct stmt_slot *
find_slot(struct jx_db *db, const char *sql, size_t n, const Oid *types)
{
	size_t base = slot_set(sql);
	size_t len = 0;
	size_t i;
	size_t k;

	for (i = 0; i < STMT_WAYS; i++) {
		struct stmt_slot *s = &db->cache[base + i];

		if (s->key != sql || s->n != n)
			continue;
		if (len == 0)
			len = strlen(sql);
		/* The same address may hold other SQL by now (a buffer). */
		if (s->len != len || memcmp(s->text, sql, len) != 0)
			continue;
		for (k = 0; k < n; k++)
			if (s->text[len + 1 + k] != type_letter(types[k]))
				break;
		if (k == n)
			return s;
	}
	return NULL;
}

/* How much replacing a slot costs: 0 empty, 1 seen once, 2 stale (a
 * DEALLOCATE), 3 prepared (a DEALLOCATE and a statement lost). */
static int
slot_rank(const struct stmt_slot *slot)
{
	return (slot->id != 0) * 2 + (slot->key != NULL);
}

/*
 * Note sql as seen once, in a slot of its set: an empty one, else one
 * whose statement is not prepared, else a stale one, else a prepared one
 * in round-robin order. When memory is short, or a prepared statement
 * cannot be let go now (see evict), sql is not kept: it runs unprepared.
 */
static void
remember(struct jx_db *db, const char *sql, size_t n, const Oid *types)
{
	size_t base = slot_set(sql);
	size_t len = strlen(sql);
	struct stmt_slot *slot = NULL;
	char *text;
	size_t i;

	for (i = 0; i < STMT_WAYS; i++) {
		struct stmt_slot *s =
		        &db->cache[base + (db->victim + i) % STMT_WAYS];

		if (slot == NULL || slot_rank(s) < slot_rank(slot))
			slot = s;
	}
	db->victim++;
	text = malloc(len + 1 + n);
	if (text == NULL)
		return;
	if (!evict(db, slot)) {
		free(text);
		return;
	}
	memcpy(text, sql, len + 1);
	for (i = 0; i < n; i++)
		text[len + 1 + i] = type_letter(types[i]);
	slot->key = sql;
	slot->text = text;
	slot->len = len;
	slot->n = n;
}

/*
 * Empty slot. Its prepared statement, if any, joins the names to
 * DEALLOCATE; when that list is full it is sent first, but only outside a
 * transaction (a failure there ends nothing): inside one, with the list
 * full, the slot is kept and false returned.
 */
static bool
evict(struct jx_db *db, struct stmt_slot *slot)
{
	if (slot->id != 0 && db->ndead == DEAD_MAX &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		flush_dead(db); /* when it fails, slot->id is 0 now */
	if (slot->id != 0) {
		if (db->ndead == DEAD_MAX)
			return false;
		db->dead[db->ndead++] = slot->id;
	}
	clear_slot(slot);
	slot->id = 0;
	return true;
}

/* Forget the SQL a slot was seen with; its name (id) stays. */
static void
clear_slot(struct stmt_slot *slot)
{
	free(slot->text);
	slot->text = NULL;
	slot->key = NULL;
	slot->len = 0;
	slot->n = 0;
}

/* DEALLOCATE the replaced statements, in one round trip. */
static void
flush_dead(struct jx_db *db)
{
	char sql[DEAD_MAX * (NAME_MAX_LEN + 14)];
	PGresult *res;
	size_t o = 0;
	size_t i;

	for (i = 0; i < db->ndead; i++) {
		char name[NAME_MAX_LEN];

		stmt_name(db->dead[i], name, sizeof(name));
		o += (size_t)snprintf(sql + o, sizeof(sql) - o,
		                      "DEALLOCATE %s; ", name);
	}
	db->ndead = 0;
	res = PQexec(db->conn, sql);
	/* Fails only when the connection is gone or the session lost the
	 * names (a DEALLOCATE ALL or DISCARD ALL run through exec_script):
	 * either way what the server holds is no longer known. */
	if (!result_ok(res))
		forget_all(db);
	PQclear(res);
}

/* Empty the cache without telling the server: its session has ended,
 * changed, or no longer holds what the cache says. */
static void
forget_all(struct jx_db *db)
{
	size_t i;

	for (i = 0; i < STMT_CACHE; i++) {
		clear_slot(&db->cache[i]);
		db->cache[i].id = 0;
	}
	db->ndead = 0;
	db->pid = PQbackendPID(db->conn);
}

static void
stmt_name(uint64_t id, char *buf, size_t cap)
{
	snprintf(buf, cap, "jx%" PRIu64, id);
}

/* Prepare the statement of slot (seen once, holding sql) under a new
 * name. A failure is reported as running it would have been: the server
 * parses it the same way. */
static enum jx_err
prepare(struct jx_db *db, struct stmt_slot *slot, const char *sql,
        const Oid *types, struct jx_diag *d)
{
	char name[NAME_MAX_LEN];
	char *text = NULL;
	PGresult *res = NULL;
	enum jx_err err;

	err = rewrite_placeholders(sql, slot->n, &text, d);
	if (err != JX_OK)
		goto done;
	/* Numbers are never reused, so no name is ever prepared twice. */
	stmt_name(++db->last_id, name, sizeof(name));
	res = PQprepare(db->conn, name, text, (int)slot->n, types);
	if (!result_ok(res)) {
		err = result_error(db->conn, res, d);
		if (PQstatus(db->conn) == CONNECTION_BAD)
			forget_all(db);
		goto done;
	}
	slot->id = db->last_id;
done:
	PQclear(res);
	free(text);
	return err;
}

/*
 * Whether res failed because of the prepared form of slot's statement
 * rather than the statement itself: then that form leaves the cache. A
 * result type changed by DDL since it was prepared (0A000, "cached plan
 * must not change result type") makes the slot stale; a name the session
 * no longer knows (26000) means it lost them all.
 */
static bool
drop_stale(struct jx_db *db, struct stmt_slot *slot, const PGresult *res)
{
	const char *state =
	        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (state == NULL)
		return false;
	if (strcmp(state, "26000") == 0) {
		forget_all(db);
		return true;
	}
	if (strcmp(state, "0A000") == 0) {
		clear_slot(slot);
		return true;
	}
	return false;
}

/* ---- transactions and backup --------------------------------------- */

static enum jx_err
pg_begin(struct jx_db *db, struct jx_diag *d)
{
	PGresult *res = NULL;
	enum jx_err err;

	/* PostgreSQL only warns about a nested BEGIN; SQLite refuses it, and
	 * so does this back-end, so that both behave alike. */
	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
		err = jx_diag_set(d, JX_EDB, "",
		                  "事务已在进行中，不能再次开始");
		goto done;
	}
	err = exec_simple(db, "BEGIN ISOLATION LEVEL READ COMMITTED", &res, d);
done:
	PQclear(res);
	return err;
}

static enum jx_err
pg_commit(struct jx_db *db, struct jx_diag *d)
{
	PGresult *res = NULL;
	enum jx_err err;

	/* Like SQLite, and unlike PostgreSQL, which only warns. */
	if (PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
		err = jx_diag_set(d, JX_EDB, "", "没有进行中的事务，无法提交");
		goto done;
	}
	/* A deferred constraint fails here with its own SQLSTATE. */
	err = exec_simple(db, "COMMIT", &res, d);
	if (err != JX_OK)
		goto done;
	/* COMMIT of a transaction that had failed succeeds as a ROLLBACK. */
	if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
		err = jx_diag_set(d, JX_EDB, "",
		                  "事务中有语句失败，事务已回滚，修改均未保存");
done:
	PQclear(res);
	return err;
}

static void
pg_rollback(struct jx_db *db)
{
	/* Nothing to report: a failed ROLLBACK leaves nothing committed. */
	PQclear(PQexec(db->conn, "ROLLBACK"));
}

static enum jx_err
pg_backup(struct jx_db *db, const char *path, struct jx_diag *d)
{
	(void)db;
	(void)path;
	return jx_diag_set(d, JX_EPERM, "",
	                   "PostgreSQL 数据库不能由 jixiao 直接备份，请用 "
	                   "pg_dump 备份，例如：pg_dump -Fc -f jixiao.dump "
	                   "\"postgresql://用户@主机:端口/数据库\"");
}

/* ---- helpers ------------------------------------------------------- */

/* Run sql without parameters; on JX_OK *out is the (last) result. */
static enum jx_err
exec_simple(struct jx_db *db, const char *sql, PGresult **out,
            struct jx_diag *d)
{
	PGresult *res;
	ExecStatusType status;

	res = PQexec(db->conn, sql);
	status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
	    status != PGRES_EMPTY_QUERY) {
		enum jx_err err = result_error(db->conn, res, d);

		PQclear(res);
		return err;
	}
	*out = res;
	return JX_OK;
}

/* The SQLSTATEs that are not plain JX_EDB; d->field gets the constraint
 * or the column the server names. */
enum name_of { NAME_NONE, NAME_CONSTRAINT, NAME_COLUMN };

static const struct {
	const char *state;
	enum jx_err err;
	enum name_of name;
	const char *what; /* zh-CN, followed by the name and the reason */
} sqlstates[] = {
        {"23505", JX_ECONFLICT, NAME_CONSTRAINT, "数据重复，违反唯一约束"},
        {"23P01", JX_ECONFLICT, NAME_CONSTRAINT, "数据冲突，违反排他约束"},
        {"23503", JX_ECONFLICT, NAME_CONSTRAINT,
         "违反外键约束（引用的记录不存在或仍被引用）"},
        {"23001", JX_ECONFLICT, NAME_CONSTRAINT,
         "违反外键约束（记录仍被引用）"},
        {"23502", JX_EINVAL, NAME_COLUMN, "缺少必填的值"},
        {"23514", JX_EINVAL, NAME_CONSTRAINT, "数据不符合检查约束"},
        {"40001", JX_ECONFLICT, NAME_NONE,
         "并发事务冲突（无法串行化），请重试"},
        {"40P01", JX_ECONFLICT, NAME_NONE, "检测到死锁，事务已中止，请重试"},
        {"55P03", JX_ECONFLICT, NAME_NONE, "数据被其他事务锁定，请稍后重试"},
};

/* Map a failed result (res may be NULL) onto enum jx_err and fill d. */
static enum jx_err
result_error(PGconn *conn, const PGresult *res, struct jx_diag *d)
{
	const char *state = NULL;
	const char *msg = NULL;
	const char *name = NULL;
	char why[512];
	enum jx_err err;
	size_t i;

	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	}
	if (msg != NULL)
		snprintf(why, sizeof(why), "%s", msg);
	else if (res != NULL && PQresultStatus(res) != PGRES_FATAL_ERROR &&
	         PQresultStatus(res) != PGRES_NONFATAL_ERROR)
		snprintf(why, sizeof(why), "意外的结果类型 %s",
		         PQresStatus(PQresultStatus(res)));
	else
		snprintf(why, sizeof(why), "%s", PQerrorMessage(conn));
	one_line(why);
	if (state == NULL) {
		if (PQstatus(conn) == CONNECTION_BAD)
			err = jx_diag_set(
			        d, JX_EDB, "",
			        "与 PostgreSQL 数据库的连接已断开：%s", why);
		else
			err = jx_diag_set(d, JX_EDB, "", "数据库错误：%s", why);
		goto done;
	}
	for (i = 0; i < sizeof(sqlstates) / sizeof(sqlstates[0]); i++)
		if (strcmp(state, sqlstates[i].state) == 0)
			break;
	if (i == sizeof(sqlstates) / sizeof(sqlstates[0])) {
		err = jx_diag_set(d, JX_EDB, "",
		                  "数据库错误（SQLSTATE %s）：%s", state, why);
		goto done;
	}
	if (sqlstates[i].name == NAME_CONSTRAINT)
		name = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	else if (sqlstates[i].name == NAME_COLUMN)
		name = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	if (name == NULL)
		name = "";
	err = jx_diag_set(d, sqlstates[i].err, name, "%s%s%s：%s",
	                  sqlstates[i].what, name[0] != '\0' ? " " : "", name,
	                  why);
done:
	return err;
}

static bool
is_ident_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/*
 * Length of the dollar-quote tag at s ("$$" or "$tag$"), 0 if s does not
 * start one. A tag is an identifier that does not start with a digit.
 */
static size_t
dollar_tag(const char *s)
{
	size_t i = 1;
	unsigned char c = (unsigned char)s[1];

	if (c >= '0' && c <= '9')
		return 0;
	while (s[i] != '\0' && s[i] != '$' &&
	       is_ident_char((unsigned char)s[i]))
		i++;
	return s[i] == '$' ? i + 1 : 0;
}

/* Length of the quoted text at s (s[0] == quote) up to and including the
 * closing quote, or to the end when it is not closed. A doubled quote
 * stands for itself; with backslash, "\x" too (E'...' strings). */
static size_t
skip_quoted(const char *s, char quote, bool backslash)
{
	size_t i = 1;

	while (s[i] != '\0') {
		if (backslash && s[i] == '\\' && s[i + 1] != '\0') {
			i += 2;
		} else if (s[i] == quote) {
			if (s[i + 1] != quote)
				return i + 1;
			i += 2;
		} else {
			i++;
		}
	}
	return i;
}

/* Length of the block comment at s ("/" "*"), which nests in SQL. */
static size_t
skip_block_comment(const char *s)
{
	size_t i = 2;
	int depth = 1;

	while (s[i] != '\0' && depth > 0) {
		if (s[i] == '/' && s[i + 1] == '*') {
			depth++;
			i += 2;
		} else if (s[i] == '*' && s[i + 1] == '/') {
			depth--;
			i += 2;
		} else {
			i++;
		}
	}
	return i;
}

/*
 * Copy sql to *out (malloc'd) with the k-th "?" outside literals,
 * identifiers and comments replaced by "$k". The number of placeholders
 * must be nparams.
 */
static enum jx_err
rewrite_placeholders(const char *sql, size_t nparams, char **out,
                     struct jx_diag *d)
{
	size_t len = strlen(sql);
	size_t marks = 0;
	size_t count = 0;
	size_t i = 0;
	size_t o = 0;
	size_t cap;
	size_t skip;
	char *buf;

	for (i = 0; i < len; i++)
		if (sql[i] == '?')
			marks++;
	/* Each "?" grows to at most "$" and 20 digits. */
	if (marks > (SIZE_MAX - len - 1) / 21)
		return jx_diag_set(d, JX_ENOMEM, "", "内存不足");
	cap = len + marks * 20 + 1;
	buf = malloc(cap);
	if (buf == NULL)
		return jx_diag_set(d, JX_ENOMEM, "", "内存不足");
	i = 0;
	while (i < len) {
		const char *p = sql + i;
		unsigned char prev = i > 0 ? (unsigned char)sql[i - 1] : ' ';

		skip = 0;
		if (p[0] == '\'') {
			/* E'...' allows backslash escapes; "TYPE'x'" is not
			 * one. */
			bool e = (prev == 'E' || prev == 'e') &&
			         (i < 2 ||
			          !is_ident_char((unsigned char)sql[i - 2]));

			skip = skip_quoted(p, '\'', e);
		} else if (p[0] == '"') {
			skip = skip_quoted(p, '"', false);
		} else if (p[0] == '-' && p[1] == '-') {
			skip = strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			skip = skip_block_comment(p);
		} else if (p[0] == '$' && !is_ident_char(prev)) {
			size_t tag = dollar_tag(p);

			if (tag > 0) {
				const char *end = p + tag;

				/* Find the closing tag; unclosed runs to the
				 * end. */
				for (;;) {
					end = strchr(end, '$');
					if (end == NULL ||
					    strncmp(end, p, tag) == 0)
						break;
					end++;
				}
				skip = end == NULL ? len - i
				                   : (size_t)(end - p) + tag;
			}
		} else if (p[0] == '?') {
			int w;

			count++;
			w = snprintf(buf + o, cap - o, "$%zu", count);
			if (w < 0 || (size_t)w >= cap - o) {
				free(buf);
				return jx_diag_set(d, JX_ENOMEM, "",
				                   "内存不足");
			}
			o += (size_t)w;
			i++;
			continue;
		}
		if (skip == 0)
			skip = 1;
		memcpy(buf + o, p, skip);
		o += skip;
		i += skip;
	}
	buf[o] = '\0';
	if (count != nparams) {
		free(buf);
		return jx_diag_set(
		        d, JX_EDB, "",
		        "SQL 语句有 %zu 个占位符，但给出了 %zu 个参数", count,
		        nparams);
	}
	*out = buf;
	return JX_OK;
}

_Static_assert(LLONG_MAX == INT64_MAX && LLONG_MIN == INT64_MIN,
               "long long is int64_t");

/* Strict decimal int64: optional "-", digits only, whole string, in range. */
static bool
parse_int64(const char *s, int64_t *out)
{
	char *end = NULL;
	long long v;

	if (!(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return false;
	if (s[0] == '-' && !(s[1] >= '0' && s[1] <= '9'))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return false;
	*out = (int64_t)v;
	return true;
}

static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Make a libpq message one line: its line breaks and the indentation
 * after them become one space; trailing blanks go. */
static void
one_line(char *s)
{
	size_t i = 0;
	size_t o = 0;

	while (s[i] != '\0') {
		if (s[i] == '\n' || s[i] == '\r') {
			while (s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ||
			       s[i] == ' ')
				i++;
			if (s[i] != '\0' && o > 0)
				s[o++] = ' ';
			continue;
		}
		s[o++] = s[i++];
	}
	while (o > 0 && (s[o - 1] == ' ' || s[o - 1] == '\t'))
		o--;
	s[o] = '\0';
}

/*
 * The spans of url that hold a password, still percent-encoded: the one in
 * the user information "user:password@" and the value of each "password="
 * query parameter. Returns how many were found, at most max.
 */
static size_t
password_spans(const char *url, struct span *spans, size_t max)
{
	const char *p = strstr(url, "://");
	const char *at;
	const char *colon;
	const char *q;
	size_t n = 0;

	if (p == NULL)
		return 0;
	p += 3;
	/* Like libpq: user information ends at the first "@" before any "/". */
	at = p + strcspn(p, "@/");
	if (*at == '@') {
		colon = memchr(p, ':', (size_t)(at - p));
		if (colon != NULL && n < max) {
			spans[n].off = (size_t)(colon + 1 - url);
			spans[n].len = (size_t)(at - colon - 1);
			n++;
		}
	}
	q = strchr(p, '?');
	while (q != NULL && n < max) {
		q++;
		if (strncmp(q, "password=", 9) == 0) {
			q += 9;
			spans[n].off = (size_t)(q - url);
			spans[n].len = strcspn(q, "&");
			n++;
		}
		q = strchr(q, '&');
	}
	return n;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the %XX escapes of in[0..n) into out (room for n + 1 bytes);
 * bad escapes are copied as they are. Returns the decoded length. */
static size_t
percent_decode(const char *in, size_t n, char *out)
{
	size_t i = 0;
	size_t o = 0;

	while (i < n) {
		if (in[i] == '%' && i + 2 < n && hex_value(in[i + 1]) >= 0 &&
		    hex_value(in[i + 2]) >= 0) {
			out[o++] = (char)(hex_value(in[i + 1]) * 16 +
			                  hex_value(in[i + 2]));
			i += 3;
		} else {
			out[o++] = in[i++];
		}
	}
	out[o] = '\0';
	return o;
}

/* Copy url to out (cut to fit) with every password replaced by "***".
 * Needs at most strlen(url) + 3 * MAX_SECRETS + 1 bytes. */
static void
redact_url(const char *url, char *out, size_t cap)
{
	struct span spans[MAX_SECRETS];
	size_t ns = password_spans(url, spans, MAX_SECRETS);
	size_t i = 0;
	size_t o = 0;
	size_t k;

	while (url[i] != '\0' && o + 1 < cap) {
		for (k = 0; k < ns; k++)
			if (spans[k].off == i)
				break;
		if (k < ns) {
			if (o + 3 >= cap)
				break;
			memcpy(out + o, "***", 3);
			o += 3;
			i += spans[k].len;
			continue;
		}
		out[o++] = url[i++];
	}
	out[o] = '\0';
}

/* Replace every occurrence of find[0..n) in msg (room for cap bytes) by
 * repl. Where a replacement does not fit, msg is cut before it. */
static void
replace_all(char *msg, size_t cap, const char *find, size_t n, const char *repl)
{
	size_t r = strlen(repl);
	char *from = msg;
	char *hit;
	size_t rest;

	if (n == 0)
		return;
	for (;;) {
		hit = from;
		while (*hit != '\0' && strncmp(hit, find, n) != 0)
			hit++;
		if (*hit == '\0')
			return;
		rest = strlen(hit + n);
		if (r > n && (size_t)(hit - msg) + r + rest + 1 > cap) {
			hit[0] = '\0';
			return;
		}
		memmove(hit + r, hit + n, rest + 1);
		memcpy(hit, repl, r);
		from = hit + r;
	}
}

/*
 * Scrub msg of the passwords of url. libpq quotes the whole URL or the
 * password (as written, or decoded) when it cannot parse them: the URL is
 * replaced by its redacted form, a quoted password by "***", and a
 * password of 6 or more bytes wherever it appears (a shorter one would
 * mangle ordinary words). When there is no memory for this, the whole
 * message goes.
 */
static void
scrub_secrets(char *msg, size_t cap, const char *url)
{
	struct span spans[MAX_SECRETS];
	size_t ns = password_spans(url, spans, MAX_SECRETS);
	size_t len = strlen(url);
	char *shown = NULL;
	char *work = NULL;
	size_t k;
	size_t n;
	int pass;

	if (ns == 0)
		return;
	shown = malloc(len + 3 * MAX_SECRETS + 1);
	work = malloc(len + 3);
	if (shown == NULL || work == NULL) {
		snprintf(msg, cap, "（详情已隐藏）");
		goto done;
	}
	redact_url(url, shown, len + 3 * MAX_SECRETS + 1);
	replace_all(msg, cap, url, len, shown);
	for (k = 0; k < ns; k++) {
		for (pass = 0; pass < 2; pass++) {
			const char *raw = url + spans[k].off;

			work[0] = '"';
			if (pass == 0) {
				memcpy(work + 1, raw, spans[k].len);
				n = spans[k].len;
			} else {
				n = percent_decode(raw, spans[k].len, work + 1);
			}
			work[n + 1] = '"';
			work[n + 2] = '\0';
			replace_all(msg, cap, work, n + 2, "\"***\"");
			if (n >= 6)
				replace_all(msg, cap, work + 1, n, "***");
		}
	}
done:
	free(work);
	free(shown);
}
