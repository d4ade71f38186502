#!/usr/bin/env bash
# The data directory is its owner's alone (issue 16): after `init`, `serve` and `backup`, run
# under a permissive umask (022), the directory is 0700 and the database, its -wal and -shm
# files, the key and every backup are 0600; a database left 0644 by an older version is tightened
# when it is next opened. Usage: file_modes_test.sh SOPORTE_BIN
set -u
bin=$1
failures=0
tmp=$(mktemp -d)
server=0
trap '[[ $server != 0 ]] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
umask 022

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# mode PATH WANT WHEN: PATH has octal mode WANT.
mode() {
  local got
  got=$(stat -c %a "$1" 2>/dev/null) || { fail "$3: $1 does not exist"; return; }
  [[ $got == "$2" ]] || fail "$3: $1 has mode $got, want $2"
}

data=$tmp/data
"$bin" init --data "$data" >/dev/null || fail "init failed"
mode "$data" 700 init
mode "$data/blobs" 700 init
mode "$data/soporte.db" 600 init
mode "$data/secret.key" 600 init
for side in -wal -shm; do
  [[ -e $data/soporte.db$side ]] && mode "$data/soporte.db$side" 600 init
done

# serve: while it runs the WAL and the shared-memory index exist.
"$bin" serve --data "$data" --listen 127.0.0.1:0 --fast-password-hashing >"$tmp/serve.out" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$tmp/serve.out" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1  # polling the server's first line, not waiting for time to pass
done
grep -q "listening on" "$tmp/serve.out" || fail "serve did not start: $(cat "$tmp/serve.out")"
mode "$data/soporte.db" 600 serve
mode "$data/soporte.db-wal" 600 serve
mode "$data/soporte.db-shm" 600 serve
mode "$data" 700 serve
kill -TERM "$server"
wait "$server" 2>/dev/null
server=0

"$bin" backup --data "$data" --out "$tmp/copy.db" >/dev/null || fail "backup failed"
mode "$tmp/copy.db" 600 backup
[[ -e $tmp/copy.db-journal ]] && fail "backup left a journal beside the copy"

# A database and directory made looser by an older version are tightened on the next open.
chmod 644 "$data/soporte.db"
chmod 755 "$data"
"$bin" backup --data "$data" --out "$tmp/copy2.db" >/dev/null || fail "second backup failed"
"$bin" serve --data "$data" --listen 127.0.0.1:0 --fast-password-hashing >"$tmp/serve2.out" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$tmp/serve2.out" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
mode "$data/soporte.db" 600 "serve over an old 0644 database"
mode "$data" 700 "serve over an old 0755 directory"
kill -TERM "$server"
wait "$server" 2>/dev/null
server=0

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok"
