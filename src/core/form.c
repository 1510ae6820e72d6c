/*
 * form.c - the 项目支出绩效自评表 as a table of a block document (form.h):
 * the layout of io/xlsxw.c, built as a struct jx_grid with merged ranges
 * instead of worksheet cells, so that the sheet finder reads it back as it
 * reads the workbook.
 *
 * Figures are written as text: money with at least two decimals, weights,
 * scores and rates with their own (jx_dec_format), rates followed by "%".
 * Scoring (score.h) runs only to fill figures the evaluation leaves blank,
 * in a scratch arena of its own. This file neither renders nor reads
 * documents and judges nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jx/form.h"
#include "jx/score.h"

#define FORM_TITLE "项目支出绩效自评表"
#define NUM_CAP    48  /* bytes of a number written as text */
#define NOTE_CAP   512 /* bytes of the note on computed figures */
#define TOTAL_END  4u  /* 总分 and 评价等级 labels span columns 0..4 */

/* The state of one table being built. */
struct fb {
	struct jx_grid *g;
	const struct jx_eval *e;
	const struct jx_result *res; /* NULL without a rule set */
	uint32_t ncols;              /* 8, or 9 with the 完成比例 column */
	uint32_t c_completion;       /* UINT32_MAX: none */
	uint32_t c_reason;
	struct jx_form_funds_cols fc; /* the funds block's columns */
	uint32_t row;                 /* next row to write */
	bool *bold;                   /* one per row of the table */
	enum jx_err err;
	/* Figures computed because the evaluation leaves them blank. */
	bool c_exec, c_weight, c_total, c_grade;
};

static void put(struct fb *b, uint32_t r1, uint32_t c1, uint32_t r2,
                uint32_t c2, const char *s);
static void put_num(struct fb *b, uint32_t r, uint32_t c1, uint32_t c2,
                    struct jx_opt o, int min_places);
static void rate_text(struct jx_opt o, char *buf, size_t cap);
static bool same_text(const char *a, const char *b);
static bool blank(const char *s);
static bool any_completion(const struct jx_eval *e);
static void write_head(struct fb *b);
static void fund_row(struct fb *b, const struct jx_fund_row *f,
                     const char *name);
static void write_funds(struct fb *b);
static void fund_amounts(struct fb *b, uint32_t r, const struct jx_fund_row *f);
static bool row_wide(const struct jx_fund_row *f);
static void write_goals(struct fb *b);
static void write_indicators(struct fb *b);
static void write_total(struct fb *b);
static size_t table_rows(const struct jx_eval *e);
static const char *doc_title(struct jx_arena *a, const char *title);
static enum jx_err computed_note(struct jx_doc *doc, const struct fb *b,
                                 const struct jx_rules *r, struct jx_diag *d);

/* Put s (NULL or "": a blank cell) over r1..r2 x c1..c2, merged when the
 * range holds more than one cell. */
static void
put(struct fb *b, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
    const char *s)
{
	if (b->err != JX_OK)
		return;
	if (!blank(s))
		b->err = jx_grid_set(b->g, r1, c1, s, strlen(s));
	if (b->err == JX_OK && (r1 != r2 || c1 != c2))
		b->err = jx_grid_merge(b->g, r1, c1, r2, c2);
}

/* o (unset: blank) with at least min_places decimals over c1..c2 of r. */
static void
put_num(struct fb *b, uint32_t r, uint32_t c1, uint32_t c2, struct jx_opt o,
        int min_places)
{
	char buf[NUM_CAP];
	int p;

	if (!o.set) {
		put(b, r, c1, r, c2, NULL);
		return;
	}
	p = jx_dec_places(o.v);
	if (p < min_places)
		p = min_places;
	jx_dec_format(o.v, p, buf, sizeof(buf));
	put(b, r, c1, r, c2, buf);
}

/* A stated rate in percent as "15%"; "" when unset. */
static void
rate_text(struct jx_opt o, char *buf, size_t cap)
{
	size_t n;

	buf[0] = '\0';
	if (!o.set)
		return;
	n = jx_dec_format(o.v, -1, buf, cap);
	if (n + 1 < cap) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
}

/* Two non-blank equal texts: cells of one merged run. */
static bool
same_text(const char *a, const char *b)
{
	return a != NULL && b != NULL && a[0] != '\0' && strcmp(a, b) == 0;
}

static bool
blank(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static bool
any_completion(const struct jx_eval *e)
{
	size_t i;

	for (i = 0; i < e->nindicators; i++)
		if (!blank(e->indicators[i].completion_stated))
			return true;
	return false;
}

/* 项目名称 / 主管部门 / 实施单位. */
static void
write_head(struct fb *b)
{
	uint32_t last = b->ncols - 1, r = b->row;

	put(b, r, 0, r, 1, "项目名称");
	put(b, r, 2, r, last, b->e->title);
	r++;
	put(b, r, 0, r, 1, "主管部门");
	put(b, r, 2, r, 3, b->e->department);
	put(b, r, 4, r, 4, "实施单位");
	put(b, r, 5, r, last, b->e->unit);
	b->row = r + 1;
}

/* A source's row: its amounts and stated rate; 分值 and 得分 blank. */
static void
fund_row(struct fb *b, const struct jx_fund_row *f, const char *name)
{
	const struct jx_form_funds_cols *fc = &b->fc;
	uint32_t last = b->ncols - 1, r = b->row;
	char rate[NUM_CAP];

	put(b, r, 1, r, 1, name);
	fund_amounts(b, r, f);
	put(b, r, fc->weight, r, fc->weight, NULL);
	rate_text(f->exec_rate_stated, rate, sizeof(rate));
	put(b, r, fc->rate, r, fc->rate, rate);
	put(b, r, fc->score, r, last, NULL);
	b->row = r + 1;
}

/* The amounts of a fund row, and its 预算到位率 when shown. */
static void
fund_amounts(struct fb *b, uint32_t r, const struct jx_fund_row *f)
{
	const struct jx_form_funds_cols *fc = &b->fc;
	char rate[NUM_CAP];

	put_num(b, r, fc->initial, fc->initial, f->initial, 2);
	put_num(b, r, fc->annual, fc->annual, f->annual, 2);
	put_num(b, r, fc->executed, fc->executed, f->executed, 2);
	if (fc->received != 0)
		put_num(b, r, fc->received, fc->received, f->received, 2);
	if (fc->balance != 0)
		put_num(b, r, fc->balance, fc->balance, f->balance_stated, 2);
	if (fc->received_rate != 0) {
		rate_text(f->received_rate_stated, rate, sizeof(rate));
		put(b, r, fc->received_rate, r, fc->received_rate, rate);
	}
}

/* Whether a fund row states what only the wide block shows. */
static bool
row_wide(const struct jx_fund_row *f)
{
	return f->received.set || f->balance_stated.set ||
	       f->received_rate_stated.set;
}

void
jx_form_funds_cols(const struct jx_eval *e, struct jx_form_funds_cols *c)
{
	const struct jx_funds *fu = &e->funds;
	bool wide = fu->nlevels > 0 || row_wide(&fu->total);
	size_t i;

	for (i = 0; i < fu->nsources && !wide; i++)
		wide = row_wide(&fu->sources[i]);
	memset(c, 0, sizeof(*c));
	c->initial = 2;
	c->annual = 3;
	if (!wide) {
		c->executed = 4;
		c->weight = 5;
		c->rate = 6;
		c->score = 7;
		c->ncols = 8;
		return;
	}
	c->received = 4;
	c->executed = 5;
	c->balance = 6;
	c->weight = 7;
	c->rate = 8;
	c->received_rate = 9;
	c->score = 10;
	c->ncols = 11;
	c->levels = fu->nlevels > 0;
}

/* 项目资金（万元）: the header, 年度资金总额 with the execution line, the
 * sources; the label merged down the first column. */
static void
write_funds(struct fb *b)
{
	const struct jx_funds *fu = &b->e->funds;
	const struct jx_form_funds_cols *fc = &b->fc;
	uint32_t last = b->ncols - 1, first = b->row, r = b->row;
	struct jx_opt score = fu->exec_score_stated;
	char label[160], rate[NUM_CAP], exec_head[96];
	size_t i;

	/* A partial period heads the execution column ("1-6月执行数"),
	 * where readers look for it. */
	snprintf(exec_head, sizeof(exec_head), "%s执行数",
	         fu->period != NULL ? fu->period : "全年");
	snprintf(label, sizeof(label), "项目资金（%s%s%s）",
	         !blank(fu->unit) ? fu->unit : "万元",
	         fu->period != NULL ? "，" : "",
	         fu->period != NULL ? fu->period : "");
	put(b, r, 1, r, 1, NULL);
	put(b, r, fc->initial, r, fc->initial, "年初预算数");
	put(b, r, fc->annual, r, fc->annual, "全年预算数");
	if (fc->received != 0)
		put(b, r, fc->received, r, fc->received, "实际到位资金");
	put(b, r, fc->executed, r, fc->executed, exec_head);
	if (fc->balance != 0)
		put(b, r, fc->balance, r, fc->balance, "资金结余");
	put(b, r, fc->weight, r, fc->weight, "分值");
	put(b, r, fc->rate, r, fc->rate, "执行率");
	if (fc->received_rate != 0)
		put(b, r, fc->received_rate, r, fc->received_rate,
		    "预算到位率");
	put(b, r, fc->score, r, last, "得分");
	b->bold[r] = true;
	r++;
	put(b, r, 1, r, 1, "年度资金总额");
	fund_amounts(b, r, &fu->total);
	put_num(b, r, fc->weight, fc->weight, fu->exec_weight, 0);
	if (fu->exec_rate_text != NULL) {
		put(b, r, fc->rate, r, fc->rate, fu->exec_rate_text);
	} else {
		rate_text(fu->total.exec_rate_stated, rate, sizeof(rate));
		put(b, r, fc->rate, r, fc->rate, rate);
	}
	if (!score.set && b->res != NULL && b->res->has_exec &&
	    !b->res->exec_na) {
		score.v = b->res->exec_score;
		score.set = true;
		b->c_exec = true;
	}
	put_num(b, r, fc->score, last, score, 0);
	b->row = r + 1;
	for (i = 0; i < fu->nsources; i++)
		fund_row(b, &fu->sources[i],
		         fu->sources[i].name != NULL ? fu->sources[i].name
		                                     : "");
	for (i = 0; fc->levels && i < fu->nlevels; i++)
		fund_row(b, &fu->levels[i],
		         fu->levels[i].name != NULL ? fu->levels[i].name : "");
	put(b, first, 0, b->row - 1, 0, label);
}

/* 年度总体目标: 预期目标 / 实际完成情况, one row per goal (one blank row
 * when there is none); the label merged down the first column. */
static void
write_goals(struct fb *b)
{
	const struct jx_eval *e = b->e;
	uint32_t last = b->ncols - 1, first = b->row, r = b->row;
	size_t i;

	put(b, r, 1, r, 3, "预期目标");
	put(b, r, 4, r, last, "实际完成情况");
	b->bold[r] = true;
	r++;
	for (i = 0; i < e->ngoals; i++, r++) {
		put(b, r, 1, r, 3, e->goals[i].expected);
		put(b, r, 4, r, last, e->goals[i].achieved);
	}
	if (e->ngoals == 0) {
		put(b, r, 1, r, 3, NULL);
		put(b, r, 4, r, last, NULL);
		r++;
	}
	put(b, first, 0, r - 1, 0, "年度总体目标");
	b->row = r;
}

/* The indicator table: header row, one row per indicator, then 一级 merged
 * over runs of equal text and 二级 over runs inside them. */
static void
write_indicators(struct fb *b)
{
	const struct jx_eval *e = b->e;
	uint32_t r = b->row, row;
	size_t i, j;

	put(b, r, 0, r, 0, "一级指标");
	put(b, r, 1, r, 1, "二级指标");
	put(b, r, 2, r, 2, "三级指标");
	put(b, r, 3, r, 3, "年度指标值");
	put(b, r, 4, r, 4, "实际完成值");
	put(b, r, 5, r, 5, "分值");
	put(b, r, 6, r, 6, "得分");
	if (b->c_completion != UINT32_MAX)
		put(b, r, b->c_completion, r, b->c_completion, "完成比例");
	put(b, r, b->c_reason, r, b->ncols - 1, "偏差原因分析及改进措施");
	b->bold[r] = true;
	r++;
	for (i = 0; i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];

		row = r + (uint32_t)i;
		put(b, row, 2, row, 2, ind->name);
		put(b, row, 3, row, 3, ind->target);
		put(b, row, 4, row, 4, ind->actual);
		put_num(b, row, 5, 5, ind->weight, 0);
		put_num(b, row, 6, 6, ind->score_stated, 0);
		if (b->c_completion != UINT32_MAX)
			put(b, row, b->c_completion, row, b->c_completion,
			    ind->completion_stated);
		put(b, row, b->c_reason, row, b->ncols - 1,
		    ind->deviation_reason);
	}
	for (i = 0; i < e->nindicators; i = j) {
		const struct jx_indicator *a = &e->indicators[i];

		for (j = i + 1; j < e->nindicators &&
		                same_text(a->level1, e->indicators[j].level1);
		     j++)
			;
		put(b, r + (uint32_t)i, 0, r + (uint32_t)(j - 1), 0, a->level1);
	}
	for (i = 0; i < e->nindicators; i = j) {
		const struct jx_indicator *a = &e->indicators[i];

		for (j = i + 1;
		     j < e->nindicators &&
		     same_text(a->level2, e->indicators[j].level2) &&
		     (same_text(a->level1, e->indicators[j].level1) ||
		      (blank(a->level1) && blank(e->indicators[j].level1)));
		     j++)
			;
		put(b, r + (uint32_t)i, 1, r + (uint32_t)(j - 1), 1, a->level2);
	}
	b->row = r + (uint32_t)e->nindicators;
}

/* The 总分 row (分值, 得分) and the 评价等级 row; unstated figures are
 * computed under r when it allows. */
static void
write_total(struct fb *b)
{
	const struct jx_eval *e = b->e;
	const struct jx_result *res = b->res;
	uint32_t last = b->ncols - 1, row = b->row;
	struct jx_opt tw = e->total_weight_stated, ts = e->total_score_stated;
	const char *grade = e->grade_stated;

	if (!tw.set && res != NULL) {
		tw.v = res->weight_sum;
		tw.set = b->c_weight = true;
	}
	if (!ts.set && res != NULL && res->total_complete) {
		ts.v = res->total;
		ts.set = b->c_total = true;
	}
	if (blank(grade) && res != NULL && res->total_complete &&
	    res->grade != NULL) {
		grade = res->grade->name;
		b->c_grade = true;
	}
	put(b, row, 0, row, TOTAL_END, "总分");
	put_num(b, row, 5, 5, tw, 0);
	put_num(b, row, 6, 6, ts, 0);
	put(b, row, 7, row, last, NULL);
	b->bold[row] = true;
	row++;
	put(b, row, 0, row, TOTAL_END, "评价等级");
	put(b, row, 5, row, last, grade);
	b->row = row + 1;
}

/* Rows of the table of e. */
static size_t
table_rows(const struct jx_eval *e)
{
	size_t n = 2; /* 项目名称, 主管部门 */

	if (e->has_funds)
		n += 2 + e->funds.nsources + e->funds.nlevels;
	n += 1 + (e->ngoals > 0 ? e->ngoals : 1);
	n += 1 + e->nindicators;
	return n + 2; /* 总分, 评价等级 */
}

/* "注：…由 jixiao 按规则方案“…”计算" naming the computed figures. */
static enum jx_err
computed_note(struct jx_doc *doc, const struct fb *b, const struct jx_rules *r,
              struct jx_diag *d)
{
	char note[NOTE_CAP];
	const char *what[4];
	size_t n = 0, i, len;

	if (b->c_exec)
		what[n++] = "预算执行率得分";
	if (b->c_weight)
		what[n++] = "总分分值";
	if (b->c_total)
		what[n++] = "总分得分";
	if (b->c_grade)
		what[n++] = "评价等级";
	if (n == 0 || r == NULL)
		return JX_OK;
	len = (size_t)snprintf(note, sizeof(note), "注：原表未填写的");
	for (i = 0; i < n && len < sizeof(note); i++)
		len += (size_t)snprintf(note + len, sizeof(note) - len, "%s%s",
		                        i > 0 ? "、" : "", what[i]);
	if (len < sizeof(note))
		snprintf(note + len, sizeof(note) - len,
		         "由 jixiao 按规则方案“%s”计算。",
		         r->title != NULL  ? r->title
		         : r->name != NULL ? r->name
		                           : "");
	if (jx_doc_add(doc, JX_DOC_NOTE, 0, note) == NULL)
		return jx_diag_set(d, JX_ENOMEM, "form", "内存不足");
	return JX_OK;
}

enum jx_err
jx_form_selfeval_table(struct jx_doc *doc, const struct jx_eval *e,
                       const struct jx_rules *r, struct jx_diag *d)
{
	/* Relative widths as the worksheet's columns (xlsxw.c). */
	static const uint32_t w8[] = {10, 10, 22, 14, 14, 8, 8, 30};
	static const uint32_t w9[] = {10, 10, 22, 14, 14, 8, 8, 12, 30};
	static const enum jx_doc_align a8[] = {
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_LEFT,  JX_DOC_CENTER,
	        JX_DOC_CENTER, JX_DOC_RIGHT,  JX_DOC_RIGHT, JX_DOC_LEFT};
	static const enum jx_doc_align a9[] = {
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_LEFT,
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_RIGHT,
	        JX_DOC_RIGHT,  JX_DOC_RIGHT,  JX_DOC_LEFT};
	struct jx_arena scratch;
	struct jx_result res;
	struct fb b;
	size_t nrows;
	uint32_t *widths, c, base;
	enum jx_doc_align *align;
	enum jx_err err = JX_OK;

	jx_arena_init(&scratch, 0);
	memset(&b, 0, sizeof(b));
	if (doc == NULL || doc->arena == NULL || e == NULL) {
		err = jx_diag_set(d, JX_EINVAL, "form", "参数无效");
		goto done;
	}
	nrows = table_rows(e);
	if (nrows > JX_GRID_MAX_ROWS) {
		err = jx_diag_set(d, JX_ETOOBIG, "indicators",
		                  "自评表过大：%zu 行，上限 %u 行", nrows,
		                  JX_GRID_MAX_ROWS);
		goto done;
	}
	if (r != NULL) {
		err = jx_score_run(e, r, &scratch, &res);
		if (err != JX_OK) {
			err = jx_diag_set(d, err, "score", "自评表无法计分：%s",
			                  jx_err_message(err));
			goto done;
		}
		b.res = &res;
	}
	b.e = e;
	b.g = jx_arena_alloc(doc->arena, sizeof(*b.g));
	b.bold = jx_arena_calloc(doc->arena, nrows, sizeof(*b.bold));
	if (b.g == NULL || b.bold == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "form", "内存不足");
		goto done;
	}
	jx_grid_init(b.g, doc->arena);
	if (any_completion(e)) {
		b.ncols = 9;
		b.c_completion = 7;
		b.c_reason = 8;
	} else {
		b.ncols = 8;
		b.c_completion = UINT32_MAX;
		b.c_reason = 7;
	}
	jx_form_funds_cols(e, &b.fc);
	if (!e->has_funds)
		b.fc.ncols = 0;
	if (b.fc.ncols > b.ncols)
		b.ncols = b.fc.ncols;
	widths = jx_arena_calloc(doc->arena, b.ncols, sizeof(*widths));
	align = jx_arena_calloc(doc->arena, b.ncols, sizeof(*align));
	if (widths == NULL || align == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "form", "内存不足");
		goto done;
	}
	for (c = 0; c < b.ncols; c++) {
		/* The columns the indicator table spans keep its widths; the
		 * funds block's extra columns are narrow figure columns and
		 * the reason column is shared out over them. */
		base = any_completion(e) ? 9u : 8u;
		if (c < base - 1) {
			widths[c] = base == 9 ? w9[c] : w8[c];
			align[c] = base == 9 ? a9[c] : a8[c];
		} else {
			widths[c] = (base == 9 ? w9[base - 1] : w8[base - 1]) /
			            (b.ncols - base + 1);
			if (widths[c] < 8)
				widths[c] = 8;
			align[c] = c == base - 1 ? JX_DOC_LEFT : JX_DOC_RIGHT;
		}
	}
	write_head(&b);
	if (e->has_funds)
		write_funds(&b);
	write_goals(&b);
	write_indicators(&b);
	write_total(&b);
	if (b.err != JX_OK) {
		err = jx_diag_set(d, b.err, "form",
		                  b.err == JX_ENOMEM ? "内存不足"
		                                     : "自评表超出表格的上限");
		goto done;
	}
	if (b.g->ncols != b.ncols || b.g->nrows != b.row) {
		/* Every column has its header and the last row its label. */
		err = jx_diag_set(d, JX_EINVAL, "form", "自评表的表格不完整");
		goto done;
	}
	if (jx_doc_add_table(doc, b.g, 2, widths, align, b.bold) == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "form", "内存不足或文档块过多");
		goto done;
	}
	err = computed_note(doc, &b, r, d);
done:
	jx_arena_cleanup(&scratch);
	return err;
}

/* "项目支出绩效自评表（<title>）" in a, or NULL. */
static const char *
doc_title(struct jx_arena *a, const char *title)
{
	size_t n = strlen(FORM_TITLE "（）") + strlen(title) + 1;
	char *s = jx_arena_alloc(a, n);

	if (s != NULL)
		snprintf(s, n, FORM_TITLE "（%s）", title);
	return s;
}

enum jx_err
jx_form_selfeval(struct jx_doc *doc, const struct jx_eval *e,
                 const struct jx_rules *r, struct jx_diag *d)
{
	char buf[96];
	enum jx_err err = JX_OK;

	if (doc == NULL || doc->arena == NULL || e == NULL) {
		err = jx_diag_set(d, JX_EINVAL, "form", "参数无效");
		goto done;
	}
	doc->landscape = true;
	if (doc->title == NULL) {
		doc->title = blank(e->title) ? FORM_TITLE
		                             : doc_title(doc->arena, e->title);
		if (doc->title == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, "form", "内存不足");
			goto done;
		}
	}
	if (jx_doc_add(doc, JX_DOC_TITLE, 0, FORM_TITLE) == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "form", "内存不足或文档块过多");
		goto done;
	}
	if (e->year > 0) {
		snprintf(buf, sizeof(buf), "（%d年度）", e->year);
		if (jx_doc_add(doc, JX_DOC_SUBTITLE, 0, buf) == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, "form",
			                  "内存不足或文档块过多");
			goto done;
		}
	}
	err = jx_form_selfeval_table(doc, e, r, d);
done:
	return err;
}
