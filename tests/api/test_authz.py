#!/usr/bin/env python3
"""The authorization matrix of the web API, against the real server.

Every route of src/http/routes.c x every role (unit_filer, dept_reviewer,
finance_reviewer, admin) x, for routes about one record, a record of the
caller's own organisation, of a sibling organisation and of the parent
organisation, each cell with the EXACT status written in the table EXPECT
below (by hand, from the rules: a role the route does not allow is 403; a
record outside the caller's subtree is 404, never 403, so that existence
does not leak; everything else 2xx). Refused cells must write nothing: the
database's row counts and version sums are compared before and after each.

Then: every non-public route without a session is 401 (the same for a
record that exists and one that does not); every state-changing route with
a session but without, with a wrong, or with another user's X-CSRF-Token is
403 code "csrf" and writes nothing; after sign-out the old cookie is 401.
Lists are scoped too: each role's project, organisation and inbox lists
hold exactly what its subtree holds.

The organisations (demo data of `jixiao db demo`, plus one unit the test
creates directly under the finance bureau):

    示范市财政局 (root: caizheng finance_reviewer, admin admin)
      D1 示范市教育局 (dept01)        D2 示范市卫生健康委员会 (dept02)
        U11 (unit0101)  U12 (unit0102)   U21 (unit0201)
      UF 财政直管单位 (authz_uf, created here: no department)

and one project each, P11 P12 P21 PF, with goals approved through the
workflow, a budget and (except P11, whose self-evaluation is created by
the matrix itself) a self-evaluation.

The three columns per role:
    unit_filer (unit0101):   own P11 / U11, sibling P12 / U12, parent:
        the org D1; for project records, projects only live at units
        (ledger.c refuses a department as unit_id: 项目只能建在实施单位下),
        so the "parent" record is PF, a project attached higher in the tree
        than the caller's department; POST /api/projects names D1 itself.
    dept_reviewer (dept01):  own P11 / D1, sibling P21 / D2, parent PF / the
        finance bureau.
    finance_reviewer, admin: everything is in their subtree; the columns use
        P11, P21, PF (orgs: the finance bureau, D2, U12).

    python3 tests/api/test_authz.py    (JIXIAO=path/to/jixiao)
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jxapi  # noqa: E402

U, D, F, A = "unit_filer", "dept_reviewer", "finance_reviewer", "admin"
ROLES = (U, D, F, A)
LOGIN = {U: "unit0101", D: "dept01", F: "caizheng", A: "admin"}
SCOPES = ("own", "sib", "par")


def per(own, sib, par):
    return {"own": own, "sib": sib, "par": par}


ALL_GET = {U: per(200, 404, 404), D: per(200, 404, 404),
           F: per(200, 200, 200), A: per(200, 200, 200)}

# The expected status of every cell. An int: one cell for the role (the
# route is not about a record, or the role is refused whatever the
# record); a dict: one cell per scope.
EXPECT = {
    ("GET", "/healthz"): {U: 200, D: 200, F: 200, A: 200},
    ("GET", "/api/version"): {U: 200, D: 200, F: 200, A: 200},
    ("GET", "/api/workflow"): {U: 200, D: 200, F: 200, A: 200},
    ("POST", "/api/session"): {U: 200, D: 200, F: 200, A: 200},
    ("GET", "/api/session"): {U: 200, D: 200, F: 200, A: 200},
    ("DELETE", "/api/session"): {U: 204, D: 204, F: 204, A: 204},
    ("POST", "/api/session/password"): {U: 204, D: 204, F: 204, A: 204},

    ("GET", "/api/orgs"): {U: 200, D: 200, F: 200, A: 200},
    ("POST", "/api/orgs"): {U: 403, D: 403, F: 403, A: per(201, 201, 201)},
    ("GET", "/api/orgs/{id}"): ALL_GET,
    ("PATCH", "/api/orgs/{id}"): {U: 403, D: 403, F: 403,
                                  A: per(200, 200, 200)},

    ("GET", "/api/users"): {U: 403, D: 403, F: 403, A: 200},
    ("POST", "/api/users"): {U: 403, D: 403, F: 403, A: per(201, 201, 201)},
    ("GET", "/api/users/{id}"): {U: 403, D: 403, F: 403,
                                 A: per(200, 200, 200)},
    ("PATCH", "/api/users/{id}"): {U: 403, D: 403, F: 403,
                                   A: per(200, 200, 200)},
    ("POST", "/api/users/{id}/password"): {U: 403, D: 403, F: 403,
                                           A: per(204, 204, 204)},

    ("GET", "/api/projects"): {U: 200, D: 200, F: 200, A: 200},
    ("POST", "/api/projects"): {U: per(201, 404, 404), D: 403, F: 403,
                                A: per(201, 201, 201)},
    ("GET", "/api/projects/{id}"): ALL_GET,
    ("PATCH", "/api/projects/{id}"): {U: per(200, 404, 404), D: 403, F: 403,
                                      A: per(200, 200, 200)},
    ("GET", "/api/projects/{id}/history"): ALL_GET,

    ("GET", "/api/projects/{id}/funds"): ALL_GET,
    ("PUT", "/api/projects/{id}/budget"): {U: 403, D: 403,
                                           F: per(200, 200, 200),
                                           A: per(200, 200, 200)},
    ("GET", "/api/projects/{id}/payments"): ALL_GET,
    ("POST", "/api/projects/{id}/payments"): {U: per(201, 404, 404), D: 403,
                                              F: per(201, 201, 201), A: 403},
    ("GET", "/api/projects/{id}/adjustments"): ALL_GET,
    ("POST", "/api/projects/{id}/adjustments"): {U: 403, D: 403,
                                                 F: per(201, 201, 201),
                                                 A: 403},

    ("GET", "/api/projects/{id}/goals"): ALL_GET,
    ("PUT", "/api/projects/{id}/goals"): {U: per(201, 404, 404), D: 403,
                                          F: 403, A: 403},
    ("GET", "/api/goal-versions/{id}"): ALL_GET,
    ("POST", "/api/goal-versions/{id}/transitions"): {
        U: per(200, 404, 404), D: per(200, 404, 404),
        F: per(200, 200, 200), A: per(403, 403, 403)},
    ("POST", "/api/targets/parse"): {U: 200, D: 200, F: 200, A: 200},

    ("POST", "/api/projects/{id}/self-eval"): {U: per(201, 404, 404),
                                               D: 403, F: 403, A: 403},
    ("GET", "/api/evals/{id}"): ALL_GET,
    ("PATCH", "/api/evals/{id}"): {U: per(200, 404, 404), D: 403, F: 403,
                                   A: 403},
    ("POST", "/api/evals/{id}/preview"): ALL_GET,
    ("POST", "/api/evals/{id}/transitions"): {
        U: per(200, 404, 404), D: per(200, 404, 404),
        F: per(200, 200, 200), A: per(403, 403, 403)},

    ("GET", "/api/dashboard"): {U: 200, D: 200, F: 200, A: 200},
    ("GET", "/api/inbox"): {U: 200, D: 200, F: 200, A: 200},
    ("GET", "/api/audit"): {U: 403, D: 403, F: 200, A: 200},
}

# The order the routes run in (workflow records need their predecessors).
ORDER = [
    ("GET", "/healthz"), ("GET", "/api/version"), ("GET", "/api/workflow"),
    ("GET", "/api/session"),
    ("GET", "/api/orgs"), ("POST", "/api/orgs"), ("GET", "/api/orgs/{id}"),
    ("PATCH", "/api/orgs/{id}"),
    ("GET", "/api/users"), ("POST", "/api/users"), ("GET", "/api/users/{id}"),
    ("PATCH", "/api/users/{id}"), ("POST", "/api/users/{id}/password"),
    ("GET", "/api/projects"), ("POST", "/api/projects"),
    ("GET", "/api/projects/{id}"), ("PATCH", "/api/projects/{id}"),
    ("GET", "/api/projects/{id}/history"),
    ("GET", "/api/projects/{id}/funds"), ("PUT", "/api/projects/{id}/budget"),
    ("GET", "/api/projects/{id}/payments"),
    ("POST", "/api/projects/{id}/payments"),
    ("GET", "/api/projects/{id}/adjustments"),
    ("POST", "/api/projects/{id}/adjustments"),
    ("POST", "/api/targets/parse"),
    ("POST", "/api/projects/{id}/self-eval"), ("GET", "/api/evals/{id}"),
    ("PATCH", "/api/evals/{id}"), ("POST", "/api/evals/{id}/preview"),
    ("POST", "/api/evals/{id}/transitions"),
    ("GET", "/api/projects/{id}/goals"), ("GET", "/api/goal-versions/{id}"),
    ("PUT", "/api/projects/{id}/goals"),
    ("POST", "/api/goal-versions/{id}/transitions"),
    ("GET", "/api/dashboard"), ("GET", "/api/inbox"), ("GET", "/api/audit"),
]
# Run last: they end sessions.
SESSION_ORDER = [("POST", "/api/session"), ("DELETE", "/api/session"),
                 ("POST", "/api/session/password")]

NEW_PASSWORD = "Changed2026pw"
YEAR = time.gmtime().tm_year


class World:
    """The organisations, users, records and signed-in clients."""

    def __init__(self, srv, checks):
        self.srv = srv
        self.checks = checks
        self.n = 0
        self.c = {}
        for role, login in LOGIN.items():
            c = jxapi.Client(srv, login)
            c.login(login)
            self.c[role] = c
        a = self.c[A]
        self.helpers = {}
        for login in ("unit0102", "unit0201", "dept02"):
            c = jxapi.Client(srv, login)
            c.login(login)
            self.helpers[login] = c
        self.wf = jxapi.Workflow(jxapi.must(a.get("/api/workflow"), 200,
                                            "workflow"))
        org = {role: c.user["org"]["id"] for role, c in self.c.items()}
        self.org_ids = {
            "root": org[A], "D1": org[D], "U11": org[U],
            "U12": self.helpers["unit0102"].user["org"]["id"],
            "U21": self.helpers["unit0201"].user["org"]["id"],
            "D2": self.helpers["dept02"].user["org"]["id"]}
        checks.eq(org[F], org[A], "finance and admin are at the root")
        # a unit directly under the finance bureau, and its filer
        r = jxapi.must(a.post("/api/orgs", {
            "parent_id": self.org_ids["root"], "kind": "unit",
            "name": "示范市财政直管测试单位"}), 201, "create UF")
        self.org_ids["UF"] = r["id"]
        self.new_user("authz_uf", "直管单位填报员", U, "UF")
        uf = jxapi.Client(srv, "authz_uf")
        uf.login("authz_uf", "Authz2026uf")
        self.helpers["authz_uf"] = uf
        # target accounts for the user routes
        self.user_ids = {
            "own": self.new_user("authz_t11", "测试账号一", U, "U11"),
            "sib": self.new_user("authz_t21", "测试账号二", U, "U21"),
            "par": self.new_user("authz_td1", "测试账号三", D, "D1")}
        # projects through approval, budgets, self-evaluations
        self.actors = {
            "P11": {U: self.c[U], D: self.c[D], F: self.c[F]},
            "P12": {U: self.helpers["unit0102"], D: self.c[D], F: self.c[F]},
            "P21": {U: self.helpers["unit0201"], D: self.helpers["dept02"],
                    F: self.c[F]},
            "PF": {U: uf, D: None, F: self.c[F]}}
        self.projects, self.evals = {}, {}
        for key, act in self.actors.items():
            p = jxapi.must(act[U].post("/api/projects", {
                "code": "AZ-%s" % key, "name": "授权测试项目%s" % key,
                "type": "专项业务培训", "year": YEAR,
                "start_date": "%d-01-01" % YEAR,
                "end_date": "%d-12-31" % YEAR}), 201, "create " + key)
            self.projects[key] = p["id"]
            g = jxapi.must(act[U].put("/api/projects/%d/goals" % p["id"],
                                      jxapi.goals_body()), 201,
                           "goals of " + key)
            jxapi.drive(self.wf, a, "goal", g["goal_version"]["id"],
                        "finance_approved", act, act[D] is not None)
            v = self.project(p["id"])["version"]
            jxapi.must(self.c[F].put("/api/projects/%d/budget" % p["id"], {
                "initial_fen": 50000000, "version": v}), 200,
                "budget of " + key)
            if key != "P11":
                e = jxapi.must(act[U].post("/api/projects/%d/self-eval" %
                                           p["id"], {}), 201, "eval " + key)
                self.evals[key] = e["id"]
        self.extra = {}  # second sessions, from the sign-in cells
        self.old = {}  # copies of them taken before sign-out

    def new_user(self, login, name, role, org):
        r = jxapi.must(self.c[A].post("/api/users", {
            "login": login, "name": name, "role": role,
            "org_id": self.org_ids[org],
            "password": "Authz2026" + login[-2:]}), 201, "user " + login)
        self.srv.secrets.add("Authz2026" + login[-2:])
        return r["id"]

    def uniq(self):
        self.n += 1
        return self.n

    def project(self, pid):
        return jxapi.must(self.c[A].get("/api/projects/%d" % pid), 200,
                          "read project")

    def proj_key(self, role, scope):
        if role == U:
            return {"own": "P11", "sib": "P12", "par": "PF"}[scope]
        return {"own": "P11", "sib": "P21", "par": "PF"}[scope]

    def pid(self, role, scope):
        return self.projects[self.proj_key(role, scope)]

    def org(self, role, scope):
        return self.org_ids[{
            U: {"own": "U11", "sib": "U12", "par": "D1"},
            D: {"own": "D1", "sib": "D2", "par": "root"},
            F: {"own": "root", "sib": "D2", "par": "U12"},
            A: {"own": "root", "sib": "D2", "par": "U12"}}[role][scope]]

    def gv(self, key):
        g = jxapi.must(self.c[A].get("/api/projects/%d/goals" %
                                     self.projects[key]), 200, "goals")
        return g["goal_version"]["id"]

    def version_of(self, path):
        return jxapi.must(self.c[A].get(path), 200, "read " + path)["version"]


# ---- the cells ----------------------------------------------------------------


def cell(w, key, role, scope):
    """Prepare and send the request of one cell; returns (client, method,
    path, body) to send. Preparation (state changes by other users) happens
    here, before the snapshot."""
    method, pattern = key
    c = w.c[role]
    scope = scope or "own"
    n = w.uniq()
    pk = w.proj_key(role, scope)
    pid = w.projects[pk]
    act = w.actors[pk]
    has_dept = act[D] is not None

    if pattern in ("/healthz", "/api/version", "/api/workflow",
                   "/api/session", "/api/inbox", "/api/audit",
                   "/api/dashboard", "/api/users") and method == "GET":
        return c, method, pattern, None
    if key == ("GET", "/api/orgs") or key == ("GET", "/api/projects"):
        return c, method, pattern + "?per_page=200", None
    if key == ("POST", "/api/orgs"):
        parent, kind = {"own": ("root", "department"), "sib": ("D1", "unit"),
                        "par": ("D2", "unit")}[scope]
        return c, method, pattern, {
            "parent_id": w.org_ids[parent], "kind": kind,
            "name": "授权测试组织%d" % n, "code": "AZ%d" % n}
    if pattern == "/api/orgs/{id}":
        oid = w.org(role, scope)
        if method == "GET":
            return c, method, "/api/orgs/%d" % oid, None
        return c, method, "/api/orgs/%d" % oid, {
            "version": w.version_of("/api/orgs/%d" % oid),
            "region_code": "AZ%d" % n}
    if key == ("POST", "/api/users"):
        org, r = {"own": ("U11", U), "sib": ("U21", U),
                  "par": ("D1", D)}[scope]
        w.srv.secrets.add("Matrix2026pw")
        return c, method, pattern, {
            "login": "authz_new%d" % n, "name": "新账号%d" % n, "role": r,
            "org_id": w.org_ids[org], "password": "Matrix2026pw"}
    if pattern.startswith("/api/users/{id}"):
        uid = w.user_ids[scope]
        path = pattern.replace("{id}", str(uid))
        if method == "GET":
            return c, method, path, None
        if method == "PATCH":
            return c, method, path, {
                "version": w.version_of("/api/users/%d" % uid),
                "name": "改名账号%d" % n}
        w.srv.secrets.add("Reset2026pw%d" % n)
        return c, method, path, {"password": "Reset2026pw%d" % n}
    if key == ("POST", "/api/projects"):
        unit = {U: {"own": "U11", "sib": "U12", "par": "D1"},
                A: {"own": "U11", "sib": "U21", "par": "UF"}}.get(
                    role, {"own": "U11"})[scope]
        return c, method, pattern, {
            "code": "AZ-NEW-%d" % n, "name": "新建项目%d" % n,
            "year": YEAR, "unit_id": w.org_ids[unit]}
    path = "/api/projects/%d" % pid
    if pattern == "/api/projects/{id}":
        if method == "GET":
            return c, method, path, None
        return c, method, path, {"version": w.project(pid)["version"],
                                 "type": "类型%d" % n}
    if pattern.startswith("/api/projects/{id}/") and method == "GET":
        return c, method, path + pattern[len("/api/projects/{id}"):], None
    if key == ("PUT", "/api/projects/{id}/budget"):
        return c, method, path + "/budget", {
            "initial_fen": 50000000 + n * 100,
            "version": w.project(pid)["version"]}
    if key == ("POST", "/api/projects/{id}/payments"):
        return c, method, path + "/payments", {
            "date": "%d-03-01" % YEAR, "amount_fen": 100000 + n,
            "payee": "示范市培训中心", "purpose": "培训费"}
    if key == ("POST", "/api/projects/{id}/adjustments"):
        return c, method, path + "/adjustments", {
            "date": "%d-06-01" % YEAR, "amount_fen": 1000000,
            "reason": "追加培训经费"}
    if key == ("POST", "/api/targets/parse"):
        return c, method, pattern, {"target": "≥95%", "unit": "%"}
    if key == ("POST", "/api/projects/{id}/self-eval"):
        return c, method, path + "/self-eval", {}
    if key == ("PUT", "/api/projects/{id}/goals"):
        gid = w.gv(pk)
        st, ver = jxapi.record_state(w.c[A], "goal", gid)
        if st != "finance_approved":
            jxapi.drive(w.wf, w.c[A], "goal", gid, "finance_approved", act,
                        has_dept)
            st, ver = jxapi.record_state(w.c[A], "goal", gid)
        return c, method, path + "/goals", jxapi.goals_body(
            version=ver, reason="年中调整：培训人次目标不变，补充说明")
    if pattern == "/api/goal-versions/{id}":
        return c, method, "/api/goal-versions/%d" % w.gv(pk), None
    if pattern == "/api/evals/{id}" and method == "GET":
        return c, method, "/api/evals/%d" % w.evals[pk], None
    if key == ("PATCH", "/api/evals/{id}"):
        eid = w.evals[pk]
        st, ver = jxapi.record_state(w.c[A], "eval", eid)
        if st not in ("draft", "returned"):
            jxapi.drive(w.wf, w.c[A], "eval", eid, "returned", act, has_dept)
            st, ver = jxapi.record_state(w.c[A], "eval", eid)
        return c, method, "/api/evals/%d" % eid, {
            "version": ver, "lines": [{"position": 0, "actual": "21%d" % n}]}
    if key == ("POST", "/api/evals/{id}/preview"):
        return c, method, "/api/evals/%d/preview" % w.evals[pk], {
            "lines": [{"position": 0, "actual": "150"}]}
    if pattern.endswith("/transitions"):
        kind = "goal" if pattern.startswith("/api/goal-versions") else "eval"
        rid = w.gv(pk) if kind == "goal" else w.evals[pk]
        # the action of the role, and the state it leaves from
        if role == U or role == A:
            action, state = "submit", "returned"
        elif role == D:
            action, state = "dept_return", "submitted"
        elif scope == "own":
            action, state = "finance_return", "dept_approved"
        elif scope == "sib":
            action, state = "reopen", "finance_approved"
        else:
            action, state = "finance_return_direct", "submitted"
        cur, _ = jxapi.record_state(w.c[A], kind, rid)
        if not (action == "submit" and cur in ("draft", "returned")):
            jxapi.drive(w.wf, w.c[A], kind, rid, state, act, has_dept)
        _, ver = jxapi.record_state(w.c[A], kind, rid)
        return c, method, jxapi.transition_path(kind, rid), {
            "action": action, "version": ver,
            "comment": "授权矩阵测试意见%d" % n}
    if key == ("POST", "/api/session"):
        c2 = jxapi.Client(w.srv, LOGIN[role] + "-2")
        w.extra[role] = c2
        return c2, method, pattern, {"login": LOGIN[role],
                                     "password": jxapi.DEMO_PASSWORD}
    if key == ("DELETE", "/api/session"):
        c2 = w.extra.get(role) or c
        w.old[role] = c2.copy(c2.name + "-old")
        return c2, method, pattern, None
    if key == ("POST", "/api/session/password"):
        w.srv.secrets.add(NEW_PASSWORD)
        return c, method, pattern, {"old_password": jxapi.DEMO_PASSWORD,
                                    "new_password": NEW_PASSWORD}
    raise RuntimeError("no cell for %s %s" % key)


def run_route(w, key, done):
    checks = w.checks
    exp = EXPECT[key]
    for role in ROLES:
        e = exp[role]
        scopes = SCOPES if isinstance(e, dict) else (None,)
        for scope in scopes:
            want = e[scope] if scope else e
            what = "%s %s as %s%s" % (key[0], key[1], role,
                                      (" on the %s record" % scope)
                                      if scope else "")
            try:
                c, method, path, body = cell(w, key, role, scope)
            except Exception as ex:
                checks.ok(False, what + ": set-up", repr(ex))
                continue
            before = w.srv.db.snapshot() if want >= 400 else None
            r = c.request(method, path, body=body)
            done.add(key)
            checks.status(r, want, what)
            if want == 404:
                # the same request about a record that does not exist must
                # answer the same: existence does not leak
                ghost_path, ghost_body = ghost(path, body)
                g = c.request(method, ghost_path, body=ghost_body)
                checks.eq((g.status, g.json.get("error")),
                          (r.status, r.json.get("error")),
                          what + ": the same answer as for a record that "
                          "does not exist")
            if before is not None:
                after = w.srv.db.snapshot()
                checks.ok(before == after, what + ": nothing written",
                          repr(jxapi.snapshot_diff(before, after)))
            if key == ("POST", "/api/session") and r.status == 200:
                w.extra[role].csrf = r.json.get("csrf_token")
                w.srv.secrets.add(r.json.get("csrf_token") or "")
            if key == ("POST", "/api/projects/{id}/self-eval") and \
                    r.status == 201 and role == U and scope == "own":
                w.evals["P11"] = r.json["id"]
            if key == ("PUT", "/api/projects/{id}/goals") and \
                    r.status == 201 and role == U and scope == "own":
                checks.eq(r.json["goal_version"]["stage"], "adjusted",
                          "a save after approval starts an adjusted "
                          "version")
    if key == ("POST", "/api/projects/{id}/self-eval") and \
            "P11" not in w.evals:
        # let the rest of the matrix run
        r = w.c[U].post("/api/projects/%d/self-eval" % w.projects["P11"], {})
        if r.status == 201:
            w.evals["P11"] = r.json["id"]


def ghost(path, body):
    """path and body with the record out of scope replaced by an id no
    record has."""
    if body and "unit_id" in body and path == "/api/projects":
        return path, dict(body, unit_id=999999999, code=body["code"] + "G")
    parts = path.split("/")
    for i, part in enumerate(parts):
        if part.isdigit():
            parts[i] = "999999999"
            break
    return "/".join(parts), body


# ---- the other checks --------------------------------------------------------


def ids(r):
    return {it["id"] for it in r.json.get("items", [])} if r.status == 200 \
        else None


def list_scoping(w):
    checks = w.checks
    p = w.projects
    mine = {U: {"P11"}, D: {"P11", "P12"}, F: set(p), A: set(p)}
    for role in ROLES:
        got = ids(w.c[role].get("/api/projects", query={"per_page": 200,
                                                         "year": YEAR}))
        want = {p[k] for k in mine[role]}
        others = {p[k] for k in p} - want
        checks.ok(got is not None and want <= got and not (others & got),
                  "project list of %s holds exactly its subtree's" % role,
                  "want %s, not %s; got %s" % (sorted(want), sorted(others),
                                               got))
    o = w.org_ids
    org_mine = {U: {"U11"}, D: {"D1", "U11", "U12"}, F: set(o), A: set(o)}
    org_not = {U: {"root", "D1", "U12", "U21", "D2", "UF"},
               D: {"root", "D2", "U21", "UF"}, F: set(), A: set()}
    for role in ROLES:
        got = ids(w.c[role].get("/api/orgs", query={"per_page": 200}))
        want = {o[k] for k in org_mine[role]}
        bad = {o[k] for k in org_not[role]}
        checks.ok(got is not None and want <= got and not (bad & got),
                  "organisation list of %s holds exactly its subtree" % role,
                  "want %s, not %s; got %s" % (sorted(want), sorted(bad),
                                               got))
    # the inbox names only projects in scope
    allowed = {U: {p["P11"]}, D: {p["P11"], p["P12"]}}
    for role in (U, D):
        r = w.c[role].get("/api/inbox")
        if not checks.status(r, 200, "inbox of %s" % role):
            continue
        seen = set()
        for lst in r.json.get("lists", []):
            for it in lst.get("items", []):
                proj = it.get("project") or {}
                seen.add(proj.get("id", it.get("project_id")))
        test_ids = set(p.values())
        checks.ok(not ((seen & test_ids) - allowed[role]),
                  "inbox of %s names only projects in scope" % role,
                  "saw %s" % sorted(x for x in seen if x is not None))
    # dashboard filtered by department
    for role, dept, want in ((U, "D1", 200), (U, "D2", 404), (D, "D1", 200),
                             (D, "D2", 404), (F, "D2", 200), (A, "D1", 200)):
        r = w.c[role].get("/api/dashboard", query={"dept_id": o[dept],
                                                   "year": YEAR})
        checks.status(r, want, "dashboard of %s as %s" % (dept, role))
    # a unit filer cannot place a project at a department; the admin is
    # refused too (projects live at units)
    r = w.c[A].post("/api/projects", {"code": "AZ-DEPT", "name": "部门本级",
                                      "year": YEAR, "unit_id": o["D1"]})
    checks.status(r, 422, "a project at a department is refused")


def no_session(w, routes):
    checks = w.checks
    anon = jxapi.Client(w.srv, "anonymous")
    before = w.srv.db.snapshot()
    real = {"/api/orgs/{id}": w.org_ids["U11"],
            "/api/users/{id}": w.user_ids["own"],
            "/api/goal-versions/{id}": w.gv("P11"),
            "/api/evals/{id}": w.evals.get("P11", 1)}
    for r in routes:
        if r.public:
            continue
        first = r.pattern.split("/{id}")[0] + "/{id}"
        rid = real.get(first, w.projects["P11"])
        body = {} if r.body_max else None
        resp = anon.request(r.method, r.path(rid) if r.has_id else r.pattern,
                            body=body)
        checks.status(resp, 401, "%s without a session" % r,
                      "unauthenticated")
        if r.has_id:
            resp2 = anon.request(r.method, r.path(999999999), body=body)
            checks.eq((resp2.status, resp2.body), (resp.status, resp.body),
                      "%s without a session: a missing record answers the "
                      "same" % r)
        # a forged cookie is no better
        forged = jxapi.Client(w.srv, "forged")
        forged.cookies["jx_session"] = "A" * 43
        resp = forged.request(r.method,
                              r.path(rid) if r.has_id else r.pattern,
                              body=body)
        checks.status(resp, 401, "%s with a forged session" % r,
                      "unauthenticated")
    after = w.srv.db.snapshot()
    checks.ok(before == after, "requests without a session wrote nothing",
              repr(jxapi.snapshot_diff(before, after)))


def csrf(w, routes):
    checks = w.checks
    before = w.srv.db.snapshot()
    for role in (U, A):
        c = w.c[role]
        other = w.c[F].csrf
        for r in routes:
            if r.method not in jxapi.WRITE_METHODS or r.public:
                continue
            path = r.path(w.projects["P11"]) if r.has_id else r.pattern
            if r.pattern.startswith("/api/evals/"):
                path = r.path(w.evals.get("P11", 1))
            if r.pattern.startswith("/api/goal-versions/"):
                path = r.path(w.gv("P11"))
            if r.pattern.startswith("/api/orgs/"):
                path = r.path(w.org_ids["U11"])
            if r.pattern.startswith("/api/users/"):
                path = r.path(w.user_ids["own"])
            body = {} if r.body_max else None
            for label, token in (("without", False), ("with a wrong", "x" * 43),
                                 ("with another user's", other),
                                 ("with an empty", "")):
                resp = c.request(r.method, path, body=body, csrf=token)
                checks.status(resp, 403, "%s as %s %s X-CSRF-Token" %
                              (r, role, label), "csrf")
    after = w.srv.db.snapshot()
    checks.ok(before == after, "requests without a right CSRF token wrote "
              "nothing", repr(jxapi.snapshot_diff(before, after)))


def after_logout(w, old):
    checks = w.checks
    for role, c in old.items():
        r = c.get("/api/session")
        checks.status(r, 401, "the old cookie of %s after sign-out" % role,
                      "unauthenticated")
        r = c.post("/api/targets/parse", {"target": "1"})
        checks.status(r, 401, "a write with the old cookie of %s" % role,
                      "unauthenticated")
    # the password change kept the changing session, and the new password
    # works
    r = w.c[U].get("/api/session")
    checks.status(r, 200, "the session that changed its password goes on")
    c = jxapi.Client(w.srv, "relogin")
    r = c.login(LOGIN[U], jxapi.DEMO_PASSWORD, expect_ok=False)
    checks.status(r, 401, "the old password no longer signs in")
    r = c.login(LOGIN[U], NEW_PASSWORD, expect_ok=False)
    checks.status(r, 200, "the new password signs in")


def run(checks, pg):
    routes = jxapi.load_routes()
    table = {r.key for r in routes}
    checks.eq(sorted(set(EXPECT) ^ table), [],
              "EXPECT covers exactly the route table")
    checks.eq(sorted(set(ORDER + SESSION_ORDER) ^ table), [],
              "ORDER covers exactly the route table")
    with jxapi.Server(checks, pg=pg) as srv:
        w = World(srv, checks)
        audit0 = w.c[A].get("/api/audit", query={"per_page": 1}).json.get(
            "total")
        checks.ok(isinstance(audit0, int), "audit total readable")
        done = set()
        list_scoping(w)
        for key in ORDER:
            run_route(w, key, done)
        no_session(w, routes)
        csrf(w, routes)
        for key in SESSION_ORDER:
            run_route(w, key, done)
        after_logout(w, w.old)
        checks.eq(sorted(table - done), [], "every route was called")
        # every answer has a status and shape docs/openapi.json documents
        api = jxapi.OpenAPI()
        problems = {}
        for resp in srv.responses:
            for p in api.check(routes, resp):
                problems.setdefault(p, resp)
        for p, resp in sorted(problems.items())[:40]:
            checks.ok(False, "answer as documented in openapi.json: " + p,
                      resp.describe())


if __name__ == "__main__":
    sys.exit(jxapi.main(run, "test_authz"))
