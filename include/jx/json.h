/*
 * json.h - a small, strict, fast JSON reader: one buffer in, a read-only
 * tree out, allocated from a struct jx_arena.
 *
 * Strict means RFC 8259 and nothing else: no comments, no trailing commas,
 * no NaN or Infinity, no single quotes, no control characters in strings.
 * The text must be well-formed UTF-8, inside strings and out, and \u
 * escapes must form valid scalar values (surrogates only in correct pairs).
 * A key appearing twice in one object is refused. Nesting is limited to
 * JX_MAX_JSON_DEPTH and the text to JX_MAX_RECORD_BYTES (limits.h). One
 * UTF-8 byte order mark at the very start is skipped (RFC 8259 section 8.1
 * allows it; Windows editors write one); outside a string anywhere else it is
 * an error.
 *
 * Numbers are not converted: a number keeps its literal text, so that money
 * can be read exactly with jx_dec_parse. Strings are unescaped; a string
 * without escapes points into the input buffer, so the tree is valid while
 * both the arena and the input buffer are. Every value carries its line and
 * column for diagnostics. This module does not write JSON (see buf.h) and
 * does not interpret what the values mean (see evaljson.h).
 */
#ifndef JX_JSON_H
#define JX_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/arena.h"
#include "jx/err.h"

enum jx_json_kind {
	JX_JSON_NULL = 0,
	JX_JSON_FALSE,
	JX_JSON_TRUE,
	JX_JSON_NUMBER, /* u.s[0..len): the literal as written, "-1.50e3" */
	JX_JSON_STRING, /* u.s[0..len): unescaped UTF-8, may contain NUL */
	JX_JSON_ARRAY,  /* u.items[0..len) */
	JX_JSON_OBJECT  /* u.members[0..len), in document order */
};

struct jx_json_member;

/* One value. Strings and numbers are NOT NUL-terminated: use len. */
struct jx_json {
	enum jx_json_kind kind;
	int line;   /* 1-based line of the value's first character */
	int column; /* 1-based column, counted in characters, not bytes */
	size_t len; /* bytes (STRING, NUMBER) or elements (ARRAY, OBJECT) */
	union {
		const char *s;
		const struct jx_json *items;
		const struct jx_json_member *members;
	} u;
};

/* One member of an object; key.kind is always JX_JSON_STRING. */
struct jx_json_member {
	struct jx_json key;
	struct jx_json value;
};

/*
 * Parse buf[0..len) as exactly one JSON text (whitespace around it allowed)
 * into a tree allocated from `a`. `line` is the line number buf starts at
 * in its file (1 for a whole file, the line number for a JSON Lines record),
 * so that every position is absolute; values below 1 count as 1.
 *
 * On JX_OK *out is the root, valid until `a` is reset and while buf is
 * unchanged. On failure *out is untouched, some garbage may be left in `a`,
 * and d (may be NULL) gets line, column and a zh-CN message; d->file and
 * d->field are left as they were. Returns:
 *   JX_EPARSE  malformed JSON: syntax, invalid UTF-8, bad escape, lone
 *              surrogate, duplicate key, empty input, trailing content;
 *   JX_ETOOBIG len over JX_MAX_RECORD_BYTES or nesting over
 *              JX_MAX_JSON_DEPTH;
 *   JX_ENOMEM  the arena or the scratch stack could not grow;
 *   JX_EINVAL  buf NULL with len > 0, or a or out NULL.
 */
enum jx_err jx_json_parse(const char *buf, size_t len, int line,
                          struct jx_arena *a, const struct jx_json **out,
                          struct jx_diag *d);

/*
 * The value of member `key` (NUL-terminated) of object `obj`, or NULL when
 * obj is NULL, not an object, or has no such member. Linear in the number
 * of members; borrowed from the tree.
 */
const struct jx_json *jx_json_get(const struct jx_json *obj, const char *key);

/* True when string value v (kind JX_JSON_STRING) equals s[0..len). */
bool jx_json_eq(const struct jx_json *v, const char *s, size_t len);

/* A zh-CN name of kind for messages: "字符串", "数字", "对象" ...
 * Static storage; never NULL. */
const char *jx_json_kind_name(enum jx_json_kind kind);

#endif
