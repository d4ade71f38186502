// Organisations (the vendor's customers), their contracts, and the people who log in.
// Plain values; permissions live in app/accounts/permissions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/zones.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/modality.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::domain {

struct Organization {
  OrgId id;
  std::string slug;  // [a-z0-9-], 2–40 chars, unique; used in URLs
  std::string name;
  Instant created_at;
};

// Ok for a valid slug; kInvalidArgument naming the rule otherwise.
Status ValidateSlug(std::string_view slug);

// A set of channels, as bits of 1 << Channel.
class ChannelSet {
 public:
  constexpr ChannelSet() = default;
  constexpr explicit ChannelSet(unsigned bits) : bits_(bits) {}
  bool Has(sla::Channel c) const { return bits_ & (1u << static_cast<unsigned>(c)); }
  void Add(sla::Channel c) { bits_ |= 1u << static_cast<unsigned>(c); }
  unsigned bits() const { return bits_; }
  friend bool operator==(ChannelSet, ChannelSet) = default;

 private:
  unsigned bits_ = 0;
};

// The channels a contract of this modality allows by default: every channel for 24x7; all but
// the phone line for 8x5 (the protocol offers the 24x7 phone line to 24x7 contracts only).
ChannelSet DefaultChannels(sla::Modality m);

struct Contract {
  ContractId id;
  OrgId org_id;
  sla::Modality modality = sla::Modality::k8x5;
  std::string zone{calendar::kDefaultZone};
  std::chrono::sys_days valid_from{};
  std::optional<std::chrono::sys_days> valid_to;  // inclusive; none = open-ended
  ChannelSet channels;
  sla::SlaTargets targets;
  Instant created_at;
  // The contract's own business calendar (8x5 only; 0 = the built-in 8x5 calendar). A 24x7
  // contract never has one: it is always open.
  CalendarId calendar_id;

  // The SLA engine's view of this contract without its stored calendar: use it as is only when
  // calendar_id is 0; otherwise set `calendar` to the stored definition (app's ContractSlaOf does).
  sla::ContractSla Sla() const { return sla::ContractSla{modality, zone, targets, nullptr}; }
};

// The calendar date in `zone` (an IANA name) at `at`; the UTC date when the zone is unknown.
// Contract validity dates are dates of the contract's own zone.
std::chrono::sys_days LocalDate(const std::string& zone, Instant at);

// Ok when the contract is in force on its zone's date at `at` (valid_from and valid_to inclusive)
// and allows `channel`; kUnprocessable naming the reason otherwise. The phone line is refused on
// a contract without it.
Status CheckContractAccepts(const Contract& c, sla::Channel channel, Instant at);

enum class Role { kCustomer, kAgent, kSupervisor, kAdmin };
std::string_view RoleName(Role r);  // "customer", "agent", "supervisor", "admin"
std::optional<Role> ParseRole(std::string_view s);
// Agents, supervisors and admins work for the vendor; customers belong to one organisation.
inline bool IsStaff(Role r) { return r != Role::kCustomer; }

struct User {
  UserId id;
  std::string email;  // stored lower-case; unique
  std::string name;
  Role role = Role::kCustomer;
  OrgId org_id;  // valid() exactly when role is customer
  std::string password_hash;  // argon2id string; empty = cannot log in with a password
  bool active = true;
  Instant created_at;
  // The language of the mail we send this user: "es", "en", or "" (not known yet: learnt from
  // the first inbound message that names one, else the desk's default).
  std::string lang;
  // A customer who administers its organisation's profile (and may read its secrets back).
  // Only for customers; staff have their roles.
  bool org_admin = false;
};

// True for a language we write mail in ("es", "en").
inline bool IsMailLanguage(std::string_view lang) { return lang == "es" || lang == "en"; }

// Lower-cases and trims an email; kInvalidArgument when it is not local@domain.
Result<std::string> NormalizeEmail(std::string_view email);

}  // namespace soporte::domain
