/*
 * test_sample.c - the spot-check draw (sample.h).
 *
 * The generator against the published known answers (splitmix64 from
 * 1234567; xoshiro256** from the state {1, 2, 3, 4}); bounded integers
 * without modulo bias (a bound where plain modulo would double a third of
 * the range); the draw's properties: the same seed gives the same sample
 * whatever the input order, different seeds different samples, strata and
 * their quotas respected (proportional and minimum allocation, amount bands
 * with edges belonging upwards), bad specs refused naming the field, and
 * out-of-memory handled. The uniformity checks are chi-square statistics
 * over fixed seeds: deterministic, so they cannot flake, and the bounds
 * are the 0.1% critical values, far from what a correct generator gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jx/sample.h"

#define NCAND  200
#define ID_CAP 16

/* Five departments of unequal size: 80, 50, 40, 20, 10. */
static const char *const depts[] = {"财政局", "教育局", "卫健委", "交通局",
                                    "水利局"};
static const size_t dept_size[] = {80, 50, 40, 20, 10};

struct pool {
	char ids[NCAND][ID_CAP];
	struct jx_sample_candidate c[NCAND];
	size_t n;
};

static void make_pool(struct pool *p);
static void draw_ok(const struct jx_sample_candidate *c, size_t n,
                    const struct jx_sample_spec *spec, struct jx_arena *a,
                    struct jx_sample_result *res);
static void ids_of(const struct jx_sample_candidate *c,
                   const struct jx_sample_result *res, char *out, size_t cap);
static double chi2(const size_t *count, size_t k, double expected);

/* Candidates P001..P200, departments in blocks, amounts 1万..200万 元 in
 * a scattered order (i * 37 mod 200). */
static void
make_pool(struct pool *p)
{
	size_t i, d = 0, left = dept_size[0];

	memset(p, 0, sizeof(*p));
	for (i = 0; i < NCAND; i++) {
		if (left == 0)
			left = dept_size[++d];
		left--;
		snprintf(p->ids[i], ID_CAP, "P%03zu", i + 1);
		p->c[i].id = p->ids[i];
		p->c[i].dept = depts[d];
		p->c[i].amount_fen =
		        (int64_t)((i * 37) % NCAND + 1) * 1000000; /* 万元 */
	}
	p->n = NCAND;
}

static void
draw_ok(const struct jx_sample_candidate *c, size_t n,
        const struct jx_sample_spec *spec, struct jx_arena *a,
        struct jx_sample_result *res)
{
	struct jx_diag d;

	if (jx_sample_draw(c, n, spec, a, res, &d) != JX_OK)
		fail_msg("draw: %s: %s", d.field, d.message);
}

/* The picked ids joined with spaces. */
static void
ids_of(const struct jx_sample_candidate *c, const struct jx_sample_result *res,
       char *out, size_t cap)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < res->npicks; i++) {
		int k = snprintf(out + used, cap - used, "%s%s",
		                 i > 0 ? " " : "", c[res->picks[i].index].id);

		assert_true(k > 0 && (size_t)k < cap - used);
		used += (size_t)k;
	}
}

static double
chi2(const size_t *count, size_t k, double expected)
{
	double s = 0, x;
	size_t i;

	for (i = 0; i < k; i++) {
		x = (double)count[i] - expected;
		s += x * x / expected;
	}
	return s;
}

/* Known answers of the reference implementations. */
static void
test_known_answers(void **state)
{
	static const uint64_t sm[] = {
	        UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
	        UINT64_C(9817491932198370423), UINT64_C(4593380528125082431),
	        UINT64_C(16408922859458223821)};
	static const uint64_t xo[] = {UINT64_C(11520),
	                              UINT64_C(0),
	                              UINT64_C(1509978240),
	                              UINT64_C(1215971899390074240),
	                              UINT64_C(1216172134540287360),
	                              UINT64_C(607988272756665600),
	                              UINT64_C(16172922978634559625),
	                              UINT64_C(8476171486693032832),
	                              UINT64_C(10595114339597558777),
	                              UINT64_C(2904607092377533576)};
	struct jx_sample_rng g = {{1, 2, 3, 4}}, h, k;
	uint64_t x = 1234567;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		assert_true(jx_sample_splitmix64(&x) == sm[i]);
	for (i = 0; i < 10; i++)
		assert_true(jx_sample_rng_next(&g) == xo[i]);
	/* seeding is four splitmix64 outputs */
	jx_sample_rng_seed(&h, 1234567);
	for (i = 0; i < 4; i++)
		assert_true(h.s[i] == sm[i]);
	/* same seed, same stream; another seed, another stream */
	jx_sample_rng_seed(&h, 42);
	jx_sample_rng_seed(&k, 42);
	for (i = 0; i < 100; i++)
		assert_true(jx_sample_rng_next(&h) == jx_sample_rng_next(&k));
	jx_sample_rng_seed(&k, 43);
	assert_true(jx_sample_rng_next(&h) != jx_sample_rng_next(&k));
}

/*
 * Bounded integers. n = 3 * 2^62: plain r % n would give [0, 2^62) twice
 * as often as each other quarter-sized third; with rejection the three
 * thirds [0, 2^62), [2^62, 2^63), [2^63, 3 * 2^62) are equally likely.
 * Small n: all residues equally likely. Chi-square bounds: 0.1% critical
 * values (2 df 13.82, 6 df 22.46).
 */
static void
test_below(void **state)
{
	const uint64_t big = UINT64_C(3) << 62;
	struct jx_sample_rng g;
	size_t third[3] = {0, 0, 0}, six[7] = {0}, i;
	uint64_t v;

	(void)state;
	jx_sample_rng_seed(&g, 7);
	assert_true(jx_sample_rng_below(&g, 0) == 0);
	for (i = 0; i < 100; i++)
		assert_true(jx_sample_rng_below(&g, 1) == 0);
	for (i = 0; i < 30000; i++) {
		v = jx_sample_rng_below(&g, big);
		assert_true(v < big);
		third[v >> 62]++;
	}
	assert_true(chi2(third, 3, 10000.0) < 13.82);
	/* 2^64 - 1: the largest bound; results stay below it */
	for (i = 0; i < 1000; i++)
		assert_true(jx_sample_rng_below(&g, UINT64_MAX) < UINT64_MAX);
	/* 2^63 + 1: about half of all draws are rejected; still in range */
	for (i = 0; i < 1000; i++)
		assert_true(jx_sample_rng_below(&g, (UINT64_C(1) << 63) + 1) <=
		            UINT64_C(1) << 63);
	for (i = 0; i < 70000; i++)
		six[jx_sample_rng_below(&g, 7)]++;
	assert_true(chi2(six, 7, 10000.0) < 22.46);
}

/* The same seed gives the same sample in whatever order the candidates
 * come; different seeds give different samples. */
static void
test_reproducible(void **state)
{
	static struct pool p;
	struct jx_sample_candidate shuffled[NCAND], tmp;
	struct jx_sample_spec spec = {.method = JX_SAMPLE_STRATIFIED,
	                              .n = 20,
	                              .by_dept = true,
	                              .alloc = JX_SAMPLE_PROPORTIONAL,
	                              .seed = UINT64_C(20240615)};
	static char first[1024], again[1024], other[40][1024];
	struct jx_sample_result res;
	struct jx_arena a;
	struct jx_sample_rng g;
	size_t i, j;

	(void)state;
	make_pool(&p);
	jx_arena_init(&a, 0);
	draw_ok(p.c, p.n, &spec, &a, &res);
	ids_of(p.c, &res, first, sizeof(first));
	assert_int_equal(res.npicks, 20);
	assert_true(res.seed == spec.seed);

	/* reversed, then shuffled by another generator */
	for (i = 0; i < NCAND; i++)
		shuffled[i] = p.c[NCAND - 1 - i];
	draw_ok(shuffled, NCAND, &spec, &a, &res);
	ids_of(shuffled, &res, again, sizeof(again));
	assert_string_equal(first, again);
	jx_sample_rng_seed(&g, 99);
	for (i = NCAND - 1; i > 0; i--) {
		j = (size_t)jx_sample_rng_below(&g, i + 1);
		tmp = shuffled[i];
		shuffled[i] = shuffled[j];
		shuffled[j] = tmp;
	}
	draw_ok(shuffled, NCAND, &spec, &a, &res);
	ids_of(shuffled, &res, again, sizeof(again));
	assert_string_equal(first, again);

	/* 40 other seeds: 40 other samples, all different */
	for (i = 0; i < 40; i++) {
		spec.seed = i;
		draw_ok(p.c, p.n, &spec, &a, &res);
		ids_of(p.c, &res, other[i], sizeof(other[i]));
		assert_string_not_equal(other[i], first);
		for (j = 0; j < i; j++)
			assert_string_not_equal(other[i], other[j]);
	}
	jx_arena_cleanup(&a);
}

/* Strata: each pick lies in its stratum, quotas are exact, picks are
 * unique and ordered by id. */
static void
test_strata(void **state)
{
	static struct pool p;
	static const struct {
		enum jx_sample_alloc alloc;
		size_t n, min;
		size_t want[5];
		const char *why;
	} cases[] = {
	        {JX_SAMPLE_PROPORTIONAL,
	         20,
	         0,
	         {8, 5, 4, 2, 1},
	         "20 of 200 = 10%: exact"},
	        {JX_SAMPLE_PROPORTIONAL,
	         7,
	         0,
	         {3, 2, 1, 1, 0},
	         "2.8 1.75 1.4 0.7 0.35: floors 2 1 1 0 0, largest "
	         "remainders .8 .75 .7 round up"},
	        {JX_SAMPLE_MINIMUM,
	         20,
	         2,
	         {6, 5, 4, 3, 2},
	         "2 each, then 10 over 78 48 38 18 8: 4 2 2 0 0 + .947 .526"},
	        {JX_SAMPLE_MINIMUM,
	         10,
	         2,
	         {2, 2, 2, 2, 2},
	         "the minimums use up the sample"},
	        {JX_SAMPLE_PROPORTIONAL,
	         500,
	         0,
	         {80, 50, 40, 20, 10},
	         "more than all: all"},
	};
	struct jx_sample_spec spec = {
	        .method = JX_SAMPLE_STRATIFIED, .by_dept = true, .seed = 1};
	struct jx_sample_result res;
	struct jx_arena a;
	size_t i, s, k, count[5];
	bool seen[NCAND];

	(void)state;
	make_pool(&p);
	jx_arena_init(&a, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		spec.alloc = cases[i].alloc;
		spec.n = cases[i].n;
		spec.min_per_stratum = cases[i].min;
		draw_ok(p.c, p.n, &spec, &a, &res);
		assert_int_equal(res.nstrata, 5);
		memset(count, 0, sizeof(count));
		memset(seen, 0, sizeof(seen));
		for (k = 0; k < res.npicks; k++) {
			const struct jx_sample_pick *pk = &res.picks[k];
			const struct jx_sample_stratum *st =
			        &res.strata[pk->stratum];

			assert_false(seen[pk->index]);
			seen[pk->index] = true;
			assert_string_equal(p.c[pk->index].dept, st->dept);
			if (k > 0)
				assert_true(
				        strcmp(p.c[res.picks[k - 1].index].id,
				               p.c[pk->index].id) < 0);
			for (s = 0; s < 5; s++)
				if (strcmp(st->dept, depts[s]) == 0)
					count[s]++;
		}
		for (s = 0; s < 5; s++) {
			/* strata come ordered by department bytes */
			const struct jx_sample_stratum *st = NULL;
			size_t t;

			for (t = 0; t < res.nstrata; t++)
				if (strcmp(res.strata[t].dept, depts[s]) == 0)
					st = &res.strata[t];
			assert_non_null(st);
			assert_int_equal(st->population, dept_size[s]);
			if (st->quota != cases[i].want[s] ||
			    count[s] != cases[i].want[s])
				fail_msg("%s: %s got %zu (quota %zu), want %zu",
				         cases[i].why, depts[s], count[s],
				         st->quota, cases[i].want[s]);
		}
		for (s = 1; s < res.nstrata; s++)
			assert_true(strcmp(res.strata[s - 1].dept,
			                   res.strata[s].dept) < 0);
	}
	jx_arena_cleanup(&a);
}

/* Amount bands: an edge belongs to the band above; bands and departments
 * combine; a small stratum gets all it has under a minimum. */
static void
test_bands(void **state)
{
	static const int64_t edges[] = {INT64_C(100000000),  /* 100万元 */
	                                INT64_C(500000000)}; /* 500万元 */
	static const struct jx_sample_candidate c[] = {
	        {"A1", "甲", INT64_C(99999999)},  /* band 0 */
	        {"A2", "甲", INT64_C(100000000)}, /* band 1: on the edge */
	        {"A3", "甲", INT64_C(499999999)}, /* band 1 */
	        {"A4", "甲", INT64_C(500000000)}, /* band 2 */
	        {"A5", "甲", INT64_C(900000000)}, /* band 2 */
	        {"B1", "乙", 0},                  /* band 0 */
	        {"B2", "乙", INT64_C(600000000)}, /* band 2 */
	        {"C1", NULL, INT64_C(10)},        /* no department */
	};
	struct jx_sample_spec spec = {.method = JX_SAMPLE_STRATIFIED,
	                              .n = 3,
	                              .bands = edges,
	                              .nbands = 2,
	                              .alloc = JX_SAMPLE_MINIMUM,
	                              .min_per_stratum = 1,
	                              .seed = 5};
	struct jx_sample_result res;
	struct jx_arena a;
	size_t i;

	(void)state;
	jx_arena_init(&a, 0);
	/* bands only: band 0 {A1, B1, C1}, 1 {A2, A3}, 2 {A4, A5, B2} */
	draw_ok(c, 8, &spec, &a, &res);
	assert_int_equal(res.nstrata, 3);
	assert_int_equal(res.strata[0].population, 3);
	assert_false(res.strata[0].has_lo);
	assert_true(res.strata[0].has_hi && res.strata[0].hi_fen == edges[0]);
	assert_int_equal(res.strata[1].population, 2);
	assert_true(res.strata[1].lo_fen == edges[0] &&
	            res.strata[1].hi_fen == edges[1]);
	assert_int_equal(res.strata[2].population, 3);
	assert_true(res.strata[2].has_lo && !res.strata[2].has_hi);
	for (i = 0; i < 3; i++)
		assert_int_equal(res.strata[i].quota, 1);
	assert_int_equal(res.npicks, 3);

	/* departments and bands: "" (C1) first, then 乙 (E4 B9 99) before
	 * 甲 (E7 94 B2) by bytes */
	spec.by_dept = true;
	spec.n = 6;
	draw_ok(c, 8, &spec, &a, &res);
	assert_int_equal(res.nstrata, 6);
	assert_string_equal(res.strata[0].dept, "");
	assert_string_equal(res.strata[1].dept, "乙");
	assert_int_equal(res.strata[1].band, 0);
	assert_string_equal(res.strata[2].dept, "乙");
	assert_int_equal(res.strata[2].band, 2);
	assert_string_equal(res.strata[3].dept, "甲");
	for (i = 0; i < 6; i++)
		assert_int_equal(res.strata[i].quota, 1);

	/* simple: one stratum of all */
	spec.method = JX_SAMPLE_SIMPLE;
	spec.by_dept = false;
	spec.bands = NULL;
	spec.nbands = 0;
	spec.n = 4;
	draw_ok(c, 8, &spec, &a, &res);
	assert_int_equal(res.nstrata, 1);
	assert_int_equal(res.strata[0].population, 8);
	assert_int_equal(res.npicks, 4);

	/* no candidates: an empty sample */
	draw_ok(c, 0, &spec, &a, &res);
	assert_int_equal(res.npicks, 0);
	assert_int_equal(res.nstrata, 0);
	jx_arena_cleanup(&a);
}

/*
 * Uniformity of the draw over fixed seeds 0..N-1 (deterministic):
 * one of ten (9 df, 0.1% critical value 27.88); each of the 6 pairs out
 * of four (5 df, 20.52); inclusion counts of three of ten (9 df), expected
 * 0.3 per seed each.
 */
static void
test_uniform(void **state)
{
	static const struct jx_sample_candidate ten[] = {
	        {"k0", NULL, 0}, {"k1", NULL, 0}, {"k2", NULL, 0},
	        {"k3", NULL, 0}, {"k4", NULL, 0}, {"k5", NULL, 0},
	        {"k6", NULL, 0}, {"k7", NULL, 0}, {"k8", NULL, 0},
	        {"k9", NULL, 0}};
	struct jx_sample_spec spec = {.method = JX_SAMPLE_SIMPLE, .n = 1};
	struct jx_sample_result res;
	struct jx_arena a;
	size_t one[10] = {0}, pairs[6] = {0}, three[10] = {0};
	size_t i, x, y, k;
	double s;

	(void)state;
	jx_arena_init(&a, 0);
	for (i = 0; i < 10000; i++) {
		spec.seed = i;
		spec.n = 1;
		draw_ok(ten, 10, &spec, &a, &res);
		one[res.picks[0].index]++;
		spec.n = 2;
		draw_ok(ten, 4, &spec, &a, &res);
		x = res.picks[0].index;
		y = res.picks[1].index;
		assert_true(x < y);
		/* pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3) */
		k = x == 0 ? y - 1 : x == 1 ? y + 1 : 5;
		pairs[k]++;
		spec.n = 3;
		draw_ok(ten, 10, &spec, &a, &res);
		for (k = 0; k < 3; k++)
			three[res.picks[k].index]++;
		jx_arena_reset(&a);
	}
	s = chi2(one, 10, 1000.0);
	if (s >= 27.88)
		fail_msg("one of ten: chi-square %.2f", s);
	s = chi2(pairs, 6, 10000.0 / 6.0);
	if (s >= 20.52)
		fail_msg("two of four: chi-square %.2f", s);
	s = chi2(three, 10, 3000.0);
	if (s >= 27.88)
		fail_msg("three of ten: chi-square %.2f", s);
	jx_arena_cleanup(&a);
}

/* Bad specs and candidates are refused naming the field. */
static void
test_refused(void **state)
{
	static const int64_t down[] = {500, 100};
	static const struct jx_sample_candidate dup[] = {
	        {"X1", "甲", 1}, {"X2", "甲", 1}, {"X1", "乙", 1}};
	static const struct jx_sample_candidate noid[] = {{"X1", "甲", 1},
	                                                  {"", "甲", 1}};
	static const struct jx_sample_candidate neg[] = {{"X1", "甲", 1},
	                                                 {"X2", "甲", -5}};
	static const struct jx_sample_candidate ok[] = {
	        {"X1", "甲", 1}, {"X2", "乙", 1}, {"X3", "丙", 1}};
	struct jx_sample_spec base = {.method = JX_SAMPLE_STRATIFIED,
	                              .n = 2,
	                              .by_dept = true,
	                              .alloc = JX_SAMPLE_PROPORTIONAL,
	                              .seed = 3};
	struct jx_sample_spec s;
	struct jx_sample_result res;
	struct jx_arena a;
	struct jx_diag d;

	(void)state;
	jx_arena_init(&a, 0);
#define REFUSE(cands, n, spec, err, fld)                                       \
	do {                                                                   \
		memset(&res, 0xff, sizeof(res));                               \
		assert_int_equal(jx_sample_draw(cands, n, spec, &a, &res, &d), \
		                 err);                                         \
		assert_string_equal(d.field, fld);                             \
		assert_true(strlen(d.message) > 0);                            \
		assert_null(res.picks);                                        \
		assert_int_equal(res.npicks, 0);                               \
	} while (0)
	REFUSE(dup, 3, &base, JX_EINVAL, "candidates[2].id");
	REFUSE(noid, 2, &base, JX_EINVAL, "candidates[1].id");
	REFUSE(neg, 2, &base, JX_EINVAL, "candidates[1].amount_fen");
	s = base;
	s.n = 0;
	REFUSE(ok, 3, &s, JX_EINVAL, "n");
	s = base;
	s.method = JX_SAMPLE_SIMPLE;
	REFUSE(ok, 3, &s, JX_EINVAL, "by_dept");
	s = base;
	s.by_dept = false;
	REFUSE(ok, 3, &s, JX_EINVAL, "by_dept");
	s = base;
	s.bands = down;
	s.nbands = 2;
	REFUSE(ok, 3, &s, JX_EINVAL, "bands[1]");
	s = base;
	s.bands = NULL;
	s.nbands = 1;
	REFUSE(ok, 3, &s, JX_EINVAL, "bands");
	s = base;
	s.alloc = (enum jx_sample_alloc)9;
	REFUSE(ok, 3, &s, JX_EINVAL, "alloc");
	s = base;
	s.method = (enum jx_sample_method)0;
	REFUSE(ok, 3, &s, JX_EINVAL, "method");
	s = base;
	s.alloc = JX_SAMPLE_MINIMUM;
	s.min_per_stratum = 0;
	REFUSE(ok, 3, &s, JX_EINVAL, "min_per_stratum");
	s.min_per_stratum = 1; /* three strata, one each: 3 > 2 */
	REFUSE(ok, 3, &s, JX_EINVAL, "min_per_stratum");
	REFUSE(ok, JX_SAMPLE_MAX_CANDIDATES + 1, &base, JX_ETOOBIG,
	       "candidates");
#undef REFUSE
	assert_int_equal(jx_sample_draw(NULL, 3, &base, &a, &res, &d),
	                 JX_EINVAL);
	assert_int_equal(jx_sample_draw(ok, 3, NULL, &a, &res, &d), JX_EINVAL);
	assert_int_equal(jx_sample_draw(ok, 3, &base, NULL, &res, NULL),
	                 JX_EINVAL);
	assert_int_equal(jx_sample_draw(ok, 3, &base, &a, NULL, NULL),
	                 JX_EINVAL);
	jx_arena_cleanup(&a);
}

/* Out of memory at every point: JX_ENOMEM and an empty result, then the
 * same sample as with room enough. */
static void
test_out_of_memory(void **state)
{
	static struct pool p;
	struct jx_sample_spec spec = {.method = JX_SAMPLE_STRATIFIED,
	                              .n = 20,
	                              .by_dept = true,
	                              .alloc = JX_SAMPLE_MINIMUM,
	                              .min_per_stratum = 2,
	                              .seed = 11};
	static char want[1024], got[1024];
	struct jx_sample_result res;
	struct jx_arena a;
	size_t limit;
	enum jx_err err = JX_ENOMEM;

	(void)state;
	make_pool(&p);
	jx_arena_init(&a, 0);
	draw_ok(p.c, p.n, &spec, &a, &res);
	ids_of(p.c, &res, want, sizeof(want));
	jx_arena_cleanup(&a);
	for (limit = 256; err == JX_ENOMEM; limit += 256) {
		jx_arena_init(&a, 1024);
		a.limit = limit;
		err = jx_sample_draw(p.c, p.n, &spec, &a, &res, NULL);
		if (err == JX_ENOMEM) {
			assert_null(res.picks);
		} else {
			assert_int_equal(err, JX_OK);
			ids_of(p.c, &res, got, sizeof(got));
			assert_string_equal(got, want);
		}
		jx_arena_cleanup(&a);
		assert_true(limit < (1u << 22));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_answers),
	        cmocka_unit_test(test_below),
	        cmocka_unit_test(test_reproducible),
	        cmocka_unit_test(test_strata),
	        cmocka_unit_test(test_bands),
	        cmocka_unit_test(test_uniform),
	        cmocka_unit_test(test_refused),
	        cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
