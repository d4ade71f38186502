// The API routes the web UI needs beyond the core ticket API (docs/api.md, "Web UI"): the live
// event stream (server-sent events), the SLA timeline of a ticket, the due preview for the
// new-ticket form. Like every route, integrations may use them too.
#pragma once

#include <chrono>
#include <string>

#include "app/tickets/sla_view.hpp"
#include "transport/api/api_context.hpp"
#include "transport/web/event_hub.hpp"

namespace soporte::transport::api {

// The vendor's contact settings customers see in the portal (from `soporte serve` options).
struct ContactSettings {
  std::string support_email;
  std::string phone;
  std::string portal_url;
  std::string hours_es;
  std::string hours_en;
};

struct WebApiDeps {
  web::EventHub& hub;
  app::SlaView& sla_view;
  ContactSettings contact;
  std::chrono::milliseconds heartbeat{15'000};  // an SSE comment line this often keeps proxies open
};

// Registers GET /api/v1/events, GET /api/v1/sla/preview, GET /api/v1/tickets/{number}/sla,
// GET /api/v1/settings.
// `ctx` and `deps` must outlive the router.
void RegisterWebApiRoutes(http::Router& router, ApiContext& ctx, WebApiDeps& deps);

}  // namespace soporte::transport::api
