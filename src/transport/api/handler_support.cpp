// Small pieces every handler file shares: parsing an id from the path, naming a download.
#include <cctype>
#include <charconv>
#include <cstring>

#include "transport/api/api_context.hpp"

namespace soporte::transport::api {

Result<std::int64_t> PositiveId(std::string_view text, std::string_view prefix) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || p != text.data() + text.size() || n <= 0) {
    return Fail(ErrorCode::kNotFound, std::string(prefix) + std::string(text));
  }
  return n;
}

std::string ContentDisposition(bool shown_inline, std::string_view filename) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = shown_inline ? "inline; filename*=UTF-8''" : "attachment; filename*=UTF-8''";
  for (unsigned char c : filename) {
    if (std::isalnum(c) || std::strchr("!#$&+-.^_`|~", c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace soporte::transport::api
