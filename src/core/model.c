/*
 * model.c - life cycle of struct jx_eval and small helpers over the model.
 * The model is plain data; parsing it is evaljson.c's job, scoring score.c's.
 */
#include <stdio.h>
#include <string.h>

#include "jx/model.h"

#define EVAL_ARENA_BLOCK ((size_t)32 * 1024)

static void *room_for_one(struct jx_arena *a, void *arr, size_t n, size_t *cap,
                          size_t first, size_t size);

/* arr (n elements of `size` bytes, room for *cap) with room for one more:
 * arr itself, or a copy in a with room for `first` elements, then twice as
 * many as before. NULL when out of memory (*cap unchanged). */
static void *
room_for_one(struct jx_arena *a, void *arr, size_t n, size_t *cap, size_t first,
             size_t size)
{
	size_t want;

	if (n < *cap)
		return arr;
	want = *cap != 0 ? *cap * 2 : first;
	arr = jx_arena_grow(a, arr, n, want, size);
	if (arr != NULL)
		*cap = want;
	return arr;
}

void
jx_eval_init(struct jx_eval *e)
{
	memset(e, 0, sizeof(*e));
	jx_arena_init(&e->arena, EVAL_ARENA_BLOCK);
}

void
jx_eval_cleanup(struct jx_eval *e)
{
	if (e == NULL)
		return;
	jx_arena_cleanup(&e->arena);
	memset(e, 0, sizeof(*e));
	jx_arena_init(&e->arena, EVAL_ARENA_BLOCK);
}

void
jx_eval_reset(struct jx_eval *e)
{
	struct jx_arena keep = e->arena;

	jx_arena_reset(&keep);
	memset(e, 0, sizeof(*e));
	e->arena = keep;
}

struct jx_indicator *
jx_eval_add_indicator(struct jx_eval *e, size_t *cap)
{
	struct jx_indicator *v = room_for_one(
	        &e->arena, e->indicators, e->nindicators, cap, 16, sizeof(*v));

	if (v == NULL)
		return NULL;
	e->indicators = v;
	return memset(&v[e->nindicators++], 0, sizeof(*v));
}

struct jx_goal *
jx_eval_add_goal(struct jx_eval *e, size_t *cap)
{
	struct jx_goal *v = room_for_one(&e->arena, e->goals, e->ngoals, cap, 4,
	                                 sizeof(*v));

	if (v == NULL)
		return NULL;
	e->goals = v;
	return memset(&v[e->ngoals++], 0, sizeof(*v));
}

size_t
jx_eval_indicator_path(const struct jx_indicator *ind, char *buf, size_t cap)
{
	const char *parts[3];
	size_t used = 0, i;

	parts[0] = ind->level1;
	parts[1] = ind->level2;
	parts[2] = ind->name;
	if (cap == 0)
		return 0;
	buf[0] = '\0';
	for (i = 0; i < 3; i++) {
		int n;

		if (parts[i] == NULL || parts[i][0] == '\0')
			continue;
		n = snprintf(buf + used, cap - used, "%s%s",
		             used > 0 ? "/" : "", parts[i]);
		if (n < 0)
			break;
		if ((size_t)n >= cap - used) {
			used = cap - 1;
			break;
		}
		used += (size_t)n;
	}
	return used;
}
