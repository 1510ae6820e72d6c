/*
 * test_db_sqlite.c - the SQLite back-end of the store (backend.h) on real
 * files in a fresh directory under /tmp: connection settings (WAL,
 * synchronous=FULL, foreign keys), statements with parameters and
 * RETURNING, column reads, change counts, the mapping of constraint and
 * busy failures onto jx_err, transactions, and online backups (complete,
 * consistent, self-contained, never half-written). Every test removes the
 * files it made.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../src/store/backend.h"

static const struct jx_db_ops *ops = &jx_db_sqlite;

struct fx {
	char dir[64];   /* the test's directory */
	char path[128]; /* dir/main.db */
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/jx-dbsqlite-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/main.db", fx->dir);
	unsetenv("JX_SQLITE_BUSY_MS");
	*state = fx;
	return 0;
}

/* Remove every file of the test's directory, then the directory. */
static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[512];
	struct dirent *e;
	DIR *dp;

	dp = opendir(fx->dir);
	if (dp != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", fx->dir, e->d_name);
			unlink(p);
		}
		closedir(dp);
	}
	rmdir(fx->dir);
	unsetenv("JX_SQLITE_BUSY_MS");
	free(fx);
	return 0;
}

/* Number of entries of dir, "." and ".." left out. */
static int
count_files(const char *dir)
{
	struct dirent *e;
	DIR *dp;
	int n = 0;

	dp = opendir(dir);
	if (dp == NULL)
		return -1;
	while ((e = readdir(dp)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

static bool
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static struct jx_db *
open_db(const char *path)
{
	struct jx_db *db = NULL;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = ops->open(path, &db, &d);
	if (err != JX_OK)
		fprintf(stderr, "open %s: %s\n", path, d.message);
	assert_int_equal(err, JX_OK);
	assert_non_null(db);
	return db;
}

static void
script(struct jx_db *db, const char *sql)
{
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = ops->exec_script(db, sql, &d);
	if (err != JX_OK)
		fprintf(stderr, "script: %s\n", d.message);
	assert_int_equal(err, JX_OK);
}

/* The first column of the single row of sql, as an integer. */
static int64_t
scalar(struct jx_db *db, const char *sql)
{
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	int64_t v;

	jx_diag_clear(&d);
	assert_int_equal(ops->query(db, sql, NULL, 0, &st, &d), JX_OK);
	assert_int_equal(ops->step(st, &d), JX_OK);
	v = ops->col_int(st, 0);
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	ops->finish(st);
	return v;
}

/* The first column of the first row of sql, as text, into buf. */
static const char *
scalar_text(struct jx_db *db, const char *sql, char *buf, size_t cap)
{
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	const char *v;

	jx_diag_clear(&d);
	assert_int_equal(ops->query(db, sql, NULL, 0, &st, &d), JX_OK);
	assert_int_equal(ops->step(st, &d), JX_OK);
	v = ops->col_text(st, 0);
	snprintf(buf, cap, "%s", v != NULL ? v : "(null)");
	ops->finish(st);
	return buf;
}

/* Run one statement with parameters and no rows; returns its error. */
static enum jx_err
exec_params(struct jx_db *db, const char *sql, const struct jx_db_param *p,
            size_t n, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	jx_diag_clear(d);
	err = ops->query(db, sql, p, n, &st, d);
	if (err == JX_OK) {
		err = ops->step(st, d);
		if (err == JX_EEOF)
			err = JX_OK;
		ops->finish(st);
	}
	return err;
}

static void
make_items(struct jx_db *db)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	         "CREATE TABLE item (id %s, n BIGINT NOT NULL, "
	         "name TEXT UNIQUE, note TEXT, "
	         "CHECK (n >= 0));",
	         ops->pk_clause);
	script(db, sql);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(ops->name, "sqlite");
	assert_string_equal(ops->pk_clause, "INTEGER PRIMARY KEY");
}

/* WAL, synchronous=FULL (2) and foreign keys are set on every open. */
static void
test_open_settings(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	char buf[32];

	assert_string_equal(
	        scalar_text(db, "PRAGMA journal_mode", buf, sizeof(buf)),
	        "wal");
	assert_int_equal(scalar(db, "PRAGMA synchronous"), 2);
	assert_int_equal(scalar(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(scalar(db, "PRAGMA busy_timeout"), 10000);
	ops->close(db);
	assert_true(exists(fx->path));
	/* close accepts NULL */
	ops->close(NULL);
}

static void
test_open_memory(void **state)
{
	struct jx_db *db;

	(void)state;
	db = open_db(":memory:");
	make_items(db);
	script(db, "INSERT INTO item (n) VALUES (1), (2);");
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 2);
	ops->close(db);
}

static void
test_open_errors(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = NULL;
	struct jx_diag d;
	char p[256];
	FILE *f;

	/* no path at all */
	jx_diag_clear(&d);
	assert_int_equal(ops->open("", &db, &d), JX_EINVAL);
	assert_null(db);
	assert_true(strlen(d.message) > 0);

	/* a directory that does not exist: the message names the file */
	snprintf(p, sizeof(p), "%s/no/such/dir/x.db", fx->dir);
	jx_diag_clear(&d);
	assert_int_equal(ops->open(p, &db, &d), JX_EDB);
	assert_null(db);
	assert_non_null(strstr(d.message, p));
	assert_non_null(strstr(d.message, "无法打开数据库文件"));
	assert_string_equal(d.file, p);

	/* a file that is not a database: SQLite's reason is quoted */
	snprintf(p, sizeof(p), "%s/junk.db", fx->dir);
	f = fopen(p, "wb");
	assert_non_null(f);
	for (int i = 0; i < 64; i++)
		fputs("this is not an SQLite database at all\n", f);
	fclose(f);
	jx_diag_clear(&d);
	assert_int_equal(ops->open(p, &db, &d), JX_EDB);
	assert_null(db);
	assert_non_null(strstr(d.message, p));
	assert_non_null(strstr(d.message, "not a database"));

	/* a busy timeout that is not a number of milliseconds */
	setenv("JX_SQLITE_BUSY_MS", "10s", 1);
	jx_diag_clear(&d);
	assert_int_equal(ops->open(fx->path, &db, &d), JX_EINVAL);
	assert_null(db);
	assert_string_equal(d.field, "JX_SQLITE_BUSY_MS");
	setenv("JX_SQLITE_BUSY_MS", "-1", 1);
	assert_int_equal(ops->open(fx->path, &db, &d), JX_EINVAL);
	unsetenv("JX_SQLITE_BUSY_MS");
}

/* Parameters of each type, RETURNING, columns of each type. */
static void
test_insert_select(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	const struct jx_db_param p1[] = {
	        {JX_DB_INT, 42, NULL},
	        {JX_DB_TEXT, 0, "项目支出绩效自评"},
	        {JX_DB_NULL, 0, NULL},
	};
	const struct jx_db_param p2[] = {
	        {JX_DB_INT, INT64_MAX, NULL},
	        {JX_DB_TEXT, 0, "it's \"quoted\"; DROP TABLE item"},
	        {JX_DB_TEXT, 0, ""},
	};
	const struct jx_db_param sel[] = {{JX_DB_INT, 0, NULL}};
	char name[64];

	make_items(db);
	jx_diag_clear(&d);
	assert_int_equal(ops->query(db,
	                            "INSERT INTO item (n, name, note) "
	                            "VALUES (?, ?, ?) RETURNING id",
	                            p1, 3, &st, &d),
	                 JX_OK);
	assert_int_equal(ops->step(st, &d), JX_OK);
	assert_int_equal(ops->col_int(st, 0), 1);
	assert_false(ops->is_null(st, 0));
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	assert_int_equal(ops->changes(st), 1);
	ops->finish(st);

	assert_int_equal(ops->query(db,
	                            "INSERT INTO item (n, name, note) "
	                            "VALUES (?, ?, ?) RETURNING id, n",
	                            p2, 3, &st, &d),
	                 JX_OK);
	assert_int_equal(ops->step(st, &d), JX_OK);
	assert_int_equal(ops->col_int(st, 0), 2);
	assert_int_equal(ops->col_int(st, 1), INT64_MAX);
	ops->finish(st);

	/* a text parameter is copied: the caller's buffer may change after
	 * query returns, while later rows still use the value */
	snprintf(name, sizeof(name), "%s", "参数");
	{
		const struct jx_db_param p3[] = {{JX_DB_TEXT, 0, name}};

		assert_int_equal(ops->query(db,
		                            "SELECT id, ? || id FROM item "
		                            "ORDER BY id",
		                            p3, 1, &st, &d),
		                 JX_OK);
		assert_int_equal(ops->step(st, &d), JX_OK);
		assert_string_equal(ops->col_text(st, 1), "参数1");
		memset(name, 'x', sizeof(name) - 1);
		assert_int_equal(ops->step(st, &d), JX_OK);
		assert_string_equal(ops->col_text(st, 1), "参数2");
		ops->finish(st);
	}

	assert_int_equal(ops->query(db,
	                            "SELECT id, n, name, note FROM item "
	                            "WHERE n > ? ORDER BY id",
	                            sel, 1, &st, &d),
	                 JX_OK);
	assert_int_equal(ops->step(st, &d), JX_OK);
	assert_int_equal(ops->col_int(st, 0), 1);
	assert_int_equal(ops->col_int(st, 1), 42);
	assert_string_equal(ops->col_text(st, 1), "42");
	assert_string_equal(ops->col_text(st, 2), "项目支出绩效自评");
	/* NULL reads as NULL text and 0 */
	assert_true(ops->is_null(st, 3));
	assert_null(ops->col_text(st, 3));
	assert_int_equal(ops->col_int(st, 3), 0);
	/* a column past the end reads as NULL */
	assert_true(ops->is_null(st, 4));
	assert_null(ops->col_text(st, 4));
	assert_int_equal(ops->col_int(st, -1), 0);
	assert_int_equal(ops->step(st, &d), JX_OK);
	assert_int_equal(ops->col_int(st, 1), INT64_MAX);
	assert_string_equal(ops->col_text(st, 2),
	                    "it's \"quoted\"; DROP TABLE item");
	/* the empty string is not NULL */
	assert_false(ops->is_null(st, 3));
	assert_string_equal(ops->col_text(st, 3), "");
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	/* after the end: still the end, no row */
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	assert_true(ops->is_null(st, 0));
	assert_int_equal(ops->changes(st), 0);
	ops->finish(st);

	/* an empty result */
	assert_int_equal(ops->query(db, "SELECT id FROM item WHERE n < 0", NULL,
	                            0, &st, &d),
	                 JX_OK);
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	ops->finish(st);
	ops->close(db);
}

/* A statement without rows runs in query(), stepped or not, once. */
static void
test_runs_without_step(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	const struct jx_db_param p[] = {{JX_DB_INT, 7, NULL}};

	make_items(db);
	jx_diag_clear(&d);
	assert_int_equal(ops->query(db, "INSERT INTO item (n) VALUES (?)", p, 1,
	                            &st, &d),
	                 JX_OK);
	ops->finish(st);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 1);

	/* stepping past the end does not run the INSERT again */
	assert_int_equal(ops->query(db, "INSERT INTO item (n) VALUES (?)", p, 1,
	                            &st, &d),
	                 JX_OK);
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	assert_int_equal(ops->step(st, &d), JX_EEOF);
	ops->finish(st);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 2);
	ops->close(db);
}

static void
test_changes(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	const struct jx_db_param p[] = {{JX_DB_INT, 2, NULL}};

	make_items(db);
	script(db, "INSERT INTO item (n) VALUES (1), (2), (3), (4);");
	jx_diag_clear(&d);

	/* known right after query, without stepping */
	assert_int_equal(ops->query(db,
	                            "UPDATE item SET note = 'x' "
	                            "WHERE n > ?",
	                            p, 1, &st, &d),
	                 JX_OK);
	assert_int_equal(ops->changes(st), 2);
	ops->finish(st);

	/* no row matched: 0, not the previous statement's count */
	assert_int_equal(ops->query(db, "DELETE FROM item WHERE n > 100", NULL,
	                            0, &st, &d),
	                 JX_OK);
	assert_int_equal(ops->changes(st), 0);
	ops->finish(st);

	/* DDL changes no rows */
	assert_int_equal(
	        ops->query(db, "CREATE TABLE other (x TEXT)", NULL, 0, &st, &d),
	        JX_OK);
	assert_int_equal(ops->changes(st), 0);
	ops->finish(st);

	/* DELETE ... RETURNING: counted once its rows are read */
	assert_int_equal(ops->query(db,
	                            "DELETE FROM item WHERE n <= 3 "
	                            "RETURNING id",
	                            NULL, 0, &st, &d),
	                 JX_OK);
	while (ops->step(st, &d) == JX_OK)
		;
	assert_int_equal(ops->changes(st), 3);
	ops->finish(st);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 1);
	ops->close(db);
}

/* Constraint failures map onto ECONFLICT and EINVAL. */
static void
test_constraints(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_diag d;
	const struct jx_db_param dup[] = {{JX_DB_INT, 1, NULL},
	                                  {JX_DB_TEXT, 0, "甲"}};
	const struct jx_db_param pk[] = {{JX_DB_INT, 1, NULL},
	                                 {JX_DB_INT, 5, NULL}};
	const struct jx_db_param nul[] = {{JX_DB_NULL, 0, NULL}};
	const struct jx_db_param neg[] = {{JX_DB_INT, -1, NULL}};
	const struct jx_db_param upsert[] = {{JX_DB_INT, 9, NULL},
	                                     {JX_DB_TEXT, 0, "甲"}};

	make_items(db);
	assert_int_equal(exec_params(db,
	                             "INSERT INTO item (n, name) VALUES (?, ?)",
	                             dup, 2, &d),
	                 JX_OK);
	/* UNIQUE */
	assert_int_equal(exec_params(db,
	                             "INSERT INTO item (n, name) VALUES (?, ?)",
	                             dup, 2, &d),
	                 JX_ECONFLICT);
	assert_non_null(strstr(d.message, "数据库错误"));
	assert_non_null(strstr(d.message, "UNIQUE"));
	/* PRIMARY KEY */
	assert_int_equal(exec_params(db,
	                             "INSERT INTO item (id, n) VALUES (?, ?)",
	                             pk, 2, &d),
	                 JX_ECONFLICT);
	/* NOT NULL */
	assert_int_equal(
	        exec_params(db, "INSERT INTO item (n) VALUES (?)", nul, 1, &d),
	        JX_EINVAL);
	assert_non_null(strstr(d.message, "NOT NULL"));
	/* CHECK */
	assert_int_equal(
	        exec_params(db, "INSERT INTO item (n) VALUES (?)", neg, 1, &d),
	        JX_EINVAL);
	assert_non_null(strstr(d.message, "CHECK"));
	/* ON CONFLICT DO NOTHING is not an error and changes nothing */
	assert_int_equal(exec_params(db,
	                             "INSERT INTO item (n, name) VALUES (?, ?) "
	                             "ON CONFLICT (name) DO NOTHING",
	                             upsert, 2, &d),
	                 JX_OK);
	assert_int_equal(scalar(db, "SELECT n FROM item WHERE name = '甲'"), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 1);
	ops->close(db);
}

static void
test_foreign_keys(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_diag d;
	const struct jx_db_param orphan[] = {{JX_DB_INT, 99, NULL}};
	const struct jx_db_param child[] = {{JX_DB_INT, 1, NULL}};

	script(db, "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
	           "CREATE TABLE child (id INTEGER PRIMARY KEY,"
	           " parent_id BIGINT NOT NULL REFERENCES parent (id));"
	           "INSERT INTO parent (id) VALUES (1);");
	assert_int_equal(exec_params(db,
	                             "INSERT INTO child (parent_id) VALUES (?)",
	                             orphan, 1, &d),
	                 JX_ECONFLICT);
	assert_non_null(strstr(d.message, "FOREIGN KEY"));
	assert_int_equal(exec_params(db,
	                             "INSERT INTO child (parent_id) VALUES (?)",
	                             child, 1, &d),
	                 JX_OK);
	/* a parent still referred to cannot go */
	assert_int_equal(
	        exec_params(db, "DELETE FROM parent WHERE id = 1", NULL, 0, &d),
	        JX_ECONFLICT);
	assert_int_equal(scalar(db, "SELECT count(*) FROM parent"), 1);
	ops->close(db);
}

/* Misuse and bad SQL are reported, never run. */
static void
test_bad_statements(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	const struct jx_db_param one[] = {{JX_DB_INT, 1, NULL}};
	const struct jx_db_param bad[] = {{(enum jx_db_type)42, 1, NULL}};

	make_items(db);
	jx_diag_clear(&d);
	/* too few and too many parameters */
	assert_int_equal(ops->query(db, "INSERT INTO item (n) VALUES (?)", NULL,
	                            0, &st, &d),
	                 JX_EINVAL);
	assert_null(st);
	assert_int_equal(ops->query(db, "SELECT 1", one, 1, &st, &d),
	                 JX_EINVAL);
	/* an unknown parameter type */
	assert_int_equal(ops->query(db, "INSERT INTO item (n) VALUES (?)", bad,
	                            1, &st, &d),
	                 JX_EINVAL);
	/* two statements where one is expected: the second is not run */
	assert_int_equal(ops->query(db,
	                            "INSERT INTO item (n) VALUES (1); "
	                            "DROP TABLE item",
	                            NULL, 0, &st, &d),
	                 JX_EINVAL);
	/* nothing to run */
	assert_int_equal(ops->query(db, "  ", NULL, 0, &st, &d), JX_EINVAL);
	/* a trailing semicolon is fine */
	assert_int_equal(
	        ops->query(db, "SELECT count(*) FROM item;", NULL, 0, &st, &d),
	        JX_OK);
	assert_int_equal(ops->step(st, &d), JX_OK);
	assert_int_equal(ops->col_int(st, 0), 0);
	ops->finish(st);
	st = NULL;
	/* a syntax error and an unknown table */
	assert_int_equal(ops->query(db, "SELEC 1", NULL, 0, &st, &d), JX_EDB);
	assert_non_null(strstr(d.message, "数据库错误"));
	assert_non_null(strstr(d.message, "syntax error"));
	assert_int_equal(
	        ops->query(db, "SELECT * FROM missing_table", NULL, 0, &st, &d),
	        JX_EDB);
	assert_non_null(strstr(d.message, "no such table"));
	assert_null(st);
	/* a failing script reports SQLite's message */
	assert_int_equal(
	        ops->exec_script(db, "CREATE TABLE item (x TEXT);", &d),
	        JX_EDB);
	assert_non_null(strstr(d.message, "already exists"));
	ops->finish(NULL);
	ops->close(db);
}

static void
test_transactions(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_diag d;

	make_items(db);
	jx_diag_clear(&d);

	/* rolled back: gone */
	assert_int_equal(ops->begin(db, &d), JX_OK);
	script(db, "INSERT INTO item (n) VALUES (1);");
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 1);
	ops->rollback(db);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 0);
	/* rollback outside a transaction is harmless */
	ops->rollback(db);

	/* committed: there after close and reopen */
	assert_int_equal(ops->begin(db, &d), JX_OK);
	script(db, "INSERT INTO item (n, name) VALUES (2, '已提交');");
	assert_int_equal(ops->commit(db, &d), JX_OK);
	ops->close(db);
	db = open_db(fx->path);
	assert_int_equal(scalar(db, "SELECT n FROM item"), 2);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 1);

	/* a transaction cannot be nested */
	assert_int_equal(ops->begin(db, &d), JX_OK);
	assert_int_equal(ops->begin(db, &d), JX_EDB);
	ops->rollback(db);
	ops->close(db);
}

/* A failed COMMIT ends the transaction, as in PostgreSQL. */
static void
test_commit_failure(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_diag d;

	script(db, "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
	           "CREATE TABLE child (id INTEGER PRIMARY KEY,"
	           " parent_id BIGINT REFERENCES parent (id)"
	           " DEFERRABLE INITIALLY DEFERRED);");
	jx_diag_clear(&d);
	assert_int_equal(ops->begin(db, &d), JX_OK);
	/* deferred: the orphan is accepted until COMMIT */
	script(db, "INSERT INTO child (parent_id) VALUES (5);");
	assert_int_equal(ops->commit(db, &d), JX_ECONFLICT);
	assert_non_null(strstr(d.message, "FOREIGN KEY"));
	assert_int_equal(scalar(db, "SELECT count(*) FROM child"), 0);
	/* no transaction is left open */
	assert_int_equal(ops->begin(db, &d), JX_OK);
	assert_int_equal(ops->commit(db, &d), JX_OK);
	ops->close(db);
}

static int64_t
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A second writer waits for the busy timeout, then gets ECONFLICT. */
static void
test_busy(void **state)
{
	struct fx *fx = *state;
	struct jx_db *a, *b;
	struct jx_db_stmt *st = NULL;
	struct jx_diag d;
	struct timespec t0;
	int64_t ms;

	setenv("JX_SQLITE_BUSY_MS", "200", 1);
	a = open_db(fx->path);
	b = open_db(fx->path);
	assert_int_equal(scalar(b, "PRAGMA busy_timeout"), 200);
	make_items(a);
	jx_diag_clear(&d);

	assert_int_equal(ops->begin(a, &d), JX_OK);
	script(a, "INSERT INTO item (n) VALUES (1);");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ops->begin(b, &d), JX_ECONFLICT);
	ms = elapsed_ms(&t0);
	assert_true(ms >= 150);
	assert_true(ms < 5000);
	assert_non_null(strstr(d.message, "数据库正忙"));

	/* a write outside a transaction waits too */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ops->query(b, "INSERT INTO item (n) VALUES (2)", NULL,
	                            0, &st, &d),
	                 JX_ECONFLICT);
	assert_null(st);
	assert_true(elapsed_ms(&t0) >= 150);

	/* WAL: readers are not blocked and see only committed rows */
	assert_int_equal(scalar(b, "SELECT count(*) FROM item"), 0);

	assert_int_equal(ops->commit(a, &d), JX_OK);
	assert_int_equal(ops->begin(b, &d), JX_OK);
	script(b, "INSERT INTO item (n) VALUES (2);");
	assert_int_equal(ops->commit(b, &d), JX_OK);
	assert_int_equal(scalar(a, "SELECT count(*) FROM item"), 2);
	ops->close(b);
	ops->close(a);
}

/* Open a backup read-only with plain SQLite, as a restore would. */
static sqlite3 *
open_plain(const char *path)
{
	sqlite3 *h = NULL;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	return h;
}

static int64_t
plain_scalar(sqlite3 *h, const char *sql, char *text, size_t cap)
{
	sqlite3_stmt *s = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	if (text != NULL)
		snprintf(text, cap, "%s",
		         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

/* The WAL flag of a database file (header bytes 18 and 19): 2 is WAL. */
static int
header_version(const char *path)
{
	unsigned char h[20];
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(h, 1, sizeof(h), f);
	fclose(f);
	assert_int_equal(n, sizeof(h));
	assert_int_equal(h[18], h[19]);
	return h[18];
}

static void
test_backup(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_db *other;
	struct jx_diag d;
	char dst[256], side[300], text[64];
	sqlite3 *h;

	make_items(db);
	script(db, "INSERT INTO item (n, name) VALUES (1, '一'), (2, '二'),"
	           " (3, '三');");
	/* rows still only in the WAL must be in the copy */
	assert_true(exists(fx->path));
	snprintf(side, sizeof(side), "%s-wal", fx->path);
	assert_true(exists(side));

	/* an uncommitted transaction of another connection is not */
	other = open_db(fx->path);
	jx_diag_clear(&d);
	assert_int_equal(ops->begin(other, &d), JX_OK);
	script(other, "INSERT INTO item (n, name) VALUES (4, '未提交');");

	snprintf(dst, sizeof(dst), "%s/backup.db", fx->dir);
	assert_int_equal(ops->backup(db, dst, &d), JX_OK);
	ops->rollback(other);
	ops->close(other);

	/* one self-contained file in rollback-journal mode */
	assert_int_equal(header_version(dst), 1);
	snprintf(side, sizeof(side), "%s-wal", dst);
	assert_false(exists(side));
	snprintf(side, sizeof(side), "%s-journal", dst);
	assert_false(exists(side));
	/* main.db, its -wal and -shm, backup.db: no temporary file left */
	assert_int_equal(count_files(fx->dir), 4);

	h = open_plain(dst);
	plain_scalar(h, "PRAGMA integrity_check", text, sizeof(text));
	assert_string_equal(text, "ok");
	assert_int_equal(plain_scalar(h, "SELECT count(*) FROM item", NULL, 0),
	                 3);
	assert_int_equal(plain_scalar(h, "SELECT sum(n) FROM item", NULL, 0),
	                 6);
	plain_scalar(h, "SELECT name FROM item WHERE n = 3", text,
	             sizeof(text));
	assert_string_equal(text, "三");
	plain_scalar(h, "PRAGMA journal_mode", text, sizeof(text));
	assert_string_equal(text, "delete");
	sqlite3_close(h);

	/* a second backup replaces the first whole */
	script(db, "DELETE FROM item WHERE n = 1;"
	           "INSERT INTO item (n, name) VALUES (10, '十');");
	assert_int_equal(ops->backup(db, dst, &d), JX_OK);
	h = open_plain(dst);
	assert_int_equal(plain_scalar(h, "SELECT sum(n) FROM item", NULL, 0),
	                 15);
	sqlite3_close(h);
	assert_int_equal(count_files(fx->dir), 4);

	/* a backup opens as a database of this back-end too */
	other = open_db(dst);
	assert_int_equal(scalar(other, "SELECT count(*) FROM item"), 3);
	ops->close(other);

	/* the database file itself is refused and left alone */
	assert_int_equal(ops->backup(db, fx->path, &d), JX_EINVAL);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 3);
	ops->close(db);
}

/* A backup of an in-memory database works as well. */
static void
test_backup_memory(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(":memory:");
	struct jx_diag d;
	char dst[256];
	sqlite3 *h;

	make_items(db);
	script(db, "INSERT INTO item (n) VALUES (5), (6);");
	snprintf(dst, sizeof(dst), "%s/mem.db", fx->dir);
	jx_diag_clear(&d);
	assert_int_equal(ops->backup(db, dst, &d), JX_OK);
	h = open_plain(dst);
	assert_int_equal(plain_scalar(h, "SELECT sum(n) FROM item", NULL, 0),
	                 11);
	sqlite3_close(h);
	assert_int_equal(count_files(fx->dir), 1);
	ops->close(db);
}

/* A backup that cannot be written fails cleanly and leaves nothing. */
static void
test_backup_failure(void **state)
{
	struct fx *fx = *state;
	struct jx_db *db = open_db(fx->path);
	struct jx_diag d;
	char dst[256];
	int before;

	make_items(db);
	script(db, "INSERT INTO item (n) VALUES (1);");
	before = count_files(fx->dir);

	snprintf(dst, sizeof(dst), "%s/missing/backup.db", fx->dir);
	jx_diag_clear(&d);
	assert_int_equal(ops->backup(db, dst, &d), JX_EIO);
	assert_non_null(strstr(d.message, dst));
	assert_string_equal(d.file, dst);
	assert_int_equal(count_files(fx->dir), before);

	/* the destination is a directory: the copy is made, the rename
	 * fails, and the temporary file is removed */
	snprintf(dst, sizeof(dst), "%s/adir", fx->dir);
	assert_int_equal(mkdir(dst, 0700), 0);
	before = count_files(fx->dir);
	assert_int_equal(ops->backup(db, dst, &d), JX_EIO);
	assert_int_equal(count_files(fx->dir), before);
	assert_int_equal(count_files(dst), 0);
	rmdir(dst);

	/* no path */
	assert_int_equal(ops->backup(db, "", &d), JX_EINVAL);
	assert_int_equal(scalar(db, "SELECT count(*) FROM item"), 1);
	ops->close(db);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_names),         T(test_open_settings),
	        T(test_open_memory),   T(test_open_errors),
	        T(test_insert_select), T(test_runs_without_step),
	        T(test_changes),       T(test_constraints),
	        T(test_foreign_keys),  T(test_bad_statements),
	        T(test_transactions),  T(test_commit_failure),
	        T(test_busy),          T(test_backup),
	        T(test_backup_memory), T(test_backup_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
