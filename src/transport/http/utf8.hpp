// UTF-8 checks for text that reaches the server from the request line: every JSON the server
// writes must be valid UTF-8 (RFC 8259 §8.1), and percent-decoding can produce any bytes.
// Strict RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing past U+10FFFF.
#pragma once

#include <string>
#include <string_view>

namespace soporte::transport::http {

// True when `s` is valid UTF-8. Pure, allocation-free.
bool IsValidUtf8(std::string_view s);

// True when `encoded`, percent-decoded as PercentDecode does (an invalid escape stays literal),
// is valid UTF-8. Decodes on the fly: allocation-free.
bool PercentDecodesToUtf8(std::string_view encoded);

// `s` with each maximal ill-formed subsequence replaced by U+FFFD (Unicode §3.9, the WHATWG
// decoder's rule); valid input comes back unchanged. Never fails.
std::string ToValidUtf8(std::string_view s);

}  // namespace soporte::transport::http
