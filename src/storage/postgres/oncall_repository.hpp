// The on-call rotas and pages in PostgreSQL (postgres/0005_webhooks_oncall_chats_reports.sql):
// app::OnCallRepository on one connection already inside a transaction, with the semantics and
// errors of storage/sqlite/oncall_repository.*. Escalations and page deliveries are claimed by one
// UPDATE over a FOR UPDATE SKIP LOCKED pick of the due rows, so each is held by one node at a
// time. Internal to storage/postgres.
#pragma once

#include "app/ports/oncall_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgOnCallRepository final : public app::OnCallRepository {
 public:
  explicit PgOnCallRepository(PgConn& conn) : conn_(conn) {}

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
  Status ReadRotaParts(domain::oncall::Rota& r);
  Status WriteRotaParts(const domain::oncall::Rota& r);
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
