#include "transport/api/codec/oncall_codec.hpp"

#include <exception>

#include <date/tz.h>

#include "domain/calendar/calendar_definition.hpp"
#include "domain/calendar/weekly_hours.hpp"
#include "domain/calendar/zones.hpp"
#include "domain/sla/criticality.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api::codec {
namespace {

namespace oc = domain::oncall;
namespace cal = domain::calendar;

constexpr Seconds kDay{86400};
constexpr Seconds kWeek{7 * 86400};

Error Bad(std::string m) { return Error{ErrorCode::kInvalidArgument, std::move(m)}; }

Result<unsigned> ParseDay(const json::value* v, const std::string& field) {
  if (v == nullptr || v->is_null()) return tl::make_unexpected(Bad(field + " is required"));
  if (v->is_string()) {
    for (unsigned d = 0; d < 7; ++d) {
      if (cal::WeekdayKey(d) == std::string_view(v->as_string())) return d;
    }
  }
  return tl::make_unexpected(Bad(field + " must be a weekday (monday … sunday)"));
}

Result<Seconds> ParseClock(const json::value* v, const std::string& field) {
  if (v == nullptr || v->is_null()) return tl::make_unexpected(Bad(field + " is required"));
  if (!v->is_string()) return tl::make_unexpected(Bad(field + " must be a time \"HH:MM\""));
  const std::string_view t = v->as_string();
  auto digit = [&](std::size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return tl::make_unexpected(
        Bad(field + " must be a time \"HH:MM\" (got '" + std::string(t) + "')"));
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 23 || m > 59) {
    return tl::make_unexpected(Bad(field + ": '" + std::string(t) + "' is not a time of day"));
  }
  return Seconds{h * 3600 + m * 60};
}

Result<UserId> ParseUser(const json::value* v, const std::string& field, bool required) {
  if (v == nullptr || v->is_null()) {
    if (required) return tl::make_unexpected(Bad(field + " is required"));
    return UserId{};
  }
  if (v->is_int64() && v->as_int64() > 0) return UserId{v->as_int64()};
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return UserId{static_cast<std::int64_t>(v->as_uint64())};
  }
  return tl::make_unexpected(Bad(field + " must be a user id (a positive integer)"));
}

Status OnlyKeys(const json::object& o, std::initializer_list<std::string_view> keys,
                const std::string& field) {
  for (const auto& kv : o) {
    bool known = false;
    for (auto k : keys) known = known || k == std::string_view(kv.key());
    if (!known) {
      return tl::make_unexpected(Bad(field + ": unknown field '" + std::string(kv.key()) + "'"));
    }
  }
  return Ok();
}

Result<oc::RotaShift> ParseShift(const json::value& v, const std::string& field) {
  if (!v.is_object()) return tl::make_unexpected(Bad(field + " must be an object"));
  const auto& o = v.as_object();
  SOPORTE_TRY_STATUS(
      OnlyKeys(o, {"day", "start", "end", "end_day", "primary", "secondary"}, field));
  oc::RotaShift s;
  SOPORTE_TRY(day, ParseDay(o.if_contains("day"), field + ".day"));
  SOPORTE_TRY(start, ParseClock(o.if_contains("start"), field + ".start"));
  SOPORTE_TRY(end, ParseClock(o.if_contains("end"), field + ".end"));
  s.start_day = day;
  s.start = start;
  const json::value* end_day = o.if_contains("end_day");
  if (end_day == nullptr || end_day->is_null()) {
    s.length = end > start ? end - start : end + kDay - start;
  } else {
    SOPORTE_TRY(ed, ParseDay(end_day, field + ".end_day"));
    s.length = kDay * static_cast<int>((ed + 7 - day) % 7) + end - start;
    if (s.length <= Seconds{0}) s.length += kWeek;
  }
  SOPORTE_TRY(primary, ParseUser(o.if_contains("primary"), field + ".primary", true));
  SOPORTE_TRY(secondary, ParseUser(o.if_contains("secondary"), field + ".secondary", false));
  s.primary = primary;
  s.secondary = secondary;
  return s;
}

Result<Instant> ParseInstant(const json::value* v, const std::string& field,
                             const date::time_zone* zone) {
  if (v == nullptr || v->is_null()) return tl::make_unexpected(Bad(field + " is required"));
  if (!v->is_string()) return tl::make_unexpected(Bad(field + " must be an ISO 8601 date-time"));
  auto t = text::ParseIso8601(v->as_string(), zone);
  if (!t) {
    return tl::make_unexpected(
        Bad(field + " must be an ISO 8601 date-time (got '" + std::string(v->as_string()) + "')"));
  }
  return *t;
}

Result<oc::RotaOverride> ParseOverride(const json::value& v, const std::string& field,
                                       const date::time_zone* zone) {
  if (!v.is_object()) return tl::make_unexpected(Bad(field + " must be an object"));
  const auto& o = v.as_object();
  SOPORTE_TRY_STATUS(OnlyKeys(o, {"from", "until", "level", "user", "note"}, field));
  oc::RotaOverride x;
  SOPORTE_TRY(from, ParseInstant(o.if_contains("from"), field + ".from", zone));
  SOPORTE_TRY(until, ParseInstant(o.if_contains("until"), field + ".until", zone));
  x.from = from;
  x.until = until;
  const json::value* level = o.if_contains("level");
  if (level == nullptr || level->is_null() ||
      (level->is_string() && level->as_string() == "primary")) {
    x.level = oc::kPrimaryLevel;
  } else if (level->is_string() && level->as_string() == "secondary") {
    x.level = oc::kSecondaryLevel;
  } else {
    return tl::make_unexpected(Bad(field + ".level must be \"primary\" or \"secondary\""));
  }
  SOPORTE_TRY(user, ParseUser(o.if_contains("user"), field + ".user", true));
  x.user = user;
  if (const json::value* note = o.if_contains("note"); note != nullptr && !note->is_null()) {
    if (!note->is_string()) return tl::make_unexpected(Bad(field + ".note must be a string"));
    x.note = std::string(note->as_string());
  }
  return x;
}

const char* LevelName(int level) {
  return level == oc::kPrimaryLevel     ? "primary"
         : level == oc::kSecondaryLevel ? "secondary"
                                        : "supervisors";
}

json::value PersonJson(UserId id, const std::vector<domain::User>& people) {
  if (!id.valid()) return nullptr;
  for (const auto& u : people) {
    if (u.id == id) return json::object{{"id", u.id.value()}, {"name", u.name}, {"email", u.email}};
  }
  return json::object{{"id", id.value()}, {"name", ""}, {"email", ""}};
}

json::value PersonJson(const std::optional<domain::User>& u) {
  if (!u) return nullptr;
  return json::object{{"id", u->id.value()}, {"name", u->name}, {"email", u->email}};
}

}  // namespace

json::value RotaJson(const oc::Rota& r) {
  const date::time_zone* zone = cal::ZoneOrUtc(r.zone);
  json::array shifts;
  for (const auto& s : r.shifts) {
    const Seconds end_abs = kDay * static_cast<int>(s.start_day) + s.start + s.length;
    const unsigned end_day = static_cast<unsigned>((end_abs / kDay) % 7);
    shifts.push_back(
        json::object{{"day", cal::WeekdayKey(s.start_day)},
                     {"start", cal::ClockText(s.start)},
                     {"end_day", cal::WeekdayKey(end_day)},
                     {"end", cal::ClockText(end_abs % kDay)},
                     {"primary", s.primary.value()},
                     {"secondary", s.secondary.valid() ? json::value(s.secondary.value())
                                                       : json::value(nullptr)}});
  }
  json::array overrides;
  for (const auto& o : r.overrides) {
    overrides.push_back(json::object{{"from", TimeJson(o.from, zone)},
                                     {"until", TimeJson(o.until, zone)},
                                     {"level", LevelName(o.level)},
                                     {"user", o.user.value()},
                                     {"note", o.note}});
  }
  return json::object{{"id", r.id},
                      {"version", r.version},
                      {"name", r.name},
                      {"zone", r.zone},
                      {"shifts", std::move(shifts)},
                      {"overrides", std::move(overrides)},
                      {"created_at", TimeJson(r.created_at, cal::Utc())},
                      {"updated_at", TimeJson(r.updated_at, cal::Utc())}};
}

json::value RotaListJson(const std::vector<oc::Rota>& list) {
  return ListJson("rotas", list, [](const oc::Rota& r) { return RotaJson(r); });
}

Result<oc::Rota> ParseRotaInput(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  oc::Rota rota;
  SOPORTE_TRY(name, r.String("name", true));
  rota.name = std::move(*name);
  SOPORTE_TRY(zone, r.String("zone"));
  if (zone) rota.zone = std::move(*zone);
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(rota.zone);
  } catch (const std::exception&) {
    return tl::make_unexpected(Bad("zone: '" + rota.zone + "' is not a known IANA time zone"));
  }
  SOPORTE_TRY(version, r.Int("version"));
  rota.version = version.value_or(0);
  const json::value* shifts = r.Raw("shifts");
  if (shifts != nullptr && !shifts->is_null()) {
    if (!shifts->is_array()) return tl::make_unexpected(Bad("shifts must be an array"));
    const auto& a = shifts->as_array();
    if (a.size() > 100) return tl::make_unexpected(Bad("shifts: more than 100"));
    for (std::size_t i = 0; i < a.size(); ++i) {
      SOPORTE_TRY(s, ParseShift(a[i], "shifts[" + std::to_string(i) + "]"));
      rota.shifts.push_back(s);
    }
  }
  const json::value* overrides = r.Raw("overrides");
  if (overrides != nullptr && !overrides->is_null()) {
    if (!overrides->is_array()) return tl::make_unexpected(Bad("overrides must be an array"));
    const auto& a = overrides->as_array();
    if (a.size() > 500) return tl::make_unexpected(Bad("overrides: more than 500"));
    for (std::size_t i = 0; i < a.size(); ++i) {
      SOPORTE_TRY(o, ParseOverride(a[i], "overrides[" + std::to_string(i) + "]", tz));
      rota.overrides.push_back(std::move(o));
    }
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return rota;
}

json::value OnCallAnswerJson(const app::OnCallAnswer& a) {
  json::array rotas;
  for (const auto& x : a.rotas) {
    const date::time_zone* zone = cal::ZoneOrUtc(x.rota.zone);
    rotas.push_back(json::object{
        {"rota", json::object{{"id", x.rota.id}, {"name", x.rota.name}, {"zone", x.rota.zone}}},
        {"primary", PersonJson(x.primary)},
        {"secondary", PersonJson(x.secondary)},
        {"from", TimeJson(x.on_call.from, zone)},
        {"until", TimeJson(x.on_call.until, zone)},
        {"overridden", x.on_call.overridden}});
  }
  json::array sups;
  for (const auto& u : a.supervisors) sups.push_back(PersonJson(u));
  return json::object{{"at", TimeJson(a.at, cal::ZoneOrUtc(cal::kDefaultZone))},
                      {"staffed", a.staffed},
                      {"rotas", std::move(rotas)},
                      {"supervisors", std::move(sups)}};
}

json::value RotaScheduleJson(const app::RotaSchedule& s) {
  const date::time_zone* zone = cal::ZoneOrUtc(s.rota.zone);
  json::array stretches;
  for (const auto& c : s.stretches) {
    stretches.push_back(json::object{{"from", TimeJson(c.from, zone)},
                                     {"until", TimeJson(c.until, zone)},
                                     {"primary", PersonJson(c.primary, s.people)},
                                     {"secondary", PersonJson(c.secondary, s.people)},
                                     {"overridden", c.overridden}});
  }
  return json::object{
      {"rota", json::object{{"id", s.rota.id}, {"name", s.rota.name}, {"zone", s.rota.zone}}},
      {"stretches", std::move(stretches)}};
}

json::value PageListJson(const std::vector<app::PageView>& pages) {
  const date::time_zone* zone = cal::ZoneOrUtc(cal::kDefaultZone);
  return ListJson("pages", pages, [zone](const app::PageView& v) {
    json::array paged;
    for (const auto& n : v.paged) paged.push_back(json::value(n));
    return json::object{{"id", v.page.id},
                        {"ticket", json::object{{"number", v.number},
                                                {"subject", v.subject},
                                                {"criticality", domain::sla::Name(v.criticality)}}},
                        {"reason", v.page.reason},
                        {"level", LevelName(v.page.level)},
                        {"created_at", TimeJson(v.page.created_at, zone)},
                        {"escalate_at", v.page.escalate_at ? TimeJson(*v.page.escalate_at, zone)
                                                           : json::value(nullptr)},
                        {"paged", std::move(paged)},
                        {"pending", v.pending},
                        {"last_error", v.last_error}};
  });
}

json::value PageLinkJson(const app::PageLinkView& v) {
  return json::object{{"number", v.number},
                      {"subject", v.subject},
                      {"criticality", domain::sla::Name(v.criticality)},
                      {"acknowledged", v.acknowledged}};
}

json::value StaffedCalendarJson(const CalendarId& id) {
  return json::object{{"calendar", id.valid() ? json::value(id.value()) : json::value(nullptr)}};
}

Result<CalendarId> ParseStaffedCalendar(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(id, r.Int("calendar"));
  SOPORTE_TRY_STATUS(r.Finish());
  if (id && *id <= 0) return tl::make_unexpected(Bad("calendar must be a calendar id or null"));
  return CalendarId{id.value_or(0)};
}

Result<std::string> ParsePageToken(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(token, r.String("token", true));
  SOPORTE_TRY_STATUS(r.Finish());
  if (token->empty() || token->size() > 200) return tl::make_unexpected(Bad("token is not valid"));
  return std::move(*token);
}

std::string PageMessageText(const app::PageMessage& m) {
  const date::time_zone* utc = cal::Utc();
  json::object o{
      {"page_id", m.page_id},
      {"delivery_id", m.delivery_id},
      {"ticket",
       json::object{{"number", m.number}, {"subject", m.subject}, {"criticality", m.criticality}}},
      {"reason", m.reason},
      {"level", LevelName(m.level)},
      {"attempt", m.attempt},
      {"to", json::object{{"name", m.to_name}, {"email", m.to_email}, {"lang", m.lang}}},
      {"ack_url", m.ack_url},
      {"ack_expires_at", TimeJson(m.ack_expires_at, utc)},
      {"paged_at", TimeJson(m.paged_at, utc)}};
  return Serialize(o);
}

}  // namespace soporte::transport::api::codec
