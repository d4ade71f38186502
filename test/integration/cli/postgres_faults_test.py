#!/usr/bin/env python3
"""PostgreSQL faults through the real binary, on a PostgreSQL cluster of the test's own (started
with scripts/postgres.sh on a free port, so it can be stopped and started again):
- the database goes away while `soporte serve` runs (pg_ctl stop -m immediate): API calls answer
  503 with Retry-After and the usual error shape (reason store_unavailable) within a few seconds,
  /healthz says the store is unavailable, the outage is logged once (not once per job round);
  when PostgreSQL is back the same process answers again, the ticket made before is intact and
  the next one gets the next number;
- a schema newer than the binary: `serve` and `init` refuse, saying which version is stored and
  which this binary knows, and change nothing;
- a database that does not exist, a role that does not exist, a user that may not create tables:
  each refused with a message naming the problem.
Skipped (77) without PostgreSQL 15's binaries (SOPORTE_PG_BIN, /usr/lib/postgresql/15/bin).
Usage: postgres_faults_test.py SOPORTE_BIN"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from clitest import call, check, finish, run, serve, stop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PG_BIN = os.environ.get("SOPORTE_PG_BIN", "/usr/lib/postgresql/15/bin")
BOUND = 4.0  # seconds: an API call during the outage answers within this (connect_timeout is 3 s)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of this test alone: scripts/postgres.sh starts and removes it; pg_ctl
    stops it abruptly and starts it again in between."""

    def __init__(self):
        self.port = free_port()
        self.state = tempfile.mktemp(prefix="soporte-pg-faults-")
        self.env = dict(os.environ, SOPORTE_PG_PORT=str(self.port), SOPORTE_PG_FILE=self.state)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def script(self, verb):
        return subprocess.run(["bash", os.path.join(ROOT, "scripts", "postgres.sh"), verb],
                              env=self.env, capture_output=True, text=True, timeout=120)

    def pg_ctl(self, *args):
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        data = os.path.join(open(self.state).read().strip(), "data")
        return subprocess.run([*as_postgres, os.path.join(PG_BIN, "pg_ctl"), "-D", data, *args],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)

    def start(self):
        p = self.script("start")
        assert p.returncode == 0, p.stderr

    def crash(self):
        p = self.pg_ctl("-m", "immediate", "-w", "stop")
        assert p.returncode == 0, p.stderr

    def restart(self):
        sock = open(self.state).read().strip()
        p = self.pg_ctl("-w", "-l", os.path.join(sock, "server.log"), "-o",
                        f"-c listen_addresses=127.0.0.1 -p {self.port} -k {sock} -c fsync=off "
                        "-c max_connections=200", "start")
        assert p.returncode == 0, p.stderr + p.stdout

    def remove(self):
        self.script("stop")


def psql(url, sql):
    p = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def timed(fn):
    t0 = time.monotonic()
    out = fn()
    return out, time.monotonic() - t0


def healthz(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def new_ticket(base, agent, subject):
    return call(base, agent, "POST", "/api/v1/tickets", {
        "type": "incident", "criticality": "critical", "subject": subject,
        "description": "El servicio no responde", "org": "acme", "channel": "phone",
        "requester": "cliente@acme.example.com"})


def error_of(body):
    try:
        return json.loads(body).get("error", {})
    except ValueError:
        return {}


def outage(cluster, url, data):
    """The database goes away under a running server and comes back."""
    env = dict(os.environ, SOPORTE_STORE=url)
    demo = run("demo", "--data", data, env=env)
    check(demo.returncode == 0, f"demo on PostgreSQL: {demo.stdout} {demo.stderr}")
    p = run("token", "create", "--data", data, "--email", "agente@example.com", env=env)
    check(p.returncode == 0, f"token create: {p.stderr}")
    agent = p.stdout.strip()
    # The SLA watch every second: its rounds during the outage must not log a line each.
    server, base = serve(data, "--store", url, "--sla-watch-interval", "1")
    try:
        st, _, body = new_ticket(base, agent, "Antes de la caída")
        check(st == 201, f"a ticket before the outage: {st} {body[:300]}")
        first = json.loads(body)["number"] if st == 201 else 0
        st, _, _ = healthz(base)
        check(st == 200, f"/healthz with the database up: {st}")

        cluster.crash()
        t_down = time.monotonic()
        slowest = 0.0
        for _ in range(3):
            (st, headers, body), took = timed(lambda: call(base, agent, "GET", f"/api/v1/tickets/{first}"))
            slowest = max(slowest, took)
            err = error_of(body)
            check(st == 503 and err.get("code") == "unavailable" and
                  err.get("reason") == "store_unavailable" and err.get("message"),
                  f"a read while the database is down: 503 store_unavailable: {st} {body[:300]}")
            check(headers.get("Retry-After", "").isdigit(), f"a 503 says when to retry: {headers}")
            (st, headers, body), took = timed(lambda: new_ticket(base, agent, "Durante la caída"))
            slowest = max(slowest, took)
            check(st == 503 and error_of(body).get("reason") == "store_unavailable" and
                  headers.get("Retry-After", "").isdigit(),
                  f"a write while the database is down: 503 with Retry-After: {st} {body[:300]}")
            (st, headers, body), took = timed(lambda: healthz(base))
            slowest = max(slowest, took)
            check(st == 503 and error_of(body).get("reason") == "store_unavailable",
                  f"/healthz says the store is unavailable: {st} {body[:300]}")
            time.sleep(1)  # let the jobs run rounds against the dead database
        print(f"slowest answer while PostgreSQL was down: {slowest:.3f} s")
        check(slowest < BOUND, f"every answer during the outage within {BOUND} s: {slowest:.3f} s")
        while time.monotonic() - t_down < 5:  # at least five SLA watch rounds down
            time.sleep(0.5)

        cluster.restart()
        st, body = 0, b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the first call after the restart already succeeds
            st, _, body = call(base, agent, "GET", f"/api/v1/tickets/{first}")
            if st == 200:
                break
            time.sleep(0.2)
        check(st == 200 and json.loads(body)["subject"] == "Antes de la caída",
              f"the same process serves again, the first ticket intact: {st} {body[:200]}")
        st, _, _ = healthz(base)
        check(st == 200, f"/healthz ok again: {st}")
        st, _, body = new_ticket(base, agent, "Después de la caída")
        check(st == 201, f"a ticket after the outage: {st} {body[:300]}")
        second = json.loads(body)["number"] if st == 201 else 0
        check(second == first + 1, f"the next number, nothing half-written: {first} then {second}")
        check(psql(url, "SELECT count(*) FROM tickets WHERE subject = 'Durante la caída'") == "0",
              "no ticket refused with 503 was stored")
        check(server.poll() is None, "the server never stopped")
    finally:
        stop(server)
    log = server.stderr.read() + server.stdout.read()
    check(log.count("PostgreSQL unreachable") == 1,
          f"the outage is logged once: {log.count('PostgreSQL unreachable')}\n{log[-2000:]}")
    check(log.count("PostgreSQL reachable again") == 1, f"and its end once: {log[-2000:]}")
    jobs = ("sla watch", "chat-wait", "chat-abandon", "outbox", "paging", "webhooks", "mail poll")
    per_round = [line for line in log.splitlines()
                 if "PostgreSQL" in line and any(f"{job}:" in line for job in jobs)]
    check(not per_round, f"no line per job round during the outage: {per_round[:3]}")


def newer_schema(url, data):
    """A schema migrated by a newer soporte: serve and init refuse and change nothing."""
    known = int(psql(url, "SELECT max(version) FROM schema_migrations"))
    psql(url, "INSERT INTO schema_migrations(version, name, sha256, applied_at) "
              f"VALUES ({known + 1}, '{known + 1:04d}_future.sql', 'x', 0)")
    before = psql(url, "SELECT count(*) FROM tickets") + "/" + \
        psql(url, "SELECT count(*) FROM schema_migrations")
    p = subprocess.run([sys.argv[1], "serve", "--data", data, "--listen", "127.0.0.1:0",
                        "--store", url], capture_output=True, text=True, timeout=60)
    check(p.returncode != 0 and f"schema version {known + 1}" in p.stderr and
          f"up to {known}" in p.stderr and "run a newer soporte" in p.stderr,
          f"serve refuses a newer schema: {p.returncode} {p.stderr}")
    fresh = os.path.join(data, "init-here")
    p = run("init", "--data", fresh, "--store", url)
    check(p.returncode != 0 and f"schema version {known + 1}" in p.stderr and
          "run a newer soporte" in p.stderr,
          f"init refuses a newer schema: {p.returncode} {p.stderr}")
    check(not os.path.exists(fresh), "init made no data directory")
    after = psql(url, "SELECT count(*) FROM tickets") + "/" + \
        psql(url, "SELECT count(*) FROM schema_migrations")
    check(before == after, f"nothing changed: {before} then {after}")


def bad_targets(cluster, base_url):
    """A database that does not exist, a role that does not exist, a user without CREATE."""
    host = f"127.0.0.1:{cluster.port}"
    cases = [
        (f"postgresql://postgres@{host}/no_such_desk", 'database "no_such_desk" does not exist'),
        (f"postgresql://no_such_role@{host}/postgres", 'role "no_such_role" does not exist'),
    ]
    psql(base_url, "CREATE ROLE visitante LOGIN")
    psql(base_url, "CREATE DATABASE ajena")  # owned by postgres: PostgreSQL 15 gives no CREATE
    cases.append((f"postgresql://visitante@{host}/ajena", "permission denied for schema public"))
    for url, words in cases:
        data = tempfile.mkdtemp(prefix="soporte-pg-bad-")
        try:
            p = run("init", "--data", os.path.join(data, "d"), "--store", url)
            check(p.returncode != 0 and words in p.stderr,
                  f"init on {url} names the problem ({words}): {p.returncode} {p.stderr}")
            if "permission" in words:
                check("needs a schema it may create tables in" in p.stderr,
                      f"and says what the user needs: {p.stderr}")
            check(not os.path.exists(os.path.join(data, "d")), f"no data directory for {url}")
        finally:
            shutil.rmtree(data, ignore_errors=True)
    check(psql(f"postgresql://postgres@{host}/ajena",
               "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0",
          "nothing was created in the database the user may not write")


def main():
    if not os.path.exists(os.path.join(PG_BIN, "pg_ctl")) or shutil.which("psql") is None:
        print(f"no PostgreSQL binaries in {PG_BIN}: skipped")
        sys.exit(77)
    cluster = Cluster()
    data = tempfile.mkdtemp(prefix="soporte-pg-faults-")
    try:
        cluster.start()
        db = "soporte_faults"
        psql(cluster.url, f"CREATE DATABASE {db}")
        url = cluster.url.rsplit("/", 1)[0] + "/" + db
        outage(cluster, url, data)
        newer_schema(url, data)
        bad_targets(cluster, cluster.url)
    finally:
        cluster.remove()
        shutil.rmtree(data, ignore_errors=True)
    finish("postgres faults")


if __name__ == "__main__":
    main()
