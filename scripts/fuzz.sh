#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (the `fuzz` preset) and runs each from its seed corpus
# (test/data/mail for MIME, test/data/fuzz/<target>/ for the others) as ctests labelled `fuzz`,
# two at a time: MIME and multipart for SOPORTE_FUZZ_SECONDS (default 60), the small-document
# parsers for SOPORTE_FUZZ_SMALL_SECONDS (default: half of SOPORTE_FUZZ_SECONDS). Skips with a
# message when clang is not installed. Exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ not installed; skipping the libFuzzer runs" >&2
  exit 0
fi
JOBS=${JOBS:-2}
cmake --preset fuzz -DSOPORTE_FUZZ_SECONDS="${SOPORTE_FUZZ_SECONDS:-60}" \
  -DSOPORTE_FUZZ_SMALL_SECONDS="${SOPORTE_FUZZ_SMALL_SECONDS:-}" >/dev/null
cmake --build --preset fuzz -j "$JOBS"
ctest --preset fuzz --timeout 900
