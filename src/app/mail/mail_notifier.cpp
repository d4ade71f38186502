#include "app/mail/mail_notifier.hpp"

#include "app/calendars/calendar_service.hpp"

#include <cstdio>

#include "domain/mail/thread_matcher.hpp"

namespace soporte::app {
namespace {

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

const char* MailKindName(MailKind k) {
  switch (k) {
    case MailKind::kTicketReceived: return "ticket_received";
    case MailKind::kAgentReply: return "agent_reply";
    case MailKind::kWaitingCustomer: return "waiting_customer";
    case MailKind::kResolved: return "resolved";
    case MailKind::kClosed: return "closed";
    case MailKind::kUnknownSender: return "unknown_sender";
    case MailKind::kPasswordReset: return "password_reset";
    case MailKind::kPage: return "page";
    case MailKind::kStaffAlert: return "staff_alert";
  }
  return "unknown";
}

MailNotifier::MailNotifier(const MailRenderer& renderer, const sla::SlaEngine& sla,
                           MailNotifierOptions options)
    : renderer_(renderer), sla_(sla), options_(std::move(options)), rng_(std::random_device{}()) {}

std::string MailNotifier::NewMessageId(std::int64_t number, Instant now) {
  std::uint64_t r;
  {
    std::lock_guard lock(mu_);
    r = rng_();
  }
  char rand[17];
  std::snprintf(rand, sizeof rand, "%016llx", static_cast<unsigned long long>(r));
  return "soporte." + std::to_string(number) + "." + std::to_string(now.time_since_epoch().count()) +
         "." + rand + "@" + DomainOf(options_.support_address);
}

Status MailNotifier::Enqueue(WriteTx& tx, const domain::Ticket& t, MailContext ctx,
                             std::string_view auto_submitted, Instant now) {
  SOPORTE_TRY(requester, tx.accounts().GetUser(t.requester_id));
  if (!requester.active) return Ok();
  // Mail about a ticket is for the customer it is for: a ticket staff opened with themselves as
  // the requester (no customer named) is not acknowledged to the staff member who typed it.
  if (requester.role != domain::Role::kCustomer) return Ok();
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  // The requester's language first; else the one the triggering message named; else the default.
  if (domain::IsMailLanguage(requester.lang)) ctx.lang = requester.lang;
  if (ctx.lang.empty()) ctx.lang = options_.default_lang;
  ctx.number = t.number;
  ctx.subject = t.subject;
  ctx.criticality = std::string(sla::Name(t.criticality));
  ctx.received_at = t.received_at;
  ctx.due = t.response_due;
  ctx.zone = contract.zone;
  ctx.recipient_name = requester.name;
  ctx.support_address = options_.support_address;
  RenderedMail text = renderer_.Render(ctx);

  OutboxRecord row;
  row.created_at = now;
  row.kind = MailKindName(ctx.kind);
  row.to_address = requester.email;
  row.subject = domain::mail::TagSubject(text.subject, t.number);
  row.body_text = std::move(text.body);
  row.message_id = NewMessageId(t.number, now);
  row.auto_submitted = std::string(auto_submitted);
  row.lang = ctx.lang;
  row.ticket_id = t.id;
  row.next_attempt_at = now;
  // Threading (RFC 5322 §3.6.4): answer the newest message of the ticket, reference the first
  // and the last few.
  SOPORTE_TRY(ids, tx.mail().ListMessageIds(t.id));
  if (!ids.empty()) {
    row.in_reply_to = ids.back().message_id;
    const std::size_t from = ids.size() > 9 ? ids.size() - 9 : 0;
    if (from > 0) row.references = ids.front().message_id;
    for (std::size_t i = from; i < ids.size(); ++i) {
      if (!row.references.empty()) row.references += " ";
      row.references += ids[i].message_id;
    }
  }
  SOPORTE_TRY(stored, tx.mail().InsertOutbox(std::move(row)));
  return tx.mail().InsertMessageId(
      MessageIdRecord{stored.message_id, t.id, std::nullopt, true, now});
}

Status MailNotifier::EnqueueTicketReceived(WriteTx& tx, const domain::Ticket& t, const std::string& lang,
                                           const std::vector<domain::IntakeItem>& missing) {
  MailContext ctx;
  ctx.kind = MailKind::kTicketReceived;
  for (auto item : missing) ctx.missing_items.emplace_back(domain::IntakeItemName(item));
  ctx.lang = lang;
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
  auto timeline = sla_.Explain(contract_sla, t.criticality, t.channel, t.received_at);
  if (timeline) ctx.timeline = std::move(*timeline);
  return Enqueue(tx, t, std::move(ctx), domain::mail::kAutoReplied, t.created_at);
}

Status MailNotifier::TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) {
  return EnqueueTicketReceived(tx, t, "");
}

Status MailNotifier::ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                                  const Principal& who) {
  if (a.internal || !who.staff()) return Ok();
  MailContext ctx;
  ctx.kind = MailKind::kAgentReply;
  ctx.body = a.body;
  ctx.author_name = who.name;
  return Enqueue(tx, t, std::move(ctx), domain::mail::kAutoGenerated, a.created_at);
}

Status MailNotifier::StatusChanged(WriteTx& tx, const domain::Ticket& t, domain::TicketStatus from,
                                   const Principal& who) {
  MailContext ctx;
  switch (t.status) {
    case domain::TicketStatus::kWaitingCustomer: ctx.kind = MailKind::kWaitingCustomer; break;
    case domain::TicketStatus::kResolved: ctx.kind = MailKind::kResolved; break;
    case domain::TicketStatus::kClosed: ctx.kind = MailKind::kClosed; break;
    default: return Ok();
  }
  ctx.author_name = who.name;
  return Enqueue(tx, t, std::move(ctx), domain::mail::kAutoGenerated, t.updated_at);
}

Status MailNotifier::EnqueueUnknownSender(WriteTx& tx, const std::string& to, const std::string& lang,
                                          const std::string& original_subject,
                                          const std::string& in_reply_to, Instant now) {
  MailContext ctx;
  ctx.kind = MailKind::kUnknownSender;
  ctx.lang = lang.empty() ? options_.default_lang : lang;
  ctx.support_address = options_.support_address;
  ctx.original_subject = original_subject;
  RenderedMail text = renderer_.Render(ctx);
  OutboxRecord row;
  row.created_at = now;
  row.kind = MailKindName(ctx.kind);
  row.to_address = to;
  row.subject = std::move(text.subject);
  row.body_text = std::move(text.body);
  row.message_id = NewMessageId(0, now);
  row.in_reply_to = in_reply_to;
  row.references = in_reply_to;
  row.auto_submitted = std::string(domain::mail::kAutoReplied);
  row.lang = ctx.lang;
  row.next_attempt_at = now;
  SOPORTE_TRY(stored, tx.mail().InsertOutbox(std::move(row)));
  (void)stored;
  return Ok();
}

}  // namespace soporte::app
