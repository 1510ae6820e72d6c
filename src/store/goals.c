/*
 * goals.c - goal versions, goals and indicators (绩效目标申报) for the web
 * API (goals.h): list a project's versions, read one in full, save the
 * content of the current version or start an adjusted one, and move a
 * version through the review workflow, recording the review.
 *
 * The rows are those of store.c (jx_goal_version, jx_goal, jx_indicator,
 * jx_review); a version saved here has the same columns an import writes
 * (the typed target beside its text, the content signature), so that the
 * self-evaluation built from it and `jixiao db export` read it like an
 * imported one. Every query is scoped in SQL: the project's unit must lie
 * under the caller's org path. Every write is one transaction; the row
 * version is checked in the UPDATE itself, so two writers holding the same
 * version cannot both pass.
 *
 * What this file does not do: check route roles (the route table), read
 * the workflow file (workflow.c), or format HTTP bodies (h_goals.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jx/buf.h"
#include "jx/dec.h"
#include "jx/goals.h"
#include "jx/limits.h"
#include "jx/text.h"
#include "jx/value.h"

/* The unit org "o" of the project "p" lies in the caller's subtree. */
#define SCOPED_PROJECT                                                         \
	"FROM jx_project p JOIN jx_org o ON o.id = p.unit_id "                 \
	"LEFT JOIN jx_org dp ON dp.id = p.dept_id "                            \
	"WHERE p.id = ? AND (o.path || '') LIKE ?"

#define VERSION_COLS                                                           \
	"v.id, v.number, v.stage, v.wf_status, v.row_version, v.reason, "      \
	"v.created_by, v.created_at, v.updated_at, v.approved_at"

#define SCOPE_CAP 300 /* bytes of a LIKE pattern of an org path */

/* The latest version of a project, as a save sees it. */
struct latest {
	bool exists;
	int64_t id;
	int64_t number;
	int64_t row_version;
	char status[64];
	char stage[16];
};

static const struct jx_store_col version_cols[] = {
        {"id", JX_STORE_COL_INT},
        {"number", JX_STORE_COL_INT},
        {"stage", JX_STORE_COL_TEXT},
        {"status", JX_STORE_COL_TEXT},
        {"version", JX_STORE_COL_INT},
        {"reason", JX_STORE_COL_TEXT},
        {"created_by", JX_STORE_COL_TEXT},
        {"created_at", JX_STORE_COL_TEXT},
        {"updated_at", JX_STORE_COL_TEXT},
        {"approved_at", JX_STORE_COL_TEXT},
        {NULL, 0}};

static const struct jx_store_col goal_cols[] = {
        {"kind", JX_STORE_COL_TEXT}, {"text", JX_STORE_COL_TEXT}, {NULL, 0}};

static const struct jx_store_col indicator_cols[] = {
        {"position", JX_STORE_COL_INT},
        {"level1", JX_STORE_COL_TEXT},
        {"level2", JX_STORE_COL_TEXT},
        {"name", JX_STORE_COL_TEXT},
        {"target", JX_STORE_COL_TEXT},
        {"unit", JX_STORE_COL_TEXT},
        {"nature", JX_STORE_COL_TEXT},
        {"weight", JX_STORE_COL_DEC},
        {NULL, 0}};

static const struct jx_store_col review_cols[] = {
        {"action", JX_STORE_COL_TEXT},
        {"actor", JX_STORE_COL_TEXT},
        {"comment", JX_STORE_COL_TEXT},
        {"from_status", JX_STORE_COL_TEXT},
        {"to_status", JX_STORE_COL_TEXT},
        {"created_at", JX_STORE_COL_TEXT},
        {NULL, 0}};

static bool blank(const char *s);
static const char *trim_dup(struct jx_arena *a, const char *s, bool *oom);
static enum jx_err check_text(const char *s, size_t max_chars, bool required,
                              const char *field, const char *what,
                              struct jx_diag *d);
static void level1_names(const struct jx_rules *r, char *buf, size_t cap);
static enum jx_err nomem(struct jx_diag *d);
static enum jx_err project_json(struct jx_store *s, const char *scope,
                                int64_t project_id, json_t **out,
                                int64_t *dept_id, struct jx_diag *d);
static enum jx_err versions_json(struct jx_store *s, int64_t project_id,
                                 json_t **out, struct jx_diag *d);
static enum jx_err version_json(struct jx_store *s, int64_t version_id,
                                json_t **out, struct jx_diag *d);
static enum jx_err content_json(struct jx_store *s, int64_t version_id,
                                char **out, struct jx_diag *d);
static enum jx_err whole(struct jx_store *s, const char *scope,
                         int64_t project_id, int64_t version_id, json_t **out,
                         struct jx_diag *d);
static enum jx_err read_latest(struct jx_store *s, int64_t project_id,
                               struct latest *l, struct jx_diag *d);
static void signature(const struct jx_goals_content *c, char out[17]);
static enum jx_err write_content(struct jx_store *s, int64_t version_id,
                                 const struct jx_goals_content *c,
                                 const struct jx_rules *r, struct jx_diag *d);
static enum jx_err stale(struct jx_diag *d, int64_t got, int64_t want);

/* ---- helpers ----------------------------------------------------------- */

/* NULL, empty or only white space (as jx_text_trim sees it). */
static bool
blank(const char *s)
{
	size_t n;

	if (s == NULL)
		return true;
	n = strlen(s);
	jx_text_trim(&s, &n);
	return n == 0;
}

/* s trimmed, copied into a; NULL for a blank s (or, with *oom set, when a
 * is out of memory). */
static const char *
trim_dup(struct jx_arena *a, const char *s, bool *oom)
{
	const char *out;
	size_t n;

	if (blank(s))
		return NULL;
	n = strlen(s);
	jx_text_trim(&s, &n);
	out = jx_arena_strndup(a, s, n);
	if (out == NULL)
		*oom = true;
	return out;
}

/* A text field: valid UTF-8, at most max_chars characters, and (when
 * required) not blank. */
static enum jx_err
check_text(const char *s, size_t max_chars, bool required, const char *field,
           const char *what, struct jx_diag *d)
{
	size_t n;

	if (blank(s))
		return required ? jx_diag_set(d, JX_EINVAL, field, "%s不能为空",
		                              what)
		                : JX_OK;
	if (!jx_text_utf8_valid(s, strlen(s)))
		return jx_diag_set(d, JX_EINVAL, field,
		                   "%s含有无效的 UTF-8 字符", what);
	n = jx_text_utf8_count(s, strlen(s));
	if (n > max_chars)
		return jx_diag_set(d, JX_EINVAL, field,
		                   "%s过长：%zu 个字符，最多 %zu 个", what, n,
		                   max_chars);
	return JX_OK;
}

/* The rule set's first-level names, "、"-separated. */
static void
level1_names(const struct jx_rules *r, char *buf, size_t cap)
{
	size_t i, n;

	buf[0] = '\0';
	for (i = 0; r != NULL && i < r->nlevel1; i++) {
		n = strlen(buf);
		snprintf(buf + n, cap - n, "%s%s", i > 0 ? "、" : "",
		         r->level1[i].name);
	}
	buf[jx_text_utf8_cut(buf, strlen(buf))] = '\0';
}

static enum jx_err
nomem(struct jx_diag *d)
{
	return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
}

static enum jx_err
stale(struct jx_diag *d, int64_t got, int64_t want)
{
	return jx_diag_set(d, JX_ECONFLICT, "version",
	                   "绩效目标已被他人修改（您的版本号 %" PRId64
	                   "，当前为 %" PRId64 "），请刷新后重试",
	                   got, want);
}

/* ---- checking ---------------------------------------------------------- */

enum jx_err
jx_goals_check(const struct jx_goals_content *c, const struct jx_rules *r,
               struct jx_diag *d)
{
	char field[96], what[96], names[400];
	size_t i;
	enum jx_err err = JX_OK;

	if (c == NULL || (c->ngoals > 0 && c->goals == NULL) ||
	    (c->nindicators > 0 && c->indicators == NULL))
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	if (c->ngoals > JX_MAX_GOALS)
		return jx_diag_set(d, JX_ETOOBIG, "goals",
		                   "目标过多：%zu 条，最多 %d 条", c->ngoals,
		                   JX_MAX_GOALS);
	if (c->nindicators > JX_MAX_INDICATORS)
		return jx_diag_set(d, JX_ETOOBIG, "indicators",
		                   "指标过多：%zu 项，最多 %d 项",
		                   c->nindicators, JX_MAX_INDICATORS);
	err = check_text(c->reason, JX_MAX_TEXT, false, "reason", "调整原因",
	                 d);
	for (i = 0; err == JX_OK && i < c->ngoals; i++) {
		const struct jx_goals_goal *g = &c->goals[i];

		snprintf(field, sizeof(field), "goals[%zu].kind", i);
		if (g->kind == NULL || (strcmp(g->kind, "annual") != 0 &&
		                        strcmp(g->kind, "multi_year") != 0)) {
			err = jx_diag_set(
			        d, JX_EINVAL, field,
			        "第%zu条目标：类型应为 annual（年度目标）"
			        "或 multi_year（实施期目标）",
			        i + 1);
			break;
		}
		snprintf(field, sizeof(field), "goals[%zu].text", i);
		snprintf(what, sizeof(what), "第%zu条目标：内容", i + 1);
		err = check_text(g->text, JX_MAX_TEXT, true, field, what, d);
	}
	for (i = 0; err == JX_OK && i < c->nindicators; i++) {
		const struct jx_goals_indicator *ind = &c->indicators[i];
		static const struct {
			size_t off;
			const char *key;
			const char *what;
			size_t max;
			bool required;
		} texts[] = {
		        {offsetof(struct jx_goals_indicator, level1), "level1",
		         "一级指标", JX_GOALS_WORD_MAX, true},
		        {offsetof(struct jx_goals_indicator, level2), "level2",
		         "二级指标", JX_GOALS_WORD_MAX, false},
		        {offsetof(struct jx_goals_indicator, name), "name",
		         "指标名称", JX_GOALS_NAME_MAX, true},
		        {offsetof(struct jx_goals_indicator, target), "target",
		         "指标值", JX_MAX_VALUE_TEXT / 4, false},
		        {offsetof(struct jx_goals_indicator, unit), "unit",
		         "计量单位", JX_GOALS_WORD_MAX, false},
		        {offsetof(struct jx_goals_indicator, nature), "nature",
		         "指标性质", JX_GOALS_WORD_MAX, false},
		};
		size_t k;

		for (k = 0; err == JX_OK && k < sizeof(texts) / sizeof(*texts);
		     k++) {
			const char *v;

			memcpy(&v, (const char *)ind + texts[k].off, sizeof(v));
			snprintf(field, sizeof(field), "indicators[%zu].%s", i,
			         texts[k].key);
			snprintf(what, sizeof(what), "第%zu项指标：%s", i + 1,
			         texts[k].what);
			err = check_text(v, texts[k].max, texts[k].required,
			                 field, what, d);
		}
		if (err != JX_OK)
			break;
		if (jx_rules_level1_find(r, ind->level1) == NULL) {
			level1_names(r, names, sizeof(names));
			snprintf(field, sizeof(field), "indicators[%zu].level1",
			         i);
			err = jx_diag_set(
			        d, JX_EINVAL, field,
			        "第%zu项指标：一级指标“%s”不在规则方案"
			        "“%s”中（可用：%s）",
			        i + 1, ind->level1,
			        r != NULL && r->name != NULL ? r->name : "",
			        names);
			break;
		}
		if (ind->has_weight && ind->weight < 0) {
			snprintf(field, sizeof(field), "indicators[%zu].weight",
			         i);
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "第%zu项指标：权重不能为负数", i + 1);
		}
	}
	return err;
}

/* ---- reading ----------------------------------------------------------- */

/* The project (in scope) as {"id", "code", "name", "year", "unit": {...},
 * "dept": {...} | null}; *dept_id (may be NULL) 0 when it has none. */
static enum jx_err
project_json(struct jx_store *s, const char *scope, int64_t project_id,
             json_t **out, int64_t *dept_id, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(project_id), P_TEXT(scope)};
	struct jx_db_stmt *st = NULL;
	json_t *o = NULL, *unit, *dept;
	enum jx_err err;

	err = s->ops->query(s->db,
	                    "SELECT p.id, p.code, p.name, p.year, o.id, "
	                    "o.name, dp.id, dp.name " SCOPED_PROJECT,
	                    p, NP(p), &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, NULL, "项目不存在");
		goto done;
	}
	if (err != JX_OK)
		goto done;
	unit = json_pack("{s:I, s:s?}", "id",
	                 (json_int_t)s->ops->col_int(st, 4), "name",
	                 s->ops->col_text(st, 5));
	dept = s->ops->is_null(st, 6)
	               ? json_null()
	               : json_pack("{s:I, s:s?}", "id",
	                           (json_int_t)s->ops->col_int(st, 6), "name",
	                           s->ops->col_text(st, 7));
	o = json_pack("{s:I, s:s?, s:s?, s:I, s:o?, s:o?}", "id",
	              (json_int_t)s->ops->col_int(st, 0), "code",
	              s->ops->col_text(st, 1), "name", s->ops->col_text(st, 2),
	              "year", (json_int_t)s->ops->col_int(st, 3), "unit", unit,
	              "dept", dept);
	if (o == NULL || unit == NULL || dept == NULL) {
		err = nomem(d);
		goto done;
	}
	if (dept_id != NULL)
		*dept_id = s->ops->is_null(st, 6) ? 0 : s->ops->col_int(st, 6);
	*out = o;
	o = NULL;
done:
	s->ops->finish(st);
	json_decref(o);
	return err;
}

static enum jx_err
versions_json(struct jx_store *s, int64_t project_id, json_t **out,
              struct jx_diag *d)
{
	json_t *arr = json_array();
	enum jx_err err;

	if (arr == NULL)
		return nomem(d);
	err = jx_store_rows_json(s,
	                         "SELECT " VERSION_COLS
	                         " FROM jx_goal_version v WHERE "
	                         "v.project_id = ? ORDER BY v.number DESC",
	                         (struct jx_db_param[]){P_INT(project_id)}, 1,
	                         version_cols, arr, d);
	if (err == JX_OK)
		*out = arr;
	else
		json_decref(arr);
	return err;
}

/* Version version_id (not scoped: the caller checked) with its project id,
 * goals, indicators and reviews. */
static enum jx_err
version_json(struct jx_store *s, int64_t version_id, json_t **out,
             struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(version_id)};
	json_t *v = NULL, *goals = json_array(), *inds = json_array(),
	       *revs = json_array();
	int64_t project = 0;
	enum jx_err err = JX_OK;

	if (goals == NULL || inds == NULL || revs == NULL) {
		err = nomem(d);
		goto done;
	}
	err = jx_store_row_json(s,
	                        "SELECT " VERSION_COLS
	                        " FROM jx_goal_version v WHERE v.id = ?",
	                        p, NP(p), version_cols, &v, d);
	if (err == JX_ENOTFOUND)
		jx_diag_set(d, err, NULL, "绩效目标版本不存在");
	if (err == JX_OK)
		err = jx_store_one_int(
		        s,
		        "SELECT project_id FROM jx_goal_version WHERE id = ?",
		        p, NP(p), &project, d);
	if (err == JX_OK)
		err = jx_store_rows_json(s,
		                         "SELECT kind, text FROM jx_goal WHERE "
		                         "version_id = ? ORDER BY position",
		                         p, NP(p), goal_cols, goals, d);
	if (err == JX_OK)
		err = jx_store_rows_json(
		        s,
		        "SELECT position, level1, level2, name, target_text, "
		        "unit, nature, weight_m FROM jx_indicator WHERE "
		        "version_id = ? ORDER BY position",
		        p, NP(p), indicator_cols, inds, d);
	if (err == JX_OK)
		err = jx_store_rows_json(
		        s,
		        "SELECT action, actor, comment, from_status, "
		        "to_status, "
		        "created_at FROM jx_review WHERE record_type = "
		        "'goal_version' AND record_id = ? ORDER BY id",
		        p, NP(p), review_cols, revs, d);
	if (err != JX_OK)
		goto done;
	if (json_object_set_new(v, "project_id", json_integer(project)) != 0 ||
	    json_object_set(v, "goals", goals) != 0 ||
	    json_object_set(v, "indicators", inds) != 0 ||
	    json_object_set(v, "reviews", revs) != 0) {
		err = nomem(d);
		goto done;
	}
	*out = v;
	v = NULL;
done:
	json_decref(v);
	json_decref(goals);
	json_decref(inds);
	json_decref(revs);
	return err;
}

/* The content of a version as compact JSON for the audit log (malloc'd):
 * its number, stage, state, reason, goals and indicators. */
static enum jx_err
content_json(struct jx_store *s, int64_t version_id, char **out,
             struct jx_diag *d)
{
	json_t *v = NULL;
	enum jx_err err = version_json(s, version_id, &v, d);

	if (err == JX_OK) {
		json_object_del(v, "reviews");
		json_object_del(v, "created_at");
		*out = json_dumps(v, JSON_COMPACT);
		if (*out == NULL)
			err = nomem(d);
	}
	json_decref(v);
	return err;
}

/* {"project", "goal_version", "versions"} of project_id (in scope) with
 * version_id in full (0: the latest, null when there is none). */
static enum jx_err
whole(struct jx_store *s, const char *scope, int64_t project_id,
      int64_t version_id, json_t **out, struct jx_diag *d)
{
	json_t *o = NULL, *proj = NULL, *vers = NULL, *ver = NULL;
	enum jx_err err;

	err = project_json(s, scope, project_id, &proj, NULL, d);
	if (err == JX_OK)
		err = versions_json(s, project_id, &vers, d);
	if (err == JX_OK && version_id == 0 && json_array_size(vers) > 0)
		version_id = json_integer_value(
		        json_object_get(json_array_get(vers, 0), "id"));
	if (err == JX_OK && version_id != 0)
		err = version_json(s, version_id, &ver, d);
	if (err != JX_OK)
		goto done;
	o = json_pack("{s:O, s:O, s:O}", "project", proj, "goal_version",
	              ver != NULL ? ver : json_null(), "versions", vers);
	if (o == NULL) {
		err = nomem(d);
		goto done;
	}
	*out = o;
done:
	json_decref(proj);
	json_decref(vers);
	json_decref(ver);
	return err;
}

enum jx_err
jx_goals_list(struct jx_store *s, const struct jx_who *who, int64_t project_id,
              json_t **items, struct jx_diag *d)
{
	char scope[SCOPE_CAP];
	json_t *proj = NULL;
	enum jx_err err;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err == JX_OK)
		err = project_json(s, scope, project_id, &proj, NULL, d);
	if (err == JX_OK)
		err = versions_json(s, project_id, items, d);
	json_decref(proj);
	return err;
}

enum jx_err
jx_goals_get(struct jx_store *s, const struct jx_who *who, int64_t project_id,
             json_t **out, struct jx_diag *d)
{
	char scope[SCOPE_CAP];
	enum jx_err err;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err == JX_OK)
		err = whole(s, scope, project_id, 0, out, d);
	return err;
}

enum jx_err
jx_goals_version(struct jx_store *s, const struct jx_who *who,
                 int64_t version_id, json_t **out, struct jx_diag *d)
{
	char scope[SCOPE_CAP];
	int64_t project = 0;
	enum jx_err err;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_INT(version_id), P_TEXT(scope)};

		err = jx_store_one_int(
		        s,
		        "SELECT v.project_id FROM jx_goal_version v JOIN "
		        "jx_project p ON p.id = v.project_id JOIN jx_org o ON "
		        "o.id = p.unit_id WHERE v.id = ? AND (o.path || '') "
		        "LIKE ?",
		        p, NP(p), &project, d);
		if (err == JX_ENOTFOUND)
			jx_diag_set(d, err, NULL, "绩效目标版本不存在");
	}
	if (err == JX_OK)
		err = whole(s, scope, project, version_id, out, d);
	return err;
}

/* ---- saving ------------------------------------------------------------ */

static enum jx_err
read_latest(struct jx_store *s, int64_t project_id, struct latest *l,
            struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	memset(l, 0, sizeof(*l));
	err = s->ops->query(s->db,
	                    "SELECT id, number, row_version, wf_status, stage "
	                    "FROM jx_goal_version WHERE project_id = ? ORDER "
	                    "BY number DESC LIMIT 1",
	                    (struct jx_db_param[]){P_INT(project_id)}, 1, &st,
	                    d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		l->exists = true;
		l->id = s->ops->col_int(st, 0);
		l->number = s->ops->col_int(st, 1);
		l->row_version = s->ops->col_int(st, 2);
		snprintf(l->status, sizeof(l->status), "%s",
		         s->ops->col_text(st, 3));
		snprintf(l->stage, sizeof(l->stage), "%s",
		         s->ops->col_text(st, 4));
	} else if (err == JX_EEOF) {
		err = JX_OK;
	}
	s->ops->finish(st);
	return err;
}

/* What the indicators promise, as store.c's goal_signature computes it
 * for an import (so that importing the same content adds no version):
 * level 1, level 2, name, target and weight of each indicator, then each
 * goal's text. */
static void
signature(const struct jx_goals_content *c, char out[17])
{
	struct jx_buf b;
	size_t i;

	jx_buf_init(&b, 64u << 20);
	for (i = 0; i < c->nindicators; i++) {
		const struct jx_goals_indicator *ind = &c->indicators[i];
		char w[32] = "";

		if (ind->has_weight)
			jx_dec_format(ind->weight, -1, w, sizeof(w));
		jx_buf_printf(&b, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1e",
		              ind->level1 != NULL ? ind->level1 : "",
		              ind->level2 != NULL ? ind->level2 : "",
		              ind->name != NULL ? ind->name : "",
		              ind->target != NULL ? ind->target : "", w);
	}
	for (i = 0; i < c->ngoals; i++)
		jx_buf_printf(&b, "%s\x1e",
		              c->goals[i].text != NULL ? c->goals[i].text : "");
	jx_store_hash_hex(b.data, b.len, out);
	jx_buf_free(&b);
}

/* Insert the goals and indicators of c (already trimmed) under
 * version_id. */
static enum jx_err
write_content(struct jx_store *s, int64_t version_id,
              const struct jx_goals_content *c, const struct jx_rules *r,
              struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	size_t i;

	for (i = 0; err == JX_OK && i < c->ngoals; i++) {
		struct jx_db_param p[] = {
		        P_INT(version_id), P_TEXT(c->goals[i].kind),
		        P_INT((int64_t)i), P_TEXT(c->goals[i].text)};

		err = jx_store_run(s,
		                   "INSERT INTO jx_goal (version_id, kind, "
		                   "position, text) VALUES (?, ?, ?, ?)",
		                   p, NP(p), d);
	}
	for (i = 0; err == JX_OK && i < c->nindicators; i++) {
		const struct jx_goals_indicator *ind = &c->indicators[i];
		struct jx_goals_meaning m;
		bool num;

		jx_goals_meaning(ind->target, ind->unit, ind->name, ind->level2,
		                 r, &m);
		num = m.v.kind == JX_VALUE_NUMBER;
		{
			struct jx_db_param p[] = {
			        P_INT(version_id),
			        P_INT((int64_t)i),
			        P_TEXT(ind->level1),
			        P_TEXT(ind->level2),
			        P_TEXT(ind->name),
			        P_TEXT(ind->target),
			        P_TEXT(num ? jx_value_cmp_symbol(m.v.cmp)
			                   : NULL),
			        num ? P_INT(m.v.num) : P_NULL,
			        P_TEXT(ind->unit),
			        P_TEXT(ind->nature),
			        ind->has_weight ? P_INT(ind->weight) : P_NULL};

			err = jx_store_run(
			        s,
			        "INSERT INTO jx_indicator (version_id, "
			        "position, "
			        "level1, level2, name, target_text, cmp, "
			        "target_m, unit, nature, weight_m) VALUES "
			        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			        p, NP(p), d);
		}
	}
	return err;
}

enum jx_err
jx_goals_save(struct jx_store *s, const struct jx_who *who,
              const struct jx_workflow *wf, const struct jx_rules *r,
              int64_t project_id, const struct jx_goals_content *c,
              int64_t *version_id, bool *created, struct jx_diag *d)
{
	char scope[SCOPE_CAP], now[32], sig[17];
	struct jx_goals_content t;
	struct jx_goals_goal *goals = NULL;
	struct jx_goals_indicator *inds = NULL;
	struct jx_arena a;
	struct latest l;
	json_t *proj = NULL;
	char *before = NULL, *after = NULL;
	const char *initial = jx_workflow_initial_key(wf), *reason;
	int64_t id = 0, changed = 0;
	bool own = false, oom = false, is_new = false, open = false;
	size_t i;
	enum jx_err err;

	jx_arena_init(&a, 0);
	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err == JX_OK && initial == NULL)
		err = jx_diag_set(d, JX_EINVAL, NULL, "审核流程未加载");
	if (err == JX_OK)
		err = jx_goals_check(c, r, d);
	if (err != JX_OK)
		goto out;

	/* The content as stored: trimmed, blanks as NULL. */
	t = *c;
	goals = jx_arena_calloc(&a, c->ngoals + 1, sizeof(*goals));
	inds = jx_arena_calloc(&a, c->nindicators + 1, sizeof(*inds));
	if (goals == NULL || inds == NULL) {
		err = nomem(d);
		goto out;
	}
	for (i = 0; i < c->ngoals; i++) {
		goals[i].kind = c->goals[i].kind;
		goals[i].text = trim_dup(&a, c->goals[i].text, &oom);
	}
	for (i = 0; i < c->nindicators; i++) {
		const struct jx_goals_indicator *src = &c->indicators[i];

		inds[i] = *src;
		inds[i].level1 = trim_dup(&a, src->level1, &oom);
		inds[i].level2 = trim_dup(&a, src->level2, &oom);
		inds[i].name = trim_dup(&a, src->name, &oom);
		inds[i].target = trim_dup(&a, src->target, &oom);
		inds[i].unit = trim_dup(&a, src->unit, &oom);
		inds[i].nature = trim_dup(&a, src->nature, &oom);
	}
	t.goals = goals;
	t.indicators = inds;
	reason = trim_dup(&a, c->reason, &oom);
	t.reason = reason;
	if (oom) {
		err = nomem(d);
		goto out;
	}
	signature(&t, sig);
	jx_store_now_utc(now, sizeof(now));

	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto out;
	open = true;
	err = project_json(s, scope, project_id, &proj, NULL, d);
	if (err == JX_OK)
		err = read_latest(s, project_id, &l, d);
	if (err != JX_OK)
		goto done;

	if (l.exists && c->version != l.row_version) {
		err = stale(d, c->version, l.row_version);
		goto done;
	}
	if (!l.exists && c->version != 0) {
		err = jx_diag_set(d, JX_ECONFLICT, "version",
		                  "该项目还没有绩效目标（版本号应为 0），"
		                  "请刷新后重试");
		goto done;
	}
	if (l.exists && jx_workflow_editable(wf, l.status)) {
		/* Replace the current version's content. */
		id = l.id;
		err = content_json(s, id, &before, d);
		if (err == JX_OK) {
			struct jx_db_param p[] = {P_TEXT(sig), P_TEXT(reason),
			                          P_TEXT(now), P_INT(id),
			                          P_INT(l.row_version)};

			/* A reason left blank keeps the one given before. */
			err = jx_store_run_changes(
			        s,
			        "UPDATE jx_goal_version SET row_version = "
			        "row_version + 1, signature = ?, reason = "
			        "COALESCE(?, reason), updated_at = ? WHERE id "
			        "= ? "
			        "AND row_version = ?",
			        p, NP(p), &changed, d);
		}
		if (err == JX_OK && changed != 1)
			err = stale(d, c->version, l.row_version + 1);
		if (err == JX_OK)
			err = jx_store_run(
			        s, "DELETE FROM jx_goal WHERE version_id = ?",
			        (struct jx_db_param[]){P_INT(id)}, 1, d);
		if (err == JX_OK)
			err = jx_store_run(
			        s,
			        "DELETE FROM jx_indicator WHERE version_id = ?",
			        (struct jx_db_param[]){P_INT(id)}, 1, d);
	} else if (!l.exists || jx_workflow_final(wf, l.status)) {
		/* A first declaration, or an adjustment of approved goals. */
		if (l.exists && reason == NULL) {
			err = jx_diag_set(d, JX_EINVAL, "reason",
			                  "绩效目标已经财政审核，修改将生成调整"
			                  "版本，须填写调整原因");
			goto done;
		}
		{
			struct jx_db_param p[] = {
			        P_INT(project_id),
			        P_INT(l.number + 1),
			        P_TEXT(l.exists ? "adjusted" : "declared"),
			        P_TEXT(initial),
			        P_TEXT(sig),
			        P_TEXT(reason),
			        P_TEXT(who->login),
			        P_TEXT(now),
			        P_TEXT(now)};

			err = jx_store_one_int(
			        s,
			        "INSERT INTO jx_goal_version (project_id, "
			        "number, "
			        "stage, status, wf_status, row_version, "
			        "signature, reason, created_by, created_at, "
			        "updated_at) VALUES (?, ?, ?, 'draft', ?, 1, "
			        "?, "
			        "?, ?, ?, ?) RETURNING id",
			        p, NP(p), &id, d);
		}
		/* Another writer created the same number first. */
		if (err == JX_ECONFLICT)
			jx_diag_set(d, err, "version",
			            "绩效目标已被他人修改，请刷新后重试");
		is_new = true;
	} else {
		err = jx_diag_set(d, JX_ECONFLICT, NULL,
		                  "绩效目标第%" PRId64 "版正处于“%s”状态，"
		                  "审核完成或退回之前不能修改",
		                  l.number,
		                  jx_workflow_state_label(wf, l.status));
		goto done;
	}
	if (err == JX_OK)
		err = write_content(s, id, &t, r, d);
	if (err == JX_OK)
		err = content_json(s, id, &after, d);
	if (err == JX_OK)
		err = jx_store_audit(s, who->login,
		                     is_new ? "create" : "update",
		                     "jx_goal_version", id, before, after, d);
done:
	if (open)
		err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK) {
		*version_id = id;
		if (created != NULL)
			*created = is_new;
	}
out:
	json_decref(proj);
	free(before);
	free(after);
	jx_arena_cleanup(&a);
	return err;
}

/* ---- the workflow ------------------------------------------------------ */

enum jx_err
jx_goals_transition(struct jx_store *s, const struct jx_who *who,
                    const struct jx_workflow *wf, int64_t version_id,
                    const char *action, const char *comment,
                    int64_t expected_version, int64_t *project_id,
                    struct jx_diag *d)
{
	const struct jx_workflow_transition *t = NULL;
	struct jx_db_stmt *st = NULL;
	char scope[SCOPE_CAP], now[32], from[64] = "";
	json_t *before = NULL, *after = NULL;
	char *note = NULL;
	int64_t project = 0, number = 0, latest = 0, rv = 0, changed = 0;
	const char *to, *cs;
	size_t cn;
	bool own = false, has_dept = false, final;
	enum jx_err err;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err != JX_OK)
		return err;
	if (wf == NULL || action == NULL)
		return jx_diag_set(d, JX_EINVAL, "action", "参数无效");
	cs = comment != NULL ? comment : "";
	cn = strlen(cs);
	jx_text_trim(&cs, &cn);
	if (cn > 0 && (note = strndup(cs, cn)) == NULL)
		return nomem(d);
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto out;
	{
		struct jx_db_param p[] = {P_INT(version_id), P_TEXT(scope)};

		err = s->ops->query(
		        s->db,
		        "SELECT v.project_id, v.number, v.row_version, "
		        "v.wf_status, p.dept_id, (SELECT MAX(w.number) FROM "
		        "jx_goal_version w WHERE w.project_id = v.project_id) "
		        "FROM jx_goal_version v JOIN jx_project p ON p.id = "
		        "v.project_id JOIN jx_org o ON o.id = p.unit_id WHERE "
		        "v.id = ? AND (o.path || '') LIKE ?",
		        p, NP(p), &st, d);
	}
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		project = s->ops->col_int(st, 0);
		number = s->ops->col_int(st, 1);
		rv = s->ops->col_int(st, 2);
		snprintf(from, sizeof(from), "%s", s->ops->col_text(st, 3));
		has_dept = !s->ops->is_null(st, 4);
		latest = s->ops->col_int(st, 5);
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, NULL, "绩效目标版本不存在");
	}
	s->ops->finish(st);
	if (err == JX_OK && rv != expected_version)
		err = stale(d, expected_version, rv);
	if (err == JX_OK && number != latest)
		err = jx_diag_set(d, JX_ECONFLICT, NULL,
		                  "第%" PRId64
		                  "版已不是最新版本（最新为第%" PRId64
		                  "版），只能对最新版本执行审核操作",
		                  number, latest);
	if (err == JX_OK)
		err = jx_workflow_check(wf, from, action, who->role, has_dept,
		                        note, &t, d);
	if (err != JX_OK)
		goto done;
	to = wf->states[t->to].key;
	final = wf->states[t->to].final;
	{
		struct jx_db_param p[] = {
		        P_TEXT(to),        P_TEXT(final ? "approved" : "draft"),
		        P_TEXT(now),       P_TEXT(final ? now : NULL),
		        P_INT(version_id), P_INT(expected_version)};

		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_goal_version SET wf_status = ?, status = ?, "
		        "row_version = row_version + 1, updated_at = ?, "
		        "approved_at = ? WHERE id = ? AND row_version = ?",
		        p, NP(p), &changed, d);
	}
	if (err == JX_OK && changed != 1)
		err = stale(d, expected_version, expected_version + 1);
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_TEXT("goal_version"),
		                          P_INT(version_id),
		                          P_INT(project),
		                          P_INT(who->user_id),
		                          P_TEXT(who->login),
		                          P_TEXT(action),
		                          P_TEXT(note),
		                          P_TEXT(from),
		                          P_TEXT(to),
		                          P_TEXT(now)};

		err = jx_store_run(
		        s,
		        "INSERT INTO jx_review (record_type, record_id, "
		        "project_id, user_id, actor, action, comment, "
		        "from_status, to_status, created_at) VALUES (?, ?, ?, "
		        "?, ?, ?, ?, ?, ?, ?)",
		        p, NP(p), d);
	}
	if (err == JX_OK) {
		before = json_pack("{s:s, s:I}", "status", from, "version",
		                   (json_int_t)expected_version);
		after = json_pack("{s:s, s:I, s:s, s:s?}", "status", to,
		                  "version", (json_int_t)(expected_version + 1),
		                  "action", action, "comment", note);
		if (before == NULL || after == NULL) {
			err = nomem(d);
		} else {
			err = jx_store_audit_json(
			        s, who->login, action, "jx_goal_version",
			        version_id, before, after, JSON_COMPACT, d);
			before = after = NULL;
		}
	}
done:
	err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK && project_id != NULL)
		*project_id = project;
out:
	json_decref(before);
	json_decref(after);
	free(note);
	return err;
}

/* ---- what a target means ------------------------------------------------ */

void
jx_goals_meaning(const char *target, const char *unit, const char *name,
                 const char *level2, const struct jx_rules *r,
                 struct jx_goals_meaning *out)
{
	static const char *const dir_text[] = {"", "越高越好", "越低越好",
	                                       "等于目标值为达成"};
	const struct jx_unit *u;
	const char *t = target != NULL ? target : "", *us = unit;
	size_t un = unit != NULL ? strlen(unit) : 0, n;
	int tier;

	memset(out, 0, sizeof(*out));
	jx_value_parse(t, strlen(t), name, &out->v);
	if (us != NULL)
		jx_text_trim(&us, &un);
	switch (out->v.kind) {
	case JX_VALUE_NUMBER:
		/* "95" with the unit column "%" means 95%. */
		if (out->v.unit == NULL && un > 0 &&
		    (u = jx_value_unit_find(us, un)) != NULL)
			out->v.unit = u;
		out->cmp = out->v.cmp;
		if (out->cmp == JX_CMP_NONE) {
			out->cmp = jx_rules_bare_cmp(r, level2);
			out->cmp_implied = true;
		}
		out->dir = out->cmp == JX_CMP_GE || out->cmp == JX_CMP_GT
		                   ? JX_GOALS_DIR_HIGHER
		           : out->cmp == JX_CMP_LE || out->cmp == JX_CMP_LT
		                   ? JX_GOALS_DIR_LOWER
		                   : JX_GOALS_DIR_EQUAL;
		out->unit = out->v.unit != NULL ? out->v.unit->name
		            : un > 0            ? unit
		                                : NULL;
		jx_dec_format(out->v.num, -1, out->value, sizeof(out->value));
		if (out->cmp_implied)
			snprintf(out->text, sizeof(out->text),
			         "%s "
			         "%s%s，%s（未写比较符号，按规则方案视为“%s”）",
			         jx_value_cmp_symbol(out->cmp), out->value,
			         out->unit != NULL ? out->unit : "",
			         dir_text[out->dir],
			         jx_value_cmp_symbol(out->cmp));
		else
			snprintf(out->text, sizeof(out->text), "%s %s%s，%s",
			         jx_value_cmp_symbol(out->cmp), out->value,
			         out->unit != NULL ? out->unit : "",
			         dir_text[out->dir]);
		break;
	case JX_VALUE_WORD:
		tier = jx_rules_word_tier(r, out->v.word, out->v.word_len);
		out->tier = tier;
		n = out->v.word_len < 300 ? out->v.word_len
		                          : jx_text_utf8_cut(out->v.word, 300);
		if (tier >= 1 && tier <= 3)
			snprintf(out->text, sizeof(out->text),
			         "定性指标“%.*s”，属第%d档（%s）", (int)n,
			         out->v.word, tier, r->tiers[tier - 1].label);
		else
			snprintf(out->text, sizeof(out->text),
			         "定性指标“%.*s”，规则方案的词表中没有这个词，"
			         "评分时须人工判断",
			         (int)n, out->v.word);
		break;
	case JX_VALUE_UNPARSED:
		snprintf(out->text, sizeof(out->text), "无法解析：%s",
		         out->v.error != NULL ? out->v.error : "");
		break;
	case JX_VALUE_EMPTY:
	default:
		snprintf(out->text, sizeof(out->text), "未填写指标值");
		break;
	}
	out->text[jx_text_utf8_cut(out->text, strlen(out->text))] = '\0';
}
