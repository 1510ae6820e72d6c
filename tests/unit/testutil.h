/*
 * testutil.h - helpers shared by the unit tests: read a file of the source
 * tree, load a built-in rule set, build indicators, check outcomes, and
 * give each test of the store's modules a fresh database of its own, on
 * SQLite and, when JX_TEST_PG_URL names a server, again on PostgreSQL
 * (tu_db_make, tu_run_backends). Test code only; header-only, because
 * every tests/unit/test_*.c is a program of its own.
 */
#ifndef JX_TESTUTIL_H
#define JX_TESTUTIL_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "../../src/store/backend.h"
#include "jx/dec.h"
#include "jx/model.h"
#include "jx/rules.h"
#include "jx/store.h"
#include "jx/workflow.h"

/* The contents of JX_SOURCE_DIR/rel, malloc'd and NUL-terminated, or NULL. */
static inline char *
tu_read(const char *rel, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", JX_SOURCE_DIR, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* Load rules/<name>.json into r; returns 0 on success. */
static inline int
tu_rules(struct jx_rules *r, const char *name)
{
	char rel[256];
	struct jx_diag d;
	size_t len = 0;
	char *buf;
	enum jx_err err;

	snprintf(rel, sizeof(rel), "rules/%s.json", name);
	buf = tu_read(rel, &len);
	if (buf == NULL)
		return -1;
	jx_diag_clear(&d);
	err = jx_rules_load(r, buf, len, name, rel, &d);
	if (err != JX_OK)
		fprintf(stderr, "%s: %s: %s\n", rel, d.field, d.message);
	free(buf);
	return err == JX_OK ? 0 : -1;
}

/* Load rules/workflow/<name>.json into w; returns 0 on success. */
static inline int
tu_workflow(struct jx_workflow *w, const char *name)
{
	char rel[256], src[128];
	struct jx_diag d;
	size_t len = 0;
	char *buf;
	int rc = -1;

	snprintf(rel, sizeof(rel), "rules/workflow/%s.json", name);
	snprintf(src, sizeof(src), "%s.json", name);
	jx_diag_clear(&d);
	buf = tu_read(rel, &len);
	if (buf == NULL)
		fprintf(stderr, "cannot read %s\n", rel);
	else if (jx_workflow_load(w, buf, len, src, &d) != JX_OK)
		fprintf(stderr, "%s: %s: %s\n", rel, d.field, d.message);
	else
		rc = 0;
	free(buf);
	return rc;
}

/* The value of "key: value" in the text of an .expect file into out (cap
 * bytes; "" when absent); 1 when the key is there, else 0. */
static inline int
tu_expect_field(const char *expect, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	const char *p = expect, *eol;

	out[0] = '\0';
	while (*p != '\0') {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if ((size_t)(eol - p) > klen + 1 &&
		    strncmp(p, key, klen) == 0 && p[klen] == ':' &&
		    p[klen + 1] == ' ') {
			size_t n = (size_t)(eol - p) - klen - 2;

			assert_true(n < cap);
			memcpy(out, p + klen + 2, n);
			out[n] = '\0';
			return 1;
		}
		p = *eol != '\0' ? eol + 1 : eol;
	}
	return 0;
}

/* A decimal from text; aborts the test binary on bad text. */
static inline jx_dec
tu_dec(const char *s)
{
	jx_dec v = 0;

	if (jx_dec_parse(s, strlen(s), &v) != JX_OK) {
		fprintf(stderr, "bad decimal in test: %s\n", s);
		abort();
	}
	return v;
}

static inline struct jx_opt
tu_opt(const char *s)
{
	struct jx_opt o = {0, false};

	if (s != NULL) {
		o.v = tu_dec(s);
		o.set = true;
	}
	return o;
}

/* A monotonic clock in milliseconds, for the measurement modes. */
static inline double
tu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- outcomes ------------------------------------------------------- */

/* Fail the test unless err is JX_OK, with what and d's field and message. */
static inline void
tu_must(enum jx_err err, const struct jx_diag *d, const char *what)
{
	if (err != JX_OK)
		fail_msg("%s: %s: %s: %s", what, jx_err_name(err),
		         d != NULL ? d->field : "",
		         d != NULL ? d->message : "");
}

/* Fail the test unless got is want. */
static inline void
tu_want_err(enum jx_err got, enum jx_err want, const char *what)
{
	if (got != want)
		fail_msg("%s: got %s, want %s", what, jx_err_name(got),
		         jx_err_name(want));
}

/* The value at path in the JSON v ("lines[0].actual", "grade.computed"):
 * object keys separated by '.', array indexes in brackets. NULL when
 * there is none. */
static inline json_t *
tu_json_at(json_t *v, const char *path)
{
	char key[64];
	const char *p = path;
	size_t n;

	while (v != NULL && *p != '\0') {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			v = json_array_get(v, strtoul(p + 1, NULL, 10));
			p = strchr(p, ']');
			assert_non_null(p);
			p++;
			continue;
		}
		n = strcspn(p, ".[");
		assert_true(n < sizeof(key));
		memcpy(key, p, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		p += n;
	}
	return v;
}

/* ---- raw connections ------------------------------------------------ */

/* The back-end of a store URL ("sqlite:PATH" or a PostgreSQL URL) and, in
 * *target, what its open takes. */
static inline const struct jx_db_ops *
tu_url_ops(const char *url, const char **target)
{
	if (strncmp(url, "sqlite:", 7) == 0) {
		*target = url + 7;
		return &jx_db_sqlite;
	}
	*target = url;
	return &jx_db_pg;
}

/* Run the script sql on a connection of its own to url, under the store:
 * 0, or -1 with the failure on stderr. */
static inline int
tu_script(const char *url, const char *sql)
{
	const char *target;
	const struct jx_db_ops *ops = tu_url_ops(url, &target);
	struct jx_db *db = NULL;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = ops->open(target, &db, &d);
	if (err == JX_OK) {
		err = ops->exec_script(db, sql, &d);
		ops->close(db);
	}
	if (err != JX_OK)
		fprintf(stderr, "%s: %s: %s\n", sql, jx_err_name(err),
		        d.message);
	return err == JX_OK ? 0 : -1;
}

/* As tu_script; a failure fails the test. */
static inline void
tu_raw_exec(const char *url, const char *sql)
{
	if (tu_script(url, sql) != 0)
		fail_msg("%s: failed", sql);
}

/*
 * Run sql with one integer parameter (p < 0: none) on a connection of its
 * own; the first column of the first row as an integer (INT64_MIN for
 * NULL) and/or as text (malloc'd; NULL for NULL). false when there is no
 * row; any failure fails the test.
 */
static inline bool
tu_raw_row(const char *url, const char *sql, int64_t p, int64_t *i, char **text)
{
	const char *target;
	const struct jx_db_ops *ops = tu_url_ops(url, &target);
	struct jx_db *db = NULL;
	struct jx_db_stmt *st = NULL;
	struct jx_db_param prm = {JX_DB_INT, p, NULL};
	struct jx_diag d;
	enum jx_err err;
	bool row = false;

	jx_diag_clear(&d);
	tu_must(ops->open(target, &db, &d), &d, "raw open");
	err = ops->query(db, sql, &prm, p >= 0 ? 1 : 0, &st, &d);
	if (err == JX_OK)
		err = ops->step(st, &d);
	if (err == JX_OK) {
		row = true;
		if (i != NULL)
			*i = ops->is_null(st, 0) ? INT64_MIN
			                         : ops->col_int(st, 0);
		if (text != NULL) {
			const char *t = ops->is_null(st, 0)
			                        ? NULL
			                        : ops->col_text(st, 0);

			*text = t != NULL ? strdup(t) : NULL;
		}
	} else if (err == JX_EEOF) {
		err = JX_OK;
	}
	ops->finish(st);
	ops->close(db);
	if (err != JX_OK)
		fail_msg("%s: %s: %s", sql, jx_err_name(err), d.message);
	return row;
}

/* The integer tu_raw_row reads; no row fails the test. */
static inline int64_t
tu_raw_int(const char *url, const char *sql, int64_t p)
{
	int64_t v = 0;

	if (!tu_raw_row(url, sql, p, &v, NULL))
		fail_msg("%s: no row", sql);
	return v;
}

/* ---- a fresh database per test, on both back-ends ------------------- */

enum tu_backend { TU_SQLITE = 1, TU_PG };

/* The run's settings: the back-end of the group running now, and the
 * PostgreSQL server (NULL: none). One copy per test program. */
struct tu_run {
	enum tu_backend backend;
	const char *pg_url; /* JX_TEST_PG_URL */
};

static inline struct tu_run *
tu_run(void)
{
	static struct tu_run r = {TU_SQLITE, NULL};

	return &r;
}

/* The back-end of the group running now. */
static inline enum tu_backend
tu_backend(void)
{
	return tu_run()->backend;
}

/* The PostgreSQL server of the run (JX_TEST_PG_URL), or NULL. */
static inline const char *
tu_pg_url(void)
{
	return tu_run()->pg_url;
}

/* One test's database: a file in a directory of its own on SQLite, a
 * schema of its own on PostgreSQL. */
struct tu_db {
	char dir[256];   /* SQLite: the directory */
	char path[320];  /* SQLite: the database file */
	char schema[64]; /* PostgreSQL: the schema */
	char url[2048];  /* the store URL that reaches it */
};

/*
 * Make db, an empty database for one test on the running group's
 * back-end: on SQLite the file `file` in a new directory jx-NAME-XXXXXX
 * under $TMPDIR (or /tmp); on PostgreSQL the schema jxNAME_PID_N, new
 * (dropped first if it exists), first on the search path of db->url.
 * 0, or -1 with the failure on stderr.
 */
static inline int
tu_db_make(struct tu_db *db, const char *name, const char *file)
{
	static int serial;
	const char *tmp = getenv("TMPDIR");
	const char *base = tu_pg_url();
	char sql[256];

	memset(db, 0, sizeof(*db));
	if (tu_backend() == TU_SQLITE) {
		snprintf(db->dir, sizeof(db->dir), "%s/jx-%s-XXXXXX",
		         tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", name);
		if (mkdtemp(db->dir) == NULL) {
			perror(db->dir);
			return -1;
		}
		snprintf(db->path, sizeof(db->path), "%s/%s", db->dir, file);
		snprintf(db->url, sizeof(db->url), "sqlite:%s", db->path);
		return 0;
	}
	if (base == NULL)
		return -1;
	snprintf(db->schema, sizeof(db->schema), "jx%s_%ld_%d", name,
	         (long)getpid(), ++serial);
	snprintf(sql, sizeof(sql),
	         "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
	         db->schema, db->schema);
	snprintf(db->url, sizeof(db->url), "%s%coptions=-csearch_path%%3D%s",
	         base, strchr(base, '?') != NULL ? '&' : '?', db->schema);
	return tu_script(base, sql);
}

/* Remove what tu_db_make made: every file of the directory and the
 * directory, or the schema. 0, or -1 when the schema could not be
 * dropped. */
static inline int
tu_db_drop(struct tu_db *db)
{
	char p[600];
	struct dirent *de;
	DIR *dp;

	if (db->schema[0] != '\0') {
		snprintf(p, sizeof(p), "DROP SCHEMA IF EXISTS %s CASCADE",
		         db->schema);
		return tu_script(tu_pg_url(), p);
	}
	if (db->dir[0] == '\0' || (dp = opendir(db->dir)) == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", db->dir, de->d_name);
		unlink(p);
	}
	closedir(dp);
	rmdir(db->dir);
	return 0;
}

/*
 * tu_db_make, then open the store at db->url into *s and, when migrate,
 * bring its schema to the latest version. 0, or -1 with the failure on
 * stderr (*s then NULL; what tu_db_make made is left for tu_db_close).
 */
static inline int
tu_db_open(struct tu_db *db, const char *name, const char *file, bool migrate,
           struct jx_store **s, struct jx_diag *d)
{
	*s = NULL;
	if (tu_db_make(db, name, file) != 0)
		return -1;
	jx_diag_clear(d);
	if (jx_store_open(db->url, s, d) != JX_OK ||
	    (migrate && jx_store_migrate(*s, NULL, NULL, d) != JX_OK)) {
		fprintf(stderr, "open %s: %s\n", db->url, d->message);
		jx_store_close(*s);
		*s = NULL;
		return -1;
	}
	return 0;
}

/* Close s (may be NULL) and tu_db_drop db: teardown's half of tu_db_open.
 * 0, or -1 when the database could not be dropped. */
static inline int
tu_db_close(struct tu_db *db, struct jx_store *s)
{
	jx_store_close(s);
	return tu_db_drop(db);
}

static inline int
tu_group_sqlite(void **state)
{
	(void)state;
	tu_run()->backend = TU_SQLITE;
	return 0;
}

static inline int
tu_group_pg(void **state)
{
	(void)state;
	tu_run()->backend = TU_PG;
	return 0;
}

static inline void
tu_pg_required(void **state)
{
	(void)state;
	fail_msg("JX_TEST_PG_REQUIRED=1 but JX_TEST_PG_URL is not set (run "
	         "under scripts/with-postgres.sh)");
}

/*
 * Run tests[0..n) as the group "NAME on SQLite", then, when
 * JX_TEST_PG_URL names a PostgreSQL server, again as "NAME on PostgreSQL"
 * (tu_backend() says which runs). Without a server the PostgreSQL group is
 * skipped with a note on stderr, or, with JX_TEST_PG_REQUIRED=1, is one
 * failing test. Returns the number of failed tests.
 */
static inline int
tu_run_backends_n(const char *name, const struct CMUnitTest *tests, size_t n)
{
	const struct CMUnitTest required[] = {
	        cmocka_unit_test(tu_pg_required),
	};
	const char *req = getenv("JX_TEST_PG_REQUIRED");
	char group[128];
	int failed;

	tu_run()->pg_url = getenv("JX_TEST_PG_URL");
	if (tu_run()->pg_url != NULL && tu_run()->pg_url[0] == '\0')
		tu_run()->pg_url = NULL;
	snprintf(group, sizeof(group), "%s on SQLite", name);
	failed =
	        _cmocka_run_group_tests(group, tests, n, tu_group_sqlite, NULL);
	snprintf(group, sizeof(group), "%s on PostgreSQL", name);
	if (tu_pg_url() != NULL)
		failed += _cmocka_run_group_tests(group, tests, n, tu_group_pg,
		                                  NULL);
	else if (req != NULL && strcmp(req, "1") == 0)
		failed +=
		        _cmocka_run_group_tests(group, required, 1, NULL, NULL);
	else
		fprintf(stderr,
		        "test_%s: JX_TEST_PG_URL is not set: "
		        "PostgreSQL not tested\n",
		        name);
	return failed;
}

#define tu_run_backends(name, tests)                                           \
	tu_run_backends_n((name), (tests), sizeof(tests) / sizeof((tests)[0]))

#endif
