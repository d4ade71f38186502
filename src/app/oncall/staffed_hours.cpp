#include "app/oncall/staffed_hours.hpp"

#include <charconv>
#include <string>

#include "common/check.hpp"
#include "domain/calendar/calendar_definition.hpp"
#include "domain/calendar/zones.hpp"

namespace soporte::app {
namespace {

domain::calendar::BusinessCalendar Default8x5() {
  auto c = domain::calendar::BusinessCalendar::Make8x5(domain::calendar::kDefaultZone);
  SOPORTE_CHECK(c.has_value());
  return std::move(*c);
}

}  // namespace

StaffedHours::StaffedHours() : default_(Default8x5()) {}

Result<bool> StaffedHours::IsStaffed(ReadTx& tx, Instant at, std::string_view first_key) {
  SOPORTE_TRY(settings, tx.settings().ListSettings());
  std::int64_t id = 0, first = 0;
  for (const auto& s : settings) {
    std::int64_t* into = s.key == kSettingKey                         ? &id
                         : (!first_key.empty() && s.key == first_key) ? &first
                                                                      : nullptr;
    if (into == nullptr) continue;
    (void)std::from_chars(s.value.data(), s.value.data() + s.value.size(), *into);
  }
  if (first > 0) id = first;
  if (id <= 0) return default_.IsOpen(at);
  auto def = tx.calendars().GetCalendar(CalendarId{id});
  if (!def) {
    if (def.error().code == ErrorCode::kNotFound) return default_.IsOpen(at);
    return tl::make_unexpected(def.error());
  }
  std::shared_ptr<const domain::calendar::BusinessCalendar> cal;
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find({id, def->version}); it != cache_.end()) cal = it->second;
  }
  if (!cal) {
    auto built = domain::calendar::BuildBusinessCalendar(*def);
    if (!built) return default_.IsOpen(at);
    cal = std::make_shared<const domain::calendar::BusinessCalendar>(std::move(*built));
    std::lock_guard lock(mutex_);
    cache_[{id, def->version}] = cal;
  }
  return cal->IsOpen(at);
}

}  // namespace soporte::app
