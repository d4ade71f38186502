#include "transport/api/codec/calendar_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {
namespace {

namespace cal = domain::calendar;

// "HH:MM" (00:00–24:00) as seconds since midnight; kInvalidArgument naming `field` otherwise.
Result<Seconds> ParseClock(const json::value& v, const std::string& field) {
  if (!v.is_string()) return Fail(ErrorCode::kInvalidArgument, field + " must be a time \"HH:MM\"");
  const std::string_view t = v.as_string();
  auto digit = [&](std::size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return Fail(ErrorCode::kInvalidArgument,
                field + " must be a time \"HH:MM\" (got '" + std::string(t) + "')");
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) {
    return Fail(ErrorCode::kInvalidArgument,
                field + ": '" + std::string(t) + "' is not a time of day (00:00–24:00)");
  }
  return Seconds{h * 3600 + m * 60};
}

Result<cal::WeekPattern> ParseHours(const json::value& v) {
  if (!v.is_object()) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "hours must be an object with one array of intervals per weekday (monday … sunday)");
  }
  cal::WeekPattern week;
  for (const auto& kv : v.as_object()) {
    unsigned index = 7;
    for (unsigned d = 0; d < 7; ++d) {
      if (cal::WeekdayKey(d) == std::string_view(kv.key())) index = d;
    }
    const std::string field = "hours." + std::string(kv.key());
    if (index == 7) {
      return Fail(ErrorCode::kInvalidArgument,
                  "hours: '" + std::string(kv.key()) + "' is not a weekday (monday … sunday)");
    }
    if (kv.value().is_null()) continue;
    if (!kv.value().is_array())
      return Fail(ErrorCode::kInvalidArgument, field + " must be an array of {\"from\",\"to\"}");
    const auto& arr = kv.value().as_array();
    if (arr.size() > 24)
      return Fail(ErrorCode::kInvalidArgument, field + " may have at most 24 intervals");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string item = field + "[" + std::to_string(i) + "]";
      if (!arr[i].is_object())
        return Fail(ErrorCode::kInvalidArgument, item + " must be an object {\"from\",\"to\"}");
      const auto& o = arr[i].as_object();
      for (const auto& f : o) {
        if (f.key() != "from" && f.key() != "to") {
          return Fail(ErrorCode::kInvalidArgument,
                      item + ": unknown field '" + std::string(f.key()) + "'");
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
  const date::time_zone* utc = cal::Utc();
  json::object hours;
  for (unsigned d = 0; d < 7; ++d) {
    json::array day;
    for (const cal::DayInterval& iv : c.hours[d]) {
      day.push_back(
          json::object{{"from", cal::ClockText(iv.begin)}, {"to", cal::ClockText(iv.end)}});
    }
    hours[cal::WeekdayKey(d)] = std::move(day);
  }
  json::array closures;
  for (const cal::ClosureEntry& e : c.closures) {
    closures.push_back(
        json::object{{"date", DateText(e.date)},
                     {"reason", e.reason},
                     {"created_by", e.created_by.valid() ? json::value(e.created_by.value())
                                                         : json::value(nullptr)},
                     {"created_at", TimeJson(e.created_at, utc)}});
  }
  return json::object{{"id", c.id.value()},
                      {"version", c.version},
                      {"name", c.name},
                      {"zone", c.zone},
                      {"colombian_holidays", c.colombian_holidays},
                      {"hours", std::move(hours)},
                      {"closures", std::move(closures)},
                      {"created_at", TimeJson(c.created_at, utc)},
                      {"updated_at", TimeJson(c.updated_at, utc)}};
}

json::value CalendarListJson(const std::vector<cal::CalendarDefinition>& list) {
  return ListJson("calendars", list,
                  [](const cal::CalendarDefinition& c) { return CalendarJson(c); });
}

Result<app::CalendarInput> ParseCalendarInput(std::string_view body, bool allow_version) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::CalendarInput in;
  SOPORTE_TRY(name, r.Required("name"));
  in.name = std::move(name);
  SOPORTE_TRY(zone, r.StringOr("zone", in.zone));
  in.zone = std::move(zone);
  SOPORTE_TRY(holidays, r.Bool("colombian_holidays"));
  in.colombian_holidays = holidays.value_or(true);
  const json::value* hours = r.Raw("hours");
  if (hours == nullptr || hours->is_null())
    return Fail(ErrorCode::kInvalidArgument, "hours is required");
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
  SOPORTE_TRY(day, r.Required("date"));
  SOPORTE_TRY(d, ParseDate(day, "date"));
  SOPORTE_TRY(reason, r.Required("reason"));
  SOPORTE_TRY_STATUS(r.Finish());
  return NewClosure{d, std::move(reason)};
}

}  // namespace soporte::transport::api::codec
