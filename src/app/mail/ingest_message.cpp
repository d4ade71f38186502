#include "app/mail/ingest_message.hpp"

#include <optional>
#include <vector>

#include "app/mail/ingest_steps.hpp"
#include "domain/mail/thread_matcher.hpp"
#include "domain/ticket/file_name.hpp"

namespace soporte::app {
namespace {

namespace mail = domain::mail;
using ingest::CutUtf8;

struct Kept {
  std::string sha256;
  std::int64_t size = 0;
};

// What one message brings into its write transaction, decided before it opens.
struct Inbound {
  const InboundMessage& msg;
  const IngestOptions& options;
  Instant now;
  mail::LoopVerdict verdict;
  mail::AuthVerdict auth;              // from our MTA's Authentication-Results
  std::string message_id;              // normalised; "" when missing
  std::string subject;                 // as stored (ingest::StoredSubject)
  std::optional<domain::User> sender;  // an active user with the From address
  Kept raw;                            // the raw message's blob when kept
};

// The active user who sent `from_address`, if any. Errors only when the store fails.
Result<std::optional<domain::User>> SenderOf(Store& store, const std::string& from_address) {
  if (from_address.empty()) return std::optional<domain::User>{};
  auto email = domain::NormalizeEmail(from_address);
  if (!email) return std::optional<domain::User>{};
  auto u = ReadValue(store, [&](ReadTx& tx) { return tx.accounts().GetUserByEmail(*email); });
  if (u && u->active) return std::optional<domain::User>{*u};
  if (!u && u.error().code != ErrorCode::kNotFound) return tl::make_unexpected(u.error());
  return std::optional<domain::User>{};
}

// One attempt at storing one message, in the open transaction `tx`: the steps of the decision
// listed in ingest_message.hpp, each a method. Every outcome goes through Finish, which runs
// the caller's `also` in the same transaction. `changed` receives the live event to publish
// after the commit.
class IngestTx {
 public:
  IngestTx(WriteTx& tx, const Inbound& in, TicketService& tickets, MailNotifier& notifier,
           const std::function<Status(WriteTx&)>& also, std::optional<TicketChanged>& changed)
      : tx_(tx),
        in_(in),
        msg_(in.msg),
        tickets_(tickets),
        notifier_(notifier),
        also_(also),
        changed_(changed) {}

  Result<IngestResult> Run() {
    changed_.reset();
    // 1. A message seen twice is stored once (RFC 5322 §3.6.4: the id names one message).
    SOPORTE_TRY(duplicate, Duplicate());
    if (duplicate) return Finish(*duplicate);
    // 2. Bounces (RFC 3464) go to the ticket of the message they return, never a new ticket.
    if (msg_.flags.is_dsn) return Bounce();
    // 3. Only known people write into tickets.
    if (!in_.sender) return UnknownSender();
    // 3b. RFC 8601/7489: a From our MTA could not verify may be forged; it never speaks for the
    // customer (no article, no ticket, no answer to a possibly innocent address).
    if (!ingest::MayPostAsSender(in_.options, in_.auth))
      return KeepUnassigned("unverified: " + in_.auth.detail);
    const domain::User& sender = *in_.sender;
    const Principal who = PrincipalOf(sender);
    SOPORTE_TRY_STATUS(LearnLanguage(sender));
    // 4. A reply joins its ticket; 5. anything else from a customer opens one.
    std::optional<domain::Ticket> ticket = ReplyTarget(who);
    if (ticket && ticket->status != domain::TicketStatus::kClosed)
      return Reply(who, sender, *ticket);
    if (domain::IsStaff(sender.role)) return KeepUnassigned("staff_sender");
    // RFC 3834 §2: what a machine wrote (out of office, list, notification) never opens a
    // ticket. Kept for staff rather than noted on the sender's latest open ticket: a customer
    // with several open tickets would get the note on a guessed one, and list traffic would
    // fill tickets with notes; in the queue it is seen once and discarded in one click.
    if (in_.verdict.automatic) return KeepUnassigned("automatic");
    return OpenTicket(who, sender, ticket.has_value());
  }

 private:
  Result<IngestResult> Finish(IngestResult r) {
    if (also_) SOPORTE_TRY_STATUS(also_(tx_));
    return r;
  }

  // The outcome when the Message-ID is already stored (on a ticket or kept unassigned).
  Result<std::optional<IngestResult>> Duplicate();
  Result<IngestResult> Bounce();
  // Marks failed the outbox rows of our messages the bounce returns (no more retries of a dead
  // address), with a "mail_failed" event on their tickets.
  Status FailBouncedOutbox();
  // The ticket of the returned message: by the DSN's original ids, else by the references.
  std::optional<domain::Ticket> BouncedTicket();
  Result<IngestResult> UnknownSender();
  // A customer whose language we did not know yet: learnt from this message's headers.
  Status LearnLanguage(const domain::User& sender);
  // The ticket the message answers (stored Message-ID first, then the subject tag), if `who`
  // may see it.
  std::optional<domain::Ticket> ReplyTarget(const Principal& who);
  Result<IngestResult> Reply(const Principal& who, const domain::User& sender,
                             const domain::Ticket& ticket);
  Result<IngestResult> OpenTicket(const Principal& who, const domain::User& sender,
                                  bool answered_a_ticket);
  // Queues the acknowledgement of a new ticket, within the sender's hourly allowance.
  Result<bool> Acknowledge(const domain::User& sender, const domain::Ticket& ticket);
  Status AttachAll(const domain::Ticket& t, std::optional<ArticleId> article, UserId by);
  Result<IngestResult> Unassigned(std::string reason);
  // The open kept message this one follows up (by In-Reply-To/References), or 0.
  Result<std::int64_t> HeldFollowed();
  Result<IngestResult> KeepUnassigned(std::string reason) {
    SOPORTE_TRY(r, Unassigned(std::move(reason)));
    return Finish(r);
  }
  std::optional<domain::Ticket> TicketOfId(const std::string& id) {
    auto rec = tx_.mail().FindMessageId(mail::NormalizeMessageId(id));
    if (!rec) return std::nullopt;
    auto t = tx_.tickets().GetTicket(rec->ticket_id);
    if (!t) return std::nullopt;
    return *t;
  }

  WriteTx& tx_;
  const Inbound& in_;
  const InboundMessage& msg_;
  TicketService& tickets_;
  MailNotifier& notifier_;
  const std::function<Status(WriteTx&)>& also_;
  std::optional<TicketChanged>& changed_;
};

Result<std::optional<IngestResult>> IngestTx::Duplicate() {
  if (in_.message_id.empty()) return std::optional<IngestResult>{};
  IngestResult out;
  auto seen = tx_.mail().FindMessageId(in_.message_id);
  if (seen) {
    SOPORTE_TRY(t, tx_.tickets().GetTicket(seen->ticket_id));
    out.outcome = IngestOutcome::kDuplicate;
    out.number = t.number;
    return std::optional<IngestResult>{out};
  }
  if (seen.error().code != ErrorCode::kNotFound) return tl::make_unexpected(seen.error());
  auto kept = tx_.mail().FindInboundUnassigned(in_.message_id);
  if (kept) {
    out.outcome = IngestOutcome::kDuplicate;
    out.unassigned_id = kept->id;
    out.reason = kept->reason;
    return std::optional<IngestResult>{out};
  }
  if (kept.error().code != ErrorCode::kNotFound) return tl::make_unexpected(kept.error());
  return std::optional<IngestResult>{};
}

Status IngestTx::FailBouncedOutbox() {
  for (const auto& id : msg_.dsn_original_ids) {
    auto row = tx_.mail().FindOutboxByMessageId(mail::NormalizeMessageId(id));
    if (!row) {
      if (row.error().code != ErrorCode::kNotFound) return tl::make_unexpected(row.error());
      continue;
    }
    if (row->failed_at) continue;
    row->failed_at = in_.now;
    row->claimed_until.reset();
    row->last_error = ingest::BounceError(msg_.text);
    SOPORTE_TRY_STATUS(tx_.mail().UpdateOutboxDelivery(*row));
    if (row->ticket_id.valid()) {
      SOPORTE_TRY_STATUS(tx_.audit().AppendEvent(domain::TicketEvent{
          0, row->ticket_id, UserId{}, in_.now, "mail_failed", row->to_address, row->last_error}));
    }
  }
  return Ok();
}

std::optional<domain::Ticket> IngestTx::BouncedTicket() {
  for (const auto& id : msg_.dsn_original_ids) {
    if (auto t = TicketOfId(id)) return t;
  }
  for (const auto& id : mail::ReferenceCandidates(msg_.in_reply_to, msg_.references)) {
    if (auto t = TicketOfId(id)) return t;
  }
  return std::nullopt;
}

Result<IngestResult> IngestTx::Bounce() {
  SOPORTE_TRY_STATUS(FailBouncedOutbox());
  std::optional<domain::Ticket> t = BouncedTicket();
  if (!t) return KeepUnassigned("bounce");
  domain::Article note;
  note.ticket_id = t->id;
  note.author_id = t->requester_id;
  note.body = ingest::BounceNote(msg_.text, in_.options);
  note.internal = true;
  note.channel = sla::Channel::kEmail;
  note.created_at = in_.now;
  SOPORTE_TRY(stored_note, tx_.tickets().InsertArticle(std::move(note)));
  if (!in_.raw.sha256.empty()) {
    domain::Attachment att;
    att.ticket_id = t->id;
    att.article_id = stored_note.id;
    att.sha256 = in_.raw.sha256;
    att.filename = "rebote.eml";
    att.content_type = "message/rfc822";
    att.size = in_.raw.size;
    att.uploaded_by = t->requester_id;
    att.created_at = in_.now;
    SOPORTE_TRY_STATUS(tx_.tickets().InsertAttachment(std::move(att)));
  }
  SOPORTE_TRY_STATUS(tx_.audit().AppendEvent(
      domain::TicketEvent{0, t->id, UserId{}, in_.now, "bounce", "", msg_.from_address}));
  if (!in_.message_id.empty()) {
    SOPORTE_TRY_STATUS(tx_.mail().InsertMessageId(
        MessageIdRecord{in_.message_id, t->id, stored_note.id, false, in_.now}));
  }
  changed_ = TicketChanged{t->number, t->org_id, "note"};
  IngestResult out;
  out.outcome = IngestOutcome::kBounce;
  out.number = t->number;
  return Finish(out);
}

Result<IngestResult> IngestTx::UnknownSender() {
  SOPORTE_TRY(r, Unassigned("unknown_sender"));
  // A follow-up of a kept message was answered (or not) with the first one.
  if (in_.verdict.may_auto_answer && r.follows == 0) {
    SOPORTE_TRY(count,
                tx_.mail().CountAutoReplies(msg_.from_address, in_.now - Seconds{24 * 3600}));
    if (count < in_.options.unknown_replies_per_day) {
      SOPORTE_TRY_STATUS(notifier_.EnqueueUnknownSender(tx_, msg_.from_address, msg_.language,
                                                        in_.subject, in_.message_id, in_.now));
      SOPORTE_TRY_STATUS(tx_.mail().RecordAutoReply(msg_.from_address, in_.now));
      r.auto_answered = true;
    }
  }
  return Finish(r);
}

Status IngestTx::LearnLanguage(const domain::User& sender) {
  if (domain::IsStaff(sender.role) || !domain::IsMailLanguage(msg_.language)) return Ok();
  SOPORTE_TRY(fresh, tx_.accounts().GetUser(sender.id));
  if (!fresh.lang.empty()) return Ok();
  fresh.lang = msg_.language;
  return tx_.accounts().UpdateUser(fresh);
}

std::optional<domain::Ticket> IngestTx::ReplyTarget(const Principal& who) {
  std::optional<domain::Ticket> ticket;
  for (const auto& id : mail::ReferenceCandidates(msg_.in_reply_to, msg_.references)) {
    if ((ticket = TicketOfId(id))) break;
  }
  if (!ticket) {
    if (auto n = mail::TicketNumberInSubject(msg_.subject)) {
      auto t = tx_.tickets().GetTicketByNumber(*n);
      if (t) ticket = *t;
    }
  }
  if (ticket && !who.CanSeeOrg(ticket->org_id)) ticket.reset();  // never another org's ticket
  return ticket;
}

Result<IngestResult> IngestTx::Reply(const Principal& who, const domain::User& sender,
                                     const domain::Ticket& ticket) {
  // An out-of-office answer to our mail is kept as an internal note: it must not reopen the
  // ticket or count as the customer's answer.
  const bool automatic = !in_.verdict.may_auto_answer;
  const std::string body = ingest::ReplyBody(msg_.text, automatic, in_.options);
  domain::Ticket saved;
  auto view = tickets_.AddArticleInTx(tx_, who, ticket.number, body, automatic && !who.staff(),
                                      sla::Channel::kEmail, in_.now, &saved);
  if (!view) {
    if (ingest::IsTransient(view.error().code)) return tl::make_unexpected(view.error());
    return KeepUnassigned("reply_refused: " + view.error().message);
  }
  SOPORTE_TRY_STATUS(AttachAll(saved, view->article.id, sender.id));
  if (!in_.message_id.empty()) {
    SOPORTE_TRY_STATUS(tx_.mail().InsertMessageId(
        MessageIdRecord{in_.message_id, saved.id, view->article.id, false, in_.now}));
  }
  changed_ = TicketChanged{saved.number, saved.org_id, "article"};
  IngestResult out;
  out.outcome = IngestOutcome::kReply;
  out.number = saved.number;
  return Finish(out);
}

Result<IngestResult> IngestTx::OpenTicket(const Principal& who, const domain::User& sender,
                                          bool answered_a_ticket) {
  app::NewTicket in;
  in.subject = ingest::NewTicketSubject(in_.subject, answered_a_ticket, in_.options);
  in.description = ingest::NewTicketDescription(msg_.text, in_.options);
  auto view = tickets_.CreateInTx(tx_, who, in, sla::Channel::kEmail, in_.now, in_.now);
  if (!view) {
    if (ingest::IsTransient(view.error().code)) return tl::make_unexpected(view.error());
    return KeepUnassigned("ticket_refused: " + view.error().message);
  }
  SOPORTE_TRY_STATUS(AttachAll(view->ticket, std::nullopt, sender.id));
  if (!in_.message_id.empty()) {
    SOPORTE_TRY_STATUS(tx_.mail().InsertMessageId(
        MessageIdRecord{in_.message_id, view->ticket.id, std::nullopt, false, in_.now}));
  }
  IngestResult out;
  SOPORTE_TRY(acknowledged, Acknowledge(sender, view->ticket));
  out.auto_answered = acknowledged;
  changed_ = TicketChanged{view->ticket.number, view->ticket.org_id, "created"};
  out.outcome = IngestOutcome::kNewTicket;
  out.number = view->ticket.number;
  return Finish(out);
}

Result<bool> IngestTx::Acknowledge(const domain::User& sender, const domain::Ticket& ticket) {
  if (!in_.verdict.may_auto_answer) return false;
  SOPORTE_TRY(count, tx_.mail().CountAutoReplies(sender.email, in_.now - Seconds{3600}));
  if (count >= in_.options.acks_per_hour) return false;
  // After the attachments, so a log or a screenshot sent along is not asked for again.
  SOPORTE_TRY(missing, tickets_.MissingIntake(tx_, ticket));
  SOPORTE_TRY_STATUS(notifier_.EnqueueTicketReceived(tx_, ticket, msg_.language, missing));
  SOPORTE_TRY_STATUS(tx_.mail().RecordAutoReply(sender.email, in_.now));
  return true;
}

Status IngestTx::AttachAll(const domain::Ticket& t, std::optional<ArticleId> article, UserId by) {
  std::vector<const InboundAttachment*> list;
  for (const auto& a : msg_.attachments) list.push_back(&a);
  InboundAttachment html;
  if (msg_.html && msg_.text_from_html) {
    html = InboundAttachment{"mensaje.html", "text/html", *msg_.html, false};
    list.push_back(&html);
  }
  for (const InboundAttachment* a : list) {
    domain::Attachment att;
    att.ticket_id = t.id;
    att.article_id = article;
    att.sha256 = a->blob.sha256;
    att.filename = domain::CleanFileName(a->filename, "adjunto");
    att.content_type = a->content_type.empty() ? "application/octet-stream" : a->content_type;
    att.size = a->blob.size;
    att.uploaded_by = by;
    att.created_at = in_.now;
    SOPORTE_TRY(stored, tx_.tickets().InsertAttachment(std::move(att)));
    SOPORTE_TRY_STATUS(tx_.audit().AppendEvent(
        domain::TicketEvent{0, t.id, by, in_.now, "attachment", "", stored.filename}));
  }
  return Ok();
}

Result<std::int64_t> IngestTx::HeldFollowed() {
  for (const auto& id : mail::ReferenceCandidates(msg_.in_reply_to, msg_.references)) {
    auto kept = tx_.mail().FindInboundUnassigned(id);
    if (kept) {
      if (const std::int64_t first = ingest::HeldConversation(*kept); first > 0) return first;
      continue;
    }
    if (kept.error().code != ErrorCode::kNotFound) return tl::make_unexpected(kept.error());
  }
  return std::int64_t{0};
}

Result<IngestResult> IngestTx::Unassigned(std::string reason) {
  InboundUnassignedRecord rec;
  // 2026-12-06 probe: an unknown sender's follow-up to their held message waited as a second,
  // unrelated message; it now joins the first (the console lists it under it).
  SOPORTE_TRY(follows, HeldFollowed());
  rec.follows_id = follows;
  rec.received_at = in_.now;
  rec.from_address = msg_.from_address;
  rec.subject = in_.subject;
  rec.message_id = in_.message_id;
  rec.body_text = CutUtf8(msg_.text, ingest::kMaxBody);
  rec.raw_sha256 = in_.raw.sha256;
  rec.raw_size = in_.raw.size;
  rec.reason = reason;
  rec.language = msg_.language;
  for (const auto& a : msg_.attachments) {
    rec.attachments.push_back(UnassignedAttachment{a.blob.sha256,
                                                   domain::CleanFileName(a.filename, "adjunto"),
                                                   a.content_type, a.blob.size, a.is_inline});
  }
  if (msg_.html && msg_.text_from_html) {
    rec.attachments.push_back(UnassignedAttachment{msg_.html->sha256, "mensaje.html", "text/html",
                                                   msg_.html->size, false});
  }
  SOPORTE_TRY(stored, tx_.mail().InsertInboundUnassigned(std::move(rec)));
  IngestResult r;
  r.outcome = IngestOutcome::kUnassigned;
  r.unassigned_id = stored.id;
  r.reason = std::move(reason);
  r.follows = follows;
  return r;
}

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
  Inbound in{
      msg,
      options_,
      clock_.Now(),
      mail::MayAutoAnswer(msg.flags, options_.support_address),
      mail::VerifyAuthor(msg.authentication_results, options_.auth_serv_id, msg.from_address),
      mail::NormalizeMessageId(msg.message_id),
      ingest::StoredSubject(msg.subject, options_),
      std::nullopt,
      Kept{}};
  // Who wrote? Read first, so the raw message is written to the blob store (an fsync) outside
  // the write transaction, and only when it will be kept (unknown senders, bounces).
  SOPORTE_TRY(sender, SenderOf(store_, msg.from_address));
  in.sender = std::move(sender);
  if (ingest::KeepsRawMessage(msg.flags.is_dsn, in.sender,
                              ingest::MayPostAsSender(options_, in.auth)) &&
      msg.keep_raw) {
    SOPORTE_TRY(blob, msg.keep_raw());
    in.raw = Kept{blob.sha256, blob.size};
  }
  std::optional<TicketChanged> changed;
  auto result = WriteValue(store_, [&](WriteTx& tx) -> Result<IngestResult> {
    return IngestTx(tx, in, tickets_, notifier_, also, changed).Run();
  });
  if (result && changed) events_.Publish(*changed);
  return result;
}

}  // namespace soporte::app
