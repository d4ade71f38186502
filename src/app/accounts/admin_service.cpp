#include "app/accounts/admin_service.hpp"

#include "app/audit/audit_log.hpp"

namespace soporte::app {
namespace {

Status RequireManager(const Principal& who) {
  if (!who.manager()) {
    return Fail(ErrorCode::kPermissionDenied, "only a supervisor or an administrator may do this");
  }
  return Ok();
}

}  // namespace

// The organisation `slug` as `who` may see it; kNotFound when it is absent or not theirs.
Result<domain::Organization> VisibleOrg(ReadTx& tx, const Principal& who, const std::string& slug) {
  auto org = tx.orgs().GetOrgBySlug(slug);
  if (!org || !who.CanSeeOrg(org->id)) {
    if (org || org.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "no organisation '" + slug + "'");
    }
    return tl::make_unexpected(org.error());
  }
  return org;
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < 8) {
    return Fail(ErrorCode::kInvalidArgument, "password must have at least 8 characters");
  }
  if (password.size() > 1024) {
    return Fail(ErrorCode::kInvalidArgument, "password must have at most 1024 characters");
  }
  return Ok();
}

AdminService::AdminService(Store& store, const PasswordHasher& hasher, const sla::SlaEngine& sla,
                           const Clock& clock)
    : store_(store), hasher_(hasher), sla_(sla), clock_(clock) {}

Result<domain::Organization> AdminService::CreateOrg(const Principal& who, std::string slug,
                                                     std::string name) {
  SOPORTE_TRY_STATUS(RequireManager(who));
  SOPORTE_TRY_STATUS(domain::ValidateSlug(slug));
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "name is required");
  if (name.size() > 200) return Fail(ErrorCode::kInvalidArgument, "name must have at most 200 characters");
  domain::Organization org{OrgId{}, std::move(slug), std::move(name), clock_.Now()};
  return WriteValue(store_, [&](WriteTx& tx) -> Result<domain::Organization> {
    SOPORTE_TRY(stored, tx.orgs().InsertOrg(org));
    const AuditSubject subject{"org", stored.id.value(), stored.name};
    SOPORTE_TRY_STATUS(
        AppendAudit(tx, who, stored.created_at, subject, "created", "", stored.slug));
    return stored;
  });
}

Result<std::vector<domain::Organization>> AdminService::ListOrgs(const Principal& who) {
  if (who.staff()) return ReadValue(store_, [&](ReadTx& tx) { return tx.orgs().ListOrgs(); });
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::Organization>> {
    SOPORTE_TRY(org, tx.orgs().GetOrg(who.org_id));
    return std::vector<domain::Organization>{std::move(org)};
  });
}

Result<OrgDirectoryPage> AdminService::Directory(const Principal& who, OrgDirectoryQuery q) {
  if (!who.staff())
    return Fail(ErrorCode::kPermissionDenied, "only staff may read the organisations directory");
  const auto local =
      date::make_zoned(domain::calendar::ZoneOrUtc(domain::calendar::kDefaultZone), clock_.Now());
  q.today = std::chrono::sys_days{
      std::chrono::floor<std::chrono::days>(local.get_local_time()).time_since_epoch()};
  return ReadValue(store_, [&](ReadTx& tx) { return tx.orgs().Directory(q); });
}

Result<domain::Organization> AdminService::GetOrg(const Principal& who, const std::string& slug) {
  return ReadValue(store_, [&](ReadTx& tx) { return VisibleOrg(tx, who, slug); });
}

Result<domain::Contract> AdminService::CreateContract(const Principal& who,
                                                      const std::string& org_slug,
                                                      const NewContract& in) {
  SOPORTE_TRY_STATUS(RequireManager(who));
  const Instant now = clock_.Now();
  domain::Contract c;
  c.modality = in.modality;
  c.zone = in.zone;
  c.valid_from = in.valid_from.value_or(domain::LocalDate(c.zone, now));  // today, where the customer is
  c.valid_to = in.valid_to;
  c.channels = in.channels.value_or(domain::DefaultChannels(in.modality));
  c.targets = in.targets.value_or(sla::SlaTargets{});
  c.created_at = now;
  if (c.valid_to && *c.valid_to < c.valid_from) {
    return Fail(ErrorCode::kInvalidArgument, "valid_to is before valid_from");
  }
  if (c.modality != sla::Modality::k24x7 && c.channels.Has(sla::Channel::kPhone)) {
    return Fail(ErrorCode::kInvalidArgument, "the phone line is offered to 24x7 contracts only");
  }
  if (c.channels.bits() == 0) return Fail(ErrorCode::kInvalidArgument, "channels must not be empty");
  for (auto crit : {sla::Criticality::kNormal, sla::Criticality::kImportant, sla::Criticality::kCritical}) {
    if (c.targets.For(crit) <= Seconds{0}) {
      return Fail(ErrorCode::kInvalidArgument, "response targets must be positive");
    }
  }
  // The engine validates the zone (and builds the calendar once, so the first ticket is fast).
  SOPORTE_TRY_STATUS(sla_.BusinessElapsed(c.Sla(), now, now));
  return WriteValue(store_, [&](WriteTx& tx) -> Result<domain::Contract> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    c.org_id = org.id;
    SOPORTE_TRY(stored, tx.orgs().InsertContract(c));
    // The contract's history starts with every value it was created with.
    const AuditSubject subject{"contract", stored.id.value(), org.name};
    SOPORTE_TRY_STATUS(AppendAudit(tx, who, now, subject, "created", "", ""));
    SOPORTE_TRY_STATUS(
        AppendAuditChanges(tx, who, now, subject, {}, ContractAuditFields(stored, "")));
    return stored;
  });
}

Result<std::vector<domain::Contract>> AdminService::ListContracts(const Principal& who,
                                                                  const std::string& org_slug) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::Contract>> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    return tx.orgs().ListContracts(org.id);
  });
}

Result<domain::User> AdminService::CreateUser(const Principal& who, const NewUser& in) {
  SOPORTE_TRY_STATUS(RequireManager(who));
  if (who.role != domain::Role::kAdmin &&
      (in.role == domain::Role::kAdmin || in.role == domain::Role::kSupervisor)) {
    return Fail(ErrorCode::kPermissionDenied, "only an administrator may create supervisors and administrators");
  }
  SOPORTE_TRY(email, domain::NormalizeEmail(in.email));
  if (in.name.empty()) return Fail(ErrorCode::kInvalidArgument, "name is required");
  if (in.name.size() > 200) return Fail(ErrorCode::kInvalidArgument, "name must have at most 200 characters");
  if (in.role == domain::Role::kCustomer && !in.org_slug) {
    return Fail(ErrorCode::kInvalidArgument, "org is required for a customer");
  }
  if (in.role != domain::Role::kCustomer && in.org_slug) {
    return Fail(ErrorCode::kInvalidArgument, "org is only for customers; staff belong to the vendor");
  }
  if (in.org_admin && in.role != domain::Role::kCustomer) {
    return Fail(ErrorCode::kInvalidArgument, "org_admin is only for customers");
  }
  domain::User u;
  u.org_admin = in.org_admin;
  u.email = std::move(email);
  u.name = in.name;
  u.role = in.role;
  u.created_at = clock_.Now();
  if (!in.lang.empty() && !domain::IsMailLanguage(in.lang)) {
    return Fail(ErrorCode::kInvalidArgument, "lang must be es or en (got '" + in.lang + "')");
  }
  u.lang = in.lang;
  if (!in.password.empty()) {
    SOPORTE_TRY_STATUS(ValidatePassword(in.password));
    SOPORTE_TRY(hash, hasher_.Hash(in.password));
    u.password_hash = std::move(hash);
  }
  return WriteValue(store_, [&](WriteTx& tx) -> Result<domain::User> {
    if (in.org_slug) {
      SOPORTE_TRY(org, VisibleOrg(tx, who, *in.org_slug));
      u.org_id = org.id;
    }
    SOPORTE_TRY(stored, tx.accounts().InsertUser(u));
    // The user's history starts with its creation (and the administrator flag it was given).
    const UserId actor = who.user_id;
    SOPORTE_TRY_STATUS(tx.audit().AppendUserEvent(
        UserEventRecord{0, stored.id, actor, stored.created_at, "created", "",
                        std::string(domain::RoleName(stored.role))}));
    if (stored.org_admin) {
      SOPORTE_TRY_STATUS(tx.audit().AppendUserEvent(
          UserEventRecord{0, stored.id, actor, stored.created_at, "org_admin", "false", "true"}));
    }
    return stored;
  });
}

Result<std::vector<domain::User>> AdminService::ListUsers(const Principal& who,
                                                          const std::optional<std::string>& org_slug) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::User>> {
    if (org_slug) {
      SOPORTE_TRY(org, VisibleOrg(tx, who, *org_slug));
      return tx.accounts().ListUsers(org.id);
    }
    if (!who.staff()) return tx.accounts().ListUsers(who.org_id);
    return tx.accounts().ListUsers(std::nullopt);
  });
}

Status AdminService::SetPassword(const Principal& who, const std::string& email,
                                 const std::string& password) {
  SOPORTE_TRY(normalized, domain::NormalizeEmail(email));
  if (!who.manager() && who.email != normalized) {
    return Fail(ErrorCode::kPermissionDenied, "you may change only your own password");
  }
  SOPORTE_TRY_STATUS(ValidatePassword(password));
  SOPORTE_TRY(hash, hasher_.Hash(password));
  return store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY(user, tx.accounts().GetUserByEmail(normalized));
    user.password_hash = hash;
    return tx.accounts().UpdateUser(user);
  });
}

Result<domain::User> AdminService::SetLanguage(const Principal& who, UserId id, const std::string& lang) {
  UserChange change;
  change.lang = lang;
  return UpdateUser(who, id, change);
}

}  // namespace soporte::app
