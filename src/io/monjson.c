/*
 * monjson.c - monitoring records in the interchange format (monjson.h):
 * the strict reader onto struct jx_monitor. Parsing is jansson's with
 * duplicate keys refused; amounts are read from their text into fen, never
 * through a double. It does not judge the record (monitor.c does).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "jx/dec.h"
#include "jx/limits.h"
#include "jx/monjson.h"

struct rd {
	struct jx_arena *a;
	const char *name;
	struct jx_diag *d;
	const char *unit; /* 万元 or 元 */
};

static enum jx_err bad(struct rd *r, const char *field, const char *msg);
static enum jx_err keys(struct rd *r, json_t *obj, const char *const *known,
                        const char *where);
static enum jx_err str(struct rd *r, json_t *obj, const char *key,
                       const char *where, const char **out);
static enum jx_err amount(struct rd *r, json_t *obj, const char *key,
                          const char *where, bool *has, int64_t *fen);

static enum jx_err
bad(struct rd *r, const char *field, const char *msg)
{
	return jx_diag_set(r->d, JX_EINVAL, field, "%s", msg);
}

static enum jx_err
keys(struct rd *r, json_t *obj, const char *const *known, const char *where)
{
	const char *k;
	json_t *v;
	char msg[160];
	size_t i;

	json_object_foreach(obj, k, v)
	{
		bool ok = false;

		for (i = 0; known[i] != NULL && !ok; i++)
			ok = strcmp(k, known[i]) == 0;
		if (!ok) {
			snprintf(msg, sizeof(msg), "未知的字段“%.64s”", k);
			return bad(r, where, msg);
		}
	}
	return JX_OK;
}

static enum jx_err
str(struct rd *r, json_t *obj, const char *key, const char *where,
    const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return JX_OK;
	if (!json_is_string(v))
		return bad(r, where, "应为字符串");
	*out = jx_arena_strndup(r->a, json_string_value(v),
	                        json_string_length(v));
	return *out != NULL ? JX_OK
	                    : jx_diag_set(r->d, JX_ENOMEM, where, "内存不足");
}

/* An amount in the record's unit (a decimal string or an integer) in fen. */
static enum jx_err
amount(struct rd *r, json_t *obj, const char *key, const char *where, bool *has,
       int64_t *fen)
{
	json_t *v = json_object_get(obj, key);
	char text[64];
	jx_dec x;

	*has = false;
	*fen = 0;
	if (v == NULL || json_is_null(v))
		return JX_OK;
	if (json_is_integer(v))
		snprintf(text, sizeof(text), "%lld",
		         (long long)json_integer_value(v));
	else if (json_is_string(v) && json_string_length(v) < sizeof(text))
		snprintf(text, sizeof(text), "%s", json_string_value(v));
	else
		return bad(r, where,
		           "金额应写成字符串（如 "
		           "\"42.3\"）或整数，不用小数浮点数");
	if (jx_dec_parse(text, strlen(text), &x) != JX_OK)
		return bad(r, where, "不是有效的金额");
	/* a jx_dec counts millionths: of 万元 that is fen */
	if (strcmp(r->unit, "万元") == 0) {
		*fen = x;
	} else {
		if (x % 10000 != 0)
			return bad(r, where, "金额不是整分");
		*fen = x / 10000;
	}
	*has = true;
	return JX_OK;
}

enum jx_err
jx_monjson_read(const char *buf, size_t len, const char *name,
                struct jx_arena *a, struct jx_monjson *out, struct jx_diag *d)
{
	static const char *const top_keys[] = {
	        "note",       "kind",        "rules",         "title",
	        "unit",       "department",  "year",          "period_month",
	        "as_of",      "due",         "submitted",     "funds",
	        "indicators", "adjustments", "goal_versions", "summary",
	        NULL};
	static const char *const funds_keys[] = {
	        "unit",     "initial_budget",  "annual_budget",
	        "executed", "expected_annual", NULL};
	static const char *const ind_keys[] = {
	        "level1",     "level2",     "name",      "target",
	        "progress",   "expected",   "deviation", "cause",
	        "cause_text", "likelihood", "measure",   NULL};
	static const char *const adj_keys[] = {"date", "amount", "note", NULL};
	static const char *const gv_keys[] = {"date", "targets_changed", "note",
	                                      NULL};
	struct rd r = {a, name != NULL ? name : "", d, "万元"};
	struct jx_mon_indicator *inds = NULL;
	struct jx_mon_adjustment *adjs = NULL;
	struct jx_mon_goalver *gvs = NULL;
	json_error_t je;
	json_t *root = NULL, *v, *funds, *arr, *it;
	char where[96];
	enum jx_err err = JX_OK;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (len > JX_MAX_RECORD_BYTES)
		return jx_diag_set(d, JX_ETOOBIG, NULL,
		                   "记录过大（上限 %u 字节）",
		                   (unsigned)JX_MAX_RECORD_BYTES);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		jx_diag_set_file(d, r.name);
		jx_diag_set(d, JX_EPARSE, NULL, "不是有效的 JSON：%s", je.text);
		if (d != NULL) {
			d->line = je.line;
			d->column = je.column;
		}
		return JX_EPARSE;
	}
	if (!json_is_object(root)) {
		err = bad(&r, NULL, "应为一个 JSON 对象");
		goto done;
	}
	if ((err = keys(&r, root, top_keys, NULL)) != JX_OK)
		goto done;
	v = json_object_get(root, "kind");
	if (v != NULL && !(json_is_string(v) &&
	                   strcmp(json_string_value(v), "monitoring") == 0)) {
		err = bad(&r, "kind", "监控记录的 kind 应为 \"monitoring\"");
		goto done;
	}
	if ((err = str(&r, root, "rules", "rules", &out->rules)) != JX_OK ||
	    (err = str(&r, root, "title", "title", &out->m.title)) != JX_OK ||
	    (err = str(&r, root, "unit", "unit", &out->unit)) != JX_OK ||
	    (err = str(&r, root, "department", "department",
	               &out->department)) != JX_OK ||
	    (err = str(&r, root, "as_of", "as_of", &out->m.as_of)) != JX_OK ||
	    (err = str(&r, root, "due", "due", &out->m.due)) != JX_OK ||
	    (err = str(&r, root, "submitted", "submitted",
	               &out->m.submitted)) != JX_OK)
		goto done;
	v = json_object_get(root, "year");
	if (!json_is_integer(v)) {
		err = bad(&r, "year", "缺少年度或不是整数");
		goto done;
	}
	out->m.year = (int)json_integer_value(v);
	v = json_object_get(root, "period_month");
	if (!json_is_integer(v)) {
		err = bad(&r, "period_month",
		          "缺少监控期间（1–N月的 N）或不是整数");
		goto done;
	}
	out->m.period_month = (int)json_integer_value(v);

	v = json_object_get(root, "summary");
	if (v != NULL && !json_is_null(v)) {
		static const char *const sum_keys[] = {
		        "overview", "deviation_analysis", "next_steps", NULL};

		if (!json_is_object(v)) {
			err = bad(&r, "summary", "应为对象");
			goto done;
		}
		if ((err = keys(&r, v, sum_keys, "summary")) != JX_OK ||
		    (err = str(&r, v, "overview", "summary.overview",
		               &out->overview)) != JX_OK ||
		    (err = str(&r, v, "deviation_analysis",
		               "summary.deviation_analysis", &out->analysis)) !=
		            JX_OK ||
		    (err = str(&r, v, "next_steps", "summary.next_steps",
		               &out->next_steps)) != JX_OK)
			goto done;
	}
	funds = json_object_get(root, "funds");
	if (!json_is_object(funds)) {
		err = bad(&r, "funds", "缺少资金（funds 对象）");
		goto done;
	}
	if ((err = keys(&r, funds, funds_keys, "funds")) != JX_OK)
		goto done;
	v = json_object_get(funds, "unit");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) ||
		    (strcmp(json_string_value(v), "万元") != 0 &&
		     strcmp(json_string_value(v), "元") != 0)) {
			err = bad(&r, "funds.unit", "应为 \"万元\" 或 \"元\"");
			goto done;
		}
		r.unit =
		        strcmp(json_string_value(v), "元") == 0 ? "元" : "万元";
	}
	if ((err = amount(&r, funds, "initial_budget", "funds.initial_budget",
	                  &out->m.has_initial, &out->m.initial_fen)) != JX_OK ||
	    (err = amount(&r, funds, "annual_budget", "funds.annual_budget",
	                  &out->m.has_budget, &out->m.budget_fen)) != JX_OK ||
	    (err = amount(&r, funds, "executed", "funds.executed",
	                  &out->m.has_executed, &out->m.executed_fen)) !=
	            JX_OK ||
	    (err = amount(&r, funds, "expected_annual", "funds.expected_annual",
	                  &out->m.has_expected, &out->m.expected_fen)) != JX_OK)
		goto done;

	arr = json_object_get(root, "indicators");
	if (arr != NULL && !json_is_array(arr)) {
		err = bad(&r, "indicators", "应为数组");
		goto done;
	}
	if (json_array_size(arr) > JX_MONITOR_MAX_INDICATORS) {
		err = jx_diag_set(d, JX_ETOOBIG, "indicators",
		                  "指标过多（上限 %d 项）",
		                  JX_MONITOR_MAX_INDICATORS);
		goto done;
	}
	inds = jx_arena_calloc(a, json_array_size(arr) + 1, sizeof(*inds));
	if (inds == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	json_array_foreach(arr, i, it)
	{
		struct jx_mon_indicator *x = &inds[i];
		const char *s;

		snprintf(where, sizeof(where), "indicators[%zu]", i);
		if (!json_is_object(it)) {
			err = bad(&r, where, "应为对象");
			goto done;
		}
		if ((err = keys(&r, it, ind_keys, where)) != JX_OK ||
		    (err = str(&r, it, "level1", where, &x->level1)) != JX_OK ||
		    (err = str(&r, it, "level2", where, &x->level2)) != JX_OK ||
		    (err = str(&r, it, "name", where, &x->name)) != JX_OK ||
		    (err = str(&r, it, "target", where, &x->target)) != JX_OK ||
		    (err = str(&r, it, "progress", where, &x->progress)) !=
		            JX_OK ||
		    (err = str(&r, it, "expected", where, &x->expected)) !=
		            JX_OK ||
		    (err = str(&r, it, "cause_text", where, &x->cause_text)) !=
		            JX_OK ||
		    (err = str(&r, it, "measure", where, &x->measure)) != JX_OK)
			goto done;
		if (x->name == NULL || x->name[0] == '\0') {
			err = bad(&r, where, "缺少三级指标名称（name）");
			goto done;
		}
		if ((err = str(&r, it, "deviation", where, &s)) != JX_OK)
			goto done;
		if (jx_monitor_flag_parse(s, &x->deviation) != JX_OK) {
			err = bad(&r, where,
			          "存在偏差（deviation）应为“是”或“否”");
			goto done;
		}
		if ((err = str(&r, it, "cause", where, &s)) != JX_OK)
			goto done;
		if (jx_monitor_cause_parse(s, &x->cause) != JX_OK) {
			err = bad(&r, where,
			          "偏差原因（cause）应为 "
			          "经费、制度、人员、硬件条件 "
			          "或 其他");
			goto done;
		}
		if ((err = str(&r, it, "likelihood", where, &s)) != JX_OK)
			goto done;
		if (jx_monitor_likely_parse(s, &x->likely) != JX_OK) {
			err = bad(&r, where,
			          "完成可能性（likelihood）应为 确定能、有可能 "
			          "或 "
			          "完全不可能");
			goto done;
		}
	}
	out->m.indicators = inds;
	out->m.nindicators = json_array_size(arr);

	arr = json_object_get(root, "adjustments");
	if ((arr != NULL && !json_is_array(arr)) ||
	    json_array_size(arr) > JX_MONITOR_MAX_EVENTS) {
		err = bad(&r, "adjustments",
		          "应为预算调整的数组（至多 1000 项）");
		goto done;
	}
	adjs = jx_arena_calloc(a, json_array_size(arr) + 1, sizeof(*adjs));
	if (adjs == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	json_array_foreach(arr, i, it)
	{
		bool has;

		snprintf(where, sizeof(where), "adjustments[%zu]", i);
		if (!json_is_object(it)) {
			err = bad(&r, where, "应为对象");
			goto done;
		}
		if ((err = keys(&r, it, adj_keys, where)) != JX_OK ||
		    (err = str(&r, it, "date", where, &adjs[i].date)) !=
		            JX_OK ||
		    (err = amount(&r, it, "amount", where, &has,
		                  &adjs[i].amount_fen)) != JX_OK)
			goto done;
		if (!has || adjs[i].date == NULL) {
			err = bad(&r, where,
			          "预算调整须有日期（date）和金额（amount）");
			goto done;
		}
	}
	out->m.adjustments = adjs;
	out->m.nadjustments = json_array_size(arr);

	arr = json_object_get(root, "goal_versions");
	if ((arr != NULL && !json_is_array(arr)) ||
	    json_array_size(arr) > JX_MONITOR_MAX_EVENTS) {
		err = bad(&r, "goal_versions",
		          "应为绩效目标版本的数组（至多 1000 项）");
		goto done;
	}
	gvs = jx_arena_calloc(a, json_array_size(arr) + 1, sizeof(*gvs));
	if (gvs == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	json_array_foreach(arr, i, it)
	{
		json_t *tc;

		snprintf(where, sizeof(where), "goal_versions[%zu]", i);
		if (!json_is_object(it)) {
			err = bad(&r, where, "应为对象");
			goto done;
		}
		if ((err = keys(&r, it, gv_keys, where)) != JX_OK ||
		    (err = str(&r, it, "date", where, &gvs[i].date)) != JX_OK)
			goto done;
		tc = json_object_get(it, "targets_changed");
		if (gvs[i].date == NULL || !json_is_boolean(tc)) {
			err = bad(&r, where,
			          "绩效目标版本须有日期（date）和 "
			          "targets_changed");
			goto done;
		}
		gvs[i].targets_changed = json_is_true(tc);
	}
	out->m.goalvers = gvs;
	out->m.ngoalvers = json_array_size(arr);
done:
	json_decref(root);
	if (err != JX_OK && d != NULL && d->file[0] == '\0')
		jx_diag_set_file(d, r.name);
	return err;
}
