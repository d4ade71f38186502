// The live event stream (GET /api/v1/events) through the real binary: one person cannot hold
// every stream (issue 16, part 1), and a logout ends the streams of that session at once, with
// an `event: logout` the page acts on.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "api_fixture.hpp"

namespace soporte::test {
namespace {

using namespace api;  // NOLINT(google-build-using-namespace): the shared fixture
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A raw SSE reader: sends the request, then reads what arrives.
class LiveStream {
 public:
  LiveStream(std::uint16_t port, const Auth& who) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    std::string req =
        "GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n";
    if (!who.bearer.empty()) req += "Authorization: Bearer " + who.bearer + "\r\n";
    if (!who.session_cookie.empty())
      req += "Cookie: soporte_session=" + who.session_cookie + "\r\n";
    req += "\r\n";
    asio::write(socket_, asio::buffer(req));
  }
  // Reads until `needle` has arrived or the peer closed (true when found).
  bool ReadUntil(std::string_view needle, std::chrono::seconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (text_.find(needle) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline || closed_) return false;
      char buf[4096];
      boost::system::error_code ec;
      socket_.non_blocking(true);
      const std::size_t n = socket_.read_some(asio::buffer(buf), ec);
      if (ec == asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (ec) {
        closed_ = true;
        continue;
      }
      text_.append(buf, n);
    }
    return true;
  }
  // True when the server ended the stream (chunked end or connection closed) within `limit`.
  bool Ended(std::chrono::seconds limit = std::chrono::seconds(10)) {
    ReadUntil("0\r\n\r\n", limit);
    return closed_ || text_.find("0\r\n\r\n") != std::string::npos;
  }
  const std::string& text() const { return text_; }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  std::string text_;
  bool closed_ = false;
};

TEST_F(ApiTest, OnePersonCannotHoldEveryLiveStreamAndLogoutEndsItsOwn) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  std::vector<std::unique_ptr<LiveStream>> tabs;
  for (int i = 0; i < 8; ++i) {
    tabs.push_back(std::make_unique<LiveStream>(server_->port(), alice));
    ASSERT_TRUE(tabs.back()->ReadUntil(": connected")) << i << ": " << tabs.back()->text();
  }
  LiveStream ninth(server_->port(), alice);
  ASSERT_TRUE(ninth.ReadUntil("\r\n\r\n")) << ninth.text();
  EXPECT_NE(ninth.text().find("HTTP/1.1 429"), std::string::npos) << ninth.text();
  EXPECT_NE(ninth.text().find("rate_limited"), std::string::npos) << ninth.text();
  // Staff still get their stream.
  LiveStream staff(server_->port(), agent_);
  EXPECT_TRUE(staff.ReadUntil(": connected")) << staff.text();

  // Alice logs out: every stream of that session ends now, told why; staff's goes on.
  HttpResponse out = c().Delete("/api/v1/session", alice);
  ASSERT_EQ(out.status, 204) << out.Describe();
  for (auto& tab : tabs) {
    EXPECT_TRUE(tab->ReadUntil("event: logout")) << tab->text();
    EXPECT_TRUE(tab->Ended()) << tab->text();
  }
  Expect(c().Post("/api/v1/tickets",
                  json::object{{"org", "acme"},
                               {"type", "incident"},
                               {"criticality", "normal"},
                               {"subject", "Sigue vivo"}},
                  agent_),
         201, "create");
  EXPECT_TRUE(staff.ReadUntil("event: ticket")) << staff.text();
}

}  // namespace
}  // namespace soporte::test
