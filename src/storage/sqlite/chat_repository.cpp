#include "storage/sqlite/chat_repository.hpp"

#include <string>

#include "storage/rows/chats.hpp"
#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {

namespace chat = domain::chat;

namespace {

// The row readers and column lists both stores share (storage/rows/chats.hpp).
using rows::JoinIds;
using rows::kChatCols;
using rows::kFileCols;
using rows::kMessageCols;
Result<chat::Chat> ReadChat(const Stmt& r) { return rows::ChatFrom(r); }
Result<chat::ChatMessage> ReadMessage(const Stmt& r) { return rows::MessageFrom(r); }
Result<chat::ChatFile> ReadFile(const Stmt& r) { return rows::FileFrom(r); }

// Fills the files of `messages` (of one chat, in seq order) from chat_files, one query for all.
Status FillFiles(Db& db, std::vector<chat::ChatMessage>& messages) {
  if (messages.empty()) return Ok();
  SOPORTE_TRY(s, db.Prepare(Sql({"SELECT ", kFileCols,
                                 " FROM chat_files WHERE chat_id = ? AND seq >= ? AND seq <= ? "
                                 "ORDER BY seq, id"})));
  s.Bind(1, messages.front().chat_id).Bind(2, messages.front().seq).Bind(3, messages.back().seq);
  SOPORTE_TRY(files, Collect<chat::ChatFile>(s, ReadFile));
  std::size_t at = 0;
  for (auto& f : files) {
    while (at < messages.size() && messages[at].seq < f.seq) ++at;
    if (at < messages.size() && messages[at].seq == f.seq)
      messages[at].files.push_back(std::move(f));
  }
  return Ok();
}

std::string ChatNotFound(std::int64_t id) { return "chat " + std::to_string(id); }

}  // namespace

Result<chat::Chat> SqliteChatRepository::GetChat(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kChatCols, " FROM chats WHERE id = ?"})));
  s.Bind(1, id);
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(NotFound(ChatNotFound(id)));
  return ReadChat(s);
}

Result<chat::Chat> SqliteChatRepository::FindChatByToken(const std::string& token_hash) {
  if (token_hash.empty()) return tl::make_unexpected(NotFound("chat token"));
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kChatCols, " FROM chats WHERE token_hash = ?"})));
  s.Bind(1, token_hash);
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(NotFound("chat token"));
  return ReadChat(s);
}

Result<std::vector<chat::Chat>> SqliteChatRepository::ListOpenChats(int limit) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kChatCols,
                                  " FROM chats WHERE state <> 'closed' "
                                  "ORDER BY created_at, id LIMIT ?"})));
  s.Bind(1, std::int64_t{limit});
  return Collect<chat::Chat>(s, ReadChat);
}

Result<std::vector<chat::Chat>> SqliteChatRepository::ListOpenChatsOfUser(UserId user) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kChatCols,
                                  " FROM chats WHERE user_id = ? AND state <> 'closed' "
                                  "ORDER BY id"})));
  s.Bind(1, user.value());
  return Collect<chat::Chat>(s, ReadChat);
}

Result<std::int64_t> SqliteChatRepository::CountWaitingChats() {
  SOPORTE_TRY(s, db_.Prepare("SELECT COUNT(*) FROM chats WHERE state = 'waiting'"));
  return One<std::int64_t>(
      s, [](const Stmt& r) { return r.Int(0); }, std::string("chat count"));
}

Result<std::int64_t> SqliteChatRepository::CountWaitingChatsFrom(const std::string& address) {
  // Follows chats_waiting_from (waiting chats only).
  SOPORTE_TRY(s, db_.Prepare("SELECT COUNT(*) FROM chats WHERE state = 'waiting' AND "
                             "opened_from = ?"));
  s.Bind(1, address);
  return One<std::int64_t>(
      s, [](const Stmt& r) { return r.Int(0); }, std::string("chat count"));
}

Result<std::vector<chat::ChatMessage>> SqliteChatRepository::ListChatMessages(std::int64_t chat_id,
                                                                              std::int64_t after,
                                                                              int limit) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kMessageCols,
                                  " FROM chat_messages WHERE chat_id = ? AND seq > ? "
                                  "ORDER BY seq LIMIT ?"})));
  s.Bind(1, chat_id).Bind(2, after).Bind(3, std::int64_t{limit});
  SOPORTE_TRY(messages, Collect<chat::ChatMessage>(s, ReadMessage));
  SOPORTE_TRY_STATUS(FillFiles(db_, messages));
  return messages;
}

Result<std::vector<chat::ChatHandoff>> SqliteChatRepository::ListChatHandoffs(
    std::int64_t chat_id) {
  SOPORTE_TRY(s, db_.Prepare("SELECT chat_id, from_user, to_user, at FROM chat_handoffs "
                             "WHERE chat_id = ? ORDER BY id"));
  s.Bind(1, chat_id);
  return Collect<chat::ChatHandoff>(s, [](const Stmt& r) {
    return chat::ChatHandoff{r.Int(0), UserId{r.Int(1)}, UserId{r.Int(2)}, At(r.Int(3))};
  });
}

Result<chat::Chat> SqliteChatRepository::InsertChat(chat::Chat c,
                                                    std::optional<Instant> wait_alert_due) {
  SOPORTE_TRY_STATUS(chat::CheckVisitor(c.visitor_name, c.visitor_email));
  if (c.user_id.valid()) SOPORTE_TRY_STATUS(CheckExists(db_, "users", c.user_id.value(), "user"));
  if (c.org_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", c.org_id.value(), "organization"));
  if (c.taken_by.valid()) SOPORTE_TRY_STATUS(CheckExists(db_, "users", c.taken_by.value(), "user"));
  c.last_seq = c.visitor_read = c.agent_read = 0;
  c.ticket_id = TicketId{};
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO chats(visitor_name, visitor_email, user_id, org_id, "
                             "origin, lang, state, created_at, first_message_at, taken_by, "
                             "taken_at, closed_at, token_hash, wait_alert_due, opened_from) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, c.visitor_name)
      .Bind(2, c.visitor_email)
      .BindOpt(3, OptId(c.user_id.value()))
      .BindOpt(4, OptId(c.org_id.value()))
      .Bind(5, c.origin)
      .Bind(6, c.lang)
      .Bind(7, chat::ChatStateName(c.state))
      .Bind(8, Secs(c.created_at))
      .BindOpt(9, OptSecs(c.first_message_at))
      .BindOpt(10, OptId(c.taken_by.value()))
      .BindOpt(11, OptSecs(c.taken_at))
      .BindOpt(12, OptSecs(c.closed_at));
  if (c.token_hash.empty())
    s.BindNull(13);
  else
    s.Bind(13, c.token_hash);
  s.BindOpt(14, OptSecs(wait_alert_due));
  s.Bind(15, c.opened_from);
  auto ran = s.Run();
  if (!ran) {
    if (ran.error().code == ErrorCode::kAlreadyExists)
      return Fail(ErrorCode::kAlreadyExists, "chat token already in use");
    return tl::make_unexpected(ran.error());
  }
  c.id = db_.LastInsertId();
  return c;
}

Result<app::AppendedChatMessage> SqliteChatRepository::AppendChatMessage(chat::ChatMessage m) {
  if (!m.client_id.empty()) {
    SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kMessageCols,
                                    " FROM chat_messages WHERE chat_id = ? AND client_id = ?"})));
    s.Bind(1, m.chat_id).Bind(2, m.client_id);
    SOPORTE_TRY(row, s.Step());
    if (row) {
      SOPORTE_TRY(stored, ReadMessage(s));
      std::vector<chat::ChatMessage> one{std::move(stored)};
      SOPORTE_TRY_STATUS(FillFiles(db_, one));
      return app::AppendedChatMessage{std::move(one.front()), false};
    }
  }
  if (m.author_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", m.author_id.value(), "user"));
  {
    // Raises last_seq and, for the first visitor message, first_message_at, in one statement.
    SOPORTE_TRY(u, db_.Prepare("UPDATE chats SET last_seq = last_seq + 1, first_message_at = "
                               "CASE WHEN first_message_at IS NULL AND ? = 'visitor' THEN ? "
                               "ELSE first_message_at END WHERE id = ? RETURNING last_seq"));
    u.Bind(1, chat::ChatAuthorName(m.author)).Bind(2, Secs(m.created_at)).Bind(3, m.chat_id);
    SOPORTE_TRY(row, u.Step());
    if (!row) return tl::make_unexpected(NotFound(ChatNotFound(m.chat_id)));
    m.seq = u.Int(0);
    SOPORTE_TRY(done, u.Step());
    (void)done;
  }
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO chat_messages(chat_id, seq, client_id, author, "
                             "author_id, body, attachments, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, m.chat_id)
      .Bind(2, m.seq)
      .Bind(3, m.client_id)
      .Bind(4, chat::ChatAuthorName(m.author))
      .BindOpt(5, OptId(m.author_id.value()))
      .Bind(6, m.text)
      .Bind(7, JoinIds(m.files))
      .Bind(8, Secs(m.created_at));
  SOPORTE_TRY_STATUS(s.Run());
  // The files it sends take its seq, each only if of this chat and not sent yet (a conditional
  // update: a file is sent once even by two messages at once).
  for (auto& f : m.files) {
    SOPORTE_TRY(u, db_.Prepare(Sql({"UPDATE chat_files SET seq = ? WHERE id = ? AND chat_id = ? "
                                    "AND seq = 0 RETURNING ",
                                    kFileCols})));
    u.Bind(1, m.seq).Bind(2, f.id).Bind(3, m.chat_id);
    SOPORTE_TRY(row, u.Step());
    if (!row)
      return Fail(ErrorCode::kInvalidArgument,
                  "files: file " + std::to_string(f.id) + " is unknown or already sent");
    SOPORTE_TRY(sent, ReadFile(u));
    SOPORTE_TRY(done, u.Step());
    (void)done;
    f = std::move(sent);
  }
  return app::AppendedChatMessage{std::move(m), true};
}

Result<chat::ChatFile> SqliteChatRepository::GetChatFile(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kFileCols, " FROM chat_files WHERE id = ?"})));
  s.Bind(1, id);
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(NotFound("chat file " + std::to_string(id)));
  return ReadFile(s);
}

Result<std::int64_t> SqliteChatRepository::CountChatFiles(std::int64_t chat_id) {
  SOPORTE_TRY(s, db_.Prepare("SELECT COUNT(*) FROM chat_files WHERE chat_id = ?"));
  s.Bind(1, chat_id);
  return One<std::int64_t>(
      s, [](const Stmt& r) { return r.Int(0); }, std::string("chat file count"));
}

Result<chat::ChatFile> SqliteChatRepository::InsertChatFile(chat::ChatFile f) {
  SOPORTE_TRY(chat, GetChat(f.chat_id));  // kNotFound when absent
  (void)chat;
  if (f.author_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", f.author_id.value(), "user"));
  f.seq = 0;
  SOPORTE_TRY(
      s, db_.Prepare("INSERT INTO chat_files(chat_id, seq, sha256, filename, content_type, "
                     "size, author, author_id, created_at) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, f.chat_id)
      .Bind(2, f.sha256)
      .Bind(3, f.filename)
      .Bind(4, f.content_type)
      .Bind(5, f.size)
      .Bind(6, chat::ChatAuthorName(f.author))
      .BindOpt(7, OptId(f.author_id.value()))
      .Bind(8, Secs(f.created_at));
  SOPORTE_TRY_STATUS(s.Run());
  f.id = db_.LastInsertId();
  return f;
}

Result<chat::Chat> SqliteChatRepository::TakeChat(std::int64_t id, UserId agent, Instant now) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", agent.value(), "user"));
  {
    // The conditional update is the lock: of two takers, the second changes nothing.
    SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET state = 'taken', taken_by = ?, taken_at = ? "
                               "WHERE id = ? AND state = 'waiting'"));
    s.Bind(1, agent.value()).Bind(2, Secs(now)).Bind(3, id);
    SOPORTE_TRY_STATUS(s.Run());
  }
  const bool took = db_.Changes() > 0;
  SOPORTE_TRY(c, GetChat(id));
  if (!took) {
    SOPORTE_TRY_STATUS(chat::CanTake(c));
    return Fail(ErrorCode::kFailedPrecondition, "chat " + std::to_string(id) + " was not waiting");
  }
  return c;
}

Result<chat::Chat> SqliteChatRepository::HandChat(std::int64_t id, UserId from, UserId to,
                                                  Instant now) {
  SOPORTE_TRY(before, GetChat(id));
  SOPORTE_TRY_STATUS(chat::CanHand(before, from, to));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", to.value(), "user"));
  {
    SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET taken_by = ?, taken_at = ? "
                               "WHERE id = ? AND state = 'taken' AND taken_by = ?"));
    s.Bind(1, to.value()).Bind(2, Secs(now)).Bind(3, id).Bind(4, from.value());
    SOPORTE_TRY_STATUS(s.Run());
    if (db_.Changes() == 0)
      return Fail(ErrorCode::kFailedPrecondition,
                  "chat " + std::to_string(id) + " is held by another agent");
  }
  SOPORTE_TRY(h, db_.Prepare("INSERT INTO chat_handoffs(chat_id, from_user, to_user, at) "
                             "VALUES (?, ?, ?, ?)"));
  h.Bind(1, id).Bind(2, from.value()).Bind(3, to.value()).Bind(4, Secs(now));
  SOPORTE_TRY_STATUS(h.Run());
  return GetChat(id);
}

Result<chat::Chat> SqliteChatRepository::CloseChat(std::int64_t id, Instant now) {
  {
    SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET state = 'closed', closed_at = ? "
                               "WHERE id = ? AND state <> 'closed'"));
    s.Bind(1, Secs(now)).Bind(2, id);
    SOPORTE_TRY_STATUS(s.Run());
  }
  const bool closed = db_.Changes() > 0;
  SOPORTE_TRY(c, GetChat(id));
  if (!closed) SOPORTE_TRY_STATUS(chat::CanClose(c));
  return c;
}

Status SqliteChatRepository::MarkChatRead(std::int64_t id, chat::ChatAuthor side,
                                          std::int64_t seq) {
  SOPORTE_TRY(c, GetChat(id));
  (void)c;
  const char* sql = side == chat::ChatAuthor::kAgent
                        ? "UPDATE chats SET agent_read = MIN(MAX(agent_read, ?), last_seq) "
                          "WHERE id = ?"
                        : "UPDATE chats SET visitor_read = MIN(MAX(visitor_read, ?), last_seq) "
                          "WHERE id = ?";
  SOPORTE_TRY(s, db_.Prepare(sql));
  s.Bind(1, seq).Bind(2, id);
  return s.Run();
}

Status SqliteChatRepository::SetChatTicket(std::int64_t id, TicketId ticket) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", ticket.value(), "ticket"));
  SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET ticket_id = ? WHERE id = ?"));
  s.Bind(1, ticket.value()).Bind(2, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(NotFound(ChatNotFound(id)));
  return Ok();
}

Result<std::vector<app::ChatWaitAlertClaim>> SqliteChatRepository::ClaimChatWaitAlerts(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  std::vector<app::ChatWaitAlertClaim> out;
  {
    // Walks chats_wait_alert_due from its start: only alerts not done are in that index.
    // PostgreSQL: the same query with FOR UPDATE SKIP LOCKED.
    SOPORTE_TRY(s, db_.Prepare("SELECT id, wait_alert_due FROM chats "
                               "WHERE wait_alert_due IS NOT NULL AND wait_alert_done IS NULL "
                               "AND wait_alert_due <= ? "
                               "AND (lease_until IS NULL OR lease_until < ?) "
                               "ORDER BY wait_alert_due, id LIMIT ?"));
    s.Bind(1, Secs(now)).Bind(2, Secs(now)).Bind(3, std::int64_t{limit});
    SOPORTE_TRY(due, Collect<app::ChatWaitAlertClaim>(s, [&](const Stmt& r) {
                  return app::ChatWaitAlertClaim{r.Int(0), At(r.Int(1)), node, lease_until};
                }));
    out = std::move(due);
  }
  for (const auto& c : out) {
    SOPORTE_TRY(u, db_.Prepare("UPDATE chats SET claimed_by = ?, lease_until = ? WHERE id = ?"));
    u.Bind(1, node).Bind(2, Secs(lease_until)).Bind(3, c.chat_id);
    SOPORTE_TRY_STATUS(u.Run());
  }
  return out;
}

Status SqliteChatRepository::FinishChatWaitAlert(std::int64_t chat_id, const std::string& node,
                                                 Instant now) {
  SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET wait_alert_done = ?, claimed_by = '', "
                             "lease_until = NULL WHERE id = ? AND claimed_by = ?"));
  s.Bind(1, Secs(now)).Bind(2, chat_id).Bind(3, node);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() > 0) return Ok();
  SOPORTE_TRY(still, GetChat(chat_id));
  (void)still;
  return Fail(ErrorCode::kAborted, "the wait alert of chat " + std::to_string(chat_id) +
                                       " is no longer held by " + node + " (its lease ran out)");
}

Status SqliteChatRepository::SetChatAbandonDue(std::int64_t id, std::optional<Instant> due) {
  SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET abandon_due = ? WHERE id = ?"));
  s.BindOpt(1, OptSecs(due)).Bind(2, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(NotFound(ChatNotFound(id)));
  return Ok();
}

Result<std::vector<std::int64_t>> SqliteChatRepository::ClaimAbandonedChats(Instant now,
                                                                            const std::string& node,
                                                                            Instant lease_until,
                                                                            int limit) {
  std::vector<std::int64_t> out;
  {
    // Walks chats_abandon_due (waiting chats with a due instant) from its start.
    // PostgreSQL: the same query with FOR UPDATE SKIP LOCKED.
    SOPORTE_TRY(s, db_.Prepare("SELECT id FROM chats WHERE abandon_due IS NOT NULL AND "
                               "state = 'waiting' AND abandon_due <= ? AND "
                               "(abandon_lease_until IS NULL OR abandon_lease_until < ?) "
                               "ORDER BY abandon_due, id LIMIT ?"));
    s.Bind(1, Secs(now)).Bind(2, Secs(now)).Bind(3, std::int64_t{limit});
    SOPORTE_TRY(due, Collect<std::int64_t>(
                         s, [](const Stmt& r) -> Result<std::int64_t> { return r.Int(0); }));
    out = std::move(due);
  }
  for (const std::int64_t id : out) {
    SOPORTE_TRY(u, db_.Prepare("UPDATE chats SET abandon_claimed_by = ?, abandon_lease_until = ? "
                               "WHERE id = ?"));
    u.Bind(1, node).Bind(2, Secs(lease_until)).Bind(3, id);
    SOPORTE_TRY_STATUS(u.Run());
  }
  return out;
}

Result<chat::Chat> SqliteChatRepository::AbandonChat(std::int64_t id, const std::string& node,
                                                     Instant now) {
  {
    SOPORTE_TRY(s, db_.Prepare("UPDATE chats SET state = 'closed', closed_at = ?, "
                               "abandon_due = NULL, abandon_claimed_by = '', "
                               "abandon_lease_until = NULL WHERE id = ? AND state = 'waiting' "
                               "AND abandon_claimed_by = ? AND abandon_due <= ?"));
    s.Bind(1, Secs(now)).Bind(2, id).Bind(3, node).Bind(4, Secs(now));
    SOPORTE_TRY_STATUS(s.Run());
  }
  const bool closed = db_.Changes() > 0;
  SOPORTE_TRY(c, GetChat(id));
  if (!closed)
    return Fail(ErrorCode::kAborted, "chat " + std::to_string(id) + " is no longer abandoned by " +
                                         "its visitor or no longer held by " + node);
  return c;
}

}  // namespace soporte::storage::sqlite_internal
