#include "storage/memory/memory_chat_repository.hpp"

#include <algorithm>
#include <string>

namespace soporte::storage::memory_internal {

namespace chat = domain::chat;

Result<MemoryChatRow*> MemoryChatRepository::Row(std::int64_t id) {
  auto it = s_.chats.find(id);
  if (it == s_.chats.end()) return tl::make_unexpected(NotFound("chat " + std::to_string(id)));
  return &it->second;
}

Result<chat::Chat> MemoryChatRepository::GetChat(std::int64_t id) {
  SOPORTE_TRY(row, Row(id));
  return row->chat;
}

Result<chat::Chat> MemoryChatRepository::FindChatByToken(const std::string& token_hash) {
  if (!token_hash.empty()) {
    for (const auto& [id, row] : s_.chats)
      if (row.chat.token_hash == token_hash) return row.chat;
  }
  return tl::make_unexpected(NotFound("chat token"));
}

Result<std::vector<chat::Chat>> MemoryChatRepository::ListOpenChats(int limit) {
  std::vector<chat::Chat> out;
  for (const auto& [id, row] : s_.chats)
    if (row.chat.state != chat::ChatState::kClosed) out.push_back(row.chat);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
  });
  if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
  return out;
}

Result<std::vector<chat::Chat>> MemoryChatRepository::ListOpenChatsOfUser(UserId user) {
  std::vector<chat::Chat> out;
  for (const auto& [id, row] : s_.chats)
    if (row.chat.user_id == user && user.valid() && row.chat.state != chat::ChatState::kClosed)
      out.push_back(row.chat);
  return out;
}

Result<std::int64_t> MemoryChatRepository::CountWaitingChats() {
  std::int64_t n = 0;
  for (const auto& [id, row] : s_.chats) n += row.chat.state == chat::ChatState::kWaiting;
  return n;
}

Result<std::int64_t> MemoryChatRepository::CountWaitingChatsFrom(const std::string& address) {
  std::int64_t n = 0;
  for (const auto& [id, row] : s_.chats)
    n += row.chat.state == chat::ChatState::kWaiting && row.chat.opened_from == address;
  return n;
}

Result<std::vector<chat::ChatMessage>> MemoryChatRepository::ListChatMessages(std::int64_t chat_id,
                                                                              std::int64_t after,
                                                                              int limit) {
  std::vector<chat::ChatMessage> out;
  for (auto it = s_.chat_messages.upper_bound({chat_id, after});
       it != s_.chat_messages.end() && it->first.first == chat_id &&
       static_cast<int>(out.size()) < limit;
       ++it)
    out.push_back(it->second);
  for (auto& m : out) FillFiles(m);
  return out;
}

void MemoryChatRepository::FillFiles(chat::ChatMessage& m) const {
  m.files.clear();
  for (const auto& [id, f] : s_.chat_files)
    if (f.chat_id == m.chat_id && f.seq == m.seq) m.files.push_back(f);
}

Result<chat::ChatFile> MemoryChatRepository::GetChatFile(std::int64_t id) {
  auto it = s_.chat_files.find(id);
  if (it == s_.chat_files.end())
    return tl::make_unexpected(NotFound("chat file " + std::to_string(id)));
  return it->second;
}

Result<std::int64_t> MemoryChatRepository::CountChatFiles(std::int64_t chat_id) {
  std::int64_t n = 0;
  for (const auto& [id, f] : s_.chat_files) n += f.chat_id == chat_id;
  return n;
}

Result<chat::ChatFile> MemoryChatRepository::InsertChatFile(chat::ChatFile f) {
  SOPORTE_TRY(row, Row(f.chat_id));
  (void)row;
  if (f.author_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, f.author_id.value(), "user"));
  f.seq = 0;
  f.id = s_.next_chat_file++;
  s_.chat_files[f.id] = f;
  return f;
}

Result<std::vector<chat::ChatHandoff>> MemoryChatRepository::ListChatHandoffs(
    std::int64_t chat_id) {
  std::vector<chat::ChatHandoff> out;
  for (const auto& h : s_.chat_handoffs)
    if (h.chat_id == chat_id) out.push_back(h);
  return out;
}

Result<chat::Chat> MemoryChatRepository::InsertChat(chat::Chat c,
                                                    std::optional<Instant> wait_alert_due) {
  SOPORTE_TRY_STATUS(chat::CheckVisitor(c.visitor_name, c.visitor_email));
  if (c.user_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, c.user_id.value(), "user"));
  if (c.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.orgs, c.org_id.value(), "organization"));
  if (c.taken_by.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, c.taken_by.value(), "user"));
  if (!c.token_hash.empty()) {
    for (const auto& [id, row] : s_.chats)
      if (row.chat.token_hash == c.token_hash)
        return Fail(ErrorCode::kAlreadyExists, "chat token already in use");
  }
  c.last_seq = c.visitor_read = c.agent_read = 0;
  c.ticket_id = TicketId{};
  c.id = s_.next_chat++;
  MemoryChatRow row;
  row.chat = c;
  row.wait_alert_due = wait_alert_due;
  s_.chats[c.id] = std::move(row);
  return c;
}

Result<app::AppendedChatMessage> MemoryChatRepository::AppendChatMessage(chat::ChatMessage m) {
  if (!m.client_id.empty()) {
    for (auto it = s_.chat_messages.lower_bound({m.chat_id, 0});
         it != s_.chat_messages.end() && it->first.first == m.chat_id; ++it)
      if (it->second.client_id == m.client_id) {
        chat::ChatMessage stored = it->second;
        FillFiles(stored);
        return app::AppendedChatMessage{std::move(stored), false};
      }
  }
  if (m.author_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, m.author_id.value(), "user"));
  SOPORTE_TRY(row, Row(m.chat_id));
  m.seq = ++row->chat.last_seq;
  if (!row->chat.first_message_at && m.author == chat::ChatAuthor::kVisitor)
    row->chat.first_message_at = m.created_at;
  for (auto& f : m.files) {
    auto it = s_.chat_files.find(f.id);
    if (it == s_.chat_files.end() || it->second.chat_id != m.chat_id || it->second.seq != 0)
      return Fail(ErrorCode::kInvalidArgument,
                  "files: file " + std::to_string(f.id) + " is unknown or already sent");
    it->second.seq = m.seq;
    f = it->second;
  }
  s_.chat_messages[{m.chat_id, m.seq}] = m;
  return app::AppendedChatMessage{std::move(m), true};
}

Result<chat::Chat> MemoryChatRepository::TakeChat(std::int64_t id, UserId agent, Instant now) {
  SOPORTE_TRY_STATUS(CheckExists(s_.users, agent.value(), "user"));
  SOPORTE_TRY(row, Row(id));
  SOPORTE_TRY_STATUS(chat::CanTake(row->chat));
  row->chat.state = chat::ChatState::kTaken;
  row->chat.taken_by = agent;
  row->chat.taken_at = now;
  return row->chat;
}

Result<chat::Chat> MemoryChatRepository::HandChat(std::int64_t id, UserId from, UserId to,
                                                  Instant now) {
  SOPORTE_TRY(row, Row(id));
  SOPORTE_TRY_STATUS(chat::CanHand(row->chat, from, to));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, to.value(), "user"));
  row->chat.taken_by = to;
  row->chat.taken_at = now;
  s_.chat_handoffs.push_back(chat::ChatHandoff{id, from, to, now});
  return row->chat;
}

Result<chat::Chat> MemoryChatRepository::CloseChat(std::int64_t id, Instant now) {
  SOPORTE_TRY(row, Row(id));
  SOPORTE_TRY_STATUS(chat::CanClose(row->chat));
  row->chat.state = chat::ChatState::kClosed;
  row->chat.closed_at = now;
  return row->chat;
}

Status MemoryChatRepository::MarkChatRead(std::int64_t id, chat::ChatAuthor side,
                                          std::int64_t seq) {
  SOPORTE_TRY(row, Row(id));
  std::int64_t& mark =
      side == chat::ChatAuthor::kAgent ? row->chat.agent_read : row->chat.visitor_read;
  mark = std::min(std::max(mark, seq), row->chat.last_seq);
  return Ok();
}

Status MemoryChatRepository::SetChatTicket(std::int64_t id, TicketId ticket) {
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, ticket.value(), "ticket"));
  SOPORTE_TRY(row, Row(id));
  row->chat.ticket_id = ticket;
  return Ok();
}

Result<std::vector<app::ChatWaitAlertClaim>> MemoryChatRepository::ClaimChatWaitAlerts(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  std::vector<MemoryChatRow*> due;
  for (auto& [id, row] : s_.chats) {
    if (row.wait_alert_due && !row.wait_alert_done && *row.wait_alert_due <= now &&
        (!row.lease_until || *row.lease_until < now))
      due.push_back(&row);
  }
  std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    return *a->wait_alert_due != *b->wait_alert_due ? *a->wait_alert_due < *b->wait_alert_due
                                                    : a->chat.id < b->chat.id;
  });
  if (static_cast<int>(due.size()) > limit) due.resize(static_cast<std::size_t>(limit));
  std::vector<app::ChatWaitAlertClaim> out;
  for (auto* row : due) {
    row->claimed_by = node;
    row->lease_until = lease_until;
    out.push_back(app::ChatWaitAlertClaim{row->chat.id, *row->wait_alert_due, node, lease_until});
  }
  return out;
}

Status MemoryChatRepository::FinishChatWaitAlert(std::int64_t chat_id, const std::string& node,
                                                 Instant now) {
  SOPORTE_TRY(row, Row(chat_id));
  if (row->claimed_by != node)
    return Fail(ErrorCode::kAborted, "the wait alert of chat " + std::to_string(chat_id) +
                                         " is no longer held by " + node + " (its lease ran out)");
  row->wait_alert_done = now;
  row->claimed_by.clear();
  row->lease_until.reset();
  return Ok();
}

Status MemoryChatRepository::SetChatAbandonDue(std::int64_t id, std::optional<Instant> due) {
  SOPORTE_TRY(row, Row(id));
  row->abandon_due = due;
  return Ok();
}

Result<std::vector<std::int64_t>> MemoryChatRepository::ClaimAbandonedChats(Instant now,
                                                                            const std::string& node,
                                                                            Instant lease_until,
                                                                            int limit) {
  std::vector<MemoryChatRow*> due;
  for (auto& [id, row] : s_.chats)
    if (row.chat.state == chat::ChatState::kWaiting && row.abandon_due && *row.abandon_due <= now &&
        (!row.abandon_lease_until || *row.abandon_lease_until < now))
      due.push_back(&row);
  std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    return *a->abandon_due != *b->abandon_due ? *a->abandon_due < *b->abandon_due
                                              : a->chat.id < b->chat.id;
  });
  if (static_cast<int>(due.size()) > limit) due.resize(static_cast<std::size_t>(limit));
  std::vector<std::int64_t> out;
  for (auto* row : due) {
    row->abandon_claimed_by = node;
    row->abandon_lease_until = lease_until;
    out.push_back(row->chat.id);
  }
  return out;
}

Result<chat::Chat> MemoryChatRepository::AbandonChat(std::int64_t id, const std::string& node,
                                                     Instant now) {
  SOPORTE_TRY(row, Row(id));
  if (row->abandon_claimed_by != node || row->chat.state != chat::ChatState::kWaiting ||
      !row->abandon_due || *row->abandon_due > now)
    return Fail(ErrorCode::kAborted, "chat " + std::to_string(id) + " is no longer abandoned by " +
                                         "its visitor or no longer held by " + node);
  row->chat.state = chat::ChatState::kClosed;
  row->chat.closed_at = now;
  row->abandon_due.reset();
  row->abandon_claimed_by.clear();
  row->abandon_lease_until.reset();
  return row->chat;
}

}  // namespace soporte::storage::memory_internal
