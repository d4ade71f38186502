// ISO 8601 date-times at the edges (command line, HTTP API, mail), in the text room every transport
// shares: parse a reception such as
// 2026-12-04T16:00:00-05:00 / …Z / …+01:00 (fractional seconds truncated), and format an instant
// with its zone's offset. A date-time without an offset is local time in `default_zone`
// (gap → end of the gap, overlap → earliest instant). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <date/tz.h>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::transport::text {

// Accepts exactly YYYY-MM-DDTHH:MM:SS[.f+][Z|±HH:MM] (year 0001–9999, valid calendar date,
// hour 00–23, minute and second 00–59, offset at most ±23:59). Anything else (spaces, lower-case
// `t`, ±HHMM, leap second 60, trailing text) fails with kInvalidArgument. `default_zone` (non-null)
// interprets a date-time without offset.
Result<Instant> ParseIso8601(std::string_view text, const date::time_zone* default_zone);

// `t` as YYYY-MM-DDTHH:MM:SS±HH:MM in `zone` (non-null); UTC shows as +00:00.
std::string FormatIso8601(Instant t, const date::time_zone* zone);
// Same with the offset already known (fast path for batches). Appends to `out`.
void AppendIso8601(std::string& out, Instant t, Seconds offset);

}  // namespace soporte::transport::text
