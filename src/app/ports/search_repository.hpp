// The search port: full-text search over tickets (subject, description), their articles (public
// replies, internal notes, logged phone calls) and attachment file names, ranked, with a
// highlighted snippet per ticket. Reached as tx.search() inside a Store transaction (store.hpp).
// The index is the store's business and is kept up to date in the same transaction as every
// change it covers (SQLite: FTS5 tables maintained by triggers, migration 0016; PostgreSQL:
// tsvector documents under a GIN index, postgres/0006, with the same terms); Rebuild rebuilds it.
// Implemented by storage/sqlite/search_repository.*, storage/postgres/search_repository.* and
// storage/memory/memory_search_repository.*.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/ports/ticket_repository.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "domain/search/search_query.hpp"

namespace soporte::app {

struct SearchRequest {
  domain::search::SearchQuery query;  // parsed and bounded by domain::search::ParseSearchQuery
  // Internal notes are matched (and shown in snippets) only when set: staff only.
  bool include_internal = false;
  // The list's filters (status, criticality, org, assignee, breached at `now`); its `limit` and
  // `after` are ignored: search pages by rank with `limit`/`offset` below.
  TicketQuery filters;
  int limit = 50;  // 1..200
  int offset = 0;  // 0..10000
};

// One piece of a snippet: text, highlighted when `hit` (a matched word). Plain text: a client
// renders it as text, never as markup.
struct SnippetPart {
  std::string text;
  bool hit = false;
  bool operator==(const SnippetPart&) const = default;
};

struct SearchHit {
  TicketId ticket_id;
  double score = 0;                  // lower is better (store-specific scale)
  std::vector<SnippetPart> snippet;  // from the best-matching text; may be empty
};

struct SearchPage {
  std::vector<SearchHit> hits;  // best first; ties by ticket number, newest first
  bool has_more = false;
};

// Reads; used by one thread inside one Read or Write call.
class SearchReader {
 public:
  virtual ~SearchReader() = default;
  // The tickets matching every term of `r.query` in one of their texts (subject and
  // description together, one article, or one attachment's file name), or named by its number,
  // that pass the filters; best first. A store may rank only the newest matches of each kind
  // of text when a word is everywhere (SQLite: the 2,000 newest of each, so a query's cost does
  // not grow with the desk). kInvalidArgument when limit/offset are out of range.
  virtual Result<SearchPage> Search(const SearchRequest& r) = 0;
};

class SearchRepository : public SearchReader {
 public:
  // Rebuilds the whole index from the stored tickets, articles and attachments (`soporte
  // reindex`). Long on a big desk: one transaction.
  virtual Status Rebuild() = 0;
};

}  // namespace soporte::app
