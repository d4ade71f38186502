#include "app/settings/contact_settings.hpp"

#include <array>
#include <cctype>
#include <utility>

#include "app/audit/audit_log.hpp"
#include "domain/account/account.hpp"

namespace soporte::app {
namespace {

constexpr const char* kEmail = "contact.support_email";
constexpr const char* kPhone = "contact.phone";
constexpr const char* kPortal = "contact.portal_url";
constexpr const char* kHoursEs = "contact.hours_es";
constexpr const char* kHoursEn = "contact.hours_en";
constexpr const char* kGreetingEs = "chat.greeting_es";
constexpr const char* kGreetingEn = "chat.greeting_en";
constexpr const char* kColor = "chat.color";

std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

Status Invalid(std::string message) { return Fail(ErrorCode::kInvalidArgument, std::move(message)); }

bool ValidUrl(const std::string& url) {
  std::string_view rest;
  if (url.starts_with("https://")) rest = std::string_view(url).substr(8);
  else if (url.starts_with("http://")) rest = std::string_view(url).substr(7);
  else return false;
  const auto host_end = rest.find_first_of("/?#");
  const std::string_view host = rest.substr(0, host_end);
  if (host.empty() || host.front() == ':' || host.find('@') != std::string_view::npos) return false;
  for (unsigned char c : url) {
    if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == 0x7f) return false;
  }
  return true;
}

// Code points of valid UTF-8 text; -1 when it is not valid UTF-8 or holds a control character.
long Characters(const std::string& s) {
  long n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xe  ? 3
                      : (c >> 3) == 0x1e ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return -1;
    }
    if (len == 1 && (c < 0x20 || c == 0x7f)) return -1;
    i += len;
    ++n;
  }
  return n;
}

Status CheckGreeting(const std::string& g, const char* field) {
  const long n = Characters(g);
  if (n < 0) return Invalid(std::string(field) + ": one line of text, without control characters");
  if (static_cast<std::size_t>(n) > kMaxChatGreeting) {
    return Invalid(std::string(field) + ": at most " + std::to_string(kMaxChatGreeting) +
                   " characters");
  }
  return Ok();
}

bool ValidColor(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (std::size_t i = 1; i < 7; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  }
  return true;
}

}  // namespace

Status ValidateContactSettings(const ContactSettings& s) {
  if (!s.support_email.empty()) {
    auto e = domain::NormalizeEmail(s.support_email);
    if (!e || s.support_email.size() > 254) return Invalid("support_email: not a valid email address");
  }
  if (s.phone.size() > 40) return Invalid("phone: at most 40 characters");
  for (unsigned char c : s.phone) {
    if (!(std::isdigit(c) || c == ' ' || c == '+' || c == '(' || c == ')' || c == '-' || c == '.')) {
      return Invalid("phone: only digits, spaces and + ( ) - . are allowed");
    }
  }
  if (!s.portal_url.empty()) {
    if (s.portal_url.size() > 500 || !ValidUrl(s.portal_url)) {
      return Invalid("portal_url: must be an http:// or https:// address such as https://soporte.example.com/");
    }
  }
  if (s.hours_es.size() > 500) return Invalid("hours_es: at most 500 characters");
  if (s.hours_en.size() > 500) return Invalid("hours_en: at most 500 characters");
  SOPORTE_TRY_STATUS(CheckGreeting(s.chat_greeting_es, "chat_greeting_es"));
  SOPORTE_TRY_STATUS(CheckGreeting(s.chat_greeting_en, "chat_greeting_en"));
  if (!s.chat_color.empty() && !ValidColor(s.chat_color)) {
    return Invalid("chat_color: a colour as #rrggbb, such as #0b5cad");
  }
  return Ok();
}

ContactSettingsService::ContactSettingsService(Store& store, const Clock& clock, ContactSettings defaults)
    : store_(store), clock_(clock), defaults_(std::move(defaults)) {}

Result<ContactSettings> ContactSettingsService::Get() const {
  SOPORTE_TRY(rows, ReadValue(store_, [](ReadTx& tx) { return tx.settings().ListSettings(); }));
  ContactSettings out = defaults_;
  for (const auto& r : rows) {
    if (r.key == kEmail) out.support_email = r.value;
    else if (r.key == kPhone) out.phone = r.value;
    else if (r.key == kPortal) out.portal_url = r.value;
    else if (r.key == kHoursEs) out.hours_es = r.value;
    else if (r.key == kHoursEn) out.hours_en = r.value;
    else if (r.key == kGreetingEs)
      out.chat_greeting_es = r.value;
    else if (r.key == kGreetingEn)
      out.chat_greeting_en = r.value;
    else if (r.key == kColor)
      out.chat_color = r.value;
  }
  return out;
}

Result<ContactSettings> ContactSettingsService::Put(const Principal& who, ContactSettings in) {
  if (who.role != domain::Role::kAdmin) {
    return Fail(ErrorCode::kPermissionDenied, "only an admin may change the contact settings");
  }
  in.support_email = Trim(std::move(in.support_email));
  in.phone = Trim(std::move(in.phone));
  in.portal_url = Trim(std::move(in.portal_url));
  in.hours_es = Trim(std::move(in.hours_es));
  in.hours_en = Trim(std::move(in.hours_en));
  in.chat_greeting_es = Trim(std::move(in.chat_greeting_es));
  in.chat_greeting_en = Trim(std::move(in.chat_greeting_en));
  in.chat_color = Trim(std::move(in.chat_color));
  for (char& c : in.chat_color) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  SOPORTE_TRY_STATUS(ValidateContactSettings(in));
  if (!in.support_email.empty()) in.support_email = *domain::NormalizeEmail(in.support_email);
  const Instant now = clock_.Now();
  const std::array<std::pair<const char*, const std::string*>, 8> fields{
      {{kEmail, &in.support_email},
       {kPhone, &in.phone},
       {kPortal, &in.portal_url},
       {kHoursEs, &in.hours_es},
       {kHoursEn, &in.hours_en},
       {kGreetingEs, &in.chat_greeting_es},
       {kGreetingEn, &in.chat_greeting_en},
       {kColor, &in.chat_color}}};
  const std::array<const std::string*, 8> defaults{
      &defaults_.support_email,    &defaults_.phone,     &defaults_.portal_url,
      &defaults_.hours_es,         &defaults_.hours_en,  &defaults_.chat_greeting_es,
      &defaults_.chat_greeting_en, &defaults_.chat_color};
  SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) -> Status {
    // Each key that changes is audited, old value to new, in the same transaction.
    SOPORTE_TRY(rows, tx.settings().ListSettings());
    AuditFields before, after;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& [key, value] = fields[i];
      std::string old = *defaults[i];
      for (const auto& r : rows) {
        if (r.key == key) old = r.value;
      }
      before.emplace_back(key, std::move(old));
      after.emplace_back(key, *value);
      SOPORTE_TRY_STATUS(tx.settings().PutSetting(SettingRecord{key, *value, now}));
    }
    return AppendAuditChanges(tx, who, now, AuditSubject{"settings", 0, ""}, before, after);
  }));
  return in;
}

}  // namespace soporte::app
