/*
 * pdf.c - a block document (doc.h) as PDF through cairo and pango: text
 * laid out by pango (Noto CJK through fontconfig, wrapping between any two
 * CJK characters), drawn on an A4 cairo PDF surface that embeds the fonts
 * it uses as subsets.
 *
 * The document is flowed twice by the same code: the first pass only
 * measures and counts the pages, the second draws them, so the footer can
 * say "第 N 页 共 M 页". Paragraphs break between lines; a heading is not
 * left alone at the foot of a page; a table row is never split: it moves
 * to the next page, where the table's header rows are drawn again (a row
 * taller than a page is cut to the page). A merged range is one cell; when
 * it runs over a page break each page shows its part with the text again.
 *
 * Written to "<path>.part" and renamed over path when cairo reports
 * success. It lays out and draws; it does not know what the blocks mean.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx/pdf.h"

/* Page and type, in points (1/72 inch). */
#define A4_SHORT    595.28
#define A4_LONG     841.89
#define MARGIN_SIDE 56.0
#define MARGIN_TOP  56.0
#define MARGIN_FOOT 62.0
#define CELL_PAD    3.0
#define LINE_W      0.6
#define SERIF       "Noto Serif CJK SC"
#define SANS        "Noto Sans CJK SC"

/* One table row placed on a page. */
struct place {
	uint32_t row;
	double y, h;
};

struct pdf {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoLayout *lay;  /* the layout of everything but the footer */
	PangoLayout *foot; /* the footer's (drawn while lay is iterated) */
	PangoFontDescription *f_title, *f_sub, *f_h1, *f_h2, *f_h3, *f_body,
	        *f_note, *f_cell, *f_cell_bold;
	double pw, ph; /* page size */
	double y;      /* where the next thing goes */
	int page;      /* 0-based page being laid out */
	int npages;    /* total, known in the drawing pass */
	bool draw;     /* false: measure only */
	bool on_page;  /* something is on the current page */
};

static PangoFontDescription *font(const char *family, double size, bool bold);
static double text_layout(struct pdf *p, const PangoFontDescription *f,
                          const char *text, double width, PangoAlignment al,
                          double indent);
static void new_page(struct pdf *p);
static void footer(struct pdf *p);
static void flow_text(struct pdf *p, const PangoFontDescription *f,
                      const char *text, PangoAlignment al, double indent,
                      double before, double after, bool shade, bool grey);
static void flow_table(struct pdf *p, const struct jx_doc_block *b);
static void draw_rows(struct pdf *p, const struct jx_doc_block *b,
                      const double *cw, const struct place *pl, size_t n);
static void flow(struct pdf *p, const struct jx_doc *doc);

static double
bottom(const struct pdf *p)
{
	return p->ph - MARGIN_FOOT;
}

static double
text_width(const struct pdf *p)
{
	return p->pw - 2 * MARGIN_SIDE;
}

static PangoFontDescription *
font(const char *family, double size, bool bold)
{
	PangoFontDescription *f = pango_font_description_new();

	pango_font_description_set_family(f, family);
	pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
	pango_font_description_set_weight(f, bold ? PANGO_WEIGHT_BOLD
	                                          : PANGO_WEIGHT_NORMAL);
	return f;
}

/* Lay text out in the shared layout; its height. */
static double
text_layout(struct pdf *p, const PangoFontDescription *f, const char *text,
            double width, PangoAlignment al, double indent)
{
	PangoRectangle logical;

	pango_layout_set_font_description(p->lay, f);
	pango_layout_set_width(p->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, al);
	pango_layout_set_indent(p->lay, (int)(indent * PANGO_SCALE));
	pango_layout_set_text(p->lay, text, -1);
	pango_layout_get_extents(p->lay, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

static void
footer(struct pdf *p)
{
	char s[64];
	double h;
	int ih;

	if (!p->draw)
		return;
	snprintf(s, sizeof(s), "第 %d 页 共 %d 页", p->page + 1, p->npages);
	pango_layout_set_font_description(p->foot, p->f_note);
	pango_layout_set_width(p->foot, (int)(text_width(p) * PANGO_SCALE));
	pango_layout_set_alignment(p->foot, PANGO_ALIGN_CENTER);
	pango_layout_set_text(p->foot, s, -1);
	pango_layout_get_size(p->foot, NULL, &ih);
	h = (double)ih / PANGO_SCALE;
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_move_to(p->cr, MARGIN_SIDE, p->ph - MARGIN_FOOT / 2 - h / 2);
	pango_cairo_show_layout(p->cr, p->foot);
	cairo_restore(p->cr);
}

static void
new_page(struct pdf *p)
{
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN_TOP;
	p->on_page = false;
}

/* A paragraph, broken between lines across pages. */
static void
flow_text(struct pdf *p, const PangoFontDescription *f, const char *text,
          PangoAlignment al, double indent, double before, double after,
          bool shade, bool grey)
{
	PangoLayoutIter *it;
	double tw = text_width(p);

	text_layout(p, f, text[0] != '\0' ? text : " ", tw, al, indent);
	if (p->on_page)
		p->y += before;
	it = pango_layout_get_iter(p->lay);
	do {
		PangoRectangle lr;
		double lh, base;

		pango_layout_iter_get_line_extents(it, NULL, &lr);
		lh = (double)lr.height / PANGO_SCALE;
		base = (double)(pango_layout_iter_get_baseline(it) - lr.y) /
		       PANGO_SCALE;
		if (p->y + lh > bottom(p) && p->on_page)
			new_page(p);
		if (p->draw) {
			if (shade) {
				cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
				cairo_rectangle(p->cr, MARGIN_SIDE, p->y, tw,
				                lh);
				cairo_fill(p->cr);
			}
			if (grey)
				cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
			else
				cairo_set_source_rgb(p->cr, 0, 0, 0);
			cairo_move_to(p->cr,
			              MARGIN_SIDE + (double)lr.x / PANGO_SCALE,
			              p->y + base);
			pango_cairo_show_layout_line(
			        p->cr, pango_layout_iter_get_line_readonly(it));
		}
		p->y += lh;
		p->on_page = true;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y += after;
}

/* The font of a table cell. */
static const PangoFontDescription *
cell_font(const struct pdf *p, const struct jx_doc_block *b, uint32_t r)
{
	return r < b->header_rows || (b->bold_rows != NULL && b->bold_rows[r])
	               ? p->f_cell_bold
	               : p->f_cell;
}

static PangoAlignment
cell_align(const struct jx_doc_block *b, uint32_t r, uint32_t c,
           const struct jx_grid_merge *m)
{
	enum jx_doc_align a;

	if (r < b->header_rows || (m != NULL && m->r1 > m->r0))
		return PANGO_ALIGN_CENTER;
	a = b->align != NULL ? b->align[c] : JX_DOC_LEFT;
	return a == JX_DOC_RIGHT    ? PANGO_ALIGN_RIGHT
	       : a == JX_DOC_CENTER ? PANGO_ALIGN_CENTER
	                            : PANGO_ALIGN_LEFT;
}

/* Width of columns c0..c1. */
static double
span_width(const double *cw, uint32_t c0, uint32_t c1)
{
	double w = 0;
	uint32_t c;

	for (c = c0; c <= c1; c++)
		w += cw[c];
	return w;
}

/* Draw the cells of the rows placed on one page. */
static void
draw_rows(struct pdf *p, const struct jx_doc_block *b, const double *cw,
          const struct place *pl, size_t n)
{
	const struct jx_grid *g = b->table;
	size_t i, j;
	uint32_t c;

	if (!p->draw)
		return;
	cairo_set_line_width(p->cr, LINE_W);
	for (i = 0; i < n; i++) {
		uint32_t r = pl[i].row;
		double x = MARGIN_SIDE;

		for (c = 0; c < g->ncols; x += cw[c], c++) {
			const struct jx_grid_merge *m = jx_grid_merged(g, r, c);
			uint32_t c1 = m != NULL ? m->c1 : c;
			uint32_t r1 = m != NULL ? m->r1 : r;
			double w, h = 0, th;
			const char *t;
			bool cont = i > 0 && pl[i - 1].row + 1 == r;

			if (m != NULL && c != m->c0)
				continue;
			/* A merged range continuing from the row above on
			 * this page was drawn with it. */
			if (m != NULL && r != m->r0 && cont)
				continue;
			for (j = i; j < n && pl[j].row <= r1 &&
			            (j == i || pl[j].row == pl[j - 1].row + 1);
			     j++)
				h += pl[j].h;
			w = span_width(cw, c, c1);
			cairo_save(p->cr);
			cairo_rectangle(p->cr, x, pl[i].y, w, h);
			if (r < b->header_rows) {
				cairo_set_source_rgb(p->cr, 0.9, 0.9, 0.9);
				cairo_fill_preserve(p->cr);
			}
			cairo_clip(p->cr);
			t = jx_grid_get(g, m != NULL ? m->r0 : r, c);
			if (t != NULL && t[0] != '\0') {
				th = text_layout(p, cell_font(p, b, r), t,
				                 w - 2 * CELL_PAD,
				                 cell_align(b, r, c, m), 0);
				cairo_set_source_rgb(p->cr, 0, 0, 0);
				cairo_move_to(p->cr, x + CELL_PAD,
				              pl[i].y + (th + 2 * CELL_PAD < h
				                                 ? (h - th) / 2
				                                 : CELL_PAD));
				pango_cairo_show_layout(p->cr, p->lay);
			}
			cairo_restore(p->cr);
			cairo_set_source_rgb(p->cr, 0, 0, 0);
			cairo_rectangle(p->cr, x, pl[i].y, w, h);
			cairo_stroke(p->cr);
		}
	}
}

/* A table: rows measured, placed page by page, header rows repeated. */
static void
flow_table(struct pdf *p, const struct jx_doc_block *b)
{
	const struct jx_grid *g = b->table;
	double *cw = NULL, *rh = NULL, tw = text_width(p), minh, usable;
	struct place *pl = NULL;
	uint64_t sum = 0;
	size_t n = 0;
	uint32_t r, c, k;

	if (g->nrows == 0 || g->ncols == 0)
		return;
	cw = calloc(g->ncols, sizeof(*cw));
	rh = calloc(g->nrows, sizeof(*rh));
	pl = calloc((size_t)g->nrows * 2 + 2, sizeof(*pl));
	if (cw == NULL || rh == NULL || pl == NULL)
		goto done; /* jx_pdf_write reports ENOMEM from cairo's state */
	for (c = 0; c < g->ncols; c++)
		sum += b->widths != NULL && b->widths[c] > 0 ? b->widths[c] : 1;
	for (c = 0; c < g->ncols; c++)
		cw[c] = tw *
		        (double)(b->widths != NULL && b->widths[c] > 0
		                         ? b->widths[c]
		                         : 1) /
		        (double)sum;
	minh = text_layout(p, p->f_cell, "国", tw, PANGO_ALIGN_LEFT, 0) +
	       2 * CELL_PAD;
	usable = bottom(p) - MARGIN_TOP;
	/* Row heights from the cells of one row, then merged ranges. */
	for (r = 0; r < g->nrows; r++) {
		rh[r] = minh;
		for (c = 0; c < g->ncols; c++) {
			const struct jx_grid_merge *m = jx_grid_merged(g, r, c);
			const char *t = jx_grid_get(g, r, c);
			double h;

			if (t == NULL || t[0] == '\0' ||
			    (m != NULL &&
			     (m->c0 != c || m->r0 != r || m->r1 != m->r0)))
				continue;
			h = text_layout(
			            p, cell_font(p, b, r), t,
			            span_width(cw, c, m != NULL ? m->c1 : c) -
			                    2 * CELL_PAD,
			            PANGO_ALIGN_LEFT, 0) +
			    2 * CELL_PAD;
			if (h > rh[r])
				rh[r] = h;
		}
	}
	for (k = 0; k < g->nmerges; k++) {
		const struct jx_grid_merge *m = &g->merges[k];
		const char *t = jx_grid_get(g, m->r0, m->c0);
		double need, have = 0;

		if (m->r1 == m->r0 || t == NULL || t[0] == '\0' ||
		    m->r1 >= g->nrows)
			continue;
		need = text_layout(p, cell_font(p, b, m->r0), t,
		                   span_width(cw, m->c0, m->c1) - 2 * CELL_PAD,
		                   PANGO_ALIGN_LEFT, 0) +
		       2 * CELL_PAD;
		for (r = m->r0; r <= m->r1; r++)
			have += rh[r];
		if (need > have)
			rh[m->r1] += need - have;
	}
	for (r = 0; r < g->nrows; r++)
		if (rh[r] > usable / 2 && r < b->header_rows)
			rh[r] = usable / 2;
		else if (rh[r] > usable)
			rh[r] = usable;
	/* Do not start a table whose header and first row do not fit. */
	{
		double first = 0;

		for (r = 0; r < g->nrows && r <= b->header_rows; r++)
			first += rh[r];
		if (p->on_page && p->y + first > bottom(p))
			new_page(p);
	}
	for (r = 0; r < g->nrows; r++) {
		if (p->y + rh[r] > bottom(p) && n > 0) {
			draw_rows(p, b, cw, pl, n);
			n = 0;
			new_page(p);
			for (k = 0; k < b->header_rows && r >= b->header_rows;
			     k++) {
				pl[n].row = k;
				pl[n].y = p->y;
				pl[n].h = rh[k];
				p->y += rh[k];
				n++;
			}
		}
		pl[n].row = r;
		pl[n].y = p->y;
		pl[n].h = rh[r];
		p->y += rh[r];
		n++;
		p->on_page = true;
	}
	draw_rows(p, b, cw, pl, n);
	p->y += 8;
done:
	free(cw);
	free(rh);
	free(pl);
}

/* Lay out (and in the drawing pass draw) the whole document. */
static void
flow(struct pdf *p, const struct jx_doc *doc)
{
	size_t i;
	double line = text_layout(p, p->f_body, "国", 100, PANGO_ALIGN_LEFT, 0);

	p->page = 0;
	p->y = MARGIN_TOP;
	p->on_page = false;
	for (i = 0; i < doc->nblocks; i++) {
		const struct jx_doc_block *b = &doc->blocks[i];

		switch (b->kind) {
		case JX_DOC_TITLE:
			flow_text(p, p->f_title, b->text, PANGO_ALIGN_CENTER, 0,
			          12, 10, false, false);
			break;
		case JX_DOC_SUBTITLE:
			flow_text(p, p->f_sub, b->text, PANGO_ALIGN_CENTER, 0,
			          0, 10, false, false);
			break;
		case JX_DOC_HEADING:
			/* Not alone at the foot of a page. */
			if (p->on_page && p->y + 4 * line > bottom(p))
				new_page(p);
			flow_text(p,
			          b->level == 1   ? p->f_h1
			          : b->level == 2 ? p->f_h2
			                          : p->f_h3,
			          b->text, PANGO_ALIGN_LEFT, 0, 8, 4, false,
			          false);
			break;
		case JX_DOC_PARA:
			flow_text(p, p->f_body, b->text, PANGO_ALIGN_LEFT,
			          2 * line, 0, 4, false, false);
			break;
		case JX_DOC_BLANK:
			flow_text(p, p->f_body, b->text, PANGO_ALIGN_LEFT,
			          2 * line, 2, 6, true, true);
			break;
		case JX_DOC_NOTE:
			flow_text(p, p->f_note, b->text, PANGO_ALIGN_RIGHT, 0,
			          0, 2, false, false);
			break;
		case JX_DOC_PAGEBREAK:
			if (p->on_page)
				new_page(p);
			break;
		case JX_DOC_TABLE:
			flow_table(p, b);
			break;
		}
	}
}

enum jx_err
jx_pdf_write(const char *path, const struct jx_doc *doc, struct jx_diag *d)
{
	struct pdf p;
	char *tmp = NULL;
	size_t plen;
	enum jx_err err = JX_OK;
	cairo_status_t st;
	cairo_font_options_t *fo = NULL;

	if (path == NULL || path[0] == '\0' || doc == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	err = jx_doc_check(doc, d);
	if (err != JX_OK)
		return err;
	memset(&p, 0, sizeof(p));
	plen = strlen(path);
	tmp = malloc(plen + 6);
	if (tmp == NULL)
		return jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".part", 6);
	p.pw = doc->landscape ? A4_LONG : A4_SHORT;
	p.ph = doc->landscape ? A4_SHORT : A4_LONG;
	p.surf = cairo_pdf_surface_create(tmp, p.pw, p.ph);
	st = cairo_surface_status(p.surf);
	if (st != CAIRO_STATUS_SUCCESS) {
		err = jx_diag_set(d, JX_EIO, path, "无法创建文件: %s",
		                  cairo_status_to_string(st));
		goto done;
	}
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE,
	                               doc->title != NULL ? doc->title : "");
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR,
	                               "jixiao " JX_VERSION);
	p.cr = cairo_create(p.surf);
	p.lay = pango_cairo_create_layout(p.cr);
	p.foot = pango_cairo_create_layout(p.cr);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(p.lay),
	                                     fo);
	pango_layout_context_changed(p.lay);
	pango_cairo_context_set_font_options(pango_layout_get_context(p.foot),
	                                     fo);
	pango_layout_context_changed(p.foot);
	p.f_title = font(SANS, 20, true);
	p.f_sub = font(SERIF, 12, false);
	p.f_h1 = font(SANS, 14, true);
	p.f_h2 = font(SANS, 12, true);
	p.f_h3 = font(SERIF, 12, true);
	p.f_body = font(SERIF, 12, false);
	p.f_note = font(SERIF, 9.5, false);
	p.f_cell = font(SERIF, doc->landscape ? 8.5 : 9.5, false);
	p.f_cell_bold = font(SANS, doc->landscape ? 8.5 : 9.5, true);

	p.draw = false; /* measure */
	flow(&p, doc);
	p.npages = p.page + 1;
	p.draw = true;
	flow(&p, doc);
	footer(&p);
	cairo_show_page(p.cr);

	st = cairo_status(p.cr);
	cairo_destroy(p.cr);
	p.cr = NULL;
	cairo_surface_finish(p.surf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p.surf);
	if (st == CAIRO_STATUS_NO_MEMORY)
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
	else if (st != CAIRO_STATUS_SUCCESS)
		err = jx_diag_set(d, JX_EIO, path, "写出 PDF 失败: %s",
		                  cairo_status_to_string(st));
done:
	if (p.lay != NULL)
		g_object_unref(p.lay);
	if (p.foot != NULL)
		g_object_unref(p.foot);
	if (p.cr != NULL)
		cairo_destroy(p.cr);
	if (p.surf != NULL)
		cairo_surface_destroy(p.surf);
	if (fo != NULL)
		cairo_font_options_destroy(fo);
	if (p.f_title != NULL) {
		pango_font_description_free(p.f_title);
		pango_font_description_free(p.f_sub);
		pango_font_description_free(p.f_h1);
		pango_font_description_free(p.f_h2);
		pango_font_description_free(p.f_h3);
		pango_font_description_free(p.f_body);
		pango_font_description_free(p.f_note);
		pango_font_description_free(p.f_cell);
		pango_font_description_free(p.f_cell_bold);
	}
	if (err == JX_OK && rename(tmp, path) != 0)
		err = jx_diag_set(d, JX_EIO, path, "%s", strerror(errno));
	if (err != JX_OK)
		unlink(tmp);
	free(tmp);
	return err;
}
