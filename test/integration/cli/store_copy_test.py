#!/usr/bin/env python3
"""`soporte store copy` moves a desk from SQLite to PostgreSQL (issue 14): a demo desk on SQLite
gets a ticket with a reply and an attachment, a profile secret and a webhook through the API; the
copy into a fresh database (attachments and key to a new data directory) verifies every table;
`serve --store` on the copy answers the same tickets with their history, the attachment's
bytes, the secret in clear (opened by the copied key), search by a word of the description, and
the next ticket number. A second run changes nothing; a directory that is not a desk and a
database holding another desk are refused with a clear error. Skipped (77) without
SOPORTE_PG_URL.
Usage: store_copy_test.py SOPORTE_BIN"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

from clitest import call, check, finish, run, serve, stop, token


def psql(url, sql):
    p = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def js(st_hdr_body):
    st, _, body = st_hdr_body
    return st, (json.loads(body) if body and body[:1] in (b"{", b"[") else body)


def main():
    base_url = os.environ.get("SOPORTE_PG_URL", "")
    if not base_url:
        print("SOPORTE_PG_URL is not set: skipped (scripts/postgres.sh start)")
        sys.exit(77)
    pid = os.getpid()
    db, other_db = f"soporte_copy_{pid}", f"soporte_copy_other_{pid}"
    url = base_url.rsplit("/", 1)[0] + "/" + db
    other_url = base_url.rsplit("/", 1)[0] + "/" + other_db
    psql(base_url, f"CREATE DATABASE {db}")
    psql(base_url, f"CREATE DATABASE {other_db}")
    tmp = tempfile.mkdtemp(prefix="soporte-store-copy-")
    src, dst = os.path.join(tmp, "sqlite"), os.path.join(tmp, "pg")
    env = {k: v for k, v in os.environ.items() if k != "SOPORTE_STORE"}
    server = None
    try:
        check(run("demo", "--data", src, env=env).returncode == 0, "demo on SQLite")
        agent = token(src, "agente@example.com")
        admin = token(src, "admin@example.com")
        server, base = serve(src)
        st, t = js(call(base, agent, "POST", "/api/v1/tickets", {
            "type": "incident", "criticality": "important", "org": "acme",
            "subject": "Copia a PostgreSQL", "channel": "phone",
            "description": "El ornitorrinco del servidor de nóminas no arranca",
            "requester": "cliente@acme.example.com"}))
        check(st == 201, f"create: {st} {t}")
        number = t["number"]
        st, _ = js(call(base, agent, "POST", f"/api/v1/tickets/{number}/messages",
                        {"body": "Revisamos los registros."}))
        check(st == 201, f"reply: {st}")
        content = os.urandom(3000) + "registro de nóminas".encode()
        multipart = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"log.bin\"\r\n"
                     b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n--b--\r\n")
        st, _, body = call(base, agent, "POST", f"/api/v1/tickets/{number}/attachments", multipart,
                           content_type="multipart/form-data; boundary=b")
        check(st == 201, f"attach: {st} {body[:200]}")
        st, env_row = js(call(base, agent, "POST", "/api/v1/orgs/acme/profile/environments",
                              {"kind": "prod", "name": "producción"}))
        check(st == 201, f"environment: {st} {env_row}")
        st, user = js(call(base, agent, "POST", "/api/v1/orgs/acme/profile/os_users",
                           {"environment": env_row["id"], "user": "root", "password": "clave-secreta-42"}))
        check(st == 201, f"secret: {st} {user}")
        secret_id = user["password"]["secret_id"]
        st, hook = js(call(base, admin, "POST", "/api/v1/webhooks", {
            "url": "https://hooks.example.com/soporte", "events": ["ticket.created"],
            "secret": "secreto-del-receptor"}))
        check(st == 201, f"webhook: {st} {hook}")
        st, history = js(call(base, agent, "GET", f"/api/v1/tickets/{number}/history"))
        check(st == 200, f"history: {st}")
        st, listed = js(call(base, agent, "GET", "/api/v1/tickets?limit=200"))
        before = sorted(x["number"] for x in listed["tickets"])
        stop(server)
        server = None

        # A directory that is not a desk, and an unknown schema version: clear refusals.
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        p = run("store", "copy", "--from", "sqlite:" + empty, "--to", url)
        check(p.returncode != 0 and "not a soporte data directory" in p.stderr,
              f"not a desk: {p.returncode} {p.stderr}")

        p = run("store", "copy", "--from", "sqlite:" + src, "--to", url, "--data-to", dst)
        check(p.returncode == 0, f"copy: {p.returncode} {p.stdout} {p.stderr}")
        check("verified:" in p.stdout and "tickets" in p.stdout, f"copy prints: {p.stdout}")
        check(os.path.exists(os.path.join(dst, "secret.key")), "the key is in --data-to")
        check(not os.path.exists(os.path.join(dst, "soporte.db")), "no SQLite file in --data-to")

        # Again: nothing new, verified again.
        p = run("store", "copy", "--from", "sqlite:" + src, "--to", url, "--data-to", dst)
        check(p.returncode == 0 and "(0 new)" in p.stdout and " new)" in p.stdout
              and "verified:" in p.stdout, f"second copy: {p.returncode} {p.stdout} {p.stderr}")

        # The same desk served from PostgreSQL and the new directory.
        server, base = serve(dst, "--store", url)
        st, t2 = js(call(base, agent, "GET", f"/api/v1/tickets/{number}"))
        check(st == 200 and t2["subject"] == "Copia a PostgreSQL", f"ticket: {st} {t2}")
        st, history2 = js(call(base, agent, "GET", f"/api/v1/tickets/{number}/history"))
        check(st == 200 and history2 == history, f"history: {st} {history2} vs {history}")
        st, listed = js(call(base, agent, "GET", "/api/v1/tickets?limit=200"))
        check(sorted(x["number"] for x in listed["tickets"]) == before, "the same tickets")
        st, atts = js(call(base, agent, "GET", f"/api/v1/tickets/{number}/attachments"))
        atts = atts.get("attachments", []) if st == 200 else []
        check(len(atts) == 1, f"attachments: {st} {atts}")
        if atts:
            st, _, got = call(base, agent, "GET", f"/api/v1/attachments/{atts[0]['id']}")
            check(st == 200 and hashlib.sha256(got).digest() == hashlib.sha256(content).digest(),
                  f"attachment bytes: {st} {len(got)}")
        st, shown = js(call(base, agent, "POST", f"/api/v1/orgs/acme/profile/secrets/{secret_id}/reveal",
                            {"reason": "verificar la copia"}))
        check(st == 200 and "clave-secreta-42" in json.dumps(shown), f"reveal: {st} {shown}")
        st, hooks = js(call(base, admin, "GET", "/api/v1/webhooks"))
        check(st == 200 and "hooks.example.com" in json.dumps(hooks), f"webhooks: {st} {hooks}")
        st, found = js(call(base, agent, "GET", "/api/v1/tickets?q=ornitorrinco"))
        check(st == 200 and [x["number"] for x in found["tickets"]] == [number],
              f"search: {st} {found}")
        st, t3 = js(call(base, agent, "POST", "/api/v1/tickets", {
            "type": "incident", "criticality": "normal", "org": "acme", "subject": "Después",
            "description": "Primer ticket en PostgreSQL", "requester": "cliente@acme.example.com"}))
        check(st == 201 and t3["number"] == max(before) + 1, f"next number: {st} {t3} {max(before)}")
        stop(server)
        server = None

        # A database holding another desk: refused before anything is written.
        other = os.path.join(tmp, "other")
        check(run("init", "--data", other, env=env).returncode == 0, "init the other desk")
        p = run("org", "add", "--data", other, "--slug", "otra", "--name", "Otra S.A.", env=env)
        check(p.returncode == 0, f"org add: {p.stderr}")
        p = run("store", "copy", "--from", "sqlite:" + other, "--to", url)
        check(p.returncode != 0 and "another desk" in p.stderr and "orgs" in p.stderr,
              f"another desk: {p.returncode} {p.stderr}")
        check(psql(url, "SELECT count(*) FROM orgs WHERE slug = 'otra'") == "0", "nothing written")
        # A desk copied where the target had one of its own (the other way round).
        p = run("store", "copy", "--from", "sqlite:" + other, "--to", other_url)
        check(p.returncode == 0, f"copy the other desk: {p.stderr}")
        p = run("store", "copy", "--from", "sqlite:" + src, "--to", other_url)
        check(p.returncode != 0 and "another desk" in p.stderr, f"into the other: {p.stderr}")
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
        psql(base_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql(base_url, f"DROP DATABASE IF EXISTS {other_db} WITH (FORCE)")
    finish("store copy")


main()
