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

// Indexes the rows new rows' triggers queued in search_queue (0016_search.sql says why they are
// queued) and empties the queue. The writer calls it on its own connection after a batch's jobs,
// outside every job's SAVEPOINT and before the batch's COMMIT, so the batch's rows are indexed in
// the same transaction as the change, with one FTS5 segment per table for the whole batch.
// Cheap when nothing is queued (one lookup). Sets `indexed` when it wrote to the index.
Status FlushSearchQueue(Db& db, bool* indexed = nullptr);

// One bounded step of merging the index's segments (FTS5 'merge', about kSearchMergePages pages
// per table), in its own transaction. The writer runs it only while no write waits (migration
// 0025 turned FTS5's automerge off, so merges no longer lengthen the commits of writes; FTS5
// still merges inline once a level holds 'crisismerge' segments). Returns true when some table
// had segments to merge (call again), false when none had. Writer connection only.
Result<bool> MergeSearchIndexStep(Db& db);

}  // namespace soporte::storage::sqlite_internal
