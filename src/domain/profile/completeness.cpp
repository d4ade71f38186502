#include "domain/profile/completeness.hpp"

namespace soporte::domain {

std::string_view ProfileAreaName(ProfileArea a) {
  switch (a) {
    case ProfileArea::kEnvironments: return "environments";
    case ProfileArea::kVersions: return "versions";
    case ProfileArea::kContacts: return "contacts";
    case ProfileArea::kRemoteAccess: return "remote_access";
  }
  return "environments";
}

std::optional<ProfileArea> ParseProfileArea(std::string_view s) {
  for (ProfileArea a : kProfileAreas)
    if (ProfileAreaName(a) == s) return a;
  return std::nullopt;
}

ProfileKind AreaKind(ProfileArea a) {
  switch (a) {
    case ProfileArea::kEnvironments: return ProfileKind::kEnvironment;
    case ProfileArea::kVersions: return ProfileKind::kComponent;
    case ProfileArea::kContacts: return ProfileKind::kContact;
    case ProfileArea::kRemoteAccess: return ProfileKind::kRemoteAccess;
  }
  return ProfileKind::kEnvironment;
}

}  // namespace soporte::domain
