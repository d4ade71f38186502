// The JSON of the vendor's contact settings (docs/api.md, "Web UI": GET and PUT /api/v1/settings):
// support address, phone, portal URL and opening hours in both languages, as the mail templates
// and the UI show them.
#pragma once

#include <string_view>

#include <boost/json.hpp>

#include "app/settings/contact_settings.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

// {support_email, phone, portal_url, hours_es, hours_en, chat_greeting_es, chat_greeting_en,
// chat_color}.
boost::json::value ContactSettingsJson(const app::ContactSettings& s);
// GET /api/v1/settings/public (no session): {support_email, phone} only — how a visitor without
// an account asks for one, and the out-of-hours line; nothing else of the settings.
boost::json::value PublicContactJson(const app::ContactSettings& s);
// PUT /api/v1/settings: fields absent from the body keep their value in `current`; unknown fields
// and non-strings are refused (kInvalidArgument naming the field).
Result<app::ContactSettings> ParseContactSettings(std::string_view body,
                                                  app::ContactSettings current);

}  // namespace soporte::transport::api::codec
