// Offload(pool, fn): run a blocking call (storage, MIME, curl) on a thread pool and resume the
// awaiting coroutine when it finishes, so no io thread waits on storage (DESIGN.md).
// `co_await asio::post(pool, use_awaitable)` does NOT leave the io thread with Boost 1.81
// (chriskohlhoff/asio#1516); co_spawn on the pool followed by co_await does (STYLE-EXAMPLES §5).
#pragma once

#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace soporte::transport::http {

// Runs `f()` on a thread of `pool` and returns its result to the awaiting coroutine, which then
// continues on its own executor. An exception thrown by `f` is rethrown at the co_await.
// `f` is moved onto the pool; what it captures by reference must outlive the co_await.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> Offload(boost::asio::thread_pool& pool, F f) {
  using R = std::invoke_result_t<F>;
  // 2026-11-28: g++ 12 destroys a temporary that lives across a co_await twice (the lambda passed
  // here is one): a by-value std::string capture crashed `soporte serve` with "free(): invalid
  // pointer". Capture by reference (the awaiting frame outlives the call) or trivially
  // destructible values only; the build enforces it.
  static_assert(std::is_trivially_destructible_v<F>,
                "Offload: capture by reference or trivial values only (g++ 12 coroutine bug)");
  co_return co_await boost::asio::co_spawn(
      pool, [f = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return f(); },
      boost::asio::use_awaitable);
}

// Runs `f` on this thread when `here` is true, else exactly as Offload(pool, f): for calls that
// cost less than the hop to a pool and back (see ApiContext::point_reads_inline).
template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> OffloadUnless(bool here, boost::asio::thread_pool& pool, F f) {
  if (here) co_return f();
  co_return co_await Offload(pool, std::move(f));
}

}  // namespace soporte::transport::http
