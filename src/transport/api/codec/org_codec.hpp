// The JSON of organisations and their contracts (docs/api.md, "Administration": /api/v1/orgs,
// /api/v1/orgs/{slug}/contracts): output shapes, list envelopes and the request bodies that create
// an organisation or a contract and point a contract at a calendar. Decoders refuse unknown fields
// and name the field in every error (kInvalidArgument).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/accounts/admin_service.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// {slug, name, created_at}; created_at in the default zone.
json::value OrgJson(const domain::Organization& o);
// {"orgs": [...]}.
json::value OrgListJson(const std::vector<domain::Organization>& list);
// The organisations directory (staff): {"orgs": [{slug, name, created_at, contracts: ["24x7",
// "8x5"], open_tickets, missing: ["versions", …]}], "next_cursor": "<id>" | null}; `contracts`
// are the modalities in force, `missing` the profile areas without an entry (completeness.hpp).
json::value OrgDirectoryJson(const app::OrgDirectoryPage& page);
// {id, modality, zone, valid_from, valid_to, channels, targets_minutes, calendar_id}.
json::value ContractJson(const domain::Contract& c);
// {"contracts": [...]}.
json::value ContractListJson(const std::vector<domain::Contract>& list);

struct NewOrg {
  std::string slug;
  std::string name;
};
// POST /api/v1/orgs: {"slug", "name"}.
Result<NewOrg> ParseNewOrg(std::string_view body);
// POST /api/v1/orgs/{slug}/contracts.
Result<app::NewContract> ParseNewContract(std::string_view body);
// PATCH /api/v1/orgs/{slug}/contracts/{id}: {"calendar_id": id or null}. nullopt = built-in.
Result<std::optional<CalendarId>> ParseContractPatch(std::string_view body);

}  // namespace soporte::transport::api::codec
