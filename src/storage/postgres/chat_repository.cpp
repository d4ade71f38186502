#include "storage/postgres/chat_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "storage/postgres/read_rows.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/rows/chats.hpp"

namespace soporte::storage::pg_internal {

namespace chat = domain::chat;

namespace {

// The row readers and column lists both stores share (storage/rows/chats.hpp).
using rows::JoinIds;
using rows::kChatCols;
using rows::kFileCols;
using rows::kMessageCols;
constexpr auto ReadChat = rows::ChatFrom<PgRow>;
constexpr auto ReadMessage = rows::MessageFrom<PgRow>;
constexpr auto ReadFile = rows::FileFrom<PgRow>;

Error ChatNotFound(std::int64_t id) { return NotFound("chat " + std::to_string(id)); }

std::int64_t CountOf(const PgRow& r) { return r.Int(0); }

}  // namespace

// Fills the files of `messages` (of one chat, in seq order) from chat_files, one query for all.
Status PgChatRepository::FillFiles(std::vector<chat::ChatMessage>& messages) {
  if (messages.empty()) return Ok();
  PgParams p;
  p.Add(messages.front().chat_id).Add(messages.front().seq).Add(messages.back().seq);
  SOPORTE_TRY(files, QueryAll<chat::ChatFile>(
                         conn_,
                         Sql({"SELECT ", kFileCols,
                              " FROM chat_files WHERE chat_id = $1 AND seq >= $2 AND seq <= $3 "
                              "ORDER BY seq, id"}),
                         p, ReadFile));
  std::size_t at = 0;
  for (auto& f : files) {
    while (at < messages.size() && messages[at].seq < f.seq) ++at;
    if (at < messages.size() && messages[at].seq == f.seq)
      messages[at].files.push_back(std::move(f));
  }
  return Ok();
}

Result<chat::Chat> PgChatRepository::GetChat(std::int64_t id) {
  return QueryOne<chat::Chat>(conn_, Sql({"SELECT ", kChatCols, " FROM chats WHERE id = $1"}),
                              PgParams().Add(id), ReadChat, ChatNotFound(id));
}

Result<chat::Chat> PgChatRepository::FindChatByToken(const std::string& token_hash) {
  if (token_hash.empty()) return tl::make_unexpected(NotFound("chat token"));
  return QueryOne<chat::Chat>(conn_,
                              Sql({"SELECT ", kChatCols, " FROM chats WHERE token_hash = $1"}),
                              PgParams().Add(token_hash), ReadChat, NotFound("chat token"));
}

Result<std::vector<chat::Chat>> PgChatRepository::ListOpenChats(int limit) {
  // Walks chats_open (its condition repeated).
  return QueryAll<chat::Chat>(conn_,
                              Sql({"SELECT ", kChatCols,
                                   " FROM chats WHERE state <> 'closed' "
                                   "ORDER BY created_at, id LIMIT $1"}),
                              PgParams().Add(limit), ReadChat);
}

Result<std::vector<chat::Chat>> PgChatRepository::ListOpenChatsOfUser(UserId user) {
  return QueryAll<chat::Chat>(conn_,
                              Sql({"SELECT ", kChatCols,
                                   " FROM chats WHERE user_id = $1 AND state <> 'closed' "
                                   "ORDER BY id"}),
                              PgParams().Add(user.value()), ReadChat);
}

Result<std::int64_t> PgChatRepository::CountWaitingChats() {
  return QueryOne<std::int64_t>(conn_, "SELECT COUNT(*) FROM chats WHERE state = 'waiting'", {},
                                CountOf, NotFound("chat count"));
}

Result<std::int64_t> PgChatRepository::CountWaitingChatsFrom(const std::string& address) {
  // Follows chats_waiting_from (waiting chats only).
  return QueryOne<std::int64_t>(
      conn_, "SELECT COUNT(*) FROM chats WHERE state = 'waiting' AND opened_from = $1",
      PgParams().Add(address), CountOf, NotFound("chat count"));
}

Result<std::vector<chat::ChatMessage>> PgChatRepository::ListChatMessages(std::int64_t chat_id,
                                                                          std::int64_t after,
                                                                          int limit) {
  SOPORTE_TRY(messages, QueryAll<chat::ChatMessage>(
                            conn_,
                            Sql({"SELECT ", kMessageCols,
                                 " FROM chat_messages WHERE chat_id = $1 AND seq > $2 "
                                 "ORDER BY seq LIMIT $3"}),
                            PgParams().Add(chat_id).Add(after).Add(limit), ReadMessage));
  SOPORTE_TRY_STATUS(FillFiles(messages));
  return messages;
}

Result<std::vector<chat::ChatHandoff>> PgChatRepository::ListChatHandoffs(std::int64_t chat_id) {
  return QueryAll<chat::ChatHandoff>(
      conn_,
      "SELECT chat_id, from_user, to_user, at FROM chat_handoffs WHERE chat_id = $1 ORDER BY id",
      PgParams().Add(chat_id), [](const PgRow& r) {
        return chat::ChatHandoff{r.Int(0), UserId{r.Int(1)}, UserId{r.Int(2)}, At(r.Int(3))};
      });
}

Result<chat::ChatFile> PgChatRepository::GetChatFile(std::int64_t id) {
  return QueryOne<chat::ChatFile>(
      conn_, Sql({"SELECT ", kFileCols, " FROM chat_files WHERE id = $1"}), PgParams().Add(id),
      ReadFile, NotFound("chat file " + std::to_string(id)));
}

Result<std::int64_t> PgChatRepository::CountChatFiles(std::int64_t chat_id) {
  return QueryOne<std::int64_t>(conn_, "SELECT COUNT(*) FROM chat_files WHERE chat_id = $1",
                                PgParams().Add(chat_id), CountOf, NotFound("chat file count"));
}

Result<chat::Chat> PgChatRepository::InsertChat(chat::Chat c,
                                                std::optional<Instant> wait_alert_due) {
  SOPORTE_TRY_STATUS(chat::CheckVisitor(c.visitor_name, c.visitor_email));
  if (c.user_id.valid()) SOPORTE_TRY_STATUS(CheckExists(conn_, "users", c.user_id.value(), "user"));
  if (c.org_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", c.org_id.value(), "organization"));
  if (c.taken_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", c.taken_by.value(), "user"));
  c.last_seq = c.visitor_read = c.agent_read = 0;
  c.ticket_id = TicketId{};
  PgParams p;
  p.Add(c.visitor_name)
      .Add(c.visitor_email)
      .AddOpt(OptId(c.user_id.value()))
      .AddOpt(OptId(c.org_id.value()))
      .Add(c.origin)
      .Add(c.lang)
      .Add(chat::ChatStateName(c.state))
      .Add(Secs(c.created_at))
      .AddOpt(OptSecs(c.first_message_at))
      .AddOpt(OptId(c.taken_by.value()))
      .AddOpt(OptSecs(c.taken_at))
      .AddOpt(OptSecs(c.closed_at));
  if (c.token_hash.empty())
    p.AddNull();
  else
    p.Add(c.token_hash);
  p.AddOpt(OptSecs(wait_alert_due)).Add(c.opened_from);
  // A token taken is an answer, not a failed statement that would abort the transaction.
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO chats(visitor_name, visitor_email, user_id, org_id, "
                                "origin, lang, state, created_at, first_message_at, taken_by, "
                                "taken_at, closed_at, token_hash, wait_alert_due, opened_from) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                                "$14, $15) ON CONFLICT (token_hash) WHERE token_hash IS NOT NULL "
                                "DO NOTHING RETURNING id",
                                p));
  if (rows.empty()) return Fail(ErrorCode::kAlreadyExists, "chat token already in use");
  c.id = rows.Int(0, 0);
  return c;
}

Result<app::AppendedChatMessage> PgChatRepository::AppendChatMessage(chat::ChatMessage m) {
  if (!m.client_id.empty()) {
    SOPORTE_TRY(rows,
                conn_.Query(Sql({"SELECT ", kMessageCols,
                                 " FROM chat_messages WHERE chat_id = $1 AND client_id = $2"}),
                            PgParams().Add(m.chat_id).Add(m.client_id)));
    if (!rows.empty()) {
      SOPORTE_TRY(stored, ReadMessage(PgRow(rows, 0)));
      std::vector<chat::ChatMessage> one{std::move(stored)};
      SOPORTE_TRY_STATUS(FillFiles(one));
      return app::AppendedChatMessage{std::move(one.front()), false};
    }
  }
  if (m.author_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", m.author_id.value(), "user"));
  {
    // Raises last_seq and, for the first visitor message, first_message_at, in one statement.
    // Its row lock orders two writers of one chat: the second waits, then (SERIALIZABLE) fails
    // to serialise and Write runs it again from a snapshot holding the first message, so it
    // takes the next number (or finds its client_id already stored).
    PgParams p;
    p.Add(chat::ChatAuthorName(m.author)).Add(Secs(m.created_at)).Add(m.chat_id);
    SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET last_seq = last_seq + 1, first_message_at = "
                                  "CASE WHEN first_message_at IS NULL AND $1::text = 'visitor' "
                                  "THEN $2::bigint ELSE first_message_at END WHERE id = $3 "
                                  "RETURNING last_seq",
                                  p));
    if (rows.empty()) return tl::make_unexpected(ChatNotFound(m.chat_id));
    m.seq = rows.Int(0, 0);
  }
  PgParams p;
  p.Add(m.chat_id)
      .Add(m.seq)
      .Add(m.client_id)
      .Add(chat::ChatAuthorName(m.author))
      .AddOpt(OptId(m.author_id.value()))
      .Add(m.text)
      .Add(JoinIds(m.files))
      .Add(Secs(m.created_at));
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO chat_messages(chat_id, seq, client_id, author, "
                  "author_id, body, attachments, created_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                  p));
  // The files it sends take its seq, each only if of this chat and not sent yet (a conditional
  // update: a file is sent once even by two messages at once).
  for (auto& f : m.files) {
    SOPORTE_TRY(rows, conn_.Query(Sql({"UPDATE chat_files SET seq = $1 WHERE id = $2 AND "
                                       "chat_id = $3 AND seq = 0 RETURNING ",
                                       kFileCols}),
                                  PgParams().Add(m.seq).Add(f.id).Add(m.chat_id)));
    if (rows.empty())
      return Fail(ErrorCode::kInvalidArgument,
                  "files: file " + std::to_string(f.id) + " is unknown or already sent");
    SOPORTE_TRY(sent, ReadFile(PgRow(rows, 0)));
    f = std::move(sent);
  }
  return app::AppendedChatMessage{std::move(m), true};
}

Result<chat::ChatFile> PgChatRepository::InsertChatFile(chat::ChatFile f) {
  SOPORTE_TRY(chat, GetChat(f.chat_id));  // kNotFound when absent
  (void)chat;
  if (f.author_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", f.author_id.value(), "user"));
  f.seq = 0;
  PgParams p;
  p.Add(f.chat_id)
      .Add(f.sha256)
      .Add(f.filename)
      .Add(f.content_type)
      .Add(f.size)
      .Add(chat::ChatAuthorName(f.author))
      .AddOpt(OptId(f.author_id.value()))
      .Add(Secs(f.created_at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO chat_files(chat_id, seq, sha256, filename, "
                                "content_type, size, author, author_id, created_at) "
                                "VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                                p));
  f.id = rows.Int(0, 0);
  return f;
}

Result<chat::Chat> PgChatRepository::TakeChat(std::int64_t id, UserId agent, Instant now) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", agent.value(), "user"));
  // The conditional update is the lock: of two takers, the second changes nothing (or, when
  // both started from a snapshot where the chat waited, fails to serialise and runs again).
  SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET state = 'taken', taken_by = $1, taken_at = $2 "
                                "WHERE id = $3 AND state = 'waiting'",
                                PgParams().Add(agent.value()).Add(Secs(now)).Add(id)));
  const bool took = rows.affected() > 0;
  SOPORTE_TRY(c, GetChat(id));
  if (!took) {
    SOPORTE_TRY_STATUS(chat::CanTake(c));
    return Fail(ErrorCode::kFailedPrecondition, "chat " + std::to_string(id) + " was not waiting");
  }
  return c;
}

Result<chat::Chat> PgChatRepository::HandChat(std::int64_t id, UserId from, UserId to,
                                              Instant now) {
  SOPORTE_TRY(before, GetChat(id));
  SOPORTE_TRY_STATUS(chat::CanHand(before, from, to));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", to.value(), "user"));
  SOPORTE_TRY(rows,
              conn_.Query("UPDATE chats SET taken_by = $1, taken_at = $2 "
                          "WHERE id = $3 AND state = 'taken' AND taken_by = $4",
                          PgParams().Add(to.value()).Add(Secs(now)).Add(id).Add(from.value())));
  if (rows.affected() == 0)
    return Fail(ErrorCode::kFailedPrecondition,
                "chat " + std::to_string(id) + " is held by another agent");
  SOPORTE_TRY_STATUS(conn_.Query(
      "INSERT INTO chat_handoffs(chat_id, from_user, to_user, at) VALUES ($1, $2, $3, $4)",
      PgParams().Add(id).Add(from.value()).Add(to.value()).Add(Secs(now))));
  return GetChat(id);
}

Result<chat::Chat> PgChatRepository::CloseChat(std::int64_t id, Instant now) {
  SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET state = 'closed', closed_at = $1 "
                                "WHERE id = $2 AND state <> 'closed'",
                                PgParams().Add(Secs(now)).Add(id)));
  const bool closed = rows.affected() > 0;
  SOPORTE_TRY(c, GetChat(id));
  if (!closed) SOPORTE_TRY_STATUS(chat::CanClose(c));
  return c;
}

Status PgChatRepository::MarkChatRead(std::int64_t id, chat::ChatAuthor side, std::int64_t seq) {
  SOPORTE_TRY(c, GetChat(id));
  (void)c;
  const char* sql = side == chat::ChatAuthor::kAgent
                        ? "UPDATE chats SET agent_read = LEAST(GREATEST(agent_read, $1), "
                          "last_seq) WHERE id = $2"
                        : "UPDATE chats SET visitor_read = LEAST(GREATEST(visitor_read, $1), "
                          "last_seq) WHERE id = $2";
  SOPORTE_TRY_STATUS(conn_.Query(sql, PgParams().Add(seq).Add(id)));
  return Ok();
}

Status PgChatRepository::SetChatTicket(std::int64_t id, TicketId ticket) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", ticket.value(), "ticket"));
  SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET ticket_id = $1 WHERE id = $2",
                                PgParams().Add(ticket.value()).Add(id)));
  if (rows.affected() == 0) return tl::make_unexpected(ChatNotFound(id));
  return Ok();
}

Result<std::vector<app::ChatWaitAlertClaim>> PgChatRepository::ClaimChatWaitAlerts(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  // The pick walks chats_wait_alert_due (its condition repeated) and locks what it takes,
  // skipping chats another node's claim holds; a chat claimed and committed since our snapshot
  // is a serialisation failure, and Write runs the claim again. MATERIALIZED runs the pick once
  // (a subquery joined to the UPDATE could run again per row and lock past the limit).
  PgParams p;
  p.Add(node).Add(Secs(lease_until)).Add(Secs(now)).Add(limit);
  SOPORTE_TRY(out, QueryAll<app::ChatWaitAlertClaim>(
                       conn_,
                       "WITH due AS MATERIALIZED (SELECT id AS due_id FROM chats WHERE "
                       "wait_alert_due IS NOT NULL AND wait_alert_done IS NULL AND "
                       "wait_alert_due <= $3 AND (lease_until IS NULL OR lease_until < $3) "
                       "ORDER BY wait_alert_due, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                       "UPDATE chats SET claimed_by = $1, lease_until = $2 FROM due WHERE id = "
                       "due_id AND (lease_until IS NULL OR lease_until < $3) "
                       "RETURNING id, wait_alert_due",
                       p, [&](const PgRow& r) {
                         return app::ChatWaitAlertClaim{r.Int(0), At(r.Int(1)), node, lease_until};
                       }));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.due, a.chat_id) < std::tie(b.due, b.chat_id);
  });
  return out;
}

Status PgChatRepository::FinishChatWaitAlert(std::int64_t chat_id, const std::string& node,
                                             Instant now) {
  SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET wait_alert_done = $1, claimed_by = '', "
                                "lease_until = NULL WHERE id = $2 AND claimed_by = $3",
                                PgParams().Add(Secs(now)).Add(chat_id).Add(node)));
  if (rows.affected() > 0) return Ok();
  SOPORTE_TRY(still, GetChat(chat_id));
  (void)still;
  return Fail(ErrorCode::kAborted, "the wait alert of chat " + std::to_string(chat_id) +
                                       " is no longer held by " + node + " (its lease ran out)");
}

Status PgChatRepository::SetChatAbandonDue(std::int64_t id, std::optional<Instant> due) {
  SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET abandon_due = $1 WHERE id = $2",
                                PgParams().AddOpt(OptSecs(due)).Add(id)));
  if (rows.affected() == 0) return tl::make_unexpected(ChatNotFound(id));
  return Ok();
}

Result<std::vector<std::int64_t>> PgChatRepository::ClaimAbandonedChats(Instant now,
                                                                        const std::string& node,
                                                                        Instant lease_until,
                                                                        int limit) {
  // As ClaimChatWaitAlerts, over chats_abandon_due (waiting chats with a due instant).
  PgParams p;
  p.Add(node).Add(Secs(lease_until)).Add(Secs(now)).Add(limit);
  SOPORTE_TRY(rows, conn_.Query("WITH due AS MATERIALIZED (SELECT id AS due_id FROM chats "
                                "WHERE abandon_due IS NOT NULL AND state = 'waiting' AND "
                                "abandon_due <= $3 AND (abandon_lease_until IS NULL OR "
                                "abandon_lease_until < $3) ORDER BY abandon_due, id LIMIT $4 "
                                "FOR UPDATE SKIP LOCKED) UPDATE chats SET abandon_claimed_by = $1, "
                                "abandon_lease_until = $2 FROM due WHERE id = due_id AND "
                                "(abandon_lease_until IS NULL OR abandon_lease_until < $3) "
                                "RETURNING id, abandon_due",
                                p));
  std::vector<std::pair<std::int64_t, std::int64_t>> due;  // (abandon_due, id)
  for (int i = 0; i < rows.size(); ++i) due.emplace_back(rows.Int(i, 1), rows.Int(i, 0));
  std::sort(due.begin(), due.end());
  std::vector<std::int64_t> out;
  out.reserve(due.size());
  for (const auto& [at, id] : due) out.push_back(id);
  return out;
}

Result<chat::Chat> PgChatRepository::AbandonChat(std::int64_t id, const std::string& node,
                                                 Instant now) {
  SOPORTE_TRY(rows, conn_.Query("UPDATE chats SET state = 'closed', closed_at = $1, "
                                "abandon_due = NULL, abandon_claimed_by = '', "
                                "abandon_lease_until = NULL WHERE id = $2 AND state = 'waiting' "
                                "AND abandon_claimed_by = $3 AND abandon_due <= $1",
                                PgParams().Add(Secs(now)).Add(id).Add(node)));
  const bool closed = rows.affected() > 0;
  SOPORTE_TRY(c, GetChat(id));
  if (!closed)
    return Fail(ErrorCode::kAborted, "chat " + std::to_string(id) + " is no longer abandoned by " +
                                         "its visitor or no longer held by " + node);
  return c;
}

}  // namespace soporte::storage::pg_internal
