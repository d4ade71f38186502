// What the data commands (main/commands.cpp) decide from their options before they open the data
// directory: the contract of `contract add`, the user of `user add` and the change of `user set`.
// Every refused value is an kInvalidArgument error whose message is printed after "error: " (exit
// status 2, transport/cli/exit_codes), so a typo never reaches the store. Pure; thread-safe.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "app/accounts/admin_service.hpp"
#include "common/result.hpp"
#include "domain/calendar/zones.hpp"

namespace soporte::main {

// `soporte contract add` options (but --data and --org).
struct ContractOptions {
  std::string modality;                            // --modality: 24x7 or 8x5
  std::string tz{domain::calendar::kDefaultZone};  // --tz: an IANA zone
  std::string from;                                // --valid-from YYYY-MM-DD; "" for today
  std::string to;                                  // --valid-to YYYY-MM-DD; "" for open-ended
};
// The contract to create. Fails on a modality other than 24x7/8x5, an unknown zone or a date
// that is not YYYY-MM-DD.
Result<app::NewContract> ContractOf(const ContractOptions& o);

// `soporte user add` options (but --data).
struct UserAddOptions {
  std::string email, name, role, org;
  bool password_stdin = false;  // read the password's first line from `password_in`
  bool org_admin = false;
};
// The user to create. Fails on an unknown role, or with --password-stdin when the first line of
// `password_in` is empty (a trailing CR is dropped).
Result<app::NewUser> NewUserOf(const UserAddOptions& o, std::istream& password_in);

// `soporte user set` options: each given option, as typed (nullopt: not given).
struct UserSetOptions {
  std::optional<std::string> org_admin, name, lang, role, active;
};
// The change to apply. Fails when --org-admin or --active is not true/false, --lang is not es/en,
// --role is unknown, or nothing is given (checked in that order).
Result<app::UserChange> UserChangeOf(const UserSetOptions& o);

}  // namespace soporte::main
