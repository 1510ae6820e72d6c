/*
 * err.c - names and zh-CN messages of enum jx_err, and the diagnostic
 * record's helpers. No I/O: formatting goes to caller buffers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jx/err.h"

static const struct {
	const char *name;
	const char *message;
} err_table[] = {
        [JX_OK] = {"OK", "成功"},
        [JX_ENOMEM] = {"ENOMEM", "内存不足"},
        [JX_EINVAL] = {"EINVAL", "数据无效"},
        [JX_EPARSE] = {"EPARSE", "无法解析"},
        [JX_ENOTFOUND] = {"ENOTFOUND", "未找到"},
        [JX_ECONFLICT] = {"ECONFLICT", "数据已被他人修改，请刷新后重试"},
        [JX_EPERM] = {"EPERM", "无权操作"},
        [JX_ETOOBIG] = {"ETOOBIG", "超出限制"},
        [JX_EDB] = {"EDB", "数据库错误"},
        [JX_EIO] = {"EIO", "读写失败"},
        [JX_EEOF] = {"EEOF", "输入已结束"},
        [JX_EAUTH] = {"EAUTH", "未登录或会话已过期"},
        [JX_EBUSY] = {"EBUSY", "尝试过于频繁，请稍后再试"},
};

const char *
jx_err_name(enum jx_err err)
{
	if ((size_t)err >= sizeof(err_table) / sizeof(err_table[0]))
		return "EUNKNOWN";
	return err_table[err].name;
}

const char *
jx_err_message(enum jx_err err)
{
	if ((size_t)err >= sizeof(err_table) / sizeof(err_table[0]))
		return "未知错误";
	return err_table[err].message;
}

void
jx_diag_clear(struct jx_diag *d)
{
	if (d == NULL)
		return;
	memset(d, 0, sizeof(*d));
}

enum jx_err
jx_diag_set(struct jx_diag *d, enum jx_err err, const char *field,
            const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return err;
	if (field != NULL)
		snprintf(d->field, sizeof(d->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	return err;
}

void
jx_diag_set_file(struct jx_diag *d, const char *file)
{
	size_t n;

	if (d == NULL)
		return;
	n = file != NULL ? strlen(file) : 0;
	if (n >= sizeof(d->file)) {
		n = sizeof(d->file) - 1;
		while (n > 0 && ((unsigned char)file[n] & 0xC0) == 0x80)
			n--; /* do not cut a character in two */
	}
	if (n > 0)
		memcpy(d->file, file, n);
	d->file[n] = '\0';
}

size_t
jx_diag_format(const struct jx_diag *d, char *buf, size_t cap)
{
	int n = 0;
	size_t used = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (d->file[0] != '\0') {
		if (d->line > 0 && d->column > 0)
			n = snprintf(buf, cap, "%s:%d:%d: ", d->file, d->line,
			             d->column);
		else if (d->line > 0)
			n = snprintf(buf, cap, "%s:%d: ", d->file, d->line);
		else
			n = snprintf(buf, cap, "%s: ", d->file);
	} else if (d->line > 0) {
		n = snprintf(buf, cap, "第%d行: ", d->line);
	}
	if (n > 0)
		used = (size_t)n < cap ? (size_t)n : cap - 1;
	if (d->field[0] != '\0' && used < cap) {
		n = snprintf(buf + used, cap - used, "%s: ", d->field);
		if (n > 0)
			used += (size_t)n < cap - used ? (size_t)n
			                               : cap - used - 1;
	}
	if (used < cap) {
		n = snprintf(buf + used, cap - used, "%s", d->message);
		if (n > 0)
			used += (size_t)n < cap - used ? (size_t)n
			                               : cap - used - 1;
	}
	return used;
}
