#include "main/listen_address.hpp"

#include <charconv>

namespace soporte::main {

// "127.0.0.1:8080", "[::1]:0", "0.0.0.0:80".
Result<HostPort> ParseListen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Fail(ErrorCode::kInvalidArgument, "--listen must be HOST:PORT (got '" + text + "')");
  }
  HostPort hp;
  hp.host = text.substr(0, colon);
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') {
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  }
  if (hp.host == "localhost") hp.host = "127.0.0.1";
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || p != port.data() + port.size() || value > 65535) {
    return Fail(ErrorCode::kInvalidArgument, "--listen: port must be a number from 0 to 65535 (got '" + port + "')");
  }
  hp.port = static_cast<std::uint16_t>(value);
  return hp;
}

}  // namespace soporte::main
