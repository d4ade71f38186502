#include "transport/api/codec/webhook_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {

namespace {

json::value At(Instant t) { return TimeJson(t, domain::calendar::Utc()); }

json::value OptAt(const std::optional<Instant>& t) { return t ? At(*t) : json::value(nullptr); }

json::value PersonJson(const app::WebhookPerson& p) {
  if (p.id == 0) return nullptr;  // the system
  return json::object{{"id", p.id}, {"name", p.name}, {"role", p.role}};
}

json::value IdOrNull(std::int64_t id) { return id > 0 ? json::value(id) : json::value(nullptr); }

json::value TicketJson(const app::WebhookPayload& p, bool with_description) {
  const domain::Ticket& t = p.ticket;
  json::array tags;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  json::object o{
      {"id", t.id.value()},
      {"number", t.number},
      {"subject", t.subject},
      {"type", domain::TypeName(t.type)},
      {"status", domain::StatusName(t.status)},
      {"criticality", domain::sla::Name(t.criticality)},
      {"channel", domain::sla::Name(t.channel)},
      {"org", json::object{{"id", t.org_id.value()}, {"slug", p.org_slug}, {"name", p.org_name}}},
      {"contract_id", IdOrNull(t.contract_id.value())},
      {"requester_id", IdOrNull(t.requester_id.value())},
      {"assignee_id", IdOrNull(t.assignee_id.value())},
      {"tags", std::move(tags)},
      {"response_due", At(t.response_due)},
      {"first_response_at", OptAt(t.first_response_at)},
      {"created_at", At(t.created_at)},
      {"updated_at", At(t.updated_at)}};
  if (with_description) o["description"] = t.description;
  return o;
}

}  // namespace

Result<domain::webhook::WebhookInput> ParseWebhookInput(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  domain::webhook::WebhookInput in;
  SOPORTE_TRY(url, r.Required("url"));
  in.url = std::move(url);
  SOPORTE_TRY(events, r.StringList("events"));
  if (!events) return Fail(ErrorCode::kInvalidArgument, "events is required");
  in.events = std::move(*events);
  SOPORTE_TRY(secret, r.Required("secret"));
  in.secret = std::move(secret);
  SOPORTE_TRY_STATUS(r.Finish());
  return in;
}

json::value WebhookDeliveryJson(const app::WebhookDeliveryRecord& d) {
  std::string state = "pending";
  if (d.delivered_at)
    state = "delivered";
  else if (d.failed_at)
    state = "failed";
  return json::object{
      {"id", d.id},
      {"webhook_id", d.webhook_id},
      {"delivery_id", d.delivery_id},
      {"event", d.event},
      {"state", state},
      {"ticket_id", IdOrNull(d.ticket_id.value())},
      {"created_at", At(d.created_at)},
      {"attempts", d.attempts},
      {"last_status", d.last_status > 0 ? json::value(d.last_status) : json::value(nullptr)},
      {"last_error", d.last_error},
      {"last_attempt_at", OptAt(d.last_attempt_at)},
      {"next_attempt_at",
       d.delivered_at || d.failed_at ? json::value(nullptr) : At(d.next_attempt_at)},
      {"delivered_at", OptAt(d.delivered_at)},
      {"failed_at", OptAt(d.failed_at)}};
}

json::value WebhookDeliveryListJson(const std::vector<app::WebhookDeliveryRecord>& list) {
  return ListJson("deliveries", list, WebhookDeliveryJson);
}

json::value WebhookJson(const app::WebhookView& v) {
  json::array events;
  for (const auto& e : v.events) events.emplace_back(e);
  return json::object{{"id", v.id},
                      {"url", v.url},
                      {"events", std::move(events)},
                      {"created_by", IdOrNull(v.created_by.value())},
                      {"created_at", At(v.created_at)},
                      {"deliveries", json::object{{"pending", v.counts.pending},
                                                  {"delivered", v.counts.delivered},
                                                  {"failed", v.counts.failed}}},
                      {"last_delivery", v.last_delivery ? WebhookDeliveryJson(*v.last_delivery)
                                                        : json::value(nullptr)}};
}

json::value WebhookListJson(const std::vector<app::WebhookView>& list) {
  return ListJson("webhooks", list, WebhookJson);
}

std::string JsonWebhookPayloadEncoder::Encode(const app::WebhookPayload& p) const {
  json::object o{{"event", p.event},
                 {"delivery_id", p.delivery_id},
                 {"occurred_at", At(p.occurred_at)},
                 {"ticket", TicketJson(p, p.event == "ticket.created")},
                 {"actor", PersonJson(p.actor)}};
  if (p.event == "ticket.updated") {
    json::array changes;
    for (const auto& c : p.changes)
      changes.push_back(json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
    o["changes"] = std::move(changes);
  }
  if (p.article) {
    const domain::Article& a = *p.article;
    json::value call = nullptr;
    if (a.call) {
      call =
          json::object{{"caller", a.call->caller}, {"duration_minutes", a.call->duration_minutes}};
    }
    o["message"] = json::object{{"id", a.id.value()},
                                {"internal", a.internal},
                                {"visibility", a.internal ? "internal" : "public"},
                                {"channel", domain::sla::Name(a.channel)},
                                {"author", p.author ? PersonJson(*p.author) : json::value(nullptr)},
                                {"body", a.body},
                                {"call", std::move(call)},
                                {"created_at", At(a.created_at)}};
  }
  if (!p.sla_threshold.empty()) {
    o["sla"] = json::object{{"threshold", p.sla_threshold},
                            {"due", OptAt(p.sla_due)},
                            {"reached", OptAt(p.sla_reached)}};
  }
  if (p.event.rfind("page.", 0) == 0) {
    o["page"] =
        json::object{{"id", p.page_id},
                     {"level", p.page_level},
                     {"engineer", p.engineer ? PersonJson(*p.engineer) : json::value(nullptr)}};
  }
  return Serialize(o);
}

}  // namespace soporte::transport::api::codec
