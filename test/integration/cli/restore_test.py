#!/usr/bin/env python3
"""Backups restored (issue 17, part 4) through the real binary: `soporte backup` taken while a real
server takes tickets with attachments through the API, the blob store copied after it, then
`soporte restore` into a new data directory (with the key copied apart) and `soporte serve` on it:
every ticket acknowledged (201) before the backup started is there with its attachment, byte for
byte. Restore refuses, changing nothing, a corrupt backup, a backup with a schema newer than the
binary, a wrong key and a running server; the backup and the restored database are 0600, and the
replaced database is kept as soporte.db.before-restore.
Usage: restore_test.py SOPORTE_BIN"""
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
import time

import clitest
from clitest import check, finish, run, stop


def start(data):
    return clitest.serve(data, "--fast-password-hashing")


def call(base, bearer, method, path, body=None, content_type="application/json"):
    status, _, got = clitest.call(base, bearer, method, path, body, content_type=content_type)
    return status, got


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


tmp = tempfile.mkdtemp(prefix="soporte-restore-")
server = None
try:
    old = os.path.join(tmp, "old")
    assert run("demo", "--data", old).returncode == 0
    token = clitest.token(old, "agente@example.com")
    server, base = start(old)

    acknowledged = []  # (time acknowledged, number, attachment bytes)
    done = threading.Event()

    def writer(worker):
        i = 0
        while not done.is_set():
            i += 1
            st, body = call(base, token, "POST", "/api/v1/tickets", {
                "type": "incident", "criticality": "normal", "org": "acme",
                "subject": f"Carga {worker}-{i}", "description": "Bajo carga",
                "requester": "cliente@acme.example.com"})
            if st != 201:
                check(False, f"create under load: {st} {body[:200]}")
                return
            number = json.loads(body)["number"]
            content = f"adjunto {worker}-{i} ".encode() * 50
            boundary = "frontera"
            multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                         f"filename=\"log-{worker}-{i}.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                         ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
            st, body = call(base, token, "POST", f"/api/v1/tickets/{number}/attachments", multipart,
                            "multipart/form-data; boundary=" + boundary)
            if st != 201:
                check(False, f"attach under load: {st} {body[:200]}")
                return
            acknowledged.append((time.monotonic(), number, content))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    while len(acknowledged) < 20 and all(t.is_alive() for t in threads):
        time.sleep(0.05)  # waiting for load to build up, not for time to pass
    backup = os.path.join(tmp, "backup.db")
    before_backup = time.monotonic()
    # The blobs after the database (--blobs): every blob a row of the backup names was written
    # before it. Uploads in progress (blobs/tmp/, files that come and go) are left out.
    p = run("backup", "--data", old, "--out", backup, "--blobs", os.path.join(tmp, "blobs-copy"))
    check(p.returncode == 0, f"backup under load: {p.stderr}")
    check("attachments: " in p.stdout and " copied to " in p.stdout, f"backup says: {p.stdout}")
    check(not os.path.exists(os.path.join(tmp, "blobs-copy", "tmp")), "uploads in progress copied")
    while len(acknowledged) < 60 and all(t.is_alive() for t in threads):
        time.sleep(0.05)  # more writes after the backup (they must not matter)
    done.set()
    for t in threads:
        t.join()
    check(mode(backup) == 0o600, f"backup mode {oct(mode(backup))}")

    # A running server: restore refuses and changes nothing.
    p = run("restore", "--from", backup, "--data", old)
    check(p.returncode != 0 and "in use" in p.stderr, f"restore beside a running server: {p.stderr}")
    check(not os.path.exists(os.path.join(old, "soporte.db.before-restore")), "kept a copy anyway")
    stop(server)
    server = None

    # A new data directory: the key copied apart, the blobs from their copy, then restore.
    new = os.path.join(tmp, "new")
    os.mkdir(new, 0o700)
    shutil.copy2(os.path.join(old, "secret.key"), os.path.join(new, "secret.key"))
    shutil.copytree(os.path.join(tmp, "blobs-copy"), os.path.join(new, "blobs"))
    p = run("restore", "--from", backup, "--data", new)
    check(p.returncode == 0, f"restore: {p.stderr}")
    check(mode(os.path.join(new, "soporte.db")) == 0o600, "restored database mode")

    server, base = start(new)
    before = [a for a in acknowledged if a[0] < before_backup]
    check(len(before) >= 20, f"only {len(before)} tickets acknowledged before the backup")
    for _, number, content in before:
        st, body = call(base, token, "GET", f"/api/v1/tickets/{number}")
        check(st == 200, f"ticket {number} missing after restore: {st}")
        st, body = call(base, token, "GET", f"/api/v1/tickets/{number}/attachments")
        atts = json.loads(body).get("attachments", []) if st == 200 else []
        check(len(atts) == 1, f"ticket {number}: attachments {st} {body[:200]}")
        if atts:
            st, got = call(base, token, "GET", f"/api/v1/attachments/{atts[0]['id']}")
            check(st == 200 and hashlib.sha256(got).digest() == hashlib.sha256(content).digest(),
                  f"ticket {number}: attachment {st}, {len(got)} bytes")
    stop(server)
    server = None

    # Refusals change nothing in the target directory.
    def unchanged_after(args, needle, what):
        db = os.path.join(new, "soporte.db")
        digest = hashlib.sha256(open(db, "rb").read()).hexdigest()
        p = run("restore", *args)
        check(p.returncode != 0 and needle in p.stderr, f"{what}: exit {p.returncode} {p.stderr!r}")
        check(hashlib.sha256(open(db, "rb").read()).hexdigest() == digest, f"{what}: database changed")
        check(not os.path.exists(db + ".restoring"), f"{what}: left the copy behind")

    corrupt = os.path.join(tmp, "corrupt.db")
    raw = bytearray(open(backup, "rb").read())
    for off in range(8192, len(raw) - 4096, 4096):  # scribble over pages past the header
        raw[off + 100:off + 400] = b"\xff" * 300
    open(corrupt, "wb").write(raw)
    unchanged_after(["--from", corrupt, "--data", new], "integrity", "corrupt backup")
    unchanged_after(["--from", os.path.join(tmp, "missing.db"), "--data", new], "does not exist",
                    "missing backup")
    newer = os.path.join(tmp, "newer.db")
    shutil.copy(backup, newer)
    with sqlite3.connect(newer) as db:
        db.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'x', 0)")
    unchanged_after(["--from", newer, "--data", new], "schema version 9999", "newer schema")
    other_key = os.path.join(tmp, "other.key")
    with open(other_key, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(other_key, 0o600)
    unchanged_after(["--from", backup, "--data", new, "--secret-key", other_key], "sealed under key",
                    "wrong key")

    # A second restore keeps the replaced database.
    p = run("restore", "--from", backup, "--data", new)
    check(p.returncode == 0 and os.path.exists(os.path.join(new, "soporte.db.before-restore")),
          f"second restore: {p.stdout} {p.stderr}")
finally:
    if server is not None:
        stop(server)
    shutil.rmtree(tmp, ignore_errors=True)

finish("restore_test")
