// The tickets port: tickets (by id, by number, with their context, listed and counted), their
// articles, attachments and intake answers. Reached as tx.tickets() inside a Store transaction
// (store.hpp); a ticket's history is in audit_repository.hpp.
// Implemented by storage/sqlite/ticket_repository.* and storage/memory/memory_ticket_repository.*.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/account/account.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

namespace sla = domain::sla;

// Filters for listing tickets. Results are sorted by (response_due, number) ascending.
struct TicketQuery {
  std::optional<domain::TicketStatus> status;
  bool active_only = false;  // only statuses domain::IsActive accepts (new, open, waiting_customer)
  std::optional<sla::Criticality> criticality;
  std::optional<OrgId> org_id;
  std::optional<UserId> assignee_id;  // UserId{} (invalid) means "unassigned"
  std::optional<bool> breached;       // evaluated at `now`
  Instant now;
  int limit = 50;  // 1..200
  // Keyset cursor: return tickets strictly after (response_due, number).
  std::optional<std::pair<Instant, std::int64_t>> after;
};

struct TicketPage {
  std::vector<domain::Ticket> tickets;
  bool has_more = false;
};

// Counts for the metrics endpoint.
struct TicketStats {
  std::int64_t open_normal = 0, open_important = 0, open_critical = 0;
  std::int64_t breached_open = 0;   // active tickets not answered by their due at `now`
  std::int64_t breached_total = 0;  // every ticket whose response promise was broken at `now`
};

// Who a ticket names (requester, assignee, author…), as views show them.
struct PersonRef {
  UserId id;
  std::string name;
  std::string email;
};

// A ticket with what its view shows of its organisation, contract and people: one read where
// the hottest path (GET /api/v1/tickets/{n}) made five.
struct TicketContext {
  domain::Ticket ticket;
  domain::Organization org;
  domain::Contract contract;
  PersonRef requester;
  std::optional<PersonRef> assignee;
};

// One page of tickets, each with its context (ListTicketContexts).
struct TicketContextPage {
  std::vector<TicketContext> tickets;
  bool has_more = false;
};

// Reads; used by one thread inside one Read or Write call.
class TicketReader {
 public:
  virtual ~TicketReader() = default;

  // kNotFound when absent.
  virtual Result<domain::Ticket> GetTicket(TicketId id) = 0;
  virtual Result<domain::Ticket> GetTicketByNumber(std::int64_t number) = 0;
  // The ticket with its organisation, contract and people, in one read (SQLite: one joined
  // statement; keep it so, it is the hottest read). kNotFound (naming the number) when no
  // ticket has it.
  virtual Result<TicketContext> GetTicketContext(std::int64_t number) = 0;
  // One page of tickets matching `q`, sorted by (response_due, number); has_more when more
  // follow. kInvalidArgument for a query out of range (limit outside 1..200).
  virtual Result<TicketPage> ListTickets(const TicketQuery& q) = 0;
  // The same page as ListTickets(q), each ticket with its organisation, contract and people, in
  // one read (SQLite: one joined statement whose cost follows the page, not the table: every
  // filter and combination is a range read on an index, see migration 0015). Same errors.
  virtual Result<TicketContextPage> ListTicketContexts(const TicketQuery& q) = 0;
  // The contexts of the tickets `ids` in the order given, in one read; an id with no ticket is
  // left out (a list being hydrated may name a ticket removed since). At most 200 ids
  // (kInvalidArgument beyond). For callers that choose the tickets themselves (search).
  virtual Result<std::vector<TicketContext>> GetTicketContexts(
      const std::vector<TicketId>& ids) = 0;
  // Counts of open tickets by criticality and of broken promises, evaluated at `now`.
  virtual Result<TicketStats> GetTicketStats(Instant now) = 0;

  // Articles in creation order; internal notes only when `include_internal`. Empty when none.
  virtual Result<std::vector<domain::Article>> ListArticles(TicketId t, bool include_internal) = 0;
  // A ticket's attachments by id (empty when none).
  virtual Result<std::vector<domain::Attachment>> ListAttachments(TicketId t) = 0;
  // kNotFound when absent.
  virtual Result<domain::Attachment> GetAttachment(AttachmentId id) = 0;

  // The intake answers of a ticket: item name → text (empty map when none).
  virtual Result<std::map<std::string, std::string>> ListTicketIntake(TicketId t) = 0;
};

class TicketRepository : public TicketReader {
 public:
  // Returns the stored ticket with its new id and number (numbers count up from 1001).
  // kInvalidArgument for an invalid ticket; a missing organisation, contract, requester or
  // assignee is a MissingReference (kFailedPrecondition).
  virtual Result<domain::Ticket> InsertTicket(domain::Ticket t) = 0;
  // Writes every field of `t` when the stored version equals t.version, then stores version+1
  // and returns it; kAborted when the stored version differs (someone else changed it),
  // kNotFound when there is no such ticket. Same refusals as InsertTicket otherwise.
  virtual Result<domain::Ticket> UpdateTicket(domain::Ticket t) = 0;

  // Return the stored value with its new id. kInvalidArgument for an invalid value; a missing
  // ticket, author/uploader or (for an attachment) article of that ticket is a MissingReference.
  virtual Result<domain::Article> InsertArticle(domain::Article a) = 0;
  virtual Result<domain::Attachment> InsertAttachment(domain::Attachment a) = 0;

  // Records the intake answer `item` of ticket `t` (replacing an earlier one). kInvalidArgument
  // for an unknown item; a missing ticket is a MissingReference (kFailedPrecondition).
  virtual Status PutTicketIntake(TicketId t, const std::string& item, const std::string& text) = 0;
};

}  // namespace soporte::app
