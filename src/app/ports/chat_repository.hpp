// The chat port (issue 13): live conversations, their messages (numbered 1, 2, 3… per
// conversation; a client resumes with "the messages after N"), the hand-offs between agents, and
// the wait alert of each chat (a due instant claimed by the chat-wait job with a lease, so several
// nodes alert once). Reached as tx.chats() inside a Store transaction (store.hpp). Implemented by
// storage/sqlite/chat_repository.* and storage/memory/memory_chat_repository.*; 0017_chat.sql,
// 0021_chat_files.sql.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/chat/chat.hpp"

namespace soporte::app {

// What AppendChatMessage did: the stored message, and whether it is new (false: the same
// client_id was already stored in that conversation, and `message` is the stored one).
struct AppendedChatMessage {
  domain::chat::ChatMessage message;
  bool inserted = true;
};

// A chat whose wait alert is due, claimed by one node.
struct ChatWaitAlertClaim {
  std::int64_t chat_id = 0;
  Instant due;
  std::string claimed_by;
  Instant lease_until;
};

// Reads; used by one thread inside one Read or Write call.
class ChatReader {
 public:
  virtual ~ChatReader() = default;
  // kNotFound ("chat N not found") when absent.
  virtual Result<domain::chat::Chat> GetChat(std::int64_t id) = 0;
  // The chat whose token hashes to `token_hash`; kNotFound ("chat token not found") when none.
  virtual Result<domain::chat::Chat> FindChatByToken(const std::string& token_hash) = 0;
  // The chats not closed (waiting and taken), oldest first, at most `limit`.
  virtual Result<std::vector<domain::chat::Chat>> ListOpenChats(int limit) = 0;
  // A portal user's chats not closed, oldest first.
  virtual Result<std::vector<domain::chat::Chat>> ListOpenChatsOfUser(UserId user) = 0;
  // How many chats wait for an agent (for the cap on waiting chats).
  virtual Result<std::int64_t> CountWaitingChats() = 0;
  // How many of them were opened from client address `address` (Chat::opened_from).
  virtual Result<std::int64_t> CountWaitingChatsFrom(const std::string& address) = 0;
  // The messages of `chat_id` with seq > `after`, in seq order, at most `limit` (empty when the
  // chat does not exist), each with its files.
  virtual Result<std::vector<domain::chat::ChatMessage>> ListChatMessages(std::int64_t chat_id,
                                                                          std::int64_t after,
                                                                          int limit) = 0;
  // The hand-offs of a chat, oldest first.
  virtual Result<std::vector<domain::chat::ChatHandoff>> ListChatHandoffs(std::int64_t chat_id) = 0;
  // A chat's file; kNotFound ("chat file N") when absent.
  virtual Result<domain::chat::ChatFile> GetChatFile(std::int64_t id) = 0;
  // How many files were uploaded to `chat_id`, sent or not (the per-chat cap).
  virtual Result<std::int64_t> CountChatFiles(std::int64_t chat_id) = 0;
};

class ChatRepository : public ChatReader {
 public:
  // Stores a chat and returns it with its id (c.id, last_seq and read marks ignored: 0).
  // `wait_alert_due`: when it alerts the agents on shift if still waiting (nullopt: never).
  // kAlreadyExists when token_hash (not "") is taken; kFailedPrecondition when user_id or
  // org_id names nothing; kInvalidArgument for an empty visitor name or email.
  virtual Result<domain::chat::Chat> InsertChat(domain::chat::Chat c,
                                                std::optional<Instant> wait_alert_due) = 0;
  // Appends a message to its chat: seq = the chat's last_seq + 1 (the chat's last_seq follows),
  // and the chat's first_message_at is set by the first visitor message. When m.client_id is
  // not "" and the chat already holds a message with that client_id, stores nothing and returns
  // that message with inserted = false (a resend after a drop). kNotFound when the chat is
  // absent. The state is the caller's to check (domain::chat::CanPost) in the same transaction.
  // The files named by id in m.files are sent with it: each must be a file of this chat not
  // sent yet (kInvalidArgument naming "files" otherwise; who uploaded it is the caller's to check,
  // domain::chat::CanSendFile) and takes the message's seq; the message returned carries them.
  virtual Result<AppendedChatMessage> AppendChatMessage(domain::chat::ChatMessage m) = 0;
  // Stores an uploaded file of chat f.chat_id, not sent (seq 0), and returns it with its id.
  // kNotFound when the chat is absent; kFailedPrecondition when author_id names nobody.
  virtual Result<domain::chat::ChatFile> InsertChatFile(domain::chat::ChatFile f) = 0;
  // waiting → taken by `agent` at `now`, only if still waiting (an atomic conditional update:
  // of two agents, or two nodes, taking at once one wins). kFailedPrecondition ("already
  // taken" / "closed") otherwise; kNotFound when absent.
  virtual Result<domain::chat::Chat> TakeChat(std::int64_t id, UserId agent, Instant now) = 0;
  // Moves a taken chat from `from` to `to` and records the hand-off, only while `from` holds
  // it; kFailedPrecondition otherwise; kNotFound when absent.
  virtual Result<domain::chat::Chat> HandChat(std::int64_t id, UserId from, UserId to,
                                              Instant now) = 0;
  // Closes a waiting or taken chat; kFailedPrecondition when already closed; kNotFound.
  virtual Result<domain::chat::Chat> CloseChat(std::int64_t id, Instant now) = 0;
  // Raises one side's read mark to `seq` (never lowers it, never past last_seq). kNotFound.
  virtual Status MarkChatRead(std::int64_t id, domain::chat::ChatAuthor side, std::int64_t seq) = 0;
  // Records the ticket the chat became or was added to. kNotFound; kFailedPrecondition when
  // the ticket does not exist.
  virtual Status SetChatTicket(std::int64_t id, TicketId ticket) = 0;

  // When the waiting chat `id` is closed as abandoned by its visitor (nullopt: never, while the
  // visitor has a socket open). kNotFound.
  virtual Status SetChatAbandonDue(std::int64_t id, std::optional<Instant> due) = 0;
  // Claims up to `limit` waiting chats whose abandon_due <= `now` and whose lease is free, for
  // `node` until `lease_until`, oldest due first; returns their ids. The cost follows what is
  // due (an index on abandon_due of waiting chats).
  virtual Result<std::vector<std::int64_t>> ClaimAbandonedChats(Instant now,
                                                                const std::string& node,
                                                                Instant lease_until, int limit) = 0;
  // Closes a claimed chat as abandoned at `now`, only while `node` holds it, the chat still waits
  // and its abandon_due is still <= now (the visitor did not come back). kAborted otherwise (the
  // lease went to another node, an agent took it, the visitor returned); kNotFound.
  virtual Result<domain::chat::Chat> AbandonChat(std::int64_t id, const std::string& node,
                                                 Instant now) = 0;

  // Claims up to `limit` wait alerts due at `now` (not done, due <= now, lease free: none or
  // lease_until < now) for `node` until `lease_until`, oldest due first. The cost follows what
  // is due (an index on the due instant of alerts not done).
  virtual Result<std::vector<ChatWaitAlertClaim>> ClaimChatWaitAlerts(Instant now,
                                                                      const std::string& node,
                                                                      Instant lease_until,
                                                                      int limit) = 0;
  // Marks a claimed wait alert done at `now`, only while `node` holds it: kAborted when the
  // lease went to another node; kNotFound when the chat is absent.
  virtual Status FinishChatWaitAlert(std::int64_t chat_id, const std::string& node,
                                     Instant now) = 0;
};

}  // namespace soporte::app
