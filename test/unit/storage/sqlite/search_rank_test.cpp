// soporte_rank (storage/sqlite/search_rank.hpp) against FTS5's own bm25() on the same rows: equal
// while every phrase matches fewer rows than kRankCountCap, scaled by exactly the capped weight
// above it, and blind to a column of weight 0.
#include "storage/sqlite/search_rank.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace fs = std::filesystem;

class SearchRankTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "soporte-rank-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto db = Db::Open(dir_ + "/rank.db", {});
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(
        db_->Exec("CREATE VIRTUAL TABLE one USING fts5(body, tokenize='soporte');"
                  "CREATE VIRTUAL TABLE two USING fts5(body, org_id, tokenize='soporte')"));
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }
  void Add(std::int64_t id, const std::string& body, std::int64_t org) {
    for (const char* sql : {"INSERT INTO one(rowid, body) VALUES (?, ?)",
                            "INSERT INTO two(rowid, body, org_id) VALUES (?, ?, ?)"}) {
      auto s = db_->Prepare(sql);
      ASSERT_TRUE(s.has_value());
      s->Bind(1, id).Bind(2, body);
      if (std::string(sql).find("two") != std::string::npos) s->Bind(3, org);
      ASSERT_TRUE(s->Run());
    }
  }
  // rowid → the value of `expr` for the rows of `table` that match `match`.
  std::map<std::int64_t, double> Scores(const std::string& expr, const std::string& table,
                                        const std::string& match) {
    std::map<std::int64_t, double> out;
    const std::string sql =
        "SELECT rowid, " + expr + " FROM " + table + " WHERE " + table + " MATCH ?";
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_->raw(), sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_->raw());
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    int rc = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      out[sqlite3_column_int64(s, 0)] = sqlite3_column_double(s, 1);
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_->raw());
    sqlite3_finalize(s);
    return out;
  }
  std::string dir_;
  std::unique_ptr<Db> db_;
};

TEST_F(SearchRankTest, BelowTheCapItIsBm25) {
  const char* texts[] = {"la red no responde",          "red lenta en la sede",
                         "la impresora no imprime",     "red red red caída total",
                         "conexión lenta con la red",   "sin detalles",
                         "el servidor reinicia la red", "factura lenta"};
  std::int64_t id = 0;
  for (int round = 0; round < 5; ++round) {
    for (const char* t : texts) Add(++id, t, 7);
  }
  for (const std::string q : {"red", "red AND lenta", "\"la red\"", "lent*"}) {
    const auto want = Scores("bm25(one)", "one", q);
    const int phrases = q == "red AND lenta" ? 2 : 1;
    const auto got = Scores("soporte_rank(one, " + std::to_string(phrases) + ")", "one", q);
    ASSERT_FALSE(want.empty()) << q;
    ASSERT_EQ(got.size(), want.size()) << q;
    for (const auto& [rowid, score] : want) {
      EXPECT_NEAR(got.at(rowid), score, 1e-9) << q << " row " << rowid;
    }
  }
}

TEST_F(SearchRankTest, AWordInMoreRowsThanTheCapWeighsAsOneInExactlyTheCap) {
  // 2,500 of 6,000 rows hold "comun": bm25 counts all of them, soporte_rank stops at the cap.
  const int rows = 6000, with = 2500;
  ASSERT_TRUE(db_->Exec("BEGIN"));
  for (int i = 1; i <= rows; ++i) {
    Add(i, i <= with ? (i % 2 ? "comun y algo mas" : "comun comun") : "otra cosa distinta", 1);
  }
  ASSERT_TRUE(db_->Exec("COMMIT"));
  auto idf = [&](double n) { return std::log((rows - n + 0.5) / (n + 0.5)); };
  const double ratio = idf(kRankCountCap) / idf(with);
  const auto want = Scores("bm25(one)", "one", "comun");
  const auto got = Scores("soporte_rank(one, 1)", "one", "comun");
  ASSERT_EQ(want.size(), static_cast<std::size_t>(with));
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [rowid, score] : want) {
    EXPECT_NEAR(got.at(rowid), score * ratio, 1e-9) << "row " << rowid;
  }
  // The order is bm25's: "comun comun" (twice in two words) above "comun y algo mas".
  EXPECT_LT(got.at(2), got.at(1));
}

TEST_F(SearchRankTest, AColumnOfWeightZeroAndThePhrasesAfterTheScoredOnesCountForNothing) {
  Add(1, "la red no responde", 7);
  Add(2, "red lenta en la sede red", 8);
  Add(3, "la impresora no imprime", 7);
  Add(4, "red", 7);
  const auto want = Scores("bm25(one)", "one", "red");
  const auto got = Scores("soporte_rank(two, 1, 1.0, 0.0)", "two", "body : (red) AND org_id : 7");
  ASSERT_EQ(got.size(), 2u);  // rows 1 and 4: org 7
  for (const auto& [rowid, score] : got) EXPECT_NEAR(score, want.at(rowid), 1e-9) << rowid;
}

TEST_F(SearchRankTest, ASecondCallInOneStatementRanksAsTheFirstWhateverItsArguments) {
  // FTS5 keeps one per-query datum per function: the second call reuses the first's phrases and
  // weights (and reads no phrase the first did not count).
  Add(1, "red lenta en la sede", 7);
  Add(2, "la red no responde", 7);
  const auto first = Scores("soporte_rank(one, 1)", "one", "red AND lenta OR sede");
  const auto both =
      Scores("soporte_rank(one, 1) - soporte_rank(one, 3, 9.0)", "one", "red AND lenta OR sede");
  ASSERT_EQ(both.size(), first.size());
  for (const auto& [rowid, difference] : both) EXPECT_EQ(difference, 0.0) << rowid;
}

}  // namespace
}  // namespace soporte::storage::sqlite_internal
