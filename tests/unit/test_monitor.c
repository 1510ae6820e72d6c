/*
 * test_monitor.c - the monitoring judge (monitor.h).
 *
 * Every record under tests/data/monitor/NNN-*.json (the interchange form
 * proposed for monitoring records, see that folder's README.md) is judged
 * under the rule set it names and rendered as lines: time progress,
 * execution rate, light, counts, the follow-up of budget adjustments, one
 * line per indicator (computed deviation, how, what the filer states) and
 * the findings sorted. The lines must equal the .expect file's (comments
 * and blank lines skipped). 001 is seed 001's monitoring table as stated;
 * 002 the same as jixiao would have it filed; 003 seed 003's project with
 * its budget cut and targets unchanged. Then the pieces one by one: time
 * progress, the light at its exact edges, the follow-up of adjustments,
 * the parsers, bad records and out-of-memory.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jx/monitor.h"
#include "jx/rules.h"
#include "testutil.h"

#define DATA_DIR  "tests/data/monitor"
#define MAX_FILES 64
#define MAX_LINES 256
#define LINE_CAP  512

/* A record read from a fixture; strings borrowed from `root`. */
struct fixture {
	json_t *root;
	struct jx_monitor m;
	struct jx_mon_indicator *ind;
	struct jx_mon_adjustment *adj;
	struct jx_mon_goalver *gv;
	struct jx_rules rules;
};

struct lines {
	char *v[MAX_LINES];
	size_t n;
};

static const char *str_or_null(json_t *obj, const char *key);
static int64_t amount(json_t *obj, const char *key, const char *unit,
                      bool *has);
static void load_fixture(const char *stem, struct fixture *fx);
static void free_fixture(struct fixture *fx);
static void push(struct lines *l, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static int line_cmp(const void *a, const void *b);
static void render(const struct jx_monitor *m, const struct jx_mon_result *r,
                   struct lines *out);
static void read_expect(const char *stem, struct lines *out);
static void free_lines(struct lines *l);
static const char *how_name(enum jx_mon_how h);
static const char *flag_or_dash(enum jx_mon_flag f);
static const char *has_code(const struct jx_findings *f, const char *code,
                            const char *where);
static void run_default(const struct jx_monitor *m, struct jx_rules *r,
                        struct jx_arena *a, struct jx_mon_result *res);

static const char *
str_or_null(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v))
		fail_msg("%s: expected a string", key);
	return json_string_value(v);
}

/* An amount written as a decimal string in `unit` (万元 or 元), in fen. */
static int64_t
amount(json_t *obj, const char *key, const char *unit, bool *has)
{
	const char *s = str_or_null(obj, key);
	jx_dec v;

	*has = s != NULL;
	if (s == NULL)
		return 0;
	v = tu_dec(s);
	/* a 万元 figure as a jx_dec is a count of fen (10^-6 万元) */
	if (strcmp(unit, "万元") == 0)
		return v;
	assert_string_equal(unit, "元");
	assert_int_equal(v % 10000, 0);
	return v / 10000;
}

static void
load_fixture(const char *stem, struct fixture *fx)
{
	char rel[512];
	json_error_t je;
	json_t *arr, *it, *funds;
	const char *unit, *rules, *s;
	size_t i, len;
	char *buf;
	struct jx_diag d;

	memset(fx, 0, sizeof(*fx));
	snprintf(rel, sizeof(rel), "%s/%s/%s.json", JX_SOURCE_DIR, DATA_DIR,
	         stem);
	fx->root = json_load_file(rel, JSON_REJECT_DUPLICATES, &je);
	if (fx->root == NULL)
		fail_msg("%s:%d: %s", rel, je.line, je.text);

	rules = str_or_null(fx->root, "rules");
	assert_non_null(rules);
	if (strchr(rules, '/') == NULL) {
		assert_int_equal(tu_rules(&fx->rules, rules), 0);
	} else {
		buf = tu_read(rules, &len);
		assert_non_null(buf);
		assert_int_equal(jx_rules_load(&fx->rules, buf, len, "fixture",
		                               rules, &d),
		                 JX_OK);
		free(buf);
	}

	fx->m.title = str_or_null(fx->root, "title");
	fx->m.year = (int)json_integer_value(json_object_get(fx->root, "year"));
	fx->m.period_month = (int)json_integer_value(
	        json_object_get(fx->root, "period_month"));
	fx->m.as_of = str_or_null(fx->root, "as_of");
	fx->m.due = str_or_null(fx->root, "due");
	fx->m.submitted = str_or_null(fx->root, "submitted");
	funds = json_object_get(fx->root, "funds");
	assert_non_null(funds);
	unit = str_or_null(funds, "unit");
	assert_non_null(unit);
	fx->m.initial_fen =
	        amount(funds, "initial_budget", unit, &fx->m.has_initial);
	fx->m.budget_fen =
	        amount(funds, "annual_budget", unit, &fx->m.has_budget);
	fx->m.executed_fen =
	        amount(funds, "executed", unit, &fx->m.has_executed);
	fx->m.expected_fen =
	        amount(funds, "expected_annual", unit, &fx->m.has_expected);

	arr = json_object_get(fx->root, "indicators");
	fx->m.nindicators = json_array_size(arr);
	fx->ind = calloc(fx->m.nindicators + 1, sizeof(*fx->ind));
	assert_non_null(fx->ind);
	json_array_foreach(arr, i, it)
	{
		struct jx_mon_indicator *x = &fx->ind[i];

		x->level1 = str_or_null(it, "level1");
		x->level2 = str_or_null(it, "level2");
		x->name = str_or_null(it, "name");
		x->target = str_or_null(it, "target");
		x->progress = str_or_null(it, "progress");
		x->expected = str_or_null(it, "expected");
		x->cause_text = str_or_null(it, "cause_text");
		x->measure = str_or_null(it, "measure");
		s = str_or_null(it, "deviation");
		assert_int_equal(jx_monitor_flag_parse(s, &x->deviation),
		                 JX_OK);
		s = str_or_null(it, "cause");
		assert_int_equal(jx_monitor_cause_parse(s, &x->cause), JX_OK);
		s = str_or_null(it, "likelihood");
		assert_int_equal(jx_monitor_likely_parse(s, &x->likely), JX_OK);
	}
	fx->m.indicators = fx->ind;

	arr = json_object_get(fx->root, "adjustments");
	fx->m.nadjustments = json_array_size(arr);
	fx->adj = calloc(fx->m.nadjustments + 1, sizeof(*fx->adj));
	assert_non_null(fx->adj);
	json_array_foreach(arr, i, it)
	{
		bool has;

		fx->adj[i].date = str_or_null(it, "date");
		fx->adj[i].amount_fen = amount(it, "amount", unit, &has);
		assert_true(has);
	}
	fx->m.adjustments = fx->adj;

	arr = json_object_get(fx->root, "goal_versions");
	fx->m.ngoalvers = json_array_size(arr);
	fx->gv = calloc(fx->m.ngoalvers + 1, sizeof(*fx->gv));
	assert_non_null(fx->gv);
	json_array_foreach(arr, i, it)
	{
		fx->gv[i].date = str_or_null(it, "date");
		fx->gv[i].targets_changed =
		        json_is_true(json_object_get(it, "targets_changed"));
	}
	fx->m.goalvers = fx->gv;
}

static void
free_fixture(struct fixture *fx)
{
	json_decref(fx->root);
	free(fx->ind);
	free(fx->adj);
	free(fx->gv);
	jx_rules_cleanup(&fx->rules);
}

static void
push(struct lines *l, const char *fmt, ...)
{
	va_list ap;

	assert_true(l->n < MAX_LINES);
	l->v[l->n] = malloc(LINE_CAP);
	assert_non_null(l->v[l->n]);
	va_start(ap, fmt);
	vsnprintf(l->v[l->n], LINE_CAP, fmt, ap);
	va_end(ap);
	l->n++;
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *
how_name(enum jx_mon_how h)
{
	switch (h) {
	case JX_MON_HOW_TIME:
		return "time";
	case JX_MON_HOW_TARGET:
		return "target";
	case JX_MON_HOW_EXPECTED:
		return "expected";
	case JX_MON_HOW_QUALITATIVE:
		return "qualitative";
	case JX_MON_HOW_NONE:
	default:
		return "none";
	}
}

static const char *
flag_or_dash(enum jx_mon_flag f)
{
	return f == JX_MON_BLANK ? "-" : jx_monitor_flag_name(f);
}

static void
render(const struct jx_monitor *m, const struct jx_mon_result *r,
       struct lines *out)
{
	char a[64], b[64], c[64], path[512];
	const struct jx_mon_follow *f = &r->follow;
	size_t i, first;

	memset(out, 0, sizeof(*out));
	push(out, "time_progress %s",
	     (jx_dec_format(r->time_progress, 2, a, sizeof(a)), a));
	push(out, "exec_rate %s",
	     r->has_rate ? (jx_dec_format(r->exec_rate, 2, a, sizeof(a)), a)
	                 : "-");
	push(out, "ratio %s",
	     r->has_ratio ? (jx_dec_format(r->ratio, 2, a, sizeof(a)), a)
	                  : "-");
	push(out, "gap %s",
	     r->has_gap ? (jx_dec_format(r->gap, 2, a, sizeof(a)), a) : "-");
	push(out, "light %s", jx_monitor_light_key(r->light));
	if (r->has_expected_rate)
		push(out, "expected_rate %s",
		     (jx_dec_format(r->expected_rate, 2, a, sizeof(a)), a));
	push(out, "ncomputed %zu", r->ncomputed);
	push(out, "nconfirmed %zu", r->nconfirmed);
	push(out, "nimpossible %zu", r->nimpossible);
	push(out, "ncost %zu", r->ncost);
	push(out, "cost_targets %s",
	     (jx_dec_format(r->cost_targets_fen, -1, a, sizeof(a)), a));
	if (!f->judged)
		push(out, "follow none");
	else
		push(out,
		     "follow %s targets=%s unfollowed=%zu since=%s net=%s "
		     "base=%s change=%s",
		     f->lagging   ? "lagging"
		     : f->pending ? "pending"
		                  : "ok",
		     f->targets_date, f->nunfollowed,
		     f->first_unfollowed != NULL ? f->first_unfollowed : "-",
		     (jx_dec_format(f->net_fen, -1, a, sizeof(a)), a),
		     f->has_base
		             ? (jx_dec_format(f->base_fen, -1, b, sizeof(b)), b)
		             : "-",
		     f->has_change
		             ? (jx_dec_format(f->change, 2, c, sizeof(c)), c)
		             : "-");
	for (i = 0; i < m->nindicators; i++) {
		const struct jx_mon_indicator *ind = &m->indicators[i];

		snprintf(path, sizeof(path), "%s/%s/%s", ind->level1,
		         ind->level2, ind->name);
		push(out, "ind %s computed=%s how=%s filer=%s likely=%s", path,
		     flag_or_dash(r->ind[i].computed), how_name(r->ind[i].how),
		     flag_or_dash(ind->deviation),
		     ind->likely == JX_MON_LIKELY_NONE
		             ? "-"
		             : jx_monitor_likely_name(ind->likely));
		assert_non_null(r->ind[i].why);
		assert_true(strlen(r->ind[i].why) > 0);
	}
	first = out->n;
	for (i = 0; i < r->findings.n; i++) {
		const struct jx_finding *it = &r->findings.items[i];

		assert_non_null(it->message);
		assert_true(strlen(it->message) > 0);
		push(out, "finding %s %s %s",
		     jx_audit_severity_name(it->severity), it->code, it->where);
	}
	qsort(out->v + first, out->n - first, sizeof(out->v[0]), line_cmp);
}

static void
read_expect(const char *stem, struct lines *out)
{
	char rel[512];
	char *buf, *p, *eol;
	size_t len;

	memset(out, 0, sizeof(*out));
	snprintf(rel, sizeof(rel), "%s/%s.expect", DATA_DIR, stem);
	buf = tu_read(rel, &len);
	if (buf == NULL)
		fail_msg("cannot read %s", rel);
	for (p = buf; *p != '\0'; p = eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (eol > p && *p != '#')
			push(out, "%.*s", (int)(eol - p), p);
		if (*eol == '\n')
			eol++;
	}
	free(buf);
}

static void
free_lines(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

/* Each fixture's rendering equals its .expect, line for line. */
static void
test_fixtures(void **state)
{
	char *names[MAX_FILES];
	char dir[512];
	DIR *dh;
	struct dirent *e;
	size_t n = 0, i, j, len;
	struct fixture fx;
	struct jx_arena arena;
	struct jx_mon_result res;
	struct jx_diag d;
	struct lines got, want;
	bool same;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/%s", JX_SOURCE_DIR, DATA_DIR);
	dh = opendir(dir);
	assert_non_null(dh);
	while ((e = readdir(dh)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		assert_true(n < MAX_FILES);
		names[n] = strndup(e->d_name, len - 5);
		assert_non_null(names[n]);
		n++;
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), line_cmp);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		load_fixture(names[i], &fx);
		jx_arena_init(&arena, 0);
		if (jx_monitor_run(&fx.m, &fx.rules, &arena, &res, &d) != JX_OK)
			fail_msg("%s: %s: %s", names[i], d.field, d.message);
		render(&fx.m, &res, &got);
		read_expect(names[i], &want);
		same = got.n == want.n;
		for (j = 0; same && j < got.n; j++)
			same = strcmp(got.v[j], want.v[j]) == 0;
		if (!same) {
			fprintf(stderr, "---- %s: got\n", names[i]);
			for (j = 0; j < got.n; j++)
				fprintf(stderr, "%s\n", got.v[j]);
			for (j = 0; j < res.findings.n; j++)
				fprintf(stderr, "  # %s %s: %s\n",
				        res.findings.items[j].code,
				        res.findings.items[j].where,
				        res.findings.items[j].message);
			fail_msg("%s: rendering differs from %s.expect",
			         names[i], names[i]);
		}
		free_lines(&got);
		free_lines(&want);
		jx_arena_cleanup(&arena);
		free_fixture(&fx);
		free(names[i]);
	}
}

static const char *
has_code(const struct jx_findings *f, const char *code, const char *where)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->items[i].code, code) == 0 &&
		    (where == NULL || strcmp(f->items[i].where, where) == 0))
			return f->items[i].message;
	return NULL;
}

/* Seed 001's headline warning, read as a person would: the message says
 * 5.65%, 50.00% and 11.30%; the cost line's reason says what was due. */
static void
test_seed001_messages(void **state)
{
	struct fixture fx;
	struct jx_arena arena;
	struct jx_mon_result res;
	const char *msg;

	(void)state;
	load_fixture("001-seed", &fx);
	jx_arena_init(&arena, 0);
	assert_int_equal(jx_monitor_run(&fx.m, &fx.rules, &arena, &res, NULL),
	                 JX_OK);
	assert_int_equal(res.tp_num, 6);
	assert_int_equal(res.tp_den, 12);
	msg = has_code(&res.findings, "MON_EXEC_LAG", "预算执行");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "5.65%"));
	assert_non_null(strstr(msg, "50.00%"));
	assert_non_null(strstr(msg, "11.30%"));
	assert_non_null(strstr(msg, "红灯"));
	/* 40万元 at 50%: 20 due, 0 done */
	assert_true(res.ind[13].has_due);
	assert_int_equal(res.ind[13].due, tu_dec("20"));
	assert_true(res.ind[13].has_share);
	assert_int_equal(res.ind[13].share, 0);
	assert_non_null(strstr(res.ind[13].why, "0万元"));
	/* 1项 of 1项: 100% */
	assert_int_equal(res.ind[0].share, tu_dec("100"));
	assert_int_equal(res.findings.nerrors, 10);
	assert_int_equal(res.findings.nwarnings, 9);
	jx_arena_cleanup(&arena);
	free_fixture(&fx);
}

/* Time progress: months are N/12; days count 1 January as day 1. */
static void
test_time_progress(void **state)
{
	struct jx_rules r;
	int64_t n = 0, d = 0;

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	assert_int_equal(jx_monitor_time_progress(&r, 2021, 6, NULL, &n, &d),
	                 JX_OK);
	assert_true(n == 6 && d == 12);
	assert_int_equal(
	        jx_monitor_time_progress(NULL, 2021, 8, "2021-08-15", &n, &d),
	        JX_OK);
	assert_true(n == 8 && d == 12); /* month basis ignores the date */

	r.monitor.time_basis = JX_MON_TIME_DAY;
	assert_int_equal(jx_monitor_time_progress(&r, 2021, 6, NULL, &n, &d),
	                 JX_OK);
	assert_true(n == 181 && d == 365); /* 31+28+31+30+31+30 */
	assert_int_equal(jx_monitor_time_progress(&r, 2024, 6, NULL, &n, &d),
	                 JX_OK);
	assert_true(n == 182 && d == 366); /* leap year */
	assert_int_equal(
	        jx_monitor_time_progress(&r, 2021, 6, "2021-01-01", &n, &d),
	        JX_OK);
	assert_true(n == 1 && d == 365);
	assert_int_equal(
	        jx_monitor_time_progress(&r, 2021, 12, "2021-12-31", &n, &d),
	        JX_OK);
	assert_true(n == 365 && d == 365);
	assert_int_equal(
	        jx_monitor_time_progress(&r, 2021, 6, "2020-12-31", &n, &d),
	        JX_OK);
	assert_true(n == 0); /* before the year */
	assert_int_equal(
	        jx_monitor_time_progress(&r, 2021, 6, "2022-01-05", &n, &d),
	        JX_OK);
	assert_true(n == 365); /* after it */

	assert_int_equal(jx_monitor_time_progress(&r, 2021, 13, NULL, &n, &d),
	                 JX_EINVAL);
	assert_int_equal(jx_monitor_time_progress(&r, 2021, 0, NULL, &n, &d),
	                 JX_EINVAL);
	assert_int_equal(jx_monitor_time_progress(&r, 1800, 6, NULL, &n, &d),
	                 JX_EINVAL);
	assert_int_equal(
	        jx_monitor_time_progress(&r, 2021, 6, "2021-02-30", &n, &d),
	        JX_EINVAL);
	jx_rules_cleanup(&r);
}

/* The light at its exact edges: 60% of time progress is yellow, 80% green
 * (mof-2020: red < 60, yellow < 80); a lag of exactly red_lag points is
 * yellow, one fen more is red. */
static void
test_light_edges(void **state)
{
	static const struct {
		int64_t exec, budget, num, den;
		enum jx_mon_light want;
		const char *why;
	} ratio[] = {
	        {20, 354, 6, 12, JX_MON_RED, "seed 001: 11.30%"},
	        {30, 100, 6, 12, JX_MON_YELLOW, "exactly 60%"},
	        {2999, 10000, 6, 12, JX_MON_RED, "59.98%"},
	        {40, 100, 6, 12, JX_MON_GREEN, "exactly 80%"},
	        {3999, 10000, 6, 12, JX_MON_YELLOW, "79.98%"},
	        {100, 100, 6, 12, JX_MON_GREEN, "ahead of time"},
	        {0, 100, 1, 12, JX_MON_RED, "nothing spent"},
	        {0, 0, 6, 12, JX_MON_LIGHT_NONE, "no budget"},
	        {10, 100, 0, 365, JX_MON_LIGHT_NONE, "no time yet"},
	        /* 181/365 days: 60% of it is 29.753...%: 29.75% just red */
	        {2975, 10000, 181, 365, JX_MON_RED, "day basis, below"},
	        {2976, 10000, 181, 365, JX_MON_YELLOW, "day basis, above"},
	};
	static const struct {
		int64_t exec, budget, num, den;
		enum jx_mon_light want;
		const char *why;
	} gap[] = {
	        {3000, 10000, 6, 12, JX_MON_YELLOW, "lag exactly 20"},
	        {2999, 10000, 6, 12, JX_MON_RED, "lag 20.01"},
	        {4000, 10000, 6, 12, JX_MON_GREEN, "lag exactly 10"},
	        {3999, 10000, 6, 12, JX_MON_YELLOW, "lag 10.01"},
	        {10, 100, 0, 365, JX_MON_GREEN, "ahead of a zero progress"},
	};
	struct jx_rules r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ratio) / sizeof(ratio[0]); i++)
		if (jx_monitor_light(NULL, ratio[i].exec, ratio[i].budget,
		                     ratio[i].num,
		                     ratio[i].den) != ratio[i].want)
			fail_msg("ratio %s", ratio[i].why);
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	r.monitor.light = JX_MON_BASIS_GAP;
	r.monitor.yellow_lag = tu_dec("10");
	r.monitor.red_lag = tu_dec("20");
	for (i = 0; i < sizeof(gap) / sizeof(gap[0]); i++)
		if (jx_monitor_light(&r, gap[i].exec, gap[i].budget, gap[i].num,
		                     gap[i].den) != gap[i].want)
			fail_msg("gap %s", gap[i].why);
	jx_rules_cleanup(&r);
}

/* The targets following the budget (seed 003's problem), case by case. */
static void
test_follow(void **state)
{
	static const struct jx_mon_goalver first[] = {{"2021-01-15", true}};
	static const struct jx_mon_goalver later[] = {{"2021-01-15", true},
	                                              {"2021-07-01", true}};
	static const struct jx_mon_goalver same[] = {{"2021-01-15", true},
	                                             {"2021-07-10", false}};
	static const struct jx_mon_adjustment cut[] = {
	        {"2021-07-01", -7870000}};
	static const struct jx_mon_adjustment swing[] = {
	        {"2021-08-01", 2000000}, /* given out of order */
	        {"2021-03-01", 5000000},
	        {"2021-07-01", -2000000}};
	struct jx_rules r;
	struct jx_arena a;
	struct jx_mon_follow f;
	struct jx_diag d;

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	jx_arena_init(&a, 0);

	/* cut on 1 July, targets of January: lagging by year end */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, first,
	                                   1, "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.judged && f.lagging && !f.pending);
	assert_int_equal(f.net_fen, -7870000);
	assert_int_equal(f.base_fen, 100000000);
	assert_int_equal(f.change, tu_dec("-7.87"));
	assert_string_equal(f.first_unfollowed, "2021-07-01");
	assert_string_equal(f.targets_date, "2021-01-15");

	/* within the 30 days' grace: pending; on day 30: lagging */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, first,
	                                   1, "2021-07-30", &a, &f, &d),
	                 JX_OK);
	assert_true(f.pending && !f.lagging);
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, first,
	                                   1, "2021-07-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging);

	/* a new version on the day of the cut follows it */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, later,
	                                   2, "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.judged && !f.lagging && !f.pending);
	assert_int_equal(f.nunfollowed, 0);
	assert_int_equal(f.base_fen, 100000000 - 7870000);

	/* a version that changed no target does not */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, same, 2,
	                                   "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging);

	/* before the adjustment date nothing is unfollowed yet */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, first,
	                                   1, "2021-06-30", &a, &f, &d),
	                 JX_OK);
	assert_true(f.judged && !f.lagging && f.nunfollowed == 0);

	/* targets of 1 July: +5 (March) and -2 (the same day) are part of
	 * their base; +2 in August is not followed */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, swing, 3, later,
	                                   2, "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging && f.nunfollowed == 1);
	assert_int_equal(f.net_fen, 2000000);
	assert_int_equal(f.base_fen, 103000000);
	assert_string_equal(f.first_unfollowed, "2021-08-01");
	/* targets of January: -2 and +2 after +5 ... net +5 */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, swing, 3, first,
	                                   1, "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging && f.nunfollowed == 3);
	assert_int_equal(f.net_fen, 5000000);
	assert_string_equal(f.first_unfollowed, "2021-03-01");
	/* ... and as of 1 July only +5 and -2 count: net +3, base 100 */
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, swing, 3, first,
	                                   1, "2021-07-01", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging && f.nunfollowed == 2);
	assert_int_equal(f.net_fen, 3000000);
	assert_int_equal(f.change, tu_dec("3"));
	/* a cut and a restoration after the targets: net 0, nothing due */
	{
		static const struct jx_mon_adjustment back[] = {
		        {"2021-03-01", -2000000}, {"2021-08-01", 2000000}};

		assert_int_equal(jx_monitor_follow(&r, true, 100000000, back, 2,
		                                   first, 1, "2021-12-31", &a,
		                                   &f, &d),
		                 JX_OK);
		assert_true(f.judged && !f.lagging && !f.pending);
		assert_true(f.nunfollowed == 2 && f.net_fen == 0);
	}

	/* adjust_min 10%: a 7.87% cut needs no new targets; 5% does */
	r.monitor.adjust_min = tu_dec("0.1");
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, first,
	                                   1, "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.judged && !f.lagging);
	r.monitor.adjust_min = tu_dec("0.05");
	assert_int_equal(jx_monitor_follow(&r, true, 100000000, cut, 1, first,
	                                   1, "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging);
	/* without an initial budget any net change counts */
	assert_int_equal(jx_monitor_follow(&r, false, 0, cut, 1, first, 1,
	                                   "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_true(f.lagging && !f.has_base && !f.has_change);

	/* nothing to judge without goal versions or adjustments */
	assert_int_equal(jx_monitor_follow(&r, true, 1, cut, 1, NULL, 0,
	                                   "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_false(f.judged);
	assert_int_equal(jx_monitor_follow(&r, true, 1, NULL, 0, first, 1,
	                                   "2021-12-31", &a, &f, &d),
	                 JX_OK);
	assert_false(f.judged);

	/* bad dates name the field */
	{
		static const struct jx_mon_adjustment bad[] = {{"2021-7-1", 1}};
		static const struct jx_mon_goalver badv[] = {
		        {"20210115", true}};

		assert_int_equal(jx_monitor_follow(&r, true, 1, bad, 1, first,
		                                   1, "2021-12-31", &a, &f, &d),
		                 JX_EINVAL);
		assert_string_equal(d.field, "adjustments[0].date");
		assert_int_equal(jx_monitor_follow(&r, true, 1, cut, 1, badv, 1,
		                                   "2021-12-31", &a, &f, &d),
		                 JX_EINVAL);
		assert_string_equal(d.field, "goal_versions[0].date");
	}
	jx_arena_cleanup(&a);
	jx_rules_cleanup(&r);
}

/* What forms write for cause, likelihood and 存在偏差. */
static void
test_parsers(void **state)
{
	static const struct {
		const char *s;
		enum jx_mon_cause want;
	} causes[] = {
	        {"经费", JX_MON_CAUSE_FUNDS},
	        {"经费保障", JX_MON_CAUSE_FUNDS},
	        {" 制度 保障 ", JX_MON_CAUSE_POLICY},
	        {"人员原因", JX_MON_CAUSE_STAFF},
	        {"硬件条件保障", JX_MON_CAUSE_HARDWARE},
	        {"其它", JX_MON_CAUSE_OTHER},
	        {"", JX_MON_CAUSE_NONE},
	        {NULL, JX_MON_CAUSE_NONE},
	};
	static const struct {
		const char *s;
		enum jx_mon_likely want;
	} likely[] = {
	        {"确定能", JX_MON_LIKELY_SURE},
	        {"有可能", JX_MON_LIKELY_MAYBE},
	        {"完全不可能", JX_MON_LIKELY_NEVER},
	        {"３", JX_MON_LIKELY_NEVER}, /* full-width code */
	        {"　", JX_MON_LIKELY_NONE},
	};
	static const struct {
		const char *s;
		enum jx_mon_flag want;
	} flags[] = {
	        {"是", JX_MON_YES}, {"否", JX_MON_NO},  {"YES", JX_MON_YES},
	        {"n", JX_MON_NO},   {"", JX_MON_BLANK},
	};
	enum jx_mon_cause c = JX_MON_CAUSE_OTHER;
	enum jx_mon_likely l = JX_MON_LIKELY_SURE;
	enum jx_mon_flag f = JX_MON_YES;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
		assert_int_equal(jx_monitor_cause_parse(causes[i].s, &c),
		                 JX_OK);
		assert_int_equal(c, causes[i].want);
	}
	for (i = 0; i < sizeof(likely) / sizeof(likely[0]); i++) {
		assert_int_equal(jx_monitor_likely_parse(likely[i].s, &l),
		                 JX_OK);
		assert_int_equal(l, likely[i].want);
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		assert_int_equal(jx_monitor_flag_parse(flags[i].s, &f), JX_OK);
		assert_int_equal(f, flags[i].want);
	}
	/* unknown words are refused and leave out alone */
	c = JX_MON_CAUSE_STAFF;
	assert_int_equal(jx_monitor_cause_parse("天气", &c), JX_EINVAL);
	assert_int_equal(c, JX_MON_CAUSE_STAFF);
	assert_int_equal(jx_monitor_cause_parse("1", &c), JX_EINVAL);
	assert_int_equal(jx_monitor_likely_parse("大概", &l), JX_EINVAL);
	assert_int_equal(jx_monitor_flag_parse("也许", &f), JX_EINVAL);
	assert_int_equal(jx_monitor_flag_parse("\xff", &f), JX_EINVAL);
	/* names */
	assert_string_equal(jx_monitor_cause_name(JX_MON_CAUSE_HARDWARE),
	                    "硬件条件保障");
	assert_string_equal(jx_monitor_likely_name(JX_MON_LIKELY_NEVER),
	                    "完全不可能");
	assert_string_equal(jx_monitor_light_name(JX_MON_RED), "红灯");
	assert_string_equal(jx_monitor_light_key(JX_MON_YELLOW), "yellow");
	assert_string_equal(jx_monitor_flag_name(JX_MON_BLANK), "");
}

static void
run_default(const struct jx_monitor *m, struct jx_rules *r, struct jx_arena *a,
            struct jx_mon_result *res)
{
	struct jx_diag d;

	if (jx_monitor_run(m, r, a, res, &d) != JX_OK)
		fail_msg("%s: %s", d.field, d.message);
}

/* Bad records are refused naming the field; nothing is half-filled. */
static void
test_bad_records(void **state)
{
	static const struct jx_mon_indicator one[] = {{.level1 = "产出指标",
	                                               .level2 = "数量指标",
	                                               .name = "培训人次",
	                                               .target = "≥100人次",
	                                               .progress = "60人次"}};
	struct jx_rules r;
	struct jx_arena a;
	struct jx_mon_result res;
	struct jx_monitor m, x;
	struct jx_diag d;
	static const struct {
		const char *field;
		int what;
	} cases[] = {
	        {"year", 0},         {"period_month", 1},
	        {"period_month", 2}, {"as_of", 3},
	        {"due", 4},          {"submitted", 5},
	        {"budget_fen", 6},   {"executed_fen", 7},
	        {"indicators", 8},   {"adjustments[0].amount_fen", 9},
	};
	struct jx_mon_adjustment big = {"2021-03-01", INT64_MAX};
	size_t i;

	(void)state;
	assert_int_equal(tu_rules(&r, "mof-2020"), 0);
	jx_arena_init(&a, 0);
	memset(&m, 0, sizeof(m));
	m.year = 2021;
	m.period_month = 6;
	m.indicators = one;
	m.nindicators = 1;
	run_default(&m, &r, &a, &res);
	assert_int_equal(res.ind[0].computed, JX_MON_NO); /* 60 >= 40 */
	assert_int_equal(res.light, JX_MON_LIGHT_NONE);   /* no budget */
	assert_string_equal(res.as_of, "2021-06-30");

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		x = m;
		switch (cases[i].what) {
		case 0:
			x.year = 1899;
			break;
		case 1:
			x.period_month = 0;
			break;
		case 2:
			x.period_month = 13;
			break;
		case 3:
			x.as_of = "2021-06-31";
			break;
		case 4:
			x.due = "明天";
			break;
		case 5:
			x.submitted = "2021/08/01";
			break;
		case 6:
			x.has_budget = true;
			x.budget_fen = -1;
			break;
		case 7:
			x.has_executed = true;
			x.executed_fen = JX_MONITOR_AMOUNT_MAX + 1;
			break;
		case 8:
			x.nindicators = JX_MONITOR_MAX_INDICATORS + 1;
			break;
		default:
			x.adjustments = &big;
			x.nadjustments = 1;
			break;
		}
		memset(&res, 0xff, sizeof(res));
		assert_int_not_equal(jx_monitor_run(&x, &r, &a, &res, &d),
		                     JX_OK);
		assert_string_equal(d.field, cases[i].field);
		assert_true(strlen(d.message) > 0);
		assert_null(res.ind);
		assert_int_equal(res.findings.n, 0);
	}
	assert_int_equal(jx_monitor_run(NULL, &r, &a, &res, &d), JX_EINVAL);
	assert_int_equal(jx_monitor_run(&m, NULL, &a, &res, &d), JX_EINVAL);
	assert_int_equal(jx_monitor_run(&m, &r, NULL, &res, &d), JX_EINVAL);
	assert_int_equal(jx_monitor_run(&m, &r, &a, NULL, NULL), JX_EINVAL);
	jx_arena_cleanup(&a);
	jx_rules_cleanup(&r);
}

/* Out of memory at every point of seed 001's run: JX_ENOMEM, never a
 * crash or a half-filled result; with room enough, the full result. */
static void
test_out_of_memory(void **state)
{
	struct fixture fx;
	struct jx_arena a;
	struct jx_mon_result res;
	size_t limit;
	enum jx_err err = JX_ENOMEM;

	(void)state;
	load_fixture("001-seed", &fx);
	for (limit = 64; err == JX_ENOMEM; limit += 64) {
		jx_arena_init(&a, 256);
		a.limit = limit;
		err = jx_monitor_run(&fx.m, &fx.rules, &a, &res, NULL);
		if (err == JX_ENOMEM) {
			assert_null(res.ind);
			assert_int_equal(res.findings.n, 0);
		}
		jx_arena_cleanup(&a);
		assert_true(limit < (1u << 22));
	}
	assert_int_equal(err, JX_OK);
	free_fixture(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fixtures),
	        cmocka_unit_test(test_seed001_messages),
	        cmocka_unit_test(test_time_progress),
	        cmocka_unit_test(test_light_edges),
	        cmocka_unit_test(test_follow),
	        cmocka_unit_test(test_parsers),
	        cmocka_unit_test(test_bad_records),
	        cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
