/*
 * test_store.c - the store (include/jx/store.h) through its public
 * interface, on both back-ends: every test runs on SQLite (a new file in a
 * fresh mkdtemp directory) and, when JX_TEST_PG_URL names a PostgreSQL
 * database, again on PostgreSQL, each test in a schema of its own that is
 * dropped afterwards (scripts/with-postgres.sh starts a throw-away server).
 * With JX_TEST_PG_REQUIRED=1 and no URL the run fails instead of leaving
 * PostgreSQL out.
 *
 * Covered: migrations (0 -> latest, re-run, a newer schema refused), the
 * organisation tree, users, the round trip of every fixture (seeds, audit
 * cases, valid interchange fixtures: export(import(x)) == x byte for byte),
 * idempotent and changed re-imports with their audit entries, optimistic
 * concurrency of project and self-evaluation edits, payments and
 * adjustments, money that is not whole 分 rolled back, backup and restore
 * (SQLite; refused on PostgreSQL) and a department's summary checked
 * against the core engine.
 *
 * The same binary has hidden modes used by the integration scripts and the
 * benchmark (main() looks at argv before cmocka runs):
 *
 *   test_store --stress URL EVAL_ID POSITION N WRITER
 *       N acknowledged jx_store_eval_set_actual writes (read the version,
 *       pause, write; a stale version is counted and retried), one line
 *       "ack VERSION TOKEN" per write, then "done ...".
 *   test_store --info URL DOC_ID
 *       "EVAL_ID VERSION AUDIT_ENTRIES INDICATORS" of the evaluation whose
 *       document id is DOC_ID.
 *   test_store --bench-summary URL REPEAT
 *       times jx_store_dept_summary over the largest department-year.
 *
 * It reads the database only through the store, except where a test must
 * look under it (a raw connection of the back-end, src/store/backend.h):
 * planting a future schema version, reading audit rows and computed columns,
 * PRAGMA integrity_check.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
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

#include "../../src/store/backend.h"
#include "jx/audit.h"
#include "jx/buf.h"
#include "jx/evaljson.h"
#include "jx/limits.h"
#include "jx/score.h"
#include "jx/store.h"
#include "testutil.h"

/* One test's database. */
struct fx {
	struct tu_db db; /* its SQLite file or PostgreSQL schema */
	struct jx_store *s;
	struct jx_diag d;
	/* Scratch owned by the fixture, so that a failing test (cmocka jumps
	 * out of it) leaks nothing: freed by teardown. */
	struct jx_eval e;   /* the test's evaluation */
	struct jx_eval tmp; /* helpers' */
	struct jx_arena ar;
};

/* Rule sets by name, loaded once per process. */
struct rules_cache {
	char name[64];
	struct jx_rules r;
	bool loaded;
};

static struct rules_cache g_rules[8];

/* ---- helpers --------------------------------------------------------- */

/* The rule set `name` (NULL: mof-2020), loaded on first use. */
static const struct jx_rules *
rules(const char *name)
{
	size_t i;

	if (name == NULL)
		name = "mof-2020";
	for (i = 0; i < sizeof(g_rules) / sizeof(g_rules[0]); i++) {
		if (g_rules[i].loaded && strcmp(g_rules[i].name, name) == 0)
			return &g_rules[i].r;
		if (!g_rules[i].loaded) {
			if (tu_rules(&g_rules[i].r, name) != 0)
				fail_msg("cannot load rules/%s.json", name);
			snprintf(g_rules[i].name, sizeof(g_rules[i].name), "%s",
			         name);
			g_rules[i].loaded = true;
			return &g_rules[i].r;
		}
	}
	fail_msg("too many rule sets");
	return NULL;
}

static void
rules_free(void)
{
	size_t i;

	for (i = 0; i < sizeof(g_rules) / sizeof(g_rules[0]); i++)
		if (g_rules[i].loaded) {
			jx_rules_cleanup(&g_rules[i].r);
			g_rules[i].loaded = false;
		}
}

/* Parse the fixture file rel (relative to the source tree) into e. */
static void
parse_fixture(const char *rel, struct jx_eval *e)
{
	struct jx_diag d;
	size_t len = 0;
	char *buf = tu_read(rel, &len);
	enum jx_err err;

	if (buf == NULL)
		fail_msg("cannot read %s", rel);
	jx_diag_clear(&d);
	err = jx_evaljson_read(buf, len, rel, 0, e, &d);
	free(buf);
	if (err != JX_OK)
		fail_msg("%s: %s: %s", rel, d.field, d.message);
}

/* The canonical interchange text of e, malloc'd. */
static char *
canon(const struct jx_eval *e)
{
	struct jx_buf b;
	char *out;

	jx_buf_init(&b, JX_MAX_RECORD_BYTES * 2u);
	if (jx_evaljson_write(&b, e) != JX_OK || b.data == NULL)
		fail_msg("jx_evaljson_write failed");
	out = strdup(b.data);
	jx_buf_free(&b);
	assert_non_null(out);
	return out;
}

/* The canonical text of stored evaluation id, malloc'd. */
static char *
stored(struct fx *fx, int64_t id)
{
	tu_must(jx_store_eval_load(fx->s, id, &fx->tmp, &fx->d), &fx->d,
	        "eval_load");
	return canon(&fx->tmp);
}

/* Compare two canonical texts; on a difference show where. */
static void
same_text(const char *got, const char *want, const char *what)
{
	size_t i = 0;

	if (strcmp(got, want) == 0)
		return;
	while (got[i] != '\0' && got[i] == want[i])
		i++;
	fail_msg("%s: differs at byte %zu:\n  got  ...%.80s\n  want ...%.80s",
	         what, i, got + (i > 20 ? i - 20 : 0),
	         want + (i > 20 ? i - 20 : 0));
}

static enum jx_err
import(struct fx *fx, const struct jx_eval *e, enum jx_import_outcome *out,
       int64_t *id)
{
	jx_diag_clear(&fx->d);
	return jx_store_eval_import(fx->s, e, rules(e->rules), "test", out, id,
	                            &fx->d);
}

/* Import the fixture rel and expect `want`; the evaluation's id. */
static int64_t
import_fixture(struct fx *fx, const char *rel, enum jx_import_outcome want)
{
	enum jx_import_outcome o = 0;
	int64_t id = 0;

	parse_fixture(rel, &fx->tmp);
	tu_must(import(fx, &fx->tmp, &o, &id), &fx->d, rel);
	if (o != want)
		fail_msg("%s: outcome %d, want %d", rel, (int)o, (int)want);
	return id;
}

static void
stats(struct fx *fx, struct jx_store_stats *st)
{
	tu_must(jx_store_stats(fx->s, st, &fx->d), &fx->d, "stats");
}

static void
same_stats(const struct jx_store_stats *a, const struct jx_store_stats *b,
           const char *what)
{
	if (memcmp(a, b, sizeof(*a)) != 0)
		fail_msg("%s: counts changed: orgs %" PRId64 "/%" PRId64
		         " users %" PRId64 "/%" PRId64 " projects %" PRId64
		         "/%" PRId64 " payments %" PRId64 "/%" PRId64
		         " adjustments %" PRId64 "/%" PRId64 " evals %" PRId64
		         "/%" PRId64 " indicators %" PRId64 "/%" PRId64
		         " errors %" PRId64 "/%" PRId64 " audit %" PRId64
		         "/%" PRId64 " schema %d/%d",
		         what, a->orgs, b->orgs, a->users, b->users,
		         a->projects, b->projects, a->payments, b->payments,
		         a->adjustments, b->adjustments, a->evals, b->evals,
		         a->indicators, b->indicators, a->findings_errors,
		         b->findings_errors, a->audit_entries, b->audit_entries,
		         a->schema_version, b->schema_version);
}

static int64_t
version_of(struct fx *fx, int64_t id)
{
	int64_t v = 0;

	tu_must(jx_store_eval_version(fx->s, id, &v, &fx->d), &fx->d,
	        "eval_version");
	return v;
}

static int64_t
audit_count(struct fx *fx, const char *table, int64_t id)
{
	int64_t n = 0;

	tu_must(jx_store_audit_count(fx->s, table, id, &n, &fx->d), &fx->d,
	        "audit_count");
	return n;
}

static void
migrate(struct fx *fx)
{
	tu_must(jx_store_migrate(fx->s, NULL, NULL, &fx->d), &fx->d, "migrate");
}

/* ---- raw access under the store ---------------------------------------- */

/* PRAGMA integrity_check of the SQLite file at path. */
static void
integrity_ok(const char *path)
{
	char url[600];
	char *res = NULL;

	snprintf(url, sizeof(url), "sqlite:%s", path);
	if (!tu_raw_row(url, "PRAGMA integrity_check", -1, NULL, &res))
		fail_msg("integrity_check of %s gave no row", path);
	if (res == NULL || strcmp(res, "ok") != 0)
		fail_msg("integrity_check of %s: %s", path,
		         res != NULL ? res : "(null)");
	free(res);
}

/* ---- per-test database ------------------------------------------------- */

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tu_db_open(&fx->db, "store", "store.db", false, &fx->s, &fx->d) !=
	    0) {
		free(fx);
		return -1;
	}
	jx_eval_init(&fx->e);
	jx_eval_init(&fx->tmp);
	jx_arena_init(&fx->ar, 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	int rc;

	if (fx == NULL)
		return 0;
	rc = tu_db_close(&fx->db, fx->s);
	jx_eval_cleanup(&fx->e);
	jx_eval_cleanup(&fx->tmp);
	jx_arena_cleanup(&fx->ar);
	free(fx);
	return rc;
}

/* ---- migrations -------------------------------------------------------- */

/* An empty database is at version 0 and migrates to the latest. */
static void
t_migrate_empty(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats st;
	int v = -1, from = -1, to = -1;

	assert_true(jx_store_schema_latest() >= 1);
	tu_must(jx_store_schema_version(fx->s, &v, &fx->d), &fx->d, "version");
	assert_int_equal(v, 0);
	stats(fx, &st);
	assert_int_equal(st.schema_version, 0);
	assert_int_equal(st.evals, 0);
	tu_must(jx_store_migrate(fx->s, &from, &to, &fx->d), &fx->d, "migrate");
	assert_int_equal(from, 0);
	assert_int_equal(to, jx_store_schema_latest());
	tu_must(jx_store_schema_version(fx->s, &v, &fx->d), &fx->d, "version");
	assert_int_equal(v, jx_store_schema_latest());
	stats(fx, &st);
	assert_int_equal(st.schema_version, jx_store_schema_latest());
	assert_int_equal(st.orgs + st.projects + st.evals + st.audit_entries,
	                 0);
	assert_string_equal(jx_store_backend(fx->s), tu_backend() == TU_SQLITE
	                                                     ? "sqlite"
	                                                     : "postgresql");
}

/* Migrating again does nothing: same versions, same data. */
static void
t_migrate_rerun(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	struct jx_store *s2 = NULL;
	int from = -1, to = -1;

	migrate(fx);
	import_fixture(fx, "tests/data/seeds/001.json", JX_IMPORT_CREATED);
	stats(fx, &a);
	tu_must(jx_store_migrate(fx->s, &from, &to, &fx->d), &fx->d, "again");
	assert_int_equal(from, jx_store_schema_latest());
	assert_int_equal(to, jx_store_schema_latest());
	/* A second connection (another process starting) too. */
	tu_must(jx_store_open(fx->db.url, &s2, &fx->d), &fx->d, "open 2");
	tu_must(jx_store_migrate(s2, &from, &to, &fx->d), &fx->d, "migrate 2");
	assert_int_equal(from, to);
	jx_store_close(s2);
	stats(fx, &b);
	same_stats(&a, &b, "re-run migration");
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT COUNT(*) FROM jx_schema_migration",
	                            -1),
	                 jx_store_schema_latest());
}

/* A schema newer than this build is refused, never "migrated". */
static void
t_migrate_newer_refused(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	int v = 0;

	migrate(fx);
	import_fixture(fx, "tests/data/seeds/000.json", JX_IMPORT_CREATED);
	tu_raw_exec(fx->db.url,
	            "INSERT INTO jx_schema_migration (version, name, "
	            "applied_at) VALUES (999, 'from the future', "
	            "'2099-01-01T00:00:00Z')");
	tu_must(jx_store_schema_version(fx->s, &v, &fx->d), &fx->d, "version");
	assert_int_equal(v, 999);
	stats(fx, &a);
	jx_diag_clear(&fx->d);
	tu_want_err(jx_store_migrate(fx->s, NULL, NULL, &fx->d), JX_EINVAL,
	            "migrate a newer schema");
	assert_string_equal(fx->d.field, "schema");
	assert_non_null(strstr(fx->d.message, "999"));
	stats(fx, &b);
	same_stats(&a, &b, "refused migration");
}

/* ---- organisations and users ------------------------------------------ */

static enum jx_err
org(struct fx *fx, int64_t parent, enum jx_org_kind kind, const char *name,
    int64_t *id)
{
	jx_diag_clear(&fx->d);
	return jx_store_org_ensure(fx->s, parent, kind, name, NULL, NULL, NULL,
	                           id, &fx->d);
}

static void
t_org_tree(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	struct jx_org o;
	int64_t root = 0, dept = 0, dept2 = 0, unit = 0, unit2 = 0, direct = 0;
	int64_t x = 0;

	migrate(fx);
	/* Only the finance bureau may be a root. */
	tu_want_err(org(fx, 0, JX_ORG_DEPARTMENT, "教育局", &x), JX_EINVAL,
	            "department as root");
	tu_want_err(org(fx, 0, JX_ORG_UNIT, "第一中学", &x), JX_EINVAL,
	            "unit as root");
	stats(fx, &a);
	assert_int_equal(a.orgs, 0);
	tu_must(jx_store_org_ensure(fx->s, 0, JX_ORG_FINANCE, "市财政局", "F01",
	                            "370100", "济南市", &root, &fx->d),
	        &fx->d, "root");
	tu_must(org(fx, root, JX_ORG_DEPARTMENT, "教育局", &dept), &fx->d,
	        "dept");
	tu_must(org(fx, dept, JX_ORG_UNIT, "第一中学", &unit), &fx->d, "unit");
	/* A unit directly under the finance bureau is allowed. */
	tu_must(org(fx, root, JX_ORG_UNIT, "直属单位", &direct), &fx->d,
	        "unit under root");
	stats(fx, &a);
	assert_int_equal(a.orgs, 4);

	/* Kinds that do not fit under their parent. */
	tu_want_err(org(fx, unit, JX_ORG_UNIT, "下属单位", &x), JX_EINVAL,
	            "unit under unit");
	assert_string_equal(fx->d.field, "kind");
	tu_want_err(org(fx, unit, JX_ORG_DEPARTMENT, "部门", &x), JX_EINVAL,
	            "department under unit");
	tu_want_err(org(fx, dept, JX_ORG_DEPARTMENT, "部门", &x), JX_EINVAL,
	            "department under department");
	tu_want_err(org(fx, dept, JX_ORG_FINANCE, "财政", &x), JX_EINVAL,
	            "finance under department");
	tu_want_err(org(fx, root, JX_ORG_DEPARTMENT, "", &x), JX_EINVAL,
	            "empty name");
	tu_want_err(org(fx, 987654, JX_ORG_UNIT, "孤儿", &x), JX_ENOTFOUND,
	            "unknown parent");
	stats(fx, &b);
	same_stats(&a, &b, "refused organisations");

	/* The same name under the same parent is the same organisation. */
	tu_must(org(fx, root, JX_ORG_DEPARTMENT, "教育局", &x), &fx->d,
	        "again");
	assert_int_equal(x, dept);
	tu_must(org(fx, dept, JX_ORG_UNIT, "第一中学", &x), &fx->d, "again");
	assert_int_equal(x, unit);
	stats(fx, &b);
	same_stats(&a, &b, "reused organisations");
	/* ... but under another parent it is another one. */
	tu_must(org(fx, root, JX_ORG_DEPARTMENT, "卫生健康委", &dept2), &fx->d,
	        "dept2");
	tu_must(org(fx, dept2, JX_ORG_UNIT, "第一中学", &unit2), &fx->d,
	        "unit2");
	assert_int_not_equal(unit2, unit);

	tu_must(jx_store_org_get(fx->s, root, &o, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_int_equal(o.parent_id, 0);
	assert_int_equal(o.kind, JX_ORG_FINANCE);
	assert_string_equal(o.name, "市财政局");
	assert_string_equal(o.code, "F01");
	assert_string_equal(o.region_code, "370100");
	assert_string_equal(o.region_name, "济南市");
	tu_must(jx_store_org_get(fx->s, unit2, &o, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_int_equal(o.parent_id, dept2);
	assert_int_equal(o.kind, JX_ORG_UNIT);
	assert_string_equal(o.name, "第一中学");
	assert_null(o.code);
	assert_int_equal(o.version, 1);
	tu_must(jx_store_org_get(fx->s, direct, &o, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_int_equal(o.parent_id, root);
	tu_want_err(jx_store_org_get(fx->s, 987654, &o, &fx->ar, &fx->d),
	            JX_ENOTFOUND, "unknown organisation");
}

static void
t_users(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	struct jx_user u, got;
	int64_t root = 0, id = 0, x = 0;

	migrate(fx);
	tu_must(org(fx, 0, JX_ORG_FINANCE, "财政局", &root), &fx->d, "root");
	memset(&u, 0, sizeof(u));
	u.org_id = root;
	u.login = "zhang.san";
	u.name = "张三";
	u.role = JX_ROLE_FINANCE;
	u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
	tu_must(jx_store_user_create(fx->s, &u, &id, &fx->d), &fx->d, "create");
	tu_must(jx_store_user_get(fx->s, "zhang.san", &got, &fx->ar, &fx->d),
	        &fx->d, "get");
	assert_int_equal(got.id, id);
	assert_int_equal(got.org_id, root);
	assert_string_equal(got.name, "张三");
	assert_string_equal(got.role, JX_ROLE_FINANCE);
	assert_string_equal(got.password_hash, u.password_hash);
	assert_int_equal(got.version, 1);
	stats(fx, &a);
	assert_int_equal(a.users, 1);

	/* The same login again: a conflict, nothing written. */
	u.name = "另一个张三";
	u.role = JX_ROLE_UNIT;
	jx_diag_clear(&fx->d);
	tu_want_err(jx_store_user_create(fx->s, &u, &x, &fx->d), JX_ECONFLICT,
	            "duplicate login");
	assert_string_equal(fx->d.field, "login");
	/* Unknown and missing roles. */
	u.login = "li.si";
	u.role = "superuser";
	tu_want_err(jx_store_user_create(fx->s, &u, &x, &fx->d), JX_EINVAL,
	            "unknown role");
	assert_string_equal(fx->d.field, "role");
	u.role = NULL;
	tu_want_err(jx_store_user_create(fx->s, &u, &x, &fx->d), JX_EINVAL,
	            "no role");
	stats(fx, &b);
	same_stats(&a, &b, "refused users");
	tu_want_err(jx_store_user_get(fx->s, "li.si", &got, &fx->ar, &fx->d),
	            JX_ENOTFOUND, "unknown login");
	/* The first user is unchanged. */
	tu_must(jx_store_user_get(fx->s, "zhang.san", &got, &fx->ar, &fx->d),
	        &fx->d, "get");
	assert_string_equal(got.name, "张三");
	/* Every role is accepted. */
	u.login = "wang.wu";
	u.role = JX_ROLE_ADMIN;
	u.password_hash = NULL;
	tu_must(jx_store_user_create(fx->s, &u, &x, &fx->d), &fx->d, "admin");
	tu_must(jx_store_user_get(fx->s, "wang.wu", &got, &fx->ar, &fx->d),
	        &fx->d, "get");
	assert_null(got.password_hash);
}

/* ---- round trip -------------------------------------------------------- */

struct fixture_list {
	char **rel;
	size_t n;
};

static int
json_file(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && strcmp(de->d_name + n - 5, ".json") == 0;
}

/* Add the .json files of dir (relative to the source tree) whose names
 * start with prefix (NULL: any), in name order. */
static void
list_add(struct fixture_list *l, const char *dir, const char *prefix)
{
	char abs[4200];
	struct dirent **names = NULL;
	int n, i;

	snprintf(abs, sizeof(abs), "%s/%s", JX_SOURCE_DIR, dir);
	n = scandir(abs, &names, json_file, alphasort);
	if (n < 0)
		fail_msg("cannot list %s: %s", abs, strerror(errno));
	for (i = 0; i < n; i++) {
		char rel[512];

		if (prefix == NULL ||
		    strncmp(names[i]->d_name, prefix, strlen(prefix)) == 0) {
			char **nr = realloc(l->rel, (l->n + 1) * sizeof(*nr));

			assert_non_null(nr);
			l->rel = nr;
			snprintf(rel, sizeof(rel), "%s/%s", dir,
			         names[i]->d_name);
			l->rel[l->n] = strdup(rel);
			assert_non_null(l->rel[l->n]);
			l->n++;
		}
		free(names[i]);
	}
	free(names);
}

static void
list_free(struct fixture_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->rel[i]);
	free(l->rel);
}

static void
all_fixtures(struct fixture_list *l)
{
	memset(l, 0, sizeof(*l));
	list_add(l, "tests/data/seeds", NULL);
	list_add(l, "tests/data/audit", NULL);
	list_add(l, "tests/data/evaljson", "1");
	/* 4 seeds, 22 audit cases, 8 valid interchange fixtures at least. */
	assert_true(l->n >= 30);
}

/* Whether the core engine can score e under its rules (it refuses
 * figures whose arithmetic would overflow, as `jixiao check` does). */
static bool
scorable(const struct jx_eval *e)
{
	struct jx_arena ar;
	struct jx_result res;
	enum jx_err err;

	jx_arena_init(&ar, 0);
	err = jx_score_run(e, rules(e->rules), &ar, &res);
	jx_arena_cleanup(&ar);
	return err == JX_OK;
}

/*
 * Every fixture imported and loaded back is the same document byte for
 * byte. Fixtures without an id that describe the same project (same year,
 * department, unit and title) replace one another: the later import is an
 * update of the same evaluation, and only the last of them is compared at
 * the end. Then every import repeated changes nothing.
 */
static void
t_roundtrip(void **state)
{
	struct fx *fx = *state;
	struct fixture_list l;
	struct jx_store_stats a, b;
	int64_t *ids;
	char **texts;
	size_t i, j, live = 0, unscorable = 0;

	migrate(fx);
	all_fixtures(&l);
	ids = calloc(l.n, sizeof(*ids));
	texts = calloc(l.n, sizeof(*texts));
	assert_true(ids != NULL && texts != NULL);
	for (i = 0; i < l.n; i++) {
		enum jx_import_outcome o = 0;
		enum jx_import_outcome want = JX_IMPORT_CREATED;
		char *back;

		parse_fixture(l.rel[i], &fx->e);
		texts[i] = canon(&fx->e);
		if (!scorable(&fx->e)) {
			/* `jixiao check` refuses it too (exit 2): the import
			 * fails and writes nothing. */
			stats(fx, &a);
			if (import(fx, &fx->e, &o, &ids[i]) == JX_OK)
				fail_msg("%s: cannot be scored, yet imported",
				         l.rel[i]);
			stats(fx, &b);
			same_stats(&a, &b, l.rel[i]);
			ids[i] = 0;
			unscorable++;
			continue;
		}
		tu_must(import(fx, &fx->e, &o, &ids[i]), &fx->d, l.rel[i]);
		for (j = 0; j < i; j++)
			if (ids[j] == ids[i]) {
				want = JX_IMPORT_UPDATED;
				ids[j] = 0; /* superseded */
			}
		if (o != want)
			fail_msg("%s: outcome %d, want %d", l.rel[i], (int)o,
			         (int)want);
		back = stored(fx, ids[i]);
		same_text(back, texts[i], l.rel[i]);
		free(back);
	}
	/* All of them, once everything is in. */
	for (i = 0; i < l.n; i++) {
		char *back;

		if (ids[i] == 0)
			continue;
		live++;
		back = stored(fx, ids[i]);
		same_text(back, texts[i], l.rel[i]);
		free(back);
	}
	stats(fx, &a);
	assert_int_equal(a.evals, (int64_t)live);
	/* 103-numbers (a weight of 9223372036854.775807) at most. */
	assert_true(unscorable <= 1);
	/* Re-importing every one is a no-op. */
	for (i = 0; i < l.n; i++) {
		enum jx_import_outcome o = 0;
		int64_t id = 0, v, n;

		if (ids[i] == 0)
			continue;
		v = version_of(fx, ids[i]);
		n = audit_count(fx, "jx_self_eval", ids[i]);
		parse_fixture(l.rel[i], &fx->e);
		tu_must(import(fx, &fx->e, &o, &id), &fx->d, l.rel[i]);
		if (o != JX_IMPORT_UNCHANGED || id != ids[i])
			fail_msg("%s: re-import outcome %d id %" PRId64,
			         l.rel[i], (int)o, id);
		assert_int_equal(version_of(fx, id), v);
		assert_int_equal(audit_count(fx, "jx_self_eval", id), n);
	}
	stats(fx, &b);
	same_stats(&a, &b, "re-import of every fixture");
	for (i = 0; i < l.n; i++)
		free(texts[i]);
	free(texts);
	free(ids);
	list_free(&l);
}

/* Re-importing the same content writes nothing, not even the log. */
static void
t_reimport_noop(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	int64_t id, id2 = 0, v, n;
	enum jx_import_outcome o = 0;

	migrate(fx);
	id = import_fixture(fx, "tests/data/seeds/004.json", JX_IMPORT_CREATED);
	import_fixture(fx, "tests/data/seeds/003.json", JX_IMPORT_CREATED);
	v = version_of(fx, id);
	assert_int_equal(v, 1);
	n = audit_count(fx, "jx_self_eval", id);
	assert_int_equal(n, 1);
	stats(fx, &a);
	/* The same document, parsed again. */
	parse_fixture("tests/data/seeds/004.json", &fx->e);
	tu_must(import(fx, &fx->e, &o, &id2), &fx->d, "re-import");
	assert_int_equal(o, JX_IMPORT_UNCHANGED);
	assert_int_equal(id2, id);
	/* And what the store gives back, imported again. */
	tu_must(jx_store_eval_load(fx->s, id, &fx->e, &fx->d), &fx->d, "load");
	tu_must(import(fx, &fx->e, &o, &id2), &fx->d,
	        "re-import of the export");
	assert_int_equal(o, JX_IMPORT_UNCHANGED);
	assert_int_equal(id2, id);
	assert_int_equal(version_of(fx, id), v);
	assert_int_equal(audit_count(fx, "jx_self_eval", id), n);
	stats(fx, &b);
	same_stats(&a, &b, "re-import");
}

/* Changed content: updated in place, version + 1, before and after logged. */
static void
t_import_changed(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	enum jx_import_outcome o = 0;
	int64_t id, other, id2 = 0, v, n, vo;
	char *orig, *changed, *back, *other_text, *before = NULL, *after = NULL;
	char sql[256];

	migrate(fx);
	id = import_fixture(fx, "tests/data/seeds/001.json", JX_IMPORT_CREATED);
	other = import_fixture(fx, "tests/data/seeds/004.json",
	                       JX_IMPORT_CREATED);
	other_text = stored(fx, other);
	vo = version_of(fx, other);
	v = version_of(fx, id);
	n = audit_count(fx, "jx_self_eval", id);
	stats(fx, &a);

	parse_fixture("tests/data/seeds/001.json", &fx->e);
	orig = canon(&fx->e);
	assert_true(fx->e.nindicators > 2);
	fx->e.indicators[2].actual = "0 项";
	fx->e.indicators[2].deviation_reason = "系统迁移推迟到次年";
	changed = canon(&fx->e);
	assert_string_not_equal(orig, changed);
	tu_must(import(fx, &fx->e, &o, &id2), &fx->d, "changed import");
	assert_int_equal(o, JX_IMPORT_UPDATED);
	assert_int_equal(id2, id);
	assert_int_equal(version_of(fx, id), v + 1);
	assert_int_equal(audit_count(fx, "jx_self_eval", id), n + 1);
	back = stored(fx, id);
	same_text(back, changed, "after the changed import");
	free(back);

	/* The log entry holds the old and the new document. */
	snprintf(sql, sizeof(sql),
	         "SELECT before_json FROM jx_audit_log WHERE table_name = "
	         "'jx_self_eval' AND record_id = ? ORDER BY id DESC LIMIT 1");
	assert_true(tu_raw_row(fx->db.url, sql, id, NULL, &before));
	snprintf(sql, sizeof(sql),
	         "SELECT after_json FROM jx_audit_log WHERE table_name = "
	         "'jx_self_eval' AND record_id = ? ORDER BY id DESC LIMIT 1");
	assert_true(tu_raw_row(fx->db.url, sql, id, NULL, &after));
	assert_non_null(before);
	assert_non_null(after);
	same_text(before, orig, "audit before_json");
	same_text(after, changed, "audit after_json");

	/* Nothing else moved: one more log entry, same number of rows. */
	stats(fx, &b);
	assert_int_equal(b.evals, a.evals);
	assert_int_equal(b.projects, a.projects);
	assert_int_equal(b.indicators, a.indicators);
	assert_true(b.audit_entries > a.audit_entries);
	assert_int_equal(version_of(fx, other), vo);
	back = stored(fx, other);
	same_text(back, other_text, "the other evaluation");
	free(back);

	/* Back to the original: updated again. */
	parse_fixture("tests/data/seeds/001.json", &fx->e);
	tu_must(import(fx, &fx->e, &o, &id2), &fx->d, "original again");
	assert_int_equal(o, JX_IMPORT_UPDATED);
	assert_int_equal(version_of(fx, id), v + 2);
	back = stored(fx, id);
	same_text(back, orig, "restored original");
	free(back);
	free(before);
	free(after);
	free(orig);
	free(changed);
	free(other_text);
}

/* ---- optimistic concurrency -------------------------------------------- */

static void
t_project_update(void **state)
{
	struct fx *fx = *state;
	struct jx_project p, q, got;
	int64_t pid = 0, n;

	migrate(fx);
	import_fixture(fx, "tests/data/seeds/004.json", JX_IMPORT_CREATED);
	tu_must(jx_store_project_find(fx->s, "seed-004", &pid, &fx->d), &fx->d,
	        "find");
	tu_want_err(jx_store_project_find(fx->s, "no-such-code", &n, &fx->d),
	            JX_ENOTFOUND, "unknown code");
	tu_must(jx_store_project_get(fx->s, pid, &p, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_string_equal(p.code, "seed-004");
	assert_int_equal(p.year, 2022);
	assert_true(p.unit_id > 0 && p.dept_id > 0);
	n = audit_count(fx, "jx_project", pid);

	/* With the version read: applied, version + 1. */
	q = p;
	q.name = "政务服务平台运维（更名）";
	q.type = "运行维护类";
	q.start_date = "2022-01-01";
	q.end_date = "2022-12-31";
	tu_must(jx_store_project_update(fx->s, &q, "tester", &fx->d), &fx->d,
	        "update");
	tu_must(jx_store_project_get(fx->s, pid, &got, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_string_equal(got.name, q.name);
	assert_string_equal(got.type, "运行维护类");
	assert_string_equal(got.end_date, "2022-12-31");
	assert_int_equal(got.version, p.version + 1);
	assert_int_equal(audit_count(fx, "jx_project", pid), n + 1);

	/* A second writer still holding the old version: refused. */
	q = p;
	q.name = "另一个名字";
	jx_diag_clear(&fx->d);
	tu_want_err(jx_store_project_update(fx->s, &q, "other", &fx->d),
	            JX_ECONFLICT, "stale project version");
	assert_string_equal(fx->d.field, "version");
	tu_must(jx_store_project_get(fx->s, pid, &got, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_string_equal(got.name, "政务服务平台运维（更名）");
	assert_int_equal(got.version, p.version + 1);
	assert_int_equal(audit_count(fx, "jx_project", pid), n + 1);

	/* Bad dates and unknown projects. */
	q = got;
	q.end_date = "2022-02-30";
	tu_want_err(jx_store_project_update(fx->s, &q, "t", &fx->d), JX_EINVAL,
	            "bad date");
	q = got;
	q.id = 987654;
	tu_want_err(jx_store_project_update(fx->s, &q, "t", &fx->d),
	            JX_ENOTFOUND, "unknown project");
	tu_must(jx_store_project_get(fx->s, pid, &got, &fx->ar, &fx->d), &fx->d,
	        "get");
	assert_int_equal(got.version, p.version + 1);
}

static int64_t
c_total(struct fx *fx, int64_t id)
{
	return tu_raw_int(fx->db.url,
	                  "SELECT c_total_m FROM jx_self_eval WHERE id = ?",
	                  id);
}

static int64_t
findings(struct fx *fx, int64_t id)
{
	return tu_raw_int(fx->db.url,
	                  "SELECT COUNT(*) FROM jx_finding WHERE eval_id = ?",
	                  id);
}

static void
t_eval_set_actual(void **state)
{
	struct fx *fx = *state;
	enum jx_import_outcome o = 0;
	int64_t id, v, nv = 0, n, total0, total1, f0, f1, x = 0;
	char *before, *after, *logged = NULL;

	migrate(fx);
	/* seed-001: indicator 1 is "1 项" -> "1 项", full marks. */
	id = import_fixture(fx, "tests/data/seeds/001.json", JX_IMPORT_CREATED);
	v = version_of(fx, id);
	n = audit_count(fx, "jx_self_eval", id);
	total0 = c_total(fx, id);
	f0 = findings(fx, id);
	assert_true(total0 > 0);
	before = stored(fx, id);

	/* The right version: written, recomputed, logged. */
	tu_must(jx_store_eval_set_actual(fx->s, id, 1, "0 项", "设备未到货", v,
	                                 rules(NULL), "tester", &nv, &fx->d),
	        &fx->d, "set_actual");
	assert_int_equal(nv, v + 1);
	assert_int_equal(version_of(fx, id), v + 1);
	assert_int_equal(audit_count(fx, "jx_self_eval", id), n + 1);
	total1 = c_total(fx, id);
	f1 = findings(fx, id);
	if (!(total1 < total0))
		fail_msg("total %" PRId64 " -> %" PRId64 ": a missed target "
		         "must lower the computed total",
		         total0, total1);
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT COUNT(*) FROM jx_self_eval_line "
	                            "WHERE eval_id = ? AND position = 1 AND "
	                            "c_outcome <> 'met'",
	                            id),
	                 1);
	tu_must(jx_store_eval_load(fx->s, id, &fx->e, &fx->d), &fx->d, "load");
	assert_string_equal(fx->e.indicators[1].actual, "0 项");
	assert_string_equal(fx->e.indicators[1].deviation_reason, "设备未到货");
	after = canon(&fx->e);
	assert_true(tu_raw_row(fx->db.url,
	                       "SELECT after_json FROM jx_audit_log WHERE "
	                       "table_name = 'jx_self_eval' AND record_id = ? "
	                       "ORDER BY id DESC LIMIT 1",
	                       id, NULL, &logged));
	same_text(logged, after, "logged after_json");
	free(logged);
	logged = NULL;
	assert_true(tu_raw_row(fx->db.url,
	                       "SELECT before_json FROM jx_audit_log WHERE "
	                       "table_name = 'jx_self_eval' AND record_id = ? "
	                       "ORDER BY id DESC LIMIT 1",
	                       id, NULL, &logged));
	same_text(logged, before, "logged before_json");
	free(logged);

	/* The content hash follows the edit: importing what is stored is a
	 * no-op, importing the original document is an update. */
	tu_must(import(fx, &fx->e, &o, &x), &fx->d, "import of the edited");
	assert_int_equal(o, JX_IMPORT_UNCHANGED);
	assert_int_equal(version_of(fx, id), v + 1);

	/* A stale version: refused, nothing written. */
	jx_diag_clear(&fx->d);
	tu_want_err(jx_store_eval_set_actual(fx->s, id, 1, "1 项", NULL, v,
	                                     rules(NULL), "late", &nv, &fx->d),
	            JX_ECONFLICT, "stale eval version");
	assert_string_equal(fx->d.field, "version");
	assert_int_equal(version_of(fx, id), v + 1);
	assert_int_equal(audit_count(fx, "jx_self_eval", id), n + 1);
	assert_int_equal(c_total(fx, id), total1);
	assert_int_equal(findings(fx, id), f1);
	logged = stored(fx, id);
	same_text(logged, after, "after a stale write");
	free(logged);

	/* A position past the end: nothing written, not even the version. */
	tu_want_err(jx_store_eval_set_actual(fx->s, id, 9999, "1", NULL, v + 1,
	                                     rules(NULL), "t", &nv, &fx->d),
	            JX_ENOTFOUND, "position past the end");
	assert_int_equal(version_of(fx, id), v + 1);
	tu_want_err(jx_store_eval_set_actual(fx->s, 987654, 0, "1", NULL, 1,
	                                     rules(NULL), "t", &nv, &fx->d),
	            JX_ENOTFOUND, "unknown evaluation");

	/* Back to full marks with the current version. */
	tu_must(jx_store_eval_set_actual(fx->s, id, 1, "1 项", NULL, v + 1,
	                                 rules(NULL), "tester", &nv, &fx->d),
	        &fx->d, "set back");
	assert_int_equal(nv, v + 2);
	assert_int_equal(c_total(fx, id), total0);
	assert_int_equal(findings(fx, id), f0);

	parse_fixture("tests/data/seeds/001.json", &fx->e);
	tu_must(import(fx, &fx->e, &o, &x), &fx->d, "import of the original");
	/* The deviation reason differs from the document's, so: updated. */
	assert_int_equal(o, JX_IMPORT_UPDATED);
	assert_int_equal(version_of(fx, id), v + 3);
	free(before);
	free(after);
}

/* ---- money ------------------------------------------------------------- */

static void
funds(struct fx *fx, int64_t pid, struct jx_project_funds *f)
{
	tu_must(jx_store_project_funds(fx->s, pid, f, &fx->d), &fx->d, "funds");
}

static enum jx_err
pay(struct fx *fx, int64_t pid, const char *date, int64_t fen,
    const char *payee)
{
	struct jx_payment p;
	int64_t id = 0;

	memset(&p, 0, sizeof(p));
	p.project_id = pid;
	p.date = date;
	p.amount_fen = fen;
	p.payee = payee;
	p.purpose = "运维服务费";
	jx_diag_clear(&fx->d);
	return jx_store_payment_add(fx->s, &p, "tester", &id, &fx->d);
}

static void
t_payments(void **state)
{
	struct fx *fx = *state;
	struct jx_project_funds f;
	struct jx_store_stats a, b;
	int64_t pid = 0;

	migrate(fx);
	/* seed-000: 年初 134, 全年 131.4, 执行 131.4 (万元). */
	import_fixture(fx, "tests/data/seeds/000.json", JX_IMPORT_CREATED);
	tu_must(jx_store_project_find(fx->s, "seed-000", &pid, &fx->d), &fx->d,
	        "find");
	funds(fx, pid, &f);
	assert_true(f.has_initial && f.has_annual && f.has_executed);
	assert_int_equal(f.initial_fen, INT64_C(134000000));
	assert_int_equal(f.annual_fen, INT64_C(131400000));
	assert_int_equal(f.executed_fen, INT64_C(131400000));
	assert_false(f.executed_from_payments);
	assert_int_equal(f.npayments, 0);

	tu_must(pay(fx, pid, "2024-03-01", INT64_C(50000000), "某科技公司"),
	        &fx->d, "payment 1");
	tu_must(pay(fx, pid, "2024-02-29", INT64_C(1234567), "某科技公司"),
	        &fx->d, "payment 2 (leap day)");
	funds(fx, pid, &f);
	assert_true(f.executed_from_payments);
	assert_int_equal(f.npayments, 2);
	assert_int_equal(f.executed_fen, INT64_C(51234567));
	assert_int_equal(f.initial_fen, INT64_C(134000000));
	assert_int_equal(audit_count(fx, "jx_payment", 0), 2);
	stats(fx, &a);
	assert_int_equal(a.payments, 2);

	/* Bad dates, amounts and payees; unknown projects. */
	tu_want_err(pay(fx, pid, "2024-02-30", 100, "x"), JX_EINVAL, "Feb 30");
	assert_string_equal(fx->d.field, "date");
	tu_want_err(pay(fx, pid, "2023-02-29", 100, "x"), JX_EINVAL,
	            "Feb 29 of 2023");
	tu_want_err(pay(fx, pid, "2024-13-01", 100, "x"), JX_EINVAL,
	            "month 13");
	tu_want_err(pay(fx, pid, "2024-3-01", 100, "x"), JX_EINVAL, "short");
	tu_want_err(pay(fx, pid, "2024-04-31", 100, "x"), JX_EINVAL, "Apr 31");
	tu_want_err(pay(fx, pid, NULL, 100, "x"), JX_EINVAL, "no date");
	tu_want_err(pay(fx, pid, "2024-03-02", 0, "x"), JX_EINVAL, "zero");
	assert_string_equal(fx->d.field, "amount");
	tu_want_err(pay(fx, pid, "2024-03-02", -500, "x"), JX_EINVAL,
	            "negative");
	tu_want_err(pay(fx, pid, "2024-03-02", 500, ""), JX_EINVAL, "no payee");
	tu_want_err(pay(fx, 987654, "2024-03-02", 500, "x"), JX_ENOTFOUND,
	            "unknown project");
	stats(fx, &b);
	same_stats(&a, &b, "refused payments");
	funds(fx, pid, &f);
	assert_int_equal(f.executed_fen, INT64_C(51234567));
}

static void
t_adjustments(void **state)
{
	struct fx *fx = *state;
	struct jx_project_funds f;
	struct jx_store_stats a, b;
	int64_t pid = 0, id = 0;

	migrate(fx);
	import_fixture(fx, "tests/data/seeds/000.json", JX_IMPORT_CREATED);
	tu_must(jx_store_project_find(fx->s, "seed-000", &pid, &fx->d), &fx->d,
	        "find");
	tu_must(jx_store_adjustment_add(fx->s, pid, "2021-06-30",
	                                -INT64_C(2600000), "年中追减预算",
	                                "tester", &id, &fx->d),
	        &fx->d, "cut");
	funds(fx, pid, &f);
	assert_int_equal(f.nadjustments, 1);
	assert_true(f.has_annual);
	assert_int_equal(f.annual_fen, INT64_C(134000000) - INT64_C(2600000));
	tu_must(jx_store_adjustment_add(fx->s, pid, "2021-09-30",
	                                INT64_C(1000000), "追加运维经费",
	                                "tester", &id, &fx->d),
	        &fx->d, "raise");
	funds(fx, pid, &f);
	assert_int_equal(f.nadjustments, 2);
	assert_int_equal(f.annual_fen, INT64_C(132400000));
	assert_int_equal(f.initial_fen, INT64_C(134000000));
	assert_int_equal(audit_count(fx, "jx_adjustment", 0), 2);
	stats(fx, &a);
	assert_int_equal(a.adjustments, 2);

	tu_want_err(jx_store_adjustment_add(fx->s, pid, "2021-09-30", 0, "零",
	                                    "t", &id, &fx->d),
	            JX_EINVAL, "zero adjustment");
	tu_want_err(jx_store_adjustment_add(fx->s, pid, "2021-09-30", 100, "",
	                                    "t", &id, &fx->d),
	            JX_EINVAL, "no reason");
	tu_want_err(jx_store_adjustment_add(fx->s, pid, "2021-09-31", 100, "r",
	                                    "t", &id, &fx->d),
	            JX_EINVAL, "Sep 31");
	tu_want_err(jx_store_adjustment_add(fx->s, 987654, "2021-09-30", 100,
	                                    "r", "t", &id, &fx->d),
	            JX_ENOTFOUND, "unknown project");
	stats(fx, &b);
	same_stats(&a, &b, "refused adjustments");
}

/* Money that is not a whole number of 分: refused, the whole import
 * rolled back. */
static void
t_money_not_fen(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats zero, a, b;
	enum jx_import_outcome o = 0;
	int64_t id = 0, known, v;
	char *text, *back;

	migrate(fx);
	/* Into an empty database: not even the organisations stay. */
	stats(fx, &zero);
	parse_fixture("tests/data/seeds/001.json", &fx->e);
	assert_true(fx->e.has_funds);
	fx->e.funds.unit = "元";
	fx->e.funds.total.initial = tu_opt("1.005");
	tu_want_err(import(fx, &fx->e, &o, &id), JX_EINVAL, "1.005 元");
	assert_string_equal(fx->d.field, "funds");
	stats(fx, &b);
	same_stats(&zero, &b, "refused import into an empty database");

	/* Into a database with data. */
	known = import_fixture(fx, "tests/data/seeds/004.json",
	                       JX_IMPORT_CREATED);
	stats(fx, &a);
	tu_want_err(import(fx, &fx->e, &o, &id), JX_EINVAL, "1.005 元 again");
	stats(fx, &b);
	same_stats(&a, &b, "refused import");

	/* A source row, in 万元 with a millionth too many is impossible (6
	 * decimals are 分 exactly), so in 元: 0.001 元. */
	parse_fixture("tests/data/seeds/001.json", &fx->e);
	fx->e.funds.unit = "元";
	assert_true(fx->e.funds.nsources > 0);
	fx->e.funds.sources[0].annual = tu_opt("2.001");
	tu_want_err(import(fx, &fx->e, &o, &id), JX_EINVAL, "source row");
	assert_string_equal(fx->d.field, "funds.sources[0]");
	stats(fx, &b);
	same_stats(&a, &b, "refused source row");

	/* A changed import of an existing evaluation: the old one stays. */
	text = stored(fx, known);
	v = version_of(fx, known);
	parse_fixture("tests/data/seeds/004.json", &fx->e);
	fx->e.funds.unit = "元";
	fx->e.funds.total.executed = tu_opt("0.123");
	tu_want_err(import(fx, &fx->e, &o, &id), JX_EINVAL, "changed import");
	assert_int_equal(version_of(fx, known), v);
	back = stored(fx, known);
	same_text(back, text, "evaluation after a refused update");
	stats(fx, &b);
	same_stats(&a, &b, "refused update");

	/* The same figures in whole 分 are fine. */
	fx->e.funds.total.executed = tu_opt("0.12");
	tu_must(import(fx, &fx->e, &o, &id), &fx->d, "whole fen");
	assert_int_equal(o, JX_IMPORT_UPDATED);
	free(back);
	free(text);
}

/* ---- backup and restore -------------------------------------------------- */

/* The whole file at path, malloc'd; *len its size. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	assert_non_null(buf);
	return buf;
}

static void
spill(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
stats_of(const char *path, struct jx_store_stats *st)
{
	char url[600];
	struct jx_store *s = NULL;
	struct jx_diag d;

	snprintf(url, sizeof(url), "sqlite:%s", path);
	jx_diag_clear(&d);
	tu_must(jx_store_open(url, &s, &d), &d, "open copy");
	tu_must(jx_store_stats(s, st, &d), &d, "stats of copy");
	jx_store_close(s);
}

/* Files in dir whose names contain part. */
static int
files_like(const char *dir, const char *part)
{
	struct dirent *de;
	DIR *dp = opendir(dir);
	int n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		if (strstr(de->d_name, part) != NULL)
			n++;
	closedir(dp);
	return n;
}

static void
t_backup(void **state)
{
	struct fx *fx = *state;
	struct jx_store_stats a, b;
	struct jx_store *s2 = NULL;
	char bak[400], dest[400], bad[400], old[400], gone[400];
	char url[450], sql[128];
	char *before, *after, *img;
	size_t blen = 0, alen = 0, ilen = 0, i;
	int64_t one, nv = 0;

	migrate(fx);
	import_fixture(fx, "tests/data/seeds/000.json", JX_IMPORT_CREATED);
	one = import_fixture(fx, "tests/data/seeds/001.json",
	                     JX_IMPORT_CREATED);
	if (tu_backend() == TU_PG) {
		char path[64];

		snprintf(path, sizeof(path), "/tmp/jx-store-pg-%ld.db",
		         (long)getpid());
		jx_diag_clear(&fx->d);
		tu_want_err(jx_store_backup(fx->s, path, &fx->d), JX_EPERM,
		            "backup on PostgreSQL");
		assert_true(fx->d.message[0] != '\0');
		assert_int_equal(access(path, F_OK), -1);
		return;
	}
	stats(fx, &a);
	snprintf(bak, sizeof(bak), "%s/backup.db", fx->db.dir);
	snprintf(dest, sizeof(dest), "%s/restored.db", fx->db.dir);
	snprintf(bad, sizeof(bad), "%s/garbage.db", fx->db.dir);
	snprintf(old, sizeof(old), "%s/future.db", fx->db.dir);
	snprintf(gone, sizeof(gone), "%s/no-such-backup.db", fx->db.dir);

	/* A backup while the store is open; the live database moves on. */
	tu_must(jx_store_backup(fx->s, bak, &fx->d), &fx->d, "backup");
	integrity_ok(bak);
	tu_must(jx_store_eval_set_actual(fx->s, one, 0, "0 项", "推迟",
	                                 version_of(fx, one), rules(NULL), "t",
	                                 &nv, &fx->d),
	        &fx->d, "write after backup");
	stats_of(bak, &b);
	same_stats(&a, &b, "the backup");

	/* Restore into a new path and over an existing database. */
	tu_must(jx_store_restore_sqlite(bak, dest, &fx->d), &fx->d, "restore");
	integrity_ok(dest);
	stats_of(dest, &b);
	same_stats(&a, &b, "restored copy");
	unlink(dest);
	snprintf(url, sizeof(url), "sqlite:%s", dest);
	tu_must(jx_store_open(url, &s2, &fx->d), &fx->d, "open other");
	tu_must(jx_store_migrate(s2, NULL, NULL, &fx->d), &fx->d,
	        "migrate other");
	jx_store_close(s2);
	stats_of(dest, &b);
	assert_int_equal(b.evals, 0);
	tu_must(jx_store_restore_sqlite(bak, dest, &fx->d), &fx->d,
	        "restore over");
	stats_of(dest, &b);
	same_stats(&a, &b, "restored over an existing database");
	integrity_ok(bak); /* the backup itself is never modified */
	before = slurp(dest, &blen);

	/* Garbage: refused, the destination untouched. */
	img = malloc(32768);
	assert_non_null(img);
	for (i = 0; i < 32768; i++)
		img[i] = (char)("这不是数据库"[i % 18]);
	spill(bad, img, 32768);
	jx_diag_clear(&fx->d);
	if (jx_store_restore_sqlite(bad, dest, &fx->d) == JX_OK)
		fail_msg("a garbage file was restored");
	assert_true(fx->d.message[0] != '\0');
	after = slurp(dest, &alen);
	assert_true(alen == blen && memcmp(before, after, blen) == 0);
	free(after);

	/* A backup with a damaged page: refused, destination untouched. */
	free(img);
	img = slurp(bak, &ilen);
	assert_true(ilen > 3 * 4096);
	memset(img + 2 * 4096, 0x5a, 4096);
	spill(bad, img, ilen);
	jx_diag_clear(&fx->d);
	if (jx_store_restore_sqlite(bad, dest, &fx->d) == JX_OK)
		fail_msg("a damaged backup was restored");
	after = slurp(dest, &alen);
	assert_true(alen == blen && memcmp(before, after, blen) == 0);
	free(after);

	/* A backup from a newer jixiao: refused. */
	free(img);
	img = slurp(bak, &ilen);
	spill(old, img, ilen);
	snprintf(url, sizeof(url), "sqlite:%s", old);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO jx_schema_migration VALUES (999, 'future', "
	         "'2099-01-01T00:00:00Z')");
	tu_raw_exec(url, sql);
	jx_diag_clear(&fx->d);
	tu_want_err(jx_store_restore_sqlite(old, dest, &fx->d), JX_EINVAL,
	            "restore of a newer schema");
	tu_want_err(jx_store_restore_sqlite(gone, dest, &fx->d), JX_ENOTFOUND,
	            "restore of a missing file");
	after = slurp(dest, &alen);
	assert_true(alen == blen && memcmp(before, after, blen) == 0);
	free(after);
	/* No half-written files left behind. */
	assert_int_equal(files_like(fx->db.dir, ".restore-"), 0);
	stats_of(dest, &b);
	same_stats(&a, &b, "destination after refused restores");
	free(before);
	free(img);
}

/* ---- department summary ------------------------------------------------- */

/*
 * Seven evaluations of one department and year, made from seed-004 with k
 * of its indicators missed; one of another year and one of another
 * department that must not count. The expected figures come from the core
 * engine (score and audit), and the money from jx_store_project_funds.
 */
static void
t_dept_summary(void **state)
{
	static const char *const grades[] = {"优", "良", "中", "差"};
	struct fx *fx = *state;
	struct jx_dept_summary sum;
	struct jx_dept_summary want;
	struct jx_project p;
	struct jx_project_funds f;
	enum jx_import_outcome o = 0;
	int64_t id = 0, dept = 0, pids[7], adj = 0;
	int distinct = 0, k;
	size_t i;
	char code[32], unit[32];

	migrate(fx);
	memset(&want, 0, sizeof(want));
	for (k = 0; k < 7; k++) {
		struct jx_result res;
		struct jx_findings fi;
		int64_t b;

		parse_fixture("tests/data/seeds/004.json", &fx->e);
		snprintf(code, sizeof(code), "sum-%d", k);
		snprintf(unit, sizeof(unit), "汇总单位%d", k % 3);
		fx->e.id = code;
		fx->e.unit = unit;
		fx->e.department = "汇总测试局";
		fx->e.year = 2023;
		for (i = 0; i < (size_t)k && i < fx->e.nindicators; i++)
			fx->e.indicators[i].actual = "0";
		tu_must(import(fx, &fx->e, &o, &id), &fx->d, code);
		assert_int_equal(o, JX_IMPORT_CREATED);
		jx_arena_reset(&fx->ar);
		assert_int_equal(
		        jx_score_run(&fx->e, rules(NULL), &fx->ar, &res),
		        JX_OK);
		assert_int_equal(jx_audit_run(&fx->e, rules(NULL), &res,
		                              &fx->ar, 0, &fi),
		                 JX_OK);
		want.projects++;
		want.evals++;
		for (i = 0; i < 4; i++)
			if (res.grade != NULL &&
			    strcmp(res.grade->name, grades[i]) == 0)
				break;
		if (want.by_grade[i]++ == 0)
			distinct++;
		if (fi.nerrors > 0)
			want.with_errors++;
		b = res.total / INT64_C(10000000);
		want.score_buckets[b < 0 ? 0 : b > 9 ? 9 : b]++;
		tu_must(jx_store_project_find(fx->s, code, &pids[k], &fx->d),
		        &fx->d, "find");
	}
	/* Not counted: another year, another department. */
	parse_fixture("tests/data/seeds/004.json", &fx->e);
	fx->e.id = "sum-other-year";
	fx->e.department = "汇总测试局";
	fx->e.year = 2022;
	tu_must(import(fx, &fx->e, &o, &id), &fx->d, "other year");
	parse_fixture("tests/data/seeds/004.json", &fx->e);
	fx->e.id = "sum-other-dept";
	fx->e.department = "别的局";
	fx->e.year = 2023;
	tu_must(import(fx, &fx->e, &o, &id), &fx->d, "other department");

	tu_must(jx_store_project_get(fx->s, pids[0], &p, &fx->ar, &fx->d),
	        &fx->d, "project");
	dept = p.dept_id;
	assert_true(dept > 0);
	assert_true(distinct >= 2); /* the set is not all one grade */

	for (k = 0; k < 7; k++) {
		funds(fx, pids[k], &f);
		want.annual_fen += f.annual_fen;
		want.executed_fen += f.executed_fen;
	}
	tu_must(jx_store_dept_summary(fx->s, dept, 2023, &sum, &fx->d), &fx->d,
	        "summary");
	assert_int_equal(sum.projects, want.projects);
	assert_int_equal(sum.evals, want.evals);
	for (i = 0; i < 5; i++)
		if (sum.by_grade[i] != want.by_grade[i])
			fail_msg("by_grade[%zu] (%s): %" PRId64
			         ", want %" PRId64,
			         i, i < 4 ? grades[i] : "none", sum.by_grade[i],
			         want.by_grade[i]);
	assert_int_equal(sum.with_errors, want.with_errors);
	for (i = 0; i < 10; i++)
		if (sum.score_buckets[i] != want.score_buckets[i])
			fail_msg("score bucket %zu: %" PRId64 ", want %" PRId64,
			         i, sum.score_buckets[i],
			         want.score_buckets[i]);
	assert_int_equal(sum.annual_fen, want.annual_fen);
	assert_int_equal(sum.executed_fen, want.executed_fen);
	assert_true(sum.annual_fen > 0);

	/* Other years and departments: their own figures. */
	tu_must(jx_store_dept_summary(fx->s, dept, 2022, &sum, &fx->d), &fx->d,
	        "other year");
	assert_int_equal(sum.projects, 1);
	assert_int_equal(sum.evals, 1);
	tu_must(jx_store_dept_summary(fx->s, dept, 2030, &sum, &fx->d), &fx->d,
	        "empty year");
	assert_int_equal(sum.projects + sum.evals + sum.annual_fen, 0);

	/* Payments and adjustments are the project's money now (store.h):
	 * the summary agrees with jx_store_project_funds. */
	tu_must(pay(fx, pids[0], "2023-05-01", INT64_C(12345), "某公司"),
	        &fx->d, "payment");
	tu_must(jx_store_adjustment_add(fx->s, pids[1], "2023-06-01",
	                                -INT64_C(100000), "压减", "t", &adj,
	                                &fx->d),
	        &fx->d, "adjustment");
	want.annual_fen = want.executed_fen = 0;
	for (k = 0; k < 7; k++) {
		funds(fx, pids[k], &f);
		want.annual_fen += f.annual_fen;
		want.executed_fen += f.executed_fen;
	}
	tu_must(jx_store_dept_summary(fx->s, dept, 2023, &sum, &fx->d), &fx->d,
	        "summary after payments");
	if (sum.executed_fen != want.executed_fen ||
	    sum.annual_fen != want.annual_fen)
		fail_msg("dept summary money after a payment and an "
		         "adjustment: annual %" PRId64 " executed %" PRId64
		         ", but the projects' funds sum to annual %" PRId64
		         " executed %" PRId64,
		         sum.annual_fen, sum.executed_fen, want.annual_fen,
		         want.executed_fen);
}

/* ---- hidden modes -------------------------------------------------------- */

static bool
parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/*
 * --stress URL EVAL_ID POSITION N WRITER: N acknowledged edits of indicator
 * POSITION of evaluation EVAL_ID, each "read the version, pause 2 ms,
 * write", retried on a conflict. Prints "ack NEW_VERSION TOKEN" for each
 * acknowledged write and "done writer=W acked=N conflicts=C busy=B".
 * Exit 0, or 1 on any other error or when it cannot finish within
 * two minutes.
 */
static int
stress_main(int argc, char **argv)
{
	struct jx_store *s = NULL;
	struct jx_rules r;
	struct jx_diag d;
	int64_t eval_id, pos, n, writer, acked = 0, conflicts = 0, busy = 0;
	int64_t v = 0, nv = 0;
	double start;
	enum jx_err err;
	int status = 1;
	bool have_rules = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 7 || !parse_i64(argv[3], 1, INT64_MAX, &eval_id) ||
	    !parse_i64(argv[4], 0, JX_MAX_INDICATORS, &pos) ||
	    !parse_i64(argv[5], 1, 1000000, &n) ||
	    !parse_i64(argv[6], 0, 1000, &writer)) {
		fprintf(stderr, "usage: test_store --stress URL EVAL_ID "
		                "POSITION N WRITER\n");
		return 2;
	}
	jx_diag_clear(&d);
	if (tu_rules(&r, "mof-2020") != 0)
		goto done;
	have_rules = true;
	err = jx_store_open(argv[2], &s, &d);
	if (err != JX_OK)
		goto fail;
	start = tu_now_ms();
	while (acked < n) {
		char token[64];
		struct timespec pause = {0, 2000000L};

		if (tu_now_ms() - start > 120000.0) {
			fprintf(stderr,
			        "writer %" PRId64 ": gave up after "
			        "120 s\n",
			        writer);
			goto done;
		}
		jx_diag_clear(&d);
		err = jx_store_eval_version(s, eval_id, &v, &d);
		if (err != JX_OK)
			goto fail;
		snprintf(token, sizeof(token), "w%" PRId64 "n%" PRId64, writer,
		         acked + 1);
		/* Let the others get in between the read and the write. */
		nanosleep(&pause, NULL);
		err = jx_store_eval_set_actual(s, eval_id, (size_t)pos, token,
		                               "并发测试", v, &r, "stress", &nv,
		                               &d);
		if (err == JX_ECONFLICT) {
			if (strcmp(d.field, "version") == 0)
				conflicts++;
			else
				busy++;
			continue;
		}
		if (err != JX_OK)
			goto fail;
		if (nv != v + 1) {
			fprintf(stderr,
			        "writer %" PRId64 ": version %" PRId64
			        " -> %" PRId64 "\n",
			        writer, v, nv);
			goto done;
		}
		printf("ack %" PRId64 " %s\n", nv, token);
		acked++;
	}
	printf("done writer=%" PRId64 " acked=%" PRId64 " conflicts=%" PRId64
	       " busy=%" PRId64 "\n",
	       writer, acked, conflicts, busy);
	status = 0;
	goto done;
fail:
	fprintf(stderr, "writer %s: %s: %s: %s\n", argv[6], jx_err_name(err),
	        d.field, d.message);
done:
	jx_store_close(s);
	if (have_rules)
		jx_rules_cleanup(&r);
	return status;
}

/* --info URL DOC_ID: "EVAL_ID VERSION AUDIT_ENTRIES INDICATORS". */
static int
info_main(int argc, char **argv)
{
	struct jx_store *s = NULL;
	struct jx_eval e;
	struct jx_diag d;
	int64_t *ids = NULL, v = 0, n = 0;
	size_t nids = 0, i;
	int status = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: test_store --info URL DOC_ID\n");
		return 2;
	}
	jx_diag_clear(&d);
	jx_eval_init(&e);
	if (jx_store_open(argv[2], &s, &d) != JX_OK ||
	    jx_store_eval_ids(s, &ids, &nids, &d) != JX_OK)
		goto done;
	for (i = 0; i < nids; i++) {
		if (jx_store_eval_load(s, ids[i], &e, &d) != JX_OK)
			goto done;
		if (e.id == NULL || strcmp(e.id, argv[3]) != 0)
			continue;
		if (jx_store_eval_version(s, ids[i], &v, &d) != JX_OK ||
		    jx_store_audit_count(s, "jx_self_eval", ids[i], &n, &d) !=
		            JX_OK)
			goto done;
		printf("%" PRId64 " %" PRId64 " %" PRId64 " %zu\n", ids[i], v,
		       n, e.nindicators);
		status = 0;
		break;
	}
	if (status != 0 && d.message[0] == '\0')
		jx_diag_set(&d, JX_ENOTFOUND, "id", "no evaluation %s",
		            argv[3]);
done:
	if (status != 0)
		fprintf(stderr, "test_store --info: %s\n", d.message);
	free(ids);
	jx_eval_cleanup(&e);
	jx_store_close(s);
	return status;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * --bench-summary URL REPEAT: the department and year with the most
 * projects, and the time of jx_store_dept_summary over it: the first call
 * and the minimum and median of REPEAT more. One line of key=value.
 */
static int
bench_main(int argc, char **argv)
{
	const char *target;
	const struct jx_db_ops *ops;
	struct jx_db *db = NULL;
	struct jx_db_stmt *st = NULL;
	struct jx_store *s = NULL;
	struct jx_dept_summary sum;
	struct jx_diag d;
	int64_t repeat = 0, dept = 0, year = 0, nproj = 0, i;
	double *ms = NULL, t0, first;
	enum jx_err err;
	int status = 1;

	if (argc != 4 || !parse_i64(argv[3], 1, 100000, &repeat)) {
		fprintf(stderr,
		        "usage: test_store --bench-summary URL REPEAT\n");
		return 2;
	}
	jx_diag_clear(&d);
	ops = tu_url_ops(argv[2], &target);
	err = ops->open(target, &db, &d);
	if (err == JX_OK)
		err = ops->query(db,
		                 "SELECT dept_id, year, COUNT(*) FROM "
		                 "jx_project WHERE dept_id IS NOT NULL GROUP "
		                 "BY dept_id, year ORDER BY COUNT(*) DESC "
		                 "LIMIT 1",
		                 NULL, 0, &st, &d);
	if (err == JX_OK)
		err = ops->step(st, &d);
	if (err == JX_OK) {
		dept = ops->col_int(st, 0);
		year = ops->col_int(st, 1);
		nproj = ops->col_int(st, 2);
	}
	ops->finish(st);
	ops->close(db);
	if (err != JX_OK)
		goto done;
	ms = calloc((size_t)repeat, sizeof(*ms));
	if (ms == NULL)
		goto done;
	err = jx_store_open(argv[2], &s, &d);
	if (err != JX_OK)
		goto done;
	t0 = tu_now_ms();
	err = jx_store_dept_summary(s, dept, (int)year, &sum, &d);
	first = tu_now_ms() - t0;
	for (i = 0; err == JX_OK && i < repeat; i++) {
		t0 = tu_now_ms();
		err = jx_store_dept_summary(s, dept, (int)year, &sum, &d);
		ms[i] = tu_now_ms() - t0;
	}
	if (err != JX_OK)
		goto done;
	if (sum.projects != nproj) {
		fprintf(stderr,
		        "summary counts %" PRId64 " projects, "
		        "want %" PRId64 "\n",
		        sum.projects, nproj);
		goto done;
	}
	qsort(ms, (size_t)repeat, sizeof(*ms), cmp_double);
	printf("backend=%s dept=%" PRId64 " year=%" PRId64 " projects=%" PRId64
	       " evals=%" PRId64 " with_errors=%" PRId64
	       " first_ms=%.1f min_ms=%.1f "
	       "median_ms=%.1f repeat=%" PRId64 "\n",
	       jx_store_backend(s), dept, year, sum.projects, sum.evals,
	       sum.with_errors, first, ms[0], ms[repeat / 2], repeat);
	status = 0;
done:
	if (status != 0)
		fprintf(stderr, "test_store --bench-summary: %s: %s\n",
		        jx_err_name(err), d.message);
	free(ms);
	jx_store_close(s);
	return status;
}

/* ---- main ------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        T(t_migrate_empty),
	        T(t_migrate_rerun),
	        T(t_migrate_newer_refused),
	        T(t_org_tree),
	        T(t_users),
	        T(t_roundtrip),
	        T(t_reimport_noop),
	        T(t_import_changed),
	        T(t_project_update),
	        T(t_eval_set_actual),
	        T(t_payments),
	        T(t_adjustments),
	        T(t_money_not_fen),
	        T(t_backup),
	        T(t_dept_summary),
	};
	int failed;

	if (argc >= 2 && strcmp(argv[1], "--stress") == 0)
		return stress_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--info") == 0)
		return info_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "--bench-summary") == 0)
		return bench_main(argc, argv);

	failed = tu_run_backends("store", tests);
	rules_free();
	return failed;
}
