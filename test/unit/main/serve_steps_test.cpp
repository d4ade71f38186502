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

TEST(ServeStepsTest, TrustedProxiesAreCheckedAtStart) {
  ServeOptions o;
  o.trusted_proxies = {"127.0.0.1", "10.0.0.0/8"};
  auto limits = ServerLimitsOf(o);
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_TRUE(limits->trusted_proxies.Contains("10.2.3.4"));
  o.trusted_proxies.push_back("nginx.local");
  auto bad = CheckServeOptions(o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "--trusted-proxy: 'nginx.local' is not an IP address or a network (CIDR)");
}

}  // namespace
}  // namespace soporte::main
