// The --listen HOST:PORT option, apart from serve.cpp so that fuzz/config_fuzz.cpp reaches it.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace soporte::main {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// "127.0.0.1:8080", "[::1]:0", "0.0.0.0:80" ("localhost" is 127.0.0.1). kInvalidArgument naming
// --listen otherwise.
Result<HostPort> ParseListen(const std::string& text);

}  // namespace soporte::main
