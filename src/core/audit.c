/*
 * audit.c - compare what a self-evaluation states with what its data
 * implies, figure by figure, and say where and why they disagree.
 *
 * Severity follows one principle: an error is a disagreement the data
 * proves under the rule set (arithmetic, a met target without full points);
 * a warning is one that rests on a judgement the document left open (a bare
 * target whose direction had to be inferred, a soft target, a value the
 * parser could not read). Every check that passes on a stated figure is
 * recorded as a confirmation (JX_SEV_OK), so reports can say what is right.
 * Stated rates are compared at the precision they are written with ("100%"
 * accepts 99.6%); scores and money at the rule set's tolerances.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jx/audit.h"
#include "jx/text.h"
#include "jx/value.h"

struct ctx {
	const struct jx_eval *e;
	const struct jx_rules *r;
	const struct jx_result *res;
	struct jx_arena *arena;
	struct jx_findings *f;
	enum jx_err err;
	bool confirm;    /* record JX_SEV_OK confirmations */
	size_t trace_of; /* indicator index + 1 held in trace */
	char trace[JX_MAX_TRACE];
	char exec_trace[JX_MAX_TRACE];
};

static void add(struct ctx *c, const char *code, enum jx_severity sev,
                const char *where, const char *stated, const char *computed,
                int indicator, const char *fmt, ...)
        __attribute__((format(printf, 8, 9)));
static const char *dstr(jx_dec v, int places, char *buf, size_t cap);
static const char *tr(struct ctx *c, size_t i);
static const char *etr(struct ctx *c);
static jx_dec half_unit(jx_dec v);
static bool rate_text_percent(const char *text, jx_dec *pct, jx_dec *tol);
static bool blank_reason(const char *s);
static bool contains(const char *s, const char *needle);
static void check_row(struct ctx *c, const struct jx_fund_row *row,
                      const char *where, bool skip_exec_rate);
static void check_sums(struct ctx *c, const char *what, size_t off,
                       const struct jx_fund_row *rows, size_t n,
                       const struct jx_fund_row *whole, const char *where);
static void check_funds(struct ctx *c);
static void check_indicator(struct ctx *c, size_t i);
static void check_cost_sum(struct ctx *c);
static void check_weights(struct ctx *c);
static void check_total(struct ctx *c);

const char *
jx_audit_severity_name(enum jx_severity s)
{
	switch (s) {
	case JX_SEV_ERROR:
		return "error";
	case JX_SEV_WARNING:
		return "warning";
	case JX_SEV_OK:
		break;
	}
	return "ok";
}

static const char *
dstr(jx_dec v, int places, char *buf, size_t cap)
{
	jx_dec_format(v, places, buf, cap);
	return buf;
}

/* The trace of indicator i, written once when a message needs it. */
static const char *
tr(struct ctx *c, size_t i)
{
	if (c->trace_of != i + 1) {
		jx_score_trace(&c->e->indicators[i], c->r, &c->res->ind[i],
		               c->trace, sizeof(c->trace));
		c->trace_of = i + 1;
	}
	return c->trace;
}

static const char *
etr(struct ctx *c)
{
	if (c->exec_trace[0] == '\0')
		jx_score_exec_trace(c->e, c->r, c->res, c->exec_trace,
		                    sizeof(c->exec_trace));
	return c->exec_trace;
}

/*
 * Record a finding. `where` NULL means indicator `indicator`'s path, built
 * only now. Confirmations are dropped unless asked for.
 */
static void
add(struct ctx *c, const char *code, enum jx_severity sev, const char *where,
    const char *stated, const char *computed, int indicator, const char *fmt,
    ...)
{
	struct jx_findings *f = c->f;
	struct jx_finding *it;
	char msg[768];
	va_list ap;
	int n;

	char path[512];

	if (c->err != JX_OK || (sev == JX_SEV_OK && !c->confirm))
		return;
	if (where == NULL) {
		const struct jx_indicator *ind = &c->e->indicators[indicator];

		jx_eval_indicator_path(ind, path, sizeof(path));
		if (path[0] == '\0')
			snprintf(path, sizeof(path), "第%d项指标",
			         indicator + 1);
		where = path;
	}
	if (f->n - f->nok >= JX_MAX_FINDINGS && sev != JX_SEV_OK) {
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
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	it = &f->items[f->n];
	it->code = code;
	it->severity = sev;
	it->indicator = indicator;
	it->where = jx_arena_strndup(c->arena, where, strlen(where));
	it->message = jx_arena_strndup(c->arena, msg, strlen(msg));
	it->stated = stated != NULL ? jx_arena_strndup(c->arena, stated,
	                                               strlen(stated))
	                            : NULL;
	it->computed = computed != NULL ? jx_arena_strndup(c->arena, computed,
	                                                   strlen(computed))
	                                : NULL;
	if (it->where == NULL || it->message == NULL ||
	    (stated != NULL && it->stated == NULL) ||
	    (computed != NULL && it->computed == NULL)) {
		c->err = JX_ENOMEM;
		return;
	}
	f->n++;
	if (sev == JX_SEV_ERROR)
		f->nerrors++;
	else if (sev == JX_SEV_WARNING)
		f->nwarnings++;
	else
		f->nok++;
}

/* Half a unit of the last decimal place v is written with: 100 -> 0.5,
 * 98.06 -> 0.005. A figure rounded for display is right within it. */
static jx_dec
half_unit(jx_dec v)
{
	jx_dec unit = JX_DEC_ONE;

	if (v < 0)
		v = -v;
	while (unit > 1 && v % unit != 0)
		unit /= 10;
	return unit / 2;
}

/* A stated rate as written ("15%", "100.00%", "1", "0.95") in percent, with
 * the tolerance its precision implies. False when it is not a number. */
static bool
rate_text_percent(const char *text, jx_dec *pct, jx_dec *tol)
{
	struct jx_value v;

	if (text == NULL)
		return false;
	jx_value_parse(text, strlen(text), NULL, &v);
	if (v.kind != JX_VALUE_NUMBER)
		return false;
	if (v.unit != NULL && v.unit->dim == JX_DIM_RATIO) {
		if (jx_dec_muldiv(v.num, v.unit->factor, JX_DEC_ONE / 100, 6,
		                  pct) != JX_OK)
			return false;
		*tol = half_unit(v.num);
		return true;
	}
	if (v.unit != NULL)
		return false;
	/* A bare number: a fraction when <= 1 ("0.95"), else percent. */
	if (v.num <= JX_DEC_ONE) {
		*pct = v.num * 100;
		*tol = half_unit(v.num) * 100;
	} else {
		*pct = v.num;
		*tol = half_unit(v.num);
	}
	return true;
}

static bool
blank_reason(const char *s)
{
	static const char *const none[] = {"无", "/",    "-",     "—",
	                                   "——", "无。", "不适用"};
	char buf[64];
	size_t len, i;

	if (s == NULL)
		return true;
	len = jx_text_fold(s, strlen(s), buf, sizeof(buf));
	if (len == (size_t)-1)
		return false; /* long text: a real reason */
	if (len == 0)
		return true;
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (strcmp(buf, none[i]) == 0)
			return true;
	return false;
}

static bool
contains(const char *s, const char *needle)
{
	return s != NULL && strstr(s, needle) != NULL;
}

/* Row identities: 结余 = 到位 − 执行; 到位率 = 到位/全年预算;
 * 执行率 = 执行/全年预算. */
static void
check_row(struct ctx *c, const struct jx_fund_row *row, const char *where,
          bool skip_exec_rate)
{
	const struct jx_rules *r = c->r;
	char w[160], bs[48], bc[48];
	jx_dec v, tol;

	if (row->balance_stated.set && row->received.set && row->executed.set) {
		v = row->received.v - row->executed.v;
		snprintf(w, sizeof(w), "%s/资金结余", where);
		if (jx_dec_near(row->balance_stated.v, v, r->tol.money))
			add(c, "FUNDS_MISMATCH", JX_SEV_OK, w,
			    dstr(row->balance_stated.v, -1, bs, sizeof(bs)),
			    dstr(v, -1, bc, sizeof(bc)), -1,
			    "资金结余 = 实际到位 − 执行数，核对无误");
		else
			add(c, "FUNDS_MISMATCH", JX_SEV_ERROR, w,
			    dstr(row->balance_stated.v, -1, bs, sizeof(bs)),
			    dstr(v, -1, bc, sizeof(bc)), -1,
			    "资金结余填报为%s，按实际到位资金减执行数应为%s",
			    bs, bc);
	}
	if (row->annual.set && row->annual.v > 0) {
		const struct {
			const struct jx_opt *stated, *num;
			const char *name, *numname;
		} rates[2] = {
		        {&row->received_rate_stated, &row->received,
		         "预算到位率", "实际到位资金"},
		        {&row->exec_rate_stated, &row->executed, "预算执行率",
		         "执行数"},
		};
		size_t i;

		for (i = 0; i < 2; i++) {
			if (i == 1 && skip_exec_rate)
				continue;
			if (!rates[i].stated->set || !rates[i].num->set)
				continue;
			if (jx_dec_muldiv(rates[i].num->v, 100 * JX_DEC_ONE,
			                  row->annual.v, 4, &v) != JX_OK)
				continue;
			tol = half_unit(rates[i].stated->v);
			if (tol < r->tol.rate)
				tol = r->tol.rate;
			snprintf(w, sizeof(w), "%s/%s", where, rates[i].name);
			dstr(rates[i].stated->v, -1, bs, sizeof(bs));
			dstr(v, 2, bc, sizeof(bc));
			strncat(bs, "%", sizeof(bs) - strlen(bs) - 1);
			strncat(bc, "%", sizeof(bc) - strlen(bc) - 1);
			if (jx_dec_near(rates[i].stated->v, v, tol))
				add(c, "FUNDS_MISMATCH", JX_SEV_OK, w, bs, bc,
				    -1, "%s核对无误", rates[i].name);
			else
				add(c, "FUNDS_MISMATCH", JX_SEV_ERROR, w, bs,
				    bc, -1, "%s填报为%s，按%s÷全年预算数应为%s",
				    rates[i].name, bs, rates[i].numname, bc);
		}
	}
}

/* Parts (sources or levels) must add up to the whole, field by field.
 * `off` is the offset of the struct jx_opt inside struct jx_fund_row. */
static void
check_sums(struct ctx *c, const char *what, size_t off,
           const struct jx_fund_row *rows, size_t n,
           const struct jx_fund_row *whole, const char *where)
{
	const struct jx_opt *wo =
	        (const struct jx_opt *)(const void *)((const char *)whole +
	                                              off);
	jx_dec sum = 0;
	size_t i, nset = 0;
	char w[160], bs[48], bc[48];

	if (!wo->set)
		return;
	for (i = 0; i < n; i++) {
		const struct jx_opt *o =
		        (const struct jx_opt
		                 *)(const void *)((const char *)&rows[i] + off);

		if (!o->set)
			continue;
		nset++;
		if (jx_dec_add(sum, o->v, &sum) != JX_OK)
			return;
	}
	if (nset == 0)
		return;
	snprintf(w, sizeof(w), "%s/%s", where, what);
	dstr(wo->v, -1, bs, sizeof(bs));
	dstr(sum, -1, bc, sizeof(bc));
	if (jx_dec_near(wo->v, sum, c->r->tol.money))
		add(c, "FUNDS_MISMATCH", JX_SEV_OK, w, bs, bc, -1,
		    "%s各分项之和与合计一致", what);
	else
		add(c, "FUNDS_MISMATCH", JX_SEV_ERROR, w, bs, bc, -1,
		    "%s合计为%s，各分项之和为%s，两者不符", what, bs, bc);
}

static void
check_funds(struct ctx *c)
{
	const struct jx_eval *e = c->e;
	const struct jx_funds *fu = &e->funds;
	const struct jx_result *res = c->res;
	const struct jx_rules *r = c->r;
	const struct jx_fund_row *fiscal = NULL;
	char w[160], bs[48], bc[48];
	jx_dec pct, tol;
	size_t i;
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
	        {"年初预算数", offsetof(struct jx_fund_row, initial)},
	        {"全年预算数", offsetof(struct jx_fund_row, annual)},
	        {"实际到位资金", offsetof(struct jx_fund_row, received)},
	        {"执行数", offsetof(struct jx_fund_row, executed)},
	};

	if (fu->period != NULL && fu->period[0] != '\0' &&
	    (e->kind == NULL || strcmp(e->kind, "self") == 0))
		add(c, "FUNDS_MISMATCH", JX_SEV_WARNING, "项目资金/执行数",
		    fu->period, "全年", -1,
		    "自评表的执行数是%"
		    "s的数据，不是全年执行数；预算执行率和得分应按全年执行数计"
		    "算",
		    fu->period);

	/* The execution line. */
	if (res->has_exec && fu->exec_rate_text != NULL &&
	    fu->exec_rate_text[0] != '\0') {
		if (rate_text_percent(fu->exec_rate_text, &pct, &tol)) {
			if (tol < r->tol.rate)
				tol = r->tol.rate;
			dstr(jx_dec_percent(res->exec_rate), 2, bc, sizeof(bc));
			strncat(bc, "%", sizeof(bc) - strlen(bc) - 1);
			if (jx_dec_near(pct, jx_dec_percent(res->exec_rate),
			                tol))
				add(c, "EXEC_RATE_MISMATCH", JX_SEV_OK,
				    "预算执行率", fu->exec_rate_text, bc, -1,
				    "预算执行率核对无误：%s", etr(c));
			else
				add(c, "EXEC_RATE_MISMATCH", JX_SEV_ERROR,
				    "预算执行率", fu->exec_rate_text, bc, -1,
				    "预算执行率填报为%s，按资金数据应为%s（%"
				    "s）",
				    fu->exec_rate_text, bc, etr(c));
		} else {
			add(c, "UNPARSED_VALUE", JX_SEV_WARNING, "预算执行率",
			    fu->exec_rate_text, NULL, -1,
			    "预算执行率“%s”不是数值，无法核对",
			    fu->exec_rate_text);
		}
	}
	if (fu->exec_score_stated.set) {
		dstr(fu->exec_score_stated.v, -1, bs, sizeof(bs));
		if (fu->exec_score_stated.v > res->exec_weight)
			add(c, "SCORE_OVER_WEIGHT", JX_SEV_ERROR, "预算执行率",
			    bs, dstr(res->exec_weight, -1, bc, sizeof(bc)), -1,
			    "预算执行率得分%s超过其分值%s", bs, bc);
		if (res->has_exec) {
			dstr(res->exec_score, r->places, bc, sizeof(bc));
			if (jx_dec_near(fu->exec_score_stated.v,
			                res->exec_score, r->tol.score))
				add(c, "EXEC_SCORE_MISMATCH", JX_SEV_OK,
				    "预算执行率", bs, bc, -1,
				    "预算执行率得分核对无误");
			else
				add(c, "EXEC_SCORE_MISMATCH", JX_SEV_ERROR,
				    "预算执行率", bs, bc, -1,
				    "预算执行率得分填报为%s，按规则应为%s（%"
				    "s）",
				    bs, bc, etr(c));
		}
	} else if (res->has_exec) {
		add(c, "MISSING_VALUE", JX_SEV_ERROR, "预算执行率", NULL,
		    dstr(res->exec_score, r->places, bc, sizeof(bc)), -1,
		    "未填写预算执行率得分（按规则应为%s分）", bc);
	}
	if (fu->exec_weight.set && fu->exec_weight.v != r->exec.weight)
		add(c, "LEVEL1_WEIGHT", JX_SEV_WARNING, "预算执行率",
		    dstr(fu->exec_weight.v, -1, bs, sizeof(bs)),
		    dstr(r->exec.weight, -1, bc, sizeof(bc)), -1,
		    "预算执行率分值为%s，规则方案“%s”规定为%s", bs, r->title,
		    bc);

	/* Row identities and parts adding up. */
	/* The total row's execution rate is the execution line's, checked
	 * above as EXEC_RATE_MISMATCH when the form states it. */
	check_row(c, &fu->total, "项目资金/年度资金总额",
	          res->has_exec && fu->exec_rate_text != NULL);
	for (i = 0; i < fu->nsources; i++) {
		snprintf(w, sizeof(w), "项目资金/%s", fu->sources[i].name);
		check_row(c, &fu->sources[i], w, false);
		if (fiscal == NULL && contains(fu->sources[i].name, "财政"))
			fiscal = &fu->sources[i];
	}
	for (i = 0; i < fu->nlevels; i++) {
		snprintf(w, sizeof(w), "项目资金/%s", fu->levels[i].name);
		check_row(c, &fu->levels[i], w, false);
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		check_sums(c, fields[i].name, fields[i].off, fu->sources,
		           fu->nsources, &fu->total, "项目资金/资金来源");
		check_sums(c, fields[i].name, fields[i].off, fu->levels,
		           fu->nlevels, fiscal != NULL ? fiscal : &fu->total,
		           fiscal != NULL ? "项目资金/财政资金分级"
		                          : "项目资金/分级");
	}

	/* Order: executed <= received <= annual. Not impossible (advances,
	 * carry-overs), so warnings. */
	if (fu->total.executed.set && fu->total.received.set &&
	    fu->total.executed.v > fu->total.received.v)
		add(c, "FUNDS_MISMATCH", JX_SEV_WARNING,
		    "项目资金/年度资金总额",
		    dstr(fu->total.executed.v, -1, bs, sizeof(bs)),
		    dstr(fu->total.received.v, -1, bc, sizeof(bc)), -1,
		    "执行数%s大于实际到位资金%s", bs, bc);
	if (fu->total.received.set && fu->total.annual.set &&
	    fu->total.received.v > fu->total.annual.v)
		add(c, "FUNDS_MISMATCH", JX_SEV_WARNING,
		    "项目资金/年度资金总额",
		    dstr(fu->total.received.v, -1, bs, sizeof(bs)),
		    dstr(fu->total.annual.v, -1, bc, sizeof(bc)), -1,
		    "实际到位资金%s大于全年预算数%s", bs, bc);
	if (fu->total.executed.set && fu->total.annual.set &&
	    !fu->total.received.set &&
	    fu->total.executed.v > fu->total.annual.v)
		add(c, "FUNDS_MISMATCH", JX_SEV_WARNING,
		    "项目资金/年度资金总额",
		    dstr(fu->total.executed.v, -1, bs, sizeof(bs)),
		    dstr(fu->total.annual.v, -1, bc, sizeof(bc)), -1,
		    "执行数%s大于全年预算数%s", bs, bc);
	if (res->has_exec && r->exec.reason_below > 0 &&
	    res->exec_rate < r->exec.reason_below && r->reason.when_exec_below)
		add(c, "LARGE_DEVIATION", JX_SEV_WARNING, "预算执行率", NULL,
		    dstr(jx_dec_percent(res->exec_rate), 2, bc, sizeof(bc)), -1,
		    "预算执行率%s%%低于%s%%，应在自评中说明原因", bc,
		    dstr(jx_dec_percent(r->exec.reason_below), -1, bs,
		         sizeof(bs)));
}

static void
check_indicator(struct ctx *c, size_t i)
{
	const struct jx_indicator *ind = &c->e->indicators[i];
	const struct jx_ind_result *o = &c->res->ind[i];
	const struct jx_rules *r = c->r;
	char bs[64], bc[64], bt[128], ba[128];
	int idx = (int)i;
	/* A warning only when the stated score is what another plausible
	 * reading of a bare target gives. */
	enum jx_severity judged =
	        o->has_alt && ind->score_stated.set &&
	                        jx_dec_near(ind->score_stated.v, o->alt_score,
	                                    r->tol.score)
	                ? JX_SEV_WARNING
	                : JX_SEV_ERROR;
	bool lost_stated = false, lost_computed = false;

	/* Required cells. */
	if (!ind->weight.set)
		add(c, "MISSING_VALUE", JX_SEV_ERROR, NULL, NULL, NULL, idx,
		    "未填写分值（权重）");
	if (o->problem == JX_PROBLEM_NO_TARGET)
		add(c, "MISSING_VALUE", JX_SEV_ERROR, NULL, NULL, NULL, idx,
		    "未填写年度指标值");
	if (o->problem == JX_PROBLEM_NO_ACTUAL)
		add(c, "MISSING_VALUE", JX_SEV_ERROR, NULL, NULL, NULL, idx,
		    "未填写实际完成值");
	if (!ind->score_stated.set && ind->weight.set)
		add(c, "MISSING_VALUE", JX_SEV_ERROR, NULL, NULL,
		    o->kind != JX_SCORE_NONE
		            ? dstr(o->score, r->places, bc, sizeof(bc))
		            : NULL,
		    idx, "未填写得分");

	/* What could not be read or compared. */
	if (o->problem == JX_PROBLEM_UNPARSED_TARGET)
		add(c, "UNPARSED_VALUE", JX_SEV_WARNING, NULL, ind->target,
		    NULL, idx, "%s", tr(c, i));
	if (o->problem == JX_PROBLEM_UNPARSED_ACTUAL ||
	    o->problem == JX_PROBLEM_UNKNOWN_WORD)
		add(c, "UNPARSED_VALUE", JX_SEV_WARNING, NULL, ind->actual,
		    NULL, idx, "%s", tr(c, i));
	if (o->problem == JX_PROBLEM_UNIT_MISMATCH)
		add(c, "UNIT_MISMATCH", JX_SEV_ERROR, NULL, ind->actual,
		    ind->target, idx, "%s", tr(c, i));

	if (ind->score_stated.set && ind->weight.set &&
	    ind->score_stated.v > ind->weight.v)
		add(c, "SCORE_OVER_WEIGHT", JX_SEV_ERROR, NULL,
		    dstr(ind->score_stated.v, -1, bs, sizeof(bs)),
		    dstr(ind->weight.v, -1, bc, sizeof(bc)), idx,
		    "得分%s超过分值%s（不设加分项）", bs, bc);

	/* The stated score against the rule. */
	if (ind->score_stated.set && ind->weight.set &&
	    o->kind == JX_SCORE_QUANT) {
		jx_dec st = ind->score_stated.v;
		bool ok = jx_dec_near(st, o->score, r->tol.score);
		const char *why;

		if (!ok || c->confirm) {
			dstr(st, -1, bs, sizeof(bs));
			dstr(o->score, r->places, bc, sizeof(bc));
		}
		if (ok)
			why = c->confirm ? "得分核对无误" : NULL;
		else if (judged == JX_SEV_WARNING)
			why = "填报得分按正向比例计分，而规则方案将未写比较符号"
			      "的目标作另一种推定";
		else if (st >= ind->weight.v && o->score < ind->weight.v)
			why = "目标未达成却得满分";
		else if (o->outcome == JX_OUTCOME_MET && st < o->score)
			why = "目标已达成却被扣分";
		else
			why = "得分与规则不符";
		if (why != NULL)
			add(c, "SCORE_MISMATCH", ok ? JX_SEV_OK : judged, NULL,
			    bs, bc, idx, "%s：%s", why, tr(c, i));
	} else if (ind->score_stated.set && ind->weight.set &&
	           o->kind == JX_SCORE_QUAL && o->problem == JX_PROBLEM_NONE) {
		jx_dec st = ind->score_stated.v;
		bool ok = o->score == st;

		if (!ok || c->confirm) {
			const struct jx_rules_tier *rt = &r->tiers[o->tier - 1];
			char lo[32], hi[32];

			snprintf(bc, sizeof(bc), "%s%s, %s%s",
			         rt->band.lo_incl ? "[" : "(",
			         dstr(o->score_lo, -1, lo, sizeof(lo)),
			         dstr(o->score_hi, -1, hi, sizeof(hi)),
			         rt->band.hi_incl ? "]" : ")");
			dstr(st, -1, bs, sizeof(bs));
			add(c, "SCORE_MISMATCH", ok ? JX_SEV_OK : JX_SEV_ERROR,
			    NULL, bs, bc, idx, "%s：%s",
			    ok ? "得分在所属档次区间内"
			    : o->outcome == JX_OUTCOME_MET
			            ? "目标已达成，得分应在所属档次区间内"
			            : "定性指标得分超出所属档次区间",
			    tr(c, i));
		}
	}

	/* The stated completion rate. */
	if (o->kind == JX_SCORE_QUANT && o->has_completion &&
	    ind->completion_stated != NULL &&
	    ind->completion_stated[0] != '\0') {
		jx_dec pct, tol, calc = jx_dec_percent(o->completion);
		bool ok;

		if (rate_text_percent(ind->completion_stated, &pct, &tol)) {
			if (tol < r->tol.rate)
				tol = r->tol.rate;
			ok = jx_dec_near(pct, calc, tol);
			/* A met target is often written as 100% whatever the
			 * ratio; that is a convention, not an error. */
			if (!ok && o->outcome == JX_OUTCOME_MET)
				ok = jx_dec_near(pct, 100 * JX_DEC_ONE, tol);
			if (!ok || c->confirm) {
				dstr(calc, 2, bc, sizeof(bc));
				strncat(bc, "%", sizeof(bc) - strlen(bc) - 1);
				if (ok)
					add(c, "COMPLETION_MISMATCH", JX_SEV_OK,
					    NULL, ind->completion_stated, bc,
					    idx, "完成率核对无误");
				else
					add(c, "COMPLETION_MISMATCH",
					    JX_SEV_ERROR, NULL,
					    ind->completion_stated, bc, idx,
					    "完成率填报为%"
					    "s，按实际完成值÷年度指标值应为%s",
					    ind->completion_stated, bc);
			}
		}
	}

	/* A deviation reason where points were lost or the target was far
	 * exceeded. */
	if (ind->weight.set && r->reason.when_below_weight) {
		/* Within the tolerance a score counts as full. */
		lost_stated =
		        ind->score_stated.set &&
		        ind->score_stated.v < ind->weight.v - r->tol.score;
		lost_computed = o->kind != JX_SCORE_NONE &&
		                o->score < ind->weight.v - r->tol.score;
	}
	if ((lost_stated || lost_computed ||
	     (o->over && r->reason.when_over)) &&
	    blank_reason(ind->deviation_reason))
		add(c, "MISSING_DEVIATION_REASON",
		    lost_stated || (lost_computed && judged == JX_SEV_ERROR)
		            ? JX_SEV_ERROR
		            : JX_SEV_WARNING,
		    NULL, ind->deviation_reason, NULL, idx,
		    "%s，但未填写偏差原因分析及改进措施",
		    lost_stated || lost_computed ? "该指标未得满分"
		                                 : "实际完成值大幅超出目标");

	/* Far from the target: a soft target, or one not adjusted. */
	if (o->kind == JX_SCORE_QUANT && o->t_base > 0) {
		jx_dec lim;
		bool high = (o->cmp == JX_CMP_GE || o->cmp == JX_CMP_GT ||
		             o->cmp == JX_CMP_EQ) &&
		            r->quant.large_over > 0 &&
		            jx_dec_muldiv(o->t_base, r->quant.large_over,
		                          JX_DEC_ONE, 6, &lim) == JX_OK &&
		            o->a_base >= lim;
		bool low = (o->cmp == JX_CMP_LE || o->cmp == JX_CMP_LT) &&
		           r->quant.large_under > 0 &&
		           jx_dec_muldiv(o->t_base, r->quant.large_under,
		                         JX_DEC_ONE, 6, &lim) == JX_OK &&
		           o->a_base <= lim;

		if (high || low) {
			jx_value_format(&o->target, bt, sizeof(bt));
			jx_value_format(&o->actual, ba, sizeof(ba));
		}
		if (high)
			add(c, "LARGE_DEVIATION", JX_SEV_WARNING, NULL, ba, bt,
			    idx,
			    "实际完成值%s远超年度指标值%s，目标可能设定偏低",
			    ba, bt);
		if (low)
			add(c, "LARGE_DEVIATION", JX_SEV_WARNING, NULL, ba, bt,
			    idx,
			    "实际完成值%s远低于年度指标值%s（仅%s%%"
			    "），目标可能未随预算调整",
			    ba, bt,
			    o->has_completion
			            ? dstr(jx_dec_percent(o->completion), 2, bs,
			                   sizeof(bs))
			            : "-");
	}
}

/* Money targets of cost indicators adding up to more than the annual
 * budget: the targets were not adjusted when the budget was (seed 003). */
static void
check_cost_sum(struct ctx *c)
{
	const struct jx_eval *e = c->e;
	const struct jx_unit *fu;
	jx_dec sum = 0, budget;
	size_t i, n = 0;
	char bs[48], bc[48];

	if (!e->has_funds || !e->funds.total.annual.set)
		return;
	fu = jx_value_unit_find(
	        e->funds.unit != NULL ? e->funds.unit : "万元",
	        strlen(e->funds.unit != NULL ? e->funds.unit : "万元"));
	if (fu == NULL || fu->dim != JX_DIM_MONEY)
		return;
	for (i = 0; i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		const struct jx_ind_result *o = &c->res->ind[i];
		jx_dec tb;

		if (!contains(ind->level2, "成本") &&
		    !contains(ind->level1, "成本"))
			continue;
		if (o->target.kind != JX_VALUE_NUMBER ||
		    o->target.unit == NULL ||
		    o->target.unit->dim != JX_DIM_MONEY)
			continue;
		if (jx_dec_muldiv(o->target.num, o->target.unit->factor,
		                  JX_DEC_ONE, 6, &tb) != JX_OK ||
		    jx_dec_add(sum, tb, &sum) != JX_OK)
			return;
		n++;
	}
	if (n == 0 || jx_dec_muldiv(e->funds.total.annual.v, fu->factor,
	                            JX_DEC_ONE, 6, &budget) != JX_OK)
		return;
	if (sum > budget) {
		jx_dec sum_u;

		if (jx_dec_muldiv(sum, JX_DEC_ONE, fu->factor, 6, &sum_u) !=
		    JX_OK)
			return;
		dstr(sum_u, -1, bs, sizeof(bs));
		dstr(e->funds.total.annual.v, -1, bc, sizeof(bc));
		add(c, "LARGE_DEVIATION", JX_SEV_WARNING, "产出指标/成本指标",
		    bs, bc, -1,
		    "成本指标的目标金额合计%s%s，超过全年预算数%s%"
		    "s：预算调整后绩效目标可能未相应调整",
		    bs, fu->name, bc, fu->name);
	}
}

static void
check_weights(struct ctx *c)
{
	const struct jx_eval *e = c->e;
	const struct jx_rules *r = c->r;
	const struct jx_result *res = c->res;
	char bs[48], bc[48], w[160];
	size_t i, j;
	bool fixed = false, have_sat = false;
	const struct jx_rules_level1 **l1s;

	dstr(res->weight_sum, -1, bc, sizeof(bc));
	if (res->weight_sum != r->total_weight)
		add(c, "WEIGHT_SUM", JX_SEV_ERROR, "分值合计",
		    dstr(r->total_weight, -1, bs, sizeof(bs)), bc, -1,
		    "预算执行率与各三级指标的分值合计为%s，应为%s", bc, bs);
	else
		add(c, "WEIGHT_SUM", JX_SEV_OK, "分值合计", bc, bc, -1,
		    "分值合计为%s，核对无误", bc);
	if (e->total_weight_stated.set &&
	    e->total_weight_stated.v != res->weight_sum)
		add(c, "WEIGHT_SUM", JX_SEV_ERROR, "总分/分值",
		    dstr(e->total_weight_stated.v, -1, bs, sizeof(bs)), bc, -1,
		    "总分行的分值填报为%s，各行分值合计为%s", bs, bc);

	/* First-level weights, when the rule set fixes them. Each indicator's
	 * first-level entry is looked up once. */
	for (i = 0; i < r->nlevel1; i++)
		if (r->level1[i].kind != JX_L1_OTHER)
			fixed = true;
	if (!fixed || r->level1_free || e->nindicators == 0)
		return;
	l1s = jx_arena_alloc(c->arena, e->nindicators * sizeof(*l1s));
	if (l1s == NULL) {
		c->err = JX_ENOMEM;
		return;
	}
	for (i = 0; i < e->nindicators; i++) {
		l1s[i] = jx_rules_level1_find(r, e->indicators[i].level1);
		if (l1s[i] != NULL && l1s[i]->kind == JX_L1_SATISFACTION)
			have_sat = true;
	}
	for (i = 0; i < r->nlevel1; i++) {
		const struct jx_rules_level1 *l1 = &r->level1[i];
		jx_dec sum = 0, expect;
		size_t n = 0;

		if (!jx_rules_level1_expected(r, l1, have_sat, &expect))
			continue;
		for (j = 0; j < e->nindicators; j++) {
			if (l1s[j] != l1 || !e->indicators[j].weight.set)
				continue;
			sum += e->indicators[j].weight.v;
			n++;
		}
		if (n == 0 || sum == expect)
			continue;
		snprintf(w, sizeof(w), "%s", l1->name);
		dstr(sum, -1, bs, sizeof(bs));
		dstr(expect, -1, bc, sizeof(bc));
		add(c, "LEVEL1_WEIGHT", JX_SEV_WARNING, w, bs, bc, -1,
		    "%s的分值合计为%s，规则方案“%s”规定为%s", l1->name, bs,
		    r->title, bc);
	}
	for (i = 0; i < e->nindicators; i++) {
		const char *l1 = e->indicators[i].level1;

		if (l1 == NULL || l1[0] == '\0' || l1s[i] != NULL)
			continue;
		for (j = 0; j < i; j++)
			if (e->indicators[j].level1 != NULL &&
			    strcmp(e->indicators[j].level1, l1) == 0)
				break;
		if (j == i)
			add(c, "LEVEL1_WEIGHT", JX_SEV_WARNING, l1, l1, NULL,
			    (int)i, "一级指标“%s”不在规则方案“%s”的一级指标中",
			    l1, r->title);
	}
}

static void
check_total(struct ctx *c)
{
	const struct jx_eval *e = c->e;
	const struct jx_rules *r = c->r;
	const struct jx_result *res = c->res;
	const struct jx_rules_grade *gs = NULL, *gt = NULL;
	char bs[48], bc[48];
	jx_dec sum = 0;
	bool all_stated = true, line_error = false, sum_ok = true;
	size_t i;
	enum jx_severity sev;

	if (e->has_funds && e->funds.exec_weight.set) {
		if (e->funds.exec_score_stated.set)
			sum = e->funds.exec_score_stated.v;
		else
			all_stated = false;
	}
	for (i = 0; i < e->nindicators; i++) {
		if (e->indicators[i].score_stated.set)
			sum += e->indicators[i].score_stated.v;
		else if (e->indicators[i].weight.set)
			all_stated = false;
	}
	for (i = 0; i < c->f->n; i++) {
		const struct jx_finding *it = &c->f->items[i];

		if (it->severity == JX_SEV_ERROR &&
		    (strcmp(it->code, "SCORE_MISMATCH") == 0 ||
		     strcmp(it->code, "EXEC_SCORE_MISMATCH") == 0 ||
		     strcmp(it->code, "SCORE_OVER_WEIGHT") == 0))
			line_error = true;
	}
	sev = line_error ? JX_SEV_ERROR : JX_SEV_WARNING;

	if (!e->total_score_stated.set) {
		if (e->nindicators > 0)
			add(c, "MISSING_VALUE", JX_SEV_ERROR, "总分", NULL,
			    dstr(res->total, r->total_places, bc, sizeof(bc)),
			    -1, "未填写总分（按规则计算为%s）", bc);
	} else {
		dstr(e->total_score_stated.v, -1, bs, sizeof(bs));
		sum_ok =
		        !all_stated ||
		        jx_dec_near(sum, e->total_score_stated.v, r->tol.score);
		if (all_stated && sum_ok) {
			dstr(sum, -1, bc, sizeof(bc));
			add(c, "TOTAL_MISMATCH", JX_SEV_OK, "总分", bs, bc, -1,
			    "总分%s等于各项得分之和", bs);
		} else if (all_stated) {
			char bt[48];

			dstr(sum, -1, bc, sizeof(bc));
			add(c, "TOTAL_MISMATCH", JX_SEV_ERROR, "总分", bs, bc,
			    -1,
			    "总分填报为%s，但各项填报得分之和为%"
			    "s（按规则计算为%s）",
			    bs, bc,
			    res->total_complete
			            ? dstr(res->total, r->total_places, bt,
			                   sizeof(bt))
			            : "不完整");
		}
		/* Against the computed total only when the stated one is at
		 * least its own lines' sum: else the error above says it. */
		if (sum_ok && res->total_complete &&
		    !jx_dec_near(res->total, e->total_score_stated.v,
		                 r->tol.score))
			add(c, "TOTAL_MISMATCH", sev, "总分", bs,
			    dstr(res->total, r->total_places, bc, sizeof(bc)),
			    -1,
			    "按规则方案“%s”计算的总分为%s，与填报的%"
			    "s不同（差异来自上列各行）",
			    r->title, bc, bs);
		if (e->total_score_stated.v > r->total_weight)
			add(c, "SCORE_OVER_WEIGHT", JX_SEV_ERROR, "总分", bs,
			    dstr(r->total_weight, -1, bc, sizeof(bc)), -1,
			    "总分%s超过满分%s", bs, bc);
	}

	/* The grade. */
	if (e->grade_stated == NULL || e->grade_stated[0] == '\0') {
		if (r->ngrades > 0 && !r->grading_optional &&
		    e->total_score_stated.set && e->grade_stated != NULL)
			add(c, "MISSING_VALUE", JX_SEV_WARNING, "评价等级",
			    NULL, res->grade != NULL ? res->grade->name : NULL,
			    -1, "未填写评价等级");
		return;
	}
	gs = jx_rules_grade_find(r, e->grade_stated);
	if (gs == NULL) {
		add(c, "UNPARSED_VALUE", JX_SEV_WARNING, "评价等级",
		    e->grade_stated, NULL, -1,
		    "评价等级“%s”不在规则方案“%s”的等级中", e->grade_stated,
		    r->title);
		return;
	}
	if (e->total_score_stated.set) {
		gt = jx_rules_grade_for(r, e->total_score_stated.v);
		dstr(e->total_score_stated.v, -1, bs, sizeof(bs));
		if (gt != NULL && gt != gs)
			add(c, "GRADE_MISMATCH", JX_SEV_ERROR, "评价等级",
			    e->grade_stated, gt->name, -1,
			    "填报总分%s对应的等级为“%s”，填报为“%s”", bs,
			    gt->name, e->grade_stated);
		else if (gt != NULL)
			add(c, "GRADE_MISMATCH", JX_SEV_OK, "评价等级",
			    e->grade_stated, gt->name, -1,
			    "等级“%s”与填报总分%s相符", e->grade_stated, bs);
	}
	/* Against the computed total only when the stated grade fits the
	 * stated total: else the error above says it. */
	if (res->total_complete && res->grade != NULL && res->grade != gs &&
	    (gt == NULL || gt == gs))
		add(c, "GRADE_MISMATCH", sev, "评价等级", e->grade_stated,
		    res->grade->name, -1,
		    "按规则计算的总分%s对应的等级为“%s”，填报为“%s”",
		    dstr(res->total, r->total_places, bc, sizeof(bc)),
		    res->grade->name, e->grade_stated);
}

enum jx_err
jx_audit_run(const struct jx_eval *e, const struct jx_rules *r,
             const struct jx_result *res, struct jx_arena *arena,
             unsigned flags, struct jx_findings *out)
{
	struct ctx c;
	size_t i;

	if (e == NULL || r == NULL || res == NULL || arena == NULL ||
	    out == NULL)
		return JX_EINVAL;
	memset(out, 0, sizeof(*out));
	c.e = e;
	c.r = r;
	c.res = res;
	c.arena = arena;
	c.f = out;
	c.err = JX_OK;
	c.confirm = (flags & JX_AUDIT_CONFIRM) != 0;
	c.trace_of = 0;
	c.exec_trace[0] = '\0';

	if (e->has_funds)
		check_funds(&c);
	for (i = 0; i < e->nindicators && i < res->n; i++)
		check_indicator(&c, i);
	check_cost_sum(&c);
	check_weights(&c);
	check_total(&c);
	return c.err;
}
