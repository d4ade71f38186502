#include "jobs/paging_job.hpp"

#include <string>

namespace soporte::jobs {

void PagingJob::Run() {
  auto escalated = paging_.EscalateDue();
  if (!escalated) LogFailure(log_, "paging: escalation", escalated.error());
  if (gateway_ == nullptr) return;
  // Deliver until nothing due is left (a round takes at most PagingOptions::batch rows).
  for (int round = 0; round < 20; ++round) {
    auto sent = paging_.DeliverDue(*gateway_);
    if (!sent) {
      LogFailure(log_, "paging: delivery", sent.error());
      return;
    }
    if (*sent == 0) return;
  }
}

}  // namespace soporte::jobs
