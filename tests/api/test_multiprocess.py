#!/usr/bin/env python3
"""Two `jixiao serve` processes on one database work together: a session
made on one is valid on the other, a sign-out on one ends it on both, login
throttling counts failures made on either, a write on one is seen by a read
on the other at once (no stale cached answer), and each process stops
cleanly on SIGTERM. Runs on SQLite (two processes on one file) and, when
JX_TEST_PG_URL is set, on PostgreSQL, where this is how jixiao is meant to
be scaled out behind a proxy."""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jxapi  # noqa: E402


def second_server(checks, first):
    """A second process on the first one's database (nothing new made)."""
    b = jxapi.Server(checks, pg=first.pg, demo=False,
                     sets={"threads": "2"})
    b.db.drop()  # the fresh database it made is not used
    b.db = first.db
    b.secrets |= first.secrets
    return b


def run(ck, pg):
    a = jxapi.Server(ck, pg=pg)
    a.demo_projects = "40"  # generated projects spread over the demo units
    with a:
        b = second_server(ck, a)
        b.start()
        try:
            on_a = jxapi.Client(a, "caizheng@a")
            on_a.login("caizheng")
            on_b = on_a.copy("caizheng@b")
            on_b.server = b

            r = on_b.get("/api/session")
            ck.status(r, 200, "a session made on A is valid on B")
            ck.eq((r.json or {}).get("user", {}).get("login"), "caizheng",
                  "B knows who the session belongs to")

            # a write on A, read on B (and the other way round)
            unit = jxapi.Client(a, "unit0101@a")
            unit.login("unit0101")
            unit_b = unit.copy("unit0101@b")
            unit_b.server = b
            lst = unit.get("/api/projects",
                           query={"per_page": "1", "status": "draft"})
            ck.status(lst, 200, "unit lists its projects on A")
            items = (lst.json or {}).get("items") or []
            ck.ok(len(items) == 1, "the demo unit has a project")
            if items:
                pid = items[0]["id"]
                before = on_b.get("/api/projects/%d" % pid)
                ck.status(before, 200, "B reads the project")
                ver = (before.json or {}).get("version")
                r = unit.patch("/api/projects/%d" % pid,
                               {"name": "两进程联调项目", "version": ver})
                ck.status(r, 200, "A changes the project")
                after = on_b.get("/api/projects/%d" % pid)
                ck.eq((after.json or {}).get("name"), "两进程联调项目",
                      "B sees A's change at once")
                r = unit_b.patch("/api/projects/%d" % pid,
                                 {"name": "stale", "version": ver})
                ck.status(r, 409, "B refuses a write with A's old version",
                          "conflict")
                ev = (items[0].get("eval") or {}).get("id")
                if ev:
                    g1 = on_b.get("/api/evals/%d" % ev)
                    ck.status(g1, 200, "B reads the self-evaluation")
                    v = (g1.json or {}).get("version")
                    r = unit.patch("/api/evals/%d" % ev, {
                        "version": v,
                        "lines": [{"position": 0, "actual": "0",
                                   "reason": "两进程测试"}]})
                    ck.status(r, 200, "A saves an actual value")
                    g2 = on_b.get("/api/evals/%d" % ev)
                    ck.eq((g2.json or {}).get("version"), v + 1 if v else None,
                          "B's next read has the new version (no stale "
                          "cached answer)")
                    l0 = ((g2.json or {}).get("lines") or [{}])[0]
                    ck.eq(l0.get("actual"), "0",
                          "B's read shows the value saved on A")

            # throttling is shared: failures on A count on B
            for i in range(5):
                bad = jxapi.Client(a if i % 2 == 0 else b, "bad")
                bad.login("dept01", password="wrong-password-1",
                          expect_ok=False)
            last = jxapi.Client(b, "dept01@b")
            r = last.login("dept01", expect_ok=False)
            ck.status(r, 429, "the sixth failure, made on B after failures "
                      "on A and B, is throttled", "too_many_requests")

            # sign-out on B ends the session on A
            r = on_b.delete("/api/session")
            ck.ok(r.status in (200, 204), "B signs the session out",
                  r.describe())
            r = on_a.get("/api/session")
            ck.status(r, 401, "the session signed out on B is gone on A",
                      "unauthenticated")

            # graceful stop: a sign-in in flight (argon2id: tens of ms)
            # when SIGTERM arrives still gets its whole answer
            got = {}

            def sign_in():
                body = json.dumps({"login": "dept02",
                                   "password": jxapi.DEMO_PASSWORD})
                req = ("POST /api/session HTTP/1.1\r\nHost: x\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                       % (len(body.encode()), body)).encode()
                got["r"] = jxapi.raw(b.port, req)

            t = threading.Thread(target=sign_in)
            t.start()
            time.sleep(0.02)
        finally:
            b.stop()
            b.check_log()
        t.join(30)
        r = got.get("r")
        ck.ok(r is not None and r.status == 200,
              "a request in flight at SIGTERM is answered in full",
              r.describe() if r is not None else "no answer")


if __name__ == "__main__":
    sys.exit(jxapi.main(run, "multiprocess"))
