// What export and import of a profile document share (profile_export.cpp, profile_import.cpp):
// the passphrase check value, the passphrase size limit, the character count of keys and
// passphrases, and the order in which a document lists entries. Internal to app/profiles.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "domain/profile/profile.hpp"

namespace soporte::app::profile_transfer_detail {

inline constexpr std::size_t kMaxPassphraseBytes = 1024;
inline constexpr char kCheckContext[] = "soporte-profile/v1 check";
inline constexpr char kCheckValue[] = "soporte-profile";

// Characters of UTF-8 text (code points; continuation bytes are not counted).
std::size_t CharCount(std::string_view s);

// The entries in an order a document can be imported in: an entry after its parent and after
// the entry its reference fields name; otherwise by id. A reference that cannot be honoured
// (a cycle, which the use cases never store) is dropped by the caller. The pointers point into
// `all`.
std::vector<const domain::ProfileEntry*> PortableOrder(
    const std::vector<domain::ProfileEntry>& all);

}  // namespace soporte::app::profile_transfer_detail
