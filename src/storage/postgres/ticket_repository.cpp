#include "storage/postgres/ticket_repository.hpp"

#include <chrono>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain/profile/intake_checklist.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/rows/tickets.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {
namespace {

namespace sla = domain::sla;

// The row readers and column lists both stores share (storage/rows/tickets.hpp).
using rows::ContextColumns;
using rows::kArticleCols;
using rows::kAttachmentCols;
using rows::kContextJoins;
using rows::kTicketCols;
constexpr auto TicketFrom = rows::TicketFrom<PgRow>;
constexpr auto ArticleFrom = rows::ArticleFrom<PgRow>;
constexpr auto AttachmentFrom = rows::AttachmentFrom<PgRow>;
constexpr auto ContextFrom = rows::ContextFrom<PgRow>;

// Runs `sql` and reads every row through `read` (returning T or Result<T>).
template <class T, class F>
Result<std::vector<T>> Collect(PgConn& conn, std::string_view sql, const PgParams& p, F read) {
  SOPORTE_TRY(rows, conn.Query(sql, p));
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    if constexpr (std::is_same_v<decltype(read(PgRow(rows, i))), T>) {
      out.push_back(read(PgRow(rows, i)));
    } else {
      SOPORTE_TRY(v, read(PgRow(rows, i)));
      out.push_back(std::move(v));
    }
  }
  return out;
}

// The first row of `sql` through `read`, or kNotFound naming `what`.
template <class T, class F>
Result<T> One(PgConn& conn, std::string_view sql, const PgParams& p, F read, std::string what) {
  SOPORTE_TRY(rows, conn.Query(sql, p));
  if (rows.empty()) return tl::make_unexpected(NotFound(std::move(what)));
  return read(PgRow(rows, 0));
}

// --- contexts: a ticket joined with its organisation, contract and people ----------------------

// --- the list: which tickets a page holds -------------------------------------------------------

// The statuses domain::IsActive accepts, in the very words of the partial indexes tickets_active
// and tickets_active_by_org (0003): the planner uses a partial index only for a statement whose
// terms imply the index's condition.
constexpr const char* kActiveTerm = "status IN ('new', 'open', 'waiting_customer')";

// " AND …" for every filter of `q` but `breached` (the cursor included), adding the values to
// `p`. Both ranges of a "breached" page share these parameters.
std::string FilterTerms(const app::TicketQuery& q, PgParams& p) {
  std::string sql;
  if (q.status) sql += " AND status = " + Param(p, domain::StatusName(*q.status));
  if (q.active_only) sql += std::string(" AND ") + kActiveTerm;
  if (q.criticality) sql += " AND criticality = " + Param(p, sla::Name(*q.criticality));
  if (q.org_id) sql += " AND org_id = " + Param(p, q.org_id->value());
  if (q.assignee_id) {
    sql += q.assignee_id->valid() ? " AND assignee_id = " + Param(p, q.assignee_id->value())
                                  : std::string(" AND assignee_id IS NULL");
  }
  if (q.after) {
    const std::string due = Param(p, Secs(q.after->first));
    sql += " AND (response_due, number) > (" + due + ", " + Param(p, q.after->second) + ")";
  }
  return sql;
}

// One statement selecting the ticket rows (kTicketCols) of the page plus one (to tell
// has_more), in (response_due, number) order. Every shape is an ordered range read on an index
// of 0003 that stops after a page: the filters are equalities on an index's prefix or checked
// inside the index, the cursor a row comparison on (response_due, number). "Breached" (domain
// ResponseBreached at `now`) is two ranges merged, each reading at most a page:
//   breached:     unanswered with response_due <= now (tickets_unanswered) | answered after the
//                 due (tickets_answered_late)
//   not breached: unanswered with response_due >  now (tickets_unanswered) | answered by the due
// The text depends only on which filters are present (each prepared once per connection).
std::string PageSql(const app::TicketQuery& q, PgParams& p) {
  const std::string filters = FilterTerms(q, p);
  const std::string limit = Param(p, static_cast<std::int64_t>(q.limit) + 1);
  const std::string order = " ORDER BY response_due, number LIMIT " + limit;
  const std::string pick = std::string("SELECT ") + kTicketCols + " FROM tickets WHERE ";
  if (!q.breached) return pick + "TRUE" + filters + order;
  const bool breached = *q.breached;
  const std::string now = Param(p, Secs(q.now));
  return "(" + pick + "first_response_at IS NULL AND response_due " + (breached ? "<= " : "> ") +
         now + filters + order + ") UNION ALL (" + pick +
         (breached ? "first_response_at > response_due" : "first_response_at <= response_due") +
         filters + order + ")" + order;
}

// Keeps the first q.limit rows of a page read with one more and says whether more follow.
template <class T>
bool TrimPage(std::vector<T>& rows, const app::TicketQuery& q) {
  const bool more = rows.size() > static_cast<std::size_t>(q.limit);
  if (more) rows.resize(static_cast<std::size_t>(q.limit));
  return more;
}

// ResponseBreached (domain/ticket) in SQL; $1 is `now`.
constexpr const char* kBreachedExpr =
    "(CASE WHEN first_response_at IS NOT NULL THEN first_response_at > response_due "
    "ELSE $1::bigint >= response_due END)";

// The ticket's mutable columns as parameters $1..$18 (shared by INSERT and UPDATE).
PgParams TicketFields(const domain::Ticket& t) {
  PgParams p;
  p.Add(t.org_id.value())
      .Add(t.contract_id.value())
      .Add(t.requester_id.value())
      .Add(domain::TypeName(t.type))
      .Add(sla::Name(t.criticality))
      .Add(domain::StatusName(t.status))
      .Add(sla::Name(t.channel))
      .Add(domain::EnvironmentName(t.environment))
      .Add(t.subject)
      .Add(t.description)
      .AddOpt(OptId(t.assignee_id.value()))
      .Add(JoinTags(t.tags))
      .Add(Secs(t.received_at))
      .Add(Secs(t.clock_start))
      .Add(Secs(t.response_due))
      .AddOpt(OptSecs(t.first_response_at))
      .Add(Secs(t.created_at))
      .Add(Secs(t.updated_at));
  return p;
}

}  // namespace

Result<domain::Ticket> PgTicketRepository::GetTicket(TicketId id) {
  static const std::string kSql =
      std::string("SELECT ") + kTicketCols + " FROM tickets WHERE id = $1";
  return One<domain::Ticket>(conn_, kSql, PgParams().Add(id.value()), TicketFrom,
                             "ticket " + std::to_string(id.value()));
}

Result<domain::Ticket> PgTicketRepository::GetTicketByNumber(std::int64_t number) {
  static const std::string kSql =
      std::string("SELECT ") + kTicketCols + " FROM tickets WHERE number = $1";
  return One<domain::Ticket>(conn_, kSql, PgParams().Add(number), TicketFrom,
                             "ticket #" + std::to_string(number));
}

Result<app::TicketContext> PgTicketRepository::GetTicketContext(std::int64_t number) {
  static const std::string kSql =
      "SELECT " + ContextColumns() + " FROM tickets t" + kContextJoins + " WHERE t.number = $1";
  return One<app::TicketContext>(conn_, kSql, PgParams().Add(number), ContextFrom,
                                 "ticket #" + std::to_string(number));
}

Result<app::TicketPage> PgTicketRepository::ListTickets(const app::TicketQuery& q) {
  SOPORTE_TRY_STATUS(ValidateQuery(q));
  PgParams p;
  const std::string sql = PageSql(q, p);
  SOPORTE_TRY(tickets, Collect<domain::Ticket>(conn_, sql, p, TicketFrom));
  app::TicketPage page;
  page.has_more = TrimPage(tickets, q);
  page.tickets = std::move(tickets);
  return page;
}

Result<app::TicketContextPage> PgTicketRepository::ListTicketContexts(const app::TicketQuery& q) {
  SOPORTE_TRY_STATUS(ValidateQuery(q));
  PgParams p;
  // The page first (its own LIMIT), then each of its tickets joined by primary key.
  const std::string sql = "SELECT " + ContextColumns() + " FROM (" + PageSql(q, p) + ") t" +
                          kContextJoins + " ORDER BY t.response_due, t.number";
  SOPORTE_TRY(rows, Collect<app::TicketContext>(conn_, sql, p, ContextFrom));
  app::TicketContextPage page;
  page.has_more = TrimPage(rows, q);
  page.tickets = std::move(rows);
  return page;
}

Result<std::vector<app::TicketContext>> PgTicketRepository::GetTicketContexts(
    const std::vector<TicketId>& ids) {
  SOPORTE_TRY_STATUS(ValidateContextIds(ids));
  if (ids.empty()) return std::vector<app::TicketContext>{};
  // The ids travel as one array parameter ("{1,2,3}"), so one statement serves every length;
  // the ordinality `k` keeps the caller's order (and repeats).
  static const std::string kSql =
      "SELECT " + ContextColumns() +
      " FROM unnest($1::bigint[]) WITH ORDINALITY AS p(id, k) JOIN tickets t ON t.id = p.id" +
      kContextJoins + " ORDER BY p.k";
  std::string list = "{";
  for (TicketId id : ids) {
    if (list.size() > 1) list += ',';
    list += std::to_string(id.value());
  }
  list += '}';
  return Collect<app::TicketContext>(conn_, kSql, PgParams().Add(list), ContextFrom);
}

Result<app::TicketStats> PgTicketRepository::GetTicketStats(Instant now) {
  static const std::string kSql = [] {
    const std::string active = kActiveTerm;
    auto crit = [&](sla::Criticality c) {
      return "count(*) FILTER (WHERE " + active + " AND criticality = '" +
             std::string(sla::Name(c)) + "'), ";
    };
    return "SELECT " + crit(sla::Criticality::kNormal) + crit(sla::Criticality::kImportant) +
           crit(sla::Criticality::kCritical) + "count(*) FILTER (WHERE " + active + " AND " +
           kBreachedExpr + "), count(*) FILTER (WHERE " + kBreachedExpr + ") FROM tickets";
  }();
  SOPORTE_TRY(rows, conn_.Query(kSql, PgParams().Add(Secs(now))));
  app::TicketStats st;
  st.open_normal = rows.Int(0, 0);
  st.open_important = rows.Int(0, 1);
  st.open_critical = rows.Int(0, 2);
  st.breached_open = rows.Int(0, 3);
  st.breached_total = rows.Int(0, 4);
  return st;
}

Result<std::vector<domain::Article>> PgTicketRepository::ListArticles(TicketId t,
                                                                      bool include_internal) {
  static const std::string kSql =
      std::string("SELECT ") + kArticleCols +
      " FROM articles WHERE ticket_id = $1 AND ($2::boolean OR NOT internal) ORDER BY id";
  return Collect<domain::Article>(conn_, kSql, PgParams().Add(t.value()).Add(include_internal),
                                  ArticleFrom);
}

Result<std::vector<domain::Attachment>> PgTicketRepository::ListAttachments(TicketId t) {
  static const std::string kSql = std::string("SELECT ") + kAttachmentCols +
                                  " FROM attachments WHERE ticket_id = $1 ORDER BY id";
  return Collect<domain::Attachment>(conn_, kSql, PgParams().Add(t.value()), AttachmentFrom);
}

Result<domain::Attachment> PgTicketRepository::GetAttachment(AttachmentId id) {
  static const std::string kSql =
      std::string("SELECT ") + kAttachmentCols + " FROM attachments WHERE id = $1";
  return One<domain::Attachment>(conn_, kSql, PgParams().Add(id.value()), AttachmentFrom,
                                 "attachment " + std::to_string(id.value()));
}

Result<std::map<std::string, std::string>> PgTicketRepository::ListTicketIntake(TicketId t) {
  SOPORTE_TRY(rows, conn_.Query("SELECT item, text FROM ticket_intake WHERE ticket_id = $1",
                                PgParams().Add(t.value())));
  std::map<std::string, std::string> out;
  for (int i = 0; i < rows.size(); ++i) out[rows.Text(i, 0)] = rows.Text(i, 1);
  return out;
}

Status PgTicketRepository::CheckTicketReferences(const domain::Ticket& t) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", t.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "contracts", t.contract_id.value(), "contract"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", t.requester_id.value(), "user"));
  if (t.assignee_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", t.assignee_id.value(), "user"));
  return Ok();
}

Result<domain::Ticket> PgTicketRepository::InsertTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckTicketReferences(t));
  SOPORTE_TRY(n, conn_.Query("UPDATE counters SET value = value + 1 "
                             "WHERE name = 'ticket_number' RETURNING value - 1"));
  if (n.empty()) return Fail(ErrorCode::kInternal, "the ticket number counter is missing");
  t.number = n.Int(0, 0);
  PgParams p = TicketFields(t);
  p.Add(t.number).Add(t.version);
  SOPORTE_TRY(
      id, conn_.Query("INSERT INTO tickets(org_id, contract_id, requester_id, type, criticality, "
                      "status, channel, environment, subject, description, assignee_id, tags, "
                      "received_at, clock_start, response_due, first_response_at, created_at, "
                      "updated_at, number, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                      "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
                      p));
  t.id = TicketId{id.Int(0, 0)};
  return t;
}

Result<domain::Ticket> PgTicketRepository::UpdateTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckTicketReferences(t));
  static const std::string kSql = std::string(
                                      "UPDATE tickets SET org_id = $1, contract_id = $2, "
                                      "requester_id = $3, type = $4, criticality = $5, "
                                      "status = $6, channel = $7, environment = $8, "
                                      "subject = $9, description = $10, assignee_id = $11, "
                                      "tags = $12, received_at = $13, clock_start = $14, "
                                      "response_due = $15, first_response_at = $16, "
                                      "created_at = $17, updated_at = $18, "
                                      "version = version + 1 WHERE id = $19 AND version = $20 "
                                      "RETURNING ") +
                                  kTicketCols;
  PgParams p = TicketFields(t);
  p.Add(t.id.value()).Add(t.version);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) {
    SOPORTE_TRY(current, GetTicket(t.id));  // kNotFound when there is no such ticket
    return Fail(ErrorCode::kAborted, "ticket #" + std::to_string(current.number) +
                                         " was changed by someone else (version " +
                                         std::to_string(current.version) + ", not " +
                                         std::to_string(t.version) + ")");
  }
  return TicketFrom(PgRow(rows, 0));
}

Result<domain::Article> PgTicketRepository::InsertArticle(domain::Article a) {
  SOPORTE_TRY_STATUS(ValidateArticle(a));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", a.author_id.value(), "user"));
  PgParams p;
  p.Add(a.ticket_id.value())
      .Add(a.author_id.value())
      .Add(a.body)
      .Add(a.internal)
      .Add(sla::Name(a.channel))
      .Add(Secs(a.created_at));
  if (a.call) {
    p.Add(a.call->caller)
        .Add(a.call->duration_minutes)
        .Add(domain::CallDirectionName(a.call->direction));
  } else {
    p.AddNull().AddNull().AddNull();
  }
  SOPORTE_TRY(id, conn_.Query("INSERT INTO articles(ticket_id, author_id, body, internal, "
                              "channel, created_at, call_caller, call_minutes, call_direction) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                              p));
  a.id = ArticleId{id.Int(0, 0)};
  return a;
}

Result<domain::Attachment> PgTicketRepository::InsertAttachment(domain::Attachment a) {
  SOPORTE_TRY_STATUS(ValidateAttachment(a));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", a.uploaded_by.value(), "user"));
  if (a.article_id) {
    SOPORTE_TRY(found, conn_.Query("SELECT 1 FROM articles WHERE id = $1 AND ticket_id = $2",
                                   PgParams().Add(a.article_id->value()).Add(a.ticket_id.value())));
    if (found.empty()) {
      return tl::make_unexpected(
          MissingReference("article " + std::to_string(a.article_id->value()) + " of ticket " +
                           std::to_string(a.ticket_id.value())));
    }
  }
  PgParams p;
  p.Add(a.ticket_id.value())
      .AddOpt(a.article_id ? std::optional<std::int64_t>(a.article_id->value()) : std::nullopt)
      .Add(a.sha256)
      .Add(a.filename)
      .Add(a.content_type)
      .Add(a.size)
      .Add(a.uploaded_by.value())
      .Add(Secs(a.created_at));
  SOPORTE_TRY(id, conn_.Query("INSERT INTO attachments(ticket_id, article_id, sha256, filename, "
                              "content_type, size, uploaded_by, created_at) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                              p));
  a.id = AttachmentId{id.Int(0, 0)};
  return a;
}

Status PgTicketRepository::PutTicketIntake(TicketId t, const std::string& item,
                                           const std::string& text) {
  if (!domain::ParseIntakeItem(item))
    return Fail(ErrorCode::kInvalidArgument, "unknown intake item '" + item + "'");
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", t.value(), "ticket"));
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO ticket_intake(ticket_id, item, text) VALUES ($1, $2, $3) "
                  "ON CONFLICT (ticket_id, item) DO UPDATE SET text = excluded.text",
                  PgParams().Add(t.value()).Add(item).Add(text)));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
