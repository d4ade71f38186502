#include "transport/webhook/curl_webhook_sender.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>

#include <curl/curl.h>
#include <sodium.h>

#include "domain/webhook/webhook.hpp"
#include "transport/mail/curl_mail.hpp"

namespace soporte::transport::webhook {

namespace {

struct Refusal {
  bool allow_private = false;
  std::string refused;  // the address refused, for the error
};

// Discards the receiver's body (at most 64 KiB read; more ends the transfer, which is fine: the
// status line is what counts).
size_t Discard(char*, size_t size, size_t n, void* userdata) {
  auto* seen = static_cast<size_t*>(userdata);
  *seen += size * n;
  if (*seen > 64 * 1024) return 0;
  return size * n;
}

// CURLOPT_OPENSOCKETFUNCTION: refuses loopback, link-local and private addresses (SSRF) unless
// allowed; else opens the socket as curl would.
curl_socket_t OpenSocket(void* clientp, curlsocktype, struct curl_sockaddr* address) {
  auto* refusal = static_cast<Refusal*>(clientp);
  if (!refusal->allow_private) {
    char text[INET6_ADDRSTRLEN] = {0};
    if (address->family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (address->family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
      ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    } else {
      refusal->refused = "a non-IP address";
      return CURL_SOCKET_BAD;
    }
    if (domain::webhook::IsPrivateAddress(text)) {
      refusal->refused = text;
      return CURL_SOCKET_BAD;
    }
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string("sha256=") + hex;
}

Result<int> CurlWebhookSender::Post(const app::WebhookRequest& request) const {
  mail::InitCurl();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Fail(ErrorCode::kUnavailable, "curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add = [&headers](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  add("Content-Type: application/json; charset=utf-8");
  add("User-Agent: soporte-webhooks/1");
  add("X-Soporte-Event: " + request.event);
  add("X-Soporte-Delivery: " + request.delivery_id);
  add("X-Soporte-Signature: " + WebhookSignature(request.secret, request.body));
  add("Expect:");  // no 100-continue round trip
  if (!headers) return Fail(ErrorCode::kUnavailable, "out of memory building headers");

  Refusal refusal{options_.allow_private, {}};
  size_t seen = 0;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never through a proxy named by the environment
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &refusal);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status > 0) return static_cast<int>(status);  // an answer (a cut-short body is fine)
  if (!refusal.refused.empty()) {
    return Fail(ErrorCode::kUnavailable,
                "refused to connect to " + refusal.refused +
                    " (loopback, link-local or private; see --webhook-allow-private)");
  }
  return Fail(ErrorCode::kUnavailable, std::string(error[0] != 0 ? error : curl_easy_strerror(rc)));
}

}  // namespace soporte::transport::webhook
