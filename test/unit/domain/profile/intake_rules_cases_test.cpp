// Golden intake checklist rules: test/data/intake_rules.tsv, one line per (type, criticality,
// item, asked?) of the protocol's default rules. Adding a case is adding a line; a missing or
// repeated combination fails, so the file stays the whole table.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "support/golden_tsv.hpp"

#include "domain/profile/intake_checklist.hpp"

namespace soporte::domain {
namespace {

TEST(IntakeRulesCasesTest, GoldenFile) {
  const auto rows = golden::ReadRows(std::string(SOPORTE_TEST_DATA_DIR) + "/intake_rules.tsv");
  ASSERT_TRUE(rows);
  const IntakeRules rules = IntakeRules::ProtocolDefault();
  // (type, criticality) → the asked items in file order.
  std::map<std::pair<TicketType, sla::Criticality>, std::vector<IntakeItem>> asked;
  std::set<std::tuple<TicketType, sla::Criticality, IntakeItem>> seen;
  for (const auto& [line, f] : *rows) {
    ASSERT_EQ(f.size(), 4u) << line;
    const auto type = ParseType(f[0]);
    const auto criticality = sla::ParseCriticality(f[1]);
    const auto item = ParseIntakeItem(f[2]);
    ASSERT_TRUE(type && criticality && item) << line;
    ASSERT_TRUE(f[3] == "yes" || f[3] == "no") << line;
    ASSERT_TRUE(seen.emplace(*type, *criticality, *item).second) << "repeated: " << line;
    const auto required = rules.Required(*type, *criticality);
    const bool is_required = std::find(required.begin(), required.end(), *item) != required.end();
    EXPECT_EQ(is_required, f[3] == "yes") << line;
    auto& list = asked[{*type, *criticality}];
    if (f[3] == "yes") list.push_back(*item);
  }
  // The whole table: every type, criticality and item, and the checklist's order.
  for (TicketType type : {TicketType::kIncident, TicketType::kRequest}) {
    for (auto c :
         {sla::Criticality::kNormal, sla::Criticality::kImportant, sla::Criticality::kCritical}) {
      for (IntakeItem item : kAllIntakeItems) {
        EXPECT_TRUE(seen.contains(std::make_tuple(type, c, item)))
            << "missing: " << TypeName(type) << " " << sla::Name(c) << " " << IntakeItemName(item);
      }
      EXPECT_EQ((asked[{type, c}]), rules.Required(type, c))
          << TypeName(type) << " " << sla::Name(c);
    }
  }
}

}  // namespace
}  // namespace soporte::domain
