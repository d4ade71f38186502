#include "app/sla/sla_watch.hpp"

#include <algorithm>
#include <utility>

#include "app/calendars/calendar_service.hpp"

namespace soporte::app {
namespace {

using domain::Ticket;
using domain::TicketStatus;
using domain::sla::SlaFiring;
using domain::sla::SlaThresholdKind;

// Nothing is awaited from the response clock once answered, resolved or closed.
bool Awaiting(const Ticket& t) {
  return !t.first_response_at && t.status != TicketStatus::kResolved &&
         t.status != TicketStatus::kClosed;
}

// The history field of a firing: "sla_warning", "sla_breached".
std::string EventField(SlaThresholdKind kind) {
  return kind == SlaThresholdKind::kWarning ? "sla_warning" : "sla_breached";
}

}  // namespace

Status CheckSlaWatchOptions(const SlaWatchOptions& o) {
  if (o.warning_percent < 1 || o.warning_percent > 99) {
    return Fail(ErrorCode::kInvalidArgument, "sla-warning-percent must be between 1 and 99");
  }
  if (o.batch < 1 || o.fire_batch < 1 || o.max_rounds < 1) {
    return Fail(ErrorCode::kInvalidArgument, "sla watch batch sizes must be at least 1");
  }
  if (o.lease < Seconds{1})
    return Fail(ErrorCode::kInvalidArgument, "sla watch lease must be at least 1 s");
  return Ok();
}

Instant WarningInstant(const domain::calendar::BusinessCalendar& calendar, Instant clock_start,
                       Seconds target, int percent) {
  return calendar.Add(clock_start, Seconds{target.count() * percent / 100});
}

SlaWatch::SlaWatch(Store& store, const domain::sla::SlaEngine& sla, const Clock& clock,
                   TicketObserver& observers, SlaWatchOptions options)
    : store_(store),
      sla_(sla),
      clock_(clock),
      observers_(observers),
      options_(std::move(options)) {}

Status SlaWatch::TicketCreated(WriteTx& tx, const Ticket& t, const Principal&) {
  return Rearm(tx, t);
}

Status SlaWatch::TicketUpdated(WriteTx& tx, const Ticket& before, const Ticket& after,
                               const std::vector<domain::TicketEvent>&, const Principal&) {
  // Only what moves the thresholds: the due (contract, criticality), the clock start, the status
  // (resolved, closed, reopened) and the first response.
  if (before.response_due == after.response_due && before.clock_start == after.clock_start &&
      before.criticality == after.criticality && before.contract_id == after.contract_id &&
      Awaiting(before) == Awaiting(after)) {
    return Ok();
  }
  return Rearm(tx, after);
}

Status SlaWatch::ArticleAdded(WriteTx& tx, const Ticket& t, const domain::Article&,
                              const Principal&) {
  // The first response stops the clock: nothing left to warn about. An article that changed the
  // status (a customer's reply reopening a resolved ticket) re-arms.
  return Rearm(tx, t);
}

Status SlaWatch::Rearm(WriteTx& tx, const Ticket& t) const {
  if (!Awaiting(t)) return tx.sla().DisarmThresholds(t.id, std::nullopt);
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
  SOPORTE_TRY(calendar, sla_.CalendarFor(contract_sla));
  const Seconds target = contract_sla.targets.For(t.criticality);
  const Instant warning_at = std::min(
      WarningInstant(*calendar, t.clock_start, target, options_.warning_percent), t.response_due);
  SOPORTE_TRY_STATUS(
      tx.sla().ArmThreshold(t.id, SlaThresholdKind::kWarning, t.response_due, warning_at));
  // A reply at the due itself is in time (domain::ResponseBreached): the breach is the second
  // after.
  return tx.sla().ArmThreshold(t.id, SlaThresholdKind::kBreach, t.response_due,
                               t.response_due + Seconds{1});
}

Result<int> SlaWatch::ArmQueued() {
  int armed = 0;
  for (int round = 0; round < options_.max_rounds; ++round) {
    auto done = WriteValue(store_, [&](WriteTx& tx) -> Result<int> {
      SOPORTE_TRY(queued, tx.sla().ListArmQueue(options_.batch));
      for (TicketId id : queued) {
        auto t = tx.tickets().GetTicket(id);
        if (t) {
          SOPORTE_TRY_STATUS(Rearm(tx, *t));
        } else if (t.error().code != ErrorCode::kNotFound) {
          return tl::make_unexpected(t.error());
        }
        SOPORTE_TRY_STATUS(tx.sla().DequeueArm(id));
      }
      return static_cast<int>(queued.size());
    });
    if (!done) return done;
    armed += *done;
    if (*done < options_.batch) break;
  }
  return armed;
}

Result<SlaTickReport> SlaWatch::Tick() {
  SlaTickReport report;
  SOPORTE_TRY(armed, ArmQueued());
  report.armed = armed;
  for (int round = 0; round < options_.max_rounds; ++round) {
    const Instant now = clock_.Now();
    auto claimed = WriteValue(store_, [&](WriteTx& tx) {
      return tx.sla().ClaimThresholds(now, options_.node, now + options_.lease, options_.batch);
    });
    if (!claimed) {
      if (round == 0) return tl::make_unexpected(claimed.error());
      break;  // what was fired stays fired; the rest waits for the next tick
    }
    for (std::size_t i = 0; i < claimed->size();
         i += static_cast<std::size_t>(options_.fire_batch)) {
      const auto end = std::min(claimed->size(), i + static_cast<std::size_t>(options_.fire_batch));
      std::vector<SlaThresholdRecord> chunk(claimed->begin() + static_cast<std::ptrdiff_t>(i),
                                            claimed->begin() + static_cast<std::ptrdiff_t>(end));
      if (FireTogether(chunk, now, report)) continue;
      // One bad row must not hold the others back: fire them one by one.
      for (const auto& row : chunk) {
        if (!FireTogether({row}, now, report)) ++report.failed;
      }
    }
    if (static_cast<int>(claimed->size()) < options_.batch) break;
  }
  return report;
}

Status SlaWatch::FireTogether(const std::vector<SlaThresholdRecord>& rows, Instant now,
                              SlaTickReport& report) {
  SlaTickReport fired;
  Status st = store_.Write([&](WriteTx& tx) -> Status {
    fired = SlaTickReport{};
    for (const auto& row : rows)
      SOPORTE_TRY_STATUS(FireInTx(tx, row.ticket_id, row.kind, now, fired));
    return Ok();
  });
  if (!st) return st;
  // Counted once committed.
  report.warnings += fired.warnings;
  report.breaches += fired.breaches;
  warnings_.fetch_add(static_cast<std::uint64_t>(fired.warnings), std::memory_order_relaxed);
  breaches_.fetch_add(static_cast<std::uint64_t>(fired.breaches), std::memory_order_relaxed);
  return Ok();
}

Status SlaWatch::FireInTx(WriteTx& tx, TicketId ticket, SlaThresholdKind kind, Instant now,
                          SlaTickReport& report) {
  // The rows as they stand in this transaction (the claim may be stale: the due may have moved,
  // another node or an earlier row of this batch may have fired it, a reply may have removed it).
  SOPORTE_TRY(rows, tx.sla().ListThresholds(ticket));
  const SlaThresholdRecord* row = nullptr;
  for (const auto& r : rows) {
    if (r.kind == kind) row = &r;
  }
  if (!row || row->fired_at || row->fire_at > now) return Ok();
  if (kind == SlaThresholdKind::kBreach) {
    // A warning still armed and due (claimed by another node, or later in this batch) goes first.
    SOPORTE_TRY_STATUS(FireInTx(tx, ticket, SlaThresholdKind::kWarning, now, report));
  }
  SOPORTE_TRY(mine, tx.sla().MarkThresholdFired(row->id, now));
  if (!mine) return Ok();
  SOPORTE_TRY(t, tx.tickets().GetTicket(ticket));
  const bool warning = kind == SlaThresholdKind::kWarning;
  const SlaFiring firing{kind, row->due, warning ? row->fire_at : row->due, now};
  SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::TicketEvent{
      0, t.id, UserId{}, now, EventField(kind), "", domain::EventInstantText(row->due)}));
  SOPORTE_TRY_STATUS(observers_.SlaReached(tx, t, firing));
  ++(warning ? report.warnings : report.breaches);
  return Ok();
}

}  // namespace soporte::app
