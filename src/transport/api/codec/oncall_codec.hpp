// The JSON of the on-call rota and paging (docs/api.md, "On call"): rotas in and out, who is on
// call at an instant, a rota's schedule, open pages, what an acknowledge link shows, and the page
// handed to the gateway command on its stdin. Bad input fails with kInvalidArgument naming the
// field ("shifts[1].start: …").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/oncall/oncall_service.hpp"
#include "app/oncall/paging.hpp"
#include "app/ports/page_gateway.hpp"
#include "common/result.hpp"
#include "domain/oncall/rota.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

json::value RotaJson(const domain::oncall::Rota& r);
json::value RotaListJson(const std::vector<domain::oncall::Rota>& list);
// {"name","zone","shifts":[{"day","start","end","end_day"?,"primary","secondary"?}],
//  "overrides":[{"from","until","level","user","note"?}],"version"?}. Times without an offset
// are read in the rota's zone; `end` at or before `start` on the same day means the next day.
Result<domain::oncall::Rota> ParseRotaInput(std::string_view body);

json::value OnCallAnswerJson(const app::OnCallAnswer& a);
json::value RotaScheduleJson(const app::RotaSchedule& s);
json::value PageListJson(const std::vector<app::PageView>& pages);
json::value PageLinkJson(const app::PageLinkView& v);
// {"calendar": id|null} of the staffed hours.
json::value StaffedCalendarJson(const CalendarId& id);
Result<CalendarId> ParseStaffedCalendar(std::string_view body);

// {"token"} of an acknowledge link.
Result<std::string> ParsePageToken(std::string_view body);

// The page as the gateway command reads it on stdin (one JSON object).
std::string PageMessageText(const app::PageMessage& m);

}  // namespace soporte::transport::api::codec
