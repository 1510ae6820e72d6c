/*
 * cli_db.c - `jixiao db migrate|import|export|backup|restore|stats|demo`:
 * the database from the command line. Every subcommand takes --db URL
 * (default sqlite:./jixiao.db). Import reads the same inputs as check
 * (files, directories, JSON Lines, standard input) and is idempotent;
 * export writes JSON Lines in the interchange format, to a file only once
 * it is complete (written beside it, then renamed).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jx/buf.h"
#include "jx/evaljson.h"
#include "jx/store.h"

struct dbopts {
	const char *url;
	const char *rules;
	const char *out;
	const char *actor;
	long nprojects;
	char **args; /* positional arguments */
	size_t nargs;
};

struct import_run {
	struct jx_store *s;
	struct jx_cli_rules rules;
	const char *rules_spec;
	const char *actor;
	size_t created, updated, unchanged, bad;
	size_t in_batch; /* imports in the open transaction */
	size_t batch;    /* imports per transaction */
	bool open;       /* a batch transaction is open */
	bool fatal;
};

/* Imports per transaction: each one still succeeds or fails alone (the
 * store uses a savepoint), but the commit's sync is paid once per batch.
 * Below 64, PostgreSQL's limit of cached subtransactions. */
#define IMPORT_BATCH 50

static int parse_opts(int argc, char **argv, struct dbopts *o);
static struct jx_store *open_db(const struct dbopts *o, bool migrate);
static void print_diag(const char *what, const struct jx_diag *d);
static bool on_import(void *arg, const struct jx_eval *e,
                      const struct jx_diag *bad);
static bool begin_batch(struct import_run *run);
static bool end_batch(struct import_run *run);
static int db_migrate(const struct dbopts *o);
static int db_import(const struct dbopts *o);
static int db_export(const struct dbopts *o);
static int db_backup(const struct dbopts *o);
static int db_restore(const struct dbopts *o);
static int db_stats(const struct dbopts *o);
static void usage(void);

static void
usage(void)
{
	fputs("用法: jixiao db <命令> [--db URL] ...\n"
	      "  migrate                    创建或升级数据库结构\n"
	      "  import [--rules R] FILE|DIR|-...  导入自评表（可重复导入）\n"
	      "  export [--out FILE]        导出全部自评表（JSON Lines）\n"
	      "  backup FILE                "
	      "备份数据库（SQLite，可在运行中进行）\n"
	      "  restore FILE               从备份恢复（SQLite，先校验备份）\n"
	      "  stats                      数据库统计\n"
	      "  demo [--projects N]        "
	      "创建示范数据（示范用户密码 " JX_CLI_DEMO_PASSWORD ")\n"
	      "  init 财政局名称 登录名     新库：创建财政局及首个管理员\n"
	      "  passwd 登录名              从标准输入读取并设置密码\n"
	      "--db 默认为 " JX_STORE_DEFAULT_URL
	      "；PostgreSQL 用 postgresql://…\n",
	      stderr);
}

static void
print_diag(const char *what, const struct jx_diag *d)
{
	char line[1200];

	jx_diag_format(d, line, sizeof(line));
	fprintf(stderr, "jixiao: %s: %s\n", what, line);
}

static int
parse_opts(int argc, char **argv, struct dbopts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->url = getenv("JIXIAO_DB");
	o->actor = "cli";
	o->nprojects = 200;
	o->args = calloc((size_t)argc + 1, sizeof(*o->args));
	if (o->args == NULL)
		return -1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--db") == 0 && v != NULL) {
			o->url = v;
			i++;
		} else if (strncmp(a, "--db=", 5) == 0) {
			o->url = a + 5;
		} else if (strcmp(a, "--rules") == 0 && v != NULL) {
			o->rules = v;
			i++;
		} else if (strcmp(a, "--out") == 0 && v != NULL) {
			o->out = v;
			i++;
		} else if (strcmp(a, "--actor") == 0 && v != NULL) {
			o->actor = v;
			i++;
		} else if (strcmp(a, "--projects") == 0 && v != NULL) {
			char *end;

			errno = 0;
			o->nprojects = strtol(v, &end, 10);
			if (errno != 0 || *end != '\0' || o->nprojects < 0 ||
			    o->nprojects > 1000000) {
				fprintf(stderr, "jixiao: --projects 应为 0 到 "
				                "1000000 的整数\n");
				return -1;
			}
			i++;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "jixiao: 未知选项“%s”\n", a);
			return -1;
		} else {
			o->args[o->nargs++] = argv[i];
		}
	}
	if (o->url == NULL)
		o->url = JX_STORE_DEFAULT_URL;
	return 0;
}

static struct jx_store *
open_db(const struct dbopts *o, bool migrate)
{
	struct jx_store *s = NULL;
	struct jx_diag d;
	int version = 0;

	jx_diag_clear(&d);
	if (jx_store_open(o->url, &s, &d) != JX_OK) {
		print_diag("无法打开数据库", &d);
		return NULL;
	}
	if (migrate) {
		if (jx_store_migrate(s, NULL, NULL, &d) != JX_OK) {
			print_diag("数据库结构升级失败", &d);
			jx_store_close(s);
			return NULL;
		}
	} else if (jx_store_schema_version(s, &version, &d) != JX_OK ||
	           version != jx_store_schema_latest()) {
		if (d.message[0] == '\0')
			jx_diag_set(&d, JX_EINVAL, NULL,
			            "数据库结构版本为%d，需要%d：请先运行 "
			            "jixiao db "
			            "migrate",
			            version, jx_store_schema_latest());
		print_diag("数据库未就绪", &d);
		jx_store_close(s);
		return NULL;
	}
	return s;
}

static int
db_migrate(const struct dbopts *o)
{
	struct jx_store *s;
	struct jx_diag d;
	int from = 0, to = 0;

	jx_diag_clear(&d);
	if (jx_store_open(o->url, &s, &d) != JX_OK) {
		print_diag("无法打开数据库", &d);
		return JX_EXIT_BADINPUT;
	}
	if (jx_store_migrate(s, &from, &to, &d) != JX_OK) {
		print_diag("数据库结构升级失败", &d);
		jx_store_close(s);
		return JX_EXIT_BADINPUT;
	}
	if (from == to)
		printf("数据库结构已是最新（版本%d，%s）\n", to,
		       jx_store_backend(s));
	else
		printf("数据库结构已从版本%d升级到版本%d（%s）\n", from, to,
		       jx_store_backend(s));
	jx_store_close(s);
	return JX_EXIT_OK;
}

static bool
on_import(void *arg, const struct jx_eval *e, const struct jx_diag *bad)
{
	struct import_run *run = arg;
	const struct jx_rules *r;
	enum jx_import_outcome outcome;
	struct jx_diag d;
	int64_t id = 0;
	enum jx_err err;

	if (bad != NULL) {
		run->bad++;
		print_diag("输入有误", bad);
		return true;
	}
	r = jx_cli_rules_get(&run->rules, run->rules_spec != NULL
	                                          ? run->rules_spec
	                                  : e->rules != NULL ? e->rules
	                                                     : "mof-2020");
	if (r == NULL) {
		run->bad++;
		return run->rules_spec == NULL;
	}
	jx_diag_clear(&d);
	jx_diag_set_file(&d, e->source);
	if (!run->open && !begin_batch(run))
		return false;
	/* A conflict with another writer is retried a few times. */
	for (int tries = 0; tries < 4; tries++) {
		struct timespec ts = {0, 100000000L << tries};

		err = jx_store_eval_import(run->s, e, r, run->actor, &outcome,
		                           &id, &d);
		if (err != JX_ECONFLICT || d.field[0] != '\0')
			break;
		nanosleep(&ts, NULL);
	}
	if (err != JX_OK) {
		run->bad++;
		print_diag("导入失败", &d);
		run->fatal = err == JX_EDB || err == JX_ENOMEM;
		return !run->fatal;
	}
	if (outcome == JX_IMPORT_CREATED)
		run->created++;
	else if (outcome == JX_IMPORT_UPDATED)
		run->updated++;
	else
		run->unchanged++;
	if (++run->in_batch >= run->batch)
		return end_batch(run);
	return true;
}

/* Open a batch transaction, waiting a while for another writer. */
static bool
begin_batch(struct import_run *run)
{
	struct jx_diag d;
	enum jx_err err = JX_ECONFLICT;

	for (int tries = 0; tries < 50 && err == JX_ECONFLICT; tries++) {
		struct timespec ts = {0, 200000000L};

		jx_diag_clear(&d);
		err = jx_store_begin(run->s, &d);
		if (err == JX_ECONFLICT)
			nanosleep(&ts, NULL);
	}
	if (err != JX_OK) {
		print_diag("无法开始事务", &d);
		run->fatal = true;
		return false;
	}
	run->in_batch = 0;
	run->open = true;
	return true;
}

/* Commit the open batch: the imports in it are then durable. */
static bool
end_batch(struct import_run *run)
{
	struct jx_diag d;

	jx_diag_clear(&d);
	run->in_batch = 0;
	run->open = false;
	if (jx_store_commit(run->s, &d) != JX_OK) {
		print_diag("提交失败，本批导入未保存", &d);
		run->fatal = true;
		return false;
	}
	return true;
}

static int
db_import(const struct dbopts *o)
{
	struct import_run run;

	if (o->nargs == 0) {
		fprintf(stderr, "用法: jixiao db import [--db URL] [--rules R] "
		                "FILE|DIR|-...\n");
		return JX_EXIT_BADINPUT;
	}
	memset(&run, 0, sizeof(run));
	run.batch = IMPORT_BATCH;
	{
		/* JIXIAO_IMPORT_BATCH: imports per transaction (1-1000). */
		const char *b = getenv("JIXIAO_IMPORT_BATCH");
		char *end;
		long v;

		if (b != NULL && b[0] != '\0') {
			errno = 0;
			v = strtol(b, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 || v > 1000) {
				fprintf(stderr,
				        "jixiao: JIXIAO_IMPORT_BATCH 应为 1 "
				        "到 1000 的整数\n");
				return JX_EXIT_BADINPUT;
			}
			run.batch = (size_t)v;
		}
	}
	run.rules_spec = o->rules;
	run.actor = o->actor;
	if (o->rules != NULL && jx_cli_rules_get(&run.rules, o->rules) == NULL)
		return JX_EXIT_BADINPUT;
	run.s = open_db(o, true);
	if (run.s == NULL) {
		jx_cli_rules_free(&run.rules);
		return JX_EXIT_BADINPUT;
	}
	jx_cli_each(o->args, o->nargs, false, on_import, &run);
	if (run.open && !run.fatal)
		end_batch(&run);
	else if (run.open)
		jx_store_rollback(run.s);
	printf("导入完成：新建 %zu 份，更新 %zu 份，未变 %zu 份，失败 %zu 份\n",
	       run.created, run.updated, run.unchanged, run.bad);
	jx_store_close(run.s);
	jx_cli_rules_free(&run.rules);
	return run.bad > 0 || run.fatal ? JX_EXIT_BADINPUT : JX_EXIT_OK;
}

static int
db_export(const struct dbopts *o)
{
	struct jx_store *s = open_db(o, false);
	struct jx_diag d;
	struct jx_eval e;
	struct jx_buf b;
	int64_t *ids = NULL;
	size_t n = 0, i;
	char tmp[4200];
	FILE *f = stdout;
	int status = JX_EXIT_OK;

	if (s == NULL)
		return JX_EXIT_BADINPUT;
	jx_diag_clear(&d);
	if (jx_store_eval_ids(s, &ids, &n, &d) != JX_OK) {
		print_diag("导出失败", &d);
		jx_store_close(s);
		return JX_EXIT_BADINPUT;
	}
	if (o->out != NULL && strcmp(o->out, "-") != 0) {
		snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", o->out,
		         (long)getpid());
		f = fopen(tmp, "wx");
		if (f == NULL) {
			fprintf(stderr, "jixiao: 无法创建%s：%s\n", tmp,
			        strerror(errno));
			free(ids);
			jx_store_close(s);
			return JX_EXIT_BADINPUT;
		}
	}
	jx_eval_init(&e);
	jx_buf_init(&b, JX_MAX_RECORD_BYTES * 2u);
	for (i = 0; i < n && status == JX_EXIT_OK; i++) {
		jx_buf_reset(&b);
		if (jx_store_eval_load(s, ids[i], &e, &d) != JX_OK ||
		    jx_evaljson_write(&b, &e) != JX_OK ||
		    jx_buf_add(&b, "\n", 1) != JX_OK ||
		    fwrite(b.data, 1, b.len, f) != b.len) {
			if (d.message[0] == '\0')
				jx_diag_set(&d, JX_EIO, NULL, "写入失败");
			print_diag("导出失败", &d);
			status = JX_EXIT_BADINPUT;
		}
	}
	if (f != stdout) {
		if (fflush(f) != 0 || fsync(fileno(f)) != 0)
			status = JX_EXIT_BADINPUT;
		if (fclose(f) != 0)
			status = JX_EXIT_BADINPUT;
		if (status == JX_EXIT_OK && rename(tmp, o->out) != 0) {
			fprintf(stderr, "jixiao: 无法写入%s：%s\n", o->out,
			        strerror(errno));
			status = JX_EXIT_BADINPUT;
		}
		if (status != JX_EXIT_OK)
			unlink(tmp);
		else
			fprintf(stderr, "已导出 %zu 份自评表到 %s\n", n,
			        o->out);
	}
	jx_buf_free(&b);
	jx_eval_cleanup(&e);
	free(ids);
	jx_store_close(s);
	return status;
}

static int
db_backup(const struct dbopts *o)
{
	struct jx_store *s;
	struct jx_diag d;

	if (o->nargs != 1) {
		fprintf(stderr, "用法: jixiao db backup [--db URL] FILE\n");
		return JX_EXIT_BADINPUT;
	}
	s = open_db(o, false);
	if (s == NULL)
		return JX_EXIT_BADINPUT;
	jx_diag_clear(&d);
	if (jx_store_backup(s, o->args[0], &d) != JX_OK) {
		print_diag("备份失败", &d);
		jx_store_close(s);
		return JX_EXIT_BADINPUT;
	}
	printf("已备份到 %s\n", o->args[0]);
	jx_store_close(s);
	return JX_EXIT_OK;
}

static int
db_restore(const struct dbopts *o)
{
	struct jx_diag d;

	if (o->nargs != 1) {
		fprintf(stderr,
		        "用法: jixiao db restore [--db sqlite:PATH] FILE\n");
		return JX_EXIT_BADINPUT;
	}
	if (strncmp(o->url, "sqlite:", 7) != 0) {
		fprintf(stderr, "jixiao: PostgreSQL 数据库请用 pg_restore 恢复"
		                "（见 docs/storage.md）\n");
		return JX_EXIT_BADINPUT;
	}
	jx_diag_clear(&d);
	if (jx_store_restore_sqlite(o->args[0], o->url + 7, &d) != JX_OK) {
		print_diag("恢复失败，原数据库未改动", &d);
		return JX_EXIT_BADINPUT;
	}
	printf("已从 %s 恢复到 %s\n", o->args[0], o->url + 7);
	return JX_EXIT_OK;
}

static int
db_stats(const struct dbopts *o)
{
	struct jx_store *s;
	struct jx_store_stats st;
	struct jx_diag d;

	jx_diag_clear(&d);
	if (jx_store_open(o->url, &s, &d) != JX_OK) {
		print_diag("无法打开数据库", &d);
		return JX_EXIT_BADINPUT;
	}
	if (jx_store_stats(s, &st, &d) != JX_OK) {
		print_diag("统计失败", &d);
		jx_store_close(s);
		return JX_EXIT_BADINPUT;
	}
	/* A PostgreSQL URL may carry a password: name the back-end only. */
	printf("数据库: %s（%s），结构版本 %d/%d\n",
	       strncmp(o->url, "sqlite:", 7) == 0 ? o->url : "PostgreSQL",
	       jx_store_backend(s), st.schema_version,
	       jx_store_schema_latest());
	printf("组织 %" PRId64 "，用户 %" PRId64 "，项目 %" PRId64
	       "，支付 %" PRId64 "，预算调整 %" PRId64 "\n",
	       st.orgs, st.users, st.projects, st.payments, st.adjustments);
	printf("自评表 %" PRId64 "（指标 %" PRId64 "，错误级问题 %" PRId64
	       "），审计日志 %" PRId64 " 条\n",
	       st.evals, st.indicators, st.findings_errors, st.audit_entries);
	jx_store_close(s);
	return JX_EXIT_OK;
}

int
jx_cli_db_cmd(int argc, char **argv)
{
	struct dbopts o;
	int status;

	if (argc < 2) {
		usage();
		return JX_EXIT_BADINPUT;
	}
	if (parse_opts(argc - 2, argv + 2, &o) != 0) {
		free(o.args);
		return JX_EXIT_BADINPUT;
	}
	if (strcmp(argv[1], "migrate") == 0)
		status = db_migrate(&o);
	else if (strcmp(argv[1], "import") == 0)
		status = db_import(&o);
	else if (strcmp(argv[1], "export") == 0)
		status = db_export(&o);
	else if (strcmp(argv[1], "backup") == 0)
		status = db_backup(&o);
	else if (strcmp(argv[1], "restore") == 0)
		status = db_restore(&o);
	else if (strcmp(argv[1], "stats") == 0)
		status = db_stats(&o);
	else if (strcmp(argv[1], "demo") == 0)
		status = jx_cli_demo(o.url, o.nprojects);
	else if (strcmp(argv[1], "init") == 0)
		status = jx_cli_db_init(o.url, o.nargs > 0 ? o.args[0] : NULL,
		                        o.nargs > 1 ? o.args[1] : NULL);
	else if (strcmp(argv[1], "passwd") == 0)
		status =
		        jx_cli_db_passwd(o.url, o.nargs > 0 ? o.args[0] : NULL);
	else {
		usage();
		status = JX_EXIT_BADINPUT;
	}
	free(o.args);
	return status;
}

enum jx_err
jx_cli_store_begin(const char *url, struct jx_store **s, struct jx_diag *d)
{
	enum jx_err err = jx_store_open(url, s, d);

	if (err == JX_OK)
		err = jx_store_migrate(*s, NULL, NULL, d);
	if (err == JX_OK)
		err = jx_store_begin(*s, d);
	return err;
}
