#include "domain/webhook/webhook.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace soporte::domain::webhook {

namespace {

struct EventName {
  WebhookEvent event;
  std::string_view name;
};

constexpr std::array<EventName, 8> kEvents{{
    {WebhookEvent::kTicketCreated, "ticket.created"},
    {WebhookEvent::kTicketUpdated, "ticket.updated"},
    {WebhookEvent::kTicketMessage, "ticket.message"},
    {WebhookEvent::kSlaWarning, "sla.warning"},
    {WebhookEvent::kSlaBreached, "sla.breached"},
    {WebhookEvent::kPageSent, "page.sent"},
    {WebhookEvent::kPageAcknowledged, "page.acknowledged"},
    {WebhookEvent::kPageEscalated, "page.escalated"},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Error UrlError(std::string what) {
  return Error{ErrorCode::kInvalidArgument, "url " + std::move(what)};
}

// Parses a dotted IPv4 address into its four bytes; nullopt when not one.
std::optional<std::array<int, 4>> ParseIpv4(std::string_view s) {
  std::array<int, 4> out{};
  for (int i = 0; i < 4; ++i) {
    if (s.empty()) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || v < 0 || v > 255 || p == s.data()) return std::nullopt;
    out[i] = v;
    s.remove_prefix(static_cast<std::size_t>(p - s.data()));
    if (i < 3) {
      if (s.empty() || s.front() != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

bool PrivateIpv4(const std::array<int, 4>& a) {
  return a[0] == 127 || a[0] == 0 || a[0] == 10 || (a[0] == 172 && a[1] >= 16 && a[1] <= 31) ||
         (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
         (a[0] == 100 && a[1] >= 64 && a[1] <= 127);
}

}  // namespace

const std::vector<WebhookEvent>& AllWebhookEvents() {
  static const std::vector<WebhookEvent> all = [] {
    std::vector<WebhookEvent> v;
    for (const auto& e : kEvents) v.push_back(e.event);
    return v;
  }();
  return all;
}

std::string_view WebhookEventName(WebhookEvent e) {
  for (const auto& n : kEvents)
    if (n.event == e) return n.name;
  return "";
}

std::optional<WebhookEvent> ParseWebhookEvent(std::string_view name) {
  for (const auto& n : kEvents)
    if (n.name == name) return n.event;
  return std::nullopt;
}

std::string WebhookEventList() {
  std::string out;
  for (const auto& n : kEvents) {
    if (!out.empty()) out += ", ";
    out += n.name;
  }
  return out;
}

Result<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  if (url.empty()) return tl::make_unexpected(UrlError("is required"));
  if (url.size() > kMaxWebhookUrl) {
    return tl::make_unexpected(
        UrlError("is longer than " + std::to_string(kMaxWebhookUrl) + " characters"));
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f)
      return tl::make_unexpected(UrlError("must not contain spaces or control characters"));
  }
  const auto colon = url.find("://");
  if (colon == std::string_view::npos)
    return tl::make_unexpected(UrlError("must be an absolute http:// or https:// URL"));
  WebhookUrl out;
  out.scheme = Lower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    return tl::make_unexpected(UrlError("must use http or https (got '" + out.scheme + "')"));
  }
  std::string_view rest = url.substr(colon + 3);
  const auto end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos)
    return tl::make_unexpected(UrlError("must not carry a user name or password"));
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return tl::make_unexpected(UrlError("has a bad IPv6 host"));
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return tl::make_unexpected(UrlError("has a bad IPv6 host"));
      port = after.substr(1);
    }
  } else if (const auto c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty()) return tl::make_unexpected(UrlError("has no host"));
  out.host = Lower(host);
  if (!port.empty()) {
    int p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || ptr != port.data() + port.size() || p < 1 || p > 65535)
      return tl::make_unexpected(UrlError("has a bad port"));
    out.port = p;
  }
  return out;
}

bool IsPrivateAddress(std::string_view address) {
  std::string a = Lower(address);
  if (auto v4 = ParseIpv4(a)) return PrivateIpv4(*v4);
  if (a.find(':') == std::string::npos) return false;
  // IPv6: the forms that reach this machine or a private network.
  if (a == "::" || a == "::1" || a == "0:0:0:0:0:0:0:1" || a == "0:0:0:0:0:0:0:0") return true;
  for (std::string_view mapped : {"::ffff:", "0:0:0:0:0:ffff:"}) {
    if (a.rfind(mapped, 0) == 0) {
      if (auto v4 = ParseIpv4(std::string_view(a).substr(mapped.size()))) return PrivateIpv4(*v4);
      return true;  // a mapped address in hex form: refuse rather than decode every spelling
    }
  }
  const std::string_view first = std::string_view(a).substr(0, a.find(':'));
  if (first.size() == 4 && (first.substr(0, 2) == "fc" || first.substr(0, 2) == "fd")) return true;
  if (first.size() == 4 && first.substr(0, 2) == "fe" &&
      (first[2] == '8' || first[2] == '9' || first[2] == 'a' || first[2] == 'b'))
    return true;
  return false;
}

bool IsPrivateHost(std::string_view host) {
  std::string h = Lower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();  // "localhost." is localhost
  if (h == "localhost" || (h.size() > 10 && h.ends_with(".localhost"))) return true;
  return IsPrivateAddress(h);
}

Result<WebhookInput> CheckWebhook(WebhookInput in, bool allow_private) {
  SOPORTE_TRY(url, ParseWebhookUrl(in.url));
  if (!allow_private && IsPrivateHost(url.host)) {
    return Fail(ErrorCode::kInvalidArgument,
                "url names a loopback, link-local or private host (" + url.host +
                    "); the server refuses it unless started with --webhook-allow-private");
  }
  if (in.events.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "events must name at least one of " + WebhookEventList());
  }
  std::vector<bool> wanted(kEvents.size(), false);
  for (const std::string& name : in.events) {
    auto e = ParseWebhookEvent(name);
    if (!e) {
      return Fail(ErrorCode::kInvalidArgument,
                  "events: unknown event '" + name + "'; known: " + WebhookEventList());
    }
    wanted[static_cast<std::size_t>(*e)] = true;
  }
  std::vector<std::string> events;
  for (std::size_t i = 0; i < kEvents.size(); ++i)
    if (wanted[i]) events.emplace_back(kEvents[i].name);
  in.events = std::move(events);
  if (in.secret.empty()) return Fail(ErrorCode::kInvalidArgument, "secret is required");
  if (in.secret.size() < kMinWebhookSecret || in.secret.size() > kMaxWebhookSecret) {
    return Fail(ErrorCode::kInvalidArgument, "secret must be between " +
                                                 std::to_string(kMinWebhookSecret) + " and " +
                                                 std::to_string(kMaxWebhookSecret) + " bytes");
  }
  return in;
}

Seconds RetryDelay(const RetryPolicy& p, int attempts) {
  Seconds wait = p.first;
  for (int i = 1; i < attempts && wait < p.max; ++i) wait *= 2;
  return std::min(wait, p.max);
}

bool GivesUp(const RetryPolicy& p, int attempts) { return attempts >= p.max_attempts; }

bool Delivered(int http_status) { return http_status >= 200 && http_status <= 299; }

}  // namespace soporte::domain::webhook
