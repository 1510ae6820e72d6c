/*
 * account.c - sign-in sessions, failed sign-ins, users and organisations
 * for the web API (account.h), in SQL that SQLite 3.40 and PostgreSQL 15
 * both accept.
 *
 * Sessions and failures are rows, so several server processes share them.
 * Times are stored as "YYYY-MM-DDTHH:MM:SSZ" UTC text, which sorts like the
 * instants it names, so expiry is a string comparison. Scoped reads and
 * writes put the caller's subtree ("path LIKE '/1/5/%'") into the SQL
 * itself: a record outside it is never read, so it is JX_ENOTFOUND like a
 * record that does not exist. Filters are appended to a query from fixed
 * SQL fragments; user text only ever travels as a parameter.
 *
 * What this file does not do: hash passwords or make tokens (password.c),
 * decide which role may call what (the route table), or speak HTTP.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "jx/account.h"
#include "jx/text.h"
#include "jx/workflow.h"

/* A query put together from fixed fragments, with its parameters. */
struct sqlq {
	char sql[2048];
	size_t len;
	struct jx_db_param p[16];
	size_t n;
	bool over; /* a fragment or parameter did not fit */
};

/* A list of the caller's subtree being put together: its WHERE clause and
 * the buffers the clause's parameters point into. */
struct listq {
	struct sqlq w;
	char scope[256], pat[512];
	const char *order; /* the column of the chosen sort */
};

/* A value of the "sort" query key and the column it orders by. */
struct sort_key {
	const char *key, *col;
};

/* A user row as read before a change (strings in an arena). */
struct user_row {
	int64_t id, org_id, version;
	char *login, *name, *role, *org_kind;
	bool active;
};

/* An organisation row as read before a change. */
struct org_row {
	int64_t id, parent_id, version;
	char kind[16];
	char *name, *code, *region_code, *region_name; /* in the arena */
	char *path;
};

static void q_add(struct sqlq *q, const char *frag);
static void q_par(struct sqlq *q, struct jx_db_param p);
static enum jx_err like_pattern(const char *text, char *buf, size_t cap,
                                struct jx_diag *d);
static bool ts_epoch(const char *ts, long long *out);
static long wait_of(int64_t count, const char *oldest, long window);
static const char *role_kind(const char *role);
static const char *kind_label(const char *kind);
static bool kind_fits(const char *parent, const char *child);
static bool valid_login(const char *login);
static enum jx_err check_name(const char *name, const char *field,
                              struct jx_diag *d);
static enum jx_err check_role(const char *role, const char *org_kind,
                              struct jx_diag *d);
static json_t *user_json(json_t *row, bool full);
static json_t *user_brief_json(json_t *row);
static json_t *user_full_json(json_t *row);
static json_t *org_json(json_t *row);
static enum jx_err stale(const char *what, int64_t now, struct jx_diag *d);
static enum jx_err end_sessions(struct jx_store *s, int64_t user_id,
                                int64_t keep, struct jx_diag *d);
static enum jx_err set_hash(struct jx_store *s, int64_t user_id,
                            const char *hash, int64_t keep, const char *actor,
                            const char *action, struct jx_diag *d);
static enum jx_err user_read(struct jx_store *s, const char *scope, int64_t id,
                             struct user_row *out, struct jx_arena *a,
                             struct jx_diag *d);
static enum jx_err org_kind_in_scope(struct jx_store *s, const char *scope,
                                     int64_t id, char *kind, size_t cap,
                                     char **path, struct jx_arena *a,
                                     struct jx_diag *d);
static enum jx_err org_read(struct jx_store *s, const char *scope, int64_t id,
                            struct org_row *out, struct jx_arena *a,
                            struct jx_diag *d);
static enum jx_err name_free(struct jx_store *s, int64_t parent_id,
                             const char *name, int64_t id, struct jx_diag *d);
static enum jx_err list_open(struct listq *l, const struct jx_who *who,
                             const struct sort_key *sorts, size_t nsorts,
                             const char *sort, int64_t page, int64_t per_page,
                             struct jx_diag *d);
static enum jx_err list_search(struct listq *l, const char *text,
                               const char *frag, int uses, struct jx_diag *d);
static enum jx_err list_json(struct jx_store *s, const struct listq *l,
                             const char *select, const char *count,
                             const char *tiebreak, bool desc, int64_t page,
                             int64_t per_page, const struct jx_store_col *cols,
                             json_t *(*shape)(json_t *row), json_t *items,
                             int64_t *total, struct jx_diag *d);
static enum jx_err get_json(struct jx_store *s, const struct jx_who *who,
                            const char *sql, int64_t id,
                            const struct jx_store_col *cols,
                            json_t *(*shape)(json_t *row), const char *missing,
                            json_t **out, struct jx_diag *d);

/* The columns of USER_SELECT, as flat JSON (user_json nests them). */
static const struct jx_store_col user_cols[] = {
        {"id", JX_STORE_COL_INT},
        {"login", JX_STORE_COL_TEXT},
        {"name", JX_STORE_COL_TEXT},
        {"role", JX_STORE_COL_TEXT},
        {"active", JX_STORE_COL_BOOL},
        {"password_set", JX_STORE_COL_BOOL},
        {"password_changed_at", JX_STORE_COL_TEXT},
        {"version", JX_STORE_COL_INT},
        {"created_at", JX_STORE_COL_TEXT},
        {"org_id", JX_STORE_COL_INT},
        {"org_name", JX_STORE_COL_TEXT},
        {"org_kind", JX_STORE_COL_TEXT},
        {"org_path", JX_STORE_COL_TEXT},
        {NULL, 0}};

#define USER_SELECT                                                            \
	"SELECT u.id, u.login, u.name, u.role, u.active, CASE WHEN "           \
	"u.password_hash IS NULL THEN 0 ELSE 1 END, u.password_changed_at, "   \
	"u.version, u.created_at, o.id, o.name, o.kind, o.path FROM jx_user "  \
	"u "                                                                   \
	"JOIN jx_org o ON o.id = u.org_id"
#define USER_COUNT                                                             \
	"SELECT COUNT(*) FROM jx_user u JOIN jx_org o ON o.id = u.org_id"

static const struct jx_store_col org_cols[] = {
        {"id", JX_STORE_COL_INT},
        {"parent_id", JX_STORE_COL_INT},
        {"kind", JX_STORE_COL_TEXT},
        {"name", JX_STORE_COL_TEXT},
        {"code", JX_STORE_COL_TEXT},
        {"region_code", JX_STORE_COL_TEXT},
        {"region_name", JX_STORE_COL_TEXT},
        {"path", JX_STORE_COL_TEXT},
        {"version", JX_STORE_COL_INT},
        {"created_at", JX_STORE_COL_TEXT},
        {NULL, 0}};

#define ORG_SELECT                                                             \
	"SELECT o.id, o.parent_id, o.kind, o.name, o.code, o.region_code, "    \
	"o.region_name, o.path, o.version, o.created_at FROM jx_org o"
#define ORG_COUNT "SELECT COUNT(*) FROM jx_org o"

/* Sessions seen within this many seconds are not written again. */
#define TOUCH_SECONDS 60L

/* ---- helpers ----------------------------------------------------------- */

static void
q_add(struct sqlq *q, const char *frag)
{
	size_t n = strlen(frag);

	if (q->len + n + 1 > sizeof(q->sql)) {
		q->over = true;
		return;
	}
	memcpy(q->sql + q->len, frag, n + 1);
	q->len += n;
}

static void
q_par(struct sqlq *q, struct jx_db_param p)
{
	if (q->n == sizeof(q->p) / sizeof(q->p[0])) {
		q->over = true;
		return;
	}
	q->p[q->n++] = p;
}

/* "%text%" for LIKE ... ESCAPE '\', ASCII letters lowered, the pattern
 * characters of text escaped. */
static enum jx_err
like_pattern(const char *text, char *buf, size_t cap, struct jx_diag *d)
{
	size_t i, o = 0;

	if (!jx_text_utf8_valid(text, strlen(text)))
		return jx_diag_set(d, JX_EINVAL, "q", "搜索词不是有效的文本");
	buf[o++] = '%';
	for (i = 0; text[i] != '\0'; i++) {
		char c = text[i];

		if (o + 4 > cap)
			return jx_diag_set(d, JX_EINVAL, "q", "搜索词过长");
		if (c == '%' || c == '_' || c == '\\')
			buf[o++] = '\\';
		buf[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	buf[o++] = '%';
	buf[o] = '\0';
	return JX_OK;
}

/* Seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
static bool
ts_epoch(const char *ts, long long *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	long long y, m, dd, hh, mi, ss, era, yoe, doy, doe;
	size_t i;

	if (ts == NULL || strlen(ts) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? ts[i] < '0' || ts[i] > '9'
		                    : ts[i] != shape[i])
			return false;
#define D2(k) ((ts[k] - '0') * 10 + (ts[(k) + 1] - '0'))
	y = D2(0) * 100 + D2(2);
	m = D2(5);
	dd = D2(8);
	hh = D2(11);
	mi = D2(14);
	ss = D2(17);
#undef D2
	if (m < 1 || m > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 ||
	    ss > 60)
		return false;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = ((era * 146097 + doe - 719468) * 86400) + hh * 3600 + mi * 60 +
	       ss;
	return true;
}

/* Seconds until the oldest of count failures (at `oldest`) leaves a window
 * of `window` seconds; at least 1 when there are failures. */
static long
wait_of(int64_t count, const char *oldest, long window)
{
	struct timespec now;
	long long at, left;

	if (count <= 0)
		return 0;
	if (!ts_epoch(oldest, &at))
		return window;
	/* the clock jx_store_now_utc stamps with (time() may lag it) */
	clock_gettime(CLOCK_REALTIME, &now);
	left = at + window - (long long)now.tv_sec;
	if (left < 1)
		left = 1;
	if (left > window)
		left = window;
	return (long)left;
}

/* The organisation kind a role belongs at, NULL for an unknown role. */
static const char *
role_kind(const char *role)
{
	if (role == NULL)
		return NULL;
	if (strcmp(role, JX_ROLE_UNIT) == 0)
		return "unit";
	if (strcmp(role, JX_ROLE_DEPT) == 0)
		return "department";
	if (strcmp(role, JX_ROLE_FINANCE) == 0 ||
	    strcmp(role, JX_ROLE_ADMIN) == 0)
		return "finance";
	return NULL;
}

static const char *
kind_label(const char *kind)
{
	if (kind == NULL)
		return "未知组织";
	if (strcmp(kind, "finance") == 0)
		return "财政局";
	if (strcmp(kind, "department") == 0)
		return "主管部门";
	if (strcmp(kind, "unit") == 0)
		return "实施单位";
	return "未知组织";
}

/* The tree's rule (as jx_store_org_ensure): departments under the finance
 * bureau, units under a department or straight under the finance bureau. */
static bool
kind_fits(const char *parent, const char *child)
{
	if (strcmp(parent, "finance") == 0)
		return strcmp(child, "department") == 0 ||
		       strcmp(child, "unit") == 0;
	if (strcmp(parent, "department") == 0)
		return strcmp(child, "unit") == 0;
	return false;
}

static bool
valid_login(const char *login)
{
	size_t i;

	if (login == NULL || login[0] == '\0')
		return false;
	for (i = 0; login[i] != '\0'; i++) {
		char c = login[i];

		if (i >= JX_ACCOUNT_LOGIN_MAX ||
		    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-' || c == '@'))
			return false;
	}
	return true;
}

static enum jx_err
check_name(const char *name, const char *field, struct jx_diag *d)
{
	size_t i;

	if (name == NULL || name[0] == '\0')
		return jx_diag_set(d, JX_EINVAL, field, "名称不能为空");
	if (!jx_text_utf8_valid(name, strlen(name)))
		return jx_diag_set(d, JX_EINVAL, field,
		                   "名称含有无效的 UTF-8 字符");
	for (i = 0; name[i] != '\0'; i++)
		if ((unsigned char)name[i] < 0x20)
			return jx_diag_set(d, JX_EINVAL, field,
			                   "名称不能包含控制字符");
	if (jx_text_utf8_count(name, strlen(name)) > JX_ACCOUNT_NAME_MAX)
		return jx_diag_set(d, JX_EINVAL, field,
		                   "名称过长：最多 %d 个字符",
		                   JX_ACCOUNT_NAME_MAX);
	return JX_OK;
}

/* The role must be known and belong at an organisation of org_kind. */
static enum jx_err
check_role(const char *role, const char *org_kind, struct jx_diag *d)
{
	const char *want = role_kind(role);

	if (want == NULL)
		return jx_diag_set(
		        d, JX_EINVAL, "role",
		        "未知的角色（应为 unit_filer、dept_reviewer、"
		        "finance_reviewer 或 admin）");
	if (strcmp(want, org_kind) != 0)
		return jx_diag_set(d, JX_EINVAL, "role",
		                   "角色“%s”只能设在%s，所选组织是%s",
		                   jx_workflow_role_label(role),
		                   kind_label(want), kind_label(org_kind));
	return JX_OK;
}

/*
 * The API's user object from a row of USER_SELECT (row is released):
 * full adds active, password_set, password_changed_at, version and
 * created_at. NULL when out of memory.
 */
static json_t *
user_json(json_t *row, bool full)
{
	json_t *o = NULL, *org;
	const char *role = json_string_value(json_object_get(row, "role"));

	org = json_pack("{s:O, s:O, s:O, s:O}", "id",
	                json_object_get(row, "org_id"), "name",
	                json_object_get(row, "org_name"), "kind",
	                json_object_get(row, "org_kind"), "path",
	                json_object_get(row, "org_path"));
	if (org == NULL)
		goto done;
	o = json_pack("{s:O, s:O, s:O, s:O, s:s, s:o}", "id",
	              json_object_get(row, "id"), "login",
	              json_object_get(row, "login"), "name",
	              json_object_get(row, "name"), "role",
	              json_object_get(row, "role"), "role_label",
	              jx_workflow_role_label(role), "org", org);
	if (o == NULL || !full)
		goto done;
	if (json_object_set(o, "active", json_object_get(row, "active")) != 0 ||
	    json_object_set(o, "password_set",
	                    json_object_get(row, "password_set")) != 0 ||
	    json_object_set(o, "password_changed_at",
	                    json_object_get(row, "password_changed_at")) != 0 ||
	    json_object_set(o, "version", json_object_get(row, "version")) !=
	            0 ||
	    json_object_set(o, "created_at",
	                    json_object_get(row, "created_at")) != 0) {
		json_decref(o);
		o = NULL;
	}
done:
	json_decref(row);
	return o;
}

/* user_json without and with the administrative fields. */
static json_t *
user_brief_json(json_t *row)
{
	return user_json(row, false);
}

static json_t *
user_full_json(json_t *row)
{
	return user_json(row, true);
}

/* The API's organisation object from a row of ORG_SELECT (released). */
static json_t *
org_json(json_t *row)
{
	const char *kind = json_string_value(json_object_get(row, "kind"));
	json_t *o;

	o = json_pack("{s:O, s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:O, s:O, s:O}",
	              "id", json_object_get(row, "id"), "parent_id",
	              json_object_get(row, "parent_id"), "kind",
	              json_object_get(row, "kind"), "kind_label",
	              kind_label(kind), "name", json_object_get(row, "name"),
	              "code", json_object_get(row, "code"), "region_code",
	              json_object_get(row, "region_code"), "region_name",
	              json_object_get(row, "region_name"), "path",
	              json_object_get(row, "path"), "version",
	              json_object_get(row, "version"), "created_at",
	              json_object_get(row, "created_at"));
	json_decref(row);
	return o;
}

/* JX_ECONFLICT naming "version": what (用户, 组织) was changed by someone
 * else since the caller read it; now >= 0 is the version it is at, now < 0
 * when the update found it changed. */
static enum jx_err
stale(const char *what, int64_t now, struct jx_diag *d)
{
	if (now < 0)
		return jx_diag_set(d, JX_ECONFLICT, "version",
		                   "%s已被他人修改，请刷新后重试", what);
	return jx_diag_set(d, JX_ECONFLICT, "version",
	                   "%s已被他人修改（当前版本 %" PRId64
	                   "），请刷新后重试",
	                   what, now);
}

/* Delete the sessions of user_id but session keep (0: all). */
static enum jx_err
end_sessions(struct jx_store *s, int64_t user_id, int64_t keep,
             struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(user_id), P_INT(keep)};

	return jx_store_run(s,
	                    "DELETE FROM jx_session WHERE user_id = ? AND "
	                    "id <> ?",
	                    p, NP(p), d);
}

/* Store a new password hash of user_id (version + 1), end the user's
 * sessions but keep, and log action by actor. Inside a transaction. */
static enum jx_err
set_hash(struct jx_store *s, int64_t user_id, const char *hash, int64_t keep,
         const char *actor, const char *action, struct jx_diag *d)
{
	char now[32];
	enum jx_err err;
	int64_t changed = 0;

	if (hash == NULL || strncmp(hash, "$argon2", 7) != 0)
		return jx_diag_set(d, JX_EINVAL, "password", "密码哈希无效");
	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param p[] = {P_TEXT(hash), P_TEXT(now),
		                          P_INT(user_id)};

		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_user SET password_hash = ?, "
		        "password_changed_at = ?, version = version + 1 "
		        "WHERE id = ?",
		        p, NP(p), &changed, d);
	}
	if (err == JX_OK && changed == 0)
		err = jx_diag_set(d, JX_ENOTFOUND, "id", "用户不存在");
	if (err == JX_OK)
		err = end_sessions(s, user_id, keep, d);
	if (err == JX_OK)
		err = jx_store_audit_json(
		        s, actor, action, "jx_user", user_id, NULL,
		        json_pack("{s:s}", "password_changed_at", now),
		        JSON_COMPACT, d);
	return err;
}

/* User id of the subtree `scope` (a LIKE pattern) into *out, strings in
 * a. JX_ENOTFOUND when it is not there. */
static enum jx_err
user_read(struct jx_store *s, const char *scope, int64_t id,
          struct user_row *out, struct jx_arena *a, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_db_param p[] = {P_INT(id), P_TEXT(scope)};
	enum jx_err err;

	err = jx_store_first(s,
	                     "SELECT u.id, u.org_id, u.version, u.login, "
	                     "u.name, u.role, o.kind, u.active FROM jx_user u "
	                     "JOIN jx_org o ON o.id = u.org_id WHERE u.id = ? "
	                     "AND (o.path || '') LIKE ?",
	                     p, NP(p), &st, "id", "用户不存在", d);
	if (err == JX_OK) {
		memset(out, 0, sizeof(*out));
		out->id = s->ops->col_int(st, 0);
		out->org_id = s->ops->col_int(st, 1);
		out->version = s->ops->col_int(st, 2);
		out->login = jx_store_dup_col(st, s->ops, 3, a);
		out->name = jx_store_dup_col(st, s->ops, 4, a);
		out->role = jx_store_dup_col(st, s->ops, 5, a);
		out->org_kind = jx_store_dup_col(st, s->ops, 6, a);
		out->active = s->ops->col_int(st, 7) != 0;
		if (out->login == NULL || out->name == NULL ||
		    out->role == NULL || out->org_kind == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	s->ops->finish(st);
	return err;
}

/* The kind (and path, when path is not NULL: in a) of organisation id of
 * the subtree `scope`. JX_ENOTFOUND when it is not there. */
static enum jx_err
org_kind_in_scope(struct jx_store *s, const char *scope, int64_t id, char *kind,
                  size_t cap, char **path, struct jx_arena *a,
                  struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_db_param p[] = {P_INT(id), P_TEXT(scope)};
	enum jx_err err;

	err = jx_store_first(s,
	                     "SELECT kind, path FROM jx_org WHERE id = ? AND "
	                     "(path || '') LIKE ?",
	                     p, NP(p), &st, "org_id", "组织不存在", d);
	if (err == JX_OK) {
		snprintf(kind, cap, "%s", s->ops->col_text(st, 0));
		if (path != NULL) {
			*path = jx_store_dup_col(st, s->ops, 1, a);
			if (*path == NULL)
				err = jx_diag_set(d, JX_ENOMEM, NULL,
				                  "内存不足");
		}
	}
	s->ops->finish(st);
	return err;
}

static enum jx_err
org_read(struct jx_store *s, const char *scope, int64_t id, struct org_row *out,
         struct jx_arena *a, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_db_param p[] = {P_INT(id), P_TEXT(scope)};
	enum jx_err err;

	err = jx_store_first(s,
	                     "SELECT id, parent_id, version, kind, name, code, "
	                     "region_code, region_name, path FROM jx_org "
	                     "WHERE id = ? AND (path || '') LIKE ?",
	                     p, NP(p), &st, "id", "组织不存在", d);
	if (err == JX_OK) {
		memset(out, 0, sizeof(*out));
		out->id = s->ops->col_int(st, 0);
		out->parent_id = s->ops->col_int(st, 1);
		out->version = s->ops->col_int(st, 2);
		snprintf(out->kind, sizeof(out->kind), "%s",
		         s->ops->col_text(st, 3));
		out->name = jx_store_dup_col(st, s->ops, 4, a);
		out->code = jx_store_dup_col(st, s->ops, 5, a);
		out->region_code = jx_store_dup_col(st, s->ops, 6, a);
		out->region_name = jx_store_dup_col(st, s->ops, 7, a);
		out->path = jx_store_dup_col(st, s->ops, 8, a);
		if (out->name == NULL || out->path == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	s->ops->finish(st);
	return err;
}

/*
 * The start of a list of the caller's subtree into l: the LIKE pattern of
 * the subtree, the clause " WHERE (o.path || '') LIKE ?" on it, and the
 * column of sort in sorts (sorts[0] when sort is NULL). JX_EINVAL naming
 * "sort" or "page" for a sort not in sorts or a page or page size below 1.
 */
static enum jx_err
list_open(struct listq *l, const struct jx_who *who,
          const struct sort_key *sorts, size_t nsorts, const char *sort,
          int64_t page, int64_t per_page, struct jx_diag *d)
{
	enum jx_err err;
	size_t i;

	memset(l, 0, sizeof(*l));
	err = jx_store_scope_like(who, l->scope, sizeof(l->scope), d);
	if (err != JX_OK)
		return err;
	for (i = 0; sort != NULL && i < nsorts; i++)
		if (strcmp(sort, sorts[i].key) == 0)
			break;
	if (sort != NULL && i == nsorts)
		return jx_diag_set(d, JX_EINVAL, "sort", "不支持的排序方式");
	l->order = sort != NULL ? sorts[i].col : sorts[0].col;
	if (page < 1 || per_page < 1)
		return jx_diag_set(d, JX_EINVAL, "page", "分页参数无效");
	q_add(&l->w, " WHERE (o.path || '') LIKE ?");
	q_par(&l->w, P_TEXT(l->scope));
	return JX_OK;
}

/* When text (the "q" query key) is not empty: append frag, a condition
 * with `uses` placeholders that all take the LIKE pattern of text. */
static enum jx_err
list_search(struct listq *l, const char *text, const char *frag, int uses,
            struct jx_diag *d)
{
	enum jx_err err;
	int i;

	if (text == NULL || text[0] == '\0')
		return JX_OK;
	err = like_pattern(text, l->pat, sizeof(l->pat), d);
	if (err != JX_OK)
		return err;
	q_add(&l->w, frag);
	for (i = 0; i < uses; i++)
		q_par(&l->w, P_TEXT(l->pat));
	return JX_OK;
}

/*
 * Count the rows of `count` + l's clause into *total, then append to items
 * one page of `select` + the clause + ORDER BY l's column (+ DESC),
 * tiebreak, each row read as a flat object of cols and turned into the
 * API's object by shape (which releases the row; NULL when out of memory).
 * The sort column and tiebreak are fixed column names, never user text.
 */
static enum jx_err
list_json(struct jx_store *s, const struct listq *l, const char *select,
          const char *count, const char *tiebreak, bool desc, int64_t page,
          int64_t per_page, const struct jx_store_col *cols,
          json_t *(*shape)(json_t *row), json_t *items, int64_t *total,
          struct jx_diag *d)
{
	struct sqlq q;
	json_t *raw = NULL, *row;
	enum jx_err err;
	int64_t n = 0;
	size_t i;

	memset(&q, 0, sizeof(q));
	q_add(&q, count);
	q_add(&q, l->w.sql);
	memcpy(q.p, l->w.p, sizeof(q.p));
	q.n = l->w.n;
	if (q.over || l->w.over)
		return jx_diag_set(d, JX_ETOOBIG, NULL, "查询条件过多");
	raw = json_array();
	if (raw == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	err = jx_store_one_int(s, q.sql, q.p, q.n, &n, d);
	if (err != JX_OK)
		goto done;
	q.len = 0;
	q.sql[0] = '\0';
	q_add(&q, select);
	q_add(&q, l->w.sql);
	q_add(&q, " ORDER BY ");
	q_add(&q, l->order);
	if (desc)
		q_add(&q, " DESC");
	q_add(&q, ", ");
	q_add(&q, tiebreak);
	q_add(&q, " LIMIT ? OFFSET ?");
	q_par(&q, P_INT(per_page));
	q_par(&q, P_INT((page - 1) * per_page));
	if (q.over) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL, "查询条件过多");
		goto done;
	}
	err = jx_store_rows_json(s, q.sql, q.p, q.n, cols, raw, d);
	for (i = 0; err == JX_OK && i < json_array_size(raw); i++) {
		row = shape(json_incref(json_array_get(raw, i)));
		if (row == NULL || json_array_append_new(items, row) != 0)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	if (err == JX_OK)
		*total = n;
done:
	json_decref(raw);
	return err;
}

/*
 * The row of sql, with the parameters id and, when who is not NULL, the
 * LIKE pattern of who's subtree, as a flat object of cols turned into the
 * API's object by shape, into *out (the caller owns it). JX_ENOTFOUND
 * naming "id" with the message `missing` when there is no row.
 */
static enum jx_err
get_json(struct jx_store *s, const struct jx_who *who, const char *sql,
         int64_t id, const struct jx_store_col *cols,
         json_t *(*shape)(json_t *row), const char *missing, json_t **out,
         struct jx_diag *d)
{
	char scope[256] = "";
	struct jx_db_param p[] = {P_INT(id), P_TEXT(scope)};
	json_t *row = NULL, *o;
	enum jx_err err;

	if (who != NULL) {
		err = jx_store_scope_like(who, scope, sizeof(scope), d);
		if (err != JX_OK)
			return err;
	}
	err = jx_store_row_json(s, sql, p, who != NULL ? 2 : 1, cols, &row, d);
	if (err == JX_ENOTFOUND)
		return jx_diag_set(d, err, "id", "%s", missing);
	if (err != JX_OK)
		return err;
	o = shape(row);
	if (o == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	*out = o;
	return JX_OK;
}

/* ---- sessions ---------------------------------------------------------- */

enum jx_err
jx_account_session_create(struct jx_store *s, int64_t user_id,
                          const char *token_hash, const char *csrf,
                          const char *address, long max_seconds, int64_t *id,
                          struct jx_diag *d)
{
	char now[32], expires[32];
	char *login = NULL;
	struct jx_db_stmt *st = NULL;
	struct jx_arena a;
	enum jx_err err;
	int64_t sid = 0;
	bool own;

	if (token_hash == NULL || csrf == NULL || max_seconds <= 0)
		return jx_diag_set(d, JX_EINVAL, NULL, "会话参数无效");
	jx_store_now_utc(now, sizeof(now));
	jx_store_time_from_now(max_seconds, expires, sizeof(expires));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	jx_arena_init(&a, 256);
	err = jx_store_first(s, "SELECT login FROM jx_user WHERE id = ?",
	                     (struct jx_db_param[]){P_INT(user_id)}, 1, &st,
	                     "user_id", "用户不存在", d);
	if (err == JX_OK &&
	    (login = jx_store_dup_col(st, s->ops, 0, &a)) == NULL)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	s->ops->finish(st);
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_TEXT(token_hash), P_INT(user_id),
		                          P_TEXT(csrf),       P_TEXT(address),
		                          P_TEXT(now),        P_TEXT(now),
		                          P_TEXT(expires)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_session (token_hash, user_id, "
		        "csrf_token, address, created_at, seen_at, expires_at) "
		        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), &sid, d);
	}
	if (err == JX_OK)
		err = jx_store_audit_json(
		        s, login, "login", "jx_session", sid, NULL,
		        json_pack("{s:I, s:s?, s:s}", "user_id",
		                  (json_int_t)user_id, "address", address,
		                  "expires_at", expires),
		        JSON_COMPACT, d);
	err = jx_store_txn_close(s, own, err, d);
	jx_arena_cleanup(&a);
	if (err == JX_OK)
		*id = sid;
	return err;
}

enum jx_err
jx_account_session_resolve(struct jx_store *s, const char *token_hash,
                           long idle_seconds, struct jx_account_session *out,
                           struct jx_arena *a, struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_account_session r;
	char now[32], idle_cut[32], touch_cut[32], seen[32];
	long touch = TOUCH_SECONDS;
	enum jx_err err;
	bool dead = false, active = false;

	if (token_hash == NULL)
		return jx_diag_set(d, JX_EAUTH, NULL, "未登录");
	if (idle_seconds < 2 * touch)
		touch = idle_seconds / 2;
	jx_store_now_utc(now, sizeof(now));
	jx_store_time_from_now(-(long long)idle_seconds, idle_cut,
	                       sizeof(idle_cut));
	jx_store_time_from_now(-(long long)touch, touch_cut, sizeof(touch_cut));
	memset(&r, 0, sizeof(r));
	err = s->ops->query(
	        s->db,
	        "SELECT s.id, s.csrf_token, s.seen_at, s.expires_at, u.id, "
	        "u.login, u.name, u.role, u.active, o.id, o.kind, o.path "
	        "FROM jx_session s JOIN jx_user u ON u.id = s.user_id "
	        "JOIN jx_org o ON o.id = u.org_id WHERE s.token_hash = ?",
	        (struct jx_db_param[]){P_TEXT(token_hash)}, 1, &st, d);
	if (err == JX_OK)
		err = s->ops->step(st, d);
	if (err == JX_OK) {
		r.id = s->ops->col_int(st, 0);
		r.csrf = jx_store_dup_col(st, s->ops, 1, a);
		snprintf(seen, sizeof(seen), "%s", s->ops->col_text(st, 2));
		r.expires_at = jx_store_dup_col(st, s->ops, 3, a);
		r.who.user_id = s->ops->col_int(st, 4);
		r.who.login = jx_store_dup_col(st, s->ops, 5, a);
		r.who.name = jx_store_dup_col(st, s->ops, 6, a);
		r.who.role = jx_store_dup_col(st, s->ops, 7, a);
		active = s->ops->col_int(st, 8) != 0;
		r.who.org_id = s->ops->col_int(st, 9);
		r.who.org_kind = jx_store_dup_col(st, s->ops, 10, a);
		r.who.org_path = jx_store_dup_col(st, s->ops, 11, a);
		if (r.csrf == NULL || r.expires_at == NULL ||
		    r.who.login == NULL || r.who.name == NULL ||
		    r.who.role == NULL || r.who.org_kind == NULL ||
		    r.who.org_path == NULL)
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		else
			dead = !active || strcmp(r.expires_at, now) <= 0 ||
			       strcmp(seen, idle_cut) < 0;
	} else if (err == JX_EEOF) {
		err = jx_diag_set(d, JX_EAUTH, NULL, "会话不存在或已过期");
	}
	s->ops->finish(st);
	if (err == JX_OK && dead) {
		err = jx_store_run(s, "DELETE FROM jx_session WHERE id = ?",
		                   (struct jx_db_param[]){P_INT(r.id)}, 1, d);
		if (err == JX_OK)
			err = jx_diag_set(d, JX_EAUTH, NULL,
			                  "会话已过期，请重新登录");
	}
	if (err == JX_OK && strcmp(seen, touch_cut) < 0) {
		struct jx_db_param p[] = {P_TEXT(now), P_INT(r.id)};

		err = jx_store_run(s,
		                   "UPDATE jx_session SET seen_at = ? WHERE "
		                   "id = ?",
		                   p, NP(p), d);
	}
	if (err == JX_OK)
		*out = r;
	return err;
}

enum jx_err
jx_account_session_delete(struct jx_store *s, int64_t id, const char *actor,
                          struct jx_diag *d)
{
	enum jx_err err;
	int64_t n = 0;
	bool own;

	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	err = jx_store_run_changes(s, "DELETE FROM jx_session WHERE id = ?",
	                           (struct jx_db_param[]){P_INT(id)}, 1, &n, d);
	if (err == JX_OK && n > 0)
		err = jx_store_audit(s, actor, "logout", "jx_session", id, NULL,
		                     NULL, d);
	return jx_store_txn_close(s, own, err, d);
}

enum jx_err
jx_account_session_delete_token(struct jx_store *s, const char *token_hash,
                                struct jx_diag *d)
{
	return jx_store_run(s, "DELETE FROM jx_session WHERE token_hash = ?",
	                    (struct jx_db_param[]){P_TEXT(token_hash)}, 1, d);
}

enum jx_err
jx_account_session_prune(struct jx_store *s, long idle_seconds, int64_t *n,
                         struct jx_diag *d)
{
	char now[32], idle_cut[32];
	int64_t changed = 0;
	enum jx_err err;

	jx_store_now_utc(now, sizeof(now));
	jx_store_time_from_now(-(long long)idle_seconds, idle_cut,
	                       sizeof(idle_cut));
	{
		struct jx_db_param p[] = {P_TEXT(now), P_TEXT(idle_cut)};

		err = jx_store_run_changes(s,
		                           "DELETE FROM jx_session WHERE "
		                           "expires_at <= ? OR seen_at < ?",
		                           p, NP(p), &changed, d);
	}
	if (err == JX_OK && n != NULL)
		*n = changed;
	return err;
}

/* ---- failed sign-ins --------------------------------------------------- */

enum jx_err
jx_account_failures(struct jx_store *s, const char *login, const char *address,
                    long window_seconds, struct jx_account_failures *out,
                    struct jx_diag *d)
{
	static const char *const sql[] = {
	        "SELECT COUNT(*), MIN(at) FROM jx_login_failure WHERE "
	        "login = ? AND at >= ?",
	        "SELECT COUNT(*), MIN(at) FROM jx_login_failure WHERE "
	        "address = ? AND at >= ?"};
	const char *key[2] = {login, address};
	int64_t count[2] = {0, 0};
	long wait[2] = {0, 0};
	char cut[32], oldest[32];
	enum jx_err err = JX_OK;
	int i;

	jx_store_time_from_now(-(long long)window_seconds, cut, sizeof(cut));
	for (i = 0; i < 2 && err == JX_OK; i++) {
		struct jx_db_stmt *st = NULL;
		struct jx_db_param p[] = {P_TEXT(key[i]), P_TEXT(cut)};

		if (key[i] == NULL)
			continue;
		err = s->ops->query(s->db, sql[i], p, NP(p), &st, d);
		if (err == JX_OK)
			err = s->ops->step(st, d);
		if (err == JX_OK) {
			count[i] = s->ops->col_int(st, 0);
			snprintf(oldest, sizeof(oldest), "%s",
			         s->ops->is_null(st, 1)
			                 ? ""
			                 : s->ops->col_text(st, 1));
			wait[i] = wait_of(count[i], oldest, window_seconds);
		}
		s->ops->finish(st);
	}
	if (err == JX_OK) {
		out->by_login = count[0];
		out->by_address = count[1];
		out->login_wait = wait[0];
		out->address_wait = wait[1];
	}
	return err;
}

enum jx_err
jx_account_failure_record(struct jx_store *s, const char *login,
                          const char *address, struct jx_diag *d)
{
	char now[32];

	jx_store_now_utc(now, sizeof(now));
	{
		struct jx_db_param p[] = {
		        P_TEXT(login != NULL ? login : ""),
		        P_TEXT(address != NULL ? address : ""), P_TEXT(now)};

		return jx_store_run(s,
		                    "INSERT INTO jx_login_failure (login, "
		                    "address, at) VALUES (?, ?, ?)",
		                    p, NP(p), d);
	}
}

enum jx_err
jx_account_failure_clear(struct jx_store *s, const char *login,
                         struct jx_diag *d)
{
	return jx_store_run(s, "DELETE FROM jx_login_failure WHERE login = ?",
	                    (struct jx_db_param[]){P_TEXT(login)}, 1, d);
}

enum jx_err
jx_account_failure_prune(struct jx_store *s, long window_seconds,
                         struct jx_diag *d)
{
	char cut[32];

	jx_store_time_from_now(-(long long)window_seconds, cut, sizeof(cut));
	return jx_store_run(s, "DELETE FROM jx_login_failure WHERE at < ?",
	                    (struct jx_db_param[]){P_TEXT(cut)}, 1, d);
}

/* ---- users ------------------------------------------------------------- */

enum jx_err
jx_account_credentials(struct jx_store *s, const char *login,
                       struct jx_account_credentials *out, struct jx_arena *a,
                       struct jx_diag *d)
{
	struct jx_db_stmt *st = NULL;
	struct jx_account_credentials c;
	enum jx_err err;

	if (login == NULL)
		return jx_diag_set(d, JX_ENOTFOUND, "login", "用户不存在");
	err = jx_store_first(s,
	                     "SELECT id, login, password_hash, active FROM "
	                     "jx_user WHERE login = ?",
	                     (struct jx_db_param[]){P_TEXT(login)}, 1, &st,
	                     "login", "用户不存在", d);
	if (err == JX_OK) {
		memset(&c, 0, sizeof(c));
		c.id = s->ops->col_int(st, 0);
		c.login = jx_store_dup_col(st, s->ops, 1, a);
		c.password_hash = jx_store_dup_col(st, s->ops, 2, a);
		c.active = s->ops->col_int(st, 3) != 0;
		if (c.login == NULL ||
		    (c.password_hash == NULL && !s->ops->is_null(st, 2)))
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	}
	s->ops->finish(st);
	if (err == JX_OK)
		*out = c;
	return err;
}

enum jx_err
jx_account_profile(struct jx_store *s, int64_t user_id, json_t **out,
                   struct jx_diag *d)
{
	return get_json(s, NULL, USER_SELECT " WHERE u.id = ?", user_id,
	                user_cols, user_brief_json, "用户不存在", out, d);
}

enum jx_err
jx_account_users_list(struct jx_store *s, const struct jx_who *who,
                      const struct jx_account_user_query *q, json_t *items,
                      int64_t *total, struct jx_diag *d)
{
	static const struct sort_key sorts[] = {{"login", "u.login"},
	                                        {"name", "u.name"},
	                                        {"role", "u.role"},
	                                        {"org", "o.path"},
	                                        {"created_at", "u.created_at"},
	                                        {"id", "u.id"}};
	struct listq l;
	enum jx_err err;

	err = list_open(&l, who, sorts, NP(sorts), q->sort, q->page,
	                q->per_page, d);
	if (err != JX_OK)
		return err;
	if (q->org_id != 0) {
		q_add(&l.w, " AND o.path LIKE (SELECT p.path FROM jx_org p "
		            "WHERE p.id = ?) || '%'");
		q_par(&l.w, P_INT(q->org_id));
	}
	if (q->role != NULL) {
		q_add(&l.w, " AND u.role = ?");
		q_par(&l.w, P_TEXT(q->role));
	}
	if (q->active == 0 || q->active == 1) {
		q_add(&l.w, " AND u.active = ?");
		q_par(&l.w, P_INT(q->active));
	}
	err = list_search(&l, q->q,
	                  " AND (LOWER(u.login) LIKE ? ESCAPE '\\' OR "
	                  "LOWER(u.name) LIKE ? ESCAPE '\\')",
	                  2, d);
	if (err != JX_OK)
		return err;
	return list_json(s, &l, USER_SELECT, USER_COUNT, "u.id", q->desc,
	                 q->page, q->per_page, user_cols, user_full_json, items,
	                 total, d);
}

enum jx_err
jx_account_user_get(struct jx_store *s, const struct jx_who *who, int64_t id,
                    json_t **out, struct jx_diag *d)
{
	return get_json(s, who,
	                USER_SELECT " WHERE u.id = ? AND (o.path || '') LIKE ?",
	                id, user_cols, user_full_json, "用户不存在", out, d);
}

enum jx_err
jx_account_user_create(struct jx_store *s, const struct jx_who *who,
                       const struct jx_account_user_new *u, int64_t *id,
                       struct jx_diag *d)
{
	char scope[256], kind[16], now[32];
	enum jx_err err;
	int64_t uid = 0, other = 0;
	bool own;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err != JX_OK)
		return err;
	if (!valid_login(u->login))
		return jx_diag_set(
		        d, JX_EINVAL, "login",
		        "登录名须为 1 到 %d 个英文字母、数字或 . _ - "
		        "@ 字符",
		        JX_ACCOUNT_LOGIN_MAX);
	err = check_name(u->name, "name", d);
	if (err != JX_OK)
		return err;
	if (role_kind(u->role) == NULL)
		return check_role(u->role, "", d);
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	err = org_kind_in_scope(s, scope, u->org_id, kind, sizeof(kind), NULL,
	                        NULL, d);
	if (err == JX_OK)
		err = check_role(u->role, kind, d);
	if (err == JX_OK) {
		err = jx_store_one_int(
		        s, "SELECT id FROM jx_user WHERE login = ?",
		        (struct jx_db_param[]){P_TEXT(u->login)}, 1, &other, d);
		if (err == JX_OK)
			err = JX_ECONFLICT;
		else if (err == JX_ENOTFOUND)
			err = JX_OK;
	}
	if (err == JX_OK) {
		struct jx_db_param p[] = {
		        P_INT(u->org_id),
		        P_TEXT(u->login),
		        P_TEXT(u->name),
		        P_TEXT(u->role),
		        P_TEXT(u->password_hash),
		        P_TEXT(u->password_hash != NULL ? now : NULL),
		        P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_user (org_id, login, name, role, "
		        "password_hash, password_changed_at, created_at) "
		        "VALUES "
		        "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), &uid, d);
	}
	if (err == JX_ECONFLICT)
		jx_diag_set(d, err, "login", "登录名“%s”已存在", u->login);
	if (err == JX_OK)
		err = jx_store_audit_json(
		        s, who->login, "create", "jx_user", uid, NULL,
		        json_pack("{s:s, s:s, s:s, s:I, s:b, s:b}", "login",
		                  u->login, "name", u->name, "role", u->role,
		                  "org_id", (json_int_t)u->org_id, "active", 1,
		                  "password_set", u->password_hash != NULL),
		        JSON_COMPACT, d);
	err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK)
		*id = uid;
	return err;
}

enum jx_err
jx_account_user_update(struct jx_store *s, const struct jx_who *who,
                       const struct jx_account_user_change *c, int64_t *version,
                       struct jx_diag *d)
{
	char scope[256], kind[16];
	struct user_row cur;
	struct jx_arena a;
	const char *name = NULL, *role = NULL;
	int64_t org_id = 0, changed = 0;
	int active = 1;
	enum jx_err err;
	bool own;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err != JX_OK)
		return err;
	if (c->name != NULL && (err = check_name(c->name, "name", d)) != JX_OK)
		return err;
	memset(&cur, 0, sizeof(cur));
	jx_arena_init(&a, 1024);
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	err = user_read(s, scope, c->id, &cur, &a, d);
	if (err == JX_OK && cur.version != c->version)
		err = stale("用户", cur.version, d);
	if (err == JX_OK) {
		name = c->name != NULL ? c->name : cur.name;
		role = c->role != NULL ? c->role : cur.role;
		org_id = c->org_id != 0 ? c->org_id : cur.org_id;
		active = c->active == 0 || c->active == 1 ? c->active
		                                          : (int)cur.active;
		snprintf(kind, sizeof(kind), "%s", cur.org_kind);
		if (org_id != cur.org_id)
			err = org_kind_in_scope(s, scope, org_id, kind,
			                        sizeof(kind), NULL, NULL, d);
	}
	if (err == JX_OK)
		err = check_role(role, kind, d);
	if (err == JX_OK && c->id == who->user_id && active == 0)
		err = jx_diag_set(d, JX_EPERM, "active", "不能停用自己的账号");
	if (err == JX_OK && c->id == who->user_id &&
	    strcmp(role, cur.role) != 0)
		err = jx_diag_set(d, JX_EPERM, "role", "不能更改自己的角色");
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_TEXT(name),  P_TEXT(role),
		                          P_INT(org_id), P_INT(active),
		                          P_INT(c->id),  P_INT(c->version)};

		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_user SET name = ?, role = ?, org_id = ?, "
		        "active = ?, version = version + 1 WHERE id = ? AND "
		        "version = ?",
		        p, NP(p), &changed, d);
		if (err == JX_OK && changed == 0)
			err = stale("用户", -1, d);
	}
	if (err == JX_OK && cur.active && active == 0)
		err = end_sessions(s, c->id, 0, d);
	if (err == JX_OK)
		err = jx_store_audit_json(
		        s, who->login, "update", "jx_user", c->id,
		        json_pack("{s:s, s:s, s:I, s:b}", "name", cur.name,
		                  "role", cur.role, "org_id",
		                  (json_int_t)cur.org_id, "active",
		                  (int)cur.active),
		        json_pack("{s:s, s:s, s:I, s:b}", "name", name, "role",
		                  role, "org_id", (json_int_t)org_id, "active",
		                  active),
		        JSON_COMPACT, d);
	err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK && version != NULL)
		*version = c->version + 1;
done:
	jx_arena_cleanup(&a);
	return err;
}

enum jx_err
jx_account_user_reset_password(struct jx_store *s, const struct jx_who *who,
                               int64_t id, const char *hash, struct jx_diag *d)
{
	char scope[256];
	struct user_row cur;
	struct jx_arena a;
	enum jx_err err;
	bool own;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err != JX_OK)
		return err;
	jx_arena_init(&a, 1024);
	err = jx_store_txn_open(s, &own, d);
	if (err == JX_OK) {
		err = user_read(s, scope, id, &cur, &a, d);
		if (err == JX_OK)
			err = set_hash(s, id, hash, 0, who->login,
			               "reset_password", d);
		err = jx_store_txn_close(s, own, err, d);
	}
	jx_arena_cleanup(&a);
	return err;
}

enum jx_err
jx_account_own_password(struct jx_store *s, const struct jx_who *who,
                        const char *hash, int64_t keep_session,
                        struct jx_diag *d)
{
	enum jx_err err;
	bool own;

	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	err = set_hash(s, who->user_id, hash, keep_session, who->login,
	               "change_password", d);
	return jx_store_txn_close(s, own, err, d);
}

enum jx_err
jx_account_set_password_hash(struct jx_store *s, const char *login,
                             const char *hash, struct jx_diag *d)
{
	enum jx_err err;
	int64_t id = 0;
	bool own;

	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		return err;
	err = jx_store_one_int(s, "SELECT id FROM jx_user WHERE login = ?",
	                       (struct jx_db_param[]){P_TEXT(login)}, 1, &id,
	                       d);
	if (err == JX_ENOTFOUND)
		err = jx_diag_set(d, err, "login", "用户“%s”不存在",
		                  login != NULL ? login : "");
	if (err == JX_OK)
		err = set_hash(s, id, hash, 0, "system", "set_password", d);
	return jx_store_txn_close(s, own, err, d);
}

/* ---- organisations ----------------------------------------------------- */

enum jx_err
jx_account_orgs_list(struct jx_store *s, const struct jx_who *who,
                     const struct jx_account_org_query *q, json_t *items,
                     int64_t *total, struct jx_diag *d)
{
	static const struct sort_key sorts[] = {{"path", "o.path"},
	                                        {"name", "o.name"},
	                                        {"code", "o.code"},
	                                        {"kind", "o.kind"},
	                                        {"id", "o.id"}};
	struct listq l;
	enum jx_err err;

	err = list_open(&l, who, sorts, NP(sorts), q->sort, q->page,
	                q->per_page, d);
	if (err != JX_OK)
		return err;
	if (q->kind != NULL) {
		q_add(&l.w, " AND o.kind = ?");
		q_par(&l.w, P_TEXT(q->kind));
	}
	if (q->parent_id != 0) {
		q_add(&l.w, " AND o.parent_id = ?");
		q_par(&l.w, P_INT(q->parent_id));
	}
	err = list_search(&l, q->q, " AND LOWER(o.name) LIKE ? ESCAPE '\\'", 1,
	                  d);
	if (err != JX_OK)
		return err;
	return list_json(s, &l, ORG_SELECT, ORG_COUNT, "o.id", q->desc, q->page,
	                 q->per_page, org_cols, org_json, items, total, d);
}

enum jx_err
jx_account_org_get(struct jx_store *s, const struct jx_who *who, int64_t id,
                   json_t **out, struct jx_diag *d)
{
	return get_json(s, who,
	                ORG_SELECT " WHERE o.id = ? AND (o.path || '') LIKE ?",
	                id, org_cols, org_json, "组织不存在", out, d);
}

/* Whether parent_id already has an organisation called name (other than
 * id): JX_ECONFLICT naming the field "name". */
static enum jx_err
name_free(struct jx_store *s, int64_t parent_id, const char *name, int64_t id,
          struct jx_diag *d)
{
	struct jx_db_param p[] = {P_INT(parent_id), P_TEXT(name), P_INT(id)};
	int64_t other = 0;
	enum jx_err err;

	err = jx_store_one_int(
	        s,
	        "SELECT id FROM jx_org WHERE COALESCE(parent_id, "
	        "0) = ? AND name = ? AND id <> ?",
	        p, NP(p), &other, d);
	if (err == JX_ENOTFOUND)
		return JX_OK;
	if (err == JX_OK)
		return jx_diag_set(d, JX_ECONFLICT, "name",
		                   "同一上级组织下已有名为“%s”的组织", name);
	return err;
}

enum jx_err
jx_account_org_create(struct jx_store *s, const struct jx_who *who,
                      const struct jx_account_org_new *o, int64_t *id,
                      struct jx_diag *d)
{
	char scope[256], pkind[16], now[32], path[256] = "";
	char *ppath = NULL;
	struct jx_arena a;
	enum jx_err err;
	int64_t oid = 0;
	bool own;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err != JX_OK)
		return err;
	if (o->kind == NULL || (strcmp(o->kind, "department") != 0 &&
	                        strcmp(o->kind, "unit") != 0))
		return jx_diag_set(d, JX_EINVAL, "kind",
		                   "组织类型应为 department（主管部门）或 "
		                   "unit（实施单位）");
	err = check_name(o->name, "name", d);
	if (err != JX_OK)
		return err;
	jx_arena_init(&a, 1024);
	jx_store_now_utc(now, sizeof(now));
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	err = org_kind_in_scope(s, scope, o->parent_id, pkind, sizeof(pkind),
	                        &ppath, &a, d);
	if (err == JX_ENOTFOUND)
		jx_diag_set(d, err, "parent_id", "上级组织不存在");
	if (err == JX_OK && !kind_fits(pkind, o->kind))
		err = jx_diag_set(d, JX_EINVAL, "kind",
		                  "组织层级不符：%s不能设在%s之下",
		                  kind_label(o->kind), kind_label(pkind));
	if (err == JX_OK)
		err = name_free(s, o->parent_id, o->name, 0, d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_INT(o->parent_id),
		                          P_TEXT(o->kind),
		                          P_TEXT(o->code),
		                          P_TEXT(o->name),
		                          P_TEXT(o->region_code),
		                          P_TEXT(o->region_name),
		                          P_TEXT(now)};

		err = jx_store_one_int(
		        s,
		        "INSERT INTO jx_org (parent_id, kind, code, name, "
		        "region_code, region_name, created_at) VALUES "
		        "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
		        p, NP(p), &oid, d);
		if (err == JX_ECONFLICT)
			jx_diag_set(d, err, "name",
			            "同一上级组织下已有名为“%s”的组织",
			            o->name);
	}
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_TEXT(path), P_INT(oid)};

		snprintf(path, sizeof(path), "%s%" PRId64 "/", ppath, oid);
		err = jx_store_run(s, "UPDATE jx_org SET path = ? WHERE id = ?",
		                   p, NP(p), d);
	}
	if (err == JX_OK)
		err = jx_store_audit_json(
		        s, who->login, "create", "jx_org", oid, NULL,
		        json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s}",
		                  "parent_id", (json_int_t)o->parent_id, "kind",
		                  o->kind, "name", o->name, "code", o->code,
		                  "region_code", o->region_code, "region_name",
		                  o->region_name, "path", path),
		        JSON_COMPACT, d);
	err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK)
		*id = oid;
done:
	jx_arena_cleanup(&a);
	return err;
}

enum jx_err
jx_account_org_update(struct jx_store *s, const struct jx_who *who,
                      const struct jx_account_org_change *c, int64_t *version,
                      struct jx_diag *d)
{
	char scope[256];
	struct org_row cur;
	struct jx_arena a;
	const char *name, *code, *rcode, *rname;
	enum jx_err err;
	int64_t changed = 0;
	bool own;

	err = jx_store_scope_like(who, scope, sizeof(scope), d);
	if (err != JX_OK)
		return err;
	if ((c->set & JX_ACCOUNT_ORG_NAME) &&
	    (err = check_name(c->name, "name", d)) != JX_OK)
		return err;
	memset(&cur, 0, sizeof(cur));
	jx_arena_init(&a, 1024);
	err = jx_store_txn_open(s, &own, d);
	if (err != JX_OK)
		goto done;
	err = org_read(s, scope, c->id, &cur, &a, d);
	if (err == JX_OK && cur.version != c->version)
		err = stale("组织", cur.version, d);
	name = c->set & JX_ACCOUNT_ORG_NAME ? c->name : cur.name;
	code = c->set & JX_ACCOUNT_ORG_CODE ? c->code : cur.code;
	rcode = c->set & JX_ACCOUNT_ORG_REGION_CODE ? c->region_code
	                                            : cur.region_code;
	rname = c->set & JX_ACCOUNT_ORG_REGION_NAME ? c->region_name
	                                            : cur.region_name;
	if (err == JX_OK && strcmp(name, cur.name) != 0)
		err = name_free(s, cur.parent_id, name, cur.id, d);
	if (err == JX_OK) {
		struct jx_db_param p[] = {P_TEXT(name),  P_TEXT(code),
		                          P_TEXT(rcode), P_TEXT(rname),
		                          P_INT(c->id),  P_INT(c->version)};

		err = jx_store_run_changes(
		        s,
		        "UPDATE jx_org SET name = ?, code = ?, region_code = "
		        "?, "
		        "region_name = ?, version = version + 1 WHERE id = ? "
		        "AND version = ?",
		        p, NP(p), &changed, d);
		if (err == JX_ECONFLICT)
			jx_diag_set(d, err, "name",
			            "同一上级组织下已有名为“%s”的组织", name);
		else if (err == JX_OK && changed == 0)
			err = stale("组织", -1, d);
	}
	if (err == JX_OK)
		err = jx_store_audit_json(
		        s, who->login, "update", "jx_org", c->id,
		        json_pack("{s:s, s:s?, s:s?, s:s?}", "name", cur.name,
		                  "code", cur.code, "region_code",
		                  cur.region_code, "region_name",
		                  cur.region_name),
		        json_pack("{s:s, s:s?, s:s?, s:s?}", "name", name,
		                  "code", code, "region_code", rcode,
		                  "region_name", rname),
		        JSON_COMPACT, d);
	err = jx_store_txn_close(s, own, err, d);
	if (err == JX_OK && version != NULL)
		*version = c->version + 1;
done:
	jx_arena_cleanup(&a);
	return err;
}
