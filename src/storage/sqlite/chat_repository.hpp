// Live chats, their messages, hand-offs and wait alerts in SQLite (0017_chat.sql,
// 0021_chat_files.sql): app::ChatRepository on one connection already inside a transaction.
// Internal to storage/sqlite.
#pragma once

#include "app/ports/chat_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteChatRepository final : public app::ChatRepository {
 public:
  explicit SqliteChatRepository(Db& db) : db_(db) {}

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
  Result<std::vector<app::ChatWaitAlertClaim>> ClaimChatWaitAlerts(Instant now,
                                                                   const std::string& node,
                                                                   Instant lease_until,
                                                                   int limit) override;
  Status FinishChatWaitAlert(std::int64_t chat_id, const std::string& node, Instant now) override;
  Status SetChatAbandonDue(std::int64_t id, std::optional<Instant> due) override;
  Result<std::vector<std::int64_t>> ClaimAbandonedChats(Instant now, const std::string& node,
                                                        Instant lease_until, int limit) override;
  Result<domain::chat::Chat> AbandonChat(std::int64_t id, const std::string& node,
                                         Instant now) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
