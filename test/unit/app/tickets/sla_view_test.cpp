// SlaView on MemoryStore + FakeClock: the timeline behind a ticket's due, and the preview of a
// ticket not yet sent — which contract it would take, what it would be due, and who may ask.
#include "app/tickets/sla_view.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
using std::chrono::hours;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

class SlaViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    view_ = std::make_unique<SlaView>(store_, *sla_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    NewContract c8;
    c8.modality = sla::Modality::k8x5;
    c8.valid_from = std::chrono::floor<std::chrono::days>(kFriday4pm) - std::chrono::days{30};
    auto acme8 = admin_->CreateContract(sys, "acme", c8);
    auto globex8 = admin_->CreateContract(sys, "globex", c8);
    NewContract c24 = c8;
    c24.modality = sla::Modality::k24x7;
    auto acme24 = admin_->CreateContract(sys, "acme", c24);
    ASSERT_TRUE(acme8 && globex8 && acme24);
    acme8x5_ = acme8->id;
    acme24x7_ = acme24->id;
    globex8x5_ = globex8->id;
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    other_customer_ = Make("gloria@globex.example.com", Role::kCustomer, "globex");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(),
                                NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<SlaView> view_;
  ContractId acme8x5_, acme24x7_, globex8x5_;
  Principal customer_, other_customer_, agent_;
};

TEST_F(SlaViewTest, ExplainsTheDueTheTicketGot) {
  NewTicket in;
  in.subject = "Caída de facturación";
  in.criticality = sla::Criticality::kImportant;
  auto t = tickets_->Create(customer_, in);
  ASSERT_TRUE(t) << t.error().message;
  clock_.Advance(hours{30});  // explaining later does not change the answer
  auto x = view_->ExplainTicket(agent_, t->ticket.number);
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(x->timeline.due, t->ticket.response_due);
  EXPECT_EQ(x->timeline.received, kFriday4pm);
  EXPECT_EQ(x->timeline.criticality, sla::Criticality::kImportant);
  EXPECT_EQ(x->contract_id, t->ticket.contract_id);
  EXPECT_EQ(x->zone, "America/Bogota");
  EXPECT_EQ(x->timeline.total, x->timeline.target);
}

TEST_F(SlaViewTest, AnotherOrganisationsTicketIsNotFoundLikeAMissingOne) {
  NewTicket in;
  in.subject = "No abre";
  auto t = tickets_->Create(customer_, in);
  ASSERT_TRUE(t);
  EXPECT_TRUE(view_->ExplainTicket(customer_, t->ticket.number));
  EXPECT_EQ(view_->ExplainTicket(other_customer_, t->ticket.number).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(view_->ExplainTicket(agent_, 9999).error().code, ErrorCode::kNotFound);
}

TEST_F(SlaViewTest, PreviewPicksTheFirstContractInForceThatTakesTheChannel) {
  auto portal =
      view_->Preview(customer_, std::nullopt, sla::Criticality::kNormal, sla::Channel::kPortal);
  ASSERT_TRUE(portal) << portal.error().message;
  EXPECT_EQ(portal->contract_id, acme8x5_);
  EXPECT_EQ(portal->timeline.modality, sla::Modality::k8x5);
  // Only the 24x7 contract includes the phone line.
  auto phone =
      view_->Preview(customer_, std::nullopt, sla::Criticality::kCritical, sla::Channel::kPhone);
  ASSERT_TRUE(phone) << phone.error().message;
  EXPECT_EQ(phone->contract_id, acme24x7_);
  EXPECT_EQ(phone->timeline.due, kFriday4pm + hours{2});  // 24x7, critical: two hours straight
  // Globex has no contract with the phone line.
  EXPECT_EQ(view_
                ->Preview(other_customer_, std::nullopt, sla::Criticality::kCritical,
                          sla::Channel::kPhone)
                .error()
                .code,
            ErrorCode::kUnprocessable);
}

TEST_F(SlaViewTest, PreviewCountsFromTheClocksNow) {
  clock_.Advance(hours{1});
  auto x = view_->Preview(agent_, acme24x7_, sla::Criticality::kImportant, sla::Channel::kPortal);
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(x->timeline.received, kFriday4pm + hours{1});
  EXPECT_EQ(x->timeline.due, kFriday4pm + hours{5});
}

TEST_F(SlaViewTest, PreviewRefusals) {
  // Staff must name the contract; customers may not name another organisation's.
  EXPECT_EQ(view_->Preview(agent_, std::nullopt, sla::Criticality::kNormal, sla::Channel::kPortal)
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(view_->Preview(customer_, globex8x5_, sla::Criticality::kNormal, sla::Channel::kPortal)
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(
      view_->Preview(agent_, ContractId{9999}, sla::Criticality::kNormal, sla::Channel::kPortal)
          .error()
          .code,
      ErrorCode::kNotFound);
  // A named contract that does not take the channel.
  EXPECT_EQ(view_->Preview(customer_, acme8x5_, sla::Criticality::kNormal, sla::Channel::kPhone)
                .error()
                .code,
            ErrorCode::kUnprocessable);
}

}  // namespace
}  // namespace soporte::app
