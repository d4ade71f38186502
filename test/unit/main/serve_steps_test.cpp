// serve's decisions (serve_steps.hpp): which listeners are loopback, what a --metrics-token
// file's text gives, the connection caps and the open-files limit they need.
#include "main/serve_steps.hpp"

#include <limits>

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

TEST(ServeStepsTest, ConnectionCapsByDefaultHoldTenThousandChatsAndCapEachAddress) {
  auto limits = ServerLimitsOf(ServeOptions{});
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_GE(limits->max_connections, 10000u + 1000u);  // 10,000 chats, the consoles, the API
  EXPECT_EQ(limits->max_connections_per_address, 256u);
}

TEST(ServeStepsTest, ConnectionCapsAreTheOptions) {
  ServeOptions o;
  o.max_connections = 20000;
  o.max_connections_per_address = 20000;  // one address may have them all (a test harness)
  auto limits = ServerLimitsOf(o);
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_EQ(limits->max_connections, 20000u);
  EXPECT_EQ(limits->max_connections_per_address, 20000u);
}

TEST(ServeStepsTest, ConnectionCapsOutOfRangeAreRefusedNamingTheOption) {
  struct Case {
    std::int64_t total, per_address;
    const char* message;
  };
  for (const Case& c : {
           Case{0, 1, "--max-connections must be between 1 and 1000000, not 0"},
           Case{-5, 1, "--max-connections must be between 1 and 1000000, not -5"},
           Case{1000001, 1, "--max-connections must be between 1 and 1000000, not 1000001"},
           Case{100, 0,
                "--max-connections-per-address must be between 1 and --max-connections (100), "
                "not 0"},
           Case{100, 101,
                "--max-connections-per-address must be between 1 and --max-connections (100), "
                "not 101"},
       }) {
    ServeOptions o;
    o.max_connections = c.total;
    o.max_connections_per_address = c.per_address;
    auto st = CheckServeOptions(o);
    ASSERT_FALSE(st) << c.total << " " << c.per_address;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(st.error().message, c.message);
  }
}

TEST(ServeStepsTest, FileLimitIsLeftAloneWhenTheSoftOneFits) {
  auto plan = PlanFileLimit(20000, 20000, 16384);
  EXPECT_EQ(plan.needed, 16384u + kFilesBesideConnections);
  EXPECT_FALSE(plan.raise_soft_to);
  EXPECT_EQ(plan.warning, "");
}

TEST(ServeStepsTest, FileLimitSoftIsRaisedToTheHardOne) {
  auto plan = PlanFileLimit(1024, 524288, 16384);  // systemd's defaults
  ASSERT_TRUE(plan.raise_soft_to);
  EXPECT_EQ(*plan.raise_soft_to, 524288u);
  EXPECT_EQ(plan.warning, "");
  const auto unlimited = std::numeric_limits<std::uint64_t>::max();
  plan = PlanFileLimit(1024, unlimited, 16384);
  ASSERT_TRUE(plan.raise_soft_to);
  EXPECT_EQ(*plan.raise_soft_to, 16384u + kFilesBesideConnections);
}

TEST(ServeStepsTest, FileLimitShortEvenWhenRaisedIsAWarningNamingTheNumbers) {
  auto plan = PlanFileLimit(1024, 4096, 16384);
  ASSERT_TRUE(plan.raise_soft_to);
  EXPECT_EQ(*plan.raise_soft_to, 4096u);  // as many as it may have
  EXPECT_EQ(plan.warning,
            "the open-files limit (RLIMIT_NOFILE) is 4096 at most, but --max-connections 16384 "
            "needs 17408 (1024 beside the connections): connections past about 3072 will fail "
            "to open (too many open files); raise the hard limit (LimitNOFILE= in the systemd "
            "unit, ulimit -Hn) or lower --max-connections");
}

TEST(ServeStepsTest, FileLimitAlreadyAtTheHardOneIsNotRaisedOnlyWarnedAbout) {
  auto plan = PlanFileLimit(64, 64, 16384);
  EXPECT_FALSE(plan.raise_soft_to);
  EXPECT_NE(plan.warning.find("is 64 at most"), std::string::npos) << plan.warning;
}

}  // namespace
}  // namespace soporte::main
