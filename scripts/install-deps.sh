#!/usr/bin/env bash
# Installs every Debian 12 package that soporte needs to build, run and test, and the
# browser-test npm packages. Idempotent; safe to run again. Needs root (or sudo).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Boost: always the versioned 1.81 packages; the unversioned ones conflict with them.
PKGS=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libexpected-dev
  libsqlite3-dev sqlite3 libpq-dev libpqxx-dev postgresql
  libgmime-3.0-dev libgumbo-dev libsodium-dev libcurl4-openssl-dev libmagic-dev libmagic1
  libhowardhinnant-date-dev tzdata
  libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev libstemmer-dev
  dovecot-imapd python3-aiosmtpd python3-yaml wrk chromium curl
  clang clang-format
  lintian nginx openssl
  fonts-noto-color-emoji
)
# Node.js for the browser tests: the image ships one; install Debian's only where none is present.
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
fi
