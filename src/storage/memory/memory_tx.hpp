// One MemoryStore transaction as the storage port: MemoryTx owns one repository per aggregate,
// each over the same MemoryState (the live one for a Read, the Write's private copy for a
// Write), and hands them out. Internal to storage/memory; used by one thread inside one call.
#pragma once

#include "app/ports/store.hpp"
#include "storage/memory/memory_account_repository.hpp"
#include "storage/memory/memory_audit_repository.hpp"
#include "storage/memory/memory_calendar_repository.hpp"
#include "storage/memory/memory_chat_repository.hpp"
#include "storage/memory/memory_mail_repository.hpp"
#include "storage/memory/memory_oncall_repository.hpp"
#include "storage/memory/memory_org_repository.hpp"
#include "storage/memory/memory_profile_repository.hpp"
#include "storage/memory/memory_search_repository.hpp"
#include "storage/memory/memory_report_repository.hpp"
#include "storage/memory/memory_settings_repository.hpp"
#include "storage/memory/memory_sla_repository.hpp"
#include "storage/memory/memory_alert_repository.hpp"
#include "storage/memory/memory_state.hpp"
#include "storage/memory/memory_throttle_repository.hpp"
#include "storage/memory/memory_ticket_repository.hpp"
#include "storage/memory/memory_webhook_repository.hpp"

namespace soporte::storage::memory_internal {

class MemoryTx final : public app::WriteTx {
 public:
  explicit MemoryTx(MemoryState& s)
      : orgs_(s),
        accounts_(s),
        tickets_(s),
        audit_(s),
        mail_(s),
        profiles_(s),
        calendars_(s),
        settings_(s),
        search_(s),
        oncall_(s),
        webhooks_(s),
        sla_(s),
        alerts_(s),
        chats_(s),
        reports_(s),
        throttle_(s) {}

  MemoryOrgRepository& orgs() override { return orgs_; }
  MemoryAccountRepository& accounts() override { return accounts_; }
  MemoryTicketRepository& tickets() override { return tickets_; }
  MemoryAuditRepository& audit() override { return audit_; }
  MemoryMailRepository& mail() override { return mail_; }
  MemoryProfileRepository& profiles() override { return profiles_; }
  MemoryCalendarRepository& calendars() override { return calendars_; }
  MemorySettingsRepository& settings() override { return settings_; }
  MemorySearchRepository& search() override { return search_; }
  MemoryOnCallRepository& oncall() override { return oncall_; }
  MemoryWebhookRepository& webhooks() override { return webhooks_; }
  MemorySlaRepository& sla() override { return sla_; }
  MemoryAlertRepository& alerts() override { return alerts_; }
  MemoryChatRepository& chats() override { return chats_; }
  MemoryReportRepository& reports() override { return reports_; }
  MemoryThrottleRepository& throttle() override { return throttle_; }

 private:
  MemoryOrgRepository orgs_;
  MemoryAccountRepository accounts_;
  MemoryTicketRepository tickets_;
  MemoryAuditRepository audit_;
  MemoryMailRepository mail_;
  MemoryProfileRepository profiles_;
  MemoryCalendarRepository calendars_;
  MemorySettingsRepository settings_;
  MemorySearchRepository search_;
  MemoryOnCallRepository oncall_;
  MemoryWebhookRepository webhooks_;
  MemorySlaRepository sla_;
  MemoryAlertRepository alerts_;
  MemoryChatRepository chats_;
  MemoryReportRepository reports_;
  MemoryThrottleRepository throttle_;
};

}  // namespace soporte::storage::memory_internal
