// The i18n catalog: every text a user reads from the C++ side (command line, API error messages,
// email) comes from here, Spanish first and English second. Each area keeps its own table in a
// messages_<area>.cpp file and lists it in catalog.cpp; keys are dotted ("sla.explain.total").
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace soporte::transport::i18n {

enum class Lang { kEs, kEn };

// Parses "es", "en", "es-CO", "en-US"… (case-insensitive, region ignored); nullopt otherwise.
std::optional<Lang> ParseLang(std::string_view tag);
// Picks the first supported language in an Accept-Language header; Spanish when none fits.
Lang FromAcceptLanguage(std::string_view header);

struct Message {
  std::string_view key;
  std::string_view es;
  std::string_view en;
};

// The text for `key` in `lang`. A missing key is a bug: returns the key itself so it shows.
std::string_view Text(Lang lang, std::string_view key);

// Text(lang, key) formatted with fmt-style arguments ("{}" placeholders).
template <class... Args>
std::string Format(Lang lang, std::string_view key, Args&&... args) {
  return fmt::format(fmt::runtime(Text(lang, key)), std::forward<Args>(args)...);
}

// Each area's table (defined in messages_<area>.cpp, collected by catalog.cpp).
std::span<const Message> SlaMessages();
std::span<const Message> ApiMessages();
std::span<const Message> MailMessages();
std::span<const Message> ReportMessages();

}  // namespace soporte::transport::i18n
