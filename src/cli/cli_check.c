/*
 * cli_check.c - `jixiao check` and `jixiao score`: score each input
 * self-evaluation under a rule set, audit it, and print a table (text) or one
 * JSON object per self-evaluation per line (json). With --report FILE.xlsx
 * the findings also go to one workbook (report.h), every unreadable file
 * listed there, a progress line is kept on stderr when it is a terminal, and
 * a summary is always printed at the end. Exit status: 0 no errors, 1
 * findings of severity error, 2 bad input (or the report not written).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "jx/audit.h"
#include "jx/evaljson.h"
#include "jx/limits.h"
#include "jx/report.h"
#include "jx/score.h"
#include "jx/text.h"

struct run {
	struct jx_cli_rules rules;
	const char *rules_spec; /* --rules, or NULL */
	bool json;
	bool score_only;         /* `score`: traces, no findings table */
	bool verbose;            /* list confirmations too */
	bool quiet;              /* summary only */
	struct jx_arena scratch; /* per self-evaluation */
	struct jx_buf out;
	size_t nevals, nbad, nerrors, nwarnings, nindicators, nwith_errors;
	bool rules_failed;
	struct jx_report *report; /* --report, or NULL */
	bool report_failed;
	bool progress;       /* a progress line on stderr (a terminal) */
	bool progress_shown; /* the line is on screen */
	size_t files_total;  /* 0 when unknown */
	size_t files_seen;   /* inputs met so far */
	size_t files_read;   /* of which gave a self-evaluation */
	char last_file[JX_MAX_PATH];
	bool last_read;
};

static bool on_eval(void *arg, const struct jx_eval *e,
                    const struct jx_diag *bad);
static void print_text(struct run *run, const struct jx_eval *e,
                       const struct jx_rules *r, const struct jx_result *res,
                       const struct jx_findings *f);
static void print_bad_json(struct run *run, const struct jx_diag *d);
static const char *dfmt(jx_dec v, int places, char *buf, size_t cap);
static void file_of(const char *source, char *out, size_t cap);
static void note_file(struct run *run, const char *source, bool read);
static void progress_clear(struct run *run);
static void report_bad(struct run *run, const char *file, int line,
                       const char *reason);
static size_t count_inputs(const char *path, int depth);

/* The file of an evaluation's source: "a.jsonl:12" is "a.jsonl". */
static void
file_of(const char *source, char *out, size_t cap)
{
	size_t len = strlen(source), k = len;

	while (k > 0 && isdigit((unsigned char)source[k - 1]))
		k--;
	if (k > 1 && k < len && source[k - 1] == ':')
		len = k - 1;
	snprintf(out, cap, "%.*s", (int)len, source);
}

/* Wipe the progress line before anything else goes to the terminal. */
static void
progress_clear(struct run *run)
{
	if (run->progress_shown) {
		fputs("\r\033[K", stderr);
		run->progress_shown = false;
	}
}

/* Count the inputs as they are met and show the progress line. */
static void
note_file(struct run *run, const char *source, bool read)
{
	char file[JX_MAX_PATH];

	file_of(source != NULL ? source : "", file, sizeof(file));
	if (run->files_seen == 0 || strcmp(file, run->last_file) != 0) {
		run->files_seen++;
		run->last_read = false;
		snprintf(run->last_file, sizeof(run->last_file), "%s", file);
	}
	if (read && !run->last_read) {
		run->last_read = true;
		run->files_read++;
	}
	if (!run->progress)
		return;
	if (run->files_total >= run->files_seen)
		fprintf(stderr, "\r已检查 %zu/%zu 个文件", run->files_seen,
		        run->files_total);
	else
		fprintf(stderr, "\r已检查 %zu 个文件", run->files_seen);
	fflush(stderr);
	run->progress_shown = true;
}

static void
report_bad(struct run *run, const char *file, int line, const char *reason)
{
	if (run->report == NULL || run->report_failed)
		return;
	if (jx_report_add_unreadable(run->report, file, line, reason) != JX_OK)
		run->report_failed = true;
}

/* How many files jx_cli_each will read under path (the same walk rules as
 * cli_input.c: hidden entries skipped, in a directory only .json, .jsonl,
 * .xlsx, .xlsm and .docx). For the progress line only. */
static size_t
count_inputs(const char *path, int depth)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	size_t n = 0, pl;
	char full[JX_MAX_PATH];

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		return 1;
	if (depth > 16)
		return 1;
	dir = opendir(path);
	if (dir == NULL)
		return 1;
	pl = strlen(path);
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	while ((de = readdir(dir)) != NULL) {
		struct stat cst;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(full, sizeof(full), "%.*s/%s", (int)pl, path,
		             de->d_name) >= (int)sizeof(full) ||
		    stat(full, &cst) != 0)
			continue;
		if (S_ISDIR(cst.st_mode))
			n += count_inputs(full, depth + 1);
		else if (jx_cli_ends_with_ci(full, ".json") ||
		         jx_cli_ends_with_ci(full, ".jsonl") ||
		         jx_cli_ends_with_ci(full, ".xlsx") ||
		         jx_cli_ends_with_ci(full, ".xlsm") ||
		         jx_cli_ends_with_ci(full, ".docx"))
			n++;
	}
	closedir(dir);
	return n;
}

static const char *
dfmt(jx_dec v, int places, char *buf, size_t cap)
{
	jx_dec_format(v, places, buf, cap);
	return buf;
}

static void
print_bad_json(struct run *run, const struct jx_diag *d)
{
	jx_buf_reset(&run->out);
	jx_buf_adds(&run->out, "{\"source\":");
	jx_buf_add_json_string(&run->out, d->file, strlen(d->file));
	jx_buf_printf(&run->out,
	              ",\"bad_input\":{\"line\":%d,\"column\":%d,"
	              "\"field\":",
	              d->line, d->column);
	jx_buf_add_json_string(&run->out, d->field, strlen(d->field));
	jx_buf_adds(&run->out, ",\"message\":");
	jx_buf_add_json_string(&run->out, d->message, strlen(d->message));
	jx_buf_adds(&run->out, "}}\n");
	fwrite(run->out.data, 1, run->out.len, stdout);
}

static bool
on_eval(void *arg, const struct jx_eval *e, const struct jx_diag *bad)
{
	struct run *run = arg;
	const struct jx_rules *r;
	struct jx_result res;
	struct jx_findings f;
	char line[1200];
	enum jx_err err;

	note_file(run, bad != NULL ? bad->file : e->source, bad == NULL);
	if (bad != NULL) {
		run->nbad++;
		report_bad(run, bad->file, bad->line, bad->message);
		progress_clear(run);
		jx_diag_format(bad, line, sizeof(line));
		fprintf(stderr, "jixiao: 输入有误: %s\n", line);
		if (run->json)
			print_bad_json(run, bad);
		return true;
	}
	r = jx_cli_rules_get(&run->rules, run->rules_spec != NULL
	                                          ? run->rules_spec
	                                  : e->rules != NULL ? e->rules
	                                                     : "mof-2020");
	if (r == NULL) {
		run->rules_failed = true;
		report_bad(run, e->source != NULL ? e->source : "", 0,
		           "规则方案无法载入");
		return run->rules_spec == NULL; /* a bad --rules stops all */
	}
	jx_arena_reset(&run->scratch);
	err = jx_score_run(e, r, &run->scratch, &res);
	if (err == JX_OK)
		err = jx_audit_run(e, r, &res, &run->scratch,
		                   run->verbose ? JX_AUDIT_CONFIRM : 0, &f);
	if (err != JX_OK) {
		report_bad(run, e->source != NULL ? e->source : "", 0,
		           jx_err_message(err));
		progress_clear(run);
		fprintf(stderr, "jixiao: %s: %s\n",
		        e->source != NULL ? e->source : "",
		        jx_err_message(err));
		run->nbad++;
		return err != JX_ENOMEM;
	}
	run->nevals++;
	run->nindicators += e->nindicators;
	run->nerrors += f.nerrors;
	run->nwarnings += f.nwarnings;
	if (f.nerrors > 0)
		run->nwith_errors++;
	if (run->report != NULL && !run->report_failed) {
		char file[JX_MAX_PATH];

		file_of(e->source != NULL ? e->source : "", file, sizeof(file));
		if (jx_report_add(run->report, file, e, &f) != JX_OK)
			run->report_failed = true;
	}
	if (run->json) {
		jx_buf_reset(&run->out);
		if (jx_evaljson_write_result(&run->out, e, r, &res, &f,
		                             run->verbose || run->score_only
		                                     ? JX_EVALJSON_INDICATORS
		                                     : 0) != JX_OK ||
		    jx_buf_add(&run->out, "\n", 1) != JX_OK) {
			fprintf(stderr, "jixiao: %s: 结果过大，无法输出\n",
			        e->source);
			run->nbad++;
			return true;
		}
		fwrite(run->out.data, 1, run->out.len, stdout);
	} else if (!run->quiet) {
		progress_clear(run);
		print_text(run, e, r, &res, &f);
	}
	return true;
}

static void
print_text(struct run *run, const struct jx_eval *e, const struct jx_rules *r,
           const struct jx_result *res, const struct jx_findings *f)
{
	char b1[64], b2[64], b3[64], path[512], tv[128], av[128];
	size_t i;

	printf("== %s", e->title != NULL ? e->title : "（未命名项目）");
	if (e->year > 0)
		printf("（%d年度）", e->year);
	printf("\n   来源: %s", e->source != NULL ? e->source : "-");
	if (e->unit != NULL)
		printf("  实施单位: %s", e->unit);
	if (e->department != NULL)
		printf("  主管部门: %s", e->department);
	printf("\n   规则方案: %s（%s）\n", r->title, r->name);
	if (res->has_exec || res->exec_na) {
		char line[JX_MAX_TRACE];

		jx_score_exec_trace(e, r, res, line, sizeof(line));
		printf("   %s\n", line);
	}

	if (run->score_only || run->verbose) {
		printf("\n");
		jx_cli_cell(stdout, "指标", 44);
		jx_cli_cell(stdout, "目标", 14);
		jx_cli_cell(stdout, "实际", 14);
		jx_cli_cell(stdout, "分值", 6);
		jx_cli_cell(stdout, "填报", 6);
		jx_cli_cell(stdout, "计算", 8);
		printf("结果\n");
		for (i = 0; i < e->nindicators; i++) {
			const struct jx_indicator *ind = &e->indicators[i];
			const struct jx_ind_result *o = &res->ind[i];

			jx_eval_indicator_path(ind, path, sizeof(path));
			jx_value_format(&o->target, tv, sizeof(tv));
			jx_value_format(&o->actual, av, sizeof(av));
			jx_cli_cell(stdout, path, 44);
			jx_cli_cell(stdout, tv, 14);
			jx_cli_cell(stdout, av, 14);
			jx_cli_cell(stdout,
			            ind->weight.set ? dfmt(ind->weight.v, -1,
			                                   b1, sizeof(b1))
			                            : "-",
			            6);
			jx_cli_cell(stdout,
			            ind->score_stated.set
			                    ? dfmt(ind->score_stated.v, -1, b2,
			                           sizeof(b2))
			                    : "-",
			            6);
			jx_cli_cell(stdout,
			            o->kind != JX_SCORE_NONE
			                    ? dfmt(o->score, r->places, b3,
			                           sizeof(b3))
			                    : "-",
			            8);
			printf("%s\n", jx_score_outcome_name(o->outcome));
			if (run->score_only) {
				char line[JX_MAX_TRACE];

				jx_score_trace(ind, r, o, line, sizeof(line));
				printf("      %s\n", line);
			}
		}
	}
	printf("\n   总分: 填报 %s，计算 %s；等级: 填报 %s，计算 %s\n",
	       e->total_score_stated.set
	               ? dfmt(e->total_score_stated.v, -1, b1, sizeof(b1))
	               : "-",
	       res->total_complete
	               ? dfmt(res->total, r->total_places, b2, sizeof(b2))
	               : "（不完整）",
	       e->grade_stated != NULL && e->grade_stated[0] != '\0'
	               ? e->grade_stated
	               : "-",
	       res->grade != NULL && res->total_complete ? res->grade->name
	                                                 : "-");

	if (!run->score_only) {
		printf("\n");
		for (i = 0; i < f->n; i++) {
			const struct jx_finding *it = &f->items[i];

			if (it->severity == JX_SEV_OK && !run->verbose)
				continue;
			printf("   %s ", it->severity == JX_SEV_ERROR ? "错误"
			                 : it->severity == JX_SEV_WARNING
			                         ? "警告"
			                         : "无误");
			jx_cli_cell(stdout, it->code, 26);
			printf("%s\n", it->where);
			printf("        %s", it->message);
			if (it->stated != NULL || it->computed != NULL)
				printf("  [填报: %s | 计算: %s]",
				       it->stated != NULL ? it->stated : "-",
				       it->computed != NULL ? it->computed
				                            : "-");
			printf("\n");
		}
		if (f->dropped > 0)
			printf("   （另有%zu项问题未列出）\n", f->dropped);
	}
	if (run->verbose)
		printf("\n   错误 %zu 项，警告 %zu 项，核对无误 %zu 项\n\n",
		       f->nerrors, f->nwarnings, f->nok);
	else
		printf("\n   错误 %zu 项，警告 %zu 项\n\n", f->nerrors,
		       f->nwarnings);
}

int
jx_cli_check(int argc, char **argv, bool score_only)
{
	struct run run;
	char **paths;
	size_t npaths = 0;
	bool force_lines = false;
	const char *report_path = NULL;
	struct jx_diag d;
	size_t k;
	int i, status;

	memset(&run, 0, sizeof(run));
	run.score_only = score_only;
	paths = calloc((size_t)argc + 1, sizeof(*paths));
	if (paths == NULL)
		return JX_EXIT_BADINPUT;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--rules") == 0 && i + 1 < argc) {
			run.rules_spec = argv[++i];
		} else if (strncmp(a, "--rules=", 8) == 0) {
			run.rules_spec = a + 8;
		} else if ((strcmp(a, "--format") == 0 && i + 1 < argc) ||
		           strncmp(a, "--format=", 9) == 0) {
			const char *v = a[8] == '=' ? a + 9 : argv[++i];

			if (strcmp(v, "json") == 0) {
				run.json = true;
			} else if (strcmp(v, "text") != 0) {
				fprintf(stderr, "jixiao: --format 只能是 text "
				                "或 json\n");
				free(paths);
				return JX_EXIT_BADINPUT;
			}
		} else if (strcmp(a, "--report") == 0 && i + 1 < argc &&
		           !score_only) {
			report_path = argv[++i];
		} else if (strncmp(a, "--report=", 9) == 0 && !score_only) {
			report_path = a + 9;
		} else if (strcmp(a, "--lines") == 0) {
			force_lines = true;
		} else if (strcmp(a, "--verbose") == 0 ||
		           strcmp(a, "-v") == 0) {
			run.verbose = true;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			run.quiet = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "jixiao: 未知选项“%s”\n", a);
			free(paths);
			return JX_EXIT_BADINPUT;
		} else {
			paths[npaths++] = argv[i];
		}
	}
	if (npaths == 0) {
		fprintf(stderr,
		        "用法: jixiao %s [--rules NAME|FILE] [--format "
		        "text|json] "
		        "[--lines] [--verbose]%s FILE|DIR|-...\n",
		        score_only ? "score" : "check",
		        score_only ? "" : " [--report 报告.xlsx]");
		free(paths);
		return JX_EXIT_BADINPUT;
	}
	/* A bad --rules is bad input before any file is read. */
	if (run.rules_spec != NULL &&
	    jx_cli_rules_get(&run.rules, run.rules_spec) == NULL) {
		free(paths);
		return JX_EXIT_BADINPUT;
	}
	if (report_path != NULL) {
		jx_diag_clear(&d);
		if (report_path[0] == '\0' ||
		    jx_report_open(report_path, &run.report, &d) != JX_OK) {
			fprintf(stderr, "jixiao: --report: %s\n",
			        d.message[0] != '\0' ? d.message
			                             : "需要报告文件名");
			jx_cli_rules_free(&run.rules);
			free(paths);
			return JX_EXIT_BADINPUT;
		}
		run.progress = isatty(STDERR_FILENO) != 0;
		if (run.progress)
			for (k = 0; k < npaths; k++)
				run.files_total += count_inputs(paths[k], 0);
	}
	jx_arena_init(&run.scratch, 256 * 1024);
	jx_buf_init(&run.out, 64u << 20);
	jx_cli_each(paths, npaths, force_lines, on_eval, &run);
	progress_clear(&run);
	if (run.report != NULL) {
		struct jx_report *rp = run.report;

		run.report = NULL;
		jx_diag_clear(&d);
		if (run.report_failed) {
			jx_report_discard(rp);
			fprintf(stderr, "jixiao: 内存不足，报告 %s 未写出\n",
			        report_path);
		} else if (jx_report_close(rp, &d) != JX_OK) {
			run.report_failed = true;
			fprintf(stderr, "jixiao: %s\n", d.message);
		}
		/* Always a summary; on stderr when stdout is JSON Lines. */
		fprintf(run.json ? stderr : stdout,
		        "共读取 %zu 个文件，%zu 份自评表（%zu 项指标），%zu "
		        "份有错误；"
		        "错误 %zu 项，警告 %zu 项；%zu "
		        "个文件（或记录）无法读取%s%s\n",
		        run.files_read, run.nevals, run.nindicators,
		        run.nwith_errors, run.nerrors, run.nwarnings, run.nbad,
		        run.report_failed ? "" : "；报告已写入 ",
		        run.report_failed ? "" : report_path);
	}
	if (report_path == NULL && !run.json &&
	    (run.nevals + run.nbad > 1 || run.quiet))
		printf("共核查 %zu 份自评表（%zu 项指标）：%zu 份有错误；错误 "
		       "%zu 项，"
		       "警告 %zu 项；%zu 份无法读取\n",
		       run.nevals, run.nindicators, run.nwith_errors,
		       run.nerrors, run.nwarnings, run.nbad);
	fflush(stdout);
	status = run.nbad > 0 || run.rules_failed || run.report_failed
	                 ? JX_EXIT_BADINPUT
	         : run.nerrors > 0 ? JX_EXIT_FINDINGS
	                           : JX_EXIT_OK;
	jx_buf_free(&run.out);
	jx_arena_cleanup(&run.scratch);
	jx_cli_rules_free(&run.rules);
	free(paths);
	return status;
}
