#!/usr/bin/env python3
"""docs/openapi.yaml against the server's route table.

Runs the real `soporte serve --print-routes` (the table `serve` builds, printed instead of
listening) and fails when a (method, path) of the server is missing from the OpenAPI document
or the document describes one the server does not have. Also checks that the document parses as
YAML, says OpenAPI 3.1, that each operation has responses, that each path's `{parameters}` are
declared as path parameters, and that every `$ref` resolves.
The web UI's files are one route each in the table (named "/ui/*"); the document describes them
as GET /ui/{asset}.
usage: openapi_routes_test.py SOPORTE_BIN OPENAPI_YAML
"""
import re
import subprocess
import sys
import tempfile

import yaml

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def server_routes(binary):
    with tempfile.TemporaryDirectory() as tmp:
        data = tmp + "/data"
        subprocess.run([binary, "init", "--data", data], check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([binary, "serve", "--data", data, "--print-routes"], check=True,
                             capture_output=True, text=True).stdout
    routes = set()
    for line in out.splitlines():
        method, pattern, name = line.split(" ", 2)
        if name == "/ui/*":
            pattern = "/ui/{asset}"
        routes.add((method.lower(), pattern))
    return routes


def resolve(doc, ref):
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def walk_refs(node, found):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                found.append(v)
            else:
                walk_refs(v, found)
    elif isinstance(node, list):
        for v in node:
            walk_refs(v, found)


def main():
    binary, spec = sys.argv[1], sys.argv[2]
    failures = []
    with open(spec, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not str(doc.get("openapi", "")).startswith("3.1"):
        failures.append(f"openapi: {doc.get('openapi')!r}, want 3.1.x")

    documented = set()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            documented.add((method, path))
            if not operation.get("responses"):
                failures.append(f"{method.upper()} {path}: no responses")
            declared = set()
            for p in operation.get("parameters", []):
                if "$ref" in p:
                    p = resolve(doc, p["$ref"])
                if p.get("in") == "path":
                    declared.add(p["name"])
            for name in re.findall(r"{([^}]+)}", path):
                if name not in declared:
                    failures.append(f"{method.upper()} {path}: path parameter {name} not declared")

    refs = []
    walk_refs(doc, refs)
    for ref in refs:
        try:
            resolve(doc, ref)
        except (KeyError, TypeError):
            failures.append(f"$ref {ref} does not resolve")

    served = server_routes(binary)
    for method, path in sorted(served - documented):
        failures.append(f"route not in {spec}: {method.upper()} {path}")
    for method, path in sorted(documented - served):
        failures.append(f"documented but not served: {method.upper()} {path}")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(served)} routes served, {len(documented)} operations documented, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
