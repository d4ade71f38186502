#!/usr/bin/env bash
# Several nodes behind nginx (README "Running several nodes"): wrk against
#   GET /healthz (the path's own ceiling, in the same round), POST /api/v1/tickets,
#   GET /api/v1/tickets/{n} and GET /api/v1/tickets?status=active&limit=50 (a page of the list)
# for each of: one node on SQLite straight (sqlite-direct) and through nginx (sqlite-nginx), and
# 1, 2 and 3 nodes on PostgreSQL through nginx (pg-1, pg-2, pg-3), every node sharing one --data
# directory. nginx runs packaging/nginx/soporte-cluster.conf (TLS with a throwaway self-signed
# certificate, upstream list, ports and paths adjusted; worker_processes auto). ROUNDS rounds per
# configuration; medians printed last, each figure also as a share of /healthz on the same path.
# During the first round the CPU each party used is read from /proc (soporte nodes, nginx,
# PostgreSQL's server processes, wrk), as % of one core: where the time goes.
# Needs a release build, nginx, wrk, openssl, psql and SOPORTE_PG_URL (scripts/postgres.sh start).
# Usage: [ROUNDS=3] [DURATION=5s] [CONNS=64] [CONFIGS="sqlite-direct sqlite-nginx pg-1 pg-2 pg-3"]
#        bash bench/cluster_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-64}
CONFIGS=${CONFIGS:-sqlite-direct sqlite-nginx pg-1 pg-2 pg-3}
SITE=packaging/nginx/soporte-cluster.conf
: "${SOPORTE_PG_URL:?set SOPORTE_PG_URL (eval \"\$(bash scripts/postgres.sh start)\")}"
for tool in wrk openssl psql; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
source bench/lib.sh
release_bin
bench_dir WORK cluster-bench
PG_PORT=$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$SOPORTE_PG_URL")
DBS=()
drop_dbs() { for db in "${DBS[@]}"; do psql "$SOPORTE_PG_URL" -XAtqc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true; done; }
trap 'bench_cleanup; drop_dbs' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout "$WORK/server.key" \
  -out "$WORK/server.pem" >/dev/null 2>&1

# nginx_bg UPSTREAM…: nginx running the cluster site in front of the given host:port nodes; sets
# NGINX_PID and NGINX_URL.
nginx_bg() {
  local d=$WORK/nginx port servers=""
  rm -rf "$d"; mkdir -p "$d"/{body,proxy,fastcgi,uwsgi,scgi}
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  for u in "$@"; do servers+="    server $u max_fails=3 fail_timeout=10s;\n"; done
  # The three example nodes become the given ones; TLS on a loopback port; no IPv6 listener and
  # no port-80 redirect server.
  awk -v servers="$servers" '
    /^ *server 10\.0\.0\.[0-9]+:8080/ { if (!done) { printf "%s", servers; done = 1 } next }
    { print }' "$SITE" |
    sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$port ssl http2;#" -e '/listen \[::\]/d' \
        -e "s#/etc/ssl/certs/soporte.example.com.pem#$WORK/server.pem#" \
        -e "s#/etc/ssl/private/soporte.example.com.key#$WORK/server.key#" >"$d/site.conf"
  # The redirect server (listen 80) is dropped: it is not measured.
  python3 - "$d/site.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"# Plain HTTP only redirects to HTTPS\.\nserver \{.*?\n\}\n", "", s, flags=re.S)
open(p, "w").write(s)
PY
  cat >"$d/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes auto;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $d/body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    include $d/site.conf;
}
EOF
  "$NGINX" -t -q -p "$d" -c "$d/nginx.conf"
  "$NGINX" -p "$d" -c "$d/nginx.conf" &
  NGINX_PID=$!
  BENCH_PIDS+=("$NGINX_PID")
  NGINX_URL="https://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -skf -o /dev/null "$NGINX_URL/healthz" && return; sleep 0.05; done
  echo "nginx did not start:" >&2; cat "$d/error.log" >&2; exit 1
}

# node_bg DIR LOG [serve options…]: one node; appends its pid to NODE_PIDS and host:port to NODES.
node_bg() {
  local dir=$1 log=$2 url
  shift 2
  "$BIN" serve --data "$dir" --listen 127.0.0.1:0 --trusted-proxy 127.0.0.1/32 "$@" >"$log" 2>&1 &
  NODE_PIDS+=("$!")
  BENCH_PIDS+=("$!")
  for _ in $(seq 1 400); do grep -q "listening on" "$log" && break; sleep 0.05; done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  [ -n "$url" ] || { echo "serve did not start:" >&2; cat "$log" >&2; exit 1; }
  NODES+=("${url#http://}")
}

stop_all() {
  for p in "${NODE_PIDS[@]}" ${NGINX_PID:-}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  NODE_PIDS=(); NODES=(); NGINX_PID=""
}

# CPU time (clock ticks) of a set of processes: "soporte nginx postgres wrk" figures.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sum_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(ticks "$p"))); done; echo "$t"; }
pg_pids() {
  local master
  master=$(ss -ltnpH "sport = :$PG_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  echo "$master" $(pgrep -P "$master")
}
nginx_pids() { [ -n "${NGINX_PID:-}" ] && echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); }

# measured NAME [wrk args…]: one wrk run; in round 1 also the CPU each party used during it.
measured() {
  local name=$1
  shift
  local hz secs before_s before_n before_p after_s after_n after_p start end wrk_out
  hz=$(getconf CLK_TCK)
  if [ "$round" = 1 ]; then
    local pgp ngp
    pgp=$(pg_pids); ngp=$(nginx_pids)
    before_s=$(sum_ticks "${NODE_PIDS[@]}"); before_n=$(sum_ticks $ngp); before_p=$(sum_ticks $pgp)
    start=$(date +%s.%N)
    wrk_out=$( { /usr/bin/time -f 'WRKCPU %U %S' wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$@"; } 2>&1 )
    end=$(date +%s.%N)
    after_s=$(sum_ticks "${NODE_PIDS[@]}"); after_n=$(sum_ticks $ngp); after_p=$(sum_ticks $pgp)
    secs=$(echo "$end - $start" | bc -l)
    local w
    w=$(grep WRKCPU <<<"$wrk_out" | awk '{print $2 + $3}')
    printf '    cpu %-8s soporte %3.0f%%  nginx %3.0f%%  postgres %3.0f%%  wrk %3.0f%%  (of one core; 2 cores = 200%%)\n' "$name" \
      "$(echo "($after_s - $before_s) / $hz / $secs * 100" | bc -l)" \
      "$(echo "($after_n - $before_n) / $hz / $secs * 100" | bc -l)" \
      "$(echo "($after_p - $before_p) / $hz / $secs * 100" | bc -l)" \
      "$(echo "$w / $secs * 100" | bc -l)" >&2
    grep RESULT <<<"$wrk_out" | cut -d' ' -f2-
  else
    wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$@" 2>&1 | grep RESULT | cut -d' ' -f2-
  fi
}

declare -A MED
NODE_PIDS=(); NODES=(); NGINX_PID=""
echo "wrk -t2 -c$CONNS -d$DURATION, $ROUNDS rounds per configuration; $(nproc) cores"
for config in $CONFIGS; do
  bench_dir DATA "cluster-$config"
  case $config in
    sqlite-*)
      TOKEN=$(bench_store "$DATA")
      node_bg "$DATA" "$DATA/node0.log"
      LAST_SQL() { sqlite3 "$DATA/soporte.db" 'select max(number) from tickets'; }
      ;;
    pg-*)
      n=${config#pg-}
      db="bench_cluster_$$_$n"
      psql "$SOPORTE_PG_URL" -XAtqc "CREATE DATABASE $db" >/dev/null
      DBS+=("$db")
      export SOPORTE_STORE=${SOPORTE_PG_URL%/*}/$db
      TOKEN=$(bench_store "$DATA")
      for i in $(seq 1 "$n"); do node_bg "$DATA" "$DATA/node$i.log"; done
      LAST_SQL() { psql "$SOPORTE_STORE" -XAtqc 'select max(number) from tickets'; }
      ;;
    *) echo "unknown configuration $config" >&2; exit 2 ;;
  esac
  if [ "$config" = sqlite-direct ]; then
    BASE="http://${NODES[0]}"
  else
    nginx_bg "${NODES[@]}"
    BASE=$NGINX_URL
  fi
  export TOKEN ORG=bench
  echo "== $config: ${#NODES[@]} node(s) ${NODES[*]} via $BASE"
  H=(); C=(); G=(); P=(); CR=(); GR=(); PR=(); CP=(); GP=(); PP=()
  for round in $(seq 1 "$ROUNDS"); do
    h=$(measured healthz -s bench/wrk/report.lua "$BASE/healthz")
    c=$(measured create -s bench/wrk/create_ticket.lua "$BASE")
    last=$(LAST_SQL)
    g=$(FIRST=1001 LAST=$last measured get -s bench/wrk/get_ticket.lua "$BASE")
    p=$(LIST_PATH="/api/v1/tickets?status=active&limit=50" measured page50 -s bench/wrk/list.lua "$BASE")
    echo "  round $round healthz: $h"
    echo "  round $round create:  $c"
    echo "  round $round get:     $g"
    echo "  round $round page50:  $p"
    H+=("$(field rps "$h")"); C+=("$(field rps "$c")"); G+=("$(field rps "$g")"); P+=("$(field rps "$p")")
    CP+=("$(field p99 "$c")"); GP+=("$(field p99 "$g")"); PP+=("$(field p99 "$p")")
    CR+=("$(echo "$(field rps "$c") / $(field rps "$h")" | bc -l)")
    GR+=("$(echo "$(field rps "$g") / $(field rps "$h")" | bc -l)")
    PR+=("$(echo "$(field rps "$p") / $(field rps "$h")" | bc -l)")
  done
  MED[$config]=$(printf 'healthz %6.0f | create %5.0f (%.2f of healthz, p99 %s ms) | get %5.0f (%.2f, p99 %s ms) | page50 %5.0f (%.2f, p99 %s ms)' \
    "$(median "${H[@]}")" "$(median "${C[@]}")" "$(median "${CR[@]}")" "$(median "${CP[@]}")" \
    "$(median "${G[@]}")" "$(median "${GR[@]}")" "$(median "${GP[@]}")" \
    "$(median "${P[@]}")" "$(median "${PR[@]}")" "$(median "${PP[@]}")")
  echo "  median req/s: ${MED[$config]}"
  stop_all
  unset SOPORTE_STORE
done
echo
echo "medians (req/s; each also as a share of /healthz through the same path, same round):"
for config in $CONFIGS; do printf '%-14s %s\n' "$config" "${MED[$config]}"; done
