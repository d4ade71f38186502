#include "transport/http/offload.hpp"

#include <stdexcept>
#include <thread>

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

namespace asio = boost::asio;

TEST(OffloadTest, RunsOnAPoolThreadAndResumesOnTheIoThread) {
  asio::io_context ioc;
  asio::thread_pool pool(2);
  std::thread::id io_thread, in_fn, after;
  int result = 0;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    io_thread = std::this_thread::get_id();
    result = co_await Offload(pool, [&] {
      in_fn = std::this_thread::get_id();
      return 42;
    });
    after = std::this_thread::get_id();
  }, asio::detached);
  ioc.run();  // on this thread
  pool.join();
  EXPECT_EQ(result, 42);
  EXPECT_EQ(io_thread, std::this_thread::get_id());
  EXPECT_NE(in_fn, io_thread);
  EXPECT_NE(in_fn, std::thread::id{});
  EXPECT_EQ(after, io_thread);
}

TEST(OffloadTest, PropagatesExceptionsAndSupportsVoid) {
  asio::io_context ioc;
  asio::thread_pool pool(1);
  bool caught = false, ran = false;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    co_await Offload(pool, [&] { ran = true; });
    try {
      co_await Offload(pool, []() -> int { throw std::runtime_error("boom"); });
    } catch (const std::runtime_error&) {
      caught = true;
    }
  }, asio::detached);
  ioc.run();
  pool.join();
  EXPECT_TRUE(ran);
  EXPECT_TRUE(caught);
}

TEST(OffloadTest, OffloadUnlessRunsHereOnlyWhenAsked) {
  asio::io_context ioc;
  asio::thread_pool pool(1);
  std::thread::id io_thread, here, there;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    io_thread = std::this_thread::get_id();
    co_await OffloadUnless(true, pool, [&] { here = std::this_thread::get_id(); });
    const int v = co_await OffloadUnless(false, pool, [&] {
      there = std::this_thread::get_id();
      return 7;
    });
    EXPECT_EQ(v, 7);
    EXPECT_EQ(std::this_thread::get_id(), io_thread);
  }, asio::detached);
  ioc.run();
  pool.join();
  EXPECT_EQ(here, io_thread);
  EXPECT_NE(there, io_thread);
  EXPECT_NE(there, std::thread::id{});
}

}  // namespace
}  // namespace soporte::transport::http
