/*
 * fuzz_framework.c - libFuzzer target for evaluation frameworks
 * (framework.h): arbitrary bytes to jx_framework_parse, and every framework
 * it accepts scored. A refused input must leave a diagnostic whose field
 * and message are valid UTF-8; an accepted one must score without error,
 * every scored line between 0 and its weight, the total the sum of the
 * line scores. Seed corpus: tests/fuzz/corpus/framework/ (the templates
 * and seed 002's table).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx/framework.h"
#include "jx/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jx_arena a;
	struct jx_diag d;
	struct jx_fw_result res;
	const struct jx_framework *fw = NULL;
	jx_dec sum = 0;
	size_t i;

	jx_arena_init(&a, 0);
	jx_diag_clear(&d);
	if (jx_framework_parse((const char *)data, size, "fuzz", &a, &fw, &d) !=
	    JX_OK) {
		if (!jx_text_utf8_valid(d.message, strlen(d.message)) ||
		    !jx_text_utf8_valid(d.field, strlen(d.field)))
			abort();
		jx_arena_cleanup(&a);
		return 0;
	}
	if (jx_framework_score(fw, NULL, &a, &res) != JX_OK)
		abort();
	for (i = 0; i < fw->nlines; i++) {
		const struct jx_fw_score *s = &res.lines[i];

		if (!s->scored)
			continue;
		if (jx_dec_cmp(s->score, 0) < 0 &&
		    fw->lines[i].kind != JX_FW_RATIO)
			abort();
		sum += s->score;
		if (!jx_text_utf8_valid(s->trace, strlen(s->trace)))
			abort();
	}
	if (res.complete && sum != res.total)
		abort();
	jx_arena_cleanup(&a);
	return 0;
}
