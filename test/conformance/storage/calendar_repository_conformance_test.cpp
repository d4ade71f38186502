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

// A taken name is an answer, not a broken transaction (PostgreSQL aborts a transaction on a
// failed statement): the write that met it goes on and commits. Names list in byte order
// (SQLite's BINARY collation), capitals first, whatever the PostgreSQL server's locale.
TEST_P(CalendarRepositoryTest, ATakenNameIsAnsweredAndTheWriteGoesOn) {
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY(oficina, tx.calendars().InsertCalendar(OfficeCalendar("Oficina")));
    auto clash = tx.calendars().InsertCalendar(OfficeCalendar("Oficina"));
    if (clash || clash.error().code != ErrorCode::kAlreadyExists)
      return Fail(ErrorCode::kInternal, "insert: no clash");
    SOPORTE_TRY(bodega, tx.calendars().InsertCalendar(OfficeCalendar("bodega")));
    bodega.name = oficina.name;
    auto renamed = tx.calendars().UpdateCalendar(bodega);
    if (renamed || renamed.error().code != ErrorCode::kAlreadyExists)
      return Fail(ErrorCode::kInternal, "update: no clash");
    bodega.name = "bodega";
    bodega.zone = "America/Lima";
    SOPORTE_TRY_STATUS(tx.calendars().UpdateCalendar(bodega));
    return Ok();
  }));
  auto all = R([](app::ReadTx& tx) { return tx.calendars().ListCalendars(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Oficina");
  EXPECT_EQ((*all)[1].name, "bodega");
  EXPECT_EQ((*all)[1].zone, "America/Lima");
  EXPECT_EQ((*all)[1].version, 2);
  EXPECT_EQ((*all)[1].hours, (*all)[0].hours);
}

SOPORTE_ON_EVERY_BACKEND(CalendarRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
