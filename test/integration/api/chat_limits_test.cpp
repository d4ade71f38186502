// The live chat's limits through the real binary (issue 13 step 4): the cap on waiting chats
// holds per client address (one address is refused with 429, reason chat_address_limit and
// Retry-After, while another still gets in); a waiting chat whose visitor has no socket open is
// closed as abandoned by the job, which frees the cap, and one whose visitor is connected is not;
// typing frames and read marks are throttled; a staff socket ends at logout and at deactivation;
// the wait alert of a chat nobody takes reaches the console stream of each agent on shift, once.
// The server trusts 127.0.0.1 as a proxy, so X-Forwarded-For names the visitor's address.
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "chat_ws_client.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kSite[] = "https://www.vendor.test";
constexpr char kPassword[] = "agent chat pass 1";

// The console's live stream (GET /api/v1/events, server-sent events) read raw, bounded.
class ConsoleStream {
 public:
  ConsoleStream(std::uint16_t port, const Auth& who) : socket_(ioc_) {
    namespace asio = boost::asio;
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const std::string req =
        "GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n"
        "Accept: text/event-stream\r\nCookie: soporte_session=" +
        who.session_cookie + "\r\n\r\n";
    asio::write(socket_, asio::buffer(req));
    socket_.non_blocking(true);
  }
  // Reads for up to `limit`, until `needle` arrived (true) or the limit passed (false).
  bool ReadUntil(std::string_view needle, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (text_.find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      char buf[4096];
      boost::system::error_code ec;
      const std::size_t n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec == boost::asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (ec) return false;
      text_.append(buf, n);
    }
    return true;
  }
  std::size_t Count(std::string_view needle) const {
    std::size_t n = 0;
    for (auto at = text_.find(needle); at != std::string::npos; at = text_.find(needle, at + 1))
      ++n;
    return n;
  }
  const std::string& text() const { return text_; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string text_;
};

class ChatLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.AddOrg("acme", "ACME");
    data_.AddContract("acme", "24x7");
    agent_id_ = data_.AddUser("andrea@vendor.test", "Andrea", "agent", "", kPassword);
    data_.AddUser("root@vendor.test", "Root", "admin", "", kPassword);
    data_.AddUser("bruno@vendor.test", "Bruno", "agent", "", kPassword);
    data_.AddUser("ana@acme.test", "Ana", "customer", "acme", kPassword);
    server_.emplace(ServerProcess::Start(
        data_.path(), {"--chat-origins", kSite, "--trusted-proxy", "127.0.0.1",
                       "--chat-max-waiting-per-address", "2", "--chat-abandon-seconds", "2",
                       "--chat-check-interval", "1", "--chat-wait-alert-seconds", "1"}));
    client_.emplace(server_->port());
  }
  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }
  HttpResponse Open(const std::string& from, const std::string& email) {
    return client_->Send("POST", "/api/v1/chats", {},
                         json::serialize(json::object{{"name", "Ana"}, {"email", email}}),
                         "application/json", {{"Origin", kSite}, {"X-Forwarded-For", from}});
  }
  std::pair<std::int64_t, std::string> Opened(const std::string& from, const std::string& email) {
    auto body = Expect(Open(from, email), 201, "open chat");
    return {Int(body["chat"].as_object(), "id"), Str(body, "token")};
  }
  // The state of chat `id` as the agent sees it ("" when it is no longer open).
  std::string StateOf(std::int64_t id, const Auth& agent) {
    auto list = Expect(client_->Get("/api/v1/chats", agent), 200, "chats");
    for (const auto& c : list["chats"].as_array())
      if (Int(c.as_object(), "id") == id) return Str(c.as_object(), "state");
    return "";
  }
  // Polls (bounded: 20 s) until `done` holds; the abandon job runs every second.
  template <class F>
  bool Eventually(F done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  std::string DeskOrigin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  DataDir data_;
  std::int64_t agent_id_ = 0;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
};

TEST_F(ChatLimitsTest, TheWaitingCapHoldsPerAddress) {
  Opened("203.0.113.7", "a1@acme.test");
  Opened("203.0.113.7", "a2@acme.test");
  auto third = Open("203.0.113.7", "a3@acme.test");
  ASSERT_EQ(third.status, 429) << third.Describe();
  EXPECT_EQ(third.Header("Retry-After"), "30");
  EXPECT_EQ(third.Header("Access-Control-Allow-Origin"), kSite);
  auto err = json::parse(third.body).as_object()["error"].as_object();
  EXPECT_EQ(Str(err, "code"), "rate_limited");
  EXPECT_EQ(Str(err, "reason"), "chat_address_limit");
  // Another visitor is not locked out by the first one.
  auto other = Open("203.0.113.8", "b1@acme.test");
  EXPECT_EQ(other.status, 201) << other.Describe();
}

TEST_F(ChatLimitsTest, AWaitingChatWhoseVisitorLeftIsAbandonedAndFreesTheCap) {
  auto agent = Login(*client_, "andrea@vendor.test", kPassword);
  // Chat a: the visitor never connects. Chat b: the visitor stays connected.
  auto [a, token_a] = Opened("203.0.113.9", "a@acme.test");
  auto [b, token_b] = Opened("203.0.113.9", "b@acme.test");
  WsClient visitor_b;
  ASSERT_EQ(visitor_b.Connect(server_->port(), kSite), 101);
  visitor_b.Send(Hello(b, token_b, 0));
  visitor_b.NextOf("ready");
  EXPECT_EQ(Open("203.0.113.9", "c@acme.test").status, 429);
  ASSERT_TRUE(Eventually([&] { return StateOf(a, agent).empty(); })) << "a never abandoned";
  // The connected visitor's chat still waits, well past the abandon time.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(StateOf(b, agent), "waiting");
  // The freed place takes a new chat from that address.
  EXPECT_EQ(Open("203.0.113.9", "c@acme.test").status, 201);
  // The abandoned chat says why to whoever reads it.
  auto messages = Expect(client_->Get("/api/v1/chats/" + std::to_string(a) + "/messages", agent),
                         200, "messages");
  ASSERT_EQ(messages["messages"].as_array().size(), 1u);
  EXPECT_EQ(Str(messages["messages"].as_array()[0].as_object(), "text"), "abandoned");
  // When b's visitor leaves, b is abandoned too.
  visitor_b.Drop();
  EXPECT_TRUE(Eventually([&] { return StateOf(b, agent).empty(); })) << "b never abandoned";
}

TEST_F(ChatLimitsTest, TypingAndReadMarksAreThrottled) {
  auto agent = Login(*client_, "andrea@vendor.test", kPassword);
  auto [id, token] = Opened("203.0.113.10", "a@acme.test");
  ASSERT_EQ(client_->Send("POST", "/api/v1/chats/" + std::to_string(id) + "/take", agent).status,
            200);
  WsClient desk;
  ASSERT_EQ(desk.Connect(server_->port(), DeskOrigin(), agent.session_cookie), 101);
  desk.Send(Hello(id, "", 0));
  desk.NextOf("ready");
  for (int i = 0; i < 3; ++i) {
    desk.Send(Say("mensaje " + std::to_string(i), "a-" + std::to_string(i)));
    desk.NextOf("ack");
  }
  WsClient visitor;
  ASSERT_EQ(visitor.Connect(server_->port(), kSite), 101);
  visitor.Send(Hello(id, token, 0));
  visitor.NextOf("ready");
  // Five typing frames at once reach the agent as one.
  for (int i = 0; i < 5; ++i) visitor.Send(json::object{{"type", "typing"}});
  visitor.Send(Say("hola", "v-1"));
  std::vector<json::object> before;
  desk.NextOf("message", &before);
  int typing = 0;
  for (const auto& f : before) typing += Str(f, "type") == "typing";
  EXPECT_EQ(typing, 1);
  // Read marks 1..4 at once: the first is stored now, the rest coalesce into one later write of
  // the highest, so the agent sees at most two read changes and ends at 4.
  for (int seq = 1; seq <= 4; ++seq) visitor.Send(json::object{{"type", "read"}, {"seq", seq}});
  std::vector<std::int64_t> reads;
  while (reads.empty() || reads.back() < 4) {
    auto f = desk.NextOf("state");
    reads.push_back(Int(f["chat"].as_object()["read"].as_object(), "visitor"));
  }
  EXPECT_LE(reads.size(), 2u);
  EXPECT_EQ(reads.back(), 4);
}

TEST_F(ChatLimitsTest, AStaffSocketEndsAtLogoutAndAtDeactivation) {
  auto [id, token] = Opened("203.0.113.11", "a@acme.test");
  (void)token;
  auto agent = Login(*client_, "andrea@vendor.test", kPassword);
  {
    WsClient desk;
    ASSERT_EQ(desk.Connect(server_->port(), DeskOrigin(), agent.session_cookie), 101);
    desk.Send(Hello(id, "", 0));
    desk.NextOf("ready");
    ASSERT_EQ(client_->Delete("/api/v1/session", agent).status, 204);
    EXPECT_FALSE(desk.Next());  // closed by the server
  }
  agent = Login(*client_, "andrea@vendor.test", kPassword);
  auto root = Login(*client_, "root@vendor.test", kPassword);
  WsClient desk;
  ASSERT_EQ(desk.Connect(server_->port(), DeskOrigin(), agent.session_cookie), 101);
  desk.Send(Hello(id, "", 0));
  desk.NextOf("ready");
  auto off = client_->Patch("/api/v1/users/" + std::to_string(agent_id_),
                            json::object{{"active", false}}, root);
  ASSERT_EQ(off.status, 200) << off.Describe();
  EXPECT_FALSE(desk.Next());
}

TEST_F(ChatLimitsTest, AChatNobodyTakesAlertsTheConsolesOfTheAgentsOnShiftOnce) {
  auto andrea = Login(*client_, "andrea@vendor.test", kPassword);
  auto bruno = Login(*client_, "bruno@vendor.test", kPassword);
  auto customer = Login(*client_, "ana@acme.test", kPassword);
  ConsoleStream a(server_->port(), andrea), b(server_->port(), bruno), c(server_->port(), customer);
  ASSERT_TRUE(a.ReadUntil(": connected", std::chrono::seconds(10))) << a.text();
  ASSERT_TRUE(b.ReadUntil(": connected", std::chrono::seconds(10))) << b.text();
  ASSERT_TRUE(c.ReadUntil(": connected", std::chrono::seconds(10))) << c.text();
  auto [id, token] = Opened("203.0.113.12", "v@acme.test");
  // The visitor stays (a chat with nobody on it would be abandoned after 2 s, before the alert).
  WsClient visitor;
  ASSERT_EQ(visitor.Connect(server_->port(), kSite), 101);
  visitor.Send(Hello(id, token, 0));
  visitor.NextOf("ready");
  const std::string nudge = "{\"number\":" + std::to_string(id) + ",\"what\":\"chat_waiting\"}";
  // The chat-wait job runs every 5 s; the alert is due 1 s after the open.
  ASSERT_TRUE(a.ReadUntil(nudge, std::chrono::seconds(20))) << a.text();
  ASSERT_TRUE(b.ReadUntil(nudge, std::chrono::seconds(10))) << b.text();
  // Once: a few more runs of the job add nothing; a customer never hears of it.
  (void)a.ReadUntil("never", std::chrono::seconds(11));
  EXPECT_EQ(a.Count(nudge), 1u) << a.text();
  EXPECT_EQ(b.Count("chat_waiting"), 1u) << b.text();
  (void)c.ReadUntil("chat_waiting", std::chrono::seconds(1));
  EXPECT_EQ(c.Count("chat_waiting"), 0u) << c.text();
}

}  // namespace
}  // namespace soporte::test
