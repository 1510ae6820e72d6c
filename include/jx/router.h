/*
 * router.h - the declarative route table and the dispatcher.
 *
 * A route names a method, a path pattern ("/api/projects/{id}/payments";
 * each {name} matches one segment of 1 to 18 digits, a positive id), the
 * handler, the roles that may call it (0: public), flags, the largest body
 * it accepts, the schema of that body and the query parameters it knows.
 * The dispatcher does everything a handler must be able to take for
 * granted, in this order: match the path (404) and method (405 with
 * Allow), refuse unknown query parameters (400) and bodies on routes that
 * take none or over the route's limit (413), authenticate the session
 * (401), check the CSRF token on every state-changing request (403 code
 * "csrf"), check the caller's role (403), parse the body as JSON strictly
 * (duplicate keys, invalid UTF-8, numbers out of range, not an object: 400)
 * and check it against the schema. Only then does the handler run.
 *
 * No sockets here: server.c hands in a filled struct jx_http_req.
 */
#ifndef JX_ROUTER_H
#define JX_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/http.h"

typedef void (*jx_http_handler)(struct jx_http_req *rq,
                                struct jx_http_resp *rs);

#define JX_ROUTE_NO_CSRF                                                       \
	1u                 /* a state-changing route without a session         \
	                      (login): exempt from the CSRF check */
#define JX_ROUTE_NO_LOG 2u /* not in the access log (health checks) */

struct jx_route {
	const char *method;
	const char *pattern;
	jx_http_handler handler;
	unsigned roles;  /* JX_ROLEBIT_* (workflow.h); 0 = no session needed */
	unsigned flags;  /* JX_ROUTE_* */
	size_t body_max; /* bytes; 0: the route takes no body */
	const struct jx_http_field *body; /* schema of the body, or NULL */
	const char *query;   /* known query parameters, space-separated, or
	                        NULL for none */
	const char *summary; /* one line for the API description */
};

/* The application's route table (routes.c). */
extern const struct jx_route jx_routes[];
extern const size_t jx_nroutes;

/*
 * Authenticate rq from rq->cookie (h_session.c): on success sets
 * rq->authed, rq->who, rq->session_csrf, rq->session_id and returns JX_OK;
 * JX_EAUTH when there is no valid session; another error when the store
 * fails (d says why).
 */
enum jx_err jx_router_authenticate(struct jx_http_req *rq, struct jx_diag *d);

/*
 * Find the route of (method, path) in routes[0..n): JX_OK with *out and
 * rq->ids filled; JX_ENOTFOUND when no pattern matches the path;
 * JX_EPERM when the path matches but not the method (allow gets the
 * allowed methods, comma-separated, cap bytes).
 */
enum jx_err jx_router_match(const struct jx_route *routes, size_t n,
                            struct jx_http_req *rq, char *allow, size_t cap,
                            const struct jx_route **out);

/* Dispatch rq through routes[0..n) as described above; rs is filled in
 * every case. */
void jx_router_dispatch(const struct jx_route *routes, size_t n,
                        struct jx_http_req *rq, struct jx_http_resp *rs);

#endif
