#include "storage/sqlite/ticket_repository.hpp"

#include <string>
#include <variant>

#include "domain/profile/intake_checklist.hpp"
#include "storage/sqlite/org_repository.hpp"
#include "storage/rows/tickets.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace sla = domain::sla;

// The row readers and column lists both stores share (storage/rows/tickets.hpp).
using rows::ContextColumns;
using rows::kArticleCols;
using rows::kAttachmentCols;
using rows::kContextJoins;
using rows::kTicketCols;
Result<domain::Ticket> ReadTicket(const Stmt& s) { return rows::TicketFrom(s); }
Result<domain::Article> ReadArticle(const Stmt& s) { return rows::ArticleFrom(s); }
domain::Attachment ReadAttachment(const Stmt& s) { return rows::AttachmentFrom(s); }

std::string ActiveStatusList() {
  std::string out;
  for (auto st : {domain::TicketStatus::kNew, domain::TicketStatus::kOpen,
                  domain::TicketStatus::kWaitingCustomer, domain::TicketStatus::kResolved,
                  domain::TicketStatus::kClosed}) {
    if (!domain::IsActive(st)) continue;
    if (!out.empty()) out += ", ";
    // Appended piece by piece: `"'" + std::string&&` inlines basic_string::insert, where GCC 12
    // at -O2 reports an impossible overlap (-Wrestrict, GCC PR 105329).
    out += '\'';
    out += domain::StatusName(st);
    out += '\'';
  }
  return out;
}

// ResponseBreached (domain/ticket) in SQL; the single parameter is `now`.
constexpr const char* kBreachedExpr =
    "(CASE WHEN first_response_at IS NOT NULL THEN first_response_at > response_due "
    "ELSE ? >= response_due END)";

// Binds the ticket's mutable columns as parameters 1..18 (shared by INSERT and UPDATE).
void BindTicketFields(Stmt& s, const domain::Ticket& t) {
  s.Bind(1, t.org_id.value())
      .Bind(2, t.contract_id.value())
      .Bind(3, t.requester_id.value())
      .Bind(4, domain::TypeName(t.type))
      .Bind(5, sla::Name(t.criticality))
      .Bind(6, domain::StatusName(t.status))
      .Bind(7, sla::Name(t.channel))
      .Bind(8, domain::EnvironmentName(t.environment))
      .Bind(9, t.subject)
      .Bind(10, t.description)
      .BindOpt(11, OptId(t.assignee_id.value()))
      .Bind(12, JoinTags(t.tags))
      .Bind(13, Secs(t.received_at))
      .Bind(14, Secs(t.clock_start))
      .Bind(15, Secs(t.response_due))
      .BindOpt(16, t.first_response_at ? std::optional<std::int64_t>(Secs(*t.first_response_at))
                                       : std::nullopt)
      .Bind(17, Secs(t.created_at))
      .Bind(18, Secs(t.updated_at));
}

}  // namespace

Result<domain::Ticket> SqliteTicketRepository::GetTicket(TicketId id) {
  static const std::string kSql = Sql({"SELECT ", kTicketCols, " FROM tickets WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Ticket>(s, ReadTicket, "ticket " + std::to_string(id.value()));
}

Result<domain::Ticket> SqliteTicketRepository::GetTicketByNumber(std::int64_t number) {
  static const std::string kSql = Sql({"SELECT ", kTicketCols, " FROM tickets WHERE number = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, number);
  return One<domain::Ticket>(s, ReadTicket, "ticket #" + std::to_string(number));
}

namespace {

// --- contexts: a ticket joined with its organisation, contract and people ----------------------

Result<app::TicketContext> ReadContext(const Stmt& s) { return rows::ContextFrom(s); }

// --- the list: which tickets a page holds -------------------------------------------------------

using Args = std::vector<std::variant<std::int64_t, std::string>>;

// The statuses domain::IsActive accepts, as the partial index tickets_active (migration 0015)
// names them: the query must repeat the index's own term for SQLite to use it.
constexpr const char* kActiveTerm = "status IN ('new', 'open', 'waiting_customer')";

// " AND …" for every filter of `q` but `breached` (the cursor included), appending the values.
std::string FilterTerms(const app::TicketQuery& q, Args& args) {
  std::string sql;
  if (q.status) {
    sql += " AND status = ?";
    args.emplace_back(std::string(domain::StatusName(*q.status)));
  }
  if (q.active_only) sql += Sql({" AND ", kActiveTerm});
  if (q.criticality) {
    sql += " AND criticality = ?";
    args.emplace_back(std::string(sla::Name(*q.criticality)));
  }
  if (q.org_id) {
    sql += " AND org_id = ?";
    args.emplace_back(q.org_id->value());
  }
  if (q.assignee_id) {
    if (q.assignee_id->valid()) {
      sql += " AND assignee_id = ?";
      args.emplace_back(q.assignee_id->value());
    } else {
      sql += " AND assignee_id IS NULL";
    }
  }
  if (q.after) {
    sql += " AND (response_due, number) > (?, ?)";
    args.emplace_back(Secs(q.after->first));
    args.emplace_back(q.after->second);
  }
  return sql;
}

// Where the answered range of a "breached" list starts (migrations 0015, 0026): an index led by
// the most selective equality the query has, ordered by (response_due, number) after it, that
// holds every other filter column, so a walk checks them without reading a ticket's row.
//   answered late (breached):    the partial indexes of late answers, by organisation, status or
//                                both;
//   answered by the due (not):   the full indexes by organisation (and status).
// Otherwise the partial index of all late answers, or the planner's choice.
std::string AnsweredFrom(const app::TicketQuery& q, bool late) {
  const char* index = nullptr;
  if (late) {
    index = q.org_id && q.status ? "tickets_answered_late_by_org_status"
            : q.org_id           ? "tickets_answered_late_by_org"
            : q.status           ? "tickets_answered_late_by_status"
                                 : "tickets_answered_late";
  } else if (q.org_id) {
    index = q.status ? "tickets_by_org_status" : "tickets_by_org";
  }
  return index ? Sql({" FROM tickets INDEXED BY ", index, " WHERE "}) : " FROM tickets WHERE ";
}

// A statement selecting (id, response_due, number) of the page's tickets plus one (to tell
// has_more), in order. Every shape is an ordered range read on an index (migration 0015):
// "breached" (ResponseBreached at `now`) is two ranges merged, each reading at most a page:
//   breached:     unanswered with response_due <= now   |  answered after the due
//   not breached: unanswered with response_due >  now   |  answered by the due
// The shape depends only on which filters are present (each cached once per connection).
std::string PageIdsSql(const app::TicketQuery& q, Args& args) {
  // Where a range starts: the small partial indexes are named (SQLite's planner, counting every
  // equality alike, would rather walk a long equality range and find nothing in it); otherwise
  // the planner picks with its statistics (sqlite_store.cpp runs ANALYZE at start).
  const std::string from_active = q.org_id ? " FROM tickets INDEXED BY tickets_active_by_org WHERE "
                                           : " FROM tickets INDEXED BY tickets_active WHERE ";
  const std::string pick = Sql(
      {"SELECT id, response_due, number", q.active_only ? from_active : " FROM tickets WHERE "});
  const std::string pick_unanswered =
      "SELECT id, response_due, number FROM tickets INDEXED BY tickets_unanswered WHERE ";
  constexpr const char* kOrder = " ORDER BY response_due, number LIMIT ?";
  const std::int64_t limit = q.limit + 1;
  if (!q.breached) {
    std::string sql = Sql({pick, "1"});
    sql += FilterTerms(q, args);
    sql += kOrder;
    args.emplace_back(limit);
    return sql;
  }
  const bool breached = *q.breached;
  std::string sql =
      Sql({"SELECT id, response_due, number FROM (", pick_unanswered,
           "first_response_at IS NULL AND response_due ", breached ? "<=" : ">", " ?"});
  args.emplace_back(Secs(q.now));
  sql += FilterTerms(q, args);
  // The active views keep their small partial indexes; the others start where AnsweredFrom says.
  const std::string answered = Sql(
      {"SELECT id, response_due, number", q.active_only ? from_active : AnsweredFrom(q, breached)});
  sql += Sql({kOrder, ") UNION ALL SELECT id, response_due, number FROM (", answered,
              breached ? "first_response_at > response_due" : "first_response_at <= response_due"});
  args.emplace_back(limit);
  sql += FilterTerms(q, args);
  sql += Sql({kOrder, ")", kOrder});
  args.emplace_back(limit);
  args.emplace_back(limit);
  return sql;
}

void BindAll(Stmt& s, const Args& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::visit([&](const auto& v) { s.Bind(static_cast<int>(i + 1), v); }, args[i]);
  }
}

}  // namespace

Result<app::TicketContext> SqliteTicketRepository::GetTicketContext(std::int64_t number) {
  static const std::string kSql =
      Sql({"SELECT ", ContextColumns(), " FROM tickets t", kContextJoins, " WHERE t.number = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, number);
  return One<app::TicketContext>(s, ReadContext, "ticket #" + std::to_string(number));
}

Result<app::TicketPage> SqliteTicketRepository::ListTickets(const app::TicketQuery& q) {
  SOPORTE_TRY_STATUS(ValidateQuery(q));
  Args args;
  const std::string sql =
      Sql({"SELECT ", Qualified("t", kTicketCols), " FROM (", PageIdsSql(q, args),
           ") p JOIN tickets t ON t.id = p.id ORDER BY p.response_due, p.number"});
  SOPORTE_TRY(s, db_.Prepare(sql));
  BindAll(s, args);
  SOPORTE_TRY(tickets, Collect<domain::Ticket>(s, ReadTicket));
  app::TicketPage page;
  page.has_more = tickets.size() > static_cast<std::size_t>(q.limit);
  if (page.has_more) tickets.resize(static_cast<std::size_t>(q.limit));
  page.tickets = std::move(tickets);
  return page;
}

Result<app::TicketContextPage> SqliteTicketRepository::ListTicketContexts(
    const app::TicketQuery& q) {
  SOPORTE_TRY_STATUS(ValidateQuery(q));
  Args args;
  const std::string sql = Sql({"SELECT ", ContextColumns(), " FROM (", PageIdsSql(q, args),
                               ") p JOIN tickets t ON t.id = p.id", kContextJoins,
                               " ORDER BY p.response_due, p.number"});
  SOPORTE_TRY(s, db_.Prepare(sql));
  BindAll(s, args);
  SOPORTE_TRY(rows, Collect<app::TicketContext>(s, ReadContext));
  app::TicketContextPage page;
  page.has_more = rows.size() > static_cast<std::size_t>(q.limit);
  if (page.has_more) rows.resize(static_cast<std::size_t>(q.limit));
  page.tickets = std::move(rows);
  return page;
}

Result<std::vector<app::TicketContext>> SqliteTicketRepository::GetTicketContexts(
    const std::vector<TicketId>& ids) {
  SOPORTE_TRY_STATUS(ValidateContextIds(ids));
  if (ids.empty()) return std::vector<app::TicketContext>{};
  // The ids travel as one text parameter ("1,2,3") split by a recursive CTE, so that one
  // statement serves every length; `k` keeps the caller's order.
  static const std::string kSql =
      Sql({"WITH RECURSIVE ids(k, id, rest) AS (SELECT 0, NULL, ? || ',' UNION ALL "
           "SELECT k + 1, CAST(substr(rest, 1, instr(rest, ',') - 1) AS INTEGER), "
           "substr(rest, instr(rest, ',') + 1) FROM ids WHERE rest <> '') "
           "SELECT ",
           ContextColumns(), " FROM ids p JOIN tickets t ON t.id = p.id", kContextJoins,
           " ORDER BY p.k"});
  std::string list;
  for (TicketId id : ids) {
    if (!list.empty()) list += ',';
    list += std::to_string(id.value());
  }
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, list);
  return Collect<app::TicketContext>(s, ReadContext);
}

Result<app::TicketStats> SqliteTicketRepository::GetTicketStats(Instant now) {
  static const std::string sql = [] {
    const std::string active = "status IN (" + ActiveStatusList() + ")";
    auto crit = [&](sla::Criticality c) {
      return "COALESCE(SUM(" + active + " AND criticality = '" + std::string(sla::Name(c)) +
             "'), 0), ";
    };
    return "SELECT " + crit(sla::Criticality::kNormal) + crit(sla::Criticality::kImportant) +
           crit(sla::Criticality::kCritical) + "COALESCE(SUM(" + active + " AND " + kBreachedExpr +
           "), 0), COALESCE(SUM(" + kBreachedExpr + "), 0) FROM tickets";
  }();
  SOPORTE_TRY(s, db_.Prepare(sql));
  s.Bind(1, Secs(now)).Bind(2, Secs(now));
  SOPORTE_TRY(row, s.Step());
  app::TicketStats st;
  if (row) {
    st.open_normal = s.Int(0);
    st.open_important = s.Int(1);
    st.open_critical = s.Int(2);
    st.breached_open = s.Int(3);
    st.breached_total = s.Int(4);
  }
  return st;
}

Result<std::vector<domain::Article>> SqliteTicketRepository::ListArticles(TicketId t,
                                                                          bool include_internal) {
  static const std::string kSql = Sql({"SELECT ", kArticleCols,
                                       " FROM articles WHERE ticket_id = ? AND (? OR internal = 0) "
                                       "ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, t.value()).Bind(2, std::int64_t{include_internal ? 1 : 0});
  return Collect<domain::Article>(s, ReadArticle);
}

Result<std::vector<domain::Attachment>> SqliteTicketRepository::ListAttachments(TicketId t) {
  static const std::string kSql =
      Sql({"SELECT ", kAttachmentCols, " FROM attachments WHERE ticket_id = ? ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, t.value());
  return Collect<domain::Attachment>(s, ReadAttachment);
}

Result<domain::Attachment> SqliteTicketRepository::GetAttachment(AttachmentId id) {
  static const std::string kSql =
      Sql({"SELECT ", kAttachmentCols, " FROM attachments WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Attachment>(s, ReadAttachment, "attachment " + std::to_string(id.value()));
}

Result<std::map<std::string, std::string>> SqliteTicketRepository::ListTicketIntake(TicketId t) {
  SOPORTE_TRY(s, db_.Prepare("SELECT item, text FROM ticket_intake WHERE ticket_id = ?"));
  s.Bind(1, t.value());
  std::map<std::string, std::string> out;
  SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) { out[r.Text(0)] = r.Text(1); }));
  return out;
}

Result<domain::Ticket> SqliteTicketRepository::InsertTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", t.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "contracts", t.contract_id.value(), "contract"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", t.requester_id.value(), "user"));
  if (t.assignee_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", t.assignee_id.value(), "user"));
  {
    SOPORTE_TRY(n, db_.Prepare("UPDATE counters SET value = value + 1 "
                               "WHERE name = 'ticket_number' RETURNING value - 1"));
    SOPORTE_TRY(row, n.Step());
    if (!row) return Fail(ErrorCode::kInternal, "the ticket number counter is missing");
    t.number = n.Int(0);
    SOPORTE_TRY_STATUS(n.Run());  // finish the statement before the next one
  }
  SOPORTE_TRY(
      s, db_.Prepare("INSERT INTO tickets(org_id, contract_id, requester_id, type, criticality, "
                     "status, channel, environment, subject, description, assignee_id, tags, "
                     "received_at, clock_start, response_due, first_response_at, created_at, "
                     "updated_at, number, version) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindTicketFields(s, t);
  s.Bind(19, t.number).Bind(20, t.version);
  SOPORTE_TRY_STATUS(s.Run());
  t.id = TicketId{db_.LastInsertId()};
  return t;
}

Result<domain::Ticket> SqliteTicketRepository::UpdateTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", t.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "contracts", t.contract_id.value(), "contract"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", t.requester_id.value(), "user"));
  if (t.assignee_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", t.assignee_id.value(), "user"));
  SOPORTE_TRY(
      s, db_.Prepare("UPDATE tickets SET org_id = ?, contract_id = ?, requester_id = ?, type = ?, "
                     "criticality = ?, status = ?, channel = ?, environment = ?, subject = ?, "
                     "description = ?, assignee_id = ?, tags = ?, received_at = ?, "
                     "clock_start = ?, response_due = ?, first_response_at = ?, created_at = ?, "
                     "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"));
  BindTicketFields(s, t);
  s.Bind(19, t.id.value()).Bind(20, t.version);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) {
    SOPORTE_TRY(current, GetTicket(t.id));  // kNotFound when there is no such ticket
    return Fail(ErrorCode::kAborted, "ticket #" + std::to_string(current.number) +
                                         " was changed by someone else (version " +
                                         std::to_string(current.version) + ", not " +
                                         std::to_string(t.version) + ")");
  }
  return GetTicket(t.id);
}

Result<domain::Article> SqliteTicketRepository::InsertArticle(domain::Article a) {
  SOPORTE_TRY_STATUS(ValidateArticle(a));
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", a.author_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO articles(ticket_id, author_id, body, internal, channel, "
                             "created_at, call_caller, call_minutes, call_direction) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, a.ticket_id.value())
      .Bind(2, a.author_id.value())
      .Bind(3, a.body)
      .Bind(4, std::int64_t{a.internal ? 1 : 0})
      .Bind(5, sla::Name(a.channel))
      .Bind(6, Secs(a.created_at))
      .BindOpt(8, a.call ? std::optional<std::int64_t>(a.call->duration_minutes) : std::nullopt);
  if (a.call) {
    s.Bind(7, a.call->caller).Bind(9, domain::CallDirectionName(a.call->direction));
  } else {
    s.BindNull(7).BindNull(9);
  }
  SOPORTE_TRY_STATUS(s.Run());
  a.id = ArticleId{db_.LastInsertId()};
  return a;
}

Result<domain::Attachment> SqliteTicketRepository::InsertAttachment(domain::Attachment a) {
  SOPORTE_TRY_STATUS(ValidateAttachment(a));
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", a.uploaded_by.value(), "user"));
  if (a.article_id) {
    SOPORTE_TRY(s, db_.Prepare("SELECT 1 FROM articles WHERE id = ? AND ticket_id = ?"));
    s.Bind(1, a.article_id->value()).Bind(2, a.ticket_id.value());
    SOPORTE_TRY(row, s.Step());
    if (!row) {
      return tl::make_unexpected(
          MissingReference("article " + std::to_string(a.article_id->value()) + " of ticket " +
                           std::to_string(a.ticket_id.value())));
    }
  }
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO attachments(ticket_id, article_id, sha256, filename, "
                             "content_type, size, uploaded_by, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, a.ticket_id.value())
      .BindOpt(2, a.article_id ? std::optional<std::int64_t>(a.article_id->value()) : std::nullopt)
      .Bind(3, a.sha256)
      .Bind(4, a.filename)
      .Bind(5, a.content_type)
      .Bind(6, a.size)
      .Bind(7, a.uploaded_by.value())
      .Bind(8, Secs(a.created_at));
  SOPORTE_TRY_STATUS(s.Run());
  a.id = AttachmentId{db_.LastInsertId()};
  return a;
}

Status SqliteTicketRepository::PutTicketIntake(TicketId t, const std::string& item,
                                               const std::string& text) {
  if (!domain::ParseIntakeItem(item))
    return Fail(ErrorCode::kInvalidArgument, "unknown intake item '" + item + "'");
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", t.value(), "ticket"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO ticket_intake(ticket_id, item, text) VALUES (?, ?, ?) "
                             "ON CONFLICT (ticket_id, item) DO UPDATE SET text = excluded.text"));
  s.Bind(1, t.value()).Bind(2, item).Bind(3, text);
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
