// The email channel's use cases on MemoryStore + FakeClock: IngestMessage (new tickets, threading,
// duplicates, unknown senders, loop rules, bounces), MailNotifier (what reaches the outbox),
// InboundDesk (staff's decisions on kept mail) and OutboxDelivery/OutboxAdmin (backoff, lease,
// permanent failure, give-up, retry).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "app/accounts/admin_service.hpp"
#include "app/mail/inbound_desk.hpp"
#include "app/mail/ingest_message.hpp"
#include "app/mail/mail_notifier.hpp"
#include "app/mail/mail_poller.hpp"
#include "app/mail/outbox.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;

// 2026-12-02T15:00:00Z, a Wednesday: 10:00 in Bogota, inside the email window.
constexpr Instant kWednesday{Seconds{1796223600}};

class EchoRenderer final : public MailRenderer {
 public:
  RenderedMail Render(const MailContext& c) const override {
    std::string missing;
    for (const auto& item : c.missing_items) missing += " missing:" + item;
    return {std::string(MailKindName(c.kind)) + " " + c.lang, "body " + c.lang + " " + c.body + missing};
  }
};

// A sender whose answer is scripted: each call pops the next status (Ok when the script ends).
class ScriptedSender final : public MailSender {
 public:
  Status Send(const OutboxRecord& mail) override {
    sent_ids.push_back(mail.message_id);
    if (script.empty()) return Ok();
    Status st = script.front();
    script.erase(script.begin());
    return st;
  }
  std::vector<Status> script;
  std::vector<std::string> sent_ids;
};

// A mailbox of numbered messages whose file is "from\nsubject\ntext" (no Message-ID, so a
// message stored twice would show as a second ticket).
class FakeMailbox final : public Mailbox {
 public:
  std::string Name() const override { return "imap://fake/INBOX"; }
  Result<std::pair<std::int64_t, std::vector<std::int64_t>>> Scan(std::int64_t after) override {
    std::vector<std::int64_t> uids;
    for (const auto& [uid, m] : messages) {
      if (uid > after) uids.push_back(uid);
    }
    return std::make_pair(std::int64_t{77}, uids);
  }
  Status FetchToFile(std::int64_t uid, const std::string& path) override {
    std::ofstream(path) << messages.at(uid);
    return Ok();
  }
  Status MarkProcessed(std::int64_t uid) override {
    flagged.insert(uid);
    return Ok();
  }
  std::map<std::int64_t, std::string> messages;
  std::set<std::int64_t> flagged;
};

// Reads the FakeMailbox format; answers kUnavailable (a transient failure) for subjects listed
// in `fail_subjects`.
class LineParser final : public MessageParser {
 public:
  Result<InboundMessage> ParseFile(const std::string& path) override {
    std::ifstream in(path);
    InboundMessage m;
    std::getline(in, m.from_address);
    std::getline(in, m.subject);
    std::getline(in, m.text);
    m.flags.from_address = m.from_address;
    m.flags.return_path = m.from_address;
    std::lock_guard lock(mu);
    if (fail_subjects.count(m.subject)) return Fail(ErrorCode::kUnavailable, "disk full");
    return m;
  }
  std::mutex mu;
  std::set<std::string> fail_subjects;
};

class MailUseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    notifier_ = std::make_unique<MailNotifier>(renderer_, *sla_, MailNotifierOptions{});
    tickets_->SetNotifier(notifier_.get());
    ingest_ = std::make_unique<IngestMessage>(store_, *tickets_, *notifier_, bus_, clock_, IngestOptions{});
    desk_ = std::make_unique<InboundDesk>(store_, *tickets_, notifier_.get(), bus_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    NewContract c;
    c.modality = sla::Modality::k8x5;
    c.valid_from = std::chrono::floor<std::chrono::days>(kWednesday) - std::chrono::days{30};
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c));
    ASSERT_TRUE(admin_->CreateContract(sys, "globex", c));
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(), NewUser{email, "N " + email, role, org, ""});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  static InboundMessage Mail(std::string from, std::string subject, std::string id, std::string text = "hola") {
    InboundMessage m;
    m.from_address = from;
    m.flags.from_address = from;
    m.flags.return_path = from;
    m.subject = std::move(subject);
    m.message_id = std::move(id);
    m.text = std::move(text);
    return m;
  }

  std::vector<OutboxRecord> Outbox() {
    return *ReadValue(store_, [](ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
  }
  std::vector<domain::Article> Articles(std::int64_t number) {
    return *ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::Article>> {
      SOPORTE_TRY(t, tx.tickets().GetTicketByNumber(number));
      return tx.tickets().ListArticles(t.id, true);
    });
  }
  std::vector<domain::TicketEvent> Events(std::int64_t number) {
    return *ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<domain::TicketEvent>> {
      SOPORTE_TRY(t, tx.tickets().GetTicketByNumber(number));
      return tx.audit().ListEvents(t.id);
    });
  }
  static bool HasEvent(const std::vector<domain::TicketEvent>& evs, const std::string& field) {
    for (const auto& e : evs) {
      if (e.field == field) return true;
    }
    return false;
  }

  FakeClock clock_{kWednesday};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  EchoRenderer renderer_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<MailNotifier> notifier_;
  std::unique_ptr<IngestMessage> ingest_;
  std::unique_ptr<InboundDesk> desk_;
  Principal customer_, agent_;
};

// ---- IngestMessage ---------------------------------------------------------------------------

TEST_F(MailUseCasesTest, KnownCustomerOpensAnEmailTicketAndGetsOneAcknowledgement) {
  auto r = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "a1@acme.example.com"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, IngestOutcome::kNewTicket);
  EXPECT_TRUE(r->auto_answered);
  auto t = tickets_->Get(agent_, r->number);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ticket.channel, sla::Channel::kEmail);
  EXPECT_EQ(t->ticket.received_at, kWednesday);
  auto out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "ticket_received");
  EXPECT_EQ(out[0].auto_submitted, "auto-replied");
  EXPECT_EQ(out[0].to_address, "carlos@acme.example.com");
  EXPECT_EQ(out[0].in_reply_to, "a1@acme.example.com") << "the acknowledgement answers the customer's mail";
  EXPECT_NE(out[0].subject.find("[#" + std::to_string(r->number) + "]"), std::string::npos);
}

TEST_F(MailUseCasesTest, TheAcknowledgementAsksForTheChecklistItemsTheMailLacks) {
  // An incident by email with no attachment: every item of the protocol's list is asked for.
  auto bare = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "m1@acme.example.com"));
  ASSERT_TRUE(bare) << bare.error().message;
  auto out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  for (const char* item : {"environment", "steps", "screenshots", "logs", "modifications", "versions"}) {
    EXPECT_NE(out[0].body_text.find(std::string("missing:") + item), std::string::npos) << item << " in " << out[0].body_text;
  }
  // A screenshot and a log sent along are not asked for again; the rest still is.
  InboundMessage m = Mail("carlos@acme.example.com", "Cierre contable", "m2@acme.example.com");
  m.attachments.push_back(InboundAttachment{"captura.png", "image/png", BlobInfo{std::string(64, 'c'), 10}, false});
  m.attachments.push_back(InboundAttachment{"server.log", "text/plain", BlobInfo{std::string(64, 'd'), 20}, false});
  auto with_files = ingest_->Run(m);
  ASSERT_TRUE(with_files) << with_files.error().message;
  out = Outbox();
  ASSERT_EQ(out.size(), 2u);
  const std::string& body = out[1].body_text;
  EXPECT_EQ(body.find("missing:screenshots"), std::string::npos) << body;
  EXPECT_EQ(body.find("missing:logs"), std::string::npos) << body;
  EXPECT_NE(body.find("missing:environment"), std::string::npos) << body;
  EXPECT_NE(body.find("missing:steps"), std::string::npos) << body;
  // The ticket's own checklist agrees with what the mail asked.
  auto t = tickets_->Get(agent_, with_files->number);
  ASSERT_TRUE(t);
  for (const auto& e : t->checklist) {
    const std::string item(domain::IntakeItemName(e.item));
    EXPECT_EQ(body.find("missing:" + item) == std::string::npos, e.present) << item;
  }
}

TEST_F(MailUseCasesTest, RepliesThreadByMessageIdAndBySubjectTag) {
  auto first = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "a1@acme.example.com"));
  ASSERT_TRUE(first);
  const std::string ours = Outbox().at(0).message_id;
  // Threaded by our Message-ID (the subject names nothing).
  auto by_id = Mail("carlos@acme.example.com", "Re: otra cosa", "a2@acme.example.com", "sigue igual\n\n> cita");
  by_id.in_reply_to = {ours};
  auto r1 = ingest_->Run(by_id);
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->outcome, IngestOutcome::kReply);
  EXPECT_EQ(r1->number, first->number);
  // Threaded by the [#N] tag only.
  auto r2 = ingest_->Run(Mail("carlos@acme.example.com", "Re: [#" + std::to_string(first->number) + "] x",
                              "a3@acme.example.com"));
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->outcome, IngestOutcome::kReply);
  EXPECT_EQ(r2->number, first->number);
  auto arts = Articles(first->number);
  ASSERT_GE(arts.size(), 2u);
  EXPECT_EQ(arts[arts.size() - 2].body, "sigue igual") << "quoted history is cut";
}

TEST_F(MailUseCasesTest, TheSameMessageIdIsStoredOnce) {
  auto a = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "dup@acme.example.com"));
  auto b = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "<dup@acme.example.com>"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->outcome, IngestOutcome::kDuplicate);
  EXPECT_EQ(b->number, a->number);
  auto page = tickets_->List(agent_, TicketListQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->tickets.size(), 1u);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(MailUseCasesTest, UnknownSenderIsKeptWithItsFilesAndAnsweredOncePerDay) {
  auto m = Mail("nadie@example.org", "Quiero soporte", "u1@example.org");
  m.language = "en";
  m.attachments.push_back(InboundAttachment{"log.txt", "text/plain", BlobInfo{std::string(64, 'a'), 12}, false});
  auto r = ingest_->Run(m);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, IngestOutcome::kUnassigned);
  EXPECT_EQ(r->reason, "unknown_sender");
  EXPECT_TRUE(r->auto_answered);
  auto kept = desk_->Get(agent_, r->unassigned_id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->message.status, "open");
  EXPECT_EQ(kept->message.language, "en");
  ASSERT_EQ(kept->message.attachments.size(), 1u);
  EXPECT_EQ(kept->message.attachments[0].filename, "log.txt");
  auto out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "unknown_sender");
  EXPECT_EQ(out[0].lang, "en");
  // A second message the same day is kept too, but not answered again.
  auto again = ingest_->Run(Mail("nadie@example.org", "Otra vez", "u2@example.org"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, IngestOutcome::kUnassigned);
  EXPECT_FALSE(again->auto_answered);
  EXPECT_EQ(Outbox().size(), 1u);
  EXPECT_EQ(desk_->List(agent_, "open")->size(), 2u);
}

TEST_F(MailUseCasesTest, LoopRulesSuppressAutomaticAnswersButKeepTheMessage) {
  struct Case {
    const char* name;
    std::function<void(InboundMessage&)> mark;
  };
  const std::vector<Case> cases = {
      {"auto-submitted", [](InboundMessage& m) { m.flags.auto_submitted = "auto-replied"; }},
      {"precedence bulk", [](InboundMessage& m) { m.flags.precedence = "bulk"; }},
      {"list-id", [](InboundMessage& m) { m.flags.has_list_id = true; }},
      {"empty return-path", [](InboundMessage& m) { m.flags.return_path = ""; }},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto m = Mail("nadie@example.org", "x", "loop" + std::to_string(++n) + "@example.org");
    c.mark(m);
    auto r = ingest_->Run(m);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, IngestOutcome::kUnassigned);
    EXPECT_FALSE(r->auto_answered);
  }
  // Our own address is never answered either.
  auto own = Mail("soporte@example.com", "x", "own@example.com");
  auto r = ingest_->Run(own);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->auto_answered);
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(MailUseCasesTest, BounceOfOurMailIsANoteAndMarksTheOutboxRowFailed) {
  auto first = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "a1@acme.example.com"));
  ASSERT_TRUE(first);
  const OutboxRecord ack = Outbox().at(0);
  InboundMessage dsn = Mail("mailer-daemon@mx.example.net", "Undelivered Mail Returned to Sender", "dsn1@mx",
                            "550 5.1.1 <carlos@acme.example.com>: user unknown");
  dsn.flags.is_dsn = true;
  dsn.flags.return_path = "";
  dsn.dsn_original_ids = {ack.message_id};
  auto r = ingest_->Run(dsn);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->outcome, IngestOutcome::kBounce);
  EXPECT_EQ(r->number, first->number);
  auto page = tickets_->List(agent_, TicketListQuery{});
  EXPECT_EQ(page->tickets.size(), 1u) << "a bounce never opens a ticket";
  auto arts = Articles(first->number);
  ASSERT_FALSE(arts.empty());
  EXPECT_TRUE(arts.back().internal);
  auto row = ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetOutbox(ack.id); });
  ASSERT_TRUE(row);
  ASSERT_TRUE(row->failed_at);
  EXPECT_NE(row->last_error.find("user unknown"), std::string::npos) << row->last_error;
  EXPECT_TRUE(HasEvent(Events(first->number), "mail_failed"));
  // An unmatched bounce is kept for staff, not a ticket.
  InboundMessage stray = dsn;
  stray.message_id = "dsn2@mx";
  stray.dsn_original_ids = {"unknown@elsewhere"};
  auto kept = ingest_->Run(stray);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->outcome, IngestOutcome::kUnassigned);
  EXPECT_EQ(kept->reason, "bounce");
}

// ---- MailNotifier ----------------------------------------------------------------------------

TEST_F(MailUseCasesTest, AgentReplyAndStatusMovesReachTheOutboxWithThreading) {
  auto t = tickets_->Create(customer_, NewTicket{.subject = "Portal caído"});
  ASSERT_TRUE(t);
  const std::size_t after_create = Outbox().size();
  EXPECT_EQ(after_create, 1u);
  ASSERT_TRUE(tickets_->AddArticle(agent_, t->ticket.number, "Lo revisamos", false));
  ASSERT_TRUE(tickets_->AddArticle(agent_, t->ticket.number, "nota", true));
  auto out = Outbox();
  ASSERT_EQ(out.size(), 2u) << "internal notes are not mailed";
  EXPECT_EQ(out[1].kind, "agent_reply");
  EXPECT_EQ(out[1].auto_submitted, "auto-generated");
  EXPECT_EQ(out[1].in_reply_to, out[0].message_id);
  EXPECT_NE(out[1].body_text.find("Lo revisamos"), std::string::npos);
  TicketPatch p;
  p.status = domain::TicketStatus::kWaitingCustomer;
  ASSERT_TRUE(tickets_->Update(agent_, t->ticket.number, p));
  EXPECT_EQ(Outbox().back().kind, "waiting_customer");
}

TEST_F(MailUseCasesTest, MailGoesInTheRequestersLanguageLearntFromTheirFirstMessage) {
  auto m = Mail("carlos@acme.example.com", "Does not invoice", "en1@acme.example.com");
  m.language = "en";
  auto r = ingest_->Run(m);
  ASSERT_TRUE(r);
  EXPECT_EQ(Outbox().back().lang, "en");
  auto u = ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUser(customer_.user_id); });
  EXPECT_EQ(u->lang, "en") << "learnt from Content-Language";
  // Agent replies (no message language at hand) follow the user's language.
  ASSERT_TRUE(tickets_->AddArticle(agent_, r->number, "We are on it", false));
  EXPECT_EQ(Outbox().back().lang, "en");
  // A later message in Spanish does not override what is known; staff or the user may change it.
  auto es = Mail("carlos@acme.example.com", "Re: [#" + std::to_string(r->number) + "]", "es1@acme.example.com");
  es.language = "es";
  ASSERT_TRUE(ingest_->Run(es));
  EXPECT_EQ(
      ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUser(customer_.user_id); })->lang,
      "en");
  auto set = admin_->SetLanguage(customer_, customer_.user_id, "es");
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_TRUE(tickets_->AddArticle(agent_, r->number, "Listo", false));
  EXPECT_EQ(Outbox().back().lang, "es");
  EXPECT_EQ(admin_->SetLanguage(customer_, agent_.user_id, "en").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(admin_->SetLanguage(agent_, customer_.user_id, "fr").error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(admin_->SetLanguage(agent_, customer_.user_id, ""));
}

// ---- InboundDesk -----------------------------------------------------------------------------

TEST_F(MailUseCasesTest, AssignCreatesTheCustomerAndATicketClockedFromTheOriginalReception) {
  auto m = Mail("nueva@acme.example.com", "Error al imprimir", "n1@acme.example.com", "No imprime");
  m.language = "en";
  m.attachments.push_back(InboundAttachment{"captura.png", "image/png", BlobInfo{std::string(64, 'b'), 99}, true});
  auto r = ingest_->Run(m);
  ASSERT_TRUE(r);
  clock_.Advance(Seconds{6 * 3600});  // staff get to it hours later
  AssignInbound in;
  in.org_slug = "acme";
  in.criticality = sla::Criticality::kImportant;
  auto refused = desk_->Assign(agent_, r->unassigned_id, in);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound) << "unknown requester without a name to create it";
  in.create_name = "Nueva Persona";
  auto d = desk_->Assign(agent_, r->unassigned_id, in);
  ASSERT_TRUE(d) << d.error().message;
  auto t = tickets_->Get(agent_, d->number);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->ticket.received_at, kWednesday);
  EXPECT_EQ(t->ticket.channel, sla::Channel::kEmail);
  EXPECT_EQ(t->ticket.criticality, sla::Criticality::kImportant);
  EXPECT_EQ(t->requester.email, "nueva@acme.example.com");
  EXPECT_EQ(t->org_slug, "acme");
  auto atts = tickets_->ListAttachments(agent_, d->number);
  ASSERT_TRUE(atts);
  ASSERT_EQ(atts->size(), 1u);
  EXPECT_EQ((*atts)[0].attachment.filename, "captura.png");
  EXPECT_TRUE(HasEvent(Events(d->number), "mail_assigned"));
  auto view = desk_->Get(agent_, r->unassigned_id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->message.status, "assigned");
  EXPECT_EQ(view->ticket_number, d->number);
  EXPECT_EQ(view->message.resolved_at, kWednesday + Seconds{6 * 3600});
  EXPECT_EQ(view->resolved_by_name, agent_.name);
  EXPECT_EQ(Outbox().back().kind, "ticket_received");
  EXPECT_EQ(Outbox().back().lang, "en");
  // The customer's reply to the original message now threads to the new ticket.
  auto reply = Mail("nueva@acme.example.com", "Re: Error al imprimir", "n2@acme.example.com");
  reply.in_reply_to = {"n1@acme.example.com"};
  auto rr = ingest_->Run(reply);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->outcome, IngestOutcome::kReply);
  EXPECT_EQ(rr->number, d->number);
  // Decided once.
  auto twice = desk_->Assign(agent_, r->unassigned_id, in);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(desk_->List(agent_, "open")->empty());
  EXPECT_EQ(desk_->List(agent_, "assigned")->size(), 1u);
}

TEST_F(MailUseCasesTest, AttachAddsTheMailToAnExistingTicketAsTheRequestersMessage) {
  auto t = tickets_->Create(customer_, NewTicket{.subject = "Portal caído"});
  ASSERT_TRUE(t);
  auto r = ingest_->Run(Mail("colega@otra.example.org", "Más datos", "c1@otra.example.org", "adjunto datos"));
  ASSERT_TRUE(r);
  auto d = desk_->Attach(agent_, r->unassigned_id, t->ticket.number);
  ASSERT_TRUE(d) << d.error().message;
  auto arts = Articles(t->ticket.number);
  ASSERT_FALSE(arts.empty());
  EXPECT_EQ(arts.back().body, "adjunto datos");
  EXPECT_FALSE(arts.back().internal);
  EXPECT_EQ(arts.back().author_id, customer_.user_id);
  EXPECT_TRUE(HasEvent(Events(t->ticket.number), "mail_attached"));
  EXPECT_EQ(desk_->Get(agent_, r->unassigned_id)->message.status, "attached");
  auto missing = desk_->Attach(agent_, r->unassigned_id + 100, t->ticket.number);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(MailUseCasesTest, SpamNeedsAReasonAndIsRecordedNotDeleted) {
  auto r = ingest_->Run(Mail("oferta@spam.example.net", "Gane dinero", "s1@spam.example.net"));
  ASSERT_TRUE(r);
  auto no_reason = desk_->Dismiss(agent_, r->unassigned_id, "spam", "  ");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, ErrorCode::kInvalidArgument);
  auto bad_status = desk_->Dismiss(agent_, r->unassigned_id, "deleted", "x");
  ASSERT_FALSE(bad_status);
  EXPECT_EQ(bad_status.error().code, ErrorCode::kInvalidArgument);
  auto d = desk_->Dismiss(agent_, r->unassigned_id, "spam", "publicidad");
  ASSERT_TRUE(d);
  EXPECT_TRUE(desk_->List(agent_, "open")->empty());
  auto all = desk_->List(agent_, "all");
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].message.status, "spam");
  EXPECT_EQ((*all)[0].message.resolution_note, "publicidad");
  EXPECT_EQ((*all)[0].message.subject, "Gane dinero");
  EXPECT_EQ(desk_->List(agent_, "nonsense").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(MailUseCasesTest, CustomersCannotSeeOrHandleKeptMail) {
  auto r = ingest_->Run(Mail("nadie@example.org", "x", "p1@example.org"));
  ASSERT_TRUE(r);
  EXPECT_EQ(desk_->List(customer_, "open").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Get(customer_, r->unassigned_id).error().code, ErrorCode::kPermissionDenied);
  AssignInbound in;
  in.org_slug = "acme";
  in.create_name = "X";
  EXPECT_EQ(desk_->Assign(customer_, r->unassigned_id, in).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Attach(customer_, r->unassigned_id, 1001).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Dismiss(customer_, r->unassigned_id, "spam", "x").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Get(agent_, r->unassigned_id)->message.status, "open");
}

// ---- MailPoller ------------------------------------------------------------------------------

TEST_F(MailUseCasesTest, PollerIngestsConcurrentlyAndMovesTheMarkOnlyOverCommittedUids) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "soporte-poller-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  FakeMailbox box;
  for (int uid = 1; uid <= 12; ++uid) {
    box.messages[uid] = "carlos@acme.example.com\nasunto " + std::to_string(uid) + "\ntexto\n";
  }
  LineParser parser;
  parser.fail_subjects = {"asunto 4"};
  MailPoller poller(store_, parser, *ingest_, tmpl, 4);
  auto first = poller.PollOnce(box);
  ASSERT_FALSE(first) << "the failed message is reported";
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  auto mark = ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetImapState(box.Name()); });
  ASSERT_TRUE(mark);
  EXPECT_EQ(mark->last_uid, 3) << "the mark stops before the gap";
  EXPECT_EQ(mark->uidvalidity, 77);
  EXPECT_FALSE(box.flagged.count(4)) << "never flagged before its commit";
  EXPECT_EQ(box.flagged.size(), 11u);
  // Next round: only UID 4 is new work; the others were recorded as committed and are skipped.
  parser.fail_subjects.clear();
  auto second = poller.PollOnce(box);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->ingested, 1);
  EXPECT_EQ(
      ReadValue(store_, [&](ReadTx& tx) { return tx.mail().GetImapState(box.Name()); })->last_uid,
      12);
  EXPECT_TRUE(
      ReadValue(store_, [&](ReadTx& tx) { return tx.mail().ListImapUids(box.Name(), 77, 0); })
          ->empty())
      << "marks at or below the high-water mark are forgotten";
  TicketListQuery q;
  q.limit = 200;
  EXPECT_EQ(tickets_->List(agent_, q)->tickets.size(), 12u) << "each message stored exactly once";
  EXPECT_EQ(box.flagged.size(), 12u);
  // Nothing new: nothing done.
  auto third = poller.PollOnce(box);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->ingested, 0);
  std::filesystem::remove_all(tmpl);
}

// ---- OutboxDelivery / OutboxAdmin ------------------------------------------------------------

TEST_F(MailUseCasesTest, TransientFailuresBackOffExponentiallyAndAreLeased) {
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Portal caído"}));
  ScriptedSender sender;
  sender.script = {Fail(ErrorCode::kUnavailable, "connection refused"), Fail(ErrorCode::kUnavailable, "421 busy")};
  OutboxDelivery delivery(store_, sender, clock_);
  auto r1 = delivery.RunOnce();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->failed, 1);
  EXPECT_EQ(r1->given_up, 0);
  auto row = Outbox().at(0);
  EXPECT_EQ(row.attempts, 1);
  EXPECT_EQ(row.next_attempt_at, kWednesday + Seconds{60});
  EXPECT_EQ(row.last_error, "connection refused");
  EXPECT_EQ(delivery.RunOnce()->failed, 0) << "not due yet";
  clock_.Advance(Seconds{60});
  ASSERT_EQ(delivery.RunOnce()->failed, 1);
  EXPECT_EQ(Outbox().at(0).next_attempt_at, kWednesday + Seconds{60 + 120});
  clock_.Advance(Seconds{120});
  auto r3 = delivery.RunOnce();
  EXPECT_EQ(r3->sent, 1);
  EXPECT_TRUE(Outbox().at(0).sent_at);
  EXPECT_EQ(sender.sent_ids.size(), 3u);
  EXPECT_EQ(Backoff(OutboxOptions{}, 20), Seconds{3600}) << "capped at an hour";

  // A row claimed by a node that died is retried once its lease runs out.
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Otro"}));
  auto claimed = WriteValue(store_, [&](WriteTx& tx) {
    return tx.mail().ClaimOutbox(clock_.Now(), clock_.Now() + Seconds{300}, 10);
  });
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(delivery.RunOnce()->sent, 0);
  clock_.Advance(Seconds{301});
  EXPECT_EQ(delivery.RunOnce()->sent, 1);
}

TEST_F(MailUseCasesTest, PermanentRefusalMarksTheRowFailedAndStaffCanRetryIt) {
  auto t = tickets_->Create(customer_, NewTicket{.subject = "Portal caído"});
  ASSERT_TRUE(t);
  ScriptedSender sender;
  sender.script = {Fail(ErrorCode::kInvalidArgument, "550 5.1.1 mailbox unavailable")};
  OutboxDelivery delivery(store_, sender, clock_);
  OutboxAdmin admin(store_, clock_);
  auto r = delivery.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->given_up, 1);
  auto failed = admin.ListFailed(agent_, 50);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].ticket_number, t->ticket.number);
  EXPECT_EQ((*failed)[0].mail.last_error, "550 5.1.1 mailbox unavailable");
  auto evs = Events(t->ticket.number);
  ASSERT_TRUE(HasEvent(evs, "mail_failed"));
  for (const auto& e : evs) {
    if (e.field == "mail_failed") {
      EXPECT_EQ(e.before, "carlos@acme.example.com");
      EXPECT_EQ(e.after, "550 5.1.1 mailbox unavailable");
    }
  }
  EXPECT_EQ(admin.Counts()->failed, 1);
  EXPECT_EQ(admin.Counts()->pending, 0);
  clock_.Advance(Seconds{7 * 24 * 3600});
  EXPECT_EQ(delivery.RunOnce()->sent + delivery.RunOnce()->failed, 0) << "a failed row is never retried by itself";

  EXPECT_EQ(admin.ListFailed(customer_, 50).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin.Retry(customer_, (*failed)[0].mail.id).error().code, ErrorCode::kPermissionDenied);
  auto retried = admin.Retry(agent_, (*failed)[0].mail.id);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(admin.Retry(agent_, (*failed)[0].mail.id).error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(admin.Counts()->pending, 1);
  EXPECT_EQ(delivery.RunOnce()->sent, 1);
  EXPECT_TRUE(HasEvent(Events(t->ticket.number), "mail_retry"));
  EXPECT_EQ(admin.Retry(agent_, 999).error().code, ErrorCode::kNotFound);
}

TEST_F(MailUseCasesTest, MailFailingLongerThanTheLimitIsGivenUp) {
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Portal caído"}));
  ScriptedSender sender;
  for (int i = 0; i < 100; ++i) sender.script.push_back(Fail(ErrorCode::kUnavailable, "connection refused"));
  OutboxOptions o;
  o.give_up_after = Seconds{3 * 3600};
  OutboxDelivery delivery(store_, sender, clock_, o);
  int rounds = 0;
  while (!Outbox().at(0).failed_at && rounds < 50) {
    ASSERT_TRUE(delivery.RunOnce());
    clock_.Set(Outbox().at(0).next_attempt_at);
    ++rounds;
  }
  auto row = Outbox().at(0);
  ASSERT_TRUE(row.failed_at) << "still retrying after " << rounds << " rounds";
  EXPECT_GE(*row.failed_at - row.created_at, Seconds{3 * 3600});
  EXPECT_LT(*row.failed_at - row.created_at, Seconds{3 * 3600 + 3600 + 1});
}

}  // namespace
}  // namespace soporte::app
