#!/usr/bin/env python3
"""Bad input against the real server: every malformed, oversized, tricky
request answers a clear 4xx with the API's error shape ({"error": {"code",
"message", "field"}}, message in Chinese) and the expected status and code;
the server keeps running; nothing is written (the database's row counts and
version sums, and the audit log's total, are the same before and after).

Body schemas come from the handlers' jx_http_field tables (parsed from
src/http/h_*.c), so every route with a body gets: an unknown top-level
field, an unknown field inside each array or object field, every field of
the wrong JSON type, null where null is not allowed, the required fields
missing. Raw sockets carry what http.client would normalise.

    python3 tests/api/test_badinput.py    (JIXIAO=path/to/jixiao)
"""

import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jxapi  # noqa: E402

NOID = 999999999  # an id no record has: bodies are refused before lookup

# Which demo user may call a route of each role (a bad body is only parsed
# after the role check).
USER_OF_ROLE = {"unit_filer": "unit0101", "dept_reviewer": "dept01",
                "finance_reviewer": "caizheng", "admin": "admin"}
ROLE_PREFERENCE = ("admin", "unit_filer", "finance_reviewer",
                   "dept_reviewer")


def wrong_value(f):
    """A JSON value of the wrong type for field f."""
    return {"string": 12345, "int": "12", "bool": "true", "dec": 1.5,
            "date": 20240101, "array": {"a": 1}, "object": [1]}[f["type"]]


CONSTS = jxapi.c_constants()


def good_value(f):
    """A valid value for field f, within its bounds (the bounds of the
    table, so that a body built of these passes the schema check)."""
    t = f["type"]
    lo = jxapi.c_eval(f["min"], CONSTS) or 0
    if t == "string":
        return "测" * max(lo, 2)
    if t == "int":
        return max(lo, 1)
    if t == "bool":
        return True
    if t == "dec":
        return "1"
    if t == "date":
        return "2026-01-01"
    if t == "array":
        return [minimal(f["schema"])]
    return minimal(f["schema"])


def minimal(fields):
    """An object with the required fields of a schema."""
    return {f["name"]: good_value(f) for f in fields if f["required"]}


def run(checks, pg):
    routes = jxapi.load_routes()
    schemas = jxapi.load_schemas()
    srv = jxapi.Server(checks, pg=pg).start()
    try:
        body_tests(checks, srv, routes, schemas)
    finally:
        srv.finish()


def body_tests(checks, srv, routes, schemas):
    port = srv.port
    clients = {}
    for role, login in USER_OF_ROLE.items():
        c = jxapi.Client(srv, login)
        c.login(login)
        clients[role] = c
    admin = clients["admin"]
    anon = jxapi.Client(srv, "anonymous")

    def audit_total():
        r = admin.get("/api/audit", query={"per_page": 1})
        return r.json.get("total") if r.status == 200 else None

    before = srv.db.snapshot()
    audit_before = audit_total()
    checks.ok(isinstance(audit_before, int), "audit log total readable",
              repr(audit_before))

    def client_for(route):
        for role in ROLE_PREFERENCE:
            if role in route.roles:
                return clients[role]
        return anon

    def path_of(route):
        return route.path(*([NOID] * route.pattern.count("{")))

    # ---- bodies, per route, from the schemas --------------------------------
    for r in routes:
        if r.body_max == 0:
            # a body where none is taken
            c = client_for(r)
            resp = c.request(r.method, path_of(r), body={"x": 1})
            checks.status(resp, 400, "%s with a body it does not take" % r,
                          "bad_request")
            continue
        c = client_for(r)
        p = path_of(r)
        fields = schemas.get(r.body)
        if not checks.ok(fields is not None,
                         "%s: body schema %s found in src/http" % (r, r.body)):
            continue
        base = minimal(fields)

        def send(body=None, raw_body=None, ctype="application/json", c=c,
                 r=r, p=p):
            return c.request(r.method, p, body=body, raw_body=raw_body,
                             content_type=ctype)

        checks.status(send(raw_body=b""), 400, "%s: empty body" % r,
                      "bad_request")
        checks.status(send(raw_body=b'{"a": 1,'), 400,
                      "%s: malformed JSON" % r, "malformed_json")
        checks.status(send(raw_body=b'{"action": "sub'), 400,
                      "%s: truncated JSON" % r, "malformed_json")
        checks.status(send(raw_body=b'[1, 2]'), 400,
                      "%s: a JSON array instead of an object" % r,
                      "bad_request")
        checks.status(send(raw_body=b'"text"'), 400,
                      "%s: a JSON string instead of an object" % r)
        checks.status(send(raw_body=b'null'), 400,
                      "%s: JSON null instead of an object" % r)
        checks.status(send(raw_body=b'{"k": 1, "k": 2}'), 400,
                      "%s: duplicate JSON keys" % r, "malformed_json")
        checks.status(send(raw_body=b'{"k": "\xff\xfe"}'), 400,
                      "%s: invalid UTF-8 in the body" % r, "malformed_json")
        checks.status(send(raw_body=b'{"k": "a\\u0000b"}'), 400,
                      "%s: a NUL character in a string" % r)
        for num in (b"1e400", b"18446744073709551616",
                    b"-9223372036854775809"):
            checks.status(send(raw_body=b'{"version": ' + num + b'}'), 400,
                          "%s: number %s" % (r, num.decode()),
                          "malformed_json")
        deep = b'{"x": ' + b'[' * 40 + b']' * 40 + b'}'
        checks.status(send(raw_body=deep), (400, 413),
                      "%s: JSON nested 41 deep" % r)
        deeper = b'{"x": ' + b'[' * 5000 + b']' * 5000 + b'}'
        checks.status(send(raw_body=deeper), (400, 413),
                      "%s: JSON nested 5001 deep" % r)
        for ct in ("text/plain", "application/x-www-form-urlencoded",
                   "application/jsonx", None):
            checks.status(send(body=base, ctype=ct), 400,
                          "%s: Content-Type %s" % (r, ct),
                          "unsupported_media_type")
        # unknown fields
        resp = send(body=dict(base, zz_unknown=1))
        checks.status(resp, 400, "%s: unknown top-level field" % r,
                      "unknown_field")
        checks.eq(resp.error_field(), "zz_unknown",
                  "%s: the unknown field is named" % r)
        for f in fields:
            if f["type"] in ("array", "object") and f["items"]:
                inner = minimal(f["schema"])
                inner["zz_inner"] = 1
                val = [inner] if f["type"] == "array" else inner
                resp = send(body=dict(base, **{f["name"]: val}))
                want = ("%s[0].zz_inner" if f["type"] == "array"
                        else "%s.zz_inner") % f["name"]
                checks.status(resp, 400, "%s: unknown field in %s" %
                              (r, f["name"]), "unknown_field")
                checks.eq(resp.error_field(), want,
                          "%s: the nested unknown field is named" % r)
                if f["type"] == "array":
                    resp = send(body=dict(base, **{f["name"]: [1]}))
                    checks.status(resp, 400, "%s: %s item not an object" %
                                  (r, f["name"]), "bad_request")
        # wrong types, nulls
        for f in fields:
            resp = send(body=dict(base, **{f["name"]: wrong_value(f)}))
            checks.status(resp, 400, "%s: %s of the wrong type (%s)" %
                          (r, f["name"], f["type"]), "bad_request")
            checks.eq(resp.error_field(), f["name"],
                      "%s: the wrongly typed field is named" % r)
            if not f["nullable"]:
                resp = send(body=dict(base, **{f["name"]: None}))
                checks.status(resp, 422, "%s: %s null" % (r, f["name"]),
                              "invalid")
            if f["type"] == "int":
                resp = send(body=dict(base, **{f["name"]: 1.0}))
                checks.status(resp, 400, "%s: %s as a real number" %
                              (r, f["name"]), "bad_request")
            if (f["type"] == "string" and f["max"].isdigit() and
                    int(f["max"]) > 0):
                resp = send(body=dict(base, **{
                    f["name"]: "长" * (int(f["max"]) + 1)}))
                checks.status(resp, (413, 422), "%s: %s one character "
                              "too long" % (r, f["name"]))
        # required fields missing, one at a time
        for f in fields:
            if not f["required"]:
                continue
            body = dict(base)
            del body[f["name"]]
            resp = send(body=body)
            checks.status(resp, 422, "%s: required %s missing" %
                          (r, f["name"]), "invalid")
            checks.eq(resp.error_field(), f["name"],
                      "%s: the missing field is named" % r)
        # over the route's limit (when below the server's)
        if r.body_max < (1 << 20):
            big = json.dumps({"zz": "x" * r.body_max}).encode()
            checks.status(send(raw_body=big), 413,
                          "%s: body over the route's limit" % r,
                          "too_large")
        # a charset parameter is fine: the body reaches the handler
        # (which answers 404 for the id no record has, or 4xx for the
        # minimal body's values, never a media-type error)
        resp = send(body=base, ctype="application/json; charset=utf-8")
        checks.ok(resp.status != 400 or resp.error_code() not in (
            "unsupported_media_type", "malformed_json", "unknown_field"),
            "%s: Content-Type with charset accepted" % r, resp.describe())

    # ---- numbers through a known schema ------------------------------------
    tr = "/api/evals/%d/transitions" % NOID
    fin = clients["finance_reviewer"]
    for v, want in ((0, 422), (-1, 422), (2**63 - 1, 404)):
        resp = fin.post(tr, {"action": "finance_return", "version": v,
                             "comment": "数值测试"})
        checks.status(resp, want, "transition with version %d" % v)

    # ---- sizes over the server's limit --------------------------------------
    limit = 1 << 20
    big = b"{" + b" " * (limit + 10) + b"}"
    head = ("POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % len(big)).encode()
    resp = jxapi.raw(port, head + big[:1000], half_close=False)
    checks.status(resp, 413, "body over the server's limit "
                  "(Content-Length)", "too_large")
    resp = raw_chunked(port, "POST", "/api/session", big, chunk=65536)
    checks.status(resp, 413, "body over the server's limit (chunked)",
                  "too_large")
    small_over = json.dumps({"login": "x" * 20000, "password": "y"}).encode()
    resp = raw_chunked(port, "POST", "/api/session", small_over, chunk=4000)
    checks.status(resp, 413, "body over the route's limit (chunked)",
                  "too_large")
    ok_body = json.dumps({"login": "nobody", "password": "wrong-1"}).encode()
    srv.bodies.add(ok_body)
    resp = raw_chunked(port, "POST", "/api/session", ok_body, chunk=7)
    checks.status(resp, 401, "a small chunked body is read whole")
    head = ("POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nContent-Length: "
            "99999999999999999999999\r\nConnection: close\r\n\r\n").encode()
    mhd_status(checks, jxapi.raw(port, head, half_close=False), (400, 413),
               "Content-Length beyond 64 bits")

    # ---- paths ----------------------------------------------------------------
    projects = admin.get("/api/projects", query={"per_page": 1})
    pid = (projects.json.get("items") or [{}])[0].get("id", 1)
    cookie = "jx_session=" + admin.cookies.get("jx_session", "")

    def get_raw(target, extra=b""):
        if isinstance(target, str):
            target = target.encode("utf-8")
        req = (b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
               b"Cookie: " + cookie.encode() + b"\r\n" + extra +
               b"Connection: close\r\n\r\n")
        return jxapi.raw(port, req)

    checks.status(get_raw("/api/projects/%d" % pid), 200,
                  "the raw client reaches a project (control)")
    for target, want, code in (
            ("/api/../api/users", 400, "bad_request"),
            ("/api/projects/../users", 400, "bad_request"),
            ("//api/projects", 400, "bad_request"),
            ("/api//projects", 400, "bad_request"),
            ("/api/%2E%2E/api/users", 400, "bad_request"),
            ("/api/projects/0%d" % pid, 404, "not_found"),
            ("/api/projects/01", 404, "not_found"),
            ("/api/projects/0", 404, "not_found"),
            ("/api/projects/-1", 404, "not_found"),
            ("/api/projects/+1", 404, "not_found"),
            ("/api/projects/1.0", 404, "not_found"),
            ("/api/projects/1e3", 404, "not_found"),
            ("/api/projects/0x1", 404, "not_found"),
            ("/api/projects/99999999999999999999", 404, "not_found"),
            ("/api/projects/9223372036854775808", 404, "not_found"),
            ("/api/projects/%d/" % pid, 404, "not_found"),
            ("/api/projects/", 404, "not_found"),
            ("/api/projects%%2F%d" % pid, (400, 404), None),
            ("/api/projects%%2f%d" % pid, (400, 404), None),
            ("/api%2Fprojects", (400, 404), None),
            ("/api/projects/%d%%00" % pid, 400, "bad_request"),
            ("/api/projects/%d%%00/funds" % pid, 400, "bad_request"),
            ("/api/projects/%FF", 400, "bad_request"),
            ("/api/PROJECTS", 404, "not_found"),
            ("/API/projects", 404, "not_found"),
            ("/api/projects;x=1", 404, "not_found"),
            ("/api/projects/%d;" % pid, 404, "not_found"),
            ("/nothing/here", 404, "not_found"),
            ("/api", 404, "not_found"),
    ):
        resp = get_raw(target)
        checks.status(resp, want, "path %s" % target, code)
    resp = get_raw(b"/api/projects/\xff\xfe")
    checks.status(resp, 400, "invalid UTF-8 bytes in the path", "bad_request")
    resp = get_raw(b"/api/projects/\xe4\xb8\xad")
    checks.status(resp, 404, "a Chinese character in the path", "not_found")

    # ---- query strings --------------------------------------------------------
    for target, want, code in (
            ("/api/projects?zz=1", 400, "unknown_parameter"),
            ("/api/projects?page=1&page=2", 400, "bad_request"),
            ("/api/inbox?x=1", 400, "unknown_parameter"),
            ("/api/projects?q=%FF%FE", 400, "bad_request"),
            ("/api/projects?%FF=1", 400, "unknown_parameter"),
            ("/api/projects?q=a%00b", 400, "bad_request"),
            ("/api/projects?page=0", 400, None),
            ("/api/projects?page=-1", 400, None),
            ("/api/projects?page=abc", 400, None),
            ("/api/projects?per_page=201", 400, None),
            ("/api/projects?per_page=99999999999999999999", 400, None),
            ("/api/projects?page=1e3", 400, None),
            ("/api/projects?year=abc", 400, None),
            ("/api/projects?sort=nonsense", 400, None),
            ("/api/projects?status=nonsense", (400, 422), None),
            ("/api/orgs?parent_id=-5", (400, 422), None),
            ("/api/audit?from=2026-13-45", (400, 422), None),
            ("/api/audit?record_id=abc", (400, 422), None),
    ):
        resp = get_raw(target)
        checks.status(resp, want, "query %s" % target, code)
    many = "&".join("q%d=1" % i for i in range(40))
    checks.status(get_raw("/api/projects?" + many), 400,
                  "40 query parameters")
    many = "&".join("page=%d" % i for i in range(40))
    checks.status(get_raw("/api/projects?" + many), 400,
                  "40 repetitions of one query parameter")
    checks.status(get_raw("/api/projects?q=%E4%B8%AD"), 200,
                  "a Chinese search text is fine (control)")

    # ---- long URLs and headers ------------------------------------------------
    resp = get_raw("/api/projects?q=" + "a" * 3000)
    checks.status(resp, (400, 413, 414), "URL of 3 KB")
    if resp.status == 400:
        checks.note("a 3 KB query string is not refused as too long: the "
                    "URL limit (JX_HTTP_URL_MAX, \"path and query\") is "
                    "checked on the path only; the handler refused q")
    checks.status(get_raw("/api/projects/" + "1" * 3000), (404, 413, 414),
                  "path of 3 KB")
    # Past the connection's memory limit libmicrohttpd answers by itself,
    # before the server sees the request: the status is checked, the body
    # (libmicrohttpd's HTML) only noted.
    mhd_status(checks, get_raw("/api/projects?q=" + "a" * 40000),
               (413, 414, 431), "URL of 40 KB")
    mhd_status(checks, get_raw("/api/projects", b"X-Big: " + b"a" * 40000 +
                               b"\r\n"), (413, 431), "a header of 40 KB")
    mhd_status(checks, get_raw("/api/projects", b"".join(
        b"X-H%d: v\r\n" % i for i in range(3000))), (413, 431),
        "3000 headers")

    # ---- methods ----------------------------------------------------------
    resp = admin.request("DELETE", "/api/projects")
    checks.status(resp, 405, "DELETE on the project list",
                  "method_not_allowed")
    checks.ok(resp.header("Allow") is not None and
              "GET" in resp.header("Allow") and "POST" in resp.header("Allow"),
              "405 names the allowed methods", repr(resp.header("Allow")))
    resp = admin.request("PUT", "/api/projects/%d" % pid, body={})
    checks.status(resp, 405, "PUT on a project", "method_not_allowed")
    resp = jxapi.raw(port, b"PROPFIND /api/projects HTTP/1.1\r\nHost: x\r\n"
                     b"Connection: close\r\n\r\n")
    checks.status(resp, (400, 405, 501), "an unknown method")
    resp = jxapi.raw(port, b"GARBAGE\r\n\r\n")
    checks.ok(resp.status in (0, 400), "a request line that is not HTTP",
              resp.describe())

    # ---- sign-in with bad input, cookies --------------------------------------
    for body, want in (({"login": 123, "password": "x"}, 400),
                       ({"login": "admin"}, 422),
                       ({"password": "x"}, 422),
                       ({"login": "", "password": "x1"}, (401, 422)),
                       ({"login": "a" * 5000, "password": "x1"}, (401, 422))):
        resp = anon.post("/api/session", body)
        checks.status(resp, want, "sign-in with %s" % jxapi._short(body, 60))
    for cval in ("garbage", "", "a" * 43, "x" * 5000, "%00", "..%2F"):
        c = jxapi.Client(srv, "forged")
        c.cookies["jx_session"] = cval
        resp = c.get("/api/session")
        checks.status(resp, 401, "a forged session cookie %r" % cval[:12],
                      "unauthenticated")

    # ---- the server still runs; nothing was written ----------------------------
    checks.ok(srv.alive(), "the server still runs")
    resp = anon.get("/healthz")
    checks.status(resp, 200, "health after the bad input")
    after = srv.db.snapshot()
    checks.ok(before == after, "nothing written by refused requests",
              repr(jxapi.snapshot_diff(before, after)))
    checks.eq(audit_total(), audit_before, "audit log total unchanged")


def mhd_status(checks, resp, want, what):
    """A refusal libmicrohttpd may answer itself: the status must be one of
    want and the server must still run; a body that is not the API's
    error shape is noted, not failed."""
    checks.ok(resp.status in want, what, "expected %s; %s" % (
        "/".join(map(str, want)), resp.describe()))
    problem = jxapi.error_shape_problem(resp)
    if problem:
        checks.note("%s: answered by libmicrohttpd itself (%s)" %
                    (what, problem), resp.describe())


def raw_chunked(port, method, path, body, chunk=4096):
    """Send body with Transfer-Encoding: chunked (no Content-Length)."""
    head = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" %
            (method, path)).encode()
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    out = []
    try:
        s.sendall(head)
        try:
            for i in range(0, len(body), chunk):
                part = body[i:i + chunk]
                s.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            out.append(b)
            if jxapi._complete(b"".join(out)):
                break
    finally:
        s.close()
    return jxapi._parse_raw(head, b"".join(out))


if __name__ == "__main__":
    sys.exit(jxapi.main(run, "test_badinput"))
