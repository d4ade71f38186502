#include "domain/account/account.hpp"

#include <cctype>
#include <stdexcept>

#include <date/tz.h>

namespace soporte::domain {

Status ValidateSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 40) {
    return FailField(ErrorCode::kInvalidArgument, "slug", "slug_format",
                     "slug must have 2 to 40 characters");
  }
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return FailField(ErrorCode::kInvalidArgument, "slug", "slug_format",
                       "slug may contain only lower-case letters a-z, digits and '-'");
    }
  }
  if (slug.front() == '-' || slug.back() == '-') {
    return FailField(ErrorCode::kInvalidArgument, "slug", "slug_format",
                     "slug must not start or end with '-'");
  }
  return Ok();
}

ChannelSet DefaultChannels(sla::Modality m) {
  ChannelSet set;
  set.Add(sla::Channel::kPortal);
  set.Add(sla::Channel::kEmail);
  set.Add(sla::Channel::kChat);
  if (m == sla::Modality::k24x7) set.Add(sla::Channel::kPhone);
  return set;
}

std::chrono::sys_days LocalDate(const std::string& zone, Instant at) {
  try {
    const auto local = date::locate_zone(zone)->to_local(at);
    return std::chrono::sys_days{date::floor<date::days>(local).time_since_epoch()};
  } catch (const std::runtime_error&) {  // unknown zone: contracts' zones are checked when stored
    return std::chrono::floor<std::chrono::days>(at);
  }
}

Status CheckContractAccepts(const Contract& c, sla::Channel channel, Instant at) {
  const auto day = LocalDate(c.zone, at);
  if (day < c.valid_from) {
    return Fail(ErrorCode::kUnprocessable, "the contract is not yet in force");
  }
  if (c.valid_to && day > *c.valid_to) {
    return Fail(ErrorCode::kUnprocessable, "the contract has expired");
  }
  if (!c.channels.Has(channel)) {
    return Fail(ErrorCode::kUnprocessable, "the contract does not include the " +
                                               std::string(sla::Name(channel)) + " channel");
  }
  return Ok();
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kCustomer: return "customer";
    case Role::kAgent: return "agent";
    case Role::kSupervisor: return "supervisor";
    case Role::kAdmin: return "admin";
  }
  return "customer";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (Role r : {Role::kCustomer, Role::kAgent, Role::kSupervisor, Role::kAdmin}) {
    if (RoleName(r) == s) return r;
  }
  return std::nullopt;
}

Result<std::string> NormalizeEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.remove_suffix(1);
  std::string out;
  out.reserve(email.size());
  for (char c : email) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto at = out.find('@');
  if (out.empty() || out.size() > 254 || at == std::string::npos || at == 0 ||
      at + 1 >= out.size() || out.find('@', at + 1) != std::string::npos ||
      out.find_first_of(" \t\r\n<>,;\"") != std::string::npos ||
      out.find('.', at) == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "email is not a valid address (local@domain)");
  }
  return out;
}

}  // namespace soporte::domain
