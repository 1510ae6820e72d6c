/*
 * cli_demo.c - `jixiao db demo`: a realistic database for a new user to
 * look at. A municipal finance bureau (示范市财政局) with six supervising
 * departments, three units each and their users; the real seed
 * self-evaluations (tests/data/seeds, or the installed copy); and N
 * generated projects with their self-evaluations, most right, some with the
 * mistakes the seeds show. Everything is deterministic (a fixed xorshift
 * seed), so running it again changes nothing. The users have no password
 * yet: accounts arrive with the web server.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jx/buf.h"
#include "jx/evaljson.h"
#include "jx/store.h"

struct rng {
	uint64_t s;
};

struct tmpl {
	const char *level1, *level2, *name;
	const char *op;   /* "≥", "≤", "" (bare) or NULL (qualitative) */
	const char *unit; /* after the number */
	int lo, hi;       /* range of the target number */
	const char *word; /* qualitative target */
};

static const char *const departments[] = {
        "示范市教育局",     "示范市卫生健康委员会", "示范市交通运输局",
        "示范市农业农村局", "示范市民政局",         "示范市数据资源管理局"};
static const char *const unit_suffix[] = {"事务中心", "服务中心", "信息中心"};
static const char *const project_kinds[] = {
        "信息系统运行维护", "专项业务培训", "设备购置更新", "基层服务能力提升",
        "公共服务平台建设", "民生保障补助", "安全生产监管", "数据共享与治理"};

static const struct tmpl quantity[] = {
        {"产出指标", "数量指标", "培训人次", "≥", "人次", 200, 2000, NULL},
        {"产出指标", "数量指标", "购置设备数量", "≥", "台", 5, 80, NULL},
        {"产出指标", "数量指标", "覆盖单位数量", "", "个", 3, 40, NULL},
        {"产出指标", "数量指标", "维护信息系统数量", "", "项", 1, 9, NULL}};
static const struct tmpl quality[] = {
        {"产出指标", "质量指标", "验收合格率", "≥", "%", 90, 100, NULL},
        {"产出指标", "质量指标", "系统正常运行率", "≥", "%", 95, 99, NULL},
        {"产出指标", "质量指标", "系统故障率", "≤", "%", 1, 5, NULL}};
static const struct tmpl timeliness[] = {
        {"产出指标", "时效指标", "资金拨付及时性", NULL, NULL, 0, 0, "及时"},
        {"产出指标", "时效指标", "故障响应时间", "≤", "小时", 1, 4, NULL}};
static const struct tmpl benefit[] = {
        {"效益指标", "社会效益指标", "公共服务水平", NULL, NULL, 0, 0,
         "明显提升"},
        {"效益指标", "社会效益指标", "群众办事便利度", NULL, NULL, 0, 0,
         "显著提高"},
        {"效益指标", "可持续影响指标", "长效机制建立", NULL, NULL, 0, 0,
         "长期"}};

static uint64_t
next(struct rng *r)
{
	uint64_t x = r->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->s = x;
	return x;
}

/* Uniform in [lo, hi]. */
static int
pick(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static void
add_str(struct jx_buf *b, const char *key, const char *v)
{
	jx_buf_printf(b, "\"%s\":", key);
	jx_buf_add_json_string(b, v, strlen(v));
	jx_buf_adds(b, ",");
}

/* Points as text with two decimals at most: p is in hundredths. */
static void
points(char *buf, size_t cap, long p)
{
	if (p % 100 == 0)
		snprintf(buf, cap, "%ld", p / 100);
	else if (p % 10 == 0)
		snprintf(buf, cap, "%ld.%ld", p / 100, (p % 100) / 10);
	else
		snprintf(buf, cap, "%ld.%02ld", p / 100, p % 100);
}

/*
 * One indicator: target and actual texts and the stated score (in
 * hundredths). Most are met; some missed with a proportional score; a few
 * carry the seeds' mistakes (full points for a miss, no reason).
 */
static long
gen_indicator(struct rng *r, struct jx_buf *b, const struct tmpl *t,
              long weight)
{
	char target[64], actual[64], score[32];
	const char *reason = "";
	long s = weight * 100;
	int roll = pick(r, 0, 99);

	if (t->op == NULL) {
		snprintf(target, sizeof(target), "%s", t->word);
		snprintf(actual, sizeof(actual), "%s",
		         roll < 90 ? t->word : "有所提升");
		if (roll >= 90) {
			s = weight * 70; /* tier 2: 70% suggested */
			reason = "部分措施尚在推进";
		}
	} else {
		int tv = pick(r, t->lo, t->hi), av = tv;
		bool le = strcmp(t->op, "≤") == 0;

		if (roll >= 80) {
			/* missed: proportional (≥) or over the bound (≤) */
			av = le ? tv + 1 : tv - pick(r, 1, tv / 5 + 1);
			if (av < 0)
				av = 0;
			if (le) {
				s = av >= 2 * tv
				            ? 0
				            : weight * 100 * (2 * tv - av) / tv;
			} else {
				s = weight * 100 * av / tv;
			}
			reason =
			        roll < 95 ? "受客观条件影响未完全达到目标" : "";
			if (roll >= 97)
				s = weight * 100; /* full points for a miss */
		} else if (!le && roll < 20) {
			av = tv + pick(r, 0, tv / 10 + 1);
		}
		snprintf(target, sizeof(target), "%s%d%s", t->op, tv, t->unit);
		snprintf(actual, sizeof(actual), "%d%s", av, t->unit);
	}
	points(score, sizeof(score), s);
	jx_buf_adds(b, "{");
	add_str(b, "level1", t->level1);
	add_str(b, "level2", t->level2);
	add_str(b, "name", t->name);
	add_str(b, "target", target);
	add_str(b, "actual", actual);
	add_str(b, "deviation_reason", reason);
	jx_buf_printf(b, "\"weight\":%ld,\"score_stated\":%s}", weight, score);
	return s;
}

/* One generated self-evaluation as interchange JSON. */
static void
gen_eval(struct rng *r, long i, struct jx_buf *b)
{
	const char *dept = departments[i % 6];
	char unit[128], title[128], id[32], num[32], rate[32], sc[32];
	long budget = pick(r, 1000, 50000); /* hundredths of 万元: 10-500 */
	long exec = budget * pick(r, 70, 100) / 100;
	long rate_bp = exec * 10000 / budget, exec_pts, total;
	snprintf(unit, sizeof(unit), "%s%s", dept + strlen("示范市"),
	         unit_suffix[pick(r, 0, 2)]);
	snprintf(title, sizeof(title), "2024年%s%s项目",
	         dept + strlen("示范市"), project_kinds[pick(r, 0, 7)]);
	snprintf(id, sizeof(id), "DEMO-2024-%04ld", i + 1);
	jx_buf_reset(b);
	jx_buf_adds(b, "{");
	add_str(b, "id", id);
	add_str(b, "title", title);
	add_str(b, "unit", unit);
	add_str(b, "department", dept);
	jx_buf_adds(b, "\"year\":2024,\"kind\":\"self\",\"funds\":{");
	points(num, sizeof(num), budget);
	jx_buf_printf(b, "\"unit\":\"万元\",\"initial_budget\":%s,", num);
	jx_buf_printf(b, "\"annual_budget\":%s,\"received\":%s,", num, num);
	points(num, sizeof(num), exec);
	jx_buf_printf(b, "\"executed\":%s,\"exec_weight\":10,", num);
	points(rate, sizeof(rate), rate_bp);
	exec_pts = exec * 1000 / budget; /* hundredths of a point */
	if ((exec * 1000) % budget * 2 >= budget)
		exec_pts++;
	points(sc, sizeof(sc), exec_pts);
	jx_buf_printf(
	        b, "\"exec_rate_stated\":\"%s%%\",\"exec_score_stated\":%s},",
	        rate, sc);
	jx_buf_adds(b, "\"goals\":[{\"expected\":"
	               "\"按计划完成项目建设任务，提升服务保障能力\","
	               "\"achieved\":\"基本完成年度任务\"}],\"indicators\":[");
	/* 产出 50 (quantity 15, quality 15, time 10, cost 10), 效益 30,
	 * 满意度 10, and the execution line's 10. */
	total = exec_pts;
	total += gen_indicator(r, b, &quantity[pick(r, 0, 3)], 15);
	jx_buf_adds(b, ",");
	total += gen_indicator(r, b, &quality[pick(r, 0, 2)], 15);
	jx_buf_adds(b, ",");
	total += gen_indicator(r, b, &timeliness[pick(r, 0, 1)], 10);
	jx_buf_adds(b, ",");
	{
		/* 成本: the cost ceiling is the budget. */
		struct tmpl cost = {"产出指标", "成本指标", "项目成本控制",
		                    "≤",        "万元",     0,
		                    0,          NULL};
		char target[64], actual[64];

		points(num, sizeof(num), budget);
		snprintf(target, sizeof(target), "≤%s万元", num);
		points(num, sizeof(num), exec);
		snprintf(actual, sizeof(actual), "%s万元", num);
		jx_buf_adds(b, "{");
		add_str(b, "level1", cost.level1);
		add_str(b, "level2", cost.level2);
		add_str(b, "name", cost.name);
		add_str(b, "target", target);
		add_str(b, "actual", actual);
		add_str(b, "deviation_reason", "");
		jx_buf_adds(b, "\"weight\":10,\"score_stated\":10},");
		total += 1000;
	}
	total += gen_indicator(r, b, &benefit[pick(r, 0, 1)], 15);
	jx_buf_adds(b, ",");
	total += gen_indicator(r, b, &benefit[2], 15);
	jx_buf_adds(b, ",");
	{
		struct tmpl sat = {"满意度指标",
		                   "服务对象满意度指标",
		                   "服务对象满意度",
		                   "≥",
		                   "%",
		                   85,
		                   95,
		                   NULL};

		total += gen_indicator(r, b, &sat, 10);
	}
	points(sc, sizeof(sc), total);
	jx_buf_printf(
	        b, "],\"total_weight_stated\":100,\"total_score_stated\":%s,",
	        sc);
	add_str(b, "grade_stated",
	        total >= 9000   ? "优"
	        : total >= 8000 ? "良"
	        : total >= 6000 ? "中"
	                        : "差");
	b->len--; /* the trailing comma */
	jx_buf_adds(b, "}");
}

/* The seed fixtures' directory: the source tree's, else the installed. */
static const char *
seeds_dir(void)
{
	static const char *const dirs[] = {JX_SOURCE_DIR "/tests/data/seeds",
	                                   JX_DATA_DIR "/seeds"};
	const char *env = getenv("JIXIAO_SEEDS_DIR");
	size_t i;

	if (env != NULL && env[0] != '\0')
		return env;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		DIR *d = opendir(dirs[i]);

		if (d != NULL) {
			closedir(d);
			return dirs[i];
		}
	}
	return NULL;
}

struct demo_import {
	struct jx_store *s;
	const struct jx_rules *r;
	size_t n, bad;
};

static bool
demo_one(void *arg, const struct jx_eval *e, const struct jx_diag *bad)
{
	struct demo_import *di = arg;
	enum jx_import_outcome outcome;
	struct jx_diag d;
	char line[1200];
	int64_t id;

	jx_diag_clear(&d);
	if (bad == NULL && jx_store_eval_import(di->s, e, di->r, "demo",
	                                        &outcome, &id, &d) == JX_OK) {
		di->n++;
		return true;
	}
	di->bad++;
	jx_diag_format(bad != NULL ? bad : &d, line, sizeof(line));
	fprintf(stderr, "jixiao: 示范数据导入失败: %s\n", line);
	return true;
}

int
jx_cli_demo(const char *url, long nprojects)
{
	struct jx_cli_rules cache;
	struct demo_import di;
	struct jx_store *s = NULL;
	struct jx_diag d;
	struct jx_eval e;
	struct jx_buf b;
	struct rng r = {UINT64_C(0x9E3779B97F4A7C15)};
	int64_t root = 0, dept = 0, unit = 0, uid = 0;
	const char *seeds;
	enum jx_err err;
	size_t i, j;
	long k;
	char login[32], name[160];

	memset(&cache, 0, sizeof(cache));
	memset(&di, 0, sizeof(di));
	jx_diag_clear(&d);
	di.r = jx_cli_rules_get(&cache, "mof-2020");
	if (di.r == NULL)
		return JX_EXIT_BADINPUT;
	err = jx_cli_store_begin(url, &s, &d);
	/* The organisation tree and its people. */
	if (err == JX_OK)
		err = jx_store_org_ensure(s, 0, JX_ORG_FINANCE, "示范市财政局",
		                          "SF-CZJ", "990100", "示范市", &root,
		                          &d);
	if (err == JX_OK) {
		struct jx_user us[] = {{0, root, "admin", "系统管理员",
		                        JX_ROLE_ADMIN, NULL, 0},
		                       {0, root, "caizheng",
		                        "财政局绩效科 李明", JX_ROLE_FINANCE,
		                        NULL, 0}};

		for (i = 0; err == JX_OK && i < 2; i++) {
			struct jx_user got;
			struct jx_arena a;

			jx_arena_init(&a, 0);
			if (jx_store_user_get(s, us[i].login, &got, &a, &d) ==
			    JX_ENOTFOUND)
				err = jx_store_user_create(s, &us[i], &uid, &d);
			jx_arena_cleanup(&a);
		}
	}
	for (i = 0; err == JX_OK && i < 6; i++) {
		err = jx_store_org_ensure(s, root, JX_ORG_DEPARTMENT,
		                          departments[i], NULL, "990100",
		                          "示范市", &dept, &d);
		snprintf(login, sizeof(login), "dept%02zu", i + 1);
		snprintf(name, sizeof(name), "%s审核员", departments[i]);
		if (err == JX_OK) {
			struct jx_user u = {
			        0, dept, login, name, JX_ROLE_DEPT, NULL, 0};
			struct jx_user got;
			struct jx_arena a;

			jx_arena_init(&a, 0);
			if (jx_store_user_get(s, login, &got, &a, &d) ==
			    JX_ENOTFOUND)
				err = jx_store_user_create(s, &u, &uid, &d);
			jx_arena_cleanup(&a);
		}
		for (j = 0; err == JX_OK && j < 3; j++) {
			snprintf(name, sizeof(name), "%s%s",
			         departments[i] + strlen("示范市"),
			         unit_suffix[j]);
			err = jx_store_org_ensure(s, dept, JX_ORG_UNIT, name,
			                          NULL, "990100", "示范市",
			                          &unit, &d);
			snprintf(login, sizeof(login), "unit%02zu%02zu", i + 1,
			         j + 1);
			snprintf(name + strlen(name),
			         sizeof(name) - strlen(name), "填报员");
			if (err == JX_OK) {
				struct jx_user u = {0,    unit,         login,
				                    name, JX_ROLE_UNIT, NULL,
				                    0};
				struct jx_user got;
				struct jx_arena a;

				jx_arena_init(&a, 0);
				if (jx_store_user_get(s, login, &got, &a, &d) ==
				    JX_ENOTFOUND)
					err = jx_store_user_create(s, &u, &uid,
					                           &d);
				jx_arena_cleanup(&a);
			}
		}
	}
	if (err == JX_OK)
		err = jx_store_commit(s, &d);
	if (err == JX_OK) {
		const char *logins[2 + 6 + 18];
		char names[6 + 18][16];
		size_t nl = 0;

		logins[nl++] = "admin";
		logins[nl++] = "caizheng";
		for (i = 0; i < 6; i++) {
			snprintf(names[nl - 2], sizeof(names[0]), "dept%02zu",
			         i + 1);
			logins[nl] = names[nl - 2];
			nl++;
			for (j = 0; j < 3; j++) {
				snprintf(names[nl - 2], sizeof(names[0]),
				         "unit%02zu%02zu", i + 1, j + 1);
				logins[nl] = names[nl - 2];
				nl++;
			}
		}
		if (jx_cli_demo_passwords(s, logins, nl,
		                          JX_CLI_DEMO_PASSWORD) != JX_EXIT_OK)
			err = jx_diag_set(&d, JX_EDB, NULL,
			                  "设置示范用户密码失败");
	}
	if (err != JX_OK) {
		char line[1200];

		jx_diag_format(&d, line, sizeof(line));
		fprintf(stderr, "jixiao: 创建示范数据失败: %s\n", line);
		jx_store_close(s);
		jx_cli_rules_free(&cache);
		return JX_EXIT_BADINPUT;
	}

	/* The real seed reports, then generated projects. */
	di.s = s;
	seeds = seeds_dir();
	if (seeds != NULL) {
		char *paths[1] = {(char *)(uintptr_t)seeds};

		jx_cli_each(paths, 1, false, demo_one, &di);
	} else {
		fprintf(stderr, "jixiao: 未找到种子自评表目录，跳过\n");
	}
	jx_eval_init(&e);
	jx_buf_init(&b, 1u << 20);
	err = jx_store_begin(s, &d);
	for (k = 0; err == JX_OK && k < nprojects; k++) {
		gen_eval(&r, k, &b);
		err = jx_evaljson_read(b.data, b.len, "demo", 0, &e, &d);
		if (err == JX_OK)
			demo_one(&di, &e, NULL);
		if (err == JX_OK && k % 500 == 499)
			err = jx_store_commit(s, &d) == JX_OK
			              ? jx_store_begin(s, &d)
			              : JX_EDB;
	}
	if (err == JX_OK)
		err = jx_store_commit(s, &d);
	else
		jx_store_rollback(s);
	jx_buf_free(&b);
	jx_eval_cleanup(&e);
	if (err != JX_OK) {
		char line[1200];

		jx_diag_format(&d, line, sizeof(line));
		fprintf(stderr, "jixiao: 生成示范项目失败: %s\n", line);
	}
	printf("示范数据就绪：%s 中有示范市财政局、6个主管部门、18个实施单位，"
	       "%zu 份自评表（%zu 份失败）\n"
	       "用户：admin（系统管理员）、caizheng（财政审核）、dept01…dept06"
	       "（主管部门审核）、unit0101…unit0603（单位填报），"
	       "密码均为 " JX_CLI_DEMO_PASSWORD "\n",
	       url, di.n, di.bad);
	jx_store_close(s);
	jx_cli_rules_free(&cache);
	return err == JX_OK && di.bad == 0 ? JX_EXIT_OK : JX_EXIT_BADINPUT;
}
