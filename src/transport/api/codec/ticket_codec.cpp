#include "transport/api/codec/ticket_codec.hpp"

#include <cmath>

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api::codec {
namespace {

namespace sla = domain::sla;
namespace cal = domain::calendar;
using cal::ZoneOrUtc;

json::value PersonJson(const app::PersonRef& p, json::storage_ptr sp = {}) {
  return json::object({{"id", p.id.value()}, {"name", p.name}, {"email", p.email}}, std::move(sp));
}

}  // namespace

json::value TicketJson(const app::TicketView& v, json::storage_ptr sp) {
  const auto* zone = ZoneOrUtc(v.zone);
  const domain::Ticket& t = v.ticket;
  json::array tags(sp);
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  json::object o(sp);
  o.reserve(32);  // every key below: no rehash while filling
  o["number"] = t.number;
  o["org"] = v.org_slug;
  o["org_name"] = v.org_name;
  o["contract"] = t.contract_id.value();
  o["modality"] = sla::Name(v.modality);
  o["zone"] = v.zone;
  o["requester"] = PersonJson(v.requester, sp);
  o["type"] = domain::TypeName(t.type);
  o["criticality"] = sla::Name(t.criticality);
  o["status"] = domain::StatusName(t.status);
  o["channel"] = sla::Name(t.channel);
  if (t.environment == domain::Environment::kNone) {
    o["environment"] = nullptr;
  } else {
    o["environment"] = domain::EnvironmentName(t.environment);
  }
  o["subject"] = t.subject;
  o["description"] = t.description;
  o["assignee"] = v.assignee ? PersonJson(*v.assignee, sp) : json::value(nullptr);
  o["tags"] = std::move(tags);
  o["received_at"] = TimeJson(t.received_at, zone, sp);
  o["clock_start"] = TimeJson(t.clock_start, zone, sp);
  o["response_due"] = TimeJson(t.response_due, zone, sp);
  o["first_response_at"] =
      t.first_response_at ? TimeJson(*t.first_response_at, zone, sp) : json::value(nullptr);
  o["breached"] = v.breached;
  // Share of the response target used, to 4 decimals (0.25 = a quarter); whole values as integers
  // so clients never see "0E0".
  const double share = std::round(v.response_share * 10000.0) / 10000.0;
  if (share == std::floor(share)) {
    o["response_used"] = static_cast<std::int64_t>(share);
  } else {
    o["response_used"] = share;
  }
  o["created_at"] = TimeJson(t.created_at, zone, sp);
  o["updated_at"] = TimeJson(t.updated_at, zone, sp);
  if (v.has_checklist) {
    json::array checklist(sp);
    for (const auto& c : v.checklist) {
      checklist.push_back(
          json::object({{"item", domain::IntakeItemName(c.item)}, {"present", c.present}}, sp));
    }
    o["checklist"] = std::move(checklist);
    json::object intake(sp);
    for (const auto& [item, text] : v.intake) intake[item] = text;
    o["intake"] = std::move(intake);
  }
  if (v.resolution) {
    // The resolution clock: paused while waiting on the customer; due only with a target.
    const domain::ResolutionClock& r = *v.resolution;
    json::object res(sp);
    res["state"] = domain::ResolutionClockStateName(r.state);
    res["elapsed_seconds"] = static_cast<std::int64_t>(r.elapsed.count());
    res["target_seconds"] =
        r.target ? json::value(static_cast<std::int64_t>(r.target->count())) : json::value(nullptr);
    res["due"] = r.due ? TimeJson(*r.due, zone, sp) : json::value(nullptr);
    res["breached"] = r.breached;
    o["resolution"] = std::move(res);
  }
  o["version"] = t.version;
  return o;
}

json::value TicketPageJson(const app::TicketListPage& page, json::storage_ptr sp) {
  json::array items(sp);
  items.reserve(page.tickets.size());
  for (std::size_t i = 0; i < page.tickets.size(); ++i) {
    json::value item = TicketJson(page.tickets[i], sp);
    if (page.searched && i < page.snippets.size()) {
      item.as_object()["snippet"] = SnippetJson(page.snippets[i], sp);
    }
    items.push_back(std::move(item));
  }
  json::object o({{"tickets", std::move(items)}}, sp);
  if (page.searched) {
    o["next_cursor"] =
        page.next_offset ? json::value(RankCursorText(*page.next_offset)) : json::value(nullptr);
  } else {
    o["next_cursor"] = page.next ? json::value(CursorText(*page.next)) : json::value(nullptr);
  }
  return json::value(std::move(o));
}

json::value SnippetJson(const std::vector<app::SnippetPart>& parts, json::storage_ptr sp) {
  json::array out(sp);
  out.reserve(parts.size());
  for (const auto& p : parts) {
    out.push_back(json::object({{"text", p.text}, {"hit", p.hit}}, sp));
  }
  return json::value(std::move(out));
}

json::value ArticleJson(const app::ArticleView& v) {
  const auto* zone = ZoneOrUtc(v.zone);
  json::object author = PersonJson(v.author).as_object();
  author["role"] = v.author_role;
  json::object o{{"id", v.article.id.value()},
                 {"author", std::move(author)},
                 {"body", v.article.body},
                 {"internal", v.article.internal},
                 {"channel", sla::Name(v.article.channel)},
                 {"created_at", TimeJson(v.article.created_at, zone)}};
  if (v.article.call) {
    o["call"] = json::object{{"caller", v.article.call->caller},
                             {"duration_minutes", v.article.call->duration_minutes},
                             {"direction", domain::CallDirectionName(v.article.call->direction)}};
  }
  return o;
}

json::value ArticleListJson(const std::vector<app::ArticleView>& list) {
  return ListJson("messages", list, [](const app::ArticleView& a) { return ArticleJson(a); });
}

json::value AttachmentJson(const app::AttachmentView& v) {
  const auto& a = v.attachment;
  return json::object{{"id", a.id.value()},
                      {"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size", a.size},
                      {"sha256", a.sha256},
                      {"url", "/api/v1/attachments/" + std::to_string(a.id.value())},
                      {"created_at", TimeJson(a.created_at, ZoneOrUtc(v.zone))}};
}

json::value AttachmentListJson(const std::vector<app::AttachmentView>& list) {
  return ListJson("attachments", list,
                  [](const app::AttachmentView& a) { return AttachmentJson(a); });
}

json::value HistoryJson(const app::HistoryView& v) {
  const auto* zone = ZoneOrUtc(v.zone);
  json::array events;
  for (std::size_t i = 0; i < v.events.size(); ++i) {
    const auto& e = v.events[i];
    json::value actor = v.actors[i].id.valid() ? PersonJson(v.actors[i]) : json::value(nullptr);
    json::value before(e.before), after(e.after);
    // Instants are stored as epoch seconds; show them like every other time.
    if (e.field == "response_due" || e.field == "first_response" || e.field == "sla_warning" ||
        e.field == "sla_breached") {
      auto fmt = [&](const std::string& s) -> json::value {
        if (s.empty()) return nullptr;
        return TimeJson(Instant{Seconds{std::stoll(s)}}, zone);
      };
      before = fmt(e.before);
      after = fmt(e.after);
    }
    events.push_back(json::object{{"at", TimeJson(e.at, zone)},
                                  {"actor", std::move(actor)},
                                  {"field", e.field},
                                  {"before", std::move(before)},
                                  {"after", std::move(after)}});
  }
  return json::object{{"events", std::move(events)}};
}

json::value TicketChangedJson(const app::TicketChanged& e) {
  return json::object{{"number", e.number}, {"what", e.what}};
}

Result<app::NewTicket> ParseNewTicket(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::NewTicket t;
  SOPORTE_TRY(org, r.String("org"));
  t.org_slug = std::move(org);
  SOPORTE_TRY(contract, r.Int("contract"));
  if (contract) t.contract_id = ContractId{*contract};
  SOPORTE_TRY(requester, r.String("requester"));
  t.requester_email = std::move(requester);
  SOPORTE_TRY(type,
              r.Enum<domain::TicketType>("type", domain::ParseType, "incident, request", true));
  t.type = *type;
  SOPORTE_TRY(crit, r.Enum<sla::Criticality>("criticality", sla::ParseCriticality,
                                             "normal, important, critical", true));
  t.criticality = *crit;
  SOPORTE_TRY(channel,
              r.Enum<sla::Channel>("channel", sla::ParseChannel, "portal, email, phone, chat"));
  t.channel = channel;
  SOPORTE_TRY(
      env, r.Enum<domain::Environment>("environment", domain::ParseEnvironment, "dev, qa, prod"));
  t.environment = env.value_or(domain::Environment::kNone);
  SOPORTE_TRY(subject, r.String("subject", true));
  t.subject = std::move(*subject);
  SOPORTE_TRY(description, r.String("description"));
  t.description = description.value_or("");
  SOPORTE_TRY(tags, r.StringList("tags"));
  if (tags) t.tags = std::move(*tags);
  if (const json::value* intake = r.Raw("intake"); intake && !intake->is_null()) {
    if (!intake->is_object())
      return Fail(ErrorCode::kInvalidArgument, "intake must be an object of texts");
    for (const auto& kv : intake->as_object()) {
      if (!kv.value().is_string()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "intake." + std::string(kv.key()) + " must be a string");
      }
      t.intake[std::string(kv.key())] = std::string(kv.value().as_string());
    }
  }
  SOPORTE_TRY(received, r.String("received_at"));
  if (received) {
    auto at = text::ParseIso8601(*received, ZoneOrUtc(cal::kDefaultZone));
    if (!at) return Fail(ErrorCode::kInvalidArgument, "received_at: " + at.error().message);
    t.received_at = *at;
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return t;
}

Result<app::TicketPatch> ParseTicketPatch(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::TicketPatch p;
  SOPORTE_TRY(status,
              r.Enum<domain::TicketStatus>("status", domain::ParseStatus,
                                           "new, open, waiting_customer, resolved, closed"));
  p.status = status;
  SOPORTE_TRY(crit, r.Enum<sla::Criticality>("criticality", sla::ParseCriticality,
                                             "normal, important, critical"));
  p.criticality = crit;
  if (const json::value* a = r.Raw("assignee")) {
    if (a->is_null()) {
      p.assignee = std::optional<UserId>{};
    } else if (a->is_int64() && a->as_int64() > 0) {
      p.assignee = std::optional<UserId>{UserId{a->as_int64()}};
    } else {
      return Fail(ErrorCode::kInvalidArgument, "assignee must be a user id or null");
    }
  }
  SOPORTE_TRY(tags, r.StringList("tags"));
  p.tags = std::move(tags);
  SOPORTE_TRY(contract, r.Int("contract"));
  if (contract) p.contract_id = ContractId{*contract};
  SOPORTE_TRY_STATUS(r.Finish());
  if (!p.status && !p.criticality && !p.assignee && !p.tags && !p.contract_id) {
    return Fail(ErrorCode::kInvalidArgument,
                "nothing to change: give status, criticality, assignee, tags or contract");
  }
  return p;
}

Result<NewArticle> ParseNewArticle(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(text, r.String("body", true));
  SOPORTE_TRY(internal, r.Bool("internal"));
  SOPORTE_TRY_STATUS(r.Finish());
  return NewArticle{std::move(*text), internal.value_or(false)};
}

Result<app::PhoneCallLog> ParsePhoneCall(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::PhoneCallLog c;
  SOPORTE_TRY(caller, r.String("caller", true));
  c.caller = std::move(*caller);
  SOPORTE_TRY(minutes, r.Int("duration_minutes"));
  c.duration_minutes = minutes.value_or(0);
  SOPORTE_TRY(notes, r.String("notes", true));
  c.notes = std::move(*notes);
  SOPORTE_TRY(internal, r.Bool("internal"));
  c.internal = internal.value_or(false);
  SOPORTE_TRY(direction, r.String("direction"));
  if (direction) {
    auto d = domain::ParseCallDirection(*direction);
    if (!d) {
      return Fail(ErrorCode::kInvalidArgument,
                  "direction must be \"incoming\" or \"outgoing\" (got '" + *direction + "')");
    }
    c.direction = *d;
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return c;
}

}  // namespace soporte::transport::api::codec
