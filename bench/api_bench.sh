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
cmake --preset release >/dev/null
cmake --build --preset release --target soporte >/dev/null
BIN=$PWD/build/release/src/main/soporte
DATA=$(mktemp -d /tmp/soporte-bench.XXXXXX)
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"' EXIT

"$BIN" init --data "$DATA" >/dev/null
"$BIN" org add --data "$DATA" --slug bench --name "Bench S.A.S." >/dev/null
"$BIN" contract add --data "$DATA" --org bench --modality 24x7 >/dev/null
"$BIN" user add --data "$DATA" --email agente@example.com --name Agente --role agent >/dev/null
export TOKEN; TOKEN=$("$BIN" token create --data "$DATA" --email agente@example.com)
export ORG=bench

LOG=$DATA/serve.log
"$BIN" serve --data "$DATA" --listen 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do grep -q "listening on" "$LOG" && break; sleep 0.05; done
URL=$(grep -o 'http://[0-9.:]*' "$LOG" | head -1)
echo "server $URL (pid $SERVER); wrk -t2 -c$CONNS -d$DURATION"

result() { wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$@" 2>&1 | grep RESULT | cut -d' ' -f2-; }
rps() { sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$1"; }
p99() { sed -E 's/.*p99=([0-9.]+).*/\1/' <<<"$1"; }
H=(); C=(); G=(); HP=(); CP=(); GP=()
for r in $(seq 1 "$ROUNDS"); do
  h=$(result -s bench/wrk/report.lua "$URL/healthz")
  c=$(result -s bench/wrk/create_ticket.lua "$URL")
  last=$(sqlite3 "$DATA/soporte.db" 'select max(number) from tickets')
  g=$(FIRST=1001 LAST=$last result -s bench/wrk/get_ticket.lua "$URL")
  echo "round $r  healthz: $h"
  echo "round $r  create:  $c"
  echo "round $r  get:     $g"
  H+=("$(rps "$h")"); C+=("$(rps "$c")"); G+=("$(rps "$g")")
  HP+=("$(p99 "$h")"); CP+=("$(p99 "$c")"); GP+=("$(p99 "$g")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median req/s: healthz $(median "${H[@]}")  create $(median "${C[@]}")  get $(median "${G[@]}")"
echo "median p99 ms: healthz $(median "${HP[@]}")  create $(median "${CP[@]}")  get $(median "${GP[@]}")"

count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
while [ "$count" -lt "$TARGET_TICKETS" ]; do
  wrk -t2 -c"$CONNS" -d5s -s bench/wrk/create_ticket.lua "$URL" >/dev/null 2>&1
  count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
done
rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
echo "tickets stored: $count  server resident memory: $((rss / 1024)) MB"
