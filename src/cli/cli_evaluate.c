/*
 * cli_evaluate.c - `jixiao evaluate FILE`: score an evaluation (绩效评价)
 * written on an evaluation framework (framework.h; templates in
 * rules/frameworks/): each line's score from its written rule with the
 * reason, the total and the grade under a rule set, and the places where
 * a stated table disagrees. Text (a table) or JSON (one object). Exit
 * status: 0 no errors, 1 findings of severity error, 2 bad input.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "jx/framework.h"

static const char *dec_text(jx_dec v, char *buf, size_t cap);
static void print_text(const struct jx_framework *fw,
                       const struct jx_fw_result *res,
                       const struct jx_rules *r);
static int print_json(const struct jx_framework *fw,
                      const struct jx_fw_result *res, const struct jx_rules *r);

static const char *
dec_text(jx_dec v, char *buf, size_t cap)
{
	jx_dec_format(v, -1, buf, cap);
	return buf;
}

static void
print_text(const struct jx_framework *fw, const struct jx_fw_result *res,
           const struct jx_rules *r)
{
	char path[512], b1[48], b2[48], b3[48];
	size_t i;

	printf("== %s\n   规则方案: %s（%s）\n\n", fw->title, r->title,
	       r->name);
	jx_cli_cell(stdout, "指标", 40);
	jx_cli_cell(stdout, "分值", 6);
	jx_cli_cell(stdout, "填报", 6);
	jx_cli_cell(stdout, "计算", 7);
	printf("计分依据\n");
	for (i = 0; i < fw->nlines; i++) {
		const struct jx_fw_line *ln = &fw->lines[i];
		const struct jx_fw_score *s = &res->lines[i];

		snprintf(path, sizeof(path), "%s/%s%s%s", ln->level1,
		         ln->level2 != NULL ? ln->level2 : "",
		         ln->level2 != NULL ? "/" : "", ln->name);
		jx_cli_cell(stdout, path, 40);
		jx_cli_cell(stdout, dec_text(ln->weight, b1, sizeof(b1)), 6);
		jx_cli_cell(stdout,
		            ln->stated.set
		                    ? dec_text(ln->stated.v, b2, sizeof(b2))
		                    : "-",
		            6);
		jx_cli_cell(stdout,
		            s->scored ? dec_text(s->score, b3, sizeof(b3))
		                      : "-",
		            7);
		printf("%s\n", s->trace);
	}
	printf("\n合计: 分值 %s，计算得分 %s%s",
	       dec_text(res->weight_sum, b1, sizeof(b1)),
	       res->complete ? dec_text(res->total, b2, sizeof(b2)) : "—",
	       res->complete ? "" : "（有指标未录入评价依据）");
	if (fw->total_stated.set)
		printf("，填报 %s",
		       dec_text(fw->total_stated.v, b3, sizeof(b3)));
	printf("\n评价等级: %s%s%s\n",
	       res->grade != NULL ? res->grade->name : "—",
	       fw->grade_stated != NULL ? "，填报 " : "",
	       fw->grade_stated != NULL ? fw->grade_stated : "");
	if (res->findings.n > 0)
		printf("\n发现问题 %zu 项（错误 %zu，警告 %zu）:\n",
		       res->findings.n, res->findings.nerrors,
		       res->findings.nwarnings);
	for (i = 0; i < res->findings.n; i++) {
		const struct jx_finding *f = &res->findings.items[i];

		printf("  [%s] %s %s: %s\n",
		       f->severity == JX_SEV_ERROR ? "错误" : "警告", f->code,
		       f->where, f->message);
	}
}

static int
print_json(const struct jx_framework *fw, const struct jx_fw_result *res,
           const struct jx_rules *r)
{
	json_t *o = json_object(), *lines = json_array(), *finds = json_array();
	char b[48];
	size_t i;
	char *text;
	int bad = 0;

	if (o == NULL || lines == NULL || finds == NULL) {
		json_decref(o);
		json_decref(lines);
		json_decref(finds);
		return -1;
	}
	for (i = 0; i < fw->nlines; i++) {
		const struct jx_fw_line *ln = &fw->lines[i];
		const struct jx_fw_score *s = &res->lines[i];
		json_t *l = json_object();

		bad |= l == NULL;
		if (l == NULL)
			break;
		bad |= json_object_set_new(l, "level1",
		                           json_string(ln->level1));
		bad |= json_object_set_new(l, "level2",
		                           ln->level2 != NULL
		                                   ? json_string(ln->level2)
		                                   : json_null());
		bad |= json_object_set_new(l, "name", json_string(ln->name));
		bad |= json_object_set_new(
		        l, "rule",
		        json_string(jx_framework_kind_name(ln->kind)));
		bad |= json_object_set_new(
		        l, "weight",
		        json_string(dec_text(ln->weight, b, sizeof(b))));
		bad |= json_object_set_new(
		        l, "score",
		        s->scored
		                ? json_string(dec_text(s->score, b, sizeof(b)))
		                : json_null());
		bad |= json_object_set_new(
		        l, "stated",
		        ln->stated.set ? json_string(dec_text(ln->stated.v, b,
		                                              sizeof(b)))
		                       : json_null());
		bad |= json_object_set_new(l, "trace", json_string(s->trace));
		bad |= json_array_append_new(lines, l);
	}
	for (i = 0; i < res->findings.n; i++) {
		const struct jx_finding *f = &res->findings.items[i];

		bad |= json_array_append_new(
		        finds,
		        json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s}", "code",
		                  f->code, "severity",
		                  f->severity == JX_SEV_ERROR ? "error"
		                                              : "warning",
		                  "where", f->where, "stated", f->stated,
		                  "computed", f->computed, "message",
		                  f->message));
	}
	bad |= json_object_set_new(o, "title", json_string(fw->title));
	bad |= json_object_set_new(o, "rules", json_string(r->name));
	bad |= json_object_set_new(o, "lines", lines);
	bad |= json_object_set_new(
	        o, "weight_sum",
	        json_string(dec_text(res->weight_sum, b, sizeof(b))));
	bad |= json_object_set_new(
	        o, "total",
	        res->complete ? json_string(dec_text(res->total, b, sizeof(b)))
	                      : json_null());
	bad |= json_object_set_new(o, "grade",
	                           res->grade != NULL
	                                   ? json_string(res->grade->name)
	                                   : json_null());
	bad |= json_object_set_new(o, "findings", finds);
	text = bad ? NULL : json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text == NULL)
		return -1;
	printf("%s\n", text);
	free(text);
	return 0;
}

int
jx_cli_evaluate(int argc, char **argv)
{
	struct jx_cli_rules rules;
	const struct jx_rules *r;
	const struct jx_framework *fw = NULL;
	struct jx_fw_result res;
	struct jx_arena a;
	struct jx_diag d;
	const char *path = NULL, *spec = "mof-2020";
	char *buf = NULL, line[1024];
	size_t len = 0;
	bool json = false;
	int i, status = JX_EXIT_BADINPUT;

	memset(&rules, 0, sizeof(rules));
	jx_arena_init(&a, 64 * 1024);
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
				goto done;
			}
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "jixiao: 未知选项“%s”\n", argv[i]);
			goto done;
		} else if (path == NULL) {
			path = argv[i];
		} else {
			fprintf(stderr, "jixiao: 一次只评一份评价表\n");
			goto done;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "用法: jixiao evaluate 评价表.json [--rules "
		                "NAME|FILE] [--format text|json]\n"
		                "  评价表的格式见 docs/rules.md“Evaluation "
		                "frameworks”；模板在 rules/frameworks/\n");
		goto done;
	}
	r = jx_cli_rules_get(&rules, spec);
	if (r == NULL)
		goto done;
	jx_diag_clear(&d);
	if (jx_cli_read_file(path, JX_MAX_RULES_BYTES, &buf, &len, &d) !=
	            JX_OK ||
	    jx_framework_parse(buf, len, path, &a, &fw, &d) != JX_OK) {
		if (d.file[0] == '\0')
			jx_diag_set_file(&d, path);
		jx_diag_format(&d, line, sizeof(line));
		fprintf(stderr, "jixiao: 评价表无效: %s\n", line);
		goto done;
	}
	if (jx_framework_score(fw, r, &a, &res) != JX_OK) {
		fprintf(stderr, "jixiao: 内存不足\n");
		goto done;
	}
	if (json) {
		if (print_json(fw, &res, r) != 0) {
			fprintf(stderr, "jixiao: 内存不足\n");
			goto done;
		}
	} else {
		print_text(fw, &res, r);
	}
	status = res.findings.nerrors > 0 ? JX_EXIT_FINDINGS : JX_EXIT_OK;
done:
	free(buf);
	jx_arena_cleanup(&a);
	jx_cli_rules_free(&rules);
	return status;
}
