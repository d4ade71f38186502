#include "domain/search/search_query.hpp"

#include <gtest/gtest.h>

#include "domain/search/search_text.hpp"

namespace soporte::domain::search {
namespace {

using Kind = SearchTerm::Kind;

std::vector<std::string> Folded(std::string_view text) {
  std::vector<std::string> out;
  ForEachWord(text, [&](const std::string& w, std::size_t, std::size_t) { out.push_back(w); });
  return out;
}

TEST(SearchText, FoldsCaseAndAccentsAndCutsOnPunctuation) {
  EXPECT_EQ(Folded("Error de CONEXIÓN, ¿información?"),
            (std::vector<std::string>{"error", "de", "conexion", "informacion"}));
  EXPECT_EQ(Folded("Ñandú — Łódź façade Ærø"),
            (std::vector<std::string>{"nandu", "lodz", "facade", "aero"}));
  EXPECT_EQ(Folded("factura_2024.pdf"), (std::vector<std::string>{"factura", "2024", "pdf"}));
  EXPECT_EQ(Folded("\xff\xfe bad\xc3 utf8"), (std::vector<std::string>{"bad", "utf8"}));
  EXPECT_TRUE(Folded("¡¿()*:^\"-+!? 👍").empty());
  EXPECT_EQ(Folded(std::string(100, 'a'))[0].size(), kMaxWordBytes);
}

TEST(SearchText, AWordLongerThanTheLimitIsCutOnACharacterBoundary) {
  // 63 ASCII bytes then "ó" (2 bytes): the 64-byte cut would split it, so the word stops at 63.
  const std::string text = std::string(63, 'x') + "óó fin";
  const auto words = Folded(text);
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0], std::string(63, 'x') + "o");  // "ó" folds to one byte, so 64 fit
  EXPECT_EQ(words[1], "fin");
  const auto cyrillic = Folded(std::string(33, 'x') + "жжжжжжжжжжжжжжжжжж");  // 33 + 2 * 18 bytes
  EXPECT_EQ(cyrillic[0], std::string(33, 'x') + "жжжжжжжжжжжжжжж");           // 33 + 30 bytes
}

TEST(SearchText, WordViewsAreTheWordsWithTheirRanges) {
  const std::string text = "Ñandú: error 4711 en «Conexión» " + std::string(70, 'z');
  struct Collect final : WordSink {
    std::vector<std::string> words;
    std::vector<std::size_t> begins, ends;
    void Word(std::string_view w, std::size_t b, std::size_t e) override {
      words.emplace_back(w);
      begins.push_back(b);
      ends.push_back(e);
    }
  } views;
  ForEachWordView(text, views);
  std::vector<std::string> words;
  std::vector<std::size_t> begins, ends;
  ForEachWord(text, [&](const std::string& w, std::size_t b, std::size_t e) {
    words.push_back(w);
    begins.push_back(b);
    ends.push_back(e);
  });
  EXPECT_EQ(views.words, words);
  EXPECT_EQ(views.begins, begins);
  EXPECT_EQ(views.ends, ends);
  EXPECT_EQ(views.words, (std::vector<std::string>{"nandu", "error", "4711", "en", "conexion",
                                                   std::string(kMaxWordBytes, 'z')}));
  EXPECT_EQ(text.substr(begins[4], ends[4] - begins[4]), "Conexión");
}

TEST(SearchQuery, ParsesWordsPhrasesPrefixesAndNumbers) {
  auto q = ParseSearchQuery("Conexión \"error de red\" factur* #1234");
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_EQ(q->terms.size(), 3u);
  EXPECT_EQ(q->terms[0], (SearchTerm{Kind::kWord, {"conexion"}}));
  EXPECT_EQ(q->terms[1], (SearchTerm{Kind::kPhrase, {"error", "de", "red"}}));
  EXPECT_EQ(q->terms[2], (SearchTerm{Kind::kPrefix, {"factur"}}));
  EXPECT_EQ(q->number, 1234);

  auto bare = ParseSearchQuery("1234");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->number, 1234);
  ASSERT_EQ(bare->terms.size(), 1u);  // also looked for as a word

  auto only_number = ParseSearchQuery(" #77 ");
  ASSERT_TRUE(only_number);
  EXPECT_TRUE(only_number->terms.empty());
  EXPECT_EQ(only_number->number, 77);
}

TEST(SearchQuery, FtsSyntaxIsNeverPassedThrough) {
  // Operators, column filters, parentheses and NEAR are words or separators here.
  auto q = ParseSearchQuery("subject:hola OR (NEAR(a b)) -x ^y AND");
  ASSERT_TRUE(q) << q.error().message;
  for (const auto& t : q->terms) {
    for (const auto& w : t.words) {
      EXPECT_EQ(w.find_first_of("\"():*^-+"), std::string::npos) << w;
    }
  }
  // Punctuation inside a chunk keeps its pieces together as a phrase.
  auto dotted = ParseSearchQuery("v2.3*");
  ASSERT_TRUE(dotted);
  ASSERT_EQ(dotted->terms.size(), 2u);
  EXPECT_EQ(dotted->terms[0], (SearchTerm{Kind::kPhrase, {"v2"}}));
  EXPECT_EQ(dotted->terms[1], (SearchTerm{Kind::kPrefix, {"3"}}));
}

TEST(SearchQuery, RefusesBadQueriesNamingTheField) {
  for (const std::string& bad : {std::string(""), std::string("   "), std::string("\"unclosed"),
                                 std::string("a \"b\" \"c"), std::string(10 * 1024, 'x'),
                                 std::string("*** ()"), std::string("a b c d e f g h i j k l m")}) {
    auto q = ParseSearchQuery(bad);
    ASSERT_FALSE(q) << bad;
    EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(q.error().field, "q");
    EXPECT_NE(q.error().message.find("q "), std::string::npos) << q.error().message;
  }
  EXPECT_NE(ParseSearchQuery("\"a").error().message.find("quote"), std::string::npos);
  EXPECT_NE(ParseSearchQuery(std::string(300, 'a')).error().message.find("at most"),
            std::string::npos);
}

}  // namespace
}  // namespace soporte::domain::search
