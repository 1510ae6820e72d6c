/*
 * cli_input.c - inputs of the jixiao command: rule sets by name or path,
 * whole files, directories and JSON Lines read in bounded memory,
 * documents (.xlsx / .xlsm workbooks, .docx reports, tables written as
 * .txt / .md text) read into grids and searched for the self-evaluation
 * with the document layouts of rules/layouts/, and the terminal cell
 * printer. A directory is walked for .json, .jsonl, .xlsx, .xlsm and
 * .docx files; a .txt or .md file is read only when named. File I/O lives
 * here, not in the core.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "jx/docx.h"
#include "jx/evaljson.h"
#include "jx/grid.h"
#include "jx/limits.h"
#include "jx/sheet.h"
#include "jx/text.h"
#include "jx/xlsx.h"

#define CHUNK ((size_t)1 << 20)

/* The document layouts, loaded when the first document needs them. */
struct doc_layouts {
	struct jx_sheet_layout l[JX_SHEET_MAX_LAYOUTS];
	size_t n;
	bool tried;
	enum jx_err err;
	struct jx_diag d; /* why they could not be loaded */
};

/* What one walk over the inputs shares. */
struct walk {
	struct jx_eval e;
	struct doc_layouts layouts;
};

enum doc_kind { DOC_NONE, DOC_XLSX, DOC_DOCX, DOC_TEXT };

static bool ends_with(const char *s, const char *suffix);
static enum doc_kind doc_kind(const char *path);
static int cmp_names(const void *a, const void *b);
static void layouts_load(struct doc_layouts *dl);
static void layouts_free(struct doc_layouts *dl);
static enum jx_err docx_grids(const char *path, struct jx_arena *a,
                              struct jx_grid **grids, size_t *ngrids,
                              struct jx_diag *d);
static void each_document(const char *path, enum doc_kind kind, struct walk *w,
                          jx_cli_each_fn fn, void *arg, bool *stop);
static size_t each_path(const char *path, bool force_lines, int depth,
                        struct walk *w, jx_cli_each_fn fn, void *arg,
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

bool
jx_cli_ends_with_ci(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix), i;

	if (a < b)
		return false;
	for (i = 0; i < b; i++)
		if (tolower((unsigned char)s[a - b + i]) !=
		    tolower((unsigned char)suffix[i]))
			return false;
	return true;
}

/* Which kind of document a file name says it is. */
static enum doc_kind
doc_kind(const char *path)
{
	if (jx_cli_ends_with_ci(path, ".xlsx") ||
	    jx_cli_ends_with_ci(path, ".xlsm"))
		return DOC_XLSX;
	if (jx_cli_ends_with_ci(path, ".docx"))
		return DOC_DOCX;
	if (jx_cli_ends_with_ci(path, ".txt") ||
	    jx_cli_ends_with_ci(path, ".md"))
		return DOC_TEXT;
	return DOC_NONE;
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

/*
 * Load every layout of the first of $JIXIAO_RULES_DIR/layouts, the source
 * tree's rules/layouts and the installed one that holds any, in the order
 * of their names (a tie between layouts goes to the first). A bad layout
 * file stops all document reading: dl->err and dl->d say why.
 */
static void
layouts_load(struct doc_layouts *dl)
{
	const char *dirs[4];
	char dir[JX_MAX_PATH], path[JX_MAX_PATH], stem[256];
	char **names = NULL, **nn, *buf;
	struct dirent *de;
	size_t ndirs, i, n = 0, cap = 0, len;
	DIR *dp = NULL;

	dl->tried = true;
	dl->err = JX_ENOTFOUND;
	jx_diag_clear(&dl->d);
	ndirs = jx_cli_rules_dirs(dirs, 4);
	for (i = 0; i < ndirs && dp == NULL; i++) {
		snprintf(dir, sizeof(dir), "%s/layouts", dirs[i]);
		dp = opendir(dir);
	}
	if (dp == NULL) {
		jx_diag_set(&dl->d, JX_ENOTFOUND, NULL,
		            "找不到文档版式目录（rules/"
		            "layouts），无法读取表格文档");
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json"))
			continue;
		if (n == cap) {
			cap = cap != 0 ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL)
				break;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) != NULL)
			n++;
	}
	closedir(dp);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	dl->err = JX_OK;
	for (i = 0; i < n && dl->err == JX_OK; i++) {
		if (dl->n == JX_SHEET_MAX_LAYOUTS) {
			jx_diag_set_file(&dl->d, dir);
			dl->err = jx_diag_set(&dl->d, JX_ETOOBIG, NULL,
			                      "文档版式过多（上限 %d 个）",
			                      JX_SHEET_MAX_LAYOUTS);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(stem, sizeof(stem), "%.*s",
		         (int)(strlen(names[i]) - strlen(".json")), names[i]);
		buf = NULL;
		dl->err = jx_cli_read_file(path, JX_MAX_RULES_BYTES, &buf, &len,
		                           &dl->d);
		if (dl->err == JX_OK) {
			dl->err = jx_sheet_layout_load(&dl->l[dl->n], buf, len,
			                               stem, path, &dl->d);
			if (dl->err == JX_OK)
				dl->n++;
		}
		free(buf);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (dl->err == JX_OK && dl->n == 0) {
		jx_diag_set_file(&dl->d, dir);
		dl->err = jx_diag_set(&dl->d, JX_ENOTFOUND, NULL,
		                      "目录中没有文档版式（*.json）");
	}
	if (dl->err != JX_OK) {
		char line[1200];

		jx_diag_format(&dl->d, line, sizeof(line));
		fprintf(stderr, "jixiao: 文档版式无效，无法读取表格文档: %s\n",
		        line);
	}
}

static void
layouts_free(struct doc_layouts *dl)
{
	size_t i;

	for (i = 0; i < dl->n; i++)
		jx_sheet_layout_cleanup(&dl->l[i]);
	dl->n = 0;
	dl->tried = false;
}

/* A Word document's tables, then its body paragraphs as the rows of a
 * last grid named "正文" (the narrative states totals and grades). */
static enum jx_err
docx_grids(const char *path, struct jx_arena *a, struct jx_grid **grids,
           size_t *ngrids, struct jx_diag *d)
{
	struct jx_docx doc;
	struct jx_grid *g;
	size_t i;
	uint32_t r = 0;
	enum jx_err err;

	err = jx_docx_read(path, a, &doc, d);
	if (err != JX_OK)
		return err;
	g = jx_arena_calloc(a, doc.ntables + 1, sizeof(*g));
	if (g == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	for (i = 0; i < doc.ntables; i++)
		g[i] = *doc.tables[i];
	jx_grid_init(&g[doc.ntables], a);
	err = jx_grid_set_name(&g[doc.ntables], "正文", strlen("正文"));
	for (i = 0; err == JX_OK && i < doc.nparagraphs && r < JX_GRID_MAX_ROWS;
	     i++) {
		const char *p = doc.paragraphs[i];
		size_t n = strlen(p);

		jx_text_trim(&p, &n);
		if (n > 0)
			err = jx_grid_set(&g[doc.ntables], r++, 0, p, n);
	}
	if (err == JX_ETOOBIG)
		err = JX_OK; /* the tables are read; the narrative is cut */
	if (err != JX_OK)
		return jx_diag_set(d, err, NULL, "内存不足");
	*grids = g;
	*ngrids = doc.ntables + (r > 0);
	return JX_OK;
}

/*
 * Read one document: its grids, then the self-evaluation in them. What
 * could not be read is printed to stderr with where it is, after the
 * explanation of how the table was recognised; a document that cannot be
 * read at all goes to fn as bad input, with the reason.
 */
static void
each_document(const char *path, enum doc_kind kind, struct walk *w,
              jx_cli_each_fn fn, void *arg, bool *stop)
{
	struct jx_sheet_report rep;
	struct jx_grid *grids = NULL;
	struct jx_arena a;
	struct jx_diag d;
	char *buf = NULL, line[4096];
	size_t ngrids = 0, len = 0, i;
	enum jx_err err = JX_OK;

	jx_arena_init(&a, 0);
	jx_sheet_report_init(&rep);
	jx_diag_clear(&d);
	if (!w->layouts.tried)
		layouts_load(&w->layouts);
	if (w->layouts.err != JX_OK) {
		jx_diag_format(&w->layouts.d, line, sizeof(line));
		err = jx_diag_set(&d, w->layouts.err, NULL,
		                  "文档版式无效，无法读取：%s", line);
	} else if (kind == DOC_XLSX) {
		err = jx_xlsx_read(path, &a, &grids, &ngrids, &d);
	} else if (kind == DOC_DOCX) {
		err = docx_grids(path, &a, &grids, &ngrids, &d);
	} else {
		err = jx_cli_read_file(path, JX_SHEET_TEXT_MAX, &buf, &len, &d);
		if (err == JX_OK)
			err = jx_sheet_text_grid(buf, len, &a, &grids, &ngrids,
			                         &d);
	}
	if (err == JX_OK)
		err = jx_sheet_read(grids, ngrids, w->layouts.l, w->layouts.n,
		                    &w->e, &rep, &d);
	if (err == JX_OK) {
		w->e.source = jx_arena_strndup(&w->e.arena, path, strlen(path));
		if (w->e.source == NULL)
			err = jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足");
	}
	jx_diag_set_file(&d, path);
	if (err != JX_OK) {
		if (!fn(arg, NULL, &d))
			*stop = true;
		goto done;
	}
	if (rep.nnotes > 0) {
		jx_sheet_explain(&rep, line, sizeof(line));
		fprintf(stderr, "jixiao: %s: %s\n", path, line);
		for (i = 0; i < rep.nnotes; i++) {
			jx_sheet_note_format(&rep.notes[i], line, sizeof(line));
			fprintf(stderr, "jixiao: %s: %s\n", path, line);
		}
		if (rep.notes_dropped > 0)
			fprintf(stderr, "jixiao: %s: 另有 %zu 处未能读入\n",
			        path, rep.notes_dropped);
	}
	if (!fn(arg, &w->e, NULL))
		*stop = true;
done:
	free(buf);
	jx_sheet_report_cleanup(&rep);
	jx_arena_cleanup(&a);
}

static size_t
each_path(const char *path, bool force_lines, int depth, struct walk *w,
          jx_cli_each_fn fn, void *arg, bool *stop)
{
	struct stat st;
	size_t failed = 0;

	if (*stop)
		return 0;
	if (strcmp(path, "-") == 0)
		return each_lines(stdin, "<stdin>", &w->e, fn, arg, stop);
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
			/* Text files in a folder are mostly its README and
			 * notes: a .txt or .md is read only when named. */
			if (!S_ISDIR(cst.st_mode) &&
			    !ends_with(full, ".json") &&
			    !ends_with(full, ".jsonl") &&
			    doc_kind(full) != DOC_XLSX &&
			    doc_kind(full) != DOC_DOCX)
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
			failed += each_path(names[i], force_lines, depth + 1, w,
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
		failed = each_lines(f, path, &w->e, fn, arg, stop);
		fclose(f);
		return failed;
	} else if (doc_kind(path) != DOC_NONE) {
		each_document(path, doc_kind(path), w, fn, arg, stop);
		return 0;
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
		jx_eval_reset(&w->e);
		err = jx_evaljson_read(buf, len, path, 0, &w->e, &d);
		if (d.file[0] == '\0')
			jx_diag_set_file(&d, path);
		if (!fn(arg, err == JX_OK ? &w->e : NULL,
		        err == JX_OK ? NULL : &d))
			*stop = true;
		free(buf);
		return 0;
	}
}

size_t
jx_cli_each(char **paths, size_t n, bool force_lines, jx_cli_each_fn fn,
            void *arg)
{
	struct walk *w;
	size_t i, failed = 0;
	bool stop = false;

	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		fprintf(stderr, "jixiao: 内存不足\n");
		return n;
	}
	jx_eval_init(&w->e);
	for (i = 0; i < n && !stop; i++)
		failed +=
		        each_path(paths[i], force_lines, 0, w, fn, arg, &stop);
	jx_eval_cleanup(&w->e);
	layouts_free(&w->layouts);
	free(w);
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
