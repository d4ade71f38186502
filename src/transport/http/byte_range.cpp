#include "transport/http/byte_range.hpp"

#include <charconv>

namespace soporte::transport::http {
namespace {

std::optional<std::uint64_t> Number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

RangeDecision DecideRange(std::string_view header, std::uint64_t size, std::uint64_t max_len) {
  RangeDecision whole;
  header = Trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() <= kUnit.size() || header.substr(0, kUnit.size()) != kUnit) return whole;
  std::string_view spec = Trim(header.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: the whole file
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const auto a = Trim(spec.substr(0, dash));
  const auto b = Trim(spec.substr(dash + 1));
  ByteRange r;
  if (a.empty()) {  // the last n bytes
    auto n = Number(b);
    if (!n) return whole;
    if (*n == 0 || size == 0) return {RangeAnswer::kUnsatisfiable, {}};
    r.first = *n >= size ? 0 : size - *n;
    r.last = size - 1;
  } else {
    auto first = Number(a);
    if (!first) return whole;
    std::optional<std::uint64_t> last;
    if (!b.empty()) {
      last = Number(b);
      if (!last || *last < *first) return whole;  // invalid: ignored
    }
    if (*first >= size) return {RangeAnswer::kUnsatisfiable, {}};
    r.first = *first;
    r.last = last && *last < size ? *last : size - 1;
  }
  if (max_len > 0 && r.last - r.first + 1 > max_len) r.last = r.first + max_len - 1;
  return {RangeAnswer::kPartial, r};
}

}  // namespace soporte::transport::http
