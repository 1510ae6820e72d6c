/*
 * test_db_pg.c - the PostgreSQL back-end (src/store/store_pg.c) through
 * its struct jx_db_ops: connecting and masking passwords, "?" placeholders
 * rewritten outside literals, parameters and columns, the SQLSTATE
 * mapping, transactions, locks between two connections, backup refusal,
 * and the cache of prepared statements (one statement reused, a buffer
 * reused for other SQL, failures inside transactions, DDL and lost names,
 * more statements than the cache holds, a connection that died).
 *
 * Needs a server: JX_TEST_PG_URL names a database where the test may
 * create schemas (scripts/with-postgres.sh starts a throw-away one). Each
 * test works in its own schema, dropped afterwards. Without the variable
 * the tests that need a server are skipped, unless JX_TEST_PG_REQUIRED=1
 * (CI), then they fail. The tests of bad URLs need no server.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/store/backend.h"

#define DB (&jx_db_pg)

struct fx {
	const char *url;
	char schema[64];
	struct jx_db *db;
};

/* ---- fixture ------------------------------------------------------- */

static const char *
test_url(void)
{
	const char *url = getenv("JX_TEST_PG_URL");

	return url != NULL && url[0] != '\0' ? url : NULL;
}

/* The fixture, or skip (fail when JX_TEST_PG_REQUIRED=1) without a server. */
static struct fx *
need_pg(void **state)
{
	const char *req = getenv("JX_TEST_PG_REQUIRED");

	if (*state == NULL) {
		if (req != NULL && strcmp(req, "1") == 0)
			fail_msg("JX_TEST_PG_REQUIRED=1 but JX_TEST_PG_URL is "
			         "not "
			         "set (run under scripts/with-postgres.sh)");
		skip();
	}
	return *state;
}

/* Run sql (no parameters) and expect JX_OK. */
static void
run_ok(struct jx_db *db, const char *sql)
{
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = DB->exec_script(db, sql, &d);
	if (err != JX_OK)
		fail_msg("%s: %s: %s", sql, jx_err_name(err), d.message);
}

/* A new connection working in the fixture's schema. */
static struct jx_db *
connect_fx(const struct fx *fx)
{
	struct jx_db *db = NULL;
	struct jx_diag d;
	char sql[128];
	enum jx_err err;

	jx_diag_clear(&d);
	err = DB->open(fx->url, &db, &d);
	if (err != JX_OK)
		fail_msg("open: %s: %s", jx_err_name(err), d.message);
	snprintf(sql, sizeof(sql), "SET search_path TO %s", fx->schema);
	run_ok(db, sql);
	return db;
}

static int
setup(void **state)
{
	static int serial;
	struct fx *fx;
	char sql[256];

	*state = NULL;
	if (test_url() == NULL)
		return 0;
	fx = calloc(1, sizeof(*fx));
	if (fx == NULL)
		return -1;
	fx->url = test_url();
	snprintf(fx->schema, sizeof(fx->schema), "jxt_%ld_%d", (long)getpid(),
	         ++serial);
	fx->db = connect_fx(fx);
	snprintf(sql, sizeof(sql),
	         "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
	         fx->schema, fx->schema);
	run_ok(fx->db, sql);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	struct jx_diag d;
	char sql[128];
	enum jx_err err;

	if (fx == NULL)
		return 0;
	DB->rollback(fx->db); /* a test may have left a transaction open */
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE",
	         fx->schema);
	err = DB->exec_script(fx->db, sql, &d);
	DB->close(fx->db);
	free(fx);
	return err == JX_OK ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------- */

static struct jx_db_param
p_int(int64_t v)
{
	struct jx_db_param p = {JX_DB_INT, v, NULL};

	return p;
}

static struct jx_db_param
p_text(const char *s)
{
	struct jx_db_param p = {JX_DB_TEXT, 0, s};

	return p;
}

static struct jx_db_param
p_null(void)
{
	struct jx_db_param p = {JX_DB_NULL, 0, NULL};

	return p;
}

/* Run a statement that must succeed; returns it positioned before row 0. */
static struct jx_db_stmt *
query_ok(struct jx_db *db, const char *sql, const struct jx_db_param *p,
         size_t n)
{
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = DB->query(db, sql, p, n, &st, &d);
	if (err != JX_OK)
		fail_msg("%s: %s: %s", sql, jx_err_name(err), d.message);
	assert_non_null(st);
	return st;
}

/* Run a statement that must fail with want; its message goes to d. */
static void
query_fails(struct jx_db *db, const char *sql, const struct jx_db_param *p,
            size_t n, enum jx_err want, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	jx_diag_clear(d);
	err = DB->query(db, sql, p, n, &st, d);
	if (err != want)
		fail_msg("%s: got %s (%s), want %s", sql, jx_err_name(err),
		         d->message, jx_err_name(want));
	assert_null(st);
	assert_true(d->message[0] != '\0');
}

/* The integer in the only row of a query without parameters. */
static int64_t
scalar(struct jx_db *db, const char *sql)
{
	struct jx_db_stmt *st = query_ok(db, sql, NULL, 0);
	struct jx_diag d;
	int64_t v;

	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_false(DB->is_null(st, 0));
	v = DB->col_int(st, 0);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);
	return v;
}

/* ---- tests --------------------------------------------------------- */

/* The name, and the primary-key clause numbering rows 1, 2, ... */
static void
test_pk_clause(void **state)
{
	struct fx *fx = need_pg(state);
	char sql[256];

	assert_string_equal(DB->name, "postgresql");
	snprintf(sql, sizeof(sql), "CREATE TABLE t (id %s, s TEXT)",
	         DB->pk_clause);
	run_ok(fx->db, sql);
	run_ok(fx->db, "INSERT INTO t (s) VALUES ('a'); "
	               "INSERT INTO t (s) VALUES ('b')");
	assert_int_equal(scalar(fx->db, "SELECT min(id) FROM t"), 1);
	assert_int_equal(scalar(fx->db, "SELECT max(id) FROM t"), 2);
	/* BY DEFAULT: an explicit id is accepted too. */
	run_ok(fx->db, "INSERT INTO t (id, s) VALUES (100, 'c')");
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 3);
}

/* Session settings made by open. */
static void
test_session(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;

	st = query_ok(
	        fx->db,
	        "SELECT current_setting('TimeZone'), "
	        "current_setting('client_encoding'), "
	        "current_setting('standard_conforming_strings'), "
	        "?::text, length(?), to_char(TIMESTAMPTZ "
	        "'2024-01-01 08:00:00+08', 'HH24:MI')",
	        (struct jx_db_param[]){p_text("中文“引号”'\\"), p_text("中文")},
	        2);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_string_equal(DB->col_text(st, 0), "UTC");
	assert_string_equal(DB->col_text(st, 1), "UTF8");
	assert_string_equal(DB->col_text(st, 2), "on");
	assert_string_equal(DB->col_text(st, 3), "中文“引号”'\\");
	assert_int_equal(DB->col_int(st, 4), 2); /* characters, not bytes */
	assert_string_equal(DB->col_text(st, 5), "00:00");
	DB->finish(st);
	/* Also opens with the "postgres://" scheme. */
	{
		char url[1024];
		struct jx_db *db2 = NULL;
		const char *rest = strstr(fx->url, "://");

		assert_non_null(rest);
		snprintf(url, sizeof(url), "postgres%s", rest);
		jx_diag_clear(&d);
		assert_int_equal(DB->open(url, &db2, &d), JX_OK);
		DB->close(db2);
	}
	DB->close(NULL);
	DB->finish(NULL);
}

/* INSERT with int, text and NULL parameters and RETURNING id; read back. */
static void
test_insert_params(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;
	char sql[256];
	int64_t id1, id2;

	snprintf(sql, sizeof(sql),
	         "CREATE TABLE t (id %s, n BIGINT, s TEXT, z TEXT)",
	         DB->pk_clause);
	run_ok(fx->db, sql);

	st = query_ok(
	        fx->db, "INSERT INTO t (n, s, z) VALUES (?, ?, ?) RETURNING id",
	        (struct jx_db_param[]){p_int(INT64_MAX),
	                               p_text("预算 'x' \"y\" ?"), p_null()},
	        3);
	assert_int_equal(DB->changes(st), 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	id1 = DB->col_int(st, 0);
	assert_true(id1 > 0);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);

	st = query_ok(fx->db,
	              "INSERT INTO t (n, s, z) VALUES (?, ?, ?) RETURNING id",
	              (struct jx_db_param[]){p_int(INT64_MIN), p_text(""),
	                                     p_text("z")},
	              3);
	assert_int_equal(DB->step(st, &d), JX_OK);
	id2 = DB->col_int(st, 0);
	assert_true(id2 > id1);
	DB->finish(st);

	st = query_ok(fx->db, "SELECT n, s, z FROM t WHERE id = ?",
	              (struct jx_db_param[]){p_int(id1)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_false(DB->is_null(st, 0));
	assert_true(DB->col_int(st, 0) == INT64_MAX);
	assert_string_equal(DB->col_text(st, 1), "预算 'x' \"y\" ?");
	assert_true(DB->is_null(st, 2));
	assert_null(DB->col_text(st, 2));
	assert_int_equal(DB->col_int(st, 2), 0);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);

	st = query_ok(fx->db, "SELECT n, s, z FROM t WHERE id = ?",
	              (struct jx_db_param[]){p_int(id2)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_true(DB->col_int(st, 0) == INT64_MIN);
	assert_false(DB->is_null(st, 1)); /* '' is not NULL */
	assert_string_equal(DB->col_text(st, 1), "");
	assert_string_equal(DB->col_text(st, 2), "z");
	DB->finish(st);

	/* An int parameter is a bigint: no int4 overflow in arithmetic. */
	st = query_ok(fx->db, "SELECT ? + 1",
	              (struct jx_db_param[]){p_int(5000000000)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_true(DB->col_int(st, 0) == 5000000001);
	DB->finish(st);
	/* ... and a bigint overflow is an error, not a wrap. */
	query_fails(fx->db, "SELECT ? + 1",
	            (struct jx_db_param[]){p_int(INT64_MAX)}, 1, JX_EDB, &d);
	/* A text parameter goes into a BIGINT column. */
	st = query_ok(fx->db, "UPDATE t SET n = ? WHERE id = ?",
	              (struct jx_db_param[]){p_text("42"), p_int(id2)}, 2);
	assert_int_equal(DB->changes(st), 1);
	DB->finish(st);
	assert_int_equal(scalar(fx->db, "SELECT sum(n) FROM t WHERE n = 42"),
	                 42);
}

/* "?" inside literals, quoted identifiers and comments is left alone. */
static void
test_placeholders(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;

	st = query_ok(fx->db,
	              "SELECT 'a?b', ?, E'c\\'?', $$d?$$, $t$e?$$?$t$, "
	              "\"wh?t\", 'it''s?', ? /* ? /* ? */ ? */ -- ?\n"
	              "FROM (SELECT 1 AS \"wh?t\") AS x WHERE 1 = 1",
	              (struct jx_db_param[]){p_text("P"), p_int(7)}, 2);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_string_equal(DB->col_text(st, 0), "a?b");
	assert_string_equal(DB->col_text(st, 1), "P");
	assert_string_equal(DB->col_text(st, 2), "c'?");
	assert_string_equal(DB->col_text(st, 3), "d?");
	assert_string_equal(DB->col_text(st, 4), "e?$$?");
	assert_int_equal(DB->col_int(st, 5), 1);
	assert_string_equal(DB->col_text(st, 6), "it's?");
	assert_int_equal(DB->col_int(st, 7), 7);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);

	/* A "?" in a literal is not a placeholder, so the count is wrong. */
	query_fails(fx->db, "SELECT '?'", (struct jx_db_param[]){p_int(1)}, 1,
	            JX_EDB, &d);
	assert_non_null(strstr(d.message, "占位符"));
	query_fails(fx->db, "SELECT ?, ?", (struct jx_db_param[]){p_int(1)}, 1,
	            JX_EDB, &d);
	query_fails(fx->db, "SELECT ?", NULL, 0, JX_EDB, &d);
	/* An identifier ending in E before a quote is no E'' string. */
	st = query_ok(fx->db, "SELECT 'x\\' AS \"TYPE\", ?",
	              (struct jx_db_param[]){p_text("q")}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_string_equal(DB->col_text(st, 0), "x\\");
	assert_string_equal(DB->col_text(st, 1), "q");
	DB->finish(st);
}

/* SELECT several rows; stepping past the end; columns out of range. */
static void
test_select_rows(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;
	int64_t want = 1;

	run_ok(fx->db, "CREATE TABLE t (k BIGINT, v TEXT); "
	               "INSERT INTO t VALUES (3, 'c'), (1, 'a'), (2, 'b')");
	st = query_ok(fx->db, "SELECT k, v FROM t WHERE k >= ? ORDER BY k",
	              (struct jx_db_param[]){p_int(1)}, 1);
	/* Before the first step there is no row. */
	assert_true(DB->is_null(st, 0));
	assert_null(DB->col_text(st, 0));
	while (DB->step(st, &d) == JX_OK) {
		char v[2] = {(char)('a' + want - 1), '\0'};

		assert_int_equal(DB->col_int(st, 0), want);
		assert_string_equal(DB->col_text(st, 1), v);
		/* Columns out of range read as NULL. */
		assert_true(DB->is_null(st, 2));
		assert_true(DB->is_null(st, -1));
		assert_null(DB->col_text(st, 9));
		assert_int_equal(DB->col_int(st, 9), 0);
		want++;
	}
	assert_int_equal(want, 4);
	assert_int_equal(DB->step(st, &d), JX_EEOF); /* stays at the end */
	assert_null(DB->col_text(st, 0));
	DB->finish(st);

	/* No rows. */
	st = query_ok(fx->db, "SELECT k FROM t WHERE k > ?",
	              (struct jx_db_param[]){p_int(10)}, 1);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);
}

struct int_case {
	const char *expr; /* a SELECT list of one column */
	bool ok;
	int64_t want;
};

static const struct int_case int_cases[] = {
        /* plain */
        {"'12'", true, 12},
        {"'-7'", true, -7},
        {"'0'", true, 0},
        /* limits */
        {"'9223372036854775807'", true, INT64_MAX},
        {"'-9223372036854775808'", true, INT64_MIN},
        /* a bigint column, and sum(bigint), which is numeric */
        {"CAST(5 AS BIGINT)", true, 5},
        {"sum(x) FROM (VALUES (CAST(2 AS BIGINT)), (3)) AS v(x)", true, 5},
        /* booleans read as 1 and 0 */
        {"1 = 1", true, 1},
        {"1 = 2", true, 0},
        /* out of range */
        {"'9223372036854775808'", false, 0},
        {"'-9223372036854775809'", false, 0},
        /* trailing garbage, blanks, signs, empty, fractions */
        {"'12abc'", false, 0},
        {"' 5'", false, 0},
        {"'5 '", false, 0},
        {"'+5'", false, 0},
        {"''", false, 0},
        {"'-'", false, 0},
        {"1.5", false, 0},
        {"'0x10'", false, 0},
};

/* col_int parses strictly; text that is not an integer fails the next
 * step instead of reading as a guess. */
static void
test_col_int_strict(void **state)
{
	struct fx *fx = need_pg(state);
	size_t i;

	for (i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++) {
		const struct int_case *c = &int_cases[i];
		struct jx_db_stmt *st;
		struct jx_diag d;
		char sql[256];
		int64_t v;

		snprintf(sql, sizeof(sql), "SELECT %s", c->expr);
		st = query_ok(fx->db, sql, NULL, 0);
		assert_int_equal(DB->step(st, &d), JX_OK);
		v = DB->col_int(st, 0);
		jx_diag_clear(&d);
		if (c->ok) {
			if (v != c->want)
				fail_msg("%s: got %" PRId64, c->expr, v);
			assert_int_equal(DB->step(st, &d), JX_EEOF);
		} else {
			if (v != 0)
				fail_msg("%s: got %" PRId64, c->expr, v);
			if (DB->step(st, &d) != JX_EDB)
				fail_msg("%s: step after a bad column",
				         c->expr);
			assert_non_null(strstr(d.message, "不是整数"));
		}
		DB->finish(st);
	}
}

/* changes counts the rows of INSERT, UPDATE, DELETE; commands without
 * rows step straight to the end. */
static void
test_changes(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;

	st = query_ok(fx->db, "CREATE TABLE t (k BIGINT, v TEXT)", NULL, 0);
	assert_int_equal(DB->changes(st), 0);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);
	st = query_ok(fx->db, "INSERT INTO t VALUES (?, 'a'), (?, 'b'), (3, ?)",
	              (struct jx_db_param[]){p_int(1), p_int(2), p_null()}, 3);
	assert_int_equal(DB->changes(st), 3);
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);
	st = query_ok(fx->db, "UPDATE t SET v = ? WHERE k >= ?",
	              (struct jx_db_param[]){p_text("x"), p_int(2)}, 2);
	assert_int_equal(DB->changes(st), 2);
	DB->finish(st);
	st = query_ok(fx->db, "DELETE FROM t WHERE k > ?",
	              (struct jx_db_param[]){p_int(100)}, 1);
	assert_int_equal(DB->changes(st), 0);
	DB->finish(st);
	st = query_ok(fx->db, "DELETE FROM t WHERE v = 'x'", NULL, 0);
	assert_int_equal(DB->changes(st), 2);
	DB->finish(st);
	/* ON CONFLICT DO NOTHING changes nothing. */
	run_ok(fx->db, "CREATE UNIQUE INDEX t_k ON t (k)");
	st = query_ok(fx->db,
	              "INSERT INTO t VALUES (?, 'y') ON CONFLICT DO NOTHING",
	              (struct jx_db_param[]){p_int(1)}, 1);
	assert_int_equal(DB->changes(st), 0);
	DB->finish(st);
}

/* Constraint violations: unique and foreign key are conflicts, not null
 * and check are invalid data; the message names the constraint. */
static void
test_constraints(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_diag d;
	char sql[512];

	snprintf(
	        sql, sizeof(sql),
	        "CREATE TABLE p (id %s, code TEXT NOT NULL UNIQUE, "
	        "n BIGINT CHECK (n >= 0)); "
	        "CREATE TABLE c (id %s, p_id BIGINT NOT NULL REFERENCES p(id))",
	        DB->pk_clause, DB->pk_clause);
	run_ok(fx->db, sql);
	run_ok(fx->db, "INSERT INTO p (code, n) VALUES ('a', 1)");

	query_fails(fx->db, "INSERT INTO p (code, n) VALUES (?, ?)",
	            (struct jx_db_param[]){p_text("a"), p_int(2)}, 2,
	            JX_ECONFLICT, &d);
	assert_non_null(strstr(d.message, "唯一"));
	assert_string_equal(d.field, "p_code_key");

	query_fails(fx->db, "INSERT INTO p (code, n) VALUES (?, ?)",
	            (struct jx_db_param[]){p_null(), p_int(2)}, 2, JX_EINVAL,
	            &d);
	assert_string_equal(d.field, "code");

	query_fails(fx->db, "INSERT INTO p (code, n) VALUES (?, ?)",
	            (struct jx_db_param[]){p_text("b"), p_int(-1)}, 2,
	            JX_EINVAL, &d);
	assert_non_null(strstr(d.message, "检查约束"));
	assert_string_equal(d.field, "p_n_check");

	/* A child of a parent that does not exist. */
	query_fails(fx->db, "INSERT INTO c (p_id) VALUES (?)",
	            (struct jx_db_param[]){p_int(999)}, 1, JX_ECONFLICT, &d);
	assert_non_null(strstr(d.message, "外键"));
	/* Deleting a parent that still has a child. */
	run_ok(fx->db, "INSERT INTO c (p_id) SELECT id FROM p");
	query_fails(fx->db, "DELETE FROM p WHERE code = ?",
	            (struct jx_db_param[]){p_text("a")}, 1, JX_ECONFLICT, &d);
	/* Other errors are JX_EDB with the SQLSTATE. */
	query_fails(fx->db, "SELECT * FROM no_such_table", NULL, 0, JX_EDB, &d);
	assert_non_null(strstr(d.message, "42P01"));
	query_fails(fx->db, "SELECT ?::bigint",
	            (struct jx_db_param[]){p_text("abc")}, 1, JX_EDB, &d);
	/* Nothing was changed by the failures. */
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM p"), 1);
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM c"), 1);
}

/* exec_script runs several statements, all or nothing. */
static void
test_exec_script(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_diag d;

	run_ok(fx->db, "CREATE TABLE a (x BIGINT); INSERT INTO a VALUES (1); "
	               "INSERT INTO a VALUES (2);");
	assert_int_equal(scalar(fx->db, "SELECT sum(x) FROM a"), 3);
	jx_diag_clear(&d);
	assert_int_equal(DB->exec_script(fx->db,
	                                 "CREATE TABLE b (x BIGINT); "
	                                 "INSERT INTO a VALUES (10); "
	                                 "INSERT INTO nosuch VALUES (1)",
	                                 &d),
	                 JX_EDB);
	assert_non_null(strstr(d.message, "nosuch"));
	/* The script's earlier statements were undone with it. */
	assert_int_equal(scalar(fx->db, "SELECT to_regclass('b') IS NULL"), 1);
	assert_int_equal(scalar(fx->db, "SELECT sum(x) FROM a"), 3);
	/* A script that breaks a unique constraint is a conflict. */
	run_ok(fx->db, "CREATE UNIQUE INDEX a_x ON a (x)");
	assert_int_equal(
	        DB->exec_script(fx->db, "INSERT INTO a VALUES (1)", &d),
	        JX_ECONFLICT);
	/* An empty script is fine. */
	run_ok(fx->db, "");
}

/* rollback discards; a failed statement dooms the transaction and its
 * COMMIT fails; a deferred constraint fails at COMMIT. */
static void
test_rollback(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db *other;
	struct jx_db_stmt *st;
	struct jx_diag d;

	run_ok(fx->db, "CREATE TABLE t (k BIGINT PRIMARY KEY)");
	/* Like SQLite: COMMIT without a transaction and a nested BEGIN fail. */
	assert_int_equal(DB->commit(fx->db, &d), JX_EDB);
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	jx_diag_clear(&d);
	assert_int_equal(DB->begin(fx->db, &d), JX_EDB);
	assert_non_null(strstr(d.message, "事务"));
	st = query_ok(fx->db, "INSERT INTO t VALUES (?)",
	              (struct jx_db_param[]){p_int(1)}, 1);
	DB->finish(st);
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 1);
	/* Not visible to another connection before commit. */
	other = connect_fx(fx);
	assert_int_equal(scalar(other, "SELECT count(*) FROM t"), 0);
	DB->rollback(fx->db);
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 0);

	/* A failed statement inside a transaction. */
	run_ok(fx->db, "INSERT INTO t VALUES (5)");
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	st = query_ok(fx->db, "INSERT INTO t VALUES (?)",
	              (struct jx_db_param[]){p_int(6)}, 1);
	DB->finish(st);
	query_fails(fx->db, "INSERT INTO t VALUES (?)",
	            (struct jx_db_param[]){p_int(5)}, 1, JX_ECONFLICT, &d);
	/* Everything after it fails until the transaction ends ... */
	query_fails(fx->db, "SELECT 1", NULL, 0, JX_EDB, &d);
	/* ... and COMMIT reports that nothing was kept. */
	jx_diag_clear(&d);
	assert_int_equal(DB->commit(fx->db, &d), JX_EDB);
	assert_non_null(strstr(d.message, "回滚"));
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 1);
	assert_int_equal(scalar(other, "SELECT count(*) FROM t"), 1);

	/* A deferred foreign key is checked by COMMIT. */
	run_ok(fx->db, "CREATE TABLE c (p BIGINT REFERENCES t(k) "
	               "DEFERRABLE INITIALLY DEFERRED)");
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	run_ok(fx->db, "INSERT INTO c VALUES (404)");
	jx_diag_clear(&d);
	assert_int_equal(DB->commit(fx->db, &d), JX_ECONFLICT);
	assert_non_null(strstr(d.message, "外键"));
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM c"), 0);
	DB->close(other);
}

/* commit keeps the rows, also for a new connection. */
static void
test_commit_persists(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;

	run_ok(fx->db, "CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)");
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	st = query_ok(fx->db, "INSERT INTO t VALUES (?, ?), (?, ?)",
	              (struct jx_db_param[]){p_int(1), p_text("一"), p_int(2),
	                                     p_text("二")},
	              4);
	assert_int_equal(DB->changes(st), 2);
	DB->finish(st);
	assert_int_equal(DB->commit(fx->db, &d), JX_OK);
	DB->close(fx->db);
	fx->db = connect_fx(fx);
	st = query_ok(fx->db, "SELECT v FROM t WHERE k = ?",
	              (struct jx_db_param[]){p_int(2)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_string_equal(DB->col_text(st, 0), "二");
	DB->finish(st);
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 2);
}

/* Two connections: a row locked by one is a conflict for the other
 * (NOWAIT, lock timeout), and a serialization failure is a conflict. */
static void
test_locks(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_db *b;
	struct jx_db_stmt *st;
	struct jx_diag d;

	run_ok(fx->db, "CREATE TABLE t (k BIGINT PRIMARY KEY, v BIGINT); "
	               "INSERT INTO t VALUES (1, 0), (2, 0)");
	b = connect_fx(fx);

	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	st = query_ok(fx->db, "SELECT v FROM t WHERE k = ? FOR UPDATE",
	              (struct jx_db_param[]){p_int(1)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	DB->finish(st);

	query_fails(b, "SELECT v FROM t WHERE k = ? FOR UPDATE NOWAIT",
	            (struct jx_db_param[]){p_int(1)}, 1, JX_ECONFLICT, &d);
	assert_non_null(strstr(d.message, "锁定"));
	/* A writer that gives up waiting. */
	run_ok(b, "SET lock_timeout = '200ms'");
	query_fails(b, "UPDATE t SET v = v + 1 WHERE k = ?",
	            (struct jx_db_param[]){p_int(1)}, 1, JX_ECONFLICT, &d);
	/* Another row is free. */
	st = query_ok(b, "UPDATE t SET v = v + 1 WHERE k = ?",
	              (struct jx_db_param[]){p_int(2)}, 1);
	assert_int_equal(DB->changes(st), 1);
	DB->finish(st);

	DB->rollback(fx->db);
	st = query_ok(b, "SELECT v FROM t WHERE k = ? FOR UPDATE NOWAIT",
	              (struct jx_db_param[]){p_int(1)}, 1);
	DB->finish(st);

	/* Serialization failure: b's snapshot predates a's committed change. */
	run_ok(b, "BEGIN ISOLATION LEVEL REPEATABLE READ");
	assert_int_equal(scalar(b, "SELECT v FROM t WHERE k = 1"), 0);
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	run_ok(fx->db, "UPDATE t SET v = 10 WHERE k = 1");
	assert_int_equal(DB->commit(fx->db, &d), JX_OK);
	query_fails(b, "UPDATE t SET v = v + 1 WHERE k = ?",
	            (struct jx_db_param[]){p_int(1)}, 1, JX_ECONFLICT, &d);
	assert_non_null(strstr(d.message, "重试"));
	DB->rollback(b);
	assert_int_equal(scalar(b, "SELECT v FROM t WHERE k = 1"), 10);
	DB->close(b);
}

/* backup is refused and points at pg_dump; no file is written. */
static void
test_backup(void **state)
{
	struct fx *fx = need_pg(state);
	struct jx_diag d;
	char path[128];

	snprintf(path, sizeof(path), "/tmp/jx-test-pg-backup-%ld.db",
	         (long)getpid());
	jx_diag_clear(&d);
	assert_int_equal(DB->backup(fx->db, path, &d), JX_EPERM);
	assert_non_null(strstr(d.message, "pg_dump"));
	assert_int_equal(access(path, F_OK), -1);
}

/* ---- statement cache ------------------------------------------------ */

/* Statements this connection has prepared (the cache's "jx" names) whose
 * text is LIKE pattern; this query itself is not counted. */
static int64_t
prepared_like(struct jx_db *db, const char *pattern)
{
	struct jx_db_stmt *st;
	struct jx_diag d;
	int64_t v;

	st = query_ok(db,
	              "SELECT count(*) FROM pg_prepared_statements "
	              "WHERE name LIKE 'jx%' AND statement LIKE ? "
	              "AND statement NOT LIKE '%pg_prepared_statements%'",
	              (struct jx_db_param[]){p_text(pattern)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	v = DB->col_int(st, 0);
	DB->finish(st);
	return v;
}

/* The text in the only row of sql, or NULL for a NULL column. */
static char *
text_of(struct jx_db *db, const char *sql, const struct jx_db_param *p,
        size_t n, char *buf, size_t cap)
{
	struct jx_db_stmt *st = query_ok(db, sql, p, n);
	struct jx_diag d;
	const char *v;
	char *out = NULL;

	assert_int_equal(DB->step(st, &d), JX_OK);
	v = DB->col_text(st, 0);
	if (v != NULL) {
		snprintf(buf, cap, "%s", v);
		out = buf;
	}
	assert_int_equal(DB->step(st, &d), JX_EEOF);
	DB->finish(st);
	return out;
}

/* The same SQL pointer many times is prepared once; a buffer reused for
 * other SQL, or the same SQL with other parameter types, is not taken for
 * the statement prepared before. */
static void
test_stmt_cache_reuse(void **state)
{
	static const char *ins = "INSERT INTO t (k, v) VALUES (?, ?)";
	static const char *sel = "SELECT v FROM t WHERE k = ?";
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;
	char want[32];
	char got[64];
	char buf[64];
	int64_t i;

	run_ok(fx->db, "CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)");
	for (i = 0; i < 100; i++) {
		snprintf(want, sizeof(want), "值%" PRId64, i);
		st = query_ok(fx->db, ins,
		              (struct jx_db_param[]){p_int(i), p_text(want)},
		              2);
		assert_int_equal(DB->changes(st), 1);
		DB->finish(st);
	}
	for (i = 99; i >= 0; i--) {
		snprintf(want, sizeof(want), "值%" PRId64, i);
		assert_string_equal(text_of(fx->db, sel,
		                            (struct jx_db_param[]){p_int(i)}, 1,
		                            got, sizeof(got)),
		                    want);
	}
	/* Each is prepared once, with "$n" for "?". */
	assert_int_equal(
	        prepared_like(fx->db, "INSERT INTO t (k, v) VALUES ($1, $2)"),
	        1);
	assert_int_equal(prepared_like(fx->db, "SELECT v FROM t WHERE k = $1"),
	                 1);
	assert_int_equal(prepared_like(fx->db, "%"), 2);
	/* The prepared path maps SQLSTATEs as before. */
	query_fails(fx->db, ins,
	            (struct jx_db_param[]){p_int(5), p_text("dup")}, 2,
	            JX_ECONFLICT, &d);
	assert_string_equal(d.field, "t_pkey");
	assert_non_null(strstr(d.message, "唯一"));
	/* A cached statement with the wrong number of parameters. */
	query_fails(fx->db, sel, NULL, 0, JX_EDB, &d);
	assert_non_null(strstr(d.message, "占位符"));

	/* One buffer (one address), two statements of one length. */
	for (i = 0; i < 6; i++) {
		if (i % 3 == 2)
			snprintf(buf, sizeof(buf),
			         "SELECT CAST(? * 9 AS TEXT)");
		else
			snprintf(buf, sizeof(buf),
			         "SELECT CAST(? + 1 AS TEXT)");
		snprintf(want, sizeof(want), "%d", i % 3 == 2 ? 63 : 8);
		assert_string_equal(text_of(fx->db, buf,
		                            (struct jx_db_param[]){p_int(7)}, 1,
		                            got, sizeof(got)),
		                    want);
	}
	assert_int_equal(prepared_like(fx->db, "SELECT CAST($1 + 1 AS TEXT)"),
	                 1);
	assert_int_equal(prepared_like(fx->db, "SELECT CAST($1 * 9 AS TEXT)"),
	                 1);
	/* Two strings with the same text at two addresses. */
	{
		static const char a[] = "SELECT CAST(length(?) AS TEXT)";
		static const char b[] = "SELECT CAST(length(?) AS TEXT)";

		for (i = 0; i < 3; i++) {
			assert_string_equal(
			        text_of(fx->db, a,
			                (struct jx_db_param[]){p_text("预算")},
			                1, got, sizeof(got)),
			        "2");
			assert_string_equal(
			        text_of(fx->db, b,
			                (struct jx_db_param[]){p_text("abc")},
			                1, got, sizeof(got)),
			        "3");
		}
	}
	/* Prepared with a bigint parameter, then given text and NULL: each
	 * parameter typing is a statement of its own. */
	snprintf(buf, sizeof(buf), "SELECT CAST(? AS TEXT)");
	for (i = 0; i < 3; i++)
		assert_string_equal(text_of(fx->db, buf,
		                            (struct jx_db_param[]){p_int(5)}, 1,
		                            got, sizeof(got)),
		                    "5");
	for (i = 0; i < 3; i++) {
		assert_string_equal(
		        text_of(fx->db, buf,
		                (struct jx_db_param[]){p_text("abc")}, 1, got,
		                sizeof(got)),
		        "abc");
		assert_null(text_of(fx->db, buf,
		                    (struct jx_db_param[]){p_null()}, 1, got,
		                    sizeof(got)));
		assert_string_equal(text_of(fx->db, buf,
		                            (struct jx_db_param[]){p_int(-9)},
		                            1, got, sizeof(got)),
		                    "-9");
	}
	assert_int_equal(prepared_like(fx->db, "SELECT CAST($1 AS TEXT)"), 2);
}

/* A statement failing inside a transaction: the transaction is lost as
 * before; after ROLLBACK the prepared statements (also one prepared in the
 * failed transaction) work again. DDL that changes a prepared statement's
 * columns, and a session that lost the names, are recovered from. */
static void
test_stmt_cache_txn(void **state)
{
	static const char *ins = "INSERT INTO t (k) VALUES (?)";
	static const char *one = "SELECT k FROM t WHERE k = ?";
	static const char *all = "SELECT * FROM t WHERE k = ?";
	struct fx *fx = need_pg(state);
	struct jx_db_stmt *st;
	struct jx_diag d;
	char got[64];
	int64_t i;

	run_ok(fx->db, "CREATE TABLE t (k BIGINT PRIMARY KEY)");
	for (i = 1; i <= 3; i++) {
		st = query_ok(fx->db, ins, (struct jx_db_param[]){p_int(i)}, 1);
		DB->finish(st);
	}
	assert_int_equal(prepared_like(fx->db, "INSERT INTO t (k)%"), 1);

	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	/* Prepared inside the transaction. */
	for (i = 0; i < 2; i++)
		assert_string_equal(text_of(fx->db, one,
		                            (struct jx_db_param[]){p_int(2)}, 1,
		                            got, sizeof(got)),
		                    "2");
	st = query_ok(fx->db, ins, (struct jx_db_param[]){p_int(10)}, 1);
	DB->finish(st);
	query_fails(fx->db, ins, (struct jx_db_param[]){p_int(1)}, 1,
	            JX_ECONFLICT, &d);
	assert_string_equal(d.field, "t_pkey");
	/* The transaction is lost: prepared, seen and new statements fail
	 * alike, naming the SQLSTATE. */
	query_fails(fx->db, ins, (struct jx_db_param[]){p_int(11)}, 1, JX_EDB,
	            &d);
	assert_non_null(strstr(d.message, "25P02"));
	query_fails(fx->db, one, (struct jx_db_param[]){p_int(2)}, 1, JX_EDB,
	            &d);
	assert_non_null(strstr(d.message, "25P02"));
	query_fails(fx->db, "SELECT 42 AS never_seen", NULL, 0, JX_EDB, &d);
	assert_non_null(strstr(d.message, "25P02"));
	DB->rollback(fx->db);

	/* Reused after ROLLBACK, still the same prepared statements. */
	st = query_ok(fx->db, ins, (struct jx_db_param[]){p_int(10)}, 1);
	assert_int_equal(DB->changes(st), 1);
	DB->finish(st);
	assert_string_equal(text_of(fx->db, one,
	                            (struct jx_db_param[]){p_int(10)}, 1, got,
	                            sizeof(got)),
	                    "10");
	assert_int_equal(scalar(fx->db, "SELECT 42 AS never_seen"), 42);
	assert_int_equal(prepared_like(fx->db, "INSERT INTO t (k)%"), 1);
	assert_int_equal(prepared_like(fx->db, "SELECT k FROM t%"), 1);
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 4);

	/* "SELECT *" prepared, then a column added: outside a transaction
	 * it simply runs with the new column. */
	for (i = 0; i < 2; i++)
		assert_string_equal(text_of(fx->db, all,
		                            (struct jx_db_param[]){p_int(3)}, 1,
		                            got, sizeof(got)),
		                    "3");
	run_ok(fx->db, "ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'w'");
	for (i = 0; i < 3; i++) {
		st = query_ok(fx->db, all, (struct jx_db_param[]){p_int(3)}, 1);
		assert_int_equal(DB->step(st, &d), JX_OK);
		assert_int_equal(DB->col_int(st, 0), 3);
		assert_string_equal(DB->col_text(st, 1), "w");
		DB->finish(st);
	}
	/* Inside a transaction the error stands; afterwards it works. */
	run_ok(fx->db, "ALTER TABLE t ADD COLUMN x BIGINT DEFAULT 7");
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	query_fails(fx->db, all, (struct jx_db_param[]){p_int(3)}, 1, JX_EDB,
	            &d);
	assert_non_null(strstr(d.message, "0A000"));
	DB->rollback(fx->db);
	for (i = 0; i < 3; i++) {
		st = query_ok(fx->db, all, (struct jx_db_param[]){p_int(3)}, 1);
		assert_int_equal(DB->step(st, &d), JX_OK);
		assert_int_equal(DB->col_int(st, 2), 7);
		DB->finish(st);
	}

	/* The session lost every name: the cache starts afresh. */
	run_ok(fx->db, "DEALLOCATE ALL");
	assert_int_equal(prepared_like(fx->db, "%"), 0);
	for (i = 20; i < 23; i++) {
		st = query_ok(fx->db, ins, (struct jx_db_param[]){p_int(i)}, 1);
		assert_int_equal(DB->changes(st), 1);
		DB->finish(st);
	}
	assert_int_equal(prepared_like(fx->db, "INSERT INTO t (k)%"), 1);
	assert_int_equal(scalar(fx->db, "SELECT count(*) FROM t"), 7);
}

/* Run sqls[i] (one bigint parameter, giving it + i) twice, so that it is
 * prepared, and check the answers. */
static void
run_numbered(struct jx_db *db, char sqls[][40], int from, int to, int times)
{
	int i;
	int k;

	for (i = from; i < to; i++) {
		for (k = 0; k < times; k++) {
			struct jx_db_stmt *st;
			struct jx_diag d;

			st = query_ok(db, sqls[i],
			              (struct jx_db_param[]){p_int(1000)}, 1);
			assert_int_equal(DB->step(st, &d), JX_OK);
			if (DB->col_int(st, 0) != 1000 + i)
				fail_msg("%s: got %" PRId64, sqls[i],
				         DB->col_int(st, 0));
			DB->finish(st);
		}
	}
}

/* Many more distinct statements than the cache holds: answers stay right
 * and the server never holds more than the cache's bound (256 slots plus
 * 16 awaiting DEALLOCATE), also when they are run inside a transaction. */
static void
test_stmt_cache_many(void **state)
{
	/* 40 bytes apart: consecutive statements fall into every set. */
	static char sqls[700][40];
	struct fx *fx = need_pg(state);
	struct jx_diag d;
	int64_t n;
	int i;

	for (i = 0; i < 700; i++)
		snprintf(sqls[i], sizeof(sqls[i]),
		         "SELECT CAST(? AS BIGINT) + %d", i);
	run_numbered(fx->db, sqls, 0, 600, 2);
	n = prepared_like(fx->db, "SELECT CAST($1 AS BIGINT) + %");
	if (n < 200 || n > 256 + 16)
		fail_msg("%" PRId64 " statements prepared", n);
	/* Again, in another order. */
	for (i = 599; i >= 0; i -= 100)
		run_numbered(fx->db, sqls, i - 99, i + 1, 1);
	/* New ones inside a transaction: replaced statements cannot be
	 * deallocated there beyond one batch, so the rest run unprepared. */
	assert_int_equal(DB->begin(fx->db, &d), JX_OK);
	run_numbered(fx->db, sqls, 600, 700, 2);
	assert_int_equal(DB->commit(fx->db, &d), JX_OK);
	n = prepared_like(fx->db, "SELECT CAST($1 AS BIGINT) + %");
	if (n < 200 || n > 256 + 16)
		fail_msg("%" PRId64 " statements prepared", n);
	run_numbered(fx->db, sqls, 0, 700, 1);
	n = prepared_like(fx->db, "SELECT CAST($1 AS BIGINT) + %");
	if (n < 200 || n > 256 + 16)
		fail_msg("%" PRId64 " statements prepared", n);
}

/* A connection whose server process is gone fails cleanly, also for
 * statements it had prepared, and closes without leaks. */
static void
test_stmt_cache_lost(void **state)
{
	static const char *sel = "SELECT CAST(? AS BIGINT) * 2";
	struct fx *fx = need_pg(state);
	struct jx_db *other;
	struct jx_db_stmt *st;
	struct jx_diag d;
	int64_t pid;
	int i;

	for (i = 0; i < 3; i++) {
		st = query_ok(fx->db, sel, (struct jx_db_param[]){p_int(i)}, 1);
		DB->finish(st);
	}
	pid = scalar(fx->db, "SELECT pg_backend_pid()");
	other = connect_fx(fx);
	st = query_ok(other,
	              "SELECT pg_terminate_backend(CAST(? AS INT), 5000)",
	              (struct jx_db_param[]){p_int(pid)}, 1);
	assert_int_equal(DB->step(st, &d), JX_OK);
	assert_int_equal(DB->col_int(st, 0), 1);
	DB->finish(st);
	for (i = 0; i < 3; i++)
		query_fails(fx->db, sel, (struct jx_db_param[]){p_int(i)}, 1,
		            JX_EDB, &d);
	query_fails(fx->db, "SELECT 1", NULL, 0, JX_EDB, &d);
	/* The fixture's teardown needs a live connection. */
	DB->close(fx->db);
	fx->db = other;
}

struct url_case {
	const char *url;
	const char *secret; /* must not appear in the message */
	const char *shown;  /* must appear in the message, or NULL */
};

static const struct url_case bad_urls[] = {
        /* nothing listens on port 1 */
        {"postgresql://jx:s3cr3tPa55@127.0.0.1:1/nodb", "s3cr3tPa55",
         "postgresql://jx:***@127.0.0.1:1/nodb"},
        /* a percent-encoded password, masked as written and decoded */
        {"postgres://jx:s3cr%65t%2FX@127.0.0.1:1/nodb", "s3cr", "jx:***@"},
        /* libpq quotes the whole URI when it cannot parse it */
        {"postgresql://u:s3cr3tPa55@[::1/db", "s3cr3tPa55", NULL},
        /* ... or the bad percent-escape, which is inside the password */
        {"postgresql://u:s3cr3t%zz@127.0.0.1:1/db", "s3cr3t", NULL},
        /* a short one is masked in quotes, ordinary words are kept */
        {"postgresql://u:a%zz@127.0.0.1:1/db", "a%zz", "\"***\""},
        {"postgresql://u:a@127.0.0.1:1/db", ":a@", "accepting"},
        /* a password in the query string */
        {"postgresql://u@127.0.0.1:1/db?sslmode=disable&password=qs3cr3t",
         "qs3cr3t", "password=***"},
        /* a malformed port */
        {"postgresql://u:s3cr3tPa55@127.0.0.1:nope/db", "s3cr3tPa55", NULL},
        /* not a PostgreSQL URL */
        {"mysql://u:s3cr3tPa55@127.0.0.1/db", "s3cr3tPa55", NULL},
        {"host=127.0.0.1 password=s3cr3tPa55", "s3cr3tPa55", NULL},
};

/* A bad URL is JX_EDB with a message that never holds the password.
 * Needs no server. */
static void
test_bad_url(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_urls) / sizeof(bad_urls[0]); i++) {
		const struct url_case *c = &bad_urls[i];
		struct jx_db *db = NULL;
		struct jx_diag d;
		enum jx_err err;

		jx_diag_clear(&d);
		err = DB->open(c->url, &db, &d);
		if (err != JX_EDB)
			fail_msg("%s: got %s", c->url, jx_err_name(err));
		assert_null(db);
		if (d.message[0] == '\0' ||
		    strstr(d.message, c->secret) != NULL)
			fail_msg("%s: message '%s'", c->url, d.message);
		if (c->shown != NULL && strstr(d.message, c->shown) == NULL)
			fail_msg("%s: message '%s' lacks '%s'", c->url,
			         d.message, c->shown);
	}
}

/* A wrong password for the real server. */
static void
test_wrong_password(void **state)
{
	struct fx *fx = need_pg(state);
	const char *scheme_end = strstr(fx->url, "://");
	const char *at = strchr(fx->url, '@');
	const char *colon;
	struct jx_db *db = NULL;
	struct jx_diag d;
	char url[1024];

	if (scheme_end == NULL || at == NULL)
		skip(); /* the URL has no user to give a wrong password for */
	colon = memchr(scheme_end + 3, ':', (size_t)(at - scheme_end - 3));
	snprintf(url, sizeof(url), "postgresql://%.*s:Wr0ngPassw0rd%s",
	         (int)((colon != NULL ? colon : at) - scheme_end - 3),
	         scheme_end + 3, at);
	jx_diag_clear(&d);
	assert_int_equal(DB->open(url, &db, &d), JX_EDB);
	assert_null(db);
	assert_null(strstr(d.message, "Wr0ngPassw0rd"));
	assert_non_null(strstr(d.message, "无法连接"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_pk_clause, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_session, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_insert_params, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_placeholders, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_select_rows, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_col_int_strict, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_constraints, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_exec_script, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_commit_persists, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_locks, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_stmt_cache_reuse, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_stmt_cache_txn, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_stmt_cache_many, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_stmt_cache_lost, setup,
	                                        teardown),
	        cmocka_unit_test(test_bad_url),
	        cmocka_unit_test_setup_teardown(test_wrong_password, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
