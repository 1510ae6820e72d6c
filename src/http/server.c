/*
 * server.c - libmicrohttpd glue: accept connections on a pool of worker
 * threads, collect each request (URL, headers, body, each bounded), lend
 * it a database connection and an arena, hand it to the router, and send
 * the response with the security headers every response carries. Logs one
 * line per request (method, path, status, time, size, user, address;
 * never the query, body, cookies or tokens). Stops gracefully.
 *
 * Nothing here decides what a request means (router.c and the handlers)
 * or keeps state between requests beyond the pool of connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jx/cache.h"
#include "jx/config.h"
#include "jx/limits.h"
#include "jx/log.h"
#include "jx/router.h"
#include "jx/server.h"
#include "jx/static.h"
#include "jx/store.h"
#include "jx/text.h"

struct jx_server {
	struct MHD_Daemon *mhd;
	struct jx_http_env env;
	struct jx_config conf;
	size_t body_max;
	/* the pool of database connections, one per worker */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct jx_store **stores;
	bool *busy;
	size_t nstores;
	unsigned inflight; /* requests between first callback and completion */
	unsigned port;
	struct jx_static web; /* the UI's files (empty: API only) */
};

/* One request's state across libmicrohttpd's callbacks. */
struct conn_ctx {
	struct jx_server *srv;
	struct jx_arena arena;
	char *body;
	size_t len, cap;
	bool too_big;
	bool answered;
	bool begun;    /* the access handler has seen the request */
	bool bad_path; /* the raw path encodes '/' or '\' (%2F, %5C) */
	bool long_url; /* the raw path and query exceed JX_HTTP_URL_MAX */
	struct timespec start;
};

struct query_walk {
	struct jx_http_req *rq;
	bool overflow;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls);
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe);
static size_t on_unescape(void *cls, struct MHD_Connection *c, char *s);
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c);
static struct conn_ctx *ctx_new(struct jx_server *srv);
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));
static void proxied_addr(const struct jx_server *srv, struct MHD_Connection *c,
                         char *addr, size_t cap);
static struct jx_store *pool_take(struct jx_server *s);
static void pool_give(struct jx_server *s, struct jx_store *st);
static enum MHD_Result send_resp(struct MHD_Connection *c,
                                 struct jx_http_resp *rs, const char *path);
static void access_log(struct conn_ctx *x, const char *method, const char *path,
                       const struct jx_http_resp *rs, const char *addr,
                       size_t bytes);

static bool serve_static(struct jx_server *srv, struct MHD_Connection *c,
                         const char *method, const char *url,
                         struct jx_http_resp *rs);
static void load_web(struct jx_server *s);

static const char *const security_headers[][2] = {
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; "
         "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
         "base-uri 'none'; form-action 'self'"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
};

/* ---- database pool ---------------------------------------------------- */

static struct jx_store *
pool_take(struct jx_server *s)
{
	struct jx_store *st = NULL;
	size_t i;

	pthread_mutex_lock(&s->mu);
	while (st == NULL) {
		for (i = 0; i < s->nstores; i++) {
			if (!s->busy[i]) {
				s->busy[i] = true;
				st = s->stores[i];
				break;
			}
		}
		if (st == NULL)
			pthread_cond_wait(&s->cv, &s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return st;
}

static void
pool_give(struct jx_server *s, struct jx_store *st)
{
	size_t i;

	if (st == NULL)
		return;
	/* a handler that failed half-way must not leave a transaction */
	jx_store_rollback(st);
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->nstores; i++)
		if (s->stores[i] == st)
			s->busy[i] = false;
	/* the condition also wakes a graceful stop: wake all */
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* ---- callbacks -------------------------------------------------------- */

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Decode %HH in place. A decoded NUL becomes the byte 0xFF, which is never
 * valid UTF-8: the request is then refused as invalid text instead of being
 * silently cut at the NUL ("/api/projects/1%00/x" must not reach
 * "/api/projects/1").
 */
static size_t
on_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s, *r = s;
	int hi, lo;

	(void)cls;
	(void)c;
	while (*r != '\0') {
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0) {
			int v = hi * 16 + lo;

			*w++ = v == 0 ? (char)0xFF : (char)v;
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	jx_log(JX_LOG_WARN, "libmicrohttpd",
	       json_pack("{s:o}", "detail", jx_log_str(msg, 400)));
}

static struct conn_ctx *
ctx_new(struct jx_server *srv)
{
	struct conn_ctx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->srv = srv;
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	jx_arena_init(&x->arena, 16384);
	pthread_mutex_lock(&srv->mu);
	srv->inflight++;
	pthread_mutex_unlock(&srv->mu);
	return x;
}

/*
 * The raw request target, before libmicrohttpd decodes it: an encoded
 * slash or backslash in the path would become a separator after decoding
 * ("/api/projects%2F1" must not reach "/api/projects/1"), so it is
 * refused; and the limit on the URL covers the query too.
 */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_ctx *x = ctx_new(cls);
	size_t i;

	(void)c;
	if (x == NULL || uri == NULL)
		return x;
	for (i = 0; uri[i] != '\0' && uri[i] != '?'; i++)
		if (uri[i] == '%' && uri[i + 1] != '\0' &&
		    ((uri[i + 1] == '2' &&
		      (uri[i + 2] == 'f' || uri[i + 2] == 'F')) ||
		     (uri[i + 1] == '5' &&
		      (uri[i + 2] == 'c' || uri[i + 2] == 'C'))))
			x->bad_path = true;
	x->long_url = strlen(uri) > JX_HTTP_URL_MAX;
	return x;
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
              const char *value)
{
	struct query_walk *w = cls;
	struct jx_http_req *rq = w->rq;

	(void)kind;
	if (rq->nquery == JX_HTTP_MAX_QUERY) {
		w->overflow = true;
		return MHD_NO;
	}
	rq->query[rq->nquery].key = key;
	rq->query[rq->nquery].value = value != NULL ? value : "";
	rq->nquery++;
	return MHD_YES;
}

static void
client_addr(struct MHD_Connection *c, char *buf, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;
	socklen_t len = 0;

	snprintf(buf, cap, "?");
	if (sa == NULL)
		return;
	len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                : sizeof(struct sockaddr_in);
	if (getnameinfo(sa, len, buf, (socklen_t)cap, NULL, 0,
	                NI_NUMERICHOST) != 0)
		snprintf(buf, cap, "?");
}

/*
 * Behind the configured reverse proxy, the client is the last entry of
 * X-Forwarded-For (the one the proxy itself appended); from anywhere else
 * the header is a client's claim and is ignored.
 */
static void
proxied_addr(const struct jx_server *srv, struct MHD_Connection *c, char *addr,
             size_t cap)
{
	const char *xff, *last;
	char ip[64];
	unsigned char buf[16];
	size_t n;

	if (srv->conf.trusted_proxy[0] == '\0' ||
	    strcmp(addr, srv->conf.trusted_proxy) != 0)
		return;
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                  "X-Forwarded-For");
	if (xff == NULL)
		return;
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	while (*last == ' ')
		last++;
	n = strlen(last);
	while (n > 0 && last[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(ip))
		return;
	memcpy(ip, last, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, buf) == 1 ||
	    inet_pton(AF_INET6, ip, buf) == 1)
		snprintf(addr, cap, "%s", ip);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
	struct jx_server *srv = cls;
	struct conn_ctx *x = *con_cls;
	struct jx_http_req rq;
	struct jx_http_resp rs;
	struct query_walk walk;
	char addr[64];
	const char *cl;
	enum MHD_Result ret;

	(void)version;
	if (x == NULL || !x->begun) {
		if (x == NULL)
			x = ctx_new(srv);
		if (x == NULL)
			return MHD_NO;
		*con_cls = x;
		x->begun = true;
		/* refuse a declared oversized body before reading it */
		cl = MHD_lookup_connection_value(
		        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno != 0 || *end != '\0' || n > srv->body_max)
				x->too_big = true;
		}
		if (x->too_big) {
			jx_http_resp_init(&rs);
			jx_http_error(&rs, JX_ETOOBIG, NULL,
			              "请求体过大：最多 %zu 字节",
			              srv->body_max);
			client_addr(c, addr, sizeof(addr));
			x->answered = true;
			ret = send_resp(c, &rs, url);
			access_log(x, method, url, &rs, addr, 0);
			jx_http_resp_cleanup(&rs);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!x->too_big && x->len + *upload_size <= srv->body_max) {
			if (x->len + *upload_size + 1 > x->cap) {
				size_t cap = (x->len + *upload_size + 1) * 2;
				char *nb;

				if (cap > srv->body_max + 1)
					cap = srv->body_max + 1;
				nb = realloc(x->body, cap);
				if (nb == NULL)
					return MHD_NO;
				x->body = nb;
				x->cap = cap;
			}
			memcpy(x->body + x->len, upload, *upload_size);
			x->len += *upload_size;
			x->body[x->len] = '\0';
		} else {
			x->too_big = true; /* chunked past the limit: discard */
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->answered)
		return MHD_YES;
	x->answered = true;

	memset(&rq, 0, sizeof(rq));
	jx_http_resp_init(&rs);
	client_addr(c, addr, sizeof(addr));
	proxied_addr(srv, c, addr, sizeof(addr));
	rq.method = method;
	rq.path = url;
	rq.addr = addr;
	rq.arena = &x->arena;
	rq.env = &srv->env;
	rq.body = x->body;
	rq.body_len = x->len;
	rq.cookie =
	        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "jx_session");
	rq.csrf =
	        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	rq.content_type = MHD_lookup_connection_value(
	        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq.user_agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                            MHD_HTTP_HEADER_USER_AGENT);
	walk.rq = &rq;
	walk.overflow = false;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query,
	                          &walk);
	if (x->too_big) {
		jx_http_error(&rs, JX_ETOOBIG, NULL,
		              "请求体过大：最多 %zu 字节", srv->body_max);
	} else if (x->long_url || strlen(url) > JX_HTTP_URL_MAX) {
		jx_http_error(&rs, JX_ETOOBIG, NULL, "请求地址过长");
	} else if (x->bad_path || !jx_text_utf8_valid(url, strlen(url)) ||
	           strstr(url, "/../") != NULL || strstr(url, "//") != NULL) {
		jx_http_error(&rs, JX_EPARSE, NULL,
		              "请求地址无效（含非法字符或路径）");
	} else if (walk.overflow) {
		jx_http_error(&rs, JX_EPARSE, NULL, "查询参数过多：最多 %d 个",
		              JX_HTTP_MAX_QUERY);
	} else if (serve_static(srv, c, method, url, &rs)) {
		/* a file of the UI (or 304) */
	} else {
		rq.store = pool_take(srv);
		jx_router_dispatch(jx_routes, jx_nroutes, &rq, &rs);
		pool_give(srv, rq.store);
		rq.store = NULL;
	}
	json_decref(rq.json);
	ret = send_resp(c, &rs, url);
	if (rq.route == NULL || !(rq.route->flags & JX_ROUTE_NO_LOG))
		access_log(x, method, url, &rs, addr, rs.raw_len);
	jx_http_resp_cleanup(&rs);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
	struct jx_server *srv = cls;
	struct conn_ctx *x = *con_cls;

	(void)c;
	(void)toe;
	if (x == NULL)
		return;
	jx_arena_cleanup(&x->arena);
	free(x->body);
	free(x);
	*con_cls = NULL;
	pthread_mutex_lock(&srv->mu);
	srv->inflight--;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

/* ---- the UI's files ---------------------------------------------------- */

/*
 * GET/HEAD of a path outside /api/ and /healthz that is in the allow-list:
 * its bytes, or 304 when the client holds the same version (ETag). Not in
 * the list: false (the router answers 404 in the API's error shape).
 */
static bool
serve_static(struct jx_server *srv, struct MHD_Connection *c,
             const char *method, const char *url, struct jx_http_resp *rs)
{
	const struct jx_static_file *f;
	const char *inm;

	if ((strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) ||
	    strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0)
		return false;
	f = jx_static_find(&srv->web, url);
	if (f == NULL)
		return false;
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
	snprintf(rs->etag, sizeof(rs->etag), "%s", f->etag);
	if (inm != NULL && strcmp(inm, f->etag) == 0) {
		rs->status = 304;
		return true;
	}
	rs->raw = malloc(f->len + 1);
	if (rs->raw == NULL) {
		jx_http_error(rs, JX_ENOMEM, NULL, "服务器繁忙，请稍后再试");
		return true;
	}
	memcpy(rs->raw, f->body, f->len);
	rs->raw_len = f->len;
	rs->content_type = f->type;
	rs->status = JX_HTTP_OK;
	return true;
}

/*
 * The UI: conf->web_dir, else web/ of the source tree or the installed
 * share directory; ECharts from node_modules (npm ci) or beside the UI in
 * vendor/. Without it the server still serves the API, and says so.
 */
static void
load_web(struct jx_server *s)
{
	static const char *const dirs[] = {JX_SOURCE_DIR "/web",
	                                   JX_DATA_DIR "/web"};
	static const char *const echarts[] = {
	        JX_SOURCE_DIR "/node_modules/echarts/dist/echarts.min.js",
	        JX_DATA_DIR "/web/vendor/echarts.min.js"};
	struct jx_static_map map[1];
	struct jx_diag d;
	const char *dir = s->conf.web_dir[0] != '\0' ? s->conf.web_dir : NULL;
	size_t i, nmap = 0;
	struct stat st;
	enum jx_err err;

	for (i = 0; dir == NULL && i < 2; i++)
		if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			dir = dirs[i];
	if (dir == NULL) {
		jx_log(JX_LOG_WARN, "no web UI directory: serving the API only",
		       NULL);
		return;
	}
	for (i = 0; nmap == 0 && i < 2; i++) {
		if (stat(echarts[i], &st) == 0 && S_ISREG(st.st_mode)) {
			map[0].path = "/vendor/echarts.min.js";
			map[0].file = echarts[i];
			nmap = 1;
		}
	}
	jx_diag_clear(&d);
	err = jx_static_load(&s->web, dir, map, nmap, &d);
	if (err != JX_OK)
		jx_log(JX_LOG_ERROR, "web UI not loaded",
		       json_pack("{s:o, s:o}", "dir", jx_log_str(dir, 200),
		                 "error", jx_log_str(d.message, 300)));
	else
		jx_log(JX_LOG_INFO, "web UI",
		       json_pack("{s:o, s:I, s:b}", "dir", jx_log_str(dir, 200),
		                 "files", (json_int_t)s->web.n, "echarts",
		                 nmap > 0));
}

/* ---- responses -------------------------------------------------------- */

static enum MHD_Result
send_resp(struct MHD_Connection *c, struct jx_http_resp *rs, const char *path)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *text = NULL, num[32];
	size_t len = 0, i;
	const char *ctype = rs->content_type;

	if (rs->raw != NULL) {
		text = rs->raw;
		len = rs->raw_len;
		rs->raw = NULL;
	} else if (rs->body != NULL) {
		text = json_dumps(rs->body, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text == NULL) {
			rs->status = 503;
			text = strdup(
			        "{\"error\":{\"code\":\"unavailable\","
			        "\"message\":\"服务器繁忙\",\"field\":null}}");
		}
		len = text != NULL ? strlen(text) : 0;
		if (ctype == NULL)
			ctype = "application/json; charset=utf-8";
	} else if (rs->status == 0) {
		rs->status = 503;
	}
	rs->raw_len = len;
	r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(text);
		return MHD_NO;
	}
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]);
	     i++)
		MHD_add_response_header(r, security_headers[i][0],
		                        security_headers[i][1]);
	if (ctype != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/healthz") == 0)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		                        "no-store");
	if (rs->set_cookie[0] != '\0')
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE,
		                        rs->set_cookie);
	if (rs->allow[0] != '\0')
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rs->allow);
	if (rs->etag[0] != '\0') {
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rs->etag);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		                        "no-cache");
	}
	if (rs->retry_after > 0) {
		snprintf(num, sizeof(num), "%u", rs->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, num);
	}
	ret = MHD_queue_response(c, rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void
access_log(struct conn_ctx *x, const char *method, const char *path,
           const struct jx_http_resp *rs, const char *addr, size_t bytes)
{
	struct timespec now;
	double ms;
	json_t *f;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - x->start.tv_sec) * 1000.0 +
	     (double)(now.tv_nsec - x->start.tv_nsec) / 1e6;
	f = json_pack("{s:o, s:o, s:i, s:f, s:I, s:o, s:o}", "method",
	              jx_log_str(method, 16), "path", jx_log_str(path, 300),
	              "status", (int)rs->status, "ms", ms, "bytes",
	              (json_int_t)bytes, "user", jx_log_str(rs->log_user, 64),
	              "addr", jx_log_str(addr, 64));
	if (f != NULL && rs->log_note[0] != '\0')
		json_object_set_new(f, "error", jx_log_str(rs->log_note, 300));
	jx_log(rs->status >= 500 ? JX_LOG_ERROR : JX_LOG_INFO, "request", f);
}

/* ---- start and stop --------------------------------------------------- */

enum jx_err
jx_server_start(const struct jx_config *conf, const struct jx_rules *rules,
                const struct jx_workflow *wf, struct jx_server **out,
                struct jx_diag *d)
{
	struct jx_server *s;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	const union MHD_DaemonInfo *di;
	char host[128];
	unsigned port, flags;
	enum jx_err err;
	size_t i;

	memset(&ss, 0, sizeof(ss));
	err = jx_config_listen(conf, host, sizeof(host), &port, d);
	if (err != JX_OK)
		return err;
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
	} else {
		return jx_diag_set(d, JX_EINVAL, "listen",
		                   "监听地址 %s 不是数字 IP 地址", host);
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	s->conf = *conf;
	s->env.conf = &s->conf;
	s->env.rules = rules;
	s->env.wf = wf;
	s->body_max = (size_t)conf->body_max_kb * 1024u;
	if (s->body_max > JX_HTTP_BODY_MAX)
		s->body_max = JX_HTTP_BODY_MAX;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->env.hash_gate = jx_http_gate_new(conf->hash_concurrency);
	s->env.cache = jx_cache_new(JX_HTTP_CACHE_BYTES, JX_HTTP_CACHE_ENTRY);
	s->nstores = conf->threads > 0 ? conf->threads : 1;
	s->stores = calloc(s->nstores, sizeof(*s->stores));
	s->busy = calloc(s->nstores, sizeof(*s->busy));
	if (s->env.hash_gate == NULL || s->env.cache == NULL ||
	    s->stores == NULL || s->busy == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto fail;
	}
	for (i = 0; i < s->nstores; i++) {
		err = jx_store_open(conf->db, &s->stores[i], d);
		if (err != JX_OK)
			goto fail;
	}
	load_web(s);
	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->mhd = MHD_start_daemon(
	        flags, (uint16_t)port, NULL, NULL, on_request, s,
	        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)s->nstores,
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)JX_HTTP_HEADERS_MAX,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
	        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	        MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, NULL,
	        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
	        MHD_OPTION_END);
	if (s->mhd == NULL) {
		err = jx_diag_set(d, JX_EIO, "listen",
		                  "无法在 %s 上监听（端口被占用或无权限）",
		                  conf->listen);
		goto fail;
	}
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di != NULL && di->port != 0 ? di->port : port;
	*out = s;
	return JX_OK;
fail:
	jx_server_stop(s, 0);
	return err;
}

unsigned
jx_server_port(const struct jx_server *s)
{
	return s->port;
}

void
jx_server_stop(struct jx_server *s, unsigned grace_seconds)
{
	struct timespec until;
	MHD_socket fd;
	size_t i;

	if (s == NULL)
		return;
	if (s->mhd != NULL) {
		/* stop accepting; requests in flight go on */
		fd = MHD_quiesce_daemon(s->mhd);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)grace_seconds;
		pthread_mutex_lock(&s->mu);
		while (s->inflight > 0)
			if (pthread_cond_timedwait(&s->cv, &s->mu, &until) ==
			    ETIMEDOUT)
				break;
		if (s->inflight > 0)
			jx_log(JX_LOG_WARN, "shutdown: requests still running",
			       json_pack("{s:i}", "inflight",
			                 (int)s->inflight));
		pthread_mutex_unlock(&s->mu);
		MHD_stop_daemon(s->mhd);
	}
	for (i = 0; s->stores != NULL && i < s->nstores; i++)
		jx_store_close(s->stores[i]);
	free(s->stores);
	free(s->busy);
	jx_http_gate_free(s->env.hash_gate);
	jx_cache_free(s->env.cache);
	jx_static_cleanup(&s->web);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
