/*
 * fuzz_rules.c - libFuzzer target for the rule-set loader.
 *
 * Feeds arbitrary bytes to jx_rules_load. A refused input must leave the
 * rule set empty and a diagnostic whose field and message are valid UTF-8
 * (they end up in JSON error bodies). An accepted one must hold what the
 * validator promises: sorted unique words with tiers 1..3, tier bands that
 * tile [0, 1], strictly descending grades; and every lookup must run on it.
 * Seed corpus: tests/fuzz/corpus/rules/ (the built-in rule sets).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx/rules.h"
#include "jx/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_loaded(const struct jx_rules *r);

/* Abort (a finding) unless the loaded rule set keeps its invariants. */
static void
check_loaded(const struct jx_rules *r)
{
	jx_dec v;
	size_t i, j;
	int k, hits;

	if (r->nlevel1 == 0 || r->level1 == NULL)
		abort();
	for (i = 0; i < r->nwords; i++) {
		if (r->words[i].tier < 1 || r->words[i].tier > 3)
			abort();
		if (i > 0 &&
		    strcmp(r->words[i - 1].word, r->words[i].word) >= 0)
			abort();
		if (jx_rules_word_tier(r, r->words[i].word,
		                       strlen(r->words[i].word)) !=
		    r->words[i].tier)
			abort();
	}
	for (i = 0; i <= 100; i++) {
		v = (jx_dec)i * 10000;
		hits = 0;
		for (k = 0; k < 3; k++)
			hits += jx_rules_band_contains(&r->tiers[k].band, v);
		if (hits != 1)
			abort();
		(void)jx_rules_numeric_tier(r, v);
		(void)jx_rules_grade_for(r, v * 100);
	}
	for (i = 1; i < r->ngrades; i++)
		if (r->grades[i].min >= r->grades[i - 1].min)
			abort();
	for (i = 0; i < r->nlevel1; i++) {
		if (jx_rules_level1_find(r, r->level1[i].name) == NULL)
			abort();
		for (j = 0; j < r->level1[i].naliases; j++)
			(void)jx_rules_level1_find(r, r->level1[i].aliases[j]);
		(void)jx_rules_level1_expected(r, &r->level1[i], false, &v);
	}
	for (i = 0; i < r->ngrades; i++)
		if (jx_rules_grade_find(r, r->grades[i].name) == NULL)
			abort();
	for (i = 0; i < r->quant.nbare_by_level2; i++)
		(void)jx_rules_bare_cmp(r, r->quant.bare_by_level2[i].level2);
	if (!r->level1_free && r->satisfaction_fallback != NULL &&
	    jx_rules_level1_find(r, r->satisfaction_fallback) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jx_rules r;
	struct jx_diag d;
	enum jx_err err;

	err = jx_rules_load(&r, (const char *)data, size, "fuzz", "fuzz.json",
	                    &d);
	if (err == JX_OK) {
		check_loaded(&r);
		/* The input as a word: any bytes, any length. */
		(void)jx_rules_word_tier(&r, (const char *)data, size);
	} else {
		if (r.level1 != NULL || r.words != NULL || r.ngrades != 0)
			abort();
		if (memchr(d.field, '\0', sizeof(d.field)) == NULL ||
		    memchr(d.message, '\0', sizeof(d.message)) == NULL ||
		    !jx_text_utf8_valid(d.field, strlen(d.field)) ||
		    !jx_text_utf8_valid(d.message, strlen(d.message)) ||
		    d.message[0] == '\0' || d.line < 0 || d.column < 0)
			abort();
	}
	jx_rules_cleanup(&r);
	return 0;
}
