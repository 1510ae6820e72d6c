/*
 * log.h - structured logs: one line per event on a file descriptor
 * (standard error by default), as a JSON object ({"ts", "level", "msg",
 * fields...}) or as text ("ts level msg key=value ..."), written with one
 * write(2) so lines from several threads do not interleave.
 *
 * Values are escaped: control characters and invalid UTF-8 from clients
 * can not break a line or forge another. Callers never pass request
 * bodies, cookies, passwords or tokens. No other I/O.
 */
#ifndef JX_LOG_H
#define JX_LOG_H

#include <jansson.h>
#include <stdbool.h>

enum jx_log_level { JX_LOG_DEBUG = 0, JX_LOG_INFO, JX_LOG_WARN, JX_LOG_ERROR };

/* Where and how to log (before any thread logs). fd is borrowed. */
void jx_log_setup(int fd, bool json);

/* Log msg with fields (an object, stolen; NULL for none). */
void jx_log(enum jx_log_level level, const char *msg, json_t *fields);

/* A copy of s fit for a log value: invalid UTF-8 bytes become '?', at most
 * max bytes (cut at a character boundary). Returns a new JSON string
 * (never NULL unless out of memory). */
json_t *jx_log_str(const char *s, size_t max);

#endif
