// A contract's resolution target (issue 12, part 7): the business time within which its tickets
// should be resolved, counted by the resolution clock (paused while waiting on the customer). None
// by default. Staff read it; supervisors and admins set or remove it (the audit log records who).
// Another organisation's contract and a missing one are kNotFound alike. Thread-safe; blocks.
#pragma once

#include <optional>
#include <string>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

class ResolutionTargetService {
 public:
  ResolutionTargetService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  // The target of contract `id` of organisation `slug` in minutes; nullopt when none.
  // kPermissionDenied for a customer.
  Result<std::optional<std::int64_t>> Get(const Principal& who, const std::string& slug,
                                          ContractId id);
  // Sets (minutes 1..525600) or removes (nullopt) it. kPermissionDenied unless supervisor or
  // admin; kInvalidArgument "minutes: …" out of range.
  Result<std::optional<std::int64_t>> Set(const Principal& who, const std::string& slug,
                                          ContractId id, std::optional<std::int64_t> minutes);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace soporte::app
