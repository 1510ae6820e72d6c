/*
 * model.c - life cycle of struct jx_eval and small helpers over the model.
 * The model is plain data; parsing it is evaljson.c's job, scoring score.c's.
 */
#include <stdio.h>
#include <string.h>

#include "jx/model.h"

#define EVAL_ARENA_BLOCK ((size_t)32 * 1024)

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
