#include "domain/sla/modality.hpp"

namespace soporte::domain::sla {

std::optional<Modality> ParseModality(std::string_view s) {
  if (s == "24x7") return Modality::k24x7;
  if (s == "8x5") return Modality::k8x5;
  return std::nullopt;
}

std::string_view Name(Modality m) { return m == Modality::k24x7 ? "24x7" : "8x5"; }

}  // namespace soporte::domain::sla
