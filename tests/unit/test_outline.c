/*
 * test_outline.c - report outlines (include/jx/outline.h): the built-in
 * outlines (rules/outlines/) parse; every seed transcription
 * (tests/data/seeds/NNN.json) rendered under rules/mof-2020.json gives the
 * title, headings and the generated sentences worked out from the seed's
 * figures (the execution rate from the money, the totals of
 * tests/data/seeds/ANALYSIS.md part (d), the indicators not met with their
 * stated reasons, the audit's errors); missing data is said, not invented;
 * placeholders, optional groups and escapes; the funds and indicator
 * tables; a second outline is only a file; bad outline files
 * (tests/data/outlines/NNN-name.json with NNN-name.expect: error, line,
 * column, field and the exact message) are refused; and a whole report,
 * read by the sheet finder as a reader of the rendered document would
 * read it, gives back the evaluation of its annex.
 *
 * JX_OUTLINE_DUMP=1 prints every rendered seed report to stdout (to read
 * what a user gets).
 */
#include "testutil.h"

#include "jx/doc.h"
#include "jx/evaljson.h"
#include "jx/form.h"
#include "jx/grid.h"
#include "jx/outline.h"
#include "jx/sheet.h"

#define DATA "tests/data/outlines"

static struct jx_rules rules;

static const char *const seeds[] = {"000", "001", "003", "004"};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

static int
setup(void **state)
{
	(void)state;
	return tu_rules(&rules, "mof-2020");
}

static int
teardown(void **state)
{
	(void)state;
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

/* Parse the text of an outline into a (must succeed). */
static const struct jx_outline *
parse_text(const char *text, struct jx_arena *a)
{
	const struct jx_outline *o = NULL;
	struct jx_diag d;

	tu_must(jx_outline_parse(text, strlen(text), "test.json", a, &o, &d),
	        &d, text);
	assert_non_null(o);
	return o;
}

/* Parse rules/outlines/<name>.json into a. */
static const struct jx_outline *
load_outline(const char *name, struct jx_arena *a)
{
	char rel[256];
	const struct jx_outline *o = NULL;
	struct jx_diag d;
	size_t len = 0;
	char *buf;

	snprintf(rel, sizeof(rel), "rules/outlines/%s.json", name);
	buf = tu_read(rel, &len);
	assert_non_null(buf);
	tu_must(jx_outline_parse(buf, len, rel, a, &o, &d), &d, rel);
	free(buf); /* nothing of the outline points into the text */
	assert_string_equal(jx_outline_name(o), rel);
	return o;
}

/* The index of the first block of kind whose text is `text`, or -1. */
static int
find_block(const struct jx_doc *doc, enum jx_doc_kind kind, const char *text)
{
	size_t i;

	for (i = 0; i < doc->nblocks; i++)
		if (doc->blocks[i].kind == kind &&
		    (text == NULL || strcmp(doc->blocks[i].text, text) == 0))
			return (int)i;
	return -1;
}

/* Fail unless doc has a paragraph reading exactly `text`. */
static void
want_para(const struct jx_doc *doc, const char *text)
{
	if (find_block(doc, JX_DOC_PARA, text) < 0)
		fail_msg("no paragraph \"%s\"", text);
}

/* The block right after the heading `heading`. */
static const struct jx_doc_block *
after_heading(const struct jx_doc *doc, const char *heading, size_t k)
{
	int i = find_block(doc, JX_DOC_HEADING, heading);

	if (i < 0)
		fail_msg("no heading \"%s\"", heading);
	assert_true((size_t)i + k < doc->nblocks);
	return &doc->blocks[(size_t)i + k];
}

static void
dump(const char *name, const struct jx_doc *doc)
{
	static const char *const kinds[] = {"TITLE", "SUBTITLE", "HEADING",
	                                    "PARA",  "BLANK",    "TABLE",
	                                    "NOTE",  "PAGEBREAK"};
	size_t i;
	uint32_t r, c;

	if (getenv("JX_OUTLINE_DUMP") == NULL)
		return;
	printf("==== %s (%s)\n", name, doc->title);
	for (i = 0; i < doc->nblocks; i++) {
		const struct jx_doc_block *b = &doc->blocks[i];

		printf("%-9s %d %s\n", kinds[b->kind], b->level,
		       b->kind == JX_DOC_TABLE ? "" : b->text);
		if (b->kind != JX_DOC_TABLE)
			continue;
		for (r = 0; r < b->table->nrows; r++) {
			printf("          |");
			for (c = 0; c < b->table->ncols; c++) {
				const char *v = jx_grid_get(b->table, r, c);

				printf(" %s |", v != NULL ? v : "");
			}
			printf("\n");
		}
	}
}

/* Render seed `name` with outline o under r (may be NULL) into doc. */
static void
render_seed(const struct jx_outline *o, const char *name,
            const struct jx_rules *r, struct jx_eval *e, struct jx_arena *a,
            struct jx_doc *doc)
{
	struct jx_diag d;

	load_seed(name, e);
	jx_arena_init(a, 0);
	jx_doc_init(doc, a);
	tu_must(jx_outline_render(o, e, r, doc, &d), &d, name);
	dump(name, doc);
}

/* ---- the built-in outlines ------------------------------------------ */

/* The standard outline on every seed: the structure. */
static void
test_standard_structure(void **state)
{
	static const char *const heads[] = {"一、项目基本情况",
	                                    "（一）项目概况",
	                                    "（二）项目资金情况",
	                                    "（三）项目绩效目标",
	                                    "二、绩效自评工作开展情况",
	                                    "三、评价结论",
	                                    "四、绩效指标完成情况分析",
	                                    "（一）预算执行情况",
	                                    "（二）产出指标完成情况",
	                                    "（三）效益指标完成情况",
	                                    "（四）满意度指标完成情况",
	                                    "五、存在的问题及原因分析",
	                                    "六、有关建议",
	                                    "七、其他需要说明的问题",
	                                    "附件：项目支出绩效自评表"};
	static const int levels[] = {1, 2, 2, 2, 1, 1, 1, 2,
	                             2, 2, 2, 1, 1, 1, 1};
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	size_t s, i, k, nblank;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	for (s = 0; s < NSEEDS; s++) {
		render_seed(o, seeds[s], &rules, &e, &a, &doc);
		assert_false(doc.landscape);
		assert_int_equal(doc.blocks[0].kind, JX_DOC_TITLE);
		assert_int_equal(doc.blocks[1].kind, JX_DOC_SUBTITLE);
		assert_string_equal(doc.blocks[1].text,
		                    e.year == 2022 ? "（2022年度）"
		                                   : "（2021年度）");
		for (i = 0, k = 0; i < doc.nblocks; i++) {
			if (doc.blocks[i].kind != JX_DOC_HEADING)
				continue;
			assert_true(k < sizeof(heads) / sizeof(heads[0]));
			assert_string_equal(doc.blocks[i].text, heads[k]);
			assert_int_equal(doc.blocks[i].level, levels[k]);
			k++;
		}
		assert_int_equal(k, sizeof(heads) / sizeof(heads[0]));
		for (i = 0, nblank = 0; i < doc.nblocks; i++)
			if (doc.blocks[i].kind == JX_DOC_BLANK) {
				nblank++;
				assert_true(strncmp(doc.blocks[i].text,
				                    "（请填写：",
				                    strlen("（请填写：")) == 0);
			}
		assert_int_equal(nblank, 11);
		/* the annex is the form's table (its note may follow) */
		for (i = doc.nblocks; i > 0; i--)
			if (doc.blocks[i - 1].kind == JX_DOC_TABLE)
				break;
		assert_true(i > 0 && doc.nblocks - i <= 1);
		assert_string_equal(jx_grid_get(doc.blocks[i - 1].table, 0, 0),
		                    "项目名称");
		jx_arena_cleanup(&a);
		jx_eval_cleanup(&e);
	}
	jx_arena_cleanup(&oa);
}

/* Seed 000 (Shanxi report, 2021): figures from the data, computed. */
static void
test_seed_000(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	render_seed(o, "000", &rules, &e, &a, &doc);
	assert_string_equal(
	        doc.title,
	        "预算、绩效、支付电子一体化信息化建设项目绩效自评报告");
	assert_string_equal(
	        doc.blocks[0].text,
	        "预算、绩效、支付电子一体化信息化建设项目绩效自评报告");
	/* no 主管部门 / 实施单位 in the annex */
	want_para(&doc, "本项目为“预算、绩效、支付电子一体化信息化建设项目”，"
	                "自评表未填写主管部门和实施单位。");
	/* 年初 134 ≠ 全年 131.4; 131.4 / 131.4 = 100% */
	want_para(&doc, "年初预算资金134万元，全年预算资金131.4万元，实际到位资"
	                "金131.4万元，全年执行资金131.4万元，预算执行率100%。");
	want_para(&doc, "资金来源：当年财政拨款131.4万元（执行131.4万元）。");
	/* ANALYSIS.md (d): 95.00, 优 (the stated 94.9 differs) */
	want_para(&doc,
	          "自评得分95分，评价等级为优。自评表填报的总分为94.9分，与"
	          "按规则方案“项目支出绩效自评（财政部默认规则，财预〔2020"
	          "〕10号）”计算的结果不一致。");
	want_para(&doc,
	          "本项目共设置三级指标16项，其中达成年度指标值15项、未达成"
	          "1项。");
	want_para(&doc,
	          "产出指标共设置三级指标11项，其中达成年度指标值10项、未达"
	          "成1项。");
	want_para(&doc, "效益指标共设置三级指标4项，全部达成年度指标值。");
	want_para(&doc, "满意度指标共设置三级指标1项，全部达成年度指标值。");
	want_para(&doc, "效益指标均达成年度指标值，无偏差。");
	/* the one not met, with its stated reason */
	want_para(&doc,
	          "“预算一体化”年度指标值为50万元，实际完成值为0万元，完"
	          "成率0%，未达成年度指标值。偏差原因：根据省厅晋财信办（20"
	          "20）6号文件，全省预算一体化系统实施推广，要求县级财政配"
	          "套资金，由于省厅各种原因，未收取实施费、运维费。");
	/* only warnings (000.expect): no error */
	want_para(&doc,
	          "经按规则方案“项目支出绩效自评（财政部默认规则，财预〔2020"
	          "〕10号）”核对，自评表填报数据未发现错误。");
	/* one goal */
	assert_non_null(
	        strstr(after_heading(&doc, "（三）项目绩效目标", 1)->text,
	               "年度总体目标：根据省财政厅要求，2021年全省"));
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* Seed 001 (1–6月 monitoring table): the rate from 20 / 354, not the
 * stated 15%; an unscorable line stops the total, and is named. */
static void
test_seed_001(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	const struct jx_doc_block *b;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	render_seed(o, "001", &rules, &e, &a, &doc);
	want_para(&doc,
	          "本项目为“信息系统运行维护”，主管部门为巴彦淖尔市财政局，"
	          "实施单位为巴彦淖尔市财政综合保障。");
	want_para(&doc,
	          "全年预算资金354万元，1-6月执行资金20万元，截至1-6月预算"
	          "执行率5.65%。");
	want_para(&doc,
	          "资金来源：当年财政拨款213万元（执行0万元），上年结转资金"
	          "141万元（执行20万元）。");
	want_para(&doc,
	          "有1项指标无法按规则方案计分（视频会议运维：年度指标值与"
	          "实际完成值的计量单位不一致），自评得分无法计算。自评表填"
	          "报的总分为68分。");
	want_para(&doc,
	          "本项目共设置三级指标26项，其中达成年度指标值23项、部分达"
	          "成2项，另有1项无法判断完成情况。");
	want_para(&doc,
	          "“异常处理能力”年度指标值为优秀，实际完成值为一般，部分达"
	          "成年度指标值。未填写偏差原因。");
	want_para(&doc,
	          "“故障排除率”年度指标值为100%，实际完成值为95%，完成率95"
	          "%，部分达成年度指标值。未填写偏差原因。");
	/* two goals, one paragraph each */
	b = after_heading(&doc, "（三）项目绩效目标", 1);
	assert_string_equal(b->text, "目标1：开展一体化建设。实际完成情况：开展"
	                             "一体化建设。");
	b = after_heading(&doc, "（三）项目绩效目标", 2);
	assert_string_equal(b->text, "目标2：发挥信息化建设优势。实际完成情况："
	                             "发挥信息化建设优势。");
	/* the funds table: 1-6月 head, computed rate per row */
	b = after_heading(&doc, "（二）项目资金情况", 4);
	assert_int_equal(b->kind, JX_DOC_TABLE);
	assert_int_equal(b->table->ncols, 5);
	assert_int_equal(b->table->nrows, 4);
	assert_string_equal(jx_grid_get(b->table, 0, 3), "1-6月执行数");
	assert_string_equal(jx_grid_get(b->table, 1, 0), "年度资金总额");
	assert_string_equal(jx_grid_get(b->table, 1, 4), "5.65%");
	assert_string_equal(jx_grid_get(b->table, 2, 0), "当年财政拨款");
	assert_string_equal(jx_grid_get(b->table, 2, 4), "0%");
	assert_string_equal(jx_grid_get(b->table, 3, 4), "14.18%");
	assert_true(b->bold_rows[1] && !b->bold_rows[2]);
	assert_int_equal(after_heading(&doc, "（二）项目资金情况", 3)->kind,
	                 JX_DOC_NOTE);
	assert_string_equal(after_heading(&doc, "（二）项目资金情况", 3)->text,
	                    "单位：万元");
	/* the errors of 001.expect, phrased as problems */
	assert_true(find_block(&doc, JX_DOC_PARA,
	                       "经按规则方案“项目支出绩效自评（财政部默认规则"
	                       "，财预〔2020〕10号）”核对，自评表存在以下8个问"
	                       "题：") >= 0);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* Seeds 003 and 004: totals 100 / 优 (ANALYSIS.md (d)); 004's lines are
 * all met; its three errors listed. */
static void
test_seed_003_004(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	const struct jx_doc_block *b;
	int i;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	render_seed(o, "003", &rules, &e, &a, &doc);
	want_para(&doc,
	          "年初预算资金100万元，全年预算资金92.13万元，实际到位资金"
	          "92.13万元，全年执行资金92.13万元，预算执行率100%。");
	want_para(&doc,
	          "自评得分100分，评价等级为优。自评表填报的总分为91分，与"
	          "按规则方案“项目支出绩效自评（财政部默认规则，财预〔2020"
	          "〕10号）”计算的结果不一致。");
	want_para(&doc, "各项指标均达成年度指标值，无偏差。");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);

	render_seed(o, "004", &rules, &e, &a, &doc);
	want_para(&doc,
	          "本项目为““互联网+政务服务”平台运维服务费”，主管部门为忻"
	          "州经济开发区管理委员会，实施单位为行政审批服务管理局。");
	want_para(&doc, "全年预算资金24.5万元，全年执行资金24.5万元，预算执行率"
	                "100%。");
	want_para(&doc, "自评表未分列资金来源。");
	want_para(&doc, "本项目共设置三级指标10项，全部达成年度指标值。");
	i = find_block(&doc, JX_DOC_PARA,
	               "经按规则方案“项目支出绩效自评（财政部默认规则，财预〔"
	               "2020〕10号）”核对，自评表存在以下3个问题：");
	assert_true(i >= 0);
	b = &doc.blocks[i + 1];
	assert_string_equal(
	        b->text,
	        "（1）满意度指标/服务对象满意度指标/工作人员满意度：目"
	        "标已达成却被扣分：等于型指标（目标未写比较符号，按规则"
	        "方案对“服务对象满意度指标”的约定推定为=）：实际95%达到"
	        "目标95%，得满分10分。");
	assert_string_equal(
	        doc.blocks[i + 2].text,
	        "（2）满意度指标/服务对象满意度指标/工作人员满意度：该"
	        "指标未得满分，但未填写偏差原因分析及改进措施。");
	assert_true(strncmp(doc.blocks[i + 3].text, "（3）总分：",
	                    strlen("（3）总分：")) == 0);
	/* the indicator table of the 产出 section: no 一级 column, 二级
	 * merged over its run, computed 完成情况 */
	b = after_heading(&doc, "（二）产出指标完成情况", 2);
	assert_int_equal(b->kind, JX_DOC_TABLE);
	assert_int_equal(b->table->ncols, 8);
	assert_int_equal(b->table->nrows, 6);
	assert_string_equal(jx_grid_get(b->table, 0, 0), "二级指标");
	assert_string_equal(jx_grid_get(b->table, 2, 0), "质量指标");
	assert_non_null(jx_grid_merged(b->table, 2, 0));
	assert_int_equal(jx_grid_merged(b->table, 2, 0)->r1, 3);
	assert_string_equal(jx_grid_get(b->table, 1, 7), "达成");
	assert_string_equal(jx_grid_get(b->table, 1, 6), "100%");
	assert_int_equal(b->header_rows, 1);
	/* the annex: the form's table, with the computed grade noted */
	assert_int_equal(doc.blocks[doc.nblocks - 1].kind, JX_DOC_NOTE);
	assert_non_null(strstr(doc.blocks[doc.nblocks - 1].text,
	                       "原表未填写的评价等级由 jixiao"));
	b = &doc.blocks[doc.nblocks - 2];
	assert_int_equal(b->kind, JX_DOC_TABLE);
	assert_string_equal(jx_grid_get(b->table, 0, 0), "项目名称");
	assert_int_equal(b->header_rows, 2);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* Without a rule set nothing is scored or checked, and the report says so;
 * the rate is still computed from the money. */
static void
test_no_rules(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	render_seed(o, "001", NULL, &e, &a, &doc);
	want_para(&doc,
	          "全年预算资金354万元，1-6月执行资金20万元，截至1-6月预算"
	          "执行率5.65%。");
	want_para(&doc, "自评表填报的总分为68分（未指定规则方案，未核算）。");
	want_para(&doc,
	          "本项目共设置三级指标26项（未指定规则方案，未判断完成情况）"
	          "。");
	want_para(&doc, "未指定规则方案，未判断各项指标的偏差情况。");
	want_para(&doc, "未指定规则方案，未核对自评表数据。");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* Missing data: no funds block, a budget of 0, nothing stated, no goals,
 * no indicators under a filter. */
static void
test_missing_data(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	struct jx_diag d;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);

	load_seed("004", &e);
	e.has_funds = false;
	e.ngoals = 0;
	e.department = NULL;
	e.unit = "";
	e.indicators[9].level1 = "产出指标"; /* no 满意度 line left */
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_outline_render(o, &e, &rules, &doc, &d), &d, "no funds");
	want_para(&doc, "自评表未填写项目资金情况，预算执行率无法计算。");
	want_para(&doc, "自评表未填写项目资金情况。");
	want_para(&doc, "自评表未填写年度总体目标。");
	want_para(&doc,
	          "本项目为““互联网+政务服务”平台运维服务费”，自评表未填写"
	          "主管部门和实施单位。");
	want_para(&doc, "自评表中没有满意度指标。");
	/* no table, no deviations in the 满意度 section: the first
	 * sentence says it */
	assert_int_equal(
	        after_heading(&doc, "（四）满意度指标完成情况", 2)->kind,
	        JX_DOC_BLANK);
	jx_arena_cleanup(&a);

	/* a budget of 0: not applicable; an unscorable line: no total */
	e.has_funds = true;
	e.funds.total.annual = tu_opt("0");
	e.funds.total.initial = tu_opt("0");
	e.indicators[0].actual = "";
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_outline_render(o, &e, &rules, &doc, &d), &d, "zero");
	want_para(&doc,
	          "全年预算资金0万元，全年执行资金24.5万元，全年预算数为0，预"
	          "算执行率不适用。");
	want_para(&doc,
	          "有1项指标无法按规则方案计分（技术服务内容（项）：未填写实"
	          "际完成值），自评得分无法计算。自评表填报的总分为98分。");
	want_para(&doc,
	          "本项目共设置三级指标10项，其中达成年度指标值9项，另有1项无"
	          "法判断完成情况。");
	/* an unscorable line is not "met" */
	want_para(&doc,
	          "除1项无法判断完成情况的指标外，产出指标均达成年度指标值。");
	want_para(&doc,
	          "除1项无法判断完成情况的指标外，其余指标均达成年度指标值。");
	jx_arena_cleanup(&a);

	/* nothing stated at all */
	e.funds.total.annual.set = false;
	e.funds.total.initial.set = false;
	e.funds.total.executed.set = false;
	e.title = NULL;
	e.total_score_stated.set = false;
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	tu_must(jx_outline_render(o, &e, NULL, &doc, &d), &d, "nothing");
	want_para(&doc,
	          "自评表未填写全年预算数和全年执行数，预算执行率无法计算。");
	want_para(&doc, "自评表未填写项目名称、主管部门和实施单位。");
	want_para(&doc,
	          "自评表未填写总分，且未指定规则方案，自评得分无法计算。");
	/* the title reads "（未填写）" for the missing name */
	assert_string_equal(doc.blocks[0].text, "（未填写）绩效自评报告");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* The brief outline is another file giving another report. */
static void
test_brief_outline(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	int i;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report-brief", &oa);
	render_seed(o, "004", &rules, &e, &a, &doc);
	assert_string_equal(
	        doc.blocks[0].text,
	        "2022年度“互联网+政务服务”平台运维服务费绩效自评报告");
	assert_int_equal(doc.blocks[1].kind, JX_DOC_HEADING);
	assert_string_equal(doc.blocks[1].text, "一、项目支出基本情况");
	assert_string_equal(doc.blocks[2].text, "1．项目立项背景");
	assert_int_equal(doc.blocks[2].level, 2);
	assert_string_equal(
	        doc.blocks[3].text,
	        "“互联网+政务服务”平台运维服务费由忻州经济开发区管理"
	        "委员会主管，实施单位为行政审批服务管理局。");
	want_para(&doc, "全年预算资金24.5万元，全年执行资金24.5万元，预算执行率"
	                "100%。");
	assert_true(find_block(&doc, JX_DOC_PAGEBREAK, NULL) >= 0);
	i = find_block(&doc, JX_DOC_NOTE, NULL);
	assert_true(i >= 0);
	assert_string_equal(
	        doc.blocks[doc.nblocks - 1].text,
	        "规则方案：项目支出绩效自评（财政部默认规则，财预〔2020"
	        "〕10号）");
	/* without rules the note's optional group is dropped */
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	render_seed(o, "004", NULL, &e, &a, &doc);
	assert_int_not_equal(doc.blocks[doc.nblocks - 1].kind, JX_DOC_NOTE);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* Every placeholder, optional groups, escapes and missing values. */
static void
test_placeholders(void **state)
{
	static const char outline[] =
	        "{\"format\": 1, \"title\": \"{title}\", \"sections\": [{"
	        "\"heading\": \"{year}年度 {{x}} [[y]]\", \"items\": ["
	        "{\"text\": \"{unit}|{department}|{funds.unit}|{funds.period}|"
	        "{funds.initial}|{funds.annual}|{funds.received}|"
	        "{funds.executed}|{funds.rate}\"},"
	        "{\"text\": "
	        "\"{exec.weight}|{exec.score}|{score}|{score.stated}|"
	        "{grade}|{grade.stated}|{indicators.count}|{indicators.met}|"
	        "{indicators.unmet}|{goals.count}|{findings.errors}\"},"
	        "{\"text\": \"{rules}\"},"
	        "{\"text\": "
	        "\"[（{funds.period}）]全年[{funds.received}万元]\"},"
	        "{\"text\": \"[{funds.period}]\"},"
	        "{\"note\": \"[单位：{funds.unit}]\"}"
	        "]}]}";
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	struct jx_diag d;

	(void)state;
	jx_arena_init(&oa, 0);
	o = parse_text(outline, &oa);
	render_seed(o, "001", &rules, &e, &a, &doc);
	assert_int_equal(doc.nblocks, 8);
	assert_string_equal(doc.blocks[0].text, "信息系统运行维护");
	assert_string_equal(doc.blocks[1].text, "2021年度 {x} [y]");
	assert_string_equal(
	        doc.blocks[2].text,
	        "巴彦淖尔市财政综合保障|巴彦淖尔市财政局|万元|1-6月|"
	        "354|354|（未填写）|20|5.65%");
	/* 0.56 = 10 × 20 / 354 (ANALYSIS.md); 23 met, 2 partly */
	assert_string_equal(
	        doc.blocks[3].text,
	        "10|0.56|（无法计算）|68|（无法计算）|（未填写）|26|23|"
	        "2|2|8");
	assert_string_equal(
	        doc.blocks[4].text,
	        "项目支出绩效自评（财政部默认规则，财预〔2020〕10号）");
	assert_string_equal(doc.blocks[5].text, "（1-6月）全年");
	assert_string_equal(doc.blocks[6].text, "1-6月");
	assert_int_equal(doc.blocks[7].kind, JX_DOC_NOTE);
	assert_string_equal(doc.blocks[7].text, "单位：万元");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);

	/* 004 under no rules: computed ones read as not computable; a text
	 * of optional parts only, all missing, is left out */
	render_seed(o, "004", NULL, &e, &a, &doc);
	assert_int_equal(doc.nblocks, 7);
	assert_int_equal(doc.blocks[6].kind, JX_DOC_NOTE);
	assert_string_equal(
	        doc.blocks[3].text,
	        "10|（无法计算）|（无法计算）|98|（无法计算）|"
	        "（未填写）|10|（无法计算）|（无法计算）|1|（无法计算）");
	assert_string_equal(doc.blocks[4].text, "（未指定）");
	assert_string_equal(doc.blocks[5].text, "全年");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);

	/* under rules, 004: the computed score and grade, stated ones */
	jx_arena_init(&a, 0);
	jx_doc_init(&doc, &a);
	load_seed("004", &e);
	e.grade_stated = "优秀";
	tu_must(jx_outline_render(o, &e, &rules, &doc, &d), &d, "004");
	assert_string_equal(doc.blocks[3].text,
	                    "10|10|100|98|优|优秀|10|10|0|1|3");
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* findings with warnings; deviations under a filter; a pagebreak item. */
static void
test_options(void **state)
{
	static const char outline[] =
	        "{\"format\": 1, \"title\": \"t\", \"subtitle\": \"[{year}]\","
	        " \"sections\": [{\"heading\": \"h\", \"items\": ["
	        "{\"sentence\": \"findings\", \"warnings\": true},"
	        "{\"sentence\": \"deviations\", \"level1\": [\"产出\"]},"
	        "{\"pagebreak\": true},"
	        "{\"table\": \"indicators\"}],"
	        " \"sections\": [{\"heading\": \"h2\", \"sections\": [{"
	        "\"heading\": \"h3\"}]}]}]}";
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	const struct jx_doc_block *b;
	int i;

	(void)state;
	jx_arena_init(&oa, 0);
	o = parse_text(outline, &oa);
	render_seed(o, "000", &rules, &e, &a, &doc);
	assert_string_equal(doc.blocks[1].text, "2021");
	i = find_block(&doc, JX_DOC_PARA,
	               "经按规则方案“项目支出绩效自评（财政部默认规则，财预〔"
	               "2020〕10号）”核对，自评表存在以下3处需要核实的情况：");
	assert_true(i >= 0);
	assert_true(strncmp(doc.blocks[i + 1].text, "（1）［需核实］",
	                    strlen("（1）［需核实］")) == 0);
	/* "产出" matches 产出指标 (folded, and through the rule set) */
	assert_non_null(strstr(doc.blocks[i + 4].text, "“预算一体化”"));
	assert_int_equal(doc.blocks[i + 5].kind, JX_DOC_PAGEBREAK);
	b = &doc.blocks[i + 6];
	assert_int_equal(b->kind, JX_DOC_TABLE);
	assert_int_equal(b->table->ncols, 9);
	assert_int_equal(b->table->nrows, 17);
	assert_string_equal(jx_grid_get(b->table, 0, 0), "一级指标");
	/* 产出指标 over its 11 lines */
	assert_int_equal(jx_grid_merged(b->table, 1, 0)->r1, 11);
	assert_string_equal(jx_grid_get(b->table, 1, 7), "0%");
	assert_string_equal(jx_grid_get(b->table, 1, 8), "未达成");
	assert_int_equal(doc.blocks[i + 7].level, 2);
	assert_int_equal(doc.blocks[i + 8].level, 3);
	assert_string_equal(doc.blocks[i + 8].text, "h3");
	assert_int_equal(doc.nblocks, (size_t)i + 9);
	jx_arena_cleanup(&a);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

/* A whole report read back: its tables and its text (one paragraph a row
 * of a last grid "正文") through the sheet finder with the built-in
 * layouts find the annex (layout mof) and the seed's figures, whatever the
 * other tables of the report hold. */
static void
test_report_reads_back(void **state)
{
	static const char *const names[] = {"mof", "shanxi", "sichuan"};
	struct jx_sheet_layout layouts[3];
	struct jx_grid grids[16], *text;
	struct jx_sheet_report rep;
	struct jx_arena oa, a, ga;
	const struct jx_outline *o;
	struct jx_eval e, back;
	struct jx_doc doc;
	struct jx_diag d;
	char rel[128];
	size_t i, k, n, len, s;
	uint32_t row;
	char *buf;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(rel, sizeof(rel), "rules/layouts/%s.json", names[i]);
		buf = tu_read(rel, &len);
		assert_non_null(buf);
		tu_must(jx_sheet_layout_load(&layouts[i], buf, len, names[i],
		                             rel, &d),
		        &d, rel);
		free(buf);
	}
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	for (s = 0; s < NSEEDS; s++) {
		render_seed(o, seeds[s], NULL, &e, &a, &doc);
		jx_arena_init(&ga, 0);
		n = 0;
		for (i = 0; i < doc.nblocks; i++)
			if (doc.blocks[i].kind == JX_DOC_TABLE) {
				assert_true(n < 15);
				grids[n++] = *doc.blocks[i].table;
			}
		text = &grids[n++];
		jx_grid_init(text, &ga);
		for (i = 0, row = 0; i < doc.nblocks; i++)
			if (doc.blocks[i].kind != JX_DOC_TABLE &&
			    doc.blocks[i].text[0] != '\0')
				assert_int_equal(
				        jx_grid_set(text, row++, 0,
				                    doc.blocks[i].text,
				                    strlen(doc.blocks[i].text)),
				        JX_OK);
		jx_sheet_report_init(&rep);
		jx_eval_init(&back);
		tu_must(jx_sheet_read(grids, n, layouts, 3, &back, &rep, &d),
		        &d, seeds[s]);
		assert_string_equal(rep.layout, "mof");
		assert_int_equal(rep.grid, n - 2); /* the annex */
		assert_string_equal(back.title, e.title);
		assert_int_equal(back.year, e.year);
		assert_int_equal(back.has_funds, e.has_funds);
		assert_int_equal(back.funds.total.annual.v,
		                 e.funds.total.annual.v);
		assert_int_equal(back.funds.total.executed.v,
		                 e.funds.total.executed.v);
		assert_int_equal(back.nindicators, e.nindicators);
		for (k = 0; k < e.nindicators; k++) {
			assert_string_equal(back.indicators[k].name,
			                    e.indicators[k].name);
			assert_string_equal(back.indicators[k].actual,
			                    e.indicators[k].actual);
			assert_int_equal(back.indicators[k].weight.v,
			                 e.indicators[k].weight.v);
		}
		assert_int_equal(back.total_score_stated.set,
		                 e.total_score_stated.set);
		assert_int_equal(back.total_score_stated.v,
		                 e.total_score_stated.v);
		jx_eval_cleanup(&back);
		jx_sheet_report_cleanup(&rep);
		jx_arena_cleanup(&ga);
		jx_arena_cleanup(&a);
		jx_eval_cleanup(&e);
	}
	for (i = 0; i < 3; i++)
		jx_sheet_layout_cleanup(&layouts[i]);
	jx_arena_cleanup(&oa);
}

/* ---- bad outlines ---------------------------------------------------- */

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tests/data/outlines/NNN-name.json is refused as its .expect says:
 * "error:", "line:", "column:", "field:" and "message:" (exact). */
static void
test_bad_outlines(void **state)
{
	char *names[64], rel[512], want[600], got[32];
	size_t n = 0, i, len, elen;
	struct dirent *de;
	DIR *dp;

	(void)state;
	dp = opendir(JX_SOURCE_DIR "/" DATA);
	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
			assert_true(n < 64);
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(dp);
	assert_true(n >= 20);
	qsort(names, n, sizeof(names[0]), str_cmp);
	for (i = 0; i < n; i++) {
		const struct jx_outline *o = NULL;
		struct jx_arena a;
		struct jx_diag d;
		char *text, *expect;
		enum jx_err err;

		snprintf(rel, sizeof(rel), DATA "/%s", names[i]);
		text = tu_read(rel, &len);
		assert_non_null(text);
		snprintf(rel + strlen(rel) - 5, 8, ".expect");
		expect = tu_read(rel, &elen);
		if (expect == NULL)
			fail_msg("%s: no .expect", names[i]);
		jx_arena_init(&a, 0);
		err = jx_outline_parse(text, len, names[i], &a, &o, &d);
		assert_null(o);
		tu_expect_field(expect, "error", want, sizeof(want));
		if (strcmp(jx_err_name(err), want) != 0)
			fail_msg("%s: %s (%s), expected %s", names[i],
			         jx_err_name(err), d.message, want);
		assert_string_equal(d.file, names[i]);
		if (tu_expect_field(expect, "line", want, sizeof(want))) {
			snprintf(got, sizeof(got), "%d", d.line);
			if (strcmp(got, want) != 0)
				fail_msg("%s: line %s, expected %s", names[i],
				         got, want);
		}
		if (tu_expect_field(expect, "column", want, sizeof(want))) {
			snprintf(got, sizeof(got), "%d", d.column);
			if (strcmp(got, want) != 0)
				fail_msg("%s: column %s, expected %s", names[i],
				         got, want);
		}
		if (tu_expect_field(expect, "field", want, sizeof(want)) &&
		    strcmp(d.field, want) != 0)
			fail_msg("%s: field \"%s\", expected \"%s\"", names[i],
			         d.field, want);
		if (tu_expect_field(expect, "message", want, sizeof(want)) &&
		    strcmp(d.message, want) != 0)
			fail_msg("%s: message \"%s\", expected \"%s\"",
			         names[i], d.message, want);
		jx_arena_cleanup(&a);
		free(text);
		free(expect);
		free(names[i]);
	}
}

/* Limits and arguments. */
static void
test_limits(void **state)
{
	const struct jx_outline *o = NULL;
	struct jx_arena a;
	struct jx_diag d;
	struct jx_eval e;
	struct jx_doc doc;
	char *big;
	size_t i, n, cap = 4 << 20;

	(void)state;
	jx_arena_init(&a, 0);
	tu_want_err(jx_outline_parse("{}", 2, "x", NULL, &o, &d), JX_EINVAL,
	            "no arena");
	tu_want_err(jx_outline_parse("{}", 2, "x", &a, NULL, &d), JX_EINVAL,
	            "no out");
	tu_want_err(jx_outline_parse("", 0, "x", &a, &o, &d), JX_EPARSE,
	            "empty");
	/* more than JX_OUTLINE_MAX_ITEMS headings and items */
	big = malloc(cap);
	assert_non_null(big);
	n = (size_t)snprintf(big, cap,
	                     "{\"format\":1,\"title\":\"t\",\"sections\":[{"
	                     "\"heading\":\"h\",\"items\":[");
	for (i = 0; i < JX_OUTLINE_MAX_ITEMS; i++)
		n += (size_t)snprintf(big + n, cap - n, "%s{\"text\":\"x\"}",
		                      i > 0 ? "," : "");
	n += (size_t)snprintf(big + n, cap - n, "]}]}");
	tu_want_err(jx_outline_parse(big, n, "big.json", &a, &o, &d),
	            JX_ETOOBIG, "items");
	assert_string_equal(d.message, "提纲的标题和内容过多（上限 2000 项）");
	assert_string_equal(d.field, "sections[0].items[1999]");
	/* a file over JX_MAX_RULES_BYTES */
	memset(big, ' ', cap);
	tu_want_err(
	        jx_outline_parse(big, (1u << 20) + 1, "huge.json", &a, &o, &d),
	        JX_ETOOBIG, "huge");
	free(big);
	assert_null(o);
	/* render: arguments */
	o = parse_text("{\"format\":1,\"title\":\"t\",\"sections\":[{"
	               "\"heading\":\"h\"}]}",
	               &a);
	jx_eval_init(&e);
	jx_doc_init(&doc, &a);
	tu_want_err(jx_outline_render(NULL, &e, NULL, &doc, &d), JX_EINVAL,
	            "o");
	tu_want_err(jx_outline_render(o, NULL, NULL, &doc, &d), JX_EINVAL, "e");
	tu_want_err(jx_outline_render(o, &e, NULL, NULL, &d), JX_EINVAL, "doc");
	/* an empty evaluation renders */
	tu_must(jx_outline_render(o, &e, &rules, &doc, &d), &d, "empty");
	assert_int_equal(doc.nblocks, 2);
	assert_string_equal(doc.title, "t");
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&a);
}

/* Out of memory anywhere while rendering: JX_ENOMEM, never a crash. */
static void
test_nomem(void **state)
{
	struct jx_arena oa, a;
	const struct jx_outline *o;
	struct jx_eval e;
	struct jx_doc doc;
	struct jx_diag d;
	enum jx_err err;
	size_t limit;
	bool ok = false;

	(void)state;
	jx_arena_init(&oa, 0);
	o = load_outline("self-report", &oa);
	load_seed("000", &e);
	for (limit = 1024; limit < (size_t)8 << 20 && !ok; limit += 2048) {
		jx_arena_init(&a, 1024);
		a.limit = limit;
		jx_doc_init(&doc, &a);
		err = jx_outline_render(o, &e, &rules, &doc, &d);
		if (err == JX_OK)
			ok = true;
		else
			tu_want_err(err, JX_ENOMEM, "limit");
		jx_arena_cleanup(&a);
	}
	assert_true(ok);
	jx_eval_cleanup(&e);
	jx_arena_cleanup(&oa);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_standard_structure),
	        cmocka_unit_test(test_seed_000),
	        cmocka_unit_test(test_seed_001),
	        cmocka_unit_test(test_seed_003_004),
	        cmocka_unit_test(test_no_rules),
	        cmocka_unit_test(test_missing_data),
	        cmocka_unit_test(test_brief_outline),
	        cmocka_unit_test(test_placeholders),
	        cmocka_unit_test(test_options),
	        cmocka_unit_test(test_report_reads_back),
	        cmocka_unit_test(test_bad_outlines),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_nomem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
