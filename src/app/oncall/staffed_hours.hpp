// The vendor's staffed hours: the calendar that decides "out of hours" for paging. By default
// Monday–Friday 08:00–18:00 America/Bogota without the Colombian public holidays (the built-in
// 8x5 calendar); an admin may point the setting `oncall.staffed_calendar_id` at one of the
// stored calendars (Administración › Calendarios) instead. Thread-safe: built calendars are
// cached by (id, version) under a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "app/ports/store.hpp"
#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"

namespace soporte::app {

class StaffedHours {
 public:
  // The setting that names the staffed calendar's id ("" or absent: the built-in 8x5).
  static constexpr const char* kSettingKey = "oncall.staffed_calendar_id";
  // The live chat's own staffed calendar (read first by the chat; absent: kSettingKey's).
  static constexpr const char* kChatSettingKey = "chat.staffed_calendar_id";

  StaffedHours();

  // True when `at` falls inside the staffed hours, read in `tx` (the setting and the calendar).
  // A setting naming a calendar that no longer exists falls back to the built-in 8x5 calendar.
  // `first_key`, when given, is a setting read before kSettingKey (the chat's own calendar,
  // `chat.staffed_calendar_id`): when it names a calendar id (> 0) that one decides.
  // Fails only when the store does.
  Result<bool> IsStaffed(ReadTx& tx, Instant at, std::string_view first_key = {});

 private:
  std::mutex mutex_;
  domain::calendar::BusinessCalendar default_;
  std::map<std::pair<std::int64_t, std::int64_t>,
           std::shared_ptr<const domain::calendar::BusinessCalendar>>
      cache_;
};

}  // namespace soporte::app
