// Snippets and matching over stored text, shared by the stores: texts cut into the index's terms
// (search_stem), query terms stemmed the same way, occurrences found (words, prefixes, phrases)
// and a highlighted snippet of up to 16 words cut around the first one. The memory store matches
// with it; the SQLite store only cuts the snippets of a page's hits (FTS5 found them).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/search_repository.hpp"
#include "domain/search/search_query.hpp"

namespace soporte::storage::search {

struct Token {
  std::string term;
  std::size_t begin, end;
};

// One searchable text of a ticket (a field, an article, a file name) cut into terms. Refers to
// `text`, which must outlive it.
struct Field {
  const std::string* text;
  std::vector<Token> tokens;
  double weight;
};

Field Cut(const std::string& text, double weight);

// A query term as stems: prefixes and words stemmed as the index stems them.
struct StemmedTerm {
  domain::search::SearchTerm::Kind kind;
  std::vector<std::string> stems;
};

std::vector<StemmedTerm> StemTerms(const domain::search::SearchQuery& q);

// Positions in `f` where `t` starts.
std::vector<std::size_t> Occurrences(const StemmedTerm& t, const Field& f);

// A document matches when every term occurs in one of its fields. Returns the score (lower is
// better) or nullopt, and marks the matched token ranges of each field in `marks`.
std::optional<double> Score(const std::vector<StemmedTerm>& terms, const std::vector<Field>& doc,
                            std::vector<std::vector<bool>>& marks);

// Up to 16 words around the first match of the first field with one, matches highlighted.
// Empty when nothing is marked.
std::vector<app::SnippetPart> Snippet(const std::vector<Field>& doc,
                                      const std::vector<std::vector<bool>>& marks);

// The snippet of a document another engine found: every occurrence of any term marked (no
// term is required), then Snippet. Empty when no term occurs.
std::vector<app::SnippetPart> SnippetOf(const std::vector<StemmedTerm>& terms,
                                        const std::vector<Field>& doc);

}  // namespace soporte::storage::search
