#!/usr/bin/env python3
"""Logs operators can use (issue 17, part 6) through the real binary: `serve --access-log
--log-format json` writes one JSON line per request with method, route template, status,
duration, user id, request id and client; a short safe X-Request-Id is kept, echoed in the
X-Request-Id header and in the JSON error body (`request_id`), an unsafe one replaced. No line holds
a password, a token, a cookie, a query string, a body or the raw path. `--log-format text` writes
logfmt; a bad --log-format is refused naming the option.
Usage: logs_test.py SOPORTE_BIN"""
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from clitest import BIN, check, finish, run

PASSWORD = "Clave-Secreta-Larga-123"



def start(data, fmt, out_path):
    out = open(out_path, "w")
    server = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0",
                               "--fast-password-hashing", "--access-log", "--log-format", fmt],
                              stdout=out, stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        text = open(out_path).read()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", text)
        if m:
            return server, int(m.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.1)  # polling the server's first line, not waiting for time to pass
    raise RuntimeError("serve did not start: " + server.stderr.read())


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=None if body is None else json.dumps(body), headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data


tmp = tempfile.mkdtemp(prefix="soporte-logs-")
try:
    data = os.path.join(tmp, "data")
    assert run("demo", "--data", data).returncode == 0
    p = run("user", "add", "--data", data, "--email", "ops@example.com", "--name", "Ops",
            "--role", "agent", "--password-stdin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    user_id = int(p.stdout.strip())
    token = run("token", "create", "--data", data, "--email", "ops@example.com").stdout.strip()

    out_path = os.path.join(tmp, "json.out")
    server, port = start(data, "json", out_path)
    bearer = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    st, h, body = request(port, "POST", "/api/v1/session",
                          {"email": "ops@example.com", "password": PASSWORD},
                          {"Content-Type": "application/json"})
    check(st == 200, f"login {st} {body[:200]}")
    cookie = h.get("Set-Cookie", "").split(";")[0]
    session_value = cookie.split("=", 1)[1] if "=" in cookie else "no-cookie"
    st, h, body = request(port, "GET", "/api/v1/me", headers={"Cookie": cookie})
    check(st == 200, f"me with the cookie: {st}")
    st, h, body = request(port, "GET", "/api/v1/tickets?token=QUERY-SECRET-9", headers=bearer)
    check(st == 400, f"list with an unknown query parameter: {st} {body[:200]}")  # logged anyway
    st, h, body = request(port, "POST", "/api/v1/tickets", {
        "type": "incident", "criticality": "normal", "org": "acme", "subject": "CUERPO-SECRETO",
        "description": "texto", "requester": "cliente@acme.example.com"}, bearer)
    check(st == 201, f"create: {st} {body[:200]}")
    st, h, body = request(port, "GET", "/api/v1/tickets/987654",
                          headers={**bearer, "X-Request-Id": "trace-42"})
    check(st == 404 and h.get("X-Request-Id") == "trace-42", f"kept id: {st} {h}")
    check(json.loads(body)["error"].get("request_id") == "trace-42", f"error body: {body}")
    st, h, body = request(port, "GET", "/api/v1/tickets/987654",
                          headers={**bearer, "X-Request-Id": "bad id; drop table"})
    generated = h.get("X-Request-Id", "")
    check(re.fullmatch(r"[0-9a-f]{16}", generated), f"generated id: {generated!r}")
    check(json.loads(body)["error"].get("request_id") == generated, f"error body: {body}")
    st, h, body = request(port, "GET", "/healthz")
    check(re.fullmatch(r"[0-9a-f]{16}", h.get("X-Request-Id", "")), "a success has an id too")
    server.terminate()
    server.wait(timeout=60)

    lines = [l for l in open(out_path).read().splitlines()
             if not l.startswith("listening on") and l != "stopped"]
    records = []
    for l in lines:
        try:
            records.append(json.loads(l))
        except ValueError:
            check(False, f"not JSON: {l!r}")
    check(len(records) == 7, f"{len(records)} access lines for 7 requests: {lines}")
    for r in records:
        check(set(r) >= {"ts", "level", "msg", "method", "route", "status", "duration_ms",
                         "user_id", "request_id", "client"}, f"fields: {r}")
        check(r.get("client") == "127.0.0.1", f"client: {r}")
    by_route = {(r["method"], r["route"], r["request_id"]): r for r in records}
    check(("GET", "/api/v1/tickets/{number}", "trace-42") in by_route,
          f"route template and kept id: {records}")
    check(("GET", "/api/v1/tickets/{number}", generated) in by_route, "generated id logged")
    me = [r for r in records if r["route"] == "/api/v1/me"]
    check(me and me[0]["user_id"] == user_id and me[0]["status"] == 200, f"user id by cookie: {me}")
    created = [r for r in records if r["method"] == "POST" and r["route"] == "/api/v1/tickets"]
    check(created and created[0]["user_id"] == user_id and created[0]["status"] == 201,
          f"user id by token: {created}")
    login = [r for r in records if r["route"] == "/api/v1/session"]
    check(login and login[0]["user_id"] is None, f"login line: {login}")
    text = open(out_path).read()
    for secret in (PASSWORD, token, session_value, "QUERY-SECRET-9", "token=", "CUERPO-SECRETO",
                   "987654", "Bearer", "Cookie"):
        check(secret not in text, f"the access log holds {secret!r}")

    # Text: logfmt, one line a request.
    out_path = os.path.join(tmp, "text.out")
    server, port = start(data, "text", out_path)
    request(port, "GET", "/api/v1/tickets/55", headers={**bearer, "X-Request-Id": "t-1"})
    server.terminate()
    server.wait(timeout=60)
    text = open(out_path).read()
    check(re.search(r"^level=info msg=request method=GET route=/api/v1/tickets/\{number\} "
                    rf"status=404 duration_ms=[0-9.]+ user_id={user_id} request_id=t-1 "
                    r"client=127\.0\.0\.1$", text, re.M), f"text line: {text!r}")

    p = run("serve", "--data", data, "--log-format", "xml")
    check(p.returncode == 2 and "--log-format must be text or json" in p.stderr, p.stderr)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("logs_test")
