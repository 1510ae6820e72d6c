/*
 * test_form.c - the 自评表 as a block document (include/jx/form.h): for
 * every seed transcription (tests/data/seeds/NNN.json) the table built by
 * jx_form_selfeval, read by the sheet finder with the built-in layouts
 * (rules/layouts/, the mof one must win) together with the document's text
 * (title and year, as a reader of the rendered document sees them), gives
 * back the same header, funds, goals, indicator lines, weights, scores,
 * totals and grade; the blocks, widths, alignment, bold rows and merges
 * are those of the Ministry of Finance form; unstated figures are computed
 * only with a rule set and a note says so; missing parts (no funds, no
 * goals, no year) and bad arguments. Everything on grids in memory: no
 * files.
 */
#include "testutil.h"

#include "jx/doc.h"
#include "jx/evaljson.h"
#include "jx/form.h"
#include "jx/grid.h"
#include "jx/sheet.h"

static const char *const layout_names[] = {"mof", "shanxi", "sichuan"};
#define NLAYOUTS (sizeof(layout_names) / sizeof(layout_names[0]))

static struct jx_sheet_layout layouts[NLAYOUTS];
static struct jx_rules rules;

static const char *const seeds[] = {"000", "001", "003", "004"};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

#define MAX_GRIDS 8

static int
setup(void **state)
{
	char rel[256];
	struct jx_diag d;
	size_t i, len;
	char *buf;

	(void)state;
	for (i = 0; i < NLAYOUTS; i++) {
		snprintf(rel, sizeof(rel), "rules/layouts/%s.json",
		         layout_names[i]);
		buf = tu_read(rel, &len);
		if (buf == NULL)
			return -1;
		if (jx_sheet_layout_load(&layouts[i], buf, len, layout_names[i],
		                         rel, &d) != JX_OK) {
			fprintf(stderr, "%s: %s\n", rel, d.message);
			free(buf);
			return -1;
		}
		free(buf);
	}
	return tu_rules(&rules, "mof-2020");
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NLAYOUTS; i++)
		jx_sheet_layout_cleanup(&layouts[i]);
	jx_rules_cleanup(&rules);
	return 0;
}

static void
load_seed(const char *name, struct jx_eval *e)
{
	char rel[256];
	struct jx_diag d;
	size_t len = 0;
	char *buf;

	snprintf(rel, sizeof(rel), "tests/data/seeds/%s.json", name);
	buf = tu_read(rel, &len);
	assert_non_null(buf);
	jx_eval_init(e);
	tu_must(jx_evaljson_read(buf, len, rel, 0, e, &d), &d, rel);
	free(buf);
}

/*
 * What a reader of the rendered document gets: each table's grid, then
 * the text of the other blocks as a last grid "正文", one paragraph a row
 * (as the readers of Word documents and of text lay out paragraphs).
 */
static size_t
doc_grids(const struct jx_doc *doc, struct jx_arena *a, struct jx_grid *out)
{
	size_t i, n = 0;
	uint32_t row = 0;
	struct jx_grid *text;

	for (i = 0; i < doc->nblocks; i++) {
		if (doc->blocks[i].kind != JX_DOC_TABLE)
			continue;
		assert_true(n < MAX_GRIDS - 1);
		out[n++] = *doc->blocks[i].table;
	}
	text = &out[n];
	jx_grid_init(text, a);
	assert_int_equal(jx_grid_set_name(text, "正文", strlen("正文")), JX_OK);
	for (i = 0; i < doc->nblocks; i++) {
		const char *s = doc->blocks[i].text;

		if (doc->blocks[i].kind == JX_DOC_TABLE || s == NULL ||
		    s[0] == '\0')
			continue;
		assert_int_equal(jx_grid_set(text, row++, 0, s, strlen(s)),
		                 JX_OK);
	}
	return n + 1;
}

/* Read the evaluation back out of doc as the CLI reads documents. */
static void
read_back(const struct jx_doc *doc, struct jx_eval *out)
{
	struct jx_arena a;
	struct jx_grid grids[MAX_GRIDS];
	struct jx_sheet_report rep;
	struct jx_diag d;
	size_t n;

	jx_arena_init(&a, 0);
	jx_sheet_report_init(&rep);
	n = doc_grids(doc, &a, grids);
	jx_eval_init(out);
	tu_must(jx_sheet_read(grids, n, layouts, NLAYOUTS, out, &rep, &d), &d,
	        "jx_sheet_read");
	assert_non_null(rep.layout);
	assert_string_equal(rep.layout, "mof");
	jx_sheet_report_cleanup(&rep);
	jx_arena_cleanup(&a);
}

/* ---- the comparison of test_xlsxw.c ------------------------------------ */

/* NULL and "" are the same blank cell once written. */
static void
same_str(const char *want, const char *got, const char *what)
{
	if (want == NULL)
		want = "";
	if (got == NULL)
		got = "";
	if (strcmp(want, got) != 0)
		fail_msg("%s: want \"%s\", got \"%s\"", what, want, got);
}

static void
same_opt(struct jx_opt want, struct jx_opt got, const char *what)
{
	char a[48], b[48];

	if (want.set != got.set || (want.set && want.v != got.v)) {
		jx_dec_format(want.v, -1, a, sizeof(a));
		jx_dec_format(got.v, -1, b, sizeof(b));
		fail_msg("%s: want %s%s, got %s%s", what,
		         want.set ? "" : "unset ", a, got.set ? "" : "unset ",
		         b);
	}
}

static void
same_fund(const struct jx_fund_row *w, const struct jx_fund_row *g,
          const char *what)
{
	char f[160];

	snprintf(f, sizeof(f), "%s.initial", what);
	same_opt(w->initial, g->initial, f);
	snprintf(f, sizeof(f), "%s.annual", what);
	same_opt(w->annual, g->annual, f);
	snprintf(f, sizeof(f), "%s.executed", what);
	same_opt(w->executed, g->executed, f);
}

static void
same_eval(const struct jx_eval *w, const struct jx_eval *g)
{
	char f[96];
	size_t i, k;

	same_str(w->title, g->title, "title");
	same_str(w->unit, g->unit, "unit");
	same_str(w->department, g->department, "department");
	assert_int_equal(w->year, g->year);
	assert_int_equal(w->has_funds, g->has_funds);
	if (w->has_funds) {
		same_fund(&w->funds.total, &g->funds.total, "funds.total");
		same_opt(w->funds.exec_weight, g->funds.exec_weight,
		         "funds.exec_weight");
		same_opt(w->funds.exec_score_stated, g->funds.exec_score_stated,
		         "funds.exec_score_stated");
		same_str(w->funds.exec_rate_text, g->funds.exec_rate_text,
		         "funds.exec_rate_text");
		for (i = 0; i < w->funds.nsources; i++) {
			const struct jx_fund_row *s = &w->funds.sources[i];
			const struct jx_fund_row *t = NULL;

			for (k = 0; k < g->funds.nsources; k++)
				if (strcmp(g->funds.sources[k].name, s->name) ==
				    0)
					t = &g->funds.sources[k];
			if (t == NULL) {
				/* a source stating nothing may be dropped */
				assert_false(s->initial.set || s->annual.set ||
				             s->executed.set);
				continue;
			}
			snprintf(f, sizeof(f), "funds.sources.%s", s->name);
			same_fund(s, t, f);
		}
	}
	assert_int_equal(w->ngoals, g->ngoals);
	for (i = 0; i < w->ngoals; i++) {
		same_str(w->goals[i].expected, g->goals[i].expected,
		         "goal.expected");
		same_str(w->goals[i].achieved, g->goals[i].achieved,
		         "goal.achieved");
	}
	assert_int_equal(w->nindicators, g->nindicators);
	for (i = 0; i < w->nindicators; i++) {
		const struct jx_indicator *a = &w->indicators[i];
		const struct jx_indicator *b = &g->indicators[i];

		snprintf(f, sizeof(f), "indicators[%zu].level1", i);
		same_str(a->level1, b->level1, f);
		snprintf(f, sizeof(f), "indicators[%zu].level2", i);
		same_str(a->level2, b->level2, f);
		snprintf(f, sizeof(f), "indicators[%zu].name", i);
		same_str(a->name, b->name, f);
		snprintf(f, sizeof(f), "indicators[%zu].target", i);
		same_str(a->target, b->target, f);
		snprintf(f, sizeof(f), "indicators[%zu].actual", i);
		same_str(a->actual, b->actual, f);
		snprintf(f, sizeof(f), "indicators[%zu].weight", i);
		same_opt(a->weight, b->weight, f);
		snprintf(f, sizeof(f), "indicators[%zu].score", i);
		same_opt(a->score_stated, b->score_stated, f);
		snprintf(f, sizeof(f), "indicators[%zu].completion", i);
		same_str(a->completion_stated, b->completion_stated, f);
		snprintf(f, sizeof(f), "indicators[%zu].reason", i);
		same_str(a->deviation_reason, b->deviation_reason, f);
	}
	same_opt(w->total_weight_stated, g->total_weight_stated,
	         "total_weight_stated");
	same_opt(w->total_score_stated, g->total_score_stated,
	         "total_score_stated");
	same_str(w->grade_stated, g->grade_stated, "grade_stated");
}

/* ---- helpers -------------------------------------------------------- */

/* The only table block of doc. */
static const struct jx_doc_block *
table_block(const struct jx_doc *doc)
{
	const struct jx_doc_block *t = NULL;
	size_t i;

	for (i = 0; i < doc->nblocks; i++) {
		if (doc->blocks[i].kind == JX_DOC_TABLE) {
			assert_null(t);
			t = &doc->blocks[i];
		}
	}
	assert_non_null(t);
	return t;
}

/* The first row whose column c reads s, or UINT32_MAX. */
static uint32_t
find_row(const struct jx_grid *g, uint32_t c, const char *s)
{
	uint32_t r;
	const char *v;

	for (r = 0; r < g->nrows; r++)
		if ((v = jx_grid_get(g, r, c)) != NULL && strcmp(v, s) == 0)
			return r;
	return UINT32_MAX;
}

static void
want_cell(const struct jx_grid *g, uint32_t r, uint32_t c, const char *want)
{
	const char *v = jx_grid_get(g, r, c);

	if (want == NULL) {
		if (v != NULL)
			fail_msg("cell %u,%u: want blank, got \"%s\"", r, c, v);
		return;
	}
	if (v == NULL || strcmp(v, want) != 0)
		fail_msg("cell %u,%u: want \"%s\", got \"%s\"", r, c, want,
		         v != NULL ? v : "(blank)");
}

static void
want_merge(const struct jx_grid *g, uint32_t r0, uint32_t c0, uint32_t r1,
           uint32_t c1)
{
	const struct jx_grid_merge *m = jx_grid_merged(g, r0, c0);

	if (m == NULL || m->r0 != r0 || m->c0 != c0 || m->r1 != r1 ||
	    m->c1 != c1)
		fail_msg("want merge %u,%u..%u,%u", r0, c0, r1, c1);
}

/* ---- tests ---------------------------------------------------------- */

/* Every seed, without a rule set: what is read back is what was given. */
static void
test_round_trip(void **state)
{
	struct jx_eval e, back;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < NSEEDS; i++) {
		load_seed(seeds[i], &e);
		jx_arena_init(&a, 0);
		jx_doc_init(&doc, &a);
		tu_must(jx_form_selfeval(&doc, &e, NULL, &d), &d, seeds[i]);
		read_back(&doc, &back);
		same_eval(&e, &back);
		jx_eval_cleanup(&back);
		jx_arena_cleanup(&a);
		jx_eval_cleanup(&e);
	}
}

/* With the rule set the stated figures of every seed still win: the same
 * evaluation comes back, plus what the seed leaves blank. */
static void
test_round_trip_rules(void **state)
{
	struct jx_eval e, back;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < NSEEDS; i++) {
		load_seed(seeds[i], &e);
		jx_arena_init(&a, 0);
		jx_doc_init(&doc, &a);
		tu_must(jx_form_selfeval(&doc, &e, &rules, &d), &d, seeds[i]);
		read_back(&doc, &back);
		/* what the seed leaves blank may be computed: 000 and 003
		 * state no 分值 total (100 under the rules), 001 and 004
		 * no grade */
		if (!e.total_weight_stated.set) {
			assert_true(back.total_weight_stated.set);
			assert_int_equal(back.total_weight_stated.v,
			                 jx_dec_from_int(100));
			back.total_weight_stated.set = false;
		}
		if (e.grade_stated == NULL)
			back.grade_stated = NULL;
		same_eval(&e, &back);
		jx_eval_cleanup(&back);
		jx_arena_cleanup(&a);
		jx_eval_cleanup(&e);
	}
}

/* The blocks and the layout of seed 004 (8 columns) cell by cell. */
static void
test_layout_004(void **state)
{
	static const uint32_t w8[] = {10, 10, 22, 14, 14, 8, 8, 30};
	static const enum jx_doc_align a8[] = {
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_LEFT,  JX_DOC_CENTER,
	        JX_DOC_CENTER, JX_DOC_RIGHT,  JX_DOC_RIGHT, JX_DOC_LEFT};
	struct jx_eval e;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	const struct jx_doc_block *t;
	const struct jx_grid *g;
	uint32_t r, c, head, total;

	(void)state;
	load_seed("004", &e);
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, NULL, &d), &d, "004");
	assert_true(doc.landscape);
	assert_string_equal(
	        doc.title,
	        "项目支出绩效自评表（“互联网+政务服务”平台运维服务费）");
	assert_int_equal(doc.nblocks, 3);
	assert_int_equal(doc.blocks[0].kind, JX_DOC_TITLE);
	assert_string_equal(doc.blocks[0].text, "项目支出绩效自评表");
	assert_int_equal(doc.blocks[1].kind, JX_DOC_SUBTITLE);
	assert_string_equal(doc.blocks[1].text, "（2022年度）");
	t = table_block(&doc);
	g = t->table;
	assert_int_equal(g->ncols, 8);
	/* 2 head + 2 funds + 3 sources + 2 goals + 1 + 10 indicators + 2 */
	assert_int_equal(g->nrows, 22);
	assert_int_equal(t->header_rows, 2);
	for (c = 0; c < 8; c++) {
		assert_int_equal(t->widths[c], w8[c]);
		assert_int_equal(t->align[c], a8[c]);
	}
	/* the header block */
	want_cell(g, 0, 0, "项目名称");
	want_merge(g, 0, 0, 0, 1);
	want_cell(g, 0, 2, "“互联网+政务服务”平台运维服务费");
	want_merge(g, 0, 2, 0, 7);
	want_cell(g, 1, 0, "主管部门");
	want_cell(g, 1, 2, "忻州经济开发区管理委员会");
	want_merge(g, 1, 2, 1, 3);
	want_cell(g, 1, 4, "实施单位");
	want_cell(g, 1, 5, "行政审批服务管理局");
	want_merge(g, 1, 5, 1, 7);
	/* the funds block: money with two decimals, the stated rate */
	want_cell(g, 2, 0, "项目资金（万元）");
	want_merge(g, 2, 0, 6, 0);
	want_cell(g, 2, 1, NULL);
	want_cell(g, 2, 2, "年初预算数");
	want_cell(g, 2, 7, "得分");
	want_cell(g, 3, 1, "年度资金总额");
	want_cell(g, 3, 2, "24.50");
	want_cell(g, 3, 3, "24.50");
	want_cell(g, 3, 4, "24.50");
	want_cell(g, 3, 5, "10");
	want_cell(g, 3, 6, "100%");
	want_cell(g, 3, 7, "10");
	want_cell(g, 4, 1, "当年财政拨款");
	want_cell(g, 4, 2, NULL);
	want_cell(g, 6, 1, "其他资金");
	/* goals */
	want_cell(g, 7, 0, "年度总体目标");
	want_merge(g, 7, 0, 8, 0);
	want_cell(g, 7, 1, "预期目标");
	want_merge(g, 7, 1, 7, 3);
	want_cell(g, 7, 4, "实际完成情况");
	want_merge(g, 8, 4, 8, 7);
	/* the indicator table: 一级 and 二级 merged over their runs */
	head = find_row(g, 0, "一级指标");
	assert_int_equal(head, 9);
	want_cell(g, head, 7, "偏差原因分析及改进措施");
	want_cell(g, head + 1, 0, "产出指标");
	want_merge(g, head + 1, 0, head + 5, 0);
	want_merge(g, head + 2, 1, head + 3, 1);      /* 质量指标 x2 */
	assert_null(jx_grid_merged(g, head + 1, 1));  /* 数量指标 alone */
	want_merge(g, head + 6, 0, head + 9, 0);      /* 效益指标 x4 */
	assert_null(jx_grid_merged(g, head + 10, 0)); /* 满意度 alone */
	want_cell(g, head + 10, 2, "工作人员满意度");
	want_cell(g, head + 10, 3, "95%");
	want_cell(g, head + 10, 5, "10");
	want_cell(g, head + 10, 6, "8");
	/* 总分 and 评价等级 */
	total = find_row(g, 0, "总分");
	assert_int_equal(total, head + 11);
	want_merge(g, total, 0, total, 4);
	want_cell(g, total, 5, "100");
	want_cell(g, total, 6, "98");
	want_cell(g, total + 1, 0, "评价等级");
	want_merge(g, total + 1, 5, total + 1, 7);
	want_cell(g, total + 1, 5, NULL);
	/* bold: the column headers and the 总分 row */
	for (r = 0; r < g->nrows; r++)
		assert_int_equal(t->bold_rows[r],
		                 r == 2 || r == 7 || r == head || r == total);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* Seed 000 states 完成率: a ninth column 完成比例 before the reasons;
 * decimals as stated (4.9, 131.40). */
static void
test_layout_completion(void **state)
{
	struct jx_eval e;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	const struct jx_doc_block *t;
	const struct jx_grid *g;
	uint32_t head, r;

	(void)state;
	load_seed("000", &e);
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, NULL, &d), &d, "000");
	t = table_block(&doc);
	g = t->table;
	/* seed 000 states 实际到位资金 and 资金结余: the wide funds block
	 * (11 columns); the reason column is shared over the extra ones */
	assert_int_equal(g->ncols, 11);
	assert_int_equal(t->widths[7], 12);
	assert_int_equal(t->widths[8] + t->widths[9] + t->widths[10], 30);
	assert_int_equal(t->align[7], JX_DOC_RIGHT);
	head = find_row(g, 0, "一级指标");
	assert_true(head != UINT32_MAX);
	want_cell(g, head, 7, "完成比例");
	want_cell(g, head, 8, "偏差原因分析及改进措施");
	want_merge(g, head, 8, head, 10);
	r = find_row(g, 2, "年初预算数");
	assert_true(r != UINT32_MAX);
	want_cell(g, r, 4, "实际到位资金");
	want_cell(g, r, 6, "资金结余");
	want_cell(g, r, 9, "预算到位率");
	want_cell(g, r, 10, "得分");
	want_cell(g, 3, 2, "134.00");
	want_cell(g, 3, 3, "131.40");
	r = find_row(g, 2, "财政信息化建设经费");
	assert_true(r != UINT32_MAX);
	want_cell(g, r, 6, "4.9");
	want_cell(g, r, 7, "98.06%");
	/* a single blank 一级 (none here) never merges; 总分 spans A..E */
	r = find_row(g, 0, "总分");
	want_merge(g, r, 0, r, 4);
	want_merge(g, r, 7, r, 10);
	want_cell(g, r + 1, 0, "评价等级");
	want_cell(g, r + 1, 5, "优秀");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* Without the stated total, grade and execution score: blank without a
 * rule set; computed (mof-2020) with one, with a note naming them and the
 * rule set; stated figures are never replaced. */
static void
test_computed(void **state)
{
	struct jx_eval e, back;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	const struct jx_doc_block *last;

	(void)state;
	load_seed("004", &e);
	e.total_score_stated.set = false;
	e.total_weight_stated.set = false;
	e.grade_stated = NULL;
	e.funds.exec_score_stated.set = false;

	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, NULL, &d), &d, "plain");
	assert_int_equal(doc.nblocks, 3); /* no note */
	read_back(&doc, &back);
	assert_false(back.total_score_stated.set);
	assert_false(back.total_weight_stated.set);
	assert_false(back.funds.exec_score_stated.set);
	assert_true(back.grade_stated == NULL || back.grade_stated[0] == 0);
	jx_eval_cleanup(&back);
	jx_arena_cleanup(&a);

	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, &rules, &d), &d, "computed");
	assert_int_equal(doc.nblocks, 4);
	last = &doc.blocks[3];
	assert_int_equal(last->kind, JX_DOC_NOTE);
	assert_string_equal(
	        last->text,
	        "注：原表未填写的预算执行率得分、总分分值、总分得分、评价等级"
	        "由 jixiao 按规则方案“项目支出绩效自评（财政部默认规则，"
	        "财预〔2020〕10号）”计算。");
	read_back(&doc, &back);
	/* 004 under mof-2020: every line at full marks but the 满意度 line,
	 * 95% of 95% is met, so 10: total 100 */
	assert_true(back.total_weight_stated.set);
	assert_int_equal(back.total_weight_stated.v, jx_dec_from_int(100));
	assert_true(back.funds.exec_score_stated.set);
	assert_int_equal(back.funds.exec_score_stated.v, jx_dec_from_int(10));
	assert_true(back.total_score_stated.set);
	assert_int_equal(back.total_score_stated.v, jx_dec_from_int(100));
	assert_non_null(back.grade_stated);
	assert_string_equal(back.grade_stated, "优");
	jx_eval_cleanup(&back);
	jx_arena_cleanup(&a);

	/* stated figures win over computed ones; the note names only the
	 * computed ones */
	e.total_score_stated = tu_opt("12.5");
	e.grade_stated = "差";
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, &rules, &d), &d, "stated");
	assert_non_null(strstr(doc.blocks[3].text,
	                       "原表未填写的预算执行率得分、总分分值由"));
	read_back(&doc, &back);
	assert_int_equal(back.total_score_stated.v, tu_dec("12.5"));
	assert_string_equal(back.grade_stated, "差");
	jx_eval_cleanup(&back);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* A line that cannot be scored: the total and the grade stay blank even
 * with a rule set (never invented). */
static void
test_incomplete_total(void **state)
{
	struct jx_eval e, back;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;

	(void)state;
	load_seed("004", &e);
	e.total_score_stated.set = false;
	e.grade_stated = NULL;
	e.indicators[0].actual = ""; /* 技术服务内容: no actual value */
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, &rules, &d), &d, "incomplete");
	read_back(&doc, &back);
	assert_false(back.total_score_stated.set);
	assert_true(back.grade_stated == NULL || back.grade_stated[0] == 0);
	same_eval(&e, &back);
	jx_eval_cleanup(&back);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* No funds block, no goals, no year, no department: the form has no funds
 * rows, one blank goal row, no subtitle, and still reads back. */
static void
test_missing_parts(void **state)
{
	struct jx_eval e, back;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	const struct jx_grid *g;

	(void)state;
	load_seed("001", &e);
	e.has_funds = false;
	e.ngoals = 0;
	e.year = 0;
	e.department = NULL;
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval(&doc, &e, NULL, &d), &d, "missing");
	assert_int_equal(doc.nblocks, 2);
	assert_int_equal(doc.blocks[0].kind, JX_DOC_TITLE);
	assert_int_equal(doc.blocks[1].kind, JX_DOC_TABLE);
	g = doc.blocks[1].table;
	want_cell(g, 2, 0, "年度总体目标");
	want_merge(g, 2, 0, 3, 0);
	want_cell(g, 3, 1, NULL);
	want_cell(g, 4, 0, "一级指标");
	assert_int_equal(find_row(g, 1, "年度资金总额"), UINT32_MAX);
	read_back(&doc, &back);
	assert_int_equal(back.ngoals, 0);
	same_eval(&e, &back);
	jx_eval_cleanup(&back);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* The table alone (inside another document): no title, no orientation. */
static void
test_table_only(void **state)
{
	struct jx_eval e;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;

	(void)state;
	load_seed("003", &e);
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_form_selfeval_table(&doc, &e, NULL, &d), &d, "table");
	assert_false(doc.landscape);
	assert_null(doc.title);
	assert_int_equal(doc.nblocks, 1);
	assert_int_equal(doc.blocks[0].kind, JX_DOC_TABLE);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

static void
test_bad_args(void **state)
{
	struct jx_eval e;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;

	(void)state;
	jx_eval_init(&e);
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_want_err(jx_form_selfeval(NULL, &e, NULL, &d), JX_EINVAL, "doc");
	tu_want_err(jx_form_selfeval(&doc, NULL, NULL, &d), JX_EINVAL, "e");
	tu_want_err(jx_form_selfeval_table(&doc, NULL, NULL, &d), JX_EINVAL,
	            "table e");
	/* an empty evaluation still gives the whole form; its totals are
	 * computed as xlsxw.c computes them (nothing fails to score), and
	 * noted */
	tu_must(jx_form_selfeval(&doc, &e, &rules, &d), &d, "empty");
	assert_int_equal(doc.nblocks, 3);
	assert_int_equal(doc.blocks[1].kind, JX_DOC_TABLE);
	assert_int_equal(doc.blocks[1].table->nrows, 7);
	assert_int_equal(doc.blocks[2].kind, JX_DOC_NOTE);
	assert_non_null(strstr(doc.blocks[2].text,
	                       "原表未填写的总分分值、总分得分、评价等级由"));
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
}

/* Out of memory at every step: JX_ENOMEM, never a crash. */
static void
test_nomem(void **state)
{
	struct jx_eval e;
	struct jx_arena a;
	struct jx_doc doc;
	struct jx_diag d;
	enum jx_err err;
	size_t limit;
	bool ok = false;

	(void)state;
	load_seed("000", &e);
	for (limit = 1024; limit < (size_t)4 << 20 && !ok; limit += 4096) {
		jx_arena_init(&a, 1024);
		a.limit = limit;
		jx_doc_init(&doc, &a);
		err = jx_form_selfeval(&doc, &e, &rules, &d);
		if (err == JX_OK)
			ok = true;
		else
			tu_want_err(err, JX_ENOMEM, "limit");
		jx_arena_cleanup(&a);
	}
	assert_true(ok);
	jx_eval_cleanup(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_round_trip_rules),
	        cmocka_unit_test(test_layout_004),
	        cmocka_unit_test(test_layout_completion),
	        cmocka_unit_test(test_computed),
	        cmocka_unit_test(test_incomplete_total),
	        cmocka_unit_test(test_missing_parts),
	        cmocka_unit_test(test_table_only),
	        cmocka_unit_test(test_bad_args),
	        cmocka_unit_test(test_nomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
