#include "main/command_options.hpp"

#include <date/tz.h>

#include "transport/api/codec/common_codec.hpp"

namespace soporte::main {
namespace {

Result<bool> TrueOrFalse(const char* option, const std::string& text) {
  if (text == "true" || text == "false") return text == "true";
  return Fail(ErrorCode::kInvalidArgument,
              std::string(option) + " must be true or false (got '" + text + "')");
}

Result<domain::Role> RoleOf(const std::string& text) {
  auto role = domain::ParseRole(text);
  if (!role) {
    return Fail(ErrorCode::kInvalidArgument,
                "--role must be customer, agent, supervisor or admin (got '" + text + "')");
  }
  return *role;
}

}  // namespace

Result<app::NewContract> ContractOf(const ContractOptions& o) {
  app::NewContract in;
  auto modality = domain::sla::ParseModality(o.modality);
  if (!modality)
    return Fail(ErrorCode::kInvalidArgument,
                "--modality must be 24x7 or 8x5 (got '" + o.modality + "')");
  in.modality = *modality;
  try {
    (void)date::locate_zone(o.tz);
  } catch (const std::exception&) {
    return Fail(ErrorCode::kInvalidArgument, "--tz: unknown time zone '" + o.tz + "'");
  }
  in.zone = o.tz;
  if (!o.from.empty()) {
    SOPORTE_TRY(d, transport::api::codec::ParseDate(o.from, "--valid-from"));
    in.valid_from = d;
  }
  if (!o.to.empty()) {
    SOPORTE_TRY(d, transport::api::codec::ParseDate(o.to, "--valid-to"));
    in.valid_to = d;
  }
  return in;
}

Result<app::NewUser> NewUserOf(const UserAddOptions& o, std::istream& password_in) {
  app::NewUser in;
  in.org_admin = o.org_admin;
  SOPORTE_TRY(role, RoleOf(o.role));
  in.role = role;
  in.email = o.email;
  in.name = o.name;
  if (!o.org.empty()) in.org_slug = o.org;
  if (o.password_stdin) {
    std::getline(password_in, in.password);
    if (!in.password.empty() && in.password.back() == '\r') in.password.pop_back();
    if (in.password.empty())
      return Fail(ErrorCode::kInvalidArgument, "--password-stdin: no password on standard input");
  }
  return in;
}

Result<app::UserChange> UserChangeOf(const UserSetOptions& o) {
  app::UserChange change;
  if (o.org_admin) {
    SOPORTE_TRY(v, TrueOrFalse("--org-admin", *o.org_admin));
    change.org_admin = v;
  }
  if (o.active) {
    SOPORTE_TRY(v, TrueOrFalse("--active", *o.active));
    change.active = v;
  }
  if (o.name) change.name = *o.name;
  if (o.lang) {
    if (!domain::IsMailLanguage(*o.lang))
      return Fail(ErrorCode::kInvalidArgument, "--lang must be es or en (got '" + *o.lang + "')");
    change.lang = *o.lang;
  }
  if (o.role) {
    SOPORTE_TRY(role, RoleOf(*o.role));
    change.role = role;
  }
  if (change.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "nothing to change: give --org-admin, --name, --lang, --role or --active");
  }
  return change;
}

}  // namespace soporte::main
