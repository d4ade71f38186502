#include "storage/memory/memory_search_repository.hpp"

#include <algorithm>
#include <tuple>

#include "domain/ticket/ticket.hpp"
#include "storage/search/search_snippet.hpp"
#include "storage/search/search_stem.hpp"

namespace soporte::storage::memory_internal {

using search::Cut;
using search::Field;
using search::Score;
using search::Snippet;
using search::StemmedTerm;

Result<app::SearchPage> MemorySearchRepository::Search(const app::SearchRequest& r) {
  if (r.limit < 1 || r.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  if (r.offset < 0 || r.offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "offset must be between 0 and 10000");
  }
  const std::vector<StemmedTerm> terms = search::StemTerms(r.query);
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
