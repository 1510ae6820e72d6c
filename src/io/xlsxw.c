/*
 * xlsxw.c - write self-evaluations as an .xlsx workbook with libxlsxwriter,
 * one worksheet per evaluation in the Ministry of Finance layout (xlsxw.h).
 *
 * The workbook is written to "<path>.part" and renamed over path when
 * complete, so a failure never leaves a half-written file at path. Every
 * libxlsxwriter call that can fail is checked; the first failure is kept
 * and ends the write. Decimals reach Excel as doubles only for display:
 * the exact text of the jx_dec (six places at most) goes through strtod,
 * and the cell's number format shows the value's own decimals, so the
 * text a reader sees is the stated figure. This module does not read
 * workbooks and does not judge the figures it writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "jx/arena.h"
#include "jx/form.h"
#include "jx/score.h"
#include "jx/xlsxw.h"

#define NAME_BYTES   256   /* room for a sheet name in UTF-8 */
#define XLSX_STR_MAX 32767 /* characters of a cell (Excel's limit) */

/* The formats one workbook shares. */
struct fmts {
	lxw_format *title, *sub, *label, *text, *center;
	lxw_format *num[JX_DEC_PLACES + 1]; /* 0..6 decimals */
};

/* The state of one write. */
struct wr {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct fmts f;
	const struct jx_eval *e;
	size_t idx;                       /* 0-based index of e */
	lxw_error lerr;                   /* first libxlsxwriter failure */
	const char *what;                 /* what was being written then */
	lxw_col_t ncols;                  /* columns of the indicator table */
	lxw_col_t c_reason, c_completion; /* 0xFFFF: none */
	struct jx_form_funds_cols fc;     /* the funds block (form.h) */
};

#define NO_COL ((lxw_col_t)0xFFFF)

static void
chk(struct wr *w, lxw_error err, const char *what)
{
	if (err != LXW_NO_ERROR && w->lerr == LXW_NO_ERROR) {
		w->lerr = err;
		w->what = what;
	}
}

/* Characters of the UTF-8 text s, counting no further than past max. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0' && n <= XLSX_STR_MAX; s++)
		if (((unsigned char)*s & 0xC0u) != 0x80u)
			n++;
	return n;
}

/* Write text s (NULL: a blank bordered cell) over r1..r2 x c1..c2. */
static void
put_text(struct wr *w, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
         const char *s, lxw_format *f, const char *what)
{
	if (s != NULL && utf8_chars(s) > XLSX_STR_MAX) {
		chk(w, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED, what);
		return;
	}
	if (r1 != r2 || c1 != c2) {
		chk(w,
		    worksheet_merge_range(w->ws, r1, c1, r2, c2,
		                          s != NULL ? s : "", f),
		    what);
	} else if (s != NULL && s[0] != '\0') {
		chk(w, worksheet_write_string(w->ws, r1, c1, s, f), what);
	} else {
		chk(w, worksheet_write_blank(w->ws, r1, c1, f), what);
	}
}

/* Write o (unset: blank) as a number with at least min_places decimals
 * shown, over c1..c2 of row r. */
static void
put_num(struct wr *w, lxw_row_t r, lxw_col_t c1, lxw_col_t c2, struct jx_opt o,
        int min_places, const char *what)
{
	char buf[48];
	int p;

	if (!o.set) {
		put_text(w, r, c1, r, c2, NULL, w->f.center, what);
		return;
	}
	p = jx_dec_places(o.v);
	if (p < min_places)
		p = min_places;
	jx_dec_format(o.v, -1, buf, sizeof(buf));
	if (c1 != c2)
		chk(w,
		    worksheet_merge_range(w->ws, r, c1, r, c2, "", w->f.num[p]),
		    what);
	chk(w,
	    worksheet_write_number(w->ws, r, c1, strtod(buf, NULL),
	                           w->f.num[p]),
	    what);
}

static void
put_comment(struct wr *w, lxw_row_t r, lxw_col_t c, const struct jx_rules *rs)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "原表未填写，由 jixiao 按规则“%s”计算",
	         rs->name != NULL ? rs->name : "");
	chk(w, worksheet_write_comment(w->ws, r, c, buf), "批注");
}

static lxw_format *
new_fmt(lxw_workbook *wb, bool border, uint8_t align, bool bold)
{
	lxw_format *f = workbook_add_format(wb);

	if (f == NULL)
		return NULL;
	format_set_font_name(f, "宋体");
	format_set_font_size(f, 10);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f);
	if (bold)
		format_set_bold(f);
	return f;
}

static bool
make_fmts(lxw_workbook *wb, struct fmts *f)
{
	static const char *const nf[JX_DEC_PLACES + 1] = {
	        "0", "0.0", "0.00", "0.000", "0.0000", "0.00000", "0.000000"};
	int i;

	f->title = new_fmt(wb, false, LXW_ALIGN_CENTER, true);
	f->sub = new_fmt(wb, false, LXW_ALIGN_CENTER, false);
	f->label = new_fmt(wb, true, LXW_ALIGN_CENTER, true);
	f->text = new_fmt(wb, true, LXW_ALIGN_LEFT, false);
	f->center = new_fmt(wb, true, LXW_ALIGN_CENTER, false);
	if (f->title == NULL || f->sub == NULL || f->label == NULL ||
	    f->text == NULL || f->center == NULL)
		return false;
	format_set_font_size(f->title, 16);
	format_set_bg_color(f->label, 0xF2F2F2);
	for (i = 0; i <= JX_DEC_PLACES; i++) {
		f->num[i] = new_fmt(wb, true, LXW_ALIGN_CENTER, false);
		if (f->num[i] == NULL)
			return false;
		format_set_num_format(f->num[i], nf[i]);
	}
	return true;
}

/* Bytes of the first `chars` UTF-8 characters of s. */
static size_t
utf8_prefix(const char *s, size_t chars)
{
	size_t i = 0;

	while (s[i] != '\0' && chars > 0) {
		i++;
		while (((unsigned char)s[i] & 0xC0u) == 0x80u)
			i++;
		chars--;
	}
	return i;
}

/* ASCII case-insensitive equality (Excel compares sheet names so). */
static bool
same_name(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* A unique, valid sheet name for evaluation idx into out (NAME_BYTES). */
static void
sheet_name(const struct jx_eval *e, size_t idx, char (*names)[NAME_BYTES],
           char *out)
{
	char base[NAME_BYTES], fallback[32], suffix[24];
	const char *src = e->title;
	size_t i, len, k, unique = 1;

	if (src == NULL || src[0] == '\0')
		src = e->id;
	if (src == NULL || src[0] == '\0') {
		snprintf(fallback, sizeof(fallback), "自评表%zu", idx + 1);
		src = fallback;
	}
	len = utf8_prefix(src, JX_XLSXW_SHEET_NAME);
	if (len >= sizeof(base))
		len = sizeof(base) - 1;
	for (i = 0; i < len; i++) {
		char c = src[i];

		base[i] = (strchr("[]:*?/\\", c) != NULL ||
		           (unsigned char)c < 0x20u)
		                  ? '_'
		                  : c;
	}
	base[len] = '\0';
	/* Excel refuses a name that starts or ends with an apostrophe. */
	if (base[0] == '\'')
		base[0] = '_';
	if (len > 0 && base[len - 1] == '\'')
		base[len - 1] = '_';
	suffix[0] = '\0';
	for (;;) {
		size_t room = JX_XLSXW_SHEET_NAME - strlen(suffix);
		bool clash = false;

		len = utf8_prefix(base, room);
		snprintf(out, NAME_BYTES, "%.*s%s", (int)len, base, suffix);
		for (k = 0; k < idx; k++)
			if (same_name(names[k], out))
				clash = true;
		if (!clash)
			break;
		unique++;
		snprintf(suffix, sizeof(suffix), "(%zu)", unique);
	}
}

/* A column of the funds plan (form.h) as libxlsxwriter's type. */
#define C(col) ((lxw_col_t)(col))

/* The 总分 and 评价等级 labels span columns A..E. */
#define TOTAL_LABEL_END 4 /* 总分 over A..E */

static lxw_row_t
write_head(struct wr *w, lxw_row_t r)
{
	const struct jx_eval *e = w->e;
	lxw_col_t last = (lxw_col_t)(w->ncols - 1);
	char year[64];

	worksheet_set_row(w->ws, r, 30, NULL);
	put_text(w, r, 0, r, last, "项目支出绩效自评表", w->f.title, "标题");
	r++;
	if (e->year > 0)
		snprintf(year, sizeof(year), "（%d年度）", e->year);
	else
		snprintf(year, sizeof(year), "（    年度）");
	put_text(w, r, 0, r, last, year, w->f.sub, "年度");
	r++;
	put_text(w, r, 0, r, 1, "项目名称", w->f.label, "项目名称");
	put_text(w, r, 2, r, last, e->title, w->f.text, "项目名称");
	r++;
	put_text(w, r, 0, r, 1, "主管部门", w->f.label, "主管部门");
	put_text(w, r, 2, r, 3, e->department, w->f.text, "主管部门");
	put_text(w, r, 4, r, 4, "实施单位", w->f.label, "实施单位");
	put_text(w, r, 5, r, last, e->unit, w->f.text, "实施单位");
	return r + 1;
}

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

/* The amounts of a fund row, and its 预算到位率 when shown. */
static void
fund_amounts(struct wr *w, lxw_row_t r, const struct jx_fund_row *f)
{
	const struct jx_form_funds_cols *fc = &w->fc;
	char rate[48];

	put_num(w, r, (lxw_col_t)fc->initial, (lxw_col_t)fc->initial,
	        f->initial, 2, "年初预算数");
	put_num(w, r, (lxw_col_t)fc->annual, (lxw_col_t)fc->annual, f->annual,
	        2, "全年预算数");
	put_num(w, r, (lxw_col_t)fc->executed, (lxw_col_t)fc->executed,
	        f->executed, 2, "全年执行数");
	if (fc->received != 0)
		put_num(w, r, (lxw_col_t)fc->received, (lxw_col_t)fc->received,
		        f->received, 2, "实际到位资金");
	if (fc->balance != 0)
		put_num(w, r, (lxw_col_t)fc->balance, (lxw_col_t)fc->balance,
		        f->balance_stated, 2, "资金结余");
	if (fc->received_rate != 0) {
		rate_text(f->received_rate_stated, rate, sizeof(rate));
		put_text(w, r, (lxw_col_t)fc->received_rate, r,
		         (lxw_col_t)fc->received_rate, rate, w->f.center,
		         "预算到位率");
	}
}

static void
fund_row(struct wr *w, lxw_row_t r, const struct jx_fund_row *f,
         const char *name)
{
	const struct jx_form_funds_cols *fc = &w->fc;
	lxw_col_t last = (lxw_col_t)(w->ncols - 1);
	char rate[48];

	put_text(w, r, 1, r, 1, name, w->f.center, "资金来源");
	fund_amounts(w, r, f);
	put_text(w, r, (lxw_col_t)fc->weight, r, (lxw_col_t)fc->weight, NULL,
	         w->f.center, "分值");
	rate_text(f->exec_rate_stated, rate, sizeof(rate));
	put_text(w, r, (lxw_col_t)fc->rate, r, (lxw_col_t)fc->rate, rate,
	         w->f.center, "执行率");
	put_text(w, r, (lxw_col_t)fc->score, r, last, NULL, w->f.center,
	         "得分");
}

static lxw_row_t
write_funds(struct wr *w, lxw_row_t r, const struct jx_result *res,
            const struct jx_rules *rs)
{
	const struct jx_funds *fu = &w->e->funds;
	const struct jx_form_funds_cols *fc = &w->fc;
	lxw_col_t last = (lxw_col_t)(w->ncols - 1);
	lxw_row_t first = r;
	char label[160], rate[48], exec_head[96];
	struct jx_opt score = fu->exec_score_stated;
	bool computed = false;
	size_t i;

	/* A partial period heads the execution column ("1-6月执行数"),
	 * where readers look for it. */
	snprintf(exec_head, sizeof(exec_head), "%s执行数",
	         fu->period != NULL ? fu->period : "全年");
	snprintf(label, sizeof(label), "项目资金（%s%s%s）",
	         fu->unit != NULL && fu->unit[0] != '\0' ? fu->unit : "万元",
	         fu->period != NULL ? "，" : "",
	         fu->period != NULL ? fu->period : "");
	put_text(w, r, 1, r, 1, NULL, w->f.label, "项目资金");
	put_text(w, r, C(fc->initial), r, C(fc->initial), "年初预算数",
	         w->f.label, "年初预算数");
	put_text(w, r, C(fc->annual), r, C(fc->annual), "全年预算数",
	         w->f.label, "全年预算数");
	if (fc->received != 0)
		put_text(w, r, C(fc->received), r, C(fc->received),
		         "实际到位资金", w->f.label, "实际到位资金");
	put_text(w, r, C(fc->executed), r, C(fc->executed), exec_head,
	         w->f.label, "全年执行数");
	if (fc->balance != 0)
		put_text(w, r, C(fc->balance), r, C(fc->balance), "资金结余",
		         w->f.label, "资金结余");
	put_text(w, r, C(fc->weight), r, C(fc->weight), "分值", w->f.label,
	         "分值");
	put_text(w, r, C(fc->rate), r, C(fc->rate), "执行率", w->f.label,
	         "执行率");
	if (fc->received_rate != 0)
		put_text(w, r, C(fc->received_rate), r, C(fc->received_rate),
		         "预算到位率", w->f.label, "预算到位率");
	put_text(w, r, C(fc->score), r, last, "得分", w->f.label, "得分");
	r++;
	put_text(w, r, 1, r, 1, "年度资金总额", w->f.center, "资金来源");
	fund_amounts(w, r, &fu->total);
	put_num(w, r, C(fc->weight), C(fc->weight), fu->exec_weight, 0, "分值");
	if (fu->exec_rate_text != NULL) {
		put_text(w, r, C(fc->rate), r, C(fc->rate), fu->exec_rate_text,
		         w->f.center, "执行率");
	} else {
		rate_text(fu->total.exec_rate_stated, rate, sizeof(rate));
		put_text(w, r, C(fc->rate), r, C(fc->rate), rate, w->f.center,
		         "执行率");
	}
	if (!score.set && res != NULL && res->has_exec && !res->exec_na) {
		score.v = res->exec_score;
		score.set = true;
		computed = true;
	}
	put_num(w, r, C(fc->score), last, score, 0, "得分");
	if (computed)
		put_comment(w, r, C(fc->score), rs);
	r++;
	for (i = 0; i < fu->nsources; i++, r++)
		fund_row(w, r, &fu->sources[i],
		         fu->sources[i].name != NULL ? fu->sources[i].name
		                                     : "");
	for (i = 0; fc->levels && i < fu->nlevels; i++, r++)
		fund_row(w, r, &fu->levels[i],
		         fu->levels[i].name != NULL ? fu->levels[i].name : "");
	put_text(w, first, 0, r - 1, 0, label, w->f.label, "项目资金");
	return r;
}

static lxw_row_t
write_goals(struct wr *w, lxw_row_t r)
{
	const struct jx_eval *e = w->e;
	lxw_col_t last = (lxw_col_t)(w->ncols - 1);
	lxw_row_t first = r;
	size_t i;

	put_text(w, r, 1, r, 3, "预期目标", w->f.label, "预期目标");
	put_text(w, r, 4, r, last, "实际完成情况", w->f.label, "实际完成情况");
	r++;
	for (i = 0; i < e->ngoals; i++, r++) {
		put_text(w, r, 1, r, 3, e->goals[i].expected, w->f.text,
		         "预期目标");
		put_text(w, r, 4, r, last, e->goals[i].achieved, w->f.text,
		         "实际完成情况");
	}
	if (e->ngoals == 0) {
		put_text(w, r, 1, r, 3, NULL, w->f.text, "预期目标");
		put_text(w, r, 4, r, last, NULL, w->f.text, "实际完成情况");
		r++;
	}
	put_text(w, first, 0, r - 1, 0, "年度总体目标", w->f.label,
	         "年度总体目标");
	return r;
}

static bool
same_text(const char *a, const char *b)
{
	return a != NULL && b != NULL && a[0] != '\0' && strcmp(a, b) == 0;
}

static lxw_row_t
write_indicators(struct wr *w, lxw_row_t r)
{
	const struct jx_eval *e = w->e;
	lxw_row_t head = r;
	size_t i, j;

	put_text(w, r, 0, r, 0, "一级指标", w->f.label, "表头");
	put_text(w, r, 1, r, 1, "二级指标", w->f.label, "表头");
	put_text(w, r, 2, r, 2, "三级指标", w->f.label, "表头");
	put_text(w, r, 3, r, 3, "年度指标值", w->f.label, "表头");
	put_text(w, r, 4, r, 4, "实际完成值", w->f.label, "表头");
	put_text(w, r, 5, r, 5, "分值", w->f.label, "表头");
	put_text(w, r, 6, r, 6, "得分", w->f.label, "表头");
	if (w->c_completion != NO_COL)
		put_text(w, r, w->c_completion, r, w->c_completion, "完成比例",
		         w->f.label, "表头");
	put_text(w, r, w->c_reason, r, (lxw_col_t)(w->ncols - 1),
	         "偏差原因分析及改进措施", w->f.label, "表头");
	chk(w, worksheet_repeat_rows(w->ws, head, head), "打印标题行");
	r++;
	for (i = 0; i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		lxw_row_t row = (lxw_row_t)(r + i);

		put_text(w, row, 2, row, 2, ind->name, w->f.text, "三级指标");
		put_text(w, row, 3, row, 3, ind->target, w->f.center,
		         "年度指标值");
		put_text(w, row, 4, row, 4, ind->actual, w->f.center,
		         "实际完成值");
		put_num(w, row, 5, 5, ind->weight, 0, "分值");
		put_num(w, row, 6, 6, ind->score_stated, 0, "得分");
		if (w->c_completion != NO_COL)
			put_text(w, row, w->c_completion, row, w->c_completion,
			         ind->completion_stated, w->f.center, "完成率");
		put_text(w, row, w->c_reason, row, (lxw_col_t)(w->ncols - 1),
		         ind->deviation_reason, w->f.text,
		         "偏差原因分析及改进措施");
	}
	/* 一级 over runs of equal level1; 二级 over runs inside them. */
	for (i = 0; i < e->nindicators; i = j) {
		const struct jx_indicator *a = &e->indicators[i];

		for (j = i + 1; j < e->nindicators &&
		                same_text(a->level1, e->indicators[j].level1);
		     j++)
			;
		put_text(w, (lxw_row_t)(r + i), 0, (lxw_row_t)(r + j - 1), 0,
		         a->level1, w->f.center, "一级指标");
	}
	for (i = 0; i < e->nindicators; i = j) {
		const struct jx_indicator *a = &e->indicators[i];

		for (j = i + 1;
		     j < e->nindicators &&
		     same_text(a->level2, e->indicators[j].level2) &&
		     (same_text(a->level1, e->indicators[j].level1) ||
		      ((a->level1 == NULL || a->level1[0] == '\0') &&
		       (e->indicators[j].level1 == NULL ||
		        e->indicators[j].level1[0] == '\0')));
		     j++)
			;
		put_text(w, (lxw_row_t)(r + i), 1, (lxw_row_t)(r + j - 1), 1,
		         a->level2, w->f.center, "二级指标");
	}
	return (lxw_row_t)(r + e->nindicators);
}

static lxw_row_t
write_total(struct wr *w, lxw_row_t r, const struct jx_result *res,
            const struct jx_rules *rs)
{
	const struct jx_eval *e = w->e;
	lxw_col_t last = (lxw_col_t)(w->ncols - 1);
	struct jx_opt tw = e->total_weight_stated, ts = e->total_score_stated;
	bool cw = false, cs = false, cg = false;
	const char *grade = e->grade_stated;

	if (!tw.set && res != NULL) {
		tw.v = res->weight_sum;
		tw.set = cw = true;
	}
	if (!ts.set && res != NULL && res->total_complete) {
		ts.v = res->total;
		ts.set = cs = true;
	}
	if ((grade == NULL || grade[0] == '\0') && res != NULL &&
	    res->total_complete && res->grade != NULL) {
		grade = res->grade->name;
		cg = true;
	}
	put_text(w, r, 0, r, TOTAL_LABEL_END, "总分", w->f.label, "总分");
	put_num(w, r, 5, 5, tw, 0, "总分分值");
	put_num(w, r, 6, 6, ts, 0, "总分得分");
	put_text(w, r, 7, r, last, NULL, w->f.center, "总分");
	if (cw)
		put_comment(w, r, 5, rs);
	if (cs)
		put_comment(w, r, 6, rs);
	r++;
	put_text(w, r, 0, r, TOTAL_LABEL_END, "评价等级", w->f.label,
	         "评价等级");
	put_text(w, r, 5, r, last, grade, w->f.center, "评价等级");
	if (cg)
		put_comment(w, r, 5, rs);
	return r + 1;
}

static void
page_setup(struct wr *w)
{
	static const double width[] = {10, 10, 22, 14, 14, 8, 8, 12, 30};
	lxw_col_t c;

	worksheet_set_paper(w->ws, 9); /* A4 */
	worksheet_set_landscape(w->ws);
	worksheet_set_margins(w->ws, 0.5, 0.5, 0.6, 0.6);
	worksheet_center_horizontally(w->ws);
	worksheet_fit_to_pages(w->ws, 1, 0);
	for (c = 0; c < w->ncols; c++) {
		/* the reason column's 30 is shared out over the extra columns
		 * of a wide funds block (form.h) */
		double wd = c < w->c_reason
		                    ? width[c]
		                    : 30.0 / (double)(w->ncols - w->c_reason);

		if (wd < 9)
			wd = 9;
		chk(w, worksheet_set_column(w->ws, c, c, wd, NULL), "列宽");
	}
}

static bool
any_completion(const struct jx_eval *e)
{
	size_t i;

	for (i = 0; i < e->nindicators; i++)
		if (e->indicators[i].completion_stated != NULL &&
		    e->indicators[i].completion_stated[0] != '\0')
			return true;
	return false;
}

static void
write_sheet(struct wr *w, const struct jx_result *res,
            const struct jx_rules *rs)
{
	lxw_row_t r = 0;

	if (any_completion(w->e)) {
		w->ncols = 9;
		w->c_completion = 7;
		w->c_reason = 8;
	} else {
		w->ncols = 8;
		w->c_completion = NO_COL;
		w->c_reason = 7;
	}
	jx_form_funds_cols(w->e, &w->fc);
	if (w->e->has_funds && w->fc.ncols > w->ncols)
		w->ncols = (lxw_col_t)w->fc.ncols;
	page_setup(w);
	r = write_head(w, r);
	if (w->e->has_funds)
		r = write_funds(w, r, res, rs);
	r = write_goals(w, r);
	r = write_indicators(w, r);
	(void)write_total(w, r, res, rs);
}

static enum jx_err
lxw_to_err(struct wr *w, struct jx_diag *d)
{
	if (w->lerr == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return jx_diag_set(d, JX_ENOMEM, w->what, "内存不足");
	if (w->lerr == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ||
	    w->lerr == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return jx_diag_set(d, JX_EINVAL, w->what,
		                   "第 %zu 份自评表的“%s”无法写入 Excel：%s",
		                   w->idx + 1, w->what, lxw_strerror(w->lerr));
	return jx_diag_set(d, JX_EIO, w->what,
	                   "第 %zu 份自评表的“%s”无法写入：%s", w->idx + 1,
	                   w->what, lxw_strerror(w->lerr));
}

enum jx_err
jx_xlsxw_eval(const char *path, const struct jx_eval *const *evals, size_t n,
              const struct jx_rules *r, struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	struct wr w;
	struct jx_arena a;
	char(*names)[NAME_BYTES] = NULL;
	char *tmp = NULL;
	size_t i, plen;
	lxw_error cerr;
	FILE *probe;

	memset(&w, 0, sizeof(w));
	jx_arena_init(&a, 0);
	if (path == NULL || path[0] == '\0' || evals == NULL || n == 0) {
		err = jx_diag_set(d, JX_EINVAL, "path",
		                  "没有要写出的自评表或未指定文件名");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (evals[i] == NULL) {
			err = jx_diag_set(d, JX_EINVAL, "evals",
			                  "第 %zu 份自评表为空", i + 1);
			goto done;
		}
	}
	plen = strlen(path);
	names = calloc(n, sizeof(*names));
	tmp = malloc(plen + sizeof(".part"));
	if (names == NULL || tmp == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".part", sizeof(".part"));
	/* libxlsxwriter only opens the file when closing the workbook:
	 * find out now, with the system's reason, whether it can. */
	probe = fopen(tmp, "wb");
	if (probe == NULL) {
		jx_diag_set_file(d, path);
		err = jx_diag_set(d, JX_EIO, NULL, "无法创建 Excel 文件 %s：%s",
		                  path, strerror(errno));
		goto done;
	}
	(void)fclose(probe);
	w.wb = workbook_new(tmp);
	if (w.wb == NULL) {
		jx_diag_set_file(d, path);
		err = jx_diag_set(d, JX_EIO, NULL, "无法创建 Excel 文件：%s",
		                  path);
		(void)remove(tmp);
		goto done;
	}
	if (!make_fmts(w.wb, &w.f)) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto close;
	}
	for (i = 0; i < n && w.lerr == LXW_NO_ERROR; i++) {
		struct jx_result res;
		const struct jx_result *rp = NULL;

		w.e = evals[i];
		w.idx = i;
		sheet_name(w.e, i, names, names[i]);
		if (workbook_validate_sheet_name(w.wb, names[i]) !=
		    LXW_NO_ERROR)
			snprintf(names[i], NAME_BYTES, "自评表%zu", i + 1);
		w.ws = workbook_add_worksheet(w.wb, names[i]);
		if (w.ws == NULL) {
			err = jx_diag_set(d, JX_EINVAL, "sheet",
			                  "无法建立工作表“%s”", names[i]);
			goto close;
		}
		if (r != NULL) {
			jx_arena_reset(&a);
			err = jx_score_run(w.e, r, &a, &res);
			if (err != JX_OK) {
				err = jx_diag_set(d, err, "score",
				                  "第 %zu 份自评表无法计分",
				                  i + 1);
				goto close;
			}
			rp = &res;
		}
		write_sheet(&w, rp, r);
	}
	if (w.lerr != LXW_NO_ERROR)
		err = lxw_to_err(&w, d);
close:
	cerr = workbook_close(w.wb);
	if (err == JX_OK && cerr != LXW_NO_ERROR) {
		jx_diag_set_file(d, path);
		err = jx_diag_set(d,
		                  cerr == LXW_ERROR_MEMORY_MALLOC_FAILED
		                          ? JX_ENOMEM
		                          : JX_EIO,
		                  NULL, "无法写入 Excel 文件 %s：%s", path,
		                  lxw_strerror(cerr));
	}
	if (err == JX_OK && rename(tmp, path) != 0) {
		jx_diag_set_file(d, path);
		err = jx_diag_set(d, JX_EIO, NULL, "无法写入 Excel 文件 %s",
		                  path);
	}
	if (err != JX_OK)
		(void)remove(tmp);
done:
	free(tmp);
	free(names);
	jx_arena_cleanup(&a);
	return err;
}
