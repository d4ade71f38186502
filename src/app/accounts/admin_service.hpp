// Administration use cases: organisations, contracts and users. Supervisors and admins manage;
// a customer may only read its own organisation, its contracts and its colleagues.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

struct NewContract {
  sla::Modality modality = sla::Modality::k8x5;
  std::string zone = "America/Bogota";
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

class AdminService {
 public:
  AdminService(Store& store, const PasswordHasher& hasher, const sla::SlaEngine& sla,
               const Clock& clock);

  // Managers only (kPermissionDenied otherwise); kAlreadyExists for a taken slug.
  Result<domain::Organization> CreateOrg(const Principal& who, std::string slug, std::string name);
  // Staff see every organisation; a customer sees its own.
  Result<std::vector<domain::Organization>> ListOrgs(const Principal& who);
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
  // next message). Staff may set anyone's; a customer only its own (another user is kNotFound).
  // kInvalidArgument for another language.
  Result<domain::User> SetLanguage(const Principal& who, UserId id, const std::string& lang);
  // Sets a user's password (managers, or the user itself). Costly (argon2id).
  Status SetPassword(const Principal& who, const std::string& email, const std::string& password);

 private:
  Store& store_;
  const PasswordHasher& hasher_;
  const sla::SlaEngine& sla_;
  const Clock& clock_;
};

// Ok for a password we accept (8 to 1024 bytes); kInvalidArgument naming the rule otherwise.
Status ValidatePassword(std::string_view password);

}  // namespace soporte::app
