/*
 * test_value.c - the value parser: every target and actual string of the
 * five seed documents, then the other forms tables use (comparison words
 * before and after the number, every unit, full-width text and stray
 * spaces, thousands separators, signs), the empty forms, the texts that
 * must stay UNPARSED (ranges, remarks, two numbers, unknown units), the
 * unit of an indicator's name, alignment of target and actual to one base,
 * formatting back, and the seed interchange files in tests/data/seeds/.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jx/limits.h"
#include "jx/value.h"

#define NO JX_CMP_NONE
#define GE JX_CMP_GE
#define GT JX_CMP_GT
#define LE JX_CMP_LE
#define LT JX_CMP_LT
#define EQ JX_CMP_EQ

struct parse_case {
	const char *in;
	const char *hint; /* indicator name, NULL: none */
	enum jx_value_kind kind;
	enum jx_cmp cmp;
	const char *num;  /* NUMBER: jx_dec_format(num, -1) */
	const char *unit; /* NUMBER: canonical unit name, NULL: none */
	bool from_name;   /* NUMBER: unit taken from the hint */
	const char *text; /* WORD: the word; UNPARSED: part of why */
};

/* A number with a written unit (or none), no hint. */
#define NUM(in, cmp, num, unit)                                                \
	{                                                                      \
		in, NULL, JX_VALUE_NUMBER, cmp, num, unit, false, NULL         \
	}
/* A number whose unit comes from the indicator's name. */
#define NUMH(in, hint, cmp, num, unit)                                         \
	{                                                                      \
		in, hint, JX_VALUE_NUMBER, cmp, num, unit, true, NULL          \
	}
/* A number parsed with a hint that does not supply the unit. */
#define NUMX(in, hint, cmp, num, unit)                                         \
	{                                                                      \
		in, hint, JX_VALUE_NUMBER, cmp, num, unit, false, NULL         \
	}
#define WORD(in, word)                                                         \
	{                                                                      \
		in, NULL, JX_VALUE_WORD, NO, NULL, NULL, false, word           \
	}
#define EMPTY(in)                                                              \
	{                                                                      \
		in, NULL, JX_VALUE_EMPTY, NO, NULL, NULL, false, NULL          \
	}
#define BAD(in, why)                                                           \
	{                                                                      \
		in, NULL, JX_VALUE_UNPARSED, NO, NULL, NULL, false, why        \
	}

static const struct parse_case parse_cases[] = {
        /*
         * Seed P0 (000): Shanxi-style self-evaluation, 目标值 / 业绩值.
         */
        /* P0 预算执行率, target and actual */
        NUM("100%", NO, "100", "%"),
        /* P0 预算一体化 target */
        NUM("50万元", NO, "50", "万元"),
        /* P0 预算一体化 actual: nothing spent */
        NUM("0万元", NO, "0", "万元"),
        /* P0 绩效系统 */
        NUM("38万元", NO, "38", "万元"),
        /* P0 电子卖场服务费 */
        NUM("12万元", NO, "12", "万元"),
        /* P0 质保金 */
        NUM("7万元", NO, "7", "万元"),
        /* P0 支付电子化管理系统 */
        NUM("27万元", NO, "27", "万元"),
        /* P0 系统正常运行率, 采购完成及时率 */
        NUM("95%", NO, "95", "%"),
        /* P0 财政信息化建设经费 target */
        NUM("134万元", NO, "134", "万元"),
        /* P0 财政信息化建设经费 actual */
        NUM("131.4万元", NO, "131.4", "万元"),
        /* P0 工作人员满意度 */
        NUM("90%", NO, "90", "%"),
        /* P0 完成率 column */
        NUM("100.00%", NO, "100", "%"),
        /* P0 完成率 of the cost line */
        NUM("98.06%", NO, "98.06", "%"),
        /* P0 完成率 of 预算一体化 */
        NUM("0.00%", NO, "0", "%"),
        /* P0 report text: 目标值≥95% */
        NUM("≥95%", GE, "95", "%"),
        /* P0 a written % beats the name's (%) */
        NUMX("100%", "系统平台故障解决率（%）", NO, "100", "%"),
        /* P0 系统故障处置及时性 */
        WORD("及时", "及时"),
        /* P0 提高管理服务水平 */
        WORD("满意", "满意"),
        /* P0 a whole sentence as a target is a word too */
        WORD("积极营造“办事效率高，发展服务环境优”的质量监管方式",
             "积极营造“办事效率高，发展服务环境优”的质量监管方式"),
        /* P0 有利于促进建立运行保障长效机制 */
        WORD("显著提高", "显著提高"),
        /* P0 可持续影响 */
        WORD("可持续", "可持续"),

        /*
         * Seed P1 (001): 巴彦淖尔 self-evaluation (with stray spaces) and
         * the 1-6月 monitoring table (without).
         */
        /* P1 数量指标 target, space before the unit */
        NUM("1 项", NO, "1", "项"),
        /* P1 视频会议运维 actual: a different count unit */
        NUM("2 台", NO, "2", "台"),
        /* P1 系统故障率, target and actual */
        NUM("≤1%", LE, "1", "%"),
        /* P1 系统响应速率, space before the unit */
        NUM("≤1 小时", LE, "1", "小时"),
        /* P1 异常处理能力 target */
        WORD("优秀", "优秀"),
        /* P1 异常处理能力 actual */
        WORD("一般", "一般"),
        /* P1 业务处理及时性: an actual written as a bound */
        NUM("≥100%", GE, "100", "%"),
        /* P1 成本指标 targets and actuals */
        NUM("40 万元", NO, "40", "万元"),
        NUM("0 万元", NO, "0", "万元"),
        NUM("80 万元", NO, "80", "万元"),
        NUM("10 万元", NO, "10", "万元"),
        NUM("11 万元", NO, "11", "万元"),
        NUM("20 万元", NO, "20", "万元"),
        NUM("42.3 万元", NO, "42.3", "万元"),
        /* P1 效益指标 words */
        WORD("明显提升", "明显提升"),
        WORD("明显发挥", "明显发挥"),
        WORD("明显提高", "明显提高"),
        /* P1 持续发挥作用期限 */
        WORD("长期", "长期"),
        /* P1 满意度, target and actual */
        NUM("≥90%", GE, "90", "%"),
        /* P1 monitoring table: no spaces */
        NUM("1项", NO, "1", "项"),
        NUM("2台", NO, "2", "台"),
        NUM("≤1小时", LE, "1", "小时"),
        NUM("40万元", NO, "40", "万元"),
        NUM("42.3万元", NO, "42.3", "万元"),
        /* P1 故障排除率 target: a bare 1 ... */
        NUM("1", NO, "1", NULL),
        /* P1 ... and its actual: a bare fraction */
        NUM("0.95", NO, "0.95", NULL),
        /* P1 execution rate stated for 1-6月 */
        NUM("15%", NO, "15", "%"),
        /* P1 names carry no unit: "指标 1: 维护金财业务系统" */
        NUMX("1 项", "指标 1: 维护金财业务系统", NO, "1", "项"),

        /*
         * Seed P2 (002): 富民县 evaluation report, criteria in the text.
         */
        /* P2 预算执行率95%以上，得满分 */
        NUM("95%以上", GE, "95", "%"),
        /* P2 资金到位率大于90%的得满分 */
        NUM("大于90%", GT, "90", "%"),
        /* P2 平台故障发生率控制在5%以内 */
        NUM("控制在5%以内", LE, "5", "%"),
        /* P2 项目验收通过率达95%及以上 */
        NUM("95%及以上", GE, "95", "%"),
        /* P2 预算执行率60%以下，不计分 */
        NUM("60%以下", LE, "60", "%"),

        /*
         * Seed P3 (003): 忻州 金保工程, targets without units under a name
         * that carries them.
         */
        /* P3 维护信息系统的数量（个）: target "1" */
        NUMH("1", "维护信息系统的数量（个）", NO, "1", "个"),
        /* P3 its actual */
        NUM("1个", NO, "1", "个"),
        /* P3 信息系统电费（万元）: target "12" */
        NUMH("12", "信息系统电费（万元）", NO, "12", "万元"),
        /* P3 its actual: the written unit, not the name's */
        NUMX("8.57万元", "信息系统电费（万元）", NO, "8.57", "万元"),
        /* P3 信息化维护运维成本（万元） */
        NUMH("87.30", "信息化维护运维成本（万元）", NO, "87.3", "万元"),
        NUM("58.27万元", NO, "58.27", "万元"),
        /* P3 线路租赁费（万元） */
        NUMH("55.32", "线路租赁费（万元）", NO, "55.32", "万元"),
        NUM("25.29万元", NO, "25.29", "万元"),
        /* P3 社保卡宣传成本（万元） */
        NUMH("3", "社保卡宣传成本（万元）", NO, "3", "万元"),
        /* P3 信息系统全年无安全事故率（%） */
        NUMX("100%", "信息系统全年无安全事故率（%）", NO, "100", "%"),
        /* P3 完成率 of 线路租赁费 */
        NUM("45.72%", NO, "45.72", "%"),
        /* P3 偏差原因 column: "无" */
        EMPTY("无"),

        /*
         * Seed P4 (004): 忻州 互联网+政务服务, 年度指标值 / 实际完成值.
         */
        /* P4 技术服务内容（项）: "7" */
        NUMH("7", "指标1：技术服务内容（项）", NO, "7", "项"),
        /* P4 性能指标达标率 */
        WORD("达标", "达标"),
        /* P4 平台运维服务及时性 */
        WORD("及时", "及时"),
        /* P4 成本节约率: a bare 0, no unit in the name */
        NUMX("0", "指标1：成本节约率", NO, "0", NULL),
        /* P4 社会效益 words */
        WORD("促进", "促进"),
        WORD("提高", "提高"),
        /* P4 可持续影响 words */
        WORD("正常", "正常"),
        WORD("落实", "落实"),
        /* P4 工作人员满意度 */
        NUM("95%", NO, "95", "%"),
        /* P4 指标2 rows left blank */
        EMPTY(""),
        /* P4 funds rows: "—" */
        EMPTY("—"),

        /*
         * Comparison words and symbols before the number.
         */
        /* space after the symbol */
        NUM("≥ 90%", GE, "90", "%"),
        /* ASCII digraph */
        NUM(">=90%", GE, "90", "%"),
        /* 不低于 */
        NUM("不低于90%", GE, "90", "%"),
        /* full-width digits and percent */
        NUM("≥９５％", GE, "95", "%"),
        /* full-width > and < */
        NUM("＞５", GT, "5", NULL),
        NUM("＜５", LT, "5", NULL),
        /* full-width <= */
        NUM("＜＝５", LE, "5", NULL),
        /* the variant signs ≦ ≧ */
        NUM("≦3天", LE, "3", "天"),
        NUM("≧3天", GE, "3", "天"),
        /* the slanted signs ⩽ ⩾ */
        NUM("⩽3天", LE, "3", "天"),
        NUM("⩾95%", GE, "95", "%"),
        /* digraphs written backwards */
        NUM("=<5", LE, "5", NULL),
        NUM("=>5", GE, "5", NULL),
        /* <= */
        NUM("<=5%", LE, "5", "%"),
        /* a redundant = after ≥ */
        NUM("≥=95%", GE, "95", "%"),
        /* 不少于 */
        NUM("不少于50个", GE, "50", "个"),
        /* 大于等于 and 大于或等于 */
        NUM("大于等于80%", GE, "80", "%"),
        NUM("大于或等于80%", GE, "80", "%"),
        /* 达到 */
        NUM("达到95%", GE, "95", "%"),
        /* 至少 */
        NUM("至少3次", GE, "3", "次"),
        /* 不小于 */
        NUM("不小于2", GE, "2", NULL),
        /* > 0 */
        NUM("大于0", GT, "0", NULL),
        /* 高于 */
        NUM("高于90%", GT, "90", "%"),
        /* 超过 */
        NUM("超过1000人次", GT, "1000", "人次"),
        /* 多于 */
        NUM("多于2场", GT, "2", "场"),
        /* 小于等于 */
        NUM("小于等于3天", LE, "3", "天"),
        /* 不高于 */
        NUM("不高于5%", LE, "5", "%"),
        /* 不超过 */
        NUM("不超过90万元", LE, "90", "万元"),
        /* 不大于 */
        NUM("不大于10", LE, "10", NULL),
        /* 控制在 without 以内 */
        NUM("控制在100万元", LE, "100", "万元"),
        /* ≤ money, a cost target */
        NUM("≤90万元", LE, "90", "万元"),
        /* 小于 */
        NUM("小于5%", LT, "5", "%"),
        /* 低于 */
        NUM("低于3%", LT, "3", "%"),
        /* 少于 */
        NUM("少于2次", LT, "2", "次"),
        /* = */
        NUM("=100%", EQ, "100", "%"),
        /* 等于 */
        NUM("等于0", EQ, "0", NULL),
        /* == */
        NUM("==1", EQ, "1", NULL),

        /*
         * Comparison words after the number and unit.
         */
        /* (含)以上 */
        NUM("95%(含)以上", GE, "95", "%"),
        /* 以上（含）, full-width brackets */
        NUM("95%以上（含）", GE, "95", "%"),
        /* 以内 */
        NUM("10天以内", LE, "10", "天"),
        /* 之内 */
        NUM("10天之内", LE, "10", "天"),
        /* 以内 after a two-word unit */
        NUM("3个工作日以内", LE, "3", "个工作日"),
        /* 以上 with no unit */
        NUM("80以上", GE, "80", NULL),
        /* the same direction on both sides */
        NUM("达到95%以上", GE, "95", "%"),

        /*
         * Units.
         */
        /* money */
        NUM("1000元", NO, "1000", "元"),
        NUM("0.5千元", NO, "0.5", "千元"),
        NUM("3亿元", NO, "3", "亿元"),
        NUM("2百万元", NO, "2", "百万元"),
        NUM("1千万元", NO, "1", "千万元"),
        /* time */
        NUM("45秒", NO, "45", "秒"),
        NUM("30分钟", NO, "30", "分钟"),
        /* 分 keeps its spelling (points are written that way too) */
        NUM("≥90分", GE, "90", "分"),
        NUM("24小时", NO, "24", "小时"),
        NUM("2个小时", NO, "2", "小时"),
        NUM("2h", NO, "2", "小时"),
        NUM("5日", NO, "5", "天"),
        NUM("2个工作日", NO, "2", "个工作日"),
        NUM("2工作日", NO, "2", "个工作日"),
        NUM("1周", NO, "1", "周"),
        NUM("2星期", NO, "2", "周"),
        NUM("3个月", NO, "3", "个月"),
        NUM("6月", NO, "6", "个月"),
        NUM("1年", NO, "1", "年"),
        /* ratios */
        NUM("5‰", NO, "5", "‰"),
        NUM("≥100百分比", GE, "100", "%"),
        NUM("5个百分点", NO, "5", "%"),
        /* counts, and the synonyms for people */
        NUM("10人", NO, "10", "人"),
        NUM("3名", NO, "3", "人"),
        NUM("5位", NO, "5", "人"),
        NUM("3家", NO, "3", "家"),
        NUM("2套", NO, "2", "套"),
        NUM("5户", NO, "5", "户"),
        NUM("2篇", NO, "2", "篇"),
        NUM("100份", NO, "100", "份"),
        NUM("4期", NO, "4", "期"),
        NUM("2辆", NO, "2", "辆"),
        NUM("3门", NO, "3", "门"),
        NUM("0起", NO, "0", "起"),
        NUM("0例", NO, "0", "例"),
        /* other measures */
        NUM("10公里", NO, "10", "公里"),
        NUM("10千米", NO, "10", "公里"),
        NUM("500米", NO, "500", "米"),
        NUM("200平方米", NO, "200", "平方米"),
        NUM("200㎡", NO, "200", "平方米"),
        NUM("50亩", NO, "50", "亩"),
        NUM("3吨", NO, "3", "吨"),
        NUM("1000度", NO, "1000", "千瓦时"),
        NUM("2GB", NO, "2", "GB"),
        /* ASCII units match in any case */
        NUM("2gb", NO, "2", "GB"),
        NUM("10KG", NO, "10", "千克"),

        /*
         * Numbers: separators, signs, spaces.
         */
        /* thousands separators */
        NUM("1,200人次", NO, "1200", "人次"),
        NUM("12,345,678.5元", NO, "12345678.5", "元"),
        /* full-width comma as a thousands separator */
        NUM("1，200人", NO, "1200", "人"),
        /* full-width point */
        NUM("９５．５％", NO, "95.5", "%"),
        /* negative, ASCII minus */
        NUM("-5%", NO, "-5", "%"),
        /* negative after a comparison */
        NUM("≥-5%", GE, "-5", "%"),
        /* U+2212 MINUS SIGN */
        NUM("−3", NO, "-3", NULL),
        /* full-width hyphen-minus */
        NUM("－3", NO, "-3", NULL),
        /* explicit plus */
        NUM("+3%", NO, "3", "%"),
        /* negative zero is zero */
        NUM("-0", NO, "0", NULL),
        /* no integer part */
        NUM(".5", NO, "0.5", NULL),
        /* zeros past the sixth decimal are dropped */
        NUM("12.50000000", NO, "12.5", NULL),
        /* leading zeros */
        NUM("007项", NO, "7", "项"),
        /* spaces everywhere are removed, including inside the number */
        NUM("  95 %  ", NO, "95", "%"),
        NUM("1 000元", NO, "1000", "元"),
        /* ideographic spaces around the comparison */
        NUM("\xe3\x80\x80≥\xe3\x80\x80"
            "90%\xe3\x80\x80",
            GE, "90", "%"),
        /* NBSP before the unit */
        NUM("5\xc2\xa0万元", NO, "5", "万元"),

        /*
         * Units from the indicator's name.
         */
        /* (%) in ASCII brackets */
        NUMH("95", "故障解决率(%)", NO, "95", "%"),
        /* a fraction under (%) stays as written: align decides */
        NUMH("0.95", "系统正常运行率（%）", NO, "0.95", "%"),
        /* full-width ％ inside full-width brackets, with a comparison */
        NUMH("≥95", "满意度（％）", GE, "95", "%"),
        /* trailing space after the bracket */
        NUMH("5", "培训人数（人） ", NO, "5", "人"),
        /* brackets not at the end carry no unit */
        NUMX("1", "促进市（区、县）数据共享", NO, "1", NULL),
        /* a bracket that is not a unit */
        NUMX("5", "费用（万元/年）", NO, "5", NULL),
        /* words ignore the name */
        {"及时", "故障解决率(%)", JX_VALUE_WORD, NO, NULL, NULL, false, "及时"},

        /*
         * Words.
         */
        /* inner space kept, outer spaces trimmed */
        WORD(" 明显 提升 ", "明显 提升"),
        /* ideographic spaces trimmed */
        WORD("\xe3\x80\x80满意\xe3\x80\x80", "满意"),
        /* "达到" alone means achieved */
        WORD("达到", "达到"),
        /* a comparison word followed by words is a word */
        WORD("达到预期", "达到预期"),
        WORD("高于预期", "高于预期"),
        WORD("不低于上年", "不低于上年"),
        WORD("控制在合理范围", "控制在合理范围"),
        /* other qualitative words */
        WORD("有所提高", "有所提高"),
        WORD("未达到", "未达到"),
        WORD("基本达标", "基本达标"),
        WORD("全覆盖", "全覆盖"),
        WORD("是", "是"),

        /*
         * Empty cells.
         */
        /* hyphen, dashes, slashes */
        EMPTY("-"),
        EMPTY("--"),
        EMPTY("——"),
        EMPTY("–"),
        EMPTY("/"),
        EMPTY("-/-"),
        /* full-width slash and hyphen fold to ASCII */
        EMPTY("／"),
        EMPTY("－"),
        /* with spaces */
        EMPTY(" - "),
        EMPTY("  "),
        EMPTY("\xe3\x80\x80"),
        EMPTY(" 无 "),

        /*
         * UNPARSED: said why, never guessed.
         */
        /* a remark after the unit, even "(含)" alone */
        BAD("100%（含）", "后面有无法识别"),
        /* a remark on a count */
        BAD("1项（年度）", "后面有无法识别"),
        /* words after the unit */
        BAD("95%左右", "后面有无法识别"),
        /* a per-period rate is not in the unit table */
        BAD("1次/年", "后面有无法识别"),
        /* a comparison after the number */
        BAD("95%≥", "后面有无法识别"),
        /* ranges with every separator */
        BAD("90%-95%", "区间"),
        BAD("1-2项", "区间"),
        BAD("90%~95%", "区间"),
        BAD("90%至95%", "区间"),
        BAD("1到2项", "区间"),
        BAD("90%－95%", "区间"),
        BAD("90%—95%", "区间"),
        BAD("≥90%-95%", "区间"),
        /* a comparison or a unit without a number */
        BAD("≥", "缺少数值"),
        BAD("≤", "缺少数值"),
        BAD(">=", "缺少数值"),
        BAD("不低于", "缺少数值"),
        BAD("≥%", "缺少数值"),
        BAD("万元", "缺少数值"),
        BAD("%", "缺少数值"),
        BAD("以上", "缺少数值"),
        BAD("不超过万元", "缺少数值"),
        /* words before the number */
        BAD("约95%", "数值前"),
        BAD("完成95%", "数值前"),
        BAD("第1名", "数值前"),
        BAD("±5%", "数值前"),
        BAD("百分之95", "数值前"),
        /* a comparison and nothing that starts a number */
        BAD("≥a1", "数值前"),
        /* an unknown unit */
        BAD("5G", "单位无法识别"),
        BAD("3斤", "单位无法识别"),
        /* two numbers */
        BAD("2021年12月", "多个数值"),
        BAD("1项2台", "多个数值"),
        /* commas that are not thousands separators */
        BAD("1,2项", "千分位"),
        BAD("1,0000元", "千分位"),
        BAD("12,34", "千分位"),
        BAD("1234,567", "千分位"),
        /* groups of two (lakh style) */
        BAD("1,23,456", "千分位"),
        BAD("1.5,3", "千分位"),
        /* malformed numbers */
        BAD("1.2.3", "数值格式"),
        BAD("5.万元", "数值格式"),
        /* precision that jx_dec would lose */
        BAD("0.1234567", "小数位数"),
        BAD("100.000000001%", "小数位数"),
        /* too big */
        BAD("99999999999999999999999", "超出"),
        BAD("9300000000000", "超出"),
        /* contradicting comparisons */
        BAD("≥95%以下", "矛盾"),
        BAD("不超过5%以上", "矛盾"),
        /* invalid UTF-8 */
        BAD("9\xff"
            "5%",
            "UTF-8"),
};

static const char *
kind_name(enum jx_value_kind k)
{
	switch (k) {
	case JX_VALUE_EMPTY:
		return "EMPTY";
	case JX_VALUE_NUMBER:
		return "NUMBER";
	case JX_VALUE_WORD:
		return "WORD";
	case JX_VALUE_UNPARSED:
		return "UNPARSED";
	}
	return "?";
}

/* Format v, parse the text again and check the same value comes back. */
static void
check_round_trip(size_t row, const struct jx_value *v)
{
	char buf[JX_MAX_VALUE_TEXT + 64];
	struct jx_value back;
	size_t n;

	n = jx_value_format(v, buf, sizeof(buf));
	assert_int_equal(jx_value_parse(buf, n, NULL, &back), JX_OK);
	if (back.kind != v->kind)
		fail_msg("row %zu: \"%s\" parses back as %s", row, buf,
		         kind_name(back.kind));
	if (v->kind == JX_VALUE_NUMBER &&
	    (back.cmp != v->cmp || back.num != v->num || back.unit != v->unit))
		fail_msg("row %zu: \"%s\" does not parse back the same", row,
		         buf);
	if (v->kind == JX_VALUE_WORD &&
	    (back.word_len != v->word_len ||
	     memcmp(back.word, v->word, v->word_len) != 0))
		fail_msg("row %zu: word \"%s\" changed", row, buf);
}

static void
test_parse_table(void **state)
{
	char num[64];
	struct jx_value v;
	size_t i, n, len;

	(void)state;
	n = sizeof(parse_cases) / sizeof(parse_cases[0]);
	for (i = 0; i < n; i++) {
		const struct parse_case *c = &parse_cases[i];

		len = strlen(c->in);
		memset(&v, 0x5a, sizeof(v));
		assert_int_equal(jx_value_parse(c->in, len, c->hint, &v),
		                 JX_OK);
		if (v.kind != c->kind)
			fail_msg("row %zu \"%s\": %s (%s), want %s", i, c->in,
			         kind_name(v.kind),
			         v.error != NULL && v.kind == JX_VALUE_UNPARSED
			                 ? v.error
			                 : "",
			         kind_name(c->kind));
		switch (c->kind) {
		case JX_VALUE_NUMBER:
			jx_dec_format(v.num, -1, num, sizeof(num));
			if (v.cmp != c->cmp || strcmp(num, c->num) != 0)
				fail_msg("row %zu \"%s\": cmp %d num %s, want "
				         "cmp %d num %s",
				         i, c->in, (int)v.cmp, num, (int)c->cmp,
				         c->num);
			if ((c->unit == NULL) != (v.unit == NULL) ||
			    (c->unit != NULL && strcmp(v.unit->name, c->unit)))
				fail_msg("row %zu \"%s\": unit %s, want %s", i,
				         c->in, v.unit ? v.unit->name : "none",
				         c->unit ? c->unit : "none");
			if (v.unit_from_name != c->from_name)
				fail_msg("row %zu \"%s\": unit_from_name %d", i,
				         c->in, (int)v.unit_from_name);
			assert_null(v.word);
			assert_null(v.error);
			check_round_trip(i, &v);
			break;
		case JX_VALUE_WORD:
			if (v.word_len != strlen(c->text) ||
			    memcmp(v.word, c->text, v.word_len) != 0)
				fail_msg("row %zu: word \"%.*s\", want \"%s\"",
				         i, (int)v.word_len, v.word, c->text);
			/* borrowed from the input, not copied */
			assert_true(v.word >= c->in && v.word < c->in + len);
			assert_null(v.unit);
			assert_int_equal(v.num, 0);
			assert_null(v.error);
			check_round_trip(i, &v);
			break;
		case JX_VALUE_UNPARSED:
			if (v.error == NULL || strstr(v.error, c->text) == NULL)
				fail_msg("row %zu \"%s\": reason \"%s\", want "
				         "\"%s\"",
				         i, c->in, v.error ? v.error : "(null)",
				         c->text);
			assert_null(v.word);
			assert_null(v.unit);
			break;
		case JX_VALUE_EMPTY:
			assert_null(v.word);
			assert_null(v.unit);
			assert_null(v.error);
			break;
		}
	}
	/* the seeds and at least 80 further forms */
	assert_true(n >= 80 + 60);
}

static void
test_parse_api(void **state)
{
	char big[JX_MAX_VALUE_TEXT + 2];
	struct jx_value v;

	(void)state;
	/* NULL out, or NULL text with a length */
	assert_int_equal(jx_value_parse("1", 1, NULL, NULL), JX_EINVAL);
	assert_int_equal(jx_value_parse(NULL, 3, NULL, &v), JX_EINVAL);
	/* NULL text with no length is an empty cell */
	assert_int_equal(jx_value_parse(NULL, 0, NULL, &v), JX_OK);
	assert_int_equal(v.kind, JX_VALUE_EMPTY);
	/* only len bytes are read */
	assert_int_equal(jx_value_parse("95%abc", 3, NULL, &v), JX_OK);
	assert_int_equal(v.kind, JX_VALUE_NUMBER);
	assert_int_equal(v.num, 95 * JX_DEC_SCALE);
	/* the limit is inclusive: 512 bytes parse, 513 do not */
	memset(big, 'a', sizeof(big));
	assert_int_equal(jx_value_parse(big, JX_MAX_VALUE_TEXT, NULL, &v),
	                 JX_OK);
	assert_int_equal(v.kind, JX_VALUE_WORD);
	assert_int_equal(v.word_len, JX_MAX_VALUE_TEXT);
	assert_int_equal(jx_value_parse(big, JX_MAX_VALUE_TEXT + 1, NULL, &v),
	                 JX_OK);
	assert_int_equal(v.kind, JX_VALUE_UNPARSED);
	assert_non_null(strstr(v.error, "过长"));
	/* 512 bytes of full-width digits fold to fewer: still a number */
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i + 3 <= 510; i += 3)
		memcpy(big + i, "\xef\xbc\x90", 3); /* ０ */
	memcpy(big + 510, "\xef\xbc\x91", 3);       /* １ */
	assert_int_equal(jx_value_parse(big, 510, NULL, &v), JX_OK);
	assert_int_equal(v.kind, JX_VALUE_NUMBER);
	assert_int_equal(v.num, 0);
	/* an embedded NUL is not a space: part of a word */
	assert_int_equal(jx_value_parse("及\0时", 7, NULL, &v), JX_OK);
	assert_int_equal(v.kind, JX_VALUE_WORD);
	assert_int_equal(v.word_len, 7);
}

struct unit_case {
	const char *spelling;
	const char *name; /* NULL: not found */
	enum jx_dim dim;
	jx_dec factor;
};

#define U(n) ((jx_dec)(n)*JX_DEC_SCALE)

static const struct unit_case unit_cases[] = {
        /* money in 元 */
        {"元", "元", JX_DIM_MONEY, U(1)},
        {"千元", "千元", JX_DIM_MONEY, U(1000)},
        {"万元", "万元", JX_DIM_MONEY, U(10000)},
        {"百万元", "百万元", JX_DIM_MONEY, U(1000000)},
        {"千万元", "千万元", JX_DIM_MONEY, U(10000000)},
        {"亿元", "亿元", JX_DIM_MONEY, U(100000000)},
        /* spaces and full-width letters fold away */
        {"万 元", "万元", JX_DIM_MONEY, U(10000)},
        /* time in seconds */
        {"秒", "秒", JX_DIM_TIME, U(1)},
        {"秒钟", "秒", JX_DIM_TIME, U(1)},
        {"分钟", "分钟", JX_DIM_TIME, U(60)},
        {"min", "分钟", JX_DIM_TIME, U(60)},
        {"分", "分", JX_DIM_TIME, U(60)},
        {"小时", "小时", JX_DIM_TIME, U(3600)},
        {"时", "小时", JX_DIM_TIME, U(3600)},
        {"H", "小时", JX_DIM_TIME, U(3600)},
        {"天", "天", JX_DIM_TIME, U(86400)},
        {"日", "天", JX_DIM_TIME, U(86400)},
        /* a working day counts as a day */
        {"工作日", "个工作日", JX_DIM_TIME, U(86400)},
        {"周", "周", JX_DIM_TIME, U(604800)},
        {"个星期", "周", JX_DIM_TIME, U(604800)},
        /* a month is 30 days, a year 365 */
        {"月", "个月", JX_DIM_TIME, U(2592000)},
        {"个月", "个月", JX_DIM_TIME, U(2592000)},
        {"年", "年", JX_DIM_TIME, U(31536000)},
        /* ratios as fractions */
        {"%", "%", JX_DIM_RATIO, 10000},
        {"％", "%", JX_DIM_RATIO, 10000},
        {"百分比", "%", JX_DIM_RATIO, 10000},
        {"‰", "‰", JX_DIM_RATIO, 1000},
        /* counts are their own base */
        {"项", "项", JX_DIM_COUNT, U(1)},
        {"人次", "人次", JX_DIM_COUNT, U(1)},
        {"名", "人", JX_DIM_COUNT, U(1)},
        {"批次", "批次", JX_DIM_COUNT, U(1)},
        /* other measures */
        {"km", "公里", JX_DIM_OTHER, U(1)},
        {"ｋｍ", "公里", JX_DIM_OTHER, U(1)},
        {"平方公里", "平方公里", JX_DIM_OTHER, U(1)},
        {"kWh", "千瓦时", JX_DIM_OTHER, U(1)},
        {"KWH", "千瓦时", JX_DIM_OTHER, U(1)},
        {"TB", "TB", JX_DIM_OTHER, U(1)},
        /* not units */
        {"万", NULL, JX_DIM_NONE, 0},
        {"斤", NULL, JX_DIM_NONE, 0},
        {"", NULL, JX_DIM_NONE, 0},
        {"万元万元万元万元万元万元万元万元万元万元万元万元万元万元万元万元万元"
         "万"
         "元万元万元万元万元",
         NULL, JX_DIM_NONE, 0},
        {"\xff", NULL, JX_DIM_NONE, 0},
};

static void
test_unit_find(void **state)
{
	const struct jx_unit *u, *again;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unit_cases) / sizeof(unit_cases[0]); i++) {
		const struct unit_case *c = &unit_cases[i];

		u = jx_value_unit_find(c->spelling, strlen(c->spelling));
		if (c->name == NULL) {
			if (u != NULL)
				fail_msg("row %zu \"%s\": found %s", i,
				         c->spelling, u->name);
			continue;
		}
		if (u == NULL)
			fail_msg("row %zu \"%s\": not found", i, c->spelling);
		if (strcmp(u->name, c->name) != 0 || u->dim != c->dim ||
		    u->factor != c->factor)
			fail_msg("row %zu \"%s\": %s dim %d factor %lld", i,
			         c->spelling, u->name, (int)u->dim,
			         (long long)u->factor);
		/* the canonical name finds the same entry */
		again = jx_value_unit_find(u->name, strlen(u->name));
		assert_ptr_equal(again, u);
	}
	assert_null(jx_value_unit_find(NULL, 0));
}

/* Every spelling of the unit table (docs/internals/value.md) and its
 * canonical unit; ASCII ones in other cases too. lookup_unit searches a
 * sorted table: an entry out of order would not be found. */
struct spelling_case {
	const char *spelling, *name;
};

static const struct spelling_case every_spelling[] = {
        {"元", "元"},
        {"千元", "千元"},
        {"万元", "万元"},
        {"百万元", "百万元"},
        {"千万元", "千万元"},
        {"亿元", "亿元"},
        {"秒", "秒"},
        {"秒钟", "秒"},
        {"分钟", "分钟"},
        {"分", "分"},
        {"min", "分钟"},
        {"MIN", "分钟"},
        {"小时", "小时"},
        {"个小时", "小时"},
        {"时", "小时"},
        {"h", "小时"},
        {"H", "小时"},
        {"天", "天"},
        {"日", "天"},
        {"工作日", "个工作日"},
        {"个工作日", "个工作日"},
        {"周", "周"},
        {"星期", "周"},
        {"个星期", "周"},
        {"个月", "个月"},
        {"月", "个月"},
        {"年", "年"},
        {"%", "%"},
        {"百分比", "%"},
        {"百分点", "%"},
        {"个百分点", "%"},
        {"‰", "‰"},
        {"项", "项"},
        {"个", "个"},
        {"台", "台"},
        {"次", "次"},
        {"人", "人"},
        {"名", "人"},
        {"位", "人"},
        {"人次", "人次"},
        {"家", "家"},
        {"套", "套"},
        {"件", "件"},
        {"户", "户"},
        {"户次", "户次"},
        {"场", "场"},
        {"场次", "场次"},
        {"篇", "篇"},
        {"份", "份"},
        {"本", "本"},
        {"条", "条"},
        {"所", "所"},
        {"座", "座"},
        {"处", "处"},
        {"批", "批"},
        {"批次", "批次"},
        {"期", "期"},
        {"辆", "辆"},
        {"块", "块"},
        {"张", "张"},
        {"册", "册"},
        {"间", "间"},
        {"栋", "栋"},
        {"部", "部"},
        {"门", "门"},
        {"类", "类"},
        {"宗", "宗"},
        {"起", "起"},
        {"例", "例"},
        {"株", "株"},
        {"棵", "棵"},
        {"头", "头"},
        {"只", "只"},
        {"组", "组"},
        {"公里", "公里"},
        {"千米", "公里"},
        {"km", "公里"},
        {"KM", "公里"},
        {"米", "米"},
        {"m", "米"},
        {"M", "米"},
        {"平方米", "平方米"},
        {"㎡", "平方米"},
        {"m2", "平方米"},
        {"M2", "平方米"},
        {"m²", "平方米"},
        {"平方公里", "平方公里"},
        {"亩", "亩"},
        {"公顷", "公顷"},
        {"立方米", "立方米"},
        {"m3", "立方米"},
        {"M3", "立方米"},
        {"m³", "立方米"},
        {"吨", "吨"},
        {"千克", "千克"},
        {"公斤", "千克"},
        {"kg", "千克"},
        {"KG", "千克"},
        {"千瓦时", "千瓦时"},
        {"度", "千瓦时"},
        {"kWh", "千瓦时"},
        {"KWH", "千瓦时"},
        {"kwh", "千瓦时"},
        {"MB", "MB"},
        {"mb", "MB"},
        {"GB", "GB"},
        {"gb", "GB"},
        {"TB", "TB"},
        {"tb", "TB"},
};

static void
test_unit_every_spelling(void **state)
{
	const struct jx_unit *u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(every_spelling) / sizeof(every_spelling[0]);
	     i++) {
		u = jx_value_unit_find(every_spelling[i].spelling,
		                       strlen(every_spelling[i].spelling));
		if (u == NULL || strcmp(u->name, every_spelling[i].name) != 0)
			fail_msg("row %zu \"%s\": %s, want %s", i,
			         every_spelling[i].spelling,
			         u != NULL ? u->name : "not found",
			         every_spelling[i].name);
	}
	/* near misses: a prefix, an extension, a neighbour in the order */
	assert_null(jx_value_unit_find("平方", strlen("平方")));
	assert_null(jx_value_unit_find("万元整", strlen("万元整")));
	assert_null(jx_value_unit_find("个工作", strlen("个工作")));
	assert_null(jx_value_unit_find("kw", 2));
	assert_null(jx_value_unit_find("mm", 2));
	assert_null(jx_value_unit_find("%%", 2));
}

struct name_case {
	const char *name;
	const char *unit; /* NULL: none */
};

static const struct name_case name_cases[] = {
        /* P3's names */
        {"信息系统电费（万元）", "万元"},
        {"维护信息系统的数量（个）", "个"},
        {"信息系统全年无安全事故率（%）", "%"},
        /* P4's, with a prefix */
        {"指标1：技术服务内容（项）", "项"},
        /* ASCII brackets */
        {"故障解决率(%)", "%"},
        /* full-width percent */
        {"系统平台故障解决率（％）", "%"},
        /* spaces inside and after */
        {"电费（ 万元 ） ", "万元"},
        /* a synonym */
        {"响应时间（日）", "天"},
        /* brackets not at the end */
        {"促进市（区、县）数据共享", NULL},
        /* not a unit */
        {"费用（万元/年）", NULL},
        {"调查（抽样）", NULL},
        /* no bracket */
        {"指标1：成本节约率", NULL},
        /* only a closing bracket */
        {"电费万元）", NULL},
        {")", NULL},
        /* empty brackets, empty name */
        {"电费（）", NULL},
        {"", NULL},
        /* two groups: the last one counts */
        {"数量（年度）（个）", "个"},
};

static void
test_unit_from_name(void **state)
{
	const struct jx_unit *u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const struct name_case *c = &name_cases[i];

		u = jx_value_unit_from_name(c->name);
		if ((u == NULL) != (c->unit == NULL) ||
		    (u != NULL && strcmp(u->name, c->unit) != 0))
			fail_msg("row %zu \"%s\": %s, want %s", i, c->name,
			         u ? u->name : "none",
			         c->unit ? c->unit : "none");
	}
	assert_null(jx_value_unit_from_name(NULL));
}

struct align_case {
	const char *t, *t_hint;
	const char *a, *a_hint;
	enum jx_err err;
	const char *t_base, *a_base; /* jx_dec_format(-1) */
};

static const struct align_case align_cases[] = {
        /* P1 故障排除率: a bare fraction against 100% */
        {"100%", NULL, "0.95", NULL, JX_OK, "1", "0.95"},
        /* the other way round */
        {"0.95", NULL, "95%", NULL, JX_OK, "0.95", "0.95"},
        /* a bare 1 against 100% is 100% */
        {"100%", NULL, "1", NULL, JX_OK, "1", "1"},
        /* ... but against ≤1% it is 1%: 1% is not above 1% */
        {"≤1%", NULL, "1", NULL, JX_OK, "0.01", "0.01"},
        /* a bare 0.5 against ≤1% is 0.5% */
        {"≤1%", NULL, "0.5", NULL, JX_OK, "0.01", "0.005"},
        /* above 1: takes the % */
        {"90", NULL, "95%", NULL, JX_OK, "0.9", "0.95"},
        /* a bare 1.5 is not a fraction: 1.5% (the rule is <= 1) */
        {"100%", NULL, "1.5", NULL, JX_OK, "1", "0.015"},
        /* negative fractions count too */
        {"10%", NULL, "-0.5", NULL, JX_OK, "0.1", "-0.5"},
        /* the name's (%) on both sides: 95 and 0.95 are the same rate */
        {"95", "运行率（%）", "0.95", "运行率（%）", JX_OK, "0.95", "0.95"},
        {"0.9", "运行率（%）", "95", "运行率（%）", JX_OK, "0.9", "0.95"},
        /* both at most 1 under (%): both percentages */
        {"1", "故障率(%)", "0.5", "故障率(%)", JX_OK, "0.01", "0.005"},
        /* both bare: as written */
        {"1", NULL, "0.95", NULL, JX_OK, "1", "0.95"},
        {"7", NULL, "7", NULL, JX_OK, "7", "7"},
        /* P1 视频会议运维: different counts */
        {"1项", NULL, "2台", NULL, JX_EINVAL, NULL, NULL},
        /* the same count */
        {"1 项", NULL, "1项", NULL, JX_OK, "1", "1"},
        /* P3: the name's unit against the written one */
        {"1", "维护信息系统的数量（个）", "1个", NULL, JX_OK, "1", "1"},
        /* ... and a name's count against a different written count */
        {"1", "维护信息系统的数量（个）", "1项", NULL, JX_EINVAL, NULL, NULL},
        /* P0 cost line in 元 */
        {"134万元", NULL, "131.4万元", NULL, JX_OK, "1340000", "1314000"},
        /* P3 电费: "12" under (万元) against 8.57万元 */
        {"12", "信息系统电费（万元）", "8.57万元", NULL, JX_OK, "120000",
         "85700"},
        /* money units convert */
        {"≤90万元", NULL, "85000元", NULL, JX_OK, "900000", "85000"},
        {"3亿元", NULL, "0.5千元", NULL, JX_OK, "300000000", "500"},
        /* a bare side takes the other's money unit */
        {"50", NULL, "40万元", NULL, JX_OK, "500000", "400000"},
        /* time converts */
        {"≤1小时", NULL, "30分钟", NULL, JX_OK, "3600", "1800"},
        {"≤2个工作日", NULL, "1天", NULL, JX_OK, "172800", "86400"},
        {"1年", NULL, "12个月", NULL, JX_OK, "31536000", "31104000"},
        {"1周", NULL, "7日", NULL, JX_OK, "604800", "604800"},
        {"≤30分", NULL, "0.5小时", NULL, JX_OK, "1800", "1800"},
        /* per mille against percent */
        {"5‰", NULL, "0.4%", NULL, JX_OK, "0.005", "0.004"},
        /* a bare number against ‰ takes ‰ (5‰ is not above 1%) */
        {"5‰", NULL, "0.3", NULL, JX_OK, "0.005", "0.0003"},
        /* % to a fraction rounds once at 6 places */
        {"33.333333%", NULL, "66.666667%", NULL, JX_OK, "0.333333", "0.666667"},
        {"0.00005%", NULL, "0.00004%", NULL, JX_OK, "0.000001", "0"},
        /* bound forms align like plain numbers */
        {"≥90%", NULL, "≥90%", NULL, JX_OK, "0.9", "0.9"},
        /* synonyms are the same unit */
        {"3千米", NULL, "3公里", NULL, JX_OK, "3", "3"},
        {"5名", NULL, "5人", NULL, JX_OK, "5", "5"},
        /* other measures do not convert between themselves */
        {"10公里", NULL, "10000米", NULL, JX_EINVAL, NULL, NULL},
        /* different dimensions */
        {"50%", NULL, "5天", NULL, JX_EINVAL, NULL, NULL},
        {"50万元", NULL, "50%", NULL, JX_EINVAL, NULL, NULL},
        {"1项", NULL, "1小时", NULL, JX_EINVAL, NULL, NULL},
        /* a count against a percentage: no fraction rule */
        {"1个", NULL, "100%", NULL, JX_EINVAL, NULL, NULL},
        /* overflow converting 亿元 to 元 */
        {"9000000亿元", NULL, "1元", NULL, JX_ETOOBIG, NULL, NULL},
        /* not numbers */
        {"95%", NULL, "及时", NULL, JX_EINVAL, NULL, NULL},
        {"", NULL, "95%", NULL, JX_EINVAL, NULL, NULL},
        {"90%-95%", NULL, "95%", NULL, JX_EINVAL, NULL, NULL},
};

static void
test_align_table(void **state)
{
	char tb[64], ab[64];
	struct jx_value t, a;
	jx_dec t_base, a_base;
	enum jx_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(align_cases) / sizeof(align_cases[0]); i++) {
		const struct align_case *c = &align_cases[i];

		assert_int_equal(
		        jx_value_parse(c->t, strlen(c->t), c->t_hint, &t),
		        JX_OK);
		assert_int_equal(
		        jx_value_parse(c->a, strlen(c->a), c->a_hint, &a),
		        JX_OK);
		t_base = a_base = 777;
		err = jx_value_align(&t, &a, &t_base, &a_base);
		if (err != c->err)
			fail_msg("row %zu %s vs %s: err %d, want %d", i, c->t,
			         c->a, (int)err, (int)c->err);
		if (err != JX_OK) {
			/* outputs assigned only on success */
			assert_int_equal(t_base, 777);
			assert_int_equal(a_base, 777);
			continue;
		}
		jx_dec_format(t_base, -1, tb, sizeof(tb));
		jx_dec_format(a_base, -1, ab, sizeof(ab));
		if (strcmp(tb, c->t_base) != 0 || strcmp(ab, c->a_base) != 0)
			fail_msg("row %zu %s vs %s: %s / %s, want %s / %s", i,
			         c->t, c->a, tb, ab, c->t_base, c->a_base);
	}
	assert_int_equal(jx_value_align(NULL, &a, &t_base, &a_base), JX_EINVAL);
	assert_int_equal(jx_value_align(&t, &a, NULL, &a_base), JX_EINVAL);
}

static void
test_format(void **state)
{
	struct jx_value v;
	char buf[32];

	(void)state;
	assert_string_equal(jx_value_cmp_symbol(JX_CMP_GE), "≥");
	assert_string_equal(jx_value_cmp_symbol(JX_CMP_GT), ">");
	assert_string_equal(jx_value_cmp_symbol(JX_CMP_LE), "≤");
	assert_string_equal(jx_value_cmp_symbol(JX_CMP_LT), "<");
	assert_string_equal(jx_value_cmp_symbol(JX_CMP_EQ), "=");
	assert_string_equal(jx_value_cmp_symbol(JX_CMP_NONE), "");

	/* canonical text: folded, spaces gone, synonyms replaced */
	jx_value_parse(" 不低于 ９０ 百分比 ", strlen(" 不低于 ９０ 百分比 "),
	               NULL, &v);
	assert_int_equal(jx_value_format(&v, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "≥90%");
	jx_value_parse("131.40 万元", strlen("131.40 万元"), NULL, &v);
	jx_value_format(&v, buf, sizeof(buf));
	assert_string_equal(buf, "131.4万元");
	/* a unit from the name is written out */
	jx_value_parse("12", strlen("12"), "信息系统电费（万元）", &v);
	jx_value_format(&v, buf, sizeof(buf));
	assert_string_equal(buf, "12万元");
	/* truncated at cap - 1 bytes, possibly inside a character */
	jx_value_parse("≥95%", strlen("≥95%"), NULL, &v);
	assert_int_equal(jx_value_format(&v, buf, 4), 3);
	assert_string_equal(buf, "≥");
	assert_int_equal(jx_value_format(&v, buf, 2), 1);
	/* cap 0 writes nothing */
	buf[0] = 'x';
	assert_int_equal(jx_value_format(&v, buf, 0), 0);
	assert_int_equal(buf[0], 'x');
	/* empty and unparsed write "" */
	jx_value_parse("—", strlen("—"), NULL, &v);
	assert_int_equal(jx_value_format(&v, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	jx_value_parse("90%-95%", strlen("90%-95%"), NULL, &v);
	assert_int_equal(jx_value_format(&v, buf, sizeof(buf)), 0);
	assert_int_equal(jx_value_format(NULL, buf, sizeof(buf)), 0);
}

/* Every target and actual of the seed interchange files parses. */
static size_t
check_seed_file(const char *path)
{
	json_error_t jerr;
	json_t *root, *inds, *ind;
	size_t i, n = 0, k;
	static const char *const fields[] = {"target", "actual"};

	root = json_load_file(path, 0, &jerr);
	if (root == NULL)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	inds = json_object_get(root, "indicators");
	json_array_foreach(inds, i, ind)
	{
		const char *name =
		        json_string_value(json_object_get(ind, "name"));

		for (k = 0; k < 2; k++) {
			json_t *s = json_object_get(ind, fields[k]);
			struct jx_value v;

			if (!json_is_string(s))
				continue;
			assert_int_equal(jx_value_parse(json_string_value(s),
			                                json_string_length(s),
			                                name, &v),
			                 JX_OK);
			if (v.kind == JX_VALUE_UNPARSED)
				fail_msg("%s: indicators[%zu].%s \"%s\": %s",
				         path, i, fields[k],
				         json_string_value(s), v.error);
			n++;
		}
	}
	json_decref(root);
	return n;
}

static void
test_seed_files(void **state)
{
	char path[1024];
	struct dirent *de;
	size_t values = 0, len;
	DIR *d;

	(void)state;
	d = opendir(JX_SOURCE_DIR "/tests/data/seeds");
	if (d == NULL)
		skip();
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/tests/data/seeds/%s",
		         JX_SOURCE_DIR, de->d_name);
		values += check_seed_file(path);
	}
	closedir(d);
	assert_true(values > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_table),
	        cmocka_unit_test(test_parse_api),
	        cmocka_unit_test(test_unit_find),
	        cmocka_unit_test(test_unit_every_spelling),
	        cmocka_unit_test(test_unit_from_name),
	        cmocka_unit_test(test_align_table),
	        cmocka_unit_test(test_format),
	        cmocka_unit_test(test_seed_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
