/*
 * monitor.c - judge a monitoring record (绩效运行监控, 1–N月): time
 * progress, execution rate and warning light, the deviation each indicator's
 * figures imply, and the findings of consistency the finance bureau reads.
 *
 * Decisions (a colour, a deviation, whether an adjustment is large enough)
 * are taken on exact integer cross-products in 128 bits; the percentages
 * the result shows are rounded once, to 2 places, for display only. The
 * thresholds are the rule set's (r->monitor); how targets and progress are
 * read is value.h's; which words mean tier 2 or 3 is the vocabulary's.
 *
 * This file does no I/O, keeps no state and reads no clock; it does not
 * score, store or render anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/limits.h"
#include "jx/monitor.h"
#include "jx/text.h"
#include "jx/value.h"

/* Exact intermediates for cross-products of amounts, days and millionths
 * (at most about 10^15 * 366 * 10^8, far inside 128 bits). */
__extension__ typedef __int128 i128;

#define PATH_CAP 512
#define MSG_CAP  768
#define NUM_CAP  64
#define PCT100   (100 * JX_DEC_ONE) /* 100 as a jx_dec */
#define YEAR_MIN 1990
#define YEAR_MAX 2100
#define FOLD_CAP 64 /* bytes of a folded cause/likely/flag word */

/* Defaults of docs/rules.md "monitoring", for the helpers that take a NULL
 * rule set. */
#define DEF_YELLOW (JX_DEC_ONE / 100 * 80)
#define DEF_RED    (JX_DEC_ONE / 100 * 60)

struct ctx {
	const struct jx_monitor *m;
	const struct jx_rules *r;
	struct jx_arena *arena;
	struct jx_mon_result *res;
	enum jx_err err; /* first allocation failure while adding findings */
	i128 cost_sum;   /* cost targets in 元, millionths */
};

/* A dated event for the follow check. */
struct event {
	const char *date;
	int64_t amount;
	bool changed;
	size_t idx;
};

static bool leap(int y);
static int days_in_month(int y, int m);
static int64_t day_number(int y, int m, int d);
static int day_of_year(int y, int m, int d);
static bool blank(const char *s);
static const char *dstr(jx_dec v, int places, char *buf, size_t cap);
static const char *fen_str(int64_t fen, char *buf, size_t cap);
static void ind_path(const struct jx_mon_indicator *ind, size_t i, char *buf,
                     size_t cap);
static void add(struct ctx *c, const char *code, enum jx_severity sev,
                const char *where, int indicator, const char *stated,
                const char *computed, const char *fmt, ...)
        __attribute__((format(printf, 8, 9)));
static const char *adup(struct ctx *c, const char *s);
static enum jx_err check_record(const struct jx_monitor *m, struct jx_diag *d);
static enum jx_err check_amount(bool has, int64_t v, const char *field,
                                struct jx_diag *d);
static void judge_funds(struct ctx *c);
static void judge_indicator(struct ctx *c, size_t i);
static enum jx_mon_flag miss(enum jx_cmp cmp, jx_dec a, jx_dec t);
static int word_tier(const struct jx_rules *r, const struct jx_value *v);
static void check_indicator(struct ctx *c, size_t i);
static void judge_follow(struct ctx *c);
static void add_cost(struct ctx *c, const struct jx_value *t, enum jx_cmp cmp,
                     bool cumulative);
static void judge_cost(struct ctx *c);
static int event_cmp(const void *a, const void *b);
static enum jx_err fold_word(const char *s, char *buf, size_t cap, size_t *len);
static bool word_in(const char *w, const char *const *list, size_t n);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Dates and formatting                                                */

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30,
	                         31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t
day_number(int y, int m, int d)
{
	int64_t yy = m <= 2 ? y - 1 : y;
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t mp = m > 2 ? m - 3 : m + 9;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int
day_of_year(int y, int m, int d)
{
	return (int)(day_number(y, m, d) - day_number(y, 1, 1)) + 1;
}

static bool
blank(const char *s)
{
	const char *p = s;
	size_t n;

	if (s == NULL)
		return true;
	n = strlen(s);
	jx_text_trim(&p, &n);
	return n == 0;
}

static const char *
dstr(jx_dec v, int places, char *buf, size_t cap)
{
	jx_dec_format(v, places, buf, cap);
	return buf;
}

/* An amount in 万元: one 分 is 10^-6 万元, so fen are a jx_dec of 万元. */
static const char *
fen_str(int64_t fen, char *buf, size_t cap)
{
	size_t n = jx_dec_format(fen, -1, buf, cap);

	snprintf(buf + n, cap > n ? cap - n : 0, "万元");
	return buf;
}

static void
ind_path(const struct jx_mon_indicator *ind, size_t i, char *buf, size_t cap)
{
	const char *parts[3];
	size_t used = 0, k;
	int n;

	parts[0] = ind->level1;
	parts[1] = ind->level2;
	parts[2] = ind->name;
	buf[0] = '\0';
	for (k = 0; k < 3; k++) {
		if (blank(parts[k]))
			continue;
		n = snprintf(buf + used, cap - used, "%s%s",
		             used > 0 ? "/" : "", parts[k]);
		if (n < 0 || (size_t)n >= cap - used) {
			used = strlen(buf);
			break;
		}
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, cap, "第%zu项指标", i + 1);
}

/* ------------------------------------------------------------------ */
/* Findings                                                            */

static const char *
adup(struct ctx *c, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = jx_arena_strndup(c->arena, s, strlen(s));
	if (p == NULL)
		c->err = JX_ENOMEM;
	return p;
}

/* Record a finding; `where` NULL means indicator `indicator`'s path. */
static void
add(struct ctx *c, const char *code, enum jx_severity sev, const char *where,
    int indicator, const char *stated, const char *computed, const char *fmt,
    ...)
{
	struct jx_findings *f = &c->res->findings;
	struct jx_finding *it;
	char msg[MSG_CAP], path[PATH_CAP];
	va_list ap;

	if (c->err != JX_OK)
		return;
	if (where == NULL) {
		ind_path(&c->m->indicators[indicator], (size_t)indicator, path,
		         sizeof(path));
		where = path;
	}
	if (f->n >= JX_MAX_FINDINGS) {
		f->dropped++;
		return;
	}
	if (f->n == f->cap) {
		size_t ncap = f->cap != 0 ? f->cap * 2 : 16;
		struct jx_finding *items = jx_arena_grow(
		        c->arena, f->items, f->n, ncap, sizeof(*items));

		if (items == NULL) {
			c->err = JX_ENOMEM;
			return;
		}
		f->items = items;
		f->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	it = &f->items[f->n];
	memset(it, 0, sizeof(*it));
	it->code = code;
	it->severity = sev;
	it->indicator = indicator;
	it->where = adup(c, where);
	it->stated = adup(c, stated);
	it->computed = adup(c, computed);
	it->message = adup(c, msg);
	if (c->err != JX_OK)
		return;
	f->n++;
	if (sev == JX_SEV_ERROR)
		f->nerrors++;
	else if (sev == JX_SEV_WARNING)
		f->nwarnings++;
	else
		f->nok++;
}

/* ------------------------------------------------------------------ */
/* Checking the record                                                 */

static enum jx_err
check_amount(bool has, int64_t v, const char *field, struct jx_diag *d)
{
	if (!has || (v >= 0 && v <= JX_MONITOR_AMOUNT_MAX))
		return JX_OK;
	return jx_diag_set(d, JX_EINVAL, field,
	                   "金额应在 0 到 10 万亿元之间（以分计）");
}

static enum jx_err
check_record(const struct jx_monitor *m, struct jx_diag *d)
{
	const struct {
		const char *name, *v;
	} dates[] = {{"as_of", m->as_of},
	             {"due", m->due},
	             {"submitted", m->submitted}};
	char field[64];
	enum jx_err err = JX_OK;
	size_t i;

	if (m->year < YEAR_MIN || m->year > YEAR_MAX) {
		err = jx_diag_set(d, JX_EINVAL, "year",
		                  "年度应在 %d 到 %d 之间，实为 %d", YEAR_MIN,
		                  YEAR_MAX, m->year);
		goto done;
	}
	if (m->period_month < 1 || m->period_month > 12) {
		err = jx_diag_set(
		        d, JX_EINVAL, "period_month",
		        "监控期间应为 1–N 月，N 在 1 到 12 之间，实为 "
		        "%d",
		        m->period_month);
		goto done;
	}
	for (i = 0; i < NELEM(dates); i++) {
		if (dates[i].v != NULL &&
		    !jx_text_date(dates[i].v, NULL, NULL, NULL)) {
			err = jx_diag_set(d, JX_EINVAL, dates[i].name,
			                  "日期应写成 YYYY-MM-DD（如 "
			                  "2021-06-30）");
			goto done;
		}
	}
	if ((err = check_amount(m->has_initial, m->initial_fen, "initial_fen",
	                        d)) != JX_OK ||
	    (err = check_amount(m->has_budget, m->budget_fen, "budget_fen",
	                        d)) != JX_OK ||
	    (err = check_amount(m->has_executed, m->executed_fen,
	                        "executed_fen", d)) != JX_OK ||
	    (err = check_amount(m->has_expected, m->expected_fen,
	                        "expected_fen", d)) != JX_OK)
		goto done;
	if (m->nindicators > JX_MONITOR_MAX_INDICATORS ||
	    m->nadjustments > JX_MONITOR_MAX_EVENTS ||
	    m->ngoalvers > JX_MONITOR_MAX_EVENTS) {
		err = jx_diag_set(d, JX_ETOOBIG,
		                  m->nindicators > JX_MONITOR_MAX_INDICATORS
		                          ? "indicators"
		                  : m->nadjustments > JX_MONITOR_MAX_EVENTS
		                          ? "adjustments"
		                          : "goal_versions",
		                  "条目过多（指标最多 %d "
		                  "项，调整和目标版本各最多 %d 项）",
		                  JX_MONITOR_MAX_INDICATORS,
		                  JX_MONITOR_MAX_EVENTS);
		goto done;
	}
	if ((m->nindicators > 0 && m->indicators == NULL) ||
	    (m->nadjustments > 0 && m->adjustments == NULL) ||
	    (m->ngoalvers > 0 && m->goalvers == NULL)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto done;
	}
	for (i = 0; i < m->nadjustments; i++) {
		int64_t a = m->adjustments[i].amount_fen;

		if (a < -JX_MONITOR_AMOUNT_MAX || a > JX_MONITOR_AMOUNT_MAX) {
			snprintf(field, sizeof(field),
			         "adjustments[%zu].amount_fen", i);
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "调整金额超出范围（绝对值不超过 10 "
			                  "万亿元）");
			goto done;
		}
	}
done:
	return err;
}

/* ------------------------------------------------------------------ */
/* Money                                                               */

enum jx_err
jx_monitor_time_progress(const struct jx_rules *r, int year, int month,
                         const char *as_of, int64_t *num, int64_t *den)
{
	int y, mo, dd;
	enum jx_err err = JX_OK;

	if (num == NULL || den == NULL || year < YEAR_MIN || year > YEAR_MAX ||
	    month < 1 || month > 12) {
		err = JX_EINVAL;
		goto done;
	}
	if (r == NULL || r->monitor.time_basis != JX_MON_TIME_DAY) {
		*num = month;
		*den = 12;
		goto done;
	}
	if (as_of != NULL) {
		if (!jx_text_date(as_of, &y, &mo, &dd)) {
			err = JX_EINVAL;
			goto done;
		}
	} else {
		y = year;
		mo = month;
		dd = days_in_month(year, month);
	}
	*den = leap(year) ? 366 : 365;
	if (y < year)
		*num = 0;
	else if (y > year)
		*num = *den;
	else
		*num = day_of_year(y, mo, dd);
done:
	return err;
}

enum jx_mon_light
jx_monitor_light(const struct jx_rules *r, int64_t executed_fen,
                 int64_t budget_fen, int64_t num, int64_t den)
{
	enum jx_mon_basis basis =
	        r != NULL ? r->monitor.light : JX_MON_BASIS_RATIO;
	jx_dec yellow = r != NULL ? r->monitor.yellow_below : DEF_YELLOW;
	jx_dec red = r != NULL ? r->monitor.red_below : DEF_RED;
	i128 e = executed_fen, b = budget_fen, n = num, dd = den;
	i128 lhs, lag;
	enum jx_mon_light light = JX_MON_LIGHT_NONE;

	if (budget_fen <= 0 || den <= 0 || num < 0 || executed_fen < 0)
		goto done;
	if (basis == JX_MON_BASIS_GAP) {
		/* lag in points = 100 (n/d - e/b); past L when
		 * 100 * 10^6 (n b - e d) > L d b (L in millionths). */
		lag = (i128)PCT100 * (n * b - e * dd);
		if (lag > (i128)r->monitor.red_lag * dd * b)
			light = JX_MON_RED;
		else if (lag > (i128)r->monitor.yellow_lag * dd * b)
			light = JX_MON_YELLOW;
		else
			light = JX_MON_GREEN;
		goto done;
	}
	if (num == 0)
		goto done;
	/* r = (e/b) / (n/d) below t (millionths) when e d 10^6 < t b n */
	lhs = e * dd * JX_DEC_ONE;
	if (lhs < (i128)red * b * n)
		light = JX_MON_RED;
	else if (lhs < (i128)yellow * b * n)
		light = JX_MON_YELLOW;
	else
		light = JX_MON_GREEN;
done:
	return light;
}

static void
judge_funds(struct ctx *c)
{
	const struct jx_monitor *m = c->m;
	struct jx_mon_result *res = c->res;
	int64_t n = res->tp_num, d = res->tp_den;
	char a[NUM_CAP], b[NUM_CAP], e[NUM_CAP], t[NUM_CAP], x[NUM_CAP];
	char stated[2 * NUM_CAP], computed[NUM_CAP];
	const char *sev_word;
	jx_dec pct;

	if (!m->has_budget || m->budget_fen <= 0)
		goto expected;
	if (m->has_executed) {
		res->has_rate =
		        jx_dec_muldiv(m->executed_fen, PCT100, m->budget_fen, 2,
		                      &res->exec_rate) == JX_OK;
		res->has_gap =
		        jx_dec_muldiv(n * m->budget_fen - m->executed_fen * d,
		                      PCT100, d * m->budget_fen, 2,
		                      &res->gap) == JX_OK;
		if (n > 0)
			res->has_ratio =
			        jx_dec_muldiv(m->executed_fen * d, PCT100,
			                      m->budget_fen * n, 2,
			                      &res->ratio) == JX_OK;
		res->light = jx_monitor_light(c->r, m->executed_fen,
		                              m->budget_fen, n, d);
	}
	if (res->light == JX_MON_YELLOW || res->light == JX_MON_RED) {
		sev_word = res->light == JX_MON_RED ? "严重滞后（红灯）"
		                                    : "滞后（黄灯）";
		snprintf(stated, sizeof(stated), "执行%s / 预算%s",
		         fen_str(m->executed_fen, a, sizeof(a)),
		         fen_str(m->budget_fen, b, sizeof(b)));
		snprintf(computed, sizeof(computed), "%s",
		         jx_monitor_light_name(res->light));
		if (c->r->monitor.light == JX_MON_BASIS_GAP)
			add(c, "MON_EXEC_LAG", JX_SEV_WARNING, "预算执行", -1,
			    stated, computed,
			    "1-%d月执行率 %s%%，序时进度 %s%%，落后 %s "
			    "个百分点，预算执行%s（超过 %s 个百分点为红灯）",
			    m->period_month,
			    dstr(res->exec_rate, 2, e, sizeof(e)),
			    dstr(res->time_progress, 2, t, sizeof(t)),
			    dstr(res->gap, 2, x, sizeof(x)), sev_word,
			    dstr(c->r->monitor.red_lag, -1, a, sizeof(a)));
		else
			add(c, "MON_EXEC_LAG", JX_SEV_WARNING, "预算执行", -1,
			    stated, computed,
			    "1-%d月执行率 %s%%，序时进度 %s%%，执行进度只及"
			    "序时进度的 %s%%，预算执行%s（低于 %s%% 为红灯，"
			    "低于 %s%% 为黄灯）",
			    m->period_month,
			    dstr(res->exec_rate, 2, e, sizeof(e)),
			    dstr(res->time_progress, 2, t, sizeof(t)),
			    res->has_ratio ? dstr(res->ratio, 2, x, sizeof(x))
			                   : "0",
			    sev_word,
			    dstr(jx_dec_percent(c->r->monitor.red_below), -1, a,
			         sizeof(a)),
			    dstr(jx_dec_percent(c->r->monitor.yellow_below), -1,
			         b, sizeof(b)));
	}
	if (m->has_executed && m->executed_fen > m->budget_fen)
		add(c, "MON_EXEC_OVER", JX_SEV_WARNING, "预算执行", -1,
		    fen_str(m->executed_fen, a, sizeof(a)),
		    fen_str(m->budget_fen, b, sizeof(b)),
		    "1-%d月执行数 %s 超过全年预算数 %s", m->period_month,
		    fen_str(m->executed_fen, e, sizeof(e)),
		    fen_str(m->budget_fen, t, sizeof(t)));
expected:
	if (!m->has_expected || !m->has_budget || m->budget_fen <= 0)
		goto done;
	if (jx_dec_muldiv(m->expected_fen, PCT100, m->budget_fen, 2, &pct) ==
	    JX_OK) {
		res->has_expected_rate = true;
		res->expected_rate = pct;
	}
	if (m->expected_fen > m->budget_fen)
		add(c, "MON_EXEC_OVER", JX_SEV_WARNING, "全年预计执行数", -1,
		    fen_str(m->expected_fen, a, sizeof(a)),
		    fen_str(m->budget_fen, b, sizeof(b)),
		    "全年预计执行数 %s 超过全年预算数 %s",
		    fen_str(m->expected_fen, e, sizeof(e)),
		    fen_str(m->budget_fen, t, sizeof(t)));
done:
	return;
}

/* ------------------------------------------------------------------ */
/* Indicators                                                          */

/* Whether a (already in the target's base) misses target t under cmp. */
static enum jx_mon_flag
miss(enum jx_cmp cmp, jx_dec a, jx_dec t)
{
	bool m;

	switch (cmp) {
	case JX_CMP_GE:
		m = a < t;
		break;
	case JX_CMP_GT:
		m = a <= t;
		break;
	case JX_CMP_LE:
		m = a > t;
		break;
	case JX_CMP_LT:
		m = a >= t;
		break;
	case JX_CMP_EQ:
	case JX_CMP_NONE:
	default:
		m = a != t;
		break;
	}
	return m ? JX_MON_YES : JX_MON_NO;
}

/* The tier (1..3) of a word, or of a percentage written against a
 * qualitative target; 0 when it has none. */
static int
word_tier(const struct jx_rules *r, const struct jx_value *v)
{
	jx_dec frac;

	if (v->kind == JX_VALUE_WORD)
		return jx_rules_word_tier(r, v->word, v->word_len);
	if (v->kind == JX_VALUE_NUMBER && v->unit != NULL &&
	    v->unit->dim == JX_DIM_RATIO &&
	    jx_dec_muldiv(v->num, v->unit->factor, JX_DEC_ONE, 6, &frac) ==
	            JX_OK)
		return jx_rules_numeric_tier(r, frac);
	return 0;
}

static void
judge_indicator(struct ctx *c, size_t i)
{
	const struct jx_mon_indicator *ind = &c->m->indicators[i];
	struct jx_mon_ind_result *out = &c->res->ind[i];
	const struct jx_rules_monitor *mc = &c->r->monitor;
	struct jx_value t, p, e;
	const char *ptext = ind->progress, *etext = ind->expected;
	enum jx_mon_flag pv = JX_MON_BLANK, ev = JX_MON_BLANK;
	enum jx_mon_how phow = JX_MON_HOW_NONE, ehow = JX_MON_HOW_NONE;
	enum jx_cmp cmp;
	jx_dec tb = 0, pb = 0, eb = 0, share;
	char why[MSG_CAP], a[NUM_CAP], b[NUM_CAP], x[NUM_CAP], y[NUM_CAP];
	int tier;
	i128 lhs, rhs;

	why[0] = '\0';
	if (blank(ind->target)) {
		snprintf(why, sizeof(why), "未填写年度指标值，无法计算偏差");
		goto done;
	}
	jx_value_parse(ind->target, strlen(ind->target), ind->name, &t);
	jx_value_parse(ptext != NULL ? ptext : "",
	               ptext != NULL ? strlen(ptext) : 0, ind->name, &p);
	jx_value_parse(etext != NULL ? etext : "",
	               etext != NULL ? strlen(etext) : 0, ind->name, &e);
	if (p.kind == JX_VALUE_EMPTY && e.kind == JX_VALUE_EMPTY) {
		snprintf(why, sizeof(why), "未填写执行情况和全年预计完成情况");
		add(c, "MON_PROGRESS_MISSING", JX_SEV_WARNING, NULL, (int)i,
		    NULL, NULL,
		    "未填写1-%d月执行情况和全年预计完成情况，无法判断偏差"
		    "（没有具体三级指标的按完成100%%填写）",
		    c->m->period_month);
		goto done;
	}

	if (t.kind == JX_VALUE_WORD) {
		/* Qualitative: only a tier-2/3 word says anything; tier 1 or
		 * an unknown word leaves it to the filer. */
		if (p.kind != JX_VALUE_EMPTY &&
		    (tier = word_tier(c->r, &p)) >= 2) {
			pv = JX_MON_YES;
			phow = JX_MON_HOW_QUALITATIVE;
			snprintf(why, sizeof(why),
			         "定性指标：执行情况“%s”属第%d档（未完全达成）",
			         ptext, tier);
		} else if (e.kind != JX_VALUE_EMPTY &&
		           (tier = word_tier(c->r, &e)) >= 2) {
			ev = JX_MON_YES;
			ehow = JX_MON_HOW_QUALITATIVE;
			snprintf(why, sizeof(why),
			         "定性指标：全年预计“%s”属第%d档（未完全达成）",
			         etext, tier);
		} else {
			snprintf(why, sizeof(why),
			         "定性指标，是否偏差以填报人判断为准");
		}
		goto combine;
	}
	if (t.kind != JX_VALUE_NUMBER) {
		snprintf(why, sizeof(why), "年度指标值“%s”无法识别：%s",
		         ind->target,
		         t.error != NULL ? t.error : "不是数值也不是定性词语");
		goto combine;
	}

	cmp = t.cmp != JX_CMP_NONE ? t.cmp
	                           : jx_rules_bare_cmp(c->r, ind->level2);
	out->cumulative = jx_rules_monitor_cumulative(c->r, ind->level2) &&
	                  (t.unit == NULL || t.unit->dim != JX_DIM_RATIO);
	add_cost(c, &t, cmp, out->cumulative);

	/* progress to date */
	if (p.kind == JX_VALUE_NUMBER &&
	    jx_value_align(&t, &p, &tb, &pb) == JX_OK) {
		if (tb != 0 &&
		    jx_dec_muldiv(pb, PCT100, tb, 2, &share) == JX_OK) {
			out->has_share = true;
			out->share = share;
		}
		if (out->cumulative && tb > 0) {
			out->has_due = jx_dec_muldiv(t.num, c->res->tp_num,
			                             c->res->tp_den, 6,
			                             &out->due) == JX_OK;
			phow = JX_MON_HOW_TIME;
			/* behind: p d 10^6 < t n pb */
			lhs = (i128)pb * c->res->tp_den * JX_DEC_ONE;
			rhs = (i128)tb * c->res->tp_num * mc->progress_below;
			if (lhs < rhs) {
				pv = JX_MON_YES;
				snprintf(
				        why, sizeof(why),
				        "累计型指标：执行情况“%s”为年度指标值"
				        "“%s”的 %s%%，低于按序时进度 %s%% "
				        "应完成"
				        "数（%s）的 %s%%",
				        ptext, ind->target,
				        out->has_share
				                ? dstr(share, 2, a, sizeof(a))
				                : "?",
				        dstr(c->res->time_progress, 2, b,
				             sizeof(b)),
				        out->has_due ? dstr(out->due, -1, x,
				                            sizeof(x))
				                     : "?",
				        dstr(jx_dec_percent(mc->progress_below),
				             -1, y, sizeof(y)));
			} else if ((cmp == JX_CMP_LE || cmp == JX_CMP_LT ||
			            cmp == JX_CMP_EQ) &&
			           miss(cmp == JX_CMP_EQ ? JX_CMP_LE : cmp, pb,
			                tb) == JX_MON_YES) {
				pv = JX_MON_YES;
				snprintf(
				        why, sizeof(why),
				        "累计型指标：执行情况“%s”已超过年度指标"
				        "值“%s”",
				        ptext, ind->target);
			} else {
				pv = JX_MON_NO;
				snprintf(
				        why, sizeof(why),
				        "累计型指标：执行情况“%"
				        "s”为年度指标值的 "
				        "%s%%，不低于序时进度 %s%% 的 %s%%",
				        ptext,
				        out->has_share
				                ? dstr(share, 2, a, sizeof(a))
				                : "?",
				        dstr(c->res->time_progress, 2, b,
				             sizeof(b)),
				        dstr(jx_dec_percent(mc->progress_below),
				             -1, y, sizeof(y)));
			}
			if (pb == 0 && c->res->tp_num > 0)
				add(c, "MON_NO_PROGRESS", JX_SEV_WARNING, NULL,
				    (int)i, ptext, NULL,
				    "截至%d月底累计完成为 0（年度指标值“%s”）",
				    c->m->period_month, ind->target);
		} else {
			phow = JX_MON_HOW_TARGET;
			pv = miss(cmp, pb, tb);
			snprintf(why, sizeof(why),
			         "与年度指标值比较：执行情况“%s”%s年度指标值"
			         "“%s”",
			         ptext, pv == JX_MON_YES ? "未达到" : "达到",
			         ind->target);
		}
	} else if (p.kind == JX_VALUE_WORD &&
	           (tier = word_tier(c->r, &p)) >= 2) {
		pv = JX_MON_YES;
		phow = JX_MON_HOW_QUALITATIVE;
		snprintf(why, sizeof(why), "执行情况“%s”属第%d档（未完全达成）",
		         ptext, tier);
	} else if (p.kind != JX_VALUE_EMPTY) {
		snprintf(why, sizeof(why),
		         "执行情况“%s”无法与年度指标值“%s”比较", ptext,
		         ind->target);
		add(c, "MON_NOT_COMPARABLE", JX_SEV_WARNING, NULL, (int)i,
		    ptext, ind->target, "%s%s%s", why,
		    p.kind == JX_VALUE_NUMBER ? "（计量单位不同）" : "",
		    p.kind == JX_VALUE_UNPARSED && p.error != NULL ? p.error
		                                                   : "");
	}

	/* expected full-year value */
	if (e.kind == JX_VALUE_NUMBER &&
	    jx_value_align(&t, &e, &tb, &eb) == JX_OK) {
		ehow = JX_MON_HOW_EXPECTED;
		ev = miss(cmp, eb, tb);
		if (ev == JX_MON_YES && pv != JX_MON_YES)
			snprintf(why, sizeof(why),
			         "全年预计完成“%s”未达到年度指标值“%s”", etext,
			         ind->target);
		else if (why[0] == '\0')
			snprintf(why, sizeof(why),
			         "全年预计完成“%s”达到年度指标值“%s”", etext,
			         ind->target);
	} else if (e.kind == JX_VALUE_WORD &&
	           (tier = word_tier(c->r, &e)) >= 2) {
		ev = JX_MON_YES;
		ehow = JX_MON_HOW_QUALITATIVE;
		if (pv != JX_MON_YES)
			snprintf(why, sizeof(why),
			         "全年预计“%s”属第%d档（未完全达成）", etext,
			         tier);
	} else if (e.kind != JX_VALUE_EMPTY) {
		if (why[0] == '\0')
			snprintf(why, sizeof(why),
			         "全年预计完成“%s”无法与年度指标值“%s”比较",
			         etext, ind->target);
		add(c, "MON_NOT_COMPARABLE", JX_SEV_WARNING, NULL, (int)i,
		    etext, ind->target,
		    "全年预计完成“%s”无法与年度指标值“%s”比较", etext,
		    ind->target);
	}

combine:
	if (pv == JX_MON_YES) {
		out->computed = JX_MON_YES;
		out->how = phow;
	} else if (ev == JX_MON_YES) {
		out->computed = JX_MON_YES;
		out->how = ehow;
	} else if (pv == JX_MON_NO || ev == JX_MON_NO) {
		out->computed = JX_MON_NO;
		out->how = pv == JX_MON_NO ? phow : ehow;
	}
done:
	out->why = adup(c, why);
}

/* The filer's statements against each other and against the data. */
static void
check_indicator(struct ctx *c, size_t i)
{
	const struct jx_mon_indicator *ind = &c->m->indicators[i];
	struct jx_mon_ind_result *out = &c->res->ind[i];
	bool doubtful = ind->likely == JX_MON_LIKELY_MAYBE ||
	                ind->likely == JX_MON_LIKELY_NEVER;

	out->exists = ind->deviation == JX_MON_YES || doubtful;
	if (out->computed == JX_MON_YES)
		c->res->ncomputed++;
	if (ind->deviation == JX_MON_YES)
		c->res->nconfirmed++;
	if (out->computed == JX_MON_YES && ind->deviation != JX_MON_YES)
		add(c, "MON_DEVIATION_UNCONFIRMED", JX_SEV_WARNING, NULL,
		    (int)i, jx_monitor_flag_name(ind->deviation), "是",
		    "%s，但“存在偏差”%s：请填报人确认", out->why,
		    ind->deviation == JX_MON_NO ? "填为“否”" : "未填写");
	if (ind->deviation == JX_MON_NO && doubtful)
		add(c, "MON_LIKELY_CONTRADICTS", JX_SEV_WARNING, NULL, (int)i,
		    "否", jx_monitor_likely_name(ind->likely),
		    "“存在偏差”填为“否”，完成目标可能性却为“%s”",
		    jx_monitor_likely_name(ind->likely));
	if (out->exists && ind->cause == JX_MON_CAUSE_NONE)
		add(c, "MON_CAUSE_REQUIRED", JX_SEV_ERROR, NULL, (int)i, NULL,
		    NULL,
		    "存在偏差%s，须选择偏差原因类别（经费保障 / 制度保障 / "
		    "人员保障 / 硬件条件保障 / 其他）",
		    ind->deviation == JX_MON_YES
		            ? ""
		            : "（完成目标可能性不是“确定能”）");
	if (out->exists && blank(ind->measure))
		add(c, "MON_MEASURE_REQUIRED", JX_SEV_ERROR, NULL, (int)i, NULL,
		    NULL, "存在偏差%s，须填写纠偏措施",
		    ind->deviation == JX_MON_YES
		            ? ""
		            : "（完成目标可能性不是“确定能”）");
	if (ind->deviation == JX_MON_YES && ind->likely == JX_MON_LIKELY_NONE)
		add(c, "MON_LIKELY_REQUIRED", JX_SEV_ERROR, NULL, (int)i, NULL,
		    NULL,
		    "存在偏差，须填写完成目标可能性（确定能 / 有可能 / "
		    "完全不可能）");
	if (ind->likely == JX_MON_LIKELY_NEVER) {
		c->res->nimpossible++;
		add(c, "MON_IMPOSSIBLE", JX_SEV_WARNING, NULL, (int)i,
		    "完全不可能", NULL,
		    "填报人判断年度指标值“%s”完全不可能完成：请财政部门关注，"
		    "考虑调整目标、调减预算或暂缓拨款",
		    blank(ind->target) ? "" : ind->target);
	}
}

/* A cumulative ≤ target in money is a cost line: add it up in 元. */
static void
add_cost(struct ctx *c, const struct jx_value *t, enum jx_cmp cmp,
         bool cumulative)
{
	if (!cumulative || (cmp != JX_CMP_LE && cmp != JX_CMP_LT) ||
	    t->unit == NULL || t->unit->dim != JX_DIM_MONEY)
		return;
	/* num (millionths of the unit) × factor (millionths of 元 per unit)
	 * / 10^6 = millionths of 元 */
	c->cost_sum += (i128)t->num * t->unit->factor / JX_DEC_ONE;
	c->res->ncost++;
}

/* The cost targets against the budget: targets written for a budget that
 * has since been cut add up to more than it (seed 003). */
static void
judge_cost(struct ctx *c)
{
	const struct jx_monitor *m = c->m;
	i128 fen;
	char a[NUM_CAP], b[NUM_CAP];

	if (c->res->ncost == 0)
		return;
	/* millionths of 元 -> 分, half away from zero */
	fen = c->cost_sum >= 0 ? (c->cost_sum + 5000) / 10000
	                       : (c->cost_sum - 5000) / 10000;
	if (fen > JX_MONITOR_AMOUNT_MAX || fen < -JX_MONITOR_AMOUNT_MAX)
		fen = fen > 0 ? JX_MONITOR_AMOUNT_MAX : -JX_MONITOR_AMOUNT_MAX;
	c->res->cost_targets_fen = (int64_t)fen;
	if (!m->has_budget || c->cost_sum <= (i128)m->budget_fen * 10000)
		return;
	add(c, "MON_COST_OVER_BUDGET", JX_SEV_WARNING, "成本指标", -1,
	    fen_str(c->res->cost_targets_fen, a, sizeof(a)),
	    fen_str(m->budget_fen, b, sizeof(b)),
	    "%zu 项成本指标的年度指标值合计 %s，超过全年预算数 %s：指标值"
	    "可能仍按调整前的预算设定",
	    c->res->ncost, fen_str(c->res->cost_targets_fen, a, sizeof(a)),
	    fen_str(m->budget_fen, b, sizeof(b)));
}

/* ------------------------------------------------------------------ */
/* Budget adjustments and the targets                                  */

static int
event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int k = strcmp(x->date, y->date);

	if (k == 0)
		k = (x->idx > y->idx) - (x->idx < y->idx);
	return k;
}

enum jx_err
jx_monitor_follow(const struct jx_rules *r, bool has_initial,
                  int64_t initial_fen, const struct jx_mon_adjustment *adj,
                  size_t nadj, const struct jx_mon_goalver *gv, size_t ngv,
                  const char *as_of, struct jx_arena *arena,
                  struct jx_mon_follow *out, struct jx_diag *d)
{
	struct jx_mon_follow f;
	struct event *ev = NULL;
	char field[64];
	const char *targets = NULL;
	int y1, m1, d1, y2, m2, d2;
	int64_t base = initial_fen, net = 0, days;
	size_t i;
	enum jx_err err = JX_OK;

	memset(&f, 0, sizeof(f));
	if (r == NULL || out == NULL || arena == NULL ||
	    (nadj > 0 && adj == NULL) || (ngv > 0 && gv == NULL) ||
	    nadj > JX_MONITOR_MAX_EVENTS || ngv > JX_MONITOR_MAX_EVENTS ||
	    !jx_text_date(as_of, &y2, &m2, &d2)) {
		err = jx_diag_set(d, JX_EINVAL, "as_of", "参数无效");
		goto done;
	}
	for (i = 0; i < ngv; i++) {
		if (!jx_text_date(gv[i].date, NULL, NULL, NULL)) {
			snprintf(field, sizeof(field),
			         "goal_versions[%zu].date", i);
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "日期应写成 YYYY-MM-DD");
			goto done;
		}
		if (gv[i].targets_changed && strcmp(gv[i].date, as_of) <= 0 &&
		    (targets == NULL || strcmp(gv[i].date, targets) > 0))
			targets = gv[i].date;
	}
	if (nadj > 0) {
		ev = jx_arena_calloc(arena, nadj, sizeof(*ev));
		if (ev == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			goto done;
		}
	}
	for (i = 0; i < nadj; i++) {
		if (!jx_text_date(adj[i].date, NULL, NULL, NULL)) {
			snprintf(field, sizeof(field), "adjustments[%zu].date",
			         i);
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "日期应写成 YYYY-MM-DD");
			goto done;
		}
		ev[i].date = adj[i].date;
		ev[i].amount = adj[i].amount_fen;
		ev[i].idx = i;
	}
	if (targets == NULL || nadj == 0)
		goto done;
	f.judged = true;
	f.targets_date = targets;
	qsort(ev, nadj, sizeof(*ev), event_cmp);
	for (i = 0; i < nadj && strcmp(ev[i].date, as_of) <= 0; i++) {
		if (strcmp(ev[i].date, targets) <= 0) {
			base += ev[i].amount;
			continue;
		}
		if (f.nunfollowed++ == 0)
			f.first_unfollowed = ev[i].date;
		net += ev[i].amount;
	}
	f.net_fen = net;
	f.has_base = has_initial && base > 0;
	f.base_fen = base;
	if (f.has_base)
		f.has_change =
		        jx_dec_muldiv(net, PCT100, base, 2, &f.change) == JX_OK;
	if (net == 0)
		goto done;
	if (f.has_base && (i128)(net < 0 ? -net : net) * JX_DEC_ONE <=
	                          (i128)r->monitor.adjust_min * base)
		goto done;
	jx_text_date(f.first_unfollowed, &y1, &m1, &d1);
	days = day_number(y2, m2, d2) - day_number(y1, m1, d1);
	if (days >= r->monitor.goal_follow_days)
		f.lagging = true;
	else
		f.pending = true;
done:
	if (err == JX_OK && out != NULL)
		*out = f;
	return err;
}

static void
judge_follow(struct ctx *c)
{
	const struct jx_mon_follow *f = &c->res->follow;
	char a[NUM_CAP], b[NUM_CAP], p[NUM_CAP], stated[2 * NUM_CAP];

	if (!f->lagging)
		return;
	snprintf(stated, sizeof(stated), "%s 起调整 %zu 次",
	         f->first_unfollowed, f->nunfollowed);
	if (f->has_change)
		add(c, "MON_TARGETS_NOT_ADJUSTED", JX_SEV_WARNING, "预算调整",
		    -1, stated, fen_str(f->net_fen, a, sizeof(a)),
		    "预算自 %s 起调整 %zu 次，净调整 %s（为绩效目标所依据预算"
		    " %s 的 %s%%），此后绩效目标未相应调整（最近一次设定指标值"
		    "为 %s）：请同步调整绩效目标",
		    f->first_unfollowed, f->nunfollowed,
		    fen_str(f->net_fen, a, sizeof(a)),
		    fen_str(f->base_fen, b, sizeof(b)),
		    dstr(f->change, 2, p, sizeof(p)), f->targets_date);
	else
		add(c, "MON_TARGETS_NOT_ADJUSTED", JX_SEV_WARNING, "预算调整",
		    -1, stated, fen_str(f->net_fen, a, sizeof(a)),
		    "预算自 %s 起调整 %zu 次，净调整 %s，此后绩效目标未相应调整"
		    "（最近一次设定指标值为 %s）：请同步调整绩效目标",
		    f->first_unfollowed, f->nunfollowed,
		    fen_str(f->net_fen, a, sizeof(a)), f->targets_date);
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

enum jx_err
jx_monitor_run(const struct jx_monitor *m, const struct jx_rules *r,
               struct jx_arena *arena, struct jx_mon_result *out,
               struct jx_diag *d)
{
	struct jx_mon_result res;
	struct ctx c;
	size_t i;
	enum jx_err err;

	memset(&res, 0, sizeof(res));
	jx_diag_clear(d);
	if (m == NULL || r == NULL || arena == NULL || out == NULL) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto fail;
	}
	if ((err = check_record(m, d)) != JX_OK)
		goto fail;
	if (m->as_of != NULL)
		snprintf(res.as_of, sizeof(res.as_of), "%s", m->as_of);
	else
		snprintf(res.as_of, sizeof(res.as_of), "%04d-%02d-%02d",
		         m->year, m->period_month,
		         days_in_month(m->year, m->period_month));
	if ((err = jx_monitor_time_progress(r, m->year, m->period_month,
	                                    res.as_of, &res.tp_num,
	                                    &res.tp_den)) != JX_OK ||
	    (err = jx_dec_muldiv(res.tp_num, PCT100, res.tp_den, 2,
	                         &res.time_progress)) != JX_OK) {
		err = jx_diag_set(d, JX_EINVAL, "as_of", "无法计算序时进度");
		goto fail;
	}
	if (m->nindicators > 0) {
		res.ind = jx_arena_calloc(arena, m->nindicators,
		                          sizeof(*res.ind));
		if (res.ind == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			goto fail;
		}
	}
	if ((err = jx_monitor_follow(r, m->has_initial, m->initial_fen,
	                             m->adjustments, m->nadjustments,
	                             m->goalvers, m->ngoalvers, res.as_of,
	                             arena, &res.follow, d)) != JX_OK)
		goto fail;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.r = r;
	c.arena = arena;
	c.res = &res;
	judge_funds(&c);
	if (m->due != NULL && m->submitted != NULL &&
	    strcmp(m->submitted, m->due) > 0)
		add(&c, "MON_LATE", JX_SEV_WARNING, "报送时间", -1,
		    m->submitted, m->due, "报送日期 %s 晚于截止日期 %s",
		    m->submitted, m->due);
	for (i = 0; i < m->nindicators && c.err == JX_OK; i++) {
		judge_indicator(&c, i);
		check_indicator(&c, i);
	}
	judge_cost(&c);
	judge_follow(&c);
	if ((err = c.err) != JX_OK) {
		jx_diag_set(d, err, NULL, "内存不足");
		goto fail;
	}
	*out = res;
	return JX_OK;
fail:
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	return err;
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

const char *
jx_monitor_cause_name(enum jx_mon_cause c)
{
	switch (c) {
	case JX_MON_CAUSE_FUNDS:
		return "经费保障";
	case JX_MON_CAUSE_POLICY:
		return "制度保障";
	case JX_MON_CAUSE_STAFF:
		return "人员保障";
	case JX_MON_CAUSE_HARDWARE:
		return "硬件条件保障";
	case JX_MON_CAUSE_OTHER:
		return "其他";
	case JX_MON_CAUSE_NONE:
	default:
		return "";
	}
}

const char *
jx_monitor_likely_name(enum jx_mon_likely l)
{
	switch (l) {
	case JX_MON_LIKELY_SURE:
		return "确定能";
	case JX_MON_LIKELY_MAYBE:
		return "有可能";
	case JX_MON_LIKELY_NEVER:
		return "完全不可能";
	case JX_MON_LIKELY_NONE:
	default:
		return "";
	}
}

const char *
jx_monitor_flag_name(enum jx_mon_flag f)
{
	return f == JX_MON_YES ? "是" : f == JX_MON_NO ? "否" : "";
}

const char *
jx_monitor_light_name(enum jx_mon_light l)
{
	switch (l) {
	case JX_MON_GREEN:
		return "绿灯";
	case JX_MON_YELLOW:
		return "黄灯";
	case JX_MON_RED:
		return "红灯";
	case JX_MON_LIGHT_NONE:
	default:
		return "";
	}
}

const char *
jx_monitor_light_key(enum jx_mon_light l)
{
	switch (l) {
	case JX_MON_GREEN:
		return "green";
	case JX_MON_YELLOW:
		return "yellow";
	case JX_MON_RED:
		return "red";
	case JX_MON_LIGHT_NONE:
	default:
		return "none";
	}
}

/* s folded (spaces and full-width forms) into buf; *len 0 for blank. */
static enum jx_err
fold_word(const char *s, char *buf, size_t cap, size_t *len)
{
	size_t n;

	*len = 0;
	buf[0] = '\0';
	if (s == NULL)
		return JX_OK;
	n = strlen(s);
	if (n >= cap)
		return JX_EINVAL;
	n = jx_text_fold(s, n, buf, cap);
	if (n == (size_t)-1)
		return JX_EINVAL;
	*len = n;
	return JX_OK;
}

static bool
word_in(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0 || jx_text_ascii_ieq(w, list[i]))
			return true;
	return false;
}

enum jx_err
jx_monitor_cause_parse(const char *s, enum jx_mon_cause *out)
{
	static const char *const funds[] = {"经费", "经费保障", "经费原因",
	                                    "资金", "资金原因"};
	static const char *const policy[] = {"制度", "制度保障", "制度原因",
	                                     "政策", "政策原因"};
	static const char *const staff[] = {"人员", "人员保障", "人员原因"};
	static const char *const hard[] = {"硬件", "硬件条件", "硬件条件保障",
	                                   "硬件原因", "硬件保障"};
	static const char *const other[] = {"其他", "其他原因", "其它",
	                                    "其它原因"};
	char w[FOLD_CAP];
	size_t n;
	enum jx_mon_cause c;

	if (out == NULL || fold_word(s, w, sizeof(w), &n) != JX_OK)
		return JX_EINVAL;
	if (n == 0)
		c = JX_MON_CAUSE_NONE;
	else if (word_in(w, funds, NELEM(funds)))
		c = JX_MON_CAUSE_FUNDS;
	else if (word_in(w, policy, NELEM(policy)))
		c = JX_MON_CAUSE_POLICY;
	else if (word_in(w, staff, NELEM(staff)))
		c = JX_MON_CAUSE_STAFF;
	else if (word_in(w, hard, NELEM(hard)))
		c = JX_MON_CAUSE_HARDWARE;
	else if (word_in(w, other, NELEM(other)))
		c = JX_MON_CAUSE_OTHER;
	else
		return JX_EINVAL;
	*out = c;
	return JX_OK;
}

enum jx_err
jx_monitor_likely_parse(const char *s, enum jx_mon_likely *out)
{
	static const char *const sure[] = {"确定能", "能", "1"};
	static const char *const maybe[] = {"有可能", "可能", "2"};
	static const char *const never[] = {"完全不可能", "不可能", "3"};
	char w[FOLD_CAP];
	size_t n;
	enum jx_mon_likely l;

	if (out == NULL || fold_word(s, w, sizeof(w), &n) != JX_OK)
		return JX_EINVAL;
	if (n == 0)
		l = JX_MON_LIKELY_NONE;
	else if (word_in(w, sure, NELEM(sure)))
		l = JX_MON_LIKELY_SURE;
	else if (word_in(w, maybe, NELEM(maybe)))
		l = JX_MON_LIKELY_MAYBE;
	else if (word_in(w, never, NELEM(never)))
		l = JX_MON_LIKELY_NEVER;
	else
		return JX_EINVAL;
	*out = l;
	return JX_OK;
}

enum jx_err
jx_monitor_flag_parse(const char *s, enum jx_mon_flag *out)
{
	static const char *const yes[] = {"是", "有", "Y", "yes"};
	static const char *const no[] = {"否", "无", "N", "no"};
	char w[FOLD_CAP];
	size_t n;
	enum jx_mon_flag f;

	if (out == NULL || fold_word(s, w, sizeof(w), &n) != JX_OK)
		return JX_EINVAL;
	if (n == 0)
		f = JX_MON_BLANK;
	else if (word_in(w, yes, NELEM(yes)))
		f = JX_MON_YES;
	else if (word_in(w, no, NELEM(no)))
		f = JX_MON_NO;
	else
		return JX_EINVAL;
	*out = f;
	return JX_OK;
}
