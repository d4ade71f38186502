#include "storage/search/search_snippet.hpp"

#include <algorithm>

#include "storage/search/search_stem.hpp"

namespace soporte::storage::search {

using domain::search::SearchTerm;

Field Cut(const std::string& text, double weight) {
  Field f{&text, {}, weight};
  ForEachTerm(text, [&](const std::string& t, std::size_t b, std::size_t e) {
    f.tokens.push_back({t, b, e});
  });
  return f;
}

namespace {

bool TokenMatches(const StemmedTerm& t, std::size_t k, const std::string& token) {
  if (t.kind == SearchTerm::Kind::kPrefix) return token.starts_with(t.stems[k]);
  return token == t.stems[k];
}

}  // namespace

// Positions in `f` where `t` starts.
std::vector<std::size_t> Occurrences(const StemmedTerm& t, const Field& f) {
  std::vector<std::size_t> at;
  const std::size_t n = t.stems.size();
  for (std::size_t i = 0; i + n <= f.tokens.size(); ++i) {
    bool ok = true;
    for (std::size_t k = 0; k < n && ok; ++k) ok = TokenMatches(t, k, f.tokens[i + k].term);
    if (ok) at.push_back(i);
  }
  return at;
}

// A document matches when every term occurs in one of its fields. Returns the score (lower is
// better) or nullopt, and marks the matched token ranges of each field in `marks`.
std::optional<double> Score(const std::vector<StemmedTerm>& terms, const std::vector<Field>& doc,
                            std::vector<std::vector<bool>>& marks) {
  marks.assign(doc.size(), {});
  for (std::size_t i = 0; i < doc.size(); ++i) marks[i].assign(doc[i].tokens.size(), false);
  double score = 0;
  for (const auto& t : terms) {
    bool found = false;
    for (std::size_t i = 0; i < doc.size(); ++i) {
      for (std::size_t at : Occurrences(t, doc[i])) {
        found = true;
        score -= doc[i].weight;
        for (std::size_t k = 0; k < t.stems.size(); ++k) marks[i][at + k] = true;
      }
    }
    if (!found) return std::nullopt;
  }
  return score;
}

// Up to 16 words around the first match of the first field with one, matches highlighted.
std::vector<app::SnippetPart> Snippet(const std::vector<Field>& doc,
                                      const std::vector<std::vector<bool>>& marks) {
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto& m = marks[i];
    const auto first = std::find(m.begin(), m.end(), true);
    if (first == m.end()) continue;
    const auto& f = doc[i];
    const std::size_t hit = static_cast<std::size_t>(first - m.begin());
    const std::size_t from = hit > 4 ? hit - 4 : 0;
    const std::size_t to = std::min(f.tokens.size(), from + 16);
    std::vector<app::SnippetPart> parts;
    auto add = [&](std::string text, bool h) {
      if (text.empty()) return;
      if (!parts.empty() && parts.back().hit == h) {
        parts.back().text += text;
      } else {
        parts.push_back({std::move(text), h});
      }
    };
    std::size_t pos = from == 0 ? 0 : f.tokens[from].begin;
    if (from > 0) add("…", false);
    for (std::size_t k = from; k < to; ++k) {
      add(f.text->substr(pos, f.tokens[k].begin - pos), false);
      add(f.text->substr(f.tokens[k].begin, f.tokens[k].end - f.tokens[k].begin), m[k]);
      pos = f.tokens[k].end;
    }
    if (to == f.tokens.size()) {
      add(f.text->substr(pos), false);
    } else {
      add("…", false);
    }
    return parts;
  }
  return {};
}

std::vector<StemmedTerm> StemTerms(const domain::search::SearchQuery& q) {
  std::vector<StemmedTerm> terms;
  for (const auto& t : q.terms) {
    StemmedTerm st{t.kind, {}};
    for (const auto& w : t.words) st.stems.push_back(Stem(w));
    terms.push_back(std::move(st));
  }
  return terms;
}

std::vector<app::SnippetPart> SnippetOf(const std::vector<StemmedTerm>& terms,
                                        const std::vector<Field>& doc) {
  std::vector<std::vector<bool>> marks(doc.size());
  for (std::size_t i = 0; i < doc.size(); ++i) marks[i].assign(doc[i].tokens.size(), false);
  for (const auto& t : terms) {
    for (std::size_t i = 0; i < doc.size(); ++i) {
      for (std::size_t at : Occurrences(t, doc[i])) {
        for (std::size_t k = 0; k < t.stems.size(); ++k) marks[i][at + k] = true;
      }
    }
  }
  return Snippet(doc, marks);
}

}  // namespace soporte::storage::search
