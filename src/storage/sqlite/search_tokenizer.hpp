// The FTS5 tokenizer "soporte" used by the search index (migration 0016): words folded to
// lowercase without accents and stemmed in Spanish (storage/search/search_stem), the same cut
// for indexed text and for queries. It must be registered on every connection before the index
// is read or written (Db::Open does it): a connection without it (the sqlite3 shell) cannot
// write tickets, articles or attachments, whose triggers feed the index.
#pragma once

#include <sqlite3.h>

#include "common/result.hpp"

namespace soporte::storage::sqlite_internal {

// FTS5's API on `db` (to register tokenizers and functions); nullptr without FTS5.
fts5_api* Fts5Api(sqlite3* db);

// Registers the tokenizer on `db`. kInternal when FTS5 is missing from the SQLite library.
Status RegisterSearchTokenizer(sqlite3* db);

}  // namespace soporte::storage::sqlite_internal
