// The JSON of accounts (docs/api.md, "Session" and "Users"): the session (log in, who am I), users,
// a user's changes and their history, and the forgotten-password requests. Decoders refuse unknown
// fields and name the field in every error (kInvalidArgument).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/accounts/admin_service.hpp"
#include "app/accounts/auth_service.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// ---- session -------------------------------------------------------------------------------
struct Credentials {
  std::string email;
  std::string password;
};
// POST /api/v1/session: {"email", "password"}.
Result<Credentials> ParseCredentials(std::string_view body);
// {id, email, name, role, org_admin}: the caller.
json::value PrincipalJson(const app::Principal& p);
// The answer to a log-in: {"user": principal, "csrf_token", "expires_in": seconds}.
json::value SessionJson(const app::Principal& p, std::string_view csrf_token,
                        std::int64_t expires_in);
// GET /api/v1/me: {"user": principal[, "csrf_token" (session callers)][, "org" (customers)]}.
json::value MeJson(const app::Principal& p, std::optional<std::string_view> csrf_token,
                   const domain::Organization* org);

// ---- users ---------------------------------------------------------------------------------
// {id, email, name, role, active, lang, org_admin}.
json::value UserJson(const domain::User& u);
// {"users": [...]}.
json::value UserListJson(const std::vector<domain::User>& list);
// POST /api/v1/users.
Result<app::NewUser> ParseNewUser(std::string_view body);
// PATCH /api/v1/users/{id}: any of {"name","lang":"es"|"en"|"","org_admin":bool,
// "role":"agent"|"supervisor"|"admin"|"customer","active":bool}; unknown fields refused.
Result<app::UserChange> ParseUserChange(std::string_view body);
// One entry of GET /api/v1/users/{id}/history: {id, at (UTC), by{id,name}|null, field, before,
// after}.
json::value UserEventJson(const app::UserEventView& v);
// {"events": [...]}.
json::value UserHistoryJson(const std::vector<app::UserEventView>& list);

// ---- forgotten passwords (docs/api.md, "Web UI") -------------------------------------------
struct ResetRequest {
  std::string email;
  std::string lang;  // "", "es" or "en": the language of the mail
};
struct ResetConfirm {
  std::string token;
  std::string password;
};
Result<ResetRequest> ParseResetRequest(std::string_view body);
Result<ResetConfirm> ParseResetConfirm(std::string_view body);

}  // namespace soporte::transport::api::codec
