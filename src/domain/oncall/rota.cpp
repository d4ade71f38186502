#include "domain/oncall/rota.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include <date/tz.h>

namespace soporte::domain::oncall {
namespace {

constexpr Seconds kDay{86400};
constexpr Seconds kWeek{7 * 86400};
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxNote = 200;
constexpr std::size_t kMaxShifts = 100;
constexpr std::size_t kMaxOverrides = 500;

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

std::string Field(const char* list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

// The zone of a validated rota (locate_zone throws only for an unknown name).
const date::time_zone* ZoneOf(const Rota& rota) { return calendar::ZoneOrUtc(rota.zone); }

// A local wall-clock time as an instant: in a gap, the instant the gap ends; in a repeated hour,
// its first occurrence (date/tz: choose::earliest gives both).
Instant ToSys(const date::time_zone* zone, date::local_seconds local) {
  return zone->to_sys(local, date::choose::earliest);
}

struct Occurrence {
  Instant from;
  Instant until;
  const RotaShift* shift;
};

// The occurrences of every shift that start in the local weeks [week - 1, week + 1] around
// `local_monday` (a shift lasts at most a week, so these cover any instant of that week).
std::vector<Occurrence> OccurrencesAround(const Rota& rota, const date::time_zone* zone,
                                          date::local_days local_monday, int weeks_before,
                                          int weeks_after) {
  std::vector<Occurrence> out;
  for (int w = -weeks_before; w <= weeks_after; ++w) {
    for (const RotaShift& s : rota.shifts) {
      const date::local_seconds start =
          date::local_days{local_monday + date::days{7 * w + static_cast<int>(s.start_day)}} +
          s.start;
      out.push_back(Occurrence{ToSys(zone, start), ToSys(zone, start + s.length), &s});
    }
  }
  return out;
}

date::local_days LocalMondayOf(const date::time_zone* zone, Instant t) {
  const auto local_day = date::floor<date::days>(zone->to_local(t));
  const date::weekday wd{local_day};
  return local_day - date::days{wd.iso_encoding() - 1};
}

}  // namespace

Status ValidateRota(const Rota& rota) {
  if (rota.name.empty()) return tl::make_unexpected(Invalid("name: required"));
  if (rota.name.size() > kMaxName)
    return tl::make_unexpected(Invalid("name: longer than 100 characters"));
  try {
    (void)date::locate_zone(rota.zone);
  } catch (const std::exception&) {
    return tl::make_unexpected(Invalid("zone: '" + rota.zone + "' is not a known IANA time zone"));
  }
  if (rota.shifts.size() > kMaxShifts) return tl::make_unexpected(Invalid("shifts: more than 100"));
  if (rota.overrides.size() > kMaxOverrides) {
    return tl::make_unexpected(Invalid("overrides: more than 500"));
  }
  for (std::size_t i = 0; i < rota.shifts.size(); ++i) {
    const RotaShift& s = rota.shifts[i];
    const std::string f = Field("shifts", i);
    if (s.start_day > 6) return tl::make_unexpected(Invalid(f + ".day: not a weekday"));
    if (s.start < Seconds{0} || s.start >= kDay) {
      return tl::make_unexpected(Invalid(f + ".start: not a time of day (00:00–23:59)"));
    }
    if (s.length <= Seconds{0} || s.length > kWeek) {
      return tl::make_unexpected(
          Invalid(f + ".end: the shift must last between 1 minute and 7 days"));
    }
    if (!s.primary.valid()) return tl::make_unexpected(Invalid(f + ".primary: required"));
  }
  // Overlap in the week, modulo a week: [a, a+len) against [b, b+len) shifted by -1, 0, +1 weeks.
  for (std::size_t i = 0; i < rota.shifts.size(); ++i) {
    const auto& a = rota.shifts[i];
    const Seconds a0 = kDay * a.start_day + a.start;
    for (std::size_t j = 0; j < i; ++j) {
      const auto& b = rota.shifts[j];
      const Seconds b0 = kDay * b.start_day + b.start;
      for (int w = -1; w <= 1; ++w) {
        const Seconds bs = b0 + kWeek * w;
        if (a0 < bs + b.length && bs < a0 + a.length) {
          return tl::make_unexpected(
              Invalid(Field("shifts", i) + ": overlaps " + Field("shifts", j)));
        }
      }
    }
  }
  for (std::size_t i = 0; i < rota.overrides.size(); ++i) {
    const RotaOverride& o = rota.overrides[i];
    const std::string f = Field("overrides", i);
    if (o.until <= o.from) return tl::make_unexpected(Invalid(f + ".until: must be after from"));
    if (o.until - o.from > Seconds{62 * 86400}) {
      return tl::make_unexpected(Invalid(f + ".until: an override lasts at most 62 days"));
    }
    if (o.level != kPrimaryLevel && o.level != kSecondaryLevel) {
      return tl::make_unexpected(Invalid(f + ".level: must be primary or secondary"));
    }
    if (!o.user.valid()) return tl::make_unexpected(Invalid(f + ".user: required"));
    if (o.note.size() > kMaxNote) {
      return tl::make_unexpected(Invalid(f + ".note: longer than 200 characters"));
    }
    for (std::size_t j = 0; j < i; ++j) {
      const RotaOverride& p = rota.overrides[j];
      if (p.level == o.level && o.from < p.until && p.from < o.until) {
        return tl::make_unexpected(Invalid(f + ": overlaps " + Field("overrides", j)));
      }
    }
  }
  return Ok();
}

OnCall OnCallAt(const Rota& rota, Instant t) {
  const date::time_zone* zone = ZoneOf(rota);
  OnCall out;
  // Bounds of the answer: the nearest shift or override edge on each side, within a week.
  out.from = t - kWeek;
  out.until = t + kWeek;
  auto clamp = [&](Instant edge) {
    if (edge <= t && edge > out.from) out.from = edge;
    if (edge > t && edge < out.until) out.until = edge;
  };
  for (const Occurrence& o : OccurrencesAround(rota, zone, LocalMondayOf(zone, t), 2, 1)) {
    clamp(o.from);
    clamp(o.until);
    if (o.from <= t && t < o.until) {
      out.primary = o.shift->primary;
      out.secondary = o.shift->secondary;
    }
  }
  for (const RotaOverride& o : rota.overrides) {
    clamp(o.from);
    clamp(o.until);
    if (o.from <= t && t < o.until) {
      (o.level == kPrimaryLevel ? out.primary : out.secondary) = o.user;
      out.overridden = true;
    }
  }
  return out;
}

std::vector<OnCall> Schedule(const Rota& rota, Instant from, Instant until) {
  std::vector<OnCall> out;
  if (until > from + Seconds{62 * 86400}) until = from + Seconds{62 * 86400};
  Instant t = from;
  while (t < until) {
    OnCall c = OnCallAt(rota, t);
    c.from = std::max(c.from, from);
    if (c.until > until) c.until = until;
    const bool same = !out.empty() && out.back().primary == c.primary &&
                      out.back().secondary == c.secondary &&
                      out.back().overridden == c.overridden && out.back().until == c.from;
    if (same) {
      out.back().until = c.until;
    } else {
      out.push_back(c);
    }
    t = c.until;
  }
  return out;
}

std::vector<ChainLevel> EscalationChain(const OnCall& on_call,
                                        const std::vector<UserId>& supervisors) {
  std::vector<ChainLevel> chain;
  if (on_call.primary.valid()) chain.push_back(ChainLevel{kPrimaryLevel, {on_call.primary}});
  if (on_call.secondary.valid() && on_call.secondary != on_call.primary) {
    chain.push_back(ChainLevel{kSecondaryLevel, {on_call.secondary}});
  }
  ChainLevel sup{kSupervisorLevel, {}};
  for (UserId u : supervisors) {
    if (u == on_call.primary || u == on_call.secondary) continue;
    if (std::find(sup.users.begin(), sup.users.end(), u) == sup.users.end()) sup.users.push_back(u);
  }
  if (!sup.users.empty()) chain.push_back(std::move(sup));
  return chain;
}

std::optional<ChainLevel> NextLevel(const std::vector<ChainLevel>& chain, int level) {
  for (const ChainLevel& l : chain) {
    if (l.level > level) return l;
  }
  return std::nullopt;
}

}  // namespace soporte::domain::oncall
