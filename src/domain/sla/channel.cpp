#include "domain/sla/channel.hpp"

namespace soporte::domain::sla {

std::optional<Channel> ParseChannel(std::string_view s) {
  if (s == "portal") return Channel::kPortal;
  if (s == "email") return Channel::kEmail;
  if (s == "phone") return Channel::kPhone;
  if (s == "chat") return Channel::kChat;
  return std::nullopt;
}

std::string_view Name(Channel c) {
  switch (c) {
    case Channel::kPortal: return "portal";
    case Channel::kEmail: return "email";
    case Channel::kPhone: return "phone";
    case Channel::kChat: return "chat";
  }
  return "?";
}

}  // namespace soporte::domain::sla
