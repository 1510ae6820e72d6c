/*
 * cli_input.c - inputs of the jixiao command: rule sets by name or path,
 * whole files, directories and JSON Lines read in bounded memory, and the
 * terminal cell printer. File I/O lives here, not in the core.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "jx/evaljson.h"
#include "jx/limits.h"
#include "jx/text.h"

#define CHUNK ((size_t)1 << 20)

static bool ends_with(const char *s, const char *suffix);
static int cmp_names(const void *a, const void *b);
static size_t each_path(const char *path, bool force_lines, int depth,
                        struct jx_eval *e, jx_cli_each_fn fn, void *arg,
                        bool *stop);
static size_t each_lines(FILE *f, const char *name, struct jx_eval *e,
                         jx_cli_each_fn fn, void *arg, bool *stop);
static void bad(const char *file, int line, enum jx_err err, const char *msg,
                jx_cli_each_fn fn, void *arg, bool *stop);

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

size_t
jx_cli_rules_dirs(const char **dirs, size_t cap)
{
	size_t n = 0;
	const char *env = getenv("JIXIAO_RULES_DIR");

	if (env != NULL && env[0] != '\0' && n < cap)
		dirs[n++] = env;
	if (n < cap)
		dirs[n++] = JX_SOURCE_DIR "/rules";
	if (n < cap)
		dirs[n++] = JX_RULES_DIR;
	return n;
}

enum jx_err
jx_cli_read_file(const char *path, size_t max, char **out, size_t *len,
                 struct jx_diag *d)
{
	FILE *f;
	char *buf = NULL, *nb;
	size_t used = 0, cap = 0, n;
	enum jx_err err = JX_OK;

	f = fopen(path, "rb");
	if (f == NULL) {
		jx_diag_set_file(d, path);
		return jx_diag_set(d, errno == ENOENT ? JX_ENOTFOUND : JX_EIO,
		                   NULL, "无法打开文件：%s", strerror(errno));
	}
	for (;;) {
		if (cap - used < CHUNK / 4) {
			size_t ncap = cap == 0 ? CHUNK / 4 : cap * 2;

			if (ncap > max + 1)
				ncap = max + 1;
			if (ncap <= cap) {
				err = JX_ETOOBIG;
				jx_diag_set_file(d, path);
				jx_diag_set(d, err, NULL,
				            "文件超过%zu字节的上限", max);
				goto done;
			}
			nb = realloc(buf, ncap + 1);
			if (nb == NULL) {
				err = JX_ENOMEM;
				goto done;
			}
			buf = nb;
			cap = ncap;
		}
		n = fread(buf + used, 1, cap - used, f);
		used += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		err = JX_EIO;
		jx_diag_set_file(d, path);
		jx_diag_set(d, err, NULL, "读取失败");
		goto done;
	}
	if (used > max) {
		err = JX_ETOOBIG;
		jx_diag_set_file(d, path);
		jx_diag_set(d, err, NULL, "文件超过%zu字节的上限", max);
		goto done;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		err = JX_ENOMEM;
		goto done;
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	buf = NULL;
done:
	free(buf);
	fclose(f);
	return err;
}

const struct jx_rules *
jx_cli_rules_get(struct jx_cli_rules *c, const char *spec)
{
	char path[JX_MAX_PATH], name[256];
	const char *dirs[4], *base, *dot;
	struct jx_rules *r = NULL;
	struct jx_diag d;
	char *buf = NULL, line[1024];
	size_t len = 0, i, ndirs;
	enum jx_err err = JX_ENOTFOUND;
	bool is_path = strchr(spec, '/') != NULL || ends_with(spec, ".json");

	base = strrchr(spec, '/');
	base = base != NULL ? base + 1 : spec;
	dot = strrchr(base, '.');
	snprintf(name, sizeof(name), "%.*s",
	         (int)(dot != NULL && is_path ? (size_t)(dot - base)
	                                      : strlen(base)),
	         base);
	for (i = 0; i < c->n; i++)
		if (strcmp(c->sets[i]->name, name) == 0)
			return c->sets[i];
	if (c->n == sizeof(c->sets) / sizeof(c->sets[0])) {
		fprintf(stderr, "jixiao: 同时使用的规则方案过多\n");
		return NULL;
	}
	jx_diag_clear(&d);
	if (is_path) {
		snprintf(path, sizeof(path), "%s", spec);
		err = jx_cli_read_file(path, JX_MAX_RULES_BYTES, &buf, &len,
		                       &d);
	} else {
		ndirs = jx_cli_rules_dirs(dirs, 4);
		for (i = 0; i < ndirs && err == JX_ENOTFOUND; i++) {
			snprintf(path, sizeof(path), "%s/%s.json", dirs[i],
			         spec);
			jx_diag_clear(&d);
			err = jx_cli_read_file(path, JX_MAX_RULES_BYTES, &buf,
			                       &len, &d);
		}
		if (err == JX_ENOTFOUND) {
			fprintf(stderr,
			        "jixiao: 找不到规则方案“%s”（可用 jixiao rules "
			        "list "
			        "查看）\n",
			        spec);
			return NULL;
		}
	}
	if (err == JX_OK) {
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			err = JX_ENOMEM;
	}
	if (err == JX_OK) {
		jx_diag_clear(&d);
		jx_diag_set_file(&d, path);
		err = jx_rules_load(r, buf, len, name, path, &d);
		if (d.file[0] == '\0')
			jx_diag_set_file(&d, path);
	}
	free(buf);
	if (err != JX_OK) {
		jx_diag_format(&d, line, sizeof(line));
		fprintf(stderr, "jixiao: 规则方案无效: %s\n", line);
		free(r);
		return NULL;
	}
	c->sets[c->n++] = r;
	return r;
}

void
jx_cli_rules_free(struct jx_cli_rules *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		jx_rules_cleanup(c->sets[i]);
		free(c->sets[i]);
	}
	c->n = 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
bad(const char *file, int line, enum jx_err err, const char *msg,
    jx_cli_each_fn fn, void *arg, bool *stop)
{
	struct jx_diag d;

	jx_diag_clear(&d);
	jx_diag_set_file(&d, file);
	d.line = line;
	jx_diag_set(&d, err, NULL, "%s", msg);
	if (!fn(arg, NULL, &d))
		*stop = true;
}

/* Read JSON Lines from f in chunks: memory stays within one record plus a
 * chunk whatever the file's size. */
static size_t
each_lines(FILE *f, const char *name, struct jx_eval *e, jx_cli_each_fn fn,
           void *arg, bool *stop)
{
	char *buf = NULL, *nb;
	size_t cap = 4 * CHUNK, len = 0, start, scan, n;
	int lineno = 1;
	bool skipping = false, eof = false;
	struct jx_diag d;
	enum jx_err err;

	buf = malloc(cap);
	if (buf == NULL) {
		bad(name, 0, JX_ENOMEM, "内存不足", fn, arg, stop);
		return 1;
	}
	while (!*stop && !eof) {
		if (len == cap) {
			/* One record is larger than the buffer. */
			if (cap >= JX_MAX_RECORD_BYTES) {
				bad(name, lineno, JX_ETOOBIG,
				    "该行超过单条记录的大小上限", fn, arg,
				    stop);
				skipping = true;
				len = 0;
			} else {
				nb = realloc(buf, cap * 2);
				if (nb == NULL) {
					bad(name, lineno, JX_ENOMEM, "内存不足",
					    fn, arg, stop);
					break;
				}
				buf = nb;
				cap *= 2;
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0) {
			if (ferror(f)) {
				bad(name, lineno, JX_EIO, "读取失败", fn, arg,
				    stop);
				break;
			}
			eof = true;
			if (len == 0)
				break;
			/* The last line may lack its newline. */
			if (buf[len - 1] != '\n') {
				if (len == cap) {
					nb = realloc(buf, cap + 1);
					if (nb == NULL)
						break;
					buf = nb;
					cap++;
				}
				buf[len++] = '\n';
			}
		}
		len += n;
		start = 0;
		for (scan = start; scan < len; scan++) {
			char *nl = memchr(buf + scan, '\n', len - scan);
			size_t ll;

			if (nl == NULL)
				break;
			scan = (size_t)(nl - buf);
			ll = scan - start;
			if (ll > 0 && buf[start + ll - 1] == '\r')
				ll--;
			if (skipping) {
				skipping = false;
			} else if (ll > 0) {
				size_t k = 0;

				while (k < ll && (buf[start + k] == ' ' ||
				                  buf[start + k] == '\t'))
					k++;
				if (k < ll) {
					jx_eval_reset(e);
					jx_diag_clear(&d);
					err = jx_evaljson_read(buf + start, ll,
					                       name, lineno, e,
					                       &d);
					if (d.file[0] == '\0')
						jx_diag_set_file(&d, name);
					if (d.line == 0)
						d.line = lineno;
					if (!fn(arg, err == JX_OK ? e : NULL,
					        err == JX_OK ? NULL : &d)) {
						*stop = true;
						break;
					}
				}
			}
			lineno++;
			start = scan + 1;
		}
		if (start > 0) {
			memmove(buf, buf + start, len - start);
			len -= start;
		}
	}
	free(buf);
	return 0;
}

static size_t
each_path(const char *path, bool force_lines, int depth, struct jx_eval *e,
          jx_cli_each_fn fn, void *arg, bool *stop)
{
	struct stat st;
	size_t failed = 0;

	if (*stop)
		return 0;
	if (strcmp(path, "-") == 0)
		return each_lines(stdin, "<stdin>", e, fn, arg, stop);
	if (stat(path, &st) != 0) {
		bad(path, 0, JX_ENOTFOUND, strerror(errno), fn, arg, stop);
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *dir;
		struct dirent *de;
		char **names = NULL, **nn;
		size_t n = 0, cap = 0, i;

		if (depth > 16) {
			bad(path, 0, JX_ETOOBIG, "目录层级过深", fn, arg, stop);
			return 1;
		}
		dir = opendir(path);
		if (dir == NULL) {
			bad(path, 0, JX_EIO, strerror(errno), fn, arg, stop);
			return 1;
		}
		while ((de = readdir(dir)) != NULL) {
			char full[JX_MAX_PATH];
			struct stat cst;

			if (de->d_name[0] == '.')
				continue;
			size_t pl = strlen(path);

			/* "dir/" and "dir" name the same entries. */
			while (pl > 1 && path[pl - 1] == '/')
				pl--;
			if (snprintf(full, sizeof(full), "%.*s/%s", (int)pl,
			             path, de->d_name) >= (int)sizeof(full))
				continue;
			if (stat(full, &cst) != 0)
				continue;
			if (!S_ISDIR(cst.st_mode) &&
			    !ends_with(full, ".json") &&
			    !ends_with(full, ".jsonl"))
				continue;
			if (n == cap) {
				cap = cap != 0 ? cap * 2 : 32;
				nn = realloc(names, cap * sizeof(*names));
				if (nn == NULL)
					break;
				names = nn;
			}
			names[n] = strdup(full);
			if (names[n] != NULL)
				n++;
		}
		closedir(dir);
		if (n > 0)
			qsort(names, n, sizeof(*names), cmp_names);
		for (i = 0; i < n; i++) {
			failed += each_path(names[i], force_lines, depth + 1, e,
			                    fn, arg, stop);
			free(names[i]);
		}
		free(names);
		return failed;
	}
	if (force_lines || ends_with(path, ".jsonl") ||
	    ends_with(path, ".ndjson")) {
		FILE *f = fopen(path, "rb");

		if (f == NULL) {
			bad(path, 0, JX_EIO, strerror(errno), fn, arg, stop);
			return 1;
		}
		failed = each_lines(f, path, e, fn, arg, stop);
		fclose(f);
		return failed;
	} else {
		struct jx_diag d;
		char *buf = NULL;
		size_t len = 0;
		enum jx_err err;

		jx_diag_clear(&d);
		err = jx_cli_read_file(path, JX_MAX_RECORD_BYTES, &buf, &len,
		                       &d);
		if (err != JX_OK) {
			if (!fn(arg, NULL, &d))
				*stop = true;
			return 1;
		}
		jx_eval_reset(e);
		err = jx_evaljson_read(buf, len, path, 0, e, &d);
		if (d.file[0] == '\0')
			jx_diag_set_file(&d, path);
		if (!fn(arg, err == JX_OK ? e : NULL, err == JX_OK ? NULL : &d))
			*stop = true;
		free(buf);
		return 0;
	}
}

size_t
jx_cli_each(char **paths, size_t n, bool force_lines, jx_cli_each_fn fn,
            void *arg)
{
	struct jx_eval e;
	size_t i, failed = 0;
	bool stop = false;

	jx_eval_init(&e);
	for (i = 0; i < n && !stop; i++)
		failed +=
		        each_path(paths[i], force_lines, 0, &e, fn, arg, &stop);
	jx_eval_cleanup(&e);
	return failed;
}

void
jx_cli_cell(FILE *f, const char *s, size_t cols)
{
	char out[1024];
	size_t used = 0, w, len;

	if (s == NULL)
		s = "";
	len = strlen(s);
	w = jx_text_width(s, len);
	if (w <= cols) {
		fputs(s, f);
		used = w;
	} else if (cols >= 1) {
		jx_text_clip(s, len, cols - 1, out, sizeof(out), &used);
		fputs(out, f);
		fputs("…", f);
		used++;
	}
	for (; used < cols; used++)
		fputc(' ', f);
}
