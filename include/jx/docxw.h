/*
 * docxw.h - write a block document (doc.h) as a Word document (.docx,
 * Office Open XML, zipped with libzip) that Microsoft Word, WPS and
 * LibreOffice open without repair, and that jx_docx_read (docx.h) reads
 * back: every table of the document becomes one Word table whose cells
 * hold the grid's text and whose merged ranges are gridSpan / vMerge.
 * This module knows nothing of self-evaluations and reads nothing.
 */
#ifndef JX_DOCXW_H
#define JX_DOCXW_H

#include "jx/doc.h"
#include "jx/err.h"

/*
 * Write doc to a new file at path (written beside it and renamed into
 * place: no half-written file is ever left at path). Returns JX_OK;
 * JX_EINVAL (bad arguments, text that is not valid UTF-8 or holds
 * characters XML cannot carry; d names the block); JX_ENOMEM; JX_EIO
 * (the file cannot be written; d names it).
 */
enum jx_err jx_docxw_write(const char *path, const struct jx_doc *doc,
                           struct jx_diag *d);

#endif
