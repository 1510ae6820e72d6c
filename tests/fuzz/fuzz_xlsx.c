/*
 * fuzz_xlsx.c - libFuzzer target for the xlsx reader (jx_xlsx_read_mem).
 *
 * An input that starts with "PK" is read as it is: a whole file, so the
 * zip layer and the sniffing of other formats are fuzzed. Any other input
 * is cut at NUL bytes into a sheet, a shared-string table and a style
 * sheet, which are packed (stored, with correct CRCs) beside a fixed
 * workbook into a zip made here, so that mutations reach the XML
 * handlers instead of dying on a checksum.
 *
 * Any input must be read or refused without a crash, a leak or undefined
 * behaviour; a refusal must carry a message, and what is read must hold
 * the grid's invariants: at least one sheet, valid UTF-8 text, cells
 * within the bounds, merges within the limits.
 *
 * Run: cmake --preset fuzz && cmake --build build/fuzz --target fuzz_xlsx
 *      build/fuzz/fuzz_xlsx -max_total_time=300 tests/fuzz/corpus/xlsx
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/text.h"
#include "jx/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 8

struct part {
	const char *name;
	const uint8_t *data;
	size_t len;
};

static const char WORKBOOK[] =
        "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"rId1\"/>"
        "</sheets></workbook>";
static const char WB_RELS[] =
        "<Relationships>"
        "<Relationship Id=\"rId1\" Type=\"x/worksheet\" "
        "Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" "
        "Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/>"
        "</Relationships>";

static uint32_t
crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static uint8_t *
put16(uint8_t *o, unsigned v)
{
	o[0] = (uint8_t)v;
	o[1] = (uint8_t)(v >> 8);
	return o + 2;
}

static uint8_t *
put32(uint8_t *o, uint32_t v)
{
	o = put16(o, v & 0xffffu);
	return put16(o, v >> 16);
}

/* A zip of stored entries (malloc'd, *len bytes), or NULL. */
static uint8_t *
zip_stored(const struct part *p, size_t n, size_t *len)
{
	size_t i, total = 22, nl;
	uint32_t off[MAX_PARTS], crc[MAX_PARTS], cd;
	uint8_t *buf, *o;

	for (i = 0; i < n; i++)
		total += 30 + 46 + 2 * strlen(p[i].name) + p[i].len;
	buf = malloc(total);
	if (buf == NULL)
		return NULL;
	o = buf;
	for (i = 0; i < n; i++) {
		nl = strlen(p[i].name);
		off[i] = (uint32_t)(o - buf);
		crc[i] = crc32(p[i].data, p[i].len);
		o = put32(o, 0x04034b50u);
		o = put16(o, 20);
		o = put16(o, 0);
		o = put16(o, 0); /* stored */
		o = put32(o, 0);
		o = put32(o, crc[i]);
		o = put32(o, (uint32_t)p[i].len);
		o = put32(o, (uint32_t)p[i].len);
		o = put16(o, (unsigned)nl);
		o = put16(o, 0);
		memcpy(o, p[i].name, nl);
		o += nl;
		if (p[i].len > 0)
			memcpy(o, p[i].data, p[i].len);
		o += p[i].len;
	}
	cd = (uint32_t)(o - buf);
	for (i = 0; i < n; i++) {
		nl = strlen(p[i].name);
		o = put32(o, 0x02014b50u);
		o = put16(o, 20);
		o = put16(o, 20);
		o = put16(o, 0);
		o = put16(o, 0);
		o = put32(o, 0);
		o = put32(o, crc[i]);
		o = put32(o, (uint32_t)p[i].len);
		o = put32(o, (uint32_t)p[i].len);
		o = put16(o, (unsigned)nl);
		o = put32(o, 0); /* extra, comment */
		o = put32(o, 0); /* disk, internal attributes */
		o = put32(o, 0); /* external attributes */
		o = put32(o, off[i]);
		memcpy(o, p[i].name, nl);
		o += nl;
	}
	o = put32(o, 0x06054b50u);
	o = put32(o, 0);
	o = put16(o, (unsigned)n);
	o = put16(o, (unsigned)n);
	o = put32(o, (uint32_t)(o - buf) - cd - 12);
	o = put32(o, cd);
	o = put16(o, 0);
	*len = (size_t)(o - buf);
	return buf;
}

static void
die(const char *what, const struct jx_diag *d)
{
	fprintf(stderr, "fuzz_xlsx: %s: %s: %s\n", what, d->field, d->message);
	abort();
}

static void
check(const struct jx_grid *s, size_t n, const struct jx_diag *d)
{
	const char *t;
	uint32_t r, c;
	size_t i, k, cells;

	if (n == 0)
		die("no sheets", d);
	for (i = 0; i < n; i++) {
		if (s[i].name == NULL)
			die("a sheet without a name", d);
		if (s[i].nrows > JX_GRID_MAX_ROWS ||
		    s[i].ncols > JX_GRID_MAX_COLS)
			die("bounds past the limits", d);
		cells = 0;
		for (r = 0; r < s[i].nrows; r++) {
			for (c = 0; s[i].rows[r] != NULL && c < s[i].row_cap[r];
			     c++) {
				t = s[i].rows[r][c];
				if (t == NULL)
					continue;
				cells++;
				if (c >= s[i].ncols || t[0] == '\0' ||
				    !jx_text_utf8_valid(t, strlen(t)))
					die("a bad cell", d);
			}
		}
		if (cells != s[i].ncells)
			die("ncells is wrong", d);
		for (k = 0; k < s[i].nmerges; k++) {
			const struct jx_grid_merge *m = &s[i].merges[k];

			if (m->r0 > m->r1 || m->c0 > m->c1 ||
			    m->r1 >= JX_GRID_MAX_ROWS ||
			    m->c1 >= JX_GRID_MAX_COLS ||
			    jx_grid_merged(&s[i], m->r1, m->c1) != m)
				die("a bad merge", d);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct part p[MAX_PARTS];
	static const char *names[3] = {"xl/worksheets/sheet1.xml",
	                               "xl/sharedStrings.xml", "xl/styles.xml"};
	struct jx_arena a;
	struct jx_grid *s = NULL;
	struct jx_diag d;
	const uint8_t *cur = data, *nul;
	uint8_t *zip = NULL;
	size_t n = 0, np = 0, left = size, zlen = 0, k;
	enum jx_err err;

	jx_arena_init(&a, 0);
	a.limit = (size_t)512 << 20;
	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		err = jx_xlsx_read_mem(data, size, "fuzz.xlsx", &a, &s, &n, &d);
	} else {
		p[np++] = (struct part){"xl/workbook.xml",
		                        (const uint8_t *)WORKBOOK,
		                        sizeof(WORKBOOK) - 1};
		p[np++] = (struct part){"xl/_rels/workbook.xml.rels",
		                        (const uint8_t *)WB_RELS,
		                        sizeof(WB_RELS) - 1};
		for (k = 0; k < 3; k++) {
			nul = left > 0 ? memchr(cur, 0, left) : NULL;
			p[np++] = (struct part){
			        names[k], cur,
			        nul != NULL ? (size_t)(nul - cur) : left};
			if (nul == NULL)
				break;
			left -= (size_t)(nul - cur) + 1;
			cur = nul + 1;
		}
		zip = zip_stored(p, np, &zlen);
		if (zip == NULL)
			goto done;
		err = jx_xlsx_read_mem(zip, zlen, "fuzz.xlsx", &a, &s, &n, &d);
	}
	if (err != JX_OK) {
		if (d.message[0] == '\0')
			die("refused without a message", &d);
		if (s != NULL || n != 0)
			die("output assigned on failure", &d);
	} else {
		check(s, n, &d);
	}
done:
	free(zip);
	jx_arena_cleanup(&a);
	return 0;
}
