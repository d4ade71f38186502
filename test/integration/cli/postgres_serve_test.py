#!/usr/bin/env python3
"""One desk on PostgreSQL through the real binary (issue 14): `soporte demo` with SOPORTE_STORE
fills a database of its own on the suite's server (SOPORTE_PG_URL), `soporte serve --store` answers
the API from it, a ticket created through the API is in PostgreSQL (and no DATA/soporte.db was
made) and is still there after a restart; an unreachable database stops serve at once with a
clear error. Skipped (77) without SOPORTE_PG_URL.
Usage: postgres_serve_test.py SOPORTE_BIN"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from clitest import call, check, finish, run, serve, stop


def psql(url, sql):
    p = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def main():
    base_url = os.environ.get("SOPORTE_PG_URL", "")
    if not base_url:
        print("SOPORTE_PG_URL is not set: skipped (scripts/postgres.sh start)")
        sys.exit(77)
    db = f"soporte_serve_{os.getpid()}"
    url = base_url.rsplit("/", 1)[0] + "/" + db
    psql(base_url, f"CREATE DATABASE {db}")
    data = tempfile.mkdtemp(prefix="soporte-pg-serve-")
    env = dict(os.environ, SOPORTE_STORE=url)
    server = None
    try:
        demo = run("demo", "--data", data, env=env)
        check(demo.returncode == 0, f"demo on PostgreSQL: {demo.stdout} {demo.stderr}")
        check(not os.path.exists(os.path.join(data, "soporte.db")),
              "no DATA/soporte.db: the desk lives in PostgreSQL")
        demo_tickets = int(psql(url, "SELECT count(*) FROM tickets"))
        check(demo_tickets > 0, f"the demo's tickets are in PostgreSQL: {demo_tickets}")
        p = run("token", "create", "--data", data, "--email", "agente@example.com", env=env)
        check(p.returncode == 0, f"token create on PostgreSQL: {p.stderr}")
        agent = p.stdout.strip()

        server, base = serve(data, "--store", url)
        st, _, body = call(base, agent, "GET", "/api/v1/me")
        check(st == 200, f"/me: {st} {body[:200]}")
        st, _, body = call(base, agent, "POST", "/api/v1/tickets", {
            "type": "incident", "criticality": "critical", "subject": "Caída en producción",
            "description": "El servicio no responde desde las 02:00", "org": "acme",
            "channel": "phone", "requester": "cliente@acme.example.com"})
        check(st == 201, f"create a ticket: {st} {body[:300]}")
        number = json.loads(body)["number"] if st == 201 else 0
        st, _, body = call(base, agent, "GET", "/api/v1/tickets?org=acme&limit=200")
        listed = [t["number"] for t in json.loads(body)["tickets"]] if st == 200 else []
        check(number in listed, f"the new ticket is listed: {st} {listed}")
        check(psql(url, f"SELECT subject FROM tickets WHERE number = {number}") ==
              "Caída en producción", "the ticket is a row of PostgreSQL, accents intact")
        stop(server)

        server, base = serve(data, "--store", url)
        st, _, body = call(base, agent, "GET", f"/api/v1/tickets/{number}")
        check(st == 200 and json.loads(body)["subject"] == "Caída en producción",
              f"the ticket after a restart: {st} {body[:200]}")
        stop(server)
        server = None

        gone = subprocess.run([sys.argv[1], "serve", "--data", data, "--listen", "127.0.0.1:0",
                               "--store", "postgresql://postgres@127.0.0.1:1/none"],
                              capture_output=True, text=True, timeout=60)
        check(gone.returncode != 0 and "127.0.0.1" in gone.stderr,
              f"an unreachable database stops serve naming it: {gone.returncode} {gone.stderr}")
    finally:
        stop(server)
        shutil.rmtree(data, ignore_errors=True)
        psql(base_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    finish("postgres serve")


if __name__ == "__main__":
    main()
