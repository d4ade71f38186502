#!/usr/bin/env python3
"""Idle chat WebSocket connections: resident memory per connection of `soporte serve`.

Opens N WebSocket connections to /chat/ws (spread over source addresses 127.0.0.2.. so the
per-address cap of 256 does not apply), each sends its hello for one chat (a visitor's token),
reads the ready frame and stays idle; reads the server's VmRSS before and after each step of N
and reports the added memory per added connection. Bounded: --repeat steps of --connections each (at most 5000 per step; the server's cap is
4096 in all), 60 s per socket operation.

  bench/chat_idle_rss.py --port PORT --pid PID --origin https://www.vendor.test \
                         --connections 1000 [--repeat 3]
"""
import argparse, base64, json, os, socket, struct, sys, time, urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def frame(text):
    data = text.encode()
    mask = os.urandom(4)
    head = bytes([0x81])
    n = len(data)
    head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def connect(port, origin, source, chat, token):
    s = socket.socket()
    s.settimeout(60)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /chat/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Origin: {origin}\r\n\r\n").encode())
    resp = b""
    while b"\r\n\r\n" not in resp:
        resp += s.recv(4096)
    if b" 101 " not in resp.split(b"\r\n")[0]:
        raise RuntimeError(resp.split(b"\r\n")[0].decode())
    s.sendall(frame(json.dumps({"type": "hello", "chat": chat, "token": token, "after": 0})))
    s.recv(65536)  # the ready frame
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--origin", required=True)
    ap.add_argument("--connections", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    n = min(a.connections, 5000)
    req = urllib.request.Request(f"http://127.0.0.1:{a.port}/api/v1/chats",
                                 data=json.dumps({"name": "Bench", "email": "bench@x.test"}).encode(),
                                 headers={"Content-Type": "application/json", "Origin": a.origin})
    opened = json.load(urllib.request.urlopen(req))
    chat, token = opened["chat"]["id"], opened["token"]
    # Steps of n connections kept open (a step's memory is not reused by the next, as it would
    # be after closing them): step 1 carries the warm-up (thread arenas, tables), later steps
    # the marginal cost of one more idle connection.
    per, socks = [], []
    for r in range(a.repeat):
        time.sleep(1)
        before = rss_kib(a.pid)
        base = len(socks)
        socks += [connect(a.port, a.origin, f"127.0.0.{2 + (base + i) // 200}", chat, token)
                  for i in range(n)]
        time.sleep(2)  # idle
        after = rss_kib(a.pid)
        per.append((after - before) / n)
        print(f"step {r + 1}: {len(socks)} idle connections, RSS {before} -> {after} KiB, "
              f"{(after - before) / n:.2f} KiB per added connection", flush=True)
    marginal = sorted(per[1:]) if len(per) > 1 else per
    print(f"median of steps 2..{len(per)}: {marginal[len(marginal) // 2]:.2f} KiB per idle "
          f"connection (step 1, with warm-up: {per[0]:.2f})")
    for s in socks:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
