#!/usr/bin/env bash
# The live chat at scale (issue 13, part 5): for each round, a release `soporte serve` on a new
# temporary data directory and bench/chat_load.cpp against it, then the medians of the rounds.
#   idle: IDLE (10000) chat WebSockets, one per chat, left idle: the server's added resident
#         memory per idle connection (target: at most 16 KiB)
#   load: CONVERSATIONS (1000) chats taken by AGENTS (10) agents whose consoles hold each chat's
#         WebSocket; every visitor sends a message a second for DURATION (30) s: visitor send →
#         agent's socket receive, p50/p90/p99/max (target: p99 under 50 ms)
# Builds nothing: BIN (build/release/src/main/soporte) and CHAT_LOAD (build/release/bench/chat_load)
# must exist: cmake --preset release && cmake --build build/release --target soporte chat_load
# Each chat_load run is bounded by LIMIT seconds (600); any failure stops the script with its message.
# Usage: bash bench/chat_bench.sh [idle|load|both] [ROUNDS]      (default both, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-both}
ROUNDS=${2:-3}
IDLE=${IDLE:-10000}
CONVERSATIONS=${CONVERSATIONS:-1000}
AGENTS=${AGENTS:-10}
DURATION=${DURATION:-30}
LIMIT=${LIMIT:-600}
ORIGIN=https://www.vendor.test
export CHAT_LOAD_PASSWORD=chat-bench-password
BIN=${BIN:-$PWD/build/release/src/main/soporte}
CHAT_LOAD=${CHAT_LOAD:-$PWD/build/release/bench/chat_load}
case $MODE in idle | load | both) ;; *) echo "usage: $0 [idle|load|both] [ROUNDS]" >&2; exit 2 ;; esac
for f in "$BIN" "$CHAT_LOAD"; do
  [ -x "$f" ] || {
    echo "missing $f: cmake --preset release && cmake --build build/release --target soporte chat_load" >&2
    exit 1
  }
done
source bench/lib.sh

# A new store with AGENTS agents (agente1@example.com…) and a server on it: sets SERVER, URL, PORT.
chat_server() {
  local dir
  bench_dir dir chat
  "$BIN" init --data "$dir" >/dev/null
  for i in $(seq 1 "$AGENTS"); do
    echo "$CHAT_LOAD_PASSWORD" | "$BIN" user add --data "$dir" --email "agente$i@example.com" \
      --name "Agente $i" --role agent --password-stdin >/dev/null
  done
  # Every chat of the run may wait at once; no wait alerts (an idle desk stays idle).
  serve_bg "$dir" --chat-origins "$ORIGIN" --chat-max-waiting 30000 --chat-wait-alert-seconds 0
  PORT=${URL##*:}
}

agents=()
for i in $(seq 1 "$AGENTS"); do agents+=(--agent "agente$i@example.com"); done

IDLE_KIB=(); IDLE_STEP=(); P50=(); P90=(); P99=(); MAX=(); CPU=()
for r in $(seq 1 "$ROUNDS"); do
  if [ "$MODE" != load ]; then
    chat_server
    out=$("$CHAT_LOAD" idle --port "$PORT" --pid "$SERVER" --origin "$ORIGIN" \
      --connections "$IDLE" --seconds "$LIMIT")
    echo "round $r idle (server pid $SERVER):"
    echo "$out" | sed 's/^/  /'
    line=$(grep '^idle: .* per idle connection' <<<"$out")
    IDLE_KIB+=("$(sed -E 's/.*KiB: ([0-9.]+) KiB per idle.*/\1/' <<<"$line")")
    IDLE_STEP+=("$(sed -E 's/.*: ([0-9.]+)\)$/\1/' <<<"$line")")
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
  if [ "$MODE" != idle ]; then
    chat_server
    out=$("$CHAT_LOAD" load --port "$PORT" --pid "$SERVER" --origin "$ORIGIN" "${agents[@]}" \
      --conversations "$CONVERSATIONS" --duration "$DURATION" --seconds "$LIMIT")
    echo "round $r load (server pid $SERVER):"
    echo "$out" | sed 's/^/  /'
    line=$(grep '^visitor send' <<<"$out")
    P50+=("$(sed -E 's/.*p50 ([0-9.]+).*/\1/' <<<"$line")")
    P90+=("$(sed -E 's/.*p90 ([0-9.]+).*/\1/' <<<"$line")")
    P99+=("$(sed -E 's/.*p99 ([0-9.]+).*/\1/' <<<"$line")")
    MAX+=("$(sed -E 's/.*max ([0-9.]+).*/\1/' <<<"$line")")
    CPU+=("$(grep '^server: CPU' <<<"$out" | sed -E 's/server: CPU ([0-9.]+)%.*/\1/')")
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  fi
done

echo "medians of $ROUNDS rounds:"
if [ "$MODE" != load ]; then
  echo "  idle, $IDLE connections: $(median "${IDLE_KIB[@]}") KiB per idle connection" \
    "(runs: ${IDLE_KIB[*]}; steps 2.. alone: $(median "${IDLE_STEP[@]}"))"
fi
if [ "$MODE" != idle ]; then
  echo "  load, $CONVERSATIONS conversations at 1 msg/s, visitor send -> agent receive, ms:" \
    "p50 $(median "${P50[@]}") p90 $(median "${P90[@]}") p99 $(median "${P99[@]}")" \
    "max $(median "${MAX[@]}") (p99 runs: ${P99[*]}); server CPU $(median "${CPU[@]}")% of a core"
fi
