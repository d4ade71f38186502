// Live chats in PostgreSQL (postgres/0005_webhooks_oncall_chats_reports.sql): chats, their
// messages numbered per chat, hand-offs, files, and the wait-alert and abandon leases.
// app::ChatRepository on one connection already inside a transaction, with the semantics and
// errors of storage/sqlite/chat_repository.*. A message takes its number from the UPDATE that
// raises chats.last_seq (a row lock: concurrent writers of one chat go one after the other, the
// later retried by SERIALIZABLE), so numbers stay unique and gapless; claims are one UPDATE over
// a FOR UPDATE SKIP LOCKED pick. Internal to storage/postgres.
#pragma once

#include "app/ports/chat_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgChatRepository final : public app::ChatRepository {
 public:
  explicit PgChatRepository(PgConn& conn) : conn_(conn) {}

  Result<domain::chat::Chat> GetChat(std::int64_t id) override;
  Result<domain::chat::Chat> FindChatByToken(const std::string& token_hash) override;
  Result<std::vector<domain::chat::Chat>> ListOpenChats(int limit) override;
  Result<std::vector<domain::chat::Chat>> ListOpenChatsOfUser(UserId user) override;
  Result<std::int64_t> CountWaitingChats() override;
  Result<std::int64_t> CountWaitingChatsFrom(const std::string& address) override;
  Result<std::vector<domain::chat::ChatMessage>> ListChatMessages(std::int64_t chat_id,
                                                                  std::int64_t after,
                                                                  int limit) override;
  Result<std::vector<domain::chat::ChatHandoff>> ListChatHandoffs(std::int64_t chat_id) override;
  Result<domain::chat::ChatFile> GetChatFile(std::int64_t id) override;
  Result<std::int64_t> CountChatFiles(std::int64_t chat_id) override;

  Result<domain::chat::Chat> InsertChat(domain::chat::Chat c,
                                        std::optional<Instant> wait_alert_due) override;
  Result<app::AppendedChatMessage> AppendChatMessage(domain::chat::ChatMessage m) override;
  Result<domain::chat::ChatFile> InsertChatFile(domain::chat::ChatFile f) override;
  Result<domain::chat::Chat> TakeChat(std::int64_t id, UserId agent, Instant now) override;
  Result<domain::chat::Chat> HandChat(std::int64_t id, UserId from, UserId to,
                                      Instant now) override;
  Result<domain::chat::Chat> CloseChat(std::int64_t id, Instant now) override;
  Status MarkChatRead(std::int64_t id, domain::chat::ChatAuthor side, std::int64_t seq) override;
  Status SetChatTicket(std::int64_t id, TicketId ticket) override;
  Status SetChatAbandonDue(std::int64_t id, std::optional<Instant> due) override;
  Result<std::vector<std::int64_t>> ClaimAbandonedChats(Instant now, const std::string& node,
                                                        Instant lease_until, int limit) override;
  Result<domain::chat::Chat> AbandonChat(std::int64_t id, const std::string& node,
                                         Instant now) override;
  Result<std::vector<app::ChatWaitAlertClaim>> ClaimChatWaitAlerts(Instant now,
                                                                   const std::string& node,
                                                                   Instant lease_until,
                                                                   int limit) override;
  Status FinishChatWaitAlert(std::int64_t chat_id, const std::string& node, Instant now) override;

 private:
  Status FillFiles(std::vector<domain::chat::ChatMessage>& messages);
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
