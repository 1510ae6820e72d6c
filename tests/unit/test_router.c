/*
 * test_router.c - the router and the request helpers without sockets or a
 * database: path matching, 404/405, query and body checks, the schema
 * checker's verdict on each kind of bad field, the error table, paging and
 * sorting. Routes here are the test's own table (public routes, plus one
 * that needs a session, for which no cookie means 401 before anything).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jx/http.h"
#include "jx/limits.h"
#include "jx/router.h"
#include "jx/workflow.h"

static int handled;

static void
h_ok(struct jx_http_req *rq, struct jx_http_resp *rs)
{
	handled++;
	jx_http_reply(rs, JX_HTTP_OK,
	              json_pack("{s:I, s:I}", "n", (json_int_t)rq->nids, "id0",
	                        (json_int_t)(rq->nids > 0 ? rq->ids[0] : 0)));
}

static const struct jx_http_field line_schema[] = {
        {"position", JX_HTTP_INT, JX_HTTP_REQUIRED, 0, 100, NULL},
        {"actual", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, 10, NULL},
        {NULL, 0, 0, 0, 0, NULL}};

static const struct jx_http_field body_schema[] = {
        {"name", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, 5, NULL},
        {"weight", JX_HTTP_DEC, 0, 0, 0, NULL},
        {"date", JX_HTTP_DATE, 0, 0, 0, NULL},
        {"flag", JX_HTTP_BOOL, 0, 0, 0, NULL},
        {"lines", JX_HTTP_ARRAY, 0, 0, 2, line_schema},
        {NULL, 0, 0, 0, 0, NULL}};

static const struct jx_route routes[] = {
        {"GET", "/api/things", h_ok, 0, 0, 0, NULL, "page per_page sort",
         "list"},
        {"GET", "/api/things/{id}", h_ok, 0, 0, 0, NULL, NULL, "one"},
        {"PATCH", "/api/things/{id}", h_ok, 0, 0, 200, body_schema, NULL,
         "change"},
        {"GET", "/api/things/{id}/parts/{id}", h_ok, 0, 0, 0, NULL, NULL,
         "part"},
        {"GET", "/api/secret", h_ok, JX_ROLEBIT_ANY, 0, 0, NULL, NULL,
         "needs a session"},
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Dispatch method/path/body; returns the status, *code the error code. */
static unsigned
call(const char *method, const char *path, const char *body, const char **query,
     char *code, size_t cap)
{
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_arena a;
	unsigned status;
	size_t i;

	memset(&rq, 0, sizeof(rq));
	jx_arena_init(&a, 0);
	jx_http_resp_init(&rs);
	rq.method = method;
	rq.path = path;
	rq.arena = &a;
	rq.body = body;
	rq.body_len = body != NULL ? strlen(body) : 0;
	rq.content_type = "application/json";
	for (i = 0; query != NULL && query[i] != NULL; i += 2) {
		rq.query[rq.nquery].key = query[i];
		rq.query[rq.nquery].value = query[i + 1];
		rq.nquery++;
	}
	jx_router_dispatch(routes, NROUTES, &rq, &rs);
	status = rs.status;
	code[0] = '\0';
	if (status >= 400) {
		json_t *e = json_object_get(rs.body, "error");

		assert_non_null(e);
		assert_non_null(
		        json_string_value(json_object_get(e, "message")));
		snprintf(code, cap, "%s",
		         json_string_value(json_object_get(e, "code")));
	}
	json_decref(rq.json);
	jx_http_resp_cleanup(&rs);
	jx_arena_cleanup(&a);
	return status;
}

static void
test_paths(void **state)
{
	static const struct {
		const char *method, *path;
		unsigned status;
		const char *code;
	} cases[] = {
	        {"GET", "/api/things", 200, ""},
	        {"GET", "/api/things/7", 200, ""},
	        {"GET", "/api/things/7/parts/9", 200, ""},
	        /* ids: digits only, no leading zero, at most 18 */
	        {"GET", "/api/things/07", 404, "not_found"},
	        {"GET", "/api/things/-1", 404, "not_found"},
	        {"GET", "/api/things/0", 404, "not_found"},
	        {"GET", "/api/things/1234567890123456789", 404, "not_found"},
	        {"GET", "/api/things/12a", 404, "not_found"},
	        /* no trailing slash, no empty segment, no prefix match */
	        {"GET", "/api/things/", 404, "not_found"},
	        {"GET", "/api//things", 404, "not_found"},
	        {"GET", "/api/thing", 404, "not_found"},
	        {"GET", "api/things", 404, "not_found"},
	        {"GET", "/api/things/7/parts", 404, "not_found"},
	        /* path known, method not */
	        {"DELETE", "/api/things/7", 405, "method_not_allowed"},
	        {"POST", "/api/things", 405, "method_not_allowed"},
	        /* a session is needed and there is no cookie */
	        {"GET", "/api/secret", 401, "unauthenticated"},
	};
	char code[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned st = call(cases[i].method, cases[i].path, NULL, NULL,
		                   code, sizeof(code));

		if (st != cases[i].status || strcmp(code, cases[i].code) != 0)
			fail_msg("%s %s: %u %s, want %u %s", cases[i].method,
			         cases[i].path, st, code, cases[i].status,
			         cases[i].code);
	}
}

static void
test_allow_header(void **state)
{
	struct jx_http_req rq;
	struct jx_http_resp rs;
	char allow[64];
	const struct jx_route *r = NULL;

	(void)state;
	memset(&rq, 0, sizeof(rq));
	jx_http_resp_init(&rs);
	rq.method = "DELETE";
	rq.path = "/api/things/5";
	assert_int_equal(
	        jx_router_match(routes, NROUTES, &rq, allow, sizeof(allow), &r),
	        JX_EPERM);
	assert_string_equal(allow, "GET, PATCH");
}

static void
test_query(void **state)
{
	const char *ok[] = {"page", "2", "per_page", "10", NULL};
	const char *unknown[] = {"pgae", "2", NULL};
	const char *dup[] = {"page", "1", "page", "2", NULL};
	const char *bad_utf8[] = {"page", "\xff", NULL};
	const char *on_none[] = {"x", "1", NULL};
	char code[64];

	(void)state;
	assert_int_equal(call("GET", "/api/things", NULL, ok, code, 64), 200);
	assert_int_equal(call("GET", "/api/things", NULL, unknown, code, 64),
	                 400);
	assert_string_equal(code, "unknown_parameter");
	assert_int_equal(call("GET", "/api/things", NULL, dup, code, 64), 400);
	assert_int_equal(call("GET", "/api/things", NULL, bad_utf8, code, 64),
	                 400);
	/* a route that knows no parameters refuses any */
	assert_int_equal(call("GET", "/api/things/1", NULL, on_none, code, 64),
	                 400);
}

static void
test_bodies(void **state)
{
	static const struct {
		const char *body;
		unsigned status;
		const char *code;
	} cases[] = {
	        {"{\"name\":\"ab\"}", 200, ""},
	        {"{\"name\":\"中文名\",\"weight\":\"12.5\",\"date\":"
	         "\"2024-02-29\",\"flag\":true,\"lines\":[{\"position\":1,"
	         "\"actual\":null}]}",
	         200, ""},
	        {"{\"name\":\"ab\",\"weight\":10}", 200, ""},
	        /* malformed, truncated, not an object, duplicate keys */
	        {"{\"name\":", 400, "malformed_json"},
	        {"{name:1}", 400, "malformed_json"},
	        {"[1,2]", 400, "bad_request"},
	        {"{\"name\":\"a\",\"name\":\"b\"}", 400, "malformed_json"},
	        /* invalid UTF-8 inside a string */
	        {"{\"name\":\"\xc3\x28\"}", 400, "malformed_json"},
	        /* unknown fields at the top and inside */
	        {"{\"name\":\"ab\",\"nmae\":1}", 400, "unknown_field"},
	        {"{\"name\":\"ab\",\"lines\":[{\"position\":1,\"x\":1}]}", 400,
	         "unknown_field"},
	        /* wrong types */
	        {"{\"name\":5}", 400, "bad_request"},
	        {"{\"name\":\"ab\",\"weight\":0.1}", 400, "bad_request"},
	        {"{\"name\":\"ab\",\"flag\":\"yes\"}", 400, "bad_request"},
	        {"{\"name\":\"ab\",\"lines\":{}}", 400, "bad_request"},
	        {"{\"name\":\"ab\",\"lines\":[5]}", 400, "bad_request"},
	        /* values: required, length, range, decimal, date */
	        {"{}", 422, "invalid"},
	        {"{\"name\":\"\"}", 422, "invalid"},
	        {"{\"name\":\"一二三四五六\"}", 422, "invalid"},
	        {"{\"name\":null}", 422, "invalid"},
	        {"{\"name\":\"ab\",\"weight\":\"1e5\"}", 422, "invalid"},
	        {"{\"name\":\"ab\",\"weight\":\"0.1234567\"}", 422, "invalid"},
	        {"{\"name\":\"ab\",\"date\":\"2023-02-29\"}", 422, "invalid"},
	        {"{\"name\":\"ab\",\"lines\":[{\"position\":101}]}", 422,
	         "invalid"},
	        {"{\"name\":\"ab\",\"lines\":[{}]}", 422, "invalid"},
	        {"{\"name\":\"ab\",\"lines\":[{\"position\":1},{\"position\":"
	         "2},{\"position\":3}]}",
	         413, "too_large"},
	        /* huge numbers: jansson refuses integers past int64 */
	        {"{\"name\":\"ab\",\"weight\":99999999999999999999}", 400,
	         "malformed_json"},
	        {"{\"name\":\"ab\",\"weight\":9223372036854775}", 422,
	         "invalid"},
	        /* embedded NUL in a string: jansson refuses \u0000 */
	        {"{\"name\":\"a\\u0000b\"}", 400, "malformed_json"},
	        /* nesting deeper than the limit */
	        {"{\"name\":\"ab\",\"x\":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]"
	         "}",
	         413, "too_large"},
	        /* over the route's body limit (200 bytes) */
	        {"{\"name\":\"ab\",\"weight\":\"1\"                           "
	         "                                                            "
	         "                                                            "
	         "                                      }",
	         413, "too_large"},
	};
	char code[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned st = call("PATCH", "/api/things/3", cases[i].body,
		                   NULL, code, sizeof(code));

		if (st != cases[i].status || strcmp(code, cases[i].code) != 0)
			fail_msg("case %zu (%s): %u %s, want %u %s", i,
			         cases[i].body, st, code, cases[i].status,
			         cases[i].code);
	}
	/* a body on a route that takes none */
	assert_int_equal(call("GET", "/api/things/3", "{}", NULL, code, 64),
	                 400);
}

static void
test_content_type(void **state)
{
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct jx_arena a;

	(void)state;
	memset(&rq, 0, sizeof(rq));
	jx_arena_init(&a, 0);
	jx_http_resp_init(&rs);
	rq.method = "PATCH";
	rq.path = "/api/things/3";
	rq.arena = &a;
	rq.body = "{\"name\":\"ab\"}";
	rq.body_len = strlen(rq.body);
	rq.content_type = "text/plain";
	jx_router_dispatch(routes, NROUTES, &rq, &rs);
	assert_int_equal(rs.status, 400);
	jx_http_resp_cleanup(&rs);
	jx_http_resp_init(&rs);
	rq.content_type = "application/json; charset=utf-8";
	jx_router_dispatch(routes, NROUTES, &rq, &rs);
	assert_int_equal(rs.status, 200);
	json_decref(rq.json);
	jx_http_resp_cleanup(&rs);
	jx_arena_cleanup(&a);
}

static void
test_error_table(void **state)
{
	struct jx_http_resp rs;
	json_t *e;

	(void)state;
	assert_int_equal(jx_http_status(JX_ENOTFOUND), 404);
	assert_int_equal(jx_http_status(JX_EAUTH), 401);
	assert_int_equal(jx_http_status(JX_EBUSY), 429);
	assert_int_equal(jx_http_status(JX_ECONFLICT), 409);
	assert_int_equal(jx_http_status(JX_EINVAL), 422);
	assert_int_equal(jx_http_status(JX_EDB), 500);
	assert_string_equal(jx_http_code(JX_EPERM), "forbidden");
	/* internal errors keep their detail out of the body */
	jx_http_resp_init(&rs);
	jx_http_error(&rs, JX_EDB, NULL, "SQL failed: secret detail");
	e = json_object_get(rs.body, "error");
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	                    "internal");
	assert_null(strstr(json_string_value(json_object_get(e, "message")),
	                   "secret"));
	assert_non_null(strstr(rs.log_note, "secret detail"));
	assert_true(json_is_null(json_object_get(e, "field")));
	jx_http_resp_cleanup(&rs);
}

static void
test_paging_sorting(void **state)
{
	static const char *const keys[] = {"name", "code", NULL};
	struct jx_http_req rq;
	struct jx_http_resp rs;
	int64_t page, per;
	const char *key;
	bool desc;

	(void)state;
	memset(&rq, 0, sizeof(rq));
	jx_http_resp_init(&rs);
	assert_true(jx_http_paging(&rq, &rs, &page, &per));
	assert_int_equal(page, 1);
	assert_int_equal(per, 50);
	assert_true(jx_http_sorting(&rq, &rs, keys, &key, &desc));
	assert_string_equal(key, "name");
	assert_false(desc);
	rq.query[0].key = "sort";
	rq.query[0].value = "-code";
	rq.query[1].key = "per_page";
	rq.query[1].value = "201";
	rq.nquery = 2;
	assert_true(jx_http_sorting(&rq, &rs, keys, &key, &desc));
	assert_string_equal(key, "code");
	assert_true(desc);
	assert_false(jx_http_paging(&rq, &rs, &page, &per));
	assert_int_equal(rs.status, 400);
	rq.query[0].value = "password";
	assert_false(jx_http_sorting(&rq, &rs, keys, &key, &desc));
	rq.query[1].value = "1x";
	assert_false(jx_http_paging(&rq, &rs, &page, &per));
	jx_http_resp_cleanup(&rs);
}

/* jx_http_answer and jx_http_answer_list: the body on JX_OK, the diag's
 * error otherwise (the body released either way; ASan would see a leak). */
static void
test_answer(void **state)
{
	struct jx_http_resp rs;
	struct jx_diag d;
	json_t *e;

	(void)state;
	jx_diag_clear(&d);
	jx_http_resp_init(&rs);
	jx_http_answer(&rs, JX_OK, &d, JX_HTTP_CREATED,
	               json_pack("{s:i}", "id", 7));
	assert_int_equal(rs.status, 201);
	assert_int_equal(json_integer_value(json_object_get(rs.body, "id")), 7);
	jx_http_resp_cleanup(&rs);

	jx_http_resp_init(&rs);
	jx_diag_set(&d, JX_ENOTFOUND, "id", "项目不存在");
	jx_http_answer(&rs, JX_ENOTFOUND, &d, JX_HTTP_OK,
	               json_pack("{s:i}", "id", 7));
	assert_int_equal(rs.status, 404);
	e = json_object_get(rs.body, "error");
	assert_string_equal(json_string_value(json_object_get(e, "message")),
	                    "项目不存在");
	assert_string_equal(json_string_value(json_object_get(e, "field")),
	                    "id");
	jx_http_resp_cleanup(&rs);

	jx_http_resp_init(&rs);
	jx_http_answer_list(&rs, JX_OK, &d, json_pack("[i, i]", 1, 2), 12, 2,
	                    10);
	assert_int_equal(rs.status, 200);
	assert_int_equal(json_array_size(json_object_get(rs.body, "items")), 2);
	assert_int_equal(json_integer_value(json_object_get(rs.body, "total")),
	                 12);
	assert_int_equal(json_integer_value(json_object_get(rs.body, "page")),
	                 2);
	assert_int_equal(
	        json_integer_value(json_object_get(rs.body, "per_page")), 10);
	jx_http_resp_cleanup(&rs);

	jx_http_resp_init(&rs);
	jx_diag_set(&d, JX_EINVAL, "sort", "不支持的排序方式");
	jx_http_answer_list(&rs, JX_EINVAL, &d, json_pack("[i]", 1), 1, 1, 50);
	assert_int_equal(rs.status, 422);
	jx_http_resp_cleanup(&rs);
	/* no items at all (a failed read) */
	jx_http_resp_init(&rs);
	jx_http_answer_list(&rs, JX_EDB, &d, NULL, 0, 1, 50);
	assert_int_equal(rs.status, 500);
	jx_http_resp_cleanup(&rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_paths),
	        cmocka_unit_test(test_allow_header),
	        cmocka_unit_test(test_query),
	        cmocka_unit_test(test_bodies),
	        cmocka_unit_test(test_content_type),
	        cmocka_unit_test(test_error_table),
	        cmocka_unit_test(test_paging_sorting),
	        cmocka_unit_test(test_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
