/*
 * board.c - the oversight reads of the web API (board.h): a year's
 * dashboard per supervising department, the caller's inbox and the audit
 * log, each limited to the caller's subtree of the organisation tree.
 *
 * The dashboard costs five queries whatever the number of projects: the
 * departments in scope, whether units sit directly under the finance
 * bureau, one GROUP BY over the year's projects (department x workflow
 * status x grade x score bucket, with the money of each project derived as
 * jx_store_project_funds derives it), the projects with errors (a window
 * keeps the first few per department), and the findings by department,
 * code and severity. Every other figure, the total row included, is added
 * up here from those rows. The inbox is one count and at most one page of
 * items per list; the audit log one count and one page.
 *
 * What this file does not do: write anything, or attach the workflow's
 * Chinese state labels (the HTTP layer knows the workflow it runs).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jx/board.h"
#include "jx/buf.h"
#include "jx/ledger.h"
#include "jx/limits.h"
#include "jx/text.h"

#define NSTATUS 6 /* the workflow's five states and "none" */
#define NGRADE  6 /* 优 良 中 差, another grade, none */
#define NBUCKET 5

#define STATUS_NONE (NSTATUS - 1)
#define GRADE_OTHER 4
#define GRADE_NONE  5

/* The finding code of a missed target without a reason (audit.h). */
#define CODE_MISSING_REASON "MISSING_DEVIATION_REASON"

static const char *const status_keys[NSTATUS] = {
        "draft",    "submitted", "dept_approved", "finance_approved",
        "returned", "none"};
static const char *const grade_keys[NGRADE] = {"优", "良",    "中",
                                               "差", "other", "none"};
static const char *const grade_labels[NGRADE] = {"优", "良",   "中",
                                                 "差", "其他", "未评级"};
/* Score buckets over c_total_m (millionths of a point). */
static const struct {
	const char *range, *min, *max;
} buckets[NBUCKET] = {{"[0,60)", "0", "60"},
                      {"[60,70)", "60", "70"},
                      {"[70,80)", "70", "80"},
                      {"[80,90)", "80", "90"},
                      {"[90,100]", "90", "100"}};

#define DIRECT_NAME "财政直管单位"

/* A project with error findings. */
struct errproj {
	int64_t id;
	const char *code, *name;
	int64_t errors;
};

/* How often a finding code occurs. */
struct codecount {
	const char *code;
	int64_t errors, warnings;
};

/* One row of the dashboard. */
struct group {
	int64_t id; /* department; 0: 财政直管单位; -1: the total */
	const char *name, *code;
	int64_t projects;
	int64_t status[NSTATUS];
	int64_t grade[NGRADE];
	int64_t bucket[NBUCKET];
	int64_t annual_fen, executed_fen;
	int64_t err_projects;
	struct errproj *errs;
	size_t nerrs, caperrs;
	struct codecount *codes;
	size_t ncodes, capcodes;
	int64_t missing_reasons;
};

/* The groups in id order, with their strings, in one arena. */
struct board {
	struct jx_arena a;
	struct group *g;
	size_t n, cap;
};

static struct group *group_get(struct board *b, int64_t id, bool create);
static enum jx_err add_err(struct jx_arena *a, struct group *g,
                           const struct errproj *e);
static enum jx_err add_code(struct jx_arena *a, struct group *g,
                            const char *code, bool error, int64_t n);
static int cmp_err(const void *x, const void *y);
static int cmp_code(const void *x, const void *y);
static enum jx_err check_dept(struct jx_store *s, const struct jx_who *who,
                              int64_t dept_id, struct jx_diag *d);
static enum jx_err load_groups(struct jx_store *s, struct board *b,
                               const struct jx_who *who, const char *like,
                               int year, int64_t dept_id, struct jx_diag *d);
static enum jx_err load_counts(struct jx_store *s, struct board *b,
                               const char *like, int year, int64_t dept_id,
                               struct jx_diag *d);
static enum jx_err load_errors(struct jx_store *s, struct board *b,
                               const char *like, int year, int64_t dept_id,
                               struct jx_diag *d);
static enum jx_err load_findings(struct jx_store *s, struct board *b,
                                 const char *like, int year, int64_t dept_id,
                                 struct jx_diag *d);
static enum jx_err add_total(struct board *b, struct group *t);
static json_t *group_json(const struct group *g, const char *kind, jx_dec tp);
static bool exec_rate(int64_t executed, int64_t annual, jx_dec *rate);
static json_t *dec_json(jx_dec v);
static json_t *text_json(const char *t);
static json_t *item_json(struct jx_store *s, struct jx_db_stmt *st);
static enum jx_err inbox_list(struct jx_store *s, const char *like, size_t k,
                              bool items, json_t *lists, struct jx_diag *d);
static bool table_name_ok(const char *t);
static bool timestamp_ok(const char *t);

/* ---- helpers ----------------------------------------------------------- */

/* The ledger's computation (ledger.h), so that a project page and the
 * dashboard show the same time progress. */
enum jx_err
jx_board_time_progress(int year, const char *today, jx_dec *out,
                       struct jx_diag *d)
{
	if (!jx_text_date(today, NULL, NULL, NULL) ||
	    jx_ledger_time_progress(year, today, out) != JX_OK)
		return jx_diag_set(d, JX_EINVAL, "today",
		                   "当前日期应为 YYYY-MM-DD 格式的有效日期");
	return JX_OK;
}

/* The group of id, created (in id order) when create is set; NULL when
 * missing or out of memory. */
static struct group *
group_get(struct board *b, int64_t id, bool create)
{
	size_t lo = 0, hi = b->n, mid;
	struct group *g;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->g[mid].id == id)
			return &b->g[mid];
		if (b->g[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!create)
		return NULL;
	if (b->n == b->cap) {
		size_t cap = b->cap != 0 ? b->cap * 2 : 16;

		g = jx_arena_grow(&b->a, b->g, b->n, cap, sizeof(*g));
		if (g == NULL)
			return NULL;
		b->g = g;
		b->cap = cap;
	}
	memmove(&b->g[lo + 1], &b->g[lo], (b->n - lo) * sizeof(*g));
	b->n++;
	g = &b->g[lo];
	memset(g, 0, sizeof(*g));
	g->id = id;
	return g;
}

static enum jx_err
add_err(struct jx_arena *a, struct group *g, const struct errproj *e)
{
	if (g->nerrs == g->caperrs) {
		size_t cap = g->caperrs != 0 ? g->caperrs * 2 : 8;
		struct errproj *n =
		        jx_arena_grow(a, g->errs, g->nerrs, cap, sizeof(*n));

		if (n == NULL)
			return JX_ENOMEM;
		g->errs = n;
		g->caperrs = cap;
	}
	g->errs[g->nerrs++] = *e;
	return JX_OK;
}

/* Count n findings of code (error or warning) in g. code is borrowed:
 * copied into a when it is new to g. */
static enum jx_err
add_code(struct jx_arena *a, struct group *g, const char *code, bool error,
         int64_t n)
{
	struct codecount *c = NULL;
	size_t i;

	for (i = 0; i < g->ncodes; i++)
		if (strcmp(g->codes[i].code, code) == 0) {
			c = &g->codes[i];
			break;
		}
	if (c == NULL) {
		if (g->ncodes == g->capcodes) {
			size_t cap = g->capcodes != 0 ? g->capcodes * 2 : 16;
			struct codecount *nc = jx_arena_grow(
			        a, g->codes, g->ncodes, cap, sizeof(*nc));

			if (nc == NULL)
				return JX_ENOMEM;
			g->codes = nc;
			g->capcodes = cap;
		}
		c = &g->codes[g->ncodes];
		memset(c, 0, sizeof(*c));
		c->code = jx_arena_strndup(a, code, strlen(code));
		if (c->code == NULL)
			return JX_ENOMEM;
		g->ncodes++;
	}
	if (error)
		c->errors += n;
	else
		c->warnings += n;
	if (strcmp(code, CODE_MISSING_REASON) == 0)
		g->missing_reasons += n;
	return JX_OK;
}

/* Most errors first, then the lower id (the order of the SQL). */
static int
cmp_err(const void *x, const void *y)
{
	const struct errproj *a = x, *b = y;

	if (a->errors != b->errors)
		return a->errors > b->errors ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* Most frequent first, then by code. */
static int
cmp_code(const void *x, const void *y)
{
	const struct codecount *a = x, *b = y;
	int64_t na = a->errors + a->warnings, nb = b->errors + b->warnings;

	if (na != nb)
		return na > nb ? -1 : 1;
	return strcmp(a->code, b->code);
}

static json_t *
dec_json(jx_dec v)
{
	char num[48];

	jx_dec_format(v, -1, num, sizeof(num));
	return json_string(num);
}

/* Stored text as JSON: null for NULL, and (as jx_store_rows_json does) for
 * text that is not valid UTF-8 rather than failing the whole answer. */
static json_t *
text_json(const char *t)
{
	json_t *v = t != NULL ? json_string(t) : NULL;

	return v != NULL ? v : json_null();
}

/* executed / annual as a percentage to 0.01 into *rate; false when the
 * annual budget is 0. */
static bool
exec_rate(int64_t executed, int64_t annual, jx_dec *rate)
{
	return annual != 0 && jx_dec_muldiv(executed, 100 * JX_DEC_SCALE,
	                                    annual, 2, rate) == JX_OK;
}

/* ---- dashboard ---------------------------------------------------------- */

/* A positive dept_id must be a department in the caller's subtree or the
 * department the caller's own organisation belongs to. */
static enum jx_err
check_dept(struct jx_store *s, const struct jx_who *who, int64_t dept_id,
           struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;
	bool ok = false;

	err = s->ops->query(
	        s->db,
	        "SELECT path FROM jx_org WHERE id = ? AND kind = 'department'",
	        (struct jx_db_param[]){P_INT(dept_id)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK && !s->ops->is_null(st, 0)) {
		const char *path = s->ops->col_text(st, 0);
		size_t mine = strlen(who->org_path), its = strlen(path);

		ok = (its >= mine && memcmp(path, who->org_path, mine) == 0) ||
		     (mine >= its && memcmp(who->org_path, path, its) == 0);
	}
	s->ops->finish(st);
	if (err == JX_EEOF || (err == JX_OK && !ok))
		err = jx_diag_set(d, JX_ENOTFOUND, "dept_id", "主管部门不存在");
	return err;
}

/*
 * The rows of the dashboard before any figure: the departments of the
 * subtree, the one above the caller (a unit's own department), those the
 * projects in scope name, and
 * the direct units' row when units hang directly under a finance bureau in
 * the subtree.
 */
static enum jx_err
load_groups(struct jx_store *s, struct board *b, const struct jx_who *who,
            const char *like, int year, int64_t dept_id, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_TEXT(like),   P_TEXT(who->org_path),
	                          P_INT(year),    P_TEXT(like),
	                          P_INT(dept_id), P_INT(dept_id)};
	struct jx_db_stmt *st = NULL;
	struct group *g;
	int64_t direct = 0;
	enum jx_err err;

	err = s->ops->query(
	        s->db,
	        "SELECT o.id, o.name, o.code FROM jx_org o WHERE "
	        "((o.kind = 'department' AND ((o.path || '') LIKE ? OR ? LIKE "
	        "(o.path || '%'))) OR o.id IN (SELECT p.dept_id FROM "
	        "jx_project p JOIN jx_org u ON u.id = "
	        "p.unit_id WHERE p.year = ? AND (u.path || '') LIKE ?)) AND "
	        "(? < 0 OR o.id = ?) ORDER BY o.id",
	        p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		g = group_get(b, s->ops->col_int(st, 0), true);
		if (g == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		g->name = jx_store_dup_col(st, s->ops, 1, &b->a);
		g->code = jx_store_dup_col(st, s->ops, 2, &b->a);
	}
	s->ops->finish(st);
	if (err != JX_EEOF)
		return err;
	if (dept_id > 0)
		return JX_OK;
	err = jx_store_one_int(
	        s,
	        "SELECT COUNT(*) FROM jx_org u JOIN jx_org f ON f.id = "
	        "u.parent_id WHERE u.kind = 'unit' AND f.kind = 'finance' "
	        "AND (u.path || '') LIKE ?",
	        (struct jx_db_param[]){P_TEXT(like)}, 1, &direct, d);
	if (err == JX_OK && direct > 0 && group_get(b, 0, true) == NULL)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	return err;
}

/* The year's projects in scope: department, status, grade, score bucket
 * and money, grouped. */
static enum jx_err
load_counts(struct jx_store *s, struct board *b, const char *like, int year,
            int64_t dept_id, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(year), P_TEXT(like), P_INT(dept_id),
	                          P_INT(dept_id)};
	struct jx_db_stmt *st = NULL;
	enum jx_err err;
	size_t i;

	/* Money as ledger.h and jx_store_project_funds see it: executed is
	 * the sum of payments where any are recorded, the annual budget the
	 * initial one plus adjustments where any are recorded, from the
	 * project's newest 'total' funds row. Each is grouped once for all
	 * projects, not looked up per project. Buckets in millionths of a
	 * point. */
	err = s->ops->query(
	        s->db,
	        "SELECT x.g, x.st, x.gr, x.b, COUNT(*), "
	        "COALESCE(SUM(x.annual), 0), COALESCE(SUM(x.executed), 0), "
	        "SUM(x.err) "
	        "FROM (SELECT COALESCE(p.dept_id, 0) AS g, "
	        "COALESCE(e.status, 'none') AS st, e.c_grade AS gr, "
	        "CASE WHEN e.c_total_m IS NULL THEN -1 "
	        "WHEN e.c_total_m < 60000000 THEN 0 "
	        "WHEN e.c_total_m < 70000000 THEN 1 "
	        "WHEN e.c_total_m < 80000000 THEN 2 "
	        "WHEN e.c_total_m < 90000000 THEN 3 ELSE 4 END AS b, "
	        "CASE WHEN a.n > 0 AND f.initial_fen IS NOT NULL THEN "
	        "f.initial_fen + a.s ELSE f.annual_fen END AS annual, "
	        "CASE WHEN pay.n > 0 THEN pay.s ELSE f.executed_fen END "
	        "AS executed, CASE WHEN e.c_errors > 0 THEN 1 ELSE 0 END AS "
	        "err "
	        "FROM jx_project p JOIN jx_org u ON u.id = p.unit_id "
	        "LEFT JOIN jx_self_eval e ON e.project_id = p.id "
	        "LEFT JOIN (SELECT project_id, MAX(id) AS id FROM jx_fund "
	        "WHERE kind = 'total' GROUP BY project_id) ft ON "
	        "ft.project_id = p.id LEFT JOIN jx_fund f ON f.id = ft.id "
	        "LEFT JOIN (SELECT project_id, COUNT(*) AS n, "
	        "SUM(amount_fen) AS s FROM jx_payment GROUP BY project_id) "
	        "pay ON pay.project_id = p.id "
	        "LEFT JOIN (SELECT project_id, COUNT(*) AS n, "
	        "SUM(amount_fen) AS s FROM jx_adjustment GROUP BY "
	        "project_id) a ON a.project_id = p.id "
	        "WHERE p.year = ? AND (u.path || '') LIKE ? AND "
	        "(? < 0 OR COALESCE(p.dept_id, 0) = ?)) x "
	        "GROUP BY x.g, x.st, x.gr, x.b",
	        p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		struct group *g = group_get(b, s->ops->col_int(st, 0), true);
		const char *status = s->ops->col_text(st, 1);
		const char *grade =
		        s->ops->is_null(st, 2) ? NULL : s->ops->col_text(st, 2);
		int64_t bucket = s->ops->col_int(st, 3);
		int64_t n = s->ops->col_int(st, 4);

		if (g == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		g->projects += n;
		for (i = 0; i < STATUS_NONE; i++)
			if (status != NULL &&
			    strcmp(status, status_keys[i]) == 0)
				break;
		/* The schema's CHECK allows no other status; one would
		 * count as "none". */
		g->status[i] += n;
		if (i == STATUS_NONE || grade == NULL || grade[0] == '\0') {
			g->grade[GRADE_NONE] += n;
		} else {
			for (i = 0; i < GRADE_OTHER; i++)
				if (strcmp(grade, grade_keys[i]) == 0)
					break;
			g->grade[i] += n;
		}
		if (bucket >= 0 && bucket < NBUCKET)
			g->bucket[bucket] += n;
		g->annual_fen += s->ops->col_int(st, 5);
		g->executed_fen += s->ops->col_int(st, 6);
		g->err_projects += s->ops->col_int(st, 7);
	}
	s->ops->finish(st);
	return err == JX_EEOF ? JX_OK : err;
}

/* Projects whose self-evaluation has errors: the first
 * JX_BOARD_ERRORS_MAX of each department (load_counts counts them). */
static enum jx_err
load_errors(struct jx_store *s, struct board *b, const char *like, int year,
            int64_t dept_id, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(year), P_TEXT(like), P_INT(dept_id),
	                          P_INT(dept_id), P_INT(JX_BOARD_ERRORS_MAX)};
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	/* The window sorts narrow rows; names are joined to the few kept.
	 * "p.year + 0" keeps SQLite's planner (no statistics) from walking
	 * jx_project_dept for the partition order, a random read per
	 * project that took twice as long as the scan at 100,000 projects. */
	err = s->ops->query(
	        s->db,
	        "SELECT x.g, q.id, q.code, q.name, x.errors FROM "
	        "(SELECT COALESCE(p.dept_id, 0) AS g, p.id AS id, "
	        "e.c_errors AS errors, "
	        "ROW_NUMBER() OVER (PARTITION BY COALESCE(p.dept_id, 0) "
	        "ORDER BY e.c_errors DESC, p.id) AS rn "
	        "FROM jx_project p JOIN jx_org u ON u.id = p.unit_id "
	        "JOIN jx_self_eval e ON e.project_id = p.id "
	        "WHERE p.year + 0 = ? AND (u.path || '') LIKE ? AND "
	        "(? < 0 OR COALESCE(p.dept_id, 0) = ?) AND e.c_errors > 0) x "
	        "JOIN jx_project q ON q.id = x.id "
	        "WHERE x.rn <= ? ORDER BY x.g, x.rn",
	        p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		struct group *g = group_get(b, s->ops->col_int(st, 0), true);
		struct errproj e;

		if (g == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		e.id = s->ops->col_int(st, 1);
		e.code = jx_store_dup_col(st, s->ops, 2, &b->a);
		e.name = jx_store_dup_col(st, s->ops, 3, &b->a);
		e.errors = s->ops->col_int(st, 4);
		if (e.code == NULL || e.name == NULL ||
		    add_err(&b->a, g, &e) != JX_OK)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	s->ops->finish(st);
	return err == JX_EEOF ? JX_OK : err;
}

/* The findings of the year's self-evaluations in scope by department,
 * code and severity. */
static enum jx_err
load_findings(struct jx_store *s, struct board *b, const char *like, int year,
              int64_t dept_id, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(year), P_TEXT(like), P_INT(dept_id),
	                          P_INT(dept_id)};
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	err = s->ops->query(
	        s->db,
	        "SELECT COALESCE(p.dept_id, 0), fd.code, fd.severity, "
	        "COUNT(*) FROM jx_project p JOIN jx_org u ON u.id = p.unit_id "
	        "JOIN jx_self_eval e ON e.project_id = p.id "
	        "JOIN jx_finding fd ON fd.eval_id = e.id "
	        "WHERE p.year = ? AND (u.path || '') LIKE ? AND "
	        "(? < 0 OR COALESCE(p.dept_id, 0) = ?) AND fd.severity IN "
	        "('error', 'warning') "
	        "GROUP BY COALESCE(p.dept_id, 0), fd.code, fd.severity",
	        p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		struct group *g = group_get(b, s->ops->col_int(st, 0), true);

		if (g == NULL ||
		    add_code(&b->a, g, s->ops->col_text(st, 1),
		             strcmp(s->ops->col_text(st, 2), "error") == 0,
		             s->ops->col_int(st, 3)) != JX_OK) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
	}
	s->ops->finish(st);
	return err == JX_EEOF ? JX_OK : err;
}

/* The total row: the sum of every row, its error projects and codes
 * merged (the first few overall are among each row's first few). */
static enum jx_err
add_total(struct board *b, struct group *t)
{
	size_t i, j;

	memset(t, 0, sizeof(*t));
	t->id = -1;
	for (i = 0; i < b->n; i++) {
		const struct group *g = &b->g[i];

		t->projects += g->projects;
		for (j = 0; j < NSTATUS; j++)
			t->status[j] += g->status[j];
		for (j = 0; j < NGRADE; j++)
			t->grade[j] += g->grade[j];
		for (j = 0; j < NBUCKET; j++)
			t->bucket[j] += g->bucket[j];
		t->annual_fen += g->annual_fen;
		t->executed_fen += g->executed_fen;
		t->err_projects += g->err_projects;
		for (j = 0; j < g->nerrs; j++)
			if (add_err(&b->a, t, &g->errs[j]) != JX_OK)
				return JX_ENOMEM;
		for (j = 0; j < g->ncodes; j++) {
			if (add_code(&b->a, t, g->codes[j].code, true,
			             g->codes[j].errors) != JX_OK ||
			    add_code(&b->a, t, g->codes[j].code, false,
			             g->codes[j].warnings) != JX_OK)
				return JX_ENOMEM;
		}
	}
	return JX_OK;
}

/* One row of the dashboard as JSON; NULL when out of memory. kind:
 * "department", "direct" or "total". */
static json_t *
group_json(const struct group *g, const char *kind, jx_dec tp)
{
	json_t *o = json_object(), *arr, *it, *dept;
	struct errproj *errs = g->errs;
	struct codecount *codes = g->codes;
	jx_dec rate = 0, gap = 0;
	bool has_rate;
	size_t i;
	int fail = 0;

	if (o == NULL)
		return NULL;
	if (g->id > 0)
		dept = json_pack("{s:I, s:o, s:o}", "id", (json_int_t)g->id,
		                 "name", text_json(g->name), "code",
		                 text_json(g->code));
	else if (g->id == 0)
		dept = json_pack("{s:n, s:s, s:n}", "id", "name", DIRECT_NAME,
		                 "code");
	else
		dept = json_null();
	fail |= json_object_set_new(o, "dept", dept);
	fail |= json_object_set_new(o, "kind", json_string(kind));
	fail |= json_object_set_new(o, "projects", json_integer(g->projects));
	fail |= json_object_set_new(
	        o, "evals", json_integer(g->projects - g->status[STATUS_NONE]));

	arr = json_array();
	for (i = 0; arr != NULL && i < NSTATUS; i++)
		fail |= json_array_append_new(
		        arr, json_pack("{s:s, s:I}", "key", status_keys[i],
		                       "count", (json_int_t)g->status[i]));
	fail |= json_object_set_new(o, "by_status", arr);

	arr = json_array();
	for (i = 0; arr != NULL && i < NGRADE; i++) {
		if (i == GRADE_OTHER && g->grade[i] == 0)
			continue;
		fail |= json_array_append_new(
		        arr, json_pack("{s:s, s:s, s:I}", "key", grade_keys[i],
		                       "label", grade_labels[i], "count",
		                       (json_int_t)g->grade[i]));
	}
	fail |= json_object_set_new(o, "by_grade", arr);

	fail |= json_object_set_new(o, "annual_fen",
	                            json_integer(g->annual_fen));
	fail |= json_object_set_new(o, "executed_fen",
	                            json_integer(g->executed_fen));
	has_rate = exec_rate(g->executed_fen, g->annual_fen, &rate);
	fail |= json_object_set_new(o, "execution_rate",
	                            has_rate ? dec_json(rate) : json_null());
	fail |= json_object_set_new(o, "time_progress", dec_json(tp));
	/* Points the execution runs ahead of (or, negative, behind) the
	 * time progress, as the ledger's gap. */
	fail |= json_object_set_new(
	        o, "gap",
	        has_rate && jx_dec_sub(rate, tp, &gap) == JX_OK ? dec_json(gap)
	                                                        : json_null());

	arr = json_array();
	for (i = 0; arr != NULL && i < NBUCKET; i++)
		fail |= json_array_append_new(
		        arr, json_pack("{s:s, s:s, s:s, s:I}", "range",
		                       buckets[i].range, "min", buckets[i].min,
		                       "max", buckets[i].max, "count",
		                       (json_int_t)g->bucket[i]));
	fail |= json_object_set_new(o, "scores", arr);

	if (g->nerrs > 1)
		qsort(errs, g->nerrs, sizeof(*errs), cmp_err);
	arr = json_array();
	for (i = 0; arr != NULL && i < g->nerrs && i < JX_BOARD_ERRORS_MAX; i++)
		fail |= json_array_append_new(
		        arr, json_pack("{s:I, s:o, s:o, s:I}", "id",
		                       (json_int_t)errs[i].id, "code",
		                       text_json(errs[i].code), "name",
		                       text_json(errs[i].name), "errors",
		                       (json_int_t)errs[i].errors));
	it = json_pack("{s:I, s:o}", "count", (json_int_t)g->err_projects,
	               "items", arr);
	fail |= json_object_set_new(o, "error_projects", it);
	fail |= json_object_set_new(o, "missing_deviation_reasons",
	                            json_integer(g->missing_reasons));

	if (g->ncodes > 1)
		qsort(codes, g->ncodes, sizeof(*codes), cmp_code);
	arr = json_array();
	for (i = 0; arr != NULL && i < g->ncodes && i < JX_BOARD_CODES_MAX; i++)
		fail |= json_array_append_new(
		        arr,
		        json_pack("{s:s, s:I, s:I, s:I}", "code", codes[i].code,
		                  "count",
		                  (json_int_t)(codes[i].errors +
		                               codes[i].warnings),
		                  "errors", (json_int_t)codes[i].errors,
		                  "warnings", (json_int_t)codes[i].warnings));
	fail |= json_object_set_new(o, "top_findings", arr);
	if (fail != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

enum jx_err
jx_board_dashboard(struct jx_store *s, const struct jx_who *who, int year,
                   int64_t dept_id, const char *today, json_t **out,
                   struct jx_diag *d)
{
	struct board b;
	struct group total;
	char like[JX_MAX_PATH];
	json_t *o = NULL, *rows = NULL, *row;
	jx_dec tp = 0;
	enum jx_err err;
	size_t i;
	int pass, fail = 0;

	memset(&b, 0, sizeof(b));
	jx_arena_init(&b.a, 0);
	err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err == JX_OK && dept_id < JX_BOARD_ALL_DEPTS)
		err = jx_diag_set(d, JX_EINVAL, "dept_id", "主管部门编号无效");
	if (err == JX_OK)
		err = jx_board_time_progress(year, today, &tp, d);
	if (err == JX_OK && dept_id > 0)
		err = check_dept(s, who, dept_id, d);
	if (err == JX_OK)
		err = load_groups(s, &b, who, like, year, dept_id, d);
	if (err == JX_OK)
		err = load_counts(s, &b, like, year, dept_id, d);
	if (err == JX_OK)
		err = load_errors(s, &b, like, year, dept_id, d);
	if (err == JX_OK)
		err = load_findings(s, &b, like, year, dept_id, d);
	if (err == JX_OK && add_total(&b, &total) != JX_OK)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err != JX_OK)
		goto done;

	o = json_object();
	rows = json_array();
	if (o == NULL || rows == NULL) {
		json_decref(rows);
		goto nomem;
	}
	/* Departments in id order, then the direct units. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < b.n; i++) {
			if ((pass == 0) != (b.g[i].id > 0))
				continue;
			row = group_json(&b.g[i],
			                 pass == 0 ? "department" : "direct",
			                 tp);
			fail |= row == NULL;
			fail |= json_array_append_new(rows, row);
		}
	fail |= json_object_set_new(o, "year", json_integer(year));
	fail |= json_object_set_new(o, "today", json_string(today));
	fail |= json_object_set_new(o, "dept_id",
	                            dept_id >= 0 ? json_integer(dept_id)
	                                         : json_null());
	fail |= json_object_set_new(o, "time_progress", dec_json(tp));
	fail |= json_object_set_new(o, "departments", rows);
	row = group_json(&total, "total", tp);
	fail |= row == NULL;
	fail |= json_object_set_new(o, "total", row);
	if (fail != 0)
		goto nomem;
	*out = o;
	o = NULL;
	goto done;
nomem:
	err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
done:
	json_decref(o);
	jx_arena_cleanup(&b.a);
	return err;
}

/* ---- inbox -------------------------------------------------------------- */

/* The items of one list: self-evaluations and goal versions of the
 * caller's subtree whose status satisfies se / gv, newest first, at most
 * LIMIT ?, each with its newest review comment. */
#define SE_PART(cond)                                                          \
	"SELECT 'self_eval' AS rtype, e.id AS id, p.id AS pid, p.code AS "     \
	"pcode, p.name AS pname, e.status AS status, e.updated_at AS "         \
	"updated_at FROM jx_self_eval e JOIN jx_project p ON p.id = "          \
	"e.project_id JOIN jx_org u ON u.id = p.unit_id WHERE (u.path || '') " \
	"LIKE ? "                                                              \
	"AND " cond
#define GV_PART(cond)                                                          \
	"SELECT 'goal_version', g.id, p.id, p.code, p.name, g.wf_status, "     \
	"COALESCE(g.updated_at, g.created_at) FROM jx_goal_version g JOIN "    \
	"jx_project p ON p.id = g.project_id JOIN jx_org u ON u.id = "         \
	"p.unit_id WHERE (u.path || '') LIKE ? AND " cond
#define ITEMS_SQL(se, gv)                                                      \
	"SELECT x.rtype, x.id, x.pid, x.pcode, x.pname, x.status, "            \
	"x.updated_at, r.comment, r.actor, r.action, r.created_at FROM "       \
	"(SELECT * FROM (" SE_PART(se) " UNION ALL " GV_PART(                  \
	        gv) ") y "                                                     \
	            "ORDER BY y.updated_at DESC, y.rtype DESC, y.id DESC "     \
	            "LIMIT ?) x "                                              \
	            "LEFT JOIN jx_review r ON r.id = (SELECT MAX(r2.id) FROM " \
	            "jx_review "                                               \
	            "r2 WHERE r2.record_type = x.rtype AND r2.record_id = "    \
	            "x.id AND "                                                \
	            "r2.comment IS NOT NULL AND r2.comment <> '') "            \
	            "ORDER BY x.updated_at DESC, x.rtype DESC, x.id DESC"
#define COUNT_SQL(se, gv)                                                      \
	"SELECT (SELECT COUNT(*) FROM jx_self_eval e JOIN jx_project p ON "    \
	"p.id = e.project_id JOIN jx_org u ON u.id = p.unit_id WHERE u.path "  \
	"LIKE ? AND " se ") + (SELECT COUNT(*) FROM jx_goal_version g JOIN "   \
	"jx_project p ON p.id = g.project_id JOIN jx_org u ON u.id = "         \
	"p.unit_id WHERE (u.path || '') LIKE ? AND " gv ")"

#define IS_DRAFT_SE    "e.status = 'draft'"
#define IS_DRAFT_GV    "g.wf_status = 'draft'"
#define IS_RETURNED_SE "e.status = 'returned'"
#define IS_RETURNED_GV "g.wf_status = 'returned'"
#define AWAIT_DEPT_SE  "e.status = 'submitted' AND p.dept_id IS NOT NULL"
#define AWAIT_DEPT_GV  "g.wf_status = 'submitted' AND p.dept_id IS NOT NULL"
#define AWAIT_FIN_SE                                                           \
	"(e.status = 'dept_approved' OR (e.status = 'submitted' AND "          \
	"p.dept_id IS NULL))"
#define AWAIT_FIN_GV                                                           \
	"(g.wf_status = 'dept_approved' OR (g.wf_status = 'submitted' AND "    \
	"p.dept_id IS NULL))"

static const struct {
	const char *key, *label;
	const char *items_sql, *count_sql;
} inbox_lists[] = {
        {"returned", "已退回，待修改",
         ITEMS_SQL(IS_RETURNED_SE, IS_RETURNED_GV),
         COUNT_SQL(IS_RETURNED_SE, IS_RETURNED_GV)},
        {"draft", "草稿，待提交", ITEMS_SQL(IS_DRAFT_SE, IS_DRAFT_GV),
         COUNT_SQL(IS_DRAFT_SE, IS_DRAFT_GV)},
        {"awaiting_dept", "待主管部门审核",
         ITEMS_SQL(AWAIT_DEPT_SE, AWAIT_DEPT_GV),
         COUNT_SQL(AWAIT_DEPT_SE, AWAIT_DEPT_GV)},
        {"awaiting_finance", "待财政审核",
         ITEMS_SQL(AWAIT_FIN_SE, AWAIT_FIN_GV),
         COUNT_SQL(AWAIT_FIN_SE, AWAIT_FIN_GV)},
};

#define L_RETURNED 0
#define L_DRAFT    1
#define L_DEPT     2
#define L_FINANCE  3

/* The current row of an items query as an inbox item; NULL when out of
 * memory. */
static json_t *
item_json(struct jx_store *s, struct jx_db_stmt *st)
{
#define COL(i)                                                                 \
	text_json(s->ops->is_null(st, (i)) ? NULL : s->ops->col_text(st, (i)))
	json_t *o, *c;

	c = s->ops->is_null(st, 7)
	            ? json_null()
	            : json_pack("{s:o, s:o, s:o, s:o}", "comment", COL(7),
	                        "actor", COL(8), "action", COL(9), "at",
	                        COL(10));
	o = json_pack("{s:o, s:I, s:{s:I, s:o, s:o}, s:o, s:o, s:o}", "type",
	              COL(0), "id", (json_int_t)s->ops->col_int(st, 1),
	              "project", "id", (json_int_t)s->ops->col_int(st, 2),
	              "code", COL(3), "name", COL(4), "status", COL(5),
	              "updated_at", COL(6), "last_comment", c);
#undef COL
	return o;
}

/* Append list k ({"key", "label", "total"[, "items"]}) to lists. */
static enum jx_err
inbox_list(struct jx_store *s, const char *like, size_t k, bool items,
           json_t *lists, struct jx_diag *d)
{
	struct jx_db_param p[] = {P_TEXT(like), P_TEXT(like),
	                          P_INT(JX_BOARD_INBOX_MAX)};
	struct jx_db_stmt *st = NULL;
	json_t *o, *arr = NULL, *it;
	int64_t total = 0;
	enum jx_err err;

	err = jx_store_one_int(s, inbox_lists[k].count_sql, p, 2, &total, d);
	if (err != JX_OK)
		return err;
	o = json_pack("{s:s, s:s, s:I}", "key", inbox_lists[k].key, "label",
	              inbox_lists[k].label, "total", (json_int_t)total);
	if (o == NULL || json_array_append_new(lists, o) != 0)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (!items)
		return JX_OK;
	arr = json_array();
	if (arr == NULL || json_object_set_new(o, "items", arr) != 0)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	err = s->ops->query(s->db, inbox_lists[k].items_sql, p, NP(p), &st, d);
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		it = item_json(s, st);
		if (it == NULL || json_array_append_new(arr, it) != 0) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
	}
	s->ops->finish(st);
	return err == JX_EEOF ? JX_OK : err;
}

enum jx_err
jx_board_inbox(struct jx_store *s, const struct jx_who *who, json_t **out,
               struct jx_diag *d)
{
	static const size_t unit[] = {L_RETURNED, L_DRAFT};
	static const size_t dept[] = {L_DEPT};
	static const size_t fin[] = {L_FINANCE};
	static const size_t all[] = {L_RETURNED, L_DRAFT, L_DEPT, L_FINANCE};
	char like[JX_MAX_PATH];
	const size_t *which = NULL;
	size_t n = 0, i;
	bool items = true;
	json_t *o = NULL, *lists;
	enum jx_err err;

	err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err != JX_OK)
		return err;
	if (who->role != NULL && strcmp(who->role, JX_ROLE_UNIT) == 0) {
		which = unit;
		n = NP(unit);
	} else if (who->role != NULL && strcmp(who->role, JX_ROLE_DEPT) == 0) {
		which = dept;
		n = NP(dept);
	} else if (who->role != NULL &&
	           strcmp(who->role, JX_ROLE_FINANCE) == 0) {
		which = fin;
		n = NP(fin);
	} else if (who->role != NULL && strcmp(who->role, JX_ROLE_ADMIN) == 0) {
		which = all;
		n = NP(all);
		items = false;
	} else {
		return jx_diag_set(d, JX_EINVAL, "role", "未知的角色“%s”",
		                   who->role != NULL ? who->role : "");
	}
	lists = json_array();
	o = json_pack("{s:s, s:o}", "role", who->role, "lists", lists);
	if (o == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; err == JX_OK && i < n; i++)
		err = inbox_list(s, like, which[i], items, lists, d);
	if (err != JX_OK) {
		json_decref(o);
		return err;
	}
	*out = o;
	return JX_OK;
}

/* ---- audit log ---------------------------------------------------------- */

/* A table name: 1..63 of [a-z_]. */
static bool
table_name_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0'; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_') || i >= 63)
			return false;
	return i > 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with a real date and time. */
static bool
timestamp_ok(const char *t)
{
	char date[11];
	size_t i;

	if (strlen(t) != 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
	    t[19] != 'Z')
		return false;
	for (i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (t[i] < '0' || t[i] > '9'))
			return false;
	if ((t[11] - '0') * 10 + (t[12] - '0') > 23 ||
	    (t[14] - '0') * 10 + (t[15] - '0') > 59 ||
	    (t[17] - '0') * 10 + (t[18] - '0') > 59)
		return false;
	memcpy(date, t, 10);
	date[10] = '\0';
	return jx_text_date(date, NULL, NULL, NULL);
}

enum jx_err
jx_board_audit(struct jx_store *s, const struct jx_who *who,
               const struct jx_board_audit_filter *f, int64_t page,
               int64_t per_page, json_t **items, int64_t *total,
               struct jx_diag *d)
{
	static const struct jx_store_col cols[] = {
	        {"id", JX_STORE_COL_INT},
	        {"at", JX_STORE_COL_TEXT},
	        {"actor", JX_STORE_COL_TEXT},
	        {"action", JX_STORE_COL_TEXT},
	        {"table", JX_STORE_COL_TEXT},
	        {"record_id", JX_STORE_COL_INT},
	        {"before", JX_STORE_COL_TEXT},
	        {"after", JX_STORE_COL_TEXT},
	        {"before_omitted", JX_STORE_COL_BOOL},
	        {"after_omitted", JX_STORE_COL_BOOL},
	        {NULL, 0}};
	struct jx_db_param p[8];
	struct jx_buf where, sql;
	char table[80], from[24], to[24];
	const char *slash;
	json_t *arr = NULL;
	int64_t n = 0;
	size_t np = 0;
	enum jx_err err = JX_OK;

	jx_buf_init(&where, 4096);
	jx_buf_init(&sql, 8192);
	if (who == NULL || who->org_path == NULL || who->org_path[0] != '/') {
		err = jx_diag_set(d, JX_EINVAL, NULL, "调用者没有所属组织");
		goto done;
	}
	/* A root's path is "/ID/": one slash after the first. */
	slash = strchr(who->org_path + 1, '/');
	if (slash == NULL || slash[1] != '\0') {
		err = jx_diag_set(d, JX_EPERM, NULL,
		                  "只有财政局的用户可以查看审计日志");
		goto done;
	}
	if (page < 1 || per_page < 1 || per_page > JX_HTTP_PAGE_MAX) {
		err = jx_diag_set(d, JX_EINVAL, "page", "分页参数无效");
		goto done;
	}
	if (page > INT64_MAX / per_page) {
		err = jx_diag_set(d, JX_EINVAL, "page", "页码过大");
		goto done;
	}
	err = jx_buf_adds(&where, " WHERE 1 = 1");
	if (err == JX_OK && f != NULL && f->table != NULL) {
		if (!table_name_ok(f->table)) {
			err = jx_diag_set(d, JX_EINVAL, "table",
			                  "表名只能由小写字母和下划线组成");
			goto done;
		}
		snprintf(table, sizeof(table), "%s%s",
		         strncmp(f->table, "jx_", 3) == 0 ? "" : "jx_",
		         f->table);
		p[np++] = P_TEXT(table);
		err = jx_buf_adds(&where, " AND table_name = ?");
	}
	if (err == JX_OK && f != NULL && f->record_id != 0) {
		if (f->record_id < 0) {
			err = jx_diag_set(d, JX_EINVAL, "record_id",
			                  "记录编号应为正整数");
			goto done;
		}
		p[np++] = P_INT(f->record_id);
		err = jx_buf_adds(&where, " AND record_id = ?");
	}
	if (err == JX_OK && f != NULL && f->actor != NULL) {
		p[np++] = P_TEXT(f->actor);
		err = jx_buf_adds(&where, " AND actor = ?");
	}
	if (err == JX_OK && f != NULL && f->from != NULL) {
		if (jx_text_date(f->from, NULL, NULL, NULL))
			snprintf(from, sizeof(from), "%sT00:00:00Z", f->from);
		else if (timestamp_ok(f->from))
			snprintf(from, sizeof(from), "%s", f->from);
		else {
			err = jx_diag_set(d, JX_EINVAL, "from",
			                  "起始时间应为 YYYY-MM-DD 或 "
			                  "YYYY-MM-DDTHH:MM:SSZ");
			goto done;
		}
		p[np++] = P_TEXT(from);
		err = jx_buf_adds(&where, " AND at >= ?");
	}
	if (err == JX_OK && f != NULL && f->to != NULL) {
		if (jx_text_date(f->to, NULL, NULL, NULL))
			snprintf(to, sizeof(to), "%sT23:59:59Z", f->to);
		else if (timestamp_ok(f->to))
			snprintf(to, sizeof(to), "%s", f->to);
		else {
			err = jx_diag_set(d, JX_EINVAL, "to",
			                  "截止时间应为 YYYY-MM-DD 或 "
			                  "YYYY-MM-DDTHH:MM:SSZ");
			goto done;
		}
		if (f->from != NULL && strcmp(from, to) > 0) {
			err = jx_diag_set(d, JX_EINVAL, "to",
			                  "截止时间早于起始时间");
			goto done;
		}
		p[np++] = P_TEXT(to);
		err = jx_buf_adds(&where, " AND at <= ?");
	}
	if (err == JX_OK)
		err = jx_buf_printf(&sql, "SELECT COUNT(*) FROM jx_audit_log%s",
		                    where.data);
	if (err == JX_OK)
		err = jx_store_one_int(s, sql.data, p, np, &n, d);
	if (err != JX_OK)
		goto done;
	jx_buf_reset(&sql);
	p[np++] = P_INT(per_page);
	p[np++] = P_INT((page - 1) * per_page);
	/* A re-imported self-evaluation logs its whole document: texts
	 * past the limit are left out of the page and flagged. */
	err = jx_buf_printf(
	        &sql,
	        "SELECT id, at, actor, action, table_name, record_id, "
	        "CASE WHEN LENGTH(before_json) > %d THEN NULL ELSE before_json "
	        "END, CASE WHEN LENGTH(after_json) > %d THEN NULL ELSE "
	        "after_json END, CASE WHEN LENGTH(before_json) > %d THEN 1 "
	        "ELSE 0 END, CASE WHEN LENGTH(after_json) > %d THEN 1 ELSE 0 "
	        "END FROM jx_audit_log%s ORDER BY id DESC LIMIT ? OFFSET ?",
	        JX_BOARD_AUDIT_TEXT_MAX, JX_BOARD_AUDIT_TEXT_MAX,
	        JX_BOARD_AUDIT_TEXT_MAX, JX_BOARD_AUDIT_TEXT_MAX, where.data);
	arr = json_array();
	if (err == JX_OK && arr == NULL)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err == JX_OK)
		err = jx_store_rows_json(s, sql.data, p, np, cols, arr, d);
	if (err == JX_OK) {
		*items = arr;
		*total = n;
		arr = NULL;
	}
done:
	if (err == JX_ENOMEM || err == JX_ETOOBIG)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	json_decref(arr);
	jx_buf_free(&where);
	jx_buf_free(&sql);
	return err;
}
