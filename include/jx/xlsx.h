/*
 * xlsx.h - read an Excel workbook (.xlsx, .xlsm; Office Open XML, also its
 * Strict variant) into grids of text: one struct jx_grid per worksheet, in
 * the workbook's order, hidden sheets included.
 *
 * Cells hold the text a person sees in Excel, decided from the stored value
 * and its number format, with exact decimal arithmetic on the stored digits
 * (never through a double): numbers in their shortest form to Excel's 15
 * significant digits ("131.4", "1.5E-2" -> "0.015"), percent formats as the
 * whole percentage ("0.9806" -> "98.06%"), date formats as "YYYY-MM-DD",
 * time formats as "HH:MM" or "HH:MM:SS", booleans as "TRUE"/"FALSE", errors
 * as written ("#DIV/0!"); shared, inline and rich-text strings joined from
 * their runs, phonetic runs left out. Formulas are not evaluated: the value
 * Excel stored with them is used. Merged ranges become jx_grid_merge.
 *
 * Bounded: every ceiling is a JX_XLSX_* constant in limits.h (file size,
 * zip entries, inflated bytes per part and in all, compression ratio, XML
 * depth, sheets, shared strings, bytes of a cell, cells and text kept).
 * Hostile or foreign input is refused with a zh-CN message naming the file
 * and the part: not a zip, an OLE file (encrypted or an old .xls), a Word,
 * PowerPoint, OpenDocument or .xlsb file, DOCTYPE or entity declarations,
 * malformed XML (with line and column), zip bombs.
 *
 * This module does not look for a self-evaluation in the grids (sheet.h)
 * and does not write workbooks.
 */
#ifndef JX_XLSX_H
#define JX_XLSX_H

#include <stddef.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/grid.h"

/*
 * Read the workbook in buf[0..len) (borrowed; only read during the call).
 * name is the file's name for messages (d->file and the text of each
 * message); NULL reads as "".
 *
 * On success *sheets is an array of *nsheets grids (at least one), every
 * grid, array and string in a (which must outlive them). On failure
 * *sheets and *nsheets are untouched, a may hold partial allocations
 * (release them with the arena), and d (may be NULL) says why:
 * d->file the name, d->field the part ("xl/worksheets/sheet2.xml") when one
 * is at fault, d->line and d->column the place in its XML when known.
 *
 * Returns JX_OK; JX_EPARSE for anything that is not a readable workbook
 * (not a zip, a damaged zip, another kind of document, encrypted, bad
 * XML, DOCTYPE, a missing part, a bad cell reference); JX_ETOOBIG past a
 * limit; JX_ENOMEM; JX_EINVAL when an argument is NULL.
 */
enum jx_err jx_xlsx_read_mem(const void *buf, size_t len, const char *name,
                             struct jx_arena *a, struct jx_grid **sheets,
                             size_t *nsheets, struct jx_diag *d);

/*
 * jx_xlsx_read_mem on the file at path (read whole, at most
 * JX_XLSX_MAX_FILE bytes; path is the name in messages). Also JX_ENOTFOUND
 * when there is no such file and JX_EIO when it cannot be read.
 */
enum jx_err jx_xlsx_read(const char *path, struct jx_arena *a,
                         struct jx_grid **sheets, size_t *nsheets,
                         struct jx_diag *d);

#endif
