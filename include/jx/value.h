/*
 * value.h - parse the text of a target (年度指标值) or an actual value
 * (实际完成值) into a comparison, an exact number and a unit, or a word.
 *
 * "≥95%", ">= 90 %", "不低于90%", "≤ 1 小时", "50万元", "1项", "0.95",
 * full-width digits and symbols, stray spaces: all become a struct jx_value.
 * Words ("及时", "达标", "明显提升") are returned as words; what tier a word
 * means is the rule set's business (rules.h), not this module's. Text that is
 * neither is JX_VALUE_UNPARSED with a Chinese reason: nothing is guessed.
 * The unit table (元/万元/亿元, 秒/分钟/小时/天, %/‰, counts) is physics,
 * not policy, so it lives here. Pure: no I/O, no allocation, no globals.
 */
#ifndef JX_VALUE_H
#define JX_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/dec.h"
#include "jx/err.h"

/* 计算符号: the comparison written in front of a number. */
enum jx_cmp {
	JX_CMP_NONE = 0, /* a bare number: "1项", "40万元", "95%" */
	JX_CMP_GE, /* ≥ >= 不低于 不少于 大于等于 达到 以上 */
	JX_CMP_GT, /* > 大于 高于 超过 */
	JX_CMP_LE, /* ≤ <= 不高于 不超过 小于等于 控制在 以内 以下 */
	JX_CMP_LT, /* < 小于 低于 */
	JX_CMP_EQ  /* = 等于 */
};

/* What physical quantity a unit measures; values convert only within one.
 * Time: 个月 = 30 天, 年 = 365 天, 工作日 = 1 天. */
enum jx_dim {
	JX_DIM_NONE = 0, /* no unit written or implied */
	JX_DIM_RATIO,    /* % ‰ 百分比; base: a fraction (95% -> 0.95) */
	JX_DIM_MONEY,    /* 元 千元 万元 亿元; base: 元 */
	JX_DIM_TIME, /* 秒 分钟 小时 天 工作日 周 月 年; base: 秒 */
	JX_DIM_COUNT, /* 项 个 台 次 人 ...; base: the unit itself */
	JX_DIM_OTHER  /* 公里 平方米 吨 ...; base: the unit itself */
};

/* An entry of the built-in unit table. Static storage, never freed. */
struct jx_unit {
	const char *name; /* canonical spelling, "万元" */
	enum jx_dim dim;
	jx_dec factor; /* one of this unit in base units: 万元 -> 10000 */
};

enum jx_value_kind {
	JX_VALUE_EMPTY = 0, /* blank, "-", "—", "/", "无" */
	JX_VALUE_NUMBER,    /* cmp + num + unit */
	JX_VALUE_WORD,      /* qualitative text: look it up in the rule set */
	JX_VALUE_UNPARSED   /* neither; `error` says why */
};

/*
 * Fields that do not apply to `kind` are zero / NULL. `unit` points into
 * the static unit table, so units compare by pointer. `word` is the text as
 * written, trimmed but not folded: compare words after jx_text_fold.
 */
struct jx_value {
	enum jx_value_kind kind;
	enum jx_cmp cmp;
	jx_dec num; /* as written, in `unit` (95% -> 95) */
	const struct jx_unit
	        *unit;       /* NULL when no unit was written or implied */
	bool unit_from_name; /* the unit came from the indicator's name */
	const char *word;    /* WORD: trimmed text, borrowed from input */
	size_t word_len;
	const char *error; /* UNPARSED: static zh-CN reason */
};

/*
 * Parse text[0..len) (UTF-8; need not be NUL-terminated). name_hint is the
 * indicator's name (NUL-terminated, may be NULL); a unit in brackets at its
 * end ("信息系统电费（万元）", "故障解决率(%)") applies to a number written
 * without one. Always fills *out and returns JX_OK, except JX_EINVAL for a
 * NULL out, or a NULL text with len > 0. An invalid UTF-8 sequence or text
 * over JX_MAX_VALUE_TEXT gives kind JX_VALUE_UNPARSED. `word` points into
 * text: keep text alive. Text without digits is a word unless it is only
 * comparison words and a unit ("≥", "不低于%": UNPARSED); "达到" alone is a
 * word. Ranges ("90%-95%"), two numbers, an unknown unit and any remark
 * after the unit ("1项（年度）", "100%（含）") are UNPARSED. The grammar and
 * the unit table are in docs/internals/value.md.
 */
enum jx_err jx_value_parse(const char *text, size_t len, const char *name_hint,
                           struct jx_value *out);

/* The unit spelled s[0..len) after folding (jx_text_fold: full-width
 * forms to ASCII, spaces removed, so "万元", "万 元" and "％" are found;
 * ASCII letters match in any case: "kg", "GB"), or NULL when it is not in
 * the table. Synonyms give their canonical entry ("日" -> "天"). */
const struct jx_unit *jx_value_unit_find(const char *s, size_t len);

/* The unit in "()" or "（）" at the end of an indicator name (trailing
 * spaces ignored), or NULL: "信息系统电费（万元）" -> 万元. name may be
 * NULL. */
const struct jx_unit *jx_value_unit_from_name(const char *name);

/*
 * Bring a target and an actual (both JX_VALUE_NUMBER) to one base so they
 * can be compared: *t_base and *a_base are in the base unit of their common
 * dimension (元, 秒, a fraction; counts and other measures as written),
 * rounded half away from zero to 6 places. A side without a unit takes the
 * other's; both without: the numbers as written. The fraction rule: a
 * number with no unit of its own (none written, or only a % from the
 * indicator's name) and |num| <= 1, against a ratio above 1%, is already a
 * fraction ("0.95" vs "100%" is 95%; "1" vs "≤1%" is 1%). Returns JX_OK
 * (outputs set), JX_EINVAL when either is not a number or NULL, when the
 * units measure different things, or are different counts or measures
 * ("1项" vs "2台", "公里" vs "米"); JX_ETOOBIG on overflow.
 */
enum jx_err jx_value_align(const struct jx_value *t, const struct jx_value *a,
                           jx_dec *t_base, jx_dec *a_base);

/* Symbol for cmp: "≥", "≤", "=", ">", "<" or "" for NONE. Static. */
const char *jx_value_cmp_symbol(enum jx_cmp cmp);

/* Write v back as canonical text ("≥95%", "131.4万元", the word) into buf
 * (cap bytes, NUL-terminated; truncated at cap-1). A unit taken from the
 * name is written too ("12" under "电费（万元）" -> "12万元"). EMPTY and
 * UNPARSED write "". Parsing a NUMBER's or WORD's output gives the same
 * cmp, num and unit, or the same word. Returns the length written. */
size_t jx_value_format(const struct jx_value *v, char *buf, size_t cap);

#endif
