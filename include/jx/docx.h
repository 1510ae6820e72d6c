/*
 * docx.h - read a Word document (.docx) into grids and paragraphs: every
 * table becomes a struct jx_grid (grid.h), in document order, and every
 * paragraph of the body becomes one line of text. The sheet finder
 * (sheet.h) reads a self-evaluation out of the result; this module knows
 * nothing of self-evaluations.
 *
 * Only word/document.xml is read, streaming, with expat; headers, footers,
 * footnotes, comments, text boxes and pictures are not. Text is what Word
 * shows with tracked changes accepted: runs joined seamlessly, <w:tab/> a
 * tab, <w:br/> a newline, <w:sym> the symbol's character, field codes left
 * out and field results kept, deleted text left out, inserted text kept.
 * A table cell's text is its paragraphs joined with "\n"; a table nested in
 * a cell is its own grid, right after its parent's, and also appears in
 * the parent cell flattened (its rows joined with "\n", the cells of a row
 * with "\t"). Merged cells (gridSpan, vMerge, hMerge) become merged ranges;
 * gridBefore skips columns. docs/internals/docx.md has the details.
 *
 * Hostile input is refused, never followed: not a zip, an OLE file (.doc
 * or an encrypted .docx), an xlsx or another zip without a Word document,
 * encrypted entries, zip bombs (declared and actual size and ratio checked
 * while inflating), DOCTYPE and entity declarations, broken XML (with line
 * and column), and every limit of the JX_DOCX_ block of limits.h.
 */
#ifndef JX_DOCX_H
#define JX_DOCX_H

#include <stddef.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/grid.h"

/* What a Word document holds. Every pointer is in the arena given to the
 * reader and dies with it. */
struct jx_docx {
	struct jx_grid **tables; /* in document order, nested ones after
	                            their parent; named "表1", "表2" ... */
	size_t ntables;
	char **paragraphs; /* body paragraphs (not those in tables), empty
	                      ones included, in document order */
	size_t nparagraphs;
	size_t *table_at; /* table_at[i]: body paragraphs before table i
	                     (its caption is the last non-empty one of
	                     paragraphs[0 .. table_at[i])) */
};

/*
 * Read the .docx file at path into *out; everything is allocated in a
 * (borrowed; it must outlive *out). The file is read whole (at most
 * JX_DOCX_MAX_FILE bytes) and then read as jx_docx_read_mem does, with
 * path as the name. JX_OK; JX_ENOTFOUND (no such file), JX_EIO, or any
 * error of jx_docx_read_mem, with d filled (d may be NULL). *out is
 * assigned only on success; after a failure a may hold partial
 * allocations (reset it or let it die).
 */
enum jx_err jx_docx_read(const char *path, struct jx_arena *a,
                         struct jx_docx *out, struct jx_diag *d);

/*
 * Read a .docx held in buf[0..len) (borrowed for the call only) into
 * *out, allocating in a. name names the input in diagnostics (d->file;
 * may be NULL). JX_OK, or with d filled in Chinese:
 *   JX_EPARSE  not a zip, an OLE file (.doc or encrypted), a zip without
 *              word/document.xml (an xlsx says so), encrypted or broken
 *              zip data, a DOCTYPE or entity declaration, broken XML
 *              (d->line and d->column set, d->field "word/document.xml"),
 *              a malformed number in a table property;
 *   JX_ETOOBIG a JX_DOCX_ limit or a grid limit (grid.h) exceeded, or a
 *              zip entry inflating past its declared size or ratio;
 *   JX_ENOMEM  out of memory (a's limit included).
 * *out is assigned only on success.
 */
enum jx_err jx_docx_read_mem(const void *buf, size_t len, const char *name,
                             struct jx_arena *a, struct jx_docx *out,
                             struct jx_diag *d);

#endif
