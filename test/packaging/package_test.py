#!/usr/bin/env python3
"""The Debian package (issue 17, part 2; README "Production" steps 1, 2, 5 and 6), checked as built:
lintian finds no error; the package holds the binary, the conffiles, the units, the Postfix
wrapper and the nginx site, with dependencies from dpkg-shlibdeps; `systemd-analyze verify`
accepts the units (without a single complaint) and they carry the hardening; then, in a temporary
root made by `dpkg-deb -x`, the commands of the units themselves (their ExecStartPre/ExecStart
lines, paths moved into the root) run the packaged binary on the packaged configuration: first
start initialises the data, serve answers /healthz, the backup service's commands keep
SOPORTE_BACKUP_KEEP copies and the attachments, the newest backup restores, and the Postfix pipe
wrapper stores a message read from standard input (exit 75 when the configuration is broken).
Exit 77 (skipped, with the reason) when lintian, dpkg-deb or systemd-analyze is missing, or when
no package was built and SOPORTE_REQUIRE_PACKAGE is unset.
Usage: package_test.py DEB_OR_BUILD_DIR (or SOPORTE_DEB=FILE)"""
import glob
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.request

SKIP = 77
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def skip(why):
    print("SKIPPED:", why)
    sys.exit(SKIP)


for tool in ("lintian", "dpkg-deb", "systemd-analyze"):
    if shutil.which(tool) is None:
        skip(f"{tool} is not installed (apt-get install lintian dpkg systemd; .ci/run installs them)")

where = os.environ.get("SOPORTE_DEB") or sys.argv[1]
debs = [where] if where.endswith(".deb") else sorted(glob.glob(os.path.join(where, "soporte_*_amd64.deb")))
if not debs or not os.path.exists(debs[-1]):
    msg = (f"no soporte_*_amd64.deb in {where}: build it with `cmake --preset release && "
           "cmake --build build/release --target soporte && (cd build/release && cpack -G DEB)`")
    if os.environ.get("SOPORTE_REQUIRE_PACKAGE"):
        print("FAIL:", msg)
        sys.exit(1)
    skip(msg)
DEB = debs[-1]
print("package:", DEB)
check(re.fullmatch(r"soporte_\d+\.\d+\.\d+_amd64\.deb", os.path.basename(DEB)) is not None,
      f"the file name is soporte_<version>_amd64.deb: {DEB}")


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run(cmd, **kw)


# ---- lintian: no error (warnings are printed for whoever reads the log)
lint = run(["lintian", "--no-tag-display-limit", DEB])
print(lint.stdout, end="")
errors = [l for l in lint.stdout.splitlines() if l.startswith("E:")]
check(not errors, f"lintian reports no error: {errors}")
check(lint.returncode == 0 or not errors, f"lintian ran: {lint.stderr}")

# ---- what the package holds
info = run(["dpkg-deb", "-f", DEB, "Depends"]).stdout
for lib in ("libc6", "libsqlite3-0", "libsodium23", "libgmime-3.0-0", "libcurl4", "adduser"):
    check(lib in info, f"Depends names {lib} (dpkg-shlibdeps): {info}")
ctrl = tempfile.mkdtemp(prefix="soporte-deb-ctrl-")
root = tempfile.mkdtemp(prefix="soporte-deb-root-")
server = None
try:
    run(["dpkg-deb", "-e", DEB, ctrl])
    listed = open(os.path.join(ctrl, "conffiles")).read().split()
    check("/etc/soporte/soporte.toml" in listed and "/etc/default/soporte-backup" in listed,
          f"the configuration files are conffiles: {listed}")
    postinst = open(os.path.join(ctrl, "postinst")).read()
    check(re.search(r"adduser --system .*soporte", postinst, re.S) is not None,
          "postinst creates the soporte system user")

    x = run(["dpkg-deb", "-x", DEB, root])
    check(x.returncode == 0, f"dpkg-deb -x: {x.stderr}")
    R = lambda p: os.path.join(root, p.lstrip("/"))
    for path in ("/usr/bin/soporte", "/etc/soporte/soporte.toml", "/etc/default/soporte-backup",
                 "/lib/systemd/system/soporte.service", "/lib/systemd/system/soporte-backup.service",
                 "/lib/systemd/system/soporte-backup.timer", "/usr/libexec/soporte/postfix-pipe",
                 "/usr/share/soporte/nginx/soporte.conf", "/usr/share/doc/soporte/copyright"):
        check(os.path.exists(R(path)), f"the package holds {path}")
    check(os.access(R("/usr/bin/soporte"), os.X_OK) and os.access(R("/usr/libexec/soporte/postfix-pipe"), os.X_OK),
          "the binary and the wrapper are executable")
    ldd = run(["ldd", R("/usr/bin/soporte")]).stdout
    check("not found" not in ldd, f"every library the binary needs is installed: {ldd}")

    # ---- the units: systemd-analyze verify in a root holding what they name
    units = [R("/lib/systemd/system/" + u) for u in ("soporte.service", "soporte-backup.service", "soporte-backup.timer")]
    vroot = tempfile.mkdtemp(prefix="soporte-verify-", dir=root)
    shutil.copytree(root + "/usr", vroot + "/usr", symlinks=True)
    shutil.copytree(root + "/lib", vroot + "/lib", symlinks=True)
    shutil.copytree("/lib/systemd/system", vroot + "/lib/systemd/system", symlinks=True, dirs_exist_ok=True)
    os.makedirs(vroot + "/bin")
    for tool in ("/bin/sh", "/bin/cp"):
        shutil.copy(tool, vroot + tool)
    v = run(["systemd-analyze", "verify", "--root=" + vroot,
             *[vroot + "/lib/systemd/system/" + os.path.basename(u) for u in units]])
    check(v.returncode == 0 and not v.stdout.strip() and not v.stderr.strip(),
          f"systemd-analyze verify accepts the units without a complaint: {v.stdout}{v.stderr}")
    service = open(units[0]).read()
    for line in ("User=soporte", "StateDirectory=soporte", "ProtectSystem=strict", "ProtectHome=yes",
                 "NoNewPrivileges=yes", "PrivateTmp=yes", "PrivateDevices=yes", "CapabilityBoundingSet=\n",
                 "RestrictAddressFamilies=", "SystemCallFilter=@system-service", "Restart=on-failure",
                 "LimitNOFILE=65536\n",
                 "ExecStart=/usr/bin/soporte serve --config /etc/soporte/soporte.toml"):
        check(line in service, f"soporte.service has {line.strip()}")
    backup_unit = open(units[1]).read()
    check("ProtectSystem=strict" in backup_unit and "User=soporte" in backup_unit,
          "the backup service is hardened and runs as soporte")
    check("OnCalendar=" in open(units[2]).read(), "the timer has a calendar")

    # ---- the units' own commands in the temporary root
    def moved(text):
        for path in ("/usr/bin/soporte", "/etc/soporte", "/var/lib/soporte", "/var/backups/soporte"):
            text = text.replace(path, R(path))
        return text

    def exec_lines(unit, key):
        return [moved(m) for m in re.findall(rf"^{key}=(.*)$", unit, re.M)]

    config = R("/etc/soporte/soporte.toml")
    text = open(config).read()
    check('data = "/var/lib/soporte"' in text, "the packaged configuration keeps data in the StateDirectory")
    # The listening port: a free one instead of 8080 (other servers share this machine).
    text = moved(text).replace('listen = "127.0.0.1:8080"', 'listen = "127.0.0.1:0"')
    check('listen = "127.0.0.1:0"' in text, "the packaged configuration listens on 127.0.0.1:8080")
    open(config, "w").write(text)
    os.makedirs(R("/var/lib/soporte"), mode=0o700)  # StateDirectory=
    os.makedirs(R("/var/backups/soporte"), mode=0o700)  # postinst

    for cmd in exec_lines(service, "ExecStartPre"):
        r = run(shlex.split(cmd))
        check(r.returncode == 0, f"ExecStartPre `{cmd}`: {r.stdout}{r.stderr}")
    check(os.path.exists(R("/var/lib/soporte/soporte.db")), "the first start initialised the data")
    for cmd in exec_lines(service, "ExecStartPre"):
        r = run(shlex.split(cmd))
        check(r.returncode == 0, f"ExecStartPre again (a restart) changes nothing: {r.stderr}")
    [start] = exec_lines(service, "ExecStart")
    server = subprocess.Popen(shlex.split(start), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    m = re.search(r"listening on (http://\S+)", line)
    check(m is not None, f"the packaged server starts: {line}")
    if m:
        with urllib.request.urlopen(m.group(1) + "/healthz", timeout=30) as resp:
            check(resp.status == 200, f"/healthz answers 200: {resp.status}")
        with urllib.request.urlopen(m.group(1) + "/", timeout=30) as resp:
            check(resp.status == 200 and b"<html" in resp.read().lower(), "the packaged binary serves the web UI")
    # An attachment in the blob store (as an upload leaves it: named by its SHA-256) for the
    # backup to copy, and an upload in progress (blobs/tmp/) it must leave out.
    content = b"attachment\n"
    sha = hashlib.sha256(content).hexdigest()
    blob_rel = f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"
    blob = R("/var/lib/soporte/" + blob_rel)
    os.makedirs(os.path.dirname(blob), exist_ok=True)
    open(blob, "wb").write(content)
    os.makedirs(R("/var/lib/soporte/blobs/tmp"), exist_ok=True)
    open(R("/var/lib/soporte/blobs/tmp/upload-abc123"), "wb").write(b"half an upl")

    # ---- soporte-backup.service's commands, with the packaged default file's keep of 2
    default = open(R("/etc/default/soporte-backup")).read()
    check(re.search(r"^SOPORTE_BACKUP_KEEP=\d+$", default, re.M) is not None,
          "/etc/default/soporte-backup sets SOPORTE_BACKUP_KEEP")
    for _ in range(3):
        for cmd in exec_lines(backup_unit, "ExecStart"):
            r = run(shlex.split(cmd.replace("${SOPORTE_BACKUP_KEEP}", "2")))
            check(r.returncode == 0, f"backup `{cmd}` while serving: {r.stdout}{r.stderr}")
    own = sorted(n for n in os.listdir(R("/var/backups/soporte")) if n.endswith("Z.db"))
    check(len(own) == 2, f"the backup keeps 2 copies: {own}")
    copied = R("/var/backups/soporte/" + blob_rel)
    check(os.path.exists(copied) and open(copied, "rb").read() == content,
          "the backup copies the attachments")
    check(not os.path.exists(R("/var/backups/soporte/blobs/tmp")), "uploads in progress are left out")

    # ---- Postfix's pipe(8) wrapper: one message on standard input into the desk
    env = dict(os.environ, SOPORTE_BIN=R("/usr/bin/soporte"), SOPORTE_CONFIG=config)
    message = ("From: Cliente Nuevo <nuevo@cliente.example>\r\nTo: soporte@example.com\r\n"
               "Subject: No arranca el servicio\r\nMessage-ID: <pipe-1@cliente.example>\r\n"
               "Date: Mon, 07 Dec 2026 01:00:00 +0000\r\n\r\nBuenos dias, no arranca.\r\n")
    r = run([R("/usr/libexec/soporte/postfix-pipe")], input=message, env=env)
    check(r.returncode == 0 and re.fullmatch(r"(unassigned )?\d+\n", r.stdout) is not None,
          f"the wrapper stores the message: {r.returncode} {r.stdout} {r.stderr}")
    bad = os.path.join(root, "bad.toml")
    open(bad, "w").write('data = "/nowhere"\nno_such_key = 1\n')
    r = run([R("/usr/libexec/soporte/postfix-pipe")], input=message,
            env=dict(env, SOPORTE_CONFIG=bad))
    check(r.returncode == 75 and "no_such_key" in r.stderr,
          f"a broken configuration is a temporary failure (Postfix retries): {r.returncode} {r.stderr}")

    server.terminate()
    server.wait(timeout=60)
    server = None

    # ---- restore the newest backup into a new data directory (README "Backup and restore")
    fresh = os.path.join(root, "fresh")
    os.makedirs(fresh, mode=0o700)
    shutil.copy(R("/var/lib/soporte/secret.key"), fresh)
    r = run([R("/usr/bin/soporte"), "restore", "--from", os.path.join(R("/var/backups/soporte"), own[-1]),
             "--data", fresh])
    check(r.returncode == 0, f"the newest backup restores: {r.stdout}{r.stderr}")
finally:
    if server is not None:
        server.kill()
        server.wait()
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(ctrl, ignore_errors=True)

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
