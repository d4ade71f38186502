#!/usr/bin/env python3
"""SLA reports through the real binary (issue 18): `soporte serve` on a loopback port and
`soporte report sla`. Staff back-date phone calls into three months; the JSON figures, the CSV
(parsed back by Python's csv module, the reader spreadsheets' importers follow) and the command
line's CSV must agree; a customer sees only its own organisation (another one is 404, like a
missing one); bad input is a 400 naming the field.
Usage: report_test.py SOPORTE_BIN"""
import csv
import io
import json
import shutil
import tempfile

from clitest import call, check, finish, run, serve, stop, token


def main():
    data = tempfile.mkdtemp(prefix="soporte-report-")
    server = None
    try:
        assert run("demo", "--data", data).returncode == 0
        tokens = {email: token(data, email) for email in (
            "admin@example.com", "agente@example.com", "cliente@acme.example.com",
            "cliente@globex.example.com")}
        server, base = serve(data)
        agent = tokens["agente@example.com"]
        acme = tokens["cliente@acme.example.com"]
        globex = tokens["cliente@globex.example.com"]

        # The demo's contracts start today: a 24x7 one (the phone line) from the start of 2026.
        st, _, body = call(base, tokens["admin@example.com"], "POST", "/api/v1/orgs/acme/contracts",
                           {"modality": "24x7", "valid_from": "2026-01-01",
                            "channels": ["portal", "email", "phone", "chat"]})
        check(st == 201, f"contract: {st} {body[:200]}")
        # Phone calls logged afterwards, back-dated into January, February and March 2026.
        for received, crit in (("2026-01-14T10:00:00-05:00", "critical"),
                               ("2026-01-20T09:00:00-05:00", "normal"),
                               ("2026-02-03T11:00:00-05:00", "important"),
                               ("2026-03-10T15:00:00-05:00", "normal")):
            st, _, body = call(base, agent, "POST", "/api/v1/tickets", {
                "type": "incident", "criticality": crit, "subject": "Llamada: facturación",
                "description": "Registrada después", "org": "acme", "channel": "phone",
                "requester": "cliente@acme.example.com", "received_at": received})
            check(st == 201, f"create back-dated ticket: {st} {body[:200]}")
            number = json.loads(body)["number"]
            # Answered now: long after each due, so every one is breached.
            st, _, body = call(base, agent, "POST", f"/api/v1/tickets/{number}/messages",
                               {"body": "Respuesta", "internal": False})
            check(st == 201, f"reply: {st} {body[:200]}")

        q = "/api/v1/reports/sla?org=acme&from=2026-01-01&to=2026-03-31"
        st, _, body = call(base, agent, "GET", q)
        check(st == 200, f"json report: {st} {body[:300]}")
        rep = json.loads(body)
        months = [r["month"] for r in rep["rows"]]
        check(months == ["2026-01", "2026-02", "2026-03"], f"months {months}")
        check([r["received"] for r in rep["rows"]] == [2, 1, 1], f"received {rep['rows']}")
        check(rep["total"]["breached"] == 4 and rep["total"]["compliance"] == 0,
              f"total {rep['total']}")
        check(rep["org"] == {"slug": "acme", "name": rep["org"]["name"]}, "org echo")

        # CSV in Spanish: BOM, RFC 4180, parsed back by csv; numbers equal the JSON's.
        st, hdrs, raw = call(base, agent, "GET", q + "&group=month,criticality&format=csv&lang=es")
        check(st == 200, f"csv: {st}")
        ctype = {k.lower(): v for k, v in hdrs.items()}
        check(ctype.get("content-type", "").startswith("text/csv; charset=utf-8"), f"type {ctype}")
        check('filename="sla-acme-2026-01-01-2026-03-31.csv"' in ctype.get("content-disposition", ""),
              f"disposition {ctype.get('content-disposition')}")
        check(raw.startswith(b"\xef\xbb\xbf"), "BOM")
        check(b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "CRLF line ends")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        header = rows[0]
        check(header[:4] == ["Mes", "Criticidad", "Recibidos", "Respondidos"], f"header {header}")
        check("Primera respuesta, mediana (min hábiles)" in header, f"quoted title {header}")
        body_rows = rows[1:-1]
        check([(r[0], r[1]) for r in body_rows] ==
              [("2026-01", "Normal"), ("2026-01", "Crítico"), ("2026-02", "Importante"),
               ("2026-03", "Normal")], f"csv keys {body_rows}")
        total = dict(zip(header, rows[-1]))
        check(rows[-1][0] == "Total" and total["Recibidos"] == "4" and total["Incumplidos"] == "4"
              and total["Cumplimiento (%)"] == "0.0", f"csv total {rows[-1]}")
        # English titles from the Accept-Language header.
        st, _, raw_en = call(base, agent, "GET", q + "&group=criticality&format=csv",
                             headers={"Accept-Language": "en-US,en;q=0.9"})
        en = list(csv.reader(io.StringIO(raw_en.decode("utf-8-sig"), newline="")))
        check(en[0][:2] == ["Criticality", "Received"] and en[1][0] == "Normal"
              and en[3][0] == "Critical", f"english csv {en}")

        # The command line prints the same CSV.
        p = run("report", "sla", "--data", data, "--org", "acme", "--from", "2026-01-01",
                "--to", "2026-03-31", "--group", "month,criticality", "--format", "csv", text=False)
        check(p.returncode == 0, f"cli status {p.returncode} {p.stderr}")
        check(p.stdout == raw, "cli CSV equals the API's")

        # Isolation: a customer gets its own organisation, never another.
        st, _, body = call(base, acme, "GET", "/api/v1/reports/sla?from=2026-01-01&to=2026-03-31")
        check(st == 200 and json.loads(body)["total"]["received"] == 4, f"customer own: {st} {body[:200]}")
        st, _, body = call(base, globex, "GET", "/api/v1/reports/sla?from=2026-01-01&to=2026-03-31")
        check(st == 200 and json.loads(body)["org"]["slug"] == "globex"
              and json.loads(body)["total"]["received"] == 0, f"globex own: {body[:200]}")
        st, _, body = call(base, globex, "GET", q)
        st2, _, body2 = call(base, globex, "GET", q.replace("org=acme", "org=nadie"))
        check(st == 404 and st2 == 404, f"foreign org: {st} {st2}")
        check(json.loads(body)["error"]["message"] == "org: no organisation 'acme'", f"{body}")
        st, _, _ = call(base, globex, "GET", q + "&format=csv")
        check(st == 404, f"foreign CSV: {st}")

        # Bad input: 400 naming the field, never a 500.
        for query, field in (("org=acme&from=2026-05-01&to=2026-01-31", "to"),
                             ("org=acme&from=2026-02-30&to=2026-03-31", "from"),
                             ("org=acme&from=01/01/2026&to=2026-03-31", "from"),
                             ("org=acme&from=2026-01-01&to=2026-03-31&group=week", "group"),
                             ("org=acme&from=2026-01-01&to=2026-03-31&group=month,month", "group"),
                             ("org=acme&from=2026-01-01&to=2026-03-31&format=xlsx", "format"),
                             ("org=acme&from=2026-01-01", "to"),
                             ("org=acme&from=2020-01-01&to=2026-12-31", "to"),
                             ("from=2026-01-01&to=2026-03-31", "org"),
                             ("org=acme&from=2026-01-01&to=2026-03-31&colour=red", "colour")):
            st, _, body = call(base, agent, "GET", "/api/v1/reports/sla?" + query)
            err = json.loads(body).get("error", {}) if body else {}
            msg = err.get("message", "")
            check(st == 400 and err.get("code") == "invalid_argument"
                  and (msg.startswith(field) or f"'{field}'" in msg), f"{query} → {st} {body[:200]}")
        st, _, _ = call(base, "nada", "GET", q)
        check(st == 401, f"no token: {st}")
    finally:
        stop(server)
        shutil.rmtree(data, ignore_errors=True)
    finish("report_test")


main()
