#!/usr/bin/env bash
# `--store` / SOPORTE_STORE through the real binary: a PostgreSQL database that cannot be reached
# stops init and serve at once with exit 75 (try again later) and a message naming the server,
# never a silent fallback to the embedded SQLite store, and a refused init creates nothing; a
# value that is neither sqlite nor a PostgreSQL URL is refused with exit 2; --store sqlite is the
# default store. (integration_postgres_serve runs a desk on a reachable PostgreSQL.)
# Usage: store_choice_test.sh SOPORTE_BIN
set -uo pipefail
BIN=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
expect() {  # expect EXIT_CODE PATTERN -- command...
  local want=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> exit $rc (want $want), output: $out"
    fails=$((fails + 1))
  fi
}
PG=postgresql://nobody@127.0.0.1:1/none  # nothing listens on port 1

expect 75 "127.0.0.1" -- "$BIN" init --data "$TMP/a" --store "$PG"
[ ! -e "$TMP/a" ] || { echo "FAIL: a refused init created $TMP/a"; fails=$((fails + 1)); }
expect 75 "127.0.0.1" -- env SOPORTE_STORE="$PG" "$BIN" init --data "$TMP/a"
[ ! -e "$TMP/a" ] || { echo "FAIL: a refused init created $TMP/a"; fails=$((fails + 1)); }
expect 2 "--store must be 'sqlite'" -- "$BIN" init --data "$TMP/a" --store mysql://x
expect 2 "--store must be 'sqlite'" -- "$BIN" serve --data "$TMP/a" --store "$TMP/b"
expect 0 "initialised" -- "$BIN" init --data "$TMP/a" --store sqlite
[ -f "$TMP/a/soporte.db" ] || { echo "FAIL: --store sqlite made no DATA/soporte.db"; fails=$((fails + 1)); }
expect 75 "127.0.0.1" -- "$BIN" serve --data "$TMP/a" --listen 127.0.0.1:0 --store "$PG"

[ "$fails" -eq 0 ] && echo "store choice: ok"
exit "$fails"
