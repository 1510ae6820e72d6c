/*
 * test_workflow.c - the review workflow (include/jx/workflow.h): the
 * shipped rules/workflow/standard.json, every (state, action, role,
 * department or not) against an independent statement of the rules, the
 * buttons each caller sees, and every fixture under tests/data/workflow/
 * (NNN-name.json with NNN-name.expect: the error, field, line and part of
 * the message the loader must give).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jx/arena.h"
#include "jx/json.h"
#include "jx/workflow.h"
#include "testutil.h"

#define DATA_DIR  JX_SOURCE_DIR "/tests/data/workflow"
#define MAX_FILES 128

static const char *const all_states[] = {
        "draft", "submitted", "dept_approved", "finance_approved", "returned",
};
static const char *const all_roles[] = {
        "unit_filer", "dept_reviewer", "finance_reviewer",
        "admin",      "nobody", /* not a role: may take nothing */
};

/*
 * The standard workflow as the brief states it, written independently of
 * the file: action, the states it leaves from ("|"-separated), where it
 * leads, the one role that may take it, when it applies (0 always, 1 with
 * a department, 2 without) and whether a comment is required.
 */
static const struct spec {
	const char *action;
	const char *from;
	const char *to;
	const char *role;
	int when;
	bool comment;
} spec[] = {
        {"submit", "|draft|returned|", "submitted", "unit_filer", 0, false},
        {"dept_approve", "|submitted|", "dept_approved", "dept_reviewer", 1,
         false},
        {"dept_return", "|submitted|", "returned", "dept_reviewer", 1, true},
        {"finance_approve", "|dept_approved|", "finance_approved",
         "finance_reviewer", 1, false},
        {"finance_approve_direct", "|submitted|", "finance_approved",
         "finance_reviewer", 2, false},
        {"finance_return", "|dept_approved|", "returned", "finance_reviewer", 1,
         true},
        {"finance_return_direct", "|submitted|", "returned", "finance_reviewer",
         2, true},
        {"reopen", "|finance_approved|", "returned", "finance_reviewer", 0,
         true},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
load_file(const char *rel, struct jx_workflow *w)
{
	struct jx_diag d;
	char msg[1024];
	size_t len = 0;
	char *buf = tu_read(rel, &len);
	enum jx_err err;

	if (buf == NULL)
		fail_msg("cannot read %s", rel);
	err = jx_workflow_load(w, buf, len, rel, &d);
	free(buf);
	if (err != JX_OK) {
		jx_diag_format(&d, msg, sizeof(msg));
		fail_msg("%s: %s", jx_err_name(err), msg);
	}
}

static int
setup(void **state)
{
	struct jx_workflow *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return -1;
	load_file("rules/workflow/standard.json", w);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	jx_workflow_cleanup(*state);
	free(*state);
	return 0;
}

/* The file loads with its five states and eight actions, labels in
 * Chinese, draft initial and editable, finance_approved final. */
static void
test_standard_shape(void **state)
{
	const struct jx_workflow *w = *state;
	size_t i;

	assert_int_equal(w->nstates, 5);
	assert_int_equal(w->ntrans, NELEM(spec));
	assert_string_equal(jx_workflow_initial_key(w), "draft");
	assert_true(strlen(w->title) > 0);
	assert_string_equal(jx_workflow_state_label(w, "draft"), "草稿");
	assert_string_equal(jx_workflow_state_label(w, "submitted"), "已提交");
	assert_string_equal(jx_workflow_state_label(w, "dept_approved"),
	                    "主管部门已审核");
	assert_string_equal(jx_workflow_state_label(w, "finance_approved"),
	                    "财政已审核");
	assert_string_equal(jx_workflow_state_label(w, "returned"), "已退回");
	/* An unknown key is its own label. */
	assert_string_equal(jx_workflow_state_label(w, "lost"), "lost");
	assert_int_equal(jx_workflow_state(w, "lost"), -1);
	assert_int_equal(jx_workflow_state(w, NULL), -1);
	for (i = 0; i < NELEM(all_states); i++) {
		bool ed = strcmp(all_states[i], "draft") == 0 ||
		          strcmp(all_states[i], "returned") == 0;
		bool fin = strcmp(all_states[i], "finance_approved") == 0;

		assert_int_equal(jx_workflow_state(w, all_states[i]), (int)i);
		assert_int_equal(jx_workflow_editable(w, all_states[i]), ed);
		assert_int_equal(jx_workflow_final(w, all_states[i]), fin);
	}
	assert_false(jx_workflow_editable(w, "lost"));
	assert_false(jx_workflow_final(w, "lost"));
	for (i = 0; i < NELEM(spec); i++) {
		const struct jx_workflow_transition *t = &w->trans[i];

		assert_string_equal(t->action, spec[i].action);
		assert_int_equal(t->to, jx_workflow_state(w, spec[i].to));
		assert_int_equal(t->roles, jx_workflow_role_bit(spec[i].role));
		assert_int_equal(t->comment_required, spec[i].comment);
		assert_int_equal((int)t->when, spec[i].when);
	}
	assert_string_equal(w->trans[0].label, "提交");
	assert_string_equal(w->trans[7].label, "撤回审核");
}

static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(jx_workflow_role_bit("unit_filer"), JX_ROLEBIT_UNIT);
	assert_int_equal(jx_workflow_role_bit("dept_reviewer"),
	                 JX_ROLEBIT_DEPT);
	assert_int_equal(jx_workflow_role_bit("finance_reviewer"),
	                 JX_ROLEBIT_FINANCE);
	assert_int_equal(jx_workflow_role_bit("admin"), JX_ROLEBIT_ADMIN);
	assert_int_equal(jx_workflow_role_bit("Admin"), 0);
	assert_int_equal(jx_workflow_role_bit(""), 0);
	assert_int_equal(jx_workflow_role_bit(NULL), 0);
	assert_string_equal(jx_workflow_role_label("unit_filer"), "单位填报");
	assert_string_equal(jx_workflow_role_label("dept_reviewer"),
	                    "主管部门审核");
	assert_string_equal(jx_workflow_role_label("finance_reviewer"),
	                    "财政审核");
	assert_string_equal(jx_workflow_role_label("admin"), "系统管理员");
	assert_string_equal(jx_workflow_role_label("root"), "未知角色");
	assert_string_equal(jx_workflow_role_label(NULL), "未知角色");
}

/* Hand-picked rows, each with why. */
static const struct row {
	const char *from, *action, *role;
	bool dept;
	const char *comment;
	enum jx_err want;
	const char *to; /* on JX_OK */
	const char *field;
} rows[] = {
        /* the happy path through a department */
        {"draft", "submit", "unit_filer", true, NULL, JX_OK, "submitted", NULL},
        {"submitted", "dept_approve", "dept_reviewer", true, NULL, JX_OK,
         "dept_approved", NULL},
        {"dept_approved", "finance_approve", "finance_reviewer", true, NULL,
         JX_OK, "finance_approved", NULL},
        /* a unit directly under the finance bureau */
        {"submitted", "finance_approve_direct", "finance_reviewer", false, NULL,
         JX_OK, "finance_approved", NULL},
        {"submitted", "finance_return_direct", "finance_reviewer", false,
         "指标值不完整", JX_OK, "returned", NULL},
        /* ... where the department steps do not apply */
        {"submitted", "dept_approve", "dept_reviewer", false, NULL,
         JX_ECONFLICT, NULL, "action"},
        {"submitted", "finance_approve_direct", "finance_reviewer", true, NULL,
         JX_ECONFLICT, NULL, "action"},
        /* finance may not skip the department */
        {"submitted", "finance_approve", "finance_reviewer", true, NULL,
         JX_ECONFLICT, NULL, "action"},
        /* returns need a comment; blanks and full-width spaces are none */
        {"submitted", "dept_return", "dept_reviewer", true, NULL, JX_EINVAL,
         NULL, "comment"},
        {"submitted", "dept_return", "dept_reviewer", true, "", JX_EINVAL, NULL,
         "comment"},
        {"submitted", "dept_return", "dept_reviewer", true, " \t\u3000 ",
         JX_EINVAL, NULL, "comment"},
        {"submitted", "dept_return", "dept_reviewer", true, "请补充满意度指标",
         JX_OK, "returned", NULL},
        {"dept_approved", "finance_return", "finance_reviewer", true, NULL,
         JX_EINVAL, NULL, "comment"},
        /* a returned record is resubmitted by the unit */
        {"returned", "submit", "unit_filer", true, NULL, JX_OK, "submitted",
         NULL},
        {"returned", "submit", "dept_reviewer", true, NULL, JX_EPERM, NULL,
         "action"},
        /* reopening a final record */
        {"finance_approved", "reopen", "finance_reviewer", true, "更正权重",
         JX_OK, "returned", NULL},
        {"finance_approved", "reopen", "finance_reviewer", false, "更正", JX_OK,
         "returned", NULL},
        {"finance_approved", "reopen", "finance_reviewer", false, NULL,
         JX_EINVAL, NULL, "comment"},
        {"finance_approved", "reopen", "admin", true, "x", JX_EPERM, NULL,
         "action"},
        /* wrong role is EPERM whatever the state */
        {"draft", "dept_approve", "unit_filer", true, NULL, JX_EPERM, NULL,
         "action"},
        {"finance_approved", "submit", "finance_reviewer", true, NULL, JX_EPERM,
         NULL, "action"},
        /* right role, wrong state */
        {"submitted", "submit", "unit_filer", true, NULL, JX_ECONFLICT, NULL,
         "action"},
        {"finance_approved", "submit", "unit_filer", true, NULL, JX_ECONFLICT,
         NULL, "action"},
        /* the record's state is unknown */
        {"archived", "submit", "unit_filer", true, NULL, JX_ECONFLICT, NULL,
         "action"},
        {NULL, "submit", "unit_filer", true, NULL, JX_ECONFLICT, NULL,
         "action"},
        /* unknown action, unknown role */
        {"draft", "approve_all", "admin", true, NULL, JX_EINVAL, NULL,
         "action"},
        {"draft", "submit", "root", true, NULL, JX_EPERM, NULL, "action"},
        {"draft", "submit", NULL, true, NULL, JX_EPERM, NULL, "action"},
};

static void
test_rows(void **state)
{
	const struct jx_workflow *w = *state;
	const struct jx_workflow_transition *t;
	struct jx_diag d;
	size_t i;
	enum jx_err err;

	for (i = 0; i < NELEM(rows); i++) {
		const struct row *r = &rows[i];

		t = NULL;
		jx_diag_clear(&d);
		err = jx_workflow_check(w, r->from, r->action, r->role, r->dept,
		                        r->comment, &t, &d);
		if (err != r->want)
			fail_msg("row %zu (%s %s %s): %s, want %s (%s)", i,
			         r->from != NULL ? r->from : "NULL", r->action,
			         r->role != NULL ? r->role : "NULL",
			         jx_err_name(err), jx_err_name(r->want),
			         d.message);
		if (err == JX_OK) {
			assert_non_null(t);
			assert_string_equal(w->states[t->to].key, r->to);
			assert_string_equal(t->action, r->action);
		} else {
			assert_null(t);
			assert_string_equal(d.field, r->field);
			assert_true(strlen(d.message) > 0);
		}
	}
}

/* The expected answer of the spec for one combination. */
static enum jx_err
expected(const char *from, const char *action, const char *role, bool dept,
         bool comment, const char **to)
{
	char bar[64];
	size_t i;

	for (i = 0; i < NELEM(spec); i++)
		if (strcmp(spec[i].action, action) == 0)
			break;
	if (i == NELEM(spec))
		return JX_EINVAL;
	if (strcmp(spec[i].role, role) != 0)
		return JX_EPERM;
	if ((spec[i].when == 1 && !dept) || (spec[i].when == 2 && dept))
		return JX_ECONFLICT;
	snprintf(bar, sizeof(bar), "|%s|", from);
	if (strstr(spec[i].from, bar) == NULL)
		return JX_ECONFLICT;
	if (spec[i].comment && !comment)
		return JX_EINVAL;
	*to = spec[i].to;
	return JX_OK;
}

/* Every (state, action, role, department) with and without a comment,
 * against the spec; the message always names the reason in Chinese. */
static void
test_every_combination(void **state)
{
	const struct jx_workflow *w = *state;
	const struct jx_workflow_transition *t;
	struct jx_diag d;
	size_t si, ai, ri, k, nok = 0;
	enum jx_err err, want;
	const char *to;

	for (si = 0; si < NELEM(all_states); si++)
		for (ai = 0; ai < NELEM(spec); ai++)
			for (ri = 0; ri < NELEM(all_roles); ri++)
				for (k = 0; k < 4; k++) {
					bool dept = (k & 1) != 0;
					bool com = (k & 2) != 0;

					to = NULL;
					t = NULL;
					want = expected(
					        all_states[si], spec[ai].action,
					        all_roles[ri], dept, com, &to);
					err = jx_workflow_check(
					        w, all_states[si],
					        spec[ai].action, all_roles[ri],
					        dept, com ? "意见" : NULL, &t,
					        &d);
					if (err != want)
						fail_msg("%s %s %s dept=%d "
						         "comment=%d: %s, want "
						         "%s (%s)",
						         all_states[si],
						         spec[ai].action,
						         all_roles[ri], dept,
						         com, jx_err_name(err),
						         jx_err_name(want),
						         d.message);
					if (err == JX_OK) {
						nok++;
						assert_string_equal(
						        w->states[t->to].key,
						        to);
					} else {
						assert_true(d.message[0] != 0);
					}
				}
	/* submit 2 states x 2 dept x 2 comment = 8; the four with-dept and
	 * the two without-dept single-state steps: 2 comment variants each
	 * when no comment is needed (dept_approve, finance_approve,
	 * finance_approve_direct: 3 x 2 = 6), 1 when one is (dept_return,
	 * finance_return, finance_return_direct: 3); reopen 2 dept x 1 = 2. */
	assert_int_equal(nok, 8 + 6 + 3 + 2);
}

/* The buttons: exactly the spec's transitions that would pass. */
static void
test_available(void **state)
{
	const struct jx_workflow *w = *state;
	const struct jx_workflow_transition *out[JX_WORKFLOW_MAX_TRANSITIONS];
	const char *to;
	size_t si, ri, k, n, i, j, want;

	for (si = 0; si < NELEM(all_states); si++)
		for (ri = 0; ri < NELEM(all_roles); ri++)
			for (k = 0; k < 2; k++) {
				n = jx_workflow_available(w, all_states[si],
				                          all_roles[ri], k != 0,
				                          out, NELEM(out));
				want = 0;
				for (i = 0; i < NELEM(spec); i++) {
					if (expected(all_states[si],
					             spec[i].action,
					             all_roles[ri], k != 0,
					             true, &to) != JX_OK)
						continue;
					for (j = 0; j < n; j++)
						if (strcmp(out[j]->action,
						           spec[i].action) == 0)
							break;
					if (j == n)
						fail_msg("%s %s dept=%zu: %s "
						         "missing",
						         all_states[si],
						         all_roles[ri], k,
						         spec[i].action);
					want++;
				}
				assert_int_equal(n, want);
			}
	/* Concrete: a department reviewer on a submitted record sees
	 * 审核通过 and 退回, in file order; cap limits the answer. */
	n = jx_workflow_available(w, "submitted", "dept_reviewer", true, out,
	                          NELEM(out));
	assert_int_equal(n, 2);
	assert_string_equal(out[0]->action, "dept_approve");
	assert_string_equal(out[1]->action, "dept_return");
	assert_int_equal(jx_workflow_available(w, "submitted", "dept_reviewer",
	                                       true, out, 1),
	                 1);
	assert_int_equal(jx_workflow_available(w, "lost", "unit_filer", true,
	                                       out, NELEM(out)),
	                 0);
	assert_int_equal(
	        jx_workflow_available(w, "draft", NULL, true, out, NELEM(out)),
	        0);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every fixture gives the error, field, line and message its .expect
 * names; a refused file leaves w empty. */
static void
test_fixtures(void **state)
{
	char *names[MAX_FILES];
	char rel[512], want[512], msg[1024];
	struct jx_workflow w;
	struct jx_diag d;
	struct dirent *e;
	DIR *dir;
	size_t n = 0, i, len, elen, invalid = 0;
	char *buf, *expect;
	enum jx_err err;

	(void)state;
	dir = opendir(DATA_DIR);
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		assert_true(n < MAX_FILES);
		names[n] = strndup(e->d_name, len - 5);
		assert_non_null(names[n]);
		n++;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), str_cmp);
	assert_true(n >= 20);
	for (i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "tests/data/workflow/%s.json",
		         names[i]);
		buf = tu_read(rel, &len);
		assert_non_null(buf);
		snprintf(rel, sizeof(rel), "tests/data/workflow/%s.expect",
		         names[i]);
		expect = tu_read(rel, &elen);
		if (expect == NULL)
			fail_msg("%s: no .expect file", names[i]);
		err = jx_workflow_load(&w, buf, len, names[i], &d);
		jx_diag_format(&d, msg, sizeof(msg));
		assert_true(
		        tu_expect_field(expect, "error", want, sizeof(want)));
		if (strcmp(want, jx_err_name(err)) != 0)
			fail_msg("%s: error %s, expected %s (%s)", names[i],
			         jx_err_name(err), want, msg);
		if (err == JX_OK) {
			assert_true(w.nstates > 0);
		} else {
			invalid++;
			assert_int_equal(w.nstates, 0);
			assert_int_equal(w.ntrans, 0);
			assert_null(w.strings);
			/* The diagnostic names the file. */
			assert_string_equal(d.file, names[i]);
		}
		jx_workflow_cleanup(&w);
		if (tu_expect_field(expect, "field", want, sizeof(want)) &&
		    strcmp(want, d.field) != 0)
			fail_msg("%s: field \"%s\", expected \"%s\" (%s)",
			         names[i], d.field, want, msg);
		if (tu_expect_field(expect, "line", want, sizeof(want)) &&
		    d.line != (int)strtol(want, NULL, 10))
			fail_msg("%s: line %d, expected %s (%s)", names[i],
			         d.line, want, msg);
		if (tu_expect_field(expect, "message", want, sizeof(want)) &&
		    strstr(d.message, want) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", names[i],
			         d.message, want);
		free(buf);
		free(expect);
		free(names[i]);
	}
	assert_true(invalid >= 20);
}

/* Malformed JSON is reported where the strict reader (json.h) reports it:
 * same error, line and column as parsing the text directly. */
static void
test_malformed_like_json(void **state)
{
	static const char *const texts[] = {
	        "{\"format\": 1,\n \"title\": \"x\",,\n}",
	        "{\"format\": 1, \"format\": 1}",
	        "{\"format\": 1}\n\n  x",
	        "{\"title\": \"\\ud800\"}",
	        "[1, 2,\n 3",
	};
	struct jx_workflow w;
	struct jx_arena a;
	struct jx_diag d1, d2;
	const struct jx_json *root = NULL;
	size_t i;

	(void)state;
	jx_arena_init(&a, 0);
	for (i = 0; i < NELEM(texts); i++) {
		size_t len = strlen(texts[i]);
		enum jx_err e1, e2;

		jx_diag_clear(&d2);
		e1 = jx_workflow_load(&w, texts[i], len, "t.json", &d1);
		e2 = jx_json_parse(texts[i], len, 1, &a, &root, &d2);
		assert_int_equal(e1, JX_EPARSE);
		assert_int_equal(e2, JX_EPARSE);
		assert_int_equal(d1.line, d2.line);
		assert_int_equal(d1.column, d2.column);
		assert_string_equal(d1.message, d2.message);
		assert_string_equal(d1.file, "t.json");
		jx_arena_reset(&a);
	}
	jx_arena_cleanup(&a);
}

/* Bad arguments and empty input; cleanup of an empty workflow. */
static void
test_edges(void **state)
{
	struct jx_workflow w;
	const struct jx_workflow_transition *t = NULL;
	struct jx_diag d;

	(void)state;
	assert_int_equal(jx_workflow_load(&w, NULL, 0, "x", &d), JX_EPARSE);
	assert_int_equal(w.nstates, 0);
	assert_int_equal(jx_workflow_load(&w, NULL, 5, "x", &d), JX_EINVAL);
	assert_int_equal(jx_workflow_load(NULL, "{}", 2, "x", &d), JX_EINVAL);
	assert_int_equal(jx_workflow_load(&w, "{}", 2, "x", NULL), JX_EINVAL);
	jx_workflow_cleanup(&w);
	jx_workflow_cleanup(NULL);
	assert_null(jx_workflow_initial_key(&w));
	assert_int_equal(jx_workflow_check(NULL, "draft", "submit",
	                                   "unit_filer", true, NULL, &t, &d),
	                 JX_EINVAL);
	assert_null(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_standard_shape, setup,
	                                        teardown),
	        cmocka_unit_test(test_roles),
	        cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_every_combination, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_available, setup,
	                                        teardown),
	        cmocka_unit_test(test_fixtures),
	        cmocka_unit_test(test_malformed_like_json),
	        cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
