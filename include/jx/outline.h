/*
 * outline.h - report outlines (报告提纲): the 项目支出绩效自评报告 of a
 * self-evaluation written from a template that is data, not code.
 *
 * An outline (rules/outlines/NAME.json, format in docs/rules.md "Report
 * outlines") gives the report's title, its sections with headings (levels
 * 1 to 3, by nesting) and, in each section, content items: literal text
 * with placeholders ({title}, {funds.rate}, {score} ...), sentences
 * generated from the data by name ("funds": "全年预算资金131.4万元，全年执行
 * 资金131.4万元，预算执行率100%。"), tables by name (the 自评表 of form.h,
 * the funds, the indicators), blanks left for people to write (the
 * narrative, with a prompt), notes and page breaks. jx_outline_parse
 * checks an outline strictly once; jx_outline_render writes the report of
 * one evaluation into a block document (doc.h) for the renderers.
 *
 * Figures are the evaluation's, written exactly (jx_dec); the execution
 * rate, the scores, the grade, the outcome of each indicator and the
 * problems found are computed under the rule set (score.h, audit.h), never
 * copied from what the form states. What the data does not give is said
 * ("自评表未填写…", "…无法计算"), never invented.
 *
 * Pure: no I/O (the caller reads the outline file), no globals.
 */
#ifndef JX_OUTLINE_H
#define JX_OUTLINE_H

#include <stddef.h>

#include "jx/arena.h"
#include "jx/doc.h"
#include "jx/err.h"
#include "jx/model.h"
#include "jx/rules.h"

#define JX_OUTLINE_MAX_ITEMS 2000 /* headings and items in one outline */
#define JX_OUTLINE_MAX_DEPTH 3    /* nesting of sections (heading levels) */
#define JX_OUTLINE_MAX_WORDS 16   /* words of one level1 filter */
#define JX_OUTLINE_WORD_MAX  64   /* bytes of one such word */
#define JX_OUTLINE_PARA_MAX  (1u << 20) /* bytes of one generated block */

struct jx_outline; /* private to outline.c */

/*
 * Parse and check the outline text[0..len) (UTF-8 JSON, the format of
 * docs/rules.md "Report outlines"), read with the project's strict JSON
 * reader (json.h). `name` names the file in diagnostics (may be NULL).
 * Refused, with the file, line, column, field path
 * ("sections[2].items[0].sentence") and a zh-CN message: text that is not
 * strict JSON (JX_EPARSE: duplicate keys, trailing commas ...), unknown
 * keys at any level, wrong types, a missing required key, a format other
 * than 1, an unknown sentence or table name, an option a kind does not
 * take, an unknown placeholder (the message names it and lists those
 * allowed), a malformed template, sections nested deeper than
 * JX_OUTLINE_MAX_DEPTH (JX_EINVAL); over a limit (JX_ETOOBIG); JX_ENOMEM.
 *
 * On JX_OK *out is the outline, allocated in a (borrowed: it must outlive
 * the outline; nothing points into text); on failure *out is untouched
 * and a may hold garbage.
 */
enum jx_err jx_outline_parse(const char *text, size_t len, const char *name,
                             struct jx_arena *a, const struct jx_outline **out,
                             struct jx_diag *d);

/*
 * Append the 自评报告 of e, following o, to doc: the title (and subtitle),
 * then every section's heading and items in order. Meant for a portrait
 * document (jx_doc_init's default); doc->landscape is left as it is.
 * doc->title is set to the rendered title when it is NULL. r may be NULL:
 * then nothing is scored or checked and the sentences that need a rule set
 * say so ("未指定规则方案，…"). e, r and o are only read; the document
 * copies what it keeps (tables are built in doc's arena).
 *
 * Returns JX_OK; JX_EINVAL (o, e or doc NULL); JX_ENOMEM; JX_ETOOBIG (a
 * generated block over JX_OUTLINE_PARA_MAX bytes, or a limit of doc.h or
 * grid.h). On failure d says why and doc may hold part of the report
 * (discard it).
 */
enum jx_err jx_outline_render(const struct jx_outline *o,
                              const struct jx_eval *e, const struct jx_rules *r,
                              struct jx_doc *doc, struct jx_diag *d);

/* The outline's name as given to jx_outline_parse ("" when NULL). */
const char *jx_outline_name(const struct jx_outline *o);

#endif
