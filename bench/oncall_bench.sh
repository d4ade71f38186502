#!/usr/bin/env bash
# On-call benchmark (issue 12): wrk against GET /healthz (the framework's ceiling) and
# GET /api/v1/oncall/now (staffed hours + every rota's on-call arithmetic + the supervisors) in
# the same run, ROUNDS rounds, medians printed last; then the paging job's cost with nothing
# due: the server's CPU time over IDLE seconds of ticks (--page-interval-seconds 1) while the
# store holds PAGES open, unacknowledged pages whose escalation has already run out (only the
# escalate_at index is read, so the figure must not grow with PAGES).
# Usage: bash bench/oncall_bench.sh [ROUNDS]   (default 3; BIN=… to use another build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-16}
PAGES=${PAGES:-20000}
IDLE=${IDLE:-10}
source bench/lib.sh
release_bin
bench_dir DATA bench
bench_store "$DATA" >/dev/null
"$BIN" user add --data "$DATA" --email super@example.com --name Super --role supervisor >/dev/null
export TOKEN; TOKEN=$("$BIN" token create --data "$DATA" --email super@example.com)

serve_bg "$DATA" --page-interval-seconds 1
agent=$(sqlite3 "$DATA/soporte.db" "select id from users where email='agente@example.com'")
super=$(sqlite3 "$DATA/soporte.db" "select id from users where email='super@example.com'")
for d in monday tuesday wednesday thursday friday; do
  shifts+="{\"day\":\"$d\",\"start\":\"18:00\",\"end\":\"08:00\",\"primary\":$agent,\"secondary\":$super},"
done
shifts+="{\"day\":\"saturday\",\"start\":\"08:00\",\"end_day\":\"monday\",\"end\":\"08:00\",\"primary\":$agent}"
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Noches\",\"zone\":\"America/Bogota\",\"shifts\":[${shifts%,}]}" "$URL/api/v1/oncall/rotas"
echo "server $URL (pid $SERVER); wrk -t2 -c$CONNS -d$DURATION"

H=(); N=(); HP=(); NP=()
for r in $(seq 1 "$ROUNDS"); do
  h=$(result -s bench/wrk/report.lua "$URL/healthz")
  n=$(result -s bench/wrk/oncall_now.lua "$URL")
  echo "round $r  healthz:    $h"
  echo "round $r  oncall/now: $n"
  H+=("$(field rps "$h")"); N+=("$(field rps "$n")"); HP+=("$(field p50 "$h")"); NP+=("$(field p50 "$n")")
done
echo "median req/s: healthz $(median "${H[@]}")  oncall/now $(median "${N[@]}")"
echo "median p50 ms: healthz $(median "${HP[@]}")  oncall/now $(median "${NP[@]}")"

# The paging job with nothing due: CPU of the idle server per tick, without and with PAGES open
# pages already escalated to their last level (escalate_at NULL: outside the index).
ticks() {
  local t0 t1
  t0=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  sleep "$IDLE"
  t1=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  echo $(( (t1 - t0) * 10 / IDLE ))  # ms of CPU per second (one tick a second); clock ticks = 10 ms
}
echo "idle server, no pages: $(ticks) ms CPU per 1 s tick"
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"org":"bench","type":"incident","criticality":"normal","channel":"portal","subject":"bench"}' \
  "$URL/api/v1/tickets"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
sqlite3 "$DATA/soporte.db" "with recursive n(i) as (select 1 union all select i+1 from n where i < $PAGES)
  insert into pages(ticket_id, reason, due, level, rota_id, created_at, escalate_at, claimed_until,
                    acknowledged_at, acknowledged_by, acknowledged_via)
  select (select min(id) from tickets), 'sla_warning', i, 2, 1, 0, NULL, NULL, NULL, NULL, '' from n"
serve_bg "$DATA" --page-interval-seconds 1
echo "idle server, $PAGES open pages: $(ticks) ms CPU per 1 s tick"
