/*
 * config.c - the server's settings (config.h): the defaults, configuration
 * files of "key = value" lines, and single settings given on the command
 * line (`jixiao serve --set key=value`, --threads ...), which override the
 * file because the CLI applies them after it.
 *
 * Strict on purpose: a setting the server silently ignores or misreads is
 * worse than one it refuses. An unknown or repeated key, a line without
 * '=', a number that does not parse or is out of its range, a boolean that
 * is not one of true/false/yes/no/on/off/1/0, a string longer than its
 * field, a control character, invalid UTF-8 or a NUL byte are errors that
 * name the file, the line (and for bad bytes the column) and the key, in
 * Chinese. A value may be written in double quotes to keep spaces at its
 * ends; inside quotes only \" and \\ are escapes. A UTF-8 byte order mark
 * at the start of a file is skipped (editors on Windows write one); lines
 * may end in "\r\n". Comments are whole lines starting with '#': a '#'
 * after a value is part of the value.
 *
 * The listen address takes numeric hosts only (IPv4 dotted quad or IPv6 in
 * brackets): resolving a name would make start-up depend on DNS and could
 * silently bind an address other than the one meant.
 *
 * This module opens no sockets, no database and no log files and reads no
 * environment variables: it only checks and stores text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/config.h"
#include "jx/text.h"

#define FILE_MAX   (64u * 1024u) /* bytes of a configuration file */
#define VALUE_MAX  1024          /* bytes of one value after unquoting */
#define ECHO_MAX   64            /* bytes of a bad value quoted in a message */
#define HOST_MAX   64            /* bytes of a numeric host, brackets off */
#define DOCS_HINT  "（可用的配置项见 docs/operations.md）"
#define BOOL_WORDS "true/false、yes/no、on/off 或 1/0"

enum kind {
	K_STR,  /* char[size] */
	K_UINT, /* unsigned in [min, max] */
	K_BOOL  /* bool */
};

/* One setting: its key, where it lives in struct jx_config, its limits. */
struct key {
	const char *name;
	enum kind kind;
	size_t off;
	size_t size;       /* K_STR: capacity of the field, NUL included */
	unsigned min, max; /* K_UINT */
	/* K_STR: further checks of the value, or NULL */
	enum jx_err (*check)(const char *value, const char *field,
	                     struct jx_diag *d);
};

static enum jx_err check_db(const char *value, const char *field,
                            struct jx_diag *d);
static enum jx_err check_ip(const char *value, const char *field,
                            struct jx_diag *d);
static enum jx_err check_listen(const char *value, const char *field,
                                struct jx_diag *d);
static enum jx_err check_nonempty(const char *value, const char *field,
                                  struct jx_diag *d);
static enum jx_err check_log_format(const char *value, const char *field,
                                    struct jx_diag *d);
static const struct key *key_find(const char *name, size_t len);
static size_t clip(const char *s, size_t len, size_t max);
static void echo(const char *s, char *out, size_t cap);
static enum jx_err set_uint(const struct key *k, const char *value,
                            unsigned *out, struct jx_diag *d);
static enum jx_err set_bool(const struct key *k, const char *value, bool *out,
                            struct jx_diag *d);
static size_t bad_byte(const char *s, size_t len, int *column, bool *nul);
static enum jx_err unquote(const struct key *k, const char *s, size_t len,
                           char *out, size_t cap, struct jx_diag *d);
static enum jx_err split_listen(const char *s, char *host, size_t cap,
                                unsigned *port, struct jx_diag *d);
static void errno_text(int e, char *buf, size_t cap);

#define STR(f, chk)                                                            \
	K_STR, offsetof(struct jx_config, f),                                  \
	        sizeof(((struct jx_config *)0)->f), 0, 0, chk
#define UINT(f, lo, hi) K_UINT, offsetof(struct jx_config, f), 0, lo, hi, NULL
#define BOOL(f)         K_BOOL, offsetof(struct jx_config, f), 0, 0, 0, NULL

/* Every key, in the order of struct jx_config and docs/operations.md. */
static const struct key keys[] = {
        {"db", STR(db, check_db)},
        {"listen", STR(listen, check_listen)},
        {"rules", STR(rules, check_nonempty)},
        {"workflow", STR(workflow, NULL)},
        {"web_dir", STR(web_dir, NULL)},
        {"log_format", STR(log_format, check_log_format)},
        {"log_file", STR(log_file, NULL)},
        {"threads", UINT(threads, 1, 256)},
        {"hash_concurrency", UINT(hash_concurrency, 1, 64)},
        {"session_idle_minutes", UINT(session_idle_minutes, 1, 1440)},
        {"session_max_hours", UINT(session_max_hours, 1, 168)},
        {"login_max_failures", UINT(login_max_failures, 1, 1000)},
        {"login_max_failures_ip", UINT(login_max_failures_ip, 1, 100000)},
        {"login_window_minutes", UINT(login_window_minutes, 1, 1440)},
        {"body_max_kb", UINT(body_max_kb, 1, 65536)},
        {"shutdown_grace_seconds", UINT(shutdown_grace_seconds, 0, 3600)},
        {"cookie_secure", BOOL(cookie_secure)},
        {"trusted_proxy", STR(trusted_proxy, check_ip)},
        {"demo", BOOL(demo)},
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct {
	const char *word;
	bool value;
} bool_words[] = {
        {"true", true},   {"yes", true}, {"on", true},   {"1", true},
        {"false", false}, {"no", false}, {"off", false}, {"0", false},
};

void
jx_config_defaults(struct jx_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db, sizeof(c->db), "%s", "sqlite:./jixiao.db");
	snprintf(c->listen, sizeof(c->listen), "%s", "127.0.0.1:8080");
	snprintf(c->rules, sizeof(c->rules), "%s", "mof-2020");
	snprintf(c->log_format, sizeof(c->log_format), "%s", "json");
	c->threads = 8;
	c->hash_concurrency = 2;
	c->session_idle_minutes = 30;
	c->session_max_hours = 12;
	c->login_max_failures = 5;
	c->login_max_failures_ip = 20;
	c->login_window_minutes = 15;
	c->body_max_kb = 1024;
	c->shutdown_grace_seconds = 30;
	c->cookie_secure = false;
	c->demo = false;
}

enum jx_err
jx_config_set(struct jx_config *c, const char *key, const char *value,
              struct jx_diag *d)
{
	const struct key *k = key_find(key, strlen(key));
	char shown[ECHO_MAX + 8];
	size_t len = strlen(key), i;
	unsigned u = 0;
	bool b = false;
	enum jx_err err;

	if (k == NULL && !jx_text_utf8_valid(key, len))
		return jx_diag_set(d, JX_EINVAL, "",
		                   "配置项名称不是有效的 UTF-8 文本");
	if (k == NULL) {
		echo(key, shown, sizeof(shown));
		return jx_diag_set(d, JX_EINVAL, shown,
		                   "未知的配置项“%s”" DOCS_HINT, shown);
	}
	len = strlen(value);
	if (!jx_text_utf8_valid(value, len))
		return jx_diag_set(d, JX_EINVAL, k->name,
		                   "值不是有效的 UTF-8 文本");
	for (i = 0; i < len; i++) {
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return jx_diag_set(d, JX_EINVAL, k->name,
			                   "值含有控制字符（第 %zu 字节）",
			                   i + 1);
	}
	switch (k->kind) {
	case K_STR:
		if (len >= k->size)
			return jx_diag_set(d, JX_ETOOBIG, k->name,
			                   "值过长（%zu 字节），最多 %zu 字节",
			                   len, k->size - 1);
		if (k->check != NULL &&
		    (err = k->check(value, k->name, d)) != JX_OK)
			return err;
		memcpy((char *)c + k->off, value, len + 1);
		break;
	case K_UINT:
		if ((err = set_uint(k, value, &u, d)) != JX_OK)
			return err;
		*(unsigned *)((char *)c + k->off) = u;
		break;
	case K_BOOL:
		if ((err = set_bool(k, value, &b, d)) != JX_OK)
			return err;
		*(bool *)((char *)c + k->off) = b;
		break;
	}
	return JX_OK;
}

enum jx_err
jx_config_parse(struct jx_config *c, const char *buf, size_t len,
                const char *source, struct jx_diag *d)
{
	struct jx_diag local;
	int seen[NKEYS] = {0}; /* line where each key was set, 0: not yet */
	char value[VALUE_MAX];
	char shown[ECHO_MAX + 8];
	const struct key *k;
	const char *line, *t, *eq, *ks, *vs;
	size_t pos = 0, n, tn, kn, vn, bad;
	int lineno = 0, column = 0;
	bool nul = false;
	enum jx_err err = JX_OK;

	if (d == NULL)
		d = &local;
	jx_diag_clear(d);
	jx_diag_set_file(d, source);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		line = buf + pos;
		eq = memchr(line, '\n', len - pos);
		n = eq != NULL ? (size_t)(eq - line) : len - pos;
		pos += n + (eq != NULL);
		lineno++;
		d->line = lineno;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		/* Bad bytes first: nothing of a line that is not text is
		 * trusted, but the key is named when it comes before them. */
		bad = bad_byte(line, n, &column, &nul);
		eq = memchr(line, '=', bad < n ? bad : n);
		if (bad < n) {
			k = NULL;
			if (eq != NULL) {
				ks = line;
				kn = (size_t)(eq - line);
				jx_text_trim(&ks, &kn);
				k = key_find(ks, kn);
			}
			d->column = column;
			err = jx_diag_set(d, JX_EINVAL, k ? k->name : "",
			                  nul ? "第 %d 列含有 NUL 字节"
			                      : "第 %d 列含有无效的 UTF-8 字节"
			                        "（配置文件须为 UTF-8 编码）",
			                  column);
			goto done;
		}
		t = line;
		tn = n;
		jx_text_trim(&t, &tn);
		if (tn == 0 || t[0] == '#')
			continue;
		eq = memchr(t, '=', tn);
		if (eq == NULL) {
			err = jx_diag_set(
			        d, JX_EINVAL, "",
			        "此行缺少“=”，应为“配置项 = 值”的形式");
			goto done;
		}
		ks = t;
		kn = (size_t)(eq - t);
		jx_text_trim(&ks, &kn);
		if (kn == 0) {
			err = jx_diag_set(d, JX_EINVAL, "",
			                  "“=”前缺少配置项名称");
			goto done;
		}
		if ((k = key_find(ks, kn)) == NULL) {
			n = clip(ks, kn, ECHO_MAX);
			snprintf(shown, sizeof(shown), "%.*s%s", (int)n, ks,
			         n < kn ? "…" : "");
			err = jx_diag_set(d, JX_EINVAL, shown,
			                  "未知的配置项“%s”" DOCS_HINT, shown);
			goto done;
		}
		if (seen[k - keys] != 0) {
			err = jx_diag_set(d, JX_EINVAL, k->name,
			                  "配置项“%s”重复，第 %d 行已设置过",
			                  k->name, seen[k - keys]);
			goto done;
		}
		vs = eq + 1;
		vn = tn - (size_t)(vs - t);
		jx_text_trim(&vs, &vn);
		err = unquote(k, vs, vn, value, sizeof(value), d);
		if (err != JX_OK)
			goto done;
		if ((err = jx_config_set(c, k->name, value, d)) != JX_OK)
			goto done;
		seen[k - keys] = lineno;
	}
	d->line = 0;
	err = JX_OK;
done:
	return err;
}

enum jx_err
jx_config_load(struct jx_config *c, const char *path, struct jx_diag *d)
{
	char why[128];
	FILE *f = NULL;
	char *buf = NULL;
	size_t n;
	enum jx_err err;

	jx_diag_clear(d);
	jx_diag_set_file(d, path);
	if ((f = fopen(path, "rb")) == NULL) {
		errno_text(errno, why, sizeof(why));
		err = jx_diag_set(d, JX_EIO, "", "无法打开配置文件：%s", why);
		goto done;
	}
	if ((buf = malloc(FILE_MAX + 1)) == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, "", "内存不足");
		goto done;
	}
	n = fread(buf, 1, FILE_MAX + 1, f);
	if (ferror(f)) {
		errno_text(errno, why, sizeof(why));
		err = jx_diag_set(d, JX_EIO, "", "无法读取配置文件：%s", why);
		goto done;
	}
	if (n > FILE_MAX) {
		err = jx_diag_set(d, JX_ETOOBIG, "",
		                  "配置文件过大，最多 %u 字节", FILE_MAX);
		goto done;
	}
	err = jx_config_parse(c, buf, n, path, d);
done:
	free(buf);
	if (f != NULL)
		fclose(f);
	return err;
}

enum jx_err
jx_config_listen(const struct jx_config *c, char *host, size_t cap,
                 unsigned *port, struct jx_diag *d)
{
	enum jx_err err = split_listen(c->listen, host, cap, port, d);

	if (err != JX_OK && d != NULL)
		snprintf(d->field, sizeof(d->field), "%s", "listen");
	return err;
}

/* The key named s[0..len), or NULL. */
static const struct key *
key_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (strlen(keys[i].name) == len &&
		    memcmp(keys[i].name, name, len) == 0)
			return &keys[i];
	}
	return NULL;
}

/* The length of the longest prefix of s[0..len) of at most max bytes that
 * does not end inside a UTF-8 character. */
static size_t
clip(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

/* s, clipped to ECHO_MAX bytes with "…" when cut, into out. */
static void
echo(const char *s, char *out, size_t cap)
{
	size_t len = strlen(s), n = clip(s, len, ECHO_MAX);

	snprintf(out, cap, "%.*s%s", (int)n, s, n < len ? "…" : "");
}

/* A decimal integer in [k->min, k->max]: digits only, an optional '-'
 * (always out of range), no '+', no spaces, no hexadecimal. */
static enum jx_err
set_uint(const struct key *k, const char *value, unsigned *out,
         struct jx_diag *d)
{
	char shown[ECHO_MAX + 8];
	const char *p = value;
	char *end = NULL;
	long long v;

	echo(value, shown, sizeof(shown));
	if (*p == '-')
		p++;
	if (*p == '\0')
		goto bad;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
	}
	errno = 0;
	v = strtoll(value, &end, 10);
	if (end == NULL || *end != '\0')
		goto bad;
	if (errno == ERANGE || value[0] == '-' || v < (long long)k->min ||
	    v > (long long)k->max)
		return jx_diag_set(d, JX_EINVAL, k->name,
		                   "值“%s”超出范围，应为 %u 到 %u 之间的整数",
		                   shown, k->min, k->max);
	*out = (unsigned)v;
	return JX_OK;
bad:
	return jx_diag_set(d, JX_EINVAL, k->name,
	                   "值“%s”不是整数，应为 %u 到 %u 之间的整数", shown,
	                   k->min, k->max);
}

/* One of the boolean words, ASCII case ignored. */
static enum jx_err
set_bool(const struct key *k, const char *value, bool *out, struct jx_diag *d)
{
	char shown[ECHO_MAX + 8];
	size_t i;

	for (i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++) {
		if (jx_text_ascii_ieq(value, bool_words[i].word)) {
			*out = bool_words[i].value;
			return JX_OK;
		}
	}
	echo(value, shown, sizeof(shown));
	return jx_diag_set(d, JX_EINVAL, k->name,
	                   "值“%s”不是布尔值，应为 " BOOL_WORDS, shown);
}

/* The offset of the first NUL byte or invalid UTF-8 sequence in
 * s[0..len), or len when there is none; *column gets its 1-based column in
 * characters and *nul whether it is a NUL. */
static size_t
bad_byte(const char *s, size_t len, int *column, bool *nul)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	int col = 1;

	while (i < len) {
		if (u[i] == 0) {
			*nul = true;
			*column = col;
			return i;
		}
		if (u[i] < 0x80) {
			n = 1;
		} else if ((n = jx_text_utf8_len(u + i, len - i)) == 0) {
			*nul = false;
			*column = col;
			return i;
		}
		i += n;
		col++;
	}
	return len;
}

/*
 * The value s[0..len) of key k, unquoted into out (cap bytes,
 * NUL-terminated). A value that starts with '"' must end with the matching
 * '"' and may escape only '"' and '\\'; any other value is taken as it is.
 */
static enum jx_err
unquote(const struct key *k, const char *s, size_t len, char *out, size_t cap,
        struct jx_diag *d)
{
	size_t i, o = 0;
	char ch;

	if (len == 0 || s[0] != '"') {
		if (len >= cap)
			goto toolong;
		memcpy(out, s, len);
		out[len] = '\0';
		return JX_OK;
	}
	for (i = 1; i < len; i++) {
		ch = s[i];
		if (ch == '"') {
			if (i + 1 != len)
				return jx_diag_set(d, JX_EINVAL, k->name,
				                   "右引号之后还有多余的文字"
				                   "（值中的引号请写作 \\\"）");
			out[o] = '\0';
			return JX_OK;
		}
		if (ch == '\\') {
			if (i + 1 >= len ||
			    (s[i + 1] != '"' && s[i + 1] != '\\'))
				return jx_diag_set(d, JX_EINVAL, k->name,
				                   "引号内只允许 \\\" 和 \\\\ "
				                   "两种转义");
			ch = s[++i];
		}
		if (o + 1 >= cap)
			goto toolong;
		out[o++] = ch;
	}
	return jx_diag_set(d, JX_EINVAL, k->name, "引号未闭合");
toolong:
	return jx_diag_set(d, JX_ETOOBIG, k->name, "值过长，最多 %zu 字节",
	                   k->kind == K_STR ? k->size - 1 : cap - 1);
}

/* db: a URL the store understands. The value may hold a password and is
 * never quoted back. */
static enum jx_err
check_db(const char *value, const char *field, struct jx_diag *d)
{
	if (strncmp(value, "sqlite:", 7) == 0 && value[7] != '\0')
		return JX_OK;
	if (strncmp(value, "postgresql://", 13) == 0 ||
	    strncmp(value, "postgres://", 11) == 0)
		return JX_OK;
	return jx_diag_set(d, JX_EINVAL, field,
	                   "无法识别的数据库地址，应为 sqlite:路径 或 "
	                   "postgresql://…");
}

/* "" or a numeric IPv4 or IPv6 address. */
static enum jx_err
check_ip(const char *value, const char *field, struct jx_diag *d)
{
	unsigned char buf[16];

	if (value[0] == '\0' || inet_pton(AF_INET, value, buf) == 1 ||
	    inet_pton(AF_INET6, value, buf) == 1)
		return JX_OK;
	return jx_diag_set(d, JX_EINVAL, field,
	                   "应为数字 IP 地址（如 127.0.0.1），或留空");
}

static enum jx_err
check_listen(const char *value, const char *field, struct jx_diag *d)
{
	char host[HOST_MAX];
	unsigned port;

	(void)field; /* split_listen names "listen" itself */
	return split_listen(value, host, sizeof(host), &port, d);
}

static enum jx_err
check_nonempty(const char *value, const char *field, struct jx_diag *d)
{
	if (value[0] == '\0')
		return jx_diag_set(d, JX_EINVAL, field, "值不能为空");
	return JX_OK;
}

static enum jx_err
check_log_format(const char *value, const char *field, struct jx_diag *d)
{
	char shown[ECHO_MAX + 8];

	if (strcmp(value, "json") == 0 || strcmp(value, "text") == 0)
		return JX_OK;
	echo(value, shown, sizeof(shown));
	return jx_diag_set(d, JX_EINVAL, field, "值“%s”无效，应为 json 或 text",
	                   shown);
}

/*
 * "A.B.C.D:PORT" or "[IPV6]:PORT" into host (brackets removed) and port.
 * Host names, a missing host or port, an IPv6 address without brackets and
 * zone indexes ("%eth0") are refused.
 */
static enum jx_err
split_listen(const char *s, char *host, size_t cap, unsigned *port,
             struct jx_diag *d)
{
	const char *h = s, *colon, *close, *p;
	char shown[ECHO_MAX + 8], buf[HOST_MAX];
	unsigned char addr[16];
	size_t hn, i;
	unsigned v = 0;
	bool v6 = false, name = false;

	echo(s, shown, sizeof(shown));
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (close == NULL || close[1] != ':')
			return jx_diag_set(
			        d, JX_EINVAL, "listen",
			        "监听地址“%s”无效，应为 [IPv6地址]:端口，"
			        "如 [::1]:8080",
			        shown);
		h = s + 1;
		hn = (size_t)(close - h);
		colon = close + 1;
		v6 = true;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return jx_diag_set(
			        d, JX_EINVAL, "listen",
			        "监听地址“%s”缺少端口，应为 地址:端口，"
			        "如 127.0.0.1:8080",
			        shown);
		hn = (size_t)(colon - s);
		if (memchr(s, ':', hn) != NULL)
			return jx_diag_set(
			        d, JX_EINVAL, "listen",
			        "监听地址“%s”无效：IPv6 地址须写在方括号"
			        "中，如 [::1]:8080",
			        shown);
	}
	if (hn == 0)
		return jx_diag_set(d, JX_EINVAL, "listen",
		                   "监听地址“%s”缺少主机地址（监听所有地址请写 "
		                   "0.0.0.0:端口 或 [::]:端口）",
		                   shown);
	if (v6 && memchr(h, '%', hn) != NULL)
		return jx_diag_set(
		        d, JX_EINVAL, "listen",
		        "监听地址“%s”无效：不支持带区域标识（%%…）的 "
		        "IPv6 地址",
		        shown);
	for (i = 0; i < hn; i++) {
		if ((h[i] >= 'g' && h[i] <= 'z') ||
		    (h[i] >= 'G' && h[i] <= 'Z') || h[i] == '-' ||
		    (unsigned char)h[i] >= 0x80)
			name = true;
	}
	if (hn < sizeof(buf)) {
		memcpy(buf, h, hn);
		buf[hn] = '\0';
	}
	if (hn >= sizeof(buf) ||
	    inet_pton(v6 ? AF_INET6 : AF_INET, buf, addr) != 1) {
		if (name)
			return jx_diag_set(
			        d, JX_EINVAL, "listen",
			        "监听地址“%s”须使用数字 IP 地址，不接受"
			        "主机名（如 127.0.0.1:8080 或 "
			        "[::1]:8080）",
			        shown);
		return jx_diag_set(d, JX_EINVAL, "listen",
		                   "监听地址“%s”中的 IP 地址无效", shown);
	}
	p = colon + 1;
	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] < '0' || p[i] > '9' || i >= 5)
			goto badport;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	if (i == 0 || v < 1 || v > 65535)
		goto badport;
	if (hn >= cap)
		return jx_diag_set(d, JX_ETOOBIG, "listen",
		                   "监听地址的主机部分过长");
	memcpy(host, h, hn);
	host[hn] = '\0';
	*port = v;
	return JX_OK;
badport:
	return jx_diag_set(d, JX_EINVAL, "listen",
	                   "监听地址“%s”的端口无效，应为 1 到 65535 之间的整数",
	                   shown);
}

/* A zh-CN reason for errno e (common cases), else the C library's. */
static void
errno_text(int e, char *buf, size_t cap)
{
	switch (e) {
	case ENOENT:
		snprintf(buf, cap, "%s", "文件不存在");
		break;
	case EACCES:
		snprintf(buf, cap, "%s", "没有读取权限");
		break;
	case EISDIR:
		snprintf(buf, cap, "%s", "这是一个目录，不是文件");
		break;
	default:
		if (strerror_r(e, buf, cap) != 0)
			snprintf(buf, cap, "错误号 %d", e);
		break;
	}
}
