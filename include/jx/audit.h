/*
 * audit.h - compare every figure a self-evaluation states with what its data
 * implies under a rule set, and report each disagreement as a finding with a
 * stable code, a severity, where it is, the stated and computed values and a
 * zh-CN message. A finding only where the data implies it; where the rules
 * leave room for judgement (an inferred direction, a soft target) it is a
 * warning, never an error. Pure: no I/O; findings live in the caller's arena.
 *
 * Codes (stable, documented in docs/format.md): WEIGHT_SUM, TOTAL_MISMATCH,
 * SCORE_OVER_WEIGHT, EXEC_RATE_MISMATCH, EXEC_SCORE_MISMATCH,
 * COMPLETION_MISMATCH, SCORE_MISMATCH, GRADE_MISMATCH,
 * MISSING_DEVIATION_REASON, FUNDS_MISMATCH, MISSING_VALUE, UNPARSED_VALUE,
 * UNIT_MISMATCH, LARGE_DEVIATION, LEVEL1_WEIGHT. A word outside the rule
 * set's vocabulary is an UNPARSED_VALUE.
 */
#ifndef JX_AUDIT_H
#define JX_AUDIT_H

#include <stddef.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"
#include "jx/score.h"

enum jx_severity {
	JX_SEV_ERROR = 1, /* the data proves the stated figure wrong */
	JX_SEV_WARNING,   /* doubtful, or depends on a judgement call */
	JX_SEV_OK         /* a confirmation: the stated figure checks out */
};

struct jx_finding {
	const char *code; /* static: "TOTAL_MISMATCH" */
	enum jx_severity severity;
	const char *where; /* "产出指标/质量指标/系统故障率", "总分", ... */
	const char *stated;   /* as the document states it, or NULL */
	const char *computed; /* what the data implies, or NULL */
	const char *message;  /* zh-CN */
	int indicator;        /* index into eval indicators, -1 if none */
};

struct jx_findings {
	struct jx_finding *items;
	size_t n;
	size_t cap;
	size_t nerrors;
	size_t nwarnings;
	size_t nok;     /* confirmations (JX_SEV_OK items) */
	size_t dropped; /* past JX_MAX_FINDINGS */
};

/* Flags of jx_audit_run. */
#define JX_AUDIT_CONFIRM 1u /* also record confirmations (JX_SEV_OK) */

/*
 * Items of severity JX_SEV_OK record the checks a stated figure passed
 * ("总分94.9 = 各项得分之和"), so a report can confirm what is right; they are
 * not findings and writers list them apart.
 *
 * Audit e, already scored into res under r. Findings and their strings are
 * allocated from `arena`. Returns JX_OK or JX_ENOMEM.
 */
enum jx_err jx_audit_run(const struct jx_eval *e, const struct jx_rules *r,
                         const struct jx_result *res, struct jx_arena *arena,
                         unsigned flags, struct jx_findings *out);

/* "error", "warning" or "ok". */
const char *jx_audit_severity_name(enum jx_severity s);

#endif
