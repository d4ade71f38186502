// What export and import share: the identifying fields of each kind, the context a document
// secret is sealed under, the portable order of entries; ProfileTransfer::Export is in
// profile_export.cpp, ProfileTransfer::Import in profile_import.cpp.
#include "app/profiles/profile_transfer.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "app/profiles/profile_transfer_common.hpp"

namespace soporte::app {
namespace {

using domain::FieldType;
using domain::ProfileEntry;
using domain::ProfileEntryId;
using domain::ProfileKind;

// Which fields identify an entry among its siblings when merging (see IdentityFields).
constexpr std::string_view kByKindAndName[] = {"kind", "name"};
constexpr std::string_view kByAddressAndPort[] = {"address", "port"};
constexpr std::string_view kByUser[] = {"user"};
constexpr std::string_view kByComponentAndPath[] = {"component", "path"};
constexpr std::string_view kByComponentAndCommand[] = {"component", "command"};
constexpr std::string_view kByName[] = {"name"};
constexpr std::string_view kByMethodAndAddress[] = {"method", "address"};

}  // namespace

namespace profile_transfer_detail {

using domain::FieldType;
using domain::ProfileEntry;

std::size_t CharCount(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::vector<const ProfileEntry*> PortableOrder(const std::vector<ProfileEntry>& all) {
  std::set<std::int64_t> present, placed;
  for (const auto& e : all) present.insert(e.id.value());
  auto ready = [&](const ProfileEntry& e) {
    if (e.parent.valid() && present.contains(e.parent.value()) && !placed.contains(e.parent.value())) return false;
    for (const auto& f : domain::SpecOf(e.kind).fields) {
      if (f.type != FieldType::kRef) continue;
      auto it = e.fields.find(std::string(f.name));
      if (it == e.fields.end()) continue;
      const std::int64_t target = std::stoll(it->second);
      if (target != e.id.value() && present.contains(target) && !placed.contains(target)) return false;
    }
    return true;
  };
  std::vector<const ProfileEntry*> out;
  std::vector<bool> done(all.size(), false);
  for (bool progress = true; progress && out.size() < all.size();) {
    progress = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (done[i] || !ready(all[i])) continue;
      done[i] = true;
      placed.insert(all[i].id.value());
      out.push_back(&all[i]);
      progress = true;
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!done[i]) out.push_back(&all[i]);
  }
  return out;
}

}  // namespace profile_transfer_detail

std::span<const std::string_view> IdentityFields(ProfileKind kind) {
  switch (kind) {
    case ProfileKind::kEnvironment: return kByKindAndName;
    case ProfileKind::kHost: return kByAddressAndPort;
    case ProfileKind::kOsUser: return kByUser;
    case ProfileKind::kComponentPath: return kByComponentAndPath;
    case ProfileKind::kStartCommand: return kByComponentAndCommand;
    case ProfileKind::kAdminConsole: return kByName;
    case ProfileKind::kTestUser: return kByUser;
    case ProfileKind::kComponent: return kByName;
    case ProfileKind::kPatch: return kByName;
    case ProfileKind::kContact: return kByName;
    case ProfileKind::kRemoteAccess: return kByMethodAndAddress;
  }
  return kByName;
}

std::string DocumentSecretContext(std::string_view entry_key, std::string_view field) {
  return "soporte-profile/v1 entry=" + std::string(entry_key) + " field=" + std::string(field);
}

ProfileTransfer::ProfileTransfer(Store& store, const SecretBox& box, const PassphraseCrypto& crypto,
                                 const Clock& clock)
    : store_(store), box_(box), crypto_(crypto), clock_(clock) {}
}  // namespace soporte::app
