#!/usr/bin/env python3
"""docs/openapi.json describes exactly the API the server serves:

  - the set of (method, path) equals the route table of src/http/routes.c;
  - each operation's query parameters equal the route's query keys, and
    its path parameters the {id} segments of the pattern;
  - each operation's security matches the route: public routes need
    nothing, the others the session cookie, and state-changing ones the
    X-CSRF-Token header too (except sign-in); x-jx-roles lists the roles of
    the route;
  - each request body schema equals the handler's jx_http_field table
    (parsed from src/http/h_*.c), recursively through arrays and objects:
    field names, types, required and nullable flags, and bounds where the
    table gives them; every object refuses unknown properties; routes
    without a body have no requestBody;
  - every operation answers the error schema for its errors, and the
    document is OpenAPI 3.0 in shape (info, paths, components).

    python3 tests/api/test_openapi.py
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jxapi  # noqa: E402

DOC = os.environ.get("JX_OPENAPI") or os.path.join(jxapi.ROOT, "docs",
                                                    "openapi.json")


def schema_kind(s):
    """The jx_http_field type a JSON Schema stands for."""
    if "oneOf" in s:
        types = sorted(x.get("type") for x in s["oneOf"])
        if types == ["integer", "string"]:
            return "dec"
        return "oneOf " + repr(types)
    t = s.get("type")
    if t == "string":
        return "date" if s.get("format") == "date" else "string"
    return {"integer": "int", "boolean": "bool", "array": "array",
            "object": "object"}.get(t, repr(t))


def resolve(doc, s):
    while isinstance(s, dict) and "$ref" in s:
        ref = s["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
        s = node
    return s


def compare_object(checks, doc, where, obj, fields, schemas, consts):
    """The object schema obj against the field table fields."""
    obj = resolve(doc, obj)
    checks.eq(obj.get("type"), "object", "%s is an object" % where)
    checks.eq(obj.get("additionalProperties"), False,
              "%s refuses unknown properties" % where)
    props = obj.get("properties", {})
    checks.eq(sorted(props), sorted(f["name"] for f in fields),
              "%s: property names" % where)
    checks.eq(sorted(obj.get("required", [])),
              sorted(f["name"] for f in fields if f["required"]),
              "%s: required properties" % where)
    for f in fields:
        p = props.get(f["name"])
        if p is None:
            continue
        p = resolve(doc, p)
        fw = "%s.%s" % (where, f["name"])
        checks.eq(schema_kind(p), f["type"], "%s: type" % fw)
        checks.eq(bool(p.get("nullable", False)), f["nullable"],
                  "%s: nullable" % fw)
        lo = jxapi.c_eval(f["min"], consts)
        hi = jxapi.c_eval(f["max"], consts)
        if f["type"] == "string":
            if lo is not None:
                checks.eq(p.get("minLength", 0), lo, "%s: minLength" % fw)
            if hi is not None:
                checks.eq(p.get("maxLength"), hi if hi > 0 else 4000,
                          "%s: maxLength" % fw)
        elif f["type"] == "int":
            if lo is not None:
                checks.eq(p.get("minimum"), lo, "%s: minimum" % fw)
            if hi is not None:
                checks.eq(p.get("maximum"), hi, "%s: maximum" % fw)
        elif f["type"] == "array":
            if hi is not None:
                checks.eq(p.get("maxItems"), hi, "%s: maxItems" % fw)
            sub = f.get("schema")
            if checks.ok(sub is not None, "%s: item schema %s found" %
                         (fw, f["items"])) and "items" in p:
                compare_object(checks, doc, fw + "[]", p["items"], sub,
                               schemas, consts)
            else:
                checks.ok("items" in p, "%s: has items" % fw)
        elif f["type"] == "object":
            sub = f.get("schema")
            if checks.ok(sub is not None, "%s: schema %s found" %
                         (fw, f["items"])):
                compare_object(checks, doc, fw, p, sub, schemas, consts)


def run(checks, pg):
    del pg
    routes = jxapi.load_routes()
    schemas = jxapi.load_schemas()
    consts = jxapi.c_constants()
    with open(DOC, encoding="utf-8") as f:
        doc = json.load(f)
    checks.ok(str(doc.get("openapi", "")).startswith("3.0"),
              "OpenAPI 3.0 document", repr(doc.get("openapi")))
    for k in ("info", "paths", "components"):
        checks.ok(k in doc, "document has %s" % k)
    checks.ok({"title", "version"} <= set(doc.get("info", {})),
              "info has title and version")
    comps = doc.get("components", {})
    sec = comps.get("securitySchemes", {})
    checks.eq(sec.get("session"), {"type": "apiKey", "in": "cookie",
                                   "name": "jx_session"},
              "security scheme: the session cookie")
    checks.eq(sec.get("csrf"), {"type": "apiKey", "in": "header",
                                "name": "X-CSRF-Token"},
              "security scheme: the CSRF header")
    err = resolve(doc, comps.get("schemas", {}).get("Error", {}))
    checks.eq(sorted(err.get("required", [])), ["error"],
              "Error schema requires error")
    inner = resolve(doc, err.get("properties", {}).get("error", {}))
    checks.eq(sorted(inner.get("properties", {})),
              ["code", "field", "message"], "Error schema: code, message, field")

    ops = {}
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                ops[(method.upper(), path)] = op
    want = {r.key for r in routes}
    checks.eq(sorted(set(ops) - want), [],
              "operations in openapi.json that routes.c lacks")
    checks.eq(sorted(want - set(ops)), [],
              "routes of routes.c that openapi.json lacks")
    op_ids = [op.get("operationId") for op in ops.values()]
    checks.eq(len(set(op_ids)), len(op_ids), "operationIds are unique")

    for r in routes:
        op = ops.get(r.key)
        if op is None:
            continue
        where = "%s %s" % r.key
        checks.ok(bool(op.get("summary")), "%s has a summary" % where)
        checks.eq(op.get("operationId"), r.handler.replace("jx_h_", ""),
                  "%s: operationId is the handler's name" % where)
        params = [resolve(doc, p) for p in op.get("parameters", [])]
        params += [resolve(doc, p) for p in
                   doc["paths"][r.pattern].get("parameters", [])]
        q = sorted(p["name"] for p in params if p.get("in") == "query")
        checks.eq(q, sorted(r.query), "%s: query parameters" % where)
        path_names = re.findall(r"\{([a-z_]+)\}", r.pattern)
        pp = sorted(p["name"] for p in params if p.get("in") == "path")
        checks.eq(pp, sorted(path_names), "%s: path parameters" % where)
        for p in params:
            if p.get("in") == "path":
                checks.ok(p.get("required") is True and
                          resolve(doc, p.get("schema", {})).get("type") ==
                          "integer", "%s: path parameter %s is a required "
                          "integer" % (where, p["name"]))
        # security
        if r.public:
            want_sec = []
        elif r.method in jxapi.WRITE_METHODS:
            want_sec = [{"session": [], "csrf": []}]
        else:
            want_sec = [{"session": []}]
        checks.eq(op.get("security"), want_sec, "%s: security" % where)
        checks.eq(sorted(op.get("x-jx-roles", [])), sorted(r.roles),
                  "%s: x-jx-roles" % where)
        # the body
        rb = op.get("requestBody")
        if r.body is None:
            checks.ok(rb is None, "%s takes no body" % where)
        else:
            fields = schemas.get(r.body)
            if not checks.ok(fields is not None, "%s: schema %s found" %
                             (where, r.body)):
                continue
            if not checks.ok(rb is not None, "%s has a requestBody" % where):
                continue
            rb = resolve(doc, rb)
            checks.eq(rb.get("required"), True,
                      "%s: requestBody is required" % where)
            content = rb.get("content", {})
            checks.eq(sorted(content), ["application/json"],
                      "%s: body is application/json" % where)
            s = content.get("application/json", {}).get("schema", {})
            compare_object(checks, doc, where + " body", s, fields,
                           schemas, consts)
            checks.eq(op.get("x-jx-body-max"), r.body_max,
                      "%s: x-jx-body-max" % where)
        # responses
        resps = op.get("responses", {})
        ok_codes = [c for c in resps if c.startswith("2")]
        checks.ok(len(ok_codes) >= 1, "%s has a success response" % where)
        for c, resp in resps.items():
            resp = resolve(doc, resp)
            checks.ok(bool(resp.get("description")),
                      "%s %s has a description" % (where, c))
            if c.startswith("2") and c != "204":
                checks.ok("application/json" in resp.get("content", {}),
                          "%s %s answers JSON" % (where, c))
            if c.startswith("4") or c.startswith("5"):
                s = resp.get("content", {}).get("application/json", {}).get(
                    "schema", {})
                checks.eq(s.get("$ref"), "#/components/schemas/Error",
                          "%s %s answers the error schema" % (where, c))
        if not r.public:
            checks.ok("401" in resps, "%s documents 401" % where)
        if r.method in jxapi.WRITE_METHODS and not r.public:
            checks.ok("403" in resps, "%s documents 403 (csrf)" % where)
        if r.has_id:
            checks.ok("404" in resps, "%s documents 404" % where)
        if r.body is not None:
            for c in ("400", "413", "422"):
                checks.ok(c in resps, "%s documents %s" % (where, c))

    # every $ref resolves
    def walk(node, at):
        if isinstance(node, dict):
            if "$ref" in node:
                try:
                    resolve(doc, node)
                except (KeyError, AssertionError):
                    checks.ok(False, "unresolved $ref %s at %s" %
                              (node["$ref"], at))
            for k, v in node.items():
                walk(v, at + "/" + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (at, i))
    walk(doc, "#")


if __name__ == "__main__":
    sys.exit(jxapi.main(run, "test_openapi", database=False))
