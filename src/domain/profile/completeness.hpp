// The four kinds of information the support protocol asks of every customer
// (protocolo-soporte.txt, "Información requerida", items 1–4): its environments, the versions of
// its components (with their patches), its support contacts and its remote access. A profile
// lacks an area while it has no entry of the area's kind; the organisations directory shows and
// filters by what is missing.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "domain/profile/profile.hpp"

namespace soporte::domain {

enum class ProfileArea { kEnvironments, kVersions, kContacts, kRemoteAccess };

inline constexpr std::array<ProfileArea, 4> kProfileAreas = {
    ProfileArea::kEnvironments, ProfileArea::kVersions, ProfileArea::kContacts,
    ProfileArea::kRemoteAccess};

// "environments", "versions", "contacts", "remote_access" (the API's words).
std::string_view ProfileAreaName(ProfileArea a);
// The area of one of those names; nullopt for any other text.
std::optional<ProfileArea> ParseProfileArea(std::string_view s);
// The entry kind whose presence fills the area: environment, component, contact, remote access.
ProfileKind AreaKind(ProfileArea a);

}  // namespace soporte::domain
