/*
 * testutil.h - helpers shared by the unit tests: read a file of the source
 * tree, load a built-in rule set, build indicators. Test code only.
 */
#ifndef JX_TESTUTIL_H
#define JX_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/dec.h"
#include "jx/model.h"
#include "jx/rules.h"

/* The contents of JX_SOURCE_DIR/rel, malloc'd and NUL-terminated, or NULL. */
static inline char *
tu_read(const char *rel, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", JX_SOURCE_DIR, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* Load rules/<name>.json into r; returns 0 on success. */
static inline int
tu_rules(struct jx_rules *r, const char *name)
{
	char rel[256];
	struct jx_diag d;
	size_t len = 0;
	char *buf;
	enum jx_err err;

	snprintf(rel, sizeof(rel), "rules/%s.json", name);
	buf = tu_read(rel, &len);
	if (buf == NULL)
		return -1;
	jx_diag_clear(&d);
	err = jx_rules_load(r, buf, len, name, rel, &d);
	if (err != JX_OK)
		fprintf(stderr, "%s: %s: %s\n", rel, d.field, d.message);
	free(buf);
	return err == JX_OK ? 0 : -1;
}

/* A decimal from text; aborts the test binary on bad text. */
static inline jx_dec
tu_dec(const char *s)
{
	jx_dec v = 0;

	if (jx_dec_parse(s, strlen(s), &v) != JX_OK) {
		fprintf(stderr, "bad decimal in test: %s\n", s);
		abort();
	}
	return v;
}

static inline struct jx_opt
tu_opt(const char *s)
{
	struct jx_opt o = {0, false};

	if (s != NULL) {
		o.v = tu_dec(s);
		o.set = true;
	}
	return o;
}

#endif
