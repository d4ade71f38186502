#!/usr/bin/env bash
# The README's test command: installs what is needed, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test (unit, layering, integration against the real
# binary on loopback). Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The house style (.clang-format) on every C++ line changed since it was written down; fails fast.
bash scripts/format-check.sh
JOBS=${JOBS:-$(nproc)}
# Browser tests: playwright-core pinned by test/e2e/package-lock.json (no browser download; they
# drive Debian's /usr/bin/chromium).
(cd test/e2e && npm ci --no-audit --no-fund)
cmake --preset asan-ubsan >/dev/null
cmake --build --preset asan-ubsan -j "$JOBS"
export SOPORTE_BIN="$PWD/build/asan-ubsan/src/main/soporte"
# The Debian package (ctest label packaging checks it), made by cpack from this build: the
# packaging (files, units, maintainer scripts, dependencies) is what the test checks, and a second,
# release build would add ~10 minutes to CI. Vendors make theirs in a release build directory.
(cd build/asan-ubsan && cpack -G DEB >/dev/null)
export SOPORTE_REQUIRE_PACKAGE=1
# Mail servers on loopback for test/integration/mail (Dovecot IMAP + aiosmtpd), and a throwaway
# PostgreSQL 15 cluster on loopback for the store conformance suite (SOPORTE_PG_URL: every
# repository PostgreSQL implements runs its conformance tests there), all stopped on exit.
trap 'bash scripts/services.sh stop; bash scripts/postgres.sh stop' EXIT
eval "$(bash scripts/services.sh start)"
eval "$(bash scripts/postgres.sh start)"
export SOPORTE_IMAP_PORT SOPORTE_SMTP_PORT SOPORTE_MAILDIR SOPORTE_PG_URL
ctest --preset asan-ubsan -j "$JOBS" --timeout 600
# libFuzzer targets (clang, the `fuzz` preset, two at a time): MIME and multipart run 60 s, the
# small-document parsers (JSON API, query/headers, configuration) 30 s each; a crash fails.
bash scripts/fuzz.sh
