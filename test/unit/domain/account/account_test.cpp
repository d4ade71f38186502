// domain/account: organisation slugs, the default channels of each modality, the contract's own
// calendar date, whether a contract accepts a request (in force, channel included), roles and
// email normalisation. Values only; no clock, no store.
#include "domain/account/account.hpp"

#include <gtest/gtest.h>

#include <date/date.h>

namespace soporte::domain {
namespace {

using namespace std::chrono_literals;
using sla::Channel;

// 2026-03-02 03:00 UTC is still 2026-03-01 in Bogotá (UTC-5).
const Instant kLateSundayInBogota = date::sys_days{date::year{2026} / 3 / 2} + 3h;

Contract ContractFrom(std::chrono::sys_days from, std::optional<std::chrono::sys_days> to,
                      sla::Modality m = sla::Modality::k8x5) {
  Contract c;
  c.modality = m;
  c.valid_from = from;
  c.valid_to = to;
  c.channels = DefaultChannels(m);
  return c;
}

TEST(AccountTest, SlugRules) {
  EXPECT_TRUE(ValidateSlug("acme"));
  EXPECT_TRUE(ValidateSlug("a1-b2"));
  EXPECT_TRUE(ValidateSlug(std::string(40, 'a')));
  EXPECT_FALSE(ValidateSlug("a"));
  EXPECT_FALSE(ValidateSlug(std::string(41, 'a')));
  EXPECT_FALSE(ValidateSlug("Acme"));
  EXPECT_FALSE(ValidateSlug("ac me"));
  EXPECT_FALSE(ValidateSlug("-acme"));
  const Status trailing = ValidateSlug("acme-");
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().code, ErrorCode::kInvalidArgument);
}

TEST(AccountTest, PhoneLineOnlyFor24x7ByDefault) {
  const ChannelSet full = DefaultChannels(sla::Modality::k24x7);
  const ChannelSet office = DefaultChannels(sla::Modality::k8x5);
  for (Channel c : {Channel::kPortal, Channel::kEmail, Channel::kChat}) {
    EXPECT_TRUE(full.Has(c));
    EXPECT_TRUE(office.Has(c));
  }
  EXPECT_TRUE(full.Has(Channel::kPhone));
  EXPECT_FALSE(office.Has(Channel::kPhone));
}

TEST(AccountTest, LocalDateIsTheContractZonesDate) {
  EXPECT_EQ(LocalDate("America/Bogota", kLateSundayInBogota),
            date::sys_days{date::year{2026} / 3 / 1});
  EXPECT_EQ(LocalDate("UTC", kLateSundayInBogota), date::sys_days{date::year{2026} / 3 / 2});
  // An unknown zone falls back to the UTC date.
  EXPECT_EQ(LocalDate("Nowhere/Atlantis", kLateSundayInBogota),
            date::sys_days{date::year{2026} / 3 / 2});
}

TEST(AccountTest, ContractAcceptsOnItsOwnDatesInclusive) {
  const auto mar1 = date::sys_days{date::year{2026} / 3 / 1};
  const auto mar2 = date::sys_days{date::year{2026} / 3 / 2};
  // Valid through 1 March (Bogotá): still in force at 03:00 UTC on 2 March.
  EXPECT_TRUE(
      CheckContractAccepts(ContractFrom(mar1, mar1), Channel::kPortal, kLateSundayInBogota));
  const Status early =
      CheckContractAccepts(ContractFrom(mar2, std::nullopt), Channel::kPortal, kLateSundayInBogota);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(early.error().message, "the contract is not yet in force");
  const Status expired =
      CheckContractAccepts(ContractFrom(mar1 - date::days{30}, mar1 - date::days{1}),
                           Channel::kPortal, kLateSundayInBogota);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "the contract has expired");
}

TEST(AccountTest, ContractRefusesAChannelItLacks) {
  const auto mar1 = date::sys_days{date::year{2026} / 3 / 1};
  const Status phone =
      CheckContractAccepts(ContractFrom(mar1, std::nullopt), Channel::kPhone, kLateSundayInBogota);
  ASSERT_FALSE(phone);
  EXPECT_EQ(phone.error().code, ErrorCode::kUnprocessable);
  EXPECT_NE(phone.error().message.find("channel"), std::string::npos);
  EXPECT_TRUE(CheckContractAccepts(ContractFrom(mar1, std::nullopt, sla::Modality::k24x7),
                                   Channel::kPhone, kLateSundayInBogota));
}

TEST(AccountTest, RolesRoundTripAndStaff) {
  for (Role r : {Role::kCustomer, Role::kAgent, Role::kSupervisor, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_FALSE(IsStaff(Role::kCustomer));
  EXPECT_TRUE(IsStaff(Role::kAgent));
  EXPECT_TRUE(IsMailLanguage("es"));
  EXPECT_TRUE(IsMailLanguage("en"));
  EXPECT_FALSE(IsMailLanguage("fr"));
  EXPECT_FALSE(IsMailLanguage(""));
}

TEST(AccountTest, EmailNormalisation) {
  EXPECT_EQ(NormalizeEmail("  Carlos@ACME.example.com\r\n").value(), "carlos@acme.example.com");
  for (const char* bad : {"", "carlos", "@acme.com", "carlos@", "a@b@c.com", "carlos@localhost",
                          "car los@acme.com", "<carlos@acme.com>", "a@b.com,c@d.com"}) {
    auto r = NormalizeEmail(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@b.co"));
}

}  // namespace
}  // namespace soporte::domain
