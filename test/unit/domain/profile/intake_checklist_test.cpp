#include "domain/profile/intake_checklist.hpp"

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

using I = IntakeItem;
using sla::Criticality;

TEST(IntakeChecklistTest, NamesRoundTrip) {
  for (I i : kAllIntakeItems) EXPECT_EQ(ParseIntakeItem(IntakeItemName(i)), i);
  EXPECT_FALSE(ParseIntakeItem("screenshot"));
}

TEST(IntakeChecklistTest, TheProtocolDefaultAsksEverythingOfIncidents) {
  const auto rules = IntakeRules::ProtocolDefault();
  const std::vector<I> all(std::begin(kAllIntakeItems), std::end(kAllIntakeItems));
  for (auto c : {Criticality::kNormal, Criticality::kImportant, Criticality::kCritical}) {
    EXPECT_EQ(rules.Required(TicketType::kIncident, c), all);
  }
  EXPECT_EQ(rules.Required(TicketType::kRequest, Criticality::kNormal), (std::vector<I>{I::kEnvironment, I::kVersions}));
}

TEST(IntakeChecklistTest, FirstMatchingRuleWins) {
  auto rules = IntakeRules::Create({
      IntakeRule{TicketType::kIncident, Criticality::kCritical, {I::kEnvironment}},
      IntakeRule{std::nullopt, std::nullopt, {I::kSteps, I::kLogs}},
  });
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->Required(TicketType::kIncident, Criticality::kCritical), std::vector<I>{I::kEnvironment});
  EXPECT_EQ(rules->Required(TicketType::kIncident, Criticality::kNormal), (std::vector<I>{I::kSteps, I::kLogs}));
  EXPECT_FALSE(IntakeRules::Create({IntakeRule{std::nullopt, std::nullopt, {I::kLogs, I::kLogs}}}));
  auto none = IntakeRules::Create({IntakeRule{TicketType::kRequest, std::nullopt, {I::kLogs}}});
  EXPECT_TRUE(none->Required(TicketType::kIncident, Criticality::kNormal).empty());
}

TEST(IntakeChecklistTest, EvaluateMarksWhatIsPresent) {
  EXPECT_EQ(EvaluateChecklist({I::kEnvironment, I::kLogs, I::kVersions}, {I::kLogs, I::kSteps}),
            (std::vector<ChecklistEntry>{{I::kEnvironment, false}, {I::kLogs, true}, {I::kVersions, false}}));
}

TEST(IntakeChecklistTest, AttachmentsGiveScreenshotsOrLogs) {
  EXPECT_EQ(ItemsFromAttachment("pantalla.png", "image/png"), std::set<I>{I::kScreenshots});
  EXPECT_EQ(ItemsFromAttachment("grabacion.webm", "video/webm"), std::set<I>{I::kScreenshots});
  EXPECT_EQ(ItemsFromAttachment("server.LOG", "application/octet-stream"), std::set<I>{I::kLogs});
  EXPECT_EQ(ItemsFromAttachment("logs.zip", "application/zip"), std::set<I>{I::kLogs});
  EXPECT_EQ(ItemsFromAttachment("salida", "text/plain; charset=utf-8"), std::set<I>{I::kLogs});
  EXPECT_TRUE(ItemsFromAttachment("factura.pdf", "application/pdf").empty());
}

}  // namespace
}  // namespace soporte::domain
