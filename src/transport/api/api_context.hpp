// What the API handlers need, passed by reference from main/wiring: the use cases, the pools
// blocking work runs on, and the API's options. No globals: one ApiContext per server.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/storage_ptr.hpp>

#include "app/accounts/admin_service.hpp"
#include "app/accounts/auth_service.hpp"
#include "app/mail/inbound_desk.hpp"
#include "app/mail/outbox.hpp"
#include "app/profiles/profile_service.hpp"
#include "app/profiles/profile_transfer.hpp"
#include "app/ports/blob_store.hpp"
#include "app/ports/store.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/clock.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/page_cache.hpp"
#include "transport/http/metrics.hpp"
#include "transport/http/offload.hpp"
#include "transport/http/request.hpp"
#include "transport/http/response.hpp"
#include "transport/http/router.hpp"
#include "transport/http/work_gate.hpp"
#include "transport/chat/chat_hub.hpp"
#include "transport/web/event_hub.hpp"

namespace soporte::transport::api {

struct ApiOptions {
  std::int64_t attachment_limit = 100ll * 1024 * 1024;  // bytes per file
  bool secure_cookies = false;  // set when served behind HTTPS
  std::string session_cookie = "soporte_session";
  // Who may read GET /metrics: anyone when metrics_open (serve sets it when it listens on a
  // loopback address); otherwise only a request with `Authorization: Bearer <metrics_token>`
  // (compared in constant time), and nobody (404) when no token was given.
  bool metrics_open = true;
  std::string metrics_token;
};

struct ApiContext {
  boost::asio::thread_pool& db_pool;    // storage calls
  boost::asio::thread_pool& hash_pool;  // argon2id (small: each hash takes 64 MiB)
  app::AuthService& auth;
  app::AdminService& admin;
  app::TicketService& tickets;
  app::BlobStore& blobs;
  http::Metrics& metrics;
  const Clock& clock;
  ApiOptions options;
  // Reads the content type of a file from its first bytes (libmagic); set by the wiring.
  std::function<std::string(std::string_view head)> sniff;
  // Reads (GET) run here when set: a pool about the size of the core count keeps its threads
  // busy instead of waking one of the many write threads per request (which cost more than the
  // read itself on this machine). Writes stay on db_pool, whose many threads let concurrent
  // writes share one group commit.
  boost::asio::thread_pool* read_pool = nullptr;
  // The customer profile's use cases; its routes are registered when set.
  app::ProfileService* profiles = nullptr;
  // The profile's export and import (registered with the profile's routes when set).
  app::ProfileTransfer* profile_transfer = nullptr;
  // Costly work (key derivation for exports and imports with secrets) runs here, admitted by
  // costly_gate (one per user, a few at once); both set by the wiring, else hash_pool and no gate.
  boost::asio::thread_pool* costly_pool = nullptr;
  http::WorkGate* costly_gate = nullptr;
  // The live streams of this node: a logout or a deactivation ends the caller's streams at once
  // (other nodes' streams end at their next session check). Set by the wiring.
  web::EventHub* live = nullptr;
  // The chat sockets of this node: ended likewise (a staff or portal chat socket). Set by the
  // wiring; nullptr: no chat.
  chat::ChatHub* chat_live = nullptr;

  // The email desk (staff: kept inbound mail, failed outgoing mail); its routes are registered
  // only when both are set.
  app::InboundDesk* inbound = nullptr;
  app::OutboxAdmin* outbox = nullptr;

  // Point reads (one ticket by its number) run on the network thread itself when set. On the
  // embedded SQLite store such a read never waits for the writer (WAL) and takes a few dozen
  // microseconds, less than the hop to a pool and back: two thread wake-ups (measured with
  // strace: 3.4 futex calls per GET with the hop, 1.6 without) and 7 % more instructions
  // (callgrind). A store across the network (PostgreSQL) leaves it false: a network thread must
  // not wait on a round trip.
  bool point_reads_inline = false;

  // The store /healthz asks (an empty read transaction on ReadPool()) before it answers ok: set
  // by the wiring for a store across the network (PostgreSQL), whose server may go away while
  // this process runs. nullptr: /healthz answers for the process alone.
  app::Store* health_store = nullptr;

  // The ticket list's pages kept between changes (see PageCache); set by the wiring. nullptr:
  // every list request reads the store.
  PageCache* pages = nullptr;

  boost::asio::thread_pool& ReadPool() { return read_pool != nullptr ? *read_pool : db_pool; }
  boost::asio::thread_pool& CostlyPool() {
    return costly_pool != nullptr ? *costly_pool : hash_pool;
  }
};

// Runs the read `f` as a point read (see ApiContext::point_reads_inline): here, or on ReadPool().
// `f` follows Offload's rule: it captures by reference or trivial values only.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> PointRead(ApiContext& ctx, F f) {
  return http::OffloadUnless(ctx.point_reads_inline, ctx.ReadPool(), std::move(f));
}

// A handler that runs for an authenticated caller.
using AuthedHandler =
    std::function<boost::asio::awaitable<http::Response>(http::Request&, const app::Principal&)>;

// Wraps `h`: authenticates the caller (session cookie or Bearer token), enforces the CSRF token
// on cookie-authenticated writes, and answers 401/403 in the API's error shape otherwise.
http::Handler Authed(ApiContext& ctx, AuthedHandler h);

// The API error response for `e` (status from the one error table).
http::Response ErrorOf(const Error& e);

// The response for a use-case result: `status` with the JSON `to_json(value)`, or the mapped error.
// A codec that takes a boost::json::storage_ptr builds its JSON in an arena on this stack frame:
// one bump allocation per value and nothing to free one by one (a ticket's JSON took 60k
// instructions with malloc per value, 39k with the arena; callgrind, release build).
template <class T, class F>
http::Response Encode(const Result<T>& r, int status, F&& to_json) {
  if (!r) return ErrorOf(r.error());
  if constexpr (std::is_invocable_v<F, const T&, boost::json::storage_ptr>) {
    unsigned char arena[8192];
    boost::json::monotonic_resource mr(arena, sizeof arena);
    return http::Response::Json(status,
                                codec::Serialize(to_json(*r, boost::json::storage_ptr(&mr))));
  } else {
    return http::Response::Json(status, codec::Serialize(to_json(*r)));
  }
}

// A path parameter that names a thing by a positive integer id or number. Anything else is
// kNotFound with `prefix` + the text ("no ticket #" + "abc"): a path that cannot name a thing
// names no thing, exactly like a missing one.
Result<std::int64_t> PositiveId(std::string_view text, std::string_view prefix);

// The Content-Disposition value for a file download: `inline` or `attachment`, with the UTF-8
// file name encoded as RFC 5987 (filename*=UTF-8''…).
std::string ContentDisposition(bool shown_inline, std::string_view filename);

// Registers every /api/v1 route, /healthz and /metrics.
void RegisterApiRoutes(http::Router& router, ApiContext& ctx);

}  // namespace soporte::transport::api
