/*
 * outline.c - report outlines (outline.h): parse an outline template once,
 * strictly, into a list of headings and items whose texts are compiled
 * templates; render it for one self-evaluation into a block document.
 *
 * Parsing uses the project's strict JSON reader (json.h: duplicate keys
 * refused, every value with its line and column); every object's keys are
 * checked against those it may have, every placeholder against the known
 * ones, so a typo is an error naming the file, line, field path and the
 * word, never a silently empty report. The outline is copied into the
 * caller's arena; nothing points into the text.
 *
 * Rendering scores the evaluation once (score.h) and, when a sentence asks
 * for it, audits it (audit.h), in a scratch arena of its own. Sentences are
 * composed in a bounded buffer (buf.h) and copied into the document.
 * Money and counts come from the evaluation exactly; the execution rate
 * always from the money, never from the stated rate. This file does no
 * I/O and renders nothing: docxw.c and pdf.c draw the document.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jx/audit.h"
#include "jx/buf.h"
#include "jx/form.h"
#include "jx/json.h"
#include "jx/limits.h"
#include "jx/outline.h"
#include "jx/score.h"
#include "jx/text.h"

#define OUTLINE_FORMAT 1   /* the "format" this code reads */
#define PATH_CAP       256 /* bytes of a field path (diag) */
#define MSG_CAP        512 /* bytes of a message (diag) */
#define LIST_CAP       480 /* bytes of a list of names in a message */
#define NUM_CAP        48  /* bytes of a number written as text */
#define NAME_CAP       160 /* bytes of a short name in a sentence */
#define MAX_UNSCORED   5   /* unscorable lines named in a sentence */
#define SHOWN_MAX      40  /* bytes of a template quoted in a message */
#define SUFFIX         "指标"
#define ARENA_BLOCK    ((size_t)16 * 1024)

/* ------------------------------------------------------------------ */
/* What an outline holds                                               */

/* Placeholders of templates; names in ph_names. */
enum ph {
	PH_TITLE = 0,
	PH_UNIT,
	PH_DEPARTMENT,
	PH_YEAR,
	PH_FUNDS_UNIT,
	PH_FUNDS_PERIOD,
	PH_FUNDS_INITIAL,
	PH_FUNDS_ANNUAL,
	PH_FUNDS_RECEIVED,
	PH_FUNDS_EXECUTED,
	PH_FUNDS_RATE,
	PH_EXEC_WEIGHT,
	PH_EXEC_SCORE,
	PH_SCORE,
	PH_SCORE_STATED,
	PH_GRADE,
	PH_GRADE_STATED,
	PH_IND_COUNT,
	PH_IND_MET,
	PH_IND_UNMET,
	PH_GOALS_COUNT,
	PH_RULES,
	PH_ERRORS,
	PH_COUNT
};

static const char *const ph_names[PH_COUNT] = {
        "title",          "unit",
        "department",     "year",
        "funds.unit",     "funds.period",
        "funds.initial",  "funds.annual",
        "funds.received", "funds.executed",
        "funds.rate",     "exec.weight",
        "exec.score",     "score",
        "score.stated",   "grade",
        "grade.stated",   "indicators.count",
        "indicators.met", "indicators.unmet",
        "goals.count",    "rules",
        "findings.errors"};

/* One piece of a template: literal text or a placeholder. */
struct seg {
	const char *lit; /* literal text (NULL for a placeholder) */
	size_t len;
	int ph;         /* enum ph, or -1 for literal text */
	unsigned group; /* 0: always written; k: optional group k */
};

/* A compiled template: "[{year}年度]{title}绩效自评报告". */
struct tmpl {
	const struct seg *segs;
	size_t n;
};

/* Generated sentences; names in sentence_names. */
enum sentence {
	S_PROJECT = 0,
	S_FUNDS,
	S_SOURCES,
	S_SCORE,
	S_INDICATORS,
	S_DEVIATIONS,
	S_GOALS,
	S_FINDINGS,
	S_COUNT
};

static const char *const sentence_names[S_COUNT] = {
        "project",    "funds",      "sources", "score",
        "indicators", "deviations", "goals",   "findings"};

/* Generated tables; names in table_names. */
enum table { T_SELFEVAL = 0, T_FUNDS, T_INDICATORS, T_COUNT };

static const char *const table_names[T_COUNT] = {"selfeval", "funds",
                                                 "indicators"};

/* The kinds of item; the first six are the keys of an item object. */
enum kind {
	K_TEXT = 0,
	K_SENTENCE,
	K_TABLE,
	K_BLANK,
	K_NOTE,
	K_PAGEBREAK,
	K_HEADING
};

static const char *const kind_keys[] = {"text",     "blank", "note",
                                        "sentence", "table", "pagebreak"};
static const enum kind kind_of_key[] = {K_TEXT,     K_BLANK, K_NOTE,
                                        K_SENTENCE, K_TABLE, K_PAGEBREAK};
#define NKINDS (sizeof(kind_keys) / sizeof(kind_keys[0]))

static const char *const item_keys[] = {"text",     "blank",   "note",
                                        "sentence", "table",   "pagebreak",
                                        "level1",   "warnings"};
static const char *const section_keys[] = {"heading", "items", "sections"};
static const char *const root_keys[] = {"format", "title", "subtitle",
                                        "description", "sections"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One heading or content item, in document order. */
struct item {
	enum kind kind;
	int level;     /* K_HEADING: 1..3 */
	struct tmpl t; /* heading, text, blank, note */
	int which;     /* K_SENTENCE: enum sentence; K_TABLE: enum table */
	const char **level1; /* filter: folded first-level names, or NULL */
	const char **level1_text; /* the same as written */
	size_t nlevel1;
	bool warnings; /* S_FINDINGS: warnings too */
};

struct jx_outline {
	const char *name;
	struct tmpl title;
	struct tmpl subtitle;
	bool has_subtitle;
	const struct item *items;
	size_t n;
};

/* ------------------------------------------------------------------ */
/* Parsing: state and prototypes                                       */

struct pctx {
	struct jx_arena *a; /* the outline's */
	struct jx_diag *d;
	char path[PATH_CAP];
	size_t plen;
	struct item *items;
	size_t n, cap;
};

static void path_append(struct pctx *c, const char *s, size_t n);
static size_t push_key(struct pctx *c, const char *key);
static size_t push_index(struct pctx *c, size_t i);
static void pop(struct pctx *c, size_t old);
static enum jx_err fail(struct pctx *c, const struct jx_json *at,
                        enum jx_err err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void list_names(const char *const *names, size_t n, bool braces,
                       char *buf, size_t cap);
static void key_text(const struct jx_json *k, char *buf, size_t cap);
static enum jx_err check_keys(struct pctx *c, const struct jx_json *obj,
                              const char *const *keys, size_t nkeys);
static enum jx_err want_kind(struct pctx *c, const struct jx_json *v,
                             enum jx_json_kind kind, const char *what);
static int find_name(const char *const *names, size_t n, const char *s,
                     size_t len);
static size_t shown(const char *s, size_t len);
static enum jx_err add_seg(struct pctx *c, struct seg **segs, size_t *n,
                           size_t *cap, const char *lit, size_t len, int ph,
                           unsigned group);
static enum jx_err parse_tmpl(struct pctx *c, const struct jx_json *v,
                              struct tmpl *out);
static enum jx_err get_tmpl(struct pctx *c, const struct jx_json *obj,
                            const char *key, bool required, struct tmpl *out,
                            bool *present);
static enum jx_err new_item(struct pctx *c, const struct jx_json *at,
                            struct item **out);
static enum jx_err parse_level1(struct pctx *c, const struct jx_json *v,
                                struct item *it);
static enum jx_err parse_item(struct pctx *c, const struct jx_json *v);
static enum jx_err parse_section(struct pctx *c, const struct jx_json *v,
                                 int depth);
static enum jx_err parse_sections(struct pctx *c, const struct jx_json *obj,
                                  int depth, bool required);
static enum jx_err parse_root(struct pctx *c, const struct jx_json *root,
                              struct jx_outline *o);
static size_t fold_level1(const char *s, size_t len, char *out, size_t cap);

/* ------------------------------------------------------------------ */
/* Parsing: paths and diagnostics                                      */

static void
path_append(struct pctx *c, const char *s, size_t n)
{
	size_t room = PATH_CAP - 1 - c->plen;

	if (n > room)
		n = jx_text_utf8_cut(s, room);
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

static size_t
push_key(struct pctx *c, const char *key)
{
	size_t old = c->plen;

	if (c->plen > 0)
		path_append(c, ".", 1);
	path_append(c, key, strlen(key));
	return old;
}

static size_t
push_index(struct pctx *c, size_t i)
{
	char tmp[32];
	size_t old = c->plen;
	int n = snprintf(tmp, sizeof(tmp), "[%zu]", i);

	if (n > 0)
		path_append(c, tmp, (size_t)n);
	return old;
}

static void
pop(struct pctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* Report err at the current path and the position of `at` (may be NULL). */
static enum jx_err
fail(struct pctx *c, const struct jx_json *at, enum jx_err err, const char *fmt,
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

/* "a、b、c" (or "{a}、{b}" with braces) into buf, cut to fit. */
static void
list_names(const char *const *names, size_t n, bool braces, char *buf,
           size_t cap)
{
	size_t used = 0, i;
	int k;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		k = snprintf(buf + used, cap - used, "%s%s%s%s",
		             i > 0 ? "、" : "", braces ? "{" : "", names[i],
		             braces ? "}" : "");
		if (k < 0 || (size_t)k >= cap - used) {
			buf[jx_text_utf8_cut(buf, used)] = '\0';
			break;
		}
		used += (size_t)k;
	}
}

/* A key as text for a message, cut to fit. */
static void
key_text(const struct jx_json *k, char *buf, size_t cap)
{
	size_t n =
	        k->len < cap - 1 ? k->len : jx_text_utf8_cut(k->u.s, cap - 1);

	memcpy(buf, k->u.s, n);
	buf[n] = '\0';
}

/* Every key of obj must be one of keys[0..nkeys). */
static enum jx_err
check_keys(struct pctx *c, const struct jx_json *obj, const char *const *keys,
           size_t nkeys)
{
	char list[LIST_CAP], name[JX_OUTLINE_WORD_MAX * 2 + 1];
	const struct jx_json_member *m;
	size_t i, old;
	enum jx_err err;

	for (i = 0; i < obj->len; i++) {
		m = &obj->u.members[i];
		if (find_name(keys, nkeys, m->key.u.s, m->key.len) >= 0)
			continue;
		key_text(&m->key, name, sizeof(name));
		list_names(keys, nkeys, false, list, sizeof(list));
		old = push_key(c, name);
		err = fail(c, &m->key, JX_EINVAL, "未知的键“%s”（可用：%s）",
		           name, list);
		pop(c, old);
		return err;
	}
	return JX_OK;
}

static enum jx_err
want_kind(struct pctx *c, const struct jx_json *v, enum jx_json_kind kind,
          const char *what)
{
	if (v->kind == kind ||
	    (kind == JX_JSON_TRUE && v->kind == JX_JSON_FALSE))
		return JX_OK;
	return fail(c, v, JX_EINVAL, "应为%s，实际为%s", what,
	            jx_json_kind_name(v->kind));
}

/* The index of s[0..len) in names, or -1. */
static int
find_name(const char *const *names, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Parsing: templates                                                  */

static enum jx_err
add_seg(struct pctx *c, struct seg **segs, size_t *n, size_t *cap,
        const char *lit, size_t len, int ph, unsigned group)
{
	struct seg *s;

	if (ph < 0 && len == 0)
		return JX_OK;
	if (*n == *cap) {
		size_t ncap = *cap != 0 ? *cap * 2 : 4;

		s = jx_arena_grow(c->a, *segs, *n, ncap, sizeof(*s));
		if (s == NULL)
			return JX_ENOMEM;
		*segs = s;
		*cap = ncap;
	}
	s = &(*segs)[*n];
	s->lit = NULL;
	s->len = 0;
	if (ph < 0) {
		s->lit = jx_arena_strndup(c->a, lit, len);
		if (s->lit == NULL)
			return JX_ENOMEM;
		s->len = len;
	}
	s->ph = ph;
	s->group = group;
	(*n)++;
	return JX_OK;
}

/* Bytes of s[0..len) quoted in a message: at most SHOWN_MAX, never half a
 * character. */
static size_t
shown(const char *s, size_t len)
{
	return len <= SHOWN_MAX ? len : jx_text_utf8_cut(s, SHOWN_MAX);
}

/*
 * Compile the string v: literal text, {name} placeholders, [ … ] optional
 * groups (written only when every placeholder inside has a value; not
 * nested, at least one placeholder), "{{" "}}" "[[" "]]" for the brackets
 * themselves.
 */
static enum jx_err
parse_tmpl(struct pctx *c, const struct jx_json *v, struct tmpl *out)
{
	char names[LIST_CAP], word[JX_OUTLINE_WORD_MAX + 1];
	struct seg *segs = NULL;
	size_t nseg = 0, cap = 0, i = 0, len, gstart = 0, k;
	unsigned group = 0, ngroups = 0;
	bool group_ph = false;
	const char *s;
	char *litbuf = NULL;
	size_t nlit = 0;
	int ph;
	enum jx_err err = JX_OK;

	if ((err = want_kind(c, v, JX_JSON_STRING, "字符串")) != JX_OK)
		return err;
	s = v->u.s;
	len = v->len;
	if (memchr(s, '\0', len) != NULL)
		return fail(c, v, JX_EINVAL, "文字中不能含有 NUL 字符");
	if (len > JX_MAX_TEXT)
		return fail(c, v, JX_ETOOBIG,
		            "文字过长（%zu 字节，上限 %d 字节）", len,
		            JX_MAX_TEXT);
	litbuf = jx_arena_alloc(c->a, len + 1);
	if (litbuf == NULL)
		return fail(c, v, JX_ENOMEM, "内存不足");
	while (i < len) {
		char ch = s[i];

		if ((ch == '{' || ch == '}' || ch == '[' || ch == ']') &&
		    i + 1 < len && s[i + 1] == ch) {
			litbuf[nlit++] = ch;
			i += 2;
			continue;
		}
		if (ch == '{') {
			const char *end = memchr(s + i + 1, '}', len - i - 1);

			if (end == NULL) {
				err = fail(
				        c, v, JX_EINVAL,
				        "占位符缺少“}”：“%.*s”（字面的“{”须写作"
				        "“{{”）",
				        (int)shown(s + i, len - i), s + i);
				goto done;
			}
			k = (size_t)(end - (s + i + 1));
			ph = find_name(ph_names, PH_COUNT, s + i + 1, k);
			if (ph < 0) {
				size_t wn = k < sizeof(word) - 1
				                    ? k
				                    : jx_text_utf8_cut(
				                              s + i + 1,
				                              sizeof(word) - 1);

				memcpy(word, s + i + 1, wn);
				word[wn] = '\0';
				list_names(ph_names, PH_COUNT, true, names,
				           sizeof(names));
				err = fail(c, v, JX_EINVAL,
				           "未知的占位符“{%s}”（可用：%s）",
				           word, names);
				goto done;
			}
			if ((err = add_seg(c, &segs, &nseg, &cap, litbuf, nlit,
			                   -1, group)) != JX_OK ||
			    (err = add_seg(c, &segs, &nseg, &cap, NULL, 0, ph,
			                   group)) != JX_OK)
				goto nomem;
			nlit = 0;
			if (group != 0)
				group_ph = true;
			i += k + 2;
			continue;
		}
		if (ch == '}') {
			err = fail(c, v, JX_EINVAL,
			           "单独的“}”：字面的“}”须写作“}}”");
			goto done;
		}
		if (ch == '[') {
			if (group != 0) {
				err = fail(c, v, JX_EINVAL,
				           "可选段“[…]”不能嵌套（字面的“[”须写"
				           "作“[[”）");
				goto done;
			}
			if ((err = add_seg(c, &segs, &nseg, &cap, litbuf, nlit,
			                   -1, group)) != JX_OK)
				goto nomem;
			nlit = 0;
			group = ++ngroups;
			group_ph = false;
			gstart = i;
			i++;
			continue;
		}
		if (ch == ']') {
			if (group == 0) {
				err = fail(c, v, JX_EINVAL,
				           "单独的“]”：字面的“]”须写作“]]”");
				goto done;
			}
			if (!group_ph) {
				err = fail(c, v, JX_EINVAL,
				           "可选段“%.*s”中没有占位符",
				           (int)(i + 1 - gstart), s + gstart);
				goto done;
			}
			if ((err = add_seg(c, &segs, &nseg, &cap, litbuf, nlit,
			                   -1, group)) != JX_OK)
				goto nomem;
			nlit = 0;
			group = 0;
			i++;
			continue;
		}
		litbuf[nlit++] = ch;
		i++;
	}
	if (group != 0) {
		err = fail(c, v, JX_EINVAL, "可选段“%.*s”缺少“]”",
		           (int)shown(s + gstart, len - gstart), s + gstart);
		goto done;
	}
	if ((err = add_seg(c, &segs, &nseg, &cap, litbuf, nlit, -1, 0)) !=
	    JX_OK)
		goto nomem;
	out->segs = segs;
	out->n = nseg;
	goto done;
nomem:
	err = fail(c, v, JX_ENOMEM, "内存不足");
done:
	return err;
}

/* The template member `key` of obj. */
static enum jx_err
get_tmpl(struct pctx *c, const struct jx_json *obj, const char *key,
         bool required, struct tmpl *out, bool *present)
{
	const struct jx_json *v = jx_json_get(obj, key);
	size_t old = push_key(c, key);
	enum jx_err err = JX_OK;

	if (present != NULL)
		*present = v != NULL;
	if (v == NULL) {
		if (required)
			err = fail(c, obj, JX_EINVAL, "缺少必填的键“%s”", key);
	} else {
		err = parse_tmpl(c, v, out);
	}
	pop(c, old);
	return err;
}

/* ------------------------------------------------------------------ */
/* Parsing: sections and items                                         */

/* A new zeroed item at the end of the list. */
static enum jx_err
new_item(struct pctx *c, const struct jx_json *at, struct item **out)
{
	struct item *it;

	if (c->n >= JX_OUTLINE_MAX_ITEMS)
		return fail(c, at, JX_ETOOBIG,
		            "提纲的标题和内容过多（上限 %d 项）",
		            JX_OUTLINE_MAX_ITEMS);
	if (c->n == c->cap) {
		size_t ncap = c->cap != 0 ? c->cap * 2 : 32;

		it = jx_arena_grow(c->a, c->items, c->n, ncap, sizeof(*it));
		if (it == NULL)
			return fail(c, at, JX_ENOMEM, "内存不足");
		c->items = it;
		c->cap = ncap;
	}
	it = &c->items[c->n++];
	memset(it, 0, sizeof(*it));
	*out = it;
	return JX_OK;
}

/* A first-level name folded for comparison: spaces and full-width forms
 * folded, a trailing "指标" dropped ("产出 指标" → "产出"). Returns the
 * length, 0 for a blank word, SIZE_MAX when it does not fit. */
static size_t
fold_level1(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = jx_text_fold(s, len, out, cap);
	size_t sl = strlen(SUFFIX);

	if (n == (size_t)-1)
		return SIZE_MAX;
	if (n > sl && memcmp(out + n - sl, SUFFIX, sl) == 0) {
		n -= sl;
		out[n] = '\0';
	}
	return n;
}

/* "level1": an array of 1..JX_OUTLINE_MAX_WORDS first-level names. */
static enum jx_err
parse_level1(struct pctx *c, const struct jx_json *v, struct item *it)
{
	char norm[JX_OUTLINE_WORD_MAX + 1];
	const struct jx_json *w;
	const char *s;
	size_t i, n, nn, old;
	enum jx_err err;

	if ((err = want_kind(c, v, JX_JSON_ARRAY,
	                     "一级指标名称的数组 [\"…\", …]")) != JX_OK)
		return err;
	if (v->len == 0)
		return fail(c, v, JX_EINVAL, "至少须有一个一级指标名称");
	if (v->len > JX_OUTLINE_MAX_WORDS)
		return fail(c, v, JX_ETOOBIG, "名称过多（%zu 个，上限 %d 个）",
		            v->len, JX_OUTLINE_MAX_WORDS);
	it->level1 = jx_arena_calloc(c->a, v->len, sizeof(char *));
	it->level1_text = jx_arena_calloc(c->a, v->len, sizeof(char *));
	if (it->level1 == NULL || it->level1_text == NULL)
		return fail(c, v, JX_ENOMEM, "内存不足");
	for (i = 0; i < v->len; i++) {
		w = &v->u.items[i];
		old = push_index(c, i);
		if ((err = want_kind(c, w, JX_JSON_STRING, "字符串")) !=
		    JX_OK) {
			pop(c, old);
			return err;
		}
		s = w->u.s;
		n = w->len;
		jx_text_trim(&s, &n);
		nn = n > JX_OUTLINE_WORD_MAX || memchr(s, '\0', n) != NULL
		             ? SIZE_MAX
		             : fold_level1(s, n, norm, sizeof(norm));
		if (nn == SIZE_MAX || nn == 0) {
			err = fail(c, w, JX_EINVAL,
			           nn == 0 ? "名称不能为空"
			                   : "名称无效或过长（上限 %d 字节）",
			           JX_OUTLINE_WORD_MAX);
			pop(c, old);
			return err;
		}
		it->level1[i] = jx_arena_strndup(c->a, norm, nn);
		it->level1_text[i] = jx_arena_strndup(c->a, s, n);
		pop(c, old);
		if (it->level1[i] == NULL || it->level1_text[i] == NULL)
			return fail(c, w, JX_ENOMEM, "内存不足");
	}
	it->nlevel1 = v->len;
	return JX_OK;
}

/* One content item: {"text": …} | {"sentence": …, "level1": …} | … */
static enum jx_err
parse_item(struct pctx *c, const struct jx_json *v)
{
	char list[LIST_CAP];
	const struct jx_json *kv = NULL, *opt;
	const char *kkey = NULL;
	struct item *it;
	size_t i, old;
	int which;
	enum kind kind = K_TEXT;
	enum jx_err err;

	if ((err = want_kind(c, v, JX_JSON_OBJECT, "对象")) != JX_OK)
		return err;
	if ((err = check_keys(c, v, item_keys, NELEM(item_keys))) != JX_OK)
		return err;
	for (i = 0; i < NKINDS; i++) {
		const struct jx_json *x = jx_json_get(v, kind_keys[i]);

		if (x == NULL)
			continue;
		if (kv != NULL) {
			old = push_key(c, kind_keys[i]);
			err = fail(c, x, JX_EINVAL,
			           "一项内容只能是一种：已有“%s”，又有“%s”",
			           kkey, kind_keys[i]);
			pop(c, old);
			return err;
		}
		kv = x;
		kkey = kind_keys[i];
		kind = kind_of_key[i];
	}
	if (kv == NULL) {
		list_names(kind_keys, NKINDS, false, list, sizeof(list));
		return fail(c, v, JX_EINVAL, "缺少内容：应有 %s 之一", list);
	}
	if ((err = new_item(c, v, &it)) != JX_OK)
		return err;
	it->kind = kind;
	old = push_key(c, kkey);
	switch (kind) {
	case K_TEXT:
	case K_BLANK:
	case K_NOTE:
		err = parse_tmpl(c, kv, &it->t);
		break;
	case K_PAGEBREAK:
		if (kv->kind != JX_JSON_TRUE)
			err = fail(c, kv, JX_EINVAL, "应为 true");
		break;
	case K_SENTENCE:
	case K_TABLE:
		if ((err = want_kind(c, kv, JX_JSON_STRING, "字符串")) != JX_OK)
			break;
		which = kind == K_SENTENCE ? find_name(sentence_names, S_COUNT,
		                                       kv->u.s, kv->len)
		                           : find_name(table_names, T_COUNT,
		                                       kv->u.s, kv->len);
		if (which < 0) {
			char word[JX_OUTLINE_WORD_MAX + 1];

			key_text(kv, word, sizeof(word));
			if (kind == K_SENTENCE)
				list_names(sentence_names, S_COUNT, false, list,
				           sizeof(list));
			else
				list_names(table_names, T_COUNT, false, list,
				           sizeof(list));
			err = fail(c, kv, JX_EINVAL, "未知的%s“%s”（可用：%s）",
			           kind == K_SENTENCE ? "句子" : "表格", word,
			           list);
			break;
		}
		it->which = which;
		break;
	case K_HEADING:
		break;
	}
	pop(c, old);
	if (err != JX_OK)
		return err;

	/* Options, each only where it means something. */
	if ((opt = jx_json_get(v, "level1")) != NULL) {
		old = push_key(c, "level1");
		if (!((kind == K_SENTENCE && (it->which == S_INDICATORS ||
		                              it->which == S_DEVIATIONS)) ||
		      (kind == K_TABLE && it->which == T_INDICATORS)))
			err = fail(c, opt, JX_EINVAL,
			           "“level1”只用于句子 indicators、deviations "
			           "和表格 indicators");
		else
			err = parse_level1(c, opt, it);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((opt = jx_json_get(v, "warnings")) != NULL) {
		old = push_key(c, "warnings");
		if (kind != K_SENTENCE || it->which != S_FINDINGS)
			err = fail(c, opt, JX_EINVAL,
			           "“warnings”只用于句子 findings");
		else if ((err = want_kind(c, opt, JX_JSON_TRUE,
		                          "布尔值（true 或 false）")) == JX_OK)
			it->warnings = opt->kind == JX_JSON_TRUE;
		pop(c, old);
	}
	return err;
}

/* {"heading": …, "items": […], "sections": […]} at depth 1..3. */
static enum jx_err
parse_section(struct pctx *c, const struct jx_json *v, int depth)
{
	const struct jx_json *items;
	struct item *it;
	size_t i, old, old2;
	enum jx_err err;

	if ((err = want_kind(c, v, JX_JSON_OBJECT, "对象")) != JX_OK)
		return err;
	if ((err = check_keys(c, v, section_keys, NELEM(section_keys))) !=
	    JX_OK)
		return err;
	if ((err = new_item(c, v, &it)) != JX_OK)
		return err;
	it->kind = K_HEADING;
	it->level = depth;
	if ((err = get_tmpl(c, v, "heading", true, &it->t, NULL)) != JX_OK)
		return err;
	if ((items = jx_json_get(v, "items")) != NULL) {
		old = push_key(c, "items");
		err = want_kind(c, items, JX_JSON_ARRAY, "数组");
		for (i = 0; err == JX_OK && i < items->len; i++) {
			old2 = push_index(c, i);
			err = parse_item(c, &items->u.items[i]);
			pop(c, old2);
		}
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	return parse_sections(c, v, depth + 1, false);
}

/* The "sections" member of obj: sections at depth. */
static enum jx_err
parse_sections(struct pctx *c, const struct jx_json *obj, int depth,
               bool required)
{
	const struct jx_json *v = jx_json_get(obj, "sections");
	size_t i, old, old2;
	enum jx_err err = JX_OK;

	old = push_key(c, "sections");
	if (v == NULL) {
		if (required)
			err = fail(c, obj, JX_EINVAL, "缺少必填的键“sections”");
		goto done;
	}
	if ((err = want_kind(c, v, JX_JSON_ARRAY, "数组")) != JX_OK)
		goto done;
	if (depth > JX_OUTLINE_MAX_DEPTH) {
		err = fail(c, v, JX_EINVAL,
		           "章节最多嵌套 %d 层（标题级别 1–%d）",
		           JX_OUTLINE_MAX_DEPTH, JX_OUTLINE_MAX_DEPTH);
		goto done;
	}
	if (required && v->len == 0) {
		err = fail(c, v, JX_EINVAL, "至少须有一个章节");
		goto done;
	}
	for (i = 0; err == JX_OK && i < v->len; i++) {
		old2 = push_index(c, i);
		err = parse_section(c, &v->u.items[i], depth);
		pop(c, old2);
	}
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_root(struct pctx *c, const struct jx_json *root, struct jx_outline *o)
{
	const struct jx_json *v;
	size_t old;
	enum jx_err err;

	if ((err = want_kind(c, root, JX_JSON_OBJECT, "对象")) != JX_OK)
		return err;
	if ((err = check_keys(c, root, root_keys, NELEM(root_keys))) != JX_OK)
		return err;
	old = push_key(c, "format");
	v = jx_json_get(root, "format");
	if (v == NULL)
		err = fail(c, root, JX_EINVAL, "缺少必填的键“format”");
	else if ((err = want_kind(c, v, JX_JSON_NUMBER, "数字")) == JX_OK &&
	         !(v->len == 1 && v->u.s[0] == '0' + OUTLINE_FORMAT))
		err = fail(c, v, JX_EINVAL,
		           "不支持的格式版本 %.*s（本程序读取 %d）",
		           (int)(v->len > 20 ? 20 : v->len), v->u.s,
		           OUTLINE_FORMAT);
	pop(c, old);
	if (err != JX_OK)
		return err;
	if ((v = jx_json_get(root, "description")) != NULL) {
		old = push_key(c, "description");
		err = want_kind(c, v, JX_JSON_STRING, "字符串");
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((err = get_tmpl(c, root, "title", true, &o->title, NULL)) != JX_OK)
		return err;
	if ((err = get_tmpl(c, root, "subtitle", false, &o->subtitle,
	                    &o->has_subtitle)) != JX_OK)
		return err;
	return parse_sections(c, root, 1, true);
}

enum jx_err
jx_outline_parse(const char *text, size_t len, const char *name,
                 struct jx_arena *a, const struct jx_outline **out,
                 struct jx_diag *d)
{
	struct jx_arena scratch;
	const struct jx_json *root = NULL;
	struct jx_outline *o = NULL;
	struct pctx c;
	enum jx_err err;

	jx_arena_init(&scratch, ARENA_BLOCK);
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.a = a;
	if (d != NULL) {
		jx_diag_clear(d);
		jx_diag_set_file(d, name != NULL ? name : "");
	}
	if (a == NULL || out == NULL || (text == NULL && len > 0)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto done;
	}
	if (len > JX_MAX_RULES_BYTES) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "提纲文件过大（%zu 字节，上限 %u 字节）", len,
		                  (unsigned)JX_MAX_RULES_BYTES);
		goto done;
	}
	err = jx_json_parse(text != NULL ? text : "", len, 1, &scratch, &root,
	                    d);
	if (err != JX_OK)
		goto done;
	o = jx_arena_calloc(a, 1, sizeof(*o));
	if (o == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	o->name = jx_arena_strndup(a, name != NULL ? name : "",
	                           name != NULL ? strlen(name) : 0);
	if (o->name == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	err = parse_root(&c, root, o);
	if (err != JX_OK)
		goto done;
	o->items = c.items;
	o->n = c.n;
	*out = o;
done:
	jx_arena_cleanup(&scratch);
	return err;
}

const char *
jx_outline_name(const struct jx_outline *o)
{
	return o != NULL && o->name != NULL ? o->name : "";
}

/* ------------------------------------------------------------------ */
/* Rendering: state and prototypes                                     */

struct rctx {
	const struct jx_outline *o;
	const struct jx_eval *e;
	const struct jx_rules *r;
	struct jx_doc *doc;
	struct jx_diag *d;
	struct jx_arena scratch;
	struct jx_result res;
	bool scored; /* res holds e scored under r */
	struct jx_findings f;
	bool audited;
	bool has_rate;    /* the execution rate could be computed */
	bool rate_na;     /* its base is 0: not applicable */
	jx_dec rate;      /* fraction, 4 places */
	const char *unit; /* of money: "万元" */
	struct jx_buf b;  /* the block being written */
	enum jx_err err;  /* first failure while writing */
};

static void put(struct rctx *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static void put_dec(struct rctx *c, jx_dec v);
static void put_money(struct rctx *c, jx_dec v);
static void put_pct(struct rctx *c, jx_dec fraction);
static void put_end(struct rctx *c);
static bool blank(const char *s);
static bool same_text(const char *a, const char *b);
static const char *rules_title(const struct jx_rules *r);
static bool no_reason(const char *s);
static const char *ind_name(const struct jx_indicator *ind, size_t i, char *buf,
                            size_t cap);
static bool received_base(const struct rctx *c);
static void compute_rate(struct rctx *c);
static enum jx_err audit(struct rctx *c);
static enum jx_err emit(struct rctx *c, enum jx_doc_kind kind, int level);
static const char *ph_value(struct rctx *c, int ph, char *buf, size_t cap);
static void put_tmpl(struct rctx *c, const struct tmpl *t);
static bool matches(const struct rctx *c, const struct item *it,
                    const struct jx_indicator *ind);
static enum jx_outcome outcome(const struct rctx *c, size_t i);
static const char *problem_text(const struct jx_ind_result *o);
static enum jx_err s_project(struct rctx *c);
static enum jx_err s_funds(struct rctx *c);
static enum jx_err s_sources(struct rctx *c);
static enum jx_err s_score(struct rctx *c);
static enum jx_err s_indicators(struct rctx *c, const struct item *it);
static enum jx_err s_deviations(struct rctx *c, const struct item *it);
static enum jx_err s_goals(struct rctx *c);
static enum jx_err s_findings(struct rctx *c, const struct item *it);
static enum jx_err t_funds(struct rctx *c);
static enum jx_err t_indicators(struct rctx *c, const struct item *it);
static enum jx_err render_item(struct rctx *c, const struct item *it);

/* ------------------------------------------------------------------ */
/* Rendering: writing text                                             */

/* Append to the block being written; the first failure sticks. */
static void
put(struct rctx *c, const char *fmt, ...)
{
	va_list ap;
	enum jx_err err;

	if (c->err != JX_OK)
		return;
	va_start(ap, fmt);
	err = jx_buf_vprintf(&c->b, fmt, ap);
	va_end(ap);
	if (err != JX_OK)
		c->err = err;
}

/* A decimal exactly as it is: "131.4", "10". */
static void
put_dec(struct rctx *c, jx_dec v)
{
	char buf[NUM_CAP];

	jx_dec_format(v, -1, buf, sizeof(buf));
	put(c, "%s", buf);
}

static void
put_money(struct rctx *c, jx_dec v)
{
	put_dec(c, v);
	put(c, "%s", c->unit);
}

/* A fraction as a percentage: 0.9552 → "95.52%". */
static void
put_pct(struct rctx *c, jx_dec fraction)
{
	put_dec(c, jx_dec_percent(fraction));
	put(c, "%%");
}

/* End the sentence with "。" unless it ends with a stop already. */
static void
put_end(struct rctx *c)
{
	static const char *const stops[] = {"。", "！", "？", "；",
	                                    ".",  "!",  "?"};
	size_t i, n;

	if (c->err != JX_OK)
		return;
	for (i = 0; i < NELEM(stops); i++) {
		n = strlen(stops[i]);
		if (c->b.len >= n &&
		    memcmp(c->b.data + c->b.len - n, stops[i], n) == 0)
			return;
	}
	if (c->b.len > 0)
		put(c, "。");
}

static bool
blank(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* Two non-blank equal texts: cells of one merged run. */
static bool
same_text(const char *a, const char *b)
{
	return !blank(a) && !blank(b) && strcmp(a, b) == 0;
}

static const char *
rules_title(const struct jx_rules *r)
{
	return r->title != NULL ? r->title : r->name != NULL ? r->name : "";
}

/* A deviation reason that gives none: blank, "无", "/" … (audit.c reads
 * them so too). */
static bool
no_reason(const char *s)
{
	static const char *const none[] = {"无", "/",    "-",     "—",
	                                   "——", "无。", "不适用"};
	const char *p = s;
	size_t n, i;

	if (s == NULL)
		return true;
	n = strlen(s);
	jx_text_trim(&p, &n);
	if (n == 0)
		return true;
	for (i = 0; i < NELEM(none); i++)
		if (strlen(none[i]) == n && memcmp(none[i], p, n) == 0)
			return true;
	return false;
}

/* The indicator's name, else "第N项指标". */
static const char *
ind_name(const struct jx_indicator *ind, size_t i, char *buf, size_t cap)
{
	if (!blank(ind->name))
		return ind->name;
	snprintf(buf, cap, "第%zu项指标", i + 1);
	return buf;
}

/* Whether the rule set rates execution against 实际到位资金. */
static bool
received_base(const struct rctx *c)
{
	return c->r != NULL && c->r->exec.base == JX_EXEC_BASE_RECEIVED;
}

/* The execution rate from the money: score.h's under a rule set, else
 * 全年执行数 ÷ 全年预算数 rounded as score.h rounds it. */
static void
compute_rate(struct rctx *c)
{
	const struct jx_fund_row *t = &c->e->funds.total;

	if (!c->e->has_funds)
		return;
	if (c->scored) {
		c->has_rate = c->res.has_exec;
		c->rate = c->res.exec_rate;
		c->rate_na = c->res.exec_na;
		return;
	}
	if (!t->annual.set || !t->executed.set)
		return;
	if (t->annual.v <= 0) {
		c->rate_na = true;
		return;
	}
	c->has_rate = jx_dec_muldiv(t->executed.v, JX_DEC_ONE, t->annual.v, 4,
	                            &c->rate) == JX_OK;
}

static enum jx_err
audit(struct rctx *c)
{
	enum jx_err err;

	if (c->audited || !c->scored)
		return JX_OK;
	err = jx_audit_run(c->e, c->r, &c->res, &c->scratch, 0, &c->f);
	if (err != JX_OK)
		return jx_diag_set(c->d, err, "findings", "自评表无法核对：%s",
		                   jx_err_message(err));
	c->audited = true;
	return JX_OK;
}

/* Add the block written so far as a block of kind, and start anew. */
static enum jx_err
emit(struct rctx *c, enum jx_doc_kind kind, int level)
{
	enum jx_err err = c->err;

	if (err == JX_OK &&
	    jx_doc_add(c->doc, kind, level,
	               c->b.data != NULL ? c->b.data : "") == NULL)
		err = c->doc->nblocks >= JX_DOC_MAX_BLOCKS ? JX_ETOOBIG
		                                           : JX_ENOMEM;
	jx_buf_reset(&c->b);
	c->err = JX_OK;
	if (err == JX_ENOMEM)
		return jx_diag_set(c->d, err, NULL, "内存不足");
	if (err == JX_ETOOBIG)
		return jx_diag_set(c->d, err, NULL,
		                   "报告的一段文字或文档块数超出上限");
	return err;
}

/* The text of placeholder ph, or NULL when the data does not give it.
 * Numbers are formatted into buf. */
static const char *
ph_value(struct rctx *c, int ph, char *buf, size_t cap)
{
	const struct jx_eval *e = c->e;
	const struct jx_funds *fu = &e->funds;
	const struct jx_opt *o = NULL;
	size_t i, n = 0;

	switch ((enum ph)ph) {
	case PH_TITLE:
		return blank(e->title) ? NULL : e->title;
	case PH_UNIT:
		return blank(e->unit) ? NULL : e->unit;
	case PH_DEPARTMENT:
		return blank(e->department) ? NULL : e->department;
	case PH_YEAR:
		if (e->year <= 0)
			return NULL;
		snprintf(buf, cap, "%d", e->year);
		return buf;
	case PH_FUNDS_UNIT:
		return e->has_funds ? c->unit : NULL;
	case PH_FUNDS_PERIOD:
		return e->has_funds && !blank(fu->period) ? fu->period : NULL;
	case PH_FUNDS_INITIAL:
		o = &fu->total.initial;
		break;
	case PH_FUNDS_ANNUAL:
		o = &fu->total.annual;
		break;
	case PH_FUNDS_RECEIVED:
		o = &fu->total.received;
		break;
	case PH_FUNDS_EXECUTED:
		o = &fu->total.executed;
		break;
	case PH_FUNDS_RATE:
		if (!c->has_rate)
			return NULL;
		jx_dec_format(jx_dec_percent(c->rate), -1, buf, cap - 1);
		strncat(buf, "%", cap - strlen(buf) - 1);
		return buf;
	case PH_EXEC_WEIGHT:
		if (c->scored && e->has_funds) {
			jx_dec_format(c->res.exec_weight, -1, buf, cap);
			return buf;
		}
		o = &fu->exec_weight;
		break;
	case PH_EXEC_SCORE:
		if (!c->scored || !c->res.has_exec)
			return NULL;
		jx_dec_format(c->res.exec_score, -1, buf, cap);
		return buf;
	case PH_SCORE:
		if (!c->scored || !c->res.total_complete)
			return NULL;
		jx_dec_format(c->res.total, -1, buf, cap);
		return buf;
	case PH_SCORE_STATED:
		if (!e->total_score_stated.set)
			return NULL;
		jx_dec_format(e->total_score_stated.v, -1, buf, cap);
		return buf;
	case PH_GRADE:
		if (!c->scored || !c->res.total_complete ||
		    c->res.grade == NULL)
			return NULL;
		return c->res.grade->name;
	case PH_GRADE_STATED:
		return blank(e->grade_stated) ? NULL : e->grade_stated;
	case PH_IND_COUNT:
		snprintf(buf, cap, "%zu", e->nindicators);
		return buf;
	case PH_IND_MET:
	case PH_IND_UNMET:
		if (!c->scored)
			return NULL;
		for (i = 0; i < e->nindicators; i++) {
			enum jx_outcome oc = outcome(c, i);

			if (ph == PH_IND_MET ? oc == JX_OUTCOME_MET
			                     : (oc == JX_OUTCOME_PARTIAL ||
			                        oc == JX_OUTCOME_NOT_MET))
				n++;
		}
		snprintf(buf, cap, "%zu", n);
		return buf;
	case PH_GOALS_COUNT:
		snprintf(buf, cap, "%zu", e->ngoals);
		return buf;
	case PH_RULES:
		if (c->r == NULL)
			return NULL;
		return rules_title(c->r);
	case PH_ERRORS:
		if (!c->scored || audit(c) != JX_OK)
			return NULL;
		snprintf(buf, cap, "%zu", c->f.nerrors);
		return buf;
	case PH_COUNT:
		break;
	}
	/* the figures of the funds block */
	if (o == NULL || !e->has_funds || !o->set)
		return NULL;
	jx_dec_format(o->v, -1, buf, cap);
	return buf;
}

/* What a placeholder without a value reads as. */
static const char *
ph_missing(int ph)
{
	switch ((enum ph)ph) {
	case PH_FUNDS_RATE:
	case PH_EXEC_SCORE:
	case PH_SCORE:
	case PH_GRADE:
	case PH_IND_MET:
	case PH_IND_UNMET:
	case PH_ERRORS:
		return "（无法计算）";
	case PH_RULES:
		return "（未指定）";
	default:
		return "（未填写）";
	}
}

/* Write template t: optional groups only when all their placeholders have
 * values, other placeholders as their value or as missing. */
static void
put_tmpl(struct rctx *c, const struct tmpl *t)
{
	char buf[NUM_CAP];
	const char *v;
	size_t i, j, k;
	bool all;

	for (i = 0; i < t->n; i = j) {
		const struct seg *s = &t->segs[i];

		j = i + 1;
		if (s->group != 0) {
			while (j < t->n && t->segs[j].group == s->group)
				j++;
			all = true;
			for (k = i; k < j && all; k++)
				if (t->segs[k].ph >= 0 &&
				    ph_value(c, t->segs[k].ph, buf,
				             sizeof(buf)) == NULL)
					all = false;
			if (!all)
				continue;
		}
		for (k = i; k < j; k++) {
			s = &t->segs[k];
			if (s->ph < 0) {
				put(c, "%.*s", (int)s->len, s->lit);
				continue;
			}
			v = ph_value(c, s->ph, buf, sizeof(buf));
			put(c, "%s", v != NULL ? v : ph_missing(s->ph));
		}
	}
}

/* Whether ind falls under the item's level1 filter (none: every one): its
 * first-level name folded as the filter's words are, or, under a rule set,
 * the same first-level entry (aliases included). */
static bool
matches(const struct rctx *c, const struct item *it,
        const struct jx_indicator *ind)
{
	char norm[JX_MAX_TEXT + 1];
	const struct jx_rules_level1 *l = NULL;
	size_t i, n;

	if (it->nlevel1 == 0)
		return true;
	if (blank(ind->level1))
		return false;
	n = strlen(ind->level1);
	n = n < JX_MAX_TEXT ? fold_level1(ind->level1, n, norm, sizeof(norm))
	                    : SIZE_MAX;
	if (c->r != NULL)
		l = jx_rules_level1_find(c->r, ind->level1);
	for (i = 0; i < it->nlevel1; i++) {
		if (n != SIZE_MAX && strcmp(norm, it->level1[i]) == 0)
			return true;
		if (l != NULL &&
		    jx_rules_level1_find(c->r, it->level1_text[i]) == l)
			return true;
	}
	return false;
}

/* The outcome of indicator i under the rule set; UNKNOWN without one or
 * when it could not be scored. */
static enum jx_outcome
outcome(const struct rctx *c, size_t i)
{
	const struct jx_ind_result *o;

	if (!c->scored || i >= c->res.n)
		return JX_OUTCOME_UNKNOWN;
	o = &c->res.ind[i];
	if (o->kind == JX_SCORE_NONE || o->problem != JX_PROBLEM_NONE)
		return JX_OUTCOME_UNKNOWN;
	return o->outcome;
}

/* Why a line could not be scored, as a reader says it. */
static const char *
problem_text(const struct jx_ind_result *o)
{
	switch (o->problem) {
	case JX_PROBLEM_NO_WEIGHT:
		return "未填写分值";
	case JX_PROBLEM_NO_TARGET:
		return "未填写年度指标值";
	case JX_PROBLEM_NO_ACTUAL:
		return "未填写实际完成值";
	case JX_PROBLEM_UNPARSED_TARGET:
		return "年度指标值无法识别";
	case JX_PROBLEM_UNPARSED_ACTUAL:
		return "实际完成值无法识别";
	case JX_PROBLEM_UNKNOWN_WORD:
		return "所用词语不在规则方案的词表中";
	case JX_PROBLEM_UNIT_MISMATCH:
		return "年度指标值与实际完成值的计量单位不一致";
	case JX_PROBLEM_OVERFLOW:
		return "数值超出范围";
	case JX_PROBLEM_NONE:
		break;
	}
	return "无法计分";
}

/* ------------------------------------------------------------------ */
/* Rendering: sentences                                                */

/* "本项目为“…”，主管部门为…，实施单位为…。" */
static enum jx_err
s_project(struct rctx *c)
{
	const struct jx_eval *e = c->e;
	const char *missing[3];
	size_t nm = 0, i;
	bool any = false;

	if (!blank(e->title)) {
		put(c, "本项目为“%s”", e->title);
		any = true;
	} else {
		missing[nm++] = "项目名称";
	}
	if (!blank(e->department)) {
		put(c, "%s主管部门为%s", any ? "，" : "", e->department);
		any = true;
	} else {
		missing[nm++] = "主管部门";
	}
	if (!blank(e->unit)) {
		put(c, "%s实施单位为%s", any ? "，" : "", e->unit);
		any = true;
	} else {
		missing[nm++] = "实施单位";
	}
	if (nm > 0)
		put(c, "%s自评表未填写", any ? "，" : "");
	for (i = 0; i < nm; i++)
		put(c, "%s%s",
		    i == 0        ? ""
		    : i + 1 == nm ? "和"
		                  : "、",
		    missing[i]);
	put(c, "。");
	return emit(c, JX_DOC_PARA, 0);
}

/* "全年预算资金131.4万元，全年执行资金131.4万元，预算执行率100%。" */
static enum jx_err
s_funds(struct rctx *c)
{
	const struct jx_funds *fu = &c->e->funds;
	const struct jx_fund_row *t = &fu->total;
	const char *missing[3];
	size_t nm = 0, i;
	bool any = false;

	if (!c->e->has_funds) {
		put(c, "自评表未填写项目资金情况，预算执行率无法计算。");
		return emit(c, JX_DOC_PARA, 0);
	}
	if (t->initial.set && (!t->annual.set || t->initial.v != t->annual.v)) {
		put(c, "年初预算资金");
		put_money(c, t->initial.v);
		any = true;
	}
	if (t->annual.set) {
		put(c, "%s全年预算资金", any ? "，" : "");
		put_money(c, t->annual.v);
		any = true;
	} else {
		missing[nm++] = "全年预算数";
	}
	if (t->received.set) {
		put(c, "%s实际到位资金", any ? "，" : "");
		put_money(c, t->received.v);
		any = true;
	} else if (received_base(c)) {
		missing[nm++] = "实际到位资金";
	}
	if (t->executed.set) {
		put(c, "%s%s执行资金", any ? "，" : "",
		    !blank(fu->period) ? fu->period : "全年");
		put_money(c, t->executed.v);
		any = true;
	} else {
		missing[nm++] = "全年执行数";
	}
	if (nm > 0) {
		put(c, "%s自评表未填写", any ? "，" : "");
		for (i = 0; i < nm; i++)
			put(c, "%s%s",
			    i == 0        ? ""
			    : i + 1 == nm ? "和"
			                  : "、",
			    missing[i]);
	}
	if (c->has_rate) {
		put(c, "，%s", !blank(fu->period) ? "截至" : "");
		if (!blank(fu->period))
			put(c, "%s", fu->period);
		put(c, "预算执行率%s",
		    received_base(c) ? "（按实际到位资金计算）" : "");
		put_pct(c, c->rate);
	} else if (c->rate_na) {
		put(c, "，%s为0，预算执行率不适用",
		    received_base(c) ? "实际到位资金" : "全年预算数");
	} else {
		put(c, "，预算执行率无法计算");
	}
	put(c, "。");
	return emit(c, JX_DOC_PARA, 0);
}

/* "资金来源：当年财政拨款213万元（执行0万元），上年结转资金141万元（执行
 * 20万元）。" from the sources that state an amount. */
static enum jx_err
s_sources(struct rctx *c)
{
	const struct jx_funds *fu = &c->e->funds;
	size_t i, n = 0;

	if (!c->e->has_funds) {
		put(c, "自评表未填写项目资金情况。");
		return emit(c, JX_DOC_PARA, 0);
	}
	for (i = 0; i < fu->nsources; i++) {
		const struct jx_fund_row *s = &fu->sources[i];
		const struct jx_opt *amt =
		        s->annual.set ? &s->annual : &s->initial;

		if (!amt->set && !s->executed.set)
			continue;
		put(c, "%s%s", n == 0 ? "资金来源：" : "，",
		    blank(s->name) ? "其他" : s->name);
		if (amt->set)
			put_money(c, amt->v);
		if (s->executed.set) {
			put(c, amt->set ? "（执行" : "执行");
			put_money(c, s->executed.v);
			if (amt->set)
				put(c, "）");
		}
		n++;
	}
	if (n == 0)
		put(c, "自评表未分列资金来源");
	put(c, "。");
	return emit(c, JX_DOC_PARA, 0);
}

/* "自评得分95.4分，评价等级为优。" under the rule set; what stops the total
 * from being computed, named; the stated total beside a different one. */
static enum jx_err
s_score(struct rctx *c)
{
	const struct jx_eval *e = c->e;
	const struct jx_result *res = &c->res;
	char nbuf[NAME_CAP];
	size_t i, n = 0, named = 0;
	bool exec_bad;

	if (!c->scored) {
		if (e->total_score_stated.set) {
			put(c, "自评表填报的总分为");
			put_dec(c, e->total_score_stated.v);
			put(c, "分");
			if (!blank(e->grade_stated))
				put(c, "，评价等级为%s", e->grade_stated);
			put(c, "（未指定规则方案，未核算）。");
		} else {
			put(c, "自评表未填写总分，且未指定规则方案，自评得分"
			       "无法计算。");
		}
		return emit(c, JX_DOC_PARA, 0);
	}
	if (res->total_complete) {
		put(c, "自评得分");
		put_dec(c, res->total);
		put(c, "分");
		if (res->grade != NULL)
			put(c, "，评价等级为%s", res->grade->name);
		put(c, "。");
		if (e->total_score_stated.set &&
		    !jx_dec_near(e->total_score_stated.v, res->total,
		                 c->r->tol.score)) {
			put(c, "自评表填报的总分为");
			put_dec(c, e->total_score_stated.v);
			put(c, "分，与按规则方案“%s”计算的结果不一致。",
			    rules_title(c->r));
		}
		return emit(c, JX_DOC_PARA, 0);
	}
	exec_bad = e->has_funds && e->funds.exec_weight.set && !res->has_exec &&
	           !res->exec_na;
	for (i = 0; i < res->n; i++)
		if (res->ind[i].kind == JX_SCORE_NONE ||
		    res->ind[i].problem != JX_PROBLEM_NONE)
			n++;
	put(c, "有%zu项指标无法按规则方案计分（", n + (exec_bad ? 1 : 0));
	if (exec_bad) {
		put(c, "预算执行率：未填写%s或全年执行数",
		    received_base(c) ? "实际到位资金" : "全年预算数");
		named++;
	}
	for (i = 0; i < res->n && named < MAX_UNSCORED; i++) {
		const struct jx_ind_result *o = &res->ind[i];

		if (o->kind != JX_SCORE_NONE && o->problem == JX_PROBLEM_NONE)
			continue;
		put(c, "%s%s：%s", named > 0 ? "；" : "",
		    ind_name(&e->indicators[i], i, nbuf, sizeof(nbuf)),
		    problem_text(o));
		named++;
	}
	if (n + (exec_bad ? 1 : 0) > named)
		put(c, "等");
	put(c, "），自评得分无法计算。");
	if (e->total_score_stated.set) {
		put(c, "自评表填报的总分为");
		put_dec(c, e->total_score_stated.v);
		put(c, "分。");
	}
	return emit(c, JX_DOC_PARA, 0);
}

/* "产出指标共设置三级指标20项，其中达成年度指标值18项、部分达成2项。" */
static enum jx_err
s_indicators(struct rctx *c, const struct item *it)
{
	const struct jx_eval *e = c->e;
	size_t i, n = 0, cnt[4] = {0, 0, 0, 0};

	for (i = 0; i < e->nindicators; i++) {
		if (!matches(c, it, &e->indicators[i]))
			continue;
		n++;
		cnt[outcome(c, i)]++;
	}
	if (n == 0) {
		if (it->nlevel1 > 0)
			put(c, "自评表中没有%s。", it->level1_text[0]);
		else
			put(c, "自评表未设置绩效指标。");
		return emit(c, JX_DOC_PARA, 0);
	}
	put(c, "%s共设置三级指标%zu项",
	    it->nlevel1 > 0 ? it->level1_text[0] : "本项目", n);
	if (!c->scored) {
		put(c, "（未指定规则方案，未判断完成情况）。");
	} else if (cnt[JX_OUTCOME_MET] == n) {
		put(c, "，全部达成年度指标值。");
	} else {
		put(c, "，其中达成年度指标值%zu项", cnt[JX_OUTCOME_MET]);
		if (cnt[JX_OUTCOME_PARTIAL] > 0)
			put(c, "、部分达成%zu项", cnt[JX_OUTCOME_PARTIAL]);
		if (cnt[JX_OUTCOME_NOT_MET] > 0)
			put(c, "、未达成%zu项", cnt[JX_OUTCOME_NOT_MET]);
		if (cnt[JX_OUTCOME_UNKNOWN] > 0)
			put(c, "，另有%zu项无法判断完成情况",
			    cnt[JX_OUTCOME_UNKNOWN]);
		put(c, "。");
	}
	return emit(c, JX_DOC_PARA, 0);
}

/* One paragraph per indicator not met: target, actual, completion, the
 * stated reason or "未填写偏差原因". */
static enum jx_err
s_deviations(struct rctx *c, const struct item *it)
{
	const struct jx_eval *e = c->e;
	char nbuf[NAME_CAP];
	size_t i, n = 0, total = 0, unknown = 0;
	enum jx_outcome oc;
	enum jx_err err;

	if (!c->scored) {
		put(c, "未指定规则方案，未判断各项指标的偏差情况。");
		return emit(c, JX_DOC_PARA, 0);
	}
	for (i = 0; i < e->nindicators; i++) {
		const struct jx_indicator *ind = &e->indicators[i];
		const struct jx_ind_result *o = &c->res.ind[i];

		if (!matches(c, it, ind))
			continue;
		total++;
		oc = outcome(c, i);
		if (oc == JX_OUTCOME_UNKNOWN)
			unknown++;
		if (oc != JX_OUTCOME_PARTIAL && oc != JX_OUTCOME_NOT_MET)
			continue;
		put(c, "“%s”年度指标值为%s，实际完成值为%s",
		    ind_name(ind, i, nbuf, sizeof(nbuf)),
		    /* scored, so both are there */
		    ind->target != NULL ? ind->target : "",
		    ind->actual != NULL ? ind->actual : "");
		if (o->kind == JX_SCORE_QUANT && o->has_completion) {
			put(c, "，完成率");
			put_pct(c, o->completion);
		}
		put(c, "，%s年度指标值。",
		    oc == JX_OUTCOME_PARTIAL ? "部分达成" : "未达成");
		if (no_reason(ind->deviation_reason)) {
			put(c, "未填写偏差原因。");
		} else {
			put(c, "偏差原因：%s", ind->deviation_reason);
			put_end(c);
		}
		if ((err = emit(c, JX_DOC_PARA, 0)) != JX_OK)
			return err;
		n++;
	}
	if (n > 0)
		return JX_OK;
	if (total == 0) {
		/* nothing to say under a filter: the indicators sentence
		 * says there is no such indicator */
		if (it->nlevel1 > 0)
			return JX_OK;
		put(c, "自评表未设置绩效指标。");
	} else if (unknown > 0) {
		put(c, "除%zu项无法判断完成情况的指标外，%s均达成年度指标值。",
		    unknown, it->nlevel1 > 0 ? it->level1_text[0] : "其余指标");
	} else if (it->nlevel1 > 0) {
		put(c, "%s均达成年度指标值，无偏差。", it->level1_text[0]);
	} else {
		put(c, "各项指标均达成年度指标值，无偏差。");
	}
	return emit(c, JX_DOC_PARA, 0);
}

/* 年度总体目标 and what was achieved, one paragraph per goal. */
static enum jx_err
s_goals(struct rctx *c)
{
	const struct jx_eval *e = c->e;
	size_t i;
	enum jx_err err;

	if (e->ngoals == 0) {
		put(c, "自评表未填写年度总体目标。");
		return emit(c, JX_DOC_PARA, 0);
	}
	for (i = 0; i < e->ngoals; i++) {
		const struct jx_goal *g = &e->goals[i];

		if (e->ngoals == 1)
			put(c, "年度总体目标：");
		else
			put(c, "目标%zu：", i + 1);
		if (blank(g->expected))
			put(c, "自评表未填写预期目标。");
		else {
			put(c, "%s", g->expected);
			put_end(c);
		}
		if (blank(g->achieved)) {
			put(c, "实际完成情况未填写。");
		} else {
			put(c, "实际完成情况：%s", g->achieved);
			put_end(c);
		}
		if ((err = emit(c, JX_DOC_PARA, 0)) != JX_OK)
			return err;
	}
	return JX_OK;
}

/* The audit's errors (and warnings, when asked) phrased as problems. */
static enum jx_err
s_findings(struct rctx *c, const struct item *it)
{
	const struct jx_findings *f = &c->f;
	size_t i, k = 0, nw;
	enum jx_err err;

	if (!c->scored) {
		put(c, "未指定规则方案，未核对自评表数据。");
		return emit(c, JX_DOC_PARA, 0);
	}
	if ((err = audit(c)) != JX_OK)
		return err;
	nw = it->warnings ? f->nwarnings : 0;
	if (f->nerrors == 0 && nw == 0) {
		put(c, "经按规则方案“%s”核对，自评表填报数据未发现错误。",
		    rules_title(c->r));
		return emit(c, JX_DOC_PARA, 0);
	}
	put(c, "经按规则方案“%s”核对，自评表存在以下", rules_title(c->r));
	if (f->nerrors > 0)
		put(c, "%zu个问题", f->nerrors);
	if (nw > 0)
		put(c, "%s%zu处需要核实的情况", f->nerrors > 0 ? "和" : "", nw);
	put(c, "：");
	if ((err = emit(c, JX_DOC_PARA, 0)) != JX_OK)
		return err;
	for (i = 0; i < f->n; i++) {
		const struct jx_finding *x = &f->items[i];

		if (x->severity == JX_SEV_OK ||
		    (x->severity == JX_SEV_WARNING && !it->warnings))
			continue;
		put(c, "（%zu）%s%s：%s", ++k,
		    x->severity == JX_SEV_WARNING ? "［需核实］" : "", x->where,
		    x->message);
		put_end(c);
		if ((err = emit(c, JX_DOC_PARA, 0)) != JX_OK)
			return err;
	}
	if (f->dropped > 0) {
		put(c, "另有%zu条未列出。", f->dropped);
		return emit(c, JX_DOC_PARA, 0);
	}
	return JX_OK;
}

/* ------------------------------------------------------------------ */
/* Rendering: tables                                                   */

/* A grid being filled in the document's arena. */
struct tb {
	struct jx_grid *g;
	enum jx_err err;
};

static void
tb_put(struct tb *t, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
       const char *s)
{
	if (t->err != JX_OK)
		return;
	if (!blank(s))
		t->err = jx_grid_set(t->g, r1, c1, s, strlen(s));
	if (t->err == JX_OK && (r1 != r2 || c1 != c2))
		t->err = jx_grid_merge(t->g, r1, c1, r2, c2);
}

static void
tb_dec(struct tb *t, uint32_t r, uint32_t col, struct jx_opt o)
{
	char buf[NUM_CAP];

	if (!o.set)
		return;
	jx_dec_format(o.v, -1, buf, sizeof(buf));
	tb_put(t, r, col, r, col, buf);
}

/* executed ÷ annual of one row as "95.52%", blank when not computable. */
static void
tb_rate(struct tb *t, uint32_t r, uint32_t col, const struct jx_fund_row *f)
{
	char buf[NUM_CAP];
	jx_dec v;

	if (!f->annual.set || !f->executed.set || f->annual.v <= 0 ||
	    jx_dec_muldiv(f->executed.v, JX_DEC_ONE, f->annual.v, 4, &v) !=
	            JX_OK)
		return;
	jx_dec_format(jx_dec_percent(v), -1, buf, sizeof(buf) - 1);
	strncat(buf, "%", sizeof(buf) - strlen(buf) - 1);
	tb_put(t, r, col, r, col, buf);
}

static enum jx_err
tb_new(struct rctx *c, struct tb *t)
{
	t->err = JX_OK;
	t->g = jx_arena_alloc(c->doc->arena, sizeof(*t->g));
	if (t->g == NULL)
		return jx_diag_set(c->d, JX_ENOMEM, NULL, "内存不足");
	jx_grid_init(t->g, c->doc->arena);
	return JX_OK;
}

/* Add the table t with its layout; NULL widths/align/bold allowed. */
static enum jx_err
tb_add(struct rctx *c, struct tb *t, const uint32_t *widths,
       const enum jx_doc_align *align, const bool *bold)
{
	if (t->err != JX_OK)
		return jx_diag_set(c->d, t->err, NULL,
		                   t->err == JX_ENOMEM ? "内存不足"
		                                       : "表格超出上限");
	if (jx_doc_add_table(c->doc, t->g, 1, widths, align, bold) == NULL)
		return jx_diag_set(c->d, JX_ENOMEM, NULL,
		                   "内存不足或文档块过多");
	return JX_OK;
}

/* 资金来源 / 年初预算数 / 全年预算数 (/ 实际到位资金) / 全年执行数 /
 * 预算执行率 for 年度资金总额 and each source stating an amount; the rate
 * computed as 执行数 ÷ 全年预算数 on every row. */
static enum jx_err
t_funds(struct rctx *c)
{
	const struct jx_funds *fu = &c->e->funds;
	uint32_t widths[6], r = 0, col, ncols;
	enum jx_doc_align align[6];
	bool bold[2 + JX_MAX_FUND_ROWS]; /* header, total, sources */
	char exec_head[NAME_CAP];
	bool rec = fu->total.received.set;
	struct tb t;
	size_t i;
	enum jx_err err;

	if (!c->e->has_funds) {
		put(c, "自评表未填写项目资金情况。");
		return emit(c, JX_DOC_PARA, 0);
	}
	for (i = 0; i < fu->nsources; i++)
		rec = rec || fu->sources[i].received.set;
	ncols = rec ? 6 : 5;
	put(c, "单位：%s", c->unit);
	if ((err = emit(c, JX_DOC_NOTE, 0)) != JX_OK ||
	    (err = tb_new(c, &t)) != JX_OK)
		return err;
	snprintf(exec_head, sizeof(exec_head), "%s执行数",
	         !blank(fu->period) ? fu->period : "全年");
	tb_put(&t, 0, 0, 0, 0, "资金来源");
	tb_put(&t, 0, 1, 0, 1, "年初预算数");
	tb_put(&t, 0, 2, 0, 2, "全年预算数");
	if (rec)
		tb_put(&t, 0, 3, 0, 3, "实际到位资金");
	tb_put(&t, 0, ncols - 2, 0, ncols - 2, exec_head);
	tb_put(&t, 0, ncols - 1, 0, ncols - 1, "预算执行率");
	memset(bold, 0, sizeof(bold));
	for (i = 0; i <= fu->nsources && i <= JX_MAX_FUND_ROWS; i++) {
		const struct jx_fund_row *f =
		        i == 0 ? &fu->total : &fu->sources[i - 1];

		if (i > 0 && !f->initial.set && !f->annual.set &&
		    !f->executed.set && !f->received.set)
			continue;
		r++;
		bold[r] = i == 0;
		tb_put(&t, r, 0, r, 0,
		       i == 0           ? "年度资金总额"
		       : blank(f->name) ? "其他"
		                        : f->name);
		col = 1;
		tb_dec(&t, r, col++, f->initial);
		tb_dec(&t, r, col++, f->annual);
		if (rec)
			tb_dec(&t, r, col++, f->received);
		tb_dec(&t, r, col++, f->executed);
		tb_rate(&t, r, col, f);
	}
	for (col = 0; col < ncols; col++) {
		widths[col] = col == 0 ? 18 : 12;
		align[col] = col == 0 ? JX_DOC_LEFT : JX_DOC_RIGHT;
	}
	/* the column count is the header's even when figures are blank */
	if (t.err == JX_OK && t.g->ncols != ncols)
		t.err = JX_EINVAL;
	return tb_add(c, &t, widths, align, bold);
}

/* The indicators (those of the item's level1 filter): (一级指标 /)
 * 二级指标 / 三级指标 / 年度指标值 / 实际完成值 / 分值 / 得分 as stated,
 * and under a rule set 完成率 and 完成情况 as computed. */
static enum jx_err
t_indicators(struct rctx *c, const struct item *it)
{
	static const char *const heads[] = {
	        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
	        "分值",     "得分",     "完成率",   "完成情况"};
	static const uint32_t w[] = {10, 10, 22, 14, 14, 7, 7, 10, 10};
	static const enum jx_doc_align al[] = {
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_LEFT,
	        JX_DOC_CENTER, JX_DOC_CENTER, JX_DOC_RIGHT,
	        JX_DOC_RIGHT,  JX_DOC_RIGHT,  JX_DOC_CENTER};
	const struct jx_eval *e = c->e;
	uint32_t widths[9], first, ncols, col, r = 0;
	enum jx_doc_align align[9];
	char buf[NUM_CAP];
	size_t *rows = NULL, n = 0, i, j, k;
	struct tb t;
	enum jx_err err;

	first = it->nlevel1 > 0 ? 1 : 0; /* 一级 shown only unfiltered */
	ncols = (c->scored ? 9 : 7) - first;
	rows = jx_arena_calloc(&c->scratch, e->nindicators + 1, sizeof(*rows));
	if (rows == NULL)
		return jx_diag_set(c->d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; i < e->nindicators; i++)
		if (matches(c, it, &e->indicators[i]))
			rows[n++] = i;
	if (n == 0) {
		if (it->nlevel1 > 0)
			return JX_OK; /* the sentences say there is none */
		put(c, "自评表未设置绩效指标。");
		return emit(c, JX_DOC_PARA, 0);
	}
	if (n + 1 > JX_GRID_MAX_ROWS)
		return jx_diag_set(c->d, JX_ETOOBIG, NULL, "指标过多");
	if ((err = tb_new(c, &t)) != JX_OK)
		return err;
	for (col = 0; col < ncols; col++) {
		tb_put(&t, 0, col, 0, col, heads[col + first]);
		widths[col] = w[col + first];
		align[col] = al[col + first];
	}
	for (k = 0; k < n; k++) {
		const struct jx_indicator *ind = &e->indicators[rows[k]];

		r = (uint32_t)(k + 1);
		if (first == 0)
			tb_put(&t, r, 0, r, 0, ind->level1);
		tb_put(&t, r, 1 - first, r, 1 - first, ind->level2);
		tb_put(&t, r, 2 - first, r, 2 - first, ind->name);
		tb_put(&t, r, 3 - first, r, 3 - first, ind->target);
		tb_put(&t, r, 4 - first, r, 4 - first, ind->actual);
		tb_dec(&t, r, 5 - first, ind->weight);
		tb_dec(&t, r, 6 - first, ind->score_stated);
		if (c->scored) {
			const struct jx_ind_result *o = &c->res.ind[rows[k]];
			enum jx_outcome oc = outcome(c, rows[k]);

			if (o->kind == JX_SCORE_QUANT && o->has_completion) {
				jx_dec_format(jx_dec_percent(o->completion), -1,
				              buf, sizeof(buf) - 1);
				strncat(buf, "%",
				        sizeof(buf) - strlen(buf) - 1);
				tb_put(&t, r, 7 - first, r, 7 - first, buf);
			}
			tb_put(&t, r, 8 - first, r, 8 - first,
			       oc == JX_OUTCOME_UNKNOWN
			               ? "无法判断"
			               : jx_score_outcome_name(oc));
		}
	}
	/* 一级 over runs of equal text, 二级 over runs inside them. */
	for (k = 0; first == 0 && k < n; k = j) {
		const char *a = e->indicators[rows[k]].level1;

		for (j = k + 1;
		     j < n && same_text(a, e->indicators[rows[j]].level1); j++)
			;
		if (j > k + 1)
			tb_put(&t, (uint32_t)(k + 1), 0, (uint32_t)j, 0, a);
	}
	for (k = 0; k < n; k = j) {
		const struct jx_indicator *a = &e->indicators[rows[k]];

		for (j = k + 1; j < n; j++) {
			const struct jx_indicator *b = &e->indicators[rows[j]];

			if (!same_text(a->level2, b->level2) ||
			    !(same_text(a->level1, b->level1) ||
			      (blank(a->level1) && blank(b->level1))))
				break;
		}
		if (j > k + 1)
			tb_put(&t, (uint32_t)(k + 1), 1 - first, (uint32_t)j,
			       1 - first, a->level2);
	}
	if (t.err == JX_OK && t.g->ncols != ncols)
		t.err = JX_EINVAL;
	return tb_add(c, &t, widths, align, NULL);
}

/* ------------------------------------------------------------------ */
/* Rendering: the outline                                              */

static enum jx_err
render_item(struct rctx *c, const struct item *it)
{
	switch (it->kind) {
	case K_HEADING:
		put_tmpl(c, &it->t);
		return emit(c, JX_DOC_HEADING, it->level);
	case K_TEXT:
		put_tmpl(c, &it->t);
		if (c->err == JX_OK && c->b.len == 0)
			return JX_OK; /* only optional parts, all missing */
		return emit(c, JX_DOC_PARA, 0);
	case K_NOTE:
		put_tmpl(c, &it->t);
		if (c->err == JX_OK && c->b.len == 0)
			return JX_OK;
		return emit(c, JX_DOC_NOTE, 0);
	case K_BLANK:
		put(c, "（请填写：");
		put_tmpl(c, &it->t);
		put(c, "）");
		return emit(c, JX_DOC_BLANK, 0);
	case K_PAGEBREAK:
		return emit(c, JX_DOC_PAGEBREAK, 0);
	case K_SENTENCE:
		switch ((enum sentence)it->which) {
		case S_PROJECT:
			return s_project(c);
		case S_FUNDS:
			return s_funds(c);
		case S_SOURCES:
			return s_sources(c);
		case S_SCORE:
			return s_score(c);
		case S_INDICATORS:
			return s_indicators(c, it);
		case S_DEVIATIONS:
			return s_deviations(c, it);
		case S_GOALS:
			return s_goals(c);
		case S_FINDINGS:
			return s_findings(c, it);
		case S_COUNT:
			break;
		}
		break;
	case K_TABLE:
		switch ((enum table)it->which) {
		case T_SELFEVAL:
			return jx_form_selfeval_table(c->doc, c->e, c->r, c->d);
		case T_FUNDS:
			return t_funds(c);
		case T_INDICATORS:
			return t_indicators(c, it);
		case T_COUNT:
			break;
		}
		break;
	}
	return jx_diag_set(c->d, JX_EINVAL, NULL, "提纲内容无效");
}

enum jx_err
jx_outline_render(const struct jx_outline *o, const struct jx_eval *e,
                  const struct jx_rules *r, struct jx_doc *doc,
                  struct jx_diag *d)
{
	struct rctx c;
	size_t i;
	enum jx_err err = JX_OK;

	memset(&c, 0, sizeof(c));
	jx_arena_init(&c.scratch, 0);
	jx_buf_init(&c.b, JX_OUTLINE_PARA_MAX);
	if (o == NULL || e == NULL || doc == NULL || doc->arena == NULL) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto done;
	}
	c.o = o;
	c.e = e;
	c.r = r;
	c.doc = doc;
	c.d = d;
	c.unit = e->has_funds && !blank(e->funds.unit) ? e->funds.unit : "万元";
	if (r != NULL) {
		err = jx_score_run(e, r, &c.scratch, &c.res);
		if (err != JX_OK) {
			err = jx_diag_set(d, err, "score", "自评表无法计分：%s",
			                  jx_err_message(err));
			goto done;
		}
		c.scored = true;
	}
	compute_rate(&c);
	put_tmpl(&c, &o->title);
	if (c.err == JX_OK && doc->title == NULL && c.b.len > 0) {
		doc->title = jx_arena_strndup(doc->arena, c.b.data, c.b.len);
		if (doc->title == NULL)
			c.err = JX_ENOMEM;
	}
	if ((err = emit(&c, JX_DOC_TITLE, 0)) != JX_OK)
		goto done;
	if (o->has_subtitle) {
		put_tmpl(&c, &o->subtitle);
		if (c.err != JX_OK || c.b.len > 0)
			err = emit(&c, JX_DOC_SUBTITLE, 0);
		if (err != JX_OK)
			goto done;
	}
	for (i = 0; i < o->n && err == JX_OK; i++)
		err = render_item(&c, &o->items[i]);
done:
	jx_buf_free(&c.b);
	jx_arena_cleanup(&c.scratch);
	return err;
}
