/*
 * workflow.c - load a review workflow (审核流程) from JSON and answer who
 * may move a record from which state to which.
 *
 * The format is documented in docs/rules.md, "The review workflow". The
 * text is parsed with the project's strict reader (json.h: duplicate keys
 * refused, every value with its line and column); every object's keys are
 * checked against the keys it may have, so a typo is an error naming the
 * field path ("transitions[2].roles[0]") and its line, never a silently
 * ignored setting. States and actions are referred to by key; a transition
 * naming an unknown state or role, without roles, or repeating an action
 * is refused. A loaded workflow owns one block holding all its strings.
 *
 * This file does no I/O (the caller reads the file), keeps no state of its
 * own and knows nothing of goal versions or self-evaluations: it answers
 * questions about states, roles and actions.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/json.h"
#include "jx/limits.h"
#include "jx/text.h"
#include "jx/workflow.h"

#define WF_FORMAT   1   /* the "format" this code reads */
#define PATH_CAP    256 /* bytes of a field path (diag) */
#define MSG_CAP     512 /* bytes of a message (diag) */
#define KEY_MAX     32  /* bytes of a state key or action name */
#define LABEL_MAX   120 /* bytes of a label (40 Chinese characters) */
#define TITLE_MAX   JX_MAX_VALUE_TEXT
#define LIST_CAP    400 /* bytes of a list of names in a message */
#define ARENA_BLOCK ((size_t)16 * 1024)

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A role the workflow knows. */
struct role {
	const char *name;
	unsigned bit;
	const char *label;
};

static const struct role roles[] = {
        {"unit_filer", JX_ROLEBIT_UNIT, "单位填报"},
        {"dept_reviewer", JX_ROLEBIT_DEPT, "主管部门审核"},
        {"finance_reviewer", JX_ROLEBIT_FINANCE, "财政审核"},
        {"admin", JX_ROLEBIT_ADMIN, "系统管理员"},
};

static const struct {
	const char *name;
	enum jx_workflow_when when;
} when_names[] = {
        {"always", JX_WORKFLOW_ALWAYS},
        {"with_department", JX_WORKFLOW_WITH_DEPT},
        {"without_department", JX_WORKFLOW_WITHOUT_DEPT},
};

/* A string in the parsed tree: s[0..n), not NUL-terminated. */
struct span {
	const char *s;
	size_t n;
};

struct tstate {
	struct span key, label;
	bool editable, initial, final;
};

struct ttrans {
	struct span action, label;
	unsigned from;
	int to;
	unsigned roles;
	bool comment_required;
	enum jx_workflow_when when;
};

/* What the loader builds before copying the strings into one block. */
struct build {
	struct span title;
	struct tstate st[JX_WORKFLOW_MAX_STATES];
	size_t nst;
	struct ttrans tr[JX_WORKFLOW_MAX_TRANSITIONS];
	size_t ntr;
	int initial;
};

/* Loader state: where in the file we are. */
struct ctx {
	struct jx_diag *d;
	char path[PATH_CAP];
	size_t plen;
	struct build *b;
};

static void path_append(struct ctx *c, const char *s, size_t n);
static size_t push_key(struct ctx *c, const char *key);
static size_t push_index(struct ctx *c, size_t i);
static void pop(struct ctx *c, size_t old);
static enum jx_err fail(struct ctx *c, const struct jx_json *at,
                        enum jx_err err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static enum jx_err check_keys(struct ctx *c, const struct jx_json *obj,
                              const char *const *keys, size_t nkeys);
static enum jx_err want_kind(struct ctx *c, const struct jx_json *v,
                             enum jx_json_kind kind, const char *what);
static enum jx_err want_list(struct ctx *c, const struct jx_json *arr,
                             const char *what, size_t max);
static enum jx_err get_member(struct ctx *c, const struct jx_json *obj,
                              const char *key, bool required,
                              const struct jx_json **out);
static enum jx_err get_bool(struct ctx *c, const struct jx_json *obj,
                            const char *key, bool *out);
static enum jx_err val_text(struct ctx *c, const struct jx_json *v, size_t max,
                            struct span *out);
static enum jx_err val_key(struct ctx *c, const struct jx_json *v,
                           const char *what, struct span *out);
static enum jx_err get_label(struct ctx *c, const struct jx_json *obj,
                             const char *key, size_t max, struct span *out);
static bool span_eq(struct span a, struct span b);
static int state_of(const struct build *b, struct span key);
static void state_list(const struct build *b, char *buf, size_t cap);
static void role_list(char *buf, size_t cap);
static const struct role *role_find(const char *s, size_t n);
static enum jx_err parse_root(struct ctx *c, const struct jx_json *root);
static enum jx_err parse_states(struct ctx *c, const struct jx_json *arr);
static enum jx_err parse_state(struct ctx *c, const struct jx_json *e,
                               size_t i);
static enum jx_err parse_transitions(struct ctx *c, const struct jx_json *arr);
static enum jx_err parse_transition(struct ctx *c, const struct jx_json *e,
                                    size_t i);
static enum jx_err parse_from(struct ctx *c, const struct jx_json *arr,
                              unsigned *out);
static enum jx_err parse_roles(struct ctx *c, const struct jx_json *arr,
                               unsigned *out);
static enum jx_err parse_when(struct ctx *c, const struct jx_json *e,
                              enum jx_workflow_when *out);
static char *copy_span(char **p, struct span s);
static enum jx_err finish(const struct build *b, struct jx_workflow *w);
static bool applies(const struct jx_workflow_transition *t, bool has_dept);
static void names_of(const struct jx_workflow *w, unsigned from, char *buf,
                     size_t cap);
static void role_labels(unsigned bits, char *buf, size_t cap);
static void list_add(char *buf, size_t cap, const char *item);

/* ------------------------------------------------------------------ */
/* Field paths and diagnostics                                         */

static void
path_append(struct ctx *c, const char *s, size_t n)
{
	size_t room = PATH_CAP - 1 - c->plen;

	if (n > room)
		n = jx_text_utf8_cut(s, room);
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

static size_t
push_key(struct ctx *c, const char *key)
{
	size_t old = c->plen;

	if (c->plen > 0)
		path_append(c, ".", 1);
	path_append(c, key, strlen(key));
	return old;
}

static size_t
push_index(struct ctx *c, size_t i)
{
	char tmp[32];
	size_t old = c->plen;
	int n = snprintf(tmp, sizeof(tmp), "[%zu]", i);

	if (n > 0)
		path_append(c, tmp, (size_t)n);
	return old;
}

static void
pop(struct ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* Report err at the current path and the position of value `at` (may be
 * NULL: no position). */
static enum jx_err
fail(struct ctx *c, const struct jx_json *at, enum jx_err err, const char *fmt,
     ...)
{
	char msg[MSG_CAP];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		msg[jx_text_utf8_cut(msg, sizeof(msg) - 1)] = '\0';
	if (c->d != NULL) {
		jx_diag_set(c->d, err, c->path, "%s", msg);
		if (at != NULL) {
			c->d->line = at->line;
			c->d->column = at->column;
		}
	}
	return err;
}

/* Every key of obj must be one of keys[0..nkeys). */
static enum jx_err
check_keys(struct ctx *c, const struct jx_json *obj, const char *const *keys,
           size_t nkeys)
{
	char list[LIST_CAP], name[KEY_MAX * 4 + 1];
	const struct jx_json_member *m;
	size_t i, j, old, n;
	enum jx_err err = JX_OK;

	for (i = 0; i < obj->len; i++) {
		m = &obj->u.members[i];
		for (j = 0; j < nkeys; j++)
			if (jx_json_eq(&m->key, keys[j], strlen(keys[j])))
				break;
		if (j < nkeys)
			continue;
		n = m->key.len < sizeof(name) - 1
		            ? m->key.len
		            : jx_text_utf8_cut(m->key.u.s, sizeof(name) - 1);
		memcpy(name, m->key.u.s, n);
		name[n] = '\0';
		list[0] = '\0';
		for (j = 0; j < nkeys; j++)
			list_add(list, sizeof(list), keys[j]);
		old = push_key(c, name);
		err = fail(c, &m->key, JX_EINVAL, "未知的键“%s”（可用：%s）",
		           name, list);
		pop(c, old);
		break;
	}
	return err;
}

static enum jx_err
want_kind(struct ctx *c, const struct jx_json *v, enum jx_json_kind kind,
          const char *what)
{
	bool ok = v->kind == kind ||
	          (kind == JX_JSON_TRUE && v->kind == JX_JSON_FALSE);

	if (ok)
		return JX_OK;
	return fail(c, v, JX_EINVAL, "应为%s，实际为%s", what,
	            jx_json_kind_name(v->kind));
}

/* arr must be an array of 1 to max objects, each one `what` (状态, 操作). */
static enum jx_err
want_list(struct ctx *c, const struct jx_json *arr, const char *what,
          size_t max)
{
	enum jx_err err = want_kind(c, arr, JX_JSON_ARRAY, "数组 [{…}, …]");

	if (err != JX_OK)
		return err;
	if (arr->len == 0)
		return fail(c, arr, JX_EINVAL, "至少须有一个%s", what);
	if (arr->len > max)
		return fail(c, arr, JX_ETOOBIG, "%s过多（%zu 个，上限 %zu 个）",
		            what, arr->len, max);
	return JX_OK;
}

/* obj's member `key` into *out (NULL when absent and not required). */
static enum jx_err
get_member(struct ctx *c, const struct jx_json *obj, const char *key,
           bool required, const struct jx_json **out)
{
	size_t old;
	enum jx_err err = JX_OK;

	*out = jx_json_get(obj, key);
	if (*out == NULL && required) {
		old = push_key(c, key);
		err = fail(c, obj, JX_EINVAL, "缺少必填的键“%s”", key);
		pop(c, old);
	}
	return err;
}

/* An optional boolean member; *out keeps its value when absent. */
static enum jx_err
get_bool(struct ctx *c, const struct jx_json *obj, const char *key, bool *out)
{
	const struct jx_json *v = jx_json_get(obj, key);
	size_t old;
	enum jx_err err = JX_OK;

	if (v == NULL)
		return JX_OK;
	old = push_key(c, key);
	err = want_kind(c, v, JX_JSON_TRUE, "true 或 false");
	if (err == JX_OK)
		*out = v->kind == JX_JSON_TRUE;
	pop(c, old);
	return err;
}

/* A non-empty string of at most max bytes, without NUL, trimmed. */
static enum jx_err
val_text(struct ctx *c, const struct jx_json *v, size_t max, struct span *out)
{
	const char *s;
	size_t n;
	enum jx_err err;

	if ((err = want_kind(c, v, JX_JSON_STRING, "字符串")) != JX_OK)
		return err;
	s = v->u.s;
	n = v->len;
	if (memchr(s, '\0', n) != NULL)
		return fail(c, v, JX_EINVAL, "文字中不能含有 NUL 字符");
	jx_text_trim(&s, &n);
	if (n == 0)
		return fail(c, v, JX_EINVAL, "不能为空");
	if (n > max)
		return fail(c, v, JX_EINVAL, "过长（%zu 字节，上限 %zu 字节）",
		            n, max);
	out->s = s;
	out->n = n;
	return JX_OK;
}

/* A key: lower-case ASCII letter, then letters, digits or '_'. */
static enum jx_err
val_key(struct ctx *c, const struct jx_json *v, const char *what,
        struct span *out)
{
	size_t i;
	enum jx_err err;

	if ((err = want_kind(c, v, JX_JSON_STRING, "字符串")) != JX_OK)
		return err;
	for (i = 0; i < v->len; i++) {
		char ch = v->u.s[i];

		if ((ch >= 'a' && ch <= 'z') || ch == '_' ||
		    (i > 0 && ch >= '0' && ch <= '9'))
			continue;
		break;
	}
	if (v->len == 0 || v->len > KEY_MAX || i < v->len || v->u.s[0] == '_')
		return fail(c, v, JX_EINVAL,
		            "%s须为 1 到 %d 个小写英文字母、数字或下划线，"
		            "以字母开头",
		            what, KEY_MAX);
	out->s = v->u.s;
	out->n = v->len;
	return JX_OK;
}

static enum jx_err
get_label(struct ctx *c, const struct jx_json *obj, const char *key, size_t max,
          struct span *out)
{
	const struct jx_json *v;
	size_t old;
	enum jx_err err;

	if ((err = get_member(c, obj, key, true, &v)) != JX_OK)
		return err;
	old = push_key(c, key);
	err = val_text(c, v, max, out);
	pop(c, old);
	return err;
}

static bool
span_eq(struct span a, struct span b)
{
	return a.n == b.n && memcmp(a.s, b.s, a.n) == 0;
}

static int
state_of(const struct build *b, struct span key)
{
	size_t i;

	for (i = 0; i < b->nst; i++)
		if (span_eq(b->st[i].key, key))
			return (int)i;
	return -1;
}

/* Append item to the "、"-separated list in buf, truncating safely. */
static void
list_add(char *buf, size_t cap, const char *item)
{
	size_t n = strlen(buf);

	if (n + 1 >= cap)
		return;
	snprintf(buf + n, cap - n, "%s%s", n > 0 ? "、" : "", item);
	n = strlen(buf);
	buf[jx_text_utf8_cut(buf, n)] = '\0';
}

static void
state_list(const struct build *b, char *buf, size_t cap)
{
	char key[KEY_MAX + 1];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < b->nst; i++) {
		memcpy(key, b->st[i].key.s, b->st[i].key.n);
		key[b->st[i].key.n] = '\0';
		list_add(buf, cap, key);
	}
	if (buf[0] == '\0')
		snprintf(buf, cap, "无");
}

static void
role_list(char *buf, size_t cap)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < NELEM(roles); i++)
		list_add(buf, cap, roles[i].name);
}

static const struct role *
role_find(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < NELEM(roles); i++)
		if (strlen(roles[i].name) == n &&
		    memcmp(roles[i].name, s, n) == 0)
			return &roles[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static enum jx_err
parse_root(struct ctx *c, const struct jx_json *root)
{
	static const char *const keys[] = {"format", "title", "description",
	                                   "states", "transitions"};
	const struct jx_json *v;
	struct span desc;
	size_t old;
	enum jx_err err;

	if (root->kind != JX_JSON_OBJECT)
		return fail(c, root, JX_EINVAL,
		            "审核流程文件的顶层须为 JSON 对象 {…}");
	if ((err = check_keys(c, root, keys, NELEM(keys))) != JX_OK ||
	    (err = get_member(c, root, "format", true, &v)) != JX_OK)
		return err;
	old = push_key(c, "format");
	if (v->kind != JX_JSON_NUMBER || v->len != 1 ||
	    v->u.s[0] != '0' + WF_FORMAT)
		err = fail(c, v, JX_EINVAL, "本程序只读取格式 %d", WF_FORMAT);
	pop(c, old);
	if (err != JX_OK || (err = get_label(c, root, "title", TITLE_MAX,
	                                     &c->b->title)) != JX_OK)
		return err;
	if ((v = jx_json_get(root, "description")) != NULL) {
		old = push_key(c, "description");
		err = val_text(c, v, JX_MAX_TEXT, &desc);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((err = get_member(c, root, "states", true, &v)) != JX_OK ||
	    (err = parse_states(c, v)) != JX_OK ||
	    (err = get_member(c, root, "transitions", true, &v)) != JX_OK)
		return err;
	return parse_transitions(c, v);
}

static enum jx_err
parse_states(struct ctx *c, const struct jx_json *arr)
{
	struct build *b = c->b;
	size_t i, old = push_key(c, "states");
	enum jx_err err;

	err = want_list(c, arr, "状态", JX_WORKFLOW_MAX_STATES);
	if (err != JX_OK)
		goto done;
	b->initial = -1;
	for (i = 0; i < arr->len; i++)
		if ((err = parse_state(c, &arr->u.items[i], i)) != JX_OK)
			goto done;
	if (b->initial < 0)
		err = fail(c, arr, JX_EINVAL,
		           "没有初始状态：须有一个状态写 \"initial\": true");
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_state(struct ctx *c, const struct jx_json *e, size_t i)
{
	static const char *const keys[] = {"key", "label", "editable",
	                                   "initial", "final"};
	struct build *b = c->b;
	struct tstate *st = &b->st[i];
	const struct jx_json *v;
	char key[KEY_MAX + 1];
	size_t old = push_index(c, i), old2;
	int dup;
	enum jx_err err;

	if ((err = want_kind(c, e, JX_JSON_OBJECT,
	                     "对象 {\"key\": …, \"label\": …}")) != JX_OK ||
	    (err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
	    (err = get_member(c, e, "key", true, &v)) != JX_OK)
		goto done;
	old2 = push_key(c, "key");
	err = val_key(c, v, "状态的键", &st->key);
	if (err == JX_OK && (dup = state_of(b, st->key)) >= 0) {
		memcpy(key, st->key.s, st->key.n);
		key[st->key.n] = '\0';
		err = fail(c, v, JX_EINVAL, "状态“%s”重复（states[%d] 已有）",
		           key, dup);
	}
	pop(c, old2);
	if (err != JX_OK ||
	    (err = get_label(c, e, "label", LABEL_MAX, &st->label)) != JX_OK ||
	    (err = get_bool(c, e, "editable", &st->editable)) != JX_OK ||
	    (err = get_bool(c, e, "initial", &st->initial)) != JX_OK ||
	    (err = get_bool(c, e, "final", &st->final)) != JX_OK)
		goto done;
	if (st->final && st->editable) {
		old2 = push_key(c, "editable");
		err = fail(c, jx_json_get(e, "editable"), JX_EINVAL,
		           "审核终结的状态（final）不能同时可编辑");
		pop(c, old2);
		goto done;
	}
	if (st->initial && b->initial >= 0) {
		old2 = push_key(c, "initial");
		err = fail(c, jx_json_get(e, "initial"), JX_EINVAL,
		           "初始状态只能有一个（states[%d] 已是初始状态）",
		           b->initial);
		pop(c, old2);
		goto done;
	}
	if (st->initial && (!st->editable || st->final)) {
		old2 = push_key(c, "initial");
		err = fail(c, jx_json_get(e, "initial"), JX_EINVAL,
		           "初始状态须可编辑（\"editable\": true），否则新记录"
		           "无法填写");
		pop(c, old2);
		goto done;
	}
	if (st->initial)
		b->initial = (int)i;
	b->nst = i + 1;
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_transitions(struct ctx *c, const struct jx_json *arr)
{
	size_t i, old = push_key(c, "transitions");
	enum jx_err err;

	err = want_list(c, arr, "操作", JX_WORKFLOW_MAX_TRANSITIONS);
	if (err != JX_OK)
		goto done;
	for (i = 0; i < arr->len; i++)
		if ((err = parse_transition(c, &arr->u.items[i], i)) != JX_OK)
			goto done;
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_transition(struct ctx *c, const struct jx_json *e, size_t i)
{
	static const char *const keys[] = {
	        "action",           "label", "from", "to", "roles",
	        "comment_required", "when"};
	struct build *b = c->b;
	struct ttrans *t = &b->tr[i];
	const struct jx_json *v;
	char name[KEY_MAX + 1], list[LIST_CAP];
	struct span to;
	size_t j, old = push_index(c, i), old2;
	enum jx_err err;

	if ((err = want_kind(c, e, JX_JSON_OBJECT,
	                     "对象 {\"action\": …, \"from\": …}")) != JX_OK ||
	    (err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
	    (err = get_member(c, e, "action", true, &v)) != JX_OK)
		goto done;
	old2 = push_key(c, "action");
	err = val_key(c, v, "操作名", &t->action);
	for (j = 0; err == JX_OK && j < i; j++) {
		if (!span_eq(b->tr[j].action, t->action))
			continue;
		memcpy(name, t->action.s, t->action.n);
		name[t->action.n] = '\0';
		err = fail(c, v, JX_EINVAL,
		           "操作“%s”重复（transitions[%zu] 已有）", name, j);
	}
	pop(c, old2);
	if (err != JX_OK ||
	    (err = get_label(c, e, "label", LABEL_MAX, &t->label)) != JX_OK ||
	    (err = get_member(c, e, "from", true, &v)) != JX_OK ||
	    (err = parse_from(c, v, &t->from)) != JX_OK ||
	    (err = get_member(c, e, "to", true, &v)) != JX_OK)
		goto done;
	old2 = push_key(c, "to");
	err = val_key(c, v, "状态的键", &to);
	if (err == JX_OK && (t->to = state_of(b, to)) < 0) {
		memcpy(name, to.s, to.n);
		name[to.n] = '\0';
		state_list(b, list, sizeof(list));
		err = fail(c, v, JX_EINVAL, "未知的状态“%s”（已定义：%s）",
		           name, list);
	}
	pop(c, old2);
	if (err != JX_OK ||
	    (err = get_member(c, e, "roles", true, &v)) != JX_OK ||
	    (err = parse_roles(c, v, &t->roles)) != JX_OK ||
	    (err = get_bool(c, e, "comment_required", &t->comment_required)) !=
	            JX_OK ||
	    (err = parse_when(c, e, &t->when)) != JX_OK)
		goto done;
	b->ntr = i + 1;
done:
	pop(c, old);
	return err;
}

/* "from": ["draft", "returned"]: known states, each once. */
static enum jx_err
parse_from(struct ctx *c, const struct jx_json *arr, unsigned *out)
{
	const struct build *b = c->b;
	char name[KEY_MAX + 1], list[LIST_CAP];
	struct span key = {NULL, 0};
	unsigned bits = 0, bit;
	size_t i, old = push_key(c, "from"), old2;
	int k;
	enum jx_err err;

	if ((err = want_kind(c, arr, JX_JSON_ARRAY,
	                     "状态的数组 [\"draft\", …]")) != JX_OK)
		goto done;
	if (arr->len == 0) {
		err = fail(c, arr, JX_EINVAL, "至少须列出一个出发状态");
		goto done;
	}
	for (i = 0; i < arr->len && err == JX_OK; i++) {
		old2 = push_index(c, i);
		err = val_key(c, &arr->u.items[i], "状态的键", &key);
		if (err == JX_OK) {
			memcpy(name, key.s, key.n);
			name[key.n] = '\0';
			k = state_of(b, key);
			if (k < 0) {
				state_list(b, list, sizeof(list));
				err = fail(c, &arr->u.items[i], JX_EINVAL,
				           "未知的状态“%s”（已定义：%s）", name,
				           list);
			} else if ((bits & (bit = 1u << k)) != 0) {
				err = fail(c, &arr->u.items[i], JX_EINVAL,
				           "状态“%s”重复", name);
			} else {
				bits |= bit;
			}
		}
		pop(c, old2);
	}
	if (err == JX_OK)
		*out = bits;
done:
	pop(c, old);
	return err;
}

/* "roles": ["unit_filer"]: known roles, each once, at least one. */
static enum jx_err
parse_roles(struct ctx *c, const struct jx_json *arr, unsigned *out)
{
	const struct role *r;
	const struct jx_json *v;
	char name[KEY_MAX * 4 + 1], list[LIST_CAP];
	unsigned bits = 0;
	size_t i, n, old = push_key(c, "roles"), old2;
	enum jx_err err;

	if ((err = want_kind(c, arr, JX_JSON_ARRAY,
	                     "角色的数组 [\"unit_filer\", …]")) != JX_OK)
		goto done;
	if (arr->len == 0) {
		role_list(list, sizeof(list));
		err = fail(c, arr, JX_EINVAL,
		           "至少须有一个可执行此操作的角色（%s）", list);
		goto done;
	}
	for (i = 0; i < arr->len && err == JX_OK; i++) {
		v = &arr->u.items[i];
		old2 = push_index(c, i);
		err = want_kind(c, v, JX_JSON_STRING, "字符串");
		if (err == JX_OK) {
			r = role_find(v->u.s, v->len);
			n = v->len < sizeof(name) - 1
			            ? v->len
			            : jx_text_utf8_cut(v->u.s,
			                               sizeof(name) - 1);
			memcpy(name, v->u.s, n);
			name[n] = '\0';
			role_list(list, sizeof(list));
			if (r == NULL)
				err = fail(c, v, JX_EINVAL,
				           "未知的角色“%s”（可用：%s）", name,
				           list);
			else if ((bits & r->bit) != 0)
				err = fail(c, v, JX_EINVAL, "角色“%s”重复",
				           name);
			else
				bits |= r->bit;
		}
		pop(c, old2);
	}
	if (err == JX_OK)
		*out = bits;
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_when(struct ctx *c, const struct jx_json *e, enum jx_workflow_when *out)
{
	const struct jx_json *v = jx_json_get(e, "when");
	size_t i, old;
	enum jx_err err = JX_OK;

	*out = JX_WORKFLOW_ALWAYS;
	if (v == NULL)
		return JX_OK;
	old = push_key(c, "when");
	err = want_kind(c, v, JX_JSON_STRING, "字符串");
	for (i = 0; err == JX_OK && i < NELEM(when_names); i++)
		if (jx_json_eq(v, when_names[i].name,
		               strlen(when_names[i].name)))
			break;
	if (err == JX_OK && i == NELEM(when_names))
		err = fail(c, v, JX_EINVAL,
		           "应为 \"always\"、\"with_department\" 或 "
		           "\"without_department\"");
	if (err == JX_OK)
		*out = when_names[i].when;
	pop(c, old);
	return err;
}

/* ------------------------------------------------------------------ */
/* Building the result                                                 */

/* Copy s to *p, NUL-terminate it and advance *p. */
static char *
copy_span(char **p, struct span s)
{
	char *out = *p;

	memcpy(out, s.s, s.n);
	out[s.n] = '\0';
	*p += s.n + 1;
	return out;
}

/* Fill w from b, copying every string into one block w owns. */
static enum jx_err
finish(const struct build *b, struct jx_workflow *w)
{
	size_t i, total = b->title.n + 1;
	char *p;

	for (i = 0; i < b->nst; i++)
		total += b->st[i].key.n + b->st[i].label.n + 2;
	for (i = 0; i < b->ntr; i++)
		total += b->tr[i].action.n + b->tr[i].label.n + 2;
	w->strings = malloc(total);
	if (w->strings == NULL)
		return JX_ENOMEM;
	p = w->strings;
	w->title = copy_span(&p, b->title);
	for (i = 0; i < b->nst; i++) {
		w->states[i].key = copy_span(&p, b->st[i].key);
		w->states[i].label = copy_span(&p, b->st[i].label);
		w->states[i].editable = b->st[i].editable;
		w->states[i].final = b->st[i].final;
	}
	w->nstates = b->nst;
	w->initial = b->initial;
	for (i = 0; i < b->ntr; i++) {
		w->trans[i].action = copy_span(&p, b->tr[i].action);
		w->trans[i].label = copy_span(&p, b->tr[i].label);
		w->trans[i].from = b->tr[i].from;
		w->trans[i].to = b->tr[i].to;
		w->trans[i].roles = b->tr[i].roles;
		w->trans[i].comment_required = b->tr[i].comment_required;
		w->trans[i].when = b->tr[i].when;
	}
	w->ntrans = b->ntr;
	return JX_OK;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

unsigned
jx_workflow_role_bit(const char *role)
{
	const struct role *r =
	        role != NULL ? role_find(role, strlen(role)) : NULL;

	return r != NULL ? r->bit : 0;
}

const char *
jx_workflow_role_label(const char *role)
{
	const struct role *r =
	        role != NULL ? role_find(role, strlen(role)) : NULL;

	return r != NULL ? r->label : "未知角色";
}

enum jx_err
jx_workflow_load(struct jx_workflow *w, const char *buf, size_t len,
                 const char *source, struct jx_diag *d)
{
	struct jx_arena a;
	struct build *b = NULL;
	struct ctx c;
	const struct jx_json *root = NULL;
	enum jx_err err = JX_OK;

	jx_arena_init(&a, ARENA_BLOCK);
	memset(&c, 0, sizeof(c));
	c.d = d;
	if (d != NULL) {
		jx_diag_clear(d);
		jx_diag_set_file(d, source != NULL ? source : "");
	}
	if (w != NULL) {
		memset(w, 0, sizeof(*w));
		w->initial = -1;
	}
	if (w == NULL || (buf == NULL && len > 0)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto done;
	}
	if (len > JX_MAX_RULES_BYTES) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "审核流程文件过大（%zu 字节，上限 %u 字节）",
		                  len, (unsigned)JX_MAX_RULES_BYTES);
		goto done;
	}
	err = jx_json_parse(buf != NULL ? buf : "", len, 1, &a, &root, d);
	if (err != JX_OK)
		goto done;
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	c.b = b;
	err = parse_root(&c, root);
	if (err == JX_OK && (err = finish(b, w)) != JX_OK)
		jx_diag_set(d, err, NULL, "内存不足");
done:
	if (err != JX_OK && w != NULL) {
		free(w->strings);
		memset(w, 0, sizeof(*w));
		w->initial = -1;
	}
	free(b);
	jx_arena_cleanup(&a);
	return err;
}

void
jx_workflow_cleanup(struct jx_workflow *w)
{
	if (w == NULL)
		return;
	free(w->strings);
	memset(w, 0, sizeof(*w));
	w->initial = -1;
}

int
jx_workflow_state(const struct jx_workflow *w, const char *key)
{
	size_t i;

	if (w == NULL || key == NULL)
		return -1;
	for (i = 0; i < w->nstates; i++)
		if (strcmp(w->states[i].key, key) == 0)
			return (int)i;
	return -1;
}

const char *
jx_workflow_state_label(const struct jx_workflow *w, const char *key)
{
	int i = jx_workflow_state(w, key);

	return i >= 0 ? w->states[i].label : key;
}

bool
jx_workflow_editable(const struct jx_workflow *w, const char *key)
{
	int i = jx_workflow_state(w, key);

	return i >= 0 && w->states[i].editable;
}

bool
jx_workflow_final(const struct jx_workflow *w, const char *key)
{
	int i = jx_workflow_state(w, key);

	return i >= 0 && w->states[i].final;
}

const char *
jx_workflow_initial_key(const struct jx_workflow *w)
{
	if (w == NULL || w->initial < 0 || (size_t)w->initial >= w->nstates)
		return NULL;
	return w->states[w->initial].key;
}

/* The labels of the states in bit set `from`, "、"-separated. */
static void
names_of(const struct jx_workflow *w, unsigned from, char *buf, size_t cap)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < w->nstates; i++)
		if ((from & (1u << i)) != 0)
			list_add(buf, cap, w->states[i].label);
}

/* The Chinese names of the roles in bit set `bits`. */
static void
role_labels(unsigned bits, char *buf, size_t cap)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < NELEM(roles); i++)
		if ((bits & roles[i].bit) != 0)
			list_add(buf, cap, roles[i].label);
}

/* Whether transition t applies to a project with or without a
 * department. */
static bool
applies(const struct jx_workflow_transition *t, bool has_dept)
{
	return t->when == JX_WORKFLOW_ALWAYS ||
	       (t->when == JX_WORKFLOW_WITH_DEPT && has_dept) ||
	       (t->when == JX_WORKFLOW_WITHOUT_DEPT && !has_dept);
}

enum jx_err
jx_workflow_check(const struct jx_workflow *w, const char *from,
                  const char *action, const char *role, bool has_dept,
                  const char *comment, const struct jx_workflow_transition **t,
                  struct jx_diag *d)
{
	const struct jx_workflow_transition *tr = NULL;
	char list[LIST_CAP];
	const char *cs;
	size_t i, cn;
	int st;
	enum jx_err err = JX_OK;

	if (w == NULL || action == NULL || t == NULL)
		return jx_diag_set(d, JX_EINVAL, "action", "参数无效");
	for (i = 0; i < w->ntrans && tr == NULL; i++)
		if (strcmp(w->trans[i].action, action) == 0)
			tr = &w->trans[i];
	if (tr == NULL) {
		err = jx_diag_set(d, JX_EINVAL, "action", "未知的操作“%s”",
		                  action);
		goto done;
	}
	if ((tr->roles & jx_workflow_role_bit(role)) == 0) {
		role_labels(tr->roles, list, sizeof(list));
		err = jx_diag_set(d, JX_EPERM, "action",
		                  "%s不能执行“%s”（可执行的角色：%s）",
		                  jx_workflow_role_label(role), tr->label,
		                  list);
		goto done;
	}
	if (!applies(tr, has_dept)) {
		err = jx_diag_set(d, JX_ECONFLICT, "action",
		                  tr->when == JX_WORKFLOW_WITH_DEPT
		                          ? "“%s”只适用于有主管部门的项目"
		                          : "“%s”只适用于没有主管部门、"
		                            "直接报财政的项目",
		                  tr->label);
		goto done;
	}
	st = jx_workflow_state(w, from);
	if (st < 0 || (tr->from & (1u << st)) == 0) {
		names_of(w, tr->from, list, sizeof(list));
		err = jx_diag_set(d, JX_ECONFLICT, "action",
		                  "当前状态为“%s”，不能执行“%s”（须处于：%s）",
		                  st >= 0 ? w->states[st].label
		                          : (from != NULL ? from : "未知"),
		                  tr->label, list);
		goto done;
	}
	cs = comment != NULL ? comment : "";
	cn = strlen(cs);
	jx_text_trim(&cs, &cn);
	if (tr->comment_required && cn == 0) {
		err = jx_diag_set(d, JX_EINVAL, "comment", "“%s”须填写意见",
		                  tr->label);
		goto done;
	}
	*t = tr;
done:
	return err;
}

size_t
jx_workflow_available(const struct jx_workflow *w, const char *from,
                      const char *role, bool has_dept,
                      const struct jx_workflow_transition **out, size_t cap)
{
	unsigned bit = jx_workflow_role_bit(role);
	size_t i, n = 0;
	int st = jx_workflow_state(w, from);

	if (st < 0 || bit == 0)
		return 0;
	for (i = 0; i < w->ntrans && n < cap; i++) {
		const struct jx_workflow_transition *t = &w->trans[i];

		if ((t->roles & bit) != 0 && (t->from & (1u << st)) != 0 &&
		    applies(t, has_dept))
			out[n++] = t;
	}
	return n;
}
