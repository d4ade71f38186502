// TicketService::List with a search query: the search port ranks ticket ids and cuts their
// snippets (tx.search()), then each ticket on the page is hydrated as the list does (ViewOf).
// Kept apart from List's due-ordered read so the two change independently.
#include "app/tickets/ticket_service.hpp"

namespace soporte::app {

Result<TicketListPage> TicketService::Search(const Principal& who, const TicketListQuery& q) {
  if (q.offset < 0 || q.offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  const Instant now = clock_.Now();
  return ReadValue(store_, [&](ReadTx& tx) -> Result<TicketListPage> {
    SearchRequest r;
    r.query = *q.search;
    r.include_internal = who.staff();  // a customer never matches an internal note
    r.limit = q.limit;
    r.offset = q.offset;
    r.filters.status = q.status;
    r.filters.criticality = q.criticality;
    r.filters.breached = q.breached;
    r.filters.now = now;
    if (q.assignee) r.filters.assignee_id = q.assignee->value_or(UserId{});
    TicketListPage out;
    out.searched = true;
    if (q.org_slug) {
      auto org = tx.orgs().GetOrgBySlug(*q.org_slug);
      if (!org || !who.CanSeeOrg(org->id)) {
        if (org || org.error().code == ErrorCode::kNotFound) return out;
        return tl::make_unexpected(org.error());
      }
      r.filters.org_id = org->id;
    }
    if (!who.staff()) r.filters.org_id = who.org_id;
    SOPORTE_TRY(page, tx.search().Search(r));
    out.tickets.reserve(page.hits.size());
    out.snippets.reserve(page.hits.size());
    for (auto& hit : page.hits) {
      SOPORTE_TRY(t, tx.tickets().GetTicket(hit.ticket_id));
      SOPORTE_TRY(view, ViewOf(tx, std::move(t), now));
      out.tickets.push_back(std::move(view));
      out.snippets.push_back(std::move(hit.snippet));
    }
    if (page.has_more) out.next_offset = q.offset + static_cast<int>(page.hits.size());
    return out;
  });
}

}  // namespace soporte::app
