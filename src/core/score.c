/*
 * score.c - score a self-evaluation under a rule set.
 *
 * Each indicator: parse target and actual (value.c), decide the comparison
 * (the target's operator; the 指标性质 column; else the rule set's reading of
 * a bare number, marked as inferred), then apply the rule set's formula:
 * proportional for ≥ and =, the chosen reverse rule for ≤, the zero-target
 * rule, qualitative tiers with score bands. Every line is rounded once, at
 * the rule set's places, from an exact ratio (dec.c). The budget execution
 * line and the total follow.
 *
 * Scoring records which rule fired (enum jx_score_rule) and the figures it
 * used; the zh-CN explanation is written only when asked for
 * (jx_score_trace), because a batch check of a million indicators needs the
 * verdicts, not a million sentences. This file computes only; comparing with
 * the stated figures is audit.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jx/score.h"
#include "jx/text.h"

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static const char *dstr(jx_dec v, int places, char *buf, size_t cap);
static const char *vstr(const struct jx_value *v, char *buf, size_t cap);
static const char *dir_name(enum jx_cmp cmp);
static enum jx_cmp decide_cmp(const struct jx_indicator *ind,
                              const struct jx_rules *r,
                              const struct jx_value *t, bool *inferred);
static void apply_declared_unit(struct jx_value *v, const char *unit);
static void score_quant(const struct jx_indicator *ind,
                        const struct jx_rules *r, struct jx_ind_result *o);
static void score_quant_as(const struct jx_indicator *ind,
                           const struct jx_rules *r, enum jx_cmp cmp,
                           bool inferred, struct jx_ind_result *o);
static void score_qual(const struct jx_indicator *ind, const struct jx_rules *r,
                       int tier, enum jx_score_rule rule,
                       struct jx_ind_result *o);
static bool same_word(const struct jx_value *a, const struct jx_value *b);
static void score_exec(const struct jx_eval *e, const struct jx_rules *r,
                       struct jx_result *out);
static jx_dec clamp(jx_dec v, jx_dec lo, jx_dec hi);

#define RATE_PLACES 4 /* fractions to 0.01% */

/* Append to o, truncating at a character boundary. */
static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->cap == 0 || o->len >= o->cap - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= o->cap - o->len) {
		size_t end = o->cap - 1;

		while (end > o->len &&
		       ((unsigned char)o->buf[end] & 0xC0) == 0x80)
			end--;
		o->buf[end] = '\0';
		o->len = end;
		return;
	}
	o->len += (size_t)n;
}

static const char *
dstr(jx_dec v, int places, char *buf, size_t cap)
{
	jx_dec_format(v, places, buf, cap);
	return buf;
}

static const char *
vstr(const struct jx_value *v, char *buf, size_t cap)
{
	jx_value_format(v, buf, cap);
	return buf;
}

static const char *
dir_name(enum jx_cmp cmp)
{
	switch (cmp) {
	case JX_CMP_GE:
	case JX_CMP_GT:
		return "正向指标";
	case JX_CMP_LE:
	case JX_CMP_LT:
		return "反向指标";
	case JX_CMP_EQ:
		return "等于型指标";
	case JX_CMP_NONE:
		break;
	}
	return "指标";
}

static jx_dec
clamp(jx_dec v, jx_dec lo, jx_dec hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

const char *
jx_score_outcome_name(enum jx_outcome o)
{
	switch (o) {
	case JX_OUTCOME_MET:
		return "达成";
	case JX_OUTCOME_PARTIAL:
		return "部分达成";
	case JX_OUTCOME_NOT_MET:
		return "未达成";
	case JX_OUTCOME_UNKNOWN:
		break;
	}
	return "未知";
}

/* A unit from the 度量单位 column applies to a number written without one. */
static void
apply_declared_unit(struct jx_value *v, const char *unit)
{
	const struct jx_unit *u;

	if (unit == NULL || v->kind != JX_VALUE_NUMBER || v->unit != NULL)
		return;
	u = jx_value_unit_find(unit, strlen(unit));
	if (u != NULL) {
		v->unit = u;
		v->unit_from_name = true;
	}
}

/* The comparison: the operator written in the target, else the 指标性质
 * column, else the rule set's meaning of a bare number (inferred). */
static enum jx_cmp
decide_cmp(const struct jx_indicator *ind, const struct jx_rules *r,
           const struct jx_value *t, bool *inferred)
{
	*inferred = false;
	if (t->cmp != JX_CMP_NONE)
		return t->cmp;
	if (ind->nature != NULL && ind->nature[0] != '\0') {
		/* "≥" alone is not a value; parse "<nature>0" instead. */
		struct jx_value nv;
		char probe[64];
		int n = snprintf(probe, sizeof(probe), "%s0", ind->nature);

		if (n > 0 && (size_t)n < sizeof(probe) &&
		    jx_value_parse(probe, (size_t)n, NULL, &nv) == JX_OK &&
		    nv.kind == JX_VALUE_NUMBER && nv.cmp != JX_CMP_NONE)
			return nv.cmp;
	}
	*inferred = true;
	return jx_rules_bare_cmp(r, ind->level2);
}

static bool
same_word(const struct jx_value *a, const struct jx_value *b)
{
	char fa[JX_MAX_VALUE_TEXT], fb[JX_MAX_VALUE_TEXT];
	size_t la, lb;

	if (a->word_len == b->word_len &&
	    memcmp(a->word, b->word, a->word_len) == 0)
		return true;
	la = jx_text_fold(a->word, a->word_len, fa, sizeof(fa));
	lb = jx_text_fold(b->word, b->word_len, fb, sizeof(fb));
	if (la == (size_t)-1 || lb == (size_t)-1)
		return false;
	return la == lb && memcmp(fa, fb, la) == 0;
}

void
jx_score_indicator(const struct jx_indicator *ind, const struct jx_rules *r,
                   struct jx_ind_result *o)
{
	const char *t = ind->target != NULL ? ind->target : "";
	const char *a = ind->actual != NULL ? ind->actual : "";
	int tier;

	memset(o, 0, sizeof(*o));
	jx_value_parse(t, strlen(t), ind->name, &o->target);
	jx_value_parse(a, strlen(a), ind->name, &o->actual);
	apply_declared_unit(&o->target, ind->unit);
	apply_declared_unit(&o->actual, ind->unit);
	if (ind->score_stated.set)
		o->score = ind->score_stated.v;

	if (o->target.kind == JX_VALUE_EMPTY) {
		o->problem = JX_PROBLEM_NO_TARGET;
		return;
	}
	if (o->target.kind == JX_VALUE_UNPARSED) {
		o->problem = JX_PROBLEM_UNPARSED_TARGET;
		return;
	}
	if (o->actual.kind == JX_VALUE_EMPTY) {
		o->problem = JX_PROBLEM_NO_ACTUAL;
		return;
	}
	if (o->actual.kind == JX_VALUE_UNPARSED) {
		o->problem = JX_PROBLEM_UNPARSED_ACTUAL;
		return;
	}

	if (o->target.kind == JX_VALUE_NUMBER &&
	    o->actual.kind == JX_VALUE_NUMBER) {
		score_quant(ind, r, o);
		return;
	}

	if (o->target.kind == JX_VALUE_WORD &&
	    o->actual.kind == JX_VALUE_WORD) {
		int tt, ta;

		if (same_word(&o->target, &o->actual)) {
			score_qual(ind, r, 1, JX_RULE_QUAL_SAME, o);
			return;
		}
		ta = jx_rules_word_tier(r, o->actual.word, o->actual.word_len);
		if (ta == 0) {
			o->problem = JX_PROBLEM_UNKNOWN_WORD;
			return;
		}
		tt = jx_rules_word_tier(r, o->target.word, o->target.word_len);
		/* An actual as good as the target word meets it. */
		tier = tt != 0 && ta <= tt ? 1 : ta;
		o->word_tier = ta;
		score_qual(ind, r, tier, JX_RULE_QUAL_WORD, o);
		return;
	}
	if (o->target.kind == JX_VALUE_WORD) {
		/* A number entered against a qualitative target: only a rate
		 * (or a bare number read as one) says how far it was met. */
		const struct jx_value *v = &o->actual;
		jx_dec frac;
		enum jx_err err;

		if (v->unit != NULL && v->unit->dim != JX_DIM_RATIO) {
			o->problem = JX_PROBLEM_UNIT_MISMATCH;
			return;
		}
		/* A bare number <= 1 is a fraction, above 1 a percentage. */
		if (v->unit == NULL)
			err = jx_dec_muldiv(v->num, 1,
			                    v->num <= JX_DEC_ONE ? 1 : 100, 6,
			                    &frac);
		else
			err = jx_dec_muldiv(v->num, v->unit->factor, JX_DEC_ONE,
			                    6, &frac);
		if (err != JX_OK) {
			o->problem = JX_PROBLEM_OVERFLOW;
			return;
		}
		tier = jx_rules_numeric_tier(r, frac);
		if (tier == 0) {
			o->problem = JX_PROBLEM_UNKNOWN_WORD;
			return;
		}
		o->qual_fraction = frac;
		score_qual(ind, r, tier, JX_RULE_QUAL_NUMBER, o);
		return;
	}
	/* A number target with a word actual ("≥95%" vs "达标"). */
	tier = jx_rules_word_tier(r, o->actual.word, o->actual.word_len);
	if (tier == 0) {
		o->problem = JX_PROBLEM_UNKNOWN_WORD;
		return;
	}
	o->word_tier = tier;
	score_qual(ind, r, tier, JX_RULE_QUAL_FOR_NUMBER, o);
}

static void
score_qual(const struct jx_indicator *ind, const struct jx_rules *r, int tier,
           enum jx_score_rule rule, struct jx_ind_result *o)
{
	const struct jx_rules_tier *rt = &r->tiers[tier - 1];
	jx_dec w = ind->weight.v;

	o->kind = JX_SCORE_QUAL;
	o->rule = rule;
	o->tier = tier;
	o->outcome = rt->outcome;
	if (!ind->weight.set) {
		o->problem = JX_PROBLEM_NO_WEIGHT;
		return;
	}
	if (o->outcome == JX_OUTCOME_MET) {
		o->has_completion = true;
		o->completion = JX_DEC_ONE;
	}
	if (jx_dec_muldiv(w, rt->band.lo, JX_DEC_ONE, r->places,
	                  &o->score_lo) != JX_OK ||
	    jx_dec_muldiv(w, rt->band.hi, JX_DEC_ONE, r->places,
	                  &o->score_hi) != JX_OK ||
	    jx_dec_muldiv(w, rt->suggest, JX_DEC_ONE, r->places, &o->suggest) !=
	            JX_OK) {
		o->problem = JX_PROBLEM_OVERFLOW;
		return;
	}
	o->score = o->suggest;
	if (ind->score_stated.set) {
		/* The unit chooses the score inside the band. */
		jx_dec s = ind->score_stated.v;
		bool in_lo =
		        rt->band.lo_incl ? s >= o->score_lo : s > o->score_lo;
		bool in_hi =
		        rt->band.hi_incl ? s <= o->score_hi : s < o->score_hi;

		if (in_lo && in_hi)
			o->score = s;
	}
}

/* A bare target's direction is the rule set's reading; when reading it as
 * ≥ (what many units do, seed 000) scores differently, keep that score too,
 * so the audit can tell a judgement call from a proven error. */
static void
score_quant(const struct jx_indicator *ind, const struct jx_rules *r,
            struct jx_ind_result *o)
{
	bool inferred;
	enum jx_cmp cmp = decide_cmp(ind, r, &o->target, &inferred);

	score_quant_as(ind, r, cmp, inferred, o);
	if (inferred && o->kind == JX_SCORE_QUANT && cmp != JX_CMP_GE &&
	    cmp != JX_CMP_EQ) {
		struct jx_ind_result alt = *o;

		score_quant_as(ind, r, JX_CMP_GE, true, &alt);
		if (alt.kind == JX_SCORE_QUANT && alt.score != o->score) {
			o->has_alt = true;
			o->alt_score = alt.score;
		}
	}
}

static void
score_quant_as(const struct jx_indicator *ind, const struct jx_rules *r,
               enum jx_cmp cmp, bool inferred, struct jx_ind_result *o)
{
	jx_dec w = ind->weight.v, t, a, s = 0, tmp;
	enum jx_err err;

	o->kind = JX_SCORE_QUANT;
	o->cmp = cmp;
	o->cmp_inferred = inferred;
	o->over = false;
	o->has_completion = false;
	err = jx_value_align(&o->target, &o->actual, &t, &a);
	if (err != JX_OK) {
		o->kind = JX_SCORE_NONE;
		o->problem = err == JX_EINVAL ? JX_PROBLEM_UNIT_MISMATCH
		                              : JX_PROBLEM_OVERFLOW;
		return;
	}
	if (a < 0)
		a = 0; /* negative actuals count as 0 (rules.md §3.4) */
	o->t_base = t;
	o->a_base = a;
	if (t > 0)
		o->has_completion = jx_dec_muldiv(a, JX_DEC_ONE, t, RATE_PLACES,
		                                  &o->completion) == JX_OK;
	if (!ind->weight.set) {
		o->kind = JX_SCORE_NONE;
		o->problem = JX_PROBLEM_NO_WEIGHT;
		return;
	}

	switch (cmp) {
	case JX_CMP_GE:
	case JX_CMP_GT:
	case JX_CMP_EQ:
	case JX_CMP_NONE:
		if (t <= 0) {
			/* "= 0" (安全事故数) is met only at 0; "≥ 0" by
			 * anything; "> 0" by anything above. */
			bool met = cmp == JX_CMP_EQ   ? a <= 0
			           : cmp == JX_CMP_GT ? a > 0
			                              : true;
			s = met ? w : 0;
			o->outcome = met ? JX_OUTCOME_MET : JX_OUTCOME_NOT_MET;
			o->rule = JX_RULE_ZERO_TARGET;
			break;
		}
		if (cmp == JX_CMP_GT ? a > t : a >= t) {
			s = w;
			o->outcome = JX_OUTCOME_MET;
			o->rule = JX_RULE_POS_MET;
			if (r->quant.over_ratio > 0 &&
			    jx_dec_muldiv(t, r->quant.over_ratio, JX_DEC_ONE, 6,
			                  &tmp) == JX_OK &&
			    a >= tmp)
				o->over = true;
			if (o->over &&
			    r->quant.over_penalty == JX_OVER_LINEAR) {
				/* w * rate * (a/t - over_ratio) */
				jx_dec ratio, pen;

				if (jx_dec_muldiv(a, JX_DEC_ONE, t, 6,
				                  &ratio) == JX_OK &&
				    jx_dec_muldiv(w, r->quant.over_penalty_rate,
				                  JX_DEC_ONE, 6,
				                  &pen) == JX_OK &&
				    jx_dec_muldiv(pen,
				                  ratio - r->quant.over_ratio,
				                  JX_DEC_ONE, r->places,
				                  &pen) == JX_OK) {
					s = clamp(w - pen, 0, w);
					o->rule = JX_RULE_POS_PENALTY;
				}
			}
			break;
		}
		if (jx_dec_muldiv(w, a, t, r->places, &s) != JX_OK) {
			o->kind = JX_SCORE_NONE;
			o->problem = JX_PROBLEM_OVERFLOW;
			return;
		}
		s = clamp(s, 0, w);
		o->outcome = a > 0 ? JX_OUTCOME_PARTIAL : JX_OUTCOME_NOT_MET;
		o->rule = JX_RULE_POS_RATIO;
		break;
	case JX_CMP_LE:
	case JX_CMP_LT:
		if (cmp == JX_CMP_LT ? a < t : a <= t) {
			s = w;
			o->outcome = JX_OUTCOME_MET;
			o->rule = JX_RULE_NEG_MET;
			break;
		}
		if (t <= 0) {
			s = 0;
			o->rule = JX_RULE_NEG_ZERO;
		} else if (r->quant.reverse == JX_REVERSE_RATIO) {
			err = jx_dec_muldiv(w, t, a, r->places, &s);
			o->rule = JX_RULE_NEG_RATIO;
		} else {
			/* w * (1 - (a - t) / t) = w * (2t - a) / t, 0 at 2t */
			jx_dec two_t;

			err = jx_dec_add(t, t, &two_t);
			if (err == JX_OK && a >= two_t) {
				s = 0;
				o->rule = JX_RULE_NEG_DOUBLE;
			} else if (err == JX_OK) {
				err = jx_dec_muldiv(w, two_t - a, t, r->places,
				                    &s);
				o->rule = JX_RULE_NEG_LINEAR;
			}
		}
		if (err != JX_OK) {
			o->kind = JX_SCORE_NONE;
			o->problem = JX_PROBLEM_OVERFLOW;
			o->rule = JX_RULE_NONE;
			return;
		}
		s = clamp(s, 0, w);
		o->outcome = s > 0 ? JX_OUTCOME_PARTIAL : JX_OUTCOME_NOT_MET;
		break;
	}
	o->score = jx_dec_round(s, r->places);
	o->score_lo = o->score;
	o->score_hi = o->score;
}

size_t
jx_score_trace(const struct jx_indicator *ind, const struct jx_rules *r,
               const struct jx_ind_result *o, char *buf, size_t cap)
{
	struct out out = {buf, cap, 0};
	char bt[160], ba[160], bw[32], bs[32], lo[32], hi[32], sg[32];
	const char *tl;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	vstr(&o->target, bt, sizeof(bt));
	vstr(&o->actual, ba, sizeof(ba));
	dstr(ind->weight.v, -1, bw, sizeof(bw));
	dstr(o->score, r->places, bs, sizeof(bs));

	switch (o->problem) {
	case JX_PROBLEM_NONE:
		break;
	case JX_PROBLEM_NO_WEIGHT:
		put(&out, "未填写分值，无法计分");
		return out.len;
	case JX_PROBLEM_NO_TARGET:
		put(&out, "未填写年度指标值，无法计分");
		return out.len;
	case JX_PROBLEM_NO_ACTUAL:
		put(&out, "未填写实际完成值，无法计分");
		return out.len;
	case JX_PROBLEM_UNPARSED_TARGET:
		put(&out, "年度指标值“%s”无法识别：%s",
		    ind->target != NULL ? ind->target : "", o->target.error);
		return out.len;
	case JX_PROBLEM_UNPARSED_ACTUAL:
		put(&out, "实际完成值“%s”无法识别：%s",
		    ind->actual != NULL ? ind->actual : "", o->actual.error);
		return out.len;
	case JX_PROBLEM_UNKNOWN_WORD:
		if (o->actual.kind == JX_VALUE_NUMBER)
			put(&out,
			    "定性指标的实际完成值“%s”不在规则方案“%"
			    "s”的数值分档内",
			    ba, r->name);
		else
			put(&out,
			    "实际完成值“%s”不在规则方案“%"
			    "s”的定性词表中，无法判断达成程度",
			    ba, r->name);
		return out.len;
	case JX_PROBLEM_UNIT_MISMATCH:
		if (o->target.kind == JX_VALUE_WORD)
			put(&out,
			    "定性指标“%s”的实际完成值“%"
			    "s”是计量数值，无法与定性目标比较",
			    bt, ba);
		else
			put(&out,
			    "年度指标值“%s”与实际完成值“%"
			    "s”的计量单位不同，无法比较",
			    bt, ba);
		return out.len;
	case JX_PROBLEM_OVERFLOW:
		put(&out, "数值超出范围，无法计分");
		return out.len;
	}

	if (o->kind == JX_SCORE_QUANT) {
		put(&out, "%s", dir_name(o->cmp));
		if (o->cmp_inferred)
			put(&out,
			    "（目标未写比较符号，按规则方案对“%s”的约定推定为%"
			    "s）",
			    ind->level2 != NULL ? ind->level2 : "",
			    jx_value_cmp_symbol(o->cmp));
		else
			put(&out, "（%s）", jx_value_cmp_symbol(o->cmp));
		put(&out, "：");
	}
	switch (o->rule) {
	case JX_RULE_NONE:
		break;
	case JX_RULE_ZERO_TARGET:
		put(&out, "目标为%s，实际%s，%s，得%s分", bt, ba,
		    o->outcome == JX_OUTCOME_MET ? "达成" : "未达成", bs);
		break;
	case JX_RULE_POS_MET:
		put(&out, "实际%s达到目标%s，得满分%s分%s", ba, bt, bw,
		    o->over ? "；超出目标较多，应说明原因" : "");
		break;
	case JX_RULE_POS_PENALTY:
		put(&out, "实际%s超过目标%s的%s倍，按超额扣减规则得%s分", ba,
		    bt, dstr(r->quant.over_ratio, -1, lo, sizeof(lo)), bs);
		break;
	case JX_RULE_POS_RATIO:
		put(&out, "实际%s未达到目标%s，按比例计分 %s×%s÷%s = %s", ba,
		    bt, bw, ba, bt, bs);
		break;
	case JX_RULE_NEG_MET:
		put(&out, "实际%s未超过目标%s，得满分%s分", ba, bt, bw);
		break;
	case JX_RULE_NEG_ZERO:
		put(&out, "目标为%s，实际%s超出，得0分", bt, ba);
		break;
	case JX_RULE_NEG_RATIO:
		put(&out, "实际%s超过目标%s，按目标÷实际计分 %s×%s÷%s = %s", ba,
		    bt, bw, bt, ba, bs);
		break;
	case JX_RULE_NEG_DOUBLE:
		put(&out, "实际%s达到目标%s的2倍及以上，得0分", ba, bt);
		break;
	case JX_RULE_NEG_LINEAR:
		put(&out,
		    "实际%s超过目标%s，按超出比例扣分 %s×(1−(实际−目标)÷目标) "
		    "= %s",
		    ba, bt, bw, bs);
		break;
	case JX_RULE_QUAL_SAME:
	case JX_RULE_QUAL_WORD:
	case JX_RULE_QUAL_NUMBER:
	case JX_RULE_QUAL_FOR_NUMBER:
		if (o->tier < 1 || o->tier > 3)
			break;
		tl = r->tiers[o->tier - 1].label;
		put(&out, "定性指标：");
		if (o->rule == JX_RULE_QUAL_SAME)
			put(&out, "实际完成值与年度指标值一致");
		else if (o->rule == JX_RULE_QUAL_WORD)
			put(&out, "实际完成值“%s”属第%d档%s", ba, o->word_tier,
			    o->tier == 1 && o->word_tier != 1
			            ? "，不低于年度指标值的档次"
			            : "");
		else if (o->rule == JX_RULE_QUAL_NUMBER)
			put(&out, "定性目标“%s”以数值%s%%填报，属第%d档", bt,
			    dstr(jx_dec_percent(o->qual_fraction), -1, lo,
			         sizeof(lo)),
			    o->tier);
		else
			put(&out,
			    "定量目标“%s”以文字“%s”填报（第%d档），按定性评分",
			    bt, ba, o->word_tier);
		put(&out, "，为“%s”，得分区间%s%s，%s%s（建议%s分）", tl,
		    r->tiers[o->tier - 1].band.lo_incl ? "[" : "(",
		    dstr(o->score_lo, -1, lo, sizeof(lo)),
		    dstr(o->score_hi, -1, hi, sizeof(hi)),
		    r->tiers[o->tier - 1].band.hi_incl ? "]" : ")",
		    dstr(o->suggest, -1, sg, sizeof(sg)));
		break;
	}
	return out.len;
}

static void
score_exec(const struct jx_eval *e, const struct jx_rules *r,
           struct jx_result *out)
{
	const struct jx_fund_row *tot = &e->funds.total;
	const struct jx_opt *base = r->exec.base == JX_EXEC_BASE_RECEIVED
	                                    ? &tot->received
	                                    : &tot->annual;
	jx_dec w, rate, s = 0;
	size_t i;

	w = e->funds.exec_weight.set ? e->funds.exec_weight.v : r->exec.weight;
	out->exec_weight = w;
	if (!e->has_funds || !tot->executed.set || !base->set)
		return;
	if (base->v <= 0) {
		out->exec_na = true;
		return;
	}
	if (jx_dec_muldiv(tot->executed.v, JX_DEC_ONE, base->v, RATE_PLACES,
	                  &rate) != JX_OK)
		return;
	out->has_exec = true;
	out->exec_rate = rate;

	switch (r->exec.method) {
	case JX_EXEC_BANDS:
		for (i = 0; i < r->exec.nbands; i++)
			if (jx_rules_band_contains(&r->exec.bands[i], rate))
				break;
		if (i < r->exec.nbands)
			(void)jx_dec_muldiv(w, r->exec.bands[i].value,
			                    JX_DEC_ONE, r->places, &s);
		break;
	case JX_EXEC_THRESHOLD_PCT:
		if (rate >= r->exec.full_at) {
			s = w;
		} else if (rate >= r->exec.zero_below) {
			/* w * (1 - points below * pct_per_point) */
			jx_dec points = (r->exec.full_at - rate) * 100;
			jx_dec cut;

			if (jx_dec_muldiv(points, r->exec.pct_per_point,
			                  JX_DEC_ONE, 6, &cut) != JX_OK ||
			    jx_dec_muldiv(w, JX_DEC_ONE - cut, JX_DEC_ONE,
			                  r->places, &s) != JX_OK)
				s = 0;
		}
		break;
	case JX_EXEC_PROPORTIONAL:
	default:
		/* One rounding of w * executed / budget: 10 * 20/354 = 0.56,
		 * not 10 * 5.65% = 0.57. */
		if (jx_dec_muldiv(w, tot->executed.v, base->v, r->places, &s) !=
		    JX_OK)
			s = w;
		break;
	}
	out->exec_score = jx_dec_round(clamp(s, 0, w), r->places);
}

size_t
jx_score_exec_trace(const struct jx_eval *e, const struct jx_rules *r,
                    const struct jx_result *res, char *buf, size_t cap)
{
	struct out out = {buf, cap, 0};
	const char *base_name = r->exec.base == JX_EXEC_BASE_RECEIVED
	                                ? "实际到位资金"
	                                : "全年预算数";
	const struct jx_fund_row *tot = &e->funds.total;
	const struct jx_opt *base = r->exec.base == JX_EXEC_BASE_RECEIVED
	                                    ? &tot->received
	                                    : &tot->annual;
	char be[48], bb[48], br[32], bw[32], bs[32];

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (res->exec_na) {
		put(&out, "%s为0，预算执行率不适用", base_name);
		return out.len;
	}
	if (!res->has_exec) {
		put(&out, "未提供%s或执行数，预算执行率无法计算", base_name);
		return out.len;
	}
	dstr(tot->executed.v, -1, be, sizeof(be));
	dstr(base->v, -1, bb, sizeof(bb));
	dstr(jx_dec_percent(res->exec_rate), 2, br, sizeof(br));
	dstr(res->exec_weight, -1, bw, sizeof(bw));
	dstr(res->exec_score, r->places, bs, sizeof(bs));
	put(&out, "预算执行率 = 执行数%s ÷ %s%s = %s%%，", be, base_name, bb,
	    br);
	switch (r->exec.method) {
	case JX_EXEC_BANDS:
		put(&out, "按分档计分得%s分", bs);
		break;
	case JX_EXEC_THRESHOLD_PCT:
		put(&out, "按阈值扣分规则得%s分", bs);
		break;
	case JX_EXEC_PROPORTIONAL:
	default:
		put(&out, "得分 = 分值%s × 执行率 = %s%s", bw, bs,
		    res->exec_rate > JX_DEC_ONE ? "（以分值为上限）" : "");
		break;
	}
	return out.len;
}

size_t
jx_score_total_trace(const struct jx_rules *r, const struct jx_result *res,
                     char *buf, size_t cap)
{
	struct out out = {buf, cap, 0};
	char bt[32], bw[32];

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	put(&out, "总分 = 预算执行率得分 + 各三级指标得分 = %s（满分%s）",
	    dstr(res->total, r->total_places, bt, sizeof(bt)),
	    dstr(res->weight_sum, -1, bw, sizeof(bw)));
	if (!res->total_complete)
		put(&out, "；有指标无法计分，总分不完整");
	else if (res->grade != NULL)
		put(&out, "，等级：%s", res->grade->name);
	return out.len;
}

enum jx_err
jx_score_run(const struct jx_eval *e, const struct jx_rules *r,
             struct jx_arena *arena, struct jx_result *out)
{
	size_t i;
	jx_dec total = 0, wsum = 0;

	if (e == NULL || r == NULL || arena == NULL || out == NULL)
		return JX_EINVAL;
	memset(out, 0, sizeof(*out));
	if (e->nindicators > 0) {
		out->ind = jx_arena_alloc(arena,
		                          e->nindicators * sizeof(*out->ind));
		if (out->ind == NULL)
			return JX_ENOMEM;
	}
	out->n = e->nindicators;
	out->total_complete = true;

	score_exec(e, r, out);
	if (out->has_exec) {
		total = out->exec_score;
		wsum = out->exec_weight;
	} else if (e->has_funds && e->funds.exec_weight.set) {
		/* The line exists but cannot be computed: count what the
		 * document states, and say the total is incomplete. */
		wsum = e->funds.exec_weight.v;
		if (!out->exec_na)
			out->total_complete = false;
		if (e->funds.exec_score_stated.set)
			total = e->funds.exec_score_stated.v;
	}

	for (i = 0; i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		struct jx_ind_result *o = &out->ind[i];

		jx_score_indicator(ind, r, o);
		if (ind->weight.set &&
		    jx_dec_add(wsum, ind->weight.v, &wsum) != JX_OK)
			return JX_ETOOBIG;
		if (o->kind == JX_SCORE_NONE || o->problem != JX_PROBLEM_NONE)
			out->total_complete = false;
		if ((o->kind != JX_SCORE_NONE || ind->score_stated.set) &&
		    jx_dec_add(total, o->score, &total) != JX_OK)
			return JX_ETOOBIG;
	}
	out->weight_sum = wsum;
	out->total = jx_dec_round(total, r->total_places);
	out->grade = jx_rules_grade_for(r, out->total);
	return JX_OK;
}
