#!/usr/bin/env bash
# API benchmark (ticket service issue): wrk, 64 connections, 10 s each, against
#   GET /healthz (the framework's own ceiling), POST /api/v1/tickets and GET /api/v1/tickets/{n},
# in the same run on a release build; ROUNDS rounds, medians printed last; then the server's
# resident memory once the store holds TARGET_TICKETS (200,000) tickets.
# Usage: bash bench/api_bench.sh [ROUNDS]      (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
TARGET_TICKETS=${TARGET_TICKETS:-200000}
source bench/lib.sh
release_bin
bench_dir DATA bench
export TOKEN ORG=bench
TOKEN=$(bench_store "$DATA")
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
echo "median req/s: healthz $(median "${H[@]}")  create $(median "${C[@]}")  get $(median "${G[@]}")"
echo "median p99 ms: healthz $(median "${HP[@]}")  create $(median "${CP[@]}")  get $(median "${GP[@]}")"

count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
while [ "$count" -lt "$TARGET_TICKETS" ]; do
  wrk -t2 -c"$CONNS" -d5s -s bench/wrk/create_ticket.lua "$URL" >/dev/null 2>&1
  count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
done
rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
echo "tickets stored: $count  server resident memory: $((rss / 1024)) MB"
