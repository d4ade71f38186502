// The report routes (docs/api.md, "SLA reports"): GET /api/v1/reports/sla?org=&from=&to=&group=
// &format=json|csv&lang= — an organisation's SLA compliance as JSON or as a CSV download.
// Customers get their own organisation's (org forced to theirs; another one is 404); staff name
// any.
#pragma once

#include "app/reports/report_service.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx` and `reports` must outlive the router.
void RegisterReportRoutes(http::Router& router, ApiContext& ctx, app::ReportService& reports);

}  // namespace soporte::transport::api
