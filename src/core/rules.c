/*
 * rules.c - load and validate a rule set (规则方案) from JSON, and look
 * things up in a loaded one.
 *
 * The format is documented in docs/rules.md. jansson parses the text with
 * duplicate keys rejected. Every decimal is read exactly: a JSON integer, or
 * a string holding a decimal ("0.01") or, where a ratio is meant, a
 * percentage ("80%"); a JSON real (0.8) is refused because jansson keeps it
 * only as a double. Every object's keys are checked against the keys it may
 * have, so a typo is an error, never a silently ignored setting. Each error
 * names the field path ("level1[2].weight") and, found by re-scanning the
 * text, its line and column. Everything a loaded rule set holds lives in its
 * own arena.
 *
 * This file does no I/O (the caller reads the file and finds it by name),
 * scores nothing (score.c) and judges no document (audit.c).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/limits.h"
#include "jx/rules.h"
#include "jx/text.h"

#define RULES_FORMAT 1                 /* the "format" this code reads */
#define PATH_CAP     256               /* bytes of a field path (diag) */
#define MSG_CAP      512               /* bytes of a message (diag) */
#define NAME_CAP     JX_MAX_VALUE_TEXT /* bytes of a name, label or word */
#define NUM_CAP      64                /* bytes of a number written as text */
#define INT_LIMIT    INT64_C(1000000000000) /* |integer| accepted */
#define WALK_DEPTH   64                     /* nesting the locator follows */
#define ARENA_BLOCK  ((size_t)16 * 1024)
#define SUFFIX       "指标" /* folded away when names compare */

/* What a number in the file means; decides whether "%" is allowed. */
enum numkind {
	NUM_POINTS, /* score points: weights, grade minimums */
	NUM_RATIO,  /* a fraction: "80%" or "0.8" */
	NUM_PPOINT, /* percentage points (rate tolerance) */
	NUM_MONEY   /* an amount in the document's unit */
};

/* Flags of a text value. */
#define TEXT_NONEMPTY  0x1u /* must not be empty after trimming */
#define TEXT_MULTILINE 0x2u /* may hold newlines and tabs */
#define TEXT_NAME      0x4u /* a name, label or word: at most NAME_CAP bytes */

struct enumname {
	const char *name;
	int val;
};

/* Loader state: the rule set being built and where in the file we are. */
struct ctx {
	struct jx_rules *r;
	struct jx_diag *d;
	const char *buf;
	size_t len;
	char path[PATH_CAP];
	size_t plen;
};

/* One name (or alias) of an entry, for finding duplicates by sorting. */
struct namekey {
	char *key;    /* folded comparison key */
	size_t owner; /* index of the entry */
	size_t alias; /* index among its aliases, SIZE_MAX for the name */
};

/* A word of the vocabulary with where it was written. */
struct wordsrc {
	const char *word; /* folded */
	int tier;
	size_t idx;
};

/* The locator: a minimal re-scan of JSON text that knows field paths. */
struct walk {
	const char *s;
	size_t len;
	size_t pos;
	char path[PATH_CAP];
	size_t plen;
	const char *want;  /* locate mode: the path sought */
	size_t found;      /* locate mode: offset of its value, SIZE_MAX none */
	size_t stop;       /* path mode: the offset of a parse error */
	char at[PATH_CAP]; /* path mode: innermost path started by `stop` */
	bool halt;
};

static const struct enumname kind_names[] = {
        {"output", JX_L1_OUTPUT},
        {"outcome", JX_L1_OUTCOME},
        {"satisfaction", JX_L1_SATISFACTION},
        {"cost", JX_L1_COST},
        {"other", JX_L1_OTHER},
};
static const struct enumname outcome_names[] = {
        {"met", JX_OUTCOME_MET},
        {"partial", JX_OUTCOME_PARTIAL},
        {"not_met", JX_OUTCOME_NOT_MET},
};
static const struct enumname reverse_names[] = {
        {"linear_2t", JX_REVERSE_LINEAR_2T},
        {"ratio", JX_REVERSE_RATIO},
};
static const struct enumname method_names[] = {
        {"proportional", JX_EXEC_PROPORTIONAL},
        {"bands", JX_EXEC_BANDS},
        {"threshold_pct", JX_EXEC_THRESHOLD_PCT},
};
static const struct enumname base_names[] = {
        {"annual", JX_EXEC_BASE_ANNUAL},
        {"received", JX_EXEC_BASE_RECEIVED},
};
static const struct enumname cmp_names[] = {
        {"eq", JX_CMP_EQ},
        {"ge", JX_CMP_GE},
        {"le", JX_CMP_LE},
};
static const struct enumname penalty_names[] = {
        {"none", JX_OVER_NONE},
        {"linear", JX_OVER_LINEAR},
};
static const struct enumname l1mode_names[] = {
        {"fixed", 0},
        {"free", 1},
};
static const struct enumname montime_names[] = {
        {"month", JX_MON_TIME_MONTH},
        {"day", JX_MON_TIME_DAY},
};
static const struct enumname monbasis_names[] = {
        {"ratio", JX_MON_BASIS_RATIO},
        {"gap", JX_MON_BASIS_GAP},
};
/* monitoring.cumulative_level2 when the file does not say: the quantities
 * that pile up over a year (shared/docs/rules.md §5.5). */
static const char *const mon_cumulative_default[] = {
        "数量指标", "成本指标", "经济成本指标", "社会成本指标",
        "生态环境成本指标"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Path and diagnostics. */
static const char *clip(const char *s, char *buf, size_t cap);
static void ascii_only(const char *s, char *out, size_t cap);
static void path_append(char *path, size_t *plen, const char *s, size_t slen);
static size_t push_key(struct ctx *c, const char *key);
static size_t push_index(struct ctx *c, size_t i);
static void pop(struct ctx *c, size_t old);
static enum jx_err vfail(struct ctx *c, enum jx_err err, const char *fmt,
                         va_list ap) __attribute__((format(printf, 3, 0)));
static enum jx_err fail(struct ctx *c, enum jx_err err, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static enum jx_err fail_key(struct ctx *c, const char *key, enum jx_err err,
                            const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static enum jx_err nomem(struct ctx *c);
static void locate(struct ctx *c);
static void offset_linecol(const char *s, size_t len, size_t off, int *line,
                           int *col);
static enum jx_err json_fail(struct ctx *c, const json_error_t *je);
static void fmt_dec(jx_dec v, char *buf, size_t cap);
static void fmt_pct(jx_dec v, char *buf, size_t cap);

/* The locator. */
static void walk_ws(struct walk *w);
static void walk_visit(struct walk *w, size_t off);
static size_t walk_push(struct walk *w, const char *seg, bool index);
static bool walk_string(struct walk *w, char *out, size_t cap);
static bool walk_value(struct walk *w, int depth);
static bool walk_object(struct walk *w, int depth);
static bool walk_array(struct walk *w, int depth);
static size_t walk_find(const char *s, size_t len, const char *want);
static void walk_path_at(const char *s, size_t len, size_t stop, char *out,
                         size_t cap);

/* Reading values. */
static enum jx_err check_keys(struct ctx *c, json_t *obj,
                              const char *const *keys, size_t nkeys);
static enum jx_err member(struct ctx *c, json_t *obj, const char *key,
                          bool required, json_t **out);
static enum jx_err val_text(struct ctx *c, json_t *v, unsigned flags,
                            const char **out);
static enum jx_err val_num(struct ctx *c, json_t *v, enum numkind kind,
                           jx_dec *out);
static enum jx_err val_enum(struct ctx *c, json_t *v,
                            const struct enumname *tab, size_t n, int *out);
static enum jx_err get_object(struct ctx *c, json_t *obj, const char *key,
                              bool required, json_t **out);
static enum jx_err get_array(struct ctx *c, json_t *obj, const char *key,
                             bool required, json_t **out);
static enum jx_err get_text(struct ctx *c, json_t *obj, const char *key,
                            bool required, unsigned flags, const char **out);
static enum jx_err get_bool(struct ctx *c, json_t *obj, const char *key,
                            bool required, bool *out);
static enum jx_err get_int(struct ctx *c, json_t *obj, const char *key, int lo,
                           int hi, int *out);
static enum jx_err get_num(struct ctx *c, json_t *obj, const char *key,
                           bool required, enum numkind kind, jx_dec *out,
                           bool *present);
static enum jx_err get_enum(struct ctx *c, json_t *obj, const char *key,
                            bool required, const struct enumname *tab, size_t n,
                            int *out);
static enum jx_err get_names(struct ctx *c, json_t *obj, const char *key,
                             const char ***out, size_t *n);
static enum jx_err check_range(struct ctx *c, const char *key, jx_dec v,
                               jx_dec lo, bool lo_incl, jx_dec hi, bool hi_incl,
                               bool ratio);

/* Names. */
static size_t fold_key(const char *s, size_t len, bool strip, char *out,
                       size_t cap);
static int namekey_cmp(const void *a, const void *b);
static enum jx_err add_key(struct ctx *c, const char *list, struct namekey *k,
                           size_t *n, const char *name, bool strip,
                           size_t owner, size_t alias);
static enum jx_err check_unique(struct ctx *c, const char *list,
                                struct namekey *k, size_t n, const char *what);
static const char *fold_dup(struct jx_arena *a, const char *name, bool strip);
static const char **fold_all(struct jx_arena *a, const char **names, size_t n,
                             bool strip);
static enum jx_err make_keys(struct jx_rules *t);
static bool key_eq(const char *stored, const char *raw, bool strip,
                   const char *key);

/* Bands. */
static enum jx_err parse_band(struct ctx *c, json_t *obj, struct jx_band *b);
static bool bands_overlap(const struct jx_band *a, const struct jx_band *b);
static bool band_below(const struct jx_band *a, const struct jx_band *b);
static void band_text(const struct jx_band *b, char *buf, size_t cap);

/* Sections. */
static enum jx_err parse_root(struct ctx *c, json_t *root);
static enum jx_err parse_meta(struct ctx *c, json_t *root);
static enum jx_err parse_rounding(struct ctx *c, json_t *root);
static enum jx_err parse_level1(struct ctx *c, json_t *root);
static enum jx_err parse_level1_entry(struct ctx *c, json_t *e,
                                      struct jx_rules_level1 *l);
static enum jx_err parse_fallback(struct ctx *c, json_t *root);
static enum jx_err parse_exec(struct ctx *c, json_t *root);
static enum jx_err parse_exec_bands(struct ctx *c, json_t *exec);
static enum jx_err parse_quant(struct ctx *c, json_t *root);
static enum jx_err parse_bare_map(struct ctx *c, json_t *quant);
static enum jx_err parse_tiers(struct ctx *c, json_t *root);
static enum jx_err check_tier_chain(struct ctx *c);
static enum jx_err parse_vocabulary(struct ctx *c, json_t *root);
static int wordsrc_cmp(const void *a, const void *b);
static int word_cmp(const void *key, const void *elem);
static enum jx_err parse_numeric_tiers(struct ctx *c, json_t *root);
static enum jx_err parse_grades(struct ctx *c, json_t *root);
static enum jx_err parse_tolerance(struct ctx *c, json_t *root);
static enum jx_err parse_reason(struct ctx *c, json_t *root);
static enum jx_err parse_monitor(struct ctx *c, json_t *root);
static enum jx_err parse_monitor_light(struct ctx *c, json_t *obj);
static enum jx_err parse_monitor_names(struct ctx *c, json_t *obj);
static enum jx_err check_weights(struct ctx *c);

/* ------------------------------------------------------------------ */
/* Field paths and diagnostics                                         */

/* s, or a copy of its first cap-1 bytes cut at a character boundary. */
static const char *
clip(const char *s, char *buf, size_t cap)
{
	size_t n = strlen(s);
	const char *out = s;

	if (n >= cap) {
		n = jx_text_utf8_cut(s, cap - 1);
		memcpy(buf, s, n);
		buf[n] = '\0';
		out = buf;
	}
	return out;
}

/* s with every byte outside printable ASCII replaced by '?': jansson's own
 * message may quote undecodable input. */
static void
ascii_only(const char *s, char *out, size_t cap)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < cap; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7F) ? s[i] : '?';
	out[i] = '\0';
}

/* Append s[0..slen) to path, truncating at a character boundary. */
static void
path_append(char *path, size_t *plen, const char *s, size_t slen)
{
	size_t room = PATH_CAP - 1 - *plen;

	if (slen > room)
		slen = jx_text_utf8_cut(s, room);
	memcpy(path + *plen, s, slen);
	*plen += slen;
	path[*plen] = '\0';
}

static size_t
push_key(struct ctx *c, const char *key)
{
	size_t old = c->plen;

	if (c->plen > 0)
		path_append(c->path, &c->plen, ".", 1);
	path_append(c->path, &c->plen, key, strlen(key));
	return old;
}

static size_t
push_index(struct ctx *c, size_t i)
{
	char tmp[32];
	size_t old = c->plen;
	int n = snprintf(tmp, sizeof(tmp), "[%zu]", i);

	if (n > 0)
		path_append(c->path, &c->plen, tmp, (size_t)n);
	return old;
}

static void
pop(struct ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* Report err at the current path, with its line and column. */
static enum jx_err
vfail(struct ctx *c, enum jx_err err, const char *fmt, va_list ap)
{
	char msg[MSG_CAP];
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n >= (int)sizeof(msg))
		msg[jx_text_utf8_cut(msg, sizeof(msg) - 1)] = '\0';
	if (c->d != NULL) {
		jx_diag_set(c->d, err, c->path, "%s", msg);
		locate(c);
	}
	return err;
}

static enum jx_err
fail(struct ctx *c, enum jx_err err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vfail(c, err, fmt, ap);
	va_end(ap);
	return err;
}

/* Report err at the path of `key` under the current one. */
static enum jx_err
fail_key(struct ctx *c, const char *key, enum jx_err err, const char *fmt, ...)
{
	va_list ap;
	size_t old = push_key(c, key);

	va_start(ap, fmt);
	err = vfail(c, err, fmt, ap);
	va_end(ap);
	pop(c, old);
	return err;
}

static enum jx_err
nomem(struct ctx *c)
{
	return fail(c, JX_ENOMEM, "内存不足");
}

/* Set the diag's line and column to where the current path's value is
 * written; a path not in the text (a missing key) falls back to its
 * parent. */
static void
locate(struct ctx *c)
{
	char want[PATH_CAP];
	size_t n = c->plen, off = SIZE_MAX;

	memcpy(want, c->path, n + 1);
	for (;;) {
		off = walk_find(c->buf, c->len, want);
		if (off != SIZE_MAX || n == 0)
			break;
		/* Drop the last component: ".key" or "[i]". */
		while (n > 0 && want[n - 1] != '.' && want[n - 1] != '[')
			n--;
		if (n > 0)
			n--;
		want[n] = '\0';
	}
	if (off == SIZE_MAX)
		return;
	offset_linecol(c->buf, c->len, off, &c->d->line, &c->d->column);
}

/* 1-based line and column (in characters, as jansson counts) of s[off]. */
static void
offset_linecol(const char *s, size_t len, size_t off, int *line, int *col)
{
	size_t i;
	int l = 1, k = 1;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			if (l < INT32_MAX)
				l++;
			k = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80 &&
		           k < INT32_MAX) {
			k++;
		}
	}
	*line = l;
	*col = k;
}

/* A jansson parse error as a diagnostic: its own line and column, the field
 * path reached before it, and a Chinese explanation. */
static enum jx_err
json_fail(struct ctx *c, const json_error_t *je)
{
	enum jx_err err = JX_EPARSE;
	const char *what;
	char detail[JSON_ERROR_TEXT_LENGTH];

	switch (json_error_code(je)) {
	case json_error_out_of_memory:
		err = JX_ENOMEM;
		what = "内存不足";
		break;
	case json_error_stack_overflow:
		err = JX_ETOOBIG;
		what = "JSON 嵌套层数过多";
		break;
	case json_error_invalid_utf8:
		what = "文本不是有效的 UTF-8 编码（请以 UTF-8 保存规则文件）";
		break;
	case json_error_premature_end_of_input:
		what = "JSON 意外结束（缺少右括号、右方括号或引号？）";
		break;
	case json_error_end_of_input_expected:
		what = "JSON 已结束，但后面还有多余内容";
		break;
	case json_error_duplicate_key:
		what = "键重复：同一对象中每个键只能出现一次";
		break;
	case json_error_null_character:
	case json_error_null_byte_in_key:
		what = "字符串中不能含有 \\u0000";
		break;
	case json_error_numeric_overflow:
		what = "数字超出范围";
		break;
	case json_error_invalid_syntax:
	case json_error_invalid_format:
	default:
		what = "JSON 语法错误（检查逗号、引号和括号）";
		break;
	}
	if (c->d != NULL) {
		/* Content after the document belongs to no field. */
		if (json_error_code(je) == json_error_end_of_input_expected)
			c->path[0] = '\0';
		else
			walk_path_at(c->buf, c->len,
			             je->position > 0 ? (size_t)je->position
			                              : 0,
			             c->path, sizeof(c->path));
		c->plen = strlen(c->path);
		if (jx_text_utf8_valid(je->text, strlen(je->text)))
			snprintf(detail, sizeof(detail), "%s", je->text);
		else
			ascii_only(je->text, detail, sizeof(detail));
		jx_diag_set(c->d, err, c->path, "%s（%s）", what, detail);
		c->d->line = je->line > 0 ? je->line : 0;
		c->d->column = je->column > 0 ? je->column : 0;
	}
	return err;
}

/* v as the shortest exact decimal ("131.4"). */
static void
fmt_dec(jx_dec v, char *buf, size_t cap)
{
	jx_dec_format(v, -1, buf, cap);
}

/* A fraction as a percentage ("0.8" -> "80%"). */
static void
fmt_pct(jx_dec v, char *buf, size_t cap)
{
	jx_dec p;
	size_t n;

	if (jx_dec_muldiv(v, jx_dec_from_int(100), JX_DEC_ONE, 6, &p) !=
	    JX_OK) {
		fmt_dec(v, buf, cap);
	} else {
		n = jx_dec_format(p, -1, buf, cap);
		if (n + 1 < cap) {
			buf[n] = '%';
			buf[n + 1] = '\0';
		}
	}
}

/* ------------------------------------------------------------------ */
/* The locator: walks JSON text (already accepted by jansson, or up to a
 * parse error) and knows the field path of every value it passes.        */

static void
walk_ws(struct walk *w)
{
	while (w->pos < w->len &&
	       (w->s[w->pos] == ' ' || w->s[w->pos] == '\t' ||
	        w->s[w->pos] == '\n' || w->s[w->pos] == '\r'))
		w->pos++;
}

/* A key or value starts at `off` with the current path. */
static void
walk_visit(struct walk *w, size_t off)
{
	if (w->want != NULL) {
		if (strcmp(w->path, w->want) == 0) {
			w->found = off;
			w->halt = true;
		}
	} else if (off > w->stop) {
		w->halt = true;
	} else {
		memcpy(w->at, w->path, w->plen + 1);
	}
}

static size_t
walk_push(struct walk *w, const char *seg, bool index)
{
	size_t old = w->plen;

	if (!index && w->plen > 0)
		path_append(w->path, &w->plen, ".", 1);
	path_append(w->path, &w->plen, seg, strlen(seg));
	return old;
}

/* Skip a string at w->pos (on its quote); decode it into out when out is
 * not NULL (truncated to cap, NUL-terminated). */
static bool
walk_string(struct walk *w, char *out, size_t cap)
{
	size_t n = 0, k, len;
	int32_t cp, lo;
	char tmp[4];
	unsigned char ch;
	bool ok = false;

	w->pos++;
	while (w->pos < w->len) {
		ch = (unsigned char)w->s[w->pos];
		if (ch == '"') {
			w->pos++;
			ok = true;
			break;
		}
		len = 1;
		tmp[0] = (char)ch;
		if (ch == '\\') {
			if (++w->pos >= w->len)
				break;
			ch = (unsigned char)w->s[w->pos];
			switch (ch) {
			case 'b':
				tmp[0] = '\b';
				break;
			case 'f':
				tmp[0] = '\f';
				break;
			case 'n':
				tmp[0] = '\n';
				break;
			case 'r':
				tmp[0] = '\r';
				break;
			case 't':
				tmp[0] = '\t';
				break;
			case 'u':
				cp = 0;
				for (k = 0; k < 4; k++) {
					if (++w->pos >= w->len)
						goto done;
					ch = (unsigned char)w->s[w->pos];
					cp <<= 4;
					if (ch >= '0' && ch <= '9')
						cp |= ch - '0';
					else if (ch >= 'a' && ch <= 'f')
						cp |= ch - 'a' + 10;
					else if (ch >= 'A' && ch <= 'F')
						cp |= ch - 'A' + 10;
					else
						goto done;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF &&
				    w->pos + 6 < w->len &&
				    w->s[w->pos + 1] == '\\' &&
				    w->s[w->pos + 2] == 'u') {
					lo = 0;
					for (k = 3; k <= 6; k++) {
						ch = (unsigned char)
						             w->s[w->pos + k];
						lo <<= 4;
						if (ch >= '0' && ch <= '9')
							lo |= ch - '0';
						else if (ch >= 'a' && ch <= 'f')
							lo |= ch - 'a' + 10;
						else if (ch >= 'A' && ch <= 'F')
							lo |= ch - 'A' + 10;
						else
							lo = -1;
						if (lo < 0)
							break;
					}
					if (lo >= 0xDC00 && lo <= 0xDFFF) {
						cp = 0x10000 +
						     ((cp - 0xD800) << 10) +
						     (lo - 0xDC00);
						w->pos += 6;
					}
				}
				len = jx_text_utf8_put(cp, tmp);
				break;
			default:
				tmp[0] = (char)ch;
				break;
			}
		}
		w->pos++;
		if (out != NULL && n + len < cap) {
			memcpy(out + n, tmp, len);
			n += len;
		}
	}
done:
	if (out != NULL && cap > 0)
		out[n] = '\0';
	return ok;
}

static bool
walk_value(struct walk *w, int depth)
{
	size_t start;
	bool ok = false;

	walk_ws(w);
	if (w->pos >= w->len)
		goto done;
	walk_visit(w, w->pos);
	if (w->halt)
		goto done;
	switch (w->s[w->pos]) {
	case '{':
		ok = walk_object(w, depth + 1);
		break;
	case '[':
		ok = walk_array(w, depth + 1);
		break;
	case '"':
		ok = walk_string(w, NULL, 0);
		break;
	default:
		start = w->pos;
		while (w->pos < w->len &&
		       ((w->s[w->pos] >= '0' && w->s[w->pos] <= '9') ||
		        (w->s[w->pos] >= 'a' && w->s[w->pos] <= 'z') ||
		        (w->s[w->pos] >= 'A' && w->s[w->pos] <= 'Z') ||
		        w->s[w->pos] == '+' || w->s[w->pos] == '-' ||
		        w->s[w->pos] == '.'))
			w->pos++;
		ok = w->pos > start;
		break;
	}
done:
	return ok;
}

static bool
walk_object(struct walk *w, int depth)
{
	char key[PATH_CAP];
	size_t old, keyoff;
	bool ok = false;

	if (depth > WALK_DEPTH)
		goto done;
	w->pos++;
	walk_ws(w);
	if (w->pos < w->len && w->s[w->pos] == '}') {
		w->pos++;
		ok = true;
		goto done;
	}
	for (;;) {
		walk_ws(w);
		if (w->pos >= w->len || w->s[w->pos] != '"')
			break;
		keyoff = w->pos;
		if (!walk_string(w, key, sizeof(key)))
			break;
		old = walk_push(w, key, false);
		if (w->want == NULL)
			walk_visit(w, keyoff);
		walk_ws(w);
		if (w->halt || w->pos >= w->len || w->s[w->pos] != ':') {
			w->plen = old;
			w->path[old] = '\0';
			break;
		}
		w->pos++;
		ok = walk_value(w, depth);
		w->plen = old;
		w->path[old] = '\0';
		if (!ok)
			break;
		ok = false;
		walk_ws(w);
		if (w->pos < w->len && w->s[w->pos] == ',') {
			w->pos++;
			continue;
		}
		if (w->pos < w->len && w->s[w->pos] == '}') {
			w->pos++;
			ok = true;
		}
		break;
	}
done:
	return ok;
}

static bool
walk_array(struct walk *w, int depth)
{
	char seg[32];
	size_t i, old;
	bool ok = false;

	if (depth > WALK_DEPTH)
		goto done;
	w->pos++;
	walk_ws(w);
	if (w->pos < w->len && w->s[w->pos] == ']') {
		w->pos++;
		ok = true;
		goto done;
	}
	for (i = 0;; i++) {
		snprintf(seg, sizeof(seg), "[%zu]", i);
		old = walk_push(w, seg, true);
		ok = walk_value(w, depth);
		w->plen = old;
		w->path[old] = '\0';
		if (!ok)
			break;
		ok = false;
		walk_ws(w);
		if (w->pos < w->len && w->s[w->pos] == ',') {
			w->pos++;
			continue;
		}
		if (w->pos < w->len && w->s[w->pos] == ']') {
			w->pos++;
			ok = true;
		}
		break;
	}
done:
	return ok;
}

/* Offset of the value at path `want` in s, or SIZE_MAX. */
static size_t
walk_find(const char *s, size_t len, const char *want)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.len = len;
	w.want = want;
	w.found = SIZE_MAX;
	if (s != NULL)
		walk_value(&w, 0);
	return w.found;
}

/* The path of the innermost key or value that starts at or before `stop`. */
static void
walk_path_at(const char *s, size_t len, size_t stop, char *out, size_t cap)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.len = len;
	w.stop = stop;
	if (s != NULL)
		walk_value(&w, 0);
	/* Up to a parse error the text may hold undecodable bytes. */
	if (jx_text_utf8_valid(w.at, strlen(w.at)))
		snprintf(out, cap, "%s", w.at);
	else
		ascii_only(w.at, out, cap);
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */

/* Every key of obj must be one of keys[]. */
static enum jx_err
check_keys(struct ctx *c, json_t *obj, const char *const *keys, size_t nkeys)
{
	char list[MSG_CAP];
	const char *key;
	json_t *v;
	size_t i, n = 0;
	enum jx_err err = JX_OK;

	json_object_foreach(obj, key, v)
	{
		(void)v;
		for (i = 0; i < nkeys; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i < nkeys)
			continue;
		list[0] = '\0';
		for (i = 0; i < nkeys && n < sizeof(list); i++) {
			int k = snprintf(list + n, sizeof(list) - n, "%s%s",
			                 i > 0 ? "、" : "", keys[i]);
			if (k > 0)
				n += (size_t)k;
		}
		err = fail_key(c, key, JX_EINVAL,
		               "未知的键“%s”（拼写错误？此处可用的键：%s）",
		               key, list);
		break;
	}
	return err;
}

/* obj[key] into *out (NULL when absent); absent and required is an error. */
static enum jx_err
member(struct ctx *c, json_t *obj, const char *key, bool required, json_t **out)
{
	enum jx_err err = JX_OK;

	*out = json_object_get(obj, key);
	if (*out == NULL && required)
		err = fail_key(c, key, JX_EINVAL, "缺少必填项“%s”", key);
	return err;
}

/* A string, trimmed, copied into the rule set's arena. */
static enum jx_err
val_text(struct ctx *c, json_t *v, unsigned flags, const char **out)
{
	const char *s;
	size_t len, i;
	size_t cap = (flags & TEXT_NAME) ? NAME_CAP : JX_MAX_TEXT;
	char *copy;
	enum jx_err err = JX_OK;

	if (!json_is_string(v)) {
		err = fail(c, JX_EINVAL, "应为带引号的文字");
		goto done;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	jx_text_trim(&s, &len);
	if (len > cap) {
		err = fail(c, JX_ETOOBIG, "文字过长（最多 %zu 字节）", cap);
		goto done;
	}
	if (len == 0 && (flags & TEXT_NONEMPTY)) {
		err = fail(c, JX_EINVAL, "不能为空");
		goto done;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 || ch == 0x7F) &&
		    !((flags & TEXT_MULTILINE) && (ch == '\n' || ch == '\t'))) {
			err = fail(c, JX_EINVAL, "不能含有控制字符（如换行）");
			goto done;
		}
	}
	copy = jx_arena_strndup(&c->r->arena, s, len);
	if (copy == NULL) {
		err = nomem(c);
		goto done;
	}
	*out = copy;
done:
	return err;
}

/* A number, exactly: a JSON integer or a string holding a decimal, or for
 * NUM_RATIO a percentage ("80%" -> 0.8). */
static enum jx_err
val_num(struct ctx *c, json_t *v, enum numkind kind, jx_dec *out)
{
	static const char *const what[] = {[NUM_POINTS] = "分值",
	                                   [NUM_RATIO] = "比例",
	                                   [NUM_PPOINT] = "百分点数",
	                                   [NUM_MONEY] = "金额"};
	char text[NUM_CAP], cl[NUM_CAP];
	const char *s;
	size_t len, n;
	json_int_t i;
	jx_dec x;
	bool pct = false;
	enum jx_err err = JX_OK;

	if (json_is_integer(v)) {
		i = json_integer_value(v);
		if (i > INT_LIMIT || i < -INT_LIMIT) {
			err = fail(c, JX_EINVAL, "数值超出范围");
			goto done;
		}
		*out = jx_dec_from_int((int64_t)i);
		goto done;
	}
	if (json_is_real(v)) {
		err = fail(c, JX_EINVAL,
		           "不接受 JSON 小数 %g：它会按二进制浮点读入，不精确。"
		           "请写成带引号的字符串，如 \"0.5\"%s",
		           json_real_value(v),
		           kind == NUM_RATIO ? " 或 \"80%\"" : "");
		goto done;
	}
	if (!json_is_string(v)) {
		err = fail(
		        c, JX_EINVAL,
		        "应为%s：整数（如 10）或带引号的小数（如 \"0.5\"）%s",
		        what[kind],
		        kind == NUM_RATIO ? "，或百分比（如 \"80%\"）" : "");
		goto done;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	n = len < NUM_CAP ? jx_text_fold(s, len, text, sizeof(text)) : SIZE_MAX;
	if (n == SIZE_MAX || n == 0) {
		err = fail(c, JX_EINVAL, "“%s”不是有效的数字",
		           clip(s, cl, sizeof(cl)));
		goto done;
	}
	if (text[n - 1] == '%') {
		pct = true;
		n--;
		if (kind != NUM_RATIO) {
			err = fail(c, JX_EINVAL,
			           "%s不能写成百分比，请直接写数字%s",
			           what[kind],
			           kind == NUM_PPOINT
			                   ? "（以百分点计，如 \"0.01\"）"
			                   : "");
			goto done;
		}
	}
	err = jx_dec_parse(text, n, &x);
	if (err != JX_OK || (pct && x % 100 != 0)) {
		err = fail(c, JX_EINVAL,
		           "“%s”不是有效的数字（最多 6 位小数%s）",
		           clip(s, cl, sizeof(cl)),
		           pct ? "，百分比最多 4 位" : "");
		goto done;
	}
	if (x > jx_dec_from_int(INT_LIMIT) || x < -jx_dec_from_int(INT_LIMIT)) {
		err = fail(c, JX_EINVAL, "数值超出范围");
		goto done;
	}
	*out = pct ? x / 100 : x;
done:
	return err;
}

/* A string that must be one of tab[]. */
static enum jx_err
val_enum(struct ctx *c, json_t *v, const struct enumname *tab, size_t n,
         int *out)
{
	char list[MSG_CAP];
	size_t i, used = 0;
	enum jx_err err = JX_OK;

	if (json_is_string(v)) {
		for (i = 0; i < n; i++) {
			if (strcmp(json_string_value(v), tab[i].name) == 0) {
				*out = tab[i].val;
				goto done;
			}
		}
	}
	list[0] = '\0';
	for (i = 0; i < n && used < sizeof(list); i++) {
		int k = snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
		                 i > 0 ? "、" : "", tab[i].name);
		if (k > 0)
			used += (size_t)k;
	}
	err = fail(c, JX_EINVAL, "应为 %s 之一", list);
done:
	return err;
}

static enum jx_err
get_object(struct ctx *c, json_t *obj, const char *key, bool required,
           json_t **out)
{
	enum jx_err err = member(c, obj, key, required, out);

	if (err == JX_OK && *out != NULL && !json_is_object(*out))
		err = fail_key(c, key, JX_EINVAL, "应为对象 {…}");
	return err;
}

static enum jx_err
get_array(struct ctx *c, json_t *obj, const char *key, bool required,
          json_t **out)
{
	enum jx_err err = member(c, obj, key, required, out);

	if (err != JX_OK || *out == NULL)
		goto done;
	if (!json_is_array(*out))
		err = fail_key(c, key, JX_EINVAL, "应为数组 […]");
	else if (json_array_size(*out) > JX_MAX_RULE_ITEMS)
		err = fail_key(c, key, JX_ETOOBIG, "条目过多（最多 %d 条）",
		               JX_MAX_RULE_ITEMS);
done:
	return err;
}

static enum jx_err
get_text(struct ctx *c, json_t *obj, const char *key, bool required,
         unsigned flags, const char **out)
{
	json_t *v;
	size_t old;
	enum jx_err err = member(c, obj, key, required, &v);

	if (err != JX_OK || v == NULL)
		goto done;
	old = push_key(c, key);
	err = val_text(c, v, flags, out);
	pop(c, old);
done:
	return err;
}

static enum jx_err
get_bool(struct ctx *c, json_t *obj, const char *key, bool required, bool *out)
{
	json_t *v;
	enum jx_err err = member(c, obj, key, required, &v);

	if (err != JX_OK || v == NULL)
		goto done;
	if (!json_is_boolean(v))
		err = fail_key(c, key, JX_EINVAL, "应为 true 或 false");
	else
		*out = json_is_true(v);
done:
	return err;
}

/* A required JSON integer in [lo, hi]. */
static enum jx_err
get_int(struct ctx *c, json_t *obj, const char *key, int lo, int hi, int *out)
{
	json_t *v;
	json_int_t i;
	enum jx_err err = member(c, obj, key, true, &v);

	if (err != JX_OK)
		goto done;
	if (!json_is_integer(v)) {
		err = fail_key(c, key, JX_EINVAL, "应为整数（不带引号）");
		goto done;
	}
	i = json_integer_value(v);
	if (i < lo || i > hi) {
		err = fail_key(c, key, JX_EINVAL,
		               "应在 %d 到 %d 之间，实为 %lld", lo, hi,
		               (long long)i);
		goto done;
	}
	*out = (int)i;
done:
	return err;
}

static enum jx_err
get_num(struct ctx *c, json_t *obj, const char *key, bool required,
        enum numkind kind, jx_dec *out, bool *present)
{
	json_t *v;
	size_t old;
	enum jx_err err = member(c, obj, key, required, &v);

	if (present != NULL)
		*present = false;
	if (err != JX_OK || v == NULL)
		goto done;
	old = push_key(c, key);
	err = val_num(c, v, kind, out);
	pop(c, old);
	if (err == JX_OK && present != NULL)
		*present = true;
done:
	return err;
}

static enum jx_err
get_enum(struct ctx *c, json_t *obj, const char *key, bool required,
         const struct enumname *tab, size_t n, int *out)
{
	json_t *v;
	size_t old;
	enum jx_err err = member(c, obj, key, required, &v);

	if (err != JX_OK || v == NULL)
		goto done;
	old = push_key(c, key);
	err = val_enum(c, v, tab, n, out);
	pop(c, old);
done:
	return err;
}

/* An optional array of names ("aliases"). */
static enum jx_err
get_names(struct ctx *c, json_t *obj, const char *key, const char ***out,
          size_t *n)
{
	json_t *arr;
	size_t i, old, old2;
	const char **names;
	enum jx_err err = get_array(c, obj, key, false, &arr);

	*out = NULL;
	*n = 0;
	if (err != JX_OK || arr == NULL || json_array_size(arr) == 0)
		goto done;
	names = jx_arena_calloc(&c->r->arena, json_array_size(arr),
	                        sizeof(*names));
	if (names == NULL) {
		err = nomem(c);
		goto done;
	}
	old = push_key(c, key);
	for (i = 0; i < json_array_size(arr) && err == JX_OK; i++) {
		old2 = push_index(c, i);
		err = val_text(c, json_array_get(arr, i),
		               TEXT_NONEMPTY | TEXT_NAME, &names[i]);
		pop(c, old2);
	}
	pop(c, old);
	if (err == JX_OK) {
		*out = names;
		*n = json_array_size(arr);
	}
done:
	return err;
}

/* v must lie within lo..hi (each edge inclusive or not); `ratio` shows the
 * range as percentages. */
static enum jx_err
check_range(struct ctx *c, const char *key, jx_dec v, jx_dec lo, bool lo_incl,
            jx_dec hi, bool hi_incl, bool ratio)
{
	char a[48], b[48], x[48];
	int lc = jx_dec_cmp(v, lo), hc = jx_dec_cmp(v, hi);
	enum jx_err err = JX_OK;

	if ((lc > 0 || (lc == 0 && lo_incl)) &&
	    (hc < 0 || (hc == 0 && hi_incl)))
		goto done;
	if (ratio) {
		fmt_pct(lo, a, sizeof(a));
		fmt_pct(hi, b, sizeof(b));
		fmt_pct(v, x, sizeof(x));
	} else {
		fmt_dec(lo, a, sizeof(a));
		fmt_dec(hi, b, sizeof(b));
		fmt_dec(v, x, sizeof(x));
	}
	err = fail_key(c, key, JX_EINVAL, "应在 %s%s 到 %s%s 之间，实为 %s", a,
	               lo_incl ? "（含）" : "（不含）", b,
	               hi_incl ? "（含）" : "（不含）", x);
done:
	return err;
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

/* The comparison key of a name: full-width folded, spaces removed and, when
 * `strip`, a trailing "指标" dropped ("产出 指标" -> "产出"). Returns its
 * length, or SIZE_MAX when it does not fit or is not UTF-8. */
static size_t
fold_key(const char *s, size_t len, bool strip, char *out, size_t cap)
{
	size_t n = jx_text_fold(s, len, out, cap);
	size_t sl = sizeof(SUFFIX) - 1;

	if (n != SIZE_MAX && strip && n > sl &&
	    memcmp(out + n - sl, SUFFIX, sl) == 0) {
		n -= sl;
		out[n] = '\0';
	}
	return n;
}

static int
namekey_cmp(const void *a, const void *b)
{
	const struct namekey *x = a, *y = b;
	int k = strcmp(x->key, y->key);

	if (k == 0)
		k = (x->owner > y->owner) - (x->owner < y->owner);
	if (k == 0)
		k = (x->alias > y->alias) - (x->alias < y->alias);
	return k;
}

/* Append the key of `name` to k[*n]. An error names the entry's path
 * (list[owner].name or list[owner].aliases[alias]) when list is not NULL. */
static enum jx_err
add_key(struct ctx *c, const char *list, struct namekey *k, size_t *n,
        const char *name, bool strip, size_t owner, size_t alias)
{
	char buf[NAME_CAP * 2 + 1], cl[NUM_CAP];
	size_t len = fold_key(name, strlen(name), strip, buf, sizeof(buf));
	size_t old = c->plen;
	enum jx_err err = JX_OK;

	if (list != NULL) {
		push_key(c, list);
		push_index(c, owner);
		if (alias == SIZE_MAX) {
			push_key(c, "name");
		} else {
			push_key(c, "aliases");
			push_index(c, alias);
		}
	}
	if (len == SIZE_MAX) {
		err = fail(c, JX_EINVAL, "名称“%s”无法规范化",
		           clip(name, cl, sizeof(cl)));
		goto done;
	}
	if (len == 0) {
		/* Only spaces that trimming keeps (zero-width, NBSP...). */
		err = fail(c, JX_EINVAL, "名称不能为空或只有空白");
		goto done;
	}
	k[*n].key = jx_arena_strndup(&c->r->arena, buf, len);
	if (k[*n].key == NULL) {
		err = nomem(c);
		goto done;
	}
	k[*n].owner = owner;
	k[*n].alias = alias;
	(*n)++;
done:
	pop(c, old);
	return err;
}

/* No two entries of `list` may share a name or alias. A name repeated
 * within one entry is harmless and allowed. */
static enum jx_err
check_unique(struct ctx *c, const char *list, struct namekey *k, size_t n,
             const char *what)
{
	char first[PATH_CAP];
	size_t i, run = 0, old;
	enum jx_err err = JX_OK;

	if (n < 2)
		goto done;
	qsort(k, n, sizeof(*k), namekey_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(k[i].key, k[run].key) != 0) {
			run = i;
			continue;
		}
		if (k[i].owner == k[run].owner)
			continue;
		snprintf(first, sizeof(first), "%s[%zu]", list, k[run].owner);
		old = push_key(c, list);
		push_index(c, k[i].owner);
		if (k[i].alias == SIZE_MAX) {
			push_key(c, "name");
		} else {
			push_key(c, "aliases");
			push_index(c, k[i].alias);
		}
		err = fail(c, JX_EINVAL,
		           "%s“%s”与 %s "
		           "重复（比较时忽略空格、全角和末尾的“指标”）",
		           what, k[i].key, first);
		pop(c, old);
		break;
	}
done:
	return err;
}

/* True when `name` folds to the folded query `key`. */
/* The folded lookup key of a name, in the rule set's arena. Lookups then
 * fold only the name asked for, once, and compare with strcmp. */
static const char *
fold_dup(struct jx_arena *a, const char *name, bool strip)
{
	char buf[NAME_CAP * 2 + 1];
	size_t n = fold_key(name, strlen(name), strip, buf, sizeof(buf));

	if (n == SIZE_MAX)
		n = 0; /* validated at load: cannot happen */
	return jx_arena_strndup(a, buf, n);
}

static const char **
fold_all(struct jx_arena *a, const char **names, size_t n, bool strip)
{
	const char **keys = jx_arena_calloc(a, n != 0 ? n : 1, sizeof(*keys));
	size_t i;

	for (i = 0; keys != NULL && i < n; i++)
		if ((keys[i] = fold_dup(a, names[i], strip)) == NULL)
			return NULL;
	return keys;
}

/* Does `key` (folded) name the entry whose folded key is `stored`? While
 * the rule set is still being loaded, keys are not made yet: fold `raw`. */
static bool
key_eq(const char *stored, const char *raw, bool strip, const char *key)
{
	char buf[NAME_CAP * 2 + 1];
	size_t n;

	if (stored != NULL)
		return strcmp(stored, key) == 0;
	n = fold_key(raw, strlen(raw), strip, buf, sizeof(buf));
	return n != SIZE_MAX && strcmp(buf, key) == 0;
}

static enum jx_err
make_keys(struct jx_rules *t)
{
	size_t i;

	for (i = 0; i < t->nlevel1; i++) {
		struct jx_rules_level1 *l = &t->level1[i];

		l->key = fold_dup(&t->arena, l->name, true);
		l->alias_keys =
		        fold_all(&t->arena, l->aliases, l->naliases, true);
		if (l->key == NULL || l->alias_keys == NULL)
			return JX_ENOMEM;
	}
	for (i = 0; i < t->quant.nbare_by_level2; i++) {
		struct jx_rules_level2_cmp *b = &t->quant.bare_by_level2[i];

		if ((b->key = fold_dup(&t->arena, b->level2, true)) == NULL)
			return JX_ENOMEM;
	}
	t->monitor.cumulative_keys =
	        fold_all(&t->arena, t->monitor.cumulative_level2,
	                 t->monitor.ncumulative, true);
	if (t->monitor.cumulative_keys == NULL)
		return JX_ENOMEM;
	for (i = 0; i < t->ngrades; i++) {
		struct jx_rules_grade *g = &t->grades[i];

		g->key = fold_dup(&t->arena, g->name, false);
		g->alias_keys =
		        fold_all(&t->arena, g->aliases, g->naliases, false);
		if (g->key == NULL || g->alias_keys == NULL)
			return JX_ENOMEM;
	}
	return JX_OK;
}

/* ------------------------------------------------------------------ */
/* Bands                                                               */

/* The edges of a band written inline in obj: lo, lo_incl, hi, hi_incl
 * (inclusivity defaults: lo included, hi excluded). Ratios. */
static enum jx_err
parse_band(struct ctx *c, json_t *obj, struct jx_band *b)
{
	enum jx_err err;

	memset(b, 0, sizeof(*b));
	b->lo_incl = true;
	b->hi_incl = false;
	if ((err = get_num(c, obj, "lo", false, NUM_RATIO, &b->lo,
	                   &b->has_lo)) != JX_OK ||
	    (err = get_num(c, obj, "hi", false, NUM_RATIO, &b->hi,
	                   &b->has_hi)) != JX_OK ||
	    (err = get_bool(c, obj, "lo_incl", false, &b->lo_incl)) != JX_OK ||
	    (err = get_bool(c, obj, "hi_incl", false, &b->hi_incl)) != JX_OK)
		goto done;
	if (!b->has_lo && json_object_get(obj, "lo_incl") != NULL) {
		err = fail_key(c, "lo_incl", JX_EINVAL,
		               "没有 lo 时不能写 lo_incl");
		goto done;
	}
	if (!b->has_hi && json_object_get(obj, "hi_incl") != NULL) {
		err = fail_key(c, "hi_incl", JX_EINVAL,
		               "没有 hi 时不能写 hi_incl");
		goto done;
	}
	if (!b->has_lo && !b->has_hi) {
		err = fail(c, JX_EINVAL, "区间至少要有 lo 或 hi 之一");
		goto done;
	}
	if (b->has_lo && b->has_hi &&
	    (jx_dec_cmp(b->lo, b->hi) > 0 ||
	     (b->lo == b->hi && !(b->lo_incl && b->hi_incl)))) {
		err = fail_key(c, "hi", JX_EINVAL, "区间为空：hi 必须大于 lo");
		goto done;
	}
done:
	return err;
}

/* True when some number lies in both a and b. */
static bool
bands_overlap(const struct jx_band *a, const struct jx_band *b)
{
	bool has_lo, has_hi, lo_incl = true, hi_incl = true;
	jx_dec lo = 0, hi = 0;

	/* The intersection's lower edge: the higher of the two. */
	has_lo = a->has_lo || b->has_lo;
	if (!b->has_lo || (a->has_lo && a->lo > b->lo)) {
		lo = a->lo;
		lo_incl = a->lo_incl;
	} else if (!a->has_lo || b->lo > a->lo) {
		lo = b->lo;
		lo_incl = b->lo_incl;
	} else {
		lo = a->lo;
		lo_incl = a->lo_incl && b->lo_incl;
	}
	/* Its upper edge: the lower of the two. */
	has_hi = a->has_hi || b->has_hi;
	if (!b->has_hi || (a->has_hi && a->hi < b->hi)) {
		hi = a->hi;
		hi_incl = a->hi_incl;
	} else if (!a->has_hi || b->hi < a->hi) {
		hi = b->hi;
		hi_incl = b->hi_incl;
	} else {
		hi = a->hi;
		hi_incl = a->hi_incl && b->hi_incl;
	}
	/* Each band is non-empty, so an intersection open on one side is
	 * non-empty too. */
	return !has_lo || !has_hi || lo < hi ||
	       (lo == hi && lo_incl && hi_incl);
}

/* For two bands that do not overlap: true when a lies below b. */
static bool
band_below(const struct jx_band *a, const struct jx_band *b)
{
	bool below;

	if (!a->has_lo || !b->has_lo)
		below = !a->has_lo && b->has_lo;
	else if (a->lo != b->lo)
		below = a->lo < b->lo;
	else
		below = a->lo_incl && !b->lo_incl;
	return below;
}

/* "[80%, 100%]" */
static void
band_text(const struct jx_band *b, char *buf, size_t cap)
{
	char lo[48] = "-∞", hi[48] = "+∞";

	if (b->has_lo)
		fmt_pct(b->lo, lo, sizeof(lo));
	if (b->has_hi)
		fmt_pct(b->hi, hi, sizeof(hi));
	snprintf(buf, cap, "%s%s, %s%s", b->has_lo && b->lo_incl ? "[" : "(",
	         lo, hi, b->has_hi && b->hi_incl ? "]" : ")");
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static enum jx_err
parse_root(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"format",
	                                   "meta",
	                                   "rounding",
	                                   "total_weight",
	                                   "level1_weights",
	                                   "level1",
	                                   "satisfaction_fallback",
	                                   "exec",
	                                   "quant",
	                                   "tiers",
	                                   "vocabulary",
	                                   "numeric_tiers",
	                                   "grades",
	                                   "grading_optional",
	                                   "tolerance",
	                                   "deviation_reason",
	                                   "monitoring"};
	struct jx_rules *r = c->r;
	int format = 0, mode = 0;
	enum jx_err err;

	if ((err = check_keys(c, root, keys, NELEM(keys))) != JX_OK ||
	    (err = get_int(c, root, "format", 1, 1000, &format)) != JX_OK)
		goto done;
	if (format != RULES_FORMAT) {
		err = fail_key(c, "format", JX_EINVAL,
		               "不支持的格式版本 %d（本程序读取版本 %d）",
		               format, RULES_FORMAT);
		goto done;
	}
	if ((err = parse_meta(c, root)) != JX_OK ||
	    (err = parse_rounding(c, root)) != JX_OK ||
	    (err = get_num(c, root, "total_weight", true, NUM_POINTS,
	                   &r->total_weight, NULL)) != JX_OK ||
	    (err = check_range(c, "total_weight", r->total_weight, 0, false,
	                       jx_dec_from_int(10000), true, false)) != JX_OK ||
	    (err = get_enum(c, root, "level1_weights", false, l1mode_names,
	                    NELEM(l1mode_names), &mode)) != JX_OK)
		goto done;
	r->level1_free = mode == 1;
	if ((err = parse_level1(c, root)) != JX_OK ||
	    (err = parse_fallback(c, root)) != JX_OK ||
	    (err = parse_exec(c, root)) != JX_OK ||
	    (err = check_weights(c)) != JX_OK ||
	    (err = parse_quant(c, root)) != JX_OK ||
	    (err = parse_tiers(c, root)) != JX_OK ||
	    (err = parse_vocabulary(c, root)) != JX_OK ||
	    (err = parse_numeric_tiers(c, root)) != JX_OK ||
	    (err = parse_grades(c, root)) != JX_OK ||
	    (err = get_bool(c, root, "grading_optional", false,
	                    &r->grading_optional)) != JX_OK ||
	    (err = parse_tolerance(c, root)) != JX_OK ||
	    (err = parse_reason(c, root)) != JX_OK ||
	    (err = parse_monitor(c, root)) != JX_OK)
		goto done;
done:
	return err;
}

static enum jx_err
parse_meta(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"title", "region", "description",
	                                   "basis"};
	struct jx_rules *r = c->r;
	json_t *meta;
	size_t old = c->plen;
	enum jx_err err;

	if ((err = get_object(c, root, "meta", true, &meta)) != JX_OK)
		goto done;
	r->description = "";
	r->basis = "";
	push_key(c, "meta");
	if ((err = check_keys(c, meta, keys, NELEM(keys))) != JX_OK ||
	    (err = get_text(c, meta, "title", true, TEXT_NONEMPTY,
	                    &r->title)) != JX_OK ||
	    (err = get_text(c, meta, "region", true, TEXT_NONEMPTY | TEXT_NAME,
	                    &r->region)) != JX_OK ||
	    (err = get_text(c, meta, "description", false, TEXT_MULTILINE,
	                    &r->description)) != JX_OK ||
	    (err = get_text(c, meta, "basis", false, TEXT_MULTILINE,
	                    &r->basis)) != JX_OK)
		goto done;
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_rounding(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"places", "total_places"};
	json_t *obj;
	size_t old = c->plen;
	enum jx_err err;

	if ((err = get_object(c, root, "rounding", true, &obj)) != JX_OK)
		goto done;
	push_key(c, "rounding");
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK ||
	    (err = get_int(c, obj, "places", 0, JX_DEC_PLACES,
	                   &c->r->places)) != JX_OK ||
	    (err = get_int(c, obj, "total_places", 0, JX_DEC_PLACES,
	                   &c->r->total_places)) != JX_OK)
		goto done;
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_level1(struct ctx *c, json_t *root)
{
	struct jx_rules *r = c->r;
	struct namekey *keys;
	json_t *arr;
	size_t i, j, n, nkeys = 0, nnames = 0, old = c->plen, old2;
	enum jx_err err;

	if ((err = get_array(c, root, "level1", true, &arr)) != JX_OK)
		goto done;
	n = json_array_size(arr);
	if (n == 0) {
		err = fail_key(c, "level1", JX_EINVAL, "至少要有一个一级指标");
		goto done;
	}
	r->level1 = jx_arena_calloc(&r->arena, n, sizeof(*r->level1));
	if (r->level1 == NULL) {
		err = nomem(c);
		goto done;
	}
	push_key(c, "level1");
	for (i = 0; i < n; i++) {
		old2 = push_index(c, i);
		err = parse_level1_entry(c, json_array_get(arr, i),
		                         &r->level1[i]);
		if (err != JX_OK)
			goto done;
		/* Each standard kind at most once: score and audit look
		 * "the" output or satisfaction entry up by kind. */
		for (j = 0; j < i; j++) {
			if (r->level1[i].kind != JX_L1_OTHER &&
			    r->level1[j].kind == r->level1[i].kind) {
				err = fail_key(c, "kind", JX_EINVAL,
				               "与 level1[%zu] 的类别相同（除 "
				               "other 外每种类别只能出现一次）",
				               j);
				goto done;
			}
		}
		pop(c, old2);
		r->nlevel1 = i + 1;
		nnames += 1 + r->level1[i].naliases;
	}
	pop(c, old);
	keys = jx_arena_calloc(&r->arena, nnames, sizeof(*keys));
	if (keys == NULL) {
		err = nomem(c);
		goto done;
	}
	for (i = 0; i < n && err == JX_OK; i++) {
		err = add_key(c, "level1", keys, &nkeys, r->level1[i].name,
		              true, i, SIZE_MAX);
		for (j = 0; j < r->level1[i].naliases && err == JX_OK; j++)
			err = add_key(c, "level1", keys, &nkeys,
			              r->level1[i].aliases[j], true, i, j);
	}
	if (err == JX_OK)
		err = check_unique(c, "level1", keys, nkeys, "一级指标名称");
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_level1_entry(struct ctx *c, json_t *e, struct jx_rules_level1 *l)
{
	static const char *const keys[] = {"name", "aliases", "weight", "kind"};
	int kind = 0;
	bool has_weight = false;
	enum jx_err err = JX_OK;

	if (!json_is_object(e)) {
		err = fail(c, JX_EINVAL,
		           "应为对象 {\"name\": …, \"weight\": …}");
		goto done;
	}
	if ((err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
	    (err = get_text(c, e, "name", true, TEXT_NONEMPTY | TEXT_NAME,
	                    &l->name)) != JX_OK ||
	    (err = get_names(c, e, "aliases", &l->aliases, &l->naliases)) !=
	            JX_OK ||
	    (err = get_enum(c, e, "kind", true, kind_names, NELEM(kind_names),
	                    &kind)) != JX_OK ||
	    (err = get_num(c, e, "weight", !c->r->level1_free, NUM_POINTS,
	                   &l->weight, &has_weight)) != JX_OK)
		goto done;
	l->kind = (enum jx_l1_kind)kind;
	if (c->r->level1_free && has_weight) {
		err = fail_key(
		        c, "weight", JX_EINVAL,
		        "level1_weights 为 \"free\" 时一级指标不设固定权重，"
		        "请删去 weight");
		goto done;
	}
	if (has_weight && l->weight <= 0)
		err = fail_key(c, "weight", JX_EINVAL, "权重必须大于 0");
	else if (has_weight)
		err = check_range(c, "weight", l->weight, 0, false,
		                  c->r->total_weight, true, false);
done:
	return err;
}

/* satisfaction_fallback: the level-1 entry that takes the satisfaction
 * entry's points when a document has no satisfaction indicator. */
static enum jx_err
parse_fallback(struct ctx *c, json_t *root)
{
	struct jx_rules *r = c->r;
	const struct jx_rules_level1 *l;
	const char *name = NULL;
	json_t *v;
	size_t i;
	bool has_sat = false;
	enum jx_err err = member(c, root, "satisfaction_fallback", false, &v);

	r->satisfaction_fallback = NULL;
	if (err != JX_OK || v == NULL || json_is_null(v))
		goto done;
	if ((err = get_text(c, root, "satisfaction_fallback", true,
	                    TEXT_NONEMPTY | TEXT_NAME, &name)) != JX_OK)
		goto done;
	if (r->level1_free) {
		err = fail_key(
		        c, "satisfaction_fallback", JX_EINVAL,
		        "level1_weights 为 \"free\" 时没有固定权重可以转移，"
		        "请设为 null");
		goto done;
	}
	for (i = 0; i < r->nlevel1; i++)
		has_sat = has_sat || r->level1[i].kind == JX_L1_SATISFACTION;
	l = jx_rules_level1_find(r, name);
	if (l == NULL) {
		err = fail_key(c, "satisfaction_fallback", JX_EINVAL,
		               "“%s”不是 level1 中的一级指标", name);
		goto done;
	}
	if (!has_sat || l->kind == JX_L1_SATISFACTION) {
		err = fail_key(c, "satisfaction_fallback", JX_EINVAL,
		               "须指向满意度以外的一级指标，且 level1 中须有 "
		               "kind 为 \"satisfaction\" 的一级指标");
		goto done;
	}
	r->satisfaction_fallback = l->name;
done:
	return err;
}

static enum jx_err
parse_exec(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {
	        "weight",  "method",        "base",       "bands",
	        "full_at", "pct_per_point", "zero_below", "reason_below"};
	static const char *const thr[] = {"full_at", "pct_per_point",
	                                  "zero_below"};
	struct jx_rules *r = c->r;
	json_t *exec;
	int method = 0, base = 0;
	size_t i, old = c->plen;
	enum jx_err err;

	if ((err = get_object(c, root, "exec", true, &exec)) != JX_OK)
		goto done;
	push_key(c, "exec");
	if ((err = check_keys(c, exec, keys, NELEM(keys))) != JX_OK ||
	    (err = get_num(c, exec, "weight", true, NUM_POINTS, &r->exec.weight,
	                   NULL)) != JX_OK ||
	    (err = check_range(c, "weight", r->exec.weight, 0, true,
	                       r->total_weight, false, false)) != JX_OK ||
	    (err = get_enum(c, exec, "method", true, method_names,
	                    NELEM(method_names), &method)) != JX_OK ||
	    (err = get_enum(c, exec, "base", true, base_names,
	                    NELEM(base_names), &base)) != JX_OK ||
	    (err = get_num(c, exec, "reason_below", false, NUM_RATIO,
	                   &r->exec.reason_below, NULL)) != JX_OK ||
	    (err = check_range(c, "reason_below", r->exec.reason_below, 0, true,
	                       JX_DEC_ONE, true, true)) != JX_OK)
		goto done;
	r->exec.method = (enum jx_exec_method)method;
	r->exec.base = (enum jx_exec_base)base;

	/* Parameters of one method may not appear under another: a setting
	 * that would be ignored is a mistake the author should see. */
	if (method != JX_EXEC_BANDS && json_object_get(exec, "bands") != NULL) {
		err = fail_key(c, "bands", JX_EINVAL,
		               "只有 method 为 \"bands\" 时才能写 bands");
		goto done;
	}
	for (i = 0; i < NELEM(thr) && method != JX_EXEC_THRESHOLD_PCT; i++) {
		if (json_object_get(exec, thr[i]) != NULL) {
			err = fail_key(
			        c, thr[i], JX_EINVAL,
			        "只有 method 为 \"threshold_pct\" 时才能写 %s",
			        thr[i]);
			goto done;
		}
	}
	if (method == JX_EXEC_BANDS) {
		err = parse_exec_bands(c, exec);
	} else if (method == JX_EXEC_THRESHOLD_PCT) {
		if ((err = get_num(c, exec, "full_at", true, NUM_RATIO,
		                   &r->exec.full_at, NULL)) != JX_OK ||
		    (err = check_range(c, "full_at", r->exec.full_at, 0, false,
		                       JX_DEC_ONE, true, true)) != JX_OK ||
		    (err = get_num(c, exec, "pct_per_point", true, NUM_RATIO,
		                   &r->exec.pct_per_point, NULL)) != JX_OK ||
		    (err = check_range(c, "pct_per_point",
		                       r->exec.pct_per_point, 0, false,
		                       JX_DEC_ONE, true, true)) != JX_OK ||
		    (err = get_num(c, exec, "zero_below", true, NUM_RATIO,
		                   &r->exec.zero_below, NULL)) != JX_OK ||
		    (err = check_range(c, "zero_below", r->exec.zero_below, 0,
		                       true, r->exec.full_at, true, true)) !=
		            JX_OK)
			goto done;
	}
done:
	pop(c, old);
	return err;
}

/* exec.bands: execution rate -> fraction of the weight. */
static enum jx_err
parse_exec_bands(struct ctx *c, json_t *exec)
{
	static const char *const keys[] = {"lo", "lo_incl", "hi", "hi_incl",
	                                   "score"};
	struct jx_rules *r = c->r;
	json_t *arr, *e;
	size_t i, j, n, old = c->plen, old2;
	char a[64], b[64];
	enum jx_err err;

	if ((err = get_array(c, exec, "bands", true, &arr)) != JX_OK)
		goto done;
	n = json_array_size(arr);
	if (n == 0) {
		err = fail_key(c, "bands", JX_EINVAL, "至少要有一个区间");
		goto done;
	}
	r->exec.bands = jx_arena_calloc(&r->arena, n, sizeof(*r->exec.bands));
	if (r->exec.bands == NULL) {
		err = nomem(c);
		goto done;
	}
	push_key(c, "bands");
	for (i = 0; i < n; i++) {
		struct jx_band *bd = &r->exec.bands[i];

		old2 = push_index(c, i);
		e = json_array_get(arr, i);
		if (!json_is_object(e)) {
			err = fail(c, JX_EINVAL,
			           "应为对象 {\"lo\": …, \"hi\": …, \"score\": "
			           "…}");
			goto done;
		}
		if ((err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
		    (err = parse_band(c, e, bd)) != JX_OK ||
		    (err = get_num(c, e, "score", true, NUM_RATIO, &bd->value,
		                   NULL)) != JX_OK ||
		    (err = check_range(c, "score", bd->value, 0, true,
		                       JX_DEC_ONE, true, true)) != JX_OK)
			goto done;
		if ((bd->has_lo && bd->lo < 0) ||
		    (bd->has_hi && bd->hi > jx_dec_from_int(10))) {
			err = fail(c, JX_EINVAL,
			           "执行率区间应在 0 到 1000%% 之间");
			goto done;
		}
		for (j = 0; j < i; j++) {
			if (bands_overlap(&r->exec.bands[j], bd)) {
				band_text(bd, a, sizeof(a));
				band_text(&r->exec.bands[j], b, sizeof(b));
				err = fail(
				        c, JX_EINVAL,
				        "区间 %s 与 exec.bands[%zu] 的 %s 重叠",
				        a, j, b);
				goto done;
			}
		}
		pop(c, old2);
		r->exec.nbands = i + 1;
	}
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_quant(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {
	        "reverse",    "bare_default", "bare_by_level2",
	        "over_ratio", "over_penalty", "over_penalty_rate",
	        "large_over", "large_under"};
	struct jx_rules *r = c->r;
	json_t *q;
	int reverse = 0, bare = 0, pen = JX_OVER_NONE;
	bool has_rate = false;
	size_t old = c->plen;
	enum jx_err err;

	if ((err = get_object(c, root, "quant", true, &q)) != JX_OK)
		goto done;
	push_key(c, "quant");
	if ((err = check_keys(c, q, keys, NELEM(keys))) != JX_OK ||
	    (err = get_enum(c, q, "reverse", true, reverse_names,
	                    NELEM(reverse_names), &reverse)) != JX_OK ||
	    (err = get_enum(c, q, "bare_default", true, cmp_names,
	                    NELEM(cmp_names), &bare)) != JX_OK ||
	    (err = parse_bare_map(c, q)) != JX_OK ||
	    (err = get_num(c, q, "over_ratio", false, NUM_RATIO,
	                   &r->quant.over_ratio, NULL)) != JX_OK ||
	    (err = get_enum(c, q, "over_penalty", false, penalty_names,
	                    NELEM(penalty_names), &pen)) != JX_OK ||
	    (err = get_num(c, q, "over_penalty_rate", false, NUM_RATIO,
	                   &r->quant.over_penalty_rate, &has_rate)) != JX_OK ||
	    (err = get_num(c, q, "large_over", false, NUM_RATIO,
	                   &r->quant.large_over, NULL)) != JX_OK ||
	    (err = get_num(c, q, "large_under", false, NUM_RATIO,
	                   &r->quant.large_under, NULL)) != JX_OK)
		goto done;
	r->quant.reverse = (enum jx_reverse_rule)reverse;
	r->quant.bare_default = (enum jx_cmp)bare;
	r->quant.over_penalty = (enum jx_over_penalty)pen;
	/* Ratios to the target: 0 switches the check off, anything else must
	 * mean "above the target" (over) or "below it" (under). */
	if (r->quant.over_ratio != 0 &&
	    (err = check_range(c, "over_ratio", r->quant.over_ratio, JX_DEC_ONE,
	                       false, jx_dec_from_int(10), true, true)) !=
	            JX_OK)
		goto done;
	if (r->quant.large_over != 0 &&
	    (err = check_range(c, "large_over", r->quant.large_over, JX_DEC_ONE,
	                       false, jx_dec_from_int(100), true, true)) !=
	            JX_OK)
		goto done;
	if ((err = check_range(c, "large_under", r->quant.large_under, 0, true,
	                       JX_DEC_ONE, false, true)) != JX_OK)
		goto done;
	if (pen == JX_OVER_LINEAR) {
		if (!has_rate) {
			err = fail_key(c, "over_penalty_rate", JX_EINVAL,
			               "over_penalty 为 \"linear\" 时必须写 "
			               "over_penalty_rate");
			goto done;
		}
		if ((err = check_range(c, "over_penalty_rate",
		                       r->quant.over_penalty_rate, 0, false,
		                       jx_dec_from_int(10), true, true)) !=
		    JX_OK)
			goto done;
		if (r->quant.over_ratio == 0) {
			err = fail_key(
			        c, "over_ratio", JX_EINVAL,
			        "over_penalty 为 \"linear\" 时 over_ratio "
			        "不能为 0（从哪里开始扣分？）");
			goto done;
		}
	} else if (has_rate) {
		err = fail_key(c, "over_penalty_rate", JX_EINVAL,
		               "over_penalty 为 \"none\" 时不能写 "
		               "over_penalty_rate");
		goto done;
	}
done:
	pop(c, old);
	return err;
}

/* quant.bare_by_level2: {"成本指标": "le", ...} */
static enum jx_err
parse_bare_map(struct ctx *c, json_t *quant)
{
	struct jx_rules *r = c->r;
	struct namekey *keys;
	char buf[NAME_CAP + 1];
	const char *key;
	json_t *obj, *v;
	size_t i = 0, n, len, nkeys = 0, old = c->plen, old2;
	int cmp = 0;
	enum jx_err err;

	if ((err = get_object(c, quant, "bare_by_level2", false, &obj)) !=
	            JX_OK ||
	    obj == NULL)
		goto done;
	n = json_object_size(obj);
	if (n > JX_MAX_RULE_ITEMS) {
		err = fail_key(c, "bare_by_level2", JX_ETOOBIG,
		               "条目过多（最多 %d 条）", JX_MAX_RULE_ITEMS);
		goto done;
	}
	if (n == 0)
		goto done;
	r->quant.bare_by_level2 =
	        jx_arena_calloc(&r->arena, n, sizeof(*r->quant.bare_by_level2));
	keys = jx_arena_calloc(&r->arena, n, sizeof(*keys));
	if (r->quant.bare_by_level2 == NULL || keys == NULL) {
		err = nomem(c);
		goto done;
	}
	push_key(c, "bare_by_level2");
	json_object_foreach(obj, key, v)
	{
		old2 = push_key(c, key);
		len = strlen(key);
		len = len <= NAME_CAP ? jx_text_fold(key, len, buf, sizeof(buf))
		                      : SIZE_MAX;
		if (len == SIZE_MAX || len == 0) {
			err = fail(c, JX_EINVAL,
			           "二级指标名称不能为空，也不能超过 %d 字节",
			           NAME_CAP);
			goto done;
		}
		if ((err = val_enum(c, v, cmp_names, NELEM(cmp_names), &cmp)) !=
		    JX_OK)
			goto done;
		r->quant.bare_by_level2[i].level2 =
		        jx_arena_strndup(&r->arena, buf, len);
		if (r->quant.bare_by_level2[i].level2 == NULL) {
			err = nomem(c);
			goto done;
		}
		r->quant.bare_by_level2[i].cmp = (enum jx_cmp)cmp;
		pop(c, old2);
		if ((err = add_key(c, NULL, keys, &nkeys, buf, true, i,
		                   SIZE_MAX)) != JX_OK)
			goto done;
		i++;
	}
	r->quant.nbare_by_level2 = i;
	/* Two keys that fold to one name: report at the map itself. */
	if (nkeys > 1) {
		qsort(keys, nkeys, sizeof(*keys), namekey_cmp);
		for (i = 1; i < nkeys; i++) {
			if (strcmp(keys[i].key, keys[i - 1].key) == 0) {
				err = fail(
				        c, JX_EINVAL,
				        "“%s”与“%s”是同一个二级指标（比较时忽略"
				        "空格、全角和末尾的“指标”）",
				        r->quant.bare_by_level2[keys[i].owner]
				                .level2,
				        r->quant.bare_by_level2[keys[i - 1]
				                                        .owner]
				                .level2);
				goto done;
			}
		}
	}
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_tiers(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"tier",    "label",   "outcome",
	                                   "lo",      "lo_incl", "hi",
	                                   "hi_incl", "suggest"};
	struct jx_rules *r = c->r;
	json_t *arr, *e;
	size_t i, old = c->plen, old2;
	int tier = 0, outcome = 0;
	char a[64], b[64];
	enum jx_err err;

	if ((err = get_array(c, root, "tiers", true, &arr)) != JX_OK)
		goto done;
	if (json_array_size(arr) != 3) {
		err = fail_key(
		        c, "tiers", JX_EINVAL,
		        "定性指标须恰好分 3 档（第1、2、3档），实为 %zu 档",
		        json_array_size(arr));
		goto done;
	}
	push_key(c, "tiers");
	for (i = 0; i < 3; i++) {
		struct jx_rules_tier *t = &r->tiers[i];

		old2 = push_index(c, i);
		e = json_array_get(arr, i);
		if (!json_is_object(e)) {
			err = fail(c, JX_EINVAL, "应为对象 {\"tier\": %zu, …}",
			           i + 1);
			goto done;
		}
		if ((err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
		    (err = get_int(c, e, "tier", 1, 3, &tier)) != JX_OK)
			goto done;
		if ((size_t)tier != i + 1) {
			err = fail_key(c, "tier", JX_EINVAL,
			               "应为 %zu（按第1、2、3档的顺序排列）",
			               i + 1);
			goto done;
		}
		t->tier = tier;
		if ((err = get_text(c, e, "label", true,
		                    TEXT_NONEMPTY | TEXT_NAME, &t->label)) !=
		            JX_OK ||
		    (err = get_enum(c, e, "outcome", true, outcome_names,
		                    NELEM(outcome_names), &outcome)) != JX_OK)
			goto done;
		t->outcome = (enum jx_outcome)outcome;
		if (i > 0 && t->outcome < r->tiers[i - 1].outcome) {
			err = fail_key(
			        c, "outcome", JX_EINVAL,
			        "低一档的结果不能好于高一档（第%zu档为 "
			        "\"%s\"）",
			        i,
			        outcome_names[(size_t)r->tiers[i - 1].outcome -
			                      1]
			                .name);
			goto done;
		}
		if ((err = parse_band(c, e, &t->band)) != JX_OK)
			goto done;
		if (!t->band.has_lo || !t->band.has_hi) {
			err = fail_key(c, t->band.has_lo ? "hi" : "lo",
			               JX_EINVAL,
			               "每档的得分区间须写明 lo 和 hi");
			goto done;
		}
		if ((err = check_range(c, "lo", t->band.lo, 0, true, JX_DEC_ONE,
		                       true, true)) != JX_OK ||
		    (err = check_range(c, "hi", t->band.hi, 0, true, JX_DEC_ONE,
		                       true, true)) != JX_OK)
			goto done;
		t->band.value = jx_dec_from_int(tier);
		if ((err = get_num(c, e, "suggest", true, NUM_RATIO,
		                   &t->suggest, NULL)) != JX_OK)
			goto done;
		if (!jx_rules_band_contains(&t->band, t->suggest)) {
			band_text(&t->band, a, sizeof(a));
			fmt_pct(t->suggest, b, sizeof(b));
			err = fail_key(c, "suggest", JX_EINVAL,
			               "建议得分 %s 不在本档区间 %s 内", b, a);
			goto done;
		}
		pop(c, old2);
	}
	err = check_tier_chain(c);
done:
	pop(c, old);
	return err;
}

/* The three bands must tile [0, 1]: tier 1 reaches 100% (included), each
 * lower tier ends where the one above starts, with exactly one of the two
 * owning the shared edge, and tier 3 starts at 0 (included). Called with
 * the path at "tiers". */
static enum jx_err
check_tier_chain(struct ctx *c)
{
	const struct jx_rules_tier *t = c->r->tiers;
	char a[48];
	size_t i, old;
	enum jx_err err = JX_OK;

	old = push_index(c, 0);
	if (t[0].band.hi != JX_DEC_ONE || !t[0].band.hi_incl) {
		err = fail_key(c, "hi", JX_EINVAL,
		               "第1档的上限须为 100%%（含）：得分不能超过权重，"
		               "满分必须属于第1档");
		goto done;
	}
	pop(c, old);
	old = push_index(c, 2);
	if (t[2].band.lo != 0 || !t[2].band.lo_incl) {
		err = fail_key(
		        c, "lo", JX_EINVAL,
		        "第3档的下限须为 0（含），否则 0 分不属于任何一档");
		goto done;
	}
	pop(c, old);
	for (i = 1; i < 3; i++) {
		old = push_index(c, i);
		fmt_pct(t[i - 1].band.lo, a, sizeof(a));
		if (t[i].band.hi != t[i - 1].band.lo) {
			err = fail_key(
			        c, "hi", JX_EINVAL,
			        "第%zu档的上限须等于第%zu档的下限 %s（各档须"
			        "首尾相接、从高到低排列）",
			        i + 1, i, a);
			goto done;
		}
		if (t[i].band.hi_incl && t[i - 1].band.lo_incl) {
			err = fail_key(
			        c, "hi_incl", JX_EINVAL,
			        "与第%zu档在 %s 处重叠：该点只能属于一档，"
			        "请把其中一个设为 false",
			        i, a);
			goto done;
		}
		if (!t[i].band.hi_incl && !t[i - 1].band.lo_incl) {
			err = fail_key(
			        c, "hi_incl", JX_EINVAL,
			        "%s 既不属于第%zu档也不属于第%zu档（两档之间"
			        "有空隙）",
			        a, i, i + 1);
			goto done;
		}
		pop(c, old);
	}
done:
	pop(c, old);
	return err;
}

static int
wordsrc_cmp(const void *a, const void *b)
{
	const struct wordsrc *x = a, *y = b;
	int k = strcmp(x->word, y->word);

	if (k == 0)
		k = (x->tier > y->tier) - (x->tier < y->tier);
	if (k == 0)
		k = (x->idx > y->idx) - (x->idx < y->idx);
	return k;
}

/* vocabulary: {"1": [words], "2": [...], "3": [...]} */
static enum jx_err
parse_vocabulary(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"1", "2", "3"};
	struct jx_rules *r = c->r;
	struct wordsrc *src;
	json_t *voc, *arr[3] = {NULL, NULL, NULL};
	char buf[NAME_CAP + 1], where[PATH_CAP];
	const char *s;
	size_t i, k, n = 0, len, total = 0, old = c->plen, old2;
	enum jx_err err;

	if ((err = get_object(c, root, "vocabulary", true, &voc)) != JX_OK)
		goto done;
	push_key(c, "vocabulary");
	if ((err = check_keys(c, voc, keys, NELEM(keys))) != JX_OK)
		goto done;
	for (k = 0; k < 3; k++) {
		if ((err = get_array(c, voc, keys[k], false, &arr[k])) != JX_OK)
			goto done;
		total += arr[k] != NULL ? json_array_size(arr[k]) : 0;
	}
	if (total == 0)
		goto done;
	src = jx_arena_calloc(&r->arena, total, sizeof(*src));
	if (src == NULL) {
		err = nomem(c);
		goto done;
	}
	for (k = 0; k < 3; k++) {
		for (i = 0; arr[k] != NULL && i < json_array_size(arr[k]);
		     i++) {
			json_t *v = json_array_get(arr[k], i);

			old2 = push_key(c, keys[k]);
			push_index(c, i);
			if ((err = val_text(c, v, TEXT_NONEMPTY | TEXT_NAME,
			                    &s)) != JX_OK)
				goto done;
			len = jx_text_fold(s, strlen(s), buf, sizeof(buf));
			if (len == SIZE_MAX || len == 0) {
				err = fail(c, JX_EINVAL,
				           len == 0 ? "词语不能为空"
				                    : "词语过长或不是有效文字");
				goto done;
			}
			src[n].word = jx_arena_strndup(&r->arena, buf, len);
			if (src[n].word == NULL) {
				err = nomem(c);
				goto done;
			}
			src[n].tier = (int)k + 1;
			src[n].idx = i;
			n++;
			pop(c, old2);
		}
	}
	/* Sort for binary search; an equal neighbour is a duplicate, reported
	 * at its later occurrence. */
	qsort(src, n, sizeof(*src), wordsrc_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(src[i].word, src[i - 1].word) != 0)
			continue;
		snprintf(where, sizeof(where), "vocabulary.%d[%zu]",
		         src[i - 1].tier, src[i - 1].idx);
		push_key(c, keys[src[i].tier - 1]);
		push_index(c, src[i].idx);
		err = fail(c, JX_EINVAL,
		           "词语“%s”重复（%s 已有；一个词只能属于一档）",
		           src[i].word, where);
		goto done;
	}
	r->words = jx_arena_calloc(&r->arena, n, sizeof(*r->words));
	if (r->words == NULL) {
		err = nomem(c);
		goto done;
	}
	for (i = 0; i < n; i++) {
		r->words[i].word = src[i].word;
		r->words[i].tier = src[i].tier;
	}
	r->nwords = n;
done:
	pop(c, old);
	return err;
}

/* numeric_tiers: [{"lo": "80%", "tier": 1}, ...] */
static enum jx_err
parse_numeric_tiers(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"lo", "lo_incl", "hi", "hi_incl",
	                                   "tier"};
	struct jx_rules *r = c->r;
	json_t *arr, *e;
	size_t i, j, n, old = c->plen, old2;
	int tier = 0;
	char a[64], b[64];
	enum jx_err err;

	if ((err = get_array(c, root, "numeric_tiers", false, &arr)) != JX_OK ||
	    arr == NULL || (n = json_array_size(arr)) == 0)
		goto done;
	r->numeric_tiers =
	        jx_arena_calloc(&r->arena, n, sizeof(*r->numeric_tiers));
	if (r->numeric_tiers == NULL) {
		err = nomem(c);
		goto done;
	}
	push_key(c, "numeric_tiers");
	for (i = 0; i < n; i++) {
		struct jx_band *bd = &r->numeric_tiers[i];

		old2 = push_index(c, i);
		e = json_array_get(arr, i);
		if (!json_is_object(e)) {
			err = fail(
			        c, JX_EINVAL,
			        "应为对象 {\"lo\": …, \"hi\": …, \"tier\": …}");
			goto done;
		}
		if ((err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
		    (err = parse_band(c, e, bd)) != JX_OK ||
		    (err = get_int(c, e, "tier", 1, 3, &tier)) != JX_OK)
			goto done;
		bd->value = jx_dec_from_int(tier);
		for (j = 0; j < i; j++) {
			const struct jx_band *o = &r->numeric_tiers[j];

			band_text(bd, a, sizeof(a));
			band_text(o, b, sizeof(b));
			if (bands_overlap(o, bd)) {
				err = fail(c, JX_EINVAL,
				           "区间 %s 与 numeric_tiers[%zu] 的 "
				           "%s 重叠",
				           a, j, b);
				goto done;
			}
			/* A higher number may not earn a worse tier. */
			if ((band_below(o, bd) && o->value < bd->value) ||
			    (band_below(bd, o) && bd->value < o->value)) {
				err = fail_key(
				        c, "tier", JX_EINVAL,
				        "区间 %s 与 numeric_tiers[%zu] 的 %s "
				        "相比，"
				        "数值更高的区间不能对应更差的档次",
				        a, j, b);
				goto done;
			}
		}
		pop(c, old2);
		r->nnumeric_tiers = i + 1;
	}
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_grades(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"name", "aliases", "min",
	                                   "min_incl"};
	struct jx_rules *r = c->r;
	struct jx_rules_grade *g;
	struct namekey *nk;
	json_t *arr, *e;
	size_t i, j, n, nnames = 0, nkeys = 0, old = c->plen, old2;
	char a[48], b[48];
	enum jx_err err;

	if ((err = get_array(c, root, "grades", true, &arr)) != JX_OK ||
	    (n = json_array_size(arr)) == 0)
		goto done;
	r->grades = jx_arena_calloc(&r->arena, n, sizeof(*r->grades));
	if (r->grades == NULL) {
		err = nomem(c);
		goto done;
	}
	push_key(c, "grades");
	for (i = 0; i < n; i++) {
		g = &r->grades[i];
		old2 = push_index(c, i);
		e = json_array_get(arr, i);
		if (!json_is_object(e)) {
			err = fail(c, JX_EINVAL,
			           "应为对象 {\"name\": …, \"min\": …}");
			goto done;
		}
		g->min_incl = true;
		if ((err = check_keys(c, e, keys, NELEM(keys))) != JX_OK ||
		    (err = get_text(c, e, "name", true,
		                    TEXT_NONEMPTY | TEXT_NAME, &g->name)) !=
		            JX_OK ||
		    (err = get_names(c, e, "aliases", &g->aliases,
		                     &g->naliases)) != JX_OK ||
		    (err = get_num(c, e, "min", true, NUM_POINTS, &g->min,
		                   NULL)) != JX_OK ||
		    (err = get_bool(c, e, "min_incl", false, &g->min_incl)) !=
		            JX_OK ||
		    (err = check_range(c, "min", g->min, 0, true,
		                       r->total_weight, false, false)) != JX_OK)
			goto done;
		if (i > 0 && g->min >= r->grades[i - 1].min) {
			fmt_dec(g->min, a, sizeof(a));
			fmt_dec(r->grades[i - 1].min, b, sizeof(b));
			err = fail_key(
			        c, "min", JX_EINVAL,
			        "等级须从高到低排列，下限严格递减：%s 不小于"
			        "上一等级的 %s",
			        a, b);
			goto done;
		}
		pop(c, old2);
		r->ngrades = i + 1;
		nnames += 1 + g->naliases;
	}
	old2 = push_index(c, n - 1);
	if (r->grades[n - 1].min != 0 || !r->grades[n - 1].min_incl) {
		err = fail_key(
		        c, "min", JX_EINVAL,
		        "最后一个等级的下限须为 0（含），否则低分没有等级");
		goto done;
	}
	pop(c, old);
	nk = jx_arena_calloc(&r->arena, nnames, sizeof(*nk));
	if (nk == NULL) {
		err = nomem(c);
		goto done;
	}
	for (i = 0; i < n && err == JX_OK; i++) {
		err = add_key(c, "grades", nk, &nkeys, r->grades[i].name, false,
		              i, SIZE_MAX);
		for (j = 0; j < r->grades[i].naliases && err == JX_OK; j++)
			err = add_key(c, "grades", nk, &nkeys,
			              r->grades[i].aliases[j], false, i, j);
	}
	if (err == JX_OK)
		err = check_unique(c, "grades", nk, nkeys, "等级名称");
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_tolerance(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"score", "rate", "money"};
	struct jx_rules *r = c->r;
	json_t *obj;
	size_t old = c->plen;
	enum jx_err err;

	if ((err = get_object(c, root, "tolerance", true, &obj)) != JX_OK)
		goto done;
	push_key(c, "tolerance");
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK ||
	    (err = get_num(c, obj, "score", true, NUM_POINTS, &r->tol.score,
	                   NULL)) != JX_OK ||
	    (err = check_range(c, "score", r->tol.score, 0, true, JX_DEC_ONE,
	                       true, false)) != JX_OK ||
	    (err = get_num(c, obj, "rate", true, NUM_PPOINT, &r->tol.rate,
	                   NULL)) != JX_OK ||
	    (err = check_range(c, "rate", r->tol.rate, 0, true, JX_DEC_ONE,
	                       true, false)) != JX_OK ||
	    (err = get_num(c, obj, "money", true, NUM_MONEY, &r->tol.money,
	                   NULL)) != JX_OK ||
	    (err = check_range(c, "money", r->tol.money, 0, true,
	                       jx_dec_from_int(100), true, false)) != JX_OK)
		goto done;
done:
	pop(c, old);
	return err;
}

static enum jx_err
parse_reason(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"when_below_weight", "when_over",
	                                   "when_exec_below"};
	struct jx_rules *r = c->r;
	json_t *obj;
	size_t old = c->plen;
	enum jx_err err;

	if ((err = get_object(c, root, "deviation_reason", true, &obj)) !=
	    JX_OK)
		goto done;
	push_key(c, "deviation_reason");
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK ||
	    (err = get_bool(c, obj, "when_below_weight", true,
	                    &r->reason.when_below_weight)) != JX_OK ||
	    (err = get_bool(c, obj, "when_over", true, &r->reason.when_over)) !=
	            JX_OK ||
	    (err = get_bool(c, obj, "when_exec_below", true,
	                    &r->reason.when_exec_below)) != JX_OK)
		goto done;
	if (r->reason.when_over && r->quant.over_ratio == 0) {
		err = fail_key(
		        c, "when_over", JX_EINVAL,
		        "quant.over_ratio 为 0（未设置）时不能要求超额说明");
		goto done;
	}
	if (r->reason.when_exec_below &&
	    (r->exec.reason_below == 0 || r->exec.weight == 0)) {
		err = fail_key(
		        c, "when_exec_below", JX_EINVAL,
		        "exec.reason_below 为 0（未设置）或没有预算执行率"
		        "一行时不能要求执行率说明");
		goto done;
	}
done:
	pop(c, old);
	return err;
}

/*
 * The optional "monitoring" object. Every key has a default (docs/rules.md),
 * so an absent object gives the defaults: time progress by months, the
 * ratio light at 80% / 60%, cumulative indicators deviating below 80% of
 * the time-proportional target, 30 days for the targets to follow a budget
 * adjustment, and any net adjustment needing them to.
 */
static enum jx_err
parse_monitor(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {
	        "time_basis",       "light",
	        "yellow_below",     "red_below",
	        "yellow_lag",       "red_lag",
	        "progress_below",   "cumulative_level2",
	        "goal_follow_days", "adjust_min"};
	struct jx_rules_monitor *m = &c->r->monitor;
	json_t *obj = NULL;
	int tb = JX_MON_TIME_MONTH;
	size_t old = c->plen;
	enum jx_err err;

	m->time_basis = JX_MON_TIME_MONTH;
	m->light = JX_MON_BASIS_RATIO;
	m->yellow_below = JX_DEC_ONE / 100 * 80;
	m->red_below = JX_DEC_ONE / 100 * 60;
	m->yellow_lag = 0;
	m->red_lag = 0;
	m->progress_below = JX_DEC_ONE / 100 * 80;
	m->goal_follow_days = 30;
	m->adjust_min = 0;
	if ((err = get_object(c, root, "monitoring", false, &obj)) != JX_OK)
		goto done;
	if (obj == NULL) {
		err = parse_monitor_names(c, NULL);
		goto done;
	}
	push_key(c, "monitoring");
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK ||
	    (err = get_enum(c, obj, "time_basis", false, montime_names,
	                    NELEM(montime_names), &tb)) != JX_OK)
		goto done;
	m->time_basis = (enum jx_mon_time)tb;
	if ((err = parse_monitor_light(c, obj)) != JX_OK ||
	    (err = get_num(c, obj, "progress_below", false, NUM_RATIO,
	                   &m->progress_below, NULL)) != JX_OK ||
	    (err = check_range(c, "progress_below", m->progress_below, 0, false,
	                       JX_DEC_ONE, true, true)) != JX_OK ||
	    (err = parse_monitor_names(c, obj)) != JX_OK ||
	    (json_object_get(obj, "goal_follow_days") != NULL &&
	     (err = get_int(c, obj, "goal_follow_days", 0, 366,
	                    &m->goal_follow_days)) != JX_OK) ||
	    (err = get_num(c, obj, "adjust_min", false, NUM_RATIO,
	                   &m->adjust_min, NULL)) != JX_OK ||
	    (err = check_range(c, "adjust_min", m->adjust_min, 0, true,
	                       JX_DEC_ONE, false, true)) != JX_OK)
		goto done;
done:
	pop(c, old);
	return err;
}

/* The light's basis and its two thresholds; the thresholds of the other
 * basis may not appear (they would be silently ignored). */
static enum jx_err
parse_monitor_light(struct ctx *c, json_t *obj)
{
	static const char *const ratio_keys[] = {"yellow_below", "red_below"};
	static const char *const gap_keys[] = {"yellow_lag", "red_lag"};
	struct jx_rules_monitor *m = &c->r->monitor;
	int basis = JX_MON_BASIS_RATIO;
	const char *const *other;
	size_t i;
	char a[48], b[48];
	enum jx_err err;

	if ((err = get_enum(c, obj, "light", false, monbasis_names,
	                    NELEM(monbasis_names), &basis)) != JX_OK)
		goto done;
	m->light = (enum jx_mon_basis)basis;
	other = basis == JX_MON_BASIS_RATIO ? gap_keys : ratio_keys;
	for (i = 0; i < 2; i++) {
		if (json_object_get(obj, other[i]) != NULL) {
			err = fail_key(c, other[i], JX_EINVAL,
			               "只有 light 为 \"%s\" 时才能写 %s",
			               basis == JX_MON_BASIS_RATIO ? "gap"
			                                           : "ratio",
			               other[i]);
			goto done;
		}
	}
	if (basis == JX_MON_BASIS_RATIO) {
		if ((err = get_num(c, obj, "yellow_below", false, NUM_RATIO,
		                   &m->yellow_below, NULL)) != JX_OK ||
		    (err = check_range(c, "yellow_below", m->yellow_below, 0,
		                       false, JX_DEC_ONE, true, true)) !=
		            JX_OK ||
		    (err = get_num(c, obj, "red_below", false, NUM_RATIO,
		                   &m->red_below, NULL)) != JX_OK ||
		    (err = check_range(c, "red_below", m->red_below, 0, true,
		                       JX_DEC_ONE, true, true)) != JX_OK)
			goto done;
		if (m->red_below > m->yellow_below) {
			fmt_pct(m->red_below, a, sizeof(a));
			fmt_pct(m->yellow_below, b, sizeof(b));
			err = fail_key(c, "red_below", JX_EINVAL,
			               "红灯线 %s 不能高于黄灯线 yellow_below "
			               "%s",
			               a, b);
			goto done;
		}
		goto done;
	}
	/* gap: both thresholds are required, there is no usual figure */
	if ((err = get_num(c, obj, "yellow_lag", true, NUM_PPOINT,
	                   &m->yellow_lag, NULL)) != JX_OK ||
	    (err = check_range(c, "yellow_lag", m->yellow_lag, 0, true,
	                       jx_dec_from_int(100), false, false)) != JX_OK ||
	    (err = get_num(c, obj, "red_lag", true, NUM_PPOINT, &m->red_lag,
	                   NULL)) != JX_OK ||
	    (err = check_range(c, "red_lag", m->red_lag, 0, true,
	                       jx_dec_from_int(100), false, false)) != JX_OK)
		goto done;
	if (m->red_lag < m->yellow_lag) {
		fmt_dec(m->red_lag, a, sizeof(a));
		fmt_dec(m->yellow_lag, b, sizeof(b));
		err = fail_key(c, "red_lag", JX_EINVAL,
		               "红灯线 %s 个百分点不能低于黄灯线 yellow_lag %s "
		               "个百分点",
		               a, b);
		goto done;
	}
done:
	return err;
}

/* cumulative_level2: names unique after folding; the default list when
 * obj is NULL or has no such key. An empty list is allowed (no indicator
 * is compared with the time-proportional target). */
static enum jx_err
parse_monitor_names(struct ctx *c, json_t *obj)
{
	struct jx_rules_monitor *m = &c->r->monitor;
	struct namekey *keys;
	const char **names;
	size_t i, n = 0, nkeys = 0, old;
	enum jx_err err = JX_OK;

	if (obj != NULL && json_object_get(obj, "cumulative_level2") != NULL) {
		if ((err = get_names(c, obj, "cumulative_level2", &names,
		                     &n)) != JX_OK)
			goto done;
		if (n > JX_MAX_RULE_ITEMS) {
			err = fail_key(c, "cumulative_level2", JX_ETOOBIG,
			               "条目过多（最多 %d 条）",
			               JX_MAX_RULE_ITEMS);
			goto done;
		}
	} else {
		n = NELEM(mon_cumulative_default);
		names = jx_arena_calloc(&c->r->arena, n, sizeof(*names));
		for (i = 0; names != NULL && i < n; i++) {
			names[i] = jx_arena_strndup(
			        &c->r->arena, mon_cumulative_default[i],
			        strlen(mon_cumulative_default[i]));
			if (names[i] == NULL)
				names = NULL;
		}
		if (names == NULL) {
			err = nomem(c);
			goto done;
		}
	}
	m->cumulative_level2 = names;
	m->ncumulative = n;
	if (n < 2)
		goto done;
	keys = jx_arena_calloc(&c->r->arena, n, sizeof(*keys));
	if (keys == NULL) {
		err = nomem(c);
		goto done;
	}
	for (i = 0; i < n; i++) {
		old = push_key(c, "cumulative_level2");
		push_index(c, i);
		err = add_key(c, NULL, keys, &nkeys, names[i], true, i,
		              SIZE_MAX);
		pop(c, old);
		if (err != JX_OK)
			goto done;
	}
	qsort(keys, nkeys, sizeof(*keys), namekey_cmp);
	for (i = 1; i < nkeys; i++) {
		if (strcmp(keys[i].key, keys[i - 1].key) == 0 &&
		    keys[i].owner != keys[i - 1].owner) {
			size_t hi = keys[i].owner > keys[i - 1].owner
			                    ? keys[i].owner
			                    : keys[i - 1].owner;
			size_t lo = hi == keys[i].owner ? keys[i - 1].owner
			                                : keys[i].owner;

			old = push_key(c, "cumulative_level2");
			push_index(c, hi);
			err = fail(c, JX_EINVAL,
			           "“%s”与 cumulative_level2[%zu] 是同一个二级"
			           "指标（比较时忽略空格、全角和末尾的“指标”）",
			           names[hi], lo);
			pop(c, old);
			goto done;
		}
	}
done:
	return err;
}

/* First-level weights plus the execution line make the total. */
static enum jx_err
check_weights(struct ctx *c)
{
	struct jx_rules *r = c->r;
	char s[48], e[48], t[48];
	jx_dec sum = 0;
	size_t i;
	enum jx_err err = JX_OK;

	if (r->level1_free)
		goto done;
	for (i = 0; i < r->nlevel1; i++) {
		if (jx_dec_add(sum, r->level1[i].weight, &sum) != JX_OK) {
			err = fail_key(c, "level1", JX_EINVAL, "权重之和溢出");
			goto done;
		}
	}
	if (jx_dec_add(sum, r->exec.weight, &sum) == JX_OK &&
	    sum == r->total_weight)
		goto done;
	fmt_dec(sum - r->exec.weight, s, sizeof(s));
	fmt_dec(r->exec.weight, e, sizeof(e));
	fmt_dec(r->total_weight, t, sizeof(t));
	err = fail_key(c, "level1", JX_EINVAL,
	               "一级指标权重之和 %s 加预算执行率权重 %s 应等于总分 %s",
	               s, e, t);
done:
	return err;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

enum jx_err
jx_rules_load(struct jx_rules *r, const char *buf, size_t len, const char *name,
              const char *source, struct jx_diag *d)
{
	struct jx_rules t;
	struct ctx c;
	json_t *root = NULL;
	json_error_t je;
	const char *nul;
	enum jx_err err = JX_OK;

	memset(&t, 0, sizeof(t));
	jx_arena_init(&t.arena, ARENA_BLOCK);
	memset(&c, 0, sizeof(c));
	c.r = &t;
	c.d = d;
	c.buf = buf;
	c.len = len;
	if (d != NULL) {
		jx_diag_clear(d);
		snprintf(d->file, sizeof(d->file), "%s",
		         source != NULL ? source : "");
	}
	if (r == NULL || (buf == NULL && len > 0)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto done;
	}
	if (len > JX_MAX_RULES_BYTES) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "规则文件过大（%zu 字节，上限 %u 字节）", len,
		                  (unsigned)JX_MAX_RULES_BYTES);
		goto done;
	}
	if (len > 0 && (nul = memchr(buf, '\0', len)) != NULL) {
		/* jansson would stop reading at the NUL and ignore the rest. */
		err = jx_diag_set(d, JX_EPARSE, NULL,
		                  "文件中含有 NUL 字节，不是 UTF-8 文本");
		if (d != NULL)
			offset_linecol(buf, len, (size_t)(nul - buf), &d->line,
			               &d->column);
		goto done;
	}
	root = json_loadb(buf != NULL ? buf : "", len, JSON_REJECT_DUPLICATES,
	                  &je);
	if (root == NULL) {
		err = json_fail(&c, &je);
		goto done;
	}
	if (!json_is_object(root)) {
		err = fail(&c, JX_EINVAL, "规则文件的顶层须为 JSON 对象 {…}");
		goto done;
	}
	t.name = jx_arena_strndup(&t.arena, name != NULL ? name : "",
	                          name != NULL ? strlen(name) : 0);
	if (t.name == NULL) {
		err = nomem(&c);
		goto done;
	}
	err = parse_root(&c, root);
	if (err == JX_OK && make_keys(&t) != JX_OK)
		err = nomem(&c);
done:
	json_decref(root);
	if (r != NULL) {
		if (err == JX_OK) {
			*r = t;
		} else {
			jx_arena_cleanup(&t.arena);
			memset(r, 0, sizeof(*r));
			jx_arena_init(&r->arena, 0);
		}
	}
	return err;
}

void
jx_rules_cleanup(struct jx_rules *r)
{
	if (r == NULL)
		return;
	jx_arena_cleanup(&r->arena);
	memset(r, 0, sizeof(*r));
	jx_arena_init(&r->arena, 0);
}

static int
word_cmp(const void *key, const void *elem)
{
	const struct jx_rules_word *w = elem;

	return strcmp(key, w->word);
}

int
jx_rules_word_tier(const struct jx_rules *r, const char *word, size_t len)
{
	char buf[NAME_CAP + 1];
	const struct jx_rules_word *w = NULL;
	size_t n;

	if (r == NULL || word == NULL || r->nwords == 0 || len > NAME_CAP * 2)
		goto done;
	n = jx_text_fold(word, len, buf, sizeof(buf));
	if (n == SIZE_MAX || n == 0)
		goto done;
	w = bsearch(buf, r->words, r->nwords, sizeof(*r->words), word_cmp);
done:
	return w != NULL ? w->tier : 0;
}

const struct jx_rules_level1 *
jx_rules_level1_find(const struct jx_rules *r, const char *name)
{
	char key[NAME_CAP * 2 + 1];
	const struct jx_rules_level1 *found = NULL;
	size_t i, j, n;

	if (r == NULL || name == NULL || strlen(name) > NAME_CAP * 2)
		goto done;
	n = fold_key(name, strlen(name), true, key, sizeof(key));
	if (n == SIZE_MAX || n == 0)
		goto done;
	for (i = 0; i < r->nlevel1 && found == NULL; i++) {
		if (key_eq(r->level1[i].key, r->level1[i].name, true, key))
			found = &r->level1[i];
		for (j = 0; j < r->level1[i].naliases && found == NULL; j++)
			if (key_eq(r->level1[i].alias_keys != NULL
			                   ? r->level1[i].alias_keys[j]
			                   : NULL,
			           r->level1[i].aliases[j], true, key))
				found = &r->level1[i];
	}
done:
	return found;
}

enum jx_cmp
jx_rules_bare_cmp(const struct jx_rules *r, const char *level2)
{
	char key[NAME_CAP * 2 + 1];
	enum jx_cmp cmp = JX_CMP_EQ;
	size_t i, n;

	if (r == NULL)
		goto done;
	cmp = r->quant.bare_default;
	if (level2 == NULL || strlen(level2) > NAME_CAP * 2)
		goto done;
	n = fold_key(level2, strlen(level2), true, key, sizeof(key));
	if (n == SIZE_MAX || n == 0)
		goto done;
	for (i = 0; i < r->quant.nbare_by_level2; i++) {
		if (key_eq(r->quant.bare_by_level2[i].key,
		           r->quant.bare_by_level2[i].level2, true, key)) {
			cmp = r->quant.bare_by_level2[i].cmp;
			break;
		}
	}
done:
	return cmp;
}

bool
jx_rules_monitor_cumulative(const struct jx_rules *r, const char *level2)
{
	char key[NAME_CAP * 2 + 1];
	bool found = false;
	size_t i, n;

	if (r == NULL || level2 == NULL || strlen(level2) > NAME_CAP * 2)
		goto done;
	n = fold_key(level2, strlen(level2), true, key, sizeof(key));
	if (n == SIZE_MAX || n == 0)
		goto done;
	for (i = 0; i < r->monitor.ncumulative && !found; i++) {
		const char *stored = r->monitor.cumulative_keys != NULL
		                             ? r->monitor.cumulative_keys[i]
		                             : NULL;

		found = key_eq(stored, r->monitor.cumulative_level2[i], true,
		               key);
	}
done:
	return found;
}

const struct jx_rules_grade *
jx_rules_grade_for(const struct jx_rules *r, jx_dec total)
{
	const struct jx_rules_grade *g = NULL;
	size_t i;

	for (i = 0; r != NULL && i < r->ngrades; i++) {
		if (total > r->grades[i].min ||
		    (total == r->grades[i].min && r->grades[i].min_incl)) {
			g = &r->grades[i];
			break;
		}
	}
	return g;
}

const struct jx_rules_grade *
jx_rules_grade_find(const struct jx_rules *r, const char *text)
{
	char key[NAME_CAP * 2 + 1];
	const struct jx_rules_grade *found = NULL;
	size_t i, j, n;

	if (r == NULL || text == NULL || strlen(text) > NAME_CAP * 2)
		goto done;
	n = fold_key(text, strlen(text), false, key, sizeof(key));
	if (n == SIZE_MAX || n == 0)
		goto done;
	for (i = 0; i < r->ngrades && found == NULL; i++) {
		if (key_eq(r->grades[i].key, r->grades[i].name, false, key))
			found = &r->grades[i];
		for (j = 0; j < r->grades[i].naliases && found == NULL; j++)
			if (key_eq(r->grades[i].alias_keys != NULL
			                   ? r->grades[i].alias_keys[j]
			                   : NULL,
			           r->grades[i].aliases[j], false, key))
				found = &r->grades[i];
	}
done:
	return found;
}

int
jx_rules_numeric_tier(const struct jx_rules *r, jx_dec fraction)
{
	size_t i;
	int tier = 0;

	for (i = 0; r != NULL && i < r->nnumeric_tiers; i++) {
		if (jx_rules_band_contains(&r->numeric_tiers[i], fraction)) {
			tier = (int)(r->numeric_tiers[i].value / JX_DEC_ONE);
			break;
		}
	}
	return tier;
}

bool
jx_rules_band_contains(const struct jx_band *b, jx_dec v)
{
	bool in = b != NULL;

	if (in && b->has_lo && (v < b->lo || (v == b->lo && !b->lo_incl)))
		in = false;
	if (in && b->has_hi && (v > b->hi || (v == b->hi && !b->hi_incl)))
		in = false;
	return in;
}

jx_dec
jx_rules_level1_sum(const struct jx_rules *r)
{
	return r != NULL ? r->total_weight - r->exec.weight : 0;
}

bool
jx_rules_level1_expected(const struct jx_rules *r,
                         const struct jx_rules_level1 *l1,
                         bool has_satisfaction, jx_dec *out)
{
	const struct jx_rules_level1 *fb;
	size_t i;
	jx_dec w;
	bool ok = false;

	if (r == NULL || l1 == NULL || out == NULL || r->level1_free)
		goto done;
	w = l1->weight;
	if (!has_satisfaction && r->satisfaction_fallback != NULL) {
		fb = jx_rules_level1_find(r, r->satisfaction_fallback);
		if (l1->kind == JX_L1_SATISFACTION) {
			w = 0;
		} else if (fb == l1) {
			for (i = 0; i < r->nlevel1; i++)
				if (r->level1[i].kind == JX_L1_SATISFACTION)
					w += r->level1[i].weight;
		}
	}
	*out = w;
	ok = true;
done:
	return ok;
}
