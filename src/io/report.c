/*
 * report.c - the batch-check workbook (report.h): a 部门汇总 sheet, one
 * sheet of findings per input file, and the 无法读取的文件 sheet, written
 * with libxlsxwriter. File sheets are filled as the findings arrive (the
 * library keeps them until the workbook is closed); the per-department
 * tallies and the unreadable files are kept here and written at close. The
 * workbook goes to "PATH.tmp" and is renamed over PATH only when complete.
 * This module does not read, score or audit anything.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "jx/report.h"

#define SHEET_CHARS   31    /* characters of a sheet name (Excel's) */
#define NAME_BYTES    128   /* a sheet name in UTF-8, with its suffix */
#define CELL_BYTES    32000 /* a cell's text, cut below Excel's 32767 */
#define TOP_CODES     3     /* codes named per department */
#define SUMMARY_SHEET "部门汇总"
#define UNREAD_SHEET  "无法读取的文件"
#define NO_DEPT       "（未填主管部门）"

struct code_count {
	const char *code; /* static, from the audit */
	size_t n;
};

struct dept {
	char *name;
	size_t files, evals, with_errors, errors, warnings;
	size_t last_file; /* sequence number of the last file counted */
	struct code_count *codes;
	size_t ncodes, capcodes;
};

struct unread {
	char *file;
	int line;
	char *reason;
};

struct jx_report {
	char *path, *tmp;
	lxw_workbook *wb;
	lxw_worksheet *summary;
	lxw_format *head, *wrap, *error, *warn, *bold;
	lxw_worksheet *ws; /* the current file's sheet */
	char *file;        /* the current file */
	size_t file_seq;   /* 1 for the first file sheet */
	lxw_row_t row;     /* next row of ws */
	size_t over;       /* findings past the sheet's last row */
	struct dept *depts;
	size_t ndepts, capdepts;
	struct unread *unread;
	size_t nunread, capunread;
	bool failed;
};

static size_t utf8_prefix(const char *s, size_t chars);
static bool same_name(const char *a, const char *b);
static void put(struct jx_report *rp, lxw_worksheet *ws, lxw_row_t r,
                lxw_col_t c, const char *s, lxw_format *fmt);
static void file_header(struct jx_report *rp, lxw_worksheet *ws);
static void sheet_done(struct jx_report *rp);
static enum jx_err new_file_sheet(struct jx_report *rp, const char *file);
static struct dept *dept_get(struct jx_report *rp, const char *name);
static enum jx_err dept_code(struct dept *dp, const char *code);
static void write_summary(struct jx_report *rp);
static void write_unread(struct jx_report *rp, lxw_worksheet *ws);
static void report_free(struct jx_report *rp);

static size_t
utf8_prefix(const char *s, size_t chars)
{
	size_t i = 0;

	while (s[i] != '\0' && chars > 0) {
		i++;
		while (((unsigned char)s[i] & 0xC0u) == 0x80u)
			i++;
		chars--;
	}
	return i;
}

/* ASCII case-insensitive equality (Excel compares sheet names so). */
static bool
same_name(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* Write s (NULL: nothing) into a cell, cut on a character boundary to fit. */
static void
put(struct jx_report *rp, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s, lxw_format *fmt)
{
	char buf[CELL_BYTES + 4];
	size_t len;

	if (s == NULL)
		return;
	len = strlen(s);
	if (len > CELL_BYTES) {
		len = CELL_BYTES;
		while (len > 0 && ((unsigned char)s[len] & 0xC0u) == 0x80u)
			len--;
		memcpy(buf, s, len);
		memcpy(buf + len, "…", sizeof("…"));
		s = buf;
	}
	if (worksheet_write_string(ws, r, c, s, fmt) != LXW_NO_ERROR)
		rp->failed = true;
}

static void
file_header(struct jx_report *rp, lxw_worksheet *ws)
{
	static const char *const heads[] = {"文件",     "项目", "代码",
	                                    "严重程度", "位置", "填报值",
	                                    "计算值",   "说明"};
	static const double widths[] = {28, 30, 24, 9, 30, 14, 14, 60};
	lxw_col_t c;

	for (c = 0; c < 8; c++) {
		worksheet_set_column(ws, c, c, widths[c],
		                     c == 7 || c == 4 ? rp->wrap : NULL);
		put(rp, ws, 0, c, heads[c], rp->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
}

/* Close the current file sheet: note the findings that did not fit. */
static void
sheet_done(struct jx_report *rp)
{
	char note[96];

	if (rp->ws != NULL && rp->over > 0) {
		snprintf(note, sizeof(note),
		         "另有%zu项问题超出工作表行数，未列出", rp->over);
		put(rp, rp->ws, LXW_ROW_MAX - 1, 0, note, rp->bold);
	}
	rp->ws = NULL;
	rp->over = 0;
	free(rp->file);
	rp->file = NULL;
}

static enum jx_err
new_file_sheet(struct jx_report *rp, const char *file)
{
	char base[NAME_BYTES], name[NAME_BYTES], suffix[24];
	const char *src = strrchr(file, '/');
	size_t len, i, unique = 1;

	sheet_done(rp);
	rp->file = strdup(file);
	if (rp->file == NULL)
		return JX_ENOMEM;
	rp->file_seq++;
	src = src != NULL && src[1] != '\0' ? src + 1 : file;
	len = utf8_prefix(src, SHEET_CHARS);
	if (len >= sizeof(base))
		len = sizeof(base) - 1;
	for (i = 0; i < len; i++) {
		char c = src[i];

		base[i] = (strchr("[]:*?/\\", c) != NULL ||
		           (unsigned char)c < 0x20u)
		                  ? '_'
		                  : c;
	}
	base[len] = '\0';
	if (len > 0 && base[0] == '\'')
		base[0] = '_';
	if (len > 0 && base[len - 1] == '\'')
		base[len - 1] = '_';
	if (len == 0)
		snprintf(base, sizeof(base), "文件%zu", rp->file_seq);
	suffix[0] = '\0';
	for (;;) {
		len = utf8_prefix(base, SHEET_CHARS - strlen(suffix));
		snprintf(name, sizeof(name), "%.*s%s", (int)len, base, suffix);
		if (!same_name(name, UNREAD_SHEET) &&
		    workbook_validate_sheet_name(rp->wb, name) == LXW_NO_ERROR)
			break;
		if (++unique > 100000)
			return JX_EINVAL;
		snprintf(suffix, sizeof(suffix), "(%zu)", unique);
	}
	rp->ws = workbook_add_worksheet(rp->wb, name);
	if (rp->ws == NULL)
		return JX_ENOMEM;
	file_header(rp, rp->ws);
	rp->row = 1;
	return JX_OK;
}

static struct dept *
dept_get(struct jx_report *rp, const char *name)
{
	struct dept *nd;
	size_t i;

	for (i = 0; i < rp->ndepts; i++)
		if (strcmp(rp->depts[i].name, name) == 0)
			return &rp->depts[i];
	if (rp->ndepts == rp->capdepts) {
		size_t cap = rp->capdepts != 0 ? rp->capdepts * 2 : 16;

		nd = realloc(rp->depts, cap * sizeof(*nd));
		if (nd == NULL)
			return NULL;
		rp->depts = nd;
		rp->capdepts = cap;
	}
	nd = &rp->depts[rp->ndepts];
	memset(nd, 0, sizeof(*nd));
	nd->name = strdup(name);
	if (nd->name == NULL)
		return NULL;
	rp->ndepts++;
	return nd;
}

static enum jx_err
dept_code(struct dept *dp, const char *code)
{
	struct code_count *nc;
	size_t i;

	for (i = 0; i < dp->ncodes; i++)
		if (strcmp(dp->codes[i].code, code) == 0) {
			dp->codes[i].n++;
			return JX_OK;
		}
	if (dp->ncodes == dp->capcodes) {
		size_t cap = dp->capcodes != 0 ? dp->capcodes * 2 : 8;

		nc = realloc(dp->codes, cap * sizeof(*nc));
		if (nc == NULL)
			return JX_ENOMEM;
		dp->codes = nc;
		dp->capcodes = cap;
	}
	dp->codes[dp->ncodes].code = code;
	dp->codes[dp->ncodes].n = 1;
	dp->ncodes++;
	return JX_OK;
}

enum jx_err
jx_report_open(const char *path, struct jx_report **out, struct jx_diag *d)
{
	struct jx_report *rp = NULL;
	enum jx_err err = JX_OK;
	size_t len;
	FILE *probe;

	if (path == NULL || path[0] == '\0' || out == NULL) {
		err = JX_EINVAL;
		goto fail;
	}
	rp = calloc(1, sizeof(*rp));
	if (rp == NULL)
		goto nomem;
	len = strlen(path);
	rp->path = strdup(path);
	rp->tmp = malloc(len + 5);
	if (rp->path == NULL || rp->tmp == NULL)
		goto nomem;
	memcpy(rp->tmp, path, len);
	memcpy(rp->tmp + len, ".tmp", 5);
	/* libxlsxwriter creates the file only at close: find out now. */
	probe = fopen(rp->tmp, "wb");
	if (probe == NULL) {
		if (d != NULL) {
			jx_diag_set_file(d, path);
			jx_diag_set(d, JX_EIO, NULL, "无法创建 Excel 文件：%s",
			            path);
		}
		err = JX_EIO;
		goto fail;
	}
	(void)fclose(probe);
	rp->wb = workbook_new(rp->tmp);
	if (rp->wb == NULL)
		goto nomem;
	rp->summary = workbook_add_worksheet(rp->wb, SUMMARY_SHEET);
	rp->head = workbook_add_format(rp->wb);
	rp->wrap = workbook_add_format(rp->wb);
	rp->error = workbook_add_format(rp->wb);
	rp->warn = workbook_add_format(rp->wb);
	rp->bold = workbook_add_format(rp->wb);
	if (rp->summary == NULL || rp->head == NULL || rp->wrap == NULL ||
	    rp->error == NULL || rp->warn == NULL || rp->bold == NULL)
		goto nomem;
	format_set_bold(rp->head);
	format_set_bg_color(rp->head, 0xD9E1F2);
	format_set_border(rp->head, LXW_BORDER_THIN);
	format_set_text_wrap(rp->wrap);
	format_set_font_color(rp->error, LXW_COLOR_RED);
	format_set_bold(rp->error);
	format_set_font_color(rp->warn, 0xC65911);
	format_set_bold(rp->bold);
	*out = rp;
	return JX_OK;
nomem:
	err = JX_ENOMEM;
	if (d != NULL)
		jx_diag_set(d, err, NULL, "内存不足");
fail:
	if (rp != NULL && rp->tmp != NULL && rp->wb == NULL)
		(void)remove(rp->tmp);
	jx_report_discard(rp);
	return err;
}

enum jx_err
jx_report_add(struct jx_report *rp, const char *file, const struct jx_eval *e,
              const struct jx_findings *f)
{
	struct dept *dp;
	const char *project;
	char note[96];
	size_t i;
	enum jx_err err = JX_OK;

	if (rp == NULL || e == NULL || f == NULL || rp->failed)
		return JX_EINVAL;
	if (file == NULL)
		file = e->source != NULL ? e->source : "";
	if (rp->file == NULL || strcmp(rp->file, file) != 0) {
		err = new_file_sheet(rp, file);
		if (err != JX_OK)
			goto fail;
	}
	dp = dept_get(rp, e->department != NULL && e->department[0] != '\0'
	                          ? e->department
	                          : NO_DEPT);
	if (dp == NULL) {
		err = JX_ENOMEM;
		goto fail;
	}
	if (dp->last_file != rp->file_seq) {
		dp->files++;
		dp->last_file = rp->file_seq;
	}
	dp->evals++;
	dp->errors += f->nerrors;
	dp->warnings += f->nwarnings;
	if (f->nerrors > 0)
		dp->with_errors++;
	project = e->title != NULL && e->title[0] != '\0' ? e->title
	          : e->id != NULL                         ? e->id
	                          : "（未命名项目）";
	for (i = 0; i < f->n; i++) {
		const struct jx_finding *it = &f->items[i];
		bool is_err = it->severity == JX_SEV_ERROR;
		lxw_row_t r = rp->row;

		if (it->severity == JX_SEV_OK)
			continue;
		err = dept_code(dp, it->code);
		if (err != JX_OK)
			goto fail;
		if (r >= LXW_ROW_MAX - 1) {
			rp->over++;
			continue;
		}
		put(rp, rp->ws, r, 0, file, NULL);
		put(rp, rp->ws, r, 1, project, NULL);
		put(rp, rp->ws, r, 2, it->code, NULL);
		put(rp, rp->ws, r, 3, is_err ? "错误" : "警告",
		    is_err ? rp->error : rp->warn);
		put(rp, rp->ws, r, 4, it->where, rp->wrap);
		put(rp, rp->ws, r, 5, it->stated, NULL);
		put(rp, rp->ws, r, 6, it->computed, NULL);
		put(rp, rp->ws, r, 7, it->message, rp->wrap);
		rp->row++;
	}
	if (f->dropped > 0 && rp->row < LXW_ROW_MAX - 1) {
		snprintf(note, sizeof(note), "另有%zu项问题未列出", f->dropped);
		put(rp, rp->ws, rp->row, 0, file, NULL);
		put(rp, rp->ws, rp->row, 1, project, NULL);
		put(rp, rp->ws, rp->row, 7, note, rp->bold);
		rp->row++;
	}
	if (rp->failed)
		err = JX_ENOMEM;
fail:
	if (err != JX_OK)
		rp->failed = true;
	return err;
}

enum jx_err
jx_report_add_unreadable(struct jx_report *rp, const char *file, int line,
                         const char *reason)
{
	struct unread *nu;

	if (rp == NULL || file == NULL || reason == NULL || rp->failed)
		return JX_EINVAL;
	if (rp->nunread == rp->capunread) {
		size_t cap = rp->capunread != 0 ? rp->capunread * 2 : 16;

		nu = realloc(rp->unread, cap * sizeof(*nu));
		if (nu == NULL)
			goto nomem;
		rp->unread = nu;
		rp->capunread = cap;
	}
	nu = &rp->unread[rp->nunread];
	nu->file = strdup(file);
	nu->reason = strdup(reason);
	nu->line = line;
	if (nu->file == NULL || nu->reason == NULL) {
		free(nu->file);
		free(nu->reason);
		goto nomem;
	}
	rp->nunread++;
	return JX_OK;
nomem:
	rp->failed = true;
	return JX_ENOMEM;
}

/* The most common codes first; equal counts by code. */
static int
cmp_codes(const void *a, const void *b)
{
	const struct code_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void
write_summary(struct jx_report *rp)
{
	static const char *const heads[] = {
	        "主管部门", "文件数",   "自评表数",  "有错误的自评表",
	        "错误项数", "警告项数", "最常见问题"};
	static const double widths[] = {30, 8, 10, 14, 10, 10, 60};
	lxw_worksheet *ws = rp->summary;
	size_t t[5] = {0, 0, 0, 0, 0}, i, k;
	lxw_row_t r = 1;
	lxw_col_t c;

	for (c = 0; c < 7; c++) {
		worksheet_set_column(ws, c, c, widths[c], NULL);
		put(rp, ws, 0, c, heads[c], rp->head);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (i = 0; i < rp->ndepts; i++, r++) {
		struct dept *dp = &rp->depts[i];
		char codes[512];
		size_t used = 0;

		if (dp->ncodes > 0)
			qsort(dp->codes, dp->ncodes, sizeof(*dp->codes),
			      cmp_codes);
		codes[0] = '\0';
		for (k = 0; k < dp->ncodes && k < TOP_CODES; k++) {
			int n = snprintf(codes + used, sizeof(codes) - used,
			                 "%s%s×%zu", k > 0 ? "，" : "",
			                 dp->codes[k].code, dp->codes[k].n);

			if (n < 0 || (size_t)n >= sizeof(codes) - used)
				break;
			used += (size_t)n;
		}
		put(rp, ws, r, 0, dp->name, NULL);
		worksheet_write_number(ws, r, 1, (double)dp->files, NULL);
		worksheet_write_number(ws, r, 2, (double)dp->evals, NULL);
		worksheet_write_number(ws, r, 3, (double)dp->with_errors, NULL);
		worksheet_write_number(ws, r, 4, (double)dp->errors, NULL);
		worksheet_write_number(ws, r, 5, (double)dp->warnings, NULL);
		put(rp, ws, r, 6, codes[0] != '\0' ? codes : "—", NULL);
		t[0] += dp->files;
		t[1] += dp->evals;
		t[2] += dp->with_errors;
		t[3] += dp->errors;
		t[4] += dp->warnings;
	}
	put(rp, ws, r, 0, "合计", rp->bold);
	for (k = 0; k < 5; k++)
		worksheet_write_number(ws, r, (lxw_col_t)(k + 1), (double)t[k],
		                       rp->bold);
	if (rp->nunread > 0) {
		char note[96];

		snprintf(note, sizeof(note),
		         "另有%zu个文件（或记录）无法读取，见“" UNREAD_SHEET
		         "”",
		         rp->nunread);
		put(rp, ws, r + 2, 0, note, rp->bold);
	}
}

static void
write_unread(struct jx_report *rp, lxw_worksheet *ws)
{
	size_t i;
	lxw_row_t r;

	worksheet_set_column(ws, 0, 0, 40, NULL);
	worksheet_set_column(ws, 1, 1, 6, NULL);
	worksheet_set_column(ws, 2, 2, 80, rp->wrap);
	put(rp, ws, 0, 0, "文件", rp->head);
	put(rp, ws, 0, 1, "行", rp->head);
	put(rp, ws, 0, 2, "原因", rp->head);
	worksheet_freeze_panes(ws, 1, 0);
	for (i = 0; i < rp->nunread && i < LXW_ROW_MAX - 1; i++) {
		r = (lxw_row_t)(i + 1);
		put(rp, ws, r, 0, rp->unread[i].file, NULL);
		if (rp->unread[i].line > 0)
			worksheet_write_number(
			        ws, r, 1, (double)rp->unread[i].line, NULL);
		put(rp, ws, r, 2, rp->unread[i].reason, rp->wrap);
	}
}

enum jx_err
jx_report_close(struct jx_report *rp, struct jx_diag *d)
{
	lxw_worksheet *ws;
	lxw_error lerr;
	enum jx_err err = JX_OK;

	if (rp == NULL)
		return JX_EINVAL;
	if (rp->failed) {
		err = JX_ENOMEM;
		if (d != NULL)
			jx_diag_set(d, err, NULL, "内存不足，报告未写出");
		goto done;
	}
	sheet_done(rp);
	write_summary(rp);
	ws = workbook_add_worksheet(rp->wb, UNREAD_SHEET);
	if (ws == NULL) {
		err = JX_ENOMEM;
		if (d != NULL)
			jx_diag_set(d, err, NULL, "内存不足，报告未写出");
		goto done;
	}
	write_unread(rp, ws);
	lerr = workbook_close(rp->wb);
	rp->wb = NULL;
	if (lerr != LXW_NO_ERROR || rp->failed ||
	    rename(rp->tmp, rp->path) != 0) {
		err = lerr == LXW_ERROR_MEMORY_MALLOC_FAILED ? JX_ENOMEM
		                                             : JX_EIO;
		if (d != NULL) {
			jx_diag_set_file(d, rp->path);
			jx_diag_set(d, err, NULL, "无法写入 Excel 文件 %s：%s",
			            rp->path,
			            lerr != LXW_NO_ERROR ? lxw_strerror(lerr)
			                                 : "写入失败");
		}
	}
done:
	if (err != JX_OK)
		(void)remove(rp->tmp);
	report_free(rp);
	return err;
}

static void
report_free(struct jx_report *rp)
{
	size_t i;

	if (rp == NULL)
		return;
	if (rp->wb != NULL) {
		/* Closing is the only way to free a workbook: let it write the
		 * temporary file, then remove that. */
		(void)workbook_close(rp->wb);
		(void)remove(rp->tmp);
	}
	for (i = 0; i < rp->ndepts; i++) {
		free(rp->depts[i].name);
		free(rp->depts[i].codes);
	}
	for (i = 0; i < rp->nunread; i++) {
		free(rp->unread[i].file);
		free(rp->unread[i].reason);
	}
	free(rp->depts);
	free(rp->unread);
	free(rp->file);
	free(rp->path);
	free(rp->tmp);
	free(rp);
}

void
jx_report_discard(struct jx_report *rp)
{
	report_free(rp);
}
