/*
 * test_evaljson.c - the interchange format: the example of docs/format.md
 * read field by field; every fixture of tests/data/evaljson (valid ones
 * read, invalid ones refused with the expected error, field path, line,
 * column and message); numbers and rates read exactly; limits; JSON Lines
 * positions; the writer's exact shape; read -> write -> read giving the
 * same struct and the same bytes on every fixture and every seed
 * (tests/data/seeds); the check-result writer; and the model's helpers
 * that grow an evaluation's indicators and goals (model.h).
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

#include "jx/evaljson.h"
#include "jx/json.h"
#include "jx/limits.h"
#include "testutil.h"

#define FIXTURES "tests/data/evaljson"
#define SEEDS    "tests/data/seeds"

/* --- helpers -------------------------------------------------------- */

static jx_dec
dec(const char *s)
{
	return tu_dec(s);
}

static void
want_opt(const struct jx_opt *o, const char *v, const char *what)
{
	if (v == NULL) {
		if (o->set)
			fail_msg("%s: want unset, got %lld", what,
			         (long long)o->v);
		return;
	}
	if (!o->set || o->v != dec(v))
		fail_msg("%s: want %s, got %s%lld", what, v,
		         o->set ? "" : "unset ", (long long)o->v);
}

static void
want_str(const char *got, const char *want, const char *what)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(got, want) != 0)
		fail_msg("%s: want \"%s\", got \"%s\"", what,
		         want ? want : "(null)", got ? got : "(null)");
}

/* Read a fixture file (relative to the source tree) into e. */
static enum jx_err
read_file(const char *rel, struct jx_eval *e, struct jx_diag *d)
{
	size_t len = 0;
	char *buf = tu_read(rel, &len);
	enum jx_err err;

	if (buf == NULL)
		fail_msg("cannot read %s", rel);
	err = jx_evaljson_read(buf, len, rel, 1, e, d);
	free(buf);
	return err;
}

static enum jx_err
read_str(const char *s, struct jx_eval *e, struct jx_diag *d)
{
	return jx_evaljson_read(s, strlen(s), "test", 1, e, d);
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	       (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
same_opt(const struct jx_opt *a, const struct jx_opt *b)
{
	return a->set == b->set && (!a->set || a->v == b->v);
}

static bool
same_row(const struct jx_fund_row *a, const struct jx_fund_row *b)
{
	return same_str(a->name, b->name) &&
	       same_opt(&a->initial, &b->initial) &&
	       same_opt(&a->annual, &b->annual) &&
	       same_opt(&a->received, &b->received) &&
	       same_opt(&a->executed, &b->executed) &&
	       same_opt(&a->exec_rate_stated, &b->exec_rate_stated) &&
	       same_opt(&a->received_rate_stated, &b->received_rate_stated) &&
	       same_opt(&a->balance_stated, &b->balance_stated);
}

/* Two evaluations hold the same data; positions (source, line) aside. */
static void
assert_same_eval(const struct jx_eval *a, const struct jx_eval *b,
                 const char *name)
{
	const struct jx_funds *fa = &a->funds, *fb = &b->funds;
	size_t i;

#define SAME(cond, what)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			fail_msg("%s: %s differs after the round trip", name,  \
			         what);                                        \
	} while (0)
	SAME(same_str(a->id, b->id), "id");
	SAME(same_str(a->title, b->title), "title");
	SAME(same_str(a->unit, b->unit), "unit");
	SAME(same_str(a->department, b->department), "department");
	SAME(a->year == b->year, "year");
	SAME(same_str(a->kind, b->kind), "kind");
	SAME(same_str(a->rules, b->rules), "rules");
	SAME(a->has_funds == b->has_funds, "has_funds");
	SAME(same_str(fa->unit, fb->unit), "funds.unit");
	SAME(same_str(fa->period, fb->period), "funds.period");
	SAME(same_row(&fa->total, &fb->total), "funds.total");
	SAME(same_opt(&fa->exec_weight, &fb->exec_weight), "exec_weight");
	SAME(same_str(fa->exec_rate_text, fb->exec_rate_text),
	     "exec_rate_text");
	SAME(same_opt(&fa->exec_score_stated, &fb->exec_score_stated),
	     "exec_score_stated");
	SAME(fa->nsources == fb->nsources, "nsources");
	for (i = 0; i < fa->nsources; i++)
		SAME(same_row(&fa->sources[i], &fb->sources[i]), "a source");
	SAME(fa->nlevels == fb->nlevels, "nlevels");
	for (i = 0; i < fa->nlevels; i++)
		SAME(same_row(&fa->levels[i], &fb->levels[i]), "a level");
	SAME(a->ngoals == b->ngoals, "ngoals");
	for (i = 0; i < a->ngoals; i++) {
		SAME(same_str(a->goals[i].expected, b->goals[i].expected),
		     "goal.expected");
		SAME(same_str(a->goals[i].achieved, b->goals[i].achieved),
		     "goal.achieved");
	}
	SAME(a->nindicators == b->nindicators, "nindicators");
	for (i = 0; i < a->nindicators; i++) {
		const struct jx_indicator *x = &a->indicators[i];
		const struct jx_indicator *y = &b->indicators[i];

		SAME(same_str(x->level1, y->level1), "level1");
		SAME(same_str(x->level2, y->level2), "level2");
		SAME(same_str(x->name, y->name), "name");
		SAME(same_str(x->target, y->target), "target");
		SAME(same_str(x->actual, y->actual), "actual");
		SAME(same_str(x->unit, y->unit), "indicator unit");
		SAME(same_str(x->nature, y->nature), "nature");
		SAME(same_opt(&x->weight, &y->weight), "weight");
		SAME(same_opt(&x->score_stated, &y->score_stated),
		     "score_stated");
		SAME(same_str(x->completion_stated, y->completion_stated),
		     "completion_stated");
		SAME(same_str(x->deviation_reason, y->deviation_reason),
		     "deviation_reason");
	}
	SAME(same_opt(&a->total_weight_stated, &b->total_weight_stated),
	     "total_weight_stated");
	SAME(same_opt(&a->total_score_stated, &b->total_score_stated),
	     "total_score_stated");
	SAME(same_str(a->grade_stated, b->grade_stated), "grade_stated");
#undef SAME
}

/*
 * read(x) -> write -> read -> write: the two evaluations are the same and
 * the two writings are byte for byte the same.
 */
static void
round_trip(const char *rel)
{
	struct jx_eval a, b;
	struct jx_buf w1, w2;
	struct jx_diag d;

	jx_eval_init(&a);
	jx_eval_init(&b);
	jx_buf_init(&w1, JX_MAX_RECORD_BYTES);
	jx_buf_init(&w2, JX_MAX_RECORD_BYTES);
	if (read_file(rel, &a, &d) != JX_OK)
		fail_msg("%s:%d:%d: %s: %s", rel, d.line, d.column, d.field,
		         d.message);
	assert_int_equal(jx_evaljson_write(&w1, &a), JX_OK);
	if (jx_evaljson_read(w1.data, w1.len, "w1", 1, &b, &d) != JX_OK)
		fail_msg("%s re-read: %d: %s: %s\n%s", rel, d.column, d.field,
		         d.message, w1.data);
	assert_same_eval(&a, &b, rel);
	assert_int_equal(jx_evaljson_write(&w2, &b), JX_OK);
	assert_int_equal(w1.len, w2.len);
	assert_memory_equal(w1.data, w2.data, w1.len);
	/* one line: JSON Lines ready */
	assert_null(memchr(w1.data, '\n', w1.len));
	jx_buf_free(&w1);
	jx_buf_free(&w2);
	jx_eval_cleanup(&a);
	jx_eval_cleanup(&b);
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The names in dir (relative to the source tree) ending in `ext`, sorted;
 * the caller frees each and the array. */
static char **
list_dir(const char *dir, const char *ext, size_t *n)
{
	char path[4096], **names = NULL;
	struct dirent *de;
	size_t cap = 0, len, elen = strlen(ext);
	DIR *dp;

	snprintf(path, sizeof(path), "%s/%s", JX_SOURCE_DIR, dir);
	dp = opendir(path);
	*n = 0;
	if (dp == NULL)
		return NULL;
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (len <= elen || strcmp(de->d_name + len - elen, ext) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[*n] = malloc(len + 1);
		assert_non_null(names[*n]);
		memcpy(names[*n], de->d_name, len + 1);
		(*n)++;
	}
	closedir(dp);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names;
}

static void
free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* --- the example of docs/format.md --------------------------------- */

static void
test_example(void **state)
{
	struct jx_eval e;
	struct jx_diag d;
	const struct jx_indicator *ind;
	const struct jx_funds *f = &e.funds;

	(void)state;
	jx_eval_init(&e);
	assert_int_equal(read_file(FIXTURES "/100-example.json", &e, &d),
	                 JX_OK);
	want_str(e.source, FIXTURES "/100-example.json:1", "source");
	want_str(e.id, "2021-BYNR-007", "id");
	want_str(e.title, "预算、绩效、支付电子一体化信息化建设项目", "title");
	want_str(e.unit, "某市财政综合保障中心", "unit");
	want_str(e.department, "某市财政局", "department");
	assert_int_equal(e.year, 2021);
	want_str(e.kind, "self", "kind");
	want_str(e.rules, "mof-2020", "rules");

	assert_true(e.has_funds);
	want_str(f->unit, "万元", "funds.unit");
	assert_null(f->period);
	want_str(f->total.name, "年度资金总额", "total.name");
	want_opt(&f->total.initial, "134", "initial_budget");
	want_opt(&f->total.annual, "131.4", "annual_budget");
	want_opt(&f->total.received, "131.4", "received");
	want_opt(&f->total.executed, "131.4", "executed");
	want_opt(&f->total.balance_stated, "0", "balance_stated");
	want_opt(&f->total.received_rate_stated, "100", "received_rate");
	want_opt(&f->total.exec_rate_stated, "100", "exec_rate");
	want_str(f->exec_rate_text, "100%", "exec_rate_text");
	want_opt(&f->exec_weight, "10", "exec_weight");
	want_opt(&f->exec_score_stated, "10", "exec_score_stated");

	/* sources in document order, arrays read as [initial, annual,
	 * executed] */
	assert_int_equal(f->nsources, 3);
	want_str(f->sources[0].name, "当年财政拨款", "sources[0]");
	want_opt(&f->sources[0].initial, "134", "sources[0].initial");
	want_opt(&f->sources[0].annual, "131.4", "sources[0].annual");
	want_opt(&f->sources[0].executed, "131.4", "sources[0].executed");
	want_opt(&f->sources[0].received, NULL, "sources[0].received");
	want_str(f->sources[1].name, "上年结转资金", "sources[1]");
	want_opt(&f->sources[1].executed, "20", "sources[1].executed");
	want_str(f->sources[2].name, "其他资金", "sources[2]");
	want_opt(&f->sources[2].initial, NULL, "sources[2].initial");
	want_opt(&f->sources[2].annual, NULL, "sources[2].annual");
	want_opt(&f->sources[2].executed, NULL, "sources[2].executed");
	/* a level as an object; "100%" and 100 are the same rate */
	assert_int_equal(f->nlevels, 1);
	want_str(f->levels[0].name, "市级", "levels[0]");
	want_opt(&f->levels[0].received, "131.4", "levels[0].received");
	want_opt(&f->levels[0].received_rate_stated, "100",
	         "levels[0].received_rate_stated");
	want_opt(&f->levels[0].exec_rate_stated, "100",
	         "levels[0].exec_rate_stated");
	want_opt(&f->levels[0].balance_stated, "0", "levels[0].balance");

	assert_int_equal(e.ngoals, 1);
	want_str(e.goals[0].achieved, "已按期完成一体化系统建设并上线运行。",
	         "goals[0].achieved");

	assert_int_equal(e.nindicators, 4);
	ind = &e.indicators[0];
	want_str(ind->level1, "产出指标", "level1");
	want_str(ind->level2, "数量指标", "level2");
	want_str(ind->name, "预算一体化", "name");
	want_str(ind->target, "50万元", "target");
	want_str(ind->actual, "0万元", "actual");
	want_opt(&ind->weight, "5", "weight");
	want_opt(&ind->score_stated, "0", "score_stated");
	want_str(ind->completion_stated, "0%", "completion_stated");
	want_str(ind->deviation_reason, "项目未实施。", "deviation_reason");
	assert_null(ind->unit);
	assert_null(ind->nature);
	assert_int_equal(ind->line, 45);
	ind = &e.indicators[1];
	want_str(ind->unit, "%", "unit");
	want_str(ind->nature, "≥", "nature");
	/* "" is a blank cell, not a missing one */
	want_str(ind->deviation_reason, "", "blank deviation_reason");
	ind = &e.indicators[2];
	assert_null(ind->completion_stated);
	/* numbers where text is expected keep their literal */
	ind = &e.indicators[3];
	want_str(ind->target, "90", "numeric target");
	want_str(ind->actual, "95.5", "numeric actual");
	want_str(ind->completion_stated, "100", "numeric completion");
	assert_null(ind->deviation_reason);
	want_opt(&ind->score_stated, "9.9", "score 9.9");

	want_opt(&e.total_weight_stated, "100", "total_weight_stated");
	want_opt(&e.total_score_stated, "94.9", "total_score_stated");
	want_str(e.grade_stated, "优", "grade_stated");
	jx_eval_cleanup(&e);
}

/* The other valid fixtures: what each is there to show. */
static void
test_valid_fixtures(void **state)
{
	struct jx_eval e;
	struct jx_diag d;

	(void)state;
	jx_eval_init(&e);

	/* {} is an evaluation with nothing stated */
	assert_int_equal(read_file(FIXTURES "/101-minimal.json", &e, &d),
	                 JX_OK);
	assert_null(e.title);
	assert_false(e.has_funds);
	assert_int_equal(e.nindicators, 0);
	assert_int_equal(e.year, 0);
	want_str(e.kind, "self", "default kind");

	/* a byte order mark is skipped; a year may be a string */
	assert_int_equal(read_file(FIXTURES "/102-bom.json", &e, &d), JX_OK);
	want_str(e.title, "带字节序标记的文件", "title");
	assert_int_equal(e.year, 2022);

	/* number forms */
	assert_int_equal(read_file(FIXTURES "/103-numbers.json", &e, &d),
	                 JX_OK);
	want_opt(&e.funds.total.initial, "150", "1.5e2");
	want_opt(&e.funds.total.annual, "150", "\"150.000\"");
	want_opt(&e.funds.total.received, "150", "15000E-2");
	want_opt(&e.funds.total.executed, "1", "0.000001e6");
	want_opt(&e.funds.total.balance_stated, NULL, "\"\"");
	want_opt(&e.funds.total.received_rate_stated, "98.06", "98.06 %");
	want_opt(&e.funds.total.exec_rate_stated, "66.67", "0.6667e2");
	want_str(e.funds.exec_rate_text, "66.67", "exponent written out");
	want_opt(&e.funds.exec_weight, "10", "\"10\"");
	want_opt(&e.funds.exec_score_stated, "0", "-0");
	want_str(e.indicators[0].target, "", "blank target");
	assert_null(e.indicators[0].actual);
	want_opt(&e.indicators[0].weight, NULL, "blank weight");
	want_str(e.indicators[1].target, "1000", "1e3 written out");
	want_opt(&e.indicators[1].weight, "9223372036854.775807", "max");
	want_opt(&e.indicators[1].score_stated, "0.000001", "min step");
	want_opt(&e.indicators[2].weight, "-1.25", "negative");
	want_opt(&e.indicators[2].score_stated, "-0.5", "negative string");
	want_str(e.indicators[2].completion_stated, "98.06", "completion");
	want_opt(&e.total_weight_stated, "100", "trailing zeros");
	want_opt(&e.total_score_stated, "94.9", "9.49e1");

	/* escapes, surrogate pairs, full-width text kept as written */
	assert_int_equal(read_file(FIXTURES "/104-escapes.json", &e, &d),
	                 JX_OK);
	want_str(e.title, "转义\t与\"引号\"\\反斜杠/斜杠", "title");
	want_str(e.unit, "财政局", "unit");
	want_str(e.department, "emoji \xf0\x9f\x98\x80 与 \xf0\x9d\x84\x9e",
	         "department");
	want_str(e.goals[0].expected, "第一行\n第二行\r\n结束", "expected");
	want_str(e.goals[0].achieved, "\b\f", "achieved");
	want_str(e.indicators[0].actual, "０.５小时", "actual");

	/* monitoring: period, levels as objects, money in 元 */
	assert_int_equal(read_file(FIXTURES "/105-monitoring.json", &e, &d),
	                 JX_OK);
	want_str(e.kind, "monitoring", "kind");
	assert_null(e.rules);
	want_str(e.funds.unit, "元", "unit");
	want_str(e.funds.period, "1-6月", "period");
	want_str(e.funds.exec_rate_text, "40", "numeric rate text");
	want_opt(&e.funds.total.exec_rate_stated, "40", "numeric rate");
	assert_int_equal(e.funds.nsources, 0);
	assert_int_equal(e.funds.nlevels, 3);
	want_str(e.funds.levels[2].name, "县区级", "levels[2]");
	want_opt(&e.funds.levels[1].exec_rate_stated, "45", "45%");
	want_opt(&e.funds.levels[2].received, "600000", "received");

	/* unknown keys anywhere are ignored, never reinterpreted */
	assert_int_equal(read_file(FIXTURES "/106-unknown-keys.json", &e, &d),
	                 JX_OK);
	want_str(e.title, "未知字段被忽略", "title");
	assert_int_equal(e.funds.nsources, 1);
	want_opt(&e.funds.sources[0].annual, "10", "annual");
	want_str(e.goals[0].achieved, "完成", "achieved");
	want_opt(&e.indicators[0].weight, "10", "weight");

	/* an execution rate that is not a percentage is kept as text */
	assert_int_equal(read_file(FIXTURES "/107-exec-rate-text.json", &e, &d),
	                 JX_OK);
	want_str(e.funds.exec_rate_text, "—", "text");
	want_opt(&e.funds.total.exec_rate_stated, NULL, "rate");
	jx_eval_cleanup(&e);
}

/* --- fixtures with .expect files ------------------------------------ */

struct expect {
	bool ok;
	char err[32];
	bool has_field;
	char field[256];
	int line, column;
	char message[512];
};

static void
parse_expect(const char *rel, struct expect *x)
{
	size_t len = 0;
	char *buf = tu_read(rel, &len), *line, *next;

	memset(x, 0, sizeof(*x));
	if (buf == NULL)
		fail_msg("missing %s", rel);
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strcmp(line, "ok") == 0)
			x->ok = true;
		else if (strncmp(line, "err ", 4) == 0)
			snprintf(x->err, sizeof(x->err), "%s", line + 4);
		else if (strncmp(line, "field", 5) == 0) {
			x->has_field = true;
			snprintf(x->field, sizeof(x->field), "%s",
			         line[5] == ' ' ? line + 6 : "");
		} else if (strncmp(line, "line ", 5) == 0)
			x->line = (int)strtol(line + 5, NULL, 10);
		else if (strncmp(line, "column ", 7) == 0)
			x->column = (int)strtol(line + 7, NULL, 10);
		else if (strncmp(line, "message ", 8) == 0)
			snprintf(x->message, sizeof(x->message), "%s",
			         line + 8);
		else if (line[0] != '#' && line[0] != '\0')
			fail_msg("%s: bad line \"%s\"", rel, line);
	}
	free(buf);
}

static void
test_fixtures(void **state)
{
	char rel[512], **names;
	size_t n, i, nvalid = 0, ninvalid = 0;
	struct jx_eval e;
	struct jx_diag d;
	struct expect x;
	enum jx_err err;

	(void)state;
	names = list_dir(FIXTURES, ".json", &n);
	assert_true(n >= 30);
	jx_eval_init(&e);
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "%s/%.*s.expect", FIXTURES,
		         (int)(strlen(names[i]) - 5), names[i]);
		parse_expect(rel, &x);
		snprintf(rel, sizeof(rel), "%s/%s", FIXTURES, names[i]);
		err = read_file(rel, &e, &d);
		if (x.ok) {
			if (err != JX_OK)
				fail_msg("%s: %s at %d:%d %s: %s", rel,
				         jx_err_name(err), d.line, d.column,
				         d.field, d.message);
			round_trip(rel);
			nvalid++;
			continue;
		}
		ninvalid++;
		if (strcmp(jx_err_name(err), x.err) != 0)
			fail_msg("%s: got %s (%s: %s), want %s", rel,
			         jx_err_name(err), d.field, d.message, x.err);
		/* the diagnostic names the file */
		want_str(d.file, rel, "d.file");
		if (x.has_field)
			want_str(d.field, x.field, rel);
		if (x.line != 0 && (d.line != x.line || d.column != x.column))
			fail_msg("%s: at %d:%d, want %d:%d (%s)", rel, d.line,
			         d.column, x.line, x.column, d.message);
		if (x.message[0] != '\0' &&
		    strstr(d.message, x.message) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", rel,
			         d.message, x.message);
	}
	assert_true(nvalid >= 8);
	assert_true(ninvalid >= 25);
	free_names(names, n);
	jx_eval_cleanup(&e);
}

/* Every transcribed seed survives read -> write -> read. */
static void
test_seeds_round_trip(void **state)
{
	char rel[512], **names;
	size_t n, i;

	(void)state;
	names = list_dir(SEEDS, ".json", &n);
	if (n == 0)
		fail_msg("no seeds in %s", SEEDS);
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", SEEDS, names[i]);
		round_trip(rel);
	}
	free_names(names, n);
}

/* --- numbers and rates ---------------------------------------------- */

struct num_case {
	const char *json; /* the value of total_score_stated */
	const char *want; /* decimal, NULL for unset; or the error text */
	bool ok;
};

static const struct num_case num_cases[] = {
        /* plain forms */
        {"94.9", "94.9", true},
        {"-0", "0", true},
        {"131.400000", "131.4", true},
        /* exponents move the point */
        {"1.5e2", "150", true},
        {"15000E-2", "150", true},
        {"-2.5E+1", "-25", true},
        {"1e-6", "0.000001", true},
        {"0.0000001e1", "0.000001", true},
        {"1234567890123e0", "1234567890123", true},
        /* zero with any exponent is zero */
        {"0e999999999999", "0", true},
        {"0.000e-50", "0", true},
        /* many digits that cancel out */
        {"100000000000000000000e-20", "1", true},
        /* the largest and the smallest value */
        {"9223372036854.775807", "9223372036854.775807", true},
        {"-9223372036854.775807", "-9223372036854.775807", true},
        /* numeric strings */
        {"\"131.4\"", "131.4", true},
        {"\"+5\"", "5", true},
        {"\".5\"", "0.5", true},
        /* blank and null: not stated */
        {"\"\"", NULL, true},
        {"null", NULL, true},
        /* precision past six places */
        {"1e-7", "小数位数超过 6 位", false},
        {"1.0000001", "小数位数超过 6 位", false},
        {"1e-999999999", "小数位数超过 6 位", false},
        {"123456789012345678901234567890e-20", "小数位数超过 6 位", false},
        {"\"0.1234567\"", "小数位数超过 6 位", false},
        /* too big */
        {"1e30", "数值超出可表示的范围", false},
        {"10000000000000", "数值超出可表示的范围", false},
        {"9223372036854.775808", "数值超出可表示的范围", false},
        {"1e999999999999999999", "数值超出可表示的范围", false},
        /* text that is not a number */
        {"\"1e2\"", "应为数字，实为字符串“1e2”", false},
        {"\" 1\"", "应为数字，实为字符串“ 1”", false},
        {"\"5.\"", "应为数字，实为字符串“5.”", false},
        {"\"十\"", "应为数字，实为字符串“十”", false},
        {"\"94.9分\"", "应为数字，实为字符串“94.9分”", false},
        {"true", "应为数字，实为布尔值", false},
        {"[94.9]", "应为数字，实为数组", false},
        {"{}", "应为数字，实为对象", false},
};

static void
test_numbers(void **state)
{
	char doc[256];
	struct jx_eval e;
	struct jx_diag d;
	enum jx_err err;
	size_t i;

	(void)state;
	jx_eval_init(&e);
	for (i = 0; i < sizeof(num_cases) / sizeof(num_cases[0]); i++) {
		const struct num_case *c = &num_cases[i];

		snprintf(doc, sizeof(doc), "{\"total_score_stated\": %s}",
		         c->json);
		err = read_str(doc, &e, &d);
		if (c->ok) {
			if (err != JX_OK)
				fail_msg("%s: %s", c->json, d.message);
			want_opt(&e.total_score_stated, c->want, c->json);
			continue;
		}
		if (err != JX_EINVAL || strstr(d.message, c->want) == NULL)
			fail_msg("%s: got %s \"%s\", want \"%s\"", c->json,
			         jx_err_name(err), d.message, c->want);
		want_str(d.field, "total_score_stated", c->json);
		assert_int_equal(d.column, 24);
	}
	jx_eval_cleanup(&e);
}

struct rate_case {
	const char *json;
	const char *want; /* percent, NULL unset, or error text */
	bool ok;
};

static const struct rate_case rate_cases[] = {
        /* a string with a percent sign */
        {"\"98.06%\"", "98.06", true},
        /* spaces and the full-width sign */
        {"\" 100 % \"", "100", true},
        {"\"100％\"", "100", true},
        /* a string or a number without the sign is percent too */
        {"\"100\"", "100", true},
        {"100", "100", true},
        {"0.5", "0.5", true},
        /* blank and null */
        {"\"\"", NULL, true},
        {"null", NULL, true},
        /* not percentages */
        {"\"%\"", "实为字符串“%”", false},
        {"\"百分之百\"", "实为字符串“百分之百”", false},
        {"\"100%%\"", "实为字符串“100%%”", false},
        {"\"0.1234567%\"", "实为字符串", false},
        {"false", "实为布尔值", false},
};

static void
test_rates(void **state)
{
	char doc[256];
	struct jx_eval e;
	struct jx_diag d;
	enum jx_err err;
	size_t i;

	(void)state;
	jx_eval_init(&e);
	for (i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++) {
		const struct rate_case *c = &rate_cases[i];

		snprintf(doc, sizeof(doc),
		         "{\"funds\": {\"received_rate_stated\": %s}}",
		         c->json);
		err = read_str(doc, &e, &d);
		if (c->ok) {
			if (err != JX_OK)
				fail_msg("%s: %s", c->json, d.message);
			want_opt(&e.funds.total.received_rate_stated, c->want,
			         c->json);
			continue;
		}
		if (err != JX_EINVAL || strstr(d.message, c->want) == NULL)
			fail_msg("%s: got %s \"%s\", want \"%s\"", c->json,
			         jx_err_name(err), d.message, c->want);
		want_str(d.field, "funds.received_rate_stated", c->json);
	}
	jx_eval_cleanup(&e);
}

/* --- JSON Lines, limits, reuse -------------------------------------- */

static void
test_json_lines(void **state)
{
	const char *rel = FIXTURES "/200-lines.jsonl";
	size_t len = 0, n;
	char *buf = tu_read(rel, &len), *p, *nl;
	struct jx_eval e;
	struct jx_diag d;
	int line = 1, ok = 0;
	enum jx_err err = JX_OK;

	(void)state;
	assert_non_null(buf);
	jx_eval_init(&e);
	for (p = buf; p < buf + len; p = nl + 1, line++) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (nl == NULL)
			nl = buf + len;
		n = (size_t)(nl - p);
		if (n == 0)
			continue; /* blank lines are skipped */
		err = jx_evaljson_read(p, n, "200-lines.jsonl", line, &e, &d);
		if (err != JX_OK)
			break;
		ok++;
		if (line == 1) {
			want_str(e.source, "200-lines.jsonl:1", "source");
			assert_int_equal(e.indicators[0].line, 1);
		}
	}
	/* two good records, then the fourth line fails */
	assert_int_equal(ok, 2);
	assert_int_equal(err, JX_EINVAL);
	assert_int_equal(line, 4);
	assert_int_equal(d.line, 4);
	assert_int_equal(d.column, 57);
	want_str(d.file, "200-lines.jsonl", "file");
	want_str(d.field, "indicators[0].weight", "field");
	assert_non_null(strstr(d.message, "“五”"));
	/* line 0 means a whole document: the source is the name alone */
	assert_int_equal(jx_evaljson_read("{}", 2, "a.json", 0, &e, &d), JX_OK);
	want_str(e.source, "a.json", "source");
	free(buf);
	jx_eval_cleanup(&e);
}

/* A document with n items "<item>" in array `key` (fields allowed). */
static char *
repeat_doc(const char *head, const char *item, size_t n, const char *tail)
{
	size_t cap = strlen(head) + n * (strlen(item) + 1) + strlen(tail) + 1;
	size_t used = 0, i;
	char *s = malloc(cap);

	assert_non_null(s);
	used += (size_t)snprintf(s, cap, "%s", head);
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, cap - used, "%s%s",
		                         i > 0 ? "," : "", item);
	snprintf(s + used, cap - used, "%s", tail);
	return s;
}

static void
test_limits(void **state)
{
	struct jx_eval e;
	struct jx_diag d;
	char *s, *big;

	(void)state;
	jx_eval_init(&e);
	/* JX_MAX_INDICATORS is fine, one more is not */
	s = repeat_doc("{\"indicators\": [", "{\"weight\":1}",
	               JX_MAX_INDICATORS, "]}");
	assert_int_equal(read_str(s, &e, &d), JX_OK);
	assert_int_equal(e.nindicators, JX_MAX_INDICATORS);
	free(s);
	s = repeat_doc("{\"indicators\": [", "{}", JX_MAX_INDICATORS + 1, "]}");
	assert_int_equal(read_str(s, &e, &d), JX_ETOOBIG);
	want_str(d.field, "indicators", "field");
	assert_int_equal(d.column, 16);
	free(s);
	s = repeat_doc("{\"goals\": [", "{}", JX_MAX_GOALS + 1, "]}");
	assert_int_equal(read_str(s, &e, &d), JX_ETOOBIG);
	want_str(d.field, "goals", "field");
	free(s);
	s = repeat_doc("{\"funds\": {\"levels\": {", "\"x\":null", 1, "}}}");
	assert_int_equal(read_str(s, &e, &d), JX_OK);
	free(s);
	/* 65 distinct level names */
	{
		char item[64];
		size_t used, i, cap = 4096;

		s = malloc(cap);
		assert_non_null(s);
		used = (size_t)snprintf(s, cap, "{\"funds\": {\"sources\": {");
		for (i = 0; i <= JX_MAX_FUND_ROWS; i++) {
			snprintf(item, sizeof(item), "%s\"s%zu\":[1,2,3]",
			         i > 0 ? "," : "", i);
			used += (size_t)snprintf(s + used, cap - used, "%s",
			                         item);
		}
		snprintf(s + used, cap - used, "}}}");
		assert_int_equal(read_str(s, &e, &d), JX_ETOOBIG);
		want_str(d.field, "funds.sources", "field");
		free(s);
	}
	/* a text of JX_MAX_TEXT bytes is fine, one more byte is not */
	big = malloc(JX_MAX_TEXT + 2);
	assert_non_null(big);
	memset(big, 'x', JX_MAX_TEXT + 1);
	big[JX_MAX_TEXT] = '\0';
	s = repeat_doc("{\"indicators\": [{\"name\": \"", big, 1, "\"}]}");
	assert_int_equal(read_str(s, &e, &d), JX_OK);
	assert_int_equal(strlen(e.indicators[0].name), JX_MAX_TEXT);
	free(s);
	big[JX_MAX_TEXT] = 'x';
	big[JX_MAX_TEXT + 1] = '\0';
	s = repeat_doc("{\"indicators\": [{\"name\": \"", big, 1, "\"}]}");
	assert_int_equal(read_str(s, &e, &d), JX_ETOOBIG);
	want_str(d.field, "indicators[0].name", "field");
	free(s);
	free(big);
	jx_eval_cleanup(&e);
}

static void
test_reuse_and_errors(void **state)
{
	struct jx_eval e;
	struct jx_diag d;

	(void)state;
	jx_eval_init(&e);
	/* a second read starts from an empty evaluation */
	assert_int_equal(read_file(FIXTURES "/100-example.json", &e, &d),
	                 JX_OK);
	assert_int_equal(read_str("{\"title\": \"第二份\"}", &e, &d), JX_OK);
	assert_false(e.has_funds);
	assert_int_equal(e.nindicators, 0);
	assert_null(e.id);
	want_str(e.title, "第二份", "title");
	/* errors leave a message, never a crash */
	assert_int_equal(jx_evaljson_read("{}", 2, NULL, 1, NULL, &d),
	                 JX_EINVAL);
	assert_int_equal(jx_evaljson_read("{}", 2, NULL, 1, &e, NULL), JX_OK);
	assert_null(e.source);
	assert_int_equal(read_str("{\"year\": 0}", &e, &d), JX_EINVAL);
	assert_int_equal(read_str("{\"year\": 10000}", &e, &d), JX_EINVAL);
	assert_int_equal(read_str("{\"year\": -2021}", &e, &d), JX_EINVAL);
	assert_int_equal(read_str("{\"year\": null}", &e, &d), JX_OK);
	assert_int_equal(read_str("{\"kind\": \"Self\"}", &e, &d), JX_EINVAL);
	assert_int_equal(read_str("{\"funds\": {\"sources\": []}}", &e, &d),
	                 JX_EINVAL);
	want_str(d.field, "funds.sources", "field");
	assert_int_equal(
	        read_str("{\"funds\": {\"sources\": {\"a\": 5}}}", &e, &d),
	        JX_EINVAL);
	want_str(d.field, "funds.sources.a", "field");
	/* a long wrong string is quoted in part */
	assert_int_equal(read_str("{\"title\": [\"x\"], \"year\": \"二〇二一年"
	                          "二〇二一年二〇二一年二〇二一年\"}",
	                          &e, &d),
	                 JX_EINVAL);
	want_str(d.field, "title", "first error wins");
	/* out of memory is reported */
	jx_eval_cleanup(&e);
	e.arena.limit = 64;
	assert_int_equal(read_file(FIXTURES "/100-example.json", &e, &d),
	                 JX_ENOMEM);
	jx_eval_cleanup(&e);
}

/* --- writing -------------------------------------------------------- */

static void
test_write_shape(void **state)
{
	static const char want[] =
	        "{\"title\":\"项目\\\"甲\\\"\",\"year\":2021,\"kind\":\"self\","
	        "\"funds\":{\"unit\":\"万元\",\"annual_budget\":131.4,"
	        "\"exec_rate_stated\":\"100%\",\"exec_weight\":10,"
	        "\"sources\":{\"当年财政拨款\":[134,131.4,null],"
	        "\"上年结转资金\":{\"received\":0.05}}},"
	        "\"indicators\":[{\"name\":\"甲\",\"target\":\"≥90%\","
	        "\"weight\":5},{}],\"total_score_stated\":-1.5}";
	struct jx_fund_row rows[2];
	struct jx_indicator inds[2];
	struct jx_eval e;
	struct jx_buf b;

	(void)state;
	jx_eval_init(&e);
	memset(rows, 0, sizeof(rows));
	memset(inds, 0, sizeof(inds));
	e.title = "项目\"甲\"";
	e.year = 2021;
	e.kind = "self";
	e.has_funds = true;
	e.funds.unit = "万元";
	e.funds.total.annual = tu_opt("131.4");
	e.funds.exec_rate_text = "100%";
	e.funds.total.exec_rate_stated = tu_opt("100");
	e.funds.exec_weight = tu_opt("10");
	rows[0].name = "当年财政拨款";
	rows[0].initial = tu_opt("134");
	rows[0].annual = tu_opt("131.4");
	rows[1].name = "上年结转资金";
	rows[1].received = tu_opt("0.05");
	e.funds.sources = rows;
	e.funds.nsources = 2;
	inds[0].name = "甲";
	inds[0].target = "≥90%";
	inds[0].weight = tu_opt("5");
	e.indicators = inds;
	e.nindicators = 2;
	e.total_score_stated = tu_opt("-1.5");
	jx_buf_init(&b, 1 << 20);
	assert_int_equal(jx_evaljson_write(&b, &e), JX_OK);
	assert_string_equal(b.data, want);
	/* a rate without its text is written as a number */
	e.funds.exec_rate_text = NULL;
	jx_buf_reset(&b);
	assert_int_equal(jx_evaljson_write(&b, &e), JX_OK);
	assert_non_null(strstr(b.data, "\"exec_rate_stated\":100,"));
	/* appends; a ceiling too low fails and leaves the buffer as it was */
	jx_buf_free(&b);
	jx_buf_init(&b, 40);
	assert_int_equal(jx_buf_adds(&b, "prefix"), JX_OK);
	assert_int_equal(jx_evaljson_write(&b, &e), JX_ETOOBIG);
	assert_string_equal(b.data, "prefix");
	assert_int_equal(b.len, 6);
	jx_buf_free(&b);
	e.funds.sources = NULL;
	e.indicators = NULL;
	e.nindicators = 0;
	e.funds.nsources = 0;
	jx_eval_cleanup(&e);
}

/* The value at a path of keys in a parsed result; NULL-terminated. */
static const struct jx_json *
at(const struct jx_json *v, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, v);
	while (v != NULL && (k = va_arg(ap, const char *)) != NULL)
		v = jx_json_get(v, k);
	va_end(ap);
	if (v == NULL)
		fail_msg("path not found in result");
	return v;
}

static void
want_json_str(const struct jx_json *v, const char *want)
{
	if (want == NULL) {
		assert_int_equal(v->kind, JX_JSON_NULL);
		return;
	}
	assert_int_equal(v->kind, JX_JSON_STRING);
	if (v->len != strlen(want) || memcmp(v->u.s, want, v->len) != 0)
		fail_msg("want \"%s\", got \"%.*s\"", want, (int)v->len,
		         v->u.s);
}

static void
want_json_num(const struct jx_json *v, const char *want)
{
	assert_int_equal(v->kind, JX_JSON_NUMBER);
	if (v->len != strlen(want) || memcmp(v->u.s, want, v->len) != 0)
		fail_msg("want %s, got %.*s", want, (int)v->len, v->u.s);
}

static void
test_write_result(void **state)
{
	struct jx_eval e;
	struct jx_diag d;
	struct jx_ind_result ir[4];
	struct jx_result res;
	struct jx_finding items[3];
	struct jx_findings f;
	struct jx_rules_grade grade;
	struct jx_rules r;
	struct jx_arena a;
	struct jx_buf b;
	const struct jx_json *root, *inds, *v;

	(void)state;
	jx_eval_init(&e);
	assert_int_equal(read_file(FIXTURES "/100-example.json", &e, &d),
	                 JX_OK);
	memset(ir, 0, sizeof(ir));
	memset(&res, 0, sizeof(res));
	memset(&f, 0, sizeof(f));
	memset(&r, 0, sizeof(r));
	memset(items, 0, sizeof(items));
	memset(&grade, 0, sizeof(grade));
	/* indicator 0: quantitative, completion 0 */
	jx_value_parse("50万元", strlen("50万元"), NULL, &ir[0].target);
	jx_value_parse("0万元", strlen("0万元"), NULL, &ir[0].actual);
	ir[0].kind = JX_SCORE_QUANT;
	ir[0].outcome = JX_OUTCOME_NOT_MET;
	ir[0].has_completion = true;
	ir[0].completion = 0;
	ir[0].score = 0;
	/* indicator 1: quantitative, 105.56% */
	jx_value_parse("≥90%", strlen("≥90%"), NULL, &ir[1].target);
	jx_value_parse("95%", strlen("95%"), NULL, &ir[1].actual);
	ir[1].kind = JX_SCORE_QUANT;
	ir[1].outcome = JX_OUTCOME_MET;
	ir[1].has_completion = true;
	ir[1].completion = dec("1.0556");
	ir[1].score = dec("10");
	/* indicator 1 pretends its direction was inferred */
	ir[1].cmp_inferred = true;
	ir[1].has_alt = true;
	ir[1].alt_score = dec("8.5");
	/* indicator 2: qualitative, a range */
	jx_value_parse("明显提升", strlen("明显提升"), NULL, &ir[2].target);
	jx_value_parse("有所提升", strlen("有所提升"), NULL, &ir[2].actual);
	ir[2].kind = JX_SCORE_QUAL;
	ir[2].outcome = JX_OUTCOME_PARTIAL;
	ir[2].score = dec("25");
	ir[2].suggest = dec("24");
	ir[2].score_lo = dec("18");
	ir[2].score_hi = dec("26.4");
	/* indicator 3: could not be scored, stated score counts */
	ir[3].kind = JX_SCORE_NONE;
	ir[3].problem = JX_PROBLEM_UNIT_MISMATCH;
	ir[3].score = dec("9.9");
	res.ind = ir;
	res.n = 4;
	res.has_exec = true;
	res.exec_rate = dec("1");
	res.exec_score = dec("10");
	res.weight_sum = dec("55");
	res.total = dec("54.9");
	res.total_complete = false;
	grade.name = "差";
	res.grade = &grade;
	items[0].code = "TOTAL_MISMATCH";
	items[0].severity = JX_SEV_ERROR;
	items[0].where = "总分";
	items[0].stated = "94.9";
	items[0].computed = "54.9";
	items[0].message = "总分与各项得分之和不符";
	items[0].indicator = -1;
	items[1].code = "MISSING_DEVIATION_REASON";
	items[1].severity = JX_SEV_WARNING;
	items[1].where = "满意度指标/服务对象满意度指标/使用单位满意度";
	items[1].message = "未填写偏差原因";
	items[1].indicator = 3;
	items[2].code = "FUNDS_MISMATCH";
	items[2].severity = JX_SEV_OK;
	items[2].where = "资金结余";
	items[2].stated = "0";
	items[2].computed = "0";
	items[2].message = "资金结余与到位数、执行数相符";
	items[2].indicator = -1;
	f.items = items;
	f.n = 3;
	f.nerrors = 1;
	f.nwarnings = 1;
	f.nok = 1;
	r.name = "mof-2020";

	jx_buf_init(&b, 1 << 20);
	assert_int_equal(jx_buf_adds(&b, "x"), JX_OK);
	assert_int_equal(jx_evaljson_write_result(&b, &e, &r, &res, &f,
	                                          JX_EVALJSON_INDICATORS),
	                 JX_OK);
	assert_null(memchr(b.data, '\n', b.len));
	/* the output is strict JSON; parse it back and look */
	jx_arena_init(&a, 0);
	assert_int_equal(jx_json_parse(b.data + 1, b.len - 1, 1, &a, &root, &d),
	                 JX_OK);
	want_json_str(at(root, "source", NULL), FIXTURES "/100-example.json:1");
	want_json_str(at(root, "id", NULL), "2021-BYNR-007");
	want_json_num(at(root, "year", NULL), "2021");
	want_json_str(at(root, "rules", NULL), "mof-2020");
	want_json_str(at(root, "computed", "exec_rate", NULL), "100.00%");
	want_json_num(at(root, "computed", "exec_score", NULL), "10");
	want_json_num(at(root, "computed", "weight_sum", NULL), "55");
	want_json_num(at(root, "computed", "total", NULL), "54.9");
	want_json_str(at(root, "computed", "grade", NULL), "差");
	assert_int_equal(at(root, "computed", "complete", NULL)->kind,
	                 JX_JSON_FALSE);
	/* traces are written from the rule set */
	assert_int_equal(at(root, "computed", "exec_trace", NULL)->kind,
	                 JX_JSON_STRING);
	want_json_num(at(root, "stated", "total", NULL), "94.9");
	want_json_str(at(root, "stated", "grade", NULL), "优");
	inds = at(root, "indicators", NULL);
	assert_int_equal(inds->len, 4);
	v = &inds->u.items[0];
	want_json_str(at(v, "where", NULL), "产出指标/数量指标/预算一体化");
	want_json_str(at(v, "kind", NULL), "quantitative");
	want_json_str(at(v, "target", NULL), "50万元");
	want_json_str(at(v, "actual", NULL), "0万元");
	want_json_str(at(v, "outcome", NULL), "not_met");
	want_json_str(at(v, "completion", NULL), "0.00%");
	want_json_num(at(v, "score", NULL), "0");
	assert_null(jx_json_get(v, "score_range"));
	assert_null(jx_json_get(v, "problem"));
	assert_null(jx_json_get(v, "direction_inferred"));
	assert_null(jx_json_get(v, "alt_score"));
	assert_int_equal(at(v, "trace", NULL)->kind, JX_JSON_STRING);
	v = &inds->u.items[1];
	want_json_str(at(v, "target", NULL), "≥90%");
	want_json_str(at(v, "completion", NULL), "105.56%");
	want_json_str(at(v, "outcome", NULL), "met");
	assert_int_equal(at(v, "direction_inferred", NULL)->kind, JX_JSON_TRUE);
	want_json_num(at(v, "alt_score", NULL), "8.5");
	v = &inds->u.items[2];
	want_json_str(at(v, "kind", NULL), "qualitative");
	want_json_str(at(v, "target", NULL), "明显提升");
	want_json_str(at(v, "outcome", NULL), "partial");
	want_json_str(at(v, "completion", NULL), NULL);
	want_json_num(at(v, "score", NULL), "25");
	want_json_num(at(v, "suggested", NULL), "24");
	v = at(v, "score_range", NULL);
	assert_int_equal(v->len, 2);
	want_json_num(&v->u.items[0], "18");
	want_json_num(&v->u.items[1], "26.4");
	v = &inds->u.items[3];
	want_json_str(at(v, "kind", NULL), "none");
	want_json_str(at(v, "outcome", NULL), "unknown");
	want_json_str(at(v, "problem", NULL), "unit_mismatch");
	want_json_num(at(v, "score", NULL), "9.9");
	/* unparsed values fall back to the text as written */
	want_json_str(at(v, "target", NULL), "90");
	/* confirmations are listed apart from the findings */
	v = at(root, "confirmed", NULL);
	assert_int_equal(v->len, 1);
	want_json_str(at(&v->u.items[0], "severity", NULL), "ok");
	v = at(root, "findings", NULL);
	assert_int_equal(v->len, 2);
	want_json_str(at(&v->u.items[0], "code", NULL), "TOTAL_MISMATCH");
	want_json_str(at(&v->u.items[0], "severity", NULL), "error");
	want_json_str(at(&v->u.items[0], "stated", NULL), "94.9");
	want_json_str(at(&v->u.items[0], "computed", NULL), "54.9");
	assert_int_equal(at(&v->u.items[0], "indicator", NULL)->kind,
	                 JX_JSON_NULL);
	want_json_str(at(&v->u.items[1], "severity", NULL), "warning");
	want_json_str(at(&v->u.items[1], "stated", NULL), NULL);
	want_json_num(at(&v->u.items[1], "indicator", NULL), "3");
	want_json_num(at(root, "errors", NULL), "1");
	want_json_num(at(root, "warnings", NULL), "1");
	want_json_num(at(root, "confirmations", NULL), "1");
	want_json_num(at(root, "findings_dropped", NULL), "0");

	/* no execution line, no rules, no grade: nulls */
	res.has_exec = false;
	res.grade = NULL;
	jx_buf_reset(&b);
	assert_int_equal(jx_evaljson_write_result(&b, &e, NULL, &res, &f, 0),
	                 JX_OK);
	jx_arena_reset(&a);
	assert_int_equal(jx_json_parse(b.data, b.len, 1, &a, &root, &d), JX_OK);
	want_json_str(at(root, "computed", "exec_rate", NULL), NULL);
	want_json_str(at(root, "computed", "exec_score", NULL), NULL);
	want_json_str(at(root, "computed", "grade", NULL), NULL);
	want_json_str(at(root, "rules", NULL), "mof-2020");
	assert_null(jx_json_get(root, "indicators"));
	assert_null(jx_json_get(at(root, "computed", NULL), "exec_trace"));
	/* a result that does not match the evaluation is refused */
	res.n = 3;
	assert_int_equal(jx_evaljson_write_result(&b, &e, &r, &res, &f, 0),
	                 JX_EINVAL);
	jx_buf_free(&b);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* jx_eval_add_indicator and jx_eval_add_goal (model.c), which the store
 * uses to build an evaluation row by row: zeroed entries, the array grown
 * in the evaluation's arena with what was there kept. */
static void
test_model_add(void **state)
{
	struct jx_eval e;
	struct jx_indicator *ind;
	struct jx_goal *g;
	char name[16][8];
	size_t cap = 0, gcap = 0, i;

	(void)state;
	jx_eval_init(&e);
	for (i = 0; i < 40; i++) {
		ind = jx_eval_add_indicator(&e, &cap);
		assert_non_null(ind);
		assert_null(ind->name);
		assert_false(ind->weight.set);
		assert_int_equal(ind->line, 0);
		ind->line = (int)i + 1;
		assert_int_equal(e.nindicators, i + 1);
		assert_true(cap >= e.nindicators);
	}
	assert_int_equal(cap, 64); /* 16, 32, 64 */
	for (i = 0; i < 40; i++)
		assert_int_equal(e.indicators[i].line, (int)i + 1);
	for (i = 0; i < 9; i++) {
		snprintf(name[i], sizeof(name[i]), "g%zu", i);
		g = jx_eval_add_goal(&e, &gcap);
		assert_non_null(g);
		assert_null(g->expected);
		assert_null(g->achieved);
		g->expected = name[i];
	}
	assert_int_equal(e.ngoals, 9);
	assert_int_equal(gcap, 16); /* 4, 8, 16 */
	for (i = 0; i < 9; i++)
		assert_string_equal(e.goals[i].expected, name[i]);
	jx_eval_cleanup(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_example),
	        cmocka_unit_test(test_valid_fixtures),
	        cmocka_unit_test(test_fixtures),
	        cmocka_unit_test(test_seeds_round_trip),
	        cmocka_unit_test(test_numbers),
	        cmocka_unit_test(test_rates),
	        cmocka_unit_test(test_json_lines),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_reuse_and_errors),
	        cmocka_unit_test(test_write_shape),
	        cmocka_unit_test(test_write_result),
	        cmocka_unit_test(test_model_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
