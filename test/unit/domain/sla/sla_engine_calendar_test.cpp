// The engine counts on a contract's stored calendar (ContractSla::calendar) instead of the
// built-in 8x5 one; 24x7 contracts ignore it.
#include <memory>

#include <gtest/gtest.h>

#include "domain/sla/sla_engine.hpp"
#include "sla_test_util.hpp"

namespace soporte::domain::sla {
namespace {

using namespace date;
using namespace std::chrono_literals;
using testing_util::Bog;

std::shared_ptr<calendar::CalendarDefinition> Weekdays8to18() {
  auto c = std::make_shared<calendar::CalendarDefinition>();
  c->id = CalendarId{1};
  c->version = 1;
  c->name = "Lunes a viernes";
  for (unsigned d = 0; d < 5; ++d) c->hours[d] = {{8h, 18h}};
  return c;
}

TEST(SlaEngineCalendarTest, AClosureDayMovesTheDue) {
  const SlaEngine e = *SlaEngine::Create();
  ContractSla c{Modality::k8x5, "America/Bogota", {}};
  const Instant friday4pm = Bog(local_days{2026_y / 12 / 4}, 16h);
  // Built-in and an equivalent stored calendar agree: Fri 2 h + Mon 6 h = Mon 14:00.
  c.calendar = Weekdays8to18();
  EXPECT_EQ(e.Due(c, Criticality::kNormal, Channel::kPortal, friday4pm)->due, Bog(local_days{2026_y / 12 / 7}, 14h));
  // Closing Monday (a new version) moves it past Monday and past the Tuesday holiday
  // (8 December, Inmaculada Concepción): Wednesday 14:00.
  auto closed = Weekdays8to18();
  closed->version = 2;
  closed->closures = {{sys_days{2026_y / 12 / 7}, "Inventario anual", {}, {}}};
  c.calendar = closed;
  EXPECT_EQ(e.Due(c, Criticality::kNormal, Channel::kPortal, friday4pm)->due, Bog(local_days{2026_y / 12 / 9}, 14h));
  // Without Colombian holidays, Tuesday counts: Tuesday 14:00.
  auto no_holidays = std::make_shared<calendar::CalendarDefinition>(*closed);
  no_holidays->version = 3;
  no_holidays->colombian_holidays = false;
  c.calendar = no_holidays;
  EXPECT_EQ(e.Due(c, Criticality::kNormal, Channel::kPortal, friday4pm)->due, Bog(local_days{2026_y / 12 / 8}, 14h));
}

TEST(SlaEngineCalendarTest, OpeningHoursAndZoneComeFromTheCalendar) {
  const SlaEngine e = *SlaEngine::Create();
  auto saturdays = Weekdays8to18();
  saturdays->id = CalendarId{2};
  saturdays->hours[5] = {{9h, 13h}};
  ContractSla c{Modality::k8x5, "America/Bogota", {}};
  c.calendar = saturdays;
  // Friday 16:00 + 8 h: Fri 2 h, Sat 4 h (09–13), Mon 2 h = Monday 10:00.
  EXPECT_EQ(e.Due(c, Criticality::kNormal, Channel::kChat, Bog(local_days{2026_y / 12 / 4}, 16h))->due,
            Bog(local_days{2026_y / 12 / 7}, 10h));
  auto timeline = e.Explain(c, Criticality::kNormal, Channel::kChat, Bog(local_days{2026_y / 12 / 4}, 16h));
  ASSERT_TRUE(timeline);
  EXPECT_EQ(timeline->contract_zone, "America/Bogota");
}

TEST(SlaEngineCalendarTest, A24x7ContractIgnoresACalendar) {
  const SlaEngine e = *SlaEngine::Create();
  ContractSla c{Modality::k24x7, "America/Bogota", {}};
  c.calendar = Weekdays8to18();
  EXPECT_EQ(e.Due(c, Criticality::kCritical, Channel::kPhone, Bog(local_days{2026_y / 12 / 5}, 22h))->due,
            Bog(local_days{2026_y / 12 / 6}, 0h));
}

TEST(SlaEngineCalendarTest, AnInvalidCalendarIsAnError) {
  const SlaEngine e = *SlaEngine::Create();
  auto bad = Weekdays8to18();
  bad->id = CalendarId{3};
  bad->zone = "Mars/Base";
  ContractSla c{Modality::k8x5, "America/Bogota", {}};
  c.calendar = bad;
  auto due = e.Due(c, Criticality::kNormal, Channel::kPortal, Bog(local_days{2026_y / 12 / 4}, 16h));
  ASSERT_FALSE(due);
  EXPECT_EQ(due.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace soporte::domain::sla
