/*
 * test_evals.c - self-evaluations in the web API: the store's scoped calls
 * (include/jx/evals.h) and the handlers of src/http/h_evals.c called with a
 * filled struct jx_http_req (no sockets), on SQLite and, when
 * JX_TEST_PG_URL names a PostgreSQL database, again on PostgreSQL (each
 * test in a schema of its own; see test_store.c and
 * scripts/with-postgres.sh).
 *
 * Every test starts from a project whose goal version the finance bureau
 * approved: a small self-evaluation (4 indicators, 100 points) is imported
 * with jx_store_eval_import, which records the project, its money and a
 * finance-approved goal version, and its self-evaluation row is then
 * deleted so that the web API can start one. The project's money is then
 * changed through the store (two payments, one adjustment) so that the
 * funds block must come from the ledger, not from the document.
 *
 * Covered: create (from the approved goal version, funds from payments and
 * adjustments, stored computed columns, twice = conflict, wrong role,
 * sibling unit, goals not approved); save with live recompute (a missed
 * target lowers the score and raises MISSING_DEVIATION_REASON until a
 * reason is given; clearing an actual value drops its score); stale
 * versions and bad edits write nothing; the workflow (read-only after
 * submit, return with comment, resubmit, department and finance approval,
 * wrong roles, reviews); scope; and the handlers' bodies.
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
#include "../../src/store/backend.h"
#include "jx/evaljson.h"
#include "jx/evals.h"
#include "jx/http.h"
#include "jx/store.h"
#include "jx/workflow.h"
#include "testutil.h"

/* The project every test starts from: 产出 50, 效益 30, 满意度 10 and the
 * execution line 10. */
static const char fixture[] =
        "{\"id\": \"T-EVAL-1\", \"title\": \"职业技能培训项目\","
        " \"unit\": \"甲单位\", \"department\": \"乙部门\", \"year\": 2024,"
        " \"funds\": {\"unit\": \"万元\", \"initial_budget\": 100,"
        "  \"annual_budget\": 100, \"received\": 100, \"executed\": 80,"
        "  \"exec_weight\": 10},"
        " \"goals\": [{\"expected\": \"全年培训100人次\","
        "  \"achieved\": \"完成\"}],"
        " \"indicators\": ["
        "  {\"level1\": \"产出指标\", \"level2\": \"数量指标\","
        "   \"name\": \"培训人次\", \"target\": \"≥100人次\","
        "   \"actual\": \"100人次\", \"weight\": 30},"
        "  {\"level1\": \"产出指标\", \"level2\": \"质量指标\","
        "   \"name\": \"合格率\", \"target\": \"≥90%\", \"actual\": \"95%\","
        "   \"weight\": 20},"
        "  {\"level1\": \"效益指标\", \"level2\": \"社会效益指标\","
        "   \"name\": \"就业能力\", \"target\": \"明显提升\","
        "   \"actual\": \"明显提升\", \"weight\": 30},"
        "  {\"level1\": \"满意度指标\", \"level2\": \"服务对象满意度指标\","
        "   \"name\": \"学员满意度\", \"target\": \"≥90%\","
        "   \"actual\": \"92%\", \"weight\": 10}]}";

/* One test's database and actors. */
struct fx {
	struct tu_db db;
	struct jx_store *s;
	struct jx_diag d;
	struct jx_eval e;
	struct jx_arena ar;
	int64_t project;
	char unit_path[64], dept_path[64], root_path[64], sib_path[64],
	        other_dept_path[64];
	struct jx_who unit, dept, fin, sib, other_dept;
	struct jx_http_env env;
};

static struct jx_rules g_rules;
static struct jx_workflow g_wf;

/* ---- helpers ----------------------------------------------------------- */

static void
raw_text(struct fx *fx, const char *sql, int64_t p, char *out, size_t cap)
{
	char *t = NULL;

	if (!tu_raw_row(fx->db.url, sql, p, NULL, &t) || t == NULL)
		fail_msg("%s: no row", sql);
	snprintf(out, cap, "%s", t);
	free(t);
}

/* A user of `role` at org (with its path) as the caller. */
static void
make_who(struct fx *fx, struct jx_who *w, const char *login, const char *role,
         int64_t org, const char *kind, char *path, size_t cap)
{
	struct jx_user u;
	int64_t uid = 0;

	raw_text(fx, "SELECT path FROM jx_org WHERE id = ?", org, path, cap);
	memset(&u, 0, sizeof(u));
	u.org_id = org;
	u.login = login;
	u.name = login;
	u.role = role;
	tu_must(jx_store_user_create(fx->s, &u, &uid, &fx->d), &fx->d, login);
	memset(w, 0, sizeof(*w));
	w->user_id = uid;
	w->login = login;
	w->name = login;
	w->role = role;
	w->org_id = org;
	w->org_kind = kind;
	w->org_path = path;
}

/* The evaluation's version as stored. */
static int64_t
version_of(struct fx *fx, int64_t id)
{
	int64_t v = 0;

	tu_must(jx_store_eval_version(fx->s, id, &v, &fx->d), &fx->d,
	        "version");
	return v;
}

static int64_t
audit_count(struct fx *fx, int64_t id)
{
	int64_t n = 0;

	tu_must(jx_store_audit_count(fx->s, "jx_self_eval", id, &n, &fx->d),
	        &fx->d, "audit_count");
	return n;
}

/* Number of stored findings of `code` on eval id (line: -1 any). */
static int64_t
stored_findings(struct fx *fx, int64_t id, const char *code, int line)
{
	char sql[256];

	if (line >= 0)
		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM jx_finding WHERE eval_id = ? "
		         "AND code = '%s' AND indicator = %d",
		         code, line);
	else
		snprintf(sql, sizeof(sql),
		         "SELECT COUNT(*) FROM jx_finding WHERE eval_id = ? "
		         "AND code = '%s'",
		         code);
	return tu_raw_int(fx->db.url, sql, id);
}

/* Live findings of `code` on line (or -1: anywhere) of f. */
static size_t
count_code(const struct jx_findings *f, const char *code, int line)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (f->items[i].severity != JX_SEV_OK &&
		    strcmp(f->items[i].code, code) == 0 &&
		    (line < 0 || f->items[i].indicator == line))
			n++;
	return n;
}

static int64_t
create(struct fx *fx)
{
	int64_t id = 0;

	jx_diag_clear(&fx->d);
	tu_must(jx_evals_create(fx->s, &fx->unit, fx->project, &g_rules, &g_wf,
	                        &id, &fx->d),
	        &fx->d, "create");
	return id;
}

/* Save one line (actual and reason; NULL leaves that cell alone unless
 * clear is set) with version v. */
static enum jx_err
save_line(struct fx *fx, const struct jx_who *w, int64_t id, int64_t pos,
          const char *actual, const char *reason, int64_t v, int64_t *nv)
{
	struct jx_evals_line_edit l = {pos, actual != NULL, actual,
	                               reason != NULL, reason};
	struct jx_evals_edit ed = {&l, 1, NULL, 0};

	jx_diag_clear(&fx->d);
	return jx_evals_save(fx->s, w, id, &ed, v, &g_rules, &g_wf, nv, &fx->d);
}

static enum jx_err
act(struct fx *fx, const struct jx_who *w, int64_t id, const char *action,
    const char *comment, int64_t v, const char **to)
{
	int64_t nv = 0;

	jx_diag_clear(&fx->d);
	return jx_evals_transition(fx->s, w, id, action, comment, v, &g_wf, to,
	                           &nv, &fx->d);
}

/* Load and score eval id live (no fill) into fx->e. */
static void
score(struct fx *fx, int64_t id, struct jx_evals_rec *rec,
      struct jx_result *res, struct jx_findings *f)
{
	jx_arena_reset(&fx->ar);
	tu_must(jx_evals_load(fx->s, &fx->unit, id, &fx->e, rec, &fx->d),
	        &fx->d, "load");
	assert_int_equal(
	        jx_evals_compute(&fx->e, &g_rules, false, &fx->ar, res, f),
	        JX_OK);
}

static void
dec_is(jx_dec got, const char *want, const char *what)
{
	if (got != tu_dec(want)) {
		char buf[48];

		jx_dec_format(got, -1, buf, sizeof(buf));
		fail_msg("%s: got %s, want %s", what, buf, want);
	}
}

/* ---- per-test database ------------------------------------------------- */

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tu_db_open(&fx->db, "evals", "store.db", false, &fx->s, &fx->d) !=
	    0) {
		free(fx);
		return -1;
	}
	jx_eval_init(&fx->e);
	jx_arena_init(&fx->ar, 0);
	fx->env.rules = &g_rules;
	fx->env.wf = &g_wf;
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
	jx_arena_cleanup(&fx->ar);
	free(fx);
	return rc;
}

/*
 * The starting point: the fixture imported (project, money, approved goal
 * version), its self-evaluation removed, the money changed in the ledger
 * (annual 100 - 5 = 95 万元, payments 50 + 40 = 90 万元), and five
 * callers: the unit's filer, its department's and the finance bureau's
 * reviewers, a filer of a sibling unit and a reviewer of another
 * department.
 */
static void
start(struct fx *fx)
{
	struct jx_project p;
	struct jx_payment pay;
	enum jx_import_outcome o = 0;
	int64_t eid = 0, root = 0, sib = 0, other = 0, x = 0;
	char sql[128];

	tu_must(jx_store_migrate(fx->s, NULL, NULL, &fx->d), &fx->d, "migrate");
	tu_must(jx_evaljson_read(fixture, strlen(fixture), "fixture", 0, &fx->e,
	                         &fx->d),
	        &fx->d, "fixture");
	tu_must(jx_store_eval_import(fx->s, &fx->e, &g_rules, "test", &o, &eid,
	                             &fx->d),
	        &fx->d, "import");
	tu_must(jx_store_project_find(fx->s, "T-EVAL-1", &fx->project, &fx->d),
	        &fx->d, "project");
	snprintf(sql, sizeof(sql),
	         "DELETE FROM jx_self_eval WHERE id = %" PRId64, eid);
	tu_raw_exec(fx->db.url, sql);
	/* The import's own entries: each test counts from a clean log. */
	tu_raw_exec(
	        fx->db.url,
	        "DELETE FROM jx_audit_log WHERE table_name = 'jx_self_eval'");
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT COUNT(*) FROM jx_self_eval_line "
	                            "WHERE eval_id = ?",
	                            eid),
	                 0);

	tu_must(jx_store_adjustment_add(fx->s, fx->project, "2024-06-30",
	                                -5000000, "压减一般性支出", "test", &x,
	                                &fx->d),
	        &fx->d, "adjustment");
	memset(&pay, 0, sizeof(pay));
	pay.project_id = fx->project;
	pay.date = "2024-03-15";
	pay.amount_fen = 50000000;
	pay.payee = "某培训学校";
	tu_must(jx_store_payment_add(fx->s, &pay, "test", &x, &fx->d), &fx->d,
	        "payment 1");
	pay.date = "2024-09-15";
	pay.amount_fen = 40000000;
	tu_must(jx_store_payment_add(fx->s, &pay, "test", &x, &fx->d), &fx->d,
	        "payment 2");

	jx_arena_reset(&fx->ar);
	tu_must(jx_store_project_get(fx->s, fx->project, &p, &fx->ar, &fx->d),
	        &fx->d, "project_get");
	root = tu_raw_int(fx->db.url,
	                  "SELECT id FROM jx_org WHERE parent_id IS NULL AND "
	                  "kind = 'finance'",
	                  -1);
	tu_must(jx_store_org_ensure(fx->s, p.dept_id, JX_ORG_UNIT, "丙单位",
	                            NULL, NULL, NULL, &sib, &fx->d),
	        &fx->d, "sibling");
	tu_must(jx_store_org_ensure(fx->s, root, JX_ORG_DEPARTMENT, "丁部门",
	                            NULL, NULL, NULL, &other, &fx->d),
	        &fx->d, "other department");
	make_who(fx, &fx->unit, "filer", JX_ROLE_UNIT, p.unit_id, "unit",
	         fx->unit_path, sizeof(fx->unit_path));
	make_who(fx, &fx->dept, "dept", JX_ROLE_DEPT, p.dept_id, "department",
	         fx->dept_path, sizeof(fx->dept_path));
	make_who(fx, &fx->fin, "fin", JX_ROLE_FINANCE, root, "finance",
	         fx->root_path, sizeof(fx->root_path));
	make_who(fx, &fx->sib, "sibling", JX_ROLE_UNIT, sib, "unit",
	         fx->sib_path, sizeof(fx->sib_path));
	make_who(fx, &fx->other_dept, "other", JX_ROLE_DEPT, other,
	         "department", fx->other_dept_path,
	         sizeof(fx->other_dept_path));
}

/* ---- create ------------------------------------------------------------ */

/* From the approved goal version and the ledger's money. */
static void
t_create(void **state)
{
	struct fx *fx = *state;
	struct jx_evals_rec rec;
	struct jx_result res;
	struct jx_findings f;
	int64_t id, other = 0;
	size_t i;

	start(fx);
	id = create(fx);
	score(fx, id, &rec, &res, &f);
	assert_string_equal(rec.status, "draft");
	assert_int_equal(rec.version, 1);
	assert_int_equal(rec.project_id, fx->project);
	assert_true(rec.has_dept);
	assert_true(rec.goal_version_id > 0);
	assert_string_equal(fx->e.id, "T-EVAL-1");
	assert_string_equal(fx->e.title, "职业技能培训项目");
	assert_string_equal(fx->e.unit, "甲单位");
	assert_string_equal(fx->e.department, "乙部门");
	assert_int_equal(fx->e.year, 2024);
	assert_int_equal(fx->e.nindicators, 4);
	assert_int_equal(fx->e.ngoals, 1);
	assert_string_equal(fx->e.goals[0].expected, "全年培训100人次");
	assert_null(fx->e.goals[0].achieved);
	for (i = 0; i < fx->e.nindicators; i++) {
		assert_null(fx->e.indicators[i].actual);
		assert_false(fx->e.indicators[i].score_stated.set);
		assert_int_equal(res.ind[i].problem, JX_PROBLEM_NO_ACTUAL);
		assert_int_equal(count_code(&f, "MISSING_VALUE", (int)i), 2);
	}
	assert_string_equal(fx->e.indicators[0].target, "≥100人次");
	dec_is(fx->e.indicators[0].weight.v, "30", "weight 0");
	assert_string_equal(fx->e.indicators[2].level2, "社会效益指标");
	/* Money from the ledger, not the document: 95 万元 budget after the
	 * adjustment, 90 万元 paid. */
	assert_true(fx->e.has_funds);
	assert_string_equal(fx->e.funds.unit, "万元");
	dec_is(fx->e.funds.total.initial.v, "100", "initial");
	dec_is(fx->e.funds.total.annual.v, "95", "annual");
	dec_is(fx->e.funds.total.executed.v, "90", "executed");
	dec_is(fx->e.funds.exec_weight.v, "10", "exec weight");
	assert_true(res.has_exec);
	dec_is(res.exec_rate, "0.9474", "exec rate");
	dec_is(res.exec_score, "9.47", "exec score");
	dec_is(res.total, "9.47", "total");
	assert_false(res.total_complete);
	/* A save's figures are stored: the execution line's score and rate
	 * as the form states them, the computed columns, the findings. */
	dec_is(fx->e.funds.exec_score_stated.v, "9.47", "exec score stated");
	assert_string_equal(fx->e.funds.exec_rate_text, "94.74%");
	assert_null(fx->e.grade_stated);
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT c_exec_rate_m FROM jx_self_eval "
	                            "WHERE id = ?",
	                            id),
	                 947400);
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT c_total_m FROM jx_self_eval WHERE "
	                            "id = ?",
	                            id),
	                 9470000);
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT c_complete FROM jx_self_eval WHERE "
	                            "id = ?",
	                            id),
	                 0);
	assert_int_equal(
	        tu_raw_int(fx->db.url,
	                   "SELECT c_errors FROM jx_self_eval WHERE id "
	                   "= ?",
	                   id),
	        (int64_t)f.nerrors);
	assert_int_equal(stored_findings(fx, id, "MISSING_VALUE", 0), 2);
	assert_int_equal(audit_count(fx, id), 1);

	/* A second one for the same project. */
	tu_want_err(jx_evals_create(fx->s, &fx->unit, fx->project, &g_rules,
	                            &g_wf, &other, &fx->d),
	            JX_ECONFLICT, "second create");
	/* A reviewer may not start one; a sibling unit cannot see the
	 * project; nor can anyone see a project that does not exist. */
	tu_raw_exec(fx->db.url, "DELETE FROM jx_self_eval");
	tu_want_err(jx_evals_create(fx->s, &fx->dept, fx->project, &g_rules,
	                            &g_wf, &other, &fx->d),
	            JX_EPERM, "create as reviewer");
	tu_want_err(jx_evals_create(fx->s, &fx->sib, fx->project, &g_rules,
	                            &g_wf, &other, &fx->d),
	            JX_ENOTFOUND, "create by a sibling unit");
	tu_want_err(jx_evals_create(fx->s, &fx->unit, fx->project + 1000,
	                            &g_rules, &g_wf, &other, &fx->d),
	            JX_ENOTFOUND, "create for no project");
	assert_int_equal(
	        tu_raw_int(fx->db.url, "SELECT COUNT(*) FROM jx_self_eval", -1),
	        0);
}

/* Goals the finance bureau has not approved yet: no self-evaluation. */
static void
t_create_unapproved(void **state)
{
	struct fx *fx = *state;
	int64_t id = 0;
	char sql[160];

	start(fx);
	snprintf(sql, sizeof(sql),
	         "UPDATE jx_goal_version SET wf_status = 'dept_approved' "
	         "WHERE project_id = %" PRId64,
	         fx->project);
	tu_raw_exec(fx->db.url, sql);
	jx_diag_clear(&fx->d);
	tu_want_err(jx_evals_create(fx->s, &fx->unit, fx->project, &g_rules,
	                            &g_wf, &id, &fx->d),
	            JX_EINVAL, "create before approval");
	assert_string_equal(fx->d.message,
	                    "项目绩效目标尚未经财政审核，不能开始自评");
	assert_int_equal(
	        tu_raw_int(fx->db.url, "SELECT COUNT(*) FROM jx_self_eval", -1),
	        0);
}

/* ---- save -------------------------------------------------------------- */

/* Every save recomputes and stores the figures. */
static void
t_save_live(void **state)
{
	struct fx *fx = *state;
	struct jx_evals_rec rec;
	struct jx_result res;
	struct jx_findings f;
	int64_t id, v = 0;
	char *after = NULL;

	start(fx);
	id = create(fx);

	/* 80 of ≥100: 30 * 80 / 100 = 24, and a reason is now required. */
	tu_must(save_line(fx, &fx->unit, id, 0, "80人次", NULL, 1, &v), &fx->d,
	        "save 1");
	assert_int_equal(v, 2);
	score(fx, id, &rec, &res, &f);
	assert_int_equal(rec.version, 2);
	assert_string_equal(fx->e.indicators[0].actual, "80人次");
	dec_is(res.ind[0].score, "24", "score 0");
	dec_is(fx->e.indicators[0].score_stated.v, "24", "stated 0");
	assert_int_equal(count_code(&f, "MISSING_DEVIATION_REASON", 0), 1);
	assert_int_equal(count_code(&f, "MISSING_VALUE", 0), 0);
	assert_int_equal(stored_findings(fx, id, "MISSING_DEVIATION_REASON", 0),
	                 1);
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT c_score_m FROM jx_self_eval_line "
	                            "WHERE eval_id = ? AND position = 0",
	                            id),
	                 24000000);
	dec_is(res.total, "33.47", "total after 1");
	assert_int_equal(audit_count(fx, id), 2);
	tu_raw_row(fx->db.url,
	           "SELECT after_json FROM jx_audit_log WHERE table_name = "
	           "'jx_self_eval' AND action = 'update' AND record_id = ?",
	           id, NULL, &after);
	assert_non_null(after);
	assert_non_null(strstr(after, "80人次"));
	assert_non_null(strstr(after, "\"version\":2"));
	free(after);

	/* The reason clears the finding; the score stays. */
	tu_must(save_line(fx, &fx->unit, id, 0, NULL,
	                  "师资不足，下半年增开两期", 2, &v),
	        &fx->d, "save 2");
	score(fx, id, &rec, &res, &f);
	assert_string_equal(fx->e.indicators[0].actual, "80人次");
	assert_string_equal(fx->e.indicators[0].deviation_reason,
	                    "师资不足，下半年增开两期");
	assert_int_equal(count_code(&f, "MISSING_DEVIATION_REASON", -1), 0);
	assert_int_equal(
	        stored_findings(fx, id, "MISSING_DEVIATION_REASON", -1), 0);
	dec_is(res.ind[0].score, "24", "score 0 kept");

	/* Everything else, and the goal: complete, 93.47, 优. */
	{
		struct jx_evals_line_edit l[] = {
		        {1, true, "95%", false, NULL},
		        {2, true, "明显提升", false, NULL},
		        {3, true, "92%", false, NULL}};
		struct jx_evals_goal_edit g[] = {{0, true, "完成80人次"}};
		struct jx_evals_edit ed = {l, 3, g, 1};

		tu_must(jx_evals_save(fx->s, &fx->unit, id, &ed, 3, &g_rules,
		                      &g_wf, &v, &fx->d),
		        &fx->d, "save 3");
	}
	score(fx, id, &rec, &res, &f);
	assert_string_equal(fx->e.goals[0].achieved, "完成80人次");
	dec_is(res.ind[2].score, "30", "qualitative");
	dec_is(res.total, "93.47", "total");
	assert_true(res.total_complete);
	assert_non_null(res.grade);
	assert_string_equal(res.grade->name, "优");
	assert_string_equal(fx->e.grade_stated, "优");
	dec_is(fx->e.total_score_stated.v, "93.47", "total stated");
	if (f.nerrors != 0)
		fail_msg("a complete form has %zu errors, first %s: %s",
		         f.nerrors, f.items[0].code, f.items[0].message);
	assert_int_equal(
	        tu_raw_int(fx->db.url,
	                   "SELECT c_errors FROM jx_self_eval WHERE id "
	                   "= ?",
	                   id),
	        0);
	assert_int_equal(tu_raw_int(fx->db.url,
	                            "SELECT c_total_m FROM jx_self_eval WHERE "
	                            "id = ?",
	                            id),
	                 93470000);

	/* Clearing an actual value drops its score: no stale points. */
	tu_must(save_line(fx, &fx->unit, id, 1, "", NULL, 4, &v), &fx->d,
	        "save 4");
	score(fx, id, &rec, &res, &f);
	assert_null(fx->e.indicators[1].actual);
	assert_false(fx->e.indicators[1].score_stated.set);
	dec_is(res.total, "73.47", "total without line 1");
	assert_false(res.total_complete);
	assert_null(fx->e.grade_stated);
	assert_int_equal(count_code(&f, "MISSING_VALUE", 1), 2);
}

/* A stale version or a bad edit writes nothing. */
static void
t_save_refused(void **state)
{
	struct fx *fx = *state;
	static const char long_actual[] =
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890";
	/* Each row: the edits, what d->field must name. */
	static const struct {
		struct jx_evals_line_edit l[2];
		size_t nl;
		struct jx_evals_goal_edit g;
		size_t ng;
		const char *field;
	} bad[] = {
	        /* no such line */
	        {{{4, true, "1", false, NULL}}, 1, {0}, 0, "lines[0].position"},
	        /* negative position */
	        {{{-1, true, "1", false, NULL}},
	         1,
	         {0},
	         0,
	         "lines[0].position"},
	        /* the same line twice */
	        {{{0, true, "1", false, NULL}, {0, true, "2", false, NULL}},
	         2,
	         {0},
	         0,
	         "lines[1].position"},
	        /* no such goal */
	        {{{0, true, "1", false, NULL}},
	         1,
	         {1, true, "x"},
	         1,
	         "goals[0].position"},
	        /* an actual value longer than any value can be */
	        {{{0, true, long_actual, false, NULL}},
	         1,
	         {0},
	         0,
	         "lines[0].actual"},
	        /* text that is not UTF-8 */
	        {{{0, false, NULL, true, "\xff\xfe"}},
	         1,
	         {0},
	         0,
	         "lines[0].reason"},
	};
	int64_t id, v = 0, audits;
	size_t i;

	start(fx);
	id = create(fx);
	tu_must(save_line(fx, &fx->unit, id, 0, "80人次", NULL, 1, &v), &fx->d,
	        "save");
	audits = audit_count(fx, id);

	/* Version 1 is stale now. */
	tu_want_err(save_line(fx, &fx->unit, id, 0, "100人次", NULL, 1, &v),
	            JX_ECONFLICT, "stale save");
	assert_string_equal(fx->d.field, "version");
	assert_int_equal(version_of(fx, id), 2);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jx_evals_edit ed = {bad[i].l, bad[i].nl, &bad[i].g,
		                           bad[i].ng};

		jx_diag_clear(&fx->d);
		tu_want_err(jx_evals_save(fx->s, &fx->unit, id, &ed, 2,
		                          &g_rules, &g_wf, &v, &fx->d),
		            JX_EINVAL, bad[i].field);
		assert_string_equal(fx->d.field, bad[i].field);
	}
	/* A reviewer may not edit; a sibling unit cannot see it. */
	tu_want_err(save_line(fx, &fx->dept, id, 0, "100人次", NULL, 2, &v),
	            JX_EPERM, "save as reviewer");
	tu_want_err(save_line(fx, &fx->sib, id, 0, "100人次", NULL, 2, &v),
	            JX_ENOTFOUND, "save by a sibling unit");

	assert_int_equal(version_of(fx, id), 2);
	assert_int_equal(audit_count(fx, id), audits);
	{
		struct jx_evals_rec rec;

		tu_must(jx_evals_load(fx->s, &fx->unit, id, &fx->e, &rec,
		                      &fx->d),
		        &fx->d, "load");
		assert_string_equal(fx->e.indicators[0].actual, "80人次");
		assert_null(fx->e.indicators[0].deviation_reason);
		assert_null(fx->e.goals[0].achieved);
	}
}

/* ---- workflow ---------------------------------------------------------- */

static void
t_workflow(void **state)
{
	struct fx *fx = *state;
	const char *to = NULL;
	json_t *rv;
	int64_t id, v = 0;

	start(fx);
	id = create(fx);
	tu_must(save_line(fx, &fx->unit, id, 0, "100人次", NULL, 1, &v), &fx->d,
	        "save");

	/* Only the filer submits; then the form is read-only. */
	tu_want_err(act(fx, &fx->dept, id, "submit", NULL, 2, &to), JX_EPERM,
	            "submit as reviewer");
	tu_must(act(fx, &fx->unit, id, "submit", NULL, 2, &to), &fx->d,
	        "submit");
	assert_string_equal(to, "submitted");
	assert_int_equal(version_of(fx, id), 3);
	tu_want_err(save_line(fx, &fx->unit, id, 1, "95%", NULL, 3, &v),
	            JX_EPERM, "save after submit");
	assert_non_null(strstr(fx->d.message, "已提交的自评表不能修改"));
	assert_int_equal(version_of(fx, id), 3);

	/* Wrong role, wrong state, missing comment, stale version. */
	tu_want_err(act(fx, &fx->unit, id, "dept_approve", NULL, 3, &to),
	            JX_EPERM, "filer approves");
	tu_want_err(act(fx, &fx->fin, id, "finance_approve", NULL, 3, &to),
	            JX_ECONFLICT, "finance before department");
	tu_want_err(act(fx, &fx->dept, id, "dept_return", NULL, 3, &to),
	            JX_EINVAL, "return without comment");
	tu_want_err(act(fx, &fx->dept, id, "no_such_action", NULL, 3, &to),
	            JX_EINVAL, "unknown action");
	tu_want_err(act(fx, &fx->dept, id, "dept_approve", NULL, 2, &to),
	            JX_ECONFLICT, "stale transition");
	tu_want_err(act(fx, &fx->other_dept, id, "dept_approve", NULL, 3, &to),
	            JX_ENOTFOUND, "another department");
	assert_int_equal(version_of(fx, id), 3);

	/* Returned with a comment: editable again, then resubmitted. */
	tu_must(act(fx, &fx->dept, id, "dept_return", "请补充满意度调查依据", 3,
	            &to),
	        &fx->d, "return");
	assert_string_equal(to, "returned");
	tu_must(save_line(fx, &fx->unit, id, 3, "92%", "已补充问卷", 4, &v),
	        &fx->d, "save after return");
	assert_int_equal(v, 5);
	tu_must(act(fx, &fx->unit, id, "submit", NULL, 5, &to), &fx->d,
	        "resubmit");
	tu_must(act(fx, &fx->dept, id, "dept_approve", NULL, 6, &to), &fx->d,
	        "dept approve");
	assert_string_equal(to, "dept_approved");
	tu_want_err(act(fx, &fx->dept, id, "finance_approve", NULL, 7, &to),
	            JX_EPERM, "department approves for finance");
	tu_must(act(fx, &fx->fin, id, "finance_approve", NULL, 7, &to), &fx->d,
	        "finance approve");
	assert_string_equal(to, "finance_approved");
	assert_int_equal(version_of(fx, id), 8);
	assert_string_equal(
	        tu_raw_row(fx->db.url,
	                   "SELECT 1 FROM jx_self_eval WHERE id = ? "
	                   "AND status = 'finance_approved'",
	                   id, NULL, NULL)
	                ? "yes"
	                : "no",
	        "yes");

	/* The history, oldest first. */
	rv = json_array();
	tu_must(jx_evals_reviews(fx->s, &fx->unit, id, rv, &fx->d), &fx->d,
	        "reviews");
	assert_int_equal(json_array_size(rv), 5);
	assert_string_equal(jx_http_str(json_array_get(rv, 0), "action"),
	                    "submit");
	assert_string_equal(jx_http_str(json_array_get(rv, 0), "actor"),
	                    "filer");
	assert_string_equal(jx_http_str(json_array_get(rv, 1), "action"),
	                    "dept_return");
	assert_string_equal(jx_http_str(json_array_get(rv, 1), "comment"),
	                    "请补充满意度调查依据");
	assert_string_equal(jx_http_str(json_array_get(rv, 1), "from"),
	                    "submitted");
	assert_string_equal(jx_http_str(json_array_get(rv, 1), "to"),
	                    "returned");
	assert_string_equal(jx_http_str(json_array_get(rv, 4), "to"),
	                    "finance_approved");
	assert_non_null(jx_http_str(json_array_get(rv, 4), "at"));
	json_decref(rv);
	assert_int_equal(
	        tu_raw_int(fx->db.url,
	                   "SELECT COUNT(*) FROM jx_review WHERE "
	                   "record_type = 'self_eval' AND record_id = ? "
	                   "AND project_id IS NOT NULL AND user_id IS "
	                   "NOT NULL",
	                   id),
	        5);
	/* create, 2 saves, 5 transitions */
	assert_int_equal(audit_count(fx, id), 8);
}

/* ---- scope ------------------------------------------------------------- */

static void
t_scope(void **state)
{
	struct fx *fx = *state;
	const struct jx_who *outside[] = {&fx->sib, &fx->other_dept};
	const struct jx_who *inside[] = {&fx->unit, &fx->dept, &fx->fin};
	struct jx_evals_rec rec;
	const char *to = NULL;
	json_t *rv = json_array();
	int64_t id, v = 0;
	size_t i;

	start(fx);
	id = create(fx);
	for (i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
		tu_must(jx_evals_load(fx->s, inside[i], id, &fx->e, &rec,
		                      &fx->d),
		        &fx->d, inside[i]->login);
	for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		tu_want_err(jx_evals_load(fx->s, outside[i], id, &fx->e, &rec,
		                          &fx->d),
		            JX_ENOTFOUND, outside[i]->login);
		tu_want_err(jx_evals_reviews(fx->s, outside[i], id, rv, &fx->d),
		            JX_ENOTFOUND, outside[i]->login);
		tu_want_err(act(fx, outside[i], id, "submit", NULL, 1, &to),
		            JX_ENOTFOUND, outside[i]->login);
	}
	/* An id that does not exist looks the same. */
	tu_want_err(
	        jx_evals_load(fx->s, &fx->unit, id + 1, &fx->e, &rec, &fx->d),
	        JX_ENOTFOUND, "no such evaluation");
	tu_want_err(save_line(fx, &fx->unit, id + 1, 0, "1", NULL, 1, &v),
	            JX_ENOTFOUND, "save no such evaluation");
	assert_int_equal(json_array_size(rv), 0);
	json_decref(rv);
	assert_int_equal(version_of(fx, id), 1);
}

/* ---- handlers ---------------------------------------------------------- */

/* A request to the handlers as the router would hand it over. */
struct call {
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_arena arena;
};

static void
call_init(struct fx *fx, struct call *c, const struct jx_who *w,
          const char *method, int64_t id)
{
	memset(c, 0, sizeof(*c));
	jx_arena_init(&c->arena, 0);
	c->rq.method = method;
	c->rq.path = "/api/evals/x";
	c->rq.ids[0] = id;
	c->rq.nids = 1;
	c->rq.arena = &c->arena;
	c->rq.store = fx->s;
	c->rq.env = &fx->env;
	c->rq.authed = true;
	c->rq.who = *w;
	jx_http_resp_init(&c->rs);
}

/* Decode body as the router does (strict, then the route's schema);
 * false with c->rs filled when the schema refuses it. */
static bool
call_body(struct call *c, const char *body, const struct jx_http_field *schema)
{
	json_error_t je;

	c->rq.body = body;
	c->rq.body_len = strlen(body);
	c->rq.json = json_loads(body, JSON_REJECT_DUPLICATES, &je);
	if (c->rq.json == NULL)
		fail_msg("bad test body: %s: %s", body, je.text);
	return jx_http_check(c->rq.json, schema, "", &c->rs);
}

static void
call_done(struct call *c)
{
	json_decref(c->rq.json);
	jx_http_resp_cleanup(&c->rs);
	jx_arena_cleanup(&c->arena);
}

static void
status_is(struct call *c, unsigned want, const char *what)
{
	if (c->rs.status != want) {
		char *b = c->rs.body != NULL ? json_dumps(c->rs.body, 0) : NULL;

		fail_msg("%s: status %u, want %u: %s", what, c->rs.status, want,
		         b != NULL ? b : "");
	}
}

static const char *
str_at(struct call *c, const char *path)
{
	return json_string_value(tu_json_at(c->rs.body, path));
}

static void
str_is(struct call *c, const char *path, const char *want)
{
	const char *got = str_at(c, path);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", path, got ? got : "(none)",
		         want);
}

static int64_t
int_at(struct call *c, const char *path)
{
	json_t *v = tu_json_at(c->rs.body, path);

	if (!json_is_integer(v))
		fail_msg("%s: not an integer", path);
	return json_integer_value(v);
}

/* Whether array body.path holds the string s. */
static bool
has_str(struct call *c, const char *path, const char *s)
{
	json_t *arr = tu_json_at(c->rs.body, path), *v;
	size_t i;

	json_array_foreach(arr, i, v) if (json_is_string(v) &&
	                                  strcmp(json_string_value(v), s) ==
	                                          0) return true;
	return false;
}

/* Whether body.findings has one with these code, severity, line (-1:
 * none) and message. */
static bool
has_finding(struct call *c, const char *code, const char *severity, int line,
            const char *message)
{
	json_t *arr = tu_json_at(c->rs.body, "findings"), *v;
	size_t i;

	json_array_foreach(arr, i, v)
	{
		json_t *ind = json_object_get(v, "indicator");

		if (strcmp(jx_http_str(v, "code"), code) == 0 &&
		    strcmp(jx_http_str(v, "severity"), severity) == 0 &&
		    strcmp(jx_http_str(v, "message"), message) == 0 &&
		    jx_http_str(v, "location") != NULL &&
		    (line < 0 ? json_is_null(ind)
		              : json_integer_value(ind) == line))
			return true;
	}
	return false;
}

static void
t_handlers(void **state)
{
	struct fx *fx = *state;
	struct call c;
	int64_t id;

	start(fx);

	/* Create: 201 with the whole evaluation. */
	call_init(fx, &c, &fx->unit, "POST", fx->project);
	assert_true(call_body(&c, "{}", jx_h_evals_create_body));
	jx_h_evals_create(&c.rq, &c.rs);
	status_is(&c, 201, "create");
	id = int_at(&c, "id");
	assert_int_equal(int_at(&c, "project_id"), fx->project);
	call_done(&c);
	call_init(fx, &c, &fx->unit, "POST", fx->project);
	jx_h_evals_create(&c.rq, &c.rs);
	status_is(&c, 409, "create twice");
	str_is(&c, "error.code", "conflict");
	call_done(&c);

	/* Read: live figures, state, the filer's buttons. */
	call_init(fx, &c, &fx->unit, "GET", id);
	jx_h_evals_get(&c.rq, &c.rs);
	status_is(&c, 200, "get");
	assert_int_equal(int_at(&c, "version"), 1);
	str_is(&c, "status.key", "draft");
	str_is(&c, "status.label", "草稿");
	assert_true(json_is_true(tu_json_at(c.rs.body, "editable")));
	assert_false(json_is_true(tu_json_at(c.rs.body, "preview")));
	str_is(&c, "actions[0].action", "submit");
	assert_null(tu_json_at(c.rs.body, "actions[1]"));
	str_is(&c, "title", "职业技能培训项目");
	str_is(&c, "unit", "甲单位");
	str_is(&c, "dept", "乙部门");
	assert_int_equal(int_at(&c, "year"), 2024);
	assert_int_equal(int_at(&c, "funds.annual_fen"), 95000000);
	assert_int_equal(int_at(&c, "funds.executed_fen"), 90000000);
	str_is(&c, "funds.rate.computed", "94.74");
	str_is(&c, "funds.score.computed", "9.47");
	str_is(&c, "funds.weight", "10");
	assert_non_null(str_at(&c, "funds.why"));
	assert_int_equal(json_array_size(tu_json_at(c.rs.body, "lines")), 4);
	str_is(&c, "lines[0].name", "培训人次");
	str_is(&c, "lines[0].target", "≥100人次");
	str_is(&c, "lines[0].weight", "30");
	assert_true(json_is_null(tu_json_at(c.rs.body, "lines[0].actual")));
	assert_true(json_is_null(tu_json_at(c.rs.body, "lines[0].score")));
	assert_true(has_str(&c, "lines[0].findings", "MISSING_VALUE"));
	str_is(&c, "goals[0].expected", "全年培训100人次");
	str_is(&c, "total.computed", "9.47");
	str_is(&c, "total.weight", "100");
	assert_false(json_is_true(tu_json_at(c.rs.body, "total.complete")));
	/* No grade for a total that still misses lines. */
	assert_true(json_is_null(tu_json_at(c.rs.body, "grade.computed")));
	assert_true(json_is_null(tu_json_at(c.rs.body, "grade.stated")));
	assert_true(int_at(&c, "counts.errors") > 0);
	assert_true(has_finding(&c, "MISSING_VALUE", "error", 0,
	                        "未填写实际完成值"));
	/* The ledger received 100 万元 against a budget cut to 95. */
	assert_true(has_finding(&c, "FUNDS_MISMATCH", "warning", -1,
	                        "实际到位资金100大于全年预算数95"));
	assert_int_equal(json_array_size(tu_json_at(c.rs.body, "reviews")), 0);
	call_done(&c);

	/* Preview while typing: computed, nothing written. */
	call_init(fx, &c, &fx->unit, "POST", id);
	assert_true(call_body(&c,
	                      "{\"lines\": [{\"position\": 0, \"actual\": "
	                      "\"80人次\"}]}",
	                      jx_h_evals_preview_body));
	jx_h_evals_preview(&c.rq, &c.rs);
	status_is(&c, 200, "preview");
	assert_true(json_is_true(tu_json_at(c.rs.body, "preview")));
	str_is(&c, "lines[0].actual", "80人次");
	str_is(&c, "lines[0].score", "24");
	str_is(&c, "lines[0].completion", "80");
	str_is(&c, "lines[0].outcome", "partial");
	assert_non_null(strstr(str_at(&c, "lines[0].why"), "24"));
	assert_true(
	        has_str(&c, "lines[0].findings", "MISSING_DEVIATION_REASON"));
	str_is(&c, "total.computed", "33.47");
	call_done(&c);
	assert_int_equal(version_of(fx, id), 1);
	assert_true(
	        tu_raw_row(fx->db.url,
	                   "SELECT 1 FROM jx_self_eval_line WHERE eval_id = ? "
	                   "AND position = 0 AND actual IS NULL",
	                   id, NULL, NULL));
	/* A position that does not exist. */
	call_init(fx, &c, &fx->fin, "POST", id);
	assert_true(call_body(&c, "{\"lines\": [{\"position\": 9}]}",
	                      jx_h_evals_preview_body));
	jx_h_evals_preview(&c.rq, &c.rs);
	status_is(&c, 422, "preview bad position");
	str_is(&c, "error.field", "lines[0].position");
	call_done(&c);

	/* The schemas: unknown fields, a missing version. */
	call_init(fx, &c, &fx->unit, "PATCH", id);
	assert_false(call_body(&c,
	                       "{\"version\": 1, \"lines\": [{\"position\": "
	                       "0, \"score\": \"30\"}]}",
	                       jx_h_evals_save_body));
	status_is(&c, 400, "unknown field");
	str_is(&c, "error.code", "unknown_field");
	str_is(&c, "error.field", "lines[0].score");
	call_done(&c);
	call_init(fx, &c, &fx->unit, "PATCH", id);
	assert_false(call_body(&c, "{\"lines\": []}", jx_h_evals_save_body));
	status_is(&c, 422, "no version");
	str_is(&c, "error.field", "version");
	call_done(&c);
	call_init(fx, &c, &fx->unit, "POST", id);
	assert_false(call_body(&c, "{\"x\": 1}", jx_h_evals_create_body));
	status_is(&c, 400, "create with a field");
	call_done(&c);

	/* Save: 200 with the new version and the stored figures. */
	call_init(fx, &c, &fx->unit, "PATCH", id);
	assert_true(call_body(&c,
	                      "{\"version\": 1, \"lines\": [{\"position\": 0, "
	                      "\"actual\": \"80人次\", \"reason\": null}], "
	                      "\"goals\": [{\"position\": 0, \"achieved\": "
	                      "\"完成80人次\"}]}",
	                      jx_h_evals_save_body));
	jx_h_evals_save(&c.rq, &c.rs);
	status_is(&c, 200, "save");
	assert_int_equal(int_at(&c, "version"), 2);
	str_is(&c, "lines[0].score", "24");
	str_is(&c, "lines[0].score_stated", "24");
	str_is(&c, "goals[0].achieved", "完成80人次");
	assert_true(
	        has_str(&c, "lines[0].findings", "MISSING_DEVIATION_REASON"));
	call_done(&c);
	/* Again with the old version: 409, nothing written. */
	call_init(fx, &c, &fx->unit, "PATCH", id);
	assert_true(call_body(&c,
	                      "{\"version\": 1, \"lines\": [{\"position\": 0, "
	                      "\"actual\": \"100人次\"}]}",
	                      jx_h_evals_save_body));
	jx_h_evals_save(&c.rq, &c.rs);
	status_is(&c, 409, "stale save");
	str_is(&c, "error.code", "conflict");
	str_is(&c, "error.field", "version");
	call_done(&c);
	assert_int_equal(version_of(fx, id), 2);

	/* Submit: read-only for the filer, buttons for the department. */
	call_init(fx, &c, &fx->unit, "POST", id);
	assert_true(call_body(&c, "{\"action\": \"submit\", \"version\": 2}",
	                      jx_h_transition_body));
	jx_h_evals_transition(&c.rq, &c.rs);
	status_is(&c, 200, "submit");
	str_is(&c, "status.key", "submitted");
	str_is(&c, "status.label", "已提交");
	assert_false(json_is_true(tu_json_at(c.rs.body, "editable")));
	assert_int_equal(json_array_size(tu_json_at(c.rs.body, "actions")), 0);
	str_is(&c, "reviews[0].action", "submit");
	str_is(&c, "reviews[0].to", "submitted");
	call_done(&c);
	call_init(fx, &c, &fx->unit, "PATCH", id);
	assert_true(call_body(&c,
	                      "{\"version\": 3, \"lines\": [{\"position\": 0, "
	                      "\"actual\": \"100人次\"}]}",
	                      jx_h_evals_save_body));
	jx_h_evals_save(&c.rq, &c.rs);
	status_is(&c, 403, "save after submit");
	str_is(&c, "error.code", "forbidden");
	call_done(&c);
	call_init(fx, &c, &fx->dept, "GET", id);
	jx_h_evals_get(&c.rq, &c.rs);
	status_is(&c, 200, "get as department");
	str_is(&c, "actions[0].action", "dept_approve");
	str_is(&c, "actions[1].action", "dept_return");
	assert_true(json_is_true(
	        tu_json_at(c.rs.body, "actions[1].comment_required")));
	call_done(&c);
	call_init(fx, &c, &fx->dept, "POST", id);
	assert_true(call_body(&c,
	                      "{\"action\": \"dept_return\", \"version\": 3}",
	                      jx_h_transition_body));
	jx_h_evals_transition(&c.rq, &c.rs);
	status_is(&c, 422, "return without comment");
	str_is(&c, "error.field", "comment");
	call_done(&c);

	/* Out of scope: 404 for every handler. */
	call_init(fx, &c, &fx->sib, "GET", id);
	jx_h_evals_get(&c.rq, &c.rs);
	status_is(&c, 404, "get by a sibling unit");
	str_is(&c, "error.code", "not_found");
	call_done(&c);
	call_init(fx, &c, &fx->other_dept, "POST", id);
	assert_true(call_body(&c, "{}", jx_h_evals_preview_body));
	jx_h_evals_preview(&c.rq, &c.rs);
	status_is(&c, 404, "preview by another department");
	call_done(&c);
	call_init(fx, &c, &fx->sib, "PATCH", id);
	assert_true(call_body(&c, "{\"version\": 3}", jx_h_evals_save_body));
	jx_h_evals_save(&c.rq, &c.rs);
	status_is(&c, 404, "save by a sibling unit");
	call_done(&c);
}

/* ---- main ------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(t_create),       T(t_create_unapproved), T(t_save_live),
	        T(t_save_refused), T(t_workflow),          T(t_scope),
	        T(t_handlers),
	};
	int failed;

	if (tu_rules(&g_rules, "mof-2020") != 0 ||
	    tu_workflow(&g_wf, "standard") != 0) {
		fprintf(stderr, "test_evals: cannot load the rule set or the "
		                "workflow\n");
		return 1;
	}
	failed = tu_run_backends("evals", tests);
	jx_workflow_cleanup(&g_wf);
	jx_rules_cleanup(&g_rules);
	return failed;
}
