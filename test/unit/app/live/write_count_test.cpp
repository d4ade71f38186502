// WriteCountingStore: every write that has returned is counted, committed or rolled back (a
// reader compares counts taken before and after its read); reads are not.
#include "app/live/write_count.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "storage/memory/memory_store.hpp"

namespace soporte::app {
namespace {

TEST(WriteCountingStoreTest, CountsEveryWriteAndNoRead) {
  WriteCountingStore store(std::make_unique<storage::MemoryStore>());
  EXPECT_EQ(store.Writes(), 0u);
  ASSERT_TRUE(store.Read([](ReadTx&) { return Ok(); }));
  EXPECT_EQ(store.Writes(), 0u);
  ASSERT_TRUE(store.Write([](WriteTx&) { return Ok(); }));
  EXPECT_EQ(store.Writes(), 1u);
  Status failed =
      store.Write([](WriteTx&) -> Status { return Fail(ErrorCode::kInvalidArgument, "no"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "no");  // the inner store's answer, as it was
  EXPECT_EQ(store.Writes(), 2u);
}

}  // namespace
}  // namespace soporte::app
