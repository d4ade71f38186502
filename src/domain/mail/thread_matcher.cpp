#include "domain/mail/thread_matcher.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace soporte::domain::mail {
namespace {

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

// Reply and forward prefixes, lower-case, without the colon. Sources: RFC 5322 §3.6.5 ("Re:"),
// and what Outlook (es: "RV", "RE"; de: "AW", "WG"; sv: "SV"; pt: "RES", "ENC"; fr: "Réf", "TR"),
// Gmail and Thunderbird ("Fwd", "Fw") put in localized clients.
constexpr std::array<std::string_view, 14> kPrefixes = {
    "re", "rv", "fwd", "fw", "res", "enc", "aw", "wg", "sv", "antw", "r\xc3\xa9" "f", "tr", "rif", "reenv"};

}  // namespace

std::optional<std::int64_t> TicketNumberInSubject(std::string_view subject) {
  for (std::size_t pos = subject.find("[#"); pos != std::string_view::npos;
       pos = subject.find("[#", pos + 1)) {
    std::size_t i = pos + 2;
    std::int64_t n = 0;
    std::size_t digits = 0;
    while (i < subject.size() && std::isdigit(static_cast<unsigned char>(subject[i])) && digits < 19) {
      n = n * 10 + (subject[i] - '0');
      ++i;
      ++digits;
    }
    if (digits >= 1 && digits <= 18 && i < subject.size() && subject[i] == ']') return n;
  }
  return std::nullopt;
}

std::string TagSubject(std::string_view subject, std::int64_t number) {
  if (TicketNumberInSubject(subject) == number) return std::string(subject);
  // Appended piece by piece: `"[#" + std::string&&` inlines basic_string::insert, where GCC 12
  // at -O2 reports an impossible overlap (-Wrestrict, GCC PR 105329).
  std::string out = "[#";
  out += std::to_string(number);
  out += ']';
  if (!TrimView(subject).empty()) {
    out += ' ';
    out += TrimView(subject);
  }
  return out;
}

std::string StripReplyPrefixes(std::string_view subject) {
  std::string_view s = TrimView(subject);
  for (bool changed = true; changed;) {
    changed = false;
    if (s.starts_with("[#")) {
      const auto close = s.find(']');
      if (close != std::string_view::npos && TicketNumberInSubject(s.substr(0, close + 1))) {
        s = TrimView(s.substr(close + 1));
        changed = true;
        continue;
      }
    }
    for (std::string_view p : kPrefixes) {
      if (!StartsWithNoCase(s, p)) continue;
      std::string_view rest = s.substr(p.size());
      // "Re[2]:" and "RE :" also occur.
      if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close != std::string_view::npos && close < 5) rest.remove_prefix(close + 1);
      }
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (!rest.empty() && (rest.front() == ':' )) {
        s = TrimView(rest.substr(1));
        changed = true;
        break;
      }
      // Full-width colon (U+FF1A), used by CJK clients.
      if (rest.starts_with("\xef\xbc\x9a")) {
        s = TrimView(rest.substr(3));
        changed = true;
        break;
      }
    }
  }
  return std::string(s);
}

std::string NormalizeMessageId(std::string_view id) {
  id = TrimView(id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  return std::string(TrimView(id));
}

std::vector<std::string> MessageIdsIn(std::string_view v) {
  std::vector<std::string> out;
  for (std::size_t open = v.find('<'); open != std::string_view::npos;
       open = v.find('<', open + 1)) {
    const std::size_t close = v.find('>', open + 1);
    if (close == std::string_view::npos) break;
    const std::string_view id = v.substr(open + 1, close - open - 1);
    const bool spaced = std::any_of(id.begin(), id.end(),
                                    [](unsigned char c) { return std::isspace(c) || c == '<'; });
    if (id.empty() || spaced || id.find('@') == std::string_view::npos) continue;
    out.emplace_back(id);
    open = close;
  }
  return out;
}

std::string AuthorAddress(std::string_view from, std::string_view sender,
                          std::string_view return_path) {
  for (std::string_view candidate : {from, sender, return_path}) {
    std::string a = NormalizeMessageId(candidate);  // the same trim of "<" ">" and spaces
    if (a.find('@') == std::string::npos || a.find_first_of(" \t<>") != std::string::npos) continue;
    std::transform(a.begin(), a.end(), a.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return a;
  }
  return "";
}

std::vector<std::string> ReferenceCandidates(const std::vector<std::string>& in_reply_to,
                                             const std::vector<std::string>& references) {
  std::vector<std::string> out;
  auto add = [&](const std::string& raw) {
    std::string id = NormalizeMessageId(raw);
    if (id.empty() || std::find(out.begin(), out.end(), id) != out.end()) return;
    out.push_back(std::move(id));
  };
  for (const auto& id : in_reply_to) add(id);
  for (auto it = references.rbegin(); it != references.rend(); ++it) add(*it);
  return out;
}

}  // namespace soporte::domain::mail
