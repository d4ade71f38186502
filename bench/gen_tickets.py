#!/usr/bin/env python3
"""Fills a soporte SQLite store with N tickets in batch transactions (issue 18, part 4 benchmarks).

Usage: gen_tickets.py DB N [--now EPOCH] [--seed S]
The store must already hold its organisations, contracts and users (bench/list_bench.sh makes
them with the CLI); tickets are spread over them as a desk sees them after three years:
  * organisations: sizes ~ 1/rank (the largest holds ~23% of the tickets);
  * criticality: 70% normal, 22% important, 8% critical; due = reception + 8 h / 4 h / 1 h;
  * received over the last 3 years; older than 30 days: 97% closed, 3% resolved; the last 30
    days: new 10%, open 25%, waiting_customer 15%, resolved 20%, closed 30%;
  * answered: 85% by the due, 15% after it; 70% of the "new" ones are not answered yet;
  * assignee: one of the staff (90%) or none (10%, most of the "new" ones).
Rows go straight into the tables the store reads (no use case runs): the point is the shape of
the data the list reads, not the cost of writing it.
"""
import random
import sqlite3
import sys
import time

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    db, n = sys.argv[1], int(sys.argv[2])
    now = int(time.time())
    seed = 18
    args = sys.argv[3:]
    for i, a in enumerate(args):
        if a == "--now": now = int(args[i + 1])
        if a == "--seed": seed = int(args[i + 1])
    rnd = random.Random(seed)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    orgs = [r[0] for r in con.execute("SELECT id FROM orgs ORDER BY id")]
    contracts = {}
    for cid, oid in con.execute("SELECT id, org_id FROM contracts ORDER BY id"):
        contracts.setdefault(oid, []).append(cid)
    customers = {}
    for uid, oid in con.execute("SELECT id, org_id FROM users WHERE role = 'customer'"):
        customers.setdefault(oid, []).append(uid)
    staff = [r[0] for r in con.execute("SELECT id FROM users WHERE role <> 'customer'")]
    orgs = [o for o in orgs if o in contracts and o in customers]
    if not orgs or not staff:
        sys.exit("the store needs organisations with a contract and a customer, and staff")
    weights = [1.0 / (i + 1) for i in range(len(orgs))]
    first = con.execute("SELECT value FROM counters WHERE name = 'ticket_number'").fetchone()[0]
    target = {"normal": 8 * 3600, "important": 4 * 3600, "critical": 3600}
    span = 3 * 365 * 86400
    envs = ["", "dev", "qa", "prod"]
    sql = ("INSERT INTO tickets(number, org_id, contract_id, requester_id, type, criticality, "
           "status, channel, environment, subject, description, assignee_id, tags, received_at, "
           "clock_start, response_due, first_response_at, created_at, updated_at, version) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, 1)")
    batch, done, number = [], 0, first
    started = time.time()
    # Received instants in increasing order, so numbers grow with time as in a real desk.
    offsets = sorted(rnd.random() * span for _ in range(n))
    for off in offsets:
        received = now - span + int(off)
        org = rnd.choices(orgs, weights)[0]
        r = rnd.random()
        crit = "normal" if r < 0.70 else ("important" if r < 0.92 else "critical")
        due = received + target[crit]
        recent = now - received < 30 * 86400
        r = rnd.random()
        if not recent:
            status = "closed" if r < 0.97 else "resolved"
        else:
            status = ("new" if r < 0.10 else "open" if r < 0.35 else "waiting_customer" if r < 0.50
                      else "resolved" if r < 0.70 else "closed")
        answered = None
        if not (status == "new" and rnd.random() < 0.7):
            if rnd.random() < 0.85:
                answered = received + int((due - received) * rnd.random())
            else:
                answered = due + 1 + int(rnd.random() * 2 * 86400)
            answered = min(answered, now)
            if answered > due and answered == now and now <= due:
                answered = None
        if status == "new" and rnd.random() < 0.8:
            assignee = None
        else:
            assignee = None if rnd.random() < 0.05 else rnd.choice(staff)
        batch.append((number, org, rnd.choice(contracts[org]), rnd.choice(customers[org]),
                      "incident" if rnd.random() < 0.8 else "request", crit, status,
                      rnd.choice(["portal", "email", "phone", "chat"]), rnd.choice(envs),
                      f"Caso generado {number}", "El módulo de facturación no responde.",
                      assignee, received, received, due, answered, received,
                      max(received, answered or received)))
        number += 1
        if len(batch) == 50000:
            con.execute("BEGIN")
            con.executemany(sql, batch)
            con.execute("COMMIT")
            done += len(batch)
            batch = []
            print(f"{done} tickets, {time.time() - started:.0f} s", file=sys.stderr)
    con.execute("BEGIN")
    con.executemany(sql, batch)
    con.execute("UPDATE counters SET value = ? WHERE name = 'ticket_number'", (number,))
    con.execute("COMMIT")
    print(f"{n} tickets in {time.time() - started:.0f} s", file=sys.stderr)

if __name__ == "__main__":
    main()
