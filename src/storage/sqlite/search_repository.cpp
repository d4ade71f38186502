#include "storage/sqlite/search_repository.hpp"

#include <sqlite3.h>

#include <variant>

#include "domain/ticket/ticket.hpp"
#include "storage/search/search_snippet.hpp"
#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace sla = domain::sla;
using domain::search::SearchTerm;

// ResponseBreached (domain/ticket) in SQL, as ticket_repository.cpp's kBreachedExpr; the single
// parameter is `now`.
constexpr const char* kBreachedExpr =
    "(CASE WHEN t.first_response_at IS NOT NULL THEN t.first_response_at > t.response_due "
    "ELSE ? >= t.response_due END)";

// The newest matching texts of each kind (ticket, article, attachment) that are ranked; see
// Search. Bounds a query's cost on a big desk; a word in fewer texts is ranked among all of them.
constexpr int kMaxCandidates = 2000;

// Where a hit came from; picks the table its snippet is cut from.
enum Source { kTicketText = 0, kArticle = 1, kAttachment = 2, kNumber = 3 };

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string Fts5Expression(const domain::search::SearchQuery& q) {
  std::string out;
  for (const auto& term : q.terms) {
    if (!out.empty()) out += " AND ";
    std::string words;
    for (const auto& w : term.words) {
      if (!words.empty()) words.push_back(' ');
      words += w;
    }
    out += Quoted(words);
    if (term.kind == SearchTerm::Kind::kPrefix) out += " *";
  }
  return out;
}

Result<app::SearchPage> SqliteSearchRepository::Search(const app::SearchRequest& r) {
  if (r.limit < 1 || r.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  if (r.offset < 0 || r.offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "offset must be between 0 and 10000");
  }
  const std::string match = Fts5Expression(r.query);
  // The list's filters, on the ticket `t` of every branch (so the cap below counts only texts
  // of tickets the caller may see and asked for).
  std::string where;
  std::vector<std::variant<std::int64_t, std::string>> filter_args;
  const auto& f = r.filters;
  if (f.status) {
    where += " AND t.status = ?";
    filter_args.emplace_back(std::string(domain::StatusName(*f.status)));
  }
  if (f.criticality) {
    where += " AND t.criticality = ?";
    filter_args.emplace_back(std::string(sla::Name(*f.criticality)));
  }
  if (f.org_id) {
    where += " AND t.org_id = ?";
    filter_args.emplace_back(f.org_id->value());
  }
  if (f.assignee_id) {
    if (f.assignee_id->valid()) {
      where += " AND t.assignee_id = ?";
      filter_args.emplace_back(f.assignee_id->value());
    } else {
      where += " AND t.assignee_id IS NULL";
    }
  }
  if (f.breached) {
    where += Sql({" AND ", kBreachedExpr, " = ?"});
    filter_args.emplace_back(Secs(f.now));
    filter_args.emplace_back(std::int64_t{*f.breached ? 1 : 0});
  }
  // The statement's shape depends only on which parts are present; values are bound.
  std::vector<std::variant<std::int64_t, std::string>> args;
  std::vector<std::string> branches;
  // Each kind of text contributes its kMaxCandidates newest matches (FTS5 walks its index by
  // rowid, newest first, and stops there), ranked below by soporte_rank, whose count of a
  // phrase's matches stops at as many (search_rank.hpp): a word found in a million texts costs
  // as much as one found in a few thousand. The rank is negative (better is lower); subject
  // words weigh more than description words. CROSS JOIN keeps the full-text index the
  // outer loop: with a filter (an organisation, a status) SQLite would otherwise walk the
  // tickets by that filter's index and run the MATCH once per ticket (a customer's search read
  // every ticket of its organisation).
  // The user's phrases, all ranked (search_rank.hpp); bound, as every value, so that the
  // statement's shape stays one per combination of parts.
  const auto scored = static_cast<std::int64_t>(r.query.terms.size());
  auto branch = [&](const char* table, const std::string& select, std::string table_match) {
    branches.push_back("SELECT * FROM (" + select + where + " ORDER BY " + table +
                       ".rowid DESC LIMIT " + std::to_string(kMaxCandidates) + ")");
    args.emplace_back(scored);
    args.emplace_back(std::move(table_match));
    args.insert(args.end(), filter_args.begin(), filter_args.end());
  };
  // The user's words are matched in the text columns only; an organisation's texts are found
  // inside the index by its column org_id (0028_search_scope.sql), not by joining every match
  // of the desk to its ticket. soporte_rank ranks the user's phrases only, and a weight of 0
  // leaves org_id out of every length (search_rank.hpp).
  const std::string org_phrase =
      f.org_id ? " AND org_id : \"" + std::to_string(f.org_id->value()) + "\"" : std::string();
  auto in_columns = [&](const char* columns) {
    return std::string(columns) + " : (" + match + ")" + org_phrase;
  };
  if (!match.empty()) {
    branch("ticket_fts",
           "SELECT t.id, soporte_rank(ticket_fts, ?, 4.0, 1.0, 0.0), 0, ticket_fts.rowid "
           "FROM ticket_fts "
           "CROSS JOIN tickets t ON t.id = ticket_fts.rowid WHERE ticket_fts MATCH ?",
           in_columns("{subject description}"));
    branch("article_fts",
           std::string("SELECT t.id, soporte_rank(article_fts, ?, 1.0, 0.0), 1, article_fts.rowid "
                       "FROM article_fts CROSS JOIN articles a ON a.id = article_fts.rowid "
                       "CROSS JOIN tickets t ON t.id = a.ticket_id WHERE article_fts MATCH ?") +
               (r.include_internal ? "" : " AND a.internal = 0"),
           in_columns("body"));
    branch("attachment_fts",
           "SELECT t.id, soporte_rank(attachment_fts, ?, 1.0, 0.0) * 0.5, 2, attachment_fts.rowid "
           "FROM attachment_fts "
           "CROSS JOIN attachments f ON f.id = attachment_fts.rowid CROSS JOIN tickets t ON "
           "t.id = f.ticket_id WHERE attachment_fts MATCH ?",
           in_columns("filename"));
  }
  if (r.query.number) {
    branches.push_back("SELECT t.id, -1e9, 3, t.id FROM tickets t WHERE t.number = ?" + where);
    args.emplace_back(*r.query.number);
    args.insert(args.end(), filter_args.begin(), filter_args.end());
  }
  std::string sql = "WITH hits(ticket_id, score, src, rid) AS (";
  for (std::size_t i = 0; i < branches.size(); ++i) {
    if (i > 0) sql += " UNION ALL ";
    sql += branches[i];
  }
  sql +=
      "), best AS (SELECT ticket_id, min(score) AS score, src, rid FROM hits GROUP BY ticket_id) "
      "SELECT best.ticket_id, CAST(best.score * 1000000 AS INTEGER), best.src, best.rid "
      "FROM best JOIN tickets t ON t.id = best.ticket_id "
      "ORDER BY best.score, t.number DESC LIMIT ? OFFSET ?";
  args.emplace_back(std::int64_t{r.limit + 1});
  args.emplace_back(std::int64_t{r.offset});

  struct Row {
    std::int64_t ticket_id, score, src, rid;
  };
  std::vector<Row> rows;
  {
    SOPORTE_TRY(s, db_.Prepare(sql));
    for (std::size_t i = 0; i < args.size(); ++i) {
      std::visit([&](const auto& v) { s.Bind(static_cast<int>(i + 1), v); }, args[i]);
    }
    SOPORTE_TRY(got, Collect<Row>(s, [](const Stmt& st) {
                  return Row{st.Int(0), st.Int(1), st.Int(2), st.Int(3)};
                }));
    rows = std::move(got);
  }
  app::SearchPage page;
  page.has_more = rows.size() > static_cast<std::size_t>(r.limit);
  if (page.has_more) rows.resize(static_cast<std::size_t>(r.limit));
  page.hits.reserve(rows.size());
  const std::vector<search::StemmedTerm> terms = search::StemTerms(r.query);
  for (const auto& row : rows) {
    app::SearchHit hit{TicketId{row.ticket_id}, static_cast<double>(row.score) / 1e6, {}};
    SOPORTE_TRY(snippet, SnippetOf(static_cast<int>(row.src), row.rid, terms));
    hit.snippet = std::move(snippet);
    page.hits.push_back(std::move(hit));
  }
  return page;
}

Result<std::vector<app::SnippetPart>> SqliteSearchRepository::SnippetOf(
    int source, std::int64_t rowid, const std::vector<search::StemmedTerm>& terms) {
  // The snippet is cut in C++ from the stored text of the hit (one read by primary key per hit
  // on the page), never by matching the FTS5 query again for each row: FTS5's snippet() on
  // "MATCH ? AND rowid = ?" re-runs the whole query, whose cost grows with a frequent word's
  // doclist, up to 50 times per page.
  const char* sql = nullptr;
  switch (source) {
    case kTicketText: sql = "SELECT subject, description FROM tickets WHERE id = ?"; break;
    case kArticle: sql = "SELECT body, NULL FROM articles WHERE id = ?"; break;
    case kAttachment: sql = "SELECT filename, NULL FROM attachments WHERE id = ?"; break;
    default: return std::vector<app::SnippetPart>{};  // a ticket number: the row shows it already
  }
  SOPORTE_TRY(s, db_.Prepare(sql));
  s.Bind(1, rowid);
  SOPORTE_TRY(has, s.Step());
  if (!has) return std::vector<app::SnippetPart>{};
  const std::string first = s.Text(0);
  const std::string second = s.IsNull(1) ? std::string() : s.Text(1);
  std::vector<search::Field> doc{search::Cut(first, 1.0)};
  if (source == kTicketText) doc.push_back(search::Cut(second, 1.0));
  return search::SnippetOf(terms, doc);
}

Status SqliteSearchRepository::Rebuild() {
  SOPORTE_TRY_STATUS(db_.Exec("INSERT INTO ticket_fts(ticket_fts) VALUES ('rebuild')"));
  SOPORTE_TRY_STATUS(db_.Exec("INSERT INTO article_fts(article_fts) VALUES ('rebuild')"));
  SOPORTE_TRY_STATUS(db_.Exec("INSERT INTO attachment_fts(attachment_fts) VALUES ('rebuild')"));
  // A rebuild leaves many segments (automerge is off, 0025); merged into one each, searches at
  // 1 M tickets are a third faster at once, and the writer has nothing left to merge while idle.
  SOPORTE_TRY_STATUS(db_.Exec("INSERT INTO ticket_fts(ticket_fts) VALUES ('optimize')"));
  SOPORTE_TRY_STATUS(db_.Exec("INSERT INTO article_fts(article_fts) VALUES ('optimize')"));
  SOPORTE_TRY_STATUS(db_.Exec("INSERT INTO attachment_fts(attachment_fts) VALUES ('optimize')"));
  // The rebuild read every row, the queued ones too: flushing them again would index them twice.
  return db_.Exec("DELETE FROM search_queue");
}

Status FlushSearchQueue(Db& db, bool* indexed) {
  // The kinds queued: most batches hold only new tickets, or nothing. Every statement is
  // prepared once per connection (sqlite3_exec compiled four statements per batch: a sixth of
  // what the flush cost the writer under perf), and a kind with nothing queued costs nothing.
  bool queued[4] = {false, false, false, false};
  {
    SOPORTE_TRY(kinds, db.Prepare("SELECT DISTINCT kind FROM search_queue"));
    while (true) {
      SOPORTE_TRY(row, kinds.Step());
      if (!row) break;
      const std::int64_t k = kinds.Int(0);
      if (k >= 1 && k <= 3) queued[k] = true;
    }
  }
  if (!queued[1] && !queued[2] && !queued[3]) return Ok();
  if (indexed != nullptr) *indexed = true;
  static constexpr const char* kIndex[4] = {
      nullptr,
      "INSERT INTO ticket_fts(rowid, subject, description, org_id) "
      "SELECT t.id, t.subject, t.description, t.org_id FROM search_queue q "
      "JOIN tickets t ON t.id = q.id WHERE q.kind = 1",
      "INSERT INTO article_fts(rowid, body, org_id) "
      "SELECT a.id, a.body, t.org_id FROM search_queue q JOIN articles a ON a.id = q.id "
      "JOIN tickets t ON t.id = a.ticket_id WHERE q.kind = 2",
      "INSERT INTO attachment_fts(rowid, filename, org_id) "
      "SELECT f.id, f.filename, t.org_id FROM search_queue q JOIN attachments f ON f.id = q.id "
      "JOIN tickets t ON t.id = f.ticket_id WHERE q.kind = 3"};
  for (int k = 1; k <= 3; ++k) {
    if (!queued[k]) continue;
    SOPORTE_TRY(index, db.Prepare(kIndex[k]));
    SOPORTE_TRY_STATUS(index.Run());
  }
  SOPORTE_TRY(clear, db.Prepare("DELETE FROM search_queue"));
  return clear.Run();
}

Result<bool> MergeSearchIndexStep(Db& db) {
  // Pages written per table and step: a step costs a write that arrives during it ~0.2-0.5 ms.
  static constexpr const char* kMerge[] = {
      "INSERT INTO ticket_fts(ticket_fts, rank) VALUES ('merge', 16)",
      "INSERT INTO article_fts(article_fts, rank) VALUES ('merge', 16)",
      "INSERT INTO attachment_fts(attachment_fts, rank) VALUES ('merge', 16)"};
  SOPORTE_TRY_STATUS(db.Exec("BEGIN IMMEDIATE"));
  bool worked = false;
  auto body = [&]() -> Status {
    for (const char* sql : kMerge) {
      // FTS5: a difference of 2 or more in total changes means the step merged something.
      const std::int64_t before = sqlite3_total_changes64(db.raw());
      SOPORTE_TRY(s, db.Prepare(sql));
      SOPORTE_TRY_STATUS(s.Run());
      if (sqlite3_total_changes64(db.raw()) - before >= 2) worked = true;
    }
    return db.Exec("COMMIT");
  };
  if (Status st = body(); !st) {
    if (!db.InAutocommit()) (void)db.Exec("ROLLBACK");
    return tl::make_unexpected(st.error());
  }
  return worked;
}

}  // namespace soporte::storage::sqlite_internal
