#include "app/mail/inbound_desk.hpp"

#include <utility>

#include "domain/mail/thread_matcher.hpp"

namespace soporte::app {
namespace {

constexpr std::size_t kMaxReason = 500;

Status RequireStaff(const Principal& who) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only support staff may handle inbound mail");
  return Ok();
}

std::string Trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

bool KnownStatus(const std::string& s) {
  return s == "open" || s == "assigned" || s == "attached" || s == "spam" || s == "discarded";
}

Result<InboundUnassignedRecord> OpenMessage(WriteTx& tx, std::int64_t id) {
  SOPORTE_TRY(rec, tx.mail().GetInboundUnassigned(id));
  if (rec.status != "open") {
    return Fail(ErrorCode::kFailedPrecondition,
                "inbound message " + std::to_string(id) + " was already handled (" + rec.status + ")");
  }
  return rec;
}

// The message's files (and the whole message as received) on ticket `t`.
Status AttachFiles(WriteTx& tx, const InboundUnassignedRecord& rec, const domain::Ticket& t,
                   std::optional<ArticleId> article, UserId by, Instant now) {
  std::vector<UnassignedAttachment> files = rec.attachments;
  if (!rec.raw_sha256.empty()) {
    files.push_back(UnassignedAttachment{rec.raw_sha256, "mensaje-original.eml", "message/rfc822",
                                         rec.raw_size, false});
  }
  for (const auto& f : files) {
    domain::Attachment att;
    att.ticket_id = t.id;
    att.article_id = article;
    att.sha256 = f.sha256;
    att.filename = f.filename;
    att.content_type = f.content_type.empty() ? "application/octet-stream" : f.content_type;
    att.size = f.size;
    att.uploaded_by = by;
    att.created_at = now;
    SOPORTE_TRY(stored, tx.tickets().InsertAttachment(std::move(att)));
    SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
        domain::TicketEvent{0, t.id, by, now, "attachment", "", stored.filename}));
  }
  // Replies to the original message thread to this ticket from now on.
  const std::string mid = domain::mail::NormalizeMessageId(rec.message_id);
  if (!mid.empty()) {
    auto seen = tx.mail().FindMessageId(mid);
    if (!seen) {
      if (seen.error().code != ErrorCode::kNotFound) return tl::make_unexpected(seen.error());
      SOPORTE_TRY_STATUS(
          tx.mail().InsertMessageId(MessageIdRecord{mid, t.id, article, false, now}));
    }
  }
  return Ok();
}

Result<InboundView> ViewOf(ReadTx& tx, InboundUnassignedRecord r) {
  InboundView v;
  if (r.ticket_id.valid()) {
    SOPORTE_TRY(t, tx.tickets().GetTicket(r.ticket_id));
    v.ticket_number = t.number;
  }
  if (r.resolved_by.valid()) {
    SOPORTE_TRY(u, tx.accounts().GetUser(r.resolved_by));
    v.resolved_by_name = u.name;
  }
  v.message = std::move(r);
  return v;
}

}  // namespace

InboundDesk::InboundDesk(Store& store, TicketService& tickets, MailNotifier* notifier,
                         EventBus& events, const Clock& clock, InboundDeskOptions options)
    : store_(store), tickets_(tickets), notifier_(notifier), events_(events), clock_(clock),
      options_(std::move(options)) {}

Result<std::vector<InboundView>> InboundDesk::List(const Principal& who, const std::string& status) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  const std::string want = status.empty() ? "open" : status;
  if (want != "all" && !KnownStatus(want)) {
    return Fail(ErrorCode::kInvalidArgument,
                "status must be open, assigned, attached, spam, discarded or all (got '" + status + "')");
  }
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<InboundView>> {
    SOPORTE_TRY(all, tx.mail().ListInboundUnassigned());
    std::vector<InboundView> out;
    for (auto& r : all) {
      if (want != "all" && r.status != want) continue;
      SOPORTE_TRY(v, ViewOf(tx, std::move(r)));
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<InboundView> InboundDesk::Get(const Principal& who, std::int64_t id) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  return ReadValue(store_, [&](ReadTx& tx) -> Result<InboundView> {
    SOPORTE_TRY(r, tx.mail().GetInboundUnassigned(id));
    return ViewOf(tx, std::move(r));
  });
}

Result<InboundDecision> InboundDesk::Assign(const Principal& who, std::int64_t id, const AssignInbound& in) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  if (in.org_slug.empty()) return Fail(ErrorCode::kInvalidArgument, "org is required");
  if (in.create_name && (Trimmed(*in.create_name).empty() || in.create_name->size() > 200)) {
    return Fail(ErrorCode::kInvalidArgument, "name must have 1 to 200 characters");
  }
  const Instant now = clock_.Now();
  std::optional<TicketChanged> changed;
  auto out = WriteValue(store_, [&](WriteTx& tx) -> Result<InboundDecision> {
    changed.reset();
    SOPORTE_TRY(rec, OpenMessage(tx, id));
    auto org = tx.orgs().GetOrgBySlug(in.org_slug);
    if (!org) {
      if (org.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no organisation '" + in.org_slug + "'");
      }
      return tl::make_unexpected(org.error());
    }
    const std::string raw_email = in.requester_email.empty() ? rec.from_address : in.requester_email;
    auto email = domain::NormalizeEmail(raw_email);
    if (!email) return Fail(ErrorCode::kInvalidArgument, "requester: '" + raw_email + "' is not an email address");
    auto user = tx.accounts().GetUserByEmail(*email);
    if (!user) {
      if (user.error().code != ErrorCode::kNotFound) return tl::make_unexpected(user.error());
      if (!in.create_name) {
        return Fail(ErrorCode::kNotFound, "requester: no user " + *email + " (give a name to create the customer)");
      }
      domain::User u;
      u.email = *email;
      u.name = Trimmed(*in.create_name);
      u.role = domain::Role::kCustomer;
      u.org_id = org->id;
      u.created_at = now;
      if (domain::IsMailLanguage(rec.language)) u.lang = rec.language;
      SOPORTE_TRY(created, tx.accounts().InsertUser(std::move(u)));
      user = created;
    }
    if (user->role != domain::Role::kCustomer || user->org_id != org->id || !user->active) {
      return Fail(ErrorCode::kNotFound, "requester: no active customer " + *email + " in organisation '" +
                                            in.org_slug + "'");
    }
    NewTicket nt;
    nt.org_slug = in.org_slug;
    nt.requester_email = *email;
    nt.type = in.type;
    nt.criticality = in.criticality;
    nt.subject = Trimmed(in.subject.value_or(rec.subject));
    if (nt.subject.empty()) nt.subject = options_.no_subject;
    if (nt.subject.size() > 300) return Fail(ErrorCode::kInvalidArgument, "subject must have at most 300 bytes");
    nt.description = Trimmed(rec.body_text).empty() ? options_.no_text : rec.body_text;
    // The clock starts from when the mail arrived, not from when staff got to it (channel email:
    // at the email window's next opening after that instant).
    SOPORTE_TRY(view, tickets_.CreateInTx(tx, who, nt, sla::Channel::kEmail, rec.received_at, now));
    SOPORTE_TRY_STATUS(AttachFiles(tx, rec, view.ticket, std::nullopt, user->id, now));
    SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::TicketEvent{
        0, view.ticket.id, who.user_id, now, "mail_assigned", "", rec.from_address}));
    if (notifier_) {
      SOPORTE_TRY(missing, tickets_.MissingIntake(tx, view.ticket));
      SOPORTE_TRY_STATUS(notifier_->EnqueueTicketReceived(tx, view.ticket, rec.language, missing));
    }
    rec.status = "assigned";
    rec.resolved_at = now;
    rec.resolved_by = who.user_id;
    rec.ticket_id = view.ticket.id;
    SOPORTE_TRY_STATUS(tx.mail().ResolveInboundUnassigned(rec));
    changed = TicketChanged{view.ticket.number, view.ticket.org_id, "created"};
    return InboundDecision{view.ticket.number, rec};
  });
  if (out && changed) events_.Publish(*changed);
  return out;
}

Result<InboundDecision> InboundDesk::Attach(const Principal& who, std::int64_t id, std::int64_t number) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  const Instant now = clock_.Now();
  std::optional<TicketChanged> changed;
  auto out = WriteValue(store_, [&](WriteTx& tx) -> Result<InboundDecision> {
    changed.reset();
    SOPORTE_TRY(rec, OpenMessage(tx, id));
    auto t = tx.tickets().GetTicketByNumber(number);
    if (!t) {
      if (t.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no ticket " + std::to_string(number));
      }
      return tl::make_unexpected(t.error());
    }
    SOPORTE_TRY(requester, tx.accounts().GetUser(t->requester_id));
    // The mail is the customer's word on the ticket: written as its requester's public message.
    const std::string body = Trimmed(rec.body_text).empty() ? options_.no_text : rec.body_text;
    domain::Ticket saved;
    SOPORTE_TRY(view, tickets_.AddArticleInTx(tx, PrincipalOf(requester), number, body, false,
                                              sla::Channel::kEmail, now, &saved));
    SOPORTE_TRY_STATUS(AttachFiles(tx, rec, saved, view.article.id, requester.id, now));
    SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
        domain::TicketEvent{0, saved.id, who.user_id, now, "mail_attached", "", rec.from_address}));
    rec.status = "attached";
    rec.resolved_at = now;
    rec.resolved_by = who.user_id;
    rec.ticket_id = saved.id;
    SOPORTE_TRY_STATUS(tx.mail().ResolveInboundUnassigned(rec));
    changed = TicketChanged{saved.number, saved.org_id, "article"};
    return InboundDecision{saved.number, rec};
  });
  if (out && changed) events_.Publish(*changed);
  return out;
}

Result<InboundDecision> InboundDesk::Dismiss(const Principal& who, std::int64_t id, const std::string& status,
                                             const std::string& reason) {
  SOPORTE_TRY_STATUS(RequireStaff(who));
  if (status != "spam" && status != "discarded") {
    return Fail(ErrorCode::kInvalidArgument, "status must be spam or discarded (got '" + status + "')");
  }
  const std::string why = Trimmed(reason);
  if (why.empty()) return Fail(ErrorCode::kInvalidArgument, "reason is required");
  if (why.size() > kMaxReason) return Fail(ErrorCode::kInvalidArgument, "reason must have at most 500 bytes");
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<InboundDecision> {
    SOPORTE_TRY(rec, OpenMessage(tx, id));
    rec.status = status;
    rec.resolved_at = now;
    rec.resolved_by = who.user_id;
    rec.resolution_note = why;
    SOPORTE_TRY_STATUS(tx.mail().ResolveInboundUnassigned(rec));
    return InboundDecision{0, rec};
  });
}

}  // namespace soporte::app
