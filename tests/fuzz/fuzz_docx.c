/*
 * fuzz_docx.c - libFuzzer target for the Word reader (jx_docx_read_mem).
 *
 * The first byte of an input picks what the rest is:
 *   0  a whole .docx file (the zip layer: directory, sizes, inflation);
 *   1  the text of word/document.xml, which the target wraps into a
 *      stored zip of its own before reading it, so that mutations reach
 *      the XML and table logic instead of breaking deflate streams.
 * Any input must be read or refused without a crash, a leak or undefined
 * behaviour; a refusal must carry a message. What is read must hold
 * together: every string valid UTF-8 without NUL inside, every table named,
 * table positions in order, merged ranges inside the limits and not
 * overlapping, and the reading must be the same when done twice.
 *
 * Seeds: tests/fuzz/corpus/docx (written by tests/data/docx/make.py).
 * Run: cmake --preset fuzz && cmake --build build/fuzz --target fuzz_docx
 *      ./build/fuzz/fuzz_docx -max_total_time=300 tests/fuzz/corpus/docx
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/docx.h"
#include "jx/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t crc_table[256];

static void
crc_init(void)
{
	uint32_t c, n, k;

	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t
crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	while (n-- > 0)
		c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static uint8_t *
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v & 0xFFFF);
	return put16(p, v >> 16);
}

/* A zip holding word/document.xml = xml[0..n), stored; malloc'd. */
static uint8_t *
stored_zip(const uint8_t *xml, size_t n, size_t *len)
{
	static const char name[] = "word/document.xml";
	const uint32_t nl = sizeof(name) - 1, crc = crc32(xml, n);
	uint8_t *z = malloc(30 + nl + n + 46 + nl + 22), *p;
	uint32_t cd;

	if (z == NULL)
		return NULL;
	p = put32(z, 0x04034b50);
	p = put16(p, 20);
	p = put16(p, 0);    /* flags */
	p = put16(p, 0);    /* stored */
	p = put16(p, 0);    /* time */
	p = put16(p, 0x21); /* 1980-01-01 */
	p = put32(p, crc);
	p = put32(p, (uint32_t)n);
	p = put32(p, (uint32_t)n);
	p = put16(p, nl);
	p = put16(p, 0);
	memcpy(p, name, nl);
	p += nl;
	memcpy(p, xml, n);
	p += n;
	cd = (uint32_t)(p - z);
	p = put32(p, 0x02014b50);
	p = put16(p, 20);
	p = put16(p, 20);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, 0x21);
	p = put32(p, crc);
	p = put32(p, (uint32_t)n);
	p = put32(p, (uint32_t)n);
	p = put16(p, nl);
	p = put16(p, 0); /* extra */
	p = put16(p, 0); /* comment */
	p = put16(p, 0); /* disk */
	p = put16(p, 0); /* internal attributes */
	p = put32(p, 0); /* external attributes */
	p = put32(p, 0); /* local header offset */
	memcpy(p, name, nl);
	p += nl;
	p = put32(p, 0x06054b50);
	p = put16(p, 0);
	p = put16(p, 0);
	p = put16(p, 1);
	p = put16(p, 1);
	p = put32(p, (uint32_t)(p - z) - 12 - cd);
	p = put32(p, cd);
	p = put16(p, 0);
	*len = (size_t)(p - z);
	return z;
}

static void
die(const char *what, const struct jx_diag *d)
{
	fprintf(stderr, "fuzz_docx: %s (%s:%d:%d %s: %s)\n", what, d->file,
	        d->line, d->column, d->field, d->message);
	abort();
}

/* s is valid UTF-8 (no NUL inside, by construction of C strings). */
static int
utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int n, i;

	while (*p != 0) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = (*p & 0xE0) == 0xC0   ? 1
		    : (*p & 0xF0) == 0xE0 ? 2
		    : (*p & 0xF8) == 0xF0 ? 3
		                          : -1;
		if (n < 0)
			return 0;
		cp = *p & (0x3F >> n);
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += n + 1;
	}
	return 1;
}

static void
check(const struct jx_docx *x, const struct jx_diag *d)
{
	const struct jx_grid *g;
	const struct jx_grid_merge *m, *o;
	size_t i, k, j;
	uint32_t r, c;

	if (x->ntables > JX_DOCX_MAX_TABLES ||
	    x->nparagraphs > JX_DOCX_MAX_PARAS)
		die("over a limit", d);
	for (i = 0; i < x->nparagraphs; i++)
		if (!utf8_ok(x->paragraphs[i]))
			die("paragraph not UTF-8", d);
	for (i = 0; i < x->ntables; i++) {
		g = x->tables[i];
		if (g->name == NULL || strncmp(g->name, "表", 3) != 0)
			die("table without its name", d);
		if (x->table_at[i] > x->nparagraphs ||
		    (i > 0 && x->table_at[i] < x->table_at[i - 1]))
			die("table positions out of order", d);
		for (r = 0; r < g->nrows; r++)
			for (c = 0; g->rows[r] != NULL && c < g->row_cap[r];
			     c++)
				if (g->rows[r][c] != NULL &&
				    (g->rows[r][c][0] == '\0' ||
				     !utf8_ok(g->rows[r][c])))
					die("cell empty or not UTF-8", d);
		for (k = 0; k < g->nmerges; k++) {
			m = &g->merges[k];
			if (m->r0 > m->r1 || m->c0 > m->c1 ||
			    m->c1 >= JX_GRID_MAX_COLS ||
			    m->r1 >= JX_GRID_MAX_ROWS ||
			    (m->r0 == m->r1 && m->c0 == m->c1))
				die("bad merged range", d);
			/* overlaps: cheap enough for fuzz-sized tables */
			for (j = 0; j < k && g->nmerges < 2000; j++) {
				o = &g->merges[j];
				if (o->r0 <= m->r1 && m->r0 <= o->r1 &&
				    o->c0 <= m->c1 && m->c0 <= o->c1)
					die("overlapping ranges", d);
			}
		}
	}
}

/* The two readings say the same. */
static void
same(const struct jx_docx *a, const struct jx_docx *b, const struct jx_diag *d)
{
	size_t i;
	uint32_t r, c;
	const char *x, *y;

	if (a->ntables != b->ntables || a->nparagraphs != b->nparagraphs)
		die("second reading differs in size", d);
	for (i = 0; i < a->nparagraphs; i++)
		if (strcmp(a->paragraphs[i], b->paragraphs[i]) != 0)
			die("second reading differs in a paragraph", d);
	for (i = 0; i < a->ntables; i++) {
		if (a->tables[i]->nrows != b->tables[i]->nrows ||
		    a->tables[i]->ncols != b->tables[i]->ncols ||
		    a->tables[i]->nmerges != b->tables[i]->nmerges)
			die("second reading differs in a table", d);
		for (r = 0; r < a->tables[i]->nrows; r++)
			for (c = 0; c < a->tables[i]->ncols; c++) {
				x = jx_grid_get(a->tables[i], r, c);
				y = jx_grid_get(b->tables[i], r, c);
				if ((x == NULL) != (y == NULL) ||
				    (x != NULL && strcmp(x, y) != 0))
					die("second reading differs in a cell",
					    d);
			}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct jx_arena a1, a2;
	struct jx_docx x1, x2;
	struct jx_diag d;
	const uint8_t *buf;
	uint8_t *zip = NULL;
	size_t len;
	enum jx_err err;

	if (!ready) {
		crc_init();
		ready = 1;
	}
	if (size < 1)
		return 0;
	if (data[0] == 1) {
		zip = stored_zip(data + 1, size - 1, &len);
		if (zip == NULL)
			return 0;
		buf = zip;
	} else {
		buf = data + 1;
		len = size - 1;
	}
	jx_arena_init(&a1, 0);
	jx_arena_init(&a2, 0);
	a1.limit = a2.limit = 512u << 20;
	err = jx_docx_read_mem(buf, len, "fuzz.docx", &a1, &x1, &d);
	if (err != JX_OK) {
		if (d.message[0] == '\0')
			die("refused without a message", &d);
		goto done;
	}
	check(&x1, &d);
	if (jx_docx_read_mem(buf, len, "fuzz.docx", &a2, &x2, &d) != JX_OK)
		die("second reading failed", &d);
	same(&x1, &x2, &d);
done:
	jx_arena_cleanup(&a1);
	jx_arena_cleanup(&a2);
	free(zip);
	return 0;
}
