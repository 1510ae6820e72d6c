/*
 * cli_users.c - accounts from the command line, for what the web API
 * cannot do by itself: create the finance bureau and its first
 * administrator in an empty database (`jixiao db init`), set a password
 * read from standard input (`jixiao db passwd`: the first administrator's,
 * or a recovery), and give the demo users their demo password.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jx/account.h"
#include "jx/password.h"
#include "jx/store.h"

static void print_diag(const char *what, const struct jx_diag *d);

static void
print_diag(const char *what, const struct jx_diag *d)
{
	char line[1200];

	jx_diag_format(d, line, sizeof(line));
	fprintf(stderr, "jixiao: %s: %s\n", what, line);
}

int
jx_cli_db_init(const char *url, const char *org, const char *login)
{
	struct jx_store *s = NULL;
	struct jx_diag d;
	struct jx_user u;
	int64_t root = 0, id = 0;
	enum jx_err err;

	jx_diag_clear(&d);
	if (org == NULL || login == NULL) {
		fputs("用法: jixiao db init 财政局名称 管理员登录名 [--db "
		      "URL]\n",
		      stderr);
		return JX_EXIT_BADINPUT;
	}
	err = jx_cli_store_begin(url, &s, &d);
	if (err == JX_OK)
		err = jx_store_org_ensure(s, 0, JX_ORG_FINANCE, org, NULL, NULL,
		                          NULL, &root, &d);
	if (err == JX_OK) {
		memset(&u, 0, sizeof(u));
		u.org_id = root;
		u.login = login;
		u.name = "系统管理员";
		u.role = JX_ROLE_ADMIN;
		err = jx_store_user_create(s, &u, &id, &d);
	}
	if (err == JX_OK)
		err = jx_store_commit(s, &d);
	else
		jx_store_rollback(s);
	jx_store_close(s);
	if (err != JX_OK) {
		print_diag("初始化失败", &d);
		return JX_EXIT_BADINPUT;
	}
	printf("已创建 %s 及管理员 %s。请用 jixiao db passwd %s 设置密码。\n",
	       org, login, login);
	return JX_EXIT_OK;
}

int
jx_cli_db_passwd(const char *url, const char *login)
{
	struct jx_store *s = NULL;
	struct jx_diag d;
	char pw[512], hash[JX_PASSWORD_HASH_CAP];
	size_t n;
	enum jx_err err;

	jx_diag_clear(&d);
	if (login == NULL) {
		fputs("用法: jixiao db passwd 登录名 [--db URL] < 密码文件\n"
		      "（从标准输入的第一行读取新密码）\n",
		      stderr);
		return JX_EXIT_BADINPUT;
	}
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fputs("jixiao: 未从标准输入读到密码\n", stderr);
		return JX_EXIT_BADINPUT;
	}
	n = strlen(pw);
	while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
		pw[--n] = '\0';
	err = jx_password_policy(pw, login, "password", &d);
	if (err == JX_OK)
		err = jx_password_hash(NULL, pw, hash, sizeof(hash), &d);
	if (err == JX_OK)
		err = jx_store_open(url, &s, &d);
	if (err == JX_OK)
		err = jx_account_set_password_hash(s, login, hash, &d);
	jx_store_close(s);
	memset(pw, 0, sizeof(pw));
	if (err != JX_OK) {
		print_diag("设置密码失败", &d);
		return JX_EXIT_BADINPUT;
	}
	printf("已设置 %s 的密码。\n", login);
	return JX_EXIT_OK;
}

int
jx_cli_demo_passwords(struct jx_store *s, const char *const *logins, size_t n,
                      const char *pw)
{
	char hash[JX_PASSWORD_HASH_CAP];
	struct jx_diag d;
	struct jx_user u;
	struct jx_arena a;
	enum jx_err err;
	size_t i;

	jx_diag_clear(&d);
	/* One hash for all: demo accounts share a published password. */
	err = jx_password_hash(NULL, pw, hash, sizeof(hash), &d);
	for (i = 0; err == JX_OK && i < n; i++) {
		jx_arena_init(&a, 0);
		err = jx_store_user_get(s, logins[i], &u, &a, &d);
		/* a password someone set is kept */
		if (err == JX_OK && u.password_hash == NULL)
			err = jx_account_set_password_hash(s, logins[i], hash,
			                                   &d);
		jx_arena_cleanup(&a);
	}
	if (err != JX_OK) {
		print_diag("设置示范密码失败", &d);
		return JX_EXIT_BADINPUT;
	}
	return JX_EXIT_OK;
}
