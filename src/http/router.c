/*
 * router.c - match a request to its route and check everything the route
 * declares before its handler runs: path and method, query parameters,
 * body size, session, CSRF token, role, strict JSON and its schema.
 *
 * The order of the checks is part of the contract (router.h): a caller
 * without a session learns only that the path exists (401), never whether a
 * record does; roles are checked before the body is parsed, so an
 * unauthorised caller cannot make the server parse large bodies.
 * No sockets and no database access other than through the
 * authentication hook.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "jx/limits.h"
#include "jx/router.h"
#include "jx/text.h"
#include "jx/workflow.h"

static bool match_path(const char *pattern, const char *path, int64_t *ids,
                       size_t *nids);
static bool query_known(const char *list, const char *key);
static bool state_changing(const char *method);
static bool check_query(const struct jx_route *r, const struct jx_http_req *rq,
                        struct jx_http_resp *rs);
static bool decode_body(const struct jx_route *r, struct jx_http_req *rq,
                        struct jx_http_resp *rs);
static size_t json_depth(const json_t *v);

/* One segment of pattern p (up to '/' or end) against path segment s;
 * "{name}" takes 1..18 digits without a leading zero. */
static bool
match_segment(const char *p, size_t plen, const char *s, size_t slen,
              int64_t *id)
{
	size_t i;
	int64_t v = 0;

	if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
		if (slen == 0 || slen > 18 || s[0] == '0')
			return false;
		for (i = 0; i < slen; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v = v * 10 + (s[i] - '0');
		}
		*id = v;
		return true;
	}
	*id = 0;
	return plen == slen && memcmp(p, s, plen) == 0;
}

static bool
match_path(const char *pattern, const char *path, int64_t *ids, size_t *nids)
{
	const char *p = pattern, *s = path, *pe, *se;
	int64_t id;
	size_t n = 0;

	if (*p != '/' || *s != '/')
		return false;
	while (*p == '/' && *s == '/') {
		p++;
		s++;
		pe = strchr(p, '/');
		se = strchr(s, '/');
		if (pe == NULL)
			pe = p + strlen(p);
		if (se == NULL)
			se = s + strlen(s);
		if (!match_segment(p, (size_t)(pe - p), s, (size_t)(se - s),
		                   &id))
			return false;
		if (p[0] == '{') {
			if (n == JX_HTTP_MAX_IDS)
				return false;
			ids[n++] = id;
		}
		p = pe;
		s = se;
	}
	if (*p != '\0' || *s != '\0')
		return false;
	*nids = n;
	return true;
}

enum jx_err
jx_router_match(const struct jx_route *routes, size_t n, struct jx_http_req *rq,
                char *allow, size_t cap, const struct jx_route **out)
{
	int64_t ids[JX_HTTP_MAX_IDS];
	size_t i, nids = 0, used = 0;
	bool path_seen = false;

	if (cap > 0)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!match_path(routes[i].pattern, rq->path, ids, &nids))
			continue;
		path_seen = true;
		if (strcmp(routes[i].method, rq->method) == 0) {
			memcpy(rq->ids, ids, sizeof(ids));
			rq->nids = nids;
			rq->route = &routes[i];
			*out = &routes[i];
			return JX_OK;
		}
		if (cap > used) {
			int k = snprintf(allow + used, cap - used, "%s%s",
			                 used > 0 ? ", " : "",
			                 routes[i].method);

			if (k > 0)
				used += (size_t)k;
		}
	}
	return path_seen ? JX_EPERM : JX_ENOTFOUND;
}

/* Whether key is one of the space-separated names in list. */
static bool
query_known(const char *list, const char *key)
{
	size_t klen = strlen(key);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, ' ');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		if (len == klen && memcmp(p, key, len) == 0)
			return true;
		p = e != NULL ? e + 1 : NULL;
	}
	return false;
}

static bool
state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static bool
check_query(const struct jx_route *r, const struct jx_http_req *rq,
            struct jx_http_resp *rs)
{
	size_t i, j;

	for (i = 0; i < rq->nquery; i++) {
		const char *k = rq->query[i].key;

		if (!jx_text_utf8_valid(k, strlen(k)) ||
		    !query_known(r->query, k)) {
			jx_http_error_code(
			        rs, JX_EPARSE, "unknown_parameter",
			        jx_text_utf8_valid(k, strlen(k)) ? k : NULL,
			        "未知查询参数 %s",
			        jx_text_utf8_valid(k, strlen(k)) ? k : "?");
			return false;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(rq->query[j].key, k) == 0) {
				jx_http_error(rs, JX_EPARSE, k,
				              "查询参数 %s 重复", k);
				return false;
			}
		}
		if (rq->query[i].value != NULL &&
		    !jx_text_utf8_valid(rq->query[i].value,
		                        strlen(rq->query[i].value))) {
			jx_http_error(rs, JX_EPARSE, k,
			              "查询参数 %s 不是有效的 UTF-8 文本", k);
			return false;
		}
	}
	return true;
}

static size_t
json_depth(const json_t *v)
{
	size_t i, d, max = 0;
	const char *key;
	json_t *c;

	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++) {
			d = json_depth(json_array_get(v, i));
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	if (json_is_object(v)) {
		json_object_foreach((json_t *)(uintptr_t)v, key, c)
		{
			d = json_depth(c);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	return 0;
}

static bool
decode_body(const struct jx_route *r, struct jx_http_req *rq,
            struct jx_http_resp *rs)
{
	json_error_t jerr;
	const char *ct = rq->content_type;

	if (r->body == NULL)
		return true;
	if (rq->body == NULL || rq->body_len == 0) {
		jx_http_error(rs, JX_EPARSE, NULL,
		              "缺少请求体：应为 JSON 对象");
		return false;
	}
	if (ct == NULL || strncmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
		jx_http_error_code(rs, JX_EPARSE, "unsupported_media_type",
		                   NULL, "请求体的类型应为 application/json");
		return false;
	}
	rq->json = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES,
	                      &jerr);
	if (rq->json == NULL) {
		/* jansson's text is English ASCII; the position is what the
		 * user needs */
		jx_http_error_code(
		        rs, JX_EPARSE, "malformed_json", NULL,
		        "请求体不是有效的 JSON（第 %d 行第 %d 列：%s）",
		        jerr.line, jerr.column,
		        jx_text_utf8_valid(jerr.text, strlen(jerr.text))
		                ? jerr.text
		                : "?");
		return false;
	}
	if (!json_is_object(rq->json)) {
		jx_http_error(rs, JX_EPARSE, NULL, "请求体应为 JSON 对象");
		return false;
	}
	if (json_depth(rq->json) > JX_HTTP_JSON_DEPTH) {
		jx_http_error(rs, JX_ETOOBIG, NULL,
		              "请求体嵌套过深：最多 %d 层", JX_HTTP_JSON_DEPTH);
		return false;
	}
	return jx_http_check(rq->json, r->body, "", rs);
}

void
jx_router_dispatch(const struct jx_route *routes, size_t n,
                   struct jx_http_req *rq, struct jx_http_resp *rs)
{
	const struct jx_route *r = NULL;
	struct jx_diag d;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_router_match(routes, n, rq, rs->allow, sizeof(rs->allow), &r);
	if (err == JX_ENOTFOUND) {
		jx_http_error(rs, JX_ENOTFOUND, NULL, "接口不存在");
		return;
	}
	if (err != JX_OK) {
		jx_http_error_code(rs, JX_EPERM, "method_not_allowed", NULL,
		                   "此接口不支持 %s 方法", rq->method);
		return;
	}
	rs->allow[0] = '\0';
	if (!check_query(r, rq, rs))
		return;
	if (r->body_max == 0 && rq->body_len > 0) {
		jx_http_error(rs, JX_EPARSE, NULL, "此接口不接受请求体");
		return;
	}
	if (rq->body_len > r->body_max) {
		jx_http_error(rs, JX_ETOOBIG, NULL, "请求体过大：最多 %zu 字节",
		              r->body_max);
		return;
	}
	if (r->roles != 0) {
		err = rq->cookie != NULL ? jx_router_authenticate(rq, &d)
		                         : JX_EAUTH;
		if (err == JX_EAUTH) {
			jx_http_error(rs, JX_EAUTH, NULL,
			              "未登录或会话已过期，请重新登录");
			return;
		}
		if (err != JX_OK) {
			jx_http_diag(rs, err, &d);
			return;
		}
		rs->log_user = rq->who.login;
		if (state_changing(rq->method) &&
		    !(r->flags & JX_ROUTE_NO_CSRF) &&
		    (rq->csrf == NULL || rq->session_csrf == NULL ||
		     strlen(rq->csrf) != strlen(rq->session_csrf) ||
		     sodium_memcmp(rq->csrf, rq->session_csrf,
		                   strlen(rq->csrf)) != 0)) {
			jx_http_error_code(rs, JX_EPERM, "csrf", NULL,
			                   "缺少或错误的 CSRF 令牌（请求头 "
			                   "X-CSRF-Token），请刷新页面后重试");
			return;
		}
		if ((r->roles & jx_workflow_role_bit(rq->who.role)) == 0) {
			jx_http_error(rs, JX_EPERM, NULL,
			              "当前角色（%s）无权执行此操作",
			              jx_workflow_role_label(rq->who.role));
			return;
		}
	}
	if (!decode_body(r, rq, rs))
		return;
	r->handler(rq, rs);
	if (rs->status == 0)
		jx_http_error(rs, JX_EDB, NULL, "处理程序未给出应答");
}
