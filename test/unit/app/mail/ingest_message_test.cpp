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

// 2026-12-06 probe: an out-of-office (Auto-Submitted: auto-replied, null envelope sender)
// without thread headers from a known customer opened a new ticket. RFC 3834 §2: automatic mail
// never opens a ticket and is never answered; it waits in the unassigned queue.
TEST_F(MailUseCasesTest, AutomaticMailFromACustomerNeverOpensATicket) {
  struct Case {
    const char* name;
    std::function<void(InboundMessage&)> mark;
  };
  const std::vector<Case> cases = {
      {"out of office",
       [](InboundMessage& m) {
         m.flags.auto_submitted = "auto-replied";
         m.flags.return_path = "";
       }},
      {"auto-generated", [](InboundMessage& m) { m.flags.auto_submitted = "auto-generated"; }},
      {"precedence junk", [](InboundMessage& m) { m.flags.precedence = "junk"; }},
      {"list-id", [](InboundMessage& m) { m.flags.has_list_id = true; }},
      {"x-autorespond", [](InboundMessage& m) { m.flags.has_autoreply_marker = true; }},
      {"null sender", [](InboundMessage& m) { m.flags.return_path = ""; }},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto m = Mail("carlos@acme.example.com", "Fuera de la oficina",
                  "auto" + std::to_string(++n) + "@acme.example.com");
    c.mark(m);
    auto r = ingest_->Run(m);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->outcome, IngestOutcome::kUnassigned);
    EXPECT_EQ(r->reason, "automatic");
    EXPECT_FALSE(r->auto_answered);
  }
  EXPECT_TRUE(tickets_->List(agent_, TicketListQuery{})->tickets.empty());
  EXPECT_TRUE(Outbox().empty());
  // A person asking for no auto-responses (Outlook's header alone) still opens a ticket,
  // unanswered.
  auto person = Mail("carlos@acme.example.com", "No factura", "person@acme.example.com");
  person.flags.x_auto_response_suppress = "All";
  auto r = ingest_->Run(person);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, IngestOutcome::kNewTicket);
  EXPECT_FALSE(r->auto_answered);
}

// 2026-12-06 probe: an unknown sender's follow-up to their own held message became a second,
// unrelated held message.
TEST_F(MailUseCasesTest, AFollowUpOfAKeptMessageJoinsIt) {
  auto first = ingest_->Run(Mail("nadie@example.org", "Quiero soporte", "u1@example.org"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->outcome, IngestOutcome::kUnassigned);
  EXPECT_EQ(first->follows, 0);
  auto follow = Mail("nadie@example.org", "Re: Quiero soporte", "u2@example.org", "¿alguien?");
  follow.in_reply_to = {"<u1@example.org>"};
  auto second = ingest_->Run(follow);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->outcome, IngestOutcome::kUnassigned);
  EXPECT_EQ(second->follows, first->unassigned_id);
  // A reply to the follow-up joins the same conversation, not the follow-up.
  auto third_mail = Mail("nadie@example.org", "Re: Re: Quiero soporte", "u3@example.org");
  third_mail.references = {"u1@example.org", "u2@example.org"};
  auto third = ingest_->Run(third_mail);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->follows, first->unassigned_id);
  auto kept = desk_->Get(agent_, second->unassigned_id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->message.follows_id, first->unassigned_id);
  EXPECT_EQ(Outbox().size(), 1u) << "one answer for the conversation";
  // Once staff decided on the first, a late follow-up waits on its own.
  ASSERT_TRUE(desk_->Dismiss(agent_, first->unassigned_id, "spam", "publicidad"));
  auto late = Mail("nadie@example.org", "Re: Quiero soporte", "u4@example.org");
  late.in_reply_to = {"u1@example.org"};
  auto fourth = ingest_->Run(late);
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->follows, 0);
}

// 2026-12-06 probe: a forged From with "[#N]" added a public message "by" the customer to their
// ticket. With the MTA's authserv-id configured, only mail its Authentication-Results verify
// (RFC 8601) speaks for a customer; the rest waits, unanswered, as "unverified".
TEST_F(MailUseCasesTest, WithAnAuthservIdOnlyVerifiedMailPostsAsTheCustomer) {
  IngestOptions options;
  options.auth_serv_id = "mx.example.com";
  IngestMessage checked(store_, *tickets_, *notifier_, bus_, clock_, options);
  auto mine = Mail("carlos@acme.example.com", "No factura", "v1@acme.example.com");
  mine.authentication_results = {"mx.example.com; dmarc=pass header.from=acme.example.com"};
  auto first = checked.Run(mine);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->outcome, IngestOutcome::kNewTicket);
  const std::size_t articles = Articles(first->number).size();
  const std::size_t outbox = Outbox().size();
  const std::string tag = "Re: [#" + std::to_string(first->number) + "] No factura";
  struct Case {
    const char* name;
    std::vector<std::string> headers;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"no header", {}, "unverified: no Authentication-Results from mx.example.com"},
      {"forged header",
       {"mx.attacker.example; dmarc=pass header.from=acme.example.com"},
       "unverified: no Authentication-Results from mx.example.com"},
      {"dmarc fail",
       {"mx.example.com; dmarc=fail header.from=acme.example.com"},
       "unverified: dmarc=fail"},
  };
  int n = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto forged = Mail("carlos@acme.example.com", tag, "f" + std::to_string(++n) + "@evil.example");
    forged.authentication_results = c.headers;
    auto r = checked.Run(forged);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->outcome, IngestOutcome::kUnassigned);
    EXPECT_EQ(r->reason, c.reason);
    EXPECT_FALSE(r->auto_answered);
  }
  EXPECT_EQ(Articles(first->number).size(), articles) << "nothing posted as the customer";
  EXPECT_EQ(Outbox().size(), outbox);
  EXPECT_EQ(tickets_->List(agent_, TicketListQuery{})->tickets.size(), 1u);
  // Without the option: today's behaviour (From is trusted).
  auto r = ingest_->Run(Mail("carlos@acme.example.com", tag, "f9@evil.example"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, IngestOutcome::kReply);
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
