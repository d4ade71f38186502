#!/usr/bin/env python3
"""Live events across nodes (PostgreSQL LISTEN/NOTIFY): two `soporte serve` on one database (and
one data directory, as nodes share their attachments), each on its own port. The console's event
stream on node B hears "created" for a ticket created through node A, once; a chat message a
visitor sends over a WebSocket of node A reaches the same chat's WebSocket on node B. Skipped (77)
without SOPORTE_PG_URL.
Usage: postgres_live_test.py SOPORTE_BIN"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse

from clitest import call, check, finish, run, serve, stop

SITE = "https://www.vendor.test"


def psql(url, sql):
    p = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def connect(base):
    u = urllib.parse.urlparse(base)
    return socket.create_connection((u.hostname, u.port), timeout=20), f"{u.hostname}:{u.port}"


class EventStream:
    """GET /api/v1/events as a raw byte stream (server-sent events in chunked encoding)."""

    def __init__(self, base, bearer):
        self.sock, host = connect(base)
        self.sock.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: {host}\r\n"
                           f"Accept: text/event-stream\r\nAuthorization: Bearer {bearer}\r\n\r\n")
                          .encode())
        self.text = ""

    def read_until(self, needle, seconds=20):
        """True when `needle` arrived within `seconds`."""
        deadline = time.monotonic() + seconds
        while needle not in self.text:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            if not chunk:
                return False
            self.text += chunk.decode("utf-8", "replace")
        return True

    def close(self):
        self.sock.close()


class ChatSocket:
    """A WebSocket client of /chat/ws (RFC 6455: masked text frames out, unmasked in)."""

    def __init__(self, base, origin):
        self.sock, host = connect(base)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /chat/ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("closed during the WebSocket handshake: " + head.decode())
            head += chunk
        head, self.buf = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise RuntimeError("WebSocket upgrade refused: " + head.decode())

    def send(self, obj):
        data = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(data)
        header = bytes([0x81])
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no frame in time")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def next(self, seconds=20):
        """The next text frame as a dict; None when the server closed the socket."""
        deadline = time.monotonic() + seconds
        while True:
            b0, b1 = self._read(2, deadline)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2, deadline))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8, deadline))[0]
            payload = self._read(n, deadline)
            op = b0 & 0x0F
            if op == 0x8:
                return None
            if op == 0x1:
                return json.loads(payload)

    def next_of(self, kind, seconds=20):
        """The next frame of `kind` within `seconds`; None when none came."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                f = self.next(left)
            except (TimeoutError, socket.timeout):
                return None
            if f is None:
                return None
            if f.get("type") == kind:
                return f

    def close(self):
        self.sock.close()


def main():
    base_url = os.environ.get("SOPORTE_PG_URL", "")
    if not base_url:
        print("SOPORTE_PG_URL is not set: skipped (scripts/postgres.sh start)")
        sys.exit(77)
    db = f"soporte_live_{os.getpid()}"
    url = base_url.rsplit("/", 1)[0] + "/" + db
    psql(base_url, f"CREATE DATABASE {db}")
    data = tempfile.mkdtemp(prefix="soporte-pg-live-")
    env = dict(os.environ, SOPORTE_STORE=url)
    nodes = []
    try:
        demo = run("demo", "--data", data, env=env)
        check(demo.returncode == 0, f"demo on PostgreSQL: {demo.stdout} {demo.stderr}")
        p = run("token", "create", "--data", data, "--email", "agente@example.com", env=env)
        check(p.returncode == 0, f"token create on PostgreSQL: {p.stderr}")
        agent = p.stdout.strip()
        for _ in range(2):
            nodes.append(serve(data, "--store", url, "--chat-origins", SITE))
        (_, base_a), (_, base_b) = nodes
        check(base_a != base_b, "two nodes, two addresses")

        # The console on node B hears a ticket created through node A.
        stream = EventStream(base_b, agent)
        check(stream.read_until(": connected"), f"B's event stream opens: {stream.text[:300]}")
        st, _, body = call(base_a, agent, "POST", "/api/v1/tickets", {
            "type": "incident", "criticality": "critical", "subject": "Caída vista en B",
            "description": "Creado en el nodo A", "org": "acme", "channel": "phone",
            "requester": "cliente@acme.example.com"})
        check(st == 201, f"create a ticket on A: {st} {body[:300]}")
        number = json.loads(body)["number"] if st == 201 else 0
        created = json.dumps({"number": number}, separators=(",", ":"))[1:-1]  # "number":N
        heard = stream.read_until(created)
        check(heard, f"B's stream hears ticket {number}: {stream.text[-500:]}")
        # Once: a later change on A arrives after it, and the creation was not repeated.
        st, _, body = call(base_a, agent, "POST", f"/api/v1/tickets/{number}/messages", {
            "body": "Nota interna desde A", "internal": True})
        check(st == 201, f"an internal note on A: {st} {body[:300]}")
        check(stream.read_until(created + ',"what":"note"'), f"B hears the note: {stream.text[-500:]}")
        events = [line for line in stream.text.split("\n")
                  if line.startswith("data: ") and created in line and '"created"' in line]
        check(len(events) == 1, f"'created' heard once on B: {events}")
        stream.close()

        # A visitor's message sent over node A reaches the chat's socket on node B.
        st, _, body = call(base_a, agent, "POST", "/api/v1/chats",
                           {"name": "Ana", "email": "ana@acme.example.com"},
                           headers={"Origin": SITE})
        check(st == 201, f"open a chat on A: {st} {body[:300]}")
        opened = json.loads(body) if st == 201 else {"chat": {"id": 0}, "token": ""}
        chat_id, chat_token = opened["chat"]["id"], opened["token"]
        on_b = ChatSocket(base_b, SITE)
        on_b.send({"type": "hello", "chat": chat_id, "token": chat_token, "after": 0})
        check(on_b.next_of("ready") is not None, "B's chat socket is ready")
        on_a = ChatSocket(base_a, SITE)
        on_a.send({"type": "hello", "chat": chat_id, "token": chat_token, "after": 0})
        check(on_a.next_of("ready") is not None, "A's chat socket is ready")
        on_a.send({"type": "message", "text": "Hola desde el nodo A", "client_id": "live-a-1"})
        ack = on_a.next_of("ack")
        check(ack is not None, "A acknowledges the message")
        got = on_b.next_of("message")
        check(got is not None and got.get("text") == "Hola desde el nodo A",
              f"the message reaches the socket on B: {got}")
        check(got is not None and ack is not None and got.get("seq") == ack.get("seq"),
              f"with its seq: {got} {ack}")
        on_a.close()
        on_b.close()
    finally:
        for server, _ in nodes:
            stop(server)
        shutil.rmtree(data, ignore_errors=True)
        psql(base_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    finish("postgres live events across nodes")


if __name__ == "__main__":
    main()
