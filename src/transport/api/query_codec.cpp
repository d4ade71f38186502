#include "transport/api/query_codec.hpp"

#include <charconv>

#include "domain/calendar/zones.hpp"
#include "domain/profile/completeness.hpp"
#include "domain/search/search_query.hpp"
#include "transport/api/codec/audit_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api {

Error UnknownQueryParameter(const std::string& key) {
  return Error{ErrorCode::kInvalidArgument, "unknown query parameter '" + key + "'",
               std::chrono::seconds{0}, "unknown_field", key};
}

using http::Request;
namespace sla = domain::sla;

Result<app::TicketListQuery> ParseListQuery(const Request& rq) {
  app::TicketListQuery q;
  std::optional<int> rank_cursor;
  for (const auto& [key, value] : rq.query_params) {
    if (key == "q") {  // an empty search is a mistake, not "no filter": the box sends none then
      SOPORTE_TRY(search, domain::search::ParseSearchQuery(value));
      q.search = std::move(search);
      continue;
    }
    if (value.empty()) continue;  // "?status=" means no filter
    if (key == "status") {
      if (value == "active") {  // the console's default: every status still being worked on
        q.status.reset();
        q.active_only = true;
        continue;
      }
      auto s = domain::ParseStatus(value);
      if (!s)
        return Fail(ErrorCode::kInvalidArgument,
                    "status must be one of active, new, open, waiting_customer, resolved, closed");
      q.active_only = false;
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
      if (value.front() == 'r') {  // a search page's cursor: the rank it starts at
        SOPORTE_TRY(offset, codec::ParseRankCursor(value));
        rank_cursor = offset;
      } else {
        SOPORTE_TRY(c, codec::ParseCursor(value));
        q.after = c;
      }
    } else {
      return tl::make_unexpected(UnknownQueryParameter(key));
    }
  }
  if ((rank_cursor && !q.search) || (q.after && q.search)) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  if (rank_cursor) q.offset = *rank_cursor;
  return q;
}

Result<app::OrgDirectoryQuery> ParseOrgDirectoryQuery(const Request& rq) {
  app::OrgDirectoryQuery q;
  q.limit = 200;
  for (const auto& [key, value] : rq.query_params) {
    if (key != "q" && key != "contract" && key != "missing" && key != "limit" && key != "cursor") {
      return tl::make_unexpected(UnknownQueryParameter(key));
    }
    if (value.empty()) continue;
    if (key == "q") {
      if (value.size() > 100)
        return FailField(ErrorCode::kInvalidArgument, "q", "", "q is longer than 100 bytes");
      std::string text = value;
      for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      const auto first = text.find_first_not_of(' ');
      const auto last = text.find_last_not_of(' ');
      q.text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
    } else if (key == "contract") {
      if (value == "none") {
        q.without_contract = true;
      } else if (auto m = sla::ParseModality(value)) {
        q.modality = *m;
      } else {
        return FailField(ErrorCode::kInvalidArgument, "contract", "not_one_of",
                         "contract must be one of 24x7, 8x5, none");
      }
    } else if (key == "missing") {
      auto a = domain::ParseProfileArea(value);
      if (!a) {
        return FailField(ErrorCode::kInvalidArgument, "missing", "not_one_of",
                         "missing must be one of environments, versions, contacts, remote_access");
      }
      q.missing = *a;
    } else if (key == "limit") {
      int limit = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc{} || p != value.data() + value.size() || limit < 1 || limit > 200) {
        return FailField(ErrorCode::kInvalidArgument, "limit", "",
                         "limit must be a whole number from 1 to 200");
      }
      q.limit = limit;
    } else {  // cursor: the id of the previous page's last organisation
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
      if (ec != std::errc{} || p != value.data() + value.size() || id <= 0) {
        return FailField(ErrorCode::kInvalidArgument, "cursor", "", "cursor is not valid");
      }
      q.after = OrgId{id};
    }
  }
  return q;
}

Result<app::AuditQuery> ParseAuditQuery(const Request& rq) {
  app::AuditQuery q;
  for (const auto& [key, value] : rq.query_params) {
    if (value.empty()) continue;  // "?kind=" means every kind
    if (key == "kind") {
      q.kind = value;  // the use case names the kinds it knows
    } else if (key == "since") {
      if (value.size() == 10) {
        SOPORTE_TRY(day, codec::ParseDate(value, "since"));
        q.since = Instant{day};
      } else {
        auto at = text::ParseIso8601(value, domain::calendar::Utc());
        if (!at)
          return Fail(ErrorCode::kInvalidArgument,
                      "since must be a date (YYYY-MM-DD) or an ISO 8601 instant");
        q.since = *at;
      }
    } else if (key == "limit") {
      int limit = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc{} || p != value.data() + value.size() || limit < 1 || limit > 200) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be a whole number from 1 to 200");
      }
      q.limit = limit;
    } else if (key == "cursor") {
      SOPORTE_TRY(id, codec::ParseAuditCursor(value));
      q.before_id = id;
    } else {
      return tl::make_unexpected(UnknownQueryParameter(key));
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
      return tl::make_unexpected(UnknownQueryParameter(k));
    }
  }
  if (!have_criticality) return Fail(ErrorCode::kInvalidArgument, "criticality is required");
  return q;
}

Result<SlaReportQuery> ParseSlaReportQuery(const Request& rq) {
  SlaReportQuery q;
  bool have_from = false, have_to = false;
  for (const auto& [key, value] : rq.query_params) {
    if (key == "org") {
      if (!value.empty()) q.request.org_slug = value;
    } else if (key == "from") {
      SOPORTE_TRY(day, codec::ParseDate(value, "from"));
      q.request.from = day;
      have_from = true;
    } else if (key == "to") {
      SOPORTE_TRY(day, codec::ParseDate(value, "to"));
      q.request.to = day;
      have_to = true;
    } else if (key == "group") {
      SOPORTE_TRY(g, domain::report::ParseGrouping(value));
      q.request.grouping = std::move(g);
    } else if (key == "format") {
      if (value != "json" && value != "csv" && !value.empty())
        return Fail(ErrorCode::kInvalidArgument, "format must be json or csv");
      q.csv = value == "csv";
    } else if (key == "lang") {
      if (value != "es" && value != "en" && !value.empty())
        return Fail(ErrorCode::kInvalidArgument, "lang must be es or en");
      if (!value.empty()) q.lang = value;
    } else {
      return tl::make_unexpected(UnknownQueryParameter(key));
    }
  }
  if (!have_from) return Fail(ErrorCode::kInvalidArgument, "from is required (YYYY-MM-DD)");
  if (!have_to) return Fail(ErrorCode::kInvalidArgument, "to is required (YYYY-MM-DD)");
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
