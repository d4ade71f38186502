#include "transport/api/codec/account_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"
#include "transport/api/codec/org_codec.hpp"

namespace soporte::transport::api::codec {
namespace cal = domain::calendar;

Result<Credentials> ParseCredentials(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(email, r.String("email", true));
  SOPORTE_TRY(password, r.String("password", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return Credentials{std::move(*email), std::move(*password)};
}

json::value PrincipalJson(const app::Principal& p) {
  return json::object{{"id", p.user_id.value()},
                      {"email", p.email},
                      {"name", p.name},
                      {"role", domain::RoleName(p.role)},
                      {"org_admin", p.org_admin}};
}

json::value SessionJson(const app::Principal& p, std::string_view csrf_token,
                        std::int64_t expires_in) {
  return json::object{
      {"user", PrincipalJson(p)}, {"csrf_token", csrf_token}, {"expires_in", expires_in}};
}

json::value MeJson(const app::Principal& p, std::optional<std::string_view> csrf_token,
                   const domain::Organization* org) {
  json::object body{{"user", PrincipalJson(p)}};
  if (csrf_token) body["csrf_token"] = *csrf_token;
  if (org != nullptr) body["org"] = OrgJson(*org);
  return body;
}

json::value UserJson(const domain::User& u) {
  return json::object{{"id", u.id.value()},      {"email", u.email},
                      {"name", u.name},          {"role", domain::RoleName(u.role)},
                      {"active", u.active},      {"lang", u.lang},
                      {"org_admin", u.org_admin}};
}

json::value UserListJson(const std::vector<domain::User>& list) {
  return ListJson("users", list, UserJson);
}

Result<app::NewUser> ParseNewUser(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::NewUser u;
  SOPORTE_TRY(email, r.Required("email"));
  u.email = std::move(email);
  SOPORTE_TRY(name, r.Required("name"));
  u.name = std::move(name);
  SOPORTE_TRY(role, r.Enum<domain::Role>("role", domain::ParseRole,
                                         "customer, agent, supervisor, admin", true));
  u.role = *role;
  SOPORTE_TRY(org, r.String("org"));
  u.org_slug = std::move(org);
  SOPORTE_TRY(password, r.String("password"));
  u.password = password.value_or("");
  SOPORTE_TRY(lang, r.String("lang"));
  u.lang = lang.value_or("");
  SOPORTE_TRY(org_admin, r.Bool("org_admin"));
  u.org_admin = org_admin.value_or(false);
  SOPORTE_TRY_STATUS(r.Finish());
  return u;
}

Result<app::UserChange> ParseUserChange(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::UserChange c;
  SOPORTE_TRY(name, r.String("name"));
  if (name) {
    // Surrounding blanks are typing slips; an all-blank name is refused by the use case.
    const auto b = name->find_first_not_of(" \t\r\n");
    const auto e = name->find_last_not_of(" \t\r\n");
    c.name = b == std::string::npos ? std::string() : name->substr(b, e - b + 1);
  }
  SOPORTE_TRY(lang, r.String("lang"));
  c.lang = std::move(lang);
  SOPORTE_TRY(org_admin, r.Bool("org_admin"));
  c.org_admin = org_admin;
  SOPORTE_TRY(
      role, r.Enum<domain::Role>("role", domain::ParseRole, "customer, agent, supervisor, admin"));
  c.role = role;
  SOPORTE_TRY(active, r.Bool("active"));
  c.active = active;
  SOPORTE_TRY_STATUS(r.Finish());
  return c;
}

json::value UserEventJson(const app::UserEventView& v) {
  const auto* utc = cal::Utc();
  const app::UserEventRecord& e = v.event;
  json::value by = nullptr;
  if (e.actor_id.valid()) by = json::object{{"id", e.actor_id.value()}, {"name", v.actor_name}};
  return json::object{{"id", e.id},       {"at", TimeJson(e.at, utc)}, {"by", std::move(by)},
                      {"field", e.field}, {"before", e.before},        {"after", e.after}};
}

json::value UserHistoryJson(const std::vector<app::UserEventView>& list) {
  return ListJson("events", list, UserEventJson);
}

Result<ResetRequest> ParseResetRequest(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(email, r.String("email", true));
  SOPORTE_TRY(lang, r.String("lang"));
  SOPORTE_TRY_STATUS(r.Finish());
  std::string l = lang.value_or("");
  if (!l.empty() && l != "es" && l != "en")
    return Fail(ErrorCode::kInvalidArgument, "lang must be es or en");
  return ResetRequest{std::move(*email), std::move(l)};
}

Result<ResetConfirm> ParseResetConfirm(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(token, r.String("token", true));
  SOPORTE_TRY(password, r.String("password", true));
  SOPORTE_TRY_STATUS(r.Finish());
  return ResetConfirm{std::move(*token), std::move(*password)};
}

}  // namespace soporte::transport::api::codec
