/*
 * static.c - the in-memory allow-list of the web UI's files (static.h).
 * Walks the web directory once with lstat (never following links), keeps
 * files of known types, sorts them by URL path for binary search.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jx/static.h"
#include "jx/text.h"

struct loader {
	struct jx_static *s;
	size_t cap;
	size_t bytes;
};

static const char *type_of(const char *name);
static enum jx_err add_file(struct loader *l, const char *url, const char *file,
                            const char *type, struct jx_diag *d);
static enum jx_err walk(struct loader *l, const char *dir, const char *url,
                        int depth, struct jx_diag *d);
static int by_path(const void *a, const void *b);

static const struct {
	const char *ext;
	const char *type;
} types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
};

static const char *
type_of(const char *name)
{
	size_t i, n = strlen(name), e;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		e = strlen(types[i].ext);
		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return NULL;
}

static enum jx_err
add_file(struct loader *l, const char *url, const char *file, const char *type,
         struct jx_diag *d)
{
	struct jx_static_file *f;
	FILE *fp = NULL;
	struct stat st;
	enum jx_err err = JX_OK;

	if (l->s->n == JX_STATIC_MAX_FILES)
		return jx_diag_set(d, JX_ETOOBIG, file,
		                   "网页文件过多：最多 %d 个",
		                   JX_STATIC_MAX_FILES);
	if (l->s->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct jx_static_file *nf =
		        realloc(l->s->files, cap * sizeof(*nf));

		if (nf == NULL)
			return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		l->s->files = nf;
		l->cap = cap;
	}
	f = &l->s->files[l->s->n];
	memset(f, 0, sizeof(*f));
	fp = fopen(file, "rb");
	if (fp == NULL || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		err = jx_diag_set(d, errno == ENOENT ? JX_ENOTFOUND : JX_EIO,
		                  file, "无法读取网页文件 %s", file);
		goto done;
	}
	if ((size_t)st.st_size > JX_STATIC_MAX_BYTES - l->bytes) {
		err = jx_diag_set(d, JX_ETOOBIG, file, "网页文件合计过大");
		goto done;
	}
	f->len = (size_t)st.st_size;
	f->body = malloc(f->len + 1);
	f->path = strdup(url);
	if (f->body == NULL || f->path == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	if (f->len > 0 && fread(f->body, 1, f->len, fp) != f->len) {
		err = jx_diag_set(d, JX_EIO, file, "读取网页文件 %s 失败",
		                  file);
		goto done;
	}
	f->body[f->len] = '\0';
	f->type = type;
	snprintf(f->etag, sizeof(f->etag), "\"%016" PRIx64 "\"",
	         jx_text_hash64(f->body, f->len));
	l->bytes += f->len;
	l->s->n++;
done:
	if (fp != NULL)
		fclose(fp);
	if (err != JX_OK) {
		free(f->body);
		free(f->path);
	}
	return err;
}

static enum jx_err
walk(struct loader *l, const char *dir, const char *url, int depth,
     struct jx_diag *d)
{
	char file[4096], sub[1024];
	struct dirent *e;
	struct stat st;
	enum jx_err err = JX_OK;
	DIR *dp;

	if (depth > 8)
		return JX_OK;
	dp = opendir(dir);
	if (dp == NULL)
		return jx_diag_set(d, JX_EIO, NULL, "无法读取网页目录 %s", dir);
	while (err == JX_OK && (e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue; /* ".", "..", dot files */
		if ((size_t)snprintf(file, sizeof(file), "%s/%s", dir,
		                     e->d_name) >= sizeof(file) ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", url,
		                     e->d_name) >= sizeof(sub))
			continue;
		if (lstat(file, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			err = walk(l, file, sub, depth + 1, d);
		else if (S_ISREG(st.st_mode) && type_of(e->d_name) != NULL)
			err = add_file(l, sub, file, type_of(e->d_name), d);
	}
	closedir(dp);
	return err;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct jx_static_file *)a)->path,
	              ((const struct jx_static_file *)b)->path);
}

enum jx_err
jx_static_load(struct jx_static *out, const char *dir,
               const struct jx_static_map *extra, size_t n, struct jx_diag *d)
{
	struct jx_static s = {NULL, 0};
	struct loader l = {&s, 0, 0};
	enum jx_err err;
	size_t i;

	err = walk(&l, dir, "", 0, d);
	for (i = 0; err == JX_OK && i < n; i++) {
		if (type_of(extra[i].path) == NULL)
			err = jx_diag_set(d, JX_EINVAL, extra[i].path,
			                  "未知的网页文件类型");
		else
			err = add_file(&l, extra[i].path, extra[i].file,
			               type_of(extra[i].path), d);
	}
	if (err != JX_OK) {
		jx_static_cleanup(&s);
		return err;
	}
	qsort(s.files, s.n, sizeof(*s.files), by_path);
	*out = s;
	return JX_OK;
}

void
jx_static_cleanup(struct jx_static *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].body);
	}
	free(s->files);
	s->files = NULL;
	s->n = 0;
}

const struct jx_static_file *
jx_static_find(const struct jx_static *s, const char *path)
{
	struct jx_static_file key;

	if (s == NULL || s->n == 0 || path == NULL)
		return NULL;
	key.path = (char *)(uintptr_t)(strcmp(path, "/") == 0 ? "/index.html"
	                                                      : path);
	return bsearch(&key, s->files, s->n, sizeof(*s->files), by_path);
}
