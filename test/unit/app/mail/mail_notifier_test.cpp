// MailNotifier: what reaches the outbox, threaded and in the requester's language.
#include "unit/app/mail/mail_use_cases_fixture.hpp"

namespace soporte::app {
namespace {

using namespace mail_test;  // NOLINT(google-build-using-namespace): the shared fixture

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
  auto es = Mail("carlos@acme.example.com", "Re: [#" + std::to_string(r->number) + "]",
                 "es1@acme.example.com");
  es.language = "es";
  ASSERT_TRUE(ingest_->Run(es));
  EXPECT_EQ(
      ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUser(customer_.user_id); })->lang,
      "en");
  auto set = admin_->SetLanguage(customer_, customer_.user_id, "es");
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_TRUE(tickets_->AddArticle(agent_, r->number, "Listo", false));
  EXPECT_EQ(Outbox().back().lang, "es");
  EXPECT_EQ(admin_->SetLanguage(customer_, agent_.user_id, "en").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(admin_->SetLanguage(agent_, customer_.user_id, "fr").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(admin_->SetLanguage(agent_, customer_.user_id, ""));
}

// A ticket staff open is acknowledged to the customer named as its requester, never to the staff
// member who typed it.
TEST_F(MailUseCasesTest, StaffOpenedTicketsAreAcknowledgedToTheCustomerOnly) {
  NewTicket for_carlos{.subject = "Llamó Carlos: no factura"};
  for_carlos.org_slug = "acme";
  for_carlos.requester_email = "carlos@acme.example.com";
  auto t = tickets_->Create(agent_, for_carlos);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(Outbox().size(), 1u);
  EXPECT_EQ(Outbox().back().to_address, "carlos@acme.example.com");
  EXPECT_EQ(Outbox().back().kind, "ticket_received");

  NewTicket unnamed{.subject = "Revisión interna"};
  unnamed.org_slug = "acme";
  auto mine = tickets_->Create(agent_, unnamed);
  ASSERT_TRUE(mine) << mine.error().message;
  ASSERT_TRUE(tickets_->AddArticle(agent_, mine->ticket.number, "Avance", false));
  EXPECT_EQ(Outbox().size(), 1u) << "nothing mailed to andrea@example.com about her own ticket";
}

}  // namespace
}  // namespace soporte::app
