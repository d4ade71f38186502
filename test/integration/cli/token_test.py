#!/usr/bin/env python3
"""API tokens through the real binary (issue 16, part 5): `soporte token create|list|revoke` and
`soporte serve` on a loopback port. A token's first use is recorded once (on the token and in the
audit log, with the client address), however many requests follow; an unused token says so;
revoking one is audited and the server refuses it afterwards (within its 10 s authentication
cache); revoking an unknown id fails naming it.
Usage: token_test.py SOPORTE_BIN"""
import json
import shutil
import tempfile
import time

from clitest import call, check, finish, run, serve, stop, token


def token_entries(base, admin):
    st, _, body = call(base, admin, "GET", "/api/v1/audit?kind=token&limit=200")
    check(st == 200, f"audit: {st} {body[:200]}")
    return json.loads(body)["entries"] if st == 200 else []


def main():
    data = tempfile.mkdtemp(prefix="soporte-token-")
    server = None
    try:
        assert run("demo", "--data", data).returncode == 0
        admin = token(data, "admin@example.com", "auditoria")
        used = token(data, "agente@example.com", "integracion-crm")
        idle = token(data, "agente@example.com", "sin-uso")
        check(used and idle and used != idle, "two tokens printed")
        server, base = serve(data)

        for _ in range(5):
            st, _, body = call(base, used, "GET", "/api/v1/me")
            check(st == 200, f"/me with the token: {st} {body[:200]}")
        firsts = [e for e in token_entries(base, admin) if e["field"] == "first_used"]
        crm = [e for e in firsts if e["after"] == "integracion-crm"]
        check(len(crm) == 1, f"one first_used entry for the used token: {firsts}")
        if crm:
            check(crm[0]["from"] == "127.0.0.1", f"first use from the client address: {crm[0]}")
            check(crm[0]["by"] is not None and crm[0]["by"]["name"], f"first use by the user: {crm[0]}")
        check(not [e for e in firsts if e["after"] == "sin-uso"], "the idle token has no first use")

        listed = run("token", "list", "--data", data, "--email", "agente@example.com")
        check(listed.returncode == 0, f"token list: {listed.stderr}")
        rows = [l.split("\t") for l in listed.stdout.strip().splitlines()]
        byname = {r[1]: r for r in rows if len(r) >= 4}
        check("first used" in byname.get("integracion-crm", ["", "", "", ""])[3],
              f"list shows the first use: {listed.stdout}")
        check(byname.get("sin-uso", ["", "", "", ""])[3] == "never used",
              f"list shows the idle token unused: {listed.stdout}")
        check(used not in listed.stdout and idle not in listed.stdout, "list never prints a token")

        revoked = run("token", "revoke", "--data", data, "--id", byname["integracion-crm"][0])
        check(revoked.returncode == 0, f"revoke: {revoked.stderr}")
        gone = run("token", "revoke", "--data", data, "--id", "999999")
        check(gone.returncode != 0 and "999999" in gone.stderr,
              f"revoking an unknown id fails naming it: {gone.returncode} {gone.stderr}")
        bad = run("token", "revoke", "--data", data, "--id", "abc")
        check(bad.returncode != 0 and "--id" in bad.stderr, f"a bad id is refused: {bad.stderr}")
        deadline = time.time() + 30
        st = 200
        while time.time() < deadline:
            st, _, _ = call(base, used, "GET", "/api/v1/me")
            if st == 401:
                break
            time.sleep(1)
        check(st == 401, f"the revoked token is refused: {st}")
        st, _, _ = call(base, idle, "GET", "/api/v1/me")
        check(st == 200, f"the other token still works: {st}")
        rev = [e for e in token_entries(base, admin) if e["field"] == "revoked"]
        check(len(rev) == 1 and rev[0]["before"] == "integracion-crm" and rev[0]["by"] is None,
              f"one revoked entry by the command line: {rev}")
    finally:
        stop(server)
        shutil.rmtree(data, ignore_errors=True)
    finish("token_test")


if __name__ == "__main__":
    main()
