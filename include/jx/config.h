/*
 * config.h - the server's configuration: defaults, a configuration file of
 * "key = value" lines, and command-line flags that override the file.
 *
 * The file format (docs/operations.md): UTF-8 text, one setting per line,
 * '#' starts a comment line, blank lines ignored, keys are the field names
 * below, values are trimmed; an unknown key or a bad value is an error that
 * names the file, the line and the key. A value may be written in double
 * quotes (inside them only \" and \\ are escapes); booleans are
 * true/false, yes/no, on/off or 1/0 (ASCII case ignored); a key may appear
 * once per file. Nothing here opens sockets or the database: it only reads
 * the file it is given.
 */
#ifndef JX_CONFIG_H
#define JX_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "jx/err.h"

struct jx_config {
	char db[512];       /* db: database URL, default sqlite:./jixiao.db */
	char listen[128];   /* listen: "127.0.0.1:8080" or "[::1]:8080" */
	char rules[256];    /* rules: rule-set name or path, default mof-2020 */
	char workflow[256]; /* workflow: path; "" = workflow/standard.json */
	char web_dir[256];  /* web_dir: static UI directory; "" = built in */
	char log_format[8]; /* log_format: "json" (default) or "text" */
	char log_file[256]; /* log_file: "" = standard error */
	unsigned threads;   /* threads: worker threads, 1..256, default 8 */
	unsigned hash_concurrency;       /* hash_concurrency: 1..64, def. 2 */
	unsigned session_idle_minutes;   /* 1..1440, default 30 */
	unsigned session_max_hours;      /* 1..168, default 12 */
	unsigned login_max_failures;     /* per account, 1..1000, default 5 */
	unsigned login_max_failures_ip;  /* per address, 1..100000, def. 20 */
	unsigned login_window_minutes;   /* 1..1440, default 15 */
	unsigned body_max_kb;            /* body_max_kb: 1..65536, def. 1024 */
	unsigned shutdown_grace_seconds; /* 0..3600, default 30 */
	bool cookie_secure;     /* cookie_secure: true behind a TLS proxy */
	char trusted_proxy[64]; /* trusted_proxy: numeric address of the
	                           reverse proxy whose X-Forwarded-For names
	                           the client; "" = none */
	bool demo; /* demo: load demo data into an empty database */
};

/* Fill c with the defaults above. */
void jx_config_defaults(struct jx_config *c);

/*
 * Apply one setting: `key` as in the file, `value` its text. JX_EINVAL for
 * an unknown key (d->field = key) or a value that is out of range or does
 * not parse (the message says the allowed range), JX_ETOOBIG for a string
 * longer than its field. Values must be valid UTF-8 without control
 * characters; db must start with sqlite:, postgresql:// or postgres:// (the
 * message never repeats it: it may hold a password), listen must have the
 * form jx_config_listen accepts, rules must not be empty, log_format is
 * json or text. d->field is the key; d->file and d->line are kept. c is
 * unchanged on failure.
 */
enum jx_err jx_config_set(struct jx_config *c, const char *key,
                          const char *value, struct jx_diag *d);

/*
 * Apply the settings of configuration text buf[0..len) named `source`
 * (for diagnostics: d->file, d->line; d->column for a NUL byte or invalid
 * UTF-8). Stops at the first bad line; c may then hold the settings of the
 * lines before it. A UTF-8 byte order mark at the start is skipped, and
 * lines may end in CR LF. d is cleared first.
 */
enum jx_err jx_config_parse(struct jx_config *c, const char *buf, size_t len,
                            const char *source, struct jx_diag *d);

/* Read the file at path (at most 64 KiB) and apply it as jx_config_parse.
 * JX_EIO when it cannot be read (d says why), JX_ETOOBIG when it is
 * larger. d->file is path. */
enum jx_err jx_config_load(struct jx_config *c, const char *path,
                           struct jx_diag *d);

/* Split c->listen into a numeric host (written to host, cap bytes, without
 * the brackets of an IPv6 address: "::1") and a port 1..65535. Accepted:
 * "127.0.0.1:8080", "0.0.0.0:80", "[::1]:8080", "[::]:8080". JX_EINVAL
 * when it does not have that form (host names such as "localhost" are
 * refused: numeric hosts only), JX_ETOOBIG when host needs more than cap
 * bytes (INET6_ADDRSTRLEN always suffices). */
enum jx_err jx_config_listen(const struct jx_config *c, char *host, size_t cap,
                             unsigned *port, struct jx_diag *d);

#endif
