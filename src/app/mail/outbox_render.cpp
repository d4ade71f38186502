#include "app/mail/outbox_render.hpp"

#include <optional>

#include "app/calendars/calendar_service.hpp"
#include "domain/mail/thread_matcher.hpp"

namespace soporte::app {
namespace {

std::optional<MailKind> KindOf(std::string_view name) {
  for (MailKind k : {MailKind::kTicketReceived, MailKind::kAgentReply, MailKind::kWaitingCustomer,
                     MailKind::kResolved, MailKind::kClosed, MailKind::kUnknownSender,
                     MailKind::kPasswordReset, MailKind::kPage, MailKind::kStaffAlert}) {
    if (name == MailKindName(k)) return k;
  }
  return std::nullopt;
}

}  // namespace

OutboxRenderer::OutboxRenderer(const MailRenderer& renderer, const sla::SlaEngine& sla,
                               std::string support_address)
    : renderer_(renderer), sla_(sla), support_address_(std::move(support_address)) {}

Result<RenderedMail> OutboxRenderer::Render(ReadTx& tx, const OutboxRecord& row) const {
  if (!row.facts) return RenderedMail{row.subject, row.body_text};
  const MailFacts& f = *row.facts;
  const std::optional<MailKind> kind = KindOf(row.kind);
  if (!kind) {
    return Fail(ErrorCode::kInvalidArgument, "outgoing mail " + std::to_string(row.id) +
                                                 " is of an unknown kind '" + row.kind + "'");
  }
  MailContext ctx;
  ctx.kind = *kind;
  ctx.lang = row.lang;
  ctx.number = f.ticket_number;
  ctx.subject = f.subject;
  ctx.original_subject = f.subject;
  ctx.criticality = f.criticality;
  ctx.received_at = f.received_at;
  ctx.due = f.due;
  ctx.zone = f.zone;
  ctx.recipient_name = f.recipient_name;
  ctx.author_name = f.author_name;
  ctx.missing_items = f.missing_items;
  ctx.alert = f.alert;
  ctx.support_address = support_address_;
  if (f.article_id.valid()) {
    SOPORTE_TRY(articles, tx.tickets().ListArticles(row.ticket_id, true));
    bool found = false;
    for (const auto& a : articles) {
      if (a.id == f.article_id) {
        ctx.body = a.body;
        found = true;
        break;
      }
    }
    if (!found) {
      return Fail(ErrorCode::kNotFound, "outgoing mail " + std::to_string(row.id) + ": article " +
                                            std::to_string(f.article_id.value()) + " is gone");
    }
  }
  if (*kind == MailKind::kTicketReceived && f.contract_id.valid()) {
    const auto criticality = sla::ParseCriticality(f.criticality);
    const auto channel = sla::ParseChannel(f.channel);
    auto contract = tx.orgs().GetContract(f.contract_id);
    if (!contract && contract.error().code != ErrorCode::kNotFound)
      return tl::make_unexpected(contract.error());
    if (contract && criticality && channel) {
      SOPORTE_TRY(contract_sla, ContractSlaOf(tx, *contract));
      auto timeline = sla_.Explain(contract_sla, *criticality, *channel, f.received_at);
      if (timeline && timeline->due == f.due) ctx.timeline = std::move(*timeline);
    }
  }
  RenderedMail text = renderer_.Render(ctx);
  if (f.ticket_number > 0) text.subject = domain::mail::TagSubject(text.subject, f.ticket_number);
  return text;
}

}  // namespace soporte::app
