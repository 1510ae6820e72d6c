/*
 * main.c - the jixiao command: dispatch to subcommands. Each subcommand
 * parses its own options and returns an exit status (cli.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f);

static void
usage(FILE *f)
{
	fputs("用法: jixiao <命令> [选项]\n"
	      "\n"
	      "命令:\n"
	      "  score FILE            计算一份自评表的得分，逐项给出计分依据\n"
	      "  check FILE|DIR...     "
	      "核查自评表：将填报数字与数据推算结果逐项比对\n"
	      "  export FILE|DIR... --to xlsx|docx|pdf [--form table|report]\n"
	      "                        输出自评表或自评报告（见 export "
	      "--help）\n"
	      "  monitor FILE...       "
	      "核查绩效运行监控记录：执行进度预警、偏差与纠偏\n"
	      "  evaluate FILE         "
	      "按评价指标体系给绩效评价表逐项计分并核对\n"
	      "  rules list            列出可用的规则方案\n"
	      "  rules show NAME       显示规则方案内容\n"
	      "  rules check FILE...   校验规则方案文件\n"
	      "  db <命令> [--db URL]  数据库：migrate import export backup "
	      "restore stats demo\n"
	      "  serve [--db URL] [--listen ADDR]  启动网页服务（见 "
	      "docs/operations.md）\n"
	      "  version               显示版本\n"
	      "\n"
	      "通用选项:\n"
	      "  --rules NAME|FILE     使用的规则方案（默认 mof-2020）\n"
	      "  --format text|json    输出格式（默认 text）\n"
	      "\n"
	      "退出状态: 0 未发现错误; 1 发现错误级问题; 2 输入有误\n",
	      f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return JX_EXIT_BADINPUT;
	}
	if (strcmp(argv[1], "check") == 0)
		return jx_cli_check(argc - 1, argv + 1, false);
	if (strcmp(argv[1], "score") == 0)
		return jx_cli_check(argc - 1, argv + 1, true);
	if (strcmp(argv[1], "monitor") == 0)
		return jx_cli_monitor(argc - 1, argv + 1);
	if (strcmp(argv[1], "evaluate") == 0)
		return jx_cli_evaluate(argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return jx_cli_export(argc - 1, argv + 1);
	if (strcmp(argv[1], "rules") == 0)
		return jx_cli_rules_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "db") == 0)
		return jx_cli_db_cmd(argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return jx_cli_serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 ||
	    strcmp(argv[1], "--version") == 0) {
		printf("jixiao %s\n", JX_VERSION);
		return JX_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return JX_EXIT_OK;
	}
	fprintf(stderr, "jixiao: 未知命令“%s”\n\n", argv[1]);
	usage(stderr);
	return JX_EXIT_BADINPUT;
}
