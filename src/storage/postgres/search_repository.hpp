// Full-text search on PostgreSQL (postgres/0006_search.sql: search_docs with a tsvector per
// searchable text under a GIN index, search_queue filled by triggers): app::SearchRepository on
// one connection already inside a transaction, matching exactly what the SQLite store's FTS5
// index matches, because the terms are the same (storage/search/search_stem, computed here in
// C++ and written as tsvector literals; no PostgreSQL dictionary). Internal to storage/postgres.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/ports/search_repository.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/search/search_snippet.hpp"

namespace soporte::storage::pg_internal {

class PgSearchRepository final : public app::SearchRepository {
 public:
  explicit PgSearchRepository(PgConn& conn) : conn_(conn) {}

  Result<app::SearchPage> Search(const app::SearchRequest& r) override;
  Status Rebuild() override;

 private:
  Result<std::vector<app::SnippetPart>> SnippetOf(int source, std::int64_t id,
                                                  const std::vector<search::StemmedTerm>& terms);
  PgConn& conn_;
};

// One text of a search document and the weight of its terms ('A' or 'B').
struct WeightedText {
  const std::string* text;
  char weight;
};

// The tsvector literal ('term':1A,4A 'other':2B) of `texts`' terms, as the SQLite tokenizer
// cuts them, numbered from 1 in order across the texts, with one position left empty between
// two texts (so a phrase never spans a subject and its description, as in FTS5's columns).
// Within PostgreSQL's limits: positions past 16383 count as 16383 (PostgreSQL's own rule), at
// most 256 positions a term, terms longer than 2046 bytes left out (no query can hold one), and
// no new term once the terms fill about 1 MB. Pure.
std::string TsVectorText(const std::vector<WeightedText>& texts);

// The tsquery literal of `terms`: every term ANDed, a phrase's words joined by <->, a prefix
// marked :*, every word quoted (nothing a user typed is tsquery syntax). Empty when `terms` is.
// Pure.
std::string TsQueryText(const std::vector<search::StemmedTerm>& terms);

// Indexes the rows the triggers queued in search_queue in this transaction and removes them from
// the queue. PostgresStore::Write calls it after `fn` succeeded and before COMMIT, so the index
// changes in the same transaction as the texts. Reads the queue only when a trigger marked the
// transaction (one cheap statement otherwise). Fails with the statement's error.
Status FlushSearchQueue(PgConn& conn);

// Marks the transaction as having queued rows (Rebuild, and PostgresStore::Open for rows a
// migration queued) so that FlushSearchQueue reads the queue.
Status MarkSearchQueued(PgConn& conn);

}  // namespace soporte::storage::pg_internal
