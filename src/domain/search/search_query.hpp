// What a person typed in a search box, parsed into terms a store can look for safely: words,
// "quoted phrases", prefixes (factur*) and a ticket number (#1234 or 1234). The parser never
// passes text through to a search engine's syntax: a store renders each term itself (the SQLite
// store quotes every term in its FTS5 expression), so FTS operators, parentheses and column
// filters typed by a user are plain words or separators here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace soporte::domain::search {

inline constexpr std::size_t kMaxQueryBytes = 256;  // longer queries are refused
inline constexpr std::size_t kMaxTerms = 12;        // more terms are refused

struct SearchTerm {
  enum class Kind { kWord, kPhrase, kPrefix };
  Kind kind = Kind::kWord;
  // The folded words of the term (domain/search/search_text): one for a word or a prefix,
  // one or more, in order, for a phrase.
  std::vector<std::string> words;
  bool operator==(const SearchTerm&) const = default;
};

struct SearchQuery {
  std::vector<SearchTerm> terms;  // every term must match (AND)
  // Set when the query names a ticket number ("#1234", or a whole query of digits "1234"):
  // that ticket matches too, first. A bare number is also looked for as a word.
  std::optional<std::int64_t> number;
  bool operator==(const SearchQuery&) const = default;
};

// Parses `q`. Words are separated by spaces and punctuation; "double quotes" make a phrase; a
// word ending in * is a prefix. Fails with kInvalidArgument (field "q") and a message naming the
// problem when: `q` is empty or has no word ("q has no words to search"), is longer than
// kMaxQueryBytes bytes, has an unbalanced double quote, or has more than kMaxTerms terms.
// Thread-safe.
Result<SearchQuery> ParseSearchQuery(std::string_view q);

}  // namespace soporte::domain::search
