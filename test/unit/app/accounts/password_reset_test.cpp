#include "app/accounts/password_reset.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

constexpr Instant kT0{Seconds{1796418000}};

// Renders the link and language only, so the test can read the token back from the outbox.
class LinkRenderer final : public MailRenderer {
 public:
  RenderedMail Render(const MailContext& c) const override {
    return RenderedMail{"reset " + c.lang, "link=" + c.link + " minutes=" + std::to_string(c.link_minutes)};
  }
};

class PasswordResetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    auth_ = std::make_unique<AuthService>(store_, hasher_, tokens_, throttle_, clock_, AuthOptions{Seconds{3600}});
    PasswordResetOptions options;
    options.per_pair = 3;
    options.per_account = 4;
    options.per_address = 5;
    reset_ = std::make_unique<PasswordResetService>(store_, hasher_, tokens_, renderer_, *auth_, clock_, options);
    ASSERT_TRUE(admin_->CreateUser(SystemPrincipal(),
                                   NewUser{"andrea@example.com", "Andrea", domain::Role::kAgent, std::nullopt, "old-password"}));
  }

  std::vector<OutboxRecord> Outbox() {
    return *ReadValue(store_, [](ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
  }
  // The token of the newest mailed link.
  std::string LastToken() {
    auto rows = Outbox();
    if (rows.empty()) return "";
    const std::string& body = rows.back().body_text;
    const auto at = body.find("token=");
    return body.substr(at + 6, body.find(' ', at) - at - 6);
  }

  FakeClock clock_{kT0};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::CountingTokens tokens_;
  LinkRenderer renderer_;
  LoginThrottle throttle_{store_, clock_, ThrottleLimits{5, 20, Seconds{900}}};
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<PasswordResetService> reset_;
  const std::string portal_ = "https://soporte.example.com/";
};

TEST_F(PasswordResetTest, MailsAOneTimeLinkThatSetsThePasswordAndEndsSessions) {
  auto session = auth_->Login("andrea@example.com", "old-password", "10.0.0.1");
  ASSERT_TRUE(session);
  ASSERT_TRUE(reset_->Request(" Andrea@Example.com ", "10.0.0.1", portal_, "en"));
  auto rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "password_reset");
  EXPECT_EQ(rows[0].to_address, "andrea@example.com");
  EXPECT_EQ(rows[0].lang, "en");
  EXPECT_NE(rows[0].body_text.find("link=https://soporte.example.com/#/reset?token="), std::string::npos);
  EXPECT_NE(rows[0].body_text.find("minutes=60"), std::string::npos);
  const std::string token = LastToken();
  ASSERT_FALSE(token.empty());
  // Only the hash is stored.
  EXPECT_FALSE(
      ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetPasswordReset(token); }));

  ASSERT_TRUE(reset_->Confirm(token, "brand-new-pass"));
  EXPECT_EQ(auth_->FromSession(session->session_token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(auth_->Login("andrea@example.com", "old-password", "10.0.0.1"));
  EXPECT_TRUE(auth_->Login("andrea@example.com", "brand-new-pass", "10.0.0.1"));
  // Single use.
  auto again = reset_->Confirm(token, "another-pass");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(PasswordResetTest, UnknownAndKnownAddressesAnswerTheSame) {
  EXPECT_TRUE(reset_->Request("nadie@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_TRUE(Outbox().empty());
  EXPECT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 1u);
  EXPECT_EQ(reset_->Request("not-an-address", "10.0.0.1", portal_, "es").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PasswordResetTest, ANewerLinkReplacesTheOlder) {
  ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  const std::string first = LastToken();
  ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  const std::string second = LastToken();
  ASSERT_NE(first, second);
  EXPECT_EQ(reset_->Confirm(first, "brand-new-pass").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(reset_->Confirm(second, "brand-new-pass"));
}

TEST_F(PasswordResetTest, TheLinkExpiresAfterAnHour) {
  ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  const std::string token = LastToken();
  clock_.Advance(Seconds{3600});
  EXPECT_EQ(reset_->Confirm(token, "brand-new-pass").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(auth_->Login("andrea@example.com", "old-password", "10.0.0.1"));
}

TEST_F(PasswordResetTest, RefusesAShortPasswordAndKeepsTheLink) {
  ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  const std::string token = LastToken();
  EXPECT_EQ(reset_->Confirm(token, "short").error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(reset_->Confirm(token, "long-enough"));
}

TEST_F(PasswordResetTest, ThrottlesThePairSilentlyAndTheAddressLoudly) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 3u);
  // The fourth for the same account from the same address within the hour: same answer, no mail.
  EXPECT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 3u);
  // Whoever failed on purpose from 10.0.0.1 has not used up Andrea's own request from home.
  EXPECT_TRUE(reset_->Request("andrea@example.com", "10.0.0.2", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 4u);
  // Past the account's high bound (mail-bombing from many addresses): no more mail this hour.
  EXPECT_TRUE(reset_->Request("andrea@example.com", "10.0.0.3", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 4u);
  // 10.0.0.1 may ask 5 times an hour, whatever the account; the sixth is refused.
  EXPECT_TRUE(reset_->Request("other@example.com", "10.0.0.1", portal_, "es"));
  auto refused = reset_->Request("other3@example.com", "10.0.0.1", portal_, "es");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  clock_.Advance(Seconds{3600});
  EXPECT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 5u);
}

// Two nodes on one store share the windows: the pair's and the address's allowance are spent
// whichever node takes the request.
TEST_F(PasswordResetTest, NodesOnOneStoreShareTheWindows) {
  PasswordResetOptions options;
  options.per_pair = 3;
  options.per_account = 4;
  options.per_address = 5;
  PasswordResetService other(store_, hasher_, tokens_, renderer_, *auth_, clock_, options);
  ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  ASSERT_TRUE(other.Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  ASSERT_TRUE(reset_->Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 3u);
  EXPECT_TRUE(other.Request("andrea@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(Outbox().size(), 3u) << "the pair's fourth, on the other node, mails nothing";
  EXPECT_TRUE(other.Request("x@example.com", "10.0.0.1", portal_, "es"));
  EXPECT_EQ(reset_->Request("y@example.com", "10.0.0.1", portal_, "es").error().code,
            ErrorCode::kResourceExhausted)
      << "five requests from 10.0.0.1 over both nodes; the sixth is refused";
  EXPECT_EQ(other.Request("y@example.com", "10.0.0.1", portal_, "es").error().code,
            ErrorCode::kResourceExhausted);
}

TEST_F(PasswordResetTest, NeedsAConfiguredPortalUrl) {
  EXPECT_EQ(reset_->Request("andrea@example.com", "10.0.0.1", "", "es").error().code,
            ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace soporte::app
