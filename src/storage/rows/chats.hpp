// Row readers of chats, their messages and files, for both SQL stores: column order matches these
// column lists; a reader reads from column 0 of any row type with Int, Text, IsNull and Bool by
// column (storage/rows/values.hpp). Internal to storage.
#pragma once

#include <string>
#include <vector>

#include "domain/chat/chat.hpp"
#include "storage/rows/values.hpp"

namespace soporte::storage::rows {

inline constexpr char kChatCols[] =
    "id, visitor_name, visitor_email, user_id, org_id, origin, lang, state, created_at, "
    "first_message_at, taken_by, taken_at, closed_at, token_hash, last_seq, visitor_read, "
    "agent_read, ticket_id, opened_from";
template <class Row>
Result<domain::chat::Chat> ChatFrom(const Row& r) {
  domain::chat::Chat c;
  c.id = r.Int(0);
  c.visitor_name = r.Text(1);
  c.visitor_email = r.Text(2);
  c.user_id = UserId{IdOrZero(r, 3)};
  c.org_id = OrgId{IdOrZero(r, 4)};
  c.origin = r.Text(5);
  c.lang = r.Text(6);
  SOPORTE_TRY(state, Decode(domain::chat::ParseChatState(r.Text(7)), "chat state"));
  c.state = state;
  c.created_at = At(r.Int(8));
  c.first_message_at = OptAtCol(r, 9);
  c.taken_by = UserId{IdOrZero(r, 10)};
  c.taken_at = OptAtCol(r, 11);
  c.closed_at = OptAtCol(r, 12);
  c.token_hash = r.IsNull(13) ? std::string() : r.Text(13);
  c.last_seq = r.Int(14);
  c.visitor_read = r.Int(15);
  c.agent_read = r.Int(16);
  c.ticket_id = TicketId{IdOrZero(r, 17)};
  c.opened_from = r.Text(18);
  return c;
}

inline constexpr char kMessageCols[] =
    "chat_id, seq, client_id, author, author_id, body, attachments, created_at";
template <class Row>
Result<domain::chat::ChatMessage> MessageFrom(const Row& r) {
  domain::chat::ChatMessage m;
  m.chat_id = r.Int(0);
  m.seq = r.Int(1);
  m.client_id = r.Text(2);
  SOPORTE_TRY(author, Decode(domain::chat::ParseChatAuthor(r.Text(3)), "chat author"));
  m.author = author;
  m.author_id = UserId{IdOrZero(r, 4)};
  m.text = r.Text(5);
  // Column 6 (the file ids joined, JoinIds) is kept for older readers; the files come from
  // chat_files.
  m.created_at = At(r.Int(7));
  return m;
}

// The `attachments` column of a message: its files' ids joined by commas.
inline std::string JoinIds(const std::vector<domain::chat::ChatFile>& files) {
  std::string out;
  for (const auto& f : files) {
    if (!out.empty()) out += ',';
    out += std::to_string(f.id);
  }
  return out;
}

inline constexpr char kFileCols[] =
    "id, chat_id, seq, sha256, filename, content_type, size, author, author_id, created_at";
template <class Row>
Result<domain::chat::ChatFile> FileFrom(const Row& r) {
  domain::chat::ChatFile f;
  f.id = r.Int(0);
  f.chat_id = r.Int(1);
  f.seq = r.Int(2);
  f.sha256 = r.Text(3);
  f.filename = r.Text(4);
  f.content_type = r.Text(5);
  f.size = r.Int(6);
  SOPORTE_TRY(author, Decode(domain::chat::ParseChatAuthor(r.Text(7)), "chat file author"));
  f.author = author;
  f.author_id = UserId{IdOrZero(r, 8)};
  f.created_at = At(r.Int(9));
  return f;
}

}  // namespace soporte::storage::rows
