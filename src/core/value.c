/*
 * value.c - read the text of a target (年度指标值) or an actual value
 * (实际完成值) into a comparison, an exact number and a unit, or a word.
 *
 * The text is folded once into a stack buffer (full-width forms to ASCII,
 * every space removed), then read left to right:
 *
 *     [prefix comparison] [sign] number [unit] [suffix comparison]
 *
 * with the unit looked up in one built-in table and a unit written in
 * brackets at the end of the indicator's name ("信息系统电费（万元）") used
 * when the value has none. Text without any digit is a word. Anything else
 * (ranges such as "90%-95%", two numbers, a remark after the unit, an
 * unknown unit) is UNPARSED with a static zh-CN reason: this module never
 * guesses. docs/internals/value.md gives the grammar and the tables.
 *
 * It deliberately does not decide what a word means or which way a bare
 * number points (that is the rule set's business), allocates nothing, keeps
 * no state and does no I/O.
 */
#include <string.h>

#include "jx/limits.h"
#include "jx/text.h"
#include "jx/value.h"

/* Unparsed reasons. Static; callers show them to the user as they are. */
#define R_TOO_LONG  "文字过长，超过指标值的长度上限"
#define R_UTF8      "不是有效的UTF-8文字"
#define R_CMP_ONLY  "只有比较符号或单位，缺少数值"
#define R_PREFIX    "数值前有无法识别的文字"
#define R_NUMBER    "数值格式错误"
#define R_THOUSANDS "千分位分隔符位置不对（应为“1,200”这样每三位一个）"
#define R_PLACES    "小数位数超过6位"
#define R_TOO_BIG   "数值超出可表示的范围"
#define R_RANGE                                                                \
	"区间值（如“90%-95%”）不能作为单一指标值，请写成“≥90%”这样的单一数值"
#define R_MULTI    "含有多个数值，无法确定取哪一个"
#define R_UNIT     "单位无法识别（不在单位表中）"
#define R_TRAILING "数值和单位后面有无法识别的文字"
#define R_CONFLICT "前后的比较符号相互矛盾"

#define D(n) ((jx_dec)(n)*JX_DEC_SCALE)

/* Canonical units; the order is the index used by the spelling table. */
enum {
	U_YUAN,
	U_QIANYUAN,
	U_WANYUAN,
	U_BAIWANYUAN,
	U_QIANWANYUAN,
	U_YIYUAN,
	U_SECOND,
	U_MINUTE,
	U_FEN_MINUTE,
	U_HOUR,
	U_DAY,
	U_WORKDAY,
	U_WEEK,
	U_MONTH,
	U_YEAR,
	U_PERCENT,
	U_PERMILLE,
	U_XIANG,
	U_GE,
	U_TAI,
	U_CI,
	U_REN,
	U_RENCI,
	U_JIA,
	U_TAO,
	U_JIAN,
	U_HU,
	U_HUCI,
	U_CHANG,
	U_CHANGCI,
	U_PIAN,
	U_FEN,
	U_BEN,
	U_TIAO,
	U_SUO,
	U_ZUO,
	U_CHU,
	U_PI,
	U_PICI,
	U_QI,
	U_LIANG,
	U_KUAI,
	U_ZHANG,
	U_CE,
	U_JIAN_ROOM,
	U_DONG,
	U_BU,
	U_MEN,
	U_LEI,
	U_ZONG,
	U_QI_CASE,
	U_LI,
	U_ZHU,
	U_KE,
	U_TOU,
	U_ZHI,
	U_ZU,
	U_KM,
	U_M,
	U_M2,
	U_KM2,
	U_MU,
	U_HECTARE,
	U_M3,
	U_TON,
	U_KG,
	U_KWH,
	U_MB,
	U_GB,
	U_TB,
	U_COUNT_ALL
};

static const struct jx_unit unit_tab[U_COUNT_ALL] = {
        /* money, base 元 */
        [U_YUAN] = {"元", JX_DIM_MONEY, D(1)},
        [U_QIANYUAN] = {"千元", JX_DIM_MONEY, D(1000)},
        [U_WANYUAN] = {"万元", JX_DIM_MONEY, D(10000)},
        [U_BAIWANYUAN] = {"百万元", JX_DIM_MONEY, D(1000000)},
        [U_QIANWANYUAN] = {"千万元", JX_DIM_MONEY, D(10000000)},
        [U_YIYUAN] = {"亿元", JX_DIM_MONEY, D(100000000)},
        /* time, base 秒; 工作日 = 天, 个月 = 30 天, 年 = 365 天 */
        [U_SECOND] = {"秒", JX_DIM_TIME, D(1)},
        [U_MINUTE] = {"分钟", JX_DIM_TIME, D(60)},
        /* "分" keeps its spelling: tables also write points (得分) that way,
         * and "90分" must not come back as "90分钟". */
        [U_FEN_MINUTE] = {"分", JX_DIM_TIME, D(60)},
        [U_HOUR] = {"小时", JX_DIM_TIME, D(3600)},
        [U_DAY] = {"天", JX_DIM_TIME, D(86400)},
        [U_WORKDAY] = {"个工作日", JX_DIM_TIME, D(86400)},
        [U_WEEK] = {"周", JX_DIM_TIME, D(604800)},
        [U_MONTH] = {"个月", JX_DIM_TIME, D(2592000)},
        [U_YEAR] = {"年", JX_DIM_TIME, D(31536000)},
        /* ratio, base a fraction */
        [U_PERCENT] = {"%", JX_DIM_RATIO, JX_DEC_SCALE / 100},
        [U_PERMILLE] = {"‰", JX_DIM_RATIO, JX_DEC_SCALE / 1000},
        /* counts: each its own base */
        [U_XIANG] = {"项", JX_DIM_COUNT, D(1)},
        [U_GE] = {"个", JX_DIM_COUNT, D(1)},
        [U_TAI] = {"台", JX_DIM_COUNT, D(1)},
        [U_CI] = {"次", JX_DIM_COUNT, D(1)},
        [U_REN] = {"人", JX_DIM_COUNT, D(1)},
        [U_RENCI] = {"人次", JX_DIM_COUNT, D(1)},
        [U_JIA] = {"家", JX_DIM_COUNT, D(1)},
        [U_TAO] = {"套", JX_DIM_COUNT, D(1)},
        [U_JIAN] = {"件", JX_DIM_COUNT, D(1)},
        [U_HU] = {"户", JX_DIM_COUNT, D(1)},
        [U_HUCI] = {"户次", JX_DIM_COUNT, D(1)},
        [U_CHANG] = {"场", JX_DIM_COUNT, D(1)},
        [U_CHANGCI] = {"场次", JX_DIM_COUNT, D(1)},
        [U_PIAN] = {"篇", JX_DIM_COUNT, D(1)},
        [U_FEN] = {"份", JX_DIM_COUNT, D(1)},
        [U_BEN] = {"本", JX_DIM_COUNT, D(1)},
        [U_TIAO] = {"条", JX_DIM_COUNT, D(1)},
        [U_SUO] = {"所", JX_DIM_COUNT, D(1)},
        [U_ZUO] = {"座", JX_DIM_COUNT, D(1)},
        [U_CHU] = {"处", JX_DIM_COUNT, D(1)},
        [U_PI] = {"批", JX_DIM_COUNT, D(1)},
        [U_PICI] = {"批次", JX_DIM_COUNT, D(1)},
        [U_QI] = {"期", JX_DIM_COUNT, D(1)},
        [U_LIANG] = {"辆", JX_DIM_COUNT, D(1)},
        [U_KUAI] = {"块", JX_DIM_COUNT, D(1)},
        [U_ZHANG] = {"张", JX_DIM_COUNT, D(1)},
        [U_CE] = {"册", JX_DIM_COUNT, D(1)},
        [U_JIAN_ROOM] = {"间", JX_DIM_COUNT, D(1)},
        [U_DONG] = {"栋", JX_DIM_COUNT, D(1)},
        [U_BU] = {"部", JX_DIM_COUNT, D(1)},
        [U_MEN] = {"门", JX_DIM_COUNT, D(1)},
        [U_LEI] = {"类", JX_DIM_COUNT, D(1)},
        [U_ZONG] = {"宗", JX_DIM_COUNT, D(1)},
        [U_QI_CASE] = {"起", JX_DIM_COUNT, D(1)},
        [U_LI] = {"例", JX_DIM_COUNT, D(1)},
        [U_ZHU] = {"株", JX_DIM_COUNT, D(1)},
        [U_KE] = {"棵", JX_DIM_COUNT, D(1)},
        [U_TOU] = {"头", JX_DIM_COUNT, D(1)},
        [U_ZHI] = {"只", JX_DIM_COUNT, D(1)},
        [U_ZU] = {"组", JX_DIM_COUNT, D(1)},
        /* other measures: each its own base, no conversion between them */
        [U_KM] = {"公里", JX_DIM_OTHER, D(1)},
        [U_M] = {"米", JX_DIM_OTHER, D(1)},
        [U_M2] = {"平方米", JX_DIM_OTHER, D(1)},
        [U_KM2] = {"平方公里", JX_DIM_OTHER, D(1)},
        [U_MU] = {"亩", JX_DIM_OTHER, D(1)},
        [U_HECTARE] = {"公顷", JX_DIM_OTHER, D(1)},
        [U_M3] = {"立方米", JX_DIM_OTHER, D(1)},
        [U_TON] = {"吨", JX_DIM_OTHER, D(1)},
        [U_KG] = {"千克", JX_DIM_OTHER, D(1)},
        [U_KWH] = {"千瓦时", JX_DIM_OTHER, D(1)},
        [U_MB] = {"MB", JX_DIM_OTHER, D(1)},
        [U_GB] = {"GB", JX_DIM_OTHER, D(1)},
        [U_TB] = {"TB", JX_DIM_OTHER, D(1)},
};

/*
 * Every accepted spelling (after folding) and the unit it means, ASCII
 * letters in lower case (they match in any case), one array per length in
 * bytes, each sorted by bytes for the binary search in lookup_unit: keep
 * them so (test_value.c looks up every spelling). docs/internals/value.md
 * lists them by unit.
 */
struct spelling {
	const char *s;
	unsigned char len;
	unsigned char unit;
};

#define SP(str, u)                                                             \
	{                                                                      \
		str, (unsigned char)(sizeof(str) - 1), u                       \
	}

/* one byte */
static const struct spelling spell_1[] = {
        SP("%", U_PERCENT),
        SP("h", U_HOUR),
        SP("m", U_M),
};

/* two bytes */
static const struct spelling spell_2[] = {
        SP("gb", U_GB), SP("kg", U_KG), SP("km", U_KM), SP("m2", U_M2),
        SP("m3", U_M3), SP("mb", U_MB), SP("tb", U_TB),
};

/* three bytes: three letters, or one CJK character or symbol */
static const struct spelling spell_3[] = {
        SP("kwh", U_KWH),       SP("min", U_MINUTE),   SP("m²", U_M2),
        SP("m³", U_M3),         SP("‰", U_PERMILLE),   SP("㎡", U_M2),
        SP("个", U_GE),         SP("亩", U_MU),        SP("人", U_REN),
        SP("件", U_JIAN),       SP("份", U_FEN),       SP("位", U_REN),
        SP("例", U_LI),         SP("元", U_YUAN),      SP("册", U_CE),
        SP("分", U_FEN_MINUTE), SP("只", U_ZHI),       SP("台", U_TAI),
        SP("名", U_REN),        SP("吨", U_TON),       SP("周", U_WEEK),
        SP("场", U_CHANG),      SP("块", U_KUAI),      SP("处", U_CHU),
        SP("天", U_DAY),        SP("头", U_TOU),       SP("套", U_TAO),
        SP("宗", U_ZONG),       SP("家", U_JIA),       SP("年", U_YEAR),
        SP("度", U_KWH),        SP("座", U_ZUO),       SP("张", U_ZHANG),
        SP("户", U_HU),         SP("所", U_SUO),       SP("批", U_PI),
        SP("日", U_DAY),        SP("时", U_HOUR),      SP("月", U_MONTH),
        SP("期", U_QI),         SP("本", U_BEN),       SP("条", U_TIAO),
        SP("栋", U_DONG),       SP("株", U_ZHU),       SP("棵", U_KE),
        SP("次", U_CI),         SP("秒", U_SECOND),    SP("篇", U_PIAN),
        SP("米", U_M),          SP("类", U_LEI),       SP("组", U_ZU),
        SP("起", U_QI_CASE),    SP("辆", U_LIANG),     SP("部", U_BU),
        SP("门", U_MEN),        SP("间", U_JIAN_ROOM), SP("项", U_XIANG),
};

/* six bytes: two CJK characters */
static const struct spelling spell_6[] = {
        SP("万元", U_WANYUAN), SP("个月", U_MONTH),  SP("人次", U_RENCI),
        SP("亿元", U_YIYUAN),  SP("公斤", U_KG),     SP("公里", U_KM),
        SP("公顷", U_HECTARE), SP("分钟", U_MINUTE), SP("千元", U_QIANYUAN),
        SP("千克", U_KG),      SP("千米", U_KM),     SP("场次", U_CHANGCI),
        SP("小时", U_HOUR),    SP("户次", U_HUCI),   SP("批次", U_PICI),
        SP("星期", U_WEEK),    SP("秒钟", U_SECOND),
};

/* nine bytes: three CJK characters */
static const struct spelling spell_9[] = {
        SP("个小时", U_HOUR),        SP("个星期", U_WEEK),
        SP("千万元", U_QIANWANYUAN), SP("千瓦时", U_KWH),
        SP("工作日", U_WORKDAY),     SP("平方米", U_M2),
        SP("百万元", U_BAIWANYUAN),  SP("百分比", U_PERCENT),
        SP("百分点", U_PERCENT),     SP("立方米", U_M3),
};

/* twelve bytes: four CJK characters */
static const struct spelling spell_12[] = {
        SP("个工作日", U_WORKDAY),
        SP("个百分点", U_PERCENT),
        SP("平方公里", U_KM2),
};

struct spelling_set {
	const struct spelling *tab;
	size_t n;
};

#define SET(t)                                                                 \
	{                                                                      \
		t, sizeof(t) / sizeof((t)[0])                                  \
	}

/* The spellings of each length; the longest has 12 bytes. */
static const struct spelling_set spell_by_len[13] = {
        [1] = SET(spell_1), [2] = SET(spell_2), [3] = SET(spell_3),
        [6] = SET(spell_6), [9] = SET(spell_9), [12] = SET(spell_12),
};

/* Comparison words and symbols, as written before the number. None
 * begins with a digit or a point: that is where the number starts, and
 * match_prefix relies on it to skip this table for a bare number ... */
struct cmp_word {
	const char *s;
	unsigned char len;
	unsigned char cmp;
};

#define CW(str, c)                                                             \
	{                                                                      \
		str, (unsigned char)(sizeof(str) - 1), c                       \
	}

static const struct cmp_word prefix_tab[] = {
        CW("≥", JX_CMP_GE),          CW("≧", JX_CMP_GE),
        CW("⩾", JX_CMP_GE),          CW(">=", JX_CMP_GE),
        CW("=>", JX_CMP_GE),         CW("≥=", JX_CMP_GE),
        CW("不低于", JX_CMP_GE),     CW("不少于", JX_CMP_GE),
        CW("不小于", JX_CMP_GE),     CW("大于等于", JX_CMP_GE),
        CW("大于或等于", JX_CMP_GE), CW("高于或等于", JX_CMP_GE),
        CW("达到", JX_CMP_GE),       CW("至少", JX_CMP_GE),

        CW(">", JX_CMP_GT),          CW("大于", JX_CMP_GT),
        CW("高于", JX_CMP_GT),       CW("超过", JX_CMP_GT),
        CW("多于", JX_CMP_GT),

        CW("≤", JX_CMP_LE),          CW("≦", JX_CMP_LE),
        CW("⩽", JX_CMP_LE),          CW("<=", JX_CMP_LE),
        CW("=<", JX_CMP_LE),         CW("≤=", JX_CMP_LE),
        CW("不高于", JX_CMP_LE),     CW("不超过", JX_CMP_LE),
        CW("不大于", JX_CMP_LE),     CW("不多于", JX_CMP_LE),
        CW("小于等于", JX_CMP_LE),   CW("小于或等于", JX_CMP_LE),
        CW("低于或等于", JX_CMP_LE), CW("控制在", JX_CMP_LE),
        CW("至多", JX_CMP_LE),

        CW("<", JX_CMP_LT),          CW("小于", JX_CMP_LT),
        CW("低于", JX_CMP_LT),       CW("少于", JX_CMP_LT),

        CW("=", JX_CMP_EQ),          CW("==", JX_CMP_EQ),
        CW("等于", JX_CMP_EQ),
};

/* ... and after the number and its unit ("95%以上", "10天以内"). */
static const struct cmp_word suffix_tab[] = {
        CW("以上", JX_CMP_GE),     CW("及以上", JX_CMP_GE),
        CW("或以上", JX_CMP_GE),   CW("(含)以上", JX_CMP_GE),
        CW("以上(含)", JX_CMP_GE), CW("以下", JX_CMP_LE),
        CW("及以下", JX_CMP_LE),   CW("或以下", JX_CMP_LE),
        CW("(含)以下", JX_CMP_LE), CW("以下(含)", JX_CMP_LE),
        CW("以内", JX_CMP_LE),     CW("之内", JX_CMP_LE),
        CW("(含)以内", JX_CMP_LE), CW("以内(含)", JX_CMP_LE),
};

/* Marks that join two numbers into a range ("90%-95%", "1至2项"). */
static const char *const range_marks[] = {"-", "~", "—", "–", "至", "到", "〜"};

static const struct jx_unit *lookup_unit(const char *s, size_t len);
static size_t match_prefix(const char *s, size_t len, enum jx_cmp *cmp);
static size_t match_suffix(const char *s, size_t len, enum jx_cmp *cmp);
static size_t longest_unit_prefix(const char *s, size_t len);
static bool starts_range(const char *s, size_t len);
static bool has_digit(const char *s, size_t len);
static bool is_empty_form(const char *s, size_t len);
static bool is_digit(char c);
static bool is_dash(const char *s);
static size_t sign_len(const char *s, size_t len, bool *neg);
static const char *scan_number(const char *s, size_t len, size_t *used,
                               jx_dec *num);
static const char *parse_number_form(const char *s, size_t len,
                                     struct jx_value *out);
static bool classify_wordless(const char *s, size_t len);
static enum jx_err to_base(const struct jx_value *v, const struct jx_unit *u,
                           jx_dec *base);
static bool reads_as_fraction(const struct jx_value *v,
                              const struct jx_value *other);
static size_t put(char *buf, size_t cap, size_t n, const char *s, size_t len);

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
has_digit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (is_digit(s[i]))
			return true;
	return false;
}

/*
 * Binary search of the spellings of len bytes, sorted by bytes. ASCII
 * letters compare without case (the tables have them in lower case);
 * UTF-8 bytes compare exactly.
 */
static const struct jx_unit *
lookup_unit(const char *s, size_t len)
{
	unsigned char key[sizeof(spell_by_len) / sizeof(spell_by_len[0]) - 1];
	const struct spelling *tab, *sp;
	size_t lo = 0, hi, mid, k;

	if (len == 0 || len > sizeof(key))
		return NULL;
	tab = spell_by_len[len].tab;
	hi = spell_by_len[len].n;
	for (k = 0; k < len; k++) {
		key[k] = (unsigned char)s[k];
		if (key[k] >= 'A' && key[k] <= 'Z')
			key[k] = (unsigned char)(key[k] - 'A' + 'a');
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		sp = &tab[mid];
		if (sp->len != len)
			return NULL; /* cannot happen: an entry in the wrong set
			              */
		/* bytes as unsigned, as memcmp orders them */
		for (k = 0; k < len && (unsigned char)sp->s[k] == key[k]; k++)
			;
		if (k == len)
			return &unit_tab[sp->unit];
		if ((unsigned char)sp->s[k] < key[k])
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The longest comparison word starting s; its length, 0 when none. */
static size_t
match_prefix(const char *s, size_t len, enum jx_cmp *cmp)
{
	size_t i, best = 0;

	if (len == 0 || is_digit(s[0]) || s[0] == '.')
		return 0;
	for (i = 0; i < sizeof(prefix_tab) / sizeof(prefix_tab[0]); i++) {
		const struct cmp_word *w = &prefix_tab[i];

		/* Two bytes tell apart most words before memcmp must:
		 * CJK words share lead bytes. */
		if (w->len > len || w->len <= best || w->s[0] != s[0] ||
		    (w->len > 1 && w->s[1] != s[1]))
			continue;
		if (memcmp(s, w->s, w->len) == 0) {
			best = w->len;
			*cmp = (enum jx_cmp)w->cmp;
		}
	}
	return best;
}

/* The longest comparison word ending s; its length, 0 when none. */
static size_t
match_suffix(const char *s, size_t len, enum jx_cmp *cmp)
{
	size_t i, best = 0;

	for (i = 0; i < sizeof(suffix_tab) / sizeof(suffix_tab[0]); i++) {
		const struct cmp_word *w = &suffix_tab[i];

		/* The last two bytes first: they tell most words apart. */
		if (w->len > len || w->len <= best ||
		    w->s[w->len - 1] != s[len - 1] ||
		    (w->len > 1 && w->s[w->len - 2] != s[len - 2]))
			continue;
		if (memcmp(s + len - w->len, w->s, w->len) == 0) {
			best = w->len;
			*cmp = (enum jx_cmp)w->cmp;
		}
	}
	return best;
}

/* Bytes of the longest unit spelling that begins s, 0 when none. */
static size_t
longest_unit_prefix(const char *s, size_t len)
{
	size_t k, best = 0;

	for (k = 1; k <= len && k <= 12; k++)
		if (lookup_unit(s, k) != NULL)
			best = k;
	return best;
}

/* s starts with a range mark followed by a number ("-95%", "至2项"). */
static bool
starts_range(const char *s, size_t len)
{
	size_t i, m;

	for (i = 0; i < sizeof(range_marks) / sizeof(range_marks[0]); i++) {
		m = strlen(range_marks[i]);
		if (m < len && memcmp(s, range_marks[i], m) == 0 &&
		    (is_digit(s[m]) || s[m] == '.' || s[m] == '-' ||
		     s[m] == '+'))
			return true;
	}
	return false;
}

/* "–" U+2013, "—" U+2014 or "―" U+2015 at s (three bytes readable): E2 80
 * then 93, 94 or 95. */
static bool
is_dash(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x93 && u[2] <= 0x95;
}

/* Blank cells and the dashes, slashes and "无" tables put in them. */
static bool
is_empty_form(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0)
		return true;
	if (len == 3 && memcmp(s, "无", 3) == 0)
		return true;
	while (i < len) {
		if (s[i] == '-' || s[i] == '/' || s[i] == '\\')
			i++;
		else if (len - i >= 3 && is_dash(s + i))
			i += 3;
		else
			return false;
	}
	return true;
}

/* A sign at s: '-', '+' or U+2212 MINUS SIGN. Returns its length. */
static size_t
sign_len(const char *s, size_t len, bool *neg)
{
	if (len >= 1 && (s[0] == '-' || s[0] == '+')) {
		*neg = s[0] == '-';
		return 1;
	}
	if (len >= 3 && memcmp(s, "−", 3) == 0) {
		*neg = true;
		return 3;
	}
	return 0;
}

/*
 * Read a number (sign, digits with optional thousands commas, optional
 * fraction) at s. Sets *used and *num and returns NULL, or returns the
 * reason it is not a number. Leading zeros and zeros past the sixth
 * decimal are dropped before jx_dec_parse sees the digits, so its input
 * never exceeds 28 bytes.
 */
static const char *
scan_number(const char *s, size_t len, size_t *used, jx_dec *num)
{
	char digits[32];
	size_t i = 0, n = 0, group = 0, idigits = 0, fdigits = 0;
	bool neg = false, comma = false, too_big = false, places = false;
	const char *why = NULL;
	enum jx_err err;

	i = sign_len(s, len, &neg);
	if (neg)
		digits[n++] = '-';
	for (; i < len; i++) {
		if (is_digit(s[i])) {
			group++;
			if (idigits == 0 && s[i] == '0')
				continue; /* leading zero */
			if (++idigits > 20)
				too_big = true;
			else
				digits[n++] = s[i];
		} else if (s[i] == ',' && i + 1 < len && is_digit(s[i + 1])) {
			/* A comma between digits must separate thousands. */
			if (group == 0 || group > 3 || (comma && group != 3)) {
				why = R_THOUSANDS;
				goto done;
			}
			comma = true;
			group = 0;
		} else {
			break;
		}
	}
	if (comma && group != 3) {
		why = R_THOUSANDS;
		goto done;
	}
	if (i < len && s[i] == '.') {
		if (i + 1 >= len || !is_digit(s[i + 1])) {
			why = R_NUMBER;
			goto done;
		}
		digits[n++] = '.';
		for (i++; i < len && is_digit(s[i]); i++) {
			if (++fdigits <= JX_DEC_PLACES)
				digits[n++] = s[i];
			else if (s[i] != '0')
				places = true;
		}
	}
	if (group == 0 && fdigits == 0) {
		why = R_NUMBER;
		goto done;
	}
	/* "1.2.3", "1,2,,3": a second point or a stray comma. */
	if (i + 1 < len && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
		why = s[i] == ',' ? R_THOUSANDS : R_NUMBER;
		goto done;
	}
	if (places) {
		why = R_PLACES;
		goto done;
	}
	if (too_big) {
		why = R_TOO_BIG;
		goto done;
	}
	/* Only zeros before the point: "0", "-0", "000" keep one digit; "0.5"
	 * reaches jx_dec_parse as ".5", which it accepts. */
	if (idigits == 0 && fdigits == 0)
		digits[n++] = '0';
	err = jx_dec_parse(digits, n, num);
	if (err == JX_ETOOBIG) {
		why = R_TOO_BIG;
		goto done;
	}
	if (err != JX_OK) {
		why = R_NUMBER;
		goto done;
	}
	*used = i;
done:
	return why;
}

/*
 * s[0..len) is folded text with at least one digit. Fill out as a number
 * or return the reason it is not one.
 */
static const char *
parse_number_form(const char *s, size_t len, struct jx_value *out)
{
	enum jx_cmp pre = JX_CMP_NONE, post = JX_CMP_NONE;
	const struct jx_unit *unit = NULL;
	const char *why = NULL;
	size_t pos, used = 0, end, sfx, ulen;
	jx_dec num = 0;
	bool neg;

	pos = match_prefix(s, len, &pre);
	if (pos == len || (!is_digit(s[pos]) && s[pos] != '.' &&
	                   sign_len(s + pos, len - pos, &neg) == 0)) {
		why = R_PREFIX;
		goto done;
	}
	why = scan_number(s + pos, len - pos, &used, &num);
	if (why != NULL)
		goto done;
	pos += used;
	end = len;
	sfx = match_suffix(s + pos, end - pos, &post);
	end -= sfx;
	if (end > pos) {
		unit = lookup_unit(s + pos, end - pos);
		if (unit == NULL) {
			/* Say precisely what is wrong after the number. */
			ulen = longest_unit_prefix(s + pos, len - pos);
			if (starts_range(s + pos + ulen, len - pos - ulen))
				why = R_RANGE;
			else if (has_digit(s + pos + ulen, len - pos - ulen))
				why = R_MULTI;
			else if (ulen > 0)
				why = R_TRAILING;
			else
				why = R_UNIT;
			goto done;
		}
	}
	if (pre != JX_CMP_NONE && post != JX_CMP_NONE && pre != post) {
		why = R_CONFLICT;
		goto done;
	}
	out->kind = JX_VALUE_NUMBER;
	out->cmp = pre != JX_CMP_NONE ? pre : post;
	out->num = num;
	out->unit = unit;
done:
	return why;
}

/*
 * s[0..len) is folded text without digits. True when it is a word; false
 * when it is only comparison words and a unit ("≥", "不低于%", "万元"),
 * which is a number with the number missing. "达到" alone is a word: it is
 * how tables write "achieved".
 */
static bool
classify_wordless(const char *s, size_t len)
{
	enum jx_cmp c = JX_CMP_NONE;
	size_t pre, sfx;

	pre = match_prefix(s, len, &c);
	if (pre == len && len == sizeof("达到") - 1 &&
	    memcmp(s, "达到", len) == 0)
		return true;
	sfx = match_suffix(s + pre, len - pre, &c);
	if (pre + sfx == len)
		return false;
	return lookup_unit(s + pre, len - pre - sfx) == NULL;
}

enum jx_err
jx_value_parse(const char *text, size_t len, const char *name_hint,
               struct jx_value *out)
{
	char buf[JX_MAX_VALUE_TEXT + 1];
	const char *why = NULL;
	enum jx_err err = JX_EINVAL;
	size_t n;

	if (out == NULL || (text == NULL && len > 0))
		goto done;
	err = JX_OK;
	memset(out, 0, sizeof(*out));
	if (len > JX_MAX_VALUE_TEXT) {
		why = R_TOO_LONG;
		goto done;
	}
	n = len == 0 ? 0 : jx_text_fold(text, len, buf, sizeof(buf));
	if (n == (size_t)-1) {
		why = R_UTF8;
		goto done;
	}
	if (is_empty_form(buf, n)) {
		out->kind = JX_VALUE_EMPTY;
		goto done;
	}
	if (!has_digit(buf, n)) {
		if (!classify_wordless(buf, n)) {
			why = R_CMP_ONLY;
			goto done;
		}
		out->kind = JX_VALUE_WORD;
		out->word = text;
		out->word_len = len;
		jx_text_trim(&out->word, &out->word_len);
		goto done;
	}
	why = parse_number_form(buf, n, out);
	if (why == NULL && out->unit == NULL && name_hint != NULL) {
		out->unit = jx_value_unit_from_name(name_hint);
		out->unit_from_name = out->unit != NULL;
	}
done:
	if (why != NULL) {
		memset(out, 0, sizeof(*out));
		out->kind = JX_VALUE_UNPARSED;
		out->error = why;
	}
	return err;
}

const struct jx_unit *
jx_value_unit_find(const char *s, size_t len)
{
	char buf[64];
	size_t n;

	if (s == NULL || len >= sizeof(buf))
		return NULL;
	n = jx_text_fold(s, len, buf, sizeof(buf));
	if (n == (size_t)-1)
		return NULL;
	return lookup_unit(buf, n);
}

const struct jx_unit *
jx_value_unit_from_name(const char *name)
{
	const unsigned char *u;
	const struct jx_unit *unit = NULL;
	size_t len, close, open;
	const char *p;
	bool full;

	if (name == NULL)
		goto done;
	p = name;
	len = strlen(name);
	jx_text_trim(&p, &len);
	u = (const unsigned char *)p;
	/* The name must end in ")" or "）"; the unit is what they enclose. */
	if (len >= 1 && u[len - 1] == ')') {
		close = len - 1;
	} else if (len >= 3 && u[len - 3] == 0xEF && u[len - 2] == 0xBC &&
	           u[len - 1] == 0x89) {
		close = len - 3;
	} else {
		goto done;
	}
	/* Search back a short way only: units are a few characters. */
	for (open = close; open > 0 && close - open < 40; open--) {
		full = open >= 3 && u[open - 3] == 0xEF &&
		       u[open - 2] == 0xBC && u[open - 1] == 0x88;
		if (u[open - 1] == '(' || full) {
			unit = jx_value_unit_find(p + open, close - open);
			break;
		}
		if (u[open - 1] == ')' ||
		    (open >= 3 && u[open - 3] == 0xEF && u[open - 2] == 0xBC &&
		     u[open - 1] == 0x89))
			break; /* "(a)(b" style nesting: not a unit */
	}
done:
	return unit;
}

/* v's number in the base of unit u (u may be NULL: the number as is). */
static enum jx_err
to_base(const struct jx_value *v, const struct jx_unit *u, jx_dec *base)
{
	if (u == NULL || u->factor == JX_DEC_ONE) {
		*base = v->num;
		return JX_OK;
	}
	return jx_dec_muldiv(v->num, u->factor, JX_DEC_ONE, JX_DEC_PLACES,
	                     base);
}

/*
 * The fraction rule: v has no unit of its own (none written, or only the
 * indicator name's %), |num| <= 1, and `other` is a written or implied
 * ratio above 1%: "0.95" against "100%" means 95%, not 0.95%.
 */
static bool
reads_as_fraction(const struct jx_value *v, const struct jx_value *other)
{
	jx_dec ob;

	if (v->unit != NULL &&
	    !(v->unit_from_name && v->unit->dim == JX_DIM_RATIO))
		return false;
	if (v->num > JX_DEC_ONE || v->num < -JX_DEC_ONE)
		return false;
	if (other->unit == NULL || other->unit->dim != JX_DIM_RATIO)
		return false;
	if (to_base(other, other->unit, &ob) != JX_OK)
		return false;
	return ob > JX_DEC_ONE / 100;
}

enum jx_err
jx_value_align(const struct jx_value *t, const struct jx_value *a,
               jx_dec *t_base, jx_dec *a_base)
{
	const struct jx_unit *ut, *ua;
	enum jx_err err = JX_EINVAL;
	jx_dec tb, ab;

	if (t == NULL || a == NULL || t_base == NULL || a_base == NULL ||
	    t->kind != JX_VALUE_NUMBER || a->kind != JX_VALUE_NUMBER)
		goto done;
	if (reads_as_fraction(t, a)) {
		tb = t->num;
		err = to_base(a, a->unit, &ab);
		goto out;
	}
	if (reads_as_fraction(a, t)) {
		ab = a->num;
		err = to_base(t, t->unit, &tb);
		goto out;
	}
	/* A side without a unit takes the other's. */
	ut = t->unit != NULL ? t->unit : a->unit;
	ua = a->unit != NULL ? a->unit : t->unit;
	if (ut != NULL && ua != NULL) {
		if (ut->dim != ua->dim)
			goto done;
		if ((ut->dim == JX_DIM_COUNT || ut->dim == JX_DIM_OTHER) &&
		    ut != ua)
			goto done;
	}
	err = to_base(t, ut, &tb);
	if (err == JX_OK)
		err = to_base(a, ua, &ab);
out:
	if (err == JX_OK) {
		*t_base = tb;
		*a_base = ab;
	}
done:
	return err;
}

const char *
jx_value_cmp_symbol(enum jx_cmp cmp)
{
	switch (cmp) {
	case JX_CMP_GE:
		return "≥";
	case JX_CMP_GT:
		return ">";
	case JX_CMP_LE:
		return "≤";
	case JX_CMP_LT:
		return "<";
	case JX_CMP_EQ:
		return "=";
	case JX_CMP_NONE:
		break;
	}
	return "";
}

/* Append s[0..len) to buf at n, truncating at cap - 1; the new length. */
static size_t
put(char *buf, size_t cap, size_t n, const char *s, size_t len)
{
	if (n + len > cap - 1)
		len = cap - 1 - n;
	memcpy(buf + n, s, len);
	buf[n + len] = '\0';
	return n + len;
}

size_t
jx_value_format(const struct jx_value *v, char *buf, size_t cap)
{
	char num[32];
	const char *sym;
	size_t n = 0, k;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (v == NULL)
		return 0;
	switch (v->kind) {
	case JX_VALUE_NUMBER:
		sym = jx_value_cmp_symbol(v->cmp);
		n = put(buf, cap, n, sym, strlen(sym));
		k = jx_dec_format(v->num, -1, num, sizeof(num));
		n = put(buf, cap, n, num, k);
		if (v->unit != NULL)
			n = put(buf, cap, n, v->unit->name,
			        strlen(v->unit->name));
		break;
	case JX_VALUE_WORD:
		if (v->word != NULL)
			n = put(buf, cap, n, v->word, v->word_len);
		break;
	case JX_VALUE_EMPTY:
	case JX_VALUE_UNPARSED:
		break;
	}
	return n;
}
