// The JSON form of the server's log lines (`serve --log-format json`): one object a line, for
// journald, Loki or jq. An access line names the request, never its body, query, headers or
// credentials (http::AccessRecord holds none). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "transport/http/server.hpp"

namespace soporte::transport::api::codec {

// {"ts":…,"level":…,"msg":…}; invalid UTF-8 in `message` becomes U+FFFD.
std::string LogLineJson(std::string_view ts, std::string_view level, std::string_view message);

// {"ts":…,"level":"info","msg":"request","method":…,"route":…,"status":…,"duration_ms":…,
//  "user_id":… (null when anonymous),"request_id":…,"client":…}
std::string AccessLineJson(std::string_view ts, const http::AccessRecord& r);

}  // namespace soporte::transport::api::codec
