// The JSON of a contract's resolution target (docs/api.md, "Resolution clock"):
// {"minutes": 480} or {"minutes": null} (no target), in and out.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <boost/json.hpp>

#include "common/result.hpp"

namespace soporte::transport::api::codec {

boost::json::value ResolutionTargetJson(const std::optional<std::int64_t>& minutes);
// kInvalidArgument naming the field: "minutes is required", "minutes must be an integer", unknown
// fields.
Result<std::optional<std::int64_t>> ParseResolutionTarget(std::string_view body);

}  // namespace soporte::transport::api::codec
