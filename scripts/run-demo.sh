#!/usr/bin/env bash
# The README's run command: installs what is needed, builds a release binary, loads the demo
# organisation into ./demo-data (printing the logins) and starts the server on it.
#   LISTEN=127.0.0.1:8080 DATA=./demo-data bash scripts/run-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target soporte
BIN=build/release/src/main/soporte
DATA=${DATA:-./demo-data}
LISTEN=${LISTEN:-127.0.0.1:8080}
"$BIN" demo --data "$DATA"
echo "Log in at http://${LISTEN} with one of the logins above (Ctrl-C stops the server)."
exec "$BIN" serve --data "$DATA" --listen "$LISTEN"
