#include "storage/sqlite/sqlite_tx.hpp"

#include <cstdio>
#include <variant>

#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace sla = domain::sla;

std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
Instant At(std::int64_t s) { return Instant{Seconds{s}}; }
std::int64_t DayNumber(std::chrono::sys_days d) { return d.time_since_epoch().count(); }
std::chrono::sys_days Day(std::int64_t n) { return std::chrono::sys_days{std::chrono::days{n}}; }
std::optional<std::int64_t> OptId(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

Error Corrupt(std::string_view what) {
  return Error{ErrorCode::kInternal, "corrupt row: unknown " + std::string(what)};
}

template <class T>
Result<T> Decode(std::optional<T> v, std::string_view what) {
  if (!v) return tl::make_unexpected(Corrupt(what));
  return *v;
}

Error NotFound(std::string what) { return Error{ErrorCode::kNotFound, std::move(what) + " not found"}; }

// --- row readers: column order matches the SELECT lists below --------------------------------

// The columns of a joined row from `offset` on, for the readers below (each reads from 0).
class Shifted {
 public:
  Shifted(const Stmt& s, int offset) : s_(s), offset_(offset) {}
  std::int64_t Int(int col) const { return s_.Int(offset_ + col); }
  std::string Text(int col) const { return s_.Text(offset_ + col); }
  bool IsNull(int col) const { return s_.IsNull(offset_ + col); }

 private:
  const Stmt& s_;
  int offset_;
};

// How many columns a column list names.
constexpr int ColumnCount(std::string_view cols) {
  int n = 1;
  for (char c : cols) n += c == ',' ? 1 : 0;
  return n;
}

// "id, name" → "o.id, o.name": a table's column list inside a join.
std::string Qualified(std::string_view alias, std::string_view cols) {
  std::string out;
  while (!cols.empty()) {
    const auto comma = cols.find(',');
    std::string_view col = cols.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out.append(alias).append(".").append(col);
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 1);
  }
  return out;
}

constexpr const char* kOrgCols = "id, slug, name, created_at";
template <class Row>
domain::Organization OrgFrom(const Row& s) {
  return domain::Organization{OrgId{s.Int(0)}, s.Text(1), s.Text(2), At(s.Int(3))};
}
domain::Organization ReadOrg(const Stmt& s) { return OrgFrom(s); }

constexpr const char* kContractCols =
    "id, org_id, modality, zone, valid_from_day, valid_to_day, channels, target_critical_s, "
    "target_important_s, target_normal_s, created_at, calendar_id";
template <class Row>
Result<domain::Contract> ContractFrom(const Row& s) {
  domain::Contract c;
  c.id = ContractId{s.Int(0)};
  c.org_id = OrgId{s.Int(1)};
  SOPORTE_TRY(modality, Decode(sla::ParseModality(s.Text(2)), "modality"));
  c.modality = modality;
  c.zone = s.Text(3);
  c.valid_from = Day(s.Int(4));
  if (!s.IsNull(5)) c.valid_to = Day(s.Int(5));
  c.channels = domain::ChannelSet(static_cast<unsigned>(s.Int(6)));
  c.targets.critical = Seconds{s.Int(7)};
  c.targets.important = Seconds{s.Int(8)};
  c.targets.normal = Seconds{s.Int(9)};
  c.created_at = At(s.Int(10));
  c.calendar_id = CalendarId{s.IsNull(11) ? 0 : s.Int(11)};
  return c;
}
Result<domain::Contract> ReadContract(const Stmt& s) { return ContractFrom(s); }

constexpr const char* kUserCols =
    "id, email, name, role, org_id, password_hash, active, created_at, lang, org_admin";
Result<domain::User> ReadUser(const Stmt& s) {
  domain::User u;
  u.id = UserId{s.Int(0)};
  u.email = s.Text(1);
  u.name = s.Text(2);
  SOPORTE_TRY(role, Decode(domain::ParseRole(s.Text(3)), "role"));
  u.role = role;
  u.org_id = OrgId{s.IsNull(4) ? 0 : s.Int(4)};
  u.password_hash = s.Text(5);
  u.active = s.Int(6) != 0;
  u.created_at = At(s.Int(7));
  u.lang = s.Text(8);
  u.org_admin = s.Int(9) != 0;
  return u;
}

constexpr const char* kTicketCols =
    "id, number, org_id, contract_id, requester_id, type, criticality, status, channel, "
    "environment, subject, description, assignee_id, tags, received_at, clock_start, "
    "response_due, first_response_at, created_at, updated_at, version";
template <class Row>
Result<domain::Ticket> TicketFrom(const Row& s) {
  domain::Ticket t;
  t.id = TicketId{s.Int(0)};
  t.number = s.Int(1);
  t.org_id = OrgId{s.Int(2)};
  t.contract_id = ContractId{s.Int(3)};
  t.requester_id = UserId{s.Int(4)};
  SOPORTE_TRY(type, Decode(domain::ParseType(s.Text(5)), "ticket type"));
  t.type = type;
  SOPORTE_TRY(crit, Decode(sla::ParseCriticality(s.Text(6)), "criticality"));
  t.criticality = crit;
  SOPORTE_TRY(status, Decode(domain::ParseStatus(s.Text(7)), "status"));
  t.status = status;
  SOPORTE_TRY(channel, Decode(sla::ParseChannel(s.Text(8)), "channel"));
  t.channel = channel;
  SOPORTE_TRY(env, Decode(domain::ParseEnvironment(s.Text(9)), "environment"));
  t.environment = env;
  t.subject = s.Text(10);
  t.description = s.Text(11);
  t.assignee_id = UserId{s.IsNull(12) ? 0 : s.Int(12)};
  t.tags = SplitTags(s.Text(13));
  t.received_at = At(s.Int(14));
  t.clock_start = At(s.Int(15));
  t.response_due = At(s.Int(16));
  if (!s.IsNull(17)) t.first_response_at = At(s.Int(17));
  t.created_at = At(s.Int(18));
  t.updated_at = At(s.Int(19));
  t.version = s.Int(20);
  return t;
}
Result<domain::Ticket> ReadTicket(const Stmt& s) { return TicketFrom(s); }

constexpr const char* kArticleCols =
    "id, ticket_id, author_id, body, internal, channel, created_at, call_caller, call_minutes";
Result<domain::Article> ReadArticle(const Stmt& s) {
  domain::Article a;
  a.id = ArticleId{s.Int(0)};
  a.ticket_id = TicketId{s.Int(1)};
  a.author_id = UserId{s.Int(2)};
  a.body = s.Text(3);
  a.internal = s.Int(4) != 0;
  SOPORTE_TRY(channel, Decode(sla::ParseChannel(s.Text(5)), "channel"));
  a.channel = channel;
  a.created_at = At(s.Int(6));
  if (!s.IsNull(7)) a.call = domain::PhoneCall{s.Text(7), s.IsNull(8) ? 0 : s.Int(8)};
  return a;
}

constexpr const char* kAttachmentCols =
    "id, ticket_id, article_id, sha256, filename, content_type, size, uploaded_by, created_at";
domain::Attachment ReadAttachment(const Stmt& s) {
  domain::Attachment a;
  a.id = AttachmentId{s.Int(0)};
  a.ticket_id = TicketId{s.Int(1)};
  if (!s.IsNull(2)) a.article_id = ArticleId{s.Int(2)};
  a.sha256 = s.Text(3);
  a.filename = s.Text(4);
  a.content_type = s.Text(5);
  a.size = s.Int(6);
  a.uploaded_by = UserId{s.Int(7)};
  a.created_at = At(s.Int(8));
  return a;
}

std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

// Runs `s` and collects every row through `read` (returning T or Result<T>).
template <class T, class F>
Result<std::vector<T>> Collect(Stmt& s, F read) {
  std::vector<T> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    if constexpr (std::is_same_v<decltype(read(s)), T>) {
      out.push_back(read(s));
    } else {
      SOPORTE_TRY(v, read(s));
      out.push_back(std::move(v));
    }
  }
}

// Runs `s` and returns its single row through `read`, or kNotFound naming `what`.
template <class T, class F>
Result<T> One(Stmt& s, F read, std::string what) {
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(NotFound(std::move(what)));
  return read(s);
}

std::string ActiveStatusList() {
  std::string out;
  for (auto st : {domain::TicketStatus::kNew, domain::TicketStatus::kOpen,
                  domain::TicketStatus::kWaitingCustomer, domain::TicketStatus::kResolved,
                  domain::TicketStatus::kClosed}) {
    if (!domain::IsActive(st)) continue;
    if (!out.empty()) out += ", ";
    out += "'" + std::string(domain::StatusName(st)) + "'";
  }
  return out;
}

// ResponseBreached (domain/ticket) in SQL; the single parameter is `now`.
constexpr const char* kBreachedExpr =
    "(CASE WHEN first_response_at IS NOT NULL THEN first_response_at > response_due "
    "ELSE ? >= response_due END)";

}  // namespace

Status SqliteTx::CheckExists(const char* table, std::int64_t id, std::string_view what) {
  // `table` is one of a few literals; the text is composed per call but prepared once.
  char sql[64];
  std::snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?", table);
  SOPORTE_TRY(s, db_.Prepare(sql));
  s.Bind(1, id);
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(MissingReference(std::string(what) + " " + std::to_string(id)));
  return Ok();
}

// --- reads -------------------------------------------------------------------------------------

Result<domain::Organization> SqliteTx::GetOrg(OrgId id) {
  static const std::string kSql = Sql({"SELECT ", kOrgCols, " FROM orgs WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Organization>(s, ReadOrg, "organisation " + std::to_string(id.value()));
}

Result<domain::Organization> SqliteTx::GetOrgBySlug(const std::string& slug) {
  static const std::string kSql = Sql({"SELECT ", kOrgCols, " FROM orgs WHERE slug = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, slug);
  return One<domain::Organization>(s, ReadOrg, "organisation '" + slug + "'");
}

Result<std::vector<domain::Organization>> SqliteTx::ListOrgs() {
  static const std::string kSql = Sql({"SELECT ", kOrgCols, " FROM orgs ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  return Collect<domain::Organization>(s, ReadOrg);
}

Result<domain::Contract> SqliteTx::GetContract(ContractId id) {
  static const std::string kSql = Sql({"SELECT ", kContractCols, " FROM contracts WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Contract>(s, ReadContract, "contract " + std::to_string(id.value()));
}

Result<std::vector<domain::Contract>> SqliteTx::ListContracts(OrgId org) {
  static const std::string kSql = Sql({"SELECT ", kContractCols,
                                  " FROM contracts WHERE org_id = ? ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, org.value());
  return Collect<domain::Contract>(s, ReadContract);
}

Result<domain::User> SqliteTx::GetUser(UserId id) {
  static const std::string kSql = Sql({"SELECT ", kUserCols, " FROM users WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::User>(s, ReadUser, "user " + std::to_string(id.value()));
}

Result<domain::User> SqliteTx::GetUserByEmail(const std::string& normalized_email) {
  static const std::string kSql = Sql({"SELECT ", kUserCols, " FROM users WHERE email = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, normalized_email);
  return One<domain::User>(s, ReadUser, "user '" + normalized_email + "'");
}

Result<std::vector<domain::User>> SqliteTx::ListUsers(std::optional<OrgId> org) {
  if (org) {
    static const std::string kSql =
        Sql({"SELECT ", kUserCols, " FROM users WHERE org_id = ? ORDER BY id"});
    SOPORTE_TRY(s, db_.Prepare(kSql));
    s.Bind(1, org->value());
    return Collect<domain::User>(s, ReadUser);
  }
  static const std::string kSql = Sql({"SELECT ", kUserCols, " FROM users ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  return Collect<domain::User>(s, ReadUser);
}

Result<domain::Ticket> SqliteTx::GetTicketByNumber(std::int64_t number) {
  static const std::string kSql = Sql({"SELECT ", kTicketCols, " FROM tickets WHERE number = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, number);
  return One<domain::Ticket>(s, ReadTicket, "ticket #" + std::to_string(number));
}

Result<app::TicketContext> SqliteTx::GetTicketContext(std::int64_t number) {
  static const std::string kSql = Sql(
      {"SELECT ", Qualified("t", kTicketCols), ", ", Qualified("o", kOrgCols), ", ", Qualified("c", kContractCols),
       ", r.id, r.name, r.email, a.id, a.name, a.email FROM tickets t JOIN orgs o ON o.id = t.org_id "
       "JOIN contracts c ON c.id = t.contract_id JOIN users r ON r.id = t.requester_id "
       "LEFT JOIN users a ON a.id = t.assignee_id WHERE t.number = ?"});
  constexpr int kOrgAt = ColumnCount(kTicketCols);
  constexpr int kContractAt = kOrgAt + ColumnCount(kOrgCols);
  constexpr int kPeopleAt = kContractAt + ColumnCount(kContractCols);
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, number);
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(NotFound("ticket #" + std::to_string(number)));
  app::TicketContext c;
  SOPORTE_TRY(ticket, TicketFrom(s));
  SOPORTE_TRY(contract, ContractFrom(Shifted(s, kContractAt)));
  c.ticket = std::move(ticket);
  c.org = OrgFrom(Shifted(s, kOrgAt));
  c.contract = std::move(contract);
  c.requester = app::PersonRef{UserId{s.Int(kPeopleAt)}, s.Text(kPeopleAt + 1), s.Text(kPeopleAt + 2)};
  if (!s.IsNull(kPeopleAt + 3)) {
    c.assignee = app::PersonRef{UserId{s.Int(kPeopleAt + 3)}, s.Text(kPeopleAt + 4), s.Text(kPeopleAt + 5)};
  }
  return c;
}

Result<domain::Ticket> SqliteTx::GetTicket(TicketId id) {
  static const std::string kSql = Sql({"SELECT ", kTicketCols, " FROM tickets WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Ticket>(s, ReadTicket, "ticket " + std::to_string(id.value()));
}

Result<app::TicketPage> SqliteTx::ListTickets(const app::TicketQuery& q) {
  SOPORTE_TRY_STATUS(ValidateQuery(q));
  // The statement's shape depends only on which filters are present (at most 2^7 variants,
  // each cached once per connection); the values are bound.
  std::string sql = Sql({"SELECT ", kTicketCols, " FROM tickets WHERE 1"});
  std::vector<std::variant<std::int64_t, std::string>> args;
  if (q.status) {
    sql += " AND status = ?";
    args.emplace_back(std::string(domain::StatusName(*q.status)));
  }
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
  if (q.breached) {
    sql += Sql({" AND ", kBreachedExpr, " = ?"});
    args.emplace_back(Secs(q.now));
    args.emplace_back(std::int64_t{*q.breached ? 1 : 0});
  }
  if (q.after) {
    sql += " AND (response_due, number) > (?, ?)";
    args.emplace_back(Secs(q.after->first));
    args.emplace_back(q.after->second);
  }
  sql += " ORDER BY response_due, number LIMIT ?";
  args.emplace_back(std::int64_t{q.limit + 1});

  SOPORTE_TRY(s, db_.Prepare(sql));
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::visit([&](const auto& v) { s.Bind(static_cast<int>(i + 1), v); }, args[i]);
  }
  SOPORTE_TRY(tickets, Collect<domain::Ticket>(s, ReadTicket));
  app::TicketPage page;
  page.has_more = tickets.size() > static_cast<std::size_t>(q.limit);
  if (page.has_more) tickets.resize(static_cast<std::size_t>(q.limit));
  page.tickets = std::move(tickets);
  return page;
}

Result<app::TicketStats> SqliteTx::GetTicketStats(Instant now) {
  static const std::string sql = [] {
    const std::string active = "status IN (" + ActiveStatusList() + ")";
    auto crit = [&](sla::Criticality c) {
      return "COALESCE(SUM(" + active + " AND criticality = '" +
             std::string(sla::Name(c)) + "'), 0), ";
    };
    return "SELECT " + crit(sla::Criticality::kNormal) + crit(sla::Criticality::kImportant) +
           crit(sla::Criticality::kCritical) + "COALESCE(SUM(" + active + " AND " +
           kBreachedExpr + "), 0), COALESCE(SUM(" + kBreachedExpr + "), 0) FROM tickets";
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

Result<std::vector<domain::Article>> SqliteTx::ListArticles(TicketId t, bool include_internal) {
  static const std::string kSql = Sql({"SELECT ", kArticleCols,
                                  " FROM articles WHERE ticket_id = ? AND (? OR internal = 0) "
                                  "ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, t.value()).Bind(2, std::int64_t{include_internal ? 1 : 0});
  return Collect<domain::Article>(s, ReadArticle);
}

Result<std::vector<domain::Attachment>> SqliteTx::ListAttachments(TicketId t) {
  static const std::string kSql = Sql({"SELECT ", kAttachmentCols,
                                  " FROM attachments WHERE ticket_id = ? ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, t.value());
  return Collect<domain::Attachment>(s, ReadAttachment);
}

Result<domain::Attachment> SqliteTx::GetAttachment(AttachmentId id) {
  static const std::string kSql = Sql({"SELECT ", kAttachmentCols, " FROM attachments WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Attachment>(s, ReadAttachment, "attachment " + std::to_string(id.value()));
}

Result<std::vector<domain::TicketEvent>> SqliteTx::ListEvents(TicketId t) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, ticket_id, actor_id, at, field, before, after "
                             "FROM ticket_events WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, t.value());
  return Collect<domain::TicketEvent>(s, [](const Stmt& r) {
    return domain::TicketEvent{r.Int(0),  TicketId{r.Int(1)}, UserId{r.IsNull(2) ? 0 : r.Int(2)},
                               At(r.Int(3)), r.Text(4),        r.Text(5),
                               r.Text(6)};
  });
}

Result<app::SessionRecord> SqliteTx::GetSession(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("SELECT token_hash, user_id, csrf_token, created_at, expires_at "
                             "FROM sessions WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return One<app::SessionRecord>(
      s,
      [](const Stmt& r) {
        return app::SessionRecord{r.Text(0), UserId{r.Int(1)}, r.Text(2), At(r.Int(3)),
                                  At(r.Int(4))};
      },
      "session");
}

Result<app::ApiTokenRecord> SqliteTx::GetApiToken(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, token_hash, user_id, name, created_at "
                             "FROM api_tokens WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return One<app::ApiTokenRecord>(
      s,
      [](const Stmt& r) {
        return app::ApiTokenRecord{r.Int(0), r.Text(1), UserId{r.Int(2)}, r.Text(3), At(r.Int(4))};
      },
      "API token");
}

// --- writes ------------------------------------------------------------------------------------

Result<domain::Organization> SqliteTx::InsertOrg(domain::Organization o) {
  SOPORTE_TRY_STATUS(ValidateOrg(o));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO orgs(slug, name, created_at) VALUES (?, ?, ?)"));
  s.Bind(1, o.slug).Bind(2, o.name).Bind(3, Secs(o.created_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(OrgSlugTaken(o.slug));
    return tl::make_unexpected(st.error());
  }
  o.id = OrgId{db_.LastInsertId()};
  return o;
}

Result<domain::Contract> SqliteTx::InsertContract(domain::Contract c) {
  SOPORTE_TRY_STATUS(ValidateContract(c));
  SOPORTE_TRY_STATUS(CheckExists("orgs", c.org_id.value(), "organisation"));
  if (c.calendar_id.valid()) SOPORTE_TRY_STATUS(CheckExists("calendars", c.calendar_id.value(), "calendar"));
  SOPORTE_TRY(s, db_.Prepare(
                     "INSERT INTO contracts(org_id, modality, zone, valid_from_day, valid_to_day, "
                     "channels, target_critical_s, target_important_s, target_normal_s, "
                     "created_at, calendar_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, c.org_id.value())
      .Bind(2, sla::Name(c.modality))
      .Bind(3, c.zone)
      .Bind(4, DayNumber(c.valid_from))
      .BindOpt(5, c.valid_to ? std::optional<std::int64_t>(DayNumber(*c.valid_to)) : std::nullopt)
      .Bind(6, std::int64_t{c.channels.bits()})
      .Bind(7, std::int64_t{c.targets.critical.count()})
      .Bind(8, std::int64_t{c.targets.important.count()})
      .Bind(9, std::int64_t{c.targets.normal.count()})
      .Bind(10, Secs(c.created_at))
      .BindOpt(11, OptId(c.calendar_id.value()));
  SOPORTE_TRY_STATUS(s.Run());
  c.id = ContractId{db_.LastInsertId()};
  return c;
}

Result<domain::User> SqliteTx::InsertUser(domain::User u) {
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists("orgs", u.org_id.value(), "organisation"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO users(email, name, role, org_id, password_hash, active, "
                             "created_at, lang, org_admin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, u.email)
      .Bind(2, u.name)
      .Bind(3, domain::RoleName(u.role))
      .BindOpt(4, OptId(u.org_id.value()))
      .Bind(5, u.password_hash)
      .Bind(6, std::int64_t{u.active ? 1 : 0})
      .Bind(7, Secs(u.created_at))
      .Bind(8, u.lang)
      .Bind(9, std::int64_t{u.org_admin ? 1 : 0});
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(UserEmailTaken(u.email));
    return tl::make_unexpected(st.error());
  }
  u.id = UserId{db_.LastInsertId()};
  return u;
}

Status SqliteTx::UpdateUser(const domain::User& in) {
  domain::User u = in;
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists("orgs", u.org_id.value(), "organisation"));
  SOPORTE_TRY(s, db_.Prepare("UPDATE users SET email = ?, name = ?, role = ?, org_id = ?, "
                             "password_hash = ?, active = ?, created_at = ?, lang = ?, org_admin = ? WHERE id = ?"));
  s.Bind(1, u.email)
      .Bind(2, u.name)
      .Bind(3, domain::RoleName(u.role))
      .BindOpt(4, OptId(u.org_id.value()))
      .Bind(5, u.password_hash)
      .Bind(6, std::int64_t{u.active ? 1 : 0})
      .Bind(7, Secs(u.created_at))
      .Bind(8, u.lang)
      .Bind(9, std::int64_t{u.org_admin ? 1 : 0})
      .Bind(10, u.id.value());
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(UserEmailTaken(u.email));
    return tl::make_unexpected(st.error());
  }
  if (db_.Changes() == 0) return tl::make_unexpected(NotFound("user " + std::to_string(u.id.value())));
  return Ok();
}

namespace {

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

Result<domain::Ticket> SqliteTx::InsertTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckExists("orgs", t.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists("contracts", t.contract_id.value(), "contract"));
  SOPORTE_TRY_STATUS(CheckExists("users", t.requester_id.value(), "user"));
  if (t.assignee_id.valid()) SOPORTE_TRY_STATUS(CheckExists("users", t.assignee_id.value(), "user"));
  {
    SOPORTE_TRY(n, db_.Prepare("UPDATE counters SET value = value + 1 "
                               "WHERE name = 'ticket_number' RETURNING value - 1"));
    SOPORTE_TRY(row, n.Step());
    if (!row) return Fail(ErrorCode::kInternal, "the ticket number counter is missing");
    t.number = n.Int(0);
    SOPORTE_TRY_STATUS(n.Run());  // finish the statement before the next one
  }
  SOPORTE_TRY(s, db_.Prepare(
                     "INSERT INTO tickets(org_id, contract_id, requester_id, type, criticality, "
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

Result<domain::Ticket> SqliteTx::UpdateTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckExists("orgs", t.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists("contracts", t.contract_id.value(), "contract"));
  SOPORTE_TRY_STATUS(CheckExists("users", t.requester_id.value(), "user"));
  if (t.assignee_id.valid()) SOPORTE_TRY_STATUS(CheckExists("users", t.assignee_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare(
                     "UPDATE tickets SET org_id = ?, contract_id = ?, requester_id = ?, type = ?, "
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

Result<domain::Article> SqliteTx::InsertArticle(domain::Article a) {
  SOPORTE_TRY_STATUS(ValidateArticle(a));
  SOPORTE_TRY_STATUS(CheckExists("tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists("users", a.author_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO articles(ticket_id, author_id, body, internal, channel, "
                             "created_at, call_caller, call_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, a.ticket_id.value())
      .Bind(2, a.author_id.value())
      .Bind(3, a.body)
      .Bind(4, std::int64_t{a.internal ? 1 : 0})
      .Bind(5, sla::Name(a.channel))
      .Bind(6, Secs(a.created_at))
      .BindOpt(8, a.call ? std::optional<std::int64_t>(a.call->duration_minutes) : std::nullopt);
  if (a.call) s.Bind(7, a.call->caller);
  else s.BindNull(7);
  SOPORTE_TRY_STATUS(s.Run());
  a.id = ArticleId{db_.LastInsertId()};
  return a;
}

Result<domain::Attachment> SqliteTx::InsertAttachment(domain::Attachment a) {
  SOPORTE_TRY_STATUS(ValidateAttachment(a));
  SOPORTE_TRY_STATUS(CheckExists("tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists("users", a.uploaded_by.value(), "user"));
  if (a.article_id) {
    SOPORTE_TRY(s, db_.Prepare("SELECT 1 FROM articles WHERE id = ? AND ticket_id = ?"));
    s.Bind(1, a.article_id->value()).Bind(2, a.ticket_id.value());
    SOPORTE_TRY(row, s.Step());
    if (!row) {
      return tl::make_unexpected(MissingReference(
          "article " + std::to_string(a.article_id->value()) + " of ticket " +
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

Status SqliteTx::AppendEvent(domain::TicketEvent e) {
  SOPORTE_TRY_STATUS(ValidateEvent(e));
  SOPORTE_TRY_STATUS(CheckExists("tickets", e.ticket_id.value(), "ticket"));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists("users", e.actor_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO ticket_events(ticket_id, actor_id, at, field, before, "
                             "after) VALUES (?, ?, ?, ?, ?, ?)"));
  s.Bind(1, e.ticket_id.value())
      .BindOpt(2, OptId(e.actor_id.value()))
      .Bind(3, Secs(e.at))
      .Bind(4, e.field)
      .Bind(5, e.before)
      .Bind(6, e.after);
  return s.Run();
}

Status SqliteTx::InsertSession(const app::SessionRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSession(r));
  SOPORTE_TRY_STATUS(CheckExists("users", r.user_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, "
                             "expires_at) VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, r.token_hash)
      .Bind(2, r.user_id.value())
      .Bind(3, r.csrf_token)
      .Bind(4, Secs(r.created_at))
      .Bind(5, Secs(r.expires_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(SessionTaken());
    return st;
  }
  return Ok();
}

Status SqliteTx::DeleteSession(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return s.Run();
}

Result<std::int64_t> SqliteTx::DeleteExpiredSessions(Instant now) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sessions WHERE expires_at < ?"));
  s.Bind(1, Secs(now));
  SOPORTE_TRY_STATUS(s.Run());
  return std::int64_t{db_.Changes()};
}

Result<app::ApiTokenRecord> SqliteTx::InsertApiToken(app::ApiTokenRecord t) {
  SOPORTE_TRY_STATUS(ValidateApiToken(t));
  SOPORTE_TRY_STATUS(CheckExists("users", t.user_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO api_tokens(token_hash, user_id, name, created_at) "
                             "VALUES (?, ?, ?, ?)"));
  s.Bind(1, t.token_hash).Bind(2, t.user_id.value()).Bind(3, t.name).Bind(4, Secs(t.created_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(ApiTokenTaken());
    return tl::make_unexpected(st.error());
  }
  t.id = db_.LastInsertId();
  return t;
}

}  // namespace soporte::storage::sqlite_internal
