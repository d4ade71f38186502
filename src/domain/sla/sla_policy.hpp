// Response targets per criticality (the protocol's defaults: normal 8 h, important 4 h, critical
// 2 h, counted on the contract's calendar) and the contract data the SLA engine needs. Values,
// configurable per contract.
#pragma once

#include <chrono>
#include <string>

#include "common/time.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/sla/modality.hpp"

namespace soporte::domain::sla {

struct SlaTargets {
  Seconds normal{std::chrono::hours{8}};
  Seconds important{std::chrono::hours{4}};
  Seconds critical{std::chrono::hours{2}};
  // The target for `c`.
  Seconds For(Criticality c) const;
};

struct ContractSla {
  Modality modality = Modality::k8x5;
  std::string zone = "America/Bogota";  // the contract's IANA zone: its opening hours and output
  SlaTargets targets;
};

}  // namespace soporte::domain::sla
