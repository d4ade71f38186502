#!/usr/bin/env bash
# What the full-text index costs ticket creation through the API (issue 18, part 5: "ticket
# creation throughput drops by no more than 15 % with the index"). One release binary, two data
# directories: A as migrated (the index kept by its triggers), B with the index's triggers
# dropped (no index). Both servers run side by side; rounds alternate A and B (wrk, 64
# connections, creates with varied Spanish text) beside /healthz, so machine noise falls on both
# alike; medians printed last. PRELOAD tickets are created in both first (through the API).
# Usage: bash bench/search_write_bench.sh [ROUNDS]   (default 5; PRELOAD default 20000)
#
# Measured 2026-12-07 on 2 cores shared with other builds (load 10+; single rounds range from
# 0 % to 29 %, so compare medians of several runs). Before (main at 6881dbc, 5 rounds): with the
# index 3409 req/s, without 4455, drop 23.5 %. After (tokenizer without per-word allocation, the
# flush's statements cached, FTS5 merges moved to the writer's idle time by 0025), `bash
# bench/search_write_bench.sh 7` three times: 3187 vs 3805 req/s, drop 16.2 % (p99 87 vs 96 ms);
# 3521 vs 4436 req/s, drop 20.6 % (p99 99 vs 68 ms); on a quieter moment (healthz 50k req/s)
# 4317 vs 4711 req/s, drop 8.4 % (p99 52 vs 53 ms). Database bytes per ticket: 1299 vs 1127.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
PRELOAD=${PRELOAD:-20000}
source bench/lib.sh
release_bin
bench_dir ROOT searchw
for side in A B; do
  mkdir -p "$ROOT/$side"
  bench_store "$ROOT/$side" >"$ROOT/$side/token"
done
# B: no index (the triggers that keep it are dropped; the empty tables stay).
sqlite3 "$ROOT/B/soporte.db" "$(sqlite3 "$ROOT/B/soporte.db" \
  "select group_concat('DROP TRIGGER ' || name, '; ') from sqlite_master where type='trigger' and name like '%_fts_%'")"
echo "B triggers left: $(sqlite3 "$ROOT/B/soporte.db" "select count(*) from sqlite_master where type='trigger' and name like '%_fts_%'")"
serve_bg "$ROOT/A"
URL_A=$URL
serve_bg "$ROOT/B"
URL_B=$URL
export ORG=bench
count() { sqlite3 "$ROOT/$1/soporte.db" 'select count(*) from tickets'; }
for side in A B; do
  url=URL_$side
  while [ "$(count $side)" -lt "$PRELOAD" ]; do
    TOKEN=$(cat "$ROOT/$side/token") wrk -t2 -c"$CONNS" -d5s -s bench/wrk/create_ticket_words.lua "${!url}" >/dev/null 2>&1
  done
done
echo "preloaded: A $(count A) tickets, B $(count B) tickets"
HA=(); CA=(); CB=(); PA=(); PB=()
for r in $(seq 1 "$ROUNDS"); do
  h=$(result -s bench/wrk/report.lua "$URL_A/healthz")
  a=$(TOKEN=$(cat "$ROOT/A/token") result -s bench/wrk/create_ticket_words.lua "$URL_A")
  b=$(TOKEN=$(cat "$ROOT/B/token") result -s bench/wrk/create_ticket_words.lua "$URL_B")
  echo "round $r  healthz: $h"
  echo "round $r  create with index:    $a"
  echo "round $r  create without index: $b"
  HA+=("$(field rps "$h")"); CA+=("$(field rps "$a")"); CB+=("$(field rps "$b")"); PA+=("$(field p99 "$a")"); PB+=("$(field p99 "$b")")
done
ma=$(median "${CA[@]}"); mb=$(median "${CB[@]}")
echo "median req/s: healthz $(median "${HA[@]}")  create with index $ma  without $mb  (drop $(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.1f", 100*(b-a)/b}') %)"
echo "median p99 ms: create with index $(median "${PA[@]}")  without $(median "${PB[@]}")"
sa=$(stat -c %s "$ROOT/A/soporte.db"); sb=$(stat -c %s "$ROOT/B/soporte.db")
echo "tickets: A $(count A) B $(count B); database bytes per ticket: A $((sa / $(count A))) B $((sb / $(count B)))"
