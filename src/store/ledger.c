/*
 * ledger.c - projects and their money for the web API (ledger.h): scoped
 * lists and reads, creating and editing projects, the budget, adjustments
 * and payments, execution against the time elapsed in the year, and a
 * project's history.
 *
 * A project is in the caller's scope when the path of its unit
 * (jx_org.path, "/1/5/12/") starts with the caller's; every query here
 * joins jx_org for that, so a project outside the scope is simply not
 * found. A list runs in two steps: first the ids of one page (filtered,
 * sorted and paged with only the joins the filter and the order need),
 * then that page's rows with their money, self-evaluation and goal status.
 * Money is computed here in C from the stored figures, exactly; SQL
 * computes a ratio only to order rows by execution rate, never to show it.
 *
 * What this file does not do: check roles (the route table), workflow
 * states (workflow.h), HTTP (src/http/h_projects.c, h_money.c) or the
 * schema (store.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "jx/buf.h"
#include "jx/dec.h"
#include "jx/ledger.h"
#include "jx/limits.h"
#include "jx/text.h"

#define STR2(x) #x
#define STR(x)  STR2(x)

/* The project's 'total' fund row: the newest when a re-import left two. */
#define FUND_JOIN                                                              \
	"LEFT JOIN jx_fund f ON f.id = (SELECT MAX(f2.id) FROM jx_fund f2 "    \
	"WHERE f2.project_id = p.id AND f2.kind = 'total') "
/* Sums over no rows are NULL: "none recorded". */
#define PAY_SUM                                                                \
	"(SELECT CAST(SUM(pm.amount_fen) AS BIGINT) FROM jx_payment pm "       \
	"WHERE pm.project_id = p.id)"
#define ADJ_SUM                                                                \
	"(SELECT CAST(SUM(aj.amount_fen) AS BIGINT) FROM jx_adjustment aj "    \
	"WHERE aj.project_id = p.id)"
#define SCOPE_FROM "FROM jx_project p JOIN jx_org u ON u.id = p.unit_id "

/* Everything a list item, a project page and the funds need; the columns
 * are named by enum col below. */
#define ITEM_SQL                                                               \
	"SELECT p.id, p.code, p.name, p.year, u.id, u.name, dp.id, dp.name, "  \
	"f.initial_fen, f.annual_fen, f.executed_fen, "                        \
	"f.received_fen, " PAY_SUM                                             \
	", (SELECT COUNT(*) FROM jx_payment pc WHERE pc.project_id "           \
	"= p.id), " ADJ_SUM ", (SELECT COUNT(*) FROM jx_adjustment ac WHERE "  \
	"ac.project_id = p.id), e.id, e.status, e.c_total_m, e.c_grade, "      \
	"e.c_errors, e.c_warnings, e.version, e.updated_at, (SELECT "          \
	"gv.wf_status FROM jx_goal_version gv WHERE gv.project_id = p.id "     \
	"ORDER BY gv.number DESC LIMIT 1), p.version, p.updated_at, p.type, "  \
	"p.start_date, p.end_date, p.created_at " SCOPE_FROM                   \
	"LEFT JOIN jx_org dp ON dp.id = p.dept_id " FUND_JOIN                  \
	"LEFT JOIN jx_self_eval e ON e.project_id = p.id "

enum col {
	C_ID = 0,
	C_CODE,
	C_NAME,
	C_YEAR,
	C_UNIT_ID,
	C_UNIT_NAME,
	C_DEPT_ID,
	C_DEPT_NAME,
	C_INITIAL,
	C_ANNUAL,
	C_EXECUTED,
	C_RECEIVED,
	C_PAID,
	C_NPAY,
	C_ADJ,
	C_NADJ,
	C_EVAL_ID,
	C_EVAL_STATUS,
	C_EVAL_TOTAL,
	C_EVAL_GRADE,
	C_EVAL_ERRORS,
	C_EVAL_WARNINGS,
	C_EVAL_VERSION,
	C_EVAL_UPDATED,
	C_GOAL_STATUS,
	C_VERSION,
	C_UPDATED,
	C_TYPE,
	C_START,
	C_END,
	C_CREATED
};

/* Ordering by execution rate needs every row's money: the fund rows,
 * payments and adjustments each grouped once for all projects rather than
 * looked up per row (PostgreSQL would run a correlated subquery twice per
 * row as a hash key). The ratio is a
 * double only to order rows; the figure shown is exact (money_derive). */
#define MONEY_JOINS                                                            \
	"LEFT JOIN (SELECT project_id, MAX(id) AS id FROM jx_fund WHERE kind " \
	"= 'total' GROUP BY project_id) ft ON ft.project_id = p.id LEFT JOIN " \
	"jx_fund f ON f.id = ft.id "                                           \
	"LEFT JOIN (SELECT project_id, CAST(SUM(amount_fen) AS BIGINT) AS s "  \
	"FROM jx_payment GROUP BY project_id) pay ON pay.project_id = p.id "   \
	"LEFT JOIN (SELECT project_id, CAST(SUM(amount_fen) AS BIGINT) AS s "  \
	"FROM jx_adjustment GROUP BY project_id) adj ON adj.project_id = "     \
	"p.id "
#define RATE_ANNUAL                                                            \
	"(CASE WHEN f.initial_fen IS NOT NULL AND adj.s IS NOT NULL THEN "     \
	"f.initial_fen + adj.s ELSE f.annual_fen END)"
#define RATE_EXPR                                                              \
	"(CASE WHEN " RATE_ANNUAL " > 0 THEN CAST(COALESCE(pay.s, "            \
	"f.executed_fen) AS DOUBLE PRECISION) / " RATE_ANNUAL " END)"

/* The orders a list may take. */
static const struct {
	const char *key;
	const char *asc, *desc;
	bool eval, money; /* joins it needs */
} sorts[] = {
        {"code", "p.code, p.id", "p.code DESC, p.id DESC", false, false},
        {"name", "p.name, p.id", "p.name DESC, p.id DESC", false, false},
        {"year", "p.year, p.code, p.id", "p.year DESC, p.code DESC, p.id DESC",
         false, false},
        {"score", "(e.c_total_m IS NULL), e.c_total_m, p.id",
         "(e.c_total_m IS NULL), e.c_total_m DESC, p.id DESC", true, false},
        {"exec_rate", "(" RATE_EXPR " IS NULL), " RATE_EXPR ", p.id",
         "(" RATE_EXPR " IS NULL), " RATE_EXPR " DESC, p.id DESC", false, true},
        {"updated", "p.updated_at, p.id", "p.updated_at DESC, p.id DESC", false,
         false},
};

static const char *const statuses[] = {"draft",         "submitted",
                                       "dept_approved", "finance_approved",
                                       "returned",      "none"};
static const char *const grades[] = {"优", "良", "中", "差"};

/* Stored and derived money of one project (amounts in fen; jx_opt.v holds
 * fen here, not millionths). */
struct money {
	struct jx_opt initial, annual_stored, executed_stored, received;
	struct jx_opt paid, adj; /* set when any are recorded */
	int64_t npay, nadj;
	bool has_annual, has_exec, from_payments, has_rate;
	int64_t annual, exec;
	jx_dec rate; /* percent, 2 places */
};

/* One project row of ITEM_SQL; strings in an arena. */
struct item {
	int64_t id, year, unit_id, version;
	const char *code, *name, *unit_name, *updated_at, *created_at;
	const char *type, *start_date, *end_date;
	struct jx_opt dept_id;
	const char *dept_name;
	struct money m;
	bool has_eval;
	int64_t eval_id, eval_errors, eval_warnings, eval_version;
	const char *eval_status, *eval_grade, *eval_updated;
	struct jx_opt eval_total; /* millionths */
	const char *goal_status;
};

/* A project's stored row as the writes read it. */
struct proj {
	int64_t id, version, year, unit_id;
	struct jx_opt dept_id;
	const char *code, *name, *type, *start_date, *end_date;
};

static bool one_of(const char *s, const char *const *list, size_t n);
static enum jx_err check_text(const char *s, const char *field,
                              const char *label, size_t max_chars,
                              bool required, bool multiline, struct jx_diag *d);
static bool blank(const char *s);
static enum jx_err money_derive(struct money *m, struct jx_diag *d);
static enum jx_err read_item(struct jx_store *s, struct jx_db_stmt *st,
                             struct jx_arena *a, struct item *it,
                             struct jx_diag *d);
static void put(json_t *o, const char *key, json_t *v, bool *ok);
static json_t *j_opt(bool set, int64_t v);
static json_t *j_str(const char *s);
static json_t *j_dec(bool set, jx_dec v);
static json_t *item_json(const struct item *it, bool full);
static enum jx_err funds_fill(const struct item *it, const char *today,
                              jx_dec lag_threshold, struct jx_ledger_funds *out,
                              struct jx_diag *d);
static enum jx_err load_item(struct jx_store *s, const struct jx_who *who,
                             int64_t id, struct jx_arena *a, struct item *it,
                             struct jx_diag *d);
static enum jx_err load_proj(struct jx_store *s, const struct jx_who *who,
                             int64_t id, struct jx_arena *a, struct proj *out,
                             struct jx_diag *d);
static enum jx_err money_now(struct jx_store *s, int64_t project_id,
                             struct money *m, struct jx_opt *fund_id,
                             struct jx_diag *d);
static json_t *proj_json(const struct proj *p);
static enum jx_err scoped_project(struct jx_store *s, const struct jx_who *who,
                                  int64_t id, const char *sql,
                                  struct jx_db_stmt **st, struct jx_diag *d);
static enum jx_err begin_write(struct jx_store *s, const struct jx_who *who,
                               int64_t id, struct jx_arena *a, struct proj *cur,
                               bool *own, bool *open, struct jx_diag *d);
static enum jx_err stale(int64_t expected, int64_t now, struct jx_diag *d);
static enum jx_err money_audit(struct jx_store *s, const struct jx_who *who,
                               const char *action, int64_t id,
                               const struct money *m, const struct money *after,
                               int64_t version, const char *key, json_t *extra,
                               struct jx_diag *d);
static enum jx_err page_of(struct jx_store *s, const struct jx_who *who,
                           int64_t id, int64_t page, int64_t per_page,
                           struct jx_diag *d);
static enum jx_err page_rows(struct jx_store *s, const struct jx_who *who,
                             const char *count_sql, const char *sql,
                             int64_t project_id, int64_t page, int64_t per_page,
                             const struct jx_store_col *cols, json_t **items,
                             int64_t *total, struct jx_diag *d);
static enum jx_err check_paging(int64_t page, int64_t per_page,
                                struct jx_diag *d);
static bool leap(int y);
static json_t *logged_json(const char *text, bool *ok);
static json_t *money_json(const struct money *m);

/* ---- small helpers ----------------------------------------------------- */

static bool
one_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool
jx_ledger_status_known(const char *status)
{
	return one_of(status, statuses, NP(statuses));
}

bool
jx_ledger_grade_known(const char *grade)
{
	return one_of(grade, grades, NP(grades));
}

/* Only spaces (or nothing). */
static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* A text field: valid UTF-8, at most max_chars characters, no control
 * characters (line breaks and tabs allowed when multiline), not blank when
 * required. NULL passes unless required. */
static enum jx_err
check_text(const char *s, const char *field, const char *label,
           size_t max_chars, bool required, bool multiline, struct jx_diag *d)
{
	size_t len, i, chars = 0;

	if (s == NULL || blank(s)) {
		if (required)
			return jx_diag_set(d, JX_EINVAL, field, "%s不能为空",
			                   label);
		if (s == NULL)
			return JX_OK;
	}
	len = strlen(s);
	if (!jx_text_utf8_valid(s, len))
		return jx_diag_set(d, JX_EINVAL, field,
		                   "%s含有无效的 UTF-8 字符", label);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 || c == 0x7f) &&
		    !(multiline && (c == '\n' || c == '\r' || c == '\t')))
			return jx_diag_set(d, JX_EINVAL, field,
			                   "%s含有控制字符", label);
		if ((c & 0xC0) != 0x80)
			chars++;
	}
	if (chars > max_chars)
		return jx_diag_set(d, JX_EINVAL, field,
		                   "%s过长：%zu 个字符，最多 %zu 个", label,
		                   chars, max_chars);
	return JX_OK;
}

static enum jx_err
check_paging(int64_t page, int64_t per_page, struct jx_diag *d)
{
	if (page < 1 || page > 1000000)
		return jx_diag_set(d, JX_EINVAL, "page",
		                   "页码应在 1 到 1000000 之间");
	if (per_page < 1 || per_page > JX_HTTP_PAGE_MAX)
		return jx_diag_set(d, JX_EINVAL, "per_page",
		                   "每页条数应在 1 到 %d 之间",
		                   JX_HTTP_PAGE_MAX);
	return JX_OK;
}

static void
put(json_t *o, const char *key, json_t *v, bool *ok)
{
	/* json_object_set_new takes v even when it fails */
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		*ok = false;
}

static json_t *
j_opt(bool set, int64_t v)
{
	return set ? json_integer(v) : json_null();
}

/* A stored string; text that is not valid UTF-8 becomes null, as in
 * jx_store_rows_json. */
static json_t *
j_str(const char *s)
{
	json_t *v;

	if (s == NULL)
		return json_null();
	v = json_string(s);
	return v != NULL ? v : json_null();
}

static json_t *
j_dec(bool set, jx_dec v)
{
	char buf[48];

	if (!set)
		return json_null();
	jx_dec_format(v, -1, buf, sizeof(buf));
	return json_string(buf);
}

/* ---- dates ------------------------------------------------------------- */

static bool
leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

void
jx_ledger_today(char *buf, size_t cap)
{
	char now[32];

	/* the date part of the timestamp; "" when it does not fit */
	jx_store_now_utc(now, sizeof(now));
	if (cap > 10)
		snprintf(buf, cap, "%.10s", now);
	else if (cap > 0)
		buf[0] = '\0';
}

enum jx_err
jx_ledger_time_progress(int64_t year, const char *today, jx_dec *out)
{
	static const int before[] = {0,   31,  59,  90,  120, 151,
	                             181, 212, 243, 273, 304, 334};
	int y, m, dd, doy, ndays;

	if (!jx_text_date(today, &y, &m, &dd))
		return JX_EINVAL;
	if (year < y) {
		*out = 100 * JX_DEC_ONE;
		return JX_OK;
	}
	if (year > y) {
		*out = 0;
		return JX_OK;
	}
	doy = before[m - 1] + dd + (m > 2 && leap(y) ? 1 : 0);
	ndays = leap(y) ? 366 : 365;
	return jx_dec_muldiv((jx_dec)doy * JX_DEC_ONE, 100, ndays, 2, out);
}

/* ---- money -------------------------------------------------------------- */

/* annual, executed and the rate from the stored figures (ledger.h). */
static enum jx_err
money_derive(struct money *m, struct jx_diag *d)
{
	m->has_annual = m->has_exec = m->from_payments = m->has_rate = false;
	m->annual = m->exec = 0;
	m->rate = 0;
	if (m->adj.set && m->initial.set) {
		if (jx_dec_add(m->initial.v, m->adj.v, &m->annual) != JX_OK)
			return jx_diag_set(d, JX_ETOOBIG, NULL,
			                   "预算金额超出可表示的范围");
		m->has_annual = true;
	} else if (m->annual_stored.set) {
		m->annual = m->annual_stored.v;
		m->has_annual = true;
	}
	if (m->paid.set) {
		m->exec = m->paid.v;
		m->has_exec = m->from_payments = true;
	} else if (m->executed_stored.set) {
		m->exec = m->executed_stored.v;
		m->has_exec = true;
	}
	/* executed / annual * 100, rounded once to 0.01; a ratio too large
	 * to hold (executed absurdly above a tiny budget) is left out. */
	if (m->has_annual && m->annual > 0 && m->has_exec &&
	    jx_dec_muldiv(m->exec, 100 * JX_DEC_ONE, m->annual, 2, &m->rate) ==
	            JX_OK)
		m->has_rate = true;
	return JX_OK;
}

/* The money of project_id (no scope check: callers have done it). */
static enum jx_err
money_now(struct jx_store *s, int64_t project_id, struct money *m,
          struct jx_opt *fund_id, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	memset(m, 0, sizeof(*m));
	err = s->ops->query(
	        s->db,
	        "SELECT f.id, f.initial_fen, f.annual_fen, f.executed_fen, "
	        "f.received_fen, " PAY_SUM ", " ADJ_SUM
	        " FROM jx_project p " FUND_JOIN "WHERE p.id = ?",
	        (struct jx_db_param[]){P_INT(project_id)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		*fund_id = jx_store_opt_col(st, s->ops, 0);
		m->initial = jx_store_opt_col(st, s->ops, 1);
		m->annual_stored = jx_store_opt_col(st, s->ops, 2);
		m->executed_stored = jx_store_opt_col(st, s->ops, 3);
		m->received = jx_store_opt_col(st, s->ops, 4);
		m->paid = jx_store_opt_col(st, s->ops, 5);
		m->adj = jx_store_opt_col(st, s->ops, 6);
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "项目不存在");
	}
	s->ops->finish(st);
	if (err == JX_OK)
		err = money_derive(m, d);
	return err;
}

/* ---- project rows ------------------------------------------------------- */

static enum jx_err
read_item(struct jx_store *s, struct jx_db_stmt *st, struct jx_arena *a,
          struct item *it, struct jx_diag *d)
{
	const struct jx_db_ops *o = s->ops;

	memset(it, 0, sizeof(*it));
	it->id = o->col_int(st, C_ID);
	it->code = jx_store_dup_col(st, o, C_CODE, a);
	it->name = jx_store_dup_col(st, o, C_NAME, a);
	it->year = o->col_int(st, C_YEAR);
	it->unit_id = o->col_int(st, C_UNIT_ID);
	it->unit_name = jx_store_dup_col(st, o, C_UNIT_NAME, a);
	it->dept_id = jx_store_opt_col(st, o, C_DEPT_ID);
	it->dept_name = jx_store_dup_col(st, o, C_DEPT_NAME, a);
	it->m.initial = jx_store_opt_col(st, o, C_INITIAL);
	it->m.annual_stored = jx_store_opt_col(st, o, C_ANNUAL);
	it->m.executed_stored = jx_store_opt_col(st, o, C_EXECUTED);
	it->m.received = jx_store_opt_col(st, o, C_RECEIVED);
	it->m.paid = jx_store_opt_col(st, o, C_PAID);
	it->m.npay = o->col_int(st, C_NPAY);
	it->m.adj = jx_store_opt_col(st, o, C_ADJ);
	it->m.nadj = o->col_int(st, C_NADJ);
	it->has_eval = !o->is_null(st, C_EVAL_ID);
	if (it->has_eval) {
		it->eval_id = o->col_int(st, C_EVAL_ID);
		it->eval_status = jx_store_dup_col(st, o, C_EVAL_STATUS, a);
		it->eval_total = jx_store_opt_col(st, o, C_EVAL_TOTAL);
		it->eval_grade = jx_store_dup_col(st, o, C_EVAL_GRADE, a);
		it->eval_errors = o->col_int(st, C_EVAL_ERRORS);
		it->eval_warnings = o->col_int(st, C_EVAL_WARNINGS);
		it->eval_version = o->col_int(st, C_EVAL_VERSION);
		it->eval_updated = jx_store_dup_col(st, o, C_EVAL_UPDATED, a);
	}
	it->goal_status = jx_store_dup_col(st, o, C_GOAL_STATUS, a);
	it->version = o->col_int(st, C_VERSION);
	it->updated_at = jx_store_dup_col(st, o, C_UPDATED, a);
	it->type = jx_store_dup_col(st, o, C_TYPE, a);
	it->start_date = jx_store_dup_col(st, o, C_START, a);
	it->end_date = jx_store_dup_col(st, o, C_END, a);
	it->created_at = jx_store_dup_col(st, o, C_CREATED, a);
	if (it->code == NULL || it->name == NULL || it->unit_name == NULL ||
	    it->updated_at == NULL || (it->has_eval && it->eval_status == NULL))
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	return money_derive(&it->m, d);
}

/* A list item (full: the project page's fields too). */
static json_t *
item_json(const struct item *it, bool full)
{
	json_t *o = json_object(), *unit, *dept, *ev;
	bool ok = o != NULL;

	if (!ok)
		return NULL;
	put(o, "id", json_integer(it->id), &ok);
	put(o, "code", j_str(it->code), &ok);
	put(o, "name", j_str(it->name), &ok);
	put(o, "year", json_integer(it->year), &ok);
	unit = json_object();
	if (unit != NULL) {
		put(unit, "id", json_integer(it->unit_id), &ok);
		put(unit, "name", j_str(it->unit_name), &ok);
	}
	put(o, "unit", unit, &ok);
	if (it->dept_id.set) {
		dept = json_object();
		if (dept != NULL) {
			put(dept, "id", json_integer(it->dept_id.v), &ok);
			put(dept, "name", j_str(it->dept_name), &ok);
		}
	} else {
		dept = json_null();
	}
	put(o, "dept", dept, &ok);
	if (full) {
		put(o, "type", j_str(it->type), &ok);
		put(o, "start_date", j_str(it->start_date), &ok);
		put(o, "end_date", j_str(it->end_date), &ok);
	}
	put(o, "annual_fen", j_opt(it->m.has_annual, it->m.annual), &ok);
	put(o, "executed_fen", j_opt(it->m.has_exec, it->m.exec), &ok);
	put(o, "exec_rate", j_dec(it->m.has_rate, it->m.rate), &ok);
	if (it->has_eval) {
		ev = json_object();
		if (ev != NULL) {
			put(ev, "id", json_integer(it->eval_id), &ok);
			put(ev, "status", j_str(it->eval_status), &ok);
			put(ev, "total",
			    j_dec(it->eval_total.set, it->eval_total.v), &ok);
			put(ev, "grade", j_str(it->eval_grade), &ok);
			put(ev, "errors", json_integer(it->eval_errors), &ok);
			put(ev, "warnings", json_integer(it->eval_warnings),
			    &ok);
			if (full) {
				put(ev, "version",
				    json_integer(it->eval_version), &ok);
				put(ev, "updated_at", j_str(it->eval_updated),
				    &ok);
			}
		}
	} else {
		ev = json_null();
	}
	put(o, "eval", ev, &ok);
	put(o, "goal_status", j_str(it->goal_status), &ok);
	put(o, "version", json_integer(it->version), &ok);
	if (full)
		put(o, "created_at", j_str(it->created_at), &ok);
	put(o, "updated_at", j_str(it->updated_at), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Project id in who's scope as an item; JX_ENOTFOUND outside it. */
static enum jx_err
load_item(struct jx_store *s, const struct jx_who *who, int64_t id,
          struct jx_arena *a, struct item *it, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	err = scoped_project(
	        s, who, id, ITEM_SQL "WHERE p.id = ? AND (u.path || '') LIKE ?",
	        &st, d);
	if (err == JX_OK)
		err = read_item(s, st, a, it, d);
	s->ops->finish(st);
	return err;
}

/* Project id in who's scope as the writes need it. */
static enum jx_err
load_proj(struct jx_store *s, const struct jx_who *who, int64_t id,
          struct jx_arena *a, struct proj *out, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	enum jx_err err;

	err = scoped_project(
	        s, who, id,
	        "SELECT p.id, p.version, p.year, p.unit_id, p.dept_id, "
	        "p.code, p.name, p.type, p.start_date, p.end_date " SCOPE_FROM
	        "WHERE p.id = ? AND (u.path || '') LIKE ?",
	        &st, d);
	if (err == JX_OK) {
		memset(out, 0, sizeof(*out));
		out->id = s->ops->col_int(st, 0);
		out->version = s->ops->col_int(st, 1);
		out->year = s->ops->col_int(st, 2);
		out->unit_id = s->ops->col_int(st, 3);
		out->dept_id = jx_store_opt_col(st, s->ops, 4);
		out->code = jx_store_dup_col(st, s->ops, 5, a);
		out->name = jx_store_dup_col(st, s->ops, 6, a);
		out->type = jx_store_dup_col(st, s->ops, 7, a);
		out->start_date = jx_store_dup_col(st, s->ops, 8, a);
		out->end_date = jx_store_dup_col(st, s->ops, 9, a);
		if (out->code == NULL || out->name == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	s->ops->finish(st);
	return err;
}

/* Run sql, whose parameters are a project id and the LIKE pattern of who's
 * subtree, and step to its row: JX_ENOTFOUND naming "id" when project id
 * is not in who's scope. The caller reads the row and finishes *st. */
static enum jx_err
scoped_project(struct jx_store *s, const struct jx_who *who, int64_t id,
               const char *sql, struct jx_db_stmt **st, struct jx_diag *d)
{
	char like[512];
	enum jx_err err;

	err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err != JX_OK)
		return err;
	return jx_store_first(s, sql,
	                      (struct jx_db_param[]){P_INT(id), P_TEXT(like)},
	                      2, st, "id", "项目不存在", d);
}

/* The start of a write to project id: open the transaction (*open says
 * that it is, *own whether this call opened it, for jx_store_txn_close)
 * and read the project of who's scope into cur. */
static enum jx_err
begin_write(struct jx_store *s, const struct jx_who *who, int64_t id,
            struct jx_arena *a, struct proj *cur, bool *own, bool *open,
            struct jx_diag *d)
{
	enum jx_err err = jx_store_txn_open(s, own, d);

	if (err != JX_OK)
		return err;
	*open = true;
	return load_proj(s, who, id, a, cur, d);
}

/* JX_ECONFLICT naming "version": the caller's version `expected` of the
 * project is out of date; now >= 0 is the version the project is at, now
 * < 0 when the update found it changed. */
static enum jx_err
stale(int64_t expected, int64_t now, struct jx_diag *d)
{
	if (now < 0)
		return jx_diag_set(d, JX_ECONFLICT, "version",
		                   "项目已被他人修改，请刷新后重试");
	return jx_diag_set(d, JX_ECONFLICT, "version",
	                   "项目已被他人修改（版本 %" PRId64
	                   " 已过期，当前为 %" PRId64 "），请刷新后重试",
	                   expected, now);
}

static json_t *
proj_json(const struct proj *p)
{
	json_t *o = json_object();
	bool ok = o != NULL;

	if (!ok)
		return NULL;
	put(o, "code", j_str(p->code), &ok);
	put(o, "name", j_str(p->name), &ok);
	put(o, "type", j_str(p->type), &ok);
	put(o, "unit_id", json_integer(p->unit_id), &ok);
	put(o, "dept_id", j_opt(p->dept_id.set, p->dept_id.v), &ok);
	put(o, "year", json_integer(p->year), &ok);
	put(o, "start_date", j_str(p->start_date), &ok);
	put(o, "end_date", j_str(p->end_date), &ok);
	put(o, "version", json_integer(p->version), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- lists --------------------------------------------------------------- */

enum jx_err
jx_ledger_list(struct jx_store *s, const struct jx_who *who,
               const struct jx_ledger_filter *f, json_t **items, int64_t *total,
               struct jx_diag *d)
{
	struct jx_db_param prm[16];
	struct jx_db_stmt *st = NULL;
	struct jx_buf from, sql, pat;
	struct jx_arena a;
	struct item it;
	char like[512];
	int64_t ids[JX_HTTP_PAGE_MAX], n = 0, count = 0, i, j;
	json_t *arr = NULL, *slot[JX_HTTP_PAGE_MAX];
	size_t np = 0, si = 0, k;
	bool need_eval;
	enum jx_err err;

	jx_buf_init(&from, 16384);
	jx_buf_init(&sql, 16384);
	jx_buf_init(&pat, 4096);
	jx_arena_init(&a, 0);
	memset(slot, 0, sizeof(slot));

	err = check_paging(f->page, f->per_page, d);
	if (err != JX_OK)
		goto done;
	for (si = 0; si < NP(sorts); si++)
		if (strcmp(sorts[si].key, f->sort != NULL ? f->sort : "code") ==
		    0)
			break;
	if (si == NP(sorts)) {
		err = jx_diag_set(d, JX_EINVAL, "sort", "不支持的排序方式");
		goto done;
	}
	if (f->status != NULL && !jx_ledger_status_known(f->status)) {
		err = jx_diag_set(d, JX_EINVAL, "status", "未知的自评状态“%s”",
		                  f->status);
		goto done;
	}
	if (f->grade != NULL && !jx_ledger_grade_known(f->grade)) {
		err = jx_diag_set(d, JX_EINVAL, "grade",
		                  "评价等级应为 优、良、中 或 差");
		goto done;
	}
	if (f->has_errors < -1 || f->has_errors > 1) {
		err = jx_diag_set(d, JX_EINVAL, "has_errors",
		                  "has_errors 应为 1 或 0");
		goto done;
	}
	if (f->q != NULL && f->q[0] != '\0') {
		err = check_text(f->q, "q", "搜索内容", JX_LEDGER_Q_MAX, false,
		                 false, d);
		if (err != JX_OK)
			goto done;
	}
	err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err != JX_OK)
		goto done;

	/* FROM and WHERE, shared by the count and the page. */
	need_eval = f->status != NULL || f->grade != NULL ||
	            f->has_errors >= 0 || sorts[si].eval;
	jx_buf_adds(&from, SCOPE_FROM);
	if (need_eval)
		jx_buf_adds(&from,
		            "LEFT JOIN jx_self_eval e ON e.project_id = p.id ");
	jx_buf_adds(&sql, "WHERE (u.path || '') LIKE ?");
	prm[np++] = P_TEXT(like);
	if (f->year != 0) {
		jx_buf_adds(&sql, " AND p.year = ?");
		prm[np++] = P_INT(f->year);
	}
	if (f->dept_id != 0) {
		jx_buf_adds(&sql, " AND p.dept_id = ?");
		prm[np++] = P_INT(f->dept_id);
	}
	if (f->unit_id != 0) {
		jx_buf_adds(&sql, " AND p.unit_id = ?");
		prm[np++] = P_INT(f->unit_id);
	}
	if (f->status != NULL && strcmp(f->status, "none") == 0) {
		jx_buf_adds(&sql, " AND e.id IS NULL");
	} else if (f->status != NULL) {
		jx_buf_adds(&sql, " AND e.status = ?");
		prm[np++] = P_TEXT(f->status);
	}
	if (f->grade != NULL) {
		jx_buf_adds(&sql, " AND e.c_grade = ?");
		prm[np++] = P_TEXT(f->grade);
	}
	if (f->has_errors == 1)
		jx_buf_adds(&sql, " AND e.c_errors > 0");
	else if (f->has_errors == 0)
		jx_buf_adds(&sql, " AND (e.id IS NULL OR e.c_errors = 0)");
	if (f->q != NULL && f->q[0] != '\0') {
		/* contains, ASCII case-insensitively on both back-ends; '!'
		 * escapes LIKE's wildcards */
		const char *c;

		jx_buf_adds(&pat, "%");
		for (c = f->q; *c != '\0'; c++) {
			if (*c == '%' || *c == '_' || *c == '!')
				jx_buf_adds(&pat, "!");
			jx_buf_add(&pat, c, 1);
		}
		if (jx_buf_adds(&pat, "%") != JX_OK) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			goto done;
		}
		jx_buf_adds(&sql,
		            " AND (LOWER(p.name) LIKE LOWER(CAST(? AS TEXT)) "
		            "ESCAPE '!' OR LOWER(p.code) LIKE LOWER(CAST(? AS "
		            "TEXT)) ESCAPE '!')");
		prm[np++] = P_TEXT(pat.data);
		prm[np++] = P_TEXT(pat.data);
	}
	if (from.data == NULL || sql.data == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}

	/* The count. */
	{
		struct jx_buf q;

		jx_buf_init(&q, 32768);
		jx_buf_printf(&q, "SELECT COUNT(*) %s%s", from.data, sql.data);
		err = q.data != NULL
		              ? jx_store_one_int(s, q.data, prm, np, &count, d)
		              : jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		jx_buf_free(&q);
		if (err != JX_OK)
			goto done;
	}

	/* The page's ids, in order. */
	{
		struct jx_buf q;

		jx_buf_init(&q, 32768);
		jx_buf_printf(
		        &q, "SELECT p.id %s%s%s ORDER BY %s LIMIT ? OFFSET ?",
		        from.data, sorts[si].money ? MONEY_JOINS : "", sql.data,
		        f->desc ? sorts[si].desc : sorts[si].asc);
		prm[np] = P_INT(f->per_page);
		prm[np + 1] = P_INT((f->page - 1) * f->per_page);
		err = q.data != NULL
		              ? s->ops->query(s->db, q.data, prm, np + 2, &st,
		                              d)
		              : jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		jx_buf_free(&q);
		while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK &&
		       n < f->per_page)
			ids[n++] = s->ops->col_int(st, 0);
		s->ops->finish(st);
		st = NULL;
		if (err != JX_EEOF && err != JX_OK)
			goto done;
		err = JX_OK;
	}

	/* The page's rows, put back in the page's order. */
	arr = json_array();
	if (arr == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	if (n > 0) {
		struct jx_db_param idp[JX_HTTP_PAGE_MAX];

		jx_buf_reset(&sql);
		jx_buf_adds(&sql, ITEM_SQL "WHERE p.id IN (?");
		idp[0] = P_INT(ids[0]);
		for (i = 1; i < n; i++) {
			jx_buf_adds(&sql, ", ?");
			idp[i] = P_INT(ids[i]);
		}
		if (jx_buf_adds(&sql, ")") != JX_OK) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			goto done;
		}
		err = s->ops->query(s->db, sql.data, idp, (size_t)n, &st, d);
		while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
			err = read_item(s, st, &a, &it, d);
			if (err != JX_OK)
				break;
			for (j = 0; j < n && ids[j] != it.id; j++)
				;
			if (j == n || slot[j] != NULL)
				continue;
			slot[j] = item_json(&it, false);
			if (slot[j] == NULL)
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
		}
		s->ops->finish(st);
		st = NULL;
		if (err != JX_EEOF && err != JX_OK)
			goto done;
		err = JX_OK;
		for (k = 0; k < (size_t)n; k++) {
			/* a row deleted between the two steps is left out */
			if (slot[k] == NULL)
				continue;
			if (json_array_append_new(arr, slot[k]) != 0) {
				slot[k] = NULL;
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
				goto done;
			}
			slot[k] = NULL;
		}
	}
	*items = arr;
	arr = NULL;
	*total = count;
done:
	for (k = 0; k < NP(slot); k++)
		json_decref(slot[k]);
	json_decref(arr);
	jx_buf_free(&from);
	jx_buf_free(&sql);
	jx_buf_free(&pat);
	jx_arena_cleanup(&a);
	return err;
}

/* ---- funds and the project page ----------------------------------------- */

static enum jx_err
funds_fill(const struct item *it, const char *today, jx_dec lag_threshold,
           struct jx_ledger_funds *out, struct jx_diag *d)
{
	const struct money *m = &it->m;
	struct jx_ledger_funds f;

	memset(&f, 0, sizeof(f));
	f.project_id = it->id;
	f.year = it->year;
	f.version = it->version;
	f.has_initial = m->initial.set;
	f.initial_fen = m->initial.v;
	f.nadjustments = m->nadj;
	f.adjustments_fen = m->adj.set ? m->adj.v : 0;
	f.has_annual = m->has_annual;
	f.annual_fen = m->annual;
	f.has_received = m->received.set;
	f.received_fen = m->received.v;
	f.npayments = m->npay;
	f.paid_fen = m->paid.set ? m->paid.v : 0;
	f.has_executed = m->has_exec;
	f.executed_fen = m->exec;
	f.executed_from_payments = m->from_payments;
	f.has_rate = m->has_rate;
	f.exec_rate = m->rate;
	f.lag_threshold = lag_threshold;
	snprintf(f.as_of, sizeof(f.as_of), "%s", today);
	if (jx_ledger_time_progress(it->year, today, &f.time_progress) != JX_OK)
		return jx_diag_set(d, JX_EINVAL, "today",
		                   "日期应为 YYYY-MM-DD 格式的有效日期");
	if (f.has_rate &&
	    jx_dec_sub(f.exec_rate, f.time_progress, &f.gap) == JX_OK) {
		f.has_gap = true;
		f.lagging = f.gap < -lag_threshold;
	}
	f.over_budget =
	        f.has_annual && f.has_executed && f.executed_fen > f.annual_fen;
	*out = f;
	return JX_OK;
}

enum jx_err
jx_ledger_funds(struct jx_store *s, const struct jx_who *who,
                int64_t project_id, const char *today, jx_dec lag_threshold,
                struct jx_ledger_funds *out, struct jx_diag *d)
{
	struct jx_arena a;
	struct item it;
	char now[16];
	enum jx_err err;

	if (today == NULL) {
		jx_ledger_today(now, sizeof(now));
		today = now;
	}
	if (!jx_text_date(today, NULL, NULL, NULL))
		return jx_diag_set(d, JX_EINVAL, "today",
		                   "日期应为 YYYY-MM-DD 格式的有效日期");
	if (lag_threshold < 0)
		return jx_diag_set(d, JX_EINVAL, "lag_threshold",
		                   "预警阈值不能为负");
	jx_arena_init(&a, 0);
	err = load_item(s, who, project_id, &a, &it, d);
	if (err == JX_OK)
		err = funds_fill(&it, today, lag_threshold, out, d);
	jx_arena_cleanup(&a);
	return err;
}

json_t *
jx_ledger_funds_json(const struct jx_ledger_funds *f)
{
	json_t *o = json_object(), *pay, *adj;
	bool ok = o != NULL;

	if (!ok)
		return NULL;
	put(o, "project_id", json_integer(f->project_id), &ok);
	put(o, "year", json_integer(f->year), &ok);
	put(o, "version", json_integer(f->version), &ok);
	put(o, "initial_fen", j_opt(f->has_initial, f->initial_fen), &ok);
	put(o, "adjustments_fen", json_integer(f->adjustments_fen), &ok);
	put(o, "annual_fen", j_opt(f->has_annual, f->annual_fen), &ok);
	put(o, "received_fen", j_opt(f->has_received, f->received_fen), &ok);
	put(o, "executed_fen", j_opt(f->has_executed, f->executed_fen), &ok);
	put(o, "executed_source",
	    !f->has_executed            ? json_null()
	    : f->executed_from_payments ? json_string("payments")
	                                : json_string("recorded"),
	    &ok);
	pay = json_pack("{s:I, s:I}", "count", (json_int_t)f->npayments,
	                "total_fen", (json_int_t)f->paid_fen);
	put(o, "payments", pay, &ok);
	adj = json_pack("{s:I, s:I}", "count", (json_int_t)f->nadjustments,
	                "total_fen", (json_int_t)f->adjustments_fen);
	put(o, "adjustments", adj, &ok);
	put(o, "exec_rate", j_dec(f->has_rate, f->exec_rate), &ok);
	put(o, "as_of", json_string(f->as_of), &ok);
	put(o, "time_progress", j_dec(true, f->time_progress), &ok);
	put(o, "gap", j_dec(f->has_gap, f->gap), &ok);
	put(o, "lag_threshold", j_dec(true, f->lag_threshold), &ok);
	put(o, "lagging", json_boolean(f->lagging), &ok);
	put(o, "over_budget", json_boolean(f->over_budget), &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

enum jx_err
jx_ledger_get(struct jx_store *s, const struct jx_who *who, int64_t id,
              const char *today, jx_dec lag_threshold, json_t **out,
              struct jx_diag *d)
{
	static const struct jx_store_col goal_cols[] = {
	        {"id", JX_STORE_COL_INT},
	        {"number", JX_STORE_COL_INT},
	        {"stage", JX_STORE_COL_TEXT},
	        {"wf_status", JX_STORE_COL_TEXT},
	        {"version", JX_STORE_COL_INT},
	        {"indicators", JX_STORE_COL_INT},
	        {"weight_total", JX_STORE_COL_DEC},
	        {NULL, 0}};
	struct jx_ledger_funds funds;
	struct jx_arena a;
	struct item it;
	json_t *o = NULL, *goals = NULL;
	char now[16];
	bool ok = true;
	enum jx_err err;

	if (today == NULL) {
		jx_ledger_today(now, sizeof(now));
		today = now;
	}
	if (!jx_text_date(today, NULL, NULL, NULL) || lag_threshold < 0)
		return jx_diag_set(d, JX_EINVAL, "today", "日期或预警阈值无效");
	jx_arena_init(&a, 0);
	err = load_item(s, who, id, &a, &it, d);
	if (err == JX_OK)
		err = funds_fill(&it, today, lag_threshold, &funds, d);
	if (err == JX_OK) {
		err = jx_store_row_json(
		        s,
		        "SELECT gv.id, gv.number, gv.stage, gv.wf_status, "
		        "gv.row_version, (SELECT COUNT(*) FROM jx_indicator i "
		        "WHERE i.version_id = gv.id), (SELECT COALESCE(CAST("
		        "SUM(i.weight_m) AS BIGINT), 0) FROM jx_indicator i "
		        "WHERE i.version_id = gv.id) FROM jx_goal_version gv "
		        "WHERE gv.project_id = ? ORDER BY gv.number DESC "
		        "LIMIT 1",
		        (struct jx_db_param[]){P_INT(id)}, 1, goal_cols, &goals,
		        d);
		if (err == JX_ENOTFOUND) {
			goals = json_null();
			err = JX_OK;
		}
	}
	if (err == JX_OK) {
		o = item_json(&it, true);
		if (o != NULL) {
			put(o, "funds", jx_ledger_funds_json(&funds), &ok);
			put(o, "goals", goals, &ok);
			goals = NULL;
		}
		if (o == NULL || !ok)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	if (err == JX_OK) {
		*out = o;
		o = NULL;
	}
	json_decref(o);
	json_decref(goals);
	jx_arena_cleanup(&a);
	return err;
}

/* ---- paged child lists ----------------------------------------------------
 */

/* A page of the rows of project id may be read: page and per_page are
 * valid and the project is in who's scope (JX_ENOTFOUND otherwise). */
static enum jx_err
page_of(struct jx_store *s, const struct jx_who *who, int64_t id, int64_t page,
        int64_t per_page, struct jx_diag *d)
{
	struct jx_arena a;
	struct proj p;
	enum jx_err err;

	err = check_paging(page, per_page, d);
	if (err != JX_OK)
		return err;
	jx_arena_init(&a, 0);
	err = load_proj(s, who, id, &a, &p, d);
	jx_arena_cleanup(&a);
	return err;
}

/* Check the page, that project_id is in who's scope, then count with
 * count_sql (one parameter: the project) and one page with sql (the
 * project, LIMIT, OFFSET) as cols. */
static enum jx_err
page_rows(struct jx_store *s, const struct jx_who *who, const char *count_sql,
          const char *sql, int64_t project_id, int64_t page, int64_t per_page,
          const struct jx_store_col *cols, json_t **items, int64_t *total,
          struct jx_diag *d)
{
	json_t *arr;
	int64_t count = 0;
	enum jx_err err;

	err = page_of(s, who, project_id, page, per_page, d);
	if (err != JX_OK)
		return err;
	arr = json_array();
	if (arr == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	err = jx_store_one_int(s, count_sql,
	                       (struct jx_db_param[]){P_INT(project_id)}, 1,
	                       &count, d);
	if (err == JX_OK) {
		struct jx_db_param q[] = {P_INT(project_id), P_INT(per_page),
		                          P_INT((page - 1) * per_page)};

		err = jx_store_rows_json(s, sql, q, NP(q), cols, arr, d);
	}
	if (err == JX_OK) {
		*items = arr;
		*total = count;
	} else {
		json_decref(arr);
	}
	return err;
}

enum jx_err
jx_ledger_payments(struct jx_store *s, const struct jx_who *who, int64_t id,
                   int64_t page, int64_t per_page, json_t **items,
                   int64_t *total, struct jx_diag *d)
{
	static const struct jx_store_col cols[] = {
	        {"id", JX_STORE_COL_INT},
	        {"date", JX_STORE_COL_TEXT},
	        {"amount_fen", JX_STORE_COL_INT},
	        {"payee", JX_STORE_COL_TEXT},
	        {"purpose", JX_STORE_COL_TEXT},
	        {"created_by", JX_STORE_COL_TEXT},
	        {"created_at", JX_STORE_COL_TEXT},
	        {NULL, 0}};

	return page_rows(s, who,
	                 "SELECT COUNT(*) FROM jx_payment WHERE "
	                 "project_id = ?",
	                 "SELECT id, pay_date, amount_fen, payee, purpose, "
	                 "created_by, created_at FROM jx_payment WHERE "
	                 "project_id = ? ORDER BY pay_date DESC, id DESC "
	                 "LIMIT ? OFFSET ?",
	                 id, page, per_page, cols, items, total, d);
}

enum jx_err
jx_ledger_adjustments(struct jx_store *s, const struct jx_who *who, int64_t id,
                      int64_t page, int64_t per_page, json_t **items,
                      int64_t *total, struct jx_diag *d)
{
	static const struct jx_store_col cols[] = {
	        {"id", JX_STORE_COL_INT},
	        {"date", JX_STORE_COL_TEXT},
	        {"amount_fen", JX_STORE_COL_INT},
	        {"reason", JX_STORE_COL_TEXT},
	        {"created_by", JX_STORE_COL_TEXT},
	        {"created_at", JX_STORE_COL_TEXT},
	        {NULL, 0}};

	return page_rows(s, who,
	                 "SELECT COUNT(*) FROM jx_adjustment WHERE "
	                 "project_id = ?",
	                 "SELECT id, adj_date, amount_fen, reason, "
	                 "created_by, created_at FROM jx_adjustment WHERE "
	                 "project_id = ? ORDER BY adj_date DESC, id DESC "
	                 "LIMIT ? OFFSET ?",
	                 id, page, per_page, cols, items, total, d);
}

/* ---- history ---------------------------------------------------------------
 */

/* Audit-log entries of the project, its goal versions and its
 * self-evaluation, and the review steps of its records; the first ? is
 * the project in every branch. */
#define HIST_LONG(c)                                                           \
	"CASE WHEN LENGTH(" c ") <= " STR(                                     \
	        JX_LEDGER_HISTORY_TEXT_MAX) " THEN " c                         \
	                                    " END, CASE WHEN LENGTH(" c        \
	                                    ") > " STR(                        \
	                                            JX_LEDGER_HISTORY_TEXT_MAX) " THEN 1 ELSE 0 END"
#define HIST_AUDIT(where)                                                      \
	"SELECT 'audit' AS kind, a.id AS id, a.at AS at, a.actor AS actor, "   \
	"a.action AS action, a.table_name AS tbl, a.record_id AS "             \
	"record_id, " HIST_LONG("a.before_json") ", " HIST_LONG(               \
	        "a.after_json") ", CAST(NULL AS TEXT), CAST(NULL AS TEXT), "   \
	                        "CAST(NULL AS TEXT) "                          \
	                        "FROM jx_audit_log a WHERE " where
#define HIST_W_PROJECT "a.table_name = 'jx_project' AND a.record_id = ?"
#define HIST_W_GOALS                                                           \
	"a.table_name = 'jx_goal_version' AND a.record_id IN (SELECT g.id "    \
	"FROM jx_goal_version g WHERE g.project_id = ?)"
#define HIST_W_EVAL                                                            \
	"a.table_name = 'jx_self_eval' AND a.record_id IN (SELECT se.id FROM " \
	"jx_self_eval se WHERE se.project_id = ?)"

enum jx_err
jx_ledger_history(struct jx_store *s, const struct jx_who *who, int64_t id,
                  int64_t page, int64_t per_page, json_t **items,
                  int64_t *total, struct jx_diag *d)
{
	static const char *const keys[] = {"before", "after"};
	struct jx_db_stmt *st = NULL;
	json_t *arr = NULL, *row;
	int64_t count = 0;
	enum jx_err err;
	size_t k;

	err = page_of(s, who, id, page, per_page, d);
	if (err == JX_OK) {
		struct jx_db_param c[] = {P_INT(id), P_INT(id), P_INT(id),
		                          P_INT(id)};

		err = jx_store_one_int(
		        s,
		        "SELECT (SELECT COUNT(*) FROM jx_audit_log a "
		        "WHERE " HIST_W_PROJECT
		        ") + (SELECT COUNT(*) FROM jx_audit_log "
		        "a WHERE " HIST_W_GOALS ") + (SELECT COUNT(*) FROM "
		        "jx_audit_log a WHERE " HIST_W_EVAL ") + (SELECT "
		        "COUNT(*) FROM jx_review r WHERE r.project_id = ?)",
		        c, NP(c), &count, d);
	}
	if (err == JX_OK && (arr = json_array()) == NULL)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	if (err == JX_OK) {
		struct jx_db_param q[] = {
		        P_INT(id),       P_INT(id),
		        P_INT(id),       P_INT(id),
		        P_INT(per_page), P_INT((page - 1) * per_page)};

		err = s->ops->query(s->db,
		                    "SELECT * FROM (" HIST_AUDIT(HIST_W_PROJECT) " UNION ALL " HIST_AUDIT(HIST_W_GOALS) " UNION ALL " HIST_AUDIT(
		                            HIST_W_EVAL) " UNION ALL SELECT "
		                                         "'review', r.id, "
		                                         "r.created_at, "
		                                         "r.actor, r.action, "
		                                         "r.record_type, "
		                                         "r.record_id, "
		                                         "CAST(NULL AS TEXT), "
		                                         "0, CAST(NULL AS "
		                                         "TEXT), 0, "
		                                         "r.comment, "
		                                         "r.from_status, "
		                                         "r.to_status FROM "
		                                         "jx_review r "
		                                         "WHERE r.project_id = "
		                                         "?) h ORDER BY at "
		                                         "DESC, kind, "
		                                         "id DESC LIMIT ? "
		                                         "OFFSET ?",
		                    q, NP(q), &st, d);
	}
	while (err == JX_OK && (err = s->ops->step(st, d)) == JX_OK) {
		const struct jx_db_ops *o = s->ops;
		bool ok = (row = json_object()) != NULL, omitted = false;

		if (ok && json_array_append_new(arr, row) != 0)
			ok = false;
		if (!ok) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		put(row, "kind", j_str(o->col_text(st, 0)), &ok);
		put(row, "id", json_integer(o->col_int(st, 1)), &ok);
		put(row, "at", j_str(o->col_text(st, 2)), &ok);
		put(row, "actor", j_str(o->col_text(st, 3)), &ok);
		put(row, "action", j_str(o->col_text(st, 4)), &ok);
		put(row, "table", j_str(o->col_text(st, 5)), &ok);
		put(row, "record_id",
		    o->is_null(st, 6) ? json_null()
		                      : json_integer(o->col_int(st, 6)),
		    &ok);
		for (k = 0; k < 2; k++) {
			bool cut = o->col_int(st, 8 + 2 * (int)k) != 0;

			put(row, keys[k],
			    o->is_null(st, 7 + 2 * (int)k)
			            ? json_null()
			            : logged_json(
			                      o->col_text(st, 7 + 2 * (int)k),
			                      &ok),
			    &ok);
			omitted = omitted || cut;
		}
		put(row, "omitted", json_boolean(omitted), &ok);
		put(row, "comment",
		    o->is_null(st, 11) ? json_null()
		                       : j_str(o->col_text(st, 11)),
		    &ok);
		put(row, "from_status",
		    o->is_null(st, 12) ? json_null()
		                       : j_str(o->col_text(st, 12)),
		    &ok);
		put(row, "to_status",
		    o->is_null(st, 13) ? json_null()
		                       : j_str(o->col_text(st, 13)),
		    &ok);
		if (!ok)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	s->ops->finish(st);
	if (err == JX_EEOF)
		err = JX_OK;
	if (err == JX_OK) {
		*items = arr;
		*total = count;
	} else {
		json_decref(arr);
	}
	return err;
}

/* A logged before/after text: its JSON when it is JSON, else the text as
 * a string (older entries hold plain text). */
static json_t *
logged_json(const char *text, bool *ok)
{
	json_error_t e;
	json_t *v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);
	if (v == NULL)
		v = j_str(text);
	if (v == NULL)
		*ok = false;
	return v;
}

/* ---- writes
 * ------------------------------------------------------------------ */

enum jx_err
jx_ledger_create(struct jx_store *s, const struct jx_who *who,
                 const struct jx_ledger_new *p, int64_t *id, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct proj np;
	char like[512], now[32];
	const char *c, *type;
	int64_t unit_id, exists = 0, new_id = 0;
	struct jx_opt dept = {0, false};
	enum jx_err err;
	bool own = false, open = false;

	/* The fields, before anything is read. */
	err = check_text(p->code, "code", "项目编码", JX_LEDGER_CODE_MAX, true,
	                 false, d);
	if (err == JX_OK && strlen(p->code) > JX_LEDGER_CODE_MAX)
		err = jx_diag_set(d, JX_EINVAL, "code",
		                  "项目编码过长：最多 %d 个字节",
		                  JX_LEDGER_CODE_MAX);
	for (c = p->code; err == JX_OK && *c != '\0'; c++)
		if (*c == ' ')
			err = jx_diag_set(d, JX_EINVAL, "code",
			                  "项目编码不能含有空格");
	if (err == JX_OK)
		err = check_text(p->name, "name", "项目名称",
		                 JX_LEDGER_NAME_MAX, true, false, d);
	if (err == JX_OK)
		err = check_text(p->type, "type", "项目类型",
		                 JX_LEDGER_TYPE_MAX, false, false, d);
	if (err == JX_OK &&
	    (p->year < JX_LEDGER_YEAR_MIN || p->year > JX_LEDGER_YEAR_MAX))
		err = jx_diag_set(d, JX_EINVAL, "year",
		                  "预算年度应在 %d 到 %d 之间",
		                  JX_LEDGER_YEAR_MIN, JX_LEDGER_YEAR_MAX);
	if (err == JX_OK && p->start_date != NULL &&
	    !jx_text_date(p->start_date, NULL, NULL, NULL))
		err = jx_diag_set(d, JX_EINVAL, "start_date",
		                  "开始日期应为 YYYY-MM-DD 格式的有效日期");
	if (err == JX_OK && p->end_date != NULL &&
	    !jx_text_date(p->end_date, NULL, NULL, NULL))
		err = jx_diag_set(d, JX_EINVAL, "end_date",
		                  "结束日期应为 YYYY-MM-DD 格式的有效日期");
	if (err == JX_OK && p->start_date != NULL && p->end_date != NULL &&
	    strcmp(p->start_date, p->end_date) > 0)
		err = jx_diag_set(d, JX_EINVAL, "end_date",
		                  "结束日期不能早于开始日期");
	if (err == JX_OK)
		err = jx_store_scope_like(who, like, sizeof(like), d);
	if (err != JX_OK)
		goto done;
	type = p->type != NULL && !blank(p->type) ? p->type : NULL;

	/* A unit filer creates in their own unit only; anyone else names a
	 * unit of their subtree (or is at one). */
	unit_id = p->unit_id != 0 ? p->unit_id : who->org_id;
	if (who->role != NULL && strcmp(who->role, JX_ROLE_UNIT) == 0 &&
	    unit_id != who->org_id) {
		err = jx_diag_set(d, JX_ENOTFOUND, "unit_id", "实施单位不存在");
		goto done;
	}
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	open = true;
	err = s->ops->query(
	        s->db,
	        "SELECT u.kind, par.id, par.kind FROM jx_org u LEFT JOIN "
	        "jx_org par ON par.id = u.parent_id WHERE u.id = ? AND u.path "
	        "LIKE ?",
	        (struct jx_db_param[]){P_INT(unit_id), P_TEXT(like)}, 2, &st,
	        d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		if (strcmp(s->ops->col_text(st, 0), "unit") != 0)
			err = jx_diag_set(
			        d, JX_EINVAL, "unit_id",
			        p->unit_id == 0
			                ? "请指定项目所属的实施单位（unit_id）"
			                : "项目只能建在实施单位下，该组织不是实"
			                  "施"
			                  "单位");
		else if (!s->ops->is_null(st, 1) &&
		         strcmp(s->ops->col_text(st, 2), "department") == 0)
			dept = jx_store_opt_col(st, s->ops, 1);
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_ENOTFOUND, "unit_id", "实施单位不存在");
	}
	s->ops->finish(st);
	if (err == JX_OK) {
		err = jx_store_one_int(
		        s, "SELECT COUNT(*) FROM jx_project WHERE code = ?",
		        (struct jx_db_param[]){P_TEXT(p->code)}, 1, &exists, d);
		if (err == JX_OK && exists != 0)
			err = jx_diag_set(d, JX_ECONFLICT, "code",
			                  "项目编码“%s”已存在", p->code);
	}
	if (err == JX_OK)
		err = jx_store_run(
		        s,
		        "INSERT INTO jx_fiscal_year (year) VALUES (?) "
		        "ON CONFLICT (year) DO NOTHING",
		        (struct jx_db_param[]){P_INT(p->year)}, 1, d);
	jx_store_now_utc(now, sizeof(now));
	if (err == JX_OK) {
		struct jx_db_param q[] = {
		        P_TEXT(p->code),       P_TEXT(p->name),
		        P_TEXT(type),          P_INT(unit_id),
		        P_OPT(dept),           P_INT(p->year),
		        P_TEXT(p->start_date), P_TEXT(p->end_date),
		        P_TEXT(now),           P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_project (code, name, type, unit_id, "
		        "dept_id, year, start_date, end_date, created_at, "
		        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		        "RETURNING id",
		        q, NP(q), &new_id, d);
		if (err == JX_ECONFLICT) /* a concurrent insert of the code */
			jx_diag_set(d, err, "code", "项目编码“%s”已存在",
			            p->code);
	}
	if (err == JX_OK) {
		memset(&np, 0, sizeof(np));
		np.id = new_id;
		np.version = 1;
		np.year = p->year;
		np.unit_id = unit_id;
		np.dept_id = dept;
		np.code = p->code;
		np.name = p->name;
		np.type = type;
		np.start_date = p->start_date;
		np.end_date = p->end_date;
		err = jx_store_audit_json(s, who->login, "create", "jx_project",
		                          new_id, NULL, proj_json(&np),
		                          JSON_COMPACT, d);
	}
done:
	if (open)
		err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK)
		*id = new_id;
	return err;
}

enum jx_err
jx_ledger_update(struct jx_store *s, const struct jx_who *who,
                 const struct jx_ledger_patch *p, int64_t *new_version,
                 struct jx_diag *d)
{
	struct jx_arena a;
	struct proj cur, nw;
	char now[32];
	int64_t changed = 0;
	json_t *before = NULL;
	enum jx_err err;
	bool own = false, open = false;

	jx_arena_init(&a, 0);
	err = JX_OK;
	if (p->set_name)
		err = check_text(p->name, "name", "项目名称",
		                 JX_LEDGER_NAME_MAX, true, false, d);
	if (err == JX_OK && p->set_type)
		err = check_text(p->type, "type", "项目类型",
		                 JX_LEDGER_TYPE_MAX, false, false, d);
	if (err == JX_OK && p->set_start && p->start_date != NULL &&
	    !jx_text_date(p->start_date, NULL, NULL, NULL))
		err = jx_diag_set(d, JX_EINVAL, "start_date",
		                  "开始日期应为 YYYY-MM-DD 格式的有效日期");
	if (err == JX_OK && p->set_end && p->end_date != NULL &&
	    !jx_text_date(p->end_date, NULL, NULL, NULL))
		err = jx_diag_set(d, JX_EINVAL, "end_date",
		                  "结束日期应为 YYYY-MM-DD 格式的有效日期");
	if (err != JX_OK)
		goto done;
	err = begin_write(s, who, p->id, &a, &cur, &own, &open, d);
	if (err != JX_OK)
		goto done;
	nw = cur;
	if (p->set_name)
		nw.name = p->name;
	if (p->set_type)
		nw.type = p->type != NULL && !blank(p->type) ? p->type : NULL;
	if (p->set_start)
		nw.start_date = p->start_date;
	if (p->set_end)
		nw.end_date = p->end_date;
	if (nw.start_date != NULL && nw.end_date != NULL &&
	    strcmp(nw.start_date, nw.end_date) > 0) {
		err = jx_diag_set(d, JX_EINVAL,
		                  p->set_end ? "end_date" : "start_date",
		                  "结束日期不能早于开始日期");
		goto done;
	}
	if (cur.version != p->version) {
		err = stale(p->version, cur.version, d);
		goto done;
	}
	before = proj_json(&cur);
	if (before == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_project w = {.id = p->id,
		                       .name = nw.name,
		                       .type = nw.type,
		                       .start_date = nw.start_date,
		                       .end_date = nw.end_date,
		                       .version = p->version};

		err = jx_store_project_write(s, &w, now, &changed, d);
	}
	if (err == JX_OK && changed == 0)
		err = stale(p->version, -1, d);
	if (err == JX_OK) {
		nw.version = p->version + 1;
		err = jx_store_audit_json(s, who->login, "update", "jx_project",
		                          p->id, before, proj_json(&nw),
		                          JSON_COMPACT, d);
		before = NULL;
	}
done:
	json_decref(before);
	if (open)
		err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK && new_version != NULL)
		*new_version = p->version + 1;
	jx_arena_cleanup(&a);
	return err;
}

/* {"initial_fen", "annual_fen", "adjustments_fen", "executed_fen",
 * "paid_fen"} of m, for the audit log. */
static json_t *
money_json(const struct money *m)
{
	return json_pack("{s:o, s:o, s:I, s:o, s:I}", "initial_fen",
	                 j_opt(m->initial.set, m->initial.v), "annual_fen",
	                 j_opt(m->has_annual, m->annual), "adjustments_fen",
	                 (json_int_t)(m->adj.set ? m->adj.v : 0),
	                 "executed_fen", j_opt(m->has_exec, m->exec),
	                 "paid_fen", (json_int_t)(m->paid.set ? m->paid.v : 0));
}

/*
 * Log action on project id: its money before (m) and after. version >= 0
 * adds "version" to both (version, version + 1); key, when not NULL, adds
 * extra (stolen, NULL when it could not be made) to the after object.
 */
static enum jx_err
money_audit(struct jx_store *s, const struct jx_who *who, const char *action,
            int64_t id, const struct money *m, const struct money *after,
            int64_t version, const char *key, json_t *extra, struct jx_diag *d)
{
	json_t *b = money_json(m), *aj = money_json(after);
	bool ok = b != NULL && aj != NULL;

	if (ok && version >= 0)
		ok = json_object_set_new(b, "version", json_integer(version)) ==
		             0 &&
		     json_object_set_new(aj, "version",
		                         json_integer(version + 1)) == 0;
	if (ok && key != NULL) {
		ok = json_object_set_new(aj, key, extra) == 0;
		extra = NULL; /* set_new took it, even when it failed */
	}
	json_decref(extra);
	if (!ok) {
		json_decref(b);
		json_decref(aj);
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	return jx_store_audit_json(s, who->login, action, "jx_project", id, b,
	                           aj, JSON_COMPACT, d);
}

enum jx_err
jx_ledger_set_budget(struct jx_store *s, const struct jx_who *who, int64_t id,
                     int64_t initial_fen, int64_t version, int64_t *new_version,
                     struct jx_diag *d)
{
	struct jx_arena a;
	struct proj cur;
	struct money m, after;
	struct jx_opt fund_id = {0, false};
	char now[32];
	int64_t changed = 0, annual = 0;
	enum jx_err err;
	bool own = false, open = false;

	jx_arena_init(&a, 0);
	if (initial_fen < 0 || initial_fen > JX_LEDGER_AMOUNT_MAX) {
		err = jx_diag_set(d, JX_EINVAL, "initial_fen",
		                  "年初预算数应在 0 到 %" PRId64 " 分之间",
		                  JX_LEDGER_AMOUNT_MAX);
		goto done;
	}
	err = begin_write(s, who, id, &a, &cur, &own, &open, d);
	if (err == JX_OK && cur.version != version)
		err = stale(version, cur.version, d);
	if (err == JX_OK)
		err = money_now(s, id, &m, &fund_id, d);
	if (err == JX_OK) {
		if (jx_dec_add(initial_fen, m.adj.set ? m.adj.v : 0, &annual) !=
		            JX_OK ||
		    annual < 0)
			err = jx_diag_set(d, JX_EINVAL, "initial_fen",
			                  "已记录的预算调整合计 %" PRId64
			                  " 分，年初预算数 %" PRId64
			                  " 分会使全年预算数为负",
			                  m.adj.v, initial_fen);
	}
	if (err != JX_OK)
		goto done;
	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param q[] = {P_TEXT(now), P_INT(id),
		                          P_INT(version)};

		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_project SET version = version + 1, "
		        "updated_at = ? WHERE id = ? AND version = ?",
		        q, NP(q), &changed, d);
	}
	if (err == JX_OK && changed == 0)
		err = stale(version, -1, d);
	if (err == JX_OK && fund_id.set) {
		struct jx_db_param q[] = {P_INT(initial_fen), P_INT(annual),
		                          P_INT(fund_id.v)};

		err = jx_store_run(s,
		                   "UPDATE jx_fund SET initial_fen = ?, "
		                   "annual_fen = ? WHERE id = ?",
		                   q, NP(q), d);
	} else if (err == JX_OK) {
		struct jx_db_param q[] = {P_INT(id), P_INT(initial_fen),
		                          P_INT(annual)};

		err = jx_store_run(
		        s,
		        "INSERT INTO jx_fund (project_id, kind, name, "
		        "position, "
		        "initial_fen, annual_fen) VALUES (?, 'total', "
		        "'年度资金总额', 0, ?, ?)",
		        q, NP(q), d);
	}
	if (err == JX_OK)
		err = money_now(s, id, &after, &fund_id, d);
	if (err == JX_OK)
		err = money_audit(s, who, "budget", id, &m, &after, version,
		                  NULL, NULL, d);
done:
	if (open)
		err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK && new_version != NULL)
		*new_version = version + 1;
	jx_arena_cleanup(&a);
	return err;
}

enum jx_err
jx_ledger_payment_add(struct jx_store *s, const struct jx_who *who,
                      const struct jx_payment *p, struct jx_ledger_paid *out,
                      struct jx_diag *d)
{
	struct jx_arena a;
	struct proj cur;
	struct money m, after;
	struct jx_opt fund_id;
	struct jx_ledger_paid res;
	enum jx_err err = JX_OK;
	bool own = false, open = false;

	jx_arena_init(&a, 0);
	memset(&res, 0, sizeof(res));
	if (!jx_text_date(p->date, NULL, NULL, NULL))
		err = jx_diag_set(d, JX_EINVAL, "date",
		                  "支付日期应为 YYYY-MM-DD 格式的有效日期");
	else if (p->amount_fen <= 0 || p->amount_fen > JX_LEDGER_AMOUNT_MAX)
		err = jx_diag_set(d, JX_EINVAL, "amount_fen",
		                  "支付金额应大于 0 且不超过 %" PRId64 " 分",
		                  JX_LEDGER_AMOUNT_MAX);
	if (err == JX_OK)
		err = check_text(p->payee, "payee", "收款人",
		                 JX_LEDGER_TEXT_MAX, true, false, d);
	if (err == JX_OK)
		err = check_text(p->purpose, "purpose", "用途",
		                 JX_LEDGER_TEXT_MAX, false, true, d);
	if (err != JX_OK)
		goto done;
	err = begin_write(s, who, p->project_id, &a, &cur, &own, &open, d);
	if (err == JX_OK)
		err = money_now(s, p->project_id, &m, &fund_id, d);
	if (err == JX_OK)
		err = jx_store_payment_add(s, p, who->login, &res.id, d);
	if (err == JX_EINVAL && strcmp(d->field, "amount") == 0)
		snprintf(d->field, sizeof(d->field), "amount_fen");
	if (err == JX_OK)
		err = money_now(s, p->project_id, &after, &fund_id, d);
	if (err == JX_OK) {
		res.paid_fen = after.paid.set ? after.paid.v : 0;
		res.has_annual = after.has_annual;
		res.annual_fen = after.annual;
		res.over_budget =
		        after.has_annual && res.paid_fen > after.annual;
		err = money_audit(s, who, "payment", p->project_id, &m, &after,
		                  -1, "payment",
		                  json_pack("{s:I, s:s, s:I, s:s, s:s?}", "id",
		                            (json_int_t)res.id, "date", p->date,
		                            "amount_fen",
		                            (json_int_t)p->amount_fen, "payee",
		                            p->payee, "purpose", p->purpose),
		                  d);
	}
done:
	if (open)
		err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK)
		*out = res;
	jx_arena_cleanup(&a);
	return err;
}

enum jx_err
jx_ledger_adjustment_add(struct jx_store *s, const struct jx_who *who,
                         int64_t project_id, const char *date,
                         int64_t amount_fen, const char *reason, int64_t *id,
                         int64_t *annual_fen, struct jx_diag *d)
{
	struct jx_arena a;
	struct proj cur;
	struct money m, after;
	struct jx_opt fund_id = {0, false};
	char now[32];
	int64_t adj_id = 0, sum = 0, annual = 0;
	enum jx_err err = JX_OK;
	bool own = false, open = false;

	jx_arena_init(&a, 0);
	if (!jx_text_date(date, NULL, NULL, NULL))
		err = jx_diag_set(d, JX_EINVAL, "date",
		                  "调整日期应为 YYYY-MM-DD 格式的有效日期");
	else if (amount_fen == 0)
		err = jx_diag_set(d, JX_EINVAL, "amount_fen",
		                  "调整金额不能为 0");
	else if (amount_fen > JX_LEDGER_AMOUNT_MAX ||
	         amount_fen < -JX_LEDGER_AMOUNT_MAX)
		err = jx_diag_set(d, JX_EINVAL, "amount_fen",
		                  "调整金额的绝对值不能超过 %" PRId64 " 分",
		                  JX_LEDGER_AMOUNT_MAX);
	if (err == JX_OK)
		err = check_text(reason, "reason", "调整原因",
		                 JX_LEDGER_TEXT_MAX, true, true, d);
	if (err != JX_OK)
		goto done;
	err = begin_write(s, who, project_id, &a, &cur, &own, &open, d);
	/* Touch the project first: on PostgreSQL the row lock makes two
	 * cuts of the same budget wait for each other, so that together they
	 * cannot take it below zero. */
	jx_store_now_utc(now, sizeof(now));
	if (err == JX_OK)
		err = jx_store_run(
		        s, "UPDATE jx_project SET updated_at = ? WHERE id = ?",
		        (struct jx_db_param[]){P_TEXT(now), P_INT(project_id)},
		        2, d);
	if (err == JX_OK)
		err = money_now(s, project_id, &m, &fund_id, d);
	if (err == JX_OK && !m.initial.set)
		err = jx_diag_set(d, JX_EINVAL, "amount_fen",
		                  "项目尚未设置年初预算数，不能调整预算");
	if (err == JX_OK &&
	    (jx_dec_add(m.adj.set ? m.adj.v : 0, amount_fen, &sum) != JX_OK ||
	     jx_dec_add(m.initial.v, sum, &annual) != JX_OK || annual < 0))
		err = jx_diag_set(d, JX_EINVAL, "amount_fen",
		                  "调整后全年预算数为负（年初预算数 %" PRId64
		                  " 分，调整合计 %" PRId64 " 分）",
		                  m.initial.v, sum);
	if (err != JX_OK)
		goto done;
	err = jx_store_adjustment_add(s, project_id, date, amount_fen, reason,
	                              who->login, &adj_id, d);
	if (err == JX_EINVAL && strcmp(d->field, "amount") == 0)
		snprintf(d->field, sizeof(d->field), "amount_fen");
	if (err == JX_OK && fund_id.set)
		err = jx_store_run(
		        s, "UPDATE jx_fund SET annual_fen = ? WHERE id = ?",
		        (struct jx_db_param[]){P_INT(annual), P_INT(fund_id.v)},
		        2, d);
	if (err == JX_OK)
		err = money_now(s, project_id, &after, &fund_id, d);
	if (err == JX_OK)
		err = money_audit(s, who, "adjustment", project_id, &m, &after,
		                  -1, "adjustment",
		                  json_pack("{s:I, s:s, s:I, s:s}", "id",
		                            (json_int_t)adj_id, "date", date,
		                            "amount_fen",
		                            (json_int_t)amount_fen, "reason",
		                            reason),
		                  d);
done:
	if (open)
		err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK) {
		*id = adj_id;
		if (annual_fen != NULL)
			*annual_fen = annual;
	}
	jx_arena_cleanup(&a);
	return err;
}
