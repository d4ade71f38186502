// AdminService's changes to existing users (issue 6): name, mail language, the organisation
// administrator flag, staff roles and deactivation, each recorded in the user's append-only
// history; and reading that history. The rules are stated on AdminService::UpdateUser.
#include <string>

#include "app/accounts/admin_service.hpp"
#include "app/audit/audit_log.hpp"

namespace soporte::app {
namespace {

const char kNoSuchUser[] = "no such user";  // the same for absent and not visible

std::string BoolText(bool b) { return b ? "true" : "false"; }

// The user `id` as `who` may see it; kNotFound (one wording) when absent or not visible.
Result<domain::User> VisibleUser(ReadTx& tx, const Principal& who, UserId id) {
  auto u = tx.accounts().GetUser(id);
  if (!u) {
    if (u.error().code == ErrorCode::kNotFound) return Fail(ErrorCode::kNotFound, kNoSuchUser);
    return tl::make_unexpected(u.error());
  }
  if (!who.staff() && (u->role != domain::Role::kCustomer || u->org_id != who.org_id)) {
    return Fail(ErrorCode::kNotFound, kNoSuchUser);
  }
  return u;
}

// True when `who` may rename, deactivate or reactivate `target`: an admin anyone, a supervisor
// the users it may create (customers and agents).
bool MayManage(const Principal& who, const domain::User& target) {
  if (who.role == domain::Role::kAdmin) return true;
  return who.role == domain::Role::kSupervisor &&
         (target.role == domain::Role::kCustomer || target.role == domain::Role::kAgent);
}

Error Denied(const std::string& field, const std::string& why) {
  return Error{ErrorCode::kPermissionDenied, field + ": " + why};
}

// Value checks that do not depend on who asks.
Status ValidateChange(const domain::User& target, const UserChange& c) {
  if (c.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "nothing to change: give at least one of name, lang, org_admin, role, active");
  }
  if (c.name) {
    if (c.name->empty()) return Fail(ErrorCode::kInvalidArgument, "name: must not be empty");
    if (c.name->size() > 200) return Fail(ErrorCode::kInvalidArgument, "name: must have at most 200 characters");
  }
  if (c.lang && !c.lang->empty() && !domain::IsMailLanguage(*c.lang)) {
    return Fail(ErrorCode::kInvalidArgument, "lang: must be es, en or empty (got '" + *c.lang + "')");
  }
  if (c.org_admin && target.role != domain::Role::kCustomer) {
    return Fail(ErrorCode::kUnprocessable,
                "org_admin: only a customer can administer its organisation; this user is " +
                    std::string(domain::RoleName(target.role)) + " staff of the vendor");
  }
  if (c.role && *c.role != target.role &&
      (*c.role == domain::Role::kCustomer || target.role == domain::Role::kCustomer)) {
    return Fail(ErrorCode::kUnprocessable,
                "role: a customer belongs to an organisation and staff to the vendor; a user cannot "
                "move between them (create a new user instead)");
  }
  return Ok();
}

// Permission checks, field by field; the error names the first field refused.
Status Authorize(const Principal& who, const domain::User& target, const UserChange& c) {
  const bool self = who.user_id == target.id;
  if (c.name && !MayManage(who, target)) {
    return tl::make_unexpected(Denied("name", "only an administrator, or a supervisor for customers and agents, may rename a user"));
  }
  if (c.active && !MayManage(who, target)) {
    return tl::make_unexpected(Denied("active", "only an administrator, or a supervisor for customers and agents, may deactivate or reactivate a user"));
  }
  if (c.lang && !who.staff() && !self) {
    return tl::make_unexpected(Denied("lang", "a customer may set only its own mail language"));
  }
  if (c.org_admin && !who.manager() && !who.AdministersOrg(target.org_id)) {
    return tl::make_unexpected(Denied("org_admin", "only a supervisor, an administrator or the organisation's administrator may change who administers it"));
  }
  if (c.role && who.role != domain::Role::kAdmin) {
    return tl::make_unexpected(Denied("role", "only an administrator may change a user's role"));
  }
  return Ok();
}

// kFailedPrecondition when the change would leave the system without an active admin.
Status KeepAnAdmin(ReadTx& tx, const domain::User& target, const UserChange& c) {
  if (target.role != domain::Role::kAdmin || !target.active) return Ok();
  const bool demoted = c.role && *c.role != domain::Role::kAdmin;
  const bool deactivated = c.active && !*c.active;
  if (!demoted && !deactivated) return Ok();
  SOPORTE_TRY(users, tx.accounts().ListUsers(std::nullopt));
  int admins = 0;
  for (const auto& u : users) admins += (u.role == domain::Role::kAdmin && u.active) ? 1 : 0;
  if (admins <= 1) {
    return Fail(ErrorCode::kFailedPrecondition,
                std::string(demoted ? "role" : "active") +
                    ": this is the last active administrator; make another user an administrator first");
  }
  return Ok();
}

}  // namespace

Result<domain::User> AdminService::UpdateUser(const Principal& who, UserId id, const UserChange& change) {
  return ApplyChange(who, [&](WriteTx& tx) { return VisibleUser(tx, who, id); }, change);
}

Result<domain::User> AdminService::UpdateUserByEmail(const Principal& who, const std::string& email,
                                                     const UserChange& change) {
  SOPORTE_TRY(normalized, domain::NormalizeEmail(email));
  return ApplyChange(
      who,
      [&](WriteTx& tx) -> Result<domain::User> {
        auto u = tx.accounts().GetUserByEmail(normalized);
        if (!u && u.error().code == ErrorCode::kNotFound) {
          return Fail(ErrorCode::kNotFound, "no user with email " + normalized);
        }
        if (!u) return u;
        return VisibleUser(tx, who, u->id);
      },
      change);
}

Result<domain::User> AdminService::ApplyChange(const Principal& who,
                                               const std::function<Result<domain::User>(WriteTx&)>& find,
                                               const UserChange& change) {
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<domain::User> {
    SOPORTE_TRY(user, find(tx));
    SOPORTE_TRY_STATUS(ValidateChange(user, change));
    if (change.active && !*change.active && who.user_id == user.id) {
      return Fail(ErrorCode::kFailedPrecondition, "active: you cannot deactivate your own account");
    }
    SOPORTE_TRY_STATUS(Authorize(who, user, change));
    SOPORTE_TRY_STATUS(KeepAnAdmin(tx, user, change));

    std::vector<UserEventRecord> events;
    auto record = [&](const char* field, std::string before, std::string after) {
      if (before != after) events.push_back(UserEventRecord{0, user.id, who.user_id, now, field, std::move(before), std::move(after)});
    };
    if (change.name) record("name", user.name, *change.name);
    if (change.lang) record("lang", user.lang, *change.lang);
    if (change.org_admin) record("org_admin", BoolText(user.org_admin), BoolText(*change.org_admin));
    if (change.role) record("role", std::string(domain::RoleName(user.role)), std::string(domain::RoleName(*change.role)));
    if (change.active) record("active", BoolText(user.active), BoolText(*change.active));
    if (events.empty()) return user;  // every value already as asked: nothing to store

    const bool deactivated = change.active && user.active && !*change.active;
    if (change.name) user.name = *change.name;
    if (change.lang) user.lang = *change.lang;
    if (change.org_admin) user.org_admin = *change.org_admin;
    if (change.role) user.role = *change.role;
    if (change.active) user.active = *change.active;
    SOPORTE_TRY_STATUS(tx.accounts().UpdateUser(user));
    for (auto& e : events) SOPORTE_TRY_STATUS(tx.audit().AppendUserEvent(std::move(e)));
    if (deactivated) {
      // A deactivated user is refused at login and on every request already; ending what it
      // holds keeps a later reactivation from reviving old sessions, tokens or reset links.
      SOPORTE_TRY_STATUS(tx.accounts().DeleteUserSessions(user.id));
      SOPORTE_TRY(tokens, tx.accounts().DeleteUserApiTokens(user.id));
      if (tokens > 0) {
        // The audit log says how many tokens ended with the account (never the tokens).
        SOPORTE_TRY_STATUS(AppendAudit(tx, who, now,
                                       AuditSubject{"token", user.id.value(), user.name}, "removed",
                                       std::to_string(tokens), ""));
      }
      SOPORTE_TRY_STATUS(tx.accounts().DeletePasswordReset(user.id));
    }
    return user;
  });
}

Result<std::vector<UserEventView>> AdminService::UserHistory(const Principal& who, UserId id) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<UserEventView>> {
    SOPORTE_TRY(user, VisibleUser(tx, who, id));
    if (!who.staff() && !who.AdministersOrg(user.org_id)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "only staff or the organisation's administrator may read a user's history");
    }
    SOPORTE_TRY(events, tx.audit().ListUserEvents(user.id));
    std::vector<UserEventView> out;
    out.reserve(events.size());
    for (auto& e : events) {
      std::string actor;
      if (e.actor_id.valid()) {
        auto a = tx.accounts().GetUser(e.actor_id);
        if (a) actor = a->name;
      }
      out.push_back(UserEventView{std::move(e), std::move(actor)});
    }
    return out;
  });
}

}  // namespace soporte::app
