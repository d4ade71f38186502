#include "storage/search/search_stem.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

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
// ticket cost the writer (perf, bench/search_write_bench.sh). 2026-12-07: the cache is
// direct-mapped, one 64-byte slot per word (a colliding word replaces the one there): an
// unordered_map of 20,000 words missed the CPU cache on every look-up and, once full, freed all
// its nodes at once (with numbered words, "error123", it filled every few batches); together
// those cost as much as tokenizing. Longer words than a slot holds are stemmed every time.
constexpr std::size_t kSlotBytes = 31;
constexpr std::size_t kSlots = 4096;  // 256 KiB a thread

struct alignas(64) StemSlot {
  std::uint8_t word_size = 0;  // 0: empty
  std::uint8_t stem_size = 0;
  char word[kSlotBytes];
  char stem[kSlotBytes];
};

StemSlot& SlotFor(std::string_view word) {
  thread_local std::unique_ptr<StemSlot[]> slots(new StemSlot[kSlots]);
  return slots[std::hash<std::string_view>{}(word) % kSlots];
}

}  // namespace

std::string_view StemView(std::string_view folded_word) {
  if (folded_word.empty() || (folded_word[0] >= '0' && folded_word[0] <= '9')) return folded_word;
  if (folded_word.size() > kSlotBytes) {
    thread_local std::string long_stem;
    long_stem = StemOnce(std::string(folded_word));
    return long_stem;
  }
  StemSlot& slot = SlotFor(folded_word);
  if (slot.word_size == folded_word.size() &&
      std::memcmp(slot.word, folded_word.data(), folded_word.size()) == 0) {
    return {slot.stem, slot.stem_size};
  }
  const std::string stem = StemOnce(std::string(folded_word));
  if (stem.empty() || stem.size() > kSlotBytes) {
    thread_local std::string odd_stem;
    odd_stem = stem;
    slot.word_size = 0;
    return odd_stem;
  }
  std::memcpy(slot.word, folded_word.data(), folded_word.size());
  slot.word_size = static_cast<std::uint8_t>(folded_word.size());
  std::memcpy(slot.stem, stem.data(), stem.size());
  slot.stem_size = static_cast<std::uint8_t>(stem.size());
  return {slot.stem, slot.stem_size};
}

std::string Stem(const std::string& folded_word) { return std::string(StemView(folded_word)); }

void ForEachTermView(std::string_view text, TermSink& sink) {
  struct Words final : domain::search::WordSink {
    TermSink& out;
    explicit Words(TermSink& o) : out(o) {}
    void Word(std::string_view w, std::size_t b, std::size_t e) override {
      out.Term(StemView(w), b, e);
    }
  } words(sink);
  domain::search::ForEachWordView(text, words);
}

void ForEachTerm(std::string_view text,
                 const std::function<void(const std::string&, std::size_t, std::size_t)>& fn) {
  struct Terms final : TermSink {
    const std::function<void(const std::string&, std::size_t, std::size_t)>& fn;
    std::string term;
    explicit Terms(const std::function<void(const std::string&, std::size_t, std::size_t)>& f)
        : fn(f) {}
    void Term(std::string_view t, std::size_t b, std::size_t e) override {
      term.assign(t);
      fn(term, b, e);
    }
  } terms(fn);
  ForEachTermView(text, terms);
}

}  // namespace soporte::storage::search
