// Tickets, their articles, attachments and intake answers in SQLite: app::TicketRepository on one
// connection already inside a transaction. GetTicketContext is the hottest read (one joined
// statement). Internal to storage/sqlite.
#pragma once

#include "app/ports/ticket_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteTicketRepository final : public app::TicketRepository {
 public:
  explicit SqliteTicketRepository(Db& db) : db_(db) {}

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
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
