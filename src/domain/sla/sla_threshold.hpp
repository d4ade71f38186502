// The thresholds the SLA watch fires on a ticket's first-response clock: a warning when a share
// of the target has passed on the contract's calendar, a breach at the due. Each fires at most
// once per ticket and due; a new due (contract or criticality changed) re-arms what has not fired.
#pragma once

#include <optional>
#include <string_view>

#include "common/time.hpp"

namespace soporte::domain::sla {

enum class SlaThresholdKind { kWarning, kBreach };

// "warning", "breach": the stored and wire names.
std::string_view SlaThresholdName(SlaThresholdKind kind);
std::optional<SlaThresholdKind> ParseSlaThreshold(std::string_view name);

// One threshold that fired: which, the due it measured against, and when it fired.
struct SlaFiring {
  SlaThresholdKind kind = SlaThresholdKind::kWarning;
  Instant due;       // the response due at the time of firing
  Instant reached;   // the instant the threshold stood for (warning: the share; breach: the due)
  Instant fired_at;  // when the watch acted (>= reached; later after a pause or a restart)
};

}  // namespace soporte::domain::sla
