// Row readers of organisations and contracts, for both SQL stores: column order matches these
// column lists; a reader reads from column 0 of any row type with Int, Text, IsNull and Bool by
// column (storage/rows/values.hpp), alone or shifted into a joined row. Internal to storage.
#pragma once

#include "domain/account/account.hpp"
#include "storage/rows/values.hpp"

namespace soporte::storage::rows {

inline constexpr const char* kOrgCols = "id, slug, name, created_at";
template <class Row>
domain::Organization OrgFrom(const Row& s) {
  return domain::Organization{OrgId{s.Int(0)}, s.Text(1), s.Text(2), At(s.Int(3))};
}

inline constexpr const char* kContractCols =
    "id, org_id, modality, zone, valid_from_day, valid_to_day, channels, target_critical_s, "
    "target_important_s, target_normal_s, created_at, calendar_id";
template <class Row>
Result<domain::Contract> ContractFrom(const Row& s) {
  domain::Contract c;
  c.id = ContractId{s.Int(0)};
  c.org_id = OrgId{s.Int(1)};
  SOPORTE_TRY(modality, Decode(domain::sla::ParseModality(s.Text(2)), "modality"));
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

}  // namespace soporte::storage::rows
