/*
 * buf.h - a growable byte buffer with a ceiling (after curl's dynbuf).
 *
 * Every append checks the ceiling first; past it the buffer is left as it
 * was and JX_ETOOBIG is returned, so no caller writes unbounded output.
 * The content is always NUL-terminated. Pure: no I/O.
 */
#ifndef JX_BUF_H
#define JX_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "jx/err.h"

struct jx_buf {
	char *data; /* NUL-terminated content, NULL until the first append */
	size_t len; /* bytes of content */
	size_t cap; /* bytes allocated */
	size_t max; /* ceiling on len */
};

/* Prepare b (caller's storage) with ceiling max bytes. No allocation. */
void jx_buf_init(struct jx_buf *b, size_t max);

/* Free b's memory; b is left initialised and empty. Accepts NULL. */
void jx_buf_free(struct jx_buf *b);

/* Empty b, keeping its memory. */
void jx_buf_reset(struct jx_buf *b);

/* Append s[0..len). JX_OK, JX_ENOMEM or JX_ETOOBIG (b unchanged). */
enum jx_err jx_buf_add(struct jx_buf *b, const void *s, size_t len);

/* Append a NUL-terminated string. */
enum jx_err jx_buf_adds(struct jx_buf *b, const char *s);

/* Append printf-formatted text. */
enum jx_err jx_buf_printf(struct jx_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
enum jx_err jx_buf_vprintf(struct jx_buf *b, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/* Append s[0..len) as a JSON string literal with quotes; invalid UTF-8 is
 * replaced by U+FFFD. '"', '\\', \n, \r and \t are escaped as such, other
 * controls and DEL as \u00XX. JX_OK, JX_ENOMEM or JX_ETOOBIG (the literal
 * would pass the ceiling); on failure b is left as it was. */
enum jx_err jx_buf_add_json_string(struct jx_buf *b, const char *s, size_t len);

#endif
