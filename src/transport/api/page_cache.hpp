// PageCache: pages of the ticket list (GET /api/v1/tickets) kept as the JSON that was sent, for
// the consoles that ask for the same page again before anything changed. Every open console reads
// its queue when it opens and after the changes it hears, and most agents look at the same queue:
// without this each of them costs one joined read and one encoding of the same page.
//
// A page is reused only while all of these hold since it was read:
//  - no write has run through this node's store (app::WriteCountingStore);
//  - no other node's change has been heard (Invalidate, fed by the live relay through Bus);
//  - the clock is in the same second: the list computes what derives from the clock (breached,
//    response_used, the resolution clock) from the instant truncated to the second, so within
//    that second a reused page is exactly what a fresh read would give.
// A write this node cannot see (another node's whose note was lost, a command run on the same
// database) shows at most one second late, as the next second starts afresh.
//
// Pages are keyed by what the caller may see (staff: every organisation; a customer: its own)
// and the query's parameters as sent. Bounded in pages and bytes: past a bound a page is served
// but not kept, so no client can grow it. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "app/accounts/principal.hpp"
#include "app/ports/event_bus.hpp"
#include "common/clock.hpp"
#include "transport/http/request.hpp"

namespace soporte::transport::api {

struct PageCacheLimits {
  std::size_t max_pages = 256;
  std::size_t max_bytes = 32u * 1024 * 1024;      // every kept page together
  std::size_t max_page_bytes = 4u * 1024 * 1024;  // a larger page is never kept
};

class PageCache {
 public:
  // What a read started from: taken before the read, given back with its page.
  struct Mark {
    std::uint64_t writes = 0;
    std::uint64_t heard = 0;
    Instant second;
    bool operator==(const Mark&) const = default;
  };
  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };

  // `writes` returns the count of writes run through this node's store (thread-safe).
  PageCache(const Clock& clock, std::function<std::uint64_t()> writes, PageCacheLimits limits = {});

  // The state now; take it before the read whose page is then given to Put.
  Mark Now() const;
  // The page kept under `key`, if it is still what a read now would give.
  std::optional<std::string> Find(const std::string& key);
  // Keeps `body` under `key` when nothing changed since `mark` and the bounds allow it.
  void Put(std::string key, const Mark& mark, const std::string& body);
  // Another node changed something (or its changes may have been missed): no kept page holds.
  void Invalidate();
  Stats stats() const;

  // An EventBus in front of `next`: every event and resync that may change a list (not the
  // notices for one user: staff alerts, chat waits) drops the kept pages, then goes on to `next`.
  // The live relay's notes from other nodes pass here (wiring: RelayedEvents' local bus).
  class Bus final : public app::EventBus {
   public:
    Bus(PageCache& cache, app::EventBus& next) : cache_(cache), next_(next) {}
    void Publish(const app::TicketChanged& event) override;
    void Resync() override;

   private:
    PageCache& cache_;
    app::EventBus& next_;
  };

 private:
  void ResetLocked(const Mark& now);

  const Clock& clock_;
  std::function<std::uint64_t()> writes_;
  PageCacheLimits limits_;
  std::atomic<std::uint64_t> heard_{0};
  mutable std::mutex mu_;
  Mark epoch_;  // the state every kept page was read in
  std::unordered_map<std::string, std::shared_ptr<const std::string>> pages_;
  std::size_t bytes_ = 0;
  Stats stats_;
};

// True when the request asks for a page read afresh: `Cache-Control: no-cache` (a browser's
// forced reload) or `max-age=0` (its reload), as RFC 9111 has a client ask for a fresh answer.
// The page read is kept for the others.
bool WantsFreshPage(const http::Request& rq);

// The key of a list request: the caller's scope (staff, or a customer's organisation) and the
// query's parameters (each behind its length), in the order sent.
std::string PageKey(const app::Principal& who, const http::Request& rq);

}  // namespace soporte::transport::api
