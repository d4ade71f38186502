#include "app/tickets/ticket_service.hpp"

#include <set>
#include "app/calendars/calendar_service.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace soporte::app {
namespace {

using domain::Ticket;
using domain::TicketEvent;
using domain::TicketStatus;

Error NoSuchTicket(std::int64_t number) {
  return Error{ErrorCode::kNotFound, "no ticket #" + std::to_string(number)};
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += ",";
    out += t;
  }
  return out;
}

std::string SecondsText(Instant t) { return std::to_string(t.time_since_epoch().count()); }

// Trims ASCII white space at both ends.
std::string Trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

}  // namespace

TicketService::TicketService(Store& store, const sla::SlaEngine& sla, EventBus& events,
                             const Clock& clock, TicketLimits limits)
    : store_(store), sla_(sla), events_(events), clock_(clock), limits_(limits) {}

Status TicketService::ValidateTags(const std::vector<std::string>& tags) const {
  if (tags.size() > limits_.max_tags) {
    return Fail(ErrorCode::kInvalidArgument, "tags: at most " + std::to_string(limits_.max_tags));
  }
  for (const auto& tag : tags) {
    if (tag.empty() || tag.size() > limits_.max_tag) {
      return Fail(ErrorCode::kInvalidArgument,
                  "tags: each tag must have 1 to " + std::to_string(limits_.max_tag) + " characters");
    }
    if (tag.find_first_of(", \t\r\n") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "tags: a tag may not contain spaces or commas");
    }
  }
  // A tag is a label, not a count: "VPN" and "vpn" twice is a mistake to point out, not to store.
  auto same = [](std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
  };
  for (std::size_t i = 0; i < tags.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (same(tags[i], tags[j])) {
        return Fail(ErrorCode::kInvalidArgument, "tags: '" + tags[i] + "' is given twice");
      }
    }
  }
  return Ok();
}

namespace {

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

}  // namespace

Result<Ticket> TicketService::VisibleTicket(ReadTx& tx, const Principal& who, std::int64_t number) {
  return AsVisible(tx.tickets().GetTicketByNumber(number), who, number, [](const Ticket& t) { return t.org_id; });
}

Result<TicketView> TicketService::ViewOf(ReadTx& tx, Ticket t, Instant now) {
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
  TicketView v;
  Ticket& t = c.ticket;
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
    SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
    auto used = sla_.BusinessElapsed(contract_sla, t.clock_start, until);
    if (used) v.response_share = static_cast<double>(used->count()) / static_cast<double>(target.count());
  }
  v.ticket = std::move(t);
  return v;
}

Result<TicketView> TicketService::Create(const Principal& who, const NewTicket& in_raw) {
  NewTicket in = in_raw;
  in.subject = Trim(in.subject);
  if (in.subject.empty()) return Fail(ErrorCode::kInvalidArgument, "subject is required");
  if (in.subject.size() > limits_.max_subject) {
    return Fail(ErrorCode::kInvalidArgument,
                "subject: at most " + std::to_string(limits_.max_subject) + " bytes");
  }
  if (in.description.size() > limits_.max_description) {
    return Fail(ErrorCode::kInvalidArgument,
                "description: at most " + std::to_string(limits_.max_description) + " bytes");
  }
  SOPORTE_TRY_STATUS(ValidateTags(in.tags));
  for (const auto& [item, text] : in.intake) {
    if (!domain::ParseIntakeItem(item)) {
      return Fail(ErrorCode::kInvalidArgument, "intake: unknown item '" + item +
                                                   "' (environment, steps, screenshots, logs, modifications, versions)");
    }
    if (text.size() > limits_.max_description) {
      return Fail(ErrorCode::kInvalidArgument, "intake." + item + ": at most " +
                                                   std::to_string(limits_.max_description) + " bytes");
    }
  }
  const Instant now = clock_.Now();
  Instant received = now;
  sla::Channel channel = in.channel.value_or(sla::Channel::kPortal);
  if (!who.staff()) {
    if (channel != sla::Channel::kPortal && channel != sla::Channel::kChat) {
      return Fail(ErrorCode::kInvalidArgument, "channel: customers open tickets by portal or chat");
    }
    if (in.requester_email) {
      return Fail(ErrorCode::kInvalidArgument, "requester: only support staff may set it");
    }
    if (in.received_at) {
      return Fail(ErrorCode::kInvalidArgument, "received_at: only support staff may set it");
    }
  } else {
    if (!in.org_slug) return Fail(ErrorCode::kInvalidArgument, "org is required");
    if (in.received_at) {
      if (*in.received_at > now) return Fail(ErrorCode::kInvalidArgument, "received_at is in the future");
      received = *in.received_at;
    }
  }

  auto created = WriteValue(store_, [&](WriteTx& tx) -> Result<TicketView> {
    SOPORTE_TRY(view, CreateInTx(tx, who, in, channel, received, now));
    if (notifier_) SOPORTE_TRY_STATUS(notifier_->TicketCreated(tx, view.ticket, who));
    return view;
  });
  if (created) events_.Publish({created->ticket.number, created->ticket.org_id, "created"});
  return created;
}

Result<TicketView> TicketService::CreateInTx(WriteTx& tx, const Principal& who, const NewTicket& in,
                                             sla::Channel channel, Instant received, Instant now) {
  domain::Organization org;
  if (in.org_slug) {
    auto o = tx.orgs().GetOrgBySlug(*in.org_slug);
    if (!o || !who.CanSeeOrg(o->id)) {
      if (o || o.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no organisation '" + *in.org_slug + "'");
      }
      return tl::make_unexpected(o.error());
    }
    org = *o;
  } else {
    SOPORTE_TRY(o, tx.orgs().GetOrg(who.org_id));
    org = o;
  }

  domain::Contract contract;
  if (in.contract_id) {
    auto c = tx.orgs().GetContract(*in.contract_id);
    if (!c || c->org_id != org.id) {
      return Fail(ErrorCode::kNotFound, "no contract " + std::to_string(in.contract_id->value()) +
                                            " for organisation '" + org.slug + "'");
    }
    contract = *c;
    SOPORTE_TRY_STATUS(domain::CheckContractAccepts(contract, channel, received));
  } else {
    SOPORTE_TRY(contracts, tx.orgs().ListContracts(org.id));
    bool found = false;
    Status why = Fail(ErrorCode::kUnprocessable,
                      "organisation '" + org.slug + "' has no support contract");
    for (const auto& c : contracts) {
      Status ok = domain::CheckContractAccepts(c, channel, received);
      if (ok) {
        contract = c;
        found = true;
        break;
      }
      why = ok;
    }
    if (!found) return tl::make_unexpected(why.error());
  }

  UserId requester = who.user_id;
  if (in.requester_email) {
    SOPORTE_TRY(email, domain::NormalizeEmail(*in.requester_email));
    auto u = tx.accounts().GetUserByEmail(email);
    if (!u || (u->role == domain::Role::kCustomer && u->org_id != org.id)) {
      return Fail(ErrorCode::kNotFound, "requester: no user " + email + " in organisation '" +
                                            org.slug + "'");
    }
    requester = u->id;
  }
  if (!requester.valid()) return Fail(ErrorCode::kInvalidArgument, "requester is required");

  SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
  SOPORTE_TRY(due, sla_.Due(contract_sla, in.criticality, channel, received));
  Ticket t;
  t.org_id = org.id;
  t.contract_id = contract.id;
  t.requester_id = requester;
  t.type = in.type;
  t.criticality = in.criticality;
  t.status = TicketStatus::kNew;
  t.channel = channel;
  t.environment = in.environment;
  t.subject = in.subject;
  t.description = in.description;
  t.tags = in.tags;
  t.received_at = received;
  t.clock_start = due.clock_start;
  t.response_due = due.due;
  t.created_at = now;
  t.updated_at = now;
  SOPORTE_TRY(stored, tx.tickets().InsertTicket(std::move(t)));
  SOPORTE_TRY_STATUS(tx.audit().AppendEvent(TicketEvent{0, stored.id, who.user_id, now, "created", "",
                                                std::string(domain::StatusName(stored.status))}));
  for (const auto& [item, text] : in.intake) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    SOPORTE_TRY_STATUS(tx.tickets().PutTicketIntake(stored.id, item, text));
  }
  SOPORTE_TRY(view, ViewOf(tx, std::move(stored), now));
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
  return std::make_pair(domain::EvaluateChecklist(intake_rules_.Required(t.type, t.criticality), present),
                        std::move(answers));
}

Status TicketService::AddChecklist(ReadTx& tx, TicketView& v) const {
  SOPORTE_TRY(checklist, Checklist(tx, v.ticket));
  v.checklist = std::move(checklist.first);
  v.intake = std::move(checklist.second);
  v.has_checklist = true;
  return Ok();
}

Result<std::vector<domain::IntakeItem>> TicketService::MissingIntake(ReadTx& tx, const domain::Ticket& t) const {
  SOPORTE_TRY(checklist, Checklist(tx, t));
  std::vector<domain::IntakeItem> missing;
  for (const auto& e : checklist.first) {
    if (!e.present) missing.push_back(e.item);
  }
  return missing;
}

Result<TicketListPage> TicketService::List(const Principal& who, const TicketListQuery& q) {
  if (q.limit < 1 || q.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  const Instant now = clock_.Now();
  return ReadValue(store_, [&](ReadTx& tx) -> Result<TicketListPage> {
    TicketQuery query;
    query.status = q.status;
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
    SOPORTE_TRY(page, tx.tickets().ListTickets(query));
    TicketListPage out;
    out.tickets.reserve(page.tickets.size());
    for (auto& t : page.tickets) {
      SOPORTE_TRY(view, ViewOf(tx, std::move(t), now));
      out.tickets.push_back(std::move(view));
    }
    if (page.has_more && !out.tickets.empty()) {
      const auto& last = out.tickets.back().ticket;
      out.next = std::make_pair(last.response_due, last.number);
    }
    return out;
  });
}

Result<TicketView> TicketService::Update(const Principal& who, std::int64_t number,
                                         const TicketPatch& patch) {
  if (patch.tags) SOPORTE_TRY_STATUS(ValidateTags(*patch.tags));
  if (!who.staff()) {
    if (patch.criticality || patch.assignee || patch.tags || patch.contract_id) {
      return Fail(ErrorCode::kPermissionDenied,
                  "customers may only close or reopen a resolved ticket");
    }
  }
  const Instant now = clock_.Now();
  auto updated = WriteValue(store_, [&](WriteTx& tx) -> Result<TicketView> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    const TicketStatus status_was = t.status;
    std::vector<TicketEvent> events;
    auto record = [&](std::string field, std::string before, std::string after) {
      events.push_back(TicketEvent{0, t.id, who.user_id, now, std::move(field), std::move(before),
                                   std::move(after)});
    };
    bool recompute_due = false;

    if (patch.status && *patch.status != t.status) {
      if (!who.staff()) {
        const bool allowed = t.status == TicketStatus::kResolved &&
                             (*patch.status == TicketStatus::kClosed || *patch.status == TicketStatus::kOpen);
        if (!allowed) {
          return Fail(ErrorCode::kPermissionDenied,
                      "customers may only close or reopen a resolved ticket");
        }
      }
      SOPORTE_TRY_STATUS(domain::CheckTransition(t.status, *patch.status));
      record("status", std::string(domain::StatusName(t.status)),
             std::string(domain::StatusName(*patch.status)));
      t.status = *patch.status;
    }
    if (patch.criticality && *patch.criticality != t.criticality) {
      record("criticality", std::string(sla::Name(t.criticality)),
             std::string(sla::Name(*patch.criticality)));
      t.criticality = *patch.criticality;
      recompute_due = true;
    }
    if (patch.contract_id && *patch.contract_id != t.contract_id) {
      auto c = tx.orgs().GetContract(*patch.contract_id);
      if (!c || c->org_id != t.org_id) {
        return Fail(ErrorCode::kNotFound, "contract: no contract " +
                                              std::to_string(patch.contract_id->value()) +
                                              " for this ticket's organisation");
      }
      // The same test as at creation: in force when the ticket was received, and open to the
      // channel it came by (a phone ticket cannot move to an 8x5 contract).
      if (auto accepts = domain::CheckContractAccepts(*c, t.channel, t.received_at); !accepts) {
        return Fail(accepts.error().code, "contract: " + accepts.error().message);
      }
      record("contract", std::to_string(t.contract_id.value()), std::to_string(c->id.value()));
      t.contract_id = c->id;
      recompute_due = true;
    }
    if (patch.assignee) {
      const UserId to = patch.assignee->value_or(UserId{});
      if (to != t.assignee_id) {
        std::string after;
        if (to.valid()) {
          auto u = tx.accounts().GetUser(to);
          if (!u || !domain::IsStaff(u->role) || !u->active) {
            return Fail(ErrorCode::kInvalidArgument,
                        "assignee: no active support staff user " + std::to_string(to.value()));
          }
          after = u->email;
        }
        std::string before;
        if (t.assignee_id.valid()) {
          if (auto prev = tx.accounts().GetUser(t.assignee_id)) before = prev->email;
        }
        record("assignee", before, after);
        t.assignee_id = to;
      }
    }
    if (patch.tags && *patch.tags != t.tags) {
      record("tags", JoinTags(t.tags), JoinTags(*patch.tags));
      t.tags = *patch.tags;
    }
    if (recompute_due) {
      // The promise is recomputed from the original reception on the (new) contract's calendar.
      SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
      SOPORTE_TRY(contract_sla, ContractSlaOf(tx, contract));
      SOPORTE_TRY(due, sla_.Due(contract_sla, t.criticality, t.channel, t.received_at));
      if (due.due != t.response_due) record("response_due", SecondsText(t.response_due), SecondsText(due.due));
      t.clock_start = due.clock_start;
      t.response_due = due.due;
    }
    if (events.empty()) {
      SOPORTE_TRY(view, ViewOf(tx, std::move(t), now));
      SOPORTE_TRY_STATUS(AddChecklist(tx, view));
      return view;
    }
    t.updated_at = now;
    const TicketStatus status_before = status_was;
    SOPORTE_TRY(stored, tx.tickets().UpdateTicket(std::move(t)));
    for (auto& e : events) SOPORTE_TRY_STATUS(tx.audit().AppendEvent(std::move(e)));
    if (notifier_ && stored.status != status_before) {
      SOPORTE_TRY_STATUS(notifier_->StatusChanged(tx, stored, status_before, who));
    }
    // The answer is the ticket as GET shows it, checklist included.
    SOPORTE_TRY(view, ViewOf(tx, std::move(stored), now));
    SOPORTE_TRY_STATUS(AddChecklist(tx, view));
    return view;
  });
  if (updated) events_.Publish({updated->ticket.number, updated->ticket.org_id, "updated"});
  return updated;
}

Result<ArticleView> TicketService::AddArticle(const Principal& who, std::int64_t number,
                                              std::string body, bool internal) {
  if (Trim(body).empty()) return Fail(ErrorCode::kInvalidArgument, "body is required");
  if (body.size() > limits_.max_body) {
    return Fail(ErrorCode::kInvalidArgument, "body: at most " + std::to_string(limits_.max_body) + " bytes");
  }
  if (internal && !who.staff()) {
    return Fail(ErrorCode::kPermissionDenied, "only support staff may write internal notes");
  }
  const Instant now = clock_.Now();
  OrgId ticket_org;
  domain::Ticket saved;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<ArticleView> {
    SOPORTE_TRY(view, AddArticleInTx(tx, who, number, std::move(body), internal,
                                     sla::Channel::kPortal, now, &saved));
    ticket_org = saved.org_id;
    if (notifier_) SOPORTE_TRY_STATUS(notifier_->ArticleAdded(tx, saved, view.article, who));
    return view;
  });
  if (added) {
    // Internal notes are announced too (staff views refresh); subscribers filter by audience.
    events_.Publish({number, ticket_org, internal ? "note" : "article"});
  }
  return added;
}

Result<ArticleView> TicketService::LogPhoneCall(const Principal& who, std::int64_t number,
                                                PhoneCallLog call) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "only support staff may log phone calls");
  call.caller = Trim(call.caller);
  if (call.caller.empty()) return Fail(ErrorCode::kInvalidArgument, "caller is required");
  if (call.caller.size() > 200) return Fail(ErrorCode::kInvalidArgument, "caller: at most 200 characters");
  if (call.duration_minutes < 0 || call.duration_minutes > 600) {
    return Fail(ErrorCode::kInvalidArgument, "duration_minutes must be between 0 and 600");
  }
  if (Trim(call.notes).empty()) return Fail(ErrorCode::kInvalidArgument, "notes is required");
  if (call.notes.size() > limits_.max_body) {
    return Fail(ErrorCode::kInvalidArgument, "notes: at most " + std::to_string(limits_.max_body) + " bytes");
  }
  const Instant now = clock_.Now();
  OrgId ticket_org;
  domain::Ticket saved;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<ArticleView> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    if (!contract.channels.Has(sla::Channel::kPhone)) {
      // Protocol: the phone line is offered to 24x7 contracts only.
      return Fail(ErrorCode::kUnprocessable,
                  "the contract of ticket #" + std::to_string(number) + " (" +
                      std::string(sla::Name(contract.modality)) +
                      ") has no phone line; record the call as an internal note instead");
    }
    SOPORTE_TRY_STATUS(domain::CheckContractAccepts(contract, sla::Channel::kPhone, now));
    SOPORTE_TRY(view, AddArticleInTx(tx, who, number, std::move(call.notes), call.internal,
                                     sla::Channel::kPhone, now, &saved,
                                     domain::PhoneCall{call.caller, call.duration_minutes}));
    ticket_org = saved.org_id;
    if (notifier_) SOPORTE_TRY_STATUS(notifier_->ArticleAdded(tx, saved, view.article, who));
    return view;
  });
  if (added) events_.Publish({number, ticket_org, call.internal ? "note" : "article"});
  return added;
}

Result<ArticleView> TicketService::AddArticleInTx(WriteTx& tx, const Principal& who,
                                                  std::int64_t number, std::string body,
                                                  bool internal, sla::Channel channel, Instant now,
                                                  domain::Ticket* saved_out,
                                                  std::optional<domain::PhoneCall> call) {
  SOPORTE_TRY(t, VisibleTicket(tx, who, number));
  if (t.status == TicketStatus::kClosed) {
    return Fail(ErrorCode::kFailedPrecondition, "ticket #" + std::to_string(number) + " is closed");
  }
  domain::Article a;
  a.ticket_id = t.id;
  a.author_id = who.user_id;
  a.body = std::move(body);
  a.internal = internal;
  a.channel = channel;
  a.created_at = now;
  a.call = std::move(call);
  SOPORTE_TRY(stored, tx.tickets().InsertArticle(std::move(a)));

  auto record = [&](std::string field, std::string before, std::string after) -> Status {
    return tx.audit().AppendEvent(TicketEvent{0, t.id, who.user_id, now, std::move(field),
                                      std::move(before), std::move(after)});
  };
  if (who.staff() && !internal) {
    // sla: the first public reply by support staff stops the response clock.
    if (!t.first_response_at) {
      t.first_response_at = now;
      SOPORTE_TRY_STATUS(record("first_response", "", SecondsText(now)));
    }
    if (t.status == TicketStatus::kNew) {
      SOPORTE_TRY_STATUS(record("status", "new", "open"));
      t.status = TicketStatus::kOpen;
    }
  } else if (!who.staff() && t.status == TicketStatus::kWaitingCustomer) {
    // The customer answered: the ball is back with support.
    SOPORTE_TRY_STATUS(record("status", "waiting_customer", "open"));
    t.status = TicketStatus::kOpen;
  }
  t.updated_at = now;
  SOPORTE_TRY(saved, tx.tickets().UpdateTicket(std::move(t)));
  if (saved_out) *saved_out = saved;
  SOPORTE_TRY(author, tx.accounts().GetUser(who.user_id));
  SOPORTE_TRY(contract, tx.orgs().GetContract(saved.contract_id));
  return ArticleView{std::move(stored), PersonRef{author.id, author.name, author.email},
                     std::string(domain::RoleName(author.role)), contract.zone};
}

Result<std::vector<ArticleView>> TicketService::ListArticles(const Principal& who,
                                                             std::int64_t number) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<ArticleView>> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    SOPORTE_TRY(articles, tx.tickets().ListArticles(t.id, who.staff()));
    std::map<std::int64_t, std::pair<PersonRef, std::string>> people;
    std::vector<ArticleView> out;
    out.reserve(articles.size());
    for (auto& a : articles) {
      auto it = people.find(a.author_id.value());
      if (it == people.end()) {
        SOPORTE_TRY(u, tx.accounts().GetUser(a.author_id));
        it = people.emplace(a.author_id.value(),
                            std::make_pair(PersonRef{u.id, u.name, u.email},
                                           std::string(domain::RoleName(u.role)))).first;
      }
      out.push_back(ArticleView{std::move(a), it->second.first, it->second.second, contract.zone});
    }
    return out;
  });
}

Status TicketService::CheckCanAttach(const Principal& who, std::int64_t number) {
  return store_.Read([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    if (t.status == TicketStatus::kClosed) {
      return Fail(ErrorCode::kFailedPrecondition, "ticket #" + std::to_string(number) + " is closed");
    }
    return Ok();
  });
}

Result<AttachmentView> TicketService::AddAttachment(const Principal& who, std::int64_t number,
                                                    const AttachmentUpload& upload) {
  const Instant now = clock_.Now();
  OrgId ticket_org;
  auto added = WriteValue(store_, [&](WriteTx& tx) -> Result<AttachmentView> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    ticket_org = t.org_id;
    if (t.status == TicketStatus::kClosed) {
      return Fail(ErrorCode::kFailedPrecondition, "ticket #" + std::to_string(number) + " is closed");
    }
    domain::Attachment a;
    a.ticket_id = t.id;
    a.sha256 = upload.blob.sha256;
    a.filename = upload.filename;
    a.content_type = upload.content_type;
    a.size = upload.blob.size;
    a.uploaded_by = who.user_id;
    a.created_at = now;
    SOPORTE_TRY(stored, tx.tickets().InsertAttachment(std::move(a)));
    SOPORTE_TRY_STATUS(tx.audit().AppendEvent(TicketEvent{0, t.id, who.user_id, now, "attachment", "",
                                                  stored.filename}));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    return AttachmentView{std::move(stored), contract.zone};
  });
  if (added) events_.Publish({number, ticket_org, "attachment"});
  return added;
}

Result<std::vector<AttachmentView>> TicketService::ListAttachments(const Principal& who,
                                                                   std::int64_t number) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<AttachmentView>> {
    SOPORTE_TRY(t, VisibleTicket(tx, who, number));
    SOPORTE_TRY(contract, tx.orgs().GetContract(t.contract_id));
    SOPORTE_TRY(list, tx.tickets().ListAttachments(t.id));
    std::vector<AttachmentView> out;
    for (auto& a : list) out.push_back(AttachmentView{std::move(a), contract.zone});
    return out;
  });
}

Result<domain::Attachment> TicketService::GetAttachment(const Principal& who, AttachmentId id) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<domain::Attachment> {
    auto a = tx.tickets().GetAttachment(id);
    const auto missing = Error{ErrorCode::kNotFound, "no attachment " + std::to_string(id.value())};
    if (!a) {
      if (a.error().code == ErrorCode::kNotFound) return tl::make_unexpected(missing);
      return a;
    }
    SOPORTE_TRY(t, tx.tickets().GetTicket(a->ticket_id));
    if (!who.CanSeeOrg(t.org_id)) return tl::make_unexpected(missing);
    return a;
  });
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
