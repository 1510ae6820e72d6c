/*
 * arena.c - bump allocation in malloc'd blocks. A block that would be mostly
 * wasted by one large request gets a dedicated block instead. Reset keeps the
 * oldest block so loops over many records do not touch malloc.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx/arena.h"

struct jx_arena_block {
	struct jx_arena_block *next; /* older block */
	size_t size;                 /* usable bytes in data */
	size_t used;
	max_align_t data[];
};

#define ARENA_ALIGN         (sizeof(max_align_t))
#define ARENA_DEFAULT_BLOCK ((size_t)64 * 1024)

static struct jx_arena_block *block_new(struct jx_arena *a, size_t size);

void
jx_arena_init(struct jx_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size != 0 ? block_size : ARENA_DEFAULT_BLOCK;
	a->total = 0;
	a->limit = 0;
}

void
jx_arena_cleanup(struct jx_arena *a)
{
	struct jx_arena_block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->total = 0;
}

void
jx_arena_reset(struct jx_arena *a)
{
	struct jx_arena_block *b, *next;

	if (a->head == NULL)
		return;
	/* Free all but the oldest block (the tail of the list). */
	b = a->head;
	while (b->next != NULL) {
		next = b->next;
		a->total -= sizeof(*b) + b->size;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

static struct jx_arena_block *
block_new(struct jx_arena *a, size_t size)
{
	struct jx_arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	if (a->limit != 0 && a->total + sizeof(*b) + size > a->limit)
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (b == NULL)
		return NULL;
	b->size = size;
	b->used = 0;
	a->total += sizeof(*b) + size;
	return b;
}

void *
jx_arena_alloc(struct jx_arena *a, size_t n)
{
	struct jx_arena_block *b = a->head, *nb;
	size_t need;
	void *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (b != NULL && b->size - b->used >= need) {
		p = (char *)b->data + b->used;
		b->used += need;
		return p;
	}
	if (need > a->block_size / 4) {
		/* Large: its own block, linked behind the head so the head's
		 * free space stays usable. */
		nb = block_new(a, need);
		if (nb == NULL)
			return NULL;
		nb->used = need;
		if (b == NULL) {
			nb->next = NULL;
			a->head = nb;
		} else {
			nb->next = b->next;
			b->next = nb;
		}
		return nb->data;
	}
	nb = block_new(a, a->block_size);
	if (nb == NULL)
		return NULL;
	nb->next = b;
	a->head = nb;
	nb->used = need;
	return nb->data;
}

void *
jx_arena_calloc(struct jx_arena *a, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	p = jx_arena_alloc(a, n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

char *
jx_arena_strndup(struct jx_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = jx_arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *
jx_arena_grow(struct jx_arena *a, void *old, size_t old_n, size_t new_n,
              size_t size)
{
	void *p;

	if (new_n < old_n)
		return NULL;
	if (size != 0 && new_n > SIZE_MAX / size)
		return NULL;
	p = jx_arena_alloc(a, new_n * size);
	if (p == NULL)
		return NULL;
	if (old != NULL && old_n > 0)
		memcpy(p, old, old_n * size);
	return p;
}
