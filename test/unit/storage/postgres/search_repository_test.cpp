#include "storage/postgres/search_repository.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace soporte::storage::pg_internal {
namespace {

using domain::search::SearchTerm;

TEST(PgSearchText, TsVectorHoldsTheTokenizersTermsWithPositionsAndWeights) {
  const std::string subject = "Conexión caída";
  const std::string description = "La conexión falla";
  // conexion at 1 (subject) and 5 (description: position 3 is the gap between the texts).
  EXPECT_EQ(TsVectorText({{&subject, 'A'}, {&description, 'B'}}),
            "'caid':2A 'conexion':1A,5B 'fall':6B 'la':4B");
}

TEST(PgSearchText, TsVectorKeepsPostgresLimits) {
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "red ";
  const std::string v = TsVectorText({{&many, 'B'}});
  // At most 256 positions a term, none past 16383.
  EXPECT_EQ(std::count(v.begin(), v.end(), ','), 255);
  EXPECT_TRUE(v.starts_with("'red':1B,2B"));
}

TEST(PgSearchText, TsQueryQuotesEveryWordAndKeepsPhrasesAndPrefixes) {
  const std::vector<search::StemmedTerm> terms = {
      {SearchTerm::Kind::kWord, {"conexion"}},
      {SearchTerm::Kind::kPhrase, {"error", "de", "red"}},
      {SearchTerm::Kind::kPrefix, {"factur"}},
      {SearchTerm::Kind::kWord, {"o'brien\\x"}}};
  EXPECT_EQ(TsQueryText(terms),
            "('conexion') & ('error' <-> 'de' <-> 'red') & ('factur':*) & ('o''brien\\\\x')");
  EXPECT_EQ(TsQueryText({}), "");
}

}  // namespace
}  // namespace soporte::storage::pg_internal
