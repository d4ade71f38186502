#include "storage/memory/memory_throttle_repository.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

Result<app::ThrottleWindow> MemoryThrottleRepository::CountFailures(const std::string& key,
                                                                    Instant since) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  app::ThrottleWindow out;
  auto it = s_.throttle.find(key);
  if (it == s_.throttle.end()) return out;
  const std::vector<Instant>& f = it->second;
  auto first = std::lower_bound(f.begin(), f.end(), since);
  out.count = static_cast<int>(f.end() - first);
  if (out.count > 0) out.oldest = *first;
  return out;
}

Status MemoryThrottleRepository::RecordFailure(const std::string& key, Instant at, int keep) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  if (keep < 1) return Fail(ErrorCode::kInvalidArgument, "a throttle keeps at least 1 failure");
  std::vector<Instant>& f = s_.throttle[key];
  f.insert(std::upper_bound(f.begin(), f.end(), at), at);
  if (f.size() > static_cast<std::size_t>(keep)) {
    f.erase(f.begin(), f.end() - keep);
  }
  return Ok();
}

Status MemoryThrottleRepository::ClearFailures(const std::string& key) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  s_.throttle.erase(key);
  return Ok();
}

Result<int> MemoryThrottleRepository::PruneFailures(Instant before, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "a prune removes at least 1 failure");
  // Oldest first across keys, as the SQL stores do.
  std::vector<std::pair<Instant, std::string>> old;
  for (const auto& [key, f] : s_.throttle) {
    for (Instant at : f) {
      if (at >= before) break;
      old.emplace_back(at, key);
    }
  }
  std::sort(old.begin(), old.end());
  if (old.size() > static_cast<std::size_t>(limit)) old.resize(static_cast<std::size_t>(limit));
  for (const auto& [at, key] : old) {
    auto it = s_.throttle.find(key);
    auto& f = it->second;
    f.erase(std::lower_bound(f.begin(), f.end(), at));
    if (f.empty()) s_.throttle.erase(it);
  }
  return static_cast<int>(old.size());
}

}  // namespace soporte::storage::memory_internal
