// Response targets per criticality (the protocol's defaults: normal 8 h, important 4 h, critical
// 2 h, counted on the contract's calendar) and the contract data the SLA engine needs. Values,
// configurable per contract.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/time.hpp"
#include "domain/calendar/calendar_definition.hpp"
#include "domain/calendar/zones.hpp"
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
  std::string zone{
      calendar::kDefaultZone};  // the contract's IANA zone: its opening hours and output
  SlaTargets targets;
  // The contract's own calendar (8x5 contracts only), or null for the built-in one of the
  // modality: 8x5 = Mon–Fri 08–18 with Colombian holidays in `zone`. When set, opening hours,
  // closures and zone come from it; a 24x7 contract ignores it (always open).
  std::shared_ptr<const calendar::CalendarDefinition> calendar = nullptr;
};

}  // namespace soporte::domain::sla
