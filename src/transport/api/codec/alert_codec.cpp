#include "transport/api/codec/alert_codec.hpp"

#include <cstdio>
#include <string>

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {
namespace {

namespace cal = domain::calendar;
using domain::AlertChannels;

std::string Clock(int minutes) {
  char buf[16];  // room for any int: "-35791394:-59" and the NUL (GCC's -Wformat-truncation)
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

// "HH:MM" (00:00..23:59) → minutes after midnight.
Result<int> ParseClock(const json::value& v, const std::string& field) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument, field + " must be a time of day HH:MM");
  };
  if (!v.is_string()) return bad();
  const json::string& s = v.as_string();
  if (s.size() != 5 || s[2] != ':') return bad();
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return bad();
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return bad();
  return h * 60 + m;
}

Result<AlertChannels> ParseChannels(const json::value* v, const std::string& field) {
  AlertChannels out;
  if (!v || v->is_null()) return out;
  if (!v->is_object()) return Fail(ErrorCode::kInvalidArgument, field + " must be an object");
  for (const auto& kv : v->as_object()) {
    const std::string key(kv.key());
    bool* target = key == "mail" ? &out.mail : key == "browser" ? &out.browser : nullptr;
    if (!target)
      return Fail(ErrorCode::kInvalidArgument, "unknown field '" + field + "." + key + "'");
    if (!kv.value().is_bool()) {
      return Fail(ErrorCode::kInvalidArgument, field + "." + key + " must be true or false");
    }
    *target = kv.value().as_bool();
  }
  return out;
}

Result<std::optional<domain::QuietHours>> ParseQuiet(const json::value* v) {
  if (!v || v->is_null()) return std::optional<domain::QuietHours>{};
  if (!v->is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "quiet_hours must be an object or null");
  }
  domain::QuietHours q;
  const json::object& o = v->as_object();
  for (const auto& kv : o) {
    const std::string key(kv.key());
    if (key != "start" && key != "end" && key != "zone") {
      return Fail(ErrorCode::kInvalidArgument, "unknown field 'quiet_hours." + key + "'");
    }
  }
  for (const char* key : {"start", "end", "zone"}) {
    if (!o.contains(key)) {
      return Fail(ErrorCode::kInvalidArgument, std::string("quiet_hours.") + key + " is required");
    }
  }
  SOPORTE_TRY(start, ParseClock(o.at("start"), "quiet_hours.start"));
  SOPORTE_TRY(end, ParseClock(o.at("end"), "quiet_hours.end"));
  if (!o.at("zone").is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "quiet_hours.zone must be a string");
  }
  q.start_minute = start;
  q.end_minute = end;
  q.zone = std::string(o.at("zone").as_string());
  return std::optional<domain::QuietHours>(std::move(q));
}

json::value ChannelsJson(const AlertChannels& c) {
  return json::object{{"mail", c.mail}, {"browser", c.browser}};
}

}  // namespace

json::value AlertPreferencesJson(const domain::AlertPreferences& p) {
  json::value quiet = nullptr;
  if (p.quiet) {
    quiet = json::object{{"start", Clock(p.quiet->start_minute)},
                         {"end", Clock(p.quiet->end_minute)},
                         {"zone", p.quiet->zone}};
  }
  return json::object{{"sla_warning", ChannelsJson(p.sla_warning)},
                      {"sla_breach", ChannelsJson(p.sla_breach)},
                      {"new_critical", ChannelsJson(p.new_critical)},
                      {"quiet_hours", std::move(quiet)}};
}

Result<domain::AlertPreferences> ParseAlertPreferences(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  domain::AlertPreferences p;
  SOPORTE_TRY(warning, ParseChannels(r.Raw("sla_warning"), "sla_warning"));
  SOPORTE_TRY(breach, ParseChannels(r.Raw("sla_breach"), "sla_breach"));
  SOPORTE_TRY(critical, ParseChannels(r.Raw("new_critical"), "new_critical"));
  SOPORTE_TRY(quiet, ParseQuiet(r.Raw("quiet_hours")));
  SOPORTE_TRY_STATUS(r.Finish());
  p.sla_warning = warning;
  p.sla_breach = breach;
  p.new_critical = critical;
  p.quiet = std::move(quiet);
  return p;
}

json::value AlertListJson(const std::vector<app::AlertPreferencesService::AlertView>& alerts) {
  json::array out;
  for (const auto& v : alerts) {
    const date::time_zone* zone = cal::ZoneOrUtc(v.zone);
    out.push_back(
        json::object{{"id", v.alert.id},
                     {"kind", domain::AlertKindName(v.alert.kind)},
                     {"ticket", json::object{{"number", v.number},
                                             {"subject", v.subject},
                                             {"criticality", domain::sla::Name(v.criticality)}}},
                     {"due", TimeJson(v.alert.due, zone)},
                     {"at", TimeJson(v.alert.at, zone)}});
  }
  return json::object{{"alerts", std::move(out)}};
}

}  // namespace soporte::transport::api::codec
