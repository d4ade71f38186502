// The file-name rule, case by case: a row is (what arrived, what the desk keeps).
#include "domain/ticket/file_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace soporte::domain {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// `a` then `b`. `"ab" + Repeat(…)` (operator+(const char*, std::string&&), an insert at the front)
// trips GCC 12's -Wrestrict false positive in release builds (PR 105329); appending does not.
std::string Cat(std::string_view a, std::string_view b) {
  std::string out(a);
  out.append(b);
  return out;
}

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD

struct Case {
  const char* why;
  std::string raw;
  std::string kept;
};

TEST(FileNameTest, Table) {
  const Case cases[] = {
      {"a plain name", "informe.pdf", "informe.pdf"},
      {"Spanish letters stay", "cotización año.xlsx", "cotización año.xlsx"},
      {"unix path", "../../etc/passwd", "passwd"},
      {"windows path", "C:\\Users\\ana\\acta.docx", "acta.docx"},
      {"controls dropped",
       "a\x01"
       "b\x7f\t\r\n.txt",
       "ab.txt"},
      {"C1 control (NEL) dropped",
       "a\xC2\x85"
       "b.txt",
       "ab.txt"},
      {"bidi override dropped", "factura\xE2\x80\xAEgpj.exe", "facturagpj.exe"},
      {"invalid bytes", "\xFF\xFE.txt", kFffd + kFffd + ".txt"},
      {"truncated 2-byte", "caf\xC3", "caf" + kFffd},
      {"truncated 3-byte is one subpart", "x\xE2\x82.txt", "x" + kFffd + ".txt"},
      {"overlong slash is no separator",
       "a\xC0\xAF"
       "b",
       "a" + kFffd + kFffd + "b"},
      {"surrogate", "s\xED\xA0\x80", "s" + kFffd + kFffd + kFffd},
      {"past U+10FFFF",
       "\xF4\x90\x80\x80"
       "x",
       kFffd + kFffd + kFffd + kFffd + "x"},
      {"spaces trimmed", "  acta.pdf  ", "acta.pdf"},
      {"empty", "", "archivo"},
      {"dot", ".", "archivo"},
      {"dot dot", "..", "archivo"},
      {"a directory", "fotos/", "archivo"},
      {"only controls", "\x01\x02", "archivo"},
      {"fits exactly", Cat("ab", Repeat("€", 66)), Cat("ab", Repeat("€", 66))},
      {"one byte over keeps the tail", Cat("abc", Repeat("€", 66)), Cat("bc", Repeat("€", 66))},
      {"never mid-character (2 bytes)", Cat("a", Repeat("ñ", 100)), Repeat("ñ", 100)},
      {"never mid-character (3 bytes)", Repeat("€", 67) + ".x", Repeat("€", 66) + ".x"},
      {"never mid-character (4 bytes)", Repeat("😀", 51), Repeat("😀", 50)},
      {"extension survives a cut", Repeat("ñ", 150) + ".pdf", Repeat("ñ", 98) + ".pdf"},
      {"a cut does not leave a space in front", Cat("xx ", Repeat("a", 199)), Repeat("a", 199)},
  };
  for (const Case& c : cases) {
    const std::string got = CleanFileName(c.raw, "archivo");
    EXPECT_EQ(got, c.kept) << c.why;
    EXPECT_LE(got.size(), kMaxFileNameBytes) << c.why;
    EXPECT_EQ(CleanFileName(got, "archivo"), got) << "idempotent: " << c.why;
  }
}

TEST(FileNameTest, SmallerLimitAndFallback) {
  EXPECT_EQ(CleanFileName("ñandú.txt", "adjunto", 6), "ú.txt");
  EXPECT_EQ(CleanFileName("/", "adjunto"), "adjunto");
}

}  // namespace
}  // namespace soporte::domain
