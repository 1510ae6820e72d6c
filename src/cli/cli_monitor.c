/*
 * cli_monitor.c - `jixiao monitor FILE...`: judge monitoring records
 * (绩效运行监控, monjson.h → monitor.h): time progress, the execution rate
 * and its warning light, each indicator's deviation as the data shows it
 * beside what the filer confirmed, and the warnings for the finance bureau
 * (lagging execution, required causes and measures missing, targets judged
 * impossible, a budget adjusted while the targets were not). Text or JSON
 * Lines. Exit status: 0 no errors, 1 findings of severity error, 2 bad
 * input.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <sys/stat.h>

#include "cli.h"
#include "jx/docxw.h"
#include "jx/monform.h"
#include "jx/monjson.h"
#include "jx/pdf.h"

static const char *dtext(jx_dec v, char *buf, size_t cap);
static enum jx_err write_table(const char *to, const char *out, bool out_is_dir,
                               const char *input, const struct jx_monjson *rec,
                               const struct jx_mon_result *res,
                               struct jx_diag *d);
static const char *flag_text(enum jx_mon_flag f);
static void print_text(const struct jx_monjson *rec,
                       const struct jx_mon_result *res);
static int print_json(const char *path, const struct jx_monjson *rec,
                      const struct jx_mon_result *res);

static const char *
dtext(jx_dec v, char *buf, size_t cap)
{
	jx_dec_format(v, 2, buf, cap);
	return buf;
}

static const char *
flag_text(enum jx_mon_flag f)
{
	return f == JX_MON_BLANK ? "—" : jx_monitor_flag_name(f);
}

static void
print_text(const struct jx_monjson *rec, const struct jx_mon_result *res)
{
	const struct jx_monitor *m = &rec->m;
	char b1[48], b2[48], path[512];
	size_t i;

	printf("== %s（%d年1-%d月 绩效运行监控）\n",
	       m->title != NULL ? m->title : "（未命名项目）", m->year,
	       m->period_month);
	if (rec->unit != NULL || rec->department != NULL)
		printf("   实施单位: %s  主管部门: %s\n",
		       rec->unit != NULL ? rec->unit : "—",
		       rec->department != NULL ? rec->department : "—");
	printf("   截至 %s：时间进度 %s%%", res->as_of,
	       dtext(res->time_progress, b1, sizeof(b1)));
	if (res->has_rate)
		printf("，预算执行率 %s%%",
		       dtext(res->exec_rate, b2, sizeof(b2)));
	printf("，预警: %s\n\n", jx_monitor_light_name(res->light));
	jx_cli_cell(stdout, "指标", 41);
	jx_cli_cell(stdout, "年度指标值", 12);
	jx_cli_cell(stdout, "执行情况", 12);
	jx_cli_cell(stdout, "填报偏差", 9);
	jx_cli_cell(stdout, "计算偏差", 9);
	printf("依据\n");
	for (i = 0; i < m->nindicators; i++) {
		const struct jx_mon_indicator *x = &m->indicators[i];
		const struct jx_mon_ind_result *o = &res->ind[i];

		snprintf(path, sizeof(path), "%s/%s/%s",
		         x->level1 != NULL ? x->level1 : "",
		         x->level2 != NULL ? x->level2 : "", x->name);
		jx_cli_cell(stdout, path, 40);
		fputc(' ', stdout);
		jx_cli_cell(stdout, x->target != NULL ? x->target : "—", 12);
		jx_cli_cell(stdout, x->progress != NULL ? x->progress : "—",
		            12);
		jx_cli_cell(stdout, flag_text(x->deviation), 9);
		jx_cli_cell(stdout, flag_text(o->computed), 9);
		printf("%s\n", o->why != NULL ? o->why : "");
	}
	if (res->findings.n > 0)
		printf("\n预警与问题 %zu 项（错误 %zu，警告 %zu）:\n",
		       res->findings.n, res->findings.nerrors,
		       res->findings.nwarnings);
	for (i = 0; i < res->findings.n; i++) {
		const struct jx_finding *f = &res->findings.items[i];

		if (f->severity == JX_SEV_OK)
			continue;
		printf("  [%s] %s %s: %s\n",
		       f->severity == JX_SEV_ERROR ? "错误" : "警告", f->code,
		       f->where != NULL ? f->where : "", f->message);
	}
	printf("\n");
}

static int
print_json(const char *path, const struct jx_monjson *rec,
           const struct jx_mon_result *res)
{
	json_t *o = json_object(), *finds = json_array(), *inds = json_array();
	char b[48];
	char *text = NULL;
	size_t i;
	int bad = o == NULL || finds == NULL || inds == NULL;

	for (i = 0; !bad && i < rec->m.nindicators; i++) {
		const struct jx_mon_ind_result *x = &res->ind[i];

		bad |= json_array_append_new(
		        inds,
		        json_pack("{s:s,s:s,s:s,s:s?}", "name",
		                  rec->m.indicators[i].name, "stated",
		                  jx_monitor_flag_name(
		                          rec->m.indicators[i].deviation),
		                  "computed", jx_monitor_flag_name(x->computed),
		                  "why", x->why));
	}
	for (i = 0; !bad && i < res->findings.n; i++) {
		const struct jx_finding *f = &res->findings.items[i];

		bad |= json_array_append_new(
		        finds,
		        json_pack("{s:s,s:s,s:s?,s:s?,s:s?,s:s}", "code",
		                  f->code, "severity",
		                  jx_audit_severity_name(f->severity), "where",
		                  f->where, "stated", f->stated, "computed",
		                  f->computed, "message", f->message));
	}
	if (!bad) {
		bad |= json_object_set_new(o, "source", json_string(path));
		bad |= json_object_set_new(o, "title",
		                           rec->m.title != NULL
		                                   ? json_string(rec->m.title)
		                                   : json_null());
		bad |= json_object_set_new(o, "year",
		                           json_integer(rec->m.year));
		bad |= json_object_set_new(o, "period_month",
		                           json_integer(rec->m.period_month));
		bad |= json_object_set_new(o, "as_of", json_string(res->as_of));
		bad |= json_object_set_new(
		        o, "time_progress",
		        json_string(dtext(res->time_progress, b, sizeof(b))));
		bad |= json_object_set_new(
		        o, "exec_rate",
		        res->has_rate ? json_string(dtext(res->exec_rate, b,
		                                          sizeof(b)))
		                      : json_null());
		bad |= json_object_set_new(
		        o, "light",
		        json_string(jx_monitor_light_key(res->light)));
		bad |= json_object_set_new(o, "indicators", inds);
		bad |= json_object_set_new(o, "findings", finds);
		inds = finds = NULL;
		text = bad ? NULL : json_dumps(o, JSON_COMPACT);
	}
	json_decref(o);
	json_decref(inds);
	json_decref(finds);
	if (text == NULL)
		return -1;
	printf("%s\n", text);
	free(text);
	return 0;
}

/* The 监控情况表 of rec as docx or PDF at out (or in the directory out,
 * named after the input file). */
static enum jx_err
write_table(const char *to, const char *out, bool out_is_dir, const char *input,
            const struct jx_monjson *rec, const struct jx_mon_result *res,
            struct jx_diag *d)
{
	struct jx_monform_text t = {rec->unit, rec->department, rec->overview,
	                            rec->analysis, rec->next_steps};
	struct jx_arena a;
	struct jx_doc doc;
	char path[JX_MAX_PATH];
	const char *base = strrchr(input, '/');
	size_t stem;
	enum jx_err err;

	base = base != NULL ? base + 1 : input;
	stem = strlen(base);
	if (stem > 5 && strcmp(base + stem - 5, ".json") == 0)
		stem -= 5;
	if (out_is_dir)
		snprintf(path, sizeof(path), "%s/%.*s-监控情况表.%s", out,
		         (int)stem, base, to);
	else
		snprintf(path, sizeof(path), "%s", out);
	jx_arena_init(&a, 64 * 1024);
	jx_doc_init(&doc, &a);
	err = jx_monform_doc(&doc, &rec->m, res, &t, d);
	if (err == JX_OK)
		err = strcmp(to, "pdf") == 0 ? jx_pdf_write(path, &doc, d)
		                             : jx_docxw_write(path, &doc, d);
	if (err == JX_OK)
		printf("%s\n", path);
	jx_arena_cleanup(&a);
	return err;
}

int
jx_cli_monitor(int argc, char **argv)
{
	struct jx_cli_rules rules;
	const char *spec = NULL, *to = NULL, *out = NULL;
	bool json = false, any = false, out_is_dir = false;
	size_t ninputs = 0;
	struct stat st;
	size_t nerrors = 0, nbad = 0;
	char line[1024];
	int i;

	memset(&rules, 0, sizeof(rules));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc) {
			spec = argv[++i];
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "json") == 0) {
				json = true;
			} else if (strcmp(argv[i], "text") != 0) {
				fprintf(stderr, "jixiao: --format 只能是 text "
				                "或 json\n");
				return JX_EXIT_BADINPUT;
			}
		} else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
			to = argv[++i];
			if (strcmp(to, "docx") != 0 && strcmp(to, "pdf") != 0) {
				fprintf(stderr, "jixiao: --to 只能是 docx 或 "
				                "pdf\n");
				return JX_EXIT_BADINPUT;
			}
		} else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "jixiao: 未知选项“%s”\n", argv[i]);
			return JX_EXIT_BADINPUT;
		} else {
			ninputs++;
		}
	}
	if ((to == NULL) != (out == NULL)) {
		fprintf(stderr, "jixiao: --to 与 --out 须同时给出\n");
		return JX_EXIT_BADINPUT;
	}
	if (out != NULL) {
		out_is_dir = stat(out, &st) == 0 && S_ISDIR(st.st_mode);
		if (!out_is_dir && ninputs > 1) {
			fprintf(stderr,
			        "jixiao: 多个监控记录时 --out 须是已有目录\n");
			return JX_EXIT_BADINPUT;
		}
	}
	for (i = 1; i < argc; i++) {
		struct jx_arena a;
		struct jx_monjson rec;
		struct jx_mon_result res;
		struct jx_diag d;
		const struct jx_rules *r;
		char *buf = NULL;
		size_t len = 0;
		enum jx_err err;

		if (strcmp(argv[i], "--rules") == 0 ||
		    strcmp(argv[i], "--format") == 0 ||
		    strcmp(argv[i], "--to") == 0 ||
		    strcmp(argv[i], "--out") == 0) {
			i++;
			continue;
		}
		any = true;
		jx_arena_init(&a, 64 * 1024);
		jx_diag_clear(&d);
		err = jx_cli_read_file(argv[i], JX_MAX_RECORD_BYTES, &buf, &len,
		                       &d);
		if (err == JX_OK)
			err = jx_monjson_read(buf, len, argv[i], &a, &rec, &d);
		r = NULL;
		if (err == JX_OK) {
			r = jx_cli_rules_get(&rules, spec != NULL ? spec
			                             : rec.rules != NULL
			                                     ? rec.rules
			                                     : "mof-2020");
			if (r == NULL)
				err = jx_diag_set(&d, JX_EINVAL, "rules",
				                  "规则方案无法使用（见上文）");
		}
		if (err == JX_OK)
			err = jx_monitor_run(&rec.m, r, &a, &res, &d);
		if (err != JX_OK) {
			if (d.file[0] == '\0')
				jx_diag_set_file(&d, argv[i]);
			jx_diag_format(&d, line, sizeof(line));
			fprintf(stderr, "jixiao: 监控记录无效: %s\n", line);
			nbad++;
		} else if (json ? print_json(argv[i], &rec, &res) != 0
		                : (print_text(&rec, &res), 0) != 0) {
			fprintf(stderr, "jixiao: 内存不足\n");
			nbad++;
		} else if (to != NULL &&
		           write_table(to, out, out_is_dir, argv[i], &rec, &res,
		                       &d) != JX_OK) {
			jx_diag_format(&d, line, sizeof(line));
			fprintf(stderr, "jixiao: 监控情况表未能写出: %s\n",
			        line);
			nbad++;
		} else {
			nerrors += res.findings.nerrors;
		}
		free(buf);
		jx_arena_cleanup(&a);
	}
	jx_cli_rules_free(&rules);
	if (!any) {
		fprintf(stderr,
		        "用法: jixiao monitor 监控记录.json... [--rules "
		        "NAME|FILE] [--format text|json]\n"
		        "  记录格式见 docs/format.md“Monitoring "
		        "records”\n");
		return JX_EXIT_BADINPUT;
	}
	return nbad > 0      ? JX_EXIT_BADINPUT
	       : nerrors > 0 ? JX_EXIT_FINDINGS
	                     : JX_EXIT_OK;
}
