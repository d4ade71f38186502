// Standard base64 (RFC 4648, with padding) through libsodium, for the sealed values of the
// secret box and the passphrase box.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace soporte::transport::security {

std::string Base64(const unsigned char* data, std::size_t n);
// false when `text` is not valid base64; `out` then holds nothing useful.
bool FromBase64(std::string_view text, std::string& out);

}  // namespace soporte::transport::security
