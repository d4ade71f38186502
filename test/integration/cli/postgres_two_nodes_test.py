#!/usr/bin/env python3
"""Two `soporte serve` nodes on one PostgreSQL database, as behind a load balancer: what a client
holds on one node holds on the other. A session opened on node A writes on node B with its CSRF
token (and not without it), a logout on B ends it on A, and the login throttle's windows are the
database's: five wrong passwords for one account from one address, spread over both nodes, make
the sixth attempt wait (429 with Retry-After) on either node, while the right password from
another address still logs in. The client address is the trusted proxy's X-Forwarded-For
(serve --trusted-proxy). Skipped (77) without SOPORTE_PG_URL.
Usage: postgres_two_nodes_test.py SOPORTE_BIN"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from clitest import check, finish, run, serve, stop


def psql(url, sql):
    p = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def request(base, method, path, body=None, cookie=None, csrf=None, client=None):
    """One request as a browser behind the proxy would send it: (status, headers, body)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, method=method, data=data)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if cookie:
        req.add_header("Cookie", "soporte_session=" + cookie)
    if csrf:
        req.add_header("X-CSRF-Token", csrf)
    if client:
        req.add_header("X-Forwarded-For", client)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def login(base, email, password, client):
    """(status, session cookie value, csrf token, headers)."""
    st, headers, body = request(base, "POST", "/api/v1/session",
                                {"email": email, "password": password}, client=client)
    cookie = ""
    for k, v in headers.items():
        if k.lower() == "set-cookie" and v.startswith("soporte_session="):
            cookie = v.split(";", 1)[0].split("=", 1)[1]
    csrf = json.loads(body).get("csrf_token", "") if st == 200 else ""
    return st, cookie, csrf, headers


def main():
    base_url = os.environ.get("SOPORTE_PG_URL", "")
    if not base_url:
        print("SOPORTE_PG_URL is not set: skipped (scripts/postgres.sh start)")
        sys.exit(77)
    db = f"soporte_nodes_{os.getpid()}"
    url = base_url.rsplit("/", 1)[0] + "/" + db
    psql(base_url, f"CREATE DATABASE {db}")
    data = tempfile.mkdtemp(prefix="soporte-pg-nodes-")
    env = dict(os.environ, SOPORTE_STORE=url)
    a = b = None
    try:
        demo = run("demo", "--data", data, env=env)
        check(demo.returncode == 0, f"demo on PostgreSQL: {demo.stdout} {demo.stderr}")
        passwords = {}
        for line in demo.stdout.splitlines():
            parts = line.strip().split("\t")
            if len(parts) == 3:
                passwords[parts[1]] = parts[2]
        agent_password = passwords.get("agente@example.com", "")
        check(agent_password != "", f"the demo prints the agent's password: {demo.stdout}")

        # Two nodes on the same database, each trusting the local proxy's X-Forwarded-For.
        a, base_a = serve(data, "--store", url, "--trusted-proxy", "127.0.0.1")
        b, base_b = serve(data, "--store", url, "--trusted-proxy", "127.0.0.1")

        # A session opened on A writes on B, with its CSRF token only.
        st, cookie, csrf, _ = login(base_a, "agente@example.com", agent_password, "10.20.0.1")
        check(st == 200 and cookie and csrf, f"log in on A: {st}")
        ticket = {"type": "incident", "criticality": "normal", "subject": "Escrito en el nodo B",
                  "description": "Sesión abierta en el nodo A", "org": "acme", "channel": "phone",
                  "requester": "cliente@acme.example.com"}
        st, _, body = request(base_b, "POST", "/api/v1/tickets", ticket, cookie=cookie,
                              client="10.20.0.1")
        check(st == 403, f"a write on B without the CSRF token is refused: {st} {body[:200]}")
        st, _, body = request(base_b, "POST", "/api/v1/tickets", ticket, cookie=cookie, csrf=csrf,
                              client="10.20.0.1")
        check(st == 201, f"the session of A writes on B with its CSRF token: {st} {body[:300]}")
        # Log out on B: A, which has not checked the session since the login, refuses it at once.
        st, _, _ = request(base_b, "DELETE", "/api/v1/session", cookie=cookie, csrf=csrf)
        check(st == 204, f"log out on B: {st}")
        st, _, _ = request(base_a, "GET", "/api/v1/me", cookie=cookie)
        check(st == 401, f"the session ended on B is refused on A: {st}")

        # A session A has just checked is remembered there for AuthOptions::cache_ttl (10 s):
        # a logout on B ends it on A within that bound (measured, not slept through).
        st, cookie, csrf, _ = login(base_a, "agente@example.com", agent_password, "10.20.0.1")
        st, _, _ = request(base_a, "GET", "/api/v1/me", cookie=cookie)
        check(st == 200, f"the new session on A: {st}")
        st, _, _ = request(base_b, "DELETE", "/api/v1/session", cookie=cookie, csrf=csrf)
        check(st == 204, f"log out on B: {st}")
        started = time.monotonic()
        while time.monotonic() - started < 15:
            st, _, _ = request(base_a, "GET", "/api/v1/me", cookie=cookie)
            if st == 401:
                break
            time.sleep(0.25)
        waited = time.monotonic() - started
        check(st == 401 and waited <= 11, f"A refuses the session within the cache's 10 s: {st} "
                                          f"after {waited:.1f} s")
        print(f"a session A had cached was refused there {waited:.1f} s after the logout on B")

        # Five wrong passwords for one account from one address, over both nodes.
        attacker = "10.30.0.7"
        for i in range(5):
            base = base_a if i % 2 == 0 else base_b
            st, _, _, _ = login(base, "agente@example.com", "not-the-password", attacker)
            check(st == 401, f"wrong password #{i + 1} on {'A' if base == base_a else 'B'}: {st}")
        for name, base in (("A", base_a), ("B", base_b)):
            st, _, _, headers = login(base, "agente@example.com", agent_password, attacker)
            retry = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
            check(st == 429 and retry.isdigit() and int(retry) > 0,
                  f"the sixth attempt from {attacker} waits on {name}: {st} Retry-After {retry!r}")
        st, _, _, _ = login(base_b, "agente@example.com", agent_password, "10.40.0.9")
        check(st == 200, f"the right password from another address logs in: {st}")
        rows = int(psql(url, "SELECT count(*) FROM throttle_failures"))
        check(rows > 0, f"the failures are rows of the shared database: {rows}")
    finally:
        stop(a)
        stop(b)
        shutil.rmtree(data, ignore_errors=True)
        psql(base_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    finish("postgres two nodes")


if __name__ == "__main__":
    main()
