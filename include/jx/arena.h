/*
 * arena.h - a bump allocator for memory that dies together: one
 * self-evaluation read from a file, one HTTP request, one rule set.
 *
 * Blocks are malloc'd as needed; jx_arena_reset keeps the first block so a
 * loop over a million records reuses it and memory stays flat. Allocation
 * failure returns NULL (callers report JX_ENOMEM); nothing aborts.
 */
#ifndef JX_ARENA_H
#define JX_ARENA_H

#include <stddef.h>

struct jx_arena_block;

struct jx_arena {
	struct jx_arena_block *head; /* newest block */
	size_t block_size;           /* default size of a new block */
	size_t total; /* bytes obtained from malloc, all blocks */
	size_t limit; /* 0 = none; else fail past this many bytes */
};

/* Prepare a (caller's storage). block_size 0 picks 64 KiB. No allocation. */
void jx_arena_init(struct jx_arena *a, size_t block_size);

/* Free every block; a is left initialised and empty. Accepts NULL. */
void jx_arena_cleanup(struct jx_arena *a);

/* Forget every allocation but keep the oldest block for reuse. */
void jx_arena_reset(struct jx_arena *a);

/* n bytes aligned for any type, or NULL (out of memory or over limit).
 * Valid until the next reset or cleanup. */
void *jx_arena_alloc(struct jx_arena *a, size_t n);

/* jx_arena_alloc, zero-filled; n * size checked for overflow. */
void *jx_arena_calloc(struct jx_arena *a, size_t n, size_t size);

/* A NUL-terminated copy of s[0..len) in the arena, or NULL. */
char *jx_arena_strndup(struct jx_arena *a, const char *s, size_t len);

/* Grow an array held in the arena: returns a new array of new_n elements
 * with the first old_n copied, or NULL. */
void *jx_arena_grow(struct jx_arena *a, void *old, size_t old_n, size_t new_n,
                    size_t size);

#endif
