#include "transport/text/iso8601.hpp"

#include <cstdint>

namespace soporte::transport::text {
namespace {

// Reads `n` ASCII digits at s[pos]; -1 when any is not a digit.
int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

tl::unexpected<Error> Bad(std::string_view text, std::string_view why) {
  // Appended piece by piece: `"'" + std::string&&` inlines basic_string::insert, where GCC 12
  // at -O2 reports an impossible overlap (-Wrestrict, GCC PR 105329).
  std::string message = "'";
  message.append(text).append("' is not an ISO 8601 date-time (").append(why).append(")");
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

void Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

Result<Instant> ParseIso8601(std::string_view s, const date::time_zone* default_zone) {
  if (s.size() < 19) return Bad(s, "expected YYYY-MM-DDTHH:MM:SS");
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
    return Bad(s, "expected YYYY-MM-DDTHH:MM:SS");
  }
  const int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  const int h = Digits(s, 11, 2), mi = Digits(s, 14, 2), sec = Digits(s, 17, 2);
  if (y < 1 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return Bad(s, "expected digits");
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return Bad(s, "no such date");
  if (h > 23 || mi > 59 || sec > 59) return Bad(s, "time out of range");
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const size_t first = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == first) return Bad(s, "empty fraction");
  }
  const std::int64_t local =
      date::sys_days{ymd}.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + sec;
  if (pos == s.size()) {
    const date::local_seconds l{Seconds{local}};
    return date::make_zoned(default_zone, l, date::choose::earliest).get_sys_time();
  }
  if (s[pos] == 'Z' && pos + 1 == s.size()) return Instant{Seconds{local}};
  if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
    const int oh = Digits(s, pos + 1, 2), om = Digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return Bad(s, "bad offset");
    const std::int64_t off = (oh * 3600LL + om * 60LL) * (s[pos] == '-' ? -1 : 1);
    return Instant{Seconds{local - off}};
  }
  return Bad(s, "expected Z, ±HH:MM or nothing after the seconds");
}

void AppendIso8601(std::string& out, Instant t, Seconds offset) {
  const std::int64_t local = t.time_since_epoch().count() + offset.count();
  std::int64_t days = local / 86400, rem = local % 86400;
  if (rem < 0) rem += 86400, --days;
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buf[25];
  const int y = static_cast<int>(ymd.year());
  buf[0] = static_cast<char>('0' + y / 1000 % 10);
  buf[1] = static_cast<char>('0' + y / 100 % 10);
  Put2(buf + 2, y % 100);
  buf[4] = '-';
  Put2(buf + 5, static_cast<int>(static_cast<unsigned>(ymd.month())));
  buf[7] = '-';
  Put2(buf + 8, static_cast<int>(static_cast<unsigned>(ymd.day())));
  buf[10] = 'T';
  Put2(buf + 11, static_cast<int>(rem / 3600));
  buf[13] = ':';
  Put2(buf + 14, static_cast<int>(rem / 60 % 60));
  buf[16] = ':';
  Put2(buf + 17, static_cast<int>(rem % 60));
  std::int64_t off = offset.count();
  buf[19] = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  Put2(buf + 20, static_cast<int>(off / 3600));
  buf[22] = ':';
  Put2(buf + 23, static_cast<int>(off / 60 % 60));  // sub-minute offsets (pre-1900 LMT) truncated
  out.append(buf, sizeof buf);
}

std::string FormatIso8601(Instant t, const date::time_zone* zone) {
  std::string out;
  AppendIso8601(out, t, zone->get_info(t).offset);
  return out;
}

}  // namespace soporte::transport::text
