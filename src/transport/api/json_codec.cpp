#include "transport/api/json_codec.hpp"

#include <cmath>
#include <functional>
#include <set>

#include <boost/json.hpp>
#include <date/date.h>
#include <date/tz.h>

#include "domain/calendar/zones.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api {
namespace json = boost::json;
namespace {

namespace sla = domain::sla;

using domain::calendar::ZoneOrUtc;

json::value Time(Instant t, const date::time_zone* zone, json::storage_ptr sp = {}) {
  return json::value(text::FormatIso8601(t, zone), std::move(sp));
}

json::value Person(const app::PersonRef& p, json::storage_ptr sp = {}) {
  return json::object({{"id", p.id.value()}, {"name", p.name}, {"email", p.email}}, std::move(sp));
}

std::string DateText(std::chrono::sys_days d) {
  return date::format("%F", d);
}

// Reads the fields of one JSON object, remembering which were consumed, so Finish() can reject
// any field the endpoint does not know.
class FieldReader {
 public:
  static Result<FieldReader> Parse(std::string_view body) {
    if (body.empty()) return Fail(ErrorCode::kInvalidArgument, "the request body is empty; a JSON object is expected");
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec) return Fail(ErrorCode::kInvalidArgument, "the request body is not valid JSON: " + ec.message());
    if (!v.is_object()) return Fail(ErrorCode::kInvalidArgument, "the request body must be a JSON object");
    return FieldReader(std::move(v.as_object()));
  }

  bool Has(std::string_view key) const { return obj_.contains(key); }

  // A string field. Absent: nullopt (or an error when required). null counts as absent unless
  // `null_ok` is false and the field is required.
  Result<std::optional<std::string>> String(std::string_view key, bool required = false) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
      if (required) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " is required");
      return std::optional<std::string>{};
    }
    if (!it->value().is_string()) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " must be a string");
    return std::optional<std::string>(std::string(it->value().as_string()));
  }

  Result<std::optional<std::int64_t>> Int(std::string_view key, bool required = false) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
      if (required) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " is required");
      return std::optional<std::int64_t>{};
    }
    const json::value& v = it->value();
    if (v.is_int64()) return std::optional<std::int64_t>(v.as_int64());
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return std::optional<std::int64_t>(static_cast<std::int64_t>(v.as_uint64()));
    }
    return Fail(ErrorCode::kInvalidArgument, std::string(key) + " must be an integer");
  }

  Result<std::optional<bool>> Bool(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return std::optional<bool>{};
    if (!it->value().is_bool()) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " must be true or false");
    return std::optional<bool>(it->value().as_bool());
  }

  Result<std::optional<std::vector<std::string>>> StringList(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) return std::optional<std::vector<std::string>>{};
    if (!it->value().is_array()) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " must be an array of strings");
    std::vector<std::string> out;
    for (const auto& e : it->value().as_array()) {
      if (!e.is_string()) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " must be an array of strings");
      out.emplace_back(e.as_string());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }

  // The raw value (for fields with several accepted shapes); nullptr when absent.
  const json::value* Raw(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &it->value();
  }

  // An enumerated string field parsed by `parse`; the error lists the accepted values.
  template <class T>
  Result<std::optional<T>> Enum(std::string_view key, std::optional<T> (*parse)(std::string_view),
                                std::string_view accepted, bool required = false) {
    SOPORTE_TRY(s, String(key, required));
    if (!s) return std::optional<T>{};
    auto v = parse(*s);
    if (!v) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(key) + " must be one of " + std::string(accepted) + " (got '" + *s + "')");
    }
    return std::optional<T>(*v);
  }

  Status Finish() const {
    for (const auto& kv : obj_) {
      if (!used_.contains(std::string(kv.key()))) {
        return Fail(ErrorCode::kInvalidArgument, "unknown field '" + std::string(kv.key()) + "'");
      }
    }
    return Ok();
  }

 private:
  explicit FieldReader(json::object obj) : obj_(std::move(obj)) {}
  json::object obj_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace

std::string Serialize(const json::value& v) { return json::serialize(v); }

Result<std::chrono::sys_days> ParseDate(std::string_view text, std::string_view field) {
  // Exactly four, two and two digits: sscanf's %d alone also took a sign or leading blanks
  // ("-024-02-26" was the year -24, which no date here can be and which prints back as
  // "-0024-02-26", a text this function then rejected).
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || digits(0, 4) < 0 || digits(5, 2) < 0 ||
      digits(8, 2) < 0) {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " must be a date YYYY-MM-DD");
  }
  const int y = digits(0, 4);
  const unsigned m = static_cast<unsigned>(digits(5, 2)), d = static_cast<unsigned>(digits(8, 2));
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return Fail(ErrorCode::kInvalidArgument, std::string(field) + " is not a calendar date");
  return std::chrono::sys_days{date::sys_days{ymd}.time_since_epoch()};
}

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
  o["requester"] = Person(v.requester, sp);
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
  o["assignee"] = v.assignee ? Person(*v.assignee, sp) : json::value(nullptr);
  o["tags"] = std::move(tags);
  o["received_at"] = Time(t.received_at, zone, sp);
  o["clock_start"] = Time(t.clock_start, zone, sp);
  o["response_due"] = Time(t.response_due, zone, sp);
  o["first_response_at"] = t.first_response_at ? Time(*t.first_response_at, zone, sp) : json::value(nullptr);
  o["breached"] = v.breached;
  // Share of the response target used, to 4 decimals (0.25 = a quarter); whole values as integers
  // so clients never see "0E0".
  const double share = std::round(v.response_share * 10000.0) / 10000.0;
  if (share == std::floor(share)) {
    o["response_used"] = static_cast<std::int64_t>(share);
  } else {
    o["response_used"] = share;
  }
  o["created_at"] = Time(t.created_at, zone, sp);
  o["updated_at"] = Time(t.updated_at, zone, sp);
  if (v.has_checklist) {
    json::array checklist(sp);
    for (const auto& c : v.checklist) {
      checklist.push_back(json::object({{"item", domain::IntakeItemName(c.item)}, {"present", c.present}}, sp));
    }
    o["checklist"] = std::move(checklist);
    json::object intake(sp);
    for (const auto& [item, text] : v.intake) intake[item] = text;
    o["intake"] = std::move(intake);
  }
  o["version"] = t.version;
  return o;
}

json::value ArticleJson(const app::ArticleView& v) {
  const auto* zone = ZoneOrUtc(v.zone);
  json::object author = Person(v.author).as_object();
  author["role"] = v.author_role;
  json::object o{{"id", v.article.id.value()},
                 {"author", std::move(author)},
                 {"body", v.article.body},
                 {"internal", v.article.internal},
                 {"channel", sla::Name(v.article.channel)},
                 {"created_at", Time(v.article.created_at, zone)}};
  if (v.article.call) {
    o["call"] = json::object{{"caller", v.article.call->caller},
                             {"duration_minutes", v.article.call->duration_minutes}};
  }
  return o;
}

json::value AttachmentJson(const app::AttachmentView& v) {
  const auto& a = v.attachment;
  return json::object{{"id", a.id.value()},
                      {"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size", a.size},
                      {"sha256", a.sha256},
                      {"url", "/api/v1/attachments/" + std::to_string(a.id.value())},
                      {"created_at", Time(a.created_at, ZoneOrUtc(v.zone))}};
}

json::value HistoryJson(const app::HistoryView& v) {
  const auto* zone = ZoneOrUtc(v.zone);
  json::array events;
  for (std::size_t i = 0; i < v.events.size(); ++i) {
    const auto& e = v.events[i];
    json::value actor = v.actors[i].id.valid() ? Person(v.actors[i]) : json::value(nullptr);
    json::value before(e.before), after(e.after);
    // Instants are stored as epoch seconds; show them like every other time.
    if ((e.field == "response_due" || e.field == "first_response")) {
      auto fmt = [&](const std::string& s) -> json::value {
        if (s.empty()) return nullptr;
        return Time(Instant{Seconds{std::stoll(s)}}, zone);
      };
      before = fmt(e.before);
      after = fmt(e.after);
    }
    events.push_back(json::object{{"at", Time(e.at, zone)},
                                  {"actor", std::move(actor)},
                                  {"field", e.field},
                                  {"before", std::move(before)},
                                  {"after", std::move(after)}});
  }
  return json::object{{"events", std::move(events)}};
}

json::value OrgJson(const domain::Organization& o) {
  return json::object{{"slug", o.slug}, {"name", o.name},
                      {"created_at", Time(o.created_at, ZoneOrUtc(domain::calendar::kDefaultZone))}};
}

json::value ContractJson(const domain::Contract& c) {
  json::array channels;
  for (auto ch : {sla::Channel::kPortal, sla::Channel::kEmail, sla::Channel::kPhone, sla::Channel::kChat}) {
    if (c.channels.Has(ch)) channels.emplace_back(sla::Name(ch));
  }
  auto minutes = [](Seconds s) { return s.count() / 60; };
  return json::object{
      {"id", c.id.value()},
      {"modality", sla::Name(c.modality)},
      {"zone", c.zone},
      {"valid_from", DateText(c.valid_from)},
      {"valid_to", c.valid_to ? json::value(DateText(*c.valid_to)) : json::value(nullptr)},
      {"channels", std::move(channels)},
      {"targets_minutes", json::object{{"normal", minutes(c.targets.normal)},
                                       {"important", minutes(c.targets.important)},
                                       {"critical", minutes(c.targets.critical)}}},
      {"calendar_id", c.calendar_id.valid() ? json::value(c.calendar_id.value()) : json::value(nullptr)}};
}

json::value UserJson(const domain::User& u) {
  return json::object{{"id", u.id.value()},
                      {"email", u.email},
                      {"name", u.name},
                      {"role", domain::RoleName(u.role)},
                      {"active", u.active},
                      {"lang", u.lang},
                      {"org_admin", u.org_admin}};
}

json::value PrincipalJson(const app::Principal& p) {
  return json::object{{"id", p.user_id.value()},
                      {"email", p.email},
                      {"name", p.name},
                      {"role", domain::RoleName(p.role)},
                      {"org_admin", p.org_admin}};
}

Result<Credentials> ParseCredentials(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(email, r.String("email", true));
  SOPORTE_TRY(password, r.String("password", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return Credentials{std::move(*email), std::move(*password)};
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
  SOPORTE_TRY_STATUS(r.Finish());
  return c;
}

Result<ResetRequest> ParseResetRequest(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(email, r.String("email", true));
  SOPORTE_TRY(lang, r.String("lang"));
  SOPORTE_TRY_STATUS(r.Finish());
  std::string l = lang.value_or("");
  if (!l.empty() && l != "es" && l != "en") return Fail(ErrorCode::kInvalidArgument, "lang must be es or en");
  return ResetRequest{std::move(*email), std::move(l)};
}

Result<ResetConfirm> ParseResetConfirm(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(token, r.String("token", true));
  SOPORTE_TRY(password, r.String("password", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return ResetConfirm{std::move(*token), std::move(*password)};
}

Result<app::ContactSettings> ParseContactSettings(std::string_view body, app::ContactSettings current) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  for (auto [key, field] : {std::pair{"support_email", &current.support_email}, std::pair{"phone", &current.phone},
                            std::pair{"portal_url", &current.portal_url}, std::pair{"hours_es", &current.hours_es},
                            std::pair{"hours_en", &current.hours_en}}) {
    SOPORTE_TRY(v, r.String(key));
    if (v) *field = std::move(*v);
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return current;
}

json::value ContactSettingsJson(const app::ContactSettings& c) {
  return json::object{{"support_email", c.support_email}, {"phone", c.phone}, {"portal_url", c.portal_url},
                      {"hours_es", c.hours_es}, {"hours_en", c.hours_en}};
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
  SOPORTE_TRY(type, r.Enum<domain::TicketType>("type", domain::ParseType, "incident, request", true));
  t.type = *type;
  SOPORTE_TRY(crit, r.Enum<sla::Criticality>("criticality", sla::ParseCriticality,
                                             "normal, important, critical", true));
  t.criticality = *crit;
  SOPORTE_TRY(channel, r.Enum<sla::Channel>("channel", sla::ParseChannel, "portal, email, phone, chat"));
  t.channel = channel;
  SOPORTE_TRY(env, r.Enum<domain::Environment>("environment", domain::ParseEnvironment, "dev, qa, prod"));
  t.environment = env.value_or(domain::Environment::kNone);
  SOPORTE_TRY(subject, r.String("subject", true));
  t.subject = std::move(*subject);
  SOPORTE_TRY(description, r.String("description"));
  t.description = description.value_or("");
  SOPORTE_TRY(tags, r.StringList("tags"));
  if (tags) t.tags = std::move(*tags);
  if (const json::value* intake = r.Raw("intake"); intake && !intake->is_null()) {
    if (!intake->is_object()) return Fail(ErrorCode::kInvalidArgument, "intake must be an object of texts");
    for (const auto& kv : intake->as_object()) {
      if (!kv.value().is_string()) {
        return Fail(ErrorCode::kInvalidArgument, "intake." + std::string(kv.key()) + " must be a string");
      }
      t.intake[std::string(kv.key())] = std::string(kv.value().as_string());
    }
  }
  SOPORTE_TRY(received, r.String("received_at"));
  if (received) {
    auto at = text::ParseIso8601(*received, ZoneOrUtc(domain::calendar::kDefaultZone));
    if (!at) return Fail(ErrorCode::kInvalidArgument, "received_at: " + at.error().message);
    t.received_at = *at;
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return t;
}

Result<app::TicketPatch> ParseTicketPatch(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::TicketPatch p;
  SOPORTE_TRY(status, r.Enum<domain::TicketStatus>(
                          "status", domain::ParseStatus, "new, open, waiting_customer, resolved, closed"));
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

Result<NewOrg> ParseNewOrg(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(slug, r.String("slug", true));
  SOPORTE_TRY(name, r.String("name", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return NewOrg{std::move(*slug), std::move(*name)};
}

Result<app::NewContract> ParseNewContract(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::NewContract c;
  SOPORTE_TRY(modality, r.Enum<sla::Modality>("modality", sla::ParseModality, "24x7, 8x5", true));
  c.modality = *modality;
  SOPORTE_TRY(zone, r.String("zone"));
  if (zone) c.zone = *zone;
  SOPORTE_TRY(from, r.String("valid_from"));
  if (from) {
    SOPORTE_TRY(d, ParseDate(*from, "valid_from"));
    c.valid_from = d;
  }
  SOPORTE_TRY(to, r.String("valid_to"));
  if (to) {
    SOPORTE_TRY(d, ParseDate(*to, "valid_to"));
    c.valid_to = d;
  }
  SOPORTE_TRY(channels, r.StringList("channels"));
  if (channels) {
    domain::ChannelSet set;
    for (const auto& name : *channels) {
      auto ch = sla::ParseChannel(name);
      if (!ch) {
        return Fail(ErrorCode::kInvalidArgument,
                    "channels: '" + name + "' is not one of portal, email, phone, chat");
      }
      set.Add(*ch);
    }
    c.channels = set;
  }
  if (const json::value* t = r.Raw("targets_minutes"); t && !t->is_null()) {
    if (!t->is_object()) return Fail(ErrorCode::kInvalidArgument, "targets_minutes must be an object");
    sla::SlaTargets targets;
    for (const auto& kv : t->as_object()) {
      auto crit = sla::ParseCriticality(kv.key());
      if (!crit) {
        return Fail(ErrorCode::kInvalidArgument,
                    "targets_minutes: unknown criticality '" + std::string(kv.key()) + "'");
      }
      if (!kv.value().is_int64() || kv.value().as_int64() <= 0 || kv.value().as_int64() > 525600) {
        return Fail(ErrorCode::kInvalidArgument,
                    "targets_minutes." + std::string(kv.key()) + " must be a whole number of minutes from 1 to 525600");
      }
      const Seconds s{kv.value().as_int64() * 60};
      switch (*crit) {
        case sla::Criticality::kNormal: targets.normal = s; break;
        case sla::Criticality::kImportant: targets.important = s; break;
        case sla::Criticality::kCritical: targets.critical = s; break;
      }
    }
    c.targets = targets;
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return c;
}

Result<app::NewUser> ParseNewUser(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::NewUser u;
  SOPORTE_TRY(email, r.String("email", true));
  u.email = std::move(*email);
  SOPORTE_TRY(name, r.String("name", true));
  u.name = std::move(*name);
  SOPORTE_TRY(role, r.Enum<domain::Role>("role", domain::ParseRole,
                                         "customer, agent, supervisor, admin", true));
  u.role = *role;
  SOPORTE_TRY(org, r.String("org"));
  u.org_slug = std::move(org);
  SOPORTE_TRY(password, r.String("password"));
  u.password = password.value_or("");
  SOPORTE_TRY(lang, r.String("lang"));
  u.lang = lang.value_or("");
  SOPORTE_TRY(org_admin, r.Bool("org_admin"));
  u.org_admin = org_admin.value_or(false);
  SOPORTE_TRY_STATUS(r.Finish());
  return u;
}

// ---- email desk ----------------------------------------------------------------------------

json::value InboundJson(const app::InboundView& v, bool with_text) {
  const auto* utc = domain::calendar::Utc();
  const app::InboundUnassignedRecord& m = v.message;
  json::object o{{"id", m.id},
                 {"received_at", Time(m.received_at, utc)},
                 {"from", m.from_address},
                 {"subject", m.subject},
                 {"message_id", m.message_id},
                 {"reason", m.reason},
                 {"language", m.language},
                 {"status", m.status},
                 {"resolved_at", m.resolved_at ? Time(*m.resolved_at, utc) : json::value(nullptr)},
                 {"resolved_by", v.resolved_by_name.empty() ? json::value(nullptr) : json::value(v.resolved_by_name)},
                 {"resolution_note", m.resolution_note},
                 {"ticket", v.ticket_number > 0 ? json::value(v.ticket_number) : json::value(nullptr)},
                 {"raw_size", m.raw_size}};
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

json::value OutboxJson(const app::OutboxView& v) {
  const app::OutboxRecord& r = v.mail;
  const auto* utc = domain::calendar::Utc();
  auto opt = [&](const std::optional<Instant>& t) { return t ? Time(*t, utc) : json::value(nullptr); };
  return json::object{{"id", r.id},
                      {"kind", r.kind},
                      {"to", r.to_address},
                      {"subject", r.subject},
                      {"message_id", r.message_id},
                      {"created_at", Time(r.created_at, utc)},
                      {"attempts", r.attempts},
                      {"last_error", r.last_error},
                      {"failed_at", opt(r.failed_at)},
                      {"sent_at", opt(r.sent_at)},
                      {"next_attempt_at", Time(r.next_attempt_at, utc)},
                      {"ticket", v.ticket_number > 0 ? json::value(v.ticket_number) : json::value(nullptr)}};
}

Result<InboundAction> ParseInboundAction(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  InboundAction a;
  SOPORTE_TRY(action, r.String("action", true));
  a.action = *action;
  if (a.action == "assign") {
    SOPORTE_TRY(org, r.String("org", true));
    a.assign.org_slug = *org;
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
    SOPORTE_TRY(reason, r.String("reason", true));
    a.reason = *reason;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "action must be one of assign, attach, spam, discard (got '" + a.action + "')");
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return a;
}

Result<app::UserChange> ParseUserChange(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::UserChange c;
  SOPORTE_TRY(name, r.String("name"));
  if (name) {
    // Surrounding blanks are typing slips; an all-blank name is refused by the use case.
    const auto b = name->find_first_not_of(" \t\r\n");
    const auto e = name->find_last_not_of(" \t\r\n");
    c.name = b == std::string::npos ? std::string() : name->substr(b, e - b + 1);
  }
  SOPORTE_TRY(lang, r.String("lang"));
  c.lang = std::move(lang);
  SOPORTE_TRY(org_admin, r.Bool("org_admin"));
  c.org_admin = org_admin;
  SOPORTE_TRY(role, r.Enum<domain::Role>("role", domain::ParseRole, "customer, agent, supervisor, admin"));
  c.role = role;
  SOPORTE_TRY(active, r.Bool("active"));
  c.active = active;
  SOPORTE_TRY_STATUS(r.Finish());
  return c;
}

json::value UserEventJson(const app::UserEventView& v) {
  const auto* utc = domain::calendar::Utc();
  const app::UserEventRecord& e = v.event;
  json::value by = nullptr;
  if (e.actor_id.valid()) by = json::object{{"id", e.actor_id.value()}, {"name", v.actor_name}};
  return json::object{{"id", e.id},          {"at", Time(e.at, utc)}, {"by", std::move(by)},
                      {"field", e.field},    {"before", e.before},    {"after", e.after}};
}

Result<domain::IntakeRules> ParseIntakeRules(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "intake rules are not valid JSON: " + ec.message());
  if (!v.is_array()) return Fail(ErrorCode::kInvalidArgument, "intake rules must be a JSON array of rules");
  std::vector<domain::IntakeRule> rules;
  int n = 0;
  for (const auto& item : v.as_array()) {
    ++n;
    const std::string where = "intake rule " + std::to_string(n) + ": ";
    if (!item.is_object()) return Fail(ErrorCode::kInvalidArgument, where + "must be an object");
    domain::IntakeRule rule;
    bool has_items = false;
    for (const auto& kv : item.as_object()) {
      const std::string key(kv.key());
      if (key == "type" && kv.value().is_string()) {
        auto t = domain::ParseType(kv.value().as_string());
        if (!t) return Fail(ErrorCode::kInvalidArgument, where + "type must be incident or request");
        rule.type = *t;
      } else if (key == "criticality" && kv.value().is_string()) {
        auto c = sla::ParseCriticality(kv.value().as_string());
        if (!c) return Fail(ErrorCode::kInvalidArgument, where + "criticality must be normal, important or critical");
        rule.criticality = *c;
      } else if (key == "items" && kv.value().is_array()) {
        has_items = true;
        for (const auto& i : kv.value().as_array()) {
          auto parsed = i.is_string() ? domain::ParseIntakeItem(i.as_string()) : std::nullopt;
          if (!parsed) {
            return Fail(ErrorCode::kInvalidArgument,
                        where + "items must name environment, steps, screenshots, logs, modifications or versions");
          }
          rule.items.push_back(*parsed);
        }
      } else {
        return Fail(ErrorCode::kInvalidArgument, where + "unknown or mistyped field '" + key + "'");
      }
    }
    if (!has_items) return Fail(ErrorCode::kInvalidArgument, where + "items is required");
    rules.push_back(std::move(rule));
  }
  return domain::IntakeRules::Create(std::move(rules));
}

// ---- calendars ----------------------------------------------------------------------------

namespace {

namespace cal = domain::calendar;

// "HH:MM" (00:00–24:00) as seconds since midnight; kInvalidArgument naming `field` otherwise.
Result<Seconds> ParseClock(const json::value& v, const std::string& field) {
  if (!v.is_string()) return Fail(ErrorCode::kInvalidArgument, field + " must be a time \"HH:MM\"");
  const std::string_view t = v.as_string();
  auto digit = [&](std::size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return Fail(ErrorCode::kInvalidArgument, field + " must be a time \"HH:MM\" (got '" + std::string(t) + "')");
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    return Fail(ErrorCode::kInvalidArgument, field + ": '" + std::string(t) + "' is not a time of day (00:00–24:00)");
  }
  return Seconds{h * 3600 + m * 60};
}

Result<cal::WeekPattern> ParseHours(const json::value& v) {
  if (!v.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "hours must be an object with one array of intervals per weekday (monday … sunday)");
  }
  cal::WeekPattern week;
  for (const auto& kv : v.as_object()) {
    unsigned index = 7;
    for (unsigned d = 0; d < 7; ++d) {
      if (cal::WeekdayKey(d) == std::string_view(kv.key())) index = d;
    }
    const std::string field = "hours." + std::string(kv.key());
    if (index == 7) {
      return Fail(ErrorCode::kInvalidArgument, "hours: '" + std::string(kv.key()) + "' is not a weekday (monday … sunday)");
    }
    if (kv.value().is_null()) continue;
    if (!kv.value().is_array()) return Fail(ErrorCode::kInvalidArgument, field + " must be an array of {\"from\",\"to\"}");
    const auto& arr = kv.value().as_array();
    if (arr.size() > 24) return Fail(ErrorCode::kInvalidArgument, field + " may have at most 24 intervals");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string item = field + "[" + std::to_string(i) + "]";
      if (!arr[i].is_object()) return Fail(ErrorCode::kInvalidArgument, item + " must be an object {\"from\",\"to\"}");
      const auto& o = arr[i].as_object();
      for (const auto& f : o) {
        if (f.key() != "from" && f.key() != "to") {
          return Fail(ErrorCode::kInvalidArgument, item + ": unknown field '" + std::string(f.key()) + "'");
        }
      }
      const json::value* from = o.if_contains("from");
      const json::value* to = o.if_contains("to");
      if (!from || !to) return Fail(ErrorCode::kInvalidArgument, item + " needs both from and to");
      SOPORTE_TRY(b, ParseClock(*from, item + ".from"));
      SOPORTE_TRY(e, ParseClock(*to, item + ".to"));
      week[index].push_back(cal::DayInterval{b, e});
    }
  }
  return week;
}

}  // namespace

json::value CalendarJson(const cal::CalendarDefinition& c) {
  const date::time_zone* utc = domain::calendar::Utc();
  json::object hours;
  for (unsigned d = 0; d < 7; ++d) {
    json::array day;
    for (const cal::DayInterval& iv : c.hours[d]) {
      day.push_back(json::object{{"from", cal::ClockText(iv.begin)}, {"to", cal::ClockText(iv.end)}});
    }
    hours[cal::WeekdayKey(d)] = std::move(day);
  }
  json::array closures;
  for (const cal::ClosureEntry& e : c.closures) {
    closures.push_back(json::object{
        {"date", DateText(e.date)},
        {"reason", e.reason},
        {"created_by", e.created_by.valid() ? json::value(e.created_by.value()) : json::value(nullptr)},
        {"created_at", Time(e.created_at, utc)}});
  }
  return json::object{{"id", c.id.value()},
                      {"version", c.version},
                      {"name", c.name},
                      {"zone", c.zone},
                      {"colombian_holidays", c.colombian_holidays},
                      {"hours", std::move(hours)},
                      {"closures", std::move(closures)},
                      {"created_at", Time(c.created_at, utc)},
                      {"updated_at", Time(c.updated_at, utc)}};
}

Result<app::CalendarInput> ParseCalendarInput(std::string_view body, bool allow_version) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::CalendarInput in;
  SOPORTE_TRY(name, r.String("name", true));
  in.name = std::move(*name);
  SOPORTE_TRY(zone, r.String("zone"));
  if (zone) in.zone = std::move(*zone);
  SOPORTE_TRY(holidays, r.Bool("colombian_holidays"));
  in.colombian_holidays = holidays.value_or(true);
  const json::value* hours = r.Raw("hours");
  if (hours == nullptr || hours->is_null()) return Fail(ErrorCode::kInvalidArgument, "hours is required");
  SOPORTE_TRY(week, ParseHours(*hours));
  in.hours = std::move(week);
  if (allow_version) {
    SOPORTE_TRY(version, r.Int("version"));
    in.expected_version = version;
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return in;
}

Result<NewClosure> ParseNewClosure(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(day, r.String("date", true));
  SOPORTE_TRY(d, ParseDate(*day, "date"));
  SOPORTE_TRY(reason, r.String("reason", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return NewClosure{d, std::move(*reason)};
}

Result<std::optional<CalendarId>> ParseContractPatch(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  if (!r.Has("calendar_id")) return Fail(ErrorCode::kInvalidArgument, "calendar_id is required (an id, or null for the built-in calendar)");
  SOPORTE_TRY(id, r.Int("calendar_id"));
  SOPORTE_TRY_STATUS(r.Finish());
  if (!id) return std::optional<CalendarId>{};
  if (*id <= 0) return Fail(ErrorCode::kInvalidArgument, "calendar_id must be a positive integer or null");
  return std::optional<CalendarId>(CalendarId{*id});
}

}  // namespace soporte::transport::api
