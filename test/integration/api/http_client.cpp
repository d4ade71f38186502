#include "http_client.hpp"

#include <poll.h>

#include <sys/socket.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace soporte::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kDeadline = std::chrono::seconds(60);

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (SameName(k, name)) return v;
  return "";
}

std::vector<std::string> HttpResponse::AllHeaders(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (SameName(k, name)) out.push_back(v);
  return out;
}

json::value HttpResponse::Json() const {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) throw std::runtime_error("not JSON (" + ec.message() + "): " + Describe());
  return v;
}

std::string HttpResponse::ErrorCode() const {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto* e = v.as_object().if_contains("error");
  if (e == nullptr || !e->is_object()) return "";
  const auto* c = e->as_object().if_contains("code");
  if (c == nullptr || !c->is_string()) return "";
  return std::string(c->as_string());
}

std::string HttpResponse::ErrorMessage() const {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto* e = v.as_object().if_contains("error");
  if (e == nullptr || !e->is_object()) return "";
  const auto* m = e->as_object().if_contains("message");
  if (m == nullptr || !m->is_string()) return "";
  return std::string(m->as_string());
}

std::string HttpResponse::Describe() const {
  std::string shown = body.size() > 600 ? body.substr(0, 600) + "…" : body;
  return std::to_string(status) + " " + shown;
}

std::pair<std::string, std::string> BuildMultipart(const std::vector<FormPart>& parts) {
  std::mt19937_64 rng(std::random_device{}());
  const std::string boundary = "----soporte-test-" + std::to_string(rng());
  std::string body;
  for (const auto& p : parts) {
    body += "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n";
    body += p.data;
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, std::move(body)};
}

struct HttpClient::Impl {
  std::string host;
  std::uint16_t port;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  int opened = 0;

  // True when the kept-alive connection was closed by the server (readable with EOF or error).
  bool StaleConnection() {
    if (!stream || !stream->socket().is_open()) return true;
    pollfd pfd{stream->socket().native_handle(), POLLIN, 0};
    if (::poll(&pfd, 1, 0) <= 0) return false;  // nothing to read: still good
    char c;
    const auto n = ::recv(pfd.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n <= 0;  // EOF or error (unsolicited data would be a server bug; treat as stale too)
  }

  void Connect() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().close(ignored);
    }
    stream.emplace(ioc);
    buffer.clear();
    stream->expires_after(kDeadline);
    tcp::endpoint ep(asio::ip::make_address(host), port);
    beast::error_code ec;
    stream->socket().connect(ep, ec);
    if (ec) throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + ec.message());
    stream->socket().set_option(tcp::no_delay(true));
    ++opened;
  }

  // Runs `start` (which begins one async op whose handler stores its error), under the deadline.
  template <class Start>
  beast::error_code Run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    stream->expires_after(kDeadline);
    start([&result](beast::error_code ec, std::size_t) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }
};

HttpClient::HttpClient(std::uint16_t port, std::string host) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

int HttpClient::connections_opened() const { return impl_->opened; }

HttpResponse HttpClient::Send(std::string_view method, std::string_view target, const Auth& auth,
                              std::string body, std::string content_type, const Headers& extra) {
  Impl& m = *impl_;
  if (m.StaleConnection()) m.Connect();

  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, m.host + ":" + std::to_string(m.port));
  req.set(bhttp::field::user_agent, "soporte-integration-test");
  req.keep_alive(true);
  if (!auth.bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + auth.bearer);
  if (!auth.session_cookie.empty()) {
    req.set(bhttp::field::cookie, "soporte_session=" + auth.session_cookie);
    const bool write = method != "GET" && method != "HEAD";
    if (write && auth.send_csrf && !auth.csrf_token.empty()) req.set("X-CSRF-Token", auth.csrf_token);
  }
  for (const auto& [k, v] : extra) req.set(k, v);
  if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
  const bool has_body = !body.empty() || method == "POST" || method == "PATCH" || method == "PUT";
  req.body() = std::move(body);
  if (has_body) req.prepare_payload();

  const beast::error_code write_ec =
      m.Run([&](auto handler) { bhttp::async_write(*m.stream, req, handler); });
  if (write_ec == beast::error::timeout) throw std::runtime_error("timed out sending " + std::string(target));

  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256ull * 1024 * 1024);
  parser.header_limit(64 * 1024);
  parser.skip(method == "HEAD");  // no body follows a HEAD's answer, whatever Content-Length says
  const beast::error_code read_ec =
      m.Run([&](auto handler) { bhttp::async_read(*m.stream, m.buffer, parser, handler); });
  if (read_ec) {
    beast::error_code ignored;
    m.stream->socket().close(ignored);
    m.stream.reset();
    throw std::runtime_error(std::string(method) + " " + std::string(target) + ": no answer (" +
                             read_ec.message() + (write_ec ? "; write: " + write_ec.message() : "") + ")");
  }
  const auto& msg = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(msg.result_int());
  for (const auto& f : msg) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = msg.body();
  if (!msg.keep_alive() || write_ec) {
    beast::error_code ignored;
    m.stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    m.stream->socket().close(ignored);
    m.stream.reset();
  }
  return out;
}

HttpResponse HttpClient::Post(std::string_view target, const json::value& body, const Auth& auth) {
  return Send("POST", target, auth, json::serialize(body), "application/json");
}

HttpResponse HttpClient::Patch(std::string_view target, const json::value& body, const Auth& auth) {
  return Send("PATCH", target, auth, json::serialize(body), "application/json");
}

Auth Login(HttpClient& client, std::string_view email, std::string_view password) {
  HttpResponse r = client.Post("/api/v1/session", json::object{{"email", email}, {"password", password}});
  if (r.status != 200) {
    ADD_FAILURE() << "login as " << email << " refused: " << r.Describe();
    return {};
  }
  Auth a;
  for (const std::string& sc : r.AllHeaders("Set-Cookie")) {
    constexpr std::string_view kName = "soporte_session=";
    if (sc.rfind(kName, 0) != 0) continue;
    a.session_cookie = sc.substr(kName.size(), sc.find(';') - kName.size());
  }
  a.csrf_token = std::string(r.Json().at("csrf_token").as_string());
  if (a.session_cookie.empty()) ADD_FAILURE() << "login as " << email << " set no soporte_session cookie";
  return a;
}

}  // namespace soporte::test
