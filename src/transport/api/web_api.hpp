// The API routes the web UI needs beyond the core ticket API (docs/api.md, "Web UI"): the live
// event stream (server-sent events), the SLA timeline of a ticket, the due preview for the
// new-ticket form. Like every route, integrations may use them too.
#pragma once

#include <chrono>
#include <string>

#include "app/accounts/password_reset.hpp"
#include "app/settings/contact_settings.hpp"
#include "app/tickets/sla_view.hpp"
#include "transport/api/api_context.hpp"
#include "transport/web/event_hub.hpp"

namespace soporte::transport::api {

struct WebApiDeps {
  web::EventHub& hub;
  app::SlaView& sla_view;
  app::ContactSettingsService& settings;     // the vendor's contact settings (admin-editable)
  app::PasswordResetService& password_reset;
  std::chrono::milliseconds heartbeat{15'000};  // an SSE comment line this often keeps proxies open
};

// Registers GET /api/v1/events, GET /api/v1/sla/preview, GET /api/v1/tickets/{number}/sla,
// GET and PUT /api/v1/settings, POST /api/v1/password-reset and /api/v1/password-reset/confirm.
// `ctx` and `deps` must outlive the router.
void RegisterWebApiRoutes(http::Router& router, ApiContext& ctx, WebApiDeps& deps);

}  // namespace soporte::transport::api
