// The channels a request arrives through (protocol: web portal, email, 24x7 phone line, web chat).
// The channel decides when the SLA clock starts (intake_window.hpp).
#pragma once

#include <optional>
#include <string_view>

namespace soporte::domain::sla {

enum class Channel { kPortal, kEmail, kPhone, kChat };

// "portal" | "email" | "phone" | "chat" (exact, lower case); nullopt otherwise.
std::optional<Channel> ParseChannel(std::string_view s);
// The stable name ("portal"…). Static storage.
std::string_view Name(Channel c);

}  // namespace soporte::domain::sla
