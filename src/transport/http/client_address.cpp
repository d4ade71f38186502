#include "transport/http/client_address.hpp"

#include <boost/system/error_code.hpp>

namespace soporte::transport::http {
namespace {

namespace ip = boost::asio::ip;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An address as a proxy writes it: plain, or IPv6 in brackets ("[::1]"); no port.
bool ParseAddress(std::string_view text, ip::address& out) {
  text = Trim(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return false;
  boost::system::error_code ec;
  out = ip::make_address(std::string(text), ec);
  if (ec) return false;
  // An IPv4 client seen through an IPv6 socket: compare and report it as IPv4.
  if (out.is_v6() && out.to_v6().is_v4_mapped()) {
    out = ip::make_address_v4(ip::v4_mapped, out.to_v6());
  }
  return true;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const auto& raw : entries) {
    const std::string_view entry = Trim(raw);
    const auto slash = entry.find('/');
    const std::string_view host = entry.substr(0, slash);
    ip::address a;
    if (!ParseAddress(host, a)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "'" + raw + "' is not an IP address or a network (CIDR)");
    }
    int prefix = a.is_v4() ? 32 : 128;
    if (slash != std::string_view::npos) {
      const std::string_view bits = entry.substr(slash + 1);
      int value = 0;
      bool ok = !bits.empty() && bits.size() <= 3;
      for (char c : bits) {
        if (c < '0' || c > '9')
          ok = false;
        else
          value = value * 10 + (c - '0');
      }
      if (!ok || value > prefix) {
        return Fail(ErrorCode::kInvalidArgument,
                    "'" + raw + "' has a prefix length outside 0.." + std::to_string(prefix));
      }
      prefix = value;
    }
    if (a.is_v4()) {
      out.v4_.push_back(ip::network_v4(a.to_v4(), static_cast<unsigned short>(prefix)).canonical());
    } else {
      out.v6_.push_back(ip::network_v6(a.to_v6(), static_cast<unsigned short>(prefix)).canonical());
    }
  }
  return out;
}

bool TrustedProxies::Contains(const ip::address& a) const {
  if (a.is_v4()) {
    const ip::network_v4 host(a.to_v4(), 32);
    for (const auto& n : v4_)
      if (host == n || host.is_subnet_of(n)) return true;
    return false;
  }
  const ip::network_v6 host(a.to_v6(), 128);
  for (const auto& n : v6_)
    if (host == n || host.is_subnet_of(n)) return true;
  return false;
}

bool TrustedProxies::Contains(std::string_view address) const {
  ip::address a;
  return ParseAddress(address, a) && Contains(a);
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted) {
  if (trusted.empty() || Trim(forwarded_for).empty() || !trusted.Contains(peer)) {
    return std::string(peer);
  }
  std::string hop(peer);  // the last address known to be a trusted proxy's view
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    ip::address a;
    if (!ParseAddress(entry, a)) return hop;  // garbage: believe only the proxy that wrote it
    hop = a.to_string();
    if (!trusted.Contains(a)) return hop;
  }
  return hop;  // every hop was a trusted proxy: the farthest one
}

}  // namespace soporte::transport::http
