#include "transport/api/codec/resolution_codec.hpp"

#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {

boost::json::value ResolutionTargetJson(const std::optional<std::int64_t>& minutes) {
  return boost::json::object{{"minutes", minutes ? boost::json::value(*minutes) : nullptr}};
}

Result<std::optional<std::int64_t>> ParseResolutionTarget(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  if (!r.Has("minutes"))
    return Fail(ErrorCode::kInvalidArgument, "minutes is required (null removes the target)");
  SOPORTE_TRY(minutes, r.Int("minutes"));
  SOPORTE_TRY_STATUS(r.Finish());
  return minutes;
}

}  // namespace soporte::transport::api::codec
