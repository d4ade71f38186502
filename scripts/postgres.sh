#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the store conformance suite and the
# integration tests (STACK-NOTES §3, option A): initdb in a temporary directory as user postgres,
# trust authentication, 127.0.0.1 only, fsync off (test data only; never for a real desk).
# usage: scripts/postgres.sh start|stop|status|env
# Port from SOPORTE_PG_PORT (35432). The state directory is recorded in $SOPORTE_PG_FILE (default
# /tmp/soporte-pg.last). Idempotent: `start` starts only when not running; `stop` stops it and
# removes the state. Runs the server as user postgres (through runuser when root). `start` and
# `env` print the export for the tests: SOPORTE_PG_URL=postgresql://postgres@127.0.0.1:PORT/postgres
set -euo pipefail
PG_PORT=${SOPORTE_PG_PORT:-35432}
STATE_FILE=${SOPORTE_PG_FILE:-/tmp/soporte-pg.last}
PG_BIN=${SOPORTE_PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
wait_port() {
  for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "postgres: port $1 not up" >&2
  return 1
}
running() {
  [ -f "$STATE_FILE" ] && [ -d "$(cat "$STATE_FILE")/data" ] &&
    as_postgres "$PG_BIN/pg_ctl" -D "$(cat "$STATE_FILE")/data" status >/dev/null 2>&1
}
exports() {
  echo "export SOPORTE_PG_PORT=$PG_PORT SOPORTE_PG_URL=postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
}

start() {
  if running; then exports; return 0; fi
  local s
  s=$(mktemp -d /tmp/soporte-pg.XXXXXX)
  chmod 755 "$s"  # mktemp makes 0700; user postgres must traverse it
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$s"
  echo "$s" > "$STATE_FILE"
  as_postgres "$PG_BIN/initdb" -D "$s/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$s/initdb.log" 2>&1 || { cat "$s/initdb.log" >&2; return 1; }
  # Never leave the daemon on the caller's stdout/stderr: a piped caller would never see EOF.
  as_postgres "$PG_BIN/pg_ctl" -D "$s/data" -l "$s/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $s -c fsync=off -c max_connections=200" \
    start </dev/null >>"$s/pg_ctl.log" 2>&1 || { cat "$s/server.log" >&2; return 1; }
  wait_port "$PG_PORT"
  exports
}

stop() {
  [ -f "$STATE_FILE" ] || return 0
  local s
  s=$(cat "$STATE_FILE")
  if [ -d "$s/data" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$s/data" -m fast -w stop </dev/null >/dev/null 2>&1 || true
  fi
  rm -rf "$s" "$STATE_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) exports ;;
  status) if running; then echo "postgres up ($PG_PORT)"; else echo "postgres down"; fi ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
