#include "transport/api/codec/audit_codec.hpp"

#include <charconv>

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"

namespace soporte::transport::api::codec {
namespace cal = domain::calendar;

json::value AuditEntryJson(const app::AuditEntryView& v) {
  const app::AuditEntryRecord& e = v.entry;
  json::value by = nullptr;
  if (e.actor_id.valid()) by = json::object{{"id", e.actor_id.value()}, {"name", v.actor_name}};
  json::value subject = json::object{{"id", e.subject_id}, {"name", e.subject}};
  return json::object{{"id", e.id},
                      {"kind", e.kind},
                      {"subject", std::move(subject)},
                      {"by", std::move(by)},
                      {"at", TimeJson(e.at, cal::Utc())},
                      {"from", e.source},
                      {"field", e.field},
                      {"before", e.before},
                      {"after", e.after}};
}

json::value AuditPageJson(const std::vector<app::AuditEntryView>& page, int limit) {
  json::value out = ListJson("entries", page, AuditEntryJson);
  const bool full = !page.empty() && static_cast<int>(page.size()) >= limit;
  out.as_object()["next_cursor"] =
      full ? json::value(std::to_string(page.back().entry.id)) : json::value(nullptr);
  return out;
}

Result<std::int64_t> ParseAuditCursor(const std::string& s) {
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc{} || p != s.data() + s.size() || id <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  return id;
}

}  // namespace soporte::transport::api::codec
