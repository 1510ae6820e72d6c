/*
 * test_ledger.c - projects and their money (include/jx/ledger.h) and the
 * handlers over them (src/http/h_projects.c, h_money.c), on both
 * back-ends: every test runs on SQLite (a new file in a fresh mkdtemp
 * directory) and, when JX_TEST_PG_URL names a PostgreSQL database, again
 * on PostgreSQL, each test in a schema of its own that is dropped
 * afterwards. JX_TEST_PG_REQUIRED=1 without a URL fails the run.
 *
 * Every test builds the same organisation tree:
 *
 *   财政局 (finance: fin, admin)
 *   ├── 教育局 (department A: deptA)
 *   │   ├── 第一中学 (unit A1: unitA1)
 *   │   └── 第二中学 (unit A2: unitA2)
 *   ├── 卫健委 (department B: deptB)
 *   │   └── 人民医院 (unit B1: unitB1)
 *   └── 直属单位 (unit F1, no department)
 *
 * Covered: scoping (a unit sees its own projects only, a department its
 * units', finance everything; out of scope is JX_ENOTFOUND for reads and
 * writes, and nothing is written); creation rules; the list's filters,
 * orders (NULLs last both ways), paging and total; money arithmetic
 * (budget, adjustments, payments, stored figures, execution rate, time
 * progress and lag at fixed dates); stale versions; refused writes leave
 * no trace; history; a few handlers called directly with a filled struct
 * jx_http_req, and the body schemas.
 *
 * Hidden mode for the index question (main() looks at argv first):
 *   test_ledger --bench URL N   fills URL with N projects (if empty) and
 *                               times the list queries as finance sees
 *                               them.
 */
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

#include "../../src/http/handlers.h"
#include "../../src/store/internal.h"
#include "jx/ledger.h"
#include "jx/store.h"
#include "jx/text.h"
#include "jx/workflow.h"
#include "testutil.h"

/* A caller and the storage of its strings. */
struct user {
	struct jx_who w;
	char path[64];
};

/* One test's database and tree. */
struct fx {
	struct tu_db db;
	struct jx_store *s;
	struct jx_diag d;
	int64_t root, deptA, deptB, a1, a2, b1, f1;
	struct user fin, admin, deptA_u, deptB_u, unitA1, unitA2, unitB1;
};

/* ---- helpers --------------------------------------------------------- */

/* Run sql with integer parameters (a..., terminated by INT64_MIN). */
static int64_t
sql_int(struct fx *fx, const char *sql, ...)
{
	struct jx_db_param p[8];
	size_t n = 0;
	int64_t v = 0, x;
	va_list ap;

	va_start(ap, sql);
	while (n < 8 && (x = va_arg(ap, int64_t)) != INT64_MIN)
		p[n++] = P_INT(x);
	va_end(ap);
	tu_must(jx_store_one_int(fx->s, sql, p, n, &v, &fx->d), &fx->d, sql);
	return v;
}

#define END INT64_MIN

static void
sql_run(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	tu_must(jx_store_run(fx->s, sql, p, n, &fx->d), &fx->d, sql);
}

/* Column 0 of the first row as text (malloc'd), NULL when SQL NULL. */
static char *
sql_text(struct fx *fx, const char *sql, int64_t p)
{
	struct jx_db_stmt *st = NULL;
	struct jx_db_param prm = P_INT(p);
	char *out = NULL;
	enum jx_err err;

	err = fx->s->ops->query(fx->s->db, sql, &prm, 1, &st, &fx->d);
	if (err == JX_OK)
		err = fx->s->ops->step(st, &fx->d);
	if (err == JX_OK && !fx->s->ops->is_null(st, 0))
		out = strdup(fx->s->ops->col_text(st, 0));
	fx->s->ops->finish(st);
	tu_must(err, &fx->d, sql);
	return out;
}

/* What every refused write must leave unchanged. */
struct counts {
	int64_t projects, funds, payments, adjustments, audit, years;
	int64_t versions; /* sum of project versions */
	int64_t money;    /* sum of fund figures */
};

static void
counts(struct fx *fx, struct counts *c)
{
	c->projects = sql_int(fx, "SELECT COUNT(*) FROM jx_project", END);
	c->funds = sql_int(fx, "SELECT COUNT(*) FROM jx_fund", END);
	c->payments = sql_int(fx, "SELECT COUNT(*) FROM jx_payment", END);
	c->adjustments = sql_int(fx, "SELECT COUNT(*) FROM jx_adjustment", END);
	c->audit = sql_int(fx, "SELECT COUNT(*) FROM jx_audit_log", END);
	c->years = sql_int(fx, "SELECT COUNT(*) FROM jx_fiscal_year", END);
	c->versions = sql_int(
	        fx, "SELECT COALESCE(SUM(version), 0) FROM jx_project", END);
	c->money = sql_int(fx,
	                   "SELECT COALESCE(SUM(COALESCE(initial_fen, 0) + "
	                   "COALESCE(annual_fen, 0)), 0) FROM jx_fund",
	                   END);
}

static void
same_counts(struct fx *fx, const struct counts *a, const char *what)
{
	struct counts b;

	counts(fx, &b);
	if (memcmp(a, &b, sizeof(b)) != 0)
		fail_msg("%s: something was written (projects %" PRId64
		         "/%" PRId64 ", funds %" PRId64 "/%" PRId64
		         ", payments %" PRId64 "/%" PRId64
		         ", adjustments %" PRId64 "/%" PRId64 ", audit %" PRId64
		         "/%" PRId64 ", versions %" PRId64 "/%" PRId64 ")",
		         what, a->projects, b.projects, a->funds, b.funds,
		         a->payments, b.payments, a->adjustments, b.adjustments,
		         a->audit, b.audit, a->versions, b.versions);
}

static void
user_init(struct fx *fx, struct user *u, const char *login, const char *role,
          int64_t org)
{
	char *path = sql_text(fx, "SELECT path FROM jx_org WHERE id = ?", org);
	char *kind = sql_text(fx, "SELECT kind FROM jx_org WHERE id = ?", org);

	assert_non_null(path);
	assert_non_null(kind);
	snprintf(u->path, sizeof(u->path), "%s", path);
	memset(&u->w, 0, sizeof(u->w));
	u->w.user_id = org;
	u->w.login = login;
	u->w.name = login;
	u->w.role = role;
	u->w.org_id = org;
	u->w.org_kind = strcmp(kind, "finance") == 0      ? "finance"
	                : strcmp(kind, "department") == 0 ? "department"
	                                                  : "unit";
	u->w.org_path = u->path;
	free(path);
	free(kind);
}

static void
tree(struct fx *fx)
{
	struct jx_diag *d = &fx->d;

	tu_must(jx_store_migrate(fx->s, NULL, NULL, d), d, "migrate");
	tu_must(jx_store_org_ensure(fx->s, 0, JX_ORG_FINANCE, "财政局", NULL,
	                            NULL, NULL, &fx->root, d),
	        d, "root");
	tu_must(jx_store_org_ensure(fx->s, fx->root, JX_ORG_DEPARTMENT,
	                            "教育局", NULL, NULL, NULL, &fx->deptA, d),
	        d, "deptA");
	tu_must(jx_store_org_ensure(fx->s, fx->root, JX_ORG_DEPARTMENT,
	                            "卫健委", NULL, NULL, NULL, &fx->deptB, d),
	        d, "deptB");
	tu_must(jx_store_org_ensure(fx->s, fx->deptA, JX_ORG_UNIT, "第一中学",
	                            NULL, NULL, NULL, &fx->a1, d),
	        d, "a1");
	tu_must(jx_store_org_ensure(fx->s, fx->deptA, JX_ORG_UNIT, "第二中学",
	                            NULL, NULL, NULL, &fx->a2, d),
	        d, "a2");
	tu_must(jx_store_org_ensure(fx->s, fx->deptB, JX_ORG_UNIT, "人民医院",
	                            NULL, NULL, NULL, &fx->b1, d),
	        d, "b1");
	tu_must(jx_store_org_ensure(fx->s, fx->root, JX_ORG_UNIT, "直属单位",
	                            NULL, NULL, NULL, &fx->f1, d),
	        d, "f1");
	user_init(fx, &fx->fin, "fin", JX_ROLE_FINANCE, fx->root);
	user_init(fx, &fx->admin, "admin", JX_ROLE_ADMIN, fx->root);
	user_init(fx, &fx->deptA_u, "depta", JX_ROLE_DEPT, fx->deptA);
	user_init(fx, &fx->deptB_u, "deptb", JX_ROLE_DEPT, fx->deptB);
	user_init(fx, &fx->unitA1, "unita1", JX_ROLE_UNIT, fx->a1);
	user_init(fx, &fx->unitA2, "unita2", JX_ROLE_UNIT, fx->a2);
	user_init(fx, &fx->unitB1, "unitb1", JX_ROLE_UNIT, fx->b1);
}

/* Create a project as admin; its id. */
static int64_t
project(struct fx *fx, const char *code, const char *name, int64_t unit,
        int64_t year)
{
	struct jx_ledger_new p = {code, name, NULL, unit, year, NULL, NULL};
	int64_t id = 0;

	jx_diag_clear(&fx->d);
	tu_must(jx_ledger_create(fx->s, &fx->admin.w, &p, &id, &fx->d), &fx->d,
	        code);
	return id;
}

static int64_t
version(struct fx *fx, int64_t id)
{
	return sql_int(fx, "SELECT version FROM jx_project WHERE id = ?", id,
	               END);
}

/* A self-evaluation row for project pid (figures only). */
static int64_t
evaluation(struct fx *fx, int64_t pid, const char *status, const char *total,
           const char *grade, int64_t errors)
{
	struct jx_db_param p[] = {P_INT(pid),
	                          P_TEXT(status),
	                          total != NULL ? P_INT(tu_dec(total)) : P_NULL,
	                          P_TEXT(grade),
	                          P_INT(errors),
	                          P_INT(2)};
	int64_t id = 0;

	tu_must(jx_store_one_int(
	                fx->s,
	                "INSERT INTO jx_self_eval (project_id, status, "
	                "content_hash, has_funds, c_total_m, c_grade, "
	                "c_errors, "
	                "c_warnings, created_at, updated_at) VALUES (?, ?, "
	                "'h', "
	                "0, ?, ?, ?, ?, '2024-01-01T00:00:00Z', "
	                "'2024-01-01T00:00:00Z') RETURNING id",
	                p, NP(p), &id, &fx->d),
	        &fx->d, "evaluation");
	return id;
}

static void
budget(struct fx *fx, int64_t pid, int64_t fen)
{
	jx_diag_clear(&fx->d);
	tu_must(jx_ledger_set_budget(fx->s, &fx->fin.w, pid, fen,
	                             version(fx, pid), NULL, &fx->d),
	        &fx->d, "budget");
}

static enum jx_err
pay(struct fx *fx, const struct user *u, int64_t pid, const char *date,
    int64_t fen, struct jx_ledger_paid *out)
{
	struct jx_payment p = {0, pid, date, fen, "某公司", "设备款"};
	struct jx_ledger_paid tmp;

	jx_diag_clear(&fx->d);
	return jx_ledger_payment_add(fx->s, &u->w, &p, out != NULL ? out : &tmp,
	                             &fx->d);
}

static enum jx_err
adjust(struct fx *fx, int64_t pid, const char *date, int64_t fen)
{
	int64_t id = 0;

	jx_diag_clear(&fx->d);
	return jx_ledger_adjustment_add(fx->s, &fx->fin.w, pid, date, fen,
	                                "年中追加", &id, NULL, &fx->d);
}

static void
funds(struct fx *fx, const struct user *u, int64_t pid, const char *today,
      struct jx_ledger_funds *f)
{
	jx_diag_clear(&fx->d);
	tu_must(jx_ledger_funds(fx->s, &u->w, pid, today, 20 * JX_DEC_ONE, f,
	                        &fx->d),
	        &fx->d, "funds");
}

/* jx_dec as text. */
static const char *
dstr(jx_dec v, char *buf, size_t cap)
{
	jx_dec_format(v, -1, buf, cap);
	return buf;
}

/* The list as u sees it with f; the ids in order into ids (cap n). */
static int64_t
list(struct fx *fx, const struct user *u, const struct jx_ledger_filter *f,
     int64_t *ids, size_t cap, size_t *n, json_t **keep)
{
	json_t *items = NULL, *it;
	int64_t total = -1;
	size_t i;

	jx_diag_clear(&fx->d);
	tu_must(jx_ledger_list(fx->s, &u->w, f, &items, &total, &fx->d), &fx->d,
	        "list");
	*n = 0;
	json_array_foreach(items, i, it)
	{
		if (*n < cap)
			ids[(*n)++] =
			        json_integer_value(json_object_get(it, "id"));
	}
	if (keep != NULL)
		*keep = items;
	else
		json_decref(items);
	return total;
}

static struct jx_ledger_filter
filter(void)
{
	struct jx_ledger_filter f;

	memset(&f, 0, sizeof(f));
	f.has_errors = -1;
	f.page = 1;
	f.per_page = 50;
	return f;
}

/* ---- per-test database ------------------------------------------------- */

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tu_db_open(&fx->db, "ledger", "store.db", false, &fx->s, &fx->d) !=
	    0) {
		free(fx);
		return -1;
	}
	*state = fx;
	tree(fx);
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
	free(fx);
	return rc;
}

/* ---- creation ----------------------------------------------------------- */

static void
t_create_rules(void **state)
{
	struct fx *fx = *state;
	struct counts c;
	struct jx_ledger_new p;
	int64_t id = 0, id2 = 0;
	char *after;
	/* Each row: who creates what, and what must happen. */
	static const struct {
		const char *what;
		const char *code, *name, *start, *end;
		int64_t unit; /* 0: own; -1: department A; -2: unit A2;
		                 -3: unit B1 */
		int64_t year;
		int who; /* 0 admin, 1 unitA1, 2 deptA */
		enum jx_err want;
		const char *field;
	} rows[] = {
	        {"unit filer in a sibling unit", "X-1", "项目", NULL, NULL, -2,
	         2024, 1, JX_ENOTFOUND, "unit_id"},
	        {"unit filer in another department's unit", "X-2", "项目", NULL,
	         NULL, -3, 2024, 1, JX_ENOTFOUND, "unit_id"},
	        {"department reviewer outside its department", "X-3", "项目",
	         NULL, NULL, -3, 2024, 2, JX_ENOTFOUND, "unit_id"},
	        {"a department is not a unit", "X-4", "项目", NULL, NULL, -1,
	         2024, 0, JX_EINVAL, "unit_id"},
	        {"admin at the finance bureau names no unit", "X-5", "项目",
	         NULL, NULL, 0, 2024, 0, JX_EINVAL, "unit_id"},
	        {"duplicate code", "P-A1", "项目", NULL, NULL, -2, 2024, 0,
	         JX_ECONFLICT, "code"},
	        {"end before start", "X-6", "项目", "2024-05-01", "2024-04-30",
	         -2, 2024, 0, JX_EINVAL, "end_date"},
	        {"no 30 February", "X-7", "项目", "2024-02-30", NULL, -2, 2024,
	         0, JX_EINVAL, "start_date"},
	        {"year out of range", "X-8", "项目", NULL, NULL, -2, 1800, 0,
	         JX_EINVAL, "year"},
	        {"blank name", "X-9", "   ", NULL, NULL, -2, 2024, 0, JX_EINVAL,
	         "name"},
	        {"code with a space", "X 10", "项目", NULL, NULL, -2, 2024, 0,
	         JX_EINVAL, "code"},
	        {"empty code", "", "项目", NULL, NULL, -2, 2024, 0, JX_EINVAL,
	         "code"},
	};
	size_t i;

	/* A unit filer in their own unit, unit_id omitted: the department
	 * comes from the unit's parent, the year is added. */
	memset(&p, 0, sizeof(p));
	p.code = "P-A1";
	p.name = "教学设备购置";
	p.type = "专项";
	p.year = 2031;
	p.start_date = "2031-01-01";
	p.end_date = "2031-12-31";
	jx_diag_clear(&fx->d);
	tu_must(jx_ledger_create(fx->s, &fx->unitA1.w, &p, &id, &fx->d), &fx->d,
	        "create own");
	assert_int_equal(sql_int(fx,
	                         "SELECT unit_id FROM jx_project WHERE id "
	                         "= ?",
	                         id, END),
	                 fx->a1);
	assert_int_equal(sql_int(fx,
	                         "SELECT dept_id FROM jx_project WHERE id "
	                         "= ?",
	                         id, END),
	                 fx->deptA);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_fiscal_year "
	                         "WHERE year = 2031",
	                         END),
	                 1);
	assert_int_equal(version(fx, id), 1);
	after = sql_text(fx,
	                 "SELECT after_json FROM jx_audit_log WHERE "
	                 "table_name = 'jx_project' AND record_id = ?",
	                 id);
	assert_non_null(after);
	assert_non_null(strstr(after, "\"code\":\"P-A1\""));
	assert_non_null(strstr(after, "\"type\":\"专项\""));
	free(after);

	/* unit_id equal to the filer's own unit is fine too. */
	p.code = "P-A1b";
	p.unit_id = fx->a1;
	tu_must(jx_ledger_create(fx->s, &fx->unitA1.w, &p, &id2, &fx->d),
	        &fx->d, "create own, explicit");
	/* A unit directly under the finance bureau has no department. */
	id2 = project(fx, "P-F1", "直属项目", fx->f1, 2031);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_project WHERE "
	                         "id = ? AND dept_id IS NULL",
	                         id2, END),
	                 1);
	/* A department reviewer may create in its own units (the route
	 * table keeps it from doing so over HTTP; the store scopes it). */
	p.code = "P-A2";
	p.unit_id = fx->a2;
	tu_must(jx_ledger_create(fx->s, &fx->deptA_u.w, &p, &id2, &fx->d),
	        &fx->d, "department in its unit");

	counts(fx, &c);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct user *u = rows[i].who == 0   ? &fx->admin
		                       : rows[i].who == 1 ? &fx->unitA1
		                                          : &fx->deptA_u;
		memset(&p, 0, sizeof(p));
		p.code = rows[i].code;
		p.name = rows[i].name;
		p.start_date = rows[i].start;
		p.end_date = rows[i].end;
		p.year = rows[i].year;
		p.unit_id = rows[i].unit == -1   ? fx->deptA
		            : rows[i].unit == -2 ? fx->a2
		            : rows[i].unit == -3 ? fx->b1
		                                 : rows[i].unit;
		jx_diag_clear(&fx->d);
		tu_want_err(jx_ledger_create(fx->s, &u->w, &p, &id, &fx->d),
		            rows[i].want, rows[i].what);
		if (strcmp(fx->d.field, rows[i].field) != 0)
			fail_msg("%s: field %s, want %s", rows[i].what,
			         fx->d.field, rows[i].field);
		assert_true(fx->d.message[0] != '\0');
	}
	same_counts(fx, &c, "refused creations");
}

/* ---- scope ----------------------------------------------------------------
 */

static void
t_scope(void **state)
{
	struct fx *fx = *state;
	struct jx_ledger_filter f = filter();
	struct jx_ledger_funds fu;
	struct jx_ledger_patch patch;
	struct counts c;
	json_t *o = NULL, *items = NULL;
	int64_t pa1, pa2, pb1, pf1, ids[16], total = 0, id = 0;
	size_t n;
	/* Who sees which of the four projects (1: found, 0: not found). */
	const struct {
		const struct user *u;
		int a1, a2, b1, f1;
	} rows[] = {
	        {&fx->fin, 1, 1, 1, 1},     {&fx->admin, 1, 1, 1, 1},
	        {&fx->deptA_u, 1, 1, 0, 0}, {&fx->deptB_u, 0, 0, 1, 0},
	        {&fx->unitA1, 1, 0, 0, 0},  {&fx->unitA2, 0, 1, 0, 0},
	        {&fx->unitB1, 0, 0, 1, 0},
	};
	size_t i, k;

	pa1 = project(fx, "S-A1", "一中项目", fx->a1, 2024);
	pa2 = project(fx, "S-A2", "二中项目", fx->a2, 2024);
	pb1 = project(fx, "S-B1", "医院项目", fx->b1, 2024);
	pf1 = project(fx, "S-F1", "直属项目", fx->f1, 2024);
	budget(fx, pa1, 1000);
	budget(fx, pa2, 1000);
	budget(fx, pb1, 1000);
	budget(fx, pf1, 1000);

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const int64_t pids[] = {pa1, pa2, pb1, pf1};
		const int want[] = {rows[i].a1, rows[i].a2, rows[i].b1,
		                    rows[i].f1};
		int64_t seen = 0;

		for (k = 0; k < 4; k++) {
			enum jx_err e;

			jx_diag_clear(&fx->d);
			e = jx_ledger_get(fx->s, &rows[i].u->w, pids[k],
			                  "2024-06-30", 20 * JX_DEC_ONE, &o,
			                  &fx->d);
			tu_want_err(e, want[k] ? JX_OK : JX_ENOTFOUND,
			            rows[i].u->w.login);
			if (e == JX_OK)
				json_decref(o);
			o = NULL;
			e = jx_ledger_funds(fx->s, &rows[i].u->w, pids[k],
			                    "2024-06-30", 0, &fu, &fx->d);
			tu_want_err(e, want[k] ? JX_OK : JX_ENOTFOUND, "funds");
			e = jx_ledger_history(fx->s, &rows[i].u->w, pids[k], 1,
			                      10, &items, &total, &fx->d);
			tu_want_err(e, want[k] ? JX_OK : JX_ENOTFOUND,
			            "history");
			if (e == JX_OK)
				json_decref(items);
			e = jx_ledger_payments(fx->s, &rows[i].u->w, pids[k], 1,
			                       10, &items, &total, &fx->d);
			tu_want_err(e, want[k] ? JX_OK : JX_ENOTFOUND,
			            "payments");
			if (e == JX_OK)
				json_decref(items);
			e = jx_ledger_adjustments(fx->s, &rows[i].u->w, pids[k],
			                          1, 10, &items, &total,
			                          &fx->d);
			tu_want_err(e, want[k] ? JX_OK : JX_ENOTFOUND,
			            "adjustments");
			if (e == JX_OK)
				json_decref(items);
			seen += want[k];
		}
		/* The list shows exactly the projects in scope. */
		assert_int_equal(list(fx, rows[i].u, &f, ids, 16, &n, NULL),
		                 seen);
		assert_int_equal((int64_t)n, seen);
	}

	/* Writes outside the scope are "not found" and write nothing. */
	counts(fx, &c);
	tu_want_err(pay(fx, &fx->unitA1, pa2, "2024-03-01", 100, NULL),
	            JX_ENOTFOUND, "payment to a sibling's project");
	tu_want_err(pay(fx, &fx->deptA_u, pb1, "2024-03-01", 100, NULL),
	            JX_ENOTFOUND, "payment to another department's project");
	tu_want_err(jx_ledger_adjustment_add(fx->s, &fx->deptB_u.w, pa1,
	                                     "2024-03-01", 100, "追加", &id,
	                                     NULL, &fx->d),
	            JX_ENOTFOUND, "adjustment out of scope");
	tu_want_err(jx_ledger_set_budget(fx->s, &fx->unitB1.w, pa1, 5, 2, NULL,
	                                 &fx->d),
	            JX_ENOTFOUND, "budget out of scope");
	memset(&patch, 0, sizeof(patch));
	patch.id = pb1;
	patch.version = version(fx, pb1);
	patch.set_name = true;
	patch.name = "改名";
	tu_want_err(
	        jx_ledger_update(fx->s, &fx->unitA1.w, &patch, NULL, &fx->d),
	        JX_ENOTFOUND, "update out of scope");
	tu_want_err(jx_ledger_get(fx->s, &fx->fin.w, 987654, "2024-06-30", 0,
	                          &o, &fx->d),
	            JX_ENOTFOUND, "no such project");
	same_counts(fx, &c, "writes out of scope");

	/* A caller without an organisation path sees nothing. */
	{
		struct jx_who nobody = fx->fin.w;

		nobody.org_path = NULL;
		tu_want_err(jx_ledger_list(fx->s, &nobody, &f, &items, &total,
		                           &fx->d),
		            JX_EINVAL, "no path");
	}
	/* Filters cannot widen the scope. */
	f.dept_id = fx->deptB;
	assert_int_equal(list(fx, &fx->unitA1, &f, ids, 16, &n, NULL), 0);
}

/* ---- lists ------------------------------------------------------------- */

static void
t_list(void **state)
{
	struct fx *fx = *state;
	struct jx_ledger_filter f = filter();
	int64_t p[12], ids[64], all[64], total, page;
	size_t n, nall = 0, i, j;
	json_t *items = NULL, *it;

	/* 12 projects: codes L-01..L-12, names with a pattern. */
	p[0] = project(fx, "L-01", "Alpha 教学楼", fx->a1, 2024);
	p[1] = project(fx, "L-02", "beta 食堂", fx->a1, 2024);
	p[2] = project(fx, "L-03", "Gamma 100% 达标", fx->a2, 2024);
	p[3] = project(fx, "L-04", "delta_x 医疗设备", fx->b1, 2024);
	p[4] = project(fx, "L-05", "ALPHA 二期", fx->b1, 2023);
	p[5] = project(fx, "L-06", "直属 epsilon", fx->f1, 2024);
	p[6] = project(fx, "L-07", "zeta", fx->a1, 2023);
	p[7] = project(fx, "L-08", "eta", fx->a2, 2024);
	p[8] = project(fx, "L-09", "theta", fx->b1, 2024);
	p[9] = project(fx, "L-10", "iota", fx->f1, 2023);
	p[10] = project(fx, "L-11", "kappa", fx->a1, 2024);
	p[11] = project(fx, "L-12", "lambda", fx->a2, 2024);
	/* Self-evaluations on 7 of them. */
	evaluation(fx, p[0], "draft", "94.9", "优", 0);
	evaluation(fx, p[1], "submitted", "72", "中", 2);
	evaluation(fx, p[2], "finance_approved", "88.5", "良", 0);
	evaluation(fx, p[3], "draft", "59.99", "差", 1);
	evaluation(fx, p[4], "returned", NULL, NULL, 3);
	evaluation(fx, p[6], "dept_approved", "91", "优", 0);
	evaluation(fx, p[8], "draft", "80", "良", 0);
	/* Money: rates 50%, 100%, 25%, none (no budget), 0 budget. */
	budget(fx, p[0], 10000);
	tu_must(pay(fx, &fx->fin, p[0], "2024-03-01", 5000, NULL), &fx->d,
	        "pay");
	budget(fx, p[1], 10000);
	tu_must(pay(fx, &fx->fin, p[1], "2024-03-01", 10000, NULL), &fx->d,
	        "pay");
	budget(fx, p[2], 40000);
	tu_must(pay(fx, &fx->fin, p[2], "2024-03-01", 10000, NULL), &fx->d,
	        "pay");
	budget(fx, p[5], 0);

	/* Everything, by code. */
	total = list(fx, &fx->fin, &f, ids, 64, &n, &items);
	assert_int_equal(total, 12);
	assert_int_equal(n, 12);
	for (i = 0; i < 12; i++)
		assert_int_equal(ids[i], p[i]);
	/* The item's fields. */
	it = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(it, "code")),
	                    "L-01");
	assert_int_equal(json_integer_value(json_object_get(it, "year")), 2024);
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(it, "unit"), "name")),
	                    "第一中学");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(it, "dept"), "name")),
	                    "教育局");
	assert_int_equal(json_integer_value(json_object_get(it, "annual_fen")),
	                 10000);
	assert_int_equal(
	        json_integer_value(json_object_get(it, "executed_fen")), 5000);
	assert_string_equal(json_string_value(json_object_get(it, "exec_rate")),
	                    "50");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(it, "eval"), "total")),
	                    "94.9");
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(it, "eval"), "grade")),
	                    "优");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_object_get(it, "eval"), "warnings")),
	                 2);
	assert_true(json_is_null(json_object_get(it, "goal_status")));
	assert_int_equal(json_integer_value(json_object_get(it, "version")), 2);
	/* F1's project has no department; L-06's budget of 0 gives no rate;
	 * L-08 has no budget at all. */
	it = json_array_get(items, 5);
	assert_true(json_is_null(json_object_get(it, "dept")));
	assert_int_equal(json_integer_value(json_object_get(it, "annual_fen")),
	                 0);
	assert_true(json_is_null(json_object_get(it, "exec_rate")));
	assert_true(json_is_null(json_object_get(it, "eval")));
	it = json_array_get(items, 7);
	assert_true(json_is_null(json_object_get(it, "annual_fen")));
	assert_true(json_is_null(json_object_get(it, "executed_fen")));
	json_decref(items);

	/* Descending code. */
	f.desc = true;
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	for (i = 0; i < 12; i++)
		assert_int_equal(ids[i], p[11 - i]);
	f.desc = false;

	/* Filters; each row: the filter and the projects it must give. */
	{
		struct row {
			const char *what;
			int64_t year, dept, unit;
			const char *status, *grade, *q;
			int has_errors;
			const char *want; /* indexes into p, e.g. "0 6" */
		} rows[] = {
		        {"year 2023", 2023, 0, 0, NULL, NULL, NULL, -1,
		         "4 6 9"},
		        {"department A", 0, fx->deptA, 0, NULL, NULL, NULL, -1,
		         "0 1 2 6 7 10 11"},
		        {"unit B1", 0, 0, fx->b1, NULL, NULL, NULL, -1,
		         "3 4 8"},
		        {"status draft", 0, 0, 0, "draft", NULL, NULL, -1,
		         "0 3 8"},
		        {"status none", 0, 0, 0, "none", NULL, NULL, -1,
		         "5 7 9 10 11"},
		        {"grade 优", 0, 0, 0, NULL, "优", NULL, -1, "0 6"},
		        {"has errors", 0, 0, 0, NULL, NULL, NULL, 1, "1 3 4"},
		        {"no errors", 0, 0, 0, NULL, NULL, NULL, 0,
		         "0 2 5 6 7 8 9 10 11"},
		        {"q alpha, any case", 0, 0, 0, NULL, NULL, "alpha", -1,
		         "0 4"},
		        {"q in the code", 0, 0, 0, NULL, NULL, "l-1", -1,
		         "9 10 11"},
		        {"q %: literal", 0, 0, 0, NULL, NULL, "100%", -1, "2"},
		        {"q _: literal", 0, 0, 0, NULL, NULL, "a_", -1, "3"},
		        {"q Chinese", 0, 0, 0, NULL, NULL, "医疗", -1, "3"},
		        {"q nothing", 0, 0, 0, NULL, NULL, "%%none", -1, ""},
		        {"year + department + status", 2024, fx->deptA, 0,
		         "draft", NULL, NULL, -1, "0"},
		};

		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			char got[256] = "", num[16];

			f = filter();
			f.year = rows[i].year;
			f.dept_id = rows[i].dept;
			f.unit_id = rows[i].unit;
			f.status = rows[i].status;
			f.grade = rows[i].grade;
			f.q = rows[i].q;
			f.has_errors = rows[i].has_errors;
			total = list(fx, &fx->fin, &f, ids, 64, &n, NULL);
			assert_int_equal(total, (int64_t)n);
			for (j = 0; j < n; j++) {
				size_t k;

				for (k = 0; k < 12 && p[k] != ids[j]; k++)
					;
				snprintf(num, sizeof(num), "%s%zu",
				         j > 0 ? " " : "", k);
				strncat(got, num,
				        sizeof(got) - strlen(got) - 1);
			}
			if (strcmp(got, rows[i].want) != 0)
				fail_msg("%s: got [%s], want [%s]",
				         rows[i].what, got, rows[i].want);
		}
	}

	/* Score, both ways: NULLs (no evaluation, no total) last. */
	f = filter();
	f.sort = "score";
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	assert_int_equal(ids[0], p[3]); /* 59.99 */
	assert_int_equal(ids[1], p[1]); /* 72 */
	assert_int_equal(ids[2], p[8]); /* 80 */
	assert_int_equal(ids[3], p[2]); /* 88.5 */
	assert_int_equal(ids[4], p[6]); /* 91 */
	assert_int_equal(ids[5], p[0]); /* 94.9 */
	assert_int_equal(n, 12);
	f.desc = true;
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	assert_int_equal(ids[0], p[0]);
	assert_int_equal(ids[5], p[3]);
	for (i = 6; i < 12; i++) /* the rest have no score */
		assert_true(ids[i] == p[4] || ids[i] == p[5] ||
		            ids[i] == p[7] || ids[i] == p[9] ||
		            ids[i] == p[10] || ids[i] == p[11]);

	/* Execution rate: 25 < 50 < 100, NULLs last both ways. */
	f = filter();
	f.sort = "exec_rate";
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	assert_int_equal(ids[0], p[2]);
	assert_int_equal(ids[1], p[0]);
	assert_int_equal(ids[2], p[1]);
	f.desc = true;
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	assert_int_equal(ids[0], p[1]);
	assert_int_equal(ids[1], p[0]);
	assert_int_equal(ids[2], p[2]);
	assert_int_equal(n, 12);

	/* Name and year. */
	f = filter();
	f.sort = "name";
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	assert_int_equal(ids[0], p[4]); /* "ALPHA 二期" < "Alpha 教学楼" */
	assert_int_equal(ids[1], p[0]);
	f.sort = "year";
	f.desc = true;
	list(fx, &fx->fin, &f, ids, 64, &n, NULL);
	for (i = 0; i < 9; i++) /* 2024 first */
		assert_true(ids[i] != p[4] && ids[i] != p[6] && ids[i] != p[9]);
	f.sort = "updated";
	f.desc = false;
	assert_int_equal(list(fx, &fx->fin, &f, ids, 64, &n, NULL), 12);

	/* Paging: 5 a page, three pages, the same total, every project
	 * once. */
	f = filter();
	f.per_page = 5;
	for (page = 1; page <= 3; page++) {
		f.page = page;
		assert_int_equal(list(fx, &fx->fin, &f, ids, 64, &n, NULL), 12);
		assert_int_equal(n, page < 3 ? 5 : 2);
		for (j = 0; j < n; j++)
			all[nall++] = ids[j];
	}
	assert_int_equal(nall, 12);
	for (i = 0; i < 12; i++)
		assert_int_equal(all[i], p[i]);
	f.page = 4;
	assert_int_equal(list(fx, &fx->fin, &f, ids, 64, &n, NULL), 12);
	assert_int_equal(n, 0);

	/* Bad filters. */
	{
		struct jx_ledger_filter b = filter();

		b.status = "approved";
		tu_want_err(jx_ledger_list(fx->s, &fx->fin.w, &b, &items,
		                           &total, &fx->d),
		            JX_EINVAL, "unknown status");
		assert_string_equal(fx->d.field, "status");
		b = filter();
		b.grade = "A";
		tu_want_err(jx_ledger_list(fx->s, &fx->fin.w, &b, &items,
		                           &total, &fx->d),
		            JX_EINVAL, "unknown grade");
		b = filter();
		b.sort = "id";
		tu_want_err(jx_ledger_list(fx->s, &fx->fin.w, &b, &items,
		                           &total, &fx->d),
		            JX_EINVAL, "unknown sort");
		b = filter();
		b.per_page = 201;
		tu_want_err(jx_ledger_list(fx->s, &fx->fin.w, &b, &items,
		                           &total, &fx->d),
		            JX_EINVAL, "per_page");
		b = filter();
		b.page = 0;
		tu_want_err(jx_ledger_list(fx->s, &fx->fin.w, &b, &items,
		                           &total, &fx->d),
		            JX_EINVAL, "page 0");
	}
}

/* ---- money ------------------------------------------------------------- */

static void
t_funds(void **state)
{
	struct fx *fx = *state;
	struct jx_ledger_funds f;
	struct jx_project_funds sf;
	struct jx_ledger_paid paid;
	struct counts c;
	char b1[48];
	json_t *o;
	int64_t pid, p2, p3, nv = 0;

	pid = project(fx, "M-1", "资金项目", fx->a1, 2024);
	/* No money at all: nothing to compute, time still runs. */
	funds(fx, &fx->unitA1, pid, "2024-07-01", &f);
	assert_false(f.has_initial || f.has_annual || f.has_executed ||
	             f.has_rate || f.has_gap || f.lagging);
	assert_string_equal(dstr(f.time_progress, b1, sizeof(b1)), "50");

	/* Budget 13,140.00 元 (1,314,000 分): version 1 -> 2. */
	tu_must(jx_ledger_set_budget(fx->s, &fx->fin.w, pid, 1314000, 1, &nv,
	                             &fx->d),
	        &fx->d, "budget");
	assert_int_equal(nv, 2);
	assert_int_equal(version(fx, pid), 2);
	funds(fx, &fx->unitA1, pid, "2024-07-01", &f);
	assert_true(f.has_initial && f.has_annual);
	assert_int_equal(f.initial_fen, 1314000);
	assert_int_equal(f.annual_fen, 1314000);
	assert_false(f.has_executed);
	assert_false(f.has_rate);

	/* Payments: 1,288,484 of 1,314,000 = 98.0581...% -> 98.06. */
	tu_must(pay(fx, &fx->unitA1, pid, "2024-03-01", 500000, &paid), &fx->d,
	        "pay 1");
	assert_false(paid.over_budget);
	tu_must(pay(fx, &fx->unitA1, pid, "2024-02-29", 788484, &paid), &fx->d,
	        "pay 2");
	assert_int_equal(paid.paid_fen, 1288484);
	funds(fx, &fx->unitA1, pid, "2024-07-01", &f);
	assert_true(f.executed_from_payments);
	assert_int_equal(f.npayments, 2);
	assert_int_equal(f.executed_fen, 1288484);
	assert_string_equal(dstr(f.exec_rate, b1, sizeof(b1)), "98.06");
	/* 2024 is a leap year: 1 July is day 183 of 366, exactly 50%. */
	assert_string_equal(dstr(f.time_progress, b1, sizeof(b1)), "50");
	assert_string_equal(dstr(f.gap, b1, sizeof(b1)), "48.06");
	assert_false(f.lagging);

	/* A cut of 14,000 分: annual 1,300,000; 99.1141...% -> 99.11. */
	tu_must(adjust(fx, pid, "2024-06-15", -14000), &fx->d, "adjust");
	funds(fx, &fx->fin, pid, "2024-07-01", &f);
	assert_int_equal(f.nadjustments, 1);
	assert_int_equal(f.adjustments_fen, -14000);
	assert_int_equal(f.initial_fen, 1314000);
	assert_int_equal(f.annual_fen, 1300000);
	assert_string_equal(dstr(f.exec_rate, b1, sizeof(b1)), "99.11");
	/* The stored row follows, and the store's own view agrees. */
	assert_int_equal(sql_int(fx,
	                         "SELECT annual_fen FROM jx_fund WHERE "
	                         "project_id = ? AND kind = 'total'",
	                         pid, END),
	                 1300000);
	tu_must(jx_store_project_funds(fx->s, pid, &sf, &fx->d), &fx->d,
	        "store funds");
	assert_int_equal(sf.annual_fen, f.annual_fen);
	assert_int_equal(sf.executed_fen, f.executed_fen);
	/* An increase, then the budget reset: annual = initial + all. */
	tu_must(adjust(fx, pid, "2024-06-20", 20000), &fx->d, "adjust up");
	budget(fx, pid, 1000000);
	funds(fx, &fx->fin, pid, "2024-07-01", &f);
	assert_int_equal(f.adjustments_fen, 6000);
	assert_int_equal(f.annual_fen, 1006000);
	assert_true(f.over_budget); /* 1,288,484 paid */
	assert_string_equal(dstr(f.exec_rate, b1, sizeof(b1)), "128.08");

	/* Refused: zero, below zero, a budget the adjustments would make
	 * negative, a stale version, bad dates and amounts. */
	counts(fx, &c);
	tu_want_err(adjust(fx, pid, "2024-06-21", 0), JX_EINVAL, "zero");
	assert_string_equal(fx->d.field, "amount_fen");
	tu_want_err(adjust(fx, pid, "2024-06-21", -1006001), JX_EINVAL,
	            "below zero");
	assert_string_equal(fx->d.field, "amount_fen");
	tu_want_err(adjust(fx, pid, "2024-02-30", 5), JX_EINVAL, "bad date");
	assert_string_equal(fx->d.field, "date");
	tu_want_err(adjust(fx, pid, "2024-06-21", JX_LEDGER_AMOUNT_MAX + 1),
	            JX_EINVAL, "too large");
	same_counts(fx, &c, "refused adjustments");
	/* Adjustments total +6,000 now; after a real cut of 500,000 a
	 * budget below 494,000 would make the annual budget negative. */
	tu_must(adjust(fx, pid, "2024-06-22", -500000), &fx->d, "big cut");
	counts(fx, &c);
	tu_want_err(jx_ledger_set_budget(fx->s, &fx->fin.w, pid, 493999,
	                                 version(fx, pid), NULL, &fx->d),
	            JX_EINVAL, "budget below the cuts");
	assert_string_equal(fx->d.field, "initial_fen");
	tu_want_err(jx_ledger_set_budget(fx->s, &fx->fin.w, pid, 5, 1, NULL,
	                                 &fx->d),
	            JX_ECONFLICT, "stale version");
	assert_string_equal(fx->d.field, "version");
	tu_want_err(jx_ledger_set_budget(fx->s, &fx->fin.w, pid, -1,
	                                 version(fx, pid), NULL, &fx->d),
	            JX_EINVAL, "negative budget");
	tu_want_err(pay(fx, &fx->unitA1, pid, "2024-03-01", 0, NULL), JX_EINVAL,
	            "zero payment");
	assert_string_equal(fx->d.field, "amount_fen");
	tu_want_err(pay(fx, &fx->unitA1, pid, "2023-02-29", 10, NULL),
	            JX_EINVAL, "no 29 February 2023");
	assert_string_equal(fx->d.field, "date");
	{
		struct jx_payment bad = {0, pid, "2024-03-01", 10, "", NULL};

		tu_want_err(jx_ledger_payment_add(fx->s, &fx->unitA1.w, &bad,
		                                  &paid, &fx->d),
		            JX_EINVAL, "no payee");
		assert_string_equal(fx->d.field, "payee");
	}
	same_counts(fx, &c, "refused money writes");

	/* A payment over the budget is recorded and flagged. */
	tu_must(pay(fx, &fx->unitA1, pid, "2024-08-01", 1, &paid), &fx->d,
	        "over");
	assert_true(paid.over_budget);
	assert_int_equal(paid.paid_fen, 1288485);
	assert_int_equal(paid.annual_fen, 506000);

	/* No budget: an adjustment has nothing to adjust. */
	p2 = project(fx, "M-2", "无预算", fx->a1, 2024);
	tu_want_err(adjust(fx, p2, "2024-06-21", 100), JX_EINVAL, "no budget");

	/* Figures imported from a document (no payments, no adjustments):
	 * the stored ones count. */
	p3 = project(fx, "M-3", "导入项目", fx->b1, 2023);
	{
		struct jx_db_param q[] = {P_INT(p3)};

		sql_run(fx,
		        "INSERT INTO jx_fund (project_id, kind, name, "
		        "position, initial_fen, annual_fen, received_fen, "
		        "executed_fen) VALUES (?, 'total', '年度资金总额', 0, "
		        "1340000, 1314000, 1314000, 1000000)",
		        q, NP(q));
	}
	funds(fx, &fx->fin, p3, "2024-01-01", &f);
	assert_int_equal(f.initial_fen, 1340000);
	assert_int_equal(f.annual_fen, 1314000);
	assert_int_equal(f.received_fen, 1314000);
	assert_int_equal(f.executed_fen, 1000000);
	assert_false(f.executed_from_payments);
	assert_string_equal(dstr(f.exec_rate, b1, sizeof(b1)), "76.1");
	/* A past year is all elapsed: 76.1 - 100 = -23.9, lagging by more
	 * than 20 points. */
	assert_string_equal(dstr(f.time_progress, b1, sizeof(b1)), "100");
	assert_string_equal(dstr(f.gap, b1, sizeof(b1)), "-23.9");
	assert_true(f.lagging);
	o = jx_ledger_funds_json(&f);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "exec_rate")),
	                    "76.1");
	assert_string_equal(
	        json_string_value(json_object_get(o, "executed_source")),
	        "recorded");
	assert_string_equal(
	        json_string_value(json_object_get(o, "lag_threshold")), "20");
	assert_true(json_is_true(json_object_get(o, "lagging")));
	assert_int_equal(json_integer_value(json_object_get(o, "initial_fen")),
	                 1340000);
	json_decref(o);
	/* The threshold decides: 23.9 behind is not more than 23.9. */
	tu_must(jx_ledger_funds(fx->s, &fx->fin.w, p3, "2024-01-01",
	                        tu_dec("23.9"), &f, &fx->d),
	        &fx->d, "threshold");
	assert_false(f.lagging);
	tu_want_err(jx_ledger_funds(fx->s, &fx->fin.w, p3, "2024-13-01", 0, &f,
	                            &fx->d),
	            JX_EINVAL, "bad today");
	/* The first recorded adjustment switches to initial + adjustments. */
	tu_must(adjust(fx, p3, "2023-11-01", 10000), &fx->d,
	        "first adjustment");
	funds(fx, &fx->fin, p3, "2024-01-01", &f);
	assert_int_equal(f.annual_fen, 1350000);
	/* Setting the budget of a project without a fund row creates it. */
	budget(fx, p2, 777);
	assert_int_equal(sql_int(fx,
	                         "SELECT initial_fen FROM jx_fund WHERE "
	                         "project_id = ? AND kind = 'total'",
	                         p2, END),
	                 777);
}

/* Time progress at fixed dates; one row per case. */
static void
t_time_progress(void **state)
{
	static const struct {
		int64_t year;
		const char *today, *want;
	} rows[] = {
	        {2024, "2024-01-01", "0.27"},  /* 1/366 */
	        {2024, "2024-02-29", "16.39"}, /* 60/366 */
	        {2024, "2024-07-01", "50"},    /* 183/366 */
	        {2024, "2024-12-31", "100"},   /* 366/366 */
	        {2023, "2023-02-28", "16.16"}, /* 59/365 */
	        {2023, "2023-03-01", "16.44"}, /* 60/365 */
	        {2023, "2023-07-02", "50.14"}, /* 183/365 */
	        {2023, "2024-01-01", "100"},   /* a past year */
	        {2025, "2024-12-31", "0"},     /* a future year */
	        {2000, "2000-12-31", "100"},   /* 2000 is a leap year */
	        {1900, "1900-03-01", "16.44"}, /* 1900 is not */
	};
	size_t i;
	jx_dec v = 0;
	char buf[48];

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (jx_ledger_time_progress(rows[i].year, rows[i].today, &v) !=
		    JX_OK)
			fail_msg("%s: refused", rows[i].today);
		jx_dec_format(v, -1, buf, sizeof(buf));
		if (strcmp(buf, rows[i].want) != 0)
			fail_msg("%" PRId64 " at %s: %s, want %s", rows[i].year,
			         rows[i].today, buf, rows[i].want);
	}
	assert_int_equal(jx_ledger_time_progress(2024, "2024-02-30", &v),
	                 JX_EINVAL);
	assert_int_equal(jx_ledger_time_progress(2024, NULL, &v), JX_EINVAL);
	jx_ledger_today(buf, sizeof(buf));
	assert_true(jx_text_date(buf, NULL, NULL, NULL));
}

/* ---- edits ------------------------------------------------------------- */

static void
t_update(void **state)
{
	struct fx *fx = *state;
	struct jx_ledger_patch p;
	struct counts c;
	int64_t pid, nv = 0;
	char *s;

	pid = project(fx, "U-1", "旧名称", fx->a1, 2024);
	memset(&p, 0, sizeof(p));
	p.id = pid;
	p.version = 1;
	p.set_name = true;
	p.name = "新名称";
	p.set_type = true;
	p.type = "经常性";
	p.set_start = true;
	p.start_date = "2024-01-01";
	p.set_end = true;
	p.end_date = "2024-12-31";
	tu_must(jx_ledger_update(fx->s, &fx->unitA1.w, &p, &nv, &fx->d), &fx->d,
	        "update");
	assert_int_equal(nv, 2);
	s = sql_text(fx, "SELECT name FROM jx_project WHERE id = ?", pid);
	assert_string_equal(s, "新名称");
	free(s);
	s = sql_text(fx,
	             "SELECT before_json FROM jx_audit_log WHERE table_name = "
	             "'jx_project' AND action = 'update' AND record_id = ?",
	             pid);
	assert_non_null(strstr(s, "旧名称"));
	free(s);
	s = sql_text(fx,
	             "SELECT after_json FROM jx_audit_log WHERE table_name = "
	             "'jx_project' AND action = 'update' AND record_id = ?",
	             pid);
	assert_non_null(strstr(s, "\"name\":\"新名称\""));
	assert_non_null(strstr(s, "\"version\":2"));
	free(s);

	/* The same version again is stale: nothing changes. */
	counts(fx, &c);
	p.name = "第三个名称";
	tu_want_err(jx_ledger_update(fx->s, &fx->unitA1.w, &p, &nv, &fx->d),
	            JX_ECONFLICT, "stale");
	assert_string_equal(fx->d.field, "version");
	/* A start after the stored end, name and type untouched. */
	memset(&p, 0, sizeof(p));
	p.id = pid;
	p.version = 2;
	p.set_start = true;
	p.start_date = "2025-01-01";
	tu_want_err(jx_ledger_update(fx->s, &fx->unitA1.w, &p, &nv, &fx->d),
	            JX_EINVAL, "start after end");
	assert_string_equal(fx->d.field, "start_date");
	p.start_date = "2024-02-30";
	tu_want_err(jx_ledger_update(fx->s, &fx->unitA1.w, &p, &nv, &fx->d),
	            JX_EINVAL, "bad date");
	p.set_start = false;
	p.set_name = true;
	p.name = "";
	tu_want_err(jx_ledger_update(fx->s, &fx->unitA1.w, &p, &nv, &fx->d),
	            JX_EINVAL, "empty name");
	assert_string_equal(fx->d.field, "name");
	same_counts(fx, &c, "refused updates");
	s = sql_text(fx, "SELECT name FROM jx_project WHERE id = ?", pid);
	assert_string_equal(s, "新名称");
	free(s);

	/* Clearing the type and the end date. */
	memset(&p, 0, sizeof(p));
	p.id = pid;
	p.version = 2;
	p.set_type = true;
	p.set_end = true;
	tu_must(jx_ledger_update(fx->s, &fx->unitA1.w, &p, &nv, &fx->d), &fx->d,
	        "clear");
	assert_int_equal(nv, 3);
	assert_null(
	        sql_text(fx, "SELECT type FROM jx_project WHERE id = ?", pid));
	assert_null(sql_text(fx, "SELECT end_date FROM jx_project WHERE id = ?",
	                     pid));
	s = sql_text(fx, "SELECT start_date FROM jx_project WHERE id = ?", pid);
	assert_string_equal(s, "2024-01-01");
	free(s);
}

static void
t_history(void **state)
{
	struct fx *fx = *state;
	struct jx_ledger_patch p;
	json_t *items = NULL, *it;
	int64_t pid, other, eid, gid = 0, total = 0;
	size_t i;

	pid = project(fx, "H-1", "历史", fx->a1, 2024);
	other = project(fx, "H-2", "别的项目", fx->a1, 2024);
	budget(fx, pid, 1000);
	budget(fx, other, 1000);
	tu_must(pay(fx, &fx->unitA1, pid, "2024-03-01", 10, NULL), &fx->d,
	        "pay");
	tu_must(adjust(fx, pid, "2024-03-02", 100), &fx->d, "adjust");
	memset(&p, 0, sizeof(p));
	p.id = pid;
	p.version = version(fx, pid);
	p.set_name = true;
	p.name = "历史（改）";
	tu_must(jx_ledger_update(fx->s, &fx->unitA1.w, &p, NULL, &fx->d),
	        &fx->d, "update");
	eid = evaluation(fx, pid, "submitted", "90", "优", 0);
	tu_must(jx_store_audit(fx->s, "importer", "import", "jx_self_eval", eid,
	                       NULL, "plain text, not JSON", &fx->d),
	        &fx->d, "audit eval");
	tu_must(jx_store_one_int(fx->s,
	                         "INSERT INTO jx_goal_version (project_id, "
	                         "number, stage, "
	                         "status, signature, created_by, created_at) "
	                         "VALUES (?, 1, "
	                         "'declared', 'draft', 's', 't', "
	                         "'2024-01-01T00:00:00Z') "
	                         "RETURNING id",
	                         (struct jx_db_param[]){P_INT(pid)}, 1, &gid,
	                         &fx->d),
	        &fx->d, "goal version");
	tu_must(jx_store_audit(fx->s, "unita1", "create", "jx_goal_version",
	                       gid, NULL, "{\"number\":1}", &fx->d),
	        &fx->d, "audit goal");
	{
		struct jx_db_param q[] = {P_INT(eid), P_INT(pid)};

		sql_run(fx,
		        "INSERT INTO jx_review (record_type, record_id, actor, "
		        "action, comment, created_at, from_status, to_status, "
		        "project_id) VALUES ('self_eval', ?, 'depta', "
		        "'dept_return', '请补充偏差原因', "
		        "'2999-01-01T00:00:00Z', 'submitted', 'returned', ?)",
		        q, NP(q));
	}

	/* create, budget, payment, adjustment, update, eval, goal, review:
	 * 8; the other project's entries are not here. */
	tu_must(jx_ledger_history(fx->s, &fx->deptA_u.w, pid, 1, 50, &items,
	                          &total, &fx->d),
	        &fx->d, "history");
	assert_int_equal(total, 8);
	assert_int_equal(json_array_size(items), 8);
	/* Newest first: the review (dated 2999) leads. */
	it = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(it, "kind")),
	                    "review");
	assert_string_equal(json_string_value(json_object_get(it, "comment")),
	                    "请补充偏差原因");
	assert_string_equal(json_string_value(json_object_get(it, "to_status")),
	                    "returned");
	json_array_foreach(items, i, it)
	{
		const char *action =
		        json_string_value(json_object_get(it, "action"));
		json_t *after = json_object_get(it, "after");

		if (strcmp(action, "payment") == 0) {
			assert_int_equal(
			        json_integer_value(json_object_get(
			                json_object_get(after, "payment"),
			                "amount_fen")),
			        10);
		} else if (strcmp(action, "import") == 0) {
			assert_string_equal(json_string_value(after),
			                    "plain text, not JSON");
		} else if (strcmp(action, "budget") == 0) {
			assert_int_equal(json_integer_value(json_object_get(
			                         after, "initial_fen")),
			                 1000);
			assert_true(json_is_null(json_object_get(
			        json_object_get(it, "before"), "initial_fen")));
		}
		if (i > 0)
			assert_true(strcmp(json_string_value(json_object_get(
			                           json_array_get(items, i - 1),
			                           "at")),
			                   json_string_value(json_object_get(
			                           it, "at"))) >= 0);
	}
	json_decref(items);
	/* Paging. */
	tu_must(jx_ledger_history(fx->s, &fx->fin.w, pid, 2, 3, &items, &total,
	                          &fx->d),
	        &fx->d, "page 2");
	assert_int_equal(total, 8);
	assert_int_equal(json_array_size(items), 3);
	json_decref(items);
	tu_must(jx_ledger_history(fx->s, &fx->fin.w, pid, 3, 3, &items, &total,
	                          &fx->d),
	        &fx->d, "page 3");
	assert_int_equal(json_array_size(items), 2);
	json_decref(items);
}

/* ---- the project page ------------------------------------------------------
 */

static void
t_get(void **state)
{
	struct fx *fx = *state;
	json_t *o = NULL, *g, *e, *fu;
	int64_t pid, gid = 0;

	pid = project(fx, "G-1", "项目页", fx->a2, 2024);
	budget(fx, pid, 200000);
	tu_must(pay(fx, &fx->unitA2, pid, "2024-02-01", 40000, NULL), &fx->d,
	        "pay");
	evaluation(fx, pid, "dept_approved", "85.25", "良", 1);
	tu_must(jx_store_one_int(
	                fx->s,
	                "INSERT INTO jx_goal_version (project_id, number, "
	                "stage, "
	                "status, signature, created_by, created_at, wf_status) "
	                "VALUES (?, 2, 'adjusted', 'draft', 's', 't', 't', "
	                "'submitted') RETURNING id",
	                (struct jx_db_param[]){P_INT(pid)}, 1, &gid, &fx->d),
	        &fx->d, "goal version");
	{
		struct jx_db_param q[] = {P_INT(gid), P_INT(gid)};

		sql_run(fx,
		        "INSERT INTO jx_indicator (version_id, position, name, "
		        "weight_m) VALUES (?, 0, '数量', 30500000), (?, 1, "
		        "'质量', 20000000)",
		        q, NP(q));
	}
	tu_must(jx_ledger_get(fx->s, &fx->unitA2.w, pid, "2024-07-01",
	                      20 * JX_DEC_ONE, &o, &fx->d),
	        &fx->d, "get");
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	                    "G-1");
	assert_true(json_is_null(json_object_get(o, "type")));
	assert_string_equal(
	        json_string_value(json_object_get(o, "goal_status")),
	        "submitted");
	g = json_object_get(o, "goals");
	assert_int_equal(json_integer_value(json_object_get(g, "number")), 2);
	assert_int_equal(json_integer_value(json_object_get(g, "indicators")),
	                 2);
	assert_string_equal(
	        json_string_value(json_object_get(g, "weight_total")), "50.5");
	assert_string_equal(json_string_value(json_object_get(g, "stage")),
	                    "adjusted");
	e = json_object_get(o, "eval");
	assert_string_equal(json_string_value(json_object_get(e, "status")),
	                    "dept_approved");
	assert_string_equal(json_string_value(json_object_get(e, "total")),
	                    "85.25");
	assert_int_equal(json_integer_value(json_object_get(e, "errors")), 1);
	assert_int_equal(json_integer_value(json_object_get(e, "version")), 1);
	fu = json_object_get(o, "funds");
	assert_string_equal(json_string_value(json_object_get(fu, "exec_rate")),
	                    "20");
	assert_string_equal(json_string_value(json_object_get(fu, "gap")),
	                    "-30");
	assert_true(json_is_true(json_object_get(fu, "lagging")));
	assert_string_equal(json_string_value(json_object_get(fu, "as_of")),
	                    "2024-07-01");
	json_decref(o);
}

/* ---- handlers, called directly ---------------------------------------------
 */

struct call {
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_arena a;
};

static void
call_init(struct call *c, struct fx *fx, const struct user *u,
          const char *method, int64_t id, const char *body)
{
	json_error_t je;

	memset(&c->rq, 0, sizeof(c->rq));
	jx_http_resp_init(&c->rs);
	jx_arena_init(&c->a, 0);
	c->rq.method = method;
	c->rq.path = "/api/test";
	c->rq.store = fx->s;
	c->rq.arena = &c->a;
	c->rq.authed = true;
	c->rq.who = u->w;
	if (id != 0) {
		c->rq.ids[0] = id;
		c->rq.nids = 1;
	}
	if (body != NULL) {
		c->rq.json = json_loads(body, 0, &je);
		if (c->rq.json == NULL)
			fail_msg("bad test body %s: %s", body, je.text);
	}
}

static void
call_query(struct call *c, const char *key, const char *value)
{
	c->rq.query[c->rq.nquery].key = key;
	c->rq.query[c->rq.nquery].value = value;
	c->rq.nquery++;
}

static void
call_done(struct call *c)
{
	json_decref(c->rq.json);
	jx_http_resp_cleanup(&c->rs);
	jx_arena_cleanup(&c->a);
}

/* Check body against schema as the router would: the status it gives
 * (0 when it passes). */
static unsigned
schema_status(const struct jx_http_field *schema, const char *body)
{
	struct jx_http_resp rs;
	json_error_t je;
	json_t *o = json_loads(body, 0, &je);
	unsigned st;

	assert_non_null(o);
	jx_http_resp_init(&rs);
	st = jx_http_check(o, schema, "", &rs) ? 0 : rs.status;
	jx_http_resp_cleanup(&rs);
	json_decref(o);
	return st;
}

static void
t_handlers(void **state)
{
	struct fx *fx = *state;
	struct jx_workflow wf;
	struct jx_http_env env;
	struct call c;
	char body[256];
	json_t *it;
	int64_t pid, other;

	/* The real workflow, for the labels. */
	memset(&wf, 0, sizeof(wf));
	memset(&env, 0, sizeof(env));
	assert_int_equal(tu_workflow(&wf, "standard"), 0);
	env.wf = &wf;

	/* POST /api/projects as a unit filer: 201 with the project. */
	call_init(&c, fx, &fx->unitA1, "POST", 0,
	          "{\"code\":\"HX-1\",\"name\":\"接口项目\",\"year\":2024,"
	          "\"start_date\":\"2024-01-01\",\"end_date\":null}");
	c.rq.env = &env;
	assert_true(
	        jx_http_check(c.rq.json, jx_h_projects_create_body, "", &c.rs));
	jx_h_projects_create(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 201);
	pid = json_integer_value(json_object_get(c.rs.body, "id"));
	assert_true(pid > 0);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(c.rs.body, "unit"), "name")),
	        "第一中学");
	call_done(&c);
	/* ... and in a sibling unit: 404. */
	snprintf(body, sizeof(body),
	         "{\"code\":\"HX-2\",\"name\":\"x\",\"year\":2024,"
	         "\"unit_id\":%" PRId64 "}",
	         fx->a2);
	call_init(&c, fx, &fx->unitA1, "POST", 0, body);
	jx_h_projects_create(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 404);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(c.rs.body, "error"), "field")),
	        "unit_id");
	call_done(&c);

	other = project(fx, "HX-B", "医院", fx->b1, 2024);
	evaluation(fx, pid, "returned", "70", "中", 0);

	/* GET /api/projects: labels, list shape, scope. */
	call_init(&c, fx, &fx->unitA1, "GET", 0, NULL);
	c.rq.env = &env;
	call_query(&c, "sort", "-code");
	call_query(&c, "per_page", "10");
	jx_h_projects_list(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "total")), 1);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "per_page")), 10);
	it = json_array_get(json_object_get(c.rs.body, "items"), 0);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(it, "eval"),
	                                          "status_label")),
	        "已退回");
	call_done(&c);
	/* Bad query values are 400. */
	call_init(&c, fx, &fx->fin, "GET", 0, NULL);
	call_query(&c, "status", "approved");
	jx_h_projects_list(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 400);
	call_done(&c);
	call_init(&c, fx, &fx->fin, "GET", 0, NULL);
	call_query(&c, "sort", "-id");
	jx_h_projects_list(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 400);
	call_done(&c);
	call_init(&c, fx, &fx->fin, "GET", 0, NULL);
	call_query(&c, "has_errors", "2");
	jx_h_projects_list(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 400);
	call_done(&c);

	/* GET /api/projects/{id}: out of scope is 404 not_found. */
	call_init(&c, fx, &fx->unitA1, "GET", other, NULL);
	jx_h_projects_get(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 404);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(c.rs.body, "error"), "code")),
	        "not_found");
	call_done(&c);

	/* PUT budget, then POST a payment above it: 201 with a warning. */
	call_init(&c, fx, &fx->fin, "PUT", pid,
	          "{\"initial_fen\":100000,\"version\":1}");
	jx_h_money_budget(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "annual_fen")),
	        100000);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "version")), 2);
	call_done(&c);
	call_init(&c, fx, &fx->fin, "PUT", pid,
	          "{\"initial_fen\":5,\"version\":1}");
	jx_h_money_budget(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 409);
	call_done(&c);
	call_init(&c, fx, &fx->unitA1, "POST", pid,
	          "{\"date\":\"2024-05-01\",\"amount_fen\":100001,"
	          "\"payee\":\"某公司\",\"purpose\":null}");
	jx_h_money_payment_add(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 201);
	it = json_array_get(json_object_get(c.rs.body, "warnings"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "code")),
	                    "over_budget");
	assert_non_null(
	        strstr(json_string_value(json_object_get(it, "message")),
	               "1000.01 元"));
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(c.rs.body, "funds"), "exec_rate")),
	        "100");
	call_done(&c);
	call_init(&c, fx, &fx->fin, "POST", pid,
	          "{\"date\":\"2024-05-02\",\"amount_fen\":-100,"
	          "\"reason\":\"调减\"}");
	jx_h_money_adjustment_add(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 201);
	assert_int_equal(
	        json_integer_value(json_object_get(
	                json_object_get(c.rs.body, "funds"), "annual_fen")),
	        99900);
	call_done(&c);
	call_init(&c, fx, &fx->unitA1, "GET", pid, NULL);
	jx_h_money_payments(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "total")), 1);
	call_done(&c);
	call_init(&c, fx, &fx->unitA1, "GET", pid, NULL);
	jx_h_projects_history(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "total")), 4);
	call_done(&c);
	/* PATCH with a stale version: 409; a sibling's project: 404. */
	call_init(&c, fx, &fx->unitA1, "PATCH", pid,
	          "{\"name\":\"改\",\"version\":1}");
	jx_h_projects_update(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 409);
	call_done(&c);
	call_init(&c, fx, &fx->unitA1, "PATCH", other,
	          "{\"name\":\"改\",\"version\":1}");
	jx_h_projects_update(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 404);
	call_done(&c);
	call_init(&c, fx, &fx->unitA1, "GET", pid, NULL);
	jx_h_money_funds(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	assert_int_equal(
	        json_integer_value(json_object_get(c.rs.body, "executed_fen")),
	        100001);
	call_done(&c);

	/* The schemas, as the router applies them. */
	assert_int_equal(
	        schema_status(jx_h_money_payment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "0,\"payee\":\"x\"}"),
	        422);
	assert_int_equal(
	        schema_status(jx_h_money_payment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "1000000000000001,\"payee\":\"x\"}"),
	        422);
	assert_int_equal(
	        schema_status(jx_h_money_payment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "1000000000000000,\"payee\":\"x\"}"),
	        0);
	assert_int_equal(
	        schema_status(jx_h_money_payment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "\"12.5\",\"payee\":\"x\"}"),
	        400);
	assert_int_equal(
	        schema_status(jx_h_money_payment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "5,\"payee\":\"x\",\"extra\":1}"),
	        400);
	assert_int_equal(
	        schema_status(jx_h_money_adjustment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "-1000000000000000,\"reason\":\"x\"}"),
	        0);
	assert_int_equal(
	        schema_status(jx_h_money_adjustment_body,
	                      "{\"date\":\"2024-01-01\",\"amount_fen\":"
	                      "5}"),
	        422);
	assert_int_equal(schema_status(jx_h_money_budget_body,
	                               "{\"initial_fen\":-1,\"version\":1}"),
	                 422);
	assert_int_equal(schema_status(jx_h_money_budget_body,
	                               "{\"initial_fen\":0,\"version\":1}"),
	                 0);
	assert_int_equal(
	        schema_status(jx_h_projects_update_body, "{\"name\":\"x\"}"),
	        422);
	assert_int_equal(schema_status(jx_h_projects_update_body,
	                               "{\"name\":null,\"version\":1}"),
	                 422);
	assert_int_equal(schema_status(jx_h_projects_create_body,
	                               "{\"code\":\"a\",\"name\":\"b\","
	                               "\"year\":1989}"),
	                 422);
	jx_workflow_cleanup(&wf);
}

/* ---- benchmark mode ---------------------------------------------------------
 */

/* Fill s with n projects under 6 departments x 3 units (if it has none),
 * each with a budget, half with payments, 3 in 4 with a self-evaluation. */
static int
bench_fill(struct jx_store *s, int64_t n, struct jx_who *fin, char *path,
           size_t cap)
{
	struct jx_diag d;
	int64_t root = 0, dept = 0, units[18], have = 0, i, pid = 0;
	char name[64], code[32];
	static const char *const st[] = {"draft", "submitted", "dept_approved",
	                                 "finance_approved"};
	static const char *const gr[] = {"优", "良", "中", "差"};
	enum jx_err err;
	int k;

	jx_diag_clear(&d);
	err = jx_store_migrate(s, NULL, NULL, &d);
	if (err == JX_OK)
		err = jx_store_org_ensure(s, 0, JX_ORG_FINANCE, "财政局", NULL,
		                          NULL, NULL, &root, &d);
	for (k = 0; err == JX_OK && k < 18; k++) {
		if (k % 3 == 0) {
			snprintf(name, sizeof(name), "部门%d", k / 3);
			err = jx_store_org_ensure(s, root, JX_ORG_DEPARTMENT,
			                          name, NULL, NULL, NULL, &dept,
			                          &d);
		}
		snprintf(name, sizeof(name), "单位%d", k);
		if (err == JX_OK)
			err = jx_store_org_ensure(s, dept, JX_ORG_UNIT, name,
			                          NULL, NULL, NULL, &units[k],
			                          &d);
	}
	if (err == JX_OK)
		err = jx_store_one_int(s, "SELECT COUNT(*) FROM jx_project",
		                       NULL, 0, &have, &d);
	if (err == JX_OK && have == 0) {
		err = jx_store_begin(s, &d);
		for (i = 0; err == JX_OK && i < 4; i++)
			err = jx_store_run(
			        s,
			        "INSERT INTO jx_fiscal_year (year) VALUES (?) "
			        "ON "
			        "CONFLICT (year) DO NOTHING",
			        (struct jx_db_param[]){P_INT(2021 + i)}, 1, &d);
		for (i = 0; err == JX_OK && i < n; i++) {
			int64_t u = units[i % 18];
			struct jx_db_param p[] = {P_TEXT(code), P_TEXT(name),
			                          P_INT(u), P_INT(u),
			                          P_INT(2021 + i % 4)};

			snprintf(code, sizeof(code), "B-%08" PRId64, i);
			snprintf(name, sizeof(name), "项目 %" PRId64 " 号",
			         (i * 7919) % n);
			err = jx_store_one_int(
			        s,
			        "INSERT INTO jx_project (code, name, unit_id, "
			        "dept_id, year, created_at, updated_at) VALUES "
			        "(?, ?, ?, (SELECT parent_id FROM jx_org WHERE "
			        "id = ?), ?, '2024-01-01T00:00:00Z', "
			        "'2024-01-01T00:00:00Z') RETURNING id",
			        p, NP(p), &pid, &d);
			if (err == JX_OK) {
				struct jx_db_param q[] = {
				        P_INT(pid), P_INT(100000 + i % 1000),
				        P_INT(100000 + i % 1000)};

				err = jx_store_run(
				        s,
				        "INSERT INTO jx_fund (project_id, "
				        "kind, "
				        "name, position, initial_fen, "
				        "annual_fen) VALUES (?, 'total', "
				        "'总额', "
				        "0, ?, ?)",
				        q, NP(q), &d);
			}
			if (err == JX_OK && i % 2 == 0) {
				struct jx_db_param q[] = {P_INT(pid),
				                          P_INT(1 + i % 99991)};

				err = jx_store_run(
				        s,
				        "INSERT INTO jx_payment (project_id, "
				        "pay_date, amount_fen, payee, "
				        "created_by, created_at) VALUES (?, "
				        "'2024-03-01', ?, 'x', 'b', 't')",
				        q, NP(q), &d);
			}
			if (err == JX_OK && i % 4 != 3) {
				struct jx_db_param q[] = {
				        P_INT(pid), P_TEXT(st[i % 4]),
				        P_INT((i % 100) * 1000000),
				        P_TEXT(gr[(i / 4) % 4]), P_INT(i % 3)};

				err = jx_store_run(
				        s,
				        "INSERT INTO jx_self_eval (project_id, "
				        "status, content_hash, has_funds, "
				        "c_total_m, c_grade, c_errors, "
				        "created_at, updated_at) VALUES (?, ?, "
				        "'h', 0, ?, ?, ?, 't', 't')",
				        q, NP(q), &d);
			}
		}
		if (err == JX_OK)
			err = jx_store_commit(s, &d);
		else
			jx_store_rollback(s);
	}
	if (err != JX_OK) {
		fprintf(stderr, "bench fill: %s: %s\n", jx_err_name(err),
		        d.message);
		return 1;
	}
	snprintf(path, cap, "/%" PRId64 "/", root);
	memset(fin, 0, sizeof(*fin));
	fin->login = "bench";
	fin->role = JX_ROLE_FINANCE;
	fin->org_id = root;
	fin->org_kind = "finance";
	fin->org_path = path;
	return 0;
}

static int
bench_main(int argc, char **argv)
{
	struct jx_store *s = NULL;
	struct jx_who fin;
	struct jx_diag d;
	char path[64];
	int64_t n = argc >= 4 ? strtoll(argv[3], NULL, 10) : 100000;
	const struct {
		const char *what, *sort;
		bool desc;
		const char *status, *q;
		int64_t year;
		int has_errors;
	} cases[] = {
	        {"default (code)", NULL, false, NULL, NULL, 0, -1},
	        {"-code", "code", true, NULL, NULL, 0, -1},
	        {"name", "name", false, NULL, NULL, 0, -1},
	        {"-updated", "updated", true, NULL, NULL, 0, -1},
	        {"-score", "score", true, NULL, NULL, 0, -1},
	        {"exec_rate", "exec_rate", false, NULL, NULL, 0, -1},
	        {"-exec_rate", "exec_rate", true, NULL, NULL, 0, -1},
	        {"year=2023", NULL, false, NULL, NULL, 2023, -1},
	        {"status=submitted", NULL, false, "submitted", NULL, 0, -1},
	        {"status=none", NULL, false, "none", NULL, 0, -1},
	        {"has_errors=1 -score", "score", true, NULL, NULL, 0, 1},
	        {"q=12345", NULL, false, NULL, "12345", 0, -1},
	};
	size_t i;
	int r, rep;

	if (argc < 3) {
		fprintf(stderr, "usage: test_ledger --bench URL [N]\n");
		return 2;
	}
	jx_diag_clear(&d);
	if (jx_store_open(argv[2], &s, &d) != JX_OK) {
		fprintf(stderr, "%s\n", d.message);
		return 1;
	}
	r = bench_fill(s, n, &fin, path, sizeof(path));
	for (i = 0; r == 0 && i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jx_ledger_filter f = filter();
		double best = 1e30, t;
		json_t *items = NULL;
		int64_t total = 0;

		f.sort = cases[i].sort;
		f.desc = cases[i].desc;
		f.status = cases[i].status;
		f.q = cases[i].q;
		f.year = cases[i].year;
		f.has_errors = cases[i].has_errors;
		for (rep = 0; rep < 3; rep++) {
			t = tu_now_ms();
			if (jx_ledger_list(s, &fin, &f, &items, &total, &d) !=
			    JX_OK) {
				fprintf(stderr, "%s: %s\n", cases[i].what,
				        d.message);
				r = 1;
				break;
			}
			t = tu_now_ms() - t;
			json_decref(items);
			if (t < best)
				best = t;
		}
		printf("%-24s total %8" PRId64 "  best of 3: %8.1f ms\n",
		       cases[i].what, total, best);
	}
	jx_store_close(s);
	return r;
}

/* ---- main ------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        T(t_create_rules),
	        T(t_scope),
	        T(t_list),
	        T(t_funds),
	        T(t_update),
	        T(t_history),
	        T(t_get),
	        T(t_handlers),
	        cmocka_unit_test(t_time_progress),
	};

	if (argc >= 2 && strcmp(argv[1], "--bench") == 0)
		return bench_main(argc, argv);
	return tu_run_backends("ledger", tests);
}
