/*
 * evals.c - self-evaluations (绩效自评) for the web API (evals.h): start
 * one from a project's approved goal version and its money, load it within
 * the caller's scope, save actual values, reasons and achieved goals with
 * optimistic concurrency, and take workflow actions, recording reviews.
 *
 * The rows are those of store.c (jx_self_eval, _line, _goal, _fund,
 * jx_finding); this file writes the same stated and computed columns that
 * an import writes, so `jixiao db export` and the reports read web-filled
 * evaluations exactly like imported ones. Every query is scoped in SQL:
 * the evaluation's project's unit must lie under the caller's org path.
 *
 * What this file does not do: check route roles (the route table), read
 * the workflow file (workflow.c), or format HTTP bodies (h_evals.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jx/buf.h"
#include "jx/dec.h"
#include "jx/evaljson.h"
#include "jx/evals.h"
#include "jx/limits.h"
#include "jx/text.h"
#include "jx/value.h"

/* The scope condition on the unit org "o" of the evaluation's project. */
#define SCOPED_EVAL                                                            \
	"FROM jx_self_eval e JOIN jx_project p ON p.id = e.project_id "        \
	"JOIN jx_org o ON o.id = p.unit_id WHERE e.id = ? AND (o.path || '') " \
	"LIKE ?"

static enum jx_err load_rec(struct jx_store *s, const struct jx_who *who,
                            int64_t eval_id, struct jx_evals_rec *rec,
                            struct jx_diag *d);
static void fill_lines(struct jx_eval *e, const struct jx_result *res);
static enum jx_err fill_header(struct jx_eval *e, const struct jx_result *res);
static enum jx_err
write_computed(struct jx_store *s, int64_t eval_id, const struct jx_eval *e,
               const struct jx_rules *r, const struct jx_result *res,
               const struct jx_findings *f, struct jx_diag *d);
static enum jx_err build_from_goals(struct jx_store *s, int64_t project_id,
                                    int64_t gv, const struct jx_rules *r,
                                    struct jx_eval *e, struct jx_diag *d);
static bool is_role(const struct jx_who *who, const char *role);
static const char *final_state(const struct jx_workflow *wf);
static char *dup_or_null(struct jx_arena *a, const char *s);
static int line_json(json_t *arr, const struct jx_eval *e, int64_t i);
static int goal_json(json_t *arr, const struct jx_eval *e, int64_t i);
static enum jx_err stale(int64_t expected, int64_t now, struct jx_diag *d);
static enum jx_err claim(struct jx_store *s, int64_t eval_id,
                         int64_t expected_version, const char *status,
                         const char *next, const char *now, struct jx_diag *d);

/* The stored outcome keys, indexed by enum jx_outcome (as store.c). */
static const char *const outcome_keys[] = {"unknown", "met", "partial",
                                           "not_met"};

/* ---- helpers ----------------------------------------------------------- */

static bool
is_role(const struct jx_who *who, const char *role)
{
	return who != NULL && who->role != NULL && strcmp(who->role, role) == 0;
}

/* The key of the workflow's final state (财政已审核), NULL when none. */
static const char *
final_state(const struct jx_workflow *wf)
{
	size_t i;

	for (i = 0; i < wf->nstates; i++)
		if (wf->states[i].final)
			return wf->states[i].key;
	return NULL;
}

/* s copied into a, or NULL for NULL and "" (a cleared cell); NULL for a
 * non-empty s means out of memory. */
static char *
dup_or_null(struct jx_arena *a, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return NULL;
	return jx_arena_strndup(a, s, strlen(s));
}

bool
jx_evals_fen(const char *unit, jx_dec m, int64_t *fen)
{
	const char *u_name = unit != NULL ? unit : "万元";
	const struct jx_unit *u = jx_value_unit_find(u_name, strlen(u_name));
	jx_dec out, back;

	if (u == NULL || u->dim != JX_DIM_MONEY)
		return false;
	/* m * factor is in 10^-12 元; 分 = that / 10^10, exactly. */
	if (jx_dec_muldiv(m, u->factor, INT64_C(10000000000), 6, &out) !=
	            JX_OK ||
	    jx_dec_muldiv(out, INT64_C(10000000000), u->factor, 6, &back) !=
	            JX_OK ||
	    back != m)
		return false;
	*fen = out;
	return true;
}

/* The record of eval_id when it is in who's scope. */
static enum jx_err
load_rec(struct jx_store *s, const struct jx_who *who, int64_t eval_id,
         struct jx_evals_rec *rec, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	char like[300];
	enum jx_err err;

	err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err != JX_OK)
		return err;
	{
		struct jx_db_param p[] = {P_INT(eval_id), P_TEXT(like)};

		err = s->ops->query(
		        s->db,
		        "SELECT e.id, e.project_id, e.goal_version_id, "
		        "e.version, e.status, p.dept_id, "
		        "e.updated_at " SCOPED_EVAL,
		        p, NP(p), &st, d);
	}
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		const char *t;

		memset(rec, 0, sizeof(*rec));
		rec->id = s->ops->col_int(st, 0);
		rec->project_id = s->ops->col_int(st, 1);
		rec->goal_version_id = s->ops->col_int(st, 2);
		rec->version = s->ops->col_int(st, 3);
		t = s->ops->col_text(st, 4);
		snprintf(rec->status, sizeof(rec->status), "%s",
		         t != NULL ? t : "");
		rec->has_dept = !s->ops->is_null(st, 5);
		t = s->ops->is_null(st, 6) ? NULL : s->ops->col_text(st, 6);
		snprintf(rec->updated_at, sizeof(rec->updated_at), "%s",
		         t != NULL ? t : "");
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "自评表不存在");
	}
	s->ops->finish(st);
	return err;
}

/* A save's line scores: computed where the engine could score the line,
 * else none (a blank actual value must not keep an old score). */
static void
fill_lines(struct jx_eval *e, const struct jx_result *res)
{
	size_t i;

	for (i = 0; i < e->nindicators && i < res->n; i++) {
		struct jx_indicator *ind = &e->indicators[i];
		const struct jx_ind_result *o = &res->ind[i];

		ind->score_stated.set = o->kind != JX_SCORE_NONE;
		ind->score_stated.v = o->kind != JX_SCORE_NONE ? o->score : 0;
	}
}

/* A save's execution line, total and grade, from res. */
static enum jx_err
fill_header(struct jx_eval *e, const struct jx_result *res)
{
	char pct[48];
	size_t n;

	if (e->has_funds) {
		e->funds.exec_score_stated.set = res->has_exec;
		e->funds.exec_score_stated.v =
		        res->has_exec ? res->exec_score : 0;
		e->funds.exec_rate_text = NULL;
		if (res->has_exec) {
			n = jx_dec_format(jx_dec_percent(res->exec_rate), 2,
			                  pct, sizeof(pct) - 1);
			pct[n] = '%';
			pct[n + 1] = '\0';
			e->funds.exec_rate_text =
			        jx_arena_strndup(&e->arena, pct, n + 1);
			if (e->funds.exec_rate_text == NULL)
				return JX_ENOMEM;
		}
	}
	e->total_score_stated.set = true;
	e->total_score_stated.v = res->total;
	e->grade_stated = res->total_complete && res->grade != NULL
	                          ? res->grade->name
	                          : NULL;
	return JX_OK;
}

enum jx_err
jx_evals_compute(struct jx_eval *e, const struct jx_rules *r, bool fill,
                 struct jx_arena *a, struct jx_result *res,
                 struct jx_findings *f)
{
	enum jx_err err;

	if (e == NULL || r == NULL || a == NULL || res == NULL || f == NULL)
		return JX_EINVAL;
	err = jx_score_run(e, r, a, res);
	if (err == JX_OK && fill) {
		/* Lines first: the total counts a line that cannot be scored
		 * with its stated score, which a fill has just cleared. */
		fill_lines(e, res);
		err = jx_score_run(e, r, a, res);
		if (err == JX_OK)
			err = fill_header(e, res);
	}
	if (err == JX_OK)
		err = jx_audit_run(e, r, res, a, 0, f);
	return err;
}

/*
 * The stated figures a save fills, the computed columns, every line's
 * actual, reason and scores, and the findings of e (scored into res and
 * audited into f under r).
 */
static enum jx_err
write_computed(struct jx_store *s, int64_t eval_id, const struct jx_eval *e,
               const struct jx_rules *r, const struct jx_result *res,
               const struct jx_findings *f, struct jx_diag *d)
{
	char hash[17], now[32];
	enum jx_err err;
	size_t i;

	if (jx_store_content_hash(e, hash) != JX_OK)
		return jx_diag_set(d, JX_ENOMEM, NULL, "自评表无法序列化");
	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param p[] = {
		        e->has_funds ? P_OPT(e->funds.exec_score_stated)
		                     : P_NULL,
		        P_TEXT(e->has_funds ? e->funds.exec_rate_text : NULL),
		        P_OPT(e->total_score_stated), P_TEXT(e->grade_stated),
		        P_TEXT(hash), P_TEXT(r->name),
		        res->has_exec ? P_INT(res->exec_rate) : P_NULL,
		        res->has_exec ? P_INT(res->exec_score) : P_NULL,
		        P_INT(res->weight_sum), P_INT(res->total),
		        P_INT(res->total_complete ? 1 : 0),
		        /* no grade for a total that still misses lines */
		        P_TEXT(res->total_complete && res->grade != NULL
		                       ? res->grade->name
		                       : NULL),
		        P_INT((int64_t)f->nerrors),
		        P_INT((int64_t)f->nwarnings), P_TEXT(now),
		        P_INT(eval_id)};

		err = jx_store_run(
		        s,
		        "UPDATE jx_self_eval SET exec_score_m = ?, "
		        "exec_rate_text = ?, total_score_m = ?, "
		        "grade_stated = ?, content_hash = ?, c_rules = ?, "
		        "c_exec_rate_m = ?, c_exec_score_m = ?, c_weight_m = "
		        "?, "
		        "c_total_m = ?, c_complete = ?, c_grade = ?, "
		        "c_errors = ?, c_warnings = ?, updated_at = ? "
		        "WHERE id = ?",
		        p, NP(p), d);
	}
	for (i = 0; err == JX_OK && i < e->nindicators && i < res->n; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		const struct jx_ind_result *o = &res->ind[i];
		struct jx_db_param p[] = {
		        P_TEXT(ind->actual),
		        P_TEXT(ind->deviation_reason),
		        P_OPT(ind->score_stated),
		        o->kind != JX_SCORE_NONE ? P_INT(o->score) : P_NULL,
		        P_TEXT(outcome_keys[o->outcome]),
		        P_INT(eval_id),
		        P_INT((int64_t)i)};

		err = jx_store_run(
		        s,
		        "UPDATE jx_self_eval_line SET actual = ?, "
		        "deviation_reason = ?, score_stated_m = ?, "
		        "c_score_m = ?, c_outcome = ? WHERE eval_id = ? AND "
		        "position = ?",
		        p, NP(p), d);
	}
	if (err == JX_OK)
		err = jx_store_findings_replace(s, eval_id, f, d);
	return err;
}

/* JX_ECONFLICT naming "version": the caller's version `expected` is out of
 * date; now >= 0 is the version the evaluation is at, now < 0 when the
 * claim found it changed. */
static enum jx_err
stale(int64_t expected, int64_t now, struct jx_diag *d)
{
	if (now < 0)
		return jx_diag_set(d, JX_ECONFLICT, "version",
		                   "自评表已被他人修改（版本%" PRId64
		                   "已过期），请刷新后重试",
		                   expected);
	return jx_diag_set(d, JX_ECONFLICT, "version",
	                   "自评表已被他人修改（版本%" PRId64
	                   "已过期，当前为%" PRId64 "），请刷新后重试",
	                   expected, now);
}

/*
 * Claim evaluation eval_id for a write: version + 1, updated_at = now and,
 * when next is not NULL, status = next, only while it is still at
 * expected_version and in status `status`. Version check and claim are one
 * statement, so two writers holding the same version cannot both pass, and
 * a transition in between (another status) fails it too: JX_ECONFLICT.
 */
static enum jx_err
claim(struct jx_store *s, int64_t eval_id, int64_t expected_version,
      const char *status, const char *next, const char *now, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_TEXT(next), P_TEXT(now), P_INT(eval_id),
	                          P_INT(expected_version), P_TEXT(status)};
	int64_t changed = 0;
	enum jx_err err;

	if (next != NULL)
		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_self_eval SET status = ?, version = version "
		        "+ 1, updated_at = ? WHERE id = ? AND version = ? AND "
		        "status = ?",
		        p, NP(p), &changed, d);
	else
		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_self_eval SET version = version + 1, "
		        "updated_at = ? WHERE id = ? AND version = ? AND "
		        "status = ?",
		        p + 1, NP(p) - 1, &changed, d);
	if (err == JX_OK && changed == 0)
		err = stale(expected_version, -1, d);
	return err;
}

/* ---- create ------------------------------------------------------------ */

/* The indicators, goals and money of goal version gv of project_id into
 * e (header fields are the caller's). */
static enum jx_err
build_from_goals(struct jx_store *s, int64_t project_id, int64_t gv,
                 const struct jx_rules *r, struct jx_eval *e, struct jx_diag *d)
{
	struct jx_arena *a = &e->arena;
	struct jx_project_funds pf;
	struct jx_db_stmt *st = NULL;
	struct jx_goal *g;
	size_t cap = 0;
	enum jx_err err;

	err = s->ops->query(s->db,
	                    "SELECT level1, level2, name, target_text, unit, "
	                    "nature, weight_m FROM jx_indicator WHERE "
	                    "version_id = ? ORDER BY position",
	                    (struct jx_db_param[]){P_INT(gv)}, 1, &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		struct jx_indicator *ind;

		if (e->nindicators == JX_MAX_INDICATORS) {
			err = jx_diag_set(d, JX_ETOOBIG, "indicators",
			                  "绩效指标超过%d项",
			                  JX_MAX_INDICATORS);
			break;
		}
		ind = jx_eval_add_indicator(e, &cap);
		if (ind == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		ind->level1 = jx_store_dup_col(st, s->ops, 0, a);
		ind->level2 = jx_store_dup_col(st, s->ops, 1, a);
		ind->name = jx_store_dup_col(st, s->ops, 2, a);
		ind->target = jx_store_dup_col(st, s->ops, 3, a);
		ind->unit = jx_store_dup_col(st, s->ops, 4, a);
		ind->nature = jx_store_dup_col(st, s->ops, 5, a);
		ind->weight = jx_store_opt_col(st, s->ops, 6);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;
	if (e->nindicators == 0)
		return jx_diag_set(d, JX_EINVAL, "goal_version",
		                   "项目绩效目标中没有绩效指标，不能开始自评");

	cap = 0;
	err = s->ops->query(s->db,
	                    "SELECT text FROM jx_goal WHERE version_id = ? "
	                    "AND kind = 'annual' ORDER BY position",
	                    (struct jx_db_param[]){P_INT(gv)}, 1, &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		if (e->ngoals == JX_MAX_GOALS) {
			err = jx_diag_set(d, JX_ETOOBIG, "goals",
			                  "年度总体目标超过%d条", JX_MAX_GOALS);
			break;
		}
		g = jx_eval_add_goal(e, &cap);
		if (g == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		g->expected = jx_store_dup_col(st, s->ops, 0, a);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;

	/* The money, in 万元: a millionth of 万元 is exactly one 分. */
	err = jx_store_project_funds(s, project_id, &pf, d);
	if (err != JX_OK)
		return err;
	if (pf.has_annual || pf.has_initial) {
		struct jx_fund_row *t = &e->funds.total;

		e->has_funds = true;
		e->funds.unit = jx_arena_strndup(a, "万元", strlen("万元"));
		t->name = jx_arena_strndup(a, "年度资金总额",
		                           strlen("年度资金总额"));
		if (e->funds.unit == NULL || t->name == NULL)
			return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		t->initial.set = pf.has_initial;
		t->initial.v = pf.initial_fen;
		t->annual.set = true;
		t->annual.v = pf.has_annual ? pf.annual_fen : pf.initial_fen;
		t->received.set = pf.has_received;
		t->received.v = pf.received_fen;
		/* Nothing paid and nothing recorded: nothing executed. */
		t->executed.set = true;
		t->executed.v = pf.has_executed ? pf.executed_fen : 0;
		e->funds.exec_weight.set = true;
		e->funds.exec_weight.v = r->exec.weight;
	}
	return JX_OK;
}

enum jx_err
jx_evals_create(struct jx_store *s, const struct jx_who *who,
                int64_t project_id, const struct jx_rules *r,
                const struct jx_workflow *wf, int64_t *eval_id,
                struct jx_diag *d)
{
	struct jx_eval e;
	struct jx_arena a;
	struct jx_result res;
	struct jx_findings f;
	struct jx_db_stmt *st = NULL;
	char like[300], now[32], hash[17];
	const char *fin;
	int64_t gv = 0, id = 0, existing = 0;
	enum jx_err err;
	bool own = false, opened = false;

	jx_eval_init(&e);
	jx_arena_init(&a, 0);
	if (r == NULL || wf == NULL || wf->nstates == 0) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "缺少规则方案或审核流程");
		goto done;
	}
	err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err != JX_OK)
		goto done;
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	opened = true;

	/* The project, in scope, with its unit's and department's names. */
	{
		struct jx_db_param p[] = {P_INT(project_id), P_TEXT(like)};

		err = s->ops->query(
		        s->db,
		        "SELECT p.code, p.name, p.year, u.name, dp.name "
		        "FROM jx_project p JOIN jx_org u ON u.id = p.unit_id "
		        "LEFT JOIN jx_org dp ON dp.id = p.dept_id "
		        "WHERE p.id = ? AND (u.path || '') LIKE ?",
		        p, NP(p), &st, d);
	}
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		e.id = jx_store_dup_col(st, s->ops, 0, &e.arena);
		e.title = jx_store_dup_col(st, s->ops, 1, &e.arena);
		e.year = (int)s->ops->col_int(st, 2);
		e.unit = jx_store_dup_col(st, s->ops, 3, &e.arena);
		e.department = jx_store_dup_col(st, s->ops, 4, &e.arena);
		e.kind = jx_arena_strndup(&e.arena, "self", 4);
		if (e.id == NULL || e.title == NULL || e.kind == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "项目不存在");
	}
	s->ops->finish(st);
	if (err != JX_OK)
		goto done;
	if (!is_role(who, JX_ROLE_UNIT)) {
		err = jx_diag_set(d, JX_EPERM, NULL,
		                  "只有单位填报人员可以开始自评");
		goto done;
	}

	err = jx_store_one_int(s,
	                       "SELECT id FROM jx_self_eval WHERE project_id "
	                       "= ?",
	                       (struct jx_db_param[]){P_INT(project_id)}, 1,
	                       &existing, d);
	if (err == JX_OK) {
		err = jx_diag_set(d, JX_ECONFLICT, "id",
		                  "该项目已有自评表（编号%" PRId64 "）",
		                  existing);
		goto done;
	}
	if (err != JX_ENOTFOUND)
		goto done;

	/* The latest goal version the finance bureau approved. */
	fin = final_state(wf);
	err = fin == NULL ? JX_ENOTFOUND
	                  : jx_store_one_int(
	                            s,
	                            "SELECT id FROM jx_goal_version WHERE "
	                            "project_id = ? AND wf_status = ? ORDER "
	                            "BY number DESC LIMIT 1",
	                            (struct jx_db_param[]){P_INT(project_id),
	                                                   P_TEXT(fin)},
	                            2, &gv, d);
	if (err == JX_ENOTFOUND)
		err = jx_diag_set(d, JX_EINVAL, "goal_version",
		                  "项目绩效目标尚未经财政审核，不能开始自评");
	if (err == JX_OK)
		err = build_from_goals(s, project_id, gv, r, &e, d);
	if (err == JX_OK &&
	    jx_evals_compute(&e, r, true, &a, &res, &f) != JX_OK)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "计算得分失败：内存不足");
	if (err == JX_OK && jx_store_content_hash(&e, hash) != JX_OK)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "自评表无法序列化");
	if (err != JX_OK)
		goto done;

	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param p[] = {
		        P_TEXT(e.id),
		        P_TEXT(e.title),
		        P_TEXT(e.unit),
		        P_TEXT(e.department),
		        e.year != 0 ? P_INT(e.year) : P_NULL,
		        P_TEXT(e.kind),
		        P_INT(e.has_funds ? 1 : 0),
		        P_TEXT(e.has_funds ? e.funds.unit : NULL),
		        e.has_funds ? P_OPT(e.funds.exec_weight) : P_NULL,
		        P_INT(project_id),
		        P_INT(gv),
		        P_TEXT(wf->states[wf->initial].key),
		        P_TEXT(hash),
		        P_TEXT(now),
		        P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_self_eval (doc_id, title, unit_name, "
		        "dept_name, year, kind, has_funds, funds_unit, "
		        "exec_weight_m, project_id, goal_version_id, status, "
		        "content_hash, created_at, updated_at) VALUES "
		        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		        "RETURNING id",
		        p, NP(p), &id, d);
	}
	/* A concurrent create of the same project lost the race. */
	if (err == JX_ECONFLICT)
		jx_diag_set(d, err, "id", "该项目已有自评表");
	if (err == JX_OK)
		err = jx_store_eval_rows(s, id, &e, d);
	if (err == JX_OK)
		err = write_computed(s, id, &e, r, &res, &f, d);
	if (err == JX_OK) {
		struct jx_buf canon;

		jx_buf_init(&canon, JX_MAX_RECORD_BYTES * 2u);
		if (jx_evaljson_write(&canon, &e) != JX_OK)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		if (err == JX_OK)
			err = jx_store_audit(s, who->login, "create",
			                     "jx_self_eval", id, NULL,
			                     canon.data, d);
		jx_buf_free(&canon);
	}
	if (err == JX_OK)
		*eval_id = id;
done:
	if (opened)
		err = jx_store_txn_close(s, own, err, d);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	return err;
}

/* ---- read -------------------------------------------------------------- */

enum jx_err
jx_evals_load(struct jx_store *s, const struct jx_who *who, int64_t eval_id,
              struct jx_eval *e, struct jx_evals_rec *rec, struct jx_diag *d)
{
	struct jx_evals_rec tmp;
	enum jx_err err;

	err = load_rec(s, who, eval_id, &tmp, d);
	if (err == JX_OK)
		err = jx_store_eval_load(s, eval_id, e, d);
	if (err == JX_OK)
		*rec = tmp;
	return err;
}

enum jx_err
jx_evals_record(struct jx_store *s, const struct jx_who *who, int64_t eval_id,
                struct jx_evals_rec *rec, struct jx_diag *d)
{
	return load_rec(s, who, eval_id, rec, d);
}

enum jx_err
jx_evals_reviews(struct jx_store *s, const struct jx_who *who, int64_t eval_id,
                 json_t *arr, struct jx_diag *d)
{
	static const struct jx_store_col cols[] = {
	        {"actor", JX_STORE_COL_TEXT},
	        {"action", JX_STORE_COL_TEXT},
	        {"comment", JX_STORE_COL_TEXT},
	        {"from", JX_STORE_COL_TEXT},
	        {"to", JX_STORE_COL_TEXT},
	        {"at", JX_STORE_COL_TEXT},
	        {NULL, 0}};
	struct jx_evals_rec rec;
	enum jx_err err;

	err = load_rec(s, who, eval_id, &rec, d);
	if (err == JX_OK)
		err = jx_store_rows_json(
		        s,
		        "SELECT actor, action, comment, from_status, "
		        "to_status, "
		        "created_at FROM jx_review WHERE record_type = "
		        "'self_eval' AND record_id = ? ORDER BY id",
		        (struct jx_db_param[]){P_INT(eval_id)}, 1, cols, arr,
		        d);
	return err;
}

/* ---- save -------------------------------------------------------------- */

enum jx_err
jx_evals_apply(struct jx_eval *e, const struct jx_evals_edit *ed,
               struct jx_diag *d)
{
	struct jx_arena *a = &e->arena;
	unsigned char *seen = NULL;
	char field[64];
	size_t i, n;
	enum jx_err err = JX_OK;

	/* Check everything before changing anything. */
	n = e->nindicators > e->ngoals ? e->nindicators : e->ngoals;
	seen = calloc(n + 1, 1);
	if (seen == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; err == JX_OK && i < ed->nlines; i++) {
		const struct jx_evals_line_edit *l = &ed->lines[i];

		snprintf(field, sizeof(field), "lines[%zu].position", i);
		if (l->position < 0 || (uint64_t)l->position >= e->nindicators)
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "第%" PRId64 "项指标不存在（共%zu项，"
			                  "序号从0开始）",
			                  l->position, e->nindicators);
		else if (seen[l->position] & 1u)
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "第%" PRId64
			                  "项指标在本次保存中重复出现",
			                  l->position);
		if (err != JX_OK)
			break;
		seen[l->position] |= 1u;
		snprintf(field, sizeof(field), "lines[%zu].actual", i);
		if (l->set_actual && l->actual != NULL &&
		    (strlen(l->actual) > JX_MAX_VALUE_TEXT ||
		     !jx_text_utf8_valid(l->actual, strlen(l->actual))))
			err = jx_diag_set(
			        d, JX_EINVAL, field,
			        "实际完成值过长（最多%d字节）或不是有效"
			        "的UTF-8文本",
			        JX_MAX_VALUE_TEXT);
		snprintf(field, sizeof(field), "lines[%zu].reason", i);
		if (err == JX_OK && l->set_reason && l->reason != NULL &&
		    (strlen(l->reason) > JX_MAX_TEXT ||
		     !jx_text_utf8_valid(l->reason, strlen(l->reason))))
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "偏差原因过长（最多%d字节）或不是有效"
			                  "的UTF-8文本",
			                  JX_MAX_TEXT);
	}
	for (i = 0; err == JX_OK && i < ed->ngoals; i++) {
		const struct jx_evals_goal_edit *g = &ed->goals[i];

		snprintf(field, sizeof(field), "goals[%zu].position", i);
		if (g->position < 0 || (uint64_t)g->position >= e->ngoals)
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "第%" PRId64
			                  "条年度目标不存在（共%zu条，"
			                  "序号从0开始）",
			                  g->position, e->ngoals);
		else if (seen[g->position] & 2u)
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "第%" PRId64
			                  "条年度目标在本次保存中重复"
			                  "出现",
			                  g->position);
		if (err != JX_OK)
			break;
		seen[g->position] |= 2u;
		snprintf(field, sizeof(field), "goals[%zu].achieved", i);
		if (g->set_achieved && g->achieved != NULL &&
		    (strlen(g->achieved) > JX_MAX_TEXT ||
		     !jx_text_utf8_valid(g->achieved, strlen(g->achieved))))
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "实际完成情况过长（最多%d字节）或不是"
			                  "有效的UTF-8文本",
			                  JX_MAX_TEXT);
	}
	free(seen);
	if (err != JX_OK)
		return err;

	for (i = 0; i < ed->nlines; i++) {
		const struct jx_evals_line_edit *l = &ed->lines[i];
		struct jx_indicator *ind = &e->indicators[l->position];

		if (l->set_actual) {
			ind->actual = dup_or_null(a, l->actual);
			if (ind->actual == NULL && l->actual != NULL &&
			    l->actual[0] != '\0')
				return jx_diag_set(d, JX_ENOMEM, NULL,
				                   "内存不足");
		}
		if (l->set_reason) {
			ind->deviation_reason = dup_or_null(a, l->reason);
			if (ind->deviation_reason == NULL &&
			    l->reason != NULL && l->reason[0] != '\0')
				return jx_diag_set(d, JX_ENOMEM, NULL,
				                   "内存不足");
		}
	}
	for (i = 0; i < ed->ngoals; i++) {
		const struct jx_evals_goal_edit *g = &ed->goals[i];
		struct jx_goal *goal = &e->goals[g->position];

		if (!g->set_achieved)
			continue;
		goal->achieved = dup_or_null(a, g->achieved);
		if (goal->achieved == NULL && g->achieved != NULL &&
		    g->achieved[0] != '\0')
			return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	return JX_OK;
}

/* {"position", "actual", "reason"} of line i of e, appended to arr. */
static int
line_json(json_t *arr, const struct jx_eval *e, int64_t i)
{
	const struct jx_indicator *ind = &e->indicators[i];

	return json_array_append_new(
	        arr, json_pack("{s:I, s:s?, s:s?}", "position", (json_int_t)i,
	                       "actual", ind->actual, "reason",
	                       ind->deviation_reason));
}

static int
goal_json(json_t *arr, const struct jx_eval *e, int64_t i)
{
	return json_array_append_new(arr, json_pack("{s:I, s:s?}", "position",
	                                            (json_int_t)i, "achieved",
	                                            e->goals[i].achieved));
}

enum jx_err
jx_evals_save(struct jx_store *s, const struct jx_who *who, int64_t eval_id,
              const struct jx_evals_edit *ed, int64_t expected_version,
              const struct jx_rules *r, const struct jx_workflow *wf,
              int64_t *new_version, struct jx_diag *d)
{
	struct jx_evals_rec rec;
	struct jx_eval e;
	struct jx_arena a;
	struct jx_result res;
	struct jx_findings f;
	json_t *before = NULL, *after = NULL, *bl, *bg, *al, *ag;
	enum jx_err err;
	size_t i;
	bool own = false, opened = false;
	char now[32];

	jx_eval_init(&e);
	jx_arena_init(&a, 0);
	if (r == NULL || wf == NULL || ed == NULL) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "缺少规则方案或审核流程");
		goto done;
	}
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	opened = true;
	err = load_rec(s, who, eval_id, &rec, d);
	if (err != JX_OK)
		goto done;
	if (!is_role(who, JX_ROLE_UNIT)) {
		err = jx_diag_set(d, JX_EPERM, NULL,
		                  "只有单位填报人员可以修改自评表");
		goto done;
	}
	if (!jx_workflow_editable(wf, rec.status)) {
		err = jx_diag_set(d, JX_EPERM, "status",
		                  "已提交的自评表不能修改（当前状态：%s）",
		                  jx_workflow_state_label(wf, rec.status));
		goto done;
	}
	if (rec.version != expected_version) {
		err = stale(expected_version, rec.version, d);
		goto done;
	}
	err = jx_store_eval_load(s, eval_id, &e, d);
	if (err != JX_OK)
		goto done;

	/* Before and after of what the request names, for the audit log. */
	before = json_pack("{s:I, s:[], s:[]}", "version",
	                   (json_int_t)rec.version, "lines", "goals");
	after = json_pack("{s:I, s:[], s:[]}", "version",
	                  (json_int_t)rec.version + 1, "lines", "goals");
	if (before == NULL || after == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	bl = json_object_get(before, "lines");
	bg = json_object_get(before, "goals");
	al = json_object_get(after, "lines");
	ag = json_object_get(after, "goals");
	for (i = 0; err == JX_OK && i < ed->nlines; i++)
		if (ed->lines[i].position >= 0 &&
		    (uint64_t)ed->lines[i].position < e.nindicators &&
		    line_json(bl, &e, ed->lines[i].position) != 0)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; err == JX_OK && i < ed->ngoals; i++)
		if (ed->goals[i].position >= 0 &&
		    (uint64_t)ed->goals[i].position < e.ngoals &&
		    goal_json(bg, &e, ed->goals[i].position) != 0)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err == JX_OK)
		err = jx_evals_apply(&e, ed, d);
	for (i = 0; err == JX_OK && i < ed->nlines; i++)
		if (line_json(al, &e, ed->lines[i].position) != 0)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; err == JX_OK && i < ed->ngoals; i++)
		if (goal_json(ag, &e, ed->goals[i].position) != 0)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err != JX_OK)
		goto done;

	jx_store_now_utc(now, sizeof(now));
	err = claim(s, eval_id, expected_version, rec.status, NULL, now, d);
	for (i = 0; err == JX_OK && i < ed->ngoals; i++) {
		const struct jx_goal *g = &e.goals[ed->goals[i].position];
		struct jx_db_param p[] = {P_TEXT(g->achieved), P_INT(eval_id),
		                          P_INT(ed->goals[i].position)};

		err = jx_store_run(s,
		                   "UPDATE jx_self_eval_goal SET achieved = ? "
		                   "WHERE eval_id = ? AND position = ?",
		                   p, NP(p), d);
	}
	if (err == JX_OK &&
	    jx_evals_compute(&e, r, true, &a, &res, &f) != JX_OK)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "计算得分失败：内存不足");
	if (err == JX_OK)
		err = write_computed(s, eval_id, &e, r, &res, &f, d);
	if (err == JX_OK) {
		err = jx_store_audit_json(
		        s, who->login, "update", "jx_self_eval", eval_id,
		        before, after, JSON_COMPACT | JSON_SORT_KEYS, d);
		before = after = NULL;
	}
	if (err == JX_OK)
		*new_version = expected_version + 1;
done:
	if (opened)
		err = jx_store_txn_close(s, own, err, d);
	json_decref(before);
	json_decref(after);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	return err;
}

/* ---- workflow ---------------------------------------------------------- */

enum jx_err
jx_evals_transition(struct jx_store *s, const struct jx_who *who,
                    int64_t eval_id, const char *action, const char *comment,
                    int64_t expected_version, const struct jx_workflow *wf,
                    const char **to, int64_t *new_version, struct jx_diag *d)
{
	const struct jx_workflow_transition *t = NULL;
	struct jx_evals_rec rec;
	const char *next;
	enum jx_err err;
	bool own = false, opened = false;
	char now[32];

	if (wf == NULL || action == NULL) {
		err = jx_diag_set(d, JX_EINVAL, "action", "缺少审核操作");
		goto done;
	}
	if (comment != NULL && comment[0] == '\0')
		comment = NULL;
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	opened = true;
	err = load_rec(s, who, eval_id, &rec, d);
	if (err == JX_OK)
		err = jx_workflow_check(wf, rec.status, action, who->role,
		                        rec.has_dept, comment, &t, d);
	if (err != JX_OK)
		goto done;
	if (rec.version != expected_version) {
		err = stale(expected_version, rec.version, d);
		goto done;
	}
	next = wf->states[t->to].key;
	jx_store_now_utc(now, sizeof(now));
	err = claim(s, eval_id, expected_version, rec.status, next, now, d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {
		        P_INT(eval_id),      P_INT(rec.project_id),
		        P_INT(who->user_id), P_TEXT(who->login),
		        P_TEXT(t->action),   P_TEXT(comment),
		        P_TEXT(rec.status),  P_TEXT(next),
		        P_TEXT(now)};

		err = jx_store_run(
		        s,
		        "INSERT INTO jx_review (record_type, record_id, "
		        "project_id, user_id, actor, action, comment, "
		        "from_status, to_status, created_at) VALUES "
		        "('self_eval', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		        p, NP(p), d);
	}
	if (err == JX_OK) {
		json_t *b = json_pack("{s:s, s:I}", "status", rec.status,
		                      "version", (json_int_t)rec.version);
		json_t *a = json_pack("{s:s, s:I, s:s?}", "status", next,
		                      "version", (json_int_t)rec.version + 1,
		                      "comment", comment);

		if (b == NULL || a == NULL) {
			json_decref(b);
			json_decref(a);
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		} else {
			err = jx_store_audit_json(s, who->login, t->action,
			                          "jx_self_eval", eval_id, b, a,
			                          JSON_COMPACT | JSON_SORT_KEYS,
			                          d);
		}
	}
	if (err == JX_OK) {
		*to = next;
		*new_version = expected_version + 1;
	}
done:
	if (opened)
		err = jx_store_txn_close(s, own, err, d);
	return err;
}
