#include "domain/chat/chat.hpp"

#include <string>

namespace soporte::domain::chat {

namespace {

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

// True for well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF) without
// control characters other than tab and newline (and carriage return) when `allow_breaks`.
bool CleanUtf8(std::string_view s, bool allow_breaks) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      const bool brk = c == '\n' || c == '\t' || c == '\r';
      if ((c < 0x20 && !(allow_breaks && brk)) || c == 0x7f) return false;
      ++i;
      continue;
    }
    int n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(n) >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff)
      return false;
    if (cp >= 0x80 && cp < 0xa0) return false;  // C1 controls
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

bool Blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

std::string_view ChatStateName(ChatState s) {
  switch (s) {
    case ChatState::kWaiting: return "waiting";
    case ChatState::kTaken: return "taken";
    case ChatState::kClosed: return "closed";
  }
  return "waiting";
}

std::optional<ChatState> ParseChatState(std::string_view name) {
  for (ChatState s : {ChatState::kWaiting, ChatState::kTaken, ChatState::kClosed})
    if (ChatStateName(s) == name) return s;
  return std::nullopt;
}

std::string_view ChatAuthorName(ChatAuthor a) {
  switch (a) {
    case ChatAuthor::kVisitor: return "visitor";
    case ChatAuthor::kAgent: return "agent";
    case ChatAuthor::kSystem: return "system";
  }
  return "visitor";
}

std::optional<ChatAuthor> ParseChatAuthor(std::string_view name) {
  for (ChatAuthor a : {ChatAuthor::kVisitor, ChatAuthor::kAgent, ChatAuthor::kSystem})
    if (ChatAuthorName(a) == name) return a;
  return std::nullopt;
}

Status CheckChatMessage(std::string_view text, std::string_view client_id,
                        std::size_t attachments) {
  if (attachments > kMaxChatAttachments)
    return tl::make_unexpected(
        Invalid("files: at most " + std::to_string(kMaxChatAttachments) + " per message"));
  if (text.size() > kMaxChatText)
    return tl::make_unexpected(
        Invalid("text: at most " + std::to_string(kMaxChatText) + " bytes per message"));
  if (Blank(text) && attachments == 0) return tl::make_unexpected(Invalid("text: empty message"));
  if (!CleanUtf8(text, true))
    return tl::make_unexpected(Invalid("text: not valid UTF-8 or has control characters"));
  if (client_id.size() > kMaxChatClientId)
    return tl::make_unexpected(
        Invalid("client_id: at most " + std::to_string(kMaxChatClientId) + " characters"));
  for (char c : client_id)
    if (c <= ' ' || c > '~')
      return tl::make_unexpected(Invalid("client_id: printable ASCII without spaces only"));
  return Ok();
}

Status CheckVisitor(std::string_view name, std::string_view email) {
  if (Blank(name)) return tl::make_unexpected(Invalid("name: required"));
  if (name.size() > kMaxVisitorName || !CleanUtf8(name, false))
    return tl::make_unexpected(Invalid("name: too long or has control characters"));
  const auto at = email.find('@');
  if (email.size() > kMaxVisitorEmail || at == std::string_view::npos || at == 0 ||
      at + 1 >= email.size() || email.find('@', at + 1) != std::string_view::npos ||
      email.find('.', at) == std::string_view::npos || email.back() == '.')
    return tl::make_unexpected(Invalid("email: not an address"));
  for (char c : email)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',')
      return tl::make_unexpected(Invalid("email: not an address"));
  return Ok();
}

Status CanTake(const Chat& chat) {
  if (chat.state == ChatState::kTaken)
    return Fail(ErrorCode::kFailedPrecondition,
                "chat " + std::to_string(chat.id) + " was already taken");
  if (chat.state == ChatState::kClosed)
    return Fail(ErrorCode::kFailedPrecondition, "chat " + std::to_string(chat.id) + " is closed");
  return Ok();
}

Status CanHand(const Chat& chat, UserId from, UserId to) {
  if (chat.state != ChatState::kTaken)
    return Fail(ErrorCode::kFailedPrecondition,
                "chat " + std::to_string(chat.id) + " is not taken by anyone");
  if (chat.taken_by != from)
    return Fail(ErrorCode::kFailedPrecondition,
                "chat " + std::to_string(chat.id) + " is held by another agent");
  if (!to.valid() || to == from)
    return Fail(ErrorCode::kInvalidArgument, "to: choose another agent");
  return Ok();
}

Status CanClose(const Chat& chat) {
  if (chat.state == ChatState::kClosed)
    return Fail(ErrorCode::kFailedPrecondition, "chat " + std::to_string(chat.id) + " is closed");
  return Ok();
}

Status CanPost(const Chat& chat) {
  if (chat.state == ChatState::kClosed)
    return Fail(ErrorCode::kFailedPrecondition,
                "chat " + std::to_string(chat.id) + " is closed (read-only)");
  return Ok();
}

Status CanSendFile(const ChatFile& file, std::int64_t chat_id, ChatAuthor author,
                   UserId author_id) {
  const std::string name = "files: file " + std::to_string(file.id);
  if (file.chat_id != chat_id) return Fail(ErrorCode::kInvalidArgument, name + " is unknown");
  if (file.author != author || file.author_id != author_id)
    return Fail(ErrorCode::kInvalidArgument, name + " was uploaded by someone else");
  return Ok();
}

bool CanReadFile(const ChatFile& file, bool staff) {
  return staff || file.author == ChatAuthor::kVisitor || file.seq > 0;
}

}  // namespace soporte::domain::chat
