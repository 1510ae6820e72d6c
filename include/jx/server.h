/*
 * server.h - the jixiao web server on libmicrohttpd: a pool of worker
 * threads, one database connection per worker, bounded requests (URL,
 * headers, body), a per-request arena, security headers on every response,
 * an access log without bodies or secrets, and a graceful stop.
 *
 * The server keeps no state of its own between requests: sessions, login
 * failures and every record live in the database, so several processes
 * can serve one PostgreSQL database. Routing, authentication and handlers
 * are in router.h / handlers.h; this module only moves bytes.
 */
#ifndef JX_SERVER_H
#define JX_SERVER_H

#include "jx/config.h"
#include "jx/err.h"
#include "jx/rules.h"
#include "jx/workflow.h"

struct jx_server;

/*
 * Open conf->threads database connections to conf->db (migrated already by
 * the caller), bind conf->listen and start serving with rules and wf
 * (borrowed: they must outlive the server). On JX_OK *out is running;
 * JX_EINVAL bad listen address, JX_EIO the address cannot be bound,
 * JX_EDB the database cannot be opened; d says why.
 */
enum jx_err jx_server_start(const struct jx_config *conf,
                            const struct jx_rules *rules,
                            const struct jx_workflow *wf,
                            struct jx_server **out, struct jx_diag *d);

/* The port the server listens on. */
unsigned jx_server_port(const struct jx_server *s);

/*
 * Stop gracefully: stop accepting connections, let requests in flight
 * finish (waiting at most grace_seconds), then stop the workers, close the
 * database connections and free s. Accepts NULL.
 */
void jx_server_stop(struct jx_server *s, unsigned grace_seconds);

#endif
