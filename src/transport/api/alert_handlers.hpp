// The staff's own alert routes (docs/api.md, "Staff alerts"): GET/PUT
// /api/v1/me/alert-preferences and GET /api/v1/me/alerts?after=ID&limit=N. Staff only (403 for a
// customer); each user reads and writes only their own.
#pragma once

#include "app/alerts/staff_alerts.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx` and `alerts` must outlive the router.
void RegisterAlertRoutes(http::Router& router, ApiContext& ctx,
                         app::AlertPreferencesService& alerts);

}  // namespace soporte::transport::api
