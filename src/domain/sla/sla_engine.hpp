// SlaEngine: the facade the ticket service and the command line call for response deadlines.
// Due = the contract calendar's Add(clock start, target), where the clock start comes from the
// vendor's intake window (email waits for Mon–Fri 08–18 Bogota; other channels start at reception)
// and the calendar is the contract's own stored calendar (8x5 contracts that have one) or else the
// built-in one of the contract's modality in the contract's zone. Immutable after Create,
// thread-safe, cheap to copy (copies share one calendar cache, guarded by a mutex).
#pragma once

#include <memory>

#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/sla/intake_window.hpp"
#include "domain/sla/modality.hpp"
#include "domain/sla/sla_policy.hpp"
#include "domain/sla/timeline.hpp"

namespace soporte::domain::sla {

struct ResponseDue {
  Instant clock_start;
  Instant due;
};

// Receptions the engine accepts: [1984-01-01T00:00:00Z, 2101-01-01T00:00:00Z), the years the
// holiday rules are evaluated for. Outside: kInvalidArgument.
inline constexpr int kFirstYear = 1984;
inline constexpr int kLastYear = 2100;

class SlaEngine {
 public:
  // `intake`: the vendor's email window (default Bogota Mon–Fri 08–18, Colombian holidays).
  // Fails with kInvalidArgument for an unknown zone in `intake`.
  static Result<SlaEngine> Create(IntakeWindowConfig intake = {});

  // The response clock start and due for a request. kInvalidArgument for an unknown contract zone
  // or a reception outside the supported years.
  Result<ResponseDue> Due(const ContractSla& contract, Criticality criticality, Channel channel,
                          Instant received) const;
  // Due on a calendar already resolved with CalendarFor (the fast path for batches): the clock
  // start from the intake window, then `target` counted on `contract_calendar`. kInvalidArgument
  // for a reception outside the supported years.
  Result<ResponseDue> Due(const calendar::BusinessCalendar& contract_calendar, Seconds target,
                          Channel channel, Instant received) const;
  // The same computation with every counted and skipped stretch (for `sla explain`).
  Result<Timeline> Explain(const ContractSla& contract, Criticality criticality, Channel channel,
                           Instant received) const;
  // Business time in [from, to) on the contract calendar; 0 when to <= from.
  Result<Seconds> BusinessElapsed(const ContractSla& contract, Instant from, Instant to) const;

  // The calendar `contract` counts on: its stored calendar when it has one and is not 24x7 (built
  // once per (calendar id, version), then shared; an unstored definition, id 0, is built on every
  // call), else CalendarFor(modality, zone). kInvalidArgument for an unknown zone or an invalid
  // definition.
  Result<std::shared_ptr<const calendar::BusinessCalendar>> CalendarFor(const ContractSla& contract) const;
  // The built-in calendar of a modality (built once per (modality, zone), then shared).
  // kInvalidArgument for an unknown zone.
  Result<std::shared_ptr<const calendar::BusinessCalendar>> CalendarFor(Modality modality,
                                                                        std::string_view zone) const;
  const IntakeWindow& intake() const;

 private:
  struct State;
  explicit SlaEngine(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace soporte::domain::sla
