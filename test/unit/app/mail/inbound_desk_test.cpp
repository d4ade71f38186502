// InboundDesk: staff's decisions on kept mail (assign, attach, spam) and who may take them.
#include "unit/app/mail/mail_use_cases_fixture.hpp"

namespace soporte::app {
namespace {

using namespace mail_test;  // NOLINT(google-build-using-namespace): the shared fixture

// ---- InboundDesk -----------------------------------------------------------------------------

TEST_F(MailUseCasesTest, AssignCreatesTheCustomerAndATicketClockedFromTheOriginalReception) {
  auto m = Mail("nueva@acme.example.com", "Error al imprimir", "n1@acme.example.com", "No imprime");
  m.language = "en";
  m.attachments.push_back(
      InboundAttachment{"captura.png", "image/png", BlobInfo{std::string(64, 'b'), 99}, true});
  auto r = ingest_->Run(m);
  ASSERT_TRUE(r);
  clock_.Advance(Seconds{6 * 3600});  // staff get to it hours later
  AssignInbound in;
  in.org_slug = "acme";
  in.criticality = sla::Criticality::kImportant;
  auto refused = desk_->Assign(agent_, r->unassigned_id, in);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound)
      << "unknown requester without a name to create it";
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
  auto r = ingest_->Run(
      Mail("colega@otra.example.org", "Más datos", "c1@otra.example.org", "adjunto datos"));
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
  EXPECT_EQ(desk_->Assign(customer_, r->unassigned_id, in).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Attach(customer_, r->unassigned_id, 1001).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Dismiss(customer_, r->unassigned_id, "spam", "x").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(desk_->Get(agent_, r->unassigned_id)->message.status, "open");
}

}  // namespace
}  // namespace soporte::app
