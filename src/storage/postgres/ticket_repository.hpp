// Tickets, their articles, attachments and intake answers in PostgreSQL
// (postgres/0003_tickets_audit.sql): app::TicketRepository on one connection already inside a
// transaction, with the rules and errors of storage/sqlite/ticket_repository.*. Every read is one
// statement: a ticket's context and a page of the list (with each ticket's organisation, contract
// and people) are joined reads, and a page is an ordered range read of one of the list's indexes.
// Internal to storage/postgres.
#pragma once

#include "app/ports/ticket_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgTicketRepository final : public app::TicketRepository {
 public:
  explicit PgTicketRepository(PgConn& conn) : conn_(conn) {}

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
  // The ticket every Update/Insert refers to must exist: organisation, contract, requester and
  // (when given) assignee, each a MissingReference (kFailedPrecondition) when absent.
  Status CheckTicketReferences(const domain::Ticket& t);

  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
