#include "transport/api/page_cache.hpp"

#include <utility>

namespace soporte::transport::api {

PageCache::PageCache(const Clock& clock, std::function<std::uint64_t()> writes,
                     PageCacheLimits limits)
    : clock_(clock), writes_(std::move(writes)), limits_(limits) {}

PageCache::Mark PageCache::Now() const {
  // The counts first: a write that ends while the clock is read still shows as a new count.
  Mark m;
  m.writes = writes_();
  m.heard = heard_.load(std::memory_order_acquire);
  m.second = clock_.Now();
  return m;
}

void PageCache::ResetLocked(const Mark& now) {
  pages_.clear();
  bytes_ = 0;
  epoch_ = now;
}

std::optional<std::string> PageCache::Find(const std::string& key) {
  const Mark now = Now();
  std::shared_ptr<const std::string> page;
  {
    std::lock_guard lock(mu_);
    if (!(epoch_ == now)) ResetLocked(now);
    if (auto it = pages_.find(key); it != pages_.end()) page = it->second;
    ++(page ? stats_.hits : stats_.misses);
  }
  if (!page) return std::nullopt;
  return *page;  // copied outside the lock
}

void PageCache::Put(std::string key, const Mark& mark, const std::string& body) {
  if (body.size() > limits_.max_page_bytes || !(mark == Now())) return;
  auto page = std::make_shared<const std::string>(body);
  std::lock_guard lock(mu_);
  if (!(epoch_ == mark)) ResetLocked(mark);
  if (pages_.contains(key) || pages_.size() >= limits_.max_pages ||
      bytes_ + page->size() > limits_.max_bytes) {
    return;
  }
  bytes_ += page->size();
  pages_.emplace(std::move(key), std::move(page));
}

void PageCache::Invalidate() { heard_.fetch_add(1, std::memory_order_acq_rel); }

PageCache::Stats PageCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void PageCache::Bus::Publish(const app::TicketChanged& event) {
  if (!event.user_id.valid()) cache_.Invalidate();  // a notice for one user changes no list
  next_.Publish(event);
}

void PageCache::Bus::Resync() {
  cache_.Invalidate();
  next_.Resync();
}

bool WantsFreshPage(const http::Request& rq) {
  std::string_view rest = rq.Header("Cache-Control");
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view directive = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!directive.empty() && (directive.front() == ' ' || directive.front() == '\t'))
      directive.remove_prefix(1);
    while (!directive.empty() && (directive.back() == ' ' || directive.back() == '\t'))
      directive.remove_suffix(1);
    if (http::EqualsIgnoreCase(directive, "no-cache") ||
        http::EqualsIgnoreCase(directive, "max-age=0")) {
      return true;
    }
  }
  return false;
}

std::string PageKey(const app::Principal& who, const http::Request& rq) {
  std::string key = who.staff() ? "staff" : "org " + std::to_string(who.org_id.value());
  // Each name and value behind its length: no value can pose as the next parameter.
  for (const auto& [name, value] : rq.query_params) {
    for (const std::string* part : {&name, &value}) {
      key += ' ';
      key += std::to_string(part->size());
      key += ':';
      key += *part;
    }
  }
  return key;
}

}  // namespace soporte::transport::api
