#!/usr/bin/env python3
"""What the access log and request ids cost a request (issue 17, part 6). Two servers on one data
directory's copy: `--access-log --log-format json` (stdout to a file) and without an access log.
Each gets N keep-alive requests of GET /healthz and GET /api/v1/tickets/{n} (a point read with a
token), interleaved server by server so both see the same machine load; prints the median and 90th
percentile latency in microseconds per (server, route). Compare within one run only.
Usage: log_bench.py SOPORTE_BIN [N=2000]"""
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


tmp = tempfile.mkdtemp(prefix="soporte-logbench-")
servers = []
try:
    data = os.path.join(tmp, "data")
    run("demo", "--data", data)
    token = run("token", "create", "--data", data, "--email", "agente@example.com")
    conns = {}
    for name, extra in (("no_log", []), ("json_log", ["--access-log", "--log-format", "json"])):
        out = open(os.path.join(tmp, name + ".out"), "w")
        p = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0", *extra],
                             stdout=out, stderr=subprocess.DEVNULL)
        servers.append(p)
        for _ in range(600):
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", open(out.name).read())
            if m:
                break
            time.sleep(0.05)  # polling the first line
        conns[name] = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=30)
    c = next(iter(conns.values()))
    c.request("GET", "/api/v1/tickets?limit=1", headers={"Authorization": "Bearer " + token})
    number = json.loads(c.getresponse().read())["tickets"][0]["number"]
    routes = {"/healthz": {}, f"/api/v1/tickets/{number}": {"Authorization": "Bearer " + token}}
    samples = {(s, r): [] for s in conns for r in routes}
    for i in range(N):
        for s, conn in conns.items():
            for r, h in routes.items():
                t0 = time.perf_counter()
                conn.request("GET", r, headers=h)
                resp = conn.getresponse()
                resp.read()
                samples[(s, r)].append((time.perf_counter() - t0) * 1e6)
                assert resp.status == 200, resp.status
    for (s, r), xs in samples.items():
        xs.sort()
        print(f"{s:9} {r if r == '/healthz' else '/api/v1/tickets/{n}':22} "
              f"median {statistics.median(xs):7.0f} us  p90 {xs[int(len(xs) * 0.9)]:7.0f} us  (n={len(xs)})")
finally:
    for p in servers:
        p.terminate()
        p.wait(timeout=60)
    shutil.rmtree(tmp, ignore_errors=True)
