#include <gtest/gtest.h>

#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/sla/modality.hpp"
#include "domain/sla/sla_policy.hpp"

namespace soporte::domain::sla {
namespace {

using namespace std::chrono_literals;

TEST(SlaEnumsTest, ParseAndNameRoundTrip) {
  for (auto c : {Criticality::kNormal, Criticality::kImportant, Criticality::kCritical}) {
    EXPECT_EQ(ParseCriticality(Name(c)), c);
  }
  for (auto c : {Channel::kPortal, Channel::kEmail, Channel::kPhone, Channel::kChat}) {
    EXPECT_EQ(ParseChannel(Name(c)), c);
  }
  for (auto m : {Modality::k24x7, Modality::k8x5}) EXPECT_EQ(ParseModality(Name(m)), m);
  EXPECT_FALSE(ParseCriticality("urgent"));
  EXPECT_FALSE(ParseCriticality("Normal"));
  EXPECT_FALSE(ParseChannel("fax"));
  EXPECT_FALSE(ParseModality("5x8"));
  EXPECT_FALSE(ParseModality(""));
}

TEST(SlaPolicyTest, ProtocolDefaultsAndOverrides) {
  SlaTargets t;
  EXPECT_EQ(t.For(Criticality::kNormal), 8h);
  EXPECT_EQ(t.For(Criticality::kImportant), 4h);
  EXPECT_EQ(t.For(Criticality::kCritical), 2h);
  t.critical = 1h;
  EXPECT_EQ(t.For(Criticality::kCritical), 1h);
}

}  // namespace
}  // namespace soporte::domain::sla
