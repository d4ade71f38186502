#!/usr/bin/env bash
# `--store` / SOPORTE_STORE through the real binary: while the PostgreSQL store lacks ports, init,
# serve and config check refuse it with exit 3 naming what it lacks (never a silent fallback to
# the embedded SQLite store), and a refused init creates nothing; a value that is neither sqlite
# nor a PostgreSQL URL is refused with exit 2; --store sqlite is the default store.
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
PG=postgresql://nobody@127.0.0.1:1/none  # never reached: the refusal comes first

expect 3 "PostgreSQL store is not complete yet: it lacks [a-z]" -- "$BIN" init --data "$TMP/a" --store "$PG"
[ ! -e "$TMP/a" ] || { echo "FAIL: a refused init created $TMP/a"; fails=$((fails + 1)); }
expect 3 "it lacks" -- env SOPORTE_STORE="$PG" "$BIN" init --data "$TMP/a"
expect 3 "it lacks" -- "$BIN" serve --data "$TMP/a" --listen 127.0.0.1:0 --store "$PG"
expect 3 "it lacks" -- env SOPORTE_STORE="$PG" "$BIN" config check --data "$TMP/a"
expect 2 "--store must be 'sqlite'" -- "$BIN" init --data "$TMP/a" --store mysql://x
expect 2 "--store must be 'sqlite'" -- "$BIN" serve --data "$TMP/a" --store "$TMP/b"
expect 0 "initialised" -- "$BIN" init --data "$TMP/a" --store sqlite
[ -f "$TMP/a/soporte.db" ] || { echo "FAIL: --store sqlite made no DATA/soporte.db"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "store choice: ok"
exit "$fails"
