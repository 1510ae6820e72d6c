/*
 * http.c - requests and responses as plain data: the error table, strict
 * checks of JSON bodies against declared schemas, query parameters, paging
 * and sorting, and the gate that bounds concurrent password hashes.
 *
 * Nothing here knows about sockets or libmicrohttpd (server.c) or about
 * routes (router.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/http.h"
#include "jx/limits.h"
#include "jx/text.h"

struct jx_http_gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned free;
};

static bool check_field(const json_t *v, const struct jx_http_field *f,
                        const char *path, struct jx_http_resp *rs);
static bool valid_date(const char *s);
static bool parse_int(const char *s, int64_t *out);

/* The one table from enum jx_err to HTTP status and API error code. */
static const struct {
	unsigned status;
	const char *code;
} err_http[] = {
        [JX_OK] = {200, "ok"},
        [JX_ENOMEM] = {503, "unavailable"},
        [JX_EINVAL] = {422, "invalid"},
        [JX_EPARSE] = {400, "bad_request"},
        [JX_ENOTFOUND] = {404, "not_found"},
        [JX_ECONFLICT] = {409, "conflict"},
        [JX_EPERM] = {403, "forbidden"},
        [JX_ETOOBIG] = {413, "too_large"},
        [JX_EDB] = {500, "internal"},
        [JX_EIO] = {500, "internal"},
        [JX_EEOF] = {400, "bad_request"},
        [JX_EAUTH] = {401, "unauthenticated"},
        [JX_EBUSY] = {429, "too_many_requests"},
};

#define NERR (sizeof(err_http) / sizeof(err_http[0]))

unsigned
jx_http_status(enum jx_err err)
{
	if ((size_t)err >= NERR || err_http[err].code == NULL)
		return 500;
	return err_http[err].status;
}

const char *
jx_http_code(enum jx_err err)
{
	if ((size_t)err >= NERR || err_http[err].code == NULL)
		return "internal";
	return err_http[err].code;
}

void
jx_http_resp_init(struct jx_http_resp *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void
jx_http_resp_cleanup(struct jx_http_resp *rs)
{
	json_decref(rs->body);
	free(rs->raw);
	rs->body = NULL;
	rs->raw = NULL;
}

void
jx_http_reply(struct jx_http_resp *rs, unsigned status, json_t *body)
{
	json_decref(rs->body);
	rs->body = NULL;
	if (body == NULL && status != JX_HTTP_NO_CONTENT) {
		jx_http_error(rs, JX_ENOMEM, NULL, "服务器繁忙，请稍后再试");
		return;
	}
	rs->status = status;
	rs->body = body;
}

static void error_v(struct jx_http_resp *rs, enum jx_err err, const char *code,
                    const char *field, const char *fmt, va_list ap)
        __attribute__((format(printf, 5, 0)));

static void
error_v(struct jx_http_resp *rs, enum jx_err err, const char *code,
        const char *field, const char *fmt, va_list ap)
{
	char msg[512];
	json_t *e;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	json_decref(rs->body);
	rs->body = NULL;
	rs->status = jx_http_status(err);
	if (code != NULL && strcmp(code, "method_not_allowed") == 0)
		rs->status = 405;
	if (rs->status >= 500 && err != JX_ENOMEM) {
		/* The detail is for the log, not for the client. */
		snprintf(rs->log_note, sizeof(rs->log_note), "%s", msg);
		snprintf(msg, sizeof(msg), "%s",
		         "服务器内部错误，请稍后再试或联系管理员");
	}
	if (!jx_text_utf8_valid(msg, strlen(msg)))
		snprintf(msg, sizeof(msg), "%s", jx_err_message(err));
	e = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code",
	              code != NULL ? code : jx_http_code(err), "message", msg,
	              "field",
	              field != NULL && field[0] != '\0' ? field : NULL);
	rs->body = e; /* NULL when out of memory: the server sends 503 */
	if (e == NULL)
		rs->status = 503;
}

void
jx_http_error(struct jx_http_resp *rs, enum jx_err err, const char *field,
              const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_v(rs, err, NULL, field, fmt, ap);
	va_end(ap);
}

void
jx_http_error_code(struct jx_http_resp *rs, enum jx_err err, const char *code,
                   const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_v(rs, err, code, field, fmt, ap);
	va_end(ap);
}

void
jx_http_diag(struct jx_http_resp *rs, enum jx_err err, const struct jx_diag *d)
{
	const char *msg = d != NULL && d->message[0] != '\0'
	                          ? d->message
	                          : jx_err_message(err);

	jx_http_error(rs, err, d != NULL ? d->field : NULL, "%s", msg);
}

void
jx_http_answer(struct jx_http_resp *rs, enum jx_err err,
               const struct jx_diag *d, unsigned status, json_t *body)
{
	if (err == JX_OK) {
		jx_http_reply(rs, status, body);
		return;
	}
	json_decref(body);
	jx_http_diag(rs, err, d);
}

void
jx_http_answer_list(struct jx_http_resp *rs, enum jx_err err,
                    const struct jx_diag *d, json_t *items, int64_t total,
                    int64_t page, int64_t per_page)
{
	if (err == JX_OK) {
		jx_http_reply(rs, JX_HTTP_OK,
		              jx_http_list(items, total, page, per_page));
		return;
	}
	json_decref(items);
	jx_http_diag(rs, err, d);
}

/* ---- schema checks ---------------------------------------------------- */

static const char *
type_name(enum jx_http_ftype t)
{
	switch (t) {
	case JX_HTTP_STRING:
		return "字符串";
	case JX_HTTP_INT:
		return "整数";
	case JX_HTTP_BOOL:
		return "布尔值（true/false）";
	case JX_HTTP_DEC:
		return "数值（如 \"12.5\"）";
	case JX_HTTP_DATE:
		return "日期（YYYY-MM-DD）";
	case JX_HTTP_ARRAY:
		return "数组";
	case JX_HTTP_OBJECT:
	default:
		return "对象";
	}
}

static bool
wrong_type(const struct jx_http_field *f, const char *path,
           struct jx_http_resp *rs)
{
	jx_http_error(rs, JX_EPARSE, path, "字段 %s 应为%s", path,
	              type_name(f->type));
	return false;
}

static bool
check_string(const json_t *v, const struct jx_http_field *f, const char *path,
             struct jx_http_resp *rs)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), chars;
	int64_t max = f->max > 0 ? f->max : JX_HTTP_TEXT_MAX;

	if (strlen(s) != len) {
		jx_http_error(rs, JX_EPARSE, path, "字段 %s 含有空字符", path);
		return false;
	}
	chars = jx_text_utf8_count(s, len);
	if ((int64_t)chars > max) {
		jx_http_error(rs, JX_EINVAL, path,
		              "字段 %s 过长：%zu 个字符，最多 %" PRId64 " 个",
		              path, chars, max);
		return false;
	}
	if ((int64_t)chars < f->min) {
		jx_http_error(rs, JX_EINVAL, path,
		              f->min == 1 ? "字段 %s 不能为空" : "字段 %s 过短",
		              path);
		return false;
	}
	return true;
}

static bool
check_field(const json_t *v, const struct jx_http_field *f, const char *path,
            struct jx_http_resp *rs)
{
	char sub[256];
	jx_dec dv;
	size_t i;
	int64_t n;

	if (json_is_null(v)) {
		if (f->flags & JX_HTTP_NULLABLE)
			return true;
		jx_http_error(rs, JX_EINVAL, path, "字段 %s 不能为 null", path);
		return false;
	}
	switch (f->type) {
	case JX_HTTP_STRING:
		if (!json_is_string(v))
			return wrong_type(f, path, rs);
		return check_string(v, f, path, rs);
	case JX_HTTP_INT:
		if (!json_is_integer(v))
			return wrong_type(f, path, rs);
		n = json_integer_value(v);
		if (n < f->min || n > f->max) {
			jx_http_error(rs, JX_EINVAL, path,
			              "字段 %s 超出范围：应在 %" PRId64
			              " 到 %" PRId64 " 之间",
			              path, f->min, f->max);
			return false;
		}
		return true;
	case JX_HTTP_BOOL:
		if (!json_is_boolean(v))
			return wrong_type(f, path, rs);
		return true;
	case JX_HTTP_DEC:
		if (json_is_integer(v)) {
			n = json_integer_value(v);
			if (n > INT64_MAX / 1000000 ||
			    n < INT64_MIN / 1000000) {
				jx_http_error(rs, JX_EINVAL, path,
				              "字段 %s 数值过大", path);
				return false;
			}
			return true;
		}
		if (!json_is_string(v))
			return wrong_type(f, path, rs);
		if (!check_string(v, f, path, rs))
			return false;
		if (jx_dec_parse(json_string_value(v), json_string_length(v),
		                 &dv) != JX_OK) {
			jx_http_error(rs, JX_EINVAL, path,
			              "字段 %s 不是有效的数值（最多六位小数）",
			              path);
			return false;
		}
		return true;
	case JX_HTTP_DATE:
		if (!json_is_string(v))
			return wrong_type(f, path, rs);
		if (!valid_date(json_string_value(v))) {
			jx_http_error(rs, JX_EINVAL, path,
			              "字段 %s 不是有效日期（YYYY-MM-DD）",
			              path);
			return false;
		}
		return true;
	case JX_HTTP_ARRAY:
		if (!json_is_array(v))
			return wrong_type(f, path, rs);
		if ((int64_t)json_array_size(v) > f->max) {
			jx_http_error(rs, JX_ETOOBIG, path,
			              "字段 %s 的条目过多：最多 %" PRId64 " 条",
			              path, f->max);
			return false;
		}
		for (i = 0; i < json_array_size(v); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu].", path, i);
			if (!json_is_object(json_array_get(v, i))) {
				sub[strlen(sub) - 1] = '\0';
				jx_http_error(rs, JX_EPARSE, sub,
				              "字段 %s 应为对象", sub);
				return false;
			}
			if (!jx_http_check(json_array_get(v, i), f->items, sub,
			                   rs))
				return false;
		}
		return true;
	case JX_HTTP_OBJECT:
	default:
		if (!json_is_object(v))
			return wrong_type(f, path, rs);
		snprintf(sub, sizeof(sub), "%s.", path);
		return jx_http_check(v, f->items, sub, rs);
	}
}

bool
jx_http_check(const json_t *obj, const struct jx_http_field *schema,
              const char *prefix, struct jx_http_resp *rs)
{
	static const struct jx_http_field none[] = {{NULL, 0, 0, 0, 0, NULL}};
	const struct jx_http_field *f;
	const char *key;
	const json_t *v;
	char path[256];

	if (schema == NULL)
		schema = none;
	json_object_foreach((json_t *)(uintptr_t)obj, key, v)
	{
		for (f = schema; f->name != NULL; f++)
			if (strcmp(f->name, key) == 0)
				break;
		snprintf(path, sizeof(path), "%s%s", prefix, key);
		if (f->name == NULL) {
			if (!jx_text_utf8_valid(path, strlen(path)))
				snprintf(path, sizeof(path), "%s?", prefix);
			jx_http_error_code(rs, JX_EPARSE, "unknown_field", path,
			                   "未知字段 %s", path);
			return false;
		}
		if (!check_field(v, f, path, rs))
			return false;
	}
	for (f = schema; f->name != NULL; f++) {
		if ((f->flags & JX_HTTP_REQUIRED) &&
		    json_object_get(obj, f->name) == NULL) {
			snprintf(path, sizeof(path), "%s%s", prefix, f->name);
			jx_http_error(rs, JX_EINVAL, path, "缺少必填字段 %s",
			              path);
			return false;
		}
	}
	return true;
}

const char *
jx_http_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

bool
jx_http_has(const json_t *obj, const char *key)
{
	return json_object_get(obj, key) != NULL;
}

int64_t
jx_http_int(const json_t *obj, const char *key, int64_t dflt)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

bool
jx_http_bool(const json_t *obj, const char *key, bool dflt)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

bool
jx_http_dec(const json_t *obj, const char *key, jx_dec *out)
{
	const json_t *v = json_object_get(obj, key);
	jx_dec d;

	if (json_is_integer(v)) {
		*out = json_integer_value(v) * 1000000;
		return true;
	}
	if (json_is_string(v) &&
	    jx_dec_parse(json_string_value(v), json_string_length(v), &d) ==
	            JX_OK) {
		*out = d;
		return true;
	}
	return false;
}

/* ---- query ------------------------------------------------------------ */

const char *
jx_http_query(const struct jx_http_req *rq, const char *key)
{
	size_t i;

	for (i = 0; i < rq->nquery; i++)
		if (strcmp(rq->query[i].key, key) == 0)
			return rq->query[i].value;
	return NULL;
}

/* A whole decimal integer with an optional '-', no spaces. */
static bool
parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' ||
	    (s[0] != '-' && (s[0] < '0' || s[0] > '9')))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = (int64_t)v;
	return true;
}

enum jx_err
jx_http_query_int(const struct jx_http_req *rq, struct jx_http_resp *rs,
                  const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	const char *s = jx_http_query(rq, key);
	int64_t v;

	if (s == NULL)
		return JX_ENOTFOUND;
	if (!parse_int(s, &v) || v < lo || v > hi) {
		jx_http_error(rs, JX_EPARSE, key,
		              "查询参数 %s 应为 %" PRId64 " 到 %" PRId64
		              " 之间的整数",
		              key, lo, hi);
		return JX_EINVAL;
	}
	*out = v;
	return JX_OK;
}

bool
jx_http_paging(const struct jx_http_req *rq, struct jx_http_resp *rs,
               int64_t *page, int64_t *per_page)
{
	enum jx_err err;

	*page = 1;
	*per_page = 50;
	err = jx_http_query_int(rq, rs, "page", 1, 1000000, page);
	if (err != JX_OK && err != JX_ENOTFOUND)
		return false;
	err = jx_http_query_int(rq, rs, "per_page", 1, JX_HTTP_PAGE_MAX,
	                        per_page);
	return err == JX_OK || err == JX_ENOTFOUND;
}

bool
jx_http_sorting(const struct jx_http_req *rq, struct jx_http_resp *rs,
                const char *const *allowed, const char **key, bool *desc)
{
	const char *s = jx_http_query(rq, "sort");
	size_t i;

	*key = allowed[0];
	*desc = false;
	if (s == NULL)
		return true;
	if (s[0] == '-') {
		*desc = true;
		s++;
	}
	for (i = 0; allowed[i] != NULL; i++) {
		if (strcmp(allowed[i], s) == 0) {
			*key = allowed[i];
			return true;
		}
	}
	jx_http_error(rs, JX_EPARSE, "sort", "不支持按 %s 排序",
	              jx_text_utf8_valid(s, strlen(s)) ? s : "?");
	return false;
}

json_t *
jx_http_list(json_t *items, int64_t total, int64_t page, int64_t per_page)
{
	if (items == NULL)
		return NULL;
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
	                 (json_int_t)total, "page", (json_int_t)page,
	                 "per_page", (json_int_t)per_page);
}

/* ---- gate ------------------------------------------------------------- */

struct jx_http_gate *
jx_http_gate_new(unsigned n)
{
	struct jx_http_gate *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	if (pthread_mutex_init(&g->mu, NULL) != 0) {
		free(g);
		return NULL;
	}
	if (pthread_cond_init(&g->cv, NULL) != 0) {
		pthread_mutex_destroy(&g->mu);
		free(g);
		return NULL;
	}
	g->free = n > 0 ? n : 1;
	return g;
}

void
jx_http_gate_free(struct jx_http_gate *g)
{
	if (g == NULL)
		return;
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

void
jx_http_gate_enter(struct jx_http_gate *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	while (g->free == 0)
		pthread_cond_wait(&g->cv, &g->mu);
	g->free--;
	pthread_mutex_unlock(&g->mu);
}

void
jx_http_gate_leave(struct jx_http_gate *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	g->free++;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

/* YYYY-MM-DD with a real month and day (years 1900..2999). */
static bool
valid_date(const char *s)
{
	int y = 0;

	return jx_text_date(s, &y, NULL, NULL) && y <= 2999;
}
