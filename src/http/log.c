/*
 * log.c - structured log lines (see log.h). Timestamps are UTC with
 * milliseconds. A failed write is dropped: logging never stops a request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jx/log.h"
#include "jx/text.h"

static int log_fd = 2;
static bool log_json = true;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void
jx_log_setup(int fd, bool json)
{
	log_fd = fd;
	log_json = json;
}

json_t *
jx_log_str(const char *s, size_t max)
{
	char buf[1024];
	size_t i = 0, o = 0, start;
	int32_t cp;

	if (s == NULL)
		return json_null();
	if (max >= sizeof(buf))
		max = sizeof(buf) - 1;
	while (s[i] != '\0' && o < max) {
		start = i;
		cp = jx_text_utf8_next(s, strlen(s + i) + i, &i);
		if (cp < 0) {
			buf[o++] = '?';
			continue;
		}
		if (o + (i - start) > max)
			break;
		memcpy(buf + o, s + start, i - start);
		o += i - start;
	}
	buf[o] = '\0';
	return json_string(buf);
}

static void
stamp(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	char sec[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, cap, "%s.%03ldZ", sec, ts.tv_nsec / 1000000);
}

void
jx_log(enum jx_log_level level, const char *msg, json_t *fields)
{
	char ts[48], *line = NULL, *v;
	const char *key;
	json_t *val, *obj = fields != NULL ? fields : json_object();
	size_t len;
	FILE *m;

	if (obj == NULL)
		return;
	stamp(ts, sizeof(ts));
	if (log_json) {
		json_t *head = json_pack("{s:s, s:s, s:o}", "ts", ts, "level",
		                         level_names[level], "msg",
		                         jx_log_str(msg, 200));

		if (head != NULL) {
			json_object_update(head, obj);
			line = json_dumps(head, JSON_COMPACT |
			                                JSON_PRESERVE_ORDER |
			                                JSON_REAL_PRECISION(4));
			json_decref(head);
		}
	} else {
		m = open_memstream(&line, &len);
		if (m != NULL) {
			fprintf(m, "%s %s %s", ts, level_names[level],
			        msg != NULL ? msg : "");
			json_object_foreach(obj, key, val)
			{
				v = json_dumps(val,
				               JSON_ENCODE_ANY | JSON_COMPACT |
				                       JSON_REAL_PRECISION(4));
				if (v != NULL)
					fprintf(m, " %s=%s", key, v);
				free(v);
			}
			fclose(m);
		}
	}
	if (line != NULL) {
		len = strlen(line);
		line[len] = '\n'; /* the NUL goes; write len + 1 bytes */
		if (write(log_fd, line, len + 1) < 0) {
			/* dropped: nowhere left to report it */
		}
		free(line);
	}
	json_decref(obj);
}
