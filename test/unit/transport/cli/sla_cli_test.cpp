#include "transport/cli/sla_cli.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::cli {
namespace {

using i18n::Lang;
using namespace std::chrono_literals;

TEST(SlaCliTest, BatchLinesAndErrorsInPlace) {
  const auto engine = *domain::sla::SlaEngine::Create();
  const BatchDue batch = *BatchDue::Create(engine, "America/Bogota", Lang::kEn);
  std::string out;
  EXPECT_TRUE(batch.AppendLine("8x5\tnormal\tportal\t2026-12-04T16:00:00-05:00", out));
  EXPECT_TRUE(batch.AppendLine("24x7\tcritical\temail\t2026-12-05T22:00:00-05:00\r", out));
  EXPECT_FALSE(batch.AppendLine("8x5\turgent\tportal\t2026-12-04T16:00:00-05:00", out));
  EXPECT_FALSE(batch.AppendLine("8x5\tnormal\tportal", out));
  EXPECT_FALSE(batch.AppendLine("8x5\tnormal\tportal\tyesterday", out));
  EXPECT_FALSE(batch.AppendLine("8x5\tnormal\tportal\t1970-01-01T00:00:00Z", out));
  EXPECT_FALSE(batch.AppendLine("", out));
  EXPECT_EQ(out,
            "2026-12-07T14:00:00-05:00\n"
            "2026-12-07T10:00:00-05:00\n"
            "error: criticality: unknown criticality 'urgent' (expected normal, important or critical)\n"
            "error: the line has 3 fields; expected 4 separated by tabs (MODALITY, CRITICALITY, CHANNEL, RECEIVED)\n"
            "error: received: 'yesterday' is not an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])\n"
            "error: received: '1970-01-01T00:00:00Z' is outside the supported years (1984–2100)\n"
            "error: the line has 1 fields; expected 4 separated by tabs (MODALITY, CRITICALITY, CHANNEL, RECEIVED)\n");
}

TEST(SlaCliTest, BatchInOtherZone) {
  const auto engine = *domain::sla::SlaEngine::Create();
  const BatchDue batch = *BatchDue::Create(engine, "Europe/Madrid", Lang::kEs);
  std::string out;
  EXPECT_TRUE(batch.AppendLine("8x5\tnormal\tportal\t2026-12-04T16:00:00", out));
  EXPECT_EQ(out, "2026-12-07T14:00:00+01:00\n");
  EXPECT_FALSE(BatchDue::Create(engine, "Mars/Base", Lang::kEs).has_value());
}

}  // namespace
}  // namespace soporte::transport::cli
