/*
 * limits.h - every ceiling jixiao enforces on its input, in one place.
 *
 * Each limit is checked as data arrives; exceeding one is JX_ETOOBIG with a
 * diagnostic naming the limit. Change a number here, never inline.
 */
#ifndef JX_LIMITS_H
#define JX_LIMITS_H

#define JX_MAX_TEXT         4096        /* bytes in one text field */
#define JX_MAX_VALUE_TEXT   512         /* bytes in a target or actual value */
#define JX_MAX_INDICATORS   2000        /* indicators in one self-evaluation */
#define JX_MAX_GOALS        200         /* goals in one self-evaluation */
#define JX_MAX_FUND_ROWS    64          /* funding sources or levels */
#define JX_MAX_RECORD_BYTES (16u << 20) /* one JSON document or JSONL line */
#define JX_MAX_JSON_DEPTH   32          /* nesting of JSON arrays and objects */
#define JX_MAX_RULES_BYTES  (1u << 20)  /* one rule-set file */
#define JX_MAX_RULE_ITEMS   512         /* entries in one rule-set list */
#define JX_MAX_FINDINGS     4000 /* findings reported for one evaluation */
#define JX_MAX_TRACE        256  /* bytes of one score trace */
#define JX_MAX_PATH         4096 /* a file path */

/* The web server. */
#define JX_HTTP_BODY_MAX    (1u << 20)  /* bytes in one request body */
#define JX_HTTP_HEADERS_MAX (32u << 10) /* bytes of one request's headers */
#define JX_HTTP_URL_MAX     2048 /* bytes of a request's path and query */
#define JX_HTTP_JSON_DEPTH  16   /* nesting of a request body */
#define JX_HTTP_PAGE_MAX    200  /* items in one page of a list */
#define JX_HTTP_CACHE_BYTES (64u << 20) /* response cache of one server */
#define JX_HTTP_CACHE_ENTRY (1u << 20)  /* one cached response body */
#define JX_PASSWORD_MIN     8           /* characters in a password */
#define JX_PASSWORD_MAX     128         /* characters in a password */

/* The docx reader (io/docx.c). */
#define JX_DOCX_MAX_FILE    (64u << 20) /* bytes of one .docx file */
#define JX_DOCX_MAX_ENTRIES 10000       /* entries in its zip directory */
#define JX_DOCX_MAX_XML     (64u << 20) /* bytes of word/document.xml */
#define JX_DOCX_MAX_RATIO   200 /* inflated / compressed bytes, past... */
#define JX_DOCX_RATIO_FLOOR (1u << 20)  /* ...this many inflated bytes */
#define JX_DOCX_MAX_DEPTH   256         /* nesting of XML elements */
#define JX_DOCX_MAX_NEST    8           /* tables inside tables */
#define JX_DOCX_MAX_TABLES  10000       /* tables in one document */
#define JX_DOCX_MAX_ROWS    (1u << 20)  /* table rows in one document */
#define JX_DOCX_MAX_CELLS   (1u << 22)  /* row widths summed, all tables */
#define JX_DOCX_MAX_PARAS   (1u << 20)  /* body paragraphs */
#define JX_DOCX_MAX_PARA    (1u << 20)  /* bytes of one paragraph or cell */
#define JX_DOCX_MAX_KEPT    (64u << 20) /* bytes of text kept, in all */

/* The xlsx reader (io/xlsx.c). */
#define JX_XLSX_MAX_FILE     (64u << 20)  /* bytes of one .xlsx file */
#define JX_XLSX_MAX_ENTRIES  10000        /* entries in its zip directory */
#define JX_XLSX_MAX_PART     (128u << 20) /* inflated bytes of one part */
#define JX_XLSX_MAX_INFLATED (256u << 20) /* inflated bytes, all parts */
#define JX_XLSX_MAX_RATIO    200 /* inflated / compressed bytes, past... */
#define JX_XLSX_RATIO_FLOOR  (1u << 20)   /* ...this many inflated bytes */
#define JX_XLSX_MAX_DEPTH    64           /* nesting of XML elements */
#define JX_XLSX_MAX_SHEETS   256          /* worksheets in one workbook */
#define JX_XLSX_MAX_SHARED   (1u << 20)   /* shared strings */
#define JX_XLSX_MAX_STRING   (128u << 10) /* bytes of one cell's text */
#define JX_XLSX_MAX_STYLES   65536        /* cell formats and number formats */
#define JX_XLSX_MAX_CELLS    (4u << 20)   /* cells holding text, all sheets */
#define JX_XLSX_MAX_KEPT     (64u << 20)  /* bytes of text kept, all sheets */

#endif
