/*
 * monform.c - the monitoring table as a block document (monform.h). It
 * lays out cells; it neither judges the record (monitor.c) nor writes
 * files (docxw.c, pdf.c).
 */
#include <stdio.h>
#include <string.h>

#include "jx/monform.h"
#include "jx/text.h"

#define NCOLS 11u

struct mb {
	struct jx_grid *g;
	enum jx_err err;
	uint32_t row;
};

static void put(struct mb *b, uint32_t r1, uint32_t c1, uint32_t r2,
                uint32_t c2, const char *s);
static const char *money(int64_t fen, bool has, char *buf, size_t cap);
static bool same(const char *a, const char *b);
static const char *flag(enum jx_mon_flag f);

static void
put(struct mb *b, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
    const char *s)
{
	if (b->err != JX_OK)
		return;
	if (s != NULL && s[0] != '\0')
		b->err = jx_grid_set(b->g, r1, c1, s, strlen(s));
	if (b->err == JX_OK && (r1 != r2 || c1 != c2))
		b->err = jx_grid_merge(b->g, r1, c1, r2, c2);
}

/* fen as 万元 written exactly ("354", "42.3"); "—" when not stated. */
static const char *
money(int64_t fen, bool has, char *buf, size_t cap)
{
	if (!has) {
		snprintf(buf, cap, "—");
		return buf;
	}
	jx_dec_format(fen, jx_dec_places(fen), buf, cap); /* fen = 10^-6 万元 */
	return buf;
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && a[0] != '\0' && strcmp(a, b) == 0;
}

static const char *
flag(enum jx_mon_flag f)
{
	return f == JX_MON_BLANK ? NULL : jx_monitor_flag_name(f);
}

enum jx_err
jx_monform_doc(struct jx_doc *doc, const struct jx_monitor *m,
               const struct jx_mon_result *res, const struct jx_monform_text *t,
               struct jx_diag *d)
{
	static const uint32_t widths[NCOLS] = {8, 9, 16, 10, 10, 10,
	                                       7, 8, 9,  14, 14};
	static const enum jx_doc_align align[NCOLS] = {
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_LEFT,   JX_DOC_CENTER,
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_CENTER,
	        JX_DOC_CENTER, JX_DOC_LEFT,   JX_DOC_LEFT};
	const struct jx_monform_text none = {NULL, NULL, NULL, NULL, NULL};
	struct mb b = {NULL, JX_OK, 0};
	char s1[64], s2[64], line[2048], sub[64];
	uint32_t r, head, first;
	bool *bold;
	size_t i, j, nrows;

	if (doc == NULL || m == NULL || res == NULL)
		return jx_diag_set(d, JX_EINVAL, "monitor", "参数无效");
	if (t == NULL)
		t = &none;
	nrows = 12 + m->nindicators;
	if (nrows > JX_GRID_MAX_ROWS)
		return jx_diag_set(d, JX_ETOOBIG, "indicators", "指标过多");
	b.g = jx_arena_calloc(doc->arena, 1, sizeof(*b.g));
	bold = jx_arena_calloc(doc->arena, nrows, sizeof(*bold));
	if (b.g == NULL || bold == NULL)
		return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	jx_grid_init(b.g, doc->arena);
	doc->landscape = true;
	if (doc->title == NULL)
		doc->title = "项目支出绩效目标执行监控情况表";
	snprintf(sub, sizeof(sub), "（%d年度 1-%d月）", m->year,
	         m->period_month);
	if (jx_doc_add(doc, JX_DOC_TITLE, 0,
	               "项目支出绩效目标执行监控情况表") == NULL ||
	    jx_doc_add(doc, JX_DOC_SUBTITLE, 0, sub) == NULL)
		return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	if (t->department != NULL) {
		snprintf(line, sizeof(line), "部门名称：%s", t->department);
		if (jx_doc_add(doc, JX_DOC_NOTE, 0, line) == NULL)
			return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	}

	r = 0;
	put(&b, r, 0, r, 1, "项目名称");
	put(&b, r, 2, r, NCOLS - 1, m->title);
	r++;
	put(&b, r, 0, r, 1, "项目执行单位名称");
	put(&b, r, 2, r, NCOLS - 1, t->unit);
	r++;
	put(&b, r, 0, r, 1, "年初预算数（万元）");
	put(&b, r, 2, r, 3, money(m->initial_fen, m->has_initial, s1, 64));
	put(&b, r, 4, r, 5, "全年预算数（万元）");
	put(&b, r, 6, r, 7, money(m->budget_fen, m->has_budget, s1, 64));
	snprintf(line, sizeof(line), "截至%d月末累计支出数（万元）",
	         m->period_month);
	put(&b, r, 8, r, 9, line);
	put(&b, r, 10, r, 10, money(m->executed_fen, m->has_executed, s1, 64));
	r++;
	put(&b, r, 0, r, 1, "时间进度");
	jx_dec_format(res->time_progress, 2, s1, sizeof(s1));
	snprintf(line, sizeof(line), "%s%%（截至 %s）", s1, res->as_of);
	put(&b, r, 2, r, 3, line);
	put(&b, r, 4, r, 5, "预算执行率");
	if (res->has_rate) {
		jx_dec_format(res->exec_rate, 2, s2, sizeof(s2));
		snprintf(line, sizeof(line), "%s%%", s2);
	} else {
		snprintf(line, sizeof(line), "—");
	}
	put(&b, r, 6, r, 7, line);
	put(&b, r, 8, r, 9, "执行进度预警");
	put(&b, r, 10, r, 10, jx_monitor_light_name(res->light));
	r++;
	head = r;
	put(&b, r, 0, r, 0, "一级指标");
	put(&b, r, 1, r, 1, "二级指标");
	put(&b, r, 2, r, 2, "三级指标");
	put(&b, r, 3, r, 3, "年度指标值");
	snprintf(line, sizeof(line), "1-%d月执行情况", m->period_month);
	put(&b, r, 4, r, 4, line);
	put(&b, r, 5, r, 5, "全年预计完成情况");
	put(&b, r, 6, r, 6, "存在偏差情况（是/否）");
	put(&b, r, 7, r, 7, "偏差原因");
	put(&b, r, 8, r, 8, "完成目标的可能性");
	put(&b, r, 9, r, 9, "纠偏措施");
	put(&b, r, 10, r, 10, "核查（按数据）");
	bold[r] = true;
	r++;
	first = r;
	for (i = 0; i < m->nindicators; i++, r++) {
		const struct jx_mon_indicator *x = &m->indicators[i];
		const struct jx_mon_ind_result *o = &res->ind[i];

		put(&b, r, 2, r, 2, x->name);
		put(&b, r, 3, r, 3, x->target);
		put(&b, r, 4, r, 4, x->progress);
		put(&b, r, 5, r, 5, x->expected);
		put(&b, r, 6, r, 6, flag(x->deviation));
		if (x->cause != JX_MON_CAUSE_NONE || x->cause_text != NULL) {
			snprintf(line, sizeof(line), "%s%s%s",
			         x->cause != JX_MON_CAUSE_NONE
			                 ? jx_monitor_cause_name(x->cause)
			                 : "",
			         x->cause != JX_MON_CAUSE_NONE &&
			                         x->cause_text != NULL
			                 ? "："
			                 : "",
			         x->cause_text != NULL ? x->cause_text : "");
			line[jx_text_utf8_cut(line, strlen(line))] = '\0';
			put(&b, r, 7, r, 7, line);
		}
		if (x->likely != JX_MON_LIKELY_NONE)
			put(&b, r, 8, r, 8, jx_monitor_likely_name(x->likely));
		put(&b, r, 9, r, 9, x->measure);
		if (o->computed != JX_MON_BLANK)
			put(&b, r, 10, r, 10,
			    o->computed == JX_MON_YES ? "有偏差" : "无偏差");
	}
	/* 一级 over runs of equal text, 二级 over runs inside them */
	for (i = 0; i < m->nindicators; i = j) {
		for (j = i + 1;
		     j < m->nindicators &&
		     same(m->indicators[i].level1, m->indicators[j].level1);
		     j++)
			;
		put(&b, first + (uint32_t)i, 0, first + (uint32_t)(j - 1), 0,
		    m->indicators[i].level1);
	}
	for (i = 0; i < m->nindicators; i = j) {
		for (j = i + 1;
		     j < m->nindicators &&
		     same(m->indicators[i].level2, m->indicators[j].level2) &&
		     (same(m->indicators[i].level1, m->indicators[j].level1) ||
		      m->indicators[i].level1 == NULL);
		     j++)
			;
		put(&b, first + (uint32_t)i, 1, first + (uint32_t)(j - 1), 1,
		    m->indicators[i].level2);
	}
	put(&b, r, 0, r + 2, 1, "项目执行情况总结");
	put(&b, r, 2, r, 3, "一、项目进度总体概述");
	put(&b, r, 4, r, NCOLS - 1, t->overview);
	r++;
	put(&b, r, 2, r, 3, "二、存在偏差原因分析");
	put(&b, r, 4, r, NCOLS - 1, t->analysis);
	r++;
	put(&b, r, 2, r, 3, "三、下一步工作措施");
	put(&b, r, 4, r, NCOLS - 1, t->next_steps);
	r++;
	if (b.err != JX_OK)
		return jx_diag_set(d, b.err, "monitor",
		                   b.err == JX_ENOMEM
		                           ? "内存不足"
		                           : "监控情况表超出表格的上限");
	(void)head;
	if (jx_doc_add_table(doc, b.g, 0, widths, align, bold) == NULL)
		return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	if (jx_doc_add(doc, JX_DOC_HEADING, 2, "jixiao 核查与预警") == NULL)
		return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	if (res->findings.n == 0 &&
	    jx_doc_add(doc, JX_DOC_PARA, 0, "未发现需要预警的问题。") == NULL)
		return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	for (i = 0; i < res->findings.n; i++) {
		const struct jx_finding *f = &res->findings.items[i];

		if (f->severity == JX_SEV_OK)
			continue;
		snprintf(line, sizeof(line), "【%s】%s：%s",
		         f->severity == JX_SEV_ERROR ? "须补正" : "预警",
		         f->where != NULL ? f->where : "", f->message);
		line[jx_text_utf8_cut(line, strlen(line))] = '\0';
		if (jx_doc_add(doc, JX_DOC_PARA, 0, line) == NULL)
			return jx_diag_set(d, JX_ENOMEM, "monitor", "内存不足");
	}
	return JX_OK;
}
