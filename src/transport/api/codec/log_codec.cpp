#include "transport/api/codec/log_codec.hpp"

#include <cmath>

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
  boost::json::object o;
  o["ts"] = ts;
  o["level"] = "info";
  o["msg"] = "request";
  o["method"] = http::ToValidUtf8(r.method);
  o["route"] = http::ToValidUtf8(r.route);
  o["status"] = r.status;
  o["duration_ms"] = std::round(r.duration_ms * 1000) / 1000;
  if (r.user_id > 0) {
    o["user_id"] = r.user_id;
  } else {
    o["user_id"] = nullptr;
  }
  o["request_id"] = r.request_id;
  o["client"] = r.client;
  return boost::json::serialize(o);
}

}  // namespace soporte::transport::api::codec
