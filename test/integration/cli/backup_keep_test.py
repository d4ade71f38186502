#!/usr/bin/env python3
"""Backup retention (issue 17, part 4: the packaged timer runs `soporte backup --dir DIR --keep N`)
through the real binary: each run adds one backup named soporte-<UTC stamp>Z.db and then deletes
its own backups beyond the N newest, never another file of the directory (an operator's copy, a
near-miss name, a subdirectory); the newest backup restores. Bad combinations are refused with the
option named and change nothing.
Usage: backup_keep_test.py SOPORTE_BIN"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


OWN = re.compile(r"^soporte-\d{8}T\d{6}\.\d{6}Z\.db$")
tmp = tempfile.mkdtemp(prefix="soporte-backup-keep-")
try:
    data = os.path.join(tmp, "data")
    backups = os.path.join(tmp, "backups")
    assert run("demo", "--data", data).returncode == 0
    os.makedirs(os.path.join(backups, "soporte-20200101T000000.000000Z.db.d"))
    foreign = ["soporte-manual.db", "notes.txt", "soporte-20200101T000000Z.db",
               "soporte-20200101T000000.000000Z.db.part"]
    for name in foreign:
        with open(os.path.join(backups, name), "w") as f:
            f.write("not a soporte backup\n")

    made = []
    for i in range(4):
        r = run("backup", "--data", data, "--dir", backups, "--keep", "2")
        check(r.returncode == 0, f"backup {i} exits 0: {r.stderr}")
        m = re.search(r"backup written to (\S+)", r.stdout)
        check(m is not None, f"backup {i} says where it wrote: {r.stdout}")
        if m:
            made.append(m.group(1))
            check(OWN.match(os.path.basename(m.group(1))) is not None, f"own name shape: {m.group(1)}")
    own = sorted(n for n in os.listdir(backups) if OWN.match(n))
    check(own == sorted(os.path.basename(p) for p in made[-2:]),
          f"the two newest backups are kept: {own} vs {made}")
    for name in foreign + ["soporte-20200101T000000.000000Z.db.d"]:
        check(os.path.exists(os.path.join(backups, name)), f"{name} is left alone")
    check(oct(os.stat(made[-1]).st_mode & 0o777) == "0o600", "a backup is 0600")

    # --keep 1 prunes down to the one it just made.
    r = run("backup", "--data", data, "--dir", backups, "--keep", "1")
    check(r.returncode == 0 and r.stdout.count("deleted the old backup") == 2,
          f"--keep 1 deletes the two older ones: {r.stdout} {r.stderr}")
    own = [n for n in os.listdir(backups) if OWN.match(n)]
    check(len(own) == 1, f"one own backup left: {own}")
    # Without --keep nothing is deleted.
    r = run("backup", "--data", data, "--dir", backups)
    check(r.returncode == 0 and "deleted" not in r.stdout, f"no --keep deletes nothing: {r.stdout}")
    check(len([n for n in os.listdir(backups) if OWN.match(n)]) == 2, "two own backups now")

    # The newest restores into a fresh data directory with the key copied apart.
    fresh = os.path.join(tmp, "fresh")
    os.makedirs(fresh)
    shutil.copy(os.path.join(data, "secret.key"), os.path.join(fresh, "secret.key"))
    newest = os.path.join(backups, sorted(n for n in os.listdir(backups) if OWN.match(n))[-1])
    r = run("restore", "--from", newest, "--data", fresh)
    check(r.returncode == 0, f"the newest backup restores: {r.stdout} {r.stderr}")

    before = sorted(os.listdir(backups))
    for args, needle in [
        (["--keep", "0", "--dir", backups], "--keep"),
        (["--keep", "2", "--out", os.path.join(tmp, "x.db")], "--keep"),
        (["--out", os.path.join(tmp, "y.db"), "--dir", backups], "--dir"),
        ([], "--out"),
        (["--keep", "two", "--dir", backups], "--keep"),
    ]:
        r = run("backup", "--data", data, *args)
        check(r.returncode != 0, f"{args} is refused")
        check(needle in r.stderr, f"{args}: the error names {needle}: {r.stderr}")
    check(sorted(os.listdir(backups)) == before, "refused runs change nothing")
    check(not os.path.exists(os.path.join(tmp, "x.db")) and not os.path.exists(os.path.join(tmp, "y.db")),
          "refused runs write no file")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
