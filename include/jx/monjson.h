/*
 * monjson.h - a monitoring record (绩效运行监控, monitor.h) in the
 * interchange format: one JSON object per project and period, as
 * docs/format.md ("Monitoring records") describes and tests/data/monitor/
 * shows. Strict: duplicate and unknown keys, wrong types, amounts that are
 * not exact decimals (money is written as a string or an integer in the
 * record's unit, 万元 or 元, never as a binary fraction), unknown words for
 * 存在偏差 / 偏差原因 / 完成可能性 are refused with the field named.
 * This module parses a buffer; it does not open files or judge records.
 */
#ifndef JX_MONJSON_H
#define JX_MONJSON_H

#include <stddef.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/monitor.h"

/* A record read: the monitor.h struct plus what it borrows from. */
struct jx_monjson {
	struct jx_monitor m;
	const char *rules;      /* the rule set the record names, or NULL */
	const char *unit;       /* 实施单位, or NULL */
	const char *department; /* 主管部门, or NULL */
	const char *overview;   /* summary.overview 项目进度总体概述 */
	const char *analysis;   /* summary.deviation_analysis */
	const char *next_steps; /* summary.next_steps 下一步工作措施 */
};

/*
 * Read one record from buf[0..len) (`name` names it in messages) into *out;
 * every string and array lives in a. JX_OK; JX_EPARSE (not JSON: d has the
 * line and column); JX_EINVAL (d->field names the field, zh-CN message);
 * JX_ETOOBIG (over JX_MAX_RECORD_BYTES or the monitor.h ceilings);
 * JX_ENOMEM.
 */
enum jx_err jx_monjson_read(const char *buf, size_t len, const char *name,
                            struct jx_arena *a, struct jx_monjson *out,
                            struct jx_diag *d);

#endif
