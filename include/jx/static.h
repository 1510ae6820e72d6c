/*
 * static.h - the web UI's static files, served from memory by an
 * allow-list built once at start: every regular file under the web
 * directory with a known type (html, css, js, json, svg, png, woff2, ico,
 * txt, map), plus explicitly mapped extra files (the ECharts build from
 * node_modules). A request path is looked up in the table as a string; it
 * is never joined onto a filesystem path, so "..", symbolic links, dot
 * files and unknown types can not reach the disk.
 *
 * Reads files only in jx_static_load; lookups are pure and thread-safe.
 */
#ifndef JX_STATIC_H
#define JX_STATIC_H

#include <stddef.h>

#include "jx/err.h"

#define JX_STATIC_MAX_FILES 512
#define JX_STATIC_MAX_BYTES (32u << 20) /* all files together */

struct jx_static_file {
	char *path;       /* "/js/app.js" */
	const char *type; /* "text/javascript; charset=utf-8" */
	char *body;
	size_t len;
	char etag[24]; /* "\"<16 hex digits>\"" of the content */
};

struct jx_static {
	struct jx_static_file *files; /* sorted by path */
	size_t n;
};

/* An extra file: URL path -> file on disk (outside the web directory). */
struct jx_static_map {
	const char *path;
	const char *file;
};

/*
 * Load every allowed file under dir (recursively; symbolic links, dot
 * files and directories, and unknown types skipped) and the extra maps
 * (n of them; a missing extra file is JX_ENOTFOUND naming it) into *out.
 * JX_ETOOBIG past the limits above, JX_EIO for a directory that cannot be
 * read, JX_ENOMEM. On failure *out is empty.
 */
enum jx_err jx_static_load(struct jx_static *out, const char *dir,
                           const struct jx_static_map *extra, size_t n,
                           struct jx_diag *d);

/* Free what s holds. Accepts an empty s. */
void jx_static_cleanup(struct jx_static *s);

/* The file served at path ("/" is "/index.html"), or NULL. */
const struct jx_static_file *jx_static_find(const struct jx_static *s,
                                            const char *path);

#endif
