/*
 * cli_export.c - `jixiao export`: write self-evaluations as the documents
 * people hand in: the 自评表 as xlsx (xlsxw.h), docx (docxw.h) or PDF
 * (pdf.h), and the 自评报告 from a report outline (outline.h) as docx or
 * PDF. One file per self-evaluation, or with --by-department one per
 * 主管部门 (a workbook with a sheet per project, or one document with the
 * projects one after another, each on a new page). The 自评表 is written as
 * the evaluation states it (so that reading it back gives the same
 * evaluation); --fill computes the unstated execution score, total and
 * grade under the rule set, marked as computed.
 *
 * Inputs are read as `jixiao check` reads them (jx_cli_each); every
 * self-evaluation is kept as interchange JSON until its file is written,
 * so memory grows with the inputs' size, not with their parsed form.
 * Files are named after the project (or department), never overwritten by
 * another output of the same run ("名称(2).docx"). Exit status: 0 every
 * input read and every file written; 2 otherwise (the files that could be
 * written are written and listed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "jx/doc.h"
#include "jx/docxw.h"
#include "jx/evaljson.h"
#include "jx/form.h"
#include "jx/limits.h"
#include "jx/outline.h"
#include "jx/pdf.h"
#include "jx/text.h"
#include "jx/xlsxw.h"

#define EXPORT_MAX_OUTLINE (1u << 20) /* bytes of an outline file */
#define EXPORT_MAX_NAME    80u        /* bytes of a file name's stem */

enum export_to { TO_XLSX, TO_DOCX, TO_PDF };

/* One self-evaluation read, kept as interchange JSON. */
struct held {
	char *json;
	size_t len;
	char *group; /* department (with --by-department) or NULL */
};

struct exp {
	enum export_to to;
	bool report;        /* --form report */
	bool by_department; /* --by-department */
	bool fill;          /* --fill: compute unstated figures in the table */
	const char *rules_spec;
	const char *outline_spec;
	const char *out;
	struct jx_cli_rules rules;
	const struct jx_outline *outline;
	struct jx_arena outline_arena;
	struct held *held;
	size_t nheld, cap;
	size_t nbad;     /* inputs not read */
	size_t nfailed;  /* outputs not written */
	size_t nwritten; /* outputs written */
	char **names;    /* output paths used so far (unique names) */
	size_t nnames, cap_names;
	bool out_is_file; /* --out names the one output file */
};

static bool on_eval(void *arg, const struct jx_eval *e,
                    const struct jx_diag *bad);
static const struct jx_rules *rules_for(struct exp *x, const struct jx_eval *e);
static int load_outline(struct exp *x);
static void stem_of(const char *name, char *out, size_t cap);
static int path_for(struct exp *x, const char *stem, char *out, size_t cap);
static void write_group(struct exp *x, size_t *idx, size_t n, const char *stem);
static enum jx_err build_doc(struct exp *x, struct jx_doc *doc,
                             const struct jx_eval *e, struct jx_diag *d);
static int cmp_group(const void *a, const void *b);
static void usage(void);

static void
usage(void)
{
	fprintf(stderr, "用法: jixiao export FILE|DIR... --to xlsx|docx|pdf "
	                "[--form table|report]\n"
	                "        [--outline NAME|FILE] [--rules NAME|FILE] "
	                "[--out 文件或目录] [--by-department] [--fill]\n"
	                "  --form table   项目支出绩效自评表（默认）\n"
	                "  --form report  绩效自评报告（docx 或 pdf；提纲见 "
	                "rules/outlines/，默认 self-report）\n"
	                "  --by-department 每个主管部门一个文件\n"
	                "  --fill         自评表中未填的执行率得分、总分和等级"
	                "按规则方案计算填入（标明为计算值）；\n"
	                "                 默认如实输出原表填报内容\n");
}

int
jx_cli_export(int argc, char **argv)
{
	struct exp x;
	char **paths;
	size_t npaths = 0, i, j, *idx = NULL;
	const char *to = NULL, *form = "table";
	int status = JX_EXIT_BADINPUT, a;
	struct stat st;
	size_t out_len;
	bool out_dir_wanted;
	char *out_copy = NULL;

	memset(&x, 0, sizeof(x));
	jx_arena_init(&x.outline_arena, 64 * 1024);
	paths = calloc((size_t)argc + 1, sizeof(*paths));
	if (paths == NULL)
		goto done;
	for (a = 1; a < argc; a++) {
		const char *s = argv[a];
		const char **slot = NULL;

		if (strcmp(s, "--to") == 0)
			slot = &to;
		else if (strcmp(s, "--form") == 0)
			slot = &form;
		else if (strcmp(s, "--rules") == 0)
			slot = &x.rules_spec;
		else if (strcmp(s, "--outline") == 0)
			slot = &x.outline_spec;
		else if (strcmp(s, "--out") == 0 || strcmp(s, "-o") == 0)
			slot = &x.out;
		if (slot != NULL) {
			if (a + 1 >= argc) {
				fprintf(stderr, "jixiao: 选项 %s 缺少取值\n",
				        s);
				goto done;
			}
			*slot = argv[++a];
		} else if (strcmp(s, "--by-department") == 0) {
			x.by_department = true;
		} else if (strcmp(s, "--fill") == 0) {
			x.fill = true;
		} else if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			usage();
			status = JX_EXIT_OK;
			goto done;
		} else if (s[0] == '-' && s[1] != '\0') {
			fprintf(stderr, "jixiao: 未知选项“%s”\n", s);
			usage();
			goto done;
		} else {
			paths[npaths++] = argv[a];
		}
	}
	if (npaths == 0 || to == NULL) {
		usage();
		goto done;
	}
	if (strcmp(to, "xlsx") == 0) {
		x.to = TO_XLSX;
	} else if (strcmp(to, "docx") == 0) {
		x.to = TO_DOCX;
	} else if (strcmp(to, "pdf") == 0) {
		x.to = TO_PDF;
	} else {
		fprintf(stderr, "jixiao: --to 只能是 xlsx、docx 或 pdf\n");
		goto done;
	}
	if (strcmp(form, "report") == 0) {
		x.report = true;
	} else if (strcmp(form, "table") != 0) {
		fprintf(stderr, "jixiao: --form 只能是 table 或 report\n");
		goto done;
	}
	if (x.report && x.to == TO_XLSX) {
		fprintf(stderr, "jixiao: 自评报告只能输出为 docx 或 pdf\n");
		goto done;
	}
	if (x.outline_spec != NULL && !x.report) {
		fprintf(stderr, "jixiao: --outline 只用于 --form report\n");
		goto done;
	}
	if (x.rules_spec != NULL &&
	    jx_cli_rules_get(&x.rules, x.rules_spec) == NULL)
		goto done;
	if (x.report && load_outline(&x) != 0)
		goto done;

	jx_cli_each(paths, npaths, false, on_eval, &x);
	if (x.nheld == 0) {
		fprintf(stderr, "jixiao: 没有读到任何自评表，未写出文件\n");
		goto done;
	}

	/* Where the files go: --out names a file only for one output. */
	if (x.out == NULL)
		x.out = ".";
	out_len = strlen(x.out);
	out_dir_wanted = out_len > 1 && x.out[out_len - 1] == '/';
	out_copy = strdup(x.out);
	if (out_copy == NULL)
		goto done;
	while (out_len > 1 && out_copy[out_len - 1] == '/')
		out_copy[--out_len] = '\0';
	x.out = out_copy;
	{
		size_t ngroups = x.nheld;

		if (x.by_department) {
			qsort(x.held, x.nheld, sizeof(*x.held), cmp_group);
			ngroups = 1;
			for (i = 1; i < x.nheld; i++)
				if (strcmp(x.held[i].group,
				           x.held[i - 1].group) != 0)
					ngroups++;
		}
		if (stat(x.out, &st) == 0 && S_ISDIR(st.st_mode)) {
			x.out_is_file = false;
		} else if (ngroups == 1 && !out_dir_wanted) {
			x.out_is_file = true;
		} else if (mkdir(x.out, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "jixiao: 无法创建目录 %s: %s\n", x.out,
			        strerror(errno));
			goto done;
		}
	}
	idx = calloc(x.nheld, sizeof(*idx));
	if (idx == NULL)
		goto done;
	for (i = 0; i < x.nheld; i = j) {
		size_t n = 0;
		char stem[EXPORT_MAX_NAME + 8];

		j = i;
		if (x.by_department) {
			while (j < x.nheld &&
			       strcmp(x.held[j].group, x.held[i].group) == 0)
				idx[n++] = j++;
			stem_of(x.held[i].group, stem, sizeof(stem));
		} else {
			idx[n++] = j++;
			stem[0] = '\0'; /* from the evaluation's title */
		}
		write_group(&x, idx, n, stem);
	}
	fprintf(stderr, "jixiao: 已写出 %zu 个文件%s\n", x.nwritten,
	        x.nfailed + x.nbad > 0 ? "；有输入未能读取或文件未能写出" : "");
	status = x.nfailed + x.nbad > 0 ? JX_EXIT_BADINPUT : JX_EXIT_OK;
done:
	for (i = 0; i < x.nheld; i++) {
		free(x.held[i].json);
		free(x.held[i].group);
	}
	free(x.held);
	for (i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	free(idx);
	free(out_copy);
	free(paths);
	jx_arena_cleanup(&x.outline_arena);
	jx_cli_rules_free(&x.rules);
	return status;
}

/* Keep each self-evaluation read as interchange JSON. */
static bool
on_eval(void *arg, const struct jx_eval *e, const struct jx_diag *bad)
{
	struct exp *x = arg;
	struct jx_buf b;
	struct held *h;
	char line[1024];
	const char *dept;

	if (bad != NULL) {
		jx_diag_format(bad, line, sizeof(line));
		fprintf(stderr, "jixiao: 无法读取 %s\n", line);
		x->nbad++;
		return true;
	}
	if (x->nheld == x->cap) {
		size_t cap = x->cap != 0 ? x->cap * 2 : 16;
		struct held *nh = realloc(x->held, cap * sizeof(*nh));

		if (nh == NULL)
			goto nomem;
		x->held = nh;
		x->cap = cap;
	}
	h = &x->held[x->nheld];
	memset(h, 0, sizeof(*h));
	jx_buf_init(&b, JX_MAX_RECORD_BYTES);
	if (jx_evaljson_write(&b, e) != JX_OK || b.data == NULL) {
		jx_buf_free(&b);
		fprintf(stderr, "jixiao: %s: 自评表过大或内存不足\n",
		        e->source != NULL ? e->source : "");
		x->nbad++;
		return true;
	}
	h->json = b.data; /* owned now */
	h->len = b.len;
	dept = e->department != NULL && e->department[0] != '\0'
	               ? e->department
	               : "未填主管部门";
	if (x->by_department) {
		h->group = strdup(dept);
		if (h->group == NULL) {
			free(h->json);
			goto nomem;
		}
	}
	x->nheld++;
	return true;
nomem:
	fprintf(stderr, "jixiao: 内存不足\n");
	x->nbad++;
	return false;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return strcmp(x->group, y->group);
}

/* The rule set for e: --rules, else the one it asks for, else mof-2020. */
static const struct jx_rules *
rules_for(struct exp *x, const struct jx_eval *e)
{
	const char *spec = x->rules_spec;

	if (spec == NULL)
		spec = e->rules != NULL && e->rules[0] != '\0' ? e->rules
		                                               : "mof-2020";
	return jx_cli_rules_get(&x->rules, spec);
}

/* Read --outline (a name under rules/outlines/ or a file). 0 or -1. */
static int
load_outline(struct exp *x)
{
	const char *spec =
	        x->outline_spec != NULL ? x->outline_spec : "self-report";
	const char *dirs[4];
	char path[JX_MAX_PATH], line[1024];
	char *buf = NULL;
	size_t len = 0, i, ndirs;
	struct jx_diag d;
	enum jx_err err = JX_ENOTFOUND;
	size_t sl = strlen(spec);
	bool is_path = strchr(spec, '/') != NULL ||
	               (sl > 5 && strcmp(spec + sl - 5, ".json") == 0);

	jx_diag_clear(&d);
	if (is_path) {
		snprintf(path, sizeof(path), "%s", spec);
		err = jx_cli_read_file(path, EXPORT_MAX_OUTLINE, &buf, &len,
		                       &d);
	} else {
		ndirs = jx_cli_rules_dirs(dirs, 4);
		for (i = 0; i < ndirs && err == JX_ENOTFOUND; i++) {
			snprintf(path, sizeof(path), "%s/outlines/%s.json",
			         dirs[i], spec);
			jx_diag_clear(&d);
			err = jx_cli_read_file(path, EXPORT_MAX_OUTLINE, &buf,
			                       &len, &d);
		}
		if (err == JX_ENOTFOUND) {
			fprintf(stderr,
			        "jixiao: 找不到报告提纲“%s”（见 "
			        "rules/outlines/）\n",
			        spec);
			return -1;
		}
	}
	if (err == JX_OK) {
		jx_diag_clear(&d);
		err = jx_outline_parse(buf, len, path, &x->outline_arena,
		                       &x->outline, &d);
		if (err != JX_OK && d.file[0] == '\0')
			jx_diag_set_file(&d, path);
	}
	free(buf);
	if (err != JX_OK) {
		jx_diag_format(&d, line, sizeof(line));
		fprintf(stderr, "jixiao: 报告提纲无效: %s\n", line);
		return -1;
	}
	return 0;
}

/*
 * A file name stem from name: characters no file system takes (/ \ : * ?
 * " < > | and control characters) become "_", cut to EXPORT_MAX_NAME bytes
 * on a character boundary; "自评表" when nothing is left.
 */
static void
stem_of(const char *name, char *out, size_t cap)
{
	size_t len = strlen(name), o = 0, k;

	len = len > EXPORT_MAX_NAME ? jx_text_utf8_cut(name, EXPORT_MAX_NAME)
	                            : len;
	for (k = 0; k < len && o + 1 < cap; k++) {
		unsigned char c = (unsigned char)name[k];

		out[o++] = c < 0x20 || strchr("/\\:*?\"<>|", c) != NULL
		                   ? '_'
		                   : (char)c;
	}
	out[o] = '\0';
	if (o == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, cap, "自评表");
}

/* The output path for stem, unique within this run. 0 or -1. */
static int
path_for(struct exp *x, const char *stem, char *out, size_t cap)
{
	static const char *const ext[] = {".xlsx", ".docx", ".pdf"};
	const char *suffix = x->report ? "-自评报告" : "";
	int n;
	size_t k;
	bool used;

	if (x->out_is_file) {
		snprintf(out, cap, "%s", x->out);
	} else {
		for (n = 1; n < 10000; n++) {
			char num[16] = "";

			if (n > 1)
				snprintf(num, sizeof(num), "(%d)", n);
			snprintf(out, cap, "%s/%s%s%s%s", x->out, stem, suffix,
			         num, ext[x->to]);
			used = false;
			for (k = 0; k < x->nnames && !used; k++)
				used = strcmp(x->names[k], out) == 0;
			if (!used)
				break;
		}
	}
	if (x->nnames == x->cap_names) {
		size_t c = x->cap_names != 0 ? x->cap_names * 2 : 16;
		char **nn = realloc(x->names, c * sizeof(*nn));

		if (nn == NULL)
			return -1;
		x->names = nn;
		x->cap_names = c;
	}
	x->names[x->nnames] = strdup(out);
	if (x->names[x->nnames] == NULL)
		return -1;
	x->nnames++;
	return 0;
}

/* The 自评表 or the 自评报告 of e appended to doc. */
static enum jx_err
build_doc(struct exp *x, struct jx_doc *doc, const struct jx_eval *e,
          struct jx_diag *d)
{
	const struct jx_rules *r = rules_for(x, e);

	if (r == NULL)
		return jx_diag_set(d, JX_EINVAL, "rules",
		                   "规则方案无法使用（见上文）");
	if (x->report)
		return jx_outline_render(x->outline, e, r, doc, d);
	return jx_form_selfeval(doc, e, x->fill ? r : NULL, d);
}

/* Write the evaluations held[idx[0..n)] to one file named after stem (or,
 * when stem is empty, after the one evaluation's title). */
static void
write_group(struct exp *x, size_t *idx, size_t n, const char *stem_in)
{
	struct jx_eval *evals;
	const struct jx_eval **ptrs;
	struct jx_arena arena;
	struct jx_doc doc;
	struct jx_diag d;
	char path[JX_MAX_PATH], line[1024], stem[EXPORT_MAX_NAME + 8];
	enum jx_err err = JX_OK;
	size_t k, nread = 0;

	evals = calloc(n, sizeof(*evals));
	ptrs = calloc(n, sizeof(*ptrs));
	jx_arena_init(&arena, 256 * 1024);
	jx_diag_clear(&d);
	if (evals == NULL || ptrs == NULL) {
		err = jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	for (k = 0; k < n; k++) {
		const struct held *h = &x->held[idx[k]];

		jx_eval_init(&evals[k]);
		nread++;
		err = jx_evaljson_read(h->json, h->len, "export", 0, &evals[k],
		                       &d);
		if (err != JX_OK)
			goto done;
		ptrs[k] = &evals[k];
	}
	if (stem_in[0] != '\0')
		snprintf(stem, sizeof(stem), "%s", stem_in);
	else
		stem_of(evals[0].title != NULL ? evals[0].title
		        : evals[0].id != NULL  ? evals[0].id
		                               : "自评表",
		        stem, sizeof(stem));
	if (path_for(x, stem, path, sizeof(path)) != 0) {
		err = jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	if (x->to == TO_XLSX) {
		const struct jx_rules *r =
		        x->fill ? rules_for(x, &evals[0]) : NULL;

		if (x->fill && r == NULL)
			err = jx_diag_set(&d, JX_EINVAL, "rules",
			                  "规则方案无法使用（见上文）");
		else
			err = jx_xlsxw_eval(path, ptrs, n, r, &d);
		goto done;
	}
	jx_doc_init(&doc, &arena);
	for (k = 0; k < n && err == JX_OK; k++) {
		if (k > 0 &&
		    jx_doc_add(&doc, JX_DOC_PAGEBREAK, 0, "") == NULL) {
			err = jx_diag_set(&d, JX_ENOMEM, NULL, "内存不足");
			break;
		}
		err = build_doc(x, &doc, &evals[k], &d);
	}
	if (err == JX_OK) {
		if (n > 1 || doc.title == NULL)
			doc.title = x->report ? "绩效自评报告"
			                      : "项目支出绩效自评表";
		err = x->to == TO_DOCX ? jx_docxw_write(path, &doc, &d)
		                       : jx_pdf_write(path, &doc, &d);
	}
done:
	if (err == JX_OK) {
		x->nwritten++;
		printf("%s\n", path);
	} else {
		x->nfailed++;
		jx_diag_format(&d, line, sizeof(line));
		fprintf(stderr, "jixiao: 未能写出 %s: %s\n",
		        n == 1 && x->held[idx[0]].group == NULL &&
		                        evals != NULL && evals[0].title != NULL
		                ? evals[0].title
		                : stem_in,
		        line);
	}
	if (evals != NULL)
		for (k = 0; k < nread; k++)
			jx_eval_cleanup(&evals[k]);
	free(evals);
	free(ptrs);
	jx_arena_cleanup(&arena);
}
