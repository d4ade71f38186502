// PageCache: a kept page is served only in the state it was read in (no write through the
// store, no other node's change heard, the same second); bounded in pages and bytes; the bus in
// front of the live streams drops the pages at every change but a notice for one user.
#include "transport/api/page_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

namespace soporte::transport::api {
namespace {

constexpr Instant kFriday4pm{Seconds{1796418000}};

class RecordingBus final : public app::EventBus {
 public:
  void Publish(const app::TicketChanged& e) override { events.push_back(e); }
  void Resync() override { ++resyncs; }
  std::vector<app::TicketChanged> events;
  int resyncs = 0;
};

class PageCacheTest : public ::testing::Test {
 protected:
  PageCache Make(PageCacheLimits limits = {}) {
    return PageCache(
        clock_, [this] { return writes_.load(); }, limits);
  }
  void Keep(PageCache& cache, const std::string& key, const std::string& body) {
    cache.Put(key, cache.Now(), body);
  }

  FakeClock clock_{kFriday4pm};
  std::atomic<std::uint64_t> writes_{0};
};

TEST_F(PageCacheTest, AKeptPageIsServedUntilTheNextWrite) {
  PageCache cache = Make();
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
  Keep(cache, "staff", "[1,2]");
  EXPECT_EQ(cache.Find("staff"), "[1,2]");
  EXPECT_EQ(cache.Find("staff"), "[1,2]");
  EXPECT_EQ(cache.Find("org 3"), std::nullopt);
  ++writes_;
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
  EXPECT_EQ(cache.stats().hits, 2u);
  EXPECT_EQ(cache.stats().misses, 3u);
}

TEST_F(PageCacheTest, AKeptPageLastsNoLongerThanItsSecond) {
  PageCache cache = Make();
  Keep(cache, "staff", "[1]");
  clock_.Advance(Seconds{1});
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
}

TEST_F(PageCacheTest, APageReadBeforeAWriteIsNotKept) {
  PageCache cache = Make();
  const PageCache::Mark before = cache.Now();
  ++writes_;  // a write ended while the page was read: it may be missing from the page
  cache.Put("staff", before, "[1]");
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
  const PageCache::Mark second = cache.Now();
  clock_.Advance(Seconds{1});
  cache.Put("staff", second, "[1]");
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
}

TEST_F(PageCacheTest, TheBusDropsThePagesAtEveryChangeButANoticeForOneUser) {
  PageCache cache = Make();
  RecordingBus next;
  PageCache::Bus bus(cache, next);
  Keep(cache, "staff", "[1]");
  bus.Publish(app::TicketChanged{7, OrgId{2}, "alert", UserId{5}});
  EXPECT_EQ(cache.Find("staff"), "[1]");
  bus.Publish(app::TicketChanged{7, OrgId{2}, "updated", UserId{}});
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
  Keep(cache, "staff", "[1]");
  bus.Resync();
  EXPECT_EQ(cache.Find("staff"), std::nullopt);
  ASSERT_EQ(next.events.size(), 2u);  // everything goes on to the live streams
  EXPECT_EQ(next.events[0].what, "alert");
  EXPECT_EQ(next.events[1].what, "updated");
  EXPECT_EQ(next.resyncs, 1);
}

TEST_F(PageCacheTest, PastItsBoundsAPageIsNotKept) {
  PageCache cache = Make({.max_pages = 2, .max_bytes = 10, .max_page_bytes = 6});
  Keep(cache, "a", "1234567");  // larger than one page may be
  EXPECT_EQ(cache.Find("a"), std::nullopt);
  Keep(cache, "b", "123456");
  Keep(cache, "c", "12345");  // 11 bytes together: over max_bytes
  EXPECT_EQ(cache.Find("b"), "123456");
  EXPECT_EQ(cache.Find("c"), std::nullopt);
  Keep(cache, "d", "1");
  Keep(cache, "e", "2");  // a third page
  EXPECT_EQ(cache.Find("d"), "1");
  EXPECT_EQ(cache.Find("e"), std::nullopt);
  ++writes_;  // a new state starts empty
  Keep(cache, "e", "2");
  EXPECT_EQ(cache.Find("e"), "2");
}

TEST(PageKeyTest, AReloadAsksForAFreshPage) {
  auto with = [](std::string_view value) {
    http::Request rq;
    rq.headers = {{"Accept", "application/json"}, {"cache-control", value}};
    return WantsFreshPage(rq);
  };
  EXPECT_FALSE(WantsFreshPage(http::Request{}));
  EXPECT_TRUE(with("no-cache"));
  EXPECT_TRUE(with("No-Cache"));
  EXPECT_TRUE(with("max-age=0"));
  EXPECT_TRUE(with("no-transform, no-cache"));
  EXPECT_FALSE(with("max-age=60"));
  EXPECT_FALSE(with("no-cachex"));
  EXPECT_FALSE(with(""));
}

TEST(PageKeyTest, NamesTheCallersScopeAndTheQuery) {
  http::Request rq;
  rq.query_params = {{"status", "active"}, {"limit", "50"}};
  app::Principal staff;
  staff.role = domain::Role::kAgent;
  app::Principal acme;
  acme.role = domain::Role::kCustomer;
  acme.org_id = OrgId{3};
  app::Principal initech = acme;
  initech.org_id = OrgId{4};
  EXPECT_NE(PageKey(staff, rq), PageKey(acme, rq));
  EXPECT_NE(PageKey(acme, rq), PageKey(initech, rq));
  app::Principal other_agent = staff;
  other_agent.user_id = UserId{9};
  EXPECT_EQ(PageKey(staff, rq), PageKey(other_agent, rq));  // staff see the same pages
  http::Request other = rq;
  other.query_params[1].second = "5";
  EXPECT_NE(PageKey(staff, rq), PageKey(staff, other));
  // A value cannot pose as the next parameter.
  http::Request a, b;
  a.query_params = {{"org", "x 5:limit 1:5"}};
  b.query_params = {{"org", "x"}, {"limit", "5"}};
  EXPECT_NE(PageKey(staff, a), PageKey(staff, b));
}

}  // namespace
}  // namespace soporte::transport::api
