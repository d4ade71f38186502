#include "storage/postgres/live_note_codec.hpp"

#include <array>
#include <charconv>
#include <type_traits>

namespace soporte::storage::pg_internal {
namespace {

constexpr std::string_view kVersion = "L1";

bool NodeOk(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool WordOk(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  return true;
}

// A decimal without sign or padding that fits std::int64_t ("0" is fine, "007" is not).
bool ParseCount(std::string_view s, std::int64_t& out) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

tl::unexpected<Error> Bad(std::string what) {
  return Fail(ErrorCode::kInvalidArgument, std::move(what));
}

}  // namespace

Result<std::string> EncodeLiveNote(const RelayedNote& n) {
  if (!NodeOk(n.node)) return Bad("node: 1 to 64 letters, digits, '_' or '-'");
  if (n.seq < 1) return Bad("seq: at least 1");
  std::string out(kVersion);
  auto add = [&out](std::string_view field) {
    out += ' ';
    out += field;
  };
  add(n.node);
  add(std::to_string(n.seq));
  if (const auto* t = std::get_if<app::TicketChanged>(&n.note)) {
    if (t->number < 0 || t->org_id.value() < 0 || t->user_id.value() < 0)
      return Bad("ticket: negative id");
    if (!WordOk(t->what)) return Bad("what: 1 to 32 of a-z and '_'");
    add("T");
    add(std::to_string(t->number));
    add(std::to_string(t->org_id.value()));
    add(std::to_string(t->user_id.value()));
    add(t->what);
  } else {
    const auto& c = std::get<app::ChatNote>(n.note);
    if (c.chat_id < 0 || c.seq < 0 || c.to_user.value() < 0) return Bad("chat: negative id");
    if (!WordOk(c.kind)) return Bad("kind: 1 to 32 of a-z and '_'");
    add("C");
    add(std::to_string(c.chat_id));
    add(std::to_string(c.seq));
    add(std::to_string(c.to_user.value()));
    add(c.kind);
  }
  return out;
}

Result<RelayedNote> DecodeLiveNote(std::string_view payload) {
  if (payload.size() > kMaxLiveNoteText)
    return Bad("longer than " + std::to_string(kMaxLiveNoteText) + " bytes");
  std::array<std::string_view, 8> f;
  std::size_t n = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t space = payload.find(' ', start);
    const std::string_view field = payload.substr(
        start, space == std::string_view::npos ? std::string_view::npos : space - start);
    if (field.empty()) return Bad("empty field " + std::to_string(n + 1));
    if (n == f.size()) return Bad("more than 8 fields");
    f[n++] = field;
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  if (n != f.size()) return Bad("8 fields expected, got " + std::to_string(n));
  if (f[0] != kVersion) return Bad("unknown version (L1 expected)");
  RelayedNote out;
  if (!NodeOk(f[1])) return Bad("node: 1 to 64 letters, digits, '_' or '-'");
  out.node = std::string(f[1]);
  if (!ParseCount(f[2], out.seq) || out.seq < 1) return Bad("seq: a decimal from 1");
  std::int64_t a = 0, b = 0, c = 0;
  if (!ParseCount(f[4], a) || !ParseCount(f[5], b) || !ParseCount(f[6], c))
    return Bad("ids: decimals from 0");
  if (!WordOk(f[7])) return Bad("what: 1 to 32 of a-z and '_'");
  if (f[3] == "T") {
    out.note = app::TicketChanged{a, OrgId{b}, std::string(f[7]), UserId{c}};
  } else if (f[3] == "C") {
    out.note = app::ChatNote{a, std::string(f[7]), b, UserId{c}};
  } else {
    return Bad("type: T or C");
  }
  return out;
}

}  // namespace soporte::storage::pg_internal
