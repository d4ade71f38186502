// A contract's resolution target (docs/api.md, "Resolution clock"):
// GET/PUT /api/v1/orgs/{slug}/contracts/{id}/resolution-target. Staff read; supervisors and
// admins write.
#pragma once

#include "app/sla/resolution_target.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx` and `targets` must outlive the router.
void RegisterResolutionRoutes(http::Router& router, ApiContext& ctx,
                              app::ResolutionTargetService& targets);

}  // namespace soporte::transport::api
