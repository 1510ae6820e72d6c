#!/usr/bin/env python3
"""Print the findings of `jixiao check --format json` output, one per line,
sorted, as `severity CODE where`: the form of tests/data/seeds/*.expect."""
import json
import sys

rows = []
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    obj = json.loads(line)
    for f in obj.get("findings", []):
        if f["severity"] != "ok":
            rows.append(f"{f['severity']} {f['code']} {f['where']}")
for r in sorted(rows):
    print(r)
