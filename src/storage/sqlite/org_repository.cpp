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
