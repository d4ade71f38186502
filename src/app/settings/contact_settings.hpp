// The vendor's contact settings customers see in the portal (support address, phone line, portal
// URL, hours in Spanish and English) and the base of the links mailed to users. Stored in the
// store (0003_web.sql) and edited by admins; a setting never stored falls back to the value
// `soporte serve` was started with. The live chat's greeting (Spanish, English) and colour live
// here too (keys chat.*): the widget asks for them before a chat (GET /api/v1/chats/config).
// Thread-safe (state lives in the store).
#pragma once

#include <optional>
#include <cstddef>
#include <string>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct ContactSettings {
  std::string support_email;
  std::string phone;
  std::string portal_url;
  std::string hours_es;
  std::string hours_en;
  // The chat widget's greeting in each language ("" = the widget's own) and its colour, "#rrggbb"
  // ("" = the widget's own).
  std::string chat_greeting_es;
  std::string chat_greeting_en;
  std::string chat_color;
};

// The longest chat greeting, in characters (UTF-8 code points).
inline constexpr std::size_t kMaxChatGreeting = 200;

// Ok when every field may be stored; kInvalidArgument naming the first bad field otherwise
// ("support_email: …"). Empty fields are allowed (the portal then does not show them).
Status ValidateContactSettings(const ContactSettings& s);

class ContactSettingsService {
 public:
  // `defaults` are the values used for settings never stored (from `soporte serve` options).
  ContactSettingsService(Store& store, const Clock& clock, ContactSettings defaults);

  // The current settings (stored values over the defaults). Any logged-in user may read them.
  Result<ContactSettings> Get() const;
  // Stores all eight fields (trimmed; the colour lower-cased). kPermissionDenied unless `who` is an
  // admin; kInvalidArgument naming the field (ValidateContactSettings). Returns the stored
  // settings.
  Result<ContactSettings> Put(const Principal& who, ContactSettings in);

 private:
  Store& store_;
  const Clock& clock_;
  ContactSettings defaults_;
};

}  // namespace soporte::app
