#include "domain/calendar/zone_offsets.hpp"

#include <algorithm>
#include <limits>

namespace soporte::domain::calendar {

ZoneOffsets::ZoneOffsets(const date::time_zone* zone) {
  using namespace date;
  const sys_seconds first = sys_days{1900_y / January / 1};
  const sys_seconds last = sys_days{2110_y / January / 1};
  constexpr std::int64_t kMinusInf = std::numeric_limits<std::int64_t>::min() / 4;
  sys_seconds t = first;
  while (true) {
    const sys_info info = zone->get_info(t);
    const std::int64_t off = info.offset.count();
    if (offsets_.empty() || offsets_.back() != off) {
      begins_.push_back(begins_.empty() ? kMinusInf : t.time_since_epoch().count());
      offsets_.push_back(off);
    }
    if (info.end >= last || info.end <= t) break;
    t = info.end;
  }
  for (size_t k = 0; k < begins_.size(); ++k) local_begins_.push_back(begins_[k] + offsets_[k]);
}

Seconds ZoneOffsets::OffsetAt(Instant t) const {
  if (offsets_.size() == 1) return Seconds{offsets_[0]};
  auto it = std::upper_bound(begins_.begin(), begins_.end(), t.time_since_epoch().count());
  return Seconds{offsets_[static_cast<size_t>(it - begins_.begin()) - 1]};
}

Instant ZoneOffsets::ToSys(LocalSecs local) const {
  if (offsets_.size() == 1) return Instant{Seconds{local - offsets_[0]}};
  auto it = std::upper_bound(local_begins_.begin(), local_begins_.end(), local);
  size_t k = it == local_begins_.begin() ? 0 : static_cast<size_t>(it - local_begins_.begin()) - 1;
  // Overlap: the previous period still shows this wall-clock time; take its (earlier) instant.
  if (k > 0 && local < begins_[k] + offsets_[k - 1]) return Instant{Seconds{local - offsets_[k - 1]}};
  // Gap: the wall-clock time never happens; take the instant the gap ends.
  if (k + 1 < begins_.size() && local >= begins_[k + 1] + offsets_[k]) {
    return Instant{Seconds{begins_[k + 1]}};
  }
  return Instant{Seconds{local - offsets_[k]}};
}

}  // namespace soporte::domain::calendar
