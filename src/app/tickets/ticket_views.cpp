// TicketService: what callers see of a ticket (the view with names and SLA state, the intake
// checklist) and its history with the people who made it.
#include <map>
#include <set>
#include <string>
#include <utility>

#include "app/calendars/calendar_service.hpp"
#include "app/tickets/ticket_service.hpp"

namespace soporte::app {

Result<TicketView> TicketService::ViewOf(ReadTx& tx, domain::Ticket t, Instant now) {
  TicketContext c;
  SOPORTE_TRY(org, tx.orgs().GetOrg(t.org_id));
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  SOPORTE_TRY(requester, tx.accounts().GetUser(t.requester_id));
  c.org = std::move(org);
  c.contract = std::move(contract);
  c.requester = PersonRef{requester.id, requester.name, requester.email};
  if (t.assignee_id.valid()) {
    SOPORTE_TRY(assignee, tx.accounts().GetUser(t.assignee_id));
    c.assignee = PersonRef{assignee.id, assignee.name, assignee.email};
  }
  c.ticket = std::move(t);
  return ViewFrom(tx, std::move(c), now);
}

Result<TicketView> TicketService::ViewFrom(ReadTx& tx, TicketContext c, Instant now) {
  CalendarMemo calendars;
  return ViewFrom(tx, std::move(c), now, calendars);
}

Result<TicketView> TicketService::ViewFrom(ReadTx& tx, TicketContext c, Instant now,
                                           CalendarMemo& calendars) const {
  TicketView v;
  domain::Ticket& t = c.ticket;
  const domain::Contract& contract = c.contract;
  v.org_slug = std::move(c.org.slug);
  v.org_name = std::move(c.org.name);
  v.requester = std::move(c.requester);
  v.assignee = std::move(c.assignee);
  v.modality = contract.modality;
  v.zone = contract.zone;
  v.breached = domain::ResponseBreached(t, now);
  const Instant until = t.first_response_at.value_or(now);
  const Seconds target = contract.targets.For(t.criticality);
  if (until > t.clock_start && target.count() > 0) {
    sla::ContractSla contract_sla;
    const bool stored_calendar =
        contract.calendar_id.valid() && contract.modality != sla::Modality::k24x7;
    auto known = stored_calendar ? calendars.find(contract.calendar_id.value()) : calendars.end();
    if (known != calendars.end()) {
      contract_sla = contract.Sla();
      contract_sla.calendar = known->second;
    } else {
      SOPORTE_TRY(read, ContractSlaOf(tx, contract));
      if (stored_calendar) calendars.emplace(contract.calendar_id.value(), read.calendar);
      contract_sla = std::move(read);
    }
    auto used = sla_.BusinessElapsed(contract_sla, t.clock_start, until);
    if (used)
      v.response_share = static_cast<double>(used->count()) / static_cast<double>(target.count());
  }
  v.ticket = std::move(t);
  return v;
}

Result<std::vector<TicketView>> TicketService::Hydrate(ReadTx& tx,
                                                       std::vector<TicketContext> contexts,
                                                       Instant now) const {
  CalendarMemo calendars;
  std::vector<TicketView> out;
  out.reserve(contexts.size());
  for (auto& c : contexts) {
    SOPORTE_TRY(view, ViewFrom(tx, std::move(c), now, calendars));
    out.push_back(std::move(view));
  }
  return out;
}

Result<std::vector<TicketView>> TicketService::HydrateIds(ReadTx& tx,
                                                          const std::vector<TicketId>& ids,
                                                          Instant now) const {
  SOPORTE_TRY(contexts, tx.tickets().GetTicketContexts(ids));
  return Hydrate(tx, std::move(contexts), now);
}

Result<TicketView> TicketService::ViewWithChecklist(ReadTx& tx, domain::Ticket t, Instant now) {
  SOPORTE_TRY(view, ViewOf(tx, std::move(t), now));
  SOPORTE_TRY_STATUS(AddChecklist(tx, view));
  return view;
}

Result<std::pair<std::vector<domain::ChecklistEntry>, std::map<std::string, std::string>>>
TicketService::Checklist(ReadTx& tx, const domain::Ticket& t) const {
  SOPORTE_TRY(answers, tx.tickets().ListTicketIntake(t.id));
  SOPORTE_TRY(files, tx.tickets().ListAttachments(t.id));
  std::set<domain::IntakeItem> present;
  if (t.environment != domain::Environment::kNone) present.insert(domain::IntakeItem::kEnvironment);
  for (const auto& [item, text] : answers) {
    if (auto i = domain::ParseIntakeItem(item)) present.insert(*i);
  }
  for (const auto& f : files) {
    for (auto i : domain::ItemsFromAttachment(f.filename, f.content_type)) present.insert(i);
  }
  return std::make_pair(
      domain::EvaluateChecklist(intake_rules_.Required(t.type, t.criticality), present),
      std::move(answers));
}

Status TicketService::AddChecklist(ReadTx& tx, TicketView& v) const {
  SOPORTE_TRY(checklist, Checklist(tx, v.ticket));
  v.checklist = std::move(checklist.first);
  v.intake = std::move(checklist.second);
  v.has_checklist = true;
  // The resolution clock, from the status history (single-ticket answers only, like the
  // checklist: a list never reads every ticket's history).
  const domain::Ticket& t = v.ticket;
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
  SOPORTE_TRY(calendar, sla_.CalendarFor(contract_sla));
  SOPORTE_TRY(target, tx.sla().GetResolutionTarget(t.contract_id));
  SOPORTE_TRY(events, tx.audit().ListEvents(t.id));
  std::vector<domain::StatusChange> changes;
  for (const auto& e : events) {
    if (e.field != "status") continue;
    if (auto to = domain::ParseStatus(e.after)) changes.push_back({e.at, *to});
  }
  v.resolution = domain::ResolutionClockAt(calendar, t.clock_start, domain::TicketStatus::kNew,
                                           changes, target, clock_.Now());
  return Ok();
}

Result<std::vector<domain::IntakeItem>> TicketService::MissingIntake(
    ReadTx& tx, const domain::Ticket& t) const {
  SOPORTE_TRY(checklist, Checklist(tx, t));
  std::vector<domain::IntakeItem> missing;
  for (const auto& e : checklist.first) {
    if (!e.present) missing.push_back(e.item);
  }
  return missing;
}

Result<HistoryView> TicketService::History(const Principal& who, std::int64_t number) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<HistoryView> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    HistoryView out;
    out.zone = contract.zone;
    SOPORTE_TRY(events, tx.audit().ListEvents(t.id));
    std::map<std::int64_t, PersonRef> people;
    for (auto& e : events) {
      PersonRef actor;
      if (e.actor_id.valid()) {
        auto it = people.find(e.actor_id.value());
        if (it == people.end()) {
          SOPORTE_TRY(u, tx.accounts().GetUser(e.actor_id));
          it = people.emplace(e.actor_id.value(), PersonRef{u.id, u.name, u.email}).first;
        }
        actor = it->second;
      }
      out.actors.push_back(std::move(actor));
      out.events.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace soporte::app
