/*
 * fuzz_evaljson.c - libFuzzer target for the interchange format reader.
 *
 * Any input must be read or refused without a crash, a leak or undefined
 * behaviour, with a diagnostic. An input that is read must survive the
 * round trip: write it, read the writing back (which must succeed) and
 * write again; the two writings must be the same bytes,
 * write(read(write(read(x)))) == write(read(x)). It does not score.
 *
 * Run: cmake --preset fuzz && cmake --build build/fuzz --target fuzz_evaljson
 *      build/fuzz/fuzz_evaljson -max_total_time=60 tests/fuzz/corpus/evaljson
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/evaljson.h"
#include "jx/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(const char *what, const struct jx_diag *d, const struct jx_buf *b)
{
	fprintf(stderr, "fuzz_evaljson: %s: %d:%d %s: %s\n%s\n", what, d->line,
	        d->column, d->field, d->message,
	        b->data != NULL ? b->data : "");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jx_eval e1, e2;
	static int ready;
	struct jx_buf w1, w2;
	struct jx_diag d;
	enum jx_err err;

	if (!ready) {
		jx_eval_init(&e1);
		jx_eval_init(&e2);
		ready = 1;
	}
	jx_buf_init(&w1, 4 * (size_t)JX_MAX_RECORD_BYTES);
	jx_buf_init(&w2, 4 * (size_t)JX_MAX_RECORD_BYTES);
	err = jx_evaljson_read((const char *)data, size, "fuzz", 1, &e1, &d);
	if (err != JX_OK) {
		if (d.message[0] == '\0')
			die("refused without a message", &d, &w1);
		goto done;
	}
	if (jx_evaljson_write(&w1, &e1) != JX_OK)
		die("write failed", &d, &w1);
	if (jx_evaljson_read(w1.data, w1.len, "w1", 1, &e2, &d) != JX_OK)
		die("re-read of the writing failed", &d, &w1);
	if (jx_evaljson_write(&w2, &e2) != JX_OK)
		die("second write failed", &d, &w2);
	if (w1.len != w2.len || memcmp(w1.data, w2.data, w1.len) != 0) {
		fprintf(stderr, "first:  %s\nsecond: %s\n", w1.data, w2.data);
		die("writings differ", &d, &w2);
	}
done:
	jx_buf_free(&w1);
	jx_buf_free(&w2);
	return 0;
}
