/*
 * grid.h - a table of text cells as documents hold them: one worksheet of
 * an xlsx file, one table of a docx file, or a table written as text. The
 * readers (io/xlsx.c, io/docx.c) fill grids; the sheet finder (sheet.h)
 * reads a self-evaluation out of them. Cells hold text exactly as the
 * document shows it (numbers stored as numbers are written in their
 * shortest exact decimal form, percentages as the document's own value:
 * 0.95 stays "0.95" unless the cell's number format says percent, then
 * "95%"); merged ranges are kept as ranges, and every cell of a merged range
 * reads as its top-left cell's text.
 *
 * Pure: memory only, every string in the grid's arena. Bounded: at most
 * JX_GRID_MAX_ROWS x JX_GRID_MAX_COLS cells and JX_GRID_MAX_MERGES ranges;
 * past them a setter returns JX_ETOOBIG.
 */
#ifndef JX_GRID_H
#define JX_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/err.h"

#define JX_GRID_MAX_ROWS   100000u
#define JX_GRID_MAX_COLS   256u
#define JX_GRID_MAX_MERGES 20000u
#define JX_GRID_MAX_CELLS  (2u << 20) /* cells holding text */

struct jx_grid_index; /* private to grid.c */

/* A merged range, inclusive, 0-based. */
struct jx_grid_merge {
	uint32_t r0, c0, r1, c1;
};

struct jx_grid {
	char *name;        /* sheet or table name ("Sheet1", "表3"), or NULL */
	uint32_t nrows;    /* rows up to the last one holding text */
	uint32_t ncols;    /* columns up to the last one holding text */
	char ***rows;      /* rows[r][c]: text or NULL; rows[r] NULL: empty */
	uint32_t cap_rows; /* allocated entries of rows */
	uint32_t *row_cap; /* allocated entries of each rows[r] */
	struct jx_grid_merge *merges;
	size_t nmerges, cap_merges;
	size_t ncells;
	struct jx_arena *arena; /* borrowed: holds every string and array */
	struct jx_grid_index *index; /* private to grid.c: merge lookup */
};

/* An empty grid whose memory comes from a (borrowed; it must outlive g). */
void jx_grid_init(struct jx_grid *g, struct jx_arena *a);

/* Set the name (copied). JX_ENOMEM. */
enum jx_err jx_grid_set_name(struct jx_grid *g, const char *name, size_t len);

/*
 * Put text[0..len) (copied; UTF-8, not checked here) at row r, column c,
 * replacing what was there; len 0 clears the cell. JX_ETOOBIG past the
 * limits, JX_ENOMEM.
 */
enum jx_err jx_grid_set(struct jx_grid *g, uint32_t r, uint32_t c,
                        const char *text, size_t len);

/* Record a merged range (r0 <= r1, c0 <= c1, within the limits, not
 * overlapping a range already recorded; else JX_EINVAL, as Excel refuses
 * overlapping ranges). JX_ETOOBIG past JX_GRID_MAX_MERGES, JX_ENOMEM. */
enum jx_err jx_grid_merge(struct jx_grid *g, uint32_t r0, uint32_t c0,
                          uint32_t r1, uint32_t c1);

/* The text at (r, c) — the top-left cell's text inside a merged range —
 * or NULL for an empty cell or one outside the grid. Borrowed from g. */
const char *jx_grid_get(const struct jx_grid *g, uint32_t r, uint32_t c);

/* The merged range covering (r, c), or NULL when the cell is not merged.
 * Both lookups take O(log n) time in the number of ranges. */
const struct jx_grid_merge *jx_grid_merged(const struct jx_grid *g, uint32_t r,
                                           uint32_t c);

#endif
