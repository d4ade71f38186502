#!/usr/bin/env bash
# The email channel against real servers (scripts/services.sh: Dovecot IMAP + aiosmtpd on
# loopback, SMTP → Maildir → IMAP). A customer writes to the desk by SMTP; `soporte serve` polls
# the mailbox over IMAP and opens the ticket (checked through the API with a Bearer token); the
# acknowledgement and an agent's API reply come back by SMTP (read from the Maildir: headers
# Auto-Submitted, Message-ID, In-Reply-To, [#N]); the customer's reply to it lands on the same
# ticket; with the SMTP server stopped a reply and an acknowledgement stay in the outbox as the
# facts they will say, and are delivered once SMTP is back, saying what was true when they were
# written (not what changed meanwhile). usage: mail_server_test.sh SOPORTE_BIN SERVICES_SCRIPT
# Needs SOPORTE_IMAP_PORT, SOPORTE_SMTP_PORT, SOPORTE_MAILDIR (exported by scripts/test-all.sh);
# skipped (exit 77) without them.
set -u
bin=$1
services=$2
if [[ -z ${SOPORTE_IMAP_PORT:-} || -z ${SOPORTE_SMTP_PORT:-} || -z ${SOPORTE_MAILDIR:-} ]]; then
  echo "SKIP: mail services not running (scripts/services.sh start)"; exit 77
fi
failures=0
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  bash "$services" start-smtp >/dev/null 2>&1  # leave the SMTP sink as we found it
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
data=$tmp/data
db() { sqlite3 -batch -noheader "$data/soporte.db" "$1"; }
# A unique customer address per run: the shared Maildir may hold earlier runs' mail.
run=$$-$RANDOM
customer="ana.$run@acme.example.com"

"$bin" init --data "$data" >/dev/null
"$bin" org add --data "$data" --slug acme --name ACME >/dev/null
"$bin" contract add --data "$data" --org acme --modality 24x7 --valid-from 2020-01-01 >/dev/null
"$bin" user add --data "$data" --email "$customer" --name "Ana" --role customer --org acme >/dev/null
"$bin" user add --data "$data" --email "luis.$run@example.com" --name "Luis" --role agent >/dev/null
token=$("$bin" token create --data "$data" --email "luis.$run@example.com" --name mail-test)

"$bin" serve --data "$data" --listen 127.0.0.1:0 --threads 1 --db-threads 4 --fast-password-hashing \
  --mail-from soporte@example.com --smtp-url "smtp://127.0.0.1:$SOPORTE_SMTP_PORT" \
  --imap-url "imap://agent:secreto@127.0.0.1:$SOPORTE_IMAP_PORT/INBOX" --imap-poll-seconds 1 \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$tmp/server.out")
[[ -n $base ]] || { echo "server did not start: $(cat "$tmp/server.err")"; exit 1; }
api() { curl -s -H "Authorization: Bearer $token" -H "Content-Type: application/json" "$@"; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# wait_for SECONDS COMMAND...: retries the command until it succeeds.
wait_for() {
  local secs=$1; shift
  for _ in $(seq 1 $((secs * 5))); do "$@" && return 0; sleep 0.2; done
  return 1
}
# Mail in the Maildir addressed to the customer whose subject contains $1; prints its path.
find_mail() {
  grep -l -r -F "To: $customer" "$SOPORTE_MAILDIR/new" "$SOPORTE_MAILDIR/cur" 2>/dev/null |
    xargs -r grep -l -F "$1" 2>/dev/null | head -1
}
has_mail() { [[ -n $(find_mail "$1") ]]; }
# The decoded Subject and plain-text body of the mail in file $1.
mail_text() {
  /usr/bin/python3 -c 'import sys
from email import message_from_binary_file, policy
m = message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
print("Subject: " + str(m["Subject"]))
print(m.get_body(("plain",)).get_content())' "$1"
}

# 1. The customer writes by SMTP; the poller makes the ticket.
cat > "$tmp/first.eml" <<MAIL
From: Ana <$customer>
To: soporte@example.com
Subject: =?UTF-8?Q?El_m=C3=B3dulo_de_n=C3=B3mina_no_calcula_$run?=
Message-ID: <first-$run@acme.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Desde ayer el cálculo de nómina falla con un error 500.
MAIL
curl -s --url "smtp://127.0.0.1:$SOPORTE_SMTP_PORT" --mail-from "$customer" --mail-rcpt soporte@example.com \
  -T "$tmp/first.eml" || fail "could not send the first mail"
ticket_number() { db "SELECT number FROM tickets WHERE subject LIKE '%$run'"; }
has_ticket() { [[ -n $(ticket_number) ]]; }
wait_for 30 has_ticket || fail "no ticket from the mail (server: $(tail -5 "$tmp/server.err"))"
n=$(ticket_number)
view=$(api "$base/api/v1/tickets/$n")
[[ $(echo "$view" | json "d['channel']") == email ]] || fail "ticket channel: $view"
[[ $(echo "$view" | json "d['subject']") == "El módulo de nómina no calcula $run" ]] || fail "ticket subject: $view"

# 2. The acknowledgement arrives by SMTP with the loop headers and the tag.
wait_for 30 has_mail "[#$n]" || fail "no acknowledgement mail for #$n"
ack=$(find_mail "[#$n]")
if [[ -n $ack ]]; then
  grep -q "^Auto-Submitted: auto-replied" "$ack" || fail "ack without Auto-Submitted"
  grep -q "^Message-I[dD]: <soporte\.$n\." "$ack" || fail "ack without our Message-ID"
  grep -q "^In-Reply-To: <first-$run@acme.example.com>" "$ack" || fail "ack does not answer the customer's mail"
fi

# 3. An agent answers in the API; the answer goes out by mail, threaded.
api -X POST "$base/api/v1/tickets/$n/messages" -d '{"body":"Hola Ana, ¿puede enviar el log del servidor?","internal":false}' >/dev/null
wait_for 30 has_mail "enviar el log del servidor" || fail "agent reply not mailed"
reply=$(find_mail "enviar el log del servidor")
reply_id=""
if [[ -n $reply ]]; then
  grep -q "^Auto-Submitted: auto-generated" "$reply" || fail "reply without Auto-Submitted"
  grep -q "^Subject: .*\[#$n\]" "$reply" || grep -q "^Subject: =?" "$reply" || fail "reply subject without [#$n]"
  grep -q "^In-Reply-To: <" "$reply" || fail "reply without In-Reply-To"
  reply_id=$(sed -n 's/^Message-I[dD]: <\(.*\)>.*/\1/p' "$reply" | head -1)
fi

# 4. The customer answers from the mail client (In-Reply-To our id, quoted history below).
cat > "$tmp/answer.eml" <<MAIL
From: Ana <$customer>
To: soporte@example.com
Subject: Re: respuesta
Message-ID: <answer-$run@acme.example.com>
In-Reply-To: <$reply_id>
References: <first-$run@acme.example.com> <$reply_id>
Content-Type: text/plain; charset=utf-8

Adjunto el log: error en la línea 42.

El mar, 3 mar 2026 a las 10:00, Soporte <soporte@example.com> escribió:
> Hola Ana, ¿puede enviar el log del servidor?
MAIL
curl -s --url "smtp://127.0.0.1:$SOPORTE_SMTP_PORT" --mail-from "$customer" --mail-rcpt soporte@example.com \
  -T "$tmp/answer.eml" || fail "could not send the answer"
has_answer() { api "$base/api/v1/tickets/$n/messages" | grep -q "error en la línea 42"; }
wait_for 30 has_answer || fail "the customer's mail reply did not reach ticket #$n"
api "$base/api/v1/tickets/$n/messages" | grep -q "escribió" && fail "quoted history was not cut"

# 5. SMTP down: the next reply waits in the outbox, and is delivered when SMTP is back. The row
# keeps facts, not text (the reply names its article; rendering is the delivery's work).
bash "$services" stop-smtp
api -X POST "$base/api/v1/tickets/$n/messages" -d '{"body":"Second reply while SMTP is down","internal":false}' >/dev/null
pending() {
  [[ $(db "SELECT count(*) FROM outbox o JOIN articles a ON a.id = o.f_article_id
           WHERE a.body LIKE '%SMTP is down%' AND o.subject = '' AND o.body_text = ''
             AND o.sent_at IS NULL AND o.attempts >= 1") == 1 ]]
}
wait_for 30 pending || fail "the reply was not kept in the outbox (as facts) with a failed attempt"
# An agent opens a ticket for Ana meanwhile: its acknowledgement waits too. Before it is
# delivered the ticket becomes critical (its due moves) and Ana is renamed and asks for English;
# the acknowledgement must still say what was true when the ticket was opened.
opened=$(api -X POST "$base/api/v1/tickets" -d "{\"org\":\"acme\",\"requester\":\"$customer\",
  \"type\":\"incident\",\"environment\":\"prod\",\"criticality\":\"normal\",\"subject\":\"Facturacion lenta $run\",
  \"description\":\"Cada factura tarda minutos.\"}")
n2=$(echo "$opened" | json "d['number']" 2>/dev/null)
due2=$(echo "$opened" | json "d['response_due']" 2>/dev/null)
[[ -n $n2 && -n $due2 ]] || fail "could not open a ticket for Ana: $opened"
[[ $(db "SELECT count(*) FROM outbox WHERE kind = 'ticket_received' AND f_number = ${n2:-0}
         AND subject = '' AND body_text = '' AND facts = 1") == 1 ]] ||
  fail "the acknowledgement of #$n2 is not kept as facts: $(db "SELECT * FROM outbox WHERE f_number = ${n2:-0}")"
api -X PATCH "$base/api/v1/tickets/$n2" -d '{"criticality":"critical"}' >/dev/null
[[ $(api "$base/api/v1/tickets/$n2" | json "d['response_due']") != "$due2" ]] ||
  fail "the due of #$n2 did not move with its criticality"
"$bin" user set --data "$data" --email "$customer" --name "Ana Maria" --lang en >/dev/null ||
  fail "could not rename Ana"
state=$(api "$base/api/v1/outbox/state")
grep -q '"delivering":true' <<<"$state" || fail "a server with --smtp-url says it delivers: $state"
grep -q '"pending":2,' <<<"$state" || fail "the waiting reply and acknowledgement are counted: $state"
[[ -z $(find_mail "SMTP is down") ]] || fail "delivered while SMTP was down?"
bash "$services" start-smtp >/dev/null
# The backoff after one failure is 60 s; make the rows due now, as the operator's retry would.
db "UPDATE outbox SET next_attempt_at = 0 WHERE sent_at IS NULL" || fail "could not make the rows due"
wait_for 40 has_mail "SMTP is down" || fail "the kept reply was not delivered after SMTP came back"
wait_for 40 has_mail "[#$n2]" || fail "the kept acknowledgement of #$n2 was not delivered"
ack2=$(find_mail "[#$n2]")
if [[ -n $ack2 ]]; then
  text2=$(mail_text "$ack2")
  grep -q "^Auto-Submitted: auto-replied" "$ack2" || fail "ack of #$n2 without Auto-Submitted"
  grep -qF "Subject: Recibimos su solicitud: Facturacion lenta $run [#$n2]" <<<"$text2" ||
    grep -qF "Subject: [#$n2] Recibimos su solicitud: Facturacion lenta $run" <<<"$text2" ||
    fail "ack of #$n2: not the Spanish subject of then: $text2"
  grep -qF "Hola Ana:" <<<"$text2" || fail "ack of #$n2 not to the name of then: $text2"
  grep -qF "Criticidad:  normal" <<<"$text2" || fail "ack of #$n2 not with the criticality of then: $text2"
  grep -qF "Respuesta a más tardar: $due2" <<<"$text2" || fail "ack of #$n2 not with the due of then ($due2): $text2"
  grep -qF "Cómo se calculó el plazo de respuesta" <<<"$text2" || fail "ack of #$n2 without how the due was computed"
fi
[[ $(db "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0 ]] || fail "outbox not empty"
[[ $(db "SELECT count(*) FROM outbox WHERE body_text != ''") == 0 ]] || fail "rendered text was stored"

# 6. Restart-safe polling: a restarted server does not ingest the same messages again.
count_before=$(db "SELECT count(*) FROM articles")
kill "$server_pid"; wait "$server_pid" 2>/dev/null
"$bin" serve --data "$data" --listen 127.0.0.1:0 --threads 1 --fast-password-hashing \
  --imap-url "imap://agent:secreto@127.0.0.1:$SOPORTE_IMAP_PORT/INBOX" --imap-poll-seconds 1 \
  >"$tmp/server2.out" 2>"$tmp/server2.err" &
server_pid=$!
sleep 3
[[ $(db "SELECT count(*) FROM articles") == "$count_before" ]] || fail "restart re-ingested mail"
[[ $(db "SELECT count(*) FROM tickets") == 2 ]] || fail "restart made tickets: $(db 'SELECT count(*) FROM tickets')"

if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; echo "--- server stderr"; cat "$tmp/server.err"; exit 1; fi
echo "mail with real servers: all checks passed"
