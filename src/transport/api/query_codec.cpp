#include "transport/api/query_codec.hpp"

#include <charconv>

namespace soporte::transport::api {

using http::Request;
namespace sla = domain::sla;

// Cursor text: "<due epoch seconds>.<number>" (opaque to clients).
std::string CursorText(const std::pair<Instant, std::int64_t>& c) {
  return std::to_string(c.first.time_since_epoch().count()) + "." + std::to_string(c.second);
}

Result<std::pair<Instant, std::int64_t>> ParseCursor(const std::string& s) {
  auto dot = s.find('.');
  long long due = 0, number = 0;
  if (dot == std::string::npos) return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  auto r1 = std::from_chars(s.data(), s.data() + dot, due);
  auto r2 = std::from_chars(s.data() + dot + 1, s.data() + s.size(), number);
  if (r1.ec != std::errc{} || r1.ptr != s.data() + dot || r2.ec != std::errc{} ||
      r2.ptr != s.data() + s.size()) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  return std::make_pair(Instant{Seconds{due}}, static_cast<std::int64_t>(number));
}

Result<app::TicketListQuery> ParseListQuery(const Request& rq) {
  app::TicketListQuery q;
  for (const auto& [key, value] : rq.query_params) {
    if (value.empty()) continue;  // "?status=" means no filter
    if (key == "status") {
      auto s = domain::ParseStatus(value);
      if (!s) return Fail(ErrorCode::kInvalidArgument, "status must be one of new, open, waiting_customer, resolved, closed");
      q.status = s;
    } else if (key == "criticality") {
      auto c = sla::ParseCriticality(value);
      if (!c) return Fail(ErrorCode::kInvalidArgument, "criticality must be one of normal, important, critical");
      q.criticality = c;
    } else if (key == "org") {
      q.org_slug = value;
    } else if (key == "assignee") {
      if (value == "none") {
        q.assignee = std::optional<UserId>{};
      } else {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
        if (ec != std::errc{} || p != value.data() + value.size() || id <= 0) {
          return Fail(ErrorCode::kInvalidArgument, "assignee must be a user id or 'none'");
        }
        q.assignee = std::optional<UserId>{UserId{id}};
      }
    } else if (key == "breached") {
      if (value != "true" && value != "false") return Fail(ErrorCode::kInvalidArgument, "breached must be true or false");
      q.breached = value == "true";
    } else if (key == "limit") {
      int limit = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc{} || p != value.data() + value.size() || limit < 1 || limit > 200) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be a whole number from 1 to 200");
      }
      q.limit = limit;
    } else if (key == "cursor") {
      SOPORTE_TRY(c, ParseCursor(value));
      q.after = c;
    } else {
      return Fail(ErrorCode::kInvalidArgument, "unknown query parameter '" + key + "'");
    }
  }
  return q;
}

Result<PreviewQuery> ParsePreview(const Request& rq) {
  PreviewQuery q;
  bool have_criticality = false;
  for (const auto& [k, v] : rq.query_params) {
    if (k == "contract") {
      if (v.empty()) continue;
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
      if (ec != std::errc{} || p != v.data() + v.size() || id <= 0)
        return Fail(ErrorCode::kInvalidArgument, "contract must be a contract id");
      q.contract = ContractId{id};
    } else if (k == "criticality") {
      auto c = sla::ParseCriticality(v);
      if (!c) return Fail(ErrorCode::kInvalidArgument, "criticality must be one of normal, important, critical");
      q.criticality = *c;
      have_criticality = true;
    } else if (k == "channel") {
      if (v.empty()) continue;
      auto c = sla::ParseChannel(v);
      if (!c) return Fail(ErrorCode::kInvalidArgument, "channel must be one of portal, email, phone, chat");
      q.channel = *c;
    } else {
      return Fail(ErrorCode::kInvalidArgument, "unknown query parameter '" + k + "'");
    }
  }
  if (!have_criticality) return Fail(ErrorCode::kInvalidArgument, "criticality is required");
  return q;
}

// "en" when the browser prefers English over Spanish, "es" otherwise (RFC 9110 §12.5.4, order only).
std::string PreferredLang(std::string_view accept) {
  const auto en = accept.find("en");
  const auto es = accept.find("es");
  if (en != std::string_view::npos && (es == std::string_view::npos || en < es)) return "en";
  return "es";
}

}  // namespace soporte::transport::api
