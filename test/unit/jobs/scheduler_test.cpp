// Scheduler with an io_context driven by the test and a one-thread pool: the first run, Poke
// (now, or right after a run in flight, never overlapping), a failing run that is logged and
// does not end the job, and Stop. Periods are an hour, so only the behaviour under test can make
// a job run; the test advances by running handlers, never by sleeping.
#include "jobs/scheduler.hpp"

#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <stdexcept>

namespace soporte::jobs {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

class SchedulerTest : public ::testing::Test {
 protected:
  // Runs io_context handlers until `done()` holds (each call returns when a handler ran);
  // false after 10 s, the bound of a test that would otherwise hang.
  template <class Pred>
  bool RunUntil(Pred done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      ioc_.restart();
      ioc_.run_one_for(milliseconds(50));
    }
    return done();
  }
  // Runs whatever is ready now, without waiting for timers.
  void Drain() {
    ioc_.restart();
    ioc_.poll();
  }
  // Waits until the pool's one thread finished what was queued before (it runs in order).
  void Barrier() {
    std::promise<void> done;
    boost::asio::post(pool_, [&done] { done.set_value(); });
    done.get_future().wait();
  }
  // Lets every run in flight end and everything it planned for "now" happen.
  void Settle() {
    for (int i = 0; i < 3; ++i) {
      Barrier();
      Drain();
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::thread_pool pool_{1};
  std::mutex mu_;
  std::vector<std::string> log_;
  std::atomic<int> runs_{0};
};

TEST_F(SchedulerTest, FirstRunAfterTheFirstDelayThenWaitsItsPeriod) {
  Scheduler s(ioc_, pool_, nullptr);
  s.Every("outbox", hours{1}, [&] { ++runs_; });
  ASSERT_TRUE(RunUntil([&] { return runs_ == 1; }));
  Settle();
  EXPECT_EQ(runs_, 1);  // the next run is an hour after this one ended
  s.Stop();
}

TEST_F(SchedulerTest, PokeRunsAnIdleJobNow) {
  Scheduler s(ioc_, pool_, nullptr);
  s.Every(
      "outbox", hours{1}, [&] { ++runs_; }, hours{1});
  Drain();
  EXPECT_EQ(runs_, 0);
  s.Poke("outbox");
  ASSERT_TRUE(RunUntil([&] { return runs_ == 1; }));
  s.Poke("unknown");  // no-op
  Settle();
  EXPECT_EQ(runs_, 1);
  s.Stop();
}

TEST_F(SchedulerTest, PokesDuringARunGiveOneMoreRunRightAfterIt) {
  std::mutex m;
  std::condition_variable cv;
  bool started = false, release = false;
  Scheduler s(ioc_, pool_, nullptr);
  s.Every("poll", hours{1}, [&] {
    if (++runs_ == 1) {
      std::unique_lock lock(m);
      started = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    }
  });
  ASSERT_TRUE(RunUntil([&] {
    std::lock_guard lock(m);
    return started;
  }));
  s.Poke("poll");  // while running: no second run alongside the first
  s.Poke("poll");
  EXPECT_EQ(runs_, 1);
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  ASSERT_TRUE(RunUntil([&] { return runs_ == 2; }));
  Settle();
  EXPECT_EQ(runs_, 2);  // two pokes, one extra run
  s.Stop();
}

TEST_F(SchedulerTest, AFailingRunIsLoggedAndTheJobGoesOn) {
  Scheduler s(ioc_, pool_, [&](const std::string& line) {
    std::lock_guard lock(mu_);
    log_.push_back(line);
  });
  s.Every("imap", hours{1}, [&] {
    if (++runs_ == 1) throw std::runtime_error("connection refused");
  });
  ASSERT_TRUE(RunUntil([&] { return runs_ == 1; }));
  Settle();
  s.Poke("imap");
  ASSERT_TRUE(RunUntil([&] { return runs_ == 2; }));
  Settle();
  std::lock_guard lock(mu_);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0], "job imap failed: connection refused");
  s.Stop();
}

TEST_F(SchedulerTest, StopCancelsTheTimersAndIgnoresPokes) {
  Scheduler s(ioc_, pool_, nullptr);
  s.Every(
      "outbox", hours{1}, [&] { ++runs_; }, hours{1});
  s.Every(
      "poll", hours{1}, [&] { ++runs_; }, hours{1});
  Drain();
  s.Stop();
  s.Poke("outbox");
  // With the timers cancelled the io_context runs out of work at once instead of waiting an hour.
  ioc_.restart();
  ioc_.run_for(std::chrono::seconds(10));
  EXPECT_TRUE(ioc_.stopped());
  Settle();
  EXPECT_EQ(runs_, 0);
}

}  // namespace
}  // namespace soporte::jobs
