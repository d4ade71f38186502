// The one byte range of an HTTP Range request header (RFC 9110 §14.1.2): "bytes=a-b", "bytes=a-"
// or "bytes=-n" against a representation of `size` bytes. Several ranges, other units and
// malformed values are not understood (the full answer is sent, as the RFC allows); a range that
// starts at or after the end is unsatisfiable (416). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace soporte::transport::http {

struct ByteRange {
  std::uint64_t first = 0;  // inclusive
  std::uint64_t last = 0;   // inclusive, < size
};

enum class RangeAnswer { kWhole, kPartial, kUnsatisfiable };

struct RangeDecision {
  RangeAnswer answer = RangeAnswer::kWhole;
  ByteRange range;  // kPartial: the bytes to send
};

// `header` is the Range header's value (empty: none). A satisfiable range longer than `max_len`
// is shortened to its first `max_len` bytes (the 206's Content-Range says which were sent).
RangeDecision DecideRange(std::string_view header, std::uint64_t size, std::uint64_t max_len);

}  // namespace soporte::transport::http
