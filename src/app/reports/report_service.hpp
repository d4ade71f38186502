// ReportService: the SLA compliance report of one organisation over a period (issue 18) — reads
// the tickets' SLA facts through tx.reports(), resolves each contract's calendar through the SLA
// engine (the calendar its dues were computed on) and lets domain/report fold them. Customers see
// only their own organisation (another one is kNotFound, like a missing one); staff any.
// Thread-safe; blocks on the store: call it on a worker pool.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/report/sla_report.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

// The longest period a report covers (three years and a day): bounds one request's work.
inline constexpr std::chrono::days kMaxReportDays{3 * 366};

struct SlaReportRequest {
  std::optional<std::string> org_slug;  // customers may omit it (their own); staff must name one
  std::chrono::sys_days from;           // first day, inclusive, in the desk's zone
  std::chrono::sys_days to;             // last day, inclusive
  std::vector<domain::report::Dimension> grouping{domain::report::Dimension::kMonth};
};

struct SlaReportView {
  domain::Organization org;
  std::chrono::sys_days from, to;
  std::string zone;  // the zone days and months are read in (calendar::kDefaultZone)
  std::vector<domain::Contract> contracts;  // the organisation's contracts, to name report rows
  domain::report::SlaReport report;
};

class ReportService {
 public:
  ReportService(Store& store, const sla::SlaEngine& sla, const Clock& clock)
      : store_(store), sla_(sla), clock_(clock) {}

  // The report of `r.org_slug` (a customer's own organisation when omitted) for tickets received
  // from `r.from` 00:00 to the end of `r.to` in the desk's zone, evaluated now.
  // kInvalidArgument naming the field: "to" before "from", a period over kMaxReportDays, staff
  // without "org". kNotFound "no organisation 'x'" for an unknown organisation or one `who` may
  // not see.
  Result<SlaReportView> Sla(const Principal& who, const SlaReportRequest& r);

 private:
  Store& store_;
  const sla::SlaEngine& sla_;
  const Clock& clock_;
};

}  // namespace soporte::app
