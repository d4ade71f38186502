#include "app/oncall/paging.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "domain/mail/loop_guard.hpp"
#include "domain/oncall/rota.hpp"

namespace soporte::app {
namespace {

namespace oc = domain::oncall;

constexpr const char* kCriticalCreated = "critical_created";
constexpr const char* kPortalSetting = "contact.portal_url";

Error LinkNotValid() {
  return Error{ErrorCode::kFailedPrecondition,
               "the acknowledge link is not valid (unknown or expired)"};
}

Error AlreadyAcknowledged() {
  return Error{ErrorCode::kFailedPrecondition, "the page was already acknowledged"};
}

std::string ReasonOf(const domain::sla::SlaFiring& f) {
  return f.kind == domain::sla::SlaThresholdKind::kWarning ? "sla_warning" : "sla_breach";
}

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

// The active supervisors: the chain's last level.
Result<std::vector<UserId>> Supervisors(ReadTx& tx) {
  SOPORTE_TRY(users, tx.accounts().ListUsers(std::nullopt));
  std::vector<UserId> out;
  for (const auto& u : users) {
    if (u.active && u.role == domain::Role::kSupervisor) out.push_back(u.id);
  }
  return out;
}

// The chain of the rota `rota_id` (0 or deleted: the supervisors alone) at `now`.
Result<std::vector<oc::ChainLevel>> ChainAt(ReadTx& tx, std::int64_t rota_id, Instant now) {
  oc::OnCall on_call;
  if (rota_id > 0) {
    auto rota = tx.oncall().GetRota(rota_id);
    if (rota) {
      on_call = oc::OnCallAt(*rota, now);
    } else if (rota.error().code != ErrorCode::kNotFound) {
      return tl::make_unexpected(rota.error());
    }
  }
  SOPORTE_TRY(sups, Supervisors(tx));
  return oc::EscalationChain(on_call, sups);
}

std::string JoinNames(const std::vector<domain::User>& users) {
  std::string out;
  for (const auto& u : users) {
    if (!out.empty()) out += ", ";
    out += u.name;
  }
  return out;
}

}  // namespace

Paging::Paging(Store& store, TicketObserver& announce, const TokenService& tokens,
               const MailRenderer& renderer, StaffedHours& staffed, const Clock& clock,
               PagingOptions options)
    : store_(store),
      announce_(announce),
      tokens_(tokens),
      renderer_(renderer),
      staffed_(staffed),
      clock_(clock),
      options_(std::move(options)) {}

Status Paging::TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal&) {
  if (t.criticality != sla::Criticality::kCritical) return Ok();
  return MaybePage(tx, t, kCriticalCreated, t.response_due, clock_.Now());
}

Status Paging::SlaReached(WriteTx& tx, const domain::Ticket& t,
                          const domain::sla::SlaFiring& firing) {
  return MaybePage(tx, t, ReasonOf(firing), firing.due, firing.fired_at);
}

Result<std::string> Paging::LinkBase(ReadTx& tx) {
  std::string base = options_.portal_url;
  SOPORTE_TRY(settings, tx.settings().ListSettings());
  for (const auto& s : settings) {
    if (s.key == kPortalSetting && !s.value.empty()) base = s.value;
  }
  if (!(base.starts_with("http://") || base.starts_with("https://"))) return std::string();
  if (auto hash = base.find('#'); hash != std::string::npos) base.resize(hash);
  if (!base.ends_with('/')) base += '/';
  return base;
}

Status Paging::MaybePage(WriteTx& tx, const domain::Ticket& t, const std::string& reason,
                         Instant due, Instant now) {
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  if (contract.modality != sla::Modality::k24x7) return Ok();
  SOPORTE_TRY(staffed, staffed_.IsStaffed(tx, now));
  if (staffed) return Ok();
  SOPORTE_TRY(rotas, tx.oncall().ListRotas());
  // No rota: the desk has no out-of-hours line configured, and nobody is paged (not even the
  // supervisors, who are the end of a rota's chain).
  if (rotas.empty()) return Ok();
  const std::int64_t rota_id = rotas.front().id;
  SOPORTE_TRY(chain, ChainAt(tx, rota_id, now));
  if (chain.empty()) return Ok();  // no rota and no supervisor: nobody to page
  PageRecord page;
  page.ticket_id = t.id;
  page.reason = reason;
  page.due = due;
  page.level = chain.front().level;
  page.rota_id = rota_id;
  page.created_at = now;
  if (oc::NextLevel(chain, page.level)) page.escalate_at = now + options_.escalate_after;
  auto stored = tx.oncall().InsertPage(page);
  if (!stored) {
    // Already paged for this reason and due (a retried write, another node): nothing twice.
    if (stored.error().code == ErrorCode::kAlreadyExists) return Ok();
    return tl::make_unexpected(stored.error());
  }
  return SendLevel(tx, t, *stored, chain.front().users, now, false);
}

Status Paging::SendLevel(WriteTx& tx, const domain::Ticket& t, PageRecord& page,
                         const std::vector<UserId>& users, Instant now, bool escalated) {
  SOPORTE_TRY(base, LinkBase(tx));
  std::vector<domain::User> paged;
  for (UserId id : users) {
    SOPORTE_TRY(user, tx.accounts().GetUser(id));
    const std::string token = tokens_.NewToken();
    PageDeliveryRecord d;
    d.page_id = page.id;
    d.level = page.level;
    d.user_id = id;
    d.ack_hash = tokens_.HashToken(token);
    d.ack_expires_at = now + options_.link_lifetime;
    d.next_attempt_at = now;
    if (options_.gateway) {
      d.pending_token = token;
    } else {
      d.skipped_at = now;  // no gateway: the mail (and the console) carry the page
    }
    SOPORTE_TRY(delivery, tx.oncall().InsertPageDelivery(std::move(d)));
    if (!user.email.empty()) {
      MailContext ctx;
      ctx.kind = MailKind::kPage;
      ctx.lang = (user.lang == "es" || user.lang == "en") ? user.lang : options_.default_lang;
      ctx.number = t.number;
      ctx.subject = t.subject;
      ctx.criticality = std::string(sla::Name(t.criticality));
      ctx.recipient_name = user.name;
      ctx.support_address = options_.support_address;
      ctx.page_reason = page.reason;
      if (!base.empty()) ctx.link = base + "#/ack?token=" + token;
      ctx.link_minutes = static_cast<int>(options_.link_lifetime.count() / 60);
      RenderedMail text = renderer_.Render(ctx);
      OutboxRecord row;
      row.created_at = now;
      row.kind = MailKindName(MailKind::kPage);
      row.to_address = user.email;
      row.subject = std::move(text.subject);
      row.body_text = std::move(text.body);
      row.message_id = "soporte.page." + std::to_string(delivery.id) + "." +
                       tokens_.HashToken(token + "message-id").substr(0, 16) + "@" +
                       DomainOf(options_.support_address);
      row.auto_submitted = std::string(domain::mail::kAutoGenerated);
      row.lang = ctx.lang;
      row.ticket_id = t.id;
      row.next_attempt_at = now;
      SOPORTE_TRY(stored, tx.mail().InsertOutbox(std::move(row)));
      (void)stored;
    }
    paged.push_back(std::move(user));
  }
  SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
      domain::TicketEvent{0, t.id, UserId{}, now, escalated ? "page_escalated" : "page_sent",
                          page.reason, JoinNames(paged)}));
  for (const auto& u : paged) {
    PageNotice n;
    n.kind = escalated ? PageNotice::Kind::kEscalated : PageNotice::Kind::kSent;
    n.page_id = page.id;
    n.engineer = u.id;
    n.level = page.level;
    n.at = now;
    SOPORTE_TRY_STATUS(announce_.PageChanged(tx, t, n));
  }
  return Ok();
}

Result<int> Paging::EscalateDue() {
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<int> {
    SOPORTE_TRY(due, tx.oncall().ClaimEscalations(now, now + options_.lease, options_.batch));
    int escalated = 0;
    for (PageRecord& page : due) {
      page.claimed_until.reset();
      SOPORTE_TRY(ticket, tx.tickets().GetTicket(page.ticket_id));
      SOPORTE_TRY(chain, ChainAt(tx, page.rota_id, now));
      auto next = oc::NextLevel(chain, page.level);
      if (!next) {
        page.escalate_at.reset();  // the last level was paged: the page stays open
        SOPORTE_TRY_STATUS(tx.oncall().UpdatePage(page));
        continue;
      }
      page.level = next->level;
      page.escalate_at.reset();
      if (oc::NextLevel(chain, page.level)) page.escalate_at = now + options_.escalate_after;
      SOPORTE_TRY_STATUS(tx.oncall().UpdatePage(page));
      SOPORTE_TRY_STATUS(SendLevel(tx, ticket, page, next->users, now, true));
      ++escalated;
    }
    return escalated;
  });
}

Result<int> Paging::DeliverDue(PageGateway& gateway) {
  const Instant now = clock_.Now();
  std::vector<std::pair<PageDeliveryRecord, PageMessage>> work;
  SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) -> Status {
    work.clear();
    SOPORTE_TRY(due, tx.oncall().ClaimPageDeliveries(now, now + options_.lease, options_.batch));
    SOPORTE_TRY(base, LinkBase(tx));
    for (PageDeliveryRecord& d : due) {
      SOPORTE_TRY(page, tx.oncall().GetPage(d.page_id));
      if (page.acknowledged_at) {
        d.skipped_at = now;
        d.pending_token.clear();
        d.claimed_until.reset();
        SOPORTE_TRY_STATUS(tx.oncall().UpdatePageDelivery(d));
        continue;
      }
      SOPORTE_TRY(ticket, tx.tickets().GetTicket(page.ticket_id));
      SOPORTE_TRY(user, tx.accounts().GetUser(d.user_id));
      PageMessage m;
      m.page_id = page.id;
      m.delivery_id = d.id;
      m.number = ticket.number;
      m.subject = ticket.subject;
      m.criticality = std::string(sla::Name(ticket.criticality));
      m.reason = page.reason;
      m.level = d.level;
      m.attempt = d.attempts + 1;
      m.to_name = user.name;
      m.to_email = user.email;
      m.lang = (user.lang == "es" || user.lang == "en") ? user.lang : options_.default_lang;
      if (!base.empty() && !d.pending_token.empty())
        m.ack_url = base + "#/ack?token=" + d.pending_token;
      m.ack_expires_at = d.ack_expires_at;
      m.paged_at = page.created_at;
      work.emplace_back(d, std::move(m));
    }
    return Ok();
  }));
  int sent = 0;
  for (auto& item : work) {
    // Named references, not a structured binding: clang (the fuzz build) does not let a lambda
    // capture a structured binding before C++20's P1091 support (clang 16).
    auto& d = item.first;
    const auto& m = item.second;
    Status st = gateway.Send(m);
    const Instant after = clock_.Now();
    d.claimed_until.reset();
    d.attempts += 1;
    if (st) {
      d.sent_at = after;
      d.pending_token.clear();
      d.last_error.clear();
      ++sent;
    } else {
      d.last_error = st.error().message;
      Seconds wait = options_.first_retry;
      for (int i = 1; i < d.attempts && wait < options_.max_retry; ++i) wait *= 2;
      d.next_attempt_at = after + std::min(wait, options_.max_retry);
    }
    SOPORTE_TRY_STATUS(
        store_.Write([&](WriteTx& tx) { return tx.oncall().UpdatePageDelivery(d); }));
  }
  return sent;
}

Status Paging::AcknowledgeIn(WriteTx& tx, PageRecord& page, UserId by, const std::string& via,
                             Instant now) {
  if (page.acknowledged_at) return tl::make_unexpected(AlreadyAcknowledged());
  page.acknowledged_at = now;
  page.acknowledged_by = by;
  page.acknowledged_via = via;
  page.escalate_at.reset();
  page.claimed_until.reset();
  SOPORTE_TRY_STATUS(tx.oncall().UpdatePage(page));
  SOPORTE_TRY(deliveries, tx.oncall().ListPageDeliveries(page.id));
  for (PageDeliveryRecord& d : deliveries) {
    if (d.sent_at || d.skipped_at) continue;
    d.skipped_at = now;
    d.pending_token.clear();
    SOPORTE_TRY_STATUS(tx.oncall().UpdatePageDelivery(d));
  }
  SOPORTE_TRY(ticket, tx.tickets().GetTicket(page.ticket_id));
  SOPORTE_TRY(user, tx.accounts().GetUser(by));
  SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
      domain::TicketEvent{0, ticket.id, by, now, "page_acknowledged", page.reason, user.name}));
  PageNotice n;
  n.kind = PageNotice::Kind::kAcknowledged;
  n.page_id = page.id;
  n.engineer = by;
  n.level = page.level;
  n.at = now;
  return announce_.PageChanged(tx, ticket, n);
}

Result<PageLinkView> Paging::PeekLink(const std::string& token) {
  if (token.empty()) return Fail(ErrorCode::kInvalidArgument, "token: required");
  const Instant now = clock_.Now();
  const std::string hash = tokens_.HashToken(token);
  return ReadValue(store_, [&](ReadTx& tx) -> Result<PageLinkView> {
    auto d = tx.oncall().FindPageDelivery(hash);
    if (!d) {
      if (d.error().code == ErrorCode::kNotFound) return tl::make_unexpected(LinkNotValid());
      return tl::make_unexpected(d.error());
    }
    if (d->ack_expires_at <= now) return tl::make_unexpected(LinkNotValid());
    SOPORTE_TRY(page, tx.oncall().GetPage(d->page_id));
    SOPORTE_TRY(ticket, tx.tickets().GetTicket(page.ticket_id));
    return PageLinkView{ticket.number, ticket.subject, ticket.criticality,
                        page.acknowledged_at.has_value()};
  });
}

Result<PageLinkView> Paging::AcknowledgeLink(const std::string& token) {
  if (token.empty()) return Fail(ErrorCode::kInvalidArgument, "token: required");
  const Instant now = clock_.Now();
  const std::string hash = tokens_.HashToken(token);
  return WriteValue(store_, [&](WriteTx& tx) -> Result<PageLinkView> {
    auto d = tx.oncall().FindPageDelivery(hash);
    if (!d) {
      if (d.error().code == ErrorCode::kNotFound) return tl::make_unexpected(LinkNotValid());
      return tl::make_unexpected(d.error());
    }
    if (d->ack_expires_at <= now) return tl::make_unexpected(LinkNotValid());
    SOPORTE_TRY(page, tx.oncall().GetPage(d->page_id));
    SOPORTE_TRY_STATUS(AcknowledgeIn(tx, page, d->user_id, "link", now));
    SOPORTE_TRY(ticket, tx.tickets().GetTicket(page.ticket_id));
    return PageLinkView{ticket.number, ticket.subject, ticket.criticality, true};
  });
}

Status Paging::Acknowledge(const Principal& who, std::int64_t page_id, const std::string& via) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only staff acknowledge pages");
  const Instant now = clock_.Now();
  return store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY(page, tx.oncall().GetPage(page_id));
    return AcknowledgeIn(tx, page, who.user_id, via, now);
  });
}

Result<std::vector<PageView>> Paging::OpenPages(const Principal& who) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only staff see pages");
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<PageView>> {
    SOPORTE_TRY(pages, tx.oncall().ListOpenPages(100));
    std::vector<PageView> out;
    for (PageRecord& p : pages) {
      PageView v;
      SOPORTE_TRY(ticket, tx.tickets().GetTicket(p.ticket_id));
      v.number = ticket.number;
      v.subject = ticket.subject;
      v.criticality = ticket.criticality;
      SOPORTE_TRY(deliveries, tx.oncall().ListPageDeliveries(p.id));
      for (const auto& d : deliveries) {
        if (d.level == p.level) {
          SOPORTE_TRY(u, tx.accounts().GetUser(d.user_id));
          v.paged.push_back(u.name);
        }
        if (!d.sent_at && !d.skipped_at) {
          ++v.pending;
          if (!d.last_error.empty()) v.last_error = d.last_error;
        }
      }
      v.page = std::move(p);
      out.push_back(std::move(v));
    }
    return out;
  });
}

}  // namespace soporte::app
