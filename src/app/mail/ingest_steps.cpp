#include "app/mail/ingest_steps.hpp"

#include "domain/mail/mail_text.hpp"
#include "domain/mail/thread_matcher.hpp"

namespace soporte::app::ingest {

bool IsTransient(ErrorCode c) {
  return c == ErrorCode::kUnavailable || c == ErrorCode::kAborted ||
         c == ErrorCode::kResourceExhausted || c == ErrorCode::kInternal;
}

std::string CutUtf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string Trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::string OneLine(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() > 600) break;
  }
  return out;
}

bool KeepsRawMessage(bool is_dsn, const std::optional<domain::User>& sender, bool trusted) {
  return is_dsn || !sender || domain::IsStaff(sender->role) || !trusted;
}

bool MayPostAsSender(const IngestOptions& options, const domain::mail::AuthVerdict& verdict) {
  return options.auth_serv_id.empty() || verdict.status == domain::mail::AuthStatus::kVerified;
}

std::string StoredSubject(const std::string& raw_subject, const IngestOptions& options) {
  const std::string trimmed = Trimmed(raw_subject);
  return trimmed.empty() ? options.no_subject : CutUtf8(trimmed, kMaxSubject);
}

std::string ReplyBody(const std::string& text, bool automatic, const IngestOptions& options) {
  std::string body = domain::mail::StripQuotedHistory(text);
  if (Trimmed(body).empty()) body = options.no_text;
  if (automatic) body = options.auto_reply_note + "\n\n" + body;
  return CutUtf8(std::move(body), kMaxBody);
}

std::string NewTicketSubject(const std::string& subject, bool answered_a_ticket,
                             const IngestOptions& options) {
  std::string out = answered_a_ticket ? domain::mail::StripReplyPrefixes(subject) : subject;
  return out.empty() ? options.no_subject : out;
}

std::string NewTicketDescription(const std::string& text, const IngestOptions& options) {
  return CutUtf8(Trimmed(text).empty() ? options.no_text : text, kMaxBody);
}

std::int64_t HeldConversation(const InboundUnassignedRecord& kept) {
  if (kept.status != "open") return 0;
  return kept.follows_id > 0 ? kept.follows_id : kept.id;
}

std::string BounceNote(const std::string& text, const IngestOptions& options) {
  return options.bounce_note + "\n\n" + CutUtf8(text, kMaxBounceText);
}

std::string BounceError(const std::string& text) {
  return CutUtf8("bounce: " + OneLine(text), kMaxBounceError);
}

}  // namespace soporte::app::ingest
