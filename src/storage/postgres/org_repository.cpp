#include "storage/postgres/org_repository.hpp"

#include <optional>
#include <string>

#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {

namespace sla = domain::sla;

namespace {

Result<domain::Organization> OneOrg(Result<PgRows> rows, std::string what) {
  if (!rows) return tl::make_unexpected(rows.error());
  if (rows->empty()) return tl::make_unexpected(NotFound(std::move(what)));
  return OrgFrom(*rows, 0);
}

Result<std::vector<domain::Contract>> Contracts(const PgRows& rows) {
  std::vector<domain::Contract> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    SOPORTE_TRY(c, ContractFrom(rows, i));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<domain::Organization> PgOrgRepository::GetOrg(OrgId id) {
  static const std::string kSql = std::string("SELECT ") + kOrgCols + " FROM orgs WHERE id = $1";
  PgParams p;
  p.Add(id.value());
  return OneOrg(conn_.Query(kSql, p), "organisation " + std::to_string(id.value()));
}

Result<domain::Organization> PgOrgRepository::GetOrgBySlug(const std::string& slug) {
  static const std::string kSql = std::string("SELECT ") + kOrgCols + " FROM orgs WHERE slug = $1";
  PgParams p;
  p.Add(slug);
  return OneOrg(conn_.Query(kSql, p), "organisation '" + slug + "'");
}

Result<std::vector<domain::Organization>> PgOrgRepository::ListOrgs() {
  static const std::string kSql = std::string("SELECT ") + kOrgCols + " FROM orgs ORDER BY id";
  SOPORTE_TRY(rows, conn_.Query(kSql));
  std::vector<domain::Organization> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(OrgFrom(rows, i));
  return out;
}

namespace {

// The directory's one statement, as SQLite's (storage/sqlite/org_repository.cpp): each
// organisation of the page with its contracts in force, its open tickets and whether its profile
// has each area, as correlated subqueries on indexes: one read per page. orgs.name is COLLATE
// "C", so the order and the paging comparisons are SQLite's byte order; the text filter folds
// ASCII capitals only (translate, not the locale's lower()), as SQLite's lower() does.
// Parameters: $1 today (day number), $2 lower-case text or '', $3 modality or NULL, $4 1 = no
// contract in force, $5 a missing area's entry kind or NULL, $6 the previous page's last id or
// NULL, $7 the page size + 1.
std::string DirectorySql() {
  const std::string in_force =
      "c.org_id = o.id AND c.valid_from_day <= $1::bigint AND (c.valid_to_day IS NULL OR "
      "c.valid_to_day >= $1::bigint)";
  std::string has;
  for (domain::ProfileArea a : domain::kProfileAreas) {
    has += ", EXISTS (SELECT 1 FROM profile_entries p WHERE p.org_id = o.id AND p.kind = '";
    has += domain::SpecOf(domain::AreaKind(a)).name;
    has += "')";
  }
  return "SELECT o.id, o.slug, o.name, o.created_at, "
         "(SELECT string_agg(DISTINCT c.modality, ',') FROM contracts c WHERE " +
         in_force +
         "), "
         "(SELECT count(*) FROM tickets t WHERE t.org_id = o.id AND t.status IN ('new', 'open', "
         "'waiting_customer'))" +
         has +
         " FROM orgs o WHERE ($2::text = '' OR strpos(translate(o.name, "
         "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), $2::text) > 0"
         " OR strpos(o.slug, $2::text) > 0)"
         " AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM contracts c WHERE " +
         in_force +
         " AND c.modality = $3::text))"
         " AND ($4::bigint = 0 OR NOT EXISTS (SELECT 1 FROM contracts c WHERE " +
         in_force +
         "))"
         " AND ($5::text IS NULL OR NOT EXISTS (SELECT 1 FROM profile_entries p WHERE p.org_id = "
         "o.id AND p.kind = $5::text))"
         " AND ($6::bigint IS NULL OR o.name > (SELECT name FROM orgs WHERE id = $6::bigint)"
         " OR (o.name = (SELECT name FROM orgs WHERE id = $6::bigint) AND o.id > $6::bigint))"
         " ORDER BY o.name, o.id LIMIT $7::bigint";
}

}  // namespace

Result<app::OrgDirectoryPage> PgOrgRepository::Directory(const app::OrgDirectoryQuery& q) {
  static const std::string kSql = DirectorySql();
  PgParams p;
  p.Add(DayNumber(q.today)).Add(q.text);
  if (q.modality) {
    p.Add(sla::Name(*q.modality));
  } else {
    p.AddNull();
  }
  p.Add(std::int64_t{q.without_contract && !q.modality ? 1 : 0});
  if (q.missing) {
    p.Add(domain::SpecOf(domain::AreaKind(*q.missing)).name);
  } else {
    p.AddNull();
  }
  p.AddOpt(q.after ? std::optional<std::int64_t>(q.after->value()) : std::nullopt);
  p.Add(std::int64_t{q.limit} + 1);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  app::OrgDirectoryPage page;
  for (int i = 0; i < rows.size(); ++i) {
    if (static_cast<int>(page.rows.size()) == q.limit) {
      page.more = true;
      break;
    }
    app::OrgDirectoryRow r;
    r.org = OrgFrom(rows, i);
    if (!rows.IsNull(i, 4)) {
      const std::string list = rows.Text(i, 4);
      for (sla::Modality m : {sla::Modality::k24x7, sla::Modality::k8x5})
        if (list.find(sla::Name(m)) != std::string::npos) r.modalities.push_back(m);
    }
    r.open_tickets = static_cast<int>(rows.Int(i, 5));
    for (std::size_t a = 0; a < r.has.size(); ++a) r.has[a] = rows.Bool(i, 6 + static_cast<int>(a));
    page.rows.push_back(std::move(r));
  }
  return page;
}

Result<domain::Contract> PgOrgRepository::GetContract(ContractId id) {
  static const std::string kSql =
      std::string("SELECT ") + kContractCols + " FROM contracts WHERE id = $1";
  PgParams p;
  p.Add(id.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return tl::make_unexpected(NotFound("contract " + std::to_string(id.value())));
  return ContractFrom(rows, 0);
}

Result<std::vector<domain::Contract>> PgOrgRepository::ListContracts(OrgId org) {
  static const std::string kSql =
      std::string("SELECT ") + kContractCols + " FROM contracts WHERE org_id = $1 ORDER BY id";
  PgParams p;
  p.Add(org.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  return Contracts(rows);
}

Result<domain::Organization> PgOrgRepository::InsertOrg(domain::Organization o) {
  SOPORTE_TRY_STATUS(ValidateOrg(o));
  PgParams p;
  p.Add(o.slug).Add(o.name).Add(Secs(o.created_at));
  // A taken slug inserts nothing (no failed statement, so the transaction goes on).
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO orgs(slug, name, created_at) VALUES ($1, $2, $3) "
                                "ON CONFLICT (slug) DO NOTHING RETURNING id",
                                p));
  if (rows.empty()) return tl::make_unexpected(OrgSlugTaken(o.slug));
  o.id = OrgId{rows.Int(0, 0)};
  return o;
}

Result<domain::Contract> PgOrgRepository::InsertContract(domain::Contract c) {
  SOPORTE_TRY_STATUS(ValidateContract(c));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", c.org_id.value(), "organisation"));
  if (c.calendar_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "calendars", c.calendar_id.value(), "calendar"));
  PgParams p;
  p.Add(c.org_id.value())
      .Add(sla::Name(c.modality))
      .Add(c.zone)
      .Add(DayNumber(c.valid_from))
      .AddOpt(c.valid_to ? std::optional<std::int64_t>(DayNumber(*c.valid_to)) : std::nullopt)
      .Add(std::int64_t{c.channels.bits()})
      .Add(std::int64_t{c.targets.critical.count()})
      .Add(std::int64_t{c.targets.important.count()})
      .Add(std::int64_t{c.targets.normal.count()})
      .Add(Secs(c.created_at))
      .AddOpt(OptId(c.calendar_id.value()));
  SOPORTE_TRY(rows,
              conn_.Query("INSERT INTO contracts(org_id, modality, zone, valid_from_day, "
                          "valid_to_day, channels, target_critical_s, target_important_s, "
                          "target_normal_s, created_at, calendar_id) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                          p));
  c.id = ContractId{rows.Int(0, 0)};
  return c;
}

Status PgOrgRepository::SetContractCalendar(ContractId contract, CalendarId calendar) {
  SOPORTE_TRY(current, GetContract(contract));
  current.calendar_id = calendar;
  SOPORTE_TRY_STATUS(ValidateContract(current));
  if (calendar.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "calendars", calendar.value(), "calendar"));
  PgParams p;
  p.AddOpt(OptId(calendar.value())).Add(contract.value());
  SOPORTE_TRY_STATUS(conn_.Query("UPDATE contracts SET calendar_id = $1 WHERE id = $2", p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
