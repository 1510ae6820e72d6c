/*
 * grid.c - a table of text cells with merged ranges, in an arena.
 *
 * Rows are allocated as text arrives: rows[r] stays NULL for an empty row,
 * and each row's array of cells grows by doubling up to the last column
 * set in it, so a sparse sheet costs memory for what it holds. Arrays that
 * grow leave their old copy in the arena (at most as much again as the
 * live ones); replaced text does the same.
 *
 * Merged ranges are kept in the order they were recorded, and indexed per
 * column: for each column, the ranges covering it, sorted by first row.
 * Ranges never overlap (overlaps are refused), so the ranges covering one
 * column are disjoint intervals of rows and a binary search finds the one
 * holding a cell. The index costs one entry per column of a range: at most
 * JX_GRID_MAX_COLS * JX_GRID_MAX_MERGES entries.
 *
 * It neither reads nor writes documents, nor interprets the text.
 */
#include <stdint.h>
#include <string.h>

#include "jx/grid.h"

/* For each column, the indexes into g->merges of the ranges covering it,
 * sorted by r0. */
struct jx_grid_index {
	uint32_t *col[JX_GRID_MAX_COLS];
	uint32_t n[JX_GRID_MAX_COLS];
	uint32_t cap[JX_GRID_MAX_COLS];
};

static enum jx_err row_reserve(struct jx_grid *g, uint32_t r, uint32_t c);
static void bounds_shrink(struct jx_grid *g);
static size_t col_find(const struct jx_grid *g, uint32_t c, uint32_t r);
static enum jx_err col_insert(struct jx_grid *g, uint32_t c, uint32_t idx);

void
jx_grid_init(struct jx_grid *g, struct jx_arena *a)
{
	memset(g, 0, sizeof(*g));
	g->arena = a;
}

enum jx_err
jx_grid_set_name(struct jx_grid *g, const char *name, size_t len)
{
	char *p = jx_arena_strndup(g->arena, name, len);

	if (p == NULL)
		return JX_ENOMEM;
	g->name = p;
	return JX_OK;
}

/* Make rows[r] exist with room for column c. */
static enum jx_err
row_reserve(struct jx_grid *g, uint32_t r, uint32_t c)
{
	uint32_t n;
	void *p;

	if (r >= g->cap_rows) {
		n = g->cap_rows < 16 ? 16 : g->cap_rows * 2;
		if (n <= r)
			n = r + 1;
		if (n > JX_GRID_MAX_ROWS)
			n = JX_GRID_MAX_ROWS;
		p = jx_arena_grow(g->arena, g->rows, g->cap_rows, n,
		                  sizeof(*g->rows));
		if (p == NULL)
			return JX_ENOMEM;
		memset((char ***)p + g->cap_rows, 0,
		       (n - g->cap_rows) * sizeof(*g->rows));
		g->rows = p;
		p = jx_arena_grow(g->arena, g->row_cap, g->cap_rows, n,
		                  sizeof(*g->row_cap));
		if (p == NULL)
			return JX_ENOMEM;
		memset((uint32_t *)p + g->cap_rows, 0,
		       (n - g->cap_rows) * sizeof(*g->row_cap));
		g->row_cap = p;
		g->cap_rows = n;
	}
	if (c >= g->row_cap[r]) {
		n = g->row_cap[r] < 8 ? 8 : g->row_cap[r] * 2;
		if (n <= c)
			n = c + 1;
		if (n > JX_GRID_MAX_COLS)
			n = JX_GRID_MAX_COLS;
		p = jx_arena_grow(g->arena, g->rows[r], g->row_cap[r], n,
		                  sizeof(**g->rows));
		if (p == NULL)
			return JX_ENOMEM;
		memset((char **)p + g->row_cap[r], 0,
		       (n - g->row_cap[r]) * sizeof(**g->rows));
		g->rows[r] = p;
		g->row_cap[r] = n;
	}
	return JX_OK;
}

/* After a cell on the edge was cleared: pull nrows and ncols back to the
 * last row and column holding text. Rare (readers only add), so a scan. */
static void
bounds_shrink(struct jx_grid *g)
{
	uint32_t r, c, nr = 0, nc = 0;

	for (r = 0; r < g->nrows; r++) {
		if (g->rows[r] == NULL)
			continue;
		for (c = g->row_cap[r]; c > 0; c--) {
			if (g->rows[r][c - 1] != NULL)
				break;
		}
		if (c > 0) {
			nr = r + 1;
			if (c > nc)
				nc = c;
		}
	}
	g->nrows = nr;
	g->ncols = nc;
}

enum jx_err
jx_grid_set(struct jx_grid *g, uint32_t r, uint32_t c, const char *text,
            size_t len)
{
	enum jx_err err;
	char *p;

	if (r >= JX_GRID_MAX_ROWS || c >= JX_GRID_MAX_COLS)
		return JX_ETOOBIG;
	if (len == 0) {
		if (r >= g->cap_rows || g->rows[r] == NULL ||
		    c >= g->row_cap[r] || g->rows[r][c] == NULL)
			return JX_OK;
		g->rows[r][c] = NULL;
		g->ncells--;
		if (r + 1 == g->nrows || c + 1 == g->ncols)
			bounds_shrink(g);
		return JX_OK;
	}
	if ((r >= g->cap_rows || g->rows[r] == NULL || c >= g->row_cap[r] ||
	     g->rows[r][c] == NULL) &&
	    g->ncells >= JX_GRID_MAX_CELLS)
		return JX_ETOOBIG;
	err = row_reserve(g, r, c);
	if (err != JX_OK)
		return err;
	p = jx_arena_strndup(g->arena, text, len);
	if (p == NULL)
		return JX_ENOMEM;
	if (g->rows[r][c] == NULL)
		g->ncells++;
	g->rows[r][c] = p;
	if (r >= g->nrows)
		g->nrows = r + 1;
	if (c >= g->ncols)
		g->ncols = c + 1;
	return JX_OK;
}

/* The position in column c's list of the first range whose r0 is past r:
 * the range before it, if any, is the only one that may cover row r. */
static size_t
col_find(const struct jx_grid *g, uint32_t c, uint32_t r)
{
	const uint32_t *list = g->index->col[c];
	size_t lo = 0, hi = g->index->n[c], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->merges[list[mid]].r0 <= r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Insert range idx into column c's list, keeping it sorted by r0. */
static enum jx_err
col_insert(struct jx_grid *g, uint32_t c, uint32_t idx)
{
	struct jx_grid_index *x = g->index;
	size_t at;
	uint32_t n;
	void *p;

	if (x->n[c] == x->cap[c]) {
		n = x->cap[c] < 4 ? 4 : x->cap[c] * 2;
		p = jx_arena_grow(g->arena, x->col[c], x->cap[c], n,
		                  sizeof(*x->col[c]));
		if (p == NULL)
			return JX_ENOMEM;
		x->col[c] = p;
		x->cap[c] = n;
	}
	at = col_find(g, c, g->merges[idx].r0);
	memmove(x->col[c] + at + 1, x->col[c] + at,
	        (x->n[c] - at) * sizeof(*x->col[c]));
	x->col[c][at] = idx;
	x->n[c]++;
	return JX_OK;
}

enum jx_err
jx_grid_merge(struct jx_grid *g, uint32_t r0, uint32_t c0, uint32_t r1,
              uint32_t c1)
{
	struct jx_grid_merge *m;
	size_t at, n;
	uint32_t c, idx;
	enum jx_err err;
	void *p;

	if (r0 > r1 || c0 > c1 || r1 >= JX_GRID_MAX_ROWS ||
	    c1 >= JX_GRID_MAX_COLS)
		return JX_EINVAL;
	if (g->nmerges >= JX_GRID_MAX_MERGES)
		return JX_ETOOBIG;
	if (g->index == NULL) {
		g->index = jx_arena_calloc(g->arena, 1, sizeof(*g->index));
		if (g->index == NULL)
			return JX_ENOMEM;
	}
	/* Refuse an overlap: in each column, the range starting at or
	 * before r1 nearest to it must end before r0. */
	for (c = c0; c <= c1; c++) {
		at = col_find(g, c, r1);
		if (at > 0 && g->merges[g->index->col[c][at - 1]].r1 >= r0)
			return JX_EINVAL;
	}
	if (g->nmerges == g->cap_merges) {
		n = g->cap_merges < 8 ? 8 : g->cap_merges * 2;
		if (n > JX_GRID_MAX_MERGES)
			n = JX_GRID_MAX_MERGES;
		p = jx_arena_grow(g->arena, g->merges, g->cap_merges, n,
		                  sizeof(*g->merges));
		if (p == NULL)
			return JX_ENOMEM;
		g->merges = p;
		g->cap_merges = n;
	}
	idx = (uint32_t)g->nmerges;
	m = &g->merges[idx];
	m->r0 = r0;
	m->c0 = c0;
	m->r1 = r1;
	m->c1 = c1;
	/* Count the range only once every column list holds it; on a
	 * failure part way, take it out of the lists it already entered. */
	for (c = c0; c <= c1; c++) {
		err = col_insert(g, c, idx);
		if (err != JX_OK)
			goto fail;
	}
	g->nmerges++;
	return JX_OK;
fail:
	while (c > c0) {
		c--;
		at = col_find(g, c, r0) - 1;
		memmove(g->index->col[c] + at, g->index->col[c] + at + 1,
		        (g->index->n[c] - at - 1) * sizeof(uint32_t));
		g->index->n[c]--;
	}
	return err;
}

const struct jx_grid_merge *
jx_grid_merged(const struct jx_grid *g, uint32_t r, uint32_t c)
{
	const struct jx_grid_merge *m;
	size_t at;

	if (g->index == NULL || c >= JX_GRID_MAX_COLS)
		return NULL;
	at = col_find(g, c, r);
	if (at == 0)
		return NULL;
	m = &g->merges[g->index->col[c][at - 1]];
	return r <= m->r1 ? m : NULL;
}

const char *
jx_grid_get(const struct jx_grid *g, uint32_t r, uint32_t c)
{
	const struct jx_grid_merge *m = jx_grid_merged(g, r, c);

	if (m != NULL) {
		r = m->r0;
		c = m->c0;
	}
	if (r >= g->cap_rows || g->rows[r] == NULL || c >= g->row_cap[r])
		return NULL;
	return g->rows[r][c];
}
