// Who is calling: the authenticated user as the use cases see it. Travels with each request
// (transport fills it once per request); never a global.
#pragma once

#include <string>

#include "common/ids.hpp"
#include "domain/account/account.hpp"

namespace soporte::app {

// The SLA vocabulary (Criticality, Channel, Modality, SlaEngine) is used unqualified as sla::.
namespace sla = domain::sla;

struct Principal {
  UserId user_id;
  domain::Role role = domain::Role::kCustomer;
  OrgId org_id;  // valid for customers only
  std::string email;
  std::string name;
  bool org_admin = false;  // a customer who administers its organisation's profile
  // Where the request came from (the client address the HTTP layer saw), for the audit log;
  // "" for the system (the command line).
  std::string address;

  bool staff() const { return domain::IsStaff(role); }
  bool manager() const {
    return role == domain::Role::kSupervisor || role == domain::Role::kAdmin;
  }
  // True when this principal may see things that belong to organisation `org`: staff see every
  // organisation, a customer only its own.
  bool CanSeeOrg(OrgId org) const { return staff() || org_id == org; }
  // True when this principal administers organisation `org` as its customer.
  bool AdministersOrg(OrgId org) const { return !staff() && org_admin && org_id == org; }
};

inline Principal PrincipalOf(const domain::User& u) {
  return Principal{u.id, u.role, u.org_id, u.email, u.name, u.role == domain::Role::kCustomer && u.org_admin};
}

}  // namespace soporte::app

namespace soporte::app {

// The principal of the command line run by the machine's administrator (`soporte org add`…):
// an admin with no user behind it.
inline Principal SystemPrincipal() {
  return Principal{UserId{}, domain::Role::kAdmin, OrgId{}, "system", "system"};
}

}  // namespace soporte::app
