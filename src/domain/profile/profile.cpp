#include "domain/profile/profile.hpp"

#include <array>
#include <charconv>

#include "domain/account/account.hpp"

namespace soporte::domain {
namespace {

using K = ProfileKind;
using T = FieldType;

// protocol §1: "direcciones y puertos de acceso, usuarios sistema operativo, rutas de acceso de
// los componentes, comandos de inicialización, información de consolas de administración y
// usuarios de prueba del producto".
constexpr FieldSpec kEnvironmentFields[] = {
    {"kind", T::kChoice, true, "dev,qa,prod"},
    {"name", T::kText, true},
    {"notes", T::kLongText},
};
constexpr FieldSpec kHostFields[] = {
    {"name", T::kText},
    {"address", T::kText, true},
    {"port", T::kPort},
    {"notes", T::kLongText},
};
constexpr FieldSpec kOsUserFields[] = {
    {"user", T::kText, true},
    {"password", T::kSecret},
    {"notes", T::kLongText},
};
constexpr FieldSpec kComponentPathFields[] = {
    {"component", T::kText, true},
    {"path", T::kText, true},
};
constexpr FieldSpec kStartCommandFields[] = {
    {"component", T::kText},
    {"command", T::kLongText, true},
};
constexpr FieldSpec kAdminConsoleFields[] = {
    {"name", T::kText, true},
    {"url", T::kText, true},
    {"user", T::kText},
    {"password", T::kSecret},
};
constexpr FieldSpec kTestUserFields[] = {
    {"user", T::kText, true},
    {"password", T::kSecret},
    {"notes", T::kLongText},
};
// protocol §2: "versiones de cada uno de los componentes del producto y si tienen parches".
constexpr FieldSpec kComponentFields[] = {
    {"name", T::kText, true},
    {"version", T::kText, true},
    {"notes", T::kLongText},
};
constexpr FieldSpec kPatchFields[] = {
    {"name", T::kText, true},
    {"applied_on", T::kDate},
    {"notes", T::kLongText},
};
// protocol §3: "Nombres y apellidos / Teléfono / Número de Extensión / Correo electrónico",
// and an organisation chart (reports_to).
constexpr FieldSpec kContactFields[] = {
    {"name", T::kText, true},
    {"role", T::kText},
    {"phone", T::kText},
    {"extension", T::kText},
    {"email", T::kEmail},
    {"reports_to", T::kRef, false, "", K::kContact},
};
// protocol §4: "Información de acceso remoto".
constexpr FieldSpec kRemoteAccessFields[] = {
    {"method", T::kChoice, true, "vpn,rdp,ssh,jump_host,other"},
    {"address", T::kText, true},
    {"user", T::kText},
    {"password", T::kSecret},
    {"private_key", T::kSecret},
    {"instructions", T::kLongText},
};

constexpr std::array<KindSpec, 11> kKinds = {{
    {K::kEnvironment, "environment", "environments", std::nullopt, false, kEnvironmentFields},
    {K::kHost, "host", "hosts", K::kEnvironment, true, kHostFields},
    {K::kOsUser, "os_user", "os_users", K::kEnvironment, true, kOsUserFields},
    {K::kComponentPath, "component_path", "component_paths", K::kEnvironment, true, kComponentPathFields},
    {K::kStartCommand, "start_command", "start_commands", K::kEnvironment, true, kStartCommandFields},
    {K::kAdminConsole, "admin_console", "admin_consoles", K::kEnvironment, true, kAdminConsoleFields},
    {K::kTestUser, "test_user", "test_users", K::kEnvironment, true, kTestUserFields},
    {K::kComponent, "component", "components", K::kEnvironment, true, kComponentFields},
    {K::kPatch, "patch", "patches", K::kComponent, true, kPatchFields},
    {K::kContact, "contact", "contacts", std::nullopt, false, kContactFields},
    {K::kRemoteAccess, "remote_access", "remote_access", K::kEnvironment, false, kRemoteAccessFields},
}};

bool HasChoice(std::string_view choices, std::string_view v) {
  while (!choices.empty()) {
    const auto comma = choices.find(',');
    if (choices.substr(0, comma) == v) return true;
    if (comma == std::string_view::npos) break;
    choices.remove_prefix(comma + 1);
  }
  return false;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) return false;
  int y = 0, m = 0, d = 0;
  std::from_chars(s.data(), s.data() + 4, y);
  std::from_chars(s.data() + 5, s.data() + 7, m);
  std::from_chars(s.data() + 8, s.data() + 10, d);
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  return ymd.ok();
}

Status Invalid(std::string_view field, std::string rule) {
  return Fail(ErrorCode::kInvalidArgument, std::string(field) + " " + std::move(rule));
}

Status CheckValue(const FieldSpec& f, const std::string& v) {
  const std::size_t limit = f.type == T::kLongText ? 10000 : 500;
  if (v.size() > limit) return Invalid(f.name, "must have at most " + std::to_string(limit) + " characters");
  for (unsigned char c : v) {
    if (c < 0x20 && !(f.type == T::kLongText && (c == '\n' || c == '\t' || c == '\r'))) {
      return Invalid(f.name, "must not contain control characters");
    }
  }
  switch (f.type) {
    case T::kPort: {
      if (!AllDigits(v) || v.size() > 5 || std::stoi(v) < 1 || std::stoi(v) > 65535) {
        return Invalid(f.name, "must be a port number from 1 to 65535 (got '" + v + "')");
      }
      break;
    }
    case T::kDate:
      if (!ValidDate(v)) return Invalid(f.name, "must be a date YYYY-MM-DD (got '" + v + "')");
      break;
    case T::kEmail:
      if (!NormalizeEmail(v)) return Invalid(f.name, "must be an e-mail address (got '" + v + "')");
      break;
    case T::kChoice:
      if (!HasChoice(f.choices, v)) {
        return Invalid(f.name, "must be one of " + std::string(f.choices) + " (got '" + v + "')");
      }
      break;
    case T::kRef:
      if (!AllDigits(v) || v.size() > 18 || v == "0") return Invalid(f.name, "must be an entry id");
      break;
    default:
      break;
  }
  return Ok();
}

}  // namespace

std::span<const KindSpec> ProfileKinds() { return kKinds; }

const KindSpec& SpecOf(ProfileKind k) { return kKinds[static_cast<std::size_t>(k)]; }

std::optional<ProfileKind> ParseProfileKind(std::string_view name) {
  for (const auto& s : kKinds) {
    if (s.name == name) return s.kind;
  }
  return std::nullopt;
}

std::optional<ProfileKind> ParseProfileKindPlural(std::string_view plural) {
  for (const auto& s : kKinds) {
    if (s.plural == plural) return s.kind;
  }
  return std::nullopt;
}

const FieldSpec* FieldOf(ProfileKind k, std::string_view name) {
  for (const auto& f : SpecOf(k).fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Status NormalizeFields(ProfileKind k, std::map<std::string, std::string>& fields) {
  for (auto it = fields.begin(); it != fields.end();) {
    const FieldSpec* f = FieldOf(k, it->first);
    if (f == nullptr || f->type == T::kSecret) {
      return Fail(ErrorCode::kInvalidArgument, "unknown field '" + it->first + "' for a " +
                                                   std::string(SpecOf(k).name));
    }
    if (it->second.empty()) {
      it = fields.erase(it);
      continue;
    }
    SOPORTE_TRY_STATUS(CheckValue(*f, it->second));
    ++it;
  }
  for (const auto& f : SpecOf(k).fields) {
    if (f.required && !fields.contains(std::string(f.name))) {
      return Invalid(f.name, "is required for a " + std::string(SpecOf(k).name));
    }
  }
  return Ok();
}

std::vector<std::string_view> SecretFields(ProfileKind k) {
  std::vector<std::string_view> out;
  for (const auto& f : SpecOf(k).fields) {
    if (f.type == T::kSecret) out.push_back(f.name);
  }
  return out;
}

std::string DescribeChange(ProfileKind k, const std::map<std::string, std::string>* before,
                           const std::map<std::string, std::string>& after,
                           const std::vector<std::string>& secrets_changed) {
  std::string out;
  auto add = [&out](const std::string& s) {
    if (!out.empty()) out += "; ";
    out += s;
  };
  for (const auto& f : SpecOf(k).fields) {
    if (f.type == T::kSecret) continue;
    const std::string name(f.name);
    const auto a = after.find(name);
    const std::string now = a == after.end() ? "" : a->second;
    std::string was;
    if (before != nullptr) {
      const auto b = before->find(name);
      if (b != before->end()) was = b->second;
    }
    if (now == was) continue;
    auto shorten = [](const std::string& s) { return s.size() > 80 ? s.substr(0, 77) + "..." : s; };
    if (before == nullptr) {
      add(name + ": " + shorten(now));
    } else {
      add(name + ": " + (was.empty() ? "-" : shorten(was)) + " -> " + (now.empty() ? "-" : shorten(now)));
    }
  }
  for (const auto& s : secrets_changed) add(s + " changed");
  return out;
}

}  // namespace soporte::domain
