#include "domain/search/search_text.hpp"

#include <cstdint>

#include "domain/text/utf8.hpp"

namespace soporte::domain::search {
namespace {

// Decodes one code point at text[i]; returns its length, or 0 for an invalid sequence.
std::size_t Decode(std::string_view text, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Latin-1 letters U+00C0..U+00FF folded to ASCII ("" for × and ÷, which are not letters).
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // C0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // D0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // F0
};

// Latin Extended-A U+0100..U+017F folded to one base letter each (from NFKD; ĸ and ŉ approximated).
constexpr const char* kLatinExtA =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

bool IsSeparator(char32_t cp) {
  if (cp < 0x80) {
    return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  }
  if (cp < 0xC0) return cp != 0xAA && cp != 0xBA && cp != 0xB5;  // ª º µ are letters
  if (cp == 0xD7 || cp == 0xF7) return true;
  if (cp >= 0x2000 && cp <= 0x2BFF) return true;   // punctuation, symbols, arrows, boxes
  if (cp >= 0x3000 && cp <= 0x303F) return true;   // CJK punctuation
  if (cp >= 0xFE00 && cp <= 0xFE0F) return true;   // variation selectors
  if (cp == 0xFEFF || cp >= 0x1F000) return true;  // BOM, emoji and pictographs
  return false;
}

void Fold(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
  } else if (cp >= 0xC0 && cp <= 0xFF) {
    out += kLatin1[cp - 0xC0];
  } else if (cp >= 0x100 && cp <= 0x17F) {
    const std::size_t k = cp - 0x100;
    const std::string_view table(kLatinExtA);
    if (k < table.size()) {
      out.push_back(table[k]);
    } else {
      text::AppendUtf8(cp, out);
    }
  } else if (cp == 0xAA) {
    out.push_back('a');
  } else if (cp == 0xBA) {
    out.push_back('o');
  } else {
    text::AppendUtf8(cp, out);
  }
}

}  // namespace

void ForEachWord(std::string_view text,
                 const std::function<void(const std::string&, std::size_t, std::size_t)>& fn) {
  std::string word;
  std::size_t begin = 0;
  std::size_t i = 0;
  auto flush = [&](std::size_t end) {
    if (!word.empty()) {
      if (word.size() > kMaxWordBytes) {
        // Cut on a character boundary.
        std::size_t cut = kMaxWordBytes;
        while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
        word.resize(cut);
      }
      fn(word, begin, end);
      word.clear();
    }
  };
  while (i < text.size()) {
    char32_t cp = 0;
    const std::size_t len = Decode(text, i, cp);
    if (len == 0) {
      flush(i);
      ++i;
      continue;
    }
    if (IsSeparator(cp)) {
      flush(i);
    } else {
      if (word.empty()) begin = i;
      Fold(cp, word);
    }
    i += len;
  }
  flush(i);
}

bool HasWord(std::string_view text) {
  bool any = false;
  ForEachWord(text, [&](const std::string&, std::size_t, std::size_t) { any = true; });
  return any;
}

}  // namespace soporte::domain::search
