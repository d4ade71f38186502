// Live chats, their messages, hand-offs and wait alerts in memory: app::ChatRepository over the
// MemoryStore's state (memory_state.hpp). Same semantics as the SQLite one (the conformance suite
// checks both). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/chat_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryChatRepository final : public app::ChatRepository {
 public:
  explicit MemoryChatRepository(MemoryState& s) : s_(s) {}

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
  Result<MemoryChatRow*> Row(std::int64_t id);
  // Sets m.files from chat_files (those that took m's seq).
  void FillFiles(domain::chat::ChatMessage& m) const;
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
