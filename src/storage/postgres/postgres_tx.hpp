// One PostgreSQL transaction as the storage port: PgTx owns one repository per aggregate, each
// bound to the connection, which is already inside a transaction (PostgresStore opens and ends
// it). Internal to storage/postgres; used by one thread, inside one Read or Write.
#pragma once

#include "app/ports/store.hpp"
#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/alert_repository.hpp"
#include "storage/postgres/audit_repository.hpp"
#include "storage/postgres/calendar_repository.hpp"
#include "storage/postgres/chat_repository.hpp"
#include "storage/postgres/mail_repository.hpp"
#include "storage/postgres/oncall_repository.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/postgres/profile_repository.hpp"
#include "storage/postgres/report_repository.hpp"
#include "storage/postgres/search_repository.hpp"
#include "storage/postgres/settings_repository.hpp"
#include "storage/postgres/sla_repository.hpp"
#include "storage/postgres/throttle_repository.hpp"
#include "storage/postgres/ticket_repository.hpp"
#include "storage/postgres/webhook_repository.hpp"

namespace soporte::storage::pg_internal {

class PgTx final : public app::WriteTx {
 public:
  explicit PgTx(PgConn& conn)
      : settings_(conn),
        accounts_(conn),
        orgs_(conn),
        calendars_(conn),
        tickets_(conn),
        audit_(conn),
        mail_(conn),
        profiles_(conn),
        sla_(conn),
        alerts_(conn),
        search_(conn),
        webhooks_(conn),
        oncall_(conn),
        chats_(conn),
        reports_(conn),
        throttle_(conn) {}

  PgSettingsRepository& settings() override { return settings_; }
  PgAccountRepository& accounts() override { return accounts_; }
  PgOrgRepository& orgs() override { return orgs_; }
  PgCalendarRepository& calendars() override { return calendars_; }
  PgTicketRepository& tickets() override { return tickets_; }
  PgAuditRepository& audit() override { return audit_; }
  PgMailRepository& mail() override { return mail_; }
  PgProfileRepository& profiles() override { return profiles_; }
  PgSlaRepository& sla() override { return sla_; }
  PgAlertRepository& alerts() override { return alerts_; }
  PgSearchRepository& search() override { return search_; }
  PgWebhookRepository& webhooks() override { return webhooks_; }
  PgOnCallRepository& oncall() override { return oncall_; }
  PgChatRepository& chats() override { return chats_; }
  PgReportRepository& reports() override { return reports_; }
  PgThrottleRepository& throttle() override { return throttle_; }

 private:
  PgSettingsRepository settings_;
  PgAccountRepository accounts_;
  PgOrgRepository orgs_;
  PgCalendarRepository calendars_;
  PgTicketRepository tickets_;
  PgAuditRepository audit_;
  PgMailRepository mail_;
  PgProfileRepository profiles_;
  PgSlaRepository sla_;
  PgAlertRepository alerts_;
  PgSearchRepository search_;
  PgWebhookRepository webhooks_;
  PgOnCallRepository oncall_;
  PgChatRepository chats_;
  PgReportRepository reports_;
  PgThrottleRepository throttle_;
};

}  // namespace soporte::storage::pg_internal
