#!/usr/bin/env bash
# Times `soporte sla due --batch` end to end (parsing and output included) on 1,000,000 generated
# lines and prints lines/s. Target (issue #8): at least 500,000 lines/s. Uses the release build:
#   cmake -S . -B build/sla-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DSOPORTE_BUILD_BENCH=ON
#   ninja -C build/sla-rel soporte && bench/batch_bench.sh [build/sla-rel/src/main/soporte] [LINES]
set -euo pipefail
bin=${1:-build/sla-rel/src/main/soporte}
lines=${2:-1000000}
input=$(mktemp)
trap 'rm -f "$input"' EXIT
awk -v n="$lines" 'BEGIN {
  srand(1); split("8x5 24x7", m, " "); split("normal important critical", c, " ");
  split("portal email phone chat", ch, " "); split("-05:00 Z +01:00", off, " ");
  for (i = 0; i < n; i++) {
    printf "%s\t%s\t%s\t2026-%02d-%02dT%02d:%02d:%02d%s\n", m[1 + int(rand() * 2)], c[1 + int(rand() * 3)],
      ch[1 + int(rand() * 4)], 1 + int(rand() * 12), 1 + int(rand() * 28), int(rand() * 24),
      int(rand() * 60), int(rand() * 60), off[1 + int(rand() * 3)]
  }
}' >"$input"
start=$(date +%s.%N)
"$bin" sla due --batch <"$input" >/dev/null
end=$(date +%s.%N)
awk -v n="$lines" -v s="$start" -v e="$end" 'BEGIN { printf "%d lines in %.3f s: %.0f lines/s\n", n, e - s, n / (e - s) }'
