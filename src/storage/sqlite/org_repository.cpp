#include "storage/sqlite/org_repository.hpp"

#include <optional>
#include <string>

#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {

namespace sla = domain::sla;

Result<domain::Organization> SqliteOrgRepository::GetOrg(OrgId id) {
  static const std::string kSql = Sql({"SELECT ", kOrgCols, " FROM orgs WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Organization>(s, ReadOrg, "organisation " + std::to_string(id.value()));
}

Result<domain::Organization> SqliteOrgRepository::GetOrgBySlug(const std::string& slug) {
  static const std::string kSql = Sql({"SELECT ", kOrgCols, " FROM orgs WHERE slug = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, slug);
  return One<domain::Organization>(s, ReadOrg, "organisation '" + slug + "'");
}

Result<std::vector<domain::Organization>> SqliteOrgRepository::ListOrgs() {
  static const std::string kSql = Sql({"SELECT ", kOrgCols, " FROM orgs ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  return Collect<domain::Organization>(s, ReadOrg);
}

namespace {

// The directory's one statement: each organisation of the page with its contracts in force, its
// open tickets and whether its profile has each area, as correlated subqueries on indexes
// (contracts_by_org, tickets_by_org_status, profile_entries_by_org): one read per page.
// Parameters: ?1 today (day number), ?2 lower-case text or '', ?3 modality or NULL, ?4 1 = no
// contract in force, ?5 a missing area's entry kind or NULL, ?6 the previous page's last id or
// NULL, ?7 the page size + 1.
std::string DirectorySql() {
  const std::string in_force =
      "c.org_id = o.id AND c.valid_from_day <= ?1 AND (c.valid_to_day IS NULL OR c.valid_to_day >= "
      "?1)";
  std::string has;
  for (domain::ProfileArea a : domain::kProfileAreas) {
    has += ", EXISTS (SELECT 1 FROM profile_entries p WHERE p.org_id = o.id AND p.kind = '";
    has += domain::SpecOf(domain::AreaKind(a)).name;
    has += "')";
  }
  return Sql(
      {"SELECT o.id, o.slug, o.name, o.created_at, "
       "(SELECT group_concat(DISTINCT c.modality) FROM contracts c WHERE ",
       in_force,
       "), "
       "(SELECT count(*) FROM tickets t WHERE t.org_id = o.id AND t.status IN ('new', 'open', "
       "'waiting_customer'))",
       has,
       " FROM orgs o WHERE (?2 = '' OR instr(lower(o.name), ?2) > 0 OR instr(o.slug, ?2) > 0)"
       " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM contracts c WHERE ",
       in_force,
       " AND c.modality = ?3))"
       " AND (?4 = 0 OR NOT EXISTS (SELECT 1 FROM contracts c WHERE ",
       in_force,
       "))"
       " AND (?5 IS NULL OR NOT EXISTS (SELECT 1 FROM profile_entries p WHERE p.org_id = o.id AND "
       "p.kind = ?5))"
       " AND (?6 IS NULL OR o.name > (SELECT name FROM orgs WHERE id = ?6)"
       " OR (o.name = (SELECT name FROM orgs WHERE id = ?6) AND o.id > ?6))"
       " ORDER BY o.name, o.id LIMIT ?7"});
}

}  // namespace

Result<app::OrgDirectoryPage> SqliteOrgRepository::Directory(const app::OrgDirectoryQuery& q) {
  static const std::string kSql = DirectorySql();
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, DayNumber(q.today)).Bind(2, q.text);
  if (q.modality) {
    s.Bind(3, sla::Name(*q.modality));
  } else {
    s.BindNull(3);
  }
  s.Bind(4, std::int64_t{q.without_contract && !q.modality ? 1 : 0});
  if (q.missing) {
    s.Bind(5, domain::SpecOf(domain::AreaKind(*q.missing)).name);
  } else {
    s.BindNull(5);
  }
  s.BindOpt(6, q.after ? std::optional<std::int64_t>(q.after->value()) : std::nullopt);
  s.Bind(7, std::int64_t{q.limit} + 1);
  app::OrgDirectoryPage page;
  for (;;) {
    SOPORTE_TRY(row, s.Step());
    if (!row) break;
    if (static_cast<int>(page.rows.size()) == q.limit) {
      page.more = true;
      break;
    }
    app::OrgDirectoryRow r;
    r.org = OrgFrom(s);
    if (!s.IsNull(4)) {
      const std::string list = s.Text(4);
      for (sla::Modality m : {sla::Modality::k24x7, sla::Modality::k8x5})
        if (list.find(sla::Name(m)) != std::string::npos) r.modalities.push_back(m);
    }
    r.open_tickets = static_cast<int>(s.Int(5));
    for (std::size_t i = 0; i < r.has.size(); ++i) r.has[i] = s.Int(6 + static_cast<int>(i)) != 0;
    page.rows.push_back(std::move(r));
  }
  return page;
}

Result<domain::Contract> SqliteOrgRepository::GetContract(ContractId id) {
  static const std::string kSql = Sql({"SELECT ", kContractCols, " FROM contracts WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::Contract>(s, ReadContract, "contract " + std::to_string(id.value()));
}

Result<std::vector<domain::Contract>> SqliteOrgRepository::ListContracts(OrgId org) {
  static const std::string kSql =
      Sql({"SELECT ", kContractCols, " FROM contracts WHERE org_id = ? ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, org.value());
  return Collect<domain::Contract>(s, ReadContract);
}

Result<domain::Organization> SqliteOrgRepository::InsertOrg(domain::Organization o) {
  SOPORTE_TRY_STATUS(ValidateOrg(o));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO orgs(slug, name, created_at) VALUES (?, ?, ?)"));
  s.Bind(1, o.slug).Bind(2, o.name).Bind(3, Secs(o.created_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists)
      return tl::make_unexpected(OrgSlugTaken(o.slug));
    return tl::make_unexpected(st.error());
  }
  o.id = OrgId{db_.LastInsertId()};
  return o;
}

Result<domain::Contract> SqliteOrgRepository::InsertContract(domain::Contract c) {
  SOPORTE_TRY_STATUS(ValidateContract(c));
  SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", c.org_id.value(), "organisation"));
  if (c.calendar_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "calendars", c.calendar_id.value(), "calendar"));
  SOPORTE_TRY(
      s, db_.Prepare("INSERT INTO contracts(org_id, modality, zone, valid_from_day, valid_to_day, "
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

Status SqliteOrgRepository::SetContractCalendar(ContractId contract, CalendarId calendar) {
  SOPORTE_TRY(current, GetContract(contract));
  current.calendar_id = calendar;
  SOPORTE_TRY_STATUS(ValidateContract(current));
  if (calendar.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "calendars", calendar.value(), "calendar"));
  SOPORTE_TRY(s, db_.Prepare("UPDATE contracts SET calendar_id = ? WHERE id = ?"));
  s.BindOpt(1, calendar.valid() ? std::optional<std::int64_t>(calendar.value()) : std::nullopt)
      .Bind(2, contract.value());
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
