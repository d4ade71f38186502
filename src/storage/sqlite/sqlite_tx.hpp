// One SQLite transaction as the storage port: SqliteTx owns one repository per aggregate, each
// bound to the connection, which is already inside a transaction (SqliteStore opens and ends
// it), and hands them out. Internal to storage/sqlite; used by one thread, inside one Read or
// Write call. Building one costs no statement: the repositories only keep the connection.
#pragma once

#include "app/ports/store.hpp"
#include "storage/sqlite/account_repository.hpp"
#include "storage/sqlite/audit_repository.hpp"
#include "storage/sqlite/calendar_repository.hpp"
#include "storage/sqlite/chat_repository.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/mail_repository.hpp"
#include "storage/sqlite/oncall_repository.hpp"
#include "storage/sqlite/org_repository.hpp"
#include "storage/sqlite/profile_repository.hpp"
#include "storage/sqlite/search_repository.hpp"
#include "storage/sqlite/report_repository.hpp"
#include "storage/sqlite/settings_repository.hpp"
#include "storage/sqlite/sla_repository.hpp"
#include "storage/sqlite/alert_repository.hpp"
#include "storage/sqlite/throttle_repository.hpp"
#include "storage/sqlite/ticket_repository.hpp"
#include "storage/sqlite/webhook_repository.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteTx final : public app::WriteTx {
 public:
  explicit SqliteTx(Db& db)
      : orgs_(db),
        accounts_(db),
        tickets_(db),
        audit_(db),
        mail_(db),
        profiles_(db),
        calendars_(db),
        settings_(db),
        search_(db),
        oncall_(db),
        webhooks_(db),
        sla_(db),
        alerts_(db),
        chats_(db),
        reports_(db),
        throttle_(db) {}

  SqliteOrgRepository& orgs() override { return orgs_; }
  SqliteAccountRepository& accounts() override { return accounts_; }
  SqliteTicketRepository& tickets() override { return tickets_; }
  SqliteAuditRepository& audit() override { return audit_; }
  SqliteMailRepository& mail() override { return mail_; }
  SqliteProfileRepository& profiles() override { return profiles_; }
  SqliteCalendarRepository& calendars() override { return calendars_; }
  SqliteSettingsRepository& settings() override { return settings_; }
  SqliteSearchRepository& search() override { return search_; }
  SqliteOnCallRepository& oncall() override { return oncall_; }
  SqliteWebhookRepository& webhooks() override { return webhooks_; }
  SqliteSlaRepository& sla() override { return sla_; }
  SqliteAlertRepository& alerts() override { return alerts_; }
  SqliteChatRepository& chats() override { return chats_; }
  SqliteReportRepository& reports() override { return reports_; }
  SqliteThrottleRepository& throttle() override { return throttle_; }

 private:
  SqliteOrgRepository orgs_;
  SqliteAccountRepository accounts_;
  SqliteTicketRepository tickets_;
  SqliteAuditRepository audit_;
  SqliteMailRepository mail_;
  SqliteProfileRepository profiles_;
  SqliteCalendarRepository calendars_;
  SqliteSettingsRepository settings_;
  SqliteSearchRepository search_;
  SqliteOnCallRepository oncall_;
  SqliteWebhookRepository webhooks_;
  SqliteSlaRepository sla_;
  SqliteAlertRepository alerts_;
  SqliteChatRepository chats_;
  SqliteReportRepository reports_;
  SqliteThrottleRepository throttle_;
};

}  // namespace soporte::storage::sqlite_internal
