#!/usr/bin/env bash
# Resident memory while `soporte mail ingest` takes a message with a 50 MB attachment: prints
# the peak RSS of the process and its RSS after opening the data directory with a tiny message,
# whose difference is the growth caused by the attachment (target: under 20 MB).
# usage: bench/mail_rss.sh SOPORTE_BIN
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=$tmp/data
"$bin" init --data "$data" >/dev/null
"$bin" org add --data "$data" --slug acme --name ACME >/dev/null
"$bin" contract add --data "$data" --org acme --modality 24x7 --valid-from 2020-01-01 >/dev/null
"$bin" user add --data "$data" --email ana@acme.example.com --name Ana --role customer --org acme >/dev/null
make_msg() {  # SIZE_BYTES ID
  {
    printf 'From: ana@acme.example.com\r\nTo: soporte@example.com\r\nSubject: adjunto %s\r\nMessage-ID: <%s@acme.example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nAdjunto el volcado.\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="volcado.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n' "$1" "$2"
    head -c "$1" /dev/urandom | base64 -w 76
    printf '\r\n--b--\r\n'
  } > "$tmp/$2.eml"
}
make_msg 1024 small
make_msg $((50 * 1024 * 1024)) big
peak() { /usr/bin/time -f '%M' "$bin" mail ingest --data "$data" < "$1" 2>&1 >/dev/null | tail -1; }
small=$(peak "$tmp/small.eml")
big=$(peak "$tmp/big.eml")
size=$(sqlite3 "$data/soporte.db" "SELECT max(size) FROM attachments")
echo "peak RSS, 1 KB attachment:  ${small} KiB"
echo "peak RSS, 50 MB attachment: ${big} KiB (stored attachment: $size bytes)"
echo "growth: $(( (big - small) / 1024 )) MiB"
