// Contract modality: `24x7` (always open) or `8x5` (Mon–Fri 08:00–18:00, Colombian holidays off).
// Each names a built-in calendar (domain/calendar/business_calendar.hpp) in the contract's zone.
#pragma once

#include <optional>
#include <string_view>

namespace soporte::domain::sla {

enum class Modality { k24x7, k8x5 };

// "24x7" | "8x5" (exact); nullopt otherwise.
std::optional<Modality> ParseModality(std::string_view s);
// The stable name ("24x7" | "8x5"). Static storage.
std::string_view Name(Modality m);

}  // namespace soporte::domain::sla
