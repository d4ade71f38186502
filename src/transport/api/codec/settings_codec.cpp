#include "transport/api/codec/settings_codec.hpp"

#include <utility>

#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {

Result<app::ContactSettings> ParseContactSettings(std::string_view body,
                                                  app::ContactSettings current) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  for (auto [key, field] :
       {std::pair{"support_email", &current.support_email}, std::pair{"phone", &current.phone},
        std::pair{"portal_url", &current.portal_url}, std::pair{"hours_es", &current.hours_es},
        std::pair{"hours_en", &current.hours_en},
        std::pair{"chat_greeting_es", &current.chat_greeting_es},
        std::pair{"chat_greeting_en", &current.chat_greeting_en},
        std::pair{"chat_color", &current.chat_color}}) {
    SOPORTE_TRY(v, r.String(key));
    if (v) *field = std::move(*v);
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return current;
}

json::value PublicContactJson(const app::ContactSettings& c) {
  return json::object{{"support_email", c.support_email}, {"phone", c.phone}};
}

json::value ContactSettingsJson(const app::ContactSettings& c) {
  return json::object{{"support_email", c.support_email},
                      {"phone", c.phone},
                      {"portal_url", c.portal_url},
                      {"hours_es", c.hours_es},
                      {"hours_en", c.hours_en},
                      {"chat_greeting_es", c.chat_greeting_es},
                      {"chat_greeting_en", c.chat_greeting_en},
                      {"chat_color", c.chat_color}};
}

}  // namespace soporte::transport::api::codec
