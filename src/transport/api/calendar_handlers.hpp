// Calendars and closure days administration routes (docs/api.md, "Calendars"):
// GET|POST /api/v1/calendars, GET|PUT /api/v1/calendars/{id}, POST /api/v1/calendars/{id}/closures,
// DELETE /api/v1/calendars/{id}/closures/{date}, PATCH /api/v1/orgs/{slug}/contracts/{id}
// (assigns a calendar to a contract). Staff read; supervisors and admins write.
#pragma once

#include "app/calendars/calendar_service.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx` and `calendars` must outlive the router.
void RegisterCalendarRoutes(http::Router& router, ApiContext& ctx, app::CalendarService& calendars);

}  // namespace soporte::transport::api
