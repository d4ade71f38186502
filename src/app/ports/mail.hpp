// The email ports: what the mail use cases (app/mail) need from the outside world, implemented in
// transport/mail (GMime parser, libcurl SMTP and IMAP, templates from the i18n catalog).
//   MessageParser: a spooled RFC 5322 file → InboundMessage (attachments already in the BlobStore)
//   MailSender:    delivers one outbox row (SMTP)
//   Mailbox:       one IMAP mailbox, read by UID
//   MailRenderer:  the text of an outgoing mail in Spanish or English
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/blob_store.hpp"
#include "app/ports/mail_records.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/mail/loop_guard.hpp"
#include "domain/sla/timeline.hpp"

namespace soporte::app {

struct InboundAttachment {
  std::string filename;      // never empty ("adjunto-1.bin" when the message names none)
  std::string content_type;  // as declared by the message, lower-case
  BlobInfo blob;             // already durable in the BlobStore
  bool is_inline = false;    // an inline image of an HTML body
};

// One parsed inbound message: the value IngestMessage decides on.
struct InboundMessage {
  std::string from_address;  // lower-case; "" when missing
  std::string from_name;
  std::string subject;       // decoded (RFC 2047), UTF-8
  std::string message_id;    // without brackets; "" when missing
  std::vector<std::string> in_reply_to;
  std::vector<std::string> references;
  std::string text;          // UTF-8 body text (from text/plain, or from HTML when HTML-only)
  bool text_from_html = false;
  std::optional<BlobInfo> html;  // the HTML body, kept as a blob when present
  std::vector<InboundAttachment> attachments;
  domain::mail::InboundFlags flags;  // loop rules' input (includes is_dsn)
  // For a bounce (DSN): the Message-IDs named by the returned message (ours, when we sent it).
  std::vector<std::string> dsn_original_ids;
  std::string language;      // "es", "en" or "" (Content-Language / Accept-Language)
  // Every Authentication-Results header value of the top level, in order (RFC 8601; the ones
  // our MTA did not write are told apart by their authserv-id in domain/mail/auth_results).
  std::vector<std::string> authentication_results;
  std::optional<Instant> date;
  std::int64_t raw_size = 0;
  // Keeps the whole message as received in the BlobStore (for mail kept for agents and
  // bounces); not called for ordinary messages, so they cost no extra write.
  std::function<Result<BlobInfo>()> keep_raw;
};

struct ParserLimits {
  std::int64_t max_message = 100LL * 1024 * 1024;  // bytes of the whole message
  std::int64_t max_attachment = 100LL * 1024 * 1024;
  int max_parts = 200;
  std::size_t max_text = 100 * 1024;  // longer text is cut (the HTML and attachments are kept)
};

class MessageParser {
 public:
  virtual ~MessageParser() = default;
  // Parses the RFC 5322 message in the file at `path`, storing attachments in the BlobStore as
  // it goes (streamed: no attachment is held in memory). A malformed message still parses as
  // far as it can; kUnavailable when the file or the blob store cannot be read/written;
  // kTooLarge past the limits. Thread-safe.
  virtual Result<InboundMessage> ParseFile(const std::string& path) = 0;
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Delivers the mail described by `mail` (From is the sender's configured address).
  // kUnavailable: try again later (server down, 4xx); kInvalidArgument: permanent refusal (5xx).
  // Blocks; call from a worker thread.
  virtual Status Send(const OutboxRecord& mail) = 0;
};

class Mailbox {
 public:
  virtual ~Mailbox() = default;
  // A stable name for the mailbox (its URL without credentials), the key of its ImapStateRecord.
  virtual std::string Name() const = 0;
  // Selects the mailbox: its UIDVALIDITY and the UIDs of messages with UID > after_uid, ascending.
  virtual Result<std::pair<std::int64_t, std::vector<std::int64_t>>> Scan(std::int64_t after_uid) = 0;
  // Writes the whole message with `uid` to the file `path`.
  virtual Status FetchToFile(std::int64_t uid, const std::string& path) = 0;
  // Marks the message as processed (\Seen and the $Soporte keyword).
  virtual Status MarkProcessed(std::int64_t uid) = 0;
};

enum class MailKind {
  kTicketReceived,
  kAgentReply,
  kWaitingCustomer,
  kResolved,
  kClosed,
  kUnknownSender,
  kPasswordReset,
  kPage,
  kStaffAlert,
};
// "ticket_received", "agent_reply", "waiting_customer", "resolved", "closed", "unknown_sender",
// "password_reset", "page", "staff_alert".
const char* MailKindName(MailKind k);

// What a template may show.
struct MailContext {
  MailKind kind = MailKind::kTicketReceived;
  std::string lang = "es";  // "es" or "en"
  std::int64_t number = 0;
  std::string subject;       // the ticket's subject
  std::string criticality;   // "normal", "important", "critical"
  Instant received_at;
  Instant due;
  std::string zone;          // times are shown in the contract's zone
  std::optional<domain::sla::Timeline> timeline;  // how the due was computed
  std::string body;          // the agent's reply (agent_reply)
  std::string author_name;   // who wrote it
  std::string recipient_name;
  std::string support_address;
  std::string original_subject;  // unknown_sender: the subject of the message we answer
  // ticket_received: the intake checklist's items the ticket does not carry yet ("environment",
  // "steps", "screenshots", "logs", "modifications", "versions"), asked for by name.
  std::vector<std::string> missing_items;
  std::string recipient_email;   // password_reset: the account
  std::string link;              // password_reset: the one-time link
  int link_minutes = 0;          // password_reset, page: how long the link is valid
  std::string page_reason;       // page: "critical_created", "sla_warning", "sla_breach"
  std::string alert;             // staff_alert: "sla_warning", "sla_breach", "new_critical"
};

struct RenderedMail {
  std::string subject;
  std::string body;
};

class MailRenderer {
 public:
  virtual ~MailRenderer() = default;
  // Never fails: a missing text shows its key. Thread-safe.
  virtual RenderedMail Render(const MailContext& c) const = 0;
};

}  // namespace soporte::app
