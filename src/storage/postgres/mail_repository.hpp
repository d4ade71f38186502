// The email channel in PostgreSQL (outbox, mail_message_ids, inbound_unassigned and its files,
// imap_state, imap_done, mail_auto_replies; postgres/0004_profiles_mail_alerts_sla.sql):
// Message-IDs, the outbox (claimed by one node at a time with a lease: FOR UPDATE SKIP LOCKED),
// kept inbound mail, the IMAP position and the automatic answers sent. app::MailRepository on one
// connection already inside a transaction, with the semantics and errors of
// storage/sqlite/mail_repository.*. Internal to storage/postgres.
#pragma once

#include "app/ports/mail_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgMailRepository final : public app::MailRepository {
 public:
  explicit PgMailRepository(PgConn& conn) : conn_(conn) {}

  Result<app::MessageIdRecord> FindMessageId(const std::string& message_id) override;
  Result<std::vector<app::MessageIdRecord>> ListMessageIds(TicketId t) override;
  Result<std::vector<app::OutboxRecord>> ListOutbox(std::optional<TicketId> t) override;
  Result<app::OutboxRecord> GetOutbox(std::int64_t id) override;
  Result<std::vector<app::OutboxRecord>> ListFailedOutbox(int limit) override;
  Result<app::OutboxRecord> FindOutboxByMessageId(const std::string& message_id) override;
  Result<app::OutboxCounts> CountOutbox() override;
  Result<std::vector<app::InboundUnassignedRecord>> ListInboundUnassigned() override;
  Result<app::InboundUnassignedRecord> GetInboundUnassigned(std::int64_t id) override;
  Result<app::InboundUnassignedRecord> FindInboundUnassigned(
      const std::string& message_id) override;
  Result<app::ImapStateRecord> GetImapState(const std::string& mailbox) override;
  Result<std::vector<std::int64_t>> ListImapUids(const std::string& mailbox,
                                                 std::int64_t uidvalidity,
                                                 std::int64_t after_uid) override;
  Result<std::int64_t> CountAutoReplies(const std::string& address, Instant since) override;

  Status InsertMessageId(const app::MessageIdRecord& r) override;
  Result<app::OutboxRecord> InsertOutbox(app::OutboxRecord r) override;
  Result<std::vector<app::OutboxRecord>> ClaimOutbox(Instant now, Instant lease_until,
                                                     int limit) override;
  Status UpdateOutboxDelivery(const app::OutboxRecord& r) override;
  Result<int> PurgeSentOutbox(Instant sent_before, int limit) override;
  Result<app::InboundUnassignedRecord> InsertInboundUnassigned(
      app::InboundUnassignedRecord r) override;
  Status ResolveInboundUnassigned(const app::InboundUnassignedRecord& r) override;
  Status PutImapState(const app::ImapStateRecord& r) override;
  Status MarkImapUid(const std::string& mailbox, std::int64_t uidvalidity,
                     std::int64_t uid) override;
  Status RecordAutoReply(const std::string& address, Instant at) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
