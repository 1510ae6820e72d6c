/*
 * pdf.h - write a block document (doc.h) as PDF with cairo and pango,
 * fonts embedded (Noto CJK through fontconfig): A4, portrait or landscape
 * as the document says, tables with borders and merged cells, header rows
 * repeated on each page, rows split across pages only when one row is
 * taller than a page, page numbers "第 N 页 共 M 页" in the footer. This
 * module knows nothing of self-evaluations and reads nothing.
 */
#ifndef JX_PDF_H
#define JX_PDF_H

#include "jx/doc.h"
#include "jx/err.h"

/*
 * Write doc to a new file at path (written beside it and renamed into
 * place: no half-written file is ever left at path). Returns JX_OK;
 * JX_EINVAL (bad arguments or text that is not valid UTF-8; d names the
 * block); JX_ENOMEM; JX_EIO (the file cannot be written or cairo failed;
 * d says why).
 */
enum jx_err jx_pdf_write(const char *path, const struct jx_doc *doc,
                         struct jx_diag *d);

#endif
