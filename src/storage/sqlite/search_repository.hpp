// Full-text search in SQLite (FTS5 tables ticket_fts, article_fts, attachment_fts and their
// triggers, 0016_search.sql): app::SearchRepository on one connection already inside a
// transaction. Internal to storage/sqlite.
#pragma once

#include "app/ports/search_repository.hpp"
#include "storage/search/search_snippet.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteSearchRepository final : public app::SearchRepository {
 public:
  explicit SqliteSearchRepository(Db& db) : db_(db) {}

  Result<app::SearchPage> Search(const app::SearchRequest& r) override;
  Status Rebuild() override;

 private:
  Result<std::vector<app::SnippetPart>> SnippetOf(int source, std::int64_t rowid,
                                                  const std::vector<search::StemmedTerm>& terms);
  Db& db_;
};

// The FTS5 expression for `q`'s terms: every term quoted (so nothing a user typed is FTS5
// syntax), prefixes marked with *, terms joined by AND. Empty when `q` has only a number.
std::string Fts5Expression(const domain::search::SearchQuery& q);

}  // namespace soporte::storage::sqlite_internal
