/*
 * http.h - a web API request and its response as plain structs, and the
 * helpers every handler uses: strict decoding of JSON bodies against a
 * declared schema, query parameters, paging and sorting, and the one table
 * that turns an enum jx_err into an HTTP status and an API error code.
 *
 * Handlers (src/http/h_*.c) take a struct jx_http_req and fill a struct
 * jx_http_resp; they never call libmicrohttpd (server.c does), so they can
 * be tested without sockets. Error bodies have one shape:
 *   {"error": {"code": "not_found", "message": "项目不存在", "field": null}}
 * This module opens no sockets and no files.
 */
#ifndef JX_HTTP_H
#define JX_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/dec.h"
#include "jx/err.h"
#include "jx/store.h"

struct jx_config;
struct jx_rules;
struct jx_workflow;
struct jx_route;
struct jx_http_gate;
struct jx_cache;

#define JX_HTTP_MAX_IDS   4  /* {id} segments in a path */
#define JX_HTTP_MAX_QUERY 32 /* query parameters in a request */

/* Success statuses handlers may choose; errors come from jx_http_error. */
#define JX_HTTP_OK         200u
#define JX_HTTP_CREATED    201u
#define JX_HTTP_NO_CONTENT 204u

struct jx_http_kv {
	const char *key;
	const char *value;
};

/* What the server holds for all requests (read-only while serving). */
struct jx_http_env {
	const struct jx_config *conf;
	const struct jx_rules *rules;   /* the scoring rule set */
	const struct jx_workflow *wf;   /* the review workflow */
	struct jx_http_gate *hash_gate; /* bounds concurrent password hashes */
	struct jx_cache *cache;         /* response bodies by record version;
	                                   NULL: no caching */
};

struct jx_http_req {
	const char *method; /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *path;   /* decoded, without the query string */
	const struct jx_route *route; /* set by the router */
	int64_t ids[JX_HTTP_MAX_IDS]; /* {id} segments, in order */
	size_t nids;
	struct jx_http_kv query[JX_HTTP_MAX_QUERY];
	size_t nquery;
	const char *body; /* raw body (NUL-terminated), NULL when none */
	size_t body_len;
	json_t *json;           /* the decoded body object (router), or NULL */
	const char *addr;       /* the client's address, text */
	const char *cookie;     /* the session cookie's value, or NULL */
	const char *csrf;       /* the X-CSRF-Token header, or NULL */
	const char *user_agent; /* or NULL */
	const char *content_type; /* the Content-Type header, or NULL */
	struct jx_arena *arena; /* request scratch, freed after the response */
	struct jx_store *store; /* this request's database connection */
	const struct jx_http_env *env;
	/* Set by authentication (h_session.c) before the handler runs: */
	bool authed;
	struct jx_who who;        /* strings in arena */
	const char *session_csrf; /* the session's CSRF token, in arena */
	int64_t session_id;
};

struct jx_http_resp {
	unsigned status;          /* 0 until set */
	json_t *body;             /* owned; NULL: no body */
	const char *content_type; /* NULL: application/json; static string */
	char *raw;                /* a non-JSON body (malloc'd, owned) */
	size_t raw_len;
	char set_cookie[512]; /* a Set-Cookie header value, "" for none */
	char allow[64];       /* the Allow header for 405, "" for none */
	unsigned retry_after; /* seconds for Retry-After (429), 0: none */
	char etag[24];        /* an ETag header (static files), "" for none */
	char log_note[256];   /* why an internal error happened: logged,
	                         never sent to the client */
	const char *log_user; /* who to name in the access log, or NULL */
};

/* Initialise / release a response (cleanup frees body and raw). */
void jx_http_resp_init(struct jx_http_resp *rs);
void jx_http_resp_cleanup(struct jx_http_resp *rs);

/* Answer `status` (JX_HTTP_OK, JX_HTTP_CREATED, JX_HTTP_NO_CONTENT) with
 * body (stolen; NULL for none). A NULL body with status 200/201 after a
 * failed allocation becomes a 503 error instead. */
void jx_http_reply(struct jx_http_resp *rs, unsigned status, json_t *body);

/*
 * Answer an error: the status and code come from the table below, message
 * is a zh-CN printf format; field names the offending field ("lines[2]
 * .actual") or is NULL. Internal errors (JX_EDB, JX_EIO) send a generic
 * message and keep the detail in rs->log_note.
 *
 *   JX_EPARSE 400 bad_request      JX_EAUTH 401 unauthenticated
 *   JX_EPERM 403 forbidden         JX_ENOTFOUND 404 not_found
 *   JX_ECONFLICT 409 conflict      JX_ETOOBIG 413 too_large
 *   JX_EINVAL 422 invalid          JX_EBUSY 429 too_many_requests
 *   JX_EDB, JX_EIO, other 500 internal   JX_ENOMEM 503 unavailable
 */
void jx_http_error(struct jx_http_resp *rs, enum jx_err err, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* As jx_http_error with a more specific code than the table's ("csrf",
 * "unknown_field", "method_not_allowed" ...); the status still comes from
 * err, except code "method_not_allowed", which is 405. */
void jx_http_error_code(struct jx_http_resp *rs, enum jx_err err,
                        const char *code, const char *field, const char *fmt,
                        ...) __attribute__((format(printf, 5, 6)));

/* As jx_http_error with d's message and field (a store or core failure). */
void jx_http_diag(struct jx_http_resp *rs, enum jx_err err,
                  const struct jx_diag *d);

/* Answer the outcome of a store or core call: `status` with body (as
 * jx_http_reply) when err is JX_OK, else the error of err with d's message
 * and field (as jx_http_diag). body is stolen either way (NULL: none). */
void jx_http_answer(struct jx_http_resp *rs, enum jx_err err,
                    const struct jx_diag *d, unsigned status, json_t *body);

/* As jx_http_answer for a list read: on JX_OK 200 with jx_http_list(items,
 * total, page, per_page). items (may be NULL) is stolen either way. */
void jx_http_answer_list(struct jx_http_resp *rs, enum jx_err err,
                         const struct jx_diag *d, json_t *items, int64_t total,
                         int64_t page, int64_t per_page);

/* The HTTP status and API code of err (the table above). */
unsigned jx_http_status(enum jx_err err);
const char *jx_http_code(enum jx_err err);

/* ---- JSON bodies ------------------------------------------------------ */

enum jx_http_ftype {
	JX_HTTP_STRING = 1, /* min..max characters (max 0: JX_HTTP_TEXT_MAX) */
	JX_HTTP_INT,        /* an integer in [min, max] */
	JX_HTTP_BOOL,
	JX_HTTP_DEC,   /* an exact decimal: "12.5" or an integer; never a
	                  JSON real (0.1 is not exact in binary) */
	JX_HTTP_DATE,  /* "YYYY-MM-DD", a real date */
	JX_HTTP_ARRAY, /* at most max items, each an object of schema items */
	JX_HTTP_OBJECT /* an object of schema items */
};

#define JX_HTTP_REQUIRED 1u /* must be present */
#define JX_HTTP_NULLABLE 2u /* null is accepted (means "clear") */

#define JX_HTTP_TEXT_MAX 4000 /* characters in a string field by default */

struct jx_http_field {
	const char *name; /* NULL ends a schema */
	enum jx_http_ftype type;
	unsigned flags;
	int64_t min, max;
	const struct jx_http_field *items;
};

/*
 * Check object obj against schema (NULL-name terminated): every key must
 * be declared (else 400 code "unknown_field"), of its type (400), within
 * its bounds (422), required ones present (422); strings must not contain
 * NUL. `prefix` is prepended to field paths in errors ("" at the top,
 * "indicators[3]." inside). On failure fills rs and returns false.
 */
bool jx_http_check(const json_t *obj, const struct jx_http_field *schema,
                   const char *prefix, struct jx_http_resp *rs);

/* Accessors for checked objects. str: NULL when absent or null. */
const char *jx_http_str(const json_t *obj, const char *key);
bool jx_http_has(const json_t *obj, const char *key); /* present, even null */
int64_t jx_http_int(const json_t *obj, const char *key, int64_t dflt);
bool jx_http_bool(const json_t *obj, const char *key, bool dflt);
/* true and *out set when present and not null (already checked). */
bool jx_http_dec(const json_t *obj, const char *key, jx_dec *out);

/* ---- query parameters, paging, sorting -------------------------------- */

/* The value of query parameter key, or NULL. */
const char *jx_http_query(const struct jx_http_req *rq, const char *key);

/*
 * Query parameter key as an integer in [lo, hi]: JX_OK with *out set,
 * JX_ENOTFOUND when absent (*out untouched), or JX_EINVAL with rs filled
 * (400, naming the parameter).
 */
enum jx_err jx_http_query_int(const struct jx_http_req *rq,
                              struct jx_http_resp *rs, const char *key,
                              int64_t lo, int64_t hi, int64_t *out);

/* Paging from "page" (1.., default 1) and "per_page" (1..200, default
 * 50). false with rs filled when either is bad. */
bool jx_http_paging(const struct jx_http_req *rq, struct jx_http_resp *rs,
                    int64_t *page, int64_t *per_page);

/*
 * Sorting from "sort": one of the keys in `allowed` (NULL-terminated),
 * optionally prefixed by '-' for descending. Absent: *key = allowed[0],
 * ascending. false with rs filled (400) for any other value.
 */
bool jx_http_sorting(const struct jx_http_req *rq, struct jx_http_resp *rs,
                     const char *const *allowed, const char **key, bool *desc);

/* {"items": items, "total": total, "page": page, "per_page": per_page}
 * (items stolen); NULL when out of memory. */
json_t *jx_http_list(json_t *items, int64_t total, int64_t page,
                     int64_t per_page);

/* ---- password hashing gate -------------------------------------------- */

/* Wait until fewer than the configured number of password hashes run, and
 * take a slot; leave gives it back. A NULL gate lets everyone through. */
void jx_http_gate_enter(struct jx_http_gate *g);
void jx_http_gate_leave(struct jx_http_gate *g);

/* A gate of n slots (malloc'd; free with jx_http_gate_free, accepts NULL).
 * NULL when out of memory. */
struct jx_http_gate *jx_http_gate_new(unsigned n);
void jx_http_gate_free(struct jx_http_gate *g);

#endif
