// tx.calendars() on every backend: calendars with their hours and closure days, the version check.
#include <string>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class CalendarRepositoryTest : public StoreTest {};

TEST_P(CalendarRepositoryTest, CalendarsRoundTripEveryFieldAndCheckTheVersion) {
  World();
  auto c = OfficeCalendar("Oficina");
  c.closures = {{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7}, "Inventario", agent_.id,
                 T(kBase + 5)},
                {std::chrono::sys_days{std::chrono::year{2026} / 12 / 24}, "Nochebuena", UserId{},
                 T(kBase + 6)}};
  auto stored = W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(c); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_TRUE(stored->id.valid());
  EXPECT_EQ(stored->version, 1);
  auto read = R([&](app::ReadTx& tx) { return tx.calendars().GetCalendar(stored->id); });
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, *stored);
  EXPECT_EQ(read->hours[0].size(), 2u);
  EXPECT_EQ(read->closures[0].created_by, agent_.id);
  EXPECT_FALSE(read->closures[1].created_by.valid());

  // Unique name; invalid definitions never reach a table.
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Oficina")); })
          .error()
          .code,
      ErrorCode::kAlreadyExists);
  auto bad = OfficeCalendar("Mala");
  bad.hours[0] = {{Seconds{36000}, Seconds{3600}}};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(bad); }).error().code,
            ErrorCode::kInvalidArgument);

  // Update: replaces hours and closures, bumps the version; a stale version is kAborted.
  auto edit = *read;
  edit.name = "Oficina norte";
  edit.hours[5].clear();
  edit.colombian_holidays = false;
  edit.closures.pop_back();
  edit.updated_at = T(kBase + 9);
  auto updated = W([&](app::WriteTx& tx) { return tx.calendars().UpdateCalendar(edit); });
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  auto again = R([&](app::ReadTx& tx) { return tx.calendars().GetCalendar(stored->id); });
  EXPECT_EQ(*again, *updated);
  EXPECT_TRUE(again->hours[5].empty());
  EXPECT_EQ(again->closures.size(), 1u);
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().UpdateCalendar(edit); }).error().code,
            ErrorCode::kAborted);
  edit.id = CalendarId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.calendars().UpdateCalendar(edit); }).error().code,
            ErrorCode::kNotFound);

  // Listed by name.
  ASSERT_TRUE(
      W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Bodega")); }));
  auto all = R([](app::ReadTx& tx) { return tx.calendars().ListCalendars(); });
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Bodega");
  EXPECT_EQ((*all)[1].closures.size(), 1u);
}

SOPORTE_ON_EVERY_BACKEND(CalendarRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
