// Who the client is (client_address.hpp): X-Forwarded-For is believed only from a trusted
// proxy, walked from the right, and never past a hop a client could have written.
#include "transport/http/client_address.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

TrustedProxies Trust(std::vector<std::string> entries) {
  auto t = TrustedProxies::Parse(entries);
  EXPECT_TRUE(t) << (t ? "" : t.error().message);
  return t ? *t : TrustedProxies{};
}

TEST(ClientAddressTest, ParsesAddressesAndNetworksAndNamesABadEntry) {
  const TrustedProxies t = Trust({"127.0.0.1", "10.0.0.0/8", "fd00::/8", " 192.168.1.0/24 "});
  EXPECT_TRUE(t.Contains("127.0.0.1"));
  EXPECT_FALSE(t.Contains("127.0.0.2"));
  EXPECT_TRUE(t.Contains("10.200.3.4"));
  EXPECT_TRUE(t.Contains("::ffff:10.1.1.1"));  // IPv4 seen through an IPv6 socket
  EXPECT_TRUE(t.Contains("fd12::5"));
  EXPECT_TRUE(t.Contains("192.168.1.77"));
  EXPECT_FALSE(t.Contains("192.168.2.1"));
  EXPECT_FALSE(t.Contains("not an address"));
  for (const char* bad : {"proxy.example.com", "10.0.0.0/33", "10.0.0.0/", "::1/129", "10.0.0/8",
                          "", "10.0.0.0/8x"}) {
    auto r = TrustedProxies::Parse({bad});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(std::string("'") + bad + "'"), std::string::npos)
        << r.error().message;
  }
}

TEST(ClientAddressTest, AnUntrustedPeerIsTheClientWhateverItClaims) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "198.51.100.1", TrustedProxies{}), "203.0.113.9");
  EXPECT_EQ(ClientAddress("203.0.113.9", "198.51.100.1", Trust({"127.0.0.1"})), "203.0.113.9");
}

TEST(ClientAddressTest, ATrustedProxyNamesTheClientFromTheRight) {
  const TrustedProxies t = Trust({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("127.0.0.1", "", t), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7", t), "198.51.100.7");
  // A client's own X-Forwarded-For is to the left of what our proxy appended: not believed.
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.2.3.4, 198.51.100.7", t), "198.51.100.7");
  // Through two of our proxies: the first address that is not ours.
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.2.3.4, 198.51.100.7 ,10.1.2.3", t), "198.51.100.7");
  EXPECT_EQ(ClientAddress("127.0.0.1", "[2001:db8::7]", t), "2001:db8::7");
  // Garbage where an address belongs: the hop that wrote it is all we know.
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.7, unknown", t), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "evil, 10.1.2.3", t), "10.1.2.3");
  // Only proxies of ours: the farthest of them.
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.9.9.9, 10.1.2.3", t), "10.9.9.9");
}

}  // namespace
}  // namespace soporte::transport::http
