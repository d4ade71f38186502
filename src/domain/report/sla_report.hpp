// SLA compliance reports: the pure computation behind GET /api/v1/reports/sla, its CSV and
// `soporte report sla`. Takes each ticket's SLA facts (reception, clock start, due, first
// response, status history) and the business calendar of its contract, and folds them into rows
// grouped by month, contract, criticality and/or channel: tickets received, responses on time,
// breaches, compliance share, and the median and 90th percentile of the first-response and
// resolution times in business seconds. No store, no clock (`now` is a parameter), no text.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/ticket/ticket_status.hpp"

namespace soporte::domain::report {

// What a report's rows are grouped by.
enum class Dimension { kMonth, kContract, kCriticality, kChannel };
std::string_view DimensionName(Dimension d);  // "month", "contract", "criticality", "channel"

// A grouping as the API and the command line spell it: one dimension or several joined by
// commas ("month", "month,criticality"), each at most once; "" means "month". Returned in the
// canonical order (month, contract, criticality, channel), which is also the rows' sort order.
// kInvalidArgument "group must be …" for an unknown or repeated name.
Result<std::vector<Dimension>> ParseGrouping(std::string_view text);

// One move of a ticket's status (its history's "status" entries), oldest first.
struct StatusChange {
  Instant at;
  TicketStatus to;
  friend bool operator==(const StatusChange&, const StatusChange&) = default;
};

// What a report needs of one ticket.
struct TicketFacts {
  std::int64_t number = 0;
  ContractId contract_id;
  sla::Criticality criticality = sla::Criticality::kNormal;
  sla::Channel channel = sla::Channel::kPortal;
  TicketStatus status = TicketStatus::kNew;  // the status now
  Instant received_at;
  Instant clock_start;
  Instant response_due;
  std::optional<Instant> first_response_at;
  std::vector<StatusChange> status_changes;  // oldest first
  friend bool operator==(const TicketFacts&, const TicketFacts&) = default;
};

// Business time (on `cal`) from the clock start to the first public reply; 0 when the reply came
// before the clock started (an email answered before the intake window opened). None when the
// ticket has no reply yet.
std::optional<Seconds> ResponseTime(const TicketFacts& t, const calendar::BusinessCalendar& cal);

// The resolution clock: business time (on `cal`) from the clock start while the ticket is new or
// open; it pauses while the ticket waits on the customer and stops while it is resolved or closed
// (a reopened ticket's clock runs again). None while the ticket is still active (new, open,
// waiting_customer): only tickets resolved or closed now have a resolution time.
std::optional<Seconds> ResolutionTime(const TicketFacts& t, const calendar::BusinessCalendar& cal);

// The nearest-rank percentile (`percent` in 1..100) of `values`: the smallest value such that at
// least `percent` % of the values are at or below it (the median of 1,2,3,4 is 2). None for no
// values. Sorts `values`.
std::optional<Seconds> Percentile(std::vector<Seconds>& values, int percent);

// One row: the key (the dimensions not grouped by are empty) and its figures.
struct ReportRow {
  std::optional<std::string> month;  // "YYYY-MM" in the report's zone
  std::optional<ContractId> contract;
  std::optional<sla::Criticality> criticality;
  std::optional<sla::Channel> channel;

  std::int64_t received = 0;  // tickets received in the period
  std::int64_t answered = 0;  // with a first public reply
  std::int64_t on_time = 0;   // replied at or before the due
  std::int64_t breached = 0;  // replied after the due, or no reply and the due is past at `now`
  std::int64_t pending = 0;   // no reply yet and the due still ahead at `now`
  // on_time / (on_time + breached); none when nothing is decided yet (every ticket pending).
  std::optional<double> compliance;
  std::optional<Seconds> response_p50, response_p90;      // over answered tickets
  std::int64_t resolved = 0;                              // resolved or closed now
  std::optional<Seconds> resolution_p50, resolution_p90;  // over resolved tickets
};

struct SlaReport {
  std::vector<Dimension> grouping;
  std::vector<ReportRow> rows;  // sorted by key (months ascending, then contract id, …)
  ReportRow total;              // every ticket (no key)
};

// The calendar a contract's times are counted on; null when unknown (a bug of the caller).
using CalendarOf = std::function<const calendar::BusinessCalendar*(ContractId)>;

// Folds `tickets` into the report. `month_zone` names the zone months are read in; `now`
// decides which unanswered tickets are already breached. kInternal when `calendar_of` knows no
// calendar for a ticket's contract.
Result<SlaReport> BuildSlaReport(std::span<const TicketFacts> tickets,
                                 const CalendarOf& calendar_of, const date::time_zone* month_zone,
                                 Instant now, const std::vector<Dimension>& grouping);

}  // namespace soporte::domain::report
