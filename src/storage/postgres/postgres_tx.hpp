// One PostgreSQL transaction as the storage port: PgTx owns one repository per implemented
// aggregate, each bound to the connection, which is already inside a transaction (PostgresStore
// opens and ends it). Internal to storage/postgres; used by one thread, inside one Read or Write.
// A port not implemented yet aborts when reached (PostgresStore::UnimplementedPorts lists them,
// and the commands refuse the store while any is missing, so only a bug gets here).
#pragma once

#include "app/ports/store.hpp"
#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/audit_repository.hpp"
#include "storage/postgres/calendar_repository.hpp"
#include "storage/postgres/chat_repository.hpp"
#include "storage/postgres/oncall_repository.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/postgres/report_repository.hpp"
#include "storage/postgres/settings_repository.hpp"
#include "storage/postgres/ticket_repository.hpp"
#include "storage/postgres/webhook_repository.hpp"

namespace soporte::storage::pg_internal {

// Aborts naming the port: reaching a port this store does not implement is a bug.
[[noreturn]] void MissingPort(const char* port);

class PgTx final : public app::WriteTx {
 public:
  explicit PgTx(PgConn& conn)
      : settings_(conn),
        accounts_(conn),
        orgs_(conn),
        calendars_(conn),
        tickets_(conn),
        audit_(conn),
        webhooks_(conn),
        oncall_(conn),
        chats_(conn),
        reports_(conn) {}

  PgSettingsRepository& settings() override { return settings_; }
  PgAccountRepository& accounts() override { return accounts_; }
  PgOrgRepository& orgs() override { return orgs_; }
  PgCalendarRepository& calendars() override { return calendars_; }
  PgTicketRepository& tickets() override { return tickets_; }
  PgAuditRepository& audit() override { return audit_; }
  PgWebhookRepository& webhooks() override { return webhooks_; }
  PgOnCallRepository& oncall() override { return oncall_; }
  PgChatRepository& chats() override { return chats_; }
  PgReportRepository& reports() override { return reports_; }

  app::MailRepository& mail() override { MissingPort("mail"); }
  app::ProfileRepository& profiles() override { MissingPort("profiles"); }
  app::SearchRepository& search() override { MissingPort("search"); }
  app::SlaRepository& sla() override { MissingPort("sla"); }
  app::AlertRepository& alerts() override { MissingPort("alerts"); }

 private:
  PgSettingsRepository settings_;
  PgAccountRepository accounts_;
  PgOrgRepository orgs_;
  PgCalendarRepository calendars_;
  PgTicketRepository tickets_;
  PgAuditRepository audit_;
  PgWebhookRepository webhooks_;
  PgOnCallRepository oncall_;
  PgChatRepository chats_;
  PgReportRepository reports_;
};

}  // namespace soporte::storage::pg_internal
