// libFuzzer target for what a request line and its headers carry besides the body (DESIGN.md:
// every parser of outside input has one). The first input byte picks the parser ('a' + index as
// in kParsers below, any other byte modulo the count); the rest is the text:
//   a query string → ParseQueryString, then the ticket list (with its search `q`: the domain
//     parser every user query goes through), SLA preview and audit log queries
//   b path → the router's segment trie (the API's own route table), PositiveId on its parameters
//   c Cookie header → ParseCookies and FindCookie, which must agree
//   d "name=value" → BuildSetCookie; what it accepts comes back from FindCookie unchanged
//   e Accept-Language → i18n::FromAcceptLanguage, ParseLang, PreferredLang
//   f Content-Type → BoundaryFromContentType
//   g ticket list cursor → ParseCursor; CursorText of what it accepts parses to the same cursor
//   h percent-encoded text → PercentDecode, PositiveId
// Checked: no crash, no sanitizer report, no leak; a failure always carries a message; the
// router's answers are consistent with its table.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "transport/api/api_context.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/query_codec.hpp"
#include "transport/http/cookie.hpp"
#include "transport/http/multipart.hpp"
#include "transport/http/router.hpp"
#include "transport/i18n/catalog.hpp"

namespace {

using soporte::fuzz::CheckError;

using namespace soporte;
namespace api = soporte::transport::api;
namespace http = soporte::transport::http;
using http::Verb;

void Query(std::string_view text) {
  http::Request rq;
  if (!http::ParseQueryString(text, rq.query_params)) return;
  CheckError(api::ParseListQuery(rq));
  CheckError(api::ParsePreview(rq));
  CheckError(api::ParseAuditQuery(rq));
}

// The API's route table (transport/api/*_handlers.cpp) plus the UI's fixed paths.
const http::Router& Routes() {
  static const http::Router* router = [] {
    auto* r = new http::Router();
    auto h = [](http::Request&) { return boost::asio::awaitable<http::Response>{}; };
    const std::pair<Verb, const char*> kRoutes[] = {
        {Verb::kGet, "/"}, {Verb::kGet, "/ui/index.html"}, {Verb::kGet, "/ui/js/app.js"},
        {Verb::kPost, "/api/v1/login"}, {Verb::kPost, "/api/v1/logout"}, {Verb::kGet, "/api/v1/me"},
        {Verb::kDelete, "/api/v1/calendars/{id}/closures/{date}"},
        {Verb::kDelete, "/api/v1/orgs/{slug}/profile/{kinds}/{id}"},
        {Verb::kGet, "/api/v1/calendars"}, {Verb::kGet, "/api/v1/calendars/{id}"}, {Verb::kGet, "/api/v1/events"},
        {Verb::kGet, "/api/v1/inbound"}, {Verb::kGet, "/api/v1/inbound/{id}"},
        {Verb::kGet, "/api/v1/inbound/{id}/files/{index}"}, {Verb::kGet, "/api/v1/inbound/{id}/raw"},
        {Verb::kGet, "/api/v1/orgs"}, {Verb::kGet, "/api/v1/orgs/{slug}"}, {Verb::kGet, "/api/v1/orgs/{slug}/contracts"},
        {Verb::kGet, "/api/v1/orgs/{slug}/profile"}, {Verb::kGet, "/api/v1/orgs/{slug}/profile/history"},
        {Verb::kGet, "/api/v1/orgs/{slug}/profile/reveals"}, {Verb::kGet, "/api/v1/outbox/failed"},
        {Verb::kGet, "/api/v1/settings"}, {Verb::kGet, "/api/v1/sla/preview"}, {Verb::kGet, "/api/v1/tickets"},
        {Verb::kGet, "/api/v1/tickets/{number}"}, {Verb::kGet, "/api/v1/tickets/{number}/attachments"},
        {Verb::kGet, "/api/v1/tickets/{number}/history"}, {Verb::kGet, "/api/v1/tickets/{number}/messages"},
        {Verb::kGet, "/api/v1/tickets/{number}/sla"}, {Verb::kGet, "/api/v1/users"},
        {Verb::kPatch, "/api/v1/orgs/{slug}/contracts/{id}"}, {Verb::kPatch, "/api/v1/tickets/{number}"},
        {Verb::kPost, "/api/v1/calendars"}, {Verb::kPost, "/api/v1/calendars/{id}/closures"},
        {Verb::kPost, "/api/v1/inbound/{id}/actions"}, {Verb::kPost, "/api/v1/orgs"},
        {Verb::kPost, "/api/v1/orgs/{slug}/contracts"}, {Verb::kPost, "/api/v1/orgs/{slug}/profile/secrets/{id}/reveal"},
        {Verb::kPost, "/api/v1/orgs/{slug}/profile/{kinds}"}, {Verb::kPost, "/api/v1/outbox/{id}/retry"},
        {Verb::kPost, "/api/v1/password-reset"}, {Verb::kPost, "/api/v1/password-reset/confirm"},
        {Verb::kPost, "/api/v1/tickets"}, {Verb::kPost, "/api/v1/tickets/{number}/calls"},
        {Verb::kPost, "/api/v1/tickets/{number}/messages"}, {Verb::kPost, "/api/v1/users"},
        {Verb::kPut, "/api/v1/calendars/{id}"}, {Verb::kPut, "/api/v1/orgs/{slug}/profile/{kinds}/{id}"},
        {Verb::kPut, "/api/v1/settings"}};
    for (const auto& [verb, pattern] : kRoutes) r->Add(verb, pattern, h);
    return r;
  }();
  return *router;
}

void Path(std::string_view path) {
  for (Verb verb : {Verb::kGet, Verb::kHead, Verb::kPost, Verb::kPut, Verb::kPatch, Verb::kDelete, Verb::kOptions}) {
    std::vector<std::pair<std::string_view, std::string>> params;
    const http::RouteMatch m = Routes().Match(verb, path, params);
    switch (m.kind) {
      case http::RouteMatch::Kind::kFound:
        if (m.route == nullptr || params.size() != m.route->param_names.size()) __builtin_trap();
        for (std::size_t i = 0; i < params.size(); ++i) {
          if (params[i].first != m.route->param_names[i]) __builtin_trap();
          CheckError(api::PositiveId(params[i].second, "no id "));
        }
        break;
      case http::RouteMatch::Kind::kMethodNotAllowed:
        if (m.allow.empty() || !params.empty()) __builtin_trap();
        break;
      case http::RouteMatch::Kind::kNotFound:
        if (!params.empty()) __builtin_trap();
        break;
    }
  }
}

void Cookies(std::string_view header) {
  const auto all = http::ParseCookies(header);
  for (const auto& [name, value] : all) {
    auto found = http::FindCookie(header, name);
    if (!found) __builtin_trap();
    // FindCookie returns the first cookie of that name.
    for (const auto& [n, v] : all) {
      if (n == name) {
        if (*found != v) __builtin_trap();
        break;
      }
    }
  }
}

void SetCookie(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) return;
  http::SetCookie c{.name = std::string(text.substr(0, eq)), .value = std::string(text.substr(eq + 1))};
  auto built = http::BuildSetCookie(c);
  CheckError(built);
  if (!built) return;
  // The browser sends back "name=value": the server must read the same value.
  const std::string header = c.name + "=" + c.value;
  auto back = http::FindCookie(header, c.name);
  if (!back || *back != c.value) __builtin_trap();
}

void AcceptLanguage(std::string_view header) {
  (void)transport::i18n::FromAcceptLanguage(header);
  (void)transport::i18n::ParseLang(header);
  const std::string lang = api::PreferredLang(header);
  if (lang != "es" && lang != "en") __builtin_trap();
}

void ContentType(std::string_view header) { CheckError(http::BoundaryFromContentType(header)); }

void Cursor(std::string_view text) {
  auto c = api::codec::ParseCursor(std::string(text));
  CheckError(c);
  if (!c) return;
  auto again = api::codec::ParseCursor(api::codec::CursorText(*c));
  if (!again || *again != *c) __builtin_trap();
}

void Percent(std::string_view text) {
  const std::string decoded = http::PercentDecode(text);
  if (decoded.size() > text.size()) __builtin_trap();
  CheckError(api::PositiveId(decoded, "no ticket #"));
}

constexpr soporte::fuzz::Parser kParsers[] = {Query, Path, Cookies, SetCookie, AcceptLanguage, ContentType, Cursor, Percent};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return soporte::fuzz::Dispatch(kParsers, data, size);
}
