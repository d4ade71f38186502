// The on-call rotas and pages in memory: app::OnCallRepository over the MemoryStore's state
// (memory_state.hpp). Same semantics as the SQLite one (the conformance suite checks both).
// Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/oncall_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryOnCallRepository final : public app::OnCallRepository {
 public:
  explicit MemoryOnCallRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<domain::oncall::Rota>> ListRotas() override;
  Result<domain::oncall::Rota> GetRota(std::int64_t id) override;
  Result<app::PageRecord> GetPage(std::int64_t id) override;
  Result<std::vector<app::PageRecord>> ListPages(TicketId t) override;
  Result<std::vector<app::PageRecord>> ListOpenPages(int limit) override;
  Result<std::vector<app::PageDeliveryRecord>> ListPageDeliveries(std::int64_t page_id) override;
  Result<app::PageDeliveryRecord> FindPageDelivery(const std::string& ack_hash) override;

  Result<domain::oncall::Rota> InsertRota(domain::oncall::Rota r) override;
  Result<domain::oncall::Rota> UpdateRota(domain::oncall::Rota r) override;
  Status DeleteRota(std::int64_t id) override;
  Result<app::PageRecord> InsertPage(app::PageRecord p) override;
  Status UpdatePage(const app::PageRecord& p) override;
  Result<std::vector<app::PageRecord>> ClaimEscalations(Instant now, Instant lease_until,
                                                        int limit) override;
  Result<app::PageDeliveryRecord> InsertPageDelivery(app::PageDeliveryRecord d) override;
  Status UpdatePageDelivery(const app::PageDeliveryRecord& d) override;
  Result<std::vector<app::PageDeliveryRecord>> ClaimPageDeliveries(Instant now, Instant lease_until,
                                                                   int limit) override;

 private:
  Status CheckUsers(const domain::oncall::Rota& r);
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
