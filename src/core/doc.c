/*
 * doc.c - the block document (doc.h): appending blocks in an arena. It
 * neither lays out nor writes anything; the renderers do.
 */
#include <string.h>

#include "jx/doc.h"

static struct jx_doc_block *doc_next(struct jx_doc *doc);

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
