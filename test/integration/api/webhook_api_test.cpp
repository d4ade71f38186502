// Webhooks through the real binary (issue 12, parts 5, 8, 9): `soporte serve` with a 1-second
// delivery interval and a receiver on loopback in this test. The receiver checks every signature
// (HMAC-SHA256 of the exact body under the secret, computed here with libsodium), answers 500 to
// its first request and 204 after, and records every delivery id: the failed delivery comes again
// with the same id, nothing is delivered twice once accepted, an internal note arrives marked
// internal, and the admin sees each subscription's deliveries with status, attempts and error.
// Bad input (a URL that is not http(s), an unknown event, an empty list, no secret) is a 400
// naming the field; an agent or a customer gets 403; the secret is never returned.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sodium.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "webhook admin pass 1";
constexpr char kSecret[] = "receiver-shared-secret-42";

std::string Hmac(const std::string& key, const std::string& body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string("sha256=") + hex;
}

struct Received {
  std::string event, delivery, signature, body;
  int answered = 0;
};

// A one-connection-at-a-time HTTP/1.1 receiver on 127.0.0.1 (port 0). Answers the first
// `fail_first` requests with 500, the rest with 204, and closes each connection.
class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0)
      throw std::runtime_error("receiver: cannot listen");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~Receiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }

  // Waits (at most `seconds`) until `pred(requests)` holds; returns the requests then.
  template <class P>
  std::vector<Received> WaitFor(P pred, int seconds = 30) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(seconds), [&] { return pred(got_); });
    return got_;
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      Serve(c);
      ::close(c);
    }
  }
  void Serve(int c) {
    std::string in;
    char buf[4096];
    std::size_t header_end = std::string::npos, need = 0;
    while (true) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return;
      const ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) return;
      in.append(buf, static_cast<std::size_t>(n));
      if (header_end == std::string::npos) {
        header_end = in.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        need = header_end + 4 +
               static_cast<std::size_t>(std::stoul(Header(in, "content-length", "0")));
      }
      if (in.size() >= need) break;
    }
    Received r{Header(in, "x-soporte-event"), Header(in, "x-soporte-delivery"),
               Header(in, "x-soporte-signature"), in.substr(header_end + 4, need - header_end - 4)};
    int status = 204;
    {
      std::lock_guard lock(mu_);
      status = static_cast<int>(got_.size()) < fail_first_ ? 500 : 204;
    }
    r.answered = status;
    const std::string out = status == 500 ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
                                            "4\r\nConnection: close\r\n\r\ndown"
                                          : "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    (void)!::write(c, out.data(), out.size());
    {
      std::lock_guard lock(mu_);
      got_.push_back(std::move(r));
    }
    cv_.notify_all();
  }
  static std::string Header(const std::string& msg, const std::string& name,
                            std::string dflt = "") {
    std::size_t pos = 0;
    const std::size_t end = msg.find("\r\n\r\n");
    while ((pos = msg.find("\r\n", pos)) != std::string::npos && pos < end) {
      pos += 2;
      const std::size_t colon = msg.find(':', pos);
      const std::size_t eol = msg.find("\r\n", pos);
      if (colon == std::string::npos || colon > eol) continue;
      std::string key = msg.substr(pos, colon - pos);
      for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (key == name) {
        std::size_t v = colon + 1;
        while (v < eol && msg[v] == ' ') ++v;
        return msg.substr(v, eol - v);
      }
    }
    return dflt;
  }

  int fd_ = -1, port_ = 0, fail_first_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> got_;
};

class WebhookApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    data_.emplace();
    data_->AddOrg("acme", "ACME S.A.");
    data_->AddContract("acme", "24x7");
    data_->AddUser("root@example.com", "Raíz", "admin", "", kPassword);
    data_->AddUser("agent@example.com", "Andrea Agente", "agent", "", kPassword);
    data_->AddUser("carla@acme.example.com", "Carla", "customer", "acme", kPassword);
    root_ = Auth::Bearer(data_->CreateToken("root@example.com"));
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    carla_ = Auth::Bearer(data_->CreateToken("carla@acme.example.com"));
    server_.emplace(
        ServerProcess::Start(data_->path(), {"--webhook-interval", "1", "--webhook-allow-private",
                                             "--webhook-first-retry-seconds", "1"}));
    client_.emplace(server_->port());
  }
  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }
  HttpClient& c() { return *client_; }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth root_, agent_, carla_;
};

TEST_F(WebhookApiTest, BadInputIsA400NamingTheFieldAndOnlyAdminsManageWebhooks) {
  struct Case {
    json::object body;
    std::string starts;
  };
  const std::vector<Case> cases{
      {{{"url", "ftp://h.example.com/"},
        {"events", json::array{"ticket.created"}},
        {"secret", kSecret}},
       "url"},
      {{{"url", "https://h.example.com/"},
        {"events", json::array{"ticket.gone"}},
        {"secret", kSecret}},
       "events"},
      {{{"url", "https://h.example.com/"}, {"events", json::array{}}, {"secret", kSecret}},
       "events"},
      {{{"url", "https://h.example.com/"}, {"secret", kSecret}}, "events"},
      {{{"url", "https://h.example.com/"}, {"events", json::array{"ticket.created"}}}, "secret"},
      {{{"events", json::array{"ticket.created"}}, {"secret", kSecret}}, "url"},
      {{{"url", "https://h.example.com/"}, {"events", "ticket.created"}, {"secret", kSecret}},
       "events"},
  };
  for (const auto& k : cases) {
    HttpResponse r = c().Post("/api/v1/webhooks", k.body, root_);
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "invalid_argument") << r.Describe();
    const std::string message(r.Json().at("error").at("message").as_string());
    EXPECT_EQ(message.rfind(k.starts, 0), 0u) << message;
  }
  const json::object good{{"url", "https://h.example.com/"},
                          {"events", json::array{"ticket.created"}},
                          {"secret", kSecret}};
  EXPECT_EQ(c().Post("/api/v1/webhooks", good, agent_).status, 403);
  EXPECT_EQ(c().Post("/api/v1/webhooks", good, carla_).status, 403);
  EXPECT_EQ(c().Get("/api/v1/webhooks", agent_).status, 403);
  EXPECT_EQ(c().Get("/api/v1/webhooks", carla_).status, 403);
  EXPECT_TRUE(
      Expect(c().Get("/api/v1/webhooks", root_), 200, "list").at("webhooks").as_array().empty());

  json::object made = Expect(c().Post("/api/v1/webhooks", good, root_), 201, "subscribe");
  EXPECT_FALSE(made.contains("secret"));
  HttpResponse list = c().Get("/api/v1/webhooks", root_);
  EXPECT_EQ(list.body.find(kSecret), std::string::npos) << "the secret is write-only";
  const std::string path = "/api/v1/webhooks/" + std::to_string(Int(made, "id"));
  EXPECT_EQ(c().Delete(path, agent_).status, 403);
  EXPECT_EQ(c().Delete(path, root_).status, 200);
  EXPECT_EQ(c().Delete(path, root_).status, 404);
}

TEST_F(WebhookApiTest, SignedDeliveriesAreRetriedUnderTheSameIdAndNeverDuplicated) {
  Receiver receiver(/*fail_first=*/1);
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  json::object hook =
      Expect(c().Post("/api/v1/webhooks",
                      json::object{{"url", url},
                                   {"events", json::array{"ticket.created", "ticket.message"}},
                                   {"secret", kSecret}},
                      root_),
             201, "subscribe");
  const std::int64_t hook_id = Int(hook, "id");

  json::object t = Expect(c().Post("/api/v1/tickets",
                                   json::object{{"org", "acme"},
                                                {"type", "incident"},
                                                {"criticality", "critical"},
                                                {"channel", "phone"},
                                                {"subject", "Caída total"}},
                                   agent_),
                          201, "ticket");
  const std::int64_t number = Int(t, "number");
  Expect(
      c().Post("/api/v1/tickets/" + std::to_string(number) + "/messages",
               json::object{{"body", "Nota: revisar el balanceador"}, {"internal", true}}, agent_),
      201, "internal note");

  // created (500, then again), message: three requests, two accepted.
  auto got = receiver.WaitFor([](const std::vector<Received>& r) {
    int ok = 0;
    for (const auto& x : r) ok += x.answered == 204;
    return ok >= 2;
  });
  ASSERT_GE(got.size(), 3u) << server_->output();
  EXPECT_EQ(got[0].answered, 500);
  std::map<std::string, int> accepted;
  std::map<std::string, std::string> event_of;
  for (const auto& r : got) {
    EXPECT_EQ(r.signature, Hmac(kSecret, r.body)) << "signature of " << r.event;
    EXPECT_NE(r.signature, Hmac("another secret", r.body));
    const auto body = json::parse(r.body).as_object();
    EXPECT_EQ(body.at("delivery_id").as_string(), r.delivery) << "the body names its delivery id";
    EXPECT_EQ(body.at("event").as_string(), r.event);
    EXPECT_EQ(body.at("ticket").at("number").as_int64(), number);
    if (r.answered == 204) ++accepted[r.delivery];
    event_of[r.delivery] = r.event;
    if (r.event == "ticket.message") {
      EXPECT_TRUE(body.at("message").at("internal").as_bool());
      EXPECT_EQ(body.at("message").at("visibility").as_string(), "internal");
      EXPECT_EQ(body.at("message").at("body").as_string(), "Nota: revisar el balanceador");
    }
  }
  // The first (failed) request came again with the same delivery id and was then accepted.
  EXPECT_EQ(accepted[got[0].delivery], 1);
  EXPECT_EQ(event_of[got[0].delivery], "ticket.created");
  ASSERT_EQ(accepted.size(), 2u);
  for (const auto& [id, n] : accepted) EXPECT_EQ(n, 1) << "delivered once: " << id;

  // The admin's view: both delivered, the created one in 2 attempts after an HTTP 500. The
  // outcome is recorded just after the receiver answers: wait (bounded) until it is.
  json::array deliveries;
  for (int i = 0; i < 100; ++i) {
    deliveries =
        Expect(c().Get("/api/v1/webhooks/" + std::to_string(hook_id) + "/deliveries", root_), 200,
               "deliveries")
            .at("deliveries")
            .as_array();
    const bool all_recorded = std::all_of(deliveries.begin(), deliveries.end(), [](const auto& d) {
      return d.at("state").as_string() == "delivered";
    });
    if (all_recorded) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(deliveries.size(), 2u);
  for (const auto& d : deliveries) {
    EXPECT_EQ(d.at("state").as_string(), "delivered") << json::serialize(d);
    EXPECT_EQ(d.at("last_status").as_int64(), 204);
    if (d.at("event").as_string() == "ticket.created") {
      EXPECT_EQ(d.at("attempts").as_int64(), 2);
    }
  }
  json::object view =
      Expect(c().Get("/api/v1/webhooks/" + std::to_string(hook_id), root_), 200, "hook");
  EXPECT_EQ(view.at("deliveries").at("delivered").as_int64(), 2);

  // Two more intervals: nothing is sent again.
  const std::size_t before = got.size();
  auto later =
      receiver.WaitFor([before](const std::vector<Received>& r) { return r.size() > before; }, 3);
  EXPECT_EQ(later.size(), before) << "a delivered webhook is never sent again";
}

TEST_F(WebhookApiTest, AReceiverThatIsDownIsRetriedFailedAndRetriedByAnAdmin) {
  server_->Stop();
  server_.emplace(ServerProcess::Start(
      data_->path(), {"--webhook-interval", "1", "--webhook-allow-private",
                      "--webhook-first-retry-seconds", "1", "--webhook-max-attempts", "2"}));
  client_.emplace(server_->port());
  // A port nothing listens on: the connection is refused.
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&a), &len);
  const int dead_port = ntohs(a.sin_port);
  ::close(probe);
  json::object hook =
      Expect(c().Post("/api/v1/webhooks",
                      json::object{{"url", "http://127.0.0.1:" + std::to_string(dead_port) + "/"},
                                   {"events", json::array{"ticket.created"}},
                                   {"secret", kSecret}},
                      root_),
             201, "subscribe");
  Expect(c().Post("/api/v1/tickets",
                  json::object{{"org", "acme"},
                               {"type", "incident"},
                               {"criticality", "normal"},
                               {"channel", "phone"},
                               {"subject", "Nadie escucha"}},
                  agent_),
         201, "ticket");
  const std::string path = "/api/v1/webhooks/" + std::to_string(Int(hook, "id")) + "/deliveries";
  json::value failed;
  for (int i = 0; i < 300; ++i) {  // bounded: 30 s
    json::array d = Expect(c().Get(path, root_), 200, "deliveries").at("deliveries").as_array();
    if (!d.empty() && d[0].at("state").as_string() == "failed") {
      failed = d[0];
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(failed.is_object()) << server_->output();
  EXPECT_EQ(failed.at("attempts").as_int64(), 2);
  EXPECT_TRUE(failed.at("last_status").is_null());
  EXPECT_FALSE(failed.at("last_error").as_string().empty());

  const std::string retry =
      "/api/v1/webhook-deliveries/" + std::to_string(Int(failed, "id")) + "/retry";
  EXPECT_EQ(c().Post(retry, json::object{}, agent_).status, 403);
  json::object again = Expect(c().Post(retry, json::object{}, root_), 200, "retry");
  EXPECT_EQ(again.at("state").as_string(), "pending");
  EXPECT_EQ(again.at("delivery_id").as_string(), failed.at("delivery_id").as_string());
}

}  // namespace
}  // namespace soporte::test
