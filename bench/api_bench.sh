#!/usr/bin/env bash
# API benchmark (ticket service issue): wrk, 64 connections, 10 s each, against
#   GET /healthz (the framework's own ceiling), POST /api/v1/tickets and GET /api/v1/tickets/{n},
# in the same run on a release build; ROUNDS rounds, medians printed last; then, once the store
# holds TARGET_TICKETS (200,000) tickets, one more POST run, the server's resident memory and the
# database's bytes per ticket (with the share of the outbox and its Message-IDs).
# LAST_ROUNDS (1) rounds at that size, medians printed: each on a fresh copy of the filled store,
# so every round starts from the same number of tickets (a round adds ~60,000: measured on the
# growing store, rounds at "1,000,000" ran at up to 1,500,000).
# The agent opens the tickets for itself (no mail is sent); with REQUESTER=email each ticket is
# for that customer of the organisation (added here), so each one queues an acknowledgement.
# DATA=dir KEEP=1 keeps the store (and reuses it when it exists: filled once to 1,000,000
# tickets, it measures another binary at that size with BIN=… ROUNDS=0).
# Usage: [TARGET_TICKETS=N] [DATA=dir KEEP=1] bash bench/api_bench.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
TARGET_TICKETS=${TARGET_TICKETS:-200000}
source bench/lib.sh
release_bin
[ -n "${DATA:-}" ] || bench_dir DATA bench
export TOKEN ORG=bench
if [ -f "$DATA/soporte.db" ]; then
  TOKEN=$("$BIN" token create --data "$DATA" --email agente@example.com)
else
  mkdir -p "$DATA"
  TOKEN=$(bench_store "$DATA")
  if [ -n "${REQUESTER:-}" ]; then
    "$BIN" user add --data "$DATA" --email "$REQUESTER" --name "Cliente Bench" --role customer --org bench >/dev/null
  fi
fi
[ -z "${REQUESTER:-}" ] || export REQUESTER
serve_bg "$DATA"
echo "server $URL (pid $SERVER); wrk -t2 -c$CONNS -d$DURATION"

H=(); C=(); G=(); HP=(); CP=(); GP=()
for r in $(seq 1 "$ROUNDS"); do
  h=$(result -s bench/wrk/report.lua "$URL/healthz")
  c=$(result -s bench/wrk/create_ticket.lua "$URL")
  last=$(sqlite3 "$DATA/soporte.db" 'select max(number) from tickets')
  g=$(FIRST=1001 LAST=$last result -s bench/wrk/get_ticket.lua "$URL")
  echo "round $r  healthz: $h"
  echo "round $r  create:  $c"
  echo "round $r  get:     $g"
  H+=("$(field rps "$h")"); C+=("$(field rps "$c")"); G+=("$(field rps "$g")")
  HP+=("$(field p99 "$h")"); CP+=("$(field p99 "$c")"); GP+=("$(field p99 "$g")")
done
if [ "$ROUNDS" -gt 0 ]; then
  echo "median req/s: healthz $(median "${H[@]}")  create $(median "${C[@]}")  get $(median "${G[@]}")"
  echo "median p99 ms: healthz $(median "${HP[@]}")  create $(median "${CP[@]}")  get $(median "${GP[@]}")"
fi

count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
while [ "$count" -lt "$TARGET_TICKETS" ]; do
  wrk -t2 -c"$CONNS" -d5s -s bench/wrk/create_ticket.lua "$URL" >/dev/null 2>&1
  count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
done
# Each round on a copy of the filled store, taken with the server stopped (its WAL checkpointed).
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
bench_dir RUN run
LH=(); LC=(); LCP=(); rss=0
for r in $(seq 1 "${LAST_ROUNDS:-1}"); do
  rm -rf "$RUN" && cp -a "$DATA" "$RUN"
  # The copy on disk first: left in the page cache, its first fdatasync (the first complete
  # checkpoint's) wrote the whole file inside the round, and the writer waited 0.5 s for it.
  sync
  serve_bg "$RUN"
  h=$(result -s bench/wrk/report.lua "$URL/healthz")
  c=$(result -s bench/wrk/create_ticket.lua "$URL")
  echo "round $r at $count tickets  healthz: $h"
  echo "round $r at $count tickets  create:  $c"
  LH+=("$(field rps "$h")"); LC+=("$(field rps "$c")"); LCP+=("$(field p99 "$c")")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
done
rm -rf "$RUN"
echo "at $count tickets, median of ${#LC[@]}: healthz $(median "${LH[@]}") req/s;" \
  "create $(median "${LC[@]}") req/s, p99 $(median "${LCP[@]}") ms"
echo "tickets stored: $count  server resident memory (last round): $((rss / 1024)) MB"
# Pages in use and what the outbox and the Message-IDs hold of them (dbstat), in the filled store.
db_bytes=$(sqlite3 "$DATA/soporte.db" 'select page_count * page_size from pragma_page_count, pragma_page_size')
table_bytes() { sqlite3 "$DATA/soporte.db" "select coalesce(sum(pgsize), 0) from dbstat where $1"; }
outbox=$(table_bytes "name in ('outbox', 'outbox_due', 'outbox_by_ticket', 'outbox_sent') or name like 'sqlite_autoindex_outbox%'")
ids=$(table_bytes "name = 'mail_message_ids' or name like 'sqlite_autoindex_mail_message_ids%'")
echo "database: $((db_bytes / 1048576)) MB, $((db_bytes / count)) bytes per ticket;" \
  "outbox $((outbox / count)) B/ticket ($(sqlite3 "$DATA/soporte.db" 'select count(*) from outbox') rows)," \
  "Message-IDs $((ids / count)) B/ticket"
