// OutboxDelivery / OutboxAdmin: backoff, lease, permanent failure, give-up and retry, and the
// text rendered at delivery from the facts the change committed.
#include "unit/app/mail/mail_use_cases_fixture.hpp"

namespace soporte::app {
namespace {

using namespace mail_test;  // NOLINT(google-build-using-namespace): the shared fixture

// ---- OutboxDelivery / OutboxAdmin ------------------------------------------------------------

TEST_F(MailUseCasesTest, TransientFailuresBackOffExponentiallyAndAreLeased) {
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Portal caído"}));
  ScriptedSender sender;
  sender.script = {Fail(ErrorCode::kUnavailable, "connection refused"),
                   Fail(ErrorCode::kUnavailable, "421 busy")};
  OutboxDelivery delivery(store_, sender, *outbox_renderer_, clock_);
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
  OutboxDelivery delivery(store_, sender, *outbox_renderer_, clock_);
  OutboxAdmin admin(store_, *outbox_renderer_, clock_);
  auto r = delivery.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->given_up, 1);
  auto failed = admin.ListFailed(agent_, 50);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].ticket_number, t->ticket.number);
  EXPECT_EQ((*failed)[0].mail.last_error, "550 5.1.1 mailbox unavailable");
  EXPECT_EQ((*failed)[0].mail.subject,
            "[#" + std::to_string(t->ticket.number) + "] ticket_received es")
      << "staff see the subject the mail has (rendered from its facts)";
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
  EXPECT_EQ(delivery.RunOnce()->sent + delivery.RunOnce()->failed, 0)
      << "a failed row is never retried by itself";

  EXPECT_EQ(admin.ListFailed(customer_, 50).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin.Retry(customer_, (*failed)[0].mail.id).error().code,
            ErrorCode::kPermissionDenied);
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
  for (int i = 0; i < 100; ++i)
    sender.script.push_back(Fail(ErrorCode::kUnavailable, "connection refused"));
  OutboxOptions o;
  o.give_up_after = Seconds{3 * 3600};
  OutboxDelivery delivery(store_, sender, *outbox_renderer_, clock_, o);
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

// A password-reset mail holds a live link: once delivered or given up its body is blanked in the
// write that marks it, other mail keeps its body, and staff cannot resend a link that is gone.
TEST_F(MailUseCasesTest, PasswordResetBodiesAreBlankedOnceDeliveredOrGivenUp) {
  auto insert = [&](const std::string& id, const std::string& kind) {
    OutboxRecord r;
    r.created_at = clock_.Now();
    r.kind = kind;
    r.to_address = "carlos@acme.example.com";
    r.subject = "Restablecer la contraseña";
    r.body_text = "https://desk.example/reset#token=secret-" + id;
    r.message_id = id + "@desk.example";
    r.lang = "es";
    r.next_attempt_at = clock_.Now();
    ASSERT_TRUE(store_.Write([&](WriteTx& tx) -> Status {
      SOPORTE_TRY_STATUS(tx.mail().InsertOutbox(r));
      return Ok();
    }));
  };
  insert("sent", "password_reset");
  insert("refused", "password_reset");
  insert("other", "unknown_sender");
  ScriptedSender sender;
  sender.script = {Ok(), Fail(ErrorCode::kInvalidArgument, "550 no such user"), Ok()};
  OutboxDelivery delivery(store_, sender, *outbox_renderer_, clock_);
  auto r = delivery.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->sent, 2);
  EXPECT_EQ(r->given_up, 1);
  EXPECT_EQ(sender.sent_ids.size(), 3u) << "the link was sent before it was blanked";
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].sent_at);
  EXPECT_EQ(rows[0].body_text, "");
  EXPECT_TRUE(rows[1].failed_at);
  EXPECT_EQ(rows[1].body_text, "");
  EXPECT_EQ(rows[1].subject, "Restablecer la contraseña")
      << "the rest of the row still tells staff what it was";
  EXPECT_EQ(rows[2].body_text, "https://desk.example/reset#token=secret-other");
  OutboxAdmin admin(store_, *outbox_renderer_, clock_);
  auto failed = admin.ListFailed(agent_, 50);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].mail.kind, "password_reset");
  auto retry = admin.Retry(agent_, rows[1].id);
  ASSERT_FALSE(retry);
  EXPECT_EQ(retry.error().code, ErrorCode::kFailedPrecondition);
}

// Delivered mail is kept for the retention, then purged in short writes; pending and failed
// mail is never purged, and replies to purged mail still thread (Message-IDs are kept apart).
TEST_F(MailUseCasesTest, DeliveredMailIsPurgedAfterTheRetentionOnly) {
  auto first = tickets_->Create(customer_, NewTicket{.subject = "Primero"});
  ASSERT_TRUE(first);
  ScriptedSender ok;
  OutboxOptions options;
  options.retention = Seconds{30 * 24 * 3600};
  options.purge_batch = 2;  // several writes
  OutboxDelivery delivery(store_, ok, *outbox_renderer_, clock_, options);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Más"}));
  ASSERT_EQ(delivery.RunOnce()->sent, 5);
  // One that fails permanently, and one still pending.
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Rebota"}));
  ScriptedSender refuse;
  refuse.script = {Fail(ErrorCode::kInvalidArgument, "550 no such user")};
  OutboxDelivery refusing(store_, refuse, *outbox_renderer_, clock_, options);
  ASSERT_EQ(refusing.RunOnce()->given_up, 1);
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Pendiente"}));
  const auto ids_before =
      ReadValue(store_, [&](ReadTx& tx) { return tx.mail().ListMessageIds(first->ticket.id); });

  clock_.Advance(Seconds{29 * 24 * 3600});
  EXPECT_EQ(*delivery.Purge(), 0) << "not old enough";
  EXPECT_EQ(Outbox().size(), 7u);
  clock_.Advance(Seconds{2 * 24 * 3600});
  EXPECT_EQ(*delivery.Purge(), 5);
  auto left = Outbox();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_TRUE(left[0].failed_at);
  EXPECT_FALSE(left[1].sent_at);
  EXPECT_EQ(
      ReadValue(store_, [&](ReadTx& tx) { return tx.mail().ListMessageIds(first->ticket.id); })
          ->size(),
      ids_before->size());
  EXPECT_EQ(*delivery.Purge(), 0);
}

// ---- Rendering at delivery (issue 16, item 6) ------------------------------------------------

// The change's transaction stores facts, not text; the mail delivered later says what was true
// when the change committed: the criticality and due then, the customer's name and language
// then, and how the due was computed.
TEST_F(MailUseCasesTest, TheMailSaysWhatWasTrueWhenTheChangeCommitted) {
  auto r = ingest_->Run(Mail("carlos@acme.example.com", "No factura", "f1@acme.example.com"));
  ASSERT_TRUE(r) << r.error().message;
  auto stored = StoredOutbox();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].subject, "") << "no text in the writer's transaction";
  EXPECT_EQ(stored[0].body_text, "");
  ASSERT_TRUE(stored[0].facts);
  auto before = tickets_->Get(agent_, r->number);
  ASSERT_TRUE(before);
  const Instant due = before->ticket.response_due;
  const std::string criticality(sla::Name(before->ticket.criticality));
  EXPECT_EQ(stored[0].facts->due, due);
  EXPECT_EQ(stored[0].facts->subject, "No factura");

  // Before delivery the ticket becomes critical (its due moves) and the customer is renamed and
  // asks for English.
  TicketPatch p;
  p.criticality = before->ticket.criticality == sla::Criticality::kCritical
                      ? sla::Criticality::kNormal
                      : sla::Criticality::kCritical;
  ASSERT_TRUE(tickets_->Update(agent_, r->number, p));
  ASSERT_NE(tickets_->Get(agent_, r->number)->ticket.response_due, due);
  UserChange rename;
  rename.name = "Carlos Andrés";
  rename.lang = "en";
  auto renamed = admin_->UpdateUser(SystemPrincipal(), customer_.user_id, rename);
  ASSERT_TRUE(renamed) << renamed.error().message;

  ScriptedSender sender;
  OutboxDelivery delivery(store_, sender, *outbox_renderer_, clock_);
  ASSERT_EQ(delivery.RunOnce()->sent, 1);
  ASSERT_EQ(sender.sent.size(), 1u);
  const OutboxRecord& mail = sender.sent[0];
  EXPECT_EQ(mail.subject, "[#" + std::to_string(r->number) + "] ticket_received es");
  const std::string& body = mail.body_text;
  EXPECT_NE(body.find("subject:No factura"), std::string::npos) << body;
  EXPECT_NE(body.find("criticality:" + criticality + " "), std::string::npos) << body;
  EXPECT_NE(body.find("due:" + std::to_string(due.time_since_epoch().count()) + " "),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("to:N carlos@acme.example.com "), std::string::npos) << body;
  EXPECT_NE(body.find(" explained"), std::string::npos) << "how the due was computed: " << body;
  EXPECT_EQ(StoredOutbox().at(0).body_text, "") << "the rendered text is sent, not stored";
}

// The due is explained from the contract's calendar at delivery only when that calendar still
// gives the due the change recorded: otherwise the mail shows the recorded due alone.
TEST_F(MailUseCasesTest, AnExplanationOfAnotherDueIsLeftOut) {
  ASSERT_TRUE(tickets_->Create(customer_, NewTicket{.subject = "Portal caído"}));
  OutboxRecord moved = StoredOutbox().at(0);
  ASSERT_TRUE(moved.facts);
  moved.id = 0;
  moved.message_id = "moved@example.com";
  moved.facts->due = moved.facts->due + Seconds{3600};
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.mail().InsertOutbox(moved));
    return Ok();
  }));
  auto out = Outbox();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].body_text.find(" explained"), std::string::npos) << out[0].body_text;
  EXPECT_EQ(out[1].body_text.find(" explained"), std::string::npos) << out[1].body_text;
  EXPECT_NE(
      out[1].body_text.find("due:" + std::to_string(moved.facts->due.time_since_epoch().count())),
      std::string::npos)
      << out[1].body_text;
}

// Rows that hold their text (written before 0022) are sent exactly as stored; a row whose facts
// name an article that is gone cannot be rendered: it is given up at once, and staff see why.
TEST_F(MailUseCasesTest, StoredTextIsSentAsItIsAndUnrenderableMailIsGivenUp) {
  auto t = tickets_->Create(customer_, NewTicket{.subject = "Portal caído"});
  ASSERT_TRUE(t);
  OutboxRecord old;
  old.created_at = clock_.Now();
  old.kind = "ticket_received";
  old.to_address = "carlos@acme.example.com";
  old.subject = "[#" + std::to_string(t->ticket.number) + "] Recibimos su solicitud";
  old.body_text = "texto de antes de 0022";
  old.message_id = "old@example.com";
  old.auto_submitted = "auto-replied";
  old.lang = "es";
  old.ticket_id = t->ticket.id;
  old.next_attempt_at = clock_.Now();
  OutboxRecord gone = StoredOutbox().at(0);
  gone.id = 0;
  gone.kind = "agent_reply";
  gone.message_id = "gone@example.com";
  gone.facts->article_id = ArticleId{9999};
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.mail().InsertOutbox(old));
    SOPORTE_TRY_STATUS(tx.mail().InsertOutbox(gone));
    return Ok();
  }));
  ScriptedSender sender;
  OutboxDelivery delivery(store_, sender, *outbox_renderer_, clock_);
  auto r = delivery.RunOnce();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->sent, 2);
  EXPECT_EQ(r->given_up, 1);
  ASSERT_EQ(sender.sent.size(), 2u) << "the unrenderable row is not sent";
  EXPECT_EQ(sender.sent[1].message_id, "old@example.com");
  EXPECT_EQ(sender.sent[1].subject, old.subject);
  EXPECT_EQ(sender.sent[1].body_text, old.body_text);
  OutboxAdmin admin(store_, *outbox_renderer_, clock_);
  auto failed = admin.ListFailed(agent_, 50);
  ASSERT_TRUE(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].mail.message_id, "gone@example.com");
  EXPECT_NE((*failed)[0].mail.last_error.find("cannot render"), std::string::npos)
      << (*failed)[0].mail.last_error;
  EXPECT_NE((*failed)[0].mail.subject.find("article 9999 is gone"), std::string::npos)
      << (*failed)[0].mail.subject;
}

}  // namespace
}  // namespace soporte::app
