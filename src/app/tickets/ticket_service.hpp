// Ticket use cases: open, read, list, change, converse, attach, and read the history. Each one
// authorises the Principal, looks up what the request names, applies the domain rules
// (domain/ticket: new_ticket, ticket_patch, ticket_article, the lifecycle table; domain/sla: the
// due) and writes the change and its history entries in one transaction, then publishes what
// changed. Orchestration only: the rules are in the domain. The methods are defined by concept in
// ticket_service.cpp (open, read, list, change), ticket_articles.cpp, ticket_attachments.cpp and
// ticket_views.cpp (views, checklist, history).
//
// Visibility: staff see every ticket; a customer sees its organisation's tickets only, and a
// ticket of another organisation is kNotFound exactly like a missing one. Internal notes never
// reach a customer. Every method is thread-safe and blocks on the store: call it on a worker pool.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/blob_store.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/store.hpp"
#include "app/tickets/ticket_notifier.hpp"
#include "app/tickets/ticket_observer.hpp"
#include "common/clock.hpp"
#include "domain/profile/intake_checklist.hpp"
#include "domain/sla/sla_engine.hpp"
#include "domain/ticket/new_ticket.hpp"
#include "domain/ticket/resolution_clock.hpp"
#include "domain/ticket/ticket_limits.hpp"
#include "domain/ticket/ticket_patch.hpp"

namespace soporte::app {

// What a request to open a ticket says, and what a change request says: domain values
// (domain/ticket/new_ticket.hpp, ticket_patch.hpp), named here for the use cases' callers.
using NewTicket = domain::NewTicket;
using TicketPatch = domain::TicketPatch;

// A ticket as callers see it: the row plus the names and the SLA state at `now`.
struct TicketView {
  domain::Ticket ticket;
  std::string org_slug;
  std::string org_name;
  PersonRef requester;
  std::optional<PersonRef> assignee;
  sla::Modality modality = sla::Modality::k8x5;
  std::string zone;              // the contract's zone: times are shown in it
  bool breached = false;
  double response_share = 0;     // business time used / target, at the first response or now
  // The intake checklist (only in single-ticket answers: Get, Create, Update): the items the rules ask
  // of this ticket, each present or missing, and the answers given.
  bool has_checklist = false;
  std::vector<domain::ChecklistEntry> checklist;
  std::map<std::string, std::string> intake;
  // The resolution clock (only in single-ticket answers, like the checklist): paused while the
  // ticket waits on the customer; a target when the contract sets one.
  std::optional<domain::ResolutionClock> resolution;
};

struct TicketListQuery {
  std::optional<domain::TicketStatus> status;
  bool active_only = false;  // "status=active": new, open and waiting_customer
  std::optional<sla::Criticality> criticality;
  std::optional<std::string> org_slug;
  std::optional<std::optional<UserId>> assignee;  // nullopt inside: unassigned
  std::optional<bool> breached;
  int limit = 50;
  std::optional<std::pair<Instant, std::int64_t>> after;
  // Full-text search (?q=): the tickets matching it, best first, paged by rank from `offset`
  // (the cursor of a search page) instead of by due; `after` is then ignored.
  std::optional<domain::search::SearchQuery> search;
  int offset = 0;
};

struct TicketListPage {
  std::vector<TicketView> tickets;
  std::optional<std::pair<Instant, std::int64_t>> next;  // cursor for the next page
  // A search page: each ticket's highlighted snippet (parallel to `tickets`), and the rank the
  // next page starts at (nullopt when this is the last).
  bool searched = false;
  std::vector<std::vector<SnippetPart>> snippets;
  std::optional<int> next_offset;
};

struct ArticleView {
  domain::Article article;
  PersonRef author;
  std::string author_role;
  std::string zone;
};

struct AttachmentView {
  domain::Attachment attachment;
  std::string zone;
};

struct HistoryView {
  std::vector<domain::TicketEvent> events;
  std::vector<PersonRef> actors;  // parallel to events; id invalid for the system
  std::string zone;
};

struct AttachmentUpload {
  std::string filename;
  std::string content_type;  // sniffed
  BlobInfo blob;
};

// A telephone call to log on an existing ticket (the agents' console).
struct PhoneCallLog {
  std::string caller;          // required: who was on the line
  std::int64_t duration_minutes = 0;  // 0..600
  std::string notes;           // required: what was said / agreed
  bool internal = false;       // true: only staff see it (and it does not count as the response)
  // Outgoing calls (support calls the customer) may be logged on any ticket, 8x5 included.
  domain::CallDirection direction = domain::CallDirection::kIncoming;
};

// Size limits of subjects, bodies and tags (domain/ticket/ticket_limits.hpp).
using TicketLimits = domain::TicketLimits;

class TicketService {
 public:
  TicketService(Store& store, const sla::SlaEngine& sla, EventBus& events, const Clock& clock,
                TicketLimits limits = {});

  // kInvalidArgument naming the field; kUnprocessable when the contract refuses the channel or
  // is not in force; kNotFound for an organisation/requester the caller may not see.
  Result<TicketView> Create(const Principal& who, const NewTicket& in);
  Result<TicketView> Get(const Principal& who, std::int64_t number);
  // With q.search set: the tickets matching it that `who` may see (a customer: its organisation
  // only, and never by an internal note), with the same filters, best first (ticket_search.cpp).
  Result<TicketListPage> List(const Principal& who, const TicketListQuery& q);
  // Customers may only close a resolved ticket or reopen it; staff may change everything.
  Result<TicketView> Update(const Principal& who, std::int64_t number, const TicketPatch& patch);

  // The first public reply by staff stops the response clock. Customers cannot write internal
  // notes (kPermissionDenied); nothing may be added to a closed ticket (kFailedPrecondition).
  Result<ArticleView> AddArticle(const Principal& who, std::int64_t number, std::string body,
                                 bool internal);
  Result<std::vector<ArticleView>> ListArticles(const Principal& who, std::int64_t number);
  // Records a phone call on ticket `number` as an article with channel phone (staff only:
  // kPermissionDenied otherwise). kUnprocessable when the ticket's contract has no phone line
  // (an 8x5 contract) or is not in force; kInvalidArgument naming the field; kFailedPrecondition
  // on a closed ticket. A public call counts as support's response, like a public reply.
  Result<ArticleView> LogPhoneCall(const Principal& who, std::int64_t number, PhoneCallLog call);

  // Ok when `who` may attach files to ticket `number` (checked before any byte is stored).
  Status CheckCanAttach(const Principal& who, std::int64_t number);
  Result<AttachmentView> AddAttachment(const Principal& who, std::int64_t number,
                                       const AttachmentUpload& upload);
  Result<std::vector<AttachmentView>> ListAttachments(const Principal& who, std::int64_t number);
  // The attachment, when `who` may see its ticket (kNotFound otherwise).
  Result<domain::Attachment> GetAttachment(const Principal& who, AttachmentId id);

  Result<HistoryView> History(const Principal& who, std::int64_t number);

  // Page hydration: the views of tickets already chosen (a list page, a search's ranked hits),
  // in the order given, at `now`. Names come with the contexts (read in one joined statement);
  // each distinct calendar is read once per call, so the reads do not grow with the page.
  // Visibility is the caller's business (it chose the tickets). Fails when a read fails.
  Result<std::vector<TicketView>> Hydrate(ReadTx& tx, std::vector<TicketContext> contexts,
                                          Instant now) const;
  // The same from ticket ids: one read of their contexts, then Hydrate. Ids with no ticket are
  // left out; at most 200 ids (kInvalidArgument).
  Result<std::vector<TicketView>> HydrateIds(ReadTx& tx, const std::vector<TicketId>& ids,
                                             Instant now) const;

  // Who hears about changes (created, public replies, status moves), inside the change's
  // transaction. Set once at wiring, before the service is used; nullptr (the default): nobody.
  void SetNotifier(TicketNotifier* notifier) { notifier_ = notifier; }
  // Who else hears every change, on every path (mail intake and jobs too), inside the change's
  // transaction (app/tickets/ticket_observer.hpp). Added once at wiring, before use.
  void AddObserver(TicketObserver* observer) { observers_.Add(observer); }
  // All observers as one: what jobs (SLA watch, paging) call when they act on a ticket.
  TicketObserver& observers() { return observers_; }
  // The intake checklist's rules (default: the protocol's list). Set once at wiring.
  void SetIntakeRules(domain::IntakeRules rules) { intake_rules_ = std::move(rules); }

  // The steps of Create and AddArticle inside a transaction the caller owns, for use cases that
  // write more in the same transaction (app/mail/ingest_message: the Message-ID, attachments).
  // No channel policy is checked and no notifier is called (observers are); `who` must be allowed
  // to act (the caller checked). CreateInTx expects `in` validated (subject, sizes, tags:
  // domain::CheckNewTicket).
  Result<TicketView> CreateInTx(WriteTx& tx, const Principal& who, const NewTicket& in,
                                sla::Channel channel, Instant received, Instant now);
  // The checklist items the rules ask of `t` that it does not carry yet (environment, answers and
  // attachments as stored in `tx`), in the rules' order: what an acknowledgement asks for.
  Result<std::vector<domain::IntakeItem>> MissingIntake(ReadTx& tx, const domain::Ticket& t) const;
  // Tells the live views (the consoles' event stream) that ticket `number` of `org` changed, for
  // a use case that changed it with the *InTx steps in its own transaction, once that committed
  // (what: "created", "article", "note", as the methods above publish their own).
  void AnnounceChange(std::int64_t number, OrgId org, std::string what) {
    events_.Publish({number, org, std::move(what)});
  }
  // `saved` (optional) receives the ticket as stored after the article.
  Result<ArticleView> AddArticleInTx(WriteTx& tx, const Principal& who, std::int64_t number,
                                     std::string body, bool internal, sla::Channel channel,
                                     Instant now, domain::Ticket* saved = nullptr,
                                     std::optional<domain::PhoneCall> call = std::nullopt);
  // Records a file already in the blob store on ticket `t` (uploaded by `by`, at `now`, on
  // `article` when it came with one) with its history entry, inside the caller's transaction
  // (a chat's files when it becomes a ticket). The name is cleaned (domain/ticket/file_name).
  Result<domain::Attachment> AttachInTx(WriteTx& tx, const domain::Ticket& t,
                                        const AttachmentUpload& upload, UserId by,
                                        std::optional<ArticleId> article, Instant now);

 private:
  Result<domain::Ticket> VisibleTicket(ReadTx& tx, const Principal& who, std::int64_t number);
  // List with a search query (ticket_search.cpp).
  Result<TicketListPage> Search(const Principal& who, const TicketListQuery& q);
  // Update's steps inside its transaction: look up, apply the patch, recompute the due, write.
  Result<TicketView> UpdateInTx(WriteTx& tx, const Principal& who, std::int64_t number,
                                const TicketPatch& patch, Instant now);
  // Recomputes the due of `change.ticket` from its reception on its (new) contract's calendar
  // and records a "response_due" entry when it moved.
  Status RecomputeDue(ReadTx& tx, domain::PatchOutcome& change, UserId actor, Instant now) const;

  // The view of `t`, reading its organisation, contract and people.
  Result<TicketView> ViewOf(ReadTx& tx, domain::Ticket t, Instant now);
  // The view of a ticket whose context is already read (GetTicketContext, or held by Create).
  Result<TicketView> ViewFrom(ReadTx& tx, TicketContext c, Instant now);
  // The same with the contract's calendars read at most once per `calendars` (a page's memo:
  // calendar id -> definition).
  using CalendarMemo =
      std::map<std::int64_t, std::shared_ptr<const domain::calendar::CalendarDefinition>>;
  Result<TicketView> ViewFrom(ReadTx& tx, TicketContext c, Instant now,
                              CalendarMemo& calendars) const;
  // ViewOf plus the checklist: what Update answers.
  Result<TicketView> ViewWithChecklist(ReadTx& tx, domain::Ticket t, Instant now);
  // Fills v.checklist and v.intake from the ticket, its attachments and its intake answers.
  Status AddChecklist(ReadTx& tx, TicketView& v) const;
  // The checklist of `t` and its intake answers.
  Result<std::pair<std::vector<domain::ChecklistEntry>, std::map<std::string, std::string>>>
  Checklist(ReadTx& tx, const domain::Ticket& t) const;

  Store& store_;
  const sla::SlaEngine& sla_;
  EventBus& events_;
  const Clock& clock_;
  TicketLimits limits_;
  TicketNotifier* notifier_ = nullptr;
  TicketObservers observers_;
  domain::IntakeRules intake_rules_ = domain::IntakeRules::ProtocolDefault();
};

}  // namespace soporte::app
