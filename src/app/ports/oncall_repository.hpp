// The on-call port: rotas (weekly shifts, overrides) and pages (who was paged for which ticket,
// at which level of the escalation chain, acknowledged or not) with their deliveries to the
// gateway command (0012_oncall.sql). Reached as tx.oncall() inside a Store transaction
// (store.hpp). Pages and deliveries are rows written in the transaction of the change that
// caused them; the paging job claims due ones with a lease (exactly once across nodes).
// Implemented by storage/sqlite/oncall_repository.* and storage/memory/memory_oncall_repository.*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/oncall/rota.hpp"

namespace soporte::app {

// Why a ticket was paged: a new Crítico ticket out of hours, or an SLA threshold.
// Stored as "critical_created", "sla_warning", "sla_breach".
struct PageRecord {
  std::int64_t id = 0;
  TicketId ticket_id;
  std::string reason;
  Instant due;    // the response due the page is about (one page per ticket, reason, due)
  int level = 0;  // the chain level paged last (domain/oncall: 0, 1, 2)
  std::int64_t rota_id = 0;  // the rota whose chain is followed (0: none; supervisors only)
  Instant created_at;
  // When to escalate if still unacknowledged; none once the chain's last level was paged.
  std::optional<Instant> escalate_at;
  std::optional<Instant> claimed_until;  // an escalating node's lease
  std::optional<Instant> acknowledged_at;
  UserId acknowledged_by;
  std::string acknowledged_via;  // "link", "console", "api"
};

// One page to one person at one level by the gateway command, with its acknowledge link's hash.
struct PageDeliveryRecord {
  std::int64_t id = 0;
  std::int64_t page_id = 0;
  int level = 0;
  UserId user_id;
  std::string ack_hash;  // the acknowledge link's token, hashed; unique
  // The token itself while the gateway still has to send it (like a reset link in the outbox's
  // body until sent); blanked in the write that marks the delivery sent or skipped.
  std::string pending_token;
  Instant ack_expires_at;
  int attempts = 0;
  Instant next_attempt_at;
  std::optional<Instant> claimed_until;
  std::optional<Instant> sent_at;
  std::string last_error;  // the command's last failure, shown in the console
  // Set when the page was acknowledged before this delivery went out: never sent.
  std::optional<Instant> skipped_at;
};

class OnCallReader {
 public:
  virtual ~OnCallReader() = default;

  // Every rota with its shifts and overrides, by id.
  virtual Result<std::vector<domain::oncall::Rota>> ListRotas() = 0;
  // kNotFound when absent.
  virtual Result<domain::oncall::Rota> GetRota(std::int64_t id) = 0;

  virtual Result<PageRecord> GetPage(std::int64_t id) = 0;  // kNotFound when absent
  // The pages of ticket `t`, oldest first.
  virtual Result<std::vector<PageRecord>> ListPages(TicketId t) = 0;
  // Unacknowledged pages, newest first, at most `limit` (the console).
  virtual Result<std::vector<PageRecord>> ListOpenPages(int limit) = 0;
  // The deliveries of page `page_id`, oldest first.
  virtual Result<std::vector<PageDeliveryRecord>> ListPageDeliveries(std::int64_t page_id) = 0;
  // The delivery whose acknowledge token hashes to `ack_hash`; kNotFound when none.
  virtual Result<PageDeliveryRecord> FindPageDelivery(const std::string& ack_hash) = 0;
};

class OnCallRepository : public OnCallReader {
 public:
  // Stores a valid rota (domain ValidateRota, users must exist) as version 1 and returns it.
  // kInvalidArgument for an invalid one; kFailedPrecondition for an unknown user.
  virtual Result<domain::oncall::Rota> InsertRota(domain::oncall::Rota r) = 0;
  // Replaces every field, shift and override of rota r.id when the stored version equals
  // r.version, stores version+1 and returns it. kAborted on another version, kNotFound when
  // absent.
  virtual Result<domain::oncall::Rota> UpdateRota(domain::oncall::Rota r) = 0;
  // kNotFound when absent.
  virtual Status DeleteRota(std::int64_t id) = 0;

  // Returns the row with its id. kAlreadyExists when (ticket_id, reason, due) is already paged.
  virtual Result<PageRecord> InsertPage(PageRecord p) = 0;
  // Stores level, escalate_at, claimed_until and the acknowledgement of page p.id. kNotFound.
  virtual Status UpdatePage(const PageRecord& p) = 0;
  // Claims up to `limit` unacknowledged pages with escalate_at <= now whose lease is free
  // (claimed_until absent or < now) by setting claimed_until = lease_until; earliest first.
  virtual Result<std::vector<PageRecord>> ClaimEscalations(Instant now, Instant lease_until,
                                                           int limit) = 0;

  // Returns the row with its id. kAlreadyExists on a duplicate ack_hash.
  virtual Result<PageDeliveryRecord> InsertPageDelivery(PageDeliveryRecord d) = 0;
  // Stores attempts, next_attempt_at, claimed_until, sent_at, last_error, skipped_at and
  // pending_token. kNotFound when absent.
  virtual Status UpdatePageDelivery(const PageDeliveryRecord& d) = 0;
  // Claims up to `limit` deliveries not sent nor skipped with next_attempt_at <= now and a free
  // lease, setting claimed_until = lease_until; earliest first.
  virtual Result<std::vector<PageDeliveryRecord>> ClaimPageDeliveries(Instant now,
                                                                      Instant lease_until,
                                                                      int limit) = 0;
};

}  // namespace soporte::app
