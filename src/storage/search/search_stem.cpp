#include "storage/search/search_stem.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "domain/search/search_text.hpp"

namespace soporte::storage::search {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

sb_stemmer* ThreadStemmer() {
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
      sb_stemmer_new("spanish", "UTF_8"));
  return stemmer.get();
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Snowball's Spanish rules name some suffixes with their accent (-ación, -ución, -logía): a word
// typed without it ("informacion") would keep its suffix and miss "información". The folded
// word gets its accent back on those suffixes before stemming.
std::string WithSuffixAccent(const std::string& w) {
  struct Suffix {
    std::string_view plain, accented;
  };
  static constexpr Suffix kSuffixes[] = {
      {"acion", "ación"}, {"ucion", "ución"}, {"logia", "logía"}, {"logias", "logías"}};
  for (const auto& s : kSuffixes) {
    if (EndsWith(w, s.plain))
      return w.substr(0, w.size() - s.plain.size()) + std::string(s.accented);
  }
  return w;
}

// Snowball, without the cache.
std::string StemOnce(const std::string& folded_word) {
  sb_stemmer* stemmer = ThreadStemmer();
  if (stemmer == nullptr) return folded_word;
  const std::string w = WithSuffixAccent(folded_word);
  const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(w.data()),
                                         static_cast<int>(w.size()));
  if (out == nullptr) return folded_word;  // out of memory: index the word itself
  std::string stem(reinterpret_cast<const char*>(out),
                   static_cast<std::size_t>(sb_stemmer_length(stemmer)));
  // The stemmer strips accents from what it keeps; fold again so no accent survives anyway.
  if (std::all_of(stem.begin(), stem.end(), [](char c) { return (c & 0x80) == 0; })) return stem;
  std::string folded;
  domain::search::ForEachWord(
      stem, [&](const std::string& part, std::size_t, std::size_t) { folded += part; });
  return folded.empty() ? folded_word : folded;
}

// Words met per thread and their stems. Support text repeats its words (the writer indexes the
// same few thousand again and again): Snowball and its copies were half of what indexing a new
// ticket cost the writer (perf, bench/search_write_bench.sh). Emptied when full, so a flood of
// distinct words costs memory once, bounded.
constexpr std::size_t kCachedWords = 20000;

}  // namespace

std::string Stem(const std::string& folded_word) {
  if (folded_word.empty() || (folded_word[0] >= '0' && folded_word[0] <= '9')) return folded_word;
  thread_local std::unordered_map<std::string, std::string> cache;
  if (auto it = cache.find(folded_word); it != cache.end()) return it->second;
  if (cache.size() >= kCachedWords) cache.clear();
  std::string stem = StemOnce(folded_word);
  cache.emplace(folded_word, stem);
  return stem;
}

void ForEachTerm(std::string_view text,
                 const std::function<void(const std::string&, std::size_t, std::size_t)>& fn) {
  domain::search::ForEachWord(
      text, [&](const std::string& w, std::size_t b, std::size_t e) { fn(Stem(w), b, e); });
}

}  // namespace soporte::storage::search
