/*
 * h_money.c - a project's money in the web API: the funds overview
 * (budget, adjustments, executed, execution rate against the time elapsed
 * in the year), setting the approved budget, and listing and recording
 * payments (资金拨付) and budget adjustments (预算调整)
 * (docs/api/money.md).
 *
 * Amounts are integer 分 (fen) in fields named *_fen; rates are exact
 * decimal strings. This file reads bodies and query parameters and calls
 * the store's scoped functions (ledger.h); it decides nothing about scope
 * (the store) or roles (the route table).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "jx/ledger.h"

#define END_FIELDS                                                             \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL                                         \
	}

const struct jx_http_field jx_h_money_budget_body[] = {
        {"initial_fen", JX_HTTP_INT, JX_HTTP_REQUIRED, 0, JX_LEDGER_AMOUNT_MAX,
         NULL},
        {"version", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, INT64_MAX, NULL},
        END_FIELDS};

const struct jx_http_field jx_h_money_payment_body[] = {
        {"date", JX_HTTP_DATE, JX_HTTP_REQUIRED, 0, 0, NULL},
        {"amount_fen", JX_HTTP_INT, JX_HTTP_REQUIRED, 1, JX_LEDGER_AMOUNT_MAX,
         NULL},
        {"payee", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_LEDGER_TEXT_MAX,
         NULL},
        {"purpose", JX_HTTP_STRING, JX_HTTP_NULLABLE, 0, JX_LEDGER_TEXT_MAX,
         NULL},
        END_FIELDS};

const struct jx_http_field jx_h_money_adjustment_body[] = {
        {"date", JX_HTTP_DATE, JX_HTTP_REQUIRED, 0, 0, NULL},
        {"amount_fen", JX_HTTP_INT, JX_HTTP_REQUIRED, -JX_LEDGER_AMOUNT_MAX,
         JX_LEDGER_AMOUNT_MAX, NULL},
        {"reason", JX_HTTP_STRING, JX_HTTP_REQUIRED, 1, JX_LEDGER_TEXT_MAX,
         NULL},
        END_FIELDS};

static void yuan(int64_t fen, char *buf, size_t cap);
static json_t *funds_now(struct jx_http_req *rq, struct jx_http_resp *rs,
                         int64_t id);
static void money_list(struct jx_http_req *rq, struct jx_http_resp *rs,
                       enum jx_err (*list)(struct jx_store *s,
                                           const struct jx_who *who, int64_t id,
                                           int64_t page, int64_t per_page,
                                           json_t **items, int64_t *total,
                                           struct jx_diag *d));

/* fen as 元 with two decimals ("1234.56"), exactly. */
static void
yuan(int64_t fen, char *buf, size_t cap)
{
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;

	snprintf(buf, cap, "%s%" PRIu64 ".%02" PRIu64, fen < 0 ? "-" : "",
	         a / 100u, a % 100u);
}

/* The funds of project id now as JSON; NULL with rs filled on failure. */
static json_t *
funds_now(struct jx_http_req *rq, struct jx_http_resp *rs, int64_t id)
{
	struct jx_ledger_funds f;
	struct jx_diag d;
	json_t *o;
	enum jx_err err;

	jx_diag_clear(&d);
	err = jx_ledger_funds(rq->store, &rq->who, id, NULL,
	                      JX_LEDGER_LAG_POINTS, &f, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return NULL;
	}
	o = jx_ledger_funds_json(&f);
	if (o == NULL)
		jx_http_reply(rs, JX_HTTP_OK, NULL); /* 503 */
	return o;
}

/* A page of the project's payments or adjustments, as list reads them. */
static void
money_list(struct jx_http_req *rq, struct jx_http_resp *rs,
           enum jx_err (*list)(struct jx_store *s, const struct jx_who *who,
                               int64_t id, int64_t page, int64_t per_page,
                               json_t **items, int64_t *total,
                               struct jx_diag *d))
{
	struct jx_diag d;
	json_t *items = NULL;
	int64_t page, per_page, total = 0;
	enum jx_err err;

	if (!jx_http_paging(rq, rs, &page, &per_page))
		return;
	jx_diag_clear(&d);
	err = list(rq->store, &rq->who, rq->ids[0], page, per_page, &items,
	           &total, &d);
	jx_http_answer_list(rs, err, &d, items, total, page, per_page);
}

/* ---- handlers ------------------------------------------------------------ */

/* GET /api/projects/{id}/funds */
JX_H(money_funds)
{
	json_t *o = funds_now(rq, rs, rq->ids[0]);

	if (o != NULL)
		jx_http_reply(rs, JX_HTTP_OK, o);
}

/* PUT /api/projects/{id}/budget */
JX_H(money_budget)
{
	struct jx_diag d;
	enum jx_err err;
	json_t *o;

	jx_diag_clear(&d);
	err = jx_ledger_set_budget(rq->store, &rq->who, rq->ids[0],
	                           jx_http_int(rq->json, "initial_fen", -1),
	                           jx_http_int(rq->json, "version", 0), NULL,
	                           &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	o = funds_now(rq, rs, rq->ids[0]);
	if (o != NULL)
		jx_http_reply(rs, JX_HTTP_OK, o);
}

/* GET /api/projects/{id}/payments */
JX_H(money_payments)
{
	money_list(rq, rs, jx_ledger_payments);
}

/* POST /api/projects/{id}/payments: 201 with the payment, the funds after
 * it and warnings (a total above the annual budget is allowed, and said). */
JX_H(money_payment_add)
{
	struct jx_payment p;
	struct jx_ledger_paid paid;
	struct jx_diag d;
	char a[48], b[48], msg[256];
	json_t *funds, *warnings, *pay, *body;
	enum jx_err err;

	memset(&p, 0, sizeof(p));
	p.project_id = rq->ids[0];
	p.date = jx_http_str(rq->json, "date");
	p.amount_fen = jx_http_int(rq->json, "amount_fen", 0);
	p.payee = jx_http_str(rq->json, "payee");
	p.purpose = jx_http_str(rq->json, "purpose");
	jx_diag_clear(&d);
	err = jx_ledger_payment_add(rq->store, &rq->who, &p, &paid, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	funds = funds_now(rq, rs, p.project_id);
	if (funds == NULL)
		return;
	warnings = json_array();
	if (warnings != NULL && paid.over_budget) {
		yuan(paid.paid_fen, a, sizeof(a));
		yuan(paid.annual_fen, b, sizeof(b));
		snprintf(msg, sizeof(msg),
		         "累计支付 %s 元已超过全年预算数 %s 元，请核对", a, b);
		json_array_append_new(warnings,
		                      json_pack("{s:s, s:s, s:s}", "code",
		                                "over_budget", "message", msg,
		                                "field", "amount_fen"));
	}
	pay = json_pack("{s:I, s:s, s:I, s:s, s:s?}", "id", (json_int_t)paid.id,
	                "date", p.date, "amount_fen", (json_int_t)p.amount_fen,
	                "payee", p.payee, "purpose", p.purpose);
	body = json_pack("{s:o?, s:o, s:o?}", "payment", pay, "funds", funds,
	                 "warnings", warnings);
	jx_http_reply(rs, JX_HTTP_CREATED,
	              pay != NULL && warnings != NULL ? body : NULL);
	if (pay == NULL || warnings == NULL)
		json_decref(body);
}

/* GET /api/projects/{id}/adjustments */
JX_H(money_adjustments)
{
	money_list(rq, rs, jx_ledger_adjustments);
}

/* POST /api/projects/{id}/adjustments: 201 with the adjustment and the
 * funds after it. */
JX_H(money_adjustment_add)
{
	struct jx_diag d;
	const char *date, *reason;
	int64_t amount, id = 0, annual = 0;
	json_t *funds, *adj, *body;
	enum jx_err err;

	date = jx_http_str(rq->json, "date");
	reason = jx_http_str(rq->json, "reason");
	amount = jx_http_int(rq->json, "amount_fen", 0);
	jx_diag_clear(&d);
	err = jx_ledger_adjustment_add(rq->store, &rq->who, rq->ids[0], date,
	                               amount, reason, &id, &annual, &d);
	if (err != JX_OK) {
		jx_http_diag(rs, err, &d);
		return;
	}
	funds = funds_now(rq, rs, rq->ids[0]);
	if (funds == NULL)
		return;
	adj = json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)id, "date",
	                date, "amount_fen", (json_int_t)amount, "reason",
	                reason);
	body = json_pack("{s:o?, s:o, s:[]}", "adjustment", adj, "funds", funds,
	                 "warnings");
	jx_http_reply(rs, JX_HTTP_CREATED, adj != NULL ? body : NULL);
	if (adj == NULL)
		json_decref(body);
}
