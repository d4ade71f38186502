// EventHub and Subscription on one io_context run by the test: who sees which change, the
// bounded queue (drop and resync), the subscriber limit, shutdown, and the wake-up of a waiting
// subscriber. Waits use a zero timeout or are woken by a push; none waits for time to pass.
#include "transport/web/event_hub.hpp"

#include <gtest/gtest.h>

#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace soporte::transport::web {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Batch = Subscription::Batch;

app::Principal Customer(OrgId org) {
  app::Principal p;
  p.role = domain::Role::kCustomer;
  p.org_id = org;
  return p;
}

app::Principal Agent() {
  app::Principal p;
  p.role = domain::Role::kAgent;
  return p;
}

asio::awaitable<void> WaitInto(std::shared_ptr<Subscription> s, milliseconds timeout,
                               std::optional<Batch>* out) {
  *out = co_await s->Wait(timeout);
}

class EventHubTest : public ::testing::Test {
 protected:
  // Starts a Wait on the io_context; Finish() runs it to its end.
  void StartWait(const std::shared_ptr<Subscription>& s, milliseconds timeout) {
    got_.reset();
    asio::co_spawn(ioc_, WaitInto(s, timeout, &got_), asio::detached);
    ioc_.restart();
    ioc_.poll();
  }
  Batch Finish() {
    ioc_.restart();
    ioc_.run_for(
        std::chrono::seconds(10));  // a bound, not a wait: the waiter ends at once or never
    EXPECT_TRUE(got_.has_value()) << "the waiting subscriber was never woken";
    return got_.value_or(Batch{});
  }
  Batch WaitNow(const std::shared_ptr<Subscription>& s) {
    StartWait(s, milliseconds{0});
    return Finish();
  }
  std::shared_ptr<Subscription> Subscribe(EventHub& hub, const app::Principal& who) {
    auto s = hub.Subscribe(ioc_.get_executor(), who);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? *s : nullptr;
  }

  asio::io_context ioc_;
  std::optional<Batch> got_;
};

TEST_F(EventHubTest, CustomersSeeTheirOrganisationWithoutInternalNotesStaffSeeAll) {
  EventHub hub;
  auto acme = Subscribe(hub, Customer(OrgId{1}));
  auto staff = Subscribe(hub, Agent());
  hub.Publish({10, OrgId{1}, "created"});
  hub.Publish({11, OrgId{2}, "created"});
  hub.Publish({10, OrgId{1}, "note"});
  hub.Publish({10, OrgId{1}, "article"});
  const Batch a = WaitNow(acme);
  ASSERT_EQ(a.events.size(), 2u);
  EXPECT_EQ(a.events[0].what, "created");
  EXPECT_EQ(a.events[1].what, "article");
  EXPECT_FALSE(a.resync);
  EXPECT_FALSE(a.closed);
  EXPECT_EQ(WaitNow(staff).events.size(), 4u);
  // Taken once: the next wait (timeout 0) is an empty heartbeat batch.
  const Batch again = WaitNow(acme);
  EXPECT_TRUE(again.events.empty());
  EXPECT_FALSE(again.resync || again.closed);
}

TEST_F(EventHubTest, ASlowReaderLosesItsQueueAndIsToldToResync) {
  EventHub hub(EventHubLimits{.max_subscribers = 8, .queue_limit = 2});
  auto s = Subscribe(hub, Agent());
  for (int n = 1; n <= 4; ++n) hub.Publish({n, OrgId{1}, "updated"});
  const Batch b = WaitNow(s);
  EXPECT_TRUE(b.resync);
  ASSERT_EQ(b.events.size(), 1u);  // 1, 2 dropped at the third; the fourth queued after
  EXPECT_EQ(b.events[0].number, 4);
  EXPECT_FALSE(WaitNow(s).resync);  // told once
}

TEST_F(EventHubTest, SubscriberLimitCountsLiveSubscriptionsOnly) {
  EventHub hub(EventHubLimits{.max_subscribers = 1, .queue_limit = 4});
  auto first = Subscribe(hub, Agent());
  EXPECT_EQ(hub.subscribers(), 1u);
  auto refused = hub.Subscribe(ioc_.get_executor(), Agent());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  first.reset();  // the stream ended
  EXPECT_EQ(hub.subscribers(), 0u);
  EXPECT_TRUE(hub.Subscribe(ioc_.get_executor(), Agent()));
}

TEST_F(EventHubTest, APushWakesAWaitingSubscriber) {
  EventHub hub;
  auto s = Subscribe(hub, Customer(OrgId{1}));
  StartWait(s, std::chrono::hours{1});
  EXPECT_FALSE(got_.has_value());  // waiting: nothing queued yet
  hub.Publish({7, OrgId{1}, "article"});
  const Batch b = Finish();
  ASSERT_EQ(b.events.size(), 1u);
  EXPECT_EQ(b.events[0].number, 7);
}

TEST_F(EventHubTest, ShutdownClosesWaitersAndRefusesNewSubscriptions) {
  EventHub hub;
  auto s = Subscribe(hub, Agent());
  StartWait(s, std::chrono::hours{1});
  hub.Shutdown();
  EXPECT_TRUE(Finish().closed);
  hub.Publish({1, OrgId{1}, "created"});  // nothing is queued after close
  const Batch after = WaitNow(s);
  EXPECT_TRUE(after.closed);
  EXPECT_TRUE(after.events.empty());
  auto refused = hub.Subscribe(ioc_.get_executor(), Agent());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  hub.Shutdown();  // idempotent
}

app::Principal Person(std::int64_t id, domain::Role role, OrgId org = OrgId{}) {
  app::Principal p;
  p.user_id = UserId{id};
  p.role = role;
  p.org_id = org;
  return p;
}

// One person, or one customer organisation, cannot take every stream; a closed stream frees its
// place; staff are bounded per person only.
TEST_F(EventHubTest, StreamsAreCappedPerUserAndPerOrganisation) {
  EventHub hub(EventHubLimits{
      .max_subscribers = 100, .queue_limit = 4, .max_per_user = 2, .max_per_org = 3});
  const OrgId acme{1};
  auto a1 = hub.Subscribe(ioc_.get_executor(), Person(10, domain::Role::kCustomer, acme), "t1");
  auto a2 = hub.Subscribe(ioc_.get_executor(), Person(10, domain::Role::kCustomer, acme), "t1");
  ASSERT_TRUE(a1 && a2);
  auto a3 = hub.Subscribe(ioc_.get_executor(), Person(10, domain::Role::kCustomer, acme), "t2");
  ASSERT_FALSE(a3);
  EXPECT_EQ(a3.error().code, ErrorCode::kResourceExhausted);
  EXPECT_NE(a3.error().message.find("this user"), std::string::npos);
  auto b1 = hub.Subscribe(ioc_.get_executor(), Person(11, domain::Role::kCustomer, acme), "t3");
  ASSERT_TRUE(b1);
  auto b2 = hub.Subscribe(ioc_.get_executor(), Person(11, domain::Role::kCustomer, acme), "t3");
  ASSERT_FALSE(b2);  // acme holds 3
  EXPECT_NE(b2.error().message.find("organisation"), std::string::npos);
  // Another organisation and staff are not affected.
  EXPECT_TRUE(
      hub.Subscribe(ioc_.get_executor(), Person(12, domain::Role::kCustomer, OrgId{2}), "t4"));
  auto staff1 = hub.Subscribe(ioc_.get_executor(), Person(20, domain::Role::kAgent), "t5");
  auto staff2 = hub.Subscribe(ioc_.get_executor(), Person(20, domain::Role::kAgent), "t5");
  EXPECT_TRUE(staff1 && staff2);
  a1->reset();  // one of user 10's streams ends
  EXPECT_TRUE(hub.Subscribe(ioc_.get_executor(), Person(11, domain::Role::kCustomer, acme), "t3"));
}

// A logout ends the streams opened with that session; a deactivation every stream of the user.
TEST_F(EventHubTest, LogoutAndDeactivationCloseTheirStreams) {
  EventHub hub;
  auto s1 = *hub.Subscribe(ioc_.get_executor(), Person(10, domain::Role::kAgent), "session-a");
  auto s2 = *hub.Subscribe(ioc_.get_executor(), Person(10, domain::Role::kAgent), "session-b");
  auto other = *hub.Subscribe(ioc_.get_executor(), Person(11, domain::Role::kAgent), "session-c");
  hub.CloseCredential("session-a");
  EXPECT_TRUE(WaitNow(s1).closed);
  EXPECT_FALSE(WaitNow(s2).closed);
  hub.CloseUser(UserId{10});
  EXPECT_TRUE(WaitNow(s2).closed);
  EXPECT_FALSE(WaitNow(other).closed);
}

}  // namespace
}  // namespace soporte::transport::web
