/*
 * evaljson.h - the interchange format (docs/format.md): a self-evaluation as
 * one JSON object, many of them as JSON Lines, and the result of checking
 * one as one JSON line.
 *
 * Reading is strict and bounded: duplicate keys, invalid UTF-8, nesting past
 * JX_MAX_JSON_DEPTH, records past JX_MAX_RECORD_BYTES and wrongly typed
 * fields are refused with a diagnostic naming the line, column and field.
 * Unknown fields are ignored (the format grows) but never reinterpreted.
 * Numbers are read from their text, never through a double, so money stays
 * exact. Writing produces the same shape, so read -> write -> read is
 * lossless. This module parses and formats buffers; it does not open files.
 */
#ifndef JX_EVALJSON_H
#define JX_EVALJSON_H

#include <stddef.h>

#include "jx/audit.h"
#include "jx/buf.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"
#include "jx/score.h"

/*
 * Parse one self-evaluation from buf[0..len) into e (the function resets e
 * first; everything is allocated in e's arena). `source` names the input
 * for diagnostics; `line` is the 1-based line buf starts at for JSON Lines
 * (e->source becomes "name:line"), or 0 for a whole document (e->source is
 * the bare name). On failure e holds a partly read record: reset it.
 * JX_OK, or JX_EPARSE / JX_EINVAL / JX_ETOOBIG / JX_ENOMEM with d filled
 * (d->line and d->column absolute in the file).
 */
enum jx_err jx_evaljson_read(const char *buf, size_t len, const char *source,
                             int line, struct jx_eval *e, struct jx_diag *d);

/* Append e in the interchange format (one line, no trailing newline). */
enum jx_err jx_evaljson_write(struct jx_buf *out, const struct jx_eval *e);

/* Flags of jx_evaljson_write_result. */
#define JX_EVALJSON_INDICATORS 1u /* per-indicator results with traces */

/*
 * Append the check result of e as one JSON object (no newline): source,
 * title, unit, department, year, rules, the computed totals (exec_rate,
 * exec_score, total, grade, weight_sum, with traces when r is given), a
 * `findings` array of the errors and warnings in f, whose items carry code,
 * severity, where, stated, computed and message, a `confirmed` array of f's
 * confirmations when it has any, and with JX_EVALJSON_INDICATORS the
 * per-indicator results (docs/format.md, "Check results"). r may be NULL
 * (no traces). JX_EINVAL when res does not belong to e.
 */
enum jx_err
jx_evaljson_write_result(struct jx_buf *out, const struct jx_eval *e,
                         const struct jx_rules *r, const struct jx_result *res,
                         const struct jx_findings *f, unsigned flags);

#endif
