// The audit log route (docs/api.md, "Audit log"): GET /api/v1/audit?kind=&since=&limit=&cursor=,
// newest first, paged by an opaque cursor. Supervisors and admins read it; agents and customers
// get 403, as on the other administration routes.
#pragma once

#include "app/audit/audit_log.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx` and `audit` must outlive the router.
void RegisterAuditRoutes(http::Router& router, ApiContext& ctx, app::AuditService& audit);

}  // namespace soporte::transport::api
