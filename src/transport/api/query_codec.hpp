// The API's query-string parsers (the list cursor itself is in codec/common_codec), apart from
// their handlers so that fuzz/query_fuzz.cpp reaches them too. Like the JSON codecs they name the
// parameter in every error (kInvalidArgument) and reject parameters they do not know.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "app/ports/audit_repository.hpp"
#include "app/ports/org_repository.hpp"
#include "app/reports/report_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "transport/http/request.hpp"

namespace soporte::transport::api {

// The 400 for a query parameter a resource does not take: field = the parameter, reason
// unknown_field (clients word it from their catalog).
Error UnknownQueryParameter(const std::string& key);

// GET /api/v1/tickets?status=&criticality=&org=&assignee=&breached=&limit=&cursor=
Result<app::TicketListQuery> ParseListQuery(const http::Request& rq);

// GET /api/v1/orgs?q=&contract=24x7|8x5|none&missing=environments|versions|contacts|remote_access
// &limit=1..200&cursor= (the organisations directory; limit default 200; q at most 100 bytes, its
// ASCII letters lower-cased; cursor as the previous page's next_cursor). An empty value is no
// filter. `today` is left for the use case to set.
Result<app::OrgDirectoryQuery> ParseOrgDirectoryQuery(const http::Request& rq);

// GET /api/v1/audit?kind=&since=&limit=&cursor= (since: an ISO 8601 instant or a UTC date
// YYYY-MM-DD; limit 1..200, default 50; cursor as the previous page's next_cursor).
Result<app::AuditQuery> ParseAuditQuery(const http::Request& rq);

// GET /api/v1/sla/preview?contract=&criticality=&channel=
struct PreviewQuery {
  std::optional<ContractId> contract;
  domain::sla::Criticality criticality = domain::sla::Criticality::kNormal;
  domain::sla::Channel channel = domain::sla::Channel::kPortal;
};
Result<PreviewQuery> ParsePreview(const http::Request& rq);

// GET /api/v1/reports/sla?org=&from=&to=&group=&format=&lang= — from and to are required dates
// (YYYY-MM-DD); group as domain/report's ParseGrouping; format json (default) or csv; lang es or
// en (the CSV's column titles; default: the Accept-Language header).
struct SlaReportQuery {
  app::SlaReportRequest request;
  bool csv = false;
  std::optional<std::string> lang;
};
Result<SlaReportQuery> ParseSlaReportQuery(const http::Request& rq);

// "en" when the browser prefers English over Spanish, "es" otherwise (RFC 9110 §12.5.4, order only).
std::string PreferredLang(std::string_view accept);

}  // namespace soporte::transport::api
