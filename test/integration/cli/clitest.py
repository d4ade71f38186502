"""What the command-line integration tests share: the binary under test (argv[1]), failures
collected by check() and reported by finish(), the binary run as a command, `soporte serve` started
on a free loopback port, and JSON calls to its API with a bearer token."""
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

BIN = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def finish(name):
    """Prints the outcome and exits 1 if any check failed."""
    print(f"{name}:", f"FAILED {len(failures)}" if failures else "ok")
    sys.exit(1 if failures else 0)


def run(*args, env=None, stdin=None, timeout=300, text=True):
    """The binary run with `args`; text=False keeps stdout's bytes (CRLF line ends intact)."""
    return subprocess.run([BIN, *args], capture_output=True, text=text, input=stdin, env=env,
                          timeout=timeout)


def serve(data, *extra):
    """Starts `soporte serve` on the data directory and a free loopback port: (process, base URL)."""
    server = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0", *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    m = re.search(r"listening on (http://\S+)", line)
    if not m:
        server.kill()
        raise RuntimeError("serve did not start: " + line + server.stderr.read())
    return server, m.group(1)


def stop(server):
    if server is not None and server.poll() is None:
        server.terminate()
        server.wait(timeout=60)


def token(data, email, name=None):
    """A new API token for a user of the data directory, made by `soporte token create`."""
    p = run("token", "create", "--data", data, "--email", email, *(["--name", name] if name else []))
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def call(base, bearer, method, path, body=None, headers=None, content_type="application/json"):
    """One API request: (status, headers, body bytes). A dict or list body is sent as JSON."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(base + path, method=method, data=data)
    req.add_header("Authorization", "Bearer " + bearer)
    if body is not None:
        req.add_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
