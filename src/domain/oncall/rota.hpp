// The on-call rota: who carries the out-of-hours phone at any instant. A rota is a weekly pattern
// of shifts in a time zone (e.g. "Mon 18:00 → Tue 08:00", weekends), one-off overrides (swap a
// night, cover a holiday) and, per shift, a primary and a secondary; the escalation chain is
// primary, secondary, then the supervisors. Pure and DST-safe: shifts follow the zone's wall
// clock (a shift starting in a spring-forward gap starts when the gap ends; in a repeated hour,
// at its first occurrence). No store, no clock; every function is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/zones.hpp"

namespace soporte::domain::oncall {

// One weekly shift: starts on `start_day` (0 = Monday … 6 = Sunday) at local `start` (seconds
// since midnight, < 24 h) and lasts `length` of wall-clock time (> 0, <= 7 days).
struct RotaShift {
  unsigned start_day = 0;
  Seconds start{0};
  Seconds length{0};
  UserId primary;    // required
  UserId secondary;  // optional (invalid = none)
  friend bool operator==(const RotaShift&, const RotaShift&) = default;
};

// Who an override puts on call: 0 = the primary, 1 = the secondary.
inline constexpr int kPrimaryLevel = 0;
inline constexpr int kSecondaryLevel = 1;
inline constexpr int kSupervisorLevel = 2;

// One-off replacement over [from, until): `user` takes `level` (primary or secondary).
struct RotaOverride {
  Instant from;
  Instant until;
  int level = kPrimaryLevel;
  UserId user;
  std::string note;  // why (e.g. "Festivo: cubre Ana"); up to 200 characters
  friend bool operator==(const RotaOverride&, const RotaOverride&) = default;
};

struct Rota {
  std::int64_t id = 0;       // 0 until stored
  std::int64_t version = 0;  // 1 when stored; +1 on every change
  std::string name;          // 1–100 characters
  std::string zone{calendar::kDefaultZone};
  std::vector<RotaShift> shifts;
  std::vector<RotaOverride> overrides;
  Instant created_at;
  Instant updated_at;
  friend bool operator==(const Rota&, const Rota&) = default;
};

// Ok for a rota the arithmetic can count on; kInvalidArgument naming the field of the first
// problem ("name", "zone", "shifts[2].start", "shifts[1]: overlaps shifts[0]",
// "overrides[0].until"…): an empty or long name, an unknown zone, a start day or time out of
// range, a length of zero or over a week, a shift without a primary, two shifts that overlap in
// the week (touching is fine), an override that is empty, of an unknown level, without a user,
// or overlapping another override of the same level. Users are not checked here (the app does).
Status ValidateRota(const Rota& rota);

// Who is on call at `t`, and over which stretch that answer holds.
struct OnCall {
  UserId primary;    // invalid when no shift covers t and no override names a primary
  UserId secondary;  // invalid when none
  Instant from;      // the stretch [from, until) around t over which primary and secondary hold
  Instant until;
  bool overridden = false;  // an override decided primary or secondary
  friend bool operator==(const OnCall&, const OnCall&) = default;
};

// Who is on call at `t` in a valid rota (ValidateRota): the covering shift's primary and
// secondary, each replaced by the override of its level covering t (if any). `from`/`until`
// bound the stretch within one week either side of t.
OnCall OnCallAt(const Rota& rota, Instant t);

// The stretches of [from, until) with who is on call in each, consecutive equal stretches
// merged (the console's "next two weeks"). Stretches with nobody on call are included (primary
// invalid). `until - from` is capped at 62 days.
std::vector<OnCall> Schedule(const Rota& rota, Instant from, Instant until);

// The escalation chain of `on_call`: level 0 the primary, level 1 the secondary (when set and
// distinct from the primary), level 2 the supervisors (those not already paged above). Empty
// levels are left out, so the chain may be shorter than three.
struct ChainLevel {
  int level = kPrimaryLevel;
  std::vector<UserId> users;
  friend bool operator==(const ChainLevel&, const ChainLevel&) = default;
};
std::vector<ChainLevel> EscalationChain(const OnCall& on_call,
                                        const std::vector<UserId>& supervisors);

// The level that follows `level` in `chain`, or nullopt when `level` is the last.
std::optional<ChainLevel> NextLevel(const std::vector<ChainLevel>& chain, int level);

}  // namespace soporte::domain::oncall
