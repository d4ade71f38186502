// The FTS5 ranking function "soporte_rank" the search orders its hits by
// (storage/sqlite/search_repository.cpp): Okapi BM25 as FTS5's own bm25() computes it (k1 = 1.2,
// b = 0.75, lower is better), except for how a phrase's rarity is found. bm25() counts the rows
// of the whole table that match each phrase, once per query: for a word in 2.4 M of 3 M messages
// that walk was 55 ms of every search, and for a two-word phrase over 100 ms, whatever the page
// shown. soporte_rank stops counting at kRankCountCap rows: a phrase found in more rows than that
// weighs as one found in exactly that many. Below the cap (every word on a small desk, the rare
// words on a big one) the weights are bm25()'s; a word or phrase alone ranks rows exactly as
// bm25() would, since one phrase's weight scales every row alike.
//
// SQL: soporte_rank(fts_table, scored_phrases, weight_of_column_0, weight_of_column_1, ...).
// Only the first `scored_phrases` phrases of the query are ranked (the ones after them only
// filter); a column's weight defaults to 1, and a column of weight 0 counts neither its matches
// nor its length.
#pragma once

#include <sqlite3.h>

#include "common/result.hpp"

namespace soporte::storage::sqlite_internal {

inline constexpr int kRankCountCap = 2000;

// Registers soporte_rank on `db`. kInternal when FTS5 is missing from the SQLite library.
Status RegisterSearchRank(sqlite3* db);

}  // namespace soporte::storage::sqlite_internal
