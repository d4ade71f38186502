// IngestMessage on MemoryStore + FakeClock: new tickets, threading, duplicates, unknown senders,
// loop rules and bounces.
#include "unit/app/mail/mail_use_cases_fixture.hpp"

namespace soporte::app {
namespace {

using namespace mail_test;  // NOLINT(google-build-using-namespace): the shared fixture

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
  EXPECT_EQ(out[0].in_reply_to, "a1@acme.example.com")
      << "the acknowledgement answers the customer's mail";
  EXPECT_NE(out[0].subject.find("[#" + std::to_string(r->number) + "]"), std::string::npos);
}

TEST_F(MailUseCasesTest, TheAcknowledgementAsksForTheChecklistItemsTheMailLacks) {
  // An incident by email with no attachment: every item of the protocol's list is asked for.
  auto bare = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "m1@acme.example.com"));
  ASSERT_TRUE(bare) << bare.error().message;
  auto out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  for (const char* item :
       {"environment", "steps", "screenshots", "logs", "modifications", "versions"}) {
    EXPECT_NE(out[0].body_text.find(std::string("missing:") + item), std::string::npos)
        << item << " in " << out[0].body_text;
  }
  // A screenshot and a log sent along are not asked for again; the rest still is.
  InboundMessage m = Mail("carlos@acme.example.com", "Cierre contable", "m2@acme.example.com");
  m.attachments.push_back(
      InboundAttachment{"captura.png", "image/png", BlobInfo{std::string(64, 'c'), 10}, false});
  m.attachments.push_back(
      InboundAttachment{"server.log", "text/plain", BlobInfo{std::string(64, 'd'), 20}, false});
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
  auto by_id = Mail("carlos@acme.example.com", "Re: otra cosa", "a2@acme.example.com",
                    "sigue igual\n\n> cita");
  by_id.in_reply_to = {ours};
  auto r1 = ingest_->Run(by_id);
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->outcome, IngestOutcome::kReply);
  EXPECT_EQ(r1->number, first->number);
  // Threaded by the [#N] tag only.
  auto r2 =
      ingest_->Run(Mail("carlos@acme.example.com", "Re: [#" + std::to_string(first->number) + "] x",
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
  m.attachments.push_back(
      InboundAttachment{"log.txt", "text/plain", BlobInfo{std::string(64, 'a'), 12}, false});
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
  InboundMessage dsn = Mail("mailer-daemon@mx.example.net", "Undelivered Mail Returned to Sender",
                            "dsn1@mx", "550 5.1.1 <carlos@acme.example.com>: user unknown");
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

// A mail client's attachment name is kept by the file-name rule (domain/ticket/file_name.hpp),
// whatever the parser left in it: valid UTF-8, one path component, cut at a character boundary.
TEST_F(MailUseCasesTest, HostileAttachmentNamesAreKeptClean) {
  std::string long_name;
  for (int i = 0; i < 150; ++i) long_name += "\xC3\xB1";  // ñ: 300 bytes
  long_name += ".log";
  InboundMessage m = Mail("carlos@acme.example.com", "Adjuntos raros", "h1@acme.example.com");
  m.attachments.push_back(InboundAttachment{"..\\..\\caf\xC3\x01.txt", "text/plain",
                                            BlobInfo{std::string(64, 'e'), 3}, false});
  m.attachments.push_back(
      InboundAttachment{long_name, "text/plain", BlobInfo{std::string(64, 'f'), 4}, false});
  auto r = ingest_->Run(m);
  ASSERT_TRUE(r) << r.error().message;
  auto atts = tickets_->ListAttachments(agent_, r->number);
  ASSERT_TRUE(atts);
  ASSERT_EQ(atts->size(), 2u);
  EXPECT_EQ((*atts)[0].attachment.filename, "caf\xEF\xBF\xBD.txt");
  const std::string& cut = (*atts)[1].attachment.filename;
  EXPECT_EQ(cut.size(), 200u);
  EXPECT_TRUE(cut.starts_with("\xC3\xB1")) << "cut inside a character";
  EXPECT_TRUE(cut.ends_with(".log"));

  // The same names on a mail from nobody the desk knows (kept unassigned).
  InboundMessage u = Mail("nadie@example.org", "Adjuntos", "h2@example.org");
  u.attachments = m.attachments;
  auto kept_r = ingest_->Run(u);
  ASSERT_TRUE(kept_r) << kept_r.error().message;
  auto kept = desk_->Get(agent_, kept_r->unassigned_id);
  ASSERT_TRUE(kept);
  ASSERT_EQ(kept->message.attachments.size(), 2u);
  EXPECT_EQ(kept->message.attachments[0].filename, "caf\xEF\xBF\xBD.txt");
  EXPECT_EQ(kept->message.attachments[1].filename, cut);
}

}  // namespace
}  // namespace soporte::app
