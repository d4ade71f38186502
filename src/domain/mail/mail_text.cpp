#include "domain/mail/mail_text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace soporte::domain::mail {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// "On Tue, 3 Mar 2026 at 10:00, Ana <ana@x> wrote:" and its Spanish forms.
bool IsAttributionLine(std::string_view line) {
  const std::string l = Lower(Trim(line));
  const bool starts = StartsWith(l, "on ") || StartsWith(l, "el ") || StartsWith(l, "em ") ||
                      StartsWith(l, "le ") || StartsWith(l, "am ");
  if (!starts) return false;
  return EndsWith(l, "wrote:") || EndsWith(l, "escribi\xc3\xb3:") || EndsWith(l, "escribio:") ||
         EndsWith(l, "escreveu:") || EndsWith(l, "a \xc3\xa9" "crit :") || EndsWith(l, "schrieb:");
}

// Outlook's header block of the quoted message: "From:"/"De:" then, within 3 lines,
// "Sent:"/"Enviado:"/"Date:"/"Fecha:".
bool IsOutlookHeaderStart(const std::vector<std::string_view>& lines, std::size_t i) {
  const std::string l = Lower(Trim(lines[i]));
  auto bare = [](std::string s) {  // Outlook HTML→text keeps "*From:*"
    s.erase(std::remove(s.begin(), s.end(), '*'), s.end());
    return s;
  };
  const std::string b = bare(l);
  if (!StartsWith(b, "from:") && !StartsWith(b, "de:") && !StartsWith(b, "von:")) return false;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 3; ++j) {
    const std::string n = bare(Lower(Trim(lines[j])));
    if (StartsWith(n, "sent:") || StartsWith(n, "enviado:") || StartsWith(n, "date:") ||
        StartsWith(n, "fecha:") || StartsWith(n, "enviado el:") || StartsWith(n, "gesendet:"))
      return true;
  }
  return false;
}

bool IsSeparatorLine(std::string_view line) {
  const std::string l = Lower(Trim(line));
  if (l.find("original message") != std::string::npos && StartsWith(l, "---")) return true;
  if (l.find("mensaje original") != std::string::npos && StartsWith(l, "---")) return true;
  if (l.find("forwarded message") != std::string::npos) return false;  // a forward is content
  // Outlook: a line of 20+ underscores before the header block.
  return l.size() >= 20 && std::all_of(l.begin(), l.end(), [](char c) { return c == '_'; });
}

bool IsQuoted(std::string_view line) { return StartsWith(line, ">"); }

}  // namespace

std::string NormalizeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  return out;
}

std::string StripQuotedHistory(std::string_view raw) {
  const std::string text = NormalizeNewlines(raw);
  const auto lines = Lines(text);
  std::size_t cut = lines.size();
  for (std::size_t i = 0; i < lines.size() && cut == lines.size(); ++i) {
    if (IsAttributionLine(lines[i]) || IsSeparatorLine(lines[i]) || IsOutlookHeaderStart(lines, i)) {
      cut = i;
    } else if (i + 1 < lines.size()) {
      // Gmail wraps long attributions: "On Tue, … Ana García <" / "ana@x.com> wrote:".
      const std::string joined = std::string(Trim(lines[i])) + " " + std::string(Trim(lines[i + 1]));
      if (IsAttributionLine(joined) && !IsAttributionLine(lines[i + 1])) cut = i;
    }
  }
  if (cut == lines.size()) {
    // A trailing block of "> " lines (possibly with blank lines) is quoted history too.
    std::size_t j = lines.size();
    while (j > 0 && (IsQuoted(lines[j - 1]) || Trim(lines[j - 1]).empty())) --j;
    bool any_quoted = false;
    for (std::size_t k = j; k < lines.size(); ++k) any_quoted |= IsQuoted(lines[k]);
    if (any_quoted) cut = j;
  }
  std::string out;
  for (std::size_t i = 0; i < cut; ++i) {
    out.append(lines[i]);
    out.push_back('\n');
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  if (out.empty()) return text;
  return out;
}

}  // namespace soporte::domain::mail
