#!/usr/bin/env python3
"""`soporte store copy` survives being killed (issue 14): a SQLite desk with a few thousand tickets
(bench/gen_tickets.py) is copied in small batches, the copy is killed with SIGKILL once some
tickets are in PostgreSQL but not all, and a second run finishes it: exit 0, every table verified,
the same ticket count and the next ticket number. Skipped (77) without SOPORTE_PG_URL.
Usage: store_copy_resume_test.py SOPORTE_BIN GEN_TICKETS_PY"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from clitest import BIN, check, finish, run

TICKETS = 4000


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
    db = f"soporte_copy_resume_{os.getpid()}"
    url = base_url.rsplit("/", 1)[0] + "/" + db
    psql(base_url, f"CREATE DATABASE {db}")
    tmp = tempfile.mkdtemp(prefix="soporte-store-resume-")
    src = os.path.join(tmp, "sqlite")
    env = {k: v for k, v in os.environ.items() if k != "SOPORTE_STORE"}
    copy = None
    try:
        check(run("demo", "--data", src, env=env).returncode == 0, "demo on SQLite")
        g = subprocess.run([sys.executable, sys.argv[2], os.path.join(src, "soporte.db"),
                            str(TICKETS)], capture_output=True, text=True, timeout=300)
        check(g.returncode == 0, f"gen_tickets: {g.stderr}")
        import sqlite3
        with sqlite3.connect(os.path.join(src, "soporte.db")) as con:
            total = con.execute("SELECT count(*) FROM tickets").fetchone()[0]
        check(total >= TICKETS, f"tickets in the source: {total}")

        copy = subprocess.Popen([BIN, "store", "copy", "--from", "sqlite:" + src, "--to", url,
                                 "--batch-rows", "20"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        copied = 0
        deadline = time.monotonic() + 240
        # Polls the target until the tickets are partly there (a condition, not a delay).
        while copy.poll() is None and time.monotonic() < deadline:
            q = subprocess.run(["psql", url, "-XAtq", "-c", "SELECT count(*) FROM tickets"],
                               capture_output=True, text=True, timeout=60)
            copied = int(q.stdout.strip()) if q.returncode == 0 else 0  # no schema yet: 0
            if copied >= 200:
                break
        copy.send_signal(signal.SIGKILL)
        copy.wait(timeout=60)
        copied = int(psql(url, "SELECT count(*) FROM tickets"))
        check(0 < copied < total, f"killed partway: {copied} of {total} tickets copied")

        p = run("store", "copy", "--from", "sqlite:" + src, "--to", url, "--batch-rows", "500",
                timeout=600)
        check(p.returncode == 0 and "verified:" in p.stdout, f"resumed: {p.returncode} {p.stdout[-2000:]} {p.stderr}")
        check(int(psql(url, "SELECT count(*) FROM tickets")) == total, "every ticket copied once")
        with sqlite3.connect(os.path.join(src, "soporte.db")) as con:
            want = con.execute("SELECT value FROM counters WHERE name = 'ticket_number'").fetchone()[0]
        check(int(psql(url, "SELECT value FROM counters WHERE name = 'ticket_number'")) == want,
              "the ticket counter copied")
        check(int(psql(url, "SELECT count(*) FROM search_docs WHERE kind = 1")) == total,
              "every ticket indexed for search")
    finally:
        if copy is not None and copy.poll() is None:
            copy.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        psql(base_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    finish("store copy resume")


main()
