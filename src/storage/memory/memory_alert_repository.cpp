#include "storage/memory/memory_alert_repository.hpp"

namespace soporte::storage::memory_internal {

Result<std::optional<domain::AlertPreferences>> MemoryAlertRepository::GetAlertPreferences(
    UserId user) {
  auto it = s_.alert_preferences.find(user.value());
  if (it == s_.alert_preferences.end()) return std::optional<domain::AlertPreferences>{};
  return std::optional<domain::AlertPreferences>(it->second);
}

Result<std::vector<app::AlertRecord>> MemoryAlertRepository::ListAlerts(UserId user,
                                                                        std::int64_t after_id,
                                                                        int limit) {
  std::vector<app::AlertRecord> out;
  for (auto it = s_.alerts.upper_bound(after_id);
       it != s_.alerts.end() && static_cast<int>(out.size()) < limit; ++it) {
    if (it->second.user_id == user) out.push_back(it->second);
  }
  return out;
}

Status MemoryAlertRepository::PutAlertPreferences(UserId user, const domain::AlertPreferences& p,
                                                  Instant) {
  SOPORTE_TRY_STATUS(CheckExists(s_.users, user.value(), "user"));
  s_.alert_preferences[user.value()] = p;
  return Ok();
}

Result<app::AlertRecord> MemoryAlertRepository::InsertAlert(app::AlertRecord a) {
  SOPORTE_TRY_STATUS(CheckExists(s_.users, a.user_id.value(), "user"));
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, a.ticket_id.value(), "ticket"));
  a.id = s_.next_alert++;
  s_.alerts[a.id] = a;
  return a;
}

}  // namespace soporte::storage::memory_internal
