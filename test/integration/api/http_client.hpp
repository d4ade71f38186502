// A small synchronous HTTP/1.1 client for the integration tests: one keep-alive connection to
// the soporte server on loopback (Beast), explicit credentials per request (a session cookie with
// its CSRF token, or a Bearer token), and JSON helpers (Boost.JSON). Not a general client: it
// speaks only what the tests need and fails loudly (exceptions) on transport errors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace soporte::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Who is calling. Empty = anonymous. A session sends its cookie, and its CSRF token on writes
// only when `send_csrf` is true (tests turn it off to check the 403).
struct Auth {
  std::string session_cookie;  // value of soporte_session
  std::string csrf_token;
  std::string bearer;
  bool send_csrf = true;

  static Auth Bearer(std::string token) {
    Auth a;
    a.bearer = std::move(token);
    return a;
  }
  Auth WithoutCsrf() const {
    Auth a = *this;
    a.send_csrf = false;
    return a;
  }
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // First header named `name` (case-insensitive); "" when absent.
  std::string Header(std::string_view name) const;
  // Every header named `name`, in order.
  std::vector<std::string> AllHeaders(std::string_view name) const;
  // The body parsed as JSON; throws std::runtime_error (with the body) when it is not JSON.
  boost::json::value Json() const;
  // error.code of an error body, or "" when the body is not the API's error shape.
  std::string ErrorCode() const;
  std::string ErrorMessage() const;
  // "STATUS BODY" for assertion messages.
  std::string Describe() const;
};

// One part of a multipart/form-data body.
struct FormPart {
  std::string name;
  std::string filename;      // empty: a plain field (no filename parameter)
  std::string content_type;  // empty: no Content-Type header on the part
  std::string data;
};

// Returns {content-type header value, body} for `parts`.
std::pair<std::string, std::string> BuildMultipart(const std::vector<FormPart>& parts);

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sends one request and reads the answer. Reuses the open connection when the server kept it
  // alive; opens a new one otherwise. When the server answers early and closes while the body
  // is still being sent (413, 404 before an upload), the answer is still returned.
  // Throws std::runtime_error on connection failures or after 60 s without an answer.
  HttpResponse Send(std::string_view method, std::string_view target, const Auth& auth = {},
                    std::string body = {}, std::string content_type = {}, const Headers& extra = {});

  HttpResponse Get(std::string_view target, const Auth& auth = {}, const Headers& extra = {}) {
    return Send("GET", target, auth, {}, {}, extra);
  }
  HttpResponse Delete(std::string_view target, const Auth& auth = {}) {
    return Send("DELETE", target, auth);
  }
  HttpResponse Post(std::string_view target, const boost::json::value& body, const Auth& auth = {});
  HttpResponse Patch(std::string_view target, const boost::json::value& body, const Auth& auth = {});

  // How many TCP connections this client has opened (keep-alive checks).
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Logs in with POST /api/v1/session and returns the session cookie and CSRF token. Fails the
// calling test (ADD_FAILURE) and returns an empty Auth when the login is refused.
Auth Login(HttpClient& client, std::string_view email, std::string_view password);

}  // namespace soporte::test
