#include "app/mail/ingest_message.hpp"

#include <optional>

#include "domain/mail/mail_text.hpp"
#include "domain/mail/thread_matcher.hpp"

namespace soporte::app {
namespace {

namespace mail = domain::mail;

// Errors that mean "try again": the message must not be acknowledged as stored.
bool Transient(ErrorCode c) {
  return c == ErrorCode::kUnavailable || c == ErrorCode::kAborted ||
         c == ErrorCode::kResourceExhausted || c == ErrorCode::kInternal;
}

// At most `max` bytes of UTF-8 text, cut at a character boundary.
std::string CutUtf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string Trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

// The text on one line (whitespace runs become one space), for a short error note.
std::string OneLine(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() > 600) break;
  }
  return out;
}

struct Kept {
  std::string sha256;
  std::int64_t size = 0;
};

}  // namespace

const char* IngestOutcomeName(IngestOutcome o) {
  switch (o) {
    case IngestOutcome::kNewTicket: return "new_ticket";
    case IngestOutcome::kReply: return "reply";
    case IngestOutcome::kDuplicate: return "duplicate";
    case IngestOutcome::kBounce: return "bounce";
    case IngestOutcome::kUnassigned: return "unassigned";
  }
  return "unknown";
}

IngestMessage::IngestMessage(Store& store, TicketService& tickets, MailNotifier& notifier,
                             EventBus& events, const Clock& clock, IngestOptions options)
    : store_(store), tickets_(tickets), notifier_(notifier), events_(events), clock_(clock),
      options_(std::move(options)) {}

Result<IngestResult> IngestMessage::Run(const InboundMessage& msg,
                                        const std::function<Status(WriteTx&)>& also) {
  const Instant now = clock_.Now();
  const mail::LoopVerdict verdict = mail::MayAutoAnswer(msg.flags, options_.support_address);
  const std::string message_id = mail::NormalizeMessageId(msg.message_id);

  // Who wrote? Read first, so the raw message is written to the blob store (an fsync) outside
  // the write transaction, and only when it will be kept (unknown senders, bounces).
  std::optional<domain::User> sender;
  if (!msg.from_address.empty()) {
    auto email = domain::NormalizeEmail(msg.from_address);
    if (email) {
      auto u = ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUserByEmail(*email); });
      if (u && u->active) {
        sender = *u;
      } else if (!u && u.error().code != ErrorCode::kNotFound) {
        return tl::make_unexpected(u.error());
      }
    }
  }
  Kept raw;
  const bool keep_raw = msg.flags.is_dsn || !sender || domain::IsStaff(sender->role);
  if (keep_raw && msg.keep_raw) {
    SOPORTE_TRY(blob, msg.keep_raw());
    raw = Kept{blob.sha256, blob.size};
  }

  const std::string subject = Trimmed(msg.subject).empty()
                                  ? options_.no_subject
                                  : CutUtf8(Trimmed(msg.subject), 300);
  std::optional<TicketChanged> changed;

  auto result = WriteValue(store_, [&](WriteTx& tx) -> Result<IngestResult> {
    changed.reset();
    IngestResult out;
    auto finish = [&](IngestResult r) -> Result<IngestResult> {
      if (also) SOPORTE_TRY_STATUS(also(tx));
      return r;
    };
    auto unassigned = [&](std::string reason) -> Result<IngestResult> {
      InboundUnassignedRecord rec;
      rec.received_at = now;
      rec.from_address = msg.from_address;
      rec.subject = subject;
      rec.message_id = message_id;
      rec.body_text = CutUtf8(msg.text, 100 * 1024);
      rec.raw_sha256 = raw.sha256;
      rec.raw_size = raw.size;
      rec.reason = reason;
      rec.language = msg.language;
      for (const auto& a : msg.attachments) {
        rec.attachments.push_back(UnassignedAttachment{a.blob.sha256, a.filename, a.content_type,
                                                       a.blob.size, a.is_inline});
      }
      if (msg.html && msg.text_from_html) {
        rec.attachments.push_back(UnassignedAttachment{msg.html->sha256, "mensaje.html", "text/html",
                                                       msg.html->size, false});
      }
      SOPORTE_TRY(stored, tx.mail().InsertInboundUnassigned(std::move(rec)));
      IngestResult r;
      r.outcome = IngestOutcome::kUnassigned;
      r.unassigned_id = stored.id;
      r.reason = std::move(reason);
      return r;
    };
    auto keep_unassigned = [&](std::string reason) -> Result<IngestResult> {
      SOPORTE_TRY(r, unassigned(std::move(reason)));
      return finish(r);
    };
    auto attach_all = [&](const domain::Ticket& t, std::optional<ArticleId> article,
                          UserId by) -> Status {
      std::vector<const InboundAttachment*> list;
      for (const auto& a : msg.attachments) list.push_back(&a);
      InboundAttachment html;
      if (msg.html && msg.text_from_html) {
        html = InboundAttachment{"mensaje.html", "text/html", *msg.html, false};
        list.push_back(&html);
      }
      for (const InboundAttachment* a : list) {
        domain::Attachment att;
        att.ticket_id = t.id;
        att.article_id = article;
        att.sha256 = a->blob.sha256;
        att.filename = a->filename;
        att.content_type = a->content_type.empty() ? "application/octet-stream" : a->content_type;
        att.size = a->blob.size;
        att.uploaded_by = by;
        att.created_at = now;
        SOPORTE_TRY(stored, tx.tickets().InsertAttachment(std::move(att)));
        SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::TicketEvent{0, t.id, by, now, "attachment", "", stored.filename}));
      }
      return Ok();
    };
    auto ticket_of_id = [&](const std::string& id) -> std::optional<domain::Ticket> {
      auto rec = tx.mail().FindMessageId(mail::NormalizeMessageId(id));
      if (!rec) return std::nullopt;
      auto t = tx.tickets().GetTicket(rec->ticket_id);
      if (!t) return std::nullopt;
      return *t;
    };

    // 1. A message seen twice is stored once (RFC 5322 §3.6.4: the id names one message).
    if (!message_id.empty()) {
      auto seen = tx.mail().FindMessageId(message_id);
      if (seen) {
        SOPORTE_TRY(t, tx.tickets().GetTicket(seen->ticket_id));
        out.outcome = IngestOutcome::kDuplicate;
        out.number = t.number;
        return finish(out);
      }
      if (seen.error().code != ErrorCode::kNotFound) return tl::make_unexpected(seen.error());
      auto kept = tx.mail().FindInboundUnassigned(message_id);
      if (kept) {
        out.outcome = IngestOutcome::kDuplicate;
        out.unassigned_id = kept->id;
        out.reason = kept->reason;
        return finish(out);
      }
      if (kept.error().code != ErrorCode::kNotFound) return tl::make_unexpected(kept.error());
    }

    // 2. Bounces (RFC 3464) go to the ticket of the message they return, never a new ticket;
    // the outbox row of our returned message is marked failed (no more retries of a dead address).
    if (msg.flags.is_dsn) {
      for (const auto& id : msg.dsn_original_ids) {
        auto row = tx.mail().FindOutboxByMessageId(mail::NormalizeMessageId(id));
        if (!row) {
          if (row.error().code != ErrorCode::kNotFound) return tl::make_unexpected(row.error());
          continue;
        }
        if (row->failed_at) continue;
        row->failed_at = now;
        row->claimed_until.reset();
        row->last_error = CutUtf8("bounce: " + OneLine(msg.text), 500);
        SOPORTE_TRY_STATUS(tx.mail().UpdateOutboxDelivery(*row));
        if (row->ticket_id.valid()) {
          SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::TicketEvent{0, row->ticket_id, UserId{}, now, "mail_failed",
                                                                row->to_address, row->last_error}));
        }
      }
      std::optional<domain::Ticket> t;
      for (const auto& id : msg.dsn_original_ids) {
        if ((t = ticket_of_id(id))) break;
      }
      if (!t) {
        for (const auto& id : mail::ReferenceCandidates(msg.in_reply_to, msg.references)) {
          if ((t = ticket_of_id(id))) break;
        }
      }
      if (!t) return keep_unassigned("bounce");
      domain::Article note;
      note.ticket_id = t->id;
      note.author_id = t->requester_id;
      note.body = options_.bounce_note + "\n\n" + CutUtf8(msg.text, 8 * 1024);
      note.internal = true;
      note.channel = sla::Channel::kEmail;
      note.created_at = now;
      SOPORTE_TRY(stored_note, tx.tickets().InsertArticle(std::move(note)));
      if (!raw.sha256.empty()) {
        domain::Attachment att;
        att.ticket_id = t->id;
        att.article_id = stored_note.id;
        att.sha256 = raw.sha256;
        att.filename = "rebote.eml";
        att.content_type = "message/rfc822";
        att.size = raw.size;
        att.uploaded_by = t->requester_id;
        att.created_at = now;
        SOPORTE_TRY_STATUS(tx.tickets().InsertAttachment(std::move(att)));
      }
      SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::TicketEvent{0, t->id, UserId{}, now, "bounce", "", msg.from_address}));
      if (!message_id.empty()) {
        SOPORTE_TRY_STATUS(tx.mail().InsertMessageId(MessageIdRecord{message_id, t->id, stored_note.id, false, now}));
      }
      changed = TicketChanged{t->number, t->org_id, "note"};
      out.outcome = IngestOutcome::kBounce;
      out.number = t->number;
      return finish(out);
    }

    // 3. Only known people write into tickets.
    if (!sender) {
      SOPORTE_TRY(r, unassigned("unknown_sender"));
      if (verdict.may_auto_answer) {
        SOPORTE_TRY(count, tx.mail().CountAutoReplies(msg.from_address, now - Seconds{24 * 3600}));
        if (count < options_.unknown_replies_per_day) {
          SOPORTE_TRY_STATUS(notifier_.EnqueueUnknownSender(tx, msg.from_address, msg.language, subject,
                                                            message_id, now));
          SOPORTE_TRY_STATUS(tx.mail().RecordAutoReply(msg.from_address, now));
          r.auto_answered = true;
        }
      }
      return finish(r);
    }
    const Principal who = PrincipalOf(*sender);
    // A customer whose language we did not know yet: learnt from this message's headers.
    if (!domain::IsStaff(sender->role) && domain::IsMailLanguage(msg.language)) {
      SOPORTE_TRY(fresh, tx.accounts().GetUser(sender->id));
      if (fresh.lang.empty()) {
        fresh.lang = msg.language;
        SOPORTE_TRY_STATUS(tx.accounts().UpdateUser(fresh));
      }
    }

    // 4. A reply joins its ticket: stored Message-ID first, then the subject tag.
    std::optional<domain::Ticket> ticket;
    for (const auto& id : mail::ReferenceCandidates(msg.in_reply_to, msg.references)) {
      if ((ticket = ticket_of_id(id))) break;
    }
    if (!ticket) {
      if (auto n = mail::TicketNumberInSubject(msg.subject)) {
        auto t = tx.tickets().GetTicketByNumber(*n);
        if (t) ticket = *t;
      }
    }
    if (ticket && !who.CanSeeOrg(ticket->org_id)) ticket.reset();  // never another org's ticket
    if (ticket && ticket->status != domain::TicketStatus::kClosed) {
      // An out-of-office answer to our mail is kept as an internal note: it must not reopen
      // the ticket or count as the customer's answer.
      const bool automatic = !verdict.may_auto_answer;
      std::string body = mail::StripQuotedHistory(msg.text);
      if (Trimmed(body).empty()) body = options_.no_text;
      if (automatic) body = options_.auto_reply_note + "\n\n" + body;
      body = CutUtf8(std::move(body), 100 * 1024);
      domain::Ticket saved;
      auto view = tickets_.AddArticleInTx(tx, who, ticket->number, body, automatic && !who.staff(),
                                          sla::Channel::kEmail, now, &saved);
      if (!view) {
        if (Transient(view.error().code)) return tl::make_unexpected(view.error());
        return keep_unassigned("reply_refused: " + view.error().message);
      }
      SOPORTE_TRY_STATUS(attach_all(saved, view->article.id, sender->id));
      if (!message_id.empty()) {
        SOPORTE_TRY_STATUS(tx.mail().InsertMessageId(MessageIdRecord{message_id, saved.id, view->article.id, false, now}));
      }
      changed = TicketChanged{saved.number, saved.org_id, "article"};
      out.outcome = IngestOutcome::kReply;
      out.number = saved.number;
      return finish(out);
    }
    if (domain::IsStaff(sender->role)) return keep_unassigned("staff_sender");

    // 5. A new ticket on channel email.
    NewTicket in;
    in.subject = ticket ? mail::StripReplyPrefixes(subject) : subject;
    if (in.subject.empty()) in.subject = options_.no_subject;
    in.description = CutUtf8(Trimmed(msg.text).empty() ? options_.no_text : msg.text, 100 * 1024);
    auto view = tickets_.CreateInTx(tx, who, in, sla::Channel::kEmail, now, now);
    if (!view) {
      if (Transient(view.error().code)) return tl::make_unexpected(view.error());
      return keep_unassigned("ticket_refused: " + view.error().message);
    }
    SOPORTE_TRY_STATUS(attach_all(view->ticket, std::nullopt, sender->id));
    if (!message_id.empty()) {
      SOPORTE_TRY_STATUS(tx.mail().InsertMessageId(MessageIdRecord{message_id, view->ticket.id, std::nullopt, false, now}));
    }
    if (verdict.may_auto_answer) {
      SOPORTE_TRY(count, tx.mail().CountAutoReplies(sender->email, now - Seconds{3600}));
      if (count < options_.acks_per_hour) {
        // After the attachments, so a log or a screenshot sent along is not asked for again.
        SOPORTE_TRY(missing, tickets_.MissingIntake(tx, view->ticket));
        SOPORTE_TRY_STATUS(notifier_.EnqueueTicketReceived(tx, view->ticket, msg.language, missing));
        SOPORTE_TRY_STATUS(tx.mail().RecordAutoReply(sender->email, now));
        out.auto_answered = true;
      }
    }
    changed = TicketChanged{view->ticket.number, view->ticket.org_id, "created"};
    out.outcome = IngestOutcome::kNewTicket;
    out.number = view->ticket.number;
    return finish(out);
  });
  if (result && changed) events_.Publish(*changed);
  return result;
}

}  // namespace soporte::app
