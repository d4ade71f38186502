#include "transport/api/codec/mail_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {
namespace sla = domain::sla;
namespace cal = domain::calendar;

json::value InboundJson(const app::InboundView& v, bool with_text) {
  const auto* utc = cal::Utc();
  const app::InboundUnassignedRecord& m = v.message;
  json::object o{
      {"id", m.id},
      {"received_at", TimeJson(m.received_at, utc)},
      {"from", m.from_address},
      {"subject", m.subject},
      {"message_id", m.message_id},
      {"reason", m.reason},
      {"language", m.language},
      {"status", m.status},
      {"resolved_at", m.resolved_at ? TimeJson(*m.resolved_at, utc) : json::value(nullptr)},
      {"resolved_by",
       v.resolved_by_name.empty() ? json::value(nullptr) : json::value(v.resolved_by_name)},
      {"resolution_note", m.resolution_note},
      {"ticket", v.ticket_number > 0 ? json::value(v.ticket_number) : json::value(nullptr)},
      {"raw_size", m.raw_size},
      {"follows", m.follows_id > 0 ? json::value(m.follows_id) : json::value(nullptr)}};
  if (with_text) {
    o["text"] = m.body_text;
    json::array files;
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
      const auto& a = m.attachments[i];
      files.push_back(json::object{{"index", i},
                                   {"filename", a.filename},
                                   {"content_type", a.content_type},
                                   {"size", a.size},
                                   {"inline", a.is_inline}});
    }
    o["attachments"] = std::move(files);
  }
  return o;
}

json::value InboundListJson(const std::vector<app::InboundView>& list) {
  return ListJson("messages", list,
                  [](const app::InboundView& v) { return InboundJson(v, false); });
}

json::value OutboxJson(const app::OutboxView& v) {
  const app::OutboxRecord& r = v.mail;
  const auto* utc = cal::Utc();
  auto opt = [&](const std::optional<Instant>& t) {
    return t ? TimeJson(*t, utc) : json::value(nullptr);
  };
  return json::object{
      {"id", r.id},
      {"kind", r.kind},
      {"to", r.to_address},
      {"subject", r.subject},
      {"message_id", r.message_id},
      {"created_at", TimeJson(r.created_at, utc)},
      {"attempts", r.attempts},
      {"last_error", r.last_error},
      {"failed_at", opt(r.failed_at)},
      {"sent_at", opt(r.sent_at)},
      {"next_attempt_at", TimeJson(r.next_attempt_at, utc)},
      {"ticket", v.ticket_number > 0 ? json::value(v.ticket_number) : json::value(nullptr)}};
}

json::value OutboxListJson(const std::vector<app::OutboxView>& list) {
  return ListJson("mail", list, [](const app::OutboxView& v) { return OutboxJson(v); });
}

json::value OutboxStateJson(const app::OutboxState& s) {
  return {{"pending", s.counts.pending}, {"failed", s.counts.failed}, {"delivering", s.delivering}};
}

Result<InboundAction> ParseInboundAction(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  InboundAction a;
  SOPORTE_TRY(action, r.Required("action"));
  a.action = std::move(action);
  if (a.action == "assign") {
    SOPORTE_TRY(org, r.Required("org"));
    a.assign.org_slug = std::move(org);
    SOPORTE_TRY(email, r.String("requester_email"));
    if (email) a.assign.requester_email = *email;
    SOPORTE_TRY(name, r.String("create_name"));
    a.assign.create_name = name;
    SOPORTE_TRY(crit, r.Enum<sla::Criticality>("criticality", sla::ParseCriticality,
                                               "normal, important, critical"));
    if (crit) a.assign.criticality = *crit;
    SOPORTE_TRY(type, r.Enum<domain::TicketType>("type", domain::ParseType, "incident, request"));
    if (type) a.assign.type = *type;
    SOPORTE_TRY(subject, r.String("subject"));
    a.assign.subject = subject;
  } else if (a.action == "attach") {
    SOPORTE_TRY(ticket, r.Int("ticket", true));
    if (*ticket <= 0) return Fail(ErrorCode::kInvalidArgument, "ticket must be a ticket number");
    a.ticket = *ticket;
  } else if (a.action == "spam" || a.action == "discard") {
    SOPORTE_TRY(reason, r.Required("reason"));
    a.reason = std::move(reason);
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "action must be one of assign, attach, spam, discard (got '" + a.action + "')");
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return a;
}

}  // namespace soporte::transport::api::codec
