#include "storage/sqlite/search_tokenizer.hpp"

#include <new>

#include "storage/search/search_stem.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

struct Tokenizer {};  // stateless: the stemmer is per thread (search_stem)

int Create(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new (std::nothrow) Tokenizer);
  return *out != nullptr ? SQLITE_OK : SQLITE_NOMEM;
}

void Delete(Fts5Tokenizer* t) { delete reinterpret_cast<Tokenizer*>(t); }

// Hands each term straight to FTS5; after the first error FTS5 returns, the rest are skipped.
struct Fts5Sink final : search::TermSink {
  void* ctx;
  int (*token)(void*, int, const char*, int, int, int);
  int rc = SQLITE_OK;
  Fts5Sink(void* c, int (*t)(void*, int, const char*, int, int, int)) : ctx(c), token(t) {}
  void Term(std::string_view term, std::size_t b, std::size_t e) override {
    if (rc != SQLITE_OK) return;
    rc = token(ctx, 0, term.data(), static_cast<int>(term.size()), static_cast<int>(b),
               static_cast<int>(e));
  }
};

int Tokenize(Fts5Tokenizer*, void* ctx, int /*flags*/, const char* text, int n,
             int (*token)(void*, int, const char*, int, int, int)) {
  Fts5Sink sink(ctx, token);
  try {
    search::ForEachTermView(std::string_view(text, static_cast<std::size_t>(n)), sink);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return sink.rc == SQLITE_DONE ? SQLITE_OK : sink.rc;
}

}  // namespace

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
