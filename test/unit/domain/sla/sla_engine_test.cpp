#include "domain/sla/sla_engine.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sla_test_util.hpp"

namespace soporte::domain::sla {
namespace {

using namespace date;
using namespace std::chrono_literals;
using testing_util::Bog;

TEST(SlaEngineTest, IssueExamples) {
  const SlaEngine e = *SlaEngine::Create();
  const ContractSla c8{Modality::k8x5, "America/Bogota", {}}, c24{Modality::k24x7, "America/Bogota", {}};
  EXPECT_EQ(e.Due(c8, Criticality::kNormal, Channel::kPortal, Bog(local_days{2026_y / 12 / 4}, 16h))->due,
            Bog(local_days{2026_y / 12 / 7}, 14h));
  EXPECT_EQ(e.Due(c8, Criticality::kImportant, Channel::kPortal, Bog(local_days{2026_y / 12 / 8}, 10h))->due,
            Bog(local_days{2026_y / 12 / 9}, 12h));
  const auto email = e.Due(c24, Criticality::kCritical, Channel::kEmail, Bog(local_days{2026_y / 12 / 5}, 22h));
  EXPECT_EQ(email->clock_start, Bog(local_days{2026_y / 12 / 7}, 8h));
  EXPECT_EQ(email->due, Bog(local_days{2026_y / 12 / 7}, 10h));
  EXPECT_EQ(e.Due(c24, Criticality::kCritical, Channel::kPhone, Bog(local_days{2026_y / 12 / 5}, 22h))->due,
            Bog(local_days{2026_y / 12 / 6}, 0h));
}

TEST(SlaEngineTest, ContractTargetsAndElapsed) {
  const SlaEngine e = *SlaEngine::Create();
  ContractSla c{Modality::k8x5, "America/Bogota", {}};
  c.targets.normal = 30h;
  EXPECT_EQ(e.Due(c, Criticality::kNormal, Channel::kChat, Bog(local_days{2026_y / 12 / 4}, 16h))->due,
            Bog(local_days{2026_y / 12 / 10}, 16h));  // Fri 2 h, Mon 10 h, Wed 10 h, Thu 8 h
  EXPECT_EQ(*e.BusinessElapsed(c, Bog(local_days{2026_y / 12 / 4}, 16h), Bog(local_days{2026_y / 12 / 9}, 9h)), 13h);
}

TEST(SlaEngineTest, Errors) {
  const SlaEngine e = *SlaEngine::Create();
  const ContractSla mars{Modality::k8x5, "Mars/Base", {}};
  auto r = e.Due(mars, Criticality::kNormal, Channel::kPortal, Bog(local_days{2026_y / 12 / 4}, 16h));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const ContractSla ok{Modality::k8x5, "America/Bogota", {}};
  EXPECT_FALSE(e.Due(ok, Criticality::kNormal, Channel::kPortal, sys_days{1983_y / 12 / 31}));
  EXPECT_FALSE(e.Due(ok, Criticality::kNormal, Channel::kPortal, sys_days{2101_y / 1 / 1}));
  EXPECT_FALSE(e.BusinessElapsed(mars, sys_days{2026_y / 1 / 1}, sys_days{2026_y / 1 / 2}));
}

TEST(SlaEngineTest, ExplainAddsUpAndSaysWhyTheClockStarts) {
  const SlaEngine e = *SlaEngine::Create();
  const ContractSla c{Modality::k8x5, "America/Bogota", {}};
  const auto t = e.Explain(c, Criticality::kNormal, Channel::kEmail, Bog(local_days{2026_y / 12 / 4}, 19h));
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->channel_windowed);
  EXPECT_TRUE(t->waited_for_window);
  EXPECT_EQ(t->clock_start, Bog(local_days{2026_y / 12 / 7}, 8h));
  EXPECT_EQ(t->due, Bog(local_days{2026_y / 12 / 7}, 16h));
  EXPECT_EQ(t->total, 8h);
  EXPECT_EQ(t->intake_zone, "America/Bogota");
}

TEST(SlaEngineTest, SharedCacheIsThreadSafe) {
  const SlaEngine e = *SlaEngine::Create();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([e, i] {  // copies share the cache
      const char* zones[] = {"Europe/Madrid", "Asia/Tokyo", "America/Lima", "America/Bogota"};
      for (int k = 0; k < 200; ++k) {
        const ContractSla c{k % 2 ? Modality::k8x5 : Modality::k24x7, zones[(i + k) % 4], {}};
        ASSERT_TRUE(e.Due(c, Criticality::kCritical, Channel::kEmail, sys_days{2026_y / 5 / 5}));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(*e.CalendarFor(Modality::k8x5, "Asia/Tokyo"), *e.CalendarFor(Modality::k8x5, "Asia/Tokyo"));
}

}  // namespace
}  // namespace soporte::domain::sla
