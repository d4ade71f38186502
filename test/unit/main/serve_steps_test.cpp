// serve's decisions about /metrics (serve_steps.hpp): which listeners are loopback, and what a
// --metrics-token file's text gives.
#include "main/serve_steps.hpp"

#include <gtest/gtest.h>

namespace soporte::main {
namespace {

TEST(ServeStepsTest, LoopbackHosts) {
  for (const char* host :
       {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host :
       {"0.0.0.0", "::", "10.0.0.1", "192.168.1.5", "::ffff:10.0.0.1", "localhost", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(ServeStepsTest, MetricsTokenIsTheFirstLineTrimmed) {
  auto t = MetricsTokenOf("  0123456789abcdef \nsecond line\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, "0123456789abcdef");
  for (const char* bad : {"", "\n0123456789abcdef", "short", "0123456789abcde\n"}) {
    auto r = MetricsTokenOf(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace soporte::main
