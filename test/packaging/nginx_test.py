#!/usr/bin/env python3
"""TLS behind nginx (issue 17, part 3; README "Production" step 4): packaging/nginx/soporte.conf,
run by Debian's nginx on loopback (ports 37443/37080, or SOPORTE_NGINX_HTTPS_PORT/_HTTP_PORT) with
a certificate from a CA this test makes, in front of the real `soporte serve --trusted-proxy
127.0.0.1/32`. curl verifies the certificate (--cacert) and connects from 127.0.0.2, so the client
address differs from the proxy's: plain HTTP redirects to HTTPS; HSTS is sent; login with a
password; the live queue's event stream receives the event of a ticket created after it opened;
a 100 MB attachment is uploaded and stored byte for byte; the chat WebSocket upgrade answers 101;
soporte's access log names the client 127.0.0.2 (from X-Forwarded-For), also when the client
forges its own X-Forwarded-For. Exit 77 (skipped, with the reason) without nginx, openssl or curl.
Usage: nginx_test.py SOPORTE_BIN SITE_CONF"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
BIN, SITE = sys.argv[1], sys.argv[2]
HTTPS = int(os.environ.get("SOPORTE_NGINX_HTTPS_PORT", "37443"))
HTTP = int(os.environ.get("SOPORTE_NGINX_HTTP_PORT", "37080"))
NAME = "soporte.example.com"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


for tool in ("nginx", "openssl", "curl"):
    if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool):
        print(f"SKIPPED: {tool} is not installed (apt-get install nginx openssl curl; .ci/run installs them)")
        sys.exit(SKIP)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run(cmd, **kw)


tmp = tempfile.mkdtemp(prefix="soporte-nginx-")
BASE = f"https://{NAME}:{HTTPS}"


def curl(*args, **kw):
    return run(["curl", "-sS", "--cacert", f"{tmp}/ca.pem", "--interface", "127.0.0.2",
                "--resolve", f"{NAME}:{HTTPS}:127.0.0.1", "--resolve", f"{NAME}:{HTTP}:127.0.0.1",
                "-b", f"{tmp}/cookies", "-c", f"{tmp}/cookies", *args], **kw)


procs = []
try:
    # ---- a CA and a server certificate it signs (the name and 127.0.0.1)
    ossl = lambda *a: run(["openssl", *a], cwd=tmp)
    ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=soporte test CA",
         "-keyout", "ca.key", "-out", "ca.pem")
    ossl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={NAME}", "-keyout", "server.key",
         "-out", "server.csr")
    with open(f"{tmp}/san.ext", "w") as f:
        f.write(f"subjectAltName=DNS:{NAME},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    r = ossl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", "2", "-extfile", "san.ext", "-out", "server.pem")
    assert r.returncode == 0, r.stderr

    # ---- soporte behind the proxy it trusts
    data = f"{tmp}/data"
    demo = run([BIN, "demo", "--data", data])
    assert demo.returncode == 0, demo.stderr
    password = re.search(r"agent\s+agente@example.com\s+(\S+)", demo.stdout).group(1)
    log = open(f"{tmp}/soporte.log", "w")
    server = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0", "--trusted-proxy",
                               "127.0.0.1/32", "--secure-cookies", "--access-log", "--fast-password-hashing"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    procs.append(server)
    first = server.stdout.readline()
    upstream = re.search(r"listening on http://(\S+)", first).group(1)
    access_lines = []

    def drain():
        for line in server.stdout:
            access_lines.append(line)

    import threading
    threading.Thread(target=drain, daemon=True).start()

    # ---- nginx running the packaged site, ports and paths moved into this test
    site = open(SITE).read()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{HTTP};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{HTTPS} ssl http2;")
    site = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", site, flags=re.M)
    site = site.replace("server 127.0.0.1:8080;", f"server {upstream};")
    site = site.replace("/etc/ssl/certs/soporte.example.com.pem", f"{tmp}/server.pem")
    site = site.replace("/etc/ssl/private/soporte.example.com.key", f"{tmp}/server.key")
    site = site.replace("return 301 https://$host$request_uri;", f"return 301 https://$host:{HTTPS}$request_uri;")
    check(upstream in site and f"{tmp}/server.pem" in site, "the site file has the lines this test adjusts")
    with open(f"{tmp}/site.conf", "w") as f:
        f.write(site)
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(f"{tmp}/{d}")
    user = "user root;\n" if os.geteuid() == 0 else ""  # root-less otherwise
    with open(f"{tmp}/nginx.conf", "w") as f:
        f.write(f"""{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    t = run([NGINX, "-t", "-p", tmp, "-c", f"{tmp}/nginx.conf"])
    check(t.returncode == 0, f"nginx -t accepts the site: {t.stderr}")
    nginx = subprocess.Popen([NGINX, "-p", tmp, "-c", f"{tmp}/nginx.conf"], stderr=subprocess.PIPE, text=True)
    procs.append(nginx)
    for _ in range(100):
        if curl("-o", "/dev/null", f"{BASE}/healthz").returncode == 0:
            break
        time.sleep(0.1)

    # ---- TLS verified, HSTS, the plain-HTTP redirect
    r = curl("-D", "-", "-o", "/dev/null", f"{BASE}/healthz")
    check(r.returncode == 0 and re.search(r"^HTTP/\S+ 200", r.stdout, re.M), f"/healthz over verified TLS: {r.stdout}{r.stderr}")
    check(re.search(r"^strict-transport-security: max-age=\d+", r.stdout, re.M | re.I), f"HSTS: {r.stdout}")
    r = curl("-D", "-", "-o", "/dev/null", f"http://{NAME}:{HTTP}/healthz")
    check(re.search(rf"^location: https://{NAME}:{HTTPS}/healthz", r.stdout, re.M | re.I), f"HTTP redirects to HTTPS: {r.stdout}")
    r = run(["curl", "-sS", "-o", "/dev/null", "--resolve", f"{NAME}:{HTTPS}:127.0.0.1", f"{BASE}/healthz"])
    check(r.returncode != 0, "curl without the test CA refuses the certificate")

    # ---- login (a client-forged X-Forwarded-For must not reach the log)
    r = curl("-H", "Content-Type: application/json", "-H", "X-Forwarded-For: 203.0.113.9",
             "--data", json.dumps({"email": "agente@example.com", "password": password}), f"{BASE}/api/v1/session")
    csrf = json.loads(r.stdout or "{}").get("csrf_token", "")
    check(r.returncode == 0 and csrf, f"login through nginx: {r.stdout}{r.stderr}")
    cookies = open(f"{tmp}/cookies").read()
    check(re.search(r"#HttpOnly_\S+\s+\S+\s+/\S*\s+TRUE\s+\d+\s+soporte_session", cookies) is not None,
          f"the session cookie is Secure: {cookies}")
    writes = ["-H", f"X-CSRF-Token: {csrf}", "-H", "Content-Type: application/json"]

    # ---- the live queue's event stream through nginx
    events = subprocess.Popen(["curl", "-sS", "-N", "--cacert", f"{tmp}/ca.pem", "--interface", "127.0.0.2",
                               "--resolve", f"{NAME}:{HTTPS}:127.0.0.1", "-b", f"{tmp}/cookies",
                               f"{BASE}/api/v1/events"], stdout=subprocess.PIPE, text=True)
    procs.append(events)
    time.sleep(1.0)
    r = curl(*writes, "--data", json.dumps({"type": "incident", "criticality": "normal", "org": "acme",
                                            "subject": "Detrás de nginx", "description": "Por TLS",
                                            "requester": "cliente@acme.example.com"}), f"{BASE}/api/v1/tickets")
    number = json.loads(r.stdout or "{}").get("number")
    check(number is not None, f"a ticket is created through nginx: {r.stdout}")
    got = []

    def read_events():
        for line in events.stdout:
            got.append(line)
            if line.startswith("data:") and f'"number":{number}' in line.replace(" ", ""):
                return

    reader = threading.Thread(target=read_events, daemon=True)
    reader.start()
    reader.join(timeout=10)
    check(any(l.startswith("data:") and f'"number":{number}' in l.replace(" ", "") for l in got),
          f"the event stream delivers the new ticket's event within 10 s: {got}")
    events.kill()

    # ---- a 100 MB attachment, streamed through
    big = f"{tmp}/big.txt"
    line = b"registro de la aplicacion: todo en orden por ahora, seguimos observando\n"
    with open(big, "wb") as f:
        left = 100 * 1000 * 1000
        while left > 0:
            chunk = (line * 20000)[:left]
            f.write(chunk)
            left -= len(chunk)
    digest = hashlib.sha256(open(big, "rb").read()).hexdigest()
    started = time.monotonic()
    r = curl(*writes[:2], "-F", f"file=@{big};filename=registro.txt;type=text/plain", "-w", "\n%{http_code}",
             f"{BASE}/api/v1/tickets/{number}/attachments")
    took = time.monotonic() - started
    body, _, status = r.stdout.rpartition("\n")
    check(status == "201", f"the 100 MB upload through nginx is stored: {status} {body[:300]} {r.stderr}")
    if status == "201":
        att = json.loads(body)["attachments"][0]
        check(att["size"] == 100 * 1000 * 1000 and att["sha256"] == digest, f"byte for byte: {att}")
    print(f"100 MB upload through nginx: {took:.1f} s")

    def ws_body():
        return open(f"{tmp}/ws.body").read()[:300] if os.path.exists(f"{tmp}/ws.body") else ""

    # ---- the chat WebSocket upgrade answers 101 through nginx (HTTP/1.1)
    r = curl("--http1.1", "-D", "-", "-o", f"{tmp}/ws.body", "--max-time", "3",
             "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
             "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "-H", f"Origin: {BASE}", f"{BASE}/chat/ws")
    check(re.search(r"^HTTP/1.1 101", r.stdout, re.M) is not None, f"/chat/ws upgrades: {r.stdout}{r.stderr}{ws_body()}")
    check(re.search(r"^sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=", r.stdout, re.M | re.I) is not None,
          f"the upgrade's accept key: {r.stdout}")

    # ---- soporte saw the client's address (127.0.0.2), never the forged one or the proxy's
    time.sleep(0.5)
    session_lines = [l for l in access_lines if "route=/api/v1/session" in l]
    check(session_lines and all("client=127.0.0.2" in l for l in session_lines),
          f"the access log names the client from X-Forwarded-For: {session_lines}")
    check(not any("203.0.113.9" in l for l in access_lines), "a forged X-Forwarded-For never reaches the log")
    check(any("route=/api/v1/tickets/{number}/attachments" in l and "client=127.0.0.2" in l for l in access_lines),
          f"the upload's access line names the client: {access_lines[-5:]}")
    check(any("route=/chat/ws" in l and "client=127.0.0.2" in l for l in access_lines),
          f"the WebSocket's access line names the client: {[l for l in access_lines if 'chat' in l]}")
finally:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    if failures and os.path.exists(f"{tmp}/error.log"):
        print(open(f"{tmp}/error.log").read()[-3000:])
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
