/*
 * test_board.c - the oversight reads (include/jx/board.h) and their
 * handlers (src/http/h_board.c), on both back-ends: every test runs on
 * SQLite (a new file in a fresh mkdtemp directory) and, when JX_TEST_PG_URL
 * names a PostgreSQL database, again on PostgreSQL in a schema of its own
 * (scripts/with-postgres.sh starts a throw-away server). With
 * JX_TEST_PG_REQUIRED=1 and no URL the run fails instead.
 *
 * The fixture is a small tree: a finance bureau with departments 甲 (two
 * units), 乙 (one unit) and 丙 (none), a unit directly under the bureau,
 * and a second finance bureau whose records nobody of the first may see.
 * Projects, self-evaluations, money, findings, goal versions and review
 * comments are written with SQL under the store (the figures are then
 * known exactly); one test imports the real seed documents instead and
 * checks the dashboard against jx_store_dept_summary and the core engine.
 * Handlers are called directly with a filled struct jx_http_req.
 *
 * Hidden mode for measurements (main() looks at argv first):
 *   test_board --bench URL YEAR REPEAT
 *       times jx_board_dashboard and jx_board_inbox as the first finance
 *       bureau's administrator over a database made by `jixiao db demo`.
 */
#include <dirent.h>
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
#include "jx/audit.h"
#include "jx/board.h"
#include "jx/evaljson.h"
#include "jx/http.h"
#include "jx/score.h"
#include "jx/store.h"
#include "jx/workflow.h"
#include "testutil.h"

/* The organisations and projects of the fixture tree (build()). */
struct tree {
	int64_t fin, da, db, dc, ua1, ua2, ub1, ud;
	int64_t fin2, d2, u2;
	int64_t p[10]; /* p[1]..p[9] as in build() */
	int64_t e[10]; /* their self-evaluations (0: none) */
};

struct fx {
	struct tu_db db;
	struct jx_store *s;
	struct jx_diag d;
	struct jx_arena ar;
	struct jx_eval e;
	struct tree t;
	char paths[8][64]; /* org paths handed out by who() */
	size_t npaths;
};

static struct jx_rules g_rules;
static bool g_rules_loaded;
static struct jx_workflow g_wf;
static bool g_wf_loaded;

/* ---- helpers --------------------------------------------------------- */

static const struct jx_rules *
rules(void)
{
	if (!g_rules_loaded) {
		if (tu_rules(&g_rules, "mof-2020") != 0)
			fail_msg("cannot load rules/mof-2020.json");
		g_rules_loaded = true;
	}
	return &g_rules;
}

static const struct jx_workflow *
workflow(void)
{
	if (!g_wf_loaded) {
		if (tu_workflow(&g_wf, "standard") != 0)
			fail_msg("cannot load rules/workflow/standard.json");
		g_wf_loaded = true;
	}
	return &g_wf;
}

/* Run sql with parameters p[0..n). */
static void
exec(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	jx_diag_clear(&fx->d);
	tu_must(jx_store_run(fx->s, sql, p, n, &fx->d), &fx->d, sql);
}

/* The integer the query gives. */
static int64_t
one(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	int64_t v = 0;

	jx_diag_clear(&fx->d);
	tu_must(jx_store_one_int(fx->s, sql, p, n, &v, &fx->d), &fx->d, sql);
	return v;
}

static int64_t
org(struct fx *fx, int64_t parent, enum jx_org_kind kind, const char *name)
{
	int64_t id = 0;

	jx_diag_clear(&fx->d);
	tu_must(jx_store_org_ensure(fx->s, parent, kind, name, NULL, NULL, NULL,
	                            &id, &fx->d),
	        &fx->d, name);
	return id;
}

/* The caller `role` at organisation org_id (its path read back). */
static struct jx_who
who(struct fx *fx, int64_t org_id, const char *role)
{
	static const struct jx_store_col cols[] = {{"path", JX_STORE_COL_TEXT},
	                                           {"kind", JX_STORE_COL_TEXT},
	                                           {NULL, 0}};
	struct jx_who w;
	json_t *row = NULL;
	char *path;

	if (fx->npaths == sizeof(fx->paths) / sizeof(fx->paths[0]))
		fx->npaths = 0;
	path = fx->paths[fx->npaths++];
	jx_diag_clear(&fx->d);
	tu_must(jx_store_row_json(fx->s,
	                          "SELECT path, kind FROM jx_org WHERE id = ?",
	                          (struct jx_db_param[]){P_INT(org_id)}, 1,
	                          cols, &row, &fx->d),
	        &fx->d, "org path");
	snprintf(path, sizeof(fx->paths[0]), "%s",
	         json_string_value(json_object_get(row, "path")));
	memset(&w, 0, sizeof(w));
	w.user_id = 1;
	w.login = "tester";
	w.name = "测试用户";
	w.role = role;
	w.org_id = org_id;
	w.org_kind = strcmp(json_string_value(json_object_get(row, "kind")),
	                    "finance") == 0
	                     ? "finance"
	             : strcmp(json_string_value(json_object_get(row, "kind")),
	                      "department") == 0
	                     ? "department"
	                     : "unit";
	w.org_path = path;
	json_decref(row);
	return w;
}

/* A project; dept 0: none. */
static int64_t
project(struct fx *fx, int64_t unit, int64_t dept, int year, const char *code)
{
	struct jx_db_param y[] = {P_INT(year)};
	struct jx_db_param p[] = {P_TEXT(code), P_TEXT(code), P_INT(unit),
	                          dept != 0 ? P_INT(dept) : P_NULL,
	                          P_INT(year)};

	exec(fx,
	     "INSERT INTO jx_fiscal_year (year) VALUES (?) ON CONFLICT (year) "
	     "DO NOTHING",
	     y, NP(y));
	return one(fx,
	           "INSERT INTO jx_project (code, name, unit_id, dept_id, "
	           "year, created_at, updated_at) VALUES (?, ? || '项目', ?, "
	           "?, ?, '2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z') "
	           "RETURNING id",
	           p, NP(p));
}

/* A self-evaluation with its computed figures (grade / total NULL: none;
 * total in millionths of a point). */
static int64_t
eval(struct fx *fx, int64_t pid, const char *status, const char *grade,
     int64_t total_m, bool has_total, int64_t errors, const char *updated)
{
	struct jx_db_param p[] = {
	        P_INT(pid),    P_TEXT(status),
	        P_TEXT(grade), has_total ? P_INT(total_m) : P_NULL,
	        P_INT(errors), P_TEXT(updated)};

	return one(fx,
	           "INSERT INTO jx_self_eval (project_id, status, "
	           "content_hash, has_funds, c_grade, c_total_m, c_errors, "
	           "created_at, updated_at) VALUES (?, ?, 'x', 0, ?, ?, ?, "
	           "'2023-01-01T00:00:00Z', ?) RETURNING id",
	           p, NP(p));
}

/* The project's 'total' funds row (has_initial false: NULL). */
static void
funds(struct fx *fx, int64_t pid, bool has_initial, int64_t initial,
      int64_t annual, int64_t executed)
{
	struct jx_db_param p[] = {P_INT(pid),
	                          has_initial ? P_INT(initial) : P_NULL,
	                          P_INT(annual), P_INT(executed)};

	exec(fx,
	     "INSERT INTO jx_fund (project_id, kind, name, position, "
	     "initial_fen, annual_fen, executed_fen) VALUES (?, 'total', "
	     "'年度资金总额', 0, ?, ?, ?)",
	     p, NP(p));
}

/* n findings of code with severity on eval eid. */
static void
finding(struct fx *fx, int64_t eid, const char *code, const char *severity,
        int n)
{
	struct jx_db_param p[] = {P_INT(eid), P_TEXT(code), P_TEXT(severity)};
	int i;

	for (i = 0; i < n; i++)
		exec(fx,
		     "INSERT INTO jx_finding (eval_id, code, severity, "
		     "location, message) VALUES (?, ?, ?, '某处', '某问题')",
		     p, NP(p));
}

static int64_t
goal_version(struct fx *fx, int64_t pid, int number, const char *wf,
             const char *updated)
{
	struct jx_db_param p[] = {P_INT(pid), P_INT(number), P_TEXT(wf),
	                          P_TEXT(updated)};

	return one(fx,
	           "INSERT INTO jx_goal_version (project_id, number, stage, "
	           "status, signature, created_by, created_at, wf_status, "
	           "updated_at) VALUES (?, ?, 'declared', 'draft', 's', 't', "
	           "'2023-01-01T00:00:00Z', ?, ?) RETURNING id",
	           p, NP(p));
}

static void
review(struct fx *fx, const char *type, int64_t id, const char *actor,
       const char *action, const char *comment, const char *at)
{
	struct jx_db_param p[] = {P_TEXT(type),    P_INT(id),
	                          P_TEXT(actor),   P_TEXT(action),
	                          P_TEXT(comment), P_TEXT(at)};

	exec(fx,
	     "INSERT INTO jx_review (record_type, record_id, actor, action, "
	     "comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	     p, NP(p));
}

/* The value at path in v: keys and array indexes separated by '.'
 * ("departments.0.by_status.1.count"); fails the test when missing. */
static json_t *
jget(json_t *v, const char *path)
{
	char key[128];
	const char *p = path, *dot;
	size_t n;

	while (*p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			fail_msg("path too long: %s", path);
		memcpy(key, p, n);
		key[n] = '\0';
		if (json_is_array(v))
			v = json_array_get(v, strtoul(key, NULL, 10));
		else
			v = json_object_get(v, key);
		if (v == NULL)
			fail_msg("no %s (at %s)", path, key);
		p += n;
		if (*p == '.')
			p++;
	}
	return v;
}

static int64_t
jint(json_t *v, const char *path)
{
	json_t *x = jget(v, path);

	if (!json_is_integer(x))
		fail_msg("%s is not an integer", path);
	return json_integer_value(x);
}

static void
jstr_is(json_t *v, const char *path, const char *want)
{
	json_t *x = jget(v, path);

	if (!json_is_string(x))
		fail_msg("%s is not a string (want %s)", path, want);
	if (strcmp(json_string_value(x), want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", path, json_string_value(x),
		         want);
}

static void
jint_is(json_t *v, const char *path, int64_t want)
{
	int64_t got = jint(v, path);

	if (got != want)
		fail_msg("%s: %" PRId64 ", want %" PRId64, path, got, want);
}

static void
jnull_is(json_t *v, const char *path)
{
	if (!json_is_null(jget(v, path)))
		fail_msg("%s is not null", path);
}

/* The count of key in a list of {"key", "count"} at path. */
static int64_t
keyed(json_t *v, const char *path, const char *key)
{
	json_t *arr = jget(v, path), *it;
	size_t i;

	json_array_foreach(arr, i, it)
	{
		if (strcmp(json_string_value(json_object_get(it, "key")),
		           key) == 0)
			return json_integer_value(json_object_get(it, "count"));
	}
	fail_msg("%s has no key %s", path, key);
	return -1;
}

/* Check a row's status and grade counts, in the fixed orders. */
static void
counts_are(json_t *row, const int64_t status[6], const int64_t grade[5])
{
	static const char *const sk[] = {"draft",         "submitted",
	                                 "dept_approved", "finance_approved",
	                                 "returned",      "none"};
	static const char *const gk[] = {"优", "良", "中", "差", "none"};
	char path[64];
	size_t i;

	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), "by_status.%zu.key", i);
		jstr_is(row, path, sk[i]);
		if (keyed(row, "by_status", sk[i]) != status[i])
			fail_msg("status %s: %" PRId64 ", want %" PRId64, sk[i],
			         keyed(row, "by_status", sk[i]), status[i]);
	}
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "by_grade.%zu.key", i);
		jstr_is(row, path, gk[i]);
		if (keyed(row, "by_grade", gk[i]) != grade[i])
			fail_msg("grade %s: %" PRId64 ", want %" PRId64, gk[i],
			         keyed(row, "by_grade", gk[i]), grade[i]);
	}
}

static void
buckets_are(json_t *row, const int64_t want[5])
{
	static const char *const ranges[] = {"[0,60)", "[60,70)", "[70,80)",
	                                     "[80,90)", "[90,100]"};
	char path[64];
	size_t i;

	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "scores.%zu.range", i);
		jstr_is(row, path, ranges[i]);
		snprintf(path, sizeof(path), "scores.%zu.count", i);
		jint_is(row, path, want[i]);
	}
}

/* ---- per-test database ------------------------------------------------- */

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tu_db_open(&fx->db, "board", "board.db", true, &fx->s, &fx->d) !=
	    0) {
		free(fx);
		return -1;
	}
	jx_arena_init(&fx->ar, 0);
	jx_eval_init(&fx->e);
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
	jx_arena_cleanup(&fx->ar);
	jx_eval_cleanup(&fx->e);
	free(fx);
	return rc;
}

/*
 * The fixture tree, year 2023 unless said:
 *
 *   财政局 fin
 *     甲局 da:  甲一中心 ua1: p1 (draft, 优 95.5, 0 errors)
 *                             p2 (submitted, 差 59.999999, 3 errors)
 *                             p8 (2022: finance_approved, 优, 5 errors)
 *               甲二中心 ua2: p3 (returned, 良 85, 1 error)
 *                             p4 (no self-evaluation, no funds)
 *     乙局 db:  乙一中心 ub1: p5 (dept_approved, 中 60, 0 errors)
 *                             p6 (submitted, no grade, no total)
 *     丙局 dc:  no units
 *     直属中心 ud (directly under the bureau): p7 (submitted, 优 100, 2)
 *   其他财政局 fin2 -> 外局 d2 -> 外单位 u2: p9 (draft, 优 99, 4 errors)
 */
static void
build(struct fx *fx)
{
	struct tree *t = &fx->t;
	int64_t adj = 0, pay = 0;
	struct jx_payment pm;

	t->fin = org(fx, 0, JX_ORG_FINANCE, "财政局");
	t->da = org(fx, t->fin, JX_ORG_DEPARTMENT, "甲局");
	t->db = org(fx, t->fin, JX_ORG_DEPARTMENT, "乙局");
	t->dc = org(fx, t->fin, JX_ORG_DEPARTMENT, "丙局");
	t->ua1 = org(fx, t->da, JX_ORG_UNIT, "甲一中心");
	t->ua2 = org(fx, t->da, JX_ORG_UNIT, "甲二中心");
	t->ub1 = org(fx, t->db, JX_ORG_UNIT, "乙一中心");
	t->ud = org(fx, t->fin, JX_ORG_UNIT, "直属中心");
	t->fin2 = org(fx, 0, JX_ORG_FINANCE, "其他财政局");
	t->d2 = org(fx, t->fin2, JX_ORG_DEPARTMENT, "外局");
	t->u2 = org(fx, t->d2, JX_ORG_UNIT, "外单位");

	t->p[1] = project(fx, t->ua1, t->da, 2023, "A-001");
	t->p[2] = project(fx, t->ua1, t->da, 2023, "A-002");
	t->p[3] = project(fx, t->ua2, t->da, 2023, "A-003");
	t->p[4] = project(fx, t->ua2, t->da, 2023, "A-004");
	t->p[5] = project(fx, t->ub1, t->db, 2023, "B-001");
	t->p[6] = project(fx, t->ub1, t->db, 2023, "B-002");
	t->p[7] = project(fx, t->ud, 0, 2023, "D-001");
	t->p[8] = project(fx, t->ua1, t->da, 2022, "A-2022");
	t->p[9] = project(fx, t->u2, t->d2, 2023, "X-001");

	t->e[1] = eval(fx, t->p[1], "draft", "优", 95500000, true, 0,
	               "2023-03-01T08:00:00Z");
	t->e[2] = eval(fx, t->p[2], "submitted", "差", 59999999, true, 3,
	               "2023-03-02T08:00:00Z");
	t->e[3] = eval(fx, t->p[3], "returned", "良", 85000000, true, 1,
	               "2023-03-03T08:00:00Z");
	t->e[5] = eval(fx, t->p[5], "dept_approved", "中", 60000000, true, 0,
	               "2023-03-05T08:00:00Z");
	t->e[6] = eval(fx, t->p[6], "submitted", NULL, 0, false, 0,
	               "2023-03-06T08:00:00Z");
	t->e[7] = eval(fx, t->p[7], "submitted", "优", 100000000, true, 2,
	               "2023-03-07T08:00:00Z");
	t->e[8] = eval(fx, t->p[8], "finance_approved", "优", 97000000, true, 5,
	               "2022-03-08T08:00:00Z");
	t->e[9] = eval(fx, t->p[9], "draft", "优", 99000000, true, 4,
	               "2023-03-09T08:00:00Z");

	/* Money. p1: a payment replaces the stated executed figure; p2: an
	 * adjustment makes the annual budget initial + adjustments; p3: no
	 * initial budget, so its adjustment leaves the annual one. */
	funds(fx, t->p[1], true, 1000000, 1000000, 400000);
	funds(fx, t->p[2], true, 500000, 600000, 300000);
	funds(fx, t->p[3], false, 0, 300000, 300000);
	/* B-001 has an older 'total' row left behind: the newest counts
	 * (as on the project page), and the project once. */
	exec(fx,
	     "INSERT INTO jx_fund (project_id, kind, name, position, "
	     "initial_fen, annual_fen, executed_fen) VALUES (?, 'total', "
	     "'旧总额', 0, 1, 1, 1)",
	     (struct jx_db_param[]){P_INT(t->p[5])}, 1);
	funds(fx, t->p[5], true, 2000000, 2000000, 0);
	funds(fx, t->p[7], true, 100000, 100000, 33333);
	funds(fx, t->p[8], true, 9000000, 9000000, 9000000);
	funds(fx, t->p[9], true, 7000000, 7000000, 7000000);
	memset(&pm, 0, sizeof(pm));
	pm.project_id = t->p[1];
	pm.date = "2023-05-01";
	pm.amount_fen = 123456;
	pm.payee = "某公司";
	tu_must(jx_store_payment_add(fx->s, &pm, "t", &pay, &fx->d), &fx->d,
	        "payment");
	tu_must(jx_store_adjustment_add(fx->s, t->p[2], "2023-06-01", -100000,
	                                "压减", "t", &adj, &fx->d),
	        &fx->d, "adjustment");
	tu_must(jx_store_adjustment_add(fx->s, t->p[3], "2023-06-01", 50000,
	                                "追加", "t", &adj, &fx->d),
	        &fx->d, "adjustment");

	finding(fx, t->e[2], "MISSING_DEVIATION_REASON", "error", 2);
	finding(fx, t->e[2], "TOTAL_MISMATCH", "error", 1);
	finding(fx, t->e[3], "MISSING_DEVIATION_REASON", "warning", 1);
	finding(fx, t->e[3], "SCORE_MISMATCH", "error", 1);
	finding(fx, t->e[5], "LARGE_DEVIATION", "warning", 1);
	finding(fx, t->e[7], "FUNDS_MISMATCH", "error", 2);
	finding(fx, t->e[7], "UNPARSED_VALUE", "warning", 1);
	finding(fx, t->e[8], "MISSING_DEVIATION_REASON", "error", 5);
	finding(fx, t->e[9], "MISSING_DEVIATION_REASON", "error", 4);
}

/* The dashboard of year 2023 on 2023-07-02 for w. */
static json_t *
dashboard(struct fx *fx, const struct jx_who *w, int64_t dept)
{
	json_t *out = NULL;

	jx_diag_clear(&fx->d);
	tu_must(jx_board_dashboard(fx->s, w, 2023, dept, "2023-07-02", &out,
	                           &fx->d),
	        &fx->d, "dashboard");
	return out;
}

/* ---- time progress ----------------------------------------------------- */

static void
t_time_progress(void **state)
{
	static const struct {
		int year;
		const char *today;
		const char *want; /* NULL: JX_EINVAL */
	} cases[] = {
	        {2023, "2023-01-01", "0.27"},  /* 1/365 */
	        {2023, "2023-07-02", "50.14"}, /* 183/365 = 50.136... */
	        {2023, "2023-12-31", "100"},   /* the last day counts */
	        {2024, "2024-02-29", "16.39"}, /* 60/366 in a leap year */
	        {2024, "2024-12-30", "99.73"}, /* 365/366 */
	        {2022, "2023-01-01", "100"},   /* a past year */
	        {2030, "2023-06-30", "0"},     /* a future year */
	        {2023, "2023-02-29", NULL},    /* no such day */
	        {2023, "2023-13-01", NULL},
	        {2023, "2023-7-2", NULL},
	        {2023, "", NULL},
	};
	struct jx_diag d;
	jx_dec v = -1;
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		jx_diag_clear(&d);
		if (cases[i].want == NULL) {
			assert_int_equal(jx_board_time_progress(cases[i].year,
			                                        cases[i].today,
			                                        &v, &d),
			                 JX_EINVAL);
			assert_string_equal(d.field, "today");
			continue;
		}
		tu_must(jx_board_time_progress(cases[i].year, cases[i].today,
		                               &v, &d),
		        &d, cases[i].today);
		jx_dec_format(v, -1, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%d on %s: %s, want %s", cases[i].year,
			         cases[i].today, buf, cases[i].want);
	}
}

/* ---- dashboard --------------------------------------------------------- */

/* The finance bureau sees every department, 丙局 with nothing, the direct
 * units and a total; exact counts, money and rates. */
static void
t_dashboard_finance(void **state)
{
	struct fx *fx = *state;
	struct jx_who w;
	json_t *o, *a, *b, *c, *dr, *t;

	build(fx);
	w = who(fx, fx->t.fin, JX_ROLE_FINANCE);
	o = dashboard(fx, &w, JX_BOARD_ALL_DEPTS);
	jint_is(o, "year", 2023);
	jstr_is(o, "today", "2023-07-02");
	jstr_is(o, "time_progress", "50.14");
	jnull_is(o, "dept_id");
	assert_int_equal(json_array_size(jget(o, "departments")), 4);
	a = jget(o, "departments.0");
	b = jget(o, "departments.1");
	c = jget(o, "departments.2");
	dr = jget(o, "departments.3");
	t = jget(o, "total");

	/* 甲局 */
	jint_is(a, "dept.id", fx->t.da);
	jstr_is(a, "dept.name", "甲局");
	jstr_is(a, "kind", "department");
	jint_is(a, "projects", 4);
	jint_is(a, "evals", 3);
	counts_are(a, (const int64_t[]){1, 1, 0, 0, 1, 1},
	           (const int64_t[]){1, 1, 0, 1, 1});
	buckets_are(a, (const int64_t[]){1, 0, 0, 1, 1});
	/* annual 1,000,000 + (500,000 - 100,000) + 300,000; executed
	 * 123,456 (paid) + 300,000 + 300,000 */
	jint_is(a, "annual_fen", 1700000);
	jint_is(a, "executed_fen", 723456);
	jstr_is(a, "execution_rate", "42.56");
	jstr_is(a, "time_progress", "50.14");
	jstr_is(a, "gap", "-7.58");
	jint_is(a, "error_projects.count", 2);
	assert_int_equal(json_array_size(jget(a, "error_projects.items")), 2);
	jint_is(a, "error_projects.items.0.id", fx->t.p[2]);
	jstr_is(a, "error_projects.items.0.code", "A-002");
	jstr_is(a, "error_projects.items.0.name", "A-002项目");
	jint_is(a, "error_projects.items.0.errors", 3);
	jint_is(a, "error_projects.items.1.id", fx->t.p[3]);
	jint_is(a, "missing_deviation_reasons", 3);
	assert_int_equal(json_array_size(jget(a, "top_findings")), 3);
	jstr_is(a, "top_findings.0.code", "MISSING_DEVIATION_REASON");
	jint_is(a, "top_findings.0.count", 3);
	jint_is(a, "top_findings.0.errors", 2);
	jint_is(a, "top_findings.0.warnings", 1);
	jstr_is(a, "top_findings.1.code", "SCORE_MISMATCH");
	jstr_is(a, "top_findings.2.code", "TOTAL_MISMATCH");

	/* 乙局 */
	jint_is(b, "dept.id", fx->t.db);
	jint_is(b, "projects", 2);
	counts_are(b, (const int64_t[]){0, 1, 1, 0, 0, 0},
	           (const int64_t[]){0, 0, 1, 0, 1});
	buckets_are(b, (const int64_t[]){0, 1, 0, 0, 0});
	jint_is(b, "annual_fen", 2000000);
	jint_is(b, "executed_fen", 0);
	jstr_is(b, "execution_rate", "0");
	jstr_is(b, "gap", "-50.14");
	jint_is(b, "error_projects.count", 0);
	assert_int_equal(json_array_size(jget(b, "error_projects.items")), 0);
	jint_is(b, "missing_deviation_reasons", 0);
	jstr_is(b, "top_findings.0.code", "LARGE_DEVIATION");

	/* 丙局: listed with nothing */
	jint_is(c, "dept.id", fx->t.dc);
	jint_is(c, "projects", 0);
	jint_is(c, "annual_fen", 0);
	jnull_is(c, "execution_rate");
	jnull_is(c, "gap");
	counts_are(c, (const int64_t[]){0, 0, 0, 0, 0, 0},
	           (const int64_t[]){0, 0, 0, 0, 0});

	/* 财政直管单位 */
	jstr_is(dr, "kind", "direct");
	jnull_is(dr, "dept.id");
	jstr_is(dr, "dept.name", "财政直管单位");
	jint_is(dr, "projects", 1);
	counts_are(dr, (const int64_t[]){0, 1, 0, 0, 0, 0},
	           (const int64_t[]){1, 0, 0, 0, 0});
	buckets_are(dr, (const int64_t[]){0, 0, 0, 0, 1});
	jint_is(dr, "annual_fen", 100000);
	jint_is(dr, "executed_fen", 33333);
	jstr_is(dr, "execution_rate", "33.33");
	jint_is(dr, "error_projects.items.0.id", fx->t.p[7]);

	/* 合计 (the other finance bureau's X-001 and 2022's A-2022 are not
	 * in it) */
	jstr_is(t, "kind", "total");
	jnull_is(t, "dept");
	jint_is(t, "projects", 7);
	jint_is(t, "evals", 6);
	counts_are(t, (const int64_t[]){1, 3, 1, 0, 1, 1},
	           (const int64_t[]){2, 1, 1, 1, 2});
	buckets_are(t, (const int64_t[]){1, 1, 0, 1, 2});
	jint_is(t, "annual_fen", 3800000);
	jint_is(t, "executed_fen", 756789);
	jstr_is(t, "execution_rate", "19.92"); /* 19.9155 */
	jstr_is(t, "gap", "-30.22");
	jint_is(t, "error_projects.count", 3);
	jint_is(t, "error_projects.items.0.id", fx->t.p[2]);
	jint_is(t, "error_projects.items.1.id", fx->t.p[7]);
	jint_is(t, "error_projects.items.2.id", fx->t.p[3]);
	jint_is(t, "missing_deviation_reasons", 3);
	assert_int_equal(json_array_size(jget(t, "top_findings")), 6);
	jstr_is(t, "top_findings.0.code", "MISSING_DEVIATION_REASON");
	jstr_is(t, "top_findings.1.code", "FUNDS_MISMATCH");
	jint_is(t, "top_findings.1.count", 2);
	jstr_is(t, "top_findings.2.code", "LARGE_DEVIATION");
	jstr_is(t, "top_findings.3.code", "SCORE_MISMATCH");
	jstr_is(t, "top_findings.4.code", "TOTAL_MISMATCH");
	jstr_is(t, "top_findings.5.code", "UNPARSED_VALUE");
	json_decref(o);

	/* The money agrees with the store's department summary. */
	{
		struct jx_dept_summary sum;

		tu_must(jx_store_dept_summary(fx->s, fx->t.da, 2023, &sum,
		                              &fx->d),
		        &fx->d, "summary");
		assert_int_equal(sum.annual_fen, 1700000);
		assert_int_equal(sum.executed_fen, 723456);
	}

	/* Another year: 2022 holds only A-2022; on a 2023 date the year is
	 * past, so its time progress is 100. */
	jx_diag_clear(&fx->d);
	tu_must(jx_board_dashboard(fx->s, &w, 2022, JX_BOARD_ALL_DEPTS,
	                           "2023-07-02", &o, &fx->d),
	        &fx->d, "2022");
	jstr_is(o, "time_progress", "100");
	jint_is(o, "total.projects", 1);
	jint_is(o, "total.missing_deviation_reasons", 5);
	jint_is(o, "departments.0.projects", 1);
	json_decref(o);
}

/* Scope: each caller sees their subtree only; dept_id filters; a
 * department out of scope is not found. */
static void
t_dashboard_scope(void **state)
{
	struct fx *fx = *state;
	struct jx_who w;
	json_t *o;

	build(fx);

	/* 乙局's reviewer: 乙局 only, and the total is 乙局's. */
	w = who(fx, fx->t.db, JX_ROLE_DEPT);
	o = dashboard(fx, &w, JX_BOARD_ALL_DEPTS);
	assert_int_equal(json_array_size(jget(o, "departments")), 1);
	jint_is(o, "departments.0.dept.id", fx->t.db);
	jint_is(o, "total.projects", 2);
	jint_is(o, "total.annual_fen", 2000000);
	jint_is(o, "total.missing_deviation_reasons", 0);
	json_decref(o);
	o = NULL;
	jx_diag_clear(&fx->d);
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, fx->t.da,
	                                    "2023-07-02", &o, &fx->d),
	                 JX_ENOTFOUND);
	assert_string_equal(fx->d.field, "dept_id");
	assert_null(o);
	/* the direct units: none in 乙局's scope */
	o = dashboard(fx, &w, JX_BOARD_DIRECT);
	assert_int_equal(json_array_size(jget(o, "departments")), 0);
	jint_is(o, "total.projects", 0);
	json_decref(o);

	/* A unit of 甲局: its own department's row, its own projects. */
	w = who(fx, fx->t.ua1, JX_ROLE_UNIT);
	o = dashboard(fx, &w, JX_BOARD_ALL_DEPTS);
	assert_int_equal(json_array_size(jget(o, "departments")), 1);
	jint_is(o, "departments.0.dept.id", fx->t.da);
	jint_is(o, "departments.0.projects", 2);
	jint_is(o, "total.annual_fen", 1400000);
	jint_is(o, "total.executed_fen", 423456);
	jint_is(o, "total.error_projects.count", 1);
	json_decref(o);
	o = dashboard(fx, &w, fx->t.da); /* its own department: allowed */
	jint_is(o, "dept_id", fx->t.da);
	jint_is(o, "total.projects", 2);
	json_decref(o);
	o = NULL;
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, fx->t.db,
	                                    "2023-07-02", &o, &fx->d),
	                 JX_ENOTFOUND);

	/* The direct unit's filer: the direct row only. */
	w = who(fx, fx->t.ud, JX_ROLE_UNIT);
	o = dashboard(fx, &w, JX_BOARD_ALL_DEPTS);
	assert_int_equal(json_array_size(jget(o, "departments")), 1);
	jstr_is(o, "departments.0.kind", "direct");
	jint_is(o, "total.projects", 1);
	json_decref(o);

	/* The finance bureau filtering. */
	w = who(fx, fx->t.fin, JX_ROLE_FINANCE);
	o = dashboard(fx, &w, fx->t.da);
	assert_int_equal(json_array_size(jget(o, "departments")), 1);
	jint_is(o, "departments.0.dept.id", fx->t.da);
	jint_is(o, "total.projects", 4);
	jint_is(o, "total.annual_fen", 1700000);
	json_decref(o);
	o = dashboard(fx, &w, JX_BOARD_DIRECT);
	assert_int_equal(json_array_size(jget(o, "departments")), 1);
	jstr_is(o, "departments.0.kind", "direct");
	jint_is(o, "dept_id", 0);
	jint_is(o, "total.projects", 1);
	json_decref(o);
	o = NULL;
	/* not a department, another bureau's department, no such id */
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, fx->t.ua1,
	                                    "2023-07-02", &o, &fx->d),
	                 JX_ENOTFOUND);
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, fx->t.d2,
	                                    "2023-07-02", &o, &fx->d),
	                 JX_ENOTFOUND);
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, 999999,
	                                    "2023-07-02", &o, &fx->d),
	                 JX_ENOTFOUND);
	assert_null(o);
	/* bad arguments */
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, -2, "2023-07-02",
	                                    &o, &fx->d),
	                 JX_EINVAL);
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, JX_BOARD_ALL_DEPTS,
	                                    "2023-02-30", &o, &fx->d),
	                 JX_EINVAL);
	w.org_path = NULL;
	assert_int_equal(jx_board_dashboard(fx->s, &w, 2023, JX_BOARD_ALL_DEPTS,
	                                    "2023-07-02", &o, &fx->d),
	                 JX_EINVAL);
	assert_null(o);

	/* The other bureau sees only its own. */
	w = who(fx, fx->t.fin2, JX_ROLE_ADMIN);
	o = dashboard(fx, &w, JX_BOARD_ALL_DEPTS);
	assert_int_equal(json_array_size(jget(o, "departments")), 1);
	jint_is(o, "departments.0.dept.id", fx->t.d2);
	jint_is(o, "total.projects", 1);
	jint_is(o, "total.missing_deviation_reasons", 4);
	json_decref(o);
}

/* More than JX_BOARD_ERRORS_MAX projects with errors and more than
 * JX_BOARD_CODES_MAX codes: the first ones in order, counts complete. */
static void
t_dashboard_lists(void **state)
{
	struct fx *fx = *state;
	struct jx_who w;
	json_t *o;
	int64_t fin, dept, unit, pid, eid, first_ids[25];
	char code[32], path[64];
	int k;

	fin = org(fx, 0, JX_ORG_FINANCE, "财政局");
	dept = org(fx, fin, JX_ORG_DEPARTMENT, "大局");
	unit = org(fx, dept, JX_ORG_UNIT, "大单位");
	for (k = 0; k < 25; k++) {
		snprintf(code, sizeof(code), "E-%02d", k);
		pid = project(fx, unit, dept, 2023, code);
		/* errors 1..5, repeating: ties are broken by id */
		eid = eval(fx, pid, "draft", "中", 65000000, true, 1 + k % 5,
		           "2023-03-01T00:00:00Z");
		first_ids[k] = pid;
		/* code C-k appears 12-k times for k < 12 */
		if (k < 12) {
			snprintf(code, sizeof(code), "C_%02d", k);
			finding(fx, eid, code, k % 2 == 0 ? "error" : "warning",
			        12 - k);
		}
	}
	/* a tie with C_02's 10: D_TIE sorts after it */
	finding(fx, eid, "D_TIE", "warning", 10);
	w = who(fx, fin, JX_ROLE_ADMIN);
	o = dashboard(fx, &w, JX_BOARD_ALL_DEPTS);
	jint_is(o, "departments.0.error_projects.count", 25);
	assert_int_equal(
	        json_array_size(jget(o, "departments.0.error_projects.items")),
	        JX_BOARD_ERRORS_MAX);
	assert_int_equal(json_array_size(jget(o, "total.error_projects.items")),
	                 JX_BOARD_ERRORS_MAX);
	/* errors 5 (k = 4, 9, 14, 19, 24), then 4 (k = 3, 8, ...), ... */
	for (k = 0; k < JX_BOARD_ERRORS_MAX; k++) {
		int errors = 5 - k / 5, nth = k % 5;
		int64_t want = first_ids[(errors - 1) + 5 * nth];

		snprintf(path, sizeof(path),
		         "departments.0.error_projects.items.%d.id", k);
		jint_is(o, path, want);
		snprintf(path, sizeof(path), "total.error_projects.items.%d.id",
		         k);
		jint_is(o, path, want);
		snprintf(path, sizeof(path),
		         "total.error_projects.items.%d.errors", k);
		jint_is(o, path, errors);
	}
	assert_int_equal(json_array_size(jget(o, "total.top_findings")),
	                 JX_BOARD_CODES_MAX);
	jstr_is(o, "total.top_findings.0.code", "C_00");
	jint_is(o, "total.top_findings.0.count", 12);
	jint_is(o, "total.top_findings.0.errors", 12);
	jstr_is(o, "total.top_findings.1.code", "C_01");
	jint_is(o, "total.top_findings.1.warnings", 11);
	jstr_is(o, "total.top_findings.2.code", "C_02");
	jstr_is(o, "total.top_findings.3.code", "D_TIE");
	jstr_is(o, "total.top_findings.9.code", "C_08");
	jint_is(o, "total.top_findings.9.count", 4);
	jstr_is(o, "departments.0.top_findings.3.code", "D_TIE");
	jint_is(o, "total.missing_deviation_reasons", 0);
	jstr_is(o, "total.by_grade.2.key", "中");
	jint_is(o, "total.by_grade.2.count", 25);
	jint_is(o, "total.scores.1.count", 25);
	json_decref(o);
}

/* The real seed documents imported: the dashboard agrees with the
 * store's department summary and with the core engine's findings. */
static void
t_dashboard_imported(void **state)
{
	static const char *const seeds[] = {
	        "tests/data/seeds/000.json", "tests/data/seeds/001.json",
	        "tests/data/seeds/003.json", "tests/data/seeds/004.json"};
	struct fx *fx = *state;
	struct jx_dept_summary sum;
	struct jx_project p;
	struct jx_who w;
	enum jx_import_outcome out = 0;
	int64_t id = 0, dept = 0, fin = 0, missing = 0, nfind = 0;
	json_t *o, *row;
	size_t i, k;
	char code[32];

	for (i = 0; i < 4; i++) {
		struct jx_result res;
		struct jx_findings f;
		struct jx_diag d;
		size_t len = 0;
		char *buf = tu_read(seeds[i], &len);

		assert_non_null(buf);
		jx_diag_clear(&d);
		tu_must(jx_evaljson_read(buf, len, seeds[i], 0, &fx->e, &d), &d,
		        seeds[i]);
		free(buf);
		snprintf(code, sizeof(code), "seed-%zu", i);
		fx->e.id = code;
		fx->e.department = "种子测试局";
		fx->e.year = 2023;
		tu_must(jx_store_eval_import(fx->s, &fx->e, rules(), "t", &out,
		                             &id, &fx->d),
		        &fx->d, seeds[i]);
		jx_arena_reset(&fx->ar);
		assert_int_equal(jx_score_run(&fx->e, rules(), &fx->ar, &res),
		                 JX_OK);
		assert_int_equal(
		        jx_audit_run(&fx->e, rules(), &res, &fx->ar, 0, &f),
		        JX_OK);
		nfind += (int64_t)(f.nerrors + f.nwarnings);
		for (k = 0; k < f.n; k++)
			if (strcmp(f.items[k].code,
			           "MISSING_DEVIATION_REASON") == 0)
				missing++;
	}
	tu_must(jx_store_project_find(fx->s, "seed-0", &id, &fx->d), &fx->d,
	        "find");
	tu_must(jx_store_project_get(fx->s, id, &p, &fx->ar, &fx->d), &fx->d,
	        "project");
	dept = p.dept_id;
	fin = one(fx, "SELECT parent_id FROM jx_org WHERE id = ?",
	          (struct jx_db_param[]){P_INT(dept)}, 1);
	tu_must(jx_store_dept_summary(fx->s, dept, 2023, &sum, &fx->d), &fx->d,
	        "summary");
	w = who(fx, fin, JX_ROLE_FINANCE);
	o = dashboard(fx, &w, dept);
	row = jget(o, "departments.0");
	jint_is(row, "projects", sum.projects);
	jint_is(row, "evals", sum.evals);
	jint_is(row, "by_grade.0.count", sum.by_grade[0]);
	jint_is(row, "by_grade.1.count", sum.by_grade[1]);
	jint_is(row, "by_grade.2.count", sum.by_grade[2]);
	jint_is(row, "by_grade.3.count", sum.by_grade[3]);
	jint_is(row, "error_projects.count", sum.with_errors);
	jint_is(row, "annual_fen", sum.annual_fen);
	jint_is(row, "executed_fen", sum.executed_fen);
	jint_is(row, "missing_deviation_reasons", missing);
	jint_is(row, "by_status.0.count", 4); /* imported as drafts */
	assert_true(missing > 0);
	assert_true(sum.annual_fen > 0);
	{
		int64_t n = 0;

		for (k = 0; k < json_array_size(jget(row, "top_findings"));
		     k++) {
			char path[64];

			snprintf(path, sizeof(path), "top_findings.%zu.count",
			         k);
			n += jint(row, path);
		}
		/* every code is listed when there are at most ten */
		if (json_array_size(jget(row, "top_findings")) <
		    JX_BOARD_CODES_MAX)
			assert_int_equal(n, nfind);
		else
			assert_true(n <= nfind);
	}
	/* the bucket of each computed total, as the summary's tens */
	jint_is(row, "scores.0.count",
	        sum.score_buckets[0] + sum.score_buckets[1] +
	                sum.score_buckets[2] + sum.score_buckets[3] +
	                sum.score_buckets[4] + sum.score_buckets[5]);
	jint_is(row, "scores.4.count", sum.score_buckets[9]);
	json_decref(o);
}

/* ---- inbox ------------------------------------------------------------- */

/* The goal versions and review comments of the inbox tests. */
static void
build_reviews(struct fx *fx, int64_t gv[8])
{
	struct tree *t = &fx->t;

	gv[0] = goal_version(fx, t->p[1], 1, "finance_approved",
	                     "2023-02-01T00:00:00Z");
	gv[1] = goal_version(fx, t->p[1], 2, "draft", "2023-03-10T00:00:00Z");
	gv[2] = goal_version(fx, t->p[3], 1, "returned",
	                     "2023-02-15T00:00:00Z");
	gv[3] = goal_version(fx, t->p[6], 1, "submitted",
	                     "2023-03-11T00:00:00Z");
	gv[4] = goal_version(fx, t->p[7], 1, "submitted",
	                     "2023-01-05T00:00:00Z");
	gv[5] = goal_version(fx, t->p[9], 1, "returned",
	                     "2023-03-12T00:00:00Z");
	review(fx, "self_eval", t->e[3], "deptA", "dept_return", "旧意见",
	       "2023-03-01T00:00:00Z");
	review(fx, "self_eval", t->e[3], "deptA", "dept_return",
	       "请补充偏差原因", "2023-03-03T00:00:00Z");
	review(fx, "self_eval", t->e[3], "unitA2", "view", NULL,
	       "2023-03-04T00:00:00Z");
	review(fx, "self_eval", t->e[3], "unitA2", "note", "",
	       "2023-03-04T00:00:01Z");
	/* the same id as a goal version's comment is not mixed up */
	review(fx, "goal_version", t->e[3], "x", "dept_return", "别的记录",
	       "2023-03-05T00:00:00Z");
	review(fx, "goal_version", gv[2], "deptA", "dept_return",
	       "指标值不明确", "2023-02-15T00:00:00Z");
}

static json_t *
inbox(struct fx *fx, const struct jx_who *w)
{
	json_t *out = NULL;

	jx_diag_clear(&fx->d);
	tu_must(jx_board_inbox(fx->s, w, &out, &fx->d), &fx->d, "inbox");
	return out;
}

static void
t_inbox(void **state)
{
	struct fx *fx = *state;
	struct tree *t = &fx->t;
	struct jx_who w;
	int64_t gv[8];
	json_t *o = NULL;

	build(fx);
	build_reviews(fx, gv);

	/* 甲一中心's filer: no returned items, two drafts, newest first. */
	w = who(fx, t->ua1, JX_ROLE_UNIT);
	o = inbox(fx, &w);
	jstr_is(o, "role", "unit_filer");
	assert_int_equal(json_array_size(jget(o, "lists")), 2);
	jstr_is(o, "lists.0.key", "returned");
	jstr_is(o, "lists.0.label", "已退回，待修改");
	jint_is(o, "lists.0.total", 0);
	assert_int_equal(json_array_size(jget(o, "lists.0.items")), 0);
	jstr_is(o, "lists.1.key", "draft");
	jint_is(o, "lists.1.total", 2);
	jstr_is(o, "lists.1.items.0.type", "goal_version");
	jint_is(o, "lists.1.items.0.id", gv[1]);
	jint_is(o, "lists.1.items.0.project.id", t->p[1]);
	jstr_is(o, "lists.1.items.0.project.code", "A-001");
	jstr_is(o, "lists.1.items.0.project.name", "A-001项目");
	jstr_is(o, "lists.1.items.0.status", "draft");
	jstr_is(o, "lists.1.items.0.updated_at", "2023-03-10T00:00:00Z");
	jnull_is(o, "lists.1.items.0.last_comment");
	jstr_is(o, "lists.1.items.1.type", "self_eval");
	jint_is(o, "lists.1.items.1.id", t->e[1]);
	json_decref(o);

	/* 甲二中心's filer: the returned self-evaluation and goal version
	 * with their newest comments. */
	w = who(fx, t->ua2, JX_ROLE_UNIT);
	o = inbox(fx, &w);
	jint_is(o, "lists.0.total", 2);
	jstr_is(o, "lists.0.items.0.type", "self_eval");
	jint_is(o, "lists.0.items.0.id", t->e[3]);
	jstr_is(o, "lists.0.items.0.status", "returned");
	jstr_is(o, "lists.0.items.0.last_comment.comment", "请补充偏差原因");
	jstr_is(o, "lists.0.items.0.last_comment.actor", "deptA");
	jstr_is(o, "lists.0.items.0.last_comment.action", "dept_return");
	jstr_is(o, "lists.0.items.0.last_comment.at", "2023-03-03T00:00:00Z");
	jstr_is(o, "lists.0.items.1.type", "goal_version");
	jint_is(o, "lists.0.items.1.id", gv[2]);
	jstr_is(o, "lists.0.items.1.last_comment.comment", "指标值不明确");
	jint_is(o, "lists.1.total", 0);
	json_decref(o);

	/* 甲局's reviewer: A-002 submitted. */
	w = who(fx, t->da, JX_ROLE_DEPT);
	o = inbox(fx, &w);
	assert_int_equal(json_array_size(jget(o, "lists")), 1);
	jstr_is(o, "lists.0.key", "awaiting_dept");
	jint_is(o, "lists.0.total", 1);
	jint_is(o, "lists.0.items.0.id", t->e[2]);
	json_decref(o);

	/* 乙局's reviewer: B-002's goal version and self-evaluation. */
	w = who(fx, t->db, JX_ROLE_DEPT);
	o = inbox(fx, &w);
	jint_is(o, "lists.0.total", 2);
	jstr_is(o, "lists.0.items.0.type", "goal_version");
	jint_is(o, "lists.0.items.0.id", gv[3]);
	jstr_is(o, "lists.0.items.1.type", "self_eval");
	jint_is(o, "lists.0.items.1.id", t->e[6]);
	json_decref(o);

	/* Finance: dept_approved B-001, and the direct unit's submitted
	 * self-evaluation and goal version; never a submitted one with a
	 * department, never the other bureau's. */
	w = who(fx, t->fin, JX_ROLE_FINANCE);
	o = inbox(fx, &w);
	assert_int_equal(json_array_size(jget(o, "lists")), 1);
	jstr_is(o, "lists.0.key", "awaiting_finance");
	jstr_is(o, "lists.0.label", "待财政审核");
	jint_is(o, "lists.0.total", 3);
	jint_is(o, "lists.0.items.0.id", t->e[7]);
	jstr_is(o, "lists.0.items.0.status", "submitted");
	jint_is(o, "lists.0.items.1.id", t->e[5]);
	jstr_is(o, "lists.0.items.1.status", "dept_approved");
	jstr_is(o, "lists.0.items.2.type", "goal_version");
	jint_is(o, "lists.0.items.2.id", gv[4]);
	json_decref(o);

	/* The administrator: totals only. */
	w = who(fx, t->fin, JX_ROLE_ADMIN);
	o = inbox(fx, &w);
	assert_int_equal(json_array_size(jget(o, "lists")), 4);
	jstr_is(o, "lists.0.key", "returned");
	jint_is(o, "lists.0.total", 2);
	assert_null(json_object_get(jget(o, "lists.0"), "items"));
	jstr_is(o, "lists.1.key", "draft");
	jint_is(o, "lists.1.total", 2);
	jstr_is(o, "lists.2.key", "awaiting_dept");
	jint_is(o, "lists.2.total", 3);
	jstr_is(o, "lists.3.key", "awaiting_finance");
	jint_is(o, "lists.3.total", 3);
	json_decref(o);

	/* an unknown role, no organisation */
	o = NULL;
	w.role = "auditor";
	assert_int_equal(jx_board_inbox(fx->s, &w, &o, &fx->d), JX_EINVAL);
	w.role = JX_ROLE_ADMIN;
	w.org_path = NULL;
	assert_int_equal(jx_board_inbox(fx->s, &w, &o, &fx->d), JX_EINVAL);
	assert_null(o);
}

/* At most JX_BOARD_INBOX_MAX items, the total counts them all. */
static void
t_inbox_limit(void **state)
{
	struct fx *fx = *state;
	struct jx_who w;
	int64_t fin, dept, unit, pid, ids[105], newest = 0;
	char code[32], at[32], path[64], max_at[32] = "";
	json_t *o;
	int k;

	fin = org(fx, 0, JX_ORG_FINANCE, "财政局");
	dept = org(fx, fin, JX_ORG_DEPARTMENT, "大局");
	unit = org(fx, dept, JX_ORG_UNIT, "大单位");
	for (k = 0; k < 105; k++) {
		snprintf(code, sizeof(code), "L-%03d", k);
		snprintf(at, sizeof(at), "2023-04-%02dT%02d:%02d:00Z",
		         1 + k / 60, k % 24, k % 60);
		pid = project(fx, unit, dept, 2023, code);
		if (k % 10 == 9)
			ids[k] = goal_version(fx, pid, 1, "draft", at);
		else
			ids[k] = eval(fx, pid, "draft", NULL, 0, false, 0, at);
		if (strcmp(at, max_at) > 0) {
			snprintf(max_at, sizeof(max_at), "%s", at);
			newest = ids[k];
		}
	}
	w = who(fx, unit, JX_ROLE_UNIT);
	o = inbox(fx, &w);
	jint_is(o, "lists.1.total", 105);
	assert_int_equal(json_array_size(jget(o, "lists.1.items")),
	                 JX_BOARD_INBOX_MAX);
	/* newest first: the timestamps grow with k within each day */
	{
		int64_t prev_ok = 1;
		const char *prev = NULL;

		for (k = 0; k < JX_BOARD_INBOX_MAX; k++) {
			const char *cur;

			snprintf(path, sizeof(path),
			         "lists.1.items.%d.updated_at", k);
			cur = json_string_value(jget(o, path));
			if (prev != NULL && strcmp(prev, cur) < 0)
				prev_ok = 0;
			prev = cur;
		}
		assert_int_equal(prev_ok, 1);
	}
	/* the newest: k = 95 (2023-04-02T23:35), a self-evaluation */
	jint_is(o, "lists.1.items.0.id", newest);
	jint_is(o, "lists.1.items.0.id", ids[95]);
	jstr_is(o, "lists.1.items.0.type", "self_eval");
	jstr_is(o, "lists.1.items.0.updated_at", max_at);
	json_decref(o);
}

/* ---- audit log --------------------------------------------------------- */

static void
audit_row(struct fx *fx, const char *at, const char *actor, const char *table,
          int64_t record, const char *before)
{
	struct jx_db_param p[] = {P_TEXT(at), P_TEXT(actor), P_TEXT(table),
	                          P_INT(record), P_TEXT(before)};

	exec(fx,
	     "INSERT INTO jx_audit_log (at, actor, action, table_name, "
	     "record_id, before_json, after_json) VALUES (?, ?, 'update', ?, "
	     "?, ?, '{}')",
	     p, NP(p));
}

static json_t *
audit(struct fx *fx, const struct jx_who *w,
      const struct jx_board_audit_filter *f, int64_t page, int64_t per_page,
      int64_t *total)
{
	json_t *items = NULL;

	jx_diag_clear(&fx->d);
	tu_must(jx_board_audit(fx->s, w, f, page, per_page, &items, total,
	                       &fx->d),
	        &fx->d, "audit");
	return items;
}

static void
t_audit(void **state)
{
	struct fx *fx = *state;
	struct jx_board_audit_filter f;
	struct jx_who w;
	int64_t total = 0, fin, dept, base;
	json_t *items = NULL;
	char *big;

	fin = org(fx, 0, JX_ORG_FINANCE, "财政局");
	dept = org(fx, fin, JX_ORG_DEPARTMENT, "甲局");
	/* Everything logged so far (the organisations) comes first. */
	base = one(fx, "SELECT COUNT(*) FROM jx_audit_log", NULL, 0);
	audit_row(fx, "2023-05-01T08:00:00Z", "alice", "jx_project", 1, "a");
	audit_row(fx, "2023-05-01T23:59:59Z", "bob", "jx_project", 2, "b");
	audit_row(fx, "2023-05-02T00:00:00Z", "alice", "jx_self_eval", 1, "c");
	audit_row(fx, "2023-05-03T12:00:00Z", "alice", "jx_project", 1, "d");
	big = malloc(JX_BOARD_AUDIT_TEXT_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', JX_BOARD_AUDIT_TEXT_MAX + 1);
	big[JX_BOARD_AUDIT_TEXT_MAX + 1] = '\0';
	audit_row(fx, "2023-05-04T00:00:00Z", "carol", "jx_payment", 7, big);
	free(big);

	w = who(fx, fin, JX_ROLE_FINANCE);
	memset(&f, 0, sizeof(f));
	items = audit(fx, &w, &f, 1, 2, &total);
	assert_int_equal(total, base + 5);
	assert_int_equal(json_array_size(items), 2);
	/* newest first; the long text left out and flagged */
	jstr_is(items, "0.actor", "carol");
	jnull_is(items, "0.before");
	assert_true(json_is_true(jget(items, "0.before_omitted")));
	assert_true(json_is_false(jget(items, "0.after_omitted")));
	jstr_is(items, "0.after", "{}");
	jstr_is(items, "1.before", "d");
	jstr_is(items, "1.table", "jx_project");
	jint_is(items, "1.record_id", 1);
	jstr_is(items, "1.at", "2023-05-03T12:00:00Z");
	jstr_is(items, "1.action", "update");
	json_decref(items);
	items = audit(fx, &w, &f, 2, 2, &total);
	jstr_is(items, "0.before", "c");
	jstr_is(items, "1.before", "b");
	json_decref(items);
	items = audit(fx, &w, &f, 99, 2, &total);
	assert_int_equal(json_array_size(items), 0);
	assert_int_equal(total, base + 5);
	json_decref(items);

	/* table (with or without the prefix) and record */
	f.table = "project";
	items = audit(fx, &w, &f, 1, 50, &total);
	assert_int_equal(total, 3);
	json_decref(items);
	f.table = "jx_project";
	f.record_id = 1;
	items = audit(fx, &w, &f, 1, 50, &total);
	assert_int_equal(total, 2);
	jstr_is(items, "0.before", "d");
	jstr_is(items, "1.before", "a");
	json_decref(items);

	/* actor, and dates: a date "to" takes its whole day */
	memset(&f, 0, sizeof(f));
	f.actor = "alice";
	items = audit(fx, &w, &f, 1, 50, &total);
	assert_int_equal(total, 3);
	json_decref(items);
	memset(&f, 0, sizeof(f));
	f.from = "2023-05-01";
	f.to = "2023-05-01";
	items = audit(fx, &w, &f, 1, 50, &total);
	assert_int_equal(total, 2);
	jstr_is(items, "0.before", "b");
	json_decref(items);
	f.from = "2023-05-01T09:00:00Z";
	f.to = "2023-05-02T00:00:00Z";
	items = audit(fx, &w, &f, 1, 50, &total);
	assert_int_equal(total, 2);
	jstr_is(items, "0.before", "c");
	json_decref(items);
	f.to = NULL;
	f.actor = "alice";
	items = audit(fx, &w, &f, 1, 50, &total);
	assert_int_equal(total, 2);
	json_decref(items);

	/* bad filters name themselves */
	items = NULL;
	memset(&f, 0, sizeof(f));
	f.table = "jx_project; DROP";
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 1, 50, &items, &total, &fx->d),
	        JX_EINVAL);
	assert_string_equal(fx->d.field, "table");
	memset(&f, 0, sizeof(f));
	f.from = "2023-02-30";
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 1, 50, &items, &total, &fx->d),
	        JX_EINVAL);
	assert_string_equal(fx->d.field, "from");
	f.from = "2023-05-01T24:00:00Z";
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 1, 50, &items, &total, &fx->d),
	        JX_EINVAL);
	f.from = "2023-05-02";
	f.to = "2023-05-01T12:00:00Z";
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 1, 50, &items, &total, &fx->d),
	        JX_EINVAL);
	assert_string_equal(fx->d.field, "to");
	memset(&f, 0, sizeof(f));
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 0, 50, &items, &total, &fx->d),
	        JX_EINVAL);
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 1, 201, &items, &total, &fx->d),
	        JX_EINVAL);
	assert_null(items);

	/* only a caller at the root */
	w = who(fx, dept, JX_ROLE_ADMIN);
	assert_int_equal(
	        jx_board_audit(fx->s, &w, &f, 1, 50, &items, &total, &fx->d),
	        JX_EPERM);
	assert_null(items);
}

/* ---- handlers ---------------------------------------------------------- */

struct call {
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_http_env env;
	struct jx_arena a;
};

/* Prepare a request of w with query "k=v" pairs (NULL-terminated). */
static void
call_init(struct call *c, struct fx *fx, const struct jx_who *w,
          const char *const *kv)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	jx_arena_init(&c->a, 0);
	c->env.wf = workflow();
	c->env.rules = rules();
	c->rq.method = "GET";
	c->rq.arena = &c->a;
	c->rq.store = fx->s;
	c->rq.env = &c->env;
	c->rq.authed = true;
	c->rq.who = *w;
	for (i = 0; kv != NULL && kv[2 * i] != NULL; i++) {
		c->rq.query[i].key = kv[2 * i];
		c->rq.query[i].value = kv[2 * i + 1];
	}
	c->rq.nquery = i;
	jx_http_resp_init(&c->rs);
}

static void
call_done(struct call *c)
{
	jx_http_resp_cleanup(&c->rs);
	jx_arena_cleanup(&c->a);
}

static void
error_is(struct call *c, unsigned status, const char *field)
{
	if (c->rs.status != status)
		fail_msg("status %u, want %u", c->rs.status, status);
	if (field != NULL)
		jstr_is(c->rs.body, "error.field", field);
}

static void
t_handlers(void **state)
{
	struct fx *fx = *state;
	struct tree *t = &fx->t;
	struct jx_who w;
	struct call c;
	int64_t gv[8];
	char year[8], dept[32];
	time_t now = time(NULL);
	struct tm tm;

	build(fx);
	build_reviews(fx, gv);
	gmtime_r(&now, &tm);
	snprintf(year, sizeof(year), "%d", tm.tm_year + 1900);
	snprintf(dept, sizeof(dept), "%" PRId64, t->da);

	/* dashboard: labels from the workflow; the year defaults to now */
	w = who(fx, t->fin, JX_ROLE_FINANCE);
	call_init(&c, fx, &w, (const char *const[]){"year", "2023", NULL});
	jx_h_board_dashboard(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	jint_is(c.rs.body, "year", 2023);
	jstr_is(c.rs.body, "time_progress", "100"); /* 2023 is past */
	jstr_is(c.rs.body, "total.by_status.0.label", "草稿");
	jstr_is(c.rs.body, "total.by_status.2.label", "主管部门已审核");
	jstr_is(c.rs.body, "total.by_status.5.label", "未填报");
	jstr_is(c.rs.body, "departments.0.by_status.1.label", "已提交");
	jstr_is(c.rs.body, "total.by_grade.4.key", "none");
	jstr_is(c.rs.body, "total.by_grade.4.label", "未评级");
	jint_is(c.rs.body, "total.projects", 7);
	call_done(&c);
	call_init(&c, fx, &w, NULL);
	jx_h_board_dashboard(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	jint_is(c.rs.body, "year", tm.tm_year + 1900);
	call_done(&c);
	call_init(&c, fx, &w,
	          (const char *const[]){"year", "2023", "dept_id", dept, NULL});
	jx_h_board_dashboard(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	jint_is(c.rs.body, "total.projects", 4);
	call_done(&c);
	/* bad parameters: 400; a department out of scope: 404 */
	call_init(&c, fx, &w, (const char *const[]){"year", "23x", NULL});
	jx_h_board_dashboard(&c.rq, &c.rs);
	error_is(&c, 400, "year");
	call_done(&c);
	call_init(&c, fx, &w, (const char *const[]){"dept_id", "-1", NULL});
	jx_h_board_dashboard(&c.rq, &c.rs);
	error_is(&c, 400, "dept_id");
	call_done(&c);
	w = who(fx, t->db, JX_ROLE_DEPT);
	call_init(&c, fx, &w, (const char *const[]){"dept_id", dept, NULL});
	jx_h_board_dashboard(&c.rq, &c.rs);
	error_is(&c, 404, "dept_id");
	jstr_is(c.rs.body, "error.code", "not_found");
	call_done(&c);

	/* inbox: status keys become {key, label} */
	w = who(fx, t->ua2, JX_ROLE_UNIT);
	call_init(&c, fx, &w, NULL);
	jx_h_board_inbox(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	jstr_is(c.rs.body, "role_label", "单位填报");
	jstr_is(c.rs.body, "lists.0.items.0.status.key", "returned");
	jstr_is(c.rs.body, "lists.0.items.0.status.label", "已退回");
	jstr_is(c.rs.body, "lists.0.items.0.last_comment.comment",
	        "请补充偏差原因");
	call_done(&c);

	/* audit: a list with paging; filters checked */
	w = who(fx, t->fin, JX_ROLE_ADMIN);
	call_init(&c, fx, &w,
	          (const char *const[]){"per_page", "3", "page", "2", "table",
	                                "org", NULL});
	jx_h_board_audit(&c.rq, &c.rs);
	assert_int_equal(c.rs.status, 200);
	jint_is(c.rs.body, "page", 2);
	jint_is(c.rs.body, "per_page", 3);
	jint_is(c.rs.body, "total", 11); /* the organisations created */
	assert_int_equal(json_array_size(jget(c.rs.body, "items")), 3);
	jstr_is(c.rs.body, "items.0.table", "jx_org");
	jint_is(c.rs.body, "items.0.record_id", t->ud);
	call_done(&c);
	call_init(&c, fx, &w, (const char *const[]){"from", "yesterday", NULL});
	jx_h_board_audit(&c.rq, &c.rs);
	error_is(&c, 400, "from");
	call_done(&c);
	call_init(&c, fx, &w, (const char *const[]){"record_id", "0", NULL});
	jx_h_board_audit(&c.rq, &c.rs);
	error_is(&c, 400, "record_id");
	call_done(&c);
	call_init(&c, fx, &w, (const char *const[]){"per_page", "500", NULL});
	jx_h_board_audit(&c.rq, &c.rs);
	error_is(&c, 400, "per_page");
	call_done(&c);
	w = who(fx, t->da, JX_ROLE_ADMIN);
	call_init(&c, fx, &w, NULL);
	jx_h_board_audit(&c.rq, &c.rs);
	error_is(&c, 403, NULL);
	call_done(&c);
}

/* ---- measurement ------------------------------------------------------- */

static int
bench_main(int argc, char **argv)
{
	struct jx_store *s = NULL;
	struct jx_diag d;
	struct jx_who w;
	char path[64], today[16];
	json_t *o = NULL;
	int64_t root = 0, year, repeat, i;
	double t0, dash_min = 1e18, inbox_min = 1e18, first = 0;
	enum jx_err err;
	int status = 1;

	if (argc != 5) {
		fprintf(stderr, "usage: test_board --bench URL YEAR REPEAT\n");
		return 2;
	}
	year = strtol(argv[3], NULL, 10);
	repeat = strtol(argv[4], NULL, 10);
	jx_diag_clear(&d);
	err = jx_store_open(argv[2], &s, &d);
	if (err == JX_OK)
		err = jx_store_one_int(s,
		                       "SELECT id FROM jx_org WHERE parent_id "
		                       "IS NULL ORDER BY id LIMIT 1",
		                       NULL, 0, &root, &d);
	if (err != JX_OK)
		goto done;
	snprintf(path, sizeof(path), "/%" PRId64 "/", root);
	snprintf(today, sizeof(today), "%" PRId64 "-07-02", year);
	memset(&w, 0, sizeof(w));
	w.login = "bench";
	w.role = JX_ROLE_ADMIN;
	w.org_id = root;
	w.org_kind = "finance";
	w.org_path = path;
	for (i = 0; err == JX_OK && i <= repeat; i++) {
		t0 = tu_now_ms();
		err = jx_board_dashboard(s, &w, (int)year, JX_BOARD_ALL_DEPTS,
		                         today, &o, &d);
		t0 = tu_now_ms() - t0;
		if (i == 0)
			first = t0;
		else if (t0 < dash_min)
			dash_min = t0;
		if (err == JX_OK && i == repeat)
			printf("projects=%" PRId64 " departments=%zu ",
			       (int64_t)json_integer_value(json_object_get(
			               json_object_get(o, "total"),
			               "projects")),
			       json_array_size(
			               json_object_get(o, "departments")));
		json_decref(o);
		o = NULL;
	}
	w.role = JX_ROLE_FINANCE;
	for (i = 0; err == JX_OK && i < repeat; i++) {
		t0 = tu_now_ms();
		err = jx_board_inbox(s, &w, &o, &d);
		t0 = tu_now_ms() - t0;
		if (t0 < inbox_min)
			inbox_min = t0;
		json_decref(o);
		o = NULL;
	}
	if (err != JX_OK)
		goto done;
	printf("backend=%s dashboard_first_ms=%.1f dashboard_min_ms=%.1f "
	       "inbox_min_ms=%.1f\n",
	       jx_store_backend(s), first, dash_min, inbox_min);
	status = 0;
done:
	if (status != 0)
		fprintf(stderr, "test_board --bench: %s: %s\n",
		        jx_err_name(err), d.message);
	jx_store_close(s);
	return status;
}

/* ---- main ------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(t_time_progress),
	        T(t_dashboard_finance),
	        T(t_dashboard_scope),
	        T(t_dashboard_lists),
	        T(t_dashboard_imported),
	        T(t_inbox),
	        T(t_inbox_limit),
	        T(t_audit),
	        T(t_handlers),
	};
	int failed;

	if (argc >= 2 && strcmp(argv[1], "--bench") == 0)
		return bench_main(argc, argv);
	failed = tu_run_backends("board", tests);
	if (g_rules_loaded)
		jx_rules_cleanup(&g_rules);
	if (g_wf_loaded)
		jx_workflow_cleanup(&g_wf);
	return failed;
}
