#include "storage/memory/memory_ticket_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>

#include "domain/profile/intake_checklist.hpp"
#include "storage/memory/memory_account_repository.hpp"
#include "storage/memory/memory_org_repository.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

Result<domain::Ticket> MemoryTicketRepository::GetTicket(TicketId id) {
  return Find(s_.tickets, id.value(), "ticket " + std::to_string(id.value()));
}

Result<domain::Ticket> MemoryTicketRepository::GetTicketByNumber(std::int64_t number) {
  for (const auto& [id, t] : s_.tickets) {
    if (t.number == number) return t;
  }
  return tl::make_unexpected(NotFound("ticket #" + std::to_string(number)));
}

Result<app::TicketContext> MemoryTicketRepository::GetTicketContext(std::int64_t number) {
  SOPORTE_TRY(ticket, GetTicketByNumber(number));
  return ContextOf(std::move(ticket));
}

Result<app::TicketContext> MemoryTicketRepository::ContextOf(domain::Ticket ticket) {
  app::TicketContext c;
  // The same reads (and errors) as the other repositories over this state.
  MemoryOrgRepository orgs(s_);
  MemoryAccountRepository accounts(s_);
  SOPORTE_TRY(org, orgs.GetOrg(ticket.org_id));
  SOPORTE_TRY(contract, orgs.GetContract(ticket.contract_id));
  SOPORTE_TRY(requester, accounts.GetUser(ticket.requester_id));
  if (ticket.assignee_id.valid()) {
    SOPORTE_TRY(assignee, accounts.GetUser(ticket.assignee_id));
    c.assignee = app::PersonRef{assignee.id, assignee.name, assignee.email};
  }
  c.requester = app::PersonRef{requester.id, requester.name, requester.email};
  c.ticket = std::move(ticket);
  c.org = std::move(org);
  c.contract = std::move(contract);
  return c;
}

Result<app::TicketContextPage> MemoryTicketRepository::ListTicketContexts(
    const app::TicketQuery& q) {
  SOPORTE_TRY(page, ListTickets(q));
  app::TicketContextPage out;
  out.has_more = page.has_more;
  out.tickets.reserve(page.tickets.size());
  for (auto& t : page.tickets) {
    SOPORTE_TRY(c, ContextOf(std::move(t)));
    out.tickets.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<app::TicketContext>> MemoryTicketRepository::GetTicketContexts(
    const std::vector<TicketId>& ids) {
  SOPORTE_TRY_STATUS(ValidateContextIds(ids));
  std::vector<app::TicketContext> out;
  out.reserve(ids.size());
  for (TicketId id : ids) {
    auto it = s_.tickets.find(id.value());
    if (it == s_.tickets.end()) continue;
    SOPORTE_TRY(c, ContextOf(it->second));
    out.push_back(std::move(c));
  }
  return out;
}

Result<app::TicketPage> MemoryTicketRepository::ListTickets(const app::TicketQuery& q) {
  SOPORTE_TRY_STATUS(ValidateQuery(q));
  std::vector<const domain::Ticket*> hits;
  for (const auto& [id, t] : s_.tickets) {
    if (q.status && t.status != *q.status) continue;
    if (q.active_only && !domain::IsActive(t.status)) continue;
    if (q.criticality && t.criticality != *q.criticality) continue;
    if (q.org_id && t.org_id != *q.org_id) continue;
    if (q.assignee_id && t.assignee_id.value() != q.assignee_id->value()) continue;
    if (q.breached && domain::ResponseBreached(t, q.now) != *q.breached) continue;
    if (q.after && std::make_pair(t.response_due, t.number) <= *q.after) continue;
    hits.push_back(&t);
  }
  std::sort(hits.begin(), hits.end(), [](const domain::Ticket* a, const domain::Ticket* b) {
    return std::tie(a->response_due, a->number) < std::tie(b->response_due, b->number);
  });
  app::TicketPage page;
  page.has_more = hits.size() > static_cast<std::size_t>(q.limit);
  for (std::size_t i = 0; i < hits.size() && i < static_cast<std::size_t>(q.limit); ++i) {
    page.tickets.push_back(*hits[i]);
  }
  return page;
}

Result<app::TicketStats> MemoryTicketRepository::GetTicketStats(Instant now) {
  app::TicketStats st;
  for (const auto& [id, t] : s_.tickets) {
    const bool active = domain::IsActive(t.status);
    const bool breached = domain::ResponseBreached(t, now);
    if (active) {
      switch (t.criticality) {
        case domain::sla::Criticality::kNormal: ++st.open_normal; break;
        case domain::sla::Criticality::kImportant: ++st.open_important; break;
        case domain::sla::Criticality::kCritical: ++st.open_critical; break;
      }
      if (breached) ++st.breached_open;
    }
    if (breached) ++st.breached_total;
  }
  return st;
}

Result<std::vector<domain::Article>> MemoryTicketRepository::ListArticles(TicketId t,
                                                                          bool include_internal) {
  std::vector<domain::Article> out;
  for (const auto& [id, a] : s_.articles) {
    if (a.ticket_id == t && (include_internal || !a.internal)) out.push_back(a);
  }
  return out;
}

Result<std::vector<domain::Attachment>> MemoryTicketRepository::ListAttachments(TicketId t) {
  std::vector<domain::Attachment> out;
  for (const auto& [id, a] : s_.attachments) {
    if (a.ticket_id == t) out.push_back(a);
  }
  return out;
}

Result<domain::Attachment> MemoryTicketRepository::GetAttachment(AttachmentId id) {
  return Find(s_.attachments, id.value(), "attachment " + std::to_string(id.value()));
}

Result<std::map<std::string, std::string>> MemoryTicketRepository::ListTicketIntake(TicketId t) {
  auto it = s_.ticket_intake.find(t.value());
  if (it == s_.ticket_intake.end()) return std::map<std::string, std::string>{};
  return it->second;
}

Result<domain::Ticket> MemoryTicketRepository::InsertTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(CheckTicket(t));
  t.id = TicketId{s_.next_ticket++};
  t.number = s_.next_ticket_number++;
  s_.tickets[t.id.value()] = t;
  return t;
}

Result<domain::Ticket> MemoryTicketRepository::UpdateTicket(domain::Ticket t) {
  SOPORTE_TRY_STATUS(CheckTicket(t));
  auto it = s_.tickets.find(t.id.value());
  if (it == s_.tickets.end())
    return tl::make_unexpected(NotFound("ticket " + std::to_string(t.id.value())));
  if (it->second.version != t.version) {
    return Fail(ErrorCode::kAborted, "ticket #" + std::to_string(it->second.number) +
                                         " was changed by someone else (version " +
                                         std::to_string(it->second.version) + ", not " +
                                         std::to_string(t.version) + ")");
  }
  t.number = it->second.number;  // assigned once, never rewritten
  t.version += 1;
  it->second = t;
  return t;
}

Result<domain::Article> MemoryTicketRepository::InsertArticle(domain::Article a) {
  SOPORTE_TRY_STATUS(ValidateArticle(a));
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, a.author_id.value(), "user"));
  a.id = ArticleId{s_.next_article++};
  s_.articles[a.id.value()] = a;
  return a;
}

Result<domain::Attachment> MemoryTicketRepository::InsertAttachment(domain::Attachment a) {
  SOPORTE_TRY_STATUS(ValidateAttachment(a));
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, a.ticket_id.value(), "ticket"));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, a.uploaded_by.value(), "user"));
  if (a.article_id) {
    auto it = s_.articles.find(a.article_id->value());
    if (it == s_.articles.end() || it->second.ticket_id != a.ticket_id) {
      return tl::make_unexpected(
          MissingReference("article " + std::to_string(a.article_id->value()) + " of ticket " +
                           std::to_string(a.ticket_id.value())));
    }
  }
  a.id = AttachmentId{s_.next_attachment++};
  s_.attachments[a.id.value()] = a;
  return a;
}

Status MemoryTicketRepository::PutTicketIntake(TicketId t, const std::string& item,
                                               const std::string& text) {
  if (!domain::ParseIntakeItem(item))
    return Fail(ErrorCode::kInvalidArgument, "unknown intake item '" + item + "'");
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, t.value(), "ticket"));
  s_.ticket_intake[t.value()][item] = text;
  return Ok();
}

Status MemoryTicketRepository::CheckTicket(const domain::Ticket& t) {
  SOPORTE_TRY_STATUS(ValidateTicket(t));
  SOPORTE_TRY_STATUS(CheckExists(s_.orgs, t.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckExists(s_.contracts, t.contract_id.value(), "contract"));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, t.requester_id.value(), "user"));
  if (t.assignee_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.users, t.assignee_id.value(), "user"));
  return Ok();
}

}  // namespace soporte::storage::memory_internal
