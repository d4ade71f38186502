// The live relay on a real PostgreSQL (SOPORTE_PG_URL, scripts/postgres.sh start; skipped
// without): two relays of one desk hear each other's notes once and never their own, a malformed
// or repeated payload is dropped, another desk's channel is never heard, dropped notes make the
// receivers resync, and a listener whose connection is killed reconnects, resyncs and hears the
// notes sent after. Waits are bounded polls on what the receiver got, never sleeps.
#include "storage/postgres/pg_live_relay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <unistd.h>
#include <vector>

#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage {
namespace {

using namespace std::chrono_literals;

class Recorder final : public app::LiveReceiver {
 public:
  void OnNote(const app::LiveNote& note) override {
    std::lock_guard lock(mutex_);
    notes_.push_back(note);
    cv_.notify_all();
  }
  void OnResync() override {
    std::lock_guard lock(mutex_);
    ++resyncs_;
    cv_.notify_all();
  }
  // Wait (at most 20 s) until `n` notes, `n` ticket notes, `n` resyncs arrived; false when
  // they never did.
  bool WaitNotes(std::size_t n) {
    return WaitUntil([&] { return notes_.size() >= n; });
  }
  bool WaitTicketNotes(std::size_t n) {
    return WaitUntil([&] {
      return static_cast<std::size_t>(std::count_if(notes_.begin(), notes_.end(), [](auto& v) {
               return std::holds_alternative<app::TicketChanged>(v);
             })) >= n;
    });
  }
  bool WaitResyncs(int n) {
    return WaitUntil([&] { return resyncs_ >= n; });
  }
  std::vector<app::LiveNote> notes() {
    std::lock_guard lock(mutex_);
    return notes_;
  }
  int resyncs() {
    std::lock_guard lock(mutex_);
    return resyncs_;
  }
  // The numbers of the ticket notes, in order.
  std::vector<std::int64_t> numbers() {
    std::lock_guard lock(mutex_);
    std::vector<std::int64_t> out;
    for (const auto& n : notes_)
      if (const auto* t = std::get_if<app::TicketChanged>(&n)) out.push_back(t->number);
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  // `pred` runs under the mutex.
  bool WaitUntil(const std::function<bool()>& pred) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 20s, pred);
  }
  std::vector<app::LiveNote> notes_;
  int resyncs_ = 0;
};

app::TicketChanged Ticket(std::int64_t number) {
  return app::TicketChanged{number, OrgId{2}, "created", UserId{}};
}

class PgLiveRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("SOPORTE_PG_URL");
    if (url == nullptr || *url == '\0')
      GTEST_SKIP() << "SOPORTE_PG_URL is not set (scripts/postgres.sh start)";
    url_ = url;
    static int counter = 0;
    schema_ = "relay_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    auto admin = pg_internal::PgConn::Connect(url_, "");
    ASSERT_TRUE(admin) << admin.error().message;
    admin_ = std::move(*admin);
  }
  std::unique_ptr<PostgresLiveRelay> Open(const std::string& schema,
                                          std::size_t queue_limit = 100) {
    PostgresLiveRelayOptions o;
    o.schema = schema;
    o.queue_limit = queue_limit;
    o.backoff_min = 20ms;
    o.backoff_max = 200ms;
    o.log = [this](const std::string& line) {
      std::lock_guard lock(log_mutex_);
      log_.push_back(line);
    };
    auto r = PostgresLiveRelay::Open(url_, o);
    EXPECT_TRUE(r) << r.error().message;
    return r ? std::move(*r) : nullptr;
  }
  void Notify(const std::string& channel, const std::string& payload) {
    pg_internal::PgParams p;
    p.Add(channel).Add(payload);
    auto r = admin_->Query("SELECT pg_notify($1, $2)", p);
    ASSERT_TRUE(r) << r.error().message;
  }
  bool Logged(const std::string& needle) {
    std::lock_guard lock(log_mutex_);
    for (const auto& l : log_)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  }

  std::string url_, schema_;
  std::unique_ptr<pg_internal::PgConn> admin_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

TEST_F(PgLiveRelayTest, EachNodeHearsTheOthersOnceAndNeverItself) {
  auto a = Open(schema_), b = Open(schema_);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->channel(), "soporte_live_" + schema_);
  EXPECT_EQ(a->channel(), b->channel());
  EXPECT_NE(a->node(), b->node());
  Recorder ra, rb;
  a->Start(ra);
  b->Start(rb);

  a->Send(Ticket(1));
  a->Send(app::ChatNote{5, "message", 3, UserId{}});
  ASSERT_TRUE(rb.WaitNotes(2)) << rb.notes().size();
  EXPECT_EQ(rb.numbers(), std::vector<std::int64_t>{1});
  const auto chat = std::get<app::ChatNote>(rb.notes()[1]);
  EXPECT_EQ(chat.chat_id, 5);
  EXPECT_EQ(chat.kind, "message");
  EXPECT_EQ(chat.seq, 3);

  // B's note reaches A after A's own (NOTIFY delivers in commit order): A heard B's only.
  b->Send(Ticket(2));
  ASSERT_TRUE(ra.WaitNotes(1));
  EXPECT_EQ(ra.numbers(), std::vector<std::int64_t>{2});
  EXPECT_EQ(ra.notes().size(), 1u);

  // A malformed payload and a repeat are dropped; what follows still arrives, once.
  Notify(b->channel(), "garbage");
  Notify(b->channel(), "L1 elsewhere 1 T 10 2 0 updated");
  Notify(b->channel(), "L1 elsewhere 1 T 10 2 0 updated");
  Notify(b->channel(), "L1 elsewhere 2 T 11 2 0 updated");
  a->Send(Ticket(3));
  ASSERT_TRUE(rb.WaitTicketNotes(4)) << rb.numbers().size();
  EXPECT_EQ(rb.numbers(), (std::vector<std::int64_t>{1, 10, 11, 3}));
  EXPECT_EQ(b->stats().malformed, 1u);
  EXPECT_TRUE(Logged("malformed note dropped"));
  EXPECT_EQ(rb.resyncs(), 0);
  EXPECT_EQ(b->stats().received, 5u);  // 1, the chat note, 10, 11, 3
  // A heard the other "node" too, and still never itself: had its 3 come back, it would have
  // come before B's 4 (commit order).
  b->Send(Ticket(4));
  ASSERT_TRUE(ra.WaitTicketNotes(4)) << ra.numbers().size();
  EXPECT_EQ(ra.numbers(), (std::vector<std::int64_t>{2, 10, 11, 4}));
  EXPECT_EQ(a->stats().dropped, 0u);
}

TEST_F(PgLiveRelayTest, AnotherDeskInTheSameDatabaseIsNeverHeard) {
  auto a = Open(schema_), other = Open(schema_ + "_x"), other_b = Open(schema_ + "_x");
  ASSERT_TRUE(a && other && other_b);
  EXPECT_NE(a->channel(), other->channel());
  Recorder ra, ro, rob;
  a->Start(ra);
  other->Start(ro);
  other_b->Start(rob);
  a->Send(Ticket(1));
  // Once the other desk's own note arrives, everything committed before it was delivered.
  other_b->Send(Ticket(2));
  ASSERT_TRUE(ro.WaitNotes(1));
  ASSERT_TRUE(rob.numbers().empty());
  EXPECT_EQ(ro.numbers(), std::vector<std::int64_t>{2});
  EXPECT_TRUE(ra.notes().empty());
}

TEST_F(PgLiveRelayTest, DroppedNotesMakeTheReceiversResync) {
  auto a = Open(schema_, /*queue_limit=*/2), b = Open(schema_);
  ASSERT_TRUE(a && b);
  // Not started: nothing drains A's queue, so past two notes they are dropped.
  for (int i = 1; i <= 4; ++i) a->Send(Ticket(i));
  EXPECT_EQ(a->stats().dropped, 2u);
  EXPECT_TRUE(Logged("dropping notes"));
  Recorder ra, rb;
  a->Start(ra);
  b->Start(rb);
  ASSERT_TRUE(rb.WaitNotes(2));
  EXPECT_EQ(rb.resyncs(), 0);
  a->Send(Ticket(5));
  ASSERT_TRUE(rb.WaitNotes(3));
  EXPECT_EQ(rb.numbers(), (std::vector<std::int64_t>{1, 2, 5}));
  EXPECT_EQ(rb.resyncs(), 1);
}

TEST_F(PgLiveRelayTest, AKilledListenerReconnectsResyncsAndHearsLaterNotes) {
  auto a = Open(schema_), b = Open(schema_);
  ASSERT_TRUE(a && b);
  Recorder ra, rb;
  a->Start(ra);
  b->Start(rb);
  a->Send(Ticket(1));
  ASSERT_TRUE(rb.WaitNotes(1));

  pg_internal::PgParams p;
  p.Add("soporte-listen-" + b->node());
  auto killed = admin_->Query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", p);
  ASSERT_TRUE(killed) << killed.error().message;
  ASSERT_EQ(killed->size(), 1);
  EXPECT_TRUE(killed->Bool(0, 0));

  ASSERT_TRUE(rb.WaitResyncs(1)) << "no resync after the kill";
  EXPECT_TRUE(Logged("listening again"));
  a->Send(Ticket(2));
  ASSERT_TRUE(rb.WaitNotes(2));
  EXPECT_EQ(rb.numbers(), (std::vector<std::int64_t>{1, 2}));
  // B still sends too.
  b->Send(Ticket(3));
  ASSERT_TRUE(ra.WaitNotes(1));
  EXPECT_EQ(ra.numbers(), std::vector<std::int64_t>{3});
}

TEST(PgLiveRelayChannel, NamedAfterTheSchemaWithinPostgresLimits) {
  EXPECT_EQ(PostgresLiveRelay::ChannelOf("public"), "soporte_live_public");
  const std::string long_a(63, 'a');
  std::string long_b = long_a;
  long_b.back() = 'b';
  const auto ca = PostgresLiveRelay::ChannelOf(long_a), cb = PostgresLiveRelay::ChannelOf(long_b);
  EXPECT_EQ(ca.size(), 63u);
  EXPECT_EQ(cb.size(), 63u);
  EXPECT_NE(ca, cb);
  EXPECT_EQ(ca, PostgresLiveRelay::ChannelOf(long_a));
}

}  // namespace
}  // namespace soporte::storage
