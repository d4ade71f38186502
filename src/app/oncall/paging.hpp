// Paging (issue 12, part 4): out of staffed hours, a new Crítico ticket on a 24x7 contract and
// every SLA warning or breach on such a contract pages the engineer on call (the first rota's,
// by id; with no rota defined nothing is paged). Paging is a
// TicketObserver: the page, its deliveries (one per person, each with its own acknowledge link,
// random, stored hashed, expiring) and its mail (the outbox) are rows written in the transaction
// of the change, so they happen exactly once whichever node made the change. Two job steps act
// on due rows: EscalateDue moves unacknowledged pages along the chain (primary, secondary,
// supervisors) and DeliverDue hands deliveries to the gateway command with a lease, retrying
// failures with backoff. Each page, acknowledgement and escalation is a ticket event
// (page_sent, page_acknowledged, page_escalated) and a PageChanged notice to the observers.
// Thread-safe: state lives in the store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/oncall/staffed_hours.hpp"
#include "app/ports/mail.hpp"
#include "app/ports/page_gateway.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "app/tickets/ticket_observer.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct PagingOptions {
  Seconds escalate_after{15 * 60};   // serve --page-escalate-minutes
  Seconds link_lifetime{24 * 3600};  // how long an acknowledge link works
  Seconds lease{120};                // a delivering node's lease (> the command's timeout)
  Seconds first_retry{30};  // a failed delivery is retried after 30 s, 60 s, … (doubling)
  Seconds max_retry{600};   // … up to every 10 minutes, until acknowledged
  bool gateway = false;     // a --page-command is configured
  std::string portal_url;   // base of the acknowledge links when none is stored
  std::string support_address = "soporte@example.com";
  std::string default_lang = "es";
  int batch = 50;
};

// The ticket an acknowledge link is about: only what the link may reveal.
struct PageLinkView {
  std::int64_t number = 0;
  std::string subject;
  sla::Criticality criticality = sla::Criticality::kNormal;
  bool acknowledged = false;  // the page was already acknowledged (by anyone)
};

// An open page as the console shows it.
struct PageView {
  PageRecord page;
  std::int64_t number = 0;
  std::string subject;
  sla::Criticality criticality = sla::Criticality::kNormal;
  std::vector<std::string> paged;  // names of the people paged at the current level
  std::string last_error;          // the gateway's last failure for this page, if any
  int pending = 0;                 // deliveries not sent yet
};

class Paging final : public TicketObserver {
 public:
  // `announce` hears PageChanged (TicketService::observers()); `renderer` writes the mail.
  Paging(Store& store, TicketObserver& announce, const TokenService& tokens,
         const MailRenderer& renderer, StaffedHours& staffed, const Clock& clock,
         PagingOptions options);

  Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) override;
  Status SlaReached(WriteTx& tx, const domain::Ticket& t,
                    const domain::sla::SlaFiring& firing) override;

  // Escalates every unacknowledged page whose escalate_at has passed: the next level of the
  // chain is paged (or, at the last level, the page stays open without a next escalation).
  // Returns how many pages were escalated.
  Result<int> EscalateDue();
  // Hands due deliveries to `gateway` (outside any transaction), marks them sent, or schedules
  // a retry with the failure shown in the console. Deliveries of acknowledged pages are
  // skipped. Returns how many were sent.
  Result<int> DeliverDue(PageGateway& gateway);

  // What the link shows before it is used: kFailedPrecondition when unknown or expired (the
  // same answer for both, so a guess learns nothing).
  Result<PageLinkView> PeekLink(const std::string& token);
  // Acknowledges the link's page as its recipient; works once (kFailedPrecondition after).
  Result<PageLinkView> AcknowledgeLink(const std::string& token);
  // Acknowledges page `page_id` as staff member `who` (console "console", API "api").
  // kPermissionDenied for customers; kNotFound; kFailedPrecondition when already acknowledged.
  Status Acknowledge(const Principal& who, std::int64_t page_id, const std::string& via);
  // Unacknowledged pages, newest first (staff only).
  Result<std::vector<PageView>> OpenPages(const Principal& who);

 private:
  Status MaybePage(WriteTx& tx, const domain::Ticket& t, const std::string& reason, Instant due,
                   Instant now);
  Status SendLevel(WriteTx& tx, const domain::Ticket& t, PageRecord& page,
                   const std::vector<UserId>& users, Instant now, bool escalated);
  Status AcknowledgeIn(WriteTx& tx, PageRecord& page, UserId by, const std::string& via,
                       Instant now);
  Result<std::string> LinkBase(ReadTx& tx);

  Store& store_;
  TicketObserver& announce_;
  const TokenService& tokens_;
  const MailRenderer& renderer_;
  StaffedHours& staffed_;
  const Clock& clock_;
  PagingOptions options_;
};

}  // namespace soporte::app
