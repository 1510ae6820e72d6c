/*
 * cli_serve.c - `jixiao serve`: read the configuration (defaults, then the
 * file of --config, then flags), migrate the database, optionally fill an
 * empty one with demo data, load the rule set and the review workflow,
 * start the web server and run until SIGTERM or SIGINT, then stop
 * gracefully. Everything the server does is in src/http/.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jx/config.h"
#include "jx/log.h"
#include "jx/password.h"
#include "jx/server.h"
#include "jx/store.h"
#include "jx/workflow.h"

static int serve_usage(void);
static enum jx_err load_workflow(const struct jx_config *c,
                                 struct jx_workflow *w, struct jx_diag *d);
static enum jx_err prepare_db(const struct jx_config *c, bool *empty,
                              struct jx_diag *d);

static int
serve_usage(void)
{
	fputs("用法: jixiao serve [--config FILE] [--db URL] [--listen ADDR] "
	      "[--rules NAME|FILE]\n"
	      "                    [--threads N] [--web DIR] [--demo] "
	      "[--set KEY=VALUE]...\n"
	      "  --config FILE   配置文件（见 docs/operations.md）\n"
	      "  --db URL        数据库（默认 sqlite:./jixiao.db）\n"
	      "  --listen ADDR   监听地址（默认 127.0.0.1:8080）\n"
	      "  --demo          数据库为空时先载入示范数据\n"
	      "  --set K=V       设置任一配置项\n",
	      stderr);
	return JX_EXIT_BADINPUT;
}

/* The workflow file: conf->workflow, else workflow/standard.json in the
 * rule-set directories. */
static enum jx_err
load_workflow(const struct jx_config *c, struct jx_workflow *w,
              struct jx_diag *d)
{
	const char *dirs[8];
	char path[4096], *buf = NULL;
	size_t n, i, len = 0;
	enum jx_err err = JX_ENOTFOUND;

	if (c->workflow[0] != '\0') {
		snprintf(path, sizeof(path), "%s", c->workflow);
		err = jx_cli_read_file(path, 1u << 20, &buf, &len, d);
	} else {
		n = jx_cli_rules_dirs(dirs, 8);
		for (i = 0; i < n && err == JX_ENOTFOUND; i++) {
			snprintf(path, sizeof(path),
			         "%s/workflow/standard.json", dirs[i]);
			err = jx_cli_read_file(path, 1u << 20, &buf, &len, d);
		}
	}
	if (err == JX_OK)
		err = jx_workflow_load(w, buf, len, path, d);
	free(buf);
	return err;
}

/* Migrate; *empty says whether the database has no projects yet. */
static enum jx_err
prepare_db(const struct jx_config *c, bool *empty, struct jx_diag *d)
{
	struct jx_store *s = NULL;
	struct jx_store_stats st;
	enum jx_err err;

	err = jx_store_open(c->db, &s, d);
	if (err == JX_OK)
		err = jx_store_migrate(s, NULL, NULL, d);
	if (err == JX_OK)
		err = jx_store_stats(s, &st, d);
	if (err == JX_OK)
		*empty = st.projects == 0 && st.users == 0;
	jx_store_close(s);
	return err;
}

int
jx_cli_serve(int argc, char **argv)
{
	struct jx_config conf;
	struct jx_workflow wf;
	struct jx_cli_rules cache;
	const struct jx_rules *rules;
	struct jx_server *srv = NULL;
	struct jx_diag d;
	sigset_t set;
	char line[1400], host[128];
	const char *key, *val;
	unsigned port = 0;
	bool empty = false;
	int i, sig = 0, log_fd = 2, rc = JX_EXIT_BADINPUT;
	enum jx_err err = JX_OK;

	memset(&wf, 0, sizeof(wf));
	memset(&cache, 0, sizeof(cache));
	jx_diag_clear(&d);
	jx_config_defaults(&conf);
	/* the file first, so that flags override it wherever they stand */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc)
				return serve_usage();
			err = jx_config_load(&conf, argv[i + 1], &d);
			if (err != JX_OK)
				goto fail;
		}
	}
	for (i = 1; i < argc; i++) {
		key = NULL;
		val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--config") == 0) {
			i++;
			continue;
		} else if (strcmp(argv[i], "--demo") == 0) {
			key = "demo";
			val = "true";
			i--; /* takes no value */
		} else if (strcmp(argv[i], "--db") == 0) {
			key = "db";
		} else if (strcmp(argv[i], "--listen") == 0) {
			key = "listen";
		} else if (strcmp(argv[i], "--rules") == 0) {
			key = "rules";
		} else if (strcmp(argv[i], "--threads") == 0) {
			key = "threads";
		} else if (strcmp(argv[i], "--web") == 0) {
			key = "web_dir";
		} else if (strcmp(argv[i], "--set") == 0 && val != NULL &&
		           strchr(val, '=') != NULL) {
			char k[64];
			size_t kl = (size_t)(strchr(val, '=') - val);

			if (kl >= sizeof(k)) {
				fprintf(stderr, "jixiao serve: "
				                "未知配置项（名称过长）\n");
				return serve_usage();
			}
			memcpy(k, val, kl);
			k[kl] = '\0';
			err = jx_config_set(&conf, k, strchr(val, '=') + 1, &d);
			if (err != JX_OK)
				goto fail;
			i++;
			continue;
		} else {
			fprintf(stderr, "jixiao serve: 未知选项“%s”\n",
			        argv[i]);
			return serve_usage();
		}
		if (val == NULL)
			return serve_usage();
		err = jx_config_set(&conf, key, val, &d);
		if (err != JX_OK)
			goto fail;
		i++;
	}
	if (conf.log_file[0] != '\0') {
		log_fd = open(conf.log_file,
		              O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (log_fd < 0) {
			err = jx_diag_set(&d, JX_EIO, "log_file",
			                  "无法打开日志文件 %s", conf.log_file);
			goto fail;
		}
	}
	jx_log_setup(log_fd, strcmp(conf.log_format, "text") != 0);
	/* libsodium, and the dummy hash unknown logins are checked against */
	err = jx_password_init();
	if (err != JX_OK) {
		jx_diag_set(&d, err, NULL, "libsodium 初始化失败");
		goto fail;
	}
	rules = jx_cli_rules_get(&cache, conf.rules);
	if (rules == NULL)
		goto done; /* the reason is printed */
	err = load_workflow(&conf, &wf, &d);
	if (err == JX_OK)
		err = prepare_db(&conf, &empty, &d);
	if (err == JX_OK && conf.demo && empty &&
	    jx_cli_demo(conf.db, 200) != JX_EXIT_OK) {
		err = jx_diag_set(&d, JX_EDB, NULL, "载入示范数据失败");
	}
	if (err != JX_OK)
		goto fail;

	/* Workers inherit this mask: only the main thread takes signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	err = jx_server_start(&conf, rules, &wf, &srv, &d);
	if (err != JX_OK)
		goto fail;
	if (jx_config_listen(&conf, host, sizeof(host), &port, &d) != JX_OK)
		snprintf(host, sizeof(host), "%s", "127.0.0.1");
	port = jx_server_port(srv);
	/* a PostgreSQL URL may hold a password: name only the kind */
	fprintf(stderr, "jixiao %s 已启动：http://%s%s%s:%u/  （数据库 %s）\n",
	        JX_VERSION, strchr(host, ':') != NULL ? "[" : "", host,
	        strchr(host, ':') != NULL ? "]" : "", port,
	        strncmp(conf.db, "sqlite:", 7) == 0 ? conf.db : "PostgreSQL");
	jx_log(JX_LOG_INFO, "listening",
	       json_pack("{s:s, s:i, s:o}", "host", host, "port", (int)port,
	                 "db",
	                 jx_log_str(strncmp(conf.db, "sqlite:", 7) == 0
	                                    ? conf.db
	                                    : "postgresql",
	                            200)));
	if (sigwait(&set, &sig) != 0)
		sig = SIGTERM;
	jx_log(JX_LOG_INFO, "stopping",
	       json_pack("{s:s, s:i}", "signal",
	                 sig == SIGINT ? "SIGINT" : "SIGTERM", "grace_seconds",
	                 (int)conf.shutdown_grace_seconds));
	jx_server_stop(srv, conf.shutdown_grace_seconds);
	jx_log(JX_LOG_INFO, "stopped", NULL);
	rc = JX_EXIT_OK;
	goto done;
fail:
	jx_diag_format(&d, line, sizeof(line));
	fprintf(stderr, "jixiao serve: %s\n", line);
done:
	jx_workflow_cleanup(&wf);
	jx_cli_rules_free(&cache);
	if (log_fd != 2)
		close(log_fd);
	return rc;
}
