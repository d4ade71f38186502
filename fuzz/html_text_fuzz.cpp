// libFuzzer target for the HTML-only mail body: arbitrary bytes through HtmlToText
// (transport/mail/html_text.cpp: gumbo's HTML5 parser, then the layout as text).
//   cmake --preset fuzz && cmake --build --preset fuzz --target html_text_fuzz
//   build/fuzz/fuzz/html_text_fuzz -max_total_time=60 test/data/fuzz/html_text_fuzz
// Checked: no crash, no sanitizer report, no leak, no timeout (gumbo is quadratic in nesting
// depth: the start-tag cap must hold it); the text is valid UTF-8, does not start with a line
// break nor end in white space, and stays within a fixed multiple of the input (line prefixes are
// capped).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "transport/mail/html_text.hpp"

namespace {

bool ValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    const char32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

bool Space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  const std::string text = soporte::transport::mail::HtmlToText(html);
  if (!ValidUtf8(text)) __builtin_trap();
  // <pre> may start the text with spaces, never with a line break.
  if (!text.empty() && (text.front() == '\n' || Space(text.back()))) __builtin_trap();
  // Every output byte comes from an input byte, a character reference's expansion, a link target
  // shown once, a list number or a line prefix of at most 8 levels.
  if (text.size() > 64 * size + 64) __builtin_trap();
  return 0;
}
