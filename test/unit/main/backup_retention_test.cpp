// `soporte backup --dir DIR --keep N` (backup_retention.hpp): the names it gives, the names it
// owns, and which it deletes.
#include "main/backup_retention.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace soporte::main {
namespace {

using namespace std::chrono;

TEST(BackupRetentionTest, NameIsUtcWithMicroseconds) {
  // 2026-12-07 00:40:05.000042 UTC
  const system_clock::time_point at{seconds{1796604005} + microseconds{42}};
  EXPECT_EQ(BackupFileName(at), "soporte-20261207T004005.000042Z.db");
  EXPECT_TRUE(IsOwnBackupName(BackupFileName(at)));
  EXPECT_TRUE(IsOwnBackupName(BackupFileName(system_clock::now())));
}

TEST(BackupRetentionTest, OnlyItsOwnShapeIsOwned) {
  for (const char* other :
       {"soporte.db", "soporte.db-wal", "soporte-manual.db", "soporte-20261207T004005Z.db",
        "soporte-20261207T004005.000042Z.db.part", "xsoporte-20261207T004005.000042Z.db",
        "soporte-2026120aT004005.000042Z.db", "soporte-20261207-004005.000042Z.db", "notes.txt",
        "soporte-20261207T004005.0000420Z.db", ""}) {
    EXPECT_FALSE(IsOwnBackupName(other)) << other;
  }
}

TEST(BackupRetentionTest, DeletesAllButTheNewestOwnBackups) {
  const std::vector<std::string> names = {
      "soporte-20261207T004005.000003Z.db", "notes.txt",
      "soporte-20261130T235959.999999Z.db", "soporte-manual.db",
      "soporte-20261207T004005.000002Z.db", "soporte-20251207T000000.000000Z.db"};
  EXPECT_EQ(BackupsToDelete(names, 2),
            (std::vector<std::string>{"soporte-20251207T000000.000000Z.db",
                                      "soporte-20261130T235959.999999Z.db"}));
  EXPECT_EQ(BackupsToDelete(names, 3),
            (std::vector<std::string>{"soporte-20251207T000000.000000Z.db"}));
  EXPECT_TRUE(BackupsToDelete(names, 4).empty());
  EXPECT_TRUE(BackupsToDelete(names, 40).empty());
  EXPECT_TRUE(BackupsToDelete({"notes.txt", "soporte.db"}, 1).empty());
}

}  // namespace
}  // namespace soporte::main
