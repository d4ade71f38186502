// Tickets, articles, attachments and intake answers in memory: app::TicketRepository over the
// MemoryStore's state (memory_state.hpp). Same semantics as the SQLite one (the conformance suite
// checks both). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/ticket_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryTicketRepository final : public app::TicketRepository {
 public:
  explicit MemoryTicketRepository(MemoryState& s) : s_(s) {}

  Result<domain::Ticket> GetTicket(TicketId id) override;
  Result<domain::Ticket> GetTicketByNumber(std::int64_t number) override;
  Result<app::TicketContext> GetTicketContext(std::int64_t number) override;
  Result<app::TicketPage> ListTickets(const app::TicketQuery& q) override;
  Result<app::TicketContextPage> ListTicketContexts(const app::TicketQuery& q) override;
  Result<std::vector<app::TicketContext>> GetTicketContexts(
      const std::vector<TicketId>& ids) override;
  Result<app::TicketStats> GetTicketStats(Instant now) override;
  Result<std::vector<domain::Article>> ListArticles(TicketId t, bool include_internal) override;
  Result<std::vector<domain::Attachment>> ListAttachments(TicketId t) override;
  Result<domain::Attachment> GetAttachment(AttachmentId id) override;
  Result<std::map<std::string, std::string>> ListTicketIntake(TicketId t) override;
  Result<domain::Ticket> InsertTicket(domain::Ticket t) override;
  Result<domain::Ticket> UpdateTicket(domain::Ticket t) override;
  Result<domain::Article> InsertArticle(domain::Article a) override;
  Result<domain::Attachment> InsertAttachment(domain::Attachment a) override;
  Status PutTicketIntake(TicketId t, const std::string& item, const std::string& text) override;

 private:
  // ValidateTicket, and the rows the ticket names exist (as SQLite's foreign keys check them).
  Status CheckTicket(const domain::Ticket& t);
  // `t` with its organisation, contract and people.
  Result<app::TicketContext> ContextOf(domain::Ticket t);
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
