/*
 * test_config.c - the server's configuration: the defaults, every key set
 * from the command line and from a file, every kind of bad line with the
 * line, column and key the diagnostic must name, the listen address split
 * into a numeric host and a port, loading real files (a temporary one, a
 * missing one, a directory, one over the size limit), and that the example
 * configuration, the operations guide and the systemd unit agree with the
 * code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jx/config.h"
#include "jx/text.h"
#include "testutil.h"

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

/* The keys as the test knows them, independently of config.c. */
enum fkind { F_STR, F_UINT, F_BOOL };

static const struct field {
	const char *key;
	enum fkind kind;
	size_t off;
	const char *def; /* the default, as text */
} fields[] = {
        {"db", F_STR, offsetof(struct jx_config, db), "sqlite:./jixiao.db"},
        {"listen", F_STR, offsetof(struct jx_config, listen), "127.0.0.1:8080"},
        {"rules", F_STR, offsetof(struct jx_config, rules), "mof-2020"},
        {"workflow", F_STR, offsetof(struct jx_config, workflow), ""},
        {"web_dir", F_STR, offsetof(struct jx_config, web_dir), ""},
        {"log_format", F_STR, offsetof(struct jx_config, log_format), "json"},
        {"log_file", F_STR, offsetof(struct jx_config, log_file), ""},
        {"threads", F_UINT, offsetof(struct jx_config, threads), "8"},
        {"hash_concurrency", F_UINT,
         offsetof(struct jx_config, hash_concurrency), "2"},
        {"session_idle_minutes", F_UINT,
         offsetof(struct jx_config, session_idle_minutes), "30"},
        {"session_max_hours", F_UINT,
         offsetof(struct jx_config, session_max_hours), "12"},
        {"login_max_failures", F_UINT,
         offsetof(struct jx_config, login_max_failures), "5"},
        {"login_max_failures_ip", F_UINT,
         offsetof(struct jx_config, login_max_failures_ip), "20"},
        {"login_window_minutes", F_UINT,
         offsetof(struct jx_config, login_window_minutes), "15"},
        {"body_max_kb", F_UINT, offsetof(struct jx_config, body_max_kb),
         "1024"},
        {"shutdown_grace_seconds", F_UINT,
         offsetof(struct jx_config, shutdown_grace_seconds), "30"},
        {"cookie_secure", F_BOOL, offsetof(struct jx_config, cookie_secure),
         "false"},
        {"demo", F_BOOL, offsetof(struct jx_config, demo), "false"},
};

static const struct field *
field_of(const char *key)
{
	size_t i;

	for (i = 0; i < NROWS(fields); i++) {
		if (strcmp(fields[i].key, key) == 0)
			return &fields[i];
	}
	fail_msg("test table has no key %s", key);
	abort();
}

/* The value of key in c as text: strings as they are, numbers in decimal,
 * booleans "true"/"false". */
static void
show(const struct jx_config *c, const char *key, char *out, size_t cap)
{
	const struct field *f = field_of(key);
	const char *p = (const char *)c + f->off;

	switch (f->kind) {
	case F_STR:
		snprintf(out, cap, "%s", p);
		break;
	case F_UINT:
		snprintf(out, cap, "%u", *(const unsigned *)(const void *)p);
		break;
	case F_BOOL:
		snprintf(out, cap, "%s",
		         *(const bool *)(const void *)p ? "true" : "false");
		break;
	}
}

static void
assert_key(const struct jx_config *c, const char *key, const char *want,
           size_t row)
{
	char got[600];

	show(c, key, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("row %zu: %s is \"%s\", want \"%s\"", row, key, got,
		         want);
}

static void
test_defaults(void **state)
{
	struct jx_config c;
	size_t i;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	jx_config_defaults(&c);
	for (i = 0; i < NROWS(fields); i++)
		assert_key(&c, fields[i].key, fields[i].def, i);
}

struct set_case {
	const char *key;
	const char *value;
	enum jx_err err;
	const char *want;  /* JX_OK: the key's value afterwards */
	const char *field; /* error: d.field */
	const char *msg;   /* error: a part of d.message */
	const char *never; /* error: must not appear in d.message */
};

static const struct set_case set_cases[] = {
        /* every key, set to something other than its default */
        {"db", "sqlite:/var/lib/jixiao/jixiao.db", JX_OK,
         "sqlite:/var/lib/jixiao/jixiao.db", NULL, NULL, NULL},
        {"listen", "0.0.0.0:80", JX_OK, "0.0.0.0:80", NULL, NULL, NULL},
        {"rules", "rules/beijing.json", JX_OK, "rules/beijing.json", NULL, NULL,
         NULL},
        {"workflow", "/etc/jixiao/workflow.json", JX_OK,
         "/etc/jixiao/workflow.json", NULL, NULL, NULL},
        {"web_dir", "/usr/share/jixiao/web", JX_OK, "/usr/share/jixiao/web",
         NULL, NULL, NULL},
        {"log_format", "text", JX_OK, "text", NULL, NULL, NULL},
        {"log_file", "/var/log/jixiao/jixiao.log", JX_OK,
         "/var/log/jixiao/jixiao.log", NULL, NULL, NULL},
        {"threads", "16", JX_OK, "16", NULL, NULL, NULL},
        {"hash_concurrency", "4", JX_OK, "4", NULL, NULL, NULL},
        {"session_idle_minutes", "60", JX_OK, "60", NULL, NULL, NULL},
        {"session_max_hours", "24", JX_OK, "24", NULL, NULL, NULL},
        {"login_max_failures", "10", JX_OK, "10", NULL, NULL, NULL},
        {"login_max_failures_ip", "500", JX_OK, "500", NULL, NULL, NULL},
        {"login_window_minutes", "30", JX_OK, "30", NULL, NULL, NULL},
        {"body_max_kb", "4096", JX_OK, "4096", NULL, NULL, NULL},
        {"shutdown_grace_seconds", "60", JX_OK, "60", NULL, NULL, NULL},
        {"cookie_secure", "true", JX_OK, "true", NULL, NULL, NULL},
        {"demo", "yes", JX_OK, "true", NULL, NULL, NULL},
        /* PostgreSQL URLs, both schemes */
        {"db", "postgresql://jixiao@db.example/jixiao?sslmode=verify-full",
         JX_OK, "postgresql://jixiao@db.example/jixiao?sslmode=verify-full",
         NULL, NULL, NULL},
        {"db", "postgres:///jixiao?host=/var/run/postgresql", JX_OK,
         "postgres:///jixiao?host=/var/run/postgresql", NULL, NULL, NULL},
        /* a Chinese path is fine */
        {"web_dir", "/srv/绩效/web", JX_OK, "/srv/绩效/web", NULL, NULL, NULL},
        /* empty optional paths mean "the built-in default" */
        {"workflow", "", JX_OK, "", NULL, NULL, NULL},
        /* lower and upper bounds of the ranges */
        {"threads", "1", JX_OK, "1", NULL, NULL, NULL},
        {"threads", "256", JX_OK, "256", NULL, NULL, NULL},
        {"hash_concurrency", "64", JX_OK, "64", NULL, NULL, NULL},
        {"session_idle_minutes", "1440", JX_OK, "1440", NULL, NULL, NULL},
        {"session_max_hours", "168", JX_OK, "168", NULL, NULL, NULL},
        {"login_max_failures", "1000", JX_OK, "1000", NULL, NULL, NULL},
        {"login_max_failures_ip", "100000", JX_OK, "100000", NULL, NULL, NULL},
        {"login_window_minutes", "1", JX_OK, "1", NULL, NULL, NULL},
        {"body_max_kb", "65536", JX_OK, "65536", NULL, NULL, NULL},
        {"shutdown_grace_seconds", "0", JX_OK, "0", NULL, NULL, NULL},
        /* leading zeros are still decimal, not octal */
        {"threads", "010", JX_OK, "10", NULL, NULL, NULL},
        /* every boolean word, ASCII case ignored */
        {"cookie_secure", "TRUE", JX_OK, "true", NULL, NULL, NULL},
        {"cookie_secure", "On", JX_OK, "true", NULL, NULL, NULL},
        {"cookie_secure", "1", JX_OK, "true", NULL, NULL, NULL},
        {"demo", "false", JX_OK, "false", NULL, NULL, NULL},
        {"demo", "No", JX_OK, "false", NULL, NULL, NULL},
        {"demo", "off", JX_OK, "false", NULL, NULL, NULL},
        {"demo", "0", JX_OK, "false", NULL, NULL, NULL},

        /* an unknown key, and keys are case-sensitive */
        {"colour", "red", JX_EINVAL, NULL, "colour", "未知的配置项", NULL},
        {"Threads", "8", JX_EINVAL, NULL, "Threads", "未知的配置项", NULL},
        /* one past each range */
        {"threads", "0", JX_EINVAL, NULL, "threads", "1 到 256", NULL},
        {"threads", "257", JX_EINVAL, NULL, "threads", "超出范围", NULL},
        {"hash_concurrency", "65", JX_EINVAL, NULL, "hash_concurrency",
         "1 到 64", NULL},
        {"session_idle_minutes", "1441", JX_EINVAL, NULL,
         "session_idle_minutes", "1 到 1440", NULL},
        {"session_max_hours", "169", JX_EINVAL, NULL, "session_max_hours",
         "1 到 168", NULL},
        {"login_max_failures", "1001", JX_EINVAL, NULL, "login_max_failures",
         "1 到 1000", NULL},
        {"login_max_failures_ip", "100001", JX_EINVAL, NULL,
         "login_max_failures_ip", "1 到 100000", NULL},
        {"login_window_minutes", "0", JX_EINVAL, NULL, "login_window_minutes",
         "1 到 1440", NULL},
        {"body_max_kb", "65537", JX_EINVAL, NULL, "body_max_kb", "1 到 65536",
         NULL},
        {"shutdown_grace_seconds", "3601", JX_EINVAL, NULL,
         "shutdown_grace_seconds", "0 到 3600", NULL},
        /* negative numbers are out of range, even -0 */
        {"threads", "-1", JX_EINVAL, NULL, "threads", "超出范围", NULL},
        {"shutdown_grace_seconds", "-0", JX_EINVAL, NULL,
         "shutdown_grace_seconds", "超出范围", NULL},
        /* beyond long long */
        {"threads", "99999999999999999999999", JX_EINVAL, NULL, "threads",
         "超出范围", NULL},
        /* what strtoll would accept but a strict parser does not */
        {"threads", "+8", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        {"threads", "0x10", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        {"threads", "8k", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        {"threads", "1.5", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        {"threads", "", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        {"threads", "-", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        {"threads", "８", JX_EINVAL, NULL, "threads", "不是整数", NULL},
        /* booleans: only the eight words */
        {"cookie_secure", "maybe", JX_EINVAL, NULL, "cookie_secure",
         "不是布尔值", NULL},
        {"demo", "", JX_EINVAL, NULL, "demo", "不是布尔值", NULL},
        {"demo", "2", JX_EINVAL, NULL, "demo", "不是布尔值", NULL},
        {"demo", "是", JX_EINVAL, NULL, "demo", "不是布尔值", NULL},
        /* log_format: json or text */
        {"log_format", "xml", JX_EINVAL, NULL, "log_format", "json 或 text",
         NULL},
        /* ... and longer than its field: too big */
        {"log_format", "structured", JX_ETOOBIG, NULL, "log_format",
         "最多 7 字节", NULL},
        /* rules may not be empty */
        {"rules", "", JX_EINVAL, NULL, "rules", "不能为空", NULL},
        /* db: a scheme the store knows; the value (a password) is never
         * repeated */
        {"db", "mysql://root:hunter2@localhost/jx", JX_EINVAL, NULL, "db",
         "无法识别的数据库地址", "hunter2"},
        {"db", "sqlite:", JX_EINVAL, NULL, "db", "无法识别", NULL},
        {"db", "", JX_EINVAL, NULL, "db", "无法识别", NULL},
        {"db", "postgresql://u:hunter2@h/x\x01", JX_EINVAL, NULL, "db",
         "控制字符", "hunter2"},
        /* listen: numeric hosts only */
        {"listen", "localhost:8080", JX_EINVAL, NULL, "listen", "主机名", NULL},
        {"listen", "8080", JX_EINVAL, NULL, "listen", "缺少端口", NULL},
        /* control characters in a path */
        {"web_dir", "/srv/a\tb", JX_EINVAL, NULL, "web_dir", "控制字符", NULL},
        {"log_file", "/var/log/\x7fx", JX_EINVAL, NULL, "log_file", "控制字符",
         NULL},
        /* invalid UTF-8 (Latin-1 é) */
        {"web_dir", "/srv/caf\xe9", JX_EINVAL, NULL, "web_dir", "UTF-8", NULL},
};

static void
test_set_table(void **state)
{
	struct jx_config c, before;
	struct jx_diag d;
	size_t i;
	enum jx_err err;

	(void)state;
	for (i = 0; i < NROWS(set_cases); i++) {
		const struct set_case *t = &set_cases[i];

		jx_config_defaults(&c);
		before = c;
		jx_diag_clear(&d);
		err = jx_config_set(&c, t->key, t->value, &d);
		if (err != t->err)
			fail_msg("row %zu (%s = %s): err %s, want %s: %s", i,
			         t->key, t->value, jx_err_name(err),
			         jx_err_name(t->err), d.message);
		if (t->err == JX_OK) {
			assert_key(&c, t->key, t->want, i);
			continue;
		}
		/* c is unchanged on failure */
		if (memcmp(&c, &before, sizeof(c)) != 0)
			fail_msg("row %zu: config changed on failure", i);
		if (strcmp(d.field, t->field) != 0)
			fail_msg("row %zu: field \"%s\", want \"%s\"", i,
			         d.field, t->field);
		if (strstr(d.message, t->msg) == NULL)
			fail_msg("row %zu: message \"%s\" lacks \"%s\"", i,
			         d.message, t->msg);
		if (t->never != NULL && strstr(d.message, t->never) != NULL)
			fail_msg("row %zu: message \"%s\" shows \"%s\"", i,
			         d.message, t->never);
	}
}

/* A string longer than its field is JX_ETOOBIG; one byte less fits. */
static void
test_set_lengths(void **state)
{
	struct jx_config c;
	struct jx_diag d;
	char v[600];
	size_t i;

	(void)state;
	for (i = 0; i < NROWS(fields); i++) {
		const struct field *f = &fields[i];
		size_t cap;

		if (f->kind != F_STR || strcmp(f->key, "log_format") == 0 ||
		    strcmp(f->key, "listen") == 0)
			continue; /* checked by value in the tables */
		if (strcmp(f->key, "db") == 0)
			cap = sizeof(c.db);
		else
			cap = 256; /* rules, workflow, web_dir, log_file */
		memset(v, 'a', cap);
		memcpy(v, "sqlite:", 7);
		v[cap - 1] = '\0';
		jx_config_defaults(&c);
		jx_diag_clear(&d);
		if (jx_config_set(&c, f->key, v, &d) != JX_OK)
			fail_msg("%s: %zu bytes refused: %s", f->key, cap - 1,
			         d.message);
		assert_key(&c, f->key, v, i);
		memset(v, 'a', cap);
		memcpy(v, "sqlite:", 7);
		v[cap] = '\0';
		jx_config_defaults(&c);
		if (jx_config_set(&c, f->key, v, &d) != JX_ETOOBIG)
			fail_msg("%s: %zu bytes accepted", f->key, cap);
		assert_string_equal(d.field, f->key);
		assert_key(&c, f->key, f->def, i);
	}
}

struct parse_case {
	const char *text;
	size_t len; /* 0: strlen */
	enum jx_err err;
	int line;          /* error: d.line */
	int column;        /* error: d.column (0 when not about a byte) */
	const char *field; /* error: d.field */
	const char *msg;   /* error: a part of d.message */
	const char *key;   /* then: this key ... */
	const char *want;  /* ... has this value (also after an error) */
};

static const struct parse_case parse_cases[] = {
        /* an empty file changes nothing */
        {"", 0, JX_OK, 0, 0, NULL, NULL, "threads", "8"},
        /* comments and blank lines only */
        {"# jixiao\n\n   \n\t# indented comment\n", 0, JX_OK, 0, 0, NULL, NULL,
         "threads", "8"},
        /* the plain form */
        {"threads = 16\n", 0, JX_OK, 0, 0, NULL, NULL, "threads", "16"},
        /* no spaces, no final newline */
        {"threads=16", 0, JX_OK, 0, 0, NULL, NULL, "threads", "16"},
        /* tabs, trailing blanks and CR LF line ends */
        {"# x\r\n  threads\t=\t16  \r\n", 0, JX_OK, 0, 0, NULL, NULL, "threads",
         "16"},
        /* a UTF-8 byte order mark at the start is skipped */
        {"\xef\xbb\xbfthreads = 4\n", 0, JX_OK, 0, 0, NULL, NULL, "threads",
         "4"},
        /* ideographic spaces around key and value are blanks too */
        {"\xe3\x80\x80threads\xe3\x80\x80=\xe3\x80\x80"
         "4",
         0, JX_OK, 0, 0, NULL, NULL, "threads", "4"},
        /* Chinese in comments and values */
        {"# 网站目录\nweb_dir = /srv/绩效\n", 0, JX_OK, 0, 0, NULL, NULL,
         "web_dir", "/srv/绩效"},
        /* quotes keep inner and outer spaces */
        {"web_dir = \"  /srv/my web  \"\n", 0, JX_OK, 0, 0, NULL, NULL,
         "web_dir", "  /srv/my web  "},
        /* the two escapes inside quotes */
        {"log_file = \"a\\\"b\\\\c\"\n", 0, JX_OK, 0, 0, NULL, NULL, "log_file",
         "a\"b\\c"},
        /* an empty quoted value, and an empty bare value */
        {"web_dir = \"\"\n", 0, JX_OK, 0, 0, NULL, NULL, "web_dir", ""},
        {"web_dir =\n", 0, JX_OK, 0, 0, NULL, NULL, "web_dir", ""},
        /* a quoted number */
        {"threads = \"12\"\n", 0, JX_OK, 0, 0, NULL, NULL, "threads", "12"},
        /* unquoted: '#' and '\\' are part of the value */
        {"web_dir = /srv/a#b\\c\n", 0, JX_OK, 0, 0, NULL, NULL, "web_dir",
         "/srv/a#b\\c"},
        /* the first '=' splits: URLs keep theirs */
        {"db = postgresql://u@h/jx?sslmode=require\n", 0, JX_OK, 0, 0, NULL,
         NULL, "db", "postgresql://u@h/jx?sslmode=require"},
        /* a bracketed listen address */
        {"listen = [::1]:9000\n", 0, JX_OK, 0, 0, NULL, NULL, "listen",
         "[::1]:9000"},
        /* booleans */
        {"cookie_secure = on\n", 0, JX_OK, 0, 0, NULL, NULL, "cookie_secure",
         "true"},

        /* a key twice: the second line, naming the first */
        {"threads = 8\n# again\nthreads = 9\n", 0, JX_EINVAL, 3, 0, "threads",
         "第 1 行", "threads", "8"},
        /* a line without '=' */
        {"threads 8\n", 0, JX_EINVAL, 1, 0, "", "缺少“=”", NULL, NULL},
        /* '=' without a key */
        {"\n = 8\n", 0, JX_EINVAL, 2, 0, "", "缺少配置项名称", NULL, NULL},
        /* an unknown key; keys are case-sensitive */
        {"colour = red\n", 0, JX_EINVAL, 1, 0, "colour", "未知的配置项", NULL,
         NULL},
        {"Threads = 8\n", 0, JX_EINVAL, 1, 0, "Threads", "未知的配置项", NULL,
         NULL},
        /* an unknown key in Chinese */
        {"线程 = 8\n", 0, JX_EINVAL, 1, 0, "线程", "未知的配置项", NULL, NULL},
        /* a bad line stops parsing; earlier lines are applied */
        {"threads = 4\n\nthread = 1\ndemo = on\n", 0, JX_EINVAL, 3, 0, "thread",
         "未知的配置项", "threads", "4"},
        {"threads = 4\n\nthread = 1\ndemo = on\n", 0, JX_EINVAL, 3, 0, "thread",
         "未知的配置项", "demo", "false"},
        /* numbers */
        {"threads = abc\n", 0, JX_EINVAL, 1, 0, "threads", "不是整数", NULL,
         NULL},
        {"threads = 0\n", 0, JX_EINVAL, 1, 0, "threads", "超出范围", NULL,
         NULL},
        {"threads = 257\n", 0, JX_EINVAL, 1, 0, "threads", "1 到 256", NULL,
         NULL},
        {"# a\nthreads = -3\n", 0, JX_EINVAL, 2, 0, "threads", "超出范围", NULL,
         NULL},
        {"threads =\n", 0, JX_EINVAL, 1, 0, "threads", "不是整数", NULL, NULL},
        /* no comments after a value */
        {"threads = 8 # eight\n", 0, JX_EINVAL, 1, 0, "threads", "不是整数",
         NULL, NULL},
        /* booleans */
        {"demo = maybe\n", 0, JX_EINVAL, 1, 0, "demo", "不是布尔值", NULL,
         NULL},
        /* listen: numeric hosts only */
        {"listen = localhost:8080\n", 0, JX_EINVAL, 1, 0, "listen", "主机名",
         NULL, NULL},
        /* quoting mistakes */
        {"web_dir = \"/srv/a\n", 0, JX_EINVAL, 1, 0, "web_dir", "引号未闭合",
         NULL, NULL},
        {"web_dir = \"/srv/a\" b\n", 0, JX_EINVAL, 1, 0, "web_dir", "多余",
         NULL, NULL},
        {"web_dir = \"a\\nb\"\n", 0, JX_EINVAL, 1, 0, "web_dir", "转义", NULL,
         NULL},
        {"web_dir = \"a\\\"\n", 0, JX_EINVAL, 1, 0, "web_dir", "引号未闭合",
         NULL, NULL},
        /* a bare CR inside a line is a control character */
        {"threads = 8\rdemo = 1\n", 0, JX_EINVAL, 1, 0, "threads", "控制字符",
         NULL, NULL},
        /* a NUL byte in a value: line, column and key */
        {"threads = 8\nrules = a\0b\n", 24, JX_EINVAL, 2, 10, "rules", "NUL",
         "threads", "8"},
        /* a NUL byte in a key: no key named */
        {"thr\0eads = 8\n", 13, JX_EINVAL, 1, 4, "", "NUL", NULL, NULL},
        /* invalid UTF-8 in a comment (Latin-1 é) */
        {"# caf\xe9\n", 0, JX_EINVAL, 1, 6, "", "UTF-8", NULL, NULL},
        /* columns count characters: 中 is 9, 文 10, the bad byte 11 */
        {"rules = 中文\xff\n", 0, JX_EINVAL, 1, 11, "rules", "UTF-8", NULL,
         NULL},
        /* a file in GBK */
        {"# \xd6\xd0\xce\xc4\nthreads = 8\n", 0, JX_EINVAL, 1, 3, "", "UTF-8",
         NULL, NULL},
        /* a truncated character at the end of the file */
        {"rules = \xe4\xb8", 0, JX_EINVAL, 1, 9, "rules", "UTF-8", NULL, NULL},
        /* a string longer than its field */
        {"log_format = structured\n", 0, JX_ETOOBIG, 1, 0, "log_format",
         "最多 7 字节", NULL, NULL},
};

static void
test_parse_table(void **state)
{
	struct jx_config c;
	struct jx_diag d;
	size_t i, len;
	enum jx_err err;

	(void)state;
	for (i = 0; i < NROWS(parse_cases); i++) {
		const struct parse_case *t = &parse_cases[i];

		len = t->len != 0 ? t->len : strlen(t->text);
		jx_config_defaults(&c);
		memset(&d, 0x5a, sizeof(d));
		err = jx_config_parse(&c, t->text, len, "test.conf", &d);
		if (err != t->err)
			fail_msg("row %zu: err %s, want %s: %d: %s: %s", i,
			         jx_err_name(err), jx_err_name(t->err), d.line,
			         d.field, d.message);
		assert_string_equal(d.file, "test.conf");
		if (t->key != NULL)
			assert_key(&c, t->key, t->want, i);
		if (err == JX_OK) {
			/* a success leaves no position behind */
			if (d.line != 0 || d.column != 0)
				fail_msg("row %zu: line %d column %d left", i,
				         d.line, d.column);
			continue;
		}
		if (d.line != t->line || d.column != t->column)
			fail_msg("row %zu: at %d:%d, want %d:%d", i, d.line,
			         d.column, t->line, t->column);
		if (strcmp(d.field, t->field) != 0)
			fail_msg("row %zu: field \"%s\", want \"%s\"", i,
			         d.field, t->field);
		if (strstr(d.message, t->msg) == NULL)
			fail_msg("row %zu: message \"%s\" lacks \"%s\"", i,
			         d.message, t->msg);
	}
}

/* Every key in one file, then a command-line setting overrides one. */
static void
test_parse_all_keys(void **state)
{
	char text[4096];
	size_t i, n = 0;
	struct jx_config c;
	struct jx_diag d;
	const struct set_case *t;

	(void)state;
	/* the first rows of set_cases set each key once */
	for (i = 0; i < NROWS(fields); i++) {
		t = &set_cases[i];
		assert_string_equal(t->key, fields[i].key);
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		                      "# %s\n%s = \"%s\"\n", t->key, t->key,
		                      t->value);
		assert_true(n < sizeof(text));
	}
	jx_config_defaults(&c);
	if (jx_config_parse(&c, text, n, "all.conf", &d) != JX_OK)
		fail_msg("%d: %s: %s", d.line, d.field, d.message);
	for (i = 0; i < NROWS(fields); i++)
		assert_key(&c, set_cases[i].key, set_cases[i].want, i);
	/* flags are applied after the file */
	assert_int_equal(jx_config_set(&c, "threads", "3", &d), JX_OK);
	assert_key(&c, "threads", "3", 0);
}

/* A long unknown key is quoted clipped, never inside a character. */
static void
test_parse_long_key(void **state)
{
	char text[400];
	struct jx_config c;
	struct jx_diag d;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 40; i++) {
		memcpy(text + n, "键", 3);
		n += 3;
	}
	memcpy(text + n, " = 1\n", 5);
	n += 5;
	jx_config_defaults(&c);
	assert_int_equal(jx_config_parse(&c, text, n, "k.conf", &d), JX_EINVAL);
	assert_true(jx_text_utf8_valid(d.field, strlen(d.field)));
	assert_true(strlen(d.field) < 80);
	assert_non_null(strstr(d.field, "…"));
	assert_int_equal(d.line, 1);
	/* a value longer than any field: too big, naming the key */
	n = (size_t)snprintf(text, sizeof(text), "rules = \"");
	memset(text + n, 'r', 300);
	n += 300;
	text[n++] = '"';
	assert_int_equal(jx_config_parse(&c, text, n, "k.conf", &d),
	                 JX_ETOOBIG);
	assert_string_equal(d.field, "rules");
	assert_non_null(strstr(d.message, "最多 255 字节"));
}

struct listen_case {
	const char *listen;
	enum jx_err err;
	const char *host; /* JX_OK: the host */
	unsigned port;    /* JX_OK: the port */
	const char *msg;  /* error: a part of d.message */
};

static const struct listen_case listen_cases[] = {
        /* the default: loopback */
        {"127.0.0.1:8080", JX_OK, "127.0.0.1", 8080, NULL},
        /* every IPv4 address */
        {"0.0.0.0:80", JX_OK, "0.0.0.0", 80, NULL},
        /* a LAN address, the highest port */
        {"192.168.10.20:65535", JX_OK, "192.168.10.20", 65535, NULL},
        /* the lowest port */
        {"10.0.0.1:1", JX_OK, "10.0.0.1", 1, NULL},
        /* IPv6 loopback: brackets removed */
        {"[::1]:8080", JX_OK, "::1", 8080, NULL},
        /* every IPv6 address */
        {"[::]:443", JX_OK, "::", 443, NULL},
        /* an IPv4-mapped IPv6 address */
        {"[::ffff:127.0.0.1]:8080", JX_OK, "::ffff:127.0.0.1", 8080, NULL},
        /* a full IPv6 address */
        {"[2001:db8:0:0:0:0:0:1]:8443", JX_OK, "2001:db8:0:0:0:0:0:1", 8443,
         NULL},

        /* host names are refused: numeric hosts only */
        {"localhost:8080", JX_EINVAL, NULL, 0, "主机名"},
        {"jixiao.example.org:80", JX_EINVAL, NULL, 0, "主机名"},
        {"[localhost]:80", JX_EINVAL, NULL, 0, "主机名"},
        /* no port */
        {"127.0.0.1", JX_EINVAL, NULL, 0, "缺少端口"},
        {"127.0.0.1:", JX_EINVAL, NULL, 0, "端口无效"},
        /* ports out of range or not decimal */
        {"127.0.0.1:0", JX_EINVAL, NULL, 0, "1 到 65535"},
        {"127.0.0.1:65536", JX_EINVAL, NULL, 0, "1 到 65535"},
        {"127.0.0.1:100000", JX_EINVAL, NULL, 0, "端口无效"},
        {"127.0.0.1:8080x", JX_EINVAL, NULL, 0, "端口无效"},
        {"127.0.0.1:+80", JX_EINVAL, NULL, 0, "端口无效"},
        {"127.0.0.1:-1", JX_EINVAL, NULL, 0, "端口无效"},
        {"127.0.0.1: 80", JX_EINVAL, NULL, 0, "端口无效"},
        /* no host: say how to listen everywhere */
        {":8080", JX_EINVAL, NULL, 0, "0.0.0.0"},
        {"[]:8080", JX_EINVAL, NULL, 0, "缺少主机地址"},
        /* an IPv6 address without brackets */
        {"::1:8080", JX_EINVAL, NULL, 0, "方括号"},
        /* broken brackets */
        {"[::1]8080", JX_EINVAL, NULL, 0, "[IPv6地址]:端口"},
        {"[::1:8080", JX_EINVAL, NULL, 0, "[IPv6地址]:端口"},
        /* not an IPv4 address */
        {"256.0.0.1:80", JX_EINVAL, NULL, 0, "IP 地址无效"},
        {"127.1:80", JX_EINVAL, NULL, 0, "IP 地址无效"},
        {"1.2.3.4.5:80", JX_EINVAL, NULL, 0, "IP 地址无效"},
        /* an IPv4 address in brackets is not IPv6 */
        {"[127.0.0.1]:80", JX_EINVAL, NULL, 0, "IP 地址无效"},
        /* zone indexes are not supported */
        {"[fe80::1%eth0]:80", JX_EINVAL, NULL, 0, "区域标识"},
        /* empty */
        {"", JX_EINVAL, NULL, 0, "缺少端口"},
};

static void
test_listen_table(void **state)
{
	struct jx_config c;
	struct jx_diag d;
	char host[64];
	unsigned port;
	size_t i;
	enum jx_err err;

	(void)state;
	for (i = 0; i < NROWS(listen_cases); i++) {
		const struct listen_case *t = &listen_cases[i];

		jx_config_defaults(&c);
		snprintf(c.listen, sizeof(c.listen), "%s", t->listen);
		jx_diag_clear(&d);
		snprintf(host, sizeof(host), "%s", "unchanged");
		port = 7;
		err = jx_config_listen(&c, host, sizeof(host), &port, &d);
		if (err != t->err)
			fail_msg("row %zu (%s): err %s, want %s: %s", i,
			         t->listen, jx_err_name(err),
			         jx_err_name(t->err), d.message);
		if (err == JX_OK) {
			if (strcmp(host, t->host) != 0 || port != t->port)
				fail_msg("row %zu: %s %u, want %s %u", i, host,
				         port, t->host, t->port);
			/* jx_config_set accepts what jx_config_listen does */
			assert_int_equal(
			        jx_config_set(&c, "listen", t->listen, &d),
			        JX_OK);
			continue;
		}
		assert_string_equal(d.field, "listen");
		if (strstr(d.message, t->msg) == NULL)
			fail_msg("row %zu (%s): message \"%s\" lacks \"%s\"", i,
			         t->listen, d.message, t->msg);
		/* outputs only on success */
		assert_string_equal(host, "unchanged");
		assert_int_equal(port, 7);
		/* and jx_config_set refuses it the same way */
		if (jx_config_set(&c, "listen", t->listen, &d) != JX_EINVAL)
			fail_msg("row %zu: jx_config_set accepted %s", i,
			         t->listen);
	}
	/* a host buffer that is too small */
	jx_config_defaults(&c);
	assert_int_equal(jx_config_listen(&c, host, 4, &port, &d), JX_ETOOBIG);
	assert_int_equal(jx_config_listen(&c, host, 10, &port, &d), JX_OK);
	assert_string_equal(host, "127.0.0.1");
}

/* Write text to a fresh temporary file; its name goes to path. */
static void
temp_file(char *path, size_t cap, const char *text, size_t len)
{
	int fd;

	snprintf(path, cap, "%s", "/tmp/jx-test-config-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void
test_load(void **state)
{
	const char *good = "# jixiao\nthreads = 12\nlisten = \"[::1]:9000\"\n"
	                   "cookie_secure = true\n";
	const char *bad = "threads = 12\nthreads = 13\n";
	char path[64];
	struct jx_config c;
	struct jx_diag d;
	char *big;
	size_t n;

	(void)state;
	/* a good file */
	temp_file(path, sizeof(path), good, strlen(good));
	jx_config_defaults(&c);
	if (jx_config_load(&c, path, &d) != JX_OK)
		fail_msg("%s: %s", path, d.message);
	assert_key(&c, "threads", "12", 0);
	assert_key(&c, "listen", "[::1]:9000", 0);
	assert_key(&c, "cookie_secure", "true", 0);
	assert_key(&c, "db", "sqlite:./jixiao.db", 0);
	unlink(path);

	/* a bad file: the diagnostic names the file and the line */
	temp_file(path, sizeof(path), bad, strlen(bad));
	jx_config_defaults(&c);
	assert_int_equal(jx_config_load(&c, path, &d), JX_EINVAL);
	assert_string_equal(d.file, path);
	assert_int_equal(d.line, 2);
	assert_string_equal(d.field, "threads");
	unlink(path);

	/* a missing file: JX_EIO, saying so */
	jx_config_defaults(&c);
	assert_int_equal(jx_config_load(&c, path, &d), JX_EIO);
	assert_string_equal(d.file, path);
	assert_non_null(strstr(d.message, "不存在"));
	assert_key(&c, "threads", "8", 0);

	/* a directory cannot be read as a file */
	assert_int_equal(jx_config_load(&c, "/tmp", &d), JX_EIO);
	assert_string_equal(d.file, "/tmp");

	/* exactly 64 KiB of comments is accepted, one byte more is not */
	n = 64u * 1024u;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, '#', n + 1);
	big[1023] = '\n';
	temp_file(path, sizeof(path), big, n);
	assert_int_equal(jx_config_load(&c, path, &d), JX_OK);
	unlink(path);
	temp_file(path, sizeof(path), big, n + 1);
	assert_int_equal(jx_config_load(&c, path, &d), JX_ETOOBIG);
	assert_string_equal(d.file, path);
	unlink(path);
	free(big);
}

/*
 * packaging/jixiao.conf.example sets every key to its default (so that it
 * documents them truthfully); docs/operations.md names every key; the
 * systemd unit waits longer than the default shutdown grace.
 */
static void
test_shipped_files(void **state)
{
	struct jx_config c;
	struct jx_diag d;
	char *text, *p, pat[64];
	size_t len = 0, i;
	long stop;

	(void)state;
	text = tu_read("packaging/jixiao.conf.example", &len);
	assert_non_null(text);
	memset(&c, 0, sizeof(c));
	c.threads = 999; /* parse must set every key itself */
	if (jx_config_parse(&c, text, len, "jixiao.conf.example", &d) != JX_OK)
		fail_msg("example:%d: %s: %s", d.line, d.field, d.message);
	for (i = 0; i < NROWS(fields); i++) {
		snprintf(pat, sizeof(pat), "\n%s =", fields[i].key);
		if (strstr(text, pat) == NULL)
			fail_msg("the example lacks a line \"%s\"", pat + 1);
		assert_key(&c, fields[i].key, fields[i].def, i);
	}
	free(text);

	text = tu_read("docs/operations.md", &len);
	assert_non_null(text);
	for (i = 0; i < NROWS(fields); i++) {
		snprintf(pat, sizeof(pat), "| `%s` |", fields[i].key);
		if (strstr(text, pat) == NULL)
			fail_msg("docs/operations.md lacks a row %s", pat);
	}
	free(text);

	text = tu_read("packaging/jixiao.service", &len);
	assert_non_null(text);
	p = strstr(text, "\nTimeoutStopSec=");
	assert_non_null(p);
	stop = strtol(p + 16, NULL, 10);
	assert_true(stop >= 30 + 5);
	assert_non_null(strstr(text, "\nKillSignal=SIGTERM"));
	assert_non_null(strstr(text, "serve --config /etc/jixiao/jixiao.conf"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_defaults),
	        cmocka_unit_test(test_set_table),
	        cmocka_unit_test(test_set_lengths),
	        cmocka_unit_test(test_parse_table),
	        cmocka_unit_test(test_parse_all_keys),
	        cmocka_unit_test(test_parse_long_key),
	        cmocka_unit_test(test_listen_table),
	        cmocka_unit_test(test_load),
	        cmocka_unit_test(test_shipped_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
