/*
 * account.h - who may sign in, and the organisations and people the web
 * API administers: sign-in sessions, failed sign-ins (for throttling),
 * users and organisations.
 *
 * Everything lives in the database (jx_session, jx_login_failure, jx_user,
 * jx_org), never in a process's memory, so that several server processes
 * against one PostgreSQL share sessions and throttling. Sessions are found
 * by the hash of their token (password.h); the token itself is never
 * stored. A session ends when it has not been seen for the idle limit or
 * has reached its absolute expiry, on sign-out, and when its user's
 * password is changed or reset or the user is deactivated.
 *
 * The user and organisation calls that take a struct jx_who are scoped to
 * the caller's subtree of the organisation tree (store.h): records outside
 * it are JX_ENOTFOUND, exactly like records that do not exist. Their reads
 * answer JSON objects in the API's shapes (docs/api/users.md, orgs.md);
 * no answer ever holds a password hash or a token. Every change runs in
 * one transaction and is recorded in the audit log by the caller's login,
 * with before and after as JSON that never holds a hash or a token.
 *
 * This module does not hash passwords (password.h does) or decide which
 * role may call what (the route table does).
 */
#ifndef JX_ACCOUNT_H
#define JX_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/store.h"

#define JX_ACCOUNT_LOGIN_MAX 64  /* characters of a login */
#define JX_ACCOUNT_NAME_MAX  100 /* characters of a person's or org's name */

/* ---- sessions ---------------------------------------------------------- */

/*
 * Start a session of user_id: token_hash (jx_password_token_hash of the
 * cookie's token), csrf (the session's CSRF token, returned to the client
 * in the body), the client's address (may be NULL), ending at the latest
 * max_seconds from now. *id gets the session's id. Logged as "login".
 * JX_ECONFLICT when token_hash is already taken (never in practice).
 */
enum jx_err jx_account_session_create(struct jx_store *s, int64_t user_id,
                                      const char *token_hash, const char *csrf,
                                      const char *address, long max_seconds,
                                      int64_t *id, struct jx_diag *d);

/* A session found by its token's hash: its id, CSRF token and caller. */
struct jx_account_session {
	int64_t id;
	const char *csrf;       /* in the arena */
	const char *expires_at; /* "YYYY-MM-DDTHH:MM:SSZ", in the arena */
	struct jx_who who;      /* strings in the arena */
};

/*
 * The live session whose token hashes to token_hash, into *out (strings in
 * a). JX_EAUTH when there is none, when it has not been seen for
 * idle_seconds or has passed its absolute expiry (the row is deleted then),
 * or when its user is deactivated. Records that the session was seen, but
 * writes at most once a minute per session (less for idle limits under two
 * minutes), so most requests only read: a session may thus end up to that
 * interval before idle_seconds have passed since its last request.
 */
enum jx_err jx_account_session_resolve(struct jx_store *s,
                                       const char *token_hash,
                                       long idle_seconds,
                                       struct jx_account_session *out,
                                       struct jx_arena *a, struct jx_diag *d);

/* End session id (sign-out); logged as "logout" by actor. Ending a session
 * that is already gone is JX_OK. */
enum jx_err jx_account_session_delete(struct jx_store *s, int64_t id,
                                      const char *actor, struct jx_diag *d);

/* End the session with token hash token_hash if there is one (a sign-in
 * replacing the browser's previous session). Not logged. */
enum jx_err jx_account_session_delete_token(struct jx_store *s,
                                            const char *token_hash,
                                            struct jx_diag *d);

/* Delete every session past its absolute expiry or idle for longer than
 * idle_seconds. *n (may be NULL) gets how many. */
enum jx_err jx_account_session_prune(struct jx_store *s, long idle_seconds,
                                     int64_t *n, struct jx_diag *d);

/* ---- failed sign-ins --------------------------------------------------- */

/* Failed sign-ins within a window, by login and by address. */
struct jx_account_failures {
	int64_t by_login;   /* failures of this login */
	int64_t by_address; /* failures from this address, any login */
	long login_wait;    /* seconds until the oldest failure of the login
	                       leaves the window (0 when none) */
	long address_wait;  /* the same for the address */
};

/*
 * Count the failed sign-ins of login and from address in the last
 * window_seconds (address NULL: by_address 0). The caller throttles:
 * at login_max_failures of a login or login_max_failures_ip of an address
 * it answers 429 without checking the password, Retry-After the wait.
 */
enum jx_err jx_account_failures(struct jx_store *s, const char *login,
                                const char *address, long window_seconds,
                                struct jx_account_failures *out,
                                struct jx_diag *d);

/* Record a failed sign-in of login (as typed) from address (may be NULL). */
enum jx_err jx_account_failure_record(struct jx_store *s, const char *login,
                                      const char *address, struct jx_diag *d);

/* Forget the failures of login (after a successful sign-in). */
enum jx_err jx_account_failure_clear(struct jx_store *s, const char *login,
                                     struct jx_diag *d);

/* Delete failures older than window_seconds (they no longer count). */
enum jx_err jx_account_failure_prune(struct jx_store *s, long window_seconds,
                                     struct jx_diag *d);

/* ---- users ------------------------------------------------------------- */

/* What signing in needs to know about a login. */
struct jx_account_credentials {
	int64_t id;
	const char *login;
	const char *password_hash; /* NULL: no password set */
	bool active;               /* false: deactivated, cannot sign in */
};

/* The credentials of login (unscoped; strings in a). JX_ENOTFOUND when
 * there is no such login. */
enum jx_err jx_account_credentials(struct jx_store *s, const char *login,
                                   struct jx_account_credentials *out,
                                   struct jx_arena *a, struct jx_diag *d);

/*
 * The signed-in user's own profile (unscoped) as a new JSON object:
 * {id, login, name, role, role_label, org: {id, name, kind, path}}.
 * JX_ENOTFOUND when user_id does not exist.
 */
enum jx_err jx_account_profile(struct jx_store *s, int64_t user_id,
                               json_t **out, struct jx_diag *d);

/* A list of users: filters (0 / NULL / -1: no filter), order and page. */
struct jx_account_user_query {
	int64_t org_id;   /* users of this organisation and those below it */
	const char *role; /* one of JX_ROLE_* */
	int active;       /* 1 active, 0 deactivated, -1 both */
	const char *q;    /* login or name contains (ASCII case ignored) */
	const char *sort; /* "login", "name", "role", "org", "created_at",
	                     "id"; NULL: login */
	bool desc;
	int64_t page, per_page; /* page >= 1; per_page >= 1 */
};

/*
 * The users in the caller's subtree matching q, one page of them appended
 * to the JSON array items, and the number matching in *total. Each is
 * {id, login, name, role, role_label, active, password_set,
 * password_changed_at, org: {id, name, kind, path}, version, created_at}.
 */
enum jx_err jx_account_users_list(struct jx_store *s, const struct jx_who *who,
                                  const struct jx_account_user_query *q,
                                  json_t *items, int64_t *total,
                                  struct jx_diag *d);

/* User id in the caller's subtree as a new JSON object (the list's shape).
 * JX_ENOTFOUND when there is none there. */
enum jx_err jx_account_user_get(struct jx_store *s, const struct jx_who *who,
                                int64_t id, json_t **out, struct jx_diag *d);

struct jx_account_user_new {
	int64_t org_id;
	const char *login; /* 1..64 of A-Z a-z 0-9 . _ - @ */
	const char *name;  /* 1..100 characters */
	const char *role;  /* one of JX_ROLE_*, fitting the org's kind */
	const char *password_hash; /* NULL: cannot sign in until set */
};

/*
 * Create a user in an organisation of the caller's subtree; *id gets its
 * id. JX_ENOTFOUND (field "org_id") when the organisation is not there,
 * JX_ECONFLICT (field "login") when the login exists, JX_EINVAL for a bad
 * login or name or a role that does not fit the organisation's kind
 * (unit_filer at a unit, dept_reviewer at a department, finance_reviewer
 * and admin at a finance bureau; field "role").
 */
enum jx_err jx_account_user_create(struct jx_store *s, const struct jx_who *who,
                                   const struct jx_account_user_new *u,
                                   int64_t *id, struct jx_diag *d);

/* A change of a user: NULL / 0 / -1 keep the field as it is. */
struct jx_account_user_change {
	int64_t id;
	int64_t version;  /* the version read */
	const char *name; /* NULL: keep */
	const char *role; /* NULL: keep */
	int64_t org_id;   /* 0: keep */
	int active;       /* -1: keep, 0 deactivate, 1 activate */
};

/*
 * Change a user of the caller's subtree (and, when moved, into an
 * organisation of it). The role must fit the resulting organisation's
 * kind (JX_EINVAL, field "role"); the caller cannot deactivate or demote
 * themself (JX_EPERM, field "active" or "role"); a stale version is
 * JX_ECONFLICT and nothing is written. Deactivating ends the user's
 * sessions. *version (may be NULL) gets the new version.
 */
enum jx_err jx_account_user_update(struct jx_store *s, const struct jx_who *who,
                                   const struct jx_account_user_change *c,
                                   int64_t *version, struct jx_diag *d);

/*
 * An administrator's reset of the password of user id in the caller's
 * subtree to hash (made by jx_password_hash): ends all the user's
 * sessions, bumps its version. JX_ENOTFOUND when the user is not there.
 */
enum jx_err jx_account_user_reset_password(struct jx_store *s,
                                           const struct jx_who *who, int64_t id,
                                           const char *hash, struct jx_diag *d);

/*
 * The caller's change of their own password to hash: ends the caller's
 * other sessions, keeping session keep_session (0: none kept).
 */
enum jx_err jx_account_own_password(struct jx_store *s,
                                    const struct jx_who *who, const char *hash,
                                    int64_t keep_session, struct jx_diag *d);

/*
 * Set the password hash of login, unscoped (the command line: demo data,
 * the first administrator), ending its sessions; logged as by "system".
 * JX_ENOTFOUND when there is no such login.
 */
enum jx_err jx_account_set_password_hash(struct jx_store *s, const char *login,
                                         const char *hash, struct jx_diag *d);

/* ---- organisations ----------------------------------------------------- */

struct jx_account_org_query {
	const char *kind;  /* "finance", "department", "unit" or NULL */
	int64_t parent_id; /* 0: any */
	const char *q;     /* name contains (ASCII case ignored) */
	const char *sort;  /* "path", "name", "code", "kind", "id";
	                      NULL: path (the tree's order) */
	bool desc;
	int64_t page, per_page;
};

/*
 * The organisations of the caller's subtree matching q, one page appended
 * to items, the number matching in *total. Each is {id, parent_id, kind,
 * kind_label, name, code, region_code, region_name, path, version,
 * created_at}.
 */
enum jx_err jx_account_orgs_list(struct jx_store *s, const struct jx_who *who,
                                 const struct jx_account_org_query *q,
                                 json_t *items, int64_t *total,
                                 struct jx_diag *d);

/* Organisation id in the caller's subtree (the list's shape).
 * JX_ENOTFOUND when there is none there. */
enum jx_err jx_account_org_get(struct jx_store *s, const struct jx_who *who,
                               int64_t id, json_t **out, struct jx_diag *d);

struct jx_account_org_new {
	int64_t parent_id;       /* an organisation of the caller's subtree */
	const char *kind;        /* "department" or "unit" */
	const char *name;        /* 1..100 characters, unique under parent */
	const char *code;        /* may be NULL */
	const char *region_code; /* may be NULL */
	const char *region_name; /* may be NULL */
};

/*
 * Create an organisation under parent_id; *id gets its id and its path is
 * set. JX_ENOTFOUND (field "parent_id") when the parent is not in the
 * caller's subtree, JX_EINVAL (field "kind") when the kind does not fit
 * under the parent's (a department under the finance bureau, a unit under
 * a department or the finance bureau), JX_ECONFLICT (field "name") when
 * the parent already has an organisation of that name.
 */
enum jx_err jx_account_org_create(struct jx_store *s, const struct jx_who *who,
                                  const struct jx_account_org_new *o,
                                  int64_t *id, struct jx_diag *d);

/* Which fields of struct jx_account_org_change to apply. */
#define JX_ACCOUNT_ORG_NAME        1u
#define JX_ACCOUNT_ORG_CODE        2u
#define JX_ACCOUNT_ORG_REGION_CODE 4u
#define JX_ACCOUNT_ORG_REGION_NAME 8u

struct jx_account_org_change {
	int64_t id;
	int64_t version;         /* the version read */
	unsigned set;            /* JX_ACCOUNT_ORG_* bits */
	const char *name;        /* not NULL when set */
	const char *code;        /* NULL clears */
	const char *region_code; /* NULL clears */
	const char *region_name; /* NULL clears */
};

/*
 * Rename or recode organisation c->id of the caller's subtree. A stale
 * version is JX_ECONFLICT and nothing is written; a name taken under the
 * same parent is JX_ECONFLICT (field "name"). *version (may be NULL) gets
 * the new version.
 */
enum jx_err jx_account_org_update(struct jx_store *s, const struct jx_who *who,
                                  const struct jx_account_org_change *c,
                                  int64_t *version, struct jx_diag *d);

#endif
