// The value of one hexadecimal digit, for the percent-decoders of the request line and of
// multipart parameters (RFC 3986 §2.1, RFC 8187).
#pragma once

namespace soporte::transport::http {

// 0–15 for '0'–'9', 'a'–'f', 'A'–'F'; -1 for anything else.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace soporte::transport::http
