#include "domain/mail/mail_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

#include "domain/text/utf8.hpp"

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

namespace {

struct Entity {
  std::string_view name;
  std::string_view utf8;
};
constexpr Entity kEntities[] = {
    {"amp", "&"},         {"lt", "<"},           {"gt", ">"},           {"quot", "\""},
    {"apos", "'"},        {"nbsp", " "},         {"aacute", "\xc3\xa1"}, {"eacute", "\xc3\xa9"},
    {"iacute", "\xc3\xad"}, {"oacute", "\xc3\xb3"}, {"uacute", "\xc3\xba"}, {"ntilde", "\xc3\xb1"},
    {"Aacute", "\xc3\x81"}, {"Eacute", "\xc3\x89"}, {"Iacute", "\xc3\x8d"}, {"Oacute", "\xc3\x93"},
    {"Uacute", "\xc3\x9a"}, {"Ntilde", "\xc3\x91"}, {"uuml", "\xc3\xbc"},   {"iexcl", "\xc2\xa1"},
    {"iquest", "\xc2\xbf"}, {"copy", "\xc2\xa9"},   {"reg", "\xc2\xae"},    {"euro", "\xe2\x82\xac"},
    {"hellip", "\xe2\x80\xa6"}, {"mdash", "\xe2\x80\x94"}, {"ndash", "\xe2\x80\x93"},
    {"laquo", "\xc2\xab"},  {"raquo", "\xc2\xbb"},  {"ordm", "\xc2\xba"},   {"ordf", "\xc2\xaa"},
    {"rsquo", "\xe2\x80\x99"}, {"lsquo", "\xe2\x80\x98"}, {"ldquo", "\xe2\x80\x9c"}, {"rdquo", "\xe2\x80\x9d"},
};

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  text::AppendUtf8(static_cast<char32_t>(cp), out);
}

// Decodes the reference starting at text[i] == '&'; returns how many bytes it used (0: none).
std::size_t DecodeEntity(std::string_view text, std::size_t i, std::string& out) {
  const auto semi = text.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) return 0;
  std::string_view name = text.substr(i + 1, semi - i - 1);
  if (name.size() >= 2 && name[0] == '#') {
    std::uint32_t cp = 0;
    const bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      if (cp > 0x10FFFF) cp = 0x110000;
    }
    AppendUtf8(out, cp == 0xA0 ? 0x20 : cp);
    return semi - i + 1;
  }
  for (const Entity& e : kEntities) {
    if (e.name == name) {
      out.append(e.utf8);
      return semi - i + 1;
    }
  }
  return 0;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  bool space_pending = false;
  auto newline = [&](int n) {
    space_pending = false;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    int have = 0;
    for (auto it = out.rbegin(); it != out.rend() && *it == '\n' && have < n; ++it) ++have;
    if (out.empty()) return;
    for (; have < n; ++have) out.push_back('\n');
  };
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        const auto end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const auto end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, end - i - 1);
      const bool closing = !tag.empty() && tag.front() == '/';
      if (closing) tag.remove_prefix(1);
      std::size_t n = 0;
      while (n < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[n])))) ++n;
      const std::string name = Lower(tag.substr(0, n));
      i = end + 1;
      if (!closing && (name == "script" || name == "style" || name == "head" || name == "title")) {
        const std::string close = "</" + name;
        std::size_t pos = i;
        for (;;) {
          pos = html.find("</", pos);
          if (pos == std::string_view::npos) break;
          if (Lower(html.substr(pos, close.size())) == close) break;
          pos += 2;
        }
        if (pos == std::string_view::npos) {
          i = html.size();
        } else {
          const auto gt = html.find('>', pos);
          i = gt == std::string_view::npos ? html.size() : gt + 1;
        }
        continue;
      }
      if (name == "br") {
        newline(1);
      } else if (name == "p" || name == "div" || name == "table" || name == "blockquote" ||
                 name == "h1" || name == "h2" || name == "h3" || name == "h4" || name == "h5" ||
                 name == "h6" || name == "ul" || name == "ol" || name == "pre" || name == "hr") {
        newline(name == "p" || name[0] == 'h' ? 2 : 1);
      } else if (name == "tr") {
        newline(1);
      } else if (name == "li") {
        newline(1);
        if (!closing) out += "- ";
      } else if (name == "td" || name == "th") {
        if (!closing) space_pending = true;
      }
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      space_pending = true;
      ++i;
      continue;
    }
    if (space_pending && !out.empty() && out.back() != '\n') out.push_back(' ');
    space_pending = false;
    if (c == '&') {
      const std::size_t used = DecodeEntity(html, i, out);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  std::size_t start = 0;
  while (start < out.size() && out[start] == '\n') ++start;
  return out.substr(start);
}

}  // namespace soporte::domain::mail
