/*
 * sample.h - the spot-check draw (抽查复核): the finance bureau draws a
 * sample of submitted self-evaluations to re-check, by simple random
 * sampling or stratified by department and by amount band, and must be
 * able to show later that the draw was not picked by hand. So the draw is
 * reproducible from a recorded 64-bit seed and from nothing else.
 *
 * The generator is this module's own: splitmix64 expands the seed into the
 * 256-bit state of xoshiro256** (Blackman and Vigna, the reference code's
 * recommended seeding); bounded integers are unbiased by rejection (the
 * arc4random_uniform method: draws below 2^64 mod n are discarded, the rest
 * taken mod n); each stratum is drawn by a partial Fisher–Yates shuffle.
 * Candidates are sorted by id first, strata by (department, band), so the
 * same seed and the same candidates give the same sample in whatever order
 * the candidates are passed. rand() and every other libc generator are
 * banned (conventions.md); this one is not for secrets either (keys and
 * tokens come from libsodium).
 *
 * Pure: no I/O, no clock, no globals. Seeds come from the caller (the
 * server records a libsodium random seed with the draw). The re-check
 * itself and its scores are recheck.h's.
 */
#ifndef JX_SAMPLE_H
#define JX_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/err.h"

#define JX_SAMPLE_MAX_CANDIDATES 1000000 /* candidates of one draw */
#define JX_SAMPLE_MAX_BANDS      64      /* amount band edges */

/* xoshiro256** state. Any state but all zeros is valid. */
struct jx_sample_rng {
	uint64_t s[4];
};

/* The next output of splitmix64 from counter *x (advanced). */
uint64_t jx_sample_splitmix64(uint64_t *x);

/* Seed g: s[0..3] are four splitmix64 outputs from counter `seed`. */
void jx_sample_rng_seed(struct jx_sample_rng *g, uint64_t seed);

/* The next 64-bit output of xoshiro256**. */
uint64_t jx_sample_rng_next(struct jx_sample_rng *g);

/* A uniform integer in [0, n) without modulo bias; n 0 gives 0 (and
 * consumes nothing). At most a few draws: each is rejected with
 * probability (2^64 mod n) / 2^64 < n / 2^64. */
uint64_t jx_sample_rng_below(struct jx_sample_rng *g, uint64_t n);

/* One candidate: a submitted self-evaluation. Borrowed. */
struct jx_sample_candidate {
	const char *id;     /* unique (project code or record id); bytes */
	const char *dept;   /* 主管部门; NULL or "" = no department */
	int64_t amount_fen; /* the project's amount (全年预算数), >= 0 */
};

enum jx_sample_method {
	JX_SAMPLE_SIMPLE = 1, /* 简单随机抽样: n of all */
	JX_SAMPLE_STRATIFIED /* 分层抽样: by department and/or amount band */
};

/* How a stratified sample's size is shared among strata. */
enum jx_sample_alloc {
	JX_SAMPLE_PROPORTIONAL = 1, /* n × stratum size / all, largest
	                               remainders round up */
	JX_SAMPLE_MINIMUM /* each stratum min(min_per_stratum, size) first,
	                     the rest proportional to what is left */
};

/*
 * What to draw. Amount bands are data: `bands` holds nbands edges in fen,
 * strictly ascending; band 0 is below bands[0], band k is [bands[k-1],
 * bands[k]), band nbands is bands[nbands-1] and above (an edge belongs to
 * the band above it).
 */
struct jx_sample_spec {
	enum jx_sample_method method;
	size_t n;     /* sample size, >= 1; more than the candidates: all */
	bool by_dept; /* STRATIFIED: a stratum per department */
	const int64_t *bands;       /* STRATIFIED: amount band edges, or NULL */
	size_t nbands;              /* 0..JX_SAMPLE_MAX_BANDS */
	enum jx_sample_alloc alloc; /* STRATIFIED */
	size_t min_per_stratum;     /* MINIMUM: >= 1 */
	uint64_t seed;              /* recorded with the draw */
};

/* A stratum: candidates sharing a department and an amount band. */
struct jx_sample_stratum {
	const char *dept; /* "" when not by department or none given */
	size_t band;      /* 0..nbands (0 when there are no bands) */
	bool has_lo, has_hi;
	int64_t lo_fen, hi_fen; /* the band [lo, hi), when bounded */
	size_t population;      /* candidates in it */
	size_t quota;           /* how many were drawn from it */
};

struct jx_sample_pick {
	size_t index;   /* into the caller's candidate array */
	size_t stratum; /* into result.strata */
};

struct jx_sample_result {
	struct jx_sample_pick *picks; /* npicks, ordered by candidate id */
	size_t npicks;
	struct jx_sample_stratum *strata; /* ordered by (dept, band); only
	                                     strata that have candidates */
	size_t nstrata;
	size_t population; /* all candidates */
	uint64_t seed;     /* spec->seed, for the record */
};

/*
 * Draw spec->n of the n candidates c[0..n) into *out (arrays from arena,
 * living as long as it; strings borrowed from c). SIMPLE: one stratum of
 * all. STRATIFIED: strata by department (by_dept) and/or amount band
 * (nbands > 0), at least one of the two; quotas by spec->alloc; then each
 * stratum, in order, gets a partial Fisher–Yates draw of its quota from
 * its members in id order, all from one xoshiro256** stream seeded with
 * spec->seed.
 *
 * Returns JX_OK; JX_EINVAL with d naming the field for: a NULL argument,
 * n above JX_SAMPLE_MAX_CANDIDATES (JX_ETOOBIG), a missing or repeated id
 * ("candidates[i].id"), a negative amount, spec->n of 0, an unknown method
 * or allocation, stratification settings under SIMPLE, STRATIFIED with
 * neither departments nor bands, bands not strictly ascending or too many,
 * min_per_stratum 0, or minimums adding up to more than spec->n;
 * JX_ENOMEM. On failure *out is empty.
 */
enum jx_err jx_sample_draw(const struct jx_sample_candidate *c, size_t n,
                           const struct jx_sample_spec *spec,
                           struct jx_arena *arena, struct jx_sample_result *out,
                           struct jx_diag *d);

#endif
