/*
 * sheet.h - the sheet finder: read a self-evaluation (项目支出绩效自评表,
 * struct jx_eval) out of the grids of a document, whatever its column
 * order, using column layouts (版式) described as data.
 *
 * A layout (rules/layouts/NAME.json, docs/rules.md "Document layouts") lists
 * the header words of each column of the indicator table (一级指标 /
 * 二级指标 / 三级指标 / 年度指标值 / 实际完成值 / 分值 / 得分 / 完成率 /
 * 偏差原因 / 度量单位 / 指标性质, with their synonyms), the labels of the
 * header block (项目名称, 主管部门, 实施单位), the funds block (年初预算数 …
 * 执行率 / 得分, its rows or columns 年度资金总额 / 当年财政拨款 / 市级 …),
 * the goals block (预期目标 / 实际完成情况), the 总分 row and the grade.
 * jx_sheet_read scans every grid for the row of header words, picks the
 * layout that maps the most required columns, and reads the table below
 * it; values stay text exactly as the document writes them (targets,
 * actual values, 完成率), only weights, scores and money are read as exact
 * decimals. What cannot be read is listed as notes naming the grid, row and
 * column ("表2 第7行 D列"), never guessed. jx_sheet_text_grid turns a
 * document written as plain text (tables as tab-separated lines, or one
 * cell per tab-indented line as Word's text export writes them) into grids.
 *
 * Pure: memory only, no I/O (the caller reads files), no globals. Every
 * scan is bounded by the limits below and those of grid.h.
 */
#ifndef JX_SHEET_H
#define JX_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx/arena.h"
#include "jx/err.h"
#include "jx/grid.h"
#include "jx/model.h"

#define JX_SHEET_MAX_LAYOUTS 32    /* layouts one call chooses among */
#define JX_SHEET_MAX_WORDS   64    /* words in one list of a layout */
#define JX_SHEET_WORD_MAX    64    /* bytes of one word of a layout */
#define JX_SHEET_MAX_FUNDS   16    /* named sources or levels in a layout */
#define JX_SHEET_SCAN_ROWS   2000u /* rows of a grid searched for headers */
#define JX_SHEET_HEAD_CELL   192   /* bytes of a cell that can be a header */
#define JX_SHEET_MAX_NOTES   200   /* notes kept for one document */
#define JX_SHEET_TEXT_MAX    (16u << 20) /* bytes jx_sheet_text_grid reads */
#define JX_SHEET_MAX_GRIDS   512         /* grids made from one text */

/* The columns of the indicator table a layout can name. */
enum jx_sheet_col {
	JX_SHEET_LEVEL1 = 0, /* 一级指标 */
	JX_SHEET_LEVEL2,     /* 二级指标 */
	JX_SHEET_NAME,       /* 三级指标 */
	JX_SHEET_TARGET,     /* 年度指标值 / 目标值 */
	JX_SHEET_ACTUAL,     /* 实际完成值 / 业绩值 */
	JX_SHEET_WEIGHT,     /* 分值 / 权重 */
	JX_SHEET_SCORE,      /* 得分 */
	JX_SHEET_COMPLETION, /* 完成率 */
	JX_SHEET_REASON,     /* 偏差原因分析及改进措施 */
	JX_SHEET_UNIT,       /* 度量单位 */
	JX_SHEET_NATURE,     /* 指标性质 */
	JX_SHEET_NCOLS
};

/* The fields of the funds block a layout can name. */
enum jx_sheet_fund {
	JX_SHEET_F_INITIAL = 0,   /* 年初预算数 */
	JX_SHEET_F_ANNUAL,        /* 全年预算数 */
	JX_SHEET_F_RECEIVED,      /* 实际到位资金 */
	JX_SHEET_F_EXECUTED,      /* 全年执行数 */
	JX_SHEET_F_BALANCE,       /* 资金结余 */
	JX_SHEET_F_RECEIVED_RATE, /* 预算到位率 */
	JX_SHEET_F_EXEC_RATE,     /* 执行率 */
	JX_SHEET_F_WEIGHT,        /* 分值 of the execution line */
	JX_SHEET_F_SCORE,         /* 得分 of the execution line */
	JX_SHEET_NFUND
};

/* A list of words: as the layout file writes them, and folded for
 * comparison (full-width forms to ASCII, every space and line break
 * removed: "年度\n指标值" and "年度指标值" compare equal). */
struct jx_sheet_words {
	const char **text;
	const char **norm;
	size_t *nlen; /* strlen(norm[i]), kept for the hot matching loops */
	size_t n;
	size_t min_len; /* the shortest norm[i] */
	bool all_wide;  /* every norm[i] has a byte outside ASCII */
};

/* A named row of the funds block: 当年财政拨款, 市级 ... */
struct jx_sheet_named {
	const char *name; /* the row's name in the evaluation */
	struct jx_sheet_words words;
};

/* A loaded layout. Everything lives in `arena`. */
struct jx_sheet_layout {
	const char *name;  /* the caller's name for it: the file stem "mof" */
	const char *title; /* "财政部项目支出绩效自评表" */
	const char *kind;  /* "self" or "monitoring": the evaluations' kind */
	struct jx_sheet_words cols[JX_SHEET_NCOLS]; /* n 0: no such column */
	unsigned required;     /* bit (1u << col) for each required column */
	unsigned nrequired;    /* required columns */
	unsigned min_required; /* required columns a table must show */
	size_t col_min_len;    /* bytes of the shortest column word */
	bool col_all_wide;     /* every column word has a non-ASCII byte */
	struct jx_sheet_words name_prefixes; /* "指标#:" stripped from names */
	struct jx_sheet_words exec_line; /* rows that are the execution line */
	struct jx_sheet_words total;     /* 总分 / 合计 row labels */
	struct jx_sheet_words grade;     /* 评价等级 labels */
	struct jx_sheet_words title_words, department_words, unit_words;
	struct jx_sheet_words narrative_total; /* "总得分" before "94.9分" */
	struct jx_sheet_words narrative_grade; /* "属于" before "“优秀”" */
	bool has_funds;
	bool funds_by_column; /* fund rows are grid columns (Shanxi table) */
	struct jx_sheet_words fund_fields[JX_SHEET_NFUND];
	struct jx_sheet_words fund_total; /* 年度资金总额 */
	struct jx_sheet_named sources[JX_SHEET_MAX_FUNDS];
	size_t nsources;
	struct jx_sheet_named levels[JX_SHEET_MAX_FUNDS];
	size_t nlevels;
	bool has_goals;
	struct jx_sheet_words goal_expected, goal_achieved, goal_prefixes;
	struct jx_arena arena;
};

/*
 * Parse and validate a layout from buf[0..len) (UTF-8 JSON, the format of
 * docs/rules.md "Document layouts") into l (caller's storage). `name` (may
 * be NULL: "") becomes l->name; `source` names the file in diagnostics.
 * Strict: duplicate keys, unknown keys at any level, wrong types, empty or
 * over-long words, a word given to two columns, a missing name column and
 * a min_required above the required columns are refused. On JX_OK call
 * jx_sheet_layout_cleanup; on failure l is empty and d holds the file,
 * line, column, field path and a zh-CN message: JX_EPARSE (not strict
 * JSON), JX_EINVAL, JX_ETOOBIG (file or list too long), JX_ENOMEM.
 */
enum jx_err jx_sheet_layout_load(struct jx_sheet_layout *l, const char *buf,
                                 size_t len, const char *name,
                                 const char *source, struct jx_diag *d);

/* Free what l owns; l is left empty. Accepts NULL and an empty l. */
void jx_sheet_layout_cleanup(struct jx_sheet_layout *l);

/* The key of column c in layout files ("level1"); "" when out of range. */
const char *jx_sheet_col_key(enum jx_sheet_col c);

/* The Chinese name of column c ("一级指标"); "" when out of range. */
const char *jx_sheet_col_label(enum jx_sheet_col c);

/* Something that could not be read: where, and why. */
struct jx_sheet_note {
	const char *grid;    /* the grid's name, or "表N" (1-based) */
	uint32_t row;        /* 1-based row, 0 when not about one row */
	uint32_t col;        /* 1-based column, 0 when not about one */
	const char *field;   /* "indicators[3].weight", "columns.score", "" */
	const char *message; /* zh-CN */
};

/* How one layout fared: the best header row it found. */
struct jx_sheet_candidate {
	const char *layout; /* borrowed from the layout */
	size_t grid;        /* index of the grid */
	uint32_t row;       /* 1-based header row; 0 when none matched */
	unsigned required;  /* required columns mapped */
	unsigned nrequired; /* required columns of the layout */
	unsigned optional;  /* other columns mapped */
	int score;
};

/*
 * What jx_sheet_read recognised and what it could not read: the answer to
 * "为什么这样识别". Strings are in `arena` or borrowed from the layouts
 * and grids given to jx_sheet_read (valid while they are).
 */
struct jx_sheet_report {
	const char *layout;       /* chosen layout's name; NULL: none */
	const char *layout_title; /* its title */
	size_t grid;              /* index of the grid of the indicator table */
	const char *grid_name;    /* its name, or "表N" */
	uint32_t header_row;      /* 1-based first header row */
	uint32_t header_rows;     /* 1 or 2 */
	uint32_t col[JX_SHEET_NCOLS];       /* 1-based; 0: not mapped */
	const char *header[JX_SHEET_NCOLS]; /* the header text as written */
	const char *funds_grid; /* where the funds block was, or NULL */
	uint32_t funds_row;     /* 1-based row of its header */
	const char *goals_grid; /* where the goals block was, or NULL */
	uint32_t goals_row;
	uint32_t total_row;   /* 1-based row of 总分, 0: none */
	bool total_from_text; /* 总分 read from the narrative */
	bool grade_from_text; /* the grade read from the narrative */
	struct jx_sheet_candidate cand[JX_SHEET_MAX_LAYOUTS];
	size_t ncand; /* one per layout, in the order given */
	struct jx_sheet_note *notes;
	size_t nnotes, notes_cap;
	size_t notes_dropped; /* notes past JX_SHEET_MAX_NOTES */
	struct jx_arena arena;
};

/* Initialise r (caller's storage) empty. No allocation. */
void jx_sheet_report_init(struct jx_sheet_report *r);

/* Free what r owns; r is left initialised and empty. Accepts NULL. */
void jx_sheet_report_cleanup(struct jx_sheet_report *r);

/*
 * Read one self-evaluation from grids[0..ngrids) using the best matching
 * of layouts[0..nlayouts) (at most JX_SHEET_MAX_LAYOUTS). e is reset
 * first (e->source too: the caller names the document afterwards), and
 * everything read goes into e's arena; nothing in e points into the grids
 * or the layouts. rep (reset first) says which layout, grid, rows and
 * columns were used and lists every note; its strings borrow from the
 * grids and layouts.
 *
 * The indicator table is the header row (or two rows, for a header merged
 * over sub-headers) that maps the most required columns of some layout,
 * searched in the first JX_SHEET_SCAN_ROWS rows of every grid; a layout's
 * score is 100 per required column mapped, -50 per required column
 * missing, +10 per other column. A table is accepted when it shows the
 * name column, the target or the actual column, and at least the layout's
 * min_required required columns. Indicator rows are read until the 总分
 * row; merged and blank 一级 / 二级 cells carry down, blank rows, repeated
 * header rows and rows of labels only are skipped, a row with values but
 * no name is a note.
 *
 * JX_OK: e holds what was read (it may be incomplete: see rep->notes).
 * JX_ENOTFOUND: no grid holds a table of any layout; d says which came
 * closest and what it lacked; e is empty. JX_EINVAL: bad arguments (d
 * says which). JX_ENOMEM.
 */
enum jx_err jx_sheet_read(const struct jx_grid *grids, size_t ngrids,
                          const struct jx_sheet_layout *layouts,
                          size_t nlayouts, struct jx_eval *e,
                          struct jx_sheet_report *rep, struct jx_diag *d);

/*
 * Write into buf (cap bytes, NUL-terminated) why the document was read as
 * it was: the layout, the grid and header row, each column mapped
 * ("一级指标=B列“一级指标”"), the columns missing, the blocks found and
 * the other layouts' scores. Returns the length written (truncated at a
 * character boundary); 0 when cap is 0.
 */
size_t jx_sheet_explain(const struct jx_sheet_report *r, char *buf, size_t cap);

/* Format note n as "表2 第7行 D列：message" into buf (cap bytes,
 * NUL-terminated). Returns the length written. */
size_t jx_sheet_note_format(const struct jx_sheet_note *n, char *buf,
                            size_t cap);

/*
 * Turn text[0..len) (UTF-8; a leading byte order mark is skipped) into
 * grids, allocated from a (borrowed: it must outlive them), as the seed
 * documents write tables:
 *   - tab-separated lines (a row per line, cells between tabs), a table
 *     being a run of such lines (up to three blank lines may fall inside
 *     it, as at a page break); or
 *   - Word's text export: each cell a line starting with a tab (later
 *     lines without a tab continue the cell), rows separated by a blank
 *     line, a table ending at two blank lines, at a paragraph or where a
 *     cell line is indented (a new table starts).
 * The form is the one whose kind of line is more common. A row shorter
 * than the widest row of its table lost a merge: under a full row of
 * sub-headers the cell standing over several of them is the merged one;
 * otherwise the row is laid beside the last full row above it so that
 * plain numbers fall under plain numbers (which also tells a row that
 * lacks its last cells), the first cell spanning on a tie; the merge is
 * recorded as a merged range. Lines outside tables become the rows
 * of a last grid named "正文" (one paragraph per row), so that labels and
 * totals written in the narrative can be found. "[bookmark: …]" marks
 * are dropped. Tables are named "表1", "表2" … in order.
 *
 * On JX_OK *grids is an array of *ngrids grids (possibly 0) in a. JX_EINVAL
 * (text not UTF-8, d names the line), JX_ETOOBIG (over
 * JX_SHEET_TEXT_MAX, JX_SHEET_MAX_GRIDS or a grid limit), JX_ENOMEM;
 * *grids and *ngrids are untouched on failure.
 */
enum jx_err jx_sheet_text_grid(const char *text, size_t len, struct jx_arena *a,
                               struct jx_grid **grids, size_t *ngrids,
                               struct jx_diag *d);

#endif
