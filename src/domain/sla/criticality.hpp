// Criticality of a request, as the support protocol names it (normal, important, critical): it
// selects the response target (sla_policy.hpp). Parse/Name give the stable wire and CLI names.
#pragma once

#include <optional>
#include <string_view>

namespace soporte::domain::sla {

enum class Criticality { kNormal, kImportant, kCritical };

// "normal" | "important" | "critical" (exact, lower case); nullopt otherwise.
std::optional<Criticality> ParseCriticality(std::string_view s);
// The stable name ("normal"…). Static storage.
std::string_view Name(Criticality c);

}  // namespace soporte::domain::sla
