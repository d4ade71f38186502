#include "domain/sla/criticality.hpp"

namespace soporte::domain::sla {

std::optional<Criticality> ParseCriticality(std::string_view s) {
  if (s == "normal") return Criticality::kNormal;
  if (s == "important") return Criticality::kImportant;
  if (s == "critical") return Criticality::kCritical;
  return std::nullopt;
}

std::string_view Name(Criticality c) {
  switch (c) {
    case Criticality::kNormal: return "normal";
    case Criticality::kImportant: return "important";
    case Criticality::kCritical: return "critical";
  }
  return "?";
}

}  // namespace soporte::domain::sla
