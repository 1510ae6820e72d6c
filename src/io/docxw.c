/*
 * docxw.c - a block document (doc.h) as a Word document (.docx): the
 * WordprocessingML parts written into memory buffers, zipped with libzip
 * into "<path>.part" and renamed over path when complete.
 *
 * Parts: [Content_Types].xml, _rels/.rels, docProps/core.xml and app.xml,
 * word/document.xml, styles.xml, settings.xml, fontTable.xml, footer1.xml
 * (a centred PAGE field) and word/_rels/document.xml.rels. Tables: the grid
 * as w:tbl with w:tblGrid from the relative widths; a merged range is one
 * cell with w:gridSpan over its columns and w:vMerge restart / continue
 * down its rows, so that docx.c reads the same ranges back. Output is
 * deterministic: fixed zip timestamps and document dates.
 *
 * It checks the text it writes (UTF-8, no characters XML 1.0 cannot
 * carry); it does not lay out pages (Word does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "jx/buf.h"
#include "jx/docxw.h"

#define DOCXW_MAX_PART (256u << 20)         /* bytes of one XML part */
#define DOCXW_MTIME    ((time_t)1577836800) /* 2020-01-01T00:00:00Z */

/* Page geometry in twentieths of a point (A4, margins 2.54/3.17 cm). */
#define PAGE_SHORT 11906
#define PAGE_LONG  16838
#define MARGIN_TB  1440
#define MARGIN_LR  1440

struct part {
	const char *name;
	struct jx_buf buf;
};

enum {
	P_TYPES,
	P_RELS,
	P_CORE,
	P_APP,
	P_DOC,
	P_STYLES,
	P_SETTINGS,
	P_FONTS,
	P_FOOTER,
	P_DOCRELS,
	NPARTS
};

static const char *const part_names[NPARTS] = {
        "[Content_Types].xml", "_rels/.rels",
        "docProps/core.xml",   "docProps/app.xml",
        "word/document.xml",   "word/styles.xml",
        "word/settings.xml",   "word/fontTable.xml",
        "word/footer1.xml",    "word/_rels/document.xml.rels"};

static enum jx_err esc(struct jx_buf *b, const char *s);
static enum jx_err runs(struct jx_buf *b, const char *s, const char *rpr);
static enum jx_err para(struct jx_buf *b, const char *style, const char *ppr,
                        const char *rpr, const char *text);
static enum jx_err table(struct jx_buf *b, const struct jx_doc_block *blk,
                         long text_width);
static enum jx_err body(struct jx_buf *b, const struct jx_doc *doc,
                        struct jx_diag *d);
static enum jx_err fixed_parts(struct part *p, const struct jx_doc *doc);
static enum jx_err zip_parts(const char *tmp, struct part *p,
                             struct jx_diag *d);

/* s XML-escaped (text and attribute values). */
static enum jx_err
esc(struct jx_buf *b, const char *s)
{
	const char *p = s, *start = s;
	enum jx_err err = JX_OK;

	for (; *p != '\0' && err == JX_OK; p++) {
		const char *rep = NULL;

		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		default:
			break;
		}
		if (rep != NULL) {
			err = jx_buf_add(b, start, (size_t)(p - start));
			if (err == JX_OK)
				err = jx_buf_adds(b, rep);
			start = p + 1;
		}
	}
	if (err == JX_OK)
		err = jx_buf_add(b, start, (size_t)(p - start));
	return err;
}

/* The runs of s: "\n" a <w:br/>, "\t" a <w:tab/>, "\r" dropped. */
static enum jx_err
runs(struct jx_buf *b, const char *s, const char *rpr)
{
	enum jx_err err = JX_OK;
	const char *p = s;

	if (*s == '\0')
		return JX_OK;
	err = jx_buf_printf(b, "<w:r>%s", rpr != NULL ? rpr : "");
	while (err == JX_OK && *p != '\0') {
		size_t n = strcspn(p, "\n\t\r");

		if (n > 0) {
			char *piece = strndup(p, n);

			if (piece == NULL)
				return JX_ENOMEM;
			err = jx_buf_adds(b, "<w:t xml:space=\"preserve\">");
			if (err == JX_OK)
				err = esc(b, piece);
			if (err == JX_OK)
				err = jx_buf_adds(b, "</w:t>");
			free(piece);
			p += n;
		}
		if (err == JX_OK && *p != '\0') {
			if (*p == '\n')
				err = jx_buf_adds(b, "<w:br/>");
			else if (*p == '\t')
				err = jx_buf_adds(b, "<w:tab/>");
			p++;
		}
	}
	if (err == JX_OK)
		err = jx_buf_adds(b, "</w:r>");
	return err;
}

static enum jx_err
para(struct jx_buf *b, const char *style, const char *ppr, const char *rpr,
     const char *text)
{
	enum jx_err err = jx_buf_adds(b, "<w:p>");

	if (err == JX_OK && (style != NULL || ppr != NULL))
		err = jx_buf_printf(b, "<w:pPr>%s%s%s%s</w:pPr>",
		                    style != NULL ? "<w:pStyle w:val=\"" : "",
		                    style != NULL ? style : "",
		                    style != NULL ? "\"/>" : "",
		                    ppr != NULL ? ppr : "");
	if (err == JX_OK)
		err = runs(b, text, rpr);
	if (err == JX_OK)
		err = jx_buf_adds(b, "</w:p>");
	return err;
}

/* One table: columns scaled to text_width twips. */
static enum jx_err
table(struct jx_buf *b, const struct jx_doc_block *blk, long text_width)
{
	const struct jx_grid *g = blk->table;
	uint64_t sum = 0;
	uint32_t r, c;
	long *tw = NULL;
	enum jx_err err;

	tw = calloc(g->ncols, sizeof(*tw));
	if (tw == NULL)
		return JX_ENOMEM;
	for (c = 0; c < g->ncols; c++)
		sum += blk->widths != NULL && blk->widths[c] > 0
		               ? blk->widths[c]
		               : 1;
	for (c = 0; c < g->ncols; c++) {
		uint64_t w = blk->widths != NULL && blk->widths[c] > 0
		                     ? blk->widths[c]
		                     : 1;

		tw[c] = (long)((uint64_t)text_width * w / sum);
		if (tw[c] < 200)
			tw[c] = 200;
	}
	err = jx_buf_adds(
	        b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
	           "<w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/>"
	           "<w:tblLayout w:type=\"fixed\"/>"
	           "<w:tblLook w:val=\"04A0\"/></w:tblPr><w:tblGrid>");
	for (c = 0; c < g->ncols && err == JX_OK; c++)
		err = jx_buf_printf(b, "<w:gridCol w:w=\"%ld\"/>", tw[c]);
	if (err == JX_OK)
		err = jx_buf_adds(b, "</w:tblGrid>");
	for (r = 0; r < g->nrows && err == JX_OK; r++) {
		bool head = r < blk->header_rows;
		bool bold =
		        head || (blk->bold_rows != NULL && blk->bold_rows[r]);

		err = jx_buf_printf(b,
		                    "<w:tr><w:trPr><w:cantSplit/>%s</w:trPr>",
		                    head ? "<w:tblHeader/>" : "");
		for (c = 0; c < g->ncols && err == JX_OK; c++) {
			const struct jx_grid_merge *m = jx_grid_merged(g, r, c);
			uint32_t span = 1, k;
			long w = 0;
			const char *text = NULL, *jc;
			enum jx_doc_align al = blk->align != NULL
			                               ? blk->align[c]
			                               : JX_DOC_LEFT;

			if (m != NULL && c != m->c0)
				continue; /* inside a gridSpan */
			if (m != NULL)
				span = m->c1 - m->c0 + 1;
			for (k = 0; k < span; k++)
				w += tw[c + k];
			if (m == NULL || r == m->r0)
				text = jx_grid_get(g, r, c);
			jc = head || (m != NULL && m->r1 > m->r0) ? "center"
			     : al == JX_DOC_RIGHT                 ? "right"
			     : al == JX_DOC_CENTER                ? "center"
			                                          : "left";
			err = jx_buf_printf(b,
			                    "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" "
			                    "w:type=\"dxa\"/>",
			                    w);
			if (err == JX_OK && span > 1)
				err = jx_buf_printf(
				        b, "<w:gridSpan w:val=\"%u\"/>", span);
			if (err == JX_OK && m != NULL && m->r1 > m->r0)
				err = jx_buf_adds(
				        b, r == m->r0 ? "<w:vMerge "
				                        "w:val=\"restart\"/>"
				                      : "<w:vMerge/>");
			if (err == JX_OK && head)
				err = jx_buf_adds(b, "<w:shd w:val=\"clear\" "
				                     "w:color=\"auto\" "
				                     "w:fill=\"E7E6E6\"/>");
			if (err == JX_OK)
				err = jx_buf_adds(
				        b, "<w:vAlign "
				           "w:val=\"center\"/></w:tcPr>");
			if (err == JX_OK)
				err = jx_buf_printf(
				        b,
				        "<w:p><w:pPr><w:pStyle "
				        "w:val=\"TableText\"/>"
				        "<w:jc w:val=\"%s\"/></w:pPr>",
				        jc);
			if (err == JX_OK && text != NULL)
				err = runs(b, text,
				           bold ? "<w:rPr><w:b/></w:rPr>"
				                : NULL);
			if (err == JX_OK)
				err = jx_buf_adds(b, "</w:p></w:tc>");
		}
		if (err == JX_OK)
			err = jx_buf_adds(b, "</w:tr>");
	}
	if (err == JX_OK)
		err = jx_buf_adds(b, "</w:tbl>");
	free(tw);
	return err;
}

/* word/document.xml's body. */
static enum jx_err
body(struct jx_buf *b, const struct jx_doc *doc, struct jx_diag *d)
{
	long pw = doc->landscape ? PAGE_LONG : PAGE_SHORT;
	long ph = doc->landscape ? PAGE_SHORT : PAGE_LONG;
	long text_width = pw - 2 * MARGIN_LR;
	enum jx_err err;
	size_t i;

	err = jx_buf_adds(
	        b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
	           "standalone=\"yes\"?>\n<w:document xmlns:w=\"http://"
	           "schemas.openxmlformats.org/wordprocessingml/2006/main\" "
	           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
	           "2006/relationships\"><w:body>");
	for (i = 0; i < doc->nblocks && err == JX_OK; i++) {
		const struct jx_doc_block *blk = &doc->blocks[i];
		char style[16];

		if (blk->kind == JX_DOC_TABLE) {
			err = table(b, blk, text_width);
			/* Word needs a paragraph between two tables. */
			if (err == JX_OK)
				err = para(b, "TableAfter", NULL, NULL, "");
			continue;
		}
		switch (blk->kind) {
		case JX_DOC_TITLE:
			err = para(b, "Title", NULL, NULL, blk->text);
			break;
		case JX_DOC_SUBTITLE:
			err = para(b, "Subtitle", NULL, NULL, blk->text);
			break;
		case JX_DOC_HEADING:
			snprintf(style, sizeof(style), "Heading%d", blk->level);
			err = para(b, style, NULL, NULL, blk->text);
			break;
		case JX_DOC_PARA:
			err = para(b, NULL, NULL, NULL, blk->text);
			break;
		case JX_DOC_BLANK:
			err = para(b, "Blank", NULL, NULL, blk->text);
			break;
		case JX_DOC_NOTE:
			err = para(b, "Note", NULL, NULL, blk->text);
			break;
		case JX_DOC_PAGEBREAK:
			err = jx_buf_adds(b, "<w:p><w:r><w:br w:type=\"page\"/>"
			                     "</w:r></w:p>");
			break;
		case JX_DOC_TABLE:
			break;
		}
	}
	if (err == JX_OK)
		err = jx_buf_printf(
		        b,
		        "<w:sectPr><w:footerReference w:type=\"default\" "
		        "r:id=\"rIdFooter\"/><w:pgSz w:w=\"%ld\" "
		        "w:h=\"%ld\"%s/>"
		        "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" "
		        "w:left=\"%d\" w:header=\"851\" w:footer=\"992\" "
		        "w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
		        pw, ph, doc->landscape ? " w:orient=\"landscape\"" : "",
		        MARGIN_TB, MARGIN_LR, MARGIN_TB, MARGIN_LR);
	if (err == JX_ETOOBIG)
		jx_diag_set(d, JX_ETOOBIG, NULL, "文档过大，无法写出");
	else if (err == JX_ENOMEM && d->message[0] == '\0')
		jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	return err;
}

/* The fonts of a run: Latin and East Asian. */
#define FONTS(latin, cjk)                                                      \
	"<w:rFonts w:ascii=\"" latin "\" w:hAnsi=\"" latin                     \
	"\" w:eastAsia=\"" cjk "\" w:cs=\"" latin "\"/>"

static const char *const styles_xml[] = {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/"
        "wordprocessingml/2006/main\">",
        "<w:docDefaults><w:rPrDefault><w:rPr>" FONTS(
                "Times New Roman",
                "仿宋") "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang "
                        "w:val=\"en-US\" "
                        "w:eastAsia=\"zh-CN\"/></w:rPr></"
                        "w:rPrDefault><w:pPrDefault><w:pPr>"
                        "<w:spacing w:after=\"0\" w:line=\"360\" "
                        "w:lineRule=\"auto\"/>"
                        "</w:pPr></w:pPrDefault></w:docDefaults>",
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
        "<w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind "
        "w:firstLineChars=\"200\" w:firstLine=\"560\"/><w:jc "
        "w:val=\"both\"/></w:pPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name "
        "w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>"
        "<w:spacing w:before=\"240\" w:after=\"240\"/><w:ind "
        "w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc "
        "w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>" FONTS(
                "Times New Roman",
                "方正小标宋简体") "<w:sz w:val=\"40\"/><w:szCs "
                                  "w:val=\"40\"/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name "
        "w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
        "<w:pPr><w:spacing w:after=\"240\"/><w:ind w:firstLineChars=\"0\" "
        "w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr>"
        "<w:sz w:val=\"28\"/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name "
        "w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next "
        "w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing "
        "w:before=\"120\" w:after=\"60\"/><w:outlineLvl w:val=\"0\"/>"
        "</w:pPr><w:rPr>" FONTS("Times New Roman", "黑体") "</w:rPr>"
                                                           "</w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name "
        "w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next "
        "w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl "
        "w:val=\"1\"/></w:pPr><w:rPr>" FONTS("Times New Roman",
                                             "楷体") "<w:b/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name "
        "w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next "
        "w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl "
        "w:val=\"2\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Blank\"><w:name "
        "w:val=\"Blank\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:shd "
        "w:val=\"clear\" w:color=\"auto\" w:fill=\"EDEDED\"/></w:pPr>"
        "<w:rPr><w:color w:val=\"7F7F7F\"/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Note\"><w:name "
        "w:val=\"Note\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:ind "
        "w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/>"
        "</w:pPr><w:rPr><w:sz w:val=\"21\"/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name "
        "w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr>"
        "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind "
        "w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr><w:rPr>" FONTS(
                "Times New Roman", "宋体") "<w:sz w:val=\"18\"/><w:szCs "
                                           "w:val=\"18\"/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"TableAfter\"><w:name "
        "w:val=\"Table After\"/><w:basedOn w:val=\"Normal\"/><w:pPr>"
        "<w:spacing w:line=\"120\" w:lineRule=\"auto\"/></w:pPr><w:rPr>"
        "<w:sz w:val=\"8\"/></w:rPr></w:style>",
        "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name "
        "w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:ind "
        "w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc "
        "w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/></w:rPr>"
        "</w:style>",
        "<w:style w:type=\"table\" w:default=\"1\" "
        "w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
        "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top "
        "w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
        "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" "
        "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
        "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name "
        "w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr>"
        "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
        "w:color=\"000000\"/><w:left w:val=\"single\" w:sz=\"4\" "
        "w:space=\"0\" w:color=\"000000\"/><w:bottom w:val=\"single\" "
        "w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:right "
        "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
        "w:color=\"000000\"/><w:insideV w:val=\"single\" w:sz=\"4\" "
        "w:space=\"0\" w:color=\"000000\"/></w:tblBorders></w:tblPr>"
        "</w:style></w:styles>",
        NULL};

static const char types_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
        "content-types\"><Default Extension=\"rels\" ContentType=\""
        "application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\""
        "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "document.main+xml\"/><Override PartName=\"/word/styles.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument."
        "wordprocessingml.styles+xml\"/><Override "
        "PartName=\"/word/settings.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
        "<Override PartName=\"/word/fontTable.xml\" ContentType=\""
        "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "fontTable+xml\"/><Override PartName=\"/word/footer1.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument."
        "wordprocessingml.footer+xml\"/><Override "
        "PartName=\"/docProps/core.xml\" ContentType=\"application/"
        "vnd.openxmlformats-package.core-properties+xml\"/><Override "
        "PartName=\"/docProps/app.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        "</Types>";

static const char rels_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "officeDocument\" Target=\"word/document.xml\"/><Relationship "
        "Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
        "relationships/metadata/core-properties\" "
        "Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
        "</Relationships>";

static const char docrels_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"rIdStyles\" Type=\"http://"
        "schemas.openxmlformats.org/officeDocument/2006/relationships/"
        "styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/settings\" Target=\"settings.xml\"/><Relationship "
        "Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/fontTable\" "
        "Target=\"fontTable.xml\"/><Relationship Id=\"rIdFooter\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/footer\" Target=\"footer1.xml\"/></Relationships>";

static const char settings_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/"
        "wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"420\"/>"
        "<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
        "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
        "w:uri=\"http://schemas.microsoft.com/office/word\" "
        "w:val=\"15\"/></w:compat></w:settings>";

#define FONT_ENTRY(name, charset, family)                                      \
	"<w:font w:name=\"" name "\"><w:charset w:val=\"" charset "\"/>"       \
	"<w:family w:val=\"" family "\"/><w:pitch w:val=\"variable\"/>"        \
	"</w:font>"

static const char fonts_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/"
        "wordprocessingml/2006/main\">" FONT_ENTRY("Times New Roman", "00",
                                                   "roman")
                FONT_ENTRY("宋体", "86", "auto") FONT_ENTRY("仿宋", "86",
                                                            "modern")
                        FONT_ENTRY("黑体", "86", "modern")
                                FONT_ENTRY("楷体", "86", "modern")
                                        FONT_ENTRY("方正小标宋简体", "86",
                                                   "auto") "</w:fonts>";

static const char footer_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/"
        "wordprocessingml/2006/main\"><w:p><w:pPr><w:pStyle "
        "w:val=\"Footer\"/></w:pPr><w:r><w:t xml:space=\"preserve\">— "
        "</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>"
        "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t>"
        "</w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t "
        "xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

/* Every part but word/document.xml. */
static enum jx_err
fixed_parts(struct part *p, const struct jx_doc *doc)
{
	enum jx_err err;
	const char *title = doc->title != NULL ? doc->title : "";
	size_t k;

	err = jx_buf_adds(&p[P_TYPES].buf, types_xml);
	if (err == JX_OK)
		err = jx_buf_adds(&p[P_RELS].buf, rels_xml);
	if (err == JX_OK)
		err = jx_buf_adds(&p[P_DOCRELS].buf, docrels_xml);
	for (k = 0; err == JX_OK && styles_xml[k] != NULL; k++)
		err = jx_buf_adds(&p[P_STYLES].buf, styles_xml[k]);
	if (err == JX_OK)
		err = jx_buf_adds(&p[P_SETTINGS].buf, settings_xml);
	if (err == JX_OK)
		err = jx_buf_adds(&p[P_FONTS].buf, fonts_xml);
	if (err == JX_OK)
		err = jx_buf_adds(&p[P_FOOTER].buf, footer_xml);
	if (err == JX_OK)
		err = jx_buf_adds(
		        &p[P_CORE].buf,
		        "<?xml version=\"1.0\" encoding=\"UTF-8\" "
		        "standalone=\"yes\"?>\n<cp:coreProperties "
		        "xmlns:cp=\"http://schemas.openxmlformats.org/package/"
		        "2006/metadata/core-properties\" xmlns:dc=\"http://"
		        "purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://"
		        "purl.org/dc/terms/\" "
		        "xmlns:xsi=\"http://www.w3.org/2001/"
		        "XMLSchema-instance\"><dc:title>");
	if (err == JX_OK)
		err = esc(&p[P_CORE].buf, title);
	if (err == JX_OK)
		err = jx_buf_adds(
		        &p[P_CORE].buf,
		        "</dc:title><dc:creator>jixiao</dc:creator>"
		        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">"
		        "2020-01-01T00:00:00Z</"
		        "dcterms:created><dcterms:modified "
		        "xsi:type=\"dcterms:W3CDTF\">2020-01-01T00:00:00Z"
		        "</dcterms:modified></cp:coreProperties>");
	if (err == JX_OK)
		err = jx_buf_adds(
		        &p[P_APP].buf,
		        "<?xml version=\"1.0\" encoding=\"UTF-8\" "
		        "standalone=\"yes\"?>\n<Properties xmlns=\"http://"
		        "schemas.openxmlformats.org/officeDocument/2006/"
		        "extended-properties\"><Application>jixiao "
		        "" JX_VERSION "</Application></Properties>");
	return err;
}

/* Zip the parts into tmp. */
static enum jx_err
zip_parts(const char *tmp, struct part *p, struct jx_diag *d)
{
	zip_t *za;
	int zerr = 0, i;

	za = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (za == NULL)
		return jx_diag_set(d, JX_EIO, tmp, "无法创建文件");
	for (i = 0; i < NPARTS; i++) {
		zip_source_t *src;
		zip_int64_t idx;

		src = zip_source_buffer(za, p[i].buf.data, p[i].buf.len, 0);
		if (src == NULL)
			goto fail;
		idx = zip_file_add(za, p[i].name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(src);
			goto fail;
		}
		if (zip_file_set_mtime(za, (zip_uint64_t)idx, DOCXW_MTIME, 0) !=
		    0)
			goto fail;
	}
	if (zip_close(za) != 0) {
		jx_diag_set(d, JX_EIO, tmp, "%s", zip_strerror(za));
		zip_discard(za);
		return JX_EIO;
	}
	return JX_OK;
fail:
	jx_diag_set(d, JX_EIO, tmp, "%s", zip_strerror(za));
	zip_discard(za);
	return JX_EIO;
}

enum jx_err
jx_docxw_write(const char *path, const struct jx_doc *doc, struct jx_diag *d)
{
	struct part parts[NPARTS];
	char *tmp = NULL;
	size_t plen;
	enum jx_err err = JX_OK;
	int i;

	if (path == NULL || path[0] == '\0' || doc == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	for (i = 0; i < NPARTS; i++) {
		parts[i].name = part_names[i];
		jx_buf_init(&parts[i].buf, DOCXW_MAX_PART);
	}
	err = jx_doc_check(doc, d);
	if (err == JX_OK)
		err = body(&parts[P_DOC].buf, doc, d);
	if (err == JX_OK) {
		err = fixed_parts(parts, doc);
		if (err != JX_OK)
			jx_diag_set(d, err, NULL, "内存不足");
	}
	if (err != JX_OK)
		goto done;
	plen = strlen(path);
	tmp = malloc(plen + 6);
	if (tmp == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".part", 6);
	err = zip_parts(tmp, parts, d);
	if (err == JX_OK && rename(tmp, path) != 0)
		err = jx_diag_set(d, JX_EIO, path, "%s", strerror(errno));
	if (err != JX_OK)
		unlink(tmp);
done:
	if (err != JX_OK && d != NULL && d->file[0] == '\0')
		jx_diag_set_file(d, path);
	for (i = 0; i < NPARTS; i++)
		jx_buf_free(&parts[i].buf);
	free(tmp);
	return err;
}
