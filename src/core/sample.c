/*
 * sample.c - the spot-check draw: splitmix64 and xoshiro256**, unbiased
 * bounded integers, strata and their quotas, partial Fisher–Yates.
 *
 * The order of everything is fixed before the first random number is
 * drawn: candidates by id (bytes), strata by (department bytes, band),
 * members of a stratum by id. The stream is consumed stratum by stratum
 * in that order, so the sample depends only on the seed, the candidates
 * and the spec. Quotas are computed exactly in integers (largest
 * remainders, ties to the earlier stratum).
 *
 * No I/O, no allocation but from the caller's arena, no globals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/sample.h"

struct member {
	size_t index; /* into the caller's array */
	const char *id;
	const char *dept; /* "" when not by department */
	size_t band;
	size_t stratum;
};

/* An index of a stratum with its quota's remainder, for sorting. */
struct rem {
	size_t stratum;
	uint64_t rem;
};

static uint64_t rotl(uint64_t x, int k);
static int id_cmp(const void *a, const void *b);
static int strat_cmp(const void *a, const void *b);
static int rem_cmp(const void *a, const void *b);
static size_t band_of(const struct jx_sample_spec *spec, int64_t amount);
static enum jx_err check_spec(const struct jx_sample_spec *spec,
                              struct jx_diag *d);
static enum jx_err allocate(struct jx_sample_stratum *st, size_t nst, size_t k,
                            const struct jx_sample_spec *spec,
                            struct jx_arena *arena, struct jx_diag *d);
static void hamilton(struct jx_sample_stratum *st, const size_t *weight,
                     size_t nst, size_t k, struct rem *rems);

/* ------------------------------------------------------------------ */
/* The generator                                                       */

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
jx_sample_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
jx_sample_rng_seed(struct jx_sample_rng *g, uint64_t seed)
{
	uint64_t x = seed;
	size_t i;

	for (i = 0; i < 4; i++)
		g->s[i] = jx_sample_splitmix64(&x);
}

uint64_t
jx_sample_rng_next(struct jx_sample_rng *g)
{
	uint64_t *s = g->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
jx_sample_rng_below(struct jx_sample_rng *g, uint64_t n)
{
	uint64_t min, r;

	if (n == 0)
		return 0;
	/* 2^64 mod n: the outputs below it are the surplus that would make
	 * small results likelier; without them the count is a multiple of
	 * n. */
	min = (0 - n) % n;
	do
		r = jx_sample_rng_next(g);
	while (r < min);
	return r % n;
}

/* ------------------------------------------------------------------ */
/* Ordering                                                            */

static int
id_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return strcmp(x->id, y->id);
}

static int
strat_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int k = strcmp(x->dept, y->dept);

	if (k == 0)
		k = (x->band > y->band) - (x->band < y->band);
	if (k == 0)
		k = strcmp(x->id, y->id);
	return k;
}

static int
rem_cmp(const void *a, const void *b)
{
	const struct rem *x = a, *y = b;

	if (x->rem != y->rem)
		return x->rem < y->rem ? 1 : -1;
	return (x->stratum > y->stratum) - (x->stratum < y->stratum);
}

/* The band of an amount: how many edges are at or below it. */
static size_t
band_of(const struct jx_sample_spec *spec, int64_t amount)
{
	size_t lo = 0, hi = spec->nbands, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (spec->bands[mid] <= amount)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ------------------------------------------------------------------ */
/* Checks and quotas                                                   */

static enum jx_err
check_spec(const struct jx_sample_spec *spec, struct jx_diag *d)
{
	char field[48];
	size_t i;
	enum jx_err err = JX_OK;

	if (spec->n == 0) {
		err = jx_diag_set(d, JX_EINVAL, "n", "抽样数量须至少为 1");
		goto done;
	}
	if (spec->method == JX_SAMPLE_SIMPLE) {
		if (spec->by_dept || spec->nbands > 0) {
			err = jx_diag_set(d, JX_EINVAL,
			                  spec->by_dept ? "by_dept" : "bands",
			                  "简单随机抽样不分层：不能按部门或金额"
			                  "分层");
		}
		goto done;
	}
	if (spec->method != JX_SAMPLE_STRATIFIED) {
		err = jx_diag_set(d, JX_EINVAL, "method",
		                  "抽样方法应为简单随机抽样或分层抽样");
		goto done;
	}
	if (!spec->by_dept && spec->nbands == 0) {
		err = jx_diag_set(d, JX_EINVAL, "by_dept",
		                  "分层抽样须按部门、按金额区间或两者分层");
		goto done;
	}
	if (spec->nbands > JX_SAMPLE_MAX_BANDS ||
	    (spec->nbands > 0 && spec->bands == NULL)) {
		err = jx_diag_set(d, JX_EINVAL, "bands",
		                  "金额区间的分界点最多 %d 个",
		                  JX_SAMPLE_MAX_BANDS);
		goto done;
	}
	for (i = 1; i < spec->nbands; i++) {
		if (spec->bands[i] <= spec->bands[i - 1]) {
			snprintf(field, sizeof(field), "bands[%zu]", i);
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "金额区间的分界点须严格递增");
			goto done;
		}
	}
	if (spec->alloc != JX_SAMPLE_PROPORTIONAL &&
	    spec->alloc != JX_SAMPLE_MINIMUM) {
		err = jx_diag_set(d, JX_EINVAL, "alloc",
		                  "样本分配方式应为按比例或每层保底");
		goto done;
	}
	if (spec->alloc == JX_SAMPLE_MINIMUM && spec->min_per_stratum == 0) {
		err = jx_diag_set(d, JX_EINVAL, "min_per_stratum",
		                  "每层保底抽取数须至少为 1");
		goto done;
	}
done:
	return err;
}

/*
 * Share k among nst strata in proportion to weight[], exactly: each gets
 * floor(k w / W), and the k - sum left over go one each to the largest
 * remainders (ties: the earlier stratum). Added to st[].quota. Since the
 * remainders add up to W times what is left over and each is below W,
 * no stratum gets more than its weight.
 */
static void
hamilton(struct jx_sample_stratum *st, const size_t *weight, size_t nst,
         size_t k, struct rem *rems)
{
	uint64_t total = 0, q, given = 0;
	size_t i;

	for (i = 0; i < nst; i++)
		total += weight[i];
	if (total == 0 || k == 0)
		return;
	for (i = 0; i < nst; i++) {
		/* k and weights are at most 10^6: the product fits */
		q = (uint64_t)k * weight[i] / total;
		rems[i].stratum = i;
		rems[i].rem = (uint64_t)k * weight[i] % total;
		st[i].quota += (size_t)q;
		given += q;
	}
	qsort(rems, nst, sizeof(*rems), rem_cmp);
	for (i = 0; given < k && i < nst; i++, given++)
		st[rems[i].stratum].quota++;
}

static enum jx_err
allocate(struct jx_sample_stratum *st, size_t nst, size_t k,
         const struct jx_sample_spec *spec, struct jx_arena *arena,
         struct jx_diag *d)
{
	size_t *weight = jx_arena_calloc(arena, nst, sizeof(*weight));
	struct rem *rems = jx_arena_calloc(arena, nst, sizeof(*rems));
	size_t i, base, sum = 0;
	enum jx_err err = JX_OK;

	if (weight == NULL || rems == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	if (spec->method == JX_SAMPLE_SIMPLE ||
	    spec->alloc == JX_SAMPLE_PROPORTIONAL) {
		for (i = 0; i < nst; i++)
			weight[i] = st[i].population;
		hamilton(st, weight, nst, k, rems);
		goto done;
	}
	for (i = 0; i < nst; i++) {
		base = st[i].population < spec->min_per_stratum
		               ? st[i].population
		               : spec->min_per_stratum;
		st[i].quota = base;
		weight[i] = st[i].population - base;
		sum += base;
	}
	if (sum > k) {
		err = jx_diag_set(
		        d, JX_EINVAL, "min_per_stratum",
		        "每层保底抽取后共需 %zu 个，超过抽样数量 %zu："
		        "请增加抽样数量或减少保底数",
		        sum, k);
		goto done;
	}
	hamilton(st, weight, nst, k - sum, rems);
done:
	return err;
}

/* ------------------------------------------------------------------ */
/* The draw                                                            */

enum jx_err
jx_sample_draw(const struct jx_sample_candidate *c, size_t n,
               const struct jx_sample_spec *spec, struct jx_arena *arena,
               struct jx_sample_result *out, struct jx_diag *d)
{
	struct jx_sample_result res;
	struct member *m = NULL, tmp;
	struct jx_sample_rng g;
	char field[48];
	size_t i, j, k, start, nst, at, pick;
	enum jx_err err = JX_OK;

	memset(&res, 0, sizeof(res));
	jx_diag_clear(d);
	if (spec == NULL || arena == NULL || out == NULL ||
	    (n > 0 && c == NULL)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto fail;
	}
	if (n > JX_SAMPLE_MAX_CANDIDATES) {
		err = jx_diag_set(d, JX_ETOOBIG, "candidates",
		                  "候选项过多（最多 %d 项）",
		                  JX_SAMPLE_MAX_CANDIDATES);
		goto fail;
	}
	if ((err = check_spec(spec, d)) != JX_OK)
		goto fail;
	res.seed = spec->seed;
	res.population = n;
	if (n == 0)
		goto ok;
	m = jx_arena_calloc(arena, n, sizeof(*m));
	if (m == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (c[i].id == NULL || c[i].id[0] == '\0' ||
		    c[i].amount_fen < 0) {
			snprintf(field, sizeof(field), "candidates[%zu].%s", i,
			         c[i].amount_fen < 0 && c[i].id != NULL &&
			                         c[i].id[0] != '\0'
			                 ? "amount_fen"
			                 : "id");
			err = jx_diag_set(d, JX_EINVAL, field,
			                  c[i].amount_fen < 0 &&
			                                  c[i].id != NULL &&
			                                  c[i].id[0] != '\0'
			                          ? "金额不能为负"
			                          : "缺少编号");
			goto fail;
		}
		m[i].index = i;
		m[i].id = c[i].id;
		m[i].dept = spec->by_dept && c[i].dept != NULL ? c[i].dept : "";
		m[i].band = spec->method == JX_SAMPLE_STRATIFIED
		                    ? band_of(spec, c[i].amount_fen)
		                    : 0;
	}
	qsort(m, n, sizeof(*m), id_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(m[i].id, m[i - 1].id) == 0) {
			at = m[i].index > m[i - 1].index ? m[i].index
			                                 : m[i - 1].index;
			snprintf(field, sizeof(field), "candidates[%zu].id",
			         at);
			err = jx_diag_set(d, JX_EINVAL, field,
			                  "编号“%.64s”重复", m[i].id);
			goto fail;
		}
	}
	qsort(m, n, sizeof(*m), strat_cmp);

	/* strata: runs of equal (dept, band) */
	for (i = 0, nst = 0; i < n; i++)
		if (i == 0 || strcmp(m[i].dept, m[i - 1].dept) != 0 ||
		    m[i].band != m[i - 1].band)
			nst++;
	res.strata = jx_arena_calloc(arena, nst, sizeof(*res.strata));
	if (res.strata == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto fail;
	}
	for (i = 0, j = 0; i < n; i++) {
		if (i > 0 && (strcmp(m[i].dept, m[i - 1].dept) != 0 ||
		              m[i].band != m[i - 1].band))
			j++;
		if (res.strata[j].population == 0) {
			struct jx_sample_stratum *s = &res.strata[j];

			s->dept = m[i].dept;
			s->band = m[i].band;
			s->has_lo = m[i].band > 0;
			s->has_hi = m[i].band < spec->nbands &&
			            spec->method == JX_SAMPLE_STRATIFIED;
			if (s->has_lo)
				s->lo_fen = spec->bands[m[i].band - 1];
			if (s->has_hi)
				s->hi_fen = spec->bands[m[i].band];
		}
		res.strata[j].population++;
		m[i].stratum = j;
	}
	res.nstrata = nst;
	k = spec->n < n ? spec->n : n;
	if ((err = allocate(res.strata, nst, k, spec, arena, d)) != JX_OK)
		goto fail;

	/* partial Fisher–Yates within each stratum, strata in order */
	res.picks = jx_arena_calloc(arena, k != 0 ? k : 1, sizeof(*res.picks));
	if (res.picks == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto fail;
	}
	jx_sample_rng_seed(&g, spec->seed);
	for (j = 0, start = 0, pick = 0; j < nst; j++) {
		size_t pop = res.strata[j].population;

		for (i = 0; i < res.strata[j].quota; i++) {
			at = start + i +
			     (size_t)jx_sample_rng_below(&g, pop - i);
			tmp = m[start + i];
			m[start + i] = m[at];
			m[at] = tmp;
			m[start + i].stratum = j;
		}
		for (i = 0; i < res.strata[j].quota; i++)
			m[pick++] = m[start + i];
		start += pop;
	}
	/* the picks are now m[0..pick): present them by id */
	qsort(m, pick, sizeof(*m), id_cmp);
	for (i = 0; i < pick; i++) {
		res.picks[i].index = m[i].index;
		res.picks[i].stratum = m[i].stratum;
	}
	res.npicks = pick;
ok:
	*out = res;
	return JX_OK;
fail:
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	return err;
}
