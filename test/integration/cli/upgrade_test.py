#!/usr/bin/env python3
"""Upgrades (issue 17, part 5) through the real binary. A data directory at the previous schema
(every migration file but the newest applied, recorded as soporte records them) stands for a
database made by the previous release: `migrate --dry-run` lists the newest migration and changes
nothing; `serve` copies the database to soporte.db.schema-OLD-before-NEW (0600, still at the old
version) before it migrates, and not with --no-backup-before-migrate (nor with
backup_before_migrate = false in the configuration file); `migrate` applies and says so. A schema
newer than the binary stops `serve` and `migrate` with a message saying so, copying nothing.
Usage: upgrade_test.py SOPORTE_BIN MIGRATIONS_DIR"""
import glob
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile

from clitest import BIN, check, finish, run

MIGRATIONS = sys.argv[2]



files = sorted(glob.glob(os.path.join(MIGRATIONS, "[0-9][0-9][0-9][0-9]_*.sql")))
NEWEST = int(os.path.basename(files[-1])[:4])
OLD = int(os.path.basename(files[-2])[:4])


def old_data_dir(path):
    """A data directory whose database has every migration but the newest."""
    os.makedirs(os.path.join(path, "blobs"), mode=0o700)
    os.chmod(path, 0o700)
    with open(os.path.join(path, "secret.key"), "wb") as f:
        f.write(os.urandom(32))
    os.chmod(os.path.join(path, "secret.key"), 0o600)
    db = sqlite3.connect(os.path.join(path, "soporte.db"), isolation_level=None)
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
               " sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT")
    for f in files[:-1]:
        text = open(f, "rb").read()
        # Python's sqlite3 cannot load soporte's own FTS5 tokenizer (registered by the binary on
        # each connection); the old schema's search tables are made with SQLite's unicode61
        # instead. This test searches nothing; the recorded checksum is the file's own.
        db.executescript(text.decode().replace("tokenize='soporte'", "tokenize='unicode61'"))
        db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?, unixepoch())",
                   (int(os.path.basename(f)[:4]), os.path.basename(f), hashlib.sha256(text).hexdigest()))
    db.execute("INSERT INTO orgs(slug, name, created_at) VALUES ('acme', 'ACME S.A.S.', 0)")
    db.close()
    os.chmod(os.path.join(path, "soporte.db"), 0o600)


def version(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]


def serve_once(args):
    """Starts serve, returns (started, stderr) after stopping it."""
    p = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--fast-password-hashing", *args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = "listening on" in p.stdout.readline()
    if started:
        p.terminate()
    _, err = p.communicate(timeout=60)
    return started, err


tmp = tempfile.mkdtemp(prefix="soporte-upgrade-")
try:
    data = os.path.join(tmp, "data")
    old_data_dir(data)
    db = os.path.join(data, "soporte.db")
    newest_name = os.path.basename(files[-1])

    p = run("migrate", "--dry-run", "--data", data)
    check(p.returncode == 0 and f"would apply {newest_name}" in p.stdout
          and f"schema version {OLD}" in p.stdout, f"dry run: {p.stdout} {p.stderr}")
    check(version(db) == OLD, "the dry run migrated")
    check(len(glob.glob(db + ".schema-*")) == 0, "the dry run copied the database")

    started, err = serve_once(["--data", data])
    copy = f"{db}.schema-{OLD}-before-{NEWEST}"
    check(started, f"serve on the old schema: {err}")
    check(os.path.exists(copy) and copy in err, f"no copy before migrating: {err}")
    if os.path.exists(copy):
        check(version(copy) == OLD, f"the copy is at version {version(copy)}")
        check(stat.S_IMODE(os.stat(copy).st_mode) == 0o600, "the copy is not 0600")
        with sqlite3.connect(copy) as c:
            check(c.execute("SELECT name FROM orgs").fetchall() == [("ACME S.A.S.",)],
                  "the copy lost the data")
    check(version(db) == NEWEST, f"serve did not migrate: {version(db)}")
    with sqlite3.connect(db) as c:
        check(c.execute("SELECT name FROM orgs").fetchall() == [("ACME S.A.S.",)],
              "the upgrade lost the data")
    p = run("migrate", "--dry-run", "--data", data)
    check(p.returncode == 0 and "nothing to migrate" in p.stdout, f"after: {p.stdout}")

    # Switched off: by option, and by the configuration file.
    for i, args in enumerate((["--no-backup-before-migrate"], ["--config", "CONF"])):
        other = os.path.join(tmp, f"off{i}")
        old_data_dir(other)
        conf = os.path.join(tmp, f"off{i}.toml")
        with open(conf, "w") as f:
            f.write("backup_before_migrate = false\n")
        started, err = serve_once(["--data", other] + [conf if a == "CONF" else a for a in args])
        check(started and version(os.path.join(other, "soporte.db")) == NEWEST, f"{args}: {err}")
        check(not glob.glob(os.path.join(other, "soporte.db.schema-*")), f"{args}: copied anyway")

    # `migrate` applies, after a copy.
    other = os.path.join(tmp, "migrate")
    old_data_dir(other)
    p = run("migrate", "--data", other)
    check(p.returncode == 0 and f"applying {newest_name}" in p.stdout
          and version(os.path.join(other, "soporte.db")) == NEWEST
          and os.path.exists(os.path.join(other, f"soporte.db.schema-{OLD}-before-{NEWEST}")),
          f"migrate: {p.stdout} {p.stderr}")

    # A schema newer than the binary: refused, with what to do, nothing copied or changed.
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 'x', 0)")
    before = sorted(os.listdir(data))
    started, err = serve_once(["--data", data])
    want = f"schema version 9999 but this soporte knows only up to {NEWEST}"
    check(not started and want in err and "newer soporte" in err, f"newer schema: {err}")
    p = run("migrate", "--dry-run", "--data", data)
    check(p.returncode != 0 and want in p.stderr, f"migrate on a newer schema: {p.stderr}")
    check(sorted(os.listdir(data)) == before, f"files changed: {before} → {os.listdir(data)}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("upgrade_test")
