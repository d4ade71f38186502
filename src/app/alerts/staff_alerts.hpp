// Staff alerts (issue 12, part 2): who at the vendor hears of an SLA warning, an SLA breach or a
// new Crítico ticket, and how. A TicketObserver, so every alert is written in the transaction of
// what caused it (the watch's firing, the ticket's creation): exactly once, on any node.
//   - a warning goes to the assignee, or to the agents on shift when nobody is assigned;
//   - a breach goes there too, and to the supervisors;
//   - a new Crítico ticket goes to the agents on shift at once.
// Each recipient's preferences (AlertPreferences; defaults when never saved) pick the channels:
// mail (an outbox row in their own language, held until their quiet hours end) and the browser
// (a staff_alerts row for the console, and a live nudge to that user only through the EventBus;
// the row is the truth, the nudge only tells an open console to read it).
// Webhooks and paging observe SlaReached themselves. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/mail.hpp"
#include "app/ports/store.hpp"
#include "app/oncall/staffed_hours.hpp"
#include "app/tickets/ticket_observer.hpp"
#include "common/clock.hpp"
#include "domain/alerts/alert_preferences.hpp"

namespace soporte::app {

// The agents on shift at `at`, the one place this is decided: within the vendor's staffed hours
// (`staffed`, app/oncall; nullptr = always staffed) every active agent; out of hours the on-call
// primary and secondary of the first rota (the one paging follows), and every active agent again
// when no rota names anyone then (an alert nobody gets is worse than one too many).
Result<std::vector<domain::User>> AgentsOnShift(ReadTx& tx, Instant at,
                                                StaffedHours* staffed = nullptr);

// Every active supervisor.
Result<std::vector<domain::User>> ActiveSupervisors(ReadTx& tx);

struct StaffAlertOptions {
  std::string support_address = "soporte@example.com";  // the Message-ID's domain
  std::string default_lang = "es";                      // for a user whose language is unknown
};

class StaffAlerts final : public TicketObserver {
 public:
  // The mail is queued as facts (app::MailFacts) and rendered by the outbox at delivery.
  StaffAlerts(EventBus& events, const Clock& clock, StaffAlertOptions options = {});

  // The staffed hours that decide who is on shift (set once at wiring; nullptr: always staffed).
  void SetStaffedHours(StaffedHours* staffed) { staffed_ = staffed; }

  Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) override;
  Status SlaReached(WriteTx& tx, const domain::Ticket& t,
                    const domain::sla::SlaFiring& firing) override;

  // Raises alert `kind` about `t` to each of `people` (once each), on the channels they chose.
  Status Raise(WriteTx& tx, const domain::Ticket& t, domain::AlertKind kind,
               const std::vector<domain::User>& people, Instant now);

 private:
  Status Mail(WriteTx& tx, const domain::Ticket& t, domain::AlertKind kind, const domain::User& to,
              const domain::AlertPreferences& prefs, Instant now);

  EventBus& events_;
  const Clock& clock_;
  StaffAlertOptions options_;
  StaffedHours* staffed_ = nullptr;
};

// The staff's own alert settings (GET/PUT /api/v1/me/alert-preferences) and the alerts raised to
// them (GET /api/v1/me/alerts). Staff only: kPermissionDenied for a customer. Thread-safe; blocks.
class AlertPreferencesService {
 public:
  AlertPreferencesService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  // The caller's preferences (the defaults when never saved).
  Result<domain::AlertPreferences> Get(const Principal& who);
  // Stores the caller's preferences. kInvalidArgument naming the field (CheckAlertPreferences).
  Result<domain::AlertPreferences> Put(const Principal& who, const domain::AlertPreferences& p);

  struct AlertView {
    AlertRecord alert;
    std::int64_t number = 0;
    std::string subject;
    domain::sla::Criticality criticality = domain::sla::Criticality::kNormal;
    std::string zone;  // the contract's zone: times are shown in it
  };
  // The caller's alerts with id > after_id, oldest first (limit 1..200).
  Result<std::vector<AlertView>> List(const Principal& who, std::int64_t after_id, int limit);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace soporte::app
