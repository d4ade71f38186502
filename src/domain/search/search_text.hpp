// The words of a text as search sees them: runs of letters and digits, lowercased, with accents
// and other diacritics removed ("Conexión" → "conexion", "Ñandú" → "nandu"). Pure; shared by the
// query parser (domain/search/search_query) and by every store's index (the SQLite FTS5
// tokenizer and the memory store), so a word is cut the same way where it is written and where
// it is looked for. Stemming is the store's business (storage/search/search_stem).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace soporte::domain::search {

// A folded word is cut at this many bytes (longer runs are not words anyone types).
inline constexpr std::size_t kMaxWordBytes = 64;

// Calls fn(word, begin, end) for each word of `text` in order: `word` is folded (lowercase,
// unaccented; Latin letters outside ASCII fold to their base letter, other scripts are kept),
// [begin, end) its byte range in `text`. Invalid UTF-8 bytes, punctuation, symbols and spaces
// separate words. Never fails; thread-safe.
void ForEachWord(
    std::string_view text,
    const std::function<void(const std::string& word, std::size_t begin, std::size_t end)>& fn);

// Receives the words of ForEachWordView. Word() gets each folded word (a view into a buffer
// reused for the next word: copy it to keep it) and its byte range [begin, end) in the text.
class WordSink {
 public:
  virtual void Word(std::string_view word, std::size_t begin, std::size_t end) = 0;

 protected:
  ~WordSink() = default;
};

// The same words as ForEachWord, cut the same way, for the search index's tokenizer: no
// allocation and no std::function per word, and plain ASCII (most of a Spanish text) is folded
// without decoding. Never fails; thread-safe.
void ForEachWordView(std::string_view text, WordSink& sink);

// True when `text` holds at least one word.
bool HasWord(std::string_view text);

}  // namespace soporte::domain::search
