#include "transport/api/codec/common_codec.hpp"

#include <charconv>

#include <date/date.h>

#include "transport/text/iso8601.hpp"

namespace soporte::transport::api::codec {

std::string Serialize(const json::value& v) { return json::serialize(v); }

Result<std::chrono::sys_days> ParseDate(std::string_view text, std::string_view field) {
  // Exactly four, two and two digits: sscanf's %d alone also took a sign or leading blanks
  // ("-024-02-26" was the year -24, which no date here can be and which prints back as
  // "-0024-02-26", a text this function then rejected).
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || digits(0, 4) < 0 ||
      digits(5, 2) < 0 || digits(8, 2) < 0) {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " must be a date YYYY-MM-DD");
  }
  const int y = digits(0, 4);
  const unsigned m = static_cast<unsigned>(digits(5, 2)), d = static_cast<unsigned>(digits(8, 2));
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok())
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " is not a calendar date");
  return std::chrono::sys_days{date::sys_days{ymd}.time_since_epoch()};
}

std::string DateText(std::chrono::sys_days d) { return date::format("%F", d); }

json::value TimeJson(Instant t, const date::time_zone* zone, json::storage_ptr sp) {
  return json::value(text::FormatIso8601(t, zone), std::move(sp));
}

// Cursor text: "<due epoch seconds>.<number>" (opaque to clients).
std::string CursorText(const std::pair<Instant, std::int64_t>& c) {
  return std::to_string(c.first.time_since_epoch().count()) + "." + std::to_string(c.second);
}

std::string RankCursorText(int offset) {
  // Appended: "r" + std::to_string(…) trips GCC 12's -Wrestrict at -O2 (GCC PR 105329).
  std::string text = "r";
  text += std::to_string(offset);
  return text;
}

Result<int> ParseRankCursor(const std::string& s) {
  int offset = 0;
  if (s.size() < 2 || s[0] != 'r') return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  auto [p, ec] = std::from_chars(s.data() + 1, s.data() + s.size(), offset);
  if (ec != std::errc{} || p != s.data() + s.size() || offset < 0 || offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  return offset;
}

Result<std::pair<Instant, std::int64_t>> ParseCursor(const std::string& s) {
  auto dot = s.find('.');
  long long due = 0, number = 0;
  if (dot == std::string::npos) return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  auto r1 = std::from_chars(s.data(), s.data() + dot, due);
  auto r2 = std::from_chars(s.data() + dot + 1, s.data() + s.size(), number);
  if (r1.ec != std::errc{} || r1.ptr != s.data() + dot || r2.ec != std::errc{} ||
      r2.ptr != s.data() + s.size()) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  return std::make_pair(Instant{Seconds{due}}, static_cast<std::int64_t>(number));
}

json::value StatusJson(std::string_view status) { return json::object{{"status", status}}; }

json::value DeletedJson() { return json::object{{"deleted", true}}; }

}  // namespace soporte::transport::api::codec
