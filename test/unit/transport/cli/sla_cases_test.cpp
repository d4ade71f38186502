// Golden SLA cases: test/data/sla_cases.tsv, one case a line (modality, criticality, channel,
// received, tz, expected due). Adding a case is adding a line.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/golden_tsv.hpp"

#include "domain/sla/sla_engine.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::cli {
namespace {

namespace sla = domain::sla;
using text::FormatIso8601;
using text::ParseIso8601;

TEST(SlaCasesTest, GoldenFile) {
  const auto rows = golden::ReadRows(std::string(SOPORTE_TEST_DATA_DIR) + "/sla_cases.tsv");
  ASSERT_TRUE(rows);
  const sla::SlaEngine engine = *sla::SlaEngine::Create();
  int cases = 0;
  for (const auto& [line, f] : *rows) {
    ASSERT_EQ(f.size(), 6u) << line;
    const date::time_zone* zone = date::locate_zone(f[4]);
    const sla::ContractSla contract{*sla::ParseModality(f[0]), f[4], {}};
    const auto received = ParseIso8601(f[3], zone);
    ASSERT_TRUE(received) << line;
    const auto due = engine.Due(contract, *sla::ParseCriticality(f[1]), *sla::ParseChannel(f[2]), *received);
    ASSERT_TRUE(due) << line;
    EXPECT_EQ(FormatIso8601(due->due, zone), f[5]) << line;
    ++cases;
  }
  EXPECT_GE(cases, 60);
}

}  // namespace
}  // namespace soporte::transport::cli
