/*
 * doc.h - a document to be written, as a plain sequence of blocks: the
 * title, headings, paragraphs, blanks left for people to write, and tables
 * (struct jx_grid, grid.h, with merged ranges). The outline module
 * (outline.h) builds one from a report outline and a self-evaluation; the
 * renderers draw it: docxw.h as a Word document, pdf.h as PDF. Renderers
 * decide fonts and sizes; the document only says what each block is.
 *
 * Pure: memory only, every string and array in the arena given to
 * jx_doc_init (borrowed; it must outlive the document). Bounded by
 * JX_DOC_MAX_BLOCKS blocks.
 */
#ifndef JX_DOC_H
#define JX_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/grid.h"

#define JX_DOC_MAX_BLOCKS 100000u

enum jx_doc_kind {
	JX_DOC_TITLE,    /* the document's title, centred, once at the top */
	JX_DOC_SUBTITLE, /* a centred line under the title: "（2023年度）" */
	JX_DOC_HEADING,  /* a section heading, level 1..3 */
	JX_DOC_PARA,     /* a body paragraph (first line indented) */
	JX_DOC_BLANK,    /* a narrative part left for people to write; text
	                    is the prompt ("（请填写：…）"), shown marked */
	JX_DOC_TABLE,    /* a table */
	JX_DOC_NOTE,     /* a small note line (a table's unit, a signature
	                    line: "单位：万元"), right-aligned */
	JX_DOC_PAGEBREAK, /* start a new page (text ""); several documents
	                     bound into one file are separated by these */
};

/* Horizontal alignment of a table column's body cells. */
enum jx_doc_align { JX_DOC_LEFT, JX_DOC_CENTER, JX_DOC_RIGHT };

struct jx_doc_block {
	enum jx_doc_kind kind;
	int level;        /* JX_DOC_HEADING: 1..3; else 0 */
	const char *text; /* every kind but JX_DOC_TABLE: UTF-8, may hold
	                     "\n" (a line break inside the paragraph) */
	/* JX_DOC_TABLE only: */
	const struct jx_grid *table; /* cells and merged ranges */
	uint32_t header_rows;   /* the first rows are headings: bold, shaded,
	                           repeated on every page */
	const uint32_t *widths; /* table->ncols relative column widths (any
	                           positive scale), or NULL: equal */
	const enum jx_doc_align *align; /* table->ncols, or NULL: left */
	const bool *bold_rows; /* table->nrows: rows drawn bold (a 合计 or
	                          总分 row), or NULL */
};

struct jx_doc {
	const char *title; /* document title for the file's properties */
	bool landscape;    /* A4 landscape, else portrait */
	struct jx_doc_block *blocks;
	size_t nblocks, cap;
	struct jx_arena *arena; /* borrowed */
};

/* An empty document (portrait, no title) whose memory comes from a. */
void jx_doc_init(struct jx_doc *doc, struct jx_arena *a);

/*
 * Append a block of kind (not JX_DOC_TABLE) with text (copied; NULL is
 * taken as ""). level: 1..3 for a heading, else ignored. Returns the new
 * block (to adjust) or NULL: out of memory or JX_DOC_MAX_BLOCKS reached.
 */
struct jx_doc_block *jx_doc_add(struct jx_doc *doc, enum jx_doc_kind kind,
                                int level, const char *text);

/*
 * Append a table. grid (borrowed: it must live as long as the document,
 * normally in the same arena), header_rows <= grid->nrows; widths, align
 * and bold_rows as in struct jx_doc_block (copied; may be NULL). Returns
 * the block or NULL (out of memory, limit reached, or bad arguments).
 */
struct jx_doc_block *
jx_doc_add_table(struct jx_doc *doc, const struct jx_grid *grid,
                 uint32_t header_rows, const uint32_t *widths,
                 const enum jx_doc_align *align, const bool *bold_rows);

/*
 * Check every text of doc (its title, each block's text, each table cell)
 * is valid UTF-8 without control characters other than tab, newline and
 * carriage return, and without U+FFFE / U+FFFF: what every renderer can
 * carry. JX_OK, or JX_EINVAL with d->field naming the place ("第3块",
 * "第5块 表格第2行第4列") and a zh-CN message.
 */
enum jx_err jx_doc_check(const struct jx_doc *doc, struct jx_diag *d);

#endif
