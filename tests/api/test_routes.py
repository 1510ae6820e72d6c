#!/usr/bin/env python3
"""Every route of the web API, end to end, in one realistic story, against
the real server on a fresh database with the demo data.

The administrator sets up a new department with two units and one account
of each role; the unit's filer creates a project, declares its goals and
indicators and submits them; the department returns them with a comment,
the unit corrects and resubmits, the department and the finance bureau
approve; finance sets the budget and records an adjustment; the unit records
payments; the unit starts the self-evaluation and enters actual values and
reasons, and the scores, the grade and the findings change as it types
(a concrete score change, a finding appearing and disappearing, a preview
that writes nothing); the self-evaluation goes through submit, return with
a comment, resubmit and both approvals. Along the way: lists with filters,
sorting and paging, the dashboard, the inbox, the audit log, the project's
history, version, workflow and health, stale versions (409), a password
change and an administrator's reset, sign-out.

At the end the set of (method, pattern) that answered 2xx must equal the
route table of src/http/routes.c.

    python3 tests/api/test_routes.py    (JIXIAO=path/to/jixiao)
"""

import os
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jxapi  # noqa: E402

YEAR = time.gmtime().tm_year
PW = {"filer1": "Wenhua2026a", "filer2": "Tushu2026b",
      "reviewer": "Bumen2026c", "fin2": "Caizheng2026d",
      "admin2": "Guanli2026e"}


def dec(v):
    return Decimal(v) if v is not None else None


def line(ev, pos):
    return ev["lines"][pos]


def codes(ev, pos=None):
    if pos is None:
        return [f["code"] for f in ev["findings"]]
    return [f["code"] for f in ev["findings"] if f["indicator"] == pos]


def story(checks, srv):
    ck = checks
    anon = jxapi.Client(srv, "anonymous")

    # ---- the server about itself --------------------------------------------
    r = anon.get("/healthz")
    ck.status(r, 200, "health")
    ck.eq(r.json.get("status"), "ok", "health says ok")
    ck.eq(r.json.get("database"), "postgresql" if srv.pg else "sqlite",
          "health names the database")
    ck.eq(r.header("Cache-Control"), "no-store", "API answers are not cached")
    ck.eq(r.header("X-Content-Type-Options"), "nosniff",
          "security headers are sent")
    r = anon.get("/api/version")
    ck.status(r, 200, "version")
    ck.eq(r.json.get("name"), "jixiao", "version names the program")
    ck.ok(isinstance(r.json.get("schema"), int) and r.json["schema"] >= 2,
          "version gives the schema", repr(r.json))
    ck.eq(r.json.get("rules"), "mof-2020", "version names the rule set")

    # ---- the administrator sets up a department ------------------------------
    admin = jxapi.Client(srv, "admin")
    r = admin.login("admin")
    ck.eq(r.header("Set-Cookie") is not None and
          "HttpOnly" in r.header("Set-Cookie") and
          "SameSite=Strict" in r.header("Set-Cookie"), True,
          "the session cookie is HttpOnly and SameSite=Strict")
    ck.ok(admin.user["role"] == "admin" and admin.csrf,
          "sign-in answers the user and a CSRF token", repr(admin.user))
    r = admin.get("/api/session")
    ck.status(r, 200, "the session")
    ck.eq(r.json.get("csrf_token"), admin.csrf, "the session's CSRF token")
    ck.eq(r.json["user"]["login"], "admin", "the session's user")
    r = admin.get("/api/workflow")
    ck.status(r, 200, "the workflow")
    wf = jxapi.Workflow(r.json)
    ck.eq([s["key"] for s in r.json["states"]],
          ["draft", "submitted", "dept_approved", "finance_approved",
           "returned"], "the workflow's states")
    root = admin.user["org"]["id"]

    r = admin.post("/api/orgs", {"parent_id": root, "kind": "department",
                                 "name": "示范市文化和旅游局", "code": "WL"})
    ck.status(r, 201, "admin creates a department")
    dept = r.json
    ck.eq((dept.get("kind"), dept.get("parent_id"), dept.get("code")),
          ("department", root, "WL"), "the department as created")
    r = admin.post("/api/orgs", {"parent_id": root, "kind": "department",
                                 "name": "示范市文化和旅游局"})
    ck.status(r, 409, "a second department of the same name", "conflict")
    units = []
    for name in ("示范市文化馆", "示范市图书馆"):
        r = admin.post("/api/orgs", {"parent_id": dept["id"], "kind": "unit",
                                     "name": name,
                                     "region_code": "990100",
                                     "region_name": "示范市"})
        ck.status(r, 201, "admin creates unit " + name)
        units.append(r.json)
    r = admin.get("/api/orgs/%d" % dept["id"])
    ck.status(r, 200, "read the department")
    v = r.json["version"]
    r = admin.patch("/api/orgs/%d" % dept["id"],
                    {"version": v, "name": "示范市文化广电和旅游局"})
    ck.status(r, 200, "rename the department")
    ck.eq(r.json.get("name"), "示范市文化广电和旅游局", "the new name")
    ck.eq(r.json.get("version"), v + 1, "the version went up")
    r = admin.patch("/api/orgs/%d" % dept["id"], {"version": v, "code": "X"})
    ck.status(r, 409, "a stale organisation version", "conflict")
    r = admin.get("/api/orgs", query={"kind": "unit", "parent_id": dept["id"],
                                      "sort": "-name", "per_page": 1,
                                      "page": 2})
    ck.status(r, 200, "list the department's units, sorted, paged")
    ck.eq((r.json.get("total"), r.json.get("page"), r.json.get("per_page")),
          (2, 2, 1), "list paging")
    ck.eq([o["name"] for o in r.json.get("items", [])], ["示范市图书馆"],
          "sorted by name descending, second page")
    r = admin.get("/api/orgs", query={"q": "文化馆"})
    ck.eq([o["id"] for o in r.json.get("items", [])], [units[0]["id"]],
          "search organisations by name")

    # accounts of every role
    accounts = {}
    for login, name, role, org in (
            ("filer1", "文化馆填报员", "unit_filer", units[0]["id"]),
            ("filer2", "图书馆填报员", "unit_filer", units[1]["id"]),
            ("reviewer", "文旅局审核员", "dept_reviewer", dept["id"]),
            ("fin2", "财政局审核员", "finance_reviewer", root),
            ("admin2", "第二管理员", "admin", root)):
        srv.secrets.add(PW[login])
        r = admin.post("/api/users", {"login": login, "name": name,
                                      "role": role, "org_id": org,
                                      "password": PW[login]})
        ck.status(r, 201, "admin creates %s (%s)" % (login, role))
        accounts[login] = r.json
        ck.ok("password_hash" not in r.body.decode("utf-8") and
              PW[login] not in r.body.decode("utf-8"),
              "an account answer holds no password or hash")
    r = admin.post("/api/users", {"login": "wrong1", "name": "错配",
                                  "role": "unit_filer", "org_id": dept["id"],
                                  "password": "Cuopei2026x"})
    ck.status(r, 422, "a unit filer at a department is refused", "invalid")
    ck.eq(r.error_field(), "role", "the refusal names the role")
    r = admin.post("/api/users", {"login": "filer1", "name": "重名",
                                  "role": "unit_filer",
                                  "org_id": units[0]["id"],
                                  "password": "Chongming2026"})
    ck.status(r, 409, "a login that exists", "conflict")
    r = admin.post("/api/users", {"login": "weak1", "name": "弱密码",
                                  "role": "unit_filer",
                                  "org_id": units[0]["id"],
                                  "password": "12345678"})
    ck.status(r, 422, "a weak password is refused", "invalid")
    r = admin.get("/api/users", query={"org_id": dept["id"],
                                       "role": "unit_filer", "active": "true",
                                       "sort": "-login", "page": 1,
                                       "per_page": 10})
    ck.status(r, 200, "list accounts with filters")
    ck.eq([u["login"] for u in r.json.get("items", [])],
          ["filer2", "filer1"], "the department's filers, login descending")
    r = admin.get("/api/users", query={"q": "fin2"})
    ck.eq([u["login"] for u in r.json.get("items", [])], ["fin2"],
          "search accounts")
    uid = accounts["filer2"]["id"]
    r = admin.get("/api/users/%d" % uid)
    ck.status(r, 200, "read an account")
    ck.eq(r.json.get("org", {}).get("id"), units[1]["id"],
          "the account's organisation")
    v = r.json["version"]
    r = admin.patch("/api/users/%d" % uid, {"version": v,
                                            "name": "图书馆填报员（新）"})
    ck.status(r, 200, "rename an account")
    r = admin.patch("/api/users/%d" % uid, {"version": v, "name": "旧版本"})
    ck.status(r, 409, "a stale account version", "conflict")

    # everybody signs in once
    filer = jxapi.Client(srv, "filer1")
    filer.login("filer1", PW["filer1"])
    filer2 = jxapi.Client(srv, "filer2")
    filer2.login("filer2", PW["filer2"])
    rev = jxapi.Client(srv, "reviewer")
    rev.login("reviewer", PW["reviewer"])
    fin = jxapi.Client(srv, "fin2")
    fin.login("fin2", PW["fin2"])
    bad = jxapi.Client(srv, "bad")
    r = bad.login("filer1", "Wrong2026pw", expect_ok=False)
    ck.status(r, 401, "a wrong password", "unauthenticated")
    r2 = bad.login("nosuchuser", "Wrong2026pw", expect_ok=False)
    ck.eq(r2.body, r.body, "an unknown login answers like a wrong password")

    # throttling: after 5 failures of one login even the right password
    # is refused, with Retry-After
    thr = jxapi.Client(srv, "throttled")
    for i in range(5):
        r = thr.login("admin2", "Wrong2026x%d" % i, expect_ok=False)
        ck.status(r, 401, "wrong password %d of admin2" % (i + 1))
    r = thr.login("admin2", PW["admin2"], expect_ok=False)
    ck.status(r, 429, "the sixth attempt is throttled", "too_many_requests")
    ck.ok((r.header("Retry-After") or "").isdigit() and
          int(r.header("Retry-After")) > 0, "429 says when to retry",
          repr(r.header("Retry-After")))

    # ---- the unit creates a project and declares its goals -------------------
    r = filer.post("/api/targets/parse", {"target": "≥95%", "unit": "%",
                                          "name": "考核合格率"})
    ck.status(r, 200, "the meaning of a target")
    m = r.json.get("meaning", {})
    ck.eq((m.get("value"), m.get("unit"), m.get("direction")),
          ("95", "%", "higher"), "≥95% is 95 %, higher is better")
    proj_body = {"code": "WL-%d-001" % YEAR, "name": "公共文化服务能力提升培训",
                 "type": "专项业务培训", "year": YEAR,
                 "start_date": "%d-01-01" % YEAR,
                 "end_date": "%d-12-31" % YEAR}
    r = filer.post("/api/projects", proj_body)
    ck.status(r, 201, "the filer creates a project")
    proj = r.json
    pid = proj["id"]
    ck.eq((proj.get("unit", {}).get("id"), proj.get("dept", {}).get("id")),
          (units[0]["id"], dept["id"]),
          "the project belongs to the unit and its department")
    r = filer.post("/api/projects", proj_body)
    ck.status(r, 409, "a second project with the same code", "conflict")
    ck.eq(r.error_field(), "code", "the conflict names the code")
    r = filer.post("/api/projects", dict(proj_body, code="WL-BAD",
                                         start_date="%d-12-31" % YEAR,
                                         end_date="%d-01-01" % YEAR))
    ck.status(r, 422, "dates out of order", "invalid")
    r = filer.patch("/api/projects/%d" % pid,
                    {"version": proj["version"], "type": "能力建设"})
    ck.status(r, 200, "the filer changes the project")
    ck.eq(r.json.get("type"), "能力建设", "the new type")
    r = filer.patch("/api/projects/%d" % pid,
                    {"version": proj["version"], "type": "旧"})
    ck.status(r, 409, "a stale project version", "conflict")

    r = filer.get("/api/projects/%d/goals" % pid)
    ck.status(r, 200, "no goals yet")
    ck.eq(r.json.get("goal_version"), None, "no goal version yet")
    ck.eq(r.json.get("can_save"), True, "the filer may save goals")
    inds = [dict(i) for i in jxapi.INDICATORS]
    inds[0]["weight"] = "20"  # 45 for 产出 instead of 50: a weight error
    r = filer.put("/api/projects/%d/goals" % pid,
                  jxapi.goals_body(version=0, indicators=inds))
    ck.status(r, 201, "the filer declares goals and indicators")
    gv = r.json["goal_version"]
    gvid = gv["id"]
    ck.eq((gv.get("number"), gv.get("stage"), gv.get("status")),
          (1, "declared", "draft"), "version 1, declared, draft")
    ck.eq(len(gv.get("indicators", [])), 4, "four indicators")
    ck.eq(dec(gv.get("weights", {}).get("total")), Decimal(85),
          "the weights add up as typed", repr(gv.get("weights")))
    r = filer.put("/api/projects/%d/goals" % pid,
                  jxapi.goals_body(version=gv["version"]))
    ck.status(r, 200, "the filer corrects the weights")
    gv = r.json["goal_version"]
    ck.eq(dec(gv.get("weights", {}).get("total")), Decimal(90),
          "the weights now add up to 90 (+10 execution)")
    r = filer.put("/api/projects/%d/goals" % pid,
                  jxapi.goals_body(version=gv["version"] - 1))
    ck.status(r, 409, "a stale goal version", "conflict")
    r = filer.put("/api/projects/%d/goals" % pid, jxapi.goals_body(
        version=gv["version"], indicators=[dict(jxapi.INDICATORS[0],
                                                level1="不存在的指标")]))
    ck.status(r, 422, "an unknown first-level indicator", "invalid")
    ck.eq(r.error_field(), "indicators[0].level1", "the field is named")

    def act(c, kind, rid, action, comment=None, want=200, what=None):
        _, ver = jxapi.record_state(admin, kind, rid)
        body = {"action": action, "version": ver}
        if comment is not None:
            body["comment"] = comment
        r = c.post(jxapi.transition_path(kind, rid), body)
        ck.status(r, want, what or "%s %s" % (kind, action))
        return r

    act(filer, "goal", gvid, "submit", what="the filer submits the goals")
    r = filer.put("/api/projects/%d/goals" % pid,
                  jxapi.goals_body(version=gv["version"] + 1))
    ck.status(r, 409, "goals under review cannot be saved", "conflict")
    r = rev.get("/api/inbox")
    ck.status(r, 200, "the reviewer's inbox")
    waiting = [it for lst in r.json.get("lists", []) for it in lst["items"]
               if it.get("type") == "goal_version" and it["id"] == gvid]
    ck.eq(len(waiting), 1, "the submitted goals wait for the department")
    act(rev, "goal", gvid, "dept_return", want=422,
        what="returning without a comment is refused")
    act(rev, "goal", gvid, "finance_approve", want=403,
        what="a department reviewer cannot take a finance action")
    comment = "培训人次目标偏低，请结合上年实际完成情况调整"
    srv.secrets.add(comment)
    r = act(rev, "goal", gvid, "dept_return", comment,
            what="the department returns the goals with a comment")
    ck.eq(r.json["goal_version"]["status"], "returned", "goals returned")
    r = filer.get("/api/inbox")
    ret = [it for lst in r.json.get("lists", []) for it in lst["items"]
           if it.get("type") == "goal_version" and it["id"] == gvid]
    ck.eq([(it["status"]["key"], (it.get("last_comment") or {}).get(
        "comment")) for it in ret], [("returned", comment)],
        "the filer's inbox shows the returned goals with the comment")
    inds = [dict(i) for i in jxapi.INDICATORS]
    inds[0]["target"] = "≥300"
    r = filer.get("/api/goal-versions/%d" % gvid)
    ck.status(r, 200, "read the goal version")
    ck.ok(any(rv.get("comment") == comment
              for rv in r.json["goal_version"].get("reviews", [])),
          "the goal version's reviews hold the comment")
    r = filer.put("/api/projects/%d/goals" % pid, jxapi.goals_body(
        version=r.json["goal_version"]["version"], indicators=inds))
    ck.status(r, 200, "the filer raises the target")
    act(filer, "goal", gvid, "submit", what="the filer resubmits")
    act(rev, "goal", gvid, "dept_approve", what="the department approves")
    act(fin, "goal", gvid, "finance_approve", what="finance approves")
    r = filer.get("/api/projects/%d/goals" % pid)
    ck.eq(r.json["goal_version"]["status"], "finance_approved",
          "the goals are approved")
    ck.eq(r.json.get("save_needs_reason"), True,
          "a change now starts an adjustment with a reason")

    # ---- money -----------------------------------------------------------
    v = filer.get("/api/projects/%d" % pid).json["version"]
    r = fin.put("/api/projects/%d/budget" % pid,
                {"initial_fen": 12000000, "version": v})
    ck.status(r, 200, "finance sets the budget")
    ck.eq((r.json.get("initial_fen"), r.json.get("annual_fen")),
          (12000000, 12000000), "budget 120000.00 元")
    r = fin.put("/api/projects/%d/budget" % pid,
                {"initial_fen": 1, "version": v})
    ck.status(r, 409, "a stale budget version", "conflict")
    r = fin.post("/api/projects/%d/adjustments" % pid, {
        "date": "%d-06-30" % YEAR, "amount_fen": 3000000,
        "reason": "追加乡镇文化站培训经费"})
    ck.status(r, 201, "finance records an adjustment")
    ck.eq(r.json.get("funds", {}).get("annual_fen"), 15000000,
          "the annual budget is 150000.00 元 after it")
    r = fin.post("/api/projects/%d/adjustments" % pid, {
        "date": "%d-07-01" % YEAR, "amount_fen": -99000000,
        "reason": "压减"})
    ck.status(r, 422, "an adjustment below zero is refused", "invalid")
    for day, amount, payee in (("03-15", 6000000, "示范市文化馆培训部"),
                               ("09-20", 8100000, "示范市职业培训中心")):
        r = filer.post("/api/projects/%d/payments" % pid, {
            "date": "%d-%s" % (YEAR, day), "amount_fen": amount,
            "payee": payee, "purpose": "培训费"})
        ck.status(r, 201, "the filer records a payment of %d fen" % amount)
        ck.eq(r.json.get("warnings"), [], "no warning within the budget")
    r = filer.post("/api/projects/%d/payments" % pid, {
        "date": "%d-02-30" % YEAR, "amount_fen": 1, "payee": "x"})
    ck.status(r, 422, "a payment on 30 February", "invalid")
    r = filer.get("/api/projects/%d/funds" % pid)
    ck.status(r, 200, "the funds")
    f = r.json
    ck.eq((f.get("initial_fen"), f.get("adjustments_fen"),
           f.get("annual_fen"), f.get("executed_fen"),
           f.get("executed_source")),
          (12000000, 3000000, 15000000, 14100000, "payments"),
          "funds: initial, adjustments, annual, executed from payments")
    ck.eq(dec(f.get("exec_rate")), Decimal("94"), "execution rate 94 %")
    r = filer.get("/api/projects/%d/payments" % pid,
                  query={"page": 1, "per_page": 1})
    ck.status(r, 200, "the payments, paged")
    ck.eq((r.json.get("total"), len(r.json.get("items", []))), (2, 1),
          "two payments, one per page")
    ck.eq(r.json["items"][0].get("date") if r.json.get("items") else None,
          "%d-09-20" % YEAR, "newest payment first")
    r = rev.get("/api/projects/%d/adjustments" % pid)
    ck.status(r, 200, "the adjustments")
    ck.eq([a.get("amount_fen") for a in r.json.get("items", [])], [3000000],
          "one adjustment")

    # ---- the self-evaluation -------------------------------------------------
    r = filer.post("/api/projects/%d/self-eval" % pid, {})
    ck.status(r, 201, "the filer starts the self-evaluation")
    ev = r.json
    eid = ev["id"]
    ck.eq((ev["status"]["key"], ev.get("editable")), ("draft", True),
          "a draft the filer may edit")
    ck.eq(len(ev.get("lines", [])), 4, "one line per indicator")
    ck.eq(ev["funds"].get("annual_fen"), 15000000,
          "the funds come from the project's money")
    ck.ok("MISSING_VALUE" in codes(ev), "blank actual values are findings")
    r = filer.post("/api/projects/%d/self-eval" % pid, {})
    ck.status(r, 409, "a second self-evaluation", "conflict")

    r = filer.patch("/api/evals/%d" % eid, {"version": ev["version"], "lines": [
        {"position": 0, "actual": "320"}, {"position": 1, "actual": "97%"},
        {"position": 2, "actual": "明显提升"},
        {"position": 3, "actual": "93%"}],
        "goals": [{"position": 0, "achieved": "完成培训320人次，合格率97%"}]})
    ck.status(r, 200, "the filer enters every actual value")
    ev = r.json
    exec_score = dec(ev["funds"]["score"]["computed"])
    ck.eq(exec_score, Decimal("9.4"), "execution score 10 × 94 % = 9.4")
    ck.eq([dec(line(ev, i)["score"]) for i in range(4)],
          [Decimal(25), Decimal(25), Decimal(30), Decimal(10)],
          "every line met: full scores")
    ck.eq(dec(ev["total"]["computed"]), Decimal("99.4"), "total 99.4")
    ck.eq(ev["grade"]["computed"], "优", "grade 优")
    ck.ok("MISSING_VALUE" not in codes(ev), "no blank value left")
    ck.eq(ev["goals"][0].get("achieved"), "完成培训320人次，合格率97%",
          "the achieved goal is saved")

    # a concrete change: half the trainees
    r = filer.post("/api/evals/%d/preview" % eid,
                   {"lines": [{"position": 0, "actual": "150"}]})
    ck.status(r, 200, "preview of an unsaved value")
    ck.eq((r.json.get("preview"), dec(line(r.json, 0)["score"]),
           dec(r.json["total"]["computed"])),
          (True, Decimal("12.5"), Decimal("86.9")),
          "preview: 150 of ≥300 scores 25×50% = 12.5, total 86.9")
    r = rev.get("/api/evals/%d" % eid)
    ck.eq((dec(line(r.json, 0)["score"]), r.json["version"]),
          (Decimal(25), ev["version"]), "the preview wrote nothing")
    r = filer.patch("/api/evals/%d" % eid, {"version": ev["version"],
                                            "lines": [{"position": 0,
                                                       "actual": "150"}]})
    ck.status(r, 200, "the filer saves the lower value")
    ev2 = r.json
    ck.eq(dec(line(ev2, 0)["score"]), Decimal("12.5"), "line score 12.5")
    ck.eq(dec(ev["total"]["computed"]) - dec(ev2["total"]["computed"]),
          Decimal("12.5"), "the total fell by 12.5")
    ck.eq(ev2["grade"]["computed"], "良", "grade 良 at 86.9")
    ck.ok("MISSING_DEVIATION_REASON" in codes(ev2, 0),
          "a missing deviation reason appears for the missed target",
          repr(codes(ev2)))
    ck.ok("MISSING_DEVIATION_REASON" in line(ev2, 0).get("findings", []),
          "the line lists its finding")
    ck.eq(ev2["version"], ev["version"] + 1, "the version went up")
    r = filer.patch("/api/evals/%d" % eid, {"version": ev["version"],
                                            "lines": [{"position": 1,
                                                       "actual": "1%"}]})
    ck.status(r, 409, "a stale self-evaluation version", "conflict")
    reason = "部分乡镇文化站因场地改造推迟培训，已调整至下年度第一季度完成"
    r = filer.patch("/api/evals/%d" % eid, {"version": ev2["version"],
                                            "lines": [{"position": 0,
                                                       "reason": reason}]})
    ck.status(r, 200, "the filer gives the reason")
    ev3 = r.json
    ck.ok("MISSING_DEVIATION_REASON" not in codes(ev3, 0),
          "the finding disappears with the reason", repr(codes(ev3)))
    ck.eq(dec(ev3["total"]["computed"]), dec(ev2["total"]["computed"]),
          "a reason does not change the score")
    ck.eq(line(ev3, 0).get("reason"), reason, "the reason is saved")
    r = filer.patch("/api/evals/%d" % eid, {"version": ev3["version"],
                                            "lines": [{"position": 9,
                                                       "actual": "1"}]})
    ck.status(r, 422, "a line that does not exist", "invalid")

    # review: submit, return, resubmit, approvals
    r = act(filer, "eval", eid, "submit", what="the filer submits")
    ck.eq((r.json["status"]["key"], r.json.get("editable")),
          ("submitted", False), "submitted, no longer editable")
    r = filer.patch("/api/evals/%d" % eid, {"version": r.json["version"],
                                            "lines": [{"position": 0,
                                                       "actual": "1"}]})
    ck.status(r, 403, "a submitted self-evaluation cannot be changed")
    r = rev.get("/api/inbox")
    ck.ok(any(it.get("type") == "self_eval" and it["id"] == eid
              for lst in r.json.get("lists", []) for it in lst["items"]),
          "the self-evaluation waits in the reviewer's inbox")
    comment2 = "请补充满意度调查样本数量及调查方式说明"
    srv.secrets.add(comment2)
    r = act(rev, "eval", eid, "dept_return", comment2,
            what="the department returns it with a comment")
    ck.eq(r.json["status"]["key"], "returned", "returned")
    ck.ok(any(rv.get("comment") == comment2 for rv in r.json["reviews"]),
          "the review history holds the comment")
    r = filer.patch("/api/evals/%d" % eid, {"version": r.json["version"],
                                            "lines": [{"position": 3,
                                                       "reason": "样本500份"}]})
    ck.status(r, 200, "the filer edits the returned self-evaluation")
    act(filer, "eval", eid, "submit", what="the filer resubmits")
    act(rev, "eval", eid, "dept_approve", what="the department approves")
    r = act(fin, "eval", eid, "finance_approve", what="finance approves")
    ck.eq(r.json["status"]["key"], "finance_approved", "finally approved")
    ck.eq([rv.get("action") for rv in r.json["reviews"]],
          ["submit", "dept_return", "submit", "dept_approve",
           "finance_approve"], "the whole review history")

    # ---- oversight ------------------------------------------------------------
    r = fin.get("/api/projects", query={
        "year": YEAR, "dept_id": dept["id"], "unit_id": units[0]["id"],
        "status": "finance_approved", "grade": "良", "has_errors": 0,
        "q": "文化服务", "sort": "-score", "page": 1, "per_page": 5})
    ck.status(r, 200, "project list with every filter")
    ck.eq([p["id"] for p in r.json.get("items", [])], [pid],
          "the filters find the project")
    item = (r.json.get("items") or [{}])[0]
    ck.eq((item.get("eval") or {}).get("grade"), "良",
          "the list shows the grade")
    r = fin.get("/api/projects", query={"year": YEAR, "grade": "优",
                                        "dept_id": dept["id"]})
    ck.eq(r.json.get("total"), 0, "no 优 project in the department")
    r = fin.get("/api/projects", query={"sort": "name", "per_page": 2,
                                        "page": 1})
    ck.status(r, 200, "project list sorted by name")
    names = [p["name"] for p in r.json.get("items", [])]
    ck.eq(names, sorted(names), "sorted by name")
    ck.ok(r.json.get("total", 0) >= 5, "the demo and new projects are listed")
    r = fin.get("/api/projects/%d" % pid)
    ck.status(r, 200, "the project page")
    ck.eq((r.json.get("goals") or {}).get("wf_status"), "finance_approved",
          "the project page shows the goals' state")
    ck.eq((r.json.get("eval") or {}).get("grade"), "良",
          "the project page shows the grade")
    r = fin.get("/api/dashboard", query={"year": YEAR})
    ck.status(r, 200, "the dashboard")
    row = [d for d in r.json.get("departments", [])
           if (d.get("dept") or {}).get("id") == dept["id"]]
    ck.eq(len(row), 1, "the new department has a dashboard row")
    if row:
        row = row[0]
        ck.eq((row.get("projects"), row.get("annual_fen"),
               row.get("executed_fen")), (1, 15000000, 14100000),
              "the department's projects and money")
        st = {s["key"]: s["count"] for s in row.get("by_status", [])}
        ck.eq(st.get("finance_approved"), 1, "one approved self-evaluation")
        gr = {g["key"]: g["count"] for g in row.get("by_grade", [])}
        ck.eq(gr.get("良"), 1, "one 良")
    r = rev.get("/api/dashboard", query={"year": YEAR, "dept_id": dept["id"]})
    ck.status(r, 200, "the reviewer's dashboard of the department")
    r = fin.get("/api/inbox")
    ck.status(r, 200, "finance's inbox")
    ck.eq(r.json.get("role"), "finance_reviewer", "the inbox names the role")
    r = fin.get("/api/audit", query={"table": "project", "record_id": pid,
                                     "page": 1, "per_page": 50})
    ck.status(r, 200, "the audit log of the project")
    actors = {e.get("actor") for e in r.json.get("items", [])}
    ck.ok({"filer1", "fin2"} <= actors, "the project's changes are logged "
          "by their authors", repr(actors))
    r = fin.get("/api/audit", query={"actor": "reviewer",
                                     "from": "%d-01-01" % YEAR,
                                     "to": "%d-12-31" % (YEAR + 1)})
    ck.status(r, 200, "the audit log by actor and dates")
    ck.ok(r.json.get("total", 0) >= 4 and all(
        e.get("actor") == "reviewer" for e in r.json.get("items", [])),
        "the reviewer's actions", repr(r.json.get("total")))
    for e in r.json.get("items", []):
        text = repr(e)
        ck.ok("password" not in text and "token" not in text,
              "no secret in the audit log", text[:200])
    r = filer.get("/api/projects/%d/history" % pid,
                  query={"page": 1, "per_page": 100})
    ck.status(r, 200, "the project's history")
    hist = r.json.get("items", [])
    ck.ok(any(h.get("kind") == "review" and h.get("comment") == comment2
              for h in hist), "the history holds the return with comment")
    ck.ok(any(h.get("kind") == "audit" for h in hist),
          "the history holds audit entries")
    ck.eq(r.json.get("total"), len(hist), "the history's total")

    # ---- passwords, sign-out -----------------------------------------------------
    new_pw = "Wenhua2026new"
    srv.secrets.add(new_pw)
    r = filer.post("/api/session/password", {"old_password": "Wrong2026x",
                                             "new_password": new_pw})
    ck.status(r, 422, "a wrong old password", "invalid")
    ck.eq(r.error_field(), "old_password", "the field is named")
    r = filer.post("/api/session/password", {"old_password": PW["filer1"],
                                             "new_password": "short1"})
    ck.status(r, 422, "a too short new password", "invalid")
    r = filer.post("/api/session/password", {"old_password": PW["filer1"],
                                             "new_password": new_pw})
    ck.status(r, 204, "the filer changes the password")
    ck.status(filer.get("/api/session"), 200,
              "the session that changed the password goes on")
    c = jxapi.Client(srv, "filer1-new")
    ck.status(c.login("filer1", new_pw, expect_ok=False), 200,
              "the new password signs in")
    reset_pw = "Chongzhi2026z"
    srv.secrets.add(reset_pw)
    r = admin.post("/api/users/%d/password" % accounts["filer2"]["id"],
                   {"password": reset_pw})
    ck.status(r, 204, "admin resets filer2's password")
    ck.status(filer2.get("/api/session"), 401,
              "a reset ends the account's sessions", "unauthenticated")
    ck.status(jxapi.Client(srv, "filer2-new").login(
        "filer2", reset_pw, expect_ok=False), 200,
        "the reset password signs in")
    v = admin.get("/api/users/%d" % accounts["filer2"]["id"]).json["version"]
    r = admin.patch("/api/users/%d" % accounts["filer2"]["id"],
                    {"version": v, "active": False})
    ck.status(r, 200, "admin deactivates filer2")
    ck.status(jxapi.Client(srv, "filer2-off").login(
        "filer2", reset_pw, expect_ok=False), 401,
        "a deactivated account cannot sign in")
    old = filer.copy("filer1-old")
    r = filer.delete("/api/session")
    ck.status(r, 204, "sign-out")
    ck.ok("Max-Age=0" in (r.header("Set-Cookie") or ""),
          "sign-out clears the cookie", repr(r.header("Set-Cookie")))
    ck.status(old.get("/api/session"), 401, "the old cookie after sign-out",
              "unauthenticated")


def run(checks, pg):
    routes = jxapi.load_routes()
    with jxapi.Server(checks, pg=pg) as srv:
        story(checks, srv)
        called = set()
        for method, path, status, _ in srv.calls:
            r = jxapi.route_of(routes, method, path)
            if r is not None and 200 <= status < 300:
                called.add(r.key)
        table = {r.key for r in routes}
        checks.eq(sorted(table - called), [],
                  "routes the story did not call successfully")
        checks.eq(sorted(called - table), [], "calls outside the table")
        # every answer has the shape docs/openapi.json documents
        api = jxapi.OpenAPI()
        problems = {}
        for resp in srv.responses:
            for p in api.check(routes, resp):
                problems.setdefault(p, resp)
        for p, resp in sorted(problems.items())[:40]:
            checks.ok(False, "answer as documented in openapi.json: " + p,
                      resp.describe())
        checks.ok(len(srv.responses) > 100,
                  "answers checked against openapi.json",
                  str(len(srv.responses)))


if __name__ == "__main__":
    sys.exit(jxapi.main(run, "test_routes"))
