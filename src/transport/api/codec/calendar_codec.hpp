// The JSON of business calendars (docs/api.md, "Calendars"): a calendar with its opening hours as
// {"monday":[{"from":"08:00","to":"12:00"}],…} and its closure days, the list envelope, and the
// request bodies that create or replace a calendar and add a closure day. Decoders refuse unknown
// fields and name the field in every error (kInvalidArgument).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/calendars/calendar_service.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// {id, version, name, zone, colombian_holidays, hours, closures, created_at, updated_at} (UTC).
json::value CalendarJson(const domain::calendar::CalendarDefinition& c);
// {"calendars": [...]}.
json::value CalendarListJson(const std::vector<domain::calendar::CalendarDefinition>& list);

// POST /api/v1/calendars and PUT /api/v1/calendars/{id} (`version` accepted on PUT only).
Result<app::CalendarInput> ParseCalendarInput(std::string_view body, bool allow_version);

struct NewClosure {
  std::chrono::sys_days date;
  std::string reason;
};
// POST /api/v1/calendars/{id}/closures: {"date": "YYYY-MM-DD", "reason"}.
Result<NewClosure> ParseNewClosure(std::string_view body);

}  // namespace soporte::transport::api::codec
