/*
 * err.h - the one error enumeration and the diagnostic record of jixiao.
 *
 * Every fallible function returns an enum jx_err; results come back through
 * out-parameters, assigned only on success. Parsers and validators also fill
 * a caller-owned struct jx_diag naming where the input is wrong (file, line,
 * column, field path) and why, in Chinese, because a user reads it.
 * This module does not print anything and owns no memory.
 */
#ifndef JX_ERR_H
#define JX_ERR_H

#include <stddef.h>

enum jx_err {
	JX_OK = 0,
	JX_ENOMEM,    /* out of memory */
	JX_EINVAL,    /* invalid argument or value */
	JX_EPARSE,    /* input could not be parsed */
	JX_ENOTFOUND, /* no such record or file */
	JX_ECONFLICT, /* stale write or duplicate */
	JX_EPERM,     /* not allowed */
	JX_ETOOBIG,   /* over a named limit */
	JX_EDB,       /* database failure */
	JX_EIO,       /* read or write failure */
	JX_EEOF,      /* end of input (not an error for readers of streams) */
	JX_EAUTH,     /* not signed in, or the session has expired */
	JX_EBUSY      /* too many attempts or requests: try again later */
};

/* Where and why an input is wrong. All strings are NUL-terminated. */
struct jx_diag {
	char file[256];    /* input name, "" when not a file */
	int line;          /* 1-based, 0 when unknown */
	int column;        /* 1-based, 0 when unknown */
	char field[256];   /* field path, e.g. "indicators[3].weight" */
	char message[512]; /* zh-CN explanation */
};

/* A short stable English name of err ("ENOMEM"); never NULL. */
const char *jx_err_name(enum jx_err err);

/* A zh-CN description of err ("内存不足"); never NULL. */
const char *jx_err_message(enum jx_err err);

/* Clear d (all strings empty, line and column 0). d may be NULL. */
void jx_diag_clear(struct jx_diag *d);

/*
 * Fill d's field (may be NULL) and message (printf format). Keeps d->file,
 * line and column. d may be NULL, then nothing happens. Returns err so that
 * callers can write `return jx_diag_set(d, JX_EPARSE, "x", "...")`.
 */
enum jx_err jx_diag_set(struct jx_diag *d, enum jx_err err, const char *field,
                        const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Set d's file name (truncated to fit, never split inside a UTF-8
 * character). d may be NULL. */
void jx_diag_set_file(struct jx_diag *d, const char *file);

/* Format d as one line "file:line:column: field: message" into buf. */
size_t jx_diag_format(const struct jx_diag *d, char *buf, size_t cap);

#endif
