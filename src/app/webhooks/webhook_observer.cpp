#include "app/webhooks/webhook_observer.hpp"

#include <algorithm>

namespace soporte::app {

namespace wh = domain::webhook;

namespace {

WebhookPerson PersonOf(const Principal& who) {
  if (!who.user_id.valid()) return WebhookPerson{};
  return WebhookPerson{who.user_id.value(), who.name, std::string(domain::RoleName(who.role))};
}

// The person behind `id`; the system (empty) when invalid or gone.
Result<WebhookPerson> PersonById(ReadTx& tx, UserId id) {
  if (!id.valid()) return WebhookPerson{};
  auto u = tx.accounts().GetUser(id);
  if (!u) {
    if (u.error().code == ErrorCode::kNotFound) return WebhookPerson{id.value(), "", ""};
    return tl::make_unexpected(u.error());
  }
  return WebhookPerson{u->id.value(), u->name, std::string(domain::RoleName(u->role))};
}

bool Wants(const WebhookRecord& r, std::string_view event) {
  return std::find(r.events.begin(), r.events.end(), event) != r.events.end();
}

}  // namespace

Status WebhookObserver::Offer(WriteTx& tx, wh::WebhookEvent event, const domain::Ticket& t,
                              const WebhookPerson& actor,
                              const std::function<void(WebhookPayload&)>& fill) {
  const std::string name(wh::WebhookEventName(event));
  SOPORTE_TRY(hooks, tx.webhooks().ListWebhooks());  // vendor-wide and few: no index needed
  bool any = false;
  for (const auto& h : hooks) any = any || Wants(h, name);
  if (!any) return Ok();
  const Instant now = clock_.Now();
  WebhookPayload p;
  p.event = name;
  p.occurred_at = now;
  p.ticket = t;
  p.actor = actor;
  SOPORTE_TRY(org, tx.orgs().GetOrg(t.org_id));
  p.org_slug = org.slug;
  p.org_name = org.name;
  fill(p);
  for (const auto& h : hooks) {
    if (!Wants(h, name)) continue;
    WebhookDeliveryRecord d;
    d.webhook_id = h.id;
    d.delivery_id = ids_.NewToken();
    p.delivery_id = d.delivery_id;
    d.event = name;
    d.payload = encoder_.Encode(p);
    d.ticket_id = t.id;
    d.created_at = now;
    d.next_attempt_at = now;
    SOPORTE_TRY(stored, tx.webhooks().InsertWebhookDelivery(std::move(d)));
    (void)stored;
  }
  return Ok();
}

Status WebhookObserver::TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) {
  return Offer(tx, wh::WebhookEvent::kTicketCreated, t, PersonOf(who), [](WebhookPayload&) {});
}

Status WebhookObserver::TicketUpdated(WriteTx& tx, const domain::Ticket&,
                                      const domain::Ticket& after,
                                      const std::vector<domain::TicketEvent>& changes,
                                      const Principal& who) {
  if (changes.empty()) return Ok();
  return Offer(tx, wh::WebhookEvent::kTicketUpdated, after, PersonOf(who),
               [&changes](WebhookPayload& p) { p.changes = changes; });
}

Status WebhookObserver::ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                                     const Principal& who) {
  SOPORTE_TRY(author, PersonById(tx, a.author_id));
  return Offer(tx, wh::WebhookEvent::kTicketMessage, t, PersonOf(who),
               [&a, &author](WebhookPayload& p) {
                 p.article = a;
                 p.author = author;
               });
}

Status WebhookObserver::SlaReached(WriteTx& tx, const domain::Ticket& t,
                                   const domain::sla::SlaFiring& firing) {
  const auto event = firing.kind == domain::sla::SlaThresholdKind::kWarning
                         ? wh::WebhookEvent::kSlaWarning
                         : wh::WebhookEvent::kSlaBreached;
  return Offer(tx, event, t, WebhookPerson{}, [&firing](WebhookPayload& p) {
    p.sla_threshold = std::string(domain::sla::SlaThresholdName(firing.kind));
    p.sla_due = firing.due;
    p.sla_reached = firing.reached;
  });
}

Status WebhookObserver::PageChanged(WriteTx& tx, const domain::Ticket& t, const PageNotice& page) {
  wh::WebhookEvent event = wh::WebhookEvent::kPageSent;
  if (page.kind == PageNotice::Kind::kAcknowledged) event = wh::WebhookEvent::kPageAcknowledged;
  if (page.kind == PageNotice::Kind::kEscalated) event = wh::WebhookEvent::kPageEscalated;
  SOPORTE_TRY(engineer, PersonById(tx, page.engineer));
  WebhookPerson actor = page.kind == PageNotice::Kind::kAcknowledged ? engineer : WebhookPerson{};
  return Offer(tx, event, t, actor, [&page, &engineer](WebhookPayload& p) {
    p.page_id = page.page_id;
    p.page_level = page.level;
    p.engineer = engineer;
  });
}

}  // namespace soporte::app
