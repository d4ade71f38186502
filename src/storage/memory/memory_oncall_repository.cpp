#include "storage/memory/memory_oncall_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>

namespace soporte::storage::memory_internal {

namespace oc = domain::oncall;

Status MemoryOnCallRepository::CheckUsers(const oc::Rota& r) {
  for (const auto& s : r.shifts) {
    SOPORTE_TRY_STATUS(CheckExists(s_.users, s.primary.value(), "user"));
    if (s.secondary.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, s.secondary.value(), "user"));
  }
  for (const auto& o : r.overrides)
    SOPORTE_TRY_STATUS(CheckExists(s_.users, o.user.value(), "user"));
  return Ok();
}

Result<std::vector<oc::Rota>> MemoryOnCallRepository::ListRotas() { return Values(s_.rotas); }

Result<oc::Rota> MemoryOnCallRepository::GetRota(std::int64_t id) {
  return Find(s_.rotas, id, "rota " + std::to_string(id));
}

Result<app::PageRecord> MemoryOnCallRepository::GetPage(std::int64_t id) {
  return Find(s_.pages, id, "page " + std::to_string(id));
}

Result<std::vector<app::PageRecord>> MemoryOnCallRepository::ListPages(TicketId t) {
  std::vector<app::PageRecord> out;
  for (const auto& [id, p] : s_.pages)
    if (p.ticket_id == t) out.push_back(p);
  return out;
}

Result<std::vector<app::PageRecord>> MemoryOnCallRepository::ListOpenPages(int limit) {
  std::vector<app::PageRecord> out;
  for (auto it = s_.pages.rbegin(); it != s_.pages.rend() && static_cast<int>(out.size()) < limit;
       ++it) {
    if (!it->second.acknowledged_at) out.push_back(it->second);
  }
  return out;
}

Result<std::vector<app::PageDeliveryRecord>> MemoryOnCallRepository::ListPageDeliveries(
    std::int64_t page_id) {
  std::vector<app::PageDeliveryRecord> out;
  for (const auto& [id, d] : s_.page_deliveries)
    if (d.page_id == page_id) out.push_back(d);
  return out;
}

Result<app::PageDeliveryRecord> MemoryOnCallRepository::FindPageDelivery(
    const std::string& ack_hash) {
  for (const auto& [id, d] : s_.page_deliveries)
    if (d.ack_hash == ack_hash) return d;
  return tl::make_unexpected(NotFound("page link"));
}

Result<oc::Rota> MemoryOnCallRepository::InsertRota(oc::Rota r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  SOPORTE_TRY_STATUS(CheckUsers(r));
  r.id = s_.next_rota++;
  r.version = 1;
  s_.rotas[r.id] = r;
  return r;
}

Result<oc::Rota> MemoryOnCallRepository::UpdateRota(oc::Rota r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  auto it = s_.rotas.find(r.id);
  if (it == s_.rotas.end()) return tl::make_unexpected(NotFound("rota " + std::to_string(r.id)));
  if (it->second.version != r.version) {
    return Fail(ErrorCode::kAborted, "rota " + std::to_string(r.id) + " changed (version " +
                                         std::to_string(it->second.version) + "); reload it");
  }
  SOPORTE_TRY_STATUS(CheckUsers(r));
  r.version += 1;
  r.created_at = it->second.created_at;
  it->second = r;
  return r;
}

Status MemoryOnCallRepository::DeleteRota(std::int64_t id) {
  if (!s_.rotas.erase(id)) return tl::make_unexpected(NotFound("rota " + std::to_string(id)));
  return Ok();
}

Result<app::PageRecord> MemoryOnCallRepository::InsertPage(app::PageRecord p) {
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, p.ticket_id.value(), "ticket"));
  for (const auto& [id, q] : s_.pages) {
    if (q.ticket_id == p.ticket_id && q.reason == p.reason && q.due == p.due) {
      return Fail(ErrorCode::kAlreadyExists,
                  "UNIQUE constraint failed: pages.ticket_id, "
                  "pages.reason, pages.due");
    }
  }
  p.id = s_.next_page++;
  s_.pages[p.id] = p;
  return p;
}

Status MemoryOnCallRepository::UpdatePage(const app::PageRecord& p) {
  auto it = s_.pages.find(p.id);
  if (it == s_.pages.end()) return tl::make_unexpected(NotFound("page " + std::to_string(p.id)));
  if (p.acknowledged_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.users, p.acknowledged_by.value(), "user"));
  app::PageRecord& q = it->second;
  q.level = p.level;
  q.escalate_at = p.escalate_at;
  q.claimed_until = p.claimed_until;
  q.acknowledged_at = p.acknowledged_at;
  q.acknowledged_by = p.acknowledged_by;
  q.acknowledged_via = p.acknowledged_via;
  return Ok();
}

Result<std::vector<app::PageRecord>> MemoryOnCallRepository::ClaimEscalations(Instant now,
                                                                              Instant lease_until,
                                                                              int limit) {
  std::vector<app::PageRecord*> due;
  for (auto& [id, p] : s_.pages) {
    if (!p.acknowledged_at && p.escalate_at && *p.escalate_at <= now &&
        (!p.claimed_until || *p.claimed_until < now)) {
      due.push_back(&p);
    }
  }
  std::sort(due.begin(), due.end(), [](auto* a, auto* b) {
    return std::tie(*a->escalate_at, a->id) < std::tie(*b->escalate_at, b->id);
  });
  std::vector<app::PageRecord> out;
  for (auto* p : due) {
    if (static_cast<int>(out.size()) >= limit) break;
    p->claimed_until = lease_until;
    out.push_back(*p);
  }
  return out;
}

Result<app::PageDeliveryRecord> MemoryOnCallRepository::InsertPageDelivery(
    app::PageDeliveryRecord d) {
  SOPORTE_TRY_STATUS(CheckExists(s_.pages, d.page_id, "page"));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, d.user_id.value(), "user"));
  for (const auto& [id, q] : s_.page_deliveries) {
    if (q.ack_hash == d.ack_hash) {
      return Fail(ErrorCode::kAlreadyExists, "UNIQUE constraint failed: page_deliveries.ack_hash");
    }
  }
  d.id = s_.next_page_delivery++;
  s_.page_deliveries[d.id] = d;
  return d;
}

Status MemoryOnCallRepository::UpdatePageDelivery(const app::PageDeliveryRecord& d) {
  auto it = s_.page_deliveries.find(d.id);
  if (it == s_.page_deliveries.end()) {
    return tl::make_unexpected(NotFound("page delivery " + std::to_string(d.id)));
  }
  app::PageDeliveryRecord& q = it->second;
  q.attempts = d.attempts;
  q.next_attempt_at = d.next_attempt_at;
  q.claimed_until = d.claimed_until;
  q.sent_at = d.sent_at;
  q.last_error = d.last_error;
  q.skipped_at = d.skipped_at;
  q.pending_token = d.pending_token;
  return Ok();
}

Result<std::vector<app::PageDeliveryRecord>> MemoryOnCallRepository::ClaimPageDeliveries(
    Instant now, Instant lease_until, int limit) {
  std::vector<app::PageDeliveryRecord*> due;
  for (auto& [id, d] : s_.page_deliveries) {
    if (!d.sent_at && !d.skipped_at && d.next_attempt_at <= now &&
        (!d.claimed_until || *d.claimed_until < now)) {
      due.push_back(&d);
    }
  }
  std::sort(due.begin(), due.end(), [](auto* a, auto* b) {
    return std::tie(a->next_attempt_at, a->id) < std::tie(b->next_attempt_at, b->id);
  });
  std::vector<app::PageDeliveryRecord> out;
  for (auto* d : due) {
    if (static_cast<int>(out.size()) >= limit) break;
    d->claimed_until = lease_until;
    out.push_back(*d);
  }
  return out;
}

}  // namespace soporte::storage::memory_internal
