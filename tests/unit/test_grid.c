/*
 * test_grid.c - the table of text cells: setting, replacing and clearing
 * cells with the bounds following, the limits, merged ranges (lookups
 * inside and outside them, overlaps refused, bad ranges), many ranges
 * checked against a brute-force search, and running out of memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jx/grid.h"

static void
put(struct jx_grid *g, uint32_t r, uint32_t c, const char *s)
{
	assert_int_equal(jx_grid_set(g, r, c, s, strlen(s)), JX_OK);
}

static void
test_set_get(void **state)
{
	struct jx_arena a;
	struct jx_grid g;

	(void)state;
	jx_arena_init(&a, 0);
	jx_grid_init(&g, &a);
	assert_int_equal(g.nrows, 0);
	assert_null(jx_grid_get(&g, 0, 0));
	assert_int_equal(jx_grid_set_name(&g, "Sheet1x", 6), JX_OK);
	assert_string_equal(g.name, "Sheet1");
	put(&g, 2, 3, "项目名称");
	assert_int_equal(g.nrows, 3);
	assert_int_equal(g.ncols, 4);
	assert_int_equal(g.ncells, 1);
	assert_string_equal(jx_grid_get(&g, 2, 3), "项目名称");
	/* rows before it stay unallocated */
	assert_null(g.rows[0]);
	assert_null(jx_grid_get(&g, 0, 0));
	assert_null(jx_grid_get(&g, 2, 2));
	/* far outside: no crash, NULL */
	assert_null(jx_grid_get(&g, 99999, 255));
	assert_null(jx_grid_get(&g, UINT32_MAX, UINT32_MAX));
	/* replace: the count stays */
	put(&g, 2, 3, "x");
	assert_int_equal(g.ncells, 1);
	assert_string_equal(jx_grid_get(&g, 2, 3), "x");
	/* text is copied up to len, NUL-terminated */
	assert_int_equal(jx_grid_set(&g, 0, 0, "abcdef", 3), JX_OK);
	assert_string_equal(jx_grid_get(&g, 0, 0), "abc");
	/* a row's array grows past its first capacity */
	put(&g, 0, 200, "far");
	assert_string_equal(jx_grid_get(&g, 0, 0), "abc");
	assert_string_equal(jx_grid_get(&g, 0, 200), "far");
	assert_int_equal(g.ncols, 201);
	jx_arena_cleanup(&a);
}

static void
test_clear_shrinks(void **state)
{
	struct jx_arena a;
	struct jx_grid g;

	(void)state;
	jx_arena_init(&a, 0);
	jx_grid_init(&g, &a);
	put(&g, 0, 0, "a");
	put(&g, 5, 1, "b");
	put(&g, 3, 7, "c");
	assert_int_equal(g.nrows, 6);
	assert_int_equal(g.ncols, 8);
	/* clearing an empty or absent cell changes nothing */
	assert_int_equal(jx_grid_set(&g, 4, 4, NULL, 0), JX_OK);
	assert_int_equal(jx_grid_set(&g, 9000, 4, "", 0), JX_OK);
	assert_int_equal(g.ncells, 3);
	/* the last row goes: nrows falls back to the row of "c" */
	assert_int_equal(jx_grid_set(&g, 5, 1, "", 0), JX_OK);
	assert_int_equal(g.nrows, 4);
	assert_int_equal(g.ncols, 8);
	assert_null(jx_grid_get(&g, 5, 1));
	/* the last column goes */
	assert_int_equal(jx_grid_set(&g, 3, 7, "", 0), JX_OK);
	assert_int_equal(g.nrows, 1);
	assert_int_equal(g.ncols, 1);
	assert_int_equal(jx_grid_set(&g, 0, 0, "", 0), JX_OK);
	assert_int_equal(g.nrows, 0);
	assert_int_equal(g.ncols, 0);
	assert_int_equal(g.ncells, 0);
	jx_arena_cleanup(&a);
}

static void
test_limits(void **state)
{
	struct jx_arena a;
	struct jx_grid g;

	(void)state;
	jx_arena_init(&a, 0);
	jx_grid_init(&g, &a);
	/* the last row and column are fine, one past is too big */
	put(&g, JX_GRID_MAX_ROWS - 1, JX_GRID_MAX_COLS - 1, "z");
	assert_int_equal(g.nrows, JX_GRID_MAX_ROWS);
	assert_int_equal(g.ncols, JX_GRID_MAX_COLS);
	assert_int_equal(jx_grid_set(&g, JX_GRID_MAX_ROWS, 0, "x", 1),
	                 JX_ETOOBIG);
	assert_int_equal(jx_grid_set(&g, 0, JX_GRID_MAX_COLS, "x", 1),
	                 JX_ETOOBIG);
	/* the cell count: pretend the grid is full */
	g.ncells = JX_GRID_MAX_CELLS;
	assert_int_equal(jx_grid_set(&g, 1, 1, "x", 1), JX_ETOOBIG);
	/* replacing an existing cell is still allowed */
	assert_int_equal(jx_grid_set(&g, JX_GRID_MAX_ROWS - 1,
	                             JX_GRID_MAX_COLS - 1, "y", 1),
	                 JX_OK);
	/* merges: bad shapes and out of range */
	assert_int_equal(jx_grid_merge(&g, 2, 0, 1, 0), JX_EINVAL);
	assert_int_equal(jx_grid_merge(&g, 0, 2, 0, 1), JX_EINVAL);
	assert_int_equal(jx_grid_merge(&g, 0, 0, JX_GRID_MAX_ROWS, 0),
	                 JX_EINVAL);
	assert_int_equal(jx_grid_merge(&g, 0, 0, 0, JX_GRID_MAX_COLS),
	                 JX_EINVAL);
	g.nmerges = JX_GRID_MAX_MERGES;
	assert_int_equal(jx_grid_merge(&g, 0, 0, 0, 1), JX_ETOOBIG);
	jx_arena_cleanup(&a);
}

static void
test_merge(void **state)
{
	struct jx_arena a;
	struct jx_grid g;
	const struct jx_grid_merge *m;

	(void)state;
	jx_arena_init(&a, 0);
	jx_grid_init(&g, &a);
	put(&g, 0, 0, "项目支出绩效自评表");
	put(&g, 0, 2, "hidden under the merge");
	put(&g, 4, 1, "产出指标");
	assert_int_equal(jx_grid_merge(&g, 0, 0, 1, 5), JX_OK); /* A1:F2 */
	assert_int_equal(jx_grid_merge(&g, 4, 1, 9, 1), JX_OK); /* B5:B10 */
	/* every cell of the range reads as its top-left */
	assert_string_equal(jx_grid_get(&g, 1, 5), "项目支出绩效自评表");
	assert_string_equal(jx_grid_get(&g, 0, 2), "项目支出绩效自评表");
	assert_string_equal(jx_grid_get(&g, 9, 1), "产出指标");
	/* just outside */
	assert_null(jx_grid_get(&g, 2, 0));
	assert_null(jx_grid_get(&g, 0, 6));
	assert_null(jx_grid_get(&g, 10, 1));
	assert_null(jx_grid_get(&g, 4, 0));
	m = jx_grid_merged(&g, 7, 1);
	assert_non_null(m);
	assert_int_equal(m->r0, 4);
	assert_int_equal(m->r1, 9);
	assert_null(jx_grid_merged(&g, 3, 1));
	assert_null(jx_grid_merged(&g, 0, 300));
	/* merges do not stretch the text bounds */
	assert_int_equal(g.nrows, 5);
	/* overlaps are refused, whichever corner touches */
	assert_int_equal(jx_grid_merge(&g, 1, 5, 2, 6), JX_EINVAL);
	assert_int_equal(jx_grid_merge(&g, 9, 0, 12, 3), JX_EINVAL);
	assert_int_equal(jx_grid_merge(&g, 0, 0, 20, 20), JX_EINVAL);
	assert_int_equal(jx_grid_merge(&g, 5, 1, 5, 1), JX_EINVAL);
	assert_int_equal(g.nmerges, 2);
	/* adjacent ranges are fine; a one-cell range too */
	assert_int_equal(jx_grid_merge(&g, 2, 0, 3, 5), JX_OK);
	assert_int_equal(jx_grid_merge(&g, 10, 1, 10, 1), JX_OK);
	assert_int_equal(g.nmerges, 4);
	assert_null(jx_grid_get(&g, 10, 1)); /* merged, but empty */
	assert_non_null(jx_grid_merged(&g, 10, 1));
	/* a merge recorded before its text: the text shows through */
	assert_int_equal(jx_grid_merge(&g, 20, 0, 21, 1), JX_OK);
	put(&g, 20, 0, "后写");
	assert_string_equal(jx_grid_get(&g, 21, 1), "后写");
	jx_arena_cleanup(&a);
}

/* Many ranges in random-ish order against a brute-force search. */
static void
test_merge_many(void **state)
{
	struct jx_arena a;
	struct jx_grid g;
	uint32_t x = 12345, i, r, c, k, ok = 0;
	const struct jx_grid_merge *m;

	(void)state;
	jx_arena_init(&a, 0);
	jx_grid_init(&g, &a);
	for (i = 0; i < 3000; i++) {
		uint32_t r0, c0, h, w;
		enum jx_err err;
		int overlap = 0;

		x = x * 1103515245u + 12345u;
		r0 = (x >> 8) % 400;
		x = x * 1103515245u + 12345u;
		c0 = (x >> 8) % 40;
		h = (x >> 20) % 6;
		w = (x >> 26) % 4;
		for (k = 0; k < g.nmerges; k++) {
			m = &g.merges[k];
			if (r0 <= m->r1 && m->r0 <= r0 + h && c0 <= m->c1 &&
			    m->c0 <= c0 + w)
				overlap = 1;
		}
		err = jx_grid_merge(&g, r0, c0, r0 + h, c0 + w);
		assert_int_equal(err, overlap ? JX_EINVAL : JX_OK);
		ok += !overlap;
	}
	assert_int_equal(g.nmerges, ok);
	assert_true(ok > 100);
	for (r = 0; r < 410; r++) {
		for (c = 0; c < 45; c++) {
			const struct jx_grid_merge *want = NULL;

			for (k = 0; k < g.nmerges; k++) {
				m = &g.merges[k];
				if (r >= m->r0 && r <= m->r1 && c >= m->c0 &&
				    c <= m->c1)
					want = m;
			}
			assert_ptr_equal(jx_grid_merged(&g, r, c), want);
		}
	}
	jx_arena_cleanup(&a);
}

/* Every failure to allocate is JX_ENOMEM and leaves the grid usable. */
static void
test_enomem(void **state)
{
	struct jx_arena a;
	struct jx_grid g;
	size_t limit;
	int failed = 0, i;
	enum jx_err err;

	(void)state;
	for (limit = 1024; limit < 256 * 1024; limit += 4096) {
		jx_arena_init(&a, 1024);
		a.limit = limit;
		jx_grid_init(&g, &a);
		err = JX_OK;
		for (i = 0; i < 200 && err == JX_OK; i++)
			err = jx_grid_set(&g, (uint32_t)i * 7, (uint32_t)i % 50,
			                  "text", 4);
		for (i = 0; i < 100 && err == JX_OK; i++)
			err = jx_grid_merge(&g, (uint32_t)i * 3, 0,
			                    (uint32_t)i * 3 + 1, 60);
		if (err != JX_OK) {
			assert_int_equal(err, JX_ENOMEM);
			failed++;
			/* what was recorded still reads */
			assert_null(jx_grid_get(&g, 2, 55));
			if (g.nmerges > 0)
				assert_string_equal(jx_grid_get(&g, 1, 60),
				                    "text");
		}
		jx_arena_cleanup(&a);
	}
	assert_true(failed > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_set_get),
	        cmocka_unit_test(test_clear_shrinks),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_merge),
	        cmocka_unit_test(test_merge_many),
	        cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
