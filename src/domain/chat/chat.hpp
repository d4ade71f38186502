// Live chat (issue 13): a conversation between a visitor (or a portal customer) and the agents,
// and its messages. This file holds the values and their rules as pure functions: the states
// (waiting → taken(agent) → closed) and which move each allows, who may write, and the limits of
// a message. No store, no clock, no network, no JSON (app/chat orchestrates; transport/chat
// carries the frames).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::domain::chat {

enum class ChatState { kWaiting, kTaken, kClosed };
// "waiting", "taken", "closed": the wire and stored names.
std::string_view ChatStateName(ChatState s);
std::optional<ChatState> ParseChatState(std::string_view name);

// Who wrote a message: the visitor (or portal customer), an agent, or the desk itself (e.g.
// "Luis took the chat").
enum class ChatAuthor { kVisitor, kAgent, kSystem };
// "visitor", "agent", "system".
std::string_view ChatAuthorName(ChatAuthor a);
std::optional<ChatAuthor> ParseChatAuthor(std::string_view name);

// One conversation.
struct Chat {
  std::int64_t id = 0;
  std::string visitor_name;   // as typed in the widget, or the portal user's name
  std::string visitor_email;  // likewise
  UserId user_id;             // the portal customer chatting as themselves (invalid: a visitor)
  OrgId org_id;               // their organisation when known
  std::string origin;         // the site the widget ran on ("https://www.vendor.test")
  std::string opened_from;    // the client address it was opened from (the per-address cap)
  std::string lang = "es";    // the widget's language ("es", "en")
  ChatState state = ChatState::kWaiting;
  Instant created_at;
  std::optional<Instant> first_message_at;  // the visitor's first message: the SLA clock's start
  UserId taken_by;                          // the agent holding it (invalid while waiting)
  std::optional<Instant> taken_at;
  std::optional<Instant> closed_at;
  std::string token_hash;         // SHA-256 of the chat token, hex ("" for a portal user's chat)
  std::int64_t last_seq = 0;      // the id of its newest message (0: none yet)
  std::int64_t visitor_read = 0;  // read marks: the newest message each side has seen
  std::int64_t agent_read = 0;
  TicketId ticket_id;  // the ticket it became or was added to (invalid: none)
};

// A file sent in a chat (a screenshot, a log), stored by content in the blob store like a
// ticket's attachments. Uploaded first (seq 0: not sent yet, seen only by its uploader's side),
// then sent with one message, whose seq it takes; a ticket made from the chat gets it as an
// attachment.
struct ChatFile {
  std::int64_t id = 0;
  std::int64_t chat_id = 0;
  std::int64_t seq = 0;  // the message that carries it; 0 until sent
  std::string sha256;    // hex; names the blob
  std::string filename;
  std::string content_type;  // sniffed from the content, not taken from the client
  std::int64_t size = 0;
  ChatAuthor author = ChatAuthor::kVisitor;
  UserId author_id;  // the agent or portal customer (invalid for a visitor)
  Instant created_at;
};

// One message. `seq` is the message's id inside its conversation: 1, 2, 3… with no gap, so a
// client that reconnects asks for the messages after the last one it holds.
struct ChatMessage {
  std::int64_t chat_id = 0;
  std::int64_t seq = 0;
  std::string client_id;  // chosen by the sending client, unique in the conversation ("" for none)
  ChatAuthor author = ChatAuthor::kVisitor;
  UserId author_id;  // the agent or portal customer (invalid for a visitor and the system)
  std::string text;
  // The files it carries: on the way in only their ids count; read back, the whole records.
  std::vector<ChatFile> files;
  Instant created_at;
};

// An agent handing a chat to a colleague.
struct ChatHandoff {
  std::int64_t chat_id = 0;
  UserId from, to;
  Instant at;
};

// Limits.
inline constexpr std::size_t kMaxChatText = 4096;      // bytes of one message
inline constexpr std::size_t kMaxChatClientId = 64;    // bytes of a client-chosen id
inline constexpr std::size_t kMaxChatAttachments = 5;  // files per message
inline constexpr std::int64_t kMaxChatFiles = 20;      // files uploaded per chat
inline constexpr std::size_t kMaxVisitorName = 200;    // bytes
inline constexpr std::size_t kMaxVisitorEmail = 254;   // RFC 5321 §4.5.3.1.3 path limit
inline constexpr std::size_t kMaxChatOrigin = 300;     // bytes

// Ok for a message a person may send: text not blank (or at least one attachment), at most
// kMaxChatText bytes, valid UTF-8 without control characters other than tab and newline; a
// client id of printable ASCII, at most kMaxChatClientId. kInvalidArgument naming the field
// ("text", "client_id", "files") otherwise.
Status CheckChatMessage(std::string_view text, std::string_view client_id, std::size_t attachments);

// Ok for a visitor opening a chat: a name (1..kMaxVisitorName, no control characters) and an
// email of the form local@domain (at most kMaxVisitorEmail). kInvalidArgument naming "name" or
// "email".
Status CheckVisitor(std::string_view name, std::string_view email);

// The moves. Each returns Ok when the move is allowed from `chat`'s state, or
// kFailedPrecondition saying why:
//  - Take: only a waiting chat (a taken one belongs to its agent; hand it instead).
//  - Hand: only a taken chat, by the agent holding it, to another agent.
//  - Close: a waiting or taken chat.
//  - Post: a message into a waiting or taken chat (closed chats are read-only).
Status CanTake(const Chat& chat);
Status CanHand(const Chat& chat, UserId from, UserId to);
Status CanClose(const Chat& chat);
Status CanPost(const Chat& chat);

// Ok when `file` may be sent with a message by `author` (`author_id`) in chat `chat_id`: a file of
// that chat uploaded by that same person. kInvalidArgument naming "files" otherwise (a file of
// another chat reads as unknown: its id reveals nothing). That it is sent once is the store's
// (ChatRepository::AppendChatMessage, a conditional update), so a resend is recognised first.
Status CanSendFile(const ChatFile& file, std::int64_t chat_id, ChatAuthor author, UserId author_id);

// Whether the reader may fetch `file` of a chat they may see: staff (`staff`) every file; the
// visitor's side its own files, and the agents' once sent (an agent's upload not sent yet is
// not the visitor's to see).
bool CanReadFile(const ChatFile& file, bool staff);

// The instant a waiting chat starts to alert the agents on shift: `created_at + wait`.
inline Instant WaitAlertDue(Instant created_at, Seconds wait) { return created_at + wait; }

// The SLA clock of a ticket made from this chat starts at its first message, or when it was
// opened if nobody wrote yet.
inline Instant ClockStart(const Chat& chat) {
  return chat.first_message_at.value_or(chat.created_at);
}

}  // namespace soporte::domain::chat
