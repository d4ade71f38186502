# What the wrk benchmarks share (sourced from bench/*.sh, run from the repository's root):
# the release binary, a data directory with one organisation and an agent, a server started on a
# free loopback port, a wrk run's RESULT line (bench/wrk/report.lua) and medians.
# Servers started by serve_bg are killed, and data directories made by bench_dir removed, on exit.
BENCH_PIDS=()
BENCH_DIRS=()
bench_cleanup() {
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || for d in "${BENCH_DIRS[@]}"; do rm -rf "$d"; done
}
trap bench_cleanup EXIT

# Sets BIN to the release build (built here) unless BIN is already set.
release_bin() {
  if [ -z "${BIN:-}" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release --target soporte >/dev/null
    BIN=$PWD/build/release/src/main/soporte
  fi
}

# bench_dir VAR NAME: sets VAR to a new temporary directory (removed on exit unless KEEP is set).
bench_dir() {
  local d
  d=$(mktemp -d "/tmp/soporte-$2.XXXXXX")
  BENCH_DIRS+=("$d")
  printf -v "$1" '%s' "$d"
}

# bench_store DIR: a store with the organisation `bench` (a 24x7 contract) and the agent
# agente@example.com; prints a new API token of that agent.
bench_store() {
  "$BIN" init --data "$1" >/dev/null
  "$BIN" org add --data "$1" --slug bench --name "Bench S.A.S." >/dev/null
  "$BIN" contract add --data "$1" --org bench --modality 24x7 >/dev/null
  "$BIN" user add --data "$1" --email agente@example.com --name Agente --role agent >/dev/null
  "$BIN" token create --data "$1" --email agente@example.com
}

# serve_bg DIR [serve options…]: starts `soporte serve` on DIR in the background; sets SERVER (its
# pid) and URL. Not to be called in a subshell: the pid must reach the exit trap.
serve_bg() {
  local dir=$1
  shift
  "$BIN" serve --data "$dir" --listen 127.0.0.1:0 "$@" >"$dir/serve.log" 2>&1 &
  SERVER=$!
  BENCH_PIDS+=("$SERVER")
  for _ in $(seq 1 400); do grep -q "listening on" "$dir/serve.log" && break; sleep 0.05; done
  URL=$(grep -o 'http://[0-9.:]*' "$dir/serve.log" | head -1)
  [ -n "$URL" ] || { echo "serve did not start:" >&2; cat "$dir/serve.log" >&2; exit 1; }
}

# result [wrk options…] URL: one wrk run (CONNS connections, DURATION) → "rps=… p50=… p95=… p99=… …".
result() { wrk -t2 -c"${CONNS:-64}" -d"${DURATION:-10s}" --latency "$@" 2>&1 | grep RESULT | cut -d' ' -f2-; }
# field NAME LINE: one figure of a RESULT line.
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
