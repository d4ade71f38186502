#include "domain/sla/sla_policy.hpp"

namespace soporte::domain::sla {

Seconds SlaTargets::For(Criticality c) const {
  switch (c) {
    case Criticality::kNormal: return normal;
    case Criticality::kImportant: return important;
    case Criticality::kCritical: return critical;
  }
  return normal;
}

}  // namespace soporte::domain::sla
