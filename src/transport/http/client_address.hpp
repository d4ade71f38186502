// Who the client is: the peer's address, or — only when the peer is a proxy we were told to
// trust (`serve --trusted-proxy CIDR`) — the address that proxy reports in X-Forwarded-For.
// Throttles, connection caps and the audit log's "from where" use it. An address a client could
// forge (X-Forwarded-For from an untrusted peer) is never believed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include "common/result.hpp"

namespace soporte::transport::http {

class TrustedProxies {
 public:
  // Each entry an address ("10.0.0.5", "::1") or a network ("10.0.0.0/8", "fd00::/8").
  // kInvalidArgument naming the entry that is neither.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool Contains(const boost::asio::ip::address& a) const;
  bool Contains(std::string_view address) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// The client's address for a request from `peer` carrying `forwarded_for` (the X-Forwarded-For
// header, "" when absent). Untrusted peer: the peer. Trusted peer: walking X-Forwarded-For from
// the right (the hop our proxy added), the first address that is not itself a trusted proxy; an
// entry that is not an address stops the walk at the hop that wrote it (which is then answered:
// never a value a client could have forged past our proxy).
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted);

}  // namespace soporte::transport::http
