#include "storage/search/search_snippet.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/search/search_query.hpp"

namespace soporte::storage::search {
namespace {

std::vector<StemmedTerm> TermsOf(std::string_view q) {
  auto parsed = domain::search::ParseSearchQuery(q);
  EXPECT_TRUE(parsed.has_value());
  return StemTerms(*parsed);
}

// The text of the parts marked `hit`, joined by '|'.
std::string Hits(const std::vector<app::SnippetPart>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!p.hit) continue;
    if (!out.empty()) out += '|';
    out += p.text;
  }
  return out;
}

std::string Text(const std::vector<app::SnippetPart>& parts) {
  std::string out;
  for (const auto& p : parts) out += p.text;
  return out;
}

TEST(SearchSnippet, MarksStemmedWordsAsWrittenInTheText) {
  const std::string body = "La Facturación de marzo falló por la conexión.";
  const auto parts = SnippetOf(TermsOf("facturas conexion"), {Cut(body, 1.0)});
  EXPECT_EQ(Hits(parts), "Facturación|conexión");
  EXPECT_EQ(Text(parts), body);  // short text: whole, nothing added or lost
}

TEST(SearchSnippet, PhraseMarksOnlyTheWordsInSequenceAndPrefixMarksItsWords) {
  const std::string body = "error de red; la red de error";
  EXPECT_EQ(Hits(SnippetOf(TermsOf("\"error de red\""), {Cut(body, 1.0)})), "error|de|red");
  EXPECT_EQ(Hits(SnippetOf(TermsOf("factur*"), {Cut(std::string("facturas y fracturas"), 1.0)})),
            "facturas");
}

TEST(SearchSnippet, CutsAroundTheFirstHitOfTheFirstFieldWithOne) {
  const std::string subject = "Consulta general";
  std::string description;
  for (int i = 0; i < 40; ++i) description += "palabra" + std::to_string(i) + " ";
  description += "impresora bloqueada";
  const auto parts = SnippetOf(TermsOf("impresora"), {Cut(subject, 4.0), Cut(description, 1.0)});
  EXPECT_EQ(Hits(parts), "impresora");
  EXPECT_EQ(parts.front().text.rfind("…", 0), 0u);  // starts mid-text: marked as cut
  EXPECT_EQ(Text(parts).find("palabra0 "), std::string::npos);
}

TEST(SearchSnippet, EmptyWhenNoTermOccurs) {
  EXPECT_TRUE(SnippetOf(TermsOf("impresora"), {Cut(std::string("nada que ver"), 1.0)}).empty());
}

}  // namespace
}  // namespace soporte::storage::search
