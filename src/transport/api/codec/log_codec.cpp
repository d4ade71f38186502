#include "transport/api/codec/log_codec.hpp"

#include <cstdio>

#include <boost/json.hpp>

#include "transport/http/utf8.hpp"

namespace soporte::transport::api::codec {

std::string LogLineJson(std::string_view ts, std::string_view level, std::string_view message) {
  boost::json::object o;
  o["ts"] = ts;
  o["level"] = level;
  o["msg"] = http::ToValidUtf8(message);
  return boost::json::serialize(o);
}

std::string AccessLineJson(std::string_view ts, const http::AccessRecord& r) {
  // Written member by member: Boost.JSON writes every double in exponent form (1.234E0), and
  // people read these lines too, so the duration is a plain decimal with three places.
  std::string out = "{";
  const auto add = [&out](std::string_view key, const std::string& text) {
    if (out.size() > 1) out += ',';
    out += boost::json::serialize(boost::json::string(key));
    out += ':';
    out += text;
  };
  const auto str = [](std::string_view s) {
    return boost::json::serialize(boost::json::string(s));
  };
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", r.duration_ms >= 0 ? r.duration_ms : 0.0);
  add("ts", str(ts));
  add("level", str("info"));
  add("msg", str("request"));
  add("method", str(http::ToValidUtf8(r.method)));
  add("route", str(http::ToValidUtf8(r.route)));
  add("status", std::to_string(r.status));
  add("duration_ms", duration);
  add("user_id", r.user_id > 0 ? std::to_string(r.user_id) : "null");
  add("request_id", str(r.request_id));
  add("client", str(r.client));
  out += '}';
  return out;
}

}  // namespace soporte::transport::api::codec
