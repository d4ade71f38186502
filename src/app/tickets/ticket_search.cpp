// TicketService::List with a search query: the search port ranks ticket ids and cuts their
// snippets (tx.search()), then the page is hydrated as the list does (HydrateIds: one joined read).
// Kept apart from List's due-ordered read so the two change independently.
#include "app/tickets/ticket_service.hpp"

namespace soporte::app {

Result<TicketListPage> TicketService::Search(const Principal& who, const TicketListQuery& q) {
  if (q.offset < 0 || q.offset > 10000) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  const Instant now = clock_.Now();
  // A search walks up to thousands of index entries and rows: a large read.
  return ReadValue(
      store_,
      [&](ReadTx& tx) -> Result<TicketListPage> {
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
        std::vector<TicketId> ids;
        ids.reserve(page.hits.size());
        for (const auto& hit : page.hits) ids.push_back(hit.ticket_id);
        SOPORTE_TRY(views, HydrateIds(tx, ids, now));
        // HydrateIds keeps the order given and leaves out ids with no ticket: pair by id.
        out.tickets.reserve(views.size());
        out.snippets.reserve(views.size());
        std::size_t h = 0;
        for (auto& view : views) {
          while (h < page.hits.size() && page.hits[h].ticket_id != view.ticket.id) ++h;
          if (h == page.hits.size()) break;
          out.snippets.push_back(std::move(page.hits[h].snippet));
          out.tickets.push_back(std::move(view));
          ++h;
        }
        if (page.has_more) out.next_offset = q.offset + static_cast<int>(page.hits.size());
        return out;
      },
      ReadSize::kMany);
}

}  // namespace soporte::app
