// The index terms of a text: its folded words (domain/search/search_text) reduced to their
// Spanish stems with Snowball (libstemmer), so "facturas", "facturación" and "facturacion" are
// one term ("factur"). Shared by the SQLite FTS5 tokenizer and the memory store's search, so
// both stores find the same things.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace soporte::storage::search {

// The stem of one folded word (lowercase, unaccented). Words of digits are their own stem.
// Thread-safe (one stemmer per thread).
std::string Stem(const std::string& folded_word);

// Stem() for the index's tokenizer, without copying: the stem is a view into this thread's
// cache (or `folded_word` itself for words of digits), valid until this thread's next call.
std::string_view StemView(std::string_view folded_word);

// Receives the terms of ForEachTermView: each term (valid only during the call) and its byte
// range [begin, end) in the text.
class TermSink {
 public:
  virtual void Term(std::string_view term, std::size_t begin, std::size_t end) = 0;

 protected:
  ~TermSink() = default;
};

// The terms of ForEachTerm, for the FTS5 tokenizer's hot loop: no allocation per word once a
// word's stem is cached. Thread-safe.
void ForEachTermView(std::string_view text, TermSink& sink);

// Calls fn(term, begin, end) for each word of `text`: its stem and its byte range in `text`.
void ForEachTerm(
    std::string_view text,
    const std::function<void(const std::string& term, std::size_t begin, std::size_t end)>& fn);

}  // namespace soporte::storage::search
