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
 * Parse one self-evaluation from buf[0..len) into e (jx_eval_reset first;
 * everything is allocated in e's arena). `source` names the input for
 * diagnostics; `line` is the 1-based line buf starts at (for JSON Lines).
 * JX_OK, or JX_EPARSE / JX_EINVAL / JX_ETOOBIG / JX_ENOMEM with d filled
 * (d->line and d->column absolute in the file).
 */
enum jx_err jx_evaljson_read(const char *buf, size_t len, const char *source,
                             int line, struct jx_eval *e, struct jx_diag *d);

/* Append e in the interchange format (one line, no trailing newline). */
enum jx_err jx_evaljson_write(struct jx_buf *out, const struct jx_eval *e);

/*
 * Append the check result of e as one JSON object (no newline): source,
 * title, unit, department, year, rules, the computed totals (exec_rate,
 * exec_score, total, grade, weight_sum), per-indicator results and a
 * `findings` array whose items carry code, severity, where, stated, computed
 * and message (docs/format.md, "Check results").
 */
enum jx_err jx_evaljson_write_result(struct jx_buf *out,
                                     const struct jx_eval *e,
                                     const struct jx_rules *r,
                                     const struct jx_result *res,
                                     const struct jx_findings *f);

#endif
