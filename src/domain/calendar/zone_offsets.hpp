// ZoneOffsets: a precomputed table of a time zone's UTC offsets (1900–2110), built once from
// date/tz's sys_info, so that converting an instant to local wall-clock time and back is a binary
// search over a handful of entries (one for America/Bogota since 1993, two a year for DST zones).
// DST rule (documented, tested): a local time inside a gap maps to the instant the gap ends; a
// local time inside an overlap maps to its earliest instant.
#pragma once

#include <cstdint>
#include <vector>

#include <date/tz.h>

#include "common/time.hpp"

namespace soporte::domain::calendar {

// Local wall-clock seconds since 1970-01-01T00:00 local (a `date::local_seconds` count).
using LocalSecs = std::int64_t;

class ZoneOffsets {
 public:
  // Builds the table for `zone` (non-null). Cost: one get_info per transition. Never fails.
  explicit ZoneOffsets(const date::time_zone* zone);

  // UTC offset (standard + DST) in force at `t`.
  Seconds OffsetAt(Instant t) const;
  LocalSecs ToLocal(Instant t) const { return t.time_since_epoch().count() + OffsetAt(t).count(); }
  // The instant shown as `local`. Gap (spring forward): the instant the gap ends. Overlap (fall
  // back): the earliest of the two instants.
  Instant ToSys(LocalSecs local) const;

 private:
  std::vector<std::int64_t> begins_;        // sys seconds each period starts (first: -inf)
  std::vector<std::int64_t> local_begins_;  // begins_[k] + offsets_[k]
  std::vector<std::int64_t> offsets_;       // seconds
};

}  // namespace soporte::domain::calendar
