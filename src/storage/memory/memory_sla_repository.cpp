#include "storage/memory/memory_sla_repository.hpp"

#include <algorithm>

namespace soporte::storage::memory_internal {

namespace sla = domain::sla;

Result<std::vector<app::SlaThresholdRecord>> MemorySlaRepository::ListThresholds(TicketId ticket) {
  std::vector<app::SlaThresholdRecord> out;
  for (const auto& [id, r] : s_.sla_thresholds) {
    if (r.ticket_id == ticket) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.kind == sla::SlaThresholdKind::kWarning && b.kind != a.kind;
  });
  return out;
}

Result<std::vector<TicketId>> MemorySlaRepository::ListArmQueue(int limit) {
  std::vector<TicketId> out;
  for (auto id : s_.sla_arm_queue) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(TicketId{id});
  }
  return out;
}

Status MemorySlaRepository::ArmThreshold(TicketId ticket, sla::SlaThresholdKind kind, Instant due,
                                         Instant fire_at) {
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, ticket.value(), "ticket"));
  for (auto& [id, r] : s_.sla_thresholds) {
    if (r.ticket_id != ticket || r.kind != kind) continue;
    if (r.fired_at) return Ok();
    r.due = due;
    r.fire_at = fire_at;
    r.claimed_by.clear();
    r.lease_until.reset();
    return Ok();
  }
  app::SlaThresholdRecord r;
  r.id = s_.next_sla_threshold++;
  r.ticket_id = ticket;
  r.kind = kind;
  r.due = due;
  r.fire_at = fire_at;
  s_.sla_thresholds[r.id] = r;
  return Ok();
}

Status MemorySlaRepository::DisarmThresholds(TicketId ticket,
                                             std::optional<sla::SlaThresholdKind> kind) {
  std::erase_if(s_.sla_thresholds, [&](const auto& entry) {
    const auto& r = entry.second;
    return r.ticket_id == ticket && !r.fired_at && (!kind || r.kind == *kind);
  });
  return Ok();
}

Result<std::vector<app::SlaThresholdRecord>> MemorySlaRepository::ClaimThresholds(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  std::vector<app::SlaThresholdRecord*> due;
  for (auto& [id, r] : s_.sla_thresholds) {
    if (r.fired_at || r.fire_at > now || (r.lease_until && *r.lease_until >= now)) continue;
    due.push_back(&r);
  }
  std::sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    if (a->fire_at != b->fire_at) return a->fire_at < b->fire_at;
    if (a->kind != b->kind) return a->kind == sla::SlaThresholdKind::kWarning;
    return a->id < b->id;
  });
  if (static_cast<int>(due.size()) > limit) due.resize(static_cast<std::size_t>(limit));
  std::vector<app::SlaThresholdRecord> out;
  for (auto* r : due) {
    r->claimed_by = node;
    r->lease_until = lease_until;
    out.push_back(*r);
  }
  return out;
}

Result<bool> MemorySlaRepository::MarkThresholdFired(std::int64_t id, Instant at) {
  auto it = s_.sla_thresholds.find(id);
  if (it == s_.sla_thresholds.end() || it->second.fired_at) return false;
  it->second.fired_at = at;
  it->second.claimed_by.clear();
  it->second.lease_until.reset();
  return true;
}

Status MemorySlaRepository::QueueArm(TicketId ticket) {
  s_.sla_arm_queue.insert(ticket.value());
  return Ok();
}

Status MemorySlaRepository::DequeueArm(TicketId ticket) {
  s_.sla_arm_queue.erase(ticket.value());
  return Ok();
}

Result<std::optional<Seconds>> MemorySlaRepository::GetResolutionTarget(ContractId contract) {
  auto it = s_.resolution_targets.find(contract.value());
  if (it == s_.resolution_targets.end()) return std::optional<Seconds>{};
  return std::optional<Seconds>(it->second);
}

Status MemorySlaRepository::SetResolutionTarget(ContractId contract,
                                                std::optional<Seconds> target) {
  if (target && target->count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "resolution target must be positive");
  }
  SOPORTE_TRY_STATUS(CheckExists(s_.contracts, contract.value(), "contract"));
  if (target) {
    s_.resolution_targets[contract.value()] = *target;
  } else {
    s_.resolution_targets.erase(contract.value());
  }
  return Ok();
}

}  // namespace soporte::storage::memory_internal
