#include "domain/ticket/file_name.hpp"

#include <cstdint>
#include <vector>

#include "domain/text/utf8.hpp"

namespace soporte::domain {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes UTF-8 into code points, one U+FFFD per maximal invalid subpart (the WHATWG decoder's
// bounds on the second byte exclude overlongs, surrogates and values past U+10FFFF).
std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    int need = 0;
    char32_t cp = 0;
    unsigned char lower = 0x80;
    unsigned char upper = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      cp = b & 0x0F;
      if (b == 0xE0) lower = 0xA0;
      if (b == 0xED) upper = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      cp = b & 0x07;
      if (b == 0xF0) lower = 0x90;
      if (b == 0xF4) upper = 0x8F;
    } else {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    bool ok = true;
    for (int k = 0; k < need; ++k, ++j) {
      if (j >= s.size()) {
        ok = false;
        break;
      }
      const auto c = static_cast<unsigned char>(s[j]);
      if (c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xBF;
      cp = (cp << 6) | (c & 0x3F);
    }
    out.push_back(ok ? cp : kReplacement);
    i = j;  // past the valid prefix of a broken sequence: it is one maximal subpart
  }
  return out;
}

std::size_t EncodedSize(char32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

bool IsControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string CleanFileName(std::string_view raw, std::string_view fallback, std::size_t max_bytes) {
  const std::vector<char32_t> all = Decode(raw);
  std::size_t begin = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i] == U'/' || all[i] == U'\\') begin = i + 1;
  }
  std::vector<char32_t> kept;
  for (std::size_t i = begin; i < all.size(); ++i) {
    if (!IsControl(all[i])) kept.push_back(all[i]);
  }
  std::size_t first = 0;
  std::size_t last = kept.size();
  while (first < last && kept[first] == U' ') ++first;
  while (last > first && kept[last - 1] == U' ') --last;
  // The last whole characters that fit.
  std::size_t bytes = 0;
  std::size_t from = last;
  while (from > first && bytes + EncodedSize(kept[from - 1]) <= max_bytes) {
    bytes += EncodedSize(kept[--from]);
  }
  while (from < last && kept[from] == U' ') ++from;  // a cut may leave a space in front
  std::string out;
  out.reserve(bytes);
  for (std::size_t i = from; i < last; ++i) text::AppendUtf8(kept[i], out);
  if (out.empty() || out == "." || out == "..") return std::string(fallback);
  return out;
}

}  // namespace soporte::domain
