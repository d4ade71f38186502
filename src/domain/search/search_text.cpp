#include "domain/search/search_text.hpp"

#include <array>
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

// What an ASCII byte is in a word: its folded letter or digit, or 0 for a separator.
constexpr std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<char>(c + 'a' - 'A');
  return t;
}();

// One folded word being built, in place: what passes kMaxWordBytes is dropped as it comes (the
// cut below needs only the bytes up to kMaxWordBytes), so no word allocates.
class WordBuffer {
 public:
  bool empty() const { return size_ == 0; }
  void Push(char c) {
    if (size_ <= kMaxWordBytes) buf_[size_++] = c;
  }
  void Append(std::string_view s) {
    for (char c : s) Push(c);
  }
  // The word, cut at kMaxWordBytes on a character boundary; empties the buffer.
  std::string_view Take() {
    std::size_t n = size_;
    if (n > kMaxWordBytes) {
      n = kMaxWordBytes;
      while (n > 0 && (static_cast<unsigned char>(buf_[n]) & 0xC0) == 0x80) --n;
    }
    size_ = 0;
    return {buf_.data(), n};
  }

 private:
  std::array<char, kMaxWordBytes + 1> buf_{};
  std::size_t size_ = 0;
};

void FoldInto(char32_t cp, WordBuffer& out) {
  // Fold() for one code point (at most 4 bytes), appended to the buffer.
  std::string folded;
  Fold(cp, folded);
  out.Append(folded);
}

}  // namespace

void ForEachWordView(std::string_view text, WordSink& sink) {
  WordBuffer word;
  std::size_t begin = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto flush = [&](std::size_t end) {
    if (!word.empty()) sink.Word(word.Take(), begin, end);
  };
  while (i < n) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {  // ASCII: one byte, one table look-up
      if (const char c = kAsciiFold[b]; c != 0) {
        if (word.empty()) begin = i;
        word.Push(c);
      } else {
        flush(i);
      }
      ++i;
      continue;
    }
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
      FoldInto(cp, word);
    }
    i += len;
  }
  flush(n);
}

void ForEachWord(std::string_view text,
                 const std::function<void(const std::string&, std::size_t, std::size_t)>& fn) {
  struct Sink final : WordSink {
    const std::function<void(const std::string&, std::size_t, std::size_t)>& fn;
    std::string word;
    explicit Sink(const std::function<void(const std::string&, std::size_t, std::size_t)>& f)
        : fn(f) {}
    void Word(std::string_view w, std::size_t b, std::size_t e) override {
      word.assign(w);
      fn(word, b, e);
    }
  } sink(fn);
  ForEachWordView(text, sink);
}

bool HasWord(std::string_view text) {
  bool any = false;
  ForEachWord(text, [&](const std::string&, std::size_t, std::size_t) { any = true; });
  return any;
}

}  // namespace soporte::domain::search
