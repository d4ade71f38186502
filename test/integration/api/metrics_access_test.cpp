// Who may read GET /metrics (issue 16), through the real server: anyone when it listens on a
// loopback address; on any other listener only `Authorization: Bearer <token>` given by
// `serve --metrics-token FILE` (401 without it or with another), and nobody (404) without a
// token. The non-loopback listener is a real one, 0.0.0.0 on port 0; the client reaches it
// through 127.0.0.1, which shows that the listener, not the peer's address, decides.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"

namespace soporte::test {
namespace {

constexpr const char* kToken = "m3tr1cs-t0ken-0123456789abcdef";

ServerProcess Serve(const DataDir& data, const std::vector<std::string>& extra) {
  return ServerProcess::Start(data.path(), extra);
}

std::string TokenFile(const TempDir& dir, const std::string& text) {
  const std::string path = dir.path() + "/metrics.token";
  std::ofstream(path) << text;
  return path;
}

TEST(MetricsAccessTest, LoopbackListenerAnswersAnyone) {
  DataDir data;
  ServerProcess server = Serve(data, {"--listen", "127.0.0.1:0"});
  HttpClient c(server.port());
  HttpResponse m = c.Get("/metrics");
  ASSERT_EQ(m.status, 200) << m.Describe();
  EXPECT_NE(m.body.find("soporte_open_tickets"), std::string::npos);
}

TEST(MetricsAccessTest, OtherListenerWithoutTokenHidesMetrics) {
  DataDir data;
  ServerProcess server = Serve(data, {"--listen", "0.0.0.0:0"});
  HttpClient c(server.port());
  HttpResponse m = c.Get("/metrics");
  EXPECT_EQ(m.status, 404) << m.Describe();
  EXPECT_EQ(m.ErrorCode(), "not_found") << m.Describe();
  EXPECT_EQ(m.body.find("soporte_"), std::string::npos);
  EXPECT_EQ(c.Get("/healthz").status, 200);
}

TEST(MetricsAccessTest, OtherListenerAsksForTheBearerToken) {
  DataDir data;
  TempDir dir;
  ServerProcess server = Serve(data, {"--listen", "0.0.0.0:0", "--metrics-token",
                                      TokenFile(dir, std::string(kToken) + "\n")});
  HttpClient c(server.port());
  HttpResponse none = c.Get("/metrics");
  EXPECT_EQ(none.status, 401) << none.Describe();
  EXPECT_EQ(none.ErrorCode(), "unauthenticated") << none.Describe();
  EXPECT_TRUE(none.Header("WWW-Authenticate").starts_with("Bearer")) << none.Describe();
  EXPECT_EQ(none.body.find("soporte_"), std::string::npos);
  for (const std::string& wrong :
       {std::string("Bearer nope"), std::string("Bearer ") + kToken + "x",
        std::string("Basic ") + kToken}) {
    HttpResponse r = c.Get("/metrics", {}, {{"Authorization", wrong}});
    EXPECT_EQ(r.status, 401) << wrong << ": " << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "unauthenticated");
  }
  HttpResponse ok = c.Get("/metrics", {}, {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_EQ(ok.status, 200) << ok.Describe();
  EXPECT_NE(ok.body.find("soporte_open_tickets"), std::string::npos);
}

TEST(MetricsAccessTest, ShortOrMissingTokenFileIsRefusedAtStart) {
  DataDir data;
  TempDir dir;
  CommandResult short_token = RunSoporte({"serve", "--data", data.path(), "--listen", "127.0.0.1:0",
                                          "--metrics-token", TokenFile(dir, "short\n")});
  EXPECT_EQ(short_token.exit_code, 2) << short_token.Describe();
  EXPECT_NE(short_token.err.find("--metrics-token"), std::string::npos) << short_token.Describe();
  CommandResult missing = RunSoporte({"serve", "--data", data.path(), "--listen", "127.0.0.1:0",
                                      "--metrics-token", dir.path() + "/absent"});
  EXPECT_EQ(missing.exit_code, 2) << missing.Describe();
}

}  // namespace
}  // namespace soporte::test
