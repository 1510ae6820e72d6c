/*
 * cli.h - what the jixiao command's subcommands share: option parsing
 * helpers, rule-set lookup, reading inputs (files, directories, JSON Lines,
 * standard input) one self-evaluation at a time, and terminal tables that
 * align Chinese text. Private to src/cli/.
 */
#ifndef JX_CLI_H
#define JX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"

/* Exit statuses of every subcommand. */
#define JX_EXIT_OK       0 /* no errors found */
#define JX_EXIT_FINDINGS 1 /* findings of severity error */
#define JX_EXIT_BADINPUT 2 /* bad input, usage or rule set */

/* A cache of loaded rule sets, so JSON Lines that name their rule set load
 * it once. */
struct jx_cli_rules {
	struct jx_rules *sets[16];
	size_t n;
};

/*
 * Find and load rule set `spec`: a file path (contains '/' or ends in
 * ".json") or a name looked up in $JIXIAO_RULES_DIR, the source tree's
 * rules/ and the install directory. Returns the loaded set (owned by the
 * cache) or NULL with the reason printed to stderr.
 */
const struct jx_rules *jx_cli_rules_get(struct jx_cli_rules *c,
                                        const char *spec);
void jx_cli_rules_free(struct jx_cli_rules *c);

/* Whether s ends with suffix, ignoring the case of ASCII letters
 * ("表1.XLSX" ends with ".xlsx"). */
bool jx_cli_ends_with_ci(const char *s, const char *suffix);

/* The directories searched for rule sets, in order; NULL-terminated. */
size_t jx_cli_rules_dirs(const char **dirs, size_t cap);

/* Read a whole file (at most max bytes) into a malloc'd NUL-terminated
 * buffer. JX_ENOTFOUND, JX_EIO, JX_ETOOBIG with d filled. */
enum jx_err jx_cli_read_file(const char *path, size_t max, char **out,
                             size_t *len, struct jx_diag *d);

/*
 * Called for each self-evaluation read from the inputs: e is valid for the
 * call only. `bad` is non-NULL (and e NULL) when a record could not be read.
 * Return false to stop.
 */
typedef bool (*jx_cli_each_fn)(void *arg, const struct jx_eval *e,
                               const struct jx_diag *bad);

/*
 * Read every input in paths[0..n): "-" is standard input (JSON Lines), a
 * directory is walked for *.json, *.jsonl, *.xlsx, *.xlsm and *.docx
 * (sorted), a *.jsonl file is read line by line in bounded memory, an xlsx
 * or docx file through its reader and the sheet finder (sheet.h), a *.txt
 * or *.md file named on the command line as a table written as text, any
 * other file as one JSON document. Returns the number of inputs that could
 * not be read at all (each reported through fn with `bad`).
 */
size_t jx_cli_each(char **paths, size_t n, bool force_lines, jx_cli_each_fn fn,
                   void *arg);

/* Print s padded with spaces to `cols` terminal columns (CJK = 2); longer
 * text is clipped with "…". */
void jx_cli_cell(FILE *f, const char *s, size_t cols);

int jx_cli_check(int argc, char **argv, bool score_only);
int jx_cli_db_cmd(int argc, char **argv);

/* `jixiao export`: the 自评表 (xlsx, docx, pdf) or the 自评报告 (docx,
 * pdf) of each input, or one file per 主管部门 (cli_export.c). */
int jx_cli_export(int argc, char **argv);

/* `jixiao evaluate FILE`: an evaluation on a framework (framework.h),
 * scored line by line and checked (cli_evaluate.c). */
int jx_cli_evaluate(int argc, char **argv);

/* `jixiao monitor FILE...`: monitoring records (monjson.h) judged by
 * monitor.h (cli_monitor.c). */
int jx_cli_monitor(int argc, char **argv);

/* `jixiao db demo`: a finance bureau with departments, units and users,
 * the seed self-evaluations and nprojects generated ones. */
int jx_cli_demo(const char *url, long nprojects);
int jx_cli_rules_cmd(int argc, char **argv);

/* `jixiao db init ORG LOGIN`: the finance bureau and its first admin;
 * `jixiao db passwd LOGIN`: a password from standard input (cli_users.c). */
int jx_cli_db_init(const char *url, const char *org, const char *login);
int jx_cli_db_passwd(const char *url, const char *login);

struct jx_store;

/* Open the database at url into *s, bring its schema up to date and begin
 * a transaction: how a command that fills a database starts (cli_db.c).
 * On failure *s may be open or NULL; jx_store_close accepts both. */
enum jx_err jx_cli_store_begin(const char *url, struct jx_store **s,
                               struct jx_diag *d);

/* Give each of logins[0..n) that has no password yet the password pw. */
int jx_cli_demo_passwords(struct jx_store *s, const char *const *logins,
                          size_t n, const char *pw);

/* The demo accounts' published password. */
#define JX_CLI_DEMO_PASSWORD "jixiao2026"

/* `jixiao serve`: run the web server until SIGTERM (cli_serve.c). */
int jx_cli_serve(int argc, char **argv);

#endif
