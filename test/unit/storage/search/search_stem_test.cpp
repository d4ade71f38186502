#include "storage/search/search_stem.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace soporte::storage::search {
namespace {

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> out;
  ForEachTerm(text, [&](const std::string& t, std::size_t, std::size_t) { out.push_back(t); });
  return out;
}

TEST(SearchStem, SpanishInflectionsAndAccentsShareOneTerm) {
  EXPECT_EQ(Terms("información informacion informaciones INFORMAR"),
            (std::vector<std::string>{"inform", "inform", "inform", "inform"}));
  EXPECT_EQ(Terms("facturas Facturación facturacion factura"),
            (std::vector<std::string>{"factur", "factur", "factur", "factur"}));
  EXPECT_EQ(Terms("conexión conexion conexiones"),
            (std::vector<std::string>{"conexion", "conexion", "conexion"}));
  EXPECT_EQ(Terms("contraseña contrasenas"), (std::vector<std::string>{"contrasen", "contrasen"}));
  EXPECT_EQ(Terms("tecnología tecnologia"), Terms("tecnologías tecnologias"));
  EXPECT_NE(Terms("factura"), Terms("fractura"));
}

TEST(SearchStem, NumbersAndOffsetsAreKept) {
  std::vector<std::pair<std::size_t, std::size_t>> at;
  std::vector<std::string> terms;
  ForEachTerm("Error 4711 en «Conexión»", [&](const std::string& t, std::size_t b, std::size_t e) {
    terms.push_back(t);
    at.emplace_back(b, e);
  });
  EXPECT_EQ(terms, (std::vector<std::string>{"error", "4711", "en", "conexion"}));
  EXPECT_EQ(at[1], (std::pair<std::size_t, std::size_t>{6, 10}));
  EXPECT_EQ(std::string("Error 4711 en «Conexión»").substr(at[3].first, at[3].second - at[3].first),
            "Conexión");
}

TEST(SearchStem, CachedStemsAreTheStemsEveryTime) {
  // The per-thread cache: a word met again, words sharing a slot, and words too long for one.
  std::vector<std::string> words;
  for (int i = 0; i < 20000; ++i)
    words.push_back("facturacion" + std::string(1, 'a' + i % 26) + "x" + std::to_string(i));
  words.push_back("informaciones");
  words.push_back("electroencefalografistasmuyespecializadas");  // longer than a slot
  std::vector<std::string> first;
  for (const auto& w : words) first.push_back(Stem(w));
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(std::string(StemView(words[i])), first[i]) << words[i];
  }
  EXPECT_EQ(Stem("informaciones"), "inform");
  EXPECT_EQ(StemView("informaciones"), "inform");
  EXPECT_EQ(StemView("4711"), "4711");
}

}  // namespace
}  // namespace soporte::storage::search
