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

#endif
