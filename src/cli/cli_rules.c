/*
 * cli_rules.c - `jixiao rules list|show|check`: list the rule sets found on
 * the search path, print one in readable form, validate rule-set files.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int rules_list(void);
static int rules_show(const char *spec);
static int rules_check(int argc, char **argv);
static const char *dfmt(jx_dec v, char *buf, size_t cap);
static const char *pct(jx_dec v, char *buf, size_t cap);
static int cmp_str(const void *a, const void *b);

static const char *
dfmt(jx_dec v, char *buf, size_t cap)
{
	jx_dec_format(v, -1, buf, cap);
	return buf;
}

static const char *
pct(jx_dec v, char *buf, size_t cap)
{
	size_t n = jx_dec_format(v * 100, -1, buf, cap);

	if (n + 1 < cap) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
	return buf;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
rules_list(void)
{
	const char *dirs[4];
	size_t ndirs = jx_cli_rules_dirs(dirs, 4), i, j, n;
	char *names[256];
	struct jx_cli_rules cache;
	int shown = 0;

	memset(&cache, 0, sizeof(cache));
	for (i = 0; i < ndirs; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (d == NULL)
			continue;
		n = 0;
		while ((de = readdir(d)) != NULL && n < 256) {
			size_t len = strlen(de->d_name);

			if (len > 5 &&
			    strcmp(de->d_name + len - 5, ".json") == 0)
				names[n++] = strndup(de->d_name, len - 5);
		}
		closedir(d);
		qsort(names, n, sizeof(names[0]), cmp_str);
		if (n > 0)
			printf("%s:\n", dirs[i]);
		for (j = 0; j < n; j++) {
			char path[4200];
			const struct jx_rules *r;

			snprintf(path, sizeof(path), "%s/%s.json", dirs[i],
			         names[j]);
			r = jx_cli_rules_get(&cache, path);
			if (r != NULL) {
				printf("  ");
				jx_cli_cell(stdout, r->name, 20);
				printf("%s（%s）\n", r->title, r->region);
				shown++;
			}
			free(names[j]);
			jx_cli_rules_free(&cache);
		}
		if (shown > 0)
			break; /* later directories are fallbacks */
	}
	if (shown == 0) {
		fprintf(stderr, "jixiao: 未找到任何规则方案\n");
		return JX_EXIT_BADINPUT;
	}
	return JX_EXIT_OK;
}

static int
rules_show(const char *spec)
{
	struct jx_cli_rules cache;
	const struct jx_rules *r;
	char b1[48], b2[48], b3[48];
	size_t i, t;
	static const char *const exec_methods[] = {"", "按执行率比例", "分档",
	                                           "阈值扣分"};

	memset(&cache, 0, sizeof(cache));
	r = jx_cli_rules_get(&cache, spec);
	if (r == NULL)
		return JX_EXIT_BADINPUT;
	printf("%s（%s）\n地区: %s\n", r->title, r->name, r->region);
	if (r->basis != NULL)
		printf("依据: %s\n", r->basis);
	if (r->description != NULL)
		printf("说明: %s\n", r->description);
	printf("\n满分 %s；每行得分保留%d位小数，总分保留%d位小数\n",
	       dfmt(r->total_weight, b1, sizeof(b1)), r->places,
	       r->total_places);
	printf("\n一级指标权重:\n  预算执行率 %s（%s，分母为%s）\n",
	       dfmt(r->exec.weight, b1, sizeof(b1)),
	       exec_methods[r->exec.method],
	       r->exec.base == JX_EXEC_BASE_RECEIVED ? "实际到位资金"
	                                             : "全年预算数");
	for (i = 0; i < r->nlevel1; i++)
		printf("  %s %s\n", r->level1[i].name,
		       dfmt(r->level1[i].weight, b1, sizeof(b1)));
	printf("\n定量指标: 反向指标%s；超额完成达到目标的%s倍须说明原因\n",
	       r->quant.reverse == JX_REVERSE_RATIO
	               ? "按目标/实际计分"
	               : "超出部分线性扣分，2倍目标时为0分",
	       dfmt(r->quant.over_ratio, b1, sizeof(b1)));
	printf("\n定性指标档次:\n");
	for (t = 0; t < 3; t++) {
		const struct jx_rules_tier *rt = &r->tiers[t];

		printf("  第%d档 %s: %s%s, %s%s，建议 %s\n", rt->tier,
		       rt->label, rt->band.lo_incl ? "[" : "(",
		       pct(rt->band.lo, b1, sizeof(b1)),
		       pct(rt->band.hi, b2, sizeof(b2)),
		       rt->band.hi_incl ? "]" : ")",
		       pct(rt->suggest, b3, sizeof(b3)));
	}
	printf("\n定性词表（%zu 个）:\n", r->nwords);
	for (t = 1; t <= 3; t++) {
		printf("  第%zu档:", t);
		for (i = 0; i < r->nwords; i++)
			if ((size_t)r->words[i].tier == t)
				printf(" %s", r->words[i].word);
		printf("\n");
	}
	printf("\n评价等级:\n");
	for (i = 0; i < r->ngrades; i++)
		printf("  %s: %s %s\n", r->grades[i].name,
		       r->grades[i].min_incl ? "≥" : ">",
		       dfmt(r->grades[i].min, b1, sizeof(b1)));
	jx_cli_rules_free(&cache);
	return JX_EXIT_OK;
}

static int
rules_check(int argc, char **argv)
{
	int i, status = JX_EXIT_OK;

	if (argc < 1) {
		fprintf(stderr, "用法: jixiao rules check FILE...\n");
		return JX_EXIT_BADINPUT;
	}
	for (i = 0; i < argc; i++) {
		struct jx_cli_rules cache;
		const struct jx_rules *r;

		memset(&cache, 0, sizeof(cache));
		r = jx_cli_rules_get(&cache, argv[i]);
		if (r == NULL)
			status = JX_EXIT_BADINPUT;
		else
			printf("%s: 有效（%s）\n", argv[i], r->title);
		jx_cli_rules_free(&cache);
	}
	return status;
}

int
jx_cli_rules_cmd(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return rules_list();
	if (argc >= 3 && strcmp(argv[1], "show") == 0)
		return rules_show(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return rules_check(argc - 2, argv + 2);
	fprintf(stderr,
	        "用法: jixiao rules list | show NAME | check FILE...\n");
	return JX_EXIT_BADINPUT;
}
