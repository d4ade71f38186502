#include "storage/memory/memory_search_repository.hpp"

#include <algorithm>
#include <tuple>

#include "domain/ticket/ticket.hpp"
#include "storage/search/search_stem.hpp"

namespace soporte::storage::memory_internal {
namespace {

using domain::search::SearchTerm;

struct Token {
  std::string term;
  std::size_t begin, end;
};

// One searchable text of a ticket (a field, an article, a file name) cut into terms.
struct Field {
  const std::string* text;
  std::vector<Token> tokens;
  double weight;
};

Field Cut(const std::string& text, double weight) {
  Field f{&text, {}, weight};
  search::ForEachTerm(text, [&](const std::string& t, std::size_t b, std::size_t e) {
    f.tokens.push_back({t, b, e});
  });
  return f;
}

// A query term as stems: prefixes and words stemmed as the index stems them.
struct StemmedTerm {
  SearchTerm::Kind kind;
  std::vector<std::string> stems;
};

bool TokenMatches(const StemmedTerm& t, std::size_t k, const std::string& token) {
  if (t.kind == SearchTerm::Kind::kPrefix) return token.starts_with(t.stems[k]);
  return token == t.stems[k];
}

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

}  // namespace

Result<app::SearchPage> MemorySearchRepository::Search(const app::SearchRequest& r) {
  if (r.limit < 1 || r.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  if (r.offset < 0 || r.offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "offset must be between 0 and 10000");
  }
  std::vector<StemmedTerm> terms;
  for (const auto& t : r.query.terms) {
    StemmedTerm st{t.kind, {}};
    for (const auto& w : t.words) st.stems.push_back(search::Stem(w));
    terms.push_back(std::move(st));
  }
  // Documents per ticket: subject + description together (one row in SQLite), each article,
  // each attachment's file name.
  std::map<std::int64_t, std::vector<std::vector<Field>>> docs;
  for (const auto& [id, t] : s_.tickets) {
    docs[id].push_back({Cut(t.subject, 4.0), Cut(t.description, 1.0)});
  }
  for (const auto& [id, a] : s_.articles) {
    if (a.internal && !r.include_internal) continue;
    docs[a.ticket_id.value()].push_back({Cut(a.body, 1.0)});
  }
  for (const auto& [id, f] : s_.attachments) {
    docs[f.ticket_id.value()].push_back({Cut(f.filename, 0.5)});
  }
  const auto& q = r.filters;
  std::vector<std::tuple<double, std::int64_t, app::SearchHit>> found;
  for (const auto& [id, t] : s_.tickets) {
    if (q.status && t.status != *q.status) continue;
    if (q.criticality && t.criticality != *q.criticality) continue;
    if (q.org_id && t.org_id != *q.org_id) continue;
    if (q.assignee_id && t.assignee_id.value() != q.assignee_id->value()) continue;
    if (q.breached && domain::ResponseBreached(t, q.now) != *q.breached) continue;
    std::optional<double> best;
    std::vector<app::SnippetPart> snippet;
    if (r.query.number && t.number == *r.query.number) best = -1e9;
    if (!terms.empty()) {
      for (const auto& doc : docs[id]) {
        std::vector<std::vector<bool>> marks;
        auto s = Score(terms, doc, marks);
        if (s && (!best || *s < *best)) {
          best = s;
          snippet = Snippet(doc, marks);
        }
      }
    }
    if (!best) continue;
    found.emplace_back(*best, -t.number, app::SearchHit{t.id, *best, std::move(snippet)});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  app::SearchPage page;
  const auto from = static_cast<std::size_t>(r.offset);
  for (std::size_t i = from; i < found.size() && i < from + static_cast<std::size_t>(r.limit);
       ++i) {
    page.hits.push_back(std::move(std::get<2>(found[i])));
  }
  page.has_more = found.size() > from + static_cast<std::size_t>(r.limit);
  return page;
}

}  // namespace soporte::storage::memory_internal
