/*
 * doc.c - the block document (doc.h): appending blocks in an arena. It
 * neither lays out nor writes anything; the renderers do.
 */
#include <stdio.h>
#include <string.h>

#include "jx/doc.h"
#include "jx/text.h"

static struct jx_doc_block *doc_next(struct jx_doc *doc);
static enum jx_err check_text(const char *s, size_t block, int row, int col,
                              struct jx_diag *d);

void
jx_doc_init(struct jx_doc *doc, struct jx_arena *a)
{
	memset(doc, 0, sizeof(*doc));
	doc->arena = a;
}

/* Room for one more block, zeroed, or NULL. */
static struct jx_doc_block *
doc_next(struct jx_doc *doc)
{
	struct jx_doc_block *b;

	if (doc->nblocks >= JX_DOC_MAX_BLOCKS)
		return NULL;
	if (doc->nblocks == doc->cap) {
		size_t cap = doc->cap != 0 ? doc->cap * 2 : 32;

		b = jx_arena_grow(doc->arena, doc->blocks, doc->cap, cap,
		                  sizeof(*b));
		if (b == NULL)
			return NULL;
		doc->blocks = b;
		doc->cap = cap;
	}
	b = &doc->blocks[doc->nblocks];
	memset(b, 0, sizeof(*b));
	return b;
}

struct jx_doc_block *
jx_doc_add(struct jx_doc *doc, enum jx_doc_kind kind, int level,
           const char *text)
{
	struct jx_doc_block *b;
	const char *s = text != NULL ? text : "";

	if (kind == JX_DOC_TABLE)
		return NULL;
	b = doc_next(doc);
	if (b == NULL)
		return NULL;
	b->text = jx_arena_strndup(doc->arena, s, strlen(s));
	if (b->text == NULL)
		return NULL;
	b->kind = kind;
	if (kind == JX_DOC_HEADING)
		b->level = level < 1 ? 1 : level > 3 ? 3 : level;
	doc->nblocks++;
	return b;
}

struct jx_doc_block *
jx_doc_add_table(struct jx_doc *doc, const struct jx_grid *grid,
                 uint32_t header_rows, const uint32_t *widths,
                 const enum jx_doc_align *align, const bool *bold_rows)
{
	struct jx_doc_block *b;
	size_t nc, nr;

	if (grid == NULL || header_rows > grid->nrows || grid->ncols == 0)
		return NULL;
	nc = grid->ncols;
	nr = grid->nrows;
	b = doc_next(doc);
	if (b == NULL)
		return NULL;
	b->kind = JX_DOC_TABLE;
	b->table = grid;
	b->header_rows = header_rows;
	if (widths != NULL) {
		uint32_t *w = jx_arena_alloc(doc->arena, nc * sizeof(*w));

		if (w == NULL)
			return NULL;
		memcpy(w, widths, nc * sizeof(*w));
		b->widths = w;
	}
	if (align != NULL) {
		enum jx_doc_align *al =
		        jx_arena_alloc(doc->arena, nc * sizeof(*al));

		if (al == NULL)
			return NULL;
		memcpy(al, align, nc * sizeof(*al));
		b->align = al;
	}
	if (bold_rows != NULL && nr > 0) {
		bool *br = jx_arena_alloc(doc->arena, nr * sizeof(*br));

		if (br == NULL)
			return NULL;
		memcpy(br, bold_rows, nr * sizeof(*br));
		b->bold_rows = br;
	}
	doc->nblocks++;
	return b;
}

/* One text: valid UTF-8, only characters every renderer carries. */
static enum jx_err
check_text(const char *s, size_t block, int row, int col, struct jx_diag *d)
{
	size_t len = strlen(s), i = 0;
	char where[96];

	if (row >= 0)
		snprintf(where, sizeof(where), "第%zu块 表格第%d行第%d列",
		         block + 1, row + 1, col + 1);
	else
		snprintf(where, sizeof(where), "第%zu块", block + 1);
	if (!jx_text_utf8_valid(s, len))
		return jx_diag_set(d, JX_EINVAL, where,
		                   "文字不是有效的 UTF-8 编码");
	while (i < len) {
		int32_t cp = jx_text_utf8_next(s, len, &i);

		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xFFFE || cp == 0xFFFF)
			return jx_diag_set(d, JX_EINVAL, where,
			                   "文字含有文档不能保存的控制字符");
	}
	return JX_OK;
}

enum jx_err
jx_doc_check(const struct jx_doc *doc, struct jx_diag *d)
{
	enum jx_err err = JX_OK;
	size_t i;

	if (doc->title != NULL)
		err = check_text(doc->title, 0, -1, -1, d);
	for (i = 0; i < doc->nblocks && err == JX_OK; i++) {
		const struct jx_doc_block *b = &doc->blocks[i];
		uint32_t r, c;

		if (b->kind != JX_DOC_TABLE) {
			err = check_text(b->text, i, -1, -1, d);
			continue;
		}
		for (r = 0; r < b->table->nrows && err == JX_OK; r++)
			for (c = 0; c < b->table->ncols && err == JX_OK; c++) {
				const char *t = jx_grid_get(b->table, r, c);

				if (t != NULL)
					err = check_text(t, i, (int)r, (int)c,
					                 d);
			}
	}
	return err;
}
