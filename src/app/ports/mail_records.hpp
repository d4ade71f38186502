// The rows the email channel keeps (storage/migrations/sqlite/0002_mail.sql): the outbox of mail
// to send, the Message-IDs that thread mail to tickets, inbound mail nobody could be matched to
// (kept for agents), the IMAP position per mailbox, and the log of automatic answers (rate limit).
// Plain values; read and written through tx.mail() (mail_repository.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/time.hpp"

namespace soporte::app {

// What a mail about a ticket change says, as it was when the change committed (0022): the outbox
// keeps these facts instead of the text, and delivery renders the text from them in the row's
// language (app/mail/outbox_render). Whatever the text shows that may change later (the subject,
// criticality and due, people's names) is a copy here; what never changes (an article's body) is
// named by id.
struct MailFacts {
  std::int64_t ticket_number = 0;  // 0 for mail about no ticket (unknown_sender)
  std::string subject;             // the ticket's subject; unknown_sender: the subject we answer
  std::string criticality;         // "normal", "important", "critical"
  std::string channel;             // the ticket's channel ("email", "portal", …)
  ContractId contract_id;          // whose calendar explains the due (invalid: not shown)
  Instant received_at;
  Instant due;       // the first-response due the ticket had
  std::string zone;  // the contract's zone: times are shown there
  std::string recipient_name;
  std::string author_name;  // who replied or moved the ticket
  ArticleId article_id;     // agent_reply: the public article the mail carries
  // ticket_received: the intake checklist's items the ticket lacked ("environment", "steps"…);
  // names of letters, digits and '_' only.
  std::vector<std::string> missing_items;
  // staff_alert (0023): which alert, "sla_warning", "sla_breach" or "new_critical"; names of
  // letters, digits and '_' only.
  std::string alert;
};

// One mail to send. Written in the same transaction as the change it reports; delivered by the
// outbox job (jobs/outbox_job) with retries. Either the row holds its final text (subject and
// body_text: rows written before 0022, and mail that carries a secret or is not about a ticket) or
// its `facts`, from which delivery renders the text (subject and body_text are then empty). The
// MIME message is built at delivery, so retries send the same Message-ID.
struct OutboxRecord {
  std::int64_t id = 0;
  Instant created_at;
  std::string kind;            // "ticket_received", "agent_reply", "waiting_customer", …
  std::string to_address;
  std::string subject;
  std::string body_text;
  std::string message_id;      // without angle brackets; unique
  std::string in_reply_to;     // "" or one id, without brackets
  std::string references;      // ids separated by spaces, without brackets
  std::string auto_submitted;  // "auto-replied" or "auto-generated" (RFC 3834)
  std::string lang;            // "es" or "en"
  TicketId ticket_id;          // invalid when the mail is about no ticket
  int attempts = 0;
  Instant next_attempt_at;
  std::optional<Instant> claimed_until;  // a delivering node's lease
  std::optional<Instant> sent_at;
  std::string last_error;
  // Set when delivery was given up (a permanent 5xx refusal, a bounce of this message, or
  // failing longer than the configured time): never claimed again until staff retry it.
  std::optional<Instant> failed_at;
  // When staff last asked to try again: the give-up window runs from here (else created_at).
  std::optional<Instant> retried_at;
  std::optional<MailFacts> facts;  // present: the text is rendered at delivery from these
};

// How many outbox rows wait to be sent and how many were given up (for /metrics).
struct OutboxCounts {
  std::int64_t pending = 0;
  std::int64_t failed = 0;
};

// A Message-ID seen on a ticket: inbound (a customer's) or outbound (ours).
struct MessageIdRecord {
  std::string message_id;  // without angle brackets; unique
  TicketId ticket_id;
  std::optional<ArticleId> article_id;
  bool outbound = false;
  Instant created_at;
};

// A file of a kept inbound message (its attachments, inline images and HTML body).
struct UnassignedAttachment {
  std::string sha256;
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  bool is_inline = false;
};

// Inbound mail that could not become a ticket or an article (unknown sender, a bounce we could
// not match, a contract that refuses email…): kept for agents to assign, never dropped.
struct InboundUnassignedRecord {
  std::int64_t id = 0;
  Instant received_at;
  std::string from_address;
  std::string subject;
  std::string message_id;
  std::string body_text;
  std::string raw_sha256;  // the whole message as received (blob), "" when not kept
  std::int64_t raw_size = 0;
  std::string reason;      // "unknown_sender", "bounce", "no_contract", …
  std::string language;    // "es", "en" or "" (from the message's headers)
  // What staff decided (0003): "open" until someone acts; then "assigned" (a new ticket),
  // "attached" (an article on an existing ticket), "spam" or "discarded" (with a reason).
  std::string status = "open";
  std::optional<Instant> resolved_at;
  UserId resolved_by;           // invalid while open
  std::string resolution_note;  // the reason given for spam/discarded
  TicketId ticket_id;           // assigned/attached: the ticket; invalid otherwise
  // (0008) The first kept message of the conversation this one follows (a reply to it by
  // In-Reply-To/References while it was open); 0 for a first message.
  std::int64_t follows_id = 0;
  std::vector<UnassignedAttachment> attachments;  // the message's files, already in the BlobStore
};

// How far an IMAP mailbox has been read.
struct ImapStateRecord {
  std::string mailbox;  // the configured URL without credentials
  std::int64_t uidvalidity = 0;
  std::int64_t last_uid = 0;
};

}  // namespace soporte::app
