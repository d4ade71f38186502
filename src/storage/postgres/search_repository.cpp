#include "storage/postgres/search_repository.hpp"

#include <algorithm>
#include <map>

#include "domain/ticket/ticket.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/search/search_stem.hpp"

namespace soporte::storage::pg_internal {
namespace {

namespace sla = domain::sla;
using domain::search::SearchTerm;

// The newest matching texts of each kind that are ranked (SQLite's kMaxCandidates): a word in
// every text is ranked among the 2,000 newest of each kind, not among all of them.
constexpr int kMaxCandidates = 2000;

// Where a hit came from; picks the table its snippet is cut from (as SQLite's).
enum Source { kTicketText = 0, kArticle = 1, kAttachment = 2, kNumber = 3 };

// PostgreSQL's tsvector limits (tsvector.h): MAXENTRYPOS, MAXNUMPOS, MAXSTRLEN, MAXSTRPOS.
constexpr int kMaxPosition = 16383;
constexpr std::size_t kMaxPositionsPerTerm = 256;
constexpr std::size_t kMaxTermBytes = 2046;
constexpr std::size_t kMaxTermsBytes = 1000000;

// The rank of the text `d` for the tsquery parameter `q`. ts_rank's weights are {D, C, B, A}:
// subject words (A) weigh four times the rest (B), as SQLite's soporte_rank with weights 4 and 1;
// the rank is divided by 1 + log(the text's length), as bm25 favours short texts.
std::string Rank(const std::string& q) {
  return "ts_rank('{0.1, 0.2, 0.25, 1.0}', d.terms, " + q + "::tsquery, 1)";
}

// `s` between single quotes for a tsvector or tsquery literal: quotes doubled, backslashes
// escaped.
void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back(c == '\'' ? '\'' : '\\');
    out.push_back(c);
  }
  out.push_back('\'');
}

// `s` as an element of a PostgreSQL array literal: double quotes, with " and \ escaped.
void AppendArrayElement(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

// ResponseBreached (domain/ticket) on the ticket `t`, as ticket_repository.cpp's kBreachedExpr.
std::string BreachedExpr(const std::string& now) {
  return "(CASE WHEN t.first_response_at IS NOT NULL THEN t.first_response_at > t.response_due "
         "ELSE " +
         now + "::bigint >= t.response_due END)";
}

}  // namespace

std::string TsVectorText(const std::vector<WeightedText>& texts) {
  std::map<std::string, std::vector<std::pair<int, char>>> terms;
  std::size_t bytes = 0;
  int position = 0;
  for (const auto& t : texts) {
    search::ForEachTerm(*t.text, [&](const std::string& term, std::size_t, std::size_t) {
      ++position;
      if (term.empty() || term.size() > kMaxTermBytes) return;
      auto it = terms.find(term);
      if (it == terms.end()) {
        if (bytes + term.size() > kMaxTermsBytes) return;
        bytes += term.size();
        it = terms.emplace(term, std::vector<std::pair<int, char>>{}).first;
      }
      auto& at = it->second;
      const int p = std::min(position, kMaxPosition);
      if (at.size() >= kMaxPositionsPerTerm || (!at.empty() && at.back().first == p)) return;
      at.emplace_back(p, t.weight);
    });
    ++position;  // a gap: no phrase spans two texts
  }
  std::string out;
  for (const auto& [term, at] : terms) {
    if (!out.empty()) out.push_back(' ');
    AppendQuoted(out, term);
    out.push_back(':');
    for (std::size_t i = 0; i < at.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += std::to_string(at[i].first);
      out.push_back(at[i].second);
    }
  }
  return out;
}

std::string TsQueryText(const std::vector<search::StemmedTerm>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (t.stems.empty()) continue;
    if (!out.empty()) out += " & ";
    out.push_back('(');
    for (std::size_t i = 0; i < t.stems.size(); ++i) {
      if (i > 0) out += " <-> ";
      AppendQuoted(out, t.stems[i]);
      if (t.kind == SearchTerm::Kind::kPrefix) out += ":*";
    }
    out.push_back(')');
  }
  return out;
}

Result<app::SearchPage> PgSearchRepository::Search(const app::SearchRequest& r) {
  if (r.limit < 1 || r.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  if (r.offset < 0 || r.offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "offset must be between 0 and 10000");
  }
  const std::vector<search::StemmedTerm> terms = search::StemTerms(r.query);
  const std::string query = TsQueryText(terms);
  // The tsquery (only when there are words: a parameter no statement uses has no type) and the
  // filters' parameters, each shared by every branch.
  PgParams p;
  const std::string q = query.empty() ? std::string() : Param(p, query);
  std::string where;
  const auto& f = r.filters;
  if (f.status) where += " AND t.status = " + Param(p, domain::StatusName(*f.status));
  if (f.criticality) where += " AND t.criticality = " + Param(p, sla::Name(*f.criticality));
  if (f.org_id) where += " AND t.org_id = " + Param(p, f.org_id->value());
  if (f.assignee_id) {
    where += f.assignee_id->valid() ? " AND t.assignee_id = " + Param(p, f.assignee_id->value())
                                    : std::string(" AND t.assignee_id IS NULL");
  }
  if (f.breached) {
    where += " AND " + BreachedExpr(Param(p, Secs(f.now))) + " = " + Param(p, *f.breached);
  }
  // Each kind of text contributes its kMaxCandidates newest matches (the GIN index finds them,
  // the newest are kept), and only those are ranked. ts_rank is positive (better is higher): the
  // score is its opposite, so lower is better as on SQLite; file names count half.
  std::vector<std::string> branches;
  auto branch = [&](int kind, int source, const char* factor, const std::string& extra) {
    branches.push_back(
        "SELECT d.ticket_id, (-" + Rank(q) + factor + ")::float8, " + std::to_string(source) +
        ", d.id FROM (SELECT d.id, d.ticket_id, d.terms FROM search_docs d JOIN tickets t ON "
        "t.id = d.ticket_id WHERE d.kind = " +
        std::to_string(kind) + " AND d.terms @@ " + q + "::tsquery" + extra + where +
        " ORDER BY d.id DESC LIMIT " + std::to_string(kMaxCandidates) + ") d");
  };
  if (!query.empty()) {
    branch(1, kTicketText, "", "");
    branch(2, kArticle, "", r.include_internal ? "" : " AND NOT d.internal");
    branch(3, kAttachment, " * 0.5", "");
  }
  if (r.query.number) {
    branches.push_back("SELECT t.id, -1e9::float8, 3, t.id FROM tickets t WHERE t.number = " +
                       Param(p, *r.query.number) + where);
  }
  if (branches.empty()) return app::SearchPage{};
  std::string sql = "WITH hits(ticket_id, score, src, rid) AS (";
  for (std::size_t i = 0; i < branches.size(); ++i) {
    if (i > 0) sql += " UNION ALL ";
    sql += branches[i];
  }
  sql +=
      "), best AS (SELECT DISTINCT ON (ticket_id) ticket_id, score, src, rid FROM hits "
      "ORDER BY ticket_id, score, src, rid) "
      "SELECT b.ticket_id, (b.score * 1000000)::bigint, b.src, b.rid FROM best b "
      "JOIN tickets t ON t.id = b.ticket_id ORDER BY b.score, t.number DESC LIMIT " +
      Param(p, r.limit + 1) + " OFFSET " + Param(p, r.offset);
  SOPORTE_TRY(rows, conn_.Query(sql, p));
  app::SearchPage page;
  int n = rows.size();
  page.has_more = n > r.limit;
  if (page.has_more) n = r.limit;
  page.hits.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    app::SearchHit hit{TicketId{rows.Int(i, 0)}, static_cast<double>(rows.Int(i, 1)) / 1e6, {}};
    SOPORTE_TRY(snippet, SnippetOf(static_cast<int>(rows.Int(i, 2)), rows.Int(i, 3), terms));
    hit.snippet = std::move(snippet);
    page.hits.push_back(std::move(hit));
  }
  return page;
}

Result<std::vector<app::SnippetPart>> PgSearchRepository::SnippetOf(
    int source, std::int64_t id, const std::vector<search::StemmedTerm>& terms) {
  // Cut in C++ from the hit's stored text, as the SQLite store does (one read by primary key a
  // hit), so both stores show the same snippet.
  const char* sql = nullptr;
  switch (source) {
    case kTicketText: sql = "SELECT subject, description FROM tickets WHERE id = $1"; break;
    case kArticle: sql = "SELECT body, NULL FROM articles WHERE id = $1"; break;
    case kAttachment: sql = "SELECT filename, NULL FROM attachments WHERE id = $1"; break;
    default: return std::vector<app::SnippetPart>{};  // a ticket number: the row shows it already
  }
  SOPORTE_TRY(rows, conn_.Query(sql, PgParams().Add(id)));
  if (rows.empty()) return std::vector<app::SnippetPart>{};
  const std::string first = rows.Text(0, 0);
  const std::string second = rows.IsNull(0, 1) ? std::string() : rows.Text(0, 1);
  std::vector<search::Field> doc{search::Cut(first, 1.0)};
  if (source == kTicketText) doc.push_back(search::Cut(second, 1.0));
  return search::SnippetOf(terms, doc);
}

Status PgSearchRepository::Rebuild() {
  // Everything is queued again and indexed by the flush, in this transaction.
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM search_docs"));
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM search_queue"));
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO search_queue(kind, id) SELECT 1, id FROM tickets UNION ALL "
                  "SELECT 2, id FROM articles UNION ALL SELECT 3, id FROM attachments"));
  SOPORTE_TRY_STATUS(MarkSearchQueued(conn_));
  return FlushSearchQueue(conn_);
}

Status MarkSearchQueued(PgConn& conn) {
  return conn.Query("SELECT set_config('soporte.search_queued', 'on', true)").map([](auto&&) {});
}

Status FlushSearchQueue(PgConn& conn) {
  // The queued rows' texts, a chunk at a time (a rebuild queues every row). The setting is a
  // one-time filter: when no trigger set it, PostgreSQL reads no table (and so takes no
  // SERIALIZABLE read lock on the queue, which every concurrent queuing write would clash with).
  // Chunks follow a cursor on (kind, id), and each kind is read in key order up to a chunk: the
  // rows a chunk indexed are deleted from the queue, but inside this transaction their index
  // entries stay, so a scan from the start would step over all of them again at every chunk, and
  // a sort of the whole queue would read all of it (a rebuild of 200,000 tickets took 7 minutes).
  static constexpr const char* kQueued =
      "(SELECT q.kind, q.id, t.id, false, t.subject, t.description FROM search_queue q "
      "JOIN tickets t ON t.id = q.id "
      "WHERE q.kind = 1 AND (q.kind, q.id) > ($2::smallint, $3::bigint) "
      "AND current_setting('soporte.search_queued', true) = 'on' ORDER BY q.id LIMIT $1) "
      "UNION ALL (SELECT q.kind, q.id, a.ticket_id, a.internal, a.body, NULL FROM search_queue q "
      "JOIN articles a ON a.id = q.id "
      "WHERE q.kind = 2 AND (q.kind, q.id) > ($2::smallint, $3::bigint) "
      "AND current_setting('soporte.search_queued', true) = 'on' ORDER BY q.id LIMIT $1) "
      "UNION ALL (SELECT q.kind, q.id, f.ticket_id, false, f.filename, NULL FROM search_queue q "
      "JOIN attachments f ON f.id = q.id "
      "WHERE q.kind = 3 AND (q.kind, q.id) > ($2::smallint, $3::bigint) "
      "AND current_setting('soporte.search_queued', true) = 'on' ORDER BY q.id LIMIT $1) "
      "ORDER BY 1, 2 LIMIT $1";
  constexpr int kChunk = 500;
  std::int64_t after_kind = 0, after_id = 0;  // the cursor: the last (kind, id) indexed
  while (true) {
    SOPORTE_TRY(rows, conn.Query(kQueued, PgParams().Add(kChunk).Add(after_kind).Add(after_id)));
    if (rows.empty()) return Ok();
    after_kind = rows.Int(rows.size() - 1, 0);
    after_id = rows.Int(rows.size() - 1, 1);
    // One INSERT and one DELETE a chunk, the rows as arrays.
    std::string kinds = "{", ids = "{", tickets = "{", internal = "{", vectors = "{";
    for (int i = 0; i < rows.size(); ++i) {
      if (i > 0) {
        for (std::string* s : {&kinds, &ids, &tickets, &internal, &vectors}) s->push_back(',');
      }
      kinds += rows.Text(i, 0);
      ids += rows.Text(i, 1);
      tickets += rows.Text(i, 2);
      internal += rows.Text(i, 3);
      const std::string first = rows.Text(i, 4);
      if (rows.Int(i, 0) == 1) {
        const std::string second = rows.Text(i, 5);
        AppendArrayElement(vectors, TsVectorText({{&first, 'A'}, {&second, 'B'}}));
      } else {
        AppendArrayElement(vectors, TsVectorText({{&first, 'B'}}));
      }
    }
    for (std::string* s : {&kinds, &ids, &tickets, &internal, &vectors}) s->push_back('}');
    SOPORTE_TRY_STATUS(
        conn.Query("INSERT INTO search_docs(kind, id, ticket_id, internal, terms) "
                   "SELECT u.kind, u.id, u.ticket_id, u.internal, u.terms::tsvector FROM "
                   "unnest($1::smallint[], "
                   "$2::bigint[], $3::bigint[], $4::boolean[], $5::text[]) AS u(kind, id, "
                   "ticket_id, internal, "
                   "terms) ON CONFLICT (kind, id) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, "
                   "internal = EXCLUDED.internal, terms = EXCLUDED.terms",
                   PgParams().Add(kinds).Add(ids).Add(tickets).Add(internal).Add(vectors)));
    SOPORTE_TRY_STATUS(
        conn.Query("DELETE FROM search_queue q USING unnest($1::smallint[], $2::bigint[]) "
                   "AS u(kind, id) WHERE q.kind = u.kind AND q.id = u.id",
                   PgParams().Add(kinds).Add(ids)));
    if (rows.size() < kChunk) return Ok();
  }
}

}  // namespace soporte::storage::pg_internal
