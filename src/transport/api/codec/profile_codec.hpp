// JSON of the customer profile (issue 6): the profile as a tree (environments with their hosts,
// users, paths, commands, consoles, test users and components with patches; contacts; remote
// access), one entry, reveal answers, the reveal log and the history. Secret fields appear only
// as {"set": true, "secret_id": N}; their values leave the server only in RevealJson.
#pragma once

#include <string_view>

#include <boost/json/value.hpp>

#include "app/profiles/profile_service.hpp"

namespace soporte::transport::api::codec {

boost::json::value ProfileJson(const app::ProfileView& v);
boost::json::value ProfileEntryJson(const app::ProfileEntryView& v);
boost::json::value RevealJson(const app::RevealedSecret& r);
boost::json::value RevealLogJson(const std::vector<app::RevealView>& list);
boost::json::value ProfileHistoryJson(const std::vector<app::ProfileEventView>& list);

// The body of a create (POST) or replace (PUT) of an entry of `kind`: its fields, its parent
// under the parent kind's name ("environment": 3, "component": 7), secret fields as a string
// (set) or null (clear). Ports and references may be numbers or strings. kInvalidArgument
// naming the field for anything else, including unknown fields.
Result<app::ProfileEntryInput> ParseProfileEntryInput(domain::ProfileKind kind,
                                                      std::string_view body);
// {"reason": "..."}; the reason's presence is checked by the use case.
Result<std::string> ParseRevealReason(std::string_view body);

}  // namespace soporte::transport::api::codec
