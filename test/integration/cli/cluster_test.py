#!/usr/bin/env python3
"""Three nodes behind nginx, one killed under load (README "Running several nodes").

A database of its own on the suite's PostgreSQL (SOPORTE_PG_URL), three `soporte serve` nodes on
loopback sharing it and one --data directory (the attachments, secret.key), nginx running
packaging/nginx/soporte-cluster.conf (upstream list, ports and certificate adjusted; non-daemon,
prefix in a temporary directory, its error log printed on failure) in front of them, an SMTP sink
and a webhook receiver in this process. Through nginx: login, tickets, a reply, an attachment
downloaded from every node; the console's event stream receiving the tickets made on every node;
then tickets created from several threads while one node is SIGKILLed. Afterwards every
acknowledged (201) ticket exists with its text, every "ticket received" mail reached the sink once
(by Message-ID), every webhook delivery reached the receiver once (by X-Soporte-Delivery), and
the SLA warning and breach of the tickets made due fired once each.

Leases (src/app/mail/outbox.hpp, webhook_serve.cpp, sla_watch.hpp): a dead node's claimed mail
waits 300 s, its webhook deliveries 360 s, its SLA thresholds 60 s before another node takes
them. Waiting that long would take this test past its budget, so once the live nodes have done
all they may (everything unclaimed is sent), the rows still claimed by the dead node are found
and their lease is moved to the past (what the clock does after those seconds), and the live nodes
must then finish them within a few job rounds. Those rows, and only those, may be sent twice: the
dead node may have sent one and died before recording it (at-least-once across a crash; the
Message-ID or delivery id lets the receiver drop the repeat); any such repeat is printed.

Exit 77 (skipped, with the reason) without SOPORTE_PG_URL, nginx, openssl or psql.
Usage: cluster_test.py SOPORTE_BIN SITE_CONF"""
import email.parser
import hashlib
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
BIN, SITE = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


PG_URL = os.environ.get("SOPORTE_PG_URL", "")
if not PG_URL:
    print("SKIPPED: SOPORTE_PG_URL is not set (scripts/postgres.sh start)")
    sys.exit(SKIP)
for tool in ("nginx", "openssl", "psql"):
    if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool):
        print(f"SKIPPED: {tool} is not installed (scripts/install-deps.sh installs it)")
        sys.exit(SKIP)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def psql(url, sql):
    p = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\t", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def rows(url, sql):
    out = psql(url, sql)
    return [line.split("\t") for line in out.split("\n")] if out else []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peer_gone(sock):
    """True when the other end has closed the connection (nothing more is expected from it)."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


# ---------------------------------------------------------------- the SMTP sink
class SmtpSink(socketserver.ThreadingTCPServer):
    """Accepts every message (RFC 5321's minimal server side) and counts them by Message-ID.
    While `gate` is closed a message waits before its 250 reply; one whose sender has gone by
    then was never accepted (the sender never heard 250) and is not counted, as an MTA drops it."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.lock = threading.Lock()
        self.by_message_id = {}
        self.gate = threading.Event()
        self.gate.set()
        self.dropped = 0

    def record(self, raw):
        headers = email.parser.BytesHeaderParser().parsebytes(raw)
        mid = (headers.get("Message-ID") or "").strip().strip("<>")
        with self.lock:
            self.by_message_id[mid] = self.by_message_id.get(mid, 0) + 1


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                body = []
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    body.append(l[1:] if l.startswith(b"..") else l)
                self.server.gate.wait()
                if peer_gone(self.connection):
                    with self.server.lock:
                        self.server.dropped += 1
                    return
                self.server.record(b"".join(body))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


# ---------------------------------------------------------------- the webhook receiver
class Hooks(http.server.ThreadingHTTPServer):
    """Counts deliveries by X-Soporte-Delivery. While `gate` is closed a delivery waits before it
    is processed; one whose sender has gone by then is not processed (nobody would hear 200)."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), HookHandler)
        self.gate = threading.Event()
        self.gate.set()
        self.dropped = 0
        self.lock = threading.Lock()
        self.by_delivery = {}
        self.events = {}  # delivery id -> (event, ticket number)


class HookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        delivery = self.headers.get("X-Soporte-Delivery", "")
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {}
        number = (payload.get("ticket") or {}).get("number") if isinstance(payload, dict) else None
        self.server.gate.wait()
        if peer_gone(self.connection):
            with self.server.lock:
                self.server.dropped += 1
            self.close_connection = True
            return
        with self.server.lock:
            self.server.by_delivery[delivery] = self.server.by_delivery.get(delivery, 0) + 1
            self.server.events[delivery] = (self.headers.get("X-Soporte-Event", ""), number)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


# ---------------------------------------------------------------- HTTP through nginx or a node
class Client:
    """One keep-alive connection (HTTPS to nginx or HTTP to a node); reconnects after an error.
    A request that fails on the connection is reported as status 0 and never resent."""

    def __init__(self, base, ctx=None, bearer=None):
        m = re.match(r"(https?)://([^:/]+):(\d+)", base)
        self.https, self.host, self.port = m.group(1) == "https", m.group(2), int(m.group(3))
        self.ctx, self.bearer, self.conn = ctx, bearer, None
        self.cookie, self.csrf = None, None

    def request(self, method, path, body=None, content_type="application/json", timeout=60):
        headers = {}
        if self.bearer:
            headers["Authorization"] = "Bearer " + self.bearer
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        try:
            if self.conn is None:
                self.conn = (http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=timeout)
                             if self.https else http.client.HTTPConnection(self.host, self.port, timeout=timeout))
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie" and v.startswith("soporte_session="):
                    self.cookie = v.split(";")[0]
            return r.status, data
        except (OSError, http.client.HTTPException) as e:
            self.conn = None
            return 0, str(e).encode()


def multipart(name, filename, content, ctype="text/plain"):
    boundary = "----soporte-cluster-" + hashlib.sha1(content).hexdigest()[:16]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + boundary


def ticket_body(subject, description, criticality="normal"):
    return {"type": "incident", "criticality": criticality, "subject": subject,
            "description": description, "org": "acme", "channel": "phone",
            "requester": "cliente@acme.example.com"}


tmp = tempfile.mkdtemp(prefix="soporte-cluster-")
db = f"soporte_cluster_{os.getpid()}"
URL = PG_URL.rsplit("/", 1)[0] + "/" + db
procs = []
nodes = []  # (process, base URL, stderr file)
nginx = None
sink = hooks = None


def start_node(data, args, i):
    err = open(f"{tmp}/node{i}.log", "w")
    p = subprocess.Popen([BIN, "serve", "--data", data, "--store", URL, "--listen", "127.0.0.1:0", *args],
                         stdout=subprocess.PIPE, stderr=err, text=True)
    procs.append(p)
    line = p.stdout.readline()
    m = re.search(r"listening on (http://\S+)", line)
    if not m:
        raise RuntimeError(f"node {i} did not start: {line} {open(err.name).read()}")
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    return p, m.group(1)


try:
    started = time.monotonic()
    psql(PG_URL, f"CREATE DATABASE {db}")
    env = dict(os.environ, SOPORTE_STORE=URL)
    data = f"{tmp}/data"
    demo = subprocess.run([BIN, "demo", "--data", data], capture_output=True, text=True, env=env, timeout=300)
    assert demo.returncode == 0, demo.stderr
    password = re.search(r"agent\s+agente@example.com\s+(\S+)", demo.stdout).group(1)

    def token(email):
        p = subprocess.run([BIN, "token", "create", "--data", data, "--email", email],
                           capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout.strip()

    agent, admin = token("agente@example.com"), token("admin@example.com")

    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    hooks = Hooks()
    threading.Thread(target=hooks.serve_forever, daemon=True).start()

    # ---- three nodes on one database and one data directory; every job on a short interval
    node_args = ["--trusted-proxy", "127.0.0.1/32", "--fast-password-hashing",
                 "--smtp-url", f"smtp://127.0.0.1:{sink.server_address[1]}",
                 "--webhook-allow-private", "--webhook-interval", "1", "--sla-watch-interval", "1"]
    for i in range(3):
        p, base = start_node(data, node_args, i)
        nodes.append((p, base))
    log("nodes:", [b for _, b in nodes])

    # ---- a CA and a certificate for 127.0.0.1; nginx running the cluster site
    def ossl(*a):
        r = subprocess.run(["openssl", *a], cwd=tmp, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr

    ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=soporte test CA",
         "-keyout", "ca.key", "-out", "ca.pem")
    ossl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
         "-out", "server.csr")
    with open(f"{tmp}/san.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    ossl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
         "-days", "2", "-extfile", "san.ext", "-out", "server.pem")
    ctx = ssl.create_default_context(cafile=f"{tmp}/ca.pem")

    https_port, http_port = free_port(), free_port()
    site = open(SITE).read()
    servers = re.findall(r"^\s*server 10\.0\.0\.\d+:8080 (.*);$", site, flags=re.M)
    check(len(servers) == 3, f"the site's upstream lists three nodes: {servers}")
    site = re.sub(r"^(\s*server )10\.0\.0\.\d+:8080 (.*;)$\n", "", site, count=2, flags=re.M)
    site = re.sub(r"^(\s*server )10\.0\.0\.\d+:8080 (.*;)$",
                  lambda m: "\n".join(f"{m.group(1)}{b[len('http://'):]} {m.group(2)}" for _, b in nodes),
                  site, count=1, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", site, flags=re.M)
    site = site.replace("/etc/ssl/certs/soporte.example.com.pem", f"{tmp}/server.pem")
    site = site.replace("/etc/ssl/private/soporte.example.com.key", f"{tmp}/server.key")
    check(all(b[len("http://"):] in site for _, b in nodes) and f"{tmp}/server.pem" in site,
          "the site file has the lines this test adjusts")
    with open(f"{tmp}/site.conf", "w") as f:
        f.write(site)
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(f"{tmp}/{d}")
    user = "user root;\n" if os.geteuid() == 0 else ""
    with open(f"{tmp}/nginx.conf", "w") as f:
        f.write(f"""{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 1024; }}
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
    t = subprocess.run([NGINX, "-t", "-p", tmp, "-c", f"{tmp}/nginx.conf"], capture_output=True, text=True)
    assert t.returncode == 0, f"nginx -t refuses the site: {t.stderr}"
    nginx = subprocess.Popen([NGINX, "-p", tmp, "-c", f"{tmp}/nginx.conf"], stderr=subprocess.DEVNULL)
    procs.append(nginx)
    BASE = f"https://127.0.0.1:{https_port}"
    for _ in range(100):
        if Client(BASE, ctx).request("GET", "/healthz")[0] == 200:
            break
        time.sleep(0.1)

    # ---- the API through nginx: password login (the session works on every node), a ticket,
    # a reply, an attachment downloaded from each node
    web = Client(BASE, ctx)
    st, body = web.request("POST", "/api/v1/session", {"email": "agente@example.com", "password": password})
    check(st == 200 and web.cookie, f"login through nginx: {st} {body[:200]}")
    web.csrf = json.loads(body).get("csrf_token") if st == 200 else None
    numbers = []
    for i in range(3):  # round-robin: three requests, three nodes, one session
        st, body = web.request("POST", "/api/v1/tickets", ticket_body(f"Por nginx {i}", "Sesión compartida"))
        check(st == 201, f"a ticket through nginx with the session cookie: {st} {body[:200]}")
        numbers.append(json.loads(body)["number"] if st == 201 else 0)
    st, body = web.request("POST", f"/api/v1/tickets/{numbers[0]}/messages",
                           {"body": "Respuesta por otro nodo", "internal": False})
    check(st == 201, f"a reply through nginx: {st} {body[:200]}")
    st, body = web.request("GET", f"/api/v1/tickets/{numbers[0]}/messages")
    check(st == 200 and "Respuesta por otro nodo" in body.decode(), f"the reply is listed: {st} {body[:300]}")
    content = os.urandom(200_000)
    form, ctype = multipart("file", "volcado.bin", content, "application/octet-stream")
    st, body = web.request("POST", f"/api/v1/tickets/{numbers[0]}/attachments", form, ctype)
    check(st == 201, f"an attachment through nginx: {st} {body[:300]}")
    if st == 201:
        att = json.loads(body)["attachments"][0]
        for i, (_, base) in enumerate(nodes):
            st, got = Client(base, bearer=agent).request("GET", f"/api/v1/attachments/{att['id']}")
            check(st == 200 and got == content, f"node {i} serves the attachment byte for byte: {st} {len(got)}")
        st, got = web.request("GET", f"/api/v1/attachments/{att['id']}")
        check(st == 200 and got == content, f"the attachment through nginx: {st}")

    # ---- the console's event stream through nginx hears tickets made on every node
    got_events = []
    sse = http.client.HTTPSConnection("127.0.0.1", https_port, context=ctx, timeout=30)
    sse.request("GET", "/api/v1/events", headers={"Authorization": "Bearer " + agent})
    sse_resp = sse.getresponse()
    check(sse_resp.status == 200, f"the event stream opens through nginx: {sse_resp.status}")

    def read_events():
        try:
            while True:
                line = sse_resp.fp.readline()
                if not line:
                    return
                if line.startswith(b"data:"):
                    got_events.append(line.decode())
        except (OSError, ValueError, AttributeError):  # closed under the reader
            return

    threading.Thread(target=read_events, daemon=True).start()
    time.sleep(1.0)
    direct = []
    for i, (_, base) in enumerate(nodes):
        st, body = Client(base, bearer=agent).request("POST", "/api/v1/tickets",
                                                      ticket_body(f"Directo al nodo {i}", "Evento en vivo"))
        check(st == 201, f"a ticket made on node {i}: {st} {body[:200]}")
        direct.append(json.loads(body)["number"] if st == 201 else 0)

    def heard(n):
        return any(f'"number":{n},' in e.replace(" ", "") or f'"number":{n}}}' in e.replace(" ", "")
                   for e in got_events)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(heard(n) for n in direct):
        time.sleep(0.1)
    for i, n in enumerate(direct):
        check(heard(n), f"the event stream (through nginx, on one node) hears ticket {n} made on node {i}")
    sse.close()

    # ---- the webhook receiver subscribed to ticket creation and the SLA thresholds
    st, body = Client(BASE, ctx, bearer=admin).request("POST", "/api/v1/webhooks", {
        "url": f"http://127.0.0.1:{hooks.server_address[1]}/hook",
        "events": ["ticket.created", "sla.warning", "sla.breached"], "secret": "s" * 32})
    check(st == 201, f"a webhook subscription: {st} {body[:200]}")

    # ---- load: tickets from several threads through nginx; one node SIGKILLed in the middle
    acked = {}  # number -> (subject, description)
    answers = {}
    refusals = []  # (status, body) of the answers other than 201
    lock = threading.Lock()
    stop_load = threading.Event()

    def load(w):
        c = Client(BASE, ctx, bearer=agent)
        i = 0
        while not stop_load.is_set():
            subject, desc = f"Carga {w}-{i} ñandú", f"Descripción {w}-{i}: {os.urandom(8).hex()}"
            st, body = c.request("POST", "/api/v1/tickets", ticket_body(subject, desc))
            with lock:
                answers[st] = answers.get(st, 0) + 1
                if st == 201:
                    acked[json.loads(body)["number"]] = (subject, desc)
                elif len(refusals) < 20:
                    refusals.append((st, body[:300]))
            i += 1

    workers = [threading.Thread(target=load, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    time.sleep(5)
    # Some tickets' SLA thresholds made due: the watch reads armed rows by fire_at
    # (sla_thresholds, armed in the ticket's own transaction); both a warning and a breach.
    with lock:
        sla_numbers = sorted(acked)[:20]
    psql(URL, "UPDATE sla_thresholds SET fire_at = extract(epoch from now())::bigint - 1 "
              "WHERE fired_at IS NULL AND ticket_id IN (SELECT id FROM tickets WHERE number IN "
              f"({','.join(map(str, sla_numbers))}))")
    # Mail and webhooks stall for 3 s (the sink and the receiver hold their answers): every
    # node's outbox round (every 2 s) and webhook round (every 1 s) is then in the middle of a
    # send with a batch claimed, so the node killed now dies holding leases, which the others
    # must take over once they end. 3 s stays far inside the senders' timeouts (no failure).
    sink.gate.clear()
    hooks.gate.clear()
    time.sleep(3)
    victim, victim_base = nodes[2]
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    sink.gate.set()
    hooks.gate.set()
    with lock:
        before_kill = len(acked)
    log(f"SIGKILL node 2 (pid {victim.pid}) after {before_kill} tickets")
    time.sleep(7)
    stop_load.set()
    for w in workers:
        w.join()
    log(f"load over: {len(acked)} tickets acknowledged, answers {answers}")
    check(len(acked) > before_kill + 10, f"tickets kept being made after the kill: {before_kill} → {len(acked)}")
    check(set(answers) <= {201, 502}, f"only 201, or 502 for a request the dead node held: {answers} {refusals}")
    check(answers.get(502, 0) <= 4, f"at most one lost request per client thread: {answers}")

    # ---- every acknowledged ticket is there with its text
    have = {int(n): (s, d) for n, s, d in rows(URL, "SELECT t.number, t.subject, t.description FROM tickets t "
                                                    "WHERE t.subject LIKE 'Carga %'")}
    missing = [n for n in acked if n not in have]
    wrong = [n for n in acked if n in have and have[n] != acked[n]]
    check(not missing and not wrong, f"every acknowledged ticket exists with its text: missing {missing[:10]}, "
                                     f"different {wrong[:10]}")
    c = Client(BASE, ctx, bearer=agent)
    for n in sorted(acked)[::max(1, len(acked) // 20)]:
        st, body = c.request("GET", f"/api/v1/tickets/{n}")
        check(st == 200 and json.loads(body)["description"] == acked[n][1], f"ticket {n} through nginx: {st}")

    # ---- the queues drain: first what the live nodes may take, then the dead node's leases
    now_sql = "extract(epoch from now())::bigint"
    open_work = {
        "outbox": f"SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        "webhook_deliveries": "SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL",
        "sla_thresholds": f"SELECT id FROM sla_thresholds WHERE fired_at IS NULL AND fire_at <= {now_sql}",
    }
    lease_col = {"outbox": "claimed_until", "webhook_deliveries": "lease_until", "sla_thresholds": "lease_until"}

    def pending(held_too):
        out = {}
        for table, sql in open_work.items():
            cond = "" if held_too else f" AND ({lease_col[table]} IS NULL OR {lease_col[table]} < {now_sql})"
            out[table] = [int(r[0]) for r in rows(URL, sql + cond)]
        return out

    def wait_drained(held_too, seconds):
        deadline = time.monotonic() + seconds
        while True:
            left = pending(held_too)
            if not any(left.values()) or time.monotonic() > deadline:
                return left
            time.sleep(0.5)

    # The live nodes take every unclaimed row within a few rounds (outbox every 2 s, webhooks and
    # the SLA watch every 1 s here); 60 s is far more than the rounds need on a loaded machine.
    left = wait_drained(False, 60)
    check(not any(left.values()), f"the live nodes send everything nobody holds: {left}")
    time.sleep(3)  # a live node's claim made just now has finished
    # What is still claimed was claimed before the kill: the dead node's rows.
    held = {t: [int(r[0]) for r in rows(URL, open_work[t] + f" AND {lease_col[t]} >= {now_sql}")] for t in open_work}
    log(f"rows under the dead node's leases: { {t: len(v) for t, v in held.items()} }; "
        f"sends it had in flight: {sink.dropped} mail, {hooks.dropped} webhook")
    check(held["outbox"] and held["webhook_deliveries"],
          f"the dead node died holding mail and webhook leases (the stall above): {held}")
    for table, ids in held.items():
        if ids:
            psql(URL, f"UPDATE {table} SET {lease_col[table]} = {now_sql} - 1 WHERE id IN ({','.join(map(str, ids))})")
    left = wait_drained(True, 30)
    check(not any(left.values()), f"the dead node's rows are finished by the others after its lease: {left}")
    log(f"drained, {time.monotonic() - started:.0f} s since the start")

    # ---- mail: each ticket_received once at the sink, by Message-ID
    mails = rows(URL, "SELECT o.id, o.message_id, t.number FROM outbox o JOIN tickets t ON t.id = o.ticket_id "
                      "WHERE o.kind = 'ticket_received'")
    mail_of = {int(n): (int(i), mid) for i, mid, n in mails}
    check(all(n in mail_of for n in acked), f"every acknowledged ticket has its 'ticket received' mail: "
                                            f"{[n for n in acked if n not in mail_of][:10]}")
    with sink.lock:
        counts = dict(sink.by_message_id)
    for i, mid, n in mails:
        got = counts.get(mid, 0)
        if got == 2 and int(i) in held["outbox"]:
            log(f"mail {mid} sent twice: the dead node sent it and died before recording it")
            continue
        check(got == 1, f"the 'ticket received' mail of ticket {n} reached the sink once: {got} ({mid})")
    all_mids = {r[0] for r in rows(URL, "SELECT message_id FROM outbox")}
    check(set(counts) <= all_mids, f"the sink got only the outbox's mail: {set(counts) - all_mids}")

    # ---- webhooks: each delivery once at the receiver; one ticket.created per ticket
    deliveries = rows(URL, "SELECT d.id, d.delivery_id, d.event, t.number FROM webhook_deliveries d "
                           "LEFT JOIN tickets t ON t.id = d.ticket_id")
    with hooks.lock:
        hook_counts = dict(hooks.by_delivery)
    for i, did, event, n in deliveries:
        got = hook_counts.get(did, 0)
        if got == 2 and int(i) in held["webhook_deliveries"]:
            log(f"delivery {did} sent twice: the dead node sent it and died before recording it")
            continue
        check(got == 1, f"webhook {event} of ticket {n} reached the receiver once: {got}")
    created = [int(n) for _, _, e, n in deliveries if e == "ticket.created"]
    check(all(created.count(n) == 1 for n in acked), "one ticket.created delivery per acknowledged ticket")

    # ---- SLA: warning and breach once per ticket made due, none for the others
    fired = rows(URL, "SELECT t.number, e.field, count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                      "WHERE e.field IN ('sla_warning', 'sla_breached') GROUP BY 1, 2")
    fired = {(int(n), f): int(c) for n, f, c in fired}
    for n in sla_numbers:
        for field in ("sla_warning", "sla_breached"):
            check(fired.get((n, field)) == 1, f"ticket {n}: {field} recorded once: {fired.get((n, field))}")
    check({n for n, _ in fired} <= set(sla_numbers), f"no other ticket fired: {sorted({n for n, _ in fired})}")
    for n in sla_numbers:
        for event in ("sla.warning", "sla.breached"):
            sent = [did for _, did, e, m in deliveries if e == event and m == str(n)]
            check(len(sent) == 1 and hook_counts.get(sent[0], 0) >= 1,
                  f"ticket {n}: one {event} webhook delivered: {[(d, hook_counts.get(d)) for d in sent]}")
    log(f"{len(acked)} tickets, {len(counts)} mails, {len(hook_counts)} webhook deliveries, "
        f"{len(sla_numbers)} tickets' SLA thresholds fired; {time.monotonic() - started:.0f} s")
finally:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    for s in (sink, hooks):
        if s is not None:
            s.shutdown()
    if failures:
        for name in ["error.log"] + [f"node{i}.log" for i in range(3)]:
            path = f"{tmp}/{name}"
            if os.path.exists(path):
                print(f"---- {name} (tail)\n" + open(path, errors="replace").read()[-3000:])
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        psql(PG_URL, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    except AssertionError as e:
        print("could not drop the test database:", e)

if failures:
    print(f"cluster: FAILED {len(failures)}")
    sys.exit(1)
print("cluster: ok")
