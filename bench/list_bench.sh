#!/usr/bin/env bash
# The console's list at scale (issue 18, part 4), on a release build, against a store of TICKETS
# tickets (default 1,000,000) made by bench/gen_tickets.py over 40 organisations, 20 staff:
#  (a) every list filter and combination the console offers: wrk -t1 -c4, p50/p95/p99 each,
#      each page read from the store (Cache-Control: no-cache: no page kept between changes);
#  (c) GET /healthz beside a page of 50 of the console's default list (-c64), ROUNDS rounds;
#  (d) a mixed load, 30% creates / 50% single reads / 20% pages, 64 connections, ROUNDS rounds;
#  (b) CONSOLES consoles on the event stream (bench/consoles.mjs, reacting as the console does)
#      while tickets are created at 100/s: the server's CPU with and without the consoles.
# Medians are printed last. DATA=dir KEEP=1 keeps (and reuses) the generated store.
# Usage: [TICKETS=1000000] [ROUNDS=3] [DATA=/tmp/x KEEP=1] bash bench/list_bench.sh [a|b|c|d ...]
set -euo pipefail
cd "$(dirname "$0")/.."
TICKETS=${TICKETS:-1000000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
PARTS=${*:-a c d b}
source bench/lib.sh
release_bin
[ -n "${DATA:-}" ] || bench_dir DATA list

if [ ! -f "$DATA/soporte.db" ]; then
  "$BIN" init --data "$DATA" >/dev/null
  for i in $(seq -w 1 40); do
    "$BIN" org add --data "$DATA" --slug "org$i" --name "Organización $i S.A.S." >/dev/null
    "$BIN" contract add --data "$DATA" --org "org$i" --modality 24x7 --valid-from 2020-01-01 >/dev/null
    if [ $((10#$i % 2)) -eq 0 ]; then
      "$BIN" contract add --data "$DATA" --org "org$i" --modality 8x5 --valid-from 2020-01-01 >/dev/null
    fi
    echo 'una-clave-larga-de-bench' | "$BIN" user add --data "$DATA" --email "cliente$i@org$i.example.com" \
      --name "Cliente $i" --role customer --org "org$i" --password-stdin >/dev/null
  done
  for i in $(seq -w 1 20); do
    echo 'una-clave-larga-de-bench' | "$BIN" user add --data "$DATA" --email "agente$i@example.com" \
      --name "Agente $i" --role agent --password-stdin >/dev/null
  done
  python3 bench/gen_tickets.py "$DATA/soporte.db" "$TICKETS"
fi
AGENT_EMAIL=${AGENT_EMAIL:-agente01@example.com}
export TOKEN; TOKEN=$("$BIN" token create --data "$DATA" --email "$AGENT_EMAIL")
AGENT=$(sqlite3 "$DATA/soporte.db" "select id from users where email = '$AGENT_EMAIL'")
export ORG=org01

serve_bg "$DATA"
count=$(sqlite3 "$DATA/soporte.db" 'select count(*) from tickets')
echo "server $URL (pid $SERVER); $count tickets"

cpu() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }  # clock ticks (1/100 s)

if [[ " $PARTS " == *" a "* ]]; then
  echo "== (a) each filter and combination: wrk -t1 -c4 -d$DURATION, limit 50 (ms)"
  bases=("status=active" "" "status=new" "status=waiting_customer" "status=closed")
  extras=("" "org=org01" "org=org40" "criticality=critical" "assignee=$AGENT" "assignee=none"
          "breached=true" "breached=false" "org=org01&criticality=critical"
          "org=org01&breached=true" "org=org40&breached=true" "org=org01&assignee=$AGENT"
          "assignee=$AGENT&breached=true" "criticality=critical&breached=true"
          "org=org01&criticality=critical&assignee=none&breached=true"
          "org=org40&criticality=important&assignee=$AGENT&breached=false")
  worst=0
  for b in "${bases[@]}"; do
    for e in "${extras[@]}"; do
      q="limit=50"; [ -n "$b" ] && q="$q&$b"; [ -n "$e" ] && q="$q&$e"
      r=$(FRESH=1 LIST_PATH="/api/v1/tickets?$q" wrk -t1 -c4 -d"$DURATION" --latency -s bench/wrk/list.lua "$URL" 2>&1 | grep RESULT | cut -d' ' -f2-)
      printf '%-90s %s\n' "$q" "$r"
      p95=$(field p95 "$r"); worst=$(awk -v a="$worst" -v b="$p95" 'BEGIN {print (b > a) ? b : a}')
    done
  done
  echo "(a) worst p95 over every filter: $worst ms"
fi

if [[ " $PARTS " == *" c "* ]]; then
  echo "== (c) /healthz beside a page of 50 (status=active), wrk -t2 -c64 -d10s"
  H=(); P=(); R=(); PP=()
  for r in $(seq 1 "$ROUNDS"); do
    h=$(wrk -t2 -c64 -d10s --latency -s bench/wrk/report.lua "$URL/healthz" 2>&1 | grep RESULT | cut -d' ' -f2-)
    p=$(LIST_PATH="/api/v1/tickets?status=active&limit=50" wrk -t2 -c64 -d10s --latency -s bench/wrk/list.lua "$URL" 2>&1 | grep RESULT | cut -d' ' -f2-)
    echo "round $r healthz: $h"; echo "round $r page50:  $p"
    H+=("$(field rps "$h")"); P+=("$(field rps "$p")"); PP+=("$(field p99 "$p")")
    R+=("$(awk -v a="$(field rps "$p")" -v b="$(field rps "$h")" 'BEGIN {printf "%.3f", a / b}')")
  done
  echo "(c) median: healthz $(median "${H[@]}") req/s, page of 50 $(median "${P[@]}") req/s (p99 $(median "${PP[@]}") ms), ratio $(median "${R[@]}")"
fi

if [[ " $PARTS " == *" d "* ]]; then
  echo "== (d) mixed 30% create / 50% get / 20% page, wrk -t2 -c64 -d10s"
  M=(); MP=()
  for r in $(seq 1 "$ROUNDS"); do
    first=$(sqlite3 "$DATA/soporte.db" 'select min(number) from tickets')
    last=$(sqlite3 "$DATA/soporte.db" 'select max(number) from tickets')
    m=$(FIRST=$first LAST=$last wrk -t2 -c64 -d10s --latency -s bench/wrk/mixed.lua "$URL" 2>&1 | grep RESULT | cut -d' ' -f2-)
    echo "round $r mixed: $m"
    M+=("$(field rps "$m")"); MP+=("$(field p99 "$m")")
  done
  echo "(d) median: $(median "${M[@]}") req/s, p99 $(median "${MP[@]}") ms"
fi

if [[ " $PARTS " == *" b "* ]]; then
  echo "== (b) ${CONSOLES:-50} consoles on the event stream, tickets created at 100/s for ${SECONDS_B:-20} s"
  B=(); for r in $(seq 1 "$ROUNDS"); do
    for n in 0 "${CONSOLES:-50}"; do
      c0=$(cpu)
      out=$(URL=$URL CONSOLES=$n RATE=100 DURATION_S=${SECONDS_B:-20} node bench/consoles.mjs | grep RESULT | cut -d' ' -f2-)
      c1=$(cpu)
      secs=$(field seconds "$out")
      share=$(awk -v t=$((c1 - c0)) -v s="$secs" 'BEGIN {printf "%.1f", t / s}')  # % of one core
      echo "round $r consoles=$n: server CPU $share% of one core; $out"
      if [ "$n" = 0 ]; then base=$share; else B+=("$(awk -v a="$share" -v b="$base" 'BEGIN {printf "%.1f", a - b}')"); fi
    done
  done
  echo "(b) median server CPU the consoles add (lists, single reads and the stream): $(median "${B[@]}")% of one core"
fi
