// SlaView: answers "when is the response due, and why then?" for the web UI and integrations —
// the SLA engine's timeline for an existing ticket, and a preview for a ticket not yet sent
// (the new-ticket form shows the due before sending). Read-only; authorises like TicketService:
// another organisation's ticket or contract is kNotFound, exactly like a missing one.
// Thread-safe; blocks on the store: call it on a worker pool.
#pragma once

#include <cstdint>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

struct SlaExplanation {
  sla::Timeline timeline;
  ContractId contract_id;
  std::string zone;  // the contract's zone: times are shown in it
};

class SlaView {
 public:
  SlaView(Store& store, const sla::SlaEngine& sla, const Clock& clock)
      : store_(store), sla_(sla), clock_(clock) {}

  // The timeline that gave ticket `number` its response due (from its reception, contract,
  // criticality and channel). kNotFound for a ticket `who` may not see.
  Result<SlaExplanation> ExplainTicket(const Principal& who, std::int64_t number);

  // The due a ticket sent now would get. `contract` defaults to the first contract of the
  // caller's organisation in force that takes `channel` (customers only; staff must name one).
  // kNotFound for a contract `who` may not see; kUnprocessable when the contract refuses the
  // channel or is not in force; kInvalidArgument when staff omit the contract.
  Result<SlaExplanation> Preview(const Principal& who, std::optional<ContractId> contract,
                                 sla::Criticality criticality, sla::Channel channel);

 private:
  Store& store_;
  const sla::SlaEngine& sla_;
  const Clock& clock_;
};

}  // namespace soporte::app
