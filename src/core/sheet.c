/*
 * sheet.c - the sheet finder: read a self-evaluation out of the grids of a
 * document (xlsx sheets, docx tables, tables written as text) with column
 * layouts described as data (rules/layouts/NAME.json).
 *
 * Every comparison of a cell with a layout's words is made on folded text:
 * full-width forms become ASCII and every space and line break goes, so
 * "年度\n指标值", "年度 指标值" and "年度指标值" are one header. A cell
 * matches a word when it equals it or contains it; the longest word a cell
 * contains says which column it names ("指标得分" is 得分). Among several
 * cells naming the same column, one equal to a word beats one containing
 * it, and the layout's earlier word beats a later one, so "三级指标" wins
 * over the "绩效指标" label beside it. A header may be two rows: a group
 * header merged over sub-headers ("自评" over 分值 / 得分, "年度指标值" over
 * 指标性质 / 指标值 / 度量单位) gives way to the sub-headers below it.
 *
 * Reading keeps text as text: targets, actual values, 完成率, names and
 * reasons are copied (trimmed; line breaks that Word wrapped into short
 * cells joined); only weights, scores, money and stated rates are read as
 * exact decimals, and a cell that is not a plain number is a note, never a
 * guess. The layout loader follows the house style of workflow.c: the
 * strict JSON reader, unknown keys refused, each error with its line,
 * column and field path.
 *
 * This file does no I/O and knows nothing of xlsx or docx: it reads grids
 * (grid.h). It neither scores nor checks what it reads (score.h, audit.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx/json.h"
#include "jx/limits.h"
#include "jx/sheet.h"
#include "jx/text.h"

#define LAYOUT_FORMAT 1 /* the "format" this code reads */
#define PATH_CAP      256
#define MSG_CAP       512
#define LIST_CAP      400
#define TITLE_MAX     JX_MAX_VALUE_TEXT
#define ARENA_BLOCK   ((size_t)16 * 1024)
#define NONE          UINT32_MAX
#define NORM_CAP      (JX_SHEET_HEAD_CELL + 1)
#define NUM_CAP       96 /* bytes of a cell read as a number */
#define YEAR_ROWS     64 /* rows of each grid searched for the year */
#define GOAL_BLANKS   2  /* blank rows tolerated inside the goals block */
#define FUND_SKIP     3  /* unlabelled rows tolerated before fund rows */
#define GRADE_MAX     24 /* bytes of a grade read from the narrative */
#define MAX_CANDS     (2 * JX_GRID_MAX_COLS)
#define TEXT_BLANKS   3 /* blank lines a tab-separated table may hold */
#define SCORE_REQ     100
#define SCORE_MISS    (-50)
#define SCORE_OPT     10

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const col_keys[JX_SHEET_NCOLS] = {
        "level1", "level2",     "name",   "target", "actual", "weight",
        "score",  "completion", "reason", "unit",   "nature",
};

static const char *const col_labels[JX_SHEET_NCOLS] = {
        "一级指标",   "二级指标",   "三级指标",
        "年度指标值", "实际完成值", "分值",
        "得分",       "完成率",     "偏差原因分析及改进措施",
        "度量单位",   "指标性质",
};

static const char *const fund_keys[JX_SHEET_NFUND] = {
        "initial",       "annual",    "received",    "executed",   "balance",
        "received_rate", "exec_rate", "exec_weight", "exec_score",
};

static const char *const fund_labels[JX_SHEET_NFUND] = {
        "年初预算数", "全年预算数", "实际到位资金", "全年执行数", "资金结余",
        "预算到位率", "执行率",     "分值",         "得分",
};

/* ------------------------------------------------------------------ */
/* Types                                                               */

/* Loader state: the layout being built and where in the file we are. */
struct lctx {
	struct jx_diag *d;
	struct jx_sheet_layout *l;
	char path[PATH_CAP];
	size_t plen;
};

/* How a cell matched a list of words. */
struct wmatch {
	bool found;
	bool exact;   /* the cell is the word */
	unsigned idx; /* the word's place in its list */
	size_t len;   /* the word's length in bytes (folded) */
};

/* A cell of a header row that names a column. */
struct cand {
	unsigned field;
	uint32_t col;
	unsigned slot; /* 0: the first header row, 1: the row below */
	struct wmatch m;
};

/* Where one layout finds its indicator table. */
struct mapping {
	size_t li;   /* layout index */
	size_t grid; /* grid index */
	uint32_t row, hrows;
	uint32_t col[JX_SHEET_NCOLS];  /* 0-based, NONE */
	uint32_t hrow[JX_SHEET_NCOLS]; /* row of the header cell */
	unsigned required, optional;
	int score;
	bool found, accepted;
};

/* Scratch memory of one jx_sheet_read call. */
struct scratch {
	char norm[2][JX_GRID_MAX_COLS][NORM_CAP];
	size_t nlen[2][JX_GRID_MAX_COLS];
	bool group[2][JX_GRID_MAX_COLS];
	bool cont[2][JX_GRID_MAX_COLS];   /* a merge from a row above */
	unsigned bf[2][JX_GRID_MAX_COLS]; /* what each cell names (map_row) */
	struct wmatch bm[2][JX_GRID_MAX_COLS];
	/* cell_best of each loaded row under each layout, computed once per
	 * row and layout (a row is looked at as row r and as row r + 1):
	 * [(slot * nlayouts + layout) * JX_GRID_MAX_COLS + column] */
	unsigned *cbf;
	struct wmatch *cbm;
	bool cvalid[2][JX_SHEET_MAX_LAYOUTS];
	struct cand cands[MAX_CANDS];
	char text[JX_MAX_TEXT + 8];
};

/* Reader state. */
struct rd {
	const struct jx_grid *grids;
	size_t ngrids;
	const struct jx_sheet_layout *l;
	struct jx_eval *e;
	struct jx_sheet_report *rep;
	struct scratch *sc;
	const char **names; /* label of each grid, in rep's arena */
	struct mapping m;   /* the chosen table */
	size_t ind_cap, goal_cap;
	const char *unit; /* the funds block's unit, for money cells */
	enum jx_err err;  /* first allocation failure */
};

/* What a number in a cell is. */
enum numk {
	NUMK_POINTS, /* weight, score: "10", "10分" */
	NUMK_MONEY,  /* an amount in the funds unit: "131.4", "131.4万元" */
	NUMK_PCT     /* a rate in percent: "100%", "100" */
};

/* What reading a cell as a number gave. */
enum numres { NUM_BLANK, NUM_OK, NUM_BAD };

/* A grid seen directly or transposed (the funds block of a Shanxi
 * report lists its fund rows as columns). */
struct view {
	const struct jx_grid *g;
	bool t;
};

/* Text grid building: a line of the text, a cell, a table. */
enum lkind { LK_BLANK, LK_TEXT, LK_ACELL, LK_BROW };

struct tline {
	size_t s, e; /* text[s..e), without the line break */
	enum lkind k;
};

struct tcell {
	size_t s, e;
	uint32_t row;
	bool empty;
	bool number; /* a plain number: "10", "4.9", "100%" */
};

struct tbuild {
	const char *text;
	struct jx_arena *a;
	struct tcell *cells;
	size_t ncells, cap;
	struct jx_grid *grids; /* malloc'd while building */
	size_t ngrids, gcap;
	size_t *paras; /* line indexes of paragraphs */
	size_t nparas, pcap;
	char *buf; /* cleaning buffer */
	size_t bcap;
	struct tline *lines;
};

/* ------------------------------------------------------------------ */
/* Prototypes                                                          */

static void path_append(struct lctx *c, const char *s, size_t n);
static size_t push_key(struct lctx *c, const char *key);
static size_t push_index(struct lctx *c, size_t i);
static void pop(struct lctx *c, size_t old);
static enum jx_err fail(struct lctx *c, const struct jx_json *at,
                        enum jx_err err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void list_add(char *buf, size_t cap, const char *item);
static enum jx_err check_keys(struct lctx *c, const struct jx_json *obj,
                              const char *const *keys, size_t nkeys);
static enum jx_err want_kind(struct lctx *c, const struct jx_json *v,
                             enum jx_json_kind kind, const char *what);
static enum jx_err get_string(struct lctx *c, const struct jx_json *obj,
                              const char *key, bool required, size_t max,
                              const char **out);
static enum jx_err parse_words(struct lctx *c, const struct jx_json *v,
                               bool allow_empty, struct jx_sheet_words *out);
static enum jx_err get_words(struct lctx *c, const struct jx_json *obj,
                             const char *key, bool required,
                             struct jx_sheet_words *out);
static enum jx_err words_clash(struct lctx *c, const struct jx_json *v,
                               const struct jx_sheet_words *w,
                               const struct jx_sheet_words *other,
                               const char *other_name);
static enum jx_err load_columns(struct lctx *c, const struct jx_json *obj);
static enum jx_err load_min_required(struct lctx *c,
                                     const struct jx_json *root);
static enum jx_err load_named(struct lctx *c, const struct jx_json *obj,
                              const char *key, struct jx_sheet_named *out,
                              size_t *n);
static enum jx_err load_funds(struct lctx *c, const struct jx_json *obj);
static enum jx_err load_goals(struct lctx *c, const struct jx_json *obj);
static enum jx_err load_header(struct lctx *c, const struct jx_json *obj);
static enum jx_err load_narrative(struct lctx *c, const struct jx_json *obj);
static enum jx_err load_root(struct lctx *c, const struct jx_json *root);

static bool is_space_cp(int32_t cp);
static int32_t next_folded(const char *s, size_t len, size_t *i);
static size_t fold(const char *s, size_t len, char *out, size_t cap);
static const char *find_bytes(const char *h, size_t hn, const char *nd,
                              size_t nn);
static bool match_better(const struct wmatch *a, const struct wmatch *b);
static void col_word_stats(struct jx_sheet_layout *l);
static bool has_wide(const char *s, size_t n);
static struct wmatch words_match(const struct jx_sheet_words *w,
                                 const char *norm, size_t n);
static bool words_exact(const struct jx_sheet_words *w, const char *norm,
                        size_t n);
static bool words_label(const struct jx_sheet_words *w, const char *norm,
                        size_t n);
static bool is_numeral(int32_t cp);
static bool prefix_match(const char *pat, const char *s, size_t len,
                         size_t start, size_t *end);
static size_t strip_prefix(const struct jx_sheet_words *w, const char *s,
                           size_t len);
static bool blank_like(const char *norm, size_t n);
static bool drop_thousands(char *s, size_t *n);
static bool ends_with(const char *s, size_t n, const char *suffix);
static enum numres parse_num(const char *text, enum numk k, const char *unit,
                             jx_dec *out);
static void col_letters(uint32_t col, char *buf, size_t cap);
static size_t append(char *buf, size_t cap, size_t used, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void report_reset(struct jx_sheet_report *r);
static void note(struct rd *rd, size_t gi, uint32_t row, uint32_t col,
                 const char *field, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));
static size_t clean(struct rd *rd, size_t gi, uint32_t r, uint32_t c,
                    const char *text, size_t len, bool join);
static const char *keep(struct rd *rd, size_t gi, uint32_t r, uint32_t c,
                        const char *text, bool join);
static const char *keep_n(struct rd *rd, const char *s, size_t n);
static void read_num(struct rd *rd, size_t gi, uint32_t r, uint32_t c,
                     const char *text, enum numk k, const char *field,
                     const char *what, struct jx_opt *out);
static bool is_blank(const char *text);
static bool is_blank_n(const char *s, size_t n);
static bool row_labelled(struct rd *rd, size_t gi, uint32_t r);

static void load_row(struct scratch *sc, unsigned slot, const struct jx_grid *g,
                     uint32_t r);
static bool cell_best(const struct jx_sheet_layout *l, const char *norm,
                      size_t n, unsigned *field, struct wmatch *out);
static int cand_cmp(const void *a, const void *b);
static void row_best(const struct jx_sheet_layout *l, struct scratch *sc,
                     unsigned p, size_t li, uint32_t ncols);
static void map_row(const struct jx_sheet_layout *l, struct scratch *sc,
                    const struct jx_grid *g, uint32_t r, bool has_next,
                    unsigned s0, unsigned s1, struct mapping *m);
static bool mapping_better(const struct mapping *a, const struct mapping *b);
static void scan(struct rd *rd, const struct jx_sheet_layout *layouts,
                 size_t nlayouts, struct mapping *best);
static void missing_list(const struct jx_sheet_layout *l,
                         const struct mapping *m, char *buf, size_t cap);

static const char *cell(const struct rd *rd, size_t gi, uint32_t r, uint32_t c);
static bool fold_cell(const struct rd *rd, size_t gi, uint32_t r, uint32_t c,
                      char *out, size_t cap, size_t *n);
static bool label_at(struct rd *rd, size_t gi, uint32_t r, uint32_t c,
                     const struct jx_sheet_words *w, const char **inline_v);
static bool any_label(const struct jx_sheet_layout *l, const char *norm,
                      size_t n);
static const char *label_value(struct rd *rd, size_t gi, uint32_t r,
                               uint32_t c);
static const char *find_label(struct rd *rd, const struct jx_sheet_words *w);
static void read_header(struct rd *rd);
static int year_in(const char *norm, size_t n);
static void read_year(struct rd *rd);
static const char *vget(const struct view *v, uint32_t r, uint32_t c);
static uint32_t vrows(const struct view *v);
static uint32_t vcols(const struct view *v);
static void vpos(const struct view *v, uint32_t r, uint32_t c, uint32_t *gr,
                 uint32_t *gc);
static int fund_label(const struct jx_sheet_layout *l, const char *text,
                      size_t *which);
static bool funds_header(const struct rd *rd, const struct view *v, uint32_t h,
                         uint32_t fcol[JX_SHEET_NFUND], uint32_t *first);
static uint32_t funds_rows(struct rd *rd, const struct view *v, uint32_t h,
                           uint32_t first, bool read, size_t gi,
                           uint32_t *last);
static void fund_cells(struct rd *rd, const struct view *v, size_t gi,
                       uint32_t r, const uint32_t fcol[JX_SHEET_NFUND],
                       struct jx_fund_row *row, bool total, const char *path);
static void funds_meta(struct rd *rd, const struct view *v, uint32_t h,
                       uint32_t last, const uint32_t fcol[JX_SHEET_NFUND]);
static void read_funds(struct rd *rd);
static size_t split_goal(const struct jx_sheet_words *w, const char *s,
                         size_t len, size_t *starts, size_t *ends, size_t max);
static void add_goals(struct rd *rd, const char *exp, const char *ach);
static void read_goals(struct rd *rd);
static bool row_total(struct rd *rd, uint32_t r, uint32_t *lc);
static bool row_subheader(struct rd *rd, uint32_t r);
static bool row_has_values(struct rd *rd, uint32_t r);
static const char *col_text(struct rd *rd, uint32_t r, enum jx_sheet_col f,
                            bool join);
static void col_num(struct rd *rd, uint32_t r, enum jx_sheet_col f,
                    const char *field, const char *what, struct jx_opt *out);
static bool is_exec_line(struct rd *rd, uint32_t r);
static void read_exec(struct rd *rd, uint32_t r);
static void read_total(struct rd *rd, uint32_t r, uint32_t lc);
static const char *name_of(struct rd *rd, uint32_t r, bool *had_text);
static void read_indicators(struct rd *rd);
static void read_grade(struct rd *rd);
static bool number_after(const char *s, size_t n, size_t at, jx_dec *v,
                         size_t *end);
static void read_narrative(struct rd *rd);

static enum lkind line_kind(const char *s, size_t n);
static size_t tb_clean(struct tbuild *b, size_t s, size_t e);
static enum jx_err tb_cell(struct tbuild *b, size_t s, size_t e, uint32_t row);
static bool plain_number(const char *s, size_t n);
static size_t tb_span(const struct tbuild *b, size_t row0, size_t n,
                      size_t next0, size_t nnext, size_t prev0, size_t nprev,
                      uint32_t w);
static enum jx_err tb_flush(struct tbuild *b);
static enum jx_err tb_para(struct tbuild *b, size_t line);
static enum jx_err tb_paras(struct tbuild *b);
static enum jx_err tb_mode_a(struct tbuild *b, size_t nl);
static enum jx_err tb_mode_b(struct tbuild *b, size_t nl);

/* ------------------------------------------------------------------ */
/* Layout files: field paths and diagnostics                           */

static void
path_append(struct lctx *c, const char *s, size_t n)
{
	size_t room = PATH_CAP - 1 - c->plen;

	if (n > room)
		n = jx_text_utf8_cut(s, room);
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

static size_t
push_key(struct lctx *c, const char *key)
{
	size_t old = c->plen;

	if (c->plen > 0)
		path_append(c, ".", 1);
	path_append(c, key, strlen(key));
	return old;
}

static size_t
push_index(struct lctx *c, size_t i)
{
	char tmp[32];
	size_t old = c->plen;
	int n = snprintf(tmp, sizeof(tmp), "[%zu]", i);

	if (n > 0)
		path_append(c, tmp, (size_t)n);
	return old;
}

static void
pop(struct lctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* Report err at the current path and the position of `at` (may be NULL). */
static enum jx_err
fail(struct lctx *c, const struct jx_json *at, enum jx_err err, const char *fmt,
     ...)
{
	char msg[MSG_CAP];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		msg[jx_text_utf8_cut(msg, sizeof(msg) - 1)] = '\0';
	if (c->d != NULL) {
		jx_diag_set(c->d, err, c->path, "%s", msg);
		if (at != NULL) {
			c->d->line = at->line;
			c->d->column = at->column;
		}
	}
	return err;
}

static void
list_add(char *buf, size_t cap, const char *item)
{
	size_t used = strlen(buf);

	if (used > 0 && used + 3 < cap) {
		memcpy(buf + used, "、", 3);
		used += 3;
		buf[used] = '\0';
	}
	append(buf, cap, used, "%s", item);
}

/* Every key of obj must be one of keys[0..nkeys). */
static enum jx_err
check_keys(struct lctx *c, const struct jx_json *obj, const char *const *keys,
           size_t nkeys)
{
	char list[LIST_CAP], name[JX_SHEET_WORD_MAX * 2 + 1];
	const struct jx_json_member *m;
	size_t i, j, old, n;
	enum jx_err err = JX_OK;

	for (i = 0; i < obj->len; i++) {
		m = &obj->u.members[i];
		for (j = 0; j < nkeys; j++)
			if (jx_json_eq(&m->key, keys[j], strlen(keys[j])))
				break;
		if (j < nkeys)
			continue;
		n = m->key.len < sizeof(name) - 1
		            ? m->key.len
		            : jx_text_utf8_cut(m->key.u.s, sizeof(name) - 1);
		memcpy(name, m->key.u.s, n);
		name[n] = '\0';
		list[0] = '\0';
		for (j = 0; j < nkeys; j++)
			list_add(list, sizeof(list), keys[j]);
		old = push_key(c, name);
		err = fail(c, &m->key, JX_EINVAL, "未知的键“%s”（可用：%s）",
		           name, list);
		pop(c, old);
		break;
	}
	return err;
}

static enum jx_err
want_kind(struct lctx *c, const struct jx_json *v, enum jx_json_kind kind,
          const char *what)
{
	bool ok = v->kind == kind ||
	          (kind == JX_JSON_TRUE && v->kind == JX_JSON_FALSE);

	if (ok)
		return JX_OK;
	return fail(c, v, JX_EINVAL, "应为%s，实际为%s", what,
	            jx_json_kind_name(v->kind));
}

/* A string member, trimmed, non-empty, at most max bytes, copied. */
static enum jx_err
get_string(struct lctx *c, const struct jx_json *obj, const char *key,
           bool required, size_t max, const char **out)
{
	const struct jx_json *v = jx_json_get(obj, key);
	const char *s;
	size_t n, old;
	enum jx_err err = JX_OK;

	old = push_key(c, key);
	if (v == NULL) {
		if (required)
			err = fail(c, obj, JX_EINVAL, "缺少必填的键“%s”", key);
		goto done;
	}
	if ((err = want_kind(c, v, JX_JSON_STRING, "字符串")) != JX_OK)
		goto done;
	s = v->u.s;
	n = v->len;
	if (memchr(s, '\0', n) != NULL) {
		err = fail(c, v, JX_EINVAL, "文字中不能含有 NUL 字符");
		goto done;
	}
	jx_text_trim(&s, &n);
	if (n == 0) {
		err = fail(c, v, JX_EINVAL, "不能为空");
		goto done;
	}
	if (n > max) {
		err = fail(c, v, JX_EINVAL, "过长（%zu 字节，上限 %zu 字节）",
		           n, max);
		goto done;
	}
	if (out != NULL) {
		*out = jx_arena_strndup(&c->l->arena, s, n);
		if (*out == NULL)
			err = fail(c, v, JX_ENOMEM, "内存不足");
	}
done:
	pop(c, old);
	return err;
}

/* An array of words (1 to JX_SHEET_MAX_WORDS; 0 too when allow_empty),
 * each copied as written and folded. */
static enum jx_err
parse_words(struct lctx *c, const struct jx_json *v, bool allow_empty,
            struct jx_sheet_words *out)
{
	char norm[JX_SHEET_WORD_MAX + 1];
	const struct jx_json *it;
	const char *s;
	size_t i, j, n, nn, old;
	enum jx_err err;

	if ((err = want_kind(c, v, JX_JSON_ARRAY, "词的数组 [\"…\", …]")) !=
	    JX_OK)
		return err;
	if (v->len == 0 && !allow_empty)
		return fail(c, v, JX_EINVAL, "至少须有一个词");
	if (v->len > JX_SHEET_MAX_WORDS)
		return fail(c, v, JX_ETOOBIG, "词过多（%zu 个，上限 %d 个）",
		            v->len, JX_SHEET_MAX_WORDS);
	out->n = 0;
	out->min_len = SIZE_MAX;
	out->all_wide = true;
	if (v->len == 0)
		return JX_OK;
	out->text = jx_arena_calloc(&c->l->arena, v->len, sizeof(char *));
	out->norm = jx_arena_calloc(&c->l->arena, v->len, sizeof(char *));
	out->nlen = jx_arena_calloc(&c->l->arena, v->len, sizeof(size_t));
	if (out->text == NULL || out->norm == NULL || out->nlen == NULL)
		return fail(c, v, JX_ENOMEM, "内存不足");
	for (i = 0; i < v->len; i++) {
		it = &v->u.items[i];
		old = push_index(c, i);
		err = want_kind(c, it, JX_JSON_STRING, "字符串");
		if (err != JX_OK)
			goto fail;
		s = it->u.s;
		n = it->len;
		if (memchr(s, '\0', n) != NULL) {
			err = fail(c, it, JX_EINVAL, "文字中不能含有 NUL 字符");
			goto fail;
		}
		jx_text_trim(&s, &n);
		if (n > JX_SHEET_WORD_MAX) {
			err = fail(c, it, JX_EINVAL,
			           "词过长（%zu 字节，上限 %d 字节）", n,
			           JX_SHEET_WORD_MAX);
			goto fail;
		}
		nn = fold(s, n, norm, sizeof(norm));
		if (nn == 0 || nn == SIZE_MAX) {
			err = fail(c, it, JX_EINVAL, "词不能为空");
			goto fail;
		}
		for (j = 0; j < out->n; j++) {
			if (strcmp(out->norm[j], norm) == 0) {
				err = fail(c, it, JX_EINVAL,
				           "词“%.*s”重复（忽略空格和全角"
				           "半角后与第 %zu 个相同）",
				           (int)n, s, j + 1);
				goto fail;
			}
		}
		out->text[out->n] = jx_arena_strndup(&c->l->arena, s, n);
		out->norm[out->n] = jx_arena_strndup(&c->l->arena, norm, nn);
		out->nlen[out->n] = nn;
		if (nn < out->min_len)
			out->min_len = nn;
		out->all_wide = out->all_wide && has_wide(norm, nn);
		if (out->text[out->n] == NULL || out->norm[out->n] == NULL) {
			err = fail(c, it, JX_ENOMEM, "内存不足");
			goto fail;
		}
		out->n++;
		pop(c, old);
	}
	return JX_OK;
fail:
	pop(c, old);
	return err;
}

static enum jx_err
get_words(struct lctx *c, const struct jx_json *obj, const char *key,
          bool required, struct jx_sheet_words *out)
{
	const struct jx_json *v = jx_json_get(obj, key);
	size_t old = push_key(c, key);
	enum jx_err err;

	if (v == NULL)
		err = required
		              ? fail(c, obj, JX_EINVAL, "缺少必填的键“%s”", key)
		              : JX_OK;
	else
		err = parse_words(c, v, false, out);
	pop(c, old);
	return err;
}

/* No word of w may be one of other's (after folding). */
static enum jx_err
words_clash(struct lctx *c, const struct jx_json *v,
            const struct jx_sheet_words *w, const struct jx_sheet_words *other,
            const char *other_name)
{
	size_t i, j;

	for (i = 0; i < w->n; i++)
		for (j = 0; j < other->n; j++)
			if (strcmp(w->norm[i], other->norm[j]) == 0)
				return fail(c, v, JX_EINVAL,
				            "词“%s”已用于“%s”，同一个词不能"
				            "指两样东西",
				            w->text[i], other_name);
	return JX_OK;
}

static enum jx_err
load_columns(struct lctx *c, const struct jx_json *obj)
{
	static const char *const keys[] = {"words", "required"};
	struct jx_sheet_layout *l = c->l;
	const struct jx_json_member *m;
	const struct jx_json *req;
	size_t i, k, j, old;
	enum jx_err err;

	if ((err = want_kind(c, obj, JX_JSON_OBJECT, "对象 {…}")) != JX_OK)
		return err;
	if ((err = check_keys(c, obj, col_keys, NELEM(col_keys))) != JX_OK)
		return err;
	for (i = 0; i < obj->len; i++) {
		m = &obj->u.members[i];
		for (k = 0; k < JX_SHEET_NCOLS; k++)
			if (jx_json_eq(&m->key, col_keys[k],
			               strlen(col_keys[k])))
				break;
		old = push_key(c, col_keys[k]);
		err = want_kind(c, &m->value, JX_JSON_OBJECT,
		                "对象 {\"words\": […]}");
		if (err == JX_OK)
			err = check_keys(c, &m->value, keys, NELEM(keys));
		if (err == JX_OK)
			err = get_words(c, &m->value, "words", true,
			                &l->cols[k]);
		req = jx_json_get(&m->value, "required");
		if (err == JX_OK && req != NULL) {
			size_t o2 = push_key(c, "required");

			err = want_kind(c, req, JX_JSON_TRUE, "true 或 false");
			pop(c, o2);
			if (err == JX_OK && req->kind == JX_JSON_TRUE) {
				l->required |= 1u << k;
				l->nrequired++;
			}
		}
		for (j = 0; err == JX_OK && j < JX_SHEET_NCOLS; j++)
			if (j != k && l->cols[j].n > 0)
				err = words_clash(c, &m->value, &l->cols[k],
				                  &l->cols[j], col_keys[j]);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if (l->cols[JX_SHEET_NAME].n == 0) {
		old = push_key(c, "name");
		err = fail(c, obj, JX_EINVAL,
		           "缺少三级指标（name）列：没有它读不出指标");
		pop(c, old);
		return err;
	}
	if (l->cols[JX_SHEET_TARGET].n == 0 && l->cols[JX_SHEET_ACTUAL].n == 0)
		return fail(c, obj, JX_EINVAL,
		            "年度指标值（target）和实际完成值（actual）"
		            "至少须有一列");
	return JX_OK;
}

static enum jx_err
load_min_required(struct lctx *c, const struct jx_json *root)
{
	const struct jx_json *v = jx_json_get(root, "min_required");
	struct jx_sheet_layout *l = c->l;
	unsigned n = 0;
	size_t i, old;
	enum jx_err err = JX_OK;

	l->min_required = l->nrequired;
	if (v == NULL)
		return JX_OK;
	old = push_key(c, "min_required");
	if (v->kind != JX_JSON_NUMBER || v->len > 2) {
		err = fail(c, v, JX_EINVAL, "应为 1 到 %u 的整数",
		           l->nrequired);
		goto done;
	}
	for (i = 0; i < v->len; i++) {
		if (v->u.s[i] < '0' || v->u.s[i] > '9') {
			err = fail(c, v, JX_EINVAL, "应为 1 到 %u 的整数",
			           l->nrequired);
			goto done;
		}
		n = n * 10 + (unsigned)(v->u.s[i] - '0');
	}
	if (n < 1 || n > l->nrequired) {
		err = fail(c, v, JX_EINVAL,
		           "应为 1 到 %u 的整数（必需列共 %u 列）",
		           l->nrequired, l->nrequired);
		goto done;
	}
	l->min_required = n;
done:
	pop(c, old);
	return err;
}

/* An object of named rows: {"当年财政拨款": ["…", …], …}. */
static enum jx_err
load_named(struct lctx *c, const struct jx_json *obj, const char *key,
           struct jx_sheet_named *out, size_t *n)
{
	const struct jx_json *v = jx_json_get(obj, key);
	const struct jx_json_member *m;
	const char *s;
	size_t i, j, old, o2, len;
	enum jx_err err = JX_OK;

	*n = 0;
	if (v == NULL)
		return JX_OK;
	old = push_key(c, key);
	if ((err = want_kind(c, v, JX_JSON_OBJECT, "对象 {\"名称\": […]}")) !=
	    JX_OK)
		goto done;
	if (v->len > JX_SHEET_MAX_FUNDS) {
		err = fail(c, v, JX_ETOOBIG, "行过多（%zu 行，上限 %d 行）",
		           v->len, JX_SHEET_MAX_FUNDS);
		goto done;
	}
	for (i = 0; i < v->len && err == JX_OK; i++) {
		m = &v->u.members[i];
		s = m->key.u.s;
		len = m->key.len;
		jx_text_trim(&s, &len);
		if (len == 0 || len > TITLE_MAX ||
		    memchr(s, '\0', len) != NULL) {
			err = fail(c, &m->key, JX_EINVAL,
			           "行名不能为空，不能超过 %d 字节", TITLE_MAX);
			break;
		}
		out[i].name = jx_arena_strndup(&c->l->arena, s, len);
		if (out[i].name == NULL) {
			err = fail(c, &m->key, JX_ENOMEM, "内存不足");
			break;
		}
		o2 = push_key(c, out[i].name);
		err = parse_words(c, &m->value, false, &out[i].words);
		/* a row label must name one row only */
		if (err == JX_OK)
			err = words_clash(c, &m->value, &out[i].words,
			                  &c->l->fund_total, "total");
		for (j = 0; err == JX_OK && j < i; j++)
			err = words_clash(c, &m->value, &out[i].words,
			                  &out[j].words, out[j].name);
		for (j = 0;
		     err == JX_OK && out != c->l->sources && j < c->l->nsources;
		     j++)
			err = words_clash(c, &m->value, &out[i].words,
			                  &c->l->sources[j].words,
			                  c->l->sources[j].name);
		pop(c, o2);
		*n = i + 1;
	}
done:
	pop(c, old);
	return err;
}

static enum jx_err
load_funds(struct lctx *c, const struct jx_json *obj)
{
	static const char *const keys[] = {"orientation", "fields", "total",
	                                   "sources", "levels"};
	struct jx_sheet_layout *l = c->l;
	const struct jx_json *v, *fields;
	size_t k, j, old, o2;
	enum jx_err err;

	if ((err = want_kind(c, obj, JX_JSON_OBJECT, "对象 {…}")) != JX_OK)
		return err;
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK)
		return err;
	v = jx_json_get(obj, "orientation");
	old = push_key(c, "orientation");
	if (v == NULL)
		err = fail(c, obj, JX_EINVAL, "缺少必填的键“orientation”");
	else if (jx_json_eq(v, "rows", 4))
		l->funds_by_column = false;
	else if (jx_json_eq(v, "columns", 7))
		l->funds_by_column = true;
	else
		err = fail(c, v, JX_EINVAL,
		           "应为“rows”（每行一项资金）或“columns”（每列一项"
		           "资金）");
	pop(c, old);
	if (err != JX_OK)
		return err;
	fields = jx_json_get(obj, "fields");
	old = push_key(c, "fields");
	if (fields == NULL)
		err = fail(c, obj, JX_EINVAL, "缺少必填的键“fields”");
	else if ((err = want_kind(c, fields, JX_JSON_OBJECT, "对象 {…}")) ==
	         JX_OK)
		err = check_keys(c, fields, fund_keys, NELEM(fund_keys));
	for (k = 0; err == JX_OK && k < JX_SHEET_NFUND; k++) {
		err = get_words(c, fields, fund_keys[k], false,
		                &l->fund_fields[k]);
		for (j = 0; err == JX_OK && j < k; j++) {
			o2 = push_key(c, fund_keys[k]);
			err = words_clash(c, jx_json_get(fields, fund_keys[k]),
			                  &l->fund_fields[k],
			                  &l->fund_fields[j], fund_keys[j]);
			pop(c, o2);
		}
	}
	if (err == JX_OK && l->fund_fields[JX_SHEET_F_INITIAL].n == 0 &&
	    l->fund_fields[JX_SHEET_F_ANNUAL].n == 0 &&
	    l->fund_fields[JX_SHEET_F_EXECUTED].n == 0)
		err = fail(c, fields, JX_EINVAL,
		           "initial、annual、executed 至少须有一项");
	pop(c, old);
	if (err != JX_OK)
		return err;
	if ((err = get_words(c, obj, "total", true, &l->fund_total)) != JX_OK)
		return err;
	if ((err = load_named(c, obj, "sources", l->sources, &l->nsources)) !=
	    JX_OK)
		return err;
	if ((err = load_named(c, obj, "levels", l->levels, &l->nlevels)) !=
	    JX_OK)
		return err;
	l->has_funds = true;
	return JX_OK;
}

static enum jx_err
load_goals(struct lctx *c, const struct jx_json *obj)
{
	static const char *const keys[] = {"expected", "achieved", "prefixes"};
	struct jx_sheet_layout *l = c->l;
	enum jx_err err;

	if ((err = want_kind(c, obj, JX_JSON_OBJECT, "对象 {…}")) != JX_OK)
		return err;
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK)
		return err;
	if ((err = get_words(c, obj, "expected", true, &l->goal_expected)) !=
	    JX_OK)
		return err;
	if ((err = get_words(c, obj, "achieved", false, &l->goal_achieved)) !=
	    JX_OK)
		return err;
	if ((err = get_words(c, obj, "prefixes", false, &l->goal_prefixes)) !=
	    JX_OK)
		return err;
	l->has_goals = true;
	return JX_OK;
}

static enum jx_err
load_header(struct lctx *c, const struct jx_json *obj)
{
	static const char *const keys[] = {"title", "department", "unit"};
	struct jx_sheet_layout *l = c->l;
	enum jx_err err;

	if ((err = want_kind(c, obj, JX_JSON_OBJECT, "对象 {…}")) != JX_OK)
		return err;
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK)
		return err;
	if ((err = get_words(c, obj, "title", false, &l->title_words)) !=
	            JX_OK ||
	    (err = get_words(c, obj, "department", false,
	                     &l->department_words)) != JX_OK ||
	    (err = get_words(c, obj, "unit", false, &l->unit_words)) != JX_OK)
		return err;
	return JX_OK;
}

static enum jx_err
load_narrative(struct lctx *c, const struct jx_json *obj)
{
	static const char *const keys[] = {"total", "grade"};
	struct jx_sheet_layout *l = c->l;
	enum jx_err err;

	if ((err = want_kind(c, obj, JX_JSON_OBJECT, "对象 {…}")) != JX_OK)
		return err;
	if ((err = check_keys(c, obj, keys, NELEM(keys))) != JX_OK)
		return err;
	if ((err = get_words(c, obj, "total", false, &l->narrative_total)) !=
	    JX_OK)
		return err;
	return get_words(c, obj, "grade", false, &l->narrative_grade);
}

static enum jx_err
load_root(struct lctx *c, const struct jx_json *root)
{
	static const char *const keys[] = {
	        "format",  "title",        "description",   "kind",
	        "columns", "min_required", "name_prefixes", "exec_line",
	        "total",   "grade",        "header",        "funds",
	        "goals",   "narrative",
	};
	struct jx_sheet_layout *l = c->l;
	const struct jx_json *v;
	size_t old;
	enum jx_err err;

	if ((err = want_kind(c, root, JX_JSON_OBJECT, "对象 {…}")) != JX_OK)
		return err;
	if ((err = check_keys(c, root, keys, NELEM(keys))) != JX_OK)
		return err;
	v = jx_json_get(root, "format");
	old = push_key(c, "format");
	if (v == NULL)
		err = fail(c, root, JX_EINVAL, "缺少必填的键“format”");
	else if (v->kind != JX_JSON_NUMBER || v->len != 1 ||
	         v->u.s[0] != '0' + LAYOUT_FORMAT)
		err = fail(c, v, JX_EINVAL, "应为 %d（本程序读取的版式格式）",
		           LAYOUT_FORMAT);
	pop(c, old);
	if (err != JX_OK)
		return err;
	if ((err = get_string(c, root, "title", true, TITLE_MAX, &l->title)) !=
	    JX_OK)
		return err;
	if ((err = get_string(c, root, "description", false, JX_MAX_TEXT,
	                      NULL)) != JX_OK)
		return err;
	v = jx_json_get(root, "kind");
	l->kind = "self";
	if (v != NULL) {
		old = push_key(c, "kind");
		if (jx_json_eq(v, "monitoring", 10))
			l->kind = "monitoring";
		else if (!jx_json_eq(v, "self", 4))
			err = fail(c, v, JX_EINVAL,
			           "应为“self”（自评）或“monitoring”（运行"
			           "监控）");
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	v = jx_json_get(root, "columns");
	old = push_key(c, "columns");
	err = v == NULL ? fail(c, root, JX_EINVAL, "缺少必填的键“columns”")
	                : load_columns(c, v);
	pop(c, old);
	if (err != JX_OK)
		return err;
	if ((err = load_min_required(c, root)) != JX_OK)
		return err;
	v = jx_json_get(root, "name_prefixes");
	if (v != NULL) {
		old = push_key(c, "name_prefixes");
		err = parse_words(c, v, true, &l->name_prefixes);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((err = get_words(c, root, "exec_line", false, &l->exec_line)) !=
	            JX_OK ||
	    (err = get_words(c, root, "total", false, &l->total)) != JX_OK ||
	    (err = get_words(c, root, "grade", false, &l->grade)) != JX_OK)
		return err;
	if ((v = jx_json_get(root, "header")) != NULL) {
		old = push_key(c, "header");
		err = load_header(c, v);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((v = jx_json_get(root, "funds")) != NULL) {
		old = push_key(c, "funds");
		err = load_funds(c, v);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((v = jx_json_get(root, "goals")) != NULL) {
		old = push_key(c, "goals");
		err = load_goals(c, v);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	if ((v = jx_json_get(root, "narrative")) != NULL) {
		old = push_key(c, "narrative");
		err = load_narrative(c, v);
		pop(c, old);
		if (err != JX_OK)
			return err;
	}
	return JX_OK;
}

enum jx_err
jx_sheet_layout_load(struct jx_sheet_layout *l, const char *buf, size_t len,
                     const char *name, const char *source, struct jx_diag *d)
{
	struct jx_arena a;
	struct lctx c;
	const struct jx_json *root = NULL;
	enum jx_err err = JX_OK;

	jx_arena_init(&a, ARENA_BLOCK);
	memset(&c, 0, sizeof(c));
	c.d = d;
	if (d != NULL) {
		jx_diag_clear(d);
		jx_diag_set_file(d, source != NULL ? source : "");
	}
	if (l == NULL || (buf == NULL && len > 0)) {
		err = jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
		goto done;
	}
	memset(l, 0, sizeof(*l));
	jx_arena_init(&l->arena, ARENA_BLOCK);
	c.l = l;
	if (len > JX_MAX_RULES_BYTES) {
		err = jx_diag_set(d, JX_ETOOBIG, NULL,
		                  "版式文件过大（%zu 字节，上限 %u 字节）", len,
		                  (unsigned)JX_MAX_RULES_BYTES);
		goto done;
	}
	err = jx_json_parse(buf != NULL ? buf : "", len, 1, &a, &root, d);
	if (err != JX_OK)
		goto done;
	l->name = jx_arena_strndup(&l->arena, name != NULL ? name : "",
	                           name != NULL ? strlen(name) : 0);
	if (l->name == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	err = load_root(&c, root);
	if (err == JX_OK)
		col_word_stats(l);
done:
	if (err != JX_OK && l != NULL)
		jx_sheet_layout_cleanup(l);
	jx_arena_cleanup(&a);
	return err;
}

void
jx_sheet_layout_cleanup(struct jx_sheet_layout *l)
{
	if (l == NULL)
		return;
	jx_arena_cleanup(&l->arena);
	memset(l, 0, sizeof(*l));
	jx_arena_init(&l->arena, ARENA_BLOCK);
}

const char *
jx_sheet_col_key(enum jx_sheet_col c)
{
	return (unsigned)c < JX_SHEET_NCOLS ? col_keys[c] : "";
}

const char *
jx_sheet_col_label(enum jx_sheet_col c)
{
	return (unsigned)c < JX_SHEET_NCOLS ? col_labels[c] : "";
}

/* ------------------------------------------------------------------ */
/* Folding and matching                                                */

static bool
is_space_cp(int32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0xa0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

/* The next code point of s[0..len) from *i, folded (full-width forms to
 * ASCII), spaces skipped: -1 at the end, U+FFFD for an invalid byte. */
static int32_t
next_folded(const char *s, size_t len, size_t *i)
{
	int32_t cp;

	while (*i < len) {
		cp = jx_text_utf8_next(s, len, i);
		if (cp < 0)
			cp = 0xfffd;
		if (is_space_cp(cp))
			continue;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xfee0;
		return cp;
	}
	return -1;
}

/* s[0..len) folded into out (cap bytes, NUL-terminated): its length, or
 * SIZE_MAX when it does not fit. */
static size_t
fold(const char *s, size_t len, char *out, size_t cap)
{
	char tmp[4];
	size_t i = 0, n = 0, k;
	int32_t cp;

	if (cap == 0)
		return SIZE_MAX;
	while ((cp = next_folded(s, len, &i)) >= 0) {
		k = jx_text_utf8_put(cp, tmp);
		if (n + k + 1 > cap)
			return SIZE_MAX;
		memcpy(out + n, tmp, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

static const char *
find_bytes(const char *h, size_t hn, const char *nd, size_t nn)
{
	const char *p = h, *end;

	if (nn == 0 || nn > hn)
		return NULL;
	end = h + (hn - nn); /* the last place a match can start */
	while (p <= end) {
		p = memchr(p, nd[0], (size_t)(end - p) + 1);
		if (p == NULL)
			return NULL;
		if (p[nn - 1] == nd[nn - 1] && memcmp(p, nd, nn) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* Within one cell: a word the cell is beats one it contains, a longer
 * contained word beats a shorter one, then the earlier word wins. */
static bool
match_better(const struct wmatch *a, const struct wmatch *b)
{
	if (!a->found)
		return false;
	if (!b->found)
		return true;
	if (a->exact != b->exact)
		return a->exact;
	if (a->len != b->len)
		return a->len > b->len;
	return a->idx < b->idx;
}

static struct wmatch
words_match(const struct jx_sheet_words *w, const char *norm, size_t n)
{
	struct wmatch best = {false, false, 0, 0}, m;
	size_t i, wl;

	/* Most cells are figures: shorter than every word, or only ASCII
	 * where every word is Chinese. */
	if (w->n == 0 || n < w->min_len || (w->all_wide && !has_wide(norm, n)))
		return best;
	for (i = 0; i < w->n; i++) {
		wl = w->nlen[i];
		m.exact = wl == n && memcmp(norm, w->norm[i], n) == 0;
		m.found =
		        m.exact || find_bytes(norm, n, w->norm[i], wl) != NULL;
		m.idx = (unsigned)i;
		m.len = wl;
		if (match_better(&m, &best))
			best = m;
	}
	return best;
}

static bool
words_exact(const struct jx_sheet_words *w, const char *norm, size_t n)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->nlen[i] == n && memcmp(norm, w->norm[i], n) == 0)
			return true;
	return false;
}

/* A label cell: the word itself, or the word followed by ':' (a value in
 * the same cell) or by '(' (a note such as "总分(100分)"). */
static bool
words_label(const struct jx_sheet_words *w, const char *norm, size_t n)
{
	size_t i, wl;

	for (i = 0; i < w->n; i++) {
		wl = w->nlen[i];
		if (wl > n || memcmp(norm, w->norm[i], wl) != 0)
			continue;
		if (wl == n || norm[wl] == ':' || norm[wl] == '(')
			return true;
	}
	return false;
}

static bool
is_numeral(int32_t cp)
{
	static const int32_t cn[] = {0x4e00, 0x4e8c, 0x4e09, 0x56db,
	                             0x4e94, 0x516d, 0x4e03, 0x516b,
	                             0x4e5d, 0x5341, 0x3007, 0x96f6};
	size_t i;

	if (cp >= '0' && cp <= '9')
		return true;
	for (i = 0; i < NELEM(cn); i++)
		if (cp == cn[i])
			return true;
	return false;
}

/* Whether pattern pat (folded; '#' stands for one or more digits or
 * Chinese numerals) matches s[start..len) once folded, from start; *end
 * gets the byte offset in s just past the match. */
static bool
prefix_match(const char *pat, const char *s, size_t len, size_t start,
             size_t *end)
{
	size_t pi = 0, plen = strlen(pat), i = start, save, n;
	int32_t pc, cp;

	while (pi < plen) {
		pc = jx_text_utf8_next(pat, plen, &pi);
		if (pc == '#') {
			for (n = 0;; n++) {
				save = i;
				cp = next_folded(s, len, &i);
				if (cp < 0 || !is_numeral(cp)) {
					i = save;
					break;
				}
			}
			if (n == 0)
				return false;
			continue;
		}
		if (next_folded(s, len, &i) != pc)
			return false;
	}
	*end = i;
	return true;
}

/* The offset in s[0..len) past the first of w's patterns it starts
 * with, spaces after it skipped; 0 when it starts with none. */
static size_t
strip_prefix(const struct jx_sheet_words *w, const char *s, size_t len)
{
	const char *p;
	size_t i, end, n;

	for (i = 0; i < w->n; i++) {
		if (!prefix_match(w->norm[i], s, len, 0, &end))
			continue;
		p = s + end;
		n = len - end;
		jx_text_trim(&p, &n);
		return (size_t)(p - s);
	}
	return 0;
}

/* Cells that state no number: "", "-", "—", "/", "无". */
static bool
blank_like(const char *norm, size_t n)
{
	static const char *const dashes[] = {
	        "-",           "--", "\xe2\x80\x94", "\xe2\x80\x94\xe2\x80\x94",
	        "/",           "\\", "\xe2\x80\x93", "无",
	        "\xe2\x80\x95"};
	size_t i;

	if (n == 0)
		return true;
	for (i = 0; i < NELEM(dashes); i++)
		if (strlen(dashes[i]) == n && memcmp(norm, dashes[i], n) == 0)
			return true;
	return false;
}

/* Remove thousands separators when s is written "1,234.5" exactly:
 * groups of three digits after each comma. False when a comma is
 * elsewhere. */
static bool
drop_thousands(char *s, size_t *n)
{
	size_t i, j = 0, run = 0;
	bool comma = false, point = false;

	for (i = 0; i < *n; i++) {
		if (s[i] == ',') {
			if (point || run == 0 || (comma && run != 3) ||
			    (!comma && run > 3))
				return false;
			comma = true;
			run = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			run++;
		} else if (s[i] == '.') {
			if (comma && run != 3)
				return false;
			point = true;
			comma = false;
		}
	}
	if (comma && run != 3)
		return false;
	for (i = 0; i < *n; i++)
		if (s[i] != ',')
			s[j++] = s[i];
	s[j] = '\0';
	*n = j;
	return true;
}

static bool
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && memcmp(s + n - k, suffix, k) == 0;
}

/* Read text as a plain decimal of kind k; unit is the funds unit (may be
 * NULL) that money cells may repeat after the number. */
static enum numres
parse_num(const char *text, enum numk k, const char *unit, jx_dec *out)
{
	char buf[NUM_CAP];
	size_t n;

	if (text == NULL)
		return NUM_BLANK;
	n = fold(text, strlen(text), buf, sizeof(buf));
	if (n == SIZE_MAX)
		return NUM_BAD;
	if (blank_like(buf, n))
		return NUM_BLANK;
	if (k == NUMK_PCT && n > 1 && buf[n - 1] == '%')
		n--;
	else if (k == NUMK_POINTS && ends_with(buf, n, "分"))
		n -= strlen("分");
	else if (k == NUMK_MONEY && unit != NULL && ends_with(buf, n, unit))
		n -= strlen(unit);
	buf[n] = '\0';
	if (memchr(buf, ',', n) != NULL && !drop_thousands(buf, &n))
		return NUM_BAD;
	return jx_dec_parse(buf, n, out) == JX_OK ? NUM_OK : NUM_BAD;
}

/* "A", "B" … "Z", "AA" for 1-based column col. */
static void
col_letters(uint32_t col, char *buf, size_t cap)
{
	char tmp[8];
	size_t n = 0, i;

	while (col > 0 && n < sizeof(tmp)) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (i = 0; i < n && i + 1 < cap; i++)
		buf[i] = tmp[n - 1 - i];
	if (cap > 0)
		buf[i < cap ? i : cap - 1] = '\0';
}

/* printf at buf[used..cap), never splitting a character; the new used. */
static size_t
append(char *buf, size_t cap, size_t used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cap == 0 || used >= cap - 1)
		return used;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, cap - used, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[used] = '\0';
		return used;
	}
	if ((size_t)n >= cap - used) {
		size_t cut = jx_text_utf8_cut(buf + used, cap - 1 - used);

		buf[used + cut] = '\0';
		return used + cut;
	}
	return used + (size_t)n;
}

/* ------------------------------------------------------------------ */
/* The report and its notes                                            */

void
jx_sheet_report_init(struct jx_sheet_report *r)
{
	memset(r, 0, sizeof(*r));
	jx_arena_init(&r->arena, ARENA_BLOCK);
}

void
jx_sheet_report_cleanup(struct jx_sheet_report *r)
{
	if (r == NULL)
		return;
	jx_arena_cleanup(&r->arena);
	jx_sheet_report_init(r);
}

/* Empty r for a new read, keeping its arena's first block. */
static void
report_reset(struct jx_sheet_report *r)
{
	struct jx_arena a = r->arena;

	jx_arena_reset(&a);
	memset(r, 0, sizeof(*r));
	r->arena = a;
}

/* Record a note about grid gi, 0-based row and column (NONE: not about
 * one). Past JX_SHEET_MAX_NOTES notes are counted, not kept. */
static void
note(struct rd *rd, size_t gi, uint32_t row, uint32_t col, const char *field,
     const char *fmt, ...)
{
	struct jx_sheet_report *rep = rd->rep;
	struct jx_sheet_note *n;
	char msg[MSG_CAP];
	va_list ap;
	int len;

	if (rep->nnotes >= JX_SHEET_MAX_NOTES) {
		rep->notes_dropped++;
		return;
	}
	if (rep->nnotes == rep->notes_cap) {
		size_t cap = rep->notes_cap != 0 ? rep->notes_cap * 2 : 16;
		void *p = jx_arena_grow(&rep->arena, rep->notes, rep->nnotes,
		                        cap, sizeof(*rep->notes));

		if (p == NULL) {
			rd->err = JX_ENOMEM;
			return;
		}
		rep->notes = p;
		rep->notes_cap = cap;
	}
	va_start(ap, fmt);
	len = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof(msg))
		len = (int)jx_text_utf8_cut(msg, sizeof(msg) - 1);
	n = &rep->notes[rep->nnotes];
	n->grid = gi < rd->ngrids ? rd->names[gi] : "";
	n->row = row == NONE ? 0 : row + 1;
	n->col = col == NONE ? 0 : col + 1;
	n->field = jx_arena_strndup(&rep->arena, field != NULL ? field : "",
	                            field != NULL ? strlen(field) : 0);
	n->message = jx_arena_strndup(&rep->arena, msg, (size_t)len);
	if (n->field == NULL || n->message == NULL) {
		rd->err = JX_ENOMEM;
		return;
	}
	rep->nnotes++;
}

/*
 * Clean a cell's text into rd->sc->text: trimmed, '\r' dropped, invalid
 * UTF-8 replaced by U+FFFD, at most JX_MAX_TEXT bytes; with join, line
 * breaks removed (a space kept between two ASCII letters or digits), as
 * Word wraps short cells ("满意度\n指标" is 满意度指标). Notes what it
 * changed. Returns the length.
 */
static size_t
clean(struct rd *rd, size_t gi, uint32_t r, uint32_t c, const char *text,
      size_t len, bool join)
{
	char *out = rd->sc->text;
	const char *s = text;
	size_t n, i = 0, used = 0, k;
	int32_t cp;
	bool bad = false, cut = false, brk = false;
	unsigned char prev = 0;

	out[0] = '\0';
	if (text == NULL)
		return 0;
	n = len == SIZE_MAX ? strlen(s) : len;
	jx_text_trim(&s, &n);
	while (i < n) {
		cp = jx_text_utf8_next(s, n, &i);
		if (cp < 0) {
			cp = 0xfffd;
			bad = true;
		}
		if (cp == '\r')
			continue;
		if (join && (cp == '\n' || (brk && is_space_cp(cp)))) {
			/* drop the spaces the line ended with */
			while (used > 0 &&
			       (out[used - 1] == ' ' || out[used - 1] == '\t'))
				used--;
			if (used >= 3 &&
			    memcmp(out + used - 3, "\xe3\x80\x80", 3) == 0)
				used -= 3;
			prev = used > 0 ? (unsigned char)out[used - 1] : 0;
			brk = true;
			continue;
		}
		if (brk && cp < 0x80 &&
		    ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
		     (cp >= 'a' && cp <= 'z')) &&
		    ((prev >= '0' && prev <= '9') ||
		     (prev >= 'A' && prev <= 'Z') ||
		     (prev >= 'a' && prev <= 'z'))) {
			if (used + 1 > JX_MAX_TEXT) {
				cut = true;
				break;
			}
			out[used++] = ' ';
		}
		brk = false;
		k = jx_text_utf8_put(cp, out + used);
		if (used + k > JX_MAX_TEXT) {
			cut = true;
			break;
		}
		used += k;
	}
	out[used] = '\0';
	if (bad)
		note(rd, gi, r, c, NULL,
		     "单元格含有无效的 UTF-8 字节，已替换为“\xef\xbf\xbd”");
	if (cut)
		note(rd, gi, r, c, NULL, "单元格文字过长，只读入前 %d 字节",
		     JX_MAX_TEXT);
	return used;
}

/* clean(), copied into e's arena: "" for a blank cell; NULL only when
 * out of memory (rd->err set). */
static const char *
keep(struct rd *rd, size_t gi, uint32_t r, uint32_t c, const char *text,
     bool join)
{
	size_t n = clean(rd, gi, r, c, text, SIZE_MAX, join);

	return keep_n(rd, rd->sc->text, n);
}

static const char *
keep_n(struct rd *rd, const char *s, size_t n)
{
	char *p = jx_arena_strndup(&rd->e->arena, s, n);

	if (p == NULL)
		rd->err = JX_ENOMEM;
	return p;
}

/* Read a cell as a number into *out; what says what it is (for the
 * note), field the path in the evaluation. */
static void
read_num(struct rd *rd, size_t gi, uint32_t r, uint32_t c, const char *text,
         enum numk k, const char *field, const char *what, struct jx_opt *out)
{
	jx_dec v;
	char shown[64];
	size_t n;

	switch (parse_num(text, k, rd->unit, &v)) {
	case NUM_OK:
		out->v = v;
		out->set = true;
		break;
	case NUM_BLANK:
		break;
	case NUM_BAD:
		n = strlen(text);
		if (n >= sizeof(shown))
			n = jx_text_utf8_cut(text, sizeof(shown) - 4);
		memcpy(shown, text, n);
		shown[n] = '\0';
		if (n < strlen(text))
			memcpy(shown + n, "…", sizeof("…"));
		note(rd, gi, r, c, field, "%s“%s”不是数字，未读入", what,
		     shown);
		break;
	}
}

static bool
is_blank(const char *text)
{
	return text == NULL || is_blank_n(text, strlen(text));
}

/* Whether s[0..n) holds nothing but spaces and line breaks. */
static bool
is_blank_n(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		int32_t cp = jx_text_utf8_next(s, n, &i);

		if (cp < 0 || !is_space_cp(cp))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Finding the indicator table                                         */

/* Fold the header-sized cells of row r into slot `slot` of sc. */
static void
load_row(struct scratch *sc, unsigned slot, const struct jx_grid *g, uint32_t r)
{
	const struct jx_grid_merge *mg;
	const char *t;
	uint32_t c;
	size_t n;

	memset(sc->cvalid[slot], 0, sizeof(sc->cvalid[slot]));
	for (c = 0; c < g->ncols; c++) {
		sc->nlen[slot][c] = 0;
		sc->group[slot][c] = false;
		sc->cont[slot][c] = false;
		t = r < g->nrows ? jx_grid_get(g, r, c) : NULL;
		if (t == NULL)
			continue;
		n = fold(t, strlen(t), sc->norm[slot][c], NORM_CAP);
		if (n == SIZE_MAX)
			continue;
		sc->nlen[slot][c] = n;
		mg = jx_grid_merged(g, r, c);
		sc->group[slot][c] = mg != NULL && mg->c0 != mg->c1;
		sc->cont[slot][c] = mg != NULL && mg->r0 < r;
	}
	/* The same header in neighbouring cells is a merge written out. */
	for (c = 0; c < g->ncols; c++) {
		n = sc->nlen[slot][c];
		if (n == 0)
			continue;
		if ((c > 0 && sc->nlen[slot][c - 1] == n &&
		     memcmp(sc->norm[slot][c - 1], sc->norm[slot][c], n) ==
		             0) ||
		    (c + 1 < g->ncols && sc->nlen[slot][c + 1] == n &&
		     memcmp(sc->norm[slot][c + 1], sc->norm[slot][c], n) == 0))
			sc->group[slot][c] = true;
	}
}

/* Whether s[0..n) has a byte outside ASCII. */
static bool
has_wide(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* The shortest column word and whether all have a non-ASCII byte: the
 * quick refusals of cell_best. */
static void
col_word_stats(struct jx_sheet_layout *l)
{
	unsigned f;
	size_t i, k;

	l->col_min_len = SIZE_MAX;
	l->col_all_wide = true;
	for (f = 0; f < JX_SHEET_NCOLS; f++)
		for (i = 0; i < l->cols[f].n; i++) {
			const char *w = l->cols[f].norm[i];
			size_t wl = l->cols[f].nlen[i];
			bool wide = false;

			if (wl < l->col_min_len)
				l->col_min_len = wl;
			for (k = 0; k < wl && !wide; k++)
				wide = (unsigned char)w[k] >= 0x80;
			l->col_all_wide = l->col_all_wide && wide;
		}
	if (l->col_min_len == SIZE_MAX)
		l->col_min_len = 0;
}

/* The column of l the cell names best, if any. */
static bool
cell_best(const struct jx_sheet_layout *l, const char *norm, size_t n,
          unsigned *field, struct wmatch *out)
{
	struct wmatch best = {false, false, 0, 0}, m;
	unsigned f;
	size_t i;

	*out = best;
	/* Most cells are figures: too short for any column word, or (when
	 * every word is Chinese) without a byte outside ASCII. */
	if (n < l->col_min_len)
		return false;
	if (l->col_all_wide) {
		for (i = 0; i < n && (unsigned char)norm[i] < 0x80; i++)
			;
		if (i == n)
			return false;
	}

	for (f = 0; f < JX_SHEET_NCOLS; f++) {
		if (l->cols[f].n == 0)
			continue;
		m = words_match(&l->cols[f], norm, n);
		if (match_better(&m, &best)) {
			best = m;
			*field = f;
		}
	}
	*out = best;
	return best.found;
}

/* Across cells: exact before contained, the layout's earlier word first,
 * the longer word, the lower (more specific) header row, the left. */
static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->m.exact != y->m.exact)
		return x->m.exact ? -1 : 1;
	if (x->m.idx != y->m.idx)
		return x->m.idx < y->m.idx ? -1 : 1;
	if (x->m.len != y->m.len)
		return x->m.len > y->m.len ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot > y->slot ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/* Map the columns of l from header row r (slot 0 of sc) and, when it
 * holds header words too, row r + 1 (slot 1). */
static void
row_best(const struct jx_sheet_layout *l, struct scratch *sc, unsigned p,
         size_t li, uint32_t ncols)
{
	size_t base =
	        ((size_t)p * JX_SHEET_MAX_LAYOUTS + li) * JX_GRID_MAX_COLS;
	uint32_t c;

	if (sc->cvalid[p][li])
		return;
	for (c = 0; c < ncols; c++) {
		sc->cbm[base + c].found = false;
		if (sc->nlen[p][c] > 0)
			cell_best(l, sc->norm[p][c], sc->nlen[p][c],
			          &sc->cbf[base + c], &sc->cbm[base + c]);
	}
	sc->cvalid[p][li] = true;
}

static void
map_row(const struct jx_sheet_layout *l, struct scratch *sc,
        const struct jx_grid *g, uint32_t r, bool has_next, unsigned s0,
        unsigned s1, struct mapping *m)
{
	const unsigned slots[2] = {s0, s1};
	bool used[JX_GRID_MAX_COLS];
	bool next_ok = false, exact0 = false, top = false;
	unsigned f, k, p;
	uint32_t c;
	size_t n = 0, i;

	memset(m->col, 0xff, sizeof(m->col));
	memset(m->hrow, 0xff, sizeof(m->hrow));
	m->required = m->optional = 0;
	m->row = r;
	m->hrows = 1;
	/* the column each cell names, once per cell and layout */
	for (k = 0; k < 2; k++) {
		size_t base;

		p = slots[k];
		if (k == 0 || has_next)
			row_best(l, sc, p, m->li, g->ncols);
		base = ((size_t)p * JX_SHEET_MAX_LAYOUTS + m->li) *
		       JX_GRID_MAX_COLS;
		for (c = 0; c < g->ncols; c++) {
			sc->bm[k][c].found = false;
			if (sc->nlen[p][c] > 0 && (k == 0 || has_next) &&
			    !(k == 1 && sc->cont[p][c])) {
				sc->bf[k][c] = sc->cbf[base + c];
				sc->bm[k][c] = sc->cbm[base + c];
			}
		}
	}
	/* only text of its own makes row r + 1 a header row: a label merged
	 * down from above (绩效指标 beside every indicator) does not */
	for (c = 0; c < g->ncols; c++) {
		exact0 = exact0 || (sc->bm[0][c].found && sc->bm[0][c].exact);
		next_ok = next_ok || (sc->bm[1][c].found && sc->bm[1][c].exact);
	}
	for (k = 0; k < (next_ok ? 2u : 1u); k++) {
		for (c = 0; c < g->ncols && n < MAX_CANDS; c++) {
			if (!sc->bm[k][c].found)
				continue;
			/* a group header over sub-headers gives way to them;
			 * a row of loose words above a real header row is no
			 * header */
			if (k == 0 && next_ok &&
			    (sc->group[s0][c] ? sc->bm[1][c].found : !exact0))
				continue;
			sc->cands[n].field = sc->bf[k][c];
			sc->cands[n].col = c;
			sc->cands[n].slot = k;
			sc->cands[n].m = sc->bm[k][c];
			n++;
		}
	}
	if (next_ok)
		m->hrows = 2;
	qsort(sc->cands, n, sizeof(sc->cands[0]), cand_cmp);
	memset(used, 0, sizeof(used));
	for (i = 0; i < n; i++) {
		f = sc->cands[i].field;
		c = sc->cands[i].col;
		if (m->col[f] != NONE || used[c])
			continue;
		m->col[f] = c;
		m->hrow[f] = r + sc->cands[i].slot;
		used[c] = true;
	}
	for (f = 0; f < JX_SHEET_NCOLS; f++) {
		if (m->col[f] == NONE)
			continue;
		if (l->required & (1u << f))
			m->required++;
		else
			m->optional++;
		top = top || m->hrow[f] == r;
	}
	/* Row r names nothing itself: the header starts below it. */
	if (!top)
		m->required = m->optional = 0;
	m->score = SCORE_REQ * (int)m->required +
	           SCORE_MISS * (int)(l->nrequired - m->required) +
	           SCORE_OPT * (int)m->optional;
	m->found = m->required + m->optional > 0;
	m->accepted = m->col[JX_SHEET_NAME] != NONE &&
	              (m->col[JX_SHEET_TARGET] != NONE ||
	               m->col[JX_SHEET_ACTUAL] != NONE) &&
	              m->required >= l->min_required;
}

/* A table that can be read beats one that cannot; then the score. */
static bool
mapping_better(const struct mapping *a, const struct mapping *b)
{
	if (!a->found)
		return false;
	if (!b->found)
		return true;
	if (a->accepted != b->accepted)
		return a->accepted;
	return a->score > b->score;
}

/* Try every layout on every header-like row; the best mapping of each
 * layout goes into rd->rep->cand, the best of all into *best. */
static void
scan(struct rd *rd, const struct jx_sheet_layout *layouts, size_t nlayouts,
     struct mapping *best)
{
	struct jx_sheet_report *rep = rd->rep;
	struct mapping m, lbest[JX_SHEET_MAX_LAYOUTS];
	const struct jx_grid *g;
	uint32_t r, c, rows, cells0, cells1;
	unsigned p0, p1;
	size_t gi, li;

	memset(best, 0, sizeof(*best));
	memset(lbest, 0, sizeof(lbest));
	memset(&m, 0, sizeof(m));
	for (gi = 0; gi < rd->ngrids; gi++) {
		g = &rd->grids[gi];
		rows = g->nrows < JX_SHEET_SCAN_ROWS ? g->nrows
		                                     : JX_SHEET_SCAN_ROWS;
		p0 = 0;
		p1 = 1;
		load_row(rd->sc, p0, g, 0);
		for (r = 0; r < rows; r++) {
			/* each row is folded once: row r + 1 becomes row r */
			load_row(rd->sc, p1, g, r + 1);
			cells0 = cells1 = 0;
			for (c = 0; c < g->ncols; c++) {
				cells0 += rd->sc->nlen[p0][c] > 0;
				cells1 += rd->sc->nlen[p1][c] > 0;
			}
			if (cells0 >= 2 || cells1 >= 2) {
				for (li = 0; li < nlayouts; li++) {
					m.li = li;
					map_row(&layouts[li], rd->sc, g, r,
					        r + 1 < g->nrows, p0, p1, &m);
					m.li = li;
					m.grid = gi;
					if (mapping_better(&m, &lbest[li]))
						lbest[li] = m;
				}
			}
			p0 ^= 1;
			p1 ^= 1;
		}
	}
	for (li = 0; li < nlayouts; li++) {
		struct jx_sheet_candidate *cd = &rep->cand[li];

		cd->layout = layouts[li].name;
		cd->nrequired = layouts[li].nrequired;
		if (lbest[li].found) {
			cd->grid = lbest[li].grid;
			cd->row = lbest[li].row + 1;
			cd->required = lbest[li].required;
			cd->optional = lbest[li].optional;
			cd->score = lbest[li].score;
		} else {
			cd->score = SCORE_MISS * (int)layouts[li].nrequired;
		}
		if (mapping_better(&lbest[li], best))
			*best = lbest[li];
	}
	rep->ncand = nlayouts;
}

/* The required columns of l that m does not map, as "得分、完成率". */
static void
missing_list(const struct jx_sheet_layout *l, const struct mapping *m,
             char *buf, size_t cap)
{
	unsigned f;

	buf[0] = '\0';
	for (f = 0; f < JX_SHEET_NCOLS; f++)
		if ((l->required & (1u << f)) &&
		    (!m->found || m->col[f] == NONE))
			list_add(buf, cap,
			         l->cols[f].n > 0 ? l->cols[f].text[0]
			                          : col_labels[f]);
}

/* ------------------------------------------------------------------ */
/* Reading: labels, the header block, the year                         */

static const char *
cell(const struct rd *rd, size_t gi, uint32_t r, uint32_t c)
{
	const struct jx_grid *g = &rd->grids[gi];

	if (r >= g->nrows || c >= JX_GRID_MAX_COLS)
		return NULL;
	return jx_grid_get(g, r, c);
}

/* The cell folded into out; false when blank or longer than cap. */
static bool
fold_cell(const struct rd *rd, size_t gi, uint32_t r, uint32_t c, char *out,
          size_t cap, size_t *n)
{
	const char *t = cell(rd, gi, r, c);

	if (t == NULL)
		return false;
	*n = fold(t, strlen(t), out, cap);
	return *n != SIZE_MAX && *n > 0;
}

/* Whether the cell is a label of w; *inline_v gets the text after its
 * colon when the value is written in the same cell ("项目名称：…"). */
static bool
label_at(struct rd *rd, size_t gi, uint32_t r, uint32_t c,
         const struct jx_sheet_words *w, const char **inline_v)
{
	char norm[NORM_CAP];
	const char *t, *p;
	size_t n;

	*inline_v = NULL;
	if (w->n == 0 || !fold_cell(rd, gi, r, c, norm, sizeof(norm), &n) ||
	    !words_label(w, norm, n))
		return false;
	t = cell(rd, gi, r, c);
	p = strstr(t, ":");
	if (p == NULL || (strstr(t, "\xef\xbc\x9a") != NULL &&
	                  strstr(t, "\xef\xbc\x9a") < p)) {
		p = strstr(t, "\xef\xbc\x9a");
		if (p != NULL)
			p += 3;
	} else {
		p++;
	}
	if (p != NULL && !is_blank(p))
		*inline_v = p;
	return true;
}

/* Whether folded text is a label of any block of l: then it is not a
 * value. */
static bool
any_label(const struct jx_sheet_layout *l, const char *norm, size_t n)
{
	const struct jx_sheet_words *lists[] = {
	        &l->title_words, &l->department_words,
	        &l->unit_words,  &l->grade,
	        &l->total,       &l->goal_expected,
	        &l->fund_total,
	};
	size_t i;

	for (i = 0; i < NELEM(lists); i++)
		if (words_label(lists[i], norm, n))
			return true;
	for (i = 0; i < JX_SHEET_NCOLS; i++)
		if (words_exact(&l->cols[i], norm, n))
			return true;
	return false;
}

/* The value right of the label at (r, c): the next non-blank cell past
 * the label's merged range, unless it is another label. */
static const char *
label_value(struct rd *rd, size_t gi, uint32_t r, uint32_t c)
{
	const struct jx_grid *g = &rd->grids[gi];
	const struct jx_grid_merge *mg = jx_grid_merged(g, r, c);
	const char *label = cell(rd, gi, r, c), *t;
	char norm[NORM_CAP];
	uint32_t c2;
	size_t n;

	for (c2 = (mg != NULL ? mg->c1 : c) + 1; c2 < g->ncols; c2++) {
		t = cell(rd, gi, r, c2);
		if (is_blank(t) || t == label || strcmp(t, label) == 0)
			continue;
		n = fold(t, strlen(t), norm, sizeof(norm));
		if (n != SIZE_MAX && any_label(rd->l, norm, n))
			return NULL;
		return t;
	}
	return NULL;
}

/*
 * Search the label w: in the table's grid, then in the others, in order.
 * The first label with a value gives it (raw text, borrowed from the
 * grid); *found says whether a label was seen at all.
 */
static const char *
find_label(struct rd *rd, const struct jx_sheet_words *w)
{
	const struct jx_grid *g;
	const char *v;
	size_t k, gi;
	uint32_t r, c, rows;

	if (w->n == 0)
		return NULL;
	for (k = 0; k < rd->ngrids; k++) {
		gi = k == 0 ? rd->m.grid : (k <= rd->m.grid ? k - 1 : k);
		g = &rd->grids[gi];
		rows = g->nrows < JX_SHEET_SCAN_ROWS ? g->nrows
		                                     : JX_SHEET_SCAN_ROWS;
		for (r = 0; r < rows; r++) {
			for (c = 0; c < g->ncols; c++) {
				if (!label_at(rd, gi, r, c, w, &v))
					continue;
				if (v == NULL)
					v = label_value(rd, gi, r, c);
				if (v != NULL)
					return v;
			}
		}
	}
	return NULL;
}

static void
read_header(struct rd *rd)
{
	struct jx_eval *e = rd->e;
	const char *v;

	if ((v = find_label(rd, &rd->l->title_words)) != NULL)
		e->title = keep(rd, rd->m.grid, NONE, NONE, v, true);
	if ((v = find_label(rd, &rd->l->department_words)) != NULL)
		e->department = keep(rd, rd->m.grid, NONE, NONE, v, true);
	if ((v = find_label(rd, &rd->l->unit_words)) != NULL)
		e->unit = keep(rd, rd->m.grid, NONE, NONE, v, true);
}

/* The year of "(2021年度)" or "2021年度" in folded text, else 0. */
static int
year_in(const char *norm, size_t n)
{
	const char *p = norm, *end = norm + n, *q;
	int y, i;

	while ((q = find_bytes(p, (size_t)(end - p), "年度", strlen("年度"))) !=
	       NULL) {
		p = q + strlen("年度");
		if (q - norm < 4)
			continue;
		for (i = 1, y = 0; i <= 4; i++)
			if (q[-i] < '0' || q[-i] > '9')
				break;
		if (i <= 4)
			continue;
		for (i = 4; i >= 1; i--)
			y = y * 10 + (q[-i] - '0');
		if (y < 1900 || y > 2999)
			continue;
		if ((q - 4 == norm || q[-5] == '(') && (p == end || *p == ')'))
			return y;
	}
	return 0;
}

/* The year from a title cell: above the table first, then near the top
 * of every grid. */
static void
read_year(struct rd *rd)
{
	char norm[NORM_CAP];
	const struct jx_grid *g;
	size_t k, gi, n;
	uint32_t r, c, rows;
	int y;

	for (k = 0; k < rd->ngrids; k++) {
		gi = k == 0 ? rd->m.grid : (k <= rd->m.grid ? k - 1 : k);
		g = &rd->grids[gi];
		rows = k == 0 ? rd->m.row
		              : (g->nrows < YEAR_ROWS ? g->nrows : YEAR_ROWS);
		for (r = 0; r < rows; r++)
			for (c = 0; c < g->ncols; c++)
				if (fold_cell(rd, gi, r, c, norm, sizeof(norm),
				              &n) &&
				    (y = year_in(norm, n)) != 0) {
					rd->e->year = y;
					return;
				}
	}
}

/* ------------------------------------------------------------------ */
/* Reading: the funds block                                            */

static const char *
vget(const struct view *v, uint32_t r, uint32_t c)
{
	if (v->t) {
		if (c >= v->g->nrows || r >= JX_GRID_MAX_COLS)
			return NULL;
		return jx_grid_get(v->g, c, r);
	}
	if (r >= v->g->nrows || c >= JX_GRID_MAX_COLS)
		return NULL;
	return jx_grid_get(v->g, r, c);
}

static uint32_t
vrows(const struct view *v)
{
	uint32_t n = v->t ? v->g->ncols : v->g->nrows;

	return n < JX_SHEET_SCAN_ROWS ? n : JX_SHEET_SCAN_ROWS;
}

static uint32_t
vcols(const struct view *v)
{
	return v->t ? v->g->nrows : v->g->ncols;
}

/* The grid position of view position (r, c). */
static void
vpos(const struct view *v, uint32_t r, uint32_t c, uint32_t *gr, uint32_t *gc)
{
	*gr = v->t ? c : r;
	*gc = v->t ? r : c;
}

/* Which fund row a label names: 0 the total, 1 a source, 2 a level (its
 * index in *which), -1 none. */
static int
fund_label(const struct jx_sheet_layout *l, const char *text, size_t *which)
{
	struct wmatch best = {false, false, 0, 0}, m;
	char norm[NORM_CAP];
	size_t n, i;
	int kind = -1;

	if (text == NULL)
		return -1;
	n = fold(text, strlen(text), norm, sizeof(norm));
	if (n == SIZE_MAX || n == 0)
		return -1;
	m = words_match(&l->fund_total, norm, n);
	if (match_better(&m, &best)) {
		best = m;
		kind = 0;
	}
	for (i = 0; i < l->nsources + l->nlevels; i++) {
		m = words_match(i < l->nsources
		                        ? &l->sources[i].words
		                        : &l->levels[i - l->nsources].words,
		                norm, n);
		if (match_better(&m, &best)) {
			best = m;
			kind = i < l->nsources ? 1 : 2;
			*which = i < l->nsources ? i : i - l->nsources;
		}
	}
	return kind;
}

/* Whether view row h is the funds block's header: at least two fields,
 * one of them an amount. fcol gets each field's column, *first the
 * leftmost. */
static bool
funds_header(const struct rd *rd, const struct view *v, uint32_t h,
             uint32_t fcol[JX_SHEET_NFUND], uint32_t *first)
{
	const struct jx_sheet_layout *l = rd->l;
	bool exact[JX_SHEET_NFUND];
	struct wmatch best, m;
	char norm[NORM_CAP];
	const char *t;
	uint32_t c, nc = vcols(v);
	unsigned f, bf = 0, nf = 0;
	size_t n;

	memset(exact, 0, sizeof(exact));
	for (f = 0; f < JX_SHEET_NFUND; f++)
		fcol[f] = NONE;
	for (c = 0; c < nc; c++) {
		t = vget(v, h, c);
		if (t == NULL ||
		    (n = fold(t, strlen(t), norm, sizeof(norm))) == SIZE_MAX ||
		    n == 0)
			continue;
		memset(&best, 0, sizeof(best));
		for (f = 0; f < JX_SHEET_NFUND; f++) {
			m = words_match(&l->fund_fields[f], norm, n);
			if (match_better(&m, &best)) {
				best = m;
				bf = f;
			}
		}
		if (!best.found)
			continue;
		if (fcol[bf] == NONE || (best.exact && !exact[bf])) {
			fcol[bf] = c;
			exact[bf] = best.exact;
		}
	}
	*first = NONE;
	for (f = 0; f < JX_SHEET_NFUND; f++) {
		if (fcol[f] == NONE)
			continue;
		nf++;
		if (fcol[f] < *first)
			*first = fcol[f];
	}
	return nf >= 2 && *first > 0 &&
	       (fcol[JX_SHEET_F_INITIAL] != NONE ||
	        fcol[JX_SHEET_F_ANNUAL] != NONE ||
	        fcol[JX_SHEET_F_RECEIVED] != NONE ||
	        fcol[JX_SHEET_F_EXECUTED] != NONE);
}

/*
 * The fund rows under header row h: each labelled, left of column
 * `first`, with the total or a named source or level (the label nearest
 * the figures wins: "小计" under a merged "财政资金"). Blank rows are
 * skipped; so are a few unlabelled rows before the first fund row (the
 * 行次 column of a Shanxi table); the block ends at the first other row.
 * With read, each row's figures go into the evaluation. Returns the
 * number of fund rows.
 */
static uint32_t
funds_rows(struct rd *rd, const struct view *v, uint32_t h, uint32_t first,
           bool read, size_t gi, uint32_t *last)
{
	uint32_t r, c, matched = 0, skipped = 0, fcol[JX_SHEET_NFUND];
	uint32_t nr = vrows(v), nc = vcols(v), gr, gc, dummy, total_seen = 0;
	struct jx_funds *fu = &rd->e->funds;
	struct jx_fund_row *row;
	char path[PATH_CAP];
	size_t which = 0, i;
	bool blank;
	int kind;

	*last = h;
	if (read && !funds_header(rd, v, h, fcol, &dummy))
		return 0;
	for (r = h + 1; r < nr; r++) {
		kind = -1;
		blank = true;
		for (c = first; c-- > 0;) {
			const char *t = vget(v, r, c);

			if (is_blank(t))
				continue;
			blank = false;
			if ((kind = fund_label(rd->l, t, &which)) >= 0)
				break;
		}
		for (c = first; blank && c < nc; c++)
			blank = is_blank(vget(v, r, c));
		if (kind < 0) {
			if (blank)
				continue;
			if (matched == 0 && skipped++ < FUND_SKIP)
				continue;
			break;
		}
		matched++;
		*last = r;
		if (!read)
			continue;
		vpos(v, r, first, &gr, &gc);
		if (kind == 0) {
			if (total_seen++ > 0)
				note(rd, gi, gr, gc, "funds",
				     "“%s”行重复，只读第一行",
				     rd->l->fund_total.text[0]);
			else
				fund_cells(rd, v, gi, r, fcol, &fu->total, true,
				           "funds");
			continue;
		}
		{
			const struct jx_sheet_named *nm =
			        kind == 1 ? &rd->l->sources[which]
			                  : &rd->l->levels[which];
			struct jx_fund_row *arr =
			        kind == 1 ? fu->sources : fu->levels;
			size_t cnt = kind == 1 ? fu->nsources : fu->nlevels;

			for (i = 0; i < cnt; i++)
				if (strcmp(arr[i].name, nm->name) == 0)
					break;
			if (i < cnt) {
				note(rd, gi, gr, gc, "funds",
				     "“%s”行重复，只读第一行", nm->name);
				continue;
			}
			row = &arr[cnt];
			memset(row, 0, sizeof(*row));
			row->name = keep_n(rd, nm->name, strlen(nm->name));
			snprintf(path, sizeof(path), "funds.%s.%s",
			         kind == 1 ? "sources" : "levels", nm->name);
			fund_cells(rd, v, gi, r, fcol, row, false, path);
			if (kind == 1)
				fu->nsources++;
			else
				fu->nlevels++;
		}
	}
	return matched;
}

/* The figures of one fund row. */
static void
fund_cells(struct rd *rd, const struct view *v, size_t gi, uint32_t r,
           const uint32_t fcol[JX_SHEET_NFUND], struct jx_fund_row *row,
           bool total, const char *path)
{
	static const char *const keys[JX_SHEET_NFUND] = {
	        "initial",          "annual",         "received",
	        "executed",         "balance_stated", "received_rate_stated",
	        "exec_rate_stated", "exec_weight",    "exec_score_stated",
	};
	struct jx_funds *fu = &rd->e->funds;
	struct jx_opt *dst[JX_SHEET_NFUND] = {
	        &row->initial,
	        &row->annual,
	        &row->received,
	        &row->executed,
	        &row->balance_stated,
	        &row->received_rate_stated,
	        &row->exec_rate_stated,
	        total ? &fu->exec_weight : NULL,
	        total ? &fu->exec_score_stated : NULL,
	};
	char field[PATH_CAP], what[128];
	const char *t;
	uint32_t gr, gc;
	unsigned f;

	for (f = 0; f < JX_SHEET_NFUND; f++) {
		if (fcol[f] == NONE || dst[f] == NULL)
			continue;
		t = vget(v, r, fcol[f]);
		vpos(v, r, fcol[f], &gr, &gc);
		snprintf(field, sizeof(field), "%s.%s", path, keys[f]);
		snprintf(what, sizeof(what), "%s", fund_labels[f]);
		read_num(rd, gi, gr, gc, t,
		         f == JX_SHEET_F_RECEIVED_RATE ||
		                         f == JX_SHEET_F_EXEC_RATE
		                 ? NUMK_PCT
		         : f >= JX_SHEET_F_WEIGHT ? NUMK_POINTS
		                                  : NUMK_MONEY,
		         field, what, dst[f]);
		if (total && f == JX_SHEET_F_EXEC_RATE && !is_blank(t))
			fu->exec_rate_text = keep(rd, gi, gr, gc, t, true);
	}
}

/* The unit ("（万元）" anywhere in the block) and the period (an execution
 * column headed "1-6月执行"). */
static void
funds_meta(struct rd *rd, const struct view *v, uint32_t h, uint32_t last,
           const uint32_t fcol[JX_SHEET_NFUND])
{
	struct jx_funds *fu = &rd->e->funds;
	char norm[NORM_CAP];
	const char *t, *mo, *p;
	uint32_t r, c;
	size_t n;

	for (r = h; r <= last && fu->unit == NULL; r++) {
		for (c = 0; c < vcols(v) && fu->unit == NULL; c++) {
			t = vget(v, r, c);
			if (t == NULL || (n = fold(t, strlen(t), norm,
			                           sizeof(norm))) == SIZE_MAX)
				continue;
			if (find_bytes(norm, n, "(万元)", strlen("(万元)")))
				fu->unit = keep_n(rd, "万元", strlen("万元"));
			else if (find_bytes(norm, n, "(元)", strlen("(元)")))
				fu->unit = keep_n(rd, "元", strlen("元"));
		}
	}
	rd->unit = fu->unit;
	if (fcol[JX_SHEET_F_EXECUTED] == NONE)
		return;
	t = vget(v, h, fcol[JX_SHEET_F_EXECUTED]);
	if (t == NULL ||
	    (n = fold(t, strlen(t), norm, sizeof(norm))) == SIZE_MAX)
		return;
	mo = NULL;
	for (p = norm; (p = find_bytes(p, n - (size_t)(p - norm), "月",
	                               strlen("月"))) != NULL;
	     p += strlen("月"))
		mo = p;
	if (mo == NULL)
		return;
	p = norm;
	if (strncmp(p, "截至", strlen("截至")) == 0 ||
	    strncmp(p, "截止", strlen("截止")) == 0)
		p += strlen("截至");
	n = (size_t)(mo - p) + strlen("月");
	if (mo >= p && n > strlen("月") && n <= 32)
		fu->period = keep_n(rd, p, n);
}

/* Find the funds block of the layout in the table's grid, then in the
 * others, and read it. */
static void
read_funds(struct rd *rd)
{
	const struct jx_sheet_layout *l = rd->l;
	struct jx_funds *fu = &rd->e->funds;
	uint32_t fcol[JX_SHEET_NFUND], first, h, gr, gc, n, last;
	struct view v;
	size_t k, gi;

	if (!l->has_funds)
		return;
	for (k = 0; k < rd->ngrids; k++) {
		gi = k == 0 ? rd->m.grid : (k <= rd->m.grid ? k - 1 : k);
		v.g = &rd->grids[gi];
		v.t = l->funds_by_column;
		for (h = 0; h < vrows(&v); h++) {
			if (!funds_header(rd, &v, h, fcol, &first))
				continue;
			n = funds_rows(rd, &v, h, first, false, gi, &last);
			if (n == 0)
				continue;
			fu->sources =
			        jx_arena_calloc(&rd->e->arena, l->nsources + 1,
			                        sizeof(*fu->sources));
			fu->levels =
			        jx_arena_calloc(&rd->e->arena, l->nlevels + 1,
			                        sizeof(*fu->levels));
			if (fu->sources == NULL || fu->levels == NULL) {
				rd->err = JX_ENOMEM;
				return;
			}
			funds_meta(rd, &v, h, last, fcol);
			funds_rows(rd, &v, h, first, true, gi, &last);
			rd->e->has_funds = true;
			vpos(&v, h, first, &gr, &gc);
			rd->rep->funds_grid = rd->names[gi];
			rd->rep->funds_row = gr + 1;
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reading: the goals block                                            */

/* Cut s[0..len) at each goal label ("目标 1:") when it starts with one:
 * up to max parts, their bounds in starts/ends, labels dropped. A text
 * that does not start with a label is one part, the whole, so nothing
 * before a label is ever taken for a goal of its own. */
static size_t
split_goal(const struct jx_sheet_words *w, const char *s, size_t len,
           size_t *starts, size_t *ends, size_t max)
{
	size_t i = 0, at, end, k, n = 0, cur = 0;
	int32_t cp;
	bool any = false;

	while (i < len && n < max) {
		at = i;
		cp = jx_text_utf8_next(s, len, &i);
		if (cp < 0 || is_space_cp(cp))
			continue;
		for (k = 0; k < w->n; k++)
			if (prefix_match(w->norm[k], s, len, at, &end))
				break;
		if (k == w->n) {
			if (!any)
				break; /* no label first: one part */
			continue;
		}
		if (any) {
			starts[n] = cur;
			ends[n] = at;
			n++;
		}
		any = true;
		cur = end;
		i = end;
	}
	if (n < max) {
		starts[n] = cur;
		ends[n] = len;
		n++;
	}
	return n;
}

static void
add_goals(struct rd *rd, const char *exp, const char *ach)
{
	const struct jx_sheet_words *w = &rd->l->goal_prefixes;
	size_t es[JX_MAX_GOALS], ee[JX_MAX_GOALS], as[JX_MAX_GOALS],
	        ae[JX_MAX_GOALS];
	size_t ne, na = 0, i, n;
	struct jx_goal *g;

	exp = exp != NULL ? exp : "";
	ne = split_goal(w, exp, strlen(exp), es, ee, JX_MAX_GOALS);
	if (ach != NULL)
		na = split_goal(w, ach, strlen(ach), as, ae, JX_MAX_GOALS);
	for (i = 0; i < (ne > na ? ne : na); i++) {
		if (rd->e->ngoals >= JX_MAX_GOALS) {
			note(rd, rd->m.grid, NONE, NONE, "goals",
			     "年度总体目标超过 %d 条，其余未读入",
			     JX_MAX_GOALS);
			return;
		}
		g = jx_eval_add_goal(rd->e, &rd->goal_cap);
		if (g == NULL) {
			rd->err = JX_ENOMEM;
			return;
		}
		if (i < ne) {
			n = clean(rd, rd->m.grid, NONE, NONE, exp + es[i],
			          ee[i] - es[i], false);
			g->expected = keep_n(rd, rd->sc->text, n);
		}
		if (ach != NULL) {
			n = i < na ? clean(rd, rd->m.grid, NONE, NONE,
			                   ach + as[i], ae[i] - as[i], false)
			           : 0;
			g->achieved = keep_n(rd, i < na ? rd->sc->text : "", n);
		}
	}
}

/* Whether some cell of row r is a label of another block: the goals end
 * there. */
static bool
row_labelled(struct rd *rd, size_t gi, uint32_t r)
{
	const struct jx_sheet_layout *l = rd->l;
	char norm[NORM_CAP];
	uint32_t c;
	size_t n, which;
	unsigned f;

	for (c = 0; c < rd->grids[gi].ncols; c++) {
		if (!fold_cell(rd, gi, r, c, norm, sizeof(norm), &n))
			continue;
		if (any_label(l, norm, n) ||
		    fund_label(l, cell(rd, gi, r, c), &which) >= 0)
			return true;
		for (f = 0; f < JX_SHEET_NFUND; f++)
			if (words_exact(&l->fund_fields[f], norm, n))
				return true;
	}
	return false;
}

static void
read_goals(struct rd *rd)
{
	const struct jx_sheet_layout *l = rd->l;
	const struct jx_grid *g;
	const char *exp, *ach, *v;
	uint32_t r, c, c2, ce, ca, r2, rows, blanks;
	size_t k, gi;

	if (!l->has_goals)
		return;
	for (k = 0; k < rd->ngrids; k++) {
		gi = k == 0 ? rd->m.grid : (k <= rd->m.grid ? k - 1 : k);
		g = &rd->grids[gi];
		rows = g->nrows < JX_SHEET_SCAN_ROWS ? g->nrows
		                                     : JX_SHEET_SCAN_ROWS;
		for (r = 0; r < rows; r++) {
			for (c = 0; c < g->ncols; c++) {
				if (!label_at(rd, gi, r, c, &l->goal_expected,
				              &v))
					continue;
				ce = c;
				ca = NONE;
				for (c2 = 0; c2 < g->ncols && ca == NONE; c2++)
					if (c2 != ce &&
					    cell(rd, gi, r, c2) !=
					            cell(rd, gi, r, ce) &&
					    label_at(rd, gi, r, c2,
					             &l->goal_achieved, &v))
						ca = c2;
				blanks = 0;
				for (r2 = r + 1; r2 < g->nrows; r2++) {
					if (gi == rd->m.grid && r2 >= rd->m.row)
						break;
					exp = cell(rd, gi, r2, ce);
					ach = ca != NONE ? cell(rd, gi, r2, ca)
					                 : NULL;
					if (ach == exp)
						ach = NULL;
					if (is_blank(exp) && is_blank(ach)) {
						if (++blanks > GOAL_BLANKS)
							break;
						continue;
					}
					if (row_labelled(rd, gi, r2))
						break;
					add_goals(rd, exp,
					          ca != NONE
					                  ? (ach != NULL ? ach
					                                 : "")
					                  : NULL);
					if (rd->err != JX_OK)
						return;
				}
				rd->rep->goals_grid = rd->names[gi];
				rd->rep->goals_row = r + 1;
				return;
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reading: the indicator rows                                         */

/* Whether row r is the 总分 / 合计 row; *lc gets the label's column. */
static bool
row_total(struct rd *rd, uint32_t r, uint32_t *lc)
{
	char norm[NORM_CAP];
	uint32_t c;
	size_t n;

	if (rd->l->total.n == 0)
		return false;
	for (c = 0; c < rd->grids[rd->m.grid].ncols; c++) {
		if (fold_cell(rd, rd->m.grid, r, c, norm, sizeof(norm), &n) &&
		    words_label(&rd->l->total, norm, n)) {
			*lc = c;
			return true;
		}
	}
	return false;
}

/* A header row repeated inside the table (at a page break). */
static bool
row_subheader(struct rd *rd, uint32_t r)
{
	char norm[NORM_CAP];
	unsigned f, n = 0;
	size_t len;

	for (f = 0; f < JX_SHEET_NCOLS; f++)
		if (rd->m.col[f] != NONE &&
		    fold_cell(rd, rd->m.grid, r, rd->m.col[f], norm,
		              sizeof(norm), &len) &&
		    words_exact(&rd->l->cols[f], norm, len))
			n++;
	return n >= 2;
}

/* Whether row r states anything but its labels. */
static bool
row_has_values(struct rd *rd, uint32_t r)
{
	static const enum jx_sheet_col vals[] = {
	        JX_SHEET_TARGET, JX_SHEET_ACTUAL,     JX_SHEET_WEIGHT,
	        JX_SHEET_SCORE,  JX_SHEET_COMPLETION, JX_SHEET_UNIT,
	        JX_SHEET_NATURE,
	};
	size_t i;

	for (i = 0; i < NELEM(vals); i++)
		if (rd->m.col[vals[i]] != NONE &&
		    !is_blank(cell(rd, rd->m.grid, r, rd->m.col[vals[i]])))
			return true;
	return false;
}

/* The text of column f in row r: NULL when the table has no such
 * column, "" for a blank cell. */
static const char *
col_text(struct rd *rd, uint32_t r, enum jx_sheet_col f, bool join)
{
	uint32_t c = rd->m.col[f];

	if (c == NONE)
		return NULL;
	return keep(rd, rd->m.grid, r, c, cell(rd, rd->m.grid, r, c), join);
}

/* The number in column f of row r. A cell merged with the rows above
 * counts only on the merge's first row. */
static void
col_num(struct rd *rd, uint32_t r, enum jx_sheet_col f, const char *field,
        const char *what, struct jx_opt *out)
{
	const struct jx_grid_merge *mg;
	uint32_t c = rd->m.col[f];

	if (c == NONE)
		return;
	mg = jx_grid_merged(&rd->grids[rd->m.grid], r, c);
	if (mg != NULL && mg->r0 < r && mg->r0 >= rd->m.row + rd->m.hrows) {
		note(rd, rd->m.grid, r, c, field,
		     "%s单元格与上一行合并，本行按空白读入", what);
		return;
	}
	read_num(rd, rd->m.grid, r, c, cell(rd, rd->m.grid, r, c), NUMK_POINTS,
	         field, what, out);
}

/* The 预算执行率 line of a report-style table (Shanxi): the execution
 * line, not an indicator. */
static bool
is_exec_line(struct rd *rd, uint32_t r)
{
	static const enum jx_sheet_col where[] = {
	        JX_SHEET_NAME, JX_SHEET_LEVEL1, JX_SHEET_LEVEL2};
	char norm[NORM_CAP];
	const char *t;
	size_t i, n, off;

	if (rd->l->exec_line.n == 0)
		return false;
	for (i = 0; i < NELEM(where); i++) {
		if (rd->m.col[where[i]] == NONE)
			continue;
		t = cell(rd, rd->m.grid, r, rd->m.col[where[i]]);
		if (t == NULL)
			continue;
		off = strip_prefix(&rd->l->name_prefixes, t, strlen(t));
		n = fold(t + off, strlen(t + off), norm, sizeof(norm));
		if (n != SIZE_MAX && words_exact(&rd->l->exec_line, norm, n))
			return true;
	}
	return false;
}

static void
read_exec(struct rd *rd, uint32_t r)
{
	struct jx_funds *fu = &rd->e->funds;
	const char *t;
	uint32_t c = rd->m.col[JX_SHEET_ACTUAL];
	jx_dec v;

	rd->e->has_funds = true;
	col_num(rd, r, JX_SHEET_WEIGHT, "funds.exec_weight", "预算执行率的分值",
	        &fu->exec_weight);
	col_num(rd, r, JX_SHEET_SCORE, "funds.exec_score_stated",
	        "预算执行率的得分", &fu->exec_score_stated);
	if (c == NONE || is_blank(t = cell(rd, rd->m.grid, r, c)))
		return;
	fu->exec_rate_text = keep(rd, rd->m.grid, r, c, t, true);
	if (parse_num(t, NUMK_PCT, NULL, &v) == NUM_OK) {
		fu->total.exec_rate_stated.v = v;
		fu->total.exec_rate_stated.set = true;
	}
}

static void
read_total(struct rd *rd, uint32_t r, uint32_t lc)
{
	const struct jx_grid *g = &rd->grids[rd->m.grid];
	const struct jx_grid_merge *ml = jx_grid_merged(g, r, lc);
	static const enum jx_sheet_col cols[] = {JX_SHEET_WEIGHT,
	                                         JX_SHEET_SCORE};
	struct jx_opt *dst[] = {&rd->e->total_weight_stated,
	                        &rd->e->total_score_stated};
	static const char *const fields[] = {"total_weight_stated",
	                                     "total_score_stated"};
	static const char *const whats[] = {"总分行的分值", "总分行的得分"};
	uint32_t c;
	size_t i;

	rd->rep->total_row = r + 1;
	for (i = 0; i < NELEM(cols); i++) {
		c = rd->m.col[cols[i]];
		if (c == NONE || c == lc ||
		    (ml != NULL && jx_grid_merged(g, r, c) == ml))
			continue;
		read_num(rd, rd->m.grid, r, c, cell(rd, rd->m.grid, r, c),
		         NUMK_POINTS, fields[i], whats[i], dst[i]);
	}
}

/* The indicator's name in row r, its "指标1：" label dropped; *had_text
 * says whether the cell held anything at all. */
static const char *
name_of(struct rd *rd, uint32_t r, bool *had_text)
{
	uint32_t c = rd->m.col[JX_SHEET_NAME];
	const char *t = cell(rd, rd->m.grid, r, c);
	size_t off, n;

	*had_text = !is_blank(t);
	if (t == NULL)
		return keep_n(rd, "", 0);
	off = strip_prefix(&rd->l->name_prefixes, t, strlen(t));
	n = clean(rd, rd->m.grid, r, c, t + off, SIZE_MAX, true);
	return keep_n(rd, rd->sc->text, n);
}

static void
read_indicators(struct rd *rd)
{
	const struct jx_grid *g = &rd->grids[rd->m.grid];
	struct jx_eval *e = rd->e;
	struct jx_indicator *ind;
	const char *l1 = NULL, *l2 = NULL, *name, *t;
	char field[64];
	uint32_t r, lc, c1 = rd->m.col[JX_SHEET_LEVEL1],
	                c2 = rd->m.col[JX_SHEET_LEVEL2];
	size_t n;
	bool had;

	for (r = rd->m.row + rd->m.hrows; r < g->nrows; r++) {
		if (rd->err != JX_OK)
			return;
		if (row_total(rd, r, &lc)) {
			read_total(rd, r, lc);
			return;
		}
		if (row_subheader(rd, r))
			continue;
		if (is_exec_line(rd, r)) {
			read_exec(rd, r);
			continue;
		}
		if (c1 != NONE && !is_blank(t = cell(rd, rd->m.grid, r, c1))) {
			n = clean(rd, rd->m.grid, r, c1, t, SIZE_MAX, true);
			if (l1 == NULL || strcmp(l1, rd->sc->text) != 0) {
				l1 = keep_n(rd, rd->sc->text, n);
				l2 = NULL;
			}
		}
		if (c2 != NONE && !is_blank(t = cell(rd, rd->m.grid, r, c2))) {
			n = clean(rd, rd->m.grid, r, c2, t, SIZE_MAX, true);
			if (l2 == NULL || strcmp(l2, rd->sc->text) != 0)
				l2 = keep_n(rd, rd->sc->text, n);
		}
		name = name_of(rd, r, &had);
		if (name == NULL)
			return;
		if (name[0] == '\0') {
			if (row_has_values(rd, r))
				note(rd, rd->m.grid, r,
				     rd->m.col[JX_SHEET_NAME], "indicators",
				     "该行有数值但没有指标名称（%s），未读入",
				     rd->l->cols[JX_SHEET_NAME].text[0]);
			continue;
		}
		if (e->nindicators >= JX_MAX_INDICATORS) {
			note(rd, rd->m.grid, r, NONE, "indicators",
			     "指标超过 %d 个，其余未读入", JX_MAX_INDICATORS);
			return;
		}
		ind = jx_eval_add_indicator(e, &rd->ind_cap);
		if (ind == NULL) {
			rd->err = JX_ENOMEM;
			return;
		}
		ind->level1 = c1 == NONE   ? NULL
		              : l1 != NULL ? l1
		                           : keep_n(rd, "", 0);
		ind->level2 = c2 == NONE   ? NULL
		              : l2 != NULL ? l2
		                           : keep_n(rd, "", 0);
		ind->name = name;
		ind->target = col_text(rd, r, JX_SHEET_TARGET, true);
		ind->actual = col_text(rd, r, JX_SHEET_ACTUAL, true);
		ind->unit = col_text(rd, r, JX_SHEET_UNIT, true);
		ind->nature = col_text(rd, r, JX_SHEET_NATURE, true);
		ind->completion_stated =
		        col_text(rd, r, JX_SHEET_COMPLETION, true);
		ind->deviation_reason = col_text(rd, r, JX_SHEET_REASON, false);
		snprintf(field, sizeof(field), "indicators[%zu].weight",
		         e->nindicators - 1);
		col_num(rd, r, JX_SHEET_WEIGHT, field, "分值", &ind->weight);
		snprintf(field, sizeof(field), "indicators[%zu].score_stated",
		         e->nindicators - 1);
		col_num(rd, r, JX_SHEET_SCORE, field, "得分",
		        &ind->score_stated);
		ind->line = r + 1 < (uint32_t)INT32_MAX ? (int)(r + 1) : 0;
	}
}

/* ------------------------------------------------------------------ */
/* Reading: the grade and the narrative                                */

static void
read_grade(struct rd *rd)
{
	const char *v = find_label(rd, &rd->l->grade);

	if (v == NULL || strlen(v) > GRADE_MAX * 4)
		return;
	rd->e->grade_stated = keep(rd, rd->m.grid, NONE, NONE, v, true);
}

/* A plain decimal at s[at..n) after ':' or '为' (spaces already gone),
 * followed by "分": *v and *end past it. */
static bool
number_after(const char *s, size_t n, size_t at, jx_dec *v, size_t *end)
{
	size_t i = at, start;

	if (i < n && s[i] == ':')
		i++;
	else if (i + 3 <= n && memcmp(s + i, "为", 3) == 0)
		i += 3;
	start = i;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	if (i == start || i + 3 > n || memcmp(s + i, "分", 3) != 0)
		return false;
	if (jx_dec_parse(s + start, i - start, v) != JX_OK)
		return false;
	*end = i + 3;
	return true;
}

/* The total ("总得分94.9分") and the grade ("属于“优秀”") written in the
 * narrative, for documents whose table states neither. */
static void
read_narrative(struct rd *rd)
{
	static const char *const open[] = {"\"", "“", "「", "『", "‘", "'"};
	static const char *const close[] = {"\"", "”", "」", "』", "’", "'"};
	const struct jx_sheet_layout *l = rd->l;
	struct jx_eval *e = rd->e;
	char *norm = rd->sc->text;
	const struct jx_grid *g;
	const char *t, *p, *q;
	size_t gi, n, i, j, end, ol;
	uint32_t r, c, rows;
	jx_dec v;
	bool want_total = !e->total_score_stated.set && l->narrative_total.n;
	bool want_grade = e->grade_stated == NULL && l->narrative_grade.n;

	for (gi = 0; gi < rd->ngrids && (want_total || want_grade); gi++) {
		g = &rd->grids[gi];
		rows = g->nrows < JX_SHEET_SCAN_ROWS ? g->nrows
		                                     : JX_SHEET_SCAN_ROWS;
		for (r = 0; r < rows && (want_total || want_grade); r++) {
			for (c = 0; c < g->ncols; c++) {
				t = cell(rd, gi, r, c);
				if (t == NULL ||
				    (n = fold(t, strlen(t), norm,
				              JX_MAX_TEXT)) == SIZE_MAX)
					continue;
				for (i = 0;
				     want_total && i < l->narrative_total.n;
				     i++) {
					p = norm;
					while ((q = find_bytes(
					                p,
					                n - (size_t)(p - norm),
					                l->narrative_total
					                        .norm[i],
					                strlen(l->narrative_total
					                               .norm[i]))) !=
					       NULL) {
						p = q +
						    strlen(l->narrative_total
						                   .norm[i]);
						if (number_after(
						            norm, n,
						            (size_t)(p - norm),
						            &v, &end)) {
							e->total_score_stated
							        .v = v;
							e->total_score_stated
							        .set = true;
							rd->rep->total_from_text =
							        true;
							want_total = false;
							break;
						}
					}
				}
				for (i = 0;
				     want_grade && i < l->narrative_grade.n;
				     i++) {
					q = find_bytes(
					        norm, n,
					        l->narrative_grade.norm[i],
					        strlen(l->narrative_grade
					                       .norm[i]));
					if (q == NULL)
						continue;
					p = q +
					    strlen(l->narrative_grade.norm[i]);
					if (*p == ':')
						p++;
					for (j = 0; j < NELEM(open); j++) {
						ol = strlen(open[j]);
						if (strncmp(p, open[j], ol) !=
						    0)
							continue;
						q = strstr(p + ol, close[j]);
						if (q == NULL || q == p + ol ||
						    (size_t)(q - p) - ol >
						            GRADE_MAX)
							break;
						e->grade_stated = keep_n(
						        rd, p + ol,
						        (size_t)(q - p) - ol);
						rd->rep->grade_from_text = true;
						want_grade = false;
						break;
					}
				}
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* The finder                                                          */

enum jx_err
jx_sheet_read(const struct jx_grid *grids, size_t ngrids,
              const struct jx_sheet_layout *layouts, size_t nlayouts,
              struct jx_eval *e, struct jx_sheet_report *rep, struct jx_diag *d)
{
	const struct jx_sheet_layout *l;
	struct mapping best;
	char list[LIST_CAP], colname[8];
	struct rd rd;
	size_t gi;
	unsigned f;
	enum jx_err err = JX_OK;

	if (d != NULL)
		jx_diag_clear(d);
	if (e == NULL || rep == NULL || (grids == NULL && ngrids > 0) ||
	    layouts == NULL || nlayouts == 0 || nlayouts > JX_SHEET_MAX_LAYOUTS)
		return jx_diag_set(d, JX_EINVAL, NULL,
		                   "参数无效：须有表格和 1 到 %d 个版式",
		                   JX_SHEET_MAX_LAYOUTS);
	jx_eval_reset(e);
	report_reset(rep);
	memset(&rd, 0, sizeof(rd));
	rd.grids = grids;
	rd.ngrids = ngrids;
	rd.e = e;
	rd.rep = rep;
	rd.sc = calloc(1, sizeof(*rd.sc));
	if (rd.sc != NULL) {
		rd.sc->cbf = malloc(2u * JX_SHEET_MAX_LAYOUTS *
		                    JX_GRID_MAX_COLS * sizeof(*rd.sc->cbf));
		rd.sc->cbm = malloc(2u * JX_SHEET_MAX_LAYOUTS *
		                    JX_GRID_MAX_COLS * sizeof(*rd.sc->cbm));
	}
	rd.names = jx_arena_calloc(&rep->arena, ngrids + 1, sizeof(char *));
	if (rd.sc == NULL || rd.sc->cbf == NULL || rd.sc->cbm == NULL ||
	    rd.names == NULL) {
		err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
		goto done;
	}
	for (gi = 0; gi < ngrids; gi++) {
		char tmp[32];

		if (grids[gi].name != NULL && grids[gi].name[0] != '\0') {
			rd.names[gi] = grids[gi].name;
			continue;
		}
		snprintf(tmp, sizeof(tmp), "表%zu", gi + 1);
		rd.names[gi] = jx_arena_strndup(&rep->arena, tmp, strlen(tmp));
		if (rd.names[gi] == NULL) {
			err = jx_diag_set(d, JX_ENOMEM, NULL, "内存不足");
			goto done;
		}
	}
	scan(&rd, layouts, nlayouts, &best);
	if (!best.accepted) {
		err = JX_ENOTFOUND;
		if (!best.found) {
			jx_diag_set(
			        d, err, NULL,
			        "没有找到项目支出绩效自评表：文档中没有表头含"
			        "“三级指标”“分值”“得分”等字样的表格");
			goto done;
		}
		l = &layouts[best.li];
		missing_list(l, &best, list, sizeof(list));
		if (best.col[JX_SHEET_NAME] == NONE)
			list_add(list, sizeof(list),
			         l->cols[JX_SHEET_NAME].text[0]);
		jx_diag_set(d, err, NULL,
		            "没有找到可以读取的项目支出绩效自评表：最接近的是"
		            "%s第%u行（版式“%s”），但缺少%s",
		            rd.names[best.grid], best.row + 1, l->name,
		            list[0] != '\0' ? list : "指标名称或指标值列");
		goto done;
	}
	rd.l = l = &layouts[best.li];
	rd.m = best;
	rep->layout = l->name;
	rep->layout_title = l->title;
	rep->grid = best.grid;
	rep->grid_name = rd.names[best.grid];
	rep->header_row = best.row + 1;
	rep->header_rows = best.hrows;
	for (f = 0; f < JX_SHEET_NCOLS; f++) {
		if (best.col[f] == NONE)
			continue;
		rep->col[f] = best.col[f] + 1;
		rep->header[f] =
		        cell(&rd, best.grid, best.hrow[f], best.col[f]);
	}
	for (f = 0; f < JX_SHEET_NCOLS; f++) {
		if (!(l->required & (1u << f)) || best.col[f] != NONE)
			continue;
		list[0] = '\0';
		for (gi = 0; gi < l->cols[f].n; gi++)
			list_add(list, sizeof(list), l->cols[f].text[gi]);
		note(&rd, best.grid, best.row, NONE, jx_sheet_col_key(f),
		     "表头中没有“%s”列（应含：%s），该列未读入", col_labels[f],
		     list);
	}
	e->kind = keep_n(&rd, l->kind, strlen(l->kind));
	read_header(&rd);
	read_year(&rd);
	read_funds(&rd);
	read_goals(&rd);
	read_indicators(&rd);
	read_grade(&rd);
	read_narrative(&rd);
	if (rd.err == JX_OK && e->nindicators == 0) {
		col_letters(best.col[JX_SHEET_NAME] + 1, colname,
		            sizeof(colname));
		note(&rd, best.grid, best.row, best.col[JX_SHEET_NAME],
		     "indicators", "表头下没有读到任何指标（%s列为空）",
		     colname);
	}
	if (rd.err != JX_OK)
		err = jx_diag_set(d, rd.err, NULL, "内存不足");
done:
	if (rd.sc != NULL) {
		free(rd.sc->cbf);
		free(rd.sc->cbm);
	}
	free(rd.sc);
	if (err != JX_OK) {
		jx_eval_reset(e);
		rep->layout = NULL;
	}
	return err;
}

size_t
jx_sheet_note_format(const struct jx_sheet_note *n, char *buf, size_t cap)
{
	char col[8];
	size_t used = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	used = append(buf, cap, used, "%s", n->grid != NULL ? n->grid : "");
	if (n->row > 0)
		used = append(buf, cap, used, " 第%u行", n->row);
	if (n->col > 0) {
		col_letters(n->col, col, sizeof(col));
		used = append(buf, cap, used, " %s列", col);
	}
	return append(buf, cap, used, "：%s",
	              n->message != NULL ? n->message : "");
}

size_t
jx_sheet_explain(const struct jx_sheet_report *r, char *buf, size_t cap)
{
	const struct jx_sheet_candidate *c;
	char col[8];
	size_t used = 0, i;
	unsigned f, nmapped = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (r->layout == NULL) {
		used = append(buf, cap, used, "没有找到自评表。");
	} else {
		used = append(buf, cap, used,
		              "按版式“%s”（%s）读取：%s第%u行是指标表的表头",
		              r->layout, r->layout_title, r->grid_name,
		              r->header_row);
		if (r->header_rows > 1)
			used = append(buf, cap, used, "（共 %u 行）",
			              r->header_rows);
		used = append(buf, cap, used, "；");
		for (f = 0; f < JX_SHEET_NCOLS; f++) {
			if (r->col[f] == 0)
				continue;
			col_letters(r->col[f], col, sizeof(col));
			used = append(buf, cap, used, "%s%s=%s列",
			              nmapped ? "，" : "", col_labels[f], col);
			if (r->header[f] != NULL) {
				char shown[NORM_CAP];
				size_t n =
				        fold(r->header[f], strlen(r->header[f]),
				             shown, sizeof(shown));

				if (n != SIZE_MAX)
					used = append(buf, cap, used, "“%s”",
					              shown);
			}
			nmapped++;
		}
		used = append(buf, cap, used, "。");
		if (r->funds_grid != NULL)
			used = append(buf, cap, used, "项目资金：%s第%u行。",
			              r->funds_grid, r->funds_row);
		if (r->goals_grid != NULL)
			used = append(buf, cap, used,
			              "年度总体目标：%s第%u行。", r->goals_grid,
			              r->goals_row);
		if (r->total_row > 0)
			used = append(buf, cap, used, "总分：第%u行。",
			              r->total_row);
		else if (r->total_from_text)
			used = append(buf, cap, used, "总分：取自正文。");
		else
			used = append(buf, cap, used, "表中没有总分行。");
		if (r->grade_from_text)
			used = append(buf, cap, used, "评价等级：取自正文。");
	}
	for (i = 0, f = 0; i < r->ncand; i++) {
		c = &r->cand[i];
		if (r->layout != NULL && strcmp(c->layout, r->layout) == 0)
			continue;
		used = append(buf, cap, used, "%s版式“%s”",
		              f++ ? "；" : "其他：", c->layout);
		if (c->row > 0)
			used = append(buf, cap, used,
			              "最多对上 %u/%u 个必需列（得分 %d）",
			              c->required, c->nrequired, c->score);
		else
			used = append(buf, cap, used, "没有对上任何列");
	}
	if (f > 0)
		used = append(buf, cap, used, "。");
	if (r->nnotes > 0)
		used = append(buf, cap, used, "有 %zu 处未能读入，见提示。",
		              r->nnotes + r->notes_dropped);
	return used;
}

/* ------------------------------------------------------------------ */
/* Documents written as text                                           */

/* What a line is: blank (spaces only), text without tabs, one cell of
 * Word's text export (a tab first, no other tab) or a row of
 * tab-separated cells. */
static enum lkind
line_kind(const char *s, size_t n)
{
	size_t i = 0, j, tabs = 0;

	while (i < n) {
		if (s[i] == ' ')
			i++;
		else if (n - i >= 2 && (unsigned char)s[i] == 0xc2 &&
		         (unsigned char)s[i + 1] == 0xa0)
			i += 2;
		else if (n - i >= 3 && memcmp(s + i, "\xe3\x80\x80", 3) == 0)
			i += 3;
		else
			break;
	}
	if (i == n)
		return LK_BLANK;
	for (j = 0; j < n; j++)
		tabs += s[j] == '\t';
	if (tabs == 0)
		return LK_TEXT;
	return s[i] == '\t' && tabs == 1 ? LK_ACELL : LK_BROW;
}

/* text[s..e) into b->buf: '\r' and "[bookmark: …]" marks dropped,
 * trimmed. Returns the length; SIZE_MAX when out of memory. */
static size_t
tb_clean(struct tbuild *b, size_t s, size_t e)
{
	static const char mark[] = "[bookmark:";
	const char *t = b->text, *p;
	size_t n = 0, i = s, k;
	char *nb;

	if (e - s + 1 > b->bcap) {
		nb = realloc(b->buf, e - s + 1);
		if (nb == NULL)
			return SIZE_MAX;
		b->buf = nb;
		b->bcap = e - s + 1;
	}
	while (i < e) {
		if (t[i] == '[' && e - i >= sizeof(mark) - 1 &&
		    memcmp(t + i, mark, sizeof(mark) - 1) == 0) {
			for (k = i; k < e && t[k] != ']'; k++)
				;
			if (k < e) {
				i = k + 1;
				continue;
			}
		}
		if (t[i] != '\r')
			b->buf[n++] = t[i];
		i++;
	}
	p = b->buf;
	jx_text_trim(&p, &n);
	memmove(b->buf, p, n);
	b->buf[n] = '\0';
	return n;
}

static enum jx_err
tb_cell(struct tbuild *b, size_t s, size_t e, uint32_t row)
{
	struct tcell *nc;
	size_t n;

	if (b->ncells == b->cap) {
		size_t cap = b->cap != 0 ? b->cap * 2 : 64;

		nc = realloc(b->cells, cap * sizeof(*nc));
		if (nc == NULL)
			return JX_ENOMEM;
		b->cells = nc;
		b->cap = cap;
	}
	n = tb_clean(b, s, e);
	if (n == SIZE_MAX)
		return JX_ENOMEM;
	b->cells[b->ncells].s = s;
	b->cells[b->ncells].e = e;
	b->cells[b->ncells].row = row;
	b->cells[b->ncells].empty = n == 0;
	b->cells[b->ncells].number = plain_number(b->buf, n);
	b->ncells++;
	return JX_OK;
}

/* "10", "-4.9", "100%": digits with a point, a sign, a percent sign. */
static bool
plain_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && s[i] == '-')
		i++;
	for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); i++)
		digits += s[i] != '.';
	if (i < n && s[i] == '%')
		i++;
	return digits > 0 && i == n;
}

/*
 * Where a short row's n cells (from row0) go in a table w wide: index i
 * < n when cell i stands over the missing columns (a merged cell), n when
 * the row simply lacks its last cells. Under a full row (next0, nnext
 * cells) the merged cell is the one standing over non-blank sub-headers;
 * otherwise the row is laid beside the last full row above it (prev0,
 * nprev cells) so that plain numbers fall under plain numbers and text
 * under text (a number never spans columns). Ties go to the first cell,
 * a merged label being the common case.
 */
static size_t
tb_span(const struct tbuild *b, size_t row0, size_t n, size_t next0,
        size_t nnext, size_t prev0, size_t nprev, uint32_t w)
{
	const struct tcell *x, *y;
	size_t i, j, col, best = 0;
	long cost, best_cost = 0;
	bool under = nnext == w;

	if (!under && nprev != w)
		return 0;
	for (i = 0; i <= n; i++) {
		cost = 0;
		for (j = 0; j < n; j++) {
			x = &b->cells[row0 + j];
			if (x->empty || (under && j == i))
				continue;
			col = i == n || j <= i ? j : j + w - n;
			y = &b->cells[(under ? next0 : prev0) + col];
			if (under)
				cost += !y->empty;
			else if (j == i && x->number)
				cost += 2;
			else if (!y->empty)
				cost += x->number != y->number ? 2 : -1;
		}
		if (i == 0 || cost < best_cost) {
			best_cost = cost;
			best = i;
		}
	}
	return best;
}

/* Make a grid of the cells gathered; drop a table without text. */
static enum jx_err
tb_flush(struct tbuild *b)
{
	struct jx_grid *g, *ng;
	size_t i, j, k, start, n, next, nn, sp, nrows, col, len, prev = 0,
	                                                         nprev = 0;
	uint32_t w = 0, r;
	char name[32];
	bool any = false;
	enum jx_err err = JX_OK;

	if (b->ncells == 0)
		return JX_OK;
	nrows = (size_t)b->cells[b->ncells - 1].row + 1;
	for (i = 0; i < b->ncells; i++)
		any = any || !b->cells[i].empty;
	for (i = 0; i < b->ncells; i = j) {
		for (j = i; j < b->ncells && b->cells[j].row == b->cells[i].row;
		     j++)
			;
		if (j - i > w)
			w = (uint32_t)(j - i < UINT32_MAX ? j - i : UINT32_MAX);
	}
	if (!any)
		goto done;
	if (w > JX_GRID_MAX_COLS || nrows > JX_GRID_MAX_ROWS) {
		err = JX_ETOOBIG;
		goto done;
	}
	if (b->ngrids >= JX_SHEET_MAX_GRIDS) {
		err = JX_ETOOBIG;
		goto done;
	}
	if (b->ngrids == b->gcap) {
		size_t cap = b->gcap != 0 ? b->gcap * 2 : 8;

		ng = realloc(b->grids, cap * sizeof(*ng));
		if (ng == NULL) {
			err = JX_ENOMEM;
			goto done;
		}
		b->grids = ng;
		b->gcap = cap;
	}
	g = &b->grids[b->ngrids];
	jx_grid_init(g, b->a);
	snprintf(name, sizeof(name), "表%zu", b->ngrids + 1);
	if ((err = jx_grid_set_name(g, name, strlen(name))) != JX_OK)
		goto done;
	b->ngrids++;
	for (start = 0; start < b->ncells; start = next) {
		for (next = start; next < b->ncells &&
		                   b->cells[next].row == b->cells[start].row;
		     next++)
			;
		n = next - start;
		r = b->cells[start].row;
		for (k = next; k < b->ncells && b->cells[k].row == r + 1; k++)
			;
		nn = k - next;
		sp = n < w ? tb_span(b, start, n, next, nn, prev, nprev, w) : 0;
		if (n == w) {
			prev = start;
			nprev = n;
		}
		for (j = 0; j < n; j++) {
			col = sp == n || j <= sp ? j : j + w - n;
			if (!b->cells[start + j].empty) {
				len = tb_clean(b, b->cells[start + j].s,
				               b->cells[start + j].e);
				if (len == SIZE_MAX) {
					err = JX_ENOMEM;
					goto done;
				}
				err = jx_grid_set(g, r, (uint32_t)col, b->buf,
				                  len);
				if (err != JX_OK)
					goto done;
			}
		}
		if (n < w && sp < n &&
		    (err = jx_grid_merge(g, r, (uint32_t)sp, r,
		                         (uint32_t)(sp + w - n))) != JX_OK)
			goto done;
	}
done:
	b->ncells = 0;
	return err;
}

static enum jx_err
tb_para(struct tbuild *b, size_t line)
{
	size_t *np;

	if (b->nparas == b->pcap) {
		size_t cap = b->pcap != 0 ? b->pcap * 2 : 64;

		np = realloc(b->paras, cap * sizeof(*np));
		if (np == NULL)
			return JX_ENOMEM;
		b->paras = np;
		b->pcap = cap;
	}
	b->paras[b->nparas++] = line;
	return JX_OK;
}

/* The paragraphs as the rows of a last grid, "正文". */
static enum jx_err
tb_paras(struct tbuild *b)
{
	struct jx_grid *g, *ng;
	uint32_t r = 0;
	size_t i, n;
	enum jx_err err;

	if (b->nparas == 0)
		return JX_OK;
	if (b->ngrids >= JX_SHEET_MAX_GRIDS)
		return JX_ETOOBIG;
	if (b->ngrids == b->gcap) {
		ng = realloc(b->grids, (b->gcap + 1) * sizeof(*ng));
		if (ng == NULL)
			return JX_ENOMEM;
		b->grids = ng;
		b->gcap++;
	}
	g = &b->grids[b->ngrids];
	jx_grid_init(g, b->a);
	if ((err = jx_grid_set_name(g, "正文", strlen("正文"))) != JX_OK)
		return err;
	for (i = 0; i < b->nparas; i++) {
		n = tb_clean(b, b->lines[b->paras[i]].s,
		             b->lines[b->paras[i]].e);
		if (n == SIZE_MAX)
			return JX_ENOMEM;
		if (n == 0)
			continue;
		if (r >= JX_GRID_MAX_ROWS)
			return JX_ETOOBIG;
		if ((err = jx_grid_set(g, r++, 0, b->buf, n)) != JX_OK)
			return err;
	}
	if (r > 0)
		b->ngrids++;
	return JX_OK;
}

/* Word's text export: a cell per tab-indented line, rows separated by a
 * blank line. */
static enum jx_err
tb_mode_a(struct tbuild *b, size_t nl)
{
	const struct tline *ln = b->lines;
	size_t i, s, blanks = 0, cs = 0, ce = 0;
	uint32_t row = 0, prow = 0;
	bool intable = false, have = false, cont;
	enum lkind k;
	enum jx_err err = JX_OK;

	for (i = 0; i < nl && err == JX_OK; i++) {
		k = ln[i].k;
		for (s = ln[i].s; b->text[s] == ' '; s++)
			;
		/* text before the first tab: a paragraph line that happens
		 * to hold a tab, not a cell */
		if (k == LK_BROW && b->text[s] != '\t')
			k = LK_TEXT;
		if (k == LK_ACELL || k == LK_BROW) {
			for (s = ln[i].s; b->text[s] != '\t'; s++)
				;
			/* an indented first cell opens a new table */
			if (intable && (blanks >= 2 || s > ln[i].s)) {
				if (have)
					err = tb_cell(b, cs, ce, prow);
				if (err == JX_OK)
					err = tb_flush(b);
				intable = have = false;
			}
			if (have && err == JX_OK)
				err = tb_cell(b, cs, ce, prow);
			if (!intable) {
				intable = true;
				row = 0;
			} else if (blanks >= 1) {
				if (row + 1 >= JX_GRID_MAX_ROWS)
					return JX_ETOOBIG;
				row++;
			}
			cs = s + 1;
			ce = ln[i].e;
			prow = row;
			have = true;
			blanks = 0;
			continue;
		}
		if (k == LK_BLANK) {
			if (intable)
				blanks++;
			continue;
		}
		if (intable) {
			/* A lone empty cell is a stray tab, not a table. */
			if (have && b->ncells == 0 && prow == 0 &&
			    is_blank_n(b->text + cs, ce - cs)) {
				intable = have = false;
				err = tb_para(b, i);
				continue;
			}
			cont = blanks == 0 || (blanks == 1 && i + 1 < nl &&
			                       (ln[i + 1].k == LK_ACELL ||
			                        ln[i + 1].k == LK_BROW));
			if (cont) {
				ce = ln[i].e;
				blanks = 0;
				continue;
			}
			if (have)
				err = tb_cell(b, cs, ce, prow);
			if (err == JX_OK)
				err = tb_flush(b);
			intable = have = false;
		}
		if (err == JX_OK)
			err = tb_para(b, i);
	}
	if (err == JX_OK && have)
		err = tb_cell(b, cs, ce, prow);
	if (err == JX_OK)
		err = tb_flush(b);
	return err;
}

/* Tab-separated lines: a row per line. */
static enum jx_err
tb_mode_b(struct tbuild *b, size_t nl)
{
	const struct tline *ln = b->lines;
	size_t i, s, p, blanks = 0;
	uint32_t row = 0;
	bool intable = false;
	enum jx_err err = JX_OK;

	for (i = 0; i < nl && err == JX_OK; i++) {
		if (ln[i].k == LK_BLANK) {
			if (intable)
				blanks++;
			continue;
		}
		if (ln[i].k == LK_TEXT) {
			if (intable)
				err = tb_flush(b);
			intable = false;
			if (err == JX_OK)
				err = tb_para(b, i);
			continue;
		}
		if (intable && blanks > TEXT_BLANKS) {
			err = tb_flush(b);
			intable = false;
		}
		if (!intable) {
			intable = true;
			row = 0;
		} else {
			if (row + 1 >= JX_GRID_MAX_ROWS)
				return JX_ETOOBIG;
			row++;
		}
		blanks = 0;
		for (s = p = ln[i].s; p <= ln[i].e && err == JX_OK; p++) {
			if (p < ln[i].e && b->text[p] != '\t')
				continue;
			err = tb_cell(b, s, p, row);
			s = p + 1;
		}
	}
	if (err == JX_OK)
		err = tb_flush(b);
	return err;
}

enum jx_err
jx_sheet_text_grid(const char *text, size_t len, struct jx_arena *a,
                   struct jx_grid **grids, size_t *ngrids, struct jx_diag *d)
{
	struct tbuild b;
	struct jx_grid *out;
	size_t i, nl = 0, na = 0, nb = 0, s, line;
	enum jx_err err = JX_OK;

	memset(&b, 0, sizeof(b));
	if (d != NULL)
		jx_diag_clear(d);
	if ((text == NULL && len > 0) || a == NULL || grids == NULL ||
	    ngrids == NULL)
		return jx_diag_set(d, JX_EINVAL, NULL, "参数无效");
	if (len > JX_SHEET_TEXT_MAX)
		return jx_diag_set(d, JX_ETOOBIG, NULL,
		                   "文本过大（%zu 字节，上限 %u 字节）", len,
		                   (unsigned)JX_SHEET_TEXT_MAX);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (!jx_text_utf8_valid(text, len)) {
		for (i = 0, s = 0, line = 1; i <= len; i++) {
			if (i < len && text[i] != '\n')
				continue;
			if (!jx_text_utf8_valid(text + s, i - s))
				break;
			s = i + 1;
			line++;
		}
		err = jx_diag_set(d, JX_EINVAL, NULL,
		                  "文本不是有效的 UTF-8（第 %zu 行）", line);
		if (d != NULL)
			d->line = line < (size_t)INT32_MAX ? (int)line : 0;
		return err;
	}
	b.text = text;
	b.a = a;
	for (i = 0; i < len; i++)
		nl += text[i] == '\n';
	b.lines = malloc((nl + 1) * sizeof(*b.lines));
	if (b.lines == NULL) {
		err = JX_ENOMEM;
		goto done;
	}
	for (i = 0, s = 0, nl = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		b.lines[nl].s = s;
		b.lines[nl].e = i > s && text[i - 1] == '\r' ? i - 1 : i;
		b.lines[nl].k = line_kind(text + s, b.lines[nl].e - s);
		na += b.lines[nl].k == LK_ACELL;
		nb += b.lines[nl].k == LK_BROW;
		nl++;
		s = i + 1;
	}
	err = nb > na ? tb_mode_b(&b, nl) : tb_mode_a(&b, nl);
	if (err == JX_OK)
		err = tb_paras(&b);
	if (err != JX_OK)
		goto done;
	out = b.ngrids > 0 ? jx_arena_calloc(a, b.ngrids, sizeof(*out)) : NULL;
	if (b.ngrids > 0 && out == NULL) {
		err = JX_ENOMEM;
		goto done;
	}
	if (b.ngrids > 0)
		memcpy(out, b.grids, b.ngrids * sizeof(*out));
	*grids = out;
	*ngrids = b.ngrids;
done:
	if (err == JX_ENOMEM)
		jx_diag_set(d, err, NULL, "内存不足");
	else if (err == JX_ETOOBIG)
		jx_diag_set(
		        d, err, NULL,
		        "文本中的表格过大或过多（每表至多 %u 行 %u 列，至多 "
		        "%d 个表格）",
		        (unsigned)JX_GRID_MAX_ROWS, (unsigned)JX_GRID_MAX_COLS,
		        JX_SHEET_MAX_GRIDS);
	free(b.lines);
	free(b.cells);
	free(b.grids);
	free(b.paras);
	free(b.buf);
	return err;
}
