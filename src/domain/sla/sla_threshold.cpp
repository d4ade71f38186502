#include "domain/sla/sla_threshold.hpp"

namespace soporte::domain::sla {

std::string_view SlaThresholdName(SlaThresholdKind kind) {
  switch (kind) {
    case SlaThresholdKind::kWarning: return "warning";
    case SlaThresholdKind::kBreach: return "breach";
  }
  return "warning";
}

std::optional<SlaThresholdKind> ParseSlaThreshold(std::string_view name) {
  if (name == "warning") return SlaThresholdKind::kWarning;
  if (name == "breach") return SlaThresholdKind::kBreach;
  return std::nullopt;
}

}  // namespace soporte::domain::sla
