#include "app/alerts/staff_alerts.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "domain/mail/loop_guard.hpp"
#include "domain/oncall/rota.hpp"

namespace soporte::app {
namespace {

using domain::AlertKind;
using domain::Role;
using domain::User;

std::string DomainOf(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

Result<std::vector<User>> ActiveWithRole(ReadTx& tx, Role role) {
  SOPORTE_TRY(all, tx.accounts().ListUsers(std::nullopt));
  std::vector<User> out;
  for (auto& u : all) {
    if (u.active && u.role == role) out.push_back(std::move(u));
  }
  return out;
}

// `a` then those of `b` not already in it (by id), order kept.
std::vector<User> Union(std::vector<User> a, const std::vector<User>& b) {
  std::set<std::int64_t> seen;
  for (const auto& u : a) seen.insert(u.id.value());
  for (const auto& u : b) {
    if (seen.insert(u.id.value()).second) a.push_back(u);
  }
  return a;
}

}  // namespace

Result<std::vector<User>> AgentsOnShift(ReadTx& tx, Instant at, StaffedHours* staffed) {
  if (staffed != nullptr) {
    SOPORTE_TRY(in_hours, staffed->IsStaffed(tx, at));
    if (!in_hours) {
      SOPORTE_TRY(rotas, tx.oncall().ListRotas());
      const domain::oncall::Rota* first = nullptr;
      for (const auto& r : rotas)
        if (first == nullptr || r.id < first->id) first = &r;
      if (first != nullptr) {
        const domain::oncall::OnCall now = domain::oncall::OnCallAt(*first, at);
        std::vector<User> people;
        for (UserId id : {now.primary, now.secondary}) {
          if (!id.valid()) continue;
          auto u = tx.accounts().GetUser(id);
          if (!u) {
            if (u.error().code == ErrorCode::kNotFound) continue;
            return tl::make_unexpected(u.error());
          }
          if (u->active && (people.empty() || people.front().id != u->id)) {
            people.push_back(std::move(*u));
          }
        }
        if (!people.empty()) return people;
      }
    }
  }
  return ActiveWithRole(tx, Role::kAgent);
}

Result<std::vector<User>> ActiveSupervisors(ReadTx& tx) {
  return ActiveWithRole(tx, Role::kSupervisor);
}

StaffAlerts::StaffAlerts(EventBus& events, const Clock& clock, StaffAlertOptions options)
    : events_(events), clock_(clock), options_(std::move(options)) {}

Status StaffAlerts::TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal&) {
  if (t.criticality != domain::sla::Criticality::kCritical) return Ok();
  const Instant now = clock_.Now();
  SOPORTE_TRY(people, AgentsOnShift(tx, now, staffed_));
  return Raise(tx, t, AlertKind::kNewCritical, people, now);
}

Status StaffAlerts::SlaReached(WriteTx& tx, const domain::Ticket& t,
                               const domain::sla::SlaFiring& firing) {
  const Instant now = firing.fired_at;
  std::vector<User> people;
  if (t.assignee_id.valid()) {
    SOPORTE_TRY(assignee, tx.accounts().GetUser(t.assignee_id));
    if (assignee.active) people.push_back(std::move(assignee));
  }
  if (people.empty()) {
    SOPORTE_TRY(on_shift, AgentsOnShift(tx, now, staffed_));
    people = std::move(on_shift);
  }
  const bool breach = firing.kind == domain::sla::SlaThresholdKind::kBreach;
  if (breach) {
    SOPORTE_TRY(supervisors, ActiveSupervisors(tx));
    people = Union(std::move(people), supervisors);
  }
  return Raise(tx, t, breach ? AlertKind::kSlaBreach : AlertKind::kSlaWarning, people, now);
}

Status StaffAlerts::Raise(WriteTx& tx, const domain::Ticket& t, AlertKind kind,
                          const std::vector<User>& people, Instant now) {
  for (const auto& u : people) {
    SOPORTE_TRY(stored, tx.alerts().GetAlertPreferences(u.id));
    const domain::AlertPreferences prefs = stored.value_or(domain::AlertPreferences{});
    const domain::AlertChannels& channels = prefs.For(kind);
    if (channels.browser) {
      SOPORTE_TRY(row,
                  tx.alerts().InsertAlert(AlertRecord{0, u.id, t.id, kind, t.response_due, now}));
      (void)row;
      // Inside the transaction: a console nudged before the commit reads again a moment later
      // (ui/js/widgets/alerts.js), and a rolled-back alert shows nothing.
      events_.Publish(TicketChanged{t.number, t.org_id, "alert", u.id});
    }
    if (channels.mail) SOPORTE_TRY_STATUS(Mail(tx, t, kind, u, prefs, now));
  }
  return Ok();
}

Status StaffAlerts::Mail(WriteTx& tx, const domain::Ticket& t, AlertKind kind, const User& to,
                         const domain::AlertPreferences& prefs, Instant now) {
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  // The facts; the outbox renders the text at delivery (app::OutboxRenderer), outside the writer.
  MailFacts facts;
  facts.alert = std::string(domain::AlertKindName(kind));
  facts.ticket_number = t.number;
  facts.subject = t.subject;
  facts.criticality = std::string(domain::sla::Name(t.criticality));
  facts.channel = std::string(domain::sla::Name(t.channel));
  facts.received_at = t.received_at;
  facts.due = t.response_due;
  facts.zone = contract.zone;
  facts.recipient_name = to.name;
  OutboxRecord row;
  row.created_at = now;
  row.kind = MailKindName(MailKind::kStaffAlert);
  row.to_address = to.email;
  // Unique: one alert of a kind per ticket and recipient (the watch fires each threshold once).
  row.message_id = "soporte.alert." + std::to_string(t.number) + "." + facts.alert + "." +
                   std::to_string(to.id.value()) + "." +
                   std::to_string(now.time_since_epoch().count()) + "@" +
                   DomainOf(options_.support_address);
  row.auto_submitted = std::string(domain::mail::kAutoGenerated);
  row.lang = domain::IsMailLanguage(to.lang) ? to.lang : options_.default_lang;
  row.ticket_id = t.id;
  row.facts = std::move(facts);
  // Quiet hours: the mail waits in the outbox until the recipient's window ends.
  row.next_attempt_at = domain::QuietUntil(prefs, now).value_or(now);
  SOPORTE_TRY(stored, tx.mail().InsertOutbox(std::move(row)));
  (void)stored;
  return Ok();
}

Result<domain::AlertPreferences> AlertPreferencesService::Get(const Principal& who) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "alert preferences are for staff");
  return ReadValue(store_, [&](ReadTx& tx) -> Result<domain::AlertPreferences> {
    SOPORTE_TRY(stored, tx.alerts().GetAlertPreferences(who.user_id));
    return stored.value_or(domain::AlertPreferences{});
  });
}

Result<domain::AlertPreferences> AlertPreferencesService::Put(const Principal& who,
                                                              const domain::AlertPreferences& p) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "alert preferences are for staff");
  SOPORTE_TRY_STATUS(domain::CheckAlertPreferences(p));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<domain::AlertPreferences> {
    SOPORTE_TRY_STATUS(tx.alerts().PutAlertPreferences(who.user_id, p, now));
    return p;
  });
}

Result<std::vector<AlertPreferencesService::AlertView>> AlertPreferencesService::List(
    const Principal& who, std::int64_t after_id, int limit) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "alerts are for staff");
  if (limit < 1 || limit > 200)
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  if (after_id < 0) return Fail(ErrorCode::kInvalidArgument, "after must be 0 or more");
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<AlertView>> {
    SOPORTE_TRY(rows, tx.alerts().ListAlerts(who.user_id, after_id, limit));
    std::vector<AlertView> out;
    for (auto& r : rows) {
      SOPORTE_TRY(t, tx.tickets().GetTicket(r.ticket_id));
      SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
      out.push_back(AlertView{std::move(r), t.number, t.subject, t.criticality, contract.zone});
    }
    return out;
  });
}

}  // namespace soporte::app
