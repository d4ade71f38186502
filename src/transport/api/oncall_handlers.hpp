// On-call routes (docs/api.md, "On call"): who is on call (GET /api/v1/oncall/now,
// /api/v1/oncall/at?time=), rotas (GET|POST /api/v1/oncall/rotas, GET|PUT|DELETE
// /api/v1/oncall/rotas/{id}, GET /api/v1/oncall/rotas/{id}/schedule?from=&days=), open pages
// (GET /api/v1/oncall/pages, POST /api/v1/oncall/pages/{id}/ack) and the acknowledge link
// without a session (POST /api/v1/page-links/view and /api/v1/page-links/ack, {"token"}).
// Staff read; supervisors and admins change rotas.
#pragma once

#include "app/oncall/oncall_service.hpp"
#include "app/oncall/paging.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx`, `oncall` and `paging` must outlive the router.
void RegisterOnCallRoutes(http::Router& router, ApiContext& ctx, app::OnCallService& oncall,
                          app::Paging& paging);

}  // namespace soporte::transport::api
