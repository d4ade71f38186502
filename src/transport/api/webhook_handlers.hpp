// The webhook routes (docs/api.md, "Webhooks"), admins only (403 for anyone else):
//   POST   /api/v1/webhooks                          subscribe {"url","events","secret"} → 201
//   GET    /api/v1/webhooks                          every subscription (never a secret)
//   GET    /api/v1/webhooks/{id}                     one subscription
//   DELETE /api/v1/webhooks/{id}                     unsubscribe (its deliveries go too)
//   GET    /api/v1/webhooks/{id}/deliveries?limit=N  its deliveries, newest first
//   POST   /api/v1/webhook-deliveries/{id}/retry     put a failed delivery back in the queue
#pragma once

#include "app/webhooks/webhook_service.hpp"
#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

// `ctx` and `webhooks` must outlive the router.
void RegisterWebhookRoutes(http::Router& router, ApiContext& ctx, app::WebhookService& webhooks);

}  // namespace soporte::transport::api
