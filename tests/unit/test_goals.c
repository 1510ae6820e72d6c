/*
 * test_goals.c - goal versions, goals and indicators (include/jx/goals.h)
 * and their web handlers (src/http/h_goals.c), on SQLite and, when
 * JX_TEST_PG_URL names a PostgreSQL database, again on PostgreSQL (each
 * test in a schema of its own, dropped afterwards).
 *
 * Covered: scoping (a unit sees its own project and gets JX_ENOTFOUND for a
 * sibling's, a department sees its units' projects only, finance sees
 * all); the first save, replacing a draft, an adjusted version after
 * approval (reason required); stale row versions; checks of the content
 * with field paths; every workflow path with and without a department,
 * returns with comments, resubmission, reopening; the jx_review rows and
 * audit entries; that nothing is written on any failure; the meaning of
 * targets; and the handlers called directly with a filled struct
 * jx_http_req (no sockets).
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
#include <unistd.h>

#include <cmocka.h>

#include "../../src/http/handlers.h"
#include "../../src/store/internal.h"
#include "jx/evaljson.h"
#include "jx/goals.h"
#include "jx/http.h"
#include "jx/limits.h"
#include "jx/store.h"
#include "jx/workflow.h"
#include "testutil.h"

/* A caller: who plus the strings it points to. */
struct caller {
	struct jx_who who;
	char login[32];
	char path[64];
};

/* One test's database and world. */
struct fx {
	struct tu_db db;
	struct jx_store *s;
	struct jx_diag d;
	int64_t finance, dept1, dept2, unit1, unit2, unit3, unit4;
	int64_t p1, p2, p3, p4; /* projects of unit1, unit2, unit3, unit4 */
	struct caller u1, u2, u4, dp1, dp2, fin, admin;
	struct jx_arena ar;
	struct jx_eval e;
};

/* What the tables hold, to prove that a failure wrote nothing. */
struct counts {
	int64_t versions, goals, indicators, reviews, audit, sum_rv;
};

static struct jx_rules g_rules;
static struct jx_workflow g_wf;

/* ---- helpers --------------------------------------------------------- */

static void
want(enum jx_err got, enum jx_err exp, const struct jx_diag *d,
     const char *field, const char *what)
{
	if (got != exp)
		fail_msg("%s: got %s, want %s (%s: %s)", what, jx_err_name(got),
		         jx_err_name(exp), d->field, d->message);
	if (field != NULL && strcmp(d->field, field) != 0)
		fail_msg("%s: field \"%s\", want \"%s\" (%s)", what, d->field,
		         field, d->message);
	if (exp != JX_OK && d->message[0] == '\0')
		fail_msg("%s: no message", what);
}

static int64_t
sql_int(struct fx *fx, const char *sql, int64_t p)
{
	struct jx_db_param prm[] = {P_INT(p)};
	int64_t v = 0;

	tu_must(jx_store_one_int(fx->s, sql, prm, p >= 0 ? 1 : 0, &v, &fx->d),
	        &fx->d, sql);
	return v;
}

/* The first column of the first row as text (malloc'd; NULL for SQL
 * NULL). */
static char *
sql_text(struct fx *fx, const char *sql, int64_t p)
{
	struct jx_db_param prm[] = {P_INT(p)};
	struct jx_db_stmt *st = NULL;
	char *out = NULL;
	enum jx_err err;

	err = fx->s->ops->query(fx->s->db, sql, prm, 1, &st, &fx->d);
	if (err == JX_OK)
		err = fx->s->ops->step(st, &fx->d);
	if (err == JX_OK && !fx->s->ops->is_null(st, 0))
		out = strdup(fx->s->ops->col_text(st, 0));
	fx->s->ops->finish(st);
	if (err != JX_OK)
		fail_msg("%s: %s", sql, jx_err_name(err));
	return out;
}

static void
sql_run(struct fx *fx, const char *sql, const struct jx_db_param *p, size_t n)
{
	tu_must(jx_store_run(fx->s, sql, p, n, &fx->d), &fx->d, sql);
}

static void
counts(struct fx *fx, struct counts *c)
{
	c->versions = sql_int(fx, "SELECT COUNT(*) FROM jx_goal_version", -1);
	c->goals = sql_int(fx, "SELECT COUNT(*) FROM jx_goal", -1);
	c->indicators = sql_int(fx, "SELECT COUNT(*) FROM jx_indicator", -1);
	c->reviews = sql_int(fx, "SELECT COUNT(*) FROM jx_review", -1);
	c->audit = sql_int(fx, "SELECT COUNT(*) FROM jx_audit_log", -1);
	c->sum_rv = sql_int(fx,
	                    "SELECT COALESCE(SUM(row_version), 0) FROM "
	                    "jx_goal_version",
	                    -1);
}

static void
same_counts(struct fx *fx, const struct counts *before, const char *what)
{
	struct counts now;

	counts(fx, &now);
	if (memcmp(&now, before, sizeof(now)) != 0)
		fail_msg("%s wrote something: versions %" PRId64 "/%" PRId64
		         " goals %" PRId64 "/%" PRId64 " indicators %" PRId64
		         "/%" PRId64 " reviews %" PRId64 "/%" PRId64
		         " audit %" PRId64 "/%" PRId64 " row versions %" PRId64
		         "/%" PRId64,
		         what, before->versions, now.versions, before->goals,
		         now.goals, before->indicators, now.indicators,
		         before->reviews, now.reviews, before->audit, now.audit,
		         before->sum_rv, now.sum_rv);
}

static void
make_caller(struct fx *fx, struct caller *c, const char *login,
            const char *role, int64_t org)
{
	char *path;
	struct jx_user u;
	int64_t id = 0;

	memset(c, 0, sizeof(*c));
	memset(&u, 0, sizeof(u));
	u.org_id = org;
	u.login = login;
	u.name = login;
	u.role = role;
	tu_must(jx_store_user_create(fx->s, &u, &id, &fx->d), &fx->d, login);
	path = sql_text(fx, "SELECT path FROM jx_org WHERE id = ?", org);
	assert_non_null(path);
	snprintf(c->path, sizeof(c->path), "%s", path);
	free(path);
	snprintf(c->login, sizeof(c->login), "%s", login);
	c->who.user_id = id;
	c->who.login = c->login;
	c->who.name = c->login;
	c->who.role = role;
	c->who.org_id = org;
	c->who.org_path = c->path;
}

static int64_t
make_project(struct fx *fx, const char *code, int64_t unit, int64_t dept)
{
	struct jx_db_param p[] = {P_TEXT(code), P_TEXT(code), P_INT(unit),
	                          dept != 0 ? P_INT(dept) : P_NULL};
	int64_t id = 0;

	tu_must(jx_store_one_int(
	                fx->s,
	                "INSERT INTO jx_project (code, name, unit_id, "
	                "dept_id, year, created_at, updated_at) VALUES "
	                "(?, ?, ?, ?, 2024, '2024-01-01T00:00:00Z', "
	                "'2024-01-01T00:00:00Z') RETURNING id",
	                p, NP(p), &id, &fx->d),
	        &fx->d, code);
	return id;
}

/* ---- per-test database ------------------------------------------------ */

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tu_db_open(&fx->db, "goals", "goals.db", true, &fx->s, &fx->d) !=
	    0) {
		free(fx);
		return -1;
	}
	jx_arena_init(&fx->ar, 0);
	jx_eval_init(&fx->e);
	*state = fx;

	/* 财政局 -> 部门一 (单位一, 单位二), 部门二 (单位三); 单位四 directly
	 * under the finance bureau. */
	tu_must(jx_store_org_ensure(fx->s, 0, JX_ORG_FINANCE, "测试市财政局",
	                            NULL, NULL, NULL, &fx->finance, &fx->d),
	        &fx->d, "finance");
	tu_must(jx_store_org_ensure(fx->s, fx->finance, JX_ORG_DEPARTMENT,
	                            "部门一", NULL, NULL, NULL, &fx->dept1,
	                            &fx->d),
	        &fx->d, "dept1");
	tu_must(jx_store_org_ensure(fx->s, fx->finance, JX_ORG_DEPARTMENT,
	                            "部门二", NULL, NULL, NULL, &fx->dept2,
	                            &fx->d),
	        &fx->d, "dept2");
	tu_must(jx_store_org_ensure(fx->s, fx->dept1, JX_ORG_UNIT, "单位一",
	                            NULL, NULL, NULL, &fx->unit1, &fx->d),
	        &fx->d, "unit1");
	tu_must(jx_store_org_ensure(fx->s, fx->dept1, JX_ORG_UNIT, "单位二",
	                            NULL, NULL, NULL, &fx->unit2, &fx->d),
	        &fx->d, "unit2");
	tu_must(jx_store_org_ensure(fx->s, fx->dept2, JX_ORG_UNIT, "单位三",
	                            NULL, NULL, NULL, &fx->unit3, &fx->d),
	        &fx->d, "unit3");
	tu_must(jx_store_org_ensure(fx->s, fx->finance, JX_ORG_UNIT, "单位四",
	                            NULL, NULL, NULL, &fx->unit4, &fx->d),
	        &fx->d, "unit4");
	sql_run(fx, "INSERT INTO jx_fiscal_year (year) VALUES (2024)", NULL, 0);
	fx->p1 = make_project(fx, "P1", fx->unit1, fx->dept1);
	fx->p2 = make_project(fx, "P2", fx->unit2, fx->dept1);
	fx->p3 = make_project(fx, "P3", fx->unit3, fx->dept2);
	fx->p4 = make_project(fx, "P4", fx->unit4, 0);
	make_caller(fx, &fx->u1, "u1", JX_ROLE_UNIT, fx->unit1);
	make_caller(fx, &fx->u2, "u2", JX_ROLE_UNIT, fx->unit2);
	make_caller(fx, &fx->u4, "u4", JX_ROLE_UNIT, fx->unit4);
	make_caller(fx, &fx->dp1, "dp1", JX_ROLE_DEPT, fx->dept1);
	make_caller(fx, &fx->dp2, "dp2", JX_ROLE_DEPT, fx->dept2);
	make_caller(fx, &fx->fin, "fin", JX_ROLE_FINANCE, fx->finance);
	make_caller(fx, &fx->admin, "adm", JX_ROLE_ADMIN, fx->finance);
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

/* ---- content ------------------------------------------------------------ */

static const struct jx_goals_goal goals2[] = {
        {"annual", "  完成系统建设并上线运行  "},
        {"multi_year", "三年内覆盖全部预算单位"},
};

/* Four indicators worth 12.5 + 37.5 + 30 + 10 = 90. */
static struct jx_goals_indicator inds4[] = {
        {" 产出指标 ", "数量指标", "建设子系统数量", "≥3", "个", "定量", true,
         12500000},
        {"产出", "质量指标", "系统可用率", "≥95", "%", "定量", true, 37500000},
        {"效益指标", "社会效益指标", "业务办理时间", "明显缩短", NULL, "定性",
         true, 30000000},
        {"满意度指标", "服务对象满意度指标", "用户满意度", "≥90%", NULL, "定量",
         true, 10000000},
};

static struct jx_goals_content
content(int64_t version, const char *reason)
{
	struct jx_goals_content c;

	memset(&c, 0, sizeof(c));
	c.version = version;
	c.reason = reason;
	c.goals = goals2;
	c.ngoals = 2;
	c.indicators = inds4;
	c.nindicators = 4;
	return c;
}

static int64_t
save_ok(struct fx *fx, const struct caller *c, int64_t project,
        const struct jx_goals_content *gc, bool want_created)
{
	int64_t id = 0;
	bool created = !want_created;

	jx_diag_clear(&fx->d);
	tu_must(jx_goals_save(fx->s, &c->who, &g_wf, &g_rules, project, gc, &id,
	                      &created, &fx->d),
	        &fx->d, "save");
	assert_true(id > 0);
	assert_int_equal(created, want_created);
	return id;
}

static enum jx_err
save(struct fx *fx, const struct caller *c, int64_t project,
     const struct jx_goals_content *gc)
{
	int64_t id = -1;
	enum jx_err err;

	jx_diag_clear(&fx->d);
	err = jx_goals_save(fx->s, &c->who, &g_wf, &g_rules, project, gc, &id,
	                    NULL, &fx->d);
	if (err != JX_OK)
		assert_int_equal(id, -1); /* untouched on failure */
	return err;
}

static enum jx_err
move(struct fx *fx, const struct caller *c, int64_t vid, const char *action,
     const char *comment, int64_t version)
{
	int64_t project = -1;
	enum jx_err err;

	jx_diag_clear(&fx->d);
	err = jx_goals_transition(fx->s, &c->who, &g_wf, vid, action, comment,
	                          version, &project, &fx->d);
	if (err == JX_OK)
		assert_true(project > 0);
	else
		assert_int_equal(project, -1);
	return err;
}

/* The row version and state of version vid. */
static int64_t
rv_of(struct fx *fx, int64_t vid)
{
	return sql_int(fx,
	               "SELECT row_version FROM jx_goal_version WHERE id = ?",
	               vid);
}

static void
state_is(struct fx *fx, int64_t vid, const char *state)
{
	char *s = sql_text(
	        fx, "SELECT wf_status FROM jx_goal_version WHERE id = ?", vid);

	assert_non_null(s);
	if (strcmp(s, state) != 0)
		fail_msg("version %" PRId64 " is %s, want %s", vid, s, state);
	free(s);
}

/* ---- scoping --------------------------------------------------------------
 */

static void
t_scope(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(0, NULL);
	struct counts before;
	json_t *o = NULL, *items = NULL;
	struct jx_who nowhere;
	int64_t vid;
	size_t i;
	/* who sees which project: u1 its own; dp1 both of its units; dp2
	 * only P3; fin everything; u4 only P4. */
	static const struct {
		int who; /* index into the callers below */
		int project;
		enum jx_err want;
	} rows[] = {
	        {0, 1, JX_OK},        {0, 2, JX_ENOTFOUND},
	        {0, 3, JX_ENOTFOUND}, {0, 4, JX_ENOTFOUND},
	        {1, 2, JX_OK},        {1, 1, JX_ENOTFOUND},
	        {2, 1, JX_OK},        {2, 2, JX_OK},
	        {2, 3, JX_ENOTFOUND}, {2, 4, JX_ENOTFOUND},
	        {3, 3, JX_OK},        {3, 1, JX_ENOTFOUND},
	        {4, 1, JX_OK},        {4, 2, JX_OK},
	        {4, 3, JX_OK},        {4, 4, JX_OK},
	        {5, 4, JX_OK},        {5, 1, JX_ENOTFOUND},
	};
	const struct caller *who[] = {&fx->u1,  &fx->u2,  &fx->dp1,
	                              &fx->dp2, &fx->fin, &fx->u4};
	int64_t proj[] = {0, fx->p1, fx->p2, fx->p3, fx->p4};

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "row %zu", i);
		o = NULL;
		jx_diag_clear(&fx->d);
		want(jx_goals_get(fx->s, &who[rows[i].who]->who,
		                  proj[rows[i].project], &o, &fx->d),
		     rows[i].want, &fx->d, NULL, what);
		if (rows[i].want == JX_OK) {
			assert_non_null(o);
			assert_true(json_is_null(
			        json_object_get(o, "goal_version")));
			assert_int_equal(
			        json_array_size(json_object_get(o, "versions")),
			        0);
			json_decref(o);
		} else {
			assert_null(o);
		}
		items = NULL;
		want(jx_goals_list(fx->s, &who[rows[i].who]->who,
		                   proj[rows[i].project], &items, &fx->d),
		     rows[i].want, &fx->d, NULL, what);
		json_decref(items);
	}
	/* A project that does not exist looks the same as one out of scope. */
	want(jx_goals_get(fx->s, &fx->fin.who, 999999, &o, &fx->d),
	     JX_ENOTFOUND, &fx->d, NULL, "missing project");
	/* A caller without an organisation path sees nothing. */
	nowhere = fx->u1.who;
	nowhere.org_path = NULL;
	want(jx_goals_get(fx->s, &nowhere, fx->p1, &o, &fx->d), JX_EINVAL,
	     &fx->d, NULL, "no path");

	/* With a version: the sibling unit cannot read, save or move it. */
	vid = save_ok(fx, &fx->u1, fx->p1, &c, true);
	counts(fx, &before);
	o = NULL;
	want(jx_goals_version(fx->s, &fx->u2.who, vid, &o, &fx->d),
	     JX_ENOTFOUND, &fx->d, NULL, "sibling reads version");
	assert_null(o);
	want(jx_goals_version(fx->s, &fx->dp2.who, vid, &o, &fx->d),
	     JX_ENOTFOUND, &fx->d, NULL, "other department reads version");
	c.version = 1;
	want(save(fx, &fx->u2, fx->p1, &c), JX_ENOTFOUND, &fx->d, NULL,
	     "sibling saves");
	want(move(fx, &fx->u2, vid, "submit", NULL, 1), JX_ENOTFOUND, &fx->d,
	     NULL, "sibling submits");
	want(move(fx, &fx->dp2, vid, "dept_approve", NULL, 1), JX_ENOTFOUND,
	     &fx->d, NULL, "other department approves");
	same_counts(fx, &before, "out-of-scope calls");
	/* In scope, every reader gets the same version. */
	tu_must(jx_goals_version(fx->s, &fx->dp1.who, vid, &o, &fx->d), &fx->d,
	        "dept reads");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_object_get(o, "goal_version"), "id")),
	                 vid);
	json_decref(o);
	tu_must(jx_goals_version(fx->s, &fx->fin.who, vid, &o, &fx->d), &fx->d,
	        "finance reads");
	json_decref(o);
}

/* ---- saving ----------------------------------------------------------------
 */

static void
t_save_create_replace(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(0, NULL);
	struct jx_goals_indicator two[2];
	json_t *o = NULL, *gv, *inds, *ind, *goals;
	int64_t vid, vid2;
	char *s;

	vid = save_ok(fx, &fx->u1, fx->p1, &c, true);
	tu_must(jx_goals_get(fx->s, &fx->u1.who, fx->p1, &o, &fx->d), &fx->d,
	        "get");
	gv = json_object_get(o, "goal_version");
	assert_int_equal(json_integer_value(json_object_get(gv, "id")), vid);
	assert_int_equal(json_integer_value(json_object_get(gv, "number")), 1);
	assert_string_equal(json_string_value(json_object_get(gv, "stage")),
	                    "declared");
	assert_string_equal(json_string_value(json_object_get(gv, "status")),
	                    "draft");
	assert_int_equal(json_integer_value(json_object_get(gv, "version")), 1);
	assert_string_equal(
	        json_string_value(json_object_get(gv, "created_by")), "u1");
	assert_true(json_is_null(json_object_get(gv, "reason")));
	/* Texts are stored trimmed, in order; weights as exact decimals. */
	goals = json_object_get(gv, "goals");
	assert_int_equal(json_array_size(goals), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(goals, 0), "text")),
	                    "完成系统建设并上线运行");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(goals, 1), "kind")),
	                    "multi_year");
	inds = json_object_get(gv, "indicators");
	assert_int_equal(json_array_size(inds), 4);
	ind = json_array_get(inds, 0);
	assert_string_equal(json_string_value(json_object_get(ind, "level1")),
	                    "产出指标");
	assert_string_equal(json_string_value(json_object_get(ind, "weight")),
	                    "12.5");
	assert_string_equal(json_string_value(json_object_get(ind, "target")),
	                    "≥3");
	ind = json_array_get(inds, 2);
	assert_true(json_is_null(json_object_get(ind, "unit")));
	assert_string_equal(json_string_value(json_object_get(ind, "weight")),
	                    "30");
	assert_int_equal(json_array_size(json_object_get(o, "versions")), 1);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_object_get(json_object_get(o, "project"), "dept"),
	                "name")),
	        "部门一");
	json_decref(o);
	/* The typed target beside the text: "≥95" with unit "%". */
	s = sql_text(fx,
	             "SELECT cmp FROM jx_indicator WHERE version_id = ? AND "
	             "position = 1",
	             vid);
	assert_string_equal(s, "≥");
	free(s);
	assert_int_equal(sql_int(fx,
	                         "SELECT target_m FROM jx_indicator WHERE "
	                         "version_id = ? AND position = 1",
	                         vid),
	                 95000000);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_audit_log WHERE "
	                         "table_name = 'jx_goal_version' AND "
	                         "record_id = ? AND action = 'create' AND "
	                         "actor = 'u1' AND after_json IS NOT NULL",
	                         vid),
	                 1);

	/* Replace the draft: same version, row version 2, new content. */
	memcpy(two, inds4, sizeof(two));
	two[1].weight = 40000000;
	c.indicators = two;
	c.nindicators = 2;
	c.ngoals = 1;
	c.version = 1;
	vid2 = save_ok(fx, &fx->u1, fx->p1, &c, false);
	assert_int_equal(vid2, vid);
	assert_int_equal(rv_of(fx, vid), 2);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_indicator WHERE "
	                         "version_id = ?",
	                         vid),
	                 2);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_goal WHERE "
	                         "version_id = ?",
	                         vid),
	                 1);
	assert_int_equal(sql_int(fx,
	                         "SELECT weight_m FROM jx_indicator WHERE "
	                         "version_id = ? AND position = 1",
	                         vid),
	                 40000000);
	assert_int_equal(
	        sql_int(fx, "SELECT COUNT(*) FROM jx_goal_version", -1), 1);
	/* The update is logged with the content before and after. */
	s = sql_text(fx,
	             "SELECT before_json FROM jx_audit_log WHERE record_id = ? "
	             "AND action = 'update'",
	             vid);
	assert_non_null(s);
	assert_non_null(strstr(s, "用户满意度"));
	free(s);
	s = sql_text(fx,
	             "SELECT after_json FROM jx_audit_log WHERE record_id = ? "
	             "AND action = 'update'",
	             vid);
	assert_non_null(s);
	assert_null(strstr(s, "用户满意度"));
	free(s);
	/* An empty save is allowed (a draft may be cleared). */
	c.ngoals = 0;
	c.nindicators = 0;
	c.version = 2;
	save_ok(fx, &fx->u1, fx->p1, &c, false);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_indicator WHERE "
	                         "version_id = ?",
	                         vid),
	                 0);
}

static void
t_stale(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(5, NULL);
	struct counts before;
	int64_t vid;

	/* No version yet, but the caller claims one. */
	counts(fx, &before);
	want(save(fx, &fx->u1, fx->p1, &c), JX_ECONFLICT, &fx->d, "version",
	     "version for nothing");
	same_counts(fx, &before, "version for nothing");
	c.version = 0;
	vid = save_ok(fx, &fx->u1, fx->p1, &c, true);
	c.version = 1;
	save_ok(fx, &fx->u1, fx->p1, &c, false);
	/* Two editors read version 1: the second one's save is refused. */
	counts(fx, &before);
	want(save(fx, &fx->u1, fx->p1, &c), JX_ECONFLICT, &fx->d, "version",
	     "stale save");
	/* 0 after a version exists is stale too. */
	c.version = 0;
	want(save(fx, &fx->u1, fx->p1, &c), JX_ECONFLICT, &fx->d, "version",
	     "create over existing");
	/* A transition naming an old row version. */
	want(move(fx, &fx->u1, vid, "submit", NULL, 1), JX_ECONFLICT, &fx->d,
	     "version", "stale submit");
	same_counts(fx, &before, "stale writes");
	tu_must(move(fx, &fx->u1, vid, "submit", NULL, 2), &fx->d, "submit");
	assert_int_equal(rv_of(fx, vid), 3);
	/* Replaying the same transition is stale now. */
	counts(fx, &before);
	want(move(fx, &fx->dp1, vid, "dept_approve", NULL, 2), JX_ECONFLICT,
	     &fx->d, "version", "replayed");
	same_counts(fx, &before, "replayed transition");
}

/* Each bad content is refused naming its field; nothing is written. */
static void
t_check(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_indicator bad[4];
	struct jx_goals_goal gbad[2];
	struct jx_goals_content c;
	struct counts before;
	struct jx_goals_indicator *many;
	size_t i;
	static const struct {
		int what; /* which change */
		enum jx_err err;
		const char *field;
		const char *msg; /* part of the message */
	} rows[] = {
	        /* a blank name */
	        {0, JX_EINVAL, "indicators[1].name",
	         "第2项指标：指标名称不能为空"},
	        /* level 1 the rule set does not know */
	        {1, JX_EINVAL, "indicators[0].level1", "不在规则方案"},
	        /* no level 1 */
	        {2, JX_EINVAL, "indicators[3].level1", "一级指标不能为空"},
	        /* a negative weight */
	        {3, JX_EINVAL, "indicators[2].weight", "权重不能为负数"},
	        /* an unknown goal kind */
	        {4, JX_EINVAL, "goals[1].kind", "annual"},
	        /* an empty goal */
	        {5, JX_EINVAL, "goals[0].text", "不能为空"},
	        /* a name over JX_GOALS_NAME_MAX characters */
	        {6, JX_EINVAL, "indicators[0].name", "过长"},
	        /* too many indicators */
	        {7, JX_ETOOBIG, "indicators", "指标过多"},
	        /* invalid UTF-8 in a target */
	        {8, JX_EINVAL, "indicators[1].target", "UTF-8"},
	};
	char longname[JX_GOALS_NAME_MAX * 3 + 8];

	memset(longname, 0, sizeof(longname));
	for (i = 0; i <= JX_GOALS_NAME_MAX; i++)
		memcpy(longname + i * 3, "指", 3);
	many = calloc(JX_MAX_INDICATORS + 1, sizeof(*many));
	assert_non_null(many);
	for (i = 0; i <= JX_MAX_INDICATORS; i++)
		many[i] = inds4[i % 4];
	counts(fx, &before);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char what[32];

		c = content(0, NULL);
		memcpy(bad, inds4, sizeof(bad));
		memcpy(gbad, goals2, sizeof(gbad));
		c.indicators = bad;
		c.goals = gbad;
		switch (rows[i].what) {
		case 0:
			bad[1].name = " \u3000 ";
			break;
		case 1:
			bad[0].level1 = "成本指标";
			break;
		case 2:
			bad[3].level1 = NULL;
			break;
		case 3:
			bad[2].weight = -1;
			break;
		case 4:
			gbad[1].kind = "yearly";
			break;
		case 5:
			gbad[0].text = "";
			break;
		case 6:
			bad[0].name = longname;
			break;
		case 7:
			c.indicators = many;
			c.nindicators = JX_MAX_INDICATORS + 1;
			break;
		default:
			bad[1].target = "\xff\xfe";
			break;
		}
		snprintf(what, sizeof(what), "check row %zu", i);
		jx_diag_clear(&fx->d);
		want(jx_goals_check(&c, &g_rules, &fx->d), rows[i].err, &fx->d,
		     rows[i].field, what);
		if (strstr(fx->d.message, rows[i].msg) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", what,
			         fx->d.message, rows[i].msg);
		want(save(fx, &fx->u1, fx->p1, &c), rows[i].err, &fx->d,
		     rows[i].field, what);
	}
	free(many);
	same_counts(fx, &before, "refused contents");
	/* Level 1 by an alias or without 指标 is accepted. */
	c = content(0, NULL);
	jx_diag_clear(&fx->d);
	tu_must(jx_goals_check(&c, &g_rules, &fx->d), &fx->d, "aliases");
	/* A NULL content is refused, not a crash. */
	assert_int_equal(jx_goals_check(NULL, &g_rules, &fx->d), JX_EINVAL);
}

/* ---- the workflow
 * ------------------------------------------------------------ */

/* Through a department: return with a comment, resubmit, approve twice,
 * then an adjustment needs a reason and makes version 2. */
static void
t_workflow_dept(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(0, NULL);
	struct counts before;
	json_t *o = NULL, *revs, *rv;
	int64_t vid, v2, n;
	char *s;

	vid = save_ok(fx, &fx->u1, fx->p1, &c, true);
	tu_must(move(fx, &fx->u1, vid, "submit", NULL, 1), &fx->d, "submit");
	state_is(fx, vid, "submitted");

	counts(fx, &before);
	/* Under review the unit cannot change it. */
	c.version = 2;
	want(save(fx, &fx->u1, fx->p1, &c), JX_ECONFLICT, &fx->d, NULL,
	     "save while submitted");
	assert_non_null(strstr(fx->d.message, "已提交"));
	/* The unit may not approve; finance may not skip the department. */
	want(move(fx, &fx->u1, vid, "dept_approve", NULL, 2), JX_EPERM, &fx->d,
	     "action", "unit approves");
	want(move(fx, &fx->fin, vid, "finance_approve", NULL, 2), JX_ECONFLICT,
	     &fx->d, "action", "finance skips department");
	want(move(fx, &fx->fin, vid, "finance_approve_direct", NULL, 2),
	     JX_ECONFLICT, &fx->d, "action", "direct on a department project");
	want(move(fx, &fx->admin, vid, "dept_approve", NULL, 2), JX_EPERM,
	     &fx->d, "action", "admin approves");
	/* A return needs a comment (blanks are none). */
	want(move(fx, &fx->dp1, vid, "dept_return", "  ", 2), JX_EINVAL, &fx->d,
	     "comment", "return without comment");
	want(move(fx, &fx->dp1, vid, "no_such", NULL, 2), JX_EINVAL, &fx->d,
	     "action", "unknown action");
	same_counts(fx, &before, "refused transitions");

	tu_must(move(fx, &fx->dp1, vid, "dept_return", " 请补充满意度指标 ", 2),
	        &fx->d, "dept_return");
	state_is(fx, vid, "returned");
	assert_int_equal(rv_of(fx, vid), 3);
	/* The review row: who, what, from, to and the comment (trimmed). */
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_review WHERE "
	                         "record_type = 'goal_version' AND record_id "
	                         "= ? AND action = 'dept_return' AND "
	                         "from_status = 'submitted' AND to_status = "
	                         "'returned' AND actor = 'dp1'",
	                         vid),
	                 1);
	s = sql_text(fx,
	             "SELECT comment FROM jx_review WHERE record_id = ? AND "
	             "action = 'dept_return'",
	             vid);
	assert_string_equal(s, "请补充满意度指标");
	free(s);
	assert_int_equal(sql_int(fx,
	                         "SELECT user_id FROM jx_review WHERE "
	                         "record_id = ? AND action = 'dept_return'",
	                         vid),
	                 fx->dp1.who.user_id);
	assert_int_equal(sql_int(fx,
	                         "SELECT project_id FROM jx_review WHERE "
	                         "record_id = ? AND action = 'dept_return'",
	                         vid),
	                 fx->p1);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_audit_log WHERE "
	                         "record_id = ? AND action = 'dept_return' "
	                         "AND before_json IS NOT NULL",
	                         vid),
	                 1);

	/* Returned is editable: the unit fixes it and resubmits. */
	c.version = 3;
	assert_int_equal(save_ok(fx, &fx->u1, fx->p1, &c, false), vid);
	tu_must(move(fx, &fx->u1, vid, "submit", NULL, 4), &fx->d, "resubmit");
	tu_must(move(fx, &fx->dp1, vid, "dept_approve", NULL, 5), &fx->d,
	        "dept_approve");
	state_is(fx, vid, "dept_approved");
	/* Finance returns it (comment required), the cycle repeats. */
	want(move(fx, &fx->fin, vid, "finance_return", NULL, 6), JX_EINVAL,
	     &fx->d, "comment", "finance return without comment");
	tu_must(move(fx, &fx->fin, vid, "finance_return", "权重合计不是90", 6),
	        &fx->d, "finance_return");
	tu_must(move(fx, &fx->u1, vid, "submit", NULL, 7), &fx->d, "submit 3");
	tu_must(move(fx, &fx->dp1, vid, "dept_approve", NULL, 8), &fx->d,
	        "approve 3");
	tu_must(move(fx, &fx->fin, vid, "finance_approve", NULL, 9), &fx->d,
	        "finance_approve");
	state_is(fx, vid, "finance_approved");
	s = sql_text(fx, "SELECT status FROM jx_goal_version WHERE id = ?",
	             vid);
	assert_string_equal(s, "approved");
	free(s);
	s = sql_text(fx, "SELECT approved_at FROM jx_goal_version WHERE id = ?",
	             vid);
	assert_non_null(s);
	free(s);

	/* The version read back lists every review, oldest first. */
	tu_must(jx_goals_version(fx->s, &fx->u1.who, vid, &o, &fx->d), &fx->d,
	        "read");
	revs = json_object_get(json_object_get(o, "goal_version"), "reviews");
	assert_int_equal(json_array_size(revs), 8);
	rv = json_array_get(revs, 1);
	assert_string_equal(json_string_value(json_object_get(rv, "action")),
	                    "dept_return");
	assert_string_equal(json_string_value(json_object_get(rv, "comment")),
	                    "请补充满意度指标");
	json_decref(o);

	/* Approved: a change is an adjusted version 2 and needs a reason. */
	counts(fx, &before);
	c.version = 10;
	want(save(fx, &fx->u1, fx->p1, &c), JX_EINVAL, &fx->d, "reason",
	     "adjust without reason");
	c.reason = "   ";
	want(save(fx, &fx->u1, fx->p1, &c), JX_EINVAL, &fx->d, "reason",
	     "adjust with blank reason");
	c.version = 9;
	c.reason = "年中调整";
	want(save(fx, &fx->u1, fx->p1, &c), JX_ECONFLICT, &fx->d, "version",
	     "adjust with stale version");
	same_counts(fx, &before, "refused adjustments");
	c.version = 10;
	v2 = save_ok(fx, &fx->u1, fx->p1, &c, true);
	assert_true(v2 != vid);
	assert_int_equal(
	        sql_int(fx, "SELECT number FROM jx_goal_version WHERE id = ?",
	                v2),
	        2);
	s = sql_text(fx, "SELECT stage FROM jx_goal_version WHERE id = ?", v2);
	assert_string_equal(s, "adjusted");
	free(s);
	s = sql_text(fx, "SELECT reason FROM jx_goal_version WHERE id = ?", v2);
	assert_string_equal(s, "年中调整");
	free(s);
	state_is(fx, v2, "draft");
	state_is(fx, vid, "finance_approved");
	/* Version 1 stays approved and can no longer move. */
	counts(fx, &before);
	want(move(fx, &fx->fin, vid, "reopen", "更正", 10), JX_ECONFLICT,
	     &fx->d, NULL, "reopen old version");
	same_counts(fx, &before, "old version");
	/* The project's current version is now 2; the list has both. */
	tu_must(jx_goals_get(fx->s, &fx->dp1.who, fx->p1, &o, &fx->d), &fx->d,
	        "get");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_object_get(o, "goal_version"), "id")),
	                 v2);
	n = (int64_t)json_array_size(json_object_get(o, "versions"));
	assert_int_equal(n, 2);
	json_decref(o);
	/* Saving the adjusted draft replaces it; the reason can stay. */
	c.version = 1;
	c.reason = NULL;
	assert_int_equal(save_ok(fx, &fx->u1, fx->p1, &c, false), v2);
	s = sql_text(fx, "SELECT reason FROM jx_goal_version WHERE id = ?", v2);
	assert_string_equal(s, "年中调整");
	free(s);
}

/* A unit directly under the finance bureau: no department steps. */
static void
t_workflow_direct(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(0, NULL);
	struct counts before;
	int64_t vid;

	vid = save_ok(fx, &fx->u4, fx->p4, &c, true);
	tu_must(move(fx, &fx->u4, vid, "submit", NULL, 1), &fx->d, "submit");
	counts(fx, &before);
	/* No department reviewer sees it; the department steps do not
	 * apply. */
	want(move(fx, &fx->dp1, vid, "dept_approve", NULL, 2), JX_ENOTFOUND,
	     &fx->d, NULL, "department of someone else");
	want(move(fx, &fx->fin, vid, "finance_approve", NULL, 2), JX_ECONFLICT,
	     &fx->d, "action", "with-department approve");
	want(move(fx, &fx->fin, vid, "finance_return", "x", 2), JX_ECONFLICT,
	     &fx->d, "action", "with-department return");
	want(move(fx, &fx->fin, vid, "finance_return_direct", NULL, 2),
	     JX_EINVAL, &fx->d, "comment", "direct return without comment");
	same_counts(fx, &before, "refused direct");
	tu_must(move(fx, &fx->fin, vid, "finance_return_direct", "缺少成本指标",
	             2),
	        &fx->d, "finance_return_direct");
	state_is(fx, vid, "returned");
	tu_must(move(fx, &fx->u4, vid, "submit", NULL, 3), &fx->d, "resubmit");
	tu_must(move(fx, &fx->fin, vid, "finance_approve_direct", NULL, 4),
	        &fx->d, "finance_approve_direct");
	state_is(fx, vid, "finance_approved");
	/* Reopening needs a reason and returns the record to the unit. */
	want(move(fx, &fx->fin, vid, "reopen", NULL, 5), JX_EINVAL, &fx->d,
	     "comment", "reopen without comment");
	want(move(fx, &fx->u4, vid, "reopen", "x", 5), JX_EPERM, &fx->d,
	     "action", "unit reopens");
	tu_must(move(fx, &fx->fin, vid, "reopen", "指标值录入错误", 5), &fx->d,
	        "reopen");
	state_is(fx, vid, "returned");
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_goal_version WHERE "
	                         "approved_at IS NOT NULL AND id = ?",
	                         vid),
	                 0);
	/* Back in an editable state: the save replaces version 1. */
	c.version = 6;
	assert_int_equal(save_ok(fx, &fx->u4, fx->p4, &c, false), vid);
	assert_int_equal(sql_int(fx,
	                         "SELECT COUNT(*) FROM jx_review WHERE "
	                         "record_id = ?",
	                         vid),
	                 5);
}

/* An imported self-evaluation brings an approved version 1; the unit's
 * change is an adjustment. */
static void
t_imported(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(0, NULL);
	struct caller unit;
	enum jx_import_outcome outcome;
	size_t len = 0;
	char *buf = tu_read("tests/data/seeds/004.json", &len);
	int64_t eval = 0, project, unit_id, vid, v2;
	json_t *o = NULL, *gv;

	assert_non_null(buf);
	tu_must(jx_evaljson_read(buf, len, "004.json", 0, &fx->e, &fx->d),
	        &fx->d, "read seed");
	free(buf);
	tu_must(jx_store_eval_import(fx->s, &fx->e, &g_rules, "import",
	                             &outcome, &eval, &fx->d),
	        &fx->d, "import");
	project = sql_int(
	        fx, "SELECT project_id FROM jx_self_eval WHERE id = ?", eval);
	unit_id = sql_int(fx, "SELECT unit_id FROM jx_project WHERE id = ?",
	                  project);
	make_caller(fx, &unit, "seedunit", JX_ROLE_UNIT, unit_id);
	tu_must(jx_goals_get(fx->s, &unit.who, project, &o, &fx->d), &fx->d,
	        "get");
	gv = json_object_get(o, "goal_version");
	assert_string_equal(json_string_value(json_object_get(gv, "stage")),
	                    "approved");
	assert_string_equal(json_string_value(json_object_get(gv, "status")),
	                    "finance_approved");
	assert_int_equal(json_array_size(json_object_get(gv, "indicators")),
	                 10);
	vid = json_integer_value(json_object_get(gv, "id"));
	json_decref(o);
	/* Other units do not see it. */
	want(jx_goals_get(fx->s, &fx->u1.who, project, &o, &fx->d),
	     JX_ENOTFOUND, &fx->d, NULL, "u1 reads seed project");
	c.version = 1;
	want(save(fx, &unit, project, &c), JX_EINVAL, &fx->d, "reason",
	     "adjust imported without reason");
	c.reason = "根据批复调整指标";
	v2 = save_ok(fx, &unit, project, &c, true);
	assert_true(v2 != vid);
	assert_int_equal(
	        sql_int(fx, "SELECT number FROM jx_goal_version WHERE id = ?",
	                v2),
	        2);
}

/* ---- meanings ------------------------------------------------------------ */

static void
t_meaning(void **state)
{
	static const struct {
		const char *target, *unit, *name, *level2;
		int kind;         /* enum jx_value_kind */
		const char *text; /* part of the text */
		const char *value;
		int dir; /* enum jx_goals_dir */
	} rows[] = {
	        /* explicit ≥ with the unit written */
	        {"≥95%", NULL, "可用率", NULL, JX_VALUE_NUMBER,
	         "≥ 95%，越高越好", "95", JX_GOALS_DIR_HIGHER},
	        /* the unit from the unit column */
	        {"≥95", "%", "可用率", NULL, JX_VALUE_NUMBER, "≥ 95%，越高越好",
	         "95", JX_GOALS_DIR_HIGHER},
	        /* ≤ is lower-is-better */
	        {"≤1小时", NULL, "响应时间", NULL, JX_VALUE_NUMBER,
	         "≤ 1小时，越低越好", "1", JX_GOALS_DIR_LOWER},
	        /* the unit from the name */
	        {"≤50", NULL, "电费（万元）", NULL, JX_VALUE_NUMBER,
	         "≤ 50万元，越低越好", "50", JX_GOALS_DIR_LOWER},
	        /* a bare number under a cost level 2: the rule set says ≤ */
	        {"40", "万元", "设备购置成本", "成本指标", JX_VALUE_NUMBER,
	         "按规则方案视为“≤”", "40", JX_GOALS_DIR_LOWER},
	        /* a bare count elsewhere: = */
	        {"1", "项", "制度", "数量指标", JX_VALUE_NUMBER,
	         "= 1项，等于目标值为达成", "1", JX_GOALS_DIR_EQUAL},
	        /* a unit the table does not know stays as written */
	        {"≥3", "人次", "培训", NULL, JX_VALUE_NUMBER, "≥ 3人次", "3",
	         JX_GOALS_DIR_HIGHER},
	        /* a qualitative word of tier 1 */
	        {"明显提升", NULL, "服务水平", NULL, JX_VALUE_WORD, "属第1档",
	         NULL, JX_GOALS_DIR_NONE},
	        /* a word the vocabulary lacks */
	        {"锦上添花", NULL, "x", NULL, JX_VALUE_WORD, "词表中没有", NULL,
	         JX_GOALS_DIR_NONE},
	        /* a range is not guessed */
	        {"90%-95%", NULL, "x", NULL, JX_VALUE_UNPARSED, "无法解析：",
	         NULL, JX_GOALS_DIR_NONE},
	        /* blank */
	        {"", NULL, "x", NULL, JX_VALUE_EMPTY, "未填写指标值", NULL,
	         JX_GOALS_DIR_NONE},
	        {NULL, NULL, NULL, NULL, JX_VALUE_EMPTY, "未填写指标值", NULL,
	         JX_GOALS_DIR_NONE},
	};
	struct jx_goals_meaning m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		jx_goals_meaning(rows[i].target, rows[i].unit, rows[i].name,
		                 rows[i].level2, &g_rules, &m);
		if ((int)m.v.kind != rows[i].kind ||
		    strstr(m.text, rows[i].text) == NULL ||
		    (int)m.dir != rows[i].dir ||
		    (rows[i].value != NULL &&
		     strcmp(m.value, rows[i].value) != 0))
			fail_msg("row %zu (%s): kind %d dir %d value %s text "
			         "\"%s\"",
			         i,
			         rows[i].target != NULL ? rows[i].target : "",
			         (int)m.v.kind, (int)m.dir, m.value, m.text);
	}
}

/* ---- handlers, called directly ----------------------------------------- */

struct hreq {
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_http_env env;
	struct jx_arena a;
};

static void
hreq_init(struct hreq *h, struct fx *fx, const struct caller *c,
          const char *method, int64_t id, const char *body)
{
	json_error_t je;

	memset(h, 0, sizeof(*h));
	jx_arena_init(&h->a, 0);
	h->env.rules = &g_rules;
	h->env.wf = &g_wf;
	h->rq.method = method;
	h->rq.path = "/api/test";
	h->rq.ids[0] = id;
	h->rq.nids = 1;
	h->rq.arena = &h->a;
	h->rq.store = fx->s;
	h->rq.env = &h->env;
	h->rq.authed = true;
	h->rq.who = c->who;
	if (body != NULL) {
		h->rq.json = json_loads(body, JSON_REJECT_DUPLICATES, &je);
		if (h->rq.json == NULL)
			fail_msg("bad test body: %s", je.text);
	}
	jx_http_resp_init(&h->rs);
}

static void
hreq_done(struct hreq *h)
{
	json_decref(h->rq.json);
	jx_http_resp_cleanup(&h->rs);
	jx_arena_cleanup(&h->a);
}

/* The value at a path of keys and [indices] ("goal_version.indicators[1]
 * .meaning.text") of the response body. */
static json_t *
at(json_t *v, const char *path)
{
	json_t *r = tu_json_at(v, path);

	if (r == NULL)
		fail_msg("no %s in the response", path);
	return r;
}

static const char *
at_str(json_t *v, const char *path)
{
	const char *s = json_string_value(at(v, path));

	if (s == NULL)
		fail_msg("%s is not a string", path);
	return s;
}

static const char save_body[] =
        "{\"version\": 0, \"goals\": [{\"kind\": \"annual\", \"text\": "
        "\"完成建设\"}], \"indicators\": ["
        "{\"level1\": \"产出指标\", \"level2\": \"质量指标\", \"name\": "
        "\"可用率\", \"target\": \"≥95\", \"unit\": \"%\", \"nature\": "
        "\"定量\", \"weight\": \"12.5\"},"
        "{\"level1\": \"产出\", \"level2\": \"数量指标\", \"name\": "
        "\"子系统\", \"target\": \"3\", \"unit\": \"个\", \"weight\": "
        "37.5e0},"
        "{\"level1\": \"满意度指标\", \"name\": \"满意度\", \"target\": "
        "\"≥90%\", \"weight\": 10}]}";

static void
t_handlers(void **state)
{
	struct fx *fx = *state;
	struct hreq h;
	int64_t vid;
	json_t *b;

	/* GET before anything is declared. */
	hreq_init(&h, fx, &fx->u1, "GET", fx->p1, NULL);
	jx_h_goals_get(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 200);
	assert_true(json_is_null(at(h.rs.body, "goal_version")));
	assert_true(json_is_true(at(h.rs.body, "can_save")));
	assert_true(json_is_false(at(h.rs.body, "save_needs_reason")));
	hreq_done(&h);

	/* PUT: a JSON real weight is refused by the schema (router), so the
	 * handler is given what passed: use an integer-free body. */
	{
		const struct jx_http_field *schema = jx_h_goals_save_body;

		hreq_init(&h, fx, &fx->u1, "PUT", fx->p1, save_body);
		assert_false(jx_http_check(h.rq.json, schema, "", &h.rs));
		assert_int_equal(h.rs.status, 400);
		assert_string_equal(at_str(h.rs.body, "error.field"),
		                    "indicators[1].weight");
		hreq_done(&h);
	}
	{
		char body[sizeof(save_body)];
		char *p;

		memcpy(body, save_body, sizeof(body));
		p = strstr(body, "37.5e0");
		memcpy(p, "\"37.5\"", 6);
		hreq_init(&h, fx, &fx->u1, "PUT", fx->p1, body);
		assert_true(jx_http_check(h.rq.json, jx_h_goals_save_body, "",
		                          &h.rs));
		jx_h_goals_save(&h.rq, &h.rs);
		if (h.rs.status != 201)
			fail_msg("save: %u %s", h.rs.status,
			         h.rs.body != NULL ? json_dumps(h.rs.body, 0)
			                           : "");
		b = h.rs.body;
		vid = json_integer_value(at(b, "goal_version.id"));
		assert_string_equal(at_str(b, "goal_version.state.label"),
		                    "草稿");
		assert_true(json_is_true(at(b, "goal_version.state.editable")));
		assert_string_equal(at_str(b, "goal_version.stage_label"),
		                    "申报");
		assert_string_equal(
		        at_str(b, "goal_version.indicators[0].meaning.text"),
		        "≥ 95%，越高越好");
		assert_string_equal(
		        at_str(b, "goal_version.indicators[0].meaning.unit"),
		        "%");
		assert_string_equal(
		        at_str(b,
		               "goal_version.indicators[1].meaning.comparator"),
		        "=");
		assert_true(
		        json_is_true(at(b, "goal_version.indicators[1].meaning."
		                           "comparator_implied")));
		/* 产出 12.5 + 37.5 = 50 (as mof-2020 expects), 效益 0 of 30,
		 * 满意度 10; total 60 of 90. */
		assert_string_equal(
		        at_str(b, "goal_version.weights.by_level1[0].level1"),
		        "产出指标");
		assert_string_equal(
		        at_str(b, "goal_version.weights.by_level1[0].sum"),
		        "50");
		assert_true(json_is_true(
		        at(b, "goal_version.weights.by_level1[0].ok")));
		assert_string_equal(
		        at_str(b, "goal_version.weights.by_level1[1].sum"),
		        "0");
		assert_string_equal(
		        at_str(b, "goal_version.weights.by_level1[1].expected"),
		        "30");
		assert_true(json_is_false(
		        at(b, "goal_version.weights.by_level1[1].ok")));
		assert_string_equal(at_str(b, "goal_version.weights.total"),
		                    "60");
		assert_string_equal(
		        at_str(b, "goal_version.weights.expected_total"), "90");
		assert_int_equal(
		        json_array_size(at(b, "goal_version.transitions")), 1);
		assert_string_equal(
		        at_str(b, "goal_version.transitions[0].action"),
		        "submit");
		assert_string_equal(
		        at_str(b, "goal_version.transitions[0].label"), "提交");
		assert_string_equal(at_str(b, "versions[0].status_label"),
		                    "草稿");
		hreq_done(&h);
	}

	/* A stale save answers 409 naming "version". */
	hreq_init(&h, fx, &fx->u1, "PUT", fx->p1,
	          "{\"version\": 7, \"goals\": [], \"indicators\": []}");
	jx_h_goals_save(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 409);
	assert_string_equal(at_str(h.rs.body, "error.field"), "version");
	hreq_done(&h);

	/* A level 1 the rule set does not know: 422 with the field path. */
	hreq_init(&h, fx, &fx->u1, "PUT", fx->p1,
	          "{\"version\": 1, \"goals\": [], \"indicators\": [{"
	          "\"level1\": \"产出指标\", \"name\": \"a\"}, {\"level1\": "
	          "\"成本指标\", \"name\": \"b\"}]}");
	jx_h_goals_save(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 422);
	assert_string_equal(at_str(h.rs.body, "error.field"),
	                    "indicators[1].level1");
	hreq_done(&h);

	/* Submit; the department reviewer then sees two buttons. */
	hreq_init(&h, fx, &fx->u1, "POST", vid,
	          "{\"action\": \"submit\", \"version\": 1}");
	jx_h_goals_transition(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 200);
	assert_string_equal(at_str(h.rs.body, "goal_version.state.key"),
	                    "submitted");
	assert_int_equal(
	        json_array_size(at(h.rs.body, "goal_version.transitions")), 0);
	assert_true(json_is_false(at(h.rs.body, "can_save")));
	assert_string_equal(
	        at_str(h.rs.body, "goal_version.reviews[0].action_label"),
	        "提交");
	assert_string_equal(
	        at_str(h.rs.body, "goal_version.reviews[0].to_label"),
	        "已提交");
	hreq_done(&h);
	hreq_init(&h, fx, &fx->dp1, "GET", vid, NULL);
	jx_h_goals_version(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 200);
	assert_int_equal(
	        json_array_size(at(h.rs.body, "goal_version.transitions")), 2);
	assert_string_equal(
	        at_str(h.rs.body, "goal_version.transitions[1].action"),
	        "dept_return");
	assert_true(json_is_true(
	        at(h.rs.body, "goal_version.transitions[1].comment_required")));
	hreq_done(&h);
	/* A return without a comment: 422 naming "comment". */
	hreq_init(&h, fx, &fx->dp1, "POST", vid,
	          "{\"action\": \"dept_return\", \"version\": 2}");
	jx_h_goals_transition(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 422);
	assert_string_equal(at_str(h.rs.body, "error.field"), "comment");
	hreq_done(&h);
	/* The unit may not approve: 403. */
	hreq_init(&h, fx, &fx->u1, "POST", vid,
	          "{\"action\": \"dept_approve\", \"version\": 2}");
	jx_h_goals_transition(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 403);
	hreq_done(&h);

	/* The sibling unit: 404 on the project and on the version. */
	hreq_init(&h, fx, &fx->u2, "GET", fx->p1, NULL);
	jx_h_goals_get(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 404);
	hreq_done(&h);
	hreq_init(&h, fx, &fx->u2, "GET", vid, NULL);
	jx_h_goals_version(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 404);
	hreq_done(&h);
	hreq_init(&h, fx, &fx->u2, "POST", vid,
	          "{\"action\": \"submit\", \"version\": 2}");
	jx_h_goals_transition(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 404);
	hreq_done(&h);

	/* The live parser. */
	hreq_init(&h, fx, &fx->u1, "POST", 0,
	          "{\"target\": \"≤ 2\", \"unit\": \"小时\"}");
	jx_h_goals_parse(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 200);
	assert_string_equal(at_str(h.rs.body, "meaning.kind"), "number");
	assert_string_equal(at_str(h.rs.body, "meaning.direction"), "lower");
	assert_string_equal(at_str(h.rs.body, "meaning.value"), "2");
	assert_string_equal(at_str(h.rs.body, "meaning.text"),
	                    "≤ 2小时，越低越好");
	hreq_done(&h);
	hreq_init(&h, fx, &fx->u1, "POST", 0,
	          "{\"target\": \"及时\", \"level2\": \"时效指标\"}");
	jx_h_goals_parse(&h.rq, &h.rs);
	assert_string_equal(at_str(h.rs.body, "meaning.kind"), "word");
	assert_string_equal(at_str(h.rs.body, "meaning.word"), "及时");
	assert_int_equal(json_integer_value(at(h.rs.body, "meaning.tier")), 1);
	assert_true(json_is_null(at(h.rs.body, "meaning.comparator")));
	hreq_done(&h);
	hreq_init(&h, fx, &fx->u1, "POST", 0, "{\"target\": \"1项（年度）\"}");
	jx_h_goals_parse(&h.rq, &h.rs);
	assert_string_equal(at_str(h.rs.body, "meaning.kind"), "unparsed");
	assert_non_null(
	        strstr(at_str(h.rs.body, "meaning.text"), "无法解析："));
	assert_true(json_is_string(at(h.rs.body, "meaning.error")));
	hreq_done(&h);
	/* The parse body's schema: target is required. */
	hreq_init(&h, fx, &fx->u1, "POST", 0, "{\"unit\": \"%\"}");
	assert_false(
	        jx_http_check(h.rq.json, jx_h_goals_parse_body, "", &h.rs));
	assert_int_equal(h.rs.status, 422);
	hreq_done(&h);
}

/* The buttons and the save flags follow the latest version: an approved
 * version offers finance "reopen" and the unit an adjustment with a
 * reason; once adjusted, the old version offers nothing. */
static void
t_handlers_versions(void **state)
{
	struct fx *fx = *state;
	struct jx_goals_content c = content(0, NULL);
	struct hreq h;
	int64_t vid, v2;

	vid = save_ok(fx, &fx->u4, fx->p4, &c, true);
	tu_must(move(fx, &fx->u4, vid, "submit", NULL, 1), &fx->d, "submit");
	tu_must(move(fx, &fx->fin, vid, "finance_approve_direct", NULL, 2),
	        &fx->d, "approve");
	hreq_init(&h, fx, &fx->u4, "GET", fx->p4, NULL);
	jx_h_goals_get(&h.rq, &h.rs);
	assert_int_equal(h.rs.status, 200);
	assert_true(json_is_true(at(h.rs.body, "can_save")));
	assert_true(json_is_true(at(h.rs.body, "save_needs_reason")));
	assert_true(json_is_true(at(h.rs.body, "goal_version.state.final")));
	assert_int_equal(
	        json_array_size(at(h.rs.body, "goal_version.transitions")), 0);
	hreq_done(&h);
	hreq_init(&h, fx, &fx->fin, "GET", vid, NULL);
	jx_h_goals_version(&h.rq, &h.rs);
	assert_string_equal(
	        at_str(h.rs.body, "goal_version.transitions[0].action"),
	        "reopen");
	assert_true(json_is_false(at(h.rs.body, "can_save")));
	hreq_done(&h);

	c.version = 3;
	c.reason = "追加指标";
	v2 = save_ok(fx, &fx->u4, fx->p4, &c, true);
	hreq_init(&h, fx, &fx->fin, "GET", vid, NULL);
	jx_h_goals_version(&h.rq, &h.rs);
	assert_int_equal(json_integer_value(at(h.rs.body, "goal_version.id")),
	                 vid);
	assert_int_equal(
	        json_array_size(at(h.rs.body, "goal_version.transitions")), 0);
	assert_int_equal(json_integer_value(at(h.rs.body, "versions[0].id")),
	                 v2);
	assert_string_equal(at_str(h.rs.body, "versions[0].stage_label"),
	                    "调整");
	assert_string_equal(at_str(h.rs.body, "versions[1].status_label"),
	                    "财政已审核");
	hreq_done(&h);
	hreq_init(&h, fx, &fx->u4, "GET", vid, NULL);
	jx_h_goals_version(&h.rq, &h.rs);
	assert_true(json_is_true(at(h.rs.body, "can_save")));
	assert_true(json_is_false(at(h.rs.body, "save_needs_reason")));
	hreq_done(&h);
	hreq_init(&h, fx, &fx->u4, "GET", fx->p4, NULL);
	jx_h_goals_get(&h.rq, &h.rs);
	assert_int_equal(json_integer_value(at(h.rs.body, "goal_version.id")),
	                 v2);
	assert_string_equal(at_str(h.rs.body, "goal_version.reason"),
	                    "追加指标");
	assert_string_equal(
	        at_str(h.rs.body, "goal_version.transitions[0].action"),
	        "submit");
	hreq_done(&h);
}

/* ---- main ------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(t_scope),
	        T(t_save_create_replace),
	        T(t_stale),
	        T(t_check),
	        T(t_workflow_dept),
	        T(t_workflow_direct),
	        T(t_imported),
	        T(t_handlers),
	        T(t_handlers_versions),
	        cmocka_unit_test(t_meaning),
	};
	int failed;

	if (tu_rules(&g_rules, "mof-2020") != 0 ||
	    tu_workflow(&g_wf, "standard") != 0) {
		fprintf(stderr, "test_goals: cannot load the rule set or the "
		                "workflow\n");
		return 1;
	}
	failed = tu_run_backends("goals", tests);
	jx_rules_cleanup(&g_rules);
	jx_workflow_cleanup(&g_wf);
	return failed;
}
