#!/usr/bin/env bash
# `soporte mail ingest` end to end on a real data directory: the corpus under test/data/mail
# (ISO-8859-1 QP, base64 UTF-8, HTML-only, inline image, RFC 2231 attachment, Outlook and Gmail
# replies, a DSN bounce, an out-of-office, a mailing list, an unknown sender, GMime's example, a
# malformed file), threading by [#N] and by In-Reply-To, duplicates, and the exit codes an MTA
# relies on (0 only when stored; 75 when the store is unavailable or locked).
# usage: mail_ingest_test.sh SOPORTE_BIN TEST_DATA_DIR
set -u
bin=$1
corpus=$2/mail
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
data=$tmp/data
db() { sqlite3 -batch -noheader "$data/soporte.db" "$1"; }

"$bin" init --data "$data" >/dev/null || { echo "init failed"; exit 1; }
"$bin" org add --data "$data" --slug acme --name "ACME" >/dev/null
"$bin" contract add --data "$data" --org acme --modality 8x5 --valid-from 2020-01-01 >/dev/null
for u in ana jose luisa; do
  "$bin" user add --data "$data" --email $u@acme.example.com --name "$u" --role customer --org acme >/dev/null 2>&1 ||
    fail "user add $u"
done

# ingest FILE → sets $out and $status
ingest() {
  out=$("$bin" mail ingest --data "$data" --mail-from soporte@example.com < "$1" 2>"$tmp/err")
  status=$?
}
expect_ticket() {  # FILE: a new or updated ticket number on stdout, exit 0
  ingest "$1"
  [[ $status == 0 && $out =~ ^[0-9]+$ ]] || fail "$(basename "$1"): status $status out '$out' ($(cat "$tmp/err"))"
}

expect_ticket "$corpus/iso8859_qp_es.eml"
n_iso=$out
subject=$(db "SELECT subject FROM tickets WHERE number=$n_iso")
[[ $subject == "No carga la facturación electrónica" ]] || fail "ISO-8859-1 subject: '$subject'"
desc=$(db "SELECT description FROM tickets WHERE number=$n_iso")
[[ $desc == *"módulo de facturación electrónica no carga en producción"* ]] || fail "QP body: '$desc'"
[[ $(db "SELECT channel FROM tickets WHERE number=$n_iso") == email ]] || fail "channel is not email"
# The SLA clock starts at the email window (never before reception).
[[ $(db "SELECT clock_start >= received_at FROM tickets WHERE number=$n_iso") == 1 ]] || fail "clock_start"
ack=$(db "SELECT kind||'|'||to_address||'|'||auto_submitted||'|'||lang FROM outbox WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso)")
[[ $ack == "ticket_received|ana@acme.example.com|auto-replied|es" ]] || fail "acknowledgement row: '$ack'"
# The row keeps what the mail will say (0022), not its text: delivery renders it
# (mail_server_test.sh reads the delivered text).
[[ $(db "SELECT facts = 1 AND f_number = $n_iso AND f_subject = '$subject' AND subject = '' AND body_text = ''
         AND f_due = (SELECT response_due FROM tickets WHERE number=$n_iso)
         FROM outbox WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso)") == 1 ]] || fail "ack facts"

# The same message again is stored once.
ingest "$corpus/iso8859_qp_es.eml"
[[ $status == 0 && $out == "$n_iso" ]] || fail "duplicate: status $status out '$out'"
[[ $(db "SELECT count(*) FROM tickets") == 1 ]] || fail "duplicate made a ticket"

expect_ticket "$corpus/utf8_base64.eml"
[[ $(db "SELECT subject FROM tickets WHERE number=$out") == "Reinicios del servidor — urgente" ]] || fail "base64 subject"
[[ $(db "SELECT description FROM tickets WHERE number=$out") == *"¿Pueden revisar?"* ]] || fail "base64 body"

expect_ticket "$corpus/html_only.eml"
d=$(db "SELECT description FROM tickets WHERE number=$out")
[[ $d == *"totales en cero desde el 1 de marzo."*"- Ambiente: Producción"* ]] || fail "HTML to text: '$d'"
[[ $(db "SELECT filename FROM attachments WHERE ticket_id=(SELECT id FROM tickets WHERE number=$out)") == mensaje.html ]] || fail "HTML kept"

# Outlook's HTML through the HTML5 parser: an attribute holding '>' is not text (issue 16),
# MsoNormal paragraphs are lines, cells are separated, links keep their target; the quoted
# Outlook header block starts on its own line (a new ticket keeps it; a reply cuts there).
expect_ticket "$corpus/outlook_html_only_es.eml"
d=$(db "SELECT description FROM tickets WHERE number=$out")
want=$'Hola,\n\nEl servidor app01 no arranca tras la actualización:\nVersión | 4.2.1\nDetalle en la wiki (https://acme.example.com/wiki/app01).\n\nDe: Soporte <soporte@example.com>\nEnviado: martes, 3 de marzo de 2026 10:00\nAsunto: Consulta de licencias\nTexto anterior citado.'
[[ $d == "$want" ]] || fail "Outlook HTML to text: '$d'"

expect_ticket "$corpus/alternative_inline_image.eml"
[[ $(db "SELECT count(*) FROM attachments WHERE ticket_id=(SELECT id FROM tickets WHERE number=$out) AND content_type='image/png'") == 1 ]] || fail "inline image"
[[ $(db "SELECT description FROM tickets WHERE number=$out") == "Al iniciar sesión la pantalla queda en blanco. Adjunto captura." ]] || fail "alternative picks text/plain"

expect_ticket "$corpus/attachment_rfc2231.eml"
att=$(db "SELECT filename||'|'||size FROM attachments WHERE ticket_id=(SELECT id FROM tickets WHERE number=$out)")
[[ $att == "factura marzo ñ.pdf|"* ]] || fail "RFC 2231 attachment: '$att'"

# A hostile attachment name (issue 16): a path, then 150 ñ and ".logs" (305 bytes: the old cut
# at 200 bytes split a character). Kept as its last component, valid UTF-8, cut at a character.
{
  sed -e 's/attach-1@/attach-hostile@/' -e "s|filename\*=UTF-8''factura%20marzo%20%C3%B1.pdf|filename*=UTF-8''..%2F..%2Fetc%2F$(printf '%%C3%%B1%.0s' $(seq 150)).logs|" \
    "$corpus/attachment_rfc2231.eml"
} >"$tmp/hostile_name.eml"
expect_ticket "$tmp/hostile_name.eml"
hostile=$(db "SELECT filename FROM attachments WHERE ticket_id=(SELECT id FROM tickets WHERE number=$out)")
[[ $hostile == ñ*.logs ]] || fail "hostile name: path kept or extension lost: '$hostile'"
printf '%s' "$hostile" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || fail "hostile name is not valid UTF-8"
(($(printf '%s' "$hostile" | wc -c) <= 200)) || fail "hostile name longer than 200 bytes"

ingest "$corpus/debian_gmime_example.eml"
# alice@example.net is no customer: kept for agents.
[[ $out == "unassigned "* ]] || fail "GMime example from an unknown sender: '$out'"

# Replies: by [#N] in the subject (Outlook, Spanish quoting) and Gmail (English quoting).
sed "s/#TICKET/#$n_iso/" "$corpus/outlook_reply_es.eml" > "$tmp/outlook.eml"
expect_ticket "$tmp/outlook.eml"
[[ $out == "$n_iso" ]] || fail "Outlook reply joined $out, not $n_iso"
body=$(db "SELECT body FROM articles WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso) ORDER BY id DESC LIMIT 1")
[[ $body == "Adjunto el log que pidieron. El error aparece a las 9:02." ]] || fail "Outlook quote cut: '$body'"
sed "s/#TICKET/#$n_iso/" "$corpus/gmail_reply_en.eml" > "$tmp/gmail.eml"
expect_ticket "$tmp/gmail.eml"
body=$(db "SELECT body FROM articles WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso) ORDER BY id DESC LIMIT 1")
[[ $body == "It still fails after the restart." ]] || fail "Gmail quote cut: '$body'"

# A reply by In-Reply-To alone (our acknowledgement's Message-ID), subject without a tag.
ack_id=$(db "SELECT message_id FROM outbox WHERE kind='ticket_received' ORDER BY id LIMIT 1")
printf 'From: ana@acme.example.com\nTo: soporte@example.com\nSubject: otra cosa\nMessage-ID: <irt-1@acme.example.com>\nIn-Reply-To: <%s>\n\nSigue pasando.\n' "$ack_id" > "$tmp/irt.eml"
expect_ticket "$tmp/irt.eml"
[[ $out == "$n_iso" ]] || fail "In-Reply-To threading joined '$out', not $n_iso"

# No From header (the author only in Return-Path) and the obsolete "Your message of DATE <id>"
# In-Reply-To (RFC 5322 §4.5.4): still the customer's reply to the ticket.
sed "s/ORIGINAL_ID/$ack_id/" "$corpus/reply_no_from_old_irt.eml" > "$tmp/nofrom.eml"
expect_ticket "$tmp/nofrom.eml"
[[ $out == "$n_iso" ]] || fail "reply without From / old In-Reply-To joined '$out', not $n_iso"
[[ $(db "SELECT body FROM articles WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso) ORDER BY id DESC LIMIT 1") == "Ya reinstalamos"* ]] || fail "reply without From: body"

# RFC 3834: an out-of-office without thread headers from a known customer opens no ticket and
# gets no answer; it waits in the unassigned queue.
tickets_before=$(db "SELECT count(*) FROM tickets")
outbox_before=$(db "SELECT count(*) FROM outbox")
ingest "$corpus/auto_reply_no_thread.eml"
[[ $status == 0 && $out == "unassigned "* ]] || fail "unthreaded auto-reply: status $status '$out'"
[[ $(db "SELECT reason FROM inbound_unassigned WHERE message_id='ooo-nothread-1@acme.example.com'") == automatic ]] || fail "unthreaded auto-reply reason"
[[ $(db "SELECT count(*) FROM tickets") == "$tickets_before" ]] || fail "an auto-reply opened a ticket"
[[ $(db "SELECT count(*) FROM outbox") == "$outbox_before" ]] || fail "an auto-reply was answered"

# --mail-auth-serv-id: only our MTA's Authentication-Results count (RFC 8601). A forged From with
# the ticket's tag (dmarc=fail by our MTA, a "pass" written by the sender) waits as unverified;
# a reply our MTA verified joins the ticket.
articles_before=$(db "SELECT count(*) FROM articles WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso)")
sed "s/#TICKET/#$n_iso/" "$corpus/forged_from_tag.eml" > "$tmp/forged.eml"
out=$("$bin" mail ingest --data "$data" --mail-from soporte@example.com --mail-auth-serv-id mx.example.com < "$tmp/forged.eml" 2>"$tmp/err")
[[ $? == 0 && $out == "unassigned "* ]] || fail "forged From: '$out' ($(cat "$tmp/err"))"
[[ $(db "SELECT reason FROM inbound_unassigned WHERE message_id='forged-1@mailer.attacker.example'") == "unverified: dmarc=fail" ]] || fail "forged From reason"
[[ $(db "SELECT count(*) FROM articles WHERE ticket_id=(SELECT id FROM tickets WHERE number=$n_iso)") == "$articles_before" ]] || fail "a forged From posted on the ticket"
sed "s/#TICKET/#$n_iso/" "$corpus/verified_reply.eml" > "$tmp/verified.eml"
out=$("$bin" mail ingest --data "$data" --mail-from soporte@example.com --mail-auth-serv-id mx.example.com < "$tmp/verified.eml" 2>"$tmp/err")
[[ $? == 0 && $out == "$n_iso" ]] || fail "verified reply: '$out' ($(cat "$tmp/err"))"

# Out-of-office: kept on the ticket as an internal note, no answer.
before=$(db "SELECT count(*) FROM outbox")
sed "s/#TICKET/#$n_iso/" "$corpus/auto_reply_ooo.eml" > "$tmp/ooo.eml"
expect_ticket "$tmp/ooo.eml"
[[ $(db "SELECT internal FROM articles ORDER BY id DESC LIMIT 1") == 1 ]] || fail "auto-reply is not an internal note"
[[ $(db "SELECT count(*) FROM outbox") == "$before" ]] || fail "an auto-reply was answered"

# Bounce of our acknowledgement: attached to its ticket as a note, never a ticket.
tickets_before=$(db "SELECT count(*) FROM tickets")
sed -e "s/#TICKET/#$n_iso/" -e "s/ORIGINAL_ID/$ack_id/" "$corpus/dsn_bounce.eml" > "$tmp/dsn.eml"
expect_ticket "$tmp/dsn.eml"
[[ $out == "$n_iso" ]] || fail "bounce went to '$out', not $n_iso"
[[ $(db "SELECT count(*) FROM tickets") == "$tickets_before" ]] || fail "a bounce became a ticket"
[[ $(db "SELECT count(*) FROM attachments WHERE filename='rebote.eml'") == 1 ]] || fail "bounce not attached"
[[ $(db "SELECT count(*) FROM outbox") == "$before" ]] || fail "a bounce was answered"

# Mailing list and unknown senders: kept; one polite answer for a person, none for a list.
ingest "$corpus/mailing_list.eml"
[[ $status == 0 && $out == "unassigned "* ]] || fail "list: status $status '$out'"
[[ $(db "SELECT count(*) FROM outbox WHERE to_address LIKE '%lista.example.org'") == 0 ]] || fail "a list was answered"
ingest "$corpus/unknown_sender_en.eml"
[[ $status == 0 && $out == "unassigned "* ]] || fail "unknown: status $status '$out'"
[[ $(db "SELECT kind||'|'||lang||'|'||auto_submitted FROM outbox WHERE to_address='someone@elsewhere.example.net'") == "unknown_sender|en|auto-replied" ]] || fail "unknown sender answer"
sed 's/unknown-1@/unknown-2@/' "$corpus/unknown_sender_en.eml" > "$tmp/unknown2.eml"
ingest "$tmp/unknown2.eml"
[[ $(db "SELECT count(*) FROM outbox WHERE to_address='someone@elsewhere.example.net'") == 1 ]] || fail "unknown sender answered twice (rate limit)"
[[ $(db "SELECT count(*) FROM inbound_unassigned WHERE raw_sha256 != ''") -ge 3 ]] || fail "raw messages not kept"

# A follow-up of a kept message joins it (listed under it), not a second unrelated message.
ingest "$corpus/unknown_sender_followup.eml"
[[ $status == 0 && $out == "unassigned "* ]] || fail "follow-up: status $status '$out'"
first=$(db "SELECT id FROM inbound_unassigned WHERE message_id='unknown-1@elsewhere.example.net'")
[[ $(db "SELECT follows_id FROM inbound_unassigned WHERE message_id='unknown-followup-1@elsewhere.example.net'") == "$first" ]] || fail "follow-up not linked to the kept message $first"

# A malformed file is still stored somewhere (never exit 0 without storing).
ingest "$corpus/malformed.eml"
[[ $status == 0 && $out == "unassigned "* ]] || fail "malformed: status $status '$out'"

# Exit codes: 75 when the data directory was never initialised, or when the database is locked.
out=$("$bin" mail ingest --data "$tmp/nothing" < "$corpus/iso8859_qp_es.eml" 2>/dev/null); status=$?
[[ $status == 75 ]] || fail "uninitialised data dir: status $status"
/usr/bin/python3 - "$data/soporte.db" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
time.sleep(9)
c.execute("ROLLBACK")
PY
locker=$!
sleep 1
sed 's/iso-qp-1@/iso-qp-locked@/' "$corpus/iso8859_qp_es.eml" > "$tmp/locked.eml"
ingest "$tmp/locked.eml"
[[ $status == 75 ]] || fail "locked database: status $status (want 75) out '$out'"
wait $locker
ingest "$tmp/locked.eml"
[[ $status == 0 ]] || fail "after the lock: status $status"

if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "mail ingest: all checks passed"
