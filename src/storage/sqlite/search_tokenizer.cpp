#include "storage/sqlite/search_tokenizer.hpp"

#include <new>
#include <string>

#include "storage/search/search_stem.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

struct Tokenizer {};  // stateless: the stemmer is per thread (search_stem)

int Create(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new (std::nothrow) Tokenizer);
  return *out != nullptr ? SQLITE_OK : SQLITE_NOMEM;
}

void Delete(Fts5Tokenizer* t) { delete reinterpret_cast<Tokenizer*>(t); }

int Tokenize(Fts5Tokenizer*, void* ctx, int /*flags*/, const char* text, int n,
             int (*token)(void*, int, const char*, int, int, int)) {
  int rc = SQLITE_OK;
  try {
    search::ForEachTerm(std::string_view(text, static_cast<std::size_t>(n)),
                        [&](const std::string& term, std::size_t b, std::size_t e) {
                          if (rc != SQLITE_OK) return;
                          rc = token(ctx, 0, term.data(), static_cast<int>(term.size()),
                                     static_cast<int>(b), static_cast<int>(e));
                        });
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return nullptr;
  }
  sqlite3_bind_pointer(s, 1, &api, "fts5_api_ptr", nullptr);
  sqlite3_step(s);
  sqlite3_finalize(s);
  return api;
}

}  // namespace

Status RegisterSearchTokenizer(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr) return Fail(ErrorCode::kInternal, "this SQLite library has no FTS5");
  static fts5_tokenizer tokenizer{Create, Delete, Tokenize};
  if (api->xCreateTokenizer(api, "soporte", nullptr, &tokenizer, nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kInternal, "cannot register the search tokenizer");
  }
  return Ok();
}

}  // namespace soporte::storage::sqlite_internal
