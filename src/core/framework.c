/*
 * framework.c - evaluation frameworks (framework.h): the strict reader of
 * framework files (the project's JSON reader keeps numbers as text, so
 * every weight, step and deduction is exact) and the scoring of each line
 * by its rule. It neither reads files nor stores evaluations.
 */
#include <stdio.h>
#include <string.h>

#include "jx/framework.h"
#include "jx/json.h"
#include "jx/text.h"

#define MSG_CAP 512

struct ctx {
	struct jx_arena *a;
	const char *name;
	struct jx_diag *d;
};

static enum jx_err fail(struct ctx *c, const struct jx_json *v,
                        const char *field, const char *msg);
static enum jx_err known_keys(struct ctx *c, const struct jx_json *obj,
                              const char *const *keys, const char *where);
static enum jx_err get_str(struct ctx *c, const struct jx_json *obj,
                           const char *key, bool required, const char **out);
static enum jx_err get_dec(struct ctx *c, const struct jx_json *obj,
                           const char *key, bool required, bool *has,
                           jx_dec *out);
static enum jx_err get_bool(struct ctx *c, const struct jx_json *obj,
                            const char *key, bool *out);
static enum jx_err get_uint(struct ctx *c, const struct jx_json *obj,
                            const char *key, unsigned *out);
static enum jx_err parse_rule(struct ctx *c, const struct jx_json *rule,
                              struct jx_fw_line *ln);
static enum jx_err parse_input(struct ctx *c, const struct jx_json *in,
                               struct jx_fw_line *ln);
static enum jx_err parse_line(struct ctx *c, const struct jx_json *v,
                              struct jx_fw_line *ln);
static void score_line(const struct jx_framework *fw,
                       const struct jx_fw_line *ln, struct jx_fw_score *s);
static const char *fmt(jx_dec v, char *buf, size_t cap);
static void add(struct jx_arena *a, struct jx_findings *f, const char *code,
                enum jx_severity sev, const char *where, const char *stated,
                const char *computed, const char *msg, int line);

static const char *const kind_names[] = {"ratio", "threshold", "pct_of_weight",
                                         "bands", "checklist", "count",
                                         "manual"};

const char *
jx_framework_kind_name(enum jx_fw_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0])
	               ? kind_names[k]
	               : "";
}

static enum jx_err
fail(struct ctx *c, const struct jx_json *v, const char *field, const char *msg)
{
	if (c->d != NULL) {
		jx_diag_set(c->d, JX_EINVAL, field, "%s：%s%s%s", c->name,
		            field != NULL ? field : "",
		            field != NULL ? "：" : "", msg);
		if (v != NULL) {
			c->d->line = v->line;
			c->d->column = v->column;
		}
	}
	return JX_EINVAL;
}

/* Every member of obj is one of keys (NULL-terminated). */
static enum jx_err
known_keys(struct ctx *c, const struct jx_json *obj, const char *const *keys,
           const char *where)
{
	char msg[MSG_CAP];
	size_t i, k;

	for (i = 0; i < obj->len; i++) {
		const struct jx_json *key = &obj->u.members[i].key;
		bool ok = false;

		for (k = 0; keys[k] != NULL && !ok; k++)
			ok = jx_json_eq(key, keys[k], strlen(keys[k]));
		if (!ok) {
			snprintf(msg, sizeof(msg), "未知的字段“%.*s”",
			         (int)(key->len > 64
			                       ? jx_text_utf8_cut(key->u.s, 64)
			                       : key->len),
			         key->u.s);
			return fail(c, key, where, msg);
		}
	}
	return JX_OK;
}

static enum jx_err
get_str(struct ctx *c, const struct jx_json *obj, const char *key,
        bool required, const char **out)
{
	const struct jx_json *v = jx_json_get(obj, key);

	*out = NULL;
	if (v == NULL || v->kind == JX_JSON_NULL)
		return required ? fail(c, obj, key, "缺少此字段") : JX_OK;
	if (v->kind != JX_JSON_STRING)
		return fail(c, v, key, "应为字符串");
	if (memchr(v->u.s, '\0', v->len) != NULL)
		return fail(c, v, key, "文字中不能含有 NUL 字符");
	*out = jx_arena_strndup(c->a, v->u.s, v->len);
	if (*out == NULL)
		return jx_diag_set(c->d, JX_ENOMEM, key, "内存不足");
	return JX_OK;
}

/* A decimal written as a JSON number or a string ("0.5"). */
static enum jx_err
get_dec(struct ctx *c, const struct jx_json *obj, const char *key,
        bool required, bool *has, jx_dec *out)
{
	const struct jx_json *v = jx_json_get(obj, key);

	if (has != NULL)
		*has = false;
	if (v == NULL || v->kind == JX_JSON_NULL)
		return required ? fail(c, obj, key, "缺少此字段") : JX_OK;
	if ((v->kind != JX_JSON_NUMBER && v->kind != JX_JSON_STRING) ||
	    jx_dec_parse(v->u.s, v->len, out) != JX_OK)
		return fail(c, v, key, "应为数值（如 0.5）");
	if (has != NULL)
		*has = true;
	return JX_OK;
}

static enum jx_err
get_bool(struct ctx *c, const struct jx_json *obj, const char *key, bool *out)
{
	const struct jx_json *v = jx_json_get(obj, key);

	if (v == NULL)
		return JX_OK;
	if (v->kind != JX_JSON_TRUE && v->kind != JX_JSON_FALSE)
		return fail(c, v, key, "应为 true 或 false");
	*out = v->kind == JX_JSON_TRUE;
	return JX_OK;
}

static enum jx_err
get_uint(struct ctx *c, const struct jx_json *obj, const char *key,
         unsigned *out)
{
	const struct jx_json *v = jx_json_get(obj, key);
	unsigned n = 0;
	size_t i;

	if (v == NULL)
		return JX_OK;
	if (v->kind != JX_JSON_NUMBER || v->len == 0 || v->len > 6)
		return fail(c, v, key, "应为不大于 999999 的非负整数");
	for (i = 0; i < v->len; i++) {
		if (v->u.s[i] < '0' || v->u.s[i] > '9')
			return fail(c, v, key, "应为非负整数");
		n = n * 10 + (unsigned)(v->u.s[i] - '0');
	}
	*out = n;
	return JX_OK;
}

static enum jx_err
parse_rule(struct ctx *c, const struct jx_json *rule, struct jx_fw_line *ln)
{
	static const char *const keys[] = {
	        "type",          "target",     "lower_better",
	        "full_at",       "inclusive",  "direction",
	        "step",          "deduct",     "per",
	        "pct_per_point", "zero_below", "bands",
	        "serious_zero",  NULL};
	const struct jx_json *type, *per, *dir, *bands;
	enum jx_err err;
	size_t k;
	bool found = false;

	if (rule == NULL || rule->kind != JX_JSON_OBJECT)
		return fail(c, rule, "rule", "应为对象，写明计分规则");
	if ((err = known_keys(c, rule, keys, "rule")) != JX_OK)
		return err;
	type = jx_json_get(rule, "type");
	if (type == NULL || type->kind != JX_JSON_STRING)
		return fail(
		        c, rule, "rule.type",
		        "缺少计分规则类型（ratio、threshold、pct_of_weight、"
		        "bands、checklist、count、manual）");
	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (jx_json_eq(type, kind_names[k], strlen(kind_names[k]))) {
			ln->kind = (enum jx_fw_kind)k;
			found = true;
		}
	if (!found)
		return fail(c, type, "rule.type", "未知的计分规则类型");
	ln->full_incl = true;
	ln->per_started = true;
	switch (ln->kind) {
	case JX_FW_RATIO:
		err = get_dec(c, rule, "target", true, NULL, &ln->target);
		if (err == JX_OK)
			err = get_bool(c, rule, "lower_better",
			               &ln->lower_better);
		break;
	case JX_FW_THRESHOLD:
		err = get_dec(c, rule, "full_at", true, NULL, &ln->full_at);
		if (err == JX_OK)
			err = get_dec(c, rule, "step", true, NULL, &ln->step);
		if (err == JX_OK)
			err = get_dec(c, rule, "deduct", true, NULL,
			              &ln->deduct);
		if (err == JX_OK)
			err = get_bool(c, rule, "inclusive", &ln->full_incl);
		if (err == JX_OK && jx_dec_cmp(ln->step, 0) <= 0)
			err = fail(c, rule, "rule.step", "应大于 0");
		per = jx_json_get(rule, "per");
		if (err == JX_OK && per != NULL) {
			if (jx_json_eq(per, "full", 4))
				ln->per_started = false;
			else if (!jx_json_eq(per, "started", 7))
				err = fail(
				        c, per, "rule.per",
				        "应为 \"started\"（不足一档按一档扣）"
				        "或 \"full\"（满一档才扣）");
		}
		dir = jx_json_get(rule, "direction");
		if (err == JX_OK && dir != NULL) {
			if (jx_json_eq(dir, "at_most", 7))
				ln->lower_full = true;
			else if (!jx_json_eq(dir, "at_least", 8))
				err = fail(c, dir, "rule.direction",
				           "应为 \"at_least\" 或 \"at_most\"");
		}
		break;
	case JX_FW_PCT:
		err = get_dec(c, rule, "full_at", true, NULL, &ln->full_at);
		if (err == JX_OK)
			err = get_dec(c, rule, "pct_per_point", true, NULL,
			              &ln->pct_per_point);
		if (err == JX_OK)
			err = get_dec(c, rule, "zero_below", false,
			              &ln->has_zero_below, &ln->zero_below);
		if (err == JX_OK)
			err = get_bool(c, rule, "inclusive", &ln->full_incl);
		break;
	case JX_FW_BANDS:
		bands = jx_json_get(rule, "bands");
		if (bands == NULL || bands->kind != JX_JSON_ARRAY ||
		    bands->len == 0 || bands->len > JX_FW_MAX_BANDS) {
			err = fail(c, rule, "rule.bands",
			           "应为 1 至 20 档的数组，由高到低");
			break;
		}
		ln->bands =
		        jx_arena_calloc(c->a, bands->len, sizeof(*ln->bands));
		if (ln->bands == NULL)
			return jx_diag_set(c->d, JX_ENOMEM, "rule", "内存不足");
		for (k = 0; k < bands->len && err == JX_OK; k++) {
			static const char *const bkeys[] = {"min", "inclusive",
			                                    "points", NULL};
			const struct jx_json *b = &bands->u.items[k];

			if (b->kind != JX_JSON_OBJECT) {
				err = fail(c, b, "rule.bands",
				           "每一档应为对象");
				break;
			}
			ln->bands[k].incl = true;
			err = known_keys(c, b, bkeys, "rule.bands");
			if (err == JX_OK)
				err = get_dec(c, b, "min", true, NULL,
				              &ln->bands[k].min);
			if (err == JX_OK)
				err = get_dec(c, b, "points", true, NULL,
				              &ln->bands[k].points);
			if (err == JX_OK)
				err = get_bool(c, b, "inclusive",
				               &ln->bands[k].incl);
			if (err == JX_OK && k > 0 &&
			    jx_dec_cmp(ln->bands[k].min,
			               ln->bands[k - 1].min) >= 0)
				err = fail(c, b, "rule.bands",
				           "各档下限应由高到低排列");
			if (err == JX_OK &&
			    jx_dec_cmp(ln->bands[k].points, ln->weight) > 0)
				err = fail(c, b, "rule.bands",
				           "档次分值超过指标分值");
		}
		ln->nbands = bands->len;
		break;
	case JX_FW_CHECKLIST:
	case JX_FW_COUNT:
		err = get_dec(c, rule, "deduct", true, NULL, &ln->deduct);
		if (err == JX_OK && ln->kind == JX_FW_CHECKLIST)
			err = get_bool(c, rule, "serious_zero",
			               &ln->serious_zero);
		break;
	case JX_FW_MANUAL:
		err = JX_OK;
		break;
	}
	return err;
}

static enum jx_err
parse_input(struct ctx *c, const struct jx_json *in, struct jx_fw_line *ln)
{
	static const char *const keys[] = {
	        "value", "failed", "serious", "count", "score", "reason", NULL};
	enum jx_err err;

	if (in == NULL || in->kind == JX_JSON_NULL)
		return JX_OK;
	if (in->kind != JX_JSON_OBJECT)
		return fail(c, in, "input", "应为对象");
	if ((err = known_keys(c, in, keys, "input")) != JX_OK)
		return err;
	ln->has_input = true;
	err = get_str(c, in, "reason", false, &ln->reason);
	switch (ln->kind) {
	case JX_FW_RATIO:
	case JX_FW_THRESHOLD:
	case JX_FW_PCT:
	case JX_FW_BANDS:
		if (err == JX_OK)
			err = get_dec(c, in, "value", true, &ln->has_value,
			              &ln->value);
		break;
	case JX_FW_CHECKLIST:
		if (err == JX_OK)
			err = get_uint(c, in, "failed", &ln->failed);
		if (err == JX_OK)
			err = get_bool(c, in, "serious", &ln->serious);
		break;
	case JX_FW_COUNT:
		if (err == JX_OK)
			err = get_uint(c, in, "count", &ln->count);
		break;
	case JX_FW_MANUAL:
		if (err == JX_OK)
			err = get_dec(c, in, "score", true, &ln->has_manual,
			              &ln->manual);
		if (err == JX_OK && (jx_dec_cmp(ln->manual, 0) < 0 ||
		                     jx_dec_cmp(ln->manual, ln->weight) > 0))
			err = fail(c, in, "input.score",
			           "评价得分应在 0 与指标分值之间");
		if (err == JX_OK && jx_dec_cmp(ln->manual, ln->weight) < 0 &&
		    (ln->reason == NULL || ln->reason[0] == '\0'))
			err = fail(c, in, "input.reason",
			           "人工评分低于指标分值时须写明扣分原因");
		break;
	}
	return err;
}

static enum jx_err
parse_line(struct ctx *c, const struct jx_json *v, struct jx_fw_line *ln)
{
	static const char *const keys[] = {
	        "level1", "level2", "name",  "explain", "standard",
	        "weight", "rule",   "input", "stated",  NULL};
	enum jx_err err;

	if (v->kind != JX_JSON_OBJECT)
		return fail(c, v, "lines", "每一行指标应为对象");
	ln->line = v->line;
	err = known_keys(c, v, keys, "lines");
	if (err == JX_OK)
		err = get_str(c, v, "level1", true, &ln->level1);
	if (err == JX_OK)
		err = get_str(c, v, "level2", false, &ln->level2);
	if (err == JX_OK)
		err = get_str(c, v, "name", true, &ln->name);
	if (err == JX_OK)
		err = get_str(c, v, "explain", false, &ln->explain);
	if (err == JX_OK)
		err = get_str(c, v, "standard", false, &ln->standard);
	if (err == JX_OK)
		err = get_dec(c, v, "weight", true, NULL, &ln->weight);
	if (err == JX_OK && jx_dec_cmp(ln->weight, 0) <= 0)
		err = fail(c, v, "weight", "指标分值应大于 0");
	if (err == JX_OK)
		err = parse_rule(c, jx_json_get(v, "rule"), ln);
	if (err == JX_OK)
		err = parse_input(c, jx_json_get(v, "input"), ln);
	if (err == JX_OK)
		err = get_dec(c, v, "stated", false, &ln->stated.set,
		              &ln->stated.v);
	return err;
}

enum jx_err
jx_framework_parse(const char *text, size_t len, const char *name,
                   struct jx_arena *a, const struct jx_framework **out,
                   struct jx_diag *d)
{
	static const char *const keys[] = {
	        "format", "name",         "title",        "places",
	        "lines",  "total_stated", "grade_stated", NULL};
	struct ctx c = {a, name != NULL ? name : "", d};
	const struct jx_json *root, *lines, *places, *format;
	struct jx_framework *fw;
	enum jx_err err;
	size_t i;

	if (text == NULL || a == NULL || out == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	err = jx_json_parse(text, len, 1, a, &root, d);
	if (err != JX_OK)
		return err;
	if (root->kind != JX_JSON_OBJECT)
		return fail(&c, root, NULL, "评价指标体系应为一个 JSON 对象");
	if ((err = known_keys(&c, root, keys, "")) != JX_OK)
		return err;
	format = jx_json_get(root, "format");
	if (format == NULL || !jx_json_eq(format, "jixiao-framework/1", 18))
		return fail(&c, format != NULL ? format : root, "format",
		            "应为 \"jixiao-framework/1\"");
	fw = jx_arena_calloc(a, 1, sizeof(*fw));
	if (fw == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	fw->places = 2;
	err = get_str(&c, root, "name", false, &fw->name);
	if (err == JX_OK)
		err = get_str(&c, root, "title", true, &fw->title);
	if (err == JX_OK)
		err = get_str(&c, root, "grade_stated", false,
		              &fw->grade_stated);
	if (err == JX_OK)
		err = get_dec(&c, root, "total_stated", false,
		              &fw->total_stated.set, &fw->total_stated.v);
	places = jx_json_get(root, "places");
	if (err == JX_OK && places != NULL) {
		unsigned p = 0;

		err = get_uint(&c, root, "places", &p);
		if (err == JX_OK && p > 4)
			err = fail(&c, places, "places", "应为 0 至 4");
		fw->places = (int)p;
	}
	if (err != JX_OK)
		return err;
	lines = jx_json_get(root, "lines");
	if (lines == NULL || lines->kind != JX_JSON_ARRAY || lines->len == 0)
		return fail(&c, lines != NULL ? lines : root, "lines",
		            "应为非空数组，每项一行指标");
	if (lines->len > JX_FW_MAX_LINES)
		return jx_diag_set(d, JX_ETOOBIG, "lines",
		                   "%s：指标行过多（%zu 行，上限 %d 行）",
		                   c.name, lines->len, JX_FW_MAX_LINES);
	fw->lines = jx_arena_calloc(a, lines->len, sizeof(*fw->lines));
	if (fw->lines == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; i < lines->len; i++) {
		err = parse_line(&c, &lines->u.items[i], &fw->lines[i]);
		if (err != JX_OK) {
			if (d != NULL) {
				char msg[sizeof(d->message)];

				snprintf(msg, sizeof(msg),
				         "%s（第 %zu 行指标）", d->message,
				         i + 1);
				snprintf(d->message, sizeof(d->message), "%s",
				         msg);
			}
			return err;
		}
	}
	fw->nlines = lines->len;
	*out = fw;
	return JX_OK;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */

static const char *
fmt(jx_dec v, char *buf, size_t cap)
{
	jx_dec_format(v, -1, buf, cap);
	return buf;
}

/* w - n * per, floored at 0; *ded the deduction actually made. */
static jx_dec
minus(jx_dec w, int64_t n, jx_dec per, int places, jx_dec *ded)
{
	jx_dec d = 0;

	if (n > 0 && jx_dec_muldiv(per, jx_dec_from_int(n), jx_dec_from_int(1),
	                           places, &d) != JX_OK)
		d = w;
	if (jx_dec_cmp(d, w) > 0)
		d = w;
	*ded = d;
	return w - d;
}

static void
score_line(const struct jx_framework *fw, const struct jx_fw_line *ln,
           struct jx_fw_score *s)
{
	char a[48], b[48], c[48], e[48], f[48], g[48];
	jx_dec w = ln->weight, v = ln->value, ded = 0, sc = 0;
	int p = fw->places;
	size_t k;

	memset(s, 0, sizeof(*s));
	if (!ln->has_input) {
		snprintf(s->trace, sizeof(s->trace),
		         "未录入评价依据，无法计分");
		return;
	}
	switch (ln->kind) {
	case JX_FW_RATIO: {
		bool full = ln->lower_better ? jx_dec_cmp(v, ln->target) <= 0
		                             : jx_dec_cmp(v, ln->target) >= 0;

		if (full || (ln->lower_better ? v == 0 : ln->target == 0)) {
			sc = w;
			snprintf(s->trace, sizeof(s->trace),
			         "实际值%s%s目标值%s，得满分%s分",
			         fmt(v, a, 48),
			         ln->lower_better ? "未超过" : "达到",
			         fmt(ln->target, b, 48), fmt(w, c, 48));
		} else {
			if (ln->lower_better)
				jx_dec_muldiv(w, ln->target, v, p, &sc);
			else
				jx_dec_muldiv(w, v, ln->target, p, &sc);
			snprintf(s->trace, sizeof(s->trace),
			         "按比例计分：%s × %s ÷ %s = %s", fmt(w, a, 48),
			         fmt(ln->lower_better ? ln->target : v, b, 48),
			         fmt(ln->lower_better ? v : ln->target, c, 48),
			         fmt(sc, e, 48));
		}
		break;
	}
	case JX_FW_THRESHOLD: {
		int cmp = jx_dec_cmp(v, ln->full_at);
		bool full = ln->lower_full
		                    ? (cmp < 0 || (cmp == 0 && ln->full_incl))
		                    : (cmp > 0 || (cmp == 0 && ln->full_incl));
		jx_dec gap = ln->lower_full ? v - ln->full_at : ln->full_at - v;
		int64_t steps;

		if (full) {
			sc = w;
			snprintf(s->trace, sizeof(s->trace),
			         "实际值%s%s%s，得满分%s分", fmt(v, a, 48),
			         ln->lower_full
			                 ? (ln->full_incl ? "不高于" : "低于")
			                 : (ln->full_incl ? "不低于" : "大于"),
			         fmt(ln->full_at, b, 48), fmt(w, c, 48));
			break;
		}
		steps = gap / ln->step;
		if (ln->per_started && (gap % ln->step != 0 || gap == 0))
			steps++;
		sc = minus(w, steps, ln->deduct, p, &ded);
		snprintf(s->trace, sizeof(s->trace),
		         "实际值%s%s%s，每%s扣%s，计 %lld 档，扣%s分，得%s分",
		         fmt(v, a, 48),
		         ln->lower_full ? "超过"
		         : gap == 0     ? "未超过"
		                        : "低于",
		         fmt(ln->full_at, b, 48), fmt(ln->step, c, 48),
		         fmt(ln->deduct, e, 48), (long long)steps,
		         fmt(ded, f, 48), fmt(sc, g, 48));
		break;
	}
	case JX_FW_PCT: {
		int cmp = jx_dec_cmp(v, ln->full_at);
		jx_dec frac = 0;

		if (cmp > 0 || (cmp == 0 && ln->full_incl)) {
			sc = w;
			snprintf(s->trace, sizeof(s->trace),
			         "实际值%s达到%s，得满分%s分", fmt(v, a, 48),
			         fmt(ln->full_at, b, 48), fmt(w, c, 48));
		} else if (ln->has_zero_below &&
		           jx_dec_cmp(v, ln->zero_below) < 0) {
			sc = 0;
			snprintf(s->trace, sizeof(s->trace),
			         "实际值%s低于%s，不得分", fmt(v, a, 48),
			         fmt(ln->zero_below, b, 48));
		} else {
			jx_dec_muldiv(ln->full_at - v, ln->pct_per_point,
			              jx_dec_from_int(100), 6, &frac);
			jx_dec_muldiv(w, frac, jx_dec_from_int(1), p, &ded);
			if (jx_dec_cmp(ded, w) > 0)
				ded = w;
			sc = w - ded;
			snprintf(s->trace, sizeof(s->trace),
			         "实际值%s比%s低%s个百分点，每点扣分值的%s%%"
			         "，扣%s分，"
			         "得%s分",
			         fmt(v, a, 48), fmt(ln->full_at, b, 48),
			         fmt(ln->full_at - v, c, 48),
			         fmt(ln->pct_per_point, e, 48), fmt(ded, f, 48),
			         fmt(sc, g, 48));
		}
		break;
	}
	case JX_FW_BANDS:
		sc = 0;
		snprintf(s->trace, sizeof(s->trace),
		         "实际值%s低于各档下限，不得分", fmt(v, a, 48));
		for (k = 0; k < ln->nbands; k++) {
			int cmp = jx_dec_cmp(v, ln->bands[k].min);

			if (cmp > 0 || (cmp == 0 && ln->bands[k].incl)) {
				sc = ln->bands[k].points;
				snprintf(s->trace, sizeof(s->trace),
				         "实际值%s在第 %zu 档（%s%s），得%s分",
				         fmt(v, a, 48), k + 1,
				         ln->bands[k].incl ? "≥" : ">",
				         fmt(ln->bands[k].min, b, 48),
				         fmt(sc, c, 48));
				break;
			}
		}
		break;
	case JX_FW_CHECKLIST:
		if (ln->serious && ln->serious_zero) {
			sc = 0;
			snprintf(s->trace, sizeof(s->trace),
			         "存在严重不符合，此项不得分");
			break;
		}
		sc = minus(w, ln->failed, ln->deduct, p, &ded);
		snprintf(s->trace, sizeof(s->trace),
		         "%u 项不符合，每项扣%s分，扣%s分，得%s分", ln->failed,
		         fmt(ln->deduct, a, 48), fmt(ded, b, 48),
		         fmt(sc, c, 48));
		break;
	case JX_FW_COUNT:
		sc = minus(w, ln->count, ln->deduct, p, &ded);
		snprintf(s->trace, sizeof(s->trace),
		         "%u 次（项），每次扣%s分，扣%s分，得%s分", ln->count,
		         fmt(ln->deduct, a, 48), fmt(ded, b, 48),
		         fmt(sc, c, 48));
		break;
	case JX_FW_MANUAL:
		sc = ln->manual;
		snprintf(s->trace, sizeof(s->trace), "评价人员评分%s分%s%s",
		         fmt(sc, a, 48), ln->reason != NULL ? "：" : "",
		         ln->reason != NULL ? ln->reason : "");
		break;
	}
	s->scored = true;
	s->score = jx_dec_round(sc, p);
	s->deducted = w - s->score;
}

static void
add(struct jx_arena *a, struct jx_findings *f, const char *code,
    enum jx_severity sev, const char *where, const char *stated,
    const char *computed, const char *msg, int line)
{
	struct jx_finding *it;

	if (f->n == f->cap) {
		size_t cap = f->cap != 0 ? f->cap * 2 : 16;
		struct jx_finding *n =
		        jx_arena_grow(a, f->items, f->cap, cap, sizeof(*n));

		if (n == NULL) {
			f->dropped++;
			return;
		}
		f->items = n;
		f->cap = cap;
	}
	it = &f->items[f->n++];
	it->code = code;
	it->severity = sev;
	it->where = jx_arena_strndup(a, where, strlen(where));
	it->stated = stated != NULL
	                     ? jx_arena_strndup(a, stated, strlen(stated))
	                     : NULL;
	it->computed = computed != NULL
	                       ? jx_arena_strndup(a, computed, strlen(computed))
	                       : NULL;
	it->message = jx_arena_strndup(a, msg, strlen(msg));
	it->indicator = line;
	if (sev == JX_SEV_ERROR)
		f->nerrors++;
	else if (sev == JX_SEV_WARNING)
		f->nwarnings++;
}

enum jx_err
jx_framework_score(const struct jx_framework *fw, const struct jx_rules *r,
                   struct jx_arena *a, struct jx_fw_result *out)
{
	char where[256], msg[MSG_CAP], s1[48], s2[48];
	jx_dec stated_sum = 0;
	bool all_stated = true;
	size_t i;

	if (fw == NULL || a == NULL || out == NULL)
		return JX_EINVAL;
	memset(out, 0, sizeof(*out));
	out->lines = jx_arena_calloc(a, fw->nlines, sizeof(*out->lines));
	if (out->lines == NULL)
		return JX_ENOMEM;
	out->complete = true;
	for (i = 0; i < fw->nlines; i++) {
		const struct jx_fw_line *ln = &fw->lines[i];
		struct jx_fw_score *s = &out->lines[i];

		score_line(fw, ln, s);
		out->weight_sum += ln->weight;
		if (s->scored)
			out->total += s->score;
		else
			out->complete = false;
		snprintf(where, sizeof(where), "%s/%s%s%s", ln->level1,
		         ln->level2 != NULL ? ln->level2 : "",
		         ln->level2 != NULL ? "/" : "", ln->name);
		if (ln->stated.set)
			stated_sum += ln->stated.v;
		else
			all_stated = false;
		if (ln->stated.set && s->scored &&
		    jx_dec_cmp(jx_dec_round(ln->stated.v, fw->places),
		               s->score) != 0) {
			snprintf(msg, sizeof(msg),
			         "评价得分填为%s，按本行评价标准应为%s（%s）",
			         fmt(ln->stated.v, s1, 48),
			         fmt(s->score, s2, 48), s->trace);
			add(a, &out->findings, "FW_LINE_SCORE", JX_SEV_ERROR,
			    where, s1, s2, msg, (int)i);
		}
		if (ln->stated.set &&
		    jx_dec_cmp(ln->stated.v, ln->weight) < 0 &&
		    (ln->reason == NULL || ln->reason[0] == '\0')) {
			add(a, &out->findings, "FW_REASON_MISSING",
			    JX_SEV_WARNING, where, NULL, NULL,
			    "该行被扣分，但未写明扣分原因", (int)i);
		}
	}
	if (jx_dec_cmp(out->weight_sum, jx_dec_from_int(100)) != 0) {
		snprintf(msg, sizeof(msg), "各行指标分值合计为%s，应为100",
		         fmt(out->weight_sum, s1, 48));
		add(a, &out->findings, "FW_WEIGHT_SUM", JX_SEV_WARNING, "合计",
		    s1, "100", msg, -1);
	}
	if (fw->total_stated.set && all_stated &&
	    jx_dec_cmp(fw->total_stated.v, stated_sum) != 0) {
		snprintf(msg, sizeof(msg), "合计填为%s，但各行评价得分之和为%s",
		         fmt(fw->total_stated.v, s1, 48),
		         fmt(stated_sum, s2, 48));
		add(a, &out->findings, "FW_TOTAL_SUM", JX_SEV_ERROR, "合计", s1,
		    s2, msg, -1);
	}
	if (fw->total_stated.set && out->complete &&
	    jx_dec_cmp(fw->total_stated.v, out->total) != 0) {
		snprintf(msg, sizeof(msg),
		         "合计填为%s，按各行评价标准计算应为%"
		         "s（差异来自上列各行）",
		         fmt(fw->total_stated.v, s1, 48),
		         fmt(out->total, s2, 48));
		add(a, &out->findings, "FW_TOTAL", JX_SEV_ERROR, "合计", s1, s2,
		    msg, -1);
	}
	if (out->complete && r != NULL)
		out->grade = jx_rules_grade_for(r, out->total);
	if (fw->grade_stated != NULL && r != NULL && out->grade != NULL) {
		const struct jx_rules_grade *g =
		        jx_rules_grade_find(r, fw->grade_stated);

		if (g != out->grade) {
			snprintf(msg, sizeof(msg),
			         "评价等级填为“%s”，按计算得分%s应为“%s”",
			         fw->grade_stated, fmt(out->total, s1, 48),
			         out->grade->name);
			add(a, &out->findings, "FW_GRADE", JX_SEV_ERROR,
			    "评价等级", fw->grade_stated, out->grade->name, msg,
			    -1);
		}
	}
	return JX_OK;
}
