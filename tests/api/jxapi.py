"""jxapi - the harness of the web API tests: run the real `jixiao serve`
on a fresh database and talk to it over loopback HTTP.

What it gives the tests (tests/api/test_*.py):

  Database   a fresh database per run: an SQLite file in a temporary
             directory, or, when JX_TEST_PG_URL is set (scripts/
             with-postgres.sh sets it and the PG* variables), a new
             PostgreSQL database created with psql and dropped at the end.
             snapshot() counts the rows of every table and sums the
             version columns, read straight from the database, so a test
             can prove that refused requests wrote nothing.
  Server     `jixiao serve --db URL --listen 127.0.0.1:PORT` on a free
             loopback port with its log in a file; waits for /healthz;
             stop() sends SIGTERM to its PID and requires exit status 0
             within 30 s; check_log() requires that no password, session
             token, CSRF token or request body used in the run appears in
             the log. The log is printed when a test fails.
  Client     one signed-in user: its own cookie jar (the jx_session
             cookie), the CSRF token sent automatically on writes, JSON in
             and out. Every request is recorded (method, path, status) so
             a test can compare what it called with the route table.
  raw()      a request written byte for byte on a socket, for what urllib
             or http.client would normalise (paths with .., NUL bytes,
             invalid UTF-8, chunked bodies, huge headers).
  Routes     the route table parsed from src/http/routes.c, and the
             handlers' body schemas (the jx_http_field tables of
             src/http/h_*.c) with the numeric #defines they use.
  OpenAPI    docs/openapi.json: checks an answer's status and body against
             the schema the document gives for it.
  Workflow   set-up helpers: realistic goals and indicators, and drive() to
             move a goal version or self-evaluation to a state through the
             workflow the server describes (never used for expectations).
  Checks     soft assertions: every failed check is collected with its
             context and the run ends with a summary and exit status 1;
             notes are printed without failing.

Standard library only (Python 3.9+). The expectations live in the tests.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO_PASSWORD = "jixiao2026"
ROLES = ("unit_filer", "dept_reviewer", "finance_reviewer", "admin")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# ---- checks ---------------------------------------------------------------


class Checks:
    """Soft assertions: a failed check is recorded and the test goes on."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failures = []
        self.notes = []
        self.on_fail = []  # callables run (once) before the summary

    def ok(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            return True
        self.failures.append(what + (("\n      " + detail) if detail else ""))
        print("FAIL %s%s" % (what, ("\n      " + detail) if detail else ""),
              flush=True)
        return False

    def note(self, what, detail=""):
        """Something worth saying that does not fail the test."""
        self.notes.append(what + (("\n      " + detail) if detail else ""))
        print("NOTE %s%s" % (what, ("\n      " + detail) if detail else ""),
              flush=True)

    def eq(self, got, want, what, detail=""):
        return self.ok(got == want, what,
                       "expected %s, got %s%s" % (_short(want), _short(got),
                                                  ("; " + detail)
                                                  if detail else ""))

    def status(self, r, want, what, code=None):
        """r answered status want (an int or a tuple of ints) and, when code
        is given, error code `code`; error answers must have the error
        shape with a Chinese message."""
        wants = want if isinstance(want, tuple) else (want,)
        good = r.status in wants
        if good and code is not None:
            good = r.error_code() == code
        if good and r.status >= 400:
            problem = error_shape_problem(r)
            if problem:
                return self.ok(False, what, "%s; %s" % (problem, r.describe()))
        return self.ok(good, what, "expected %s%s; %s" % (
            "/".join(str(w) for w in wants),
            (" code " + code) if code else "", r.describe()))

    def summary(self):
        if self.failures:
            for f in self.on_fail:
                try:
                    f()
                except Exception as e:  # the summary must still print
                    print("(while printing diagnostics: %r)" % e)
        print("%s: %d checks passed, %d failed, %d notes" %
              (self.name, self.passed, len(self.failures), len(self.notes)),
              flush=True)
        return 1 if self.failures else 0


def _short(v, n=300):
    s = v if isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + "..."


HAN = re.compile(r"[\u4e00-\u9fff]")


def error_shape_problem(r):
    """None when r's body is {"error": {"code", "message", "field"}} with a
    Chinese message; else what is wrong."""
    try:
        body = json.loads(r.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return "error body is not JSON"
    if not isinstance(body, dict) or list(body.keys()) != ["error"]:
        return "error body is not {\"error\": ...}"
    e = body["error"]
    if not isinstance(e, dict) or set(e.keys()) != {"code", "message", "field"}:
        return "error object does not have exactly code, message, field"
    if not isinstance(e["code"], str) or not re.fullmatch(r"[a-z_]+", e["code"]):
        return "error code is not a lower-case word"
    if not isinstance(e["message"], str) or not HAN.search(e["message"]):
        return "error message is not Chinese"
    if e["field"] is not None and not isinstance(e["field"], str):
        return "error field is neither null nor a string"
    return None


# ---- the route table ----------------------------------------------------


class Route:
    def __init__(self, method, pattern, handler, roles, flags, body_max,
                 body, query, summary):
        self.method = method
        self.pattern = pattern
        self.handler = handler
        self.roles = roles  # set of role names; empty: public
        self.flags = flags  # set of flag names
        self.body_max = body_max  # bytes, 0: no body
        self.body = body  # schema symbol or None
        self.query = query  # list of known query keys
        self.summary = summary
        self.regex = re.compile(
            "^" + re.sub(r"\\\{[a-z_]+\\\}", "([1-9][0-9]{0,17})",
                         re.escape(pattern)) + "$")

    @property
    def key(self):
        return (self.method, self.pattern)

    @property
    def public(self):
        return not self.roles

    @property
    def has_id(self):
        return "{" in self.pattern

    def path(self, *ids):
        it = iter(ids)
        return re.sub(r"\{[a-z_]+\}", lambda m: str(next(it)), self.pattern)

    def __repr__(self):
        return "%s %s" % self.key


def _c_tokens(text):
    """Tokens of C source: string literals (unescaped), identifiers,
    numbers, punctuation. Comments removed."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    out = []
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*)|'
                         r'([0-9][0-9A-Za-z]*)|(\S)', text):
        if m.group(1) is not None:
            out.append(("str", bytes(m.group(1), "utf-8").decode(
                "unicode_escape").encode("latin-1").decode("utf-8")
                if "\\" in m.group(1) else m.group(1)))
        elif m.group(2) is not None:
            out.append(("id", m.group(2)))
        elif m.group(3) is not None:
            out.append(("num", m.group(3)))
        else:
            out.append(("punct", m.group(4)))
    return out


ROLE_BITS = {"JX_ROLEBIT_UNIT": {"unit_filer"},
             "JX_ROLEBIT_DEPT": {"dept_reviewer"},
             "JX_ROLEBIT_FINANCE": {"finance_reviewer"},
             "JX_ROLEBIT_ADMIN": {"admin"},
             "JX_ROLEBIT_ANY": set(ROLES)}


def load_routes(path=None):
    """The route table of src/http/routes.c, in order."""
    path = path or os.path.join(ROOT, "src", "http", "routes.c")
    with open(path, encoding="utf-8") as f:
        src = f.read()
    macros = {}
    for m in re.finditer(r"^#define\s+(\w+)\s+(.+?)\s*(?:/\*.*)?$", src,
                         re.M):
        macros[m.group(1)] = m.group(2).strip()
    m = re.search(r"jx_routes\[\]\s*=\s*\{(.*)\};", src, re.S)
    if not m:
        raise RuntimeError("no jx_routes[] in " + path)
    toks = _c_tokens(m.group(1))
    # split into entries { ... }, then fields at depth 1 by commas
    routes, i = [], 0
    while i < len(toks):
        if toks[i] != ("punct", "{"):
            i += 1
            continue
        depth, fields, cur = 1, [], []
        i += 1
        while depth > 0:
            t = toks[i]
            if t == ("punct", "{") or t == ("punct", "("):
                depth += 1
            elif t == ("punct", "}") or t == ("punct", ")"):
                depth -= 1
                if depth == 0:
                    break
            if t == ("punct", ",") and depth == 1:
                fields.append(cur)
                cur = []
            else:
                cur.append(t)
            i += 1
        if cur:
            fields.append(cur)
        i += 1
        if len(fields) != 9:
            raise RuntimeError("route entry with %d fields: %r" %
                               (len(fields), fields))
        routes.append(_route_from_fields(fields, macros))
    return routes


def _expand(tokens, macros):
    """Expand macro identifiers once more into tokens."""
    out = []
    for t in tokens:
        if t[0] == "id" and t[1] in macros:
            out.extend(_expand(_c_tokens(macros[t[1]]), macros))
        else:
            out.append(t)
    return out


def _route_from_fields(fields, macros):
    f = [_expand(x, macros) for x in fields]

    def string(tokens):
        if tokens == [("id", "NULL")]:
            return None
        assert all(t[0] == "str" for t in tokens), tokens
        return "".join(t[1] for t in tokens)

    roles = set()
    for t in f[3]:
        if t[0] == "id":
            roles |= ROLE_BITS[t[1]]
        elif t[0] == "num" and t[1] != "0":
            raise RuntimeError("numeric roles %r" % (f[3],))
    flags = {t[1] for t in f[4] if t[0] == "id"}
    expr = "".join(t[1] for t in f[5])
    expr = re.sub(r"([0-9]+)u", r"\1", expr)
    expr = expr.replace("JX_HTTP_BODY_MAX", "(1 << 20)")
    if not re.fullmatch(r"[0-9()*<>+ ]*", expr):
        raise RuntimeError("cannot evaluate body limit %r" % expr)
    body_max = eval(expr) if expr else 0  # digits and operators only
    body = None if f[6] == [("id", "NULL")] else f[6][0][1]
    query = string(f[7])
    return Route(string(f[0]), string(f[1]), f[2][0][1], roles, flags,
                 body_max, body, query.split() if query else [],
                 string(f[8]))


def route_of(routes, method, path):
    """The route a request (method, path without query) goes to, or None."""
    for r in routes:
        if r.method == method and r.regex.match(path):
            return r
    return None


# ---- the body schemas of the handlers -------------------------------------

FTYPES = {"JX_HTTP_STRING": "string", "JX_HTTP_INT": "int",
          "JX_HTTP_BOOL": "bool", "JX_HTTP_DEC": "dec",
          "JX_HTTP_DATE": "date", "JX_HTTP_ARRAY": "array",
          "JX_HTTP_OBJECT": "object"}


def load_schemas(srcdir=None):
    """Every `const struct jx_http_field NAME[] = {...}` of src/http/*.c as
    {NAME: [field dicts]}; a field: name, type, required, nullable, min and
    max (C expressions as written), items (the item schema's NAME, resolved
    within its own file first: static tables of different files may share a
    name; then the item table itself in "schema"), file. Static tables are
    also kept under "FILE:NAME"."""
    srcdir = srcdir or os.path.join(ROOT, "src", "http")
    exported, local = {}, {}
    for fn in sorted(os.listdir(srcdir)):
        if not fn.endswith(".c"):
            continue
        with open(os.path.join(srcdir, fn), encoding="utf-8") as f:
            src = f.read()
        for m in re.finditer(
                r"(static\s+)?const\s+struct\s+jx_http_field\s+(\w+)\[\]"
                r"\s*=\s*\{(.*?)\};", src, re.S):
            fields = []
            for e in re.finditer(
                    r"\{\s*\"([^\"]*)\"\s*,\s*(\w+)\s*,\s*([^,]+?)\s*,"
                    r"\s*([^,]+?)\s*,\s*([^,]+?)\s*,\s*([^}]+?)\s*\}",
                    m.group(3)):
                flags = e.group(3)
                fields.append({
                    "name": e.group(1), "type": FTYPES.get(e.group(2),
                                                           e.group(2)),
                    "required": "JX_HTTP_REQUIRED" in flags,
                    "nullable": "JX_HTTP_NULLABLE" in flags,
                    "min": e.group(4), "max": e.group(5),
                    "items": None if e.group(6) == "NULL" else e.group(6),
                    "file": fn})
            local["%s:%s" % (fn, m.group(2))] = fields
            if not m.group(1):
                exported[m.group(2)] = fields
    for fields in local.values():
        for f in fields:
            if f["items"]:
                f["schema"] = local.get("%s:%s" % (f["file"], f["items"]),
                                        exported.get(f["items"]))
    out = dict(local)
    out.update(exported)
    return out


def c_constants():
    """Numeric #defines of include/jx/*.h and src/http/*.c."""
    consts = {"INT64_MAX": 2**63 - 1, "INT64_MIN": -2**63,
              "INT32_MAX": 2**31 - 1, "UINT32_MAX": 2**32 - 1}
    files = []
    for d in (os.path.join(ROOT, "include", "jx"),
              os.path.join(ROOT, "src", "http")):
        files += [os.path.join(d, f) for f in sorted(os.listdir(d))
                  if f.endswith((".h", ".c"))]
    pending = {}
    for fn in files:
        with open(fn, encoding="utf-8") as f:
            for m in re.finditer(r"^#define\s+(\w+)\s+([^/\n]+?)\s*(?:/\*.*)?$",
                                 f.read(), re.M):
                pending[m.group(1)] = m.group(2)
    for _ in range(5):
        for k, v in pending.items():
            if k in consts:
                continue
            val = c_eval(v, consts)
            if val is not None:
                consts[k] = val
    return consts


def c_eval(expr, consts):
    """The value of a C integer expression of literals and known names,
    or None."""
    e = re.sub(r"INT64_C\(([^)]*)\)", r"(\1)", expr)
    e = re.sub(r"\b([0-9]+)[uUlL]+\b", r"\1", e)

    def name(m):
        n = m.group(0)
        return str(consts[n]) if n in consts else "@"
    e = re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b", name, e)
    if "@" in e or not re.fullmatch(r"[0-9()+\-*/<> ]+", e):
        return None
    try:
        return int(eval(e.replace("/", "//")))  # digits and operators only
    except Exception:
        return None


# ---- the database -----------------------------------------------------------

# Tables whose row counts and version sums make a snapshot; sessions and
# login failures change on reads and refused sign-ins by design.
SNAPSHOT_TABLES = {
    "jx_org": "version", "jx_user": "version", "jx_fiscal_year": None,
    "jx_project": "version", "jx_fund": None, "jx_adjustment": None,
    "jx_payment": None, "jx_goal_version": "row_version", "jx_goal": None,
    "jx_indicator": None, "jx_self_eval": "version",
    "jx_self_eval_goal": None, "jx_self_eval_line": None,
    "jx_self_eval_fund": None, "jx_finding": None, "jx_review": None,
    "jx_audit_log": None,
}


class Database:
    """A fresh database: SQLite in tmpdir, or a new PostgreSQL database
    when pg is true (needs JX_TEST_PG_URL and the PG* variables)."""

    def __init__(self, tmpdir, pg=False):
        self.pg = pg
        if pg:
            base = os.environ["JX_TEST_PG_URL"]
            self.name = "jx_api_%d_%d" % (os.getpid(), int(time.time() * 1000) % 10**9)
            self._psql("postgres", "CREATE DATABASE %s" % self.name)
            u = urllib.parse.urlsplit(base)
            self.url = urllib.parse.urlunsplit(
                (u.scheme, u.netloc, "/" + self.name, u.query, u.fragment))
            self.secret = u.password
        else:
            self.path = os.path.join(tmpdir, "jixiao.db")
            self.url = "sqlite:" + self.path
            self.secret = None

    def _psql(self, db, sql):
        env = dict(os.environ, PGDATABASE=db)
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v",
                            "ON_ERROR_STOP=1", "-c", sql], env=env,
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError("psql %s: %s" % (sql, p.stderr.strip()))
        return p.stdout

    def query(self, sql):
        """Rows of sql as lists of strings, over one connection kept open
        (a psql process reading standard input, or an sqlite3
        connection that sees each commit)."""
        if self.pg:
            if getattr(self, "_pq", None) is None:
                env = dict(os.environ, PGDATABASE=self.name)
                self._pq = subprocess.Popen(
                    ["psql", "-X", "-q", "-A", "-t", "-F", "|"], env=env,
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, bufsize=1)
            self._pq.stdin.write(sql.rstrip().rstrip(";") +
                                 ";\n\\echo __jx_end__\n")
            self._pq.stdin.flush()
            rows = []
            while True:
                line = self._pq.stdout.readline()
                if line == "":
                    raise RuntimeError("psql ended")
                line = line.rstrip("\n")
                if line == "__jx_end__":
                    break
                if line.startswith(("ERROR", "psql:")):
                    raise RuntimeError("psql: %s (%s)" % (line, sql))
                if line:
                    rows.append(line.split("|"))
            return rows
        if getattr(self, "_con", None) is None:
            self._con = sqlite3.connect("file:%s?mode=ro" % self.path,
                                        uri=True, timeout=30,
                                        isolation_level=None)
        return [[("" if v is None else str(v)) for v in row]
                for row in self._con.execute(sql).fetchall()]

    def close(self):
        if getattr(self, "_pq", None) is not None:
            self._pq.stdin.close()
            self._pq.wait(timeout=30)
            self._pq = None
        if getattr(self, "_con", None) is not None:
            self._con.close()
            self._con = None

    def snapshot(self):
        parts = []
        for t, ver in SNAPSHOT_TABLES.items():
            parts.append("SELECT '%s', COUNT(*), %s FROM %s" %
                         (t, "COALESCE(SUM(%s), 0)" % ver if ver else "0", t))
        rows = self.query(" UNION ALL ".join(parts))
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def drop(self):
        self.close()
        if self.pg:
            try:
                self._psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)"
                           % self.name)
            except Exception as e:
                print("warning: could not drop %s: %s" % (self.name, e))


def snapshot_diff(a, b):
    return {t: (a.get(t), b.get(t)) for t in set(a) | set(b)
            if a.get(t) != b.get(t)}


# ---- responses and clients ------------------------------------------------


class Resp:
    def __init__(self, method, target, status, headers, body, req_body=None):
        self.method = method
        self.target = target
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        self.req_body = req_body
        self._json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = {}
        return self._json

    def error_code(self):
        e = self.json.get("error") if isinstance(self.json, dict) else None
        return e.get("code") if isinstance(e, dict) else None

    def error_field(self):
        e = self.json.get("error") if isinstance(self.json, dict) else None
        return e.get("field") if isinstance(e, dict) else None

    def describe(self):
        rb = self.req_body
        if isinstance(rb, (bytes, bytearray)):
            rb = rb.decode("utf-8", "replace")
        return "%s %s%s -> %s %s" % (
            self.method, _short(self.target, 160),
            (" body " + _short(rb, 200)) if rb else "", self.status,
            _short(self.body.decode("utf-8", "replace"), 300))


class Client:
    """One user of the API: a cookie jar with the session cookie, the CSRF
    token, JSON requests. Requests go over a new connection each."""

    def __init__(self, server, name="anonymous"):
        self.server = server
        self.name = name
        self.cookies = {}
        self.csrf = None
        self.user = None

    def login(self, login, password=DEMO_PASSWORD, expect_ok=True):
        self.server.secrets.add(password)
        r = self.post("/api/session", {"login": login, "password": password})
        if r.status == 200:
            self.csrf = r.json.get("csrf_token")
            self.user = r.json.get("user")
            if self.csrf:
                self.server.secrets.add(self.csrf)
        elif expect_ok:
            raise RuntimeError("login %s failed: %s" % (login, r.describe()))
        return r

    def copy(self, name=None):
        c = Client(self.server, name or self.name)
        c.cookies = dict(self.cookies)
        c.csrf = self.csrf
        c.user = self.user
        return c

    def request(self, method, path, body=None, query=None, headers=None,
                csrf=True, raw_body=None, content_type="application/json"):
        """method path?query with body (JSON-encoded) or raw_body (bytes,
        sent as is). csrf: True sends the session's token on writes, False
        none, a string that value. The path is sent as given (no
        normalisation); query is a dict or a list of pairs."""
        target = path
        if query:
            target += "?" + urllib.parse.urlencode(query)
        data = None
        if raw_body is not None:
            data = raw_body
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        h = {}
        if data is not None and content_type is not None:
            h["Content-Type"] = content_type
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if method in WRITE_METHODS:
            if csrf is True and self.csrf:
                h["X-CSRF-Token"] = self.csrf
            elif isinstance(csrf, str):
                h["X-CSRF-Token"] = csrf
        if headers:
            h.update(headers)
        if data is not None and len(data) >= 16:
            self.server.bodies.add(data)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port,
                                          timeout=60)
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            if data is not None or method in WRITE_METHODS:
                conn.putheader("Content-Length", str(len(data or b"")))
            conn.endheaders(data)
            resp = conn.getresponse()
            rbody = resp.read()
            r = Resp(method, target, resp.status, resp.getheaders(), rbody,
                     data)
        finally:
            conn.close()
        for sc in r.header_all("Set-Cookie"):
            name, _, rest = sc.partition("=")
            value = rest.split(";", 1)[0]
            if name.strip() == "jx_session":
                if value == "" or re.search(r"(?i)max-age=0|expires=thu, 01 jan 1970",
                                            sc):
                    self.cookies.pop("jx_session", None)
                else:
                    self.cookies["jx_session"] = value
                    self.server.secrets.add(value)
        self.server.record(method, path.split("?", 1)[0], r.status, self.name)
        self.server.responses.append(r)
        return r

    def get(self, path, query=None, **kw):
        return self.request("GET", path, query=query, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body=body, **kw)


def raw(port, data, timeout=30, half_close=True):
    """Send the bytes data on a new connection to 127.0.0.1:port and read
    the answer until the server closes. Returns a Resp (status 0 when the
    server closed without an answer)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    chunks = []
    try:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            chunks.append(b)
            if _complete(b"".join(chunks)):
                break
    finally:
        s.close()
    return _parse_raw(data, b"".join(chunks))


def _complete(buf):
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*([0-9]+)\s*$", head)
    return m is not None and len(body) >= int(m.group(1))


def _parse_raw(req, buf):
    first = req.split(b"\r\n", 1)[0].decode("latin-1")
    parts = first.split(" ")
    method = parts[0]
    target = parts[1] if len(parts) > 1 else ""
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] ([0-9]{3})", lines[0] if lines else "")
    status = int(m.group(1)) if m else 0
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    rb = req.partition(b"\r\n\r\n")[2]
    r = Resp(method, target, status, headers, body, rb[:200] if rb else None)
    cl = r.header("Content-Length")
    if cl is not None and cl.isdigit():
        r.body = body[:int(cl)]
    return r




# ---- responses against docs/openapi.json ---------------------------------


class OpenAPI:
    """docs/openapi.json, to check answers against the documented schemas
    (the subset of OpenAPI 3.0 the document uses: type, format, enum,
    pattern, minimum, maximum, nullable, properties, required,
    additionalProperties, items, oneOf, allOf, $ref)."""

    DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    STAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                       r"[0-9]{2}Z$")

    def __init__(self, path=None):
        path = path or os.path.join(ROOT, "docs", "openapi.json")
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)

    def resolve(self, s):
        while isinstance(s, dict) and "$ref" in s:
            node = self.doc
            for part in s["$ref"][2:].split("/"):
                node = node[part]
            s = node
        return s

    def response_schema(self, method, pattern, status):
        op = self.doc["paths"].get(pattern, {}).get(method.lower())
        if op is None:
            return None, "no operation %s %s" % (method, pattern)
        resp = op.get("responses", {}).get(str(status))
        if resp is None:
            return None, "status %s is not documented" % status
        resp = self.resolve(resp)
        content = resp.get("content", {}).get("application/json")
        return (content or {}).get("schema"), None

    def errors(self, value, schema, at="$"):
        """What is wrong with value under schema (a list of texts)."""
        s = self.resolve(schema)
        if value is None:
            return [] if s.get("nullable") or not s else \
                ["%s: null is not allowed" % at]
        if "allOf" in s:
            if value is None and s.get("nullable"):
                return []
            return [e for part in s["allOf"]
                    for e in self.errors(value, part, at)]
        if "oneOf" in s:
            if any(not self.errors(value, alt, at) for alt in s["oneOf"]):
                return []
            return ["%s: %r matches none of oneOf" % (at, value)]
        out = []
        t = s.get("type")
        ok = {"string": lambda v: isinstance(v, str),
              "integer": lambda v: isinstance(v, int) and
              not isinstance(v, bool),
              "number": lambda v: isinstance(v, (int, float)) and
              not isinstance(v, bool),
              "boolean": lambda v: isinstance(v, bool),
              "object": lambda v: isinstance(v, dict),
              "array": lambda v: isinstance(v, list)}
        if t and not ok[t](value):
            return ["%s: %s expected, got %r" % (at, t, _short(value, 60))]
        if "enum" in s and value not in s["enum"]:
            out.append("%s: %r not in %r" % (at, value, s["enum"]))
        if t == "string":
            fmt = s.get("format")
            if fmt == "date" and not self.DATE.match(value):
                out.append("%s: %r is not a date" % (at, value))
            if fmt == "date-time" and not self.STAMP.match(value):
                out.append("%s: %r is not a UTC timestamp" % (at, value))
            if "pattern" in s and not re.search(s["pattern"], value):
                out.append("%s: %r does not match %s" %
                           (at, value, s["pattern"]))
        if t == "integer":
            if "minimum" in s and value < s["minimum"]:
                out.append("%s: %d below %d" % (at, value, s["minimum"]))
            if "maximum" in s and value > s["maximum"]:
                out.append("%s: %d above %d" % (at, value, s["maximum"]))
        if t == "object":
            props = s.get("properties", {})
            for k in s.get("required", []):
                if k not in value:
                    out.append("%s: %s missing" % (at, k))
            for k, v in value.items():
                if k in props:
                    out += self.errors(v, props[k], "%s.%s" % (at, k))
                elif s.get("additionalProperties") is False:
                    out.append("%s: %s is not documented" % (at, k))
        if t == "array" and "items" in s:
            for i, v in enumerate(value):
                out += self.errors(v, s["items"], "%s[%d]" % (at, i))
        return out

    def check(self, routes, resp):
        """The problems of one answer (a Resp) against its operation."""
        r = route_of(routes, resp.method, resp.target.split("?", 1)[0])
        if r is None:
            return []
        schema, problem = self.response_schema(r.method, r.pattern,
                                               resp.status)
        if problem:
            return ["%s: %s" % (r, problem)]
        if resp.status == 204 or schema is None:
            if resp.body:
                return ["%s %d: a body where none is documented" %
                        (r, resp.status)]
            return []
        try:
            value = json.loads(resp.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return ["%s %d: the answer is not JSON" % (r, resp.status)]
        # one problem per place, whatever the array index
        return sorted({"%s %d %s" % (r, resp.status,
                                     re.sub(r"\[[0-9]+\]", "[]", e))
                       for e in self.errors(value, schema)})

# ---- the review workflow and realistic content ------------------------------

# Goals and indicators of a realistic project under mof-2020: 产出 50,
# 效益 30, 满意度 10 (the execution line brings the other 10).
INDICATORS = [
    {"level1": "产出指标", "level2": "数量指标", "name": "培训人次",
     "target": "≥200", "unit": "人次", "nature": "定量", "weight": "25"},
    {"level1": "产出指标", "level2": "质量指标", "name": "培训考核合格率",
     "target": "≥95%", "unit": "%", "nature": "定量", "weight": "25"},
    {"level1": "效益指标", "level2": "社会效益指标", "name": "基层服务能力",
     "target": "明显提升", "unit": None, "nature": "定性", "weight": "30"},
    {"level1": "满意度指标", "level2": "服务对象满意度指标",
     "name": "参训人员满意度", "target": "≥90%", "unit": "%",
     "nature": "定量", "weight": "10"},
]
GOALS = [{"kind": "annual",
          "text": "完成基层业务骨干培训200人次以上，考核合格率不低于95%，"
                  "提升基层服务能力。"}]


def goals_body(version=0, reason=None, indicators=None, goals=None):
    b = {"version": version, "goals": goals or GOALS,
         "indicators": indicators or INDICATORS}
    if reason is not None:
        b["reason"] = reason
    return b


class Workflow:
    """The review workflow as GET /api/workflow describes it, to drive a
    record from one state to another (test set-up, not expectations)."""

    def __init__(self, doc):
        self.trans = doc["transitions"]

    def path(self, frm, to, has_dept):
        """The transitions leading from state frm to state to, shortest."""
        seen = {frm: []}
        queue = [frm]
        while queue:
            st = queue.pop(0)
            if st == to:
                return seen[st]
            for t in self.trans:
                if st not in t["from"]:
                    continue
                if t["when"] == "with_department" and not has_dept:
                    continue
                if t["when"] == "without_department" and has_dept:
                    continue
                if t["to"] not in seen:
                    seen[t["to"]] = seen[st] + [t]
                    queue.append(t["to"])
        raise RuntimeError("no way from %s to %s" % (frm, to))


def record_state(observer, kind, rec_id):
    """(status key, version) of a goal version or self-evaluation, read by
    observer (a client that sees it)."""
    if kind == "goal":
        r = observer.get("/api/goal-versions/%d" % rec_id)
        if r.status != 200:
            raise RuntimeError("cannot read goal version: " + r.describe())
        gv = r.json["goal_version"]
        return gv["status"], gv["version"]
    r = observer.get("/api/evals/%d" % rec_id)
    if r.status != 200:
        raise RuntimeError("cannot read self-evaluation: " + r.describe())
    return r.json["status"]["key"], r.json["version"]


def transition_path(kind, rec_id):
    return "/api/%s/%d/transitions" % (
        "goal-versions" if kind == "goal" else "evals", rec_id)


def drive(wf, observer, kind, rec_id, target, actors, has_dept):
    """Move a record to state target through the workflow, each step by
    the client actors[role] of a role the step allows."""
    for _ in range(12):
        cur, ver = record_state(observer, kind, rec_id)
        if cur == target:
            return
        t = wf.path(cur, target, has_dept)[0]
        c = next((actors[r] for r in t["roles"] if actors.get(r)), None)
        if c is None:
            raise RuntimeError("nobody may take %s" % t["action"])
        body = {"action": t["action"], "version": ver}
        if t["comment_required"]:
            body["comment"] = "测试准备：%s" % t["label"]
        r = c.post(transition_path(kind, rec_id), body)
        if r.status != 200:
            raise RuntimeError("set-up step %s failed: %s" %
                               (t["action"], r.describe()))
    raise RuntimeError("record %s %d did not reach %s" % (kind, rec_id, target))


def must(r, status, what):
    """r answered status, else the set-up cannot go on."""
    if r.status != status:
        raise RuntimeError("%s: %s" % (what, r.describe()))
    return r.json


# ---- the server -------------------------------------------------------------


def find_binary():
    b = os.environ.get("JIXIAO")
    if b:
        return os.path.abspath(b)
    for d in ("h-test", "debug", "release"):
        p = os.path.join(ROOT, "build", d, "jixiao")
        if os.path.exists(p):
            return p
    raise RuntimeError("no jixiao binary: set JIXIAO=path/to/jixiao")


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """`jixiao serve` on a fresh database. Use as a context manager or call
    start() and finish() (finish stops it, checks the log and drops the
    database)."""

    def __init__(self, checks, pg=None, demo=True, sets=None, binary=None):
        self.checks = checks
        self.binary = binary or find_binary()
        self.pg = bool(os.environ.get("JX_TEST_PG_URL")) if pg is None else pg
        self.tmp = tempfile.mkdtemp(prefix="jx-api.")
        self.db = Database(self.tmp, self.pg)
        self.log_path = os.path.join(self.tmp, "server.log")
        self.err_path = os.path.join(self.tmp, "server.stderr")
        self.demo = demo
        self.demo_projects = "0"  # generated demo projects besides seeds
        self.sets = {"threads": "4", "log_file": self.log_path}
        self.sets.update(sets or {})
        self.proc = None
        self.port = None
        self.calls = []  # (method, path, status, client)
        self.responses = []  # every Resp of a Client, in order
        self.secrets = set()
        self.bodies = set()
        if self.db.secret:
            self.secrets.add(self.db.secret)
        checks.on_fail.append(self.print_log)

    def record(self, method, path, status, who):
        self.calls.append((method, path, status, who))

    def jixiao(self, *args, stdin=None):
        p = subprocess.run([self.binary] + list(args), input=stdin,
                           capture_output=True, timeout=300, cwd=ROOT)
        return p

    def start(self):
        if self.demo:
            t0 = time.time()
            p = self.jixiao("db", "demo", "--db", self.db.url, "--projects",
                            self.demo_projects)
            if p.returncode != 0:
                raise RuntimeError("jixiao db demo failed (%d): %s" % (
                    p.returncode, p.stderr.decode("utf-8", "replace")))
            self.demo_seconds = time.time() - t0
        for attempt in range(5):
            self.port = free_port()
            args = [self.binary, "serve", "--db", self.db.url, "--listen",
                    "127.0.0.1:%d" % self.port]
            for k, v in self.sets.items():
                args += ["--set", "%s=%s" % (k, v)]
            self.errf = open(self.err_path, "ab")
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                         stdout=self.errf, stderr=self.errf,
                                         cwd=ROOT)
            if self._wait_healthy(30):
                return self
            rc = self.proc.poll()
            self.errf.close()
            if rc is None:
                self.proc.kill()
                self.proc.wait()
                break
            if "监听" not in self._read(self.err_path):
                break  # not a port clash: give up
        self.print_log()
        raise RuntimeError("the server did not start")

    def _wait_healthy(self, seconds):
        until = time.time() + seconds
        while time.time() < until:
            if self.proc.poll() is not None:
                return False
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=5)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM by PID; the exit status must be 0 within 30 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                rc = None
            self.checks.ok(rc == 0, "server stops cleanly on SIGTERM",
                           "exit status %r" % rc)
        else:
            self.checks.ok(False, "server still running at the end",
                           "it exited early with status %r" %
                           self.proc.returncode)
        self.errf.close()
        self.proc = None

    def _read(self, path):
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_text(self):
        return self._read(self.log_path)

    def print_log(self, tail=120):
        for label, path in (("server log", self.log_path),
                            ("server stderr", self.err_path)):
            lines = self._read(path).splitlines()
            print("---- %s (%s, last %d of %d lines) ----" %
                  (label, path, min(tail, len(lines)), len(lines)))
            for line in lines[-tail:]:
                print("    " + line)

    def check_log(self):
        """No secret and no request body of the run in the log."""
        text = self._read(self.log_path) + self._read(self.err_path)
        self.checks.ok(len(text) > 0, "the server wrote a log")
        self.checks.ok('"status"' in text or "status" in text,
                       "the log has request lines")
        leaked = []
        for s in sorted(self.secrets):
            if s and len(s) >= 6 and s in text:
                leaked.append("secret %r" % s[:12])
        for b in self.bodies:
            t = b.decode("utf-8", "replace")
            escaped = json.dumps(t, ensure_ascii=False)[1:-1]
            for form in {t, escaped, json.dumps(t)[1:-1]}:
                if len(form) >= 16 and form in text:
                    leaked.append("request body %r" % _short(t, 60))
                    break
        self.checks.ok(not leaked, "the log holds no password, token or body",
                       "; ".join(leaked[:10]))
        bad = [line for line in text.splitlines()
               if re.search(r"AddressSanitizer|LeakSanitizer|runtime error:|"
                            r"Segmentation fault|Aborted", line)]
        self.checks.ok(not bad, "no sanitizer report or crash in the "
                       "server's output", "\n      ".join(bad[:10]))

    def finish(self, keep=False):
        try:
            self.stop()
            self.check_log()
        finally:
            self.db.drop()
            if not (keep or self.checks.failures or
                    os.environ.get("JX_KEEP")):
                shutil.rmtree(self.tmp, ignore_errors=True)
            else:
                print("(kept %s)" % self.tmp)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.finish(keep=exc[0] is not None)
        return False


def main(test, name, database=True):
    """Run test(checks, pg) on SQLite, and on PostgreSQL too when
    JX_TEST_PG_URL is set (JX_API_BACKENDS=sqlite|pg|both overrides).
    database False: once, without a database (pg is None)."""
    if not database:
        checks = Checks(name)
        try:
            test(checks, None)
        except Exception:
            import traceback
            traceback.print_exc()
            checks.ok(False, "the test ran to its end")
        return checks.summary()
    which = os.environ.get("JX_API_BACKENDS")
    if not which:
        which = "both" if os.environ.get("JX_TEST_PG_URL") else "sqlite"
    backends = {"sqlite": [False], "pg": [True], "both": [False, True]}[which]
    rc = 0
    for pg in backends:
        checks = Checks("%s (%s)" % (name, "postgresql" if pg else "sqlite"))
        t0 = time.time()
        try:
            test(checks, pg)
        except Exception:
            import traceback
            traceback.print_exc()
            checks.ok(False, "the test ran to its end")
        rc |= checks.summary()
        print("%s: %.1f s" % (checks.name, time.time() - t0), flush=True)
    return rc


if __name__ == "__main__":
    for r in load_routes():
        print("%-6s %-40s %-30s %s %s" % (r.method, r.pattern, r.handler,
                                          sorted(r.roles), r.query))
    sys.exit(0)
