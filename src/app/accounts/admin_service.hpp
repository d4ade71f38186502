// Administration use cases: organisations, contracts and users. Supervisors and admins manage;
// a customer may only read its own organisation, its contracts and its colleagues.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/calendar/zones.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

// The organisation `slug` as `who` may see it; kNotFound (naming the slug) when it is absent or
// another organisation's: a customer cannot learn that another organisation exists.
Result<domain::Organization> VisibleOrg(ReadTx& tx, const Principal& who, const std::string& slug);

struct NewContract {
  sla::Modality modality = sla::Modality::k8x5;
  std::string zone{domain::calendar::kDefaultZone};
  std::optional<std::chrono::sys_days> valid_from;  // default: today (UTC)
  std::optional<std::chrono::sys_days> valid_to;
  std::optional<domain::ChannelSet> channels;       // default: DefaultChannels(modality)
  std::optional<sla::SlaTargets> targets;           // default: the protocol's 8 h / 4 h / 2 h
};

struct NewUser {
  std::string email;
  std::string name;
  domain::Role role = domain::Role::kCustomer;
  std::optional<std::string> org_slug;  // required for customers, refused for staff
  std::string password;                 // empty: the user cannot log in with a password yet
  std::string lang;                     // mail language: "es", "en" or "" (learnt / default)
  bool org_admin = false;               // customers only: administers its organisation's profile
};

// A change to an existing user (PATCH /api/v1/users/{id}, `soporte user set`): absent fields
// keep their value. Who may change what is documented on AdminService::UpdateUser.
struct UserChange {
  std::optional<std::string> name;
  std::optional<std::string> lang;   // "es", "en", or "" (learn it again from their next mail)
  std::optional<bool> org_admin;     // customers only
  std::optional<domain::Role> role;  // among the staff roles only
  std::optional<bool> active;        // false: cannot log in; sessions, API tokens, reset link end

  bool empty() const { return !name && !lang && !org_admin && !role && !active; }
};

// One entry of a user's history as the API shows it: the record and the name of who acted
// ("" for the system).
struct UserEventView {
  UserEventRecord event;
  std::string actor_name;
};

class AdminService {
 public:
  AdminService(Store& store, const PasswordHasher& hasher, const sla::SlaEngine& sla,
               const Clock& clock);

  // Managers only (kPermissionDenied otherwise); kAlreadyExists for a taken slug.
  Result<domain::Organization> CreateOrg(const Principal& who, std::string slug, std::string name);
  // Staff see every organisation; a customer sees its own.
  Result<std::vector<domain::Organization>> ListOrgs(const Principal& who);
  // One page of the organisations directory (staff only; kPermissionDenied for a customer). The
  // query's `today` is set here: the current day in the desk's default zone (America/Bogota).
  Result<OrgDirectoryPage> Directory(const Principal& who, OrgDirectoryQuery q);
  // kNotFound also when the caller may not see it (no existence leak).
  Result<domain::Organization> GetOrg(const Principal& who, const std::string& slug);

  // Managers only. kInvalidArgument for an unknown zone, a phone channel on an 8x5 contract,
  // validity that ends before it starts, or a non-positive target.
  Result<domain::Contract> CreateContract(const Principal& who, const std::string& org_slug,
                                          const NewContract& in);
  Result<std::vector<domain::Contract>> ListContracts(const Principal& who,
                                                      const std::string& org_slug);

  // Admins create any user; supervisors create customers and agents. Costly when a password is
  // given (argon2id): call on a worker pool.
  Result<domain::User> CreateUser(const Principal& who, const NewUser& in);
  // Staff: every user, or one organisation's; customers: their organisation's only.
  Result<std::vector<domain::User>> ListUsers(const Principal& who,
                                              const std::optional<std::string>& org_slug);
  // Sets the language of the mail a user gets ("es", "en", or "" to learn it again from their
  // next message): UpdateUser with only `lang`.
  Result<domain::User> SetLanguage(const Principal& who, UserId id, const std::string& lang);

  // Changes a user (app/accounts/user_admin.cpp). Returns the stored user. Every field that
  // really changes is appended to the user's history (who, when, before, after) in the same
  // transaction. Rules, checked in this order:
  //  - kNotFound "no such user" when absent or not visible: staff see every user, a customer
  //    only the users of its own organisation (so another organisation's user looks missing).
  //  - kInvalidArgument: nothing to change; a name empty or over 200 bytes; lang not es/en/"".
  //  - kUnprocessable naming the field: org_admin for a staff user (only customers administer
  //    an organisation); a role change between customer and staff (a customer belongs to an
  //    organisation, staff to the vendor: create a new user instead).
  //  - kPermissionDenied naming the field when the caller may not change it:
  //      name, active: an admin (anyone), a supervisor (customers and agents);
  //      lang: staff (anyone), a customer (itself);
  //      org_admin: a supervisor or admin, or the organisation's administrator (its colleagues);
  //      role: an admin only.
  //  - kFailedPrecondition: deactivating oneself; demoting or deactivating the last active
  //    admin (nobody may remove the system's last administrator).
  // Deactivating ends the user's sessions, API tokens and password reset link; reactivating
  // lets the user log in again with its password (tokens must be created anew).
  Result<domain::User> UpdateUser(const Principal& who, UserId id, const UserChange& change);
  // The same, naming the user by email (the command line); kNotFound "no user with email …".
  Result<domain::User> UpdateUserByEmail(const Principal& who, const std::string& email,
                                         const UserChange& change);
  // The user's history, oldest first. Staff read any user's; a customer who administers its
  // organisation reads its colleagues' (kPermissionDenied for other customers of the
  // organisation); kNotFound as in UpdateUser.
  Result<std::vector<UserEventView>> UserHistory(const Principal& who, UserId id);
  // Sets a user's password (managers, or the user itself). Costly (argon2id).
  Status SetPassword(const Principal& who, const std::string& email, const std::string& password);

 private:
  // UpdateUser on the user `find` returns inside the write transaction.
  Result<domain::User> ApplyChange(const Principal& who,
                                   const std::function<Result<domain::User>(WriteTx&)>& find,
                                   const UserChange& change);

  Store& store_;
  const PasswordHasher& hasher_;
  const sla::SlaEngine& sla_;
  const Clock& clock_;
};

// Ok for a password we accept (8 to 1024 bytes); kInvalidArgument naming the rule otherwise.
Status ValidatePassword(std::string_view password);

}  // namespace soporte::app
