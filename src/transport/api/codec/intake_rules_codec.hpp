// The intake checklist's rules as JSON: the file `serve --intake-rules FILE` reads (a start-up
// configuration, not a request body). Which items a ticket of each type and criticality must
// bring is data (domain/profile/intake_checklist); this file only decodes it.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "domain/profile/intake_checklist.hpp"

namespace soporte::transport::api::codec {

// The intake checklist's rules from a configuration file (serve --intake-rules FILE):
//   [{"type": "incident", "criticality": "critical", "items": ["environment", "logs"]}, …]
// `type` and `criticality` may be omitted (any); the first matching rule applies. kInvalidArgument
// naming the rule and field for anything else.
Result<domain::IntakeRules> ParseIntakeRules(std::string_view text);

}  // namespace soporte::transport::api::codec
