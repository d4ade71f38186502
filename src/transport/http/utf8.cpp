#include "transport/http/utf8.hpp"

#include "transport/http/hex.hpp"

namespace soporte::transport::http {
namespace {

// Incremental strict validator: Feed one byte at a time.
class Utf8Validator {
 public:
  // False when `c` cannot continue (or start) a well-formed sequence here.
  bool Feed(unsigned char c) {
    if (need_ == 0) {
      if (c < 0x80) return true;
      lo_ = 0x80;
      hi_ = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        need_ = 1;
      } else if (c == 0xE0) {
        need_ = 2;
        lo_ = 0xA0;  // no overlong three-byte forms
      } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        need_ = 2;
      } else if (c == 0xED) {
        need_ = 2;
        hi_ = 0x9F;  // no surrogates
      } else if (c == 0xF0) {
        need_ = 3;
        lo_ = 0x90;  // no overlong four-byte forms
      } else if (c >= 0xF1 && c <= 0xF3) {
        need_ = 3;
      } else if (c == 0xF4) {
        need_ = 3;
        hi_ = 0x8F;  // nothing past U+10FFFF
      } else {
        return false;  // a continuation byte, C0/C1 (overlong) or F5..FF
      }
      return true;
    }
    if (c < lo_ || c > hi_) return false;
    lo_ = 0x80;
    hi_ = 0xBF;
    --need_;
    return true;
  }
  bool InSequence() const { return need_ != 0; }
  void Reset() { need_ = 0; }

 private:
  int need_ = 0;
  unsigned char lo_ = 0x80, hi_ = 0xBF;
};

}  // namespace

bool IsValidUtf8(std::string_view s) {
  Utf8Validator v;
  for (char c : s)
    if (!v.Feed(static_cast<unsigned char>(c))) return false;
  return !v.InSequence();
}

bool PercentDecodesToUtf8(std::string_view in) {
  Utf8Validator v;
  for (std::size_t i = 0; i < in.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(in[i]);
    if (in[i] == '%' && i + 2 < in.size()) {
      const int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        byte = static_cast<unsigned char>(hi * 16 + lo);
        i += 2;
      }
    }
    if (!v.Feed(byte)) return false;
  }
  return !v.InSequence();
}

std::string ToValidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(s.size() + 8);
  Utf8Validator v;
  std::size_t start = 0;  // first byte of the sequence being read
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (v.Feed(c)) {
      if (!v.InSequence()) {
        out.append(s.substr(start, i + 1 - start));
        start = i + 1;
      }
      continue;
    }
    // The bytes read so far (a maximal subpart, possibly empty) become one U+FFFD; a byte that
    // broke a started sequence is read again as the start of the next one.
    out.append(kReplacement);
    if (v.InSequence()) {
      v.Reset();
      start = i;
      --i;
    } else {
      start = i + 1;
    }
  }
  if (v.InSequence()) out.append(kReplacement);  // truncated at the end
  return out;
}

}  // namespace soporte::transport::http
