// TicketService: opening, reading, listing and changing tickets. The rules are the domain's
// (domain/ticket/new_ticket, ticket_patch); this file looks up what a request names, asks the
// rules, recomputes the due with the SLA engine and writes.
#include "app/tickets/ticket_service.hpp"

#include <string>
#include <utility>

#include "app/calendars/calendar_service.hpp"
#include "app/tickets/acting_user.hpp"

namespace soporte::app {
namespace {

using domain::Ticket;
using domain::TicketEvent;
using domain::TicketStatus;

Error NoSuchTicket(std::int64_t number) {
  return Error{ErrorCode::kNotFound, "no ticket #" + std::to_string(number)};
}

// `found`, a read of ticket #number (the ticket itself or its context), as `who` may see it:
// another organisation's ticket answers exactly like a missing one.
template <class T, class OrgOf>
Result<T> AsVisible(Result<T> found, const Principal& who, std::int64_t number, OrgOf org_of) {
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) return tl::make_unexpected(NoSuchTicket(number));
    return found;
  }
  if (!who.CanSeeOrg(org_of(*found))) return tl::make_unexpected(NoSuchTicket(number));
  return found;
}

// The organisation a new ticket goes to: the one it names, if `who` may see it, else the caller's.
Result<domain::Organization> ResolveOrg(ReadTx& tx, const Principal& who, const NewTicket& in) {
  if (!in.org_slug) return tx.orgs().GetOrg(who.org_id);
  auto o = tx.orgs().GetOrgBySlug(*in.org_slug);
  if (!o || !who.CanSeeOrg(o->id)) {
    if (o || o.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "no organisation '" + *in.org_slug + "'");
    }
    return tl::make_unexpected(o.error());
  }
  return o;
}

// The contract a new ticket goes under: the one it names (the organisation's, accepting the
// channel at reception), else the first of the organisation's that accepts it.
Result<domain::Contract> ResolveContract(ReadTx& tx, const NewTicket& in,
                                         const domain::Organization& org, sla::Channel channel,
                                         Instant received) {
  if (in.contract_id) {
    auto c = tx.orgs().GetContract(*in.contract_id);
    if (!c || c->org_id != org.id) {
      return Fail(ErrorCode::kNotFound, "no contract " + std::to_string(in.contract_id->value()) +
                                            " for organisation '" + org.slug + "'");
    }
    SOPORTE_TRY_STATUS(domain::CheckContractAccepts(*c, channel, received));
    return c;
  }
  SOPORTE_TRY(contracts, tx.orgs().ListContracts(org.id));
  Status why =
      Fail(ErrorCode::kUnprocessable, "organisation '" + org.slug + "' has no support contract");
  for (auto& c : contracts) {
    Status ok = domain::CheckContractAccepts(c, channel, received);
    if (ok) return std::move(c);
    why = ok;
  }
  return tl::make_unexpected(why.error());
}

// The requester of a new ticket: the user it names by email (staff only; a customer must belong
// to the organisation), whose name the view then needs no read for; else the caller.
struct Requester {
  UserId id;
  std::optional<PersonRef> person;  // set when read here
};

Result<Requester> ResolveRequester(ReadTx& tx, const Principal& who, const NewTicket& in,
                                   const domain::Organization& org) {
  if (!in.requester_email) {
    if (!who.user_id.valid()) return Fail(ErrorCode::kInvalidArgument, "requester is required");
    return Requester{who.user_id, std::nullopt};
  }
  SOPORTE_TRY(email, domain::NormalizeEmail(*in.requester_email));
  auto u = tx.accounts().GetUserByEmail(email);
  if (!u || (u->role == domain::Role::kCustomer && u->org_id != org.id)) {
    return Fail(ErrorCode::kNotFound,
                "requester: no user " + email + " in organisation '" + org.slug + "'");
  }
  if (!u->id.valid()) return Fail(ErrorCode::kInvalidArgument, "requester is required");
  return Requester{u->id, PersonRef{u->id, u->name, u->email}};
}

// What the patch names, looked up (a failed lookup is left empty: ApplyPatch decides).
domain::PatchLookups LookUp(ReadTx& tx, const domain::PatchNeeds& needs) {
  domain::PatchLookups found;
  if (needs.contract) {
    if (auto c = tx.orgs().GetContract(*needs.contract)) found.contract = std::move(*c);
  }
  if (needs.assignee) {
    if (auto u = tx.accounts().GetUser(*needs.assignee)) found.assignee = std::move(*u);
  }
  if (needs.previous_assignee) {
    if (auto u = tx.accounts().GetUser(*needs.previous_assignee))
      found.previous_assignee_email = u->email;
  }
  return found;
}

}  // namespace

TicketService::TicketService(Store& store, const sla::SlaEngine& sla, EventBus& events,
                             const Clock& clock, TicketLimits limits)
    : store_(store), sla_(sla), events_(events), clock_(clock), limits_(limits) {}

Result<Ticket> TicketService::VisibleTicket(ReadTx& tx, const Principal& who, std::int64_t number) {
  return AsVisible(tx.tickets().GetTicketByNumber(number), who, number,
                   [](const Ticket& t) { return t.org_id; });
}

Result<TicketView> TicketService::Create(const Principal& who, const NewTicket& in_raw) {
  const Instant now = clock_.Now();
  SOPORTE_TRY(in, domain::CheckNewTicket(in_raw, ActorOf(who), now, limits_));
  auto created = WriteValue(store_, [&](WriteTx& tx) -> Result<TicketView> {
    SOPORTE_TRY(view, CreateInTx(tx, who, in.request, in.channel, in.received, now));
    if (notifier_) SOPORTE_TRY_STATUS(notifier_->TicketCreated(tx, view.ticket, who));
    return view;
  });
  if (created) events_.Publish({created->ticket.number, created->ticket.org_id, "created"});
  return created;
}

Result<TicketView> TicketService::CreateInTx(WriteTx& tx, const Principal& who, const NewTicket& in,
                                             sla::Channel channel, Instant received, Instant now) {
  SOPORTE_TRY(org, ResolveOrg(tx, who, in));
  SOPORTE_TRY(contract, ResolveContract(tx, in, org, channel, received));
  SOPORTE_TRY(requester, ResolveRequester(tx, who, in, org));
  SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
  SOPORTE_TRY(due, sla_.Due(contract_sla, in.criticality, channel, received));
  const domain::CheckedNewTicket checked{in, channel, received};
  SOPORTE_TRY(stored,
              tx.tickets().InsertTicket(domain::TicketFromRequest(
                  checked, org.id, contract.id, requester.id, due.clock_start, due.due, now)));
  SOPORTE_TRY_STATUS(tx.audit().AppendEvent(domain::CreatedEvent(stored, who.user_id, now)));
  for (const auto& [item, text] : in.intake) {
    if (domain::IsBlank(text)) continue;
    SOPORTE_TRY_STATUS(tx.tickets().PutTicketIntake(stored.id, item, text));
  }
  SOPORTE_TRY_STATUS(observers_.TicketCreated(tx, stored, who));
  // The view from what creation holds: only a requester who is the caller is read.
  if (!requester.person) {
    SOPORTE_TRY(u, tx.accounts().GetUser(requester.id));
    requester.person = PersonRef{u.id, u.name, u.email};
  }
  SOPORTE_TRY(view, ViewFrom(tx,
                             TicketContext{std::move(stored), std::move(org), std::move(contract),
                                           std::move(*requester.person), std::nullopt},
                             now));
  SOPORTE_TRY_STATUS(AddChecklist(tx, view));
  return view;
}

Result<TicketView> TicketService::Get(const Principal& who, std::int64_t number) {
  const Instant now = clock_.Now();
  return ReadValue(store_, [&](ReadTx& tx) -> Result<TicketView> {
    // One joined read of the ticket, its organisation, contract and people.
    SOPORTE_TRY(c, AsVisible(tx.tickets().GetTicketContext(number), who, number,
                             [](const TicketContext& tc) { return tc.ticket.org_id; }));
    SOPORTE_TRY(view, ViewFrom(tx, std::move(c), now));
    SOPORTE_TRY_STATUS(AddChecklist(tx, view));
    return view;
  });
}

Result<TicketListPage> TicketService::List(const Principal& who, const TicketListQuery& q) {
  if (q.limit < 1 || q.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  if (q.search) return Search(who, q);
  const Instant now = clock_.Now();
  // The default queue (a status at most) reads one page of one index; a combination of filters
  // may walk many index entries to fill its page: a large read.
  const bool narrowed = q.criticality || q.org_slug || q.assignee || q.breached;
  auto list = [&](ReadTx& tx) -> Result<TicketListPage> {
    TicketQuery query;
    query.status = q.status;
    query.active_only = q.active_only;
    query.criticality = q.criticality;
    query.breached = q.breached;
    query.now = now;
    query.limit = q.limit;
    query.after = q.after;
    if (q.assignee) query.assignee_id = q.assignee->value_or(UserId{});
    if (q.org_slug) {
      auto org = tx.orgs().GetOrgBySlug(*q.org_slug);
      if (!org || !who.CanSeeOrg(org->id)) {
        if (org || org.error().code == ErrorCode::kNotFound) return TicketListPage{};
        return tl::make_unexpected(org.error());
      }
      query.org_id = org->id;
    }
    if (!who.staff()) query.org_id = who.org_id;
    // One joined read for the page, then the views with each calendar read once.
    SOPORTE_TRY(page, tx.tickets().ListTicketContexts(query));
    TicketListPage out;
    SOPORTE_TRY(views, Hydrate(tx, std::move(page.tickets), now));
    out.tickets = std::move(views);
    if (page.has_more && !out.tickets.empty()) {
      const auto& last = out.tickets.back().ticket;
      out.next = std::make_pair(last.response_due, last.number);
    }
    return out;
  };
  return ReadValue(store_, list, narrowed ? ReadSize::kMany : ReadSize::kFew);
}

Result<TicketView> TicketService::Update(const Principal& who, std::int64_t number,
                                         const TicketPatch& patch) {
  // What needs no ticket is refused before the ticket is read (a customer's field change is
  // kPermissionDenied even on a ticket it cannot see).
  SOPORTE_TRY_STATUS(domain::CheckPatchRequest(patch, ActorOf(who), limits_));
  const Instant now = clock_.Now();
  auto updated = WriteValue(store_, [&](WriteTx& tx) -> Result<TicketView> {
    return UpdateInTx(tx, who, number, patch, now);
  });
  if (updated) events_.Publish({updated->ticket.number, updated->ticket.org_id, "updated"});
  return updated;
}

Result<TicketView> TicketService::UpdateInTx(WriteTx& tx, const Principal& who, std::int64_t number,
                                             const TicketPatch& patch, Instant now) {
  SOPORTE_TRY(t, VisibleTicket(tx, who, number));
  const TicketStatus status_before = t.status;
  const domain::PatchLookups found = LookUp(tx, domain::NeedsOf(t, patch));
  SOPORTE_TRY(change, domain::ApplyPatch(t, patch, ActingUserOf(who), now, found, limits_));
  if (change.recompute_due) SOPORTE_TRY_STATUS(RecomputeDue(tx, change, who.user_id, now));
  // Nothing changed: nothing is written; the answer is the ticket as it is.
  if (change.events.empty()) return ViewWithChecklist(tx, std::move(change.ticket), now);
  change.ticket.updated_at = now;
  SOPORTE_TRY(stored, tx.tickets().UpdateTicket(std::move(change.ticket)));
  for (const auto& e : change.events) SOPORTE_TRY_STATUS(tx.audit().AppendEvent(e));
  SOPORTE_TRY_STATUS(observers_.TicketUpdated(tx, t, stored, change.events, who));
  if (notifier_ && stored.status != status_before) {
    SOPORTE_TRY_STATUS(notifier_->StatusChanged(tx, stored, status_before, who));
  }
  // The answer is the ticket as GET shows it, checklist included.
  return ViewWithChecklist(tx, std::move(stored), now);
}

Status TicketService::RecomputeDue(ReadTx& tx, domain::PatchOutcome& change, UserId actor,
                                   Instant now) const {
  // The promise is recomputed from the original reception on the (new) contract's calendar.
  Ticket& t = change.ticket;
  SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
  SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
  SOPORTE_TRY(due, sla_.Due(contract_sla, t.criticality, t.channel, t.received_at));
  if (due.due != t.response_due) {
    change.events.push_back(TicketEvent{0, t.id, actor, now, "response_due",
                                        domain::EventInstantText(t.response_due),
                                        domain::EventInstantText(due.due)});
  }
  t.clock_start = due.clock_start;
  t.response_due = due.due;
  return Ok();
}

}  // namespace soporte::app
