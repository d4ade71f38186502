// tx.settings() on every backend: settings upserted by key.
#include <string>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class SettingsRepositoryTest : public StoreTest {};

TEST_P(SettingsRepositoryTest, SettingsAreUpsertedByKey) {
  EXPECT_TRUE(R([](app::ReadTx& tx) { return tx.settings().ListSettings(); })->empty());
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) {
    return tx.settings().PutSetting({"contact.phone", "+57 1", T(kBase)});
  }));
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) {
    return tx.settings().PutSetting({"contact.phone", "+57 2", T(kBase + 1)});
  }));
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) {
    return tx.settings().PutSetting({"contact.hours_es", "", T(kBase)});
  }));
  auto all = R([](app::ReadTx& tx) { return tx.settings().ListSettings(); });
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key, "contact.hours_es");
  EXPECT_EQ((*all)[1].value, "+57 2");
  EXPECT_EQ((*all)[1].updated_at, T(kBase + 1));
  EXPECT_EQ(
      store_->Write([](app::WriteTx& tx) {
              return tx.settings().PutSetting({"", "x", T(kBase)});
            })
          .error()
          .code,
      ErrorCode::kInvalidArgument);
}

SOPORTE_ON_EVERY_BACKEND(SettingsRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
