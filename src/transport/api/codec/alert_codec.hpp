// The JSON of staff alerts (docs/api.md, "Staff alerts"): a user's alert preferences (which alert
// on which channel, quiet hours) in and out, and the list of alerts raised to them.
#pragma once

#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/alerts/staff_alerts.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// {"sla_warning":{"mail":true,"browser":true},"sla_breach":{…},"new_critical":{…},
//  "quiet_hours":null | {"start":"22:00","end":"07:00","zone":"America/Bogota"}}
json::value AlertPreferencesJson(const domain::AlertPreferences& p);
// The same shape; an absent alert keeps the defaults (both channels), an absent channel true.
// kInvalidArgument naming the field ("sla_warning.mail must be true or false",
// "quiet_hours.start must be HH:MM", unknown fields).
Result<domain::AlertPreferences> ParseAlertPreferences(std::string_view body);

// {"alerts":[{"id","kind","ticket":{"number","subject","criticality"},"due","at"}]}
json::value AlertListJson(const std::vector<app::AlertPreferencesService::AlertView>& alerts);

}  // namespace soporte::transport::api::codec
