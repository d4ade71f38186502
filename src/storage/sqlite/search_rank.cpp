#include "storage/sqlite/search_rank.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "storage/sqlite/search_tokenizer.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What one query's rows share, computed at its first row: each scored phrase's weight (its
// inverse document frequency) and the mean length of a row's weighted columns.
struct QueryData {
  std::vector<double> weight;  // per column, as the first row's call gave them
  std::vector<double> idf;     // per scored phrase
  double mean_length = 1.0;
};

int CountUpToCap(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  auto* n = static_cast<std::int64_t*>(user);
  // SQLITE_DONE ends the phrase's walk and xQueryPhrase returns SQLITE_OK.
  return ++*n >= kRankCountCap ? SQLITE_DONE : SQLITE_OK;
}

int Prepare(const Fts5ExtensionApi* api, Fts5Context* fts, int scored, QueryData* out) {
  const std::vector<double>& weight = out->weight;
  sqlite3_int64 rows = 0;
  if (int rc = api->xRowCount(fts, &rows); rc != SQLITE_OK) return rc;
  std::int64_t tokens = 0;
  for (int c = 0; c < static_cast<int>(weight.size()); ++c) {
    if (weight[static_cast<std::size_t>(c)] == 0) continue;
    sqlite3_int64 n = 0;
    if (int rc = api->xColumnTotalSize(fts, c, &n); rc != SQLITE_OK) return rc;
    tokens += n;
  }
  out->mean_length =
      rows > 0 && tokens > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1.0;
  out->idf.assign(static_cast<std::size_t>(scored), 0.0);
  for (int p = 0; p < scored; ++p) {
    std::int64_t matching = 0;
    if (int rc = api->xQueryPhrase(fts, p, &matching, CountUpToCap); rc != SQLITE_OK) return rc;
    const double n = static_cast<double>(matching);
    double idf = std::log((static_cast<double>(rows) - n + 0.5) / (n + 0.5));
    if (idf <= 0.0) idf = 1e-6;  // as bm25(): a phrase in most rows still counts, barely
    out->idf[static_cast<std::size_t>(p)] = idf;
  }
  return SQLITE_OK;
}

void RankRow(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
             sqlite3_value** argv) {
  const int columns = api->xColumnCount(fts);
  // The arguments are read at a query's first row and kept with its weights: FTS5 keeps one
  // auxiliary datum per function and cursor, so a second call in the same statement with other
  // arguments ranks as the first one.
  auto* data = static_cast<QueryData*>(api->xGetAuxdata(fts, 0));
  if (data == nullptr) {
    const int phrases = api->xPhraseCount(fts);
    int scored = argc > 0 ? sqlite3_value_int(argv[0]) : phrases;
    if (scored < 0 || scored > phrases) scored = phrases;
    auto fresh = std::make_unique<QueryData>();
    fresh->weight.assign(static_cast<std::size_t>(columns), 1.0);
    for (int c = 0; c < columns && c + 1 < argc; ++c) {
      fresh->weight[static_cast<std::size_t>(c)] = sqlite3_value_double(argv[c + 1]);
    }
    if (int rc = Prepare(api, fts, scored, fresh.get()); rc != SQLITE_OK) {
      return sqlite3_result_error_code(ctx, rc);
    }
    data = fresh.release();
    if (int rc = api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<QueryData*>(p); });
        rc != SQLITE_OK) {
      return sqlite3_result_error_code(ctx, rc);  // xSetAuxdata has freed `data`
    }
  }
  const std::vector<double>& weight = data->weight;
  const int scored = static_cast<int>(data->idf.size());
  // This row's weighted hits of each scored phrase, and its weighted length.
  std::vector<double> hits(static_cast<std::size_t>(scored), 0.0);
  int instances = 0;
  if (int rc = api->xInstCount(fts, &instances); rc != SQLITE_OK) {
    return sqlite3_result_error_code(ctx, rc);
  }
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (int rc = api->xInst(fts, i, &phrase, &column, &offset); rc != SQLITE_OK) {
      return sqlite3_result_error_code(ctx, rc);
    }
    if (phrase < scored) {
      hits[static_cast<std::size_t>(phrase)] += weight[static_cast<std::size_t>(column)];
    }
  }
  double length = 0;
  for (int c = 0; c < columns; ++c) {
    if (weight[static_cast<std::size_t>(c)] == 0) continue;
    int n = 0;
    if (int rc = api->xColumnSize(fts, c, &n); rc != SQLITE_OK) {
      return sqlite3_result_error_code(ctx, rc);
    }
    length += n;
  }
  const double norm = kK1 * (1 - kB + kB * length / data->mean_length);
  double score = 0;
  for (int p = 0; p < scored; ++p) {
    const double f = hits[static_cast<std::size_t>(p)];
    score += data->idf[static_cast<std::size_t>(p)] * f * (kK1 + 1) / (f + norm);
  }
  sqlite3_result_double(ctx, -score);
}

// SQLite is C: nothing may be thrown through it.
void Rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
          sqlite3_value** argv) {
  try {
    RankRow(api, fts, ctx, argc, argv);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  }
}

}  // namespace

Status RegisterSearchRank(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr) return Fail(ErrorCode::kInternal, "this SQLite library has no FTS5");
  if (api->xCreateFunction(api, "soporte_rank", nullptr, Rank, nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kInternal, "cannot register the search ranking function");
  }
  return Ok();
}

}  // namespace soporte::storage::sqlite_internal
