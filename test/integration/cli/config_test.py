#!/usr/bin/env python3
"""The configuration file of `soporte serve` (issue 17, part 1) through the real binary:
the packaged packaging/soporte.toml loads and names every option `serve` has; `serve` started from
a file takes its options (the contact phone shows in GET /api/v1/settings); the environment wins
over the file and the command line over both; an unknown key, a wrong type and a bad value stop it
at start naming the file, the line and the key; secrets read from a file are masked by
`config check`; a world-readable secret file is refused.
Usage: config_test.py SOPORTE_BIN PACKAGED_TOML"""
import json
import os
import re
import subprocess
import sys
import tempfile
import shutil
import urllib.request

from clitest import BIN, check, finish, run

PACKAGED = sys.argv[2]



def serve_settings(args, env=None):
    """Starts serve with `args`, returns (phone shown by GET /api/v1/settings, stderr if it failed)."""
    server = subprocess.Popen([BIN, "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env or os.environ)
    try:
        line = server.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            server.wait(timeout=60)
            return None, server.stderr.read()
        req = urllib.request.Request(m.group(1) + "/api/v1/settings")
        req.add_header("Authorization", "Bearer " + TOKEN)
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())["phone"], ""
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=60)


tmp = tempfile.mkdtemp(prefix="soporte-config-")
try:
    data = os.path.join(tmp, "data")
    assert run("init", "--data", data).returncode == 0
    p = run("user", "add", "--data", data, "--email", "admin@example.com", "--name", "Admin",
            "--role", "admin")
    assert p.returncode == 0, p.stderr
    TOKEN = run("token", "create", "--data", data, "--email", "admin@example.com").stdout.strip()

    # The packaged file loads, and names every key serve has (commented or not).
    p = run("config", "check", "--config", PACKAGED)
    check(p.returncode == 0, f"packaged configuration: {p.stderr}")
    keys = re.findall(r"^(\w+) = ", p.stdout, re.M)
    # A flag that is on by default says so (it printed false while serve took it as true).
    check(re.search(r"^backup_before_migrate = true  # ", p.stdout, re.M),
          f"backup_before_migrate's default: {p.stdout}")
    check(len(keys) > 30 and "smtp_url" in keys and "listen" in keys, f"keys printed: {keys}")
    packaged = open(PACKAGED).read()
    for key in keys:
        check(re.search(r"^#? ?" + key + r" = ", packaged, re.M),
              f"{key} is missing from {PACKAGED}")

    # What config check prints is itself a configuration that loads to the same values.
    printed = os.path.join(tmp, "printed.toml")
    with open(printed, "w") as f:
        f.write(p.stdout)
    again = run("config", "check", "--config", printed)
    strip = lambda text: [l.split("  # ")[0] for l in text.splitlines() if not l.startswith("#")]
    check(again.returncode == 0 and strip(again.stdout) == strip(p.stdout),
          f"the printed configuration does not load back: {again.stderr}")

    def write(name, text, mode=0o600):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    conf = write("soporte.toml", f'data = "{data}"\nlisten = "127.0.0.1:0"\n'
                                 'fast_password_hashing = true\nsupport_phone = "+57 601 111"\n')
    phone, err = serve_settings(["--config", conf])
    check(phone == "+57 601 111", f"serve from the file: phone {phone!r} {err}")

    env = dict(os.environ, SOPORTE_SUPPORT_PHONE="+57 601 222")
    phone, err = serve_settings(["--config", conf], env)
    check(phone == "+57 601 222", f"environment over file: phone {phone!r} {err}")
    phone, err = serve_settings(["--config", conf, "--support-phone", "+57 601 333"], env)
    check(phone == "+57 601 333", f"command line over environment: phone {phone!r} {err}")
    env = dict(os.environ, SOPORTE_CONFIG=conf)
    phone, err = serve_settings([], env)
    check(phone == "+57 601 111", f"SOPORTE_CONFIG names the file: phone {phone!r} {err}")

    # The connection caps (issue 13, part 5): keys, environment variables, printed by config check.
    caps = write("caps.toml", f'data = "{data}"\nmax_connections = 20000\n')
    env = dict(os.environ, SOPORTE_MAX_CONNECTIONS_PER_ADDRESS="64")
    p = run("config", "check", "--config", caps, env=env)
    check(p.returncode == 0, f"connection caps: {p.stderr}")
    check(re.search(r"^max_connections = 20000  # .*caps.toml:2$", p.stdout, re.M),
          f"max_connections from the file: {p.stdout}")
    check(re.search(r"^max_connections_per_address = 64  # environment "
                    r"SOPORTE_MAX_CONNECTIONS_PER_ADDRESS$", p.stdout, re.M),
          f"max_connections_per_address from the environment: {p.stdout}")
    p = run("config", "check", "--config", PACKAGED)
    check(re.search(r"^max_connections = 16384  # default$", p.stdout, re.M) and
          re.search(r"^max_connections_per_address = 256  # default$", p.stdout, re.M),
          f"the caps' defaults: {p.stdout}")
    env = dict(os.environ, SOPORTE_MAX_CONNECTIONS_PER_ADDRESS="30000")
    p = run("config", "check", "--config", caps, env=env)
    check(p.returncode == 2 and "--max-connections-per-address must be between 1 and "
          "--max-connections (20000), not 30000 (environment SOPORTE_MAX_CONNECTIONS_PER_ADDRESS: "
          "max_connections_per_address)" in p.stderr, f"per-address over the total: {p.stderr!r}")
    p = run("serve", "--data", data, "--listen", "127.0.0.1:0", "--max-connections", "0")
    check(p.returncode == 2 and "--max-connections must be between 1 and 1000000, not 0" in p.stderr,
          f"--max-connections 0: exit {p.returncode} {p.stderr!r}")

    # Refused at start, naming file, line and key (line 1 of each file is `data`).
    for text, needle in (
            ('listen = "127.0.0.1:0"\nsuport_phone = "x"\n', ":3: suport_phone: unknown key"),
            ('listen = "127.0.0.1:0"\n\nthreads = "4"\n', ":4: threads: expected an integer, got a string"),
            ('sla_warning_percent = 150\n', "(" + os.path.join(tmp, "bad.toml") + ":2: sla_warning_percent)"),
            ('max_connections = 2000000\n', "--max-connections must be between 1 and 1000000, not "
             "2000000 (" + os.path.join(tmp, "bad.toml") + ":2: max_connections)"),
            ('max_connections = "lots"\n', ":2: max_connections: expected an integer, got a string"),
            ('listen = "127.0.0.1:0"\nsecure_cookies = "yes"\n', ":3: secure_cookies: expected true or false"),
            ('listen = [\n', "bad.toml:2:")):
        bad = write("bad.toml", f'data = "{data}"\n' + text)
        p = run("serve", "--config", bad)
        check(p.returncode == 2 and bad in p.stderr and needle in p.stderr,
              f"{text!r}: exit {p.returncode}, stderr {p.stderr!r}, want {needle!r}")

    # Secrets from files: masked by config check; a world-readable one is refused.
    smtp = write("smtp-url", "smtp://soporte:Hush-Hush-42@127.0.0.1:25\n", 0o640)
    imap = write("imap-urls", "imap://agente:Otra-Clave-7@127.0.0.1:143/INBOX\n")
    conf2 = write("secrets.toml", f'data = "{data}"\nsmtp_url_file = "{smtp}"\n'
                                  f'imap_url_file = "{imap}"\n')
    p = run("config", "check", "--config", conf2)
    check(p.returncode == 0, f"config check with secret files: {p.stderr}")
    check("Hush-Hush-42" not in p.stdout and "Otra-Clave-7" not in p.stdout,
          f"a secret printed: {p.stdout}")
    check('smtp_url = "smtp://soporte:****@127.0.0.1:25"' in p.stdout, p.stdout)
    check('imap_url = ["imap://agente:****@127.0.0.1:143/INBOX"]' in p.stdout, p.stdout)
    os.chmod(smtp, 0o644)
    p = run("config", "check", "--config", conf2)
    check(p.returncode == 2 and "readable by every user" in p.stderr and ":2: smtp_url_file" in p.stderr,
          f"world-readable secret: exit {p.returncode} {p.stderr!r}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("config_test")
